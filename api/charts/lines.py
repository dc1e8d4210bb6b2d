"""A line chart of yearly series, broken where a year has no figure rather than bridged."""

from xml.sax.saxutils import escape

from . import svg

HEIGHT = 400


def line_chart(chart, foot: list) -> bytes:
    """`chart.series`: {label: [(year, value)]}, values in the chart's unit before scaling."""
    series = {label: points for label, points in chart.series.items() if points}
    head = svg.below_heading(chart.title)
    legend, legend_height = _legend(list(series), top=head)
    top, bottom = head + legend_height + 10, HEIGHT - 48
    left, right = svg.LEFT, svg.WIDTH - svg.RIGHT
    body = [*legend]
    values = [float(value) / chart.scale for points in series.values() for _, value in points]
    if not values:
        body.append(svg.text(svg.WIDTH / 2, (top + bottom) / 2, "No figures match", 16,
                             anchor="middle"))  # fmt: skip
        return svg.document(chart.title, chart.description, body, HEIGHT, foot)
    years = [year for points in series.values() for year, _ in points]
    first, last = min(years), max(years)
    span = max(last - first, 1)
    marks = svg.ticks(max(values))

    def x(year: int) -> float:
        return left + (year - first) * (right - left) / span if last > first else (left + right) / 2

    def y(value: float) -> float:
        return bottom - value * (bottom - top) / marks[-1]

    for mark in marks:
        body.append(f'<line x1="{left}" x2="{right}" y1="{y(mark):.1f}" y2="{y(mark):.1f}" '
                    f'stroke="{svg.GRID}" stroke-width="1"/>')  # fmt: skip
        body.append(svg.text(left - 8, y(mark) + 5, svg.number(mark), 14, svg.MUTED, "end"))
    body.append(svg.text(16, top - 10, chart.unit, 14, svg.MUTED))
    every = max(1, round(span / 6))
    for year in range(first, last + 1):
        if (year - first) % every == 0 or year == last:
            body.append(svg.text(x(year), bottom + 20, str(year), 14, svg.MUTED, "middle"))
    for index, (label, points) in enumerate(series.items()):
        colour = svg.COLOURS[index % len(svg.COLOURS)]
        body.append(f'<g data-series="{escape(label)}" fill="{colour}" stroke="{colour}">')
        for run in _runs(sorted(points)):
            path = " ".join(f"{x(year):.1f},{y(float(value) / chart.scale):.1f}"
                            for year, value in run)  # fmt: skip
            if len(run) > 1:
                body.append(f'<polyline points="{path}" fill="none" stroke-width="2.5"/>')
        for year, value in points:
            shown = f"{label}, {year}: {svg.number(float(value) / chart.scale)} {chart.unit_short}"
            body.append(
                f'<circle cx="{x(year):.1f}" cy="{y(float(value) / chart.scale):.1f}" r="4" '
                f'data-year="{year}" data-value="{svg.plain(value)}"><title>{escape(shown)}'
                "</title></circle>"
            )
        body.append("</g>")
    return svg.document(chart.title, chart.description, body, HEIGHT, foot)


def _runs(points):
    """Runs of consecutive years: a line joins a run, never a gap between runs."""
    run = []
    for year, value in points:
        if run and year != run[-1][0] + 1:
            yield run
            run = []
        run.append((year, value))
    if run:
        yield run


def _legend(labels: list[str], top: int) -> tuple[list[str], int]:
    """A swatch and a label per series, as many on a row as fit."""
    parts, x, row = [], 16, 0
    for index, label in enumerate(labels):
        width = 26 + 8.5 * len(label)
        if x + width > svg.WIDTH - svg.RIGHT and x > 16:
            x, row = 16, row + 1
        colour = svg.COLOURS[index % len(svg.COLOURS)]
        y = top + 22 * row
        parts.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{colour}"/>')
        parts.append(svg.text(x + 20, y, label, 15))
        x += width + 12
    return parts, (22 * (row + 1) if labels else 0)
