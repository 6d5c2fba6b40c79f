"""Statistical process control for monthly operational measures (XmR charts).

Early help data is monthly, where the annual trend test does not fit. This is
the XmR chart of NHS England's "Making Data Count" guidance (as implemented by
the NHS-R ``NHSRplotthedots`` package): centre line the mean, process limits
``mean ± 2.66·MR̄`` (MR̄ the mean moving range), and four special-cause rules:

* ``outside_limits`` — a point above the upper or below the lower limit;
* ``two_of_three`` — two of three consecutive points beyond two-thirds of the
  way from the mean to a limit, on the same side (those points are flagged;
  a point beyond the limit counts as beyond two-thirds);
* ``shift`` — 7 or more consecutive points on one side of the mean (a point
  exactly on the mean breaks the run);
* ``trend`` — 7 or more consecutive points each higher (or each lower) than
  the one before (an unchanged value breaks the run).

Every point of a qualifying run is flagged. A re-baseline splits the series:
mean, limits and rules are computed separately on each side of it.

The method's options, as ``NHSRplotthedots`` offers them:

* moving-range outlier screening (``screen_outliers``, on by default as in the
  R package, optional in NHS England's Excel tool): moving ranges of 3.267·MR̄
  or more are dropped and MR̄ recomputed before the limits are drawn;
* ``fix_after_n_points``: the mean and limits come from the first N points
  of each segment and are extended unchanged over the rest;
* limits from fewer than 12 points are *trial limits* (``trial_limits``),
  to be revised as points arrive;
* the two-thirds ("near limit") lines are returned (``near_lower``,
  ``near_upper``) so a chart can draw them;
* with no improvement direction a special-cause point is still high or low
  (``neutral_high``/``neutral_low``), the neutral variation icons.

Two choices differ from ``NHSRplotthedots``: two-of-three follows the
classic Western Electric wording (the third point may lie anywhere, where the
R package wants all three on one side of the mean), and a trend is judged by
its direction of travel rather than by the side of the mean it sits on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from indicators.methods.benchmark import check_polarity
from indicators.methods.intervals import as_float_array, series_index
from indicators.statuses import Assurance, Variation

__all__ = ["ASSURANCE_LABELS", "MIN_FIXED_POINTS", "SPC_RULES", "TRIAL_BELOW", "spc"]

#: Rule names in the order they decide improvement/concern when rules disagree.
SPC_RULES = ("outside_limits", "two_of_three", "shift", "trend")
ASSURANCE_LABELS = tuple(code.value for code in Assurance)
#: Limits computed from fewer points than this are trial limits (NHSRplotthedots).
TRIAL_BELOW = 12
#: The fewest points ``fix_after_n_points`` may fix the limits on (NHSRplotthedots).
MIN_FIXED_POINTS = 12
_LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of 2
_SCREEN_FACTOR = 3.267  # D4 for moving ranges of 2: the moving-range chart's upper limit
_RUN_LENGTH = 7


def _run_lengths(codes: np.ndarray) -> np.ndarray:
    """Length of the run of equal consecutive codes that each element belongs to."""
    if codes.size == 0:
        return np.zeros(0, dtype=int)
    starts = np.r_[True, codes[1:] != codes[:-1]]
    run_id = np.cumsum(starts) - 1
    return np.bincount(run_id)[run_id]


def _two_of_three(beyond: np.ndarray) -> np.ndarray:
    """Points beyond the two-thirds line that share a 3-point window with another."""
    size = beyond.size
    flagged = np.zeros(size, dtype=bool)
    if size < 3:
        return flagged
    counts = beyond[:-2].astype(int) + beyond[1:-1] + beyond[2:]
    window_ok = counts >= 2
    for offset in range(3):  # each point sits in up to three windows
        flagged[offset : offset + size - 2] |= window_ok
    return flagged & beyond


def _centre_and_spread(basis: np.ndarray, screen_outliers: bool) -> tuple[float, float]:
    """Mean and mean moving range of the points the limits rest on, after screening out
    moving ranges at or above 3.267·MR̄ when asked (NHSRplotthedots' default).

    A flat series (MR̄ = 0) is left unscreened: the R package would drop every
    range and draw no limits, where limits on the mean say what the data do."""
    mean = basis.mean() if basis.size else np.nan
    moving_range = np.abs(np.diff(basis))
    if moving_range.size == 0:
        return mean, np.nan
    mr_bar = moving_range.mean()
    if screen_outliers and mr_bar > 0:
        mr_bar = moving_range[moving_range < _SCREEN_FACTOR * mr_bar].mean()
    return mean, mr_bar


def _segment_rules(
    y: np.ndarray, *, screen_outliers: bool, fix_after_n_points: int | None
) -> dict[str, np.ndarray]:
    """Mean, limits and per-rule flags/directions for one segment without gaps."""
    size = y.size
    basis = y[:fix_after_n_points] if fix_after_n_points else y
    mean, mr_bar = _centre_and_spread(basis, screen_outliers)
    lower, upper = mean - _LIMIT_FACTOR * mr_bar, mean + _LIMIT_FACTOR * mr_bar
    side = np.sign(y - mean)

    outside = (y > upper) | (y < lower)
    near = 2 / 3 * _LIMIT_FACTOR * mr_bar
    high, low = _two_of_three(y > mean + near), _two_of_three(y < mean - near)

    shift = (_run_lengths(side) >= _RUN_LENGTH) & (side != 0)

    step = np.sign(np.diff(y))
    long_step = (_run_lengths(step) >= _RUN_LENGTH - 1) & (step != 0)
    trend = np.zeros(size, dtype=bool)
    trend_direction = np.zeros(size)
    if size > 1:
        trend[1:] |= long_step
        trend[:-1] |= long_step
        trend_direction[:-1] = np.where(long_step, step, 0)
        trend_direction[1:] = np.where(long_step, step, trend_direction[1:])
    return {
        "mean": np.full(size, mean),
        "lower_limit": np.full(size, lower),
        "upper_limit": np.full(size, upper),
        "near_lower": np.full(size, mean - near),
        "near_upper": np.full(size, mean + near),
        "trial_limits": np.full(size, basis.size < TRIAL_BELOW),
        "outside_limits": outside,
        "two_of_three": high | low,
        "shift": shift,
        "trend": trend,
        "direction_outside_limits": side,
        "direction_two_of_three": np.where(high, 1.0, -1.0),
        "direction_shift": side,
        "direction_trend": trend_direction,
    }


def _segments(size: int, rebase_at: Any) -> np.ndarray:
    """Segment number per position; ``rebase_at`` positions start new segments."""
    positions = [] if rebase_at is None else np.atleast_1d(np.asarray(rebase_at)).tolist()
    bad = [p for p in positions if not (isinstance(p, int | np.integer) and 0 < p < size)]
    if bad:
        raise ValueError(
            f"spc: rebase_at must be integer positions between 1 and {size - 1}, got {bad}"
        )
    segment = np.zeros(size, dtype=int)
    for position in sorted(set(positions)):
        segment[position:] += 1
    return segment


def _assurance(lower: float, upper: float, target: Any, polarity: str) -> str:
    if target is None or (isinstance(target, float) and np.isnan(target)):
        return "no_target"
    if polarity == "no_judgement" or not (np.isfinite(lower) and np.isfinite(upper)):
        return "not_applicable"
    target = float(target)
    if lower <= target <= upper:
        return "inconsistent"
    above = target < lower  # the whole process sits above the target
    return "consistently_passes" if above == (polarity == "high_is_good") else "consistently_fails"


def _check_fix(fix_after_n_points: int | None) -> int | None:
    if fix_after_n_points is None:
        return None
    if not isinstance(fix_after_n_points, int | np.integer) or isinstance(fix_after_n_points, bool):
        raise ValueError(
            f"spc: fix_after_n_points must be a whole number, got {fix_after_n_points!r}"
        )
    if fix_after_n_points < MIN_FIXED_POINTS:
        raise ValueError(
            f"spc: fix_after_n_points must be at least {MIN_FIXED_POINTS}, got {fix_after_n_points}"
        )
    return int(fix_after_n_points)


def _special_cause(direction: np.ndarray, fired: np.ndarray, polarity: str) -> np.ndarray:
    """Improvement or concern by the polarity; with no direction judged, a point that
    broke a rule is neutral high or low (NHSRplotthedots' neutral variation)."""
    good = {"high_is_good": 1.0, "low_is_good": -1.0}.get(polarity, 0.0)
    if good == 0:
        neutral = np.where(direction > 0, "neutral_high", "neutral_low")
        return np.where(fired & (direction != 0), neutral, "neither").astype(object)
    return np.where(
        direction == 0,
        "neither",
        np.where(direction == good, "improvement", "concern"),
    ).astype(object)


_VARIATION = {
    "improvement": Variation.IMPROVEMENT,
    "concern": Variation.CONCERN,
    "neutral_high": Variation.NEUTRAL_HIGH,
    "neutral_low": Variation.NEUTRAL_LOW,
}


def spc(
    values: Any,
    *,
    polarity: str = "no_judgement",
    target: float | None = None,
    rebase_at: int | list[int] | None = None,
    screen_outliers: bool = True,
    fix_after_n_points: int | None = None,
) -> pd.DataFrame:
    """XmR chart ("Making Data Count") for a monthly series, oldest first.

    Returns one row per input point with ``value, segment, mean, lower_limit,
    upper_limit, near_lower, near_upper, trial_limits, special_cause, rule``.
    ``near_lower``/``near_upper`` are the two-thirds lines; ``trial_limits``
    is True where the segment's limits rest on fewer than 12 points.
    ``special_cause`` is ``improvement``, ``concern`` or ``neither``, or with
    ``no_judgement`` ``neutral_high``/``neutral_low`` for a point that broke a
    rule; ``rule`` names every rule that fired for the point, comma-separated
    in the order ``outside_limits, two_of_three, shift, trend`` ("" for none).
    The direction follows the first rule listed: the side of the mean for the
    first three, the direction of travel for a trend. Limits are not clipped
    (a lower limit may be negative for a count).

    ``rebase_at`` is a position (or list) where a new baseline starts, e.g.
    the strategy's launch month; limits and rules are computed separately in
    each segment. ``screen_outliers`` drops moving ranges of 3.267·MR̄ or more
    before the limits (NHSRplotthedots' default). ``fix_after_n_points`` (at
    least 12) computes each segment's mean and limits from its first N points
    only. Missing values are skipped (the moving range spans the gap) and get
    ``neither``; one point alone has no limits. ``df.attrs["assurance"]`` says
    whether the latest segment's limits sit wholly on the passing side of
    ``target``: ``consistently_passes``, ``consistently_fails``,
    ``inconsistent`` (target within the limits, or on one), ``no_target``, or
    ``not_applicable`` (``no_judgement``, or no limits);
    ``df.attrs["variation"]`` is the latest point's (the last with a value) variation icon (a
    :class:`~indicators.statuses.Variation` code) and
    ``df.attrs["trial_limits"]`` whether its limits are trial limits.

    >>> spc([5, 6, 5, 7, 6, 5, 6, 30])["rule"].iloc[-1]
    'outside_limits'
    """
    polarity = str(check_polarity(polarity, "spc")[0])
    fix = _check_fix(fix_after_n_points)
    y = as_float_array(values, "values")
    size = y.size
    segment = _segments(size, rebase_at)
    columns: dict[str, np.ndarray] = {
        name: np.full(size, np.nan)
        for name in ("mean", "lower_limit", "upper_limit", "near_lower", "near_upper")
    }
    trial = np.ones(size, dtype=bool)
    fired = {rule: np.zeros(size, dtype=bool) for rule in SPC_RULES}
    direction = np.zeros(size)
    for number in np.unique(segment):  # a handful of segments at most
        members = np.flatnonzero(segment == number)
        present = members[~np.isnan(y[members])]
        found = _segment_rules(y[present], screen_outliers=screen_outliers, fix_after_n_points=fix)
        for name in columns:
            columns[name][members] = found[name][0] if present.size else np.nan
        trial[members] = found["trial_limits"][0] if present.size else True
        undecided = np.ones(present.size, dtype=bool)
        for rule in SPC_RULES:
            fired[rule][present] = found[rule]
            decides = found[rule] & undecided
            direction[present[decides]] = found[f"direction_{rule}"][decides]
            undecided &= ~found[rule]

    listed = np.full(size, "", dtype=object)
    for name in SPC_RULES:
        listed = listed + np.where(fired[name], name + ",", "").astype(object)
    rule = pd.Series(listed, dtype=object).str.rstrip(",").to_numpy(dtype=object)
    special = _special_cause(direction, rule != "", polarity)

    frame = pd.DataFrame(
        {
            "value": y,
            "segment": segment,
            **columns,
            "trial_limits": trial,
            "special_cause": special,
            "rule": rule,
        },
        index=series_index(values, length=size),
    )
    # The latest point is the latest month with a value: trailing months still to come
    # (or suppressed) must not hide a signal the last real point shows.
    present = np.flatnonzero(~np.isnan(y))
    last = frame.iloc[present[-1]] if present.size else None
    frame.attrs["assurance"] = (
        _assurance(float(last["lower_limit"]), float(last["upper_limit"]), target, polarity)
        if last is not None
        else ("no_target" if target is None else "not_applicable")
    )
    frame.attrs["variation"] = (
        str(_VARIATION.get(last["special_cause"], Variation.COMMON_CAUSE))
        if last is not None and np.isfinite(last["upper_limit"])
        else str(Variation.NOT_APPLICABLE)
    )
    frame.attrs["trial_limits"] = bool(last["trial_limits"]) if last is not None else True
    frame.attrs["target"] = target
    frame.attrs["polarity"] = polarity
    return frame
