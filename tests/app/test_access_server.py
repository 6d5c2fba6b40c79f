"""Access attacked the way a stranger or a board member would: a real server, a real browser.

The server is started with sign-in configured (a secrets.toml with `[auth]`
and `[access.roles]`) against a demo warehouse whose quarantine holds raw
records. A signed-out first visitor goes straight to every page's URL (also
with `?embed=true`); a board member signs in through Streamlit's real
st.login flow against a fake OpenID Connect provider on 127.0.0.1 and goes
straight to every page; a page file run on its own is tried too. Each must
meet the sign-in prompt or the refusal, and no data: no table, no chart, no
download button, no quarantine record.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from browser import ARTIFACTS, CHROMIUM, chromium_browser, dashboard_server
from oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, fake_provider

from indicators import access
from indicators.config import spec
from indicators.paths import CONFIG_PATH
from pages._app.gate import NOT_YOUR_PAGE, SIGN_IN_PROMPT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
DASHBOARD_PORT, PROVIDER_PORT, PAGE_FILE_PORT = 8610, 8611, 8612  # this suite's port range
BOARD = "chair@board.example.org"
AIMS = [a.id for a in spec.load_strategy(CONFIG_PATH).aims]
# Every page's URL path → the start of its main heading when it opens.
HEADINGS = {
    "": "Early Help and Prevention Strategy",
    "access": "Improve access",
    "core_offer": "Develop a core local offer",
    "quality": "Improve the quality",
    "empower": "Empower families",
    "engagement": "Increase engagement",
    "evidence": "Support the delivery",
    "front_door": "The front door",
    "jsna": "JSNA context",
    "actions": "Actions",
    "since_review": "Since the last review",
    "wards": "Wards",
    "ward_profile": "Ward profile",
    "catalogue": "Indicator catalogue",
    "data_quality": "Data quality",
    "warehouse": "Warehouse",
}
PAGE_KEYS = {path: path or "strategy" for path in HEADINGS}
# A stranger's first request after the server starts is the deep link the review used.
SIGNED_OUT_PATHS = [
    "data_quality",
    *(p for p in HEADINGS if p != "data_quality"),
    "aim",  # pages/aim.py, which Streamlit's pages/ folder fallback would run
    "no_such_page",
]
DATA = {
    "table": "[data-testid='stDataFrame'], [data-testid='stTable'], table",
    "download button": "[data-testid='stDownloadButton']",
    "figure": "[data-testid='stPlotlyChart'], .js-plotly-plot, svg[role='img']",
    "selection": "[data-testid='stSelectbox'], [data-testid='stTextInput']",
    "code": "[data-testid='stCode']",
    "error": "[data-testid='stException']",
}


@pytest.fixture(scope="module")
def quarantine_text(demo_warehouse: Path) -> list[str]:
    """What a leak of the quarantine would put on the page: its details and raw records."""
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        rows = con.execute("SELECT detail, record FROM quarantine").fetchall()
    assert len(rows) > 100  # the demo's deliberate breakage
    return sorted({text for row in rows for text in row if text and len(text) > 8})


@pytest.fixture(scope="module")
def provider():
    with fake_provider(PROVIDER_PORT) as running:
        yield running


def write_secrets(folder: Path, port: int) -> Path:
    """A deployment's secrets.toml: the fake provider, and roles by e-mail."""
    path = folder / "secrets.toml"
    path.write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-enough-length-0123456789"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "http://127.0.0.1:{PROVIDER_PORT}/.well-known/openid-configuration"

[access.roles]
board = ["@board.example.org"]
scrutiny = ["clerk@council.example.org"]
analyst = ["analyst@council.example.org"]
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def server(demo_warehouse: Path, provider: FakeProvider, tmp_path_factory: pytest.TempPathFactory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    secrets = write_secrets(tmp_path_factory.mktemp("secrets"), DASHBOARD_PORT)
    with dashboard_server(demo_warehouse, port=DASHBOARD_PORT, secrets=secrets) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


def settle(page) -> None:
    """Wait for the script run to finish, then a moment for anything it might still send."""
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)
    page.wait_for_timeout(800)


