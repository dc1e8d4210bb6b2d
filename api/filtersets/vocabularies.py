"""Filters for topics and status periods."""

import datetime

from django.db.models import Q

from api import models as m

from .base import ChoiceListFilter, DayFilter, KPFilterSet, ParticipantFilter, YearFilter


class TopicFilterSet(KPFilterSet):
    confidence = None  # a tag is the project's vocabulary, not a graded fact

    class Meta:
        model = m.Topic
        fields = []


class StatusPeriodFilterSet(KPFilterSet):
    participant = ParticipantFilter(
        field_name="participant__code", label="Periods of these participants (codes)."
    )
    status = ChoiceListFilter(
        field_name="status",
        choices=m.ParticipantStatus.choices,
        label="Only periods of these statuses: suspended, withdrawn (comma-separated); "
        "`?status=suspended` lists every suspension there has been.",
    )
    year_after = YearFilter(
        method="filter_year_after",
        label="Periods that lasted into this year or later (open ones included).",
    )
    year_before = YearFilter(
        method="filter_year_before", label="Periods that began in this year or earlier."
    )
    active_on = DayFilter(
        method="filter_active_on",
        label="Periods in force on this day (YYYY-MM-DD): begun by then and not yet ended.",
    )

    class Meta:
        model = m.StatusPeriod
        fields = []

    def filter_year_after(self, queryset, name, value):
        # `end` is exclusive: a period that ends on 1 January of the year did not reach it.
        return queryset.filter(Q(end__isnull=True) | Q(end__gt=datetime.date(value, 1, 1)))

    def filter_year_before(self, queryset, name, value):
        return queryset.filter(start__lte=datetime.date(value, 12, 31))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(Q(start__lte=value), Q(end__isnull=True) | Q(end__gt=value))
