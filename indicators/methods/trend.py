"""Change over time for annual indicators: the recent trend and progress to a target.

* :func:`recent_trend` is Fingertips' "recent trend" marker: a weighted
  least-squares slope over the 5 most recent periods with confidence intervals,
  called significant only if it passes a chi-square test at 99.8% *and* keeps
  its sign when any one point is left out.
* :func:`progress_status` answers the strategy's own question, "are we on
  course for the target?", by comparing the observed compound annual growth
  rate since the baseline with the rate needed to reach the target in time.

Monthly operational series use :mod:`indicators.methods.process_control` instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from indicators.methods.benchmark import check_polarity, shape_labels
from indicators.methods.intervals import as_float_array, broadcast
from indicators.statuses import Progress

__all__ = [
    "PROGRESS_LABELS",
    "TREND_CHI2_THRESHOLD",
    "TREND_POINTS",
    "progress_status",
    "recent_trend",
]

#: χ² with 1 degree of freedom at 99.8% (``scipy.stats.chi2.ppf(0.998, 1)``).
TREND_CHI2_THRESHOLD = 9.5495
#: Number of most recent periods the trend test uses.
TREND_POINTS = 5
_TREND_VALUE_TYPES = ("proportion", "rate", "dsr")
# Width of a 95% interval in standard errors, 2 × 1.96, as methods.md states.
_CI95_WIDTH_IN_SE = 3.92

PROGRESS_LABELS = tuple(code.value for code in Progress)
# Ratio of observed to required growth at or above which progress is on track, and so on.
_ON_TRACK, _NEEDS_ACCELERATION = 0.95, 0.6
# A target of 0 cannot be reached by compound growth; methods.md uses 0.001 instead.
_ZERO_TARGET = 0.001


def _weighted_slopes(t: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """WLS slope and its standard error for each row of weights ``w`` (rows × points)."""
    s_w = w.sum(axis=-1)
    s_t = (w * t).sum(axis=-1)
    s_tt = (w * t * t).sum(axis=-1)
    s_y = (w * y).sum(axis=-1)
    s_ty = (w * t * y).sum(axis=-1)
    determinant = s_w * s_tt - s_t**2
    slope = (s_w * s_ty - s_t * s_y) / determinant
    return slope, np.sqrt(s_w / determinant)


def _valid_points(values: np.ndarray, counts: Any, denominators: Any) -> np.ndarray:
    """Fingertips' valid data: a value, and where counts are given a count and a
    denominator above 0 (a missing value means it was suppressed)."""
    valid = np.isfinite(values)
    if counts is None or denominators is None:
        return valid
    x, n, _ = broadcast(
        {
            "counts": as_float_array(counts, "counts"),
            "denominators": as_float_array(denominators, "denominators"),
            "values": values,
        },
        "recent_trend",
    )
    return valid & np.isfinite(x) & (x >= 0) & (n > 0)


def _same_count_and_denominator(counts: Any, denominators: Any, valid: np.ndarray) -> bool:
    """Fingertips refuses a series where any valid point's count equals its denominator."""
    if counts is None or denominators is None:
        return False
    x = np.broadcast_to(as_float_array(counts, "counts"), valid.shape)
    n = np.broadcast_to(as_float_array(denominators, "denominators"), valid.shape)
    return bool(np.any(valid & (x == n)))


def _cannot(result: dict[str, Any], reason: str) -> dict[str, Any]:
    result["reason"] = reason
    return result


