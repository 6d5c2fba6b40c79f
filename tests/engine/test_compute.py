"""The engine against an independent recomputation in plain pandas, and YAML-only indicators.

The pandas side reads the raw demo extracts (dropping the rows the demo
manifest says it broke), the shipped reference CSVs and scipy, and shares
no code with the engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import DemoLoad
from scipy import stats

from indicators.config import spec
from indicators.engine.compute import TIDY_COLUMNS, compute_all
from indicators.paths import CONFIG_PATH, REFERENCE_DIR

STRATEGY = spec.load_strategy(CONFIG_PATH)


@pytest.fixture(scope="module")
def results(demo_warehouse: Path) -> pd.DataFrame:
    return compute_all(demo_warehouse, STRATEGY)


def clean_extract(folder: Path, table: str) -> pd.DataFrame:
    """The extract as pandas reads it, minus the rows the demo deliberately broke."""
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    frame["line"] = np.arange(2, len(frame) + 2)
    manifest = json.loads((folder / "demo_manifest.json").read_text())
    broken = {b["line"] for b in manifest["broken_rows"] if b["file"] == f"{table}.csv"}
    return frame[~frame["line"].isin(broken)].replace("", None)


def half_year(dates: pd.Series) -> pd.Series:
    start = dates.dt.year.where(dates.dt.month >= 4, dates.dt.year - 1)
    return start.astype(str) + np.where(dates.dt.month.between(4, 9), " H1", " H2")


def ward_of_lsoa() -> dict[str, str]:
    lookup = pd.read_csv(REFERENCE_DIR / "lookups/lsoa11_to_ward19_lad19_stoke.csv", dtype=str)
    return dict(zip(lookup["LSOA11CD"], lookup["WD19CD"], strict=True))


def engine_rows(results: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["area_type"] == "ward")
        & (results["period_type"] == "half_year")
        & ~results["suppressed"]
        & (results["area_code"] != "unknown")
    ]
    return rows.set_index(["period", "area_code"])


def assert_wilson_percent(engine: pd.DataFrame, x: pd.Series, n: pd.Series) -> None:
    """`engine`'s value and 95% Wilson limits (percent) are x/n's, worked out here with
    scipy's normal quantile, independently of the engine's methods."""
    x, n = x.astype(float), n.astype(float)
    z = stats.norm.ppf(0.975)
    centre = (x + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(x * (n - x) / n + z**2 / 4) / (n + z**2)
    np.testing.assert_allclose(engine["value"], 100 * x / n, rtol=1e-12)
    np.testing.assert_allclose(engine["lower_ci"], 100 * (centre - half), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(engine["upper_ci"], 100 * (centre + half), rtol=1e-9)


def test_tidy_frame_has_the_architecture_columns(results: pd.DataFrame) -> None:
    assert list(results.columns) == TIDY_COLUMNS
    assert set(results["indicator_id"]) == {i.id for i in STRATEGY.indicators}
    assert set(results["period_type"]) == {"half_year", "financial_year"}


def test_proportion_matches_pandas(demo_load: DemoLoad, results: pd.DataFrame) -> None:
    """Requests decided within 3 working days, per ward and half-year, with Wilson limits."""
    requests = clean_extract(demo_load.extracts, "requests")
    received = pd.to_datetime(requests["received_date"])
    decided = pd.to_datetime(requests["decision_date"])
    requests["ward"] = requests["lsoa_code"].map(ward_of_lsoa()).fillna(requests["ward_code"])
    requests["period"] = half_year(received)
    has_decision = decided.notna()
    days = np.full(len(requests), np.nan)
    days[has_decision.to_numpy()] = np.busday_count(
        (received[has_decision] + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]"),
        (decided[has_decision] + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]"),
    )
    requests["within"] = days <= 3
    expected = (
        requests[has_decision]
        .groupby(["period", "ward"])
        .agg(numerator_pandas=("within", "sum"), denominator_pandas=("request_id", "nunique"))
        .rename_axis(["period", "area_code"])
    )
    engine = engine_rows(results, "requests_decided_3_days")
    joined = engine.join(expected, how="inner")
    assert len(joined) > 0.8 * len(engine) and len(joined) > 300
    assert (joined["numerator"] == joined["numerator_pandas"]).all()
    assert (joined["denominator"] == joined["denominator_pandas"]).all()
    assert_wilson_percent(joined, joined["numerator_pandas"], joined["denominator_pandas"])


def small_area_children() -> pd.DataFrame:
    """Children 0-17 per ward for each mid-year estimate shipped (2017, 2019, 2020)."""
    frames = []
    for year in (2017, 2019, 2020):
        name = f"population/ons_sape_mid{year}_persons_syoa_stoke_lsoa11.csv"
        raw = pd.read_csv(REFERENCE_DIR / name)
        children = raw[[str(a) for a in range(18)]].sum(axis=1)
        frame = pd.DataFrame(
            {"ward": raw["lsoa11_code"].map(ward_of_lsoa()), "children": children, "year": year}
        )
        frames.append(frame.groupby(["ward", "year"], as_index=False)["children"].sum())
    return pd.concat(frames)


def test_rate_matches_pandas(demo_load: DemoLoad, results: pd.DataFrame) -> None:
    """Requests per 10,000 children per ward, with the nearest small-area estimate."""
    requests = clean_extract(demo_load.extracts, "requests")
    requests["ward"] = requests["lsoa_code"].map(ward_of_lsoa()).fillna(requests["ward_code"])
    requests["period"] = half_year(pd.to_datetime(requests["received_date"]))
    counted = (
        requests.groupby(["period", "ward"])["request_id"]
        .nunique()
        .rename("count")
        .rename_axis(["period", "area_code"])
    )
    population = small_area_children()
    estimate_years = np.array([2017, 2019, 2020])
    engine = engine_rows(results, "requests_per_10k")
    joined = engine.join(counted, how="inner")
    assert len(joined) > 0.8 * len(engine) and len(joined) > 300
    assert (joined["numerator"] == joined["count"]).all()
    for (period, ward), row in joined.iterrows():
        year = int(period[:4])
        nearest = estimate_years[
            np.argmin(np.abs(estimate_years - year) * 2 + (estimate_years > year))
        ]
        children = population[(population["ward"] == ward) & (population["year"] == nearest)]
        assert row["denominator"] == children["children"].item()
        assert row["value"] == pytest.approx(row["count"] / row["denominator"] * 10_000)
        x, z = row["count"], stats.norm.ppf(0.975)
        if x < 10:  # exact Poisson limits
            lower = stats.chi2.ppf(0.025, 2 * x) / 2 if x > 0 else 0.0
            upper = stats.chi2.ppf(0.975, 2 * x + 2) / 2
        else:  # Byar's approximation
            lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
            upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
        scale = 10_000 / row["denominator"]
        assert row["lower_ci"] == pytest.approx(lower * scale, rel=1e-9)
        assert row["upper_ci"] == pytest.approx(upper * scale, rel=1e-9)


def test_mean_matches_pandas(demo_load: DemoLoad, results: pd.DataFrame) -> None:
    """Mean change in outcome score per ward and half-year, with Student t limits."""
    outcomes = clean_extract(demo_load.extracts, "outcomes")
    episodes = clean_extract(demo_load.extracts, "episodes")
    ward = episodes["lsoa_code"].map(ward_of_lsoa()).fillna(episodes["ward_code"])
    outcomes["ward"] = outcomes["episode_id"].map(
        dict(zip(episodes["episode_id"], ward, strict=True))
    )
    outcomes = outcomes[outcomes["score_end"].notna()]
    outcomes["change"] = outcomes["score_end"].astype(int) - outcomes["score_start"].astype(int)
    outcomes["period"] = half_year(pd.to_datetime(outcomes["recorded_date"]))
    grouped = outcomes.rename(columns={"ward": "area_code"}).groupby(["period", "area_code"])[
        "change"
    ]
    expected = pd.DataFrame({"mean": grouped.mean(), "n": grouped.count(), "sd": grouped.std()})
    engine = engine_rows(results, "mean_outcome_change")
    joined = engine.join(expected, how="inner")
    assert len(joined) > 0.8 * len(engine) and len(joined) > 300
    assert (joined["numerator"] == joined["n"]).all()
    np.testing.assert_allclose(joined["value"], joined["mean"], rtol=1e-12)
    lower, upper = stats.t.interval(
        0.95, joined["n"] - 1, loc=joined["mean"], scale=joined["sd"] / np.sqrt(joined["n"])
    )
    np.testing.assert_allclose(joined["lower_ci"], lower, rtol=1e-9)
    np.testing.assert_allclose(joined["upper_ci"], upper, rtol=1e-9)


def test_a_new_indicator_is_yaml_only(tmp_path: Path, demo_load: DemoLoad) -> None:
    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    document["indicators"].append(
        {
            "id": "requests_from_schools",
            "aim": "access",
            "title": "Requests from schools",
            "description": "Share of requests made by schools.",
            "source": "requests",
            "date": "received_date",
            "measure": {
                "type": "proportion",
                "numerator": {"count_distinct": "request_id", "where": "source = 'school'"},
                "denominator": {"count_distinct": "request_id"},
                "multiplier": 100,
            },
            "unit": "%",
            "polarity": "no_judgement",
            "ci": "wilson",
            "breakdowns": ["ward"],
            "owner": "Analyst",
        }
    )
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    from indicators.config.check import check_file

    assert check_file(config, demo_load.warehouse) == []
    strategy = spec.load_strategy(config)
    frame = compute_all(demo_load.warehouse, strategy)
    new = frame[frame["indicator_id"] == "requests_from_schools"]
    half_years = {f"{y} H{h}" for y in range(2019, 2025) for h in (1, 2)}
    assert set(new["period"]) >= half_years | {
        f"{y}/{(y + 1) % 100:02d}" for y in range(2019, 2025)
    }
    wards = new[(new["area_type"] == "ward") & (new["area_code"] != "unknown")]
    assert wards.groupby("period")["area_code"].nunique().min() == 37


def _one_indicator_config(tmp_path: Path, **changes: object) -> Path:
    """The shipped file cut to its first indicator, with `changes` made to that indicator."""
    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    document["indicators"] = document["indicators"][:1]
    document["indicators"][0].update(changes)
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return config


def test_analyst_sql_that_reads_a_file_is_refused_before_it_runs(
    tmp_path: Path, demo_load: DemoLoad
) -> None:
    from indicators.config.check import DefinitionsRefused

    config = _one_indicator_config(
        tmp_path, where="request_id NOT IN (SELECT column0 FROM read_csv('/etc/passwd'))"
    )
    with pytest.raises(DefinitionsRefused) as refused:
        compute_all(demo_load.warehouse, spec.load_strategy(config))
    assert refused.value.refused == {
        "requests_per_10k": [
            "where: table function read_csv() is not allowed in a fragment [forbidden_sql]",
            "where: READ_CSV('/etc/passwd') is a table function on postgres: not allowed "
            "[unsafe_for_engine]",
            "where: READ_CSV('/etc/passwd') is a table function on spark: not allowed "
            "[unsafe_for_engine]",
        ]
    }
    assert str(refused.value).startswith(
        "indicator requests_per_10k fails check and was not computed: where: table function"
    )


def test_analyst_sql_run_without_check_still_cannot_touch_files(
    tmp_path: Path, demo_load: DemoLoad
) -> None:
    """Defence in depth: the reader itself has file access switched off."""
    import duckdb

    from indicators.engine.compute import counts
    from indicators.store import readers

    config = _one_indicator_config(
        tmp_path, where="request_id NOT IN (SELECT column0 FROM read_csv('/etc/passwd'))"
    )
    indicator = spec.load_strategy(config).indicators[0]
    with (
        readers.connect(demo_load.warehouse) as con,
        pytest.raises(duckdb.PermissionException, match="disabled by configuration"),
    ):
        counts(con, indicator)


def test_indicator_dated_by_another_column_uses_that_column(
    demo_load: DemoLoad, results: pd.DataFrame
) -> None:
    """Closures are counted by end date in both half-years and financial years."""
    episodes = clean_extract(demo_load.extracts, "episodes")
    closed = episodes[episodes["end_date"].notna()].copy()
    ended = pd.to_datetime(closed["end_date"])
    start_year = ended.dt.year.where(ended.dt.month >= 4, ended.dt.year - 1)
    closed["financial_year"] = (
        start_year.astype(str) + "/" + ((start_year + 1) % 100).astype(str).str.zfill(2)
    )
    closed["half_year"] = half_year(ended)
    closed["up"] = closed["closure_reason"] == "stepped_up_to_social_care"
    city = results[
        (results["indicator_id"] == "closures_stepped_up")
        & (results["area_type"] == "la")
        & (results["breakdown"] == "all")
    ]
    for period_type, column in (("financial_year", "financial_year"), ("half_year", "half_year")):
        expected = closed.groupby(column).agg(
            numerator=("up", "sum"), denominator=("episode_id", "nunique")
        )
        engine = city[city["period_type"] == period_type].set_index("period")
        assert engine["numerator"].to_dict() == expected["numerator"].astype(float).to_dict()
        assert engine["denominator"].to_dict() == expected["denominator"].astype(float).to_dict()


RUNAWAY = (
    "EXISTS (SELECT 1 FROM requests a, requests b, requests c "
    "WHERE a.request_id || b.request_id || c.request_id = 'x')"
)


def test_a_runaway_query_stops_within_the_time_limit_naming_its_indicator(
    tmp_path: Path, demo_load: DemoLoad, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from indicators.config.check import check_file
    from indicators.engine.compute import monthly
    from indicators.store.limits import QueryStopped

    monkeypatch.setenv("EARLY_HELP_QUERY_SECONDS", "2")
    config = _one_indicator_config(tmp_path, where=RUNAWAY)
    # A legitimate-looking definition: check finds nothing wrong with the indicator itself.
    assert [
        i for i in check_file(config, demo_load.warehouse) if i.indicator_id == "requests_per_10k"
    ] == []
    strategy = spec.load_strategy(config)
    expected = (
        "indicator requests_per_10k: stopped after 2 s, the time limit for one query "
        "(EARLY_HELP_QUERY_SECONDS)"
    )
    for run in (
        lambda: compute_all(demo_load.warehouse, strategy),
        lambda: monthly(demo_load.warehouse, strategy.indicators[0]),
    ):
        started = time.perf_counter()
        with pytest.raises(QueryStopped) as stopped:
            run()
        assert str(stopped.value) == expected
        assert time.perf_counter() - started < 8


def test_the_dashboard_leaves_out_a_refused_or_stopped_indicator_and_names_it(
    tmp_path: Path, demo_load: DemoLoad, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indicators.engine.compute import compute_served

    monkeypatch.setenv("EARLY_HELP_QUERY_SECONDS", "2")
    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    document["indicators"] = document["indicators"][:4]
    document["indicators"][0]["source"] = "quarantine"
    document["indicators"][1]["where"] = RUNAWAY
    document["indicators"][2]["where"] = "CAST(source AS INTEGER) > 0"  # fails on the data
    config = tmp_path / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    served = compute_served(demo_load.warehouse, spec.load_strategy(config))
    first, second, third, fourth = (i["id"] for i in document["indicators"])
    assert set(served.results["indicator_id"]) == {fourth}
    assert list(served.left_out) == [first, second, third]
    (failure,) = served.left_out[third]
    assert failure.startswith("Conversion Error: Could not convert string '")
    assert served.left_out[first][0].startswith(
        "source: table 'quarantine' is not a table analysts may read"
    )
    assert served.left_out[second] == [
        f"indicator {second}: stopped after 2 s, the time limit for one query "
        "(EARLY_HELP_QUERY_SECONDS)"
    ]
