"""Every bad input gets a clear problem-details answer: a 400 that names it, a 404 or a 406."""

import pytest
from django.test import Client

from api import models as m
from tests.helpers import problem

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_a_search_or_an_identifier_is_answered_cleanly(client):
    problem(client.get("/api/v1/statements/", {"search": "a\x00b"}), 400)
    problem(client.get("/api/v1/people/hans%00merket/"), 404)


def test_a_repeated_parameter_is_a_400_asking_for_commas(client):
    body = problem(client.get("/api/v1/statements/?participant=US&participant=EU"), 400)
    assert body["errors"]["participant"] == ["Give it once; separate several values with commas."]


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("statements", "date_after", "2024-13-01"),
        ("statements", "date_before", "yesterday"),
        ("meetings", "date_after", "99999-01-01"),
        ("participants", "as_of", "2014-02-30"),
        ("participants", "updated_since", "not-a-time"),
        ("meetings", "year", "99999999999999999999999"),
        ("chairmanships", "year_after", "-5"),
        ("production", "year", "2021.5"),
        ("participants", "kind", "planet"),
        ("proposals", "outcome", "adopted,maybe"),
        ("statements", "confidence", "certain"),
        ("statements", "participant", "XX"),
        ("statements", "speaker", "nobody-at-all"),
        ("proposals", "supported_by", "US,QQ"),
        ("organisations", "kp_observer", "perhaps"),
        ("statements", "ordering", "-nonsense"),
        ("statements", "fields", "text,nonsense"),
        ("statements", "expand", "text"),
        ("statements", "page", "0"),
        ("statements", "page", "abc"),
        ("statements", "page_size", "-1"),
    ],
)
def test_an_invalid_value_is_a_400_that_names_the_parameter(client, path, parameter, value):
    body = problem(client.get(f"/api/v1/{path}/", {parameter: value}), 400)
    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]


def test_unknown_codes_are_named_in_the_error(client):
    body = problem(client.get("/api/v1/statements/", {"participant": "us,xx,qq"}), 400)
    assert body["errors"]["participant"] == [
        "Unknown participant code: XX, QQ. Every one of the participants: /api/v1/participants/."
    ]


# Each collection's unknown identifiers: tests/test_collections.py.
@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/participants/"])
def test_an_unknown_address_is_a_404(client, path):
    problem(client.get(path), 404)


def test_an_unknown_identifier_is_named_in_the_404(client):
    body = problem(client.get("/api/v1/participants/xx/"), 404)
    assert body["detail"] == "No participant has the code XX."


def test_a_page_past_the_end_is_a_404_even_a_huge_one(client):
    problem(client.get("/api/v1/statements/", {"page": "3", "page_size": "100"}), 404)
    problem(client.get("/api/v1/statements/", {"page": "9" * 40}), 404)


def test_a_page_size_above_1000_is_capped_not_refused(client):
    m.Source.objects.bulk_create(
        m.Source(slug=f"bulk-{n}", url=f"https://example.org/bulk/{n}") for n in range(800)
    )
    response = client.get("/api/v1/sources/", {"page_size": "5000", "fields": "slug"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 1000 and len(body["results"]) == 1000
    huge = client.get("/api/v1/sources/", {"page_size": "9" * 40, "fields": "slug"})
    assert len(huge.json()["results"]) == 1000


def test_the_default_page_holds_50_rows(client):
    body = client.get("/api/v1/statements/").json()
    assert len(body["results"]) == 50 and body["count"] == m.Statement.objects.count()
    assert "page=2" in body["next"] and body["previous"] is None


def test_an_unknown_format_is_a_404_and_an_unservable_accept_a_406(client):
    problem(client.get("/api/v1/participants/", {"format": "xml"}), 404)
    problem(client.get("/api/v1/participants/", HTTP_ACCEPT="application/xml"), 406)


def test_writing_without_a_token_is_a_401_problem(client):
    response = client.post("/api/v1/participants/", {}, content_type="application/json")
    body = problem(response, 401)
    assert "token" in body["detail"].lower()
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_bad_host_header_is_a_400_problem(client):
    problem(client.get("/api/v1/", HTTP_HOST="evil.example.com"), 400)


def test_a_form_without_its_csrf_token_is_a_403_problem():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert "CSRF" in problem(response, 403)["detail"]


def test_a_form_too_large_outside_the_api_is_a_problem_too(client):
    # Django refuses it itself (RequestDataTooBig) before any view reads it.
    response = client.post("/admin/login/", {"username": "x" * (2 * 1024 * 1024)})
    problem(response, 400)


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_a_body_nested_however_deep_is_a_400(editor, depth):
    body = "[" * depth + "]" * depth
    response = editor.post("/api/v1/sources/", data=body, content_type="application/json")
    assert "nested deeper" in problem(response, 400)["detail"]
    deep_object = '{"a":' * depth + "1" + "}" * depth
    response = editor.post("/api/v1/sources/", data=deep_object, content_type="application/json")
    problem(response, 400)
