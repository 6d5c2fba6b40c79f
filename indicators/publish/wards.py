"""The scrutiny committee's ward frames, for every indicator, review period and ward set.

Wards ranked with their significance against the city, the funnel plot's
points and limits, and each ward's profile (every indicator against the
city). All come from the stored judgements (`summaries.summaries`), so the
comparison with the city is the one the landing page and the pack show.
Every frame holds both sets of wards (`indicators.ward_vintages`), keyed by
`area_type` (`ward`: 2011–2023, `ward_2023`: May 2023); a ward is ranked
among the wards of its own set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.present.status_words import COMPARISON_WORDS, TREND_WORDS
from indicators.present.views import format_interval, format_value
from indicators.present.ward_words import comparison_with_city
from indicators.ward_vintages import WARD_AREA_TYPES

WARD_TABLE_COLUMNS = ["rank", "area_code", "area_name", "numerator", "denominator", "value",
                      "lower_ci", "upper_ci", "compared_with_city", "suppressed"]  # fmt: skip
KEYS = ["indicator_id", "period", "area_type"]
POINT_COLUMNS = [*KEYS, *WARD_TABLE_COLUMNS, "funnel"]
LIMIT_COLUMNS = [*KEYS, "denominator", "lower_95", "upper_95", "lower_99.8", "upper_99.8",
                 "average"]  # fmt: skip
PROFILE_COLUMNS = ["Indicator", "Ward", "95% interval", "City", "Compared with the city",
                   "Rank (1 = highest or best)", "Trend", "Note"]  # fmt: skip


def _ward_rows(summary: pd.DataFrame) -> pd.DataFrame:
    whole = summary[summary["breakdown"] == "all"]
    return whole[whole["area_type"].isin(WARD_AREA_TYPES) & (whole["area_code"] != "unknown")]


def ward_tables(summary: pd.DataFrame, strategy: Strategy) -> pd.DataFrame:
    """Every ward ranked among its set (1 = highest, or best where low is good) per
    indicator and period; wards whose figure is suppressed come last."""
    wards = _ward_rows(summary).copy()
    low_is_good = {i.id: i.polarity == "low_is_good" for i in strategy.indicators}
    # One sort for every indicator: negate the values where high ranks first.
    order = np.where(wards["indicator_id"].map(low_is_good).astype(bool), 1.0, -1.0)
    wards["order"] = wards["value"].to_numpy(dtype=float) * order
    wards = wards.sort_values([*KEYS, "order"], na_position="last")
    wards["rank"] = wards.groupby(KEYS).cumcount() + 1
    wards["compared_with_city"] = (
        wards["comparison_with_city"].map(COMPARISON_WORDS).fillna("").map(comparison_with_city)
    )
    wards[["value", "lower_ci", "upper_ci"]] = wards[["value", "lower_ci", "upper_ci"]].round(1)
    return wards[[*KEYS, *WARD_TABLE_COLUMNS]].reset_index(drop=True)


def funnels(tables: pd.DataFrame, strategy: Strategy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The funnel plot of every indicator and period that has one: (points, limits).

    Funnels need a count and a denominator of the same kind (proportions and
    rates); points are wards with a published figure, limits 95% and 99.8%
    around the wards' pooled average, on a grid of 100 denominators.
    """
    points, limits = [], []
    for (indicator_id, period, area_type), table in tables.groupby(KEYS, sort=True):
        indicator = strategy.indicator(indicator_id)
        kind = indicator.measure.kind.funnel
        table = table[~table["suppressed"].astype(bool) & table["denominator"].gt(0)]
        if kind is None or table.empty:
            continue
        m = indicator.measure.multiplier
        average = table["numerator"].sum() / table["denominator"].sum()
        grid = np.linspace(table["denominator"].min() * 0.8, table["denominator"].max() * 1.1, 100)
        limits_for = (
            methods.proportion_funnel_limits if kind == "proportion" else methods.rate_funnel_limits
        )
        band = pd.DataFrame(
            {"indicator_id": indicator_id, "period": period, "area_type": area_type,
             "denominator": grid}
        )  # fmt: skip
        # Proportion funnels take the average on a 0-1 scale, rate funnels per multiplier.
        scale_average = average if kind == "proportion" else average * m
        for confidence, label in ((0.95, "95"), (0.998, "99.8")):
            found = limits_for(scale_average, grid, confidence=confidence, multiplier=m)
            band[f"lower_{label}"] = found["lower"].to_numpy()
            band[f"upper_{label}"] = found["upper"].to_numpy()
        band["average"] = average * m
        limits.append(band)
        points.append(
            table.assign(
                funnel=methods.classify_funnel_points(
                    table["numerator"].to_numpy(),
                    table["denominator"].to_numpy(),
                    value_type=kind,
                    multiplier=m,
                    average=scale_average,
                )
            )
        )
    return (
        pd.concat(points, ignore_index=True) if points else pd.DataFrame(columns=POINT_COLUMNS),
        pd.concat(limits, ignore_index=True) if limits else pd.DataFrame(columns=LIMIT_COLUMNS),
    )


