"""SII and RII against PHEindicatormethods' own published test data.

Inputs are in ``phe_sii_testdata.csv``, copied from PHEindicatormethods
``tests/testthat/testdata_SII.xlsx`` (commit 093fd28); each expected row below
is that workbook's expected output for the record number given (``RecordNo``),
the numbers ``phe_sii``'s own tests (``tests/testthat/testSII.R``) compare
against. Point estimates (SII, RII, intercept) are deterministic and must agree
to the workbook's precision. The workbook's limits come from a 100,000-draw
simulation, as ours do from different random numbers, so they agree within
Monte Carlo error: 1% of the interval's width (phe_sii's tests allow 5%).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.methods import sii

TESTDATA = pd.read_csv(Path(__file__).with_name("phe_sii_testdata.csv"), comment="#")

# (record, dataset, area, arguments, [sii, rii, sii_lower, sii_upper, rii_lower, rii_upper,
# intercept]) — the record's expected columns in testdata_SII.xlsx (NaN: not in the workbook).
NAN = float("nan")
EXPECTED = [
    (246, "life_expectancy", "area1", {"value_type": "other"},
     [6.934616, 1.088818, 3.127595, 10.758687, 1.038369, 1.141299, 78.076631]),
    (256, "life_expectancy", "area2", {"value_type": "other"},
     [12.547847, 1.180886, 11.936156, 13.16302, 1.171371, 1.19044, 69.368956]),
    (266, "infant_mortality", "area1", {"value_type": "rate"},
     [-3.275201, 0.406001, -3.586823, -2.965317, 0.368882, 0.446248, 5.513813]),
    (276, "infant_mortality", "area2", {"value_type": "rate"},
     [-2.287679, 0.535252, -2.398526, -2.176188, 0.517343, 0.553739, 4.922405]),
    (91, "child_obesity", "area1", {"value_type": "proportion"},
     [-0.1072, 0.533402, -0.112209, -0.10218, 0.517127, 0.550154, NAN]),
    (101, "child_obesity", "area2", {"value_type": "proportion"},
     [-0.058185, 0.547013, -0.062166, -0.054175, 0.523715, 0.571462, NAN]),
    (111, "child_obesity", "area1", {"value_type": "proportion", "multiplier": 100},
     [-10.720032, 0.533402, -11.220857, -10.217981, 0.517127, 0.550154, NAN]),
    (121, "child_obesity", "area2", {"value_type": "proportion", "multiplier": 100},
     [-5.818547, 0.547013, -6.21663, -5.417455, 0.523715, 0.571462, NAN]),
    (131, "child_obesity", "area1", {"value_type": "proportion", "multiplier": -100},
     [10.720032, 1.87476, 10.217981, 11.220857, 1.817673, 1.93376, NAN]),
    (141, "child_obesity", "area2", {"value_type": "proportion", "multiplier": -100},
     [5.818547, 1.828111, 5.417455, 6.21663, 1.749899, 1.909437, NAN]),
    (306, "infant_mortality", "area1", {"value_type": "rate", "transform": True},
     [-3.155907, 0.441885, -3.480962, -2.833237, 0.408274, 0.478566, 5.654581]),
    (316, "infant_mortality", "area2", {"value_type": "rate", "transform": True},
     [-2.295469, 0.544614, -2.423224, -2.168076, 0.527075, 0.562775, 5.040716]),
    (386, "infant_mortality", "area1", {"value_type": "rate", "transform": True, "multiplier": -1},
     [3.155907, 2.263033, 2.833237, 3.480962, 2.089575, 2.449333, 5.654581]),
    (396, "infant_mortality", "area2", {"value_type": "rate", "transform": True, "multiplier": -1},
     [2.295469, 1.836161, 2.168076, 2.423224, 1.776909, 1.897265, 5.040716]),
    (326, "child_obesity", "area1", {"value_type": "proportion", "transform": True},
     [-0.109646, 0.534178, -0.114908, -0.104431, 0.518533, 0.550174, 0.235382]),
    (336, "child_obesity", "area2", {"value_type": "proportion", "transform": True},
     [-0.059701, 0.547207, -0.063924, -0.055461, 0.524843, 0.570711, 0.13185]),
    (346, "child_obesity", "area1",
     {"value_type": "proportion", "transform": True, "multiplier": -1},
     [0.109646, 1.872037, 0.104431, 0.114908, 1.817606, 1.928516, 0.235382]),
    (356, "child_obesity", "area2",
     {"value_type": "proportion", "transform": True, "multiplier": -1},
     [0.059701, 1.827461, 0.055461, 0.063924, 1.752202, 1.905331, 0.13185]),
]  # fmt: skip
KEYS = ("sii", "rii", "sii_lower", "sii_upper", "rii_lower", "rii_upper", "intercept")


def area(dataset: str, name: str) -> pd.DataFrame:
    rows = TESTDATA[(TESTDATA["dataset"] == dataset) & (TESTDATA["area"] == name)]
    return rows.sort_values("quantile")


@pytest.mark.parametrize(("record", "dataset", "name", "arguments", "expected"), EXPECTED)
def test_matches_phe_sii_test_workbook(record, dataset, name, arguments, expected):
    rows = area(dataset, name)
    got = sii(
        rows["value"],
        rows["population"],
        lowers=rows["lower"],
        uppers=rows["upper"],
        repetitions=100_000,
        seed=record,
        **arguments,
    )
    want = dict(zip(KEYS, expected, strict=True))
    for key in ("sii", "rii", "intercept"):
        if not np.isnan(want[key]):
            assert got[key] == pytest.approx(want[key], abs=1e-6), key
    for stat in ("sii", "rii"):
        width = want[f"{stat}_upper"] - want[f"{stat}_lower"]
        for end in ("lower", "upper"):
            key = f"{stat}_{end}"
            assert got[key] == pytest.approx(want[key], abs=0.01 * width), key


@pytest.mark.parametrize(("dataset", "value_type"), [("infant_mortality", "rate"),
                                                     ("child_obesity", "proportion")])  # fmt: skip
def test_a_given_standard_error_is_on_the_value_types_scale(dataset, value_type):
    # phe_sii's "with SE provided" tests (records 71 and 91) expect the same answer from the
    # workbook's standard errors, which are on the log or logit scale, as from the limits.
    rows = area(dataset, "area1")
    from_se = sii(rows["value"], rows["population"], se=rows["se"], value_type=value_type)
    from_limits = sii(
        rows["value"], rows["population"], lowers=rows["lower"], uppers=rows["upper"],
        value_type=value_type,
    )  # fmt: skip
    assert from_se == pytest.approx(from_limits, rel=2e-3)


def test_transform_refuses_a_standard_error_as_phe_sii_does():
    rows = area("infant_mortality", "area1")
    with pytest.raises(ValueError, match="not se"):
        sii(rows["value"], rows["population"], se=rows["se"], transform=True)
