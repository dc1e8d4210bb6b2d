"""Filters shared by every collection: identifiers by code or slug, choice lists, years, dates."""

import copy
import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django_filters.fields import BaseCSVField, IsoDateTimeField

from api import models as m
from api import suggest


class Identifiers(list):
    """The codes or slugs asked for, with the primary keys they name (`pks`)."""

    pks: list[int]


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
        return list(dict.fromkeys(normalise(item) for item in _items(value.split(","))))

    def validate(self, value):
        super().validate(value)
        self.pks = []
        if not value:  # not asked for: nothing to look up
            return
        wanted = [item for item in value if item.lower() not in self.specials]
        if len(value) > 100:
            raise forms.ValidationError("Give at most 100 values.")
        if any(len(item) > 100 for item in wanted):
            raise forms.ValidationError("A value is longer than any identifier.")
        known = dict(
            self.model.objects.filter(**{f"{self.key}__in": wanted}).values_list(self.key, "pk")
        )
        unknown = [item for item in wanted if item not in known]
        if unknown:
            # Values go in params: django-filter formats the message with them, `%` and all.
            raise forms.ValidationError(
                "Unknown %(noun)s %(key)s: %(values)s.%(hint)s",
                params={"noun": self.model._meta.verbose_name, "key": self.key,
                        "values": ", ".join(unknown),
                        "hint": suggest.hint(self.model, self.key, unknown)},
            )  # fmt: skip
        self.pks = list(known.values())

    def clean(self, value):
        identifiers = Identifiers(super().clean(value))
        identifiers.pks = getattr(self, "pks", [])
        return identifiers


class IdentifierFilter(django_filters.CharFilter):
    """Records whose reference is any of the given codes or slugs (`?participant=US,EU`).

    Through a many-to-many link (`distinct=True`), the match is a subquery on the link rather
    than a join and DISTINCT, which would sort every matching row of a large table.
    """

    field_class = IdentifierListField

    def __init__(self, *args, model, key="slug", specials=(), **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, model=model, key=key, specials=specials, **kwargs)
        self.key = key

    @property
    def relation(self) -> str:
        # Filter by the keys the field found (`participant__in`), not by joining on the code.
        return self.field_name.removesuffix(f"__{self.key}")

    def filter(self, qs, value):
        if not value:
            return qs
        matching = {f"{self.relation}__in": value.pks}
        if not self.distinct:
            return qs.filter(**matching)
        field = None if "__" in self.relation else qs.model._meta.get_field(self.relation)
        if field and field.many_to_many and field.concrete:  # the link table alone
            links = field.remote_field.through.objects.filter(
                **{f"{field.m2m_reverse_field_name()}__in": value.pks}
            )
            return qs.filter(pk__in=links.values(field.m2m_field_name()))
        return qs.filter(pk__in=qs.model.objects.filter(**matching).values("pk"))


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
        condition = Q(**{f"{self.relation}__in": value.pks})
        if "WORLD" in value:
            condition |= Q(**{f"{self.relation}__isnull": True})
        return qs.filter(condition)


def _items(values: list[str]) -> list[str]:
    """Comma-separated values without their spaces; an empty one is an error, not a wildcard."""
    items = [value.strip() for value in values]
    if "" in items:
        raise forms.ValidationError("Give one or more values separated by commas, none empty.")
    return items


class ListField(BaseCSVField):
    def clean(self, value):
        return super().clean(None if value is None else _items(value))


class ChoiceListFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """One value or several, comma-separated, each one of the documented choices; a value that
    is none of them is a 400 that lists them."""

    base_field_class = ListField

    def __init__(self, *args, choices, **kwargs):
        listed = ", ".join(str(value) for value, _ in choices)
        message = f"Unknown value %(value)s. Choose from: {listed}."
        kwargs.setdefault("error_messages", {"invalid_choice": message})
        super().__init__(*args, choices=choices, **kwargs)


class TrueFalseField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        if value.lower() in {"true", "false"}:
            return value.lower() == "true"
        raise forms.ValidationError("Use true or false, not %(value)r.", params={"value": value})


class TrueFalseFilter(django_filters.BooleanFilter):
    """`true` or `false`; anything else is a 400, not silently ignored."""

    field_class = TrueFalseField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1900, max_value=2100, **kwargs)


class DayFilter(django_filters.DateFilter):
    """A day as YYYY-MM-DD."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": "Enter a real day as YYYY-MM-DD."})
        super().__init__(*args, **kwargs)


def _own_copy(filter_, parent, model):
    copied = copy.copy(filter_)
    copied.parent, copied.model = parent, model
    if filter_.method is not None:
        copied.method = filter_.method  # binds the method to this copy and its parent
    return copied


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC; one outside the calendar is an error, not a 500."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Enter a moment between years 1 and 9999.") from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class KPFilterSet(django_filters.FilterSet):
    """Filters every collection has: `updated_since` and `confidence`."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__ (26.x) but for one line: it deep-copies every filter per
        # request, the costliest step of a list's set-up. A filter holds no state of a request
        # but its parent, its model and its bound method, so a shallow copy serves the same.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: _own_copy(filter_, self, queryset.model)
            for name, filter_ in self.base_filters.items()
        }

    updated_since = MomentFilter(
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
