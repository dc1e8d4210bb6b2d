"""Undeleting a record from its history: the rows its deletion removed (its parts, and the links
other records had to it), put back as they were, under their old identifiers. (Restoring a
backup of the whole database is api/backups.py.)"""

import datetime

from django.apps import apps
from django.utils import timezone
from rest_framework import exceptions

from . import models as m
from . import registry
from .problems import Conflict


def restore_last_deletion(model, collection: str, record_id: str):
    """Replay, newest first, the deletions of the transaction that deleted the record."""
    key = registry.BY_PREFIX[collection].key
    if model.objects.filter(**{key: record_id}).exists():
        raise Conflict("The record exists: there is nothing to restore.")
    deleted = (
        m.Change.objects.filter(
            collection=collection, record_id=record_id, part="record", action="delete"
        )
        .order_by("-id")
        .first()
    )
    if deleted is None:
        raise exceptions.NotFound("This record was never deleted, or never existed.")
    models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    # The deletion is the transaction's deletes since the record was last written (a record
    # deleted, restored and deleted again in one transaction comes back once).
    written = (
        m.Change.objects.filter(collection=collection, record_id=record_id, id__lt=deleted.id)
        .exclude(action="delete")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    batch = m.Change.objects.filter(
        txid=deleted.txid, action="delete", id__lte=deleted.id, id__gt=written or 0
    )
    own = [c for c in batch if (c.collection, c.record_id) == (collection, record_id)]
    rows = {(change.table, change.old["id"]) for change in own}
    # Links other records had to these rows (a bloc's members, citations) went with them.
    links = [
        change for change in batch
        if change not in own and models[change.table]._meta.auto_created
        and any((target, value) in rows for target, value in _targets(models[change.table], change))
    ]  # fmt: skip
    for change in sorted([*own, *links], key=lambda change: -change.id):
        row_model = models[change.table]
        (row,) = row_model.objects.bulk_create([_row(row_model, change.old)])
        if hasattr(row, "created_at"):
            # An insert stamps it now (auto_now_add): the record keeps the moment it was made.
            was = _row(row_model, change.old).created_at
            row_model.objects.filter(pk=row.pk).update(created_at=was)
    return model.objects.get(**{key: record_id})


def _targets(model, change) -> list[tuple[str, object]]:
    """(table, id) of every row a link row points to."""
    return [
        (field.related_model._meta.db_table, change.old.get(field.column))
        for field in model._meta.concrete_fields
        if field.many_to_one
    ]


def _row(model, values: dict):
    fields = {}
    for field in model._meta.concrete_fields:
        value = field.to_python(values.get(field.column))
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without an offset
        fields[field.attname] = value
    return model(**fields)
