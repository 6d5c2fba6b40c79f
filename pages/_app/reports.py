"""What analysts and the board download or read whole, built once per load: the board pack
PDF, and the catalogue's check findings with every indicator's SQL per engine.

Both import heavy parts (reportlab, the checker and SQLGlot) only when first asked.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators import paths
from indicators.config import spec
from pages._app import cache
from pages._app.loaded import require_warehouse, warehouse


@st.cache_data(max_entries=8, show_spinner="Building the board pack…")
def _board_pack(load_id: str, warehouse: str, period: str) -> bytes:
    from indicators.report import board_pack

    config = paths.config_path()
    left_out = cache.publication_for(
        load_id, warehouse, str(config), config.stat().st_mtime
    ).left_out
    strategy = cache.without(spec.load_strategy(config), left_out)
    pack = board_pack.board_pack(Path(warehouse), strategy, period, left_out=left_out)
    return board_pack.to_pdf(pack)


def board_pack_pdf(period: str) -> bytes:
    """The review pack for `period` as PDF, built once per load and period."""
    return _board_pack(require_warehouse().load_id, str(warehouse()), period)


@st.cache_data(max_entries=4, show_spinner=False)
def _catalogue(load_id: str, warehouse: str, config_mtime: float) -> tuple[list, dict]:
    from indicators.config.check import check_file
    from indicators.engine.compile import compile_indicator
    from indicators.engine.dialects import ENGINES, transpile

    config = paths.config_path()
    issues = [i.format(config) for i in check_file(config, Path(warehouse))]
    sql = {
        i.id: {e: transpile(compile_indicator(i), e) for e in ENGINES}
        for i in spec.load_strategy(config).indicators
    }
    return issues, sql


def catalogue() -> tuple[list[str], dict[str, dict[str, str]]]:
    """The check's findings and every indicator's SQL per engine, once per load and config."""
    config_mtime = paths.config_path().stat().st_mtime
    return _catalogue(require_warehouse().load_id, str(warehouse()), config_mtime)
