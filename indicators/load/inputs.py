"""What a load reads: the extracts, the reference tables and the public files.

Each input is found (only regular files inside its folder, see
`indicators.load.file_checks`), staged (`indicators.load.staging`), checked against
its contract (`indicators.load.validation`) with failing rows quarantined, and
reported as one `FileReport`: rows read = rows kept + rows quarantined.
`indicators.load.warehouse` runs them in order into the new warehouse file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.config.source_mapping import SourceMapping
from indicators.config.spec import Strategy
from indicators.load import jsna, reference
from indicators.load.contract import Table
from indicators.load.errors import LoadError
from indicators.load.file_checks import checksum, regular_file_in
from indicators.load.mapped import ExtractSource, drop_source, find_sources, stage_source
from indicators.load.staging import StagedFile, drop_stage
from indicators.load.validation import checked_name, checked_sql, quarantine_sql
from indicators.store.sql import scalar

Progress = Callable[[str], None]
Inspect = Callable[[duckdb.DuckDBPyConnection, StagedFile], None]


@dataclass
class FileReport:
    """One row of the load report and of `load_log`."""

    file: str
    kind: str
    table_name: str
    checksum: str
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    started: dt.datetime
    finished: dt.datetime


def find_extracts(
    extract_dir: Path, mapping: SourceMapping | None = None
) -> dict[str, ExtractSource]:
    """The file that holds each contract table in `extract_dir` (any supported format), or
    the file and sheet `mapping` names for it.

    Only regular files inside the folder are taken (`indicators.load.file_checks`);
    every problem with the folder is reported at once.
    """
    return find_sources(extract_dir, mapping)


def find_fingertips_exports(reference_dir: Path, extract_dir: Path) -> list[Path]:
    """Every Fingertips export among the public files and beside the extracts.

    Each `.csv` is checked to be a regular file inside its folder before its
    header is read: a pipe or a link out of the folder stops the load.
    """
    exports = []
    for folder, paths in (
        (reference_dir, sorted(reference_dir.rglob("*.csv"))),
        (extract_dir, sorted(extract_dir.glob("*.csv"))),
    ):
        for path in paths:
            if jsna.is_fingertips_export(regular_file_in(path, folder)):
                exports.append(path)
    return exports


def load_reference(
    con: duckdb.DuckDBPyConnection, reference_dir: Path, strategy: Strategy, progress: Progress
) -> list[FileReport]:
    """Create the reference tables for the strategy's area and comparators; the shipped
    files are used whole (read = kept)."""
    started = dt.datetime.now()
    try:
        counts = reference.load_reference(con, reference_dir, strategy)
    except (OSError, KeyError, ValueError) as err:
        raise LoadError(f"{reference_dir}: cannot read the reference data: {err}") from None
    progress("reference tables: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    finished = dt.datetime.now()
    reports = []
    for name in reference.REFERENCE_FILES:
        rows = reference.data_rows(reference_dir / name)
        reports.append(
            FileReport(
                name,
                "reference",
                "",
                checksum(reference_dir / name),
                rows,
                rows,
                0,
                started,
                finished,
            )
        )
    return reports


def load_extract(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    source: ExtractSource,
    load_date: dt.date,
    inspect: Inspect | None = None,
) -> FileReport:
    """Stage, check and quarantine one extract; its kept rows wait in `__checked_<table>`.

    `inspect` looks at the staged file (contract-shaped) before it is freed:
    the dry run (`indicators.load.profile`) counts unmapped codes there.
    """
    started = dt.datetime.now()
    stage_table = f"__stage_{table.name}"
    staged = stage_source(con, table, source, stage_table)
    name = source.name
    _quarantine_malformed(con, table.name, name, staged)
    checked = checked_name(table.name)
    con.execute(f"CREATE TEMP TABLE {checked} AS {checked_sql(table, stage_table, load_date)}")
    con.execute(quarantine_sql(table, checked, stage_table), [table.name, name])
    if inspect is not None:
        inspect(con, staged)
    kept = scalar(con, f"SELECT count(*) FROM {checked} WHERE __failure IS NULL")  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
    quarantined = scalar(con, "SELECT count(*) FROM quarantine WHERE table_name = ?", [table.name])
    drop_source(con, staged)
    if kept + quarantined != staged.rows_read:
        raise LoadError(
            f"{name}: rows do not add up ({staged.rows_read} read, {kept} kept, "
            f"{quarantined} quarantined); nothing was swapped in"
        )
    return FileReport(
        name,
        "extract",
        table.name,
        staged.checksum,
        staged.rows_read,
        kept,
        quarantined,
        started,
        dt.datetime.now(),
    )


def load_public(
    con: duckdb.DuckDBPyConnection,
    reference_dir: Path,
    extract_dir: Path,
    sources: list[jsna.JsnaSource],
    progress: Progress,
) -> list[FileReport]:
    """Stage the DfE files the JSNA sources name and every Fingertips export, then build `jsna`."""
    jsna.create_public_tables(con)
    reports = []
    needed: dict[str, set[str]] = {}
    for source in sources:
        if source.layout == "dfe" and source.file:
            columns = {c for c in (source.value, source.count, source.denominator) if c}
            needed.setdefault(source.file, set()).update(columns, dict(source.filters))
    for file, columns in sorted(needed.items()):
        started = dt.datetime.now()
        path = reference_dir / file
        if not os.path.lexists(path):
            raise LoadError(f"{path}: public file named in the jsna configuration is missing")
        staged = jsna.stage_dfe_file(con, regular_file_in(path, reference_dir), columns)
        quarantined = len(staged.malformed)
        _quarantine_malformed(con, "jsna", path.name, staged)
        drop_stage(con, staged)
        table = jsna.public_table_name(file)
        reports.append(_public_report(path, table, staged, quarantined, started))
    for path in find_fingertips_exports(reference_dir, extract_dir):
        started = dt.datetime.now()
        staged, bad_numbers = jsna.stage_fingertips_file(con, path)
        _quarantine_malformed(con, "jsna", path.name, staged)
        quarantined = bad_numbers + len(staged.malformed)
        reports.append(_public_report(path, "fingertips", staged, quarantined, started))
    rows = jsna.build_jsna(con, sources)
    progress(f"public data: {len(reports)} files, jsna {rows:,} rows")
    return reports


def _quarantine_malformed(
    con: duckdb.DuckDBPyConnection, table_name: str, file: str, staged
) -> None:
    if staged.malformed.empty:
        return
    con.register("__malformed", staged.malformed)
    con.execute(
        'INSERT INTO quarantine SELECT ?, ?, line, "column", reason, detail, record '
        "FROM __malformed",
        [table_name, file],
    )
    con.unregister("__malformed")


def _public_report(
    path: Path, table: str, staged: StagedFile, quarantined: int, started: dt.datetime
) -> FileReport:
    """The load log's row for a public file: rows read = kept + quarantined."""
    return FileReport(
        path.name,
        "public",
        table,
        staged.checksum,
        staged.rows_read,
        staged.rows_read - quarantined,
        quarantined,
        started,
        dt.datetime.now(),
    )
