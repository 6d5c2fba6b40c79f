"""Public JSNA indicators: Fingertips exports and DfE tidy CSVs, as downloaded.

Two readers share one staged shape (`indicators.load.staging`) and feed one long
`jsna` table, so England, the region and the statistical neighbours are rows of
the same table as the council's own area. The `jsna:` entries of the strategy
(`JsnaSource`) say which rows; `check` and the load check them. The raw public
files are kept whole (`public_<file>` and `fingertips` tables) so a new JSNA
definition can pick other rows or measures without a new download.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from indicators.config.context import JsnaSource
from indicators.load.file_checks import open_regular
from indicators.load.staging import MAX_LINE_BYTES, StagedFile, drop_stage, stage
from indicators.store.sql import quote, scalar

FINGERTIPS_REQUIRED = (
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Time period",
    "Value",
)
FINGERTIPS_COLUMNS = {
    "Indicator ID": "indicator_id",
    "Indicator Name": "indicator_name",
    "Parent Code": "parent_code",
    "Parent Name": "parent_name",
    "Area Code": "area_code",
    "Area Name": "area_name",
    "Area Type": "area_type",
    "Sex": "sex",
    "Age": "age",
    "Category Type": "category_type",
    "Category": "category",
    "Time period": "time_period",
    "Value": "value",
    "Lower CI 95.0 limit": "lower_ci_95",
    "Upper CI 95.0 limit": "upper_ci_95",
    "Lower CI 99.8 limit": "lower_ci_998",
    "Upper CI 99.8 limit": "upper_ci_998",
    "Count": "count",
    "Denominator": "denominator",
    "Value note": "value_note",
    "Time period Sortable": "time_period_sortable",
}
FINGERTIPS_NUMBERS = (
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_998",
    "upper_ci_998",
    "count",
    "denominator",
)
DFE_REQUIRED = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
    "la_name",
)
# What DfE and OHID print instead of a number (suppressed, not applicable, ...).
PUBLISHER_SYMBOLS = ("c", "x", "z", "u", "low", ":", "..", "k", "*")
DFE_LEVELS = {"National": "england", "Regional": "region", "Local authority": "la"}

JSNA_COLUMNS = """indicator_id VARCHAR, indicator_name VARCHAR, area_code VARCHAR,
  area_name VARCHAR, area_type VARCHAR, sex VARCHAR, age VARCHAR, category VARCHAR,
  time_period VARCHAR, time_period_sort INTEGER, value DOUBLE, lower_ci_95 DOUBLE,
  upper_ci_95 DOUBLE, lower_ci_998 DOUBLE, upper_ci_998 DOUBLE, count DOUBLE,
  denominator DOUBLE, value_note VARCHAR, unit VARCHAR, polarity VARCHAR, source_file VARCHAR,
  period_type VARCHAR, theme VARCHAR"""
# DfE's `time_identifier` → the period type (`config.context.PERIOD_TYPES`): a
# "reporting year" is the year to 31 March, the financial year.
DFE_PERIOD_TYPES = {
    "Academic year": "academic_year",
    "Reporting year": "financial_year",
    "Financial year": "financial_year",
    "Calendar year": "calendar_year",
}


def is_fingertips_export(path: Path) -> bool:
    """True when the file's header is a Fingertips data export's.

    Only called on regular files (`indicators.load.file_checks`); a header too
    long to read is not a Fingertips one.
    """
    if path.suffix.lower() != ".csv":
        return False
    csv.field_size_limit(MAX_LINE_BYTES)
    fd = open_regular(path)  # non-blocking: a pipe swapped in since cannot hang the load
    with open(fd, encoding="utf-8-sig", errors="replace", newline="") as handle:
        try:
            header = next(csv.reader(handle), [])
        except csv.Error:
            return False
    return header[:2] == ["Indicator ID", "Indicator Name"]


def public_table_name(file: str) -> str:
    """`public_` and the file's stem in lower-case letters, digits and underscores."""
    return "public_" + re.sub(r"[^a-z0-9]+", "_", Path(file).stem.lower()).strip("_")


def stage_dfe_file(con: duckdb.DuckDBPyConnection, path: Path, needed: set[str]) -> StagedFile:
    """Keep a DfE tidy CSV whole, as text, in its own `public_` table."""
    staged = stage(con, path, "__stage_public", DFE_REQUIRED + tuple(sorted(needed)))
    con.execute(
        f"CREATE TABLE {quote(public_table_name(path.name))} AS "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        "SELECT * EXCLUDE (__row, __line, __sheet) FROM __stage_public ORDER BY __row"
    )
    return staged


