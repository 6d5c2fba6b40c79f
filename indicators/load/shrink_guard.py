"""Stop a load whose kept rows of a table collapse, before it is swapped in.

A requests file exported with dd/mm/yyyy dates quarantines every row; the
load itself succeeds, and without this guard the near-empty warehouse would
replace a good one and every page would go blank. Two rules, checked after
the new warehouse is built and before the swap:

* a table keeps no row at all from a file that has rows;
* a table keeps fewer than `min_kept_share` (default half) of the rows the
  serving load kept for it.

The operator overrides both with `accept_shrink` (`--accept-shrink`) when a
table really did shrink. The message names the table, both counts and the
override, and the commonest quarantine reason so the cause is in sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.load.errors import LoadError

DEFAULT_MIN_KEPT_SHARE = 0.5


@dataclass(frozen=True)
class TableCount:
    """Rows of one extract as a load counted them."""

    table_name: str
    file: str
    rows_read: int
    rows_kept: int


def serving_counts(warehouse: Path) -> dict[str, int]:
    """Rows kept per table by the load now serving (empty when nothing serves yet)."""
    if not warehouse.exists():
        return {}
    # Attached to a connection of its own rather than opened: a process that already
    # reads the warehouse with other settings (the dashboard's sandboxed reader) would
    # make a plain second open fail.
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS serving (READ_ONLY)", [str(warehouse)])
        rows = con.execute(
            "SELECT table_name, rows_kept FROM serving.load_log WHERE kind = 'extract'"
        ).fetchall()
    except duckdb.Error as err:
        raise LoadError(
            f"{warehouse}: cannot read the serving load's row counts to compare with ({err}); "
            "to replace it anyway, run the load again with --accept-shrink"
        ) from None
    finally:
        con.close()
    return dict(rows)


def collapsed(
    counts: list[TableCount], serving: dict[str, int], min_kept_share: float
) -> list[tuple[TableCount, int | None]]:
    """The tables that collapsed, each with the serving load's kept rows (None: zero rule)."""
    found = []
    for count in counts:
        before = serving.get(count.table_name)
        emptied = count.rows_read > 0 and count.rows_kept == 0
        if emptied or (before and count.rows_kept < min_kept_share * before):
            found.append((count, before))
    return found


def check_kept_share(
    con: duckdb.DuckDBPyConnection,
    counts: list[TableCount],
    serving: dict[str, int],
    min_kept_share: float,
) -> None:
    """Raise `LoadError` naming every table whose kept rows collapsed."""
    problems = []
    for count, before in collapsed(counts, serving, min_kept_share):
        was = (
            f"; the serving load kept {before:,}"
            if before is not None
            else "; nothing is serving to compare with"
        )
        problems.append(
            f"{count.table_name}: {count.rows_kept:,} of {count.rows_read:,} rows kept from "
            f"{count.file}{was} (the least a load may keep is {min_kept_share:.0%} of the "
            f"serving load's rows, and never none){_commonest_reason(con, count.table_name)}"
        )
    if problems:
        raise LoadError(
            "\n".join(problems) + "\nnothing was swapped in; if the extracts really shrank, "
            "run the load again with --accept-shrink"
        )


def _commonest_reason(con: duckdb.DuckDBPyConnection, table_name: str) -> str:
    row = con.execute(
        'SELECT "column", reason, count(*) FROM quarantine WHERE table_name = ? '
        "GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1",
        [table_name],
    ).fetchall()
    if not row:
        return ""
    column, reason, rows = row[0]
    where = f"{column} " if column else ""
    return f"; commonest quarantine reason: {where}{reason} ({rows:,} rows)"
