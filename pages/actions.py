"""Actions: every open action the board agreed, by aim, overdue ones first."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from indicators.present import actions_views
from indicators.review import reading
from indicators.review.store import StoreUnavailable
from pages._app import layout, review
from pages._app.opening import open_results_page

page = open_results_page("actions")
st.title("Actions")
st.caption(
    "Open actions recorded against the indicators, grouped by aim, overdue ones first. "
    "Actions are written and closed under each indicator on its aim's page."
)
try:
    actions = reading.actions(review.store())
except StoreUnavailable as err:
    st.error(review.inert(str(err)))
    st.stop()
today = dt.date.today()
listed = actions_views.open_actions(actions, page.strategy, today)
overdue = int(listed["overdue"].sum())
st.markdown(
    f"**{len(listed)} open action(s), {overdue} overdue** on {today:%d %B %Y}; "
    f"{int((actions['status'] == 'done').sum())} done."
)
if listed.empty:
    st.info("No open actions.")
for aim, rows in listed.groupby("aim", sort=False):
    st.header(aim)
    st.dataframe(
        rows.drop(columns=["aim", "overdue", "due_date"]),
        hide_index=True,
        use_container_width=True,
        column_config={
            "state": st.column_config.TextColumn("State", width="medium"),
            "action": st.column_config.TextColumn("Action", width="large"),
            "owner": st.column_config.TextColumn("Owner", width="small"),
            "indicator": st.column_config.TextColumn("Indicator", width="medium"),
            "period": st.column_config.TextColumn("Review period", width="small"),
        },
    )
layout.footer(page.summary)
