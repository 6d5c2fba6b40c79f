"""The publication is built at load, stored in the new warehouse, and is what `compute` gives.

Pages and packs read these tables only, so they are checked against the
engine computed afresh, for nothing small, and for what a failure does: a
load whose publication fails is never swapped in.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import quiet, write_extracts

from indicators.cli import main
from indicators.config import spec
from indicators.disclosure.publication import build_publication
from indicators.load.errors import LoadError
from indicators.load.warehouse import build_warehouse
from indicators.paths import CONFIG_PATH
from indicators.store import inventory, publication

STRATEGY = spec.load_strategy(CONFIG_PATH)
KEYS = ["indicator_id", "period", "area_code", "breakdown", "category"]


def ordered(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys).reset_index(drop=True)


def test_the_stored_publication_is_what_compute_gives(demo_warehouse: Path) -> None:
    computed = build_publication(demo_warehouse, STRATEGY)
    stored = publication.read(demo_warehouse, "results")
    assert len(stored) == len(computed.results) > 20_000
    pd.testing.assert_frame_equal(
        ordered(stored, KEYS), ordered(computed.results, KEYS), check_dtype=False
    )
    monthly = publication.read(demo_warehouse, "monthly")
    for indicator_id, series in computed.monthly.items():
        mine = monthly[monthly["indicator_id"] == indicator_id].sort_values("period")
        assert mine["period"].tolist() == series["period"].tolist()
        assert mine["value"].tolist() == pytest.approx(series["value"].tolist(), nan_ok=True)
        assert mine["suppressed"].tolist() == series["suppressed"].tolist()
    flows = publication.read(demo_warehouse, "flows")
    for period, links in computed.flows.items():
        mine = flows[flows["period"] == period].drop(columns="period").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, links, check_dtype=False)


def test_every_table_is_filled_and_names_its_load(demo_warehouse: Path) -> None:
    info = publication.info(demo_warehouse)
    assert info is not None and info.load_id == inventory.load_summary(demo_warehouse).load_id
    assert info.config_sha256 == hashlib.sha256(CONFIG_PATH.read_bytes()).hexdigest()
    assert inventory.load_summary(demo_warehouse).published
    tables = inventory.table_counts(demo_warehouse).set_index("table")
    mine = tables[tables.index.str.startswith("publication_")]
    empty_for_the_demo = {"publication_left_out", "publication_check"}  # nothing fails check
    assert (mine.drop(index=list(empty_for_the_demo))["rows"] > 0).all(), mine
    assert (mine.loc[list(empty_for_the_demo), "rows"] == 0).all()
    assert set(mine["holds"]) == {"the publication: figures as computed and protected at load"}


def test_no_published_table_shows_a_count_of_one_to_four(demo_warehouse: Path) -> None:
    counted = {
        "results": ["numerator"],
        "wards": ["numerator"],
        "funnel_points": ["numerator"],
        "flows": ["families"],
    }
    for table, columns in counted.items():
        frame = publication.read(demo_warehouse, table)
        for column in columns:
            small = frame[pd.to_numeric(frame[column]).between(1, 4)]
            assert small.empty, (table, column, small.head())
    monthly = publication.read(demo_warehouse, "monthly")
    assert monthly.loc[monthly["suppressed"], "value"].isna().all()


def test_a_failing_publication_fails_the_load_and_the_serving_warehouse_stays(
    serving_warehouse: Path, good_extracts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hashlib.sha256(serving_warehouse.read_bytes()).hexdigest()

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("indicators.publish.step.build_publication_frames", broken)
    with pytest.raises(LoadError) as raised:
        build_warehouse(good_extracts, serving_warehouse, progress=quiet)
    assert str(raised.value) == (
        f"{CONFIG_PATH}: the publication could not be built (ZeroDivisionError: division by "
        "zero); nothing was swapped in, the serving warehouse is unchanged"
    )
    assert hashlib.sha256(serving_warehouse.read_bytes()).hexdigest() == before
    assert [p.name for p in serving_warehouse.parent.iterdir()] == [serving_warehouse.name] or (
        not list(serving_warehouse.parent.glob(".build-*"))
    )


def test_ensure_builds_again_a_warehouse_from_before_the_publication(tmp_path: Path) -> None:
    extracts = write_extracts(tmp_path / "extracts")
    warehouse = tmp_path / "w.duckdb"
    build_warehouse(extracts, warehouse, progress=quiet)
    con = duckdb.connect(str(warehouse))
    con.execute("DROP TABLE publication_info")
    con.close()
    assert not publication.is_current(warehouse)
    assert main(["ensure", "--warehouse", str(warehouse), "--extracts", str(extracts)]) == 0
    assert publication.is_current(warehouse)
