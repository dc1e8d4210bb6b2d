"""CSV and NDJSON: the same fields as the JSON, one row per record, written as a stream."""

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

import orjson
from rest_framework import exceptions, renderers, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils.encoders import JSONEncoder

# A spreadsheet runs a text cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def columns(fields: dict, prefix: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """(column name, path) per CSV column: a nested object becomes `parent_child` columns."""
    found = []
    for name, field in fields.items():
        if isinstance(field, serializers.Serializer) and not isinstance(
            field, serializers.ListSerializer
        ):
            found += [
                (f"{prefix}{name}_{column}", (name, *path))
                for column, path in columns(field.fields)
            ]
        elif lists := getattr(field, "lists", None):  # a record's links (serializers.Links)
            found += [(f"{prefix}{name}_{key}", (name, key)) for key in lists]
        else:
            found.append((f"{prefix}{name}", (name,)))
    return found


def cell(value) -> str:
    """A JSON value as CSV text: lists joined with `;`, objects in lists as JSON, text guarded."""
    if isinstance(value, str):  # the most common, first
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return _json(value)
    if isinstance(value, list):
        if all(isinstance(item, str | int | float) for item in value):
            return ";".join(str(item) for item in value)
        return _json(value)
    if isinstance(value, dict):
        return _json(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _cell(value):
    """`cell(value)`, but a value the CSV writer already writes right (no text to guard, an
    empty cell for None, a whole number) is passed as it is: most of a big export's cells."""
    kind = type(value)
    if value is None or kind is int or (kind is str and not value.startswith(FORMULA_STARTS)):
        return value
    return cell(value)


def dumps(value) -> bytes:
    """Compact UTF-8 JSON by orjson; what it does not know (a Decimal, a lazy string) and
    datetimes are converted as DRF's encoder would (a Decimal as a number, UTC as Z)."""
    return orjson.dumps(
        value, default=JSONEncoder().default, option=orjson.OPT_PASSTHROUGH_DATETIME
    )


def _json(value) -> str:
    return dumps(value).decode()


def _lookup(row: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(row, dict):
            return None
        row = row.get(key)
    return row


BLOCK = 64 * 1024  # what a stream yields at a time: a few hundred rows, not one


def csv_blocks(header: list[tuple[str, tuple]], rows: Iterable[dict], bom: bool) -> Iterator[bytes]:
    """The header line, then one RFC 4180 line per row, in blocks of about 64 KiB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    size = buffer.write(BOM if bom else "") + writer.writerow(name for name, _ in header)
    paths = [path for _, path in header]
    # Without nested objects (the common case), a row's values are read by key, quicker.
    flat = [path[0] for path in paths] if all(len(path) == 1 for path in paths) else None
    for row in rows:
        values = map(row.get, flat) if flat else (_lookup(row, path) for path in paths)
        size += writer.writerow([_cell(value) for value in values])  # the characters written
        if size >= BLOCK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            size = 0
    yield buffer.getvalue().encode()


def ndjson_blocks(rows: Iterable[dict]) -> Iterator[bytes]:
    """One JSON object per line, in blocks of about 64 KiB."""
    block = bytearray()
    for row in rows:
        block += dumps(row)
        block += b"\n"
        if len(block) >= BLOCK:
            yield bytes(block)
            block.clear()
    if block:
        yield bytes(block)


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, written by orjson: the same document, several times faster. An indented
    answer (`Accept: application/json; indent=2`) is left to DRF."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)


class CSVRenderer(renderers.BaseRenderer):
    """text/csv: every row that matches the filters, no pages (a detail is one row)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:  # no content (a DELETE's 204)
            return b""
        view = renderer_context["view"]
        header = columns(view.get_serializer().fields)
        return b"".join(csv_blocks(header, [data], view.wants_bom()))


class NDJSONRenderer(renderers.BaseRenderer):
    """application/x-ndjson: one JSON object per line, the same objects as the JSON results."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else b"".join(ndjson_blocks([data]))


class Negotiation(DefaultContentNegotiation):
    """`?format=` or a `.format` suffix a view cannot give is a 404, as the contract says, whose
    detail lists the formats it can give (DRF's own says only "Not found.").

    A request that names no format and accepts anything (most clients: no Accept, or `*/*`)
    gets the view's first renderer at once, as DRF would choose it after parsing Accept."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        if (
            not format_suffix
            and accept in ("*/*", renderers[0].media_type)
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            formats = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.NotFound(f"Unknown format {format!r}. Formats: {formats}.")
        return found
