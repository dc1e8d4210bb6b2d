"""/api/v1/statements/: the words said, filtered, searched, shaped and cited, as promised."""

import datetime

import pytest
from django.utils.text import slugify

from api import models as m
from tests.helpers import SERVER, problem, rows, stamp

pytestmark = pytest.mark.django_db

STATEMENTS = "/api/v1/statements/"
JCK = "https://www.jckonline.com/editorial-article/kimberley-process-no-longer-works/"
CONSUMER_CONFIDENCE = (
    "They have wanted to keep it to maintain consumer confidence in diamonds. "
    "But the KP seems to be eroding consumer confidence in diamonds."
)
WDC_CONSUMER_CONFIDENCE = (
    "Progressing with an expansion of the definition of conflict diamonds is imperative, "
    "both for the KP and for consumer confidence in natural diamonds."
)
WEST_VERSUS_THE_REST = (
    "They didn\u2019t want [the Russian issue] to be the West versus the rest of the world, "
    "but that is what it mainly became"
)
BAIRD = (
    "Contrary to the Chair\u2019s Notice, key concerns were not addressed and Canada, and "
    "like-minded states, did not endorse the proposal submitted by the Chair"
)
GOOCH_2007 = (
    "If the KP does not address large-scale smuggling of rough diamonds in Venezuela and other "
    "countries, it cannot effectively protect against the threat of blood diamonds."
)


def said() -> list[dict[str, str]]:
    """Every statement row: the reference file and the seed article's quotes."""
    return rows("kp-statements.csv") + rows("seed-article.csv")


def organisation_slugs() -> dict[str, str]:
    """How the statements file names organisations, mapped to organisation slugs."""
    return {row["organisation"]: row["slug"] for row in rows("statement-organisations.csv")}


