"""The front-door flow and the monthly SPC series: counts, and nothing small shown."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import compute, spec, views
from indicators.demo import generate_demo
from indicators.flow import front_door_flow, withhold_small_links
from indicators.paths import CONFIG_PATH
from indicators.warehouse import build_warehouse

STRATEGY = spec.load_strategy(CONFIG_PATH)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extracts = generate_demo(tmp_path_factory.mktemp("demo"), seed=9).out_dir
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build_warehouse(extracts, path, progress=lambda _m: None)
    return path


def test_front_door_counts_add_up(warehouse: Path) -> None:
    import duckdb

    links = front_door_flow(warehouse, "2022 H2", 5)
    con = duckdb.connect(str(warehouse), read_only=True)
    received = con.execute(
        "SELECT count(*) FROM requests WHERE review_period(received_date) = '2022 H2'"
    ).fetchall()[0][0]
    decisions = links[links["source"] == "Requests received"]
    assert decisions["families"].sum() == received
    started = links[(links["target"] == "Episode started")]["families"].sum()
    closed = links[links["source"] == "Episode started"]["families"].sum()
    assert closed == started


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_no_step_hides_exactly_one_link(counts: list[int]) -> None:
    links = pd.DataFrame(
        {"source": "A", "target": [f"t{i}" for i in range(len(counts))], "families": counts}
    )
    out = withhold_small_links(links, 5)
    hidden = out["suppressed"]
    assert not out.loc[~hidden, "families"].between(1, 4).any()
    assert hidden.sum() != 1 or len(out) == 1


def test_monthly_series_withholds_whole_half_years(warehouse: Path) -> None:
    indicator = STRATEGY.indicator("requests_decided_3_days")
    series = compute.monthly(warehouse, STRATEGY, indicator)
    assert len(series) == 72 and series["period"].iloc[0] == "2019-04"
    assert not series.loc[~series["suppressed"], "numerator"].between(1, 4).any()
    # With a threshold above every count, every month is withheld.
    strict = dataclasses.replace(indicator, min_count=10**9)
    assert compute.monthly(warehouse, STRATEGY, strict)["suppressed"].all()


def test_spc_is_rebased_when_the_strategy_started(warehouse: Path) -> None:
    indicator = STRATEGY.indicator("requests_decided_3_days")
    series = compute.monthly(warehouse, STRATEGY, indicator)
    chart = views.spc_view(series, indicator, STRATEGY)
    before = chart[chart["period"] < "2020-10"]["mean"].unique()
    after = chart[chart["period"] >= "2020-10"]["mean"].unique()
    assert len(before) == 1 and len(after) == 1 and after[0] > before[0]
    assert np.isclose(before[0], series.loc[series["period"] < "2020-10", "value"].mean())
    assert chart.attrs["assurance"]
