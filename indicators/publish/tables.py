"""Write the publication into the new warehouse: one `publication_*` table per frame.

The tables live in the same file as the data they were computed from, so a
load swaps figures and data in together, and "the figures the board saw" are
the tables of that load's file. `publication_info` names the load, the
config the figures were computed under (its SHA-256) and the version of the
tables' shapes, which the read side (`indicators.store.publication`) checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from indicators.store.sql import quote

PREFIX = "publication_"
# Raise when a table is added or a column changes: a warehouse built by an older
# version is then rebuilt by `ensure` and named on the pages, never misread.
PUBLICATION_VERSION = 4


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns that hold only None are typed as text, so DuckDB can store them."""
    empty_text = [c for c in frame.columns if frame[c].dtype == object and frame[c].isna().all()]
    return frame.astype(dict.fromkeys(empty_text, "string")) if empty_text else frame


def write_publication(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pd.DataFrame],
    *,
    load_id: str,
    config_path: Path,
    seconds: float,
) -> None:
    """Create `publication_<name>` for every frame and `publication_info`, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    for name, frame in frames.items():
        con.register("publication_frame", _storable(frame))
        table = quote(PREFIX + name)  # names come from `build_publication_frames`, quoted
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM publication_frame")  # noqa: S608
        con.unregister("publication_frame")
    con.execute(
        f"""CREATE TABLE {PREFIX}info AS SELECT ? AS load_id, ? AS version, ? AS built,
            ? AS seconds, ? AS config_file, ? AS config_sha256""",
        [
            load_id,
            PUBLICATION_VERSION,
            dt.datetime.now(),
            seconds,
            str(config_path),
            hashlib.sha256(config_path.read_bytes()).hexdigest(),
        ],
    )
    con.execute("COMMIT")
