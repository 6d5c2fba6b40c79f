"""An indicator's trend for print: value, 95% band, and the baseline and target lines named.

On paper a reader cannot hover, and a legend entry reached by matching dash
patterns is easily misread, so the baseline and target lines carry their names
and values at their right-hand end, just outside the plotting area. The legend
(value and interval only) sits below the axes, clear of the data.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from indicators.config.spec import Indicator
from indicators.report import printed

BLUE, GREY, GREEN = "#0072B2", "#4a5560", "#009E73"
# Labels nearer than this share of the y range are pushed apart so both stay legible.
CLOSE = 0.08


def short_number(value: float, unit: str) -> str:
    """A line's value as its label says it: the unit only when it is `%` (the axis names it).

    >>> short_number(505.34, "per 10,000 children"), short_number(61.25, "%")
    ('505', '61.3%')
    """
    digits = 0 if abs(value) >= 100 else 1
    return f"{value:,.{digits}f}" + ("%" if unit == "%" else "")


def trend_figure(
    series: pd.DataFrame,
    indicator: Indicator,
    baseline: float | None,
    title: str,
    baseline_period: str = "",
) -> Figure:
    """The chart as a matplotlib figure (`chart_png` prints it); tests read its texts.

    `baseline_period` names the baseline in its label (e.g. `2019/20`).
    """
    fig, ax = printed.subplots(figsize=(7.2, 2.35), dpi=110)
    x = range(len(series))
    ax.fill_between(x, series["lower_ci"], series["upper_ci"], color=BLUE, alpha=0.15,
                    linewidth=0, label="95% confidence interval")  # fmt: skip
    ax.plot(x, series["value"], color=BLUE, marker="o", markersize=3, label="Value")
    lines = []
    if baseline is not None and baseline == baseline:
        ax.axhline(baseline, color=GREY, linestyle="--", linewidth=1)
        named = f"Baseline {baseline_period}".strip()
        lines.append((baseline, f"{named}: {short_number(baseline, indicator.unit)}", GREY))
    if indicator.target_value is not None:
        target = indicator.target_value
        ax.axhline(target, color=GREEN, linestyle="-.", linewidth=1)
        named = f"Target {indicator.target_period or ''}".strip()
        lines.append((target, f"{named}: {short_number(target, indicator.unit)}", GREEN))
    ax.set_xlim(-0.4, len(series) - 0.6)
    _label_lines(ax, lines)
    ax.set_xticks(list(x), series["period"].str.replace(" ", "\n"), fontsize=7)
    ax.set_ylabel(indicator.unit, fontsize=8)
    printed.titled(ax, title)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.3), ncols=2, frameon=False)
    return fig


def _label_lines(ax, lines: list[tuple[float, str, str]]) -> None:
    """Name each horizontal line at its right end, outside the axes, in the line's colour."""
    low, high = ax.get_ylim()
    span = (high - low) or 1.0
    placed = sorted(lines)
    for i, (y, words, colour) in enumerate(placed):
        shift = 0
        if len(placed) == 2 and abs(placed[1][0] - placed[0][0]) < CLOSE * span:
            shift = -4 if i == 0 else 4  # the lower label down, the upper one up
        ax.annotate(words, xy=(1, y), xycoords=("axes fraction", "data"), xytext=(3, shift),
                    textcoords="offset points", va="center", ha="left", fontsize=7,
                    color=colour, annotation_clip=False)  # fmt: skip


def chart_png(
    series: pd.DataFrame,
    indicator: Indicator,
    baseline: float | None,
    title: str,
    baseline_period: str = "",
) -> bytes:
    """The trend chart as PNG bytes for the pack."""
    fig = trend_figure(series, indicator, baseline, title, baseline_period)
    return printed.png(fig, fig.axes[0])
