"""Which changes the feed and a record's history serve: the history's rows grouped into changes
(api/changes.py makes them public), after a change number or a moment, of one record, or about
a topic or a participant."""

import datetime

from django.db import connection
from django.db.models import CharField, Max, Min, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from . import models as m
from . import registry

# The feed's collections: a stand's changes are its proposal's (registry.RECORDED).
COLLECTIONS = {c.prefix: c for c in registry.RECORDED.values()}


def grouped(rows):
    """One row per change a person made: the rows of one write (one transaction but in tests),
    by one writer, on one record; numbered by its first row, in the order of transactions."""
    return (
        rows.values("txid", "write", "actor", "collection", "record_id")
        .annotate(change=Min("id"), at=Max("at"))
        .order_by("txid", "change")
    )


def committed():
    """The history's rows of transactions that ended: on PostgreSQL a running one could still
    commit an earlier number, so only those older than any still running are served."""
    rows = m.Change.objects.all()
    if connection.vendor == "postgresql":
        rows = rows.filter(txid__lt=RawSQL("txid_snapshot_xmin(txid_current_snapshot())", []))
    return rows


def after_change(rows, number: int):
    """Changes after change `number`: later transactions, and the later changes of its own."""
    groups = grouped(rows)
    last = m.Change.objects.filter(id=number).values_list("txid", flat=True).first()
    if last is None:
        return groups.filter(change__gt=number)
    return grouped(rows.filter(txid__gte=last)).filter(
        Q(txid__gt=last) | Q(txid=last, change__gt=number)
    )


def after_moment(rows, moment: datetime.datetime):
    """Changes made at or after `moment` (a day: from its first moment, UTC)."""
    return grouped(rows).filter(at__gte=moment)


def about(rows, model, ids) -> object:
    """Rows of the records about these participants or topics: themselves, and the records
    that refer to them, directly or through a part (a proposal through its stands)."""
    found = Q()
    for collection in COLLECTIONS.values():
        paths = _paths(collection, model)
        keys = collection.model.objects.none()
        if paths:
            refers = Q()
            for path in paths:
                refers |= Q(**{f"{path}__in": ids})
            keys = collection.model.objects.filter(refers)
        if collection.model is model:
            keys = collection.model.objects.filter(Q(pk__in=ids) | Q(pk__in=keys.values("pk")))
        if paths or collection.model is model:
            text = keys.annotate(_key=Cast(collection.key, CharField())).values("_key")
            found |= Q(collection=collection.prefix, record_id__in=text)
    return rows.filter(found)


def _paths(collection: registry.Collection, model) -> list[str]:
    """The lookups by which a record of `collection` refers to a record of `model`."""
    paths = [_refers(collection.model, model, "")]
    for part in collection.parts:
        link = part.model._meta.get_field(part.parent).related_query_name()
        paths.append(_refers(part.model, model, f"{link}__"))
    return [path for found in paths for path in found]


def _refers(of, model, prefix: str) -> list[str]:
    return [
        f"{prefix}{field.name}"
        for field in [*of._meta.concrete_fields, *of._meta.many_to_many]
        if field.is_relation and field.related_model is model
    ]


def of_record(collection: str, record_id: str):
    """The rows of one record of the feed's collections."""
    return m.Change.objects.filter(collection=collection, record_id=record_id)
