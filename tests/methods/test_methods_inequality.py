"""Slope and relative index of inequality against statsmodels and a hand simulation.

The point estimates are checked against a statsmodels WLS fit of y on the
mid-point rank with population-share weights (the same model as the √a
regression without intercept), and with ``transform=True`` against the same
fit of log or logit values, back-transformed. For ``value_type="other"`` the
simulated SII is normal with a variance that the sandwich formula gives
exactly, so the simulated limits are checked against it; rates and proportions
are simulated on the log or logit scale, checked against an independent,
slower simulation written out here. PHEindicatormethods' own test data are in
``test_methods_inequality_phe.py``.
"""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from indicators.methods import sii

# PHEindicatormethods' own example (area 1 of the phe_sii documentation).
VALUES = np.array([75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3])
POPULATIONS = np.array([7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534])
LOWERS = np.array([72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2])
UPPERS = np.array([79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4])


def statsmodels_fit(values, populations):
    share = populations / populations.sum()
    rank = np.cumsum(share) - share / 2
    fit = sm.WLS(values, sm.add_constant(rank), weights=share).fit()
    return fit.params  # intercept (value at rank 0), slope


def test_point_estimates_match_statsmodels_wls():
    intercept, slope = statsmodels_fit(VALUES, POPULATIONS)
    got = sii(VALUES, POPULATIONS, lowers=LOWERS, uppers=UPPERS, value_type="other")
    assert got["sii"] == pytest.approx(slope)
    assert got["intercept"] == pytest.approx(intercept)
    assert got["rii"] == pytest.approx((intercept + slope) / intercept)
    assert got["sii_lower"] < got["sii"] < got["sii_upper"]
    assert got["rii_lower"] < got["rii"] < got["rii_upper"]


def test_sqrt_a_regression_without_intercept_is_the_same_model():
    share = POPULATIONS / POPULATIONS.sum()
    rank = np.cumsum(share) - share / 2
    root = np.sqrt(share)
    fit = sm.OLS(VALUES * root, np.column_stack([root, rank * root])).fit()
    got = sii(VALUES, POPULATIONS)
    assert got["intercept"] == pytest.approx(fit.params[0])
    assert got["sii"] == pytest.approx(fit.params[1])


def test_multiplier_scales_sii_and_negative_inverts_rii():
    intercept, slope = statsmodels_fit(VALUES, POPULATIONS)
    scaled = sii(VALUES, POPULATIONS, multiplier=100)
    assert scaled["sii"] == pytest.approx(100 * slope)
    assert scaled["intercept"] == pytest.approx(100 * intercept)
    assert scaled["rii"] == pytest.approx((intercept + slope) / intercept)
    flipped = sii(VALUES, POPULATIONS, lowers=LOWERS, uppers=UPPERS, multiplier=-1)
    assert flipped["sii"] == pytest.approx(-slope)
    assert flipped["intercept"] == pytest.approx(intercept)
    assert flipped["rii"] == pytest.approx(intercept / (intercept + slope))
    assert flipped["sii_lower"] < flipped["sii"] < flipped["sii_upper"] < 0
    assert flipped["rii_lower"] < flipped["rii"] < flipped["rii_upper"] < 1


def test_simulated_limits_match_the_exact_normal_sandwich():
    # 100,000 repetitions (the PHEindicatormethods default) must run; no timing asserted.
    got = sii(
        VALUES,
        POPULATIONS,
        lowers=LOWERS,
        uppers=UPPERS,
        value_type="other",
        repetitions=100_000,
        seed=1,
    )
    # Var(slope) for WLS with weights a and known variances se²:
    # (X'AX)⁻¹ X'A diag(se²) A X (X'AX)⁻¹, X = [1, rank].
    share = POPULATIONS / POPULATIONS.sum()
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.ones_like(rank), rank])
    se = (UPPERS - LOWERS) / (2 * stats.norm.ppf(0.975))
    bread = np.linalg.inv(design.T @ (share[:, None] * design))
    meat = design.T @ ((share**2 * se**2)[:, None] * design)
    sd_slope = np.sqrt((bread @ meat @ bread)[1, 1])
    half = stats.norm.ppf(0.975) * sd_slope
    assert got["sii_lower"] == pytest.approx(got["sii"] - half, rel=0.02)
    assert got["sii_upper"] == pytest.approx(got["sii"] + half, rel=0.02)


