"""The other-system demo: the same story in another system's shape, loaded through its mapping.

Loading `demo --layout other-system` with `--mapping other-system` must give
the contract demo's warehouse table by table (its publication's figures to
the last bit but one), and quarantine the same
planted rows (same line, column and reason) under the workbook's sheet names.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import DEMO_SEED, DemoLoad, quiet
from test_profile import planted_by_reason, reported_by_reason
from test_warehouse import fingerprint

from indicators.demo.generate import MANIFEST
from indicators.demo.other_system import MAPPING_PATH, generate_other_system
from indicators.load.mapped import read_mapping
from indicators.load.profile import profile_extracts
from indicators.load.warehouse import build_warehouse


@pytest.fixture(scope="module")
def other_system(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(extract folder, warehouse) of the other-system demo with the shared demo's seed."""
    folder = tmp_path_factory.mktemp("other-system")
    extracts = generate_other_system(folder / "extracts", seed=DEMO_SEED).out_dir
    warehouse = folder / "warehouse.duckdb"
    build_warehouse(extracts, warehouse, progress=quiet, mapping=read_mapping("other-system"))
    return extracts, warehouse


def same_figures(one: Path, other: Path, table: str) -> bool:
    """Equal row for row, floats to 1e-12 relative: a standard deviation summed over the
    same rows stored in another order differs in its last bit."""
    frames = []
    for path in (one, other):
        con = duckdb.connect(str(path), read_only=True)
        try:
            frames.append(con.execute(f"SELECT * FROM {table} ORDER BY ALL").df())  # noqa: S608 (the warehouse's own table names)
        finally:
            con.close()
    pd.testing.assert_frame_equal(*frames, check_exact=False, rtol=1e-12)
    return True


def quarantined(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            'SELECT table_name, line, "column", reason FROM quarantine '
            "WHERE table_name <> 'jsna' ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


def test_it_is_one_workbook_in_the_systems_shape(other_system: tuple[Path, Path]) -> None:
    extracts, _ = other_system
    assert sorted(p.name for p in extracts.iterdir()) == [
        "demo_manifest.json",
        "early_help_export.xlsx",
    ]
    assert MAPPING_PATH.name == "other-system.yaml"


def test_loaded_through_its_mapping_it_equals_the_contract_demo_table_by_table(
    other_system: tuple[Path, Path], demo_load: DemoLoad
) -> None:
    _, warehouse = other_system
    mapped, contract = fingerprint(warehouse), fingerprint(demo_load.warehouse)
    assert mapped.keys() == contract.keys()
    for table in contract:
        if table in ("quarantine", "publication_quality_by_reason"):
            continue  # their file names (and quarantine's raw records) are the export's
        if table.startswith("publication_"):
            assert same_figures(warehouse, demo_load.warehouse, table), table
        else:
            assert mapped[table] == contract[table], table
    assert quarantined(warehouse) == quarantined(demo_load.warehouse)


def test_the_manifest_names_the_sheets_the_load_quarantined(
    other_system: tuple[Path, Path],
) -> None:
    extracts, warehouse = other_system
    manifest = json.loads((extracts / MANIFEST).read_text(encoding="utf-8"))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        found = con.execute(
            "SELECT file, line FROM quarantine WHERE table_name <> 'jsna' ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    assert found == sorted((e["file"], e["line"]) for e in manifest["broken_rows"])
    assert manifest["layout"] == "other-system"


def test_profile_through_the_mapping_reports_the_planted_rows_and_unmapped_columns(
    other_system: tuple[Path, Path],
) -> None:
    extracts, _ = other_system
    profile = profile_extracts(extracts, read_mapping("other-system"))
    assert reported_by_reason(profile).to_dict() == planted_by_reason(extracts).to_dict()
    requests = profile.files[0]
    assert requests.file == "early_help_export.xlsx (sheet Requests)"
    assert requests.unmapped_columns == ["Team"]
    assert "carrier_pigeon" in set(requests.unmapped_codes["code"])
