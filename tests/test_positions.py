"""Positions as a record of their own: stands, voting records, agreement and a bloc's cohesion."""

import csv
import io
import itertools
import json
import zipfile
from collections import Counter, defaultdict

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import models as m
from tests.helpers import GRADES, problem, rows
from tests.writes import fetch, send

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LIST = f"{API}positions/"
KINSHASA = "2011-kinshasa-marange-agreement"
KASANE = "2022-kasane-russia-agenda-item"
COALITION = "kp-civil-society-coalition"


def listed(client, **params) -> list[dict]:
    response = client.get(LIST, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def actor(row: dict) -> str:
    return row["participant"] or row["organisation"]


def stands_in_file(**match) -> set[tuple[str, str, str]]:
    return {
        (row["proposal"], actor(row), row["position"])
        for row in rows("kp-positions.csv")
        if all(row[key] == value for key, value in match.items())
    }


def served(results) -> set[tuple[str, str, str]]:
    return {(row["proposal"], actor(row), row["position"]) for row in results}


@pytest.fixture
def exports(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"


def positions_csv(client) -> list[dict]:
    """The export ZIP's positions.csv, as a researcher opens it: nothing else of the API."""
    response = client.get(f"{API}export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = archive.read("positions.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# --- the collection -------------------------------------------------------------------------


def test_every_stand_of_the_file_is_one_record_with_its_actor_and_source(client):
    results = listed(client)
    assert len(results) == len(rows("kp-positions.csv")) == 154
    assert served(results) == stands_in_file()
    by_key = {(row["proposal"], actor(row)): row for row in rows("kp-positions.csv")}
    for result in results:
        row = by_key[(result["proposal"], actor(result))]
        assert (result["participant"] is None) != (result["organisation"] is None)
        assert result["note"] == row["note"]
        assert result["confidence"] == GRADES[row["confidence"]]
        assert len(result["sources"]) == len(row["sources"].split())
        assert result["url"] == f"http://testserver{LIST}{result['id']}/"


def test_a_list_read_as_plain_values_serves_each_stand_as_its_detail_does(client):
    for row in listed(client):
        detail = client.get(f"{LIST}{row['id']}/").json()
        assert row == detail
    fields = "id,sources,date,topics,url"
    for row in listed(client, fields=fields, participant="US"):
        assert set(row) == set(fields.split(","))


def test_a_stand_in_full_carries_its_proposal_meeting_topics_date_and_sources(client):
    stand = m.Position.objects.get(proposal__slug=KINSHASA, participant__code="US")
    response = client.get(f"{LIST}{stand.pk}/")
    assert response.status_code == 200
    body = response.json()
    (row,) = [
        r for r in rows("kp-positions.csv") if (r["proposal"], r["participant"]) == (KINSHASA, "US")
    ]
    sources = sorted(
        m.Source.objects.filter(url__in=row["sources"].split()).values_list("slug", flat=True)
    )
    assert body == {
        "id": stand.pk,
        "url": f"http://testserver{LIST}{stand.pk}/",
        "proposal": KINSHASA,
        "meeting": stand.proposal.meeting.slug,
        "topics": sorted(stand.proposal.topics.values_list("slug", flat=True)),
        "participant": "US",
        "participant_name": "United States",
        "organisation": None,
        "position": "abstain",
        "date": stand.proposal.tabled_on.isoformat(),
        "date_precision": stand.proposal.tabled_on_precision,
        "sources": sources,
        "confidence": GRADES[row["confidence"]],
        "note": row["note"],
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    expanded = client.get(f"{LIST}{stand.pk}/", {"expand": "proposal,organisation,participant"})
    assert expanded.json()["proposal"]["slug"] == KINSHASA
    assert expanded.json()["participant"]["code"] == "US"


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"participant": "za"}, {"participant": "ZA"}),
        ({"organisation": COALITION}, {"organisation": COALITION}),
        ({"position": "abstain"}, {"position": "abstain"}),
        ({"proposal": KASANE}, {"proposal": KASANE}),
    ],
)
def test_filters_by_actor_stand_and_proposal_keep_exactly_those_stands(client, params, match):
    assert served(listed(client, **params)) == stands_in_file(**match)


