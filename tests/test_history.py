"""/api/v1/<collection>/<id>/history/: every version of a record, whoever made the change."""

import datetime
from decimal import Decimal

import pytest
from django.utils.dateparse import parse_datetime

from api import models as m
from tests.helpers import ADMISSIONS, API, KASANE, STALEMATE, problem, versions
from tests.writes import GRADED, KEYS, NEW, new_record

pytestmark = pytest.mark.django_db


def same(stored, sent) -> bool:
    """A stored value is the value sent (numbers compared as decimals: JSON has no decimals)."""
    if isinstance(sent, int | float) and not isinstance(sent, bool):
        return Decimal(str(stored)) == Decimal(str(sent))
    return stored == sent


def test_every_collection_of_the_api_has_a_new_record_here():
    assert set(NEW) == set(KEYS)


@pytest.mark.parametrize("collection", sorted(NEW))
def test_a_records_history_lists_its_versions_oldest_first_with_who_when_and_what(
    client, alice, collection
):
    slack = datetime.timedelta(seconds=5)  # the database's clock is not Python's
    before = datetime.datetime.now(datetime.UTC) - slack
    path = new_record(alice, collection)
    field, value = NEW[collection][1]
    response = alice.patch(path, {field: value})
    assert response.status_code == 200, response.content

    found = versions(client, path)
    created, *_, changed = found
    record_id = path.rstrip("/").rsplit("/", 1)[1]
    assert [entry["change"] for entry in found] == sorted(entry["change"] for entry in found)
    assert {entry["by"] for entry in found} == {"api:alice"}
    assert {(entry["collection"], entry["record_id"]) for entry in found} == {
        (collection, record_id)
    }
    moments = [parse_datetime(entry["at"]) for entry in found]
    assert moments == sorted(moments)
    after = datetime.datetime.now(datetime.UTC) + slack
    assert all(before <= moment <= after for moment in moments)

    assert (created["part"], created["action"], created["old"]) == ("record", "insert", None)
    assert str(created["new"][KEYS[collection]]) == record_id
    assert (changed["part"], changed["action"]) == ("record", "update")
    assert changed["changed"] == sorted([field, "updated_at"])
    # The full old values: the row as it was created, every column of it.
    assert changed["old"] == created["new"]
    assert same(changed["new"][field], value)
    assert {key: v for key, v in changed["new"].items() if key not in {field, "updated_at"}} == {
        key: v for key, v in changed["old"].items() if key not in {field, "updated_at"}
    }


@pytest.mark.parametrize("collection", sorted(NEW))
def test_a_deleted_records_history_ends_in_its_delete_with_its_last_values(
    client, alice, collection
):
    path = new_record(alice, collection)
    assert alice.delete(path).status_code == 204
    problem(client.get(path), 404)
    found = versions(client, path)
    created, deleted = found[0], found[-1]
    assert (created["part"], created["action"]) == ("record", "insert")
    assert (deleted["part"], deleted["action"], deleted["by"]) == ("record", "delete", "api:alice")
    assert deleted["new"] is None
    assert deleted["old"] == created["new"]
    assert deleted["changed"] == created["changed"]
    # Its parts went with it, each delete kept with the row it removed.
    inserted = sorted((e["part"], e["new"]["id"]) for e in found if e["action"] == "insert")
    removed = sorted((e["part"], e["old"]["id"]) for e in found if e["action"] == "delete")
    assert removed == inserted


def test_a_participants_code_finds_its_history_in_any_case(client):
    assert versions(client, f"{API}participants/za/") == versions(client, f"{API}participants/ZA/")


def test_a_new_records_parts_show_as_their_part(client, alice):
    parts = {entry["part"] for entry in versions(client, new_record(alice, "proposals"))}
    assert parts == {"record", "tabled_by", "topics", "sources", "positions", "positions.sources"}
    parts = {entry["part"] for entry in versions(client, new_record(alice, "participants"))}
    assert parts == {"record", "sources", "status_history", "status_history.sources"}
    parts = {entry["part"] for entry in versions(client, new_record(alice, "people"))}
    assert parts == {"record", "sources", "affiliations", "affiliations.sources"}
    parts = {entry["part"] for entry in versions(client, new_record(alice, "blocs"))}
    assert parts == {"record", "sources", "members"}


