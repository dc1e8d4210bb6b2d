"""Synthetic KP records for benchmarks: deterministic for a seed, bulk-loaded, and removable."""

import contextlib
import datetime
import itertools
import operator
import random
import time
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from api import history
from api import models as m

NOTE = "Synthetic record for benchmarks; not a fact."
PREFIX = "synthetic-"
ACTOR = "command:generate_synthetic"
# One record of each kind per this many statements, and at least one.
PER = {"people": 200, "organisations": 2000, "meetings": 5000, "proposals": 2000, "sources": 50}
TRADE_PER = 200
# Real figures start in 2006: synthetic trade keeps to earlier years, so it never meets them.
TRADE_YEARS = range(1950, 2006)
FIRST_DAY, LAST_DAY = datetime.date(2002, 1, 1), datetime.date(2025, 12, 31)
DAYS = [FIRST_DAY + datetime.timedelta(d) for d in range((LAST_DAY - FIRST_DAY).days + 1)]
PRECISIONS = ["day", "month", "year", None]
LINKS = {"topics": "topic links", "sources": "source links", "tabled_by": "tabled-by links"}
SUMMARY = ["statements", "people", "organisations", "meetings", "proposals", "positions",
           "sources", "trade", *LINKS.values()]  # fmt: skip
# Removal order: every record before the records it cites.
MODELS = (m.Statement, m.Position, m.Proposal, m.Meeting, m.Person, m.Organisation, m.Trade,
          m.Source)  # fmt: skip


class Vocabulary:
    """Words drawn as running text has them (Zipf-Mandelbrot): the first recur in most texts,
    the last are rare, so full-text searches find both broad and narrow matches."""

    def __init__(self, words: str):
        self.words = words.split()
        ranks = range(1, len(self.words) + 1)
        self.weights = list(itertools.accumulate(1 / (rank + 2.7) for rank in ranks))

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.weights, k=count)


ENGLISH = Vocabulary("""the of and to diamonds in Kimberley Process a is that for rough KP on not
with participants conflict certification by we it scheme this be are plenary has have will its
reform definition consensus chair must should industry civil society from trade as at an exports
was all our their government review mission compliance more no but which can countries Russia
Zimbabwe Marange Venezuela Angola Botswana diamond producers miners artisanal communities human
rights violence credibility traceability secretariat observers coalition working group committee
decision administrative statistics imports suspension smuggling monitoring certificates origin
shipment customs transparency accountability provenance peace security revenue development
standards implementation delegation delegates proposal mandate legitimacy blocked supported
opposed welcomed urged warned agreed failed vetoed council market consumers confidence natural
sanctions Ukraine Dubai Antwerp European Union United States India China Namibia Sierra Leone
Liberia Congo Guinea Africa West rest world again still never year meeting communique statement
system cannot address threat blood evidence funds armed groups rebels clear progress serious
abuses reports week members issue concerns key endorse submitted notice like-minded expansion
imperative eroding keep maintain wanted mainly became footprint peer laboratory polished cartel
embargo audit forensic whistleblower cutters jewellers retailers kimberlite alluvial dredging
tailings cooperative licence permit""")
LANGUAGES = {  # tag: (words, weight); most statements are in English, as the real ones are
    "en": (ENGLISH, 93),
    "fr": (
        Vocabulary("""le la les de des et du processus Kimberley diamants bruts pays
participants certification conflit réforme consensus gouvernement société civile exportations
plénière présidence mission examen conformité communautés droits confiance traçabilité"""),
        4,
    ),
    "es": (
        Vocabulary("""el la los de del y proceso Kimberley diamantes brutos países
participantes certificación conflicto reforma consenso gobierno sociedad civil exportaciones
plenaria presidencia misión cumplimiento comunidades derechos confianza"""),
        2,
    ),
    "pt": (
        Vocabulary("""o a os de do e processo Kimberley diamantes brutos países participantes
certificação conflito reforma consenso governo sociedade civil exportações plenária missão"""),
        1,
    ),
}
FIRST_NAMES = ["Amara", "Thabo", "Nadia", "Pieter", "Ivan", "Mei", "Kwame", "Laura", "Sipho",
               "Elena", "Farid", "Grace", "Olu", "Marta", "Hugo", "Aisha", "Jonas", "Priya",
               "Tendai", "Sofia", "Kofi", "Anna", "Mikhail", "Lindiwe", "Moses"]  # fmt: skip
