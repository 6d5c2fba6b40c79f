"""One aim: each indicator over time, month by month, by breakdown, and its definition."""

from __future__ import annotations

import streamlit as st

from indicators.present import inequality_views, views
from indicators.present.charts import aim_charts, inequality_charts
from indicators.present.ward_words import BEST_FIT
from pages._app import cache, layout, review
from pages._app.gate import page_gate
from pages._app.navigation import page_link
from pages._app.opening import open_results_page

SOURCE = "council early help extracts (pseudonymised), ONS population estimates"
OVER_TIME = "Over the review periods"
MONTHLY = "Month by month (SPC)"
INEQUALITY = "Across deprivation (inequality)"


def render(aim_id: str) -> None:
    """Called by the page registered for `aim_id` in dashboard.py."""
    page = open_results_page(aim_id)
    strategy, choice = page.strategy, page.choice
    aim = next(a for a in strategy.aims if a.id == aim_id)
    st.title(aim.title)
    st.caption(
        f"{choice.area_name}, half-year review periods up to {choice.period}. Choose a "
        "view for each indicator; its data table and downloads sit under the chart."
        + (f" {BEST_FIT}" if choice.is_ward else "")
    )
    for indicator in (i for i in strategy.indicators if i.aim == aim_id):
        st.header(indicator.title, anchor=indicator.id)
        _indicator(indicator, strategy, choice)
        review.indicator_panel(indicator, choice.period, strategy)
        with st.expander(f"How '{indicator.title}' is measured"):
            st.table(views.definition(indicator))
    if aim_id == strategy.front_door_aim:
        page_link(
            "front_door", "The front door: where requests go", icon=":material/arrow_forward:"
        )
    layout.footer(page.summary)


def _indicator(indicator, strategy, choice) -> None:
    """One chart at a time (a view chooser), so a page of many indicators stays quick."""
    results = cache.published("results", indicator_id=indicator.id)
    if not indicator.measure.kind.tile:
        mix = views.thrive_mix(results, indicator.id, choice.area_code)
        layout.chart(
            cache.figure(
                aim_charts.thrive_chart,
                mix,
                title=f"{indicator.title}, {choice.area_name}",
                source=SOURCE,
            ),
            mix,
            indicator.id,
        )
        return
    options = [OVER_TIME]
    if indicator.monthly and choice.area_code == strategy.area_code:
        options.append(MONTHLY)
    if inequality_views.shows_inequality(indicator) and choice.area_code == strategy.area_code:
        options.append(INEQUALITY)
    labels = {b: f"By {b.replace('_', ' ')}" for b in indicator.breakdowns if b != "ward"}
    options += list(labels.values())
    shown = st.radio("View", options, horizontal=True, key=f"view_{indicator.id}")
    if shown == OVER_TIME:
        series = views.indicator_series(results, indicator.id, choice.area_code)
        series = series[series["period"] <= choice.period]
        if series.empty:
            st.info(
                f"No figures for {choice.area_name} up to {choice.period}: no record of this "
                "indicator is placed in this area. Choose the whole city under **Area** in the "
                "sidebar.",
                icon=":material/info:",
            )
            return
        notes = review.chart_notes(indicator.id, set(series["period"]))
        baseline = views.baseline_line(
            results, indicator, choice.area_code, strategy.baseline_period
        )
        layout.chart(
            cache.figure(
                aim_charts.trend_chart,
                series,
                title=f"{indicator.title} ({indicator.unit}), {choice.area_name}",
                unit=indicator.unit,
                source=SOURCE,
                baseline=baseline,
                target=indicator.target_value,
                notes=notes,
            ),
            series,
            f"{indicator.id}_trend",
        )
    elif shown == MONTHLY:
        spc = cache.published("monthly", indicator_id=indicator.id, order_by=("period",))
        spc = spc.drop(columns="indicator_id")
        st.caption(
            f"XmR chart re-based at the strategy's start ({strategy.started[:7]}). "
            + (
                f"Latest month: {spc['variation'].iloc[-1]}. {spc['assurance'].iloc[-1]}."
                if len(spc)
                else "No monthly figures."
            )
        )
        layout.chart(
            cache.figure(
                aim_charts.spc_chart,
                spc,
                title=f"{indicator.title} ({indicator.unit}) by month, {strategy.area_name}",
                unit=indicator.unit,
                source=SOURCE,
                target=indicator.target_value,
            ),
            spc,
            f"{indicator.id}_spc",
        )
    elif shown == INEQUALITY:
        _inequality(indicator, strategy, choice)
    else:
        name = next(b for b, label in labels.items() if label == shown)
        rows = views.breakdown(results, indicator.id, name, choice.period)
        layout.chart(
            cache.figure(
                aim_charts.breakdown_chart,
                rows,
                title=f"{indicator.title} by {name.replace('_', ' ')}, "
                f"{strategy.area_name}, {choice.period}",
                unit=indicator.unit,
                source=SOURCE,
            ),
            rows,
            f"{indicator.id}_{name}",
        )


def _inequality(indicator, strategy, choice) -> None:
    """The deciles on the deprivation scale, the fitted line, and the gap in words."""
    key = {"indicator_id": indicator.id}
    view = inequality_views.stored_view(
        cache.published("inequality_points", **key, period=choice.period),
        cache.published("inequality_lines", **key, period=choice.period, order_by=("rank",)),
        cache.published("inequality_gaps", **key),
        indicator,
        strategy,
        choice.period,
    )
    st.caption(inequality_views.inequality_words(view, indicator))
    layout.chart(
        cache.figure(
            inequality_charts.inequality_chart,
            view.points,
            view.line,
            title=f"{indicator.title} across deprivation, {strategy.area_name}, {choice.period}",
            unit=indicator.unit,
            source=SOURCE + ", IMD 2019",
        ),
        view.points,
        f"{indicator.id}_inequality",
    )


if __name__ == "__main__":
    # Run as a file of its own (`streamlit run`, or Streamlit's pages/ folder fallback
    # before dashboard.py has run): gate it like every page, then point to the aims.
    page_gate("strategy")
    st.info("Each aim has its own page: open it from the strategy on a page.")
