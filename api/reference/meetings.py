"""Readers for the governance files: meetings, proposals, positions and blocs."""

from django.utils.text import slugify

from api import models as m

from . import parsing as p
from .governance import GRADED, _cite, _dates, _graded, _slug
from .plan import Plan, Ref

# Labels that statements use for a meeting but that do not read "year kind, city" as
# kp-meetings.csv does. None marks an event that is not a KP meeting.
MEETING_ALIASES = {
    "2021 plenary, Moscow (hybrid)": "2021 plenary, Moscow",
    "2024 intersessional and special plenary, Dubai": "2024 intersessional, Dubai",
    "KP Secretariat opening, Gaborone": None,  # the office's opening, 8 Oct 2024, not a meeting
}


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
                **plan.actors(row),
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
