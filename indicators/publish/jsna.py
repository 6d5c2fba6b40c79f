"""The JSNA context, judged at load: the area's latest public figures against its comparators.

Built from the public `jsna` rows with the national profiles' comparison rule
(95% interval overlap), for every comparator at once, so the JSNA page and the
pack's context page only read the comparison the reader chose.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Strategy
from indicators.present.jsna_views import comparator_groups
from indicators.store import inventory


def jsna_tables(warehouse: Path, strategy: Strategy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(latest, compared): `jsna_latest` for the strategy's area and comparators, and the
    area against each comparator (`indicator_id, comparator, compared`, a comparison code)."""
    groups = comparator_groups(inventory.comparator_areas(warehouse), strategy)
    codes = [strategy.area_code, *(c for cs in groups.values() for c in cs)]
    latest = jsna_latest(
        inventory.jsna_rows(warehouse, codes),
        inventory.jsna_all_las(warehouse),
        strategy.area_code,
        groups,
        {s.id: s.polarity for s in strategy.jsna},
    )
    compared = [
        pd.DataFrame(
            {
                "indicator_id": latest["indicator_id"],
                "comparator": role,
                "compared": compare_jsna(latest, role),
            }
        )
        for role in groups
        if len(latest)
    ]
    columns = ["indicator_id", "comparator", "compared"]
    return latest, pd.concat(compared, ignore_index=True) if compared else pd.DataFrame(
        columns=columns
    )


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
    (`indicators.statuses`)."""
    labels = methods.compare_to_benchmark(
        latest["value"].to_numpy(),
        latest["lower_ci"].to_numpy(),
        latest["upper_ci"].to_numpy(),
        latest[comparator].to_numpy(dtype=float),
        polarity=latest["polarity"].to_numpy(),
    )
    return pd.Series(labels, index=latest.index)
