"""Reference tables built from the shipped public files agree with their provenance."""

from __future__ import annotations

import pytest

from indicators.config import spec
from indicators.load import reference
from indicators.paths import CONFIG_PATH, REFERENCE_DIR

STRATEGY = spec.load_strategy(CONFIG_PATH)


@pytest.fixture(scope="module")
def lsoas():
    return reference.lsoa_ward(REFERENCE_DIR)


def test_wards_of_both_vintages_and_only_the_old_have_boundaries() -> None:
    wards = reference.wards(REFERENCE_DIR, STRATEGY.area_code)
    assert wards.groupby("vintage")["ward_code"].count().to_dict() == {"2011-2023": 37, "2023-": 34}
    assert wards.loc[wards["vintage"] == "2011-2023", "has_boundary"].all()
    assert not wards.loc[wards["vintage"] == "2023-", "has_boundary"].any()


def test_every_lsoa_has_a_ward_and_a_decile(lsoas) -> None:
    assert lsoas["lsoa_vintage"].value_counts().to_dict() == {"2011": 159, "2021": 8}
    assert lsoas["ward_code"].notna().all()
    deprivation = reference.deprivation(REFERENCE_DIR, lsoas)
    assert len(deprivation) == 167
    assert deprivation["imd_decile"].between(1, 10).all()
    # PROVENANCE: IMD 2019 File 3, first Stoke row E01014210 has IMD decile 1, rank 2167.
    row = deprivation.set_index("lsoa_code").loc["E01014210"]
    assert (row["imd_rank"], row["imd_decile"]) == (2167, 1)


def test_population_totals_match_provenance(lsoas) -> None:
    population = reference.population(REFERENCE_DIR, lsoas, STRATEGY.area_code)
    children = population[(population["age_band"] == "0-17")]
    by_year = children[children["area_type"] == "ward"].groupby("year")["population"].sum()
    # PROVENANCE: Stoke ages 0-17 from ONS SAPE: 57,271 (2017), 57,912 (2019), 58,305 (2020).
    assert by_year.to_dict() == {2017: 57271, 2019: 57912, 2020: 58305}
    stoke = children[(children["area_code"] == STRATEGY.area_code)].set_index("year")["population"]
    assert stoke[2024] == 62520  # DfE/ONS mid-year estimate, as PROVENANCE quotes
    assert not population.duplicated(["area_code", "year", "age_band"]).any()


def test_statistical_neighbours_come_from_the_dfe_file() -> None:
    comparators = reference.comparators(REFERENCE_DIR, STRATEGY)
    neighbours = comparators[comparators["role"] == "statistical_neighbour"]
    assert neighbours["old_la_code"].tolist() == [
        "810",
        "806",
        "357",
        "371",
        "812",
        "335",
        "370",
        "354",
        "372",
        "890",
    ]
    assert neighbours["area_code"].str.match(r"E0[68]\d{6}").all()


def test_comparators_are_the_strategys_own() -> None:
    comparators = reference.comparators(REFERENCE_DIR, STRATEGY).set_index("role")
    for comparator in STRATEGY.comparators:
        if comparator.code:
            row = comparators.loc[comparator.role]
            assert (row["area_code"], row["area_name"]) == (comparator.code, comparator.name)
    own = comparators.loc["self"]
    assert (own["area_code"], own["area_name"], own["old_la_code"]) == (
        STRATEGY.area_code,
        STRATEGY.area_name,
        STRATEGY.dfe_la_number,
    )
