"""The recent trend against FingertipsNext's trend calculator tests.

Each series is copied from FingertipsNext (github.com/dhsc-govuk/FingertipsNext)
``trend-analysis/TrendAnalysisApp.UnitTests/Calculator/IndicatorTestData.cs``,
the England (or Yorkshire and the Humber) values on the Fingertips website, with
the marker ``TrendCalculatorTests.cs`` expects. Points are given oldest first.
"""

import pytest

from indicators.methods import recent_trend

# (count, value, denominator, lower, upper) per year, oldest first.
DIABETES_PREVALENCE = [  # 241, proportion: Increasing
    (3455176, 7.0826, 48783947, 7.0754, 7.094),
    (3491868, 7.1085, 49122259, 7.1013, 7.1199),
    (3625401, 7.2571, 49956777, 7.2499, 7.2684),
    (3774801, 7.4528, 50649129, 7.4456, 7.4643),
    (3938080, 7.6554, 51441896, 7.6481, 7.6669),
]
GP_REGISTERED_OVER_65 = [  # 93468, proportion without intervals: NoChange
    (10588957, 17.5144, 60458658, None, None),
    (10547929, 17.3646, 60744002, None, None),
    (10851467, 17.6087, 61625745, None, None),
    (11034431, 17.6782, 62418295, None, None),
    (11246440, 17.7872, 63227624, None, None),
]
YORKSHIRE_MMR = [  # 30309, proportion, high is good: DecreasingAndGettingWorse
    (57274, 92.6254, 61834, 92.4168, 92.8288),
    (55865, 92.3221, 60511, 92.1072, 92.5315),
    (53681, 90.8708, 59074, 90.6358, 91.1004),
    (51767, 90.017, 57508, 89.7694, 90.2594),
    (53185, 90.1013, 59028, 89.8578, 90.3396),
]
DIABETIC_EYE_DISEASE = [  # 41203, crude rate, low is good: IncreasingAndGettingWorse
    (1416, 2.935, 48246126, 2.7841, 3.0919),
    (935, 1.93028, 48440507, 1.8085, 2.058),
    (1344, 2.7567, 48753376, 2.6113, 2.9082),
    (1415, 2.8701, 49300918, 2.7225, 3.0237),
    (1502, 3.0121, 49866388, 2.8616, 3.1683),
]
EMERGENCY_READMISSIONS = [  # 41101, indirectly standardised proportion: CannotBeCalculated
    (927525, 14.3, 6490048, 14.3, 14.3),
    (772357, 15.4, 5004131, 15.4, 15.5),
    (861406, 14.3, 6006520, 14.3, 14.4),
    (835533, 14.2, 5892913, 14.1, 14.2),
    (939199, 14.8, 6340538, 14.8, 14.8),
]
UNDER_75_CANCER = [  # 40501, DSR, low is good: DecreasingAndGettingBetter
    (61807, 126.9341, 51510878, 125.9343, 127.94),
    (61740, 125.829, 51530437, 124.8371, 126.8268),
    (60202, 121.5234, 51653460, 120.5533, 122.4993),
    (60192, 122.3782, 51966274, 121.4012, 123.361),
    # The test data write the 2023 value as `120/7742`, C# integer division: 0.
    (59423, 0.0, 52380101, 119.8035, 121.7507),
]


def trend(points, **options):
    counts, values, denominators, lowers, uppers = zip(*points, strict=True)
    as_float = [float("nan") if v is None else v for v in lowers]
    upper = [float("nan") if v is None else v for v in uppers]
    return recent_trend(
        list(values), as_float, upper, counts=counts, denominators=denominators, **options
    )


@pytest.mark.parametrize(
    ("points", "value_type", "polarity", "marker", "assessment"),
    [
        (DIABETES_PREVALENCE, "proportion", "no_judgement", "increasing", "increasing"),
        (GP_REGISTERED_OVER_65, "proportion", "no_judgement", "no_change", "no_significant_change"),
        (YORKSHIRE_MMR, "proportion", "high_is_good", "decreasing", "getting_worse"),
        (DIABETIC_EYE_DISEASE, "rate", "low_is_good", "increasing", "getting_worse"),
        (UNDER_75_CANCER, "dsr", "low_is_good", "decreasing", "getting_better"),
    ],
)
def test_fingertipsnext_trend_calculator_cases(points, value_type, polarity, marker, assessment):
    got = trend(points, value_type=value_type, polarity=polarity)
    assert (got["marker"], got["assessment"]) == (marker, assessment)


def test_unsupported_value_type_cannot_be_calculated():
    got = trend(EMERGENCY_READMISSIONS, value_type="indirectly_standardised_proportion")
    assert got["marker"] == "cannot_be_calculated"
    assert got["reason"] == "The recent trend cannot be calculated for this value type"


def test_fewer_than_five_points_cannot_be_calculated():
    # TrendCalculatorTests: the cancer series without its first point (4 points).
    got = trend(UNDER_75_CANCER[1:], value_type="dsr")
    assert got["marker"] == "cannot_be_calculated"
    assert got["reason"].startswith("Not enough data points")


def test_periods_of_other_than_one_year_cannot_be_calculated():
    # TrendRequest.IsValid: "The recent trend cannot be calculated for this year range".
    got = trend(DIABETES_PREVALENCE, value_type="proportion", period_years=3)
    assert got["marker"] == "cannot_be_calculated"
    assert got["reason"] == "The recent trend cannot be calculated for this year range"


def test_a_count_equal_to_its_denominator_cannot_be_calculated():
    # TrendRequest.IsPossibleDivideByZeroErrors.
    points = [*DIABETES_PREVALENCE[:4], (100, 100.0, 100, 96.3, 100.0)]
    got = trend(points, value_type="proportion")
    assert got["marker"] == "cannot_be_calculated"
    assert got["reason"] == "The recent trend cannot be calculated"
