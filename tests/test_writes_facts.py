"""Writes checked against the record: a meeting's dates in its year, years within the KP's, a
stand only by a participant that took part then, a statement's language a BCP 47 tag. Each
refusal is a 400 naming the field; the reference data itself passes every check."""

import datetime

import pytest

from api import models as m
from api.serializers.writes import facts
from tests.helpers import API, RUSSIA_AGENDA, problem
from tests.writes import BY_NAME, counts, position, send

pytestmark = pytest.mark.django_db
NEXT_YEAR = datetime.date.today().year + 1


def refused(editor, method: str, path: str, body: dict, field: str) -> str:
    """Send the write; it must be a 400 naming the field, and change nothing. Its (first)
    message."""
    before = counts()
    response = send(editor, method, path, body, if_match="*" if method != "POST" else None)
    found = problem(response, 400, field)
    assert counts() == before
    return found["errors"][field][0]


@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_a_meetings_date_outside_its_year_is_refused_naming_it(editor, field):
    case = BY_NAME["meetings"]
    year = case.new["year"]
    outside = {"start_date": f"{year - 1}-12-30", "end_date": f"{year + 1}-01-02"}[field]
    sent = {**case.new, field: outside}
    if field == "start_date":  # and an end after it, as the model's own rule wants
        sent["end_date"] = f"{year - 1}-12-31"
    message = refused(editor, "POST", case.list, sent, field)
    assert "is not in the meeting's year" in message


def test_a_patch_that_moves_a_meeting_to_another_year_is_refused_naming_its_dates(editor):
    path = f"{API}meetings/2022-intersessional-kasane/"
    refused(editor, "PATCH", path, {"year": 2023}, "start_date")


@pytest.mark.parametrize(
    ("collection", "year"),
    [("meetings", 2001), ("meetings", NEXT_YEAR), ("chairmanships", 1999),
     ("chairmanships", NEXT_YEAR + 5), ("production", 1990), ("trade", 2099)],
)  # fmt: skip
def test_a_year_outside_the_kps_years_is_refused_naming_it(editor, collection, year):
    case = BY_NAME[collection]
    message = refused(editor, "POST", case.list, {**case.new, "year": year}, "year")
    assert message == f"Give a year of the KP's, from 2002 to {NEXT_YEAR - 1}."


def test_a_stand_by_a_participant_that_had_withdrawn_is_refused_naming_its_row(editor):
    case = BY_NAME["proposals"]  # tabled June 2022; Croatia left for the EU in July 2013
    sent = {**case.new, "positions": [position("US", "support"), position("HR", "oppose")]}
    message = refused(editor, "POST", case.list, sent, "positions.1.participant")
    assert message.startswith("HR had withdrawn from the KP on 2013-07-01")


def test_a_stand_by_a_participant_that_had_not_yet_joined_is_refused(editor):
    body = {**BY_NAME["positions"].new, "participant": "UZ", "organisation": None}
    assert body["proposal"] == RUSSIA_AGENDA
    message = refused(editor, "POST", f"{API}positions/", body, "participant")
    assert message.startswith("UZ joined the KP on 2024-11-15 (day), after the proposal")


def test_a_stand_in_the_month_a_participant_joined_is_taken(editor):
    # Joined in November 2021 (month), a proposal tabled that month: not certainly before.
    case = BY_NAME["proposals"]
    sent = {**case.new, "tabled_on": "2021-11-01", "meeting": None,
            "positions": [position("KG", "support")]}  # fmt: skip
    response = send(editor, "POST", case.list, sent)
    assert response.status_code == 201, response.content


def test_moving_a_proposal_before_a_stands_participant_joined_is_refused(editor):
    path = f"{API}proposals/{RUSSIA_AGENDA}/"
    assert m.Position.objects.filter(proposal__slug=RUSSIA_AGENDA, participant__code="RU")
    refused(editor, "PATCH", path, {"tabled_on": "2001-06-01"}, "tabled_on")


@pytest.mark.parametrize("language", ["english", "xx", "en_GB", "fr-FRA-1", "", "en-"])
def test_a_statements_language_that_is_not_a_bcp47_tag_is_refused(editor, language):
    case = BY_NAME["statements"]
    message = refused(editor, "POST", case.list, {**case.new, "language": language}, "language")
    assert "BCP 47" in message or "blank" in message


@pytest.mark.parametrize("language", ["fr", "pt-BR", "zh-Hant-TW", "es-419"])
def test_a_statements_language_that_is_a_bcp47_tag_is_taken(editor, language):
    case = BY_NAME["statements"]
    response = send(editor, "POST", case.list, {**case.new, "language": language})
    assert response.status_code == 201, response.content


def test_the_reference_data_passes_every_check():
    for stand in m.Position.objects.select_related("proposal", "participant"):
        assert facts.took_part(stand.participant, stand.proposal.tabled_on,
                               stand.proposal.tabled_on_precision) == [], stand  # fmt: skip
    for meeting in m.Meeting.objects.all():
        assert facts.kp_year(meeting.year) == []
        assert facts.within_year(meeting.start_date, meeting.year) == []
        assert facts.within_year(meeting.end_date, meeting.year) == []
    for model in (m.Chairmanship, m.Production, m.Trade):
        for year in model.objects.values_list("year", flat=True).distinct():
            assert facts.kp_year(year) == [], (model, year)
    for language in m.Statement.objects.values_list("language", flat=True).distinct():
        assert facts.bcp47(language) == [], language
