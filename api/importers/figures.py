"""Checked figures of a statistics table, and writing them: created, updated or unchanged, each
row its source's report of the figure."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError

from api import models as m
from api.reference import FIXTURES, host_kinds
from api.reference.plan import Plan, distinct_slug, source_kind, source_slug

from .tables import ImportRefused


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


def write(model, figures: list[Figure], confidence: str, outcome: Outcome) -> None:
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
