"""Writing a checked plan: create what is missing, update what differs, touch nothing else."""

from collections import Counter
from collections.abc import Hashable

from django.db import DatabaseError, models
from django.db.models import Q

from api import models as m
from api import registry

from .parsing import BadValue
from .plan import Plan, Record, Ref

# Models in the order they can be written, with the fields that find a record already stored.
ORDER: list[tuple[type[models.Model], tuple[str, ...]]] = [
    (m.Source, ("url",)),
    (m.Topic, ("slug",)),
    (m.Participant, ("code",)),
    (m.RepresentedState, ("participant_id", "code")),
    (m.StatusPeriod, ("participant_id", "status", "start")),
    (m.Organisation, ("slug",)),
    (m.Person, ("slug",)),
    (m.Affiliation, ("person_id", "organisation_id", "participant_id", "role", "start")),
    (m.Bloc, ("slug",)),
    (m.Chairmanship, ("year",)),
    (m.Meeting, ("slug",)),
    (m.Proposal, ("slug",)),
    (m.Position, ("proposal_id", "participant_id", "organisation_id")),
    (m.Statement, ("source_id", "text")),
    (m.Production, ("participant_id", "year")),
    (m.Trade, ("participant_id", "year", "flow")),
    (m.StatisticReport, ("production_id", "trade_id", "source_id")),
]

LOADER = "command:load_reference"

# Identifiers are immutable: a stored source keeps its slug even if the rule that made it changes.
CREATE_ONLY = {"slug"}


# Rows that belong to a record of one other collection, whose identifier starts theirs.
OWNERS = {
    model: owners[0][0].prefix
    for model in registry.part_models()
    if len(owners := registry.owners(model)) == 1
}


def write(plan: Plan) -> dict[str, Counter]:
    """Write every planned record; return how many were created, updated and left unchanged.

    A record an editor has changed or deleted is kept as the editor left it: the files seed the
    record, they never overwrite its editors.
    """
    edited = _edited()
    pks: dict[type, dict[Hashable, int]] = {}
    summary: dict[str, Counter] = {}
    for model, key in ORDER:
        pks[model], summary[model._meta.verbose_name_plural] = _sync(
            model, key, plan.records[model].values(), pks, edited
        )
        if model in OWNERS:
            summary[model._meta.verbose_name_plural]["removed"] = _prune(model, pks[model], edited)
    return summary


def _prune(model, kept: dict[Hashable, int], edited) -> int:
    """Delete the parts this loader wrote that the files no longer list (a status period whose
    start a newer file gives by month), unless an editor changed the record they belong to."""
    loaded = m.Change.objects.filter(
        table=model._meta.db_table, action="insert", actor=LOADER
    ).values_list("new", flat=True)
    loaded_ids = {row["id"] for row in loaded}
    stale = [
        obj.pk
        for obj in model.objects.filter(pk__in=loaded_ids - set(kept.values()))
        if _owner_of_stored(model, obj) not in edited
    ]
    model.objects.filter(pk__in=stale).delete()
    return len(stale)


def _owner_of_stored(model, obj) -> tuple[str, str]:
    (collection, part), *_ = registry.owners(model)
    parent = getattr(obj, part.parent)
    return collection.prefix, str(getattr(parent, collection.key))


def _edited() -> set[tuple[str, str]]:
    """(collection, record id) of every record an editor changed or deleted."""
    changes = m.Change.objects.filter(Q(actor__startswith="api:") | Q(actor__startswith="admin:"))
    return set(changes.values_list("collection", "record_id").distinct())


def _owner(model, record: Record, stored) -> tuple[str, str] | None:
    """The (collection, record id) a row belongs to: from the files, or its stored id."""
    if collection := registry.RECORDED.get(model):
        if collection.key in record.fields:
            return collection.prefix, str(record.fields[collection.key])
        return (collection.prefix, str(stored.pk)) if stored is not None else None
    if model in OWNERS:
        return OWNERS[model], str(record.ident[0])
    return None


def _sync(model, key, records, pks, edited) -> tuple[dict[Hashable, int], Counter]:
    stored = {tuple(getattr(obj, name) for name in key): obj for obj in model.objects.all()}
    links = {field.name: _links(model, field.name) for field in model._meta.many_to_many}
    deleted = _deleted_by_editors(model, key)
    ids, counts = {}, Counter()
    for record in records:
        try:
            fields = {name: _resolve(value, pks) for name, value in record.fields.items()}
        except KeyError:  # it belongs to a record an editor deleted, which stays deleted
            counts["kept as edited"] += 1
            continue
        natural = tuple(fields[name] for name in key)
        obj = stored.get(natural)
        if _owner(model, record, obj) in edited or (obj is None and natural in deleted):
            counts["kept as edited"] += 1
            if obj is not None:
                ids[record.ident] = obj.pk
            continue
        wanted = {name: {_resolve(ref, pks) for ref in refs} for name, refs in record.m2m.items()}
        try:
            if obj is None:
                obj = model.objects.create(**fields)
                stale = [name for name, targets in wanted.items() if targets]
                counts["created"] += 1
            else:
                differing = [
                    name
                    for name, value in fields.items()
                    if name not in CREATE_ONLY and getattr(obj, name) != value
                ]
                stale = [name for name in wanted if wanted[name] != links[name].get(obj.pk, set())]
                for name in differing:
                    setattr(obj, name, fields[name])
                if differing or stale:
                    obj.save()  # also moves updated_at, so clients see the change
                counts["updated" if differing or stale else "unchanged"] += 1
            for name in stale:
                getattr(obj, name).set(wanted[name])
        except DatabaseError as error:
            raise BadValue(f"{record.origin}: the database refused it: {error}") from error
        ids[record.ident] = obj.pk
    return ids, counts


def _deleted_by_editors(model, key) -> set[tuple]:
    """Natural keys of the rows of this table that an editor deleted."""
    changes = m.Change.objects.filter(
        Q(actor__startswith="api:") | Q(actor__startswith="admin:"),
        table=model._meta.db_table,
        action="delete",
    )
    columns = [model._meta.get_field(name.removesuffix("_id")).column for name in key]
    return {tuple(change.old.get(column) for column in columns) for change in changes}


def _resolve(value, pks):
    return pks[value.model][value.ident] if isinstance(value, Ref) else value


def _links(model, name: str) -> dict[int, set[int]]:
    """Every stored link of a many-to-many field, in one query."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links: dict[int, set[int]] = {}
    for owner, other in through.objects.values_list(f"{source}_id", f"{target}_id"):
        links.setdefault(owner, set()).add(other)
    return links


def unsourced(plan: Plan) -> list[str]:
    """Records that would be served without any source: a promise the dataset never breaks."""
    problems = []
    for model, records in plan.records.items():
        if issubclass(model, m.base.SourcedModel):
            problems += [
                f"{record.origin}: {model._meta.verbose_name} {record.ident!r} has no source"
                for record in records.values()
                if not record.m2m.get("sources")
            ]
    return problems
