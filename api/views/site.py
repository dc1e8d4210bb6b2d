"""The pages beside the collections: the API root and the whole-dataset export (the feed of
changes is api/views/changes.py)."""

import datetime

from django.http import FileResponse
from drf_spectacular.utils import extend_schema, inline_serializer
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
        path = export.zip_path(request, version, updated, self.collections)
        response = FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"kpdata-{version}.zip",
            content_type="application/zip",
        )
        response["ETag"] = etag
        return response
