"""One ward's profile: every indicator against the city, for scrutiny members."""

from __future__ import annotations

import streamlit as st

from indicators.store import inventory
from pages._app import frame

frame.page_gate("ward_profile")  # first: nothing is read before the role is known
summary = frame.require_warehouse()
results = frame.results()
strategy = frame.strategy()
choice = frame.selection(results)
frame.banners(summary)

st.title("Ward profile")
if choice.area_code == strategy.area_code:
    st.info("Choose a ward under **Area** in the sidebar to see its profile.")
else:
    st.header(f"{choice.area_name}, {choice.period}")
    st.caption(
        "Each indicator for the ward against the whole city. 'Compared with city' uses the "
        "95% confidence interval; rank 1 is the best of the 37 wards where the indicator has a "
        "direction. Local early help indicators have no England figure; England and the West "
        "Midlands appear on the JSNA context page."
    )
    profile = frame.view("ward_profile", choice.period, choice.area_code)
    frame.table(profile, f"ward_profile_{choice.area_code}_{choice.period}")
    st.info(inventory.ward_vintage_note(strategy.area_name))
frame.footer(summary)
