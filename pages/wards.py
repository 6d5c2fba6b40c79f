"""Wards, for the scrutiny committee: map, ranking, funnel plot and every ward's trend."""

from __future__ import annotations

import streamlit as st

from indicators.present.charts import ward_charts
from indicators.store import inventory
from pages._app import cache, layout
from pages._app.navigation import page_link
from pages._app.opening import open_results_page

SOURCE = "council early help extracts; ward boundaries December 2013 (ONS, OS)"

page = open_results_page("wards")
strategy, choice = page.strategy, page.choice

st.title("Wards")
choices = [i for i in strategy.indicators if "ward" in i.breakdowns and i.measure.kind.tile]
titles = {i.id: i.title for i in choices}
wanted = st.query_params.get("indicator", choices[0].id)
indicator_id = st.selectbox(
    "Indicator",
    list(titles),
    format_func=titles.get,
    index=list(titles).index(wanted) if wanted in titles else 0,
)
st.query_params["indicator"] = indicator_id
indicator = strategy.indicator(indicator_id)
label = f"{indicator.title} ({indicator.unit}), by ward, {choice.period}"
st.info(inventory.ward_vintage_note(strategy.area_name))

ranked = cache.published(
    "wards", indicator_id=indicator_id, period=choice.period, order_by=("rank",)
).drop(columns=["indicator_id", "period"])
boundaries = cache.stored(inventory.ward_boundaries)
layout.chart(
    cache.figure(
        ward_charts.ward_map,
        ranked,
        boundaries["geojson"].tolist(),
        title=label,
        unit=indicator.unit,
        source=SOURCE,
    ),
    ranked,
    f"{indicator_id}_map",
)

st.header("Wards ranked, with significance against the city")
layout.table(ranked, f"{indicator_id}_{choice.period}_wards")

points = cache.published(
    "funnel_points", indicator_id=indicator_id, period=choice.period, order_by=("rank",)
).drop(columns=["indicator_id", "period"])
if len(points):
    limits = cache.published(
        "funnel_limits", indicator_id=indicator_id, period=choice.period, order_by=("denominator",)
    ).drop(columns=["indicator_id", "period"])
    st.header("Which wards are outliers?")
    layout.chart(
        cache.figure(
            ward_charts.funnel_chart,
            points,
            limits,
            title=f"Funnel plot: {label}",
            unit=indicator.unit,
            denominator_label="Denominator (children or cases)",
            source=SOURCE,
        ),
        points,
        f"{indicator_id}_funnel",
    )

st.header("Every ward's trend")
if st.toggle("Show a small chart of every ward's trend", key="small_multiples"):
    rows = cache.published(
        "results",
        indicator_id=indicator_id,
        area_type="ward",
        period_type="half_year",
        breakdown="all",
        order_by=("area_name", "period"),
    )
    trends = rows[(rows["area_code"] != "unknown") & (rows["period"] <= choice.period)]
    layout.chart(
        cache.figure(
            ward_charts.small_multiples,
            trends,
            title=f"{indicator.title} by ward",
            unit=indicator.unit,
            source=SOURCE,
        ),
        trends[["area_name", "period", "value", "lower_ci", "upper_ci", "suppressed"]],
        f"{indicator_id}_ward_trends",
    )
page_link("ward_profile", "Open a ward's profile (choose the area in the sidebar)")
layout.footer(page.summary)
