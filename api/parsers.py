"""JSON request bodies, refused when a text holds a NUL character (no database stores one)."""

from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
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
