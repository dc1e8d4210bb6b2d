"""Read replicas: a GET reads from a replica, everything else from the primary.

With `DATABASE_REPLICA_URLS` set, settings add one database alias per replica. The middleware
gives a GET or HEAD one replica, at random, for all its reads (its ETag and its rows agree),
unless the client has written in the last `DATABASE_REPLICA_PIN_SECONDS`. Writes,
the reads of a request that writes, the reads of a client that has just written (so that it sees
its own change, whatever the replicas' lag) and every command go to the primary. The clients who
just wrote are remembered in the cache, which `REDIS_URL` shares between app servers.
"""

import contextvars
import hashlib
import random

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_replica = contextvars.ContextVar("replica", default=None)


class ReplicaRouter:
    """Reads to the request's replica, if it has one; the rest to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return _replica.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema


def _writer(request) -> str | None:
    """Who is writing, as far as reads-after-writes go: an editor's token or an admin session."""
    credential = request.headers.get("Authorization") or request.COOKIES.get(
        settings.SESSION_COOKIE_NAME
    )
    if not credential:
        return None
    return "wrote:" + hashlib.sha256(credential.encode()).hexdigest()


class ReplicaMiddleware:
    """Marks which requests may read from a replica, and remembers the clients that write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        writer = _writer(request)
        safe = request.method in SAFE_METHODS
        reads_replica = safe and not (writer and cache.get(writer))
        _replica.set(random.choice(settings.DATABASE_REPLICAS) if reads_replica else None)
        response = self.get_response(request)
        if writer and not safe:
            cache.set(writer, True, settings.DATABASE_REPLICA_PIN_SECONDS)
        return response


def _back_to_primary(**kwargs) -> None:
    # After the response, streamed bodies included: code outside requests reads the primary.
    _replica.set(None)


request_finished.connect(_back_to_primary)
