"""Signing off a review period on the page: the analyst's form, and what was signed.

The form is drawn only for someone `review.signer` allows, and the store's
`sign_off` checks again, so a forged call by anyone else records nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from indicators import access
from indicators.present import revisions
from indicators.review import rules, signoff
from pages._app import cache, review
from pages._app.gate import current_role


def sign_off_panel(period: str, load_id: str) -> None:
    """Whether `period` was signed off (and when), and the sign-off form for analysts."""
    signed = review.latest_signoff(period)
    if signed is not None:
        st.success(
            review.inert(
                f"{period} was reported to the board on {signed.reported_on} and signed off "
                f"by {signed.signed_by} (load {signed.load_id})."
            ),
            icon=":material/verified:",
        )
    else:
        st.info(f"{period} has not been signed off.", icon=":material/pending:")
    kind, message = st.session_state.pop("outcome_signoff", (None, None))
    if kind == "error":
        st.error(review.inert(message), icon=":material/block:")
    elif kind == "success":
        st.success(message, icon=":material/check:")
    if not review.signer("someone").may_sign:
        return
    with st.form("signoff_form"):
        st.markdown(f"**Sign off {period}**: keep today's figures as those reported.")
        st.date_input("Reported to the board on", value=dt.date.today(), key="signoff_date")
        if current_role() == access.OPEN:
            st.text_input("Your name and role", key="signoff_name", max_chars=rules.NAME_LIMIT)
        st.form_submit_button(f"Sign off {period}", on_click=_sign, args=(period, load_id))


def _sign(period: str, load_id: str) -> None:
    try:
        review.sign_off(
            period,
            st.session_state.get("signoff_date"),
            load_id,
            cache.published("tiles", period=period),
            st.session_state.get("signoff_name"),
        )
    except rules.ReviewRefused as err:
        st.session_state["outcome_signoff"] = ("error", str(err))
        return
    st.session_state["outcome_signoff"] = ("success", f"Signed off {period}.")


def revised_since(signed: signoff.SignOff | None, tiles: pd.DataFrame, area_code: str) -> dict:
    """The figures of `area_code` that moved since `signed` was reported: id → words."""
    if signed is None:
        return {}
    moved = revisions.revisions(signed.figures[signed.figures["area_code"] == area_code], tiles)
    return dict(zip(moved["indicator_id"], moved["words"], strict=True))


def as_reported(signed: signoff.SignOff | None, revised: dict) -> str:
    """`, as reported at the 2024 H2 review on 2025-03-12 (2 figures revised since)`."""
    if signed is None:
        return ""
    moved = f"{len(revised)} figure(s) revised since" if revised else "no figure revised since"
    return f", as reported at the {signed.period} review on {signed.reported_on} ({moved})"
