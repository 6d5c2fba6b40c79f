"""Who is being reached? The slope and relative index of inequality (SII, RII).

Across deprivation deciles or quintiles ordered from most to least deprived,
each group gets a population share ``a`` and a rank ``b`` at the mid-point of
its slice of the cumulative population. The regression ``y√a ~ √a + b√a``
without an intercept term (weighted least squares of y on b with weights a,
Low & Low 2004) gives the fitted value at rank 0 (the most deprived end) and
the slope, which is the SII: the gap between the two ends of the deprivation
scale. Confidence limits are by simulation, as in PHEindicatormethods
``phe_sii``: each group's value is redrawn from a normal distribution with its
standard error, the regression is refitted for every draw (all at once, as one
matrix product), and the limits are percentiles of the simulated SIIs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from indicators.methods.intervals import Problems, as_float_array, broadcast, normalise_confidence

__all__ = ["sii"]

_VALUE_TYPES = ("rate", "proportion", "other")
_MIN_GROUPS = 3
# Draws are simulated in blocks of about this many numbers to bound memory.
_BLOCK_NUMBERS = 4_000_000


def _transform(value_type: str, transform: bool) -> tuple[Any, Any]:
    """Forward and inverse transformations for simulation (log for rates, logit for
    proportions), or the identity."""
    if not transform:
        return (lambda v: v), (lambda v: v)
    if value_type == "rate":
        return np.log, np.exp
    if value_type == "proportion":
        return special.logit, special.expit
    raise ValueError("sii: transform=True needs value_type 'rate' or 'proportion'")


def _design(populations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """√a and the design matrix [√a, b√a] from group populations (most deprived first)."""
    share = populations / populations.sum()
    rank = np.cumsum(share) - share / 2
    root = np.sqrt(share)
    return root, np.column_stack([root, rank * root])


def _order_statistic_limits(samples: np.ndarray, confidence: float) -> tuple[float, float]:
    """Lower/upper limits as the PHEindicatormethods order statistics of the draws."""
    count = samples.size
    upper_tail = confidence + (1 - confidence) / 2
    low_pos = int(np.clip(np.floor(count * (1 - upper_tail) + 0.5), 1, count)) - 1
    high_pos = int(np.clip(np.floor(count * upper_tail + 0.5), 1, count)) - 1
    ordered = np.partition(samples, [low_pos, high_pos])
    return float(ordered[low_pos]), float(ordered[high_pos])


def sii(
    values: Any,
    populations: Any,
    *,
    lowers: Any = None,
    uppers: Any = None,
    value_type: str = "rate",
    multiplier: float = 1,
    transform: bool = False,
    confidence: float = 0.95,
    repetitions: int = 10000,
    seed: int = 0,
    se: Any = None,
    ci_confidence: float = 0.95,
) -> dict[str, float]:
    """Slope and relative index of inequality with simulated confidence limits.

    ``values`` and ``populations`` are per group, ordered from most to least
    deprived (at least 3 groups; 5 or 10 is usual). Returns ``sii, rii,
    intercept, sii_lower, sii_upper, rii_lower, rii_upper``:

    * ``sii`` — the fitted slope × ``multiplier`` (positive when the value
      rises from the most to the least deprived; use a negative multiplier to
      read it the other way round, or 100 for percentage points from 0-1
      proportions);
    * ``intercept`` — the fitted value at rank 0 (most deprived) × |multiplier|;
    * ``rii`` — fitted value at rank 1 over rank 0, ``(b₀ + b₁)/b₀`` from the
      unscaled coefficients, i.e. ``(intercept + sii)/intercept`` for a
      positive multiplier; inverted when the multiplier is negative, as
      PHEindicatormethods does.

    Limits come from ``repetitions`` draws seeded by ``seed`` (same inputs,
    same answer). Each group's standard error is ``se`` if given (on the
    simulation's scale), else ``(upper − lower)/(2·z)`` from its
    ``ci_confidence`` (95%) interval. ``transform=True`` simulates on the log
    scale for ``value_type="rate"`` (values > 0) and the logit scale for
    ``"proportion"`` (values strictly between 0 and 1, not percentages), then
    back-transforms each draw before the regression; the point estimates are
    the same either way. Without CIs or SEs the limits are NaN. A missing
    value or population gives NaN throughout; a non-positive population
    raises. Source: Low & Low (2004); PHEindicatormethods ``phe_sii``.

    >>> round(sii([30, 25, 20, 15, 10], [1, 1, 1, 1, 1])["sii"], 6)
    -25.0
    """
    if value_type not in _VALUE_TYPES:
        raise ValueError(f"sii: value_type must be one of {_VALUE_TYPES}, got {value_type!r}")
    level = normalise_confidence(confidence)
    forward, inverse = _transform(value_type, transform)
    if int(repetitions) < 1:
        raise ValueError(f"sii: repetitions must be at least 1, got {repetitions}")
    named = {
        "values": as_float_array(values, "values"),
        "populations": as_float_array(populations, "populations"),
    }
    if se is None and (lowers is None) != (uppers is None):
        raise ValueError("sii: give both lowers and uppers (or se), not just one")
    if se is not None:
        named["se"] = as_float_array(se, "se")
    elif lowers is not None and uppers is not None:
        named["lowers"] = as_float_array(lowers, "lowers")
        named["uppers"] = as_float_array(uppers, "uppers")
    arrays = dict(zip(named, broadcast(named, "sii"), strict=True))
    y, pop = arrays["values"], arrays["populations"]
    problems = Problems("sii")
    problems.check(pop <= 0, "population is not positive")
    if y.size < _MIN_GROUPS:
        problems.messages.append(f"needs at least {_MIN_GROUPS} groups, got {y.size}")
    problems.raise_if_any()

    result = dict.fromkeys(
        ("sii", "rii", "intercept", "sii_lower", "sii_upper", "rii_lower", "rii_upper"), np.nan
    )
    if np.isnan(y).any() or np.isnan(pop).any():
        return result
    root, design = _design(pop)
    (b0, b1), *_ = np.linalg.lstsq(design, y * root, rcond=None)
    rii = (b0 + b1) / b0
    result.update(
        sii=float(multiplier * b1),
        intercept=float(abs(multiplier) * b0),
        rii=float(1 / rii if multiplier < 0 else rii),
    )

    with np.errstate(divide="ignore", invalid="ignore"):
        centre = forward(y)
        if "se" in arrays:
            spread = arrays["se"]
        elif "lowers" in arrays:
            z = special.ndtri(normalise_confidence(ci_confidence) / 2 + 0.5)
            spread = (forward(arrays["uppers"]) - forward(arrays["lowers"])) / (2 * z)
        else:
            return result
    problems.check(~np.isfinite(centre), "value cannot be transformed (out of range)")
    problems.check(~np.isfinite(spread) | (spread < 0), "standard error is missing or invalid")
    problems.raise_if_any()

    # Least-squares coefficients are a fixed linear map of the weighted values.
    hat = np.linalg.solve(design.T @ design, design.T)  # 2 × groups
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_NUMBERS // y.size)
    coefficients = []
    for start in range(0, int(repetitions), block):  # blocks only bound memory
        draws = rng.standard_normal((min(block, int(repetitions) - start), y.size))
        simulated = inverse(centre + draws * spread) * root
        coefficients.append(simulated @ hat.T)
    coef = np.concatenate(coefficients)
    sim_rii = (coef[:, 0] + coef[:, 1]) / coef[:, 0]
    if multiplier < 0:
        sim_rii = 1 / sim_rii
    result["sii_lower"], result["sii_upper"] = _order_statistic_limits(
        multiplier * coef[:, 1], level
    )
    result["rii_lower"], result["rii_upper"] = _order_statistic_limits(sim_rii, level)
    return result
