"""The monthly SPC charts, the front-door flows and what was left out, as stored tables.

Each is keyed so a page reads only its part: the monthly rows of one
indicator (with the XmR chart's centre, limits and signals already worked
out), the flow links of one review period.
"""

from __future__ import annotations

import pandas as pd

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.present.status_words import (
    ASSURANCE_WORDS,
    TRIAL_LIMITS_WORDS,
    VARIATION_WORDS,
)

SPC_COLUMNS = ["indicator_id", "period", "value", "suppressed", "mean", "lower_limit",
               "upper_limit", "near_lower", "near_upper", "trial_limits", "special_cause",
               "rule", "variation", "assurance"]  # fmt: skip
CHART_COLUMNS = ["mean", "lower_limit", "upper_limit", "near_lower", "near_upper",
                 "trial_limits", "special_cause", "rule"]  # fmt: skip


def spc_view(monthly: pd.DataFrame, indicator: Indicator, strategy: Strategy) -> pd.DataFrame:
    """The monthly series as an XmR chart, re-based at the month the strategy started,
    with the indicator's Making Data Count choices (`spc:` in its definition).

    Every row carries the words for the latest point: `variation` (the variation
    icon's meaning, saying when the limits are trial limits) and `assurance`.
    """
    if monthly.empty:
        return pd.DataFrame(columns=SPC_COLUMNS)
    started = strategy.started[:7]
    # Re-based at the first month of the strategy, when the series began before it.
    rebase = [i for i, p in enumerate(monthly["period"]) if p >= started and i > 0][:1]
    chart = methods.spc(
        monthly["value"].to_numpy(),
        polarity=indicator.polarity,
        target=indicator.target_value,
        rebase_at=rebase or None,
        screen_outliers=indicator.spc.screen_outliers,
        fix_after_n_points=indicator.spc.fix_after_n_points,
    )
    out = pd.concat(
        [monthly[["period", "value", "suppressed"]].reset_index(drop=True), chart[CHART_COLUMNS]],
        axis=1,
    )
    trial = f" ({TRIAL_LIMITS_WORDS})" if chart.attrs["trial_limits"] else ""
    out["variation"] = VARIATION_WORDS[chart.attrs["variation"]] + trial
    assurance = chart.attrs.get("assurance")
    out["assurance"] = ASSURANCE_WORDS.get(assurance, assurance)
    return out.assign(indicator_id=indicator.id)[SPC_COLUMNS]


def spc_charts(monthly: dict[str, pd.DataFrame], strategy: Strategy) -> pd.DataFrame:
    """Every monthly indicator's XmR chart, one frame."""
    frames = [spc_view(series, strategy.indicator(i), strategy) for i, series in monthly.items()]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SPC_COLUMNS)


def flow_links(flows: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every review period's front-door links, one frame keyed by `period`."""
    frames = [links.assign(period=period) for period, links in flows.items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["period"])


def left_out_rows(left_out: dict[str, list[str]]) -> pd.DataFrame:
    """Each left-out definition's problems, in order (`position` 0 is the first)."""
    rows = [
        {"indicator_id": indicator_id, "position": position, "problem": problem}
        for indicator_id, problems in left_out.items()
        for position, problem in enumerate(problems)
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "position", "problem"])
