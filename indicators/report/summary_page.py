"""The pack's summary page: the landing page's strategy table on one sheet of paper.

One row per indicator, grouped by aim: the latest value, the change since the
baseline, the SPC variation and assurance of the monthly measures (the NHS
"Making Data Count" icons with their words), progress against the baseline
and target, and the recent trend. The figures and words are the load's
stored publication, the same rows the landing page reads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.config.spec import Strategy
from indicators.periods import review_period_bounds
from indicators.present.status_words import ASSURANCE_WORDS, VARIATION_WORDS, progress_words
from indicators.report import spc_icons
from indicators.report.pack import Block, Cell, Table, TableGroup
from indicators.store import publication

COLUMNS = (
    "Indicator",
    "Latest",
    "Change since baseline",
    "Variation (monthly SPC)",
    "Assurance (monthly SPC)",
    "Against baseline and target",
    "Recent trend",
)
WIDTHS = (0.25, 0.11, 0.11, 0.15, 0.15, 0.12, 0.11)
NOT_MONTHLY = "Not monthly"
# The stored monthly rows carry the words; these turn them back into codes for the icons.
_VARIATION_CODES = {words: code for code, words in VARIATION_WORDS.items()}
_ASSURANCE_CODES = {words: code for code, words in ASSURANCE_WORDS.items()}


def latest_spc(monthly: pd.DataFrame, period: str) -> pd.DataFrame:
    """Each monthly indicator's last month in `period` or before: its variation and assurance.

    `monthly` is the publication's `monthly` table (months labelled `YYYY-MM`).
    """
    end = f"{review_period_bounds(period)[1]:%Y-%m}"
    known = monthly[monthly["period"] <= end].sort_values("period")
    return known.groupby("indicator_id").tail(1).set_index("indicator_id")


def summary_table(tiles: pd.DataFrame, spc: pd.DataFrame, strategy: Strategy) -> Table:
    """The table from the period's city tiles and `latest_spc` rows, aims in strategy order."""
    by_id = tiles.set_index("indicator_id")
    groups = []
    for aim in strategy.aims:
        rows = []
        for indicator in strategy.indicators:
            if indicator.aim != aim.id or indicator.id not in by_id.index:
                continue
            tile = by_id.loc[indicator.id]
            if indicator.id in spc.index:
                variation = str(spc.loc[indicator.id, "variation"])
                assurance = str(spc.loc[indicator.id, "assurance"])
                variation_cell = Cell(
                    variation,
                    spc_icons.variation_icon(
                        _VARIATION_CODES.get(variation, ""), indicator.polarity
                    ),
                )
                assurance_cell = Cell(
                    assurance, spc_icons.assurance_icon(_ASSURANCE_CODES.get(assurance, ""))
                )
            else:
                variation_cell = assurance_cell = Cell(NOT_MONTHLY)
            rows.append(
                (
                    Cell(indicator.title),
                    Cell(str(tile["value_text"])),
                    Cell(str(tile["change_text"]).removesuffix(" since baseline") or "No baseline"),
                    variation_cell,
                    assurance_cell,
                    Cell(progress_words(str(tile["progress"]))),
                    Cell(str(tile["trend_text"])),
                )
            )
        if rows:
            groups.append(TableGroup(aim.title, tuple(rows)))
    return Table(COLUMNS, tuple(groups), WIDTHS)


def summary_blocks(warehouse: Path, strategy: Strategy, period: str) -> list[Block]:
    """The summary page's heading, its table and a line on how to read it."""
    tiles = publication.read(
        warehouse, "tiles", period=period, area_code=strategy.area_code, order_by=("position",)
    )
    spc = latest_spc(publication.read(warehouse, "monthly"), period)
    return [
        Block("heading", f"Summary: every indicator at {period}"),
        Block(
            "text",
            f"{strategy.area_name}. Change is the latest half year against the same half of "
            "the baseline year. Variation and assurance read the monthly statistical process "
            "control chart at the last month of the period (NHS Making Data Count); blue is "
            "improvement or a target met, orange concern or a target missed, grey common "
            "cause or a target hit and missed, purple a special cause with no direction.",
        ),
        Block("table", table=summary_table(tiles, spc, strategy)),
    ]
