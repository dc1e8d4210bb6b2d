"""At scale, every filter and ordering of the statements list reads an index: PostgreSQL's plan
for each query a list runs never scans the whole statements table.

Each request is explained as the first of its dataset version, which finds the keys of the
page's window of rows and then reads the page by key; a list's count, taken once per version
and query, is explained only when there is nothing else.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from api import pagination
from bench import synthetic

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

STATEMENTS = "/api/v1/statements/"
SCAN = "Seq Scan on api_statement "


@pytest.fixture(scope="module")
def at_scale(django_db_setup, django_db_blocker):
    """50,000 statements, with the planner's statistics of them, for the module's tests: loaded
    (committed) once, and removed after them."""
    with django_db_blocker.unblock():
        synthetic.generate(50_000, seed=7)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        first = m.Statement.objects.filter(note=synthetic.NOTE).order_by("id").first()
        values = {
            "speaker": first.speaker.slug,
            "organisation": m.Organisation.objects.filter(slug__startswith="synthetic-")[0].slug,
            "participant": first.participant.code if first.participant else "ZA",
            "meeting": m.Meeting.objects.filter(slug__startswith="synthetic-")[0].slug,
            "proposal": m.Proposal.objects.filter(slug__startswith="synthetic-")[0].slug,
            "source": first.source.slug,
            "topic": "definition-reform",
            "language": "FR",
            "confidence": "verified",
            "date_after": "2025-12-01",
            "date_before": "2002-02-01",
            "updated_since": "2999-01-01T00:00:00Z",
            "search": "smuggling Marange",
        }
        try:
            yield values
        finally:
            synthetic.clear()


@pytest.fixture
def window(monkeypatch):
    """Keys read as many at a time, for the table's size, as at a million statements: 1,000 and
    10,000 of a million are 50 and 500 of 50,000."""
    monkeypatch.setattr(pagination, "SMALL", 50)
    monkeypatch.setattr(pagination, "LARGE", 500)


def plans(client, params: dict, again: bool = False) -> list[str]:
    """The plan of each query a request runs on statements as the first of a dataset version:
    the window of keys that holds the page, and the page. Not the count, taken once per version
    and query, unless there is nothing else (an empty list). `again`: the same request's, once
    the count and the window are kept."""
    cache.clear()
    if again:
        assert client.get(STATEMENTS, params).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(STATEMENTS, params)
    assert response.status_code == 200, response.content[:300]
    queries = [query["sql"] for query in captured if "api_statement" in query["sql"]]
    listed = [sql for sql in queries if "COUNT(*)" not in sql] or queries
    assert listed
    with connection.cursor() as cursor:
        return [explain(cursor, sql) for sql in listed]


def explain(cursor, sql: str) -> str:
    cursor.execute("EXPLAIN " + sql)
    return "\n".join(line for (line,) in cursor.fetchall())


FILTERS = ["speaker", "organisation", "participant", "meeting", "proposal", "source", "topic",
           "language", "confidence", "date_after", "date_before", "updated_since",
           "search"]  # fmt: skip


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_reads_an_index_not_the_whole_table(client, at_scale, window, name):
    for plan in plans(client, {name: at_scale[name], "page_size": 100}):
        assert SCAN not in plan, plan


@pytest.mark.parametrize("ordering", ["date", "-date", "id", "-id"])
def test_each_ordering_reads_an_index(client, at_scale, window, ordering):
    for plan in plans(client, {"ordering": ordering, "page_size": 100}):
        assert SCAN not in plan, plan


def test_two_filters_and_a_search_read_indexes(client, at_scale, window):
    params = {key: at_scale[key] for key in ("participant", "topic", "search")}
    for plan in plans(client, {**params, "page_size": 100}):
        assert SCAN not in plan, plan


def test_a_deep_page_reads_an_index(client, at_scale):
    # Its window of keys is read once per 10,000 rows and version: here, from a table of 50,000,
    # rows 40,000 to 50,000 are found sooner by sorting them all than by walking the index.
    for plan in plans(client, {"page_size": 100, "page": 500}, again=True):
        assert SCAN not in plan, plan
