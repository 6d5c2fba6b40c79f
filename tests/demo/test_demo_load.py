"""The demo extracts through the real loader: quarantine finds exactly the planted defects."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from indicators.demo.generate import generate_demo
from indicators.load.warehouse import build_warehouse


def test_quarantine_holds_exactly_the_rows_the_demo_broke(tmp_path: Path) -> None:
    extracts = generate_demo(tmp_path / "demo", seed=11).out_dir
    report = build_warehouse(extracts, tmp_path / "w.duckdb", progress=lambda _m: None)
    assert report.is_demo
    planted = pd.DataFrame(json.loads((extracts / "demo_manifest.json").read_text())["broken_rows"])
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    found = con.execute("SELECT file, line, reason FROM quarantine WHERE table_name <> 'jsna'").df()
    merged = planted.merge(found, on=["file", "line"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["kind"] == merged["reason"]).all()
    assert len(planted) > 500 and planted["kind"].nunique() == 13
    log = con.execute(
        "SELECT sum(rows_read), sum(rows_kept), sum(rows_quarantined) FROM load_log "
        "WHERE kind = 'extract'"
    ).fetchall()[0]
    assert log[0] == log[1] + log[2] and log[2] == len(planted)
