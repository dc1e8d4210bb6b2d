"""The served record is the reference files, row for row: counts, keys, dates, figures and words."""

import datetime
from decimal import Decimal
from pathlib import Path

import pycountry
import pytest
from django.conf import settings
from django.utils.text import slugify

from api import models as m
from tests.helpers import FIXTURES, GRADES, rows

pytestmark = pytest.mark.django_db


def day(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def amount(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def urls(obj) -> set[str]:
    return {source.url for source in obj.sources.all()}


def test_reference_files_are_unchanged_copies_of_the_shared_reference():
    shared = Path(settings.BASE_DIR).parent / "shared" / "reference"
    if not shared.is_dir():
        pytest.skip("../shared/reference is not beside this checkout")
    for original in shared.glob("*.csv"):
        copy = FIXTURES / "reference" / original.name
        assert copy.read_bytes() == original.read_bytes(), f"{copy} differs from {original}"


def test_participants_match_their_files_with_codes_dates_and_precision():
    expected = rows("kp-participants.csv") + rows("kp-former-participants.csv")
    assert m.Participant.objects.count() == len(expected) == 66
    for row in expected:
        participant = m.Participant.objects.get(code=row["code"])
        assert participant.iso3 == (row["iso3"] or None)
        assert (participant.name, participant.kind, participant.region) == (
            row["name"], row["kind"], row["region"],
        )  # fmt: skip
        assert participant.joined_on == day(row["joined_on"])
        assert participant.joined_on_precision == (row["joined_on_precision"] or None)
        assert participant.confidence == GRADES[row["confidence"]]
        assert participant.note == row["note"]
        assert urls(participant) == set(row["sources"].split())


def test_sixty_current_participants_with_valid_iso_codes():
    current = m.Participant.objects.with_status().exclude(status="withdrawn")
    assert current.count() == 60
    for participant in current:
        if participant.code == "EU":
            assert participant.iso3 is None
        else:
            assert pycountry.countries.get(alpha_2=participant.code).alpha_3 == participant.iso3
    namibia = m.Participant.objects.get(code="NA")
    assert namibia.name == "Namibia"
    assert not m.Participant.objects.filter(code="TW").exists()


def test_bangladesh_join_date_stays_unknown_and_the_eu_represents_27_states():
    assert m.Participant.objects.get(code="BD").joined_on is None
    eu = m.Participant.objects.get(code="EU")
    members = {row["code"] for row in rows("kp-eu-members.csv")}
    assert set(eu.represented_states.values_list("code", flat=True)) == members
    assert len(members) == 27


def test_status_periods_match_their_file():
    expected = rows("kp-status-periods.csv")
    assert m.StatusPeriod.objects.count() == len(expected) == 12
    for row in expected:
        period = m.StatusPeriod.objects.get(
            participant__code=row["participant"], status=row["status"], start=day(row["start"])
        )
        assert (period.start_precision, period.end, period.end_precision) == (
            row["start_precision"], day(row["end"]), row["end_precision"] or None,
        )  # fmt: skip
        assert period.note == row["note"]
        assert period.confidence == GRADES[row["confidence"]]
        assert urls(period) == set(row["sources"].split())


def test_status_on_a_day_follows_the_periods():
    on = datetime.date(2014, 1, 1)
    suspended = m.Participant.objects.with_status(on).filter(status="suspended")
    assert set(suspended.values_list("code", flat=True)) == {"CF", "CI", "VE"}
    readmitted = datetime.date(2024, 11, 15)
    assert m.Participant.objects.with_status(readmitted).get(code="CF").status == "active"
    hungary = m.Participant.objects.with_status(datetime.date(2005, 1, 1)).get(code="HU")
    assert hungary.status == "withdrawn"


def test_chinese_taipei_is_an_organisation_not_a_participant():
    (row,) = rows("kp-other-entities.csv")
    taipei = m.Organisation.objects.get(slug="chinese-taipei")
    assert (taipei.kind, taipei.country, taipei.note) == ("government", "TW", row["note"])
    assert urls(taipei) == set(row["sources"].split())


def test_organisations_match_their_file_with_four_observers():
    expected = rows("kp-organisations.csv")
    for row in expected:
        organisation = m.Organisation.objects.get(slug=row["slug"])
        assert (organisation.name, organisation.acronym, organisation.kind) == (
            row["name"], row["acronym"], row["kind"],
        )  # fmt: skip
        assert organisation.kp_observer == (row["kp_observer"] == "true")
        assert organisation.country == (row["country"] or None)
        assert organisation.website == row["website"]
        assert organisation.note == row["note"]
        assert urls(organisation) == set(row["sources"].split())
    observers = m.Organisation.objects.filter(kp_observer=True)
    assert set(observers.values_list("acronym", flat=True)) == {"WDC", "KPCSC", "ADPA", "DDI"}


def test_people_and_affiliations_match_their_files():
    for row in rows("kp-people.csv"):
        person = m.Person.objects.get(slug=row["slug"])
        assert (person.name, person.note) == (row["name"], row["note"])
        assert set(row["sources"].split()) <= urls(person)
    expected = rows("kp-affiliations.csv")
    for row in expected:
        affiliation = m.Affiliation.objects.get(
            person__slug=row["person"],
            organisation__slug=row["organisation"] or None,
            participant__code=row["participant"] or None,
            role=row["role"],
            start=day(row["start"]),
        )
        assert (affiliation.start_precision, affiliation.end, affiliation.end_precision) == (
            row["start_precision"] or None, day(row["end"]), row["end_precision"] or None,
        )  # fmt: skip
        assert affiliation.note == row["note"]
        assert set(row["sources"].split()) <= urls(affiliation)


def test_people_without_a_url_of_their_own_cite_their_affiliations_sources():
    izhakoff = m.Person.objects.get(slug="eli-izhakoff")
    assert urls(izhakoff) == {
        "http://www.minestomarket.net/wdc-selects-avi-paz-as-president-as-izhakoff-steps-down/"
    }


def test_every_speaker_is_a_person_with_an_affiliation():
    for statement in m.Statement.objects.exclude(speaker=None).select_related("speaker"):
        if statement.organisation_id or statement.participant_id:
            assert statement.speaker.affiliations.filter(
                organisation=statement.organisation_id, participant=statement.participant_id
            ).exists(), statement.speaker.slug


def test_chairmanships_match_their_file_for_every_year_2003_to_2026():
    expected = rows("kp-chairmanships.csv")
    assert list(m.Chairmanship.objects.values_list("year", flat=True)) == list(range(2003, 2027))
    for row in expected:
        chair = m.Chairmanship.objects.get(year=int(row["year"]))
        assert (chair.chair and chair.chair.code) == (row["chair"] or None)
        assert (chair.chair_person and chair.chair_person.slug) == (row["chair_person"] or None)
        assert (chair.vice_chair and chair.vice_chair.code) == (row["vice_chair"] or None)
        assert chair.note == row["note"]
        assert urls(chair) == set(row["sources"].split())
    assert m.Chairmanship.objects.get(year=2011).chair.code == "CD"


def test_meetings_match_their_file_with_slugs_and_date_precision():
    expected = rows("kp-meetings.csv")
    assert m.Meeting.objects.count() == len(expected) == 44
    for row in expected:
        meeting = m.Meeting.objects.get(
            year=int(row["year"]), kind=row["kind"], city=row["city"], outcome=row["outcome"]
        )
        assert meeting.start_date == day(row["start_date"])
        assert meeting.end_date == day(row["end_date"])
        for value, precision in [
            (meeting.start_date, meeting.start_date_precision),
            (meeting.end_date, meeting.end_date_precision),
        ]:
            assert precision == (row["date_precision"] if value else None)
        assert (
            meeting.communique_adopted
            == {"true": True, "false": False, "": None}[row["communique_adopted"]]
        )
        assert meeting.country == (row["country_iso2"] or None)
        assert meeting.confidence == GRADES[row["confidence"]]
        assert urls(meeting) == {row["source_url"]}
    kasane = m.Meeting.objects.get(slug="2022-intersessional-kasane")
    assert (kasane.start_date, kasane.end_date) == (
        datetime.date(2022, 6, 20),
        datetime.date(2022, 6, 24),
    )
    assert m.Meeting.objects.get(slug="2021-intersessional-virtual").city == ""
    assert m.Meeting.objects.get(slug="2018-plenary-brussels").host.code == "EU"


def test_proposals_and_positions_match_their_files():
    expected = rows("kp-proposals.csv")
    assert m.Proposal.objects.count() == len(expected) == 34
    for row in expected:
        proposal = m.Proposal.objects.get(slug=row["slug"])
        assert (proposal.title, proposal.summary, proposal.note) == (
            row["title"], row["summary"], row["note"],
        )  # fmt: skip
        assert (proposal.tabled_on, proposal.tabled_on_precision) == (
            day(row["tabled_on"]), row["tabled_on_precision"] or None,
        )  # fmt: skip
        assert set(proposal.tabled_by.values_list("code", flat=True)) == set(
            filter(None, row["tabled_by"].split(";"))
        )
        assert set(proposal.tabled_by_organisations.values_list("slug", flat=True)) == set(
            row["tabled_by_organisations"].replace(";", " ").split()
        )
        assert set(proposal.topics.values_list("slug", flat=True)) == set(row["topics"].split(";"))
        assert (proposal.decision_rule, proposal.outcome) == (row["decision_rule"], row["outcome"])
        assert (proposal.meeting is None) == (row["meeting"] == "")
        assert urls(proposal) == set(row["sources"].split())
    positions = rows("kp-positions.csv")
    assert m.Position.objects.count() == len(positions) == 154
    for row in positions:
        assert bool(row["participant"]) != bool(row["organisation"])
        position = m.Position.objects.get(
            proposal__slug=row["proposal"],
            participant__code=row["participant"] or None,
            organisation__slug=row["organisation"] or None,
        )
        assert (position.position, position.note) == (row["position"], row["note"])
        assert position.confidence == GRADES[row["confidence"]]
        assert urls(position) == set(row["sources"].split())
    with_positions = m.Proposal.objects.filter(positions__isnull=False).distinct()
    assert with_positions.count() >= 8
    observers = m.Position.objects.filter(organisation__isnull=False)
    assert observers.count() == sum(1 for row in positions if row["organisation"]) == 33


def test_statements_are_stored_word_for_word():
    expected = rows("kp-statements.csv")
    seed = rows("seed-article.csv")
    assert m.Statement.objects.count() == len(expected) + len(seed)
    for row in expected + seed:
        statement = m.Statement.objects.get(source__url=row["source_url"], text=row["text"])
        assert statement.date == day(row["said_on"])
        assert statement.date_precision == (row["said_on_precision"] or None)
        # Speakers are matched to people by name: "Ahmed Bin Sulayem" is ahmed-bin-sulayem.
        assert (statement.speaker.slug if statement.speaker else "") == slugify(row["speaker"])
        assert statement.speaker_description == row["speaker_description"]
        assert (statement.participant and statement.participant.code) == (
            row["participant"] or None
        )
        assert set(statement.topics.values_list("slug", flat=True)) == set(row["topics"].split(";"))
        assert (statement.language, statement.note) == (row["language"], row["note"])
        assert statement.confidence == GRADES[row["confidence"]]
    texts = set(m.Statement.objects.values_list("text", flat=True))
    assert texts == {row["text"] for row in expected + seed}


def test_every_quote_of_the_seed_article_is_a_statement_citing_it():
    article = (FIXTURES / "seed-article-jck.txt").read_text(encoding="utf-8")
    url = "https://www.jckonline.com/editorial-article/kimberley-process-no-longer-works/"
    quotes = m.Statement.objects.filter(source__url=url)
    assert quotes.count() == 8
    for quote in quotes:
        assert quote.text in article
    merket = quotes.filter(speaker__slug="hans-merket")
    assert merket.count() == 6
    assert quotes.filter(speaker=None, speaker_description="a government official").count() == 2
    source = m.Source.objects.get(url=url)
    assert (source.kind, source.author, source.publisher) == ("news", "Rob Bates", "JCK")
    assert source.published_on is None  # never retrieved: not invented


def test_the_western_bloc_has_the_members_the_seed_article_names():
    bloc = m.Bloc.objects.get(slug="western-bloc")
    codes = set(bloc.members.values_list("code", flat=True))
    assert codes == {"US", "EU", "CA", "AU", "CH", "GB"}


def test_statistics_match_their_file_with_world_totals_apart():
    expected = rows("kp-statistics.csv")
    assert m.Production.objects.count() + m.Trade.objects.count() == len(expected) == 294
    for row in expected:
        code = row["participant"] or None
        if row["flow"] == "production":
            figure = m.Production.objects.get(participant__code=code, year=int(row["year"]))
        else:
            figure = m.Trade.objects.get(
                participant__code=code, year=int(row["year"]), flow=row["flow"]
            )
            assert figure.certificates == (
                int(row["certificates"]) if row["certificates"] else None
            )
        assert (figure.carats, figure.value_usd) == (
            amount(row["carats"]),
            amount(row["value_usd"]),
        )
        assert figure.note == row["note"]
        assert figure.confidence == GRADES[row["confidence"]]
        assert urls(figure) == set(row["sources"].split())
    world_2021 = m.Production.objects.get(participant=None, year=2021)
    assert world_2021.carats is not None
    namibia = m.Trade.objects.get(participant__code="NA", year=2022, flow="export")
    assert namibia.certificates == 241


def test_every_statistics_report_is_kept_beside_its_figure():
    expected = rows("kp-statistics-reports.csv")
    assert m.StatisticReport.objects.count() == len(expected) == 434
    for row in expected:
        model = m.Production if row["flow"] == "production" else m.Trade
        lookup = {"participant__code": row["iso2"] or None, "year": int(row["year"])}
        if model is m.Trade:
            lookup["flow"] = row["flow"]
        figure = model.objects.get(**lookup)
        report = figure.reports.get(source__url=row["source_url"])
        assert (report.carats, report.value_usd) == (
            amount(row["carats"]),
            amount(row["value_usd"]),
        )
        assert report.reported_as == row["participant"]
        assert report.note == row["note"]


def test_sources_carry_the_title_publisher_and_date_their_file_gives():
    expected = rows("kp-sources.csv")
    assert len(expected) == 395
    for row in expected:
        source = m.Source.objects.get(url=row["url"])
        if row["title"]:
            assert source.title == row["title"]
        if row["publisher"]:
            assert source.publisher == row["publisher"]
        if row["published_on"]:
            assert source.published_on == day(row["published_on"])
            assert source.published_on_precision == (row["published_on_precision"] or "day")
    # Where no file gives a title or a date, none is made up.
    jck = m.Source.objects.get(
        url="https://www.jckonline.com/editorial-article/kimberley-process-no-longer-works/"
    )
    assert jck.published_on is None and jck.published_on_precision is None
    assert m.Source.objects.filter(title="").count() > 100


def test_no_record_without_a_source_or_a_confidence():
    sourced = [model for model in m.__dict__.values() if isinstance(model, type)]
    sourced = [model for model in sourced if issubclass(model, m.base.SourcedModel)]
    assert len(sourced) >= 12
    for model in sourced:
        assert not model.objects.filter(sources=None).exists(), model.__name__
        assert not model.objects.filter(confidence="").exists(), model.__name__
    assert m.Source.objects.count() >= 300


def test_every_record_passes_its_model_validation():
    for model in (m.Participant, m.Organisation, m.Person, m.Meeting, m.Proposal, m.Source):
        for obj in model.objects.all():
            obj.full_clean()
