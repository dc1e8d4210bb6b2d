"""The feed in public terms: one entry per change a person made, no internal keys, editors by
their public names, its filters, its Atom form, and a replay that rebuilds every collection."""

import datetime
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import feedparser
import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from api import changewords, history, registry
from api import models as m
from tests.feeds import CHANGES, follow, last_change, new_source, served_through
from tests.helpers import ADMISSIONS, API, Editor, create_editor, problem, versions

ATOM = f"{API}changes.atom"
NS = {"atom": "http://www.w3.org/2005/Atom"}
COLLECTIONS = {c.prefix: c for c in registry.RECORDED.values()}


def edit_one_stand(editor: Editor, stance: str | None = None) -> tuple[str, str, str]:
    """Change the first stand of the ADMISSIONS proposal; (participant, old, new)."""
    path = f"{API}proposals/{ADMISSIONS}/"
    stands = editor.client.get(path).json()["positions"]
    first = stands[0]
    new = stance or ("oppose" if first["position"] == "support" else "support")
    keep = ("participant", "organisation", "position", "note", "confidence", "sources")
    body = [{k: v for k, v in s.items() if k in keep} for s in stands]
    body[0]["position"] = new
    response = editor.patch(path, {"positions": body})
    assert response.status_code == 200, response.content
    return first["participant"], first["position"], new


# --- one entry per change -----------------------------------------------------------------------


def test_editing_one_stand_is_one_feed_entry_naming_the_proposal_the_actor_and_both_stands(
    client, committed, alice
):
    code, old, new = edit_one_stand(alice)
    try:
        served_through(client, last_change())
        (entry,) = follow(client, CHANGES, {"since": committed})[0]
        assert (entry["collection"], entry["record"], entry["action"]) == (
            "proposals", ADMISSIONS, "update",
        )  # fmt: skip
        assert entry["url"] == f"http://testserver{API}proposals/{ADMISSIONS}/"
        assert entry["fields"] == {}
        (changed,) = entry["parts"]["positions"]["changed"]
        assert entry["parts"]["positions"]["added"] == entry["parts"]["positions"]["removed"] == []
        assert (changed["old"]["participant"], changed["old"]["position"]) == (code, old)
        assert (changed["new"]["participant"], changed["new"]["position"]) == (code, new)
        assert {k: v for k, v in changed["old"].items() if k != "position"} == {
            k: v for k, v in changed["new"].items() if k != "position"
        }
        assert entry["summary"] == f"{code} on {ADMISSIONS}: {old} → {new}"
        atom = feedparser.parse(client.get(ATOM, {"since": committed}).content)
        assert [item.title for item in atom.entries] == [entry["summary"]]
    finally:
        edit_one_stand(alice, old)


@pytest.mark.django_db
def test_no_entry_of_the_whole_feed_carries_an_internal_key(client, alice):
    assert alice.delete(f"{API}proposals/{ADMISSIONS}/").status_code == 204  # and a tombstone
    entries, _ = follow(client, CHANGES, {"page_size": 1000})
    assert len(entries) > 1000
    for entry in entries:
        assert entry["at"].endswith("Z") and datetime.datetime.fromisoformat(entry["at"])
        collection = COLLECTIONS[entry["collection"]]
        assert_public(
            collection.model, entry["fields"], {n: v["old"] for n, v in entry["fields"].items()}
        )
        assert_public(
            collection.model, entry["fields"], {n: v["new"] for n, v in entry["fields"].items()}
        )
        for name, part in entry["parts"].items():
            (model,) = [p.model for p in collection.parts if p.name == name]
            rows = [*part["added"], *part["removed"]]
            rows += [row for moved in part["changed"] for row in (moved["old"], moved["new"])]
            for row in rows:
                assert_public(model, row, row)


def assert_public(model, names, values: dict) -> None:
    """No `id` or `*_id` names; references are codes or slugs (strings), never numbers."""
    assert not any(name == "id" or name.endswith("_id") for name in names), names
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.many_to_one:
            assert value is None or isinstance(value, str), (name, value)
        if field.many_to_many:
            assert all(isinstance(item, str) for item in value or []), (name, value)


# --- who ----------------------------------------------------------------------------------------


def test_the_feed_names_an_editor_by_the_public_name_never_the_login(client, committed):
    token = create_editor("jane@example.org", "Jane Editor")
    jane = Editor(client, token)
    path = new_source(jane, "by-jane")
    served_through(client, last_change())
    for response in (
        client.get(CHANGES, {"since": committed}),
        client.get(f"{path}history/"),
        client.get(ATOM, {"since": committed}),
    ):
        assert response.status_code == 200
        assert b"jane@example.org" not in response.content
        assert b"Jane Editor" in response.content
    (entry,) = follow(client, CHANGES, {"since": committed})[0]
    assert (entry["by"], entry["via"]) == ("Jane Editor", "api")


