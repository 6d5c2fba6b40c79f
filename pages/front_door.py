"""The front door as a flow: where requests received in a review period went."""

from __future__ import annotations

import streamlit as st

from indicators.present.charts import context_charts
from pages._app import cache, layout
from pages._app.opening import open_results_page

SOURCE = "council early help extracts (pseudonymised)"

page = open_results_page("front_door")
choice = page.choice

st.title("The front door: where requests go")
st.caption(
    f"Requests received in {choice.period} (whole city), followed through decision, episode, "
    "closure and re-referral to the end of the data. The extracts record each episode's "
    "THRIVE level at the start only, so a start-to-close THRIVE view is not possible from them."
)
links = cache.published("flows", period=choice.period).drop(columns="period")
layout.chart(
    cache.figure(
        context_charts.flow_chart,
        links,
        title=f"From request to closure, {page.strategy.area_name}, "
        f"requests received {choice.period}",
        source=SOURCE,
    ),
    links,
    f"front_door_{choice.period}",
)
layout.footer(page.summary)
