"""Writing: editors only, one transaction per request, If-Match against the current ETag, and
history kept for everything (see api/history.py)."""

import contextlib

from django.core.paginator import Paginator
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from . import changefeed, changes, history, registry
from . import models as m
from .conditional import check_if_match, content_etag
from .pagination import Pagination
from .problems import Conflict
from .renderers import JSONRenderer
from .serializers.history import ChangeSerializer
from .undelete import restore_last_deletion


class EntryPagination(Pagination):
    """A record's history in pages: its entries are made in Python, so paged as a list."""

    def django_paginator_class(self, entries, page_size) -> Paginator:
        return Paginator(entries, page_size)


class Editable:
    """POST, PUT, PATCH and DELETE on a collection, its history, and restoring a deleted record."""

    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return self.write_serializer_class
        return self.serializer_class

    @contextlib.contextmanager
    def writing(self):
        """One transaction per request, its changes attributed to the editor."""
        try:
            with transaction.atomic(), history.actor(f"api:{self.request.user.get_username()}"):
                yield
        except ProtectedError as error:
            names = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            raise Conflict(f"Other records still refer to this one: {', '.join(names)}.") from None
        except IntegrityError:  # a rule the checks missed, or a writer who came first
            # No database message reaches a client: it names tables and internal keys.
            raise Conflict(
                "The change conflicts with the record as it now stands (an identifier taken, "
                "or a reference that another change removed); read it again and retry."
            ) from None
        except DataError:  # a value the database cannot hold, whatever the checks missed
            reason = "A value is too large or malformed to be stored."
            raise exceptions.ValidationError({"request": [reason]}) from None

    def locked_object(self):
        """The record, locked until the transaction ends, and checked against If-Match."""
        record = self.get_object()
        if connection.vendor == "postgresql":  # SQLite's write transactions already take a lock
            type(record).objects.select_for_update().filter(pk=record.pk).exists()
            record = self.get_object()  # read again now that no one else can change it
        current = self.serializer_class(record, context=self.get_serializer_context()).data
        check_if_match(self.request, content_etag(current))
        return record

    def written(self, record, status_code: int) -> Response:
        """The record as the write made it, with the ETag for the next If-Match: read in the
        write's transaction, since a read after the commit could hold the next writer's version
        (the writer told of a version it never made, and its If-Match chain broken)."""
        fresh = self.get_queryset().get(pk=record.pk)
        data = self.serializer_class(fresh, context=self.get_serializer_context()).data
        headers = {"ETag": content_etag(data)}
        if status_code == status.HTTP_201_CREATED:
            # A source's `url` is the page it names; its address here is `api_url`.
            headers["Location"] = str(data.get("api_url") or data["url"])  # plain str, for WSGI
        return Response(data, status=status_code, headers=headers)

    def create(self, request, *args, **kwargs):
        with self.writing():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            self.check_identifier_is_new(serializer.validated_data)
            record = serializer.save()
            return self.written(record, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        _ = request.data  # a body that is not JSON is a 400 before any precondition is weighed
        with self.writing():
            record = self.locked_object()
            serializer = self.get_serializer(record, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return self.written(record, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with self.writing():
            self.locked_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def check_identifier_is_new(self, data) -> None:
        """A deleted record's identifier is never given to another record."""
        collection = self.collection()
        key = collection.key
        used = m.Change.objects.filter(collection=collection.prefix)
        if key in data and used.filter(record_id=str(data[key])).exists():
            raise Conflict(
                f"The {key} {data[key]} belonged to a deleted record: restore it from its history."
            )

    def collection(self) -> registry.Collection:
        return registry.BY_MODEL[self.get_queryset().model]

    @extend_schema(responses=ChangeSerializer(many=True))
    @action(
        detail=True,
        pagination_class=EntryPagination,
        filter_backends=[],
        renderer_classes=[JSONRenderer],
    )
    def history(self, request, *args, **kwargs):
        """Every change of the record, oldest first, its deletion included: one entry per change
        a person made, in the same form as the feed of changes."""
        rows = history.changes_of(self.get_queryset().model, self.record_id())
        entries = changes.entries(list(changefeed.grouped(rows)))
        if not entries:
            raise exceptions.NotFound("This record has no history: it never existed.")
        page = self.paginate_queryset(entries)
        for entry in page:
            entry["url"] = request.build_absolute_uri(entry["url"])
        return self.get_paginated_response(ChangeSerializer(page, many=True).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        """Bring a deleted record back as it was, with its parts, under its old identifier."""
        model = self.get_queryset().model
        with self.writing():
            record = restore_last_deletion(model, self.collection().prefix, self.record_id())
            return self.written(record, status.HTTP_201_CREATED)
