"""Every page run for real with AppTest on a demo warehouse, with default and other selections.

Numbers on the page are checked against the engine's own figures (computed
afresh here, not read from the publication the pages read), and every table a
page shows is scanned for small numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from table_cells import table_rows

from indicators.config import spec
from indicators.disclosure.publication import build_publication
from indicators.engine.summary import summarise
from indicators.paths import CONFIG_PATH, PROJECT_ROOT
from indicators.present import jsna_views, strategy_table, views
from indicators.present.status_words import ASSURANCE_SHORT, COMPARISON_WORDS, VARIATION_SHORT
from indicators.publish import series as spc_series
from indicators.publish import tiles as tile_table
from indicators.publish import wards as ward_tables

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
STRATEGY = spec.load_strategy(CONFIG_PATH)
WARD = "E05008715"  # Baddeley, Milton and Norton (2011–2023)
WARD_2023 = "E05014556"  # Baddeley, Milton & Norton (May 2023)
FILE_PAGES = [
    "pages/wards.py",
    "pages/ward_profile.py",
    "pages/jsna.py",
    "pages/catalogue.py",
    "pages/data_quality.py",
    "pages/warehouse.py",
    "pages/workbench.py",
]


@pytest.fixture(scope="module")
def publication(demo_warehouse: Path):
    return build_publication(demo_warehouse, STRATEGY)


@pytest.fixture(scope="module")
def results(publication) -> pd.DataFrame:
    return publication.results


@pytest.fixture(scope="module")
def summary_2024_h2(results: pd.DataFrame) -> pd.DataFrame:
    return summarise(results, STRATEGY, "2024 H2")


def engine_tiles(publication, period: str, area_code: str) -> pd.DataFrame:
    """The tiles worked out afresh from the engine's results, for one period and area."""
    results = publication.results
    up_to = results[results["period"] <= period]
    summary = pd.concat(
        [summarise(up_to, STRATEGY, p) for p in views.half_years(up_to)], ignore_index=True
    )
    states = spc_series.spc_states(publication.monthly, STRATEGY, [period])
    found = tile_table.tiles(up_to, summary, STRATEGY, states)
    return found[(found["period"] == period) & (found["area_code"] == area_code)]


@pytest.fixture
def app(demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))
    return AppTest.from_file(DASHBOARD, default_timeout=120)


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def small_counts(app: AppTest) -> list[str]:
    """Cells of 1-4 in count columns of any table on the page."""
    found = []
    for frame in (d.value for d in [*app.dataframe, *app.table]):
        for column in ("numerator", "denominator", "rows_quarantined"):
            if column in frame.columns:
                counts = pd.to_numeric(frame[column], errors="coerce")
                if column != "rows_quarantined" and counts.between(1, 4).any():
                    found.append(column)
    return found


def landing_rows(app: AppTest) -> dict[str, list[str]]:
    """The one-screen strategy table's rows on the page, by indicator title."""
    table = next(h.value for h in app.html if "strategy-table" in h.value)
    return {cells[0]: cells for cells in table_rows(table)[1:] if len(cells) > 1}


def test_landing_page_defaults_to_the_latest_complete_period(app: AppTest, publication) -> None:
    app.run()
    assert not app.exception
    assert app.sidebar.selectbox[0].value == "2024 H2"
    table = next(h.value for h in app.html if "strategy-table" in h.value)
    for aim in STRATEGY.aims:
        assert aim.title in table
    rows = landing_rows(app)
    tiles = engine_tiles(publication, "2024 H2", STRATEGY.area_code)
    assert set(rows) == set(tiles["title"])
    decided = next(t for t in tiles.itertuples() if t.indicator_id == "requests_decided_3_days")
    engine = publication.results[
        (publication.results["indicator_id"] == "requests_decided_3_days")
        & (publication.results["period"] == "2024 H2")
        & (publication.results["area_type"] == "la")
        & (publication.results["breakdown"] == "all")
    ]["value"].item()
    assert rows[decided.title][1] == f"{engine:.1f}%"
    # A monthly measure shows its Making Data Count icons with words; others say why not.
    assert rows[decided.title][5:] == [
        f"{VARIATION_SHORT[decided.variation]}",
        f"{ASSURANCE_SHORT[decided.assurance]}",
    ]
    assert rows["Episodes led by partners"][5:] == ["Not monthly", "Not monthly"]
    assert any("Synthetic demo data" in w.value for w in app.warning)


