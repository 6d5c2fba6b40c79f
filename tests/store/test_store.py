"""The process's one sandboxed reader: concurrent use, swaps, and what it refuses to do."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import duckdb
import pandas as pd
import pytest
from conftest import quiet, write_extracts

from indicators.config import check, spec
from indicators.engine import compute, flow
from indicators.load.staging import LoadError
from indicators.load.warehouse import build_warehouse
from indicators.paths import CONFIG_PATH
from indicators.store import inventory, readers

STRATEGY = spec.load_strategy(CONFIG_PATH)
# A few indicators of each kind keep sixteen concurrent computes quick on two cores.
SOME = dataclasses.replace(STRATEGY, indicators=STRATEGY.indicators[:4])
MONTHLY = next(i for i in STRATEGY.indicators if i.monthly)


def _work(warehouse: Path) -> list[Callable[[], object]]:
    """Everything a dashboard process reads from the warehouse, one job each."""
    return [
        lambda: compute.compute_all(warehouse, SOME),
        lambda: inventory.table_counts(warehouse),
        lambda: inventory.load_log(warehouse),
        lambda: inventory.quarantine_by_reason(warehouse),
        lambda: flow.front_door_links(warehouse, "2020 H2"),
        lambda: compute.monthly(warehouse, MONTHLY),
        lambda: check.refusals(SOME, warehouse),
        lambda: inventory.load_summary(warehouse),
    ]


def _same(left: object, right: object) -> bool:
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right)
        return True
    return left == right


def test_sixteen_threads_at_once_give_the_sequential_results(serving_warehouse: Path) -> None:
    jobs = _work(serving_warehouse)
    sequential = [job() for job in jobs]
    sixteen = [jobs[i % len(jobs)] for i in range(16)]
    start = Barrier(16)

    def run(job: Callable[[], object]) -> object:
        start.wait()  # all sixteen begin together
        return job()

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(run, sixteen))
    for i, result in enumerate(results):
        assert _same(result, sequential[i % len(jobs)])


def test_two_readings_of_one_file_share_one_sandboxed_connection(
    serving_warehouse: Path,
) -> None:
    with readers.connect(serving_warehouse) as first, readers.connect(serving_warehouse) as second:
        assert first.execute("SELECT count(*) FROM requests").fetchall() == [(4,)]
        assert second.execute("SELECT count(*) FROM requests").fetchall() == [(4,)]
        assert len({id(r.connection) for r in readers._readers.values()}) == len(readers._readers)


def test_the_reader_cannot_read_files_nor_lift_its_limits(serving_warehouse: Path) -> None:
    with readers.connect(serving_warehouse) as cur:
        with pytest.raises(duckdb.PermissionException, match="disabled by configuration"):
            cur.execute("SELECT * FROM read_csv('/etc/passwd')")
        for setting in (
            "SET enable_external_access = true",
            "SET memory_limit = '100GB'",
            "SET lock_configuration = false",
        ):
            with pytest.raises(duckdb.InvalidInputException, match="configuration has been locked"):
                cur.execute(setting)
        with pytest.raises(duckdb.Error, match="read-only"):
            cur.execute("CREATE TABLE requests_copy AS SELECT * FROM requests")


def test_a_swapped_in_load_gets_a_new_reader_and_the_old_one_is_closed_when_free(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    rows = "SELECT count(*) FROM feedback"
    changed = write_extracts(
        tmp_path / "new",
        {
            "feedback": [
                "episode_id,response_date,satisfaction,would_recommend",
                "E1,2019-12-05,5,true",
                "E2,2021-06-02,4,false",
            ]
        },
    )
    with readers.connect(serving_warehouse) as old:
        old_reader = readers._readers[str(serving_warehouse.resolve())]
        build_warehouse(changed, serving_warehouse, progress=quiet)
        with readers.connect(serving_warehouse) as new:
            assert new.execute(rows).fetchall() == [(2,)]
        assert old.execute(rows).fetchall() == [(1,)]  # a query under way keeps its load
        assert old_reader.retired and old_reader.cursors == 1
    assert old_reader.cursors == 0
    with pytest.raises(duckdb.ConnectionException):
        old_reader.connection.execute("SELECT 1")
    assert not old_reader.spill.exists()


def test_a_query_past_the_memory_and_spill_limits_stops_naming_its_indicator(
    tmp_path: Path, serving_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indicators.store.limits import QueryStopped

    monkeypatch.setenv("EARLY_HELP_QUERY_MEMORY", "64MB")
    monkeypatch.setenv("EARLY_HELP_QUERY_SPILL", "64MB")
    copy = Path(shutil.copy(serving_warehouse, tmp_path / "copy.duckdb"))  # a reader of its own
    hungry = "SELECT count(DISTINCT i::VARCHAR || 'x') FROM range(20000000) t(i)"
    with readers.connect(copy) as cur, pytest.raises(QueryStopped) as stopped:
        compute.run_analyst_sql(cur, STRATEGY.indicators[0], hungry)
    assert str(stopped.value) == (
        "indicator requests_per_10k: stopped, it needed more than the 64MB memory limit "
        "(EARLY_HELP_QUERY_MEMORY) and 64MB of spill (EARLY_HELP_QUERY_SPILL)"
    )
    with readers.connect(copy) as cur:  # the reader is still there for the next query
        assert cur.execute("SELECT count(*) FROM requests").fetchall() == [(4,)]


def test_only_the_unsandboxed_reader_writes_files_and_it_is_read_only(
    serving_warehouse: Path, tmp_path: Path
) -> None:
    """`connect(path, sandboxed=False)` is for exports: files yes, changes to the warehouse no."""
    out = tmp_path / "requests.parquet"
    with readers.connect(serving_warehouse, sandboxed=False) as con:
        con.execute(f"COPY requests TO '{out}' (FORMAT parquet)")
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("DELETE FROM requests")
    assert len(pd.read_parquet(out)) == 4
    with readers.connect(serving_warehouse) as cur, pytest.raises(duckdb.PermissionException):
        cur.execute(f"COPY requests TO '{tmp_path / 'again.parquet'}' (FORMAT parquet)")


@pytest.mark.parametrize("sandboxed", [True, False])
def test_no_warehouse_is_a_clear_error_either_way(tmp_path: Path, sandboxed: bool) -> None:
    with (
        pytest.raises(LoadError, match="no warehouse yet"),
        readers.connect(tmp_path / "none.duckdb", sandboxed=sandboxed),
    ):
        pass
