"""A statement's detail as PostgreSQL writes its JSON (api/statement_json.py), in the fast lane,
is the detail that DRF's view serves from Python, byte for byte: for awkward text in the
statement and in each expanded reference (quotes, backslashes, control characters, characters
beyond the BMP), references that are missing, dates that are not known, moments with and
without microseconds, and whatever DateStyle the connection has."""

import datetime

import pytest
from django.db import connection

from api import columns, statement_json
from api import models as m
from api.serializers import StatementSerializer
from api.serializers.base import shaped_fields
from api.views import StatementViewSet, lanes
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes the JSON"),
]

EVERY = "speaker,organisation,participant,meeting,proposal,source"
ODD = 'q"uote \\back\\slash\x01\x1f\x7f tab\t line\n\u2028 😀 中文 “curly”'


@pytest.fixture
def odd_statements():
    """A statement whose every expanded reference holds odd text and no date, one that
    references nothing it may leave out, and one with dated references; returns their ids."""
    source = f.SourceFactory(title=ODD, publisher=ODD, url=f"https://example.org/{ODD}",
                             published_on=None, published_on_precision=None)  # fmt: skip
    meeting = f.MeetingFactory(title=ODD, start_date=None, start_date_precision=None)
    full = f.StatementFactory(
        text=ODD,
        speaker=f.PersonFactory(name=ODD),
        speaker_role=ODD,
        organisation=f.OrganisationFactory(name=ODD, acronym=""),
        participant=f.ParticipantFactory(name=ODD),
        meeting=meeting,
        proposal=f.ProposalFactory(title=ODD, meeting=meeting),
        source=source,
        note=ODD,
    )
    bare = f.StatementFactory(speaker=None, speaker_description=ODD, organisation=None,
                              participant=None, meeting=None, proposal=None, date=None,
                              date_precision=None, source=source)  # fmt: skip
    m.Statement.objects.filter(pk=full.pk).update(
        created_at=datetime.datetime(2025, 1, 2, 3, 4, 5, 600, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
    )
    dated = f.StatementFactory(meeting=f.MeetingFactory(), source=f.SourceFactory())
    return [full.pk, bare.pk, dated.pk]


def both_ways(client, monkeypatch, path: str, params: dict) -> tuple[bytes, bytes]:
    written = []
    real = StatementViewSet.detail_json
    with monkeypatch.context() as patch:
        patch.setattr(StatementViewSet, "detail_json", lambda view: written.append(real(view))
                      or written[-1])  # fmt: skip
        served = client.get(path, params)
    assert written == [served.content]  # PostgreSQL wrote what was served
    with monkeypatch.context() as patch:
        patch.setattr(lanes, "_plain", lambda request: False)  # DRF's view, Python's JSON
        drf = client.get(path, params)
    assert served.status_code == drf.status_code == 200
    assert served["ETag"] == drf["ETag"]
    return served.content, drf.content


@pytest.mark.parametrize(
    "params", [{}, {"expand": EVERY}, {"expand": "source"}, {"expand": "meeting,speaker"}]
)
def test_postgresql_writes_the_json_that_python_writes(client, monkeypatch, odd_statements, params):
    answers = [both_ways(client, monkeypatch, f"/api/v1/statements/{pk}/", params)
               for pk in odd_statements]  # fmt: skip
    assert [served for served, _ in answers] == [drf for _, drf in answers]
    served = answers[0][0]
    assert ODD.encode() not in served  # escaped, as JSON must be: the line break and control
    assert "😀 中文".encode() in served  # and written as they are, not escaped


def test_the_json_is_the_same_whatever_the_connection_s_date_style(client, odd_statements):
    path = f"/api/v1/statements/{odd_statements[0]}/"
    expected = client.get(path, {"expand": EVERY}).content
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        assert client.get(path, {"expand": EVERY}).content == expected
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET DateStyle")
    assert b'"created_at":"2025-01-02T03:04:05.000600Z"' in expected
    assert b'"updated_at":"1999-12-31T23:59:59Z"' in expected


def test_every_field_and_every_expanded_reference_has_a_twin(rf):
    """A field, or a brief form's field, added without a twin fails here, not in service."""
    request = rf.get("/api/v1/statements/1/")
    request.query_params = {"expand": EVERY}
    shape = shaped_fields(StatementSerializer, request)
    values, addresses = statement_json.select(shape, request)
    assert list(shape) == list(columns.STATEMENT)
    assert all(f'AS "{name}"' in values for name in shape)  # each field, by its name
    assert values.count("row_to_json(b)") == len(EVERY.split(","))
    assert len(addresses) == 1 + len(EVERY.split(","))  # the statement's and each brief's
    assert all(address.startswith("http://testserver/api/v1/") for address in addresses)
