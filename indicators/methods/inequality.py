"""Who is being reached? The slope and relative index of inequality (SII, RII).

Exactly as PHEindicatormethods ``phe_sii`` computes them. Across deprivation
deciles or quintiles ordered from most to least deprived, each group gets a
population share ``a`` and a rank ``b`` at the mid-point of its slice of the
cumulative population. The regression ``y√a ~ √a + b√a`` without an intercept
term (weighted least squares of y on b with weights a, Low & Low 2004) gives
the fitted value at rank 0 (the most deprived end) and at rank 1.

``transform=True`` fits that regression to log rates or logit proportions (the
linearity the method assumes holds better there) and back-transforms the two
ends: SII = fitted(1) − fitted(0), RII = fitted(1) / fitted(0), on the
indicator's own scale. Without it the fit is on the raw values.

Confidence limits are by simulation, as ``phe_sii`` does: each group's value is
redrawn from a normal distribution with its standard error — on the log scale
for rates and the logit scale for proportions whatever ``transform`` says,
because their intervals are not symmetric — the regression is refitted for
every draw (all at once, as one matrix product), and the limits are order
statistics of the simulated slopes. With ``transform=True`` the limits of the
slope on the transformed scale are placed symmetrically about the fitted line's
mid-point and back-transformed, as ``phe_sii`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

from indicators.methods.intervals import Problems, as_float_array, broadcast, normalise_confidence

__all__ = ["sii"]

_VALUE_TYPES = ("rate", "proportion", "other")
_MIN_GROUPS = 3
# Draws are simulated in blocks of about this many numbers to bound memory.
_BLOCK_NUMBERS = 4_000_000

Scale = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def _identity(values: Any) -> Any:
    return values


def _scale(value_type: str) -> Scale:
    """Forward and inverse transformations of a value type: log for rates, logit for
    proportions, the identity for anything else."""
    if value_type == "rate":
        return np.log, np.exp
    if value_type == "proportion":
        return special.logit, special.expit
    return _identity, _identity


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


def _ends(start: float, end: float, multiplier: float) -> tuple[float, float]:
    """SII and RII from the fitted values at rank 0 and rank 1 (RII inverted for a
    negative multiplier, as PHEindicatormethods does). A fitted value of 0 at an end
    has no ratio: the RII is NaN (R's division gives Inf or NaN there, never a number)."""
    if start == 0 or end == 0:
        return multiplier * (end - start), np.nan
    ratio = end / start
    return multiplier * (end - start), 1 / ratio if multiplier < 0 else ratio


def _simulated_slopes(
    centre: np.ndarray,
    spread: np.ndarray,
    design: np.ndarray,
    root: np.ndarray,
    to_fit: Callable[[Any], Any],
    repetitions: int,
    seed: int,
) -> np.ndarray:
    """Coefficients (b₀, b₁) refitted to ``repetitions`` normal redraws of the values."""
    # Least-squares coefficients are a fixed linear map of the weighted values.
    hat = np.linalg.solve(design.T @ design, design.T)  # 2 × groups
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_NUMBERS // centre.size)
    coefficients = []
    for start in range(0, repetitions, block):  # blocks only bound memory
        draws = rng.standard_normal((min(block, repetitions - start), centre.size))
        coefficients.append((to_fit(centre + draws * spread) * root) @ hat.T)
    return np.concatenate(coefficients)


def _check_inputs(named: dict[str, np.ndarray], transform: bool, value_type: str) -> None:
    """Raise, naming every position, for inputs phe_sii refuses."""
    problems = Problems("sii")
    problems.check(named["populations"] <= 0, "population is not positive")
    if named["values"].size < _MIN_GROUPS:
        problems.messages.append(f"needs at least {_MIN_GROUPS} groups, got {named['values'].size}")
    if transform and value_type == "other":
        problems.messages.append("transform=True needs value_type 'rate' or 'proportion'")
    if transform and "se" in named:
        problems.messages.append("transform=True needs lowers and uppers, not se (as phe_sii)")
    problems.raise_if_any()


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

    * ``sii`` — fitted value at rank 1 minus that at rank 0, × ``multiplier``
      (positive when the value rises from the most to the least deprived; use a
      negative multiplier to read it the other way round, or 100 for
      percentage points from 0-1 proportions);
    * ``intercept`` — the fitted value at rank 0 (most deprived) × |multiplier|;
    * ``rii`` — fitted value at rank 1 over rank 0; inverted when the
      multiplier is negative, as PHEindicatormethods does.

    ``transform=True`` fits on the log (``value_type="rate"``, values > 0) or
    logit (``"proportion"``, values strictly between 0 and 1, not percentages)
    scale and back-transforms; it needs ``lowers`` and ``uppers`` rather than
    ``se``. Limits come from ``repetitions`` draws seeded by ``seed`` (same
    inputs, same answer), simulated on the value type's scale. Each group's
    standard error is ``se`` if given (on that scale), else ``(upper −
    lower)/(2·z)`` of the transformed limits of its ``ci_confidence`` (95%)
    interval. Without CIs or SEs the limits are NaN. A missing value or
    population gives NaN throughout; a non-positive population raises.
    Source: Low & Low (2004); PHEindicatormethods ``phe_sii``.

    >>> round(sii([30, 25, 20, 15, 10], [1, 1, 1, 1, 1])["sii"], 6)
    -25.0
    """
    if value_type not in _VALUE_TYPES:
        raise ValueError(f"sii: value_type must be one of {_VALUE_TYPES}, got {value_type!r}")
    level = normalise_confidence(confidence)
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
    _check_inputs(arrays, transform, value_type)
    y, pop = arrays["values"], arrays["populations"]

    result = dict.fromkeys(
        ("sii", "rii", "intercept", "sii_lower", "sii_upper", "rii_lower", "rii_upper"), np.nan
    )
    if np.isnan(y).any() or np.isnan(pop).any():
        return result
    forward, inverse = _scale(value_type)
    fit_forward, fit_inverse = (forward, inverse) if transform else (_identity, _identity)
    problems = Problems("sii")
    with np.errstate(divide="ignore", invalid="ignore"):
        fitted_values = fit_forward(y)
    problems.check(~np.isfinite(fitted_values), "value cannot be transformed (out of range)")
    problems.raise_if_any()
    root, design = _design(pop)
    (b0, b1), *_ = np.linalg.lstsq(design, fitted_values * root, rcond=None)
    start, end = float(fit_inverse(b0)), float(fit_inverse(b0 + b1))
    result["sii"], result["rii"] = _ends(start, end, multiplier)
    result["intercept"] = abs(multiplier) * start

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

    # Redraws are back-transformed before the fit unless the fit itself is transformed.
    to_fit = _identity if transform else inverse
    coef = _simulated_slopes(centre, spread, design, root, to_fit, int(repetitions), seed)
    if transform:
        # phe_sii: the slope's limits, centred on the fitted line's mid-point, back-transformed.
        middle = b0 + b1 / 2
        ends = [
            _ends(float(inverse(middle - s / 2)), float(inverse(middle + s / 2)), multiplier)
            for s in _order_statistic_limits(coef[:, 1], level)
        ]
        result["sii_lower"], result["sii_upper"] = sorted(e[0] for e in ends)
        result["rii_lower"], result["rii_upper"] = sorted(e[1] for e in ends)
        return result
    sim_rii = (coef[:, 0] + coef[:, 1]) / coef[:, 0]
    if multiplier < 0:
        sim_rii = 1 / sim_rii
    result["sii_lower"], result["sii_upper"] = _order_statistic_limits(
        multiplier * coef[:, 1], level
    )
    result["rii_lower"], result["rii_upper"] = _order_statistic_limits(sim_rii, level)
    return result
