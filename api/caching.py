"""A Redis cache that fails safe: while Redis cannot be reached, each instance keeps its answers
and counts in its own memory, says so once in the log, and readiness reports it (`/readyz`).

Kept answers are a bonus and throttles can count per instance for a while: neither is worth a
failed request. A call that finds Redis down marks it down for `RETRY_SECONDS`, so requests do
not each wait for a connection timeout; the first call after that tries Redis again.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("kpdata.cache")
RETRY_SECONDS = 5.0
# Waits that bound a request's cost while Redis hangs rather than refuses.
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


class FailSafeRedisCache(RedisCache):
    """RedisCache, falling back to a per-instance LocMemCache while Redis is unreachable."""

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        super().__init__(server, {**params, "OPTIONS": {**TIMEOUTS, **options}})
        self.fallback = LocMemCache(
            f"fail-safe-{server}-{params.get('KEY_PREFIX', '')}",
            {**params, "OPTIONS": {"MAX_ENTRIES": 1000}},
        )
        self.down_until, self.up = 0.0, True
        self.failures = 0  # calls that found Redis down, since this process started

    def healthy(self) -> bool:
        """Whether Redis answers a PING now (readiness asks, whatever the back-off says)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except RedisError:
            return False

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self.down_until:
            try:
                found = getattr(RedisCache, name)(self, *args, **kwargs)
            except RedisError as error:
                self.failures += 1
                self.down_until = time.monotonic() + RETRY_SECONDS
                if self.up:
                    log.warning("Redis is unreachable (%s): caching in this instance", error)
                self.up = False
            else:
                if not self.up:
                    log.warning("Redis answers again: caching shared again")
                    self.up = True
                return found
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
