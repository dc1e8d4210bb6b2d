"""Read replicas: an anonymous GET reads from a healthy replica, everything else the primary.

With `DATABASE_REPLICA_URLS` set, settings add one database alias per replica. The middleware
gives an anonymous GET or HEAD one healthy replica, at random, for all its reads (its ETag and
its rows agree). Writes, every request that carries credentials (an editor's token or an admin
session: editors always read their own writes, with or without Redis, whatever the lag), and
every command go to the primary.

A replica is healthy when its last probe answered within `PROBE_SECONDS` and its replay lags
at most `DATABASE_REPLICA_MAX_LAG` seconds behind what it has received. Probes run in the
background, one at a time per replica and at most every `CHECK_SECONDS`, so no request waits on
a replica that is down, frozen or lagging: until a probe says otherwise, its reads go to the
primary. A probe still unanswered after `PROBE_SECONDS` leaves its replica out meanwhile.

A read that waits on its replica longer than `WAIT_SECONDS` (a replica frozen or stopped since
the last probe) is cut off from it: the replica is left out, and if the read failed for it, it is
answered again from the primary. (An export already streaming from a replica that freezes can
still be held.)
"""

import contextlib
import contextvars
import os
import random
import socket
import threading
import time

import psycopg
from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections

from . import metrics

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CHECK_SECONDS = 2.0
PROBE_SECONDS = 1.0
WAIT_SECONDS = 1.0
# Replay lag: nothing when the replica has replayed all it received, else the age of its last
# replayed transaction (a paused replay grows it; a quiet primary does not).
LAG = """SELECT CASE WHEN NOT pg_is_in_recovery()
                       OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
                     THEN 0
                     ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
                END"""
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


class Health:
    """What this process last learnt of each replica: healthy or not, and when it asked."""

    def __init__(self):
        self.lock = threading.Lock()
        self.healthy: dict[str, bool] = {}
        self.checked: dict[str, float] = {}
        self.probing: dict[str, float] = {}  # replicas being probed, since when

    def usable(self) -> list[str]:
        """The replicas last found healthy; probes those due, in the background."""
        now = time.monotonic()
        for alias in settings.DATABASE_REPLICAS:
            if now - self.probing.get(alias, now) > PROBE_SECONDS:
                self.healthy[alias] = False  # no answer in time: out until it answers
            elif now - self.checked.get(alias, -CHECK_SECONDS) >= CHECK_SECONDS:
                self.probe(alias)
        return [alias for alias in settings.DATABASE_REPLICAS if self.healthy.get(alias)]

    def probe(self, alias: str, wait: float = 0.0) -> bool:
        """Ask `alias` how it is, in a thread of its own; wait up to `wait` seconds for it."""
        with self.lock:
            if alias in self.probing:
                thread = None
            else:
                self.probing[alias] = time.monotonic()
                thread = threading.Thread(target=self._probe, args=(alias,), daemon=True)
                thread.start()
        if wait and thread:
            thread.join(wait)
            if thread.is_alive():  # no answer in time: down until it answers
                self.healthy[alias] = False
        return self.healthy.get(alias, False)

    def _probe(self, alias: str) -> None:
        started, reason = time.monotonic(), None
        try:
            if _lag(alias) > settings.DATABASE_REPLICA_MAX_LAG:
                reason = "lag"
        except psycopg.Error:
            reason = "error"
        if reason is None and time.monotonic() - started > PROBE_SECONDS:
            reason = "slow"
        if reason:
            metrics.REPLICA_ERRORS.labels(alias, reason).inc()
        healthy = reason is None
        with self.lock:
            self.healthy[alias], self.checked[alias] = healthy, time.monotonic()
            self.probing.pop(alias, None)

    def leave_out(self, alias: str) -> None:
        """A request found `alias` failing: out until a probe finds it well again."""
        with self.lock:
            self.healthy[alias], self.checked[alias] = False, time.monotonic()


def _lag(alias: str) -> float:
    database = connections.settings[alias]
    names = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}
    params = {name: database.get(key) or None for name, key in names.items()}
    with psycopg.connect(dbname=database["NAME"], connect_timeout=2, **params) as connection:
        (lag,) = connection.execute(LAG).fetchone()
    return float(lag)


health = Health()


class ReplicaMiddleware:
    """Gives an anonymous read a healthy replica; the rest reads the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        anonymous = not (
            request.headers.get("Authorization")
            or request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        )
        if not (request.method in SAFE_METHODS and anonymous and (usable := health.usable())):
            return self.get_response(request)
        alias = random.choice(usable)
        _replica.set(alias)
        with Watch(alias) as watch:
            response = self.get_response(request)
        if response.status_code == 503 or watch.cut:
            health.leave_out(alias)
        if response.status_code == 503:  # the replica failed it: the primary answers instead
            metrics.REPLICA_ERRORS.labels(alias, "request").inc()
            _replica.set(None)
            response = self.get_response(request)
        return response


class Watch:
    """Cuts this thread's connection to a replica, and forbids a new one, once the request has
    run `WAIT_SECONDS`: a frozen replica answers nothing, and no timeout of PostgreSQL's or of
    TCP's ends a wait on it (its kernel still acknowledges every packet)."""

    def __init__(self, alias: str):
        self.database = connections[alias]
        self.lock = threading.Lock()
        self.cut = self.done = False

    def __enter__(self):
        self.timer = threading.Timer(WAIT_SECONDS, self._cut)
        self.timer.daemon = True
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        with self.lock:
            self.done = True
            self.database.__dict__.pop("get_new_connection", None)

    def _cut(self) -> None:
        with self.lock:
            if self.done:
                return
            self.cut = True
            self.database.get_new_connection = _refuse
            raw = self.database.connection
            # A copy of its socket, shut: the thread waiting on the original wakes to an error,
            # which the primary answers for.
            with (
                contextlib.suppress(OSError, psycopg.Error, AttributeError),
                socket.socket(fileno=os.dup(raw.pgconn.socket)) as copy,
            ):
                copy.shutdown(socket.SHUT_RDWR)


def _refuse(*args, **kwargs):
    raise psycopg.OperationalError("this request waited too long on its replica")


def _back_to_primary(**kwargs) -> None:
    # After the response, streamed bodies included: code outside requests reads the primary.
    _replica.set(None)


request_finished.connect(_back_to_primary)
