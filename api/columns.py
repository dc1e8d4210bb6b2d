"""The statement's columns, declared once: what a row reads, how the JSON list serves each column
from plain values (`StatementListSerializer`), and its SQL twin for the COPY export (pgcopy.py).

A statement is served by two paths that must agree byte for byte: Python over a `.values()` row,
and PostgreSQL's COPY over the same query (`r`). Each column below says both; a field added to
StatementSerializer needs a line here too (tests/test_statement_columns.py checks it).
"""

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import OuterRef
from django.urls import get_script_prefix, reverse
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from . import models as m

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def precise(day, precision) -> str:
    """A date in words, no more precise than it is known: 9 October 2007, October 2007, 2007."""
    if day is None:
        return "undated"
    if precision == m.DatePrecision.YEAR:
        return str(day.year)
    if precision == m.DatePrecision.MONTH:
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def citation(speaker, title, publisher, published_on, precision, url) -> str:
    """One line to paste: speaker, “source title”, publisher, date as precise as known, URL."""
    parts = [
        speaker,
        f"“{title}”" if title else "",
        publisher,
        precise(published_on, precision),
        url,
    ]
    return ", ".join(part for part in parts if part)


def moment_sql(column: str) -> str:
    """ISO 8601 in UTC ending in Z, with six digits of microseconds when there are any, as
    Python writes it, whatever the connection's DateStyle (to_char reads none)."""
    iso = f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
    return f"replace({iso}, '.000000Z', 'Z')"


# A day as precisely as it is known, in words (`precise`).
PRECISE_SQL = """CASE WHEN r.source__published_on IS NULL THEN 'undated'
    WHEN r.source__published_on_precision = 'year' THEN to_char(r.source__published_on, 'FMYYYY')
    WHEN r.source__published_on_precision = 'month'
        THEN to_char(r.source__published_on, 'FMMonth FMYYYY')
    ELSE to_char(r.source__published_on, 'FMDD FMMonth FMYYYY') END"""

# The citation (`citation`): its parts that are not empty, comma-separated.
CITATION_SQL = f"""concat_ws(', ',
    NULLIF(coalesce(NULLIF(r.speaker__name, ''), r.speaker_description), ''),
    CASE WHEN r.source__title <> '' THEN '“' || r.source__title || '”' END,
    NULLIF(r.source__publisher, ''), {PRECISE_SQL}, NULLIF(r.source__url, ''))"""
CITED = ("speaker__name", "speaker_description", "source__title", "source__publisher",
         "source__published_on", "source__published_on_precision", "source__url")  # fmt: skip

# A getter factory: (the serializer's field, the rows of a batch, the request) -> row -> value.
Getter = Callable[[serializers.Field, list[dict], object], Callable[[dict], object]]


@dataclass(frozen=True)
class Column:
    """A served column: the values it reads, how Python serves it, and its SQL over the row `r`
    (`%s` is the collection's address, `{topics}` the row's topics)."""

    name: str
    reads: tuple[str, ...]
    getter: Getter
    sql: str
    own: bool = False  # the statement's own field: a list may be ordered by it
    plain: bool = False  # never starts like a spreadsheet formula: COPY need not guard it

    @property
    def prefix(self) -> str:
        """Where a reference's brief form is read from: `speaker` in `speaker__slug`."""
        return self.reads[0].partition("__")[0]


def converter(field):
    """`field.to_representation` for the values a database returns, without its per-value
    overhead where it is plain: an aware moment in ISO 8601 (UTC ending in Z), choices by their
    table; None for text and whole numbers, served as the database returns them."""
    iso = str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    if isinstance(field, serializers.DateTimeField) and iso:
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        return lambda value: (
            _moment(value, zone) if value.tzinfo else field.to_representation(value)
        )
    if isinstance(field, serializers.ChoiceField):
        return lambda value: field.choice_strings_to_values.get(str(value), value)
    if isinstance(field, serializers.CharField | serializers.IntegerField):
        return None  # the database's str or int already
    return field.to_representation


def _moment(value, zone) -> str:
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def own(name: str, sql: str = "", plain: bool = False) -> Column:
    """A field of the statement's own, served as its serializer field would serve it."""

    def getter(field, rows, request):
        if (convert := converter(field)) is None:
            return operator.itemgetter(name)
        return lambda row: None if (value := row[name]) is None else convert(value)

    return Column(name, (name,), getter, sql or f"r.{name}", own=True, plain=plain)


def key(name: str, path: str, plain: bool = False) -> Column:
    """A reference, served as the referenced record's identifier, or with `?expand=` (the field
    is then the brief serializer) as its brief form, read from the same row."""

    def getter(field, rows, request):
        if isinstance(field, serializers.BaseSerializer):
            return brief(field, path.partition("__")[0], request)
        return operator.itemgetter(path)

    return Column(name, (path,), getter, f"r.{path}", plain=plain)


