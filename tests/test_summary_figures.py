"""Every figure of every summary, recomputed here from the API's own list of records: both
measures, every year and participant, both flows; and no partial sum passed off as the world's."""

from collections import defaultdict
from decimal import Decimal

import pycountry
import pytest

pytestmark = pytest.mark.django_db

COLLECTIONS = {"production": (), "trade": ("flow",)}
MEASURES = ("carats", "value_usd")


def records(client, collection: str, **query) -> list[dict]:
    response = client.get(f"/api/v1/{collection}/", {"page_size": 1000, **query})
    assert response.status_code == 200 and response.json()["next"] is None
    return response.json()["results"]


def summary(client, collection: str, **query) -> list[dict]:
    response = client.get(f"/api/v1/{collection}/summary/", query)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def total(values) -> Decimal | None:
    present = [d(value) for value in values if value is not None]
    return sum(present) if present else None


def ratio(numerator, denominator, places: str = "0.01") -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places))


def both(rows) -> list[dict]:
    return [row for row in rows if row["carats"] is not None and row["value_usd"] is not None]


def price(rows) -> Decimal | None:
    matching = both(rows)
    return ratio(total(r["value_usd"] for r in matching), total(r["carats"] for r in matching))


def equal(served: dict, expected: dict) -> None:
    """Every expected field served, numbers equal to the unit of their last decimal."""
    for name, value in expected.items():
        got = served[name]
        if isinstance(value, Decimal):
            assert got is not None and abs(d(got) - value) <= Decimal("0.01"), (name, served)
        else:
            assert got == value, (name, served, value)


def expected_by_year(listed, world, keys, partial: bool) -> dict[tuple, dict]:
    groups, totals = defaultdict(list), {}
    for row in listed:
        groups[tuple(row[key] for key in keys)].append(row)
    for row in world:
        totals[tuple(row[key] for key in keys)] = row
    expected = {}
    for group in set(groups) | set(totals):
        own, world_row = groups.get(group, []), totals.get(group)
        listed_sums = {m: total(r[m] for r in own) for m in MEASURES}
        row = {
            "participants": len(own),
            "listed_carats": listed_sums["carats"],
            "listed_value_usd": listed_sums["value_usd"],
        }
        if world_row:
            figures = {m: d(world_row[m]) for m in MEASURES}
            row |= {"basis": "published_total", "usd_per_carat": price([world_row])}
            row |= {"n": len(both([world_row]))}
            row |= {f"coverage_{m}": ratio(listed_sums[m], figures[m], "0.0001") for m in MEASURES}
        else:
            figures = listed_sums if partial else dict.fromkeys(MEASURES)
            row |= {"basis": "sum_of_listed", "usd_per_carat": price(own) if partial else None}
            row |= {"n": len(both(own)) if partial else 0}
            row |= {"coverage_carats": None, "coverage_value_usd": None}
        expected[group] = row | figures
    return expected


def expected_by_participant(listed, world, keys) -> dict[tuple, dict]:
    groups = defaultdict(list)
    for row in listed:
        groups[(row["participant"], *(row[key] for key in keys))].append(row)
    totals = {(row["year"], *(row[key] for key in keys)): row for row in world}
    expected = {}
    for group, own in groups.items():
        shares = {}
        for measure in MEASURES:
            pairs = [
                (d(r[measure]), d(totals[(r["year"], *group[1:])][measure]))
                for r in own
                if (r["year"], *group[1:]) in totals
                and r[measure] is not None
                and totals[(r["year"], *group[1:])][measure]
            ]
            shares[measure] = (
                ratio(sum(p for p, _ in pairs), sum(w for _, w in pairs), "0.0001")
                if pairs
                else None
            )
        expected[group] = {
            "carats": total(r["carats"] for r in own),
            "value_usd": total(r["value_usd"] for r in own),
            "usd_per_carat": price(own),
            "n": len(both(own)),
            "share": shares["carats"],
            "share_value_usd": shares["value_usd"],
            "coverage_carats": shares["carats"],
            "coverage_value_usd": shares["value_usd"],
            "years": len(own),
        }
    return expected


