"""The pages beside the collections: the API root, the whole-dataset export and the OpenAPI
document (the feed of changes is api/views/changes.py)."""

import datetime
import threading

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import dataset, export, registry
from ..conditional import not_modified
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
