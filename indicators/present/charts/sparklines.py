"""Sparklines: a tiny inline SVG trend line per indicator, for tables of many indicators.

Kept apart from the Plotly charts so a page of sparklines needs no charting
library; the label (an indicator's title, from configuration) is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from indicators.present.charts.palette import PALETTE

LINE = PALETTE[0]


def sparkline_img(periods: list[str], values: list[float], *, label: str) -> str:
    """A tiny SVG trend line as an image: cheap to draw 20 of, with alt text giving the
    first and last values. An `<img>` of a data URI, because pages insert tables through
    `st.html`, whose sanitiser drops inline SVG but keeps images."""
    points = [(i, v) for i, v in enumerate(values) if v == v]  # drop NaN (suppressed)
    if len(points) < 2:
        return ""
    width, height = 160, 40
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    steps = max(len(values) - 1, 1)
    coords = " ".join(
        f"{2 + i * (width - 4) / steps:.1f},{height - 4 - (v - low) / span * (height - 8):.1f}"
        for i, v in points
    )
    first, last = points[0], points[-1]
    text = escape(
        f"{label}: {periods[first[0]]} {first[1]:,.1f}, {periods[last[0]]} {last[1]:,.1f}",
        quote=True,
    )
    drawing = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><polyline fill="none" stroke="{LINE}" '
        f'stroke-width="2" points="{coords}"/></svg>'
    )
    source = base64.b64encode(drawing.encode("ascii")).decode("ascii")
    return (
        f'<img class="sparkline" alt="{text}" title="{text}" width="{width}" '
        f'height="{height}" src="data:image/svg+xml;base64,{source}">'
    )
