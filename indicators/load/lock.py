"""One load at a time per warehouse, and a waiting load says who it waits for.

The lock is an `flock` on `.<warehouse>.lock` beside the warehouse (released
by the kernel when its holder dies, even by SIGKILL). The holder writes who
it is into the file, so a second load can print "waiting for ... held by pid
N on host H since T" and give up after `timeout` seconds with a message
instead of waiting in silence for ever.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from indicators.load.errors import LoadError

# Long enough for a full-size load ahead in the queue (scale 150 loads in minutes).
DEFAULT_LOCK_TIMEOUT = 900.0
_POLL_SECONDS = 0.2
_REPORT_EVERY_SECONDS = 30.0


def lock_path(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.lock"


def holder_text(lock_file: Path) -> str:
    """Who holds (or last held) the lock, in words, from what the holder wrote."""
    try:
        holder = json.loads(lock_file.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder.get("pid"):
        return "another load (it did not say who it is)"
    return (
        f"load {holder.get('load_id', '?')} (pid {holder['pid']} on {holder.get('host', '?')}, "
        f"since {holder.get('since', '?')})"
    )


@contextmanager
def load_lock(
    warehouse: Path, load_id: str, timeout: float, progress: Callable[[str], None]
) -> Iterator[None]:
    """Hold the warehouse's load lock; wait at most `timeout` seconds for it.

    Raises `LoadError` naming the holder when the wait runs out, and when
    the folder cannot hold a lock file (read-only, full).
    """
    path = lock_path(warehouse)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise LoadError(
            f"{warehouse.parent}: cannot create the load lock {path.name} ({err.strerror}); "
            "the warehouse folder must be writable"
        ) from None
    with os.fdopen(fd, "r+", encoding="utf-8") as handle:
        _acquire(handle.fileno(), path, warehouse, timeout, progress)
        try:
            _write_holder(handle, load_id, warehouse)
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _acquire(
    fd: int, path: Path, warehouse: Path, timeout: float, progress: Callable[[str], None]
) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    started = time.monotonic()
    progress(
        f"waiting for the load lock on {warehouse}: held by {holder_text(path)}; "
        f"giving up after {timeout:g} s"
    )
    last_report = started
    while True:
        time.sleep(_POLL_SECONDS)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            progress(f"got the load lock on {warehouse} after {time.monotonic() - started:.1f} s")
            return
        except BlockingIOError:
            pass
        now = time.monotonic()
        if now - started >= timeout:
            raise LoadError(
                f"{warehouse}: gave up after {timeout:g} s waiting for {holder_text(path)} "
                "to finish; nothing was swapped in. Run the load again when it has finished, "
                "or wait longer with --lock-timeout SECONDS"
            )
        if now - last_report >= _REPORT_EVERY_SECONDS:
            progress(f"still waiting for the load lock ({now - started:.0f} s)")
            last_report = now


def _write_holder(handle, load_id: str, warehouse: Path) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "load_id": load_id,
    }
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(holder))
        handle.flush()
    except OSError as err:
        raise LoadError(
            f"{warehouse.parent}: cannot write the load lock ({err.strerror})"
        ) from None
