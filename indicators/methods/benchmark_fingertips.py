"""Fingertips' other ways of comparing an area with its benchmark.

:func:`indicators.methods.compare_to_benchmark` asks whether the area's own
interval contains the benchmark. Fingertips (``fingertips-open``'s
``PholioVisualisation.Analysis`` comparers) offers three more, each chosen per
indicator with ``benchmark.method``:

* ``double_overlap_95`` — the area's 95% interval against the benchmark's own
  95% interval: similar when they overlap (``DoubleOverlappingCIsComparer``);
* ``spc_proportion_95_998`` — control limits around the benchmark proportion
  at the area's denominator (Wilson score limits of the expected count,
  ``SpcForProportionsComparer``);
* ``spc_rate_95_998`` — exact Poisson control limits around the expected count
  at the area's population, as ``SpcForDsrComparer`` draws them for directly
  standardised rates (a crude rate is a DSR of one age band).

The SPC methods judge at 95% and 99.8%: outside the 95% limits is
better/worse (higher/lower), outside the 99.8% limits much better/worse, as
``ci_overlap_95_998`` does with the area's own intervals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from indicators.methods.benchmark import _direction_words, check_polarity, shape_labels
from indicators.methods.intervals import as_float_array, broadcast, z_value

__all__ = [
    "compare_by_double_overlap",
    "compare_by_spc",
    "spc_proportion_limits",
    "spc_rate_limits",
]

_SPC_KINDS = ("proportion", "rate")


def _arrays(function: str, **named: Any) -> dict[str, np.ndarray]:
    values = {k: as_float_array(v, k) for k, v in named.items() if k != "polarity"}
    values["polarity"] = check_polarity(named["polarity"], function)
    return dict(zip(values, broadcast(values, function), strict=True))


def compare_by_double_overlap(
    value: Any,
    lower: Any,
    upper: Any,
    benchmark: Any,
    benchmark_lower: Any,
    benchmark_upper: Any,
    *,
    polarity: Any,
) -> Any:
    """The area's 95% interval against the benchmark's: ``similar`` when they overlap
    (touching counts), else better/worse (higher/lower) by the side of the value.

    A missing value or limit on either side gives ``not_compared``. Source:
    fingertips-open ``DoubleOverlappingCIsComparer``.

    >>> compare_by_double_overlap(4.0, 3.5, 4.5, 3.0, 2.7, 3.1, polarity="low_is_good")
    'worse'
    """
    a = _arrays(
        "compare_by_double_overlap",
        value=value,
        lower=lower,
        upper=upper,
        benchmark=benchmark,
        benchmark_lower=benchmark_lower,
        benchmark_upper=benchmark_upper,
        polarity=polarity,
    )
    numbers = [v for k, v in a.items() if k != "polarity"]
    missing = np.any([np.isnan(v) for v in numbers], axis=0)
    below = a["value"] < a["benchmark"]
    overlap = np.where(
        below, a["benchmark_lower"] <= a["upper"], a["lower"] <= a["benchmark_upper"]
    )
    side = np.where(overlap, 0, np.where(below, -1, 1))
    labels = _direction_words(a["polarity"], side).astype(object)
    labels = np.where(side == 0, "similar", labels)
    labels = np.where(missing, "not_compared", labels).astype(object)
    inputs = (value, lower, upper, benchmark, benchmark_lower, benchmark_upper, polarity)
    return shape_labels(labels, inputs)


def spc_proportion_limits(
    benchmark: Any, denominator: Any, *, multiplier: float = 100, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Control limits around a benchmark proportion at each area's denominator.

    With ``P0 = benchmark/multiplier``, ``E = N·P0`` and z for ``confidence``:
    ``(2E + z² ∓ z√(z² + 4E(1 − E/N))) / (2(N + z²))``, on the values' scale.
    A denominator of 0 or less gives NaN. Source: fingertips-open
    ``SpcForProportionsComparer``.
    """
    p0 = as_float_array(benchmark, "benchmark") / multiplier
    n = as_float_array(denominator, "denominator")
    n = np.where(n > 0, n, np.nan)
    z = z_value(confidence)
    expected = n * p0
    spread = z * np.sqrt(z**2 + 4 * expected * (1 - expected / n))
    centre, scale = 2 * expected + z**2, 2 * (n + z**2)
    return (centre - spread) / scale * multiplier, (centre + spread) / scale * multiplier


def _poisson_mean_limits(expected: np.ndarray, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Fingertips' ``PoisLow``/``PoisHigh`` of an expected count E (not always whole):
    the means at which P(X ≥ ⌈E⌉) and P(X ≤ ⌊E⌋) equal ``tail``."""
    with np.errstate(invalid="ignore"):
        at_least, at_most = np.ceil(expected), np.floor(expected)
        low = np.where(at_least > 0, special.gammaincinv(np.maximum(at_least, 1), tail), 0.0)
        high = special.gammainccinv(at_most + 1, tail)
    return np.where(np.isnan(expected), np.nan, low), high


def spc_rate_limits(
    benchmark: Any, denominator: Any, *, multiplier: float = 100_000, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson control limits around a benchmark rate at each area's population.

    ``E = benchmark × population / multiplier``; the limits are the Poisson
    means whose tail beyond E is ``(1 − confidence)/2``, over the population,
    × multiplier. Source: fingertips-open ``SpcForDsrComparer`` and
    ``StatisticalMethods.PoisLow``/``PoisHigh``.
    """
    population = as_float_array(denominator, "denominator")
    population = np.where(population > 0, population, np.nan)
    expected = as_float_array(benchmark, "benchmark") * population / multiplier
    low, high = _poisson_mean_limits(expected, (1 - confidence) / 2)
    return low / population * multiplier, high / population * multiplier


def compare_by_spc(
    value: Any,
    benchmark: Any,
    denominator: Any,
    *,
    kind: str,
    polarity: Any,
    multiplier: float,
) -> Any:
    """The area's value against SPC control limits around the benchmark at its own
    denominator (``kind``: ``proportion`` or ``rate``): inside the 95% limits
    ``similar``; outside them better/worse (higher/lower); outside the 99.8%
    limits much better/worse (much higher/lower). Missing inputs, or a
    denominator of 0 or less, give ``not_compared``.

    >>> compare_by_spc(12.47, 8.96, 1972, kind="proportion", polarity="low_is_good",
    ...                multiplier=100)
    'much_worse'
    """
    if kind not in _SPC_KINDS:
        raise ValueError(f"compare_by_spc: kind must be one of {_SPC_KINDS}, got {kind!r}")
    a = _arrays(
        "compare_by_spc",
        value=value,
        benchmark=benchmark,
        denominator=denominator,
        polarity=polarity,
    )
    limits = spc_proportion_limits if kind == "proportion" else spc_rate_limits
    low_95, high_95 = limits(a["benchmark"], a["denominator"], multiplier=multiplier)
    low_998, high_998 = limits(
        a["benchmark"], a["denominator"], multiplier=multiplier, confidence=0.998
    )
    y = a["value"]
    side = np.where(y > high_95, 1, np.where(y < low_95, -1, 0))
    labels = _direction_words(a["polarity"], side).astype(object)
    far = (y > high_998) | (y < low_998)
    labels = np.where(far, np.char.add("much_", labels.astype(str)), labels)
    labels = np.where(side == 0, "similar", labels)
    missing = np.isnan(y) | np.isnan(low_95) | np.isnan(high_95)
    labels = np.where(missing, "not_compared", labels).astype(object)
    return shape_labels(labels, (value, benchmark, denominator, polarity))
