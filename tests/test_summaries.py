"""Production and trade summaries against sums computed here from the reference file."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

FIGURES = Path(settings.BASE_DIR) / "fixtures" / "reference" / "kp-statistics.csv"


def figures(flow: str) -> list[dict]:
    with FIGURES.open(encoding="utf-8", newline="") as file:
        return [row for row in csv.DictReader(file) if row["flow"] == flow]


def number(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def total(values) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def close(served, expected) -> bool:
    if expected is None:
        return served is None
    return abs(Decimal(str(served)) - expected) < Decimal("0.01")


def summary(client, path: str, **query) -> list[dict]:
    response = client.get(path, query)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_the_2021_and_2023_world_totals_come_back_from_the_summary(client):
    rows = summary(client, "/api/v1/production/summary/", participant="world")
    by_year = {row["year"]: row for row in rows}
    assert (by_year[2021]["carats"], by_year[2021]["value_usd"]) == (120040000.0, 13980000000.0)
    assert (by_year[2023]["carats"], by_year[2023]["value_usd"]) == (111523000.0, 12725000000.0)
    assert by_year[2023]["usd_per_carat"] == 114.1 and by_year[2023]["basis"] == "published_total"


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ({}, lambda row: True),
        (
            {"year_after": "2015", "year_before": "2022"},
            lambda row: 2015 <= int(row["year"]) <= 2022,
        ),
        ({"participant": "BW,RU,CA"}, lambda row: row["participant"] in {"BW", "RU", "CA"}),
        ({"confidence": "verified"}, lambda row: row["confidence"] == "V"),
    ],
)
def test_per_year_totals_are_the_world_total_where_published_else_the_listed_sum(
    client, query, keep
):
    rows = [row for row in figures("production") if keep(row) or row["participant"] == ""]
    served = summary(client, "/api/v1/production/summary/", group_by="year", **query)
    for year_row in served:
        year = str(year_row["year"])
        listed = [r for r in rows if r["year"] == year and r["participant"] and keep(r)]
        world = [
            r for r in rows if r["year"] == year and not r["participant"]
            if "confidence" not in query or r["confidence"] == "V"
        ]  # fmt: skip
        world = [w for w in world if "year_after" not in query or keep(w)]
        assert year_row["participants"] == len(listed)
        assert close(year_row["listed_carats"], total(number(r["carats"]) for r in listed))
        assert close(year_row["listed_value_usd"], total(number(r["value_usd"]) for r in listed))
        if world:
            assert year_row["basis"] == "published_total"
            assert close(year_row["carats"], number(world[0]["carats"]))
        else:
            # No published total: no world figure, only what the listed participants hold.
            assert year_row["basis"] == "sum_of_listed"
            assert (year_row["carats"], year_row["value_usd"], year_row["coverage_carats"]) == (
                None,
                None,
                None,
            )
    # A year with a published world total has its row, even when no listed participant has
    # figures that year (participants 0): the world figure does not depend on who is listed.
    years_expected = {
        int(r["year"])
        for r in rows
        if (keep(r) if r["participant"] else ("participant" in query or keep(r)))
    }
    if "confidence" not in query:
        assert {row["year"] for row in served} == years_expected


def test_per_participant_totals_and_shares_of_the_world(client):
    rows = figures("production")
    world = {r["year"]: r for r in rows if not r["participant"]}
    served = summary(
        client, "/api/v1/production/summary/", group_by="participant", participant="BW,RU",
        year_after="2018", year_before="2023",
    )  # fmt: skip
    assert [row["participant"] for row in served] == ["BW", "RU"]
    for row in served:
        own = [
            r
            for r in rows
            if r["participant"] == row["participant"] and 2018 <= int(r["year"]) <= 2023
        ]
        assert row["years"] == len(own)
        assert close(row["carats"], total(number(r["carats"]) for r in own))
        both = [
            (number(r["carats"]), number(world[r["year"]]["carats"]))
            for r in own
            if r["year"] in world
        ]
        share = sum(c for c, _ in both) / sum(w for _, w in both)
        assert abs(Decimal(str(row["share"])) - share) < Decimal("0.0001")


def test_trade_is_summed_per_flow(client):
    rows = figures("export")
    served = summary(client, "/api/v1/trade/summary/", flow="export", year="2022")
    (row,) = served
    listed = [r for r in rows if r["year"] == "2022" and r["participant"]]
    assert row["flow"] == "export" and row["participants"] == len(listed)
    assert close(row["listed_carats"], total(number(r["carats"]) for r in listed))
    by_participant = summary(client, "/api/v1/trade/summary/", group_by="participant", year="2022")
    assert {(row["participant"], row["flow"]) for row in by_participant} >= {
        ("NA", "export"),
        ("NA", "import"),
    }


def test_the_summary_comes_as_csv_with_the_same_values(client):
    served = summary(client, "/api/v1/production/summary/", year_after="2020")
    response = client.get("/api/v1/production/summary.csv", {"year_after": "2020"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["year"]) for row in table] == [row["year"] for row in served]
    assert [row["basis"] for row in table] == [row["basis"] for row in served]


def test_a_summary_refuses_a_bad_group_or_filter(client):
    for query in ({"group_by": "flow"}, {"participant": "XX"}, {"fields": "year"}):
        response = client.get("/api/v1/production/summary/", query)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == list(query)
