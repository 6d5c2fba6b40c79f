"""Headers, file names, sheet names and values that are SQL: they stay text.

Each attack loads (a hostile extra column or name is harmless) or stops
with a message naming the file, and no byte of a file outside the folder
reaches the warehouse: the builder's connection cannot read files at all.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from conftest import GOOD_EXTRACTS, quiet, write_extracts
from test_warehouse import fingerprint, request

from indicators.load import derived
from indicators.load.contract import TABLES_BY_NAME
from indicators.load.staging import LoadError
from indicators.load.warehouse import build_warehouse
from indicators.paths import CONFIG_PATH, REFERENCE_DIR

SECRET = "s3cr3t-from-outside-the-extracts-folder"  # noqa: S105 (a fake identity provider's fake secret)
PASSWD_LINE = "root:x:0:0"  # noqa: S105 (a fake identity provider's fake secret)


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def warehouse_text(path: Path) -> str:
    """Every value of every table (and every table's name) as one string."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        parts = list(tables)
        for table in tables:
            rows = con.execute(f'SELECT t::VARCHAR FROM "{table}" t').fetchall()  # noqa: S608 (the test's own fixed table names)
            parts += [r[0] for r in rows]
        return "\n".join(parts)
    finally:
        con.close()


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def with_extra_column(table: str, header: str, value: str = "harmless") -> str:
    """The good extract of `table` with one more column, properly CSV-quoted."""
    rows = [next(csv.reader([line])) for line in GOOD_EXTRACTS[table]]
    return csv_text([rows[0] + [header]] + [[*r, value] for r in rows[1:]])


HEADER_ATTACKS = {
    "subquery reading a file": "x', (SELECT content FROM read_text('{secret}')), '",
    "subquery reading /etc/passwd": "x', (SELECT content FROM read_text('/etc/passwd')), '",
    "double quote": 'a"b',
    "apostrophe": "O'Brien",
    "drop table": '"; DROP TABLE requests; --',
    "identifier breakout": 'x" VARCHAR, "y',
    "struct key breakout": "a := (SELECT content FROM read_text('/etc/passwd')), b",
    "newline in a header": "multi\nline",
}


@pytest.mark.parametrize("attack", HEADER_ATTACKS, ids=list(HEADER_ATTACKS))
def test_sql_in_a_header_is_a_harmless_extra_column(
    tmp_path: Path, secret_file: Path, attack: str
) -> None:
    header = HEADER_ATTACKS[attack].format(secret=secret_file)
    folder = write_extracts(tmp_path / "x")
    text = with_extra_column("requests", header)
    # One quarantined row, so the quarantine INSERT (where a header was once pasted) runs.
    bad = [*next(csv.reader([request(source="carrier_pigeon")])), "harmless"]
    (folder / "requests.csv").write_text(text + csv_text([bad]), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    report = build_warehouse(folder, warehouse, progress=quiet)
    requests = next(f for f in report.files if f.file == "requests.csv")
    assert (requests.rows_read, requests.rows_kept, requests.rows_quarantined) == (5, 4, 1)
    con = duckdb.connect(str(warehouse), read_only=True)
    (record,) = con.execute("SELECT record FROM quarantine").fetchone()
    assert list(json.loads(record)) == list(TABLES_BY_NAME["requests"].column_names)
    assert con.execute("SELECT count(*) FROM requests").fetchone() == (4,)
    con.close()
    stored = warehouse_text(warehouse)
    assert SECRET not in stored and PASSWD_LINE not in stored


def test_sql_in_a_value_is_quarantined_as_text(tmp_path: Path) -> None:
    value = "x', (SELECT content FROM read_text('/etc/passwd')), '"
    row = next(csv.reader([request()]))
    row[4] = value  # source, CSV-quoted below
    line = csv_text([row]).rstrip("\n")
    folder = write_extracts(tmp_path / "x", {"requests": [*GOOD_EXTRACTS["requests"], line]})
    build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT detail FROM quarantine").fetchall() == [
        (f"source is not one of the allowed values: '{value}'",)
    ]
    con.close()
    assert PASSWD_LINE not in warehouse_text(tmp_path / "w.duckdb")


def fingertips_export(bad_value: str = "abc") -> str:
    """Two rows of a real Fingertips export, the second with an unreadable value."""
    lines = (REFERENCE_DIR / "dfe/la_hospital_admissions_2324.csv").read_text().splitlines()
    header, first = lines[0], lines[1]
    rows = next(iter(csv.reader([first])))
    second = [*rows]
    second[12] = bad_value  # Value
    second[11] = "2099/00"  # Time period, so it is no duplicate of the first
    return header + "\n" + first + "\n" + csv_text([second])


FILE_NAME_ATTACKS = [
    "fingertips_x'); SELECT 1; --.csv",
    'fingertips_"quoted".csv',
    "fingertips_x', (SELECT content FROM read_text('etc_passwd')), '.csv",
]


@pytest.mark.parametrize("name", FILE_NAME_ATTACKS)
def test_sql_in_a_fingertips_file_name_is_stored_as_the_name(tmp_path: Path, name: str) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / name).write_text(fingertips_export(), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    report = build_warehouse(folder, warehouse, progress=quiet)
    assert [(f.rows_read, f.rows_kept) for f in report.files if f.file == name] == [(2, 1)]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(
        "SELECT file, reason FROM quarantine WHERE table_name = 'jsna'"
    ).fetchall() == [(name, "not_a_number")]
    assert con.execute(
        "SELECT count(*) FROM fingertips WHERE source_file = ?", [name]
    ).fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM load_log WHERE file = ?", [name]).fetchone() == (1,)
    con.close()


def test_sql_in_a_fingertips_header_stays_a_json_key(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    lines = fingertips_export().splitlines()
    attack = "x', (SELECT content FROM read_text('/etc/passwd')), '"
    text = csv_text([[*next(csv.reader([lines[0]])), attack]]) + "\n".join(
        line + ",1" for line in lines[1:]
    )
    (folder / "fingertips_extra.csv").write_text(text + "\n", encoding="utf-8")
    build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet)
    assert PASSWD_LINE not in warehouse_text(tmp_path / "w.duckdb")


SHEET_NAMES = ["it's", '"; DROP TABLE requests; --']


def test_sheet_names_with_quotes_and_sql_name_quarantined_rows(tmp_path: Path) -> None:
    """A requests workbook over two sheets named with SQL: read whole, each sheet named."""
    folder = write_extracts(tmp_path / "x")
    (folder / "requests.csv").unlink()
    frame = pd.read_csv(io.StringIO("\n".join(GOOD_EXTRACTS["requests"])), dtype=str)
    frame = frame.fillna("")
    bad = pd.DataFrame(
        [next(csv.reader([request(source="carrier_pigeon")]))], columns=frame.columns
    )
    with pd.ExcelWriter(folder / "requests.xlsx") as book:
        frame.iloc[:2].to_excel(book, sheet_name=SHEET_NAMES[0], index=False)
        pd.concat([frame.iloc[2:], bad]).to_excel(book, sheet_name=SHEET_NAMES[1], index=False)
    warehouse = tmp_path / "w.duckdb"
    report = build_warehouse(folder, warehouse, progress=quiet)
    requests = next(f for f in report.files if f.file == "requests.xlsx")
    assert (requests.rows_read, requests.rows_kept, requests.rows_quarantined) == (5, 4, 1)
    con = duckdb.connect(str(warehouse), read_only=True)
    # The bad row is the fourth row of the second sheet (header, two good rows, then it).
    rows = con.execute('SELECT file, line, "column", reason, detail FROM quarantine').fetchall()
    assert rows == [
        (
            "requests.xlsx",
            4,
            "source",
            "not_in_enumeration",
            f"sheet '{SHEET_NAMES[1]}': source is not one of the allowed values: 'carrier_pigeon'",
        )
    ]
    assert con.execute("SELECT count(*) FROM requests").fetchone() == (4,)
    con.close()


def test_quotes_in_the_jsna_configuration_are_bound_values(tmp_path: Path) -> None:
    """Titles, units and filters from the indicator file reach SQL as parameters."""
    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    source = next(s for s in config["jsna"] if s.get("filters"))
    source["title"] = "Children's \"needs\"'); SELECT 1; --"
    source["unit"] = "per 10,000 (it's)"
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    build_warehouse(write_extracts(tmp_path / "x"), warehouse, config_path=path, progress=quiet)
    con = duckdb.connect(str(warehouse), read_only=True)
    titles = con.execute(
        "SELECT DISTINCT indicator_name, unit FROM jsna WHERE indicator_id = ?", [source["id"]]
    ).fetchall()
    con.close()
    assert titles == [(source["title"], source["unit"])]


def test_a_header_using_the_loaders_own_column_names_is_refused(
    tmp_path: Path, serving_warehouse: Path
) -> None:
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "x")
    (folder / "feedback.csv").write_text(with_extra_column("feedback", "__line"))
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving_warehouse, progress=quiet)
    assert str(err.value) == (
        "feedback.csv: column '__line': names starting with '__' are kept for the "
        "loader's own columns"
    )
    assert fingerprint(serving_warehouse) == before


def test_the_building_connection_cannot_read_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: even SQL that got past quoting could not read a file while building."""
    attempts: list[str] = []
    create_tables = derived.create_extract_tables

    def try_reading_then_create(con: duckdb.DuckDBPyConnection) -> None:
        for sql in (
            "SELECT content FROM read_text('/etc/passwd')",
            "SELECT * FROM read_csv('/etc/passwd')",
            "ATTACH '/tmp/elsewhere.duckdb' AS elsewhere",
            "SET enable_external_access = true",
        ):
            with pytest.raises(duckdb.Error) as err:
                con.execute(sql)
            attempts.append(type(err.value).__name__)
        create_tables(con)

    monkeypatch.setattr(derived, "create_extract_tables", try_reading_then_create)
    build_warehouse(write_extracts(tmp_path / "x"), tmp_path / "w.duckdb", progress=quiet)
    assert attempts == [
        "PermissionException",
        "PermissionException",
        "PermissionException",
        "InvalidInputException",
    ]
