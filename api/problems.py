"""RFC 9457 problem details: the one shape of every error the API answers with."""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe
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

    type = serializers.CharField(
        help_text="The kind of problem: a URL of this service that explains it, e.g. "
        "/problems/invalid-request."
    )
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


# Every kind of problem the API answers with, by status: its page under /problems/ says what
# it means and what to do.
TYPES = {
    400: ("invalid-request", "A query parameter or field is unknown, repeated, empty or has a "
          "value it cannot take. `errors` names each one and why; an unknown code or slug comes "
          "with the closest known ones. Correct the request and send it again."),
    401: ("unauthenticated", "Writing needs an editor's token: send `Authorization: Token "
          "<token>`. Reading needs none."),
    403: ("forbidden", "The token is valid but its user is not an editor."),
    404: ("not-found", "No record has this identifier (a deleted one's history is still at "
          "/history/), the page is past the end, the address is unknown, or the format is "
          "none of those the detail lists."),
    405: ("method-not-allowed", "This address does not take this method; `Allow` lists those "
          "it takes."),
    406: ("not-acceptable", "No format this address gives matches `Accept`: use JSON, CSV or "
          "NDJSON, or `?format=`."),
    409: ("conflict", "The change conflicts with the record as it stands: an identifier "
          "taken (ever, deleted records included), or records that still refer to this one."),
    412: ("precondition-failed", "`If-Match` names a version that is no longer current: "
          "someone changed the record. Read it again, and apply your change to what it is now."),
    413: ("too-large", "The body is larger than a write can be."),
    414: ("uri-too-long", "The request line (the address with its query) is longer than the "
          "server reads (8190 bytes): ask for fewer values at once, or split the request."),
    415: ("unsupported-media-type", "Writes take JSON: send `Content-Type: application/json`."),
    428: ("precondition-required", "A change needs `If-Match` with the record's ETag, from a "
          "GET of it or the answer to your last write, so that nothing is overwritten blindly."),
    429: ("too-many-requests", "Too many requests from this client: wait the seconds "
          "`Retry-After` gives."),
    431: ("header-too-large", "A header, or the request's head as a whole, is larger than the "
          "server reads: send fewer or shorter headers (cookies included)."),
    500: ("server-error", "Something went wrong on our side; it has been logged. Try again, "
          "and tell us if it persists."),
    501: ("not-implemented", "The request asks for something the server does not do, such as "
          "a transfer coding other than chunked."),
    503: ("unavailable", "The database cannot be reached for now; try again shortly."),
}  # fmt: skip


def problem_type(code: int) -> str:
    """The `type` of a problem with this status: its page here, or about:blank."""
    return f"/problems/{TYPES[code][0]}" if code in TYPES else "about:blank"


def problem(code: int, detail: str, errors: dict | None = None) -> dict:
    body = {
        "type": problem_type(code),
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
    """Flatten DRF's error detail to {"parameter or field": ["message", ...]}; a nested row's
    field as `positions.3.note`."""
    if not _nested(detail):
        return {"request": [str(message) for message in _as_list(detail)]}
    items = detail.items() if isinstance(detail, dict) else enumerate(detail)
    flat = {}
    for name, value in items:
        key = "request" if name == "non_field_errors" else str(name)
        if _nested(value):
            flat |= {f"{key}.{sub}": messages for sub, messages in _errors(value).items()}
        else:
            flat[key] = [str(message) for message in _as_list(value)]
    return flat


def _nested(detail) -> bool:
    """A dict of fields, or a list of rows' errors (a row without any is an empty dict)."""
    return isinstance(detail, dict) or (
        isinstance(detail, list) and any(isinstance(item, dict) for item in detail)
    )


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


def csrf_failure(request, reason: str = ""):
    """Django's CSRF refusal (a form of the admin's posted without its token), as a problem."""
    return problem_response(
        403, "The form was sent without a valid CSRF token: reload its page and send it again."
    )


@require_safe
def explain(request, slug: str):
    """A problem type's page: what it means and what to do; `/problems/` lists every one."""
    types = {name: (code, text) for code, (name, text) in TYPES.items()}
    if slug not in types:
        return page_not_found(request)
    code, text = types[slug]
    body = {"type": f"/problems/{slug}", "title": HTTPStatus(code).phrase, "status": code}
    return JsonResponse(body | {"description": text})


@require_safe
def problem_types(request):
    """Every problem type, with its status and title."""
    listed = [
        {"type": f"/problems/{name}", "title": HTTPStatus(code).phrase, "status": code}
        for code, (name, _) in TYPES.items()
    ]
    return JsonResponse({"results": listed})


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
