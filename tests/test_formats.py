"""CSV and NDJSON: every filtered row, streamed, the same values as the JSON, spreadsheet-safe."""

import csv
import io
import json

import pytest

from api import models as m
from api.renderers import cell, columns
from tests.collections import COLLECTIONS
from tests.helpers import problem, revalidate

pytestmark = pytest.mark.django_db

CASES = [
    ("/api/v1/participants/", {}),
    ("/api/v1/participants/", {"region": "africa", "fields": "code,name,status,blocs"}),
    ("/api/v1/participants/", {"as_of": "2005-01-01", "ordering": "-name"}),
    ("/api/v1/statements/", {"participant": "CF,ZW", "expand": "speaker,source"}),
    ("/api/v1/statements/", {"topic": "definition-reform", "date_after": "2019-01-01"}),
    ("/api/v1/proposals/", {"outcome": "no_consensus", "expand": "tabled_by"}),
    ("/api/v1/production/", {"participant": "world,BW", "year_after": "2015"}),
    ("/api/v1/trade/", {"flow": "export"}),
    ("/api/v1/sources/", {"kind": "news"}),
    ("/api/v1/meetings/", {"kind": "plenary", "fields": "slug,title,host,communique_adopted"}),
    ("/api/v1/people/", {}),
    ("/api/v1/blocs/", {"expand": "members"}),
    ("/api/v1/chairmanships/", {"year_after": "2010"}),
    ("/api/v1/organisations/", {"kp_observer": "true"}),
    ("/api/v1/positions/", {"organisation": "kp-civil-society-coalition", "expand": "proposal"}),
    ("/api/v1/topics/", {"search": "russia"}),
    ("/api/v1/status-periods/", {"status": "suspended", "expand": "participant"}),
]


def test_the_cases_hold_every_collection():
    assert {path for path, _ in CASES} == {collection.path for collection in COLLECTIONS}


def body(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content).decode("utf-8")


def every_json_row(client, path: str, query: dict) -> list[dict]:
    page = client.get(path, {**query, "page_size": "1000"}).json()
    assert page["next"] is None
    return page["results"]


@pytest.mark.parametrize(("path", "query"), CASES)
def test_csv_holds_every_filtered_row_with_the_json_values(client, path, query):
    expected = every_json_row(client, path, query)
    response = client.get(path, {**query, "format": "csv"})
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(body(response), newline="")))
    header, rows = table[0], table[1:]
    assert len(rows) == len(expected) == client.get(path, query).json()["count"]
    if expected:
        assert header == [name for name, _ in flatten_names(expected[0])]
    for row, item in zip(rows, expected, strict=True):
        assert row == [cell(value) for _, value in flatten_names(item)]


def flatten_names(item: dict, prefix: str = "") -> list[tuple[str, object]]:
    """The JSON object as the contract says a CSV row holds it, computed independently."""
    found = []
    for name, value in item.items():
        if isinstance(value, dict):
            found += flatten_names(value, f"{prefix}{name}_")
        else:
            found.append((f"{prefix}{name}", value))
    return found


@pytest.mark.parametrize(("path", "query"), CASES)
def test_ndjson_lines_equal_the_json_results(client, path, query):
    expected = every_json_row(client, path, query)
    response = client.get(path, {**query, "format": "ndjson"})
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = body(response).splitlines()
    assert [json.loads(line) for line in lines] == expected


def test_the_header_is_there_even_when_nothing_matches(client):
    response = client.get("/api/v1/statements/", {"format": "csv", "language": "de"})
    header = body(response).splitlines()
    assert header == ["id,url,text,date,date_precision,citation,speaker,speaker_description,"
                      "speaker_role,organisation,participant,meeting,proposal,topics,language,"
                      "source,confidence,note,created_at,updated_at"]  # fmt: skip


def test_format_param_accept_header_and_suffix_give_the_same_file(client):
    query = {"search": "ivoire", "fields": "code,name"}
    by_param = body(client.get("/api/v1/participants/", {**query, "format": "csv"}))
    by_accept = body(client.get("/api/v1/participants/", query, HTTP_ACCEPT="text/csv"))
    by_suffix = body(client.get("/api/v1/participants.csv", {"fields": "code,name"}))
    assert by_param == by_accept
    assert "CI,Côte d'Ivoire\r\n" in by_suffix
    ndjson = body(client.get("/api/v1/participants.ndjson", {"fields": "code,name"}))
    assert '{"code":"CI","name":"Côte d\'Ivoire"}' in ndjson.splitlines()


def test_accents_survive_both_formats_as_utf8(client):
    raw = b"".join(client.get("/api/v1/participants.csv").streaming_content)
    assert "Côte d'Ivoire".encode() in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert {"Côte d'Ivoire", "Türkiye"} <= {row["name"] for row in rows}


