"""DSR with non-independent events against PHEindicatormethods' own test workbook.

Inputs are ``phe_dsr_nonindependent.csv`` (PHEindicatormethods
``tests/testthat/testdata_DSR_ISR.xlsx``, sheet ``testdata_nonindepe``); the
expected rows are that workbook's ``testresults_DSR`` rows 9-12, which
``tests/testthat/testDSRs.R`` compares ``calculate_dsr(..., independent_events =
FALSE, eventfreq = freq, ageband = ageband)`` against. As ``LoadTestdata.R``
does, frequency 4 is dropped for the dummy, small and tiny areas.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.methods import ESP2013, dsr

DATA = pd.read_csv(Path(__file__).with_name("phe_dsr_nonindependent.csv"), comment="#")

# area → (total_count, value, lower95, upper95, lower99.8, upper99.8), per 100,000.
EXPECTED = {
    "testdata_nonind_big": (895, 10430.247991, 9532.949779, 11373.074833, 9036.256314,
                            11929.249807),
    "testdata_nonind_dummy": (895, 10430.247991, 9512.298838, 11394.773596, 9004.174181,
                              11963.748704),
    "testdata_nonind_small": (89, 1082.954198, 817.686098, 1393.558849, 684.167518, 1585.496456),
}  # fmt: skip


def people(area: str) -> tuple[np.ndarray, list[int], pd.Series]:
    rows = DATA[DATA["area"] == area]
    frequencies = [1, 2, 3, 4] if area == "testdata_nonind_big" else [1, 2, 3]
    return rows[[f"f{f}" for f in frequencies]].to_numpy(dtype=float), frequencies, rows["pop"]


@pytest.mark.parametrize("area", EXPECTED)
def test_matches_calculate_dsr_with_non_independent_events(area):
    counts, frequencies, populations = people(area)
    total, value, low95, high95, low998, high998 = EXPECTED[area]
    at95 = dsr(counts, populations, ESP2013, event_frequencies=frequencies)
    at998 = dsr(counts, populations, ESP2013, event_frequencies=frequencies, confidence=0.998)
    assert at95["total_count"] == total
    assert [at95["value"], at95["lower"], at95["upper"]] == pytest.approx(
        [value, low95, high95], abs=1e-6
    )
    assert [at998["lower"], at998["upper"]] == pytest.approx([low998, high998], abs=1e-6)


def test_fewer_than_ten_events_is_suppressed():
    counts, frequencies, populations = people("testdata_nonind_tiny")
    got = dsr(counts, populations, ESP2013, event_frequencies=frequencies)
    assert got["total_count"] == 9 and np.isnan(got["value"]) and np.isnan(got["upper"])


def test_same_value_as_independent_events_but_wider_limits():
    counts, frequencies, populations = people("testdata_nonind_big")
    events = counts @ np.array(frequencies, dtype=float)
    independent = dsr(events, populations, ESP2013)
    repeated = dsr(counts, populations, ESP2013, event_frequencies=frequencies)
    assert repeated["value"] == pytest.approx(independent["value"])
    assert repeated["lower"] < independent["lower"] < independent["upper"] < repeated["upper"]


def test_event_frequencies_must_be_positive():
    with pytest.raises(ValueError, match="event frequency is not positive"):
        dsr([[10, 1]], [100], [5000], event_frequencies=[1, 0])
