"""Data quality: the load log, what was quarantined and why, and how fresh each extract is."""

from __future__ import annotations

import streamlit as st

from indicators import access
from indicators.disclosure import small_numbers
from indicators.store import inventory
from pages._app import cache, layout
from pages._app.loaded import warehouse
from pages._app.opening import open_page

page = open_page("data_quality")
summary = page.summary
path = warehouse()

st.title("Data quality")
st.caption(
    f"Load {summary.load_id}, finished {summary.finished:%d %B %Y %H:%M}. For every "
    "file, rows read = rows kept + rows quarantined."
)
st.header("Freshness of each extract")
layout.table(inventory.freshness(path), "freshness")
analyst = access.sees_rows(page.role)
if analyst:
    log, by_reason = inventory.load_log(path), inventory.quarantine_by_reason(path)
else:  # counts of quarantined records are protected like every published count
    log = cache.published("quality_log")
    by_reason = cache.published("quality_by_reason")
    st.caption(
        "Counts left empty are withheld. "
        + small_numbers.footnote(cache.configured().min_count).replace("c = ", "They are ", 1)
    )
st.header("Load log")
layout.table(log, "load_log")
st.header("Quarantine by file and reason")
layout.table(by_reason, "quarantine_summary")
st.header("Quarantined rows")
if analyst:
    search = st.text_input("Search file, column, reason or detail", key="quarantine_search")
    layout.table(inventory.quarantine_rows(path, search), "quarantine_rows")
else:
    st.info("Quarantined rows hold raw extract records, so only analysts see them.")
layout.footer(summary)
