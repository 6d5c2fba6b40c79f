"""Confidence intervals for proportions, rates and means, as the national profiles compute them.

The dashboard puts our figures next to OHID's Fingertips, so every interval here
follows the Fingertips technical guidance and the UKHSA/OHID R package
``PHEindicatormethods`` (see ``shared/design/methods.md``):

* proportions: Wilson score;
* rates and counts: exact Poisson (chi-square) below 10 events, Byar's from 10;
* means: Student's t.

Standardised rates (DSR, ISR) build on these in :mod:`indicators.methods.standardisation`.

All functions work on whole columns at once (numpy/scipy). Confidence levels
are accepted as 0.90-1 or 90-100 (95 and 99.8 mean 0.95 and 0.998); a level of
1 gives the whole possible range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "mean_ci",
    "normalise_confidence",
    "poisson_limits",
    "proportion_ci",
    "rate_ci",
    "wilson_limits",
    "z_value",
]

# Below this many events the exact Poisson limits are used, from it Byar's.
BYAR_FROM = 10


# --- shared input handling (used by the other methods modules too) -----------


def normalise_confidence(confidence: float) -> float:
    """Return a confidence level on the 0-1 scale, or raise ValueError.

    Accepts 0.90 to 1, or 90 to 100 (divided by 100), as PHEindicatormethods does.

    >>> normalise_confidence(99.8)
    0.998
    """
    try:
        level = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(f"confidence must be a number, got {confidence!r}") from None
    if 90 <= level <= 100:
        level /= 100
    if not 0.9 <= level <= 1:
        raise ValueError(
            f"confidence must be between 0.9 and 1 or between 90 and 100, got {confidence!r}"
        )
    return level


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile, ``Φ⁻¹(conf + (1−conf)/2)`` (inf at 1).

    >>> round(z_value(0.95), 4)
    1.96
    """
    level = normalise_confidence(confidence)
    return float(stats.norm.ppf(level + (1 - level) / 2)) if level < 1 else float("inf")


def as_float_array(values: Any, name: str) -> np.ndarray:
    """Turn a scalar, list, numpy array or pandas Series into a 1-D float array.

    ``None``, ``pd.NA`` and NaN all become NaN; anything non-numeric raises.
    """
    if isinstance(values, pd.Series | pd.Index):
        try:
            return values.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numeric") from None
    array = np.asarray(values) if not isinstance(values, Mapping) else None
    if array is None:
        raise ValueError(f"{name} must be a scalar or an array-like, not a mapping")
    if array.dtype.kind in "biuf":
        return np.atleast_1d(array.astype(float)).ravel()
    flat = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)).ravel())
    try:
        return pd.to_numeric(flat).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def series_index(*inputs: Any, length: int) -> pd.Index | None:
    """The index of the first pandas Series among ``inputs`` of the given length."""
    for item in inputs:
        if isinstance(item, pd.Series) and len(item) == length:
            return item.index
    return None


def broadcast(name_values: dict[str, np.ndarray], function: str) -> list[np.ndarray]:
    """Broadcast 1-D inputs together, naming them if their lengths clash."""
    try:
        return list(np.broadcast_arrays(*name_values.values()))
    except ValueError:
        lengths = ", ".join(f"{name}={len(v)}" for name, v in name_values.items())
        raise ValueError(f"{function}: inputs have different lengths ({lengths})") from None


