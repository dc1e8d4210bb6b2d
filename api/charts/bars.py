"""A bar chart of shares of one year's world total: a bar per participant, then the other listed
participants together, then the part no listed figure covers, each drawn as what it is."""

from xml.sax.saxutils import escape

from . import svg

ROW = 36
FILLS = {"participant": svg.COLOURS[0], "other": "#7f8a96"}


def bar_chart(chart, foot: list) -> bytes:
    """`chart.bars`: [{label, kind, value, share}], shares of the world total (0 to 1)."""
    top = svg.below_heading(chart.title) + 14
    body = [svg.text(16, top, "Share of the published world total", 14, svg.MUTED)]
    if not chart.bars:
        body.append(svg.text(svg.WIDTH / 2, top + 60, "No figures match", 16, anchor="middle"))
        return svg.document(chart.title, chart.description, body, top + 110, foot)
    label_width, share_width = 190, 150
    left, right = 16 + label_width, svg.WIDTH - svg.RIGHT - share_width
    widest = max(float(bar["share"]) for bar in chart.bars) or 1.0
    for index, bar in enumerate(chart.bars):
        y = top + 16 + index * ROW
        width = (right - left) * float(bar["share"]) / widest
        label = bar["label"] if len(bar["label"]) <= 24 else bar["label"][:23] + "…"
        body.append(svg.text(left - 8, y + 18, label, 15, anchor="end"))
        shown = (
            f"{bar['label']}: {svg.number(float(bar['share']) * 100)}% "
            f"({svg.number(float(bar['value']) / chart.scale)} {chart.unit_short})"
        )
        if bar["kind"] == "uncovered":
            shape = (f'fill="#ffffff" stroke="{svg.INK}" stroke-width="1.5" '
                     'stroke-dasharray="5 3"')  # fmt: skip
        else:
            shape = f'fill="{FILLS[bar["kind"]]}"'
        body.append(
            f'<rect x="{left}" y="{y + 2}" width="{max(width, 1):.1f}" height="{ROW - 10}" '
            f'{shape} data-label="{escape(bar["label"])}" data-kind="{bar["kind"]}" '
            f'data-share="{svg.plain(bar["share"])}" data-value="{svg.plain(bar["value"])}">'
            f"<title>{escape(shown)}</title></rect>"
        )
        body.append(svg.text(left + width + 8, y + 17, f"{svg.number(float(bar['share']) * 100)}%",
                             14))  # fmt: skip
    height = top + 16 + len(chart.bars) * ROW + 10
    return svg.document(chart.title, chart.description, body, height, foot)
