"""The quick start step `python -m indicators ensure`, and how load errors reach the shell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import write_extracts

from indicators.paths import PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
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


def test_compute_and_report_refuse_a_definition_that_fails_check(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    import yaml

    from indicators.paths import CONFIG_PATH

    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    first = document["indicators"][0]
    first["source"] = "quarantine"
    first["measure"] = {"type": "share_by_category", "category": "record"}
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    out = tmp_path / "results.csv"
    common = ("--config", str(config), "--warehouse", str(serving_warehouse))
    for command, written in (
        (("compute", "--out", str(out)), out),
        (("report", "--period", "2020 H2", "--out", str(tmp_path / "pack")), tmp_path / "pack.pdf"),
    ):
        done = run(*command, *common)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(
            f"{command[0]} stopped, nothing was written:\n"
            f"indicator {first['id']} fails check and was not computed: source: table "
            "'quarantine' is not a table analysts may read; use one of: requests, "
        )
        assert not written.exists()
