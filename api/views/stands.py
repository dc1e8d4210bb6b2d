"""Stands read together: an actor's voting record, agreement between actors, a bloc's cohesion."""

import datetime

from django.db.models import Q
from django.http import StreamingHttpResponse
from django_filters import utils
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import dataset, parameters, stand_queries, stands, suggest
from .. import models as m
from ..conditional import not_modified, request_etag
from ..filtersets import PositionFilterSet
from ..parameters import wants_bom
from ..renderers import CSVRenderer, JSONRenderer, columns, csv_blocks
from ..serializers.base import shaped_fields
from ..serializers.positions import (
    CohesionSerializer,
    PairSerializer,
    PositionListSerializer,
    PositionSerializer,
    RecordSerializer,
)
from ..streaming import STREAMED
from .base import Collection, OpenView

# The filters that choose which proposals' stands are counted.
CHOOSING = ("topic", "year_after", "year_before")
POSITIONS = m.Position.objects.select_related(
    "proposal__meeting", "participant", "organisation"
).prefetch_related("sources", "proposal__topics")


def choosing_parameters() -> list[OpenApiParameter]:
    labels = {name: PositionFilterSet.base_filters[name].label for name in CHOOSING}
    return [OpenApiParameter(name, int if name != "topic" else str, description=labels[name])
            for name in CHOOSING]  # fmt: skip


