"""Wards, for the scrutiny committee: map, ranking, funnel plot and every ward's trend."""

from __future__ import annotations

import streamlit as st

from indicators.store import inventory
from pages._app import frame

SOURCE = "council early help extracts; ward boundaries December 2013 (ONS, OS)"

frame.page_gate("wards")  # first: nothing is read before the role is known
summary = frame.require_warehouse()
results = frame.results()
strategy = frame.strategy()
choice = frame.selection(results)
frame.banners(summary)

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
st.info(inventory.WARD_VINTAGE_NOTE)

ranked = frame.view("ward_table", indicator_id, choice.period)
boundaries = frame.stored("ward_boundaries")
frame.chart(
    frame.figure(
        "ward_map",
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
frame.table(ranked, f"{indicator_id}_{choice.period}_wards")

funnel = frame.view("funnel", indicator_id, choice.period)
if funnel is not None:
    points, limits = funnel
    st.header("Which wards are outliers?")
    frame.chart(
        frame.figure(
            "funnel_chart",
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
    trends = results[
        (results["indicator_id"] == indicator_id)
        & (results["area_type"] == "ward")
        & (results["area_code"] != "unknown")
        & (results["period_type"] == "half_year")
        & (results["period"] <= choice.period)
    ]
    frame.chart(
        frame.figure(
            "small_multiples",
            trends,
            title=f"{indicator.title} by ward",
            unit=indicator.unit,
            source=SOURCE,
        ),
        trends[["area_name", "period", "value", "lower_ci", "upper_ci", "suppressed"]],
        f"{indicator_id}_ward_trends",
    )
frame.page_link("ward_profile", "Open a ward's profile (choose the area in the sidebar)")
frame.footer(summary)
