"""/api/v1/participants/: the 60 current participants, former ones on request, and their status."""

import pytest

from api import models as m
from tests.helpers import GRADES, problem, rows, source_slugs, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/participants/"
FORMER = {"HU", "PL", "SI", "BG", "RO", "HR"}


def current_rows() -> list[dict[str, str]]:
    return rows("kp-participants.csv")


def codes(client, query: str = "") -> list[str]:
    """The codes a list request returns, in order, from a page big enough for all of them."""
    separator = "&" if query else ""
    response = client.get(f"{LIST}?{query}{separator}page_size=1000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["code"] for item in body["results"]]


# --- The plain list, and former participants ----------------------------------------------------


def test_plain_list_has_the_sixty_current_participants_and_no_former_ones(client):
    listed = codes(client)
    assert len(listed) == 60
    assert set(listed) == {row["code"] for row in current_rows()}
    assert not FORMER & set(listed)


def test_plain_list_is_ordered_by_code_and_paged_fifty_at_a_time(client):
    body = client.get(LIST).json()
    assert body["count"] == 60
    page = [item["code"] for item in body["results"]]
    assert len(page) == 50
    assert page == sorted(page)
    assert body["next"] == "http://testserver/api/v1/participants/?page=2"
    rest = [item["code"] for item in client.get(body["next"]).json()["results"]]
    assert page + rest == sorted({row["code"] for row in current_rows()})


def test_status_withdrawn_lists_the_six_former_participants(client):
    response = client.get(f"{LIST}?status=withdrawn&fields=code,status")
    assert response.status_code == 200
    results = response.json()["results"]
    assert {item["code"] for item in results} == FORMER
    assert {item["status"] for item in results} == {"withdrawn"}


def test_status_active_keeps_the_readmitted_central_african_republic_and_drops_hungary(client):
    listed = codes(client, "status=active")
    assert "CF" in listed
    assert "HU" not in listed
    assert len(listed) == 60


def test_status_filter_takes_several_values(client):
    listed = codes(client, "status=active,withdrawn")
    assert len(listed) == 66
    assert set(listed) >= FORMER


def test_status_suspended_lists_nobody_today_since_every_suspension_has_ended(client):
    assert codes(client, "status=suspended") == []


def test_an_unknown_status_is_a_400_naming_status(client):
    problem(client.get(f"{LIST}?status=expelled"), 400, "status")


def test_former_participant_detail_shows_it_withdrawn_with_its_history(client):
    response = client.get(f"{LIST}hu/")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["status"]) == ("HU", "withdrawn")
    assert [(p["status"], p["start"], p["end"]) for p in body["status_history"]] == [
        ("withdrawn", "2004-05-01", None)
    ]


# --- as_of: the participants of a past day, each with that day's status -------------------------


def test_status_filter_lists_only_suspended_participants_on_the_as_of_day(client):
    response = client.get(f"{LIST}?as_of=2014-01-01&status=suspended&fields=code,status")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["code"] for item in results] == ["CF", "CI", "VE"]
    assert {item["status"] for item in results} == {"suspended"}


def test_as_of_includes_croatia_and_leaves_out_hungary(client):
    response = client.get(f"{LIST}?as_of=2005-01-01&fields=code,status&page_size=100")
    statuses = {item["code"]: item["status"] for item in response.json()["results"]}
    assert statuses["HR"] == "active"
    assert "HU" not in statuses
    # Suspended then, active today.
    assert statuses["CG"] == statuses["CI"] == statuses["LB"] == "suspended"
    assert client.get(f"{LIST}CG/").json()["status"] == "active"


def test_as_of_leaves_out_participants_that_joined_after_that_day(client):
    listed = codes(client, "as_of=2012-09-01")
    assert "CM" in listed  # joined 14 Aug 2012
    assert "KH" not in listed  # joined Nov 2012
    assert "GB" not in listed  # a participant in its own right from 2021
    assert "BD" in listed  # no source settles its join date, so it is not left out


def test_as_of_with_status_withdrawn_lists_those_that_had_left_by_then(client):
    assert codes(client, "as_of=2005-01-01&status=withdrawn") == ["HU", "PL", "SI"]


def test_as_of_the_day_before_a_former_participant_left_includes_it_as_active(client):
    response = client.get(f"{LIST}?as_of=2004-04-30&fields=code,status&page_size=100")
    statuses = {item["code"]: item["status"] for item in response.json()["results"]}
    assert statuses["HU"] == statuses["PL"] == statuses["SI"] == "active"
    assert "HU" not in codes(client, "as_of=2004-05-01")  # it left on that day


