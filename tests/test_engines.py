"""Parity: the whole catalogue on DuckDB, PostgreSQL and Spark gives the same figures.

Every indicator's compiled query runs on each engine over the same demo data;
numerators and denominators must match exactly for every indicator, period
and area, and values and intervals (the same statistics applied to them) to
1e-9. An engine that cannot start on this machine is skipped with the reason.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_servers import EngineUnavailable, postgres_server, spark_runner

from indicators import spec, store
from indicators.compute import add_statistics, counts
from indicators.demo import generate_demo
from indicators.engine_runners import PostgresRunner, export_tables
from indicators.paths import CONFIG_PATH
from indicators.warehouse import build_warehouse

STRATEGY = spec.load_strategy(CONFIG_PATH)
KEYS = ["period_type", "period", "breakdown", "category", "share_category"]
COUNTS = ["numerator", "denominator"]
FIGURES = ["value", "lower_ci", "upper_ci"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extracts = generate_demo(tmp_path_factory.mktemp("demo"), seed=8).out_dir
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build_warehouse(extracts, path, progress=lambda _m: None)
    return path


@pytest.fixture(scope="module")
def parquet(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return export_tables(warehouse, tmp_path_factory.mktemp("parquet"))


@pytest.fixture(scope="module")
def duckdb_counts(warehouse: Path) -> dict[str, pd.DataFrame]:
    with store.reading(warehouse) as con:
        return {i.id: counts(con, i) for i in STRATEGY.indicators}


@pytest.fixture(scope="module", params=["postgres", "spark"])
def runner(request: pytest.FixtureRequest, parquet: dict[str, Path]) -> Iterator:
    try:
        if request.param == "postgres":
            with postgres_server() as dsn:
                engine = PostgresRunner(dsn)
                engine.load(parquet)
                yield engine
                engine.close()
        else:
            engine = spark_runner()
            engine.load(parquet)
            yield engine
            engine.close()
    except EngineUnavailable as reason:
        pytest.skip(f"{request.param} cannot run here: {reason}")


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in KEYS:
        out[column] = out[column].astype("string").fillna("")
    for column in [*COUNTS, "statistic", "spread", "population_year"]:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    return out.sort_values(KEYS).reset_index(drop=True)


@pytest.mark.parametrize("indicator", STRATEGY.indicators, ids=lambda i: i.id)
def test_same_figures_on_every_engine(
    runner, duckdb_counts, indicator: spec.Indicator, record_property
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _normalised(runner.counts(indicator))
    ours = _normalised(duckdb_counts[indicator.id])
    record_property("rows_compared", len(ours))
    assert len(ours) > 0 and len(theirs) == len(ours)
    assert theirs[KEYS].equals(ours[KEYS])
    np.testing.assert_array_equal(theirs[COUNTS].to_numpy(), ours[COUNTS].to_numpy())
    np.testing.assert_allclose(theirs["statistic"], ours["statistic"], rtol=1e-9)
    a, b = add_statistics(theirs, indicator), add_statistics(ours, indicator)
    np.testing.assert_allclose(
        a[FIGURES].to_numpy(float), b[FIGURES].to_numpy(float), rtol=1e-9, equal_nan=True
    )
