"""Readers for the governance files: participants, organisations, people, meetings, proposals."""

import re

from django.utils.text import slugify

from api import models as m

from . import parsing as p
from .plan import Plan, Ref

# Labels that statements use for a meeting but that do not read "year kind, city" as
# kp-meetings.csv does. None marks an event that is not a KP meeting.
MEETING_ALIASES = {
    "2021 plenary, Moscow (hybrid)": "2021 plenary, Moscow",
    "2024 intersessional and special plenary, Dubai": "2024 intersessional, Dubai",
    "KP Secretariat opening, Gaborone": None,  # the office's opening, 8 Oct 2024, not a meeting
}

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
                "organisation_id": plan.optional_ref(
                    m.Organisation, row["organisation"], "organisation"
                ),
                "participant_id": plan.optional_ref(
                    m.Participant, row["participant"], "participant"
                ),
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


def meetings(plan: Plan, filename: str) -> dict[str, str]:
    """Plan the meetings; return their labels ("2022 intersessional, Kasane") mapped to slugs."""
    columns = {"year", "kind", "city", "country_iso2", "start_date", "end_date", "date_precision"}
    columns |= {"communique_adopted", "outcome", "source_url", "publisher", "published_on"}
    labels: dict[str, str] = {}
    eu_states = {ident[1] for ident in plan.records[m.RepresentedState]}
    for row in plan.rows(filename, columns | GRADED):
        with plan.checking(row):
            year = p.year(row["year"])
            kind = p.choice(row["kind"], m.MeetingKind, "kind")
            city = row["city"]
            dates = {}
            for name in ("start_date", "end_date"):
                precision = row["date_precision"] if row[name] else ""
                dates[name], dates[f"{name}_precision"] = p.precise_date(row[name], precision, name)
            if any(day and day.year != year for day in (dates["start_date"], dates["end_date"])):
                raise p.BadValue(f"its dates do not fall in {year}")
            if (
                dates["start_date"]
                and dates["end_date"]
                and dates["end_date"] < dates["start_date"]
            ):
                raise p.BadValue("end_date is before start_date")
            country = p.alpha2(row["country_iso2"], "country_iso2") if row["country_iso2"] else None
            slug = base = f"{year}-{kind}-{slugify(city) or 'virtual'}"
            suffix = 2
            while plan.get(m.Meeting, slug):
                slug, suffix = f"{base}-{suffix}", suffix + 1
            chairmanship = plan.get(m.Chairmanship, year)
            fields = {
                "slug": slug,
                "kind": kind,
                "title": f"{year} {kind}, {city or 'virtual'}",
                "year": year,
                **dates,
                "city": city,
                "country": country,
                "host_id": _host(plan, country, eu_states),
                "chair_id": chairmanship.fields["chair_id"] if chairmanship else None,
                "outcome": row["outcome"],
                "communique_adopted": p.boolean(row["communique_adopted"], "communique_adopted"),
                **_graded(row),
            }
            published_on, precision = p.published_date(row["published_on"], "published_on")
            record = plan.add(m.Meeting, slug, fields, row.origin)
            record.link(
                "sources",
                *plan.sources(
                    p.urls(row["source_url"], "source_url"),
                    publisher=row["publisher"],
                    published_on=published_on,
                    published_on_precision=precision,
                ),
            )
            if city:
                labels[f"{year} {kind}, {city}"] = slug
    for alias, label in MEETING_ALIASES.items():
        labels[alias] = labels.get(label) if label else None
    return labels


def _host(plan: Plan, country: str | None, eu_states: set[str]) -> Ref | None:
    """The host participant: the country itself, or the EU for a member state that is not one."""
    if not country:
        return None
    if plan.get(m.Participant, country):
        return Ref(m.Participant, country)
    if country in eu_states:
        return Ref(m.Participant, "EU")
    raise p.BadValue(f"country_iso2 {country!r} is neither a participant nor an EU member state")


def _meeting(plan: Plan, labels: dict[str, str], label: str) -> Ref | None:
    if not label:
        return None
    if label not in labels:
        raise p.BadValue(f"meeting {label!r} does not name a meeting of kp-meetings.csv")
    return Ref(m.Meeting, labels[label]) if labels[label] else None


def proposals(plan: Plan, filename: str, labels: dict[str, str]) -> None:
    columns = {"slug", "title", "summary", "meeting", "tabled_on", "tabled_on_precision"}
    columns |= {"tabled_by", "tabled_by_organisations", "topics", "decision_rule", "outcome"}
    for row in plan.rows(filename, columns | GRADED | {"sources"}):
        with plan.checking(row):
            p.required(row, "slug", "title", "decision_rule", "outcome")
            fields = {
                "slug": _slug(row["slug"]),
                "title": row["title"],
                "summary": row["summary"],
                "meeting_id": _meeting(plan, labels, row["meeting"]),
                **_dates(row, "tabled_on"),
                "decision_rule": p.choice(row["decision_rule"], m.DecisionRule, "decision_rule"),
                "outcome": p.choice(row["outcome"], m.ProposalOutcome, "outcome"),
                **_graded(row),
            }
            record = plan.add(m.Proposal, fields["slug"], fields, row.origin)
            record.link(
                "tabled_by",
                *(
                    plan.ref(m.Participant, code, "tabled_by")
                    for code in p.listed(row["tabled_by"])
                ),
            )
            record.link(
                "tabled_by_organisations",
                *(
                    plan.ref(m.Organisation, slug, "tabled_by_organisations")
                    for slug in p.listed(row["tabled_by_organisations"].replace(" ", ";"))
                ),
            )
            record.link("topics", *(plan.topic(slug) for slug in p.listed(row["topics"])))
            _cite(plan, record, row)


def positions(plan: Plan, filename: str) -> None:
    columns = {"proposal", "participant", "organisation", "position"} | GRADED | {"sources"}
    for row in plan.rows(filename, columns):
        with plan.checking(row):
            if bool(row["participant"]) == bool(row["organisation"]):
                raise p.BadValue("give exactly one of participant and organisation")
            fields = {
                "proposal_id": plan.ref(m.Proposal, row["proposal"], "proposal"),
                "participant_id": plan.optional_ref(
                    m.Participant, row["participant"], "participant"
                ),
                "organisation_id": plan.optional_ref(
                    m.Organisation, row["organisation"], "organisation"
                ),
                "position": p.choice(row["position"], m.PositionKind, "position"),
                **_graded(row),
            }
            ident = (row["proposal"], row["participant"] or row["organisation"])
            _cite(plan, plan.add(m.Position, ident, fields, row.origin), row)


def blocs(plan: Plan, filename: str) -> None:
    for row in plan.rows(
        filename, {"slug", "name", "description", "members"} | GRADED | {"sources"}
    ):
        with plan.checking(row):
            p.required(row, "slug", "name")
            fields = {
                "slug": _slug(row["slug"]),
                "name": row["name"],
                "description": row["description"],
                **_graded(row),
            }
            record = plan.add(m.Bloc, fields["slug"], fields, row.origin)
            record.link(
                "members",
                *(plan.ref(m.Participant, code, "members") for code in p.listed(row["members"])),
            )
            _cite(plan, record, row)


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise p.BadValue(f"slug {value!r} must be lower-case words joined by '-'")
    return value
