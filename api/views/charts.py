"""The statistics' charts as SVG, and each chart's data as CSV at the same filters."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, renderers

from .. import charts, parameters
from .. import serializers as s
from ..renderers import columns

PARTIAL = OpenApiParameter(
    "partial",
    enum=["exclude", "include"],
    description="A year with no published world total: exclude (the default) leaves its world "
    "figures null (a gap in a chart); include puts the sum of the listed participants in their "
    "place, still marked basis sum_of_listed.",
)
SVG = {(200, "image/svg+xml"): bytes}
CSV = {(200, "text/csv"): s.ChartRowSerializer(many=True)}
CHART_PARAMETERS = [
    OpenApiParameter(
        "metric",
        enum=list(charts.METRICS),
        description="What to draw: carats (the default), value_usd or usd_per_carat (over the "
        "records that have both figures).",
    ),
    PARTIAL,
]
CHART_ABOUT = (
    "A line chart of the filtered series over the years, as SVG (titled, described, citing its "
    "source): the published world total by default (per flow for trade), with a gap where none "
    "is published; with `participant=`, one line per participant (add `world` for the world's)."
)
SHARES_PARAMETERS = [
    OpenApiParameter(
        "metric",
        enum=list(charts.SHARED),
        description="What to share out: carats (the default) or value_usd.",
    )
]
SHARES_ABOUT = (
    "A bar chart, as SVG, of one year's published world total (`year`, else the latest year "
    "with one; trade: `flow`, else export): the largest listed participants' shares, the other "
    "listed participants together, and the part no listed figure covers."
)
DATA_ABOUT = "This is the chart's data as CSV, at the same filters: a row per point or bar."
SOURCE = "Source: KP Data, {link}; each figure cites its own sources there. CC BY 4.0."


class SVGRenderer(renderers.BaseRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def wants_partial(request) -> bool:
    return parameters.choice(request, "partial", ("exclude", "include"), "exclude") == "include"


class Charts:
    """`chart` (chart.svg, chart.csv): series over the years; `shares` (shares.svg, shares.csv):
    shares of a year's world total. Routed in api/urls.py: an action would add a slash."""

    subject = "production"

    @extend_schema(parameters=CHART_PARAMETERS, responses=SVG, description=CHART_ABOUT)
    def chart(self, request):
        metric = parameters.choice(request, "metric", tuple(charts.METRICS), "carats")
        partial = wants_partial(request)
        if unchanged := self.not_modified():
            return unchanged
        listed, world = self.listed_and_world()
        asked = [
            code.strip().lower() for code in request.query_params.get("participant", "").split(",")
        ]
        codes = [code for code in asked if code and code != "world"]
        drawn = charts.series(
            self.subject, listed, world, metric, self.groups, partial,
            totals=not codes or "world" in asked, participants=bool(codes),
        )  # fmt: skip
        return self.drawn(drawn, charts.line_chart, "chart")

    @extend_schema(parameters=SHARES_PARAMETERS, responses=SVG, description=SHARES_ABOUT)
    def shares(self, request):
        metric = parameters.choice(request, "metric", charts.SHARED, "carats")
        if unchanged := self.not_modified():
            return unchanged
        listed, world = self.listed_and_world()
        flow = None
        if self.groups:
            flow = parameters.choice(request, "flow", tuple(charts.FLOWS), "export")
            listed, world = listed.filter(flow=flow), world.filter(flow=flow)
        published = world.exclude(**{f"{metric}__isnull": True}).order_by("-year")
        year = published.values_list("year", flat=True).first()
        if year is None:
            year = world.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            year = listed.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            raise exceptions.NotFound("No figures match these filters.")
        drawn = charts.shares(
            self.subject,
            listed.filter(year=year),
            list(world.filter(year=year)),
            metric,
            year,
            flow,
        )
        return self.drawn(drawn, charts.bar_chart, "shares")

    @extend_schema(
        parameters=CHART_PARAMETERS, responses=CSV, description=f"{CHART_ABOUT} {DATA_ABOUT}"
    )
    def chart_data(self, request):
        return self.chart(request)

    @extend_schema(
        parameters=SHARES_PARAMETERS, responses=CSV, description=f"{SHARES_ABOUT} {DATA_ABOUT}"
    )
    def shares_data(self, request):
        return self.shares(request)

    def drawn(self, chart, draw, name: str):
        """The chart as SVG, or its rows as CSV; either names its source and its data."""
        if self.streamed():
            header = columns(s.ChartRowSerializer().fields)
            rows = s.ChartRowSerializer(chart.rows, many=True).data
            plural = self.get_queryset().model._meta.verbose_name_plural
            return self.table(header, rows, f"{plural}-{name}")
        link = self.request.build_absolute_uri()
        data = link.replace(f"/{name}.svg", f"/{name}.csv", 1)
        foot = [*chart.notes, (f"The data as a table: {data}", data), SOURCE.format(link=link)]
        response = HttpResponse(draw(chart, foot), content_type="image/svg+xml")
        response["ETag"] = self.etag
        response["Cache-Control"] = "public, max-age=300"
        return response
