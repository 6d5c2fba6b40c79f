"""Every page in a real browser: no Streamlit error box, and a screenshot to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, dashboard_server

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)"
)


def test_warehouse_page_renders_in_chromium(serving_warehouse: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with dashboard_server(serving_warehouse) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        # The attribution is the last element: once it shows, the script has run through.
        page.get_by_text("Open Government Licence").wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("34 new wards").count() == 1
        assert page.get_by_text("Load log").count() == 1
        page.screenshot(path=ARTIFACTS / "warehouse.png", full_page=True)
        browser.close()
