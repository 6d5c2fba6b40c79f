"""Commentary and actions on the pages: read from the review store, written through it.

Every write here builds its `Writer` afresh from the deployment's secrets and
`st.user` (never from an argument or session state) and the store's write
functions refuse one without the grant, so a reader's forged call writes
nothing even if it reaches these functions. Text people wrote is shown
escaped (`inert`): never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from indicators import access
from indicators.config.spec import Indicator, Strategy
from indicators.present import actions_views
from indicators.review import reading, rules, signoff, writing
from indicators.review.settings import store_settings
from indicators.review.store import ReviewStore, StoreUnavailable
from pages._app.gate import current_role, deployment_settings

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:@])")
ACTION_COLUMNS = {
    "action": "Action",
    "owner": "Owner",
    "due_date": "Due",
    "status": "Status",
    "closed_date": "Closed",
}


def inert(text: str) -> str:
    """`text` for st.markdown shown exactly as written: every Markdown and HTML character
    backslash-escaped, line breaks kept."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def store() -> ReviewStore:
    """The deployment's review store (`[review]` in the secrets, or beside the warehouse)."""
    return ReviewStore(store_settings(deployment_settings()))


def writer(typed_name: str | None = None) -> writing.Writer:
    """Who is writing, and whether they may: the signed-in e-mail with the editor grant,
    or with open access the name they typed, when the operator switched writing on."""
    settings, role = deployment_settings(), current_role()
    open_writing = store_settings(settings).open_writing
    if role == access.OPEN:
        name = f"{typed_name.strip()} (open access)" if typed_name and typed_name.strip() else ""
        return writing.Writer(name, access.may_write(role, False, open_writing))
    editor = access.is_editor(st.user, settings.get("access") or {})
    email = st.user.get("email") if st.user.is_logged_in else ""
    return writing.Writer(str(email or ""), access.may_write(role, editor, open_writing))


def may_write() -> bool:
    return writer("someone").may_write


def signer(typed_name: str | None = None) -> signoff.Signer:
    """Who is signing off, and whether they may (the analyst role; open access only when
    writing is switched on, under the name they typed)."""
    settings, role = deployment_settings(), current_role()
    open_writing = store_settings(settings).open_writing
    if role == access.OPEN:
        name = f"{typed_name.strip()} (open access)" if typed_name and typed_name.strip() else ""
    else:
        email = st.user.get("email") if st.user.is_logged_in else ""
        name = str(email or "")
    return signoff.Signer(name, access.may_sign_off(role, open_writing))


def sign_off(period: str, reported_on: object, load_id: str, figures, typed_name=None) -> int:
    """The page's path to `signoff.sign_off` (raises `ReviewRefused`)."""
    return signoff.sign_off(store(), signer(typed_name), period, reported_on, load_id, figures)


def latest_signoff(period: str | None = None) -> signoff.SignOff | None:
    """The latest sign-off of `period` (or any), or None (also when the store is down)."""
    try:
        return signoff.latest(store(), period)
    except StoreUnavailable:
        return None


def save_narrative(
    strategy: Strategy,
    indicator_id: str,
    period: str,
    text: str,
    based_on: int | None,
    typed_name: str | None = None,
) -> writing.Saved:
    """The page's path to `writing.save_narrative` (raises `ReviewRefused`)."""
    return writing.save_narrative(
        store(), strategy, writer(typed_name), indicator_id, period, text, based_on=based_on
    )


def add_action(
    strategy: Strategy,
    indicator_id: str,
    period: str,
    fields: writing.ActionFields,
    typed_name: str | None = None,
) -> writing.Saved:
    return writing.add_action(store(), strategy, writer(typed_name), indicator_id, period, fields)


def change_action(
    action_id: int,
    fields: writing.ActionFields,
    based_on: int | None,
    typed_name: str | None = None,
) -> writing.Saved:
    return writing.change_action(store(), writer(typed_name), action_id, fields, based_on=based_on)


def _report(key: str, attempt) -> None:
    """Run a save from a form's callback; keep its outcome to show on this run."""
    try:
        saved = attempt()
    except (rules.ReviewRefused, StoreUnavailable) as err:
        st.session_state[f"outcome_{key}"] = ("error", str(err))
        return
    message = "Saved."
    if saved.crossed:
        message = (
            "Saved. Someone else saved a change here after you opened it: both are kept, "
            "yours is now current; see the history."
        )
    st.session_state[f"outcome_{key}"] = ("success", message)


def _outcome(key: str) -> None:
    kind, message = st.session_state.pop(f"outcome_{key}", (None, None))
    if kind == "error":
        st.error(inert(message), icon=":material/block:")
    elif kind == "success":
        st.success(message, icon=":material/check:")


def chart_notes(indicator_id: str, periods: set[str]) -> list[tuple[str, str]]:
    """(period, the narrative's first 60 characters) to annotate an indicator's chart."""
    try:
        notes = reading.narratives(store(), indicator_id)
    except StoreUnavailable:
        return []
    return [
        (p, n[:60])
        for p, n in zip(notes["period"], notes["narrative"], strict=True)
        if p in periods
    ]


