"""Wilson, exact Poisson/Byar's and Student's t intervals against independent values.

Wilson is checked against statsmodels, exact Poisson limits by root-finding on
scipy's Poisson distribution (not the chi-square formula the code uses), Byar's
against the formula evaluated by hand with ``math`` and against published
exact limits, and the mean against ``scipy.stats.t.interval``.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

from indicators.methods import mean_ci, poisson_limits, proportion_ci, rate_ci

Z95 = stats.norm.ppf(0.975)


# --- proportions: Wilson score ------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.998])
def test_wilson_matches_statsmodels(confidence):
    x = np.array([0, 1, 5, 17, 50, 99, 100, 3, 250])
    n = np.array([100, 100, 100, 100, 100, 100, 100, 7, 1000])
    got = proportion_ci(x, n, confidence=confidence, multiplier=1)
    low, high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    np.testing.assert_allclose(got["lower"], low, atol=1e-12)
    np.testing.assert_allclose(got["upper"], high, atol=1e-12)
    np.testing.assert_allclose(got["value"], x / n)


@given(
    n=st.integers(min_value=1, max_value=10**6),
    fraction=st.floats(min_value=0, max_value=1),
    confidence=st.sampled_from([0.9, 0.95, 0.998]),
)
def test_wilson_property_brackets_the_value_within_range(n, fraction, confidence):
    x = round(n * fraction)
    got = proportion_ci(x, n, confidence=confidence).iloc[0]
    assert 0 <= got["lower"] <= got["value"] <= got["upper"] <= 100
    low, high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    assert got["lower"] == pytest.approx(low * 100, abs=1e-9)
    assert got["upper"] == pytest.approx(high * 100, abs=1e-9)


def test_wilson_percentage_scale_and_non_integer_numerator():
    got = proportion_ci(12.5, 40)
    low, high = proportion_confint(12.5, 40, method="wilson")
    assert got.loc[0, "value"] == pytest.approx(31.25)
    assert got.loc[0, "lower"] == pytest.approx(low * 100)
    assert got.loc[0, "upper"] == pytest.approx(high * 100)


def test_wilson_zero_count_has_lower_limit_exactly_zero():
    got = proportion_ci(0, 25)
    assert got.loc[0, "value"] == 0
    assert got.loc[0, "lower"] == 0.0
    # Upper limit with x = 0 is z²/(n + z²).
    assert got.loc[0, "upper"] == pytest.approx(Z95**2 / (25 + Z95**2) * 100)


def test_wilson_count_equal_to_denominator_has_upper_limit_exactly_m():
    got = proportion_ci(25, 25)
    assert got.loc[0, "upper"] == 100.0
    assert got.loc[0, "lower"] == pytest.approx(25 / (25 + Z95**2) * 100)


def test_wilson_tiny_sample():
    got = proportion_ci([0, 1], [1, 1], multiplier=1)
    low, high = proportion_confint([0, 1], [1, 1], method="wilson")
    np.testing.assert_allclose(got["lower"], low, atol=1e-12)
    np.testing.assert_allclose(got["upper"], high, atol=1e-12)


def test_wilson_missing_inputs_give_missing_rows():
    got = proportion_ci([1, None, 3, np.nan, pd.NA], [10, 10, None, 10, 10])
    assert len(got) == 5
    assert got.iloc[0].notna().all()
    assert got.iloc[1:].isna().all().all()


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([1, -1], [10, 10], "numerator is negative at position 1"),
        ([1, 1], [10, 0], "denominator is not positive at position 1"),
        ([1, 2], [-5, 10], "denominator is not positive at position 0"),
        ([11, 1], [10, 10], "numerator exceeds denominator at position 0"),
    ],
)
def test_wilson_invalid_inputs_raise_naming_problem_and_position(x, n, message):
    with pytest.raises(ValueError, match=message):
        proportion_ci(x, n)


def test_wilson_reports_every_problem_at_once():
    with pytest.raises(ValueError) as caught:
        proportion_ci([-1, 5, 1], [10, 4, 0])
    text = str(caught.value)
    assert "negative at position 0" in text
    assert "exceeds denominator at position 1" in text
    assert "not positive at position 2" in text


def test_wilson_confidence_one_is_the_whole_range():
    got = proportion_ci([0, 3, 10], [10, 10, 10], confidence=1)
    assert got["lower"].tolist() == [0, 0, 0]
    assert got["upper"].tolist() == [100, 100, 100]


def test_wilson_broadcasts_scalar_and_keeps_series_index():
    counts = pd.Series([1, 2, 3], index=["ward a", "ward b", "ward c"])
    got = proportion_ci(counts, 10)
    assert list(got.index) == ["ward a", "ward b", "ward c"]
    assert list(got.columns) == ["value", "lower", "upper"]
    assert got["value"].tolist() == pytest.approx([10, 20, 30])


def test_wilson_mismatched_lengths_are_named():
    with pytest.raises(ValueError, match="different lengths"):
        proportion_ci([1, 2, 3], [10, 10])


# --- rates: exact Poisson below 10, Byar's from 10 -------------------------------------


def exact_by_root_finding(x, confidence):
    """Exact Poisson limits from scipy's Poisson distribution, by root-finding.

    Lower L: P(X >= x | L) = α/2; upper U: P(X <= x | U) = α/2.
    """
    alpha = 1 - confidence
    lower = (
        0.0
        if x == 0
        else optimize.brentq(lambda mu: stats.poisson.sf(x - 1, mu) - alpha / 2, 1e-9, 100)
    )
    upper = optimize.brentq(lambda mu: stats.poisson.cdf(x, mu) - alpha / 2, 1e-9, 100)
    return lower, upper


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("x", range(10))
def test_exact_poisson_below_ten_matches_root_finding(x, confidence):
    low, high = poisson_limits([x], confidence=confidence)
    want_low, want_high = exact_by_root_finding(x, confidence)
    assert low[0] == pytest.approx(want_low, rel=1e-7, abs=1e-12)
    assert high[0] == pytest.approx(want_high, rel=1e-7)


def test_exact_poisson_zero_count_published_values():
    # Published exact 95% limits for 0 events: 0 and 3.689.
    low, high = poisson_limits([0])
    assert low[0] == 0.0
    assert high[0] == pytest.approx(3.6889, abs=1e-4)


def byar_by_hand(x, z):
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lower, upper


@pytest.mark.parametrize("x", [10, 11, 20, 57, 400, 12345])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_byar_from_ten_matches_hand_formula(x, confidence):
    z = stats.norm.ppf(confidence + (1 - confidence) / 2)
    low, high = poisson_limits([x], confidence=confidence)
    want_low, want_high = byar_by_hand(x, z)
    assert low[0] == pytest.approx(want_low, rel=1e-12)
    assert high[0] == pytest.approx(want_high, rel=1e-12)


def test_byar_worked_value_for_twenty_events():
    # By hand, z = 1.959964: 1 - 1/180 - 1.959964/(3·√20) = 0.848357, cubed 0.610571,
    # × 20 = 12.2114. Upper: 1 - 1/189 + 1.959964/(3·√21) = 1.137275, cubed 1.470947,
    # × 21 = 30.8899. Published exact limits for 20 events are 12.22 and 30.89.
    low, high = poisson_limits([20])
    assert low[0] == pytest.approx(12.2114, abs=1e-4)
    assert high[0] == pytest.approx(30.8899, abs=1e-4)
    exact_low, exact_high = exact_by_root_finding(20, 0.95)
    assert low[0] == pytest.approx(exact_low, rel=2e-3)
    assert high[0] == pytest.approx(exact_high, rel=2e-3)


@given(x=st.integers(min_value=0, max_value=10**6), confidence=st.sampled_from([0.95, 0.998]))
def test_poisson_property_limits_bracket_the_count(x, confidence):
    low, high = poisson_limits([x], confidence=confidence)
    assert 0 <= low[0] <= x < high[0]


def test_byar_and_exact_meet_smoothly_at_ten():
    # Either side of the switch the two methods agree to within 1%.
    exact_low, exact_high = exact_by_root_finding(10, 0.95)
    low, high = poisson_limits([10])
    assert low[0] == pytest.approx(exact_low, rel=0.01)
    assert high[0] == pytest.approx(exact_high, rel=0.01)


def test_rate_ci_scales_by_denominator_and_multiplier():
    got = rate_ci([4, 25], [2000, 5000], multiplier=1000)
    low4, high4 = exact_by_root_finding(4, 0.95)
    low25, high25 = byar_by_hand(25, Z95)
    np.testing.assert_allclose(got["value"], [2.0, 5.0])
    np.testing.assert_allclose(got["lower"], [low4 / 2, low25 / 5], rtol=1e-7)
    np.testing.assert_allclose(got["upper"], [high4 / 2, high25 / 5], rtol=1e-7)


def test_rate_numerator_may_exceed_denominator():
    got = rate_ci(30, 10, multiplier=1)
    assert got.loc[0, "value"] == 3.0
    assert got.loc[0, "lower"] < 3.0 < got.loc[0, "upper"]


def test_rate_zero_count_and_missing():
    got = rate_ci([0, None], [100, 100], multiplier=100)
    assert got.loc[0, "lower"] == 0.0
    assert got.loc[0, "upper"] == pytest.approx(3.6889, abs=1e-4)
    assert got.iloc[1].isna().all()


@pytest.mark.parametrize(("x", "n"), [([-1], [10]), ([1], [0]), ([1], [-3])])
def test_rate_invalid_inputs_raise(x, n):
    with pytest.raises(ValueError, match="position 0"):
        rate_ci(x, n)


def test_rate_confidence_one_is_zero_to_infinity():
    got = rate_ci([0, 5, 50], [100, 100, 100], confidence=100)
    assert got["lower"].tolist() == [0, 0, 0]
    assert np.isinf(got["upper"]).all()


# --- means: Student's t ----------------------------------------------------------------


def test_mean_ci_matches_scipy_t_interval():
    values = [3.1, 4.7, 5.0, 2.2, 6.9, 4.4]
    got = mean_ci(values, confidence=0.95)
    sem = stats.sem(values)
    low, high = stats.t.interval(0.95, df=len(values) - 1, loc=np.mean(values), scale=sem)
    assert got["value"] == pytest.approx(np.mean(values))
    assert got["lower"] == pytest.approx(low)
    assert got["upper"] == pytest.approx(high)
    assert got["n"] == 6
    assert got["sd"] == pytest.approx(np.std(values, ddof=1))


def test_mean_ci_ignores_missing_values():
    got = mean_ci([1.0, None, 2.0, np.nan, 6.0], confidence=99.8)
    low, high = stats.t.interval(0.998, df=2, loc=3.0, scale=stats.sem([1, 2, 6]))
    assert got["n"] == 3
    assert got["lower"] == pytest.approx(low)
    assert got["upper"] == pytest.approx(high)


def test_mean_ci_tiny_samples():
    one = mean_ci([4.0])
    assert one["value"] == 4.0 and one["n"] == 1
    assert np.isnan(one["lower"]) and np.isnan(one["upper"]) and np.isnan(one["sd"])
    none = mean_ci([None, np.nan])
    assert none["n"] == 0 and np.isnan(none["value"])


def test_mean_ci_confidence_one_is_unbounded():
    got = mean_ci([1, 2, 3], confidence=1)
    assert got["lower"] == -np.inf and got["upper"] == np.inf
