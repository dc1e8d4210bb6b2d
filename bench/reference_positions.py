"""The reference's stands: the positions list, an actor's record and agreement, by hand.

The same bodies as the API's PositionSerializer (api/serializers/positions.py) and its record
and agreement (api/stand_views.py, api/stands.py), from plain SQL through psycopg; agreement is
counted in Python, from the stands of the proposals the actors have in common.
"""

import re
from collections import Counter, defaultdict
from itertools import combinations

from bench.reference_web import (
    Problem,
    base_url,
    connection,
    identifiers,
    not_modified,
    page,
    page_size,
    respond,
    unknown_parameters,
    version_etag,
)

RECORD_PATH = re.compile(r"^/api/v1/(participants|organisations)/([A-Za-z0-9-]{1,120})/record/$")
KINDS = ("support", "oppose", "abstain")
# The filters that choose proposals (record and agreement have these alone), then the list's.
CHOOSING = {"topic", "year_after", "year_before"}
LIST_PARAMETERS = {"page", "page_size", "participant", "organisation", "position", "proposal",
                   "meeting", *CHOOSING}  # fmt: skip
METHOD = (
    "For each pair of actors (participants by code, observers by organisation slug): `n` is the "
    "number of proposals on which both took a stand that a source states (support, oppose or "
    "abstain), `same` the number of those on which they took the same stand, and `share` is "
    "same / n (null when n is 0). Abstaining counts as a stand: two abstentions agree, an "
    "abstention and a support do not. No stand is assumed for an actor that no source names, "
    "and a bloc never stands for its members. The topic and year filters choose the proposals."
)
# Every column a stand's JSON needs: its proposal's topics and its own sources as arrays.
COLUMNS = """x.id, pr.slug, mt.slug,
    ARRAY(SELECT t.slug FROM api_proposal_topics pt JOIN api_topic t ON t.id = pt.topic_id
          WHERE pt.proposal_id = x.proposal_id ORDER BY t.slug),
    pa.code, pa.name, o.slug, x.position, pr.tabled_on, pr.tabled_on_precision,
    ARRAY(SELECT src.slug FROM api_position_sources ps JOIN api_source src ON src.id = ps.source_id
          WHERE ps.position_id = x.id ORDER BY src.slug),
    x.confidence, x.note, x.created_at, x.updated_at"""
JOINS = """JOIN api_proposal pr ON pr.id = x.proposal_id
    LEFT JOIN api_participant pa ON pa.id = x.participant_id
    LEFT JOIN api_organisation o ON o.id = x.organisation_id"""
MEETING = "LEFT JOIN api_meeting mt ON mt.id = pr.meeting_id"
ORDER = "ORDER BY pr.tabled_on ASC NULLS LAST, pr.slug, pa.code ASC NULLS LAST, o.slug"
ACTOR = "coalesce(pa.code, o.slug)"
# The proposals on which one actor (a code or a slug) took a stand.
THEIRS = """x.proposal_id IN (SELECT y.proposal_id FROM api_position y
    LEFT JOIN api_participant ya ON ya.id = y.participant_id
    LEFT JOIN api_organisation yo ON yo.id = y.organisation_id
    WHERE coalesce(ya.code, yo.slug) = %s)"""
VERSIONED = ("api_position", "api_proposal", "api_meeting", "api_participant",
             "api_organisation", "api_source")  # fmt: skip
VERSION = " UNION ALL ".join(
    [f"(SELECT max(updated_at)::text FROM {table})" for table in VERSIONED]
    + ["(SELECT max(id)::text FROM api_change)"]
)


def route(environ, start_response, path: str, params: dict):
    """The answer to a request for stands, or None when the path is none of theirs."""
    if path == "/api/v1/positions/":
        return listing(environ, start_response, params)
    if match := RECORD_PATH.match(path):
        return record(environ, start_response, params, match[1], match[2])
    if path == "/api/v1/agreement/":
        return agreement(environ, start_response, params)
    return None


def answer(environ, start_response, params: dict, allowed: set[str], make):
    """`make(cursor)`'s body, with the dataset version's ETag, or a 304 for a current copy."""
    unknown_parameters(params, allowed)
    etag = version_etag(environ, "application/json", VERSION)
    if unchanged := not_modified(environ, start_response, etag):
        return unchanged
    with connection().cursor() as cursor:
        body = make(cursor)
    return respond(start_response, 200, body, etag=etag)


