"""Making Data Count's options against NHSRplotthedots and its Python port.

Numbers come from the peers' own tests, each named where it is used:
NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots, commit 050b07d)
``tests/testthat/test-ptd_spc_standard.R`` and its snapshot
``tests/testthat/_snaps/ptd_spc_standard.md``; nhspy-plotthedots
(github.com/nhs-pycom/nhspy-plotthedots) ``tests/unittests/
test_limits_calculations.py`` and ``test_pandas_spc_x_calc.py``.
"""

import numpy as np
import pytest

from indicators.methods import spc

# NHSRplotthedots test-ptd_spc_standard.R: `set.seed(123); y = rnorm(20)` — R's first 20
# standard normal draws for seed 123 (the snapshot shows the first four, and the limits).
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_limits_match_nhsrplotthedots_snapshot_r1():
    # _snaps/ptd_spc_standard.md, r1: mean_col 0.1416238, lpl -3.01138, upl 3.294627.
    got = spc(RNORM_123)
    assert got["mean"].iloc[0] == pytest.approx(0.1416238, abs=1e-7)
    assert got["lower_limit"].iloc[0] == pytest.approx(-3.01138, abs=1e-5)
    assert got["upper_limit"].iloc[0] == pytest.approx(3.294627, abs=1e-6)


def test_outlier_screening_matches_nhsrplotthedots_snapshots_r2_r3():
    # The same test sets y[15] <- 10: r2 screens moving-range outliers (the default),
    # r3 has screen_outliers = FALSE.
    values = list(RNORM_123)
    values[14] = 10
    screened = spc(values)
    assert screened["mean"].iloc[0] == pytest.approx(0.6694159, abs=1e-7)
    assert screened["lower_limit"].iloc[0] == pytest.approx(-2.383666, abs=1e-6)
    assert screened["upper_limit"].iloc[0] == pytest.approx(3.722497, abs=1e-6)
    plain = spc(values, screen_outliers=False)
    assert plain["lower_limit"].iloc[0] == pytest.approx(-4.596625, abs=1e-6)
    assert plain["upper_limit"].iloc[0] == pytest.approx(5.935457, abs=1e-6)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (5.5, 2.84, 8.16, 3.7266666666666666, 7.273333333333333)),
        ([1, 2, 3, 4, 5, 4, 3, 2, 1, 2],
         (2.7, 0.040000000000000036, 5.36, 0.9266666666666667, 4.473333333333334)),
        ([1, 2, 3], (2.0, -0.6600000000000001, 4.66, 0.22666666666666657, 3.7733333333333334)),
        ([3, 1, 4, 1, 5, 9, 2],
         (3.5714285714285716, -6.625238095238096, 13.768095238095238, -3.2263492063492065,
          10.36920634920635)),
        ([1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2],
         (3.0, -0.014666666666666828, 6.014666666666667, 0.9902222222222221, 5.009777777777778)),
    ],
)  # fmt: skip
def test_near_limit_lines_match_the_python_port(values, expected):
    # nhspy-plotthedots test_limits_calculations.py: (mean, lpl, upl, nlpl, nupl). The port
    # does not screen outliers; none of these series has a moving range to screen.
    got = spc(values, screen_outliers=False).iloc[0]
    columns = ("mean", "lower_limit", "upper_limit", "near_lower", "near_upper")
    assert [got[c] for c in columns] == pytest.approx(list(expected), abs=1e-12)
    assert spc(values).iloc[0][list(columns)].tolist() == pytest.approx(list(expected))


def test_nhs_england_tool_demo_case_from_the_python_port():
    # nhspy-plotthedots test_pandas_spc_x_calc.py, reproducing NHS England's SPC tool demo:
    # mean 76.67, limits about 57 and 96, only the 12th point (54) outside.
    values = [89, 86, 75, 77, 81, 74, 72, 78, 76, 82, 77, 54, 66, 77, 86]
    got = spc(values, screen_outliers=False, polarity="high_is_good")
    assert got["mean"].iloc[-1] == pytest.approx(76.67, abs=0.005)
    assert round(got["lower_limit"].iloc[-1]) == 57
    assert round(got["upper_limit"].iloc[-1]) == 96
    assert (
        got["rule"].str.contains("outside_limits").tolist() == [False] * 11 + [True] + [False] * 3
    )
    assert got.loc[11, "special_cause"] == "concern"


def test_fix_after_n_points_takes_the_limits_from_the_first_n():
    # NHSRplotthedots: "setting fix_after_n_points changes the calculations" (12 points);
    # the port's test_fix_point_mean fixes the mean of 1..10 after 5 points at 3 (the R
    # package refuses fewer than 12 points, and so do we).
    values = list(range(1, 21))
    fixed = spc(values, fix_after_n_points=12)
    assert fixed["mean"].iloc[-1] == pytest.approx(6.5)  # mean of 1..12
    assert fixed["upper_limit"].iloc[0] == pytest.approx(6.5 + 2.66)  # moving range 1
    assert fixed["mean"].iloc[0] != spc(values)["mean"].iloc[0]
    assert "outside_limits" in fixed["rule"].iloc[-1]  # later points judged by fixed limits
    with pytest.raises(ValueError, match="at least 12"):
        spc(values, fix_after_n_points=5)
    with pytest.raises(ValueError, match="whole number"):
        spc(values, fix_after_n_points=12.5)


def test_fix_after_n_points_applies_within_each_segment():
    values = [10.0, 12.0] * 8 + [20.0, 22.0] * 8 + [40.0] * 4
    got = spc(values, rebase_at=16, fix_after_n_points=12)
    assert got["mean"].iloc[0] == pytest.approx(11)
    assert got["mean"].iloc[-1] == pytest.approx(21)


def test_trial_limits_below_twelve_points():
    # NHSRplotthedots test-ptd_add_short_group_warnings.R: groups with n < 12 have trial
    # limits (warning threshold 12).
    assert spc([5.0] * 11).attrs["trial_limits"]
    assert not spc([5.0, 6.0] * 6).attrs["trial_limits"]
    got = spc([10.0, 12.0] * 10, rebase_at=12)  # 12 points, then 8
    assert not got["trial_limits"].iloc[:12].any()
    assert got["trial_limits"].iloc[12:].all()
    assert got.attrs["trial_limits"]


def test_variation_of_the_latest_point():
    stable = [10.0, 12.0] * 6
    assert spc(stable).attrs["variation"] == "common_cause"
    assert spc([*stable, 30.0], polarity="high_is_good").attrs["variation"] == (
        "special_cause_improvement"
    )
    assert spc([*stable, 30.0], polarity="low_is_good").attrs["variation"] == (
        "special_cause_concern"
    )
    # NHSRplotthedots ptd_point_type: no improvement direction → neutral high/low.
    assert spc([*stable, 30.0]).attrs["variation"] == "special_cause_neutral_high"
    assert spc([*stable, -5.0]).attrs["variation"] == "special_cause_neutral_low"
    assert spc([3.0]).attrs["variation"] == "not_applicable"


def test_screening_never_drops_every_moving_range():
    got = spc([1.0, 1.0, 1.0, 1.0])
    assert np.isfinite(got["upper_limit"]).all()
