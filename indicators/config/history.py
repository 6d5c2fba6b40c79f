"""The history of definitions saved from the workbench: the file before each save, and a log.

Every save keeps the whole file as it was in `history/` beside it and
appends who saved which definition when to `history/log.jsonl`; the
catalogue lists those entries. Kept apart from `saving` so a page can read
the log without importing the checker that saving runs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd

HISTORY_DIR = "history"
HISTORY_LOG = "log.jsonl"


def _slug(who: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", who)[:60] or "unknown"


def keep_history(config_path: Path, indicator_id: str, who: str, now: dt.datetime) -> Path:
    """Copy the current file into `history/` and log who saved which definition when."""
    folder = config_path.parent / HISTORY_DIR
    folder.mkdir(exist_ok=True)
    kept = folder / f"{config_path.stem}-{now:%Y%m%dT%H%M%S%f}-{_slug(who)}{config_path.suffix}"
    shutil.copy2(config_path, kept)
    entry = {
        "when": now.isoformat(timespec="seconds"),
        "who": who,
        "indicator_id": indicator_id,
        "file": config_path.name,
        "previous": kept.name,
    }
    with (folder / HISTORY_LOG).open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")
    return kept


def changes_since(config_path: Path, since: dt.date) -> pd.DataFrame:
    """The definitions saved into `config_path` from the workbench on or after `since`:
    when, who and which indicator, newest first (the catalogue's list of changes)."""
    log = config_path.parent / HISTORY_DIR / HISTORY_LOG
    columns = ["when", "who", "indicator_id"]
    if not log.exists():
        return pd.DataFrame(columns=columns)
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
    frame = pd.DataFrame(
        [e for e in entries if e.get("file") == config_path.name], columns=[*columns, "file"]
    )
    frame = frame[frame["when"].str[:10] >= since.isoformat()]
    return frame[columns].sort_values("when", ascending=False).reset_index(drop=True)
