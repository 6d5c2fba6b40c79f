"""The methods facade: every public name is importable from one place, and the
confidence level is read the same way by every method.

The statistics themselves are tested module by module in ``test_methods_*.py``.
"""

import doctest
import math

import numpy as np
import pytest
from scipy import stats

from indicators import methods
from indicators.methods import (
    compare_to_benchmark,
    dsr,
    isr,
    mean_ci,
    normalise_confidence,
    proportion_ci,
    proportion_funnel_limits,
    rate_ci,
    rate_funnel_limits,
    sii,
    z_value,
)


def test_every_public_name_is_exported():
    for name in methods.__all__:
        assert hasattr(methods, name), name
    for name in (
        "proportion_ci",
        "rate_ci",
        "mean_ci",
        "dsr",
        "isr",
        "ESP2013",
        "compare_to_benchmark",
        "recent_trend",
        "progress_status",
        "proportion_funnel_limits",
        "rate_funnel_limits",
        "classify_funnel_points",
        "sii",
        "spc",
    ):
        assert name in methods.__all__


@pytest.mark.parametrize(
    ("given", "expected"),
    [(0.9, 0.9), (0.95, 0.95), (0.998, 0.998), (1, 1.0), (90, 0.9), (95, 0.95), (99.8, 0.998)],
)
def test_confidence_accepts_both_scales(given, expected):
    assert normalise_confidence(given) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [0.5, 0.89, 1.5, 89, 101, -95, float("nan"), "high"])
def test_confidence_outside_the_ranges_is_an_error(bad):
    with pytest.raises(ValueError, match="confidence"):
        normalise_confidence(bad)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: proportion_ci(1, 10, confidence=c),
        lambda c: rate_ci(1, 10, confidence=c),
        lambda c: mean_ci([1, 2, 3], confidence=c),
        lambda c: dsr([10], [100], [1], confidence=c),
        lambda c: isr([10], [100], [1], [100], confidence=c),
        lambda c: proportion_funnel_limits(0.5, [10], confidence=c),
        lambda c: rate_funnel_limits(5.0, [10], confidence=c),
        lambda c: sii([1, 2, 3], [1, 1, 1], confidence=c),
    ],
)
@pytest.mark.parametrize("bad", [0.5, 101])
def test_every_method_rejects_invalid_confidence(call, bad):
    with pytest.raises(ValueError, match="confidence"):
        call(bad)


def test_z_value_matches_the_normal_quantile():
    assert z_value(0.95) == pytest.approx(stats.norm.ppf(0.975))
    assert z_value(99.8) == pytest.approx(stats.norm.ppf(0.999))
    assert math.isinf(z_value(1))


def test_confidence_given_as_percentage_gives_the_same_interval():
    as_fraction = proportion_ci([3, 7], [10, 20], confidence=0.998)
    as_percent = proportion_ci([3, 7], [10, 20], confidence=99.8)
    np.testing.assert_allclose(as_fraction.to_numpy(), as_percent.to_numpy())


def test_facade_functions_are_the_module_functions():
    from indicators.methods import (
        benchmark,
        inequality,
        intervals,
        process_control,
        standardisation,
        trend,
    )

    assert methods.proportion_ci is intervals.proportion_ci
    assert methods.dsr is standardisation.dsr
    assert methods.compare_to_benchmark is benchmark.compare_to_benchmark
    assert methods.recent_trend is trend.recent_trend
    assert methods.spc is process_control.spc
    assert methods.sii is inequality.sii
    assert compare_to_benchmark is benchmark.compare_to_benchmark
    assert sii is inequality.sii


@pytest.mark.parametrize(
    "module_name",
    [
        "intervals",
        "standardisation",
        "benchmark",
        "trend",
        "process_control",
        "inequality",
        "__init__",
    ],
)
def test_docstring_examples_hold(module_name):
    import importlib

    module = importlib.import_module(f"indicators.methods.{module_name}".removesuffix(".__init__"))
    failures, _ = doctest.testmod(module)
    assert failures == 0
