"""The two bases of every view: `Collection`, composed of mixins each with one job, and
`OpenView` for the read-only pages beside the collections."""

from django.db import connections, router
from django.http import Http404
from django.utils.functional import cached_property
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import prepared
from ..conditional import ConditionalRequests
from ..editing import Editable
from ..parameters import StrictParameters
from ..renderers import CSVRenderer, JSONRenderer, NDJSONRenderer
from ..serializers.base import shaped_fields
from ..streaming import StreamedExports


class KnownMethods:
    """A method the view does not have is a 405, before any token or parameter is read; OPTIONS
    describes the view in JSON, whatever format the address or `?format=` names."""

    def initial(self, request, *args, **kwargs):
        if getattr(self, request.method.lower(), None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def options(self, request, *args, **kwargs):
        response = super().options(request, *args, **kwargs)
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return response


class OpenView(KnownMethods, APIView):
    """A read-only view beside the collections (root, export, feed): no token read, and a
    method it does not have is a 405."""

    authentication_classes = ()
    permission_classes = (AllowAny,)


class ReadOnlyCollection(
    KnownMethods,
    ConditionalRequests,
    StrictParameters,
    StreamedExports,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A collection that is read only (a vocabulary): list and detail for everyone, every
    parameter checked; a write is a 405.

    An unknown parameter is a 400 that lists the allowed ones, so that a typo never silently
    returns unfiltered data; a repeated parameter or a NUL byte is a 400 too.
    """

    renderer_classes = (JSONRenderer, CSVRenderer, NDJSONRenderer)
    # How an identifier in the URL is normalised: participant codes are upper case, slugs lower.
    lookup_case: str | None = "lower"
    # Lists served as plain values by their list serializer, from a shape built once; and
    # details too, read by the list's `read`.
    plain_values = False
    plain_details = False

    def list(self, request, *args, **kwargs):
        """JSON in pages; CSV and NDJSON stream every matching row, in constant memory."""
        if unchanged := self.not_modified():
            return unchanged
        if self.streamed():
            return self.export()
        self.check_shape()
        response = self.plain_page() or super().list(request, *args, **kwargs)
        response["ETag"] = self.etag
        return response

    def plain_page(self) -> Response | None:
        """A page of the list read its own way (a collection's fast path), or None."""
        return None

    def retrieve(self, request, *args, **kwargs):
        """A record, as answered before in this dataset version if that answer is kept.

        A detail's ETag comes from its body, so even revalidating one needs the body: kept, a
        popular record costs one query (the version) until anything changes. A list needs no
        such help: its ETag is the version itself. A detail served as plain values is one
        query too, kept or not (its references and topics read in the same row on PostgreSQL):
        it is made anew, and costs no version read, nor a copy kept."""
        if self.plain_details and self.read_in_one_query():
            self.check_shape()
            return Response(self.plain_detail())
        if remembered := self.remembered():
            return remembered
        self.check_shape()
        if self.plain_details:
            return Response(self.plain_detail())
        return super().retrieve(request, *args, **kwargs)

    def read_in_one_query(self) -> bool:
        """Whether a plain detail is one query: on PostgreSQL, its topics come in its row."""
        return connections[router.db_for_read(self.queryset.model)].vendor == "postgresql"

    def plain_detail(self) -> dict:
        """The record as its list serves it: plain values read by a query compiled once per
        shape, no model instance."""
        params = self.request.query_params
        shape = ("detail", self.basename, params.get("fields", ""), params.get("expand", ""))
        model = self.queryset.model
        field = (
            model._meta.pk
            if self.lookup_field == "pk"
            else model._meta.get_field(self.lookup_field)
        )
        value = field.to_python(self.record_id())
        rows = prepared.rows(shape, model, self.read_one, value)
        if not rows:
            raise self.not_found(self.lookup_url_kwarg or self.lookup_field)
        # Served by the list serializer's getters, without a serializer made per request.
        served = self.get_serializer_class().Meta.list_serializer_class
        return served.serve(rows, self.shape, self.request)[0]

    def read_one(self, value):
        """The query of one record's plain values, by its identifier."""
        return self.read(self.get_queryset().order_by().filter(**{self.lookup_field: value})[:1])

    @cached_property
    def shape(self) -> dict:
        """The fields this request asks for (`?fields=`, `?expand=`): a name that is not there
        is a 400. Built once per shape for the collections that serve plain values."""
        if self.plain_values:
            return shaped_fields(self.get_serializer_class(), self.request)
        return self.get_serializer().fields

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "shape" in self.__dict__:  # once checked, the list serializers serve by it
            context["shape"] = self.shape
        return context

    def check_shape(self) -> None:
        """Building the fields checks `fields=` and `expand=`, even when a list turns out empty."""
        _ = self.shape

    def filter_queryset(self, queryset):
        # Filters shape lists; a detail finds its record by identifier alone (a world total too).
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def record_id(self) -> str:
        """The identifier in the URL, normalised (participant codes upper case, slugs lower)."""
        key = self.lookup_url_kwarg or self.lookup_field
        value = self.kwargs[key]
        return getattr(value, self.lookup_case)() if self.lookup_case else value

    def get_object(self):
        key = self.lookup_url_kwarg or self.lookup_field
        self.kwargs[key] = self.record_id()
        try:
            return super().get_object()
        except Http404:
            raise self.not_found(key) from None

    def not_found(self, key: str) -> exceptions.NotFound:
        noun = self.get_queryset().model._meta.verbose_name
        name = "id" if key == "pk" else key
        return exceptions.NotFound(f"No {noun} has the {name} {self.record_id()}.")


class Collection(Editable, ReadOnlyCollection):
    """A collection: list and detail for everyone, writes for editors (api/editing.py)."""
