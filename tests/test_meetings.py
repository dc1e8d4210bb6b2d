"""/api/v1/meetings/: every KP meeting, filtered, ordered, searched, shaped and looked up."""

import pytest
from django.utils.text import slugify

from api import models as m
from tests.helpers import GRADES, problem, rows, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"
KASANE = "2022-intersessional-kasane"
# The one meeting whose first day no source gives: only its last day, 25 May 2023, is known.
VICTORIA_FALLS_INTERSESSIONAL = "2023-intersessional-victoria-falls"


def meetings() -> list[dict[str, str]]:
    """kp-meetings.csv, each row with the slug the contract gives it (year-kind-place)."""
    found = rows("kp-meetings.csv")
    for row in found:
        row["slug"] = f"{row['year']}-{row['kind']}-{slugify(row['city']) or 'virtual'}"
    return found


def in_default_order(selected: list[dict[str, str]]) -> list[str]:
    """Slugs by year, then start date (unknown last), then slug: the list's documented order."""
    return [
        row["slug"]
        for row in sorted(
            selected,
            key=lambda row: (row["year"], row["start_date"] == "", row["start_date"], row["slug"]),
        )
    ]


def slugs(client, **params) -> list[str]:
    """The slugs a list request returns, in the order served (every page at once)."""
    response = client.get(LIST, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["slug"] for item in body["results"]]


def test_the_list_holds_every_meeting_of_the_reference_file_in_date_order(client):
    assert slugs(client) == in_default_order(meetings())


def test_kind_keeps_meetings_of_that_kind_and_drops_the_others(client):
    extraordinary = slugs(client, kind="extraordinary")
    assert extraordinary == ["2003-extraordinary-johannesburg", "2024-extraordinary-dubai"]
    assert KASANE not in extraordinary
    assert slugs(client, kind="ministerial,other") == [
        "2002-other-ottawa",
        "2002-ministerial-interlaken",
    ]


def test_an_unknown_kind_is_a_400_naming_kind(client):
    problem(client.get(LIST, {"kind": "summit"}), 400, "kind")


def test_year_keeps_the_meetings_of_that_year(client):
    assert slugs(client, year=2022) == [KASANE, "2022-plenary-gaborone"]
    assert KASANE not in slugs(client, year=2023)


@pytest.mark.parametrize("value", ["99999999999999", "-2022", "twenty"])
def test_a_year_that_is_not_a_plausible_year_is_a_400_naming_year(client, value):
    problem(client.get(LIST, {"year": value}), 400, "year")


def test_host_keeps_meetings_a_participant_hosted_and_codes_are_case_insensitive(client):
    botswana = ["2006-plenary-gaborone", KASANE, "2022-plenary-gaborone"]
    assert slugs(client, host="bw") == botswana
    assert slugs(client, host="BW") == botswana
    assert "2023-plenary-victoria-falls" not in slugs(client, host="bw")


def test_host_eu_lists_the_meetings_held_in_belgium(client):
    # Belgium is not a participant of its own: the EU hosts for it.
    assert slugs(client, host="eu") == [
        "2007-intersessional-brussels",
        "2007-plenary-brussels",
        "2018-intersessional-antwerp",
        "2018-plenary-brussels",
    ]


def test_an_unknown_host_code_is_a_400_naming_host(client):
    problem(client.get(LIST, {"host": "XX"}), 400, "host")


def test_chair_keeps_the_meetings_of_a_chairs_years(client):
    assert slugs(client, chair="cd") == ["2011-intersessional-kinshasa", "2011-plenary-kinshasa"]
    assert slugs(client, chair="Cd,ZW") == [
        "2011-intersessional-kinshasa",
        "2011-plenary-kinshasa",
        "2023-plenary-victoria-falls",
        VICTORIA_FALLS_INTERSESSIONAL,  # its start is unknown: last of its year
    ]
    assert KASANE not in slugs(client, chair="CD")


def test_an_unknown_chair_code_is_a_400_naming_chair(client):
    problem(client.get(LIST, {"chair": "QQ"}), 400, "chair")


def test_date_after_and_date_before_go_by_the_start_date(client):
    # Kasane met 20 to 24 June 2022: a day after it opened leaves it out, though it was on.
    assert slugs(client, date_after="2022-06-21", date_before="2022-12-31") == [
        "2022-plenary-gaborone"
    ]
    assert slugs(client, date_after="2022-06-20", date_before="2022-06-20") == [KASANE]
    assert slugs(client, date_after="2022-06-01", date_before="2022-06-19") == []


def test_date_filters_use_the_end_date_when_the_start_is_unknown(client):
    assert slugs(client, date_after="2023-05-25", date_before="2023-05-25") == [
        VICTORIA_FALLS_INTERSESSIONAL
    ]
    assert VICTORIA_FALLS_INTERSESSIONAL in slugs(client, date_before="2023-05-31", year=2023)
    assert VICTORIA_FALLS_INTERSESSIONAL not in slugs(client, date_after="2023-05-26")
    assert VICTORIA_FALLS_INTERSESSIONAL not in slugs(client, date_before="2023-05-24")


@pytest.mark.parametrize("parameter", ["date_after", "date_before"])
@pytest.mark.parametrize("value", ["2023-02-30", "25/05/2023", "2023-5", "99999-01-01"])
def test_a_date_that_is_not_a_real_day_is_a_400_naming_it(client, parameter, value):
    problem(client.get(LIST, {parameter: value}), 400, parameter)


def test_a_choice_filter_of_only_commas_does_not_claim_that_nothing_matches(client):
    # `?kind=,` names no kind: refuse it as `?kind=summit` is refused, or ignore it as
    # `?chair=,` is ignored; an empty list would tell the user no meeting exists. (Every
    # collection's `?confidence=,`: tests/test_collections.py.)
    response = client.get(LIST, {"kind": ",", "page_size": 1000})
    if response.status_code == 400:
        problem(response, 400, "kind")
    else:
        assert response.status_code == 200, response.content
        assert response.json()["count"] == len(meetings())


