"""Ordering and search: an unknown ordering is a 400, and statements search by full text."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import F, Q
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter, SearchFilter

from . import names

# The expression of the GIN index that migration 0002 creates on PostgreSQL.
STATEMENT_VECTOR = SearchVector("text", config="english")


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=a,-b` on the documented fields; anything else is a 400 naming it.

    The collection's default order follows as a tie-breaker, so pages never overlap, and nulls
    sort last in both directions on every database.
    """

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if not value:
            return self.get_default_ordering(view)
        allowed = [name for name, _ in self.get_valid_fields(queryset, view, {"request": request})]
        terms = [term.strip() for term in value.split(",") if term.strip()]
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown or not terms:
            wrong = ", ".join(unknown) or value
            hint = f"Order by: {', '.join(allowed)} (prefix - to reverse)."
            raise exceptions.ValidationError({self.ordering_param: [f"Unknown: {wrong}. {hint}"]})
        ordering = [_order(queryset.model, term) for term in terms]
        return [*ordering, *queryset.model._meta.ordering]

    def get_schema_operation_parameters(self, view):
        (parameter,) = super().get_schema_operation_parameters(view)
        fields = ", ".join(view.ordering_fields)
        default = ", ".join(_name(term) for term in view.queryset.model._meta.ordering)
        parameter["description"] = (
            f"Order by {fields}, comma-separated; prefix - to reverse. Nulls come last. "
            f"Default order: {default}."
        )
        terms = [term for name in view.ordering_fields for term in (name, f"-{name}")]
        parameter["schema"] = {"type": "array", "items": {"type": "string", "enum": terms}}
        parameter |= {"style": "form", "explode": False}
        return [parameter]


MAX_WORDS = 20


def _order(model, term: str):
    """`name` or `-name`, nulls last; a column that holds no nulls is ordered plainly, so that
    its index (ascending, nulls last) serves both directions."""
    name = term.removeprefix("-")
    try:
        nullable = model._meta.get_field(name).null
    except FieldDoesNotExist:  # an annotation
        nullable = True
    if not nullable:
        return term
    return F(name).desc(nulls_last=True) if term.startswith("-") else F(name).asc(nulls_last=True)


def search_words(request, param: str) -> list[str]:
    """The words of `?search=`: at most 20, which keeps every query small on every database."""
    words = request.query_params.get(param, "").split()
    if len(words) > MAX_WORDS:
        raise exceptions.ValidationError({param: [f"Use at most {MAX_WORDS} words."]})
    return words


def _name(term) -> str:
    """An ordering term as a client writes it: `year`, or `start_date` for F("start_date")."""
    if isinstance(term, str):
        return term.split("__")[0]  # participant__code is ordering by participant
    return f"-{term.expression.name}" if term.descending else term.expression.name


class TextSearchFilter(SearchFilter):
    """`?search=`: words in any of the view's `search_fields`, case-insensitive."""

    search_description = "Words to look for (at most 20); each must appear."

    def get_search_terms(self, request):
        search_words(request, self.search_param)
        return super().get_search_terms(request)


class NameSearchFilter(SearchFilter):
    """`?search=` on a small collection known by names (participants, organisations): every
    word in any name the record goes by, accents aside: `DRC`, `ivory coast`, `cote d'ivoire`."""

    search_description = (
        "Words to look for (at most 20), each in the code or slug, the name, the acronym or ISO "
        "alpha-3, the initials of a long name (DRC) or a name in common use (Ivory Coast); "
        "accents and case aside."
    )

    def filter_queryset(self, request, queryset, view):
        words = [names.fold(word) for word in search_words(request, self.search_param)]
        if not words:
            return queryset
        key = view.lookup_field
        found = [
            identifier
            for identifier, known in names.every(queryset.model, key, queryset).items()
            if all(any(names.matches(word, name) for name in known) for word in words)
        ]
        return queryset.filter(**{f"{key}__in": found})


class StatementSearchFilter(SearchFilter):
    """`?search=` on statements: PostgreSQL full text (web-search syntax), else every word."""

    search_description = (
        "Full-text search of the words said, at most 20 words (PostgreSQL: stemmed English, with "
        'web-search syntax: "quoted phrases", or, -exclusions); elsewhere every word must appear.'
    )

    def filter_queryset(self, request, queryset, view):
        words = search_words(request, self.search_param)
        if not words:
            return queryset
        if connection.vendor == "postgresql":
            query = SearchQuery(" ".join(words), config="english", search_type="websearch")
            return queryset.alias(search_vector=STATEMENT_VECTOR).filter(search_vector=query)
        condition = Q()
        for word in words:
            condition &= Q(text__icontains=word)
        return queryset.filter(condition)