def assert_no_data(page, quarantine_text: list[str]) -> None:
    """Nothing read from the warehouse is on the page."""
    found = {name: page.locator(selector).count() for name, selector in DATA.items()}
    assert found == dict.fromkeys(DATA, 0)
    body = page.locator("body").inner_text()
    leaked = [text for text in quarantine_text if text in body]
    assert leaked == []
    for marker in ("Quarantined rows", "Load log", "Synthetic demo data", "Last load"):
        assert marker not in body


@pytest.mark.parametrize("embed", ["", "?embed=true"], ids=["plain", "embed"])
@pytest.mark.parametrize("path", SIGNED_OUT_PATHS)
def test_signed_out_visitor_meets_the_sign_in_prompt_on_every_page(
    server: str, browser, quarantine_text: list[str], path: str, embed: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # no cookies
    page = context.new_page()
    page.goto(f"{server}/{path}{embed}")
    page.get_by_text(SIGN_IN_PROMPT).wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_role("button", name="Sign in").count() == 1
    assert page.locator("h1").first.inner_text() == "Early Help and Prevention Strategy 2020–2024"
    assert_no_data(page, quarantine_text)
    if path == "data_quality" and not embed:
        page.screenshot(path=ARTIFACTS / "access_signed_out_data_quality.png")
    context.close()


def sign_in(browser, server: str, provider: FakeProvider, email: str, **claims):
    """A new browser that signs in as `email` through st.login and the fake provider."""
    provider.sign_in_as(email, **claims)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server)
    page.get_by_role("button", name="Sign in").click()
    # Streamlit's login → the provider's authorize → /oauth2callback sets the signed cookie.
    for _ in range(120):
        if any(c["name"].startswith("_streamlit_user") for c in context.cookies()):
            break
        page.wait_for_timeout(500)
    else:
        pytest.fail(f"no sign-in cookie after 60 s; the browser is at {page.url}")
    return context, page


@pytest.fixture(scope="module")
def board_member(server: str, browser, provider: FakeProvider):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = sign_in(browser, server, provider, BOARD, email_verified=True)
    page.get_by_text("Open Government Licence").wait_for(timeout=120_000)
    assert provider.authorize_requests[-1]["client_id"] == CLIENT_ID
    yield page
    context.close()


BOARD_PAGES = sorted(access.pages_for("board", AIMS))
REFUSED = [p for p in HEADINGS if not access.may_open("board", PAGE_KEYS[p], AIMS)]


def test_the_board_role_is_what_the_suite_expects() -> None:
    assert REFUSED == ["wards", "ward_profile", "catalogue", "data_quality", "warehouse"]
    assert set(BOARD_PAGES) == {"strategy", *AIMS, "front_door", "jsna", "actions", "since_review"}


@pytest.mark.parametrize("path", [p for p in HEADINGS if p not in REFUSED])
def test_board_member_opens_board_pages(board_member, server: str, path: str) -> None:
    page = board_member
    page.goto(f"{server}/{path}")
    page.get_by_text("Open Government Licence").wait_for(timeout=120_000)
    settle(page)
    assert page.locator("h1").first.inner_text().startswith(HEADINGS[path])
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("does not include this page").count() == 0
    assert page.get_by_text("Access is open").count() == 0


@pytest.mark.parametrize("embed", ["", "?embed=true"], ids=["plain", "embed"])
@pytest.mark.parametrize("path", REFUSED)
def test_board_member_is_refused_scrutiny_and_analyst_pages(
    board_member, server: str, quarantine_text: list[str], path: str, embed: str
) -> None:
    page = board_member
    page.goto(f"{server}/{path}{embed}")
    page.get_by_text(NOT_YOUR_PAGE.format(role="board")).wait_for(timeout=60_000)
    settle(page)
    assert_no_data(page, quarantine_text)
    assert page.locator("h1").count() == 0  # the page's own title was never drawn
    if path == "data_quality" and not embed:
        page.screenshot(path=ARTIFACTS / "access_board_refused_data_quality.png")


