"""How fast each page is: script time cold and warm (AppTest) and first render in Chromium.

Cold = the page's caches cleared before the run (the first visitor after a
load: the page reads its rows of the stored publication); warm = the same
page again (a page switch). First render = from navigation until the page's
last element is visible and nothing is left to draw (no status widget, no grey
placeholder) in headless Chromium, against the real server, pages visited in
the order listed. Aims: a warm page switch at most 150 ms of script
time for every page (issue 12), first render under 2 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from indicators.load.reference import lsoa_ward
from indicators.paths import PROJECT_ROOT, REFERENCE_DIR

# A ward of the shipped reference data (any ward's profile costs the same to draw).
WARD = min(lsoa_ward(REFERENCE_DIR)["ward_code"])
PAGES = {
    "Strategy on a page": ("pages/strategy.py", ""),
    "Aim: improve access": ("aim:access", "access"),
    "Aim: quality": ("aim:quality", "quality"),
    "The front door": ("pages/front_door.py", "front_door"),
    "Wards": ("pages/wards.py", "wards"),
    "Ward profile": ("pages/ward_profile.py", f"ward_profile?area={WARD}"),
    "JSNA context": ("pages/jsna.py", "jsna"),
    "Indicator catalogue": ("pages/catalogue.py", "catalogue"),
    "Data quality": ("pages/data_quality.py", "data_quality"),
    "Warehouse": ("pages/warehouse.py", "warehouse"),
}


@dataclass(frozen=True)
class PageResult:
    page: str
    cold_seconds: float
    warm_seconds: float
    first_render_seconds: float


def _script_times(warehouse: Path, script: str) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["EARLY_HELP_WAREHOUSE"] = str(warehouse)
    if script.startswith("aim:"):
        app = AppTest.from_function(_aim_page, args=(script[4:],), default_timeout=300)
    else:
        app = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=300)
        if script != "pages/strategy.py":
            app.switch_page(script)
    st.cache_data.clear()
    start = time.perf_counter()
    app.run()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - start)
    if app.exception:
        raise RuntimeError(f"{script}: {app.exception[0].value}")
    return cold, statistics.median(warm)


def _aim_page(aim_id: str) -> None:
    from pages import aim  # `python -m bench` runs from the project root

    aim.render(aim_id)


def _first_renders(warehouse: Path) -> dict[str, float]:
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    from browser import CHROMIUM, CHROMIUM_ARGS, dashboard_server, wait_until_drawn
    from playwright.sync_api import sync_playwright

    times = {}
    with dashboard_server(warehouse) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)  # warm the server's caches once, as a running deployment has them
        wait_until_drawn(page)
        for name, (_, path) in PAGES.items():
            start = time.perf_counter()
            page.goto(f"{url}/{path}")
            wait_until_drawn(page)
            times[name] = time.perf_counter() - start
        browser.close()
    return times


def run_pages(warehouse: Path) -> list[PageResult]:
    renders = _first_renders(warehouse)
    results = []
    for name, (script, _) in PAGES.items():
        cold, warm = _script_times(warehouse, script)
        results.append(PageResult(name, cold, warm, renders[name]))
    return results


def report(results: list[PageResult]) -> str:
    lines = [
        "| page | script, cold cache (s) | script, warm (ms) | first render in Chromium (s) |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.page} | {r.cold_seconds:.2f} | {r.warm_seconds * 1000:.0f} | "
            f"{r.first_render_seconds:.2f} |"
        )
    return "\n".join(lines)
