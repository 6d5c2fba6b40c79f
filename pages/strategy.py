"""Strategy on a page: the six aims at the chosen review period, for board members."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from indicators.present import strategy_table, thrive_share, views
from indicators.present.ward_words import BEST_FIT
from pages._app import cache, layout, reports, review, signing
from pages._app.navigation import page_link
from pages._app.opening import open_results_page

page = open_results_page("strategy")
strategy, choice = page.strategy, page.choice

st.title(strategy.title)
city = choice.area_code == strategy.area_code
tiles = cache.published(
    "tiles", period=choice.period, area_code=choice.area_code, order_by=("position",)
)
signed = review.latest_signoff(choice.period)
revised = signing.revised_since(signed, tiles, choice.area_code)
st.caption(
    f"**{choice.area_name}, review period {choice.period}**"
    + signing.as_reported(signed, revised)
    + ". Hover a cell for its full words; an indicator's title opens it."
)
# st.html: inserted as sanitised HTML (DOMPurify), far quicker to draw than markdown.
st.html(
    layout.COMPACT_TOP
    + strategy_table.strategy_table_html(
        tiles,
        strategy,
        city=city,
        query=urlencode(st.query_params.to_dict()),
        revised=revised,
        caption=(
            f"{choice.area_name}, {choice.period}: the latest value, the change since the "
            "2019/20 baseline (same half of the year), progress to target and the recent trend"
            + (
                "; for monthly measures, the NHS Making Data Count variation and assurance of "
                "the monthly chart as it stood at the period's end."
                if city
                else f"; and the ward against the city. {BEST_FIT}"
            )
        ),
    )
)
if st.button(f"Prepare the board pack for {choice.period} (PDF)", key="prepare_pack"):
    st.download_button(
        "Download the board pack",
        reports.board_pack_pdf(choice.period),
        file_name=f"board-pack-{choice.period.replace(' ', '-')}.pdf",
        mime="application/pdf",
        key="download_pack",
    )
st.header("Each indicator in detail")
st.html(
    strategy_table.details_table_html(
        tiles, caption=f"Intervals, baselines and every review period to {choice.period}."
    )
)

# The strategy's THRIVE indicator, unless the load left it out (the notice at the top says why).
thrive = next((i for i in strategy.indicators if i.id == strategy.thrive_indicator), None)
if thrive is not None:
    st.header("THRIVE: how requests split across the four levels")
    shares = cache.published(
        "results", indicator_id=strategy.thrive_indicator, area_code=choice.area_code
    )
    mix = views.thrive_mix(shares, strategy.thrive_indicator, choice.area_code)
    st.html(
        thrive_share.thrive_share_html(
            mix,
            choice.period,
            caption=f"{choice.area_name}: share of requests at each THRIVE level, "
            "council early help extract (requests).",
        )
    )
    page_link(
        thrive.aim,
        "Every review period, with the data table and downloads",
        icon=":material/arrow_forward:",
    )
layout.footer(page.summary)
