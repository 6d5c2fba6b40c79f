"""The load log and quarantine counts as people other than analysts see them.

Quarantined rows are records about children and families, so a count of 1
to min_count - 1 of them is protected like any other published count, and so
is anything it could be worked out from: for each file, rows read = rows
kept + rows quarantined, and rows quarantined = the sum of its counts by
column and reason. The same linear protection as the rest of the
publication (:mod:`indicators.disclosure.suppression`) chooses what else to hide, one
number at a time; hidden numbers are shown empty (``<NA>``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators.disclosure.suppression import LinearPublication, protect
from indicators.store import inventory

LOG_COUNTS = ("rows_read", "rows_kept", "rows_quarantined")


def protected_counts(
    log: pd.DataFrame, by_reason: pd.DataFrame, min_count: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of the load log and the quarantine-by-reason table, small counts protected.

    >>> log, reasons = protected_counts(log, by_reason, min_count=5)  # doctest: +SKIP
    """
    table = LinearPublication(0)
    cells: list[tuple[str, int, str]] = []  # (frame, row position, column), one per variable
    values: list[float] = []

    def variable(frame: str, position: int, column: str, value: float, cost: tuple) -> int:
        cells.append((frame, position, column))
        values.append(float(value))
        table.add_row([len(cells) - 1], cost)
        return len(cells) - 1

    reasons_of: dict[str, list[int]] = {}
    for position, row in enumerate(by_reason.itertuples(index=False)):
        found = variable("reasons", position, "rows", row.rows, (0, row.rows, position))
        reasons_of.setdefault(row.file, []).append(found)
    for position, row in enumerate(log.itertuples(index=False)):
        read, kept, quarantined = (
            variable("log", position, column, getattr(row, column), (tier, position))
            for tier, column in zip((3, 2, 1), LOG_COUNTS, strict=True)
        )
        table.n_variables = len(cells)
        table.add_relation([read, kept, quarantined], [1.0, -1.0, -1.0])
        parts = reasons_of.get(row.file, [])
        if parts:
            table.add_relation([quarantined, *parts], [1.0] + [-1.0] * len(parts))
    table.n_variables = len(cells)
    counts = np.array(values)
    table.values = counts
    for small in np.flatnonzero((counts > 0) & (counts < min_count)):
        table.protect_quantity([int(small)], [1.0])
    hidden = protect(table, np.zeros(len(cells), dtype=bool))
    frames = {"log": log.copy(), "reasons": by_reason.copy()}
    for frame, columns in (("log", LOG_COUNTS), ("reasons", ("rows",))):
        for column in columns:
            frames[frame][column] = frames[frame][column].astype("Int64")
    for (frame, position, column), hide in zip(cells, hidden, strict=True):
        if hide:
            frames[frame].iloc[position, frames[frame].columns.get_loc(column)] = pd.NA
    return frames["log"], frames["reasons"]


def for_readers(path: Path, min_count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The serving load's log and quarantine-by-reason table, protected for non-analysts."""
    return protected_counts(
        inventory.load_log(path), inventory.quarantine_by_reason(path), min_count
    )
