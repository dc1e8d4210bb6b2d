"""A statement's detail written as JSON by PostgreSQL, the bytes the serializer's Python writes.

A cold detail is one row: serving its plain values in Python (each column's getter, its moments
and dates, its six expanded references) cost more than reading it. Here the same query (the
list's plain values, `StatementListSerializer.read`) is read as `r`, each column is its SQL twin
in the column table (api/columns.py, the COPY export's), an expanded reference is its brief
form's twin below, and `row_to_json` writes them in the serializer's order. PostgreSQL and orjson
write JSON alike (compact, the same escapes); tests/test_statement_json.py and
tests/test_lanes.py hold the two answers equal.
"""

from rest_framework import serializers

from .columns import STATEMENT, TOPICS, brief_column, link_base, list_address, moment_sql


def select(shape: dict, request) -> tuple[str, tuple[str, ...]]:
    """The SELECT list over `r` of the fields of `shape` (`shaped_fields`), each named as its
    field, and the addresses its `%s` stand for, in order."""
    values, addresses = [], []
    for name, field in shape.items():
        column = STATEMENT[name]
        if isinstance(field, serializers.BaseSerializer):
            sql, links = brief(field, column.prefix, request)
            addresses += links
        else:
            sql = column.sql.format(topics=f"r.{TOPICS}")
            if "%s" in sql:  # the statement's own address
                addresses.append(list_address("v1:statement-list", request))
        values.append(f'{sql} AS "{name}"')
    return ", ".join(values), tuple(addresses)


def brief(serializer: serializers.BaseSerializer, prefix: str, request) -> tuple[str, list[str]]:
    """A reference's brief form (`columns.brief`) as JSON from a row's `<prefix>__<field>`
    values, null when it references nothing; and the addresses its `%s` stand for."""
    values, addresses = [], []
    for name, field in serializer.fields.items():
        column = f"r.{brief_column(field, prefix)}"
        if isinstance(field, serializers.HyperlinkedIdentityField):
            addresses.append(link_base(field, request))
            sql = f"%s || {column} || '/'"
        else:
            sql = _value(field, column)
        values.append(f'{sql} AS "{name}"')
    identifier = brief_column(next(iter(serializer.fields.values())), prefix)
    found = f"r.{identifier} IS NOT NULL"
    return f"(SELECT row_to_json(b) FROM (SELECT {', '.join(values)}) b WHERE {found})", addresses


def _value(field: serializers.Field, column: str) -> str:
    """A brief form's own field in SQL, as `columns.converter` serves it."""
    if isinstance(field, serializers.DateTimeField):
        return moment_sql(column)
    if isinstance(field, serializers.DateField):
        return f"to_char({column}, 'YYYY-MM-DD')"
    if isinstance(field, serializers.CharField | serializers.ChoiceField):
        return column  # text, and choices served as they are stored
    # A brief form given another kind of field needs its twin here (tests/test_statement_json.py).
    raise LookupError(f"No SQL twin for {type(field).__name__} {field.field_name!r}.")


def wrap(shape: dict, request):
    """What `prepared.rows` wraps the plain values query in: its one row as JSON text."""

    def wrapped(sql: str) -> tuple[str, tuple, tuple[str, ...]]:
        values, addresses = select(shape, request)
        return (
            f"SELECT row_to_json(c)::text FROM (SELECT {values} FROM ({sql}) r) c",
            addresses,
            ("json",),
        )

    return wrapped
