"""What the board downloads whole: the board pack PDF, built once per load and period.

The pack reads the load's publication like the pages do; it imports the PDF
stack (reportlab, matplotlib) only when first asked, so no page pays for it
at start-up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from indicators.review.marks import last_change
from pages._app import cache, review
from pages._app.loaded import require_warehouse, warehouse


@st.cache_data(max_entries=8, show_spinner="Building the board pack…")
def _board_pack(load_id: str, warehouse: str, period: str, commentary: str) -> bytes:
    from indicators.report import board_pack
    from indicators.report.review_sections import review_blocks

    strategy, kept = cache.strategy(), review.store()
    sections = review_blocks(kept, Path(warehouse), strategy, period, dt.date.today())
    pack = board_pack.board_pack(
        Path(warehouse), strategy, period, review_store=kept, review_sections=sections
    )
    return board_pack.to_pdf(pack)


def board_pack_pdf(period: str) -> bytes:
    """The review pack for `period` as PDF, built once per load, period and state of the
    review store (a narrative saved since prints in the next one)."""
    commentary = last_change(review.store())
    return _board_pack(require_warehouse().load_id, str(warehouse()), period, commentary)
