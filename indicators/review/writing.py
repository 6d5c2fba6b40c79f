"""Recording narratives and actions: each save appends a revision, after the checks.

Every write function asks `Writer.may_write` itself, so a call that reaches
it from a page without the editor grant is refused here, whatever the page
drew. A save names the revision its writer saw (`based_on`); when someone
else saved in between, both are kept and `Saved.crossed` says so.

Example: `save_narrative(store, strategy, writer, "requests_decided_3_days",
"2024 H2", "Two vacant posts slowed decisions.", based_on=None)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from indicators.config.spec import Strategy
from indicators.review import rules
from indicators.review.rules import ReviewRefused
from indicators.review.store import ReviewStore, Transaction, now

NO_GRANT = (
    "Writing commentary and actions needs the editor role (ask the data team), or, "
    "with open access, the operator switching writing on ([review] open_writing)."
)


@dataclass(frozen=True)
class Writer:
    """Who is saving (recorded as written), and whether `access.may_write` allowed them."""

    name: str
    may_write: bool


@dataclass(frozen=True)
class Saved:
    """The revision a save added; `crossed` when another save landed after `based_on`."""

    revision_id: int
    crossed: bool = False
    action_id: int | None = None


def _who(writer: Writer) -> str:
    if not writer.may_write:
        raise ReviewRefused(NO_GRANT)
    return rules.text(writer.name, "your name", rules.NAME_LIMIT)


def save_narrative(
    store: ReviewStore,
    strategy: Strategy,
    writer: Writer,
    indicator_id: str,
    period: str,
    narrative: str,
    *,
    based_on: int | None,
    source: str = "app",
) -> Saved:
    """Append a revision of the narrative for an indicator and review period."""
    who = _who(writer)
    indicator_id = rules.indicator(strategy, indicator_id)
    period = rules.period(period)
    written = rules.text(narrative, "narrative", rules.NARRATIVE_LIMIT)
    with store.transaction(write=True) as transaction:
        latest = append_narrative(transaction, indicator_id, period, written, who, source)
    return Saved(latest[0], crossed=latest[1] != based_on)


def append_narrative(
    transaction: Transaction, indicator_id: str, period: str, text: str, who: str, source: str
) -> tuple[int, int | None]:
    """Insert a checked narrative revision: its id, and the revision it follows."""
    rows = transaction.execute(
        "SELECT MAX(revision_id) FROM narrative_revisions WHERE indicator_id = ? AND period = ?",
        (indicator_id, period),
    )
    latest = rows[0][0]
    revision = transaction.insert(
        "INSERT INTO narrative_revisions (indicator_id, period, narrative, based_on, "
        "written_by, written_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (indicator_id, period, text, latest, who, now(), source),
        "revision_id",
    )
    return revision, latest


@dataclass(frozen=True)
class ActionFields:
    """What a person writes about an action; checked by `checked` before any write."""

    action: str
    owner: str | None = None
    due_date: object = None
    status: str = "open"
    closed_date: object = None

    def checked(self, today: dt.date) -> tuple:
        status = rules.status(self.status)
        closed = rules.date(self.closed_date, "closed date")
        return (
            rules.text(self.action, "action", rules.ACTION_LIMIT),
            rules.text(self.owner, "owner", rules.NAME_LIMIT, required=False),
            rules.date(self.due_date, "due date"),
            status,
            rules.closing(status, closed, today),
        )


def add_action(
    store: ReviewStore,
    strategy: Strategy,
    writer: Writer,
    indicator_id: str,
    period: str,
    fields: ActionFields,
    *,
    today: dt.date | None = None,
    source: str = "app",
) -> Saved:
    """Record a new action on an indicator at a review period, with its first revision."""
    who = _who(writer)
    indicator_id = rules.indicator(strategy, indicator_id)
    period = rules.period(period)
    values = fields.checked(today or dt.date.today())
    with store.transaction(write=True) as transaction:
        action_id, revision = insert_action(transaction, indicator_id, period, values, who, source)
    return Saved(revision, action_id=action_id)


def insert_action(
    transaction: Transaction,
    indicator_id: str,
    period: str,
    values: tuple,
    who: str,
    source: str,
) -> tuple[int, int]:
    """Insert a new action and its first revision (checked `values`): both ids."""
    action_id = transaction.insert(
        "INSERT INTO actions (indicator_id, period, created_by, created_at) VALUES (?, ?, ?, ?)",
        (indicator_id, period, who, now()),
        "action_id",
    )
    return action_id, _append_action(transaction, action_id, values, None, who, source)


def change_action(
    store: ReviewStore,
    writer: Writer,
    action_id: int,
    fields: ActionFields,
    *,
    based_on: int | None,
    today: dt.date | None = None,
) -> Saved:
    """Append a revision of an action: new text, owner, due date, or closing it (`done`)."""
    who = _who(writer)
    values = fields.checked(today or dt.date.today())
    with store.transaction(write=True) as transaction:
        rows = transaction.execute(
            "SELECT MAX(revision_id) FROM action_revisions WHERE action_id = ?", (int(action_id),)
        )
        latest = rows[0][0]
        if latest is None:
            raise ReviewRefused(f"action {action_id}: no such action")
        revision = _append_action(transaction, int(action_id), values, latest, who, "app")
    return Saved(revision, crossed=latest != based_on, action_id=int(action_id))


def _append_action(
    transaction: Transaction,
    action_id: int,
    values: tuple,
    latest: int | None,
    who: str,
    source: str,
) -> int:
    return transaction.insert(
        "INSERT INTO action_revisions (action_id, action, owner, due_date, status, "
        "closed_date, based_on, written_by, written_at, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (action_id, *values, latest, who, now(), source),
        "revision_id",
    )
