"""Each JSNA source, made by YAML alone, gives the area's latest value as the file prints it.

The expected numbers are copied from the files in data/reference/dfe as
downloaded (the line is quoted in each comment's reference: period, the
area's row and the column), not computed by the loader's own SQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.config import spec
from indicators.paths import CONFIG_PATH
from indicators.store import inventory

STRATEGY = spec.load_strategy(CONFIG_PATH)

# id → (latest period label, the area's value in the file, period type)
AS_PUBLISHED = {
    # d5: 2025 row, 2_years_or_more_percent
    "cpp_two_years_or_more": ("2025", 3.5, "financial_year"),
    # c3: 2025 row, Domestic_Abuse_parent 1072 of Episodes_with_assessment_factor 3612
    "factor_domestic_abuse_parent": ("2025", 100 * 1072 / 3612, "financial_year"),
    "factor_mental_health_parent": ("2025", 100 * 1132 / 3612, "financial_year"),
    "factor_drug_misuse_parent": ("2025", 100 * 570 / 3612, "financial_year"),
    "factor_alcohol_misuse_parent": ("2025", 100 * 537 / 3612, "financial_year"),
    # la_cla_placement_stability: 2025, CLA on 31 March, 3 or more placements: 104 children, 10%
    "cla_three_or_more_placements": ("2025", 10.0, "financial_year"),
    # ... long-term: living with the same carer for at least 2 years: 334, 65%
    "cla_same_carer_two_years": ("2025", 65.0, "financial_year"),
    # la_care_leavers_activity: 2025, 19 to 21, in education, employment or training: 107, 43%
    "care_leavers_eet_19_21": ("2025", 43.0, "financial_year"),
    # la_care_leavers_accommodation_suitability: 2025, 19 to 21, suitable: 236, 94%
    "care_leavers_suitable_accommodation_19_21": ("2025", 94.0, "financial_year"),
    # ks2_la: 202425, CINO at 31 March: t_rwm 71 eligible, 26 met, 37%
    "ks2_rwm_cin": ("2024/25", 37.0, "academic_year"),
    # ... CLA 12 months at 31 March: 52 eligible, 25 met, 48%
    "ks2_rwm_cla": ("2024/25", 48.0, "academic_year"),
    # ks4_la: 202425, avg_att8 for CINO 11.5 and CLA 12 months 19.4
    "ks4_attainment8_cin": ("2024/25", 11.5, "academic_year"),
    "ks4_attainment8_cla": ("2024/25", 19.4, "academic_year"),
    # csww_indicators: 2025 (census at 30 September 2025)
    "social_worker_turnover": ("2025", 8.4, "september_year"),
    "social_worker_agency_rate": ("2025", 15.9, "september_year"),
    "social_worker_vacancy_rate": ("2025", 21.7, "september_year"),
    "social_worker_caseload": ("2025", 18.0, "september_year"),
}


def test_every_new_source_is_in_the_shipped_yaml() -> None:
    assert set(AS_PUBLISHED) <= {source.id for source in STRATEGY.jsna}


@pytest.mark.parametrize("source_id", list(AS_PUBLISHED))
def test_the_areas_latest_value_is_the_files(demo_warehouse: Path, source_id: str) -> None:
    period, value, period_type = AS_PUBLISHED[source_id]
    rows = inventory.jsna_rows(demo_warehouse, [STRATEGY.area_code])
    rows = rows[rows["indicator_id"] == source_id]
    latest = rows[rows["time_period_sort"] == rows["time_period_sort"].max()]
    assert len(latest) == 1
    row = latest.iloc[0]
    assert (row["time_period"], row["period_type"]) == (period, period_type)
    assert row["value"] == pytest.approx(value, abs=1e-9)
