"""The serving load's publication, read once per load id: a new load invalidates it.

Every figure was computed and protected at load (`indicators.publish`); pages
read rows of its tables through `indicators.store.publication`, keyed by the
load id, so a page switch reads nothing twice and a new load is read afresh.
Stored tables and figures are asked for by reference, so an editor follows
the call: `cache.stored(inventory.ward_boundaries)`,
`cache.figure(ward_charts.ward_map, ...)`. Streamlit cannot hash a function
argument itself (it raises UnhashableParamError); `hash_funcs` keys one by
its module and qualified name, which names it uniquely and stays the same
between runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from types import FunctionType
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import paths
from indicators.config import spec
from indicators.store import publication
from pages._app.loaded import require_warehouse, warehouse

T = TypeVar("T")


def _qualified_name(function: FunctionType) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def frame_digest(frame: pd.DataFrame) -> str:
    """A frame's cache key from its pickled bytes: several times quicker than Streamlit's
    own hashing of text columns, which was a third of a warm page switch. Equal contents
    laid out differently only cost a miss, never a wrong answer."""
    return hashlib.blake2b(pickle.dumps(frame, protocol=5), digest_size=16).hexdigest()


HASH_FUNCS = {FunctionType: _qualified_name, pd.DataFrame: frame_digest}


@st.cache_data(max_entries=1024, show_spinner=False)
def _read(load_id: str, warehouse: str, table: str, order_by: tuple, equal: tuple) -> pd.DataFrame:
    return publication.read(Path(warehouse), table, order_by=order_by, **dict(equal))


def published(table: str, *, order_by: tuple[str, ...] = (), **equal: str) -> pd.DataFrame:
    """The rows of the publication's `table` matching `equal`, read once per load.

    Example: `published("wards", indicator_id="requests_per_10k", period="2024 H2")`.
    """
    summary = require_warehouse()
    if not summary.published:
        st.warning(
            "This warehouse was built by an older version and holds no publication of the "
            "figures. Run `python -m indicators ensure` (demo) or "
            "`python -m indicators load DIR` to build it again."
        )
        st.stop()
    return _read(summary.load_id, str(warehouse()), table, order_by, tuple(equal.items()))


def left_out() -> dict[str, list[str]]:
    """The definitions the load left out (failing check, or stopped), with their problems."""
    rows = published("left_out", order_by=("indicator_id", "position"))
    return {i: list(group["problem"]) for i, group in rows.groupby("indicator_id", sort=False)}


def _served_ids() -> list[str]:
    return published("indicators", order_by=("position",))["indicator_id"].tolist()


@st.cache_resource(max_entries=4, show_spinner=False)
def _strategy(config: str, config_mtime_ns: int) -> spec.Strategy:
    """Shared, not copied: the strategy is frozen, and unpickling a copy on each of the
    several calls of a run cost more than the page's own work."""
    return spec.load_strategy(Path(config))


def configured() -> spec.Strategy:
    """The strategy as `config/indicators.yaml` (or `EARLY_HELP_CONFIG`) says it now."""
    config = paths.config_path()
    return _strategy(str(config), config.stat().st_mtime_ns)


def strategy() -> spec.Strategy:
    """The strategy as published: the configured definitions the serving load published.

    A definition left out at load, or added to the file since, is not shown
    (`not_published` names them).
    """
    full = configured()
    if not warehouse().exists():
        return full
    served = set(_served_ids())
    kept = tuple(i for i in full.indicators if i.id in served)
    return dataclasses.replace(full, indicators=kept)


def config_changed() -> bool:
    """Whether the strategy file differs from the one the serving load published."""
    config = paths.config_path()
    built = published("info")["config_sha256"].iloc[0]
    return built != _sha256(str(config), config.stat().st_mtime_ns)


@st.cache_data(max_entries=4, show_spinner=False)
def _sha256(config: str, config_mtime_ns: int) -> str:
    return hashlib.sha256(Path(config).read_bytes()).hexdigest()


def not_published() -> list[str]:
    """Configured definitions the serving load did not publish and did not leave out: added
    to the file after the load (they appear after the next one)."""
    served, refused = set(_served_ids()), left_out()
    return [i.id for i in configured().indicators if i.id not in served and i.id not in refused]


@st.cache_data(max_entries=128, show_spinner=False, hash_funcs=HASH_FUNCS)
def _stored(load_id: str, warehouse: str, reader: Callable, *args):
    return reader(Path(warehouse), *args)


def stored(reader: Callable[..., T], *args) -> T:
    """`reader(warehouse, *args)` (a function of `inventory`), read once per load."""
    return _stored(require_warehouse().load_id, str(warehouse()), reader, *args)


@st.cache_resource(max_entries=128, show_spinner=False, hash_funcs=HASH_FUNCS)
def _figure(load_id: str, builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    return builder(*args, **kwargs)


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """`builder(*args, **kwargs)` (a chart builder of `indicators.present.charts`), per load.

    Big figures (the ward map, 37 small multiples) cost more to build than to
    send, and never change between page switches.
    """
    return _figure(require_warehouse().load_id, builder, *args, **kwargs)


def aim_ids() -> list[str]:
    """The strategy's aims, each with a board page (from the YAML, never hard-coded).

    Cached per version of the YAML: every page's gate asks, and reading the
    strategy costs far more than the gate itself.
    """
    return [aim.id for aim in configured().aims]
