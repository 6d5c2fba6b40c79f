"""Benchmark comparison (RAG) and funnel plots.

Funnel limits are checked by root-finding: at each limit, the Wilson interval
(from statsmodels) or the exact Poisson interval just touches the average.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

from indicators.methods import (
    classify_funnel_points,
    compare_to_benchmark,
    proportion_ci,
    proportion_funnel_limits,
    rate_funnel_limits,
)

# --- compare_to_benchmark ------------------------------------------------------------


@pytest.mark.parametrize(
    ("benchmark", "polarity", "expected"),
    [
        (20.0, "high_is_good", "better"),
        (20.0, "low_is_good", "worse"),
        (20.0, "no_judgement", "higher"),
        (40.0, "high_is_good", "worse"),
        (40.0, "low_is_good", "better"),
        (40.0, "no_judgement", "lower"),
        (30.0, "high_is_good", "similar"),
        (30.0, "no_judgement", "similar"),
    ],
)
def test_ci_overlap_95(benchmark, polarity, expected):
    assert compare_to_benchmark(30.0, 25.0, 35.0, benchmark, polarity=polarity) == expected


@pytest.mark.parametrize("benchmark", [25.0, 35.0])
def test_benchmark_exactly_on_a_limit_is_similar(benchmark):
    assert compare_to_benchmark(30.0, 25.0, 35.0, benchmark, polarity="high_is_good") == "similar"


@pytest.mark.parametrize(
    ("value", "lower", "upper", "benchmark"),
    [
        (None, 25.0, 35.0, 30.0),
        (30.0, np.nan, 35.0, 30.0),
        (30.0, 25.0, None, 30.0),
        (30.0, 25.0, 35.0, np.nan),
    ],
)
def test_missing_anything_is_not_compared(value, lower, upper, benchmark):
    got = compare_to_benchmark(value, lower, upper, benchmark, polarity="high_is_good")
    assert got == "not_compared"


@pytest.mark.parametrize(
    ("benchmark", "polarity", "expected"),
    [
        (30.0, "high_is_good", "similar"),
        (24.0, "high_is_good", "better"),  # outside 95% [25, 35], inside 99.8% [22, 38]
        (36.0, "high_is_good", "worse"),
        (20.0, "high_is_good", "much_better"),  # outside 99.8%
        (40.0, "high_is_good", "much_worse"),
        (20.0, "low_is_good", "much_worse"),
        (40.0, "low_is_good", "much_better"),
        (24.0, "low_is_good", "worse"),
        (20.0, "no_judgement", "much_higher"),
        (40.0, "no_judgement", "much_lower"),
        (36.0, "no_judgement", "lower"),
        (22.0, "high_is_good", "better"),  # exactly on the 99.8% limit: not "much"
    ],
)
def test_ci_overlap_95_998(benchmark, polarity, expected):
    got = compare_to_benchmark(
        30.0,
        25.0,
        35.0,
        benchmark,
        polarity=polarity,
        method="ci_overlap_95_998",
        lower_998=22.0,
        upper_998=38.0,
    )
    assert got == expected


def test_two_level_method_needs_998_limits():
    with pytest.raises(ValueError, match="lower_998"):
        compare_to_benchmark(1, 0, 2, 1, polarity="high_is_good", method="ci_overlap_95_998")


def test_missing_998_limit_is_not_compared():
    got = compare_to_benchmark(
        30.0,
        25.0,
        35.0,
        20.0,
        polarity="high_is_good",
        method="ci_overlap_95_998",
        lower_998=np.nan,
        upper_998=38.0,
    )
    assert got == "not_compared"


def test_invalid_polarity_and_method_raise():
    with pytest.raises(ValueError, match="polarity"):
        compare_to_benchmark(1, 0, 2, 1, polarity="up_is_good")
    with pytest.raises(ValueError, match="method"):
        compare_to_benchmark(1, 0, 2, 1, polarity="high_is_good", method="z_test")


def test_vectorised_over_arrays_and_series():
    frame = proportion_ci([10, 30, 50, None], [100, 100, 100, 100])
    got = compare_to_benchmark(
        frame["value"].to_numpy(),
        frame["lower"].to_numpy(),
        frame["upper"].to_numpy(),
        30.0,
        polarity="high_is_good",
    )
    assert isinstance(got, np.ndarray)
    assert got.tolist() == ["worse", "similar", "better", "not_compared"]

    frame.index = ["a", "b", "c", "d"]
    got = compare_to_benchmark(
        frame["value"], frame["lower"], frame["upper"], 30.0, polarity="low_is_good"
    )
    assert isinstance(got, pd.Series)
    assert got.to_dict() == {"a": "better", "b": "similar", "c": "worse", "d": "not_compared"}


def test_polarity_per_row():
    got = compare_to_benchmark(
        [30.0, 30.0, 30.0],
        25.0,
        35.0,
        20.0,
        polarity=["high_is_good", "low_is_good", "no_judgement"],
    )
    assert got.tolist() == ["better", "worse", "higher"]


# --- funnel plots: proportions ---------------------------------------------------------


def wilson(x, n, conf, side):
    low, high = proportion_confint(x, n, alpha=1 - conf, method="wilson")
    return low if side == "lower" else high


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("n", [40, 150, 1000, 25000])
def test_proportion_funnel_limits_touch_the_average(n, confidence):
    average = 0.23
    got = proportion_funnel_limits(average, [n], confidence=confidence, multiplier=1)
    # Root-find the proportion whose Wilson interval at n just reaches the average.
    upper = optimize.brentq(
        lambda p: wilson(p * n, n, confidence, "lower") - average, average, 1, xtol=1e-14
    )
    lower = optimize.brentq(
        lambda p: wilson(p * n, n, confidence, "upper") - average, 0, average, xtol=1e-14
    )
    assert got.loc[0, "upper"] == pytest.approx(upper, abs=1e-10)
    assert got.loc[0, "lower"] == pytest.approx(lower, abs=1e-10)


def test_proportion_funnel_is_clipped_to_the_range():
    got = proportion_funnel_limits(0.02, [5, 10000], multiplier=100)
    # At n = 5 no proportion >= 0 has a Wilson upper limit as low as 2%: clipped to 0.
    assert wilson(0, 5, 0.95, "upper") > 0.02
    assert got.loc[0, "lower"] == 0.0
    got = proportion_funnel_limits(0.98, [5], multiplier=100)
    assert got.loc[0, "upper"] == 100.0


def test_proportion_funnel_confidence_one_and_missing_and_invalid():
    got = proportion_funnel_limits(0.4, [10, None], confidence=1)
    assert got.loc[0].tolist() == [0.0, 100.0]
    assert got.loc[1].isna().all()
    with pytest.raises(ValueError, match="position 1"):
        proportion_funnel_limits(0.4, [10, 0])
    with pytest.raises(ValueError, match="0-1 scale"):
        proportion_funnel_limits(40, [10])


# --- funnel plots: rates ----------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("denominator", [2000, 15000, 400000])
def test_rate_funnel_limits_touch_the_expected_count(denominator, confidence):
    average_rate = 60.0  # per 100,000
    expected = average_rate * denominator / 100000
    alpha = 1 - confidence
    got = rate_funnel_limits(average_rate, [denominator], confidence=confidence)
    high_count = got.loc[0, "upper"] * denominator / 100000
    low_count = got.loc[0, "lower"] * denominator / 100000
    # The upper limit count's exact lower limit is the expected count...
    assert stats.chi2.ppf(alpha / 2, 2 * high_count) / 2 == pytest.approx(expected, rel=1e-8)
    # ...and the lower limit count's exact upper limit is too (unless clipped at 0).
    if low_count > 0:
        assert stats.chi2.ppf(1 - alpha / 2, 2 * low_count + 2) / 2 == pytest.approx(expected)
    else:
        assert stats.chi2.ppf(1 - alpha / 2, 2) / 2 > expected


def test_rate_funnel_agrees_with_exact_poisson_at_integer_counts():
    # A ward with x events is above the 95% funnel exactly when P(X >= x | E) < 2.5%.
    denominator, average_rate = 10000, 50.0  # E = 5 events
    expected = 5.0
    limits = rate_funnel_limits(average_rate, [denominator], multiplier=100000)
    for x in range(0, 20):
        value = x / denominator * 100000
        above = value > limits.loc[0, "upper"]
        below = value < limits.loc[0, "lower"]
        assert above == (stats.poisson.sf(x - 1, expected) < 0.025), x
        assert below == (stats.poisson.cdf(x, expected) < 0.025), x


def test_rate_funnel_edge_cases():
    got = rate_funnel_limits(0.0, [1000])
    assert got.loc[0].tolist() == [0.0, 0.0]
    got = rate_funnel_limits(10.0, [1000, None], confidence=1)
    assert got.loc[0, "lower"] == 0 and np.isinf(got.loc[0, "upper"])
    assert got.loc[1].isna().all()
    with pytest.raises(ValueError, match="position 0"):
        rate_funnel_limits(10.0, [-1])


# --- funnel classification --------------------------------------------------------------


def test_classify_proportions_against_both_funnels():
    x = pd.Series([20, 35, 23, 12, 60, None], index=list("abcdef"))
    n = pd.Series([100, 100, 100, 100, 250, 100], index=list("abcdef"))
    got = classify_funnel_points(x, n)
    average = 150 / 650  # complete rows only: (20+35+23+12+60)/(100·4+250)
    assert isinstance(got, pd.Series) and list(got.index) == list("abcdef")
    for ward in "abcde":
        value = x[ward] / n[ward] * 100
        inner = proportion_funnel_limits(average, [n[ward]])
        outer = proportion_funnel_limits(average, [n[ward]], confidence=0.998)
        if value > outer.loc[0, "upper"]:
            want = "high_0.001"
        elif value < outer.loc[0, "lower"]:
            want = "low_0.001"
        elif value > inner.loc[0, "upper"]:
            want = "high_0.025"
        elif value < inner.loc[0, "lower"]:
            want = "low_0.025"
        else:
            want = "not_significant"
        assert got[ward] == want
    assert got["f"] == "not_compared"
    assert set(got[:5]) >= {"high_0.025", "low_0.025", "not_significant"}


def test_classify_matches_the_ward_own_wilson_interval():
    # Outside the 95% funnel ⇔ the ward's own 95% Wilson interval excludes the average.
    x = np.array([3, 8, 15, 30, 45, 60, 90])
    n = np.array([50, 60, 80, 100, 150, 200, 300])
    got = classify_funnel_points(x, n)
    average = x.sum() / n.sum()
    low, high = proportion_confint(x, n, method="wilson")
    significant = (low > average) | (high < average)
    assert np.array_equal(got != "not_significant", significant)


def test_classify_rates():
    got = classify_funnel_points([5, 40, 12], [10000, 10000, 10000], value_type="rate")
    # Average 19 per 10,000 → E = 19 at each ward; x = 5 and 40 are far out.
    assert got.tolist() == ["low_0.001", "high_0.001", "not_significant"]


def test_classify_with_given_average_and_invalid_inputs():
    got = classify_funnel_points([50], [100], average=0.5)
    assert got.tolist() == ["not_significant"]
    with pytest.raises(ValueError, match="exceeds denominator"):
        classify_funnel_points([5, 11], [10, 10])
    with pytest.raises(ValueError, match="value_type"):
        classify_funnel_points([5], [10], value_type="dsr")