@pytest.mark.parametrize("collection", list(COLLECTIONS))
@pytest.mark.parametrize("partial", [False, True])
def test_every_figure_per_year_is_recomputed_from_the_records(client, collection, partial):
    keys = ("year", *COLLECTIONS[collection])
    listed = records(client, collection)
    world = records(client, collection, participant="world")
    query = {"partial": "include"} if partial else {}
    served = summary(client, collection, **query)
    expected = expected_by_year(listed, world, keys, partial)
    assert sorted(tuple(row[key] for key in keys) for row in served) == sorted(expected)
    for row in served:
        equal(row, expected[tuple(row[key] for key in keys)])
    # Trade has years with no published world total (2022's exports): the case this is about.
    assert any(row["basis"] == "sum_of_listed" for row in served) == (collection == "trade")


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_every_participants_figures_are_recomputed_from_the_records(client, collection):
    keys = COLLECTIONS[collection]
    listed = records(client, collection)
    world = records(client, collection, participant="world")
    served = summary(client, collection, group_by="participant")
    expected = expected_by_participant(listed, world, keys)
    assert len(served) == len(expected)
    for row in served:
        equal(row, expected[(row["participant"], *(row[key] for key in keys))])
        country = pycountry.countries.get(alpha_2=row["participant"])
        if row["participant"] == "EU":
            assert (row["iso3"], row["m49"]) == (None, None)
        else:
            assert (row["iso3"], row["m49"]) == (country.alpha_3, country.numeric)


def test_a_year_without_a_published_total_shows_no_world_figure_unless_asked(client):
    served = summary(client, "trade", flow="export", year="2022")
    assert served == [
        {
            "year": 2022,
            "flow": "export",
            "carats": None,
            "value_usd": None,
            "usd_per_carat": None,
            "n": 0,
            "basis": "sum_of_listed",
            "listed_carats": served[0]["listed_carats"],
            "listed_value_usd": served[0]["listed_value_usd"],
            "coverage_carats": None,
            "coverage_value_usd": None,
            "participants": served[0]["participants"],
        }
    ]
    assert served[0]["listed_value_usd"] > 0 and served[0]["participants"] > 1
    (asked,) = summary(client, "trade", flow="export", year="2022", partial="include")
    assert asked["basis"] == "sum_of_listed"
    assert (asked["carats"], asked["value_usd"]) == (
        served[0]["listed_carats"],
        served[0]["listed_value_usd"],
    )


def test_the_price_per_carat_counts_only_records_with_both_figures(client):
    own = records(client, "trade", participant="IL", flow="export")
    assert len(both(own)) < len(own)  # Israel's exports: some years give one figure only
    (row,) = summary(client, "trade", group_by="participant", participant="IL", flow="export")
    assert row["n"] == len(both(own))
    assert d(row["usd_per_carat"]) == price(own)
    naive = ratio(total(r["value_usd"] for r in own), total(r["carats"] for r in own))
    assert d(row["usd_per_carat"]) != naive


@pytest.mark.parametrize(
    "query",
    [
        {"year_after": "2015", "year_before": "2022"},
        {"participant": "BW,RU,CA"},
        {"confidence": "verified"},
        {"participant": "ZA", "partial": "include"},
    ],
)
def test_filtered_summaries_match_the_filtered_records(client, query):
    listed = records(client, "production", **{k: v for k, v in query.items() if k != "partial"})
    world_query = {k: v for k, v in query.items() if k not in ("participant", "partial")}
    world = records(client, "production", participant="world", **world_query)
    served = summary(client, "production", **query)
    expected = expected_by_year(listed, world, ("year",), "partial" in query)
    assert sorted((row["year"],) for row in served) == sorted(expected)
    for row in served:
        equal(row, expected[(row["year"],)])


def test_a_bad_partial_is_a_400_naming_it(client):
    response = client.get("/api/v1/production/summary/", {"partial": "yes"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["partial"]
