"""One aim: each indicator over time, its breakdowns and its definition."""

from __future__ import annotations

import streamlit as st

from indicators import charts, frame, views

SOURCE = "council early help extracts (pseudonymised), ONS population estimates"


def render(aim_id: str) -> None:
    """Called by the page registered for `aim_id` in dashboard.py."""
    summary = frame.require_warehouse()
    results = frame.results()
    strategy = frame.strategy()
    choice = frame.selection(results)
    frame.banners(summary)
    aim = next(a for a in strategy.aims if a.id == aim_id)
    st.title(aim.title)
    st.caption(f"{choice.area_name}, half-year review periods up to {choice.period}.")
    for indicator in (i for i in strategy.indicators if i.aim == aim_id):
        st.header(indicator.title)
        if indicator.measure.type == "share_by_category":
            mix = views.thrive_mix(results, choice.area_code)
            frame.chart(
                charts.thrive_chart(
                    mix, title=f"{indicator.title}, {choice.area_name}", source=SOURCE
                ),
                mix,
                indicator.id,
            )
        else:
            series = views.indicator_series(results, indicator.id, choice.area_code)
            series = series[series["period"] <= choice.period]
            frame.chart(
                charts.trend_chart(
                    series,
                    title=f"{indicator.title} ({indicator.unit}), {choice.area_name}",
                    unit=indicator.unit,
                    source=SOURCE,
                    baseline=views.baseline_line(
                        results, indicator, choice.area_code, strategy.baseline_period
                    ),
                    target=indicator.target_value,
                ),
                series,
                f"{indicator.id}_trend",
            )
        if indicator.monthly and choice.area_code == strategy.area_code:
            spc = views.spc_view(frame.monthly(indicator.id), indicator, strategy)
            st.subheader("Month by month (statistical process control)")
            st.caption(
                f"XmR chart re-based at the strategy's start ({strategy.started[:7]}). "
                f"{spc.attrs['assurance']}."
            )
            frame.chart(
                charts.spc_chart(
                    spc,
                    title=f"{indicator.title} ({indicator.unit}) by month, Stoke-on-Trent",
                    unit=indicator.unit,
                    source=SOURCE,
                    target=indicator.target_value,
                ),
                spc,
                f"{indicator.id}_spc",
            )
        for name in (b for b in indicator.breakdowns if b != "ward"):
            rows = views.breakdown(results, indicator.id, name, choice.period)
            if rows.empty:
                continue
            label = name.replace("_", " ")
            frame.chart(
                charts.breakdown_chart(
                    rows,
                    title=f"{indicator.title} by {label}, Stoke-on-Trent, {choice.period}",
                    unit=indicator.unit,
                    source=SOURCE,
                ),
                rows,
                f"{indicator.id}_{name}",
            )
        with st.expander(f"How '{indicator.title}' is measured"):
            st.table(views.definition(indicator))
    if aim_id == "access":
        st.header("The front door: where requests go")
        links = frame.front_door(choice.period)
        st.caption(
            f"Requests received in {choice.period}, followed to the end of the data. The data "
            "record each episode's THRIVE level at the start only, so a start-to-close THRIVE "
            "view is not possible from these extracts."
        )
        frame.chart(
            charts.flow_chart(
                links,
                title=f"From request to closure, Stoke-on-Trent, requests received {choice.period}",
                source=SOURCE,
            ),
            links,
            f"front_door_{choice.period}",
        )
    frame.footer(summary)
