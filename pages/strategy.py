"""Strategy on a page: the six aims at the chosen review period, for board members."""

from __future__ import annotations

import streamlit as st

from indicators.present import views
from indicators.present.charts import aim_charts
from pages._app import cache, layout, reports
from pages._app.navigation import page_link
from pages._app.opening import open_results_page

page = open_results_page("strategy")
strategy, choice = page.strategy, page.choice

st.title("Early Help and Prevention Strategy 2020–2024")
st.markdown(
    f"**{choice.area_name}, review period {choice.period}.** Each indicator shows its latest "
    "value with its 95% confidence interval, the change since the 2019/20 baseline (same half "
    "of the year), progress to target, the recent trend and a sparkline of every review period."
)

if st.button(f"Prepare the board pack for {choice.period} (PDF)", key="prepare_pack"):
    st.download_button(
        "Download the board pack",
        reports.board_pack_pdf(choice.period),
        file_name=f"board-pack-{choice.period.replace(' ', '-')}.pdf",
        mime="application/pdf",
        key="download_pack",
    )
tiles = cache.published(
    "tiles", period=choice.period, area_code=choice.area_code, order_by=("position",)
)
for aim in strategy.aims:
    st.header(aim.title)
    for tile in tiles[tiles["aim"] == aim.id].itertuples():
        with st.container(border=True):
            left, middle, right = st.columns([3, 2, 2])
            left.markdown(f"**{tile.title}**")
            left.markdown(f"### {tile.value_text}")
            left.caption(tile.interval_text or "No interval for this measure")
            middle.markdown(f"{tile.progress_text}  \n{tile.baseline_text}  \n{tile.change_text}")
            middle.markdown(
                f"Trend: {tile.trend_text}"
                + (f"  \n{tile.comparison_text}" if tile.comparison_text else "")
            )
            right.markdown(
                aim_charts.sparkline_svg(
                    list(tile.sparkline_periods),
                    list(tile.sparkline),
                    label=f"{tile.title} over the review periods",
                ),
                unsafe_allow_html=True,
            )
            page_link(
                aim.id, "Details and breakdowns", where=right, icon=":material/arrow_forward:"
            )

if strategy.thrive_indicator:
    st.header("THRIVE: how requests split across the four levels")
    shares = cache.published(
        "results", indicator_id=strategy.thrive_indicator, area_code=choice.area_code
    )
    mix = views.thrive_mix(shares, strategy.thrive_indicator, choice.area_code)
    layout.chart(
        aim_charts.thrive_chart(
            mix,
            title=f"Share of requests by THRIVE level, {choice.area_name}",
            source="council early help extract (requests)",
        ),
        mix,
        "thrive_mix",
    )
layout.footer(page.summary)
