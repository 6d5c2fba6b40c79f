"""The workbench's calls into the engine, cached per pasted text, config version and load.

A definition is checked on every edit and previewed on request; both are
kept (per text) so changing the period or the engine shown does not redo
them. Uploaded files are profiled in a temporary folder that is removed
straight after: an upload is never stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from indicators import paths
from indicators.config.source_mapping import SOURCES_DIR
from indicators.engine import workbench
from indicators.load.mapped import read_mapping
from indicators.load.profile import Profile, profile_file
from pages._app.loaded import require_warehouse, warehouse

# The largest file the workbench profiles (the server's own upload limit is larger).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@st.cache_resource(max_entries=32, show_spinner="Checking the definition…")
def _trial(text: str, config: str, config_mtime: float, load_id: str, path: str):
    return workbench.try_definition(text, Path(config), Path(path))


def trial(text: str) -> workbench.Trial:
    """`check` on the pasted definition inside the current strategy (cached per text)."""
    config = paths.config_path()
    return _trial(
        text, str(config), config.stat().st_mtime, require_warehouse().load_id, str(warehouse())
    )


@st.cache_resource(max_entries=8, show_spinner="Computing the preview as it would be published…")
def _preview(text: str, config: str, config_mtime: float, load_id: str, path: str):
    return workbench.preview(_trial(text, config, config_mtime, load_id, path), Path(path))


def preview(text: str) -> workbench.Preview:
    """The pasted definition's published figures and SQL (cached per text and load)."""
    config = paths.config_path()
    return _preview(
        text, str(config), config.stat().st_mtime, require_warehouse().load_id, str(warehouse())
    )


def mapping_names() -> list[str]:
    """The source mappings shipped in config/sources/."""
    return sorted(p.stem for p in SOURCES_DIR.glob("*.yaml"))


def profile_upload(name: str, data: bytes, table: str, mapping: str | None) -> Profile:
    """The dry run of an uploaded file, read from a temporary folder removed straight after."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"{name} is {len(data) / 2**20:.0f} MB; the workbench profiles files up to "
            f"{MAX_UPLOAD_BYTES // 2**20} MB (run `python -m indicators profile` for larger)"
        )
    source_mapping = read_mapping(mapping) if mapping else None
    with tempfile.TemporaryDirectory(prefix="workbench-upload-") as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()}"
        path.write_bytes(data)
        return profile_file(path, table, source_mapping)
