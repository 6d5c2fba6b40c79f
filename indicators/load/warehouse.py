"""Build a warehouse from extracts beside the serving one, then swap it in.

A load never touches the file that is serving: it builds
`.build-<name>-<id>` in the same folder, checks the row accounting, writes a
checkpoint, closes it and renames it over the serving file (an atomic rename
on one file system). A load that fails or is killed leaves the old warehouse
serving and its half-built file is removed by the next load.

Readers open the warehouse through `indicators.store.readers.connect`; a
reader that opened the old file keeps reading it until it reconnects.

The connection that builds the new file has no file access
(`enable_external_access = false`, set when it opens): files reach it only
through `indicators.load.staging`'s reader connection, so no header or value of
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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from indicators import paths
from indicators.config import spec
from indicators.config.issue import ERROR, Context
from indicators.config.jsna_rules import JSNA_RULES
from indicators.config.source_mapping import SourceMapping
from indicators.config.spec import Strategy
from indicators.config.strategy_rules import comparators, strategy_keys, strategy_values
from indicators.load import derived, inputs
from indicators.load.contract import TABLES
from indicators.load.errors import LoadError
from indicators.load.inputs import FileReport, Progress
from indicators.load.lock import DEFAULT_LOCK_TIMEOUT, load_lock
from indicators.load.mapped import ExtractSource
from indicators.load.shrink_guard import (
    DEFAULT_MIN_KEPT_SHARE,
    TableCount,
    check_kept_share,
    serving_counts,
)
from indicators.paths import REFERENCE_DIR
from indicators.periods import PERIOD_MACROS_SQL
from indicators.publish.step import publish

LOG_TABLES_SQL = """
CREATE TABLE quarantine (table_name VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR,
  reason VARCHAR, detail VARCHAR, record VARCHAR);
CREATE TABLE load_log (load_id VARCHAR, file VARCHAR, kind VARCHAR, table_name VARCHAR,
  checksum VARCHAR, rows_read BIGINT, rows_kept BIGINT, rows_quarantined BIGINT,
  started TIMESTAMP, finished TIMESTAMP);
"""

DEMO_MANIFEST = "demo_manifest.json"


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
    config_path: Path | None = None,
    progress: Progress = _stderr,
    load_date: dt.date | None = None,
    settings: LoadSettings = LoadSettings(),
    mapping: SourceMapping | None = None,
) -> LoadReport:
    """Load every extract in `extract_dir` with the reference and public data, then swap.

    Raises `LoadError` (and leaves `warehouse` untouched) when a file or the
    config cannot be read at all, when the new file cannot be written, when
    another load holds the lock past `settings.lock_timeout`, or when a
    table's kept rows collapse (`indicators.load.shrink_guard`). Example:
    `build_warehouse(Path("data/demo"), Path("data/warehouse.duckdb"))`. `mapping` reads
    another system's export (`indicators.config.source_mapping`); one that fails `check`
    stops the load.
    """
    extract_dir, warehouse = Path(extract_dir), Path(warehouse)
    extracts = inputs.find_extracts(extract_dir, mapping)
    config_path = config_path or paths.config_path()
    strategy = read_strategy(config_path)
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
                strategy,
                load_id,
                progress,
                load_date or dt.date.today(),
                None if settings.accept_shrink else (serving, settings.min_kept_share),
            )
            progress(publish(build, strategy, config_path, load_id))
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
    elif any(word in cause for word in ("ermission", "not permitted", "Read-only")):
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
    extracts: dict[str, ExtractSource],
    build: Path,
    warehouse: Path,
    reference_dir: Path,
    strategy: Strategy,
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
        report.files += inputs.load_reference(con, reference_dir, strategy, progress)
        for step, table in enumerate(TABLES, start=1):
            tick = time.perf_counter()
            file_report = inputs.load_extract(con, table, extracts[table.name], load_date)
            report.files.append(file_report)
            progress(
                f"[{step}/{len(TABLES)}] {file_report.file}: {file_report.rows_read:,} rows read, "
                f"{file_report.rows_kept:,} kept, {file_report.rows_quarantined:,} quarantined "
                f"({time.perf_counter() - tick:.1f} s)"
            )
        report.files += inputs.load_public(
            con, reference_dir, extract_dir, list(strategy.jsna), progress
        )
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


# What a load reads from the configuration: the council's area and comparators
# (reference tables) and the JSNA sources; an error in them stops the load.
LOAD_RULES = (strategy_keys, strategy_values, comparators, *JSNA_RULES)


def read_strategy(config_path: Path) -> Strategy:
    """The strategy a load builds for; stops (`LoadError`, each error with its line) when
    the file cannot be read or its `strategy:` or `jsna:` sections have an error."""
    try:
        strategy = spec.load_strategy(config_path)
    except OSError as err:
        raise LoadError(f"{config_path}: cannot read the configuration: {err.strerror}") from None
    except spec.SpecError as err:
        raise LoadError(f"{config_path}: cannot read the configuration: {err}") from None
    context = Context(strategy, None, None)
    errors = [i for rule in LOAD_RULES for i in rule(context) if i.severity == ERROR]
    if errors:
        raise LoadError("\n".join(i.format(config_path) for i in errors))
    return strategy


def _demo_manifest(extract_dir: Path) -> dict | None:
    path = extract_dir / DEMO_MANIFEST
    if not path.exists():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return manifest if manifest.get("synthetic") else None


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
    inputs_hash = hashlib.sha256("".join(sorted(f.checksum for f in report.files)).encode())
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
            inputs_hash.hexdigest(),
        ],
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
