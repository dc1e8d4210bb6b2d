"""What `make bench` runs against both servers; bench/figures.py makes figures of it."""

import os
import statistics
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench import measure, pools
from bench.measure import BenchError, Download, Load
from bench.servers import Server

EXPAND = "speaker,organisation,participant,meeting,proposal,source"
FILTERS = "participant=ZA&topic=consensus&search=compliance"
DEEP_PAGE = 5000
# Deep pages are asked for across pages 3,000 to 6,999, spread so that their mean offset is
# page 5,000's, and none twice: a cache of one page's rows must not pass for a fast deep page.
DEEP_SPREAD = 2000
STRIDE = 1237  # prime to the 4,000 pages
MEMORY_LIMIT_MB = 150
# The stands' figures, each the same URL throughout a run as for the statements' lists.
STANDS = ("positions", "pos-filtered", "agreement", "record")
# The figures also measured cold: URLs drawn from a pool, each asked once (bench/pools.py).
COLD = ("list", "filtered", "detail", *STANDS)
SIDES = ("api", "reference")


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


@dataclass
class Stands:
    """The participant with the most stands: its record, its agreement, its stands of support."""

    positions: int  # every stand
    actor: str  # its code
    taken: int  # its stands
    support: int  # of which support
    others: int  # the actors that stood on a proposal it stood on: its agreement's pairs


@dataclass
class Targets:
    """The requests, chosen on the loaded database."""

    rows: int  # every statement: what an export holds
    filtered: int
    paths: dict[str, str]  # the warm figures' URLs, each the same throughout a run
    deep_size: int
    stands: Stands
    pools: dict[str, list[str]]  # the cold figures' URLs, each asked once (bench/pools.py)


DETAIL = """SELECT id FROM api_statement s
    WHERE speaker_id IS NOT NULL AND organisation_id IS NOT NULL AND participant_id IS NOT NULL
      AND meeting_id IS NOT NULL AND proposal_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM api_statement_topics t WHERE t.statement_id = s.id)
      AND id >= (SELECT (min(id) + max(id)) / 2 FROM api_statement)
    ORDER BY id LIMIT 1"""
FILTERED = """SELECT count(*) FROM api_statement s JOIN api_participant p ON p.id = s.participant_id
    WHERE p.code = 'ZA'
      AND EXISTS (SELECT 1 FROM api_statement_topics st JOIN api_topic t ON t.id = st.topic_id
                  WHERE st.statement_id = s.id AND t.slug = 'consensus')
      AND to_tsvector('english', coalesce(s.text, ''))
          @@ websearch_to_tsquery('english', 'compliance')"""


ACTOR = """SELECT p.id, p.code, count(*), count(*) FILTER (WHERE x.position = 'support')
    FROM api_position x JOIN api_participant p ON p.id = x.participant_id
    GROUP BY p.id, p.code ORDER BY count(*) DESC, p.code LIMIT 1"""
OTHERS = """SELECT count(DISTINCT (y.participant_id, y.organisation_id)) FROM api_position x
    JOIN api_position y ON y.proposal_id = x.proposal_id AND y.id <> x.id
    WHERE x.participant_id = %s"""


def stands(connection) -> Stands:
    (positions,) = connection.execute("SELECT count(*) FROM api_position").fetchone()
    found = connection.execute(ACTOR).fetchone()
    if found is None:
        raise BenchError("The database holds no participant's stand to benchmark.")
    pk, actor, taken, support = found
    (others,) = connection.execute(OTHERS, [pk]).fetchone()
    return Stands(positions, actor, taken, support, others)


