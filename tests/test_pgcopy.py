"""On PostgreSQL, statements are exported by COPY (api/pgcopy.py): the bytes must be exactly those
the serializers and the CSV writer make, for every kind of value a statement can hold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import pgcopy

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]
PATH = "/api/v1/statements/"


def python_export(client, monkeypatch, **params) -> bytes:
    """The same export, the rows built in Python as on SQLite."""
    with monkeypatch.context() as patch:
        patch.setattr(pgcopy, "can_copy", lambda queryset, names: False)
        return export(client, **params)


def export(client, **params) -> bytes:
    response = client.get(PATH, params)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "params",
    [
        {"format": "csv"},
        {"format": "csv", "bom": "1", "ordering": "-date"},
        {"format": "csv", "fields": "note,id,citation,topics,created_at"},
        {"format": "csv", "confidence": "single_source", "search": "line"},
        {"format": "ndjson"},
        {"format": "ndjson", "fields": "topics,date,speaker", "ordering": "-id"},
        {"format": "ndjson", "ordering": "date,-id", "topic": "consensus"},
        {"format": "csv", "ordering": "-date,-id", "topic": "chairmanship,definition-reform"},
    ],
)
def test_copy_writes_the_same_bytes_as_python(client, monkeypatch, awkward, params):
    copied = export(client, **params)
    assert copied == python_export(client, monkeypatch, **params)
    assert copied.count(b"\n") > 2  # rows, not just a header


def test_an_export_is_one_copy_whatever_its_size(client, awkward):
    with CaptureQueriesContext(connection) as captured:
        export(client, format="csv")
    copies = [query for query in captured if query["sql"].startswith("COPY")]
    assert len(copies) == 1


def test_a_lone_column_or_an_expanded_export_is_written_in_python(client, awkward):
    for params in ({"fields": "note"}, {"expand": "speaker"}):
        with CaptureQueriesContext(connection) as captured:
            body = export(client, format="csv", **params)
        assert not [query for query in captured if query["sql"].startswith("COPY")]
        assert body.startswith(b"note\r\n" if "fields" in params else b"id,url,")
