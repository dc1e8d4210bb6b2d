"""On PostgreSQL, statements are exported by COPY (api/pgcopy.py): the bytes must be exactly those
the serializers and the CSV writer make, for every kind of value a statement can hold."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from api import pgcopy
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]
PATH = "/api/v1/statements/"
UTC = datetime.UTC


@pytest.fixture
def awkward():
    """Statements with every awkward value: quotes, commas and line breaks in text, text that
    starts like a formula, empty and missing values, dates as precise as they are known, moments
    with and without microseconds (and with trailing zeros), no topics and several."""
    sources = [
        f.SourceFactory(published_on=None, published_on_precision=None, publisher="", title=""),
        f.SourceFactory(published_on=datetime.date(2019, 1, 1), published_on_precision="year"),
        f.SourceFactory(published_on=datetime.date(2021, 3, 9), published_on_precision="day",
                        title='A "quoted", title', publisher="=Publisher"),
    ]  # fmt: skip
    texts = ['He said: "no", then left.', "Line one\nline two\r\nline three", "=SUM(A1:A2)",
             "-1 for the motion", "@everyone", "\tindented", "Côte d'Ivoire, naïve, 中文", "",
             "ends with a quote\"", '"', "a\\.b", "\\."]  # fmt: skip
    topics = list(m.Topic.objects.order_by("slug")[:3])
    moments = [datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
               datetime.datetime(2024, 5, 6, 7, 8, 9, 123400, tzinfo=UTC),
               datetime.datetime(2024, 5, 6, 7, 8, 9, 5, tzinfo=UTC)]  # fmt: skip
    for number, text in enumerate(texts):
        statement = f.StatementFactory(
            text=text,
            source=sources[number % 3],
            speaker=None if number % 4 == 0 else f.PersonFactory(name="" if number == 5 else "A"),
            speaker_description="+a delegate" if number % 4 == 0 else "",
            speaker_role="=role" if number == 2 else "",
            organisation=None if number % 2 else f.OrganisationFactory(),
            participant=None if number % 5 == 0 else f.ParticipantFactory(),
            meeting=None if number % 2 == 0 else f.MeetingFactory(),
            date=None if number == 3 else datetime.date(2020, 2, 1),
            date_precision=None if number == 3 else "month" if number == 4 else "day",
            note="-note" if number == 6 else "",
        )
        statement.topics.set(topics[: number % 4])
        m.Statement.objects.filter(pk=statement.pk).update(
            created_at=moments[number % 3], updated_at=moments[(number + 1) % 3]
        )


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
