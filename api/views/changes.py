"""The feed of changes across collections, as JSON (`/changes/`) and as Atom (`/changes.atom`)."""

import datetime
import re

from django import forms
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import changefeed, changes
from .. import models as m
from .. import serializers as s
from ..atom import AtomRenderer
from ..filtersets.base import MomentField
from ..parameters import check, whole_number
from .base import OpenView

PARAMETERS = {"since", "page_size", "collection", "record", "topic", "participant"}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

FILTERS = [
    OpenApiParameter(
        "since",
        str,
        description="The last change you have (its `change` number), or a moment (ISO 8601; a "
        "day such as `2026-11-28` means from its start, UTC): only later changes come. "
        "Default: from the start.",
    ),
    OpenApiParameter(
        "collection",
        str,
        enum=sorted(changefeed.COLLECTIONS),
        description="Only changes to records of this collection (a stand's are its proposal's).",
    ),
    OpenApiParameter(
        "record",
        str,
        description="Only changes to this record (its code, slug, year or id); needs `collection`.",
    ),
    OpenApiParameter(
        "topic",
        str,
        description="Only changes to records about these topics (slugs, comma-separated): "
        "proposals and statements on them.",
    ),
    OpenApiParameter(
        "participant",
        str,
        description="Only changes to records about these participants (codes, comma-separated, "
        "any case): the participant itself, and records that refer to it (its stands' proposals, "
        "its statements, figures, meetings it hosted or chaired, blocs, chairmanships).",
    ),
    OpenApiParameter(
        "page_size", int, description="Changes per page (Atom: entries): 100, at most 1000."
    ),
]


class ChangesView(OpenView):
    """The feed of every change across collections, oldest first: one entry per change a person
    made (one write through the API, the admin or a command; one transaction in the database).

    Follow `next` to the end; poll it later for what came after. A page may hold fewer entries
    than `page_size` (a save that altered nothing is no change). On PostgreSQL the feed holds back
    changes of transactions still running, so a late commit is never skipped.
    """

    @extend_schema(
        parameters=FILTERS,
        responses=inline_serializer(
            "ChangeFeed",
            {
                "next": serializers.URLField(
                    allow_null=True, help_text="The following page, or null at the end."
                ),
                "poll": serializers.URLField(help_text="Where to look later for newer changes."),
                "results": s.ChangeSerializer(many=True),
            },
        ),
    )
    def get(self, request, format=None):
        rows, since, size = selected(request)
        groups = list(since_filter(rows, since)[: size + 1])
        more, groups = len(groups) > size, groups[:size]
        cursor = str(groups[-1]["change"]) if groups else since
        query = {k: v for k, v in request.query_params.items() if k not in {"since", "page_size"}}
        query |= {"since": cursor} if cursor else {}
        url = request.build_absolute_uri(reverse("v1:changes"))
        poll = url + "?" + urlencode({**query, "page_size": size})
        return Response(
            {"next": poll if more else None, "poll": poll, "results": public(request, groups)}
        )


class ChangesAtomView(OpenView):
    """The feed of changes as Atom, to subscribe to: the latest changes first, one entry per
    change with a one-line summary; the same filters as `/changes/`."""

    renderer_classes = [AtomRenderer]

    @extend_schema(
        operation_id="v1_changes_atom",
        parameters=FILTERS,
        responses={(200, "application/atom+xml"): OpenApiTypes.STR},
    )
    def get(self, request, format=None):
        rows, since, size = selected(request)
        groups = since_filter(rows, since).order_by("-txid", "-change")[:size]
        entries = public(request, list(groups))
        link = request.build_absolute_uri(reverse("v1:changes"))
        return Response(
            {
                "title": "KP Data: changes to the Kimberley Process record",
                "link": link,
                "feed_url": request.build_absolute_uri(),
                "entries": entries,
            }
        )


def selected(request):
    """The rows the request asks for, its `since` and its page size; a bad parameter is a 400."""
    check(request, PARAMETERS)
    size = min(whole_number(request, "page_size") or 100, 1000)
    params = request.query_params
    rows = changefeed.committed()
    if "collection" in params:
        if params["collection"] not in changefeed.COLLECTIONS:
            known = ", ".join(sorted(changefeed.COLLECTIONS))
            raise exceptions.ValidationError({"collection": [f"Use one of: {known}."]})
        rows = rows.filter(collection=params["collection"])
    if "record" in params:
        if "collection" not in params:
            raise exceptions.ValidationError({"record": ["Give its `collection` too."]})
        key = params["record"]
        if params["collection"] == "participants":
            key = key.upper()  # a code is found in any case, as in its URL
        rows = rows.filter(record_id=key)
    for name, model, field in [("topic", m.Topic, "slug"), ("participant", m.Participant, "code")]:
        if name in params:
            rows = changefeed.about(rows, model, _ids(name, model, field, params[name]))
    return rows, params.get("since", ""), size


def _ids(name: str, model, field: str, value: str) -> list[int]:
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    if field == "code":
        wanted = [v.upper() for v in wanted]
    found = dict(model.objects.filter(**{f"{field}__in": wanted}).values_list(field, "pk"))
    unknown = [v for v in wanted if v not in found]
    if unknown or not wanted:
        raise exceptions.ValidationError({name: [f"Unknown {name}: {', '.join(unknown)}."]})
    return list(found.values())


def since_filter(rows, since: str):
    """Changes after a change number or from a moment (a day: from its first moment, UTC)."""
    if not since:
        return changefeed.grouped(rows)
    if since.isascii() and since.isdigit():
        number = int(since)
        if number > 2**63 - 1:
            return changefeed.grouped(rows).none()
        return changefeed.after_change(rows, number)
    if since.isascii() and DAY.fullmatch(since):
        try:
            day = datetime.date.fromisoformat(since)
        except ValueError:
            day = None
        if day is not None:
            moment = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            return changefeed.after_moment(rows, moment)
    try:
        moment = MomentField().clean(since)
    except forms.ValidationError:
        moment = None
    if moment is None:
        message = ["Give a change number, a day (YYYY-MM-DD) or an ISO 8601 moment."]
        raise exceptions.ValidationError({"since": message})
    return changefeed.after_moment(rows, moment)


def public(request, groups: list[dict]) -> list[dict]:
    """The entries of these groups as the feed serves them, with absolute URLs."""
    entries = changes.entries(groups)
    for entry in entries:
        entry["url"] = request.build_absolute_uri(entry["url"])
    return s.ChangeSerializer(entries, many=True).data
