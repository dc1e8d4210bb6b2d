"""Restoring deleted records from their history; identifiers never reused; the loader keeps
what editors did."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from knox.models import AuthToken

from api import history
from api import models as m
from tests.helpers import ADMISSIONS, ALICE, API, JCK, KASANE, etag, problem, versions
from tests.writes import NEW, new_record

pytestmark = pytest.mark.django_db

# A reference proposal with four positions that no statement refers to.
MOSCOW_ADMISSIONS = "2021-moscow-admissions"
TIMESTAMPS = {"created_at", "updated_at"}


def served(client, path: str) -> dict:
    """The record as a GET serves it, its timestamps aside (a restore may set them anew)."""
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {key: value for key, value in response.json().items() if key not in TIMESTAMPS}


def restore(client, path: str, **headers):
    return client.post(f"{path}restore/", headers=headers)


def reference_proposal(client, alice) -> str:
    return f"{API}proposals/{ADMISSIONS}/"


def participant_with_a_status_period(client, alice) -> str:
    path = new_record(alice, "participants")
    assert served(client, path)["status_history"][0]["status"] == "suspended"
    return path


def person_with_an_affiliation(client, alice) -> str:
    path = new_record(alice, "people")
    assert served(client, path)["affiliations"][0]["organisation"] == "ipis"
    return path


def reference_figure_with_reports(client, alice) -> str:
    figure = m.Production.objects.get(participant__code="AO", year=2014)
    assert figure.reports.count() == 2
    return f"{API}production/{figure.pk}/"


@pytest.mark.parametrize(
    "make",
    [reference_proposal, participant_with_a_status_period, person_with_an_affiliation,
     reference_figure_with_reports],
    ids=["proposal", "participant", "person", "production"],
)  # fmt: skip
def test_a_deleted_record_comes_back_whole_when_an_editor_restores_it(client, alice, make):
    path = make(client, alice)
    before = served(client, path)
    created = client.get(path).json()["created_at"]
    assert alice.delete(path).status_code == 204
    problem(client.get(path), 404)

    response = restore(client, path, **alice.auth)
    assert response.status_code == 201, response.content
    assert {k: v for k, v in response.json().items() if k not in TIMESTAMPS} == before
    assert response.json()["created_at"] == created  # a restored record keeps its birth
    assert response["Location"].endswith(path)
    assert served(client, path) == before
    assert response["ETag"] == etag(client, path)


@pytest.mark.parametrize("collection", sorted(NEW))
def test_a_new_record_of_any_collection_comes_back_as_it_was_when_restored(
    client, alice, collection
):
    path = new_record(alice, collection)
    before = served(client, path)
    assert alice.delete(path).status_code == 204
    response = restore(client, path, **alice.auth)
    assert response.status_code == 201, response.content
    assert served(client, path) == before


def test_a_restored_proposal_has_its_positions_and_their_sources_as_before(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    before = served(client, path)
    assert len(before["positions"]) == 3 and all(p["sources"] for p in before["positions"])
    assert alice.delete(path).status_code == 204
    assert restore(client, path, **alice.auth).status_code == 201
    after = served(client, path)
    assert after["positions"] == before["positions"]
    assert after["tally"] == before["tally"]
    assert (after["sources"], after["tabled_by"], after["topics"]) == (
        before["sources"], before["tabled_by"], before["topics"],
    )  # fmt: skip
    # It is found again by the filters that look at its parts.
    listed = client.get(f"{API}proposals/", {"supported_by": before["positions"][0]["participant"]})
    assert ADMISSIONS in [item["slug"] for item in listed.json()["results"]]


def test_a_restore_is_kept_in_the_records_history_after_its_delete(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    assert alice.delete(path).status_code == 204
    deleted = versions(client, path)
    assert restore(client, path, **alice.auth).status_code == 201
    found = versions(client, path)
    assert found[: len(deleted)] == deleted
    restored = found[len(deleted) :]
    (entry,) = restored  # one change: the restore
    assert (entry["action"], entry["by"], entry["via"]) == ("create", ALICE, "api")
    # Everything the delete removed is back, as it was.
    gone = deleted[-1]
    assert {name: v["new"] for name, v in entry["fields"].items()} == {
        name: v["old"] for name, v in gone["fields"].items()
    }
    assert {name: part["added"] for name, part in entry["parts"].items()} == {
        name: part["removed"] for name, part in gone["parts"].items()
    }


def test_a_restored_record_can_be_deleted_and_restored_again(client, alice):
    path = new_record(alice, "participants")
    before = served(client, path)
    for _ in range(2):
        assert alice.delete(path).status_code == 204
        assert restore(client, path, **alice.auth).status_code == 201
        assert served(client, path) == before


def test_a_restored_record_is_changed_like_any_other(client, alice):
    path = new_record(alice, "people")
    assert alice.delete(path).status_code == 204
    assert restore(client, path, **alice.auth).status_code == 201
    response = alice.patch(path, {"name": "Jane Restored"})
    assert response.status_code == 200, response.content
    assert versions(client, path)[-1]["fields"]["name"] == {
        "old": "Jane Tester", "new": "Jane Restored",
    }  # fmt: skip


def test_restoring_a_record_that_exists_is_a_409(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    before = served(client, path)
    problem(restore(client, path, **alice.auth), 409)
    assert alice.delete(path).status_code == 204
    assert restore(client, path, **alice.auth).status_code == 201
    problem(restore(client, path, **alice.auth), 409)
    assert served(client, path) == before


@pytest.mark.parametrize(
    "path",
    ["proposals/never-tabled/", "participants/QQ/", "statements/999999/", "production/999999/",
     "chairmanships/1999/", "sources/never-published/"],
)  # fmt: skip
def test_restoring_a_record_that_never_existed_is_a_404(client, alice, path):
    problem(restore(client, API + path, **alice.auth), 404)


def test_restoring_needs_an_editors_token(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    assert alice.delete(path).status_code == 204
    problem(restore(client, path), 401)
    reader = get_user_model().objects.create_user("bob")
    _, token = AuthToken.objects.create(reader)
    problem(restore(client, path, Authorization=f"Token {token}"), 403)
    problem(client.get(path), 404)
    assert versions(client, path)[-1]["action"] == "delete"


# --- identifiers are never reused ---------------------------------------------------------------


@pytest.mark.parametrize(
    "collection", ["participants", "organisations", "people", "blocs", "chairmanships", "meetings",
                   "proposals", "sources"],
)  # fmt: skip
def test_a_deleted_records_identifier_is_never_given_to_a_new_record(client, alice, collection):
    path = new_record(alice, collection)
    assert alice.delete(path).status_code == 204
    body, _ = NEW[collection]
    problem(alice.post(f"{API}{collection}/", body), 409)
    problem(client.get(path), 404)
    assert versions(client, path)[-1]["action"] == "delete"


def test_a_deleted_reference_proposals_slug_is_refused_to_a_new_proposal(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    assert alice.delete(path).status_code == 204
    body = {**NEW["proposals"][0], "slug": ADMISSIONS}
    problem(alice.post(f"{API}proposals/", body), 409)
    assert not m.Proposal.objects.filter(slug=ADMISSIONS).exists()


def test_a_deleted_participants_code_is_refused_in_any_case(client, alice):
    path = new_record(alice, "participants")
    assert alice.delete(path).status_code == 204
    body = NEW["participants"][0]
    body = {**body, "code": body["code"].lower()}
    problem(alice.post(f"{API}participants/", body), 409)


@pytest.mark.parametrize("collection", ["statements", "production", "trade"])
def test_a_new_record_never_gets_a_deleted_records_id(client, alice, collection):
    path = new_record(alice, collection)
    deleted = int(path.rstrip("/").rsplit("/", 1)[1])
    assert alice.delete(path).status_code == 204
    again = new_record(alice, collection)
    assert int(again.rstrip("/").rsplit("/", 1)[1]) > deleted
    problem(client.get(path), 404)
    assert versions(client, path)[-1]["action"] == "delete"


# --- the loader keeps what editors did ----------------------------------------------------------


def load_reference() -> str:
    out = StringIO()
    call_command("load_reference", stdout=out, stderr=StringIO())
    return out.getvalue()


def kept(output: str) -> int:
    found = re.search(r"(\d+) kept as editors left them", output)
    assert found, output
    return int(found.group(1))


def test_loading_the_reference_again_keeps_what_an_editor_changed_and_deleted(client, alice):
    meeting = f"{API}meetings/{KASANE}/"
    response = alice.patch(meeting, {"outcome": "An editor's account of the outcome."})
    assert response.status_code == 200, response.content
    proposal = f"{API}proposals/{MOSCOW_ADMISSIONS}/"
    positions = len(served(client, proposal)["positions"])
    assert positions == 4
    assert alice.delete(proposal).status_code == 204

    output = load_reference()
    assert served(client, meeting)["outcome"] == "An editor's account of the outcome."
    problem(client.get(proposal), 404)
    assert not m.Position.objects.filter(proposal__slug=MOSCOW_ADMISSIONS).exists()
    assert "0 created, 0 updated" in output
    assert kept(output) == 2 + positions  # the meeting, the proposal and its positions
    assert versions(client, proposal)[-1]["action"] == "delete"
    assert versions(client, meeting)[-1]["by"] == ALICE


def test_a_proposal_the_loader_kept_deleted_can_still_be_restored(client, alice):
    path = f"{API}proposals/{MOSCOW_ADMISSIONS}/"
    before = served(client, path)
    assert alice.delete(path).status_code == 204
    load_reference()
    assert restore(client, path, **alice.auth).status_code == 201
    assert served(client, path) == before


def first_statement() -> str:
    return str(m.Statement.objects.order_by("pk").first().pk)


# A reference record of each collection an editor may PATCH, and the change made to it.
EDITS = [
    ("participants", "ZA", "name", "Republic of South Africa"),
    ("organisations", "ipis", "acronym", "IPIS vzw"),
    ("people", "hans-merket", "name", "Hans Merket (IPIS)"),
    ("blocs", "western-bloc", "description", "As an editor put it."),
    ("chairmanships", "2024", "note", "As an editor put it."),
    ("proposals", ADMISSIONS, "outcome", "withdrawn"),
    ("sources", JCK, "title", "As an editor put it"),
    ("statements", first_statement, "speaker_role", "as an editor put it"),
]


@pytest.mark.parametrize(
    ("collection", "identifier", "field", "value"), EDITS, ids=[edit[0] for edit in EDITS]
)
def test_loading_again_keeps_a_reference_record_as_an_editor_changed_it(
    client, alice, collection, identifier, field, value
):
    identifier = identifier() if callable(identifier) else identifier
    path = f"{API}{collection}/{identifier}/"
    response = alice.patch(path, {field: value})
    assert response.status_code == 200, response.content
    output = load_reference()
    assert served(client, path)[field] == value
    assert kept(output) >= 1
    assert versions(client, path)[-1]["by"] == ALICE


def test_loading_again_does_not_bring_back_a_statement_an_editor_deleted(client, alice):
    statement = m.Statement.objects.order_by("pk").first()
    count = m.Statement.objects.count()
    assert alice.delete(f"{API}statements/{statement.pk}/").status_code == 204
    output = load_reference()
    assert m.Statement.objects.count() == count - 1
    assert not m.Statement.objects.filter(source=statement.source, text=statement.text).exists()
    assert "0 created" in output


def test_loading_again_does_not_bring_back_a_figure_an_editor_deleted(client, alice):
    figure = m.Production.objects.get(participant__code="AO", year=2014)
    assert alice.delete(f"{API}production/{figure.pk}/").status_code == 204
    output = load_reference()
    assert not m.Production.objects.filter(participant__code="AO", year=2014).exists()
    assert "0 created" in output


@pytest.mark.parametrize("model", [m.Production, m.Trade])
def test_loading_again_keeps_a_figure_an_editor_revised(client, model):
    figure = model.objects.exclude(participant=None).exclude(carats=None).order_by("pk").first()
    # What a PATCH by an editor writes (see api/editing.py), made without the API, whose PATCH
    # of a figure is refused (see the history tests).
    with transaction.atomic(), history.actor("api:alice"):
        figure.carats = 17500000
        figure.save()
    output = load_reference()
    figure.refresh_from_db()
    assert figure.carats == 17500000
    assert kept(output) >= 1


def test_changes_made_outside_the_api_are_repaired_by_the_loader_but_stay_in_the_history(client):
    path = f"{API}sources/{JCK}/"
    title = served(client, path)["title"]
    m.Source.objects.filter(slug=JCK).update(title="Retitled by a script")
    load_reference()
    assert served(client, path)["title"] == title
    found = versions(client, path)
    assert [(e["by"], e["via"], e["fields"]["title"]["new"]) for e in found[-2:]] == [
        (None, "database", "Retitled by a script"),
        ("load_reference", "command", title),
    ]


def test_a_restored_participant_is_again_a_member_of_its_blocs(client, alice):
    path = new_record(alice, "participants")
    bloc = new_record(alice, "blocs")
    code = path.rstrip("/").rsplit("/", 1)[1]
    members = served(client, bloc)["members"]
    assert alice.patch(bloc, {"members": [*members, code]}).status_code == 200
    before = served(client, path)
    assert before["blocs"] == ["testland-group"]
    assert alice.delete(path).status_code == 204
    assert restore(client, path, **alice.auth).status_code == 201
    assert served(client, path) == before
    assert code in served(client, bloc)["members"]


def test_a_source_that_records_cite_cannot_be_deleted_so_no_citation_is_lost(client, alice):
    source = new_record(alice, "sources")
    meeting = f"{API}meetings/{KASANE}/"
    cited = served(client, meeting)["sources"]
    slug = NEW["sources"][0]["slug"]
    assert alice.patch(meeting, {"sources": [*cited, slug]}).status_code == 200
    before = served(client, meeting)
    assert alice.delete(source).status_code == 409
    assert served(client, meeting)["sources"] == before["sources"]
