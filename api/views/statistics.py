"""Production and trade: their lists and summaries (their charts are in charts.py)."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django_filters import utils
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, renderers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import charts, filtersets, summaries
from .. import models as m
from .. import serializers as s
from ..renderers import columns
from ..serializers import writes as w
from .base import Collection
from .collections import NUMBER


class SVGRenderer(renderers.BaseRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def figures(model):
    """A statistics collection's rows, with their participant, reports and sources."""
    reports = Prefetch("reports", m.StatisticReport.objects.select_related("source"))
    return model.objects.select_related("participant").prefetch_related(reports, "sources")


class ProductionViewSet(Collection):
    """Rough-diamond production per participant and year; world totals with `participant=world`."""

    queryset = figures(m.Production)
    serializer_class = s.ProductionSerializer
    write_serializer_class = w.ProductionWriteSerializer
    filterset_class = filtersets.ProductionFilterSet
    ordering_fields = ("year", "carats", "value_usd")
    lookup_value_regex = NUMBER
    lookup_case = None
    action_parameters = {"summary": {"group_by", "format", "bom"}, "chart": {"metric"}}
    summaries = {"year": s.YearSummarySerializer, "participant": s.ParticipantSummarySerializer}
    groups: tuple[str, ...] = ()  # trade is summed per flow as well

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "group_by",
                enum=["year", "participant"],
                description="year (the default): the published world total where one exists, "
                "else the sum of those listed; participant: each one's totals and share of the "
                "world's over the filtered years.",
            )
        ],
        responses=inline_serializer(
            "SummaryPage",
            {
                "group_by": serializers.ChoiceField(choices=["year", "participant"]),
                "count": serializers.IntegerField(),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
        description="Totals of carats and US$, US$ per carat, and shares of the world total, "
        "honouring the list's filters; also as CSV or NDJSON.",
    )
    @action(detail=False)
    def summary(self, request, format=None):
        group_by = request.query_params.get("group_by", "year")
        if group_by not in self.summaries:
            raise exceptions.ValidationError({"group_by": ["Use year or participant."]})
        if self.streamed() and (unchanged := self.not_modified()):
            return unchanged
        listed, world = self.listed_and_world()
        if group_by == "year":
            rows = summaries.by_year(listed, world, ("year", *self.groups))
        else:
            rows = summaries.by_participant(listed, world, self.groups)
        serializer_class = self.summaries[group_by]
        data = serializer_class(rows, many=True).data
        if self.streamed():
            name = f"{self.get_queryset().model._meta.verbose_name_plural}-summary-by-{group_by}"
            return self.table(columns(serializer_class().fields), data, name)
        return Response({"group_by": group_by, "count": len(data), "results": data})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "metric",
                enum=list(charts.METRICS),
                description="What to draw: carats (the default), value_usd or usd_per_carat.",
            )
        ],
        responses={(200, "image/svg+xml"): bytes},
        description="A line chart of the filtered series, one line per participant (`world` for "
        "the published world total, the default), as SVG.",
    )
    def chart(self, request):
        """Routed in api/urls.py as production/chart.svg (an action would add a slash)."""
        metric = request.query_params.get("metric", "carats")
        if metric not in charts.METRICS:
            raise exceptions.ValidationError({"metric": [f"Use {', '.join(charts.METRICS)}."]})
        if unchanged := self.not_modified():
            return unchanged
        params = request.query_params.copy()
        params.setdefault("participant", "world")
        filterset = self.filterset_class(params, self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        series: dict[str, list] = {}
        for row in filterset.qs.order_by("year"):
            label = row.participant.name if row.participant else "World (published total)"
            value = (
                row.value_usd / row.carats
                if metric == "usd_per_carat" and row.carats and row.value_usd is not None
                else getattr(row, metric, None)
            )
            if value is not None:
                series.setdefault(label, []).append((row.year, float(value)))
        link = request.build_absolute_uri()
        source = f"Source: KP Data, {link} (each figure cites its own sources there). CC BY 4.0."
        svg = charts.line_chart(series, metric, source)
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["ETag"] = self.etag
        response["Cache-Control"] = "public, max-age=300"
        return response

    def listed_and_world(self):
        """The participants' rows the filters keep, and the world totals of the same filters."""
        filterset = self.filterset_class(self.request.query_params, self.get_queryset())
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        params = self.request.query_params.copy()
        params["participant"] = "world"
        world = self.filterset_class(params, self.get_queryset()).qs
        return filterset.qs.exclude(participant=None), world


class TradeViewSet(ProductionViewSet):
    """Rough-diamond imports and exports per participant and year, with certificate counts."""

    queryset = figures(m.Trade)
    serializer_class = s.TradeSerializer
    write_serializer_class = w.TradeWriteSerializer
    filterset_class = filtersets.TradeFilterSet
    ordering_fields = ("year", "flow", "carats", "value_usd", "certificates")
    action_parameters = {"summary": {"group_by", "format", "bom"}}
    summaries = {
        "year": s.TradeYearSummarySerializer,
        "participant": s.TradeParticipantSummarySerializer,
    }
    groups = ("flow",)
