"""Signing off a review: "2024 H2 reported to the board on 12 March 2025", figures kept.

An analyst closes a review period once the board has seen it. The store keeps
who signed, when, the load the figures came from and the landing page's rows
as they stood (`revisions.REPORTED_COLUMNS`), so every later view and pack of
that period can say "as reported at the 2024 H2 review" and show what has
moved since. A period may be signed off again (a re-run review); the latest
sign-off is the one shown. Like every write, the role check is here, not only
on the page: a call without the analyst role writes nothing.

Example: `sign_off(store, signer, "2024 H2", "2025-03-12", load_id, figures)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.present.revisions import REPORTED_COLUMNS
from indicators.review import rules
from indicators.review.rules import ReviewRefused
from indicators.review.store import ReviewStore, now

NO_GRANT = (
    "Signing off a review needs the analyst role, or, with open access, the operator "
    "switching writing on ([review] open_writing)."
)
SIGNOFF_COLUMNS = ["signoff_id", "period", "reported_on", "load_id", "signed_by", "signed_at"]


@dataclass(frozen=True)
class Signer:
    """Who is signing off (recorded), and whether `access.may_sign_off` allowed them."""

    name: str
    may_sign: bool


@dataclass(frozen=True)
class SignOff:
    """A signed-off review: its record and the figures as they stood."""

    signoff_id: int
    period: str
    reported_on: str
    load_id: str
    signed_by: str
    signed_at: str
    figures: pd.DataFrame


def sign_off(
    store: ReviewStore,
    signer: Signer,
    period: str,
    reported_on: object,
    load_id: str,
    figures: pd.DataFrame,
) -> int:
    """Record the sign-off and its figures in one transaction; returns its id.

    Raises `ReviewRefused` without the grant, for a bad period or date, or with no
    figures (a period the load has no figures for cannot be reported).
    """
    if not signer.may_sign:
        raise ReviewRefused(NO_GRANT)
    who = rules.text(signer.name, "your name", rules.NAME_LIMIT)
    label = rules.period(period)
    day = rules.date(reported_on, "the date it was reported to the board", required=True)
    if figures.empty:
        raise ReviewRefused(f"there are no figures for {label} to sign off")
    rows = figures[REPORTED_COLUMNS].astype(object).where(figures[REPORTED_COLUMNS].notna(), None)
    with store.transaction(write=True) as done:
        signoff_id = done.insert(
            "INSERT INTO signoffs (period, reported_on, load_id, signed_by, signed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (label, day, load_id, who, now()),
            "signoff_id",
        )
        for row in rows.itertuples(index=False):
            done.execute(
                "INSERT INTO signoff_figures (signoff_id, indicator_id, area_code, title, unit, "
                "value, lower_ci, upper_ci, progress, trend, variation, assurance) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (signoff_id, *row),
            )
    return signoff_id


def signoffs(store: ReviewStore) -> pd.DataFrame:
    """Every sign-off, newest first (without figures)."""
    frame = store.frame(
        f"SELECT {', '.join(SIGNOFF_COLUMNS)} FROM signoffs ORDER BY signoff_id DESC"  # noqa: S608 (fixed column names)
    )
    return pd.DataFrame(columns=SIGNOFF_COLUMNS) if frame is None else frame


def latest(store: ReviewStore, period: str | None = None) -> SignOff | None:
    """The latest sign-off of `period` (or of any period), with its figures; None if none."""
    found = signoffs(store)
    if period is not None:
        found = found[found["period"] == period]
    if found.empty:
        return None
    record = found.iloc[0]
    figures = store.frame(
        f"SELECT {', '.join(REPORTED_COLUMNS)} FROM signoff_figures "  # noqa: S608 (fixed column names)
        "WHERE signoff_id = ? ORDER BY indicator_id, area_code",
        (int(record["signoff_id"]),),
    )
    numbers = ["value", "lower_ci", "upper_ci"]
    figures[numbers] = figures[numbers].astype(float).fillna(np.nan)
    return SignOff(
        signoff_id=int(record["signoff_id"]),
        period=str(record["period"]),
        reported_on=str(record["reported_on"]),
        load_id=str(record["load_id"]),
        signed_by=str(record["signed_by"]),
        signed_at=str(record["signed_at"]),
        figures=figures,
    )
