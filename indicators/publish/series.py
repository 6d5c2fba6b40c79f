"""The monthly SPC charts, the front-door flows and what was left out, as stored tables.

Each is keyed so a page reads only its part: the monthly rows of one
indicator (with the XmR chart's centre, limits and signals already worked
out), the flow links of one review period.
"""

from __future__ import annotations

import pandas as pd

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.periods import review_period_bounds
from indicators.present.status_words import (
    ASSURANCE_WORDS,
    TRIAL_LIMITS_WORDS,
    VARIATION_WORDS,
)

SPC_COLUMNS = ["indicator_id", "period", "value", "suppressed", "mean", "lower_limit",
               "upper_limit", "near_lower", "near_upper", "trial_limits", "special_cause",
               "rule", "variation", "assurance"]  # fmt: skip
STATE_COLUMNS = ["period", "indicator_id", "variation", "assurance", "trial_limits"]
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
    chart = _xmr(monthly, indicator, strategy)
    out = pd.concat(
        [monthly[["period", "value", "suppressed"]].reset_index(drop=True), chart[CHART_COLUMNS]],
        axis=1,
    )
    trial = f" ({TRIAL_LIMITS_WORDS})" if chart.attrs["trial_limits"] else ""
    out["variation"] = VARIATION_WORDS[chart.attrs["variation"]] + trial
    assurance = chart.attrs.get("assurance")
    out["assurance"] = ASSURANCE_WORDS.get(assurance, assurance)
    return out.assign(indicator_id=indicator.id)[SPC_COLUMNS]


def _xmr(monthly: pd.DataFrame, indicator: Indicator, strategy: Strategy) -> pd.DataFrame:
    """`methods.spc` on a monthly series, re-based at the first month of the strategy when
    the series began before it (its attrs carry the latest point's variation and assurance)."""
    started = strategy.started[:7]
    rebase = [i for i, p in enumerate(monthly["period"]) if p >= started and i > 0][:1]
    return methods.spc(
        monthly["value"].to_numpy(),
        polarity=indicator.polarity,
        target=indicator.target_value,
        rebase_at=rebase or None,
        screen_outliers=indicator.spc.screen_outliers,
        fix_after_n_points=indicator.spc.fix_after_n_points,
    )


def spc_states(
    monthly: dict[str, pd.DataFrame], strategy: Strategy, periods: list[str]
) -> pd.DataFrame:
    """Each monthly indicator's variation and assurance codes as they stood at the end of
    each review period: the chart cut at the period's last month, so a board looking
    back at 2023 H1 sees the signal it had then, not one from later months."""
    rows = []
    for indicator_id, series in monthly.items():
        indicator = strategy.indicator(indicator_id)
        for period in periods:
            last_month = review_period_bounds(period)[1].strftime("%Y-%m")
            upto = series[series["period"] <= last_month].reset_index(drop=True)
            if upto.empty:
                continue
            chart = _xmr(upto, indicator, strategy)
            rows.append(
                {"period": period, "indicator_id": indicator_id,
                 "variation": chart.attrs["variation"], "assurance": chart.attrs["assurance"],
                 "trial_limits": chart.attrs["trial_limits"]}
            )  # fmt: skip
    return pd.DataFrame(rows, columns=STATE_COLUMNS)


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
