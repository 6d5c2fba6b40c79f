"""The loader against hand-made bad files: each defect has exactly one outcome.

A bad row is quarantined with its file, line, column and reason while the
rest loads; a bad file stops the load with a message naming it, and the
warehouse that was serving keeps serving the same content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import GOOD_EXTRACTS, quiet, write_extracts

from indicators.load.staging import LoadError
from indicators.load.warehouse import build_warehouse
from indicators.store.readers import connect


def fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the sorted rows of every table but the load's own log (and
    the publication's record of it: its load id and build time, the log readers see)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name NOT IN ('load_log', 'load_info', 'publication_info', "
                "'publication_quality_log') ORDER BY 1"
            ).fetchall()
        ]
        return {
            t: tuple(
                con.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(x, '|' ORDER BY x), '')) "  # noqa: S608 (the test's own fixed table names)
                    f"FROM (SELECT t::VARCHAR AS x FROM {t} t)"
                ).fetchall()[0]
            )
            for t in tables
        }
    finally:
        con.close()


Opener = Callable[[Path], duckdb.DuckDBPyConnection]


@pytest.fixture
def read_only() -> Iterator[Opener]:
    """Open warehouses as the export does (`connect(path, sandboxed=False)`), closed after."""
    with ExitStack() as stack:
        yield lambda path: stack.enter_context(connect(path, sandboxed=False))


def load(folder: Path, warehouse: Path, read_only: Opener) -> duckdb.DuckDBPyConnection:
    build_warehouse(folder, warehouse, progress=quiet)
    return read_only(warehouse)


def with_row(table: str, row: str) -> dict[str, list[str]]:
    """The good set with one extra row appended to `table` (it lands on the last line)."""
    return {table: [*GOOD_EXTRACTS[table], row]}


def last_line(table: str) -> int:
    return len(GOOD_EXTRACTS[table]) + 1


REQ = "R9,F9,C9,{received},{source},{ward},{lsoa},{decision},{decision_date},getting_help"


def request(**changes: str) -> str:
    values = {
        "received": "2022-06-01",
        "source": "school",
        "ward": "E05008728",
        "lsoa": "E01014274",
        "decision": "early_help",
        "decision_date": "2022-06-02",
    }
    return REQ.format(**{**values, **changes})


EPI = "E9,F9,{request},2021-02-01,{end},E05008728,E01014274,council,getting_help,{stepped},{closure},{needs},{children}"  # noqa: E501


def episode(**changes: str) -> str:
    values = {
        "request": "R3",
        "end": "2021-06-01",
        "stepped": "false",
        "closure": "needs_met",
        "needs": "education",
        "children": "2",
    }
    return EPI.format(**{**values, **changes})


ROW_CASES = {
    "required id empty": ("requests", request().replace("R9", ""), "request_id", "missing_value"),
    "impossible date": ("requests", request(received="2021-13-45"), "received_date", "not_a_date"),
    "UK-style date": ("requests", request(received="31/02/2021"), "received_date", "not_a_date"),
    "unknown source": (
        "requests",
        request(source="carrier_pigeon"),
        "source",
        "not_in_enumeration",
    ),
    "malformed ward code": ("requests", request(ward="E0501"), "ward_code", "malformed_code"),
    "ward not in Stoke": ("requests", request(ward="E05999999"), "ward_code", "unknown_code"),
    "LSOA not in Stoke": ("requests", request(lsoa="E01999999"), "lsoa_code", "unknown_code"),
    "decision before request": (
        "requests",
        request(decision_date="2022-05-01"),
        "decision_date",
        "date_out_of_order",
    ),
    "decision without date": (
        "requests",
        request(decision_date=""),
        "decision_date",
        "inconsistent",
    ),
    "date in the future": (
        "requests",
        request(received="2099-01-01", decision_date="2099-01-02"),
        "received_date",
        "date_in_future",
    ),
    "date before 2000": (
        "requests",
        request(received="1999-12-31"),
        "received_date",
        "out_of_range",
    ),
    "duplicate request id": (
        "requests",
        request().replace("R9", "R2"),
        "request_id",
        "duplicate_key",
    ),
    "episode of an unknown request": (
        "episodes",
        episode(request="R404"),
        "request_id",
        "unknown_reference",
    ),
    "children as a word": (
        "episodes",
        episode(children="two"),
        "children_in_family",
        "not_an_integer",
    ),
    "children as a fraction": (
        "episodes",
        episode(children="3.5"),
        "children_in_family",
        "not_an_integer",
    ),
    "no children": ("episodes", episode(children="0"), "children_in_family", "out_of_range"),
    "boolean as maybe": (
        "episodes",
        episode(stepped="maybe"),
        "stepped_down_from_social_care",
        "not_a_boolean",
    ),
    "unknown need in list": (
        "episodes",
        episode(needs="education;space_travel"),
        "needs",
        "not_in_enumeration",
    ),
    "closure reason while open": ("episodes", episode(end=""), "end_date", "inconsistent"),
    "episode ends before it starts": (
        "episodes",
        episode(end="2020-01-01"),
        "end_date",
        "date_out_of_order",
    ),
    "assessment of an unknown episode": (
        "assessments",
        "A9,E404,2021-02-02,,",
        "episode_id",
        "unknown_reference",
    ),
    "assessment completed before start": (
        "assessments",
        "A9,E2,2021-02-02,2021-01-01,true",
        "completed_date",
        "date_out_of_order",
    ),
    "outcome score above 10": (
        "outcomes",
        "E2,family_star_plus,health,4,11,2021-05-01",
        "score_end",
        "out_of_range",
    ),
    "outcome key repeated": (
        "outcomes",
        "E1,family_star_plus,health,5,6,2019-11-30",
        "episode_id",
        "duplicate_key",
    ),
    "evidence level 5": (
        "programmes",
        "P9,F1,E1,Peer support group,5,2019-06-01,,,,E05008728",
        "evidence_level",
        "not_in_enumeration",
    ),
    "hub service unknown": (
        "hub_contacts",
        "2021-03-02,Family hub North,E05008715,cinema,1,1",
        "service",
        "not_in_enumeration",
    ),
    "negative children at hub": (
        "hub_contacts",
        "2021-03-02,Family hub North,E05008715,group,-1,1",
        "children",
        "out_of_range",
    ),
    "satisfaction 7 of 5": ("feedback", "E2,2021-06-02,7,true", "satisfaction", "out_of_range"),
    "row with an extra field": ("feedback", "E2,2021-06-02,5,true,extra", None, "malformed_row"),
}


@pytest.mark.parametrize("case", ROW_CASES, ids=list(ROW_CASES))
def test_bad_row_is_quarantined_with_its_reason(
    read_only: Opener, tmp_path: Path, case: str
) -> None:
    table, row, column, reason = ROW_CASES[case]
    folder = write_extracts(tmp_path / "x", with_row(table, row))
    con = load(folder, tmp_path / "w.duckdb", read_only)
    quarantined = con.execute('SELECT file, line, "column", reason, detail FROM quarantine').df()
    assert quarantined[["file", "line", "column", "reason"]].values.tolist() == [
        [f"{table}.csv", last_line(table), column, reason]
    ]
    assert quarantined["detail"][0]
    log = con.execute(
        "SELECT rows_read, rows_kept, rows_quarantined FROM load_log WHERE file = ?",
        [f"{table}.csv"],
    ).fetchall()
    assert log == [(len(GOOD_EXTRACTS[table]), len(GOOD_EXTRACTS[table]) - 1, 1)]


def test_children_of_a_quarantined_row_are_quarantined_too(
    read_only: Opener, tmp_path: Path
) -> None:
    """An episode whose request was quarantined cannot be kept: its reference is gone."""
    changes = with_row("requests", request(source="carrier_pigeon"))
    changes |= with_row("episodes", episode(request="R9"))
    con = load(write_extracts(tmp_path / "x", changes), tmp_path / "w.duckdb", read_only)
    rows = con.execute('SELECT file, "column", reason FROM quarantine ORDER BY file').fetchall()
    assert rows == [
        ("episodes.csv", "request_id", "unknown_reference"),
        ("requests.csv", "source", "not_in_enumeration"),
    ]


def test_first_copy_broken_keeps_the_good_second(read_only: Opener, tmp_path: Path) -> None:
    lines = [*GOOD_EXTRACTS["requests"], request(source="bad"), request()]
    con = load(
        write_extracts(tmp_path / "x", {"requests": lines}), tmp_path / "w.duckdb", read_only
    )
    assert con.execute("SELECT reason FROM quarantine").fetchall() == [("not_in_enumeration",)]
    assert con.execute("SELECT source FROM requests WHERE request_id='R9'").fetchall() == [
        ("school",)
    ]


def test_line_numbers_survive_blank_lines_and_multiline_fields(
    read_only: Opener, tmp_path: Path
) -> None:
    lines = GOOD_EXTRACTS["hub_contacts"]
    text = (
        "\n".join(
            [
                lines[0],
                lines[1],
                "",
                '2021-03-02,"Family hub\nNorth",E05008715,group,3,2',
                "2021-03-03,Family hub North,E05008715,cinema,1,1",
            ]
        )
        + "\n"
    )
    folder = write_extracts(tmp_path / "x")
    (folder / "hub_contacts.csv").write_text(text, encoding="utf-8")
    con = load(folder, tmp_path / "w.duckdb", read_only)
    assert con.execute("SELECT line, reason FROM quarantine").fetchall() == [
        (6, "not_in_enumeration")
    ]
    assert con.execute("SELECT count(*) FROM hub_contacts").fetchall() == [(2,)]


FILE_CASES = {
    "missing required column": (
        "requests.csv",
        lambda p: p.write_text("\n".join(r.rsplit(",", 1)[0] for r in GOOD_EXTRACTS["requests"])),
        "missing required column(s): thrive_level",
    ),
    "not UTF-8": (
        "episodes.csv",
        lambda p: p.write_bytes(p.read_bytes().replace(b"council", b"c\xe9uncil")),
        "line 2: not UTF-8",
    ),
    "empty file": ("feedback.csv", lambda p: p.write_bytes(b""), "the file is empty"),
    "header only": (
        "feedback.csv",
        lambda p: p.write_text(GOOD_EXTRACTS["feedback"][0] + "\n"),
        "has a header but no rows",
    ),
    "NUL bytes": ("outcomes.csv", lambda p: p.write_bytes(b"\x00\x01\x02"), "NUL bytes"),
    "name column": (
        "requests.csv",
        lambda p: p.write_text(
            "\n".join(
                r + (",child_name" if i == 0 else ",Sam")
                for i, r in enumerate(GOOD_EXTRACTS["requests"])
            )
        ),
        "'child_name' would identify a person",
    ),
    "postcode column": (
        "episodes.csv",
        lambda p: p.write_text(
            "\n".join(
                r + (",Post Code" if i == 0 else ",ST1 1AA")
                for i, r in enumerate(GOOD_EXTRACTS["episodes"])
            )
        ),
        "'Post Code' would identify a person",
    ),
    "date of birth column": (
        "feedback.csv",
        lambda p: p.write_text(
            "\n".join(
                r + (",date_of_birth" if i == 0 else ",2015-01-01")
                for i, r in enumerate(GOOD_EXTRACTS["feedback"])
            )
        ),
        "'date_of_birth' would identify a person",
    ),
    "repeated header column": (
        "feedback.csv",
        lambda p: p.write_text(
            "episode_id,response_date,satisfaction,would_recommend,satisfaction\nE1,2019-12-05,5,"
            "true,4\n"
        ),
        "column 'satisfaction' appears twice",
    ),
}


@pytest.mark.parametrize("case", FILE_CASES, ids=list(FILE_CASES))
def test_unreadable_file_stops_the_load_and_the_old_warehouse_keeps_serving(
    tmp_path: Path, serving_warehouse: Path, case: str
) -> None:
    name, spoil, message = FILE_CASES[case]
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "bad")
    spoil(folder / name)
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving_warehouse, progress=quiet)
    assert name in str(err.value)
    assert message in str(err.value)
    assert fingerprint(serving_warehouse) == before
    assert not list(serving_warehouse.parent.glob(".build-*"))


def test_xlsx_pretending_to_be_a_workbook(tmp_path: Path, serving_warehouse: Path) -> None:
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "bad")
    (folder / "feedback.csv").rename(folder / "feedback.xlsx")
    with pytest.raises(LoadError, match=r"feedback.xlsx: not an XLSX workbook"):
        build_warehouse(folder, serving_warehouse, progress=quiet)
    assert fingerprint(serving_warehouse) == before


def test_parquet_that_is_not_parquet(tmp_path: Path, serving_warehouse: Path) -> None:
    before = fingerprint(serving_warehouse)
    folder = write_extracts(tmp_path / "bad")
    (folder / "outcomes.csv").rename(folder / "outcomes.parquet")
    with pytest.raises(LoadError, match=r"outcomes.parquet: not a Parquet file"):
        build_warehouse(folder, serving_warehouse, progress=quiet)
    assert fingerprint(serving_warehouse) == before


def test_missing_and_ambiguous_extracts_are_all_named(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "bad")
    (folder / "programmes.csv").unlink()
    (folder / "requests.xlsx").write_bytes(b"PK")
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet)
    assert "extract 'programmes' not found" in str(err.value)
    assert "requests.csv and requests.xlsx both claim" in str(err.value)
    assert not (tmp_path / "w.duckdb").exists()


def test_same_extracts_in_xlsx_and_parquet_load_the_same(tmp_path: Path) -> None:
    csv_folder = write_extracts(tmp_path / "csv")
    other = tmp_path / "other"
    other.mkdir()
    for i, table in enumerate(GOOD_EXTRACTS):
        frame = pd.read_csv(csv_folder / f"{table}.csv", dtype=str, keep_default_na=False)
        if i % 2:
            frame.to_excel(other / f"{table}.xlsx", index=False)
        else:
            duckdb.from_df(frame.replace("", None)).write_parquet(str(other / f"{table}.parquet"))
    build_warehouse(csv_folder, tmp_path / "a.duckdb", progress=quiet)
    build_warehouse(other, tmp_path / "b.duckdb", progress=quiet)
    a, b = fingerprint(tmp_path / "a.duckdb"), fingerprint(tmp_path / "b.duckdb")
    assert {k: v for k, v in a.items() if k != "quarantine"} == {
        k: v for k, v in b.items() if k != "quarantine"
    }


def test_loading_twice_gives_the_same_content(tmp_path: Path, good_extracts: Path) -> None:
    path = tmp_path / "w.duckdb"
    build_warehouse(good_extracts, path, progress=quiet)
    first = fingerprint(path)
    build_warehouse(good_extracts, path, progress=quiet)
    assert fingerprint(path) == first


def test_rows_add_up_for_every_file(read_only: Opener, serving_warehouse: Path) -> None:
    con = read_only(serving_warehouse)
    unbalanced = con.execute(
        "SELECT file FROM load_log WHERE rows_read <> rows_kept + rows_quarantined"
    ).fetchall()
    assert unbalanced == []
    logged = {
        r[0] for r in con.execute("SELECT file FROM load_log WHERE kind='extract'").fetchall()
    }
    assert logged == {f"{t}.csv" for t in GOOD_EXTRACTS}


def test_derived_keys(read_only: Opener, serving_warehouse: Path) -> None:
    con = read_only(serving_warehouse)
    rows = con.execute(
        "SELECT request_id, month, quarter, financial_year, review_period, analysis_ward_code, "
        "imd_decile FROM requests ORDER BY request_id"
    ).fetchall()
    r1, r2, r3, _ = rows
    assert r1[1:5] == (
        pd.Timestamp("2019-05-01").date(),
        pd.Timestamp("2019-04-01").date(),
        "2019/20",
        "2019 H1",
    )
    assert r2[3:5] == ("2020/21", "2020 H2")
    # R3 (January 2021) has no LSOA: its own ward stands, deprivation is unknown.
    assert r3[3:7] == ("2020/21", "2020 H2", "E05008715", None)
    assert r1[5:7] == ("E05008728", 2)
    # Assessments reach ward and deprivation through their episode.
    assert con.execute(
        "SELECT analysis_ward_code, imd_decile FROM assessments WHERE assessment_id='A1'"
    ).fetchall() == [("E05008728", 2)]


def test_a_reader_keeps_its_warehouse_while_a_load_swaps(
    read_only: Opener, tmp_path: Path, serving_warehouse: Path
) -> None:
    reader = read_only(serving_warehouse)
    folder = write_extracts(tmp_path / "new", with_row("feedback", "E2,2021-06-02,4,false"))
    build_warehouse(folder, serving_warehouse, progress=quiet)
    assert reader.execute("SELECT count(*) FROM feedback").fetchall() == [(1,)]
    # DuckDB shares one open database per path inside a process, so a reader
    # sees the new load once it reconnects (the dashboard reconnects on a new load id).
    reader.close()
    assert read_only(serving_warehouse).execute("SELECT count(*) FROM feedback").fetchall() == [
        (2,)
    ]


def test_public_data_lands_in_jsna_with_comparators(
    read_only: Opener, serving_warehouse: Path
) -> None:
    con = read_only(serving_warehouse)
    stoke = con.execute(
        "SELECT value, count, denominator FROM jsna WHERE indicator_id='rereferrals_12_months' "
        "AND area_code='E06000021' AND time_period='2025'"
    ).fetchall()
    assert stoke == [(21.0, 812.0, 3874.0)]  # DfE table C1, Stoke 2024-25 as published
    areas = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT area_code FROM jsna WHERE indicator_id='injury_admissions_0_14'"
        ).fetchall()
    }
    assert {"E92000001", "E12000005", "E06000021"} <= areas
    assert con.execute(
        "SELECT count(*) FROM comparators WHERE role='statistical_neighbour'"
    ).fetchall() == [(10,)]
