"""The board pack's cover: what the pack is, for which council and period, from which load.

Everything on it comes from the strategy file and the serving load (the
council's name is configuration, never code), so a pack handed on without
its covering email still says what it is and whether its figures are real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from indicators.config.spec import Strategy
from indicators.periods import review_period_bounds
from indicators.report.pack import Block, Cover
from indicators.store.inventory import LoadSummary

DEMO_WARNING = (
    "SYNTHETIC DEMO DATA: the early help figures in this pack are generated, "
    "not real children or families. Do not circulate as the council's figures."
)


def cover_block(
    strategy: Strategy,
    period: str,
    load: LoadSummary,
    generated_on: dt.datetime,
    left_out: pd.DataFrame,
    contents: Sequence[str] = (),
) -> Block:
    """The cover for `period`'s pack; `left_out` is the publication's `left_out` rows and
    `contents` the pack's section headings, listed as "In this pack"."""
    start, end = review_period_bounds(period)
    facts = (
        ("Council", strategy.council),
        ("Review period", f"{period} ({start:%-d %B %Y} to {end:%-d %B %Y})"),
        ("Prepared", f"{generated_on:%-d %B %Y %H:%M}"),
        ("Figures from load", f"{load.load_id}, finished {load.finished:%-d %B %Y %H:%M}"),
    )
    notes = tuple(
        f"Left out: {indicator_id} is not in this pack: its definition fails check "
        f"({problems.iloc[0]})."
        for indicator_id, problems in left_out.groupby("indicator_id", sort=False)["problem"]
    )
    return Block(
        "cover",
        cover=Cover(
            title=strategy.title,
            subtitle=f"Six-monthly review, {period}",
            facts=facts,
            warning=DEMO_WARNING if load.is_demo else "",
            notes=notes,
            contents=tuple(contents),
        ),
    )
