"""The frames the ward pages show: wards ranked, the funnel plot's data, one ward's profile.

Built from the engine's results (after disclosure control), like `views`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Strategy
from indicators.engine.summary import compare_to, summarise
from indicators.present.status_words import COMPARISON_WORDS, TREND_WORDS
from indicators.present.views import format_interval, format_value


def ward_table(
    results: pd.DataFrame, strategy: Strategy, indicator_id: str, period: str
) -> pd.DataFrame:
    """Every ward ranked, with its interval and its significance against the city."""
    indicator = strategy.indicator(indicator_id)
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["period"] == period)
        & (results["breakdown"] == "all")
    ]
    city = rows[rows["area_type"] == "la"]
    wards = rows[(rows["area_type"] == "ward") & (rows["area_code"] != "unknown")].copy()
    city_value = city["value"].iloc[0] if len(city) else np.nan
    wards["compared_with_city"] = (
        compare_to(wards, np.full(len(wards), city_value), indicator) if len(wards) else []
    )
    wards["compared_with_city"] = wards["compared_with_city"].map(COMPARISON_WORDS)
    ascending = indicator.polarity == "low_is_good"
    wards = wards.sort_values("value", ascending=ascending, na_position="last")
    wards["rank"] = np.arange(1, len(wards) + 1)
    wards[["value", "lower_ci", "upper_ci"]] = wards[["value", "lower_ci", "upper_ci"]].round(1)
    return wards[
        [
            "rank",
            "area_code",
            "area_name",
            "numerator",
            "denominator",
            "value",
            "lower_ci",
            "upper_ci",
            "compared_with_city",
            "suppressed",
        ]
    ].reset_index(drop=True)


def funnel(
    results: pd.DataFrame, strategy: Strategy, indicator_id: str, period: str
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Wards and funnel limits (95% and 99.8%) around the city average, or None.

    Funnels need a count and a denominator of the same kind: proportions and rates.
    """
    indicator = strategy.indicator(indicator_id)
    kind = indicator.measure.kind.funnel
    table = ward_table(results, strategy, indicator_id, period)
    table = table[~table["suppressed"] & table["denominator"].gt(0)]
    if kind is None or table.empty:
        return None
    m = indicator.measure.multiplier
    average = table["numerator"].sum() / table["denominator"].sum()
    grid = np.linspace(table["denominator"].min() * 0.8, table["denominator"].max() * 1.1, 100)
    limits_for = (
        methods.proportion_funnel_limits if kind == "proportion" else methods.rate_funnel_limits
    )
    limits = pd.DataFrame({"denominator": grid})
    # Proportion funnels take the average on a 0-1 scale, rate funnels per multiplier.
    scale_average = average if kind == "proportion" else average * m
    for confidence, label in ((0.95, "95"), (0.998, "99.8")):
        band = limits_for(scale_average, grid, confidence=confidence, multiplier=m)
        limits[f"lower_{label}"] = band["lower"].to_numpy()
        limits[f"upper_{label}"] = band["upper"].to_numpy()
    limits["average"] = average * m
    table["funnel"] = methods.classify_funnel_points(
        table["numerator"].to_numpy(),
        table["denominator"].to_numpy(),
        value_type=kind,
        multiplier=m,
        average=scale_average,
    )
    return table, limits


def ward_profile(
    results: pd.DataFrame, strategy: Strategy, period: str, ward_code: str
) -> pd.DataFrame:
    """Every indicator for one ward against the city: value, interval, rank, trend.

    Indicators not cut by ward, or with no rows for the ward in the period,
    say so rather than disappear.
    """
    summary = summarise(results, strategy, period)
    whole = summary[summary["breakdown"] == "all"]
    ward = whole[whole["area_code"] == ward_code].set_index("indicator_id")
    city = whole[whole["area_type"] == "la"].set_index("indicator_id")
    rows = []
    for indicator in strategy.indicators:
        if not indicator.measure.kind.tile:
            continue
        unit = indicator.unit
        city_text = (
            format_value(city.loc[indicator.id, "value"], unit)
            if indicator.id in city.index
            else ""
        )
        row = {
            "Indicator": indicator.title,
            "Ward": "",
            "95% interval": "",
            "City": city_text,
            "Compared with city": "",
            "Rank (1 = highest or best)": "",
            "Trend": "",
        }
        if "ward" not in indicator.breakdowns:
            row["Ward"] = "not measured by ward"
        elif indicator.id not in ward.index:
            row["Ward"] = "no data in this period"
        else:
            here = ward.loc[indicator.id]
            ranked = ward_table(results, strategy, indicator.id, period).set_index("area_code")
            trend = here["trend_assessment"]
            row.update(
                {
                    "Ward": format_value(here["value"], unit),
                    "95% interval": format_interval(here["lower_ci"], here["upper_ci"], unit),
                    "Compared with city": COMPARISON_WORDS.get(here["comparison_with_city"], ""),
                    "Rank (1 = highest or best)": (
                        f"{int(ranked.loc[ward_code, 'rank'])} of {len(ranked)}"
                        if ward_code in ranked.index and not here["suppressed"]
                        else "c"
                    ),
                    "Trend": TREND_WORDS.get(trend, "") if isinstance(trend, str) else "",
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)
