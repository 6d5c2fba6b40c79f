"""What every page shares: the selection, cached results, banners, footer, tables.

The Streamlit glue the pages stand on. Results are cached per load id, so a
new load invalidates them and nothing else does; the selection (review
period, comparator, area) lives in the URL's query parameters, so a link
reproduces the view.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import (
    access,
    charts,
    compute,
    context_charts,
    flow,
    inventory,
    spec,
    views,
    ward_charts,
    ward_views,
)
from indicators.disclosure import FOOTNOTE
from indicators.paths import CONFIG_PATH, warehouse_path

COMPARATORS = {
    "england": "England",
    "region": "West Midlands",
    "statistical_neighbours": "Statistical neighbours (average)",
}
CITY = "city"
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


@dataclass(frozen=True)
class Selection:
    period: str
    comparator: str
    area_code: str
    area_name: str


@st.cache_data(show_spinner="Computing indicators…", max_entries=4)
def _served(load_id: str, warehouse: str, config: str, config_mtime: float) -> compute.Served:
    """Checked and computed once per load and config: check's cost stays out of page views."""
    return compute.compute_served(Path(warehouse), spec.load_strategy(Path(config)))


def _served_now() -> compute.Served:
    summary = require_warehouse()
    return _served(summary.load_id, str(warehouse()), str(CONFIG_PATH), CONFIG_PATH.stat().st_mtime)


def _without(full: spec.Strategy, left_out: dict[str, list[str]]) -> spec.Strategy:
    kept = tuple(i for i in full.indicators if (i.id or "?") not in left_out)
    return dataclasses.replace(full, indicators=kept)


def strategy() -> spec.Strategy:
    """The strategy as served: definitions that fail check (or were stopped) are left out."""
    full = spec.load_strategy(CONFIG_PATH)
    if not warehouse().exists():
        return full
    return _without(full, _served_now().left_out)


def left_out_notice(left_out: dict[str, list[str]]) -> None:
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


def warehouse() -> Path:
    return warehouse_path()


def require_warehouse() -> inventory.LoadSummary:
    """Stop the page with instructions when nothing is loaded yet."""
    path = warehouse()
    if not path.exists():
        st.warning(
            "No warehouse is loaded yet. Run `python -m indicators ensure` (demo data) or "
            "`python -m indicators load DIR` (the council's extracts)."
        )
        st.stop()
    stat = path.stat()
    return _load_summary(str(path), stat.st_mtime_ns, stat.st_ino)


@st.cache_data(max_entries=8, show_spinner=False)
def _load_summary(path: str, mtime_ns: int, inode: int) -> inventory.LoadSummary:
    """Read once per warehouse file: a load swaps in a new file (new inode), which
    changes the key, so every cache keyed by the load id follows."""
    return inventory.load_summary(Path(path))


def results() -> pd.DataFrame:
    """Every served indicator's tidy results for the serving load (after disclosure control).

    Says on the page which indicators are left out (failing check, or stopped).
    """
    served = _served_now()
    left_out_notice(served.left_out)
    return served.results


@st.cache_data(max_entries=32)
def _monthly(load_id: str, warehouse: str, indicator_id: str) -> pd.DataFrame:
    strategy = _without(
        spec.load_strategy(CONFIG_PATH),
        _served(load_id, warehouse, str(CONFIG_PATH), CONFIG_PATH.stat().st_mtime).left_out,
    )
    return compute.monthly(Path(warehouse), strategy, strategy.indicator(indicator_id))


def monthly(indicator_id: str) -> pd.DataFrame:
    """The city's monthly series of an indicator (for SPC), cached per load."""
    return _monthly(require_warehouse().load_id, str(warehouse()), indicator_id)


@st.cache_data(max_entries=32)
def _front_door(load_id: str, warehouse: str, period: str, min_count: int) -> pd.DataFrame:
    return flow.front_door_flow(Path(warehouse), period, min_count)


def front_door(period: str) -> pd.DataFrame:
    """The front-door flow for requests received in `period`, cached per load."""
    return _front_door(require_warehouse().load_id, str(warehouse()), period, strategy().min_count)