POSITION = {"participant": "ZA", "position": "abstain", **GRADED, "sources": [STALEMATE]}
PERIOD = {"status": "suspended", "start": "2030-01-01", "start_precision": "year", "end": None,
          "end_precision": None, **GRADED, "sources": [STALEMATE]}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "parts"),
    [
        (f"proposals/{ADMISSIONS}/", {"positions": [POSITION]}, {"positions", "positions.sources"}),
        ("participants/ZA/", {"status_history": [PERIOD]}, {"status_history",
                                                             "status_history.sources"}),
        (f"meetings/{KASANE}/", {"sources": [STALEMATE]}, {"sources"}),
    ],
    ids=["positions", "status_history", "sources"],
)  # fmt: skip
def test_a_change_to_a_part_shows_in_the_records_history_as_that_part(
    client, alice, path, body, parts
):
    path = API + path
    last = versions(client, path)[-1]["change"]
    assert alice.patch(path, body).status_code == 200
    new = [entry for entry in versions(client, path) if entry["change"] > last]
    assert {entry["by"] for entry in new} == {"api:alice"}
    assert {entry["part"] for entry in new} - {"record"} == parts
    # Parts that changed record the rows they added and the rows they removed, each in full.
    for entry in new:
        if entry["action"] == "insert":
            assert entry["old"] is None and entry["new"]
        if entry["action"] == "delete":
            assert entry["new"] is None and entry["old"]


def test_a_proposals_replaced_positions_keep_their_old_values(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    before = {p["participant"]: p["position"] for p in client.get(path).json()["positions"]}
    codes = dict(m.Participant.objects.values_list("id", "code"))
    last = versions(client, path)[-1]["change"]
    assert alice.patch(path, {"positions": [POSITION]}).status_code == 200
    new = [e for e in versions(client, path) if e["change"] > last and e["part"] == "positions"]
    removed = {codes[e["old"]["participant_id"]]: e["old"]["position"] for e in new
               if e["action"] == "delete"}  # fmt: skip
    added = {codes[e["new"]["participant_id"]]: e["new"]["position"] for e in new
             if e["action"] == "insert"}  # fmt: skip
    assert removed == before
    assert added == {"ZA": "abstain"}


def test_a_deleted_records_history_is_still_served_and_ends_in_its_delete(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    served = client.get(path).json()
    assert alice.delete(path).status_code == 204
    problem(client.get(path), 404)

    found = versions(client, path)
    assert found[0]["action"] == "insert" and found[0]["by"] == "command:load_reference"
    last = found[-1]
    assert (last["part"], last["action"], last["by"], last["new"]) == (
        "record", "delete", "api:alice", None,
    )  # fmt: skip
    assert last["old"]["slug"] == ADMISSIONS and last["old"]["title"] == served["title"]
    deleted = [entry for entry in found if entry["action"] == "delete"]
    assert sum(entry["part"] == "positions" for entry in deleted) == len(served["positions"])
    assert {entry["part"] for entry in deleted} == {
        "record", "positions", "positions.sources", "sources", "tabled_by", "topics",
    }  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["proposals/never-tabled/", "participants/QQ/", "statements/999999/", "production/999999/",
     "trade/999999/", "chairmanships/1999/", "sources/never-published/"],
)  # fmt: skip
def test_the_history_of_an_identifier_that_never_existed_is_a_404_problem(client, path):
    problem(client.get(f"{API}{path}history/"), 404)


def test_history_comes_in_pages(client):
    path = f"{API}proposals/{ADMISSIONS}/history/"
    whole = versions(client, f"{API}proposals/{ADMISSIONS}/")
    assert len(whole) > 5
    first = client.get(path, {"page_size": 2}).json()
    assert first["count"] == len(whole)
    assert first["results"] == whole[:2]
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["results"] == whole[2:4]
    pages = -(-len(whole) // 2)
    last = client.get(path, {"page_size": 2, "page": pages}).json()
    assert last["next"] is None and last["results"] == whole[(pages - 1) * 2 :]
    problem(client.get(path, {"page_size": 2, "page": pages + 1}), 404)


@pytest.mark.parametrize(
    ("params", "name"),
    [({"since": "1"}, "since"), ({"ordering": "-change"}, "ordering"), ({"fields": "by"}, "fields"),
     ({"page": "0"}, "page"), ({"page_size": "many"}, "page_size")],
)  # fmt: skip
def test_history_refuses_an_unknown_or_bad_parameter_naming_it(client, params, name):
    problem(client.get(f"{API}meetings/{KASANE}/history/", params), 400, name)


# --- revised statistics -------------------------------------------------------------------------


def test_a_revised_production_figure_keeps_its_old_carats_in_its_history(client, alice):
    figure = m.Production.objects.get(participant__code="BW", year=2009)
    path = f"{API}production/{figure.pk}/"
    response = alice.patch(path, {"carats": 17500000.25})
    assert response.status_code == 200, response.content
    assert client.get(path).json()["carats"] == 17500000.25
    last = versions(client, path)[-1]
    assert (last["part"], last["action"], last["by"]) == ("record", "update", "api:alice")
    assert last["changed"] == ["carats", "updated_at"]
    assert Decimal(str(last["old"]["carats"])) == figure.carats
    assert Decimal(str(last["new"]["carats"])) == Decimal("17500000.25")
    assert last["old"]["value_usd"] == last["new"]["value_usd"]
