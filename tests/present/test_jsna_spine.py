"""The JSNA spine against the public files as downloaded: England, the quartiles, the ends.

Each expected number is computed here with pandas straight from the file in
data/reference (its own filters written out again, not read from the YAML),
so a wrong filter, a lost authority or a wrong percentile in the load or the
views shows up as a difference.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from indicators.config import spec
from indicators.paths import CONFIG_PATH, REFERENCE_DIR
from indicators.present import jsna_views
from indicators.publish import jsna as jsna_tables

STRATEGY = spec.load_strategy(CONFIG_PATH)
FINGERTIPS_LA_TYPE = "Counties & UAs (from Apr 2023)"


def dfe_expected(file: str, column: str, filters: dict[str, str]) -> dict[str, float]:
    """England and the spread of every LA at the file's latest period, from the raw DfE CSV."""
    raw = pd.read_csv(REFERENCE_DIR / "dfe" / file, dtype=str)
    for key, value in filters.items():
        raw = raw[raw[key] == value]
    raw = raw[raw["time_period"] == raw["time_period"].max()]
    number = pd.to_numeric(raw[column], errors="coerce")
    las = number[raw["geographic_level"] == "Local authority"].dropna()
    england = number[raw["geographic_level"] == "National"].iloc[0]
    return spread(england, las)


def fingertips_expected(file: str, indicator_id: int) -> dict[str, float]:
    """The same from a Fingertips export: persons, whole areas, upper-tier authorities."""
    raw = pd.read_csv(REFERENCE_DIR / "dfe" / file)
    raw = raw[
        (raw["Indicator ID"] == indicator_id)
        & (raw["Sex"] == "Persons")
        & raw["Category Type"].isna()
    ]
    raw = raw[raw["Time period Sortable"] == raw["Time period Sortable"].max()]
    las = raw.loc[raw["Area Type"] == FINGERTIPS_LA_TYPE, "Value"].dropna()
    england = raw.loc[raw["Area Type"] == "England", "Value"].iloc[0]
    return spread(england, las)


def spread(england: float, las: pd.Series) -> dict[str, float]:
    return {
        "england": england,
        "la_min": las.min(),
        "la_p25": las.quantile(0.25),
        "la_p75": las.quantile(0.75),
        "la_max": las.max(),
        "la_count": len(las),
    }


CASES = {
    # low is good: the highest re-referral rate is the worst end
    "rereferrals_12_months": (
        lambda: dfe_expected(
            "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
            "rereferral_percent",
            {},
        ),
        "low_is_good",
    ),
    # high is good: the lowest attainment is the worst end
    "ks2_rwm_cin": (
        lambda: dfe_expected(
            "ks2_la.csv", "pt_rwm_met_expected_standard", {"social_care_group": "CINO at 31 March"}
        ),
        "high_is_good",
    ),
    "injury_admissions_0_14": (
        lambda: fingertips_expected("la_hospital_admissions_2324.csv", 90284),
        "low_is_good",
    ),
}


def spine_of(warehouse: Path, strategy: spec.Strategy = STRATEGY) -> pd.DataFrame:
    return jsna_tables.spine_from_warehouse(warehouse, strategy, "england").set_index(
        "indicator_id"
    )


@pytest.mark.parametrize("indicator_id", list(CASES))
def test_the_spine_has_the_files_england_quartiles_and_ends(
    demo_warehouse: Path, indicator_id: str
) -> None:
    expected_of, polarity = CASES[indicator_id]
    expected = expected_of()
    row = spine_of(demo_warehouse).loc[indicator_id]
    assert expected["la_count"] >= 140  # every English authority, not a filtered copy
    assert row["la_count"] == expected["la_count"]
    assert row["polarity"] == polarity
    for column in ("england", "la_p25", "la_p75", "la_min", "la_max"):
        assert row[column] == pytest.approx(expected[column], abs=1e-9), column
    worst, best = ("la_max", "la_min") if polarity == "low_is_good" else ("la_min", "la_max")
    assert (row["worst"], row["best"]) == (expected[worst], expected[best])
    # England is the centre line; the worst end is left of it, the best right.
    at = jsna_views.spine_positions(row.to_frame().T, ["england", "worst", "best"]).iloc[0]
    assert at["england"] == 0.5 and at["worst"] < 0.5 < at["best"]
    assert min(at["worst"], 1 - at["best"]) == pytest.approx(0)  # the far end fills its half


def test_polarity_flips_the_ends(demo_warehouse: Path) -> None:
    flipped = {"high_is_good": "low_is_good", "low_is_good": "high_is_good"}
    strategy = dataclasses.replace(
        STRATEGY,
        jsna=tuple(
            dataclasses.replace(s, polarity=flipped.get(s.polarity, s.polarity))
            for s in STRATEGY.jsna
        ),
    )
    usual, turned = spine_of(demo_warehouse), spine_of(demo_warehouse, strategy)
    for indicator_id in CASES:
        assert turned.loc[indicator_id, "worst"] == usual.loc[indicator_id, "best"]
        assert turned.loc[indicator_id, "best"] == usual.loc[indicator_id, "worst"]
        sides = [
            jsna_views.spine_positions(frame.loc[[indicator_id]], ["value"]).iloc[0, 0]
            for frame in (usual, turned)
        ]
        assert sides[0] == pytest.approx(1 - sides[1])  # the dot moves to the mirror place


def test_rows_come_by_theme_with_their_own_period_type(demo_warehouse: Path) -> None:
    spine = spine_of(demo_warehouse)
    themes = list(dict.fromkeys(spine["theme"]))
    assert themes == [t for t in jsna_views.THEME_TITLES if t in themes]
    assert spine.loc["ks2_rwm_cin", "period_label"] == "2024/25 academic year"
    assert spine.loc["rereferrals_12_months", "period_label"] == "year to 31 March 2025"
    assert spine.loc["injury_admissions_0_14", "period_label"] == "2023/24 financial year"
    assert spine.loc["social_worker_turnover", "period_label"] == "year to 30 September 2025"