@dataclass(frozen=True)
class _ProfileFigures:
    """The figures a ward profile's lines are written from, keyed for direct lookup."""

    city: dict[tuple[str, str], float]  # (period, indicator) → the city's value
    wards: dict[tuple[str, str, str], dict]  # (period, ward, indicator) → its summary row
    ranks: dict[tuple[str, str, str], int]  # (period, ward, indicator) → its rank
    ranked: dict[tuple[str, str, str], int]  # (period, indicator, ward set) → wards ranked

    def line(self, indicator: Indicator, period: str, ward_code: str) -> dict[str, str]:
        """One indicator's line of a ward's profile, in words."""
        unit = indicator.unit
        here, key = (period, indicator.id), (period, ward_code, indicator.id)
        row = dict.fromkeys(PROFILE_COLUMNS, "")
        row["Indicator"] = indicator.title
        row["City"] = format_value(self.city[here], unit) if here in self.city else ""
        if "ward" not in indicator.breakdowns:
            row["Ward"] = "not measured by ward"
            return row
        if key not in self.wards:
            row["Ward"] = "no data in this period"
            return row
        ward = self.wards[key]
        trend = ward["trend_assessment"]
        row["Ward"] = format_value(ward["value"], unit)
        row["95% interval"] = format_interval(ward["lower_ci"], ward["upper_ci"], unit)
        row["Compared with the city"] = comparison_with_city(
            COMPARISON_WORDS.get(ward["comparison_with_city"], "")
        )
        row["Rank (1 = highest or best)"] = (
            f"{int(self.ranks[key])} of {self.ranked[(*here, ward['area_type'])]}"
            if key in self.ranks and not ward["suppressed"]
            else "c"
        )
        row["Trend"] = TREND_WORDS.get(trend, "") if isinstance(trend, str) else ""
        row["Note"] = ward["sentence"] if isinstance(ward.get("sentence"), str) else ""
        return row


def ward_profiles(summary: pd.DataFrame, tables: pd.DataFrame, strategy: Strategy) -> pd.DataFrame:
    """Every tile indicator for every ward (of both sets) and period against the city:
    value, interval, comparison, rank among its set's wards, trend and the period's
    generated note (`present.commentary.sentence`), in words. Indicators not cut
    by ward, or with no rows for the ward in the period, say so rather than
    disappear."""
    whole = summary[summary["breakdown"] == "all"]
    ward_rows = _ward_rows(summary)
    figures = _ProfileFigures(
        city={
            (row["period"], row["indicator_id"]): row["value"]
            for row in whole[whole["area_type"] == "la"].to_dict("records")
        },
        wards={
            (row["period"], row["area_code"], row["indicator_id"]): row
            for row in ward_rows.to_dict("records")
        },
        ranks={
            (row.period, row.area_code, row.indicator_id): row.rank
            for row in tables[["period", "area_code", "indicator_id", "rank"]].itertuples(
                index=False
            )
        },
        ranked=tables.groupby(["period", "indicator_id", "area_type"]).size().to_dict(),
    )
    shown = [i for i in strategy.indicators if i.measure.kind.tile]
    rows = [
        {"period": period, "area_code": ward_code, "position": position,
         **figures.line(indicator, period, ward_code)}
        for period in sorted(summary["period"].unique())
        for ward_code in sorted(ward_rows["area_code"].unique())
        for position, indicator in enumerate(shown)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["period", "area_code", "position", *PROFILE_COLUMNS])
