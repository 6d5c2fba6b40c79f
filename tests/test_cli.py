"""The quick start step `python -m indicators ensure`, and how load errors reach the shell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import write_extracts

from indicators.paths import PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ensure_loads_extracts_once_and_then_leaves_the_warehouse_alone(tmp_path: Path) -> None:
    extracts = write_extracts(tmp_path / "extracts")
    warehouse = tmp_path / "w.duckdb"
    first = run("ensure", "--warehouse", str(warehouse), "--extracts", str(extracts))
    assert first.returncode == 0, first.stderr
    assert warehouse.exists()
    stamp = warehouse.stat().st_mtime_ns
    second = run("ensure", "--warehouse", str(warehouse), "--extracts", str(extracts))
    assert second.returncode == 0 and "is serving" in second.stdout
    assert warehouse.stat().st_mtime_ns == stamp


def test_load_errors_exit_2_with_the_file_named(tmp_path: Path) -> None:
    extracts = write_extracts(tmp_path / "extracts")
    (extracts / "feedback.csv").write_bytes(b"")
    done = run("load", str(extracts), "--warehouse", str(tmp_path / "w.duckdb"))
    assert done.returncode == 2
    assert "feedback.csv: the file is empty" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()
