"""Throttles that hold: one count per client whichever worker answers, bursts counted one by one,
the client's address never taken from a header it writes, RateLimit-* on every answer."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api import ratelimit
from api.throttles import AnonThrottle
from tests.helpers import problem
from tests.services import free_port, redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_url(settings, monkeypatch, tmp_path):
    """A redis-server of the test's own, the throttles' store while the test runs."""
    with redis_server(tmp_path) as (_, port):
        url = f"redis://127.0.0.1:{port}/0"
        settings.REDIS_URL = url
        monkeypatch.setattr(ratelimit, "_redis_down_until", 0.0)
        yield url
    monkeypatch.setattr(ratelimit, "_redis_down_until", 0.0)


def burst(requests: int, limit: int) -> int:
    """How many of `requests` hits at once, from 40 threads, the store let through."""

    def one(_):
        return ratelimit.hit("anon:burst", limit, 60).allowed

    with ThreadPoolExecutor(max_workers=40) as pool:
        return sum(pool.map(one, range(requests)))


def test_a_burst_in_parallel_never_passes_the_limit_in_the_shared_file():
    assert burst(80, 20) == 20
    assert ratelimit.peek("anon:burst", 20, 60).remaining == 0


def test_a_burst_in_parallel_never_passes_the_limit_in_redis(redis_url):
    assert burst(80, 20) == 20
    verdict = ratelimit.peek("anon:burst", 20, 60)
    assert (verdict.remaining, verdict.limit) == (0, 20)
    assert 59 < verdict.reset <= 60


def test_while_redis_is_down_each_machine_counts_and_nothing_fails(client, settings, monkeypatch):
    settings.REDIS_URL = dead = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens there
    redis = {"BACKEND": "api.caches.FailSafeRedisCache", "LOCATION": dead}
    settings.CACHES = {"default": redis, "responses": {**redis, "KEY_PREFIX": "responses"}}
    monkeypatch.setattr(ratelimit, "_redis_down_until", 0.0)
    monkeypatch.setattr(AnonThrottle, "rate", "2/min", raising=False)
    codes = [client.get(path).status_code for path in ("/api/v1/blocs/", "/api/v1/people/")]
    assert [*codes, client.get("/api/v1/participants/ZA/").status_code] == [200, 200, 429]


def test_forged_forwarding_headers_start_no_fresh_count(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "3/min", raising=False)
    forged = [
        {"HTTP_X_FORWARDED_FOR": f"10.0.0.{n}", "HTTP_X_REAL_IP": f"10.1.0.{n}"} for n in range(8)
    ]
    codes = [client.get("/api/v1/blocs/", **headers).status_code for headers in forged]
    assert codes == [200] * 3 + [429] * 5


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw(client, settings, monkeypatch):
    settings.TRUSTED_PROXIES = 1
    monkeypatch.setattr(AnonThrottle, "rate", "2/min", raising=False)

    def via_proxy(written_by_client: str, seen_by_proxy: str) -> int:
        chain = f"{written_by_client}, {seen_by_proxy}" if written_by_client else seen_by_proxy
        return client.get("/api/v1/blocs/", HTTP_X_FORWARDED_FOR=chain).status_code

    assert [via_proxy("", "203.0.113.7") for _ in range(2)] == [200, 200]
    assert [via_proxy(f"198.51.100.{n}", "203.0.113.7") for n in range(3)] == [429] * 3
    assert via_proxy("203.0.113.7", "203.0.113.8") == 200  # another client, its own count


def test_retry_after_is_true_and_then_the_next_request_passes(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "2/s", raising=False)
    assert [client.get("/api/v1/blocs/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/blocs/")
    problem(refused, 429)
    wait = int(refused["Retry-After"])
    assert wait == 1 == int(refused["RateLimit-Reset"])
    assert refused["RateLimit-Remaining"] == "0"
    time.sleep(wait)
    assert client.get("/api/v1/blocs/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/blocs/", "/api/v1/blocs/nope/", "/healthz", "/", "/api/v1/statements.csv"]
)
def test_every_answer_carries_the_rate_limit_headers(client, monkeypatch, path):
    monkeypatch.setattr(AnonThrottle, "rate", "10/min", raising=False)
    client.get("/api/v1/sources/")
    response = client.get(path)
    assert response["RateLimit-Limit"] == "10"
    counted = 2 if path.startswith("/api/") else 1
    assert response["RateLimit-Remaining"] == str(10 - counted)
    assert 0 < int(response["RateLimit-Reset"]) <= 60


def test_the_reset_counts_whole_seconds_up(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "5/hour", raising=False)
    response = client.get("/api/v1/blocs/")
    assert 3599 <= int(response["RateLimit-Reset"]) <= 3600
