"""A new session's landing page, right after a load and a server start, against a trivial page.

Each repetition starts a fresh server on the freshly loaded scale-1 demo
warehouse (nothing cached in it) and opens the page in a new headless Chromium
session. The dashboard's server is started as `make dashboard` starts it
(`python -m indicators serve`: the pages' modules imported and the warehouse
attached before the first visitor); for comparison, also with a plain
`streamlit run dashboard.py`, where the first visitor waits for both. Finished
= from navigation until the page's last element is visible, Streamlit's status
widget is gone and no element is still a grey placeholder (st.html, Plotly and
data grids draw with code loaded on first use); largest contentful paint as the
browser reports it. The baseline is a trivial Streamlit page
(`bench/trivial_page.py`: one Plotly chart, one table), measured the same way
in the same run. Median of five repetitions each. Aims: the landing page
finished in under 2 s, and at most 1.5× the trivial page.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from indicators.paths import PROJECT_ROOT

REPEATS = 5
LARGEST_PAINT = """() => new Promise(resolve => new PerformanceObserver(list => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime / 1000);
}).observe({type: "largest-contentful-paint", buffered: true}))"""


@dataclass(frozen=True)
class Opened:
    page: str
    finished_seconds: float
    largest_paint_seconds: float


def _open_once(browser, url: str) -> tuple[float, float]:
    from browser import wait_until_drawn

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    wait_until_drawn(page)
    finished = time.perf_counter() - start
    paint = page.evaluate(LARGEST_PAINT)
    context.close()
    return finished, paint


def _median_open(warehouse: Path, script: str, label: str, *, plain: bool = False) -> Opened:
    from browser import chromium_browser, dashboard_server

    finished, paints = [], []
    for _ in range(REPEATS):
        server = dashboard_server(warehouse, script=script, plain_streamlit=plain)
        with server as url, chromium_browser() as browser:
            seconds, paint = _open_once(browser, url)
        finished.append(seconds)
        paints.append(paint)
    return Opened(label, statistics.median(finished), statistics.median(paints))


def run_landing(warehouse: Path) -> list[Opened]:
    """The trivial page, then the landing page served both ways, each on fresh servers."""
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    return [
        _median_open(warehouse, "bench/trivial_page.py", "trivial page (one chart, one table)"),
        _median_open(warehouse, "dashboard.py", "landing page (Strategy on a page)"),
        _median_open(
            warehouse,
            "dashboard.py",
            "landing page, plain `streamlit run` (imports in the first visit)",
            plain=True,
        ),
    ]


def report(opened: list[Opened]) -> str:
    baseline = opened[0]
    lines = [
        "| page | finished (s) | × trivial | largest contentful paint (s) | × trivial |",
        "|---|---:|---:|---:|---:|",
    ]
    for o in opened:
        lines.append(
            f"| {o.page} | {o.finished_seconds:.2f} | "
            f"{o.finished_seconds / baseline.finished_seconds:.2f}× | "
            f"{o.largest_paint_seconds:.2f} | "
            f"{o.largest_paint_seconds / baseline.largest_paint_seconds:.2f}× |"
        )
    return "\n".join(lines)
