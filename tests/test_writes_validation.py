"""What writes refuse: a 400 whose problem names each bad field, never a 500."""

import pytest

from api import models as m
from tests.helpers import API, JCK, path_of, problem
from tests.writes import BY_NAME, CASES, Case, counts, create, fetch, names, position, send

pytestmark = pytest.mark.django_db


# --- 400: each bad field named ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "field", "value"),
    [
        ("meetings", "host", "QQ"),
        ("meetings", "chair", "qq"),
        ("chairmanships", "chair_person", "no-such-person"),
        ("proposals", "meeting", "2031-plenary-nowhere"),
        ("proposals", "tabled_by", ["US", "QQ"]),
        ("statements", "source", "no-such-source"),
        ("statements", "organisation", "no-such-organisation"),
        ("blocs", "members", ["QQ"]),
        ("production", "participant", "QQ"),
        ("organisations", "sources", [JCK, "no-such-source"]),
    ],
)
def test_an_unknown_reference_is_a_400_naming_the_field(editor, collection, field, value):
    case = BY_NAME[collection]
    before = counts()

    body = problem(send(editor, "POST", case.list, {**case.new, field: value}), 400, field)

    assert field in body["detail"]
    assert counts() == before


@pytest.mark.parametrize(
    ("collection", "field", "value"),
    [
        ("participants", "kind", "country"),
        ("participants", "region", "antarctica"),
        ("organisations", "kind", "ngo"),
        ("meetings", "kind", "summit"),
        ("proposals", "outcome", "passed"),
        ("proposals", "decision_rule", "vote"),
        ("sources", "kind", "blog"),
        ("trade", "flow", "transit"),
        ("statements", "confidence", "high"),
        ("production", "confidence", "V"),
    ],
)
def test_a_value_outside_the_choices_is_a_400_naming_the_field(editor, collection, field, value):
    case = BY_NAME[collection]

    problem(send(editor, "POST", case.list, {**case.new, field: value}), 400, field)


def test_several_bad_fields_are_all_named_at_once(editor):
    case = BY_NAME["meetings"]
    sent = {**case.new, "host": "QQ", "kind": "summit", "sources": []}

    body = problem(send(editor, "POST", case.list, sent), 400, "host", "kind", "sources")

    assert {"host", "kind", "sources"} <= set(body["errors"])


@pytest.mark.parametrize("case", [case for case in CASES if "sources" in case.new], ids=str)
def test_a_record_without_a_source_list_is_a_400_naming_sources(editor, case: Case):
    sent = {name: value for name, value in case.new.items() if name != "sources"}

    problem(send(editor, "POST", case.list, sent), 400, "sources")
    problem(send(editor, "POST", case.list, {**case.new, "sources": []}), 400, "sources")


def test_a_statement_without_its_source_is_a_400_naming_source(editor):
    case = BY_NAME["statements"]
    sent = {name: value for name, value in case.new.items() if name != "source"}

    problem(send(editor, "POST", case.list, sent), 400, "source")
    problem(send(editor, "POST", case.list, {**case.new, "source": None}), 400, "source")


def test_a_patch_may_not_empty_a_records_sources(editor):
    path = f"{API}organisations/ipis/"
    before, etag = fetch(path)

    problem(send(editor, "PATCH", path, {"sources": []}, if_match=etag), 400, "sources")

    assert fetch(path) == (before, etag)


def test_a_meeting_that_ends_before_it_starts_is_a_400_naming_the_end_date(editor):
    case = BY_NAME["meetings"]
    sent = {**case.new, "start_date": "2026-11-07", "end_date": "2026-11-03"}

    body = problem(send(editor, "POST", case.list, sent), 400)

    assert names(body, "end_date"), body
    assert not m.Meeting.objects.filter(slug=case.new["slug"]).exists()


def test_a_status_period_that_ends_before_it_starts_is_a_400_naming_it(editor):
    case = BY_NAME["participants"]
    period = {**case.new["status_history"][0], "start": "2025-03-01", "end": "2024-01-01"}

    body = problem(send(editor, "POST", case.list, {**case.new, "status_history": [period]}), 400)

    assert names(body, "status_history"), body
    assert not m.Participant.objects.filter(code=case.new["code"]).exists()


