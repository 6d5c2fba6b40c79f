"""Since the last review: what moved, changed state or closed since the board last signed off,
and, for analysts, signing off the chosen review period."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from indicators.present import actions_views, revisions
from indicators.review import reading
from indicators.review.store import StoreUnavailable
from pages._app import cache, layout, review, signing
from pages._app.opening import open_results_page

page = open_results_page("since_review")
strategy, choice = page.strategy, page.choice
st.title("Since the last review")
st.caption(
    "A signed-off review keeps the figures as they were reported to the board. Here: the "
    "figures that have moved since (late data, corrections), the indicators that changed "
    "state or show a new special-cause signal, and the actions done or overdue."
)
signing.sign_off_panel(choice.period, page.summary.load_id)
last = review.latest_signoff()
if last is None:
    st.info("No review has been signed off yet: nothing to compare with.")
    layout.footer(page.summary)
    st.stop()
areas = cache.published("areas")
names = {
    strategy.area_code: strategy.area_name,
    **dict(zip(areas["area_code"], areas["area_name"], strict=True)),
}
st.header(f"Since the {last.period} review")
st.markdown(
    review.inert(
        f"Reported to the board on {last.reported_on}, signed off by {last.signed_by} "
        f"(figures from load {last.load_id}); compared with load {page.summary.load_id}."
    )
)
moved = revisions.revisions(last.figures, cache.published("tiles", period=last.period))
st.subheader(f"Figures for {last.period} that have moved since they were reported")
if moved.empty:
    st.success("No figure has moved since it was reported.", icon=":material/check:")
else:
    layout.table(revisions.revisions_table(moved, names), f"revisions_{last.period}")
city = strategy.area_code
changed = revisions.changed_state(
    last.figures[last.figures["area_code"] == city],
    cache.published("tiles", period=choice.period, area_code=city),
)
st.subheader(f"Changed state: {last.period} as reported against {choice.period} now")
if changed.empty:
    st.caption("No indicator changed its progress to target or shows a new signal.")
else:
    layout.table(changed[["title", "change", "words"]], f"changed_{choice.period}")
try:
    actions = reading.actions(review.store())
except StoreUnavailable as err:
    st.error(review.inert(str(err)))
    st.stop()
st.subheader(f"Actions done since {last.reported_on}")
done = revisions.done_since(actions, last.reported_on)
if done.empty:
    st.caption("None.")
else:
    layout.table(done, "actions_done")
st.subheader("Actions overdue")
listed = actions_views.open_actions(actions, strategy, dt.date.today())
overdue = listed[listed["overdue"].astype(bool)].drop(columns=["overdue", "due_date"])
if overdue.empty:
    st.caption("None.")
else:
    layout.table(overdue, "actions_overdue")
layout.footer(page.summary)
