"""The pack's summary page: the landing page's strategy table on one sheet of paper.

The same rows, columns and words as the dashboard's one-screen table
(`indicators.present.strategy_table`), read from the same stored tiles: one row
per indicator grouped by aim (with how many of its targets are on course), the
latest value, the change since baseline, progress to target, the trend, and
for monthly measures the NHS "Making Data Count" variation and assurance icons
with their words. On paper there is no tooltip, so trial limits are said in
the cell.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.config.spec import Strategy
from indicators.present.charts.mdc_icons import assurance_mark, variation_mark
from indicators.present.status_words import (
    ASSURANCE_SHORT,
    PROGRESS_SHORT,
    TREND_SHORT,
    VARIATION_SHORT,
)
from indicators.present.strategy_table import compact_change, compact_value, targets_on_course
from indicators.report.pack import Block, Cell, Table, TableGroup
from indicators.store import publication

COLUMNS = (
    "Indicator",
    "Latest",
    "Since baseline",
    "Target",
    "Trend",
    "Variation (SPC)",
    "Assurance (SPC)",
)
WIDTHS = (0.32, 0.09, 0.1, 0.13, 0.12, 0.12, 0.12)
NOT_MONTHLY = "Not monthly"
TRIAL = " (trial limits)"


def _spc_cells(tile) -> tuple[Cell, Cell]:
    """Variation and assurance with their marks, or why there are none."""
    if not tile.variation:
        return Cell(NOT_MONTHLY), Cell(NOT_MONTHLY)
    trial = TRIAL if tile.trial_limits else ""
    return (
        Cell(
            VARIATION_SHORT.get(tile.variation, tile.variation) + trial,
            variation_mark(tile.variation, tile.polarity),
        ),
        Cell(
            ASSURANCE_SHORT.get(tile.assurance, tile.assurance) + trial,
            assurance_mark(tile.assurance),
        ),
    )


def summary_table(tiles: pd.DataFrame, strategy: Strategy) -> Table:
    """The table for a period's city tiles (ordered by `position`), aims in strategy order."""
    polarity = {i.id: i.polarity for i in strategy.indicators}
    tiles = tiles.assign(polarity=tiles["indicator_id"].map(polarity))
    groups = []
    for aim in strategy.aims:
        rows = tiles[tiles["aim"] == aim.id]
        if rows.empty:
            continue
        cells = tuple(
            (
                Cell(tile.title),
                Cell(compact_value(tile.value, tile.unit)),
                Cell(compact_change(tile.change, tile.unit)),
                Cell(PROGRESS_SHORT.get(tile.progress, tile.progress)),
                Cell(TREND_SHORT.get(tile.trend, tile.trend)),
                *_spc_cells(tile),
            )
            for tile in rows.itertuples()
        )
        groups.append(TableGroup(f"{aim.title} · {targets_on_course(rows['progress'])}", cells))
    return Table(COLUMNS, tuple(groups), WIDTHS)


def summary_blocks(warehouse: Path, strategy: Strategy, period: str) -> list[Block]:
    """The summary page's heading, a line on how to read it, and its table."""
    tiles = publication.read(
        warehouse, "tiles", period=period, area_code=strategy.area_code, order_by=("position",)
    )
    return [
        Block("heading", f"Summary: every indicator at {period}"),
        Block(
            "text",
            f"{strategy.area_name}, the same table as the dashboard's landing page. Since "
            "baseline: the change from the same half of the baseline year (pts: percentage "
            "points). Target: progress towards the target, or against the baseline where "
            "there is none. Variation and assurance read each monthly measure's statistical "
            "process control chart at the period's end (NHS Making Data Count): blue improving "
            "or consistently passing, orange concerning or consistently failing, purple "
            "unusually high or low, grey common cause or hit and miss.",
        ),
        Block("table", table=summary_table(tiles, strategy)),
    ]
