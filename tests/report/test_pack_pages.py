"""The pack as the board reads it: the cover, the one-page summary table, labelled charts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from indicators.config import spec
from indicators.paths import CONFIG_PATH
from indicators.present import strategy_table
from indicators.present.charts.mdc_icons import variation_mark
from indicators.present.status_words import ASSURANCE_SHORT, VARIATION_SHORT
from indicators.report import board_pack, trend_chart
from indicators.report.cover import DEMO_WARNING, cover_block
from indicators.report.pack import Block
from indicators.report.summary_page import summary_table
from indicators.store import inventory, publication

STRATEGY = spec.load_strategy(CONFIG_PATH)
PERIOD = "2024 H2"
WHEN = dt.datetime(2025, 5, 1, 9, 30)
SHOWN = [i for i in STRATEGY.indicators if i.measure.kind.tile]
HOSTILE = "<b>Tom & Jerry</b> &amp;"


def _pages(pack: board_pack.Pack) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(board_pack.to_pdf(pack)))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def pack(demo_warehouse: Path) -> board_pack.Pack:
    return board_pack.board_pack(demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN)


@pytest.fixture(scope="module")
def pages(pack: board_pack.Pack) -> list[str]:
    return _pages(pack)


def test_the_cover_says_what_the_pack_is(demo_warehouse: Path, pages: list[str]) -> None:
    load = inventory.load_summary(demo_warehouse)
    cover = pages[0]
    for words in (
        STRATEGY.title,
        STRATEGY.council,
        "Six-monthly review, 2024 H2",
        "2024 H2 (1 October 2024 to 31 March 2025)",
        "1 May 2025 09:30",
        load.load_id,
        "SYNTHETIC DEMO DATA",
        "In this pack",
    ):
        assert words in cover, words
    assert "Change since baseline" not in cover  # the cover is a page of its own
    assert all("SYNTHETIC DEMO DATA" in page for page in pages[1:])  # in every page's footer


def test_the_cover_of_real_data_carries_no_demo_warning(demo_warehouse: Path) -> None:
    real = dataclasses.replace(inventory.load_summary(demo_warehouse), is_demo=False)
    left_out = pd.DataFrame(columns=["indicator_id", "position", "problem"])
    cover = cover_block(STRATEGY, PERIOD, real, WHEN, left_out).cover
    assert cover is not None and cover.warning == ""
    assert ("Council", STRATEGY.council) in cover.facts
    page = board_pack.to_html(board_pack.Pack("x", [Block("cover", cover=cover)]))
    assert DEMO_WARNING not in page and STRATEGY.council in page


def test_the_summary_is_one_page_with_every_indicator_by_aim(pages: list[str]) -> None:
    summary = pages[1]
    assert f"Summary: every indicator at {PERIOD}" in summary
    for aim in STRATEGY.aims:
        assert re.sub(r"\s+", " ", aim.title) in summary, aim.title
    for indicator in SHOWN:
        assert indicator.title in summary, indicator.title
    # Nothing of the table runs on: the next page opens the first aim.
    assert "Change since baseline" not in pages[2]
    assert pages[2].split("Page 3 ", 1)[1].startswith(STRATEGY.aims[0].title)


def test_the_summary_is_the_landing_page_table(demo_warehouse: Path, pack) -> None:
    table = next(b.table for b in pack.blocks if b.kind == "table")
    tiles = publication.read(
        demo_warehouse, "tiles", period=PERIOD, area_code=STRATEGY.area_code, order_by=("position",)
    )
    landing = html.unescape(
        strategy_table.strategy_table_html(tiles, STRATEGY, city=True, query="", caption="")
    )
    assert list(table.columns) == re.findall(r'<th scope="col">([^<]+)</th>', landing)
    for group in table.groups:
        assert group.heading.replace(" · ", '<span class="count"> · ') in landing
        for row in group.rows:
            # The landing row holds the same words in the same order.
            words = [c.text for c in row if c.text != "Not monthly"]
            assert re.search(".*".join(map(re.escape, words)), landing), words


def test_the_summary_draws_the_spc_icons_beside_their_words(pack) -> None:
    table = next(b.table for b in pack.blocks if b.kind == "table")
    monthly = {i.title for i in SHOWN if i.monthly}
    icons = {row[0].text: (row[5], row[6]) for group in table.groups for row in group.rows}
    assert monthly and set(icons) == {i.title for i in SHOWN}
    for title, (variation, assurance) in icons.items():
        if title in monthly:
            assert variation.icon == variation_mark(
                next(c for c, w in VARIATION_SHORT.items() if w == variation.text),
                STRATEGY.indicator(next(i.id for i in SHOWN if i.title == title)).polarity,
            )
            assert assurance.icon is not None and assurance.text in ASSURANCE_SHORT.values()
        else:
            assert (variation.text, variation.icon, assurance.icon) == ("Not monthly", None, None)
    page = board_pack.to_html(pack)
    assert page.count('class="mdc-icon"') == sum(
        1 for v, a in icons.values() for c in (v, a) if c.icon
    )


def test_charts_name_the_baseline_and_target_on_their_lines() -> None:
    indicator = next(i for i in SHOWN if i.target_value is not None and i.unit == "%")
    series = pd.DataFrame(
        {
            "period": ["2023 H1", "2023 H2", "2024 H1", "2024 H2"],
            "value": [60.0, 62.0, 64.0, 66.0],
            "lower_ci": [58.0, 60.0, 62.0, 64.0],
            "upper_ci": [62.0, 64.0, 66.0, 68.0],
        }
    )
    fig = trend_chart.trend_figure(series, indicator, 61.26, indicator.title, "2019/20")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    target = trend_chart.short_number(indicator.target_value, "%")
    assert texts == ["Baseline 2019/20: 61.3%", f"Target {indicator.target_period}: {target}"]
    fig.canvas.draw()
    plot = ax.get_window_extent()
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["95% confidence interval", "Value"]
    assert legend.get_window_extent().y1 < plot.y0  # below the axes, clear of the data
    for label in ax.texts:  # each label sits just right of the plot, at its line's height
        assert label.get_window_extent().x0 >= plot.x1


def test_markup_in_titles_and_the_council_prints_as_written(demo_warehouse: Path) -> None:
    strategy = dataclasses.replace(STRATEGY, council=HOSTILE)
    built = board_pack.board_pack(demo_warehouse, strategy, PERIOD, generated_on=WHEN)
    assert HOSTILE in _pages(built)[0]  # the council on the cover
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; &amp;amp;" in board_pack.to_html(built)
    # An indicator title in the summary table (the stored tiles carry the titles).
    tiles = publication.read(
        demo_warehouse, "tiles", period=PERIOD, area_code=STRATEGY.area_code, order_by=("position",)
    )
    tiles.loc[0, "title"] = f"{HOSTILE} {tiles.loc[0, 'title']}"
    table = board_pack.Pack("t", [Block("table", table=summary_table(tiles, STRATEGY))])
    assert f"{HOSTILE} {SHOWN[0].title}" in _pages(table)[0]
    page = board_pack.to_html(table)
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; &amp;amp;" in page and "<b>Tom" not in page


def test_review_store_sections_follow_the_summary(demo_warehouse: Path) -> None:
    due = [Block("heading", "Actions due"), Block("text", "Recruit to both posts by March.")]
    built = board_pack.board_pack(
        demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN, review_sections=due
    )
    headings = [b.text for b in built.blocks if b.kind == "heading"]
    assert headings[:3] == [f"Summary: every indicator at {PERIOD}", "Actions due",
                            STRATEGY.aims[0].title]  # fmt: skip
    assert "Actions due" in built.blocks[0].cover.contents


def test_the_pack_carries_the_sign_off_its_revisions_and_the_actions_due(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from indicators.report.review_sections import ACTIONS_DUE, REVISIONS, review_blocks
    from indicators.review import signoff, writing
    from indicators.review.settings import StoreSettings
    from indicators.review.store import ReviewStore
    from indicators.store import publication

    store = ReviewStore(StoreSettings(tmp_path / "review.sqlite"))
    reported = publication.read(demo_warehouse, "tiles", period=PERIOD)
    city = reported["area_code"] == STRATEGY.area_code
    first = reported[city & reported["value"].notna()].index[0]
    title = reported.loc[first, "title"]
    # As if the board had been told another figure (and its interval) before a correction.
    reported.loc[first, ["value", "lower_ci", "upper_ci"]] += 50
    analyst = signoff.Signer("analyst@council.example", may_sign=True)
    signoff.sign_off(store, analyst, PERIOD, "2025-03-12", "load-1", reported)
    editor = writing.Writer("lead@council.example", may_write=True)
    indicator = reported.loc[first, "indicator_id"]
    fields = writing.ActionFields("<b>Recruit</b> & review", "Front door", "2020-01-31")
    writing.add_action(store, STRATEGY, editor, indicator, PERIOD, fields)

    sections = review_blocks(store, demo_warehouse, STRATEGY, PERIOD, dt.date(2025, 5, 1))
    built = board_pack.board_pack(
        demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN, review_sections=sections
    )
    words = built.text
    assert f"As reported at the {PERIOD} review on 2025-03-12" in words
    assert f"{title}: Reported as" in words and "outside the interval reported" in words
    assert "overdue since 2020-01-31: <b>Recruit</b> & review (owner: Front door)" in words
    headings = [b.text for b in built.blocks if b.kind == "heading"]
    assert headings[1:3] == [REVISIONS, ACTIONS_DUE]
    html = board_pack.to_html(built)
    assert "<b>Recruit</b>" not in html and "&lt;b&gt;Recruit&lt;/b&gt; &amp; review" in html
