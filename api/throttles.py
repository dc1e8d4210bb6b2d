"""Request rates per client, from THROTTLE_ANON_RATE and THROTTLE_EDITOR_RATE ("off": none),
counted in the shared store of `api/ratelimit.py`, with RateLimit-* headers on every answer.

A client is its address as the trusted proxies in front saw it (KPDATA_TRUSTED_PROXIES, none by
default): a header the client writes itself never names another client.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from . import metrics, ratelimit


def client_address(request) -> str:
    """The address of the client that sent `request` (a Django request).

    Each trusted proxy appends the address it received the request from to X-Forwarded-For;
    the client's is the one the outermost trusted proxy appended. What comes before it was
    written by the client and is never read."""
    chain = [
        *(part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")),
        request.META.get("REMOTE_ADDR", ""),
    ]
    chain = [address for address in chain if address]
    hops = settings.TRUSTED_PROXIES
    if not chain:
        return ""
    return chain[-(hops + 1)] if len(chain) > hops else chain[0]


class SharedRateThrottle(SimpleRateThrottle):
    """At most `rate` requests per client in any window of its length, across every worker."""

    verdict: ratelimit.Verdict | None = None

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        # A request is counted once: a fast lane (api/views/lanes.py) may have counted it.
        if getattr(request._request, "counted_as", None) == key:
            self.verdict = request._request.rate_limit
        else:
            self.verdict = ratelimit.hit(key, self.num_requests, self.duration)
            request._request.rate_limit = self.verdict  # for the headers (RateLimitHeaders)
        if not self.verdict.allowed:
            metrics.THROTTLED.labels(self.scope).inc()
        return self.verdict.allowed

    def wait(self):
        """Seconds until the oldest counted request leaves the window: then one more passes."""
        return self.verdict.reset if self.verdict else None


class AnonThrottle(SharedRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None  # editors have their own limit
        return f"anon:{client_address(request._request)}"


class EditorThrottle(SharedRateThrottle):
    scope = "editor"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous clients have their own limit
        return f"editor:{request.user.pk}"


def count_anonymous(request) -> bool:
    """Count an anonymous request (a Django request, with no token) as AnonThrottle counts it,
    for a view that answers without DRF; False when it is over its limit (DRF's throttle then
    refuses it with the same count, not counting it again)."""
    throttle = AnonThrottle()
    if throttle.rate is None:
        return True
    request.counted_as = f"anon:{client_address(request)}"
    request.rate_limit = ratelimit.hit(request.counted_as, throttle.num_requests, throttle.duration)
    return request.rate_limit.allowed


class RateLimitHeaders:
    """RateLimit-Limit, -Remaining and -Reset on every answer: the count the API's throttle
    made, or for pages it does not throttle (the front page, /healthz, static files) the
    anonymous client's count as it stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        verdict = getattr(request, "rate_limit", None)
        if verdict is None:
            verdict = self.standing(request)
        if verdict is not None:
            response["RateLimit-Limit"] = str(verdict.limit)
            response["RateLimit-Remaining"] = str(verdict.remaining)
            response["RateLimit-Reset"] = str(int(-(-verdict.reset // 1)))  # whole seconds, up
        return response

    @staticmethod
    def standing(request) -> ratelimit.Verdict | None:
        throttle = AnonThrottle()
        if throttle.rate is None:
            return None
        key = f"anon:{client_address(request)}"
        return ratelimit.peek(key, throttle.num_requests, throttle.duration)