@st.cache_data(max_entries=256, show_spinner=False)
def _view(load_id: str, warehouse: str, config_mtime: float, name: str, *args: str):
    served = _served(load_id, warehouse, str(CONFIG_PATH), config_mtime)
    strategy, frame = _without(spec.load_strategy(CONFIG_PATH), served.left_out), served.results
    module = views if hasattr(views, name) else ward_views
    return getattr(module, name)(frame, strategy, *args)


def view(name: str, *args: str):
    """`views.<name>` or `ward_views.<name>` (results, strategy, *args), cached per load.

    A page switch reuses it rather than recomputing.
    """
    return _view(
        require_warehouse().load_id, str(warehouse()), CONFIG_PATH.stat().st_mtime, name, *args
    )


@st.cache_data(max_entries=128, show_spinner=False)
def _stored(load_id: str, warehouse: str, name: str, *args):
    return getattr(inventory, name)(Path(warehouse), *args)


def stored(name: str, *args):
    """`inventory.<name>(warehouse, *args)`, read once per load."""
    return _stored(require_warehouse().load_id, str(warehouse()), name, *args)


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(load_id: str, builder: str, *args, **kwargs) -> go.Figure:
    module = next(m for m in (charts, ward_charts, context_charts) if hasattr(m, builder))
    return getattr(module, builder)(*args, **kwargs)


def figure(builder: str, *args, **kwargs) -> go.Figure:
    """A chart builder's figure (`charts`, `ward_charts` or `context_charts`), kept per load.

    Big figures (the ward map, 37 small multiples) cost more to build than to
    send, and never change between page switches.
    """
    return _figure(require_warehouse().load_id, builder, *args, **kwargs)


@st.cache_data(max_entries=8, show_spinner="Building the board pack…")
def _board_pack(load_id: str, warehouse: str, period: str) -> bytes:
    from indicators import report

    served = _served(load_id, warehouse, str(CONFIG_PATH), CONFIG_PATH.stat().st_mtime)
    strategy = _without(spec.load_strategy(CONFIG_PATH), served.left_out)
    pack = report.board_pack(Path(warehouse), strategy, period, left_out=served.left_out)
    return report.to_pdf(pack)


def board_pack_pdf(period: str) -> bytes:
    """The review pack for `period` as PDF, built once per load and period."""
    return _board_pack(require_warehouse().load_id, str(warehouse()), period)


def recorded_notes() -> pd.DataFrame:
    """People's narratives and actions (config/commentary.yaml), for chart annotations."""
    from indicators import report

    return report.recorded_commentary()


@st.cache_data(max_entries=4, show_spinner=False)
def _catalogue(load_id: str, warehouse: str, config_mtime: float) -> tuple[list, dict]:
    from indicators.check import check_file
    from indicators.compile import compile_indicator
    from indicators.engines import ENGINES, transpile

    issues = [i.format(CONFIG_PATH) for i in check_file(CONFIG_PATH, Path(warehouse))]
    sql = {
        i.id: {e: transpile(compile_indicator(i), e) for e in ENGINES}
        for i in spec.load_strategy(CONFIG_PATH).indicators
    }
    return issues, sql


def catalogue() -> tuple[list[str], dict[str, dict[str, str]]]:
    """The check's findings and every indicator's SQL per engine, once per load and config."""
    return _catalogue(require_warehouse().load_id, str(warehouse()), CONFIG_PATH.stat().st_mtime)


def _choose(
    label: str, options: list[str], param: str, default: str, names: dict[str, str] | None = None
) -> str:
    current = st.query_params.get(param, default)
    if current not in options:
        current = default
    choice = st.sidebar.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=(names or {}).get if names else str,
        key=f"select_{param}",
    )
    st.query_params[param] = choice
    return choice


