"""Who is being reached across deprivation? The slope index of inequality, shown.

For an indicator that is a rate or a proportion with a deprivation-decile
breakdown, :func:`inequality_view` gives the city's ten deciles in a period
(most deprived first) at their relative rank, the fitted line through them,
and the gap between the two ends of the deprivation scale — the SII, with its
95% interval, and the RII — in that period and in the baseline like for like,
with the change between them. The statistics are PHEindicatormethods'
``phe_sii`` (``indicators.methods.sii``) with ``transform=True``: fitted to
log rates or logit proportions, as its documentation recommends. A decile that
has no events (or all) cannot be logged, so then the fit is untransformed on
the raw values; a suppressed decile leaves the gap uncomputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from indicators import methods
from indicators.config.spec import Indicator, Strategy
from indicators.measure_kinds import MeasureKind
from indicators.periods import baseline_for

BREAKDOWN = "deprivation_decile"
DECILES = [str(d) for d in range(1, 11)]  # IMD decile 1 is the most deprived
GAP_COLUMNS = [
    "period",
    "sii",
    "sii_lower",
    "sii_upper",
    "rii",
    "rii_lower",
    "rii_upper",
    "intercept",
    "fit",
]
_REPETITIONS = 10_000  # phe_sii's simulation; seeded, so the same load gives the same gap
_LINE_POINTS = 21


@dataclass(frozen=True)
class InequalityView:
    """The deciles at their ranks (`points`), the fitted line (`line`) and the gap
    (`gaps`: one row for the period, one for its baseline when there is one)."""

    indicator_id: str
    period: str
    baseline_period: str
    points: pd.DataFrame
    line: pd.DataFrame
    gaps: pd.DataFrame

    @property
    def latest(self) -> pd.Series | None:
        rows = self.gaps[self.gaps["period"] == self.period]
        return rows.iloc[0] if len(rows) else None

    @property
    def baseline(self) -> pd.Series | None:
        rows = self.gaps[self.gaps["period"] == self.baseline_period]
        return rows.iloc[0] if len(rows) and self.baseline_period != self.period else None


def shows_inequality(indicator: Indicator) -> bool:
    """A rate or proportion broken down by deprivation decile has an inequality view."""
    return BREAKDOWN in indicator.breakdowns and indicator.measure.type in (
        MeasureKind.RATE,
        MeasureKind.PROPORTION,
    )


def _deciles(results: pd.DataFrame, indicator_id: str, period: str) -> pd.DataFrame:
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["breakdown"] == BREAKDOWN)
        & (results["area_type"] == "la")
        & (results["period"] == period)
        & results["category"].isin(DECILES)
    ]
    rows = rows.assign(decile=rows["category"].astype(int)).sort_values("decile")
    return rows[["decile", "denominator", "value", "lower_ci", "upper_ci"]].reset_index(drop=True)


def _gap(rows: pd.DataFrame, indicator: Indicator) -> dict[str, float | str]:
    """SII and RII of one period's deciles (NaN when a decile is missing or hidden)."""
    empty = dict.fromkeys(GAP_COLUMNS[1:-1], np.nan) | {"fit": "none"}
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


def _fitted_line(gap: pd.Series, scale: float) -> pd.DataFrame:
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


def inequality_view(
    results: pd.DataFrame, strategy: Strategy, indicator_id: str, period: str
) -> InequalityView:
    """The city's deciles, fitted line and gap in `period`, and the gap at its baseline."""
    indicator = strategy.indicator(indicator_id)
    baseline = baseline_for(period, indicator.baseline_period or strategy.baseline_period)
    scale = (
        indicator.measure.multiplier if indicator.measure.type == MeasureKind.PROPORTION else 1.0
    )
    points = _deciles(results, indicator_id, period)
    share = points["denominator"] / points["denominator"].sum()
    points["rank"] = (share.cumsum() - share / 2).to_numpy()
    gaps = pd.DataFrame(
        [
            {"period": p, **_gap(_deciles(results, indicator_id, p), indicator)}
            for p in dict.fromkeys((period, baseline))
        ],
        columns=GAP_COLUMNS,
    )
    latest = gaps.iloc[0]
    line = (
        _fitted_line(latest, scale)
        if np.isfinite(latest["sii"])
        else pd.DataFrame(columns=["rank", "fitted"])
    )
    return InequalityView(indicator_id, period, baseline, points, line, gaps)


def _number(value: float) -> str:
    return f"{value:,.1f}"


def inequality_words(view: InequalityView, indicator: Indicator) -> str:
    """The gap in words with its interval, and its change since baseline.

    The change is called a narrowing or widening only when the two periods'
    95% intervals do not overlap, as every change in the pack is.
    """
    latest = view.latest
    if latest is None or not np.isfinite(latest["sii"]):
        return (
            f"The gap across deprivation cannot be computed for {view.period}: "
            "a decile is missing or withheld to protect small numbers."
        )
    unit = indicator.unit
    direction = "higher" if latest["sii"] > 0 else "lower"
    text = (
        f"In {view.period} the fitted value is {_number(abs(latest['sii']))} {unit} {direction} "
        f"in the least deprived areas than in the most deprived (slope index of inequality "
        f"{_number(latest['sii'])}, 95% interval {_number(latest['sii_lower'])} to "
        f"{_number(latest['sii_upper'])}; relative index {latest['rii']:.2f})."
    )
    if latest["sii_lower"] <= 0 <= latest["sii_upper"]:
        text += " The interval includes no gap."
    base = view.baseline
    if base is None or not np.isfinite(base["sii"]):
        return text + f" No gap can be computed for the baseline ({view.baseline_period})."
    change = latest["sii"] - base["sii"]
    overlap = latest["sii_lower"] <= base["sii_upper"] and base["sii_lower"] <= latest["sii_upper"]
    if overlap:
        verdict = "no significant change"
    else:
        verdict = "the gap narrowed" if abs(latest["sii"]) < abs(base["sii"]) else "the gap widened"
    return text + (
        f" Since the baseline ({view.baseline_period}, SII {_number(base['sii'])}) it changed by "
        f"{change:+,.1f}: {verdict}."
    )


def inequality_sentence(
    results: pd.DataFrame, strategy: Strategy, indicator_id: str, period: str
) -> str | None:
    """The gap in words for the board pack, or None where the view does not apply."""
    indicator = strategy.indicator(indicator_id)
    if not shows_inequality(indicator):
        return None
    return inequality_words(inequality_view(results, strategy, indicator_id, period), indicator)
