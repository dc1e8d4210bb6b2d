"""Every list and detail runs a fixed number of queries, whatever the page size or `expand=`.

A list's count and keys and a detail's answer are kept per dataset version, so each measure
starts with empty caches: a list costs the dataset version, the count, its page's keys, then its
rows and the related records' queries; an export the version, then its rows and the related
records'; a detail the version, its record and the related records'. An export's transaction
(savepoints inside a test's) is not counted.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from api import pagination
from tests import factories as f
from tests.collections import COLLECTIONS, EXPANDED_APART, PAGED_BY_HAND
from tests.helpers import moved, revalidate, rolled_back

pytestmark = pytest.mark.django_db


def queries(client, path: str, **params) -> int:
    for kept in caches.all():
        kept.clear()
    return queries_kept(client, path, **params)


def queries_kept(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
        if response.streaming:
            assert b"".join(response.streaming_content)
    assert response.status_code == 200, response.content[:300]
    return len([query for query in captured if "SAVEPOINT" not in query["sql"]])


@pytest.fixture(scope="module")
def many(django_db_setup, django_db_blocker):
    """At least 200 rows in every collection, each with references and sources to load: made
    once for the module's tests (some ten seconds), undone after them."""
    with rolled_back(django_db_blocker):
        make_many()
        yield


def make_many():
    shared = {"participant": f.ParticipantFactory(), "speaker": f.PersonFactory()}
    meeting = f.MeetingFactory(host=shared["participant"], chair=shared["participant"])
    f.ParticipantFactory.create_batch(200 - m.Participant.objects.count() + 10)
    f.OrganisationFactory.create_batch(200)
    f.PersonFactory.create_batch(200 - m.Person.objects.count() + 10)
    f.BlocFactory.create_batch(200, members=[shared["participant"]])
    f.ChairmanshipFactory.create_batch(
        200, chair=shared["participant"], vice_chair=shared["participant"],
        chair_person=shared["speaker"],
    )  # fmt: skip
    f.MeetingFactory.create_batch(200, host=shared["participant"], chair=shared["participant"])
    opponent = f.ParticipantFactory()
    f.ProposalFactory.create_batch(
        200, meeting=meeting, positions=[shared["participant"], opponent]
    )
    f.StatementFactory.create_batch(
        200, speaker=shared["speaker"], participant=shared["participant"], meeting=meeting
    )
    m.Topic.objects.bulk_create(
        m.Topic(slug=f"factory-topic-{n}", name=f"Topic {n}") for n in range(200)
    )  # every participant made above has a status period too
    for year in range(1800, 2000):
        f.ProductionFactory(participant=shared["participant"], year=year)
        f.TradeFactory(participant=shared["participant"], year=year)


# A statement's topics, and a stand's topics and sources, are read with it on PostgreSQL (as
# arrays), by one query more each elsewhere.
TOPICS = 0 if connection.vendor == "postgresql" else 1
# Queries that read a page's rows and their related records, expanded or not.
ROWS = {"participants": 6, "organisations": 2, "people": 4, "blocs": 3, "chairmanships": 2,
        "meetings": 4, "proposals": 7, "positions": 1 + 2 * TOPICS, "statements": 1 + TOPICS,
        "sources": 1, "production": 3, "trade": 3, "topics": 1, "status-periods": 2}  # fmt: skip
COUNTED = [(c.path, ",".join(c.facts.expand), ROWS[c.name]) for c in COLLECTIONS]

GRADED = {c.path for c in COLLECTIONS if c.facts.graded}
# The dataset version and the page's keys, before the rows: a list shorter than a window of
# keys (api/pagination.py) is counted by its keys; a longer one by one query more.
LIST = 2
EXPORT = 1  # the dataset version


def test_a_list_costs_the_same_queries_for_10_or_200_rows_and_with_expand(client, many):
    measured, expected = {}, {}
    for path, expand, rows in COUNTED:
        longer = client.get(path).json()["count"] >= pagination.SMALL  # counted by the database
        count = LIST + rows + longer
        expanded = count + EXPANDED_APART.get(path.split("/")[-2], 0)
        if path.split("/")[-2] in PAGED_BY_HAND:  # the version, then the page with its count
            count = 2
        expected[path] = (count, count, expanded)
        measured[path] = (
            queries(client, path, page_size=10),
            queries(client, path, page_size=200),
            queries(client, path, page_size=200, expand=expand) if expand else count,
        )
    assert measured == expected


