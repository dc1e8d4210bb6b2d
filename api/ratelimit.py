"""Request counts per client, shared by every worker and counted atomically (no HTTP here).

A sliding log: a client may make `limit` requests in any `window` seconds, whichever worker or
server answers them. The counts live in Redis when REDIS_URL is set (one Lua script per request,
so a burst is counted one request at a time), otherwise in a SQLite file that every worker of
the machine shares (one write transaction per request). While Redis cannot be reached, each
machine counts on its own file instead of failing the request.
"""

import logging
import random
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from . import metrics

log = logging.getLogger(__name__)

# How long Redis is left alone after it failed, so that an outage costs no time per request.
REDIS_PAUSE = 5.0
# The longest window a rate can name (per day): rows older than it are of no use to anyone.
LONGEST_WINDOW = 86400


class Verdict(NamedTuple):
    allowed: bool
    limit: int
    remaining: int
    reset: float  # seconds until the oldest counted request leaves the window (0: none counted)


# KEYS[1]: the client's log; ARGV: now, window, limit, a unique member, 1 to count a request.
SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if ARGV[5] == '1' and count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or ''
return {allowed, count, oldest}
"""


def hit(key: str, limit: int, window: float) -> Verdict:
    """Count one request of `key` if the limit allows it; say what is left either way."""
    return _count(key, limit, window, record=True)


def peek(key: str, limit: int, window: float) -> Verdict:
    """What is left to `key`, counting nothing."""
    return _count(key, limit, window, record=False)


def clear() -> None:
    """Forget every count (tests; a reset after changing rates)."""
    _file().clear()
    if client := _redis():
        for key in client.scan_iter("kpdata:throttle:*"):
            client.delete(key)


def _count(key: str, limit: int, window: float, record: bool) -> Verdict:
    now = time.time()
    if client := _redis():
        try:
            allowed, count, oldest = _script(client)(
                keys=[f"kpdata:throttle:{key}"],
                args=[now, window, limit, uuid.uuid4().hex, int(record)],
            )
            return _verdict(bool(allowed), limit, count, oldest, window, now)
        except Exception as error:  # any failure of Redis: count here rather than fail
            _redis_failed(error)
    return _verdict(*_file().count(key, limit, window, record, now), window, now)


def _verdict(allowed, limit, count, oldest, window, now) -> Verdict:
    reset = max(0.0, float(oldest) + window - now) if oldest not in (None, "", b"") else 0.0
    return Verdict(allowed, limit, max(0, limit - int(count)), reset)


_state = threading.local()
_redis_down_until = 0.0


def _redis():
    """The Redis client when REDIS_URL is set and Redis was not just found down."""
    if not settings.REDIS_URL or time.monotonic() < _redis_down_until:
        return None
    if getattr(_state, "redis_url", None) != settings.REDIS_URL:
        import redis

        _state.redis = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        _state.redis_url = settings.REDIS_URL
        _state.script = None
    return _state.redis


def _script(client):
    if getattr(_state, "script", None) is None:
        _state.script = client.register_script(SCRIPT)
    return _state.script


def _redis_failed(error: Exception) -> None:
    global _redis_down_until
    _redis_down_until = time.monotonic() + REDIS_PAUSE
    metrics.REDIS_ERRORS.labels("throttle").inc()
    log.warning("Redis cannot count requests (%s); each machine counts alone for now.", error)


class FileStore:
    """The counts in one SQLite file: every process that opens it shares them."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")  # counts are not worth a disk flush
        self.db.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL)")
        self.db.execute("CREATE INDEX IF NOT EXISTS hits_key_at ON hits (key, at)")

    def count(self, key, limit, window, record, now) -> tuple[bool, int, int, float | None]:
        """(allowed, limit, count, oldest), in one write transaction: no two processes count
        at once, so a burst never slips past the limit."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM hits WHERE key = ? AND at <= ?", (key, now - window))
            count, oldest = self.db.execute(
                "SELECT COUNT(*), MIN(at) FROM hits WHERE key = ?", (key,)
            ).fetchone()
            allowed = record and count < limit
            if allowed:
                self.db.execute("INSERT INTO hits (key, at) VALUES (?, ?)", (key, now))
                count, oldest = count + 1, now if oldest is None else oldest
            if random.random() < 0.001:  # now and then, forget the clients that went away
                self.db.execute("DELETE FROM hits WHERE at <= ?", (now - LONGEST_WINDOW,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return allowed, limit, count, oldest

    def clear(self) -> None:
        self.db.execute("DELETE FROM hits")


def _file() -> FileStore:
    """This thread's connection to the shared file (a SQLite connection stays in its thread)."""
    store = getattr(_state, "file", None)
    if store is None or store.path != Path(settings.THROTTLE_FILE):
        store = _state.file = FileStore(settings.THROTTLE_FILE)
    return store
