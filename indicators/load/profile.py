"""Dry run: what a load of these extracts would do, without writing any warehouse.

`python -m indicators profile DIR [--mapping NAME]` (and the workbench page,
for one uploaded file) reads the extracts through the mapping and the
contract exactly as `load` does, in an in-memory database with no file
access, and reports per file: rows read, would-be kept and quarantined by
column and reason, the columns the load would ignore (unmapped), the codes
no mapping or enumeration knows with their counts, and the range of each
date column among the kept rows. Nothing is written: the database goes when
the report is made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from indicators import paths
from indicators.config.source_mapping import UNMAPPED_PREFIX, SourceMapping
from indicators.load import inputs
from indicators.load.contract import TABLES, TABLES_BY_NAME, Table
from indicators.load.mapped import ExtractSource, find_sources
from indicators.load.staging import StagedFile
from indicators.load.validation import checked_name
from indicators.load.warehouse import LOG_TABLES_SQL, read_strategy
from indicators.paths import REFERENCE_DIR
from indicators.store.sql import quote


@dataclass
class FileProfile:
    """What loading one file would do. Frames: `quarantined` (column, reason, rows),
    `unmapped_codes` (column, code, rows), `dates` (column, first, last)."""

    file: str
    table: str
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    unmapped_columns: list[str] = field(default_factory=list)
    quarantined: pd.DataFrame = field(default_factory=pd.DataFrame)
    unmapped_codes: pd.DataFrame = field(default_factory=pd.DataFrame)
    dates: pd.DataFrame = field(default_factory=pd.DataFrame)

    def lines(self) -> list[str]:
        out = [
            f"{self.file} -> {self.table}: {self.rows_read:,} rows read, "
            f"{self.rows_kept:,} would be kept, {self.rows_quarantined:,} quarantined"
        ]
        for row in self.quarantined.itertuples(index=False):
            out.append(f"  quarantined  {row.column} {row.reason}: {row.rows:,}")
        if self.unmapped_columns:
            out.append(f"  unmapped columns (ignored): {', '.join(self.unmapped_columns)}")
        for row in self.unmapped_codes.itertuples(index=False):
            out.append(f"  unmapped code  {row.column} {row.code!r}: {row.rows:,}")
        for row in self.dates.itertuples(index=False):
            out.append(f"  dates  {row.column}: {row.first} to {row.last}")
        return out


@dataclass
class Profile:
    """The dry run of a folder (or one file): a `FileProfile` per table read."""

    files: list[FileProfile]

    def lines(self) -> list[str]:
        return [line for f in self.files for line in f.lines()]

    def quarantined_by_reason(self) -> pd.DataFrame:
        """table, column, reason, rows over every file: what a load would quarantine."""
        frames = [f.quarantined.assign(table=f.table) for f in self.files]
        columns = ["table", "column", "reason", "rows"]
        return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame()


def profile_extracts(
    extract_dir: Path,
    mapping: SourceMapping | None = None,
    *,
    reference_dir: Path = REFERENCE_DIR,
    config_path: Path | None = None,
    load_date: dt.date | None = None,
) -> Profile:
    """The dry run of every extract in `extract_dir` (stops with `LoadError` as `load` would)."""
    sources = find_sources(Path(extract_dir), mapping)
    return _profile(
        [(table, sources[table.name]) for table in TABLES], reference_dir, config_path, load_date
    )


def profile_file(
    path: Path,
    table_name: str,
    mapping: SourceMapping | None = None,
    *,
    reference_dir: Path = REFERENCE_DIR,
    config_path: Path | None = None,
    load_date: dt.date | None = None,
) -> Profile:
    """The dry run of one file holding `table_name` (an upload). References to other
    extracts cannot be checked without them and are left out."""
    table = dataclasses.replace(TABLES_BY_NAME[table_name], references=())
    mapped = mapping.tables.get(table_name) if mapping else None
    date_format = mapping.date_format_for(table_name) if mapping else None
    source = ExtractSource(Path(path), mapped, date_format)
    return _profile([(table, source)], reference_dir, config_path, load_date)


def _profile(
    sources: list[tuple[Table, ExtractSource]],
    reference_dir: Path,
    config_path: Path | None,
    load_date: dt.date | None,
) -> Profile:
    strategy = read_strategy(config_path or paths.config_path())
    con = duckdb.connect(config={"enable_external_access": False})
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(LOG_TABLES_SQL)
        inputs.load_reference(con, reference_dir, strategy, lambda _m: None)
        files = []
        for table, source in sources:
            seen: dict[str, object] = {}
            inspect = _inspector(table, source, seen)
            report = inputs.load_extract(con, table, source, load_date or dt.date.today(), inspect)
            files.append(
                FileProfile(
                    report.file,
                    table.name,
                    report.rows_read,
                    report.rows_kept,
                    report.rows_quarantined,
                    seen["unmapped_columns"],
                    _quarantined(con, table),
                    seen["unmapped_codes"],
                    _date_ranges(con, table),
                )
            )
        return Profile(files)
    finally:
        con.close()


def _inspector(table: Table, source: ExtractSource, seen: dict[str, object]) -> inputs.Inspect:
    """What the dry run notes of a staged file before the load frees it, into `seen`."""

    def inspect(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
        seen["unmapped_codes"] = _unmapped_codes(con, table, staged.stage_table)
        known = tuple(source.mapping.columns) if source.mapping else table.column_names
        seen["unmapped_columns"] = [h for h in staged.header if h not in known]

    return inspect


def _quarantined(con: duckdb.DuckDBPyConnection, table: Table) -> pd.DataFrame:
    return con.execute(
        'SELECT "column", reason, count(*) AS rows FROM quarantine WHERE table_name = ? '
        "GROUP BY ALL ORDER BY rows DESC, 1, 2",
        [table.name],
    ).df()


def _unmapped_codes(con: duckdb.DuckDBPyConnection, table: Table, stage: str) -> pd.DataFrame:
    """Codes of the enumerations (and mapped flags) that no value map or contract list has."""
    parts, params = [], []
    for column in table.columns:
        value = f"trim(s.{quote(column.name)})"
        if column.kind == "enum_list":
            value = f"trim(unnest(string_split(s.{quote(column.name)}, ';')))"
        if column.kind in ("enum", "enum_list"):
            allowed = list(column.values)
        elif column.kind == "boolean":
            allowed = None  # only a mapped flag's unlisted codes are marked
        else:
            continue
        parts.append(
            f"SELECT ? AS column_name, {value} AS code FROM {stage} s"  # noqa: S608 (identifiers come from the contract or sql.quote(); values are bound)
        )
        params.append(column.name)
        wheres = "code <> '' AND code IS NOT NULL AND "
        if allowed is None:
            condition = f"starts_with(code, {UNMAPPED_PREFIX!r})"
        else:
            condition = "NOT list_contains(?::VARCHAR[], code)"
        parts[-1] = f"SELECT * FROM ({parts[-1]}) WHERE {wheres}{condition}"  # noqa: S608 (built from contract names; values are bound)
        if allowed is not None:
            params.append(allowed)
    if not parts:
        return pd.DataFrame({"column": [], "code": [], "rows": []})
    frame = con.execute(
        'SELECT column_name AS "column", code, count(*) AS rows FROM ('  # noqa: S608 (built above from contract names; values are bound)
        + " UNION ALL ".join(parts)
        + ") GROUP BY ALL ORDER BY 1, rows DESC, 2",
        params,
    ).df()
    frame["code"] = frame["code"].str.removeprefix(UNMAPPED_PREFIX)
    return frame


def _date_ranges(con: duckdb.DuckDBPyConnection, table: Table) -> pd.DataFrame:
    """First and last date of each date column among the rows a load would keep."""
    dates = [c.name for c in table.columns if c.kind == "date"]
    selects = " UNION ALL ".join(
        f"SELECT ? AS \"column\", strftime(min({quote(d)}), '%Y-%m-%d') AS first, "  # noqa: S608 (identifiers come from the contract or sql.quote(); values are bound)
        f"strftime(max({quote(d)}), '%Y-%m-%d') AS last "
        f"FROM {checked_name(table.name)} WHERE __failure IS NULL"
        for d in dates
    )
    return con.execute(selects, dates).df()
