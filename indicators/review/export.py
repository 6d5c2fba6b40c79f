"""Everything in the store as CSV files: every revision, and what stands now.

People wrote this text, so a cell that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`, tab or carriage return first) is written with a leading
apostrophe, as OWASP advises for CSV exports; the rest is written as stored.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.review import reading, schema
from indicators.review.store import ReviewStore

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(frame: pd.DataFrame) -> pd.DataFrame:
    def cell(value: object) -> object:
        return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value

    return frame.map(cell)


def export_store(store: ReviewStore, folder: Path) -> dict[str, int]:
    """Write `narratives.csv`, `actions.csv` (as they stand) and one CSV per table of the
    store (every revision) into `folder`; the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = {"narratives": reading.narratives(store), "actions": reading.actions(store)}
    for table in schema.TABLES:
        frame = store.frame(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (the schema's own names)
        frames[table] = pd.DataFrame() if frame is None else frame
    written = {}
    for name, frame in frames.items():
        _inert(frame).to_csv(folder / f"{name}.csv", index=False)
        written[f"{name}.csv"] = len(frame)
    return written
