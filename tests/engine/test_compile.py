"""The SQL each shipped indicator compiles to, per engine, kept as reviewed snapshots.

A change in generated SQL shows up as a diff in `tests/engine/snapshots/` (DuckDB) and
`tests/engine/snapshots/<engine>/` (PostgreSQL, Spark SQL, via SQLGlot). After an
intended change, regenerate with `UPDATE_SNAPSHOTS=1 pytest tests/engine/test_compile.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indicators.config import spec
from indicators.engine.compile import compile_indicator, compile_monthly
from indicators.engine.dialects import ENGINES, portability_problems, transpile
from indicators.paths import CONFIG_PATH

SNAPSHOTS = Path(__file__).with_name("snapshots")
STRATEGY = spec.load_strategy(CONFIG_PATH)


def snapshot_path(engine: str, indicator_id: str) -> Path:
    folder = SNAPSHOTS if engine == "duckdb" else SNAPSHOTS / engine
    return folder / f"{indicator_id}.sql"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("indicator", STRATEGY.indicators, ids=lambda i: i.id)
def test_generated_sql_matches_its_snapshot(indicator: spec.Indicator, engine: str) -> None:
    sql = transpile(compile_indicator(indicator), engine) + "\n"
    snapshot = snapshot_path(engine, indicator.id)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(sql, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot for {indicator.id}: run with UPDATE_SNAPSHOTS=1"
    assert sql == snapshot.read_text(encoding="utf-8")


def test_every_snapshot_belongs_to_an_indicator() -> None:
    ids = {i.id for i in STRATEGY.indicators}
    assert {p.stem for p in SNAPSHOTS.rglob("*.sql")} <= ids


def test_one_query_with_grouping_sets_per_indicator() -> None:
    sql = compile_indicator(STRATEGY.indicator("requests_decided_3_days"))
    assert sql.count("GROUPING SETS") == 1
    assert '(__half_year, "__by_ward")' in sql and '(__financial_year, "__by_source")' in sql


def test_shipped_definitions_are_portable_and_macros_are_not() -> None:
    for indicator in STRATEGY.indicators:
        assert portability_problems(compile_indicator(indicator)) == {}, indicator.id
    problems = portability_problems("SELECT review_period(received_date) FROM requests")
    assert set(problems) == {"postgres", "spark"}
    assert "review_period" in problems["postgres"]


def test_source_reaches_sql_only_as_a_quoted_identifier() -> None:
    """Check refuses such a source; even unchecked, compile cannot be made to read another table."""
    import dataclasses

    hostile = 'requests" r, quarantine q WHERE "1'
    indicator = dataclasses.replace(STRATEGY.indicators[0], source=hostile)
    for sql in (compile_indicator(indicator), compile_monthly(indicator)):
        assert '  FROM "requests"" r, quarantine q WHERE ""1"\n' in sql
        assert "FROM requests" not in sql
