"""Behaviour every collection shares: strict query parameters, case-insensitive identifiers,
and CSV or NDJSON streamed whole instead of paged."""

import datetime
import hashlib
import itertools
from collections.abc import Iterator

from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from . import dataset
from .editing import WRITES, Editable
from .renderers import CSVRenderer, JSONRenderer, NDJSONRenderer, columns, csv_blocks, ndjson_blocks

SHAPING = {"fields", "expand", "format", "bom"}
LISTING = {"page", "page_size", "ordering"}
STREAMED = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson; charset=utf-8"}
CHUNK = 2000
# Details' JSON answers kept per dataset version (settings.CACHES); larger ones are made anew.
RESPONSES = "responses"
REMEMBERED_BYTES = 256 * 1024


def request_etag(request, dataset_key: str) -> str:
    """The ETag of an answer made from the data at `dataset_key`, by this code, to this request."""
    uri = request.build_absolute_uri()
    key = f"{dataset_key} {dataset.RELEASE} {uri} {request.accepted_media_type}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def wants_bom(request) -> bool:
    """`?bom=1` starts a CSV with a UTF-8 byte-order mark, for spreadsheets that need one."""
    value = request.query_params.get("bom", "0").lower()
    if value not in {"0", "1", "true", "false"}:
        raise exceptions.ValidationError({"bom": ["Use 1 or 0."]})
    return value in {"1", "true"}


class OpenView(APIView):
    """A read-only view beside the collections (root, export, feed): no token read, and a
    method it does not have is a 405."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def initial(self, request, *args, **kwargs):
        if getattr(self, request.method.lower(), None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class Collection(
    Editable, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A collection: list and detail for everyone, writes for editors, every parameter checked.

    An unknown parameter is a 400 that lists the allowed ones, so that a typo never silently
    returns unfiltered data; a repeated parameter or a NUL byte is a 400 too.
    """

    renderer_classes = (JSONRenderer, CSVRenderer, NDJSONRenderer)
    # Query parameters of extra actions, beside the list's filters: {"summary": {"group_by"}}.
    action_parameters: dict[str, set[str]] = {}
    # How an identifier in the URL is normalised: participant codes are upper case, slugs lower.
    lookup_case: str | None = "lower"

    def list(self, request, *args, **kwargs):
        """JSON in pages; CSV and NDJSON stream every matching row, in constant memory."""
        if unchanged := self.not_modified():
            return unchanged
        if request.accepted_renderer.format not in STREAMED:
            self.check_shape()
            response = super().list(request, *args, **kwargs)
            response["ETag"] = self.etag
            return response
        header = columns(self.get_serializer().fields)
        blocks = self.export_blocks(self.filter_queryset(self.get_queryset()), header)
        return self.attachment(blocks, self.get_queryset().model._meta.verbose_name_plural)

    def retrieve(self, request, *args, **kwargs):
        """A record, as answered before in this dataset version if that answer is kept.

        A detail's ETag comes from its body, so even revalidating one needs the body: kept, a
        popular record costs one query (the version) until anything changes. A list needs no
        such help: its ETag is the version itself."""
        self.etag = self.version_etag()  # the key of the kept answer, not its ETag
        if remembered := self.remembered():
            return remembered
        self.check_shape()
        return super().retrieve(request, *args, **kwargs)

    def remembered(self) -> HttpResponse | None:
        """The kept answer to this request, or None (and `finalize_response` keeps this one)."""
        self.remember_as = f"answer:{self.etag}"
        kept = caches[RESPONSES].get(self.remember_as)
        if kept is None:
            return None
        content, headers = kept
        self.remember_as = None
        return HttpResponse(content, headers=headers)

    def check_shape(self) -> None:
        """Building the fields checks `fields=` and `expand=`, even when a list turns out empty."""
        _ = self.get_serializer().fields

    def version_etag(self) -> str:
        """An ETag from the dataset's key (`dataset.key`), the code's release and the request:
        no change, no new answer. Lists carry it, so that revalidating one costs a single
        query."""
        self.dataset_key = dataset.key()
        return request_etag(self.request, self.dataset_key)

    def not_modified(self) -> HttpResponseNotModified | None:
        """A 304 when the client's copy is current; checked before any work is done."""
        self.etag = self.version_etag()
        if self.etag in parse_etags(self.request.headers.get("If-None-Match", "")):
            return HttpResponseNotModified(headers={"ETag": self.etag})
        return None

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
        return wants_bom(self.request)

    def initial(self, request, *args, **kwargs):
        if getattr(self, request.method.lower(), None) is None:
            # A method the view does not have is a 405, before any token or parameter is read.
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def allowed_query_parameters(self) -> set[str]:
        if self.action == "retrieve":
            return SHAPING
        if self.action == "history":
            return {"page", "page_size", "format"}
        if self.action in WRITES:
            return {"format"}
        filters = set(self.filterset_class.base_filters) if self.filterset_class else set()
        if self.action != "list":  # an extra action of the collection, such as a summary
            return filters | self.action_parameters.get(self.action, set())
        allowed = SHAPING | LISTING | filters
        if getattr(self, "search_fields", None):
            allowed.add("search")
        return allowed

    def check_query_parameters(self, request) -> None:
        allowed = self.allowed_query_parameters()
        errors = {}
        for name, values in request.query_params.lists():
            if name not in allowed:
                errors[name] = [f"Unknown parameter. Allowed: {', '.join(sorted(allowed))}."]
            elif len(values) > 1:
                errors[name] = ["Give it once; separate several values with commas."]
            elif any("\x00" in value for value in values):
                errors[name] = ["Must not contain NUL characters."]
            elif len(values[0]) > 2000:
                errors[name] = ["Is too long."]
            elif values[0] == "":
                errors[name] = ["Give a value, or leave the parameter out."]
        if errors:
            raise exceptions.ValidationError(errors)
        if "bom" in request.query_params:
            self.wants_bom()

    def filter_queryset(self, queryset):
        # Filters shape lists; a detail finds its record by identifier alone (a world total too).
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_object(self):
        key = self.lookup_url_kwarg or self.lookup_field
        if self.lookup_case:
            self.kwargs[key] = getattr(self.kwargs[key], self.lookup_case)()
        try:
            return super().get_object()
        except Http404:
            noun = self.get_queryset().model._meta.verbose_name
            name = "id" if key == "pk" else key
            raise exceptions.NotFound(f"No {noun} has the {name} {self.kwargs[key]}.") from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        if getattr(self, "remember_as", None) and response.status_code == 200:
            content = response.render().content
            if len(content) <= REMEMBERED_BYTES:
                kept = (content, dict(response.items()))
                caches[RESPONSES].set(self.remember_as, kept, timeout=None)
        return response
