"""`make faults`: the scale-out parts fail under traffic, and the service keeps answering.

A PostgreSQL primary of its own (initdb, on a free port: the machine's server and its pg_hba are
left alone), a streaming replica made with pg_basebackup, a Redis of its own and gunicorn as
production runs it (gunicorn.conf.py, debug off, throttles off) reading the replica. Under
concurrent reads and an editor's writes: Redis stopped; the replica stopped, frozen (SIGSTOP) and
paused past DATABASE_REPLICA_MAX_LAG; `migrate` three times at once; editors reading their own
writes without Redis; then PgBouncer in transaction mode in front of the primary. Each fault's
figures go to bench/RESULTS.md (its own section); any target of issue 20 missed fails the run.
"""

import contextlib
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psycopg

if __package__ in (None, ""):  # run as `python bench/faults.py`: import bench/ as `bench`
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import servers
from bench.measure import workers
from tests.services import free_port, pgbouncer, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
PG = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- make faults: start -->", "<!-- make faults: end -->"
MEETING = "/api/v1/meetings/2022-intersessional-kasane/"
READS = ["/api/v1/participants/", "/api/v1/participants/ZA/", MEETING,
         "/api/v1/statements/?page_size=20", "/api/v1/proposals/"]  # fmt: skip
ZA = "/api/v1/participants/ZA/"
MAX_LAG = 2  # DATABASE_REPLICA_MAX_LAG for the run: a pause passes it in seconds
TIMEOUT_MS = 30000


def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    """PostgreSQL's programs and PgBouncer refuse root: as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, check=check)


class Cluster:
    """A PostgreSQL data folder of the run's own, started on a free port."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()

    def options(self) -> str:
        return f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"

    def start(self) -> None:
        log = str(self.folder / "server.log")
        as_postgres(str(PG / "pg_ctl"), "-D", str(self.folder), "-o", self.options(), "-l", log,
                    "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        as_postgres(str(PG / "pg_ctl"), "-D", str(self.folder), "-m", mode, "-w", "stop",
                    check=False)  # fmt: skip

    def pids(self) -> list[int]:
        master = int((self.folder / "postmaster.pid").read_text().split()[0])
        return [master, *workers(master)]

    def url(self, name: str = "kpdata") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, query: str, name: str = "kpdata"):
        with psycopg.connect(self.url(name).replace("postgres://", "postgresql://"),
                             autocommit=True, connect_timeout=5) as db:  # fmt: skip
            cursor = db.execute(query)
            return cursor.fetchall() if cursor.description else None


class Redis:
    """A Redis of the run's own that can be stopped and started again on its port."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        command = [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no", "--dir", str(self.folder)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Traffic:
    """Four anonymous readers and an editor writing, until stopped; every request timed."""

    def __init__(self, base: str, token: str, marker: str):
        self.base, self.token, self.marker = base, token, marker
        self.timings: list[tuple[int, float]] = []
        self.acknowledged = 0
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(n,)) for n in range(4)]
        self.threads.append(threading.Thread(target=self._write))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _timed(self, client: httpx.Client, method: str, path: str, **kwargs) -> httpx.Response:
        started = time.monotonic()
        try:
            response = client.request(method, self.base + path, **kwargs)
            status = response.status_code
        except httpx.HTTPError:
            response, status = None, 599  # no answer within the client's 30 s
        self.timings.append((status, time.monotonic() - started))
        if status >= 500:
            print(f"  {status} {method} {path}: {response.text[:200] if response else ''}")
        return response

    def _read(self, n: int) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stopping.is_set():
                self._timed(client, "GET", READS[n % len(READS)])
                n += 1

    def _write(self) -> None:
        auth = {"Authorization": f"Token {self.token}"}
        with httpx.Client(timeout=30, headers=auth) as client:
            number = 0
            while not self.stopping.wait(0.05):
                read = self._timed(client, "GET", MEETING)
                if read is None or read.status_code != 200:
                    continue
                number += 1
                body = {"outcome": f"{self.marker} {number}"}
                headers = {"If-Match": read.headers["ETag"]}
                written = self._timed(client, "PATCH", MEETING, json=body, headers=headers)
                self.acknowledged += written is not None and written.status_code == 200

    def figures(self) -> dict:
        seconds = sorted(s for _, s in self.timings) or [0.0]
        return {"requests": len(self.timings), "5xx": sum(s >= 500 for s, _ in self.timings),
                "max": seconds[-1], "p99": seconds[int(0.99 * (len(seconds) - 1))]}  # fmt: skip


def under_traffic(base: str, token: str, marker: str, fault, recover, held: float = 6.0) -> dict:
    """Traffic for 2 s, then `fault()`, held `held` s, then `recover()`, then 2 s more."""
    with Traffic(base, token, marker) as traffic:
        time.sleep(2)
        fault()
        time.sleep(held)
        recover()
        time.sleep(2)
    return {**traffic.figures(), "acknowledged": traffic.acknowledged}


def editor(base: str, token: str):
    return httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Token {token}"})


def write(client: httpx.Client, outcome: str) -> int:
    etag = client.get(MEETING).headers["ETag"]
    return client.patch(MEETING, json={"outcome": outcome}, headers={"If-Match": etag}).status_code


def history_updates(cluster: Cluster, marker: str) -> int:
    """History rows of the meeting's updates whose new outcome starts with `marker`."""
    rows = cluster.sql(
        "SELECT count(*) FROM api_change WHERE \"table\" = 'api_meeting' AND action = 'update' "
        f"AND new->>'outcome' LIKE '{marker} %'"
    )
    return rows[0][0]


