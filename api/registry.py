"""The collections of the API: each one's model, path, identifier and parts, in one table.

The router, the history, the reference loader, the front page, the dataset's version, the export
and the tests read this table; a new collection is one entry here (with its model, serializer,
filterset and `<Model>ViewSet`). It imports models only, so that anything may import it.
"""

from dataclasses import dataclass

from django.db import models

from . import models as m


@dataclass(frozen=True)
class Part:
    """Rows that belong to a record of a collection: their changes are that record's.

    In the reference files a part's identifier starts with its record's (a status period's with
    the participant's code), unless the part belongs to several collections.
    """

    model: type[models.Model]
    name: str  # the part's name in the history: `status_history`, `positions`
    parent: str  # the field that points to the record
    # The fields that identify a row within its record (a stand's actor): the history shows a
    # row whose other values moved as changed, not as one removed and one added.
    identity: tuple[str, ...] = ()


@dataclass(frozen=True)
class Collection:
    """A collection of the API."""

    model: type[models.Model]
    prefix: str  # its path under /api/v1/, and its name in the history and the export
    basename: str  # the router's: URL names are v1:<basename>-list and v1:<basename>-detail
    key: str  # the field that identifies a record: code, slug, year or id
    about: str  # one line on the front page
    parts: tuple[Part, ...] = ()

    @property
    def viewset_name(self) -> str:
        """The name of its ViewSet in `api.views`, by convention."""
        return f"{self.model.__name__}ViewSet"


# model, path, basename, identifier; the front page's line; parts.
COLLECTIONS = (
    Collection(m.Participant, "participants", "participant", "code",
               "States and the EU that take part, with suspensions over time",
               (Part(m.StatusPeriod, "status_history", "participant"),
                Part(m.RepresentedState, "represents", "participant"))),
    Collection(m.Organisation, "organisations", "organisation", "slug",
               "Observers, NGOs, industry bodies, media and agencies"),
    Collection(m.Person, "people", "person", "slug",
               "Chairs, delegates, researchers and journalists, with their roles",
               (Part(m.Affiliation, "affiliations", "person"),)),
    Collection(m.Bloc, "blocs", "bloc", "slug", "Informal groups of participants"),
    Collection(m.Chairmanship, "chairmanships", "chairmanship", "year",
               "Who chaired the KP each year, and the vice-chair"),
    Collection(m.Meeting, "meetings", "meeting", "slug",
               "Every plenary and intersessional meeting since 2002"),
    Collection(m.Proposal, "proposals", "proposal", "slug",
               "Decisions and proposals, with who backed and who blocked them",
               (Part(m.Position, "positions", "proposal", ("participant", "organisation")),)),
    # A stand is a collection of its own and a part of its proposal, in whose history it is kept.
    Collection(m.Position, "positions", "position", "id",
               "Every stand on a proposal, by participants and observers"),
    Collection(m.Statement, "statements", "statement", "id",
               "What was said, word for word, with a citation"),
    Collection(m.Source, "sources", "source", "slug", "The public pages every fact comes from"),
    Collection(m.Production, "production", "production", "id",
               "Rough-diamond production per participant and year",
               (Part(m.StatisticReport, "reports", "production"),)),
    Collection(m.Trade, "trade", "trade", "id",
               "Rough-diamond imports and exports per participant and year",
               (Part(m.StatisticReport, "reports", "trade"),)),
    Collection(m.Topic, "topics", "topic", "slug",
               "The topics proposals and statements are tagged with, and how many of each"),
    # A status period is a collection of its own and a part of its participant, in whose
    # history it is kept.
    Collection(m.StatusPeriod, "status-periods", "status-period", "id",
               "Every suspension and withdrawal, with its dates and sources"),
)  # fmt: skip

BY_MODEL = {collection.model: collection for collection in COLLECTIONS}
# The collections whose changes are kept under their own identifiers: all but those that are a
# part of another too (a stand's changes are its proposal's).
RECORDED = {
    c.model: c
    for c in COLLECTIONS
    if not any(p.model is c.model for o in COLLECTIONS for p in o.parts)
}
BY_PREFIX = {collection.prefix: collection for collection in COLLECTIONS}


def owners(part_model: type[models.Model]) -> list[tuple[Collection, Part]]:
    """The collections a part's rows belong to, each with the part's declaration there."""
    return [(c, part) for c in COLLECTIONS for part in c.parts if part.model is part_model]


def part_models() -> tuple[type[models.Model], ...]:
    """Every part's model once, a part of several collections after the last of them."""
    return _once(part.model for collection in COLLECTIONS for part in collection.parts)


def served_models() -> tuple[type[models.Model], ...]:
    """Every model whose rows the API serves: each collection's, then its parts' (a part of
    several collections after the last of them)."""
    return _once(
        model for c in COLLECTIONS for model in (c.model, *(part.model for part in c.parts))
    )


def _once(found) -> tuple:
    """Each item once, where it last stands."""
    return tuple(reversed(dict.fromkeys(reversed(list(found)))))
