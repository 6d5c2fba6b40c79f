"""The served results, cached per load id: a new load invalidates them and nothing else does.

Views, stored tables and figures are asked for by reference, so an editor
follows the call: `cache.view(ward_views.ward_table, indicator_id, period)`,
`cache.stored(inventory.ward_boundaries)`, `cache.figure(ward_charts.ward_map, ...)`.
Streamlit cannot hash a function argument itself (it raises
UnhashableParamError); `hash_funcs` keys one by its module and qualified name,
which names it uniquely and stays the same between runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from types import FunctionType
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import paths
from indicators.config import spec
from indicators.disclosure import publication
from pages._app.loaded import require_warehouse, warehouse

T = TypeVar("T")


def _qualified_name(function: FunctionType) -> str:
    return f"{function.__module__}.{function.__qualname__}"


BY_NAME = {FunctionType: _qualified_name}


@st.cache_resource(show_spinner="Computing indicators…", max_entries=4)
def publication_for(
    load_id: str, warehouse: str, config: str, config_mtime: float
) -> publication.Publication:
    """Shared by every session (read-only): checked, built and protected once per load and
    config, so check's cost stays out of page views."""
    return publication.build_served_publication(Path(warehouse), spec.load_strategy(Path(config)))


def published() -> publication.Publication:
    """The serving load's publication, built once per load and version of the config."""
    summary = require_warehouse()
    config = paths.config_path()
    return publication_for(summary.load_id, str(warehouse()), str(config), config.stat().st_mtime)


def without(full: spec.Strategy, left_out: dict[str, list[str]]) -> spec.Strategy:
    """`full` without the definitions the publication left out."""
    kept = tuple(i for i in full.indicators if (i.id or "?") not in left_out)
    return dataclasses.replace(full, indicators=kept)


def strategy() -> spec.Strategy:
    """The strategy as served: definitions that fail check (or were stopped) are left out."""
    full = spec.load_strategy(paths.config_path())
    if not warehouse().exists():
        return full
    return without(full, published().left_out)


def _left_out_notice(left_out: dict[str, list[str]]) -> None:
    """Name every indicator the dashboard leaves out, and why, at the top of the page."""
    if not left_out:
        return
    st.warning(
        "Left out of this dashboard until its definition is fixed (run "
        "`python -m indicators check`):\n"
        + "\n".join(
            f"- **{indicator_id}**: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
            for indicator_id, problems in left_out.items()
        ),
        icon=":material/block:",
    )


def results() -> pd.DataFrame:
    """Every served indicator's tidy results for the serving load (after disclosure control).

    Says on the page which indicators are left out (failing check, or stopped).
    """
    served = published()
    _left_out_notice(served.left_out)
    return served.results


def monthly(indicator_id: str) -> pd.DataFrame:
    """The city's monthly series of an indicator (for SPC), as published."""
    return published().monthly[indicator_id]


def front_door(period: str) -> pd.DataFrame:
    """The front-door flow for requests received in `period`, as published."""
    flows = published().flows
    return flows.get(period, next(iter(flows.values())).iloc[:0])


@st.cache_data(max_entries=256, show_spinner=False, hash_funcs=BY_NAME)
def _view(load_id: str, warehouse: str, config_mtime: float, build: Callable, *args: str):
    config = paths.config_path()
    served = publication_for(load_id, warehouse, str(config), config_mtime)
    return build(served.results, without(spec.load_strategy(config), served.left_out), *args)


def view(build: Callable[..., T], *args: str) -> T:
    """`build(results, strategy, *args)` (a function of `views` or `ward_views`), once per load.

    A page switch reuses it rather than recomputing.
    """
    load_id = require_warehouse().load_id
    return _view(load_id, str(warehouse()), paths.config_path().stat().st_mtime, build, *args)


@st.cache_data(max_entries=128, show_spinner=False, hash_funcs=BY_NAME)
def _stored(load_id: str, warehouse: str, reader: Callable, *args):
    return reader(Path(warehouse), *args)


def stored(reader: Callable[..., T], *args) -> T:
    """`reader(warehouse, *args)` (a function of `inventory`), read once per load."""
    return _stored(require_warehouse().load_id, str(warehouse()), reader, *args)


@st.cache_resource(max_entries=128, show_spinner=False, hash_funcs=BY_NAME)
def _figure(load_id: str, builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    return builder(*args, **kwargs)


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """`builder(*args, **kwargs)` (a chart builder of `indicators.present.charts`), per load.

    Big figures (the ward map, 37 small multiples) cost more to build than to
    send, and never change between page switches.
    """
    return _figure(require_warehouse().load_id, builder, *args, **kwargs)


@st.cache_data(max_entries=4, show_spinner=False)
def _aim_ids(config: str, config_mtime_ns: int) -> tuple[str, ...]:
    return tuple(aim.id for aim in spec.load_strategy(Path(config)).aims)


def aim_ids() -> list[str]:
    """The strategy's aims, each with a board page (from the YAML, never hard-coded).

    Cached per version of the YAML: every page's gate asks, and reading the
    strategy costs far more than the gate itself.
    """
    config = paths.config_path()
    return list(_aim_ids(str(config), config.stat().st_mtime_ns))
