"""How every page opens, in the one safe order: the gate first, then the load, then banners.

Nothing is read before the viewer's role is known (`gate.page_gate`), and a
page with nothing loaded stops with instructions before it reads results.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from indicators.config.spec import Strategy
from indicators.store.inventory import LoadSummary
from pages._app import cache
from pages._app.gate import page_gate
from pages._app.layout import banners
from pages._app.loaded import require_warehouse
from pages._app.selection import Selection, selection


@dataclass(frozen=True)
class Opened:
    """A page passed its gate: who is viewing and which load serves."""

    role: str
    summary: LoadSummary


@dataclass(frozen=True)
class Viewing(Opened):
    """A page of results: also the published strategy and the sidebar's selection."""

    strategy: Strategy
    choice: Selection


def open_page(page: str) -> Opened:
    """Gate `page`, require a load and show the banners (pages that read the warehouse)."""
    role = page_gate(page)
    summary = require_warehouse()
    banners(summary)
    return Opened(role, summary)


def open_results_page(page: str) -> Viewing:
    """`open_page`, with the published strategy and the sidebar's selection (pages of results).

    Names on the page every definition that is configured but not shown, and why.
    """
    role = page_gate(page)
    summary = require_warehouse()
    choice = selection()
    banners(summary)
    _not_shown_notice(cache.left_out(), cache.not_published())
    return Viewing(role, summary, cache.strategy(), choice)


def _not_shown_notice(left_out: dict[str, list[str]], added: list[str]) -> None:
    """Name every configured indicator the page cannot show, and why, at the top."""
    lines = [
        f"- **{indicator_id}**: {problems[0]}"
        + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        for indicator_id, problems in left_out.items()
    ]
    lines += [f"- **{i}**: added to the definitions after this load" for i in added]
    if lines:
        st.warning(
            "Left out of this dashboard until its definition is fixed (run "
            "`python -m indicators check`) or the next load publishes it:\n" + "\n".join(lines),
            icon=":material/block:",
        )
