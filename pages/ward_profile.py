"""One ward's profile: every indicator against the city, for scrutiny members."""

from __future__ import annotations

import streamlit as st

from indicators.store import inventory
from pages._app import cache, layout
from pages._app.opening import open_results_page

page = open_results_page("ward_profile")
strategy, choice = page.strategy, page.choice

st.title("Ward profile")
if choice.area_code == strategy.area_code:
    st.info("Choose a ward under **Area** in the sidebar to see its profile.")
else:
    st.header(f"{choice.area_name}, {choice.period}")
    st.caption(
        "Each indicator for the ward against the whole city. 'Compared with city' uses the "
        "95% confidence interval; rank 1 is the best of the 37 wards where the indicator has a "
        "direction. Local early help indicators have no national figure; "
        + " and ".join(c.name for c in strategy.comparators if c.code)
        + " appear on the JSNA context page."
    )
    profile = cache.published(
        "ward_profiles", period=choice.period, area_code=choice.area_code, order_by=("position",)
    ).drop(columns=["period", "area_code", "position"])
    layout.table(profile, f"ward_profile_{choice.area_code}_{choice.period}")
    st.info(inventory.ward_vintage_note(strategy.area_name))
layout.footer(page.summary)
