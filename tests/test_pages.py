"""The Streamlit pages, run for real with AppTest against a real warehouse file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.paths import PROJECT_ROOT


@pytest.fixture
def app(serving_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(serving_warehouse))
    return AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=30)


def test_warehouse_page_shows_tables_counts_and_load_log(app: AppTest) -> None:
    app.run()
    assert not app.exception
    tables, log, quarantine = (d.value for d in app.dataframe)
    counts = dict(zip(tables["table"], tables["rows"], strict=True))
    assert counts["requests"] == 4
    assert counts["episodes"] == 2
    assert set(log["file"]) >= {"requests.csv", "feedback.csv"}
    assert (log["rows_read"] == log["rows_kept"] + log["rows_quarantined"]).all()
    assert quarantine.empty
    assert "34 new wards" in app.info[0].value
    # Hand-made extracts carry no demo manifest: no synthetic-data banner.
    assert not any("Synthetic" in w.value for w in app.warning)


def test_demo_load_is_labelled_synthetic(
    tmp_path: Path, good_extracts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import quiet

    from indicators.warehouse import build_warehouse

    (good_extracts / "demo_manifest.json").write_text('{"synthetic": true, "seed": 1}')
    path = tmp_path / "demo.duckdb"
    build_warehouse(good_extracts, path, progress=quiet)
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(path))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=30).run()
    assert not app.exception
    assert any("Synthetic demo data" in w.value for w in app.warning)


def test_no_warehouse_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(tmp_path / "none.duckdb"))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=30).run()
    assert not app.exception
    assert "No warehouse is loaded yet" in app.warning[0].value
