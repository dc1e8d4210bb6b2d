"""Middleware: the admin's writes signed in the history, and a 503 while the database is down."""

from django.db import InterfaceError, OperationalError, transaction
from django.http import JsonResponse

from . import history
from .problems import problem_response


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
