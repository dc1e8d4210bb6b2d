"""Redis failing under the service: every request still answered, each instance caching on its
own meanwhile, readiness saying so, and Redis used again once it is back."""

import shutil
import signal

import pytest
import redis as redis_client
from django.core.cache import caches

from api import caches as caching
from tests.services import redis_server

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]
ZA = "/api/v1/participants/ZA/"


@pytest.fixture
def redis(tmp_path):
    """A Redis of the test's own: its process and a client of it."""
    with redis_server(tmp_path) as (process, port):
        yield process, redis_client.Redis(port=port)


@pytest.fixture
def shared(redis, settings, monkeypatch):
    """The caches in Redis, as with REDIS_URL set; the back-off longer than any test."""
    process, client = redis
    url = f"redis://127.0.0.1:{client.connection_pool.connection_kwargs['port']}/0"
    backend = {"BACKEND": "api.caches.FailSafeRedisCache", "LOCATION": url}
    settings.CACHES = {"default": backend, "responses": {**backend, "KEY_PREFIX": "responses"}}
    monkeypatch.setattr(caching, "RETRY_SECONDS", 60.0)
    return process, client


def test_redis_keeps_the_answers_while_it_is_up(client, shared):
    _, redis_client = shared
    assert client.get(ZA).status_code == 200
    assert redis_client.dbsize() > 0  # a kept answer, shared by every instance
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_with_redis_down_every_request_is_answered_and_readiness_says_so(
    client, alice, shared, fault
):
    process, _ = shared
    assert client.get(ZA).status_code == 200
    if fault == "stopped":
        process.kill()
        process.wait()
    else:  # it accepts connections and never answers: each wait is bounded
        process.send_signal(signal.SIGSTOP)
    for path in (ZA, "/api/v1/participants/", "/api/v1/statements/?search=marange", "/api/v1/"):
        assert client.get(path).status_code == 200, path
    response = alice.patch(ZA, {"name": "Republic of South Africa"})
    assert response.status_code == 200, response.content
    assert client.get(ZA).json()["name"] == "Republic of South Africa"  # no stale kept answer
    ready = client.get("/readyz")
    assert ready.status_code == 200  # still in service: a slower instance beats none
    assert ready.json() == {"status": "degraded", "database": "ok", "redis": "unavailable"}
    # One failed call marks Redis down: the requests after it did not each wait on it.
    assert [cache.failures for cache in caches.all()] in ([1, 1], [1, 0], [0, 1])


def test_redis_is_used_again_once_it_is_back(client, shared, monkeypatch):
    process, redis_client = shared
    process.send_signal(signal.SIGSTOP)
    assert client.get(ZA).status_code == 200
    process.send_signal(signal.SIGCONT)
    monkeypatch.setattr(caching, "RETRY_SECONDS", 0.0)
    for cache in caches.all():
        cache.down_until = 0.0
    redis_client.flushall()
    assert client.get(ZA).status_code == 200
    assert redis_client.dbsize() > 0
    assert client.get("/readyz").json()["status"] == "ok"
