"""The caches: every entry expires, and a Redis that fails never fails a request.

An entry asked to be kept for ever (`timeout=None`) lives the cache's TIMEOUT instead, so that
no key a client can make lives longer than that. While Redis cannot be reached, each instance
keeps its answers and counts in its own memory, says so once in the log, and readiness reports
it (`/readyz`): kept answers are a bonus, never worth a failed request. A call that finds Redis
down marks it down for `RETRY_SECONDS`, so requests do not each wait for a timeout; the first
call after that tries Redis again.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from . import metrics

log = logging.getLogger("kpdata.cache")
RETRY_SECONDS = 5.0
# Waits that bound a request's cost while Redis hangs rather than refuses.
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


class Expiring:
    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        return super().get_backend_timeout(self.default_timeout if timeout is None else timeout)


class ExpiringLocMemCache(Expiring, LocMemCache):
    """Django's per-process cache, every entry with a time to live."""


class FailSafeRedisCache(Expiring, RedisCache):
    """Django's Redis cache, every entry with a time to live, falling back to a per-instance
    cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        super().__init__(server, {**params, "OPTIONS": {**TIMEOUTS, **options}})
        self.fallback = ExpiringLocMemCache(
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
                metrics.REDIS_ERRORS.labels("cache").inc()
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
