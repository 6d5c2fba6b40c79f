"""JSNA context: public indicators in the Fingertips style, the area against its comparators."""

from __future__ import annotations

import streamlit as st

from indicators.present import jsna_views
from indicators.present.charts import context_charts
from indicators.store import inventory
from pages._app import cache, layout
from pages._app.opening import open_results_page

SOURCE = (
    "DfE children's social care, looked after children, outcomes and workforce statistics; "
    "OHID Fingertips (indicator 90284)"
)

page = open_results_page("jsna")
strategy, choice = page.strategy, page.choice

names = {c.role: c.name for c in strategy.comparators}
compared_with = names[choice.comparator]
st.title(f"JSNA context: children's services in {strategy.area_name}")
st.caption(
    f"Public data published by DfE and OHID, latest year of each series (its own period type). "
    f"Each row: England is the centre line; the bar runs from the worst to the best English "
    f"authority (for an indicator with no better or worse, lowest to highest), darker from the "
    f"25th to the 75th percentile. The dot is {strategy.area_name}, coloured and labelled by "
    f"how it compares with {compared_with} (95% intervals; white and not compared where the "
    f"publisher gives no count to build one). Change the comparator in the sidebar."
)
areas = cache.stored(inventory.comparator_areas)
groups = jsna_views.comparator_groups(areas, strategy)
rows = cache.stored(
    inventory.jsna_rows, [strategy.area_code, *(c for cs in groups.values() for c in cs)]
)
spine = cache.published("jsna_spine", comparator=choice.comparator, order_by=("position",))
markers = {role: name for role, name in names.items() if role != "england"}
for theme, section in spine.groupby("theme", sort=False):
    title = jsna_views.THEME_TITLES.get(theme, theme)
    st.header(title)
    st.plotly_chart(
        cache.figure(
            context_charts.spine_chart,
            section,
            section["comparison"],
            compared_with,
            area_name=strategy.area_name,
            markers=markers,
            title=f"{strategy.area_name} against {compared_with}",
            source=SOURCE,
        ),
        config=layout.CHART_CONFIG,
    )
    st.caption("The same figures as a table:")
    layout.table(jsna_views.spine_table(section, names, choice.comparator), f"jsna_spine_{theme}")

st.header("Each indicator over time")
sources = {source.id: source for source in strategy.jsna}
chosen = st.selectbox(
    "JSNA indicator",
    list(spine["indicator_id"]) or list(sources),
    format_func=lambda i: sources[i].title,
    key="jsna_trend",
)
source = sources[chosen]
series = rows[rows["indicator_id"] == source.id]
line_names = {
    strategy.area_code: strategy.area_name,
    **{c.code: c.name for c in strategy.comparators if c.code},
}
lines = series.assign(area=series["area_code"].map(line_names)).dropna(subset=["area"])
period_type = series["period_type"].dropna().iloc[0] if series["period_type"].notna().any() else ""
layout.chart(
    cache.figure(
        context_charts.comparison_chart,
        lines,
        area_code=strategy.area_code,
        title=f"{source.title}, {strategy.area_name} and comparators",
        unit=source.unit,
        source=SOURCE,
        period_title=jsna_views.PERIOD_TYPE_WORDS.get(period_type, "Period"),
    ),
    lines[["area", "time_period", "value", "count", "denominator", "value_note"]],
    f"jsna_{source.id}",
)
layout.footer(page.summary)
