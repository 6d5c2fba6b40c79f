"""What is loaded: every table with its row count, the load log and quarantine counts."""

from __future__ import annotations

import streamlit as st

from indicators.store import inventory
from pages._app import cache, layout
from pages._app.loaded import warehouse
from pages._app.opening import open_page

summary = open_page("warehouse").summary
path = warehouse()

st.title("Warehouse: what is loaded")
st.caption(
    f"Load {summary.load_id}, finished {summary.finished:%d %B %Y %H:%M}, "
    f"from {summary.extract_dir}"
)
st.header("Tables")
layout.table(inventory.table_counts(path), "tables")
st.header("Load log")
st.caption("Rows read = rows kept + rows quarantined, for every file.")
layout.table(inventory.load_log(path), "load_log_all")
st.header("Quarantine")
layout.table(inventory.quarantine_by_reason(path), "quarantine_by_reason")
st.info(inventory.ward_vintage_note(cache.configured().area_name))
layout.footer(summary)
