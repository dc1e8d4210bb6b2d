"""Who may write and how: editors' tokens, If-Match, and no query parameters on a write."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from knox.models import AuthToken

from api import models as m
from api.auth import EDITORS
from tests.helpers import API, problem
from tests.writes import BY_NAME, create, fetch, send

pytestmark = pytest.mark.django_db

ORGANISATIONS = BY_NAME["organisations"]
IPIS = f"{API}organisations/ipis/"


def create_editor(username: str) -> tuple[str, str]:
    """Run the command; the token on the last line of stdout, and what stderr said."""
    out, err = io.StringIO(), io.StringIO()
    call_command("create_editor", username, stdout=out, stderr=err)
    return out.getvalue().strip().splitlines()[-1], err.getvalue()


def post_with(authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return Client(headers=headers).post(
        ORGANISATIONS.list, ORGANISATIONS.new, content_type="application/json"
    )


# --- tokens -----------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_an_editors_token_is_taken_under_the_token_or_the_bearer_scheme(editor_token, scheme):
    response = post_with(f"{scheme} {editor_token}")

    assert response.status_code == 201, response.content
    assert m.Organisation.objects.filter(slug=ORGANISATIONS.new["slug"]).exists()


def test_writing_without_a_token_is_a_401_that_says_how_to_authenticate():
    body = problem(post_with(None), 401)

    assert "token" in body["detail"].lower()
    assert not m.Organisation.objects.filter(slug=ORGANISATIONS.new["slug"]).exists()


@pytest.mark.parametrize(
    "authorization",
    [
        "Token",
        "Token not-a-token",
        "Token " + "g" * 64,
        "Token " + "0" * 64,  # well formed, but no such token
        "Bearer " + "0" * 63,
        "Token a b",
        "Basic YWxpY2U6c2VjcmV0",
    ],
    ids=["no-key", "garbage", "not-hex", "unknown", "short", "two-keys", "basic"],
)
def test_a_malformed_or_unknown_token_is_a_401(authorization):
    response = post_with(authorization)

    problem(response, 401)
    assert "Token" in response["WWW-Authenticate"]
    assert not m.Organisation.objects.filter(slug=ORGANISATIONS.new["slug"]).exists()


def test_a_revoked_token_is_a_401(editor_token):
    AuthToken.objects.filter(user__username="alice").delete()

    problem(post_with(f"Token {editor_token}"), 401)
    assert not m.Organisation.objects.filter(slug=ORGANISATIONS.new["slug"]).exists()


def test_a_valid_token_of_a_user_who_is_not_an_editor_is_a_403(reader_token):
    body = problem(post_with(f"Token {reader_token}"), 403)

    assert "editor" in body["detail"].lower()
    assert not m.Organisation.objects.filter(slug=ORGANISATIONS.new["slug"]).exists()


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_a_user_who_is_not_an_editor_cannot_change_or_delete_a_record(reader, method):
    before, etag = fetch(IPIS)

    problem(send(reader, method, IPIS, {**before, "name": "Renamed"}, if_match=etag), 403)

    assert fetch(IPIS) == (before, etag)


def test_a_read_needs_no_token_and_a_readers_token_reads_as_well(reader):
    assert Client().get(IPIS).status_code == 200
    assert reader.get(IPIS).status_code == 200
    assert Client().get(f"{API}organisations/").status_code == 200


def test_tokens_are_stored_hashed_so_the_token_appears_nowhere_in_the_table(editor_token):
    rows = list(AuthToken.objects.values())

    assert rows
    for row in rows:
        for value in row.values():
            assert editor_token not in str(value)


def test_create_editor_prints_a_token_that_works_and_makes_an_editor():
    token, said = create_editor("carol")

    carol = get_user_model().objects.get(username="carol")
    assert carol.groups.filter(name=EDITORS).exists()
    assert not carol.has_usable_password()
    assert "Created" in said
    assert post_with(f"Bearer {token}").status_code == 201


def test_create_editor_for_an_existing_user_promotes_them_with_a_new_token(reader_token):
    problem(post_with(f"Token {reader_token}"), 403)

    token, said = create_editor("bob")

    assert token != reader_token
    assert "Promoted" in said
    assert get_user_model().objects.filter(username="bob").count() == 1
    assert post_with(f"Token {token}").status_code == 201


def test_create_editor_run_twice_prints_a_fresh_token_each_time(editor_token):
    again, _ = create_editor("alice")

    assert again != editor_token
    assert AuthToken.objects.filter(user__username="alice").count() == 2


@pytest.mark.parametrize("username", ["", "   ", "x" * 151])
def test_create_editor_refuses_an_empty_or_overlong_user_name(username):
    users = get_user_model().objects.count()

    with pytest.raises(CommandError):
        create_editor(username)

    assert get_user_model().objects.count() == users


# --- If-Match ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_change_without_if_match_is_a_428_and_changes_nothing(editor, method):
    before, etag = fetch(IPIS)

    body = problem(send(editor, method, IPIS, {**before, "name": "Renamed"}), 428)

    assert "If-Match" in body["detail"]
    assert fetch(IPIS) == (before, etag)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_change_with_a_stale_etag_is_a_412_and_changes_nothing(editor, method):
    before, stale = fetch(IPIS)
    assert send(editor, "PATCH", IPIS, {"acronym": "IPIS vzw"}, if_match=stale).status_code == 200
    now, etag = fetch(IPIS)

    problem(send(editor, method, IPIS, {**before, "name": "Renamed"}, if_match=stale), 412)

    assert fetch(IPIS) == (now, etag)


def test_a_second_patch_with_the_etag_of_the_first_answer_succeeds(editor):
    _, etag = fetch(IPIS)
    first = send(editor, "PATCH", IPIS, {"acronym": "IPIS vzw"}, if_match=etag)

    second = send(editor, "PATCH", IPIS, {"name": "IPIS"}, if_match=first["ETag"])

    assert second.status_code == 200, second.content
    assert second.json()["acronym"] == "IPIS vzw"


def test_an_etag_made_up_or_weak_is_a_412(editor):
    _, etag = fetch(IPIS)

    for given in ['"0123456789abcdef"', f"W/{etag}", etag.strip('"')]:
        problem(send(editor, "PATCH", IPIS, {"name": "Renamed"}, if_match=given), 412)


def test_if_match_may_list_several_etags_one_of_them_current(editor):
    _, etag = fetch(IPIS)

    response = send(editor, "PATCH", IPIS, {"name": "IPIS"}, if_match=f'"stale", {etag}')

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_if_match_star_is_accepted(editor, method):
    path = f"{API}organisations/{create(editor, ORGANISATIONS)['slug']}/"

    response = send(editor, method, path, {"name": "Renamed"}, if_match="*")

    assert response.status_code in {200, 204}, response.content


def test_a_change_to_an_unknown_record_is_a_404_even_without_if_match(editor):
    problem(send(editor, "PATCH", f"{API}organisations/no-such-body/", {"name": "x"}), 404)


def test_a_participant_is_changed_at_its_code_in_any_case(editor):
    _, etag = fetch(f"{API}participants/ZA/")

    response = send(editor, "PATCH", f"{API}participants/za/", {"note": "Patched."}, if_match=etag)

    assert response.status_code == 200, response.content
    assert response.json()["code"] == "ZA"


# --- query parameters -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["?dry_run=1", "?fields=slug", "?page=2"])
def test_a_post_with_query_parameters_is_a_400_and_creates_nothing(editor, query):
    body = problem(send(editor, "POST", ORGANISATIONS.list + query, ORGANISATIONS.new), 400)

    assert query[1:].split("=")[0] in body["errors"]
    assert not m.Organisation.objects.filter(slug=ORGANISATIONS.new["slug"]).exists()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_change_with_query_parameters_is_a_400_and_changes_nothing(editor, method):
    before, etag = fetch(IPIS)

    response = send(editor, method, f"{IPIS}?force=1", {**before, "name": "x"}, if_match=etag)

    assert "force" in problem(response, 400)["errors"]
    assert fetch(IPIS) == (before, etag)


def test_a_write_may_choose_the_format_of_its_answer(editor):
    # `format` is the one parameter every operation takes: it picks the answer's format.
    response = send(editor, "POST", ORGANISATIONS.list + "?format=json", ORGANISATIONS.new)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
