"""History kept by the database: triggers on every table of the record write a `Change` row.

pghistory (django-pgtrigger) would do this on PostgreSQL only: its triggers are skipped on SQLite
and its manual events fail there. The record must keep its history on both databases, so the
triggers are generated here for each: PostgreSQL reads the writer from a transaction setting,
SQLite from the one-row `Actor` table. They are (re)installed after every `migrate`.
"""

import contextlib
import itertools
import random
import time
from dataclasses import dataclass

from django.db import OperationalError, connections, transaction
from django.db.models import Q

from . import models as m
from . import registry

# The collections of the API (api/registry.py): the model, its path, and the field that
# identifies a record; the rows that belong to a record of another table, and their part names.
COLLECTIONS = {model: (c.prefix, c.key) for model, c in registry.RECORDED.items()}
PARTS = {part.model: part.name for c in registry.COLLECTIONS for part in c.parts}


@dataclass(frozen=True)
class Tracked:
    """A table whose changes are kept, and how a row finds its record."""

    table: str
    columns: tuple[str, ...]
    part: str
    collection_sql: str  # in terms of the row alias R
    record_sql: str


def tracked() -> list[Tracked]:
    tables = []
    for model in [*COLLECTIONS, *registry.part_models()]:
        collection, record = _locate(model, "R")
        part = PARTS.get(model, "record")
        tables.append(_tracked(model, part, collection, record))
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            owner_id = f"R.{field.m2m_column_name()}"
            collection, record = _key_of(model, owner_id)
            name = field.name if part == "record" else f"{part}.{field.name}"
            tables.append(_tracked(through, name, collection, record))
    return tables


def _tracked(model, part, collection, record) -> Tracked:
    columns = tuple(field.column for field in model._meta.concrete_fields)
    return Tracked(model._meta.db_table, columns, part, collection, record)


def _locate(model, row: str) -> tuple[str, str]:
    """(collection, record id) of a row, as SQL in terms of the row alias."""
    if model in COLLECTIONS:
        collection, key = COLLECTIONS[model]
        return f"'{collection}'", f"CAST({row}.{_column(model, key)} AS TEXT)"
    parents = _parents(model)
    if len(parents) == 1:
        return _key_of(parents[0].related_model, f"{row}.{parents[0].column}")
    # A part of several collections (a statistic report, of a production or a trade figure)
    # belongs to the one its row points to.
    *cases, last = [(p.column, COLLECTIONS[p.related_model][0]) for p in parents]
    when = " ".join(f"WHEN {row}.{column} IS NOT NULL THEN '{name}'" for column, name in cases)
    keys = ", ".join(_key_of(p.related_model, f"{row}.{p.column}")[1] for p in parents)
    return f"CASE {when} ELSE '{last[1]}' END", f"COALESCE({keys})"


def _key_of(model, id_sql: str) -> tuple[str, str]:
    """(collection, record id) of the record owning the row of `model` whose id is `id_sql`."""
    table = model._meta.db_table
    if model in COLLECTIONS:
        collection, key = COLLECTIONS[model]
        column = _column(model, key)
        return (
            f"'{collection}'",
            f"(SELECT CAST({column} AS TEXT) FROM {table} WHERE id = {id_sql})",
        )
    (parent,) = _parents(model)
    return _key_of(
        parent.related_model, f"(SELECT {parent.column} FROM {table} WHERE id = {id_sql})"
    )


def _parents(model) -> list:
    """The fields by which a part's rows point to their record, one per owning collection."""
    return [model._meta.get_field(part.parent) for _, part in registry.owners(model)]


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


# --- installing the triggers ----------------------------------------------------------------


def install(using="default", **kwargs) -> None:
    """(Re)create the triggers of every tracked table; run after every migrate.

    In one transaction, so that no write ever finds a table without its trigger, and on
    PostgreSQL under an advisory lock, so that concurrent runs (containers starting together)
    take turns instead of failing. There, it gives way to the writes in flight: a table that a
    write holds is waited for a moment at most, then the whole install is tried again, so that
    the install never holds a table that a write waits for long enough to deadlock with it
    (PostgreSQL would then fail the write)."""
    for attempt in itertools.count(1):
        try:
            return _install(connections[using])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE or attempt >= TRIES:
                raise
            time.sleep(random.uniform(0.05, 0.25))  # the writes that held a table finish


# How long the install waits for a table a write holds before it gives way, and how often it
# tries (the deadlock detector of the write it waits for starts after deadlock_timeout, 1 s).
GIVE_WAY_MS, TRIES, LOCK_NOT_AVAILABLE = 200, 100, "55P03"


def _install(connection) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('kpdata.history.install'))")
            cursor.execute(f"SET LOCAL lock_timeout = '{GIVE_WAY_MS}ms'")
        for table in tracked():
            for statement in _statements(table, connection.vendor):
                cursor.execute(statement)


# The dataset's version (api_version, api/dataset.py), bumped by every change. On PostgreSQL
# once per transaction, whose lock on the row then orders the numbers as the commits are;
# SQLite runs one writer at a time, and bumps per row.
BUMP_POSTGRESQL = (
    "INSERT INTO api_version (id, number, txid) VALUES (1, 1, txid_current()) "
    "ON CONFLICT (id) DO UPDATE SET number = api_version.number + 1, txid = EXCLUDED.txid "
    "WHERE api_version.txid <> EXCLUDED.txid"
)
BUMP_SQLITE = (
    "INSERT OR IGNORE INTO api_version (id, number, txid) VALUES (1, 0, 0); "
    "UPDATE api_version SET number = number + 1, "
    "txid = COALESCE((SELECT txn FROM api_actor WHERE id = 1), 0) WHERE id = 1"
)


