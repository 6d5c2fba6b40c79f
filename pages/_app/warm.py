"""Import every `indicators` module a page uses, once per process, in one fixed order.

Streamlit runs each session's script in its own thread. When many sessions
arrive at a fresh server, their pages would import the engine at the same time
and in different orders; under sixteen sessions at start a page once failed
with an ImportError for a module that was there. dashboard.py imports this
first, so one thread imports everything while the others wait on this module.

The modules are read from the pages' own import lines, so a page that starts
using a module is warmed without a second list to keep, and nothing a page
does not use (the statistics, SQLGlot, the PDF stack) is imported at start.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1]
# The analysts' workbench computes a definition's preview by design (its page and its
# glue import the engine); it pays for that when opened, never at the dashboard's start.
COMPUTING = ("workbench.py",)


def page_imports() -> list[str]:
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
    return sorted(name for name in found if importlib.util.find_spec(name) is not None)


for _module in page_imports():
    importlib.import_module(_module)
