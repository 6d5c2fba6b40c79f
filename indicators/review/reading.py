"""What the store holds now, and how it got there: frames for pages, the pack and exports.

The current narrative or action is its latest revision. A store nobody has
written to yet gives empty frames with the same columns, so every reader
works before the first save (and nothing falls back to the YAML file).
"""

from __future__ import annotations

import pandas as pd

from indicators.review.store import ReviewStore

NARRATIVE_COLUMNS = [
    "indicator_id", "period", "narrative", "revision_id", "written_by", "written_at",
]  # fmt: skip
ACTION_COLUMNS = [
    "action_id", "indicator_id", "period", "action", "owner", "due_date", "status",
    "closed_date", "revision_id", "created_by", "created_at", "written_by", "written_at",
]  # fmt: skip
HISTORY_COLUMNS = ["period", "item", "field", "before", "after", "written_by", "written_at"]
ACTION_FIELDS = ("action", "owner", "due_date", "status", "closed_date")


def action_line(row: pd.Series) -> str:
    """`Recruit to both posts (owner: Service manager; due 2025-03-31; open)`."""
    details = [f"owner: {row['owner']}"] if isinstance(row["owner"], str) else []
    if isinstance(row["due_date"], str):
        details.append(f"due {row['due_date']}")
    details.append(f"done {row['closed_date']}" if row["status"] == "done" else str(row["status"]))
    return f"{row['action']} ({'; '.join(details)})"


def _read(store: ReviewStore, sql: str, params: tuple, columns: list[str]) -> pd.DataFrame:
    frame = store.frame(sql, params)
    return pd.DataFrame(columns=columns) if frame is None else frame[columns]


def _where(indicator_id: str | None, period: str | None, alias: str) -> tuple[str, tuple]:
    clauses, params = [], []
    for column, value in (("indicator_id", indicator_id), ("period", period)):
        if value is not None:
            clauses.append(f"{alias}.{column} = ?")
            params.append(value)
    return (" AND " + " AND ".join(clauses) if clauses else ""), tuple(params)


def narratives(
    store: ReviewStore, indicator_id: str | None = None, period: str | None = None
) -> pd.DataFrame:
    """The current narrative per indicator and review period (optionally one of each)."""
    where, params = _where(indicator_id, period, "n")
    sql = (
        "SELECT n.* FROM narrative_revisions n WHERE n.revision_id = ("  # noqa: S608 (fixed text)
        "SELECT MAX(m.revision_id) FROM narrative_revisions m "
        "WHERE m.indicator_id = n.indicator_id AND m.period = n.period)"
        f"{where} ORDER BY n.indicator_id, n.period"
    )
    return _read(store, sql, params, NARRATIVE_COLUMNS)


def actions(
    store: ReviewStore, indicator_id: str | None = None, period: str | None = None
) -> pd.DataFrame:
    """Every action as it stands now (its latest revision), oldest first."""
    where, params = _where(indicator_id, period, "a")
    sql = (
        "SELECT a.action_id, a.indicator_id, a.period, r.action, r.owner, r.due_date, "  # noqa: S608 (fixed text)
        "r.status, r.closed_date, r.revision_id, a.created_by, a.created_at, r.written_by, "
        "r.written_at FROM actions a JOIN action_revisions r ON r.action_id = a.action_id "
        "WHERE r.revision_id = (SELECT MAX(s.revision_id) FROM action_revisions s "
        f"WHERE s.action_id = a.action_id){where} ORDER BY a.action_id"
    )
    return _read(store, sql, params, ACTION_COLUMNS)


def history(store: ReviewStore, indicator_id: str) -> pd.DataFrame:
    """Every change to an indicator's narratives and actions, newest first: who, when,
    which field, and its text before and after."""
    changes = [_narrative_history(store, indicator_id), _action_history(store, indicator_id)]
    frame = pd.concat([c for c in changes if len(c)] or [changes[0]], ignore_index=True)
    return frame.sort_values("written_at", ascending=False, kind="stable")[HISTORY_COLUMNS]


def _narrative_history(store: ReviewStore, indicator_id: str) -> pd.DataFrame:
    rows = store.frame(
        "SELECT * FROM narrative_revisions WHERE indicator_id = ? ORDER BY revision_id",
        (indicator_id,),
    )
    if rows is None or rows.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    rows["before"] = rows.groupby("period")["narrative"].shift()
    rows["after"], rows["item"], rows["field"] = rows["narrative"], "narrative", "narrative"
    return rows.iloc[::-1][HISTORY_COLUMNS]


def _action_history(store: ReviewStore, indicator_id: str) -> pd.DataFrame:
    rows = store.frame(
        "SELECT a.period, r.* FROM action_revisions r JOIN actions a "
        "ON a.action_id = r.action_id WHERE a.indicator_id = ? ORDER BY r.revision_id",
        (indicator_id,),
    )
    if rows is None or rows.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    first = rows.groupby("action_id").cumcount() == 0
    added = rows[first].assign(
        field="new action", before=None, after=[action_line(r) for _, r in rows[first].iterrows()]
    )
    changed = [added]
    for field in ACTION_FIELDS:  # then each field a later revision changed
        before = rows.groupby("action_id")[field].shift()
        moved = ~first & (before.fillna("") != rows[field].fillna(""))
        part = rows[moved]
        changed.append(part.assign(field=field, before=before[moved], after=part[field]))
    frame = pd.concat(changed).sort_values("revision_id", ascending=False, kind="stable")
    frame["item"] = "action " + frame["action_id"].astype(int).astype(str)
    return frame[HISTORY_COLUMNS]
