"""The strategy on one screen: every aim and indicator as one compact HTML table.

A board member should see all six aims at a glance at 1366×768, so the landing
page draws one table (one element, not a tile per indicator) from the stored
tiles of its period and area: the latest value, the change since baseline,
progress to target, the trend, and for monthly measures the Making Data
Count variation and assurance icons with their words (for a ward, the
comparison with the city instead). Every text from configuration or data is
escaped here, so a title with markup shows as written. A row's title links to
the indicator on its aim page, keeping the period and area of the view.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from indicators.config.spec import Strategy
from indicators.present.charts.mdc_icons import assurance_icon, variation_icon
from indicators.present.charts.sparklines import sparkline_img
from indicators.present.status_words import (
    ASSURANCE_SHORT,
    ASSURANCE_WORDS,
    COMPARISON_WORDS,
    PROGRESS_SHORT,
    TREND_SHORT,
    TRIAL_LIMITS_WORDS,
    VARIATION_SHORT,
    VARIATION_WORDS,
    progress_words,
)
from indicators.present.views import NO_DATA
from indicators.statuses import Progress

#: Progress codes that judge a target; the aim's count says how many are on course.
_TARGET_JUDGED = {
    Progress.TARGET_ACHIEVED,
    Progress.ON_TRACK,
    Progress.NEEDS_ACCELERATION,
    Progress.LIMITED_PROGRESS,
    Progress.MOVING_AWAY,
}
_ON_COURSE = {Progress.TARGET_ACHIEVED, Progress.ON_TRACK}

STYLE = """<style>
.strategy-table {border-collapse: collapse; width: 100%; font-size: 12px; line-height: 1.2;}
.strategy-table th, .strategy-table td {padding: 2px 6px; border-bottom: 1px solid #d9dde1;
  text-align: left; vertical-align: middle; font-size: 12px;}
