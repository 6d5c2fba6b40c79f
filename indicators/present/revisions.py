"""What moved since a review was signed off: the figures the board was told against today's.

A signed-off review keeps the landing page's rows as they stood (`REPORTED_COLUMNS`
of the stored tiles, with the load they came from). Late data and corrections move
figures between reviews; these functions answer "we reported 84% in March, now it
says 81%, why?": each moved figure with both values and whether the new value lies
outside the interval reported, and, for the next review, what changed state and
which special-cause signals are new.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.present.status_words import PROGRESS_SHORT, VARIATION_SHORT
from indicators.present.strategy_table import compact_value
from indicators.statuses import Variation

#: The columns of the stored tiles a sign-off keeps, per indicator and area.
REPORTED_COLUMNS = ["indicator_id", "area_code", "title", "unit", "value", "lower_ci",
                    "upper_ci", "progress", "trend", "variation", "assurance"]  # fmt: skip
REVISION_COLUMNS = ["indicator_id", "area_code", "title", "reported_value", "current_value",
                    "reported_lower", "reported_upper", "outside_reported_interval",
                    "reported_text", "current_text", "words"]  # fmt: skip
SIGNALS = {Variation.IMPROVEMENT, Variation.CONCERN, Variation.NEUTRAL_HIGH, Variation.NEUTRAL_LOW}
#: Values closer than this are the same figure (floating point, not a revision).
SAME = 1e-9


def _paired(reported: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator_id", "area_code"]
    return reported[REPORTED_COLUMNS].merge(
        current[REPORTED_COLUMNS].drop(columns=["title", "unit"]),
        on=keys,
        how="inner",
        suffixes=("_reported", "_current"),
    )


def revisions(reported: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Every figure that moved since it was reported: both values, and whether today's
    lies outside the reported 95% interval (a change beyond what chance explains).

    A figure withheld (suppressed) then and shown now, or the reverse, is a revision
    too; a figure missing on either side is not compared (nothing to set beside it).
    """
    both = _paired(reported, current)
    old, new = both["value_reported"], both["value_current"]
    shown_then, shown_now = old.notna(), new.notna()
    moved = (shown_then != shown_now) | (shown_then & shown_now & ((old - new).abs() > SAME))
    rows = both[moved]
    lower, upper = rows["lower_ci_reported"], rows["upper_ci_reported"]
    value = rows["value_current"]
    outside = value.notna() & lower.notna() & ((value < lower) | (value > upper))
    out = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"],
            "area_code": rows["area_code"],
            "title": rows["title"],
            "reported_value": rows["value_reported"],
            "current_value": value,
            "reported_lower": lower,
            "reported_upper": upper,
            "outside_reported_interval": outside,
        }
    )
    out["reported_text"] = [
        compact_value(v, u) for v, u in zip(rows["value_reported"], rows["unit"], strict=True)
    ]
    out["current_text"] = [compact_value(v, u) for v, u in zip(value, rows["unit"], strict=True)]
    out["words"] = [_revision_words(row) for row in out.itertuples()]
    return out[REVISION_COLUMNS].reset_index(drop=True)


def _revision_words(row) -> str:
    if np.isnan(row.reported_value):
        return f"Withheld when reported; now {row.current_text}"
    if np.isnan(row.current_value):
        return f"Reported as {row.reported_text}; now withheld (small numbers)"
    beyond = (
        "outside the interval reported, so more than chance"
        if row.outside_reported_interval
        else "within the interval reported"
        if not np.isnan(row.reported_lower)
        else "no interval was reported"
    )
    return f"Reported as {row.reported_text}, now {row.current_text}: {beyond}"


def changed_state(reported: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose progress to target changed since the review, and new special-cause
    signals (a monthly measure whose latest point now shows one it did not then)."""
    both = _paired(reported, current)
    progress = both["progress_reported"] != both["progress_current"]
    signal = both["variation_current"].isin(SIGNALS) & (
        both["variation_current"] != both["variation_reported"]
    )
    rows = []
    for row in both[progress | signal].itertuples():
        if row.progress_reported != row.progress_current:
            rows.append(
                (row.indicator_id, row.area_code, row.title, "progress",
                 f"{PROGRESS_SHORT.get(row.progress_reported, row.progress_reported)} → "
                 f"{PROGRESS_SHORT.get(row.progress_current, row.progress_current)}")
            )  # fmt: skip
        if row.variation_current in SIGNALS and row.variation_current != row.variation_reported:
            rows.append(
                (row.indicator_id, row.area_code, row.title, "new signal",
                 f"New special cause: {VARIATION_SHORT[row.variation_current].lower()}")
            )  # fmt: skip
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "title", "change", "words"])


def revisions_table(moved: pd.DataFrame, area_names: dict[str, str]) -> pd.DataFrame:
    """`revisions` as people read them: the city first, then wards by name."""
    named = moved.assign(area=moved["area_code"].map(area_names).fillna(moved["area_code"]))
    named = named.assign(_city=named["area_code"] != next(iter(area_names), "")).sort_values(
        ["_city", "area", "title"]
    )
    return pd.DataFrame(
        {
            "Indicator": named["title"],
            "Area": named["area"],
            "Reported": named["reported_text"],
            "Now": named["current_text"],
            "Outside the interval reported": named["outside_reported_interval"].map(
                {True: "yes", False: "no"}
            ),
            "What moved": named["words"],
        }
    ).reset_index(drop=True)


def done_since(actions: pd.DataFrame, since: str) -> pd.DataFrame:
    """Actions closed on or after `since` (an ISO date): what the board asked for, done."""
    done = actions[(actions["status"] == "done") & (actions["closed_date"].fillna("") >= since)]
    return done[["action", "owner", "closed_date", "indicator_id", "period"]].reset_index(drop=True)