@pytest.mark.django_db
def test_old_changes_show_an_editor_without_a_name_by_number_and_a_gone_one_as_former(client):
    create_editor("bob@example.org")  # made before editors had names
    bob = m.EditorName.objects.filter(user__username="bob@example.org").first()
    assert bob is None
    path = f"{API}sources/{m.Source.objects.order_by('pk').first().slug}/"
    for actor, title in [("api:bob@example.org", "By Bob"), ("admin:gone", "By someone gone")]:
        with transaction.atomic(), history.actor(actor):
            m.Source.objects.filter(slug=path.split("/")[-2]).update(title=title)
    *_, by_bob, by_gone = versions(client, path)
    pk = (
        m.EditorName._meta.get_field("user")
        .related_model.objects.get(username="bob@example.org")
        .pk
    )
    assert (by_bob["by"], by_bob["via"]) == (f"Editor {pk}", "api")
    assert (by_gone["by"], by_gone["via"]) == ("A former editor", "admin")
    assert changewords.who("database", {}) == (None, "database")


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_collection_and_record_narrow_the_feed_to_one_record_in_any_case(client):
    meetings, _ = follow(client, CHANGES, {"collection": "meetings", "page_size": 1000})
    assert {e["collection"] for e in meetings} == {"meetings"}
    assert len(meetings) == m.Meeting.objects.count()
    (us,) = follow(client, CHANGES, {"collection": "participants", "record": "us"})[0]
    assert (us["record"], us["action"]) == ("US", "create")


# What refers to a participant, by collection: the model, the lookup that names the
# participant, and the record's identifier.
REFERRING = [
    ("proposals", m.Proposal, "positions__participant", "slug"),
    ("proposals", m.Proposal, "tabled_by", "slug"),
    ("statements", m.Statement, "participant", "id"),
    ("production", m.Production, "participant", "id"),
    ("trade", m.Trade, "participant", "id"),
    ("meetings", m.Meeting, "host", "slug"),
    ("meetings", m.Meeting, "chair", "slug"),
    ("chairmanships", m.Chairmanship, "chair", "year"),
    ("chairmanships", m.Chairmanship, "vice_chair", "year"),
    ("blocs", m.Bloc, "members", "slug"),
    ("people", m.Person, "affiliations__participant", "slug"),
]


def about_participant(code: str) -> set[tuple[str, str]]:
    """Every record about the participant, by the ORM: it, and what refers to it."""
    p = m.Participant.objects.get(code=code)
    found = {("participants", code)}
    for collection, model, lookup, key in REFERRING:
        found |= {
            (collection, str(value))
            for value in model.objects.filter(**{lookup: p}).values_list(key, flat=True)
        }
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["US", "RU", "ZA"])
def test_participant_narrows_the_feed_to_the_records_about_it(client, code):
    entries, _ = follow(client, CHANGES, {"participant": code.lower(), "page_size": 1000})
    found = {(e["collection"], e["record"]) for e in entries}
    assert found == about_participant(code)
    assert ("proposals", "2011-kinshasa-marange-agreement") in found or code != "US"


@pytest.mark.django_db
def test_topic_narrows_the_feed_to_the_proposals_and_statements_on_it(client):
    topic = m.Topic.objects.filter(proposals__isnull=False, statements__isnull=False).first()
    entries, _ = follow(client, CHANGES, {"topic": topic.slug, "page_size": 1000})
    expected = {("proposals", s) for s in topic.proposals.values_list("slug", flat=True)}
    expected |= {("statements", str(i)) for i in topic.statements.values_list("id", flat=True)}
    expected.add(("topics", topic.slug))  # the topic itself, named and described
    assert {(e["collection"], e["record"]) for e in entries} == expected


@pytest.mark.django_db
def test_since_a_day_answers_what_changed_since_then_in_one_request(client):
    today = datetime.datetime.now(datetime.UTC).date()
    everything, _ = follow(client, CHANGES, {"page_size": 1000, "collection": "meetings"})
    since = str(today - datetime.timedelta(days=7))
    week, end = follow(
        client, CHANGES, {"since": since, "collection": "meetings", "page_size": 1000}
    )
    assert week == everything
    assert "collection=meetings" in end["poll"]
    later = client.get(CHANGES, {"since": str(today + datetime.timedelta(days=1))}).json()
    assert later["results"] == [] and later["next"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("since", ["2026-02-30", "2026-13-01", "2026-1-1"])
def test_a_day_outside_the_calendar_is_a_400_naming_since(client, since):
    problem(client.get(CHANGES, {"since": since}), 400, "since")


def cold_queries(client, url: str, params: dict) -> int:
    for kept in caches.all():
        kept.clear()
    with CaptureQueriesContext(connection) as done:
        assert client.get(url, params).status_code == 200
    return len(done.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CHANGES, ATOM])