def test_filters_by_meeting_topic_year_bloc_and_confidence(client):
    proposals = {row["slug"]: row for row in rows("kp-proposals.csv")}
    everything = rows("kp-positions.csv")
    on_marange = {
        (row["proposal"], actor(row), row["position"])
        for row in everything
        if "marange-zimbabwe" in proposals[row["proposal"]]["topics"].split(";")
    }
    assert served(listed(client, topic="marange-zimbabwe")) == on_marange
    in_2011 = {
        (row["proposal"], actor(row), row["position"])
        for row in everything
        if proposals[row["proposal"]]["tabled_on"][:4] in {"2011", "2012"}
    }
    assert served(listed(client, year_after=2011, year_before=2012)) == in_2011
    kasane = listed(client, meeting="2022-intersessional-kasane")
    assert {row["proposal"] for row in kasane} >= {KASANE}
    western = set(m.Bloc.objects.get(slug="western-bloc").members.values_list("code", flat=True))
    assert {row["participant"] for row in listed(client, bloc="western-bloc")} <= western
    assert served(listed(client, bloc="western-bloc")) == {
        stand for stand in stands_in_file() if stand[1] in western
    }
    verified = {row["id"] for row in listed(client, confidence="verified")}
    assert verified == set(
        m.Position.objects.filter(confidence="verified").values_list("pk", flat=True)
    )


def test_bad_filter_values_are_400s_naming_the_parameter(client):
    for params in ({"position": "veto"}, {"participant": "XX"}, {"organisation": "nobody"},
                   {"bloc": "eastern-bloc"}, {"year_after": "soon"}, {"actor": "US"}):  # fmt: skip
        body = problem(client.get(LIST, params), 400)
        assert set(body["errors"]) == set(params)


