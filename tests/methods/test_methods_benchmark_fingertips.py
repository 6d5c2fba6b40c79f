"""Fingertips' double-overlap and SPC comparisons against fingertips-open's own tests.

Numbers are copied from fingertips-open (github.com/ukhsa-collaboration/
fingertips-open) ``PholioVisualisation.AnalysisTest``:
``DoubleOverlappingCIsComparerTest.cs``, ``SpcForProportionsComparerTest.cs``
(its IndicatorId 1 and 514, 2010 values) and ``SpcForDsrComparerTest.cs``
(IndicatorId 501, MRSA per 100,000, 2011). Their comparers use polarity "RAG -
low is good"; their Better/Same/Worse are our better/similar/worse, and a
comparer at 99.8% that says Better where ours says ``much_better``.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indicators.methods import (
    compare_by_double_overlap,
    compare_by_spc,
    spc_proportion_limits,
    spc_rate_limits,
)


@pytest.mark.parametrize(
    ("area", "benchmark", "expected"),
    [
        # TestSame: overlapping intervals, the area above and below its benchmark.
        ((4.0, 3.5, 4.5), (3.0, 2.7, 3.6), "similar"),
        ((3.0, 2.7, 3.6), (4.0, 3.5, 4.5), "similar"),
        ((3.0, 2.7, 4.1), (4.0, 3.5, 4.5), "similar"),
        ((4.0, 3.5, 4.5), (3.0, 2.7, 4.1), "similar"),
        # TestDifferent: low is good, so the higher area is worse.
        ((4.0, 3.5, 4.5), (3.0, 2.7, 3.1), "worse"),
        ((3.0, 2.7, 3.1), (4.0, 3.5, 4.5), "better"),
        # TestNoCIsReturnNoneSignificance.
        ((4.0, 3.5, 4.5), (3.0, np.nan, np.nan), "not_compared"),
        ((3.0, np.nan, np.nan), (4.0, 3.5, 4.5), "not_compared"),
    ],
)
def test_double_overlapping_intervals(area, benchmark, expected):
    got = compare_by_double_overlap(*area, *benchmark, polarity="low_is_good")
    assert got == expected


def test_double_overlap_without_polarity_says_higher_or_lower():
    got = compare_by_double_overlap(
        pd.Series([4.0, 3.0]), [3.5, 2.7], [4.5, 3.1], [3.0, 4.0], [2.7, 3.5], [3.1, 4.5],
        polarity="no_judgement",
    )  # fmt: skip
    assert got.tolist() == ["higher", "lower"]


@pytest.mark.parametrize(
    ("benchmark", "value", "denominator", "expected"),
    [
        # TestComparisionWithDifferentConfidencesWhereSignifancesSame: Better at 95 and 99.8.
        (8.9611086876279327, 7.7065767284991562, 5930, "much_better"),
        (8.9611086876279327, 9.8988121425428961, 2273, "similar"),
        (8.9611086876279327, 12.474645030425965, 1972, "much_worse"),
        # ...WhereSignifancesDifferent: Better/Worse at 95%, Same at 99.8%.
        (12.8379546895717, 10.9783420463032, 1339, "better"),
        (12.8379546895717, 15.9065628476085, 899, "worse"),
        # TestDenominatorInvalid: a denominator of 0 or −1 is not compared.
        (10.0, 10.0, 0, "not_compared"),
        (10.0, 10.0, -1, "not_compared"),
    ],
)
def test_spc_for_proportions(benchmark, value, denominator, expected):
    got = compare_by_spc(
        value, benchmark, denominator, kind="proportion", polarity="low_is_good", multiplier=100
    )
    assert got == expected


@pytest.mark.parametrize(
    ("value", "population", "expected"),
    [
        (1.1358436559886544, 616282, "better"),  # 5PP: Better at 95%, Same at 99.8%
        (2.657913272289925, 601976, "similar"),  # 5PT: Same at both
        (4.1515156695295845, 409489, "worse"),  # 5PG: Worse at 95%, Same at 99.8%
    ],
)
def test_spc_for_directly_standardised_rates(value, population, expected):
    got = compare_by_spc(
        value, 2.132708657734625, population, kind="rate", polarity="low_is_good",
        multiplier=100_000,
    )  # fmt: skip
    assert got == expected


def test_proportion_limits_are_wilson_score_limits_of_the_expected_count():
    # Independent: the Wilson interval of a proportion P0 observed in N trials.
    low, high = spc_proportion_limits([20.0], [500], multiplier=100)
    from statsmodels.stats.proportion import proportion_confint

    want = proportion_confint(100, 500, alpha=0.05, method="wilson")
    assert [low[0], high[0]] == pytest.approx([100 * want[0], 100 * want[1]])


def test_rate_limits_are_exact_poisson_for_a_whole_expected_count():
    # With a whole expected count the limits are the usual chi-square exact limits.
    low, high = spc_rate_limits([30.0], [100_000], multiplier=100_000)
    assert low[0] == pytest.approx(stats.chi2.ppf(0.025, 60) / 2)
    assert high[0] == pytest.approx(stats.chi2.ppf(0.975, 62) / 2)


def test_spc_needs_a_known_kind():
    with pytest.raises(ValueError, match="kind"):
        compare_by_spc(1.0, 1.0, 10, kind="mean", polarity="low_is_good", multiplier=1)
