"""Page time under sixteen concurrent sessions against one session, in the same run.

The real server on the scale-1 demo warehouse, its caches warmed by one
visit to each page (as a running deployment has them). One session: each of
ten pages opened alone, twice over. Sixteen sessions: sixteen headless
Chromium sessions opened at the same moment across the same ten pages, three
times over. Page time, two ways: from navigation until the page's last element
is visible, and until it is drawn (also the status widget gone and no grey
placeholder left). Every page must finish without an exception box, or the run
fails.
The sixteen browsers run on the same two cores as the server, so these
times include their own rendering (the split is not measured here).
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.pages import WARD
from indicators.paths import PROJECT_ROOT

PATHS = [
    "",
    "access",
    "quality",
    "front_door?period=2022%20H2",
    "wards",
    f"ward_profile?area={WARD}",
    "jsna",
    "catalogue",
    "data_quality",
    "warehouse",
]
SESSIONS = 16


@dataclass(frozen=True)
class Timing:
    sessions: int
    views: int
    p50: float
    p95: float
    visible_p50: float
    visible_p95: float


def _timing(sessions: int, visits: list) -> Timing:
    drawn = [v.seconds for v in visits]
    visible = [v.visible_seconds for v in visits]
    return Timing(sessions, len(visits), *_p50_p95(drawn), *_p50_p95(visible))


def _p50_p95(seconds: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return statistics.median(seconds), cuts[94]


def run_concurrency(warehouse: Path) -> list[Timing]:
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    from browser import dashboard_server, visit_at_once

    with dashboard_server(warehouse) as url:
        visits = visit_at_once(url, PATHS)  # warm the server's caches
        alone = [v for _ in range(2) for path in PATHS for v in visit_at_once(url, [path])]
        together = [
            v
            for _ in range(3)
            for v in visit_at_once(url, [PATHS[i % len(PATHS)] for i in range(SESSIONS)])
        ]
    failed = [(v.path, v.error) for v in [*visits, *alone, *together] if v.error]
    if failed:
        raise RuntimeError(f"pages failed: {failed}")
    return [
        _timing(1, alone),
        _timing(SESSIONS, together),
    ]


def report(timings: list[Timing]) -> str:
    lines = [
        "| sessions at once | page views | last element visible p50 (s) | p95 (s) "
        "| drawn p50 (s) | p95 (s) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        lines.append(
            f"| {t.sessions} | {t.views} | {t.visible_p50:.2f} | {t.visible_p95:.2f} "
            f"| {t.p50:.2f} | {t.p95:.2f} |"
        )
    one, many = timings
    lines.append(
        f"\n{many.sessions} sessions, drawn: p50 {many.p50 / one.p50:.1f}× and p95 "
        f"{many.p95 / one.p95:.1f}× one session's."
    )
    return "\n".join(lines)
