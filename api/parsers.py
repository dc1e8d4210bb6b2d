"""JSON request bodies: no larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a 413 beyond it, read no
further), no deeper than MAX_DEPTH, and refused when a text holds a NUL character (no database
stores one)."""

import io

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import JSONParser

# A record with its parts is a few levels deep; a body nested deeper is no record.
MAX_DEPTH = 32


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"The request body is larger than {limit} bytes; a record is far smaller.")


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise TooLarge()  # a body sent without Content-Length
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # deeper than the interpreter's stack: Python's json gives up
            raise _too_deep() from None
        if _depth(data) > MAX_DEPTH:
            raise _too_deep()
        path = _nul_at(data)
        if path is not None:
            raise ValidationError({path or "request": ["Must not contain NUL characters."]})
        return data


def _too_deep() -> ParseError:
    return ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")


def _depth(value) -> int:
    """How deeply lists and objects nest in `value`, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, level + 1) for item in items)
    return deepest


def _nul_at(value, path: str = "") -> str | None:
    """Where the first NUL character is, as `field` or `field.0.note`; None if there is none."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        here = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and "\x00" in key:
            return path or "request"
        if (found := _nul_at(item, here)) is not None:
            return found
    return None
