"""Streamed exports: a list as CSV or NDJSON, every matching row, in constant memory."""

import datetime
import itertools
from collections.abc import Iterator

from django.db import transaction
from django.http import StreamingHttpResponse
from rest_framework import exceptions
from rest_framework.reverse import reverse

from . import parameters, registry
from .renderers import columns, csv_blocks, ndjson_blocks

STREAMED = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson; charset=utf-8"}
CHUNK = 2000
# `?expand=` builds every row in Python, tens of times slower than a plain export: a streamed
# export with it holds at most this many rows (README); the ZIP has everything, joined by keys.
EXPANDED_ROWS = 10_000


class StreamedExports:
    """For CSV and NDJSON, the filtered queryset streamed whole instead of paginated: the same
    serializer fields, in the same order, a chunk of rows at a time."""

    def streamed(self) -> bool:
        """Whether this request asked for a streamed format."""
        return self.request.accepted_renderer.format in STREAMED

    def export(self) -> StreamingHttpResponse:
        """The list's every row, filtered and ordered, as an attachment."""
        header = columns(self.get_serializer().fields)
        queryset = self.filter_queryset(self.get_queryset())
        if "expand" in self.request.query_params and queryset.count() > EXPANDED_ROWS:
            zip_url = reverse("v1:export", request=self.request)
            message = (
                f"An export with expand holds at most {EXPANDED_ROWS:,} rows. Drop expand (the "
                f"identifiers join to the other collections), narrow the filters, or download "
                f"the whole dataset, every collection a CSV, as one ZIP: {zip_url}"
            )
            raise exceptions.ValidationError({"expand": [message]})
        blocks = self.export_blocks(queryset, header)
        return self.attachment(blocks, registry.BY_MODEL[self.get_queryset().model].prefix)

    def table(self, header, rows, name: str) -> StreamingHttpResponse:
        """Rows as a streamed CSV or NDJSON attachment named after the collection and the day."""
        return self.attachment(self.blocks(header, rows), name)

    def blocks(self, header, rows) -> Iterator[bytes]:
        if self.request.accepted_renderer.format == "csv":
            return csv_blocks(header, rows, self.wants_bom())
        return ndjson_blocks(rows)

    def export_blocks(self, queryset, header) -> Iterator[bytes]:
        """Every row of a list as CSV or NDJSON blocks; a collection may write them its own way."""
        return self.blocks(header, self.rows(queryset))

    def attachment(self, blocks, name: str) -> StreamingHttpResponse:
        format = self.request.accepted_renderer.format
        response = StreamingHttpResponse(blocks, STREAMED[format])
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{datetime.date.today():%Y-%m-%d}.{format}"'
        )
        response["ETag"] = self.etag
        return response

    def read(self, queryset):
        """How a list reads its rows: model instances here; a collection may read plain values
        instead, that its list serializer turns into the same JSON."""
        return queryset

    def rows(self, queryset):
        """Serialised rows, a chunk at a time, each chunk with its related records prefetched.

        In a transaction: outside one, PostgreSQL would copy the whole result aside (a cursor
        WITH HOLD) before sending the first row."""
        with transaction.atomic(using=queryset.db):
            records = self.read(queryset).iterator(chunk_size=CHUNK)
            while chunk := list(itertools.islice(records, CHUNK)):
                yield from self.get_serializer(chunk, many=True).data

    def wants_bom(self) -> bool:
        return parameters.wants_bom(self.request)
