"""`python -m indicators ...`: the commands analysts and the quick start use.

Expected failures (no warehouse yet, a missing or broken file, a config that
fails `check`, a period or ward the load does not hold) end with one plain
message on stderr and a non-zero exit, never a traceback: a newcomer reads
what went wrong and what to run next.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from indicators.load.lock import DEFAULT_LOCK_TIMEOUT
from indicators.load.shrink_guard import DEFAULT_MIN_KEPT_SHARE
from indicators.load.staging import LoadError
from indicators.paths import (
    DEFAULT_WAREHOUSE,
    DEMO_DIR,
    EXTRACTS_DIR,
    REFERENCE_DIR,
    config_path,
)

MAPPING_HELP = (
    "read another system's export through config/sources/NAME.yaml (or a .yaml path): "
    "its files, sheets, column names, codes and date format"
)


class CommandError(Exception):
    """An expected failure of a command; the message says what to do about it."""


def _serving(path: Path) -> Path:
    """The warehouse a command reads, or a `CommandError` saying how to build one."""
    if not path.is_file():
        raise CommandError(
            f"no warehouse at {path}: run `python -m indicators ensure` to build one "
            "(from data/extracts, or synthetic demo data when there are none), "
            "or `python -m indicators load DIR` to load extracts"
        )
    return path


def _strategy(path: Path):
    """The strategy in `path`, or a `CommandError` when the file is missing, unreadable
    or fails `check` outside its indicators (those are refused one by one, later)."""
    from indicators.config import spec
    from indicators.config.check import check_strategy
    from indicators.config.issue import ERROR

    if not path.is_file():
        raise CommandError(f"{path}: no such strategy file (the default is config/indicators.yaml)")
    try:
        strategy = spec.load_strategy(path)
    except spec.SpecError as err:
        raise CommandError(f"{err}; run `python -m indicators check {path}`") from None
    ids = {indicator.id or "?" for indicator in strategy.indicators}
    errors = [
        issue.format(path)
        for issue in check_strategy(strategy, None)
        if issue.severity == ERROR and issue.indicator_id not in ids
    ]
    if errors:
        raise CommandError(
            "\n".join([*errors, f"the file fails check: run `python -m indicators check {path}`"])
        )
    return strategy


def _demo(args: argparse.Namespace) -> int:
    from indicators.demo.generate import generate_demo
    from indicators.demo.other_system import LAYOUT, generate_other_system

    generate = generate_other_system if args.layout == LAYOUT else generate_demo
    summary = generate(Path(args.out), seed=args.seed, scale=args.scale)
    print(
        f"synthetic demo extracts written to {args.out}: {summary.total_rows:,} rows, "
        f"{summary.broken_rows:,} of them deliberately broken"
    )
    return 0


def _load(args: argparse.Namespace) -> int:
    from indicators.load.mapped import read_mapping
    from indicators.load.warehouse import LoadSettings, build_warehouse

    settings = LoadSettings(
        lock_timeout=args.lock_timeout,
        min_kept_share=args.min_kept_share,
        accept_shrink=args.accept_shrink,
    )
    report = build_warehouse(
        Path(args.extracts),
        Path(args.warehouse),
        reference_dir=Path(args.reference),
        settings=settings,
        mapping=read_mapping(args.mapping) if args.mapping else None,
    )
    print("\n".join(report.lines()))
    print(
        f"load {report.load_id} serving at {args.warehouse}"
        + (" (synthetic demo data)" if report.is_demo else "")
    )
    return 0


def _profile(args: argparse.Namespace) -> int:
    from indicators.load.mapped import read_mapping
    from indicators.load.profile import profile_extracts

    mapping = read_mapping(args.mapping) if args.mapping else None
    profile = profile_extracts(Path(args.extracts), mapping, reference_dir=Path(args.reference))
    print("\n".join(profile.lines()))
    print(f"dry run of {args.extracts}: no warehouse was written")
    return 0


def _ensure(args: argparse.Namespace) -> int:
    """Quick start: keep a serving warehouse; build one from extracts or demo data if none."""
    from indicators.demo.generate import generate_demo
    from indicators.load.mapped import read_mapping
    from indicators.load.warehouse import build_warehouse
    from indicators.store import publication

    warehouse = Path(args.warehouse)
    if warehouse.exists() and publication.is_current(warehouse):
        print(f"warehouse {warehouse} is serving; `python -m indicators load DIR` replaces it")
        return 0
    if warehouse.exists():
        print(f"warehouse {warehouse} holds no publication of this version: building it again")
    extracts = Path(args.extracts)
    mapping = read_mapping(args.mapping) if args.mapping else None
    if not (extracts.is_dir() and any(extracts.iterdir())):
        print(f"no extracts in {extracts}: generating synthetic demo extracts in {DEMO_DIR}")
        generate_demo(DEMO_DIR)
        extracts, mapping = DEMO_DIR, None
    report = build_warehouse(extracts, warehouse, mapping=mapping)
    print("\n".join(report.lines()))
    return 0


def _serve(args: argparse.Namespace) -> NoReturn:
    from indicators.serving import serve

    serve(args.streamlit_options)


def _check(args: argparse.Namespace) -> int:
    from indicators.config.check import check_file
    from indicators.config.issue import ERROR

    path = Path(args.path)
    if not path.is_file():
        raise CommandError(f"{path}: no such strategy file (the default is config/indicators.yaml)")
    warehouse = Path(args.warehouse)
    if not warehouse.exists():
        print(f"note: no warehouse at {warehouse}: tables, columns and SQL are not checked")
        warehouse = None
    issues = check_file(path, warehouse)  # a source mapping's rules when `path` is one
    for issue in issues:
        print(issue.format(path))
    errors = sum(issue.severity == ERROR for issue in issues)
    warnings = len(issues) - errors
    counts = f"{errors} error(s), {warnings} warning(s)"
    print(f"{path}: {counts}" if issues else f"{path}: no problems found")
    return 1 if errors else 0


def _runner(args: argparse.Namespace, warehouse: Path):
    """The engine that counts: None for the warehouse itself (DuckDB)."""
    if args.engine == "duckdb":
        return None
    import tempfile

    from indicators.engine.runners import PostgresRunner, SparkRunner, export_tables

    parquet = export_tables(warehouse, Path(tempfile.mkdtemp(prefix="indicators-parquet-")))
    runner = (
        PostgresRunner(args.dsn, args.analyst_dsn or None)
        if args.engine == "postgres"
        else SparkRunner(args.master)
    )
    runner.load(parquet)
    return runner


def _compute(args: argparse.Namespace) -> int:
    from indicators.disclosure.publication import build_publication

    strategy = _strategy(Path(args.config))
    warehouse = _serving(Path(args.warehouse))
    runner = _runner(args, warehouse)
    try:
        frame = build_publication(warehouse, strategy, runner).results
    finally:
        if runner is not None:
            runner.close()
    out = Path(args.out)
    if out.suffix == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        frame.to_csv(out, index=False)
    print(f"{len(frame):,} rows for {frame['indicator_id'].nunique()} indicators written to {out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    import datetime as dt

    from indicators.config import check
    from indicators.report import board_pack
    from indicators.report.review_sections import review_blocks
    from indicators.review.settings import store_settings
    from indicators.review.store import ReviewStore

    strategy = _strategy(Path(args.config))
    warehouse = _serving(Path(args.warehouse))
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CommandError(f"{out.parent}: no such folder to write the report to")
    # The pack reads the load's publication; a strategy file whose definitions fail
    # check would name and describe figures it cannot stand behind, so it is refused.
    refused = check.problems_by_indicator(check.refusals(strategy, warehouse))
    if refused:
        raise check.DefinitionsRefused(refused)
    pack = (
        board_pack.ward_report(warehouse, strategy, args.period, args.ward)
        if args.ward
        else board_pack.board_pack(
            warehouse,
            strategy,
            args.period,
            review_sections=review_blocks(
                ReviewStore(store_settings()), warehouse, strategy, args.period, dt.date.today()
            ),
        )
    )
    out.with_suffix(".pdf").write_bytes(board_pack.to_pdf(pack))
    out.with_suffix(".html").write_text(board_pack.to_html(pack), encoding="utf-8")
    print(f"{pack.title}: {out.with_suffix('.pdf')} and {out.with_suffix('.html')}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="write synthetic demo extracts")
    demo.add_argument("--out", required=True, help="folder to write the extracts to")
    demo.add_argument("--seed", type=int, default=2020)
    demo.add_argument("--scale", type=int, default=1, help="multiply volumes (benchmarks)")
    demo.add_argument(
        "--layout",
        choices=["contract", "other-system"],
        default="contract",
        help="contract: one CSV per contract table; other-system: the same rows as another "
        "system exports them (one workbook, its own names, codes and dates), loaded with "
        "--mapping other-system",
    )
    demo.set_defaults(run=_demo)

    load = commands.add_parser("load", help="check extracts and swap in a new warehouse")
    load.add_argument("extracts", help="folder holding the extracts")
    load.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    load.add_argument("--reference", default=str(REFERENCE_DIR))
    load.add_argument(
        "--lock-timeout",
        type=float,
        default=DEFAULT_LOCK_TIMEOUT,
        metavar="SECONDS",
        help="give up after waiting this long for another load to finish (default %(default)g)",
    )
    load.add_argument(
        "--min-kept-share",
        type=float,
        default=DEFAULT_MIN_KEPT_SHARE,
        metavar="SHARE",
        help="stop when a table keeps less than this share of the serving load's rows "
        "(default %(default)g)",
    )
    load.add_argument(
        "--accept-shrink",
        action="store_true",
        help="swap in even when a table's kept rows collapsed (the extracts really shrank)",
    )
    load.add_argument("--mapping", metavar="NAME", help=MAPPING_HELP)
    load.set_defaults(run=_load)

    profile = commands.add_parser(
        "profile", help="dry run: what a load of DIR would keep and quarantine; writes nothing"
    )
    profile.add_argument("extracts", help="folder holding the extracts")
    profile.add_argument("--mapping", metavar="NAME", help=MAPPING_HELP)
    profile.add_argument("--reference", default=str(REFERENCE_DIR))
    profile.set_defaults(run=_profile)

    serve = commands.add_parser(
        "serve",
        help="serve the dashboard, its modules imported before the first visitor; any other "
        "option is Streamlit's own (e.g. --server.port 8501)",
    )
    serve.set_defaults(run=_serve)

    ensure = commands.add_parser("ensure", help="build a warehouse if none is serving")
    ensure.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    ensure.add_argument("--extracts", default=str(EXTRACTS_DIR))
    ensure.add_argument("--mapping", metavar="NAME", help=MAPPING_HELP)
    ensure.set_defaults(run=_ensure)

    check = commands.add_parser("check", help="report every mistake in the indicator file")
    check.add_argument("path", nargs="?", default=str(config_path()))
    check.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    check.set_defaults(run=_check)

    compute = commands.add_parser("compute", help="compute every indicator into a file")
    compute.add_argument("--out", default="indicator_results.csv", help=".csv or .parquet")
    compute.add_argument("--config", default=str(config_path()))
    compute.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    compute.add_argument(
        "--engine",
        choices=["duckdb", "postgres", "spark"],
        default="duckdb",
        help="where the counting runs (the tables are copied there first)",
    )
    compute.add_argument(
        "--dsn",
        default=os.environ.get("EARLY_HELP_POSTGRES_DSN", ""),
        help="PostgreSQL connection string (or EARLY_HELP_POSTGRES_DSN)",
    )
    compute.add_argument(
        "--analyst-dsn",
        default=os.environ.get("EARLY_HELP_POSTGRES_ANALYST_DSN", ""),
        help="PostgreSQL connection for analysts' SQL, as a role with no file access "
        "(or EARLY_HELP_POSTGRES_ANALYST_DSN); by default the runner creates one",
    )
    compute.add_argument(
        "--master",
        default=os.environ.get("EARLY_HELP_SPARK_MASTER", "local[2]"),
        help="Spark master URL (or EARLY_HELP_SPARK_MASTER)",
    )
    compute.set_defaults(run=_compute)

    pack = commands.add_parser("report", help="the board pack (or --ward report) as PDF + HTML")
    pack.add_argument("--period", required=True, help="review period, e.g. '2024 H2'")
    pack.add_argument("--out", required=True, help="file name; .pdf and .html are written")
    pack.add_argument(
        "--ward",
        help="a ward code (2011-2023 or May 2023 wards) for a ward report instead of the pack",
    )
    pack.add_argument("--config", default=str(config_path()))
    pack.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    pack.set_defaults(run=_report)

    from indicators.review.commands import add_commands

    add_commands(commands)

    args, streamlit_options = parser.parse_known_args(argv)
    if streamlit_options and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(streamlit_options)}")
    args.streamlit_options = streamlit_options
    if args.command == "serve":  # the server's process imports only what its pages use
        return args.run(args)
    from indicators.config.check import DefinitionsRefused
    from indicators.engine.runners import EngineRefused
    from indicators.report.choices import ReportRefused
    from indicators.store.limits import QueryStopped

    try:
        return args.run(args)
    except LoadError as err:
        print(f"load stopped, nothing was swapped in:\n{err}", file=sys.stderr)
        return 2
    except (DefinitionsRefused, QueryStopped, EngineRefused, ReportRefused, CommandError) as err:
        print(f"{args.command} stopped, nothing was written:\n{err}", file=sys.stderr)
        return 1
    except OSError as err:  # a folder that cannot be written, a file that vanished, a full disk
        print(
            f"{args.command} stopped: {err.strerror or err}: {err.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 1
