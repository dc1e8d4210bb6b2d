"""Backups of the whole database: pg_dump and pg_restore on PostgreSQL, the backup API on SQLite."""

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from . import models as m

DEFAULT_FOLDER = Path(settings.BASE_DIR) / "var" / "backups"
# The first bytes of each kind of file: pg_dump's custom format, and every SQLite database.
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# A backup of KP Data holds these tables; a database without them is some other database.
TABLES = ("django_migrations", "api_participant")


class BackupError(Exception):
    """A backup or restore that could not be done; the message is one line for the user."""


def backup(output: Path | None = None, using: str = "default") -> Path:
    """Write a consistent snapshot of the database to `output` (a file or a folder); its path."""
    database = settings.DATABASES[using]
    postgresql = _is_postgresql(database)
    suffix = ".dump" if postgresql else ".sqlite3"
    if postgresql:
        _program("pg_dump")  # before anything is created
    if output is None or output.is_dir():
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        output = (output or DEFAULT_FOLDER) / f"kpdata-{stamp}{suffix}"
    output = output.resolve()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target, then renamed: a failed backup leaves no half file behind.
        handle, part = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
        os.close(handle)  # mkstemp's file can be read by its owner only, and so the backup
        try:
            if postgresql:
                _run("pg_dump", database, "--format=custom", f"--file={part}")
            else:
                _sqlite_backup(database, Path(part))
            os.replace(part, output)
        finally:
            Path(part).unlink(missing_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot write {output}: {error.strerror}.") from None
    return output


def restore(file: Path, using: str = "default") -> None:
    """Replace the whole database with the backup in `file`, all or nothing."""
    database = settings.DATABASES[using]
    kind = _kind(file)
    postgresql = _is_postgresql(database)
    if kind == "postgresql" and not postgresql:
        raise BackupError(f"{file} is a PostgreSQL backup, but this database is SQLite.")
    if kind == "sqlite" and postgresql:
        raise BackupError(f"{file} is a SQLite backup, but this database is PostgreSQL.")
    issued, named = last_issued(using), identifiers(using)
    connections[using].close()  # our own connection holds nothing while the database is replaced
    if postgresql:
        _pg_restore(file, database)
    else:
        _sqlite_restore(file, database)
    carry_on(issued, using)
    reserve(named, using)


def last_issued(using: str = "default") -> dict[str, int]:
    """The last number each sequence issued (change numbers, ids): PostgreSQL's sequences,
    SQLite's AUTOINCREMENT counters. Empty if the database cannot say (a fresh one)."""
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                    "COALESCE(last_value, 0) FROM pg_sequences WHERE schemaname = current_schema()"
                )
            else:
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return dict(cursor.fetchall())
    except DatabaseError:
        return {}


def identifiers(using: str = "default") -> set[tuple[str, str]]:
    """(collection, identifier) of every record the history knows, deleted ones included."""
    try:
        return set(m.Change.objects.using(using).values_list("collection", "record_id").distinct())
    except DatabaseError:
        return set()


def reserve(named: set[tuple[str, str]], using: str = "default") -> None:
    """Keep the identifiers of records the restore lost (made after the backup) from ever being
    given to another record: a row in the history says each was used (it shows in no feed)."""
    lost = named - identifiers(using)
    now = timezone.now()
    m.Change.objects.using(using).bulk_create(
        m.Change(collection=collection, record_id=record_id, table="", part="record",
                 action="lost", actor="command:restore_backup", at=now, txid=0)
        for collection, record_id in sorted(lost)
    )  # fmt: skip


def carry_on(issued: dict[str, int], using: str = "default") -> None:
    """Move each sequence of the restored database past the last number it had issued before
    the restore, so that no change number or id is ever issued twice."""
    connection = connections[using]
    now = last_issued(using)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for name, last in issued.items():
            if name not in now or now[name] >= last:
                continue  # a table the backup has not, or a number already past
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval(%s, %s, true)", [name, last])
            else:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, name])


def unapplied_migrations(using: str = "default") -> list[str]:
    """The migrations of this code that the (restored) database has not had."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _kind(file: Path) -> str:
    try:
        with file.open("rb") as opened:
            head = opened.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{file}: no such file.") from None
    except OSError as error:
        raise BackupError(f"{file}: cannot be read ({error.strerror}).") from None
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(f"{file} is not a KP Data backup (neither pg_dump's nor SQLite's format).")


def _require_tables(file: Path, tables: set[str]) -> None:
    missing = [table for table in TABLES if table not in tables]
    if missing:
        raise BackupError(f"{file} is not a backup of KP Data: it has no {missing[0]} table.")


def _is_postgresql(database: dict) -> bool:
    return database["ENGINE"] in {"django.db.backends.postgresql", "kpdata.postgresql"}


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_restore(file: Path, database: dict) -> None:
    # The table of contents first: a file of another database is refused before anything runs.
    contents = _run("pg_restore", None, "--list", str(file))
    _require_tables(file, set(re.findall(r" TABLE \S+ (\S+)", contents)))
    # One transaction: any error rolls back the whole restore, the --clean drops included.
    _run(
        "pg_restore",
        database,
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--no-owner",
        str(file),
    )


def _run(program: str, database: dict | None, *arguments: str) -> str:
    """Run a PostgreSQL client program (against `database` if given); its output."""
    command, env = [_program(program)], {**os.environ}
    if database is not None:
        # Django's dbshell knows how settings map to libpq: password, SSL files, service.
        env |= DatabaseClient.settings_to_cmd_args_env(database, [])[1] or {}
        if timeout := database.get("OPTIONS", {}).get("connect_timeout"):
            env["PGCONNECT_TIMEOUT"] = str(timeout)  # a dead host fails, as the app does
        for option, value in [
            ("--host", database.get("HOST")),
            ("--port", database.get("PORT")),
            ("--username", database.get("USER")),
            ("--dbname", database.get("NAME")),
        ]:
            if value:
                command.append(f"{option}={value}")
    result = subprocess.run([*command, *arguments], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error:" in line] or lines or ["no message"]
        message = errors[0].removeprefix(f"{program}: ").removeprefix("error: ").rstrip(".")
        raise BackupError(f"{program} failed: {message}.")
    return result.stdout


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs "
            "(Debian: postgresql-client), of the server's version or newer."
        )
    return path


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_backup(database: dict, target: Path) -> None:
    source = Path(database["NAME"])
    if not source.is_file():
        raise BackupError(f"There is no database at {source} to back up.")
    timeout = database.get("OPTIONS", {}).get("timeout", 20)
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=timeout)) as live,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            # One step: the whole database as of one moment, even while others write to it.
            live.backup(copy)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} cannot be backed up: {error}.") from None


def _sqlite_restore(file: Path, database: dict) -> None:
    if file.resolve() == Path(database["NAME"]).resolve():
        raise BackupError(f"{file} is the database itself, not a backup of it.")
    try:
        with contextlib.closing(_read_only(file)) as saved:
            check = saved.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{file} is damaged: {check}.")
            names = {row[0] for row in saved.execute("SELECT name FROM sqlite_master")}
            _require_tables(file, names)
            timeout = database.get("OPTIONS", {}).get("timeout", 20)
            with contextlib.closing(sqlite3.connect(database["NAME"], timeout=timeout)) as live:
                # The backup API writes the live file in one transaction: a reader sees the old
                # database or the restored one, and a failure part-way leaves the old one.
                saved.backup(live)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{file} cannot be restored: {error}.") from None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
