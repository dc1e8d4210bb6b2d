"""/api/v1/proposals/: proposals and decisions with who backed and who blocked them."""

from collections import Counter

import pytest

from api import models as m
from tests.helpers import GRADES, problem, rows, source_slugs, stamp

pytestmark = pytest.mark.django_db

LIST = "/api/v1/proposals/"
KASANE = "2022-kasane-russia-agenda-item"


def proposals_where(keep) -> list[str]:
    """Slugs of kp-proposals.csv rows that `keep` accepts, in the list's documented order."""
    kept = [row for row in rows("kp-proposals.csv") if keep(row)]
    return [row["slug"] for row in sorted(kept, key=lambda row: (row["tabled_on"], row["slug"]))]


def positions_of(code: str, stance: str) -> set[str]:
    """The proposals kp-positions.csv records `code` as taking `stance` on."""
    return {
        row["proposal"]
        for row in rows("kp-positions.csv")
        if row["participant"] == code and row["position"] == stance
    }


def slugs(client, **params) -> list[str]:
    """The slugs a list request returns, in the order served (every page at once)."""
    response = client.get(LIST, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [item["slug"] for item in body["results"]]


def test_the_list_holds_every_proposal_in_order_of_tabling(client):
    assert slugs(client) == proposals_where(lambda row: True)


def test_meeting_keeps_the_proposals_tabled_at_that_meeting(client):
    assert slugs(client, meeting="2022-intersessional-kasane") == [KASANE]
    gaborone = slugs(client, meeting="2022-plenary-gaborone")
    assert gaborone == proposals_where(lambda row: row["meeting"] == "2022 plenary, Gaborone")
    assert len(gaborone) == 3
    assert KASANE not in gaborone


def test_meeting_slugs_in_a_filter_are_case_insensitive(client):
    assert slugs(client, meeting="2022-Intersessional-KASANE") == [KASANE]


def test_an_unknown_meeting_slug_is_a_400_naming_meeting(client):
    problem(client.get(LIST, {"meeting": "2022-intersessional-atlantis"}), 400, "meeting")


def test_year_keeps_the_proposals_tabled_that_year(client):
    tabled_2022 = slugs(client, year=2022)
    assert tabled_2022 == proposals_where(lambda row: row["tabled_on"].startswith("2022-"))
    assert KASANE in tabled_2022
    # Tabled at the Brussels plenary of November 2018, decided at New Delhi in 2019.
    assert "2019-new-delhi-definition-reform" not in slugs(client, year=2019)
    assert "2019-new-delhi-definition-reform" in slugs(client, year=2018)


@pytest.mark.parametrize("value", ["99999999999999", "-2022", "twenty"])
def test_a_year_that_is_not_a_plausible_year_is_a_400_naming_year(client, value):
    problem(client.get(LIST, {"year": value}), 400, "year")


def test_outcome_keeps_the_proposals_with_those_outcomes(client):
    assert slugs(client, outcome="withdrawn") == ["2015-australia-vice-chair"]
    assert slugs(client, outcome="pending,withdrawn") == [
        "2015-australia-vice-chair",
        "2016-dubai-permanent-secretariat-proposal",
    ]
    assert KASANE not in slugs(client, outcome="adopted")
    assert KASANE in slugs(client, outcome="no_consensus")


def test_an_unknown_outcome_is_a_400_naming_outcome(client):
    problem(client.get(LIST, {"outcome": "vetoed"}), 400, "outcome")


def test_topic_keeps_the_proposals_about_it_each_once(client):
    assert slugs(client, topic="chairmanship") == proposals_where(
        lambda row: "chairmanship" in row["topics"].split(";")
    )
    # Kasane is about both topics, and is listed once.
    both = slugs(client, topic="russia-ukraine,definition-reform")
    assert both.count(KASANE) == 1
    assert both == proposals_where(
        lambda row: {"russia-ukraine", "definition-reform"} & set(row["topics"].split(";"))
    )
    assert KASANE not in slugs(client, topic="secretariat")


def test_an_unknown_topic_is_a_400_naming_topic(client):
    problem(client.get(LIST, {"topic": "diamonds-are-forever"}), 400, "topic")


def test_tabled_by_keeps_what_a_participant_tabled_each_once(client):
    assert slugs(client, tabled_by="ua") == proposals_where(
        lambda row: "UA" in row["tabled_by"].split(";")
    )
    together = slugs(client, tabled_by="UA,eu")
    assert together == proposals_where(lambda row: {"UA", "EU"} & set(row["tabled_by"].split(";")))
    assert together.count(KASANE) == 1
    assert KASANE not in slugs(client, tabled_by="CH")  # it backed the item, it did not table it


def test_an_unknown_tabled_by_code_is_a_400_naming_tabled_by(client):
    problem(client.get(LIST, {"tabled_by": "UA,XX"}), 400, "tabled_by")


def test_supported_by_lists_the_proposals_a_participant_backed(client):
    assert slugs(client, supported_by="jp") == [KASANE]
    assert slugs(client, supported_by="CH") == [KASANE]
    assert set(slugs(client, supported_by="ua")) == positions_of("UA", "support")
    # Russia backed two proposals; the many it blocked are not among them.
    backed_by_russia = slugs(client, supported_by="RU")
    assert set(backed_by_russia) == positions_of("RU", "support")
    assert set(backed_by_russia) == {"2015-uae-vice-chair", "2021-moscow-admissions"}
    assert KASANE not in backed_by_russia


def test_supported_by_several_participants_lists_each_proposal_once(client):
    backed = slugs(client, supported_by="UA,EU,JP")
    assert len(backed) == len(set(backed))
    expected = set().union(*(positions_of(code, "support") for code in ("UA", "EU", "JP")))
    assert set(backed) == expected


def test_opposed_by_lists_the_proposals_a_participant_blocked(client):
    assert slugs(client, opposed_by="ml") == [KASANE]
    blocked_by_russia = slugs(client, opposed_by="ru")
    assert set(blocked_by_russia) == positions_of("RU", "oppose")
    assert KASANE in blocked_by_russia
    assert "2021-moscow-admissions" not in blocked_by_russia
    assert slugs(client, opposed_by="JP") == []  # Japan is on record only as backing Kasane


def test_supported_by_and_opposed_by_together_need_both(client):
    assert set(slugs(client, supported_by="UA", opposed_by="RU")) == (
        positions_of("UA", "support") & positions_of("RU", "oppose")
    )


@pytest.mark.parametrize("parameter", ["supported_by", "opposed_by"])
def test_an_unknown_participant_in_a_position_filter_is_a_400_naming_it(client, parameter):
    problem(client.get(LIST, {parameter: "ZZ"}), 400, parameter)


def test_confidence_keeps_only_the_grades_asked_for(client):
    uncertain = slugs(client, confidence="uncertain")
    assert uncertain == proposals_where(lambda row: row["confidence"] == "U")
    assert uncertain == ["2010-tel-aviv-marange-exports", "2012-washington-end-zimbabwe-monitoring"]
    assert KASANE not in uncertain
    assert slugs(client, confidence="single_source,uncertain") == proposals_where(
        lambda row: row["confidence"] in {"S", "U"}
    )
    assert KASANE in slugs(client, confidence="verified")


def test_ordering_by_tabled_on_goes_both_ways(client):
    ascending = slugs(client, ordering="tabled_on")
    descending = slugs(client, ordering="-tabled_on")
    tabled = {row["slug"]: row["tabled_on"] for row in rows("kp-proposals.csv")}
    assert [tabled[slug] for slug in ascending] == sorted(tabled.values())
    assert [tabled[slug] for slug in descending] == sorted(tabled.values(), reverse=True)
    assert ascending[0] == "2007-brussels-congo-readmission"
    assert descending[0] == "2025-dubai-uae-custodian-chair-2026"


def test_ordering_by_outcome_goes_both_ways(client):
    outcome = {row["slug"]: row["outcome"] for row in rows("kp-proposals.csv")}
    ascending = [outcome[slug] for slug in slugs(client, ordering="outcome")]
    descending = [outcome[slug] for slug in slugs(client, ordering="-outcome")]
    assert ascending == sorted(outcome.values())
    assert descending == sorted(outcome.values(), reverse=True)


def test_search_finds_proposals_by_words_of_the_title_and_summary(client):
    assert slugs(client, search="kasane") == [KASANE]
    uzbekistan = slugs(client, search="Uzbekistan")
    assert uzbekistan == ["2024-dubai-uzbekistan-admission"]
    assert slugs(client, search="unobtainium") == []


def test_fields_returns_only_the_fields_asked_for(client):
    response = client.get(LIST, {"fields": "slug,tally", "meeting": "2022-intersessional-kasane"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"slug": KASANE, "tally": {"support": 8, "oppose": 6, "abstain": 0}}
    ]
    detail = client.get(f"{LIST}{KASANE}/", {"fields": "meeting,outcome"})
    assert detail.json() == {"meeting": "2022-intersessional-kasane", "outcome": "no_consensus"}


def test_expand_gives_meeting_tabled_by_and_sources_in_brief_with_their_urls(client):
    response = client.get(f"{LIST}{KASANE}/", {"expand": "meeting,tabled_by,sources"})
    assert response.status_code == 200
    body = response.json()
    assert body["meeting"] == {
        "slug": "2022-intersessional-kasane",
        "title": "2022 intersessional, Kasane",
        "kind": "intersessional",
        "start_date": "2022-06-20",
        "start_date_precision": "day",
        "url": "http://testserver/api/v1/meetings/2022-intersessional-kasane/",
    }
    assert [item["code"] for item in body["tabled_by"]] == ["AU", "CA", "EU", "GB", "UA", "US"]
    assert body["tabled_by"][2] == {
        "code": "EU",
        "name": "European Union",
        "kind": "regional_organisation",
        "url": "http://testserver/api/v1/participants/EU/",
    }
    (row,) = [row for row in rows("kp-proposals.csv") if row["slug"] == KASANE]
    assert {item["url"] for item in body["sources"]} == set(row["sources"].split())
    for source in body["sources"]:
        assert source["api_url"] == f"http://testserver/api/v1/sources/{source['slug']}/"
    # Positions are not references to expand: their participants stay codes.
    assert {position["participant"] for position in body["positions"]} >= {"RU", "UA"}


def test_expand_on_a_proposal_of_no_meeting_leaves_it_null(client):
    response = client.get(LIST, {"expand": "meeting,tabled_by", "year": 2013})
    assert response.status_code == 200
    (suspension,) = response.json()["results"]
    assert suspension["slug"] == "2013-car-suspension"
    assert suspension["meeting"] is None
    assert suspension["tabled_by"] == []


def test_positions_say_who_backed_and_who_blocked_kasane(client):
    body = client.get(f"{LIST}{KASANE}/").json()
    stances = {
        position["participant"] or position["organisation"]: position["position"]
        for position in body["positions"]
    }
    expected = {
        row["participant"] or row["organisation"]: row["position"]
        for row in rows("kp-positions.csv")
        if row["proposal"] == KASANE
    }
    assert stances == expected
    assert {code for code, stance in stances.items() if stance == "support"} >= {
        "UA", "EU", "AU", "GB", "CA", "US", "CH", "JP",
    }  # fmt: skip
    assert {code for code, stance in stances.items() if stance == "oppose"} >= {
        "RU", "BY", "ML", "CF", "KG",
    }  # fmt: skip


def test_tally_counts_the_positions_of_every_proposal(client):
    counted: dict[str, Counter] = {}
    for row in rows("kp-positions.csv"):
        if row["participant"]:  # observers' stands are listed, not tallied
            counted.setdefault(row["proposal"], Counter())[row["position"]] += 1
    response = client.get(LIST, {"page_size": 1000, "fields": "slug,positions,tally"})
    for proposal in response.json()["results"]:
        expected = counted.get(proposal["slug"], Counter())
        assert proposal["tally"] == {
            "support": expected["support"],
            "oppose": expected["oppose"],
            "abstain": expected["abstain"],
        }, proposal["slug"]
        served = Counter(
            position["position"] for position in proposal["positions"] if position["participant"]
        )
        assert proposal["tally"] == {kind: served[kind] for kind in m.PositionKind.values}
    kinshasa = client.get(f"{LIST}2011-kinshasa-marange-agreement/", {"fields": "tally"})
    assert kinshasa.json()["tally"]["abstain"] == 1  # the United States abstained


def test_the_kasane_russia_agenda_item_is_served_in_full(client):
    proposal = m.Proposal.objects.get(slug=KASANE)
    (row,) = [row for row in rows("kp-proposals.csv") if row["slug"] == KASANE]
    positions = sorted(
        (row for row in rows("kp-positions.csv") if row["proposal"] == KASANE),
        key=lambda position: (
            not position["participant"],
            position["participant"],
            position["organisation"],
        ),
    )  # participants by code, then observers by slug
    stands = {
        (stand.participant.code if stand.participant else stand.organisation.slug): stand.pk
        for stand in proposal.positions.select_related("participant", "organisation")
    }
    stances = Counter(position["position"] for position in positions if position["participant"])

    response = client.get(f"{LIST}{KASANE}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "slug": KASANE,
        "url": "http://testserver/api/v1/proposals/2022-kasane-russia-agenda-item/",
        "title": row["title"],
        "summary": row["summary"],
        "meeting": "2022-intersessional-kasane",
        "tabled_on": "2022-05-01",
        "tabled_on_precision": "month",
        "tabled_by": ["AU", "CA", "EU", "GB", "UA", "US"],
        "tabled_by_organisations": [],
        "topics": ["definition-reform", "russia-ukraine"],
        "decision_rule": "consensus",
        "outcome": "no_consensus",
        "positions": [
            {
                "id": stands[position["participant"] or position["organisation"]],
                "url": "http://testserver/api/v1/positions/"
                f"{stands[position['participant'] or position['organisation']]}/",
                "participant": position["participant"] or None,
                "organisation": position["organisation"] or None,
                "position": position["position"],
                "note": position["note"],
                "confidence": GRADES[position["confidence"]],
                "sources": source_slugs(position["sources"]),
            }
            for position in positions
        ],
        "tally": {"support": 8, "oppose": 6, "abstain": 0},
        "sources": source_slugs(row["sources"]),
        "confidence": "verified",
        "note": row["note"],
        "created_at": stamp(proposal.created_at),
        "updated_at": stamp(proposal.updated_at),
    }
    assert stances == {"support": 8, "oppose": 6}