def brief(serializer: serializers.BaseSerializer, prefix: str, request) -> Callable:
    """A getter of a referenced record's brief form from a row's `<prefix>__<field>` values; None
    when the row references nothing (its identifier, the first field, is null)."""
    getters = []
    for name, field in serializer.fields.items():
        column = brief_column(field, prefix)
        if isinstance(field, serializers.HyperlinkedIdentityField):  # its address
            base = link_base(field, request)
            getters.append((name, lambda row, base=base, c=column: f"{base}{row[c]}/"))
        else:
            convert = converter(field) or (lambda value: value)
            getters.append(
                (name, lambda row, c=column, f=convert: None if row[c] is None else f(row[c]))
            )
    identifier = brief_column(next(iter(serializer.fields.values())), prefix)
    return lambda row: (
        None if row[identifier] is None else {name: get(row) for name, get in getters}
    )


def brief_reads(serializer: serializers.BaseSerializer, prefix: str) -> tuple[str, ...]:
    """What a row reads to serve a brief form: its fields under `<prefix>__`."""
    return tuple(brief_column(field, prefix) for field in serializer.fields.values())


def brief_column(field, prefix: str) -> str:
    """The value a brief form's field is read from (an address, from the record's identifier)."""
    if isinstance(field, serializers.HyperlinkedIdentityField):
        return f"{prefix}__{field.lookup_field}"
    return f"{prefix}__{field.source}"


@functools.lru_cache(maxsize=64)
def _listing(route: str, prefix: str) -> str:
    return reverse(route)


def listing(route: str) -> str:
    """A list's path, by its route's name: found once per process (and script prefix)."""
    return _listing(route, get_script_prefix())


def list_address(route: str, request) -> str:
    """A list's address as the request reaches it, by its route's name: its records' addresses
    are this and their identifiers."""
    return request.build_absolute_uri(listing(route))


def link_base(field: serializers.HyperlinkedIdentityField, request) -> str:
    """What a brief form's link is its record's identifier appended to: the list's address."""
    return list_address(field.view_name.replace("-detail", "-list"), request)


def _url(field, rows, request):
    base = list_address("v1:statement-list", request)
    return lambda row: f"{base}{row['id']}/"


def _citation(field, rows, request):
    return lambda row: citation(
        row["speaker__name"] or row["speaker_description"],
        row["source__title"],
        row["source__publisher"],
        row["source__published_on"],
        row["source__published_on_precision"],
        row["source__url"],
    )


def _topics(field, rows, request):
    if rows and TOPICS in rows[0]:  # read with the rows (PostgreSQL)
        return operator.itemgetter(TOPICS)
    links = TOPIC_LINKS.filter(statement_id__any=[row["id"] for row in rows])
    found: dict[int, list[str]] = {}
    for statement, topic in links.values_list("statement_id", "topic__slug"):
        found.setdefault(statement, []).append(topic)
    return lambda row: found.get(row["id"], [])


TOPIC_LINKS = m.Statement.topics.through.objects.order_by("topic__slug")
TOPICS = "topic_slugs"  # a row's topics, where they are read with it


def with_topics(queryset) -> tuple:
    """The queryset with each row's topics (sorted slugs), and the name they are read under:
    on PostgreSQL in the same query, as an array; elsewhere, nothing (`_topics` reads them in
    one query more)."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset, ()
    links = TOPIC_LINKS.filter(statement_id=OuterRef("pk")).values("topic__slug")
    return queryset.annotate(**{TOPICS: ArraySubquery(links)}), (TOPICS,)


STATEMENT = {
    column.name: column
    for column in (
        own("id", plain=True),
        Column("url", ("id",), _url, "%s || r.id || '/'", plain=True),
        own("text"),
        own("date", "to_char(r.date, 'YYYY-MM-DD')", plain=True),
        own("date_precision", plain=True),
        Column("citation", CITED, _citation, CITATION_SQL),
        key("speaker", "speaker__slug"),
        own("speaker_description"),
        own("speaker_role"),
        key("organisation", "organisation__slug"),
        key("participant", "participant__code", plain=True),
        key("meeting", "meeting__slug"),
        key("proposal", "proposal__slug"),
        Column("topics", ("id",), _topics, "{topics}", plain=True),
        own("language"),
        key("source", "source__slug"),
        own("confidence", plain=True),
        own("note"),
        own("created_at", moment_sql("r.created_at"), plain=True),
        own("updated_at", moment_sql("r.updated_at"), plain=True),
    )
}
# What a row reads: every column's values, once each.
READS = tuple(dict.fromkeys(name for column in STATEMENT.values() for name in column.reads))


def reads(fields) -> tuple[str, ...]:
    """What a row reads to serve `fields` (a statement serializer's, as a request shaped them):
    each column's values and, for an expanded reference, its brief form's, once each; and the
    id, that pages are found by."""
    found = ["id"]
    for name, field in fields.items():
        found += STATEMENT[name].reads
        if isinstance(field, serializers.BaseSerializer):
            found += brief_reads(field, STATEMENT[name].prefix)
    return tuple(dict.fromkeys(found))


OWN = tuple(name for name, column in STATEMENT.items() if column.own)
