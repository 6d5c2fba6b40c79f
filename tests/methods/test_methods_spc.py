"""XmR charts ("Making Data Count"): limits, each special-cause rule, rebasing, assurance.

Limits are recomputed independently with pandas; the rule examples are built
by hand so that exactly the intended rule fires.
"""

import numpy as np
import pandas as pd
import pytest

from indicators.methods import spc

STABLE = [10, 12] * 5  # mean 11, moving range 2


def limits_by_hand(values):
    series = pd.Series(values, dtype=float).dropna()
    mean = series.mean()
    mr_bar = series.diff().abs().mean()
    return mean, mean - 2.66 * mr_bar, mean + 2.66 * mr_bar


def test_limits_match_an_independent_calculation():
    values = [14, 17, 13, 15, 19, 16, 12, 15, 18, 14, 16, 15]
    got = spc(values)
    mean, lower, upper = limits_by_hand(values)
    assert got["mean"].tolist() == pytest.approx([mean] * 12)
    assert got["lower_limit"].tolist() == pytest.approx([lower] * 12)
    assert got["upper_limit"].tolist() == pytest.approx([upper] * 12)
    assert list(got.columns[:1]) == ["value"]
    assert {"mean", "lower_limit", "upper_limit", "special_cause", "rule"} <= set(got.columns)


def test_common_cause_only():
    got = spc(STABLE, polarity="high_is_good")
    assert (got["special_cause"] == "neither").all()
    assert (got["rule"] == "").all()


@pytest.mark.parametrize(
    ("spike", "polarity", "expected"),
    [
        (30, "high_is_good", "improvement"),
        (30, "low_is_good", "concern"),
        (-10, "high_is_good", "concern"),
        (-10, "low_is_good", "improvement"),
        (30, "no_judgement", "neutral_high"),
        (-10, "no_judgement", "neutral_low"),
    ],
)
def test_outside_limits(spike, polarity, expected):
    values = [*STABLE, spike, 11, 10, 12]
    got = spc(values, polarity=polarity)
    _, lower, upper = limits_by_hand(values)
    assert not lower <= spike <= upper
    assert "outside_limits" in got.loc[10, "rule"]
    assert got.loc[10, "special_cause"] == expected
    # (The spike moves the mean, so the other points may form a shift; none is outside.)
    assert not got.drop(index=10)["rule"].str.contains("outside_limits").any()


def test_shift_of_seven_points_on_one_side():
    values = [*STABLE, *[11.5] * 7]  # mean 11.21: the last 7 points (and 12 before) are above
    got = spc(values, polarity="high_is_good")
    _, lower, upper = limits_by_hand(values)
    assert all(lower < v < upper for v in values)
    flagged = got.index[got["rule"] == "shift"].tolist()
    assert flagged == list(range(9, 17))  # the 12 at position 9 starts the run of 8
    assert (got.loc[flagged, "special_cause"] == "improvement").all()
    assert (got.loc[:8, "rule"] == "").all()


def test_six_points_on_one_side_is_not_a_shift():
    values = [*STABLE, 11, *[11.5] * 5, 10, 12, 10]
    got = spc(values, polarity="high_is_good")
    assert not got["rule"].str.contains("shift").any()


def test_a_point_on_the_mean_breaks_a_shift():
    # Mean exactly 11 (143/13): six 12s above it, split 3 + 3 by an 11 on the mean.
    broken = [10] * 6 + [12, 12, 12, 11, 12, 12, 12]
    got = spc(broken)
    assert got["mean"].iloc[0] == 11.0
    assert not got["rule"].str.contains("shift").any()
    # Seven unbroken on each side (mean again exactly 11) is a shift on both sides.
    unbroken = spc([10] * 7 + [12] * 7)
    assert unbroken["rule"].str.contains("shift").all()


def test_trend_of_seven_rising_points():
    values = [*STABLE, 8.5, 9, 9.5, 10.5, 11.5, 12, 12.5, 10, 12, 10]
    got = spc(values, polarity="high_is_good")
    _, lower, upper = limits_by_hand(values)
    assert all(lower < v < upper for v in values)
    flagged = got.index[got["rule"] == "trend"].tolist()
    assert flagged == list(range(10, 17))
    assert (got.loc[flagged, "special_cause"] == "improvement").all()
    concern = spc(values, polarity="low_is_good")
    assert (concern.loc[flagged, "special_cause"] == "concern").all()


def test_falling_trend_and_six_rises_not_enough():
    falling = [*STABLE, 12.5, 12, 11.5, 10.5, 9.5, 9, 8.5, 12, 10, 12]
    got = spc(falling, polarity="high_is_good")
    assert got.index[got["rule"] == "trend"].tolist() == list(range(10, 17))
    assert (got.loc[10:16, "special_cause"] == "concern").all()
    six = [*STABLE, 9, 9.5, 10.5, 11.5, 12, 12.5, 10, 12, 10]
    assert not spc(six)["rule"].str.contains("trend").any()


def test_equal_values_break_a_trend():
    values = [*STABLE, 8.5, 9, 9.5, 10.5, 10.5, 11.5, 12, 12.5, 10, 12]
    assert not spc(values)["rule"].str.contains("trend").any()


def test_two_of_three_beyond_two_thirds():
    values = [10, 11] * 7 + [13.2, 11.2, 13.3] + [10, 11] * 3
    got = spc(values, polarity="low_is_good")
    mean, _, upper = limits_by_hand(values)
    two_thirds = mean + 2 / 3 * (upper - mean)
    assert two_thirds < 13.2 < 13.3 < upper
    assert got.index[got["rule"] == "two_of_three"].tolist() == [14, 16]
    assert (got.loc[[14, 16], "special_cause"] == "concern").all()
    assert got.loc[15, "rule"] == ""