class Problems:
    """Collects every invalid input before raising, so a caller fixes them all at once."""

    def __init__(self, function: str) -> None:
        self.function = function
        self.messages: list[str] = []

    def check(self, bad: np.ndarray, message: str) -> None:
        """Record ``message`` with the (0-based) positions where ``bad`` is True."""
        positions = np.flatnonzero(bad)
        if positions.size:
            shown = ", ".join(str(p) for p in positions[:5])
            more = f" and {positions.size - 5} more" if positions.size > 5 else ""
            self.messages.append(f"{message} at position {shown}{more}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValueError(f"{self.function}: " + "; ".join(self.messages))


# --- interval building blocks ---------------------------------------------------


def wilson_limits(x: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits on the 0-1 scale (no validation; NaN in, NaN out).

    Exactly 0 at ``x = 0`` and exactly 1 at ``x = n``; ``confidence = 1`` gives [0, 1].
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(confidence)
    missing = np.isnan(x) | np.isnan(n)
    if np.isinf(z):
        lower, upper = np.zeros_like(x + n), np.ones_like(x + n)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            z2 = z * z
            half = z * np.sqrt(z2 + 4 * x * (1 - x / n))
            lower = (2 * x + z2 - half) / (2 * (n + z2))
            upper = (2 * x + z2 + half) / (2 * (n + z2))
        lower = np.where(x == 0, 0.0, np.clip(lower, 0, 1))
        upper = np.where(x == n, 1.0, np.clip(upper, 0, 1))
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


def poisson_limits(counts: Any, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Limits for an observed count: exact (chi-square) below 10, Byar's from 10.

    Returned on the count scale (divide by a denominator for a rate). The lower
    limit is 0 at a count of 0; ``confidence = 1`` gives lower 0 and upper inf.
    Counts may be non-integer; NaN gives NaN.

    >>> [round(float(v[0]), 3) for v in poisson_limits([0])]
    [0.0, 3.689]
    """
    x = as_float_array(counts, "counts")
    level = normalise_confidence(confidence)
    if level == 1:
        lower, upper = np.zeros_like(x), np.full_like(x, np.inf)
        return np.where(np.isnan(x), np.nan, lower), np.where(np.isnan(x), np.nan, upper)
    z = z_value(level)
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        # scipy gives NaN for 0 degrees of freedom: the lower limit at x = 0 is 0.
        exact_lower = np.where(x > 0, stats.chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
        exact_upper = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
        byar_lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        byar_upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    exact = x < BYAR_FROM
    lower = np.where(exact, exact_lower, np.maximum(byar_lower, 0.0))
    upper = np.where(exact, exact_upper, byar_upper)
    return np.where(np.isnan(x), np.nan, lower), np.where(np.isnan(x), np.nan, upper)


def _frame(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, index: Any) -> pd.DataFrame:
    return pd.DataFrame({"value": value, "lower": lower, "upper": upper}, index=index)


# --- public intervals ------------------------------------------------------------


def proportion_ci(
    numerator: Any,
    denominator: Any,
    *,
    confidence: float = 0.95,
    multiplier: float = 100,
) -> pd.DataFrame:
    """Proportion with Wilson score limits, ``x/n·m`` (percentages by default).

    One row per input element (scalars broadcast), columns ``value, lower,
    upper``; a pandas Series input lends its index. A missing x or n gives a
    missing row; x < 0, n <= 0 or x > n raises ValueError naming the positions.
    x may be non-integer. Limits are 0 at x = 0 and m at x = n exactly.
    Source: Wilson (1927), Newcombe & Altman (2000), as in PHEindicatormethods.

    >>> proportion_ci(5, 20).round(2).to_dict("records")
    [{'value': 25.0, 'lower': 11.19, 'upper': 46.87}]
    """
    level = normalise_confidence(confidence)
    x_in, n_in = as_float_array(numerator, "numerator"), as_float_array(denominator, "denominator")
    x, n = broadcast({"numerator": x_in, "denominator": n_in}, "proportion_ci")
    problems = Problems("proportion_ci")
    problems.check(x < 0, "numerator is negative")
    problems.check(n <= 0, "denominator is not positive")
    problems.check((x > n) & (n > 0), "numerator exceeds denominator")
    problems.raise_if_any()
    lower, upper = wilson_limits(x, n, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n
    index = series_index(numerator, denominator, length=len(x))
    return _frame(value * multiplier, lower * multiplier, upper * multiplier, index)


def rate_ci(
    numerator: Any,
    denominator: Any,
    *,
    confidence: float = 0.95,
    multiplier: float = 100000,
) -> pd.DataFrame:
    """Crude rate ``x/n·m`` with exact Poisson limits below 10 events, Byar's from 10.

    Columns ``value, lower, upper``, one row per input element. x may exceed n
    (events, not people). A missing x or n gives a missing row; x < 0 or n <= 0
    raises ValueError naming the positions. Confidence 1 gives [0, inf).
    Source: Fingertips technical guidance; Breslow & Day (1987) for Byar's.

    >>> rate_ci(12, 5000, multiplier=1000).round(3).to_dict("records")
    [{'value': 2.4, 'lower': 1.239, 'upper': 4.193}]
    """
    level = normalise_confidence(confidence)
    x_in, n_in = as_float_array(numerator, "numerator"), as_float_array(denominator, "denominator")
    x, n = broadcast({"numerator": x_in, "denominator": n_in}, "rate_ci")
    problems = Problems("rate_ci")
    problems.check(x < 0, "numerator is negative")
    problems.check(n <= 0, "denominator is not positive")
    problems.raise_if_any()
    lower, upper = poisson_limits(x, confidence=level)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = multiplier / n
    index = series_index(numerator, denominator, length=len(x))
    return _frame(x * scale, lower * scale, upper * scale, index)


def mean_ci(values: Any, *, confidence: float = 0.95) -> dict[str, float]:
    """Mean of ``values`` with Student's t limits; missing values are ignored.

    Returns ``value, lower, upper, n, sd`` (sd with N−1). Fewer than 2 values
    give NaN limits (and NaN sd); no values give NaN throughout with n = 0.

    >>> {k: round(v, 3) for k, v in mean_ci([1, 2, 3, 4]).items()}
    {'value': 2.5, 'lower': 0.446, 'upper': 4.554, 'n': 4, 'sd': 1.291}
    """
    level = normalise_confidence(confidence)
    y = as_float_array(values, "values")
    y = y[~np.isnan(y)]
    count = int(y.size)
    mean = float(y.mean()) if count else float("nan")
    if count < 2:
        return {"value": mean, "lower": np.nan, "upper": np.nan, "n": count, "sd": np.nan}
    sd = float(y.std(ddof=1))
    if level == 1:
        lower, upper = -np.inf, np.inf
    else:
        half = stats.t.ppf(level + (1 - level) / 2, count - 1) * sd / np.sqrt(count)
        lower, upper = mean - half, mean + half
    return {"value": mean, "lower": float(lower), "upper": float(upper), "n": count, "sd": sd}
