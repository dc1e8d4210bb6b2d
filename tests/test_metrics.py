"""Prometheus metrics at `/metrics`: requests by route, status and duration; Redis, replica and
database errors; kept answers found or made; throttled requests. Scraped and parsed as
Prometheus would, before and after some requests."""

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from api import ratelimit
from api.throttles import AnonThrottle
from tests.live import live_server
from tests.services import free_port

pytestmark = pytest.mark.django_db
ZA = "/api/v1/participants/ZA/"


def scrape(text: str) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} of an exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def figures(client) -> dict[tuple, float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return scrape(response.content.decode())


def moved(before: dict, after: dict, name: str, **labels) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_requests_are_counted_by_route_status_and_duration(client):
    before = figures(client)
    for _ in range(3):
        assert client.get(ZA).status_code == 200
    assert client.get("/api/v1/participants/XX/").status_code == 404
    assert client.get("/no/such/page/42").status_code == 404
    after = figures(client)
    detail = {"route": "v1:participant-detail", "method": "GET"}
    assert moved(before, after, "kpdata_requests_total", **detail, status="200") == 3
    assert moved(before, after, "kpdata_requests_total", **detail, status="404") == 1
    assert moved(before, after, "kpdata_request_duration_seconds_count", **detail) == 4
    assert moved(before, after, "kpdata_request_duration_seconds_sum", **detail) > 0
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert moved(before, after, "kpdata_requests_total", **unmatched) == 1
    # No raw path is ever a label: the series stay bounded whatever clients ask for.
    assert not any("ZA" in str(labels) or "/no/" in str(labels) for _, labels in after)


def test_a_strange_method_is_counted_as_other(client):
    before = figures(client)
    client.generic("BREW", ZA)
    after = figures(client)
    assert sum(moved(before, after, k[0], **dict(k[1])) for k in after if "other" in str(k)) >= 1
    assert not any("BREW" in str(labels) for _, labels in after)


def test_kept_answers_count_their_hits_and_misses(client):
    before = figures(client)
    client.get(ZA)
    client.get(ZA)
    client.get("/api/v1/participants/")
    client.get("/api/v1/participants/")
    after = figures(client)
    for kind in ("answer", "count", "keys"):
        assert moved(before, after, "kpdata_kept_answers_total", kind=kind, result="miss") >= 1
        assert moved(before, after, "kpdata_kept_answers_total", kind=kind, result="hit") >= 1


def test_throttled_requests_are_counted(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "2/min", raising=False)
    before = figures(client)
    codes = [client.get("/api/v1/blocs/").status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    after = figures(client)
    assert moved(before, after, "kpdata_throttled_requests_total", scope="anon") == 2
    route = {"route": "v1:bloc-list", "method": "GET", "status": "429"}
    assert moved(before, after, "kpdata_requests_total", **route) == 2


def test_redis_failures_are_counted_and_no_request_fails(client, settings, monkeypatch):
    settings.REDIS_URL = dead = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens there
    redis = {"BACKEND": "api.caches.FailSafeRedisCache", "LOCATION": dead}
    settings.CACHES = {"default": redis, "responses": {**redis, "KEY_PREFIX": "responses"}}
    monkeypatch.setattr(ratelimit, "_redis_down_until", 0.0)
    monkeypatch.setattr(AnonThrottle, "rate", "100/min", raising=False)
    before = figures(client)
    assert client.get(ZA).status_code == 200
    after = figures(client)
    assert moved(before, after, "kpdata_redis_errors_total", use="cache") >= 1
    assert moved(before, after, "kpdata_redis_errors_total", use="throttle") == 1


def test_metrics_answer_any_host_unthrottled_and_a_token_when_one_is_set(client, settings):
    settings.ALLOWED_HOSTS = ["kpdata.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/metrics", HTTP_HOST="10.0.0.7:8000").status_code == 200
    settings.METRICS_TOKEN = "s3cret-scraper"
    refused = client.get("/metrics", HTTP_HOST="10.0.0.7:8000")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scraper")
    assert allowed.status_code == 200
    assert "kpdata_requests_total" in allowed.content.decode()


def test_under_gunicorn_metrics_add_up_every_workers_requests(live_database, tmp_path):
    with live_server(live_database, tmp_path, workers=3) as (base, _):

        def get(path: str) -> str:
            with urllib.request.urlopen(base + path, timeout=10) as answer:
                return answer.read().decode()

        before = scrape(get("/metrics"))
        for _ in range(30):  # fresh connections: spread over the workers
            get("/api/v1/blocs/")
        after = scrape(get("/metrics"))
    route = {"route": "v1:bloc-list", "method": "GET", "status": "200"}
    assert moved(before, after, "kpdata_requests_total", **route) == 30