def uninstall_for_migrate(using="default", **kwargs) -> None:
    """On SQLite, drop the triggers before migrating: SQLite alters a table by copying it, and a
    trigger of another table that names it would refuse the copy. PostgreSQL keeps its triggers
    (they follow the tables); `install` puts SQLite's back after the migration."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kpdata_change_%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def _statements(table: Tracked, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _postgresql(table)
    return _sqlite(table)


def _postgresql(table: Tracked) -> list[str]:
    function = f"kpdata_change_{table.table}"
    values = {
        "collection": table.collection_sql.replace("R.", "ROW_."),
        "record": table.record_sql.replace("R.", "ROW_."),
    }
    body = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
DECLARE ROW_ {table.table}%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN ROW_ := OLD; ELSE ROW_ := NEW; END IF;
  {BUMP_POSTGRESQL};
  INSERT INTO api_change (collection, record_id, "table", part, action, old, new, actor, at,
                          txid, "write")
  VALUES ({values["collection"]}, COALESCE({values["record"]}, '?'), TG_TABLE_NAME, '{table.part}',
          lower(TG_OP),
          CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
          CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END,
          COALESCE(NULLIF(current_setting('kpdata.actor', true), ''), 'database'),
          clock_timestamp(), txid_current(),
          CAST(NULLIF(current_setting('kpdata.write', true), '') AS bigint));
  RETURN NULL;
END $$ LANGUAGE plpgsql"""
    return [
        body,
        f"DROP TRIGGER IF EXISTS kpdata_change ON {table.table}",
        f"DROP TRIGGER IF EXISTS kpdata_change_update ON {table.table}",
        f"CREATE TRIGGER kpdata_change AFTER INSERT OR DELETE ON {table.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER kpdata_change_update AFTER UPDATE ON {table.table} "
        f"FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION {function}()",
    ]


def _sqlite(table: Tracked) -> list[str]:
    def row_json(alias: str) -> str:
        pairs = ", ".join(f"'{column}', {alias}.\"{column}\"" for column in table.columns)
        return f"json_object({pairs})"

    actor = "COALESCE((SELECT NULLIF(name, '') FROM api_actor WHERE id = 1), 'database')"
    txn = "(SELECT txn FROM api_actor WHERE id = 1)"
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    statements = []
    for action, alias, old, new in [
        ("insert", "NEW", "NULL", row_json("NEW")),
        ("update", "NEW", row_json("OLD"), row_json("NEW")),
        ("delete", "OLD", row_json("OLD"), "NULL"),
    ]:
        name = f"kpdata_change_{table.table}_{action}"
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in table.columns)
        when = f" WHEN {changed}" if action == "update" else ""
        collection = table.collection_sql.replace("R.", f"{alias}.")
        record = table.record_sql.replace("R.", f"{alias}.")
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {action.upper()} ON {table.table}{when} BEGIN "
            f'INSERT INTO api_change (collection, record_id, "table", part, action, old, new, '
            f"actor, at, txid, \"write\") VALUES ({collection}, COALESCE({record}, '?'), "
            f"'{table.table}', '{table.part}', '{action}', "
            f"{old}, {new}, {actor}, {now}, COALESCE({txn}, 0), {txn}); {BUMP_SQLITE}; END",
        ]
    return statements


# --- who is writing ---------------------------------------------------------------------------


@contextlib.contextmanager
def actor(name: str, using: str = "default"):
    """Attribute the changes of the current transaction to `name` (call inside `atomic`)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('kpdata.actor', %s, true)", [name])
            # Numbers the write, so that writes sharing a transaction (a test's) stay apart.
            cursor.execute(
                "SELECT set_config('kpdata.write', "
                "CAST(nextval(pg_get_serial_sequence('api_change', 'id')) AS text), true)"
            )
            # The version's lock first, before any row's: writers that would bump it later,
            # holding rows another writer needs, could otherwise deadlock with that writer.
            cursor.execute("SELECT 1 FROM api_version WHERE id = 1 FOR UPDATE")
            yield
            return
        # SQLite runs one write transaction at a time: a count numbers them, as txids would.
        cursor.execute(
            "INSERT INTO api_actor (id, name, txn) VALUES (1, %s, 1) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, txn = api_actor.txn + 1",
            [name],
        )
        yield
        # Cleared before the commit; a transaction that rolls back clears it anyway.
        if not connection.needs_rollback:
            cursor.execute("UPDATE api_actor SET name = '' WHERE id = 1")


def changes_of(model, record_id: str):
    """Every change of one record. A collection's are kept under its identifier; a part served
    as a collection of its own (a stand, kept in its proposal's history) is found by its rows
    and its links' rows."""
    if model in COLLECTIONS:
        collection, _ = COLLECTIONS[model]
        return m.Change.objects.filter(collection=collection, record_id=record_id)
    key = int(record_id)
    rows = [(model._meta.db_table, "id")] + [
        (field.remote_field.through._meta.db_table, field.m2m_column_name())
        for field in model._meta.many_to_many
    ]
    found = Q()
    for table, column in rows:
        found |= Q(table=table) & (Q(**{f"old__{column}": key}) | Q(**{f"new__{column}": key}))
    (owner, _), *_ = registry.owners(model)
    return m.Change.objects.filter(collection=owner.prefix).filter(found)


def changed_fields(change: m.Change) -> list[str]:
    """The columns whose values differ between the old and the new row."""
    old, new = change.old or {}, change.new or {}
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
