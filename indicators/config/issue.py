"""What `check` rules work with: an `Issue`, the `Context` they read, and how to name a line.

Kept apart so rule modules and the runner can share it without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.config.spec import Indicator, LineDict, Strategy, line_of


@dataclass(frozen=True)
class Issue:
    """One mistake: which indicator, which field, which line, what is wrong."""

    kind: str
    indicator_id: str
    field: str
    line: int
    message: str

    def format(self, path: Path) -> str:
        where = f"{path.name}:{self.line}: {self.indicator_id}.{self.field}"
        return f"{where}: {self.message} [{self.kind}]"


@dataclass
class Context:
    """What the rules may consult: the parsed file and, if there is one, the warehouse."""

    strategy: Strategy
    schema: dict[str, dict[str, str]] | None
    con: duckdb.DuckDBPyConnection | None


Rule = Callable[[Context], Iterator[Issue]]


def issue(
    kind: str,
    indicator: Indicator,
    field: str,
    message: str,
    mapping: LineDict | None = None,
    key: str | None = None,
) -> Issue:
    where = mapping if mapping is not None else indicator.raw
    return Issue(
        kind, indicator.id or "?", field, line_of(where, key or field.split(".")[-1]), message
    )