@pytest.mark.parametrize(
    ("wards", "ward", "name"),
    [("ward", WARD, "Baddeley, Milton and Norton"), ("ward_2023", WARD_2023, "Baddeley, Milton &")],
)
def test_landing_page_for_a_ward_in_an_old_period(
    app: AppTest, publication, wards: str, ward: str, name: str
) -> None:
    """Either set of wards, as the Wards page's `?wards=` says (a May 2023 ward's history
    goes back before May 2023: its LSOAs' records)."""
    app.query_params["period"] = "2021 H1"
    app.query_params["wards"] = wards
    app.query_params["area"] = ward
    app.query_params["comparator"] = "region"
    app.run()
    assert not app.exception
    assert app.sidebar.selectbox[0].value == "2021 H1"
    tiles = engine_tiles(publication, "2021 H1", ward)
    rows = landing_rows(app)
    assert len(tiles) == len([i for i in STRATEGY.indicators if i.measure.kind.tile])
    for tile in tiles.itertuples():
        expected = (
            "no data"
            if tile.value_text == "no data"
            else strategy_table.compact_value(tile.value, tile.unit)
        )
        assert rows[tile.title][1] == expected
        assert rows[tile.title][5] == f"{COMPARISON_WORDS[tile.comparison]} the city"
    assert name in markdown_text(app) + "".join(c.value for c in app.caption)
    # No record at all is a true zero, said as "no data", never as "c" (hidden): family hub
    # contacts are placed in the hubs' few wards.
    hubs = next(t for t in tiles.itertuples() if t.indicator_id == "hub_contacts_per_1k")
    assert not views.indicator_series(publication.results, "hub_contacts_per_1k", ward).size
    assert rows[hubs.title][1] == "no data"


@pytest.mark.parametrize("page", FILE_PAGES)
@pytest.mark.parametrize(
    "params", [{}, {"period": "2020 H2", "area": WARD, "comparator": "statistical_neighbours"}]
)
def test_every_page_runs_without_error(app: AppTest, page: str, params: dict) -> None:
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, "every page has a title"
    assert small_counts(app) == []


