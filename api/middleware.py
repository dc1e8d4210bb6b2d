"""Middleware: a request id on every answer, the admin's writes signed in the history, and a
503 while the database is down."""

from django.db import InterfaceError, OperationalError, transaction
from django.http import JsonResponse

from . import history, logs
from .problems import problem_response


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


class DatabaseUnavailableMiddleware:
    """While the database is down, every request gets a problem-details 503, not an HTML 500;
    the next request after it is back connects again (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return unavailable()
        return None


def unavailable() -> JsonResponse:
    return problem_response(
        503,
        "The database cannot be reached; try again shortly.",
        headers={"Retry-After": "5"},
        database="unavailable",
    )
