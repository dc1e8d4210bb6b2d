"""Fast lanes: the commonest anonymous read answered without DRF's dispatch, the same bytes.

A statement's detail, by random id, is what NGOs' tools and researchers ask for most, one by
one; DRF's request, negotiation, permission and response machinery cost more than reading it.
Its lane serves a plain request (GET or HEAD, no token, any or JSON media type, at most
`?expand=`) with the view's headers and throttle, and its JSON as PostgreSQL writes it
(api/statement_json.py); anything else (another parameter, a bad name, a token, a record that
is not there, SQLite) goes to the DRF view, which answers it, errors included, from Python.
tests/test_lanes.py and tests/test_statement_json.py hold the two answers equal.
"""

import functools

from django.http import HttpResponse
from rest_framework import exceptions

from ..renderers import JSONRenderer
from ..throttles import count_anonymous
from .collections import StatementViewSet

ACCEPTED = ("*/*", JSONRenderer.media_type)


class PlainRequest:
    """What a view's plain detail reads of a request, from a Django request."""

    def __init__(self, request):
        self._request = request
        self.query_params = request.GET

    def build_absolute_uri(self, location=None) -> str:
        return self._request.build_absolute_uri(location)


def statement_detail(view):
    """`view` (DRF's statement detail), with its plain requests answered in the lane."""
    allowed = _allowed_methods(view)

    @functools.wraps(view)  # csrf_exempt and the view's class and actions with it
    def lane(request, *args, **kwargs):
        if kwargs.get("format") is None and _plain(request):
            detail = StatementViewSet(request=PlainRequest(request), args=args, kwargs=kwargs,
                                      format_kwarg=None, action="retrieve")  # fmt: skip
            if detail.read_in_one_query() and count_anonymous(request):
                try:
                    detail.check_shape()
                    content = detail.detail_json()
                except exceptions.ValidationError:
                    content = None  # DRF's view answers with the problem
                if content is not None:  # else not found: DRF's view answers with the problem
                    headers = {"Allow": allowed, "Vary": "Accept"}
                    return HttpResponse(content, JSONRenderer.media_type, headers=headers)
        return view(request, *args, **kwargs)

    return lane


def _plain(request) -> bool:
    """GET or HEAD with no token, any or JSON media type, and no parameter but one `expand`."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.META.get("HTTP_ACCEPT", "*/*") not in ACCEPTED:
        return False
    params = request.GET
    if not params:
        return True
    if len(params) > 1 or "expand" not in params:
        return False
    expand = params.getlist("expand")
    return len(expand) == 1 and 0 < len(expand[0]) <= 2000 and "\x00" not in expand[0]


def _allowed_methods(view) -> str:
    """The Allow header DRF writes on the view's answers."""
    instance = view.cls(**view.initkwargs)
    for method, action in view.actions.items():
        setattr(instance, method, getattr(instance, action))
    if hasattr(instance, "get") and not hasattr(instance, "head"):
        instance.head = instance.get
    return ", ".join(instance.allowed_methods)


# Route names whose views have a lane, and the lane that wraps each one.
LANES = {"statement-detail": statement_detail}


def wrap(name: str, view):
    """The route's view, in its lane if it has one."""
    return LANES[name](view) if name in LANES else view
