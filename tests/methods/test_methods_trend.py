"""Recent trend (Fingertips) and progress against a target (CAGR).

The trend's slope and chi-square are checked against a statsmodels weighted
least-squares fit with the variance scale fixed at 1 (the weights are known
inverse variances); progress ratios are recomputed by hand with ``math``.
"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from indicators.methods import TREND_CHI2_THRESHOLD, progress_status, recent_trend
from indicators.methods.trend import PROGRESS_LABELS

# --- recent trend -----------------------------------------------------------------------


def test_threshold_is_chi2_one_df_at_998():
    assert stats.chi2.ppf(0.998, 1) == pytest.approx(TREND_CHI2_THRESHOLD, abs=1e-4)


def statsmodels_trend(values, lowers, uppers):
    t = np.arange(1, 6)
    weights = 1 / ((np.asarray(uppers) - np.asarray(lowers)) / 3.92) ** 2
    fit = sm.WLS(np.asarray(values), sm.add_constant(t), weights=weights).fit(
        cov_type="fixed scale", cov_kwds={"scale": 1.0}
    )
    return fit.params[1], fit.bse[1]


def test_slope_and_chi2_match_statsmodels_wls():
    values = [31.0, 33.5, 32.0, 36.0, 37.5]
    lowers = [28.0, 31.0, 30.5, 33.0, 35.5]
    uppers = [34.0, 36.0, 33.5, 39.0, 39.5]
    got = recent_trend(values, lowers, uppers)
    slope, se = statsmodels_trend(values, lowers, uppers)
    assert got["slope"] == pytest.approx(slope)
    assert got["se"] == pytest.approx(se)
    assert got["chi2"] == pytest.approx((slope / se) ** 2)
    assert got["chi2"] > TREND_CHI2_THRESHOLD
    assert got["marker"] == "increasing"
    assert got["points_used"] == 5


@pytest.mark.parametrize(
    ("values", "polarity", "marker", "assessment"),
    [
        ([20, 21, 22, 23, 24], "high_is_good", "increasing", "getting_better"),
        ([20, 21, 22, 23, 24], "low_is_good", "increasing", "getting_worse"),
        ([20, 21, 22, 23, 24], "no_judgement", "increasing", "increasing"),
        ([24, 23, 22, 21, 20], "high_is_good", "decreasing", "getting_worse"),
        ([24, 23, 22, 21, 20], "low_is_good", "decreasing", "getting_better"),
        ([24, 23, 22, 21, 20], "no_judgement", "decreasing", "decreasing"),
    ],
)
def test_marker_and_polarity_words(values, polarity, marker, assessment):
    lowers = [v - 1 for v in values]
    uppers = [v + 1 for v in values]
    got = recent_trend(values, lowers, uppers, polarity=polarity)
    assert got["marker"] == marker
    assert got["assessment"] == assessment


def test_not_significant_is_no_change():
    got = recent_trend([20, 20.1, 20.2, 20.3, 20.4], [19] * 5, [21, 21, 21, 22, 22])
    assert got["chi2"] < TREND_CHI2_THRESHOLD
    assert got["marker"] == "no_change"
    assert got["assessment"] == "no_significant_change"


def test_leave_one_out_sign_flip_gives_no_change():
    # Flat at 10-11 then a jump to 20: overall slope strongly positive (χ² ≈ 498),
    # but without the last point the slope of 11, 10, 10, 10 is negative.
    values = [11, 10, 10, 10, 20]
    lowers = [v - 0.5 for v in values]
    uppers = [v + 0.5 for v in values]
    slope, se = statsmodels_trend(values, lowers, uppers)
    assert (slope / se) ** 2 > TREND_CHI2_THRESHOLD
    slope_without_last, _ = np.polyfit([1, 2, 3, 4], values[:4], 1)
    assert slope_without_last < 0 < slope

    got = recent_trend(values, lowers, uppers, polarity="high_is_good")
    assert got["chi2"] == pytest.approx((slope / se) ** 2)
    assert got["leave_one_out_stable"] is False
    assert got["marker"] == "no_change"
    assert got["assessment"] == "no_significant_change"


def test_uses_the_five_most_recent_points_with_cis():
    # The early points fall steeply; the recent five rise. A point without a CI is skipped.
    values = [90, 60, 20, 21, 50, 22, 23, 24]
    lowers = [89, 59, 19, 20, None, 21, 22, 23]
    uppers = [91, 61, 21, 22, None, 23, 24, 25]
    got = recent_trend(values, lowers, uppers)
    assert got["points_used"] == 5
    slope, _ = statsmodels_trend([20, 21, 22, 23, 24], [19, 20, 21, 22, 23], [21, 22, 23, 24, 25])
    assert got["slope"] == pytest.approx(slope)
    assert got["marker"] == "increasing"


@pytest.mark.parametrize(
    ("values", "lowers", "uppers"),
    [
        ([20, 21, 22, 23], [19, 20, 21, 22], [21, 22, 23, 24]),
        ([20, 21, None, 23, 24], [19, 20, 21, 22, 23], [21, 22, 23, 24, 25]),
        ([], [], []),
    ],
)
def test_fewer_than_five_usable_points_cannot_be_calculated(values, lowers, uppers):
    got = recent_trend(values, lowers, uppers)
    assert got["marker"] == "cannot_be_calculated"
    assert got["assessment"] == "cannot_be_calculated"
    assert np.isnan(got["chi2"])


@pytest.mark.parametrize("value_type", ["mean", "ratio", "count", "life_expectancy"])
def test_unsupported_value_type_cannot_be_calculated(value_type):
    got = recent_trend([1, 2, 3, 4, 5], [0, 1, 2, 3, 4], [2, 3, 4, 5, 6], value_type=value_type)
    assert got["marker"] == "cannot_be_calculated"


@pytest.mark.parametrize("value_type", ["proportion", "rate", "dsr"])
def test_supported_value_types(value_type):
    got = recent_trend(
        [1, 2, 3, 4, 5], [0.5, 1.5, 2.5, 3.5, 4.5], [1.5, 2.5, 3.5, 4.5, 5.5], value_type=value_type
    )
    assert got["marker"] == "increasing"


def test_a_point_without_an_interval_is_left_out_not_refused():
    # Five valid values, four with intervals: the trend uses those four (FingertipsNext).
    got = recent_trend([20, 21, 22, 23, 24], [19, 20, np.nan, 22, 23], [21, 22, 23, 24, 25])
    assert got["points_used"] == 4
    assert got["marker"] == "increasing"


# --- progress against a target ------------------------------------------------------------


def ratio_by_hand(base, current, target, years_elapsed, years_to_target):
    observed = (current / base) ** (1 / years_elapsed) - 1
    required = (target / base) ** (1 / years_to_target) - 1
    return observed / required


def band_for(ratio):
    if ratio >= 0.95:
        return "on_track"
    if ratio >= 0.6:
        return "needs_acceleration"
    return "limited_progress" if ratio >= 0 else "moving_away"


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (61.0, "target_achieved"),
        (60.0, "target_achieved"),  # exactly on target
        (56.0, "on_track"),
        (54.0, "needs_acceleration"),
        (51.0, "limited_progress"),
        (50.0, "limited_progress"),  # R = 0
        (48.0, "moving_away"),
    ],
)
def test_progress_labels_high_is_good(current, expected):
    got = progress_status(
        2020, 50.0, 2023, current, target_value=60.0, target_year=2025, polarity="high_is_good"
    )
    assert got == expected
    if expected != "target_achieved":
        assert band_for(ratio_by_hand(50.0, current, 60.0, 3, 5)) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (39.0, "target_achieved"),
        (43.0, "on_track"),
        (46.0, "needs_acceleration"),
        (49.0, "limited_progress"),
        (52.0, "moving_away"),
    ],
)
def test_progress_labels_low_is_good(current, expected):
    got = progress_status(
        2020, 50.0, 2023, current, target_value=40.0, target_year=2025, polarity="low_is_good"
    )
    assert got == expected
    if expected != "target_achieved":
        assert band_for(ratio_by_hand(50.0, current, 40.0, 3, 5)) == expected


def test_progress_ratio_boundaries():
    # Choose the current value so that R is exactly 0.95 and 0.6 (to rounding).
    required = (60 / 50) ** (1 / 5) - 1
    for ratio, at_or_above, below in [
        (0.95, "on_track", "needs_acceleration"),
        (0.6, "needs_acceleration", "limited_progress"),
    ]:
        current = 50 * (1 + ratio * required) ** 3
        above = progress_status(
            2020,
            50,
            2023,
            current * (1 + 1e-9),
            target_value=60,
            target_year=2025,
            polarity="high_is_good",
        )
        under = progress_status(
            2020,
            50,
            2023,
            current * (1 - 1e-9),
            target_value=60,
            target_year=2025,
            polarity="high_is_good",
        )
        assert (above, under) == (at_or_above, below)


def test_progress_fractional_years():
    # Half a year in: 2024.5 from a 2024 baseline; target 2026.
    got = progress_status(
        2024, 100.0, 2024.5, 97.0, target_value=90.0, target_year=2026, polarity="low_is_good"
    )
    ratio = ratio_by_hand(100.0, 97.0, 90.0, 0.5, 2)
    assert ratio >= 0.95
    assert got == "on_track"


def test_progress_target_zero_is_treated_as_0001():
    got = progress_status(
        2020, 8.0, 2022, 1.5, target_value=0, target_year=2025, polarity="low_is_good"
    )
    ratio = ratio_by_hand(8.0, 1.5, 0.001, 2, 5)  # ≈ 0.68
    assert 0.6 <= ratio < 0.95
    assert got == "needs_acceleration"
    achieved = progress_status(
        2020, 8.0, 2022, 0.0, target_value=0, target_year=2025, polarity="low_is_good"
    )
    assert achieved == "target_achieved"


def test_progress_base_zero_uses_straight_line_change():
    # From 0 to 6 in 3 years is 2 a year; 10 by 2025 needs 2 a year → R = 1.
    got = progress_status(
        2020, 0.0, 2023, 6.0, target_value=10.0, target_year=2025, polarity="high_is_good"
    )
    assert got == "on_track"
    got = progress_status(
        2020, 0.0, 2023, 3.0, target_value=10.0, target_year=2025, polarity="high_is_good"
    )
    assert math.isclose((3 / 3) / (10 / 5), 0.5)  # 1 a year against 2 needed
    assert got == "limited_progress"


def test_progress_baseline_already_past_target_then_slipping_is_moving_away():
    got = progress_status(
        2020, 70.0, 2023, 55.0, target_value=60.0, target_year=2025, polarity="high_is_good"
    )
    assert got == "moving_away"


@pytest.mark.parametrize(
    ("current", "polarity", "expected"),
    [
        (55.0, "high_is_good", "improving"),
        (45.0, "high_is_good", "worsening"),
        (55.0, "low_is_good", "worsening"),
        (45.0, "low_is_good", "improving"),
        (50.0, "high_is_good", "no_change"),
        (50.0, "low_is_good", "no_change"),
        (55.0, "no_judgement", "increasing"),
        (45.0, "no_judgement", "decreasing"),
    ],
)
def test_progress_without_target_is_direction(current, polarity, expected):
    assert progress_status(2020, 50.0, 2023, current, polarity=polarity) == expected


def test_progress_no_judgement_with_target_uses_direction_to_target():
    got = progress_status(
        2020, 50.0, 2023, 56.0, target_value=60.0, target_year=2025, polarity="no_judgement"
    )
    assert got == "on_track"


@pytest.mark.parametrize(
    "args",
    [
        (2020, None, 2023, 55.0),
        (2020, 50.0, 2023, np.nan),
        (None, 50.0, 2023, 55.0),
        (2020, 50.0, 2020, 55.0),  # no time has passed
    ],
)
def test_progress_missing_or_unusable_is_not_assessed(args):
    assert progress_status(*args, polarity="high_is_good") == "not_assessed"
    got = progress_status(*args, target_value=70, target_year=2025, polarity="high_is_good")
    assert got == "not_assessed"


def test_progress_target_without_year_is_not_assessed_unless_achieved():
    assert (
        progress_status(2020, 50, 2023, 55, target_value=70, polarity="high_is_good")
        == "not_assessed"
    )
    assert (
        progress_status(2020, 50, 2023, 75, target_value=70, polarity="high_is_good")
        == "target_achieved"
    )


def test_progress_is_vectorised():
    current = pd.Series([61.0, 56.0, 54.0, 51.0, 48.0, None], index=list("abcdef"))
    got = progress_status(
        2020, 50.0, 2023, current, target_value=60.0, target_year=2025, polarity="high_is_good"
    )
    assert isinstance(got, pd.Series)
    assert got.tolist() == [
        "target_achieved",
        "on_track",
        "needs_acceleration",
        "limited_progress",
        "moving_away",
        "not_assessed",
    ]
    assert set(got) <= set(PROGRESS_LABELS)
    arrays = progress_status(
        [2020, 2020], [50, 50], [2023, 2023], [55, 45], polarity=["high_is_good", "low_is_good"]
    )
    assert arrays.tolist() == ["improving", "improving"]


def test_progress_invalid_polarity_raises():
    with pytest.raises(ValueError, match="polarity"):
        progress_status(2020, 1, 2021, 2, polarity="up")
