"""The THRIVE mix on the landing page: each level's share of requests as a row with a bar.

An HTML table rather than a chart, so the landing page draws no charting
library at all (a new session's first page is its cost); the chart over time,
with its data and downloads, is on the indicator's aim page. A withheld share
(small numbers) shows as `c` with no bar.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from indicators.present.charts.palette import PALETTE
from indicators.present.strategy_table import STYLE

LEVELS = ["getting_advice", "getting_help", "getting_more_help", "getting_risk_support"]


def thrive_share_html(mix: pd.DataFrame, period: str, *, caption: str) -> str:
    """`mix` (`views.thrive_mix`) at `period`: a row per THRIVE level, share and bar."""
    shares = mix[mix["period"] == period].set_index("thrive_level")["value"]
    rows = []
    for colour, level in zip(PALETTE, LEVELS, strict=False):
        share = shares.get(level, np.nan)
        words = level.replace("_", " ").capitalize()
        if np.isnan(share):
            shown, bar = "c", ""
        else:
            shown = f"{share:.1f}%"
            bar = (
                f'<span style="display:inline-block;height:10px;width:{share * 3:.0f}px;'
                f'background:{colour}"></span>'
            )
        rows.append(f'<tr><td>{escape(words)}</td><td class="num">{shown}</td><td>{bar}</td></tr>')
    return (
        f'{STYLE}<table class="strategy-table" style="width:auto"><caption style="caption-side:'
        f' bottom; text-align: left; font-size: 0.72rem; color: #4a5560">{escape(caption)}'
        '</caption><thead><tr><th scope="col">THRIVE level</th><th scope="col">Share of '
        f'requests, {escape(period)}</th><th scope="col"></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
