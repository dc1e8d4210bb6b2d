"""The dataset as a whole: when it last changed, and a version that changes with every change."""

import datetime
import hashlib
from pathlib import Path

from django.db import connections, router
from django.utils.dateparse import parse_datetime

from . import models as m

# Every model whose rows the API serves; each one's latest change is part of the version.
MODELS = (m.Participant, m.StatusPeriod, m.RepresentedState, m.Organisation, m.Person,
          m.Affiliation, m.Bloc, m.Chairmanship, m.Meeting, m.Proposal, m.Position,
          m.Statement, m.Source, m.Production, m.Trade, m.StatisticReport)  # fmt: skip


def _release() -> str:
    """A digest of the code that shapes the answers: a new release, new ETags, on every server."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()


def state() -> tuple[datetime.datetime | None, str]:
    """(last_updated, version), in one query that reads only indexes.

    The version changes when any row is created, changed or deleted: every change, deletions
    included, adds a row to the history (api_change), and every row carries `updated_at`. It
    keys caches and ETags.

    Those stamps and numbers are taken when a row is written, not when its transaction commits:
    an editor who commits after a later one adds none above the newest. On PostgreSQL the
    version therefore also holds the database's snapshot, which changes whenever a transaction
    that wrote ends (in the whole cluster: a spare new version now and then, never a missed
    one). SQLite runs one writer at a time, so its numbers come in commit order.
    """
    connection = connections[router.db_for_read(m.Change)]  # a replica's, for a GET
    quote = connection.ops.quote_name
    parts = [
        f"SELECT MAX({quote('updated_at')}) FROM {quote(model._meta.db_table)}" for model in MODELS
    ]
    parts.append(f"SELECT MAX({quote('id')}) FROM {quote(m.Change._meta.db_table)}")
    columns = [f"({part})" for part in parts]
    if connection.vendor == "postgresql":
        columns.append("pg_current_snapshot()::text")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        values = list(cursor.fetchone())
    stamps = [_moment(value) for value in values[: len(MODELS)] if value is not None]
    digest = hashlib.sha256(repr([str(value) for value in values]).encode())
    return (max(stamps) if stamps else None), digest.hexdigest()[:16]


def _moment(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands timestamps back as text
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value
