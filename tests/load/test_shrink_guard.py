"""A load whose kept rows collapse stops before the swap, unless the operator says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import GOOD_EXTRACTS, quiet, write_extracts
from test_warehouse import fingerprint

from indicators.load.staging import LoadError
from indicators.load.warehouse import LoadSettings, build_warehouse
from indicators.paths import PROJECT_ROOT


def uk_dates(line: str) -> str:
    """A requests row as an export set to dd/mm/yyyy writes it."""
    fields = line.split(",")
    for i in (3, 8):  # received_date, decision_date
        if fields[i]:
            year, month, day = fields[i].split("-")
            fields[i] = f"{day}/{month}/{year}"
    return ",".join(fields)


def uk_dated_requests() -> list[str]:
    header, *rows = GOOD_EXTRACTS["requests"]
    return [header, *(uk_dates(r) for r in rows)]


def test_dd_mm_yyyy_requests_stop_the_swap(tmp_path: Path, serving_warehouse: Path) -> None:
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "x", {"requests": uk_dated_requests()})
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving_warehouse, progress=quiet)
    lines = str(err.value).splitlines()
    assert lines[0] == (
        "requests: 0 of 4 rows kept from requests.csv; the serving load kept 4 (the least a "
        "load may keep is 50% of the serving load's rows, and never none); commonest "
        "quarantine reason: received_date not_a_date (4 rows)"
    )
    # Episodes point at requests that are gone, and so on down: every collapse is named.
    assert [line.split(":")[0] for line in lines[1:-1]] == [
        "episodes",
        "assessments",
        "outcomes",
        "feedback",
    ]
    assert lines[-1] == (
        "nothing was swapped in; if the extracts really shrank, run the load again with "
        "--accept-shrink"
    )
    assert fingerprint(serving_warehouse) == before
    assert not list(serving_warehouse.parent.glob(".build-*"))


def test_accept_shrink_swaps_it_in(tmp_path: Path, serving_warehouse: Path) -> None:
    folder = write_extracts(tmp_path / "x", {"requests": uk_dated_requests()})
    build_warehouse(
        folder, serving_warehouse, progress=quiet, settings=LoadSettings(accept_shrink=True)
    )
    con = duckdb.connect(str(serving_warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM requests").fetchone() == (0,)
    con.close()


def test_the_share_is_configurable(tmp_path: Path, serving_warehouse: Path) -> None:
    """One request of four kept is 25%: below the default half, above a threshold of 20%."""
    header, *rows = GOOD_EXTRACTS["requests"]
    # R4 has no decision, so nothing else hangs on it.
    folder = write_extracts(tmp_path / "x", {"requests": [header, rows[3]]})
    before = fingerprint(serving_warehouse)
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving_warehouse, progress=quiet)
    assert str(err.value).splitlines()[0] == (
        "requests: 1 of 1 rows kept from requests.csv; the serving load kept 4 (the least a "
        "load may keep is 50% of the serving load's rows, and never none)"
    )
    assert fingerprint(serving_warehouse) == before
    with pytest.raises(LoadError, match=r"^episodes: 0 of 2 rows kept"):
        build_warehouse(
            folder, serving_warehouse, progress=quiet, settings=LoadSettings(min_kept_share=0.2)
        )


def test_a_table_emptied_by_quarantine_stops_even_a_first_load(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "x", {"requests": uk_dated_requests()})
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet)
    assert str(err.value).splitlines()[0] == (
        "requests: 0 of 4 rows kept from requests.csv; nothing is serving to compare with "
        "(the least a load may keep is 50% of the serving load's rows, and never none); "
        "commonest quarantine reason: received_date not_a_date (4 rows)"
    )
    assert not (tmp_path / "w.duckdb").exists()


def test_cli_names_the_override_and_accepts_it(tmp_path: Path, serving_warehouse: Path) -> None:
    folder = write_extracts(tmp_path / "x", {"requests": uk_dated_requests()})
    command = [sys.executable, "-m", "indicators", "load", str(folder)]
    command += ["--warehouse", str(serving_warehouse)]
    stopped = subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert stopped.returncode == 2
    assert "requests: 0 of 4 rows kept from requests.csv; the serving load kept 4" in (
        stopped.stderr
    )
    assert "run the load again with --accept-shrink" in stopped.stderr
    accepted = subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [*command, "--accept-shrink"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stderr


def test_the_guard_reads_a_warehouse_a_sandboxed_reader_holds_open(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    """The dashboard's reader opens the file with other settings; a second plain open would
    fail in the same process, so the guard attaches it instead."""
    reader = duckdb.connect(
        str(serving_warehouse), read_only=True, config={"enable_external_access": False}
    )
    try:
        folder = write_extracts(tmp_path / "x", {"requests": uk_dated_requests()})
        with pytest.raises(LoadError, match=r"^requests: 0 of 4 rows kept .* serving load kept 4"):
            build_warehouse(folder, serving_warehouse, progress=quiet)
    finally:
        reader.close()
