"""What is loaded: every table with its row count, the load log and quarantine counts."""

from __future__ import annotations

import streamlit as st

from indicators.store import inventory
from pages._app import frame

frame.page_gate("warehouse")  # first: nothing is read before the role is known
summary = frame.require_warehouse()
frame.banners(summary)
path = frame.warehouse()

st.title("Warehouse: what is loaded")
st.caption(
    f"Load {summary.load_id}, finished {summary.finished:%d %B %Y %H:%M}, "
    f"from {summary.extract_dir}"
)
st.header("Tables")
frame.table(inventory.table_counts(path), "tables")
st.header("Load log")
st.caption("Rows read = rows kept + rows quarantined, for every file.")
frame.table(inventory.load_log(path), "load_log_all")
st.header("Quarantine")
frame.table(inventory.quarantine_by_reason(path), "quarantine_by_reason")
st.info(inventory.ward_vintage_note(frame.strategy().area_name))
frame.footer(summary)
