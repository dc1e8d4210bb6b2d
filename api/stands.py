"""Voting records, agreement between actors and a bloc's cohesion, counted from stands alone.

A stand is one actor's (a participant's code or an observer's slug) support, opposition or
abstention on one proposal, as a source states it. Nothing here assumes a stand that no source
gives: a pair of actors is compared only on the proposals on which both took one.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

from api import models as m

KINDS = tuple(m.PositionKind.values)

METHOD = (
    "For each pair of actors (participants by code, observers by organisation slug): `n` is the "
    "number of proposals on which both took a stand that a source states (support, oppose or "
    "abstain), `same` the number of those on which they took the same stand, and `share` is "
    "same / n (null when n is 0). Abstaining counts as a stand: two abstentions agree, an "
    "abstention and a support do not. No stand is assumed for an actor that no source names, "
    "and a bloc never stands for its members. The topic and year filters choose the proposals."
)


class Stand(NamedTuple):
    actor: str
    proposal: str
    position: str


def read(positions) -> list[Stand]:
    """The stands of a queryset of positions, in one query."""
    rows = positions.values_list(
        "participant__code", "organisation__slug", "proposal__slug", "position"
    ).order_by("proposal__slug", "id")
    return [Stand(code or slug, proposal, position) for code, slug, proposal, position in rows]


def counts(positions: Iterable[str]) -> dict[str, int]:
    """How many stands of each kind, and in all."""
    counted = Counter(positions)
    return {**{kind: counted[kind] for kind in KINDS}, "total": sum(counted.values())}


def by_topic(stands: list[Stand], topics: dict[str, list[str]]) -> list[dict]:
    """Counts per topic of the stands' proposals (a proposal on two topics counts in both)."""
    per_topic: dict[str, list[str]] = defaultdict(list)
    for stand in stands:
        for topic in topics.get(stand.proposal, ()):
            per_topic[topic].append(stand.position)
    return [{"topic": topic, **counts(per_topic[topic])} for topic in sorted(per_topic)]


def pairs(stands: list[Stand], actors: list[str] | None = None) -> list[dict]:
    """Agreement of every pair of actors: among `actors` (with one actor, that actor and every
    other one), or every pair with a proposal in common when `actors` is None."""
    by_proposal: dict[str, dict[str, str]] = defaultdict(dict)
    for stand in stands:
        by_proposal[stand.proposal][stand.actor] = stand.position
    rank = {actor: number for number, actor in enumerate(actors or [])}
    found: dict[tuple[str, str], list[dict]] = {}
    if actors and len(actors) > 1:
        found = {pair: [] for pair in combinations(actors, 2)}  # n = 0 is an answer too
    for proposal in sorted(by_proposal):
        taken = by_proposal[proposal]
        for pair in combinations(sorted(taken, key=lambda a: (rank.get(a, len(rank)), a)), 2):
            if _wanted(pair, actors):
                first, second = pair
                found.setdefault(pair, []).append(
                    {"proposal": proposal, "a": taken[first], "b": taken[second]}
                )
    if not actors or len(actors) == 1:
        found = dict(sorted(found.items()))
    return [_pair(a, b, behind) for (a, b), behind in found.items()]


def _wanted(pair: tuple[str, str], actors: list[str] | None) -> bool:
    if actors is None:
        return True
    if len(actors) == 1:
        return pair[0] == actors[0]
    return pair[0] in actors and pair[1] in actors


def _pair(a: str, b: str, behind: list[dict]) -> dict:
    same = [row["proposal"] for row in behind if row["a"] == row["b"]]
    n = len(behind)
    return {
        "a": a,
        "b": b,
        "n": n,
        "same": len(same),
        "share": len(same) / n if n else None,
        "agreed_on": same,
        "differed_on": [row["proposal"] for row in behind if row["a"] != row["b"]],
        "stands": behind,
    }


def cohesion(stands: list[Stand]) -> dict:
    """Per proposal on which at least two of the given actors took a stand: did they agree?"""
    by_proposal: dict[str, dict[str, str]] = defaultdict(dict)
    for stand in stands:
        by_proposal[stand.proposal][stand.actor] = stand.position
    proposals = [
        {
            "proposal": proposal,
            "agreed": len(set(taken.values())) == 1,
            "stands": dict(sorted(taken.items())),
        }
        for proposal, taken in sorted(by_proposal.items())
        if len(taken) >= 2
    ]
    agreed = sum(row["agreed"] for row in proposals)
    return {
        "n": len(proposals),
        "agreed": agreed,
        "share": agreed / len(proposals) if proposals else None,
        "proposals": proposals,
    }
