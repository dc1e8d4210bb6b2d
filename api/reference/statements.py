"""Readers for statements: the words, their speakers and organisations, and the sources to cite."""

import re

from django.utils.text import slugify

from api import models as m

from . import parsing as p
from .governance import _slug
from .meetings import _meeting
from .plan import Plan, Ref

STATEMENT_COLUMNS = {
    "text", "speaker", "speaker_description", "speaker_role", "organisation", "participant",
    "said_on", "said_on_precision", "meeting", "topics", "language", "source_url", "source_title",
    "publisher", "author", "published_on", "confidence", "note",
}  # fmt: skip


def organisation_names(plan: Plan, filename: str) -> dict[str, str | None]:
    """How statements name organisations, mapped to organisation slugs (None: the participant).

    A name that is not yet an organisation becomes one, backed by the statements that name it.
    """
    names: dict[str, str | None] = {}
    for row in plan.rows(filename, {"organisation", "slug", "name", "kind", "country", "note"}):
        with plan.checking(row):
            p.required(row, "organisation")
            slug = _slug(row["slug"]) if row["slug"] else None
            if slug and row["name"] and not plan.get(m.Organisation, slug):
                fields = {
                    "slug": slug,
                    "name": row["name"],
                    "acronym": "",
                    "kind": p.choice(row["kind"], m.OrganisationKind, "kind"),
                    "kp_observer": False,
                    "country": p.alpha2(row["country"], "country") if row["country"] else None,
                    "website": "",
                    "confidence": m.Confidence.SINGLE_SOURCE,
                    "note": row["note"],
                }
                plan.add(m.Organisation, slug, fields, row.origin)
                plan.derived.add((m.Organisation, slug))
            elif slug:
                plan.ref(m.Organisation, slug, "slug")
            names[row["organisation"]] = slug
    return names


def statements(
    plan: Plan, filename: str, labels: dict[str, str], names: dict[str, str | None]
) -> None:
    for row in plan.rows(filename, STATEMENT_COLUMNS):
        with plan.checking(row):
            p.required(row, "text", "source_url", "language")
            if not row["speaker"] and not row["speaker_description"]:
                raise p.BadValue("names neither a speaker nor a speaker_description")
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", row["language"]):
                raise p.BadValue(
                    f"language {row['language']!r} is not a BCP 47 tag such as en or fr"
                )
            if row["organisation"] and row["organisation"] not in names:
                raise p.BadValue(
                    f"organisation {row['organisation']!r} is not in statement-organisations.csv"
                )
            source = plan.cited_source(row, title=row["source_title"], author=row["author"])
            organisation = names.get(row["organisation"])
            said_on, said_on_precision = p.precise_date(
                row["said_on"], row["said_on_precision"], "said_on"
            )
            fields = {
                "text": row["text"],
                "date": said_on,
                "date_precision": said_on_precision,
                "speaker_id": _speaker(plan, row, source),
                "speaker_description": row["speaker_description"],
                "speaker_role": row["speaker_role"],
                "organisation_id": Ref(m.Organisation, organisation) if organisation else None,
                "participant_id": plan.optional_ref(
                    m.Participant, row["participant"], "participant"
                ),
                "meeting_id": _meeting(plan, labels, row["meeting"]),
                "proposal_id": plan.optional_ref(m.Proposal, row["proposal"], "proposal"),
                "language": row["language"],
                "source_id": source,
                "confidence": p.confidence(row["confidence"]),
                "note": row["note"],
            }
            record = plan.add(m.Statement, (row["source_url"], row["text"]), fields, row.origin)
            record.link("topics", *(plan.topic(slug) for slug in p.listed(row["topics"])))
            if (m.Organisation, organisation) in plan.derived:
                plan.get(m.Organisation, organisation).link("sources", source)
            _affiliation(plan, row, fields, source)


def _speaker(plan: Plan, row: p.Row, source: Ref) -> Ref | None:
    """The speaker's person record, found by name ("Michel Yoboue" is michel-yoboue) or created."""
    if not row["speaker"]:
        return None
    slug = slugify(row["speaker"])
    person = plan.get(m.Person, slug)
    if person is None:
        fields = {
            "slug": slug,
            "name": row["speaker"],
            "confidence": m.Confidence.SINGLE_SOURCE,
            "note": "Named as a speaker in the statements; roles as sources give them are in "
            "the affiliations.",
        }
        person = plan.add(m.Person, slug, fields, row.origin)
        plan.derived.add((m.Person, slug))
    if (m.Person, slug) in plan.derived:
        person.link("sources", source)
    return Ref(m.Person, slug)


def _affiliation(plan: Plan, row: p.Row, statement: dict, source: Ref) -> None:
    """Record the speaker's role with their organisation or government, as the source gives it.

    An affiliation the files already hold (same person, organisation, participant and role,
    no start date) is only backed by one more source.
    """
    person, organisation = statement["speaker_id"], statement["organisation_id"]
    participant = statement["participant_id"]
    if person is None or (organisation is None and participant is None):
        return
    ident = (
        person.ident,
        organisation.ident if organisation else "",
        participant.ident if participant else "",
        row["speaker_role"],
        None,
    )
    record = plan.get(m.Affiliation, ident)
    if record is None:
        said = f" on {row['said_on']}" if row["said_on"] else ""
        fields = {
            "person_id": person,
            "organisation_id": organisation,
            "participant_id": participant,
            "role": row["speaker_role"],
            "start": None,
            "start_precision": None,
            "end": None,
            "end_precision": None,
            "confidence": m.Confidence.SINGLE_SOURCE,
            "note": f"The role as the source of a statement{said} gives it; tenure not stated.",
        }
        record = plan.add(m.Affiliation, ident, fields, row.origin)
    record.link("sources", source)
