"""Readers for the governance files: participants, organisations, people and chairmanships
(meetings, proposals and blocs are in meetings.py)."""

import re

from django.utils.text import slugify

from api import models as m

from . import parsing as p
from .plan import Plan, Ref

GRADED = {"confidence", "note"}


def _graded(row: p.Row, default: str | None = None) -> dict:
    """Confidence and note from the row; `default` for files that carry no confidence column."""
    grade = p.confidence(row["confidence"]) if default is None else default
    return {"confidence": grade, "note": row["note"]}


def _cite(plan: Plan, record, row: p.Row, column: str = "sources") -> None:
    urls = p.urls(row[column], column)
    if not urls:
        raise p.BadValue(f"{column} is empty: every record cites at least one source")
    record.link("sources", *plan.sources(urls))


def _dates(row: p.Row, *names: str) -> dict:
    fields = {}
    for name in names:
        day, precision = p.precise_date(row[name], row[f"{name}_precision"], name)
        fields[name], fields[f"{name}_precision"] = day, precision
    return fields


def participants(plan: Plan, filename: str) -> None:
    columns = {"code", "iso3", "name", "kind", "region", "joined_on", "joined_on_precision"}
    for row in plan.rows(filename, columns | GRADED | {"sources"}):
        with plan.checking(row):
            p.required(row, "code", "name")
            code = p.alpha2(row["code"], "code")
            fields = {
                "code": code,
                "iso3": p.alpha3(row["iso3"], code),
                "name": row["name"],
                "kind": p.choice(row["kind"], m.ParticipantKind, "kind"),
                "region": p.choice(row["region"], m.Region, "region"),
                **_dates(row, "joined_on"),
                **_graded(row),
            }
            _cite(plan, plan.add(m.Participant, code, fields, row.origin), row)


def eu_members(plan: Plan, filename: str) -> None:
    for row in plan.rows(filename, {"code", "name", "sources"}):
        with plan.checking(row):
            p.required(row, "code", "name")
            code = p.alpha2(row["code"], "code")
            fields = {
                "participant_id": plan.ref(m.Participant, "EU", "participant"),
                "code": code,
                "name": row["name"],
                # The list is the EU's own (europa.eu), which the fact sheet tags [V].
                "confidence": m.Confidence.VERIFIED,
                "note": "",
            }
            _cite(plan, plan.add(m.RepresentedState, ("EU", code), fields, row.origin), row)


def status_periods(plan: Plan, filename: str) -> None:
    columns = {"participant", "status", "start", "start_precision", "end", "end_precision"}
    for row in plan.rows(filename, columns | GRADED | {"sources"}):
        with plan.checking(row):
            p.required(row, "participant", "status", "start")
            fields = {
                "participant_id": plan.ref(m.Participant, row["participant"], "participant"),
                "status": p.choice(row["status"], m.ParticipantStatus, "status"),
                **_dates(row, "start", "end"),
                **_graded(row),
            }
            if fields["end"] and fields["end"] < fields["start"]:
                raise p.BadValue(f"end {fields['end']} is before start {fields['start']}")
            ident = (row["participant"], fields["status"], fields["start"])
            _cite(plan, plan.add(m.StatusPeriod, ident, fields, row.origin), row)


def other_entities(plan: Plan, filename: str) -> None:
    """Chinese Taipei: listed by the KP apart from the 60, so an organisation, not a participant."""
    for row in plan.rows(filename, {"code", "name"} | GRADED | {"sources"}):
        with plan.checking(row):
            p.required(row, "code", "name")
            fields = {
                "slug": slugify(row["name"]),
                "name": row["name"],
                "acronym": "",
                "kind": m.OrganisationKind.GOVERNMENT,
                "kp_observer": False,
                "country": p.alpha2(row["code"], "code"),
                "website": "",
                **_graded(row),
            }
            _cite(plan, plan.add(m.Organisation, fields["slug"], fields, row.origin), row)


def organisations(plan: Plan, filename: str) -> None:
    columns = {"slug", "name", "acronym", "kind", "kp_observer", "country", "website", "note"}
    for row in plan.rows(filename, columns | {"sources"}):
        with plan.checking(row):
            p.required(row, "slug", "name", "kp_observer")
            website = row["website"]
            if website:
                p.urls(website, "website")
            fields = {
                "slug": _slug(row["slug"]),
                "name": row["name"],
                "acronym": row["acronym"],
                "kind": p.choice(row["kind"], m.OrganisationKind, "kind"),
                "kp_observer": p.boolean(row["kp_observer"], "kp_observer"),
                "country": p.alpha2(row["country"], "country") if row["country"] else None,
                "website": website,
                # The file grades nothing: single_source claims no corroboration.
                **_graded(row, default=m.Confidence.SINGLE_SOURCE),
            }
            _cite(plan, plan.add(m.Organisation, fields["slug"], fields, row.origin), row)


def people(plan: Plan, filename: str) -> None:
    for row in plan.rows(filename, {"slug", "name", "note", "sources"}):
        with plan.checking(row):
            p.required(row, "slug", "name")
            fields = {
                "slug": _slug(row["slug"]),
                "name": row["name"],
                **_graded(row, default=m.Confidence.SINGLE_SOURCE),
            }
            record = plan.add(m.Person, fields["slug"], fields, row.origin)
            # Five people carry no URL of their own; their affiliations' sources back them.
            record.link("sources", *plan.sources(p.urls(row["sources"])))


def affiliations(plan: Plan, filename: str) -> None:
    columns = {"person", "organisation", "participant", "role", "start", "start_precision"}
    columns |= {"end", "end_precision", "note", "sources"}
    for row in plan.rows(filename, columns):
        with plan.checking(row):
            p.required(row, "person")
            if not row["organisation"] and not row["participant"]:
                raise p.BadValue("names neither an organisation nor a participant")
            fields = {
                "person_id": plan.ref(m.Person, row["person"], "person"),
                **plan.actors(row),
                "role": row["role"],
                **_dates(row, "start", "end"),
                **_graded(row, default=m.Confidence.SINGLE_SOURCE),
            }
            if fields["start"] and fields["end"] and fields["end"] < fields["start"]:
                raise p.BadValue(f"end {fields['end']} is before start {fields['start']}")
            ident = (
                row["person"],
                row["organisation"],
                row["participant"],
                row["role"],
                fields["start"],
            )
            _cite(plan, plan.add(m.Affiliation, ident, fields, row.origin), row)


def people_without_sources(plan: Plan) -> None:
    """A person whose row gives no URL is backed by the sources of their affiliations."""
    for person in plan.records[m.Person].values():
        if not person.m2m.get("sources"):
            for affiliation in plan.records[m.Affiliation].values():
                if affiliation.fields["person_id"] == Ref(m.Person, person.ident):
                    person.link("sources", *affiliation.m2m["sources"])


def chairmanships(plan: Plan, filename: str) -> None:
    columns = {"year", "chair", "chair_person", "vice_chair"} | GRADED | {"sources"}
    for row in plan.rows(filename, columns):
        with plan.checking(row):
            fields = {
                "year": p.year(row["year"]),
                "chair_id": plan.optional_ref(m.Participant, row["chair"], "chair"),
                "chair_person_id": plan.optional_ref(m.Person, row["chair_person"], "chair_person"),
                "vice_chair_id": plan.optional_ref(m.Participant, row["vice_chair"], "vice_chair"),
                **_graded(row),
            }
            _cite(plan, plan.add(m.Chairmanship, fields["year"], fields, row.origin), row)


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise p.BadValue(f"slug {value!r} must be lower-case words joined by '-'")
    return value
