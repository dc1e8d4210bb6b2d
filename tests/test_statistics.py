"""/api/v1/production/ and /api/v1/trade/: figures per participant and year, world totals apart."""

from decimal import Decimal

import pytest

from api import models as m
from tests.helpers import GRADES, SERVER, problem, rows, stamp

pytestmark = pytest.mark.django_db

PRODUCTION = "/api/v1/production/"
TRADE = "/api/v1/trade/"


def figures(flow: str = "production") -> list[dict[str, str]]:
    """Rows of kp-statistics.csv for production, or for trade (both flows)."""
    wanted = {"production"} if flow == "production" else {"import", "export"}
    return [row for row in rows("kp-statistics.csv") if row["flow"] in wanted]


def number(value: str) -> float | None:
    return float(Decimal(value)) if value else None


def listed(client, path: str, **params) -> list[dict]:
    response = client.get(path, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def keys(results: list[dict]) -> set[tuple]:
    """(participant, year) of production, (participant, year, flow) of trade: the natural keys."""
    return {
        (result["participant"], result["year"], *([result["flow"]] if "flow" in result else []))
        for result in results
    }


def expected_keys(flow: str, keep) -> set[tuple]:
    return {
        (
            row["participant"] or None,
            int(row["year"]),
            *([] if flow == "production" else [row["flow"]]),
        )
        for row in figures(flow)
        if keep(row)
    }


def sourced(row: dict[str, str]) -> list[str]:
    return sorted(m.Source.objects.get(url=url).slug for url in row["sources"].split())


# Production: participants and the world -------------------------------------------------------


def test_botswanas_production_2018_to_2023(client):
    expected = [
        (int(row["year"]), number(row["carats"]), number(row["value_usd"]))
        for row in figures()
        if row["participant"] == "BW" and 2018 <= int(row["year"]) <= 2023
    ]
    assert len(expected) == 6
    results = listed(client, PRODUCTION, participant="BW", year_after=2018, year_before=2023)
    found = [(result["year"], result["carats"], result["value_usd"]) for result in results]
    assert found == sorted(expected)
    assert {result["participant"] for result in results} == {"BW"}


def test_participant_codes_are_case_insensitive(client):
    lower = listed(client, PRODUCTION, participant="bw")
    assert keys(lower) == keys(listed(client, PRODUCTION, participant="BW"))
    assert keys(lower) == expected_keys("production", lambda row: row["participant"] == "BW")


@pytest.mark.parametrize("year", [2021, 2023])
def test_the_world_production_total_of_a_year_comes_back_with_participant_world(client, year):
    (row,) = [row for row in figures() if row["participant"] == "" and row["year"] == str(year)]
    (result,) = listed(client, PRODUCTION, participant="world", year=year)
    assert result["participant"] is None
    assert (result["year"], result["carats"], result["value_usd"]) == (
        year,
        number(row["carats"]),
        number(row["value_usd"]),
    )
    assert result["confidence"] == GRADES[row["confidence"]]


def test_world_is_case_insensitive_too(client):
    assert keys(listed(client, PRODUCTION, participant="World", year=2021)) == {(None, 2021)}


def test_the_plain_list_leaves_the_world_totals_out(client):
    results = listed(client, PRODUCTION)
    assert None not in {result["participant"] for result in results}
    assert keys(results) == expected_keys("production", lambda row: row["participant"] != "")
    assert keys(listed(client, PRODUCTION, year=2021)) == expected_keys(
        "production", lambda row: row["participant"] and row["year"] == "2021"
    )


def test_world_and_participant_codes_combine(client):
    results = listed(client, PRODUCTION, participant="world,BW", year_after=2020)
    expected = expected_keys(
        "production", lambda row: row["participant"] in {"", "BW"} and int(row["year"]) >= 2020
    )
    assert keys(results) == expected
    assert (None, 2021) in expected and ("BW", 2021) in expected


@pytest.mark.parametrize("value", ["XX", "narnia", "world,XX", "BW,botswana"])
def test_an_unknown_participant_is_a_400_naming_the_parameter(client, value):
    problem(client.get(PRODUCTION, {"participant": value}), 400, "participant")


def test_production_of_one_year(client):
    results = listed(client, PRODUCTION, year=2006)
    assert keys(results) == expected_keys(
        "production", lambda row: row["participant"] and row["year"] == "2006"
    )
    assert ("BW", 2006) in keys(results) and ("BW", 2007) not in keys(results)


def test_year_after_and_year_before_drop_the_years_outside(client):
    after = keys(listed(client, PRODUCTION, participant="RU", year_after=2022))
    assert after == expected_keys(
        "production", lambda row: row["participant"] == "RU" and int(row["year"]) >= 2022
    )
    assert ("RU", 2021) not in after
    before = keys(listed(client, PRODUCTION, participant="RU", year_before=2007))
    assert before == {("RU", 2006), ("RU", 2007)}


@pytest.mark.parametrize(
    ("name", "value"),
    [("year", "twenty"), ("year", "1800"), ("year_after", "2021.5"), ("year_before", "3000")],
)
def test_a_malformed_year_is_a_400_naming_the_parameter(client, name, value):
    problem(client.get(PRODUCTION, {name: value}), 400, name)


def test_uncertain_figures_can_be_left_out(client):
    uncertain = keys(listed(client, PRODUCTION, participant="BW", confidence="uncertain"))
    assert uncertain == {("BW", 2014), ("BW", 2016), ("BW", 2022)}
    sure = keys(listed(client, PRODUCTION, participant="BW", confidence="verified,single_source"))
    assert not sure & uncertain
    assert sure == expected_keys(
        "production", lambda row: row["participant"] == "BW" and row["confidence"] != "U"
    )


# Production: ordering, fields, expand ---------------------------------------------------------


def test_production_ordered_by_carats_both_ways_unknown_carats_last(client):
    botswana = [row for row in figures() if row["participant"] == "BW"]
    known = sorted(number(row["carats"]) for row in botswana if row["carats"])
    unknown = sum(1 for row in botswana if not row["carats"])
    assert unknown == 1  # 2007: only the value was reported
    ascending = listed(client, PRODUCTION, participant="BW", ordering="carats")
    descending = listed(client, PRODUCTION, participant="BW", ordering="-carats")
    assert [result["carats"] for result in ascending] == [*known, None]
    assert [result["carats"] for result in descending] == [*known[::-1], None]


def test_production_ordered_by_year_and_value_both_ways(client):
    years = sorted(int(row["year"]) for row in figures() if row["participant"] == "CA")
    found = listed(client, PRODUCTION, participant="CA", ordering="-year")
    assert [result["year"] for result in found] == years[::-1]
    found = listed(client, PRODUCTION, participant="CA", ordering="year")
    assert [result["year"] for result in found] == years
    values = [r["value_usd"] for r in listed(client, PRODUCTION, year=2021, ordering="-value_usd")]
    known = [value for value in values if value is not None]
    assert values == sorted(known, reverse=True) + [None] * (len(values) - len(known))
    assert values[0] == 4657000000  # Botswana led by value in 2021


def test_fields_returns_only_the_fields_asked_for(client):
    results = listed(client, PRODUCTION, participant="BW", fields="year,carats")
    assert results and all(set(result) == {"year", "carats"} for result in results)
    assert {"year": 2021, "carats": 22878000} in results


def test_expand_gives_the_participant_and_the_sources_in_brief(client):
    (row,) = [r for r in figures() if r["participant"] == "BW" and r["year"] == "2021"]
    (result,) = listed(
        client, PRODUCTION, participant="BW", year=2021, expand="participant,sources"
    )
    assert result["participant"]["code"] == "BW"
    assert result["participant"]["name"] == "Botswana"
    assert result["participant"]["url"] == f"{SERVER}/participants/BW/"
    assert [source["url"] for source in result["sources"]] == row["sources"].split()
    for source in result["sources"]:
        assert source["api_url"] == f"{SERVER}/sources/{source['slug']}/"


def test_expanding_a_world_total_leaves_its_participant_null(client):
    (result,) = listed(client, PRODUCTION, participant="world", year=2023, expand="participant")
    assert result["participant"] is None


# Production: the record ------------------------------------------------------------------------


def test_a_production_figure_in_full(client):
    (row,) = [r for r in figures() if r["participant"] == "BW" and r["year"] == "2021"]
    reports = [
        r
        for r in rows("kp-statistics-reports.csv")
        if (r["flow"], r["year"], r["iso2"]) == ("production", "2021", "BW")
    ]
    figure = m.Production.objects.get(participant__code="BW", year=2021)
    response = client.get(f"{PRODUCTION}{figure.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": figure.pk,
        "url": f"{SERVER}/production/{figure.pk}/",
        "scope": "participant",
        "participant": "BW",
        "participant_name": "Botswana",
        "participant_iso3": "BWA",
        "participant_m49": "072",
        "year": 2021,
        "carats": 22878000,
        "value_usd": 4657000000,
        "reports": [
            {
                "reported_as": "Botswana",
                "carats": number(report["carats"]),
                "value_usd": number(report["value_usd"]),
                "certificates": None,
                "source": m.Source.objects.get(url=report["source_url"]).slug,
                "confidence": GRADES[report["confidence"]],
                "note": report["note"],
            }
            for report in reports
        ],
        "sources": sourced(row),
        "confidence": "verified",
        "note": "",
        "created_at": stamp(figure.created_at),
        "updated_at": stamp(figure.updated_at),
    }


def test_a_world_production_total_is_served_at_its_own_url(client):
    (listed_total,) = listed(client, PRODUCTION, participant="world", year=2021)
    assert listed_total["url"].startswith(f"{SERVER}/production/")
    response = client.get(listed_total["url"])
    assert response.status_code == 200, response.content
    assert response.json() == listed_total


# Trade ------------------------------------------------------------------------------------------


def test_namibias_exports_leave_out_its_imports(client):
    exports = keys(listed(client, TRADE, participant="na", flow="export"))
    assert exports == {("NA", 2022, "export")}
    both = keys(listed(client, TRADE, participant="NA", flow="import,export"))
    assert both == {("NA", 2022, "export"), ("NA", 2022, "import")}


def test_an_unknown_flow_is_a_400_naming_the_parameter(client):
    problem(client.get(TRADE, {"flow": "production"}), 400, "flow")


def test_the_world_trade_totals_of_a_year_come_back_with_participant_world(client):
    expected = {
        row["flow"]: (number(row["carats"]), number(row["value_usd"]))
        for row in figures("trade")
        if row["participant"] == "" and row["year"] == "2024"
    }
    results = listed(client, TRADE, participant="world", year=2024)
    assert {r["flow"]: (r["carats"], r["value_usd"]) for r in results} == expected
    assert {result["participant"] for result in results} == {None}


def test_the_plain_trade_list_leaves_the_world_totals_out(client):
    results = listed(client, TRADE)
    assert keys(results) == expected_keys("trade", lambda row: row["participant"] != "")
    assert None not in {result["participant"] for result in results}


def test_world_and_participant_codes_combine_in_trade(client):
    results = listed(client, TRADE, participant="world,eu", year_after=2016, year_before=2019)
    expected = expected_keys(
        "trade",
        lambda row: row["participant"] in {"", "EU"} and 2016 <= int(row["year"]) <= 2019,
    )
    assert keys(results) == expected
    assert (None, 2018, "export") in expected and ("EU", 2018, "import") in expected


@pytest.mark.parametrize("value", ["XX", "wrld", "world,ZZ"])
def test_an_unknown_trade_participant_is_a_400_naming_the_parameter(client, value):
    problem(client.get(TRADE, {"participant": value}), 400, "participant")


def test_trade_of_one_year_and_a_range_of_years(client):
    assert keys(listed(client, TRADE, year=2022)) == expected_keys(
        "trade", lambda row: row["participant"] and row["year"] == "2022"
    )
    ranged = keys(listed(client, TRADE, participant="IN", year_after=2010, year_before=2012))
    assert ranged == expected_keys(
        "trade", lambda row: row["participant"] == "IN" and 2010 <= int(row["year"]) <= 2012
    )
    assert all(2010 <= year <= 2012 for _, year, _ in ranged)


def test_trade_confidence_keeps_the_grades_asked_for(client):
    uncertain = keys(listed(client, TRADE, confidence="uncertain"))
    assert uncertain == expected_keys(
        "trade", lambda row: row["participant"] and row["confidence"] == "U"
    )
    verified = keys(listed(client, TRADE, confidence="verified"))
    assert verified and not verified & uncertain


def test_trade_ordered_by_certificates_and_flow(client):
    found = listed(client, TRADE, ordering="-certificates", fields="participant,certificates")
    # India 2014 (import, export), then Namibia 2022 (export, import).
    assert [r["certificates"] for r in found[:4]] == [29410, 3129, 241, 51]
    assert {r["certificates"] for r in found[4:]} == {None}
    ascending = listed(client, TRADE, ordering="certificates", fields="certificates")
    assert [r["certificates"] for r in ascending[:2]] == [51, 241]
    flows = [r["flow"] for r in listed(client, TRADE, participant="EU", ordering="-flow")]
    assert flows == sorted(flows, reverse=True) and flows[0] == "import" and flows[-1] == "export"


def test_trade_fields_and_expand(client):
    (result,) = listed(
        client,
        TRADE,
        participant="NA",
        flow="export",
        fields="participant,certificates,sources",
        expand="participant,sources",
    )
    assert set(result) == {"participant", "certificates", "sources"}
    assert result["participant"]["code"] == "NA"
    assert result["participant"]["name"] == "Namibia"
    assert result["certificates"] == 241
    assert [source["url"] for source in result["sources"]] == [
        "https://www.namibian.com.na/namibia-ranks-among-top-five-diamond-exporters-in-africa/"
    ]


def test_a_trade_figure_in_full(client):
    (row,) = [
        r
        for r in figures("trade")
        if (r["participant"], r["year"], r["flow"]) == ("NA", "2022", "export")
    ]
    reports = [
        r
        for r in rows("kp-statistics-reports.csv")
        if (r["flow"], r["year"], r["iso2"]) == ("export", "2022", "NA")
    ]
    figure = m.Trade.objects.get(participant__code="NA", year=2022, flow="export")
    response = client.get(f"{TRADE}{figure.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": figure.pk,
        "url": f"{SERVER}/trade/{figure.pk}/",
        "scope": "participant",
        "participant": "NA",
        "participant_name": "Namibia",
        "participant_iso3": "NAM",
        "participant_m49": "516",
        "year": 2022,
        "flow": "export",
        "carats": 1800000,
        "value_usd": 942400000,
        "certificates": 241,
        "reports": [
            {
                "reported_as": "Namibia",
                "carats": number(report["carats"]),
                "value_usd": number(report["value_usd"]),
                "certificates": int(report["certificates"]),
                "source": m.Source.objects.get(url=report["source_url"]).slug,
                "confidence": GRADES[report["confidence"]],
                "note": report["note"],
            }
            for report in reports
        ],
        "sources": sourced(row),
        "confidence": "single_source",
        "note": row["note"],
        "created_at": stamp(figure.created_at),
        "updated_at": stamp(figure.updated_at),
    }


def test_a_world_trade_total_is_served_at_its_own_url(client):
    results = listed(client, TRADE, participant="world", year=2024)
    assert len(results) == 2
    for listed_total in results:
        response = client.get(listed_total["url"])
        assert response.status_code == 200, response.content
        assert response.json() == listed_total
