"""Stands chosen by hand-written SQL on PostgreSQL, for the plain reads of the positions list, an
actor's record and agreement: no filterset form, no query compiled per request.

A request is plain when every filter it gives is one named here and every value is good (codes
and slugs that exist, years, stands). Anything else (a typo, an unknown code, `bloc`, `ordering`,
`expand`, another database) makes `choose` return None, and the view answers as before, with
its filterset and its errors. The rows are the dicts `PositionListSerializer.read` makes, so the
same getters serve them; tests hold each answer equal to the filterset's, byte for byte.
"""

from dataclasses import dataclass, field

from django.db import connections, router

from . import models as m
from .stands import Stand

KINDS = frozenset(m.PositionKind.values)
MOST = 100  # codes or slugs in one filter, as the filterset allows

# Each identifier filter: its table, key, how a value is written there, and the condition on a
# stand (`x`, its proposal `pr`) that the records' ids (`%s`) make.
IDENTIFIERS = {
    "participant": ("api_participant", "code", str.upper, "x.participant_id = ANY(%s)"),
    "organisation": ("api_organisation", "slug", str.lower, "x.organisation_id = ANY(%s)"),
    "proposal": ("api_proposal", "slug", str.lower, "x.proposal_id = ANY(%s)"),
    "meeting": ("api_meeting", "slug", str.lower, "pr.meeting_id = ANY(%s)"),
    "topic": ("api_topic", "slug", str.lower,
              "x.proposal_id IN (SELECT proposal_id FROM api_proposal_topics "
              "WHERE topic_id = ANY(%s))"),
}  # fmt: skip
# The years of the proposals (`?year_after=`, `?year_before=`), as `tabled_on__year` compares.
YEARS = {"year_after": "pr.tabled_on >= make_date(%s, 1, 1)",
         "year_before": "pr.tabled_on <= make_date(%s, 12, 31)"}  # fmt: skip
FILTERS = {*IDENTIFIERS, *YEARS, "position"}

JOINS = """FROM api_position x JOIN api_proposal pr ON pr.id = x.proposal_id
    LEFT JOIN api_participant pa ON pa.id = x.participant_id
    LEFT JOIN api_organisation o ON o.id = x.organisation_id"""
ORDER = "ORDER BY pr.tabled_on ASC NULLS LAST, pr.slug, pa.code ASC NULLS LAST, o.slug"
# The values of `PositionListSerializer.read`, by the names it gives them.
COLUMNS = {
    "id": "x.id",
    "proposal__slug": "pr.slug",
    "proposal__meeting__slug": "(SELECT slug FROM api_meeting WHERE id = pr.meeting_id)",
    "participant__code": "pa.code",
    "participant__name": "pa.name",
    "organisation__slug": "o.slug",
    "position": "x.position",
    "proposal__tabled_on": "pr.tabled_on",
    "proposal__tabled_on_precision": "pr.tabled_on_precision",
    "confidence": "x.confidence",
    "note": "x.note",
    "created_at": "x.created_at",
    "updated_at": "x.updated_at",
    "proposal_id": "x.proposal_id",
    "topics_slugs": """ARRAY(SELECT t.slug FROM api_proposal_topics pt
        JOIN api_topic t ON t.id = pt.topic_id WHERE pt.proposal_id = x.proposal_id
        ORDER BY t.slug)""",
    "sources_slugs": """ARRAY(SELECT s.slug FROM api_position_sources ps
        JOIN api_source s ON s.id = ps.source_id WHERE ps.position_id = x.id ORDER BY s.slug)""",
}
SELECT = ", ".join(f'{sql} AS "{name}"' for name, sql in COLUMNS.items())
# Actors by what the API names them: a participant's code, else an observer's slug.
ACTOR = "coalesce(pa.code, o.slug)"


@dataclass
class Choice:
    """The stands a plain request chooses: conditions on a stand and their parameters."""

    where: list[str] = field(default_factory=list)
    args: list = field(default_factory=list)
    using: str = "default"

    def clause(self) -> str:
        return f"WHERE {' AND '.join(self.where)}" if self.where else ""

    def add(self, condition: str, value) -> None:
        self.where.append(condition)
        self.args.append(value)


