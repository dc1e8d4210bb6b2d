"""Line charts of the production statistics, drawn on the server as SVG with matplotlib."""

import io

METRICS = {
    "carats": ("Rough-diamond production by volume", "Carats (millions)", 1e6),
    "value_usd": ("Rough-diamond production by value", "US dollars (billions)", 1e9),
    "usd_per_carat": ("Average value of rough-diamond production", "US dollars per carat", 1),
}


def line_chart(series: dict[str, list[tuple[int, float]]], metric: str, source: str) -> bytes:
    """An SVG line chart: one line per series of (year, value), with title, axes, units,
    legend and the source line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    title, unit, scale = METRICS[metric]
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "kpdata", "font.family": "DejaVu Sans"}
    ):
        figure, axes = pyplot.subplots(figsize=(9, 5.2))
        figure.subplots_adjust(left=0.09, right=0.97, top=0.9, bottom=0.2)
        for label, points in series.items():
            if points:
                # A year without a figure breaks the line rather than bridging the gap.
                known = dict(points)
                years = list(range(min(known), max(known) + 1))
                values = [known[year] / scale if year in known else float("nan") for year in years]
                axes.plot(years, values, marker="o", label=label)
        axes.set_title(title, loc="left", fontsize=14)
        axes.set_xlabel("Year")
        axes.set_ylabel(unit)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        axes.spines[["top", "right"]].set_visible(False)
        if series:
            axes.legend(frameon=False)
        if not any(series.values()):
            axes.text(0.5, 0.5, "No figures match", ha="center", transform=axes.transAxes)
        figure.text(0.01, 0.02, source, fontsize=8, color="#444444", ha="left", va="bottom")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        pyplot.close(figure)
    return buffer.getvalue()
