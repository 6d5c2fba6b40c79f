"""Start the other engines for the parity tests: a throwaway PostgreSQL server, a Spark session.

Each start either returns a ready engine or raises `EngineUnavailable` with the
reason, which the tests turn into a visible skip (never a silent one).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class EngineUnavailable(RuntimeError):
    """This machine cannot run the engine; the message says why."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise EngineUnavailable("running as root without runuser to switch to postgres")
    return [runuser, "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on a Unix socket in a temporary folder; yields its DSN."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:
        raise EngineUnavailable("Debian's postgresql package is not installed")
    bin_dir = Path(binaries[-1])
    folder = Path(tempfile.mkdtemp(prefix="early-help-pg-", dir="/tmp"))
    folder.chmod(0o777)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
            _as_postgres_user(
                [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
        subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
            _as_postgres_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                    "-l",
                    str(folder / "log"),
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.SubprocessError, OSError) as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise EngineUnavailable(f"PostgreSQL did not start: {err}") from None
    try:
        yield f"host={folder} port={port} user=postgres dbname=postgres"
    finally:
        subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
            _as_postgres_user(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


def spark_runner():
    """A local Spark session, or the reason there cannot be one."""
    if shutil.which("java") is None:
        raise EngineUnavailable("no Java runtime for Spark")
    try:
        from indicators.engine.runners import SparkRunner

        return SparkRunner()
    except Exception as err:  # pyspark raises many kinds when the JVM cannot start
        raise EngineUnavailable(f"Spark did not start: {err}") from None
