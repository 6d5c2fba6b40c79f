"""The review store on PostgreSQL (the parity tests' throwaway server) gives what SQLite
gives: the same narratives, actions and history, concurrent saves kept, no edits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from engine_servers import EngineUnavailable, postgres_server
from review_helpers import DROP, INDICATOR, LEAD, PERIOD, SCRIPT, STRATEGY

from indicators.review import reading, writing
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore

TIMES = ["written_at", "created_at"]


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    try:
        with postgres_server() as running:
            yield running
    except EngineUnavailable as reason:
        pytest.skip(f"postgres cannot run here: {reason}")


def _write(store: ReviewStore) -> None:
    first = writing.save_narrative(store, STRATEGY, LEAD, INDICATOR, PERIOD, SCRIPT, based_on=None)
    writing.save_narrative(
        store, STRATEGY, LEAD, INDICATOR, PERIOD, "Second.", based_on=first.revision_id
    )
    added = writing.add_action(
        store, STRATEGY, LEAD, INDICATOR, PERIOD, writing.ActionFields(DROP, "o", "2025-01-31")
    )
    writing.change_action(
        store,
        LEAD,
        added.action_id,
        writing.ActionFields(DROP, "o", "2025-01-31", "done", "2025-01-20"),
        based_on=added.revision_id,
    )


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the times (and so in one order: changes in one second may come either way)."""
    frame = frame.drop(columns=[c for c in TIMES if c in frame])
    frame = frame.sort_values(list(frame.columns), key=lambda c: c.astype(str)).reset_index(
        drop=True
    )
    return frame.astype(object).where(frame.notna(), None)


def test_postgres_gives_what_sqlite_gives(dsn: str, tmp_path: Path) -> None:
    postgres = ReviewStore(StoreSettings(tmp_path / "unused", dsn=dsn))
    sqlite = ReviewStore(StoreSettings(tmp_path / "review.sqlite"))
    for store in (postgres, sqlite):
        _write(store)
    for reader in (reading.narratives, reading.actions):
        pd.testing.assert_frame_equal(_comparable(reader(postgres)), _comparable(reader(sqlite)))
    pd.testing.assert_frame_equal(
        _comparable(reading.history(postgres, INDICATOR)),
        _comparable(reading.history(sqlite, INDICATOR)),
    )
    import psycopg

    with psycopg.connect(dsn) as raw, pytest.raises(psycopg.Error, match="append-only"):
        raw.execute("DELETE FROM action_revisions")


def test_concurrent_saves_on_postgres_keep_both(dsn: str, tmp_path: Path) -> None:
    store = ReviewStore(StoreSettings(tmp_path / "unused", dsn=dsn))
    other = next(i.id for i in STRATEGY.indicators if i.id != INDICATOR)
    start = threading.Barrier(6)

    def save(number: int) -> None:
        start.wait()
        writing.save_narrative(
            store, STRATEGY, LEAD, other, PERIOD, f"text {number}", based_on=None
        )

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = reading.history(store, other)
    assert sorted(history["after"]) == [f"text {n}" for n in range(6)]
