"""Sign-in and roles: open by default with a banner; with a provider, roles decide pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import quiet, write_extracts
from streamlit.testing.v1 import AppTest

from indicators import access, spec
from indicators.paths import CONFIG_PATH, PROJECT_ROOT
from indicators.warehouse import build_warehouse

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "dashboard",
    "client_secret": "s",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}
AIMS = [a.id for a in spec.load_strategy(CONFIG_PATH).aims]
ROLES = {
    "roles": {
        "board": ["@stoke.gov.uk"],
        "scrutiny": ["clerk@stoke.gov.uk"],
        "analyst": ["analyst@stoke.gov.uk"],
    }
}


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("someone@stoke.gov.uk", "board"),
        ("Clerk@Stoke.gov.uk", "scrutiny"),
        ("analyst@stoke.gov.uk", "analyst"),
        ("someone@elsewhere.org", None),
        (None, None),
    ],
)
def test_role_for(email: str | None, role: str | None) -> None:
    assert access.role_for(email, ROLES) == role


def test_each_role_sees_what_narrower_roles_see() -> None:
    board, scrutiny, analyst = (access.pages_for(r, AIMS) for r in access.ROLES)
    assert board < scrutiny < analyst == access.pages_for(access.OPEN, AIMS)
    assert "wards" not in board and "catalogue" not in scrutiny
    assert access.sees_rows("analyst") and access.sees_rows(access.OPEN)
    assert not access.sees_rows("scrutiny")


def test_provider_configured() -> None:
    assert access.provider_configured({"auth": AUTH})
    assert access.provider_configured({"auth": {"microsoft": {"client_id": "x"}}})
    assert not access.provider_configured({})


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    path = tmp_path / "w.duckdb"
    build_warehouse(write_extracts(tmp_path / "x"), path, progress=quiet)
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(path))
    return AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60)


def menu(app: AppTest) -> list[str]:
    return [link.label for link in app.sidebar.get("page_link")]


def test_open_access_has_a_banner_and_every_page(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("Access is open" in i.value for i in app.info)
    assert "Indicator catalogue" in menu(app)


def test_signed_out_person_is_asked_to_sign_in(app: AppTest) -> None:
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": False}
    app.run()
    assert not app.exception
    assert app.button[0].label == "Sign in"
    assert not app.dataframe and menu(app) == []


def test_person_without_a_role_is_told_so(app: AppTest) -> None:
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = {"is_logged_in": True, "email": "someone@elsewhere.org"}
    app.run()
    assert "has no role" in app.error[0].value
    assert menu(app) == []


def test_board_member_sees_board_pages_only(app: AppTest) -> None:
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = {"is_logged_in": True, "email": "chair@stoke.gov.uk"}
    app.run()
    assert not app.exception
    assert not any("Access is open" in i.value for i in app.info)
    assert "JSNA context" in menu(app)
    assert "Wards" not in menu(app) and "Data quality" not in menu(app)


def test_only_analysts_see_quarantined_rows(app: AppTest) -> None:
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = {"is_logged_in": True, "email": "clerk@stoke.gov.uk"}
    app.run()
    assert "Data quality" in menu(app) and "Indicator catalogue" not in menu(app)
    app.switch_page("pages/data_quality.py").run()
    assert not app.exception
    assert any("only analysts" in i.value for i in app.info)
    assert not app.text_input


def test_analyst_sees_quarantined_rows_and_every_page(app: AppTest) -> None:
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = {"is_logged_in": True, "email": "analyst@stoke.gov.uk"}
    app.run()
    assert "Indicator catalogue" in menu(app)
    app.switch_page("pages/data_quality.py").run()
    assert not app.exception
    assert app.text_input(key="quarantine_search") is not None