def test_a_suspension_covers_its_first_day_but_not_the_day_it_ends(client):
    # The Central African Republic was suspended on 23 May 2013 and readmitted on 15 Nov 2024.
    assert "CF" not in codes(client, "as_of=2013-05-22&status=suspended")
    assert "CF" in codes(client, "as_of=2013-05-23&status=suspended")
    assert "CF" in codes(client, "as_of=2024-11-14&status=suspended")
    assert "CF" not in codes(client, "as_of=2024-11-15&status=suspended")
    assert "CF" in codes(client, "as_of=2024-11-15&status=active")


def test_as_of_a_day_that_does_not_exist_is_a_400_naming_as_of(client):
    problem(client.get(f"{LIST}?as_of=2005-02-30"), 400, "as_of")


# --- kind, region, bloc, joined_after, joined_before --------------------------------------------


def test_kind_regional_organisation_lists_only_the_eu(client):
    assert codes(client, "kind=regional_organisation") == ["EU"]


def test_kind_state_leaves_out_the_eu(client):
    listed = codes(client, "kind=state")
    assert "EU" not in listed
    assert "ZA" in listed
    assert len(listed) == 59


def test_an_unknown_kind_is_a_400_naming_kind(client):
    problem(client.get(f"{LIST}?kind=country"), 400, "kind")


def test_region_filter_keeps_that_continent_only(client):
    assert codes(client, "region=oceania") == ["AU", "NZ"]
    europe = codes(client, "region=europe")
    assert europe == ["BY", "CH", "EU", "GB", "NO", "RU", "UA"]
    assert "ZA" not in europe


def test_region_filter_takes_several_values(client):
    expected = {row["code"] for row in current_rows() if row["region"] in {"oceania", "americas"}}
    assert set(codes(client, "region=oceania,americas")) == expected
    assert {"AU", "NZ", "US", "BR"} <= expected


def test_an_unknown_region_is_a_400_naming_region(client):
    problem(client.get(f"{LIST}?region=antarctica"), 400, "region")


def test_bloc_filter_takes_a_slug_in_any_case_and_lists_its_members(client):
    listed = codes(client, "bloc=WESTERN-BLOC")
    assert listed == ["AU", "CA", "CH", "EU", "GB", "US"]
    assert "ZA" not in listed


def test_an_unknown_bloc_is_a_400_naming_bloc(client):
    body = problem(client.get(f"{LIST}?bloc=eastern-bloc"), 400, "bloc")
    assert "eastern-bloc" in body["errors"]["bloc"][0]


def test_joined_after_keeps_those_that_joined_on_or_after_the_day(client):
    expected = {row["code"] for row in current_rows() if row["joined_on"] >= "2021-01-01"}
    listed = codes(client, "joined_after=2021-01-01")
    assert set(listed) == expected == {"GB", "KG", "MZ", "QA", "UZ"}
    assert "AO" not in listed
    assert "BD" not in listed  # an unknown join date is neither before nor after


def test_joined_before_keeps_those_that_joined_on_or_before_the_day(client):
    expected = {
        row["code"]
        for row in current_rows()
        if row["joined_on"] and row["joined_on"] <= "2003-01-01"
    }
    listed = codes(client, "joined_before=2003-01-01")
    assert set(listed) == expected
    assert "AO" in listed
    assert "BR" not in listed  # joined Oct 2003
    assert "BD" not in listed


def test_joined_after_and_before_together_give_a_window(client):
    assert codes(client, "joined_after=2012-01-01&joined_before=2012-12-31") == [
        "CM", "KH", "KZ", "PA",
    ]  # fmt: skip


def test_a_malformed_join_day_is_a_400_naming_the_parameter(client):
    problem(client.get(f"{LIST}?joined_after=2021-13-01"), 400, "joined_after")
    problem(client.get(f"{LIST}?joined_before=last-year"), 400, "joined_before")


# --- updated_since and confidence ---------------------------------------------------------------


def test_confidence_filter_keeps_only_those_grades(client):
    uncertain = {row["code"] for row in current_rows() if row["confidence"] == "U"}
    assert set(codes(client, "confidence=uncertain")) == uncertain
    assert "BD" in uncertain
    sure = codes(client, "confidence=verified,single_source")
    assert "BD" not in sure
    assert {"ZA", "CM"} <= set(sure)  # CM is single_source


# --- search and ordering ------------------------------------------------------------------------


def test_search_finds_participants_by_name_code_or_iso3(client):
    assert codes(client, "search=republic") == ["CD", "CF", "CG", "KR"]
    assert codes(client, "search=zaf") == ["ZA"]
    assert codes(client, "search=namibia") == ["NA"]


def test_search_leaves_former_participants_out_unless_asked_for(client):
    assert codes(client, "search=hungary") == []
    assert codes(client, "search=hungary&status=withdrawn") == ["HU"]


