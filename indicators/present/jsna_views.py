"""The frames the JSNA context page shows: the city against its comparators.

Built from the public `jsna` rows, with the national profiles' comparison rule.
Comparators are keyed by their role in the strategy (england, region,
statistical_neighbours), never by a name a reader sees.

The spine follows the Fingertips convention: England at the centre line, the
bar from the worst to the best English authority, the 25th to 75th
percentiles shaded, polarity deciding which end is worst (for an indicator
with no judgement, the lowest is drawn where the worst would be). Percentiles
interpolate linearly between ranks (pandas' default, Excel's PERCENTILE.INC).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.context import JSNA_THEMES
from indicators.config.spec import Strategy
from indicators.methods.statuses import Polarity
from indicators.present.status_words import COMPARISON_WORDS
from indicators.store import inventory


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


def spine_positions(latest: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Where each of `columns` sits on the spine: 0 = worst end, 0.5 = England, 1 = best end.

    As Fingertips draws it: England is the centre line and the side of the
    bar that reaches furthest from England fills its half, so both halves
    share one scale and distances from England compare across the line.
    A row without an England value or any spread is left blank (NaN).
    """
    england = latest["england"].astype(float)
    reach = np.maximum((latest["worst"] - england).abs(), (latest["best"] - england).abs())
    reach = reach.replace(0, np.nan)
    direction = np.where(latest["best"] >= latest["worst"], 1.0, -1.0)
    return pd.DataFrame(
        {c: 0.5 + 0.5 * direction * (latest[c] - england) / reach for c in columns},
        index=latest.index,
    )


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


# The JSNA page's sections, by the `theme:` of each source (config.context.JSNA_THEMES).
THEME_TITLES = {
    "children_in_need": "Children in need and child protection",
    "safeguarding_factors": "Factors identified at the end of assessment",
    "children_in_care": "Children in care and care leavers",
    "education": "Education of children in need and looked after",
    "workforce": "Children's social work workforce",
    "health": "Health",
}


# What the period axis of a series counts, by its period type (config.context.PERIOD_TYPES).
PERIOD_TYPE_WORDS = {
    "academic_year": "Academic year (September to August)",
    "financial_year": "Year to 31 March (financial year)",
    "calendar_year": "Calendar year",
    "september_year": "Year to 30 September (workforce census)",
}


def period_words(time_period: str, period_type: str | None) -> str:
    """A publisher's period label with what it counts, as a reader needs it.

    DfE labels a reporting year by the year it ends in ("2025"): the year to
    31 March 2025. Two-part labels name their own span ("2024/25").

    >>> period_words("2025", "financial_year")
    'year to 31 March 2025'
    >>> period_words("2024/25", "academic_year")
    '2024/25 academic year'
    """
    single = len(str(time_period)) == 4
    if period_type == "financial_year":
        return f"year to 31 March {time_period}" if single else f"{time_period} financial year"
    if period_type == "september_year":
        return f"year to 30 September {time_period}"
    if period_type == "academic_year":
        return f"{time_period} academic year"
    if period_type == "calendar_year":
        return f"{time_period} calendar year"
    return str(time_period)


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


def spine_table(spine: pd.DataFrame, names: dict[str, str], comparator: str) -> pd.DataFrame:
    """The spine as a table a screen reader or a spreadsheet takes: every value it draws.

    `names` maps comparator roles to the names a reader sees; the comparison
    is in words (`status_words.COMPARISON_WORDS`).
    """
    roles = [role for role in names if role in spine.columns]
    table = pd.DataFrame(
        {
            "Indicator": spine["indicator"],
            "Period": spine["period_label"],
            "Unit": spine["unit"],
            "Value": spine["value"].round(1),
            **{names[role]: spine[role].round(1) for role in roles},
            "Worst (or lowest)": spine["worst"].round(1),
            "25th percentile": spine["la_p25"].round(1),
            "75th percentile": spine["la_p75"].round(1),
            "Best (or highest)": spine["best"].round(1),
            "Authorities": spine["la_count"],
            f"Compared with {names.get(comparator, comparator)}": spine["comparison"].map(
                COMPARISON_WORDS
            ),
            "indicator_id": spine["indicator_id"],
        }
    )
    return table
