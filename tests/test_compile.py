"""The SQL each shipped indicator compiles to, kept as a reviewed snapshot.

A change in generated SQL shows up as a diff in `tests/snapshots/`. After an
intended change, regenerate with `UPDATE_SNAPSHOTS=1 pytest tests/test_compile.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indicators import spec
from indicators.compile import compile_indicator
from indicators.paths import CONFIG_PATH

SNAPSHOTS = Path(__file__).with_name("snapshots")
STRATEGY = spec.load_strategy(CONFIG_PATH)


@pytest.mark.parametrize("indicator", STRATEGY.indicators, ids=lambda i: i.id)
def test_generated_sql_matches_its_snapshot(indicator: spec.Indicator) -> None:
    sql = compile_indicator(indicator, STRATEGY.area_code) + "\n"
    snapshot = SNAPSHOTS / f"{indicator.id}.sql"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(sql, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot for {indicator.id}: run with UPDATE_SNAPSHOTS=1"
    assert sql == snapshot.read_text(encoding="utf-8")


def test_every_snapshot_belongs_to_an_indicator() -> None:
    ids = {i.id for i in STRATEGY.indicators}
    assert {p.stem for p in SNAPSHOTS.glob("*.sql")} <= ids


def test_one_query_with_grouping_sets_per_indicator() -> None:
    sql = compile_indicator(STRATEGY.indicator("requests_decided_3_days"), STRATEGY.area_code)
    assert sql.count("GROUPING SETS") == 1
    assert '(__half_year, "__by_ward")' in sql and '(__financial_year, "__by_source")' in sql
