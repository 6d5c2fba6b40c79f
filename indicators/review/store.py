"""One connection per transaction to the review store, SQLite (WAL) or PostgreSQL.

Writers take the write lock first (`BEGIN IMMEDIATE` on SQLite, and wait up
to `BUSY_SECONDS` for it), so two people saving at once both commit, one
after the other. Reading a store that does not exist yet returns nothing and
creates no file: the pages read it on every run, and a deployment (or a
test's shared warehouse folder) gains a store only when someone writes.
SQL is fixed text with `?` placeholders; values are always bound.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from indicators.review import schema
from indicators.review.settings import StoreSettings

BUSY_SECONDS = 30
_MADE: set[str] = set()  # stores whose tables this process has made sure of


class StoreUnavailable(RuntimeError):
    """The store cannot be opened (a folder that cannot be written, a server down)."""


def now() -> str:
    """The time a change is recorded: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Transaction:
    """Bound statements inside one transaction; `?` placeholders on both dialects."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self._connection, self.dialect = connection, dialect

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cursor = self._connection.execute(self._sql(sql), tuple(params))
        return cursor.fetchall() if cursor.description else []

    def insert(self, sql: str, params: Sequence[Any], key: str) -> int:
        """Run an INSERT and return the new row's `key` (its auto-numbered id)."""
        (row,) = self.execute(f"{sql} RETURNING {key}", params)
        return int(row[0])

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cursor = self._connection.execute(self._sql(sql), tuple(params))
        columns = [c[0] for c in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=columns)


class ReviewStore:
    """The store named by `settings`; open a `transaction()` to read or write."""

    def __init__(self, settings: StoreSettings) -> None:
        self.settings = settings
        self.dialect = "postgres" if settings.dsn else "sqlite"

    def exists(self) -> bool:
        """False for a SQLite store nobody has written to yet (PostgreSQL always exists)."""
        return self.dialect == "postgres" or self.settings.path.is_file()

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Transaction]:
        """A transaction, committed when the block ends and rolled back if it raises."""
        if not write and not self.exists():
            raise FileNotFoundError(self.settings.path)
        opened = self._postgres if self.dialect == "postgres" else self._sqlite
        with opened(write) as connection:
            done = Transaction(connection, self.dialect)
            if self.settings.where not in _MADE:
                self._make(done)
            yield done

    def _make(self, transaction: Transaction) -> None:
        if self.dialect == "postgres":  # concurrent CREATEs of one table clash on PostgreSQL
            transaction.execute("SELECT pg_advisory_xact_lock(20201001)")
        for statement in schema.statements(self.dialect):
            transaction.execute(statement)
        if not transaction.execute("SELECT version FROM store_info"):
            transaction.execute(
                "INSERT INTO store_info (version, created_at) VALUES (?, ?)",
                (schema.VERSION, now()),
            )
        _MADE.add(self.settings.where)

    @contextmanager
    def _sqlite(self, write: bool) -> Iterator[sqlite3.Connection]:
        if write:
            self.settings.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(
                self.settings.path, timeout=BUSY_SECONDS, isolation_level=None
            )
        except sqlite3.Error as err:
            raise StoreUnavailable(f"review store {self.settings.where}: {err}") from None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()

    @contextmanager
    def _postgres(self, write: bool) -> Iterator[Any]:
        import psycopg

        try:
            connection = psycopg.connect(self.settings.dsn)
        except psycopg.OperationalError as err:
            raise StoreUnavailable(f"review store {self.settings.where}: {err}") from None
        with connection:  # commits, or rolls back
            connection.execute(f"SET lock_timeout = '{BUSY_SECONDS}s'")
            yield connection

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame | None:
        """The rows of one read, or None when the store does not exist yet."""
        if not self.exists():
            return None
        with self.transaction() as transaction:
            return transaction.frame(sql, params)
