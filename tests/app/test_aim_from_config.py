"""An aim added in the YAML gets a page and a board role, with no Python changed.

The dashboard reads the strategy named by `EARLY_HELP_CONFIG`; here that is a
copy of config/indicators.yaml with a seventh aim (and one indicator for it).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import quiet, write_extracts
from signed_in import AUTH, BOARD_USER, ROLES
from streamlit.testing.v1 import AppTest

from indicators import access
from indicators.config.check import check_file
from indicators.load.warehouse import build_warehouse
from indicators.paths import CONFIG_PATH, PROJECT_ROOT

NEW_AIM = {"id": "wellbeing", "title": "Improve children's emotional wellbeing"}
NEW_INDICATOR = "wellbeing_requests_per_10k"


@pytest.fixture
def seventh_aim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A strategy file with a seventh aim, served by the dashboard over a small warehouse."""
    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    document["aims"].append(NEW_AIM)
    indicator = copy.deepcopy(document["indicators"][0])
    indicator.update(id=NEW_INDICATOR, aim=NEW_AIM["id"], title="Requests about wellbeing")
    document["indicators"].append(indicator)
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("EARLY_HELP_CONFIG", str(config))
    warehouse = tmp_path / "w.duckdb"
    build_warehouse(write_extracts(tmp_path / "x"), warehouse, progress=quiet)
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(warehouse))
    return config


def test_the_new_aim_is_checked_clean_and_a_board_page(seventh_aim: Path) -> None:
    assert check_file(seventh_aim, None) == []
    aims = [a["id"] for a in yaml.safe_load(seventh_aim.read_text(encoding="utf-8"))["aims"]]
    assert access.may_open("board", NEW_AIM["id"], aims)
    assert not access.may_open(None, NEW_AIM["id"], aims)


def test_the_dashboard_offers_the_new_aim_to_a_board_member(seventh_aim: Path) -> None:
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60)
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = BOARD_USER
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    menu = [link.label for link in app.sidebar.get("page_link")]
    assert NEW_AIM["title"] in menu


def test_a_board_member_opens_the_new_aims_page(seventh_aim: Path) -> None:
    def page() -> None:
        from pages import aim  # importable: pytest runs from the project root

        aim.render("wellbeing")

    app = AppTest.from_function(page, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = BOARD_USER
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert [t.value for t in app.title] == [NEW_AIM["title"]]
    assert "Requests about wellbeing" in [h.value for h in app.header]
