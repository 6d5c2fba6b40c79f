"""Standardised rates: comparing areas whose age structures differ.

* Directly standardised rate (DSR) — Dobson's method: the local age-specific
  rates applied to a standard population (the European Standard Population
  2013), with limits from the Byar/exact limits of the total count.
* Indirectly standardised ratio or rate (ISR, SMR) — observed events over the
  events expected if the reference area's age-specific rates applied locally,
  with the Poisson limits of the observed count over the expected count.

Both follow the Fingertips technical guidance and PHEindicatormethods
(``phe_dsr``, ``calculate_ISRatio``, ``calculate_ISRate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from indicators.methods.intervals import (
    BYAR_FROM,
    Problems,
    as_float_array,
    broadcast,
    normalise_confidence,
    poisson_limits,
)

__all__ = ["ESP2013", "dsr", "isr"]

#: European Standard Population 2013, 5-year age bands (weights sum to 100,000).
#: Pass ``list(ESP2013.values())`` (or a slice of it, e.g. the four child bands
#: 0-4 to 15-19) as ``standard_populations`` to :func:`dsr`.
ESP2013: Mapping[str, int] = MappingProxyType(
    {
        "0-4": 5000,
        "5-9": 5500,
        "10-14": 5500,
        "15-19": 5500,
        "20-24": 6000,
        "25-29": 6000,
        "30-34": 6500,
        "35-39": 7000,
        "40-44": 7000,
        "45-49": 7000,
        "50-54": 7000,
        "55-59": 6500,
        "60-64": 6000,
        "65-69": 5500,
        "70-74": 5000,
        "75-79": 4000,
        "80-84": 2500,
        "85-89": 1500,
        "90+": 1000,
    }
)


def _events_and_weights(
    counts: Any, populations: Any, standard_populations: Any, event_frequencies: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-band events, populations and weights, and the variance's Σ over frequencies
    of f²·xᵢ,f per band (xᵢ for independent events, where f = 1)."""
    if isinstance(standard_populations, Mapping):
        standard_populations = list(standard_populations.values())
    n = as_float_array(populations, "populations")
    w = as_float_array(standard_populations, "standard_populations")
    if event_frequencies is None:
        x = as_float_array(counts, "counts")
        x, n, w = broadcast({"counts": x, "populations": n, "standard_populations": w}, "dsr")
        people = x[:, None]
        frequencies = np.ones(1)
    else:
        frequencies = as_float_array(event_frequencies, "event_frequencies")
        people = np.asarray(counts, dtype=float).reshape(n.size, frequencies.size)
        n, w = broadcast({"populations": n, "standard_populations": w}, "dsr")
    problems = Problems("dsr")
    problems.check(np.any(people < 0, axis=1), "count is negative")
    problems.check(np.isnan(n), "population is missing")
    problems.check(n <= 0, "population is not positive")
    problems.check(np.isnan(w) | (w < 0), "standard population is missing or negative")
    problems.check(np.isnan(frequencies) | (frequencies <= 0), "event frequency is not positive")
    problems.raise_if_any()
    people = np.nan_to_num(people, nan=0.0)
    return people @ frequencies, n, w, people @ frequencies**2


