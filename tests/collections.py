"""The collections the generic tests run over: read from the router here, in one place (to read
the registry instead once there is one), with what the tests know of each that it does not say."""

from dataclasses import dataclass, field

import pytest
from django.db import connection

from api import registry
from api.urls import COLLECTIONS as ROUTED
from tests.helpers import API, KASANE, RUSSIA_AGENDA

# The collections of the contract, in the order the API root lists them.
CONTRACT = ["participants", "organisations", "people", "blocs", "chairmanships", "meetings",
            "proposals", "positions", "statements", "sources", "production",
            "trade", "topics", "status-periods"]  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What the tests know of a collection's data and contract that its view does not say."""

    expand: tuple[str, ...] = ()  # every reference `?expand=` takes
    unknown: tuple[str, ...] = ()  # identifiers of no record: a 404 that names them
    malformed: tuple[str, ...] = ()  # addresses no identifier has: a 404 all the same
    other_case: tuple[tuple[str, str], ...] = ()  # an identifier as asked, and as served
    misspelt: tuple[str, ...] = ()  # parameters a user might mistype: each a 400
    graded: bool = True  # its records carry a confidence grade and a note (all but topics)
    # Queries that together list every record (a plain list leaves some out).
    everything: tuple[dict[str, str], ...] = field(default_factory=lambda: ({},))


FACTS = {
    "participants": Facts(
        expand=("blocs", "sources"),
        unknown=("XX",),
        malformed=("ZAF",),
        other_case=(("za", "ZA"), ("Eu", "EU")),
        misspelt=("stauts",),
        everything=({"status": "active,suspended,withdrawn"},),
    ),
    "organisations": Facts(
        expand=("sources",),
        unknown=("no-such-body",),
        other_case=(("IPIS", "ipis"),),
        misspelt=("observer",),
    ),
    "people": Facts(
        expand=("sources",),
        unknown=("no-such-person",),
        malformed=("hans_merket",),
        other_case=(("Hans-Merket", "hans-merket"),),
        misspelt=("organization",),
    ),
    "blocs": Facts(
        expand=("members", "sources"),
        unknown=("eastern-bloc",),
        other_case=(("WESTERN-BLOC", "western-bloc"),),
        misspelt=("members",),
    ),
    "chairmanships": Facts(
        expand=("chair", "chair_person", "vice_chair", "sources"),
        unknown=("1999",),
        misspelt=("chiar",),
    ),
    "meetings": Facts(
        expand=("host", "chair", "proposals", "statements", "sources"),
        unknown=("no-such-meeting", "2099-plenary-nowhere"),
        other_case=(("2022-Intersessional-KASANE", KASANE),),
    ),
    "proposals": Facts(
        expand=("meeting", "tabled_by", "tabled_by_organisations", "sources"),
        unknown=("no-such-proposal",),
        other_case=(("2022-Kasane-RUSSIA-Agenda-Item", RUSSIA_AGENDA),),
    ),
    "positions": Facts(
        expand=("proposal", "meeting", "participant", "organisation", "sources"),
        unknown=("999999", "0"),
        malformed=("99999999999999999999999", "us-2011"),
        misspelt=("actor", "stance"),
    ),
    "statements": Facts(
        expand=("speaker", "organisation", "participant", "meeting", "proposal", "source"),
        unknown=("999999", "0"),
        malformed=("99999999999999999999999", "not-a-number"),
        misspelt=("speeker",),
    ),
    "sources": Facts(
        unknown=("no-such-source",),
        malformed=("x" * 200, "not_a_slug!"),
        other_case=(
            (
                "JCKONLINE-Editorial-Article-Kimberley-Process-No-Longer-Works",
                "jckonline-editorial-article-kimberley-process-no-longer-works",
            ),
        ),
        misspelt=("publisher",),
    ),
    "production": Facts(
        expand=("participant", "sources"),
        unknown=("999999", "0", "123456789"),
        malformed=("99999999999999999999999", "2021-BW"),
        misspelt=("country", "flow"),  # production has no flow: trade has
        everything=({}, {"participant": "world"}),
    ),
    "trade": Facts(
        expand=("participant", "sources"),
        unknown=("999999", "0"),
        malformed=("99999999999999999999999", "2021-BW"),
        everything=({}, {"participant": "world"}),
    ),
    "topics": Facts(
        unknown=("russia", "no-such-topic"),
        malformed=("not_a_slug!",),
        other_case=(("Russia-Ukraine", "russia-ukraine"),),
        misspelt=("topic", "name"),
        graded=False,
    ),
    "status-periods": Facts(
        expand=("participant", "sources"),
        unknown=("999999", "0"),
        malformed=("99999999999999999999999", "zw-2009"),
        misspelt=("active_at", "country"),
    ),
}


@dataclass(frozen=True)
class Collection:
    """One collection of the router: its route, view and name, and the tests' facts about it."""

    name: str  # the route: /api/v1/<name>/
    viewset: type
    basename: str  # a record of it, in words: "participant", "person"

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> str:
        return f"{API}{self.name}/"

    @property
    def model(self):
        return self.viewset.queryset.model

    @property
    def lookup(self) -> str:
        """The model field a detail's address names."""
        return self.viewset.lookup_field

    @property
    def key(self) -> str:
        """The served field that holds the identifier in a record's address."""
        return "id" if self.lookup == "pk" else self.lookup

    @property
    def ordering_fields(self) -> tuple[str, ...]:
        return tuple(self.viewset.ordering_fields)

    @property
    def filters(self) -> list[str]:
        return list(self.viewset.filterset_class.base_filters)

    @property
    def facts(self) -> Facts:
        return FACTS.get(self.name, Facts())  # test_collections fails for a collection without


COLLECTIONS = [
    Collection(name, viewset, registry.BY_PREFIX[name].basename) for name, viewset in ROUTED
]
NAMES = [collection.name for collection in COLLECTIONS]
BY_NAME = {collection.name: collection for collection in COLLECTIONS}


def each(having: str | None = None):
    """Parametrize a test's `collection` over every collection (those whose facts have `having`)."""
    chosen = [c for c in COLLECTIONS if having is None or getattr(c.facts, having)]
    return pytest.mark.parametrize("collection", chosen, ids=str)


# Queries more that an expanded list reads: stands, expanded, are models whose topics and
# sources are prefetched apart; plain, PostgreSQL reads them with the rows (as arrays).
EXPANDED_APART = {"positions": 2 if connection.vendor == "postgresql" else 0}
# Lists whose plain pages are read by hand-written SQL on PostgreSQL (api/stand_queries.py): the
# version, then the page with its count; expanded, the filterset's way finds the page's keys
# first, one query more.
PAGED_BY_HAND = {"positions"} if connection.vendor == "postgresql" else set()
