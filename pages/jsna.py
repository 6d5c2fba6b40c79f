"""JSNA context: public indicators in the Fingertips style, Stoke against its comparators."""

from __future__ import annotations

import streamlit as st

from indicators.config.spec import read_yaml
from indicators.load.jsna import jsna_sources
from indicators.paths import CONFIG_PATH
from indicators.present import jsna_views
from indicators.present.charts import context_charts
from indicators.store import inventory
from pages._app import cache, layout
from pages._app.opening import open_results_page

SOURCE = "DfE children's social care statistics; OHID Fingertips (indicator 90284)"

page = open_results_page("jsna")
strategy, choice = page.strategy, page.choice

st.title("JSNA context: children's services in Stoke-on-Trent")
st.caption(
    "Public data published by DfE and OHID. Comparators: England, the West Midlands and "
    "Stoke's ten DfE statistical neighbours (April 2021)."
)
areas = cache.stored(inventory.comparator_areas)
groups = {
    "England": areas.loc[areas["role"] == "england", "area_code"].tolist(),
    "West Midlands": areas.loc[areas["role"] == "region", "area_code"].tolist(),
    "Statistical neighbours": areas.loc[
        areas["role"] == "statistical_neighbour", "area_code"
    ].tolist(),
}
sources = jsna_sources(read_yaml(CONFIG_PATH), CONFIG_PATH)
rows = cache.stored(
    inventory.jsna_rows, [strategy.area_code, *(c for cs in groups.values() for c in cs)]
)
latest = jsna_views.jsna_latest(
    rows,
    cache.stored(inventory.jsna_all_las),
    strategy.area_code,
    groups,
    {s.id: s.polarity for s in sources},
)
column = {
    "england": "England",
    "region": "West Midlands",
    "statistical_neighbours": "Statistical neighbours",
}[choice.comparator]
latest["compared"] = jsna_views.compare_jsna(latest, column)
layout.chart(
    cache.figure(
        context_charts.spine_chart,
        latest,
        latest["compared"],
        column,
        title=f"Stoke-on-Trent against {column}, latest published year",
        source=SOURCE,
    ),
    latest,
    "jsna_spine",
)

st.header("Each indicator over time")
titles = {source.id: source.title for source in sources}
chosen = st.selectbox("JSNA indicator", list(titles), format_func=titles.get, key="jsna_trend")
source = next(s for s in sources if s.id == chosen)
series = rows[rows["indicator_id"] == source.id]
names = {
    strategy.area_code: "Stoke-on-Trent",
    **{c: n for n, cs in groups.items() for c in cs if n != "Statistical neighbours"},
}
lines = series.assign(area=series["area_code"].map(names)).dropna(subset=["area"])
layout.chart(
    cache.figure(
        context_charts.comparison_chart,
        lines,
        title=f"{source.title}, Stoke-on-Trent and comparators",
        unit=source.unit,
        source=SOURCE,
    ),
    lines[["area", "time_period", "value", "count", "denominator", "value_note"]],
    f"jsna_{source.id}",
)
layout.footer(page.summary)
