"""Writes whole or not at all: references in any case, nested parts, 409s, no leftovers."""

import pytest

from api import models as m
from tests.helpers import API, JCK, KASANE, RUSSIA_AGENDA, STALEMATE, problem
from tests.writes import BY_NAME, GRADED, counts, create, fetch, names, position, send

pytestmark = pytest.mark.django_db

PROPOSALS = BY_NAME["proposals"]
PROPOSAL = f"{API}proposals/{RUSSIA_AGENDA}/"


# --- references: any case in, one case out ----------------------------------------------------


def test_references_are_taken_in_any_case_and_served_normalised(editor):
    sent = {
        **PROPOSALS.new,
        "meeting": KASANE.upper(),
        "tabled_by": ["ca", "Us"],
        "topics": ["Definition-Reform"],
        "positions": [position("ru", "oppose", JCK.upper()), position("us", "support")],
        "sources": [JCK.upper()],
    }

    response = send(editor, "POST", PROPOSALS.list, sent)

    assert response.status_code == 201, response.content
    served, _ = fetch(response["Location"])
    assert served["meeting"] == KASANE
    assert served["tabled_by"] == ["CA", "US"]
    assert served["topics"] == ["definition-reform"]
    assert [row["participant"] for row in served["positions"]] == ["RU", "US"]
    assert served["positions"][0]["sources"] == [JCK]
    assert served["sources"] == [JCK]


def test_a_participant_code_and_its_references_are_taken_in_lower_case(editor):
    case = BY_NAME["participants"]
    history = [{**case.new["status_history"][0], "sources": [STALEMATE.upper()]}]

    response = send(
        editor, "POST", case.list, {**case.new, "code": "xq", "status_history": history}
    )

    assert response.status_code == 201, response.content
    assert response.json()["code"] == "XQ"
    assert response["Location"].endswith("/participants/XQ/")
    assert response.json()["status_history"][0]["sources"] == [STALEMATE]


def test_a_chair_and_chair_person_are_taken_in_any_case_and_served_normalised(editor):
    case = BY_NAME["chairmanships"]

    served = create(editor, case, chair="za", vice_chair="bw", chair_person="HANS-MERKET")

    assert (served["chair"], served["vice_chair"]) == ("ZA", "BW")
    assert served["chair_person"] == "hans-merket"


# --- a proposal and its positions, whole or not at all ----------------------------------------


def test_a_proposal_with_one_bad_position_is_refused_and_nothing_is_written(editor):
    before = counts()
    positions = [position("RU", "oppose"), position("US", "support"), position("QQ", "support")]

    body = problem(
        send(editor, "POST", PROPOSALS.list, {**PROPOSALS.new, "positions": positions}), 400
    )

    assert names(body, "positions"), body
    assert any("participant" in key for key in body["errors"]), body
    assert not m.Proposal.objects.filter(slug=PROPOSALS.new["slug"]).exists()
    assert not m.Position.objects.filter(proposal__slug=PROPOSALS.new["slug"]).exists()
    assert counts() == before


@pytest.mark.parametrize("codes", [["US", "RU", "US"], ["us", "US"]], ids=["same", "any-case"])
def test_two_positions_of_one_participant_are_a_400_naming_positions(editor, codes):
    positions = [position(code, "support") for code in codes]

    sent = {**PROPOSALS.new, "positions": positions}
    problem(send(editor, "POST", PROPOSALS.list, sent), 400, "positions")
    assert not m.Proposal.objects.filter(slug=PROPOSALS.new["slug"]).exists()


def test_patching_positions_replaces_the_set_and_the_tally_follows(editor):
    before, etag = fetch(PROPOSAL)
    assert len(before["positions"]) > 2
    positions = [position("US", "support"), position("RU", "oppose"), position("CN", "abstain")]

    response = send(editor, "PATCH", PROPOSAL, {"positions": positions}, if_match=etag)

    assert response.status_code == 200, response.content
    served, _ = fetch(PROPOSAL)
    assert [(row["participant"], row["position"]) for row in served["positions"]] == [
        ("CN", "abstain"),
        ("RU", "oppose"),
        ("US", "support"),
    ]
    assert served["tally"] == {"support": 1, "oppose": 1, "abstain": 1}
    assert m.Position.objects.filter(proposal__slug=RUSSIA_AGENDA).count() == 3
    assert without_parts(served) == without_parts(before)


def test_patching_positions_to_none_leaves_a_tally_of_zeros(editor):
    _, etag = fetch(PROPOSAL)

    response = send(editor, "PATCH", PROPOSAL, {"positions": []}, if_match=etag)

    assert response.status_code == 200, response.content
    assert response.json()["positions"] == []
    assert response.json()["tally"] == {"support": 0, "oppose": 0, "abstain": 0}


def test_a_patch_that_leaves_positions_out_keeps_them(editor):
    before, etag = fetch(PROPOSAL)

    response = send(editor, "PATCH", PROPOSAL, {"summary": "Changed."}, if_match=etag)

    assert response.status_code == 200, response.content
    assert response.json()["positions"] == before["positions"]
    assert response.json()["tally"] == before["tally"]


def test_a_patch_with_one_bad_position_keeps_the_old_positions(editor):
    before, etag = fetch(PROPOSAL)
    positions = [position("US", "oppose"), position("QQ", "support")]

    problem(send(editor, "PATCH", PROPOSAL, {"positions": positions}, if_match=etag), 400)
    problem(send(editor, "PATCH", PROPOSAL, {"positions": [position("US", "maybe")]}, etag), 400)

    assert fetch(PROPOSAL) == (before, etag)


