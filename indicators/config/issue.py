"""What `check` rules work with: an `Issue`, the `Context` they read, and how to name a line.

Kept apart so rule modules and the runner can share it without importing each other.
An issue is an `error` (the file, or the definition it names, cannot be used: `check`
exits 1, compute refuses the definition, a load stops) or a `warning` (worth fixing,
nothing is refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.config.keys import yaml_keys
from indicators.config.spec import Indicator, LineDict, Strategy, line_of

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One mistake: which item (an indicator id, `strategy`, `aims.ID`, `jsna.ID`, or `-`
    for the file), which field, which line, what is wrong, and how bad it is."""

    kind: str
    indicator_id: str
    field: str
    line: int
    message: str
    severity: str = ERROR

    def format(self, path: Path) -> str:
        where = f"{path.name}:{self.line}: {self.severity}: {self.indicator_id}.{self.field}"
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


def key_issues(mapping: LineDict, model: type, item: str, prefix: str = "") -> Iterator[Issue]:
    """Keys of `mapping` that `model` does not read, and required ones it lacks.

    The keys come from the model's fields (`keys.yaml_key`), the same declaration
    the parser reads, so there is no second list to keep in step.
    """
    keys = yaml_keys(model)
    for key in sorted(set(mapping) - set(keys), key=str):
        yield Issue(
            "unknown_key",
            item,
            f"{prefix}{key}",
            line_of(mapping, str(key)),
            f"unknown key {key!r} (known: {', '.join(keys)})",
        )
    for key in [k for k, required in keys.items() if required and k not in mapping]:
        message = f"required key {key!r} is missing"
        yield Issue("missing_key", item, f"{prefix}{key}", line_of(mapping), message)
