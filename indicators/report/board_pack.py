"""The six-monthly board pack and the ward report: what goes in them, in which order.

Built from the load's stored publication for one review period: a cover, a
one-page summary table of every indicator by aim, any review-store sections
(actions due, revisions since the last signed-off review), a page per aim
(generated sentence, chart, and the narrative and actions people recorded in
the review store), the JSNA context and a data note. The same warehouse,
period and commentary always give the same bytes apart from the prepared-on
date; the pack names the load it was built from.

Content only: `pack` holds the blocks, `pdf` and `html_pack` lay them out
(and escape every string for their format); `to_pdf` and `to_html` are
re-exported here for callers that build and print a pack in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from indicators.config.spec import Strategy
from indicators.disclosure.small_numbers import FOOTNOTE
from indicators.present import views
from indicators.present.ward_words import WARD_SET_NAMES, ward_label, ward_set_note
from indicators.report import choices, context_page
from indicators.report.cover import DEMO_WARNING, cover_block
from indicators.report.html_pack import to_html
from indicators.report.inequality_section import inequality_section
from indicators.report.pack import Block, Pack
from indicators.report.pdf import to_pdf
from indicators.report.summary_page import summary_blocks
from indicators.report.trend_chart import chart_png
from indicators.review.commentary import recorded_commentary
from indicators.review.store import ReviewStore
from indicators.store import inventory, publication
from indicators.ward_vintages import CURRENT

__all__ = ["Pack", "board_pack", "to_html", "to_pdf", "ward_report"]


def board_pack(
    warehouse: Path,
    strategy: Strategy,
    period: str,
    *,
    generated_on: dt.datetime | None = None,
    review_store: ReviewStore | None = None,
    review_sections: Sequence[Block] = (),
) -> Pack:
    """The content of the board pack for `period` (render with `to_pdf` / `to_html`).

    Reads the load's publication: the figures, judgements and sentences are the
    ones the dashboard shows. Definitions the load left out are named on the
    cover. `review_sections` are the review store's blocks (actions due,
    revisions since the last signed-off review), placed after the summary.
    Raises `choices.ReportRefused` for a period the publication has no figures for.
    """
    choices.require_period(publication.read(warehouse, "periods"), period)
    results = publication.read(warehouse, "results", area_code=strategy.area_code)
    load = inventory.load_summary(warehouse)
    city = publication.read(
        warehouse, "summary", period=period, area_code=strategy.area_code, breakdown="all"
    ).set_index("indicator_id")
    left_out = publication.read(warehouse, "left_out", order_by=("indicator_id", "position"))
    published = set(publication.read(warehouse, "indicators")["indicator_id"])
    strategy = replace(
        strategy, indicators=tuple(i for i in strategy.indicators if i.id in published)
    )
    notes = recorded_commentary(review_store)
    pack = Pack(f"{strategy.title}: review {period}")
    shown = [i for i in strategy.indicators if i.measure.kind.tile]

    for block in summary_blocks(warehouse, strategy, period):
        pack.add_block(block)
    pack.add("page_break")
    if review_sections:
        for block in review_sections:
            pack.add_block(block)
        pack.add("page_break")

    for aim in strategy.aims:
        pack.add("heading", aim.title)
        for indicator in (i for i in shown if i.aim == aim.id):
            pack.add("subheading", indicator.title)
            if indicator.id in city.index:
                pack.add("text", city.loc[indicator.id, "sentence"])
            series = views.indicator_series(results, indicator.id, strategy.area_code)
            series = series[series["period"] <= period]
            baseline = views.baseline_line(
                results, indicator, strategy.area_code, strategy.baseline_period
            )
            pack.add(
                "image",
                image=chart_png(
                    series,
                    indicator,
                    baseline,
                    f"{indicator.title}, to {period}",
                    strategy.baseline_period,
                ),
            )
            inequality = inequality_section(warehouse, strategy, indicator.id, period)
            if inequality is not None:
                pack.add("text", inequality.words, lead="Across deprivation:")
                if inequality.image:
                    pack.add("image", image=inequality.image)
            for _, note in notes[
                (notes["indicator"] == indicator.id) & (notes["period"] == period)
            ].iterrows():
                if note["narrative"]:
                    lead = f"Commentary ({note['author']}):"
                    pack.add("text", str(note["narrative"]), lead=lead)
                for action in note["actions"] or []:
                    pack.add("text", f"Action: {action}")
        pack.add("page_break")

    context_page.add_context_page(pack, warehouse, strategy)
    pack.add("heading", "Data note")
    pack.add(
        "text",
        "Sources: the council's early help case management extracts "
        "(pseudonymised), ONS population estimates, IMD 2019 (MHCLG), DfE and "
        "OHID public statistics. " + inventory.ATTRIBUTION,
    )
    pack.add(
        "text",
        "Methods: Wilson intervals for proportions, exact Poisson/Byar for rates, "
        "Student t for means; changes are called significant only when the 95% "
        "intervals of the baseline and the latest period do not overlap; trends "
        "use the Fingertips recent-trend test; progress uses compound growth "
        "towards the target; the gap across deprivation is the slope index of "
        "inequality (PHEindicatormethods phe_sii, log or logit fit); monthly measures "
        "are read on an XmR statistical process control chart with the NHS Making Data "
        "Count rules (variation and assurance, as NHSRplotthedots).",
    )
    pack.add("text", FOOTNOTE.format(min_count=strategy.min_count))
    if load.is_demo:
        pack.add(
            "text",
            "Demo data: the early help extracts behind this pack are synthetic "
            "(generated by the dashboard's demo command); the public data are real.",
        )
    headings = [b.text for b in pack.blocks if b.kind == "heading"]
    when = generated_on or dt.datetime.now()
    pack.blocks.insert(0, cover_block(strategy, period, load, when, left_out, headings))
    return pack


def ward_report(
    warehouse: Path,
    strategy: Strategy,
    period: str,
    ward_code: str,
    *,
    generated_on: dt.datetime | None = None,
) -> Pack:
    """Every indicator for one ward against the city, with the ward's trend and rank.

    Raises `choices.ReportRefused` for an unknown period or a code that is no ward of the area.
    """
    choices.require_period(publication.read(warehouse, "periods"), period)
    choices.require_ward(publication.read(warehouse, "areas"), ward_code, strategy.area_name)
    load = inventory.load_summary(warehouse)
    profile = publication.read(
        warehouse, "ward_profiles", period=period, area_code=ward_code, order_by=("position",)
    )
    ward = publication.read(
        warehouse, "summary", period=period, area_code=ward_code, breakdown="all"
    )
    name = ward["area_name"].iloc[0] if len(ward) else ward_code
    areas = publication.read(warehouse, "areas", area_code=ward_code)
    ward_set = areas["area_type"].iloc[0] if len(areas) else CURRENT.area_type
    pack = Pack(f"Ward report: {name}, {period}")
    pack.add("title", f"Ward report: {ward_label(name, ward_set)}")
    pack.add("heading", f"{strategy.title}, review period {period}")
    pack.add(
        "text",
        f"Ward {ward_code}, one of the {WARD_SET_NAMES[ward_set]}: ranks are among the wards "
        "of that set, and records are placed in wards by best fit (see the data note). "
        f"Built from load {load.load_id}. "
        f"Generated on {(generated_on or dt.datetime.now()):%d %B %Y %H:%M}.",
    )
    if load.is_demo:
        pack.add("text", DEMO_WARNING)
    ward = ward.set_index("indicator_id")
    for _, row in profile.iterrows():
        indicator = next(i for i in strategy.indicators if i.title == row["Indicator"])
        pack.add("subheading", indicator.title)
        if indicator.id in ward.index:
            pack.add("text", ward.loc[indicator.id, "sentence"])
        pack.add(
            "text",
            f"Ward {' '.join(filter(None, (row['Ward'], row['95% interval'])))}; "
            f"city {row['City']}; "
            f"{row['Compared with the city'] or 'not compared with the city'}; rank "
            f"{row['Rank (1 = highest or best)'] or 'not ranked'}; trend: "
            f"{row['Trend'] or 'not calculated'}.",
        )
    pack.add("heading", "Data note")
    pack.add(
        "text",
        ward_set_note(ward_set, strategy.area_name)
        + " "
        + FOOTNOTE.format(min_count=strategy.min_count),
    )
    return pack
