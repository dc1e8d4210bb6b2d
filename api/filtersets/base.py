"""Filters shared by every collection: identifiers by code or slug, choice lists, years, dates."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from api import models as m


class IdentifierListField(forms.CharField):
    """Comma-separated codes or slugs that must all name existing records (one query)."""

    def __init__(self, *args, model=None, key="slug", specials=(), **kwargs):
        self.model, self.key, self.specials = model, key, set(specials)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        normalise = str.upper if self.key == "code" else str.lower
        return list(
            dict.fromkeys(normalise(item.strip()) for item in value.split(",") if item.strip())
        )

    def validate(self, value):
        super().validate(value)
        wanted = [item for item in value if item.lower() not in self.specials]
        if len(value) > 100:
            raise forms.ValidationError("Give at most 100 values.")
        if any(len(item) > 100 for item in wanted):
            raise forms.ValidationError("A value is longer than any identifier.")
        known = set(
            self.model.objects.filter(**{f"{self.key}__in": wanted}).values_list(
                self.key, flat=True
            )
        )
        unknown = [item for item in wanted if item not in known]
        if unknown:
            noun = self.model._meta.verbose_name
            raise forms.ValidationError(f"Unknown {noun} {self.key}: {', '.join(unknown)}.")


@extend_schema_field(OpenApiTypes.STR)
class IdentifierFilter(django_filters.Filter):
    """Records whose reference is any of the given codes or slugs (`?participant=US,EU`)."""

    field_class = IdentifierListField

    def __init__(self, *args, model, key="slug", specials=(), **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, model=model, key=key, specials=specials, **kwargs)


class ParticipantFilter(IdentifierFilter):
    """Participant codes, case-insensitive."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, model=m.Participant, key="code", **kwargs)


class ParticipantOrWorldFilter(ParticipantFilter):
    """Participant codes, and `world` for the KP's published world totals."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, specials=("world",), **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        codes = [code for code in value if code != "WORLD"]
        condition = Q(**{f"{self.field_name}__in": codes})
        if "WORLD" in value:
            condition |= Q(participant__isnull=True)
        return qs.filter(condition)


@extend_schema_field(OpenApiTypes.STR)
class ChoiceListFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """One value or several, comma-separated, each one of the documented choices."""


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1900, max_value=2100, **kwargs)


@extend_schema_field(OpenApiTypes.DATE)
class DayFilter(django_filters.DateFilter):
    """A day as YYYY-MM-DD."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": "Enter a real day as YYYY-MM-DD."})
        super().__init__(*args, **kwargs)


class KPFilterSet(django_filters.FilterSet):
    """Filters every collection has: `updated_since` and `confidence`."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only records changed at or after this moment (ISO 8601, e.g. 2026-01-31T12:00:00Z).",
    )
    confidence = ChoiceListFilter(
        field_name="confidence",
        lookup_expr="in",
        choices=m.Confidence.choices,
        label="Only records of these confidence grades, comma-separated: verified, "
        "single_source, uncertain.",
    )
