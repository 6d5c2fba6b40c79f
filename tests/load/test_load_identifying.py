"""Extracts with identifying columns are refused whole, and none of their values is stored.

Each attack adds a column a careless export could carry (by name, or a
misnamed column whose values are postcodes, NHS numbers or e-mails), plus a
row that would be quarantined; the load must stop naming the file and the
column, the serving warehouse must not change, and the column's values must
not appear in any file of the warehouse folder.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import GOOD_EXTRACTS, quiet, write_extracts
from test_load_injection import csv_text, warehouse_text
from test_warehouse import fingerprint, request

from indicators.load.staging import LoadError
from indicators.load.warehouse import build_warehouse


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One serving warehouse for the module: every load here must fail without touching it."""
    root = tmp_path_factory.mktemp("serving")
    path = root / "serving" / "warehouse.duckdb"
    build_warehouse(write_extracts(root / "good"), path, progress=quiet)
    return path


def extract_with_column(table: str, header: str, values: list[str]) -> list[str]:
    """The good extract plus one quarantine-bound row, with a column `header` of `values`."""
    rows = [line.split(",") for line in GOOD_EXTRACTS[table]]
    if table == "requests":
        rows.append(request(source="carrier_pigeon").split(","))
    out = [rows[0] + [header]] + [[*r, values[i % len(values)]] for i, r in enumerate(rows[1:])]
    return csv_text(out).splitlines()


def assert_refused_and_nothing_stored(
    tmp_path: Path, serving: Path, table: str, header: str, values: list[str], message: str
) -> None:
    before = fingerprint(serving)
    folder = write_extracts(tmp_path / "x", {table: extract_with_column(table, header, values)})
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving, progress=quiet)
    assert str(err.value) == message
    assert fingerprint(serving) == before
    assert sorted(p.name for p in serving.parent.iterdir()) == [
        ".warehouse.duckdb.lock",
        "warehouse.duckdb",
    ]
    stored = warehouse_text(serving)
    for path in serving.parent.iterdir():
        raw = path.read_bytes()
        for value in values:
            assert value.encode() not in raw, (value, path)
    for value in values:
        assert value not in stored


NAME_ATTACKS = {
    "ChildName": (["Sam Smith-Jones", "Alex Quinn-Harper"], "a name"),
    "Parent Name": (["Jo Smith-Jones", "Kim Quinn-Harper"], "a name"),
    "ｃｈｉｌｄ＿ｎａｍｅ": (["Sam Smith-Jones", "Alex Quinn-Harper"], "a name"),
    "D.O.B.": (["2015-03-14", "2016-07-01"], "a date of birth"),
    "NHSNo": (["943 476 5919", "401 023 2137"], "an NHS number"),
    "e-mail": (["sam.family@example.org", "alex.home@example.net"], "an e-mail address"),
    "home_addr": (["12 Acacia Avenue", "3 Mill Lane"], "an address"),
    "unique_pupil_number": (["A123456789012", "B210987654321"], "a unique pupil number"),
    "tel": (["01782 000111", "07700 900123"], "a telephone number"),
}


@pytest.mark.parametrize("header", NAME_ATTACKS, ids=list(NAME_ATTACKS))
def test_identifying_header_refuses_the_file(tmp_path: Path, serving: Path, header: str) -> None:
    values, kind = NAME_ATTACKS[header]
    assert_refused_and_nothing_stored(
        tmp_path,
        serving,
        "requests",
        header,
        values,
        f"requests.csv: refused: column {header!r} would identify a person ({kind}); "
        "extracts must be pseudonymised (use child_id/family_id); nothing was stored",
    )


VALUE_ATTACKS = {
    "postcodes": ("where", ["ST4 1AA", "ST6 5TR"], "UK postcodes"),
    "e-mails": ("contact", ["sam.family@example.org", "alex.home@example.net"], "e-mail addresses"),
    "NHS numbers": ("ref", ["9434765919", "4010232137"], "NHS numbers"),
}


@pytest.mark.parametrize("attack", VALUE_ATTACKS, ids=list(VALUE_ATTACKS))
def test_misnamed_column_of_identifying_values_refuses_the_file(
    tmp_path: Path, serving: Path, attack: str
) -> None:
    header, values, kind = VALUE_ATTACKS[attack]
    sampled = len(GOOD_EXTRACTS["episodes"]) - 1
    assert_refused_and_nothing_stored(
        tmp_path,
        serving,
        "episodes",
        header,
        values,
        f"episodes.csv: refused: column {header!r} holds values that look like {kind} "
        f"({sampled} of {sampled} sampled values); extracts must be pseudonymised; "
        "nothing was stored",
    )


def test_nhs_numbers_as_child_ids_refuse_the_file(tmp_path: Path, serving: Path) -> None:
    """A pseudonymisation that was never applied: the contract's own id column holds NHS numbers."""
    before = fingerprint(serving)
    nhs = ["9434765919", "4010232137", "9434765870", "4505577104"]
    lines = list(GOOD_EXTRACTS["requests"])
    lines[1:] = [
        ",".join([*row.split(",")[:2], nhs[i], *row.split(",")[3:]])
        for i, row in enumerate(lines[1:])
    ]
    folder = write_extracts(tmp_path / "x", {"requests": lines})
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving, progress=quiet)
    assert str(err.value) == (
        "requests.csv: refused: column 'child_id' holds values that look like NHS numbers "
        "(4 of 4 sampled values); extracts must be pseudonymised; nothing was stored"
    )
    assert fingerprint(serving) == before
    assert not any(n in warehouse_text(serving) for n in nhs)


def test_every_identifying_column_is_named_at_once(tmp_path: Path, serving: Path) -> None:
    lines = extract_with_column("feedback", "Surname", ["Smith-Jones"])
    lines = [line + ("," + ("Post Code" if i == 0 else "ST4 1AA")) for i, line in enumerate(lines)]
    folder = write_extracts(tmp_path / "x", {"feedback": lines})
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving, progress=quiet)
    assert str(err.value) == (
        "feedback.csv: refused: column 'Surname' would identify a person (a name); "
        "column 'Post Code' would identify a person (a postcode); "
        "extracts must be pseudonymised (use child_id/family_id); nothing was stored"
    )


@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_workbooks_and_parquet_are_judged_the_same(
    tmp_path: Path, serving: Path, kind: str
) -> None:
    """Every reader's header goes through the same check: fullwidth letters in a workbook too."""
    folder = write_extracts(tmp_path / "x")
    (folder / "feedback.csv").unlink()
    frame = pd.DataFrame(
        [row.split(",") for row in GOOD_EXTRACTS["feedback"][1:]],
        columns=GOOD_EXTRACTS["feedback"][0].split(","),
    ).assign(**{"ｃｈｉｌｄ＿ｎａｍｅ": "Sam Smith-Jones"})
    if kind == "xlsx":
        frame.to_excel(folder / "feedback.xlsx", index=False)
    else:
        duckdb.from_df(frame).write_parquet(str(folder / "feedback.parquet"))
    before = fingerprint(serving)
    with pytest.raises(LoadError) as err:
        build_warehouse(folder, serving, progress=quiet)
    assert str(err.value) == (
        f"feedback.{kind}: refused: column 'ｃｈｉｌｄ＿ｎａｍｅ' would identify a person "
        "(a name); extracts must be pseudonymised (use child_id/family_id); nothing was stored"
    )
    assert fingerprint(serving) == before
    assert "Sam Smith-Jones" not in warehouse_text(serving)
