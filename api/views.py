"""The read API: one declarative ViewSet per collection, and the API root."""

import datetime

from django import forms
from django.db import connection
from django.db.models import F, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags, urlencode
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, renderers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from . import charts, dataset, export, filtersets, pgcopy, summaries
from . import models as m
from . import serializers as s
from .backends import StatementSearchFilter, StrictOrderingFilter
from .filtersets.base import MomentField
from .mixins import STREAMED, Collection, OpenView
from .pagination import whole_number
from .renderers import columns
from .serializers import writes as w
from .stand_views import POSITIONS, ActorRecord, BlocCohesion

CODE = "[A-Za-z]{2}"
SLUG = "[A-Za-z0-9-]{1,120}"
NUMBER = "[0-9]{1,18}"

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


class SVGRenderer(renderers.BaseRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def with_sources(model):
    return model.objects.prefetch_related("sources")


class ParticipantViewSet(ActorRecord):
    """The states and regional organisation (the EU) that take part in the KP, and former ones."""

    queryset = m.Participant.objects.prefetch_related(
        Prefetch(
            "status_periods",
            m.StatusPeriod.objects.order_by("start", "pk").prefetch_related("sources"),
        ),
        "represented_states",
        "blocs",
        "sources",
    )
    serializer_class = s.ParticipantSerializer
    write_serializer_class = w.ParticipantWriteSerializer
    filterset_class = filtersets.ParticipantFilterSet
    ordering_fields = ("code", "name", "region", "joined_on")
    search_fields = ("code", "name", "iso3")
    lookup_field = "code"
    lookup_value_regex = CODE
    lookup_case = "upper"

    def get_queryset(self):
        # Today's status; a list's filterset may ask for another day's instead (`as_of`).
        return super().get_queryset().with_status()


class OrganisationViewSet(ActorRecord):
    """Observers, NGOs, industry bodies, media and agencies named in the record."""

    actor_filter = "organisation"
    queryset = with_sources(m.Organisation)
    serializer_class = s.OrganisationSerializer
    write_serializer_class = w.OrganisationWriteSerializer
    filterset_class = filtersets.OrganisationFilterSet
    ordering_fields = ("slug", "name", "kind")
    search_fields = ("slug", "name", "acronym")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class PersonViewSet(Collection):
    """People named in the record, with their roles over time."""

    queryset = m.Person.objects.prefetch_related(
        Prefetch(
            "affiliations",
            m.Affiliation.objects.select_related("organisation", "participant")
            .prefetch_related("sources")
            .order_by(F("start").asc(nulls_last=True), "pk"),
        ),
        "sources",
    )
    serializer_class = s.PersonSerializer
    write_serializer_class = w.PersonWriteSerializer
    filterset_class = filtersets.PersonFilterSet
    ordering_fields = ("slug", "name")
    search_fields = ("slug", "name")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class BlocViewSet(BlocCohesion):
    """Informal groups of participants, such as the Western bloc."""

    queryset = m.Bloc.objects.prefetch_related("members", "sources")
    serializer_class = s.BlocSerializer
    write_serializer_class = w.BlocWriteSerializer
    filterset_class = filtersets.BlocFilterSet
    ordering_fields = ("slug", "name")
    search_fields = ("slug", "name", "description")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class ChairmanshipViewSet(Collection):
    """Who chaired the KP in each year, and who was vice-chair."""

    queryset = m.Chairmanship.objects.select_related(
        "chair", "chair_person", "vice_chair"
    ).prefetch_related("sources")
    serializer_class = s.ChairmanshipSerializer
    write_serializer_class = w.ChairmanshipWriteSerializer
    filterset_class = filtersets.ChairmanshipFilterSet
    ordering_fields = ("year",)
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"


class MeetingViewSet(Collection):
    """Every KP meeting: plenaries, intersessionals, extraordinary and other meetings."""

    queryset = m.Meeting.objects.select_related("host", "chair").prefetch_related("sources")
    serializer_class = s.MeetingSerializer
    write_serializer_class = w.MeetingWriteSerializer
    filterset_class = filtersets.MeetingFilterSet
    ordering_fields = ("year", "start_date", "end_date", "slug", "kind")
    search_fields = ("slug", "title", "city", "outcome")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class ProposalViewSet(Collection):
    """Proposals and decisions, with who backed them and who blocked them."""

    queryset = m.Proposal.objects.select_related("meeting").prefetch_related(
        "tabled_by",
        "tabled_by_organisations",
        "topics",
        Prefetch(
            "positions",
            m.Position.objects.select_related("participant", "organisation")
            .prefetch_related("sources")
            .order_by(F("participant__code").asc(nulls_last=True), "organisation__slug"),
        ),
        "sources",
    )
    serializer_class = s.ProposalSerializer
    write_serializer_class = w.ProposalWriteSerializer
    filterset_class = filtersets.ProposalFilterSet
    ordering_fields = ("tabled_on", "slug", "outcome")
    search_fields = ("slug", "title", "summary")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class PositionViewSet(Collection):
    """Each actor's stand on each proposal: participants' and observers' support, opposition or
    abstention, as a source states it; ordered by proposal (as tabled), then actor."""

    queryset = POSITIONS
    serializer_class = s.PositionSerializer
    write_serializer_class = w.StandWriteSerializer
    filterset_class = filtersets.PositionFilterSet
    ordering_fields = ("id", "position", "proposal__tabled_on", "proposal__slug")
    lookup_value_regex = NUMBER
    lookup_case = None
    restore = None  # a deleted stand comes back with its proposal's restore, or is written anew


class StatementViewSet(Collection):
    """What was said about KP governance, word for word, each with its source and a citation."""

    queryset = m.Statement.objects.select_related(
        "speaker", "organisation", "participant", "meeting", "proposal", "source"
    ).prefetch_related("topics")
    serializer_class = s.StatementSerializer
    write_serializer_class = w.StatementWriteSerializer
    filterset_class = filtersets.StatementFilterSet
    ordering_fields = ("date", "id")
    search_fields = ("text",)
    filter_backends = (DjangoFilterBackend, StatementSearchFilter, StrictOrderingFilter)
    lookup_value_regex = NUMBER
    lookup_case = None

    def read(self, queryset):
        # Unexpanded, a list reads plain values: the same JSON, without a model per row.
        if "expand" in self.request.query_params:
            return queryset
        return s.StatementListSerializer.read(queryset)

    def export_blocks(self, queryset, header):
        # Unexpanded, on PostgreSQL, the database writes the rows itself (COPY).
        names = [name for name, _ in header]
        if "expand" in self.request.query_params or not pgcopy.can_copy(queryset, names):
            return super().export_blocks(queryset, header)
        base = self.request.build_absolute_uri(reverse("v1:statement-list"))
        format = self.request.accepted_renderer.format
        return pgcopy.blocks(queryset, names, format, base, self.wants_bom())


class SourceViewSet(Collection):
    """The public pages that back the record: news, reports, communiqués and datasets."""

    queryset = m.Source.objects.all()
    serializer_class = s.SourceSerializer
    write_serializer_class = w.SourceWriteSerializer
    filterset_class = filtersets.SourceFilterSet
    ordering_fields = ("slug", "published_on", "publisher")
    search_fields = ("slug", "title", "publisher", "author", "url")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class ProductionViewSet(Collection):
    """Rough-diamond production per participant and year; world totals with `participant=world`."""

    queryset = m.Production.objects.select_related("participant").prefetch_related(
        Prefetch("reports", m.StatisticReport.objects.select_related("source")), "sources"
    )
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
        if request.accepted_renderer.format in STREAMED and (unchanged := self.not_modified()):
            return unchanged
        listed, world = self.listed_and_world()
        if group_by == "year":
            rows = summaries.by_year(listed, world, ("year", *self.groups))
        else:
            rows = summaries.by_participant(listed, world, self.groups)
        serializer_class = self.summaries[group_by]
        data = serializer_class(rows, many=True).data
        if request.accepted_renderer.format in STREAMED:
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

    queryset = m.Trade.objects.select_related("participant").prefetch_related(
        Prefetch("reports", m.StatisticReport.objects.select_related("source")), "sources"
    )
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


class RootView(OpenView):
    """The API root: a link to every collection, and what the dataset is."""

    collections: tuple[tuple[str, str], ...] = ()  # (path, basename), set by the URLconf

    @extend_schema(
        responses=inline_serializer(
            "Root",
            {
                "name": serializers.CharField(),
                "api_version": serializers.CharField(help_text="Version of this API: v1."),
                "version": serializers.CharField(
                    help_text="Version of the dataset: changes whenever any record is created, "
                    "changed or deleted."
                ),
                "last_updated": serializers.DateTimeField(
                    allow_null=True, help_text="When any record last changed."
                ),
                "licence": inline_serializer(
                    "Licence", {"name": serializers.CharField(), "url": serializers.URLField()}
                ),
                "export": serializers.URLField(help_text="The whole dataset as one ZIP."),
                "docs": serializers.URLField(),
                "schema": serializers.URLField(),
                "collections": serializers.DictField(child=serializers.URLField()),
            },
        )
    )
    def get(self, request, format=None):
        updated, version = dataset.state()
        return Response(
            {
                "name": "KP Data: the Kimberley Process governance record",
                "api_version": "v1",
                "version": version,
                "last_updated": updated,
                "licence": LICENCE,
                "export": reverse("v1:export", request=request),
                "docs": reverse("docs", request=request),
                "schema": reverse("schema", request=request),
                "collections": {
                    path: reverse(f"v1:{basename}-list", request=request, format=format)
                    for path, basename in self.collections
                },
            }
        )


class ExportView(OpenView):
    """The whole dataset as one ZIP: a CSV per collection, datapackage.json and a README."""

    @extend_schema(
        responses={(200, "application/zip"): bytes},
        description="Built once per dataset version and kept; its ETag is the dataset version.",
    )
    def get(self, request, format=None):
        if request.query_params:
            unknown = ["Unknown parameter: the export takes none."]
            raise exceptions.ValidationError(dict.fromkeys(request.query_params, unknown))
        updated, version = dataset.state()
        etag = f'"{version}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return HttpResponseNotModified(headers={"ETag": etag})
        path = export.zip_path(
            request, version, updated or datetime.datetime(2002, 1, 1, tzinfo=datetime.UTC)
        )
        response = FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"kpdata-{version}.zip",
            content_type="application/zip",
        )
        response["ETag"] = etag
        return response


