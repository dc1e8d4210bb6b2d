"""The dataset as a whole: when it last changed, and a version that changes with every change."""

import datetime
import hashlib

from django.db import connection
from django.utils.dateparse import parse_datetime

from . import models as m

# Every model whose rows the API serves; their latest change and row count make the version.
MODELS = (m.Participant, m.StatusPeriod, m.RepresentedState, m.Organisation, m.Person,
          m.Affiliation, m.Bloc, m.Chairmanship, m.Meeting, m.Proposal, m.Position,
          m.Statement, m.Source, m.Production, m.Trade, m.StatisticReport)  # fmt: skip


def state() -> tuple[datetime.datetime | None, str]:
    """(last_updated, version) in one query: the version changes when any row is created,
    changed or deleted, so it can key caches and ETags."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT MAX({quote('updated_at')}), COUNT(*) FROM {quote(model._meta.db_table)}"
        for model in MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    stamps = [_moment(latest) for latest, _ in rows if latest is not None]
    digest = hashlib.sha256(repr([(str(latest), count) for latest, count in rows]).encode())
    return (max(stamps) if stamps else None), digest.hexdigest()[:16]


def _moment(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands timestamps back as text
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value
