"""The dataset as a whole: when it last changed, and a version that changes with every change."""

import datetime
import hashlib
from pathlib import Path
from typing import NamedTuple

from django.db import connections, router
from django.utils.dateparse import parse_datetime

from . import models as m
from . import registry

# Every model whose rows the API serves; each one's latest change is part of the version.
MODELS = registry.served_models()


def _release() -> str:
    """A digest of the code that shapes the answers: a new release, new ETags, on every server."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()


class State(NamedTuple):
    updated: datetime.datetime | None  # the last change to any record
    version: str  # changes with the data, whatever the order in which writers commit


def state() -> State:
    """When the dataset last changed, and its version: the API root's, the export's.

    Every record carries `updated_at`, and every change, deletions included, adds a row to the
    history (api_change). Stamps and numbers are taken when a row is written, not when its
    transaction commits, so an editor who commits after a later one may add none above the
    newest: the version also counts the history, whose rows only ever grow in number as
    transactions commit (a restore puts back the count with the rows).
    """
    connection = connections[router.db_for_read(m.Change)]  # a replica's, for a GET
    change = connection.ops.quote_name(m.Change._meta.db_table)
    parts = [
        *_latest_stamps(connection),
        _latest_change(connection),
        f"SELECT COUNT(*) FROM {change}",
    ]
    values = _select(connection, parts)
    stamps = [_moment(value) for value in values[: len(MODELS)] if value is not None]
    return State(max(stamps) if stamps else None, _digest(values))


def key() -> str:
    """What keys kept answers, counts and pages, and lists' ETags: one query, a request's first.

    This database's version (api_version): every transaction that changes the record bumps it
    (api/history.py), and its lock on the row orders the numbers as the commits are, so the key
    changes when this database's data changes and only then. The transaction that bumped it
    last is part of the key (numbers counted again after a backup is restored never meet an
    answer kept before), and so is the history's latest number, for a transaction's own later
    changes: a transaction bumps the version once, while its history counts every change.
    """
    connection = connections[router.db_for_read(m.Change)]
    version = connection.ops.quote_name(m.Version._meta.db_table)
    parts = [
        f"SELECT number FROM {version} WHERE id = 1",
        f"SELECT txid FROM {version} WHERE id = 1",
        _latest_change(connection),
    ]
    return _digest(_select(connection, parts))


def _latest_stamps(connection) -> list[str]:
    """The latest `updated_at` of every model, as queries."""
    quote = connection.ops.quote_name
    return [
        f"SELECT MAX({quote('updated_at')}) FROM {quote(model._meta.db_table)}" for model in MODELS
    ]


def _latest_change(connection) -> str:
    quote = connection.ops.quote_name
    return f"SELECT MAX({quote('id')}) FROM {quote(m.Change._meta.db_table)}"


def _select(connection, parts: list[str]) -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({part})" for part in parts))
        return list(cursor.fetchone())


def _digest(values: list) -> str:
    return hashlib.sha256(repr([str(value) for value in values]).encode()).hexdigest()[:16]


def _moment(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands timestamps back as text
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value