.strategy-table thead th {background: #f0f2f6; font-weight: 600; white-space: nowrap;}
.strategy-table th.aim {background: #e8eef5; font-weight: 600; padding-top: 3px;}
.strategy-table .count {font-weight: 400; color: #4a5560;}
.strategy-table td.num {text-align: right; white-space: nowrap;}
.strategy-table td.words {white-space: nowrap;}
.strategy-table .none {color: #4a5560; white-space: nowrap;}
.strategy-table a {color: #0b4f8a;}
.strategy-table .revised {font-size: 10px; padding: 0 3px; border: 1px solid #8a4b00;
  border-radius: 3px; color: #8a4b00;}
.strategy-table svg {vertical-align: -4px;}
.strategy-scroll {overflow-x: auto;}
@media (max-width: 1100px) {.strategy-table td.words, .strategy-table td.num,
  .strategy-table thead th {white-space: normal;}}
</style>"""


def compact_value(value: float, unit: str) -> str:
    """The latest value as a table cell: `71.2%`, `8 days`; a rate's unit is in the title."""
    if value is None or np.isnan(value):
        return "c"
    if unit == "%":
        return f"{value:.1f}%"
    number = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return number if unit.startswith("per ") else f"{number} {unit}"


def compact_change(change: float, unit: str) -> str:
    """The change since baseline: `+3.1 pts` for a percentage, `−12.0` otherwise."""
    if change is None or np.isnan(change):
        return "–"
    sign = "+" if change >= 0 else "−"
    return f"{sign}{abs(change):,.1f}{' pts' if unit == '%' else ''}"


def _cell(icon: str, words: str, title: str) -> str:
    return f'<td class="words" title="{escape(title, quote=True)}">{icon} {escape(words)}</td>'


def _spc_cells(tile) -> str:
    """Variation and assurance with their icons, or why there are none."""
    if not tile.variation:
        none = '<td class="none">Not monthly</td>'
        return none + none
    trial = f" ({TRIAL_LIMITS_WORDS})" if tile.trial_limits else ""
    variation_long = VARIATION_WORDS.get(tile.variation, tile.variation) + trial
    assurance_long = ASSURANCE_WORDS.get(tile.assurance, tile.assurance) + trial
    variation = VARIATION_SHORT.get(tile.variation, tile.variation)
    assurance = ASSURANCE_SHORT.get(tile.assurance, tile.assurance)
    return _cell(
        variation_icon(tile.variation, tile.polarity, variation_long), variation, variation_long
    ) + _cell(assurance_icon(tile.assurance, assurance_long), assurance, assurance_long)


def _row(tile, link: str, city: bool, revised: str | None) -> str:
    progress = PROGRESS_SHORT.get(tile.progress, tile.progress)
    trend = TREND_SHORT.get(tile.trend, tile.trend)
    judged = (
        _spc_cells(tile)
        if city
        else '<td class="words">'
        f"{escape(COMPARISON_WORDS.get(tile.comparison, tile.comparison))} the city</td>"
    )
    return (
        "<tr>"
        f'<td><a href="{escape(link, quote=True)}" target="_self">{escape(tile.title)}</a></td>'
        f'<td class="num" title="{escape(tile.interval_text, quote=True)}">'
        f"{escape(NO_DATA if tile.value_text == NO_DATA else compact_value(tile.value, tile.unit))}"
        f"{_revised_mark(revised)}</td>"
        f'<td class="num" title="{escape(tile.baseline_text, quote=True)}">'
        f"{escape(compact_change(tile.change, tile.unit))}</td>"
        f'<td class="words" title="{escape(progress_words(tile.progress), quote=True)}">'
        f'{escape(progress)}</td><td class="words">{escape(trend)}</td>{judged}</tr>'
    )


def targets_on_course(progress: pd.Series) -> str:
    """How many of an aim's targets are on course, from its tiles' progress codes
    (the landing page's aim rows and the board pack's summary say the same)."""
    judged = progress.isin(_TARGET_JUDGED)
    on_course = int(progress.isin(_ON_COURSE).sum())
    if not judged.any():
        return "No targets judged"
    return f"{on_course} of {int(judged.sum())} targets on track or achieved"


def _revised_mark(words: str | None) -> str:
    """Beside a figure that moved since the signed-off review: a mark saying what moved."""
    if not words:
        return ""
    return f' <span class="revised" title="{escape(words, quote=True)}">revised</span>'


def _aim_row(title: str, rows: pd.DataFrame, columns: int) -> str:
    """The aim's heading row, with how many of its targets are on course."""
    count = targets_on_course(rows["progress"])
    return (
        f'<tr><th class="aim" scope="colgroup" colspan="{columns}">{escape(title)}'
        f'<span class="count"> · {count}</span></th></tr>'
    )


def strategy_table_html(
    tiles: pd.DataFrame,
    strategy: Strategy,
    *,
    city: bool,
    query: str,
    caption: str,
    revised: dict[str, str] | None = None,
) -> str:
    """The table for one period and area's tiles (ordered by `position`).

    `query` is the view's URL query string (period, area...), carried by each row's
    link to its aim page; `caption` names what the table shows, for screen readers;
    `revised` marks the figures that moved since the period's signed-off review
    (indicator id → what moved, `revisions.revisions`' words).
    """
    revised = revised or {}
    polarity = {i.id: i.polarity for i in strategy.indicators}
    tiles = tiles.assign(polarity=tiles["indicator_id"].map(polarity))
    heads = ["Indicator", "Latest", "Since baseline", "Target", "Trend"]
    heads += ["Variation (SPC)", "Assurance (SPC)"] if city else ["Against the city"]
    body = []
    for aim in strategy.aims:
        rows = tiles[tiles["aim"] == aim.id]
        if rows.empty:
            continue
        body.append(_aim_row(aim.title, rows, len(heads)))
        for tile in rows.itertuples():
            anchor = f"{aim.id}?{query}" if query else aim.id
            link = f"{anchor}#{tile.indicator_id}"
            body.append(_row(tile, link, city, revised.get(tile.indicator_id)))
    return _table(heads, "".join(body), caption)


def details_table_html(tiles: pd.DataFrame, *, caption: str) -> str:
    """Under the one-screen table: each indicator's interval, baseline and a sparkline
    of every review period so far (one table, so a page of 20 sparklines stays cheap)."""
    rows = "".join(
        f"<tr><td>{escape(t.title)}</td><td>{escape(t.value_text)}<br>"
        f'<span class="count">{escape(t.interval_text or "No interval for this measure")}'
        f"</span></td><td>{escape(t.baseline_text)}<br>"
        f'<span class="count">{escape(t.change_text)}</span></td>'
        f"<td>{sparkline_img(list(t.sparkline_periods), list(t.sparkline), label=t.title)}</td>"
        "</tr>"
        for t in tiles.itertuples()
    )
    heads = ["Indicator", "Latest, with its 95% interval", "Baseline", "Every review period"]
    return _table(heads, rows, caption)


def _table(heads: list[str], body: str, caption: str) -> str:
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
    return (
        f'{STYLE}<div class="strategy-scroll"><table class="strategy-table">'
        '<caption style="caption-side: bottom; '
        f'text-align: left; font-size: 0.72rem; color: #4a5560">{escape(caption)}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )
