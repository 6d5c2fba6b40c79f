"""Who is being reached across deprivation, worked out at load for every indicator and period.

For each rate or proportion with a deprivation-decile breakdown
(`present.inequality_views.shows_inequality`) and every half-year: the city's
ten deciles at their relative rank, the slope index of inequality as
PHEindicatormethods' ``phe_sii`` computes it (``transform=True``: fitted to log
rates or logit proportions; a decile of 0 or 100% cannot be logged, so then the
fit is untransformed), and the fitted line. The aim pages and the pack read
these rows and word them (`present.inequality_views.inequality_words`); a
suppressed decile leaves the gap uncomputed, never estimated from hidden counts.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import special

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.measure_kinds import MeasureKind
from indicators.present.inequality_views import (
    BREAKDOWN,
    DECILES,
    GAP_COLUMNS,
    LINE_COLUMNS,
    POINT_COLUMNS,
    InequalityView,
    shows_inequality,
    stored_view,
)
from indicators.present.views import half_years

_REPETITIONS = 10_000  # phe_sii's simulation; seeded, so the same load gives the same gap
_LINE_POINTS = 21


def _deciles(results: pd.DataFrame, indicator_id: str, period: str) -> pd.DataFrame:
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["breakdown"] == BREAKDOWN)
        & (results["area_type"] == "la")
        & (results["period"] == period)
        & results["category"].isin(DECILES)
    ]
    rows = rows.assign(decile=rows["category"].astype(int)).sort_values("decile")
    points = rows[["decile", "denominator", "value", "lower_ci", "upper_ci"]].reset_index(drop=True)
    share = points["denominator"] / points["denominator"].sum()
    points["rank"] = (share.cumsum() - share / 2).to_numpy()
    return points


def _gap(rows: pd.DataFrame, indicator: Indicator) -> dict[str, float | str]:
    """SII and RII of one period's deciles (NaN when a decile is missing or hidden)."""
    empty = dict.fromkeys(GAP_COLUMNS[2:-1], np.nan) | {"fit": "none"}
    numbers = rows[["denominator", "value", "lower_ci", "upper_ci"]].to_numpy(dtype=float)
    if len(rows) != len(DECILES) or not np.isfinite(numbers).all():
        return empty
    proportion = indicator.measure.type == MeasureKind.PROPORTION
    scale = indicator.measure.multiplier if proportion else 1.0
    value_type = "proportion" if proportion else "rate"
    values, lowers, uppers = (
        rows[c].to_numpy(dtype=float) / scale for c in ("value", "lower_ci", "upper_ci")
    )
    shared = {
        "lowers": lowers,
        "uppers": uppers,
        "multiplier": scale,
        "repetitions": _REPETITIONS,
        "seed": 0,
    }
    try:
        got = methods.sii(
            values, rows["denominator"], value_type=value_type, transform=True, **shared
        )
        fit = "logit" if proportion else "log"
    except ValueError:  # a 0 (or 100%) decile cannot be logged: fit the raw values
        got = methods.sii(values, rows["denominator"], value_type="other", **shared)
        fit = "linear"
    return got | {"fit": fit}


def _fitted_line(gap: dict, scale: float) -> pd.DataFrame:
    """The fitted value from rank 0 to 1: a straight line, or the back-transformed
    straight line of the log or logit fit, through the two ends the SII joins."""
    rank = np.linspace(0, 1, _LINE_POINTS)
    start = gap["intercept"] / scale
    end = start + gap["sii"] / scale
    if gap["fit"] == "log":
        fitted = start * (end / start) ** rank
    elif gap["fit"] == "logit":
        fitted = special.expit(
            special.logit(start) + rank * (special.logit(end) - special.logit(start))
        )
    else:
        fitted = start + rank * (end - start)
    return pd.DataFrame({"rank": rank, "fitted": fitted * scale})


def inequality_tables(
    results: pd.DataFrame, strategy: Strategy
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(points, lines, gaps) of every indicator with an inequality view, every half-year;
    each keyed by `indicator_id` and `period`."""
    points, lines, gaps = [], [], []
    for indicator in (i for i in strategy.indicators if shows_inequality(i)):
        scale = (
            indicator.measure.multiplier
            if indicator.measure.type == MeasureKind.PROPORTION
            else 1.0
        )
        for period in half_years(results):
            deciles = _deciles(results, indicator.id, period)
            if deciles.empty:
                continue
            key = {"indicator_id": indicator.id, "period": period}
            gap = _gap(deciles, indicator)
            points.append(deciles.assign(**key))
            gaps.append(key | gap)
            if np.isfinite(gap["sii"]):
                lines.append(_fitted_line(gap, scale).assign(**key))
    return (
        pd.concat(points, ignore_index=True)[POINT_COLUMNS]
        if points
        else pd.DataFrame(columns=POINT_COLUMNS),
        pd.concat(lines, ignore_index=True)[LINE_COLUMNS]
        if lines
        else pd.DataFrame(columns=LINE_COLUMNS),
        pd.DataFrame(gaps, columns=GAP_COLUMNS),
    )


def inequality_view(
    results: pd.DataFrame, strategy: Strategy, indicator_id: str, period: str
) -> InequalityView:
    """One indicator's view of `period` computed afresh from `results`: what the stored rows
    hold, for tests and for an analyst's preview."""
    indicator = strategy.indicator(indicator_id)
    points, lines, gaps = inequality_tables(results, replace(strategy, indicators=(indicator,)))
    return stored_view(
        points[points["period"] == period],
        lines[lines["period"] == period],
        gaps,
        indicator,
        strategy,
        period,
    )
