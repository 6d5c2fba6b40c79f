"""Validated load against DuckDB's own read_csv of the same files, in the same run.

The baseline is the cheapest honest way to get the same extracts into
DuckDB: `CREATE TABLE … AS SELECT * FROM read_csv(file)` with type
detection, no checks. The validated load is the whole `build_warehouse`
(reference and public data, checks, quarantine, derived keys, the
publication, swap), so the ratio is what a load really costs a user; the
publication step (every figure computed, judged, protected and stored) is
also reported on its own. The dry run (`profile`, the same reading and checks
in memory, no warehouse written) is timed beside it.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.demo.generate import generate_demo
from indicators.load.contract import TABLES
from indicators.load.profile import profile_extracts
from indicators.load.warehouse import build_warehouse
from indicators.store import publication, readers


@dataclass(frozen=True)
class LoadResult:
    scale: int
    rows: int
    raw_seconds: float
    validated_seconds: float
    publication_seconds: float  # of validated_seconds: computing the publication
    profile_seconds: float | None = None

    @property
    def ratio(self) -> float:
        return self.validated_seconds / self.raw_seconds


def _raw_read(extracts: Path, target: Path) -> tuple[int, float]:
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(str(target))
    rows = 0
    for table in TABLES:
        path = extracts / f"{table.name}.csv"
        con.execute(f"CREATE TABLE {table.name} AS SELECT * FROM read_csv(?)", [str(path)])  # noqa: S608 (the contract's table names; the path is bound)
        rows += con.execute(f"SELECT count(*) FROM {table.name}").fetchall()[0][0]  # noqa: S608 (the benchmark's own table names)
    con.execute("CHECKPOINT")
    con.close()
    return rows, time.perf_counter() - start


def warehouse_path(workdir: Path) -> Path:
    return workdir / "validated.duckdb"


def run_load(
    scale: int, workdir: Path, *, keep_warehouse: bool = False, profile: bool = False
) -> LoadResult:
    extracts = workdir / f"extracts_scale{scale}"
    if not extracts.exists():
        generate_demo(extracts, scale=scale)
    raw_rows, raw_seconds = _raw_read(extracts, workdir / "raw.duckdb")
    warehouse = warehouse_path(workdir)
    start = time.perf_counter()
    build_warehouse(extracts, warehouse, progress=lambda _m: None)
    validated_seconds = time.perf_counter() - start
    published = publication.info(warehouse)
    readers.release(warehouse)  # the next load swaps a new file in under this name
    profile_seconds = None
    if profile:
        start = time.perf_counter()
        profile_extracts(extracts)
        profile_seconds = time.perf_counter() - start
    (workdir / "raw.duckdb").unlink(missing_ok=True)
    if not keep_warehouse:
        warehouse.unlink(missing_ok=True)
    if scale > 1:
        shutil.rmtree(extracts)
    return LoadResult(
        scale, raw_rows, raw_seconds, validated_seconds, published.seconds, profile_seconds
    )


def report(results: list[LoadResult]) -> str:
    lines = [
        "| scale | extract rows | raw read_csv (s) | rows/s | validated load (s) | rows/s "
        "| ratio | of which the publication (s) | load without it × raw | dry run profile (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        dry_run = "—" if r.profile_seconds is None else f"{r.profile_seconds:.2f}"
        lines.append(
            f"| {r.scale} | {r.rows:,} | {r.raw_seconds:.2f} | {r.rows / r.raw_seconds:,.0f} | "
            f"{r.validated_seconds:.2f} | {r.rows / r.validated_seconds:,.0f} | {r.ratio:.2f}× | "
            f"{r.publication_seconds:.2f} | "
            f"{(r.validated_seconds - r.publication_seconds) / r.raw_seconds:.2f}× | {dry_run} |"
        )
    return "\n".join(lines)
