"""Loading through a source mapping: another system's names, codes and dates, the same warehouse.

The good extract set is rewritten as a system would export it (requests with
its own headers, codes and dd/mm/yyyy dates, plus a worker's name) and loaded
through a mapping; each test changes one thing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import GOOD_EXTRACTS, quiet, write_extracts
from test_warehouse import fingerprint

from indicators.config.source_mapping import load_mapping
from indicators.load.contract import TABLES
from indicators.load.errors import LoadError
from indicators.load.warehouse import build_warehouse

HEADERS = {
    "request_id": "Request ID",
    "family_id": "Family Ref",
    "child_id": "Child Ref",
    "received_date": "Date Received",
    "source": "Referral Source",
    "ward_code": "Ward",
    "lsoa_code": "LSOA",
    "decision": "Outcome of Request",
    "decision_date": "Outcome Date",
    "thrive_level": "THRIVE",
}
SOURCE_CODES = {"SCH": "school", "SELF": "self_or_family", "HLTH": "health", "POL": "police"}
DECISION_CODES = {"EH-TAF": "early_help", "ADV": "advice_signposting"}
THRIVE_CODES = {"GA": "getting_advice", "GH": "getting_help", "GMH": "getting_more_help"}


def mapping_document(**requests_changes: object) -> dict:
    """Contract names for every table but requests, which has the system's."""
    tables = {
        t.name: {"file": f"{t.name}.csv", "columns": {c: c for c in t.column_names}} for t in TABLES
    }
    tables["requests"] = {
        "file": "Requests Export.csv",
        "columns": {header: column for column, header in HEADERS.items()},
        "drop": ["Worker Name"],
        "values": {
            "source": {"codes": SOURCE_CODES, "otherwise": "quarantine"},
            "decision": {"codes": DECISION_CODES, "otherwise": "quarantine"},
            "thrive_level": {"codes": THRIVE_CODES, "otherwise": "quarantine"},
        },
        **requests_changes,
    }
    return {"description": "a test system", "date_format": "%d/%m/%Y", "tables": tables}


def exported_request(line: str) -> str:
    """One contract request line as the system writes it."""
    cells = line.split(",")
    back = {
        v: k for codes in (SOURCE_CODES, DECISION_CODES, THRIVE_CODES) for k, v in codes.items()
    }
    for i in (3, 8):
        if cells[i]:
            year, month, day = cells[i].split("-")
            cells[i] = f"{day}/{month}/{year}"
    return ",".join([*(back.get(c, c) for c in cells), "Worker 1"])


def export(folder: Path, requests: list[str] | None = None, document: dict | None = None):
    """The good set, requests in the system's shape; returns (folder, mapping)."""
    write_extracts(folder)
    (folder / "requests.csv").unlink()
    header = ",".join([*HEADERS.values(), "Worker Name"])
    rows = requests or [exported_request(r) for r in GOOD_EXTRACTS["requests"][1:]]
    (folder / "Requests Export.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    path = folder.parent / "sources" / "test-system.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        yaml.safe_dump(document or mapping_document(), sort_keys=False), encoding="utf-8"
    )
    return folder, load_mapping(path)


def quarantine(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            'SELECT file, line, "column", reason, detail FROM quarantine '
            "WHERE table_name = 'requests'"
        ).fetchall()
    finally:
        con.close()


def test_a_mapped_export_loads_the_same_as_the_contract_files(tmp_path: Path) -> None:
    build_warehouse(write_extracts(tmp_path / "contract"), tmp_path / "a.duckdb", progress=quiet)
    folder, mapping = export(tmp_path / "system")
    build_warehouse(folder, tmp_path / "b.duckdb", progress=quiet, mapping=mapping)
    assert fingerprint(tmp_path / "a.duckdb") == fingerprint(tmp_path / "b.duckdb")


def test_an_unmapped_code_goes_to_quarantine_as_not_in_enumeration(tmp_path: Path) -> None:
    rows = [exported_request(r) for r in GOOD_EXTRACTS["requests"][1:]]
    rows[1] = rows[1].replace(",SELF,", ",CSC,")  # a code the mapping does not list
    rows[2] = rows[2].replace(",EH-TAF,", ",early_help,")  # a contract value is no code either
    folder, mapping = export(tmp_path / "system", rows)
    build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet, mapping=mapping)
    assert quarantine(tmp_path / "w.duckdb") == [
        (
            "Requests Export.csv",
            3,
            "source",
            "not_in_enumeration",
            "source is not one of the allowed values: 'unmapped:CSC'",
        ),
        (
            "Requests Export.csv",
            4,
            "decision",
            "not_in_enumeration",
            "decision is not one of the allowed values: 'unmapped:early_help'",
        ),
    ]


def test_a_date_not_in_the_mapping_format_is_not_a_date(tmp_path: Path) -> None:
    rows = [exported_request(r) for r in GOOD_EXTRACTS["requests"][1:]]
    rows[3] = rows[3].replace("01/03/2024", "31/02/2024")  # R4: nothing refers to it
    folder, mapping = export(tmp_path / "system", rows)
    build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet, mapping=mapping)
    assert [r[1:4] for r in quarantine(tmp_path / "w.duckdb")] == [
        (5, "received_date", "not_a_date")
    ]


def test_an_identifying_column_is_refused_unless_the_mapping_drops_it(tmp_path: Path) -> None:
    folder, mapping = export(tmp_path / "system", document=mapping_document(drop=[]))
    with pytest.raises(LoadError, match="'Worker Name' would identify a person"):
        build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet, mapping=mapping)
    assert not (tmp_path / "w.duckdb").exists()


def test_a_mapping_that_fails_check_stops_the_load_naming_file_and_line(tmp_path: Path) -> None:
    document = mapping_document()
    document["tables"]["requests"]["columns"]["THRIVE"] = "thrive"
    folder, mapping = export(tmp_path / "system", document=document)
    with pytest.raises(LoadError, match=r"test-system\.yaml:\d+: error: tables\.requests") as err:
        build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet, mapping=mapping)
    assert "unknown_target" in str(err.value)
    assert not (tmp_path / "w.duckdb").exists()