def selection(frame: pd.DataFrame) -> Selection:
    """The sidebar shared by every page; the answer is mirrored in the URL."""
    summary = require_warehouse()
    periods = views.half_years(frame)
    latest = views.latest_complete_period(frame, summary.data_end)
    period = _choose("Review period", periods[::-1], "period", latest)
    comparator = _choose("Comparator", list(COMPARATORS), "comparator", "england", COMPARATORS)
    wards = (
        frame[(frame["area_type"] == "ward") & (frame["area_code"] != "unknown")][
            ["area_code", "area_name"]
        ]
        .drop_duplicates()
        .sort_values("area_name")
    )
    names = {
        CITY: "Stoke-on-Trent (whole city)",
        **dict(zip(wards["area_code"], wards["area_name"], strict=True)),
    }
    area = _choose("Area", list(names), "area", CITY, names)
    code = strategy().area_code if area == CITY else area
    return Selection(period, comparator, code, names[area])


# Streamlit's captions are #828180 on white (contrast 3.9:1; WCAG AA asks 4.5:1) and its
# page links show no focus ring to keyboard users (WCAG 2.4.7).
_STYLE = """<style>
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
    st.markdown(_STYLE, unsafe_allow_html=True)
    with st.sidebar:
        for heading, group in groups.items():
            st.markdown(f"**{heading}**")
            for page in group:
                st.page_link(page)
        st.divider()


def _settings() -> dict:
    """The deployment's secrets (auth and access), or none when there is no secrets file."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # Streamlit's StreamlitSecretNotFoundError
        return {}


def current_role() -> str | None:
    """`open` without an identity provider; else the signed-in person's role (or None)."""
    settings = _settings()
    if not access.provider_configured(settings):
        return access.OPEN
    if not st.user.is_logged_in:
        return None
    return access.role_for(st.user.get("email"), settings.get("access", {}))


def sign_in_gate() -> str:
    """Stop every page until the person has signed in and has a role; return the role."""
    role = current_role()
    if role is None and not st.user.is_logged_in:
        st.title("Early Help and Prevention Strategy 2020–2024")
        st.info("Please sign in with your council account to see the dashboard.")
        st.button("Sign in", on_click=st.login, type="primary")
        st.stop()
    if role is None:
        st.error(
            f"{st.user.get('email')} is signed in but has no role on this dashboard. Ask "
            "the data team to add you to board, scrutiny or analyst."
        )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    st.session_state["role"] = role
    return role


def role() -> str:
    return st.session_state.get("role", current_role() or access.OPEN)


def banners(summary: inventory.LoadSummary) -> None:
    """The demo-data warning and the access note, at the top of every page."""
    if role() == access.OPEN:
        st.info(
            "Access is open: no identity provider is configured for this deployment, so "
            "anyone who can reach it sees every page. See the README's access section.",
            icon=":material/lock_open:",
        )
    if summary.is_demo:
        st.warning(
            "**Synthetic demo data.** The early help figures are generated, not real children "
            "or families. The public JSNA and reference data are real.",
            icon="⚠️",
        )


def footer(summary: inventory.LoadSummary) -> None:
    st.divider()
    st.caption(
        f"Last load {summary.finished:%d %B %Y %H:%M} (load {summary.load_id}). "
        + FOOTNOTE.format(min_count=strategy().min_count)
    )
    page_link("data_quality", "Data quality: load log and quarantine")
    st.caption(inventory.ATTRIBUTION)


def chart(fig: go.Figure, data: pd.DataFrame, name: str) -> None:
    """A chart with its data table one click away and downloads of that table."""
    st.plotly_chart(fig, config=CHART_CONFIG)
    with st.expander(f"Data table: {fig.layout.title.text or name}"):
        table(data, name)


def table(data: pd.DataFrame, name: str) -> None:
    """A table with CSV and Excel downloads of exactly what is shown.

    While demo data serves, the files say so in their names, so a download
    cannot pass for real figures.
    """
    st.dataframe(data, hide_index=True)
    if require_warehouse().is_demo:
        name = f"SYNTHETIC-DEMO-{name}"
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        data.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
    )
    buffer = io.BytesIO()
    data.to_excel(buffer, index=False)
    right.download_button(
        "Download Excel",
        buffer.getvalue(),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{name}",
    )
