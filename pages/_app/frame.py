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

from indicators import access
from indicators.config import spec
from indicators.disclosure import publication
from indicators.disclosure.small_numbers import FOOTNOTE
from indicators.paths import config_path, warehouse_path
from indicators.present import views, ward_views
from indicators.present.charts import aim_charts, context_charts, ward_charts
from indicators.store import inventory

CITY = "city"
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


@dataclass(frozen=True)
class Selection:
    period: str
    comparator: str
    area_code: str
    area_name: str


@st.cache_resource(show_spinner="Computing indicators…", max_entries=4)
def _publication(
    load_id: str, warehouse: str, config: str, config_mtime: float
) -> publication.Publication:
    """Shared by every session (read-only): checked, built and protected once per load and
    config, so check's cost stays out of page views."""
    return publication.build_served_publication(Path(warehouse), spec.load_strategy(Path(config)))


def _published() -> publication.Publication:
    summary = require_warehouse()
    return _publication(
        summary.load_id, str(warehouse()), str(config_path()), config_path().stat().st_mtime
    )


def _without(full: spec.Strategy, left_out: dict[str, list[str]]) -> spec.Strategy:
    kept = tuple(i for i in full.indicators if (i.id or "?") not in left_out)
    return dataclasses.replace(full, indicators=kept)


def strategy() -> spec.Strategy:
    """The strategy as served: definitions that fail check (or were stopped) are left out."""
    full = spec.load_strategy(config_path())
    if not warehouse().exists():
        return full
    return _without(full, _published().left_out)


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
    published = _published()
    left_out_notice(published.left_out)
    return published.results


def monthly(indicator_id: str) -> pd.DataFrame:
    """The city's monthly series of an indicator (for SPC), as published."""
    return _published().monthly[indicator_id]


def front_door(period: str) -> pd.DataFrame:
    """The front-door flow for requests received in `period`, as published."""
    flows = _published().flows
    return flows.get(period, next(iter(flows.values())).iloc[:0])


@st.cache_data(max_entries=256, show_spinner=False)
def _view(load_id: str, warehouse: str, config_mtime: float, name: str, *args: str):
    published = _publication(load_id, warehouse, str(config_path()), config_mtime)
    strategy = _without(spec.load_strategy(config_path()), published.left_out)
    frame = published.results
    module = views if hasattr(views, name) else ward_views
    return getattr(module, name)(frame, strategy, *args)


def view(name: str, *args: str):
    """`views.<name>` or `ward_views.<name>` (results, strategy, *args), cached per load.

    A page switch reuses it rather than recomputing.
    """
    return _view(
        require_warehouse().load_id, str(warehouse()), config_path().stat().st_mtime, name, *args
    )


@st.cache_data(max_entries=128, show_spinner=False)
def _stored(load_id: str, warehouse: str, name: str, *args):
    return getattr(inventory, name)(Path(warehouse), *args)


def stored(name: str, *args):
    """`inventory.<name>(warehouse, *args)`, read once per load."""
    return _stored(require_warehouse().load_id, str(warehouse()), name, *args)


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(load_id: str, builder: str, *args, **kwargs) -> go.Figure:
    module = next(m for m in (aim_charts, ward_charts, context_charts) if hasattr(m, builder))
    return getattr(module, builder)(*args, **kwargs)


def figure(builder: str, *args, **kwargs) -> go.Figure:
    """A chart builder's figure (`charts`, `ward_charts` or `context_charts`), kept per load.

    Big figures (the ward map, 37 small multiples) cost more to build than to
    send, and never change between page switches.
    """
    return _figure(require_warehouse().load_id, builder, *args, **kwargs)


@st.cache_data(max_entries=8, show_spinner="Building the board pack…")
def _board_pack(load_id: str, warehouse: str, period: str) -> bytes:
    from indicators.report import board_pack

    left_out = _publication(
        load_id, warehouse, str(config_path()), config_path().stat().st_mtime
    ).left_out
    strategy = _without(spec.load_strategy(config_path()), left_out)
    pack = board_pack.board_pack(Path(warehouse), strategy, period, left_out=left_out)
    return board_pack.to_pdf(pack)


def board_pack_pdf(period: str) -> bytes:
    """The review pack for `period` as PDF, built once per load and period."""
    return _board_pack(require_warehouse().load_id, str(warehouse()), period)


