"""The vocabularies as collections: topics with their counts, and every status period, so that
"which participants were ever suspended" is one request."""

import shutil

import pytest

from api import models as m
from api.reference import FIXTURES, plan
from tests.helpers import API, problem

pytestmark = pytest.mark.django_db


def every(client, path: str, **params) -> list[dict]:
    body = client.get(f"{API}{path}/", {"page_size": 1000, **params}).json()
    assert body["count"] == len(body["results"]), body
    return body["results"]


def count(client, path: str, **params) -> int:
    return client.get(f"{API}{path}/", params).json()["count"]


def test_every_topic_the_data_uses_is_named_described_and_counted_as_its_lists_count(client):
    topics = every(client, "topics")
    assert len(topics) == 11
    for topic in topics:
        assert topic["name"] and topic["description"], topic
        assert topic["statements"] == count(client, "statements", topic=topic["slug"])
        assert topic["proposals"] == count(client, "proposals", topic=topic["slug"])
        assert topic["url"] == f"http://testserver{API}topics/{topic['slug']}/"
    russia = client.get(f"{API}topics/russia-ukraine/").json()
    assert russia["proposals"] > 0 and russia["statements"] > 0


def test_topics_are_found_by_words_of_their_name_or_description(client):
    found = every(client, "topics", search="marange")
    assert [topic["slug"] for topic in found] == ["marange-zimbabwe"]


def test_a_topic_the_files_use_without_a_line_in_topics_csv_is_an_error(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    lines = (fixtures / "topics.csv").read_text().splitlines()
    kept = [line for line in lines if not line.startswith("secretariat,")]
    (fixtures / "topics.csv").write_text("\n".join(kept))
    assert plan(fixtures).errors == ["topics.csv: topic 'secretariat' is used but has no line here"]


def test_ever_suspended_is_one_request(client):
    suspended = every(client, "status-periods", status="suspended")
    stored = m.StatusPeriod.objects.filter(status="suspended")
    assert len(suspended) == stored.count() > 0
    assert {period["status"] for period in suspended} == {"suspended"}
    assert {"CF", "LB", "VE"} <= {period["participant"] for period in suspended}
    withdrawn = every(client, "status-periods", status="withdrawn")
    assert {period["participant"] for period in withdrawn} == {"HU", "PL", "SI", "BG", "RO",
                                                                "HR"}  # fmt: skip


def test_a_period_serves_its_dates_with_their_precision_and_links_its_participant(client):
    (period,) = every(client, "status-periods", participant="lb")
    assert period["start"] == "2004-03-01" and period["start_precision"] == "month"
    assert period["end"] == "2005-11-01" and period["end_precision"] == "month"
    assert period["confidence"] == "verified" and period["note"] and period["sources"]
    expanded = client.get(period["url"], {"expand": "participant"}).json()
    assert expanded["participant"]["code"] == "LB"


@pytest.mark.parametrize("day", ["2003-04-01", "2005-01-01", "2010-06-30", "2014-01-01",
                                 "2020-01-01"])  # fmt: skip
def test_active_on_a_day_gives_the_suspended_participants_as_of_that_day(client, day):
    periods = every(client, "status-periods", active_on=day, status="suspended")
    participants = every(client, "participants", as_of=day, status="suspended")
    assert sorted(p["participant"] for p in periods) == sorted(p["code"] for p in participants)


def test_a_year_range_keeps_the_periods_that_overlap_it(client):
    periods = every(client, "status-periods", year_after=2006, year_before=2008)
    for period in periods:
        assert period["start"] <= "2008-12-31"
        assert period["end"] is None or period["end"] > "2006-01-01"
    assert {"CI", "VE", "CG"} <= {period["participant"] for period in periods}
    assert "CF" not in {p["participant"] for p in periods if p["start"] < "2004-01-01"}


def test_status_period_filters_refuse_what_they_cannot_read(client):
    for name, value in (("status", "expelled"), ("active_on", "2014-13-01"),
                        ("year_after", "twenty"), ("participant", "ZAF")):  # fmt: skip
        problem(client.get(f"{API}status-periods/", {name: value}), 400, name)
