"""Cache backends whose every entry expires: one asked to be kept for ever (`timeout=None`)
lives the cache's TIMEOUT instead, so that no key a client can make lives longer than that.
The Redis one answers a miss, and keeps nothing, while Redis cannot be reached: what it keeps
is made anew, never worth failing a request for."""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class Expiring:
    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        return super().get_backend_timeout(self.default_timeout if timeout is None else timeout)


def _or(fallback):
    """The method, or `fallback` (and a warning) when Redis fails."""

    def wrap(method):
        def tolerant(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                log.warning("Redis cannot be reached (%s); the cache is skipped.", error)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return tolerant

    return wrap


class ExpiringRedisCache(Expiring, RedisCache):
    """Django's Redis cache, every entry with a time to live, a miss while Redis is down."""

    get = _or(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _or({})(RedisCache.get_many)
    set = _or(None)(RedisCache.set)
    add = _or(False)(RedisCache.add)
    touch = _or(False)(RedisCache.touch)
    delete = _or(False)(RedisCache.delete)
    has_key = _or(False)(RedisCache.has_key)
    set_many = _or([])(RedisCache.set_many)
    delete_many = _or(None)(RedisCache.delete_many)


class ExpiringLocMemCache(Expiring, LocMemCache):
    """Django's per-process cache, every entry with a time to live."""
