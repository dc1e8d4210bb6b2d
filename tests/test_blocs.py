"""/api/v1/blocs/: informal groups of participants, such as the Western bloc."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from tests.helpers import problem, rows, source_slugs, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/blocs/"
WESTERN = ["AU", "CA", "CH", "EU", "GB", "US"]


def western_row() -> dict[str, str]:
    (row,) = [row for row in rows("blocs.csv") if row["slug"] == "western-bloc"]
    return row


@pytest.fixture
def producers():
    """A second bloc, so that ordering, search and filters have something to tell apart."""
    bloc = m.Bloc.objects.create(
        slug="african-producers",
        name="African producers",
        description="Producer states that resist widening the conflict-diamond definition.",
        confidence=m.Confidence.UNCERTAIN,
    )
    bloc.members.set(m.Participant.objects.filter(code__in=["ZA", "ZW", "AO"]))
    return bloc


def slugs(client, query: str = "") -> list[str]:
    """The slugs a list request returns, in order, from a page big enough for all of them."""
    separator = "&" if query else ""
    response = client.get(f"{LIST}?{query}{separator}page_size=1000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["slug"] for item in body["results"]]


def test_the_reference_dataset_has_one_bloc_the_western_bloc(client):
    assert slugs(client) == ["western-bloc"]


def test_list_is_in_slug_order(client, producers):
    assert slugs(client) == ["african-producers", "western-bloc"]


# --- member ------------------------------------------------------------------------------------


def test_member_filter_takes_a_code_in_any_case(client, producers):
    assert slugs(client, "member=us") == ["western-bloc"]
    assert slugs(client, "member=Za") == ["african-producers"]


def test_member_filter_drops_blocs_without_that_member(client):
    assert slugs(client, "member=ZA") == []


def test_member_filter_takes_several_codes_and_lists_each_bloc_once(client, producers):
    assert slugs(client, "member=US,EU,ca") == ["western-bloc"]
    assert slugs(client, "member=US,ZW") == ["african-producers", "western-bloc"]


def test_an_unknown_member_code_is_a_400_naming_member(client):
    body = problem(client.get(f"{LIST}?member=us,zz"), 400, "member")
    assert "ZZ" in body["errors"]["member"][0].upper()


# --- updated_since and confidence --------------------------------------------------------------


def test_updated_since_keeps_only_blocs_changed_at_or_after_the_moment(client, producers):
    changed = datetime.datetime(2099, 1, 1, 12, 0, tzinfo=datetime.UTC)
    m.Bloc.objects.filter(slug="western-bloc").update(updated_at=changed)
    assert slugs(client, "updated_since=2099-01-01T12:00:00Z") == ["western-bloc"]
    assert slugs(client, "updated_since=2099-01-01T12:00:01Z") == []


def test_a_malformed_updated_since_is_a_400_naming_it(client):
    problem(client.get(f"{LIST}?updated_since=2099-01-01T25:00:00Z"), 400, "updated_since")


def test_confidence_filter_keeps_only_those_grades(client, producers):
    assert slugs(client, "confidence=single_source") == ["western-bloc"]
    assert slugs(client, "confidence=uncertain") == ["african-producers"]
    assert slugs(client, "confidence=verified") == []
    assert slugs(client, "confidence=verified,uncertain") == ["african-producers"]


def test_an_unknown_confidence_is_a_400_naming_confidence(client):
    problem(client.get(f"{LIST}?confidence=single"), 400, "confidence")


# --- search and ordering -----------------------------------------------------------------------


def test_search_finds_blocs_by_name_slug_or_description(client, producers):
    assert slugs(client, "search=western") == ["western-bloc"]
    assert slugs(client, "search=reforms") == ["western-bloc"]  # in the description only
    assert slugs(client, "search=PRODUCERS") == ["african-producers"]
    assert slugs(client, "search=eastern") == []


def test_ordering_by_name_both_directions(client, producers):
    assert slugs(client, "ordering=name") == ["african-producers", "western-bloc"]
    assert slugs(client, "ordering=-name") == ["western-bloc", "african-producers"]


def test_ordering_by_slug_descending(client, producers):
    assert slugs(client, "ordering=-slug") == ["western-bloc", "african-producers"]


def test_an_unknown_ordering_is_a_400_naming_ordering(client):
    body = problem(client.get(f"{LIST}?ordering=members"), 400, "ordering")
    assert "members" in body["errors"]["ordering"][0]


# --- fields and expand -------------------------------------------------------------------------


def test_fields_returns_only_those_keys(client):
    response = client.get(f"{LIST}?fields=slug,members")
    assert response.json()["results"] == [{"slug": "western-bloc", "members": WESTERN}]
    detail = client.get(f"{LIST}western-bloc/?fields=name")
    assert detail.json() == {"name": "Western bloc"}


def test_an_unknown_field_is_a_400_naming_fields(client):
    problem(client.get(f"{LIST}?fields=slug,countries"), 400, "fields")
    problem(client.get(f"{LIST}western-bloc/?fields=countries"), 400, "fields")


def test_expand_members_gives_each_participant_in_brief_with_its_url(client):
    names = dict(m.Participant.objects.filter(code__in=WESTERN).values_list("code", "name"))
    response = client.get(f"{LIST}?expand=members&fields=slug,members")
    assert response.json()["results"] == [
        {
            "slug": "western-bloc",
            "members": [
                {
                    "code": code,
                    "name": names[code],
                    "kind": "regional_organisation" if code == "EU" else "state",
                    "url": f"http://testserver/api/v1/participants/{code}/",
                }
                for code in WESTERN
            ],
        }
    ]


def test_expand_sources_gives_each_source_in_brief_with_its_url(client):
    urls = western_row()["sources"].split()
    response = client.get(f"{LIST}western-bloc/?expand=sources&fields=sources")
    sources = response.json()["sources"]
    assert sorted(source["url"] for source in sources) == sorted(urls)
    for source in sources:
        assert source["api_url"] == f"http://testserver/api/v1/sources/{source['slug']}/"


def test_an_unknown_expand_is_a_400_naming_expand(client):
    problem(client.get(f"{LIST}?expand=participants"), 400, "expand")
    problem(client.get(f"{LIST}western-bloc/?expand=description"), 400, "expand")


def test_naming_a_field_twice_in_expand_is_never_a_server_error(client):
    client.raise_request_exception = False  # see what a user would get
    response = client.get(f"{LIST}?expand=members,members&fields=members")
    if response.status_code == 400:
        problem(response, 400, "expand")
    else:
        assert response.status_code == 200, response.content
        (bloc,) = response.json()["results"]
        assert [member["code"] for member in bloc["members"]] == WESTERN


def test_list_query_count_grows_neither_with_the_page_size_nor_with_expand(client, producers):
    cache.clear()  # each request counts its rows anew
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{LIST}?page_size=1").status_code == 200
    cache.clear()  # each request counts its rows anew
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"{LIST}?page_size=100").status_code == 200
    cache.clear()  # each request counts its rows anew
    with CaptureQueriesContext(connection) as expanded:
        assert client.get(f"{LIST}?page_size=100&expand=members,sources").status_code == 200
    assert len(small) == len(large) == len(expanded)


# --- identifiers, 404 and unknown parameters ---------------------------------------------------


def test_bloc_slugs_are_case_insensitive(client):
    response = client.get(f"{LIST}WESTERN-BLOC/")
    assert response.status_code == 200
    assert response.json()["slug"] == "western-bloc"
    assert response.json()["url"] == "http://testserver/api/v1/blocs/western-bloc/"


def test_an_unknown_slug_is_a_404_problem(client):
    body = problem(client.get(f"{LIST}eastern-bloc/"), 404)
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["title"] == "Not Found"
    assert "eastern-bloc" in body["detail"]


def test_an_unknown_query_parameter_is_a_400_naming_it(client):
    problem(client.get(f"{LIST}?members=US"), 400, "members")


# --- the detail body ---------------------------------------------------------------------------


def test_detail_of_the_western_bloc_is_the_whole_record(client):
    row = western_row()
    record = m.Bloc.objects.get(slug="western-bloc")
    response = client.get(f"{LIST}western-bloc/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "slug": "western-bloc",
        "url": "http://testserver/api/v1/blocs/western-bloc/",
        "name": "Western bloc",
        "description": row["description"],
        "members": sorted(row["members"].split(";")),
        "sources": source_slugs(row["sources"]),
        "confidence": "single_source",
        "note": row["note"],
        "created_at": stamp(record.created_at),
        "updated_at": stamp(record.updated_at),
    }
