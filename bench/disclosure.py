"""Disclosure control over the whole publication, against computing without it, same run.

Baseline = `compute_all(protect=False)`: every indicator's counts and
statistics, no disclosure control. Per indicator = `compute_all`: the same
with each indicator protected on its own (what the first version
published). Publication = `build_publication`: the same counts plus the
monthly SPC series and the front-door flow of every review period, protected
together as one linear system (`indicators.disclosure.suppression`). Best of 3 runs
each; the share of published rows suppressed is reported for both kinds of
protection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from indicators.config import spec
from indicators.disclosure.publication import build_publication
from indicators.engine.compute import compute_all
from indicators.paths import CONFIG_PATH


@dataclass(frozen=True)
class DisclosureTiming:
    baseline: float
    per_indicator: float
    publication: float
    rows: int
    suppressed_per_indicator: int
    suppressed_publication: int


def _best(run, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def run_disclosure(warehouse: Path) -> DisclosureTiming:
    strategy = spec.load_strategy(CONFIG_PATH)
    baseline, _ = _best(lambda: compute_all(warehouse, strategy, protect=False))
    per_indicator, protected = _best(lambda: compute_all(warehouse, strategy))
    whole, published = _best(lambda: build_publication(warehouse, strategy))
    return DisclosureTiming(
        baseline,
        per_indicator,
        whole,
        len(published.results),
        int(protected["suppressed"].sum()),
        int(published.results["suppressed"].sum()),
    )


def report(timing: DisclosureTiming) -> str:
    rows = [
        ("no disclosure control (baseline)", timing.baseline, None),
        ("each indicator on its own", timing.per_indicator, timing.suppressed_per_indicator),
        ("the whole publication", timing.publication, timing.suppressed_publication),
    ]
    lines = [
        "| computed | time | × baseline | tidy rows suppressed |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, hidden in rows:
        share = "—"
        if hidden is not None:
            share = f"{hidden:,} of {timing.rows:,} ({hidden / timing.rows:.1%})"
        lines.append(f"| {name} | {seconds:.2f} s | {seconds / timing.baseline:.1f}× | {share} |")
    return "\n".join(lines)
