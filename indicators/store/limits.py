"""Bounds on analysts' SQL: how long one query may run and how much memory the reader may use.

An analyst's definition is trusted to say what to count, not to decide what
the server spends: a `where` that cross-joins a huge range must stop, with a
message naming the indicator, rather than hold a dashboard or a load hostage.
The time limit is enforced per query by interrupting its cursor from a timer;
the memory and spill limits are set once on the process's read connection
(`store`). All three can be changed through the environment:

- `EARLY_HELP_QUERY_SECONDS` (default 120): one analyst query's wall time;
- `EARLY_HELP_QUERY_MEMORY` (default 2GB): DuckDB's memory for the reader;
- `EARLY_HELP_QUERY_SPILL` (default 4GB): what it may spill to its temporary folder.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import duckdb

T = TypeVar("T")


@dataclass(frozen=True)
class QueryLimits:
    """`seconds` per analyst query; `memory` and `spill` as DuckDB sizes (e.g. `2GB`)."""

    seconds: float = 120.0
    memory: str = "2GB"
    spill: str = "4GB"


def query_limits() -> QueryLimits:
    """The limits this process runs analysts' SQL under (from the environment, else defaults)."""
    default = QueryLimits()
    return QueryLimits(
        seconds=float(os.environ.get("EARLY_HELP_QUERY_SECONDS", default.seconds)),
        memory=os.environ.get("EARLY_HELP_QUERY_MEMORY", default.memory),
        spill=os.environ.get("EARLY_HELP_QUERY_SPILL", default.spill),
    )


class QueryStopped(Exception):
    """An analyst query went past a limit; the message names what was running and which limit."""


@contextmanager
def stop_after(seconds: float, stop: Callable[[], None]) -> Iterator[threading.Event]:
    """Call `stop` (e.g. a cursor's `interrupt`) if the block runs past `seconds`.

    Yields an event that is set when the timer fired, so the caller can tell
    a stop it caused from any other failure.
    """
    fired = threading.Event()

    def fire() -> None:
        fired.set()
        stop()

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def past_time_limit(what: str, limits: QueryLimits) -> str:
    """The message for a query stopped at the time limit (the same on every engine)."""
    return (
        f"{what}: stopped after {limits.seconds:g} s, the time limit for one query "
        "(EARLY_HELP_QUERY_SECONDS)"
    )


def bounded(
    cursor: duckdb.DuckDBPyConnection,
    what: str,
    run: Callable[[duckdb.DuckDBPyConnection], T],
    limits: QueryLimits | None = None,
) -> T:
    """`run(cursor)` within the time limit; a query past a limit raises `QueryStopped`.

    `what` names the work for the message, e.g. `indicator requests_per_10k`.
    Example: `bounded(cur, "indicator x", lambda c: c.execute(sql).df())`.
    """
    limits = limits or query_limits()
    with stop_after(limits.seconds, cursor.interrupt) as fired:
        try:
            return run(cursor)
        except duckdb.InterruptException:
            if not fired.is_set():
                raise
            raise QueryStopped(past_time_limit(what, limits)) from None
        except duckdb.OutOfMemoryException:
            raise QueryStopped(
                f"{what}: stopped, it needed more than the {limits.memory} memory limit "
                f"(EARLY_HELP_QUERY_MEMORY) and {limits.spill} of spill (EARLY_HELP_QUERY_SPILL)"
            ) from None
