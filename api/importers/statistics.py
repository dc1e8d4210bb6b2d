"""Importing the KP's annual statistics tables: production or trade per participant and year.

The whole file is read and checked first; only a file without a single bad line is written, in one
transaction. Importing the same file twice changes nothing; a figure that differs is updated, and
every row becomes its source's report of the figure.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import DatabaseError, models, transaction

from api import history
from api import models as m
from api.reference import FIXTURES, host_kinds
from api.reference import parsing as p
from api.reference.plan import Plan, distinct_slug, source_kind, source_slug

from .participants import ParticipantNames, normalise
from .tables import ImportRefused, line_order, read_table

TABLES: dict[str, type[m.Production | m.Trade]] = {"production": m.Production, "trade": m.Trade}
COLUMNS = {"participant", "year", "carats", "value_usd"}
TRADE_COLUMNS = {"flow", "certificates"}
# How the KP's tables name the world total, which is stored with no participant.
WORLD = {"world", "total", "world total"}
# The KP certified its first shipments in 2003; a year's figures exist once the year is over.
FIRST_YEAR = 2003


@dataclass(frozen=True)
class Figure:
    """One checked row: whose figure, for which year (and flow), what it says, per which page."""

    origin: str
    reported_as: str
    participant: m.Participant | None
    year: int
    flow: str | None
    values: dict  # carats, value_usd (and certificates for trade); None where the cell is empty
    url: str

    @property
    def key(self) -> tuple:
        return (self.participant.pk if self.participant else None, self.year, self.flow)

    @property
    def label(self) -> str:
        """As the figure's `__str__` says it: "production 2021 BW", "export 2022 world"."""
        who = self.participant.code if self.participant else "world"
        return f"{self.flow or 'production'} {self.year} {who}"


@dataclass
class Outcome:
    """What an import did, or would do in a dry run: one line per change, and the counts."""

    table: str
    dry_run: bool = False
    changes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def summary(self) -> str:
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{self.table}: {counts}" + (
            " (dry run: nothing was written)." if self.dry_run else "."
        )


def import_statistics(
    path: Path,
    *,
    table: str | None = None,
    source: str | None = None,
    confidence: str = m.Confidence.SINGLE_SOURCE,
    encoding: str = "utf-8",
    dry_run: bool = False,
) -> Outcome:
    """Import a table, all or nothing; raise ImportRefused listing every bad line."""
    if confidence not in m.Confidence.values:
        raise ImportRefused([f"--confidence must be one of {', '.join(m.Confidence)}"])
    table, figures = read(path, table=table, source=source, encoding=encoding)
    outcome = Outcome(table, dry_run)
    with transaction.atomic(), history.actor("command:import_statistics"):
        _write(TABLES[table], figures, confidence, outcome)
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def read(
    path: Path, *, table: str | None = None, source: str | None = None, encoding: str = "utf-8"
) -> tuple[str, list[Figure]]:
    """The table's kind and its checked rows; every bad line is an error, none is skipped."""
    errors: list[str] = []
    default_url = None
    if source:
        try:
            default_url = _one_url(source, "--source")
        except p.BadValue as error:
            errors.append(str(error))
    names = ParticipantNames()
    errors += names.errors
    header, rows, bad_rows = read_table(path, encoding)
    table = table or ("trade" if "flow" in header else "production")
    required = COLUMNS | (TRADE_COLUMNS if table == "trade" else set())
    if missing := required - set(header):
        errors.append(f"{path.name}, line 1: missing column(s) {', '.join(sorted(missing))}")
    elif table == "production" and "flow" in header:
        errors.append(
            f"{path.name}, line 1: a production table has no flow column (--table trade?)"
        )
    elif not rows and not bad_rows:
        errors.append(f"{path.name}: the table has no rows")
    if errors:
        raise ImportRefused(errors)
    errors += bad_rows
    figures, first_lines = [], {}
    for row in rows:
        try:
            figure = _figure(row, TABLES[table], names, default_url)
        except p.BadValue as error:
            errors.append(f"{row.origin}: {error}")
            continue
        first = first_lines.setdefault(figure.key, row.line)
        if first == row.line:
            figures.append(figure)
        else:
            errors.append(f"{row.origin}: duplicate row: {figure.label} is also on line {first}")
    if errors:
        raise ImportRefused(sorted(errors, key=line_order))
    return table, figures


def _figure(
    row: p.Row, model: type[models.Model], names: ParticipantNames, default_url: str | None
) -> Figure:
    name = row["participant"]
    if not name:
        raise p.BadValue("participant is empty (the world total is named World or Total)")
    participant = None
    if normalise(name) not in WORLD:
        participant = names.find(name)
        if participant is None:
            raise p.BadValue(f"participant {name!r} is not a known participant code, name or alias")
    year = p.year(row["year"])
    last = datetime.date.today().year - 1
    if not FIRST_YEAR <= year <= last:
        raise p.BadValue(
            f"year {year} is out of range: KP statistics run from {FIRST_YEAR} to {last}"
        )
    values = {column: _amount(row[column], column, model) for column in ("carats", "value_usd")}
    certificates = p.count(row["certificates"], "certificates")
    flow = None
    if model is m.Trade:
        flow = p.choice(row["flow"], m.TradeFlow, "flow")
        values["certificates"] = certificates
    elif certificates is not None:
        raise p.BadValue("certificates are counted for trade, not production")
    if all(value is None for value in values.values()):
        *others, final = values
        columns = f"{', '.join(others)} and {final}"
        raise p.BadValue(f"{columns} are empty: the row reports nothing")
    url = _one_url(row["source"], "source") if row["source"] else default_url
    if url is None:
        raise p.BadValue("source is empty and no --source was given for the table")
    return Figure(row.origin, name, participant, year, flow, values, url)


