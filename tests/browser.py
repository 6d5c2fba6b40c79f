"""Start the real dashboard server and drive Debian's Chromium with Playwright.

Shared by the browser tests: the server runs on a free port against the
warehouse a test hands it, and Chromium is the system one (no browser
download is possible or wanted here).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
FOOTER = "Open Government Licence"  # the last element of every page
EXCEPTION_BOX = "[data-testid='stException']"
STATUS_WIDGET = "[data-testid='stStatusWidget']"  # shown while a script runs
# Where an element's drawing code is still loading (st.html, Plotly, a data grid are
# loaded on first use): the footer can already show while a table above it is grey.
SKELETON = "[data-testid='stSkeleton']"


def wait_until_drawn(page, timeout_ms: int = 120_000) -> None:
    """Until the page is finished as a reader sees it: its last element shows, its script
    run is over and no element above is still a placeholder."""
    page.get_by_text(FOOTER).wait_for(timeout=timeout_ms)
    page.wait_for_selector(STATUS_WIDGET, state="detached", timeout=timeout_ms)
    page.wait_for_selector(SKELETON, state="detached", timeout=timeout_ms)


def _free_port() -> int:
    """A free local port; from `EARLY_HELP_TEST_PORTS` (e.g. `8620-8629`) when that is set."""
    first, _, last = os.environ.get("EARLY_HELP_TEST_PORTS", "0-0").partition("-")
    for port in [*range(int(first), int(last) + 1), 0] if int(first) else [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


@contextmanager
def chromium_browser() -> Iterator:
    """Debian's Chromium driven by Playwright, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def dashboard_server(
    warehouse: Path,
    *,
    script: str = "dashboard.py",
    port: int | None = None,
    secrets: Path | None = None,
    plain_streamlit: bool = False,
) -> Iterator[str]:
    """Serve `script` (dashboard.py) on `port` (else a free one); yields its base URL.

    The dashboard is served as `make dashboard` serves it (`python -m indicators
    serve`), unless `plain_streamlit`; any other script with `streamlit run`.

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
    served = script == "dashboard.py" and not plain_streamlit
    command = ["indicators", "serve"] if served else ["streamlit", "run", script]
    server = subprocess.Popen(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [
            sys.executable,
            "-m",
            *command,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            # An edit in the working tree must not turn the status widget into a
            # "source file changed" prompt in the middle of a test.
            "--server.fileWatcherType",
            "none",
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
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:  # noqa: S310 (the test server's own http://127.0.0.1 URL)
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


@dataclass(frozen=True)
class Visit:
    """One page opened in its own browser session: how long until its last element showed
    (`visible_seconds`) and until it was drawn (`seconds`: its script run over, no
    placeholder left), and the text of any exception box or failure ("" when it finished
    cleanly)."""

    path: str
    seconds: float
    error: str
    visible_seconds: float = 0.0


async def _visit(browser, url: str, path: str, timeout_ms: int) -> Visit:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    start = time.perf_counter()
    try:
        await page.goto(f"{url}/{path}", timeout=timeout_ms)
        finished = page.locator(EXCEPTION_BOX).or_(page.get_by_text(FOOTER))
        await finished.first.wait_for(timeout=timeout_ms)
        visible = time.perf_counter() - start
        await page.wait_for_selector(STATUS_WIDGET, state="detached", timeout=timeout_ms)
        await page.wait_for_selector(SKELETON, state="detached", timeout=timeout_ms)
        seconds = time.perf_counter() - start
        boxes = await page.locator(EXCEPTION_BOX).all_inner_texts()
        return Visit(path, seconds, " | ".join(boxes), visible)
    except Exception as err:  # Playwright's timeouts and a crashed page alike count as failures
        return Visit(path, time.perf_counter() - start, f"{type(err).__name__}: {err}")
    finally:
        await context.close()


def visit_at_once(url: str, paths: Sequence[str], timeout_s: float = 240) -> list[Visit]:
    """Open every path in its own session of one headless Chromium, all at the same moment."""
    from playwright.async_api import async_playwright

    async def visit_all() -> list[Visit]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return list(
                    await asyncio.gather(
                        *(_visit(browser, url, path, int(timeout_s * 1000)) for path in paths)
                    )
                )
            finally:
                await browser.close()

    return asyncio.run(visit_all())
