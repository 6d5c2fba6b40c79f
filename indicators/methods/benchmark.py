"""Is an area different from its benchmark? RAG comparisons and funnel plots.

Two views of the same question, both as Fingertips answers it (methods.md):

* :func:`compare_to_benchmark` — does the area's own confidence interval
  contain the benchmark (England, region, statistical neighbours)? Polarity
  turns higher/lower into better/worse.
* funnel plots — around the city-wide average, which wards sit outside the
  95% ("0.025") or 99.8% ("0.001") control limits for their denominator?
  :func:`proportion_funnel_limits` and :func:`rate_funnel_limits` draw the
  funnel; :func:`classify_funnel_points` labels each ward.

The funnel limits are the inverse of the ward's own interval: a ward lies
outside the funnel exactly when its Wilson (or exact Poisson) interval at that
denominator does not reach the average, so the funnel and the RAG rating of a
ward against the city average agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from indicators.methods.intervals import (
    Problems,
    as_float_array,
    broadcast,
    normalise_confidence,
    series_index,
    z_value,
)
from indicators.statuses import Comparison, FunnelPosition, Polarity

__all__ = [
    "BENCHMARK_LABELS",
    "FUNNEL_LABELS",
    "POLARITIES",
    "classify_funnel_points",
    "compare_to_benchmark",
    "proportion_funnel_limits",
    "rate_funnel_limits",
]

POLARITIES = tuple(code.value for code in Polarity)
BENCHMARK_LABELS = tuple(code.value for code in Comparison)
FUNNEL_LABELS = tuple(code.value for code in FunnelPosition)
_METHODS = ("ci_overlap_95", "ci_overlap_95_998")


def check_polarity(polarity: Any, function: str) -> np.ndarray:
    """Polarity as an object array, raising ValueError for an unknown word."""
    words = np.atleast_1d(np.asarray(polarity, dtype=object)).ravel()
    unknown = sorted({str(word) for word in words if word not in POLARITIES})
    if unknown:
        raise ValueError(f"{function}: polarity must be one of {POLARITIES}, got {unknown}")
    return words


def shape_labels(labels: np.ndarray, inputs: tuple[Any, ...]) -> Any:
    """Return a str for all-scalar inputs, a Series if any input was one, else an array."""
    if all(np.ndim(item) == 0 for item in inputs if item is not None):
        return str(labels[0])
    index = series_index(*inputs, length=len(labels))
    if index is not None:
        return pd.Series(labels, index=index, dtype=object)
    return labels


def _direction_words(polarity: np.ndarray, side: np.ndarray) -> np.ndarray:
    """+1 (above the benchmark) / −1 (below) as better/worse/higher/lower."""
    good = np.where(side > 0, "better", "worse")
    bad = np.where(side > 0, "worse", "better")
    neutral = np.where(side > 0, "higher", "lower")
    return np.select(
        [polarity == "high_is_good", polarity == "low_is_good"], [good, bad], default=neutral
    )


def compare_to_benchmark(
    value: Any,
    lower: Any,
    upper: Any,
    benchmark: Any,
    *,
    polarity: Any,
    method: str = "ci_overlap_95",
    lower_998: Any = None,
    upper_998: Any = None,
) -> Any:
    """Rate an area against a benchmark by confidence-interval overlap (RAG).

    ``ci_overlap_95``: ``similar`` when the benchmark lies in [lower, upper]
    (inclusive, so a benchmark exactly on a limit is similar); otherwise
    ``higher``/``lower`` according to which side of the interval the benchmark
    falls (the value lies inside its own interval, so this is also the side of
    the value). ``ci_overlap_95_998`` also needs the 99.8% limits: outside the
    95% but inside the 99.8% interval gives better/worse, outside the 99.8%
    interval ``much_better``/``much_worse`` (``much_higher``/``much_lower``).
    ``polarity`` (``high_is_good``, ``low_is_good`` or ``no_judgement``; a
    scalar or one per row) turns higher/lower into better/worse. A missing
    value, benchmark or limit gives ``not_compared``. Scalars give a str, a
    Series gives a Series on its index, other array-likes a numpy array.
    Source: Fingertips technical guidance, "comparison with benchmark".

    >>> compare_to_benchmark(30.0, 25.0, 35.0, 20.0, polarity="low_is_good")
    'worse'
    """
    if method not in _METHODS:
        raise ValueError(f"compare_to_benchmark: method must be one of {_METHODS}, got {method!r}")
    two_level = method == "ci_overlap_95_998"
    if two_level and (lower_998 is None or upper_998 is None):
        raise ValueError("compare_to_benchmark: ci_overlap_95_998 needs lower_998 and upper_998")
    named = {
        "value": as_float_array(value, "value"),
        "lower": as_float_array(lower, "lower"),
        "upper": as_float_array(upper, "upper"),
        "benchmark": as_float_array(benchmark, "benchmark"),
    }
    if two_level:
        named["lower_998"] = as_float_array(lower_998, "lower_998")
        named["upper_998"] = as_float_array(upper_998, "upper_998")
    named["polarity"] = check_polarity(polarity, "compare_to_benchmark")
    arrays = dict(zip(named, broadcast(named, "compare_to_benchmark"), strict=True))
    numbers = [a for key, a in arrays.items() if key != "polarity"]
    missing = np.any([np.isnan(a) for a in numbers], axis=0)
    bench = arrays["benchmark"]
    side = np.where(bench < arrays["lower"], 1, np.where(bench > arrays["upper"], -1, 0))
    labels = _direction_words(arrays["polarity"], side).astype(object)
    if two_level:
        outside_998 = (bench < arrays["lower_998"]) | (bench > arrays["upper_998"])
        labels = np.where(outside_998, np.char.add("much_", labels.astype(str)), labels)
    labels = np.where(side == 0, "similar", labels)
    labels = np.where(missing, "not_compared", labels).astype(object)
    return shape_labels(labels, (value, lower, upper, benchmark, lower_998, upper_998, polarity))


def proportion_funnel_limits(
    average: float,
    denominators: Any,
    *,
    confidence: float = 0.95,
    multiplier: float = 100,
) -> pd.DataFrame:
    """Funnel-plot control limits for a proportion around the average ``p̄``.

    ``average`` is ``Σx/Σn`` on a 0-1 scale; limits come back per denominator
    N, on the ``multiplier`` scale, columns ``lower, upper``. Each limit is
    the proportion whose Wilson interval at N just reaches p̄. Solving the
    Wilson equation ``(p − π)² = z²π(1 − π)/N`` for p at ``π = p̄`` gives the
    closed form ``p̄ ± z√(p̄(1 − p̄)/N)`` (the same numbers as
    PHEindicatormethods' ``sigma_adjustment``), clipped to [0, m]. Use 0.95
    and 0.998 for the two funnels. A missing N gives NaN; N <= 0 raises.

    >>> proportion_funnel_limits(0.2, [100]).round(2).to_dict("records")
    [{'lower': 12.16, 'upper': 27.84}]
    """
    level = normalise_confidence(confidence)
    p = float(average)
    if not 0 <= p <= 1:
        raise ValueError(f"proportion_funnel_limits: average must be on a 0-1 scale, got {p}")
    n = as_float_array(denominators, "denominators")
    problems = Problems("proportion_funnel_limits")
    problems.check(n <= 0, "denominator is not positive")
    problems.raise_if_any()
    z = z_value(level)
    if np.isinf(z):
        lower, upper = np.zeros_like(n), np.ones_like(n)
    else:
        half = z * np.sqrt(p * (1 - p) / n)
        lower, upper = np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)
    lower = np.where(np.isnan(n), np.nan, lower) * multiplier
    upper = np.where(np.isnan(n), np.nan, upper) * multiplier
    index = series_index(denominators, length=len(n))
    return pd.DataFrame({"lower": lower, "upper": upper}, index=index)


def rate_funnel_limits(
    average_rate: float,
    denominators: Any,
    *,
    confidence: float = 0.95,
    multiplier: float = 100000,
) -> pd.DataFrame:
    """Funnel-plot control limits for a crude rate (or a ratio) around an average.

    ``average_rate`` is on the ``multiplier`` scale (e.g. per 100,000, or
    per 1 for a ratio with the denominators as expected counts), so the
    expected count at denominator N is ``E = average_rate·N/m``. The limits
    are the counts whose exact Poisson interval just reaches E: the upper
    limit O solves ``χ²((1−conf)/2; 2O)/2 = E`` and the lower limit O solves
    ``χ²(conf+(1−conf)/2; 2O+2)/2 = E`` (clipped at 0), found with scipy's
    inverse in the degrees of freedom, then divided by N and scaled by m.
    Confidence 1 gives [0, inf). A missing N gives NaN; N <= 0 raises.
    Source: Fingertips funnel plots; PHEindicatormethods ``poisson_funnel``.

    >>> rate_funnel_limits(50.0, [200000]).round(1).to_dict("records")
    [{'lower': 40.2, 'upper': 60.3}]
    """
    level = normalise_confidence(confidence)
    rate = float(average_rate)
    if not rate >= 0:
        raise ValueError(f"rate_funnel_limits: average_rate must be 0 or more, got {rate}")
    n = as_float_array(denominators, "denominators")
    problems = Problems("rate_funnel_limits")
    problems.check(n <= 0, "denominator is not positive")
    problems.raise_if_any()
    expected = rate * n / multiplier
    alpha = 1 - level
    if level == 1:
        low_count, high_count = np.zeros_like(n), np.full_like(n, np.inf)
    else:
        with np.errstate(invalid="ignore"):
            high_count = special.chdtriv(alpha / 2, 2 * expected) / 2
            low_count = np.maximum(special.chdtriv(1 - alpha / 2, 2 * expected) / 2 - 1, 0.0)
        # With no events expected, any event is high and none can be low.
        high_count = np.where(expected == 0, 0.0, high_count)
        low_count = np.where(expected == 0, 0.0, low_count)
    with np.errstate(invalid="ignore"):
        lower = np.where(np.isnan(n), np.nan, low_count / n * multiplier)
        upper = np.where(np.isnan(n), np.nan, high_count / n * multiplier)
    index = series_index(denominators, length=len(n))
    return pd.DataFrame({"lower": lower, "upper": upper}, index=index)


def classify_funnel_points(
    numerators: Any,
    denominators: Any,
    *,
    value_type: str = "proportion",
    multiplier: float | None = None,
    average: float | None = None,
) -> Any:
    """Label each ward against the funnel: outside 99.8%, outside 95%, or not.

    Labels: ``high_0.001``/``low_0.001`` outside the 99.8% limits,
    ``high_0.025``/``low_0.025`` outside the 95% limits only,
    ``not_significant`` inside (a value exactly on a limit is inside), and
    ``not_compared`` for a missing numerator or denominator. ``value_type`` is
    ``"proportion"`` (Wilson funnels; default multiplier 100) or ``"rate"``
    (exact Poisson funnels; default multiplier 100,000). ``average`` defaults
    to ``Σx/Σn`` over the complete rows; give it on the funnel's own scale
    (0-1 for a proportion, per ``multiplier`` for a rate). Returns a Series on
    the input's index when given one, else a numpy array.

    >>> classify_funnel_points([10, 50, 12], [100, 100, 100]).tolist()
    ['low_0.001', 'high_0.001', 'low_0.025']
    """
    if value_type not in ("proportion", "rate"):
        raise ValueError(
            f"classify_funnel_points: value_type must be 'proportion' or 'rate', got {value_type!r}"
        )
    is_proportion = value_type == "proportion"
    scale = float(multiplier) if multiplier is not None else (100.0 if is_proportion else 1e5)
    x, n = broadcast(
        {
            "numerators": as_float_array(numerators, "numerators"),
            "denominators": as_float_array(denominators, "denominators"),
        },
        "classify_funnel_points",
    )
    problems = Problems("classify_funnel_points")
    problems.check(x < 0, "numerator is negative")
    problems.check(n <= 0, "denominator is not positive")
    if is_proportion:
        problems.check(x > n, "numerator exceeds denominator")
    problems.raise_if_any()
    complete = ~(np.isnan(x) | np.isnan(n))
    if average is None:
        pooled = x[complete].sum() / n[complete].sum() if complete.any() else np.nan
        average = pooled if is_proportion else pooled * scale
    funnel = proportion_funnel_limits if is_proportion else rate_funnel_limits
    inner = funnel(average, n, confidence=0.95, multiplier=scale)
    outer = funnel(average, n, confidence=0.998, multiplier=scale)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n * scale
    labels = np.select(
        [
            ~complete,
            value > outer["upper"].to_numpy(),
            value < outer["lower"].to_numpy(),
            value > inner["upper"].to_numpy(),
            value < inner["lower"].to_numpy(),
        ],
        ["not_compared", "high_0.001", "low_0.001", "high_0.025", "low_0.025"],
        default="not_significant",
    ).astype(object)
    index = series_index(numerators, denominators, length=len(labels))
    return labels if index is None else pd.Series(labels, index=index, dtype=object)
