"""Plain-English sentences computed from the figures, never written per indicator.

The words follow the statistics: a change is "rose" or "fell" only when the
baseline's and the latest 95% intervals do not overlap; otherwise the
sentence says the difference is within the margin of error. The trend and
progress clauses repeat the engine's own labels in words.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.config.spec import Indicator
from indicators.present.views import format_value

PROGRESS = {
    "target_achieved": "the target of {target} is met",
    "on_track": "on track for the target of {target} by {year}",
    "needs_acceleration": "progress towards the target of {target} by {year} needs to speed up",
    "limited_progress": "limited progress towards the target of {target} by {year}",
    "moving_away": "moving away from the target of {target} by {year}",
}
TREND = {
    "getting_better": "the recent trend is getting better",
    "getting_worse": "the recent trend is getting worse",
    "increasing": "the recent trend is upwards",
    "decreasing": "the recent trend is downwards",
    "no_significant_change": "there is no significant trend over the last five review periods",
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def change_word(row: pd.Series) -> str:
    """`rose`, `fell`, `similar` (intervals overlap) or `untested` (no intervals)."""
    needed = ("lower_ci", "upper_ci", "baseline_lower", "baseline_upper")
    if any(_missing(row.get(k)) for k in needed):
        return "untested"
    if row["lower_ci"] > row["baseline_upper"]:
        return "rose"
    if row["upper_ci"] < row["baseline_lower"]:
        return "fell"
    return "similar"


def sentence(indicator: Indicator, row: pd.Series) -> str:
    """One sentence about an indicator at a period, from its summary row (`summary.summarise`).

    Example: "Requests decided within 3 working days rose from 59.5% (2019 H2) to 84.9%
    (2024 H2); the recent trend is getting better; progress towards the target of 90% by
    2024/25 needs to speed up."
    """
    unit = indicator.unit
    title, period = indicator.title, row["period"]
    if _missing(row.get("value")):
        return (
            f"{title}: the figure for {period} is suppressed to protect confidentiality "
            "(small numbers)."
        )
    now = f"{format_value(row['value'], unit)} ({period})"
    if _missing(row.get("baseline_value")):
        text = f"{title} was {now}"
    else:
        before = f"{format_value(row['baseline_value'], unit)} ({row['baseline_period']})"
        word = change_word(row)
        if word in ("rose", "fell"):
            text = f"{title} {word} from {before} to {now}"
        elif word == "similar":
            text = f"{title} was {now}, not significantly different from {before}"
        else:
            text = f"{title} was {now} against {before} (no interval to test the change)"
    clauses = [text]
    trend = row.get("trend_assessment")
    if isinstance(trend, str) and trend in TREND:
        clauses.append(TREND[trend])
    progress = row.get("progress")
    if indicator.target_value is not None and progress in PROGRESS:
        target = format_value(indicator.target_value, unit)
        clauses.append(PROGRESS[progress].format(target=target, year=indicator.target_period))
    return "; ".join(clauses) + "."