def listed(client, **params) -> list[dict]:
    response = client.get(STATEMENTS, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def texts(client, **params) -> set[str]:
    return {result["text"] for result in listed(client, **params)}


def id_of(text: str) -> int:
    return m.Statement.objects.get(text=text).pk


# Filters ---------------------------------------------------------------------------------------


def test_statements_made_for_the_central_african_republic_leaving_out_uncertain_ones(client):
    expected = {row["text"] for row in said() if row["participant"] == "CF"}
    assert len(expected) == 2
    found = texts(client, participant="CF", confidence="verified,single_source")
    assert found == expected
    assert texts(client, participant="CF", confidence="uncertain") == set()


def test_participant_codes_are_case_insensitive_and_take_several_values(client):
    botswana = {row["text"] for row in said() if row["participant"] == "BW"}
    eu = {row["text"] for row in said() if row["participant"] == "EU"}
    assert botswana and eu
    assert texts(client, participant="bw") == texts(client, participant="BW") == botswana
    assert texts(client, participant="Bw,eu") == botswana | eu


def test_an_unknown_participant_code_is_a_400_naming_the_parameter(client):
    body = problem(client.get(STATEMENTS, {"participant": "XX"}), 400, "participant")
    assert "XX" in body["errors"]["participant"][0]
    problem(client.get(STATEMENTS, {"participant": "world"}), 400, "participant")


def test_every_statement_of_the_civil_society_coalition_about_the_definition_reform(client):
    names = organisation_slugs()
    expected = {
        row["text"]
        for row in said()
        if names.get(row["organisation"]) == "kp-civil-society-coalition"
        and "definition-reform" in row["topics"].split(";")
    }
    assert len(expected) >= 5
    found = texts(client, organisation="kp-civil-society-coalition", topic="definition-reform")
    assert found == expected
    # The coalition's Kasane words on blocking were about Russia, not the definition.
    blocked = "A small group of participants have blocked all others from discussing the elephants"
    assert any(
        text.startswith(blocked)
        for text in texts(client, organisation="kp-civil-society-coalition")
    )
    assert not any(text.startswith(blocked) for text in found)


def test_several_topics_list_each_statement_once(client):
    wanted = {"consensus", "definition-reform"}
    expected = [row["text"] for row in said() if wanted & set(row["topics"].split(";"))]
    found = [result["text"] for result in listed(client, topic="consensus,definition-reform")]
    assert sorted(found) == sorted(expected)
    assert len(found) == len(set(found))  # a statement about both topics comes back once


def test_an_unknown_organisation_or_topic_slug_is_a_400_naming_the_parameter(client):
    problem(client.get(STATEMENTS, {"organisation": "no-such-ngo"}), 400, "organisation")
    problem(client.get(STATEMENTS, {"topic": "no-such-topic"}), 400, "topic")


def test_every_quote_by_hans_merket_comes_with_its_source_url(client):
    expected = {row["text"]: row["source_url"] for row in said() if row["speaker"] == "Hans Merket"}
    assert len(expected) == 8
    results = listed(client, speaker="hans-merket", expand="source")
    assert {result["text"]: result["source"]["url"] for result in results} == expected
    assert all(result["speaker"] == "hans-merket" for result in results)
    assert "The silence has been deafening" not in {result["text"] for result in results}


def test_an_unknown_speaker_is_a_400_naming_the_parameter(client):
    problem(client.get(STATEMENTS, {"speaker": "nobody-at-all"}), 400, "speaker")


def test_statements_said_at_the_kasane_intersessional(client):
    expected = {row["text"] for row in said() if row["meeting"] == "2022 intersessional, Kasane"}
    assert WEST_VERSUS_THE_REST in expected
    found = texts(client, meeting="2022-intersessional-kasane")
    assert found == expected
    gaborone = texts(client, meeting="2022-plenary-gaborone")
    assert gaborone and not gaborone & found
    problem(client.get(STATEMENTS, {"meeting": "2099-plenary-atlantis"}), 400, "meeting")


def test_statements_about_the_kasane_russia_agenda_item(client):
    found = texts(client, proposal="2022-kasane-russia-agenda-item")
    assert found == {WEST_VERSUS_THE_REST}
    assert CONSUMER_CONFIDENCE not in found
    problem(client.get(STATEMENTS, {"proposal": "no-such-proposal"}), 400, "proposal")


def test_statements_printed_by_the_seed_article(client):
    source = m.Source.objects.get(url=JCK)
    expected = {row["text"] for row in said() if row["source_url"] == JCK}
    assert len(expected) == 8
    found = texts(client, source=source.slug)
    assert found == expected
    assert GOOCH_2007 not in found
    problem(client.get(STATEMENTS, {"source": "no-such-source"}), 400, "source")


def test_statements_about_traceability(client):
    expected = {row["text"] for row in said() if "traceability" in row["topics"].split(";")}
    found = texts(client, topic="traceability")
    assert found == expected
    assert CONSUMER_CONFIDENCE not in found  # a russia-ukraine quote of the same article


def test_the_french_statement_comes_back_for_fr_in_any_case(client):
    french = {row["text"] for row in said() if row["language"] == "fr"}
    assert len(french) == 1
    assert texts(client, language="fr") == texts(client, language="FR") == french
    english = texts(client, language="en")
    assert not english & french
    assert CONSUMER_CONFIDENCE in english


def test_statements_said_between_two_days(client):
    start, end = datetime.date(2025, 11, 17), datetime.date(2025, 11, 21)
    expected = {
        row["text"]
        for row in said()
        if row["said_on"] and start <= datetime.date.fromisoformat(row["said_on"]) <= end
    }
    assert len(expected) >= 5
    found = texts(client, date_after=start.isoformat(), date_before=end.isoformat())
    assert found == expected
    # Said in November 2025, known only to the month: stored as 1 November, so left out.
    assert not any(text.startswith("While not unexpected") for text in found)
    # Undated statements are never in a date range.
    assert CONSUMER_CONFIDENCE not in texts(client, date_after="2000-01-01")
    assert CONSUMER_CONFIDENCE not in texts(client, date_before="2100-01-01")


def test_a_malformed_day_is_a_400_naming_the_parameter(client):
    problem(client.get(STATEMENTS, {"date_after": "2025-13-45"}), 400, "date_after")
    problem(client.get(STATEMENTS, {"date_before": "last week"}), 400, "date_before")


def test_verified_statements_leave_out_single_source_ones(client):
    grades = {"V": "verified", "S": "single_source", "U": "uncertain"}
    verified = {row["text"] for row in said() if grades[row["confidence"]] == "verified"}
    single = {row["text"] for row in said() if grades[row["confidence"]] == "single_source"}
    assert texts(client, confidence="verified") == verified
    assert texts(client, confidence="single_source") == single
    assert CONSUMER_CONFIDENCE in verified and GOOCH_2007 in single


# Ordering --------------------------------------------------------------------------------------


def test_statements_ordered_by_date_both_ways_with_undated_ones_last(client):
    dated = sorted((row for row in said() if row["said_on"]), key=lambda row: row["said_on"])
    oldest, newest = dated[0]["said_on"], dated[-1]["said_on"]
    ascending = listed(client, ordering="date")
    descending = listed(client, ordering="-date")
    assert ascending[0]["date"] == oldest
    assert descending[0]["date"] == newest
    for results in (ascending, descending):
        dates = [result["date"] for result in results]
        undated = dates.count(None)
        assert undated == 8  # the seed article's quotes
        assert dates[-undated:] == [None] * undated
    assert [r["date"] for r in ascending[:-8]] == sorted(r["date"] for r in ascending[:-8])
    assert [r["date"] for r in descending[:-8]] == sorted(
        (r["date"] for r in descending[:-8]), reverse=True
    )


def test_statements_ordered_by_id_both_ways(client):
    ids = sorted(m.Statement.objects.values_list("pk", flat=True))
    assert [result["id"] for result in listed(client, ordering="id")] == ids
    assert [result["id"] for result in listed(client, ordering="-id")] == ids[::-1]


# Search ----------------------------------------------------------------------------------------


def test_searching_two_words_finds_the_consumer_confidence_quotes(client):
    found = texts(client, search="consumer confidence")
    assert found == {CONSUMER_CONFIDENCE, WDC_CONSUMER_CONFIDENCE}


def test_search_needs_every_word(client):
    assert texts(client, search="eroding confidence") == {CONSUMER_CONFIDENCE}
    assert texts(client, search="confidence zebra") == set()


def test_search_combines_with_filters(client):
    found = texts(client, search="consumer confidence", speaker="hans-merket")
    assert found == {CONSUMER_CONFIDENCE}


@pytest.mark.postgresql
def test_search_is_stemmed_on_postgresql_so_blocking_finds_blocked(client):
    found = texts(client, search="blocking")
    assert "There was not one single group blocking progress" in found
    assert (
        "A small group of participants have blocked all others from discussing the elephants "
        "in the room" in found
    )
    assert any("were blocked by Russia" in text for text in found)


@pytest.mark.postgresql
def test_search_takes_web_search_syntax_on_postgresql(client):
    assert texts(client, search='"consumer confidence" -eroding') == {WDC_CONSUMER_CONFIDENCE}
    assert texts(client, search="eroding or deafening") == {
        CONSUMER_CONFIDENCE,
        "The silence has been deafening",
    }


# Fields and expand -----------------------------------------------------------------------------


def test_fields_returns_only_the_fields_asked_for(client):
    results = listed(client, fields="id,citation", speaker="hans-merket")
    assert len(results) == 8
    assert all(set(result) == {"id", "citation"} for result in results)
    detail = client.get(f"{STATEMENTS}{id_of(BAIRD)}/", {"fields": "text,source"})
    source = m.Statement.objects.get(text=BAIRD).source.slug
    assert detail.json() == {"text": BAIRD, "source": source}


def test_expand_replaces_every_reference_by_its_brief_form(client):
    statement = m.Statement.objects.get(text=WEST_VERSUS_THE_REST)
    response = client.get(
        f"{STATEMENTS}{statement.pk}/",
        {"expand": "speaker,organisation,participant,meeting,proposal,source"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["speaker"]["slug"] == "hans-merket"
    assert body["speaker"]["name"] == "Hans Merket"
    assert body["speaker"]["url"] == f"{SERVER}/people/hans-merket/"
    assert body["organisation"]["slug"] == "ipis"
    assert body["organisation"]["url"] == f"{SERVER}/organisations/ipis/"
    assert body["participant"] is None
    assert body["meeting"]["slug"] == "2022-intersessional-kasane"
    assert body["meeting"]["url"] == f"{SERVER}/meetings/2022-intersessional-kasane/"
    assert body["proposal"]["slug"] == "2022-kasane-russia-agenda-item"
    assert body["proposal"]["url"] == f"{SERVER}/proposals/2022-kasane-russia-agenda-item/"
    source = statement.source
    assert body["source"]["slug"] == source.slug
    assert body["source"]["title"] == "Some Countries Feel Kimberley Process No Longer Works: NGO"
    assert body["source"]["url"] == JCK  # the page itself
    assert body["source"]["api_url"] == f"{SERVER}/sources/{source.slug}/"
    assert body["text"] == WEST_VERSUS_THE_REST  # nothing else changes


def test_expand_participant_gives_the_participants_brief_form(client):
    results = listed(client, participant="CF", expand="participant")
    assert len(results) == 2
    for result in results:
        assert result["participant"]["code"] == "CF"
        assert result["participant"]["name"] == "Central African Republic"
        assert result["participant"]["url"] == f"{SERVER}/participants/CF/"


def test_unexpanded_references_are_identifiers(client):
    (result,) = listed(client, proposal="2022-kasane-russia-agenda-item")
    assert result["speaker"] == "hans-merket"
    assert result["organisation"] == "ipis"
    assert result["meeting"] == "2022-intersessional-kasane"
    assert result["proposal"] == "2022-kasane-russia-agenda-item"
    assert result["source"] == m.Source.objects.get(url=JCK).slug


def test_every_listed_statement_is_exactly_its_detail(client):
    # Lists read plain values and details read models: two paths, one representation.
    results = listed(client)
    assert len(results) == m.Statement.objects.count()
    for result in results:
        assert result == client.get(result["url"]).json()


@pytest.mark.parametrize(
    "fields", ["citation,topics", "id,url,date,created_at", "speaker,source,note,language"]
)
def test_a_list_with_fields_serves_exactly_those_fields_of_each_statement(client, fields):
    names = fields.split(",")
    whole = [{name: result[name] for name in names} for result in listed(client)]
    assert listed(client, fields=fields) == whole


# Citation --------------------------------------------------------------------------------------


def test_a_citation_names_speaker_source_title_publisher_date_and_url(client):
    response = client.get(f"{STATEMENTS}{id_of(GOOCH_2007)}/")
    assert response.json()["citation"] == (
        "Charmian Gooch, “Kimberley Process Not Rushing to Expel Venezuela”, "
        "Rapaport News (rapaportfairtrade.com), 9 October 2007, "
        "https://rapaportfairtrade.com/2007/10/09/kimberley-process-not-rushing-to-expel-venezuela/"
    )


def test_an_unnamed_speakers_citation_says_who_spoke_as_the_source_puts_it(client):
    (anonymous,) = [row for row in said() if row["speaker_description"].startswith("a source")]
    response = client.get(f"{STATEMENTS}{id_of(anonymous['text'])}/")
    citation = response.json()["citation"]
    assert citation.startswith("a source close to the KP (anonymous), “Kimberley Process Not")
    assert citation.endswith(anonymous["source_url"])


def test_every_citation_is_one_line_with_speaker_title_publisher_and_url(client):
    by_text = {row["text"]: row for row in said()}
    for result in listed(client):
        row = by_text[result["text"]]
        citation = result["citation"]
        assert "\n" not in citation
        speaker = (
            m.Person.objects.get(slug=slugify(row["speaker"])).name
            if row["speaker"]
            else row["speaker_description"]
        )
        assert citation.startswith(f"{speaker}, ")
        # A page named by several files carries one title and publisher: the record's.
        source = m.Source.objects.get(url=row["source_url"])
        title = f", “{source.title}”" if source.title else ""  # an unknown title is left out
        assert f"{title}, {source.publisher}, " in citation
        assert citation.endswith(f", {row['source_url']}")


# The whole record ------------------------------------------------------------------------------


def test_a_statement_in_full(client):
    (row,) = [row for row in said() if row["text"] == BAIRD]
    statement = m.Statement.objects.get(text=BAIRD)
    source = m.Source.objects.get(url=row["source_url"])
    response = client.get(f"{STATEMENTS}{statement.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": statement.pk,
        "url": f"{SERVER}/statements/{statement.pk}/",
        "text": row["text"],
        "date": "2011-06-24",
        "date_precision": "day",
        "citation": (
            "John Baird, “Canada Rejects Statement on Zimbabwe Diamonds”, "
            "Foreign Affairs and International Trade Canada, 24 June 2011, "
            "http://www.international.gc.ca/media/aff/news-communiques/2011/181.aspx?lang=eng"
        ),
        "speaker": slugify(row["speaker"]),
        "speaker_description": "",
        "speaker_role": row["speaker_role"],
        "organisation": "foreign-affairs-and-international-trade-canada",
        "participant": "CA",
        "meeting": "2011-intersessional-kinshasa",
        "proposal": None,
        "topics": sorted(row["topics"].split(";")),
        "language": "en",
        "source": source.slug,
        "confidence": "single_source",
        "note": row["note"],
        "created_at": stamp(statement.created_at),
        "updated_at": stamp(statement.updated_at),
    }
