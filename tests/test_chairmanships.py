"""/api/v1/chairmanships/: who chaired the KP each year, filtered, ordered, shaped and looked up."""

import pytest

from api import models as m
from tests.helpers import GRADES, problem, rows, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/chairmanships/"


def years(client, **params) -> list[int]:
    """The years a list request returns, in the order served (every page at once)."""
    response = client.get(LIST, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["year"] for item in body["results"]]


def test_the_list_holds_one_chairmanship_per_year_2003_to_2026_in_year_order(client):
    assert years(client) == list(range(2003, 2027))


def test_chair_lists_the_years_a_participant_chaired(client):
    assert years(client, chair="AE") == [2016, 2024, 2025]
    assert years(client, chair="AE,EU") == [2007, 2016, 2018, 2024, 2025]


def test_chair_codes_are_case_insensitive(client):
    assert years(client, chair="cd") == [2011]
    assert years(client, chair="Cd") == [2011]


def test_chair_leaves_out_years_chaired_by_others(client):
    chaired_by_canada = years(client, chair="CA")
    assert chaired_by_canada == [2004]
    assert 2011 not in chaired_by_canada


def test_an_unknown_chair_code_is_a_400_naming_chair(client):
    problem(client.get(LIST, {"chair": "XX"}), 400, "chair")


def test_vice_chair_lists_the_years_a_participant_was_vice_chair(client):
    assert years(client, vice_chair="ru") == [2004, 2019]
    assert years(client, vice_chair="AE") == [2015, 2023]


def test_vice_chair_drops_years_the_participant_only_chaired(client):
    # Russia chaired in 2005 and 2021 but was vice-chair only in 2004 and 2019.
    assert 2005 not in years(client, vice_chair="RU")
    assert 2021 not in years(client, vice_chair="RU")


def test_an_unknown_vice_chair_code_is_a_400_naming_vice_chair(client):
    problem(client.get(LIST, {"vice_chair": "ZZ"}), 400, "vice_chair")


def test_year_after_and_year_before_include_their_bounds(client):
    assert years(client, year_after=2024) == [2024, 2025, 2026]
    assert years(client, year_before=2004) == [2003, 2004]
    assert years(client, year_after=2010, year_before=2012) == [2010, 2011, 2012]


def test_year_bounds_that_cross_leave_nothing(client):
    assert years(client, year_after=2020, year_before=2019) == []


@pytest.mark.parametrize("parameter", ["year_after", "year_before"])
@pytest.mark.parametrize("value", ["99999999999999", "-1", "twenty", "2011.5"])
def test_a_year_that_is_not_a_plausible_year_is_a_400_naming_it(client, parameter, value):
    problem(client.get(LIST, {parameter: value}), 400, parameter)


def test_confidence_keeps_only_the_grades_asked_for(client):
    expected = {int(row["year"]): GRADES[row["confidence"]] for row in rows("kp-chairmanships.csv")}
    assert years(client, confidence="uncertain") == [2008]
    assert years(client, confidence="single_source,uncertain") == sorted(
        year for year, grade in expected.items() if grade in {"single_source", "uncertain"}
    )
    verified = years(client, confidence="verified")
    assert 2011 in verified
    assert 2008 not in verified
    assert 2026 not in verified


def test_ordering_by_year_goes_both_ways(client):
    assert years(client, ordering="year") == list(range(2003, 2027))
    assert years(client, ordering="-year") == list(range(2026, 2002, -1))


def test_fields_returns_only_the_fields_asked_for(client):
    response = client.get(LIST, {"fields": "year,chair", "chair": "CD"})
    assert response.status_code == 200
    assert response.json()["results"] == [{"year": 2011, "chair": "CD"}]
    detail = client.get(f"{LIST}2011/", {"fields": "chair_person,url"})
    assert detail.json() == {
        "chair_person": "mathieu-yamba",
        "url": "http://testserver/api/v1/chairmanships/2011/",
    }


def test_expand_turns_chair_and_chair_person_into_brief_objects_with_their_url(client):
    response = client.get(f"{LIST}2011/", {"expand": "chair,chair_person"})
    assert response.status_code == 200
    body = response.json()
    assert body["chair"] == {
        "code": "CD",
        "name": "Democratic Republic of the Congo",
        "kind": "state",
        "url": "http://testserver/api/v1/participants/CD/",
    }
    assert body["chair_person"] == {
        "slug": "mathieu-yamba",
        "name": m.Person.objects.get(slug="mathieu-yamba").name,
        "url": "http://testserver/api/v1/people/mathieu-yamba/",
    }
    assert body["vice_chair"] == "US"  # not asked for: still a code


def test_expand_works_on_the_list_and_leaves_a_missing_chair_null(client):
    response = client.get(LIST, {"expand": "chair,vice_chair", "year_after": 2020})
    assert response.status_code == 200
    by_year = {item["year"]: item for item in response.json()["results"]}
    assert by_year[2020]["chair"] is None
    assert by_year[2020]["vice_chair"] is None
    assert by_year[2021]["chair"]["url"] == "http://testserver/api/v1/participants/RU/"
    assert by_year[2021]["vice_chair"]["code"] == "BW"


def test_the_2011_chairmanship_is_served_in_full(client):
    chairmanship = m.Chairmanship.objects.get(year=2011)
    (row,) = [row for row in rows("kp-chairmanships.csv") if row["year"] == "2011"]
    urls = row["sources"].split()
    sources = sorted(m.Source.objects.filter(url__in=urls).values_list("slug", flat=True))
    assert len(sources) == len(urls)

    response = client.get(f"{LIST}2011/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "year": 2011,
        "url": "http://testserver/api/v1/chairmanships/2011/",
        "chair": "CD",
        "chair_person": "mathieu-yamba",
        "vice_chair": "US",
        "sources": sources,
        "confidence": "verified",
        "note": row["note"],
        "created_at": stamp(chairmanship.created_at),
        "updated_at": stamp(chairmanship.updated_at),
    }
