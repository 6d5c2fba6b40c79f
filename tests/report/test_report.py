"""The board pack and the ward report: pages, contents, words that agree with the figures."""

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
from indicators.engine.compute import compute_all
from indicators.engine.summary import summarise
from indicators.paths import CONFIG_PATH
from indicators.present import commentary
from indicators.present.views import format_value
from indicators.report import board_pack
from indicators.review import writing
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore

STRATEGY = spec.load_strategy(CONFIG_PATH)
PERIOD = "2024 H2"
WHEN = dt.datetime(2025, 5, 1, 9, 30)
SHOWN = [i for i in STRATEGY.indicators if i.measure.type != "share_by_category"]


@pytest.fixture(scope="module")
def pack(demo_warehouse: Path) -> board_pack.Pack:
    return board_pack.board_pack(demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN)


@pytest.fixture(scope="module")
def pages(pack: board_pack.Pack) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(board_pack.to_pdf(pack)))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def test_pack_pages(pages: list[str]) -> None:
    # A cover, a summary, at least a page per aim and a data note.
    assert 2 + len(STRATEGY.aims) + 1 <= len(pages) <= 30
    assert "Six-monthly review, 2024 H2" in pages[0] and "SYNTHETIC DEMO DATA" in pages[0]
    assert f"Summary: every indicator at {PERIOD}" in pages[1]
    assert "Data note" in pages[-1]
    text = " ".join(pages)
    for aim in STRATEGY.aims:
        assert re.sub(r"\s+", " ", aim.title) in text
    for indicator in SHOWN:
        assert indicator.title in text, indicator.title
    # The JSNA context page: the dashboard's spine per theme, each row in words too.
    context = next(i for i, page in enumerate(pages) if "JSNA context: children's" in page)
    assert context < len(pages) - 1
    for source in STRATEGY.jsna:
        assert re.sub(r"\s+", " ", source.title) in text, source.title


def test_every_sentence_agrees_with_the_engine(demo_warehouse: Path, pack: board_pack.Pack) -> None:
    results = compute_all(demo_warehouse, STRATEGY)
    rows = summarise(results, STRATEGY, PERIOD)
    city = rows[(rows["area_type"] == "la") & (rows["breakdown"] == "all")].set_index(
        "indicator_id"
    )
    words = {"rose": 0, "fell": 0, "similar": 0}
    for indicator in SHOWN:
        row = city.loc[indicator.id]
        sentence = commentary.sentence(indicator, row)
        assert sentence in pack.text
        assert format_value(row["value"], indicator.unit) in sentence
        if f"{indicator.title} rose from" in sentence:
            assert row["lower_ci"] > row["baseline_upper"]
            words["rose"] += 1
        elif f"{indicator.title} fell from" in sentence:
            assert row["upper_ci"] < row["baseline_lower"]
            words["fell"] += 1
        elif "not significantly different" in sentence:
            assert row["lower_ci"] <= row["baseline_upper"]
            assert row["upper_ci"] >= row["baseline_lower"]
            words["similar"] += 1
        trend = row["trend_assessment"]
        if trend in commentary.TREND:
            assert commentary.TREND[trend] in sentence
        else:
            assert "trend" not in sentence
        if indicator.target_value is not None and row["progress"] in commentary.PROGRESS:
            assert commentary.PROGRESS[row["progress"]].split(" {")[0] in sentence
    assert words["rose"] and words["similar"]  # the demo has both kinds of change


def test_pack_is_reproducible(demo_warehouse: Path, pack: board_pack.Pack) -> None:
    again = board_pack.board_pack(demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN)
    assert board_pack.to_pdf(again) == board_pack.to_pdf(pack)
    assert board_pack.to_html(again) == board_pack.to_html(pack)
    html = board_pack.to_html(pack)
    assert html.startswith("<!doctype html>") and "data:image/png;base64," in html


