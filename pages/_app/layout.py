"""What every page shows the same way: banners, footer, charts and tables with downloads."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import access
from indicators.disclosure.small_numbers import FOOTNOTE
from indicators.store import inventory
from pages._app.cache import HASH_FUNCS, strategy
from pages._app.gate import current_role
from pages._app.loaded import require_warehouse
from pages._app.navigation import page_link

# The landing page must show every aim above the fold at 1366×768: less of Streamlit's
# top padding and a smaller page title leave the room for the strategy table.
COMPACT_TOP = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 1.2rem; padding-left: 2rem;
  padding-right: 3rem;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.5rem;}
[data-testid="stMainBlockContainer"] h1 {font-size: 1.4rem; padding: 0;}
[data-testid="stAlertContainer"] {padding: 0.3rem 0.75rem;}
[data-testid="stAlertContainer"] p {font-size: 0.85rem;}
@media (max-width: 1100px) {[data-testid="stMainBlockContainer"] {padding-top: 4rem;}}
</style>"""
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def banners(summary: inventory.LoadSummary) -> None:
    """The demo-data warning and the access note, at the top of every page."""
    if current_role() == access.OPEN:
        st.info(
            "Access is open: no identity provider is configured for this deployment, so "
            "anyone who can reach it sees every page. See the README's access section.",
            icon=":material/lock_open:",
        )
    if summary.is_demo:
        st.warning(
            "**Synthetic demo data.** The early help figures are generated, not real children "
            "or families. The public JSNA and reference data are real.",
            icon=":material/warning:",
        )


def footer(summary: inventory.LoadSummary) -> None:
    st.divider()
    st.caption(
        f"Last load {summary.finished:%d %B %Y %H:%M} (load {summary.load_id}). "
        + FOOTNOTE.format(min_count=strategy().min_count)
    )
    page_link("data_quality", "Data quality: load log and quarantine")
    st.caption(inventory.ATTRIBUTION)


def chart(fig: go.Figure, data: pd.DataFrame, name: str) -> None:
    """A chart with its data table one click away and downloads of that table."""
    st.plotly_chart(fig, config=CHART_CONFIG)
    with st.expander(f"Data table: {fig.layout.title.text or name}"):
        table(data, name)


def table(
    data: pd.DataFrame, name: str, *, whole: bool = False, pinned: Sequence[str] = ()
) -> None:
    """A table with CSV and Excel downloads of exactly what is shown.

    `whole`: every row and column on the page, words wrapped (a short table read
    across, like a ward's profile), instead of a data grid that scrolls.
    `pinned`: columns kept in view while a wide grid scrolls sideways, so each row
    still says what it is (a ward's name beside its limits).
    While demo data serves, the files say so in their names, so a download
    cannot pass for real figures.
    """
    if whole:
        st.table(data, hide_index=True)
    else:
        st.dataframe(
            data,
            hide_index=True,
            column_config={column: st.column_config.Column(pinned=True) for column in pinned},
        )
    if require_warehouse().is_demo:
        name = f"SYNTHETIC-DEMO-{name}"
    left, right = st.columns(2)
    # The files are made once per table and kept (keyed by the table's contents): writing
    # a workbook for each table on each page switch was a third of an aim page's time.
    # (Streamlit's deferred, made-on-click data did not reach the browser as a download.)
    left.download_button(
        "Download CSV",
        _csv_bytes(data),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
    )
    right.download_button(
        "Download Excel",
        _excel_bytes(data),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{name}",
    )


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs=HASH_FUNCS)
def _csv_bytes(data: pd.DataFrame) -> bytes:
    return data.to_csv(index=False).encode("utf-8")


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs=HASH_FUNCS)
def _excel_bytes(data: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    data.to_excel(buffer, index=False)
    return buffer.getvalue()
