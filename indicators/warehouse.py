"""Build a warehouse from extracts beside the serving one, then swap it in.

A load never touches the file that is serving: it builds
`.build-<name>-<id>` in the same folder, checks the row accounting, writes a
checkpoint, closes it and renames it over the serving file (an atomic rename
on one file system). A load that fails or is killed leaves the old warehouse
serving and its half-built file is removed by the next load.

Readers open the warehouse read-only (`open_warehouse`); a reader that
opened the old file keeps reading it until it reconnects.

The connection that builds the new file has no file access
(`enable_external_access = false`, set when it opens): files reach it only
through `indicators.staging`'s reader connection, so no header or value of
a file, even one that slipped past quoting, could make it read or write a
file. Every failure to read an input or write the new file stops the load
with a `LoadError` naming the file; the serving warehouse is never touched.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from indicators import derived, jsna, reference
from indicators.contract import TABLES, Table
from indicators.file_checks import regular_file_in
from indicators.load_lock import DEFAULT_LOCK_TIMEOUT, load_lock
from indicators.paths import CONFIG_PATH, REFERENCE_DIR
from indicators.periods import PERIOD_MACROS_SQL
from indicators.shrink_guard import (
    DEFAULT_MIN_KEPT_SHARE,
    TableCount,
    check_kept_share,
    serving_counts,
)
from indicators.sql import scalar
from indicators.staging import FORMATS, LoadError, checksum, drop_stage, stage
from indicators.validation import checked_name, checked_sql, quarantine_sql

Progress = Callable[[str], None]

LOG_TABLES_SQL = """
CREATE TABLE quarantine (table_name VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR,
  reason VARCHAR, detail VARCHAR, record VARCHAR);
CREATE TABLE load_log (load_id VARCHAR, file VARCHAR, kind VARCHAR, table_name VARCHAR,
  checksum VARCHAR, rows_read BIGINT, rows_kept BIGINT, rows_quarantined BIGINT,
  started TIMESTAMP, finished TIMESTAMP);