def year(params: dict, name: str) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.lstrip("-").isdigit() or not 1900 <= int(value) <= 2100:
        raise Problem(400, "Invalid input.", {name: ["Enter a year from 1900 to 2100."]})
    return int(value)


def conditions(cursor, params: dict) -> tuple[list[str], list]:
    """WHERE terms on a stand (`x`) and their parameters, for the filters given."""
    where, args = [], []
    for name, table, key, column in (
        ("participant", "api_participant", "code", "x.participant_id"),
        ("organisation", "api_organisation", "slug", "x.organisation_id"),
        ("proposal", "api_proposal", "slug", "x.proposal_id"),
    ):
        if (found := identifiers(cursor, params, name, table, key)) is not None:
            where.append(f"{column} = ANY(%s)")
            args.append(found)
    if (meetings := identifiers(cursor, params, "meeting", "api_meeting", "slug")) is not None:
        where.append("x.proposal_id IN (SELECT id FROM api_proposal WHERE meeting_id = ANY(%s))")
        args.append(meetings)
    if (topics := identifiers(cursor, params, "topic", "api_topic", "slug")) is not None:
        where.append("x.proposal_id IN (SELECT proposal_id FROM api_proposal_topics "
                     "WHERE topic_id = ANY(%s))")  # fmt: skip
        args.append(topics)
    for name, test in (("year_after", ">="), ("year_before", "<=")):
        if (chosen := year(params, name)) is not None:
            where.append("x.proposal_id IN (SELECT id FROM api_proposal "
                         f"WHERE tabled_on {test} make_date(%s, {1 if test == '>=' else 12}, "
                         f"{1 if test == '>=' else 31}))")  # fmt: skip
            args.append(chosen)
    if "position" in params:
        kinds = [kind.strip() for kind in params["position"].split(",")]
        if wrong := [kind for kind in kinds if kind not in KINDS]:
            raise Problem(400, "Invalid input.", {"position": [f"Not a choice: {wrong[0]}."]})
        where.append("x.position = ANY(%s)")
        args.append(kinds)
    return where, args


def stands(cursor, where: list[str], args: list, limit: str = "") -> list[tuple]:
    """The stands that match, in the API's order, with every column their JSON needs."""
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    # The page's ids first, from the stands and what orders them; then their columns.
    cursor.execute(
        f"SELECT {COLUMNS} FROM (SELECT x.id FROM api_position x {JOINS} {clause} {ORDER} "
        f"{limit}) chosen JOIN api_position x ON x.id = chosen.id {JOINS} {MEETING} {ORDER}",
        args,
    )
    return cursor.fetchall()


def position(row: tuple, api: str) -> dict:
    """A stand as the API's PositionSerializer shapes it."""
    (pk, proposal, meeting, topics, code, name, organisation, kind, tabled_on, precision,
     sources, confidence, note, created_at, updated_at) = row  # fmt: skip
    return {
        "id": pk, "url": f"{api}/positions/{pk}/", "proposal": proposal, "meeting": meeting,
        "topics": topics, "participant": code, "participant_name": name,
        "organisation": organisation, "position": kind, "date": tabled_on,
        "date_precision": precision, "sources": sources, "confidence": confidence,
        "note": note, "created_at": created_at, "updated_at": updated_at,
    }  # fmt: skip


def listing(environ, start_response, params: dict):
    def make(cursor) -> dict:
        number, size = page_size(params)
        where, args = conditions(cursor, params)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        cursor.execute(f"SELECT count(*) FROM api_position x {clause}", args)
        (count,) = cursor.fetchone()
        if (number - 1) * size >= max(count, 1):
            raise Problem(404, f"Page {number} does not exist: that page contains no results")
        rows = stands(cursor, where, [*args, size, (number - 1) * size], "LIMIT %s OFFSET %s")
        api = f"{base_url(environ)}/api/v1"
        return page(environ, params, [position(row, api) for row in rows], count, number, size)

    return answer(environ, start_response, params, LIST_PARAMETERS, make)


def counts(kinds) -> dict[str, int]:
    counted = Counter(kinds)
    return {**{kind: counted[kind] for kind in KINDS}, "total": sum(counted.values())}


