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

    The version is the dataset's key (`key`), read in the same query as the latest
    `updated_at` of every model: it follows the commits, so a late commit is never missed.
    """
    connection = connections[router.db_for_read(m.Change)]  # a replica's, for a GET
    values = _select(connection, [*_latest_stamps(connection), *_key_parts(connection)])
    stamps = [_moment(value) for value in values[: len(MODELS)] if value is not None]
    return State(max(stamps) if stamps else None, _digest(values[len(MODELS) :]))


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
    return _digest(_select(connection, _key_parts(connection)))


def _key_parts(connection) -> list[str]:
    version = connection.ops.quote_name(m.Version._meta.db_table)
    return [
        f"SELECT number FROM {version} WHERE id = 1",
        f"SELECT txid FROM {version} WHERE id = 1",
        _latest_change(connection),
    ]


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
