"""Small SQL-building pieces every module that writes SQL shares."""

from __future__ import annotations

from typing import Any

import duckdb


def quote(identifier: str) -> str:
    """A DuckDB identifier, quoted so any header text is safe as a column name."""
    return '"' + identifier.replace('"', '""') + '"'


def text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> Any:
    """The single value a query returns (fetched whole, so the connection is free again)."""
    return con.execute(query, params or []).fetchall()[0][0]
