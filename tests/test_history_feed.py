"""/api/v1/changes/: the feed of every change across collections, oldest first, for mirrors.

The feed serves committed changes only (on PostgreSQL it holds back those of transactions still
running), so the tests that follow it past new changes write as a server does, committing each
request, through the `committed` fixture, which removes what they wrote afterwards. The others
run, as usual, in a transaction rolled back after the test.
"""

import datetime
import time

import pytest
from django.db import connection, connections

from api import models as m
from tests.feeds import (
    CHANGES,
    PREFIX,
    changes,
    follow,
    last_change,
    new_source,
    numbers,
    page,
    served_through,
)
from tests.helpers import ALICE, API, problem

# --- following the feed -------------------------------------------------------------------------


def test_following_next_with_small_pages_visits_each_new_change_once_in_order(
    client, committed, alice
):
    paths = [new_source(alice, name) for name in ("one", "two", "three")]
    assert alice.patch(paths[0], {"title": "Retitled"}).status_code == 200
    assert alice.delete(paths[1]).status_code == 204
    made = list(m.Change.objects.filter(id__gt=committed).values_list("id", flat=True))
    assert len(made) == 5
    served_through(client, made[-1])

    entries, last = follow(client, CHANGES, {"since": committed, "page_size": 2})
    assert numbers(entries) == made
    assert [(e["record"], e["action"]) for e in entries] == [
        (f"{PREFIX}one", "create"),
        (f"{PREFIX}two", "create"),
        (f"{PREFIX}three", "create"),
        (f"{PREFIX}one", "update"),
        (f"{PREFIX}two", "delete"),
    ]
    assert {(e["collection"], e["by"], e["via"]) for e in entries} == {("sources", ALICE, "api")}
    assert last["next"] is None


def test_every_page_holds_at_most_page_size_changes_and_next_carries_on_after_it(
    client, committed, alice
):
    for name in ("one", "two", "three", "four", "five"):
        new_source(alice, name)
    served_through(client, last_change())
    body = page(client, CHANGES, {"since": committed, "page_size": 2})
    seen = []
    while True:
        assert len(body["results"]) <= 2
        seen += numbers(body["results"])
        if body["next"] is None:
            break
        assert f"since={seen[-1]}" in body["next"] and "page_size=2" in body["next"]
        body = page(client, body["next"])
    assert (
        seen
        == sorted(set(seen))
        == list(m.Change.objects.filter(id__gt=committed).values_list("id", flat=True))
    )


def test_following_next_from_the_start_visits_every_change_exactly_once(client, committed, alice):
    new_source(alice, "one")
    assert alice.delete(f"{API}sources/{PREFIX}one/").status_code == 204
    served_through(client, last_change())
    entries, last = follow(client, CHANGES, {"page_size": 1000})
    assert numbers(entries) == changes()
    assert (entries[0]["by"], entries[0]["via"]) == ("load_reference", "command")
    made = list(m.Change.objects.filter(id__gt=committed).values_list("id", flat=True))
    assert len(made) == 2 and numbers(entries)[-2:] == made
    assert last["next"] is None


def test_a_deleted_record_is_a_tombstone_holding_its_last_values(client, committed, alice):
    path = new_source(alice, "gone")
    assert alice.patch(path, {"title": "Its last title"}).status_code == 200
    assert alice.delete(path).status_code == 204
    served_through(client, last_change())
    entries, _ = follow(client, CHANGES, {"since": committed})
    created, changed, deleted = entries
    assert (deleted["collection"], deleted["record"]) == ("sources", f"{PREFIX}gone")
    assert deleted["action"] == "delete"
    assert {values["new"] for values in deleted["fields"].values()} == {None}
    assert deleted["fields"]["title"]["old"] == changed["fields"]["title"]["new"]
    assert deleted["fields"]["title"]["old"] == "Its last title"
    assert set(deleted["fields"]) == set(created["fields"])  # every field, as last served


