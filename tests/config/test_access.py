"""Sign-in and roles: open by default with a banner; with a provider, roles decide pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import quiet, write_extracts
from signed_in import AIMS, ANALYST, AUTH, BOARD_USER, CLERK, ROLES, SIGNED_OUT, run_page
from streamlit.testing.v1 import AppTest

from indicators import access
from indicators.load.warehouse import build_warehouse
from indicators.paths import PROJECT_ROOT
from pages._app import gate


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


# --- Attacks on the gate: every page checks the role itself, and no role means no data ---

PAGE_FILES = {
    "strategy": "pages/strategy.py",
    "front_door": "pages/front_door.py",
    "actions": "pages/actions.py",
    "since_review": "pages/since_review.py",
    "jsna": "pages/jsna.py",
    "wards": "pages/wards.py",
    "ward_profile": "pages/ward_profile.py",
    "catalogue": "pages/catalogue.py",
    "data_quality": "pages/data_quality.py",
    "warehouse": "pages/warehouse.py",
}


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "a@stoke.gov.uk", "email_verified": True}, "board"),
        ({"email": "a@stoke.gov.uk", "email_verified": "true"}, "board"),
        ({"email": "a@stoke.gov.uk"}, "board"),  # a provider that never sends the claim
        ({"email": "a@stoke.gov.uk", "email_verified": False}, None),
        ({"email": "analyst@stoke.gov.uk", "email_verified": "false"}, None),
        ({"email": "analyst@stoke.gov.uk", "email_verified": None}, None),
        ({"email": "analyst@stoke.gov.uk", "email_verified": 1}, None),
        ({"email": ["analyst@stoke.gov.uk"]}, None),
    ],
)
def test_email_verified_is_required_when_the_provider_sends_it(claims: dict, role) -> None:
    assert access.role_for_claims(claims, ROLES) == role


def test_half_written_settings_close_the_dashboard() -> None:
    """Roles without [auth], or an [auth] missing its client, ask for sign-in: never open."""
    assert access.provider_configured({"access": ROLES})
    assert access.provider_configured({"auth": {"redirect_uri": "http://x/oauth2callback"}})
    assert not access.provider_configured({"access": {}})


def test_no_role_opens_no_page_and_every_aim_in_the_yaml_is_a_board_page() -> None:
    aims = [*AIMS, "family_voice"]  # an aim added to the YAML
    assert access.pages_for(None, aims) == set()
    assert access.pages_for("guest", aims) == set()
    assert access.pages_for("board", aims) == {
        "strategy",
        "front_door",
        "jsna",
        "actions",
        "since_review",
        *aims,
    }
    assert access.may_open("board", "family_voice", aims)
    assert not access.may_open("board", "family_voice", AIMS)
    assert not access.may_open("board", "data_quality", aims)
    assert not access.sees_rows(None) and not access.sees_rows("board")
    with pytest.raises(ValueError, match=r"aim ids that clash with a page name: \['warehouse'\]"):
        access.pages_for("board", [*AIMS, "warehouse"])


def shows_no_data(app: AppTest) -> bool:
    return not (
        app.dataframe
        or app.table
        or app.get("download_button")
        or app.get("plotly_chart")
        or app.selectbox
        or app.text_input
        or app.code
    )


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_file_run_on_its_own_asks_a_stranger_to_sign_in(
    broken_warehouse: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    # A forged session state (as an older version kept the role there) grants nothing.
    app = run_page(
        broken_warehouse, monkeypatch, PAGE_FILES[page], SIGNED_OUT, role="analyst", pages={}
    )
    assert not app.exception
    assert [i.value for i in app.info] == [gate.SIGN_IN_PROMPT]
    assert [b.label for b in app.button] == ["Sign in"]
    assert shows_no_data(app)


@pytest.mark.parametrize(
    "page", ["wards", "ward_profile", "catalogue", "data_quality", "warehouse"]
)
def test_board_member_running_another_roles_page_is_refused(
    broken_warehouse: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    app = run_page(broken_warehouse, monkeypatch, PAGE_FILES[page], BOARD_USER, role="analyst")
    assert not app.exception
    assert [e.value for e in app.error] == ["Your role (board) does not include this page."]
    assert shows_no_data(app) and not app.title


def test_unverified_email_gets_no_role_and_no_data(
    broken_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = {**ANALYST, "email_verified": False}
    app = run_page(broken_warehouse, monkeypatch, "pages/data_quality.py", user)
    assert [e.value for e in app.error] == [
        "analyst@stoke.gov.uk is signed in, but the identity provider has not verified this "
        "e-mail address, so it has no role on this dashboard."
    ]
    assert shows_no_data(app)


def quarantine_downloads(app: AppTest) -> list[str]:
    return [b.proto.id for b in app.get("download_button") if "quarantine_rows" in b.proto.id]


def test_quarantined_records_are_shown_and_downloadable_only_to_analysts(
    broken_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = run_page(broken_warehouse, monkeypatch, "pages/data_quality.py", CLERK, role="analyst")
    assert not clerk.exception
    shown = "\n".join(d.value.to_csv() for d in clerk.dataframe)
    assert "E0500" not in shown and "detail" not in shown  # counts by reason only
    assert not clerk.text_input and quarantine_downloads(clerk) == []
    assert any("only analysts" in i.value for i in clerk.info)

    analyst = run_page(broken_warehouse, monkeypatch, "pages/data_quality.py", ANALYST)
    assert not analyst.exception
    rows = [d.value for d in analyst.dataframe if "detail" in d.value.columns]
    assert len(rows) == 1 and rows[0]["detail"].str.contains("E0500").any()
    assert len(quarantine_downloads(analyst)) == 2  # CSV and Excel


def test_secrets_file_is_never_committed() -> None:
    import subprocess

    for path in (".streamlit/secrets.toml", "pages/.streamlit/secrets.toml"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=PROJECT_ROOT, check=False)  # noqa: S603, S607 (a fixed argument list, no shell: the project's own commands) (a system tool on PATH, in a test)
        assert ignored.returncode == 0, f"{path} is not git-ignored"


def test_authlib_is_installed_and_declared() -> None:
    """st.login needs Authlib: without it the Sign in button fails."""
    import importlib.util
    import tomllib

    assert importlib.util.find_spec("authlib") is not None
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("streamlit[auth]") for d in project["project"]["dependencies"])


def test_sign_in_names_the_provider_when_the_settings_name_one() -> None:
    assert access.sign_in_providers(AUTH) == [None]
    assert access.sign_in_providers({"microsoft": {"client_id": "x"}}) == ["microsoft"]
    assert access.sign_in_providers({"a": {"client_id": "x"}, "b": {"client_id": "y"}}) == [
        "a",
        "b",
    ]


def test_aim_module_run_on_its_own_is_gated(
    broken_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = run_page(broken_warehouse, monkeypatch, "pages/aim.py", SIGNED_OUT, role="analyst")
    assert not app.exception
    assert [i.value for i in app.info] == [gate.SIGN_IN_PROMPT] and shows_no_data(app)


def test_an_editor_reads_as_a_board_member_and_only_editors_write() -> None:
    settings = {
        "roles": {
            "editor": ["lead@stoke.gov.uk", "analyst@stoke.gov.uk"],
            "analyst": ["analyst@stoke.gov.uk"],
        }
    }
    assert access.role_for("lead@stoke.gov.uk", settings) == "board"
    assert access.role_for("analyst@stoke.gov.uk", settings) == "analyst"  # the widest
    lead = {"email": "lead@stoke.gov.uk", "email_verified": True}
    assert access.is_editor(lead, settings)
    assert not access.is_editor({**lead, "email_verified": False}, settings)
    assert not access.is_editor({"email": "chair@stoke.gov.uk"}, settings)
    assert access.may_write("board", True, open_writing=False)
    assert not access.may_write("analyst", False, open_writing=True)  # a grant, not a rank
    assert not access.may_write(None, True, open_writing=True)
    assert not access.may_write(access.OPEN, False, open_writing=False)
    assert access.may_write(access.OPEN, False, open_writing=True)
