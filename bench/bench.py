"""`make bench`: the API and a hand-written reference on one PostgreSQL database, as ratios."""

# Builds a database of BENCH_STATEMENTS synthetic statements (default 1,000,000), serves it with
# the API (gunicorn, production settings) and with bench/reference.py, drives both with wrk and
# curl on the loopback, prints one line per figure with its ratio, target and PASS or FAIL,
# records them in bench/RESULTS.md and exits 1 when any figure fails (2 when it cannot run).
# The database is dropped at the end, whatever happens.

import contextlib
import datetime
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

if __package__ in (None, ""):  # run as `python bench/bench.py`: import bench/ as `bench`
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import drive, measure, report, shape
from bench.drive import DEEP_PAGE, say
from bench.figures import collect
from bench.measure import BenchError
from bench.servers import BIN, ROOT, server

POSTGRES = "postgres://postgres@127.0.0.1:5432"
DEEP_LOAD = (f" (the load asks for pages {DEEP_PAGE - drive.DEEP_SPREAD:,} to "
             f"{DEEP_PAGE + drive.DEEP_SPREAD - 1:,} instead, each once)")  # fmt: skip


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise BenchError(f"{name} must be a whole number, not {value!r}.") from None


@dataclass(frozen=True)
class Settings:
    """What the environment asks for: BENCH_STATEMENTS and the load generator's bounds."""

    statements: int  # synthetic statements, beside the ~100 real ones
    duration: int  # seconds per wrk run
    connections: int
    threads: int
    rounds: int  # every load run this many times a side, sides alternating; the median counts
    requests: int  # at most this many responses per wrk run
    export_limit: int  # seconds one export download may take at most
    database: str  # an existing, loaded database to use (and keep) instead of a new one
    keep: bool

    @classmethod
    def from_environment(cls) -> "Settings":
        settings = cls(
            statements=_int("BENCH_STATEMENTS", 1_000_000),
            duration=_int("BENCH_DURATION", 8),
            connections=_int("BENCH_CONNECTIONS", 16),
            threads=_int("BENCH_THREADS", 2),
            rounds=max(1, _int("BENCH_ROUNDS", 3)),
            requests=_int("BENCH_REQUESTS", 100_000),
            export_limit=_int("BENCH_EXPORT_LIMIT", 150),
            database=os.environ.get("BENCH_DATABASE", "").strip(),
            keep=os.environ.get("BENCH_KEEP", "") == "1",
        )
        least = DEEP_PAGE + drive.DEEP_SPREAD  # a row for each of the deep pages at least
        if settings.statements < least:
            raise BenchError(f"BENCH_STATEMENTS must be at least {least}.")
        return settings


def _maintenance(statement: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def database(settings: Settings):
    """(URL, whether to load it): a new database, dropped at the end whatever happens."""
    if settings.database:
        yield f"{POSTGRES}/{settings.database}", False
        return
    name = f"kpdata_bench_{uuid.uuid4().hex[:8]}"
    _maintenance(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}", True
    finally:
        if settings.keep:
            say(f"kept the database: BENCH_DATABASE={name} runs on it again")
        else:
            _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"dropped the database {name}")


def environment(url: str, folder: Path) -> dict[str, str]:
    """Production settings: debug off, a secret key, throttles off, the benchmark's database."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "THROTTLE_ANON_RATE": "off",
        "THROTTLE_EDITOR_RATE": "off",
        "KPDATA_EXPORT_ROOT": str(folder / "exports"),
    }


def manage(env: dict, *command: str) -> None:
    started = time.monotonic()
    result = subprocess.run([str(BIN / "python"), "manage.py", *command], cwd=ROOT, env=env,
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        raise BenchError(f"manage.py {command[0]} failed:\n{result.stderr[-3000:]}")
    last = (result.stdout.strip().splitlines() or [""])[-1]
    say(f"{command[0]}: {time.monotonic() - started:.1f} s. {last[:160]}")


def load(env: dict, url: str, settings: Settings) -> None:
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_reference")
    manage(env, "generate_synthetic", "--statements", str(settings.statements))
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    started = time.monotonic()
    # As a database in service would be: no autovacuum of the fresh rows during the runs.
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    say(f"vacuum analyze: {time.monotonic() - started:.1f} s.")


def require_tools() -> None:
    if not shutil.which("wrk"):
        say("installing wrk (Debian's package)")
        for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "wrk"]):
            subprocess.run(command, capture_output=True, check=False)
    for tool in ("wrk", "curl"):
        if not shutil.which(tool):
            raise BenchError(f"{tool} is missing: apt-get install -y {tool}")


def machine(url: str) -> str:
    """Date, cores, memory, CPU, kernel, PostgreSQL, Python, gunicorn, and the load average."""
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    cpus = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
            .splitlines() if line.startswith("model name")]  # fmt: skip
    with psycopg.connect(url) as connection:
        (postgres,) = connection.execute("SHOW server_version").fetchone()
    import gunicorn

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{len(os.sched_getaffinity(0))} cores ({cpus[0] if cpus else 'unknown CPU'}), "
            f"{memory / 1024 / 1024:.1f} GiB memory, Linux {platform.release()}; PostgreSQL "
            f"{postgres.split()[0]}, Python {platform.python_version()}, gunicorn "
            f"{gunicorn.__version__}; load average at the start {load}")  # fmt: skip


def block(settings: Settings, figures: list, facts: dict) -> str:
    """This run's part of RESULTS.md."""
    requests = [f"- {name}: `{path}`" + (DEEP_LOAD if name == "deep" else "")
                for name, path in facts["paths"].items()]  # fmt: skip
    return "\n".join([
        f"### {settings.statements:,} statements",
        "",
        f"Run {facts['date']} in {facts['took']}, `BENCH_STATEMENTS={settings.statements}`. "
        f"Machine: {facts['machine']}.",
        "",
        f"Both servers: {facts['workers']}. Load: `wrk -t{settings.threads} "
        f"-c{settings.connections} -d{settings.duration}s` on the loopback (at most "
        f"{settings.requests:,} responses a run), {settings.rounds} round(s) a side, sides "
        "alternating; each figure is the median of the rounds, each round's ratio taken from "
        "its own pair of runs; exports: one whole download each with curl.",
        "",
        report.markdown(figures),
        "",
        "Rounds:",
        "",
        *(f"- {said}" for said in facts["rounds"]),
        "",
        "Warm requests (the same URL throughout a run):",
        "",
        *requests,
        "",
        "Cold requests (URLs drawn from a pool, each asked once by each server; the first shown):",
        "",
        *(f"- {case}: {len(urls):,} URLs, e.g. `{urls[0]}`" for case, urls in facts["pools"]),
        "",
        "Same answers (API against reference, on this database):",
        "",
        *(f"- {name}: {verdict}" for name, verdict in facts["shape"].items()),
        "",
    ])  # fmt: skip


