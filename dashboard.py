"""Streamlit entry point: page set-up and navigation.

Every page shares `pages._app` (cached results, selection, banners) and
checks its viewer's role itself (`gate.page_gate`), so navigation here
only decides what the menu offers: every page is registered, whoever asks,
so a deep link always reaches its page's own gate (a sign-in prompt or a
refusal) and never Streamlit's fallback to running `pages/*.py` unguarded.
"""

from __future__ import annotations

import streamlit as st

import pages._app.warm  # first: imports the engine once, in one order
from indicators import access
from pages import aim
from pages._app import cache
from pages._app.gate import current_role
from pages._app.navigation import navigation_menu, register_pages

st.set_page_config(page_title="Early Help and Prevention Strategy", layout="wide")


def _aim_page(aim_id: str, title: str) -> st.Page:
    def page() -> None:
        aim.render(aim_id)

    page.__name__ = f"aim_{aim_id}"
    return st.Page(page, title=title, url_path=aim_id)


strategy = cache.configured()
aims = [a.id for a in strategy.aims]
pages = {
    "strategy": st.Page("pages/strategy.py", title="Strategy on a page", default=True),
    **{a.id: _aim_page(a.id, a.title) for a in strategy.aims},
    "front_door": st.Page("pages/front_door.py", title="The front door"),
    "actions": st.Page("pages/actions.py", title="Actions"),
    "since_review": st.Page("pages/since_review.py", title="Since the last review"),
    "wards": st.Page("pages/wards.py", title="Wards"),
    "ward_profile": st.Page("pages/ward_profile.py", title="Ward profile"),
    "jsna": st.Page("pages/jsna.py", title="JSNA context"),
    "catalogue": st.Page("pages/catalogue.py", title="Indicator catalogue"),
    "data_quality": st.Page("pages/data_quality.py", title="Data quality"),
    "warehouse": st.Page("pages/warehouse.py", title="Warehouse"),
    "workbench": st.Page("pages/workbench.py", title="Indicator workbench"),
}
unreachable = set(pages) - access.pages_for(access.OPEN, aims)
if unreachable:  # a page no role may open is a page nobody can find
    raise RuntimeError(f"pages without a role in indicators/access.py: {sorted(unreachable)}")
menu = {
    "Board": ["strategy", *aims, "front_door", "actions", "since_review"],
    "Scrutiny": ["wards", "ward_profile", "jsna"],
    "Analysts": ["catalogue", "workbench", "data_quality", "warehouse"],
}
allowed = access.pages_for(current_role(), aims)
register_pages({key: page for key, page in pages.items() if key in allowed})
groups = {heading: [pages[key] for key in keys if key in allowed] for heading, keys in menu.items()}
# Streamlit's own sectioned menu nests its items in markup that screen readers
# misread (axe: list/listitem), so the menu is drawn here as headed links.
navigation = st.navigation(list(pages.values()), position="hidden")
navigation_menu({heading: group for heading, group in groups.items() if group})
navigation.run()
