"""The quick start step `python -m indicators ensure`, and how every command's expected
failures reach the shell: one plain message and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_extracts

from indicators.cli import main
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


# --- every command's expected failures: one plain message, a non-zero exit, no traceback ---

NO_WAREHOUSE = (
    "no warehouse at {path}: run `python -m indicators ensure` to build one "
    "(from data/extracts, or synthetic demo data when there are none), "
    "or `python -m indicators load DIR` to load extracts\n"
)


def failed(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """Run `python -m indicators ARGS` in this process: its exit code and stderr."""
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def test_report_and_compute_before_any_warehouse_say_what_to_run(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    for command in (
        ("report", "--period", "2024 H2", "--out", str(tmp_path / "pack")),
        ("compute", "--out", str(tmp_path / "results.csv")),
    ):
        done = run(*command, "--warehouse", str(missing))
        assert done.returncode == 1
        assert done.stderr == (
            f"{command[0]} stopped, nothing was written:\n" + NO_WAREHOUSE.format(path=missing)
        )
    assert not (tmp_path / "pack.pdf").exists() and not (tmp_path / "results.csv").exists()


def test_a_missing_strategy_file_is_named(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.yaml"
    for command in (
        ("check", str(missing)),
        ("compute", "--config", str(missing), "--out", str(tmp_path / "r.csv")),
        ("report", "--config", str(missing), "--period", "2024 H2", "--out", str(tmp_path / "p")),
    ):
        code, err = failed(capsys, *command)
        assert code == 1
        assert err == (
            f"{command[0]} stopped, nothing was written:\n"
            f"{missing}: no such strategy file (the default is config/indicators.yaml)\n"
        )


def test_a_config_that_fails_check_stops_compute_before_it_writes(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("strategy: [\n", encoding="utf-8")
    half = tmp_path / "half.yaml"
    half.write_text("strategy:\n  title: x\naims: []\nindicators: []\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    code, err = failed(capsys, "compute", "--config", str(broken), "--out", str(out))
    assert code == 1
    assert err == (
        "compute stopped, nothing was written:\n"
        "broken.yaml:2: did not find expected node content; "
        f"run `python -m indicators check {broken}`\n"
    )
    code, err = failed(capsys, "compute", "--config", str(half), "--out", str(out))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "compute stopped, nothing was written:"
    assert (
        "half.yaml:2: error: strategy.review: required key 'review' is missing [missing_key]"
        in (lines)
    )
    assert lines[-1] == f"the file fails check: run `python -m indicators check {half}`"
    assert not out.exists()


def test_a_bad_or_unknown_period_and_an_unknown_ward_are_refused(
    tmp_path: Path, demo_warehouse: Path, capsys
) -> None:
    common = ("--warehouse", str(demo_warehouse), "--out", str(tmp_path / "pack"))
    code, err = failed(capsys, "report", "--period", "2024H2", *common)
    assert code == 1
    assert err == (
        "report stopped, nothing was written:\n'2024H2' is not a review period: write the year "
        "and half, e.g. '2024 H2' (October 2024 to March 2025); this load has 2019 H1 to 2024 H2\n"
    )
    code, err = failed(capsys, "report", "--period", "2031 H2", *common)
    assert code == 1
    assert err == (
        "report stopped, nothing was written:\n"
        "no results for review period '2031 H2': this load has 2019 H1 to 2024 H2\n"
    )
    code, err = failed(capsys, "report", "--period", "2024 H2", "--ward", "E05999999", *common)
    assert code == 1
    assert err.startswith("report stopped, nothing was written:\n'E05999999' is not a ward of ")
    assert "in this load; ward codes look like E05" in err
    assert not (tmp_path / "pack.pdf").exists()


def test_missing_files_and_folders_are_named(tmp_path: Path, capsys) -> None:
    code, err = failed(capsys, "load", str(tmp_path / "nodir"), "--warehouse", str(tmp_path / "w"))
    assert code == 2
    folder = tmp_path / "nodir"
    assert err == f"load stopped, nothing was swapped in:\n{folder}: no such folder of extracts\n"
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    code, err = failed(capsys, "demo", "--out", str(blocked / "demo"))
    assert code == 1
    assert err == f"demo stopped: Not a directory: {blocked / 'demo'}\n"