def test_an_affiliation_that_ends_before_it_starts_is_a_400_naming_it(editor):
    case = BY_NAME["people"]
    role = {**case.new["affiliations"][0], "end": "2010-01-01", "end_precision": "year"}

    body = problem(send(editor, "POST", case.list, {**case.new, "affiliations": [role]}), 400)

    assert names(body, "affiliations"), body
    assert not m.Person.objects.filter(slug=case.new["slug"]).exists()


def test_an_affiliation_with_neither_organisation_nor_participant_is_a_400_naming_it(editor):
    case = BY_NAME["people"]
    role = {**case.new["affiliations"][0], "organisation": None, "participant": None}

    body = problem(send(editor, "POST", case.list, {**case.new, "affiliations": [role]}), 400)

    assert names(body, "affiliations"), body


@pytest.mark.parametrize("precision", [None, "absent"])
def test_a_full_date_without_its_precision_is_known_to_the_day(editor, precision):
    case = BY_NAME["meetings"]
    body = {**case.new, "end_date_precision": precision}
    if precision == "absent":
        del body["end_date_precision"]

    response = send(editor, "POST", case.list, body)

    assert response.status_code == 201, response.content
    assert response.json()["end_date_precision"] == "day"


def test_a_precision_without_a_date_is_still_a_400_naming_it(editor):
    case = BY_NAME["meetings"]
    body = {**case.new, "end_date": None, "end_date_precision": "month"}

    body = problem(send(editor, "POST", case.list, body), 400)

    assert names(body, "end_date_precision"), body


@pytest.mark.parametrize("field", ["colour", "url", "created_at"])
def test_an_unknown_or_read_only_field_is_a_400_naming_it(editor, field):
    case = BY_NAME["meetings"]

    body = problem(send(editor, "POST", case.list, {**case.new, field: "x"}), 400)

    assert list(body["errors"]) == [field]
    if field == "colour":
        assert body["errors"][field][0].startswith("Unknown field. Fields: chair, city,")
    else:
        assert body["errors"][field] == ["Set by the service: leave it out."]


def test_a_statement_with_neither_speaker_nor_description_is_a_400_naming_them(editor):
    case = BY_NAME["statements"]

    body = problem(send(editor, "POST", case.list, {**case.new, "speaker_description": ""}), 400)

    assert names(body, "speaker_description") or names(body, "speaker"), body


@pytest.mark.parametrize(
    ("collection", "changed"),
    [
        ("participants", {"code": "QZ"}),
        ("organisations", {"slug": "a-brand-new-slug"}),
        ("people", {"slug": "a-brand-new-slug"}),
        ("blocs", {"slug": "a-brand-new-slug"}),
        ("chairmanships", {"year": 2002}),
        ("meetings", {"slug": "a-brand-new-slug"}),
        ("proposals", {"slug": "a-brand-new-slug"}),
        ("sources", {"slug": "a-brand-new-slug"}),
    ],
)
def test_changing_an_identifier_in_a_patch_is_a_400_saying_it_never_changes(
    editor, collection, changed
):
    path = BY_NAME[collection].existing_path()
    before, etag = fetch(path)
    [(identifier, _)] = changed.items()

    body = problem(send(editor, "PATCH", path, changed, if_match=etag), 400, identifier)

    assert body["errors"][identifier] == ["An identifier never changes."]
    assert fetch(path) == (before, etag)


def test_changing_an_identifier_in_a_put_is_refused_too(editor):
    case = BY_NAME["organisations"]
    path = path_of(create(editor, case))
    _, etag = fetch(path)

    body = problem(
        send(editor, "PUT", path, {**case.new, "slug": "renamed-watch"}, etag), 400, "slug"
    )

    assert body["errors"]["slug"] == ["An identifier never changes."]
    assert not m.Organisation.objects.filter(slug="renamed-watch").exists()