def _amount(value: str, column: str, model: type[models.Model]) -> Decimal | None:
    number = p.amount(value, column)
    field = model._meta.get_field(column)
    if number is not None and number >= 10 ** (field.max_digits - field.decimal_places):
        raise p.BadValue(f"{column} {value} is more than the column holds")
    return number


def _one_url(value: str, column: str) -> str:
    found = p.urls(value, column)
    if len(found) != 1:
        raise p.BadValue(f"{column} must hold one URL, not {len(found)}")
    return found[0]


# --- writing ---------------------------------------------------------------------------------


def _write(model, figures: list[Figure], confidence: str, outcome: Outcome) -> None:
    sources = _sources({figure.url for figure in figures}, outcome)
    years = {figure.year for figure in figures}
    stored = {
        (obj.participant_id, obj.year, getattr(obj, "flow", None)): obj
        for obj in model.objects.filter(year__in=years).prefetch_related("sources", "reports")
    }
    for figure in figures:
        try:
            changes = _sync(model, figure, stored.get(figure.key), sources[figure.url], confidence)
        except DatabaseError as error:
            raise ImportRefused([f"{figure.origin}: the database refused it: {error}"]) from error
        if changes is None:
            outcome.created += 1
            described = _describe(figure.values)
            outcome.changes.append(
                f"{figure.label}: created, {described}, per {sources[figure.url].slug}"
            )
        elif changes:
            outcome.updated += 1
            outcome.changes += [f"{figure.label}: {change}" for change in changes]
        else:
            outcome.unchanged += 1


def _sources(urls: set[str], outcome: Outcome) -> dict[str, m.Source]:
    """The stored source of every URL, creating those not yet stored by the reference's rules."""
    sources = {source.url: source for source in m.Source.objects.filter(url__in=urls)}
    new = sorted(urls - sources.keys())
    if not new:
        return sources
    plan = Plan(FIXTURES)
    kinds = host_kinds(plan, "source-hosts.csv")
    if plan.errors:
        raise ImportRefused(plan.errors)
    bases = {url: source_slug(url) for url in new}
    alike = Counter(bases.values())
    taken = set(m.Source.objects.filter(slug__in=alike).values_list("slug", flat=True))
    for url in new:
        slug = bases[url]
        if slug in taken or alike[slug] > 1:
            slug = distinct_slug(slug, url)
        sources[url] = m.Source.objects.create(
            url=url,
            slug=slug,
            kind=source_kind(url, "", kinds),
            confidence=m.Confidence.SINGLE_SOURCE,
        )
        outcome.changes.append(f"source {slug} created: {url}")
    return sources


def _sync(model, figure: Figure, obj, source: m.Source, confidence: str) -> list[str] | None:
    """Create or update one figure and its source's report; None if created, else the changes."""
    if obj is None:
        flow = {"flow": figure.flow} if figure.flow else {}
        obj = model.objects.create(
            participant=figure.participant,
            year=figure.year,
            confidence=confidence,
            **flow,
            **figure.values,
        )
        obj.sources.add(source)
        _report(obj, figure, source, confidence)
        return None
    changes = []
    # An empty cell says nothing: it never erases a stored value.
    if differing := _differing(obj, figure.values):
        changes.append(differing)
        obj.confidence = confidence  # the grade goes with the values it grades
    gained = source.pk not in {linked.pk for linked in obj.sources.all()}
    if differing or gained:
        obj.save()  # also moves updated_at, so clients see the change
    if gained:
        obj.sources.add(source)
        changes.append(f"source {source.slug} added")
    report = next((report for report in obj.reports.all() if report.source_id == source.pk), None)
    if report is None:
        _report(obj, figure, source, confidence)
        changes.append(f"report of {source.slug} added")
    elif reported := _differing(report, figure.values):
        report.confidence = confidence
        report.save()
        changes.append(f"report of {source.slug}: {reported}")
    return changes


def _differing(obj, values: dict) -> str:
    """Set the given values that differ on `obj`; say what changed, as "carats 1 -> 2"."""
    changed = []
    for name, value in values.items():
        if value is not None and getattr(obj, name) != value:
            changed.append(f"{name} {_show(getattr(obj, name))} -> {_show(value)}")
            setattr(obj, name, value)
    return "; ".join(changed)


def _report(obj, figure: Figure, source: m.Source, confidence: str) -> None:
    m.StatisticReport.objects.create(
        production=obj if isinstance(obj, m.Production) else None,
        trade=obj if isinstance(obj, m.Trade) else None,
        reported_as=figure.reported_as,
        source=source,
        confidence=confidence,
        **figure.values,
    )


def _describe(values: dict) -> str:
    return ", ".join(
        f"{name} {_show(value)}" for name, value in values.items() if value is not None
    )


def _show(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
