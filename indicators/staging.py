"""Read one input file, whatever its format, into a staging table of text.

Every reader (CSV, XLSX, Parquet) produces the same staged shape: one
VARCHAR column per header column plus `__line`, the line a person opening the
file would look at (the header is line 1). Checking happens later, in SQL,
on that one shape. A file that cannot be read at all raises `LoadError`
naming the file and the problem, so the load stops before anything is swapped.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.contract import identifies_a_person
from indicators.sql import quote, scalar, text

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
_CHUNK = 1 << 22


class LoadError(Exception):
    """A file or setting that stops the whole load; the message names the file and problem."""


@dataclass
class StagedFile:
    """What a reader leaves behind: a stage table and the rows it could not even split."""

    path: Path
    stage_table: str
    header: list[str]
    checksum: str
    rows_read: int
    malformed: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class _Scan:
    checksum: str
    newlines: int
    ends_with_newline: bool


def file_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise LoadError(f"{path.name}: unsupported file type {path.suffix!r}") from None


def checksum(path: Path) -> str:
    """SHA-256 of the file's bytes, for the load log."""
    return _scan(path, text=False).checksum


def _scan(path: Path, *, text: bool) -> _Scan:
    """One pass over the bytes: checksum, and for text files UTF-8 and line counts.

    Checked here rather than left to the CSV reader so the message can say
    which line holds the bad byte.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if text:
                if b"\x00" in chunk:
                    raise LoadError(f"{path.name}: not a text file (it contains NUL bytes)")
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    line = newlines + chunk[: err.start].count(b"\n") + 1
                    raise LoadError(
                        f"{path.name}: line {line}: not UTF-8 text "
                        f"(byte 0x{chunk[err.start]:02x}); save the extract as UTF-8"
                    ) from None
                newlines += chunk.count(b"\n")
            last = chunk
    if text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise LoadError(f"{path.name}: not UTF-8 text (it ends inside a character)") from None
    if not last:
        raise LoadError(f"{path.name}: the file is empty")
    return _Scan(digest.hexdigest(), newlines, last.endswith(b"\n"))


def check_header(path: Path, header: list[str], required: tuple[str, ...]) -> None:
    """Refuse a header with blank, repeated, person-identifying or missing columns."""
    if not header or all(not h.strip() for h in header):
        raise LoadError(f"{path.name}: no header row")
    blank = [i + 1 for i, h in enumerate(header) if not h.strip()]
    if blank:
        raise LoadError(f"{path.name}: header column {blank[0]} has no name")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise LoadError(f"{path.name}: column {name!r} appears twice in the header")
        seen.add(name)
    identifying = [h for h in header if identifies_a_person(h)]
    if identifying:
        raise LoadError(
            f"{path.name}: refused: column(s) {', '.join(map(repr, identifying))} would identify "
            "a person; extracts must be pseudonymised (use child_id/family_id)"
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise LoadError(f"{path.name}: missing required column(s): {', '.join(missing)}")


def stage(
    con: duckdb.DuckDBPyConnection, path: Path, stage_table: str, required: tuple[str, ...]
) -> StagedFile:
    """Read `path` into `stage_table` (all text) after the file-level checks."""
    kind = file_format(path)
    if kind == "csv":
        return _stage_csv(con, path, stage_table, required)
    if kind == "xlsx":
        return _stage_frame(con, path, stage_table, required, _read_xlsx(path), first_line=2)
    return _stage_frame(con, path, stage_table, required, _read_parquet(path), first_line=1)


def _stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, stage_table: str, required: tuple[str, ...]
) -> StagedFile:
    scan = _scan(path, text=True)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    check_header(path, header, required)
    columns = "{" + ", ".join(f"{text(h)}: 'VARCHAR'" for h in header) + "}"
    rejects = f"{stage_table}_rejects"
    con.execute(
        f"""CREATE TEMP TABLE {stage_table}_raw AS SELECT * FROM read_csv(
            {text(str(path))}, header = true, auto_detect = false, delim = ',',
            quote = '"', escape = '"', columns = {columns}, store_rejects = true,
            rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')"""
    )
    malformed = con.execute(
        f"SELECT line, error_type, error_message, csv_line FROM {rejects} ORDER BY line"
    ).df()
    good = scalar(con, f"SELECT count(*) FROM {stage_table}_raw")
    if good + len(malformed) == 0:
        raise LoadError(f"{path.name}: the file has a header but no rows")
    total_lines = scan.newlines + (0 if scan.ends_with_newline else 1)
    if malformed.empty and total_lines == 1 + good:
        # The usual file: one record per line, so a row's line is its position + 2.
        con.execute(
            f"CREATE TEMP VIEW {stage_table} AS "
            f"SELECT rowid + 2 AS __line, * FROM {stage_table}_raw"
        )
    else:
        lines = _good_lines(path, good, malformed["line"].to_numpy())
        frame = pd.DataFrame({"__line": lines, "__ordinal": np.arange(len(lines))})
        con.register("__line_frame", frame)
        con.execute(f"CREATE TEMP TABLE {stage_table}_lines AS SELECT * FROM __line_frame")
        con.unregister("__line_frame")
        con.execute(
            f"CREATE TEMP VIEW {stage_table} AS SELECT l.__line, r.* FROM {stage_table}_raw r "
            f"JOIN {stage_table}_lines l ON l.__ordinal = r.rowid"
        )
    return StagedFile(
        path, stage_table, header, scan.checksum, good + len(malformed), _malformed(malformed)
    )


