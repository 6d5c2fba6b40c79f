"""Data quality: the load log, what was quarantined and why, and how fresh each extract is."""

from __future__ import annotations

import streamlit as st

from indicators import access, frame, inventory

role = frame.page_gate("data_quality")  # first: nothing is read before the role is known
summary = frame.require_warehouse()
frame.banners(summary)
path = frame.warehouse()

st.title("Data quality")
st.caption(
    f"Load {summary.load_id}, finished {summary.finished:%d %B %Y %H:%M}. For every "
    "file, rows read = rows kept + rows quarantined."
)
st.header("Freshness of each extract")
frame.table(inventory.freshness(path), "freshness")
st.header("Load log")
frame.table(inventory.load_log(path), "load_log")
st.header("Quarantine by file and reason")
frame.table(inventory.quarantine_by_reason(path), "quarantine_summary")
st.header("Quarantined rows")
if access.sees_rows(role):
    search = st.text_input("Search file, column, reason or detail", key="quarantine_search")
    frame.table(inventory.quarantine_rows(path, search), "quarantine_rows")
else:
    st.info("Quarantined rows hold raw extract records, so only analysts see them.")
frame.footer(summary)
