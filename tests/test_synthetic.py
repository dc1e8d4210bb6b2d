"""`generate_synthetic`: proportionate records, all marked and sourced, repeatable, removable."""

import datetime
import re
import statistics
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from api import models as m
from bench import synthetic

pytestmark = pytest.mark.django_db

N = 500
STATEMENTS = "/api/v1/statements/"
# Every table of the record, links included; the history's and the version's change by design.
TABLES = [
    model
    for model in apps.get_app_config("api").get_models(include_auto_created=True)
    if model not in (m.Change, m.Actor, m.Version)
]
SOURCED = (m.Person, m.Organisation, m.Meeting, m.Proposal, m.Position, m.Trade)


def run(*options: str) -> str:
    out = StringIO()
    call_command("generate_synthetic", *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def state() -> dict[str, dict]:
    """Every row of every table, by table and id, all columns included, timestamps too."""
    return {
        model._meta.db_table: {
            row[0]: row
            for row in model.objects.order_by().values_list(
                "pk", *(field.attname for field in model._meta.concrete_fields)
            )
        }
        for model in TABLES
    }


def fingerprint() -> dict[str, list]:
    """What a seed decides, without the ids and timestamps the database assigns."""
    statements = synthetic.synthetic(m.Statement).order_by("pk")
    return {
        "statements": list(
            statements.values_list(
                "text",
                "date",
                "date_precision",
                "language",
                "speaker__slug",
                "meeting__slug",
                "participant__code",
                "source__slug",
            )
        ),
        "topics": [
            sorted(topic.slug for topic in statement.topics.all())
            for statement in statements.prefetch_related("topics")
        ],
        "people": list(synthetic.synthetic(m.Person).order_by("slug").values_list("slug", "name")),
        "meetings": list(synthetic.synthetic(m.Meeting).order_by("slug").values_list("title")),
        "positions": sorted(
            synthetic.synthetic(m.Position).values_list(
                "proposal__slug", "participant__code", "position"
            )
        ),
        "trade": sorted(
            synthetic.synthetic(m.Trade).values_list("participant__code", "year", "flow", "carats")
        ),
    }


def test_a_load_adds_the_statements_and_records_in_proportion():
    out = run("--statements", str(N), "--seed", "7")
    positions = synthetic.synthetic(m.Position).count()
    assert re.fullmatch(
        rf"Synthetic records added: {N} statements, 3 people, 1 organisations, 1 meetings, "
        rf"1 proposals, {positions} positions, 10 sources, 3 trade, \d+ topic links, "
        r"\d+ source links, \d+ tabled-by links in \d+\.\d s\.\n",
        out,
    )
    expected = {
        m.Statement: N, m.Person: 3, m.Organisation: 1, m.Meeting: 1, m.Proposal: 1,
        m.Source: 10, m.Trade: 3,
    }  # fmt: skip
    for model, count in expected.items():
        assert synthetic.synthetic(model).count() == count, model
    assert 1 <= positions <= 6  # a few per proposal, one per participant at most
    assert synthetic.counts(1_000_000) == {
        "people": 5000, "organisations": 500, "meetings": 200, "proposals": 500,
        "sources": 20000,
    }  # fmt: skip


def test_real_records_are_left_exactly_as_they_were():
    before = state()
    participants = m.Participant.objects.count()
    run("--statements", str(N))
    after = state()
    for table, rows in before.items():
        assert {pk: after[table][pk] for pk in rows} == rows, table
    assert m.Participant.objects.count() == participants  # cited, never created
    for model in synthetic.MODELS:
        table = model._meta.db_table
        added = set(after[table]) - set(before[table])
        assert added == set(synthetic.synthetic(model).values_list("pk", flat=True)), table


def test_every_synthetic_record_is_marked_and_cites_a_synthetic_source():
    run("--statements", str(N))
    for model in (*SOURCED, m.Statement, m.Source):
        rows = model.objects.filter(note=synthetic.NOTE)
        assert rows.count() == synthetic.synthetic(model).count() > 0, model
        assert set(rows.values_list("confidence", flat=True)) == {"uncertain"}
        if hasattr(model, "slug"):
            assert all(
                slug.startswith("synthetic-") for slug in rows.values_list("slug", flat=True)
            )
    for model in SOURCED:
        for record in synthetic.synthetic(model).prefetch_related("sources"):
            slugs = [source.slug for source in record.sources.all()]
            assert slugs and all(slug.startswith("synthetic-") for slug in slugs), record
    statements = synthetic.synthetic(m.Statement)
    assert not statements.exclude(source__slug__startswith="synthetic-").exists()
    assert not synthetic.synthetic(m.Source).exclude(url__startswith="https://synthetic.invalid/")
    assert not synthetic.synthetic(m.Trade).exclude(year__range=(1950, 2005)).exists()


def test_statements_read_like_real_ones():
    run("--statements", str(N))
    statements = list(synthetic.synthetic(m.Statement).values("text", "date", "language"))
    lengths = [len(s["text"]) for s in statements]
    assert 100 < statistics.mean(lengths) < 250  # the real ones average about 160 characters
    assert len({s["text"] for s in statements}) == N
    assert sum(s["language"] == "en" for s in statements) > 0.8 * N
    days = [s["date"] for s in statements if s["date"]]
    assert datetime.date(2002, 1, 1) <= min(days) and max(days) <= datetime.date(2025, 12, 31)
    assert len({day.year for day in days}) > 15
    precisions = set(synthetic.synthetic(m.Statement).values_list("date_precision", flat=True))
    assert {"day", "month", "year"} <= precisions


def test_the_same_seed_gives_the_same_records():
    run("--statements", str(N), "--seed", "11")
    first = fingerprint()
    run("--clear")
    run("--statements", str(N), "--seed", "11")
    assert fingerprint() == first
    run("--clear")
    run("--statements", str(N), "--seed", "12")
    assert fingerprint()["statements"] != first["statements"]


def test_the_api_serves_and_finds_the_new_statements(client):
    before = client.get(STATEMENTS, {"page_size": 5}).json()["count"]
    run("--statements", str(N))
    response = client.get(STATEMENTS, {"page_size": 5})
    assert response.status_code == 200
    assert response.json()["count"] == before + N
    found = client.get(STATEMENTS, {"search": "diamonds", "page_size": 5}).json()["count"]
    assert found > N / 4  # common words recur, so searches find many statements
    person = client.get("/api/v1/people/synthetic-person-000001/").json()
    assert person["note"] == synthetic.NOTE


def test_clear_removes_every_synthetic_record_and_only_those():
    before = state()
    run("--statements", str(N))
    out = run("--clear")
    assert out.startswith(f"Synthetic records removed: {N} statements, ")
    after = state()
    assert after == before


def test_a_second_load_is_refused_until_the_first_is_cleared():
    run("--statements", "50")
    with pytest.raises(CommandError, match="already loaded: run --clear first"):
        run("--statements", "50")
    run("--clear")
    run("--statements", "50")


def test_clear_refuses_to_leave_real_records_citing_synthetic_ones():
    run("--statements", "50")
    person = synthetic.synthetic(m.Person).first()
    m.Affiliation.objects.create(person=person, participant=m.Participant.objects.first())
    with pytest.raises(CommandError, match=r"Real records cite synthetic ones: 1 api_affiliation"):
        run("--clear")
    assert synthetic.synthetic(m.Statement).count() == 50


def test_statements_or_clear_is_required_and_not_both():
    with pytest.raises(CommandError):
        run()
    with pytest.raises(CommandError):
        run("--statements", "5", "--clear")
    with pytest.raises(CommandError, match="at least 1"):
        run("--statements", "0")


@pytest.mark.postgresql
def test_a_load_on_postgresql_skips_the_history_and_then_restores_the_triggers():
    changes = m.Change.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        timeout = cursor.fetchone()
        run("--statements", str(N))
        assert m.Change.objects.count() == changes
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone() == ("origin",)
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == timeout
    person = m.Person.objects.exclude(slug__startswith="synthetic-").first()
    person.name += " (edited)"
    person.save()
    assert m.Change.objects.count() == changes + 1
