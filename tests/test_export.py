"""/api/v1/export/: the whole dataset as one ZIP that a Frictionless validator accepts."""

import csv
import io
import json
import zipfile

import pytest
from frictionless import Package

from api import models as m
from tests.collections import BY_NAME, CONTRACT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def exports(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    return settings.EXPORT_ROOT


def download(client) -> zipfile.ZipFile:
    response = client.get("/api/v1/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="kpdata-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_a_csv_per_collection_a_datapackage_and_a_readme(client):
    archive = download(client)
    assert archive.namelist() == [f"{name}.csv" for name in CONTRACT] + [
        "datapackage.json",
        "README.md",
    ]
    readme = archive.read("README.md").decode()
    assert "## How to cite" in readme and "CC BY 4.0" in readme


def test_the_datapackage_validates_and_its_row_counts_match_the_api(client, tmp_path):
    archive = download(client)
    archive.extractall(tmp_path / "package")
    package = Package(str(tmp_path / "package" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    for name in CONTRACT:
        with (tmp_path / "package" / f"{name}.csv").open(encoding="utf-8", newline="") as file:
            rows = len(list(csv.DictReader(file)))
        # What to ask the API for everything a collection holds: the ZIP leaves nothing out.
        everything = BY_NAME[name].facts.everything
        listed = sum(client.get(f"/api/v1/{name}/", q).json()["count"] for q in everything)
        assert rows == listed, name


def test_the_datapackage_describes_every_column_key_and_the_licence(client):
    archive = download(client)
    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["version"] == client.get("/api/v1/").json()["version"]
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert list(resources) == CONTRACT
    for name, resource in resources.items():
        header = archive.read(f"{name}.csv").decode().splitlines()[0].split(",")
        assert [field["name"] for field in resource["schema"]["fields"]] == header
        assert resource["schema"]["primaryKey"]
    statements = resources["statements"]["schema"]
    assert {"fields": ["speaker"], "reference": {"resource": "people", "fields": ["slug"]}} in (
        statements["foreignKeys"]
    )
    types = {field["name"]: field["type"] for field in resources["production"]["schema"]["fields"]}
    assert (types["year"], types["carats"], types["created_at"]) == (
        "integer",
        "number",
        "datetime",
    )


def test_the_zip_is_built_once_per_version_and_changes_with_the_data(client, exports):
    first = client.get("/api/v1/export/")
    etag = first["ETag"]
    built = list(exports.glob("*.zip"))
    assert len(built) == 1
    assert client.get("/api/v1/export/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    again = client.get("/api/v1/export/")
    assert again["ETag"] == etag and list(exports.glob("*.zip")) == built
    proposal = m.Proposal.objects.get(slug="2022-kasane-russia-agenda-item")
    proposal.note += " Checked again."
    proposal.save()
    fresh = client.get("/api/v1/export/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    archive = zipfile.ZipFile(io.BytesIO(b"".join(fresh.streaming_content)))
    assert "Checked again." in archive.read("proposals.csv").decode()


def test_the_export_takes_no_parameters(client):
    response = client.get("/api/v1/export/", {"format": "csv"})
    assert response.status_code in {400, 404}
    assert response["Content-Type"] == "application/problem+json"


def test_the_same_data_gives_the_same_zip_byte_for_byte(client, exports):
    first = b"".join(client.get("/api/v1/export/").streaming_content)
    for built in exports.glob("*.zip"):
        built.unlink()
    again = b"".join(client.get("/api/v1/export/").streaming_content)
    assert again == first
