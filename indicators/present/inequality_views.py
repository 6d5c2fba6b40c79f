"""Who is being reached across deprivation? The slope index of inequality, shown.

For an indicator that is a rate or a proportion with a deprivation-decile
breakdown, the load (`indicators.publish.inequality`) works out the city's ten deciles in a period
(most deprived first) at their relative rank, the fitted line through them,
and the gap between the two ends of the deprivation scale — the SII, with its
95% interval, and the RII — in that period and in the baseline like for like,
with the change between them. The statistics are PHEindicatormethods'
``phe_sii`` (``indicators.methods.sii``) with ``transform=True``: fitted to
log rates or logit proportions, as its documentation recommends. A decile that
has no events (or all) cannot be logged, so then the fit is untransformed on
the raw values; a suppressed decile leaves the gap uncomputed. Here: the view
rebuilt from those stored rows (`stored_view`) and said in words, with no
statistics imported, so an aim page starts quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.config.spec import Indicator, Strategy
from indicators.measure_kinds import MeasureKind
from indicators.periods import baseline_for

BREAKDOWN = "deprivation_decile"
DECILES = [str(d) for d in range(1, 11)]  # IMD decile 1 is the most deprived
POINT_COLUMNS = ["indicator_id", "period", "decile", "denominator", "value", "lower_ci",
                 "upper_ci", "rank"]  # fmt: skip
LINE_COLUMNS = ["indicator_id", "period", "rank", "fitted"]
GAP_COLUMNS = [
    "indicator_id",
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


def stored_view(
    points: pd.DataFrame,
    line: pd.DataFrame,
    gaps: pd.DataFrame,
    indicator: Indicator,
    strategy: Strategy,
    period: str,
) -> InequalityView:
    """The view of `period` from the stored rows: its deciles and fitted line, and the gaps
    of every period (`gaps`), of which it keeps the period's and its baseline's."""
    baseline = baseline_for(period, indicator.baseline_period or strategy.baseline_period)
    kept = gaps[gaps["period"].isin([period, baseline])]
    return InequalityView(
        indicator.id,
        period,
        baseline,
        points.drop(columns=["indicator_id", "period"], errors="ignore").reset_index(drop=True),
        line.drop(columns=["indicator_id", "period"], errors="ignore").reset_index(drop=True),
        kept.drop(columns=["indicator_id"], errors="ignore").reset_index(drop=True),
    )


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
