"""CSV and NDJSON: the same fields as the JSON, one row per record, written as a stream."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rest_framework import renderers, serializers
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
        else:
            found.append((f"{prefix}{name}", (name,)))
    return found


def cell(value) -> str:
    """A JSON value as CSV text: lists joined with `;`, objects in lists as JSON, text guarded."""
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


def _json(value) -> str:
    """Compact JSON, as DRF writes it (a Decimal as a number)."""
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _lookup(row: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(row, dict):
            return None
        row = row.get(key)
    return row


def csv_lines(header: list[tuple[str, tuple]], rows: Iterable[dict], bom: bool) -> Iterator[str]:
    """The header line, then one RFC 4180 line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield (BOM if bom else "") + line(name for name, _ in header)
    for row in rows:
        yield line(cell(_lookup(row, path)) for _, path in header)


def ndjson_lines(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield _json(row) + "\n"


class CSVRenderer(renderers.BaseRenderer):
    """text/csv: every row that matches the filters, no pages (a detail is one row)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = renderer_context["view"]
        header = columns(view.get_serializer().fields)
        bom = view.wants_bom()
        return "".join(csv_lines(header, [data], bom)).encode()


class NDJSONRenderer(renderers.BaseRenderer):
    """application/x-ndjson: one JSON object per line, the same objects as the JSON results."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return "".join(ndjson_lines([data])).encode()
