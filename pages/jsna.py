"""JSNA context: public indicators in the Fingertips style, the area against its comparators."""

from __future__ import annotations

import streamlit as st

from indicators.present import jsna_views, status_words
from indicators.present.charts import context_charts
from indicators.store import inventory
from pages._app import cache, layout
from pages._app.opening import open_results_page

SOURCE = "DfE children's social care statistics; OHID Fingertips (indicator 90284)"

page = open_results_page("jsna")
strategy, choice = page.strategy, page.choice

names = {c.role: c.name for c in strategy.comparators}
st.title(f"JSNA context: children's services in {strategy.area_name}")
st.caption(f"Public data published by DfE and OHID. Comparators: {', '.join(names.values())}.")
groups = jsna_views.comparator_groups(cache.stored(inventory.comparator_areas), strategy)
sources = strategy.jsna
rows = cache.stored(
    inventory.jsna_rows, [strategy.area_code, *(c for cs in groups.values() for c in cs)]
)
latest = cache.published("jsna_latest", order_by=("indicator_id",))
compared = (
    cache.published("jsna_compared", comparator=choice.comparator)
    .set_index("indicator_id")["compared"]
    .reindex(latest["indicator_id"])
    .set_axis(latest.index)
)
latest["compared"] = compared.map(status_words.COMPARISON_WORDS)
layout.chart(
    cache.figure(
        context_charts.spine_chart,
        latest,
        compared,
        names[choice.comparator],
        area_name=strategy.area_name,
        markers={c.role: c.name for c in strategy.comparators if c.code},
        title=f"{strategy.area_name} against {names[choice.comparator]}, latest published year",
        source=SOURCE,
    ),
    latest.rename(columns=names),
    "jsna_spine",
)

st.header("Each indicator over time")
titles = {source.id: source.title for source in sources}
chosen = st.selectbox("JSNA indicator", list(titles), format_func=titles.get, key="jsna_trend")
source = next(s for s in sources if s.id == chosen)
series = rows[rows["indicator_id"] == source.id]
line_names = {
    strategy.area_code: strategy.area_name,
    **{c.code: c.name for c in strategy.comparators if c.code},
}
lines = series.assign(area=series["area_code"].map(line_names)).dropna(subset=["area"])
layout.chart(
    cache.figure(
        context_charts.comparison_chart,
        lines,
        area_code=strategy.area_code,
        title=f"{source.title}, {strategy.area_name} and comparators",
        unit=source.unit,
        source=SOURCE,
    ),
    lines[["area", "time_period", "value", "count", "denominator", "value_note"]],
    f"jsna_{source.id}",
)
layout.footer(page.summary)
