"""The board pack's inequality section for one indicator: the gap in words and a slope chart.

Kept apart from `board_pack` so the pack's layout stays one module's job; the
figures are the load's stored publication (`indicators.publish.inequality`) and the
words come from `indicators.present.inequality_views`, as on the aim pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indicators.config.spec import Indicator, Strategy
from indicators.present import inequality_views
from indicators.report import printed
from indicators.store import publication

BLUE, VERMILION = "#0072B2", "#D55E00"


@dataclass(frozen=True)
class InequalitySection:
    words: str
    image: bytes  # empty when the gap cannot be computed


def slope_png(view: inequality_views.InequalityView, unit: str, title: str) -> bytes:
    """Deciles with their intervals at their deprivation rank, and the fitted line, for print."""
    points = view.points
    fig, ax = printed.subplots(figsize=(7.0, 2.6), dpi=110)
    ax.errorbar(
        points["rank"],
        points["value"],
        yerr=[points["value"] - points["lower_ci"], points["upper_ci"] - points["value"]],
        fmt="o",
        color=BLUE,
        markersize=3,
        elinewidth=1,
        label="Decile (1 = most deprived), 95% interval",
    )
    for _, row in points.iterrows():
        ax.annotate(f"{row['decile']:.0f}", (row["rank"], row["value"]), fontsize=6, xytext=(3, 3),
                    textcoords="offset points")  # fmt: skip
    ax.plot(view.line["rank"], view.line["fitted"], color=VERMILION, label="Fitted line")
    ax.set_xlim(-0.02, 1.05)
    ax.set_xlabel("Relative deprivation rank (0 = most deprived)", fontsize=7)
    ax.set_ylabel(unit, fontsize=8)
    printed.titled(ax, title)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.22), ncols=2, frameon=False)
    return printed.png(fig, ax)


def inequality_section(
    warehouse: Path, strategy: Strategy, indicator_id: str, period: str
) -> InequalitySection | None:
    """The section for a rate or proportion with a deprivation breakdown, else None: the
    stored rows of the load's publication, as the aim page shows them."""
    indicator = strategy.indicator(indicator_id)
    if not inequality_views.shows_inequality(indicator):
        return None
    view = inequality_views.stored_view(
        publication.read(warehouse, "inequality_points", indicator_id=indicator_id, period=period),
        publication.read(
            warehouse,
            "inequality_lines",
            indicator_id=indicator_id,
            period=period,
            order_by=("rank",),
        ),
        publication.read(warehouse, "inequality_gaps", indicator_id=indicator_id),
        indicator,
        strategy,
        period,
    )
    return section_for(view, indicator, period)


def section_for(
    view: inequality_views.InequalityView, indicator: Indicator, period: str
) -> InequalitySection:
    """The gap in words and, where it could be computed, the slope chart."""
    words = inequality_views.inequality_words(view, indicator)
    latest = view.latest
    if latest is None or not np.isfinite(latest["sii"]):
        return InequalitySection(words, b"")
    title = f"{indicator.title} across deprivation, {period}"
    return InequalitySection(words, slope_png(view, indicator.unit, title))
