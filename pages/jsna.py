"""JSNA context: public indicators in the Fingertips style, Stoke against its comparators."""

from __future__ import annotations

import streamlit as st

from indicators.config.spec import read_yaml
from indicators.load.jsna import jsna_sources
from indicators.paths import CONFIG_PATH
from indicators.present import jsna_views, status_words
from pages._app import frame

SOURCE = "DfE children's social care statistics; OHID Fingertips (indicator 90284)"

frame.page_gate("jsna")  # first: nothing is read before the role is known
summary = frame.require_warehouse()
results = frame.results()
strategy = frame.strategy()
choice = frame.selection(results)
frame.banners(summary)

st.title("JSNA context: children's services in Stoke-on-Trent")
st.caption(
    "Public data published by DfE and OHID. Comparators: England, the West Midlands and "
    "Stoke's ten DfE statistical neighbours (April 2021)."
)
areas = frame.stored("comparator_areas")
groups = {
    "England": areas.loc[areas["role"] == "england", "area_code"].tolist(),
    "West Midlands": areas.loc[areas["role"] == "region", "area_code"].tolist(),
    "Statistical neighbours": areas.loc[
        areas["role"] == "statistical_neighbour", "area_code"
    ].tolist(),
}
sources = jsna_sources(read_yaml(CONFIG_PATH), CONFIG_PATH)
rows = frame.stored("jsna_rows", [strategy.area_code, *(c for cs in groups.values() for c in cs)])
latest = jsna_views.jsna_latest(
    rows,
    frame.stored("jsna_all_las"),
    strategy.area_code,
    groups,
    {s.id: s.polarity for s in sources},
)
column = {
    "england": "England",
    "region": "West Midlands",
    "statistical_neighbours": "Statistical neighbours",
}[choice.comparator]
compared = jsna_views.compare_jsna(latest, column)
latest["compared"] = compared.map(status_words.COMPARISON_WORDS)
frame.chart(
    frame.figure(
        "spine_chart",
        latest,
        compared,
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
frame.chart(
    frame.figure(
        "comparison_chart",
        lines,
        title=f"{source.title}, Stoke-on-Trent and comparators",
        unit=source.unit,
        source=SOURCE,
    ),
    lines[["area", "time_period", "value", "count", "denominator", "value_note"]],
    f"jsna_{source.id}",
)
frame.footer(summary)
