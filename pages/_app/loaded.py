"""Which load serves: the warehouse file and its summary, the key every cache follows.

A load swaps a new warehouse file in (a new inode), so the summary read here
changes with it, and every result cached per load id is read afresh.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators.paths import warehouse_path
from indicators.store import inventory


def warehouse() -> Path:
    return warehouse_path()


def require_warehouse() -> inventory.LoadSummary:
    """Stop the page with instructions when nothing is loaded yet."""
    path = warehouse()
    if not path.exists():
        st.warning(
            "No warehouse is loaded yet. Run `python -m indicators ensure` (demo data) or "
            "`python -m indicators load DIR` (the council's extracts)."
        )
        st.stop()
    stat = path.stat()
    return _load_summary(str(path), stat.st_mtime_ns, stat.st_ino)


@st.cache_data(max_entries=8, show_spinner=False)
def _load_summary(path: str, mtime_ns: int, inode: int) -> inventory.LoadSummary:
    """Read once per warehouse file: a load swaps in a new file (new inode), which
    changes the key, so every cache keyed by the load id follows."""
    return inventory.load_summary(Path(path))
