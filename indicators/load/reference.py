"""Reference tables: wards, LSOA→ward, deprivation, population, comparators.

Read from the real public files shipped in `data/reference/` (see its
PROVENANCE.md). Nothing here invents a value: where a fact is missing (no
boundary for the 2024 wards, no population estimate for a year) the table
says so in a column rather than filling the gap. The council's area, code and
comparators come from the strategy (config/indicators.yaml), never from here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd

from indicators.config.spec import Strategy
from indicators.load.ward_assignment import ward_2023_containing, ward_2023_of
from indicators.load.ward_outlines import LSOA_BOUNDARIES, ward_2023_outlines
from indicators.ward_vintages import WARDS_2011, WARDS_2023

WARD_LOOKUP = "lookups/lsoa11_to_ward19_lad19_stoke.csv"
WARD24_LOOKUP = "lookups/lsoa21_to_ward24_lad24_stoke.csv"
LSOA11_TO_21 = "lookups/lsoa11_to_lsoa21_lad22_stoke.csv"
WARD_BOUNDARIES = "boundaries/stoke_wards_2013_martinjc.geojson"
DEPRIVATION = "deprivation/iod2019_file3_imd_idaci_idaopi_stoke_lsoa11.csv"
LSOA_POPULATION = "population/ons_sape_mid{year}_persons_syoa_stoke_lsoa11.csv"
LSOA_POPULATION_YEARS = (2017, 2019, 2020)
CHILD_POPULATION = "dfe/ons_mid-year_population_estimates_2012_to_2024.csv"
STATISTICAL_NEIGHBOURS = "dfe/New_Statistical_Neighbour_Groupings_April_2021.csv"
# The statistical neighbour groupings shipped: the name a strategy's comparators use → file.
NEIGHBOUR_GROUPINGS = {"dfe_april_2021": STATISTICAL_NEIGHBOURS}

# Age bands the indicators use; each is (first age, last age) inclusive.
AGE_BANDS = {"0-4": (0, 4), "5-9": (5, 9), "10-15": (10, 15), "16-17": (16, 17), "0-17": (0, 17)}
# The whole population, every age; with AGE_BANDS, what a rate's `population:` may name.
ALL_AGES = "all"
POPULATION_BANDS = (*AGE_BANDS, ALL_AGES)

REFERENCE_FILES = (
    WARD_LOOKUP,
    WARD24_LOOKUP,
    LSOA11_TO_21,
    WARD_BOUNDARIES,
    LSOA_BOUNDARIES,
    DEPRIVATION,
    CHILD_POPULATION,
    STATISTICAL_NEIGHBOURS,
    *(LSOA_POPULATION.format(year=y) for y in LSOA_POPULATION_YEARS),
)


def data_rows(path: Path) -> int:
    """Rows a reference file holds (GeoJSON features, CSV records), for the load log.

    Reference files are used whole, so every row read is a row kept.
    """
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _csv(reference_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(reference_dir / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def wards(reference_dir: Path, area_code: str, lsoas: pd.DataFrame) -> pd.DataFrame:
    """The 37 wards of 2011–2023 (with boundaries) and the 34 wards of May 2023 (without);
    `within_ward_2023` is the May 2023 ward wholly containing a 2011–2023 ward's LSOAs
    (`lsoas`, from `lsoa_ward`), where there is exactly one (`ward_assignment`)."""
    lookup = _csv(reference_dir, WARD_LOOKUP)
    old = (
        lookup[["WD19CD", "WD19NM"]]
        .drop_duplicates()
        .rename(columns={"WD19CD": "ward_code", "WD19NM": "ward_name"})
        .assign(vintage="2011-2023")
    )
    new = (
        _csv(reference_dir, WARD24_LOOKUP)[["ward24_code", "ward24_name"]]
        .drop_duplicates()
        .rename(columns={"ward24_code": "ward_code", "ward24_name": "ward_name"})
        .assign(vintage="2023-")
    )
    out = pd.concat([old, new], ignore_index=True).sort_values(["vintage", "ward_code"])
    out["la_code"] = area_code
    out["has_boundary"] = out["ward_code"].isin(boundary_codes(reference_dir))
    out["within_ward_2023"] = out["ward_code"].map(ward_2023_containing(lsoas))
    return out[["ward_code", "ward_name", "la_code", "vintage", "has_boundary", "within_ward_2023"]]


def boundary_codes(reference_dir: Path) -> set[str]:
    features = json.loads((reference_dir / WARD_BOUNDARIES).read_text(encoding="utf-8"))["features"]
    return {f["properties"]["WD13CD"] for f in features}


def ward_boundaries(reference_dir: Path) -> pd.DataFrame:
    """One GeoJSON feature per ward (December 2013 boundaries), keyed by ward_code."""
    features = json.loads((reference_dir / WARD_BOUNDARIES).read_text(encoding="utf-8"))["features"]
    return pd.DataFrame(
        {
            "ward_code": [f["properties"]["WD13CD"] for f in features],
            "boundary_vintage": "December 2013",
            "geojson": [json.dumps(f, separators=(",", ":")) for f in features],
        }
    )


def lsoa_ward(reference_dir: Path) -> pd.DataFrame:
    """Every LSOA code of the area an extract may hold (2011 and 2021) → its ward of
    2011–2023 (`ward_code`) and of May 2023 (`ward_2023_code`, see `ward_assignment`).

    The eight 2021 LSOAs that split from four 2011 ones take their parent's
    2011–2023 ward (ONS best fit), and `parent_lsoa11` records that.
    """
    lookup = _csv(reference_dir, WARD_LOOKUP).rename(
        columns={"LSOA11CD": "lsoa_code", "LSOA11NM": "lsoa_name", "WD19CD": "ward_code"}
    )
    base = lookup[["lsoa_code", "lsoa_name", "ward_code"]].assign(
        lsoa_vintage="2011", parent_lsoa11=lookup["lsoa_code"]
    )
    bridge = _csv(reference_dir, LSOA11_TO_21)
    split = bridge[~bridge["lsoa21_code"].isin(base["lsoa_code"])]
    new = split.merge(base[["lsoa_code", "ward_code"]], left_on="lsoa11_code", right_on="lsoa_code")
    new = pd.DataFrame(
        {
            "lsoa_code": new["lsoa21_code"],
            "lsoa_name": new["lsoa21_name"],
            "ward_code": new["ward_code"],
            "lsoa_vintage": "2021",
            "parent_lsoa11": new["lsoa11_code"],
        }
    )
    both = pd.concat([base, new], ignore_index=True).sort_values("lsoa_code")
    return ward_2023_of(both, bridge, _csv(reference_dir, WARD24_LOOKUP))


def deprivation(reference_dir: Path, lsoas: pd.DataFrame) -> pd.DataFrame:
    """IMD 2019 and IDACI ranks and deciles (1 = most deprived 10% nationally).

    A 2021 LSOA takes the ranks of the 2011 LSOA it split from (`via_parent`).
    """
    raw = _csv(reference_dir, DEPRIVATION)
    cols = raw.columns
    iod = pd.DataFrame(
        {
            "parent_lsoa11": raw[cols[0]],
            "imd_rank": raw[cols[4]].astype(int),
            "imd_decile": raw[cols[5]].astype(int),
            "idaci_rank": raw[cols[6]].astype(int),
            "idaci_decile": raw[cols[7]].astype(int),
        }
    )
    out = lsoas[["lsoa_code", "parent_lsoa11"]].merge(iod, on="parent_lsoa11", how="inner")
    out["via_parent"] = out["lsoa_code"] != out["parent_lsoa11"]
    return out.drop(columns="parent_lsoa11")


def population(reference_dir: Path, lsoas: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """Population by area, year and age band.

    LSOAs, wards and the city (`area_code`) by age band from ONS small-area estimates
    (mid-2017, 2019, 2020); children 0–17 for England, regions and every LA
    for 2012–2024 from the ONS mid-year estimates as published by DfE.
    Years without an estimate are not filled here: the engine takes the
    nearest year and says so.
    """
    frames = [
        _small_area_population(reference_dir, lsoas, year, area_code)
        for year in LSOA_POPULATION_YEARS
    ]
    frames.append(_children_population(reference_dir))
    out = pd.concat(frames, ignore_index=True)
    # The city's 0-17 total comes from the mid-year estimates, which cover every year.
    duplicate = (out["area_type"] == "la") & (out["age_band"] == "0-17") & (out["source"] == "sape")
    return out[~duplicate].reset_index(drop=True)


def _small_area_population(
    reference_dir: Path, lsoas: pd.DataFrame, year: int, area_code: str
) -> pd.DataFrame:
    raw = _csv(reference_dir, LSOA_POPULATION.format(year=year))
    ages = raw[[str(a) for a in range(18)]].astype(int)
    bands = pd.DataFrame({"lsoa_code": raw["lsoa11_code"]})
    for band, (first, last) in AGE_BANDS.items():
        bands[band] = ages[[str(a) for a in range(first, last + 1)]].sum(axis=1)
    bands[ALL_AGES] = raw["total_population"].astype(int)
    long = bands.melt(id_vars="lsoa_code", var_name="age_band", value_name="population")
    of_2011 = lsoas.loc[lsoas["lsoa_vintage"] == "2011"].set_index("lsoa_code")
    parts = [long.rename(columns={"lsoa_code": "area_code"}).assign(area_type="lsoa")]
    # A ward's population is the sum of its LSOAs' estimates, in each vintage; an LSOA
    # without a ward in a vintage (ward_assignment) counts for the city only.
    for vintage, column in ((WARDS_2011, "ward_code"), (WARDS_2023, "ward_2023_code")):
        ward = long["lsoa_code"].map(of_2011[column])
        parts.append(
            long.assign(area_code=ward)
            .dropna(subset=["area_code"])
            .groupby(["area_code", "age_band"], as_index=False)["population"]
            .sum()
            .assign(area_type=vintage.area_type)
        )
    parts += [
        long.groupby("age_band", as_index=False)["population"]
        .sum()
        .assign(area_code=area_code, area_type="la"),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["year"] = year
    out["source"] = "sape"
    return out[["area_code", "area_type", "year", "age_band", "population", "source"]]


def _children_population(reference_dir: Path) -> pd.DataFrame:
    raw = _csv(reference_dir, CHILD_POPULATION)
    level = raw["geographic_level"].map(
        {"National": "england", "Regional": "region", "Local authority": "la"}
    )
    code = raw["new_la_code"].where(level == "la", raw["region_code"].where(level == "region"))
    code = code.where(level != "england", raw["country_code"])
    return pd.DataFrame(
        {
            "area_code": code,
            "area_type": level,
            "year": raw["time_period"].astype(int),
            "age_band": "0-17",
            "population": pd.to_numeric(raw["population_estimate"], errors="coerce"),
            "source": "mye",
        }
    ).dropna(subset=["area_code", "population"])


def comparators(reference_dir: Path, strategy: Strategy) -> pd.DataFrame:
    """The area itself and the comparators its strategy names: single areas (England, the
    region) with their codes, and its statistical neighbours from the grouping's file."""
    rows = [
        (strategy.area_code, strategy.area_name, "la", strategy.dfe_la_number, "self", None, None)
    ]
    for comparator in strategy.comparators:
        role = comparator.role
        if comparator.code:
            rows.append((comparator.code, comparator.name, role, None, role, None, None))
        elif comparator.grouping:
            rows += _neighbours(reference_dir, comparator.grouping, strategy.dfe_la_number)
    return pd.DataFrame(
        rows,
        columns=[
            "area_code",
            "area_name",
            "area_type",
            "old_la_code",
            "role",
            "sn_rank",
            "closeness",
        ],
    )