LAST_NAMES = ["Okafor", "Dlamini", "Moreau", "Janssens", "Petrov", "Chen", "Mensah", "Fischer",
              "Nkosi", "Rossi", "Haddad", "Mutasa", "Kamara", "Silva", "Ndlovu", "Novak",
              "Kapoor", "Banda", "Lindqvist", "Osei", "Kovacs", "Mwangi", "Dubois"]  # fmt: skip
ROLES = ["", "", "", "minister of mines", "head of delegation", "director", "researcher",
         "spokesperson", "deputy minister", "campaigner", "chief executive",
         "ambassador"]  # fmt: skip
DESCRIPTIONS = ["a government official", "a delegate", "an industry representative",
                "a source close to the KP (anonymous)", "an NGO researcher"]  # fmt: skip
PUBLISHERS = ["Diamond Trade Journal", "Mining Weekly Review", "African Resource Monitor",
              "Global Gem Report", "Rough Market Digest", ""]  # fmt: skip
ORGANISATION_WORDS = (["Southern", "Global", "Independent", "African", "International"],
                      ["Diamond", "Mining", "Resource", "Gem", "Extractives", "Mineral"],
                      ["Watch", "Council", "Network", "Institute", "Alliance",
                       "Forum"])  # fmt: skip
CITIES = [("Gaborone", "BW", "BW"), ("Kasane", "BW", "BW"), ("Windhoek", "NA", "NA"),
          ("Luanda", "AO", "AO"), ("Kinshasa", "CD", "CD"), ("Brussels", "BE", "EU"),
          ("Antwerp", "BE", "EU"), ("Dubai", "AE", "AE"), ("New Delhi", "IN", "IN"),
          ("Moscow", "RU", "RU"), ("Johannesburg", "ZA", "ZA"), ("Washington", "US", "US"),
          ("Shanghai", "CN", "CN"), ("Perth", "AU", "AU"),
          ("Victoria Falls", "ZW", "ZW")]  # fmt: skip


class SyntheticError(Exception):
    """The load or the removal cannot go ahead; nothing was changed."""


