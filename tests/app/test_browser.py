"""Every page in a real browser: no Streamlit error box, no serious accessibility
violation (axe-core), a click-through from the landing page, and a screenshot of each page
in tests/artifacts/ to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import ARTIFACTS, CHROMIUM, chromium_browser, dashboard_server, wait_until_drawn

from indicators.config import spec
from indicators.paths import CONFIG_PATH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)"
    ),
]
# page → (path, the start of its main heading)
PAGES = {
    "strategy": ("", "Early Help and Prevention Strategy"),
    "access": ("access", "Improve access"),
    "core_offer": ("core_offer", "Develop a core local offer"),
    "quality": ("quality", "Improve the quality"),
    "empower": ("empower", "Empower families"),
    "engagement": ("engagement", "Increase engagement"),
    "evidence": ("evidence", "Support the delivery"),
    "front_door": ("front_door?period=2022%20H2", "The front door"),
    "wards": ("wards", "Wards"),
    "ward_profile": ("ward_profile?area=E05008715", "Ward profile"),
    "jsna": ("jsna", "JSNA context"),
    "catalogue": ("catalogue", "Indicator catalogue"),
    "data_quality": ("data_quality", "Data quality"),
    "warehouse": ("warehouse", "Warehouse"),
}
STRATEGY = spec.load_strategy(CONFIG_PATH)
FIRST_INDICATOR = "Requests for help per 10,000 children"  # the strategy table's first link


@pytest.fixture(scope="module")
def server(demo_warehouse: Path):
    with dashboard_server(demo_warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(500)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1280, "height": 800})
    return path


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_and_passes_axe(server: str, browser, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    path, heading = PAGES[name]
    page.goto(f"{server}/{path}")
    # While a script runs Streamlit fades the page; judge contrast once it is drawn.
    wait_until_drawn(page, 60_000)
    page.wait_for_timeout(1000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").first.inner_text().startswith(heading)
    assert screenshot(page, name).stat().st_size > 10_000
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    page.close()


def test_click_through_from_landing_to_an_aim_and_a_ward(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server)
    wait_until_drawn(page, 60_000)
    page.get_by_role("link", name=FIRST_INDICATOR).click()
    page.wait_for_url(re.compile(r"/access\?.*period=.*#requests_per_10k"), timeout=60_000)
    page.get_by_text("How 'Requests for help per 10,000 children' is measured").wait_for(
        timeout=60_000
    )
    assert page.locator("h1").first.inner_text().startswith("Improve access")
    page.get_by_role("link", name="Wards", exact=True).click()
    page.wait_for_url(re.compile(r"/wards"), timeout=60_000)
    page.get_by_role("heading", name="Wards ranked, with significance against the city").wait_for(
        timeout=60_000
    )
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_keyboard_alone_reaches_an_aim_page(server: str, browser) -> None:
    """Tab to the strategy table's first indicator and press Enter: no mouse needed."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server)
    wait_until_drawn(page, 60_000)
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.tagName + ' ' + (document.activeElement.innerText || '')"
        )
        if focused == f"A {FIRST_INDICATOR}":
            break
    else:
        pytest.fail(f"Tab never reached the link '{FIRST_INDICATOR}'")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).boxShadow"
    )
    assert outline.strip() not in ("none none", "")
    target = page.evaluate("() => new URL(document.activeElement.href).pathname")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target)), timeout=60_000)
    assert target.strip("/") in {path for path, _ in PAGES.values()}
    page.close()


def test_every_aim_and_indicator_is_above_the_fold_at_1366_by_768(server: str, browser) -> None:
    """The board's glance: the strategy table's every row is on the first screen."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(server)
    wait_until_drawn(page, 60_000)
    rows = page.locator("table.strategy-table").first.locator("tbody tr")
    rows.locator("th.aim").last.wait_for(timeout=60_000)
    bottoms = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().bottom)")
    aims = rows.locator("th.aim").count()
    shown = [i for i in STRATEGY.indicators if i.measure.kind.tile]
    assert aims == len(STRATEGY.aims) and len(bottoms) == aims + len(shown)
    assert max(bottoms) <= 768, f"rows end at {max(bottoms):.0f} px"
    # The Making Data Count icons survive the page's HTML sanitiser and are drawn.
    icons = rows.locator("[role='img'].mdc-icon")
    assert icons.count() >= 2 and icons.first.bounding_box()["width"] >= 14
    # So do the sparklines of the details below (images: the sanitiser keeps those).
    sparklines = page.locator("table.strategy-table img.sparkline")
    assert sparklines.count() == len(shown)
    assert sparklines.first.evaluate("i => i.complete && i.naturalWidth") == 160
    page.screenshot(path=ARTIFACTS / "strategy_1366x768.png")
    page.close()


def test_every_menu_name_is_shown_whole(server: str, browser) -> None:
    """An aim's name in the sidebar is read in full ("…help and support"), not cut to one
    line with an ellipsis: the menu is how a board member finds the aim."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/access")
    wait_until_drawn(page, 60_000)
    links = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']")
    names = links.evaluate_all("links => links.map(a => a.innerText.trim())")
    assert {aim.title for aim in STRATEGY.aims} <= set(names)
    cut = links.evaluate_all(
        """links => links.flatMap(a => [a, ...a.querySelectorAll('*')])
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
            .map(e => e.innerText.trim())"""
    )
    assert cut == []
    page.close()


@pytest.mark.parametrize("name", ["strategy", "wards"])
def test_tablet_width(server: str, browser, name: str) -> None:
    """At tablet width (768 px) pages lay out without sideways scrolling."""
    page = browser.new_page(viewport={"width": 768, "height": 1024})
    path, _ = PAGES[name]
    page.goto(f"{server}/{path}")
    wait_until_drawn(page, 60_000)
    page.wait_for_timeout(1000)
    main = "document.querySelector('[data-testid=\"stMain\"]')"
    overflow = page.evaluate(f"() => {main}.scrollWidth - {main}.clientWidth")
    assert overflow <= 1
    page.screenshot(path=ARTIFACTS / f"{name}_tablet.png")
    page.close()


def test_a_tables_downloads_arrive_named_as_demo_data(server: str, browser) -> None:
    """A table's CSV and Excel files reach the browser (they are made once and kept, not
    on every run), named as demo data, with the table's columns."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page.goto(f"{server}/wards")
    wait_until_drawn(page, 60_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download CSV").first.click()
    name = download.value.suggested_filename
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert name.startswith("SYNTHETIC-DEMO-") and name.endswith(".csv")
    assert len(text.splitlines()) > 1 and "," in text.splitlines()[0]
    with page.expect_download(timeout=60_000) as workbook:
        page.get_by_role("button", name="Download Excel").first.click()
    assert Path(workbook.value.path()).read_bytes()[:2] == b"PK"  # an .xlsx is a zip
    page.close()


def test_a_deep_link_right_after_a_server_start_opens_the_page_inside_the_dashboard(
    demo_warehouse: Path, browser
) -> None:
    """A bookmarked page as a fresh server's first request: with the menu and the wide
    layout, not the page file run on its own (Streamlit's old pages/ folder behaviour)."""
    with dashboard_server(demo_warehouse) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/wards")
        wait_until_drawn(page, 60_000)
        assert page.locator("h1").first.inner_text() == "Wards"
        menu = page.locator("[data-testid='stSidebar']")
        assert menu.get_by_text("Scrutiny", exact=True).count() == 1
        assert menu.get_by_role("link", name="Strategy on a page").count() == 1
        page.close()
