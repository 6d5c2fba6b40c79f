"""The pack's review pages from the review store: the sign-off, revisions since, actions due.

A board pack of a signed-off period says "as reported at the 2024 H2 review"
and lists every figure that has moved since, with both values; a pack of a
period not yet signed off lists what moved in the last signed-off period.
Then the open actions, overdue first. Blocks hold plain text: the renderers
escape it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from indicators.config.spec import Strategy
from indicators.present import actions_views, revisions
from indicators.report.pack import Block
from indicators.review import reading, signoff
from indicators.review.store import ReviewStore, StoreUnavailable
from indicators.store import publication

REVISIONS = "Revisions since the last signed-off review"
ACTIONS_DUE = "Actions due"


def review_blocks(
    store: ReviewStore, warehouse: Path, strategy: Strategy, period: str, today: dt.date
) -> list[Block]:
    """The review's blocks for the pack of `period` (none when nobody has written)."""
    try:
        signed = signoff.latest(store, period) or signoff.latest(store)
        actions = reading.actions(store)
    except StoreUnavailable as err:
        return [
            Block("heading", REVISIONS),
            Block("text", f"The review store is unavailable: {err}"),
        ]
    blocks = [Block("heading", REVISIONS)]
    if signed is None:
        blocks.append(Block("text", "No review has been signed off yet."))
    else:
        blocks.append(
            Block(
                "text",
                f"As reported at the {signed.period} review on {signed.reported_on}, signed "
                f"off by {signed.signed_by} (figures from load {signed.load_id}).",
            )
        )
        city = signed.figures[signed.figures["area_code"] == strategy.area_code]
        now = publication.read(
            warehouse, "tiles", period=signed.period, area_code=strategy.area_code
        )
        moved = revisions.revisions(city, now)
        if moved.empty:
            blocks.append(Block("text", "No figure for the city has moved since it was reported."))
        for row in moved.itertuples():
            blocks.append(Block("text", row.words, lead=f"{row.title}:"))
    blocks.append(Block("heading", ACTIONS_DUE))
    listed = actions_views.open_actions(actions, strategy, today)
    if listed.empty:
        blocks.append(Block("text", "No open actions."))
    for row in listed.itertuples():
        owner = f" (owner: {row.owner})" if isinstance(row.owner, str) else ""
        blocks.append(Block("text", f"{row.action}{owner}: {row.indicator}", lead=f"{row.state}:"))
    return blocks
