"""What `make bench` runs against both servers, and the figures it makes of the results."""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import psycopg

from bench import measure
from bench.measure import Download, Load
from bench.report import Figure
from bench.servers import Server

EXPAND = "speaker,organisation,participant,meeting,proposal,source"
FILTERS = "participant=ZA&topic=consensus&search=compliance"
DEEP_PAGE = 5000
# Deep pages are asked for across pages 3,000 to 6,999, spread so that their mean offset is
# page 5,000's, and none twice: a cache of one page's rows must not pass for a fast deep page.
DEEP_SPREAD = 2000
STRIDE = 1237  # prime to the 4,000 pages
MEMORY_LIMIT_MB = 150


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


@dataclass
class Targets:
    """The requests, chosen on the loaded database."""

    rows: int  # every statement: what an export holds
    filtered: int
    paths: dict[str, str]
    deep_size: int


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


def targets(url: str) -> Targets:
    with psycopg.connect(url) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM api_statement").fetchone()
        # A statement with every reference set and a topic, from the middle of the table.
        (detail,) = (
            connection.execute(DETAIL).fetchone()
            or connection.execute("SELECT max(id) FROM api_statement").fetchone()
        )
        (filtered,) = connection.execute(FILTERED).fetchone()
    deep_size = min(100, rows // (DEEP_PAGE + DEEP_SPREAD))  # the pages exist at every size
    paths = {
        "list": "/api/v1/statements/?page_size=100",
        "filtered": f"/api/v1/statements/?page_size=100&{FILTERS}",
        "detail": f"/api/v1/statements/{detail}/?expand={EXPAND}",
        "first": f"/api/v1/statements/?page_size={deep_size}",
        "deep": f"/api/v1/statements/?page={DEEP_PAGE}&page_size={deep_size}",
        "csv": "/api/v1/statements/?format=csv",
        "ndjson": "/api/v1/statements/?format=ndjson",
    }
    if deep_size == 100:
        paths["first"] = paths["list"]
    return Targets(rows, filtered, paths, deep_size)


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
    """Both servers driven the same way, one figure at a time."""

    def __init__(self, settings, api: Server, ref: Server, chosen: Targets):
        self.settings, self.api, self.ref, self.targets = settings, api, ref, chosen
        self.loads: dict[tuple[str, str], Load] = {}
        self.list_status: dict[str, int] = {}
        self.page_index: dict[str, int] = {}  # where each server's next deep pages start

    def wrk(self, running: Server, case: str, path: str, headers=(), duration=None) -> Load:
        settings = self.settings
        pages = None
        if case == "deep":  # the spread's next pages, from where this server's last run stopped
            prefix = f"/api/v1/statements/?page_size={self.targets.deep_size}&page="
            start = self.page_index.get(running.name, 0)
            pages = (prefix, DEEP_PAGE - DEEP_SPREAD, 2 * DEEP_SPREAD, start, STRIDE)
        load = measure.wrk(
            running.url(path if pages is None else "/"), duration=duration or settings.duration,
            connections=settings.connections, threads=settings.threads, limit=settings.requests,
            headers=headers, pages=pages,
        )  # fmt: skip
        if pages:
            sent = sum(load.statuses.values()) + settings.connections + settings.threads
            self.page_index[running.name] = pages[3] + sent
        return load

    def cases(self, tags: dict[str, str | None]) -> list[tuple[str, str, str, tuple]]:
        """(case, side, path, headers) of every load run; the revalidation sends the side's ETag."""
        paths = self.targets.paths
        found = []
        for case in ("list", "filtered", "detail", "first", "deep", "revalidate"):
            if case == "first" and paths["first"] == paths["list"]:
                continue
            for side in ("api", "reference"):
                headers = ()
                if case == "revalidate":
                    if not tags[side]:
                        continue
                    headers = (f"If-None-Match: {tags[side]}",)
                found.append((case, side, paths.get(case, paths["list"]), headers))
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
            say(f"load round {round + 1} of {self.settings.rounds}")
            for case, side, path, headers in cases if round % 2 == 0 else _swap(cases):
                load = self.wrk(sides[side], case, path, headers)
                status = 304 if case == "revalidate" else 200
                best = self.loads.get((case, side))
                if best is None or load.rate(status) > best.rate(status):
                    self.loads[(case, side)] = load
                say(f"  {case:10} {side:9} {load.rate(status):8.1f}/s  p99 {load.p99_ms:7.0f} ms"
                    + (f"  ({s})" if (s := load.surprises(status)) else ""))  # fmt: skip
        return tags

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


def _swap(cases: list) -> list:
    """The same runs, the reference first in each pair: neither side always goes first."""
    swapped = []
    for i in range(0, len(cases), 2):
        pair = cases[i : i + 2]
        if len(pair) == 2 and pair[0][0] == pair[1][0]:
            pair = pair[::-1]
        swapped += pair
    return swapped


def _ratio(api: float | None, ref: float | None) -> float | None:
    return api / ref if api is not None and ref else None


def throughput_figure(key: str, name: str, api: Load | None, ref: Load | None) -> Figure:
    a, r = (api.rate() if api else None), (ref.rate() if ref else None)
    ratio = _ratio(a, r)
    note = f"p99 {api.p99_ms:,.0f} ms vs {ref.p99_ms:,.0f} ms" if api and ref else "not run"
    if api and (surprise := api.surprises()):
        note += f"; API answered {surprise}"
    if (api and api.capped) or (ref and ref.capped):
        note += "; a run reached BENCH_REQUESTS: its rate is a lower bound"
    passed = ratio is not None and ratio >= 0.5
    return Figure(key, name, a, r, "req/s", ratio, ">= 0.50", passed, note)


def figures(bench: Bench, exports: dict, tags: dict) -> list[Figure]:
    loads, chosen = bench.loads, bench.targets
    get = loads.get
    found = [
        throughput_figure("1a", "list ?page_size=100", get(("list", "api")),
                          get(("list", "reference"))),
        throughput_figure("1b", f"list, 2 filters and a search ({chosen.filtered:,} rows)",
                          get(("filtered", "api")), get(("filtered", "reference"))),
        throughput_figure("2", "detail, its 6 references expanded", get(("detail", "api")),
                          get(("detail", "reference"))),
    ]  # fmt: skip
    costs = {}
    for side in ("api", "reference"):
        first, deep = get(("first", side)) or get(("list", side)), get(("deep", side))
        costs[side] = first.rate() / deep.rate() if first and deep and deep.rate() else None
    api_cost, ref_cost = costs["api"], costs["reference"]
    low, high = DEEP_PAGE - DEEP_SPREAD, DEEP_PAGE + DEEP_SPREAD - 1
    note = f"cost = 1 / throughput; page_size={chosen.deep_size}, pages {low:,}-{high:,} once each"
    if ref_cost and api_cost:
        note += f"; API/reference {api_cost / ref_cost:.2f}"
    passed = api_cost is not None and api_cost <= 2
    name = f"page {DEEP_PAGE} cost (x page 1)"
    found.append(Figure("3", name, api_cost, ref_cost, "x", api_cost, "<= 2.00", passed, note))
    for letter, format in (("a", "csv"), ("c", "ndjson")):
        api, ref = exports[(format, "api")], exports[(format, "reference")]
        a = api.rows / api.download.seconds if api.download.seconds else 0.0
        r = ref.rows / ref.download.seconds if ref.download.seconds else 0.0
        ratio = _ratio(a, r)
        note = f"{api.download.seconds:.1f} s vs COPY {ref.download.seconds:.1f} s"
        if not api.complete:
            note += f"; API: {api.problem()}, {api.rows:,} of {chosen.rows:,} rows"
        if not ref.complete:
            note += f"; reference: {ref.problem()}"
        passed = api.complete and ref.complete and ratio is not None and ratio >= 0.5
        found.append(Figure(f"4{letter}", f"{format.upper()} export, all statements", a, r,
                            "rows/s", ratio, ">= 0.50", passed, note))  # fmt: skip
        memory = f"serving worker's peak RSS (it started at {api.start_mb:.0f} MB)"
        if not api.complete:
            memory += "; over an incomplete export"
        found.append(Figure(
            f"4{chr(ord(letter) + 1)}", f"{format.upper()} export, peak memory", api.peak_mb,
            ref.peak_mb, "MB", _ratio(api.peak_mb, ref.peak_mb), f"< {MEMORY_LIMIT_MB} MB",
            api.complete and 0 < api.peak_mb < MEMORY_LIMIT_MB, memory,
        ))  # fmt: skip
    rates = {}
    for side in ("api", "reference"):
        full, again = get(("list", side)), get(("revalidate", side))
        rates[side] = again.rate(304) / full.rate() if full and again and full.rate() else None
    note = "304 responses/s over full 200 responses/s of the same list"
    if not tags["api"]:
        note += f"; the API's list (HTTP {bench.list_status['api']}) has no ETag"
    elif (again := get(("revalidate", "api"))) and (surprise := again.surprises(304)):
        note += f"; API answered {surprise}"
    api_rate, ref_rate = rates["api"], rates["reference"]
    passed = api_rate is not None and api_rate >= 2
    name = "If-None-Match revalidation (x full)"
    found.append(Figure("5", name, api_rate, ref_rate, "x", api_rate, ">= 2.00", passed, note))
    return found
