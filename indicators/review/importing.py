"""`config/commentary.yaml` into the store, once: the hand-edited file's last use.

The import is one transaction that also records itself (`imports`: the file,
its SHA-256, who, when, how many), so running it again changes nothing and
says when it ran. Every entry is checked first and every problem reported
together; a file with any refused entry imports nothing.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from indicators.config.spec import Strategy
from indicators.review import rules
from indicators.review.rules import ReviewRefused
from indicators.review.store import ReviewStore, now
from indicators.review.writing import ActionFields, append_narrative, insert_action

SOURCE = "config/commentary.yaml"


@dataclass(frozen=True)
class Imported:
    narratives: int
    actions: int
    already: str | None = None  # when the file was imported before, this run did nothing


def import_commentary(store: ReviewStore, strategy: Strategy, path: Path) -> Imported:
    """Import the narratives and actions of `path` (the YAML list `config/commentary.yaml`
    holds), unless it was imported before. Raises `ReviewRefused` naming every bad entry."""
    data = path.read_bytes()
    entries = _checked(yaml.safe_load(data) or [], strategy)
    digest = hashlib.sha256(data).hexdigest()
    user = getpass.getuser()
    with store.transaction(write=True) as transaction:
        done = transaction.execute("SELECT imported_at FROM imports WHERE source = ?", (SOURCE,))
        if done:
            return Imported(0, 0, already=done[0][0])
        actions = 0
        for indicator_id, period, author, narrative, listed in entries:
            if narrative:
                append_narrative(transaction, indicator_id, period, narrative, author, "import")
            for values in listed:
                insert_action(transaction, indicator_id, period, values, author, "import")
                actions += 1
        narratives = sum(1 for entry in entries if entry[3])
        transaction.execute(
            "INSERT INTO imports (source, sha256, imported_by, imported_at, narratives, actions) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (SOURCE, digest, user, now(), narratives, actions),
        )
    return Imported(narratives, actions)


def _checked(entries: object, strategy: Strategy) -> list[tuple]:
    if not isinstance(entries, list):
        raise ReviewRefused(f"{SOURCE}: expected a list of entries")
    checked, problems = [], []
    today = dt.date.today()
    for number, entry in enumerate(entries, start=1):
        try:
            if not isinstance(entry, dict):
                raise ReviewRefused("not a mapping of indicator, period, narrative, actions")
            author = rules.text(entry.get("author") or SOURCE, "author", rules.NAME_LIMIT)
            listed = entry.get("actions") or []
            if not isinstance(listed, list):
                raise ReviewRefused("actions: expected a list")
            checked.append(
                (
                    rules.indicator(strategy, entry.get("indicator")),
                    rules.period(entry.get("period")),
                    author,
                    rules.text(
                        entry.get("narrative"), "narrative", rules.NARRATIVE_LIMIT, required=False
                    ),
                    [_action(item, today) for item in listed],
                )
            )
        except ReviewRefused as err:
            problems.append(f"{SOURCE}: entry {number}: {err}")
    if problems:
        raise ReviewRefused("\n".join([*problems, "nothing was imported"]))
    return checked


def _action(item: object, today: dt.date) -> tuple:
    """An action as a line of text, or a mapping with action, owner, due_date, status."""
    if isinstance(item, dict):
        fields = ActionFields(
            **{k: item.get(k) for k in ("action", "owner", "due_date")},
            status=item.get("status") or "open",
            closed_date=item.get("closed_date"),
        )
    else:
        fields = ActionFields(str(item))
    return fields.checked(today)
