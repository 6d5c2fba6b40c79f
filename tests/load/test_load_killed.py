"""A load killed part-way (SIGKILL: no cleanup code runs) leaves the old warehouse serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import quiet, write_extracts
from test_warehouse import fingerprint, with_row

from indicators.load.warehouse import build_warehouse
from indicators.paths import PROJECT_ROOT
from indicators.store.readers import connect


def test_sigkill_mid_load_leaves_the_previous_warehouse_serving(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "next", with_row("feedback", "E2,2021-06-02,4,false"))
    load = subprocess.Popen(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [
            sys.executable,
            "-m",
            "indicators",
            "load",
            str(folder),
            "--warehouse",
            str(serving_warehouse),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    # Kill once the load is writing its new warehouse and has got into the extracts.
    while time.monotonic() < deadline and load.poll() is None:
        line = load.stderr.readline()
        if line.startswith("[2/7]"):
            break
    assert load.poll() is None, "the load finished before it could be killed"
    assert list(serving_warehouse.parent.glob(".build-*")), "no half-built file to leave behind"
    os.kill(load.pid, signal.SIGKILL)
    load.wait()
    assert load.returncode == -signal.SIGKILL

    assert fingerprint(serving_warehouse) == before
    with connect(serving_warehouse, sandboxed=False) as con:
        assert con.execute("SELECT count(*) FROM feedback").fetchall() == [(1,)]

    # The next load clears the half-built file and swaps in the new content.
    build_warehouse(folder, serving_warehouse, progress=quiet)
    assert [p.name for p in serving_warehouse.parent.glob(".build-*")] == []
    with connect(serving_warehouse, sandboxed=False) as con:
        assert con.execute("SELECT count(*) FROM feedback").fetchall() == [(2,)]
