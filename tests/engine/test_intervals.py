"""`ci` and `benchmark.method` from the YAML are obeyed, checked against statsmodels and scipy.

The expected limits are worked out here independently of `indicators.methods`
(statsmodels' Wilson interval, scipy's chi-square for exact Poisson limits,
Byar's formula written out), so a test fails if compute ignores the field.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from indicators.config import spec
from indicators.engine.compute import add_statistics
from indicators.engine.summary import compare_with_city
from indicators.paths import CONFIG_PATH

STRATEGY = spec.load_strategy(CONFIG_PATH)
PROPORTION = STRATEGY.indicator("requests_decided_3_days")
COUNT = STRATEGY.indicator("step_downs_from_social_care")
MEAN = STRATEGY.indicator("mean_outcome_change")
NUMERATORS = np.array([3.0, 40.0, 80.0])
DENOMINATORS = np.array([50.0, 200.0, 100.0])


def _counted(numerator, denominator, statistic=np.nan, spread=np.nan) -> pd.DataFrame:
    size = len(numerator)
    return pd.DataFrame(
        {
            "numerator": numerator,
            "denominator": denominator,
            "statistic": np.broadcast_to(statistic, size),
            "spread": np.broadcast_to(spread, size),
        }
    )


def _poisson(x: np.ndarray, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """Exact limits below 10 events, Byar's from 10 (Fingertips), written out afresh."""
    exact_lower = np.where(x > 0, stats.chi2.ppf(0.025, 2 * x) / 2, 0.0)
    exact_upper = stats.chi2.ppf(0.975, 2 * x + 2) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    byar_upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    return np.where(x < 10, exact_lower, byar_lower), np.where(x < 10, exact_upper, byar_upper)


def test_a_proportion_gets_wilson_by_default() -> None:
    out = add_statistics(_counted(NUMERATORS, DENOMINATORS), PROPORTION)
    lower, upper = proportion_confint(NUMERATORS, DENOMINATORS, alpha=0.05, method="wilson")
    np.testing.assert_allclose(out["lower_ci"], lower * 100, rtol=1e-9)
    np.testing.assert_allclose(out["upper_ci"], upper * 100, rtol=1e-9)


def test_ci_byar_on_a_proportion_gives_poisson_limits() -> None:
    wilson = add_statistics(_counted(NUMERATORS, DENOMINATORS), PROPORTION)
    out = add_statistics(_counted(NUMERATORS, DENOMINATORS), replace(PROPORTION, ci="byar"))
    lower, upper = _poisson(NUMERATORS)
    np.testing.assert_allclose(out["lower_ci"], lower / DENOMINATORS * 100, rtol=1e-9)
    np.testing.assert_allclose(out["upper_ci"], upper / DENOMINATORS * 100, rtol=1e-9)
    np.testing.assert_allclose(out["value"], wilson["value"])  # the value itself is the same
    assert not np.allclose(out["upper_ci"], wilson["upper_ci"])


def test_ci_none_on_a_count_leaves_no_interval() -> None:
    counts = np.array([4.0, 25.0])
    byar = add_statistics(_counted(counts, np.nan), COUNT)
    lower, upper = _poisson(counts)
    np.testing.assert_allclose(byar["lower_ci"], lower, rtol=1e-9)
    np.testing.assert_allclose(byar["upper_ci"], upper, rtol=1e-9)
    none = add_statistics(_counted(counts, np.nan), replace(COUNT, ci="none"))
    np.testing.assert_allclose(none["value"], counts)
    assert none[["lower_ci", "upper_ci"]].isna().all().all()


def test_ci_none_on_a_mean_leaves_no_interval() -> None:
    counted = _counted(np.array([30.0]), np.array([30.0]), statistic=1.5, spread=2.0)
    student = add_statistics(counted, MEAN)
    half = stats.t.ppf(0.975, 29) * 2.0 / np.sqrt(30)
    np.testing.assert_allclose(student[["lower_ci", "upper_ci"]].iloc[0], [1.5 - half, 1.5 + half])
    none = add_statistics(counted, replace(MEAN, ci="none"))
    assert none["value"].iloc[0] == 1.5 and none[["lower_ci", "upper_ci"]].isna().all().all()


