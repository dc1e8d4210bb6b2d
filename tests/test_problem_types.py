"""Each problem's `type` is a page of this service that says what it means and what to do."""

import pytest

from api.problems import TYPES
from tests.helpers import problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", sorted(TYPES))
def test_every_problem_type_url_answers_with_what_it_means(client, code):
    name, _ = TYPES[code]
    response = client.get(f"/problems/{name}")
    assert response.status_code == 200
    body = response.json()
    assert (body["type"], body["status"]) == (f"/problems/{name}", code)
    assert len(body["description"]) > 20


def test_the_types_of_real_errors_answer_and_are_listed(client, editor):
    answers = [
        (client.get("/api/v1/statements/", {"nope": "1"}), 400),
        (client.get("/api/v1/participants/XX/"), 404),
        (client.get("/no/such/page"), 404),
        (client.generic("TRACE", "/api/v1/meetings/"), 405),
        (editor.delete("/api/v1/meetings/2022-plenary-gaborone/"), 428),
    ]
    listed = {entry["type"] for entry in client.get("/problems/").json()["results"]}
    for response, status in answers:
        kind = problem(response, status)["type"]
        assert kind in listed
        assert client.get(kind).json()["status"] == status


def test_an_unknown_problem_type_is_a_404_problem(client):
    problem(client.get("/problems/no-such-problem"), 404)
