"""JSON request bodies: no larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a 413 beyond it, read no
further), and refused when a text holds a NUL character (no database stores one)."""

import io

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import JSONParser


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
        data = super().parse(io.BytesIO(body), media_type, parser_context)
        path = _nul_at(data)
        if path is not None:
            raise ValidationError({path or "request": ["Must not contain NUL characters."]})
        return data


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
