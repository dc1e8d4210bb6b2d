"""The history in the public representation: the rows the triggers keep (api/history.py) made
into one entry per change a person made (one transaction, one writer, one record), whose values
name other records by their codes and slugs, never by internal keys."""

import datetime
import itertools
import json
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse

from . import models as m
from . import registry
from .changewords import editor_names, summary, who

# Columns that are the database's bookkeeping, not the record's values.
BOOKKEEPING = {"id", "created_at", "updated_at"}


def identifier(model) -> str:
    """The field that names a record of `model` in public: its collection's key, else its slug."""
    if model in registry.BY_MODEL:
        return registry.BY_MODEL[model].key
    for name in ("code", "slug"):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return "pk"


def iso(moment: datetime.datetime) -> str:
    """A moment in ISO 8601 UTC, `Z` for its zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without an offset
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _tables() -> dict:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def _links() -> dict:
    """The link table of each many-to-many field of a served model: table -> field."""
    return {
        field.remote_field.through._meta.db_table: field
        for model in registry.served_models()
        for field in model._meta.many_to_many
    }


def _parents(model) -> set[str]:
    return {part.parent for _, part in registry.owners(model)}


def _references(model, links: dict) -> list[tuple[str, type]]:
    """(column, model) of each reference a row of `model` shows: a link row its target only."""
    field = links.get(model._meta.db_table)
    if field is not None:
        return [(field.m2m_reverse_name(), field.related_model)]
    parents = _parents(model)
    return [
        (f.column, f.related_model)
        for f in model._meta.concrete_fields
        if f.many_to_one and f.name not in parents
    ]


class Keys:
    """Internal keys of the referenced rows, resolved to their codes and slugs: one query per
    kind of record referenced, and for a record since deleted, its last row in the history."""

    def __init__(self, rows):
        tables, links = _tables(), _links()
        wanted = defaultdict(set)
        for row in rows:
            model = tables.get(row.table)
            if model is None:
                continue
            for values in (row.old, row.new):
                for column, target in _references(model, links) if values else ():
                    if values.get(column) is not None:
                        wanted[target].add(values[column])
        self.found = {}
        if not wanted:
            return
        # One query for all: the key of each referenced row, labelled with its table.
        selects = [
            target.objects.filter(pk__in=ids)
            .order_by()
            .values_list("pk", Cast(identifier(target), CharField()), Value(label))
            for label, (target, ids) in enumerate(wanted.items())
        ]
        targets = list(wanted)
        for pk, key, label in selects[0].union(*selects[1:], all=True):
            self.found[targets[label], pk] = key
        for target, ids in wanted.items():
            if missing := [pk for pk in ids if (target, pk) not in self.found]:
                self._deleted(target, missing)

    def _deleted(self, target, missing) -> None:
        """Keys of referenced records since deleted: from their last row in the history."""
        column = target._meta.get_field(identifier(target)).column
        gone = m.Change.objects.filter(table=target._meta.db_table).filter(
            Q(old__id__in=missing) | Q(new__id__in=missing)
        )
        for change in gone:
            values = change.old or change.new
            self.found[target, values["id"]] = values.get(column)

    def get(self, model, pk):
        return None if pk is None else self.found.get((model, pk))


def _value(field, raw):
    """A column's value as the API serves it: dates ISO 8601, decimals as numbers."""
    if raw is None:
        return None
    value = field.to_python(raw)
    if isinstance(value, datetime.datetime):
        return iso(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _public(model, row: dict, state, keys: Keys, skip: set[str]) -> dict:
    """One row, with its links, in public form: references as codes and slugs."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.name in skip:
            continue
        raw = row.get(field.column)
        values[field.name] = (
            keys.get(field.related_model, raw) if field.many_to_one else _value(field, raw)
        )
    for field in model._meta.many_to_many:
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        linked = state.get(field.remote_field.through._meta.db_table, {}).values()
        values[field.name] = sorted(
            (keys.get(field.related_model, link[target]) for link in linked
             if link.get(source) == row["id"]),
            key=str,
        )  # fmt: skip
    return values


def snapshot(collection: registry.Collection, state, keys: Keys) -> dict | None:
    """A record as its rows in `state` make it: its fields, links and parts; None if absent."""
    rows = state.get(collection.model._meta.db_table)
    if not rows:
        return None
    row = next(iter(rows.values()))
    record = _public(collection.model, row, state, keys, BOOKKEEPING | {collection.key})
    for part in collection.parts:
        skip = BOOKKEEPING | _parents(part.model)
        items = state.get(part.model._meta.db_table, {}).values()
        record[part.name] = sorted(
            (_public(part.model, item, state, keys, skip) for item in items), key=_canonical
        )
    return record


def _canonical(item) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def _apply(state, change: m.Change) -> None:
    rows = state[change.table]
    if change.new is None:
        rows.pop((change.old or {}).get("id"), None)
    else:
        rows[change.new.get("id")] = change.new


def diff(collection: registry.Collection, before, after) -> dict | None:
    """What one change did to a record: its fields' old and new values, the parts it added,
    changed or removed; None when it changed nothing the API serves."""
    parts = {part.name: part for part in collection.parts}
    if before is None and after is None:
        return None
    action = "create" if before is None else "delete" if after is None else "update"
    old, new = before or {}, after or {}
    fields = {
        name: {"old": old.get(name), "new": new.get(name)}
        for name in (new or old)
        if name not in parts and (action != "update" or old.get(name) != new.get(name))
    }
    touched = {}
    for name, part in parts.items():
        added, changed, removed = _part_diff(part, old.get(name, []), new.get(name, []))
        if added or changed or removed:
            touched[name] = {"added": added, "changed": changed, "removed": removed}
    if action == "update" and not fields and not touched:
        return None
    return {"action": action, "fields": fields, "parts": touched}


def _part_diff(part: registry.Part, old_items, new_items):
    def identity(item):
        return tuple(item.get(f) for f in part.identity) if part.identity else _canonical(item)

    left = defaultdict(list)
    for item in old_items:
        left[identity(item)].append(item)
    added, changed = [], []
    for item in new_items:
        if left.get(identity(item)):
            previous = left[identity(item)].pop(0)
            if previous != item:
                changed.append({"old": previous, "new": item})
        else:
            added.append(item)
    return added, changed, [item for items in left.values() for item in items]


def group_key(change) -> tuple:
    """What makes rows one change: one write of one transaction, by one writer, on one record."""
    if isinstance(change, dict):
        change = SimpleNamespace(**change)
    return change.txid, change.write, change.actor, change.collection, change.record_id


def entries(groups: list[dict]) -> list[dict]:
    """The public entries of groups of rows (see api/changefeed.py), in their order; a group
    that changed nothing the API serves gives none. A fixed number of queries: the rows of the
    records concerned, the codes and slugs they reference, and the editors' names."""
    if not groups:
        return []
    records = defaultdict(set)
    for group in groups:
        records[group["collection"]].add(group["record_id"])
    found = Q()
    for collection, ids in records.items():
        found |= Q(collection=collection, record_id__in=sorted(ids))
    rows = list(m.Change.objects.filter(found).order_by("txid", "id"))
    keys, names = Keys(rows), editor_names({group["actor"] for group in groups})
    wanted = {group_key(group): group for group in groups}
    made = {}
    rows.sort(key=lambda row: (row.collection, row.record_id, row.txid or 0, row.id))
    for name, of_record in itertools.groupby(rows, key=lambda row: (row.collection, row.record_id)):
        collection, state = registry.BY_PREFIX[name[0]], defaultdict(dict)
        for key, chunk in itertools.groupby(of_record, key=group_key):
            chunk = list(chunk)
            before = snapshot(collection, state, keys) if key in wanted else None
            for row in chunk:
                _apply(state, row)
            if key not in wanted:
                continue
            if change := diff(collection, before, snapshot(collection, state, keys)):
                # Numbered by its first row, dated by its last, whichever rows were asked for.
                when = {"change": chunk[0].id, "at": max(row.at for row in chunk)}
                made[key] = _entry({**wanted[key], **when}, collection, change, names)
    return [made[key] for key in wanted if key in made]


def _entry(group: dict, collection: registry.Collection, change: dict, names: dict) -> dict:
    by, via = who(group["actor"], names)
    record = group["record_id"]
    entry = {
        "change": group["change"],
        "at": iso(group["at"]),
        "by": by,
        "via": via,
        "collection": collection.prefix,
        "record": record,
        "url": reverse(f"v1:{collection.basename}-detail", args=[record]),
        **change,
    }
    entry["summary"] = summary(entry, collection)
    return entry
