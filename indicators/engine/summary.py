"""Judgements on the tidy results: change since baseline, progress, trend, comparison.

What a board member reads next to each figure. Everything works on the
frame `compute` returns (after disclosure control, so a suppressed cell is
never judged), with the statistics from `indicators.methods`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Strategy

SERIES_KEYS = ["indicator_id", "area_code", "breakdown", "category"]
# `recent_trend` is defined for these measures only (methods.md).
TREND_MEASURES = {"proportion": "proportion", "share_by_category": "proportion", "rate": "rate"}


def period_midpoint(period: pd.Series) -> pd.Series:
    """A review period or financial year as a decimal year at its middle.

    `2019/20` (April 2019–March 2020) → 2019.75; `2024 H1` → 2024.5;
    `2024 H2` → 2025.0. Used as the time axis of progress to target.
    """
    start = period.str[:4].astype(float)
    return np.select(
        [period.str.endswith("H1"), period.str.endswith("H2")],
        [start + 0.5, start + 1.0],
        default=start + 0.75,
    )


def baseline_for(period: str, baseline_year: str) -> str:
    """The baseline a period is judged against: like for like.

    A financial year is compared with the baseline year (`2019/20`); a
    half-year with the same half of the baseline year (`2024 H2` with
    `2019 H2`), so that counts and rates cover equal lengths of time and
    the same season.
    """
    if period.endswith(("H1", "H2")):
        return f"{baseline_year[:4]} {period[-2:]}"
    return baseline_year


def half_years_up_to(results: pd.DataFrame, period: str) -> list[str]:
    """The half-year review periods in `results`, oldest first, up to `period`."""
    labels = results.loc[results["period_type"] == "half_year", "period"].unique()
    return sorted(p for p in labels if p <= period)


def compare_with_city(results: pd.DataFrame, strategy: Strategy) -> pd.Series:
    """Each ward and breakdown against the city in the same period (95% CI overlap)."""
    city = results[(results["area_type"] == "la") & (results["breakdown"] == "all")]
    benchmark = results.merge(
        city[["indicator_id", "period", "value"]].rename(columns={"value": "city_value"}),
        on=["indicator_id", "period"],
        how="left",
    )["city_value"]
    polarity = results["indicator_id"].map({i.id: i.polarity for i in strategy.indicators})
    labels = methods.compare_to_benchmark(
        results["value"].to_numpy(),
        results["lower_ci"].to_numpy(),
        results["upper_ci"].to_numpy(),
        benchmark.to_numpy(),
        polarity=polarity.to_numpy(),
    )
    city_rows = (results["area_type"] == "la") & (results["breakdown"] == "all")
    return pd.Series(np.where(city_rows, "not_compared", labels), index=results.index)


def trends(results: pd.DataFrame, strategy: Strategy, period: str) -> pd.DataFrame:
    """The recent-trend marker of every series over the five half-years to `period`."""
    periods = half_years_up_to(results, period)[-5:]
    window = results[(results["period_type"] == "half_year") & results["period"].isin(periods)]
    measures = {i.id: i.measure.type for i in strategy.indicators}
    polarity = {i.id: i.polarity for i in strategy.indicators}
    rows = []
    for key, series in window.sort_values("period").groupby(SERIES_KEYS, sort=False):
        value_type = TREND_MEASURES.get(measures[key[0]], "unsupported")
        trend = methods.recent_trend(
            series["value"].to_numpy(),
            series["lower_ci"].to_numpy(),
            series["upper_ci"].to_numpy(),
            value_type=value_type,
            polarity=polarity[key[0]],
        )
        rows.append((*key, trend["marker"], trend.get("assessment", trend["marker"])))
    return pd.DataFrame(rows, columns=[*SERIES_KEYS, "trend", "trend_assessment"])


def summarise(results: pd.DataFrame, strategy: Strategy, period: str) -> pd.DataFrame:
    """One row per series at `period`: value and interval, baseline, change, progress, trend.

    The baseline is each indicator's own baseline year (2019/20 for all
    shipped ones), like for like (`baseline_for`); progress uses the
    indicator's target where it has one.
    """
    current = results[results["period"] == period].copy()
    current["comparison_with_city"] = compare_with_city(current, strategy)
    baseline = {
        i.id: baseline_for(period, i.baseline_period or strategy.baseline_period)
        for i in strategy.indicators
    }
    base = results[results["period"] == results["indicator_id"].map(baseline)]
    out = current.merge(
        base[[*SERIES_KEYS, "period", "value", "lower_ci", "upper_ci"]].rename(
            columns={
                "period": "baseline_period",
                "value": "baseline_value",
                "lower_ci": "baseline_lower",
                "upper_ci": "baseline_upper",
            }
        ),
        on=SERIES_KEYS,
        how="left",
    )
    out["change_since_baseline"] = out["value"] - out["baseline_value"]
    by_id = {i.id: i for i in strategy.indicators}
    targets = out["indicator_id"].map(lambda i: by_id[i].target_value)
    target_periods = out["indicator_id"].map(lambda i: by_id[i].target_period)
    has_base = out["baseline_period"].notna()
    out["progress"] = methods.progress_status(
        np.where(has_base, period_midpoint(out["baseline_period"].fillna("2019/20")), np.nan),
        out["baseline_value"].to_numpy(),
        period_midpoint(out["period"]),
        out["value"].to_numpy(),
        target_value=targets.to_numpy(dtype=float),
        target_year=np.where(
            target_periods.notna(), period_midpoint(target_periods.fillna("2024/25")), np.nan
        ),
        polarity=out["indicator_id"].map(lambda i: by_id[i].polarity).to_numpy(),
    )
    return out.merge(trends(results, strategy, period), on=SERIES_KEYS, how="left")
