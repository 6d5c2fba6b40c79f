"""Judgements on the tidy results: change since baseline, progress, trend, comparison.

What a board member reads next to each figure. Everything works on the
frame `compute` returns (after disclosure control, so a suppressed cell is
never judged), with the statistics from `indicators.methods`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.engine import intervals
from indicators.measure_kinds import SPC_BENCHMARKS, BenchmarkMethod
from indicators.periods import baseline_for, period_midpoint
from indicators.statuses import Comparison

SERIES_KEYS = ["indicator_id", "area_code", "breakdown", "category"]


def half_years_up_to(results: pd.DataFrame, period: str) -> list[str]:
    """The half-year review periods in `results`, oldest first, up to `period`."""
    labels = results.loc[results["period_type"] == "half_year", "period"].unique()
    return sorted(p for p in labels if p <= period)


def compare_to(
    rows: pd.DataFrame,
    benchmark: np.ndarray,
    indicator: Indicator,
    benchmark_limits: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """One indicator's tidy rows against a benchmark, by the indicator's `benchmark.method`.

    `ci_overlap_95_998` also needs the 99.8% limits, worked out by the
    indicator's own interval (`intervals.limits_at`); `double_overlap_95` the
    benchmark's own 95% limits (`benchmark_limits`); the SPC methods the rows'
    denominators and the measure's multiplier.
    """
    method = indicator.benchmark_method
    value = rows["value"].to_numpy(dtype=float)
    benchmark = np.asarray(benchmark, dtype=float)
    polarity = indicator.polarity
    if method == BenchmarkMethod.DOUBLE_OVERLAP_95:
        low, high = benchmark_limits if benchmark_limits is not None else (np.nan, np.nan)
        labels = methods.compare_by_double_overlap(
            value,
            rows["lower_ci"].to_numpy(dtype=float),
            rows["upper_ci"].to_numpy(dtype=float),
            benchmark,
            np.asarray(low, dtype=float),
            np.asarray(high, dtype=float),
            polarity=polarity,
        )
    elif method in SPC_BENCHMARKS:
        labels = methods.compare_by_spc(
            value,
            benchmark,
            rows["denominator"].to_numpy(dtype=float),
            kind="proportion" if method == BenchmarkMethod.SPC_PROPORTION_95_998 else "rate",
            polarity=polarity,
            multiplier=indicator.measure.multiplier,
        )
    else:
        wider = {}
        if method == BenchmarkMethod.CI_OVERLAP_95_998:
            limits = intervals.limits_at(rows, indicator, 0.998)
            wider = {
                "lower_998": limits["lower"].to_numpy(),
                "upper_998": limits["upper"].to_numpy(),
            }
        labels = methods.compare_to_benchmark(
            value,
            rows["lower_ci"].to_numpy(dtype=float),
            rows["upper_ci"].to_numpy(dtype=float),
            benchmark,
            polarity=polarity,
            method=method,
            **wider,
        )
    return np.asarray(labels, dtype=object)


def compare_with_city(results: pd.DataFrame, strategy: Strategy) -> pd.Series:
    """Each ward and breakdown against the city in the same period (each indicator's method)."""
    city = results[(results["area_type"] == "la") & (results["breakdown"] == "all")]
    city_columns = {"value": "city_value", "lower_ci": "city_lower", "upper_ci": "city_upper"}
    benchmark = results.merge(
        city[["indicator_id", "period", *city_columns]].rename(columns=city_columns),
        on=["indicator_id", "period"],
        how="left",
    )
    labels = pd.Series(Comparison.NOT_COMPARED.value, index=results.index, dtype=object)
    by_id = {i.id: i for i in strategy.indicators}
    for indicator_id, rows in results.groupby("indicator_id", sort=False):
        at = results.index.get_indexer(rows.index)
        limits = (benchmark["city_lower"].to_numpy()[at], benchmark["city_upper"].to_numpy()[at])
        labels.loc[rows.index] = compare_to(
            rows, benchmark["city_value"].to_numpy()[at], by_id[indicator_id], limits
        )
    city_rows = (results["area_type"] == "la") & (results["breakdown"] == "all")
    return labels.where(~city_rows, Comparison.NOT_COMPARED.value)


def trends(results: pd.DataFrame, strategy: Strategy, period: str) -> pd.DataFrame:
    """The recent-trend marker of every series over the five half-years to `period`."""
    periods = half_years_up_to(results, period)[-5:]
    window = results[(results["period_type"] == "half_year") & results["period"].isin(periods)]
    window = window.sort_values([*SERIES_KEYS, "period"])
    trend_tests = {i.id: i.measure.kind.trend_test for i in strategy.indicators}
    polarity = {i.id: i.polarity for i in strategy.indicators}
    # Plain arrays, one slice per series: a pandas group per series costs more than the test.
    keys = list(zip(*(window[k].tolist() for k in SERIES_KEYS), strict=True))
    values, lowers, uppers = (
        window[c].to_numpy(dtype=float) for c in ("value", "lower_ci", "upper_ci")
    )
    starts = [i for i in range(len(keys)) if i == 0 or keys[i] != keys[i - 1]]
    rows = []
    for start, end in zip(starts, [*starts[1:], len(keys)], strict=True):
        key = keys[start]
        trend = methods.recent_trend(
            values[start:end],
            lowers[start:end],
            uppers[start:end],
            value_type=trend_tests[key[0]] or "unsupported",
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