def chosen(request, queryset=POSITIONS, **fixed):
    """The stands the request's topic and year filters choose, with `fixed` filters added."""
    params = {name: request.query_params[name] for name in CHOOSING if name in request.query_params}
    filterset = PositionFilterSet({**params, **fixed}, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise utils.translate_validation(filterset.errors)
    return filterset.qs


class StandsOf(Collection):
    """A collection whose records take stands, with `record/` (or a bloc's `cohesion/`)."""

    stand_actions = {"record", "cohesion"}

    def allowed_query_parameters(self) -> set[str]:
        if self.action in self.stand_actions:
            return set(CHOOSING)
        return super().allowed_query_parameters()

    def get_queryset(self):
        # The actor or bloc alone: what its detail prefetches is not needed here.
        if self.action in self.stand_actions:
            return self.queryset.model.objects.all()
        return super().get_queryset()

    def answer(self, data) -> Response:
        response = Response(data)
        response["ETag"] = self.etag
        return response


class ActorRecord(StandsOf):
    """Participants and organisations: each one's record of stands."""

    actor_filter = "participant"  # the PositionFilterSet filter that names this actor

    @extend_schema(
        parameters=choosing_parameters(),
        responses=RecordSerializer,
        description="The actor's voting record: its stands counted per position, overall and "
        "per topic of the proposals, and the stands behind the counts (abstentions included). "
        "A bloc's stand is never counted for its members.",
    )
    @action(detail=True, renderer_classes=[JSONRenderer])
    def record(self, request, *args, **kwargs):
        if unchanged := self.not_modified():
            return unchanged
        # A plain request's stands by hand-written SQL, the actor found with its filters'
        # codes and slugs; else the filterset's way, and a 404 for an unknown actor.
        actor = self.record_id()
        choice = stand_queries.choose(request.query_params, CHOOSING, **{self.actor_filter: actor})
        if choice is not None:
            rows = stand_queries.rows(choice)[0]
        else:
            actor = getattr(self.get_object(), self.lookup_field)
            rows = list(PositionListSerializer.read(chosen(request, **{self.actor_filter: actor})))
        context = {
            **self.get_serializer_context(),
            "shape": shaped_fields(PositionSerializer, request),
        }
        served = PositionSerializer(rows, many=True, context=context).data
        taken = [stands.Stand(actor, row["proposal"], row["position"]) for row in served]
        topics = {row["proposal"]: row["topics"] for row in served}
        return self.answer(
            {
                "actor": actor,
                "counts": stands.counts(stand.position for stand in taken),
                "topics": stands.by_topic(taken, topics),
                "stands": served,
            }
        )


class BlocCohesion(StandsOf):
    """Blocs: how often their members took the same stand."""

    @extend_schema(
        parameters=choosing_parameters(),
        responses=CohesionSerializer,
        description="Per proposal on which at least two of the bloc's members took a stand "
        "that a source states: whether they all took the same one; and the share of such "
        "proposals on which they agreed. Members without a stated stand are left out, never "
        "assumed.",
    )
    @action(detail=True, renderer_classes=[JSONRenderer])
    def cohesion(self, request, *args, **kwargs):
        if unchanged := self.not_modified():
            return unchanged
        bloc = self.get_object()
        members = sorted(member.code for member in bloc.members.all())
        positions = chosen(request, m.Position.objects.all(), bloc=bloc.slug)
        counted = stands.cohesion(stands.read(positions))
        return self.answer({"bloc": bloc.slug, "members": members, **counted})


class AgreementView(OpenView):
    """How often pairs of actors took the same stand on the same proposals.

    `?actors=US,ZA,kp-civil-society-coalition` compares every pair of those actors (codes for
    participants, slugs for observers); one actor alone is compared with every other actor;
    without `actors`, every pair with at least one proposal in common. As CSV, one row a pair.
    """

    renderer_classes = (JSONRenderer, CSVRenderer)
    allowed = {"actors", *CHOOSING, "ordering", "format", "bom"}
    orderings = ("a", "b", "n", "same", "share")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "actors",
                str,
                description="Comma-separated participant codes and organisation slugs, e.g. "
                "US,ZA,kp-civil-society-coalition. One alone: that actor against every other.",
            ),
            *choosing_parameters(),
            OpenApiParameter(
                "ordering",
                str,
                description="Order of the pairs: a, b, n, same or share, `-` for descending, "
                "comma-separated (a null share comes last). Default: the order of `actors`, "
                "else by a, then b.",
            ),
            OpenApiParameter("bom", bool, description="CSV: true (or 1) adds a byte-order mark."),
        ],
        responses=inline_serializer(
            "Agreement",
            {
                "count": serializers.IntegerField(help_text="Number of pairs."),
                "method": serializers.CharField(help_text="How the figures are counted."),
                "results": PairSerializer(many=True),
            },
        ),
        description=stands.METHOD,
    )
    def get(self, request, format=None):
        parameters.check(request, self.allowed)
        etag = request_etag(request, dataset.key())
        if unchanged := not_modified(request, etag):
            return unchanged
        actors = self.actors(request.query_params.get("actors"))
        results = stands.pairs(self.stands(request, actors), actors)
        if "ordering" in request.query_params:
            results = self.ordered(results, request.query_params["ordering"])
        if request.accepted_renderer.format == "csv":
            return self.csv(request, results, etag)
        # The pairs are plain values already in PairSerializer's shape (the schema's).
        body = {"count": len(results), "method": stands.METHOD, "results": results}
        return Response(body, headers={"ETag": etag})

    def stands(self, request, actors: list[str] | None) -> list[stands.Stand]:
        """The chosen stands on the proposals on which a named actor took one (only those can
        count): by hand-written SQL for a plain request, else the filterset's way."""
        if (choice := stand_queries.choose(request.query_params, self.allowed)) is not None:
            return stand_queries.stands(choice, actors)
        positions = chosen(request, m.Position.objects.all())
        if actors:
            named = Q(participant__code__in=actors) | Q(organisation__slug__in=actors)
            taken = m.Position.objects.filter(named).values("proposal_id")
            positions = positions.filter(proposal__in=taken)
        return stands.read(positions)

    def actors(self, value: str | None) -> list[str] | None:
        """Codes and slugs as the API names them; an unknown one is a 400 that names it."""
        if (found := stand_queries.actors(value)) is not None:
            return found
        if value is None:
            return None
        names = list(dict.fromkeys(name.strip() for name in value.split(",")))
        if "" in names or len(names) > 100:
            message = "Give 1 to 100 codes or slugs separated by commas, none empty."
            raise exceptions.ValidationError({"actors": [message]})
        codes = {name.upper() for name in names if len(name) == 2}
        known = set(m.Participant.objects.filter(code__in=codes).values_list("code", flat=True))
        slugs = {name.lower() for name in names if name.upper() not in known}
        known |= set(m.Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        actors = [name.upper() if name.upper() in known else name.lower() for name in names]
        unknown = [name for name, actor in zip(names, actors, strict=True) if actor not in known]
        if unknown:
            message = f"Unknown participant code or organisation slug: {', '.join(unknown)}."
            found = [
                match
                for name in unknown
                for model, key in ((m.Participant, "code"), (m.Organisation, "slug"))
                for match in suggest.closest(model, key, name)
            ]
            if found:
                message += f" Did you mean {' or '.join(dict.fromkeys(found))}?"
            raise exceptions.ValidationError({"actors": [message]})
        return actors

    def ordered(self, results: list[dict], ordering: str) -> list[dict]:
        keys = [key.strip() for key in ordering.split(",")]
        if any(key.removeprefix("-") not in self.orderings for key in keys):
            message = f"Order by {', '.join(self.orderings)}, `-` for descending."
            raise exceptions.ValidationError({"ordering": [message]})
        for key in reversed(keys):  # a stable sort per key, the last key first
            name, descending = key.removeprefix("-"), key.startswith("-")
            present = [row for row in results if row[name] is not None]
            present.sort(key=lambda row, name=name: row[name], reverse=descending)
            results = present + [row for row in results if row[name] is None]
        return results

    def csv(self, request, results: list[dict], etag: str) -> StreamingHttpResponse:
        fields = PairSerializer().fields
        header = [column for column in columns(fields) if column[0] != "stands"]
        blocks = csv_blocks(header, results, wants_bom(request))
        response = StreamingHttpResponse(blocks, STREAMED["csv"])
        day = f"{datetime.date.today():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="agreement-{day}.csv"'
        response["ETag"] = etag
        return response
