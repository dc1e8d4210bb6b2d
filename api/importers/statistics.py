"""Importing the KP's annual statistics tables: production or trade per participant and year.

The whole file is read and checked first; only a file without a single bad line is written, in one
transaction. Importing the same file twice changes nothing; a figure that differs is updated, and
every row becomes its source's report of the figure.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction

from api import history
from api import models as m
from api.reference import parsing as p

from .figures import Figure, Outcome, write
from .participants import ParticipantNames, normalise
from .tables import ImportRefused, line_order, read_table

TABLES: dict[str, type[m.Production | m.Trade]] = {"production": m.Production, "trade": m.Trade}
COLUMNS = {"participant", "year", "carats", "value_usd"}
TRADE_COLUMNS = {"flow", "certificates"}
# How the KP's tables name the world total, which is stored with no participant.
WORLD = {"world", "total", "world total"}
# The KP certified its first shipments in 2003; a year's figures exist once the year is over.
FIRST_YEAR = 2003


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
        write(TABLES[table], figures, confidence, outcome)
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
