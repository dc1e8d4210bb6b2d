"""A researcher's join: the production CSV to a World Bank style table, by ISO3 and by M49, with
no hand mapping; and world totals that no export lets anyone add to the participants' rows."""

import csv
import io
import json
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

WORLD_BANK = Path(__file__).parent / "data" / "world-bank-style.csv"


def world_bank() -> list[dict]:
    # What `pandas.read_csv` would give, with the csv module (pandas is not a dependency).
    with WORLD_BANK.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def download(client, path: str, **query) -> list[dict]:
    response = client.get(path, query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def join(left, right, left_key, right_key, cast=str) -> list[tuple[dict, dict]]:
    """An inner join, as `left.merge(right, left_on=..., right_on=...)` would make it."""
    index = defaultdict(list)
    for row in right:
        if row[right_key]:
            index[cast(row[right_key])].append(row)
    return [(a, b) for a in left if a[left_key] for b in index.get(cast(a[left_key]), [])]


def test_the_production_csv_joins_a_world_bank_table_by_iso3_and_by_m49(client):
    production = download(client, "/api/v1/production.csv")
    table = world_bank()
    by_iso3 = join(production, table, "participant_iso3", "Country Code")
    by_m49 = join(production, table, "participant_m49", "M49 Code", cast=int)
    # The same pairs either way, and every country of the table that has figures is found.
    pairs = {(a["id"], b["Country Code"]) for a, b in by_iso3}
    assert pairs == {(a["id"], b["Country Code"]) for a, b in by_m49}
    listed = {row["participant_iso3"] for row in production}
    countries = {row["Country Code"] for row in table if row["M49 Code"]}
    found = {b["Country Code"] for _, b in by_iso3}
    assert found == countries & listed and len(found) >= 10  # Israel, the UAE: no production
    for a, b in by_iso3:
        assert a["participant_m49"] == b["M49 Code"]
    # Congo's names differ ("Democratic Republic of the Congo", "Congo, Dem. Rep."): no matter.
    congo = {
        (a["participant_name"], b["Country Name"]) for a, b in by_iso3 if a["participant"] == "CD"
    }
    assert congo == {("Democratic Republic of the Congo", "Congo, Dem. Rep.")}
    # The EU has no ISO3 or M49 code: it joins on its own code, EU, or not at all.
    trade = download(client, "/api/v1/trade.csv")
    assert not join([r for r in trade if r["participant"] == "EU"], table, "participant_iso3",
                    "Country Code")  # fmt: skip
    eu = [row for row in trade if row["participant"] == "EU"]
    assert eu and all(row["participant_iso3"] == row["participant_m49"] == "" for row in eu)


def test_the_participant_summary_csv_carries_the_same_codes(client):
    summary = download(client, "/api/v1/production/summary.csv", group_by="participant")
    joined = join(summary, world_bank(), "m49", "M49 Code", cast=int)
    assert {(a["iso3"], a["participant_name"]) for a, _ in joined} >= {("BWA", "Botswana")}
    assert all(a["iso3"] == b["Country Code"] for a, b in joined)


def test_positions_csv_names_the_participant_beside_its_code(client):
    positions = download(client, "/api/v1/positions.csv", participant="US")
    assert positions and {row["participant_name"] for row in positions} == {"United States"}


def test_the_zip_marks_world_totals_by_scope_and_documents_it(client, settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    response = client.get("/api/v1/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    package = json.loads(archive.read("datapackage.json"))
    for name in ("production", "trade"):
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open(f"{name}.csv"), "utf-8")))
        assert {row["scope"] for row in rows} == {"world", "participant"}
        assert all((row["scope"] == "world") == (row["participant"] == "") for row in rows)
        (resource,) = [r for r in package["resources"] if r["name"] == name]
        fields = {field["name"]: field for field in resource["schema"]["fields"]}
        assert fields["scope"]["constraints"] == {"enum": ["world", "participant"]}
        assert "never add it" in fields["scope"]["description"]
        for column in ("participant_name", "participant_iso3", "participant_m49"):
            assert fields[column]["description"]
    # Summing a year's participant rows never takes in the world's.
    rows = list(csv.DictReader(io.TextIOWrapper(archive.open("production.csv"), "utf-8")))
    world_2023 = [r for r in rows if r["year"] == "2023" and r["scope"] == "world"]
    listed_2023 = [r for r in rows if r["year"] == "2023" and r["scope"] == "participant"]
    assert len(world_2023) == 1
    listed_sum = sum(Decimal(r["carats"]) for r in listed_2023 if r["carats"])
    assert listed_sum < Decimal(world_2023[0]["carats"])
