"""Prometheus metrics: what each part counts, and their text for `/metrics` (no HTTP here).

Requests are counted by route (the URL pattern's name, never the raw path, so that no client
can make a new series), method and status, with their durations (until the answer starts: a
streamed export's body is not timed). Failures of the database, the replicas and Redis are
counted where they are caught; so are kept answers found or made, and throttled requests.
`/metrics` (api.middleware.MetricsMiddleware) shows them.

Under gunicorn (gunicorn.conf.py), every worker writes its figures to files in
`PROMETHEUS_MULTIPROC_DIR`, and the exposition adds them up, whichever worker answers.
"""

import functools
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST  # of the exposition
METHODS = {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"}

REQUESTS = Counter(
    "kpdata_requests",
    "Requests answered, by route, method and status",
    ["route", "method", "status"],
)
DURATION = Histogram(
    "kpdata_request_duration_seconds",
    "Time to answer a request (to the first byte of a streamed one), by route and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
DATABASE_ERRORS = Counter(
    "kpdata_database_errors", "Requests answered 503 because the primary database failed"
)
REPLICA_ERRORS = Counter(
    "kpdata_replica_errors",
    "Probes that found a replica unusable: error, slow or lagging",
    ["replica", "reason"],
)
REDIS_ERRORS = Counter(
    "kpdata_redis_errors", "Calls to Redis that failed, by use (cache, throttle)", ["use"]
)
KEPT = Counter(
    "kpdata_kept_answers",
    "Kept answers looked up (details' answers, lists' counts and keys), by result",
    ["kind", "result"],
)
THROTTLED = Counter("kpdata_throttled_requests", "Requests refused with a 429, by scope", ["scope"])


def request(route: str, method: str, status: int, seconds: float) -> None:
    """One request answered: `route` is its URL pattern's name, never its path."""
    method = method if method in METHODS else "other"  # a client may send any word
    _series(REQUESTS, route, method, str(status)).inc()
    _series(DURATION, route, method).observe(seconds)


@functools.lru_cache(maxsize=4096)  # routes, methods and statuses are few, and all known
def _series(metric, *labels):
    """A metric's series for these labels, found once (prometheus_client locks to find it)."""
    return metric.labels(*labels)


def kept(kind: str, hit: bool) -> None:
    KEPT.labels(kind, "hit" if hit else "miss").inc()


def get_or_make(cache, kind: str, key: str, make, timeout: float):
    """`cache.get_or_set`, counting whether the value was found or made."""
    made = []

    def counted():
        made.append(True)
        return make()

    value = cache.get_or_set(key, counted, timeout=timeout)
    kept(kind, hit=not made)
    return value


def exposition() -> bytes:
    """Every figure in Prometheus' text format: every worker's, under gunicorn."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry)
