"""One ward's profile, the councillor's ward view: every indicator against the city."""

from __future__ import annotations

import streamlit as st

from indicators.present.ward_words import WARD_SET_NAMES, ward_set_note
from pages._app import cache, layout
from pages._app.opening import open_results_page

page = open_results_page("ward_profile")
strategy, choice = page.strategy, page.choice
ward_set = WARD_SET_NAMES[choice.wards]

st.title("Ward profile")
if not choice.is_ward:
    st.info(
        f"Choose a ward under **Area** in the sidebar (type to search by name) to see its "
        f"profile; the list holds the {ward_set}, and **Wards** switches the set."
    )
else:
    st.header(f"{choice.area_name}, {choice.period}")
    st.caption(
        "Each indicator for the ward against the whole city. 'Compared with the city' uses "
        "the 95% confidence interval; rank 1 is the best ward of its set where the indicator "
        "has a direction; the note is the ward's own figures in words. Local early help "
        "indicators have no national figure; "
        + " and ".join(c.name for c in strategy.comparators if c.code)
        + " appear on the JSNA context page."
    )
    profile = cache.published(
        "ward_profiles", period=choice.period, area_code=choice.area_code, order_by=("position",)
    ).drop(columns=["period", "area_code", "position"])
    layout.table(profile, f"ward_profile_{choice.area_code}_{choice.period}", whole=True)
    st.info(ward_set_note(choice.wards, strategy.area_name))
layout.footer(page.summary)
