"""The JSNA context, judged at load: the area's latest public figures against its comparators.

Built from the public `jsna` rows with the national profiles' comparison rule
(95% interval overlap) for every comparator at once, so the JSNA page and the
pack's context page only read the spine of the comparator the reader chose.
Percentiles interpolate linearly between ranks (pandas' default, Excel's
PERCENTILE.INC).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.context import JSNA_THEMES
from indicators.config.spec import Strategy
from indicators.present.jsna_views import comparator_groups, period_words
from indicators.statuses import Polarity
from indicators.store import inventory


def jsna_spines(warehouse: Path, strategy: Strategy) -> pd.DataFrame:
    """The spine against every comparator, keyed by `comparator` (a role), in `position`
    order within each."""
    frames = [
        spine_from_warehouse(warehouse, strategy, c.role).assign(comparator=c.role)
        for c in strategy.comparators
    ]
    frames = [f.assign(position=range(len(f))) for f in frames if len(f)]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["comparator", "position", "indicator_id"])
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
        spread = all_las.loc[all_las["indicator_id"] == indicator_id, "value"].dropna()
        out.append(
            {
                "indicator_id": indicator_id,
                "indicator": city["indicator_name"],
                "period": city["time_period"],
                "unit": city["unit"],
                "period_type": city["period_type"],
                "theme": city["theme"],
                "value": city["value"],
                "lower_ci": lower,
                "upper_ci": upper,
                **values,
                "la_count": len(spread),
                "la_min": spread.min(),
                "la_p25": spread.quantile(0.25),
                "la_p75": spread.quantile(0.75),
                "la_max": spread.max(),
                "polarity": polarity.get(indicator_id, Polarity.NO_JUDGEMENT.value),
            }
        )
    return with_ends(pd.DataFrame(out))


def with_ends(latest: pd.DataFrame) -> pd.DataFrame:
    """`worst` and `best` of the LA range by each row's polarity (lowest, highest without one).

    >>> with_ends(pd.DataFrame({"la_min": [1.0], "la_max": [9.0], "polarity": ["low_is_good"]}))[
    ...     ["worst", "best"]].values.tolist()
    [[9.0, 1.0]]
    """
    if latest.empty:
        return latest.assign(worst=[], best=[])
    low_is_good = latest["polarity"] == Polarity.LOW_IS_GOOD
    return latest.assign(
        worst=np.where(low_is_good, latest["la_max"], latest["la_min"]),
        best=np.where(low_is_good, latest["la_min"], latest["la_max"]),
    )


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


def jsna_spine(
    rows: pd.DataFrame,
    all_las: pd.DataFrame,
    areas: pd.DataFrame,
    strategy: Strategy,
    comparator: str,
) -> pd.DataFrame:
    """Every JSNA indicator at its latest period, ready for the spine and its table.

    `rows`, `all_las` and `areas` are `inventory.jsna_rows` (for the area and
    every comparator area), `inventory.jsna_all_las` and
    `inventory.comparator_areas`; `comparator` is a comparator role (england,
    region or statistical_neighbours) the `comparison` codes are against. Rows
    come in theme order (`JSNA_THEMES`), then in the YAML's order; titles are
    the YAML's.
    """
    sources = {source.id: source for source in strategy.jsna}
    groups = comparator_groups(areas, strategy)
    polarity = {source_id: source.polarity for source_id, source in sources.items()}
    latest = jsna_latest(rows, all_las, strategy.area_code, groups, polarity)
    if latest.empty:
        return latest
    latest = latest[latest["indicator_id"].isin(sources)].copy()
    latest["indicator"] = latest["indicator_id"].map(lambda i: sources[i].title)
    latest["period_label"] = [
        period_words(p, t) for p, t in zip(latest["period"], latest["period_type"], strict=True)
    ]
    latest["comparison"] = compare_jsna(latest, comparator).astype(str)
    order = list(sources)
    latest["_order"] = [
        (JSNA_THEMES.index(t) if t in JSNA_THEMES else len(JSNA_THEMES), order.index(i))
        for t, i in zip(latest["theme"], latest["indicator_id"], strict=True)
    ]
    return latest.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def spine_from_warehouse(warehouse: Path, strategy: Strategy, comparator: str) -> pd.DataFrame:
    """`jsna_spine` read straight from a warehouse (the board pack; a stored publication)."""
    areas = inventory.comparator_areas(warehouse)
    codes = [
        strategy.area_code,
        *(c for cs in comparator_groups(areas, strategy).values() for c in cs),
    ]
    return jsna_spine(
        inventory.jsna_rows(warehouse, codes),
        inventory.jsna_all_las(warehouse),
        areas,
        strategy,
        comparator,
    )