@pytest.mark.parametrize(("wards", "count"), [("ward_2023", 34), ("ward", 37), (None, 34)])
def test_wards_page_ranks_every_ward_of_the_chosen_set(
    app: AppTest, summary_2024_h2: pd.DataFrame, wards: str | None, count: int
) -> None:
    """The May 2023 wards unless the URL asks for the 2011–2023 ones; human labels; the
    page says which wards, that placing is best fit, and how many records are in none."""
    app.query_params["indicator"] = "requests_decided_3_days"
    if wards:
        app.query_params["wards"] = wards
    app.switch_page("pages/wards.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    grid = next(d for d in app.dataframe if "Rank" in d.value.columns)
    ranked = grid.value
    # The ward's name stays in view while the wide table scrolls sideways.
    pinned = {name for name, c in json.loads(grid.proto.columns).items() if c.get("pinned")}
    assert pinned == {"Rank", "Ward"}
    expected = ward_tables.ward_tables(summary_2024_h2, STRATEGY)
    expected = expected[
        (expected["indicator_id"] == "requests_decided_3_days")
        & (expected["area_type"] == (wards or "ward_2023"))
    ]
    assert len(ranked) == count
    assert {"Ward", "95% lower limit", "Compared with the city"} <= set(ranked.columns)
    assert "area_code" not in ranked.columns
    assert ranked["Ward code"].tolist() == expected["area_code"].tolist()
    assert ranked["Value"].tolist() == pytest.approx(expected["value"].tolist(), nan_ok=True)
    assert all(w == "" or w.endswith(" the city") for w in ranked["Compared with the city"])
    note = next(i.value for i in app.info if "best-fit" in i.value)
    assert ("34 wards of May 2023" if count == 34 else "37 wards of 2011") in note


@pytest.mark.parametrize(("wards", "ward"), [("ward", WARD), ("ward_2023", WARD_2023)])
def test_ward_profile_matches_the_engine(
    app: AppTest, summary_2024_h2: pd.DataFrame, wards: str, ward: str
) -> None:
    """The councillor's view of either set: every indicator against the city, ranked among
    the wards of its own set, with its trend and note."""
    app.query_params["wards"] = wards
    app.query_params["area"] = ward
    app.switch_page("pages/ward_profile.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    profile = app.table[0].value  # the whole profile on the page: nothing scrolled out of sight
    ranked = ward_tables.ward_tables(summary_2024_h2, STRATEGY)
    expected = ward_tables.ward_profiles(summary_2024_h2, ranked, STRATEGY)
    expected = expected[expected["area_code"] == ward]
    assert profile["Ward"].tolist() == expected["Ward"].tolist()
    assert profile["Rank (1 = highest or best)"].tolist() == (
        expected["Rank (1 = highest or best)"].tolist()
    )
    count = 34 if wards == "ward_2023" else 37
    assert any(r.endswith(f" of {count}") for r in profile["Rank (1 = highest or best)"])
    assert {"Compared with the city", "Trend", "Note"} <= set(profile.columns)
    assert len(profile) == len(
        [i for i in STRATEGY.indicators if i.measure.type != "share_by_category"]
    )


@pytest.mark.parametrize(
    ("params", "ward_set", "code"),
    [
        ({"wards": "ward_2023", "area": WARD_2023}, "ward_2023", WARD_2023),
        ({}, "ward_2023", None),
        # A link from before the wards changed names a 2011 ward and no set: it keeps its ward.
        ({"area": WARD}, "ward", WARD),
        # A ward of one set asked for in the other is not shown as if it were there.
        ({"wards": "ward_2023", "area": WARD}, "ward_2023", None),
    ],
)
def test_every_page_offers_both_sets_of_wards(
    app: AppTest, params: dict, ward_set: str, code: str | None
) -> None:
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page("pages/jsna.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.sidebar.selectbox(key="select_wards").value == ward_set
    area = app.sidebar.selectbox(key="select_area").value
    assert area == (code or "city")


def test_an_aim_page_for_a_may_2023_ward_shows_its_own_figures(
    demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch, results: pd.DataFrame
) -> None:
    """The aim pages follow `?wards=` too: a May 2023 ward's history from 2019, its own
    figures (not the city's), named with its set, and the best-fit caveat."""
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))

    def page() -> None:
        from pages import aim  # importable: pytest runs from the project root

        aim.render("access")

    app = AppTest.from_function(page, default_timeout=120)
    app.query_params["wards"] = "ward_2023"
    app.query_params["area"] = WARD_2023
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    caption = app.caption[0].value
    assert "Baddeley, Milton & Norton (May 2023 ward)" in caption
    assert "best-fit" in caption
    shown = app.dataframe[0].value
    engine = views.indicator_series(results, "requests_per_10k", WARD_2023)
    engine = engine[engine["period"] <= app.sidebar.selectbox(key="select_period").value]
    assert shown["period"].tolist() == engine["period"].tolist()
    assert shown["period"].iloc[0].startswith("2019")
    assert shown["value"].tolist() == pytest.approx(engine["value"].tolist(), nan_ok=True)
    city = views.indicator_series(results, "requests_per_10k", STRATEGY.area_code)
    assert shown["value"].tolist() != pytest.approx(city["value"].tolist()[: len(shown)])
    # Family hub contacts are placed in the hubs' wards: a ward with none says so, instead
    # of drawing an empty chart.
    assert not views.indicator_series(results, "hub_contacts_per_1k", WARD_2023).size
    said = [i.value for i in app.info]
    assert any(s.startswith("No figures for Baddeley, Milton & Norton") for s in said)


def test_jsna_page_compares_with_the_chosen_comparator(app: AppTest) -> None:
    app.query_params["comparator"] = "region"
    app.switch_page("pages/jsna.py")
    app.run()
    # One spine and its table per theme, then the chosen indicator's series.
    spine = pd.concat([table.value for table in app.dataframe[:-1]])
    assert {"cin_rate_per_10k", "rereferrals_12_months", "injury_admissions_0_14"} <= set(
        spine["indicator_id"]
    )
    assert spine["Compared with West Midlands"].notna().all()
    assert [h.value for h in app.header][:6] == list(jsna_views.THEME_TITLES.values())


def test_data_quality_search(app: AppTest) -> None:
    app.switch_page("pages/data_quality.py")
    app.run()
    app.text_input(key="quarantine_search").input("duplicate_key").run()
    rows = app.dataframe[-1].value
    assert len(rows) > 0 and (rows["reason"] == "duplicate_key").all()


@pytest.mark.parametrize("aim_id", [a.id for a in STRATEGY.aims])
def test_aim_pages(demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch, aim_id: str) -> None:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))

    def page(aim_id: str) -> None:
        import streamlit as st

        from indicators.paths import PROJECT_ROOT
        from pages import aim  # importable: pytest runs from the project root
        from pages._app.navigation import register_pages

        front_door = st.Page(PROJECT_ROOT / "pages" / "front_door.py", title="The front door")
        register_pages({"front_door": front_door})
        aim.render(aim_id)

    app = AppTest.from_function(page, args=(aim_id,), default_timeout=120)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    titles = {i.title for i in STRATEGY.indicators if i.aim == aim_id}
    assert titles <= {h.value for h in app.header}
    assert small_counts(app) == []
    # The front door is linked from the aim the strategy file names, and from no other.
    links = [link.label for link in app.get("page_link")]
    front_door = ["The front door: where requests go"]
    assert links == (front_door if aim_id == STRATEGY.front_door_aim else [])


