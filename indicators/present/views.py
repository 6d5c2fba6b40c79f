"""The frames each page shows, built from the engine's results.

Pages ask here and hand the frames to chart builders; nothing here imports
Streamlit, so every view is testable on its own. Every frame comes from the
tidy results after disclosure control, so no view can show a small number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.engine.summary import half_years_up_to, summarise
from indicators.measure_kinds import Baseline
from indicators.periods import halves_of, review_period_bounds
from indicators.present.status_words import (
    ASSURANCE_WORDS,
    COMPARISON_WORDS,
    PROGRESS_WORDS,
    TREND_WORDS,
    TRIAL_LIMITS_WORDS,
    VARIATION_WORDS,
)


def half_years(results: pd.DataFrame) -> list[str]:
    """Every half-year review period in the results, oldest first."""
    return sorted(results.loc[results["period_type"] == "half_year", "period"].unique())


def latest_complete_period(results: pd.DataFrame, data_end: dt.date) -> str:
    """The newest half-year that ended on or before the data's last day."""
    complete = [p for p in half_years(results) if review_period_bounds(p)[1] <= data_end]
    return complete[-1] if complete else half_years(results)[-1]


def format_value(value: float, unit: str) -> str:
    """`84.9%`, `605.9 per 10,000 children`, `8 days`, or `c` when suppressed."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "c"
    if unit == "%":
        return f"{value:.1f}%"
    digits = 0 if abs(value) >= 100 else 1
    return f"{value:,.{digits}f} {unit}"


def format_interval(lower: float, upper: float, unit: str) -> str:
    if np.isnan(lower) or np.isnan(upper):
        return ""
    suffix = "%" if unit == "%" else ""
    return f"95% CI {lower:,.1f}{suffix} to {upper:,.1f}{suffix}"


@dataclass(frozen=True)
class IndicatorTile:
    """Everything the landing page shows for one indicator, as words and numbers."""

    indicator_id: str
    aim: str
    title: str
    unit: str
    value: float
    value_text: str
    interval_text: str
    baseline_text: str
    change_text: str
    progress: str
    progress_text: str
    trend_text: str
    comparison_text: str
    sparkline: list[float]
    sparkline_periods: list[str]


def _area_rows(results: pd.DataFrame, area_code: str) -> pd.DataFrame:
    return results[(results["area_code"] == area_code) & (results["breakdown"] == "all")]


def strategy_tiles(
    results: pd.DataFrame, strategy: Strategy, period: str, area_code: str
) -> list[IndicatorTile]:
    """One tile per indicator (share-by-category ones are shown in the THRIVE summary)."""
    summary = summarise(results, strategy, period)
    summary = summary[(summary["area_code"] == area_code) & (summary["breakdown"] == "all")]
    periods = half_years_up_to(results, period)
    rows = _area_rows(results, area_code)
    tiles = []
    for indicator in strategy.indicators:
        if not indicator.measure.kind.tile:
            continue
        row = summary[summary["indicator_id"] == indicator.id]
        series = rows[(rows["indicator_id"] == indicator.id) & rows["period"].isin(periods)]
        series = series.set_index("period")["value"].reindex(periods)
        tiles.append(
            _tile(indicator, row.iloc[0] if len(row) else None, series, area_code, strategy)
        )
    return tiles


def _tile(
    indicator: Indicator,
    row: pd.Series | None,
    series: pd.Series,
    area_code: str,
    strategy: Strategy,
) -> IndicatorTile:
    unit = indicator.unit
    if row is None:
        value = lower = upper = base = np.nan
        progress, trend, comparison, base_period = (
            "not_assessed",
            "cannot_be_calculated",
            "not_compared",
            "",
        )
    else:
        value, lower, upper = row["value"], row["lower_ci"], row["upper_ci"]
        base, base_period = row["baseline_value"], row["baseline_period"]
        progress = row["progress"]
        trend = (
            row["trend_assessment"]
            if isinstance(row["trend_assessment"], str)
            else "cannot_be_calculated"
        )
        comparison = row["comparison_with_city"]
    icon, words = PROGRESS_WORDS.get(progress, (":material/remove:", progress))
    change = value - base if not (np.isnan(value) or np.isnan(base)) else np.nan
    city = area_code == strategy.area_code
    return IndicatorTile(
        indicator_id=indicator.id,
        aim=indicator.aim,
        title=indicator.title,
        unit=unit,
        value=value,
        value_text=format_value(value, unit),
        interval_text=format_interval(lower, upper, unit),
        baseline_text=(
            f"Baseline {base_period}: {format_value(base, unit)}"
            if isinstance(base_period, str) and base_period
            else "No baseline"
        ),
        change_text=(
            ""
            if np.isnan(change)
            else f"{'+' if change >= 0 else '−'}{abs(change):,.1f}"
            f"{' points' if unit == '%' else ''} since baseline"
        ),
        progress=progress,
        progress_text=f"{icon} {words}",
        trend_text=TREND_WORDS.get(trend, trend),
        comparison_text="" if city else f"{COMPARISON_WORDS.get(comparison, comparison)} city",
        sparkline=[float(v) for v in series.to_numpy()],
        sparkline_periods=list(series.index),
    )


def thrive_mix(results: pd.DataFrame, indicator_id: str, area_code: str) -> pd.DataFrame:
    """A share-by-category indicator's shares per half-year (the strategy's
    `thrive_indicator` on the landing page: requests at each THRIVE level)."""
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["area_code"] == area_code)
        & (results["period_type"] == "half_year")
    ]
    return rows[
        ["period", "category", "numerator", "value", "lower_ci", "upper_ci", "suppressed"]
    ].rename(columns={"category": "thrive_level"})


def indicator_series(
    results: pd.DataFrame, indicator_id: str, area_code: str, period_type: str = "half_year"
) -> pd.DataFrame:
    """An indicator over the review periods for one area, with intervals."""
    rows = _area_rows(results, area_code)
    rows = rows[(rows["indicator_id"] == indicator_id) & (rows["period_type"] == period_type)]
    return rows.sort_values("period")[
        [
            "period",
            "numerator",
            "denominator",
            "value",
            "lower_ci",
            "upper_ci",
            "suppressed",
            "note",
        ]
    ].reset_index(drop=True)


def breakdown(
    results: pd.DataFrame, indicator_id: str, breakdown_name: str, period: str
) -> pd.DataFrame:
    """The city's figure by one breakdown (deprivation decile, source...) in one period."""
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["breakdown"] == breakdown_name)
        & (results["area_type"] == "la")
        & (results["period"] == period)
    ]
    rows = rows.iloc[
        sorted(range(len(rows)), key=lambda i: _category_order(rows["category"].iloc[i]))
    ]
    return rows[
        ["category", "numerator", "denominator", "value", "lower_ci", "upper_ci", "suppressed"]
    ].reset_index(drop=True)