def _neighbours(reference_dir: Path, grouping: str, la_number: str) -> list[tuple]:
    """The ten statistical neighbours of DfE's LA `la_number`, closest first."""
    names = _csv(reference_dir, CHILD_POPULATION)
    las = names.loc[names["geographic_level"] == "Local authority"]
    la_code = dict(zip(las["old_la_code"], las["new_la_code"], strict=False))
    la_name = dict(zip(las["old_la_code"], las["la_name"], strict=False))
    groups = pd.read_csv(
        reference_dir / NEIGHBOUR_GROUPINGS[grouping], dtype=str, header=None, skiprows=1
    )
    own = groups.loc[groups[0] == la_number].iloc[0]
    rows = []
    for rank in range(1, 11):
        old = own[5 + 2 * (rank - 1)]
        closeness = own[6 + 2 * (rank - 1)]
        rows.append(
            (la_code[old], la_name[old], "la", old, "statistical_neighbour", rank, closeness)
        )
    return rows


# The nearest population estimate for every area, age band and year a period can fall
# in (ties go to the earlier estimate): wards of both vintages (kind = the vintage's
# area_type, `ward_vintages`) and deprivation deciles from small-area estimates, `all` =
# the city (the area code is bound as $area). Worked out once here so indicator SQL only
# joins.
POPULATION_NEAREST_SQL = """
CREATE TABLE population_nearest AS
WITH areas AS (
  SELECT area_type AS kind, area_code AS key, age_band, year, population
  FROM population WHERE area_type IN ('ward', 'ward_2023')
  UNION ALL
  SELECT 'deprivation_decile', d.imd_decile::VARCHAR, p.age_band, p.year, sum(p.population)
  FROM population p JOIN deprivation d ON d.lsoa_code = p.area_code
  WHERE p.area_type = 'lsoa' AND NOT d.via_parent
  GROUP BY ALL
  UNION ALL
  SELECT 'all', 'all', age_band, year, population FROM population WHERE area_code = $area
)
SELECT kind, key, age_band, y.year AS period_year,
  arg_min(population, abs(a.year - y.year) * 2 + (a.year > y.year)::INTEGER) AS population,
  arg_min(a.year, abs(a.year - y.year) * 2 + (a.year > y.year)::INTEGER) AS population_year
FROM areas a, range(2010, 2031) y(year)
GROUP BY ALL
ORDER BY ALL
"""


# Every table `load_reference` creates: what analysts' definitions may read besides extracts.
REFERENCE_TABLES = (
    "wards",
    "ward_boundaries",
    "lsoa_ward",
    "deprivation",
    "population",
    "comparators",
    "population_nearest",
)


def load_reference(
    con: duckdb.DuckDBPyConnection, reference_dir: Path, strategy: Strategy
) -> dict[str, int]:
    """Create the reference tables in `con` for the strategy's area and comparators;
    returns rows per table for the load report."""
    lsoas = lsoa_ward(reference_dir)
    frames = {
        "wards": wards(reference_dir, strategy.area_code, lsoas),
        "ward_boundaries": pd.concat(
            [ward_boundaries(reference_dir), ward_2023_outlines(reference_dir, lsoas)],
            ignore_index=True,
        ),
        "lsoa_ward": lsoas,
        "deprivation": deprivation(reference_dir, lsoas),
        "population": population(reference_dir, lsoas, strategy.area_code),
        "comparators": comparators(reference_dir, strategy),
    }
    for name, frame in frames.items():
        con.register("_frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        con.unregister("_frame")
    con.execute(POPULATION_NEAREST_SQL, {"area": strategy.area_code})
    return {name: len(frame) for name, frame in frames.items()}
