"""RFC 9457 problem details: the one shape of every error the API answers with."""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from .parsers import TooLarge
from .renderers import JSONRenderer

PROBLEM_TYPE = "application/problem+json"


class ProblemRenderer(JSONRenderer):
    """Errors are JSON problem details, whatever format the request asked for."""

    media_type = PROBLEM_TYPE
    format = "problem"


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem: what went wrong, and for a bad request which inputs were wrong."""

    type = serializers.CharField(help_text="A URI for the kind of problem; about:blank here.")
    title = serializers.CharField(help_text="The HTTP status phrase, e.g. Bad Request.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a bad request: each query parameter or field that was wrong, and why.",
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with the record."


def problem(code: int, detail: str, errors: dict | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(code).phrase,
        "status": code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(code: int, detail: str, headers=None, **extra) -> JsonResponse:
    """A problem-details answer outside DRF's views (Django's error views, the middleware,
    `/healthz`); `extra` adds members to the problem, such as `database`."""
    return JsonResponse(
        problem(code, detail) | extra, status=code, content_type=PROBLEM_TYPE, headers=headers
    )


def exception_handler(exc, context):
    """DRF's exception handler, answering every error as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # Django's own check, before any parser runs
        exc = TooLarge()
    if not isinstance(exc, exceptions.APIException):
        return None  # the database middleware (503) or Django's handler500 answers it

    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _errors(exc.detail)
        names = ", ".join(sorted(errors))
        detail = f"The request cannot be served as asked; see errors for {names}."
    else:
        detail = str(exc.detail) if not isinstance(exc.detail, list | dict) else exc.default_detail
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    request = context.get("request")
    if request is not None:
        # Render the problem as JSON even when the request negotiated CSV or NDJSON.
        request.accepted_renderer = ProblemRenderer()
        request.accepted_media_type = PROBLEM_TYPE
    set_rollback()
    return Response(
        problem(exc.status_code, detail, errors),
        status=exc.status_code,
        headers=headers,
        content_type=PROBLEM_TYPE,
    )


def _errors(detail) -> dict[str, list[str]]:
    """Flatten DRF's error detail to {"parameter or field": ["message", ...]}."""
    if isinstance(detail, dict):
        flat = {}
        for name, value in detail.items():
            key = "request" if name == "non_field_errors" else str(name)
            for sub, messages in (
                _errors(value).items() if isinstance(value, dict) else [("", value)]
            ):
                flat[f"{key}.{sub}" if sub else key] = [str(m) for m in _as_list(messages)]
        return flat
    return {"request": [str(message) for message in _as_list(detail)]}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _django_handler(code: int, detail: str):
    def handler(request, exception=None):
        return problem_response(code, detail)

    return handler


# Django's own error views, for errors raised outside the API views (unknown URLs, bad hosts).
bad_request = _django_handler(400, "The request could not be understood.")
permission_denied = _django_handler(403, "You do not have permission to do this.")
page_not_found = _django_handler(404, "Nothing is found at this address.")


def locked_out(request, response=None, credentials=None) -> JsonResponse:
    """Too many failed logins for this account or from this address (django-axes)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return problem_response(
        429,
        f"Too many failed logins for this account or from this address: try again in "
        f"{minutes} minutes, or ask another editor to reset your password.",
        headers={"Retry-After": str(minutes * 60)},
    )


def server_error(request):
    return problem_response(500, "Something went wrong on our side; it has been logged.")
