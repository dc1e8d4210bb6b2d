"""Production and trade: their lists and summaries (their charts are in charts.py)."""

from django.db.models import Prefetch
from django_filters import utils
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import filtersets, summaries
from .. import models as m
from .. import serializers as s
from ..renderers import columns
from ..serializers import writes as w
from .base import Collection
from .charts import PARTIAL, Charts, wants_partial
from .collections import NUMBER


def figures(model):
    """A statistics collection's rows, with their participant, reports and sources."""
    reports = Prefetch("reports", m.StatisticReport.objects.select_related("source"))
    return model.objects.select_related("participant").prefetch_related(reports, "sources")


class ProductionViewSet(Charts, Collection):
    """Rough-diamond production per participant and year; world totals with `participant=world`."""

    queryset = figures(m.Production)
    serializer_class = s.ProductionSerializer
    write_serializer_class = w.ProductionWriteSerializer
    filterset_class = filtersets.ProductionFilterSet
    ordering_fields = ("year", "carats", "value_usd")
    lookup_value_regex = NUMBER
    lookup_case = None
    action_parameters = {
        "summary": {"group_by", "partial", "format", "bom"},
        "chart": {"metric", "partial"},
        "chart_data": {"metric", "partial", "bom"},
        "shares": {"metric"},
        "shares_data": {"metric", "bom"},
    }
    summaries = {"year": s.YearSummarySerializer, "participant": s.ParticipantSummarySerializer}
    groups: tuple[str, ...] = ()  # trade is summed per flow as well

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "group_by",
                enum=["year", "participant"],
                description="year (the default): the published world total where one exists "
                "(a year without one shows none unless ?partial=include), with what the listed "
                "participants hold and cover of it; participant: each one's totals and share of "
                "the world's over the filtered years.",
            ),
            PARTIAL,
        ],
        responses=inline_serializer(
            "SummaryPage",
            {
                "group_by": serializers.ChoiceField(choices=["year", "participant"]),
                "count": serializers.IntegerField(),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
        description="Totals of carats and US$, US$ per carat over the records with both "
        "figures, coverage and shares of the published world total, honouring the list's "
        "filters; also as CSV or NDJSON.",
    )
    @action(detail=False)
    def summary(self, request, format=None):
        group_by = request.query_params.get("group_by", "year")
        if group_by not in self.summaries:
            raise exceptions.ValidationError({"group_by": ["Use year or participant."]})
        partial = wants_partial(request)
        if self.streamed() and (unchanged := self.not_modified()):
            return unchanged
        listed, world = self.listed_and_world()
        if group_by == "year":
            rows = summaries.by_year(listed, world, ("year", *self.groups), partial)
        else:
            rows = summaries.by_participant(listed, world, self.groups)
        serializer_class = self.summaries[group_by]
        data = serializer_class(rows, many=True).data
        if self.streamed():
            name = f"{self.get_queryset().model._meta.verbose_name_plural}-summary-by-{group_by}"
            return self.table(columns(serializer_class().fields), data, name)
        return Response({"group_by": group_by, "count": len(data), "results": data})

    def listed_and_world(self):
        """The participants' rows the filters keep, and the world totals of the same filters."""
        filterset = self.filterset_class(self.request.query_params, self.get_queryset())
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        params = self.request.query_params.copy()
        params["participant"] = "world"
        world = self.filterset_class(params, self.get_queryset()).qs
        # Summaries and charts read figures alone: no reports, no sources.
        return filterset.qs.exclude(participant=None).prefetch_related(
            None
        ), world.prefetch_related(None)


class TradeViewSet(ProductionViewSet):
    """Rough-diamond imports and exports per participant and year, with certificate counts."""

    queryset = figures(m.Trade)
    serializer_class = s.TradeSerializer
    write_serializer_class = w.TradeWriteSerializer
    filterset_class = filtersets.TradeFilterSet
    ordering_fields = ("year", "flow", "carats", "value_usd", "certificates")
    subject = "trade"
    summaries = {
        "year": s.TradeYearSummarySerializer,
        "participant": s.TradeParticipantSummarySerializer,
    }
    groups = ("flow",)
