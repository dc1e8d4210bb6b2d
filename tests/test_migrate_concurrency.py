"""`migrate` run by several containers at once, while editors write: every run succeeds, and
no write goes unrecorded while the history's triggers are put back."""

import os
import shlex
import subprocess
import sys
import threading
import time
import uuid

import psycopg
import pytest
from django.conf import settings

from api import models as m
from tests.test_dataset_version import server

pytestmark = pytest.mark.postgresql


def three_at_once(url: str, *commands: str) -> list[tuple[int, str]]:
    """Each of three processes runs the manage.py commands in turn, as a container starts."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    python = shlex.quote(sys.executable)
    script = " && ".join(f"{python} manage.py {command}" for command in commands)
    options = {"cwd": settings.BASE_DIR, "env": env, "text": True, "shell": True,
               "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}  # fmt: skip
    runs = [subprocess.Popen(script, **options) for _ in range(3)]
    return [(run.wait(timeout=600), run.stderr.read()) for run in runs]


def migrate_three_at_once(url: str) -> list[tuple[int, str]]:
    return three_at_once(url, "migrate --noinput -v0")


@pytest.fixture
def fresh_database():
    name = f"kpdata_migrate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_three_migrates_at_once_all_succeed_and_no_write_loses_its_history(fresh_database):
    where = server()
    url = (f"postgres://{where['user'] or 'postgres'}@{where['host'] or '127.0.0.1'}"
           f":{where['port'] or 5432}/{fresh_database}")  # fmt: skip
    # A fresh database: three containers starting together.
    assert [code for code, _ in migrate_three_at_once(url)] == [0, 0, 0]
    with psycopg.connect(dbname=fresh_database, autocommit=True, **server()) as writer:
        writer.execute(
            "INSERT INTO api_participant (code, name, kind, region, joined_on, "
            "joined_on_precision, confidence, note, created_at, updated_at) VALUES ('QQ', 'Q', "
            "'state', 'africa', NULL, NULL, 'uncertain', '', now(), now())"
        )
        (before,) = writer.execute("SELECT count(*) FROM api_change").fetchone()
        done, updates = threading.Event(), [0]

        def write():
            while not done.is_set():
                updates[0] += 1
                writer.execute("UPDATE api_participant SET name = %s WHERE code = 'QQ'",
                               [f"Q {updates[0]}"])  # fmt: skip

        thread = threading.Thread(target=write)
        thread.start()
        try:
            # A new release: three containers run migrate again while editors write.
            results = migrate_three_at_once(url)
        finally:
            done.set()
            thread.join()
        assert [code for code, _ in results] == [0, 0, 0], results
        (after,) = writer.execute("SELECT count(*) FROM api_change").fetchone()
    assert updates[0] > 0
    assert after - before == updates[0]


@pytest.mark.django_db
def test_three_containers_starting_together_all_start(fresh_database):
    where = server()
    url = (f"postgres://{where['user'] or 'postgres'}@{where['host'] or '127.0.0.1'}"
           f":{where['port'] or 5432}/{fresh_database}")  # fmt: skip
    # What the image runs on every start: migrate, then load the reference data.
    results = three_at_once(url, "migrate --noinput -v0", "load_reference")
    assert [code for code, _ in results] == [0, 0, 0], results
    with psycopg.connect(dbname=fresh_database, **server()) as reader:
        (participants,) = reader.execute("SELECT count(*) FROM api_participant").fetchone()
    assert participants == m.Participant.objects.count()  # as the test database: loaded once


def test_installing_the_triggers_gives_way_to_a_write_instead_of_deadlocking_it(fresh_database):
    """A write holds one table and then needs another that the install has already taken: the
    install gives way (and tries again) instead of leaving PostgreSQL to fail the write."""
    where = server()
    url = (f"postgres://{where['user'] or 'postgres'}@{where['host'] or '127.0.0.1'}"
           f":{where['port'] or 5432}/{fresh_database}")  # fmt: skip
    assert [code for code, _ in three_at_once(url, "migrate --noinput -v0")][:1] == [0]
    with psycopg.connect(dbname=fresh_database, **server()) as writer:
        writer.execute(
            "INSERT INTO api_participant (code, name, kind, region, joined_on, "
            "joined_on_precision, confidence, note, created_at, updated_at) VALUES ('QQ', 'Q', "
            "'state', 'africa', NULL, NULL, 'uncertain', '', now(), now())"
        )
        writer.execute(
            "INSERT INTO api_source (slug, kind, title, publisher, author, url, confidence, "
            "note, created_at, updated_at) VALUES ('qq', 'news', '', '', '', "
            "'https://example.org/qq', 'uncertain', '', now(), now())"
        )
        writer.commit()
        # The write takes api_source (late in the install's order) and keeps it...
        writer.execute("UPDATE api_source SET note = 'first' WHERE slug = 'qq'")
        install = subprocess.Popen(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        with psycopg.connect(dbname=fresh_database, autocommit=True, **server()) as watcher:
            for _ in range(600):  # ...until the install has taken api_participant (early)
                (waiting,) = watcher.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'api_participant' AND l.granted "
                    "AND l.mode IN ('AccessExclusiveLock', 'ShareRowExclusiveLock')"
                ).fetchone()
                if waiting:
                    break
                time.sleep(0.05)
        # ...then needs api_participant, which the install holds while it waits for api_source.
        writer.execute("UPDATE api_participant SET name = 'Q2' WHERE code = 'QQ'")
        writer.commit()  # no deadlock: the install gave way
        _, errors = install.communicate(timeout=120)
    assert install.returncode == 0, errors
    with psycopg.connect(dbname=fresh_database, autocommit=True, **server()) as reader:
        (names,) = reader.execute(
            "SELECT count(*) FROM api_change WHERE new->>'name' = 'Q2' OR new->>'note' = 'first'"
        ).fetchone()
    assert names == 2  # both writes kept their history
