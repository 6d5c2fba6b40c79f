"""Parity: the whole catalogue on DuckDB, PostgreSQL and Spark gives the same figures.

Every indicator's compiled query runs on each engine over the same demo data;
numerators and denominators must match exactly for every indicator, period
and area, and values and intervals (the same statistics applied to them) to
1e-9. An engine that cannot start on this machine is skipped with the reason.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_servers import EngineUnavailable, postgres_server, spark_runner

from indicators.config import spec
from indicators.engine.compute import add_statistics, counts
from indicators.engine.runners import EngineRefused, PostgresRunner, export_tables
from indicators.paths import CONFIG_PATH
from indicators.store import readers
from indicators.store.limits import QueryLimits, QueryStopped

pytestmark = pytest.mark.engines
STRATEGY = spec.load_strategy(CONFIG_PATH)
KEYS = ["period_type", "period", "breakdown", "category", "share_category"]
COUNTS = ["numerator", "denominator"]
FIGURES = ["value", "lower_ci", "upper_ci"]


@pytest.fixture(scope="module")
def parquet(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return export_tables(demo_warehouse, tmp_path_factory.mktemp("parquet"))


@pytest.fixture(scope="module")
def duckdb_counts(demo_warehouse: Path) -> dict[str, pd.DataFrame]:
    with readers.connect(demo_warehouse) as con:
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


# Analysts' SQL on PostgreSQL runs as a role with no file access, read-only, with a timeout.


@pytest.fixture(scope="module")
def postgres(parquet: dict[str, Path]) -> Iterator[tuple[PostgresRunner, str]]:
    try:
        with postgres_server() as dsn:
            engine = PostgresRunner(dsn, limits=QueryLimits(seconds=2))
            engine.load(parquet)
            yield engine, dsn
            engine.close()
    except EngineUnavailable as reason:
        pytest.skip(f"postgres cannot run here: {reason}")


def test_postgres_analyst_sql_cannot_read_a_server_file(postgres) -> None:
    engine, _ = postgres
    reads = dataclasses.replace(STRATEGY.indicators[0], where="pg_read_file('/etc/passwd') <> ''")
    with pytest.raises(QueryStopped) as stopped:
        engine.counts(reads)
    assert str(stopped.value) == (
        "indicator requests_per_10k: PostgreSQL refused it: "
        "permission denied for function pg_read_file"
    )


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        (
            "COPY requests TO '{out}'",
            "must be superuser or have privileges of the pg_write_server_files role "
            "to COPY to a file",
        ),
        (
            "COPY requests FROM '/etc/passwd'",
            "must be superuser or have privileges of the pg_read_server_files role "
            "to COPY from a file",
        ),
        (
            "COPY (SELECT 1) TO PROGRAM 'touch {out}'",
            "must be superuser or have privileges of the pg_execute_server_program role "
            "to COPY to or from an external program",
        ),
        (
            "SELECT 1; COPY requests TO '{out}'",
            "cannot insert multiple commands into a prepared statement",
        ),
        (
            "SELECT set_config('role', 'postgres', false)",
            'permission denied to set role "postgres"',
        ),
        ("CREATE TABLE x AS SELECT 1", "cannot execute CREATE TABLE AS in a read-only transaction"),
    ],
)
def test_postgres_sandbox_refuses_files_programs_chains_and_writes(
    postgres, tmp_path: Path, query: str, refusal: str
) -> None:
    engine, _ = postgres
    out = tmp_path / "x"
    with pytest.raises(QueryStopped) as stopped:
        engine.run_analyst_sql(query.format(out=out), "indicator attack")
    assert str(stopped.value).startswith(f"indicator attack: PostgreSQL refused it: {refusal}")
    assert not out.exists()


def test_postgres_query_stops_at_the_time_limit(postgres) -> None:
    import time

    engine, _ = postgres
    started = time.perf_counter()
    with pytest.raises(QueryStopped) as stopped:
        engine.run_analyst_sql("SELECT pg_sleep(30)", "indicator slow")
    assert str(stopped.value) == (
        "indicator slow: stopped after 2 s, the time limit for one query (EARLY_HELP_QUERY_SECONDS)"
    )
    assert time.perf_counter() - started < 6


def test_postgres_runner_refuses_a_superuser_for_analysts_sql(
    postgres, parquet: dict[str, Path]
) -> None:
    _, dsn = postgres
    engine = PostgresRunner(dsn, analyst_dsn=dsn)
    try:
        with pytest.raises(EngineRefused) as refused:
            engine.load(parquet)
    finally:
        engine.close()
    assert str(refused.value) == (
        "PostgreSQL: analysts' SQL would run as 'postgres', which can reach server files "
        "(superuser, pg_read_server_files, pg_write_server_files, pg_execute_server_program); "
        "give a role without them (--analyst-dsn)"
    )


def test_a_runaway_query_stops_at_the_time_limit_on_every_engine(runner) -> None:
    import time

    runaway = "SELECT count(*) FROM requests a, requests b, requests c, requests d"
    kept, runner.limits = runner.limits, QueryLimits(seconds=3)
    started = time.perf_counter()
    try:
        with pytest.raises(QueryStopped) as stopped:
            runner.run_analyst_sql(runaway, "indicator runaway")
    finally:
        runner.limits = kept
    assert str(stopped.value) == (
        "indicator runaway: stopped after 3 s, the time limit for one query "
        "(EARLY_HELP_QUERY_SECONDS)"
    )
    assert time.perf_counter() - started < 15
