"""Streamlit pages run on their own by AppTest, signed in as a test user with test roles.

Shared by the access tests and every test that checks what a role sees on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.config import spec
from indicators.paths import CONFIG_PATH, PROJECT_ROOT

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

BOARD_USER = {"is_logged_in": True, "email": "chair@stoke.gov.uk", "email_verified": True}
CLERK = {"is_logged_in": True, "email": "clerk@stoke.gov.uk"}
ANALYST = {"is_logged_in": True, "email": "analyst@stoke.gov.uk"}
SIGNED_OUT = {"is_logged_in": False}


def run_page(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, script: str, user: dict, **state
) -> AppTest:
    """Run one page file on its own (no dashboard.py first), signed in as `user`."""
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(warehouse))
    app = AppTest.from_file(str(PROJECT_ROOT / script), default_timeout=60)
    app.secrets["auth"] = AUTH
    app.secrets["access"] = ROLES
    app.user = user
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def run_as(function: Callable[[], None], user: dict, roles: dict | None = None) -> AppTest:
    """Run `function` as a Streamlit script signed in as `user`: how a test makes a forged
    call through a page's own code path with someone's session."""
    app = AppTest.from_function(function, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.secrets["access"] = roles or ROLES
    app.user = user
    return app.run()