def test_at_the_end_next_is_null_and_poll_brings_the_changes_made_later(client, committed, alice):
    new_source(alice, "before")
    before = last_change()
    served_through(client, before)
    _, end = follow(client, CHANGES, {"since": committed, "page_size": 10})
    assert end["next"] is None
    assert page(client, end["poll"])["results"] == []

    path = new_source(alice, "after")
    assert alice.delete(path).status_code == 204
    later = list(m.Change.objects.filter(id__gt=before).values_list("id", flat=True))
    served_through(client, later[-1])
    entries, again = follow(client, end["poll"])
    assert numbers(entries) == later
    assert [(e["record"], e["action"]) for e in entries] == [
        (f"{PREFIX}after", "create"),
        (f"{PREFIX}after", "delete"),
    ]
    assert again["next"] is None
    assert page(client, again["poll"])["results"] == []


def test_since_a_moment_serves_the_changes_made_from_then_on(client, committed, alice):
    new_source(alice, "earlier")
    time.sleep(0.05)
    moment = datetime.datetime.now(datetime.UTC)
    time.sleep(0.05)
    new_source(alice, "later")
    served_through(client, last_change())
    stamp = moment.isoformat().replace("+00:00", "Z")
    entries, _ = follow(client, CHANGES, {"since": stamp, "page_size": 1})
    assert [entry["record"] for entry in entries] == [f"{PREFIX}later"]
    # The same moment in another time zone.
    elsewhere = moment.astimezone(datetime.timezone(datetime.timedelta(hours=2))).isoformat()
    assert follow(client, CHANGES, {"since": elsewhere})[0] == entries


@pytest.mark.postgresql
def test_a_change_committed_late_by_an_older_transaction_is_never_skipped(client, committed, alice):
    """A mirror that follows `poll` gets every change, whatever order transactions commit in."""
    new_source(alice, "locked")
    served_through(client, last_change())
    start = last_change()
    editing, creating = (connections.create_connection("default") for _ in range(2))
    try:
        for other in (editing, creating):
            other.set_autocommit(False)
        with editing.cursor() as cursor:  # an editor's PATCH locks the record first...
            cursor.execute("SELECT set_config('kpdata.actor', 'api:ana', true)")
            cursor.execute(
                "SELECT txid_current() FROM api_source WHERE slug = %s FOR UPDATE",
                [f"{PREFIX}locked"],
            )
            (older,) = cursor.fetchone()
        with creating.cursor() as cursor:  # ...meanwhile another editor creates a record...
            cursor.execute("SELECT set_config('kpdata.actor', 'api:ben', true)")
            cursor.execute(
                "INSERT INTO api_source (created_at, updated_at, confidence, note, slug, url, "
                "kind, title, publisher, author) VALUES (now(), now(), 'single_source', '', %s, "
                "%s, 'news', '', '', '')",
                [f"{PREFIX}created", f"https://example.org/{PREFIX}created"],
            )
        # ...and commits first (every writer bumps the dataset's version, api/history.py, so
        # two writers take turns: the younger one commits before the older one writes).
        creating.commit()
        seen, end = follow(client, CHANGES, {"since": start})  # held back: the older runs
        with editing.cursor() as cursor:  # the older transaction writes and commits late
            cursor.execute(
                "UPDATE api_source SET title = 'Edited' WHERE slug = %s", [f"{PREFIX}locked"]
            )
        editing.commit()
        # Wait for the transactions older than the editor's to end (other test runs').
        deadline = time.monotonic() + 60
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT txid_snapshot_xmin(txid_current_snapshot())")
                if cursor.fetchone()[0] > older or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        served_through(client, last_change())
        later, _ = follow(client, end["poll"])
    finally:
        for other in (editing, creating):
            other.rollback()
            other.close()
    made = list(m.Change.objects.filter(id__gt=start).values_list("id", flat=True))
    assert len(made) == 2
    # Each served once; in the order of their transactions, the older one's first.
    assert seen == []
    assert sorted(numbers(later)) == made
    assert numbers(later)[0] == made[-1]


