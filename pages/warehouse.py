"""What is loaded: tables, row counts, the load log and quarantine counts."""

from __future__ import annotations

import streamlit as st

from indicators import inventory
from indicators.paths import warehouse_path

WAREHOUSE = warehouse_path()

st.title("Early Help and Prevention Strategy 2020-2024: warehouse")

if not WAREHOUSE.exists():
    st.warning(
        "No warehouse is loaded yet. Run `python -m indicators ensure` (demo data) or "
        "`python -m indicators load DIR` (the council's extracts)."
    )
    st.stop()

summary = inventory.load_summary(WAREHOUSE)
if summary.is_demo:
    st.warning(
        "**Synthetic demo data.** The early help figures on this dashboard are generated, "
        "not real children or families. The public JSNA and reference data are real.",
        icon="⚠️",
    )
st.caption(
    f"Load {summary.load_id}, finished {summary.finished:%d %B %Y %H:%M}, "
    f"from {summary.extract_dir}"
)

st.header("Tables")
st.dataframe(inventory.table_counts(WAREHOUSE), hide_index=True)

st.header("Load log")
st.caption("Rows read = rows kept + rows quarantined, for every file.")
st.dataframe(inventory.load_log(WAREHOUSE), hide_index=True)

st.header("Quarantine")
st.dataframe(inventory.quarantine_by_reason(WAREHOUSE), hide_index=True)

st.info(inventory.WARD_VINTAGE_NOTE)
st.caption(inventory.ATTRIBUTION)
