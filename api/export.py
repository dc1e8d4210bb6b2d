"""The whole dataset as one ZIP: a CSV per collection, a Frictionless datapackage.json, a README.

A ZIP is built once per dataset version, whatever the host asked, and kept on disk, so it is
never stale and never rebuilt for nothing. Its bytes depend only on the
data: dates in it are the dataset's last change, so the same data gives the same ZIP.
"""

import datetime
import fcntl
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from rest_framework import serializers

from . import registry
from .renderers import columns, csv_blocks
from .serializers.base import Reference

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
TYPES = [
    (serializers.BooleanField, "boolean"),
    (serializers.IntegerField, "integer"),
    (serializers.DecimalField, "number"),
    (serializers.FloatField, "number"),
    (serializers.DateTimeField, "datetime"),
    (serializers.DateField, "date"),
]


def open_zip(request, version: str, updated: datetime.datetime, viewsets) -> BinaryIO:
    """The ZIP of this dataset version, open for reading; built if it is not on disk yet.

    One ZIP per version, whatever the Host a request names (its addresses are those of the
    request that had it built), one build at a time across every worker; building a version
    removes the others (a reader that has one open reads on). `viewsets` are (name, viewset) of
    every collection, as the router holds them."""
    root = Path(settings.EXPORT_ROOT)
    path = root / f"kpdata-{version}.zip"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    root.mkdir(parents=True, exist_ok=True)
    with (root / "build.lock").open("ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait, then find it built
        if not path.exists():
            with tempfile.NamedTemporaryFile(dir=root, suffix=".part", delete=False) as file:
                _write(file, request, version, updated, viewsets)
            os.replace(file.name, path)  # atomic: a reader sees no ZIP or a whole one
            for old in root.glob("kpdata-*.zip"):
                if old != path:
                    old.unlink(missing_ok=True)
        return path.open("rb")


def collections(request, viewsets):
    """(name, view) for every collection, each view set up as if it answered a plain list."""
    for prefix, viewset in viewsets:
        view = viewset(request=request, action="list", format_kwarg=None, kwargs={}, args=())
        yield prefix, view


def _write(file, request, version: str, updated: datetime.datetime, viewsets) -> None:
    resources = []
    stamp = updated.astimezone(datetime.UTC).timetuple()[:6]

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, view in collections(request, viewsets):
            # Everything: world totals and former participants too, which plain lists leave out.
            rows = view.rows(view.get_queryset())
            header = columns(view.get_serializer().fields)
            with archive.open(member(f"{name}.csv"), "w") as csv_file:
                for block in csv_blocks(header, rows, bom=False):
                    csv_file.write(block)
            resources.append(_resource(name, view))
        package = _package(request, version, updated, resources)
        archive.writestr(
            member("datapackage.json"), json.dumps(package, indent=2, ensure_ascii=False)
        )
        archive.writestr(member("README.md"), _readme(request, version, updated))


def _resource(name: str, view) -> dict:
    fields = view.get_serializer().fields
    schema = {
        "fields": [_field(column, _field_at(fields, path)) for column, path in columns(fields)],
        "missingValues": [""],
        "primaryKey": ["id" if view.lookup_field == "pk" else view.lookup_field],
    }
    foreign = [
        {
            "fields": [column],
            "reference": {"resource": target, "fields": [field.slug_field]},
        }
        for column, field in fields.items()
        if isinstance(field, Reference) and (target := _collection_of(field.brief.Meta.model))
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": (view.__doc__ or "").strip(),
        "schema": schema,
    }


def _field_at(fields, path):
    field = fields[path[0]]
    for name in path[1:]:
        if getattr(field, "lists", None):  # serializers.Links: each of its columns is a URL
            return field
        field = field.fields[name]
    return field


def _field(name: str, field) -> dict:
    described = {"name": name, "type": "string"}
    for kind, type_name in TYPES:
        if isinstance(field, kind):
            described["type"] = type_name
    if described["type"] == "boolean":
        described |= {"trueValues": ["true"], "falseValues": ["false"]}
    if described["type"] == "datetime":
        described["format"] = "any"
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        described["description"] = f"{_help(field)} Several values are joined with ;.".strip()
    elif isinstance(field, serializers.ListSerializer):
        described["description"] = f"{_help(field)} A JSON array of objects.".strip()
    elif _help(field):
        described["description"] = _help(field)
    if isinstance(field, serializers.ChoiceField):
        described["constraints"] = {"enum": list(field.choices)}
    return described


def _help(field) -> str:
    return str(field.help_text or "")


def _collection_of(model) -> str | None:
    collection = registry.BY_MODEL.get(model)
    return collection.prefix if collection else None


def _package(request, version: str, updated: datetime.datetime, resources: list[dict]) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "kp-data",
        "title": "KP Data: the Kimberley Process governance record",
        "description": (
            "Who takes part in the Kimberley Process, who chaired it, every meeting 2002-2025, "
            "proposals and who backed or blocked them, statements word for word, and production "
            "and trade statistics. Every record names the public sources behind it (sources.csv) "
            "and a confidence grade."
        ),
        "version": version,
        "created": updated.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "homepage": request.build_absolute_uri("/"),
        "licenses": [LICENCE],
        "sources": [{"title": "KP Data API", "path": request.build_absolute_uri("/api/v1/")}],
        "resources": resources,
    }


def _readme(request, version: str, updated: datetime.datetime) -> str:
    day = updated.date().isoformat()
    return f"""# KP Data: the Kimberley Process governance record

Dataset version {version}, as it stood on {day}, from {request.build_absolute_uri("/api/v1/")}.

One CSV per collection of the API, with the same columns as its JSON fields, and
`datapackage.json` (a Frictionless Data Package) describing every column, key and licence.
Lists are joined with `;`; nested objects are `parent_child` columns; lists of objects are JSON.
These files hold everything, including the KP's published world totals (production and trade
rows whose participant is empty) and the former participants now inside the EU.

## How to cite

KP Data (dataset version {version}, {day}), {request.build_absolute_uri("/")},
licensed CC BY 4.0. Every record also names its own public sources (`sources` columns, and
`sources.csv`): cite those for any fact you use. Statements carry a ready `citation`.
"""