def recent_trend(
    values: Any,
    lowers: Any,
    uppers: Any,
    *,
    counts: Any = None,
    denominators: Any = None,
    value_type: str = "proportion",
    polarity: str = "no_judgement",
    period_years: float = 1,
) -> dict[str, Any]:
    """Fingertips' recent-trend marker over the latest 5 periods (oldest first).

    As FingertipsNext's trend calculator (the legacy Fingertips
    ``TrendMarkerCalculator``): the series needs at least 5 valid points (a
    value, and where ``counts`` and ``denominators`` are given a count and a
    denominator above 0), a supported value type (``proportion``, ``rate``,
    ``dsr``), periods of one year (``period_years``) and no valid point whose
    count equals its denominator; otherwise ``cannot_be_calculated``, with the
    reason in ``reason``. The 5 most recent valid points that have a 95%
    interval (upper > lower), numbered t = 1..k, weighted ``w = 1/((U−L)/3.92)²``,
    give the slope ``b`` by weighted least squares, ``SE = √(Σw/(Σw·Σwt² −
    (Σwt)²))`` and ``χ² = (b/SE)²``. The trend is significant when ``χ² >
    9.5495`` and the slope keeps its sign when each of the 5 positions is left
    out in turn. Points without intervals are not given any: a series whose
    recent points lack them has no significant trend (``no_change``), as
    FingertipsNext's tests expect.

    Returns ``marker`` (``increasing``, ``decreasing``, ``no_change``,
    ``cannot_be_calculated``), ``assessment`` (the marker in polarity's words:
    ``getting_better``/``getting_worse``, or ``increasing``/``decreasing`` for
    ``no_judgement``; ``no_significant_change``; ``cannot_be_calculated``),
    ``chi2``, ``slope`` (per period, on the values' scale), ``se``,
    ``points_used``, ``leave_one_out_stable`` and ``reason``.

    >>> recent_trend([10, 12, 14, 16, 18], [9, 11, 13, 15, 17], [11, 13, 15, 17, 19])["marker"]
    'increasing'
    """
    polarity = str(check_polarity(polarity, "recent_trend")[0])
    y_in = as_float_array(values, "values")
    y, low, high = broadcast(
        {
            "values": y_in,
            "lowers": as_float_array(lowers, "lowers"),
            "uppers": as_float_array(uppers, "uppers"),
        },
        "recent_trend",
    )
    result: dict[str, Any] = {
        "marker": "cannot_be_calculated",
        "assessment": "cannot_be_calculated",
        "chi2": np.nan,
        "slope": np.nan,
        "se": np.nan,
        "points_used": 0,
        "leave_one_out_stable": False,
        "reason": "",
    }
    if value_type not in _TREND_VALUE_TYPES:
        return _cannot(result, "The recent trend cannot be calculated for this value type")
    if period_years != 1:
        return _cannot(result, "The recent trend cannot be calculated for this year range")
    valid = _valid_points(y, counts, denominators)
    if valid.sum() < TREND_POINTS:
        return _cannot(result, "Not enough data points with valid values to calculate recent trend")
    if _same_count_and_denominator(counts, denominators, valid):
        return _cannot(result, "The recent trend cannot be calculated")
    with_ci = valid & np.isfinite(low) & np.isfinite(high) & (high > low)
    recent = np.flatnonzero(with_ci)[-TREND_POINTS:]
    result["points_used"] = int(recent.size)
    t = np.arange(1.0, recent.size + 1)
    w = 1 / ((high[recent] - low[recent]) / _CI95_WIDTH_IN_SE) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        slope, se = (float(v) for v in _weighted_slopes(t, y[recent], w))
        # Leave each of the 5 positions out in turn (a position beyond the points drops none).
        dropped = np.eye(TREND_POINTS)[:, : recent.size]
        loo_slopes, _ = _weighted_slopes(t, y[recent], w * (1 - dropped))
    # Fingertips counts a slope of 0 (or none) as rising when it checks the signs.
    signs = np.where(np.r_[slope, loo_slopes] < 0, -1, 1)
    stable = bool(abs(signs.sum()) == TREND_POINTS + 1)
    chi2 = (slope / se) ** 2 if se > 0 else np.nan
    significant = bool(chi2 > TREND_CHI2_THRESHOLD and stable and slope != 0)
    marker = ("increasing" if slope > 0 else "decreasing") if significant else "no_change"
    if marker == "no_change":
        assessment = "no_significant_change"
    elif polarity == "no_judgement":
        assessment = marker
    else:
        improving = (marker == "increasing") == (polarity == "high_is_good")
        assessment = "getting_better" if improving else "getting_worse"
    result.update(
        marker=marker,
        assessment=assessment,
        chi2=float(chi2),
        slope=slope,
        se=se,
        leave_one_out_stable=stable,
    )
    return result


