"""Stands read by hand-written SQL (api/stand_queries.py) answer as the filterset's way does.

Each URL is asked twice: as served, and with the fast path turned off; the two answers must be
the same bytes, status and ETag. The URLs cover every filter the fast path reads, one value and
several, pages and their ends, names in the wrong case, and what it leaves to the filterset.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from api import stand_queries

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's"),
]

API = "/api/v1/"
KINSHASA = "2011-kinshasa-marange-agreement"
COALITION = "kp-civil-society-coalition"
TOPICS = ("marange-zimbabwe", "chairmanship", "definition-reform")
YEARS = ({}, {"year_after": "2009"}, {"year_before": "2012"},
         {"year_after": "2010", "year_before": "2014"}, {"year_after": "2030"})  # fmt: skip


def both_ways(client, monkeypatch, path: str, params: dict) -> tuple:
    """The answer as served, and as the filterset's way gives it: (status, ETag, bytes) each."""
    taken = []
    real = stand_queries.choose
    monkeypatch.setattr(stand_queries, "choose", lambda *a, **k: taken.append(1) or real(*a, **k))
    fast = client.get(path, params)
    monkeypatch.setattr(stand_queries, "choose", lambda *a, **k: None)
    monkeypatch.setattr(stand_queries, "actors", lambda *a, **k: None)
    caches["default"].clear()  # no count or keys kept from the first
    slow = client.get(path, params)
    monkeypatch.undo()
    return (
        [(r.status_code, r.get("ETag"), body(r)) for r in (fast, slow)],
        bool(taken),
    )


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def urls():
    yield from (("positions/", {"participant": code}) for code in ("ZA", "us", "EU", "ZW,ZA"))
    yield from (
        ("positions/", {"organisation": slug}) for slug in (COALITION, "world-diamond-council")
    )
    yield from (("positions/", {"topic": topic, **years}) for topic in TOPICS for years in YEARS)
    yield from (("positions/", {"participant": "US", **years}) for years in YEARS)
    yield from (
        ("positions/", {"participant": "ZA", "position": kinds, "topic": "marange-zimbabwe"})
        for kinds in ("support", "oppose,abstain", "abstain")
    )
    yield "positions/", {"proposal": KINSHASA}
    yield "positions/", {"meeting": m.Proposal.objects.get(slug=KINSHASA).meeting.slug}
    yield "positions/", {}
    for number in ("1", "2", "3", "40"):
        yield "positions/", {"page_size": "7", "page": number, "participant": "US,ZA,EU"}
    yield "positions/", {"page_size": "2000"}
    for path in ("participants/ZA/record/", "participants/us/record/",
                 f"organisations/{COALITION}/record/"):  # fmt: skip
        yield from ((path, years) for years in YEARS)
        yield from ((path, {"topic": topic}) for topic in TOPICS)
    for actors in ("US,ZA", "ZA", f"US,ZA,{COALITION}", "eu,zw", None):
        for chosen in ({}, {"topic": "marange-zimbabwe"}, {"year_after": "2011"}):
            yield "agreement/", {**({"actors": actors} if actors else {}), **chosen}


def test_every_plain_request_answers_as_the_filterset_does(client, monkeypatch):
    taken = 0
    for path, params in urls():
        (fast, slow), went = both_ways(client, monkeypatch, API + path, params)
        assert fast == slow, (path, params)
        assert fast[0] in (200, 404), (path, params, fast)
        taken += went
    assert taken > 60  # the fast path was asked, not bypassed


@pytest.mark.parametrize(
    "path, params",
    [
        ("positions/", {"participant": "XX"}),  # unknown: the filterset suggests
        ("positions/", {"participant": "ZA,"}),  # an empty value
        ("positions/", {"year_after": "20o9"}),
        ("positions/", {"year_after": "1800"}),
        ("positions/", {"position": "backed"}),
        ("positions/", {"bloc": "western-bloc"}),  # not read by the fast path
        ("positions/", {"participant": "ZA", "ordering": "-id"}),
        ("positions/", {"participant": "ZA", "format": "csv"}),
        ("positions/", {"participant": "ZA", "page": "0"}),
        ("participants/XX/record/", {}),
        ("participants/ZA/record/", {"topic": "nothing-of-the-sort"}),
        ("agreement/", {"actors": "ZA,XX"}),
        ("agreement/", {"actors": "ZA", "year_before": "x"}),
    ],
)
def test_what_the_fast_path_does_not_read_is_answered_as_before(client, monkeypatch, path, params):
    (fast, slow), _ = both_ways(client, monkeypatch, API + path, params)
    assert fast == slow


def test_a_plain_page_of_stands_costs_three_queries(client):
    # The dataset's version, the codes and slugs, the page with its count.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}positions/", {"participant": "ZA", "year_after": "2005"})
    assert response.status_code == 200 and response.json()["count"] > 0
    assert len(queries) == 3, [query["sql"] for query in queries]


def test_an_edited_stand_is_served_anew_by_the_fast_path(client):
    path, params = f"{API}positions/", {"proposal": KINSHASA}
    before = client.get(path, params).json()["results"]
    stand = m.Position.objects.get(pk=before[0]["id"])
    stand.note = "Changed by the test."
    stand.save()
    after = client.get(path, params).json()["results"]
    assert after[0]["note"] == "Changed by the test."
    assert [row["id"] for row in after] == [row["id"] for row in before]


def test_the_fast_path_pages_as_the_paginator_does(client):
    pages = [
        client.get(f"{API}positions/", {"page_size": "5", "page": str(n)}).json() for n in (1, 2)
    ]
    assert pages[0]["next"].endswith("page=2&page_size=5") and pages[0]["previous"] is None
    assert pages[1]["previous"].endswith("?page_size=5")
    ids = [row["id"] for page in pages for row in page["results"]]
    every = client.get(f"{API}positions/", {"page_size": "10"}).json()["results"]
    assert ids == [row["id"] for row in every]