def _tidy(indicator: spec.Indicator, city_value: float, numerator: float, denominator: float):
    """A city row and one ward row (with its 95% Wilson limits) in one period."""
    lower, upper = proportion_confint(numerator, denominator, alpha=0.05, method="wilson")
    base = {"indicator_id": indicator.id, "measure": indicator.measure.type, "period": "2024 H1",
            "period_type": "half_year", "breakdown": "all", "category": "all",
            "suppressed": False, "note": ""}  # fmt: skip
    city = {**base, "area_code": STRATEGY.area_code, "area_type": "la", "numerator": 600.0,
            "denominator": 1000.0, "value": city_value, "lower_ci": city_value - 3,
            "upper_ci": city_value + 3}  # fmt: skip
    ward = {**base, "area_code": "W1", "area_type": "ward", "numerator": numerator,
            "denominator": denominator, "value": numerator / denominator * 100,
            "lower_ci": lower * 100, "upper_ci": upper * 100}  # fmt: skip
    return pd.DataFrame([city, ward])


@pytest.mark.parametrize("city_value", [55.0, 64.0, 68.0, 75.0])
def test_benchmark_method_is_passed_on(city_value: float) -> None:
    """95% alone says better or similar; with 99.8% too, past the wider limit is much better."""
    lower95, _ = proportion_confint(80, 100, alpha=0.05, method="wilson")
    lower998, _ = proportion_confint(80, 100, alpha=0.002, method="wilson")
    outside95 = city_value < lower95 * 100
    expected95 = "better" if outside95 else "similar"
    expected998 = "much_better" if city_value < lower998 * 100 else expected95

    strategies = {}
    for method in ("ci_overlap_95", "ci_overlap_95_998"):
        indicator = replace(PROPORTION, benchmark_method=method)
        strategies[method] = replace(STRATEGY, indicators=(indicator,))
    rows = _tidy(PROPORTION, city_value, 80.0, 100.0)
    got95 = compare_with_city(rows, strategies["ci_overlap_95"])
    got998 = compare_with_city(rows, strategies["ci_overlap_95_998"])
    assert list(got95) == ["not_compared", expected95]
    assert list(got998) == ["not_compared", expected998]


def test_both_methods_disagree_somewhere() -> None:
    """The cases above include city values the method judges apart (64: much better or
    better) and alike (68: better either way), so an ignored method would fail."""
    lower95, _ = proportion_confint(80, 100, alpha=0.05, method="wilson")
    lower998, _ = proportion_confint(80, 100, alpha=0.002, method="wilson")
    assert 64.0 < lower998 * 100 < 68.0 < lower95 * 100 < 75.0


def test_double_overlap_uses_the_citys_own_interval() -> None:
    """The ward (80%, Wilson 71.1-86.7) against a city of 68 ± 3: the city's upper limit
    71 reaches the ward's lower limit only when the city's interval counts."""
    indicator = replace(PROPORTION, benchmark_method="double_overlap_95")
    rows = _tidy(PROPORTION, 68.5, 80.0, 100.0)
    assert list(compare_with_city(rows, replace(STRATEGY, indicators=(indicator,)))) == [
        "not_compared",
        "similar",
    ]
    alone = replace(PROPORTION, benchmark_method="ci_overlap_95")
    assert compare_with_city(rows, replace(STRATEGY, indicators=(alone,))).iloc[1] == "better"


def test_spc_for_proportions_uses_the_wards_denominator() -> None:
    """Control limits around the city's 60% at the ward's 100: Wilson limits of 60 of 100."""
    indicator = replace(PROPORTION, benchmark_method="spc_proportion_95_998")
    _, high95 = proportion_confint(60, 100, alpha=0.05, method="wilson")
    _, high998 = proportion_confint(60, 100, alpha=0.002, method="wilson")
    for ward, expected in ((65.0, "similar"), (72.0, "better"), (80.0, "much_better")):
        assert (high95 * 100 < ward) == (expected != "similar")
        assert (high998 * 100 < ward) == (expected == "much_better")
        rows = _tidy(PROPORTION, 60.0, ward, 100.0)
        got = compare_with_city(rows, replace(STRATEGY, indicators=(indicator,)))
        assert got.iloc[1] == expected