def _category_order(category: str) -> tuple[int, float, str]:
    """Deciles in number order, other categories alphabetically, `unknown` last."""
    if category == "unknown":
        return (2, 0.0, category)
    try:
        return (0, float(category), category)
    except ValueError:
        return (1, 0.0, category)


def baseline_line(
    results: pd.DataFrame, indicator: Indicator, area_code: str, baseline_year: str
) -> float:
    """The baseline to draw on a half-year chart.

    Proportions, means and medians: the baseline year's own value. Rates and
    counts cover six months on the chart, so the line is the average of the
    baseline year's two halves.
    """
    rows = _area_rows(results, area_code)
    rows = rows[rows["indicator_id"] == indicator.id]
    if indicator.measure.kind.baseline is Baseline.MEAN_OF_HALVES:
        halves = rows[rows["period"].isin(halves_of(baseline_year))]
        return float(halves["value"].mean()) if len(halves) == 2 else np.nan
    year = rows.loc[rows["period"] == baseline_year, "value"]
    return float(year.iloc[0]) if len(year) else np.nan


def definition(indicator: Indicator) -> dict[str, str]:
    """The definition in words, for the 'how is this measured' panel and the catalogue."""
    measure = indicator.measure
    parts = {
        "Description": indicator.description,
        "Measure": measure.type.replace("_", " "),
        "Source table": indicator.source,
        "Placed in a period by": indicator.date,
        "Unit": indicator.unit,
        "Polarity": indicator.polarity.replace("_", " "),
        "Confidence interval": indicator.ci,
        "Breakdowns": ", ".join(indicator.breakdowns) or "none",
        "Baseline": indicator.baseline_period or "",
        "Target": (
            f"{indicator.target_value:g} by {indicator.target_period}"
            if indicator.target_value is not None
            else "none set"
        ),
        "Owner": indicator.owner,
    }
    for name, tally in (("Numerator", measure.numerator), ("Denominator", measure.denominator)):
        if tally:
            parts[name] = f"{tally.kind} {tally.column}" + (
                f" where {tally.where}" if tally.where else ""
            )
    if indicator.where:
        parts["Rows"] = f"where {indicator.where}"
    return parts


SPC_COLUMNS = (
    "mean",
    "lower_limit",
    "upper_limit",
    "near_lower",
    "near_upper",
    "trial_limits",
    "special_cause",
    "rule",
)


def spc_view(monthly: pd.DataFrame, indicator: Indicator, strategy: Strategy) -> pd.DataFrame:
    """The monthly series as an XmR chart, re-based at the month the strategy started,
    with the indicator's Making Data Count choices (`spc:` in its definition).

    ``attrs`` carry the words for the latest point: ``variation`` (the variation
    icon's meaning, saying when the limits are trial limits) and ``assurance``.
    """
    started = strategy.started[:7]
    rebase = [i for i, p in enumerate(monthly["period"]) if p >= started][:1]
    chart = methods.spc(
        monthly["value"].to_numpy(),
        polarity=indicator.polarity,
        target=indicator.target_value,
        rebase_at=rebase or None,
        screen_outliers=indicator.spc.screen_outliers,
        fix_after_n_points=indicator.spc.fix_after_n_points,
    )
    out = pd.concat(
        [
            monthly[["period", "value", "suppressed"]].reset_index(drop=True),
            chart[list(SPC_COLUMNS)],
        ],
        axis=1,
    )
    trial = f" ({TRIAL_LIMITS_WORDS})" if chart.attrs["trial_limits"] else ""
    out.attrs["variation"] = VARIATION_WORDS[chart.attrs["variation"]] + trial
    out.attrs["assurance"] = ASSURANCE_WORDS.get(
        chart.attrs.get("assurance"), chart.attrs.get("assurance")
    )
    out.attrs["trial_limits"] = chart.attrs["trial_limits"]
    return out
