"""The figures of `make bench`: each load and download of both servers as a ratio and verdict."""

from bench.drive import DEEP_PAGE, DEEP_SPREAD, MEMORY_LIMIT_MB, Bench
from bench.measure import Load
from bench.report import Figure


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


def collect(bench: Bench, exports: dict, tags: dict) -> list[Figure]:
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
    return found + stand_figures(bench)


def stand_figures(bench: Bench) -> list[Figure]:
    """6a-6d: the positions list, one participant's stands of support, its agreement with every
    other actor, and its record, each as a list's throughput against the reference's."""
    chosen, get = bench.targets.stands, bench.loads.get
    names = {
        "positions": ("6a", f"positions ?page_size=100 (of {chosen.positions:,})"),
        "pos-filtered": ("6b", f"positions of {chosen.actor}, position=support "
                               f"({chosen.support:,} rows)"),
        "agreement": ("6c", f"agreement of {chosen.actor} with every other actor "
                            f"({chosen.others:,} pairs)"),
        "record": ("6d", f"record of {chosen.actor} ({chosen.taken:,} stands)"),
    }  # fmt: skip
    return [
        throughput_figure(key, name, get((case, "api")), get((case, "reference")))
        for case, (key, name) in names.items()
    ]
