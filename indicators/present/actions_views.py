"""Actions as people read them: open ones by aim, overdue first, and an indicator's history.

Pure frame → frame functions over the review store's readers
(`indicators.review.reading`), so the pages and the pack share them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.config.spec import Strategy

OPEN_COLUMNS = ["aim", "state", "action", "owner", "indicator", "period", "due_date"]
HISTORY_WORDS = {
    "narrative": "narrative",
    "action": "action",
    "owner": "owner",
    "due_date": "due date",
    "status": "status",
    "closed_date": "closed date",
    "new action": "new action",
}


def open_actions(actions: pd.DataFrame, strategy: Strategy, today: dt.date) -> pd.DataFrame:
    """Open actions, grouped by aim in the strategy's order, overdue ones first in each aim,
    then by due date (none last). `state` says `overdue since DATE`, `due DATE` or `no due
    date`. Example: `open_actions(reading.actions(store), strategy, dt.date.today())`."""
    aims = {aim.id: (position, aim.title) for position, aim in enumerate(strategy.aims)}
    by_id = {i.id: i for i in strategy.indicators}
    rows = actions[(actions["status"] == "open") & actions["indicator_id"].isin(by_id)].copy()
    if rows.empty:
        return pd.DataFrame(columns=[*OPEN_COLUMNS, "overdue"])
    rows["aim_position"] = rows["indicator_id"].map(lambda i: aims[by_id[i].aim][0])
    rows["aim"] = rows["indicator_id"].map(lambda i: aims[by_id[i].aim][1])
    rows["indicator"] = rows["indicator_id"].map(lambda i: by_id[i].title)
    due = rows["due_date"].fillna("9999-12-31")
    rows["overdue"] = due < today.isoformat()
    rows["state"] = [
        f"overdue since {d}" if late else (f"due {d}" if isinstance(d, str) else "no due date")
        for d, late in zip(rows["due_date"], rows["overdue"], strict=True)
    ]
    rows = rows.assign(_due=due).sort_values(
        ["aim_position", "overdue", "_due", "action_id"], ascending=[True, False, True, True]
    )
    return rows[[*OPEN_COLUMNS, "overdue"]].reset_index(drop=True)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """An indicator's history (`reading.history`) in words, narrow enough to read the
    text: when, who, what changed (`2024 H2 action 3: status`), before and after."""
    field = history["field"].map(HISTORY_WORDS).fillna(history["field"])
    what = history["period"] + " " + history["item"]
    what = what.where(history["item"] == field, what + ": " + field)
    return pd.DataFrame(
        {
            "when (UTC)": history["written_at"].str.replace("T", " ").str.slice(0, 16),
            "who": history["written_by"],
            "change": what,
            "before": history["before"].fillna(""),
            "after": history["after"].fillna(""),
        }
    ).reset_index(drop=True)