def test_one_point_beyond_two_thirds_is_not_enough():
    values = [10, 11] * 7 + [13.2, 11.2, 11.0] + [10, 11] * 3
    assert not spc(values)["rule"].str.contains("two_of_three").any()


def test_no_judgement_names_the_rule_and_its_side_but_not_improvement_or_concern():
    values = [*STABLE, 30, 11, 10, 12]
    got = spc(values, polarity="no_judgement")
    assert got.loc[10, "rule"] == "outside_limits"
    assert got.loc[10, "special_cause"] == "neutral_high"
    assert not got["special_cause"].isin(["improvement", "concern"]).any()


def test_several_rules_are_all_named():
    values = [*STABLE, 13, 13, 13, 13, 13, 13, 30]  # mean 12.8: seven points above it
    got = spc(values)
    assert got.loc[16, "rule"] == "outside_limits,shift"
    assert got.loc[15, "rule"] == "shift"


def test_rebase_computes_limits_separately():
    before = [20, 22, 21, 23, 20, 22, 21, 23]
    after = [10, 11, 10, 12, 11, 10, 11, 12, 10]
    got = spc(before + after, rebase_at=len(before))
    for segment, part, rows in [(0, before, slice(0, 7)), (1, after, slice(8, 16))]:
        mean, lower, upper = limits_by_hand(part)
        assert (got.loc[rows, "segment"] == segment).all()
        assert got.loc[rows, "mean"].tolist() == pytest.approx([mean] * len(got.loc[rows]))
        assert got.loc[rows, "upper_limit"].iloc[0] == pytest.approx(upper)
        assert got.loc[rows, "lower_limit"].iloc[0] == pytest.approx(lower)
    # Without the rebase, the drop is special cause (a shift below the mean).
    assert spc(before + after)["rule"].str.contains("shift").any()
    assert not got["rule"].str.contains("shift").any()


def test_several_rebases_and_invalid_positions():
    values = [1, 2, 1, 2, 5, 6, 5, 6, 9, 10, 9, 10]
    got = spc(values, rebase_at=[4, 8])
    assert got["segment"].tolist() == [0] * 4 + [1] * 4 + [2] * 4
    assert got["mean"].unique().tolist() == pytest.approx([1.5, 5.5, 9.5])
    for bad in (0, 12, -1, 2.5, [3, 40]):
        with pytest.raises(ValueError, match="rebase_at"):
            spc(values, rebase_at=bad)


@pytest.mark.parametrize(
    ("target", "polarity", "assurance"),
    [
        (5.0, "high_is_good", "consistently_passes"),  # limits ≈ 5.7 to 16.3, all above 5
        (20.0, "high_is_good", "consistently_fails"),
        (11.0, "high_is_good", "inconsistent"),
        (5.0, "low_is_good", "consistently_fails"),
        (20.0, "low_is_good", "consistently_passes"),
        (11.0, "low_is_good", "inconsistent"),
        (None, "high_is_good", "no_target"),
        (11.0, "no_judgement", "not_applicable"),
    ],
)
def test_assurance(target, polarity, assurance):
    got = spc(STABLE, polarity=polarity, target=target)
    assert got.attrs["assurance"] == assurance


def test_target_exactly_on_a_limit_is_inconsistent():
    _, lower, _ = limits_by_hand(STABLE)
    got = spc(STABLE, polarity="high_is_good", target=lower)
    assert got.attrs["assurance"] == "inconsistent"


def test_assurance_uses_the_latest_segment():
    before = [20, 22, 21, 23, 20, 22, 21, 23]
    after = [10, 11, 10, 12, 11, 10, 11, 12, 10]
    got = spc(before + after, polarity="high_is_good", target=15, rebase_at=8)
    assert got.attrs["assurance"] == "consistently_fails"


def test_missing_values_are_skipped():
    values = [10, 12, None, 10, 12, 10, np.nan, 12, 10, 12]
    got = spc(values)
    mean, _, upper = limits_by_hand(values)
    assert got["mean"].iloc[0] == pytest.approx(mean)
    assert got["upper_limit"].iloc[0] == pytest.approx(upper)
    assert got.loc[2, "special_cause"] == "neither" and got.loc[2, "rule"] == ""
    assert np.isnan(got.loc[2, "value"])


def test_short_series_and_series_index():
    one = spc([5.0])
    assert np.isnan(one.loc[0, "upper_limit"]) and one.loc[0, "special_cause"] == "neither"
    assert spc([]).empty
    months = pd.Series([3, 4, 3, 5], index=pd.period_range("2024-01", periods=4, freq="M"))
    assert list(spc(months).index) == list(months.index)


def test_the_latest_point_is_the_last_month_with_a_value():
    """Months still to come (or suppressed) at the end must not hide the last real signal:
    the icon reads the last present point, here a spike outside the limits."""
    values = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 10, 30]
    with_gap = spc([*values, np.nan, np.nan], polarity="high_is_good")
    assert with_gap["special_cause"].iloc[-3] == "improvement"
    assert with_gap.attrs["variation"] == "special_cause_improvement"
    assert with_gap.attrs["variation"] == spc(values, polarity="high_is_good").attrs["variation"]
    assert spc([np.nan, np.nan]).attrs["variation"] == "not_applicable"
