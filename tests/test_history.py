"""/api/v1/<collection>/<id>/history/: every change of a record, one entry per change a person
made, in the API's own terms: who (a public name), when (ISO 8601 UTC), what (old and new)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from tests.helpers import ADMISSIONS, ALICE, API, KASANE, STALEMATE, problem, versions
from tests.writes import GRADED, KEYS, NEW, READ_ONLY, new_record

pytestmark = pytest.mark.django_db
ISO_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"


def same(stored, sent) -> bool:
    """A stored value is the value sent (numbers compared as decimals: JSON has no decimals)."""
    if isinstance(sent, int | float) and not isinstance(sent, bool):
        return Decimal(str(stored)) == Decimal(str(sent))
    return stored == sent


def moment(entry) -> datetime.datetime:
    assert entry["at"].endswith("Z"), entry["at"]
    return datetime.datetime.fromisoformat(entry["at"])


def test_every_collection_of_the_api_has_a_new_record_here():
    assert set(NEW) == set(KEYS) - set(READ_ONLY)


@pytest.mark.parametrize("collection", sorted(NEW))
def test_a_records_history_lists_its_changes_oldest_first_with_who_when_and_what(
    client, alice, collection
):
    slack = datetime.timedelta(seconds=5)  # the database's clock is not Python's
    before = datetime.datetime.now(datetime.UTC) - slack
    path = new_record(alice, collection)
    served = client.get(path).json()
    field, value = NEW[collection][1]
    response = alice.patch(path, {field: value})
    assert response.status_code == 200, response.content

    created, changed = versions(client, path)  # one entry per change an editor made
    record_id = path.rstrip("/").rsplit("/", 1)[1]
    assert created["change"] < changed["change"]
    for entry in (created, changed):
        assert (entry["by"], entry["via"]) == (ALICE, "api")
        assert (entry["collection"], entry["record"]) == (collection, record_id)
        assert entry["url"] == f"http://testserver{path}"
    moments = [moment(created), moment(changed)]
    assert before <= moments[0] <= moments[1] <= datetime.datetime.now(datetime.UTC) + slack

    # Created: every field as the API serves it, nothing before.
    assert created["action"] == "create"
    assert {values["old"] for values in created["fields"].values()} == {None}
    for name, values in created["fields"].items():
        if name in served and not isinstance(served[name], list | dict):
            assert same(values["new"], served[name]) if values["new"] is not None else True, name
    # Changed: that field alone, old and new (no timestamps, no keys).
    assert changed["action"] == "update" and changed["parts"] == {}
    assert list(changed["fields"]) == [field]
    assert same(changed["fields"][field]["new"], value)
    assert changed["fields"][field]["old"] == created["fields"][field]["new"]
    assert f"{record_id}: {field} " in changed["summary"]


@pytest.mark.parametrize("collection", sorted(NEW))
def test_a_deleted_records_history_ends_in_its_delete_with_its_last_values(
    client, alice, collection
):
    path = new_record(alice, collection)
    assert alice.delete(path).status_code == 204
    problem(client.get(path), 404)
    created, deleted = versions(client, path)
    assert (deleted["action"], deleted["by"]) == ("delete", ALICE)
    assert {values["new"] for values in deleted["fields"].values()} == {None}
    last = {name: values["old"] for name, values in deleted["fields"].items()}
    assert last == {name: values["new"] for name, values in created["fields"].items()}
    # Its parts went with it, each as it was.
    assert {name: part["removed"] for name, part in deleted["parts"].items()} == {
        name: part["added"] for name, part in created["parts"].items()
    }
    assert deleted["summary"] == f"{collection} {path.rstrip('/').rsplit('/', 1)[1]} deleted"


def test_a_participants_code_finds_its_history_in_any_case(client):
    assert versions(client, f"{API}participants/za/") == versions(client, f"{API}participants/ZA/")


@pytest.mark.parametrize(
    ("collection", "links", "parts"),
    [
        ("proposals", {"tabled_by", "topics", "sources"}, {"positions"}),
        ("participants", {"sources"}, {"status_history"}),
        ("people", {"sources"}, {"affiliations"}),
        ("blocs", {"sources", "members"}, set()),
    ],
)
def test_a_new_records_links_are_lists_of_identifiers_and_its_parts_rows(
    client, alice, collection, links, parts
):
    (created,) = versions(client, new_record(alice, collection))
    for name in links:
        listed = created["fields"][name]["new"]
        assert listed and all(isinstance(item, str) for item in listed), name
    assert set(created["parts"]) == parts
    for name in parts:
        for row in created["parts"][name]["added"]:
            assert "sources" in row and "id" not in row
            assert not any(key.endswith("_id") for key in row)


POSITION = {"participant": "ZA", "position": "abstain", **GRADED, "sources": [STALEMATE]}
PERIOD = {"status": "suspended", "start": "2030-01-01", "start_precision": "year", "end": None,
          "end_precision": None, **GRADED, "sources": [STALEMATE]}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "parts", "fields"),
    [
        (f"proposals/{ADMISSIONS}/", {"positions": [POSITION]}, {"positions"}, set()),
        ("participants/ZA/", {"status_history": [PERIOD]}, {"status_history"}, set()),
        (f"meetings/{KASANE}/", {"sources": [STALEMATE]}, set(), {"sources"}),
    ],
    ids=["positions", "status_history", "sources"],
)  # fmt: skip
def test_a_change_to_a_part_is_one_entry_naming_that_part(client, alice, path, body, parts, fields):
    path = API + path
    last = versions(client, path)[-1]["change"]
    served = client.get(path).json()
    assert alice.patch(path, body).status_code == 200
    (entry,) = [entry for entry in versions(client, path) if entry["change"] > last]
    assert (entry["action"], entry["by"], entry["via"]) == ("update", ALICE, "api")
    assert set(entry["parts"]) == parts
    assert set(entry["fields"]) == fields
    if fields:
        assert entry["fields"]["sources"]["new"] == [STALEMATE]
        assert entry["fields"]["sources"]["old"] == sorted(served["sources"])


def test_a_proposals_replaced_positions_keep_their_old_values(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    before = {p["participant"]: p["position"] for p in client.get(path).json()["positions"]}
    assert "ZA" not in before
    last = versions(client, path)[-1]["change"]
    assert alice.patch(path, {"positions": [POSITION]}).status_code == 200
    (entry,) = [e for e in versions(client, path) if e["change"] > last]
    positions = entry["parts"]["positions"]
    assert {p["participant"]: p["position"] for p in positions["removed"]} == before
    assert [(p["participant"], p["position"]) for p in positions["added"]] == [("ZA", "abstain")]
    assert positions["changed"] == []


def test_a_deleted_records_history_is_still_served_and_ends_in_its_delete(client, alice):
    path = f"{API}proposals/{ADMISSIONS}/"
    served = client.get(path).json()
    assert alice.delete(path).status_code == 204
    problem(client.get(path), 404)

    found = versions(client, path)
    first, last = found[0], found[-1]
    assert (first["action"], first["by"], first["via"]) == ("create", "load_reference", "command")
    assert (last["action"], last["by"], last["via"]) == ("delete", ALICE, "api")
    old = {name: values["old"] for name, values in last["fields"].items()}
    for name in ("title", "summary", "meeting", "tabled_on", "tabled_on_precision", "topics",
                 "tabled_by", "sources", "outcome", "decision_rule"):  # fmt: skip
        assert old[name] == served[name], name
    removed = last["parts"]["positions"]["removed"]
    assert sorted((p["participant"], p["position"]) for p in removed) == sorted(
        (p["participant"], p["position"]) for p in served["positions"]
    )


@pytest.mark.parametrize(
    "path",
    ["proposals/never-tabled/", "participants/QQ/", "statements/999999/", "production/999999/",
     "trade/999999/", "chairmanships/1999/", "sources/never-published/"],
)  # fmt: skip
def test_the_history_of_an_identifier_that_never_existed_is_a_404_problem(client, path):
    problem(client.get(f"{API}{path}history/"), 404)


def test_history_comes_in_pages(client, alice):
    path = f"{API}meetings/{KASANE}/"
    for outcome in ("One", "Two", "Three", "Four", "Five"):
        assert alice.patch(path, {"outcome": outcome}).status_code == 200
    whole = versions(client, path)
    assert len(whole) == 6
    first = client.get(f"{path}history/", {"page_size": 2}).json()
    assert first["count"] == len(whole)
    assert first["results"] == whole[:2]
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["results"] == whole[2:4]
    last = client.get(f"{path}history/", {"page_size": 2, "page": 3}).json()
    assert last["next"] is None and last["results"] == whole[4:]
    problem(client.get(f"{path}history/", {"page_size": 2, "page": 4}), 404)


@pytest.mark.parametrize(
    ("params", "name"),
    [({"since": "1"}, "since"), ({"ordering": "-change"}, "ordering"), ({"fields": "by"}, "fields"),
     ({"page": "0"}, "page"), ({"page_size": "many"}, "page_size")],
)  # fmt: skip
def test_history_refuses_an_unknown_or_bad_parameter_naming_it(client, params, name):
    problem(client.get(f"{API}meetings/{KASANE}/history/", params), 400, name)


def test_a_save_that_alters_nothing_is_no_change(client, alice):
    path = f"{API}meetings/{KASANE}/"
    found = versions(client, path)
    served = client.get(path).json()
    assert alice.patch(path, {"outcome": served["outcome"]}).status_code == 200
    m.Meeting.objects.get(slug=KASANE).save()  # moves updated_at only
    assert versions(client, path) == found


def cold_queries(client, path: str) -> int:
    """The queries a record's history costs with nothing kept from an earlier answer."""
    for kept in caches.all():
        kept.clear()
    with CaptureQueriesContext(connection) as done:
        assert client.get(f"{path}history/").status_code == 200
    return len(done.captured_queries)


def test_a_records_history_runs_a_fixed_number_of_queries(client, alice):
    path = f"{API}meetings/{KASANE}/"
    assert alice.patch(path, {"outcome": "Zero"}).status_code == 200
    few = cold_queries(client, path)
    for outcome in ("One", "Two", "Three", "Four", "Five"):
        assert alice.patch(path, {"outcome": outcome}).status_code == 200
    assert len(versions(client, path)) == 7
    assert cold_queries(client, path) == few


# --- revised statistics -------------------------------------------------------------------------


def test_a_revised_production_figure_keeps_its_old_carats_in_its_history(client, alice):
    figure = m.Production.objects.get(participant__code="BW", year=2009)
    path = f"{API}production/{figure.pk}/"
    response = alice.patch(path, {"carats": 17500000.25})
    assert response.status_code == 200, response.content
    assert client.get(path).json()["carats"] == 17500000.25
    last = versions(client, path)[-1]
    assert (last["action"], last["by"]) == ("update", ALICE)
    assert list(last["fields"]) == ["carats"]
    assert Decimal(str(last["fields"]["carats"]["old"])) == figure.carats
    assert Decimal(str(last["fields"]["carats"]["new"])) == Decimal("17500000.25")