class ChangesView(OpenView):
    """The feed of every change across collections, oldest first, deletions as tombstones.

    Follow `next` to the end; poll it later for what came after. On PostgreSQL the feed holds
    back changes of transactions still running, so a late commit is never skipped.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                str,
                description="The last change you have (its `change` number), or a moment "
                "(ISO 8601): only later changes come. Default: from the start.",
            ),
            OpenApiParameter("page_size", int, description="Changes per page: 100, at most 1000."),
        ],
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
        unknown = set(request.query_params) - {"since", "page_size"}
        if unknown:
            allowed = ["Unknown parameter. Allowed: page_size, since."]
            raise exceptions.ValidationError(dict.fromkeys(sorted(unknown), allowed))
        size = min(whole_number(request, "page_size") or 100, 1000)
        since = request.query_params.get("since", "")
        page = list(changes_since(since)[: size + 1])
        more, page = len(page) > size, page[:size]
        cursor = str(page[-1].id) if page else since
        url = request.build_absolute_uri(reverse("v1:changes"))
        query = {"since": cursor, "page_size": size} if cursor else {"page_size": size}
        poll = f"{url}?{urlencode(query)}"
        return Response(
            {
                "next": poll if more else None,
                "poll": poll,
                "results": s.ChangeSerializer(page, many=True).data,
            }
        )


def changes_since(since: str):
    """Changes after a change number or a moment, committed ones only, in transaction order.

    Ordered by (transaction, number), a reader's place is never passed by a transaction that
    commits later: on PostgreSQL only transactions older than any still running are served.
    """
    changes = m.Change.objects.order_by("txid", "id")
    if since.isascii() and since.isdigit():
        last = m.Change.objects.filter(id=int(since)).values_list("txid", flat=True).first()
        if last is None:
            changes = changes.filter(id__gt=int(since))
        else:
            changes = changes.filter(Q(txid__gt=last) | Q(txid=last, id__gt=int(since)))
    elif since:
        try:
            moment = MomentField().clean(since)
        except forms.ValidationError:
            moment = None
        if moment is None or "\x00" in since:
            message = ["Give a change number or an ISO 8601 moment."]
            raise exceptions.ValidationError({"since": message}) from None
        changes = changes.filter(at__gte=moment)
    if connection.vendor == "postgresql":
        # Only transactions that ended: a running one could still commit an earlier number.
        xmin = RawSQL("txid_snapshot_xmin(txid_current_snapshot())", [])
        changes = changes.filter(txid__lt=xmin)
    return changes
