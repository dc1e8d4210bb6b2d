"""The entry points: the API root, the schema and docs served offline, CORS, ETags and 304s."""

import re

import pytest
from django.db.models import Max

from api import models as m
from tests.collections import CONTRACT
from tests.helpers import revalidate

pytestmark = pytest.mark.django_db


def test_the_root_links_every_collection_and_describes_the_dataset(client):
    body = client.get("/api/v1/").json()
    assert list(body["collections"]) == CONTRACT
    for name, url in body["collections"].items():
        assert url == f"http://testserver/api/v1/{name}/"
        assert client.get(url).status_code == 200
    latest = max(
        model.objects.aggregate(latest=Max("updated_at"))["latest"]
        for model in (m.Participant, m.Statement, m.Source, m.Production, m.StatisticReport)
    )
    assert body["last_updated"] == latest.isoformat().replace("+00:00", "Z")
    assert len(body["version"]) == 16
    assert body["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["schema"] == "http://testserver/api/schema/"


def test_the_dataset_version_changes_when_a_record_changes_or_goes(client):
    before = client.get("/api/v1/").json()["version"]
    meeting = m.Meeting.objects.get(slug="2022-intersessional-kasane")
    meeting.note = meeting.note + " Checked again."
    meeting.save()
    after = client.get("/api/v1/").json()
    assert after["version"] != before
    assert after["last_updated"] == meeting.updated_at.isoformat().replace("+00:00", "Z")
    m.StatisticReport.objects.filter(pk=m.StatisticReport.objects.first().pk).delete()
    assert client.get("/api/v1/").json()["version"] not in {before, after["version"]}


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_are_served_by_the_app_with_no_request_leaving_the_machine(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    addresses += re.findall(r"""["'](https?://[^"']+)["']""", html)
    assert addresses
    for address in addresses:
        assert not address.startswith(("http://", "https://", "//")) or address.startswith(
            "http://testserver/"
        ), address
    for asset in (a for a in addresses if a.startswith("/static/")):
        assert client.get(asset).status_code == 200, asset


def test_reading_is_open_to_any_origin_without_credentials(client):
    response = client.get("/api/v1/participants/", HTTP_ORIGIN="https://ngo.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/statements/",
        HTTP_ORIGIN="https://ngo.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"


# Each collection's lists and details: tests/test_collections.py.
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/statements/?participant=CF"])
def test_the_root_and_a_filtered_list_carry_an_etag_and_answer_304_when_unchanged(client, path):
    etag, again = revalidate(client, path)
    assert re.fullmatch(r'(W/)?"[0-9a-f]+"', etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(path, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_responses_vary_on_accept_so_caches_keep_formats_apart(client):
    assert "Accept" in client.get("/api/v1/participants/")["Vary"]
