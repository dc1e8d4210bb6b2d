"""Each chart drawn at several filters: its numbers are the summary's, its gaps are the years with
no published world total, and it is titled, described, cited and linked to its data."""

import csv
import io
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import revalidate

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
QUERIES = 5  # the version, figures listed, world totals; shares also find their year


def draw(client, path: str, **query) -> ElementTree.Element:
    response = client.get(path, query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "image/svg+xml"
    return ElementTree.fromstring(response.content)


def points(svg) -> dict[str, dict[int, Decimal]]:
    """{series: {year: value}} as the chart draws them."""
    return {
        group.get("data-series"): {
            int(circle.get("data-year")): Decimal(circle.get("data-value"))
            for circle in group.iter(f"{SVG}circle")
        }
        for group in svg.iter(f"{SVG}g")
    }


def bars(svg) -> list[dict]:
    return [rect.attrib for rect in svg.iter(f"{SVG}rect") if rect.get("data-kind")]


def words(svg) -> str:
    return " ".join(" ".join(svg.itertext()).split())


def summary(client, collection: str, **query) -> list[dict]:
    response = client.get(f"/api/v1/{collection}/summary/", query)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def table(client, path: str, **query) -> list[dict]:
    response = client.get(path, query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def near(a, b, places: str = "0.01") -> bool:
    return abs(Decimal(str(a)) - Decimal(str(b))) <= Decimal(places)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"metric": "value_usd"},
        {"metric": "usd_per_carat", "year_after": "2010"},
        {"confidence": "verified", "year_before": "2020"},
    ],
)
def test_the_world_production_series_is_the_summarys_published_totals(client, query):
    metric = query.get("metric", "carats")
    svg = draw(client, "/api/v1/production/chart.svg", **query)
    filters = {key: value for key, value in query.items() if key != "metric"}
    rows = summary(client, "production", participant="world", **filters)
    expected = {
        row["year"]: row[metric]
        for row in rows
        if row["basis"] == "published_total" and row[metric] is not None
    }
    drawn = points(svg)["World (published total)"]
    assert set(drawn) == set(expected) and drawn
    assert all(near(drawn[year], expected[year]) for year in expected)


@pytest.mark.parametrize("metric", ["carats", "value_usd", "usd_per_carat"])
@pytest.mark.parametrize("flows", [{}, {"flow": "export"}, {"year_after": "2015"}])
def test_trade_is_drawn_by_flow_with_gaps_where_no_world_total_is_published(client, metric, flows):
    svg = draw(client, "/api/v1/trade/chart.svg", metric=metric, **flows)
    drawn = points(svg)
    rows = summary(client, "trade", **flows)
    for flow, name in (("export", "World exports"), ("import", "World imports")):
        expected = {
            row["year"]: row[metric]
            for row in rows
            if row["flow"] == flow and row[metric] is not None
        }
        assert drawn.get(f"{name} (published total)", {}).keys() == expected.keys()
        for year, value in expected.items():
            assert near(drawn[f"{name} (published total)"][year], value)
    missing = [row for row in rows if row["basis"] == "sum_of_listed"]
    assert missing  # e.g. 2022's exports: the KP published no world total
    for row in missing:
        name = "World exports" if row["flow"] == "export" else "World imports"
        assert row["year"] not in drawn.get(f"{name} (published total)", {})
        assert not any("Sum of listed" in series for series in drawn)
    assert "No published world total for" in words(svg)
    assert "?partial=include" in words(svg)


def test_partial_years_are_drawn_apart_only_when_asked(client):
    svg = draw(client, "/api/v1/trade/chart.svg", metric="value_usd", flow="export",
               partial="include")  # fmt: skip
    drawn = points(svg)
    (row,) = summary(client, "trade", flow="export", year="2022", partial="include")
    assert near(drawn["Sum of listed exports (no world total)"][2022], row["value_usd"])
    assert 2022 not in drawn["World exports (published total)"]


@pytest.mark.parametrize(
    ("codes", "metric"),
    [("BW", "carats"), ("BW,RU", "usd_per_carat"), ("CD,world", "value_usd")],
)
def test_a_participants_series_is_its_summary_year_by_year(client, codes, metric):
    svg = draw(client, "/api/v1/production/chart.svg", participant=codes, metric=metric)
    drawn = points(svg)
    for code in codes.split(","):
        if code == "world":
            assert "World (published total)" in drawn
            continue
        rows = summary(client, "production", group_by="participant", participant=code)
        name = next(iter(rows))["participant_name"]
        by_year = drawn[name]
        assert by_year
        for year, value in by_year.items():
            (row,) = summary(client, "production", group_by="participant", participant=code,
                             year=str(year))  # fmt: skip
            assert near(value, row[metric])
        years = {row["year"] for row in summary(client, "production", participant=code)}
        assert set(by_year) <= years
    if "world" not in codes:
        assert "World (published total)" not in drawn


