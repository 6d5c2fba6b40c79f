"""`python -m indicators serve`: Streamlit's server with the pages' modules imported before
its first visitor, and nothing a page does not use (the compute path) imported at all.

The browser, access and concurrency tests start the dashboard this way (tests/browser.py),
so the served pages themselves are tested there; this checks the hand-over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from indicators.paths import PROJECT_ROOT
from indicators.serving import DASHBOARD, page_imports

# Stands in for Streamlit's command line: records what it was given and what was imported.
FAKE_STREAMLIT = textwrap.dedent(
    """
    import json, sys
    from streamlit.web import cli

    def run(args, prog_name, **_):
        from indicators.store import readers

        print(json.dumps({
            "args": args, "imported": sorted(sys.modules), "readers": sorted(readers._readers)
        }))
        raise SystemExit(0)

    cli.main = run
    from indicators.cli import main
    main(sys.argv[1:])
    """
)


def _serve(warehouse: Path, *options: str) -> dict:
    """What the stand-in for Streamlit saw when `serve` handed over to it."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
        [sys.executable, "-c", FAKE_STREAMLIT, "serve", *options],
        cwd=PROJECT_ROOT,
        env={**os.environ, "EARLY_HELP_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_serve_imports_every_page_module_before_streamlit_runs_the_dashboard(
    demo_warehouse: Path,
) -> None:
    seen = _serve(demo_warehouse, "--server.port", "8765", "--server.headless", "true")
    assert seen["args"] == [
        "run", str(DASHBOARD), "--server.port", "8765", "--server.headless", "true"
    ]  # fmt: skip
    wanted = page_imports()
    assert {"indicators.store.publication", "indicators.present.strategy_table"} <= set(wanted)
    assert set(wanted) <= set(seen["imported"])
    assert {"pandas", "duckdb", "plotly"} <= set(seen["imported"])
    # The engine and the heavy libraries stay out of the server until a page asks for them.
    assert not [m for m in seen["imported"] if m.startswith(("indicators.engine", "scipy"))]
    # The warehouse is attached once, before the first visitor, by the reader every page uses.
    assert seen["readers"] == [os.path.realpath(demo_warehouse)]


@pytest.mark.parametrize("content", [None, b"not a DuckDB file"])
def test_serve_starts_without_a_warehouse_or_with_one_it_cannot_open(
    tmp_path: Path, content: bytes | None
) -> None:
    """The pages say what to do then (no warehouse yet, run ensure), as without `serve`."""
    warehouse = tmp_path / "warehouse.duckdb"
    if content is not None:
        warehouse.write_bytes(content)
    seen = _serve(warehouse)
    assert seen["args"] == ["run", str(DASHBOARD)]
    assert seen["readers"] == []


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
