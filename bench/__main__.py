"""Run the benchmarks and update their sections of bench/RESULTS.md.

`python -m bench [--only load compute pages] [--scales 1 100]`. Each benchmark
measures its own baseline in the same run, so its ratios hold on any machine;
sections not run this time keep their last results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
from pathlib import Path

from bench import compute, concurrency, disclosure, engines, landing, load, pages, report

RESULTS = Path(__file__).with_name("RESULTS.md")
WORKDIR = Path(__file__).with_name("out")

LOAD_TITLE = "Validated load vs DuckDB's own read_csv (issue: warehouse foundation)"
LOAD_TEXT = (
    "Raw = `CREATE TABLE AS SELECT * FROM read_csv(file)` of the seven demo extracts (type "
    "detection, no checks). Validated = the whole `build_warehouse`: reference and public "
    "data, every contract check, quarantine, derived keys, the publication (every figure "
    "computed, judged, protected and stored, issue 12), checkpoint and swap. Aim: the load "
    "costs at most 3× a raw read; the publication's own time is shown beside it. Dry run = "
    "`python -m indicators profile` of the same extracts: the same reading and checks in "
    "memory, no warehouse written."
)
COMPUTE_TITLE = "Every indicator for every area and period (issue: indicator engine)"
COMPUTE_TEXT = (
    "Engine = `compute_all`: every indicator of config/indicators.yaml, each one GROUPING SETS "
    "query over half-years and financial years × (city, wards, deprivation deciles, "
    "breakdowns), statistics and disclosure control on the result (best of 3 runs). Naive = "
    "the same indicators in pandas, looping over indicator × period × area and filtering "
    "(tables already in memory, not timed); the city numerators of both are checked equal "
    "before any time is reported. Aims: all indicators for one council under 1 s; the engine "
    "at least 10× faster than the naive version at scale 100."
)
REPORT_TITLE = "Board pack (issue: six-monthly review pack)"
REPORT_TEXT = " ".join((report.__doc__ or "").split())
ENGINES_TITLE = "DuckDB and Spark at scale 150 (issue: several engines)"
ENGINES_TEXT = " ".join((engines.__doc__ or "").split())
DISCLOSURE_TITLE = "Disclosure control over the whole publication (issue: children's data)"
DISCLOSURE_TEXT = " ".join((disclosure.__doc__ or "").split()) + " Demo warehouse at scale 1."
PAGES_TITLE = "Page speed (issue: the dashboard)"
PAGES_TEXT = (pages.__doc__ or "").split("\n\n", 1)[1].strip().replace("\n", " ") + (
    " Demo warehouse at scale 1."
)
LANDING_TITLE = "A new session's landing page after a load and a server start (issue 12)"
LANDING_TEXT = " ".join((landing.__doc__ or "").split("\n\n", 1)[1].split())
CONCURRENCY_TITLE = "Page time under 16 concurrent sessions (issue 10)"
CONCURRENCY_TEXT = " ".join((concurrency.__doc__ or "").split("\n\n", 1)[1].split())


def _sections() -> dict[str, str]:
    if not RESULTS.exists():
        return {}
    parts = re.split(r"^## ", RESULTS.read_text(encoding="utf-8"), flags=re.M)[1:]
    return {part.split("\n", 1)[0]: part.split("\n", 1)[1].strip() for part in parts}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[
            "load",
            "compute",
            "disclosure",
            "pages",
            "landing",
            "report",
            "engines",
            "concurrency",
        ],
        default=["load", "compute", "disclosure", "pages", "landing", "report", "concurrency"],
    )
    args = parser.parse_args()
    WORKDIR.mkdir(exist_ok=True)
    sections = _sections()
    loads, computed = [], []
    for scale in args.scales if {"load", "compute"} & set(args.only) else []:
        loads.append(
            load.run_load(scale, WORKDIR, keep_warehouse=True, profile="load" in args.only)
        )
        print(f"load scale {scale}: {loads[-1]}")
        if "compute" in args.only:
            computed.append(compute.run_compute(scale, load.warehouse_path(WORKDIR)))
            print(f"compute scale {scale}: {computed[-1]}")
    if "load" in args.only:
        sections[LOAD_TITLE] = f"{LOAD_TEXT}\n\n{load.report(loads)}"
    if "compute" in args.only:
        sections[COMPUTE_TITLE] = f"{COMPUTE_TEXT}\n\n{compute.report(computed)}"
    if "disclosure" in args.only:
        load.run_load(1, WORKDIR, keep_warehouse=True)
        timing = disclosure.run_disclosure(load.warehouse_path(WORKDIR))
        sections[DISCLOSURE_TITLE] = f"{DISCLOSURE_TEXT}\n\n{disclosure.report(timing)}"
    if "pages" in args.only:
        load.run_load(1, WORKDIR, keep_warehouse=True)
        results = pages.run_pages(load.warehouse_path(WORKDIR))
        sections[PAGES_TITLE] = f"{PAGES_TEXT}\n\n{pages.report(results)}"
    if "landing" in args.only:
        load.run_load(1, WORKDIR, keep_warehouse=True)
        opened = landing.run_landing(load.warehouse_path(WORKDIR))
        sections[LANDING_TITLE] = f"{LANDING_TEXT}\n\n{landing.report(opened)}"
    if "concurrency" in args.only:
        load.run_load(1, WORKDIR, keep_warehouse=True)
        timings = concurrency.run_concurrency(load.warehouse_path(WORKDIR))
        sections[CONCURRENCY_TITLE] = f"{CONCURRENCY_TEXT}\n\n{concurrency.report(timings)}"
    if "engines" in args.only:
        result = load.run_load(150, WORKDIR, keep_warehouse=True)
        measured = engines.run_engines(load.warehouse_path(WORKDIR), WORKDIR)
        sections[ENGINES_TITLE] = f"{ENGINES_TEXT}\n\n{engines.report(150, result.rows, measured)}"
    if "report" in args.only:
        load.run_load(1, WORKDIR, keep_warehouse=True)
        sections[REPORT_TITLE] = (
            f"{REPORT_TEXT}\n\n{report.report_table(*report.run_report(load.warehouse_path(WORKDIR)))}"
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    body = "\n\n".join(f"## {title}\n\n{text}" for title, text in sections.items())
    RESULTS.write_text(
        f"# Benchmark results\n\nLast run {dt.date.today():%d %B %Y} on {machine}. Regenerate "
        f"with `make bench` (or `python -m bench --only pages`).\n\n{body}\n",
        encoding="utf-8",
    )
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
