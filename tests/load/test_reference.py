"""Reference tables built from the shipped public files agree with their provenance."""

from __future__ import annotations

import pytest

from indicators.config import spec
from indicators.load import reference, ward_assignment
from indicators.paths import CONFIG_PATH, REFERENCE_DIR

STRATEGY = spec.load_strategy(CONFIG_PATH)


@pytest.fixture(scope="module")
def lsoas():
    return reference.lsoa_ward(REFERENCE_DIR)


def test_wards_of_both_vintages_and_only_the_old_have_boundaries(lsoas) -> None:
    wards = reference.wards(REFERENCE_DIR, STRATEGY.area_code, lsoas)
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


def test_a_2011_lsoa_split_across_2023_wards_gets_no_2023_ward_and_says_why(lsoas) -> None:
    """ONS best fit: 155 unchanged LSOAs and 2 splits inside one ward get a May 2023 ward;
    009C and 032B split into 2021 LSOAs of two wards each, so no 2023 ward is invented."""
    by_code = lsoas.set_index("lsoa_code")
    unassigned = by_code[by_code["ward_2023_code"].isna()]
    assert sorted(unassigned.index) == ["E01014236", "E01014251"]
    assert set(unassigned["ward_2023_note"]) == {ward_assignment.SPLIT_ACROSS_WARDS}
    assert by_code["ward_2023_code"].nunique() == 34
    # Both 2021 parts of 016B lie in one ward (PROVENANCE: LSOA 2021 → ward 2024 lookup).
    assert by_code.loc["E01014231", "ward_2023_code"] == "E05014574"
    assert by_code.loc["E01034052", "ward_2023_code"] == "E05014564"


def test_2023_ward_populations_are_sums_of_their_lsoas(lsoas) -> None:
    population = reference.population(REFERENCE_DIR, lsoas, STRATEGY.area_code)
    mid_2020 = population[(population["year"] == 2020) & (population["age_band"] == "all")]
    by_type = mid_2020.groupby("area_type")["population"]
    unassigned = mid_2020["area_code"].isin(["E01014236", "E01014251"])
    assert by_type.count()["ward_2023"] == 34
    assert (
        by_type.sum()["ward_2023"]
        == by_type.sum()["ward"] - mid_2020[unassigned]["population"].sum()
    )


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


def test_a_2011_ward_wholly_inside_one_2023_ward_names_it(lsoas) -> None:
    """25 of the 37 wards of 2011–2023 lie wholly in one May 2023 ward (every LSOA has it);
    the other 12 span two or three, or hold an LSOA with no May 2023 ward, and name none."""
    wards = reference.wards(REFERENCE_DIR, STRATEGY.area_code, lsoas).set_index("ward_code")
    old = wards[wards["vintage"] == "2011-2023"]
    assert old["within_ward_2023"].notna().sum() == 25
    assert wards.loc[wards["vintage"] == "2023-", "within_ward_2023"].isna().all()
    for code, within in old["within_ward_2023"].dropna().items():
        assert set(lsoas.loc[lsoas["ward_code"] == code, "ward_2023_code"]) == {within}
    # 009C splits across two May 2023 wards, so its 2011 ward is in no single one.
    split = lsoas.loc[lsoas["ward_2023_note"] == ward_assignment.SPLIT_ACROSS_WARDS, "ward_code"]
    assert old.loc[split, "within_ward_2023"].isna().all()
