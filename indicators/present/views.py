"""The frames each page shows, cut from the published results, and how figures are written.

Pages ask here and hand the frames to chart builders; nothing here imports
Streamlit or the statistics, so every view is testable on its own and a page
that uses one starts quickly. Every frame comes from the tidy results after
disclosure control, so no view can show a small number; everything judged
(summaries, tiles, ward tables, SPC) was worked out at load (`indicators.publish`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.config.spec import Indicator
from indicators.measure_kinds import Baseline
from indicators.periods import halves_of


def half_years(results: pd.DataFrame) -> list[str]:
    """Every half-year review period in the results, oldest first."""
    return sorted(results.loc[results["period_type"] == "half_year", "period"].unique())


# An area with no record for an indicator in a period: a true zero, not a hidden figure.
NO_DATA = "no data"


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


def _area_rows(results: pd.DataFrame, area_code: str) -> pd.DataFrame:
    return results[(results["area_code"] == area_code) & (results["breakdown"] == "all")]


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