def test_sending_the_same_identifier_in_a_patch_is_no_change(editor):
    path = f"{API}participants/ZA/"
    _, etag = fetch(path)

    response = send(editor, "PATCH", path, {"code": "za", "note": "Same code."}, if_match=etag)

    assert response.status_code == 200, response.content
    assert response.json()["code"] == "ZA"


def test_a_new_record_with_the_identifier_of_an_existing_one_is_a_400(editor):
    case = BY_NAME["organisations"]
    before = fetch(f"{API}organisations/ipis/")

    problem(send(editor, "POST", case.list, {**case.new, "slug": "ipis"}), 400, "slug")

    assert fetch(f"{API}organisations/ipis/") == before


def test_a_second_figure_for_the_same_participant_and_year_is_refused(editor):
    case = BY_NAME["production"]
    before = counts()

    response = send(editor, "POST", case.list, {**case.new, "year": 2022})

    assert response.status_code in {400, 409}, response.content
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Nul\x00land"),
        ("joined_on", "2024-13-45"),
        ("joined_on", 20240101),
        ("kind", ["state"]),
        ("sources", JCK),
        ("sources", [1]),
        ("sources", {"slug": JCK}),
        ("status_history", "suspended"),
        ("status_history", [{"status": "suspended"}]),
        ("code", "X"),
        ("code", "X1"),
        ("iso3", "TOOLONG"),
    ],
)
def test_malformed_input_is_a_400_naming_the_field_never_a_500(editor, field, value):
    case = BY_NAME["participants"]

    body = problem(send(editor, "POST", case.list, {**case.new, field: value}), 400)

    assert names(body, field), body


@pytest.mark.parametrize(
    ("collection", "field", "value"),
    [
        ("production", "carats", -1),
        ("production", "carats", 1e20),
        ("trade", "certificates", -3),
        ("chairmanships", "year", -2030),
        ("statements", "topics", ["Not a slug!"]),
        ("statements", "meeting", 5),
    ],
)
def test_numbers_and_slugs_out_of_range_are_a_400_naming_the_field(
    editor, collection, field, value
):
    case = BY_NAME[collection]

    body = problem(send(editor, "POST", case.list, {**case.new, field: value}), 400)

    assert names(body, field), body


def test_a_body_that_is_not_a_json_object_is_a_400_problem(editor):
    case = BY_NAME["organisations"]

    problem(editor.post(case.list, data="{not json", content_type="application/json"), 400)
    problem(send(editor, "POST", case.list, ["a", "list"]), 400)
    problem(send(editor, "POST", case.list, "a string"), 400)


def test_a_body_over_1_mib_is_a_413_problem_and_writes_nothing(editor):
    case = BY_NAME["organisations"]
    before = counts()
    body = {**case.new, "note": "x" * (1024 * 1024)}
    response = send(editor, "POST", case.list, body)
    assert "1048576 bytes" in problem(response, 413)["detail"]
    assert counts() == before
    # Just under the limit, the same record is taken.
    assert send(editor, "POST", case.list, {**case.new, "note": "x" * 1000}).status_code == 201


def test_a_form_encoded_body_is_a_415_problem(editor):
    case = BY_NAME["organisations"]

    problem(editor.post(case.list, {"slug": "form-body", "name": "x"}), 415)


def test_writing_to_the_wrong_address_is_a_405_problem(editor):
    problem(send(editor, "POST", f"{API}participants/ZA/", BY_NAME["participants"].new), 405)
    problem(send(editor, "PUT", f"{API}participants/", BY_NAME["participants"].new, "*"), 405)
    problem(send(editor, "DELETE", f"{API}participants/", if_match="*"), 405)


def test_a_bad_value_in_a_row_written_with_its_record_is_named_by_its_place(editor):
    case = BY_NAME["proposals"]
    stands = [position("US", "support"), {**position("ZA", "support"), "position": "maybe"}]

    body = problem(send(editor, "POST", case.list, {**case.new, "positions": stands}), 400)

    assert list(body["errors"]) == ["positions.1.position"], body