def counts(statements: int) -> dict[str, int]:
    """How many records of each kind go with this many statements."""
    return {name: -(-statements // per) for name, per in PER.items()}


def synthetic(model: type[models.Model]) -> models.QuerySet:
    """A model's synthetic rows: the note and grade, and a `synthetic-` slug or parent or source."""
    rows = model.objects.filter(note=NOTE, confidence=m.Confidence.UNCERTAIN).order_by()
    if model is m.Statement:
        return rows.filter(source__in=synthetic(m.Source))
    if model is m.Position:
        return rows.filter(proposal__in=synthetic(m.Proposal))
    if model is m.Trade:
        return rows.filter(year__in=TRADE_YEARS, participant__isnull=False)
    return rows.filter(slug__startswith=PREFIX)


def generate(statements: int, seed: int = 0) -> tuple[dict[str, int], float]:
    """Add `statements` synthetic statements and proportionate records, in one transaction.

    Returns the rows written by kind and the seconds taken. On PostgreSQL the rows go in by COPY
    with the history triggers off: the load is not kept in the history.
    """
    if statements < 1:
        raise SyntheticError("--statements must be at least 1.")
    start = time.monotonic()
    with transaction.atomic(), history.actor(ACTOR), _bulk() as writer:
        if any(synthetic(model).exists() for model in MODELS):
            raise SyntheticError("Synthetic records are already loaded: run --clear first.")
        written = Generator(writer, seed).run(statements)
    writer.analyze()
    return written, time.monotonic() - start


def clear() -> tuple[dict[str, int], float]:
    """Remove every synthetic record and its links, and nothing else, in one transaction."""
    start = time.monotonic()
    removed = {}
    with transaction.atomic(), history.actor(ACTOR), _bulk() as writer:
        for model in MODELS:
            rows = synthetic(model).values("pk")
            for field in model._meta.many_to_many:
                writer.delete(field.remote_field.through, field.m2m_column_name(), rows)
            removed[str(model._meta.verbose_name_plural)] = writer.delete(model, "id", rows)
        if dangling := writer.dangling():
            raise SyntheticError("Real records cite synthetic ones: " + "; ".join(dangling))
    writer.analyze()
    return removed, time.monotonic() - start


@contextlib.contextmanager
def _bulk():
    """A writer for the open transaction; on PostgreSQL with triggers and timeout off in it."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            yield Writer(cursor)
            return
        cursor.execute("SELECT current_setting('session_replication_role'), "
                       "current_setting('statement_timeout')")  # fmt: skip
        role, timeout = cursor.fetchone()
        try:
            # Skips every trigger, the history's included, for this transaction only.
            cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError as error:
            raise SyntheticError(f"Skipping triggers needs a superuser: {error}") from None
        cursor.execute("SET LOCAL statement_timeout = 0")
        yield CopyWriter(cursor)
        cursor.execute(history.BUMP_POSTGRESQL)  # the triggers that count versions were off
        # Back to what the transaction had, for whatever else runs in it (a test, say).
        cursor.execute("SELECT set_config('session_replication_role', %s, true), "
                       "set_config('statement_timeout', %s, true)", [role, timeout])  # fmt: skip


class Writer:
    """Writes rows with `bulk_create`, triggers and all: for SQLite, and modest numbers."""

    def __init__(self, cursor):
        self.cursor, self.touched = cursor, set()

    def insert(self, model, rows: Iterable[dict], count: int) -> list[int]:
        """Write `count` rows; their ids, in order."""
        self.touched.add(model._meta.db_table)
        ids, rows = [], iter(rows)
        while batch := [model(**row) for row in itertools.islice(rows, 1000)]:
            ids += [obj.pk for obj in model.objects.bulk_create(batch, batch_size=500)]
        return ids

    def link(self, through, columns: tuple[str, str], links: list[tuple]) -> None:
        self.touched.add(through._meta.db_table)
        rows = [through(**dict(zip(columns, link, strict=True))) for link in links]
        through.objects.bulk_create(rows, batch_size=500)

    def delete(self, model, column: str, rows: models.QuerySet) -> int:
        self.touched.add(model._meta.db_table)
        sql, params = rows.query.sql_with_params()
        self.cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({sql})", params)
        return self.cursor.rowcount

    def dangling(self) -> list[str]:
        """Foreign keys left pointing at removed rows (PostgreSQL checks none with triggers off)."""
        found = []
        targets = {model._meta.db_table for model in MODELS}
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                target = field.related_model and field.related_model._meta.db_table
                if field.many_to_one and target in targets:
                    column = f"{table}.{field.column}"
                    self.cursor.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND NOT "
                        f"EXISTS (SELECT 1 FROM {target} WHERE {target}.id = {column})"
                    )
                    if count := self.cursor.fetchone()[0]:
                        found.append(f"{count} {column}")
        return found

    def analyze(self) -> None:
        """Nothing to do: SQLite plans without statistics here."""


class CopyWriter(Writer):
    """Writes rows with COPY on PostgreSQL, ids drawn from each table's sequence first."""

    def insert(self, model, rows: Iterable[dict], count: int) -> list[int]:
        table = model._meta.db_table
        self.cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        ids = [pk for (pk,) in self.cursor.fetchall()]
        rows = iter(rows)
        first = next(rows)
        values = operator.itemgetter(*first)
        rows = zip(ids, itertools.chain([first], rows), strict=True)
        self._copy(table, ["id", *first], ((pk, *values(row)) for pk, row in rows))
        return ids

    def link(self, through, columns: tuple[str, str], links: list[tuple]) -> None:
        self._copy(through._meta.db_table, columns, links)

    def _copy(self, table: str, columns, rows) -> None:
        self.touched.add(table)
        from psycopg.copy import QueuedLibpqWriter

        # A thread sends while this one builds rows: PostgreSQL and Python work side by side.
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        cursor = self.cursor.cursor  # psycopg's own: Django's debug wrapper takes no writer
        with (
            self._indexes_built_after(table),
            cursor.copy(sql, writer=QueuedLibpqWriter(cursor)) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    @contextlib.contextmanager
    def _indexes_built_after(self, table: str):
        """The table's indexes other than its keys' dropped during the load and built again
        after it (in the same transaction): building an index once is several times quicker
        than keeping it up row by row."""
        self.cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = self.cursor.fetchall()
        for name, _ in indexes:
            self.cursor.execute(f'DROP INDEX "{name}"')
        yield
        self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            self.cursor.execute(definition)

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(sorted(self.touched))}")


class Generator:
    """Builds the rows from the seed; each kind draws from its own stream, so every kind's rows
    depend only on the seed and the real records they point at."""

    def __init__(self, writer: Writer, seed: int):
        self.writer, self.seed, self.written = writer, seed, {}
        self.participants = list(m.Participant.objects.order_by("code").values_list("pk", "code"))
        if not self.participants:
            raise SyntheticError("There are no participants: run load_reference first.")
        self.topics = list(m.Topic.objects.order_by("slug").values_list("pk", flat=True))
        self.now = timezone.now()

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def run(self, statements: int) -> dict[str, int]:
        n = counts(statements)
        self.sources = self.insert(m.Source, self.sources_rows(n["sources"]))
        self.people = self.insert(m.Person, self.people_rows(n["people"]))
        self.organisations = self.insert(
            m.Organisation, self.organisations_rows(n["organisations"])
        )
        self.meetings = self.insert(m.Meeting, self.meetings_rows(n["meetings"]))
        self.proposals = self.insert(m.Proposal, self.proposals_rows(n["proposals"]))
        self.insert(m.Position, self.positions_rows())
        self.insert(m.Trade, self.trade_rows(-(-statements // TRADE_PER)))
        self.statements(statements)
        return {name: self.written.get(name, 0) for name in SUMMARY}

    def count(self, name: str, rows: int) -> None:
        self.written[name] = self.written.get(name, 0) + rows

    def insert(self, model, rows: list[tuple[dict, dict]]) -> list[tuple[int, dict]]:
        """Write (fields, links) pairs, links by many-to-many field; every record cites sources."""
        marks = {"created_at": self.now, "updated_at": self.now, "note": NOTE,
                 "confidence": m.Confidence.UNCERTAIN}  # fmt: skip
        records = ({**marks, **fields} for fields, _ in rows)
        ids = self.writer.insert(model, records, len(rows)) if rows else []
        self.count(str(model._meta.verbose_name_plural), len(ids))
        rng = self.rng(f"{model._meta.model_name}:sources")
        for field in model._meta.many_to_many:
            if field.name not in LINKS:  # links the synthetic records leave empty
                continue
            links = [
                (pk, target)
                for pk, (_, linked) in zip(ids, rows, strict=True)
                for target in (
                    self.cite(rng) if field.name == "sources" else linked.get(field.name, ())
                )
            ]
            self.link(field, links)
        return list(zip(ids, [fields for fields, _ in rows], strict=True))

    def cite(self, rng: random.Random) -> list[int]:
        size = min(len(self.sources), 2 if rng.random() < 0.2 else 1)
        return [pk for pk, _ in rng.sample(self.sources, size)]

    def link(self, field, links: list[tuple[int, int]]) -> None:
        if links:
            columns = (field.m2m_column_name(), field.m2m_reverse_name())
            self.writer.link(field.remote_field.through, columns, links)
        self.count(LINKS[field.name], len(links))

    def dated(self, rng, day: datetime.date | None = None, weights=(45, 38, 14, 3)) -> tuple:
        """A day of 2002-2025 (or `day`) and its precision: day, month, year or unknown."""
        precision = rng.choices(PRECISIONS, weights)[0]
        day = day or rng.choice(DAYS)
        if precision == "month":
            return day.replace(day=1), precision
        if precision == "year":
            return day.replace(month=1, day=1), precision
        return (day, precision) if precision else (None, None)

    def text(self, rng: random.Random, count: int, vocabulary: Vocabulary = ENGLISH) -> str:
        """`count` words in sentences of 6 to 18 words."""
        words, sentences = vocabulary.draw(rng, count), []
        while words:
            cut = rng.randint(6, 18)
            cut = len(words) if len(words) < cut + 4 else cut  # no sentence of a word or two
            sentence, words = words[:cut], words[cut:]
            if len(sentence) > 9:
                sentence[len(sentence) // 2] += ","
            sentence = " ".join(sentence)
            sentences.append(sentence[0].upper() + sentence[1:])
        return ". ".join(sentences) + "."

    def title(self, rng: random.Random) -> str:
        return self.text(rng, rng.randint(5, 11)).split(".")[0].replace(",", "")

    def name(self, rng: random.Random) -> str:
        middle = f" {rng.choice('ABCDEFGHJKLMNPRST')}." if rng.random() < 0.3 else ""
        return f"{rng.choice(FIRST_NAMES)}{middle} {rng.choice(LAST_NAMES)}"

    def sources_rows(self, count: int) -> list[tuple[dict, dict]]:
        rng, rows = self.rng("sources"), []
        for i in range(1, count + 1):
            kind = rng.choices(m.SourceKind.values, [70, 4, 6, 2, 18])[0]
            day, precision = self.dated(rng, weights=(60, 25, 10, 5))
            rows.append(({
                "slug": f"{PREFIX}source-{i:07d}", "url": f"https://synthetic.invalid/{kind}/{i}",
                "kind": kind, "title": self.title(rng), "publisher": rng.choice(PUBLISHERS),
                "author": self.name(rng) if rng.random() < 0.4 else "",
                "published_on": day, "published_on_precision": precision,
            }, {}))  # fmt: skip
        return rows

    def people_rows(self, count: int) -> list[tuple[dict, dict]]:
        rng = self.rng("people")
        return [
            ({"slug": f"{PREFIX}person-{i:06d}", "name": self.name(rng)}, {})
            for i in range(1, count + 1)
        ]

    def organisations_rows(self, count: int) -> list[tuple[dict, dict]]:
        rng, rows = self.rng("organisations"), []
        states = [code for _, code in self.participants if code != "EU"]
        for i in range(1, count + 1):
            words = [rng.choice(choices) for choices in ORGANISATION_WORDS]
            rows.append(({
                "slug": f"{PREFIX}organisation-{i:05d}", "name": " ".join(words),
                "acronym": "".join(word[0] for word in words),
                "kind": rng.choices(m.OrganisationKind.values, [40, 30, 10, 10, 5, 5])[0],
                "kp_observer": False,
                "country": rng.choice(states) if states and rng.random() < 0.7 else None,
                "website": f"https://synthetic.invalid/organisation/{i}",
            }, {}))  # fmt: skip
        return rows

    def meetings_rows(self, count: int) -> list[tuple[dict, dict]]:
        rng, rows = self.rng("meetings"), []
        codes = {code: pk for pk, code in self.participants}
        cities = [city for city in CITIES if city[2] in codes] or [("", None, None)]
        for i in range(1, count + 1):
            year = rng.randint(FIRST_DAY.year, LAST_DAY.year)
            kind = rng.choices(m.MeetingKind.values, [35, 35, 5, 5, 20])[0]
            city, country, host = rng.choice(cities) if rng.random() < 0.95 else ("", None, None)
            day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            start, precision = self.dated(rng, day, weights=(85, 8, 5, 2))
            end = start + datetime.timedelta(rng.randint(0, 4)) if precision == "day" else None
            rows.append(({
                "slug": f"{PREFIX}meeting-{i:05d}", "kind": kind, "year": year,
                "title": f"{year} {kind}, {city or 'virtual'}", "start_date": start,
                "start_date_precision": precision, "end_date": end,
                "end_date_precision": "day" if end else None, "city": city, "country": country,
                "host_id": codes.get(host), "chair_id": rng.choice(self.participants)[0],
                "outcome": self.text(rng, rng.randint(8, 30)),
                "communique_adopted": rng.choices([True, False, None], [50, 20, 30])[0],
            }, {}))  # fmt: skip
        return rows

    def proposals_rows(self, count: int) -> list[tuple[dict, dict]]:
        rng, rows = self.rng("proposals"), []
        for i in range(1, count + 1):
            meeting, fields = rng.choice(self.meetings) if rng.random() < 0.8 else (None, {})
            tabled_on, precision = self.dated(rng)
            if fields.get("start_date"):
                tabled_on, precision = fields["start_date"], fields["start_date_precision"]
            tabled_by = rng.sample(self.participants, rng.choices([0, 1, 2], [30, 50, 20])[0])
            rows.append(({
                "slug": f"{PREFIX}proposal-{i:05d}", "title": self.title(rng),
                "summary": self.text(rng, rng.randint(15, 45)), "meeting_id": meeting,
                "tabled_on": tabled_on, "tabled_on_precision": precision,
                "decision_rule": rng.choices(m.DecisionRule.values, [85, 12, 3])[0],
                "outcome": rng.choices(m.ProposalOutcome.values, [35, 15, 25, 10, 5, 10])[0],
            }, {"tabled_by": [pk for pk, _ in tabled_by], "topics": rng.sample(
                self.topics, min(len(self.topics), rng.randint(1, 2)))}))  # fmt: skip
        return rows

    def positions_rows(self) -> list[tuple[dict, dict]]:
        """A few participants' positions on each proposal, one each at most."""
        rng, rows = self.rng("positions"), []
        for proposal, _ in self.proposals:
            size = min(len(self.participants), rng.randint(1, 6))
            for participant, _ in rng.sample(self.participants, size):
                kind = rng.choices(m.PositionKind.values, [55, 30, 15])[0]
                rows.append(({"proposal_id": proposal, "participant_id": participant,
                              "position": kind}, {}))  # fmt: skip
        return rows

    def trade_rows(self, count: int) -> list[tuple[dict, dict]]:
        """Figures for participant, year and flow combinations of 1950-2005 not yet present."""
        rng = self.rng("trade")
        taken = set(m.Trade.objects.filter(year__in=TRADE_YEARS).values_list(
            "participant", "year", "flow"))  # fmt: skip
        combinations = itertools.product(
            [pk for pk, _ in self.participants], TRADE_YEARS, m.TradeFlow.values
        )
        free = [key for key in combinations if key not in taken]
        rows = []
        for participant, year, flow in sorted(rng.sample(free, min(count, len(free)))):
            carats = Decimal(rng.randint(1_000, 30_000_000))
            rows.append(({
                "participant_id": participant, "year": year, "flow": flow, "carats": carats,
                "value_usd": (carats * Decimal(rng.uniform(20, 500))).quantize(Decimal("0.01")),
                "certificates": rng.randint(1, 900) if year >= 2003 else None,  # KP from 2003
            }, {}))  # fmt: skip
        return rows

    def statements(self, count: int) -> None:
        """The statements in one stream, then their topics (from a stream of their own)."""
        rng, topics_rng = self.rng("statements"), self.rng("statements:topics")
        languages = list(LANGUAGES), [weight for _, weight in LANGUAGES.values()]
        rows = (self.statement(rng, rng.choices(*languages)[0]) for _ in range(count))
        ids = self.writer.insert(m.Statement, rows, count)
        self.count("statements", len(ids))
        links = []
        for pk in ids:
            picks = min(topics_rng.choices(range(4), [30, 45, 20, 5])[0], len(self.topics))
            links += [(pk, topic) for topic in topics_rng.sample(self.topics, picks)]
        self.link(m.Statement._meta.get_field("topics"), links)

    def statement(self, rng: random.Random, language: str) -> dict:
        words = max(2, min(50, int(rng.lognormvariate(3.1, 0.5))))  # about 160 characters
        meeting, fields = rng.choice(self.meetings) if rng.random() < 0.4 else (None, {})
        date, precision = self.dated(rng)
        if fields.get("start_date") and rng.random() < 0.7:
            date, precision = fields["start_date"], fields["start_date_precision"]
        speaker = rng.choice(self.people)[0] if rng.random() < 0.85 else None
        return {
            "created_at": self.now, "updated_at": self.now, "note": NOTE,
            "confidence": m.Confidence.UNCERTAIN, "language": language,
            "text": self.text(rng, words, LANGUAGES[language][0]), "date": date,
            "date_precision": precision, "speaker_id": speaker,
            "speaker_description": "" if speaker else rng.choice(DESCRIPTIONS),
            "speaker_role": rng.choice(ROLES),
            "organisation_id": rng.choice(self.organisations)[0] if rng.random() < 0.3 else None,
            "participant_id": rng.choice(self.participants)[0] if rng.random() < 0.5 else None,
            "meeting_id": meeting,
            "proposal_id": rng.choice(self.proposals)[0] if rng.random() < 0.15 else None,
            "source_id": rng.choice(self.sources)[0],
        }  # fmt: skip
