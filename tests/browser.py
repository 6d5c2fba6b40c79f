"""Start the real dashboard server and drive Debian's Chromium with Playwright.

Shared by the browser tests: the server runs on a free port against the
warehouse a test hands it, and Chromium is the system one (no browser
download is possible or wanted here).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indicators.paths import PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def dashboard_server(
    warehouse: Path,
    *,
    script: str = "dashboard.py",
    port: int | None = None,
    secrets: Path | None = None,
) -> Iterator[str]:
    """Serve `script` (dashboard.py) on `port` (else a free one); yields its base URL.

    `secrets` is the only secrets.toml the server reads (Streamlit's
    `secrets.files`), instead of ~/.streamlit, the working directory's and the
    script folder's: how a test configures sign-in without touching the project.
    """
    port = port or _free_port()
    # The project root on the path, so a page file run on its own still imports `indicators`.
    env = {
        **os.environ,
        "EARLY_HELP_WAREHOUSE": str(warehouse),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    options = ["--secrets.files", str(secrets)] if secrets else []
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            *options,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the dashboard server exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("the dashboard server did not become healthy in 60 s")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still draining sessions: the port must be freed
            server.kill()
            server.wait(timeout=10)