def test_standard_errors_can_be_given_directly():
    se = (UPPERS - LOWERS) / (2 * stats.norm.ppf(0.975))
    from_se = sii(VALUES, POPULATIONS, se=se, seed=3, value_type="other")
    from_cis = sii(VALUES, POPULATIONS, lowers=LOWERS, uppers=UPPERS, seed=3, value_type="other")
    assert from_se == pytest.approx(from_cis)


def test_seeded_results_repeat_and_seeds_differ():
    args = (VALUES, POPULATIONS)
    kwargs = {"lowers": LOWERS, "uppers": UPPERS, "repetitions": 5000}
    assert sii(*args, **kwargs, seed=7) == sii(*args, **kwargs, seed=7)
    assert sii(*args, **kwargs, seed=7)["sii_lower"] != sii(*args, **kwargs, seed=8)["sii_lower"]


def test_wider_confidence_gives_wider_limits():
    kwargs = {"lowers": LOWERS, "uppers": UPPERS, "repetitions": 20000}
    narrow = sii(VALUES, POPULATIONS, **kwargs)
    wide = sii(VALUES, POPULATIONS, **kwargs, confidence=99.8)
    assert wide["sii_lower"] < narrow["sii_lower"] < narrow["sii_upper"] < wide["sii_upper"]


def independent_transformed_simulation(values, populations, lowers, uppers, forward, inverse, n):
    """Slower, loop-free-but-different simulation: explicit weighted-slope formula."""
    rng = np.random.default_rng(12345)
    share = populations / populations.sum()
    rank = np.cumsum(share) - share / 2
    z = stats.norm.ppf(0.975)
    centre = forward(values)
    se = (forward(uppers) - forward(lowers)) / (2 * z)
    draws = inverse(rng.normal(centre, se, size=(n, len(values))))
    rank_mean = np.sum(share * rank)
    y_mean = draws @ share
    slope = ((draws - y_mean[:, None]) * (share * (rank - rank_mean))).sum(axis=1) / np.sum(
        share * (rank - rank_mean) ** 2
    )
    return np.percentile(slope, [2.5, 97.5])


def test_rates_are_simulated_on_the_log_scale_as_an_independent_simulation():
    rates = np.array([520.0, 480.0, 430.0, 400.0, 350.0])
    pops = np.array([12000, 11000, 10000, 9500, 9000])
    counts = rates * pops / 100000
    lowers = np.array([stats.chi2.ppf(0.025, 2 * c) / 2 for c in counts]) / pops * 100000
    uppers = np.array([stats.chi2.ppf(0.975, 2 * c + 2) / 2 for c in counts]) / pops * 100000
    got = sii(
        rates,
        pops,
        lowers=lowers,
        uppers=uppers,
        value_type="rate",
        repetitions=50000,
    )
    want = independent_transformed_simulation(rates, pops, lowers, uppers, np.log, np.exp, 50000)
    tolerance = 0.02 * (want[1] - want[0])  # Monte Carlo error, relative to the CI width
    assert got["sii_lower"] == pytest.approx(want[0], abs=tolerance)
    assert got["sii_upper"] == pytest.approx(want[1], abs=tolerance)


