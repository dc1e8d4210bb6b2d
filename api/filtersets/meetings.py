"""Filters for chairmanships, meetings and proposals."""

from django.db.models import Q
from django.db.models.functions import Coalesce

from api import models as m

from .base import (
    ChoiceListFilter,
    DayFilter,
    IdentifierFilter,
    KPFilterSet,
    ParticipantFilter,
    YearFilter,
)


class ChairmanshipFilterSet(KPFilterSet):
    chair = ParticipantFilter(
        field_name="chair__code", label="Years chaired by these participants (codes)."
    )
    vice_chair = ParticipantFilter(
        field_name="vice_chair__code", label="Years with these vice-chairs (codes)."
    )
    year_after = YearFilter(field_name="year", lookup_expr="gte", label="From this year on.")
    year_before = YearFilter(field_name="year", lookup_expr="lte", label="Up to this year.")

    class Meta:
        model = m.Chairmanship
        fields = []


class MeetingFilterSet(KPFilterSet):
    kind = ChoiceListFilter(
        field_name="kind",
        choices=m.MeetingKind.choices,
        label="Kind of meeting (comma-separated for several).",
    )
    year = YearFilter(field_name="year", label="Meetings of this year.")
    host = ParticipantFilter(field_name="host__code", label="Hosted by these participants (codes).")
    chair = ParticipantFilter(
        field_name="chair__code", label="Chaired by these participants (codes)."
    )
    date_after = DayFilter(
        method="filter_date",
        lookup_expr="gte",
        label="Meetings on or after this day (by start date, or end date when the start is "
        "unknown).",
    )
    date_before = DayFilter(
        method="filter_date",
        lookup_expr="lte",
        label="Meetings on or before this day (by start date, or end date when the start is "
        "unknown).",
    )
    topic = IdentifierFilter(
        method="filter_topic",
        model=m.Topic,
        label="Meetings at which a proposal tabled or a statement made is about any of these "
        "topics (slugs, comma-separated), e.g. marange-zimbabwe.",
    )

    class Meta:
        model = m.Meeting
        fields = []

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        about = {"topics__in": value.pks}
        proposals = m.Proposal.objects.filter(**about).values("meeting")
        statements = m.Statement.objects.filter(**about).values("meeting")
        return queryset.filter(Q(pk__in=proposals) | Q(pk__in=statements))

    def filter_date(self, queryset, name, value):
        lookup = "gte" if name == "date_after" else "lte"
        return queryset.alias(day=Coalesce("start_date", "end_date")).filter(
            **{f"day__{lookup}": value}
        )


class ProposalFilterSet(KPFilterSet):
    meeting = IdentifierFilter(
        field_name="meeting__slug", model=m.Meeting, label="Tabled at these meetings (slugs)."
    )
    year = YearFilter(field_name="tabled_on__year", label="Tabled in this year.")
    outcome = ChoiceListFilter(
        field_name="outcome",
        choices=m.ProposalOutcome.choices,
        label="What became of it (comma-separated for several).",
    )
    topic = IdentifierFilter(
        field_name="topics__slug",
        model=m.Topic,
        distinct=True,
        label="About any of these topics (slugs, comma-separated), e.g. definition-reform.",
    )
    tabled_by = ParticipantFilter(
        field_name="tabled_by__code",
        distinct=True,
        label="Tabled by any of these participants (codes, comma-separated).",
    )
    supported_by = ParticipantFilter(
        method="filter_position",
        label="Supported by any of these participants, as a source states it (codes).",
    )
    opposed_by = ParticipantFilter(
        method="filter_position",
        label="Opposed by any of these participants, as a source states it (codes).",
    )

    class Meta:
        model = m.Proposal
        fields = []

    def filter_position(self, queryset, name, value):
        stance = m.PositionKind.SUPPORT if name == "supported_by" else m.PositionKind.OPPOSE
        positions = m.Position.objects.filter(participant__in=value.pks, position=stance)
        return queryset.filter(pk__in=positions.values("proposal_id"))
