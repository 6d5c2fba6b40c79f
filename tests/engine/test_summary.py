"""Judgements on results: like-for-like baselines, progress, trend and comparison with the city."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import methods
from indicators.config import spec
from indicators.engine.summary import summarise
from indicators.paths import CONFIG_PATH

STRATEGY = spec.load_strategy(CONFIG_PATH)
CITY = STRATEGY.area_code
PERIODS = ["2019 H2", "2020 H1", "2020 H2", "2021 H1", "2021 H2", "2022 H1"]


def _rows(area: str, values: list[float], half_width: float) -> list[dict]:
    area_type = "la" if area == CITY else "ward"
    return [
        {
            "indicator_id": "requests_decided_3_days",
            "measure": "proportion",
            "period": p,
            "period_type": "half_year",
            "area_code": area,
            "area_name": area,
            "area_type": area_type,
            "breakdown": "all",
            "category": "all",
            "numerator": 50.0,
            "denominator": 100.0,
            "value": v,
            "lower_ci": v - half_width,
            "upper_ci": v + half_width,
            "suppressed": False,
            "note": "",
        }
        for p, v in zip(PERIODS, values, strict=True)
    ]


def test_summary_of_a_rising_city_and_a_ward_above_it() -> None:
    city_values = [60.0, 64.0, 68.0, 72.0, 76.0, 80.0]
    results = pd.DataFrame(
        _rows(CITY, city_values, 1.0) + _rows("E05008715", [v + 10 for v in city_values], 2.0)
    )
    out = summarise(results, STRATEGY, "2022 H1").set_index("area_code")
    city = out.loc[CITY]
    # Its like-for-like baseline (2019 H1) is not in the frame: nothing to judge against.
    assert pd.isna(city["baseline_period"]) and pd.isna(city["baseline_value"])
    assert city["progress"] == "not_assessed"
    assert city["trend"] == "increasing"
    assert city["trend_assessment"] == "getting_better"
    ward = out.loc["E05008715"]
    assert ward["comparison_with_city"] == "better"  # 90 ± 2 lies above 80
    assert city["comparison_with_city"] == "not_compared"


def test_progress_agrees_with_the_method() -> None:
    rows = _rows(CITY, [60.0, 64.0, 68.0, 72.0, 76.0, 80.0], 1.0)
    rows[0]["period"] = "2019 H1"  # the like-for-like baseline of 2022 H1
    out = summarise(pd.DataFrame(rows), STRATEGY, "2022 H1")
    indicator = STRATEGY.indicator("requests_decided_3_days")
    expected = methods.progress_status(
        2019.5,
        60.0,
        2022.5,
        80.0,
        target_value=indicator.target_value,
        target_year=2024.75,
        polarity="high_is_good",
    )
    assert out.loc[0, "progress"] == expected == "on_track"
    assert out.loc[0, "change_since_baseline"] == pytest.approx(20.0)
