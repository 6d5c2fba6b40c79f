"""The interval an indicator asked for (`ci:`), at any confidence, over whole columns.

`compute` puts the 95% limits in the tidy frame; a comparison by
`ci_overlap_95_998` also needs the 99.8% limits, worked out here from the
same counts by the same method, so the two levels always agree. Which method
fits which kind is `indicators.measure_kinds`; the arithmetic is
`indicators.methods`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from indicators import methods
from indicators.config.spec import Indicator
from indicators.measure_kinds import Denominator, Interval, interval_for


def interval_of(indicator: Indicator) -> Interval:
    """The indicator's own `ci`, or its kind's default."""
    return interval_for(indicator.measure.type, indicator.ci)


def count_limits(
    indicator: Indicator, numerator: pd.Series, denominator: pd.Series, confidence: float
) -> pd.DataFrame:
    """value, lower, upper from counts, for kinds counted as x over n (not means or medians).

    A count has no denominator (x over 1, multiplier 1); a missing or zero
    denominator gives a missing row, never an error.
    """
    rule = indicator.measure.kind
    num = numerator.astype(float)
    if rule.denominator is Denominator.NONE:
        den, multiplier = pd.Series(1.0, index=num.index), 1.0
    else:
        den, multiplier = denominator.astype(float), indicator.measure.multiplier
    valid = den > 0
    num, den = num.where(valid), den.where(valid)
    interval = interval_of(indicator)
    if interval is Interval.WILSON:
        return methods.proportion_ci(num, den, multiplier=multiplier, confidence=confidence)
    if interval is Interval.BYAR:
        return methods.rate_ci(num, den, multiplier=multiplier, confidence=confidence)
    missing = np.full(len(num), np.nan)
    value = (num / den * multiplier).to_numpy()
    return pd.DataFrame({"value": value, "lower": missing, "upper": missing}, index=num.index)


def mean_limits(
    indicator: Indicator, mean: pd.Series, sd: pd.Series, n: pd.Series, confidence: float
) -> pd.DataFrame:
    """value, lower, upper for a mean or median from its group's centre, sample sd and size.

    Student's t when the indicator's interval is `student_t` (NaN below 2
    values); otherwise no limits.
    """
    size = n.to_numpy(dtype=float)
    centre = mean.to_numpy(dtype=float)
    if interval_of(indicator) is Interval.STUDENT_T:
        level = methods.normalise_confidence(confidence)
        with np.errstate(invalid="ignore", divide="ignore"):
            quantile = stats.t.ppf(level + (1 - level) / 2, size - 1)
            half = quantile * sd.to_numpy(dtype=float) / np.sqrt(size)
        half = np.where(size >= 2, half, np.nan)
    else:
        half = np.full(len(centre), np.nan)
    return pd.DataFrame({"value": centre, "lower": centre - half, "upper": centre + half})


def limits_at(rows: pd.DataFrame, indicator: Indicator, confidence: float) -> pd.DataFrame:
    """lower, upper at `confidence` for tidy rows of `indicator` (which hold the 95% limits).

    Counted kinds are recomputed from numerator and denominator; a mean's
    Student's t limits are rescaled from its 95% half-width (the sd is not
    kept in the tidy frame). Suppressed rows have no counts, so no limits.
    """
    rule = indicator.measure.kind
    if rule.centre is None:
        found = count_limits(indicator, rows["numerator"], rows["denominator"], confidence)
        return pd.DataFrame(
            {"lower": found["lower"].to_numpy(), "upper": found["upper"].to_numpy()},
            index=rows.index,
        )
    n = rows["numerator"].to_numpy(dtype=float)
    half95 = (rows["upper_ci"] - rows["lower_ci"]).to_numpy(dtype=float) / 2
    level = methods.normalise_confidence(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = stats.t.ppf(level + (1 - level) / 2, n - 1) / stats.t.ppf(0.975, n - 1)
    value = rows["value"].to_numpy(dtype=float)
    return pd.DataFrame(
        {"lower": value - half95 * ratio, "upper": value + half95 * ratio}, index=rows.index
    )
