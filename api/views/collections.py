"""The collections' ViewSets: declarative, one per collection of the registry (api/registry.py).

Production and trade, which add summaries and a chart, are in statistics.py."""

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch
from django.urls import get_script_prefix
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.reverse import reverse

from .. import filtersets, pgcopy, prepared, stand_queries, statement_json
from .. import models as m
from .. import serializers as s
from ..parameters import whole_number
from ..search import NameSearchFilter, StatementSearchFilter, StrictOrderingFilter
from ..serializers import writes as w
from .base import Collection
from .stands import POSITIONS, ActorRecord, BlocCohesion

CODE = "[A-Za-z]{2}"
SLUG = "[A-Za-z0-9-]{1,120}"
NUMBER = "[0-9]{1,18}"


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
    filter_backends = (DjangoFilterBackend, NameSearchFilter, StrictOrderingFilter)
    ordering_fields = ("code", "name", "region", "joined_on")
    search_fields = ("code", "name", "iso3")  # and other names: api/names.py
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
    filter_backends = (DjangoFilterBackend, NameSearchFilter, StrictOrderingFilter)
    ordering_fields = ("slug", "name", "kind")
    search_fields = ("slug", "name", "acronym")  # and other names: api/names.py
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

    queryset = m.Meeting.objects.select_related("host", "chair").prefetch_related(
        Prefetch("proposals", m.Proposal.objects.order_by("tabled_on", "slug")),
        Prefetch("statements", m.Statement.objects.order_by("date", "pk")),
        "sources",
    )
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


# The parameters of a page of stands that api/stand_queries.py reads.
PAGED = {*stand_queries.FILTERS, "page", "page_size"}


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
    plain_values = True
    pages_by_keys_alone = True  # its filters choose stands; they change no value of one

    def read(self, queryset):
        # Unexpanded, a list reads plain values: the same JSON, without a model per row.
        if "expand" in self.request.query_params:
            return queryset
        return s.PositionSerializer.Meta.list_serializer_class.read(queryset)

    def plain_page(self):
        # A plain request's page by hand-written SQL (api/stand_queries.py): one query for its
        # codes and slugs, one for the page and the count; else None, and the filterset's way.
        if self.request.accepted_renderer.format != "json":
            return None
        if (choice := stand_queries.choose(self.request.query_params, PAGED)) is None:
            return None
        number = whole_number(self.request, "page") or 1
        size = self.paginator.get_page_size(self.request)
        rows, count = stand_queries.rows(choice, size, (number - 1) * size)
        if not rows and number > 1:
            return None  # past the last page: the paginator's 404
        pages = Paginator([], size)
        pages.count = count
        self.paginator.request, self.paginator.page = self.request, Page(rows, number, pages)
        return self.paginator.get_paginated_response(self.get_serializer(rows, many=True).data)


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
    plain_values = plain_details = True
    pages_by_keys_alone = True  # its filters choose statements; they change no value of one

    def read(self, queryset):
        # Lists, exports and details read plain values: the same JSON, without a model per row.
        return s.StatementListSerializer.read(queryset, self.shape)

    def detail_json(self) -> bytes | None:
        """The plain detail as PostgreSQL writes its JSON (api/statement_json.py), one query
        compiled once per shape and address; None when there is no such statement."""
        params = self.request.query_params
        base = self.request.build_absolute_uri(get_script_prefix())
        key = ("json", params.get("fields", ""), params.get("expand", ""), base)
        value = m.Statement._meta.pk.to_python(self.record_id())
        wrap = statement_json.wrap(self.shape, self.request)
        found = prepared.rows(key, m.Statement, self.read_one, value, wrap)
        return found[0]["json"].encode() if found else None

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
