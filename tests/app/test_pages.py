"""Every page run for real with AppTest on a demo warehouse, with default and other selections.

Numbers on the page are checked against the engine's own figures, and every
table a page shows is scanned for small numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.config import spec
from indicators.disclosure.publication import build_publication
from indicators.paths import CONFIG_PATH, PROJECT_ROOT
from indicators.present import views, ward_views

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
STRATEGY = spec.load_strategy(CONFIG_PATH)
WARD = "E05008715"  # Baddeley, Milton and Norton
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
def results(demo_warehouse: Path) -> pd.DataFrame:
    return build_publication(demo_warehouse, STRATEGY).results


@pytest.fixture
def app(demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))
    return AppTest.from_file(DASHBOARD, default_timeout=120)


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def small_counts(app: AppTest) -> list[str]:
    """Cells of 1-4 in count columns of any table on the page."""
    found = []
    for frame in (d.value for d in app.dataframe):
        for column in ("numerator", "denominator", "rows_quarantined"):
            if column in frame.columns:
                counts = pd.to_numeric(frame[column], errors="coerce")
                if column != "rows_quarantined" and counts.between(1, 4).any():
                    found.append(column)
    return found


def test_landing_page_defaults_to_the_latest_complete_period(
    app: AppTest, results: pd.DataFrame
) -> None:
    app.run()
    assert not app.exception
    assert app.sidebar.selectbox[0].value == "2024 H2"
    text = markdown_text(app)
    for aim in STRATEGY.aims:
        assert any(h.value == aim.title for h in app.header)
    tiles = views.strategy_tiles(results, STRATEGY, "2024 H2", STRATEGY.area_code)
    decided = next(t for t in tiles if t.indicator_id == "requests_decided_3_days")
    assert f"### {decided.value_text}" in text
    engine = results[
        (results["indicator_id"] == "requests_decided_3_days")
        & (results["period"] == "2024 H2")
        & (results["area_type"] == "la")
        & (results["breakdown"] == "all")
    ]["value"].item()
    assert decided.value_text == f"{engine:.1f}%"
    assert any("Synthetic demo data" in w.value for w in app.warning)


def test_landing_page_for_a_ward_in_an_old_period(app: AppTest, results: pd.DataFrame) -> None:
    app.query_params["period"] = "2021 H1"
    app.query_params["area"] = WARD
    app.query_params["comparator"] = "region"
    app.run()
    assert not app.exception
    assert app.sidebar.selectbox[0].value == "2021 H1"
    tiles = views.strategy_tiles(results, STRATEGY, "2021 H1", WARD)
    text = markdown_text(app)
    for tile in tiles:
        assert f"### {tile.value_text}" in text
    assert "Baddeley, Milton and Norton" in text


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


def test_wards_page_ranks_every_ward(app: AppTest, results: pd.DataFrame) -> None:
    app.query_params["indicator"] = "requests_decided_3_days"
    app.switch_page("pages/wards.py")
    app.run()
    ranked = next(d.value for d in app.dataframe if "rank" in d.value.columns)
    expected = ward_views.ward_table(results, STRATEGY, "requests_decided_3_days", "2024 H2")
    assert len(ranked) == 37
    assert ranked["area_code"].tolist() == expected["area_code"].tolist()
    assert ranked["value"].tolist() == pytest.approx(expected["value"].tolist(), nan_ok=True)


def test_ward_profile_matches_the_engine(app: AppTest, results: pd.DataFrame) -> None:
    app.query_params["area"] = WARD
    app.switch_page("pages/ward_profile.py")
    app.run()
    profile = app.dataframe[0].value
    expected = ward_views.ward_profile(results, STRATEGY, "2024 H2", WARD)
    assert profile["Ward"].tolist() == expected["Ward"].tolist()
    assert len(profile) == len(
        [i for i in STRATEGY.indicators if i.measure.type != "share_by_category"]
    )


def test_jsna_page_compares_with_the_chosen_comparator(app: AppTest) -> None:
    app.query_params["comparator"] = "region"
    app.switch_page("pages/jsna.py")
    app.run()
    spine = app.dataframe[0].value
    assert {"cin_rate_per_10k", "rereferrals_12_months", "injury_admissions_0_14"} <= set(
        spine["indicator_id"]
    )
    assert spine["compared"].notna().all()


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
        from pages import aim  # importable: pytest runs from the project root

        aim.render(aim_id)

    app = AppTest.from_function(page, args=(aim_id,), default_timeout=120)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    titles = {i.title for i in STRATEGY.indicators if i.aim == aim_id}
    assert titles <= {h.value for h in app.header}
    assert small_counts(app) == []


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
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    refused = document["indicators"][0]
    refused["source"] = "quarantine"
    thrive = next(i for i in document["indicators"] if i["id"] == "thrive_mix_of_requests")
    thrive["source"] = "load_log"  # the landing page's own chart loses its data too
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("EARLY_HELP_CONFIG", str(config))
    monkeypatch.setenv("EARLY_HELP_WAREHOUSE", str(demo_warehouse))
    for page in ("dashboard.py", "pages/wards.py", "pages/front_door.py", "pages/catalogue.py"):
        app = AppTest.from_file(DASHBOARD, default_timeout=120)
        if page != "dashboard.py":
            app.switch_page(page)
        app.run()
        assert not app.exception, (page, [e.value for e in app.exception])
        if page == "pages/catalogue.py":  # the analysts' page lists check's own findings
            (error,) = [e.value for e in app.error]
            assert f"{refused['id']}.source: table 'quarantine' is not a table" in error
            continue
        warnings = [w.value for w in app.warning]
        assert any(
            f"**{refused['id']}**: source: table 'quarantine' is not a table analysts may read" in w
            for w in warnings
        ), (page, warnings)
