"""A load that finds another holding the lock says who, waits a bounded time, then gives up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import write_extracts
from test_warehouse import fingerprint

from indicators.load.staging import LoadError
from indicators.load.warehouse import LoadSettings, build_warehouse
from indicators.paths import PROJECT_ROOT

HOLDER = """
import sys, time
from pathlib import Path
from indicators.load.lock import load_lock
with load_lock(Path(sys.argv[1]), "holder-load", 5, print):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@contextmanager
def lock_held_by_another_process(warehouse: Path, seconds: float) -> Iterator[int]:
    """A separate process holding the warehouse's load lock for `seconds`; yields its pid."""
    holder = subprocess.Popen(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [sys.executable, "-c", HOLDER, str(warehouse), str(seconds)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_waiting_load_names_the_holder_and_gives_up(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "x")
    said: list[str] = []
    with lock_held_by_another_process(serving_warehouse, 60) as pid:
        started = time.monotonic()
        with pytest.raises(LoadError) as err:
            build_warehouse(
                folder, serving_warehouse, progress=said.append, settings=LoadSettings(1.0)
            )
        waited = time.monotonic() - started
    holder = f"load holder-load (pid {pid} on {socket.gethostname()}, since "
    assert said[0].startswith(f"waiting for the load lock on {serving_warehouse}: held by {holder}")
    assert said[0].endswith(" UTC); giving up after 1 s")
    message = str(err.value)
    assert message.startswith(f"{serving_warehouse}: gave up after 1 s waiting for {holder}")
    assert message.endswith(
        " UTC) to finish; nothing was swapped in. Run the load again when it has finished, "
        "or wait longer with --lock-timeout SECONDS"
    )
    assert 1.0 <= waited < 5
    assert fingerprint(serving_warehouse) == before


def test_waiting_load_goes_ahead_when_the_holder_finishes(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    folder = write_extracts(tmp_path / "x")
    said: list[str] = []
    with lock_held_by_another_process(serving_warehouse, 1.5):
        build_warehouse(folder, serving_warehouse, progress=said.append, settings=LoadSettings(60))
    assert said[0].startswith(f"waiting for the load lock on {serving_warehouse}: held by load")
    assert said[1].startswith(f"got the load lock on {serving_warehouse} after ")
    assert said[-1].endswith(f"swapped in {serving_warehouse}")


def test_cli_lock_timeout(tmp_path: Path, serving_warehouse: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    command = [sys.executable, "-m", "indicators", "load", str(folder)]
    command += ["--warehouse", str(serving_warehouse), "--lock-timeout", "0.5"]
    with lock_held_by_another_process(serving_warehouse, 60):
        done = subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
            command,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert "waiting for the load lock on" in done.stderr
    assert f"{serving_warehouse}: gave up after 0.5 s waiting for load holder-load" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_lock_left_by_a_killed_load_does_not_block(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    """flock dies with its holder: a stale lock file with a dead holder's name is no obstacle."""
    lock = serving_warehouse.parent / f".{serving_warehouse.name}.lock"
    lock.write_text('{"pid": 999999, "host": "gone", "since": "then", "load_id": "dead"}')
    said: list[str] = []
    build_warehouse(
        write_extracts(tmp_path / "x"),
        serving_warehouse,
        progress=said.append,
        settings=LoadSettings(1.0),
    )
    assert not any(s.startswith("waiting") for s in said)
    assert lock.read_text() == ""
