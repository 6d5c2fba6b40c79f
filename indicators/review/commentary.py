"""Narratives and actions as the pack and the charts print them: one row per indicator and
review period, read from the review store (nothing when nobody has written yet)."""

from __future__ import annotations

import pandas as pd

from indicators.review import reading
from indicators.review.settings import store_settings
from indicators.review.store import ReviewStore

COLUMNS = ["indicator", "period", "narrative", "actions", "author"]


def recorded_commentary(store: ReviewStore | None = None) -> pd.DataFrame:
    """The current narrative, its writer and the actions' lines, per indicator and period."""
    store = store or ReviewStore(store_settings())
    notes = reading.narratives(store)
    actions = reading.actions(store)
    keys = pd.concat([notes[["indicator_id", "period"]], actions[["indicator_id", "period"]]])
    rows = []
    for (indicator_id, period), _ in keys.drop_duplicates().groupby(
        ["indicator_id", "period"], sort=True
    ):
        note = notes[(notes["indicator_id"] == indicator_id) & (notes["period"] == period)]
        listed = actions[(actions["indicator_id"] == indicator_id) & (actions["period"] == period)]
        rows.append(
            {
                "indicator": indicator_id,
                "period": period,
                "narrative": note["narrative"].iloc[0] if len(note) else None,
                "actions": [reading.action_line(a) for _, a in listed.iterrows()],
                "author": note["written_by"].iloc[0] if len(note) else None,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