def test_proportions_are_simulated_on_the_logit_scale_as_an_independent_simulation():
    from scipy.special import expit, logit
    from statsmodels.stats.proportion import proportion_confint

    pops = np.array([900, 850, 800, 820, 760])
    counts = np.array([90, 70, 60, 45, 30])
    props = counts / pops
    lowers, uppers = proportion_confint(counts, pops, method="wilson")
    got = sii(
        props,
        pops,
        lowers=lowers,
        uppers=uppers,
        value_type="proportion",
        multiplier=100,
        repetitions=50000,
    )
    want = independent_transformed_simulation(props, pops, lowers, uppers, logit, expit, 50000)
    assert got["sii"] < 0
    tolerance = 0.02 * 100 * (want[1] - want[0])
    assert got["sii_lower"] == pytest.approx(100 * want[0], abs=tolerance)
    assert got["sii_upper"] == pytest.approx(100 * want[1], abs=tolerance)


def test_transform_fits_log_rates_and_back_transforms_the_ends():
    rates = np.array([520.0, 480.0, 430.0, 400.0, 350.0])
    pops = np.array([12000, 11000, 10000, 9500, 9000])
    start, slope = statsmodels_fit(np.log(rates), pops)
    got = sii(rates, pops, value_type="rate", transform=True)
    assert got["sii"] == pytest.approx(np.exp(start + slope) - np.exp(start))
    assert got["intercept"] == pytest.approx(np.exp(start))
    assert got["rii"] == pytest.approx(np.exp(slope))
    assert got["sii"] != pytest.approx(sii(rates, pops)["sii"], rel=1e-3)


def test_transform_fits_logit_proportions_and_back_transforms_the_ends():
    from scipy.special import expit, logit

    props = np.array([0.10, 0.082, 0.075, 0.055, 0.039])
    pops = np.array([900, 850, 800, 820, 760])
    start, slope = statsmodels_fit(logit(props), pops)
    got = sii(props, pops, value_type="proportion", transform=True, multiplier=-100)
    assert got["sii"] == pytest.approx(-100 * (expit(start + slope) - expit(start)))
    assert got["intercept"] == pytest.approx(100 * expit(start))
    assert got["rii"] == pytest.approx(expit(start) / expit(start + slope))


def test_transform_needs_values_in_range_and_a_supported_type():
    with pytest.raises(ValueError, match="transform"):
        sii(VALUES, POPULATIONS, lowers=LOWERS, uppers=UPPERS, value_type="other", transform=True)
    with pytest.raises(ValueError, match="out of range"):
        sii(
            VALUES,
            POPULATIONS,
            lowers=LOWERS,
            uppers=UPPERS,
            value_type="proportion",
            transform=True,
        )
    with pytest.raises(ValueError, match="value_type"):
        sii(VALUES, POPULATIONS, value_type="count")


def test_without_cis_the_limits_are_missing():
    got = sii(VALUES, POPULATIONS)
    assert not np.isnan(got["sii"])
    assert np.isnan(got["sii_lower"]) and np.isnan(got["rii_upper"])


def test_missing_and_invalid_inputs():
    values = VALUES.copy()
    values[3] = np.nan
    assert all(np.isnan(v) for v in sii(values, POPULATIONS).values())
    pops = POPULATIONS.copy()
    pops[2] = 0
    with pytest.raises(ValueError, match="population is not positive at position 2"):
        sii(VALUES, pops)
    with pytest.raises(ValueError, match="at least 3 groups"):
        sii([1, 2], [10, 10])
    with pytest.raises(ValueError, match="standard error"):
        sii(VALUES, POPULATIONS, lowers=UPPERS, uppers=LOWERS)
    with pytest.raises(ValueError, match="both lowers and uppers"):
        sii(VALUES, POPULATIONS, lowers=LOWERS)


def test_equal_groups_worked_example():
    # Five equal quintiles: ranks 0.1, 0.3, 0.5, 0.7, 0.9; values fall by 5 per 0.2 of rank,
    # so the slope is −25 and the fitted value at rank 0 is 30 + 0.1 × 25 = 32.5.
    got = sii([30, 25, 20, 15, 10], [1, 1, 1, 1, 1])
    assert got["sii"] == pytest.approx(-25)
    assert got["intercept"] == pytest.approx(32.5)
    assert got["rii"] == pytest.approx(7.5 / 32.5)
