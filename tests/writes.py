"""What the write and history tests share: for every collection a new record to POST, a reference
record to PATCH and a change to PUT; requests as a client sends them. Their editors and readers
are fixtures (conftest.py)."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

from api import history
from api import models as m
from tests.helpers import API, JCK, KASANE, RUSSIA_AGENDA, STALEMATE, Editor

GRADED = {"confidence": "single_source", "note": ""}


def send(client: Client, method: str, path: str, body=None, if_match: str | None = None):
    """A write as a client sends it: JSON, with If-Match when given."""
    headers = {"If-Match": if_match} if if_match is not None else {}
    data = json.dumps(body) if body is not None else ""
    request = getattr(client, method.lower())
    return request(path, data=data, content_type="application/json", headers=headers)


def fetch(path: str) -> tuple[dict, str]:
    """What an anonymous GET serves now, and its ETag."""
    response = Client().get(path)
    assert response.status_code == 200, response.content
    return response.json(), response["ETag"]


# Every table a write touches, and the history that triggers keep of every row written.
TABLES = [m.Participant, m.StatusPeriod, m.Organisation, m.Person, m.Affiliation, m.Bloc,
          m.Chairmanship, m.Meeting, m.Proposal, m.Position, m.Topic, m.Statement, m.Source,
          m.Production, m.Trade, m.Change]  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def position(code: str, stance: str, source: str = JCK) -> dict:
    return {"participant": code, "position": stance, **GRADED, "sources": [source]}


def names(body: dict, field: str) -> bool:
    """Whether the problem's errors name the field (or a part of it, such as positions.2.x)."""
    return any(key == field or key.startswith(f"{field}.") for key in body["errors"])


@dataclass
class Case:
    """One collection's writes: a new record, a change for PUT, a reference record to PATCH."""

    collection: str
    new: dict
    put: dict
    existing: str | Callable[[], int]  # a reference record's identifier, or how to find it
    patch: dict
    identifier: str | None = None

    def __str__(self) -> str:
        return self.collection

    @property
    def list(self) -> str:
        return f"{API}{self.collection}/"

    def existing_path(self) -> str:
        key = self.existing if isinstance(self.existing, str) else self.existing()
        return f"{self.list}{key}/"


