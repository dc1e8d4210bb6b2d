"""`make abuse`: the API attacked as an anonymous client would, on the production set-up.

gunicorn with gunicorn.conf.py and debug off, on a throwaway SQLite database (the reference data
and 12,000 synthetic statements): slow-header clients while a probe must be answered within a
second; 80 requests at once against a limit of 20/min across two servers sharing the store, with
forged forwarding headers, and the request after Retry-After; 30 Host values against the export;
schema and expand floods beside a normal request. Each figure goes to bench/RESULTS.md (its own
section); any target missed fails the run.
"""

import contextlib
import datetime
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/abuse.py`: import bench/ as `bench`
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import servers

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- make abuse: start -->", "<!-- make abuse: end -->"
PORTS = {"a": 8810, "b": 8811, "c": 8812, "redis": 8813}
STATEMENTS = 12_000
BEFORE = (
    "Before issue 19: three half-sent requests stalled every other request; one client got "
    "1,491 requests through 600/min in 7 s; 30 Host values built 30 ZIPs; six schema clients "
    "slowed a normal request from 0.01 s to 11 s; a body nested 1,000 deep was a 500."
)


class Failed(Exception):
    pass


def get(url: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, float]:
    """(status, headers, seconds) of a GET on a fresh connection."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            status, got = answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        error.read()
        status, got = error.code, dict(error.headers)
    return status, got, time.perf_counter() - started


@contextlib.contextmanager
def gunicorn(port: int, env: dict, log: Path):
    command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind",
               f"127.0.0.1:{port}", "--no-control-socket"]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        for _ in range(120):
            with contextlib.suppress(OSError):
                if get(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200:
                    break
            if process.poll() is not None:
                raise Failed(f"gunicorn on {port} did not start: see {log}")
            time.sleep(0.5)
        time.sleep(2)  # every worker booted
        yield f"http://127.0.0.1:{port}"
    finally:
        servers.stop(process)


def slow_headers(base: str, figures: dict) -> None:
    """50 connections that send half a head, a byte now and then, or nothing; probes meanwhile."""
    port = int(base.rsplit(":", 1)[1])
    stop = threading.Event()
    closed = []

    def dribble(n: int) -> None:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            if n % 2:
                sock.sendall(b"GET /api/v1/ HTTP/1.1\r\nHost: localhost\r\n")
            opened = time.monotonic()
            while not stop.wait(1):
                try:
                    if n % 2:
                        sock.sendall(b"X")  # one byte of a header, every second
                    sock.settimeout(0.01)
                    if sock.recv(1) == b"":
                        closed.append(time.monotonic() - opened)
                        return
                except TimeoutError:
                    pass
                except OSError:
                    closed.append(time.monotonic() - opened)
                    return

    for _ in range(20):  # every worker and thread warmed up, as in a server that has been up
        get(base + "/api/v1/blocs/")
    threads = [threading.Thread(target=dribble, args=(n,), daemon=True) for n in range(50)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    probes = []
    for _ in range(10):
        status, _, seconds = get(base + "/api/v1/blocs/", timeout=10)
        if status != 200:
            raise Failed(f"a probe beside the slow clients got {status}")
        probes.append(seconds)
        time.sleep(0.5)
    time.sleep(8)  # past the head timeout
    stop.set()
    for thread in threads:
        thread.join()
    figures["slow"] = (max(probes), statistics.median(probes), len(closed), closed)
    if max(probes) >= 1:
        raise Failed(f"with 50 slow clients a probe took {max(probes):.2f} s")


def burst(bases: list[str], figures: dict, name: str) -> float:
    """80 requests at once, alternately on each server, each with forged forwarding headers."""

    def one(n: int) -> tuple[int, dict]:
        forged = {"X-Forwarded-For": f"10.{n}.0.1", "X-Real-IP": f"10.{n}.0.2",
                  "Forwarded": f"for=10.{n}.0.3"}  # fmt: skip
        status, headers, _ = get(bases[n % len(bases)] + "/api/v1/blocs/", forged)
        return status, headers

    with ThreadPoolExecutor(max_workers=80) as pool:
        answers = list(pool.map(one, range(80)))
    passed = sum(status == 200 for status, _ in answers)
    refused = [headers for status, headers in answers if status == 429]
    if passed + len(refused) != 80:
        raise Failed(f"{name}: answers other than 200 and 429: {[s for s, _ in answers]}")
    if passed > 20:
        raise Failed(f"{name}: {passed} of 80 passed a limit of 20/min")
    waits = [int(headers["Retry-After"]) for headers in refused]
    headed = all("RateLimit-Remaining" in headers for _, headers in answers)
    figures[name] = (passed, len(refused), max(waits), headed)
    return time.monotonic() + max(waits)


def hosts(base: str, exports: Path, figures: dict) -> None:
    def one(n: int) -> int:
        return get(base + "/api/v1/export/", {"Host": f"localhost:{9000 + n}"}, timeout=120)[0]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(one, range(30)))
    seconds = time.perf_counter() - started
    zips = len(list(exports.glob("*.zip")))
    figures["hosts"] = (statuses.count(200), zips, seconds)
    if statuses.count(200) != 30 or zips != 1:
        raise Failed(f"30 hosts: {statuses.count(200)} answered 200, {zips} ZIPs built")


def flood(base: str, paths: list[str], probe: str, seconds: float = 12) -> tuple[float, int]:
    """The median of a normal request while 6 clients ask for `paths` in turn; their answers."""
    stop, answers = threading.Event(), []

    def client(n: int) -> None:
        while not stop.is_set():
            answers.append(get(base + paths[n % len(paths)], timeout=300)[0])

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(6)]
    for thread in threads:
        thread.start()
    probes, until = [], time.monotonic() + seconds
    while time.monotonic() < until:
        probes.append(get(base + probe)[2])
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    return statistics.median(probes), len(answers)


def costs(base: str, figures: dict) -> None:
    probe = "/api/v1/participants/ZA/"
    quiet = statistics.median(get(base + probe)[2] for _ in range(20))
    schema = flood(base, ["/api/schema/", "/api/schema/?format=json"], probe)
    expanded = "/api/v1/statements.csv?expand=source,speaker,meeting"
    status, _, _ = get(base + expanded)
    few = f"{expanded}&participant=ZA"
    refused = flood(base, [expanded], probe)
    served = flood(base, [few], probe)
    plain = get(base + "/api/v1/statements.csv")[2]
    few_seconds = get(base + few)[2]
    figures["costs"] = (quiet, schema, status, refused, served, plain, few_seconds)
    if schema[0] >= 0.05:
        raise Failed(f"with 6 schema clients a normal request took {schema[0] * 1000:.0f} ms")
    if status != 400:
        raise Failed(f"expand on all {STATEMENTS:,} statements answered {status}, not 400")


def redis_server(folder: Path):
    server = shutil.which("redis-server")
    if server is None:
        return None
    return subprocess.Popen([server, "--port", str(PORTS["redis"]), "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def run(folder: Path) -> dict:
    env = {**os.environ, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_DEBUG": "0",
           "DATABASE_URL": f"sqlite:///{folder / 'abuse.sqlite3'}", "WEB_CONCURRENCY": "2",
           "KPDATA_EXPORT_ROOT": str(folder / "exports"), "REDIS_URL": "",
           "KPDATA_THROTTLE_FILE": str(folder / "throttles.sqlite3")}  # fmt: skip
    manage = [str(BIN / "python"), "manage.py"]
    for command in (["migrate", "--noinput"], ["load_reference"],
                    ["generate_synthetic", "--statements", str(STATEMENTS)]):  # fmt: skip
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    figures, log = {}, folder / "gunicorn.log"
    limited = {**env, "THROTTLE_ANON_RATE": "20/min"}
    with gunicorn(PORTS["c"], {**env, "THROTTLE_ANON_RATE": "off"}, log) as c:
        slow_headers(c, figures)
        with gunicorn(PORTS["a"], limited, log) as a, gunicorn(PORTS["b"], limited, log) as b:
            retry_at = burst([a, b], figures, "burst")
            hosts(c, folder / "exports", figures)
            costs(c, figures)
            time.sleep(max(0.0, retry_at - time.monotonic()))
            status, headers, _ = get(b + "/api/v1/blocs/")
            figures["after"] = (status, headers.get("RateLimit-Remaining"))
            if status != 200:
                raise Failed(f"after Retry-After the next request got {status}")
    redis = redis_server(folder)
    if redis is not None:
        try:
            shared = {**limited, "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0"}
            with gunicorn(PORTS["a"], shared, log) as a, gunicorn(PORTS["b"], shared, log) as b:
                burst([a, b], figures, "redis")
                redis.terminate()
                redis.wait()
                figures["redis down"] = get(a + "/api/v1/sources/")[0]
                if figures["redis down"] >= 500:
                    raise Failed(f"with Redis down a request got {figures['redis down']}")
        finally:
            redis.kill()
            redis.wait()
    return figures


def report(figures: dict) -> str:
    worst, median, closed, after = figures["slow"]
    passed, refused, wait, headed = figures["burst"]
    ok, zips, seconds = figures["hosts"]
    quiet, schema, status, refused_flood, served, plain, few = figures["costs"]
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="minutes")
    rows = [
        (
            "50 slow-header clients (25 dribbling a byte a second, 25 silent): probe max / median",
            f"{worst * 1000:.0f} ms / {median * 1000:.0f} ms (target < 1 s)",
        ),
        (
            "slow clients closed by the server",
            f"{closed} of 50, after {min(after, default=0):.0f}-{max(after, default=0):.0f} s",
        ),
        (
            "80 requests at once, 20/min, two servers sharing a file, each forged X-Forwarded-For",
            f"{passed} passed, {refused} refused (429), Retry-After {wait} s; RateLimit-* on "
            f"{'every' if headed else 'NOT every'} answer",
        ),
        ("the request after Retry-After", f"{figures['after'][0]}"),
    ]
    if "redis" in figures:
        passed_r, refused_r, wait_r, _ = figures["redis"]
        rows += [
            (
                "the same burst, the servers sharing Redis",
                f"{passed_r} passed, {refused_r} refused, Retry-After {wait_r} s",
            ),
            ("a request once Redis is stopped", f"{figures['redis down']} (counted per machine)"),
        ]
    ms = "{:.1f} ms".format
    rows += [
        ("30 export requests at once, 30 Host values",
         f"{ok} answered 200, {zips} ZIP built, {seconds:.1f} s"),
        ("normal request (a participant) alone: median", ms(quiet * 1000)),
        ("... while 6 clients fetch /api/schema/",
         f"{ms(schema[0] * 1000)} ({schema[1]} schemas served; target < 50 ms)"),
        (f"statements.csv?expand=... on all {STATEMENTS:,} statements",
         f"{status} (refused above 10,000 rows; the problem points to the ZIP)"),
        ("... 6 clients repeating it: normal request median",
         f"{ms(refused_flood[0] * 1000)} ({refused_flood[1]} refusals)"),
        ("... 6 clients asking it for South Africa's statements: normal request median",
         f"{ms(served[0] * 1000)} ({served[1]} exports; one takes {few:.2f} s)"),
        (f"plain statements.csv ({STATEMENTS:,} rows)", f"{plain:.2f} s"),
    ]  # fmt: skip
    table = "\n".join(f"| {what} | {figure} |" for what, figure in rows)
    return (
        f"{START}\n## make abuse\n\n{stamp}, {os.cpu_count()} cores, gunicorn.conf.py (2 workers "
        f"per server), debug off, SQLite, {STATEMENTS:,} synthetic statements. Every target met."
        f"\n\n{BEFORE}\n\n| attack | figure |\n| --- | --- |\n{table}\n{END}\n"
    )


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="kpdata-abuse-"))
    try:
        figures = run(folder)
    except Failed as failure:
        log = folder / "gunicorn.log"
        tail = log.read_text(errors="replace").splitlines()[-30:] if log.exists() else []
        print("\n".join(tail))
        print(f"make abuse: FAIL: {failure}")
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    section = report(figures)
    text = RESULTS.read_text() if RESULTS.exists() else ""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END) + "\n?", re.S)
    text = pattern.sub("", text).rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)
    print(section)
    print(json.dumps({key: str(value) for key, value in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
