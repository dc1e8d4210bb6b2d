"""A request id on every answer and in every log line written while answering, so that a report
("my request failed at 12:03") can be followed through the logs; JSON logs on request."""

import json

import pytest

from tests.helpers import problem
from tests.test_health import UNREACHABLE, run


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/participants/", "/api/v1/participants/QQ/", "/healthz"])
def test_every_answer_carries_a_request_id_of_its_own(client, path):
    first, second = client.get(path)["X-Request-ID"], client.get(path)["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_a_plain_request_id_from_a_proxy_is_kept_and_anything_else_replaced(client):
    sent = client.get("/api/v1/", HTTP_X_REQUEST_ID="edge-7f3a.42")
    assert sent["X-Request-ID"] == "edge-7f3a.42"
    for forged in ("a" * 65, "two words", "x\u00e9", "<script>"):
        answered = client.get("/api/v1/", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
        assert answered != forged and len(answered) == 32
    problem(client.get("/api/v1/participants/", {"nope": "1"}), 400)


def test_json_logs_carry_the_request_id_of_the_answer():
    # The database down: the 503 is logged while the request is answered.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "print(Client().get('/healthz', HTTP_X_REQUEST_ID='trace-42')['X-Request-ID'])"
    )
    # -W ignore: Python's own warnings (whitenoise's, on a clone without static files) are
    # not log lines.
    result = run(
        "-W", "ignore", "-c", script, DATABASE_URL=UNREACHABLE,
        DJANGO_SETTINGS_MODULE="kpdata.settings", DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver", LOG_FORMAT="json",
    )  # fmt: skip
    assert result.stdout.strip() == "trace-42"
    lines = [json.loads(line) for line in result.stderr.strip().splitlines()]
    assert lines and all(line["request_id"] == "trace-42" for line in lines)
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert lines[0]["time"].endswith("Z")


def test_an_unknown_log_format_stops_with_one_line():
    result = run("manage.py", "check", DJANGO_DEBUG="1", LOG_FORMAT="xml")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line == "kpdata: LOG_FORMAT must be text or json, not 'xml'."
