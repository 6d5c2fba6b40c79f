"""How far the store has got: a key that changes with every write, for caches of what
prints commentary (the board pack), so a new narrative shows without a new load."""

from __future__ import annotations

from indicators.review.store import ReviewStore


def last_change(store: ReviewStore) -> str:
    """The latest revision ids of narratives and actions, e.g. `12-30`; `none` before any."""
    frame = store.frame(
        "SELECT (SELECT MAX(revision_id) FROM narrative_revisions) AS n, "
        "(SELECT MAX(revision_id) FROM action_revisions) AS a"
    )
    if frame is None:
        return "none"
    return f"{frame['n'].iloc[0]}-{frame['a'].iloc[0]}"
