"""Sparklines: a tiny inline SVG trend line per indicator, for tables of many indicators.

Kept apart from the Plotly charts so a page of sparklines needs no charting
library; the label (an indicator's title, from configuration) is escaped.
"""

from __future__ import annotations

from html import escape

from indicators.present.charts.palette import PALETTE

LINE = PALETTE[0]


def sparkline_svg(periods: list[str], values: list[float], *, label: str) -> str:
    """A tiny inline SVG trend line for a tile: cheap to draw 20 of, and labelled for
    screen readers with the first and last values."""
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
    return (
        f'<svg role="img" aria-label="{text}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{text}</title>'
        f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{coords}"/>'
        "</svg>"
    )
