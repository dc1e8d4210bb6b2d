"""Writing every collection: POST creates, PATCH changes a field, PUT replaces, DELETE removes."""

import json

import pytest

from api import models as m
from tests.collections import NAMES
from tests.helpers import address, path_of, problem
from tests.writes import CASES, READ_ONLY, Case, create, fetch, send

pytestmark = pytest.mark.django_db

TIMESTAMPS = {"created_at", "updated_at"}


def as_sent(served: dict, sent: dict) -> dict:
    """The served values of the fields sent; a list of objects (a proposal's stands) keeps only
    the keys sent, since the API adds each stand's own `id` and `url`."""
    shown = {}
    for name, value in sent.items():
        got = served[name]
        if isinstance(value, list) and value and isinstance(value[0], dict):
            pairs = zip(got, value, strict=True)
            got = [{key: item[key] for key in wanted} for item, wanted in pairs]
        shown[name] = got
    return shown


def test_every_collection_has_its_case_here():
    assert [case.collection for case in CASES] == [n for n in NAMES if n not in READ_ONLY]


@pytest.mark.parametrize("collection", READ_ONLY)
def test_a_read_only_collection_refuses_every_write_with_a_405_problem(client, editor, collection):
    record = address(client.get(f"/api/v1/{collection}/").json()["results"][0])
    for method, path in (("POST", f"/api/v1/{collection}/"), ("PUT", record), ("PATCH", record),
                         ("DELETE", record)):  # fmt: skip
        body = problem(send(editor, method, path, {}, if_match="*"), 405)
        assert method in body["detail"], body
        assert "POST" not in client.options(path)["Allow"]


def leave_out(served: dict, errors: dict) -> dict:
    """The record without the fields the errors name, nested ones (`positions.3.id`) included."""
    body = json.loads(json.dumps(served))
    for name in errors:
        *path, field = name.split(".")
        part = body
        for step in path:
            part = part[int(step)] if step.isdigit() else part[step]
        del part[field]
    return body


def without(served: dict, *names: str) -> dict:
    return {key: value for key, value in served.items() if key not in names}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_post_creates_a_record_served_at_its_location_as_sent(editor, case: Case):
    response = send(editor, "POST", case.list, case.new)

    assert response.status_code == 201, response.content
    served = response.json()
    assert as_sent(served, case.new) == case.new
    assert response["Location"] == address(served)
    assert path_of(served).startswith(case.list)
    again, etag = fetch(response["Location"])
    assert again == served
    assert response["ETag"] == etag


@pytest.mark.parametrize("case", CASES, ids=str)
def test_patch_with_the_etag_of_a_get_changes_that_one_field(editor, case: Case):
    path = case.existing_path()
    before, etag = fetch(path)

    response = send(editor, "PATCH", path, case.patch, if_match=etag)

    assert response.status_code == 200, response.content
    served = response.json()
    assert {name: served[name] for name in case.patch} == case.patch
    assert without(served, *case.patch, *TIMESTAMPS) == without(before, *case.patch, *TIMESTAMPS)
    assert served["updated_at"] > before["updated_at"]
    again, fresh_etag = fetch(path)
    assert again == served
    assert response["ETag"] == fresh_etag != etag


@pytest.mark.parametrize("case", CASES, ids=str)
def test_put_replaces_the_record_with_what_was_sent(editor, case: Case):
    created = create(editor, case)
    path = path_of(created)
    _, etag = fetch(path)
    replacement = {**case.new, **case.put}

    response = send(editor, "PUT", path, replacement, if_match=etag)

    assert response.status_code == 200, response.content
    served = response.json()
    assert as_sent(served, replacement) == replacement
    assert path_of(served) == path
    assert served["created_at"] == created["created_at"]
    again, fresh_etag = fetch(path)
    assert again == served
    assert response["ETag"] == fresh_etag


@pytest.mark.parametrize("case", CASES, ids=str)
def test_put_needs_the_whole_record(editor, case: Case):
    path = case.existing_path()
    _, etag = fetch(path)

    response = send(editor, "PUT", path, case.patch, if_match=etag)

    body = problem(response, 400)
    required = {"sources"} if "sources" in case.new else {"source"}
    if case.collection == "sources":
        required = {"url"}
    assert required <= set(body["errors"]), body


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_record_put_back_without_what_the_service_sets_is_accepted_unchanged(editor, case: Case):
    # A client may GET a record, edit the JSON and PUT it back. The contract makes read-only
    # fields a 400 that names them: the client leaves out exactly those, and nothing changes.
    path = case.existing_path()
    before, etag = fetch(path)
    refused = send(editor, "PUT", path, before, if_match=etag)
    errors = problem(refused, 400)["errors"]
    assert {"created_at", "updated_at"} <= set(errors)
    assert set(map(tuple, errors.values())) == {("Set by the service: leave it out.",)}

    response = send(editor, "PUT", path, leave_out(before, errors), if_match=etag)

    assert response.status_code == 200, response.content
    assert without(response.json(), "updated_at") == without(before, "updated_at")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_delete_removes_the_record_and_a_get_then_finds_nothing(editor, case: Case):
    path = path_of(create(editor, case))
    _, etag = fetch(path)

    response = send(editor, "DELETE", path, if_match=etag)

    assert response.status_code == 204, response.content
    assert response.content == b""
    problem(editor.get(path), 404)


@pytest.mark.parametrize("case", [case for case in CASES if case.identifier], ids=str)
def test_the_identifier_of_a_deleted_record_is_never_given_to_a_new_one(editor, case: Case):
    path = path_of(create(editor, case))
    _, etag = fetch(path)
    assert send(editor, "DELETE", path, if_match=etag).status_code == 204

    body = problem(send(editor, "POST", case.list, case.new), 409)

    assert "restore" in body["detail"]
    problem(editor.get(path), 404)


def test_a_deleted_statements_id_is_never_given_to_a_new_statement(editor):
    case = next(case for case in CASES if case.collection == "statements")
    first = create(editor, case)
    path = path_of(first)
    _, etag = fetch(path)
    assert send(editor, "DELETE", path, if_match=etag).status_code == 204

    second = create(editor, case)

    assert second["id"] > first["id"]
    problem(editor.get(path), 404)


def test_a_write_is_signed_with_the_editors_name_in_the_history(editor):
    case = next(case for case in CASES if case.collection == "organisations")
    before = m.Change.objects.order_by("-id").values_list("id", flat=True).first() or 0

    create(editor, case)

    written = m.Change.objects.filter(id__gt=before)
    assert written.filter(collection="organisations", record_id=case.new["slug"]).exists()
    assert set(written.values_list("actor", flat=True)) == {"api:alice"}
