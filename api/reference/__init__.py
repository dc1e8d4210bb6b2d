"""Loading the reference dataset: the files of fixtures/reference/ and the project's own fixtures.

Everything is read and checked in memory first; only a plan without a single error is written, in
one transaction, creating what is missing and updating what differs. Loading twice changes nothing.
"""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import transaction

from api import history

from . import governance, meetings, pages, statements, statistics, topics
from .parsing import BadValue
from .plan import Plan
from .sync import LOADER, unsourced, write

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class ReferenceDataError(Exception):
    """The files hold errors; `lines` says which, one per bad row. Nothing was written."""

    def __init__(self, lines: list[str]):
        super().__init__(f"{len(lines)} error(s) in the reference files")
        self.lines = lines


def plan(fixtures: Path = FIXTURES) -> Plan:
    """Read every file into a checked plan; its `errors` list what is wrong, one line each."""
    plan = Plan(fixtures)
    pages.pages(plan, "reference/kp-sources.csv")
    governance.participants(plan, "reference/kp-participants.csv")
    governance.participants(plan, "reference/kp-former-participants.csv")
    governance.eu_members(plan, "reference/kp-eu-members.csv")
    governance.status_periods(plan, "reference/kp-status-periods.csv")
    governance.other_entities(plan, "reference/kp-other-entities.csv")
    governance.organisations(plan, "reference/kp-organisations.csv")
    governance.people(plan, "reference/kp-people.csv")
    governance.affiliations(plan, "reference/kp-affiliations.csv")
    governance.people_without_sources(plan)
    governance.chairmanships(plan, "reference/kp-chairmanships.csv")
    labels = meetings.meetings(plan, "reference/kp-meetings.csv")
    meetings.proposals(plan, "reference/kp-proposals.csv", labels)
    meetings.positions(plan, "reference/kp-positions.csv")
    names = statements.organisation_names(plan, "statement-organisations.csv")
    statements.statements(plan, "reference/kp-statements.csv", labels, names)
    statements.statements(plan, "seed-article.csv", labels, names)
    meetings.blocs(plan, "blocs.csv")
    topics.topics(plan, "topics.csv")
    statistics.figures(plan, "reference/kp-statistics.csv")
    statistics.reports(plan, "reference/kp-statistics-reports.csv")
    plan.finish_sources(host_kinds(plan, "source-hosts.csv"))
    plan.errors += unsourced(plan)
    return plan


def load(fixtures: Path = FIXTURES) -> dict[str, Counter]:
    """Load the dataset, all or nothing; raise ReferenceDataError listing every bad row."""
    checked = plan(fixtures)
    if checked.errors:
        raise ReferenceDataError(checked.errors)
    try:
        with transaction.atomic(), history.actor(LOADER):
            return write(checked)
    except BadValue as error:
        raise ReferenceDataError([str(error)]) from error


def host_kinds(plan: Plan, filename: str) -> dict[str, str]:
    """Which hosts publish news (or datasets): the kind of a source that its URL cannot tell."""
    kinds = {}
    for row in plan.rows(filename, {"host", "kind"}):
        with plan.checking(row):
            kinds[row["host"]] = row["kind"]
    return kinds
