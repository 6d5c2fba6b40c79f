"""Wards, for the scrutiny committee: map, ranking, funnel plot and every ward's trend."""

from __future__ import annotations

import streamlit as st

from indicators.present.charts import ward_charts
from indicators.present.ward_words import (
    MAP_SOURCES,
    WARD_SET_NAMES,
    WARD_SET_SHORT,
    WARD_TABLE_PINNED,
    labelled_ward_table,
    left_out_note,
    ward_set_note,
)
from indicators.store import inventory
from indicators.ward_vintages import BY_AREA_TYPE
from pages._app import cache, layout
from pages._app.navigation import page_link
from pages._app.opening import open_results_page

page = open_results_page("wards")
strategy, choice = page.strategy, page.choice
ward_set, source = WARD_SET_NAMES[choice.wards], MAP_SOURCES[choice.wards]

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
label = f"{indicator.title}, {WARD_SET_SHORT[choice.wards]}, {choice.period}"
st.info(ward_set_note(choice.wards, strategy.area_name))
unplaced = cache.published(
    "results", indicator_id=indicator_id, period=choice.period, area_type=choice.wards,
    area_code="unknown", breakdown="all",
)  # fmt: skip
if len(unplaced):
    row = unplaced.iloc[0]
    st.caption(left_out_note(choice.wards, row["numerator"], bool(row["suppressed"])))

keys = {"indicator_id": indicator_id, "period": choice.period, "area_type": choice.wards}
ranked = cache.published("wards", **keys, order_by=("rank",)).drop(columns=list(keys))
boundaries = cache.stored(inventory.ward_boundaries, BY_AREA_TYPE[choice.wards].vintage)
if boundaries.empty:
    st.warning(f"No ward outlines are stored for the {ward_set}, so there is no map.")
else:
    layout.chart(
        cache.figure(
            ward_charts.ward_map,
            ranked,
            boundaries["geojson"].tolist(),
            title=label,
            unit=indicator.unit,
            source=source,
        ),
        ranked,
        f"{indicator_id}_{choice.wards}_map",
    )

st.header(f"Wards ranked, with significance against the city: {ward_set}")
layout.table(
    labelled_ward_table(ranked),
    f"{indicator_id}_{choice.period}_{choice.wards}",
    pinned=WARD_TABLE_PINNED,
)

points = cache.published("funnel_points", **keys, order_by=("rank",)).drop(columns=list(keys))
if len(points):
    limits = cache.published("funnel_limits", **keys, order_by=("denominator",)).drop(
        columns=list(keys)
    )
    st.header("Which wards are outliers?")
    layout.chart(
        cache.figure(
            ward_charts.funnel_chart,
            points,
            limits,
            title=f"Funnel plot: {label}",
            unit=indicator.unit,
            denominator_label="Denominator (children or cases)",
            source=source,
        ),
        points,
        f"{indicator_id}_{choice.wards}_funnel",
    )

st.header("Every ward's trend")
if st.toggle("Show a small chart of every ward's trend", key="small_multiples"):
    rows = cache.published(
        "results",
        indicator_id=indicator_id,
        area_type=choice.wards,
        period_type="half_year",
        breakdown="all",
        order_by=("area_name", "period"),
    )
    trends = rows[(rows["area_code"] != "unknown") & (rows["period"] <= choice.period)]
    layout.chart(
        cache.figure(
            ward_charts.small_multiples,
            trends,
            title=f"{indicator.title}, {WARD_SET_SHORT[choice.wards]}",
            unit=indicator.unit,
            source=source,
        ),
        trends[["area_name", "period", "value", "lower_ci", "upper_ci", "suppressed"]],
        f"{indicator_id}_{choice.wards}_ward_trends",
    )
page_link("ward_profile", "Open a ward's profile (choose the area in the sidebar)")
layout.footer(page.summary)
