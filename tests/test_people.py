"""/api/v1/people/: people named in the record, with their roles over time."""

import pytest

from api import models as m
from tests.helpers import problem, rows, source_slugs, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/people/"


def slugs(client, query: str = "") -> list[str]:
    """The slugs a list request returns, in order, from a page big enough for all of them."""
    separator = "&" if query else ""
    response = client.get(f"{LIST}?{query}{separator}page_size=1000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["slug"] for item in body["results"]]


def members_of(organisation: str) -> set[str]:
    return set(
        m.Person.objects.filter(affiliations__organisation__slug=organisation).values_list(
            "slug", flat=True
        )
    )


def test_list_holds_every_person_of_the_reference_in_slug_order(client):
    listed = slugs(client)
    assert {row["slug"] for row in rows("kp-people.csv")} <= set(listed)
    assert listed == sorted(listed)
    assert len(listed) == len(set(listed))


# --- organisation -------------------------------------------------------------------------------


def test_organisation_filter_takes_a_slug_in_any_case_and_keeps_its_people(client):
    listed = slugs(client, "organisation=IPIS")
    assert "hans-merket" in listed
    assert "rob-bates" not in listed  # a JCK writer
    assert set(listed) == members_of("ipis")


def test_organisation_filter_lists_each_person_once_however_many_roles_they_held(client):
    listed = slugs(client, "organisation=world-diamond-council")
    # Edward Asscher and Stéphane Fischler each held two WDC roles.
    assert listed.count("edward-asscher") == listed.count("stephane-fischler") == 1
    assert {"eli-izhakoff", "avi-paz", "andrey-polyakov", "feriel-zerouki"} <= set(listed)
    assert "hans-merket" not in listed


def test_organisation_filter_takes_several_slugs(client):
    listed = slugs(client, "organisation=ipis,JCK")
    assert {"hans-merket", "rob-bates"} <= set(listed)
    assert set(listed) == members_of("ipis") | members_of("jck")
    assert "feriel-zerouki" not in listed


def test_an_unknown_organisation_is_a_400_naming_organisation(client):
    body = problem(client.get(f"{LIST}?organisation=ipis,no-such-body"), 400, "organisation")
    assert "no-such-body" in body["errors"]["organisation"][0]


# --- updated_since and confidence ---------------------------------------------------------------


def test_confidence_filter_keeps_only_those_grades(client):
    # The people file grades nothing: every person is single_source until an editor says more.
    m.Person.objects.filter(slug="eli-izhakoff").update(confidence="uncertain")
    assert slugs(client, "confidence=uncertain") == ["eli-izhakoff"]
    listed = slugs(client, "confidence=verified,single_source")
    assert "eli-izhakoff" not in listed
    assert "hans-merket" in listed


# --- search and ordering ------------------------------------------------------------------------


def test_search_finds_people_by_name_or_slug(client):
    assert slugs(client, "search=merket") == ["hans-merket"]
    assert slugs(client, "search=hans%20MERKET") == ["hans-merket"]
    assert slugs(client, "search=no-such-person") == []


def test_ordering_by_name_both_directions(client):
    names = dict(
        m.Person.objects.filter(slug__in=members_of("world-diamond-council")).values_list(
            "slug", "name"
        )
    )
    by_name = sorted(names, key=names.get)
    assert by_name[:2] == ["andrey-polyakov", "avi-paz"]
    query = "organisation=world-diamond-council&ordering="
    assert slugs(client, query + "name") == by_name
    assert slugs(client, query + "-name") == by_name[::-1]


def test_ordering_by_slug_descending(client):
    listed = slugs(client, "ordering=-slug")
    assert listed == sorted(listed, reverse=True)


# --- fields and expand --------------------------------------------------------------------------


def test_fields_returns_only_those_keys(client):
    response = client.get(f"{LIST}?fields=slug,name&search=merket")
    assert response.json()["results"] == [{"slug": "hans-merket", "name": "Hans Merket"}]
    detail = client.get(f"{LIST}rob-bates/?fields=name")
    assert detail.json() == {"name": "Rob Bates"}


def test_expand_sources_gives_each_source_in_brief_with_its_url(client):
    (row,) = [row for row in rows("kp-people.csv") if row["slug"] == "silvio-gonzato"]
    (url,) = row["sources"].split()
    source = m.Source.objects.get(url=url)
    response = client.get(f"{LIST}silvio-gonzato/?expand=sources&fields=sources")
    assert response.json() == {
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
        ]
    }


def test_expand_sources_in_a_list(client):
    response = client.get(f"{LIST}?search=merket&expand=sources&fields=slug,sources")
    (person,) = response.json()["results"]
    assert person["sources"]
    assert all(source["api_url"].startswith("http://testserver/") for source in person["sources"])


# --- detail bodies ------------------------------------------------------------------------------


def test_affiliations_run_in_order_of_start_with_unknown_starts_last_on_every_database(client):
    # Abbey Chikane chaired the KP for South Africa (start unknown, ended Oct 2003) and was
    # KP Monitor from Nov 2009. Nulls sort last everywhere in this API, so that a record reads
    # the same on PostgreSQL and on SQLite.
    body = client.get(f"{LIST}abbey-chikane/").json()
    assert [
        (role["organisation"], role["participant"], role["role"], role["start"])
        for role in body["affiliations"]
    ] == [
        ("kimberley-process", None, "KP Monitor (Marange, Zimbabwe)", "2009-11-01"),
        (None, "ZA", "KP chair", None),
    ]


def test_detail_of_silvio_gonzato_is_the_whole_record(client):
    (person,) = [row for row in rows("kp-people.csv") if row["slug"] == "silvio-gonzato"]
    (role,) = [row for row in rows("kp-affiliations.csv") if row["person"] == "silvio-gonzato"]
    record = m.Person.objects.get(slug="silvio-gonzato")
    response = client.get(f"{LIST}silvio-gonzato/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "slug": "silvio-gonzato",
        "url": "http://testserver/api/v1/people/silvio-gonzato/",
        "name": "Silvio Gonzato",
        "affiliations": [
            {
                "organisation": None,  # a role in a participant's government, not an organisation
                "participant": "EU",
                "role": "spoke for the EU at the UN's KP meeting",
                "start": None,
                "start_precision": None,
                "end": None,
                "end_precision": None,
                "note": role["note"],
                "confidence": "single_source",  # the affiliations file grades nothing
                "sources": source_slugs(role["sources"]),
            }
        ],
        "sources": source_slugs(person["sources"]),
        "confidence": "single_source",  # and neither does the people file
        "note": person["note"],
        "created_at": stamp(record.created_at),
        "updated_at": stamp(record.updated_at),
    }