def stage_fingertips_file(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[StagedFile, int]:
    """Append a Fingertips export to `fingertips`; returns rows with unreadable numbers.

    Extra columns (comparisons, trend, ...) are kept as JSON in `extra`.
    """
    staged = stage(con, path, "__stage_fingertips", FINGERTIPS_REQUIRED, tuple(FINGERTIPS_COLUMNS))
    known = [h for h in staged.header if h in FINGERTIPS_COLUMNS]
    extra = [h for h in staged.header if h not in FINGERTIPS_COLUMNS]
    selects = ", ".join(f"nullif(trim({quote(h)}), '') AS {FINGERTIPS_COLUMNS[h]}" for h in known)
    extra_json = (
        "to_json(struct_pack(" + ", ".join(f"{quote(h)} := {quote(h)}" for h in extra) + "))"
        if extra
        else "NULL"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE __fingertips_rows AS
            SELECT __line, {selects}, {extra_json}::VARCHAR AS extra FROM __stage_fingertips"""  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
    )
    missing = [
        c for c in FINGERTIPS_COLUMNS.values() if c not in {FINGERTIPS_COLUMNS[h] for h in known}
    ]
    for column in missing:
        con.execute(f"ALTER TABLE __fingertips_rows ADD COLUMN {column} VARCHAR")
    bad_number = " OR ".join(
        f"({c} IS NOT NULL AND try_cast({c} AS DOUBLE) IS NULL)" for c in FINGERTIPS_NUMBERS
    )
    first_bad = " ".join(
        f"WHEN {c} IS NOT NULL AND try_cast({c} AS DOUBLE) IS NULL THEN '{c}'"
        for c in FINGERTIPS_NUMBERS
    )
    con.execute(
        f"""INSERT INTO quarantine
            SELECT 'jsna', ?, __line, CASE {first_bad} END, 'not_a_number',
              CASE {first_bad} END || ' is not a number', to_json(r)::VARCHAR
            FROM __fingertips_rows r WHERE {bad_number} ORDER BY __line""",  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        [path.name],
    )
    numbers = ", ".join(f"try_cast({c} AS DOUBLE) AS {c}" for c in FINGERTIPS_NUMBERS)
    others = ", ".join(c for c in FINGERTIPS_COLUMNS.values() if c not in FINGERTIPS_NUMBERS)
    con.execute(
        f"""INSERT INTO fingertips
            SELECT {others}, {numbers}, extra, ? AS source_file, __line AS line
            FROM __fingertips_rows WHERE NOT ({bad_number}) ORDER BY __line""",  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        [path.name],
    )
    quarantined = scalar(con, f"SELECT count(*) FROM __fingertips_rows WHERE {bad_number}")  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
    con.execute("DROP TABLE __fingertips_rows")
    drop_stage(con, staged)
    return staged, quarantined


def create_public_tables(con: duckdb.DuckDBPyConnection) -> None:
    others = ", ".join(
        f"{c} VARCHAR" for c in FINGERTIPS_COLUMNS.values() if c not in FINGERTIPS_NUMBERS
    )
    numbers = ", ".join(f"{c} DOUBLE" for c in FINGERTIPS_NUMBERS)
    con.execute(
        f"CREATE TABLE fingertips ({others}, {numbers}, extra VARCHAR, source_file VARCHAR, "
        "line BIGINT)"
    )
    con.execute(f"CREATE TABLE jsna ({JSNA_COLUMNS})")


def _number(column: str) -> str:
    raw = f"nullif(trim({quote(column)}), '')"
    return f"try_cast({raw} AS DOUBLE)"


def _dfe_select(source: JsnaSource) -> tuple[str, dict[str, object]]:
    """The rows of one DfE source, shaped as `jsna` rows, and its bound parameters.

    Every value from the configuration is a named parameter; its column
    names are quoted identifiers.
    """
    table = quote(public_table_name(source.file or ""))
    level = (
        "CASE geographic_level "
        + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in DFE_LEVELS.items())
        + " END"
    )
    code = (
        "CASE geographic_level WHEN 'National' THEN country_code "
        "WHEN 'Regional' THEN region_code ELSE new_la_code END"
    )
    name = (
        "CASE geographic_level WHEN 'National' THEN country_name "
        "WHEN 'Regional' THEN region_name ELSE la_name END"
    )
    filters = "".join(f" AND {quote(k)} = $filter_{i}" for i, (k, _) in enumerate(source.filters))
    count = _number(source.count) if source.count else "NULL"
    denominator = _number(source.denominator) if source.denominator else "NULL"
    if source.rate_per:
        # DfE's reporting year ends on 31 March: children counted then are set
        # against the mid-year population estimate of the year before.
        denominator = (
            "(SELECT p.population FROM population p WHERE p.area_code = d.__code "
            "AND p.age_band = '0-17' AND p.source = 'mye' AND p.year = d.__year - 1)"
        )
        value = f"{count} / {denominator} * $rate_per::DOUBLE"
    elif not source.value:
        # A file that gives counts only (factors at the end of assessment): the share, in %.
        value = f"100 * {count} / nullif({denominator}, 0)"
    else:
        value = _number(source.value)
    raw_value = quote(source.value or source.count or "")
    sort_key = "try_cast(left(time_period, 4) AS INTEGER)"
    label = (
        "CASE WHEN length(time_period) = 6 "
        "THEN left(time_period, 4) || '/' || right(time_period, 2) ELSE time_period END"
    )
    symbols = ", ".join(f"'{s}'" for s in PUBLISHER_SYMBOLS)
    period_type = (
        "coalesce($period_type, CASE time_identifier "
        + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in DFE_PERIOD_TYPES.items())
        + " END)"
    )
    sql = f"""
SELECT $id, $title, __code, {name}, {level},
  'Persons', NULL, NULL, {label}, {sort_key}, {value}, NULL, NULL, NULL, NULL,
  {count}, {denominator},
  CASE WHEN lower(trim({raw_value})) IN ({symbols})
    THEN 'publisher symbol ' || trim({raw_value}) END,
  $unit, $polarity, $file, {period_type}, $theme
FROM (SELECT *, {code} AS __code, {sort_key} AS __year FROM {table}) d
WHERE geographic_level IN ('National', 'Regional', 'Local authority'){filters}
"""  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
    params: dict[str, object] = {
        "id": source.id,
        "title": source.title,
        "unit": source.unit,
        "polarity": source.polarity,
        "file": source.file,
        "period_type": source.period_type,
        "theme": source.theme,
        **{f"filter_{i}": v for i, (_, v) in enumerate(source.filters)},
    }
    if source.rate_per:
        params["rate_per"] = source.rate_per
    return sql, params


def _fingertips_select(source: JsnaSource) -> tuple[str, dict[str, object]]:
    """Whole-area rows of one Fingertips indicator, one per area and period (fixed text)."""
    sql = """
SELECT $id, indicator_name, area_code, area_name,
  CASE WHEN area_type = 'England' THEN 'england'
       WHEN area_type ILIKE '%region%' THEN 'region' ELSE 'la' END,
  sex, age, NULL, time_period, try_cast(left(time_period_sortable, 4) AS INTEGER),
  value, lower_ci_95, upper_ci_95, lower_ci_998, upper_ci_998, count, denominator, value_note,
  $unit, $polarity, source_file,
  coalesce($period_type, CASE WHEN regexp_full_match(time_period, '\\d{4}/\\d{2}')
    THEN 'financial_year' WHEN regexp_full_match(time_period, '\\d{4}') THEN 'calendar_year' END),
  $theme
FROM fingertips
WHERE indicator_id = $fingertips_id AND category_type IS NULL
QUALIFY row_number() OVER (
  PARTITION BY area_code, time_period, sex, age ORDER BY source_file, line) = 1
"""
    return sql, {
        "id": source.id,
        "unit": source.unit,
        "polarity": source.polarity,
        "fingertips_id": source.fingertips_id,
        "period_type": source.period_type,
        "theme": source.theme,
    }


def build_jsna(con: duckdb.DuckDBPyConnection, sources: list[JsnaSource]) -> int:
    """Fill `jsna` from the staged public tables; returns its row count."""
    for source in sources:
        select, params = (
            _dfe_select(source) if source.layout == "dfe" else _fingertips_select(source)
        )
        con.execute(f"INSERT INTO jsna {select}", params)
    return scalar(con, "SELECT count(*) FROM jsna")
