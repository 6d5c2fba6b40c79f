"""The one way to read a warehouse: `connect(path)`, a cursor of the process's sandboxed reader.

DuckDB keeps settings per database instance, and `duckdb.connect(path)` hands
every caller in a process the same instance: two callers that each tried to
sandbox "their" connection collided ("configuration has been locked") under
concurrent sessions. So the sandbox is set up once, here, and everything that
reads the serving warehouse (compute, check, the monthly series, the flow,
the warehouse page's frames) borrows a cursor from it with `connect(path)`.
Only trusted code that copies tables out to files (the Parquet export for
other engines) asks for `connect(path, sandboxed=False)`: a private
read-only connection with file access, never given analysts' SQL. The loader
writing a new warehouse keeps its own writable connection
(`indicators.load.warehouse`).

The connection is an in-memory DuckDB that attaches the warehouse file
read-only and then switches external access off and locks its configuration:
no query through it can read or write files, attach or detach databases, or
lift the limits of `limits.query_limits()`. Attaching (rather than opening
the path) keeps it apart from DuckDB's per-path instance cache, so a loader
or exporter elsewhere in the process keeps its own settings.

A load swaps a new file in under the same path (a new inode): the next
`connect` opens a connection to the new file, and the old one is closed once
its last cursor is returned, so a query under way finishes on the load it
started on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.load.staging import LoadError
from indicators.store.limits import query_limits
from indicators.store.sql import text

CATALOG = "warehouse"


@dataclass
class _Reader:
    """One open warehouse file: its identity, its connection and how many cursors are out."""

    identity: tuple[int, int, int]
    connection: duckdb.DuckDBPyConnection
    spill: Path
    cursors: int = 0
    retired: bool = False


_lock = threading.Lock()
_readers: dict[str, _Reader] = {}


def _identity(path: Path) -> tuple[int, int, int]:
    """Device, inode and modification time: a swapped-in load differs in at least the inode."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise LoadError(
            f"{path}: no warehouse yet; run `python -m indicators load DIR` first"
        ) from None
    return stat.st_dev, stat.st_ino, stat.st_mtime_ns


def sandboxed_connection(path: Path, spill: Path) -> duckdb.DuckDBPyConnection:
    """A new in-memory connection with `path` attached read-only, files off, settings locked.

    DuckDB may spill to `spill` (a private folder), up to the spill limit.
    """
    limits = query_limits()
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {text(str(path))} AS {CATALOG} (READ_ONLY)")
        con.execute(f"USE {CATALOG}")
        con.execute(f"SET temp_directory = {text(str(spill))}")
        con.execute(f"SET memory_limit = {text(limits.memory)}")
        con.execute(f"SET max_temp_directory_size = {text(limits.spill)}")
        con.execute("SET enable_progress_bar = false")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def _borrow(path: Path) -> _Reader:
    key = os.path.realpath(path)
    identity = _identity(Path(key))
    with _lock:
        reader = _readers.get(key)
        if reader is None or reader.identity != identity:
            if reader is not None:
                _retire(reader)
            spill = Path(tempfile.mkdtemp(prefix="early-help-spill-"))
            reader = _Reader(identity, sandboxed_connection(Path(key), spill), spill)
            _readers[key] = reader
        reader.cursors += 1
        return reader


def _retire(reader: _Reader) -> None:
    """Close a replaced reader now if idle, else when its last cursor comes back (lock held)."""
    reader.retired = True
    if reader.cursors == 0:
        _close(reader)


def _close(reader: _Reader) -> None:
    reader.connection.close()
    shutil.rmtree(reader.spill, ignore_errors=True)


def _give_back(reader: _Reader) -> None:
    with _lock:
        reader.cursors -= 1
        if reader.retired and reader.cursors == 0:
            _close(reader)


def release(path: Path) -> None:
    """Close the process's reader of `path` (once its cursors are back): the loader reads a
    new file through the store, then must open it again alone to write to it."""
    with _lock:
        reader = _readers.pop(os.path.realpath(path), None)
        if reader is not None:
            _retire(reader)


@contextmanager
def connect(path: Path, *, sandboxed: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read the warehouse at `path`; raises `LoadError` when there is none.

    Sandboxed (the default, for everything that serves or runs analysts' SQL):
    a cursor on the process's one sandboxed connection, for one thread's use.
    ``sandboxed=False``: a private read-only connection to the file with file
    access, closed on leaving, for trusted code that writes tables out to files.
    Example: `with connect(warehouse) as cur: cur.execute("SELECT count(*) FROM requests")`.
    """
    if not sandboxed:
        _identity(Path(path))
        private = duckdb.connect(str(path), read_only=True)
        try:
            yield private
        finally:
            private.close()
        return
    reader = _borrow(Path(path))
    try:
        with _lock:
            cursor = reader.connection.cursor()
        try:
            cursor.execute(f"USE {CATALOG}")
            yield cursor
        finally:
            with _lock:
                cursor.close()
    finally:
        _give_back(reader)
