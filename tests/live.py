"""A live server for tests that need real processes: the app as `make serve` runs it (gunicorn,
debug off) on a database of its own, of the same kind as the test run's."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


@contextlib.contextmanager
def live_server(folder: Path, workers: int = 2):
    """Yield (base URL, environment) of a gunicorn serving a freshly loaded database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database(folder),
        "DJANGO_SECRET_KEY": "live-test-" + "x" * 40,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "KPDATA_EXPORT_ROOT": str(folder / "exports"),
        "THROTTLE_ANON_RATE": "off",
        "THROTTLE_EDITOR_RATE": "off",
    }
    for command in (["migrate", "-v0"], ["load_reference"], ["collectstatic", "--noinput", "-v0"]):
        manage(env, *command)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
        _drop(env["DATABASE_URL"])


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _database(folder: Path) -> str:
    """A new PostgreSQL database beside the test run's, or a SQLite file in the folder."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{folder / 'live.sqlite3'}"
    name = f"kpdata_live_{uuid.uuid4().hex[:8]}"
    _maintenance(f'CREATE DATABASE "{name}"')
    config = settings.DATABASES["default"]
    return f"postgres://{config['USER']}@{config['HOST']}:{config['PORT']}/{name}"


def _drop(url: str) -> None:
    config = dj_database_url.parse(url)
    if "postgresql" in config["ENGINE"]:
        _maintenance(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


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
