"""Behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer): the API answers lists,
details, CSV exports and writes, and every transaction keeps the configured statement timeout,
which no start-up parameter can carry through the pooler."""

import json
import shutil
import tempfile
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.db import connections, transaction

from api import pooler
from api.models import Meeting
from tests.live import live_server, manage, request
from tests.services import pgbouncer

pytestmark = pytest.mark.postgresql
KASANE = "/api/v1/meetings/2022-intersessional-kasane/"
TIMEOUT_MS = 4321  # not PostgreSQL's default (0): only the app can have set it


@pytest.fixture(scope="module")
def pooled():
    """The port of a PgBouncer of the test's own, in transaction mode (in a folder the postgres
    user may enter: PgBouncer does not run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="kpdata-pgbouncer-"))
    try:
        with pgbouncer(folder) as port:
            yield port
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_through_pgbouncer_reads_exports_and_writes_work_with_the_statement_timeout(
    pooled, live_database, tmp_path
):
    variables = {"STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS), "CONN_MAX_AGE": "60"}
    with live_server(live_database, tmp_path, pooler=pooled, **variables) as (base, env):
        # What a write's transaction sees of its statement timeout, kept by a trigger.
        table = Meeting._meta.db_table
        with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
            db.execute("CREATE TABLE timeout_seen (value text)")
            db.execute(
                "CREATE FUNCTION see_timeout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO timeout_seen VALUES (current_setting('statement_timeout')); "
                "RETURN NULL; END $$"
            )
            db.execute(
                f"CREATE TRIGGER see_timeout AFTER UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION see_timeout()"
            )
        token = manage(env, "create_editor", "pooled", "--name", "Pooled").splitlines()[-1]
        for _ in range(3):  # again and again, on whichever server connection PgBouncer lends
            assert request("GET", base + "/api/v1/participants/")[0] == 200
            assert request("GET", base + "/api/v1/participants/ZA/")[0] == 200
        status, headers, body = request("GET", base + "/api/v1/statements/?format=csv")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert body.count(b"\n") > 10
        status, headers, body = request("GET", base + "/api/v1/sources/?format=ndjson")
        assert status == 200 and body.count(b"\n") > 10
        _, headers, _ = request("GET", base + KASANE)
        status, _, body = request(
            "PATCH", base + KASANE, {"outcome": "Agreed through the pooler."},
            Authorization=f"Token {token}", **{"If-Match": headers["ETag"]},
        )  # fmt: skip
        assert status == 200, body[:500]
        assert json.loads(request("GET", base + KASANE)[2])["outcome"] == (
            "Agreed through the pooler."
        )
        with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
            seen = [value for (value,) in db.execute("SELECT value FROM timeout_seen")]
    assert seen and set(seen) == {f"{TIMEOUT_MS}ms"}


@pytest.fixture
def pooled_alias(pooled, settings, django_db_setup, django_db_blocker):
    """An alias of the test database through PgBouncer, as DATABASE_POOLER=pgbouncer sets it
    (outside the tests' transactions: what it reads is committed)."""
    settings.DATABASE_POOLER = "pgbouncer"
    settings.STATEMENT_TIMEOUT_MS = TIMEOUT_MS
    config = dict(connections["default"].settings_dict)
    url = dj_database_url.parse(f"postgres://postgres@127.0.0.1:{pooled}/{config['NAME']}")
    config.update({key: url[key] for key in ("HOST", "PORT")})
    config["OPTIONS"] = {"prepare_threshold": None, "connect_timeout": 5}
    connections.settings["pooled"] = config
    try:
        with django_db_blocker.unblock():
            yield connections["pooled"]
    finally:
        connections["pooled"].close()
        del connections["pooled"]
        del connections.settings["pooled"]


def show_timeout(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.mark.django_db  # the test database set up, which the alias reaches through the pooler
def test_every_transaction_through_the_pooler_has_the_statement_timeout(pooled_alias):
    # A statement outside any transaction, then one inside, then many more, on whichever
    # server connection PgBouncer lends each time.
    with transaction.atomic(using="pooled"):
        assert show_timeout(pooled_alias) == f"{TIMEOUT_MS}ms"
    for _ in range(5):
        assert show_timeout(pooled_alias) == f"{TIMEOUT_MS}ms"
    # Nothing leaks onto the server connection: a client without the app's setting sees none.
    with psycopg.connect(
        host="127.0.0.1", port=pooled_alias.settings_dict["PORT"], user="postgres",
        dbname=pooled_alias.settings_dict["NAME"], prepare_threshold=None, autocommit=True,
    ) as other:  # fmt: skip
        for _ in range(5):
            assert other.execute("SHOW statement_timeout").fetchone()[0] == "0"
    assert pooler.timed in pooled_alias.execute_wrappers
