"""Middleware: a request id on every answer, the admin's writes signed in the history and its
sessions, users and messages (not the API's: its clients send tokens), a 503 while the database
is down, and every request counted (`/metrics`)."""

import hmac
import time

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse, JsonResponse

from . import history, logs, metrics
from .problems import problem_response

API = "/api/"  # where the API's addresses start


class LivenessMiddleware:
    """`/livez` answered first, before the Host is checked or HTTPS required: a container's
    health check asks by its own address, whatever DJANGO_ALLOWED_HOSTS says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/livez" and request.method in {"GET", "HEAD"}:
            return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        return self.get_response(request)


class RequestIdMiddleware:
    """Every answer carries `X-Request-ID` (the one a proxy or client sent, if plain, else a new
    one), and every log line written while answering carries it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Kept until the request is finished (api/logs.py), after Django has logged its answer.
        request.id = logs.new_request_id(request.headers.get("X-Request-ID"))
        logs.request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class AdminChangesMiddleware:
    """Runs each admin POST in one transaction whose changes are signed admin:<user>."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and request.path.startswith("/admin/")
            and user
            and (user.is_authenticated)
        ):
            with transaction.atomic(), history.actor(f"admin:{user.get_username()}"):
                return self.get_response(request)
        return self.get_response(request)


class SiteSessionMiddleware(SessionMiddleware):
    """Django's sessions, for the site's pages (the admin): the API's clients send tokens, never
    a session's cookie, and no API answer reads or writes one."""

    def process_request(self, request):
        if not request.path_info.startswith(API):
            super().process_request(request)

    def process_response(self, request, response):
        if not hasattr(request, "session"):
            return response
        return super().process_response(request, response)


class SiteAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's logged-in user, for the site's pages: the API finds its editor by token (DRF's
    authentication), never by session."""

    def process_request(self, request):
        if not request.path_info.startswith(API):
            super().process_request(request)


class SiteMessageMiddleware(MessageMiddleware):
    """Django's messages, for the admin's pages: the API sends none, and making their store for
    each of its requests cost a cold detail a twentieth of its time."""

    def process_request(self, request):
        if not request.path_info.startswith(API):
            super().process_request(request)


class DatabaseUnavailableMiddleware:
    """While the database is down, every request gets a problem-details 503, not an HTML 500;
    the next request after it is back connects again (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            metrics.DATABASE_ERRORS.inc()
            return unavailable()
        return None


def unavailable() -> JsonResponse:
    return problem_response(
        503,
        "The database cannot be reached; try again shortly.",
        headers={"Retry-After": "5"},
        database="unavailable",
    )


class MetricsMiddleware:
    """Answers `/metrics` (ahead of the Host check, the HTTPS redirect and the throttles, as
    `/livez` is: a scraper asks each instance by its own address; with KPDATA_METRICS_TOKEN set,
    only with that bearer token), and counts and times every other request by its route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/metrics" and request.method in {"GET", "HEAD"}:
            token = settings.METRICS_TOKEN
            given = request.headers.get("Authorization", "")
            if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return problem_response(
                    401, "Send the metrics token: Authorization: Bearer <token>.",
                    headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"},
                )  # fmt: skip
            return HttpResponse(
                metrics.exposition(),
                content_type=metrics.CONTENT_TYPE,
                headers={"Cache-Control": "no-store"},
            )
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or match.route) if match else "unmatched"
        metrics.request(route, request.method, response.status_code, time.perf_counter() - started)
        return response
