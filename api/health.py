"""Health: `/readyz` (what the service depends on) and `/healthz`; `/livez` (the process
answers) is api.middleware.LivenessMiddleware, ahead of every check of the request.

Readiness is 503 only when the primary database cannot be reached: without it nothing can be
served. A part the service can do without (Redis, a replica) is reported, and the status is
`degraded`, but the instance stays in service (a replica's reads go to the primary meanwhile):
taking every instance out because Redis is down would turn a slower service into none.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .caches import FailSafeRedisCache
from .problems import problem_response
from .replicas import PROBE_SECONDS
from .replicas import health as replicas_health


def _database(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _redis() -> str:
    """ok, unavailable, or not configured."""
    shared = [cache for cache in caches.all() if isinstance(cache, FailSafeRedisCache)]
    if not shared:
        return "not configured"
    return "ok" if all(cache.healthy() for cache in shared) else "unavailable"


@never_cache
@require_safe
def readyz(request):
    """The database, the replicas and Redis; 503 only when the database is down."""
    if not _database(DEFAULT_DB_ALIAS):
        return problem_response(503, "The database cannot be reached.", database="unavailable")
    body = {"status": "ok", "database": "ok", "redis": _redis()}
    if replicas := settings.DATABASE_REPLICAS:
        found = {name: replicas_health.probe(name, wait=PROBE_SECONDS) for name in replicas}
        body["replicas"] = {name: "ok" if ok else "unavailable" for name, ok in found.items()}
    parts = [body["redis"], *body.get("replicas", {}).values()]
    if "unavailable" in parts:
        body["status"] = "degraded"
    return JsonResponse(body)


@never_cache
@require_safe
def healthz(request):
    """200 `{"status": "ok", "database": "ok"}`, or a problem-details 503 when it is down."""
    if not _database(DEFAULT_DB_ALIAS):
        return problem_response(503, "The database cannot be reached.", database="unavailable")
    return JsonResponse({"status": "ok", "database": "ok"})
