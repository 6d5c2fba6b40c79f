"""How every page opens, in the one safe order: the gate first, then the load, then banners.

Nothing is read before the viewer's role is known (`gate.page_gate`), and a
page with nothing loaded stops with instructions before it reads results.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
    """A page of results: also the served results, strategy and the sidebar's selection."""

    results: pd.DataFrame
    strategy: Strategy
    choice: Selection


def open_page(page: str) -> Opened:
    """Gate `page`, require a load and show the banners (pages that read the warehouse)."""
    role = page_gate(page)
    summary = require_warehouse()
    banners(summary)
    return Opened(role, summary)


def open_results_page(page: str) -> Viewing:
    """`open_page`, with the served results and the sidebar's selection (pages of results)."""
    role = page_gate(page)
    summary = require_warehouse()
    results = cache.results()
    choice = selection(results)
    banners(summary)
    return Viewing(role, summary, results, cache.strategy(), choice)
