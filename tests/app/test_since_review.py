"""Signing off a review on the page, and a later changed load showing what moved.

The changed load is real: the demo extracts with some 2024 H2 decisions made
later (as a late correction would), loaded into a second warehouse. The
figures signed off from the first load are then shown beside the second's.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from signed_in import ANALYST, AUTH, BOARD_USER, ROLES, run_as
from streamlit.testing.v1 import AppTest
from table_cells import table_rows

from indicators.load.warehouse import build_warehouse
from indicators.paths import PROJECT_ROOT
from indicators.review import signoff
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore
from indicators.store import inventory, publication

PERIOD = "2024 H2"
DECIDED = "Requests decided within 3 working days"
PAGE = str(PROJECT_ROOT / "pages/since_review.py")
DASHBOARD = str(PROJECT_ROOT / "dashboard.py")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewStore:
    path = tmp_path / "review.sqlite"
    monkeypatch.setenv("EARLY_HELP_REVIEW_STORE", str(path))
    return ReviewStore(StoreSettings(path))


@pytest.fixture(scope="module")
def changed_load(demo_load, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo reloaded after a correction: every other 2024 H2 request decided ten days
    later than first recorded."""
    folder = tmp_path_factory.mktemp("changed")
    extracts = folder / "extracts"
    shutil.copytree(demo_load.extracts, extracts)
    requests = extracts / "requests.csv"
    with requests.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    moved = 0
    for row in rows:
        if "2024-10-01" <= row["received_date"] <= "2025-03-31" and row["decision_date"]:
            moved += 1
            if moved % 2:
                day = dt.date.fromisoformat(row["decision_date"]) + dt.timedelta(days=10)
                row["decision_date"] = day.isoformat()
    with requests.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    warehouse = folder / "warehouse.duckdb"
    build_warehouse(extracts, warehouse, progress=lambda *_: None)
    return warehouse


def page(user: dict | None, warehouse: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(warehouse))
    app = AppTest.from_file(PAGE, default_timeout=120)
    app.query_params["period"] = PERIOD
    if user is not None:
        app.secrets["auth"] = AUTH
        app.secrets["access"] = ROLES
        app.user = user
    return app.run()


def test_an_analyst_signs_off_through_the_page_and_the_figures_are_kept(
    store, demo_warehouse: Path, monkeypatch
) -> None:
    app = page(ANALYST, demo_warehouse, monkeypatch)
    assert not app.exception
    assert any(f"{PERIOD} has not been signed off" in i.value for i in app.info)
    app.date_input(key="signoff_date").set_value(dt.date(2025, 3, 12))
    next(b for b in app.button if b.label == f"Sign off {PERIOD}").click().run()
    assert not app.exception and not app.error
    kept = signoff.latest(store, PERIOD)
    assert kept.reported_on == "2025-03-12" and kept.signed_by == ANALYST["email"]
    assert kept.load_id == inventory.load_summary(demo_warehouse).load_id
    assert len(kept.figures) == len(publication.read(demo_warehouse, "tiles", period=PERIOD))
    assert any(
        "reported to the board on 2025-03-12" in s.value.replace("\\", "") for s in app.success
    )
    assert any("No figure has moved" in s.value for s in app.success)


def test_a_reader_has_no_form_and_a_forged_sign_off_is_refused(
    store, demo_warehouse: Path, monkeypatch
) -> None:
    app = page(BOARD_USER, demo_warehouse, monkeypatch)
    assert not app.exception
    assert not [b for b in app.button if b.label.startswith("Sign off")]

    def forged() -> None:  # a reader calling the page's own path with real figures
        import os
        from pathlib import Path

        import streamlit as st

        from indicators.review.rules import ReviewRefused
        from indicators.store import publication
        from pages._app import review

        warehouse = Path(os.environ["EARLY_HELP_WAREHOUSE"])
        figures = publication.read(warehouse, "tiles", period="2024 H2")
        try:
            review.sign_off("2024 H2", "2025-03-12", "forged-load", figures, "x")
        except ReviewRefused as err:
            st.error(str(err))

    forge = run_as(forged, BOARD_USER)
    assert forge.error and "analyst role" in forge.error[0].value
    assert signoff.latest(store) is None


def test_sign_off_then_a_changed_load_shows_the_revision_with_both_values(
    store, demo_warehouse: Path, changed_load: Path, monkeypatch
) -> None:
    reported = publication.read(demo_warehouse, "tiles", period=PERIOD)
    analyst = signoff.Signer("analyst@council.example", may_sign=True)
    first_load = inventory.load_summary(demo_warehouse).load_id
    signoff.sign_off(store, analyst, PERIOD, "2025-03-12", first_load, reported)
    now = publication.read(changed_load, "tiles", period=PERIOD)
    city = reported["area_code"].iloc[0]

    def city_value(tiles):
        return tiles[(tiles["area_code"] == city) & (tiles["title"] == DECIDED)]["value"].item()

    before, after = city_value(reported), city_value(now)
    assert after < before - 5  # the correction moved the figure a lot

    app = page(BOARD_USER, changed_load, monkeypatch)
    assert not app.exception
    table = next(d.value for d in app.dataframe if "What moved" in d.value.columns)
    row = table[(table["Indicator"] == DECIDED) & (table["Area"] == table["Area"].iloc[0])]
    assert row[["Reported", "Now"]].values.tolist() == [[f"{before:.1f}%", f"{after:.1f}%"]]
    assert row["Outside the interval reported"].item() == "yes"
    assert row["What moved"].item() == (
        f"Reported as {before:.1f}%, now {after:.1f}%: outside the interval reported, "
        "so more than chance"
    )

    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(changed_load))
    landing = AppTest.from_file(DASHBOARD, default_timeout=120)
    landing.query_params["period"] = PERIOD
    landing.run()
    assert not landing.exception
    assert any(
        f"as reported at the {PERIOD} review on 2025-03-12" in c.value for c in landing.caption
    )
    html = next(h.value for h in landing.html if "strategy-table" in h.value)
    cells = {r[0]: r for r in table_rows(html)[1:] if len(r) > 1}
    assert cells[DECIDED][1] == f"{after:.1f}% revised"
    assert f"Reported as {before:.1f}%, now {after:.1f}%" in html
