"""What each chart shows, taken from the summaries: the world series, participants' series, trade
by flow, shares of a year; each with the rows of its data table (served as CSV beside it)."""

from dataclasses import dataclass, field
from decimal import Decimal

from .. import summaries

# metric: (what is drawn, axis unit, unit after a value, scale of the axis)
METRICS = {
    "carats": ("by volume", "Carats (millions)", "million carats", Decimal(10**6)),
    "value_usd": ("by value", "US dollars (billions)", "billion US$", Decimal(10**9)),
    "usd_per_carat": ("in US dollars per carat", "US dollars per carat", "US$/carat", Decimal(1)),
}
SHARED = ("carats", "value_usd")  # shares of a total: a price per carat has none
FLOWS = {"export": "exports", "import": "imports"}
TOP = 8  # participants drawn on their own in a chart of shares; the rest are "other"


@dataclass
class Chart:
    title: str
    description: str
    unit: str
    unit_short: str
    scale: float
    series: dict = field(default_factory=dict)
    bars: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _chart(title: str, metric: str) -> Chart:
    _, unit, unit_short, scale = METRICS[metric]
    return Chart(title, "", unit, unit_short, float(scale))


def row(series, kind, participant=None, **values) -> dict:
    """A row of a chart's data table."""
    return {
        "series": series,
        "kind": kind,
        "scope": "world" if kind in ("world_total", "uncovered") else "participant",
        "participant": participant.code if participant else None,
        "participant_name": participant.name if participant else None,
        "iso3": participant.iso3 if participant else None,
        "m49": participant.m49 if participant else None,
        "flow": None,
        "year": None,
        "metric": None,
        "value": None,
        "share": None,
        "basis": None,
    } | values


def figure(record, metric: str):
    """A record's figure; its price per carat only when it has both figures."""
    if metric != "usd_per_carat":
        return getattr(record, metric)
    if record.carats is None or record.value_usd is None:
        return None
    return summaries.ratio(record.value_usd, record.carats)


def series(
    subject, listed, world, metric, groups=(), partial=False, totals=True, participants=False
) -> Chart:
    """The world series (`totals`, per flow for trade) and with `participants` each listed
    participant's, a point per year; a year with no published world total is a gap unless
    `partial` asks for the listed sum, drawn as a series of its own."""
    chart = _chart(f"Rough-diamond {subject} {METRICS[metric][0]}", metric)
    left_out, lacking = [], []
    for summary in summaries.by_year(listed, world, ("year", *groups), partial) if totals else []:
        flow, year, value = summary.get("flow"), summary["year"], summary[metric]
        published = summary["basis"] == "published_total"
        if published:
            name = _flow_name(flow, "World", "(published total)")
        else:
            name = _flow_name(
                flow, "Sum of listed" if flow else "Sum of listed participants", "(no world total)"
            )
        if value is None:
            (lacking if published else left_out).append(_when(year, flow))
            continue
        chart.series.setdefault(name, []).append((year, value))
        chart.rows.append(
            row(
                name,
                "world_total" if published else "sum_of_listed",
                flow=flow,
                year=year,
                metric=metric,
                value=value,
                basis=summary["basis"],
            )
        )
    if participants:
        for record in listed.select_related("participant").order_by(
            "participant__code", *groups, "year"
        ):
            flow = getattr(record, "flow", None)
            if (value := figure(record, metric)) is None:
                continue
            name = _flow_name(flow, record.participant.name)
            chart.series.setdefault(name, []).append((record.year, value))
            chart.rows.append(
                row(
                    name,
                    "participant",
                    record.participant,
                    flow=flow,
                    year=record.year,
                    metric=metric,
                    value=value,
                )
            )
    if left_out:
        chart.notes.append(
            f"No published world total for {', '.join(left_out)}: left out, not replaced by the "
            "sum of the few participants listed (?partial=include draws that sum instead)."
        )
    if lacking:
        chart.notes.append(
            f"The published world total gives no such figure for {', '.join(lacking)}."
        )
    ranges = "; ".join(
        f"{name}: {len(points)} years, {min(p[0] for p in points)} to {max(p[0] for p in points)}"
        for name, points in chart.series.items()
    )
    chart.description = (
        f"Line chart: {chart.title}, by year, in {chart.unit}. "
        f"{ranges or 'No figures match'}. {' '.join(chart.notes)}"
    ).strip()
    return chart


def shares(subject, listed, world, metric, year: int, flow=None) -> Chart:
    """Each listed participant's share of the published world total of `year` (and `flow`):
    the largest on their own, the others together, and the part no listed figure covers."""
    title = f"Shares of world rough-diamond {FLOWS.get(flow, subject)} {METRICS[metric][0]}, {year}"
    chart = _chart(title, metric)
    total = next((getattr(w, metric) for w in world if w.year == year), None)
    if not total:
        chart.notes.append(f"No published world total of {metric} for {year}: no shares drawn.")
        chart.description = f"Bar chart: {title}. " + chart.notes[0]
        return chart
    chart.rows.append(
        row(
            "World (published total)",
            "world_total",
            flow=flow,
            year=year,
            metric=metric,
            value=total,
            share=Decimal(1),
        )
    )
    records = [r for r in listed.select_related("participant") if getattr(r, metric) is not None]
    records.sort(key=lambda r: (-getattr(r, metric), r.participant.code))
    for record in records[:TOP]:
        value = getattr(record, metric)
        bar = {
            "label": record.participant.name,
            "kind": "participant",
            "value": value,
            "share": summaries.ratio(value, total, "0.0001"),
        }
        chart.bars.append(bar)
        chart.rows.append(
            row(
                bar["label"],
                "participant",
                record.participant,
                flow=flow,
                year=year,
                metric=metric,
                value=value,
                share=bar["share"],
            )
        )
    if rest := records[TOP:]:
        value = sum(getattr(r, metric) for r in rest)
        _extra(
            chart,
            f"Other listed participants ({len(rest)})",
            "other",
            value,
            total,
            flow,
            year,
            metric,
        )
    listed_sum = sum((getattr(r, metric) for r in records), Decimal(0))
    if listed_sum < total:
        _extra(
            chart,
            "Not covered by listed figures",
            "uncovered",
            total - listed_sum,
            total,
            flow,
            year,
            metric,
        )
    elif listed_sum > total:
        chart.notes.append("The listed figures add up to more than the published world total.")
    parts = ", ".join(f"{bar['label']} {float(bar['share']) * 100:.1f}%" for bar in chart.bars)
    chart.description = f"Bar chart: {title}, as shares of the published world total: {parts}."
    return chart


def _extra(chart, label, kind, value, total, flow, year, metric) -> None:
    bar = {
        "label": label,
        "kind": kind,
        "value": value,
        "share": summaries.ratio(value, total, "0.0001"),
    }
    chart.bars.append(bar)
    chart.rows.append(
        row(label, kind, flow=flow, year=year, metric=metric, value=value, share=bar["share"])
    )


def _flow_name(flow, who: str, after: str = "") -> str:
    return " ".join(part for part in (who, FLOWS.get(flow, ""), after) if part)


def _when(year: int, flow) -> str:
    return f"{year} ({FLOWS[flow]})" if flow else str(year)
