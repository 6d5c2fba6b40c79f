"""The one-screen strategy table: every indicator under its aim, words beside every icon,
links that keep the view, and configuration text shown as written (never as markup)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from table_cells import table_rows

from indicators.config import spec
from indicators.paths import CONFIG_PATH
from indicators.present import strategy_table
from indicators.present.charts import mdc_icons
from indicators.statuses import Assurance, Variation

STRATEGY = spec.load_strategy(CONFIG_PATH)
SHOWN = [i for i in STRATEGY.indicators if i.measure.kind.tile]


def tile(indicator, **changes) -> dict:
    row = {
        "indicator_id": indicator.id, "aim": indicator.aim, "title": indicator.title,
        "unit": indicator.unit, "value": 50.0, "value_text": "50.0%",
        "interval_text": "95% CI 40.0% to 60.0%", "baseline_text": "Baseline 2019 H2: 40.0%",
        "change": 10.0, "change_text": "+10.0 points since baseline",
        "progress": "on_track", "trend": "getting_better",
        "comparison": "", "variation": "", "assurance": "", "trial_limits": False,
        "sparkline": [1.0, 2.0], "sparkline_periods": ["2023 H2", "2024 H1"],
    }  # fmt: skip
    return {**row, **changes}


@pytest.fixture
def tiles() -> pd.DataFrame:
    return pd.DataFrame([tile(i) for i in SHOWN])


def rows_of(html: str) -> list[list[str]]:
    return table_rows(html)


def test_every_indicator_appears_once_under_its_aim_in_the_strategys_order(tiles) -> None:
    html = strategy_table.strategy_table_html(
        tiles, STRATEGY, city=True, query="period=2024+H2", caption="c"
    )
    rows = rows_of(html)
    aims = [r[0] for r in rows if len(r) == 1]
    assert [a.split(" · ")[0] for a in aims] == [a.title for a in STRATEGY.aims]
    titles = [r[0] for r in rows[1:] if len(r) > 1]
    assert titles == [i.title for i in SHOWN]
    assert "1 of 1 targets on track or achieved" in aims[-1] or "targets" in aims[-1]


def test_aim_counts_say_how_many_targets_are_on_course(tiles) -> None:
    first_aim = [i for i in SHOWN if i.aim == STRATEGY.aims[0].id]
    tiles.loc[tiles["indicator_id"] == first_aim[0].id, "progress"] = "moving_away"
    tiles.loc[tiles["indicator_id"] == first_aim[1].id, "progress"] = "improving"  # no target
    html = strategy_table.strategy_table_html(tiles, STRATEGY, city=True, query="", caption="")
    heading = rows_of(html)[1][0]
    judged = len(first_aim) - 1
    assert heading.endswith(f"{judged - 1} of {judged} targets on track or achieved")


def test_monthly_measures_carry_icons_with_words_and_others_say_not_monthly(tiles) -> None:
    monthly = SHOWN[0]
    tiles.loc[0, ["variation", "assurance"]] = [Variation.CONCERN, Assurance.CONSISTENTLY_FAILS]
    html = strategy_table.strategy_table_html(tiles, STRATEGY, city=True, query="", caption="")
    row = next(r for r in rows_of(html) if r[0] == monthly.title)
    assert row[-2:] == ["Concerning", "Consistently failing"]
    assert 'aria-label="Special cause variation: concern"' in html
    other = next(r for r in rows_of(html) if r[0] == SHOWN[1].title)
    assert other[-2:] == ["Not monthly", "Not monthly"]


def test_trial_limits_are_said_in_the_full_words(tiles) -> None:
    tiles.loc[0, ["variation", "assurance", "trial_limits"]] = [
        Variation.COMMON_CAUSE, Assurance.INCONSISTENT, True
    ]  # fmt: skip
    html = strategy_table.strategy_table_html(tiles, STRATEGY, city=True, query="", caption="")
    assert "trial limits from fewer than 12 points" in html


def test_a_ward_is_compared_with_the_city_instead_of_spc(tiles) -> None:
    tiles["comparison"] = "worse"
    html = strategy_table.strategy_table_html(tiles, STRATEGY, city=False, query="", caption="")
    rows = rows_of(html)
    assert rows[0][-1] == "Against the city" and "Variation (SPC)" not in rows[0]
    assert rows[2][-1] == "Worse than the city"


def test_links_keep_the_view_and_open_the_indicator_on_its_aim_page(tiles) -> None:
    html = strategy_table.strategy_table_html(
        tiles, STRATEGY, city=True, query="period=2024+H2&area=city", caption=""
    )
    first = SHOWN[0]
    assert f'href="{first.aim}?period=2024+H2&amp;area=city#{first.id}"' in html


def test_configured_text_is_shown_as_written_never_as_markup(tiles) -> None:
    hostile = '<script>alert(1)</script> & <b>bold</b> "quoted"'
    strategy = replace(
        STRATEGY, aims=[replace(STRATEGY.aims[0], title=hostile), *STRATEGY.aims[1:]]
    )
    tiles.loc[0, ["title", "interval_text"]] = [hostile, hostile]
    html = strategy_table.strategy_table_html(tiles, strategy, city=True, query="", caption="")
    details = strategy_table.details_table_html(tiles, caption=hostile)
    for drawn in (html, details):
        assert "<script>" not in drawn and "<b>bold" not in drawn
    assert rows_of(html)[1][0].startswith(hostile)
    assert rows_of(html)[2][0] == hostile
    assert rows_of(details)[1][0] == hostile


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (np.nan, "%", "c"),
        (85.25, "%", "85.2%"),
        (100.0, "%", "100.0%"),
        (0.0, "%", "0.0%"),
        (605.94, "per 10,000 children", "606"),
        (8.0, "days", "8.0 days"),
        (1234.5, "episodes", "1,234 episodes"),
    ],
)
def test_compact_values(value, unit, shown) -> None:
    assert strategy_table.compact_value(value, unit) == shown


@pytest.mark.parametrize(
    ("change", "unit", "shown"),
    [(np.nan, "%", "–"), (0.0, "%", "+0.0 pts"), (-7.0, "days", "−7.0"), (3.04, "%", "+3.0 pts")],
)
def test_compact_changes(change, unit, shown) -> None:
    assert strategy_table.compact_change(change, unit) == shown


def test_icons_follow_polarity_and_carry_their_words() -> None:
    high = mdc_icons.variation_icon(Variation.IMPROVEMENT, "high_is_good", "better")
    low = mdc_icons.variation_icon(Variation.IMPROVEMENT, "low_is_good", "better")
    assert ">H</span>" in high and ">L</span>" in low and mdc_icons.BLUE in high
    concern = mdc_icons.variation_icon(Variation.CONCERN, "high_is_good", 'a "b"')
    assert ">L</span>" in concern and mdc_icons.ORANGE in concern
    assert 'aria-label="a &quot;b&quot;"' in concern
    assert ">P</span>" in mdc_icons.assurance_icon(Assurance.CONSISTENTLY_PASSES, "p")
    assert ">F</span>" in mdc_icons.assurance_icon(Assurance.CONSISTENTLY_FAILS, "f")
    assert ">?</span>" in mdc_icons.assurance_icon(Assurance.INCONSISTENT, "h")


def test_the_thrive_shares_show_each_level_and_withheld_ones_as_c() -> None:
    from indicators.present.thrive_share import thrive_share_html

    mix = pd.DataFrame(
        {
            "period": ["2024 H2"] * 4 + ["2024 H1"],
            "thrive_level": [
                "getting_advice", "getting_help", "getting_more_help", "getting_risk_support",
                "getting_advice",
            ],
            "value": [40.0, 35.5, np.nan, 10.25, 99.0],
        }
    )  # fmt: skip
    rows = rows_of(thrive_share_html(mix, "2024 H2", caption="<b>c</b>"))
    assert rows[1:] == [
        ["Getting advice", "40.0%", ""],
        ["Getting help", "35.5%", ""],
        ["Getting more help", "c", ""],
        ["Getting risk support", "10.2%", ""],
    ]
