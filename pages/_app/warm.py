"""Import every engine module a page uses, once per process, in one fixed order.

Streamlit runs each session's script in its own thread. When many sessions
arrive at a fresh server, their pages would import the engine at the same time
and in different orders; under sixteen sessions at start a page once failed
with an ImportError for a module that was there. dashboard.py imports this
first, so one thread imports everything while the others wait on this module.
"""

from __future__ import annotations

import importlib
import pkgutil

PAGE_PACKAGES = ("config", "store", "engine", "disclosure", "present")


def _import_all() -> None:
    for package in PAGE_PACKAGES:
        module = importlib.import_module(f"indicators.{package}")
        for found in pkgutil.walk_packages(module.__path__, prefix=f"{module.__name__}."):
            importlib.import_module(found.name)


_import_all()