def record(environ, start_response, params: dict, collection: str, identifier: str):
    """An actor's stands, counted overall and per topic of their proposals, and listed."""
    table, key, column = {
        "participants": ("api_participant", "code", "x.participant_id"),
        "organisations": ("api_organisation", "slug", "x.organisation_id"),
    }[collection]
    actor = identifier.upper() if key == "code" else identifier.lower()

    def make(cursor) -> dict:
        cursor.execute(f"SELECT id FROM {table} WHERE {key} = %s", [actor])
        if (found := cursor.fetchone()) is None:
            raise Problem(404, f"No {collection[:-1]} has the {key} {actor}.")
        where, args = conditions(cursor, params)
        rows = stands(cursor, [f"{column} = %s", *where], [found[0], *args])
        per_topic: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            for topic in row[3]:
                per_topic[topic].append(row[7])
        api = f"{base_url(environ)}/api/v1"
        return {
            "actor": actor,
            "counts": counts(row[7] for row in rows),
            "topics": [{"topic": topic, **counts(per_topic[topic])} for topic in sorted(per_topic)],
            "stands": [position(row, api) for row in rows],
        }

    return answer(environ, start_response, params, CHOOSING, make)


def actors(cursor, value: str | None) -> list[str] | None:
    """Participant codes and organisation slugs as the API names them; unknown ones are a 400."""
    if value is None:
        return None
    names = list(dict.fromkeys(name.strip() for name in value.split(",")))
    if "" in names or len(names) > 100:
        raise Problem(400, "Invalid input.", {"actors": ["Give 1 to 100 codes or slugs."]})
    codes = [name.upper() for name in names if len(name) == 2]
    cursor.execute("SELECT code FROM api_participant WHERE code = ANY(%s)", [codes])
    known = {code for (code,) in cursor.fetchall()}
    slugs = [name.lower() for name in names if name.upper() not in known]
    cursor.execute("SELECT slug FROM api_organisation WHERE slug = ANY(%s)", [slugs])
    known |= {slug for (slug,) in cursor.fetchall()}
    chosen = [name.upper() if name.upper() in known else name.lower() for name in names]
    if unknown := [name for name, actor in zip(names, chosen, strict=True) if actor not in known]:
        message = f"Unknown participant code or organisation slug: {', '.join(unknown)}."
        raise Problem(400, "Invalid input.", {"actors": [message]})
    return chosen


def agreement(environ, start_response, params: dict):
    """Pairs of actors: how often they took the same stand on the proposals both stood on."""

    def make(cursor) -> dict:
        named = actors(cursor, params.get("actors"))
        where, args = conditions(cursor, params)
        if named and len(named) == 1:  # the proposals that actor stood on, and no others
            where.append(THEIRS)
            args.append(named[0])
        elif named:
            where.append(f"{ACTOR} = ANY(%s)")
            args.append(named)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        cursor.execute(f"SELECT pr.slug, {ACTOR}, x.position FROM api_position x {JOINS} "
                       f"{clause}", args)  # fmt: skip
        results = pairs(cursor.fetchall(), named)
        return {"count": len(results), "method": METHOD, "results": results}

    return answer(environ, start_response, params, {"actors", *CHOOSING}, make)


def pairs(rows: list[tuple], named: list[str] | None) -> list[dict]:
    """Every pair among `named` (in their order, n = 0 too); one actor against each other one
    with a proposal in common; or, with none named, every pair with a proposal in common."""
    by_proposal: dict[str, dict[str, str]] = defaultdict(dict)
    for proposal, actor, kind in rows:
        by_proposal[proposal][actor] = kind
    rank = {actor: number for number, actor in enumerate(named or [])}
    several = named is not None and len(named) > 1
    found: dict[tuple[str, str], list[dict]] = {}
    if several:
        found = {pair: [] for pair in combinations(named, 2)}
    for proposal in sorted(by_proposal):
        taken = by_proposal[proposal]
        ordered = sorted(taken, key=lambda actor: (rank.get(actor, len(rank)), actor))
        if named and not several:  # the actor first, each other one after it
            chosen = [(ordered[0], other) for other in ordered[1:] if ordered[0] == named[0]]
        else:
            chosen = list(combinations(ordered, 2))
        for first, second in chosen:
            stand = {"proposal": proposal, "a": taken[first], "b": taken[second]}
            found.setdefault((first, second), []).append(stand)
    if not several:
        found = dict(sorted(found.items()))
    results = []
    for (a, b), behind in found.items():
        same = [stand["proposal"] for stand in behind if stand["a"] == stand["b"]]
        n = len(behind)
        results.append({
            "a": a, "b": b, "n": n, "same": len(same), "share": len(same) / n if n else None,
            "agreed_on": same,
            "differed_on": [stand["proposal"] for stand in behind if stand["a"] != stand["b"]],
            "stands": behind,
        })  # fmt: skip
    return results