def dsr(
    counts: Any,
    populations: Any,
    standard_populations: Any,
    *,
    confidence: float = 0.95,
    multiplier: float = 100000,
    event_frequencies: Any = None,
) -> dict[str, float]:
    """Directly standardised rate for one area, with Dobson limits.

    Inputs are per age band, in the same order: observed events ``xᵢ``, local
    populations ``nᵢ`` and standard population weights ``wᵢ`` (e.g.
    ``list(ESP2013.values())``, or a mapping such as ``ESP2013`` itself).
    ``value = Σ(xᵢwᵢ/nᵢ)/Σwᵢ·m``; the limits scale the Byar/exact limits of the
    total count ``O = Σxᵢ`` by ``√(var/O)`` with ``var = Σxᵢ(wᵢ/nᵢ)²/(Σwᵢ)²``.

    Events that are not independent (one person counted several times):
    give ``event_frequencies`` (e.g. ``[1, 2, 3]``) and as ``counts`` the
    number of *people* in each age band with each frequency (bands ×
    frequencies). The events are ``xᵢ = Σf·pᵢ,f`` and the variance
    ``Σf²·pᵢ,f(wᵢ/nᵢ)²/(Σwᵢ)²``, as PHEindicatormethods ``calculate_dsr``
    does with ``independent_events = FALSE``: wider limits, same value.

    A missing band count counts as 0; a missing or non-positive population, a
    negative count or a missing/negative weight raises ValueError. Value and
    limits are suppressed (NaN) when ``O < 10``, as Fingertips does. The lower
    limit is floored at 0 (Dobson's can dip below 0 only at extreme
    confidence, e.g. 1, where the exact lower limit of O is 0).
    Source: Dobson et al. (1991); PHEindicatormethods ``phe_dsr``/``calculate_dsr``.

    >>> round(dsr([10, 20], [1000, 2000], [5000, 5500])["value"], 1)
    1000.0
    """
    level = normalise_confidence(confidence)
    x, n, w, x_f2 = _events_and_weights(
        counts, populations, standard_populations, event_frequencies
    )
    total_weight = w.sum()
    observed = float(x.sum())
    if observed < BYAR_FROM or total_weight <= 0:
        return {"value": np.nan, "lower": np.nan, "upper": np.nan, "total_count": observed}
    rate = float(np.sum(x * w / n) / total_weight)
    variance = float(np.sum(x_f2 * (w / n) ** 2) / total_weight**2)
    o_lower, o_upper = (float(v[0]) for v in poisson_limits([observed], confidence=level))
    spread = np.sqrt(variance / observed)
    return {
        "value": rate * multiplier,
        "lower": max(rate + spread * (o_lower - observed), 0.0) * multiplier,
        "upper": (rate + spread * (o_upper - observed)) * multiplier,
        "total_count": observed,
    }


def isr(
    counts: Any,
    populations: Any,
    reference_counts: Any,
    reference_populations: Any,
    *,
    confidence: float = 0.95,
    output: str = "ratio",
    reference_value: float = 1,
    multiplier: float = 100000,
) -> dict[str, float]:
    """Indirectly standardised ratio (or rate) for one area, by band.

    ``E = Σ nᵢ·refxᵢ/refnᵢ`` and ``O = Σxᵢ``. ``output="ratio"`` gives
    ``O/E × reference_value`` (use 100 for an SMR); ``output="rate"`` gives
    ``O/E × Σrefx/Σrefn × multiplier``. Limits are the Poisson limits of O
    (exact below 10, Byar's from 10) over E, on the same scale. A band with a
    missing count adds 0 to O; a band with a missing population or reference
    count adds 0 to E. Reference populations must be present and positive.
    E = 0 gives NaN. Source: PHEindicatormethods ``calculate_ISRatio``/``ISRate``.

    >>> round(isr([30], [1000], [200], [10000])["value"], 3)
    1.5
    """
    level = normalise_confidence(confidence)
    if output not in ("ratio", "rate"):
        raise ValueError(f"isr: output must be 'ratio' or 'rate', got {output!r}")
    x, n, rx, rn = broadcast(
        {
            "counts": as_float_array(counts, "counts"),
            "populations": as_float_array(populations, "populations"),
            "reference_counts": as_float_array(reference_counts, "reference_counts"),
            "reference_populations": as_float_array(reference_populations, "reference_populations"),
        },
        "isr",
    )
    problems = Problems("isr")
    problems.check(x < 0, "count is negative")
    problems.check(n < 0, "population is negative")
    problems.check(rx < 0, "reference count is negative")
    problems.check(np.isnan(rn) | (rn <= 0), "reference population is missing or not positive")
    problems.raise_if_any()
    observed = float(np.nansum(x))
    contributes = ~(np.isnan(n) | np.isnan(rx))
    expected = float(np.sum(np.where(contributes, n * np.nan_to_num(rx) / rn, 0.0)))
    if output == "ratio":
        scale = float(reference_value)
    else:
        scale = float(np.nansum(rx) / rn.sum() * multiplier)
    o_lower, o_upper = (float(v[0]) for v in poisson_limits([observed], confidence=level))
    if expected <= 0:
        value = lower = upper = np.nan
    else:
        value, lower, upper = (v / expected * scale for v in (observed, o_lower, o_upper))
    return {
        "value": value,
        "lower": lower,
        "upper": upper,
        "observed": observed,
        "expected": expected,
    }
