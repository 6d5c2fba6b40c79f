"""Readers for the table formats that are not text: XLSX workbooks and Parquet files.

Each returns the header as written and a frame of `__line`, `__sheet` and
one text column per header column under a positional name (`c0`, `c1`...),
so no header text is ever a pandas or DuckDB name before `check_header`
has accepted it; `indicators.load.staging` turns the frame into the staged shape.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from indicators.load.errors import LoadError, shown
from indicators.load.file_checks import magic, scan


def read_xlsx(path: Path, name: str, sheet: str | None = None) -> tuple[list[str], pd.DataFrame]:
    """The workbook's table: one sheet, or every non-empty sheet when they share a header.

    `sheet` reads that worksheet alone (a source mapping's workbook with a
    sheet per table); a missing sheet is refused, naming it. Returns the
    header and a frame of `__line`, `__sheet` and one column per header
    column (positional names). Sheets with different headers are
    refused, naming them: loading one of them would drop the others' rows
    without a word.
    """
    scan(path, text=False, name=name)
    if magic(path, 2, name) != b"PK":
        raise LoadError(f"{name}: not an XLSX workbook (the file is not a zip archive)")
    try:
        read = pd.read_excel(
            path, sheet_name=sheet, header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
        sheets = read if sheet is None else {sheet: read}
    except ValueError as err:
        if sheet is not None and "not found" in str(err):
            raise LoadError(f"{name}: the workbook has no sheet {shown(sheet)}") from None
        raise LoadError(f"{name}: cannot read the workbook: {err}") from None
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise LoadError(f"{name}: cannot read the workbook: {err}") from None
    used = {name: _used_grid(grid) for name, grid in sheets.items()}
    used = {name: grid for name, grid in used.items() if grid is not None}
    if not used:
        raise LoadError(f"{name}: the workbook is empty")
    headers = {name: [str(v) for v in grid.iloc[0]] for name, grid in used.items()}
    if len({tuple(h) for h in headers.values()}) > 1:
        raise LoadError(
            f"{name}: the table is spread over sheets with different headers ("
            + "; ".join(f"sheet {shown(n)}: {', '.join(map(shown, h))}" for n, h in headers.items())
            + "); put it on one sheet, or give every sheet the same header"
        )
    several = len(used) > 1
    frames = []
    for name, grid in used.items():
        body = grid.iloc[1:]
        body = body.loc[(body != "").any(axis=1)]  # blank rows are skipped, as in a CSV
        frame = body.set_axis([f"c{i}" for i in range(body.shape[1])], axis=1)
        frame.insert(0, "__line", body.index.to_numpy() + 1)
        frame.insert(1, "__sheet", name if several else None)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    # Excel stores dates as datetimes; a midnight datetime is the date the person typed.
    frame = frame.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True)
    return next(iter(headers.values())), frame.replace({"": None})


def _used_grid(grid: pd.DataFrame) -> pd.DataFrame | None:
    """A sheet cut to its used columns (the header and any filled cell), or None if empty."""
    filled = (grid != "").to_numpy()
    if not filled.any():
        return None
    last_column = int(np.flatnonzero(filled.any(axis=0))[-1])
    return grid.iloc[:, : last_column + 1]


def read_parquet(path: Path, name: str) -> tuple[list[str], pd.DataFrame]:
    scan(path, text=False, name=name)
    if magic(path, 4, name) != b"PAR1":
        raise LoadError(f"{name}: not a Parquet file (no PAR1 magic number)")
    reader = duckdb.connect()
    try:
        # Arrow's schema keeps repeated names, which DuckDB would rename.
        names = pq.read_schema(path).names
        frame = reader.execute("SELECT COLUMNS(*)::VARCHAR FROM read_parquet(?)", [str(path)]).df()
    except (duckdb.Error, pa.ArrowException, OSError) as err:
        raise LoadError(f"{name}: cannot read the Parquet file: {err}") from None
    finally:
        reader.close()
    frame = frame.set_axis([f"c{i}" for i in range(frame.shape[1])], axis=1)
    frame.insert(0, "__line", np.arange(1, len(frame) + 1))
    frame.insert(1, "__sheet", None)
    return names, frame
