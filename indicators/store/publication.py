"""Read the publication the serving load built: pages, packs and downloads only read here.

Every figure was computed, judged and protected at load
(`indicators.publish`); a page asks for the rows of one table that match
its selection (`read(warehouse, "tiles", period=..., area_code=...)`), one
small parameterised query, through the process's one sandboxed reader.
Table and column names come from this code, never from a reader; values are
always parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators.publish.tables import PREFIX, PUBLICATION_VERSION
from indicators.store.readers import connect
from indicators.store.sql import quote


@dataclass(frozen=True)
class PublicationInfo:
    load_id: str
    version: int
    built: pd.Timestamp
    seconds: float
    config_file: str
    config_sha256: str


def info(warehouse: Path) -> PublicationInfo | None:
    """The publication's record, or None for a warehouse built without one."""
    with connect(warehouse) as con:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            [f"{PREFIX}info"],
        ).fetchall()[0][0]
        if not found:
            return None
        row = con.execute(f"SELECT * FROM {quote(PREFIX + 'info')}").df().iloc[0]  # noqa: S608
    return PublicationInfo(**row.to_dict())


def is_current(warehouse: Path) -> bool:
    """Whether `warehouse` holds a publication in the shapes this code reads."""
    found = info(warehouse)
    return found is not None and found.version == PUBLICATION_VERSION


def read(warehouse: Path, table: str, *, order_by: tuple[str, ...] = (), **equal) -> pd.DataFrame:
    """The rows of `publication_<table>` whose columns equal `equal`, in `order_by` order.

    Example: `read(path, "wards", indicator_id="requests_per_10k", period="2024 H2")`.
    """
    where = " AND ".join(f"{quote(column)} = ?" for column in equal)
    order = ", ".join(quote(column) for column in order_by)
    # Identifiers come from this code and are quoted; every value is a parameter.
    sql = f"SELECT * FROM {quote(PREFIX + table)}"  # noqa: S608
    sql += f" WHERE {where}" if where else ""
    sql += f" ORDER BY {order}" if order else ""
    with connect(warehouse) as con:
        return con.execute(sql, list(equal.values())).df()