def drop_stage(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """Free a staged file's tables once its rows are checked."""
    name = staged.stage_table
    con.execute(f"DROP VIEW IF EXISTS {name}")
    for table in (f"{name}_raw", f"{name}_lines", f"{name}_rejects"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _good_lines(path: Path, good: int, rejected: np.ndarray) -> np.ndarray:
    """The physical line of each well-formed record, in file order.

    Only for files with rows the reader rejected, blank lines or records
    spanning lines: the csv module walks the file to find where each record
    starts, so quarantine can always point at the right line.
    """
    starts = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        line = reader.line_num + 1
        for record in reader:
            if record:
                starts.append(line)
            line = reader.line_num + 1
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


def _read_xlsx(path: Path) -> pd.DataFrame:
    _scan(path, text=False)
    if path.read_bytes()[:2] != b"PK":
        raise LoadError(f"{path.name}: not an XLSX workbook (the file is not a zip archive)")
    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise LoadError(f"{path.name}: cannot read the workbook: {err}") from None
    # Excel stores dates as datetimes; a midnight datetime is the date the person typed.
    frame = frame.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True)
    return frame.replace({"": None})


def _read_parquet(path: Path) -> pd.DataFrame:
    _scan(path, text=False)
    if path.read_bytes()[:4] != b"PAR1":
        raise LoadError(f"{path.name}: not a Parquet file (no PAR1 magic number)")
    try:
        con = duckdb.connect()
        frame = con.execute("SELECT COLUMNS(*)::VARCHAR FROM read_parquet(?)", [str(path)]).df()
    except duckdb.Error as err:
        raise LoadError(f"{path.name}: cannot read the Parquet file: {err}") from None
    return frame


def _stage_frame(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    stage_table: str,
    required: tuple[str, ...],
    frame: pd.DataFrame,
    *,
    first_line: int,
) -> StagedFile:
    header = [str(c) for c in frame.columns]
    check_header(path, header, required)
    if frame.empty:
        raise LoadError(f"{path.name}: the file has a header but no rows")
    frame = frame.astype(object).where(frame.notna(), None)
    frame.insert(0, "__line", np.arange(first_line, first_line + len(frame)))
    con.register("__frame", frame)
    casts = ", ".join(f"{quote(h)}::VARCHAR AS {quote(h)}" for h in header)
    con.execute(f"CREATE TEMP TABLE {stage_table}_raw AS SELECT __line, {casts} FROM __frame")
    con.execute(f"CREATE TEMP VIEW {stage_table} AS SELECT * FROM {stage_table}_raw")
    con.unregister("__frame")
    return StagedFile(path, stage_table, header, checksum(path), len(frame))
