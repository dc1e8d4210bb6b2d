"""/api/v1/blocs/: informal groups of participants, such as the Western bloc."""

import pytest

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


def test_confidence_filter_keeps_only_those_grades(client, producers):
    assert slugs(client, "confidence=single_source") == ["western-bloc"]
    assert slugs(client, "confidence=uncertain") == ["african-producers"]
    assert slugs(client, "confidence=verified") == []
    assert slugs(client, "confidence=verified,uncertain") == ["african-producers"]


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


# --- fields and expand -------------------------------------------------------------------------


def test_fields_returns_only_those_keys(client):
    response = client.get(f"{LIST}?fields=slug,members")
    assert response.json()["results"] == [{"slug": "western-bloc", "members": WESTERN}]
    detail = client.get(f"{LIST}western-bloc/?fields=name")
    assert detail.json() == {"name": "Western bloc"}


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
