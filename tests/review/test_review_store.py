"""The review store on SQLite: revisions appended, refusals in words, concurrent saves kept,
and a reload of the warehouse leaving every note and action."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from review_helpers import DROP, INDICATOR, LEAD, PERIOD, SCRIPT, STRATEGY

from indicators.load.warehouse import build_warehouse
from indicators.paths import PROJECT_ROOT
from indicators.review import reading, writing
from indicators.review.rules import ReviewRefused
from indicators.review.settings import STORE_FILE, StoreSettings, store_settings
from indicators.review.store import ReviewStore


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    return ReviewStore(StoreSettings(tmp_path / "review.sqlite"))


def test_reading_a_store_nobody_wrote_gives_nothing_and_creates_no_file(store) -> None:
    assert reading.narratives(store).empty and reading.actions(store).empty
    assert reading.history(store, INDICATOR).empty
    assert not store.settings.path.exists()


def test_every_change_is_a_revision_with_who_when_before_and_after(store) -> None:
    first = writing.save_narrative(store, STRATEGY, LEAD, INDICATOR, PERIOD, SCRIPT, based_on=None)
    editor = writing.Writer("chair@council.example", may_write=True)
    writing.save_narrative(
        store, STRATEGY, editor, INDICATOR, PERIOD, "Rewritten.", based_on=first.revision_id
    )
    added = writing.add_action(
        store, STRATEGY, LEAD, INDICATOR, PERIOD, writing.ActionFields(DROP, "Owner", "2025-01-31")
    )
    writing.change_action(
        store,
        editor,
        added.action_id,
        writing.ActionFields(DROP, "Owner", "2025-01-31", "done", "2025-01-15"),
        based_on=added.revision_id,
    )
    (note,) = reading.narratives(store).itertuples()
    assert (note.narrative, note.written_by) == ("Rewritten.", "chair@council.example")
    (action,) = reading.actions(store).itertuples()
    assert (action.action, action.status, action.closed_date) == (DROP, "done", "2025-01-15")
    history = reading.history(store, INDICATOR)
    narrative = history[history["field"] == "narrative"]
    assert list(narrative["before"].fillna("")) == [SCRIPT, ""]
    assert list(narrative["after"]) == ["Rewritten.", SCRIPT]
    status = history[history["field"] == "status"]
    assert (list(status["before"]), list(status["after"])) == (["open"], ["done"])
    assert list(status["written_by"]) == ["chair@council.example"]
    (added,) = history.loc[history["field"] == "new action", "after"]
    assert added == f"{DROP} (owner: Owner; due 2025-01-31; open)"
    with sqlite3.connect(store.settings.path) as raw:  # nobody, however they connect, edits
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        for sql in ("UPDATE narrative_revisions SET narrative = 'x'", "DELETE FROM actions"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(sql)


def _narrative(store, indicator=INDICATOR, period=PERIOD):
    return writing.save_narrative(store, STRATEGY, LEAD, indicator, period, "x", based_on=None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: writing.save_narrative(
                s, STRATEGY, LEAD, "no_such", PERIOD, "x", based_on=None
            ),
            "indicator: 'no_such' is not an indicator of the strategy",
        ),
        (
            lambda s: writing.save_narrative(
                s, STRATEGY, LEAD, INDICATOR, "2024", "x", based_on=None
            ),
            "period: '2024' is not a review period; write it as e.g. '2024 H2'",
        ),
        (
            lambda s: writing.add_action(
                s, STRATEGY, LEAD, INDICATOR, PERIOD, writing.ActionFields("a", due_date="31/03/25")
            ),
            "due date: '31/03/25' is not a date; write it as YYYY-MM-DD",
        ),
        (
            lambda s: writing.save_narrative(
                s, STRATEGY, LEAD, INDICATOR, PERIOD, "x" * 4001, based_on=None
            ),
            "narrative: 4,001 characters is over the limit of 4,000",
        ),
        (
            lambda s: writing.add_action(
                s, STRATEGY, LEAD, INDICATOR, PERIOD, writing.ActionFields("a", status="closed")
            ),
            "status: 'closed' is not one of open, done",
        ),
        (
            lambda s: writing.save_narrative(
                s, STRATEGY, writing.Writer("reader", False), INDICATOR, PERIOD, "x", based_on=None
            ),
            "needs the editor role",
        ),
    ],
)
def test_a_bad_change_is_refused_in_words_and_writes_nothing(store, change, message) -> None:
    with pytest.raises(ReviewRefused) as refused:
        change(store)
    assert message in str(refused.value)
    assert reading.narratives(store).empty and reading.actions(store).empty


def test_two_people_saving_at_once_both_keep_their_writes(store) -> None:
    start = threading.Barrier(8)
    saved: list[writing.Saved] = []

    def save(number: int) -> None:
        person = writing.Writer(f"person {number}", may_write=True)
        start.wait()
        saved.append(
            writing.save_narrative(
                store, STRATEGY, person, INDICATOR, PERIOD, f"text {number}", based_on=None
            )
        )
        writing.add_action(
            store, STRATEGY, person, INDICATOR, PERIOD, writing.ActionFields(f"do {number}")
        )

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = reading.history(store, INDICATOR)
    assert sorted(history.loc[history["field"] == "narrative", "after"]) == [
        f"text {n}" for n in range(8)
    ]
    assert sorted(reading.actions(store)["action"]) == [f"do {n}" for n in range(8)]
    assert sum(s.crossed for s in saved) == 7  # every save but the first crossed another


WRITER_PROCESS = """
import sys
from indicators.config import spec
from indicators.paths import CONFIG_PATH
from indicators.review import writing
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore
strategy = spec.load_strategy(CONFIG_PATH)
store = ReviewStore(StoreSettings(__import__("pathlib").Path(sys.argv[1])))
person = writing.Writer(sys.argv[2], may_write=True)
for n in range(20):
    writing.add_action(store, strategy, person, sys.argv[3], "2024 H2",
                       writing.ActionFields(f"{sys.argv[2]} {n}"))
"""


def test_two_processes_writing_at_once_keep_every_action(store) -> None:
    runs = [
        subprocess.Popen(  # noqa: S603 (this interpreter, a fixed script)
            [sys.executable, "-c", WRITER_PROCESS, str(store.settings.path), who, INDICATOR],
            cwd=PROJECT_ROOT,
            env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
        )
        for who in ("ann", "bob")
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    kept = reading.actions(store)
    assert len(kept) == 40 and kept["action_id"].is_unique
    assert set(kept["created_by"]) == {"ann", "bob"}


def test_a_reload_of_the_warehouse_leaves_every_note_and_action(
    demo_load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(demo_load.warehouse, warehouse)
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("EARLY_HELP_REVIEW_STORE", raising=False)
    settings = store_settings({})
    assert settings.path == warehouse.parent / STORE_FILE  # beside the warehouse by default
    store = ReviewStore(settings)
    writing.save_narrative(store, STRATEGY, LEAD, INDICATOR, PERIOD, "Kept.", based_on=None)
    writing.add_action(store, STRATEGY, LEAD, INDICATOR, PERIOD, writing.ActionFields("Kept"))
    before = {p.name: p.read_bytes() for p in warehouse.parent.glob(f"{STORE_FILE}*")}
    build_warehouse(demo_load.extracts, warehouse, progress=lambda *_: None)
    after = {p.name: p.read_bytes() for p in warehouse.parent.glob(f"{STORE_FILE}*")}
    assert after == before
    assert list(reading.narratives(store)["narrative"]) == ["Kept."]
    assert list(reading.actions(store)["action"]) == ["Kept"]
