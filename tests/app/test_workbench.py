"""The indicator workbench in AppTest: an analyst checks, fixes, previews and saves a definition.

The strategy file is a copy in a temporary folder, so saving writes there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from signed_in import ANALYST, BOARD_USER, CLERK, run_page
from streamlit.testing.v1 import AppTest

from indicators.config import spec
from indicators.config.check import check_file
from indicators.config.history import HISTORY_DIR, HISTORY_LOG
from indicators.config.issue import ERROR
from indicators.paths import CONFIG_PATH
from pages._app.gate import NOT_YOUR_PAGE

PAGE = "pages/workbench.py"
NEW = """id: requests_from_police
aim: access
title: Requests for help from the police
description: Share of requests received in the period that came from the police.
source: requests
date: received_date
measure:
  type: proportion
  numerator: {count_distinct: request_id, where: "source = 'police'"}
  denominator: {count_distinct: request_id}
  multiplier: 100
unit: "%"
polarity: no_judgement
ci: wilsn
breakdowns: [ward, deprivation_decile]
owner: Early Help and Prevention Board
"""
BROKEN_LINE = 14  # ci: wilsn


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "indicators.yaml"
    path.parent.mkdir()
    shutil.copy(CONFIG_PATH, path)
    monkeypatch.setenv("EARLY_HELP_CONFIG", str(path))
    return path


def errors(app: AppTest) -> list[str]:
    return [e.value for e in app.error]


def test_an_analyst_checks_fixes_previews_and_saves_a_definition(
    demo_warehouse: Path, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = config.read_text(encoding="utf-8")
    app = run_page(demo_warehouse, monkeypatch, PAGE, ANALYST)
    assert not app.exception, [e.value for e in app.exception]
    app.text_area(key="workbench_yaml").set_value(NEW).run()
    assert errors(app) == [
        f"Line {BROKEN_LINE}: ci: 'wilsn' is not one of wilson, byar, student_t, none "
        "[unknown_ci_method]"
    ]
    assert all(b.disabled for b in app.button)  # neither preview nor save

    fixed = NEW.replace("ci: wilsn", "ci: wilson")
    app.text_area(key="workbench_yaml").set_value(fixed).run()
    assert not errors(app)
    app.button[0].click().run(timeout=600)  # Preview
    assert not app.exception, [e.value for e in app.exception]
    assert app.header[0].value == "Preview: Requests for help from the police"
    shown = app.dataframe[0].value  # the city series, as published
    assert {"value", "lower_ci", "upper_ci"} <= set(shown.columns)
    assert len(app.dataframe) >= 3  # series, ward ranking, deprivation deciles
    # The wards as the Wards page shows them: today's wards, with a reader's labels.
    wards = next(d.value for d in app.dataframe if "Ward" in d.value.columns)
    assert len(wards) == 34
    assert {"Ward code", "95% lower limit", "Compared with the city"} <= set(wards.columns)
    assert "area_code" not in wards.columns
    assert "GROUPING SETS" in app.code[0].value.upper()

    app.button[1].click().run(timeout=600)  # Save
    assert not errors(app)
    assert any("requests_from_police added" in s.value for s in app.success)
    saved = spec.load_strategy(config)
    assert saved.indicator("requests_from_police").ci == "wilson"
    history = config.parent / HISTORY_DIR
    (kept,) = history.glob("indicators-*.yaml")
    assert kept.read_text(encoding="utf-8") == original
    assert "analyst@stoke.gov.uk" in (history / HISTORY_LOG).read_text(encoding="utf-8")
    assert not [i for i in check_file(config, demo_warehouse) if i.severity == ERROR]
    assert config.read_text(encoding="utf-8").startswith(original.rstrip("\n"))


@pytest.mark.parametrize("user", [BOARD_USER, CLERK], ids=["board", "scrutiny"])
def test_a_non_analyst_cannot_open_the_workbench(
    demo_warehouse: Path, config: Path, monkeypatch: pytest.MonkeyPatch, user: dict
) -> None:
    app = run_page(demo_warehouse, monkeypatch, PAGE, user)
    role = "board" if user is BOARD_USER else "scrutiny"
    assert errors(app) == [NOT_YOUR_PAGE.format(role=role)]
    assert not app.text_area and not app.code
