"""The board pack's JSNA context page: the dashboard's spine chart, theme by theme, on paper.

The same stored spine as the JSNA page (`publication_jsna_spine`, against England,
the spine's own centre line) drawn with matplotlib in the same colours and
marker shapes as `context_charts.spine_chart`, and each row in words under
the chart so the page reads without the picture.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from indicators.config.spec import Strategy
from indicators.present import jsna_views
from indicators.present.charts.context_charts import (
    COMPARISON_COLOURS,
    MIDDLE_COLOUR,
    RANGE_COLOUR,
)
from indicators.present.status_words import COMPARISON_WORDS
from indicators.report import printed
from indicators.statuses import Comparison
from indicators.store import publication

# The city's marker by its side of England, as the dashboard's spine draws it.
SIDE_MARKERS = {1: "^", -1: "v", 0: "o"}
# Comparators other than England, by role: (marker, colour), as on the dashboard.
COMPARATOR_MARKERS = {"region": ("D", "#CC79A7"), "statistical_neighbours": ("s", "#E69F00")}
COMPARATOR = "england"  # the pack compares with England, the spine's centre line


def spine_png(section: pd.DataFrame, *, area_name: str, markers: dict[str, str]) -> bytes:
    """One theme's spine as a PNG: rows top to bottom in the frame's order.

    `markers` maps the roles of the comparators to mark (England excepted) to their names.
    """
    roles = [role for role in markers if role in section.columns]
    at = jsna_views.spine_positions(section, ["worst", "best", "la_p25", "la_p75", "value", *roles])
    rows = len(section)
    fig, ax = printed.subplots(figsize=(7.2, 0.9 + 0.62 * rows), dpi=150)
    y = list(range(rows))[::-1]
    for low, high, colour, height in (
        ("worst", "best", RANGE_COLOUR, 0.5),
        ("la_p25", "la_p75", MIDDLE_COLOUR, 0.5),
    ):
        left = at[[low, high]].min(axis=1)
        ax.barh(y, (at[low] - at[high]).abs(), left=left, height=height, color=colour)
    ax.axvline(0.5, color="#1f2933", linewidth=1.2)
    for role in roles:
        marker, colour = COMPARATOR_MARKERS.get(role, ("s", "#000000"))
        ax.scatter(at[role], y, marker=marker, s=36, color=colour, zorder=3)
    for i, (code, polarity) in enumerate(
        zip(section["comparison"], section["polarity"], strict=True)
    ):
        side = Comparison(code).side(polarity)
        ax.scatter(
            at["value"].iloc[i],
            y[i],
            marker=SIDE_MARKERS[side],
            s=90,
            color=COMPARISON_COLOURS.get(code, "#ffffff"),
            edgecolors="#1f2933",
            linewidths=1,
            zorder=4,
        )
    ax.set_yticks(y, ["\n".join(textwrap.wrap(t, 44)) for t in section["indicator"]], fontsize=7)
    ax.set_xticks([0, 0.5, 1], ["Worst / lowest", "England", "Best / highest"], fontsize=7)
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.6, rows - 0.4)
    ax.spines[["top", "right", "left"]].set_visible(False)
    handles = [
        Patch(color=RANGE_COLOUR, label=f"Worst to best of {int(section['la_count'].max())} LAs"),
        Patch(color=MIDDLE_COLOUR, label="25th to 75th percentile"),
        Line2D([], [], color="#1f2933", label="England"),
        *(
            Line2D(
                [],
                [],
                linestyle="",
                marker=COMPARATOR_MARKERS.get(r, ("s", "#000"))[0],
                color=COMPARATOR_MARKERS.get(r, ("s", "#000"))[1],
                label=markers[r],
            )
            for r in roles
        ),
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markerfacecolor="white",
            markeredgecolor="#1f2933",
            label=f"{area_name}, by comparison with England",
        ),
    ]
    ax.legend(
        handles=handles,
        fontsize=6,
        loc="upper left",
        bbox_to_anchor=(0, -0.08 - 0.3 / rows),
        ncols=2,
        frameon=False,
    )
    return printed.png(fig, ax)


def _number(value: float) -> str:
    return "not published" if pd.isna(value) else f"{value:,.1f}"


def row_words(row: pd.Series, area_name: str) -> str:
    """One spine row in words: the value, England, the range, the comparison."""
    words = COMPARISON_WORDS.get(row["comparison"], "Not compared with")
    return (
        f"{area_name} {_number(row['value'])} ({row['unit']}, {row['period_label']}); England "
        f"{_number(row['england'])}; worst {_number(row['worst'])}, 25th–75th percentile "
        f"{_number(row['la_p25'])}–{_number(row['la_p75'])}, best {_number(row['best'])}. "
        f"{words} England."
    )


def add_context_page(pack, warehouse: Path, strategy: Strategy) -> None:
    """Append the JSNA context page to `pack` (a `board_pack.Pack`): one spine per theme."""
    spine = publication.read(warehouse, "jsna_spine", comparator=COMPARATOR, order_by=("position",))
    if spine.empty:
        return
    markers = {c.role: c.name for c in strategy.comparators if c.role != COMPARATOR}
    pack.add("heading", f"JSNA context: children's services in {strategy.area_name}")
    pack.add(
        "text",
        "Public DfE and OHID statistics, latest year of each series. England is the centre "
        "line; each bar runs from the worst to the best English authority (lowest to highest "
        "where neither is better), darker from the 25th to the 75th percentile; the marker is "
        f"{strategy.area_name}, coloured by its comparison with England (95% intervals).",
    )
    for theme, section in spine.groupby("theme", sort=False):
        pack.add("subheading", jsna_views.THEME_TITLES.get(theme, theme))
        pack.add("image", image=spine_png(section, area_name=strategy.area_name, markers=markers))
        for _, row in section.iterrows():
            pack.add("text", row_words(row, strategy.area_name), lead=f"{row['indicator']}:")
    pack.add("page_break")
