"""`python -m indicators serve`: Streamlit's server with the pages' modules imported before
its first visitor, and nothing a page does not use (the compute path) imported at all.

The browser, access and concurrency tests start the dashboard this way (tests/browser.py),
so the served pages themselves are tested there; this checks the hand-over."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from indicators.paths import PROJECT_ROOT
from indicators.serving import DASHBOARD, page_imports

# Stands in for Streamlit's command line: records what it was given and what was imported.
FAKE_STREAMLIT = textwrap.dedent(
    """
    import json, sys
    from streamlit.web import cli

    def run(args, prog_name, **_):
        print(json.dumps({"args": args, "imported": sorted(sys.modules)}))
        raise SystemExit(0)

    cli.main = run
    from indicators.cli import main
    main(sys.argv[1:])
    """
)


def _serve(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
        [sys.executable, "-c", FAKE_STREAMLIT, "serve", *options],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_serve_imports_every_page_module_before_streamlit_runs_the_dashboard() -> None:
    done = _serve("--server.port", "8765", "--server.headless", "true")
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["args"] == [
        "run", str(DASHBOARD), "--server.port", "8765", "--server.headless", "true"
    ]  # fmt: skip
    wanted = page_imports()
    assert {"indicators.store.publication", "indicators.present.strategy_table"} <= set(wanted)
    assert set(wanted) <= set(seen["imported"])
    assert {"pandas", "duckdb", "plotly"} <= set(seen["imported"])
    # The engine and the heavy libraries stay out of the server until a page asks for them.
    assert not [m for m in seen["imported"] if m.startswith(("indicators.engine", "scipy"))]


def test_streamlit_options_are_refused_by_every_other_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "indicators", "ensure", "--server.port", "8765"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "unrecognized arguments: --server.port 8765" in done.stderr
    assert "Traceback" not in done.stderr
