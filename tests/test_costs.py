"""Bounded costs: one ZIP per dataset version whatever the Host, the schema built once per
release, kept answers that expire, and exports with `expand` refused beyond their size."""

import math
import time

import pytest
from django.core.cache import caches

from api import models as m
from api import streaming
from api.views import SchemaView
from tests.helpers import problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def exports(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    return settings.EXPORT_ROOT


def test_thirty_hosts_get_one_zip_and_a_new_version_replaces_it(client, exports):
    etags = {
        client.get("/api/v1/export/", HTTP_HOST=f"localhost:{9000 + n}")["ETag"] for n in range(30)
    }
    assert len(etags) == 1
    first = list(exports.glob("*.zip"))
    assert len(first) == 1
    source = m.Source.objects.order_by("id").first()
    source.title += " (checked)"
    source.save()
    assert client.get("/api/v1/export/", HTTP_HOST="localhost:9999").status_code == 200
    now = list(exports.glob("*.zip"))
    assert len(now) == 1 and now != first


@pytest.fixture
def builds(monkeypatch):
    """How many times the schema was built, from a process that has none kept."""
    monkeypatch.setattr(SchemaView, "kept", {})
    built = []
    build = SchemaView.build

    def counted(renderer, media_type):
        built.append(renderer.format)
        return build(renderer, media_type)

    monkeypatch.setattr(SchemaView, "build", counted)
    return built


def test_the_schema_is_built_once_per_release_and_format(client, builds):
    for query in [{}, {"format": "json"}, {"lang": "fr"}, {}, {"format": "json"}, {"x": "1"}]:
        assert client.get("/api/schema/", query).status_code == 200
    assert sorted(builds) == ["json", "yaml"]  # one each, whatever else the request says
    kept = client.get("/api/schema/", {"format": "json"})
    assert kept["Content-Type"] == "application/vnd.oai.openapi+json"
    assert kept.json()["info"]["title"] == "KP Data API"


def test_a_worker_with_none_kept_takes_the_shared_copy(client, builds, monkeypatch):
    client.get("/api/schema/")
    monkeypatch.setattr(SchemaView, "kept", {})  # another worker, same cache (Redis's)
    client.get("/api/schema/")
    assert builds == ["yaml"]


def test_kept_answers_expire(client):
    path = "/api/v1/participants/ZA/"
    assert client.get(path).status_code == 200
    responses = caches["responses"]
    expiries = list(responses._expire_info.values())
    assert expiries and all(math.isfinite(at) for at in expiries)
    assert all(at <= time.time() + 3600 + 1 for at in expiries)
    assert caches["default"].get_backend_timeout(None) is not None


def test_an_expanded_export_beyond_its_size_is_refused_with_the_way_to_the_data(
    client, monkeypatch
):
    monkeypatch.setattr(streaming, "EXPANDED_ROWS", 5)
    refused = client.get("/api/v1/statements.csv", {"expand": "source"})
    body = problem(refused, 400, "expand")
    assert "/api/v1/export/" in body["errors"]["expand"][0]
    refused = client.get("/api/v1/statements/", {"expand": "source", "format": "ndjson"})
    problem(refused, 400, "expand")
    assert client.get("/api/v1/statements.csv").status_code == 200
    few = client.get("/api/v1/statements.csv", {"expand": "source", "participant": "CF"})
    assert few.status_code == 200


def test_the_master_builds_it_before_any_request(client, builds):
    SchemaView.prepare()  # what gunicorn.conf.py's when_ready runs
    built = len(builds)
    for query in [{}, {"format": "json"}]:
        assert client.get("/api/schema/", query).status_code == 200
    assert len(builds) == built