def test_recorded_commentary_appears_beside_the_generated_sentence(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    store = ReviewStore(StoreSettings(tmp_path / "review.sqlite"))
    lead = writing.Writer("Service manager", may_write=True)
    indicator = "requests_decided_3_days"
    writing.save_narrative(
        store,
        STRATEGY,
        lead,
        indicator,
        PERIOD,
        "Two vacant posts slowed December decisions.",
        based_on=None,
    )
    fields = writing.ActionFields("Recruit to both posts", "Front door manager", "2025-03-31")
    writing.add_action(store, STRATEGY, lead, indicator, PERIOD, fields)
    built = board_pack.board_pack(
        demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN, review_store=store
    )
    assert "Commentary (Service manager): Two vacant posts slowed December decisions." in built.text
    assert (
        "Action: Recruit to both posts (owner: Front door manager; due 2025-03-31; open)"
        in built.text
    )


def test_script_like_commentary_is_inert_in_the_html_and_pdf_pack(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    store = ReviewStore(StoreSettings(tmp_path / "review.sqlite"))
    lead = writing.Writer("<b>lead</b>", may_write=True)
    indicator = "requests_decided_3_days"
    script, drop = "<script>alert(1)</script>", "'); DROP TABLE actions;--"
    writing.save_narrative(store, STRATEGY, lead, indicator, PERIOD, script, based_on=None)
    writing.add_action(store, STRATEGY, lead, indicator, PERIOD, writing.ActionFields(drop))
    built = board_pack.board_pack(
        demo_warehouse, STRATEGY, PERIOD, generated_on=WHEN, review_store=store
    )
    page = board_pack.to_html(built)
    assert "<script>" not in page and "<b>lead</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert html.escape(drop) in page
    reader = pypdf.PdfReader(io.BytesIO(board_pack.to_pdf(built)))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert script in text and "DROP TABLE actions" in text


def test_ward_report(demo_warehouse: Path) -> None:
    built = board_pack.ward_report(demo_warehouse, STRATEGY, PERIOD, "E05008715", generated_on=WHEN)
    reader = pypdf.PdfReader(io.BytesIO(board_pack.to_pdf(built)))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Ward report: Baddeley, Milton and Norton" in text
    for indicator in SHOWN:
        assert indicator.title in text
    assert re.search(r"rank \d+ of 37", text)
    assert not pd.Series(re.findall(r"Ward (\d+) ", text)).astype(int).between(1, 4).any()


def test_ward_report_for_a_may_2023_ward(demo_warehouse: Path) -> None:
    """`report --ward` takes a code of either set: a May 2023 ward is ranked among 34."""
    built = board_pack.ward_report(demo_warehouse, STRATEGY, PERIOD, "E05014556", generated_on=WHEN)
    text = re.sub(r"\s+", " ", built.text)
    assert "Ward report: Baddeley, Milton & Norton (May 2023 ward)" in text
    assert "May 2023 wards" in text and "best-fit" in text
    assert " ;" not in text, "an empty interval leaves no gap before its semicolon"
    assert re.search(r"rank \d+ of 34", text)


HOSTILE = '<a href="javascript:alert(1)">x</a> & <b>'


def test_a_title_with_html_is_shown_as_written_in_html_and_pdf(demo_warehouse: Path) -> None:
    first = SHOWN[0]
    hostile = dataclasses.replace(first, title=f"{HOSTILE} $costs$ {first.title}")
    aims = dataclasses.replace(STRATEGY.aims[0], title=HOSTILE)
    strategy = dataclasses.replace(
        STRATEGY,
        aims=(aims, *STRATEGY.aims[1:]),
        indicators=tuple(hostile if i.id == first.id else i for i in STRATEGY.indicators),
    )
    built = board_pack.board_pack(demo_warehouse, strategy, PERIOD, generated_on=WHEN)
    page = board_pack.to_html(built)
    escaped = "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt; &amp; &lt;b&gt;"
    assert escaped in page
    assert 'javascript:alert(1)">' not in page and "<a " not in page
    assert page.count("<b>") == page.count("</b>")  # only the pack's own bold leads
    pdf = board_pack.to_pdf(built)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert HOSTILE in re.sub(r"[ \n]+", " ", text)
    assert f"{HOSTILE} $costs$" in re.sub(r"[ \n]+", " ", text)


def test_the_pack_names_what_the_load_left_out(left_out_load) -> None:
    strategy = spec.load_strategy(left_out_load.config)
    built = board_pack.board_pack(left_out_load.warehouse, strategy, PERIOD, generated_on=WHEN)
    assert (
        f"Left out: {left_out_load.refused} is not in this pack: its definition fails check "
        "(source: table 'quarantine' is not a table analysts may read; use one of: requests,"
    ) in built.text
    assert "Requests for help per 10,000 children" not in built.text
