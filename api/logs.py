"""Logs that can be followed: every line carries the request id of the request it belongs to
(`X-Request-ID`, also on every answer), and `LOG_FORMAT=json` writes one JSON object a line."""

import contextvars
import datetime
import json
import logging
import re
import uuid

request_id = contextvars.ContextVar("request_id", default="-")
# An id a client or a proxy sent is kept if it is short and plain; anything else gets a new one.
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id(sent: str | None) -> str:
    return sent if sent and ACCEPTED.fullmatch(sent) else uuid.uuid4().hex


def request_done(**kwargs) -> None:
    """Connected to `request_finished`: lines logged after it belong to no request."""
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request being answered, or `-` outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601 UTC), level, logger, request id, message."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
        line = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
