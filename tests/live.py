"""A live server for tests that need real processes: the app as `make serve` runs it (gunicorn,
debug off, tests/settings.py's static files) on a database of its own, of the same kind as the
test run's: a copy of one migrated and loaded once per run (the `live_database` fixture)."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def reference_database(folder: Path) -> str:
    """The URL of a new database, migrated and loaded with the reference dataset."""
    url = _database(folder, "reference")
    env = {**environment(folder), "DATABASE_URL": url}
    for command in (["migrate", "-v0"], ["load_reference"]):
        manage(env, *command)
    return url


@contextlib.contextmanager
def live_server(
    reference: str, folder: Path, workers: int = 2, pooler: int | None = None, **variables: str
):
    """Yield (base URL, environment) of a gunicorn serving a copy of the `reference` database
    (through the PgBouncer listening on port `pooler`, if given); `variables` add to or change
    its environment. The environment's DATABASE_URL names the copy directly."""
    env = {**environment(folder), "DATABASE_URL": _copy(reference, folder), **variables}
    served = dict(env)
    if pooler:
        config = dj_database_url.parse(env["DATABASE_URL"])
        served["DATABASE_URL"] = f"postgres://{config['USER']}@127.0.0.1:{pooler}/{config['NAME']}"
        served["DATABASE_POOLER"] = "pgbouncer"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--access-logfile", "/dev/null"],
        cwd=ROOT, env=served, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, env
    finally:
        process.terminate()
        process.wait(timeout=20)
        drop(env["DATABASE_URL"])


def environment(folder: Path) -> dict[str, str]:
    """The variables of a server run as in production, its files kept in `folder`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_SECRET_KEY": "live-test-" + "x" * 40,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "KPDATA_EXPORT_ROOT": str(folder / "exports"),
        "THROTTLE_ANON_RATE": "off",
        "THROTTLE_EDITOR_RATE": "off",
    }


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def drop(url: str) -> None:
    config = dj_database_url.parse(url)
    if "postgresql" in config["ENGINE"]:
        _maintenance(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


def _database(folder: Path, name: str) -> str:
    """A new PostgreSQL database beside the test run's, or a SQLite file in the folder."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    name = f"kpdata_live_{uuid.uuid4().hex[:8]}"
    _maintenance(f'CREATE DATABASE "{name}"')
    return _url(name)


def copy_of(reference: str, folder: Path) -> str:
    """A database of its own for a test that writes, holding what `reference` holds."""
    return _copy(reference, folder)


def _copy(reference: str, folder: Path) -> str:
    """A new database holding what `reference` holds: a file copy, or a PostgreSQL template's."""
    if reference.startswith("sqlite:///"):
        copy = folder / "live.sqlite3"
        shutil.copyfile(reference.removeprefix("sqlite:///"), copy)
        return f"sqlite:///{copy}"
    name = f"kpdata_live_{uuid.uuid4().hex[:8]}"
    template = dj_database_url.parse(reference)["NAME"]
    _maintenance(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return _url(name)


def _url(name: str) -> str:
    config = settings.DATABASES["default"]
    return f"postgres://{config['USER']}@{config['HOST']}:{config['PORT']}/{name}"


def _maintenance(sql: str) -> None:
    """Run SQL on the server's `postgres` database, outside any test transaction."""
    config = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        autocommit=True,
    ) as maintenance:
        maintenance.execute(sql)


def request(method: str, url: str, body=None, **headers) -> tuple[int, dict, bytes]:
    """A request to a live server: its status, headers and body, an error status included."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **headers} if data else headers
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method)) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
