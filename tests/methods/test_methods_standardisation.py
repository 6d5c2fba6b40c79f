"""Directly and indirectly standardised rates against worked examples done by hand."""

import math

import numpy as np
import pytest
from scipy import stats

from indicators.methods import ESP2013, dsr, isr

Z95 = stats.norm.ppf(0.975)


def byar(x, z=Z95):
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lower, upper


def test_esp2013_weights():
    assert list(ESP2013)[:4] == ["0-4", "5-9", "10-14", "15-19"]
    assert list(ESP2013.values())[:4] == [5000, 5500, 5500, 5500]
    assert len(ESP2013) == 19
    assert sum(ESP2013.values()) == 100_000
    assert ESP2013["90+"] == 1000
    with pytest.raises(TypeError):
        ESP2013["0-4"] = 1  # read-only


# Worked example: three child age bands (ESP 2013 weights 0-4, 5-9, 10-14).
#   band   x    n      w     w/n     x·w/n   x·(w/n)²
#   0-4   12  2000   5000   2.5     30      12 × 6.25     = 75
#   5-9   30  5000   5500   1.1     33      30 × 1.21     = 36.3
#   10-14  8  4000   5500   1.375   11       8 × 1.890625 = 15.125
#   Σw = 16000, Σx·w/n = 74, Σx(w/n)² = 126.425, O = 50
# value = 74 / 16000 × 100000 = 462.5 per 100,000
# var   = 126.425 / 16000² = 4.93848e-7
# Byar's limits of O = 50 (z = 1.959964): 50 × 0.905384³ = 37.1081 and
#   51 × 1.089305³ = 65.9202; √(var/50) = 9.93829e-5
# lower = (0.004625 + 9.93829e-5 × (37.1081 − 50)) × 100000 = 334.38
# upper = (0.004625 + 9.93829e-5 × (65.9202 − 50)) × 100000 = 620.72
COUNTS = [12, 30, 8]
POPULATIONS = [2000, 5000, 4000]
WEIGHTS = [5000, 5500, 5500]


def test_dsr_worked_example():
    got = dsr(COUNTS, POPULATIONS, WEIGHTS)
    assert got["value"] == pytest.approx(462.5)
    assert got["total_count"] == 50
    variance = 126.425 / 16000**2
    o_low, o_high = byar(50)
    want_low = (74 / 16000 + math.sqrt(variance / 50) * (o_low - 50)) * 100000
    want_high = (74 / 16000 + math.sqrt(variance / 50) * (o_high - 50)) * 100000
    assert got["lower"] == pytest.approx(want_low, rel=1e-12)
    assert got["upper"] == pytest.approx(want_high, rel=1e-12)
    assert got["lower"] == pytest.approx(334.38, abs=0.01)
    assert got["upper"] == pytest.approx(620.72, abs=0.01)


def test_dsr_accepts_the_esp_mapping_directly():
    bands = dict(list(ESP2013.items())[:3])
    assert dsr(COUNTS, POPULATIONS, bands) == dsr(COUNTS, POPULATIONS, WEIGHTS)


def test_dsr_equals_crude_rate_when_one_band():
    got = dsr([25], [5000], [5500], multiplier=1000)
    assert got["value"] == pytest.approx(5.0)
    o_low, o_high = byar(25)
    # One band: √(var/O) = 1/n, so the limits are the crude rate's Byar limits.
    assert got["lower"] == pytest.approx(o_low / 5000 * 1000)
    assert got["upper"] == pytest.approx(o_high / 5000 * 1000)


def test_dsr_missing_band_count_counts_as_zero():
    with_missing = dsr([12, None, 30], [2000, 1000, 5000], [5000, 5500, 5500])
    with_zero = dsr([12, 0, 30], [2000, 1000, 5000], [5000, 5500, 5500])
    assert with_missing == with_zero


def test_dsr_suppressed_below_ten_events():
    got = dsr([3, 6, 0], POPULATIONS, WEIGHTS)
    assert got["total_count"] == 9
    assert np.isnan(got["value"]) and np.isnan(got["lower"]) and np.isnan(got["upper"])
    assert not np.isnan(dsr([4, 6, 0], POPULATIONS, WEIGHTS)["value"])


