"""Read one input file, whatever its format, into a staging table of text.

Every reader (CSV, XLSX, Parquet) produces the same staged shape: one
VARCHAR column per header column plus `__row` (the row's position, unique),
`__line` (the line a person opening the file would look at; the header is
line 1) and `__sheet` (the worksheet, for a table spread over several).
Checking happens later, in SQL, on that one shape. A file that cannot be
read at all raises `LoadError` naming the file and the problem, so the load
stops before anything is swapped.

Data files are hostile input. The connection that builds the warehouse has
no file access at all (`enable_external_access = false`): files are read by
a separate in-memory reader connection that runs only fixed SQL text with
the path and the column list as bound parameters, and streams the rows over
as Arrow. Header text reaches the builder's SQL only as quoted identifiers
(`indicators.store.sql.quote`), and only after `check_header` has accepted it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.load.errors import LoadError, shown
from indicators.load.file_checks import checksum, pinned, scan
from indicators.load.identifying import VALUE_SAMPLE_ROWS, identifying_header, identifying_values
from indicators.load.workbooks import read_parquet, read_xlsx
from indicators.store.sql import quote, scalar

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
# The longest CSV line the reader takes (DuckDB's reader and Python's csv module
# agree on 128 KiB); no extract field needs more, so a longer one stops the load.
MAX_LINE_BYTES = 128 * 1024
# Stage columns the loader adds; a header may not use the prefix.
RESERVED_PREFIX = "__"

# The reader connection's only statement: path and columns are bound parameters.
_READ_CSV_SQL = f"""SELECT * FROM read_csv(?, header = true, auto_detect = false, delim = ',',
  quote = '"', escape = '"', columns = ?, max_line_size = {MAX_LINE_BYTES},
  store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_rejects_scan')"""  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
_LINE_TOO_LONG = "LINE SIZE OVER MAXIMUM"


@dataclass
class StagedFile:
    """What a reader leaves behind: a stage table and the rows it could not even split."""

    path: Path
    stage_table: str
    header: list[str]
    checksum: str
    rows_read: int
    malformed: pd.DataFrame = field(default_factory=pd.DataFrame)


def file_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise LoadError(f"{path.name}: unsupported file type {path.suffix!r}") from None


def check_header(
    path: Path, header: list[str], required: tuple[str, ...], known: tuple[str, ...] = ()
) -> None:
    """Refuse a header with blank, reserved, repeated, person-identifying or missing columns.

    `known` are the columns the reader itself defines (the contract's, a
    publisher's): they are not judged by name. Columns that differ only in
    case are refused because SQL column names ignore case.
    """
    if not header or all(not h.strip() for h in header):
        raise LoadError(f"{path.name}: no header row")
    blank = [i + 1 for i, h in enumerate(header) if not h.strip()]
    if blank:
        raise LoadError(f"{path.name}: header column {blank[0]} has no name")
    reserved = [h for h in header if h.startswith(RESERVED_PREFIX)]
    if reserved:
        raise LoadError(
            f"{path.name}: column {shown(reserved[0])}: names starting with "
            f"{RESERVED_PREFIX!r} are kept for the loader's own columns"
        )
    seen: dict[str, str] = {}
    for name in header:
        folded = name.casefold()
        if folded in seen:
            if seen[folded] == name:
                raise LoadError(f"{path.name}: column {shown(name)} appears twice in the header")
            raise LoadError(
                f"{path.name}: columns {shown(seen[folded])} and {shown(name)} differ only in "
                "case, and SQL column names ignore case; keep one"
            )
        seen[folded] = name
    identifying = [(h, kind) for h in header if h not in known and (kind := identifying_header(h))]
    if identifying:
        raise LoadError(
            f"{path.name}: refused: "
            + "; ".join(f"column {shown(h)} would identify a person ({k})" for h, k in identifying)
            + "; extracts must be pseudonymised (use child_id/family_id); nothing was stored"
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise LoadError(f"{path.name}: missing required column(s): {', '.join(missing)}")


def refuse_identifying_values(
    con: duckdb.DuckDBPyConnection, path: Path, stage_table: str, header: list[str]
) -> None:
    """Refuse the file when a column's sampled values look like postcodes, NHS numbers, e-mails.

    The sample is tested in memory and dropped; the message never shows a value.
    """
    columns = ", ".join(quote(h) for h in header)
    sample = con.execute(
        f"SELECT {columns} FROM {stage_table} "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        f"USING SAMPLE reservoir({VALUE_SAMPLE_ROWS} ROWS) REPEATABLE (20)"
    ).fetchall()
    problems = []
    for i, name in enumerate(header):
        found = identifying_values(row[i] for row in sample)
        if found:
            kind, matches, filled = found
            problems.append(
                f"column {shown(name)} holds values that look like {kind} "
                f"({matches} of {filled} sampled values)"
            )
    if problems:
        raise LoadError(
            f"{path.name}: refused: {'; '.join(problems)}; extracts must be pseudonymised; "
            "nothing was stored"
        )


def stage(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    stage_table: str,
    required: tuple[str, ...],
    known: tuple[str, ...] = (),
    *,
    sheet: str | None = None,
    drop: tuple[str, ...] = (),
) -> StagedFile:
    """Read `path` into `stage_table` (all text) after the file-level checks.

    `known`: columns the reader defines, exempt from the identifying-name
    check (values are sampled in every column). `sheet`: the one worksheet
    of a workbook to read (a source mapping's). `drop`: headers never staged,
    checked or sampled (a source mapping's identifying columns, dropped on sight).
    """
    kind = file_format(path)
    with pinned(path) as source:  # every read below sees this one file
        if kind == "csv":
            staged = _stage_csv(con, path, source, stage_table, required, known, drop)
        else:
            if kind == "xlsx":
                header, frame = read_xlsx(source, path.name, sheet)
            else:
                header, frame = read_parquet(source, path.name)
            header, frame = _without(header, frame, drop)
            staged = _stage_frame(con, path, source, stage_table, required, known, header, frame)
    try:
        refuse_identifying_values(con, path, stage_table, staged.header)
    except LoadError:
        drop_stage(con, staged)
        raise
    return staged


def _without(
    header: list[str], frame: pd.DataFrame, drop: tuple[str, ...]
) -> tuple[list[str], pd.DataFrame]:
    """The header and frame of a non-text file with the dropped columns taken out."""
    if not drop:
        return header, frame
    kept = [i for i, h in enumerate(header) if h not in drop]
    body = frame[["__line", "__sheet", *(f"c{i}" for i in kept)]]
    body = body.set_axis(["__line", "__sheet", *(f"c{j}" for j in range(len(kept)))], axis=1)
    return [header[i] for i in kept], body


def _csv_header(path: Path, source: Path) -> list[str]:
    csv.field_size_limit(MAX_LINE_BYTES)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        try:
            return next(csv.reader(handle), [])
        except csv.Error as err:
            raise LoadError(f"{path.name}: line 1: cannot read the header: {err}") from None


def _read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Path,
    header: list[str],
    raw_table: str,
    drop: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Stream the CSV into `raw_table` through a reader connection; returns its rejected lines.

    Columns in `drop` are left out of `raw_table` (they never reach the builder).
    """
    reader = duckdb.connect()
    dropped = [h for h in header if h in drop]
    exclude = f" EXCLUDE ({', '.join(quote(h) for h in dropped)})" if dropped else ""
    try:
        rows = reader.sql(_READ_CSV_SQL, params=[str(source), dict.fromkeys(header, "VARCHAR")])
        con.register("__csv_rows", rows.to_arrow_reader())
        con.execute(f"CREATE TEMP TABLE {raw_table} AS SELECT *{exclude} FROM __csv_rows")  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        return reader.execute(
            "SELECT line, error_type, error_message, csv_line FROM csv_rejects ORDER BY line"
        ).df()
    except duckdb.Error as err:
        raise LoadError(f"{path.name}: cannot read the CSV file: {err}") from None
    finally:
        con.unregister("__csv_rows")
        reader.close()


def _stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Path,
    stage_table: str,
    required: tuple[str, ...],
    known: tuple[str, ...],
    drop: tuple[str, ...] = (),
) -> StagedFile:
    scanned = scan(source, text=True, name=path.name)
    full_header = _csv_header(path, source)
    header = [h for h in full_header if h not in drop]
    check_header(path, header, required, known)
    raw = f"{stage_table}_raw"
    malformed = _read_csv(con, path, source, full_header, raw, drop)
    too_long = malformed.loc[malformed["error_type"] == _LINE_TOO_LONG, "line"]
    if not too_long.empty:
        con.execute(f"DROP TABLE {raw}")
        raise LoadError(
            f"{path.name}: line {too_long.iloc[0]}: longer than {MAX_LINE_BYTES // 1024} KiB "
            f"({len(too_long)} such line(s)); no extract field needs that much, check the export"
        )
    good = scalar(con, f"SELECT count(*) FROM {raw}")  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
    if good + len(malformed) == 0:
        con.execute(f"DROP TABLE {raw}")
        raise LoadError(f"{path.name}: the file has a header but no rows")
    total_lines = scanned.newlines + (0 if scanned.ends_with_newline else 1)
    if malformed.empty and total_lines == 1 + good:
        # The usual file: one record per line, so a row's line is its position + 2.
        con.execute(
            f"CREATE TEMP VIEW {stage_table} AS SELECT rowid AS __row, rowid + 2 AS __line, "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
            f"NULL::VARCHAR AS __sheet, * FROM {raw}"
        )
    else:
        lines = _good_lines(path, source, good, malformed["line"].to_numpy())
        frame = pd.DataFrame({"__line": lines, "__ordinal": np.arange(len(lines))})
        con.register("__line_frame", frame)
        con.execute(f"CREATE TEMP TABLE {stage_table}_lines AS SELECT * FROM __line_frame")  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        con.unregister("__line_frame")
        con.execute(
            f"CREATE TEMP VIEW {stage_table} AS SELECT r.rowid AS __row, l.__line, "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
            f"NULL::VARCHAR AS __sheet, r.* FROM {raw} r "
            f"JOIN {stage_table}_lines l ON l.__ordinal = r.rowid"
        )
    return StagedFile(
        path, stage_table, header, scanned.checksum, good + len(malformed), _malformed(malformed)
    )


def drop_stage(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """Free a staged file's tables once its rows are checked."""
    name = staged.stage_table
    con.execute(f"DROP VIEW IF EXISTS {name}")
    for table in (f"{name}_raw", f"{name}_lines"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _good_lines(path: Path, source: Path, good: int, rejected: np.ndarray) -> np.ndarray:
    """The physical line of each well-formed record, in file order.

    Only for files with rows the reader rejected, blank lines or records
    spanning lines: the csv module walks the file to find where each record
    starts, so quarantine can always point at the right line.
    """
    starts = []
    csv.field_size_limit(MAX_LINE_BYTES)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            next(reader, None)
            line = reader.line_num + 1
            for record in reader:
                if record:
                    starts.append(line)
                line = reader.line_num + 1
        except csv.Error as err:
            raise LoadError(f"{path.name}: line {reader.line_num}: {err}") from None
    starts_arr = np.array(starts, dtype=np.int64)
    kept = starts_arr[~np.isin(starts_arr, rejected)]
    if len(kept) != good:
        raise LoadError(
            f"{path.name}: could not match records to lines ({good} records, {len(kept)} lines); "
            "check for unbalanced quotes"
        )
    return kept


def _malformed(rejects: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line": rejects["line"].astype("int64"),
            "column": None,
            "reason": "malformed_row",
            "detail": rejects["error_type"].str.lower() + ": " + rejects["error_message"],
            "record": rejects["csv_line"],
        }
    )


def _stage_frame(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Path,
    stage_table: str,
    required: tuple[str, ...],
    known: tuple[str, ...],
    header: list[str],
    frame: pd.DataFrame,
) -> StagedFile:
    check_header(path, header, required, known)
    if frame.empty:
        raise LoadError(f"{path.name}: the file has a header but no rows")
    frame = frame.astype(object).where(frame.notna(), None)
    con.register("__frame", frame)
    casts = ", ".join(f"c{i}::VARCHAR AS {quote(h)}" for i, h in enumerate(header))
    con.execute(
        f"CREATE TEMP TABLE {stage_table}_raw AS "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        f"SELECT __line::BIGINT AS __line, __sheet::VARCHAR AS __sheet, {casts} FROM __frame"
    )
    con.unregister("__frame")
    con.execute(
        f"CREATE TEMP VIEW {stage_table} AS SELECT rowid AS __row, * FROM {stage_table}_raw"  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
    )
    return StagedFile(path, stage_table, header, checksum(source, path.name), len(frame))
