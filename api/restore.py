"""Restoring a deleted record from its history: the rows its deletion removed, put back as they
were, under their old identifiers."""

import datetime

from django.apps import apps
from django.utils import timezone
from rest_framework import exceptions

from . import models as m


def restore_last_deletion(model, collection: str, record_id: str):
    """Replay, newest first, the deletions that removed the record and its parts."""
    from .editing import Conflict

    key = _key(collection)
    if model.objects.filter(**{key: record_id}).exists():
        raise Conflict("The record exists: there is nothing to restore.")
    changes = list(
        m.Change.objects.filter(collection=collection, record_id=record_id).order_by("-id")
    )
    deletion = []
    for change in changes:
        if change.action != "delete":
            break
        deletion.append(change)
    if not any(change.part == "record" for change in deletion):
        raise exceptions.NotFound("This record was never deleted, or never existed.")
    models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    for change in deletion:  # newest first: the record before its parts, parts before links
        row_model = models[change.table]
        row_model.objects.bulk_create([_row(row_model, change.old)])
    return model.objects.get(**{key: record_id})


def _key(collection: str) -> str:
    from .history import COLLECTIONS

    return next(key for name, key in COLLECTIONS.values() if name == collection)


def _row(model, values: dict):
    fields = {}
    for field in model._meta.concrete_fields:
        value = field.to_python(values.get(field.column))
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without an offset
        fields[field.attname] = value
    return model(**fields)