@pytest.mark.parametrize(
    ("counts", "populations", "message"),
    [
        ([12, 30, 8], [2000, 0, 4000], "population is not positive at position 1"),
        ([12, 30, 8], [2000, -5, 4000], "population is not positive at position 1"),
        ([12, 30, 8], [None, 5000, 4000], "population is missing at position 0"),
        ([12, -1, 8], [2000, 5000, 4000], "count is negative at position 1"),
    ],
)
def test_dsr_invalid_bands_raise(counts, populations, message):
    with pytest.raises(ValueError, match=message):
        dsr(counts, populations, WEIGHTS)


def test_dsr_confidence_one_is_floored_at_zero():
    got = dsr(COUNTS, POPULATIONS, WEIGHTS, confidence=1)
    assert got["lower"] == 0.0
    assert np.isinf(got["upper"])


def test_dsr_confidence_998_is_wider():
    narrow = dsr(COUNTS, POPULATIONS, WEIGHTS)
    wide = dsr(COUNTS, POPULATIONS, WEIGHTS, confidence=99.8)
    assert wide["lower"] < narrow["lower"] < narrow["value"] < narrow["upper"] < wide["upper"]


# Worked example for the ISR:
#   band   x    n     ref x   ref n     expected = n·refx/refn
#   A      5  1000    100    50000     2
#   B     10  2000    300   100000     6
#   O = 15, E = 8, ratio = 1.875; reference rate = 400/150000 = 266.67 per 100,000.
ISR_ARGS = ([5, 10], [1000, 2000], [100, 300], [50000, 100000])


def test_isr_ratio_worked_example():
    got = isr(*ISR_ARGS)
    assert got["observed"] == 15
    assert got["expected"] == pytest.approx(8)
    assert got["value"] == pytest.approx(1.875)
    o_low, o_high = byar(15)
    assert got["lower"] == pytest.approx(o_low / 8)
    assert got["upper"] == pytest.approx(o_high / 8)


def test_isr_as_smr_and_as_rate():
    smr = isr(*ISR_ARGS, reference_value=100)
    assert smr["value"] == pytest.approx(187.5)
    rate = isr(*ISR_ARGS, output="rate")
    reference_rate = 400 / 150000 * 100000
    assert rate["value"] == pytest.approx(1.875 * reference_rate)
    assert rate["value"] == pytest.approx(500.0)
    o_low, _ = byar(15)
    assert rate["lower"] == pytest.approx(o_low / 8 * reference_rate)


def test_isr_small_count_uses_exact_limits():
    got = isr([2, 1], [1000, 2000], [100, 300], [50000, 100000])
    want_low = stats.chi2.ppf(0.025, 6) / 2 / 8
    want_high = stats.chi2.ppf(0.975, 8) / 2 / 8
    assert got["lower"] == pytest.approx(want_low)
    assert got["upper"] == pytest.approx(want_high)


def test_isr_missing_values_contribute_zero():
    got = isr([5, None, 7], [1000, 2000, None], [100, 300, 50], [50000, 100000, 1000])
    # O = 5 + 0 + 7 = 12; E = 2 + 6 + 0 (band C has no population) = 8.
    assert got["observed"] == 12
    assert got["expected"] == pytest.approx(8)
    got = isr([5, 10], [1000, 2000], [100, None], [50000, 100000])
    assert got["expected"] == pytest.approx(2)


def test_isr_invalid_inputs_raise():
    with pytest.raises(ValueError, match="reference population"):
        isr([5], [1000], [100], [0])
    with pytest.raises(ValueError, match="count is negative"):
        isr([-5], [1000], [100], [50000])
    with pytest.raises(ValueError, match="output"):
        isr(*ISR_ARGS, output="percent")


def test_isr_zero_expected_gives_missing():
    got = isr([3], [1000], [0], [50000])
    assert got["expected"] == 0
    assert np.isnan(got["value"])