def run(folder: Path) -> list[dict]:
    rows = []

    def row(fault: str, figures: dict, target: str, passed: bool) -> None:
        rows.append({"fault": fault, **figures, "target": target, "passed": passed})
        print(f"{'PASS' if passed else 'FAIL'} {fault}: {json.dumps(figures)} ({target})",
              flush=True)  # fmt: skip

    primary, replica = Cluster(folder / "primary"), Cluster(folder / "replica")
    primary.folder.mkdir()
    redis = Redis(folder)
    for path in (folder, primary.folder):
        shutil.chown(path, "postgres") if os.geteuid() == 0 else None
    as_postgres(str(PG / "initdb"), "-D", str(primary.folder), "-A", "trust", "-U", "postgres")
    with (primary.folder / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    try:
        primary.start()
        primary.sql("CREATE DATABASE kpdata", name="postgres")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kpdata.settings", "DJANGO_DEBUG": "0",
               "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
               "THROTTLE_ANON_RATE": "off", "THROTTLE_EDITOR_RATE": "off", "WEB_CONCURRENCY": "2",
               "DATABASE_URL": primary.url(), "KPDATA_EXPORT_ROOT": str(folder / "exports"),
               "KPDATA_THROTTLE_FILE": str(folder / "throttles.sqlite3")}  # fmt: skip
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "-v0"], ["load_reference"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
        token = subprocess.run([*manage, "create_editor", "faults", "--name", "Faults"], cwd=ROOT,
                               env=env, check=True, capture_output=True, text=True)  # fmt: skip
        token = token.stdout.strip().splitlines()[-1]
        as_postgres(str(PG / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U",
                    "postgres", "-D", str(replica.folder), "-R", "-X", "stream")  # fmt: skip
        replica.start()
        redis.start()
        env |= {"DATABASE_REPLICA_URLS": replica.url(), "DATABASE_REPLICA_MAX_LAG": str(MAX_LAG),
                "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0"}  # fmt: skip
        with servers.server("faults", env, folder) as app:
            base = app.base
            ready = httpx.get(base + "/readyz").json()
            assert ready["replicas"] and ready["redis"] == "ok", ready

            figures = under_traffic(base, token, "redis", redis.stop, redis.start)
            row("Redis stopped, then restarted", figures, "no 5xx", figures["5xx"] == 0)

            figures = under_traffic(base, token, "stopped", lambda: replica.stop("immediate"),
                                    replica.start)  # fmt: skip
            ok = figures["5xx"] == 0 and figures["max"] < 2
            row("replica stopped, then started", figures, "no 5xx, none over 2 s", ok)
            time.sleep(3)  # found well again

            def signal_all(number):
                return lambda: [os.kill(pid, number) for pid in replica.pids()]

            figures = under_traffic(base, token, "frozen", signal_all(signal.SIGSTOP),
                                    signal_all(signal.SIGCONT))  # fmt: skip
            ok = figures["5xx"] == 0 and figures["max"] < 2
            row("replica frozen (SIGSTOP), then SIGCONT", figures, "no 5xx, none over 2 s", ok)
            time.sleep(3)

            seen = {}

            def paused_write():
                time.sleep(MAX_LAG + 3)  # past the lag limit, and a probe has seen it
                with editor(base, token) as client:  # a record the traffic does not write
                    etag = {"If-Match": client.get(ZA).headers["ETag"]}
                    renamed = {"name": "South Africa (paused)"}
                    seen["write"] = client.patch(ZA, json=renamed, headers=etag).status_code
                seen["read"] = httpx.get(base + ZA).json()["name"]
                seen["replica"] = replica.sql("SELECT name FROM api_participant WHERE code = 'ZA'")[
                    0
                ][0]

            figures = under_traffic(
                base, token, "paused",
                lambda: replica.sql("SELECT pg_wal_replay_pause()") and paused_write(),
                lambda: replica.sql("SELECT pg_wal_replay_resume()"), held=0,
            )  # fmt: skip
            ok = figures["5xx"] == 0 and seen["read"] == "South Africa (paused)" != seen["replica"]
            figures["read"] = seen["read"]
            row(f"replica replay paused past {MAX_LAG} s", figures,
                "no 5xx; an anonymous read shows the new write", ok)  # fmt: skip

            redis.stop()
            with editor(base, token) as client:
                own = sum(
                    write(client, f"own write {n}") == 200
                    and client.get(MEETING).json()["outcome"] == f"own write {n}"
                    for n in range(10)
                )
            redis.start()
            row("editor reads own write (replica on, Redis off)", {"own writes read": own},
                "10 of 10", own == 10)  # fmt: skip

            results = []

            def migrate_three():
                runs = [subprocess.Popen([*manage, "migrate", "-v0"], cwd=ROOT, env=env,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         text=True) for _ in range(3)]  # fmt: skip
                for process in runs:
                    _, error = process.communicate()
                    results.append(process.returncode)
                    if process.returncode:
                        print(error[-1500:], flush=True)

            figures = under_traffic(base, token, "migrating", migrate_three, lambda: None, held=1)
            history = history_updates(primary, "migrating")
            figures |= {"migrate exits": results, "history rows": history}
            ok = figures["5xx"] == 0 and results == [0, 0, 0]
            ok = ok and history == figures["acknowledged"]
            row("migrate x3 in parallel during writes", figures,
                "all succeed; history rows = acknowledged updates", ok)  # fmt: skip

        bouncer = folder / "pgbouncer"
        bouncer.mkdir()
        with pgbouncer(bouncer, port=primary.port) as port:
            primary.sql("CREATE TABLE timeout_seen (value text)")
            primary.sql(
                "CREATE FUNCTION see_timeout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO timeout_seen VALUES (current_setting('statement_timeout')); "
                "RETURN NULL; END $$"
            )
            primary.sql("CREATE TRIGGER see_timeout AFTER UPDATE ON api_meeting "
                        "FOR EACH ROW EXECUTE FUNCTION see_timeout()")  # fmt: skip
            pooled = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/kpdata",
                      "DATABASE_POOLER": "pgbouncer", "STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS),
                      "DATABASE_REPLICA_URLS": ""}  # fmt: skip
            with servers.server("pooled", pooled, folder) as app:
                figures = under_traffic(app.base, token, "pooled", lambda: None, lambda: None)
                csv = httpx.get(app.base + "/api/v1/statements/?format=csv", timeout=60)
            shown = sorted({value for (value,) in primary.sql("SELECT value FROM timeout_seen")})
            figures |= {"statement_timeout": shown, "csv": csv.status_code}
            ok = figures["5xx"] == 0 and shown == [f"{TIMEOUT_MS // 1000}s"] and csv.is_success
            row("PgBouncer, transaction mode", figures,
                "no 5xx; SHOW statement_timeout in a write's transaction = 30s", ok)  # fmt: skip
    finally:
        redis.stop()
        with contextlib.suppress(Exception):
            for pid in replica.pids():
                os.kill(pid, signal.SIGCONT)
        for cluster in (replica, primary):
            cluster.stop("immediate")
    return rows


SHOWN = {"fault", "requests", "5xx", "max", "p99", "target", "passed"}


def report(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        extra = {k: v for k, v in r.items() if k not in SHOWN}
        figures = (f"{r['requests']} | {r['5xx']} | {r['max']:.2f} | {r['p99']:.2f}"
                   if "requests" in r else "- | - | - | -")  # fmt: skip
        details = ", ".join(f"{k}: {v}" for k, v in extra.items())
        verdict = "PASS" if r["passed"] else "FAIL"
        lines.append(f"| {r['fault']} | {figures} | {details} | {r['target']} | {verdict} |")
    stamp = datetime.date.today().isoformat()
    return (
        f"{START}\n## make faults\n\n{stamp}, {os.cpu_count()} cores: gunicorn.conf.py "
        "(2 workers), debug off, throttles off; a PostgreSQL primary and a streaming replica "
        f"of the run's own (pg_basebackup), DATABASE_REPLICA_MAX_LAG={MAX_LAG}, a Redis of its "
        "own; four anonymous readers and an editor writing throughout. Seconds are per request.\n\n"
        "| fault | requests | 5xx | max s | p99 s | other figures | target | result |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n" + "\n".join(lines) + f"\n{END}\n"
    )


def main() -> int:
    if PG is None or not shutil.which("redis-server"):
        print("make faults needs PostgreSQL's server programs and redis-server")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="kpdata-faults-"))
    try:
        rows = run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    section = report(rows)
    text = RESULTS.read_text() if RESULTS.exists() else ""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END) + "\n?", re.S)
    RESULTS.write_text(pattern.sub("", text).rstrip("\n") + "\n\n" + section)
    print(section)
    return 0 if all(r["passed"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