@pytest.mark.parametrize(
    ("collection", "query"),
    [
        ("production", {"year": "2023"}),
        ("production", {"year": "2019", "metric": "value_usd"}),
        ("production", {}),
        ("trade", {"flow": "import", "year": "2024"}),
        ("trade", {"metric": "value_usd"}),
    ],
)
def test_shares_of_a_year_are_the_summarys_shares_with_other_and_uncovered(
    client, collection, query
):
    metric = query.get("metric", "carats")
    svg = draw(client, f"/api/v1/{collection}/shares.svg", **query)
    drawn = bars(svg)
    year = int(query.get("year") or words(svg).split(", ")[1][:4])
    flow = {"flow": query.get("flow", "export")} if collection == "trade" else {}
    (year_row,) = summary(client, collection, year=str(year), **flow)
    share_field = "share" if metric == "carats" else "share_value_usd"
    people = summary(client, collection, group_by="participant", year=str(year), **flow)
    by_name = {row["participant_name"]: row for row in people}
    for bar in drawn:
        if bar["data-kind"] == "participant":
            assert near(bar["data-share"], by_name[bar["data-label"]][share_field], "0.0001")
    others = [bar for bar in drawn if bar["data-kind"] == "other"]
    assert len([bar for bar in drawn if bar["data-kind"] == "participant"]) <= 8
    if others:
        assert others[0]["data-label"].startswith("Other listed participants")
    (uncovered,) = [bar for bar in drawn if bar["data-kind"] == "uncovered"]
    world_figure = Decimal(str(year_row[metric]))
    listed = Decimal(str(year_row[f"listed_{metric}"]))
    assert near(uncovered["data-value"], world_figure - listed)
    coverage = Decimal(str(year_row[f"coverage_{metric}"]))
    assert near(uncovered["data-share"], 1 - coverage, "0.0002")
    assert near(sum(Decimal(bar["data-share"]) for bar in drawn), 1, "0.0015")


def test_shares_of_a_year_without_a_published_total_are_not_drawn(client):
    svg = draw(client, "/api/v1/trade/shares.svg", flow="export", year="2022")
    assert bars(svg) == []
    assert "No published world total" in words(svg)
    assert table(client, "/api/v1/trade/shares.csv", flow="export", year="2022") == []


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/production/chart", {}),
        ("/api/v1/production/chart", {"participant": "BW,world", "metric": "usd_per_carat"}),
        ("/api/v1/trade/chart", {"metric": "value_usd"}),
        ("/api/v1/production/shares", {"year": "2023"}),
    ],
)
def test_each_charts_data_is_a_csv_at_the_same_filters(client, path, query):
    svg = draw(client, f"{path}.svg", **query)
    rows = table(client, f"{path}.csv", **query)
    if "shares" in path:
        drawn = {(bar["data-label"], Decimal(bar["data-share"])) for bar in bars(svg)}
        assert {
            (row["series"], Decimal(row["share"])) for row in rows if row["kind"] != "world_total"
        } == drawn
        assert {row["scope"] for row in rows} == {"world", "participant"}
    else:
        drawn = {(s, year, value) for s, by in points(svg).items() for year, value in by.items()}
        assert {(row["series"], int(row["year"]), Decimal(row["value"])) for row in rows} == drawn
    for row in rows:
        assert row["scope"] == (
            "world" if row["kind"] in ("world_total", "uncovered") else "participant"
        )
        if row["participant"] == "BW":
            assert (row["participant_name"], row["iso3"], row["m49"]) == ("Botswana", "BWA", "072")


def test_a_chart_is_titled_described_cited_and_linked_to_its_data(client):
    response = client.get("/api/v1/production/shares.svg", {"year": "2023"})
    svg = ElementTree.fromstring(response.content)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "title desc"
    assert (
        svg.find(f"{SVG}title").text == "Shares of world rough-diamond production by volume, 2023"
    )
    assert "Russian Federation" in svg.find(f"{SVG}desc").text
    text = words(svg)
    assert "Source: KP Data, http://testserver/api/v1/production/shares.svg?year=2023" in text
    assert "The data as a table: http://testserver/api/v1/production/shares.csv?year=2023" in text
    assert "Not covered by listed figures" in text
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links == ["http://testserver/api/v1/production/shares.csv?year=2023"]
    # Scales to a phone's width: a viewBox, and nothing wider than it.
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"


def test_a_chart_revalidates_and_refuses_bad_parameters(client):
    _, again = revalidate(client, "/api/v1/production/chart.svg", {"metric": "usd_per_carat"})
    assert again.status_code == 304
    for path, query in (
        ("/api/v1/production/chart.svg", {"metric": "weight"}),
        ("/api/v1/production/chart.svg", {"partial": "maybe"}),
        ("/api/v1/production/shares.svg", {"metric": "usd_per_carat"}),
        ("/api/v1/trade/shares.svg", {"flow": "both"}),
        ("/api/v1/trade/chart.csv", {"colour": "red"}),
    ):
        response = client.get(path, query)
        assert response.status_code == 400, (path, query)
        assert list(response.json()["errors"]) == list(query)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/production/chart.svg",
        "/api/v1/production/chart.csv",
        "/api/v1/trade/chart.svg",
        "/api/v1/production/shares.svg",
        "/api/v1/trade/shares.csv",
        "/api/v1/production/summary/",
        "/api/v1/trade/summary/",
    ],
)
@pytest.mark.parametrize("group_by", ["year", "participant"])
def test_charts_and_summaries_run_a_fixed_number_of_queries(client, path, group_by):
    query = {"group_by": group_by} if "summary" in path else {}
    if group_by == "participant" and "summary" not in path:
        query = {"participant": "world,BW"} if "chart" in path else {"year": "2024"}
    counts = []
    for participants in ("BW", "BW,RU,CA,AO,ZA,CD,NA,ZW,IN,AU,SL,LS,AE,IL,EU,CN"):
        client.get(path, query)  # the dataset's version, kept after the first answer
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {**query, "participant": participants})
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= QUERIES, counts
