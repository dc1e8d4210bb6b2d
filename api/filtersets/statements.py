"""Filters for statements and sources."""

import django_filters

from api import models as m

from .base import ChoiceListFilter, DayFilter, IdentifierFilter, KPFilterSet, ParticipantFilter


class StatementFilterSet(KPFilterSet):
    speaker = IdentifierFilter(
        field_name="speaker__slug", model=m.Person, label="Said by these people (slugs)."
    )
    organisation = IdentifierFilter(
        field_name="organisation__slug",
        model=m.Organisation,
        label="Said for these organisations (slugs), e.g. kp-civil-society-coalition.",
    )
    participant = ParticipantFilter(
        field_name="participant__code", label="Said for these participants (codes)."
    )
    meeting = IdentifierFilter(
        field_name="meeting__slug", model=m.Meeting, label="Said at these meetings (slugs)."
    )
    proposal = IdentifierFilter(
        field_name="proposal__slug", model=m.Proposal, label="About these proposals (slugs)."
    )
    source = IdentifierFilter(
        field_name="source__slug", model=m.Source, label="Printed by these sources (slugs)."
    )
    topic = IdentifierFilter(
        field_name="topics__slug",
        model=m.Topic,
        distinct=True,
        label="About any of these topics (slugs, comma-separated).",
    )
    language = django_filters.CharFilter(
        field_name="language",
        lookup_expr="iexact",
        max_length=35,
        label="BCP 47 language tag, e.g. en or fr.",
    )
    date_after = DayFilter(field_name="date", lookup_expr="gte", label="Said on or after this day.")
    date_before = DayFilter(
        field_name="date", lookup_expr="lte", label="Said on or before this day."
    )

    class Meta:
        model = m.Statement
        fields = []


class SourceFilterSet(KPFilterSet):
    kind = ChoiceListFilter(
        field_name="kind",
        choices=m.SourceKind.choices,
        label="Kind of source (comma-separated for several).",
    )
    published_after = DayFilter(
        field_name="published_on", lookup_expr="gte", label="Published on or after this day."
    )
    published_before = DayFilter(
        field_name="published_on", lookup_expr="lte", label="Published on or before this day."
    )

    class Meta:
        model = m.Source
        fields = []