def test_confidence_keeps_only_the_grades_asked_for(client):
    single = [row for row in meetings() if GRADES[row["confidence"]] == "single_source"]
    assert slugs(client, confidence="single_source") == in_default_order(single)
    assert VICTORIA_FALLS_INTERSESSIONAL in slugs(client, confidence="single_source")
    verified = slugs(client, confidence="verified")
    assert KASANE in verified
    assert VICTORIA_FALLS_INTERSESSIONAL not in verified
    assert len(slugs(client, confidence="verified,single_source,uncertain")) == len(meetings())


def test_ordering_by_start_date_goes_both_ways_with_unknown_days_last(client):
    ascending = slugs(client, ordering="start_date")
    descending = slugs(client, ordering="-start_date")
    assert ascending[:2] == ["2002-other-ottawa", "2002-ministerial-interlaken"]
    assert descending[:2] == ["2025-plenary-dubai", "2025-intersessional-dubai"]
    assert ascending[-1] == descending[-1] == VICTORIA_FALLS_INTERSESSIONAL
    known = [slug for slug in ascending if slug != VICTORIA_FALLS_INTERSESSIONAL]
    assert [slug for slug in descending if slug != VICTORIA_FALLS_INTERSESSIONAL] == known[::-1]


def test_ordering_by_slug_goes_both_ways(client):
    every = sorted(row["slug"] for row in meetings())
    assert slugs(client, ordering="slug") == every
    assert slugs(client, ordering="-slug") == every[::-1]


def test_search_finds_meetings_by_place_and_by_words_of_the_outcome(client):
    assert slugs(client, search="kasane") == [KASANE]
    assert slugs(client, search="Victoria") == [
        "2023-plenary-victoria-falls",
        VICTORIA_FALLS_INTERSESSIONAL,
    ]
    uzbekistan = [row for row in meetings() if "uzbekistan" in row["outcome"].lower()]
    assert slugs(client, search="uzbekistan") == in_default_order(uzbekistan) != []
    assert slugs(client, search="atlantis") == []


def test_fields_returns_only_the_fields_asked_for(client):
    response = client.get(LIST, {"fields": "slug,host", "year": 2022})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"slug": KASANE, "host": "BW"},
        {"slug": "2022-plenary-gaborone", "host": "BW"},
    ]
    detail = client.get(f"{LIST}{KASANE}/", {"fields": "start_date,end_date"})
    assert detail.json() == {"start_date": "2022-06-20", "end_date": "2022-06-24"}


def test_expand_host_gives_the_hosts_brief_form_with_its_url(client):
    response = client.get(f"{LIST}{KASANE}/", {"expand": "host"})
    assert response.status_code == 200
    body = response.json()
    assert body["host"] == {
        "code": "BW",
        "name": "Botswana",
        "kind": "state",
        "url": "http://testserver/api/v1/participants/BW/",
    }
    assert body["chair"] == "BW"  # not asked for: still a code


def test_expand_on_the_list_leaves_a_virtual_meetings_host_null(client):
    response = client.get(LIST, {"expand": "host,chair", "year": 2021})
    assert response.status_code == 200
    by_slug = {item["slug"]: item for item in response.json()["results"]}
    assert by_slug["2021-intersessional-virtual"]["host"] is None
    assert by_slug["2021-plenary-moscow"]["host"]["url"] == (
        "http://testserver/api/v1/participants/RU/"
    )
    assert by_slug["2021-plenary-moscow"]["chair"]["code"] == "RU"


def test_the_kasane_intersessional_is_served_in_full(client):
    meeting = m.Meeting.objects.get(slug=KASANE)
    (row,) = [row for row in meetings() if row["slug"] == KASANE]
    source = m.Source.objects.get(url=row["source_url"])

    response = client.get(f"{LIST}{KASANE}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "slug": KASANE,
        "url": "http://testserver/api/v1/meetings/2022-intersessional-kasane/",
        "kind": "intersessional",
        "title": "2022 intersessional, Kasane",
        "year": 2022,
        "start_date": "2022-06-20",
        "start_date_precision": "day",
        "end_date": "2022-06-24",
        "end_date_precision": "day",
        "city": "Kasane",
        "country": "BW",
        "host": "BW",
        "chair": "BW",
        "outcome": row["outcome"],
        "communique_adopted": None,
        # Its proposals as the reference files place them; its statements by their ids here.
        "proposals": [
            p["slug"]
            for p in rows("kp-proposals.csv")
            if p["meeting"] == "2022 intersessional, Kasane"
        ],
        "statements": list(meeting.statements.order_by("date", "pk").values_list("pk", flat=True)),
        "sources": [source.slug],
        "confidence": "verified",
        "note": row["note"],
        "created_at": stamp(meeting.created_at),
        "updated_at": stamp(meeting.updated_at),
    }


@pytest.mark.parametrize("topic", ["marange-zimbabwe", "russia-ukraine", "definition-reform"])
def test_meetings_by_topic_are_those_where_a_proposal_or_statement_was_about_it(client, topic):
    expected = sorted(
        {
            p.meeting.slug
            for p in m.Proposal.objects.filter(topics__slug=topic, meeting__isnull=False)
        }
        | {
            s.meeting.slug
            for s in m.Statement.objects.filter(topics__slug=topic, meeting__isnull=False)
        }
    )
    response = client.get(LIST, {"topic": topic, "page_size": 100})
    assert sorted(row["slug"] for row in response.json()["results"]) == expected
    assert expected  # the reference data has such meetings