CASES = [
    Case(
        "participants",
        new={
            "code": "XQ",
            "iso3": "XQZ",
            "name": "Testland",
            "kind": "state",
            "region": "oceania",
            "joined_on": "2024-11-01",
            "joined_on_precision": "month",
            "status_history": [
                {
                    "status": "suspended",
                    "start": "2025-03-01",
                    "start_precision": "month",
                    "end": "2025-09-15",
                    "end_precision": "day",
                    "confidence": "single_source",
                    "note": "Suspended pending a review visit.",
                    "sources": [JCK],
                }
            ],
            **GRADED,
            "sources": [JCK],
        },
        put={"region": "asia", "status_history": [], "sources": [STALEMATE, JCK]},
        existing="ZA",
        patch={"name": "Republic of South Africa"},
        identifier="code",
    ),
    Case(
        "organisations",
        new={
            "slug": "testland-diamond-watch",
            "name": "Testland Diamond Watch",
            "acronym": "TDW",
            "kind": "civil_society",
            "kp_observer": False,
            "country": "BE",
            "website": "https://example.org/tdw",
            **GRADED,
            "sources": [JCK],
        },
        put={"kind": "research", "kp_observer": True, "acronym": "", "country": None},
        existing="ipis",
        patch={"acronym": "IPIS vzw"},
        identifier="slug",
    ),
    Case(
        "people",
        new={
            "slug": "jane-tester",
            "name": "Jane Tester",
            "affiliations": [
                {
                    "organisation": "ipis",
                    "participant": None,
                    "role": "researcher",
                    "start": "2019-01-01",
                    "start_precision": "year",
                    "end": None,
                    "end_precision": None,
                    **GRADED,
                    "sources": [JCK],
                }
            ],
            **GRADED,
            "sources": [JCK],
        },
        put={
            "name": "Jane Q. Tester",
            "affiliations": [
                {
                    "organisation": None,
                    "participant": "ZA",
                    "role": "delegate",
                    "start": "2021-06-01",
                    "start_precision": "month",
                    "end": "2022-06-24",
                    "end_precision": "day",
                    "confidence": "uncertain",
                    "note": "Role inferred.",
                    "sources": [STALEMATE],
                },
            ],
        },
        existing="hans-merket",
        patch={"name": "Hans Merket (IPIS)"},
        identifier="slug",
    ),
    Case(
        "blocs",
        new={
            "slug": "testland-group",
            "name": "Testland group",
            "description": "Participants that sources say coordinate their positions.",
            "members": ["CA", "US"],
            **GRADED,
            "sources": [JCK],
        },
        put={"members": ["AU", "EU"], "description": ""},
        existing="western-bloc",
        patch={"description": "The participants that push for a wider definition."},
        identifier="slug",
    ),
    Case(
        "chairmanships",
        new={
            "year": 2002,  # the one year of the KP's that the record gives no chair
            "chair": "ZA",
            "chair_person": None,
            "vice_chair": "BW",
            **GRADED,
            "sources": [JCK],
        },
        put={"chair": "BW", "vice_chair": None, "chair_person": "hans-merket"},
        existing="2024",
        patch={"note": "Checked against the KP's own list of chairs."},
        identifier="year",
    ),
    Case(
        "meetings",
        new={
            "slug": "2026-plenary-testville",
            "kind": "plenary",
            "title": "Plenary meeting 2026, Testville",
            "year": 2026,
            "start_date": "2026-11-03",
            "start_date_precision": "day",
            "end_date": "2026-11-07",
            "end_date_precision": "day",
            "city": "Testville",
            "country": "ZA",
            "host": "ZA",
            "chair": "ZA",
            "outcome": "",
            "communique_adopted": None,
            **GRADED,
            "sources": [JCK],
        },
        put={"outcome": "A communiqué was adopted.", "communique_adopted": True, "chair": "BW"},
        existing=KASANE,
        patch={"communique_adopted": False},
        identifier="slug",
    ),
    Case(
        "proposals",
        new={
            "slug": "2031-testville-definition",
            "title": "Widen the definition of conflict diamonds",
            "summary": "",
            "meeting": KASANE,
            "tabled_on": "2022-06-01",
            "tabled_on_precision": "month",
            "tabled_by": ["CA", "US"],
            "topics": ["definition-reform"],
            "decision_rule": "consensus",
            "outcome": "pending",
            "positions": [
                {"participant": "RU", "position": "oppose", **GRADED, "sources": [JCK]},
                {"participant": "US", "position": "support", **GRADED, "sources": [JCK]},
            ],
            **GRADED,
            "sources": [JCK],
        },
        put={
            "outcome": "no_consensus",
            "tabled_by": ["EU"],
            "positions": [
                {"participant": "BY", "position": "abstain", **GRADED, "sources": [STALEMATE]},
            ],
        },
        existing=RUSSIA_AGENDA,
        patch={"outcome": "withdrawn"},
        identifier="slug",
    ),
    Case(
        "positions",
        new={
            "proposal": RUSSIA_AGENDA,
            "participant": None,
            "organisation": "ipis",
            "position": "support",
            **GRADED,
            "sources": [JCK],
        },
        put={"position": "abstain", "note": "Said it would not take a side."},
        existing=lambda: (
            m.Position.objects.get(proposal__slug=RUSSIA_AGENDA, participant__code="RU").pk
        ),
        patch={"note": "Russia's delegation said the item was political."},
    ),
    Case(
        "statements",
        new={
            "text": "The Kimberley Process no longer works.",
            "date": "2022-06-01",
            "date_precision": "month",
            "speaker": None,
            "speaker_description": "a diamond trade editor",
            "speaker_role": "",
            "organisation": "jck",
            "participant": None,
            "meeting": KASANE,
            "proposal": None,
            "topics": ["definition-reform"],
            "language": "en",
            "source": JCK,
            **GRADED,
        },
        put={"speaker": "hans-merket", "speaker_description": "", "language": "fr"},
        existing=lambda: m.Statement.objects.order_by("pk").first().pk,
        patch={"speaker_role": "researcher"},
    ),
    Case(
        "sources",
        new={
            "slug": "example-testland-report",
            "url": "https://example.org/testland-report",
            "kind": "report",
            "title": "Testland report",
            "publisher": "Example",
            "author": "A. Tester",
            "published_on": "2031-05-01",
            "published_on_precision": "month",
            **GRADED,
        },
        put={"kind": "news", "author": "", "published_on": None, "published_on_precision": None},
        existing=JCK,
        patch={"author": "Rob Bates, JCK"},
        identifier="slug",
    ),
    Case(
        "production",
        new={
            "participant": "ZA",
            "year": 2002,  # a year of the KP's before its statistics
            "carats": 1234567.5,
            "value_usd": 98765432.1,
            **GRADED,
            "sources": [JCK],
        },
        put={"carats": 7654321.25, "value_usd": None},
        existing=lambda: m.Production.objects.get(participant__code="ZA", year=2022).pk,
        patch={"carats": 1000.0},
    ),
    Case(
        "trade",
        new={
            "participant": "ZA",
            "year": 2002,  # a year of the KP's before its statistics
            "flow": "export",
            "carats": 1234567.5,
            "value_usd": 98765432.1,
            "certificates": 42,
            **GRADED,
            "sources": [JCK],
        },
        put={"flow": "import", "certificates": None},
        existing=lambda: m.Trade.objects.get(participant__code="ZA", year=2022, flow="export").pk,
        patch={"certificates": 7},
    ),
]
BY_NAME = {case.collection: case for case in CASES}


def create(client: Client, case: Case, **changes) -> dict:
    """POST the case's new record (with changes); what the API served back."""
    response = send(client, "POST", case.list, {**case.new, **changes})
    assert response.status_code == 201, response.content
    return response.json()


# For the history tests: every recorded collection's new record, and one field to PATCH on it
# (the first of its case's PATCH). A stand's history is its proposal's.
# Collections that are read only: a vocabulary, and status periods (written as a participant's
# `status_history`). Every write to them is a 405.
READ_ONLY = ("topics", "status-periods")
NEW = {
    case.collection: (case.new, next(iter(case.patch.items())))
    for case in CASES
    if case.collection != "positions"
}
KEYS = dict(history.COLLECTIONS.values())


def new_record(editor: Editor, collection: str) -> str:
    """POST the collection's record of NEW as the editor; its path."""
    body, _ = NEW[collection]
    response = editor.post(f"{API}{collection}/", body)
    assert response.status_code == 201, response.content
    return f"{API}{collection}/{response.json()[KEYS[collection]]}/"