def test_patching_status_history_replaces_it_and_the_status_follows(editor):
    path = f"{API}participants/ZA/"
    before, etag = fetch(path)
    assert before["status"] == "active"
    suspended = {
        "status": "suspended",
        "start": "2020-01-01",
        "start_precision": "day",
        "end": None,
        "end_precision": None,
        **GRADED,
        "sources": [JCK],
    }

    response = send(editor, "PATCH", path, {"status_history": [suspended]}, if_match=etag)

    assert response.status_code == 200, response.content
    served, _ = fetch(path)
    assert served["status"] == "suspended"
    assert served["status_history"] == [{**suspended, "confidence": "single_source"}]


def test_patching_affiliations_replaces_them(editor):
    path = f"{API}people/hans-merket/"
    before, etag = fetch(path)
    assert len(before["affiliations"]) > 1
    role = {**BY_NAME["people"].new["affiliations"][0], "role": "senior researcher"}

    response = send(editor, "PATCH", path, {"affiliations": [role]}, if_match=etag)

    assert response.status_code == 200, response.content
    assert fetch(path)[0]["affiliations"] == [role]


def without_parts(served: dict) -> dict:
    return {
        key: value
        for key, value in served.items()
        if key not in {"positions", "tally", "updated_at"}
    }


# --- 409: what the record still needs, or once had --------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "participants/ZA/",
        "participants/us/",
        f"sources/{JCK}/",
        f"meetings/{KASANE}/",
        "organisations/ipis/",
        "people/hans-merket/",
    ],
)
def test_deleting_a_record_others_refer_to_is_a_409_and_deletes_nothing(editor, path):
    before = counts()
    record, etag = fetch(API + path)

    body = problem(send(editor, "DELETE", API + path, if_match=etag), 409)

    assert "refer" in body["detail"]
    assert fetch(API + path) == (record, etag)
    assert counts() == before


def test_deleting_a_source_that_a_record_still_cites_is_a_409(editor):
    # Angola's only source: deleting it would leave a participant that cites nothing.
    slug = "professionaljeweler-archives-news-2003-080703story-html"
    angola, _ = fetch(f"{API}participants/AO/")
    assert angola["sources"] == [slug]
    _, etag = fetch(f"{API}sources/{slug}/")

    problem(send(editor, "DELETE", f"{API}sources/{slug}/", if_match=etag), 409)

    assert fetch(f"{API}participants/AO/")[0]["sources"] == [slug]


# --- a failed write changes nothing -----------------------------------------------------------


def _bad_proposal(editor):
    positions = [position("RU", "oppose"), position("QQ", "support")]
    topics = ["a-topic-nobody-used-before"]
    sent = {**PROPOSALS.new, "positions": positions, "topics": topics}
    return lambda: send(editor, "POST", PROPOSALS.list, sent)


def _refused_affiliation(editor):
    case = BY_NAME["people"]
    role = {**case.new["affiliations"][0], "organisation": None, "participant": None}
    return lambda: send(editor, "POST", case.list, {**case.new, "affiliations": [role]})


def _backwards_status_period(editor):
    case = BY_NAME["participants"]
    period = {**case.new["status_history"][0], "end": "2001-01-01"}
    return lambda: send(editor, "POST", case.list, {**case.new, "status_history": [period]})


def _bad_statement_topic(editor):
    case = BY_NAME["statements"]
    sent = {**case.new, "topics": ["a-topic-nobody-used-before"], "source": "no-such-source"}
    return lambda: send(editor, "POST", case.list, sent)


def _stale_patch(editor):
    _, stale = fetch(PROPOSAL)
    m.Proposal.objects.filter(slug=RUSSIA_AGENDA).update(summary="Changed behind your back.")
    return lambda: send(editor, "PATCH", PROPOSAL, {"positions": []}, if_match=stale)


def _duplicate_positions(editor):
    _, etag = fetch(PROPOSAL)
    positions = [position("US", "support"), position("us", "oppose")]
    return lambda: send(editor, "PATCH", PROPOSAL, {"positions": positions, "summary": "x"}, etag)


def _referenced_delete(editor):
    _, etag = fetch(f"{API}participants/ZA/")
    return lambda: send(editor, "DELETE", f"{API}participants/ZA/", if_match=etag)


def _put_without_if_match(editor):
    before, _ = fetch(PROPOSAL)
    return lambda: send(editor, "PUT", PROPOSAL, {**before, "positions": []})


@pytest.mark.parametrize(
    "attempt",
    [
        _bad_proposal,
        _refused_affiliation,
        _backwards_status_period,
        _bad_statement_topic,
        _stale_patch,
        _duplicate_positions,
        _referenced_delete,
        _put_without_if_match,
    ],
    ids=lambda attempt: attempt.__name__.strip("_"),
)
def test_a_write_that_fails_changes_no_row_and_leaves_no_history(editor, attempt):
    write = attempt(editor)
    before = counts()
    positions = list(m.Position.objects.order_by("pk").values_list("pk", "position"))

    response = write()

    assert 400 <= response.status_code < 500, response.content
    assert counts() == before
    assert list(m.Position.objects.order_by("pk").values_list("pk", "position")) == positions
    assert not m.Topic.objects.filter(slug="a-topic-nobody-used-before").exists()
