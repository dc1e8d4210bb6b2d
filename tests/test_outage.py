"""A database outage: with the API running, PostgreSQL stops and starts again. Nothing breaks
for good: 503 problem details while it is down, answers again once it is back, no restart.

The cluster is a throwaway one of the test's own, on its own port: never the shared server.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import free_port

ROOT = Path(settings.BASE_DIR)
BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)
pytestmark = pytest.mark.skipif(
    not BIN and not shutil.which("initdb"), reason="needs PostgreSQL's server programs"
)


def as_owner(*command: str) -> subprocess.CompletedProcess:
    """PostgreSQL's programs refuse to run as root: run them as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, check=True)


def program(name: str) -> str:
    return str(Path(BIN) / name) if BIN else shutil.which(name)


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


@pytest.fixture
def cluster():
    # Outside pytest's own folders, which the postgres user may not enter.
    folder = Path(tempfile.mkdtemp(prefix="kpdata-outage-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    as_owner(program("initdb"), "-D", str(folder), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"

    def start():
        # -l: the server's output goes to a file, so pg_ctl returns instead of holding our pipe.
        log = str(folder / "server.log")
        as_owner(program("pg_ctl"), "-D", str(folder), "-o", options, "-l", log, "-w", "start")

    def stop():
        as_owner(program("pg_ctl"), "-D", str(folder), "-m", "fast", "-w", "stop")

    start()
    yield port, start, stop
    subprocess.run(
        ["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
        + [program("pg_ctl"), "-D", str(folder), "-m", "immediate", "stop"],
        capture_output=True,
    )
    shutil.rmtree(folder, ignore_errors=True)


def test_the_api_answers_503_while_the_database_is_down_and_recovers_without_restart(
    cluster, tmp_path
):
    port, start, stop = cluster
    as_owner(program("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "kpdata")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/kpdata",
        "DJANGO_SECRET_KEY": "outage-test-" + "x" * 40,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "THROTTLE_ANON_RATE": "off",
        "KPDATA_EXPORT_ROOT": str(tmp_path / "exports"),
    }
    for command in (["migrate", "-v0"], ["load_reference"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
    web = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{web}", "--workers", "2", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{web}"
    try:
        for _ in range(100):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert get(f"{base}/healthz")[2] == {"status": "ok", "database": "ok"}
        assert get(f"{base}/api/v1/participants/?page_size=1")[0] == 200

        stop()
        health = get(f"{base}/healthz")
        assert health[0] == 503 and health[2]["database"] == "unavailable"
        for path in ("/api/v1/participants/", "/api/v1/statements/1/", "/api/v1/", "/"):
            for _ in range(3):  # every worker, more than once
                status, content_type, body = get(base + path)
                assert (status, content_type) == (503, "application/problem+json"), path
                assert body["status"] == 503 and body["database"] == "unavailable"
        assert server.poll() is None, "gunicorn died"

        start()
        for _ in range(50):
            if get(f"{base}/api/v1/participants/?page_size=1")[0] == 200:
                break
            time.sleep(0.2)
        for _ in range(4):
            status, _, body = get(f"{base}/api/v1/participants/?page_size=1")
            assert status == 200 and body["count"] == 60
        assert get(f"{base}/healthz")[0] == 200
        assert server.poll() is None, "gunicorn was restarted"
    finally:
        server.terminate()
        server.wait(timeout=20)