def recorded_notes() -> pd.DataFrame:
    """People's narratives and actions (config/commentary.yaml), for chart annotations."""
    from indicators.report import board_pack

    return board_pack.recorded_commentary()


@st.cache_data(max_entries=4, show_spinner=False)
def _catalogue(load_id: str, warehouse: str, config_mtime: float) -> tuple[list, dict]:
    from indicators.config.check import check_file
    from indicators.engine.compile import compile_indicator
    from indicators.engine.dialects import ENGINES, transpile

    issues = [i.format(config_path()) for i in check_file(config_path(), Path(warehouse))]
    sql = {
        i.id: {e: transpile(compile_indicator(i), e) for e in ENGINES}
        for i in spec.load_strategy(config_path()).indicators
    }
    return issues, sql


def catalogue() -> tuple[list[str], dict[str, dict[str, str]]]:
    """The check's findings and every indicator's SQL per engine, once per load and config."""
    return _catalogue(require_warehouse().load_id, str(warehouse()), config_path().stat().st_mtime)


def comparators() -> dict[str, str]:
    """The strategy's comparators in its order: role → the name the selector shows."""
    return {c.role: c.name if c.code else f"{c.name} (average)" for c in strategy().comparators}


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
    offered = comparators()
    comparator = _choose("Comparator", list(offered), "comparator", next(iter(offered)), offered)
    wards = (
        frame[(frame["area_type"] == "ward") & (frame["area_code"] != "unknown")][
            ["area_code", "area_name"]
        ]
        .drop_duplicates()
        .sort_values("area_name")
    )
    names = {
        CITY: f"{strategy().area_name} (whole city)",
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
    """`open` without sign-in configured; else the signed-in person's role, or None.

    Worked out afresh on every run from the secrets and `st.user` (the
    signed cookie Streamlit's login sets), never remembered in session state,
    so no script run and no other page can grant it.
    """
    settings = _settings()
    if not access.provider_configured(settings):
        return access.OPEN
    if not st.user.is_logged_in:
        return None
    return access.role_for_claims(st.user, settings.get("access") or {})


@st.cache_data(max_entries=4, show_spinner=False)
def _aim_ids(config: str, config_mtime_ns: int) -> tuple[str, ...]:
    return tuple(aim.id for aim in spec.load_strategy(Path(config)).aims)


def aim_ids() -> list[str]:
    """The strategy's aims, each with a board page (from the YAML, never hard-coded).

    Cached per version of the YAML: every page's gate asks, and reading the
    strategy costs far more than the gate itself.
    """
    return list(_aim_ids(str(config_path()), config_path().stat().st_mtime_ns))


SIGN_IN_PROMPT = "Please sign in with your council account to see the dashboard."
NOT_YOUR_PAGE = "Your role ({role}) does not include this page."


def page_gate(page: str) -> str:
    """The first call of every page: its viewer's role, or a stop before any data is read.

    A signed-out visitor gets the sign-in prompt, a signed-in person without
    a role (or with an unverified e-mail address) is told so, and a role that
    does not include `page` is refused. This holds however the page was
    reached: menu, deep link, `?embed=true`, or the page file run on its own.
    """
    role = current_role()
    if role is None and not st.user.is_logged_in:
        st.title("Early Help and Prevention Strategy 2020–2024")
        st.info(SIGN_IN_PROMPT, icon=":material/lock:")
        providers = access.sign_in_providers(_settings().get("auth") or {})
        for provider in providers:
            label = "Sign in" if len(providers) == 1 else f"Sign in with {provider}"
            st.button(label, on_click=st.login, args=(provider,), type="primary")
        st.stop()
    if role is None:
        email = st.user.get("email")
        if access.email_unverified(st.user):
            st.error(
                f"{email} is signed in, but the identity provider has not verified this "
                "e-mail address, so it has no role on this dashboard."
            )
        else:
            st.error(
                f"{email} is signed in but has no role on this dashboard. Ask "
                "the data team to add you to board, scrutiny or analyst."
            )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    if not access.may_open(role, page, aim_ids()):
        st.error(NOT_YOUR_PAGE.format(role=role), icon=":material/block:")
        page_link("strategy", "Back to the strategy on a page")
        st.stop()
    return role


def banners(summary: inventory.LoadSummary) -> None:
    """The demo-data warning and the access note, at the top of every page."""
    if current_role() == access.OPEN:
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
