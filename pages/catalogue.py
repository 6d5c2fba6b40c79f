"""Indicator catalogue, for analysts: every definition, its SQL, sources and check result."""

from __future__ import annotations

import streamlit as st

from indicators import frame, inventory, views
from indicators.check import check_file
from indicators.compile import compile_indicator
from indicators.paths import CONFIG_PATH

summary = frame.require_warehouse()
strategy = frame.strategy()
frame.banners(summary)

st.title("Indicator catalogue")
issues = check_file(CONFIG_PATH, frame.warehouse())
if issues:
    st.error(
        f"`python -m indicators check` finds {len(issues)} problem(s) in "
        "config/indicators.yaml:\n\n" + "\n".join(f"- {i.format(CONFIG_PATH)}" for i in issues)
    )
else:
    st.success("`python -m indicators check`: no problems in config/indicators.yaml.")
quarantined = inventory.quarantined_by_table(frame.warehouse())
st.caption(f"Last load {summary.finished:%d %B %Y %H:%M} (load {summary.load_id}).")

aims = {a.id: a.title for a in strategy.aims}
for indicator in strategy.indicators:
    with st.expander(
        f"{aims.get(indicator.aim, indicator.aim)} — {indicator.title} (`{indicator.id}`)"
    ):
        st.table(views.definition(indicator))
        st.markdown(
            f"**Source table:** `{indicator.source}`; rows of it quarantined in the "
            f"last load: **{quarantined.get(indicator.source, 0):,}**"
        )
        st.markdown("**SQL it compiles to**")
        st.code(compile_indicator(indicator), language="sql")
frame.footer(summary)