def test_commas_quotes_and_line_breaks_inside_values_survive(client):
    text = 'He said, "no consensus",\nthen left; again.'
    statement = m.Statement.objects.filter(speaker__slug="hans-merket").first()
    statement.text = text
    statement.save()
    response = client.get("/api/v1/statements.csv", {"speaker": "hans-merket", "fields": "id,text"})
    rows = {int(row["id"]): row["text"] for row in csv.DictReader(io.StringIO(body(response)))}
    assert rows[statement.pk] == text


def test_a_text_starting_like_a_formula_is_guarded_but_numbers_and_dates_are_not(client):
    meeting = m.Meeting.objects.get(slug="2022-intersessional-kasane")
    meeting.outcome = '=HYPERLINK("http://evil.example","click")'
    meeting.note = "-5 participants left early"
    meeting.save()
    response = client.get("/api/v1/meetings.csv", {"year": "2022", "kind": "intersessional"})
    (row,) = csv.DictReader(io.StringIO(body(response)))
    assert row["outcome"] == "'" + meeting.outcome
    assert row["note"] == "'-5 participants left early"
    assert row["start_date"] == "2022-06-20" and row["year"] == "2022"
    ndjson = json.loads(
        body(client.get("/api/v1/meetings.ndjson", {"year": "2022", "kind": "intersessional"}))
    )
    assert ndjson["outcome"] == meeting.outcome  # JSON is data, not a spreadsheet


def test_lists_are_joined_and_nested_objects_flattened(client):
    response = client.get(
        "/api/v1/proposals.csv", {"meeting": "2022-intersessional-kasane", "expand": "meeting"}
    )
    (row,) = csv.DictReader(io.StringIO(body(response)))
    assert row["tabled_by"].split(";") == ["AU", "CA", "EU", "GB", "UA", "US"]
    assert row["meeting_slug"] == "2022-intersessional-kasane"
    assert int(row["tally_support"]) >= 8 and int(row["tally_oppose"]) >= 5
    positions = json.loads(row["positions"])
    assert {"participant": "RU"}.items() <= next(
        p for p in positions if p["participant"] == "RU"
    ).items()


def test_bom_adds_a_byte_order_mark_for_spreadsheets(client):
    plain = b"".join(client.get("/api/v1/blocs.csv").streaming_content)
    marked = b"".join(client.get("/api/v1/blocs.csv", {"bom": "1"}).streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked == b"\xef\xbb\xbf" + plain


def test_a_detail_comes_as_one_row(client):
    response = client.get("/api/v1/participants/CF.csv", {"fields": "code,name,status_history"})
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["code"] == "CF" and len(json.loads(row["status_history"])) == 2


def test_errors_in_a_csv_request_are_still_problem_details(client):
    response = client.get("/api/v1/participants/", {"format": "csv", "kind": "planet"})
    problem(response, 400, "kind")


def test_an_unchanged_export_answers_304_and_a_change_makes_a_new_etag(client):
    etag, again = revalidate(client, "/api/v1/statements.csv")
    assert again.status_code == 304
    assert client.get("/api/v1/statements.ndjson", HTTP_IF_NONE_MATCH=etag).status_code == 200
    m.Statement.objects.filter(pk=m.Statement.objects.first().pk).delete()
    assert client.get("/api/v1/statements.csv", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_columns_follow_the_json_field_order():
    from api.serializers import ProposalSerializer

    names = [name for name, _ in columns(ProposalSerializer().fields)]
    assert names[:3] == ["slug", "url", "title"]
    assert names.index("tally_support") == names.index("positions") + 1


@pytest.mark.parametrize(
    "accept",
    [None, "*/*", "application/json", "text/csv", "application/json; indent=2", "text/*",
     "application/x-ndjson, */*;q=0.1", "image/png"],
)  # fmt: skip
@pytest.mark.parametrize("query", [{}, {"format": "csv"}])
def test_a_request_that_accepts_anything_gets_what_drf_would_choose(rf, accept, query):
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request

    from api.renderers import CSVRenderer, JSONRenderer, NDJSONRenderer, Negotiation

    headers = {"HTTP_ACCEPT": accept} if accept else {}
    request = Request(rf.get("/api/v1/statements/", query, **headers))
    renderers = [JSONRenderer(), CSVRenderer(), NDJSONRenderer()]

    def chosen(negotiation):
        try:
            renderer, media_type = negotiation.select_renderer(request, renderers)
        except Exception as error:
            return type(error)
        return type(renderer), media_type

    assert chosen(Negotiation()) == chosen(DefaultContentNegotiation())