def test_a_csv_or_ndjson_export_costs_the_same_queries_whatever_its_size(client, many):
    # An export is a list without its count: no pages.
    measured, expected = {}, {}
    for path, _, rows in COUNTED:
        expected[path] = (EXPORT + rows, EXPORT + rows)
        grades = {"confidence": "single_source"} if path in GRADED else {}
        every = {"confidence": "verified,single_source,uncertain"} if path in GRADED else {}
        measured[path] = (
            queries(client, path, format="csv", **grades),
            queries(client, path, format="ndjson", **every),
        )
    if connection.vendor == "postgresql":  # the version, the statement timeout, one COPY
        expected["/api/v1/statements/"] = (3, 3)
    assert measured == expected


def test_a_list_counts_and_finds_its_rows_once_per_dataset_version(client, many):
    (path, _, rows), *_ = [counted for counted in COUNTED if counted[0].endswith("/trade/")]
    assert queries(client, path) == LIST + rows
    before = client.get(path).json()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(path, {"page": 2}).json()
    assert again["count"] == before["count"]
    assert len(captured) == 1 + rows  # the count and keys of this query and version are kept
    f.TradeFactory(participant=m.Participant.objects.first(), year=1700)  # sorts first
    with CaptureQueriesContext(connection) as captured:
        after = client.get(path, {"page": 2}).json()
    assert after["count"] == before["count"] + 1
    assert after["results"][1:] == again["results"][:-1]  # every row one place further
    assert len(captured) == LIST + rows  # a new version, counted and found anew


def test_revalidating_an_unchanged_list_costs_one_query(client, many):
    path = "/api/v1/statements/"
    for _ in range(10):  # asked again while PostgreSQL's key only moved on (helpers.moved)
        etag = client.get(path, {"page_size": 100})["ETag"]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"page_size": 100}, HTTP_IF_NONE_MATCH=etag)
        if not moved(etag, response):
            break
    assert response.status_code == 304 and response["ETag"] == etag
    assert len(captured) == 1  # the dataset version


DETAILS = [
    ("/api/v1/participants/CF/", 7),
    ("/api/v1/organisations/ipis/", 3),
    ("/api/v1/people/hans-merket/", 5),
    ("/api/v1/blocs/western-bloc/", 4),
    ("/api/v1/chairmanships/2011/", 3),
    ("/api/v1/meetings/2022-intersessional-kasane/", 5),
    ("/api/v1/proposals/2022-kasane-russia-agenda-item/", 8),
    ("/api/v1/sources/jckonline-editorial-article-kimberley-process-no-longer-works/", 2),
]


@pytest.mark.parametrize(("path", "expected"), DETAILS)
def test_a_detail_costs_a_fixed_number_of_queries(client, path, expected):
    assert queries(client, path) == expected
    assert queries_kept(client, path) == 1  # the version: the answer is kept until a change


def test_a_kept_detail_is_answered_anew_after_a_change(client):
    path = "/api/v1/organisations/ipis/"
    before = client.get(path)
    assert queries_kept(client, path) == 1
    m.Organisation.objects.filter(slug="ipis").update(note="Changed.")  # a new dataset version
    after = client.get(path)
    assert after.json()["note"] == "Changed." and after["ETag"] != before["ETag"]
    assert revalidate(client, path)[1].status_code == 304


def test_statement_and_figure_details_cost_a_fixed_number_of_queries(client):
    statement = m.Statement.objects.filter(speaker__slug="hans-merket").first()
    path = f"/api/v1/statements/{statement.pk}/"
    # PostgreSQL: the row, its topics with it, no version read; SQLite: the version, the row
    # and its topics.
    assert queries(client, path, expand="speaker,source") == (3 if TOPICS else 1)
    figure = m.Production.objects.filter(participant__code="BW").first()
    assert queries(client, f"/api/v1/production/{figure.pk}/", expand="participant,sources") == 4


def test_an_answer_kept_for_a_url_serves_the_same_url_written_another_way(client):
    # The parameters in another order, or encoded otherwise: the same answer, kept once.
    path = "/api/v1/participants/ZA/"
    first = client.get(path, {"fields": "code,name", "expand": "blocs"})
    assert queries_kept(client, f"{path}?expand=blocs&fields=code%2Cname") == 1
    again = client.get(f"{path}?expand=blocs&fields=code%2Cname")
    assert again["ETag"] == first["ETag"]