# --- parameters ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feed_starts_with_the_reference_records_signed_by_the_loader(client):
    body = page(client, CHANGES, {"page_size": 3})
    first = changes()[:3]
    assert numbers(body["results"]) == first
    assert {(e["by"], e["via"]) for e in body["results"]} == {("load_reference", "command")}
    assert {entry["action"] for entry in body["results"]} == {"create"}
    assert body["next"] == body["poll"]
    assert f"since={first[2]}" in body["next"]


@pytest.mark.django_db
def test_an_entry_says_what_changed_in_which_record_and_who_changed_it(client):
    entry = page(client, CHANGES, {"page_size": 1})["results"][0]
    assert set(entry) == {
        "change", "at", "by", "via", "collection", "record", "url", "action", "fields", "parts",
        "summary",
    }  # fmt: skip
    served = client.get(entry["url"]).json()
    assert entry["record"] == served["slug"]
    assert {name: values["new"] for name, values in entry["fields"].items()} == {
        name: served[name] for name in entry["fields"]
    }
    assert entry["summary"] == f"{entry['collection']} {entry['record']} created"


@pytest.mark.django_db
def test_since_a_change_number_serves_the_changes_after_it(client):
    ids = changes()[:6]
    body = page(client, CHANGES, {"since": ids[2], "page_size": 3})
    assert numbers(body["results"]) == ids[3:6]


@pytest.mark.django_db
def test_since_the_last_change_serves_nothing_yet_and_polls_the_same_place(client):
    last = last_change()
    body = page(client, CHANGES, {"since": last})
    assert body["results"] == [] and body["next"] is None
    assert f"since={last}" in body["poll"]


@pytest.mark.django_db
def test_since_a_moment_to_come_serves_nothing_and_polls_from_that_moment(client):
    body = page(client, CHANGES, {"since": "2999-01-01T00:00:00Z"})
    assert body["results"] == [] and body["next"] is None
    assert "since=2999-01-01T00" in body["poll"]
    assert page(client, body["poll"])["results"] == []


@pytest.mark.django_db
def test_a_page_size_above_1000_is_capped(client):
    body = page(client, CHANGES, {"page_size": 5000})
    assert len(body["results"]) == 1000
    assert "page_size=1000" in body["next"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "since", ["yesterday", "-1", "12abc", "2024-13-45T00:00:00Z", "1.5", "0x10", "٣"]
)
def test_an_invalid_since_is_a_400_naming_since(client, since):
    assert "since" in problem(client.get(CHANGES, {"since": since}), 400)["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "name"),
    [({"after": "1"}, "after"), ({"page": "2"}, "page"), ({"collection": "source"}, "collection"),
     ({"collection": "positions"}, "collection"), ({"record": "ZA"}, "record"),
     ({"participant": "QQ"}, "participant"), ({"topic": "no-such-topic"}, "topic"),
     ({"page_size": "0"}, "page_size"), ({"page_size": "ten"}, "page_size")],
)  # fmt: skip
def test_an_unknown_or_bad_parameter_is_a_400_naming_it(client, params, name):
    body = problem(client.get(CHANGES, params), 400)
    assert name in body["errors"]


@pytest.mark.django_db
@pytest.mark.postgresql
def test_a_change_whose_transaction_has_not_committed_is_not_served_yet(client):
    last = last_change()
    m.Source.objects.filter(slug__startswith="jckonline").update(title="Not committed")
    assert m.Change.objects.filter(id__gt=last).exists()
    assert page(client, CHANGES, {"since": last})["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("since", ["99999999999999999999", "9223372036854775808"])
def test_a_change_number_beyond_any_is_answered_with_nothing_yet(client, since):
    body = page(client, CHANGES, {"since": since})
    assert body["results"] == [] and body["next"] is None
