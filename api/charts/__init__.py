"""Charts of the statistics, drawn on the server as small hand-written SVG: what each shows
(`data`), lines over the years (`lines`), bars of shares (`bars`), the shared page (`svg`)."""

from .bars import bar_chart
from .data import FLOWS, METRICS, SHARED, Chart, series, shares
from .lines import line_chart

__all__ = ["FLOWS", "METRICS", "SHARED", "Chart", "bar_chart", "line_chart", "series", "shares"]