def test_positions_come_as_csv_with_names_and_as_ndjson(client):
    response = client.get(LIST, {"format": "csv", "participant": "ZA"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["participant_name"] for row in table} == {"South Africa"}
    assert len(table) == len(stands_in_file(participant="ZA"))
    ndjson = client.get(LIST, {"format": "ndjson", "organisation": COALITION})
    lines = b"".join(ndjson.streaming_content).decode().splitlines()
    assert {json.loads(line)["organisation"] for line in lines} == {COALITION}


def test_proposals_embed_the_same_stand_records_and_name_observers_that_tabled(client):
    body = client.get(f"{API}proposals/2019-new-delhi-definition-reform/").json()
    assert body["tabled_by_organisations"] == [
        "kp-civil-society-coalition",
        "world-diamond-council",
    ]
    for embedded in body["positions"]:
        alone = client.get(embedded["url"]).json()
        assert {key: alone[key] for key in embedded} == embedded


# --- the questions, one request each --------------------------------------------------------


def test_south_africas_record_counts_its_stands_abstentions_included(client):
    response = client.get(f"{API}participants/ZA/record/")
    assert response.status_code == 200
    body = response.json()
    mine = stands_in_file(participant="ZA")
    assert body["actor"] == "ZA"
    counted = Counter(position for _, _, position in mine)
    assert body["counts"] == {
        "support": counted["support"], "oppose": counted["oppose"],
        "abstain": counted["abstain"], "total": len(mine),
    }  # fmt: skip
    assert served(body["stands"]) == mine
    us = client.get(f"{API}participants/us/record/").json()
    assert us["counts"]["abstain"] == 1  # the United States abstained at Kinshasa in 2011


def test_the_five_actors_most_often_on_the_side_of_the_united_states(client):
    response = client.get(f"{API}agreement/", {"actors": "US", "ordering": "-same,-n"})
    assert response.status_code == 200
    body = response.json()
    top = body["results"][:5]
    assert all(pair["a"] == "US" for pair in body["results"])
    assert [pair["same"] for pair in top] == sorted((p["same"] for p in top), reverse=True)
    assert all(pair["n"] >= pair["same"] > 0 for pair in top)
    assert body["results"][0]["b"] == "EU"
    assert "same / n" in body["method"]


def test_the_coalitions_stands_on_the_marange_decisions(client):
    found = listed(client, organisation=COALITION, topic="marange-zimbabwe")
    assert {row["proposal"] for row in found} >= {KINSHASA, "2010-tel-aviv-marange-exports"}
    assert all(row["organisation"] == COALITION for row in found)


def test_everyone_observers_included_who_opposed_the_kinshasa_agreement(client):
    found = listed(client, proposal=KINSHASA, position="oppose")
    assert served(found) == stands_in_file(proposal=KINSHASA, position="oppose")
    assert {row["organisation"] for row in found} >= {COALITION, "global-witness"}


# --- agreement and records from the export alone ---------------------------------------------


def test_every_pair_and_every_record_from_the_exports_positions_csv_match_the_api(client, exports):
    table = positions_csv(client)
    assert len(table) == 154
    stands: dict[str, dict[str, str]] = defaultdict(dict)
    for row in table:
        stands[row["proposal"]][row["participant"] or row["organisation"]] = row["position"]
    expected: dict[tuple[str, str], list[int]] = {}
    for taken in stands.values():
        for a, b in itertools.combinations(sorted(taken), 2):
            n_same = expected.setdefault((a, b), [0, 0])
            n_same[0] += 1
            n_same[1] += taken[a] == taken[b]
    pairs = client.get(f"{API}agreement/").json()["results"]
    got = {tuple(sorted((p["a"], p["b"]))): [p["n"], p["same"]] for p in pairs}
    assert got == expected
    for pair in pairs:
        assert pair["share"] == pytest.approx(pair["same"] / pair["n"])

    records: dict[str, Counter] = defaultdict(Counter)
    for row in table:
        records[row["participant"] or row["organisation"]][row["position"]] += 1
    for name, counted in records.items():
        collection = "participants" if len(name) == 2 else "organisations"
        body = client.get(f"{API}{collection}/{name}/record/").json()
        assert body["counts"] == {**{k: counted[k] for k in m.PositionKind.values},
                                  "total": sum(counted.values())}, name  # fmt: skip


def test_agreement_of_named_actors_lists_every_pair_even_without_common_proposals(client):
    body = client.get(f"{API}agreement/", {"actors": "US,ZA,kp-civil-society-coalition,NO"}).json()
    pairs = {(p["a"], p["b"]): p for p in body["results"]}
    assert set(pairs) == set(itertools.combinations(["US", "ZA", COALITION, "NO"], 2))
    assert pairs[("US", "NO")]["n"] == 0 and pairs[("US", "NO")]["share"] is None
    us_coalition = pairs[("US", COALITION)]
    assert us_coalition["n"] == len(us_coalition["agreed_on"]) + len(us_coalition["differed_on"])
    assert KINSHASA in us_coalition["differed_on"]  # the US abstained, the coalition opposed


def test_agreement_as_csv_is_one_row_per_pair(client):
    response = client.get(f"{API}agreement/", {"actors": "US,EU,CA", "format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="agreement-')
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["a"], row["b"]) for row in table] == [("US", "EU"), ("US", "CA"), ("EU", "CA")]
    assert set(table[0]) == {"a", "b", "n", "same", "share", "agreed_on", "differed_on"}


def test_agreement_filters_by_topic_and_years_and_refuses_unknown_actors(client):
    on_russia = client.get(f"{API}agreement/", {"actors": "US,RU", "topic": "russia-ukraine"})
    (pair,) = on_russia.json()["results"]
    assert pair["n"] > 0 and pair["same"] == 0
    before = client.get(f"{API}agreement/", {"actors": "US,RU", "year_before": 2010}).json()
    assert before["results"][0]["n"] <= pair["n"]
    body = problem(client.get(f"{API}agreement/", {"actors": "US,ZZ,nobody"}), 400)
    assert "ZZ" in body["errors"]["actors"][0] and "nobody" in body["errors"]["actors"][0]
    problem(client.get(f"{API}agreement/", {"ordering": "votes"}), 400)
    problem(client.get(f"{API}agreement/", {"actor": "US"}), 400)


def test_an_organisations_record_and_a_blocs_cohesion(client):
    body = client.get(
        f"{API}organisations/{COALITION}/record/", {"topic": "marange-zimbabwe"}
    ).json()
    assert served(body["stands"]) == {
        stand for stand in stands_in_file(organisation=COALITION)
        if stand[0] in {row["proposal"] for row in listed(client, topic="marange-zimbabwe")}
    }  # fmt: skip
    cohesion = client.get(f"{API}blocs/western-bloc/cohesion/").json()
    assert cohesion["members"] == ["AU", "CA", "CH", "EU", "GB", "US"]
    for row in cohesion["proposals"]:
        assert len(row["stands"]) >= 2
        assert set(row["stands"]) <= set(cohesion["members"])
        assert row["agreed"] == (len(set(row["stands"].values())) == 1)
    assert cohesion["n"] == len(cohesion["proposals"])
    assert cohesion["share"] == pytest.approx(cohesion["agreed"] / cohesion["n"])
    kinshasa = next(row for row in cohesion["proposals"] if row["proposal"] == KINSHASA)
    assert kinshasa == {
        "proposal": KINSHASA,
        "agreed": False,
        "stands": {"EU": "support", "US": "abstain"},
    }
    problem(client.get(f"{API}blocs/western-bloc/cohesion/", {"members": "US"}), 400)


# --- identity survives edits ----------------------------------------------------------------


def test_editing_one_stand_keeps_every_identifier_and_adds_one_change(editor):
    proposal = m.Proposal.objects.get(slug=KASANE)
    before = {p.pk: p.updated_at for p in proposal.positions.all()}
    body, etag = fetch(f"{API}proposals/{KASANE}/")
    stands = [
        {key: stand[key] for key in ("participant", "organisation", "position", "note",
                                     "confidence", "sources")}
        for stand in body["positions"]
    ]  # fmt: skip
    changed = next(stand for stand in stands if stand["participant"] == "RU")
    changed["position"] = "abstain"
    last = m.Change.objects.order_by("-id").values_list("id", flat=True).first()

    response = send(editor, "PATCH", f"{API}proposals/{KASANE}/", {"positions": stands}, etag)

    assert response.status_code == 200, response.content
    after = {p.pk: p.updated_at for p in proposal.positions.all()}
    assert set(after) == set(before)
    ru = proposal.positions.get(participant__code="RU")
    assert [pk for pk in after if after[pk] != before[pk]] == [ru.pk]
    (change,) = m.Change.objects.filter(id__gt=last)
    assert (change.part, change.action, change.old["position"], change.new["position"]) == (
        "positions", "update", "oppose", "abstain",
    )  # fmt: skip
    history = editor.get(f"{LIST}{ru.pk}/history/").json()["results"]
    assert history[-1]["change"] == change.id
    assert history[0]["action"] == "create"
    (changed,) = history[-1]["parts"]["positions"]["changed"]
    assert (changed["old"]["participant"], changed["old"]["position"]) == ("RU", "oppose")
    assert history[-1]["summary"] == f"RU on {KASANE}: oppose → abstain"


def test_a_stand_is_written_on_its_own_with_exactly_one_actor(editor):
    stand = m.Position.objects.get(proposal__slug=KASANE, participant__code="RU")
    _, etag = fetch(f"{LIST}{stand.pk}/")
    last = m.Change.objects.order_by("-id").values_list("id", flat=True).first()
    response = send(editor, "PATCH", f"{LIST}{stand.pk}/", {"position": "abstain"}, etag)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == stand.pk
    assert m.Change.objects.filter(id__gt=last).count() == 1

    new = {"proposal": KINSHASA, "participant": "ZA", "organisation": "ipis",
           "position": "support", "sources": [m.Source.objects.first().slug]}  # fmt: skip
    body = problem(send(editor, "POST", LIST, new), 400)
    assert {"participant", "organisation"} <= set(body["errors"])
    twice = {**new, "organisation": None, "participant": "US"}  # the US already took a stand
    problem(send(editor, "POST", LIST, twice), 400)


# --- fixed costs ----------------------------------------------------------------------------


def count_queries(client, path: str, **params) -> int:
    for kept in caches.all():
        kept.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.content[:300]
    return len([query for query in captured if "SAVEPOINT" not in query["sql"]])


# On PostgreSQL, a record is the version, its actor's and filters' ids, and its stands with
# their topics and sources (api/stand_queries.py); elsewhere, the actor, each filter's ids, the
# stands, and their topics and sources apart.
POSTGRESQL = connection.vendor == "postgresql"


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("participants/US/record/", {}, 3 if POSTGRESQL else 6),
        (
            "organisations/kp-civil-society-coalition/record/",
            {"topic": "marange-zimbabwe"},
            3 if POSTGRESQL else 7,
        ),
        ("blocs/western-bloc/cohesion/", {}, 5),
        ("agreement/", {}, 2),
        (
            "agreement/",
            {"actors": "US,EU,kp-civil-society-coalition", "format": "csv"},
            3 if POSTGRESQL else 4,
        ),  # the actors in one query on PostgreSQL, two elsewhere
    ],
)
def test_records_agreement_and_cohesion_cost_fixed_queries_whatever_the_stands(
    client, path, params, expected
):
    assert count_queries(client, f"{API}{path}", **params) == expected
    proposal = m.Proposal.objects.get(slug=KINSHASA)
    source = m.Source.objects.first()
    for participant in m.Participant.objects.exclude(positions__proposal=proposal)[:40]:
        m.Position.objects.create(proposal=proposal, participant=participant,
                                  position="support").sources.set([source])  # fmt: skip
    assert count_queries(client, f"{API}{path}", **params) == expected