@pytest.mark.parametrize(
    ("email", "claims", "message"),
    [
        (
            BOARD,
            {"email_verified": False},
            f"{BOARD} is signed in, but the identity provider has not verified this "
            "e-mail address, so it has no role on this dashboard.",
        ),
        (
            "someone@elsewhere.example.org",
            {"email_verified": True},
            "someone@elsewhere.example.org is signed in but has no role on this dashboard. "
            "Ask the data team to add you to board, scrutiny or analyst.",
        ),
    ],
    ids=["unverified-email", "no-role"],
)
def test_signed_in_without_a_role_sees_no_data(
    server: str, browser, provider, quarantine_text, email: str, claims: dict, message: str
) -> None:
    context, page = sign_in(browser, server, provider, email, **claims)
    page.get_by_text(message).wait_for(timeout=60_000)
    for path in ("data_quality", "data_quality?embed=true", "access"):
        page.goto(f"{server}/{path}")
        page.get_by_text(message).wait_for(timeout=60_000)
        settle(page)
        assert_no_data(page, quarantine_text)
        assert page.get_by_role("button", name="Sign out").count() == 1
    context.close()


def test_page_file_run_on_its_own_shows_no_data(
    demo_warehouse: Path, browser, quarantine_text: list[str], tmp_path: Path
) -> None:
    """`streamlit run pages/data_quality.py` with sign-in configured: the page's own gate holds."""
    secrets = write_secrets(tmp_path, PAGE_FILE_PORT)
    with dashboard_server(
        demo_warehouse, script="pages/data_quality.py", port=PAGE_FILE_PORT, secrets=secrets
    ) as url:
        for embed in ("", "?embed=true"):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto(f"{url}/{embed}")
            page.get_by_text(SIGN_IN_PROMPT).wait_for(timeout=60_000)
            settle(page)
            assert page.get_by_role("button", name="Sign in").count() == 1
            assert_no_data(page, quarantine_text)
            context.close()


RESTART_PORT = 8614


def test_a_restart_opens_nothing_to_a_signed_in_board_member(
    demo_warehouse: Path, browser, provider: FakeProvider, quarantine_text, tmp_path: Path
) -> None:
    """After a restart Streamlit runs pages/*.py directly until dashboard.py has run once;
    the board member's cookie, the new process's first visitor, still opens no analyst page."""
    secrets = write_secrets(tmp_path, RESTART_PORT)
    with dashboard_server(demo_warehouse, port=RESTART_PORT, secrets=secrets) as url:
        context, page = sign_in(browser, url, provider, BOARD, email_verified=True)
        page.get_by_text("Open Government Licence").wait_for(timeout=120_000)
    with dashboard_server(demo_warehouse, port=RESTART_PORT, secrets=secrets) as url:
        for path in ("data_quality", "catalogue?embed=true", "warehouse", "wards"):
            page.goto(f"{url}/{path}")
            page.get_by_text(NOT_YOUR_PAGE.format(role="board")).wait_for(timeout=60_000)
            settle(page)
            assert_no_data(page, quarantine_text)
        page.goto(url)
        page.get_by_text("Open Government Licence").wait_for(timeout=120_000)
        assert page.locator("h1").first.inner_text().startswith(HEADINGS[""])
    context.close()


def test_a_scrutiny_member_sees_protected_quarantine_counts_and_no_rows(
    server: str, browser, provider: FakeProvider, quarantine_text
) -> None:
    """The clerk opens data quality by direct link: counts, protected (their values are
    checked in test_quality_counts), and never a raw record or the rows' search."""
    context, page = sign_in(browser, server, provider, "clerk@council.example.org")
    page.goto(f"{server}/data_quality")
    page.get_by_text("only analysts see them").wait_for(timeout=120_000)
    settle(page)
    page.get_by_text("Quarantine by file and reason").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "access_scrutiny_data_quality.png")
    body = page.locator("body").inner_text()
    assert "Counts left empty are withheld" in body
    assert [text for text in quarantine_text if text in body] == []
    assert page.locator("[data-testid='stTextInput']").count() == 0
    # Freshness, load log and quarantine by reason, each as CSV and Excel: no row download.
    assert page.locator("[data-testid='stDownloadButton']").count() == 6
    context.close()
