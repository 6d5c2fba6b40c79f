"""Serving the dashboard: a server whose first visitor does not pay for its imports.

Streamlit imports nothing of an app until a visitor arrives: the first script
run of a new server imported pandas, DuckDB, Plotly and every `indicators`
module the pages use, about 0.7 s of a new session's 2.3 s landing page here.
`python -m indicators serve` imports them in the server's own process before
Streamlit takes a connection, and opens the process's one read-only connection
to the serving warehouse (attaching the file reads its catalogue), then hands
over to `streamlit run dashboard.py`; every session's script runs in that
process and finds both ready. It also keeps a deep link to a page, the first
request after a restart, inside the dashboard (see `serve`).

The modules are read from the pages' own import lines, so a page that starts
using a module is imported early without a second list to keep, and nothing a
page does not use (the statistics, SQLGlot, the PDF stack) is imported at all.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
from typing import NoReturn

import duckdb

from indicators.load.staging import LoadError
from indicators.paths import PROJECT_ROOT, warehouse_path
from indicators.store import readers

PAGES = PROJECT_ROOT / "pages"
DASHBOARD = PROJECT_ROOT / "dashboard.py"
# The analysts' workbench computes a definition's preview by design (its page and its
# glue import the engine); it pays for that when opened, never at the dashboard's start.
COMPUTING = ("workbench.py",)


@functools.cache  # the pages' files do not change under a running server
def page_imports() -> tuple[str, ...]:
    """Every `indicators` module a file in pages/ (and pages/_app/) imports at its top, sorted.

    Imports inside a function (the PDF stack, when a pack is asked for), and the
    workbench's (`COMPUTING`), are left to the moment they are needed.
    """
    found = set()
    for source in sorted(p for p in PAGES.rglob("*.py") if p.name not in COMPUTING):
        for node in ast.parse(source.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("indicators"):
                found.add(node.module)
                if hasattr(importlib.import_module(node.module), "__path__"):  # a package
                    found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("indicators"))
    return tuple(sorted(name for name in found if importlib.util.find_spec(name) is not None))


def import_page_modules() -> tuple[str, ...]:
    """Import every module `page_imports` names, in that fixed order; returns their names."""
    names = page_imports()
    for name in names:
        importlib.import_module(name)
    return names


def open_serving_warehouse() -> bool:
    """Open the process's reader of the serving warehouse; False when there is none to open.

    With none loaded (or a file DuckDB cannot open), the server starts all the
    same and the pages say what to do, as they would have without this; a load
    swapped in later is opened afresh by the reader itself (it follows the
    file's identity).
    """
    path = warehouse_path()
    if not path.exists():
        return False
    try:
        with readers.connect(path):
            return True
    except (duckdb.Error, LoadError, OSError):
        return False


def serve(streamlit_options: list[str]) -> NoReturn:
    """Prepare the process, then run `streamlit run dashboard.py` with the options given.

    Exits with Streamlit's own status when the server stops (or its options are wrong).
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    import_page_modules()
    open_serving_warehouse()
    # A fresh server treats pages/ as Streamlit's old page folder until some session runs
    # dashboard.py's st.navigation: till then a deep link (/wards) ran pages/wards.py alone,
    # with no menu and no page set-up. The dashboard always navigates with st.navigation.
    PagesManager.uses_pages_directory = False
    cli.main(["run", str(DASHBOARD), *streamlit_options], prog_name="streamlit")
    raise SystemExit(0)  # click exits itself; this only says so to the type checker
