"""`backup` and `restore_backup`, on a throwaway database of the test run's kind: the round trip."""

import contextlib
import io
import json
import sqlite3
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import psycopg
import pytest

from tests.live import ROOT, live_server, manage

# Edits as an editor might make them: records deleted (with their parts) and changed.
EDITS = """
from api import models as m
first = list(m.Statement.objects.values_list("pk", flat=True)[:5])
m.Statement.objects.filter(pk__in=first).delete()
m.Production.objects.filter(year=2019).delete()
proposal = m.Proposal.objects.get(slug="2022-kasane-russia-agenda-item")
proposal.note += " Changed after the backup."
proposal.save()
"""

ATTEMPT = """
import io, json
from django.core.management import CommandError, call_command
for command in json.loads({commands!r}):
    try:
        call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        print("refused:", json.dumps(str(error)))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, live_database):
    folder = tmp_path_factory.mktemp("backup")
    with live_server(live_database, folder, workers=1) as (base, env):
        yield base, env, folder


def export(server) -> bytes:
    """The whole-dataset ZIP, built afresh: a ZIP kept from before would prove nothing."""
    base, _, folder = server
    for built in (folder / "exports").glob("*.zip"):
        built.unlink()
    with urllib.request.urlopen(f"{base}/api/v1/export/", timeout=30) as response:
        return response.read()


def query(env: dict, sql: str):
    """The first value SQL gives, straight from the server's database."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        database = contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///")))
    else:
        database = psycopg.connect(url, autocommit=True)
    with database as connection:
        cursor = connection.execute(sql)
        row = cursor.fetchone() if cursor.description else None
        if isinstance(connection, sqlite3.Connection):
            connection.commit()
        return row[0] if row else None


def triggers(env: dict) -> int:
    if env["DATABASE_URL"].startswith("sqlite:///"):
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kpdata%'"
    else:
        sql = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'kpdata%'"
    return query(env, sql)


def run(env: dict, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )


def attempts(env: dict, *commands: list[str]) -> list[str]:
    """The one-line CommandError of each command, run in one process (each would take a second)."""
    code = ATTEMPT.format(commands=json.dumps(commands))
    lines = manage(env, "shell", "-c", code).splitlines()
    refusals = [json.loads(line[9:]) for line in lines if line.startswith("refused: ")]
    assert len(refusals) == len(commands), lines
    assert not any("\n" in refusal for refusal in refusals), refusals
    return refusals


def test_a_restore_gives_back_the_export_zip_byte_for_byte_with_history_and_triggers(server):
    _, env, folder = server
    before, changes = export(server), query(env, "SELECT count(*) FROM api_change")
    installed = triggers(env)
    assert installed > 20

    (folder / "backups").mkdir()
    printed = manage(env, "backup", "--output", str(folder / "backups")).splitlines()[-1]
    backup = Path(printed)  # a folder gets a timestamped file
    assert backup.parent == folder / "backups" and backup.name.startswith("kpdata-")
    assert backup.stat().st_mode & 0o077 == 0, "the file holds password hashes: owner only"

    manage(env, "shell", "-c", EDITS)
    edited = export(server)
    proposals = zipfile.ZipFile(io.BytesIO(edited)).read("proposals.csv").decode()
    assert edited != before and "Changed after the backup." in proposals
    assert query(env, "SELECT count(*) FROM api_change") > changes

    assert "Restored" in manage(env, "restore_backup", str(backup))
    assert export(server) == before
    assert query(env, "SELECT count(*) FROM api_change") == changes
    # The triggers came back with the tables, and they work: a change by SQL is recorded.
    assert triggers(env) == installed
    query(
        env,
        "UPDATE api_meeting SET city = city || '.' WHERE id = (SELECT min(id) FROM api_meeting)",
    )
    assert query(env, "SELECT count(*) FROM api_change") == changes + 1


# A record created after the backup: a statement (its id is public) copied from another.
CREATE_STATEMENT = """
from api import models as m
statement = m.Statement.objects.order_by("pk").first()
statement.pk = None
statement.save()
print(statement.pk)
"""


def test_after_a_restore_no_change_number_or_id_is_issued_twice(server):
    _, env, folder = server
    (folder / "numbers").mkdir()
    backup = Path(manage(env, "backup", "--output", str(folder / "numbers")).splitlines()[-1])
    lost = int(manage(env, "shell", "-c", CREATE_STATEMENT).splitlines()[-1])
    highest = query(env, "SELECT max(id) FROM api_change")
    assert "Restored" in manage(env, "restore_backup", str(backup))
    # The backup's history, and a mark of the lost record's id numbered past any before.
    assert query(env, "SELECT max(id) FROM api_change WHERE action <> 'lost'") < highest
    assert query(env, "SELECT min(id) FROM api_change WHERE action = 'lost'") > highest

    # The lost statement's id is kept from any other record, though its history went.
    kept = f"SELECT action FROM api_change WHERE collection = 'statements' AND record_id = '{lost}'"
    assert query(env, kept) == "lost"
    feed = f"{server[0]}/api/v1/changes/?collection=statements&record={lost}"
    with urllib.request.urlopen(feed, timeout=30) as response:
        assert json.loads(response.read())["results"] == []  # a mark, not a change
    again = int(manage(env, "shell", "-c", CREATE_STATEMENT).splitlines()[-1])
    assert again > lost
    made = "SELECT min(id) FROM api_change WHERE collection = 'statements' AND record_id = "
    made += f"'{again}'"
    assert query(env, made) > highest


def test_a_broken_or_foreign_file_is_refused_in_one_line_and_changes_nothing(server):
    _, env, folder = server
    before, changes = export(server), query(env, "SELECT count(*) FROM api_change")
    backup = Path(manage(env, "backup", "--output", str(folder / "whole")).splitlines()[-1])
    truncated, text, other, header = (folder / name for name in ("half", "text", "other", "header"))
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    text.write_text("not a backup\n")
    with contextlib.closing(sqlite3.connect(other)) as database:
        database.execute("CREATE TABLE notes (text)")
    header.write_bytes(b"PGDMP\x01\x0e\x00")

    # On PostgreSQL a damaged backup gets as far as pg_restore, whose one transaction undoes it.
    result = run(env, "restore_backup", str(truncated))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("CommandError: ") and result.stderr.count("\n") == 1
    assert "Nothing was changed." in result.stderr
    refusals = attempts(
        env, *(["restore_backup", str(file)] for file in (folder / "none", text, other, header))
    )
    assert all(refusal.endswith("Nothing was changed.") for refusal in refusals), refusals
    assert export(server) == before
    assert query(env, "SELECT count(*) FROM api_change") == changes

    if env["DATABASE_URL"].startswith("postgres"):
        # Without PostgreSQL's client programs: one line that says what to install.
        refusals = attempts(
            {**env, "PATH": str(folder)},
            ["backup", "--output", str(folder / "none.dump")],
            ["restore_backup", str(backup)],
        )
        assert all("was not found: install PostgreSQL's client programs" in r for r in refusals)
        assert not (folder / "none.dump").exists()
