"""The questions users bring, each answered by one request (the README shows them with curl)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def get(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_who_backed_and_who_blocked_russia_on_the_agenda_at_kasane_2022(client):
    body = get(client, "/api/v1/proposals/?meeting=2022-intersessional-kasane&topic=russia-ukraine")
    (proposal,) = body["results"]
    sides = {"support": set(), "oppose": set()}
    for position in proposal["positions"]:
        if position["participant"]:  # observers' stands are listed too, and not tallied
            sides[position["position"]].add(position["participant"])
        assert position["sources"]
    assert {"UA", "EU", "AU", "GB", "CA", "US"} <= sides["support"]
    assert sides["oppose"] >= {"RU", "BY", "ML", "CF", "KG"}
    assert proposal["tally"]["support"] == len(sides["support"])


def test_who_chaired_the_kp_in_2011(client):
    body = get(client, "/api/v1/chairmanships/2011/?expand=chair,chair_person")
    assert body["chair"]["code"] == "CD"
    assert body["chair_person"]["name"] == "Mathieu Yamba"
    assert body["sources"]


def test_which_participants_were_suspended_on_1_january_2014(client):
    body = get(client, "/api/v1/participants/?as_of=2014-01-01&status=suspended&fields=code,name")
    assert [row["code"] for row in body["results"]] == ["CF", "CI", "VE"]


def test_every_quote_by_hans_merket_with_its_source_url(client):
    body = get(client, "/api/v1/statements/?speaker=hans-merket&expand=source")
    quoted = [
        row
        for name in ("reference/kp-statements.csv", "seed-article.csv")
        for row in csv.DictReader((FIXTURES / name).open(encoding="utf-8"))
        if row["speaker"] == "Hans Merket"
    ]
    assert body["count"] == len(quoted) == 8
    assert {row["text"] for row in body["results"]} == {row["text"] for row in quoted}
    for statement in body["results"]:
        assert statement["source"]["url"].startswith("https://")
        assert statement["citation"].startswith("Hans Merket, ")


def test_where_and_when_the_2013_intersessional_met(client):
    body = get(client, "/api/v1/meetings/?year=2013&kind=intersessional")
    (meeting,) = body["results"]
    assert (meeting["city"], meeting["start_date"], meeting["end_date"]) == (
        "Kimberley", "2013-06-04", "2013-06-07",
    )  # fmt: skip


def test_who_backed_the_uae_and_who_backed_australia_for_vice_chair_2015(client):
    body = get(client, "/api/v1/proposals/?meeting=2014-plenary-guangzhou&topic=chairmanship")
    backers = {
        proposal["slug"]: {
            p["participant"] for p in proposal["positions"] if p["position"] == "support"
        }
        for proposal in body["results"]
    }
    assert backers["2015-uae-vice-chair"] == {"AE", "RU", "ZA", "NA", "ZW", "CD", "CN"}
    assert backers["2015-australia-vice-chair"] == {"US", "CA", "IL", "BW", "EU"}


def test_every_civil_society_coalition_statement_on_the_definition_reform(client):
    body = get(
        client,
        "/api/v1/statements/?organisation=kp-civil-society-coalition&topic=definition-reform",
    )
    assert body["count"] >= 3
    for statement in body["results"]:
        assert statement["organisation"] == "kp-civil-society-coalition"
        assert "definition-reform" in statement["topics"]


def test_botswana_production_2018_to_2023_with_its_sources(client):
    body = get(
        client, "/api/v1/production/?participant=BW&year_after=2018&year_before=2023&expand=sources"
    )
    assert [row["year"] for row in body["results"]] == list(range(2018, 2024))
    for row in body["results"]:
        assert row["participant"] == "BW" and row["sources"][0]["url"].startswith("http")


def test_statements_made_for_the_central_african_republic_leaving_out_uncertain_ones(client):
    body = get(client, "/api/v1/statements/?participant=CF&confidence=verified,single_source")
    assert body["count"] == 2
    assert {row["confidence"] for row in body["results"]} <= {"verified", "single_source"}


def test_the_plain_participant_list_shows_today(client):
    body = get(client, "/api/v1/participants/?fields=code,status")
    assert body["count"] == 60
    assert {row["status"] for row in body["results"]} == {"active"}  # CAR readmitted in 2024


def test_south_africas_voting_record_with_its_abstentions(client):
    body = get(client, "/api/v1/participants/ZA/record/")
    assert set(body["counts"]) == {"support", "oppose", "abstain", "total"}
    assert body["counts"]["total"] == len(body["stands"]) > 0
    assert {stand["participant"] for stand in body["stands"]} == {"ZA"}


def test_the_five_actors_most_often_on_the_side_of_the_united_states(client):
    body = get(client, "/api/v1/agreement/?actors=US&ordering=-same,-n")
    top = body["results"][:5]
    assert [pair["b"] for pair in top][:2] == ["EU", "CA"]
    assert all(pair["a"] == "US" and pair["n"] >= pair["same"] for pair in top)


def test_the_civil_society_coalitions_stands_on_the_marange_decisions(client):
    body = get(
        client, "/api/v1/positions/?organisation=kp-civil-society-coalition&topic=marange-zimbabwe"
    )
    assert body["count"] >= 3
    assert {row["organisation"] for row in body["results"]} == {"kp-civil-society-coalition"}


def test_everyone_observers_included_who_opposed_the_2011_kinshasa_agreement(client):
    body = get(
        client, "/api/v1/positions/?proposal=2011-kinshasa-marange-agreement&position=oppose"
    )
    actors = {row["participant"] or row["organisation"] for row in body["results"]}
    assert {"kp-civil-society-coalition", "global-witness"} <= actors


def test_which_participants_were_ever_suspended(client):
    body = get(client, "/api/v1/status-periods/?status=suspended&expand=participant")
    assert {"CF", "LB", "CG", "CI", "VE"} <= {p["participant"]["code"] for p in body["results"]}
    assert all(period["status"] == "suspended" and period["sources"] for period in body["results"])


def test_which_topics_there_are_and_how_much_each_is_used(client):
    body = get(client, "/api/v1/topics/")
    assert body["count"] == 11
    assert all(
        topic["name"] and topic["statements"] + topic["proposals"] for topic in body["results"]
    )