def test_ordering_by_name_both_directions(client):
    names = {row["code"]: row["name"] for row in current_rows()}
    by_name = sorted(names, key=names.get)
    assert codes(client, "ordering=name") == by_name
    assert codes(client, "ordering=-name") == by_name[::-1]


def test_ordering_by_join_date_puts_the_unknown_date_last_both_ways(client):
    ascending = codes(client, "ordering=joined_on")
    descending = codes(client, "ordering=-joined_on")
    assert ascending[-1] == descending[-1] == "BD"
    assert descending[0] == "UZ"  # joined 15 Nov 2024, the latest
    assert ascending[0] == "AE"  # 2003-01-01, ties broken by code
    assert ascending.index("GB") > ascending.index("BR")


# --- fields and expand --------------------------------------------------------------------------


def test_fields_returns_only_those_keys_in_a_list(client):
    response = client.get(f"{LIST}?fields=code,name&region=oceania")
    assert response.json()["results"] == [
        {"code": "AU", "name": "Australia"},
        {"code": "NZ", "name": "New Zealand"},
    ]


def test_fields_returns_only_those_keys_in_a_detail(client):
    response = client.get(f"{LIST}ZA/?fields=code,status,represents")
    assert response.json() == {"code": "ZA", "status": "active", "represents": []}


def test_expand_blocs_gives_each_bloc_in_brief_with_its_url(client):
    response = client.get(f"{LIST}EU/?expand=blocs&fields=code,blocs")
    assert response.json() == {
        "code": "EU",
        "blocs": [
            {
                "slug": "western-bloc",
                "name": "Western bloc",
                "url": "http://testserver/api/v1/blocs/western-bloc/",
            }
        ],
    }


def test_expand_sources_in_a_list_gives_each_source_in_brief(client):
    response = client.get(f"{LIST}?region=oceania&expand=sources&fields=code,sources")
    for item in response.json()["results"]:
        assert item["sources"], item
        for source in item["sources"]:
            assert source["url"].startswith("http")
            assert source["api_url"] == f"http://testserver/api/v1/sources/{source['slug']}/"


# --- identifiers, 404 and unknown parameters ----------------------------------------------------


def test_chinese_taipei_is_not_a_participant(client):
    problem(client.get(f"{LIST}TW/"), 404)


# --- detail bodies ------------------------------------------------------------------------------


def test_detail_of_the_eu_represents_its_27_member_states_and_sits_in_the_western_bloc(client):
    body = client.get(f"{LIST}EU/").json()
    members = [row["code"] for row in rows("kp-eu-members.csv")]
    assert len(members) == 27
    assert sorted(body["represents"]) == sorted(members)
    assert len(body["represents"]) == 27
    assert body["blocs"] == ["western-bloc"]
    assert (body["iso3"], body["kind"], body["region"]) == (None, "regional_organisation", "europe")


def test_detail_of_the_central_african_republic_is_the_whole_record(client):
    (row,) = [row for row in current_rows() if row["code"] == "CF"]
    periods = [row for row in rows("kp-status-periods.csv") if row["participant"] == "CF"]
    assert len(periods) == 2
    record = m.Participant.objects.get(code="CF")
    response = client.get(f"{LIST}CF/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "CF",
        "url": "http://testserver/api/v1/participants/CF/",
        "iso3": "CAF",
        "m49": "140",
        "name": "Central African Republic",
        "kind": "state",
        "region": "africa",
        "joined_on": "2003-01-01",
        "joined_on_precision": "year",
        "status": "active",  # readmitted on 15 Nov 2024
        "status_history": [
            {
                "status": period["status"],
                "start": period["start"],
                "start_precision": period["start_precision"],
                "end": period["end"],
                "end_precision": period["end_precision"],
                "note": period["note"],
                "confidence": GRADES[period["confidence"]],
                "sources": source_slugs(period["sources"]),
            }
            for period in sorted(periods, key=lambda period: period["start"])
        ],
        "represents": [],
        "blocs": [],
        "links": {
            "stands": "http://testserver/api/v1/positions/?participant=CF",
            "statements": "http://testserver/api/v1/statements/?participant=CF",
            "proposals_tabled": "http://testserver/api/v1/proposals/?tabled_by=CF",
            "chairmanships": "http://testserver/api/v1/chairmanships/?chair=CF",
            "meetings_hosted": "http://testserver/api/v1/meetings/?host=CF",
        },
        "sources": source_slugs(row["sources"]),
        "confidence": "verified",
        "note": row["note"],
        "created_at": stamp(record.created_at),
        "updated_at": stamp(record.updated_at),
    }