def test_a_page_of_the_feed_costs_the_same_queries_whatever_its_size(client, url):
    # The changes, their rows, and the codes and slugs of everything they refer to.
    sizes = {
        size: cold_queries(client, url, {"page_size": size, "collection": "proposals"})
        for size in (2, 30, 1000)
    }
    assert set(sizes.values()) == {3}, sizes


# --- Atom ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_atom_feed_is_valid_atom_with_one_entry_per_change_newest_first(client):
    response = client.get(ATOM, {"page_size": 20, "collection": "proposals"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == 20
    entries, _ = follow(client, CHANGES, {"collection": "proposals", "page_size": 1000})
    newest = list(reversed(entries))[:20]
    assert [e.title for e in parsed.entries] == [e["summary"] for e in newest]
    assert [e.link for e in parsed.entries] == [e["url"] for e in newest]
    assert len({e.id for e in parsed.entries}) == 20
    # RFC 4287, strictly: a feed has an id, a title, updated; every entry those and an author.
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for element in (root, *root.findall("atom:entry", NS)):
        for required in ("atom:id", "atom:title", "atom:updated"):
            assert len(element.findall(required, NS)) == 1, (element.tag, required)
        datetime.datetime.fromisoformat(element.find("atom:updated", NS).text)
    for entry in root.findall("atom:entry", NS):
        assert entry.find("atom:author/atom:name", NS).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "name"), [({"colection": "x"}, "colection"), ({"participant": "QQ"}, "participant")]
)
def test_the_atom_feed_refuses_a_bad_parameter_as_the_json_feed_does(client, params, name):
    problem(client.get(ATOM, params), 400, name)


# --- replay -------------------------------------------------------------------------------------


def replay(entries) -> dict:
    """Every collection as the feed alone tells it, by public identifiers."""
    store = {prefix: {} for prefix in COLLECTIONS}
    for entry in entries:
        records = store[entry["collection"]]
        if entry["action"] == "delete":
            del records[entry["record"]]
            continue
        if entry["action"] == "create":
            assert entry["record"] not in records
            records[entry["record"]] = {}
        record = records[entry["record"]]
        for name, values in entry["fields"].items():
            assert record.get(name) == values["old"]
            record[name] = values["new"]
        for name, part in entry["parts"].items():
            rows = record.setdefault(name, [])
            for row in part["removed"]:
                rows.remove(row)
            for moved in part["changed"]:
                rows[rows.index(moved["old"])] = moved["new"]
            rows += part["added"]
    return store


def served_now(client, prefix: str) -> dict:
    """Every record of a collection as the API serves it now, by identifier."""
    key = registry.BY_PREFIX[prefix].key
    extra = {"participants": {"status": "withdrawn"}, "production": {"participant": "world"},
             "trade": {"participant": "world"}}.get(prefix)  # fmt: skip
    found = {}
    for params in [{}, extra] if extra else [{}]:
        url = f"{API}{prefix}/"
        body = client.get(url, {**params, "page_size": 1000}).json()
        while True:
            found |= {str(item[key]): item for item in body["results"]}
            if not body["next"]:
                break
            body = client.get(body["next"]).json()
    return found


def same(a, b) -> bool:
    return json.dumps(normal(a), sort_keys=True) == json.dumps(normal(b), sort_keys=True)


def normal(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    return sorted((normal(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))


def test_replaying_the_feed_from_the_start_gives_every_collection_as_it_is(
    client, committed, alice
):
    kept, gone = new_source(alice, "kept"), new_source(alice, "gone")
    assert alice.patch(kept, {"title": "Retitled"}).status_code == 200
    assert alice.delete(gone).status_code == 204
    _, old, _ = edit_one_stand(alice)
    try:
        served_through(client, last_change())
        store = replay(follow(client, CHANGES, {"page_size": 1000})[0])
        for prefix, collection in COLLECTIONS.items():
            keys = {str(k) for k in collection.model.objects.values_list(collection.key, flat=True)}
            assert set(store[prefix]) == keys, prefix
            served = served_now(client, prefix)
            assert set(served) == keys, prefix
            for identifier, record in store[prefix].items():
                now = served[identifier]
                for name, value in record.items():
                    if name not in now:
                        continue  # kept, not served (a meeting's country)
                    if value and isinstance(value, list) and isinstance(value[0], dict):
                        if not (now[name] and isinstance(now[name][0], dict)):
                            value = [row["code"] for row in value]  # an organisation's states
                        else:
                            shared = set(value[0]) & set(now[name][0])
                            value = [{k: row[k] for k in shared} for row in value]
                            now = {**now, name: [{k: row[k] for k in shared} for row in now[name]]}
                    assert same(value, now[name]), (prefix, identifier, name, value, now[name])
        assert store["sources"][kept.split("/")[-2]]["title"] == "Retitled"
        assert gone.split("/")[-2] not in store["sources"]
    finally:
        edit_one_stand(alice, old)
