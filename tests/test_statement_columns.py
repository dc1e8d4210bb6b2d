"""A statement is served by three paths: its detail serializer over a model, the column table's
Python over plain values (lists and exports), and, on PostgreSQL, the table's SQL twins (COPY).
The table covers every field, and the three write the same bytes for every awkward value."""

import pytest
from django.core.cache import caches
from django.db import connection

from api import columns, pgcopy
from api import models as m
from api.conditional import RESPONSES
from api.serializers import StatementSerializer
from api.views import StatementViewSet

pytestmark = pytest.mark.django_db
PATH = "/api/v1/statements/"
PARAMS = [
    {"format": "csv"},
    {"format": "csv", "bom": "1", "ordering": "-date"},
    {"format": "csv", "fields": "note,id,citation,topics,created_at"},
    {"format": "ndjson"},
    {"format": "ndjson", "fields": "topics,date,speaker", "ordering": "-id"},
]


def test_the_column_table_covers_every_field_of_a_statement_in_order():
    assert list(columns.STATEMENT) == list(StatementSerializer().fields)
    assert all(column.sql and column.reads for column in columns.STATEMENT.values())


def export(client, params) -> bytes:
    response = client.get(PATH, params)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def by_columns(client, monkeypatch, params) -> bytes:
    """Plain values through the column table's Python, as on SQLite."""
    with monkeypatch.context() as patch:
        patch.setattr(pgcopy, "can_copy", lambda queryset, names: False)
        return export(client, params)


def by_models(client, monkeypatch, params) -> bytes:
    """Model instances through StatementSerializer, as a detail is served."""
    with monkeypatch.context() as patch:
        patch.setattr(pgcopy, "can_copy", lambda queryset, names: False)
        patch.setattr(StatementViewSet, "read", lambda self, queryset: queryset)
        return export(client, params)


@pytest.mark.parametrize("params", PARAMS)
def test_the_column_table_writes_the_same_bytes_as_the_detail_serializer(
    client, monkeypatch, awkward, params
):
    written = by_columns(client, monkeypatch, params)
    assert written == by_models(client, monkeypatch, params)
    assert written.count(b"\n") > 2  # rows, not just a header


@pytest.mark.postgresql
@pytest.mark.parametrize("params", PARAMS)
def test_the_sql_twins_write_the_same_bytes_as_the_python(client, monkeypatch, awkward, params):
    assert export(client, params) == by_columns(client, monkeypatch, params)


@pytest.mark.postgresql
def test_the_sql_twins_read_no_date_style(client, monkeypatch, awkward):
    """Dates and moments are to_char's: COPY writes them the same whatever the connection's
    DateStyle, and needs no SET first. (Python's path reads moments as ISO text: it is asked
    first, with the connection's own DateStyle.)"""
    expected = [by_columns(client, monkeypatch, params) for params in PARAMS]
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        assert [export(client, params) for params in PARAMS] == expected
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET DateStyle")


SHAPES = [
    {},
    {"expand": "speaker,organisation,participant,meeting,proposal,source"},
    {"fields": "id,topics,citation,source", "expand": "source"},
    {"fields": "note,speaker,participant", "expand": "participant,speaker"},
    {"format": "csv", "expand": "meeting"},
    {"format": "ndjson", "fields": "created_at,updated_at,date"},
]


@pytest.mark.parametrize("params", SHAPES)
def test_a_detail_read_as_plain_values_is_the_detail_serializer_s_byte_for_byte(
    client, monkeypatch, awkward, params
):
    """A statement's detail is read by a query compiled once per shape and served from plain
    values; served from a model instance by StatementSerializer, it is the same answer."""
    ids = list(m.Statement.objects.order_by("pk").values_list("pk", flat=True))
    plain = [client.get(f"{PATH}{pk}/", params) for pk in ids]
    caches[RESPONSES].clear()  # not the answers kept from the first pass
    with monkeypatch.context() as patch:
        patch.setattr(StatementViewSet, "plain_details", False)
        modelled = [client.get(f"{PATH}{pk}/", params) for pk in ids]
    assert [r.status_code for r in plain] == [200] * len(ids)
    assert [r.content for r in plain] == [r.content for r in modelled]
    assert [r["ETag"] for r in plain] == [r["ETag"] for r in modelled]


def test_a_missing_statement_read_as_plain_values_is_a_404_that_names_it(client, awkward):
    response = client.get(f"{PATH}999999999999999999/", {"expand": "source"})
    assert response.status_code == 404
    assert response.json()["detail"] == "No statement has the id 999999999999999999."
