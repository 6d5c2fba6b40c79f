"""Signing off a review: refused without the analyst role or with bad input, the figures
kept exactly (withheld ones too), the latest sign-off shown, and appends only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.present.revisions import REPORTED_COLUMNS
from indicators.review import signoff
from indicators.review.rules import ReviewRefused
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore
from indicators.store import publication

ANALYST = signoff.Signer("analyst@council.example", may_sign=True)


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    return ReviewStore(StoreSettings(tmp_path / "review.sqlite"))


@pytest.fixture(scope="module")
def figures(demo_warehouse: Path) -> pd.DataFrame:
    return publication.read(demo_warehouse, "tiles", period="2024 H2")


def test_the_figures_are_kept_as_they_stood_withheld_ones_too(store, figures) -> None:
    signoff.sign_off(store, ANALYST, "2024 H2", "2025-03-12", "load-1", figures)
    kept = signoff.latest(store, "2024 H2")
    assert (kept.period, kept.reported_on, kept.load_id) == ("2024 H2", "2025-03-12", "load-1")
    assert kept.signed_by == ANALYST.name
    expected = figures[REPORTED_COLUMNS].sort_values(["indicator_id", "area_code"])
    pd.testing.assert_frame_equal(
        kept.figures.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False
    )
    assert expected["value"].isna().any(), "the demo has withheld figures to keep as withheld"


def test_the_latest_sign_off_of_a_period_is_the_one_shown(store, figures) -> None:
    signoff.sign_off(store, ANALYST, "2024 H2", "2025-03-12", "load-1", figures)
    signoff.sign_off(store, ANALYST, "2024 H1", "2024-11-20", "load-1", figures)
    signoff.sign_off(store, ANALYST, "2024 H2", "2025-03-19", "load-2", figures)
    assert signoff.latest(store, "2024 H2").reported_on == "2025-03-19"
    assert signoff.latest(store).load_id == "load-2"
    assert signoff.latest(store, "2023 H1") is None
    assert len(signoff.signoffs(store)) == 3


@pytest.mark.parametrize(
    ("signer", "period", "day", "message"),
    [
        (signoff.Signer("reader@council.example", may_sign=False), "2024 H2", "2025-03-12",
         "needs the analyst role"),
        (ANALYST, "2024 H3", "2025-03-12", "is not a review period"),
        (ANALYST, "2024 H2", "12/03/2025", "is not a date"),
        (ANALYST, "2024 H2", "", "give a date"),
        (signoff.Signer("", may_sign=True), "2024 H2", "2025-03-12", "your name"),
    ],
)  # fmt: skip
def test_refusals_say_why_and_write_nothing(store, figures, signer, period, day, message) -> None:
    with pytest.raises(ReviewRefused, match=message):
        signoff.sign_off(store, signer, period, day, "load-1", figures)
    assert signoff.latest(store) is None


def test_no_figures_no_sign_off(store, figures) -> None:
    with pytest.raises(ReviewRefused, match="no figures"):
        signoff.sign_off(store, ANALYST, "2024 H2", "2025-03-12", "load-1", figures.head(0))


def test_a_kept_figure_cannot_be_changed_afterwards(store, figures) -> None:
    signoff.sign_off(store, ANALYST, "2024 H2", "2025-03-12", "load-1", figures)
    with (
        sqlite3.connect(store.settings.path) as connection,
        pytest.raises(sqlite3.DatabaseError, match="append-only"),
    ):
        connection.execute("UPDATE signoff_figures SET value = 99")
    assert not np.isclose(signoff.latest(store).figures["value"].dropna(), 99).any()
