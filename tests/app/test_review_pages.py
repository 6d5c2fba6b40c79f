"""Commentary and actions on the pages: editors write, readers cannot, text stays inert."""

from __future__ import annotations

from pathlib import Path

import pytest
from signed_in import AUTH, BOARD_USER, run_as
from streamlit.testing.v1 import AppTest

from indicators.config import spec
from indicators.paths import CONFIG_PATH, PROJECT_ROOT
from indicators.review import reading
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore

STRATEGY = spec.load_strategy(CONFIG_PATH)
AIM = "access"
INDICATOR = next(i.id for i in STRATEGY.indicators if i.aim == AIM and i.measure.kind.tile)
PERIOD = "2024 H2"
EDITOR = {"is_logged_in": True, "email": "lead@stoke.gov.uk", "email_verified": True}
ROLES = {"roles": {"board": ["@stoke.gov.uk"], "editor": ["lead@stoke.gov.uk"]}}
SCRIPT = "<script>alert(1)</script>"
DROP = "'); DROP TABLE actions;--"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_warehouse: Path) -> ReviewStore:
    path = tmp_path / "review.sqlite"
    monkeypatch.setenv("EARLY_HELP_REVIEW_STORE", str(path))
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))
    return ReviewStore(StoreSettings(path))


def _aim_page(aim_id: str) -> None:
    from pages import aim

    aim.render(aim_id)


def aim_page(user: dict | None, roles: dict | None = None, review: dict | None = None) -> AppTest:
    app = AppTest.from_function(_aim_page, args=(AIM,), default_timeout=120)
    if user is not None:
        app.secrets["auth"] = AUTH
        app.secrets["access"] = roles or ROLES
        app.user = user
    if review is not None:
        app.secrets["review"] = review
    return app.run()


def _form_button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def test_an_editor_writes_edits_and_closes_actions(store: ReviewStore) -> None:
    app = aim_page(EDITOR)
    assert not app.exception
    app.text_area(key=f"narrative_{INDICATOR}").input(SCRIPT + "\nTwo posts vacant.")
    _form_button(app, "Save the narrative").click().run()
    assert [s.value for s in app.success] == ["Saved."]
    app.text_input(key=f"new_action_{INDICATOR}").input(DROP)
    app.text_input(key=f"new_owner_{INDICATOR}").input("Front door manager")
    app.date_input(key=f"new_due_{INDICATOR}").set_value("2025-01-31")
    _form_button(app, "Add the action").click().run()
    assert not app.exception and not app.error
    (action,) = reading.actions(store).itertuples()
    assert (action.action, action.owner, action.due_date, action.status) == (
        DROP,
        "Front door manager",
        "2025-01-31",
        "open",
    )
    form = f"{INDICATOR}_{action.action_id}_{action.revision_id}"
    app.text_input(key=f"change_owner_{form}").input("Head of early help")
    app.radio(key=f"change_status_{form}").set_value("done")
    _form_button(app, "Save the action").click().run()
    assert not app.error, [e.value for e in app.error]
    (closed,) = reading.actions(store).itertuples()
    assert (closed.owner, closed.status, closed.closed_date is not None) == (
        "Head of early help",
        "done",
        True,
    )
    (note,) = reading.narratives(store).itertuples()
    assert note.narrative == SCRIPT + "\nTwo posts vacant." and note.written_by == EDITOR["email"]
    # shown inert: escaped for Markdown, never as HTML; the history records every change
    shown = "\n".join(m.value for m in app.markdown)
    assert r"\<script\>alert\(1\)\</script\>" in shown and "<script>" not in shown
    history = reading.history(store, INDICATOR)
    assert {"narrative", "owner", "status", "closed_date"} <= set(history["field"])
    assert any("History of the commentary" in e.label for e in app.expander)


def test_a_reader_has_no_form_and_a_forged_call_is_refused(store: ReviewStore) -> None:
    app = aim_page(BOARD_USER)
    assert not app.exception
    assert not [b for b in app.button if b.label == "Save the narrative"]

    def forged() -> None:
        import streamlit as st

        from indicators.config import spec
        from indicators.paths import CONFIG_PATH
        from indicators.review.rules import ReviewRefused
        from pages._app import review

        strategy = spec.load_strategy(CONFIG_PATH)
        indicator = next(i.id for i in strategy.indicators if i.aim == "access")
        try:
            review.save_narrative(strategy, indicator, "2024 H2", "forged", None, "x")
        except ReviewRefused as err:
            st.error(str(err))

    forge = run_as(forged, BOARD_USER, ROLES)
    assert [e.value for e in forge.error] and "editor role" in forge.error[0].value
    assert reading.narratives(store).empty and not store.settings.path.exists()


def test_open_access_writes_only_when_the_operator_switches_it_on(store: ReviewStore) -> None:
    closed = aim_page(None, review={"open_writing": False})  # the default, said explicitly
    assert not closed.exception
    assert not [b for b in closed.button if b.label == "Save the narrative"]
    opened = aim_page(None, review={"open_writing": True})
    opened.text_area(key=f"narrative_{INDICATOR}").input("Written with open access.")
    _form_button(opened, "Save the narrative").click().run()
    refusal = opened.error[0].value.replace("\\", "")
    assert refusal == "your name: write something (it is empty)"  # nobody is known: ask
    opened.text_input(key=f"name_narrative_{INDICATOR}").input("Ann, analyst")
    _form_button(opened, "Save the narrative").click().run()
    (note,) = reading.narratives(store).itertuples()
    assert note.written_by == "Ann, analyst (open access)"


def test_the_actions_page_lists_open_actions_by_aim_overdue_first(store: ReviewStore) -> None:
    from indicators.review import writing

    editor = writing.Writer("lead", True)
    for text, due in (("later", "2999-01-01"), ("late", "2020-01-01"), ("no date", None)):
        writing.add_action(
            store, STRATEGY, editor, INDICATOR, PERIOD, writing.ActionFields(text, "o", due)
        )
    app = AppTest.from_file(str(PROJECT_ROOT / "pages/actions.py"), default_timeout=120).run()
    assert not app.exception
    (table,) = app.dataframe
    assert list(table.value["action"]) == ["late", "later", "no date"]
    assert table.value["state"].iloc[0] == "overdue since 2020-01-01"
    assert any("3 open action(s), 1 overdue" in m.value for m in app.markdown)
