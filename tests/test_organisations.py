"""/api/v1/organisations/: observers, NGOs, industry bodies, media and agencies."""

import pytest

from api import models as m
from tests.helpers import problem, rows, source_slugs, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"
OBSERVERS = {
    "african-diamond-producers-association",
    "diamond-development-initiative",
    "kp-civil-society-coalition",
    "world-diamond-council",
}


def slugs(client, query: str = "") -> list[str]:
    """The slugs a list request returns, in order, from a page big enough for all of them."""
    separator = "&" if query else ""
    response = client.get(f"{LIST}?{query}{separator}page_size=1000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["slug"] for item in body["results"]]


def test_list_holds_every_organisation_of_the_reference_and_chinese_taipei(client):
    listed = slugs(client)
    assert {row["slug"] for row in rows("kp-organisations.csv")} <= set(listed)
    assert "chinese-taipei" in listed
    assert listed == sorted(listed)  # default order: slug


# --- kind, kp_observer, country -----------------------------------------------------------------


def test_kind_filter_keeps_only_that_kind(client):
    listed = slugs(client, "kind=media")
    assert {"jck", "rapaport"} <= set(listed)
    assert "ipis" not in listed
    assert set(listed) == set(
        m.Organisation.objects.filter(kind="media").values_list("slug", flat=True)
    )


def test_kind_filter_takes_several_values(client):
    listed = slugs(client, "kind=media,research")
    assert {"jck", "rapaport", "ipis"} <= set(listed)
    assert "world-diamond-council" not in listed


def test_an_unknown_kind_is_a_400_naming_kind(client):
    problem(client.get(f"{LIST}?kind=ngo"), 400, "kind")


def test_kp_observer_true_lists_the_four_observers(client):
    assert set(slugs(client, "kp_observer=true")) == OBSERVERS


def test_kp_observer_false_leaves_the_observers_out(client):
    listed = slugs(client, "kp_observer=false")
    assert not OBSERVERS & set(listed)
    assert "ipis" in listed


def test_a_kp_observer_value_that_is_not_a_boolean_is_a_400_naming_it(client):
    # A typo must never silently return unfiltered data.
    problem(client.get(f"{LIST}?kp_observer=maybe"), 400, "kp_observer")


def test_country_filter_is_case_insensitive_and_keeps_that_seat_only(client):
    listed = slugs(client, "country=be")
    assert {"ipis", "antwerp-world-diamond-centre"} <= set(listed)
    assert "jck" not in listed
    assert set(listed) == set(
        m.Organisation.objects.filter(country="BE").values_list("slug", flat=True)
    )
    assert slugs(client, "country=TW") == ["chinese-taipei"]


def test_a_country_longer_than_two_letters_is_a_400_naming_country(client):
    problem(client.get(f"{LIST}?country=bel"), 400, "country")


def test_a_country_that_is_not_an_alpha2_code_is_a_400_naming_country(client):
    problem(client.get(f"{LIST}?country=1!"), 400, "country")


# --- updated_since and confidence ---------------------------------------------------------------


def test_confidence_filter_keeps_only_those_grades(client):
    # Chinese Taipei's row is graded V; the organisations file grades nothing (single_source).
    assert slugs(client, "confidence=verified") == ["chinese-taipei"]
    listed = slugs(client, "confidence=single_source,uncertain")
    assert "chinese-taipei" not in listed
    assert "ipis" in listed


# --- search and ordering ------------------------------------------------------------------------


def test_search_finds_organisations_by_name_slug_or_acronym(client):
    assert slugs(client, "search=WDC") == ["world-diamond-council"]
    assert slugs(client, "search=peace%20information") == ["ipis"]
    assert slugs(client, "search=no-such-body") == []


def test_ordering_by_name_both_directions(client):
    by_name = [
        "african-diamond-producers-association",  # African Diamond Producers Association
        "diamond-development-initiative",  # Diamond Development Initiative
        "kp-civil-society-coalition",  # Kimberley Process Civil Society Coalition
        "world-diamond-council",  # World Diamond Council
    ]
    assert slugs(client, "kp_observer=true&ordering=name") == by_name
    assert slugs(client, "kp_observer=true&ordering=-name") == by_name[::-1]


def test_ordering_by_kind_breaks_ties_by_slug(client):
    assert slugs(client, "kp_observer=true&ordering=kind") == [
        "diamond-development-initiative",  # civil_society
        "kp-civil-society-coalition",  # civil_society
        "world-diamond-council",  # industry
        "african-diamond-producers-association",  # intergovernmental
    ]
    assert slugs(client, "kp_observer=true&ordering=-kind") == [
        "african-diamond-producers-association",
        "world-diamond-council",
        "diamond-development-initiative",
        "kp-civil-society-coalition",
    ]


# --- fields and expand --------------------------------------------------------------------------


def test_fields_returns_only_those_keys(client):
    response = client.get(f"{LIST}?fields=slug,acronym&kp_observer=true")
    assert response.json()["results"] == [
        {"slug": "african-diamond-producers-association", "acronym": "ADPA"},
        {"slug": "diamond-development-initiative", "acronym": "DDI"},
        {"slug": "kp-civil-society-coalition", "acronym": "KPCSC"},
        {"slug": "world-diamond-council", "acronym": "WDC"},
    ]
    detail = client.get(f"{LIST}ipis/?fields=name,country")
    assert detail.json() == {"name": "International Peace Information Service", "country": "BE"}


def test_expand_sources_gives_each_source_in_brief_with_its_url(client):
    (row,) = rows("kp-other-entities.csv")
    response = client.get(f"{LIST}chinese-taipei/?expand=sources&fields=slug,sources")
    (url,) = row["sources"].split()
    source = m.Source.objects.get(url=url)
    assert response.json() == {
        "slug": "chinese-taipei",
        "sources": [
            {
                "slug": source.slug,
                "title": source.title,
                "publisher": source.publisher,
                "published_on": source.published_on and source.published_on.isoformat(),
                "published_on_precision": source.published_on_precision,
                "url": url,
                "api_url": f"http://testserver/api/v1/sources/{source.slug}/",
            }
        ],
    }


# --- the detail body ----------------------------------------------------------------------------


def test_detail_of_the_world_diamond_council_is_the_whole_record(client):
    (row,) = [row for row in rows("kp-organisations.csv") if row["slug"] == "world-diamond-council"]
    record = m.Organisation.objects.get(slug="world-diamond-council")
    response = client.get(f"{LIST}world-diamond-council/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "slug": "world-diamond-council",
        "url": "http://testserver/api/v1/organisations/world-diamond-council/",
        "name": "World Diamond Council",
        "acronym": "WDC",
        "kind": "industry",
        "kp_observer": True,
        "country": None,
        "website": "https://www.worlddiamondcouncil.org",
        "links": {
            "stands": "http://testserver/api/v1/positions/?organisation=world-diamond-council",
            "statements": "http://testserver/api/v1/statements/?organisation=world-diamond-council",
            "people": "http://testserver/api/v1/people/?organisation=world-diamond-council",
        },
        "sources": source_slugs(row["sources"]),
        "confidence": "single_source",  # the organisations file grades nothing
        "note": row["note"],
        "created_at": stamp(record.created_at),
        "updated_at": stamp(record.updated_at),
    }