def targets(url: str) -> Targets:
    with psycopg.connect(url) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM api_statement").fetchone()
        # A statement with every reference set and a topic, from the middle of the table.
        (detail,) = (
            connection.execute(DETAIL).fetchone()
            or connection.execute("SELECT max(id) FROM api_statement").fetchone()
        )
        (filtered,) = connection.execute(FILTERED).fetchone()
        chosen = stands(connection)
        deep_size = min(100, rows // (DEEP_PAGE + DEEP_SPREAD))  # the pages exist at every size
        # The deep pages, spread so that any run of them covers the whole range.
        first, count = DEEP_PAGE - DEEP_SPREAD, 2 * DEEP_SPREAD
        deep = [first + (n * STRIDE) % count for n in range(count)]
        prefix = f"/api/v1/statements/?page_size={deep_size}&page="
        found = pools.build(connection, EXPAND, (prefix, deep))
    paths = {
        "list": "/api/v1/statements/?page_size=100",
        "filtered": f"/api/v1/statements/?page_size=100&{FILTERS}",
        "detail": f"/api/v1/statements/{detail}/?expand={EXPAND}",
        "first": f"/api/v1/statements/?page_size={deep_size}",
        "deep": f"/api/v1/statements/?page={DEEP_PAGE}&page_size={deep_size}",
        "csv": "/api/v1/statements/?format=csv",
        "ndjson": "/api/v1/statements/?format=ndjson",
        "positions": "/api/v1/positions/?page_size=100",
        "pos-filtered": f"/api/v1/positions/?participant={chosen.actor}&position=support"
        "&page_size=100",
        "agreement": f"/api/v1/agreement/?actors={chosen.actor}",
        "record": f"/api/v1/participants/{chosen.actor}/record/",
    }
    if deep_size == 100:
        paths["first"] = paths["list"]
    return Targets(rows, filtered, paths, deep_size, chosen, found)


def etag(running: Server, path: str) -> tuple[str | None, int]:
    """The ETag of a GET of `path`, and the status it came with."""
    try:
        with urllib.request.urlopen(running.url(path), timeout=60) as answer:
            return answer.headers.get("ETag"), answer.status
    except urllib.error.HTTPError as error:
        return None, error.code
    except OSError:
        return None, 0


@dataclass
class Export:
    download: Download
    rows: int  # rows received (all of them when complete)
    complete: bool
    peak_mb: float
    start_mb: float
    worker_died: bool
    timeouts: int  # gunicorn's WORKER TIMEOUT lines meanwhile

    def problem(self) -> str:
        said = []
        if self.download.status != 200:
            said.append(f"HTTP {self.download.status}")
        if self.timeouts:
            said.append("the worker was killed by gunicorn's timeout")
        elif self.worker_died:
            said.append("the serving worker died")
        if self.download.error:
            said.append(self.download.error.removeprefix("curl: "))
        if not self.complete and not said:
            said.append("incomplete")
        return "; ".join(said)


class Bench:
    """Both servers driven the same way, one figure at a time, rounds paired."""

    def __init__(self, settings, api: Server, ref: Server, chosen: Targets, folder: Path):
        self.settings, self.api, self.ref, self.targets = settings, api, ref, chosen
        self.loads: dict[tuple[str, str], list[Load]] = {}  # every round's, in order
        self.list_status: dict[str, int] = {}
        self.rounds: list[str] = []  # each round's load average and surprises, as said
        self.files = {}
        for case, urls in chosen.pools.items():
            self.files[case] = folder / f"pool-{case}.txt"
            self.files[case].write_text("\n".join(urls) + "\n")
        self.sent: dict[tuple[str, str], int] = {}  # (server, pool): where its next run starts

    def wrk(self, running: Server, case: str, path: str, headers=(), duration=None) -> Load:
        settings, pool = self.settings, _pool(case)
        start = self.sent.get((running.name, pool), 0)
        load = measure.wrk(
            running.url(path), duration=duration or settings.duration,
            connections=settings.connections, threads=settings.threads, limit=settings.requests,
            headers=headers, pool=(self.files[pool], start) if pool else None,
        )  # fmt: skip
        if pool:  # the next run goes on where this one stopped: no URL twice on one server
            sent = sum(load.statuses.values()) + sum(load.errors.values())
            self.sent[(running.name, pool)] = start + sent + settings.connections
        return load

    def exhausted(self, case: str) -> bool:
        """Whether a server was sent more of the pool than it holds (some URLs twice)."""
        pool = _pool(case)
        size = len(self.targets.pools[pool]) if pool else 0
        return bool(pool) and any(self.sent.get((side, pool), 0) > size for side in SIDES)

    def cases(self, tags: dict[str, str | None]) -> list[tuple[str, str, str, tuple]]:
        """(case, side, path, headers) of every load run; the revalidation sends the side's ETag."""
        paths = self.targets.paths
        found = []
        warm = ("list", "filtered", "detail", "first", "deep", "revalidate", *STANDS)
        for case in (*warm, *(f"{case} cold" for case in COLD)):
            if case == "first" and paths["first"] == paths["list"]:
                continue
            for side in SIDES:
                headers = ()
                if case == "revalidate":
                    if not tags[side]:
                        continue
                    headers = (f"If-None-Match: {tags[side]}",)
                path = paths["list"] if case == "revalidate" else paths.get(case, "/")
                found.append((case, side, path, headers))  # a pool's case: "/", the server
        return found

    def drive(self) -> dict[str, str | None]:
        sides = {"api": self.api, "reference": self.ref}
        found = {side: etag(running, self.targets.paths["list"]) for side, running in sides.items()}
        tags = {side: tag for side, (tag, _) in found.items()}
        self.list_status = {side: status for side, (_, status) in found.items()}
        cases = self.cases(tags)
        say("warming up both servers")
        for case, side, path, headers in cases:
            self.wrk(sides[side], case, path, headers, duration=2)
        for round in range(self.settings.rounds):
            load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            say(f"load round {round + 1} of {self.settings.rounds} (load average {load_average})")
            surprises = []
            for case, side, path, headers in cases if round % 2 == 0 else _swap(cases):
                load = self.wrk(sides[side], case, path, headers)
                status = 304 if case == "revalidate" else 200
                self.loads.setdefault((case, side), []).append(load)
                if surprise := load.surprises(status):
                    surprises.append(f"{case} ({side}): {surprise}")
                say(f"  {case:17} {side:9} {load.rate(status):8.1f}/s  p99 {load.p99_ms:7.0f} ms"
                    + (f"  ({surprise})" if surprise else ""))  # fmt: skip
            said = f"round {round + 1}: load average {load_average} at its start"
            self.rounds.append(said + (f"; surprises: {'; '.join(surprises)}" if surprises else ""))
        return tags

    def median(
        self, case: str, status: int = 200
    ) -> tuple[float | None, float | None, float | None]:
        """(API rate, reference rate, ratio): medians over the rounds, each round's ratio taken
        from its own pair of runs."""
        api, ref = self.loads.get((case, "api"), []), self.loads.get((case, "reference"), [])
        if not api or not ref:
            return None, None, None
        ratios = [
            a.rate(status) / r.rate(status)
            for a, r in zip(api, ref, strict=False)
            if r.rate(status)
        ]
        median = statistics.median
        return (median(a.rate(status) for a in api), median(r.rate(status) for r in ref),
                median(ratios) if ratios else None)  # fmt: skip

    def export(self, running: Server, format: str, expected_lines: int | None) -> Export:
        before = running.log_count("WORKER TIMEOUT")
        with measure.MemoryWatch(running.pid) as watch:
            got = measure.download(running.url(self.targets.paths[format]),
                                   self.settings.export_limit)  # fmt: skip
        _, peak, start, died = watch.serving()
        header = 1 if format == "csv" else 0
        # A text with a line break makes two lines of one CSV row: the reference's count, taken
        # first, is the one to match; the reference itself must have a line a row at least.
        enough = (
            got.lines == expected_lines
            if expected_lines
            else got.lines >= self.targets.rows + header
        )
        complete = got.status == 200 and not got.error and got.ends_with_newline and enough
        rows = self.targets.rows if complete else max(got.lines - header, 0)
        timeouts = running.log_count("WORKER TIMEOUT") - before
        result = Export(got, rows, complete, peak / 1024, start / 1024, died, timeouts)
        say(f"  {format:6} {running.name:9} {got.seconds:6.1f} s {got.size / 1e6:7.1f} MB "
            f"{rows / got.seconds if got.seconds else 0:9,.0f} rows/s  peak {peak / 1024:5.0f} MB"
            + (f"  ({p})" if (p := result.problem()) else ""))  # fmt: skip
        time.sleep(1)  # a killed worker's successor boots
        return result

    def exports(self) -> dict[tuple[str, str], Export]:
        found = {}
        for format in ("csv", "ndjson"):
            say(f"{format} export of all {self.targets.rows:,} statements")
            reference = self.export(self.ref, format, None)
            found[(format, "reference")] = reference
            lines = reference.download.lines if reference.complete else None
            found[(format, "api")] = self.export(self.api, format, lines)
        return found


def _pool(case: str) -> str | None:
    """The pool a case draws its URLs from: a cold case's, or the deep pages'."""
    if case == "deep":
        return "deep"
    return case.removesuffix(" cold") if case.endswith(" cold") else None


def _swap(cases: list) -> list:
    """The same runs, the reference first in each pair: neither side always goes first. A case
    run on one side alone (a revalidation without an ETag) stays where it is."""
    swapped, i = [], 0
    while i < len(cases):
        if i + 1 < len(cases) and cases[i][0] == cases[i + 1][0]:
            swapped += [cases[i + 1], cases[i]]
            i += 2
        else:
            swapped.append(cases[i])
            i += 1
    return swapped
