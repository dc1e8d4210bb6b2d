"""Filters for participants, organisations, people and blocs."""

import datetime

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q

from api import models as m

from .base import ChoiceListFilter, DayFilter, IdentifierFilter, KPFilterSet, TrueFalseFilter


class ParticipantFilterSet(KPFilterSet):
    kind = ChoiceListFilter(
        field_name="kind",
        choices=m.ParticipantKind.choices,
        label="state or regional_organisation (comma-separated for several).",
    )
    region = ChoiceListFilter(
        field_name="region",
        choices=m.Region.choices,
        label="UN M49 continent: africa, americas, asia, europe, oceania (comma-separated).",
    )
    status = ChoiceListFilter(
        field_name="status",
        choices=m.ParticipantStatus.choices,
        label="active, suspended or withdrawn: the status today, or on the `as_of` day. "
        "Withdrawn participants (former ones, now inside the EU) are listed only when asked for.",
    )
    bloc = IdentifierFilter(
        field_name="blocs__slug",
        model=m.Bloc,
        distinct=True,
        label="Members of these blocs (slugs, comma-separated), e.g. western-bloc.",
    )
    joined_after = DayFilter(
        field_name="joined_on", lookup_expr="gte", label="Joined on or after this day."
    )
    joined_before = DayFilter(
        field_name="joined_on", lookup_expr="lte", label="Joined on or before this day."
    )
    as_of = DayFilter(
        method="filter_as_of",
        label="Participants that had joined by this day (or whose join date no source settles), "
        "each with the status it had that day: `?as_of=2014-01-01&status=suspended` lists "
        "who was suspended then.",
    )

    class Meta:
        model = m.Participant
        fields = []

    def filter_queryset(self, queryset):
        """Status is that of the `as_of` day (today by default); withdrawn ones only on request."""
        day = self.form.cleaned_data.get("as_of") or datetime.date.today()
        queryset = super().filter_queryset(queryset.with_status(day))
        if m.ParticipantStatus.WITHDRAWN not in (self.form.cleaned_data.get("status") or []):
            queryset = queryset.exclude(status=m.ParticipantStatus.WITHDRAWN)
        return queryset

    def filter_as_of(self, queryset, name, value):
        return queryset.filter(Q(joined_on__lte=value) | Q(joined_on__isnull=True))


class OrganisationFilterSet(KPFilterSet):
    kind = ChoiceListFilter(
        field_name="kind",
        choices=m.OrganisationKind.choices,
        label="Kind of organisation (comma-separated for several).",
    )
    kp_observer = TrueFalseFilter(
        field_name="kp_observer", label="true for the KP's observers today, false for the rest."
    )
    country = django_filters.CharFilter(
        field_name="country",
        lookup_expr="iexact",
        validators=[RegexValidator(r"^[A-Za-z]{2}\Z", "Use an ISO 3166-1 alpha-2 code.")],
        label="ISO 3166-1 alpha-2 code of the organisation's seat, case-insensitive.",
    )

    class Meta:
        model = m.Organisation
        fields = []


class PersonFilterSet(KPFilterSet):
    organisation = IdentifierFilter(
        field_name="affiliations__organisation__slug",
        model=m.Organisation,
        distinct=True,
        label="People with a role in these organisations (slugs, comma-separated).",
    )

    class Meta:
        model = m.Person
        fields = []


class BlocFilterSet(KPFilterSet):
    member = IdentifierFilter(
        field_name="members__code",
        model=m.Participant,
        key="code",
        distinct=True,
        label="Blocs with any of these participants as members (codes, comma-separated).",
    )

    class Meta:
        model = m.Bloc
        fields = []