def run(settings: Settings) -> tuple[list, dict]:
    with tempfile.TemporaryDirectory(prefix="kpdata-bench-") as name, database(settings) as db:
        (url, fresh), folder = db, Path(name)
        env = environment(url, folder)
        if fresh:
            load(env, url, settings)
        facts = {"machine": machine(url)}
        chosen = drive.targets(url)
        say(f"{chosen.rows:,} statements; the filtered list holds {chosen.filtered:,}")
        stands = chosen.stands
        say(f"{stands.positions:,} stands; {stands.actor} took {stands.taken:,} "
            f"({stands.support:,} of support), beside {stands.others:,} other actors")  # fmt: skip
        # The reference's timeout leaves room for a whole export: its figure must not be cut.
        with (
            server("api", env, folder) as api,
            server("reference", env, folder, "bench.reference:application",
                   timeout=settings.export_limit + 60) as ref,
        ):  # fmt: skip
            facts["paths"] = {case: path for case, path in chosen.paths.items()
                              if case != "first" or path != chosen.paths["list"]}  # fmt: skip
            facts["pools"] = [(case, chosen.pools[case]) for case in drive.COLD]
            facts["shape"] = {
                case: (shape.compare_stream if case in ("csv", "ndjson") else shape.compare)(
                    api.base, ref.base, chosen.paths[case]
                )
                for case in facts["paths"]
            }
            for case, urls in facts[
                "pools"
            ]:  # the last few of each pool: its runs start at the first
                verdicts = {shape.compare(api.base, ref.base, url) for url in urls[-3:]}
                facts["shape"][f"{case} cold (3 URLs)"] = "; ".join(sorted(verdicts))
            for case, verdict in facts["shape"].items():
                say(f"same answers? {case}: {verdict}")
            bench = drive.Bench(settings, api, ref, chosen, folder)
            tags = bench.drive()
            facts["workers"] = _workers(api.pid, ref.pid)
            facts["rounds"] = bench.rounds
            exports = bench.exports()
            return collect(bench, exports, tags), facts


def _workers(*masters: int) -> str:
    """Each server's workers, and the request threads the load started in each (gunicorn's
    threaded workers start them as requests wait, up to gunicorn.conf.py's `threads`)."""
    found = [measure.workers(master) for master in masters]
    threads = [max((measure.threads(pid) or 1) - 1 for pid in pids) for pids in found]
    return (f"gunicorn.conf.py, {len(found[0])} and {len(found[1])} workers (API, reference), "
            f"threaded: {threads[0]} and {threads[1]} request threads a worker")  # fmt: skip


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the database is dropped
    started = time.monotonic()
    try:
        settings = Settings.from_environment()
        require_tools()
        say(f"{settings.statements:,} statements; this takes about "
            f"{'9' if settings.statements >= 500_000 else '4'} minutes")  # fmt: skip
        figures, facts = run(settings)
    except BenchError as error:
        print(f"bench: cannot run: {error}", file=sys.stderr)
        return 2
    took = time.monotonic() - started
    facts["machine"] += ", at the end " + ", ".join(f"{value:.1f}" for value in os.getloadavg())
    facts["took"] = f"{int(took // 60)} min {int(took % 60)} s"
    facts["date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print()
    print(report.table(figures))
    print()
    failed = [figure.key for figure in figures if not figure.passed]
    report.record(settings.statements, block(settings, figures, facts))
    say(f"{len(figures) - len(failed)} of {len(figures)} figures pass"
        + (f" (failed: {', '.join(failed)})" if failed else "")
        + f"; {facts['took']}; written to bench/RESULTS.md")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
