"""The whole catalogue at scale 150 (every English council's worth of extracts):
DuckDB embedded against Spark in local mode, time and peak memory, same run.

Each engine runs in its own process so its peak memory (resident set, the JVM
included for Spark) is its own. Spark's time includes loading the Parquet
export into the session; the export itself is timed separately.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from indicators.paths import PROJECT_ROOT

DUCKDB = """
import json, resource, time
from pathlib import Path
from indicators.config import spec
from indicators.engine.compute import compute_all
strategy = spec.load_strategy(Path("config/indicators.yaml"))
start = time.perf_counter()
rows = len(compute_all(Path({warehouse!r}), strategy))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "rows": rows}}))
"""

SPARK = """
import json, os, resource, time, warnings
warnings.simplefilter("ignore")
from pathlib import Path
from indicators.config import spec
from indicators.engine.compute import compute_all
from indicators.engine.runners import SparkRunner
strategy = spec.load_strategy(Path("config/indicators.yaml"))
parquet = {{p.stem: p for p in Path({parquet!r}).glob("*.parquet")}}
start = time.perf_counter()
runner = SparkRunner("local[2]")
runner.load(parquet)
rows = len(compute_all(Path({warehouse!r}), strategy, runner))
seconds = time.perf_counter() - start


def descendants(pid):
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if int(fields["PPid"]) == pid:
            child = int(status.parent.name)
            children += [(child, fields), *descendants(child)]
    return children


# The JVM is a grandchild (via spark-submit): its peak resident set (VmHWM) before it stops.
jvm = sum(int(f.get("VmHWM", "0 kB").split()[0]) for _, f in descendants(os.getpid())) / 1024
runner.close()
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": own + jvm, "rows": rows}}))
"""


def _run(script: str) -> dict:
    done = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_engines(warehouse: Path, workdir: Path) -> dict[str, dict]:
    from indicators.engine.runners import export_tables

    start = time.perf_counter()
    export_tables(warehouse, workdir / "parquet")
    export = time.perf_counter() - start
    duck = _run(DUCKDB.format(warehouse=str(warehouse)))
    spark = _run(SPARK.format(warehouse=str(warehouse), parquet=str(workdir / "parquet")))
    return {"duckdb": duck, "spark": spark, "export_seconds": export}


def report(scale: int, rows: int, results: dict) -> str:
    lines = [
        f"Scale {scale}: {rows:,} extract rows. Parquet export for Spark: "
        f"{results['export_seconds']:.1f} s.",
        "",
        "| engine | all indicators (s) | peak memory (MB) | result rows |",
        "|---|---:|---:|---:|",
    ]
    for engine in ("duckdb", "spark"):
        r = results[engine]
        lines.append(f"| {engine} | {r['seconds']:.1f} | {r['peak_mb']:,.0f} | {r['rows']:,} |")
    return "\n".join(lines)
