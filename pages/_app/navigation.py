"""The sidebar menu and links between pages, offering only the pages this person may open.

dashboard.py registers the allowed pages once per run; a page links to
another through `page_link`, which shows nothing for a page not registered.
"""

from __future__ import annotations

import streamlit as st

# Streamlit's captions are #828180 on white (contrast 3.9:1; WCAG AA asks 4.5:1), its
# page links show no focus ring to keyboard users (WCAG 2.4.7), and it cuts a long page
# name to one line ("Improve access to advice, help and sup"): menu names wrap instead.
_STYLE = """<style>
[data-testid="stSidebar"] [data-testid="stPageLink"] span,
[data-testid="stSidebar"] [data-testid="stPageLink"] span * {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
  line-height: 1.35;
}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #4a5560 !important; opacity: 1 !important;
}
a:focus-visible, button:focus-visible, summary:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #0072B2 !important; outline-offset: 2px;
}
</style>"""


def register_pages(pages: dict[str, st.Page]) -> None:
    """The pages this person may open, so pages link only to those (set by dashboard.py)."""
    st.session_state["pages"] = pages


def page_link(key: str, label: str, *, where=st, icon: str | None = None) -> None:
    """A link to another page, shown only when this person may open it."""
    page = st.session_state.get("pages", {}).get(key)
    if page is not None:
        where.page_link(page, label=label, icon=icon)


def navigation_menu(groups: dict[str, list[st.Page]]) -> None:
    """The sidebar menu: a heading per audience and a link per page."""
    # st.html, not st.markdown: a style-only st.html adds no element, and markdown with raw
    # HTML would make every new session fetch and parse Streamlit's raw-HTML parser (190 KB).
    st.html(_STYLE)
    with st.sidebar:
        for heading, group in groups.items():
            st.markdown(f"**{heading}**")
            for page in group:
                st.page_link(page)
        st.divider()