def progress_status(
    base_year: Any,
    base_value: Any,
    current_year: Any,
    current_value: Any,
    *,
    target_value: Any = None,
    target_year: Any = None,
    polarity: Any,
) -> Any:
    """Progress from a baseline towards a target, by compound annual growth rate.

    ``CAGR = (y_now/y_base)^(1/(t_now − t_base)) − 1``; years may be fractional
    (2024.5 for mid-2024). With a target: at or past it in the desired
    direction → ``target_achieved``; otherwise ``R = CAGR_observed /
    CAGR_required`` with ``CAGR_required = (target/y_base)^(1/(t_target −
    t_base)) − 1`` (a target of 0 counts as 0.001): R >= 0.95 ``on_track``,
    0.6 <= R < 0.95 ``needs_acceleration``, 0 <= R < 0.6 ``limited_progress``,
    R < 0 ``moving_away``. If the baseline already met the target and the
    current value no longer does, the status is ``moving_away``.

    Where compound growth is undefined — a baseline of 0 or below, or a
    negative current value or target — the same ratio R is taken of the
    straight-line annual changes ``(y − y_base)/(t − t_base)`` instead, so a
    count that starts at 0 is still judged. Without a target the status is
    the direction against baseline: ``improving``/``worsening``/``no_change``
    (``increasing``/``decreasing``/``no_change`` for ``no_judgement``). With a
    target and ``no_judgement`` the desired direction is from the baseline
    towards the target. A missing value or year, a current year not after the
    baseline, or a target year not after the baseline gives ``not_assessed``
    (a target already achieved is still reported). All arguments broadcast:
    scalars give a str, array-likes an array (or a Series on a Series' index).

    >>> progress_status(2020, 40.0, 2023, 33.0, target_value=30.0, target_year=2025,
    ...                 polarity="low_is_good")
    'on_track'
    """
    named = {
        "base_year": as_float_array(base_year, "base_year"),
        "base_value": as_float_array(base_value, "base_value"),
        "current_year": as_float_array(current_year, "current_year"),
        "current_value": as_float_array(current_value, "current_value"),
        "target_value": as_float_array(np.nan if target_value is None else target_value, "target"),
        "target_year": as_float_array(np.nan if target_year is None else target_year, "year"),
        "polarity": check_polarity(polarity, "progress_status"),
    }
    t0, y0, t1, y1, target, t_target, pol = broadcast(named, "progress_status")
    missing = np.isnan(y0) | np.isnan(y1) | np.isnan(t0) | np.isnan(t1)
    has_target = ~np.isnan(target)
    neutral = pol == "no_judgement"
    change = y1 - y0

    # Direction without a target.
    sign = np.where(pol == "low_is_good", -1.0, 1.0)
    direction = np.select(
        [change == 0, neutral & (change > 0), neutral, sign * change > 0],
        ["no_change", "increasing", "decreasing", "improving"],
        default="worsening",
    )

    # With a target: the desired direction, from polarity or (neutral) baseline → target.
    desired = np.where(neutral, np.sign(target - y0), sign)
    achieved = np.where(desired == 0, y1 == target, desired * (y1 - target) >= 0)
    already_met = desired * (target - y0) <= 0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        effective_target = np.where(target == 0, _ZERO_TARGET, target)
        compound = (y0 > 0) & (y1 >= 0) & (effective_target > 0)
        observed = np.where(
            compound,
            (y1 / y0) ** (1 / (t1 - t0)) - 1,
            change / (t1 - t0),
        )
        required = np.where(
            compound,
            (effective_target / y0) ** (1 / (t_target - t0)) - 1,
            (target - y0) / (t_target - t0),
        )
        ratio = observed / required
    cannot_time = np.isnan(t_target) | ~(t_target > t0) | ~(t1 > t0) | ~np.isfinite(ratio)
    against_target = np.select(
        [
            achieved,
            already_met,
            cannot_time,
            ratio >= _ON_TRACK,
            ratio >= _NEEDS_ACCELERATION,
            ratio >= 0,
        ],
        [
            "target_achieved",
            "moving_away",
            "not_assessed",
            "on_track",
            "needs_acceleration",
            "limited_progress",
        ],
        default="moving_away",
    )
    status = np.where(has_target, against_target, np.where(t1 > t0, direction, "not_assessed"))
    status = np.where(missing, "not_assessed", status).astype(object)
    inputs = (base_year, base_value, current_year, current_value, target_value, target_year)
    return shape_labels(status, (*inputs, polarity))