"""

DEMO_MANIFEST = "demo_manifest.json"


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


@dataclass
class LoadReport:
    load_id: str
    warehouse: Path
    is_demo: bool
    files: list[FileReport] = field(default_factory=list)

    def lines(self) -> list[str]:
        width = max((len(f.file) for f in self.files), default=10)
        out = [f"{'file':<{width}}  {'read':>10}  {'kept':>10}  {'quarantined':>11}"]
        for f in self.files:
            out.append(
                f"{f.file:<{width}}  {f.rows_read:>10,}  {f.rows_kept:>10,}  "
                f"{f.rows_quarantined:>11,}"
            )
        return out


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_extracts(extract_dir: Path) -> dict[str, Path]:
    """The file that holds each contract table in `extract_dir` (any supported format).

    Only regular files inside the folder are taken (`indicators.file_checks`);
    every problem with the folder is reported at once.
    """
    if not extract_dir.is_dir():
        raise LoadError(f"{extract_dir}: no such folder of extracts")
    found: dict[str, Path] = {}
    problems = []
    for table in TABLES:
        candidates = [extract_dir / f"{table.name}{ext}" for ext in FORMATS]
        present = [p for p in candidates if os.path.lexists(p)]
        if not present:
            problems.append(
                f"{extract_dir}: extract {table.name!r} not found "
                f"(expected {table.name}.csv, .xlsx or .parquet)"
            )
        elif len(present) > 1:
            problems.append(
                f"{extract_dir}: {' and '.join(p.name for p in present)} both claim to be "
                f"the {table.name} extract; keep one"
            )
        else:
            try:
                found[table.name] = regular_file_in(present[0], extract_dir)
            except LoadError as err:
                problems.append(str(err))
    if problems:
        raise LoadError("\n".join(problems))
    return found


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


def _remove_leftover_builds(warehouse: Path) -> None:
    for leftover in warehouse.parent.glob(f".build-{warehouse.name}-*"):
        leftover.unlink(missing_ok=True)


@dataclass(frozen=True)
class LoadSettings:
    """How cautious a load is: its lock wait and its guard against collapsed tables."""

    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    min_kept_share: float = DEFAULT_MIN_KEPT_SHARE
    accept_shrink: bool = False


def build_warehouse(
    extract_dir: Path,
    warehouse: Path,
    *,
    reference_dir: Path = REFERENCE_DIR,
    config_path: Path = CONFIG_PATH,
    progress: Progress = _stderr,
    load_date: dt.date | None = None,
    settings: LoadSettings = LoadSettings(),
) -> LoadReport:
    """Load every extract in `extract_dir` with the reference and public data, then swap.

    Raises `LoadError` (and leaves `warehouse` untouched) when a file or the
    config cannot be read at all, when the new file cannot be written, when
    another load holds the lock past `settings.lock_timeout`, or when a
    table's kept rows collapse (`indicators.shrink_guard`). Example:
    `build_warehouse(Path("data/demo"), Path("data/warehouse.duckdb"))`.
    """
    extract_dir, warehouse = Path(extract_dir), Path(warehouse)
    extracts = find_extracts(extract_dir)
    sources = jsna.jsna_sources(_read_config(config_path), config_path)
    load_id = uuid.uuid4().hex[:12]
    try:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise LoadError(f"{warehouse.parent}: cannot create the folder: {err.strerror}") from None
    with load_lock(warehouse, load_id, settings.lock_timeout, progress):
        serving = {} if settings.accept_shrink else serving_counts(warehouse)
        build = warehouse.parent / f".build-{warehouse.name}-{load_id}"
        try:
            _remove_leftover_builds(warehouse)
            report = _build(
                extract_dir,
                extracts,
                build,
                warehouse,
                reference_dir,
                sources,
                load_id,
                progress,
                load_date or dt.date.today(),
                None if settings.accept_shrink else (serving, settings.min_kept_share),
            )
            os.replace(build, warehouse)
            _fsync_dir(warehouse.parent)
        except (OSError, *_WRITE_FAILURES) as err:
            raise LoadError(_write_failure(warehouse, err)) from None
        finally:
            for leftover in (build, build.with_name(build.name + ".wal")):
                leftover.unlink(missing_ok=True)
    progress(f"load {load_id}: swapped in {warehouse}")
    return report


# What DuckDB raises when the new file cannot be written (a failed write of the
# write-ahead log surfaces as a failed commit); the builder is the file's only writer.
_WRITE_FAILURES = (duckdb.IOException, duckdb.FatalException, duckdb.TransactionException)


def _write_failure(warehouse: Path, err: Exception) -> str:
    """The message for a new warehouse that could not be written, naming the cause."""
    cause = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    full = isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    if full or "No space left" in cause or "File too large" in cause:
        hint = "the disk (or the file size limit) is full; free space and load again"
    elif "ermission" in cause or "Read-only" in cause:
        hint = "the warehouse folder is not writable by this user"
    else:
        hint = "the new file could not be written"
    return (
        f"{warehouse}: cannot write the new warehouse in {warehouse.parent}: {hint} "
        f"({cause.splitlines()[0] if cause else type(err).__name__}); "
        "nothing was swapped in, the serving warehouse is unchanged"
    )


def _build(
    extract_dir: Path,
    extracts: dict[str, Path],
    build: Path,
    warehouse: Path,
    reference_dir: Path,
    sources: list[jsna.JsnaSource],
    load_id: str,
    progress: Progress,
    load_date: dt.date,
    shrink_guard: tuple[dict[str, int], float] | None,
) -> LoadReport:
    """Build the new warehouse file; `shrink_guard` is (serving kept rows, least share) or None."""
    started = dt.datetime.now()
    manifest = _demo_manifest(extract_dir)
    report = LoadReport(load_id, warehouse, is_demo=manifest is not None)
    con = duckdb.connect(str(build), config={"enable_external_access": False})
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
        con.execute(PERIOD_MACROS_SQL)
        con.execute(LOG_TABLES_SQL)
        report.files += _load_reference(con, reference_dir, progress)
        for step, table in enumerate(TABLES, start=1):
            tick = time.perf_counter()
            file_report = _load_extract(con, table, extracts[table.name], load_date)
            report.files.append(file_report)
            progress(
                f"[{step}/{len(TABLES)}] {file_report.file}: {file_report.rows_read:,} rows read, "
                f"{file_report.rows_kept:,} kept, {file_report.rows_quarantined:,} quarantined "
                f"({time.perf_counter() - tick:.1f} s)"
            )
        report.files += _load_public(con, reference_dir, extract_dir, sources, progress)
        if shrink_guard is not None:
            counts = [
                TableCount(f.table_name, f.file, f.rows_read, f.rows_kept)
                for f in report.files
                if f.kind == "extract"
            ]
            check_kept_share(con, counts, *shrink_guard)
        derived.create_extract_tables(con)
        _write_log(con, report, started, extract_dir, manifest)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return report


def _read_config(config_path: Path) -> dict:
    try:
        return yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise LoadError(f"{config_path}: cannot read the configuration: {err}") from None


def _demo_manifest(extract_dir: Path) -> dict | None:
    path = extract_dir / DEMO_MANIFEST
    if not path.exists():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return manifest if manifest.get("synthetic") else None


def _load_reference(
    con: duckdb.DuckDBPyConnection, reference_dir: Path, progress: Progress
) -> list[FileReport]:
    started = dt.datetime.now()
    try:
        counts = reference.load_reference(con, reference_dir)
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


def _load_extract(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path, load_date: dt.date
) -> FileReport:
    started = dt.datetime.now()
    stage_table = f"__stage_{table.name}"
    required = table.column_names
    staged = stage(con, path, stage_table, required, known=required)
    _quarantine_malformed(con, table.name, path.name, staged)
    checked = checked_name(table.name)
    con.execute(f"CREATE TEMP TABLE {checked} AS {checked_sql(table, stage_table, load_date)}")
    con.execute(quarantine_sql(table, checked, stage_table), [table.name, path.name])
    kept = scalar(con, f"SELECT count(*) FROM {checked} WHERE __failure IS NULL")
    quarantined = scalar(con, "SELECT count(*) FROM quarantine WHERE table_name = ?", [table.name])
    drop_stage(con, staged)
    if kept + quarantined != staged.rows_read:
        raise LoadError(
            f"{path.name}: rows do not add up ({staged.rows_read} read, {kept} kept, "
            f"{quarantined} quarantined); nothing was swapped in"
        )
    return FileReport(
        path.name,
        "extract",
        table.name,
        staged.checksum,
        staged.rows_read,
        kept,
        quarantined,
        started,
        dt.datetime.now(),
    )


def _load_public(
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
        reports.append(
            FileReport(
                path.name,
                "public",
                jsna.public_table_name(file),
                staged.checksum,
                staged.rows_read,
                staged.rows_read - quarantined,
                quarantined,
                started,
                dt.datetime.now(),
            )
        )
    for path in find_fingertips_exports(reference_dir, extract_dir):
        started = dt.datetime.now()
        staged, bad_numbers = jsna.stage_fingertips_file(con, path)
        _quarantine_malformed(con, "jsna", path.name, staged)
        quarantined = bad_numbers + len(staged.malformed)
        reports.append(
            FileReport(
                path.name,
                "public",
                "fingertips",
                staged.checksum,
                staged.rows_read,
                staged.rows_read - quarantined,
                quarantined,
                started,
                dt.datetime.now(),
            )
        )
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


def _write_log(
    con: duckdb.DuckDBPyConnection,
    report: LoadReport,
    started: dt.datetime,
    extract_dir: Path,
    manifest: dict | None,
) -> None:
    for f in report.files:
        con.execute(
            "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                report.load_id,
                f.file,
                f.kind,
                f.table_name,
                f.checksum,
                f.rows_read,
                f.rows_kept,
                f.rows_quarantined,
                f.started,
                f.finished,
            ],
        )
    inputs = hashlib.sha256("".join(sorted(f.checksum for f in report.files)).encode())
    con.execute(
        """CREATE TABLE load_info AS SELECT ? AS load_id, ? AS started, ? AS finished,
           ? AS extract_dir, ? AS is_demo, ? AS demo_seed, ? AS demo_scale, ? AS inputs_checksum""",
        [
            report.load_id,
            started,
            dt.datetime.now(),
            str(extract_dir),
            report.is_demo,
            (manifest or {}).get("seed"),
            (manifest or {}).get("scale"),
            inputs.hexdigest(),
        ],
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection: pages and the engine can never change what they serve."""
    if not Path(path).exists():
        raise LoadError(f"{path}: no warehouse yet; run `python -m indicators load DIR` first")
    return duckdb.connect(str(path), read_only=True)
