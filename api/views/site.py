"""The pages beside the collections: the API root, the whole-dataset export, the feed of
changes and the OpenAPI document."""

import datetime
import threading

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.http import FileResponse, HttpResponse
from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import dataset, export, registry
from .. import models as m
from .. import serializers as s
from ..conditional import not_modified
from ..filtersets.base import MomentField
from ..parameters import whole_number
from .base import OpenView

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


class RootView(OpenView):
    """The API root: a link to every collection, and what the dataset is."""

    @extend_schema(
        responses=inline_serializer(
            "Root",
            {
                "name": serializers.CharField(),
                "api_version": serializers.CharField(help_text="Version of this API: v1."),
                "version": serializers.CharField(
                    help_text="Version of the dataset: changes whenever any record is created, "
                    "changed or deleted."
                ),
                "last_updated": serializers.DateTimeField(
                    allow_null=True, help_text="When any record last changed."
                ),
                "licence": inline_serializer(
                    "Licence", {"name": serializers.CharField(), "url": serializers.URLField()}
                ),
                "export": serializers.URLField(help_text="The whole dataset as one ZIP."),
                "docs": serializers.URLField(),
                "schema": serializers.URLField(),
                "collections": serializers.DictField(child=serializers.URLField()),
            },
        )
    )
    def get(self, request, format=None):
        updated, version = dataset.state()
        return Response(
            {
                "name": "KP Data: the Kimberley Process governance record",
                "api_version": "v1",
                "version": version,
                "last_updated": updated,
                "licence": LICENCE,
                "export": reverse("v1:export", request=request),
                "docs": reverse("docs", request=request),
                "schema": reverse("schema", request=request),
                "collections": {
                    c.prefix: reverse(f"v1:{c.basename}-list", request=request, format=format)
                    for c in registry.COLLECTIONS
                },
            }
        )


class ExportView(OpenView):
    """The whole dataset as one ZIP: a CSV per collection, datapackage.json and a README."""

    collections: tuple[tuple[str, type], ...] = ()  # (path, viewset), set by the URLconf

    @extend_schema(
        responses={(200, "application/zip"): bytes},
        description="Built once per dataset version and kept; its ETag is the dataset version.",
    )
    def get(self, request, format=None):
        if request.query_params:
            unknown = ["Unknown parameter: the export takes none."]
            raise exceptions.ValidationError(dict.fromkeys(request.query_params, unknown))
        updated, version = dataset.state()
        etag = f'"{version}"'
        if unchanged := not_modified(request, etag):
            return unchanged
        updated = updated or datetime.datetime(2002, 1, 1, tzinfo=datetime.UTC)
        response = FileResponse(
            export.open_zip(request, version, updated, self.collections),
            as_attachment=True,
            filename=f"kpdata-{version}.zip",
            content_type="application/zip",
        )
        response["ETag"] = etag
        return response


class ChangesView(OpenView):
    """The feed of every change across collections, oldest first, deletions as tombstones.

    Follow `next` to the end; poll it later for what came after. On PostgreSQL the feed holds
    back changes of transactions still running, so a late commit is never skipped.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                str,
                description="The last change you have (its `change` number), or a moment "
                "(ISO 8601): only later changes come. Default: from the start.",
            ),
            OpenApiParameter("page_size", int, description="Changes per page: 100, at most 1000."),
        ],
        responses=inline_serializer(
            "ChangeFeed",
            {
                "next": serializers.URLField(
                    allow_null=True, help_text="The following page, or null at the end."
                ),
                "poll": serializers.URLField(help_text="Where to look later for newer changes."),
                "results": s.ChangeSerializer(many=True),
            },
        ),
    )
    def get(self, request, format=None):
        unknown = set(request.query_params) - {"since", "page_size"}
        if unknown:
            allowed = ["Unknown parameter. Allowed: page_size, since."]
            raise exceptions.ValidationError(dict.fromkeys(sorted(unknown), allowed))
        size = min(whole_number(request, "page_size") or 100, 1000)
        since = request.query_params.get("since", "")
        page = list(changes_since(since)[: size + 1])
        more, page = len(page) > size, page[:size]
        cursor = str(page[-1].id) if page else since
        url = request.build_absolute_uri(reverse("v1:changes"))
        query = {"since": cursor, "page_size": size} if cursor else {"page_size": size}
        poll = f"{url}?{urlencode(query)}"
        return Response(
            {
                "next": poll if more else None,
                "poll": poll,
                "results": s.ChangeSerializer(page, many=True).data,
            }
        )


def changes_since(since: str):
    """Changes after a change number or a moment, committed ones only, in transaction order.

    Ordered by (transaction, number), a reader's place is never passed by a transaction that
    commits later: on PostgreSQL only transactions older than any still running are served.
    """
    changes = m.Change.objects.order_by("txid", "id")
    if since.isascii() and since.isdigit():
        last = m.Change.objects.filter(id=int(since)).values_list("txid", flat=True).first()
        if last is None:
            changes = changes.filter(id__gt=int(since))
        else:
            changes = changes.filter(Q(txid__gt=last) | Q(txid=last, id__gt=int(since)))
    elif since:
        try:
            moment = MomentField().clean(since)
        except forms.ValidationError:
            moment = None
        if moment is None or "\x00" in since:
            message = ["Give a change number or an ISO 8601 moment."]
            raise exceptions.ValidationError({"since": message}) from None
        changes = changes.filter(at__gte=moment)
    if connection.vendor == "postgresql":
        # Only transactions that ended: a running one could still commit an earlier number.
        xmin = RawSQL("txid_snapshot_xmin(txid_current_snapshot())", [])
        changes = changes.filter(txid__lt=xmin)
    return changes


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, built once per release of the code and kept: building it takes
    seconds of a worker's time, and nothing a request says changes it. gunicorn's master
    builds it before it starts the workers (gunicorn.conf.py), so they all have it."""

    kept: dict[str, tuple[bytes, dict]] = {}  # this process's copies, by release and media type
    building = threading.Lock()  # one build at a time in a process; the others wait for it

    @extend_schema(exclude=True)  # the document does not describe itself (SERVE_INCLUDE_SCHEMA)
    def get(self, request, *args, **kwargs):
        content, headers = self.answer(request.accepted_renderer, request.accepted_media_type)
        return HttpResponse(content, headers=headers)

    @classmethod
    def answer(cls, renderer, media_type: str) -> tuple[bytes, dict]:
        key = f"schema:{dataset.RELEASE}:{media_type}"
        kept = cls.kept.get(key)
        if kept is None:
            with cls.building:
                kept = cls.kept.get(key) or cache.get(key)  # cache: Redis's, when shared
                if kept is None:
                    kept = cls.build(renderer, media_type)
                    cache.set(key, kept, timeout=24 * 3600)
                cls.kept[key] = kept
        return kept

    @classmethod
    def build(cls, renderer, media_type: str) -> tuple[bytes, dict]:
        generator = cls.generator_class(urlconf=cls.urlconf, patterns=cls.patterns)
        content = renderer.render(generator.get_schema(request=None, public=True), media_type, {})
        filename = f"{settings.SPECTACULAR_SETTINGS['TITLE']}.{renderer.format}"
        if renderer.charset:
            media_type += f"; charset={renderer.charset}"
        return content, {
            "Content-Type": media_type,
            "Content-Disposition": f'inline; filename="{filename}"',
        }

    @classmethod
    def prepare(cls) -> None:
        """Build the document in every format it is served in."""
        for renderer in cls.renderer_classes:
            cls.answer(renderer(), renderer.media_type)
