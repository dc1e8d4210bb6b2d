"""One test for each failure schemathesis (.ci/fuzz) has found, so none comes back."""

import json

import pytest

from tests.helpers import problem

pytestmark = pytest.mark.django_db


def test_a_percent_sign_in_a_code_filter_is_a_400_not_a_500(client):
    # django-filter formats error messages with %: a value holding one broke it.
    body = problem(client.get("/api/v1/proposals/", {"tabled_by": "%"}), 400)
    assert body["errors"]["tabled_by"] == [
        "Unknown participant code: %. Every one of the participants: /api/v1/participants/."
    ]
    problem(client.get("/api/v1/organisations/", {"kp_observer": "100%"}), 400)


VIEWS = ["/api/v1/meetings/", "/api/v1/", "/api/v1/export/", "/api/v1/changes/",
         "/api/v1/meetings/2022-plenary-gaborone/"]  # fmt: skip


@pytest.mark.parametrize("path", VIEWS)
def test_a_method_a_view_does_not_have_is_a_405_whatever_the_token(client, path):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Token nonsense"}):
        response = client.generic("TRACE", path, **headers)
        assert problem(response, 405)["status"] == 405


def test_a_body_that_is_not_json_is_a_400_before_if_match_is_weighed(client, editor_token):
    response = client.generic(
        "PATCH", "/api/v1/trade/1/", b"\x00\xff garbage", content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {editor_token}", HTTP_IF_MATCH='"stale"',
    )  # fmt: skip
    problem(response, 400)


def test_a_nul_character_anywhere_in_a_body_is_a_400_naming_where(client, editor_token):
    body = {"title": "fine", "positions": [{"participant": "US", "note": "bad\x00"}]}
    response = client.post(
        "/api/v1/proposals/", json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {editor_token}",
    )  # fmt: skip
    assert problem(response, 400)["errors"] == {
        "positions.0.note": ["Must not contain NUL characters."]
    }


def test_an_empty_parameter_is_a_400_not_a_silent_no_filter(client):
    body = problem(client.get("/api/v1/statements/", {"updated_since": ""}), 400)
    assert body["errors"] == {"updated_since": ["Give a value, or leave the parameter out."]}


READS = ["/api/v1/participants/ZA/", "/api/v1/positions/", "/api/v1/agreement/",
         "/api/v1/production/summary/"]  # fmt: skip


@pytest.mark.parametrize("path", READS)
def test_a_bad_bom_is_refused_on_any_read(client, path):
    # The agreement checked its parameters' names but not their values (schemathesis found it).
    assert problem(client.get(path, {"bom": "AAA"}), 400)["errors"] == {"bom": ["Use 1 or 0."]}
    assert client.get(path, {"bom": "false"}).status_code == 200


def test_a_missing_if_match_is_a_428(client, editor_token):
    response = client.delete("/api/v1/sources/0/", HTTP_AUTHORIZATION=f"Token {editor_token}")
    assert response.status_code == 404  # no such record comes first
    response = client.delete(
        "/api/v1/meetings/2022-plenary-gaborone/", HTTP_AUTHORIZATION=f"Token {editor_token}"
    )
    problem(response, 428)


@pytest.mark.parametrize("format", ["csv", "ndjson"])
def test_a_delete_asked_as_csv_or_ndjson_is_a_204_with_no_body(client, editor_token, format):
    # The CSV renderer was handed a 204's no-data and failed: a 500 after the delete.
    response = client.delete(
        f"/api/v1/trade/1/?format={format}",
        HTTP_AUTHORIZATION=f"Token {editor_token}",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 204 and response.content == b""
    assert client.get("/api/v1/trade/1/").status_code == 404


def test_a_restore_is_documented_as_the_201_it_answers(client, editor_token):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/trade/{id}/restore/"]["post"]["responses"]
    assert "201" in responses and "200" not in responses
    client.delete("/api/v1/trade/1/", HTTP_AUTHORIZATION=f"Token {editor_token}", HTTP_IF_MATCH="*")
    response = client.post("/api/v1/trade/1/restore/", HTTP_AUTHORIZATION=f"Token {editor_token}")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "path",
    ["/api/v1/agreement/?format=csv", "/api/v1/changes.atom", "/api/v1/statements.csv",
     "/api/v1/participants/ZA.ndjson"],
)  # fmt: skip
def test_options_describes_the_view_in_json_whatever_format_is_named(client, path):
    # OPTIONS rendered its description with the CSV or Atom renderer: a 500 (schemathesis).
    response = client.options(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"]
