"""The landing page's tiles, for every review period and area, as rows of one table.

A tile is what a board member reads for one indicator: its value and interval,
the baseline and the change since, progress to target, the recent trend, the
comparison with the city (for a ward) and a sparkline of every review period
so far. Figures are stored already written (`value_text`...); judgements as
codes (progress, trend, comparison and, for a monthly measure at the city, the
Making Data Count variation and assurance as they stood at the period's end,
`series.spc_states`), which the table and the pack put in words. Built from the stored judgements
(`summaries.summaries`), so the landing page is one read of the rows for its
period and area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.config.spec import Indicator, Strategy
from indicators.present.views import NO_DATA, format_interval, format_value
from indicators.ward_vintages import WARD_AREA_TYPES

TILE_COLUMNS = [
    "period",
    "area_code",
    "position",
    "indicator_id",
    "aim",
    "title",
    "unit",
    "value",
    "lower_ci",
    "upper_ci",
    "value_text",
    "interval_text",
    "baseline_text",
    "change",
    "change_text",
    "progress",
    "trend",
    "comparison",
    "variation",
    "assurance",
    "trial_limits",
    "sparkline",
    "sparkline_periods",
]


def tile_areas(results: pd.DataFrame) -> list[str]:
    """The areas a tile is shown for: the city and every known ward of both sets (a ward's
    code names its set: no code is in both)."""
    whole = results[results["breakdown"] == "all"]
    known_ward = whole["area_type"].isin(WARD_AREA_TYPES) & (whole["area_code"] != "unknown")
    wards = whole.loc[known_ward]
    city = whole.loc[whole["area_type"] == "la", "area_code"]
    return [*city.unique(), *sorted(wards["area_code"].unique())]


def tiles(
    results: pd.DataFrame, summary: pd.DataFrame, strategy: Strategy, states: pd.DataFrame
) -> pd.DataFrame:
    """One row per period × area × tile indicator, in the strategy's order (`position`).

    Share-by-category indicators are left out: the landing page shows them as the THRIVE mix.
    `states` are the monthly measures' SPC codes by period (`series.spc_states`): a city
    tile of a monthly measure carries them; every other tile has none (empty strings).
    """
    spc = {(r.period, r.indicator_id): r for r in states.itertuples(index=False)}
    shown = [i for i in strategy.indicators if i.measure.kind.tile]
    whole = summary[summary["breakdown"] == "all"]
    judged = {
        (row["period"], row["area_code"], row["indicator_id"]): row
        for row in whole.to_dict("records")
    }
    halves = results[(results["breakdown"] == "all") & (results["period_type"] == "half_year")]
    history: dict[tuple[str, str], dict[str, float]] = {}
    for row in halves[["area_code", "indicator_id", "period", "value"]].itertuples(index=False):
        history.setdefault((row.area_code, row.indicator_id), {})[row.period] = row.value
    periods = sorted(summary["period"].unique())
    rows = []
    for end, period in enumerate(periods, start=1):
        so_far = periods[:end]
        for area_code in tile_areas(results):
            city = area_code == strategy.area_code
            for position, indicator in enumerate(shown):
                known = history.get((area_code, indicator.id), {})
                sparkline = [float(known.get(p, np.nan)) for p in so_far]
                row = judged.get((period, area_code, indicator.id))
                state = spc.get((period, indicator.id)) if city else None
                rows.append(
                    {"period": period, "area_code": area_code, "position": position,
                     **_tile(indicator, row, city), "sparkline": sparkline,
                     "sparkline_periods": so_far,
                     "variation": state.variation if state else "",
                     "assurance": state.assurance if state else "",
                     "trial_limits": bool(state.trial_limits) if state else False}
                )  # fmt: skip
    return pd.DataFrame(rows, columns=TILE_COLUMNS)


def _tile(indicator: Indicator, row: dict | None, city: bool) -> dict:
    """A tile's figures and words (without its sparkline)."""
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
    change = value - base if not (np.isnan(value) or np.isnan(base)) else np.nan
    return {
        "indicator_id": indicator.id,
        "aim": indicator.aim,
        "title": indicator.title,
        "unit": unit,
        "value": value,
        "lower_ci": lower,
        "upper_ci": upper,
        "value_text": format_value(value, unit) if row is not None else NO_DATA,
        "interval_text": format_interval(lower, upper, unit),
        "baseline_text": (
            f"Baseline {base_period}: {format_value(base, unit)}"
            if isinstance(base_period, str) and base_period
            else "No baseline"
        ),
        "change": change,
        "change_text": (
            ""
            if np.isnan(change)
            else f"{'+' if change >= 0 else '−'}{abs(change):,.1f}"
            f"{' points' if unit == '%' else ''} since baseline"
        ),
        "progress": progress,
        "trend": trend,
        "comparison": "" if city else comparison,
    }
