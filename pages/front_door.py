"""The front door as a flow: where requests received in a review period went."""

from __future__ import annotations

import streamlit as st

from pages._app import frame

SOURCE = "council early help extracts (pseudonymised)"

frame.page_gate("front_door")  # first: nothing is read before the role is known
summary = frame.require_warehouse()
results = frame.results()
choice = frame.selection(results)
frame.banners(summary)

st.title("The front door: where requests go")
st.caption(
    f"Requests received in {choice.period} (whole city), followed through decision, episode, "
    "closure and re-referral to the end of the data. The extracts record each episode's "
    "THRIVE level at the start only, so a start-to-close THRIVE view is not possible from them."
)
links = frame.front_door(choice.period)
frame.chart(
    frame.figure(
        "flow_chart",
        links,
        title=f"From request to closure, {frame.strategy().area_name}, "
        f"requests received {choice.period}",
        source=SOURCE,
    ),
    links,
    f"front_door_{choice.period}",
)
frame.footer(summary)