def test_no_warehouse_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(tmp_path / "none.duckdb"))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception
    assert "No warehouse is loaded yet" in app.warning[0].value


def test_no_small_number_reaches_the_page_layer(
    demo_warehouse: Path, results: pd.DataFrame
) -> None:
    """Every frame pages are handed comes from these results, the flow or the monthly series."""
    from indicators.disclosure import publication, small_numbers

    assert small_numbers.find_disclosive_cells(results, STRATEGY.min_count).empty
    shown = results[~results["suppressed"]]
    local = shown[(shown["area_type"] == "ward") | (shown["breakdown"] != "all")]
    counts = local[["numerator"]].join(
        local["denominator"].where(local["measure"] != "rate").rename("people")
    )
    assert not counts.apply(lambda c: c.between(1, 4)).any().any()
    published = publication.build_publication(demo_warehouse, STRATEGY)
    for links in published.flows.values():
        assert not links["families"].between(1, 4).any()
    for series in published.monthly.values():
        assert not series["numerator"].between(1, 4).any()


def test_landing_page_offers_the_board_pack(app: AppTest) -> None:
    app.run()
    app.button(key="prepare_pack").click().run()
    assert not app.exception
    assert app.get("download_button")


def test_recorded_commentary_annotates_the_chart(results: pd.DataFrame) -> None:
    from indicators.present.charts import aim_charts

    series = views.indicator_series(results, "requests_decided_3_days", STRATEGY.area_code)
    fig = aim_charts.trend_chart(
        series, title="t", unit="%", source="s", notes=[("2024 H2", "Two vacant posts")]
    )
    assert "Two vacant posts" in [a.text for a in fig.layout.annotations]


def test_a_definition_that_fails_check_is_left_out_and_named_not_every_page_broken(
    left_out_load, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load published every other definition (the landing page's own THRIVE chart
    loses its data too); every page names what it left out, and why."""
    monkeypatch.setenv("EARLY_HELP_CONFIG", str(left_out_load.config))
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(left_out_load.warehouse))
    refused = left_out_load.refused
    for page in ("dashboard.py", "pages/wards.py", "pages/front_door.py", "pages/catalogue.py"):
        app = AppTest.from_file(DASHBOARD, default_timeout=120)
        if page != "dashboard.py":
            app.switch_page(page)
        app.run()
        assert not app.exception, (page, [e.value for e in app.exception])
        if page == "pages/catalogue.py":  # the analysts' page lists check's own findings
            (error,) = [e.value for e in app.error]
            assert f"{refused}.source: table 'quarantine' is not a table" in error
            continue
        warnings = [w.value for w in app.warning]
        assert any(
            f"**{refused}**: source: table 'quarantine' is not a table analysts may read" in w
            for w in warnings
        ), (page, warnings)


def test_a_definition_added_after_the_load_is_named_until_the_next_load(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    added = dict(document["indicators"][0], id="added_after_the_load", title="Added late")
    document["indicators"].append(added)
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("EARLY_HELP_CONFIG", str(config))
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))
    app = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not app.exception
    assert any(
        "**added_after_the_load**: added to the definitions after this load" in w.value
        for w in app.warning
    )
    assert "Added late" not in markdown_text(app)
    catalogue = AppTest.from_file(DASHBOARD, default_timeout=120)
    catalogue.switch_page("pages/catalogue.py")
    catalogue.run()
    assert any("has changed since this load" in i.value for i in catalogue.info)


def test_aim_page_shows_inequality_and_the_spc_words(
    demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch, results: pd.DataFrame
) -> None:
    from indicators.present import inequality_views
    from indicators.publish.inequality import inequality_view

    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))

    def page() -> None:
        from pages import aim

        aim.render("access")

    app = AppTest.from_function(page, default_timeout=120)
    app.run()
    app.radio(key="view_requests_per_10k").set_value("Across deprivation (inequality)").run()
    assert not app.exception, [e.value for e in app.exception]
    gap = next(c.value for c in app.caption if "slope index of inequality" in c.value)
    period = gap.removeprefix("In ")[:7]  # the page's review period, e.g. 2024 H2
    view = inequality_view(results, STRATEGY, "requests_per_10k", period)
    assert gap == inequality_views.inequality_words(view, STRATEGY.indicator("requests_per_10k"))
    app.radio(key="view_requests_per_10k").set_value("Month by month (SPC)").run()
    assert any("Latest month:" in c.value for c in app.caption)