def choose(params, allowed=FILTERS, **fixed) -> Choice | None:
    """The stands that `params` (a request's query parameters, all of them among `allowed`)
    and `fixed` filters choose; None when the request is not plain or not on PostgreSQL."""
    using = router.db_for_read(m.Position)
    if connections[using].vendor != "postgresql" or not set(params) <= set(allowed):
        return None
    given = {**{name: params[name] for name in params if name in FILTERS}, **fixed}
    choice = Choice(using=using)
    wanted = {}
    for name, value in given.items():
        if name in IDENTIFIERS:
            items = [item.strip() for item in value.split(",")]
            if "" in items or len(items) > MOST:
                return None
            wanted[name] = list(dict.fromkeys(map(IDENTIFIERS[name][2], items)))
        elif name in YEARS:
            if not (value.isascii() and value.isdigit() and 1900 <= int(value) <= 2100):
                return None
            choice.add(YEARS[name], int(value))
        elif name == "position":
            kinds = value.split(",")
            if not set(kinds) <= KINDS:
                return None
            choice.add("x.position = ANY(%s)", kinds)
    for name, ids in _ids(using, wanted).items():
        if ids is None:
            return None  # an unknown code or slug: the filterset says which, and suggests
        choice.add(IDENTIFIERS[name][3], ids)
    return choice


def _ids(using: str, wanted: dict[str, list[str]]) -> dict[str, list[int] | None]:
    """The ids of each filter's codes or slugs, in one query; None for a filter that names a
    record that does not exist."""
    if not wanted:
        return {}
    parts, args = [], []
    for name, values in wanted.items():
        table, key, _, _ = IDENTIFIERS[name]
        parts.append(f"SELECT %s, {key}, id FROM {table} WHERE {key} = ANY(%s)")
        args += [name, values]
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), args)
        found = cursor.fetchall()
    ids = {}
    for name, values in wanted.items():
        known = {key: pk for filter_name, key, pk in found if filter_name == name}
        ids[name] = [known[value] for value in values] if set(values) <= set(known) else None
    return ids


def rows(choice: Choice, limit: int | None = None, offset: int = 0) -> tuple[list[dict], int]:
    """The chosen stands as `PositionListSerializer.read` gives them, in the list's order (a
    page of them, with `limit`), and how many are chosen in all (0 when the page is empty)."""
    page = "LIMIT %s OFFSET %s" if limit is not None else ""
    args = [*choice.args, *([limit, offset] if limit is not None else [])]
    with connections[choice.using].cursor() as cursor:
        cursor.execute(
            f"SELECT {SELECT}, count(*) OVER () {JOINS} {choice.clause()} {ORDER} {page}", args
        )
        names = [*COLUMNS, "count"]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    total = found[0].pop("count") if found else 0
    for row in found[1:]:
        del row["count"]
    return found, total


def actors(value: str | None) -> list[str] | None:
    """`?actors=` as the API names them (a two-letter participant code in upper case, else an
    observer's slug in lower case), in one query; None when it is not plain (not given, an
    empty or unknown name, too many: the view says which) or not on PostgreSQL."""
    using = router.db_for_read(m.Position)
    if value is None or connections[using].vendor != "postgresql":
        return None
    names = list(dict.fromkeys(name.strip() for name in value.split(",")))
    if "" in names or len(names) > MOST:
        return None
    codes = [name.upper() for name in names if len(name) == 2]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT code FROM api_participant WHERE code = ANY(%s) "
            "UNION ALL SELECT slug FROM api_organisation WHERE slug = ANY(%s)",
            [codes, [name.lower() for name in names]],
        )
        known = {name for (name,) in cursor.fetchall()}
    found = [name.upper() if name.upper() in known else name.lower() for name in names]
    return found if set(found) <= known else None


def stands(choice: Choice, actors: list[str] | None) -> list[Stand]:
    """(actor, proposal, stand) of the chosen stands that can count for `actors` (codes and
    slugs), in the order `stands.read` gives: with several, their own stands; with one, every
    stand on the proposals it took a stand on; with none, all of them."""
    chosen = Choice(list(choice.where), list(choice.args), choice.using)
    if actors and len(actors) > 1:
        chosen.add(f"{ACTOR} = ANY(%s)", actors)
    elif actors:
        chosen.add(
            "x.proposal_id IN (SELECT y.proposal_id FROM api_position y "
            "LEFT JOIN api_participant ya ON ya.id = y.participant_id "
            "LEFT JOIN api_organisation yo ON yo.id = y.organisation_id "
            "WHERE coalesce(ya.code, yo.slug) = %s)",
            actors[0],
        )
    with connections[choice.using].cursor() as cursor:
        cursor.execute(
            f"SELECT {ACTOR}, pr.slug, x.position {JOINS} {chosen.clause()} ORDER BY pr.slug, x.id",
            chosen.args,
        )
        return [Stand(*row) for row in cursor.fetchall()]