def indicator_panel(indicator: Indicator, period: str, strategy: Strategy) -> None:
    """Under an indicator: its narrative and actions for `period`, the forms for editors,
    and the history of every change (an expander)."""
    try:
        kept = store()
        note = reading.narratives(kept, indicator.id, period)
        actions = reading.actions(kept, indicator.id, period)
        history = reading.history(kept, indicator.id)
    except StoreUnavailable as err:
        st.warning(f"Commentary cannot be read now: {inert(str(err))}")
        return
    key = indicator.id
    st.subheader(f"Commentary, {period}")
    _outcome(key)
    if len(note):
        row = note.iloc[0]
        st.markdown(inert(str(row["narrative"])))
        st.caption(inert(f"{row['written_by']}, {row['written_at'][:16].replace('T', ' ')} UTC"))
    else:
        st.caption(f"No narrative recorded for {period}.")
    if len(actions):
        st.dataframe(
            actions[list(ACTION_COLUMNS)].fillna("").rename(columns=ACTION_COLUMNS),
            hide_index=True,
            use_container_width=True,
        )
    if may_write():
        _forms(indicator, period, strategy, note, actions)
    elif current_role() == access.OPEN:
        st.caption(
            "Commentary is read only: access is open (nobody signs in), and the operator "
            "has not switched writing on (`[review] open_writing`)."
        )
    with st.expander(f"History of the commentary on '{indicator.title}' ({len(history)} changes)"):
        if len(history):
            st.dataframe(
                actions_views.history_table(history),
                hide_index=True,
                use_container_width=True,
                column_config={
                    "when (UTC)": st.column_config.TextColumn(width="small"),
                    "who": st.column_config.TextColumn(width="small"),
                    "before": st.column_config.TextColumn(width="medium"),
                    "after": st.column_config.TextColumn(width="large"),
                },
            )
        else:
            st.caption("Nothing written yet.")


def _name_field(key: str) -> None:
    if current_role() == access.OPEN:
        st.text_input("Your name and role", key=f"name_{key}", max_chars=rules.NAME_LIMIT)


def _forms(indicator, period, strategy, note, actions) -> None:
    key = indicator.id
    seen = int(note["revision_id"].iloc[0]) if len(note) else None
    with st.form(f"narrative_form_{key}"):
        st.text_area(
            "Narrative",
            value=note["narrative"].iloc[0] if len(note) else "",
            key=f"narrative_{key}",
            max_chars=rules.NARRATIVE_LIMIT,
        )
        _name_field(f"narrative_{key}")
        st.form_submit_button(
            "Save the narrative",
            on_click=_report,
            args=(
                key,
                lambda: save_narrative(
                    strategy,
                    key,
                    period,
                    st.session_state[f"narrative_{key}"],
                    seen,
                    st.session_state.get(f"name_narrative_{key}"),
                ),
            ),
        )
    with st.form(f"new_action_form_{key}", clear_on_submit=True):
        st.markdown("**Add an action**")
        st.text_input("Action", key=f"new_action_{key}", max_chars=rules.ACTION_LIMIT)
        st.text_input("Owner", key=f"new_owner_{key}", max_chars=rules.NAME_LIMIT)
        st.date_input("Due", value=None, key=f"new_due_{key}", format="YYYY-MM-DD")
        _name_field(f"new_action_{key}")
        st.form_submit_button(
            "Add the action",
            on_click=_report,
            args=(
                key,
                lambda: add_action(
                    strategy,
                    key,
                    period,
                    writing.ActionFields(
                        st.session_state[f"new_action_{key}"],
                        st.session_state[f"new_owner_{key}"],
                        st.session_state[f"new_due_{key}"],
                    ),
                    st.session_state.get(f"name_new_action_{key}"),
                ),
            ),
        )
    if len(actions):
        _change_form(key, actions)


def _change_form(key: str, actions) -> None:
    labels = {int(a.action_id): f"{a.action_id}: {a.action[:60]}" for a in actions.itertuples()}
    chosen = st.selectbox(
        "Change an action", list(labels), format_func=labels.get, key=f"change_choice_{key}"
    )
    row = actions[actions["action_id"] == chosen].iloc[0]
    form = f"{key}_{chosen}_{row['revision_id']}"  # fresh defaults after every change
    with st.form(f"change_action_form_{form}"):
        st.text_input(
            "Action", value=row["action"], key=f"change_action_{form}", max_chars=rules.ACTION_LIMIT
        )
        st.text_input(
            "Owner",
            value=row["owner"] or "",
            key=f"change_owner_{form}",
            max_chars=rules.NAME_LIMIT,
        )
        due = dt.date.fromisoformat(row["due_date"]) if row["due_date"] else None
        st.date_input("Due", value=due, key=f"change_due_{form}", format="YYYY-MM-DD")
        st.radio(
            "Status",
            rules.STATUSES,
            index=rules.STATUSES.index(row["status"]),
            key=f"change_status_{form}",
            horizontal=True,
        )
        closed = dt.date.fromisoformat(row["closed_date"]) if row["closed_date"] else None
        st.date_input(
            "Closed (when done; today if left empty)",
            value=closed,
            key=f"change_closed_{form}",
            format="YYYY-MM-DD",
        )
        _name_field(f"change_{form}")
        st.form_submit_button(
            "Save the action",
            on_click=_report,
            args=(
                key,
                lambda: change_action(
                    int(chosen),
                    writing.ActionFields(
                        st.session_state[f"change_action_{form}"],
                        st.session_state[f"change_owner_{form}"],
                        st.session_state[f"change_due_{form}"],
                        st.session_state[f"change_status_{form}"],
                        st.session_state[f"change_closed_{form}"]
                        if st.session_state[f"change_status_{form}"] == "done"
                        else None,
                    ),
                    int(row["revision_id"]),
                    st.session_state.get(f"name_change_{form}"),
                ),
            ),
        )
