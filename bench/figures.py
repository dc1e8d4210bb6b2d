"""The figures of `make bench`: each load and download of both servers as a ratio and verdict."""

import statistics

from bench.drive import DEEP_PAGE, DEEP_SPREAD, MEMORY_LIMIT_MB, Bench
from bench.report import Figure


def _ratio(api: float | None, ref: float | None) -> float | None:
    return api / ref if api is not None and ref else None


def throughput_figure(bench: Bench, key: str, name: str, case: str) -> Figure:
    """A read's figure: cold (each URL once) against the target, warm (one URL repeated) in the
    note; medians over the rounds, each round's ratio from its own pair of runs."""
    api, ref, ratio = bench.median(f"{case} cold")
    warm_api, warm_ref, warm = bench.median(case)
    loads = bench.loads.get((f"{case} cold", "api"), [])
    references = bench.loads.get((f"{case} cold", "reference"), [])
    if ratio is None:
        return Figure(key, name, api, ref, "req/s", None, ">= 0.50", False, "not run")
    note = (f"cold p99 {statistics.median(x.p99_ms for x in loads):,.0f} ms vs "
            f"{statistics.median(x.p99_ms for x in references):,.0f} ms; warm (the same URL "
            f"repeated) {_number(warm_api)} vs {_number(warm_ref)} req/s, ratio "
            f"{_number(warm, 2)}")  # fmt: skip
    if surprise := "; ".join(s for load in loads if (s := load.surprises())):
        note += f"; API answered {surprise}"
    if any(load.capped for load in (*loads, *references)):
        note += "; a run reached BENCH_REQUESTS: its rate is a lower bound"
    if bench.exhausted(f"{case} cold"):
        note += "; the pool ran out: some URLs were asked twice"
    return Figure(key, name, api, ref, "req/s", ratio, ">= 0.50", ratio >= 0.5, note)


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def collect(bench: Bench, exports: dict, tags: dict) -> list[Figure]:
    chosen = bench.targets
    found = [
        throughput_figure(bench, "1a", "list by participant x topic, 100 or 50 a page", "list"),
        throughput_figure(bench, "1b", "list by participant x topic x search word", "filtered"),
        throughput_figure(bench, "2", "detail by random id, its 6 references expanded",
                          "detail"),
    ]  # fmt: skip
    first = "list" if chosen.paths["first"] == chosen.paths["list"] else "first"
    (api_first, ref_first, _), (api_deep, ref_deep, _) = bench.median(first), bench.median("deep")
    api_cost = api_first / api_deep if api_first and api_deep else None
    ref_cost = ref_first / ref_deep if ref_first and ref_deep else None
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
    (api_full, ref_full, _), (api_304, ref_304, _) = (
        bench.median("list"),
        bench.median("revalidate", 304),
    )
    api_rate = api_304 / api_full if api_304 is not None and api_full else None
    ref_rate = ref_304 / ref_full if ref_304 is not None and ref_full else None
    note = "304 responses/s over full 200 responses/s of the same list (warm: one URL)"
    if not tags["api"]:
        note += f"; the API's list (HTTP {bench.list_status['api']}) has no ETag"
    elif surprise := "; ".join(
        s for load in bench.loads.get(("revalidate", "api"), []) if (s := load.surprises(304))
    ):
        note += f"; API answered {surprise} where 304 was expected"
    passed = api_rate is not None and api_rate >= 2
    name = "If-None-Match revalidation (x full)"
    found.append(Figure("5", name, api_rate, ref_rate, "x", api_rate, ">= 2.00", passed, note))
    return found + stand_figures(bench)


def stand_figures(bench: Bench) -> list[Figure]:
    """6a-6d: the positions list, one participant's stands of support, its agreement with every
    other actor, and its record, each as a list's throughput against the reference's."""
    names = {
        "positions": ("6a", "positions by participant or topic, and a year"),
        "pos-filtered": ("6b", "positions by participant x position x topic"),
        "agreement": ("6c", "agreement of two participants, or of one on a topic"),
        "record": ("6d", "record of a participant on a topic, or from a year"),
    }
    return [throughput_figure(bench, key, name, case) for case, (key, name) in names.items()]
