"""The frames the JSNA context page shows: the city against its comparators.

Built from the public `jsna` rows, with the national profiles' comparison rule.
Comparators are keyed by their role in the strategy (england, region,
statistical_neighbours), never by a name a reader sees.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Strategy


def comparator_groups(areas: pd.DataFrame, strategy: Strategy) -> dict[str, list[str]]:
    """Each of the strategy's comparators (by role) → the area codes it averages over.

    `areas` is the warehouse's `comparators` table: a single-area comparator is
    its own code, a grouping is every statistical neighbour row.
    """
    groups = {}
    for comparator in strategy.comparators:
        if comparator.code:
            groups[comparator.role] = [comparator.code]
        else:
            neighbours = areas["role"] == "statistical_neighbour"
            groups[comparator.role] = areas.loc[neighbours, "area_code"].tolist()
    return groups


def jsna_latest(
    rows: pd.DataFrame,
    all_las: pd.DataFrame,
    city_code: str,
    comparator_codes: dict[str, list[str]],  # role → area codes (`comparator_groups`)
    polarity: dict[str, str],
) -> pd.DataFrame:
    """The latest period of each JSNA indicator: the city, comparators and the LA range.

    The city's interval comes from the publisher where it gives one, else from
    the count and denominator (Wilson for percentages, Byar for rates); the
    comparison with the chosen comparator uses it (95% overlap).
    """
    out = []
    for indicator_id, group in rows.groupby("indicator_id"):
        latest = group[group["time_period_sort"] == group["time_period_sort"].max()]
        city = latest[latest["area_code"] == city_code]
        if city.empty:
            continue
        city = city.iloc[0]
        lower, upper = city["lower_ci_95"], city["upper_ci_95"]
        if np.isnan(lower) and city["count"] > 0 and city["denominator"] > 0:
            interval = (
                methods.proportion_ci(city["count"], city["denominator"])
                if city["unit"] == "%"
                else methods.rate_ci(city["count"], city["denominator"], multiplier=10_000)
            )
            lower, upper = interval["lower"].iloc[0], interval["upper"].iloc[0]
        values = {
            name: latest.loc[latest["area_code"].isin(codes), "value"].mean()
            for name, codes in comparator_codes.items()
        }
        spread = all_las[all_las["indicator_id"] == indicator_id]["value"]
        out.append(
            {
                "indicator_id": indicator_id,
                "indicator": city["indicator_name"],
                "period": city["time_period"],
                "unit": city["unit"],
                "value": city["value"],
                "lower_ci": lower,
                "upper_ci": upper,
                **values,
                "la_min": spread.min(),
                "la_max": spread.max(),
                "polarity": polarity.get(indicator_id, "no_judgement"),
            }
        )
    frame = pd.DataFrame(out)
    return frame


def compare_jsna(latest: pd.DataFrame, comparator: str) -> pd.Series:
    """The city against one comparator column (its role), as comparison codes
    (`methods.statuses`)."""
    labels = methods.compare_to_benchmark(
        latest["value"].to_numpy(),
        latest["lower_ci"].to_numpy(),
        latest["upper_ci"].to_numpy(),
        latest[comparator].to_numpy(dtype=float),
        polarity=latest["polarity"].to_numpy(),
    )
    return pd.Series(labels, index=latest.index)
