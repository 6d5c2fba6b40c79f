"""`python -m indicators check`: each mistake named with its indicator, field and line."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from indicators.config.check import check_file
from indicators.paths import CONFIG_PATH, PROJECT_ROOT

SHIPPED = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
FIRST = "requests_per_10k"


def _first(doc: dict) -> dict:
    return doc["indicators"][0]


def _set(path: str, value: object) -> Callable[[dict], None]:
    """Change one key (dotted path) of the first indicator."""

    def change(doc: dict) -> None:
        target = _first(doc)
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _drop(key: str) -> Callable[[dict], None]:
    return lambda doc: _first(doc).pop(key)


def _duplicate(doc: dict) -> None:
    doc["indicators"][1]["id"] = FIRST


def _orphan_aim(doc: dict) -> None:
    doc["aims"].append({"id": "lonely", "title": "An aim nobody measures"})


def _top_level(doc: dict) -> None:
    doc["indicatorz"] = []


# case → (change, kind, indicator id, field)
CASES: dict[str, tuple[Callable[[dict], None], str, str, str]] = {
    "unknown key": (_set("colour", "red"), "unknown_key", FIRST, "colour"),
    "missing key": (_drop("owner"), "missing_key", FIRST, "owner"),
    "title not text": (_set("title", 5), "wrong_type", FIRST, "title"),
    "breakdowns not a list": (_set("breakdowns", "ward"), "wrong_type", FIRST, "breakdowns"),
    "bad id": (_set("id", "Requests-Per-10k"), "invalid_id", "Requests-Per-10k", "id"),
    "duplicate id": (_duplicate, "duplicate_id", FIRST, "id"),
    "unknown aim": (_set("aim", "acess"), "unknown_aim", FIRST, "aim"),
    "unknown measure": (
        _set("measure.type", "ratio"),
        "unknown_measure_type",
        FIRST,
        "measure.type",
    ),
    "bad polarity": (_set("polarity", "up"), "invalid_polarity", FIRST, "polarity"),
    "bad ci": (_set("ci", "bootstrap"), "unknown_ci_method", FIRST, "ci"),
    "bad benchmark": (
        _set("benchmark.method", "traffic_lights"),
        "unknown_benchmark_method",
        FIRST,
        "benchmark.method",
    ),
    "bad tally": (
        _set("measure.numerator", {"tally": "request_id"}),
        "invalid_tally",
        FIRST,
        "measure.numerator",
    ),
    "rate without population": (
        _set("measure.denominator", {"count": "*"}),
        "incomplete_measure",
        FIRST,
        "measure.denominator",
    ),
    "unknown age band": (
        _set("measure.denominator", {"population": "0-18"}),
        "unknown_age_band",
        FIRST,
        "measure.denominator",
    ),
    "ci that does not fit": (_set("ci", "wilson"), "ci_mismatch", FIRST, "ci"),
    "bad baseline period": (
        _set("baseline.period", "2019-20"),
        "invalid_period",
        FIRST,
        "baseline.period",
    ),
    "target without period": (
        _set("target", {"value": 900}),
        "target_without_period",
        FIRST,
        "target.period",
    ),
    "multiplier not a number": (
        _set("measure.multiplier", "ten thousand"),
        "wrong_type",
        FIRST,
        "measure.multiplier",
    ),
    "min count zero": (
        _set("disclosure", {"min_count": 0}),
        "invalid_min_count",
        FIRST,
        "disclosure.min_count",
    ),
    "unknown table": (_set("source", "referrals"), "unknown_source", FIRST, "source"),
    "unknown column": (
        _set("measure.numerator", {"count_distinct": "referral_id"}),
        "unknown_column",
        FIRST,
        "measure.numerator",
    ),
    "unknown breakdown": (
        _set("breakdowns", ["ward", "ethnicity"]),
        "unknown_column",
        FIRST,
        "breakdowns",
    ),
    "date column not a date": (_set("date", "source"), "not_a_date_column", FIRST, "date"),
    "where DuckDB cannot prepare": (
        _set("where", "recieved_date > DATE '2020-01-01'"),
        "invalid_sql",
        FIRST,
        "where",
    ),
    "where that reads a file": (
        _set("where", "request_id IN (SELECT column0 FROM read_csv('/etc/passwd'))"),
        "forbidden_sql",
        FIRST,
        "where",
    ),
    "where that smuggles a statement": (
        _set("where", "TRUE); DROP TABLE requests; --"),
        "forbidden_sql",
        FIRST,
        "where",
    ),
    "aim with no indicator": (_orphan_aim, "aim_without_indicators", "-", "aims.lonely"),
    "DuckDB-only function": (
        _set("where", "working_days(received_date, decision_date) <= 3"),
        "not_portable",
        FIRST,
        "sql",
    ),
    "unknown top-level key": (_top_level, "unknown_key", "-", "indicatorz"),
}


def _write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import quiet, write_extracts

    from indicators.load.warehouse import build_warehouse

    folder = write_extracts(tmp_path_factory.mktemp("extracts"))
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build_warehouse(folder, path, progress=quiet)
    return path


def test_shipped_config_has_no_problems(warehouse: Path) -> None:
    assert check_file(CONFIG_PATH, warehouse) == []


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mistake_is_named(tmp_path: Path, warehouse: Path, case: str) -> None:
    change, kind, indicator_id, field = CASES[case]
    doc = copy.deepcopy(SHIPPED)
    change(doc)
    path = _write(tmp_path, doc)
    issues = check_file(path, warehouse)
    matching = [i for i in issues if i.kind == kind]
    expected = 2 if kind == "not_portable" else 1  # once per other engine
    assert [(i.indicator_id, i.field) for i in matching] == [(indicator_id, field)] * expected, (
        issues
    )
    line = path.read_text(encoding="utf-8").splitlines()[matching[0].line - 1]
    key = field.split(".")[-1] if kind != "aim_without_indicators" else "aims"
    assert key.split(".")[0] in line or kind in (
        "missing_key",
        "target_without_period",
        "incomplete_measure",
        "not_portable",
    )


def test_every_mistake_is_reported_at_once(tmp_path: Path, warehouse: Path) -> None:
    doc = copy.deepcopy(SHIPPED)
    _set("aim", "acess")(doc)
    doc["indicators"][3]["polarity"] = "up"
    doc["indicators"][5]["source"] = "referrals"
    issues = check_file(_write(tmp_path, doc), warehouse)
    assert {i.kind for i in issues} == {"unknown_aim", "invalid_polarity", "unknown_source"}
    assert [i.line for i in issues] == sorted(i.line for i in issues)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("strategy:\n  title: x\nindicators:\n  - id: a\n   aim: b\n", encoding="utf-8")
    (issue,) = check_file(path, None)
    assert (issue.kind, issue.line) == ("yaml_syntax", 5)


def test_command_exits_non_zero_on_mistakes_and_zero_on_the_shipped_file(
    tmp_path: Path, warehouse: Path
) -> None:
    doc = copy.deepcopy(SHIPPED)
    _set("aim", "acess")(doc)
    bad = _write(tmp_path, doc)
    run = [sys.executable, "-m", "indicators", "check", "--warehouse", str(warehouse)]
    failed = subprocess.run([*run, str(bad)], cwd=PROJECT_ROOT, capture_output=True, text=True)  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
    assert failed.returncode == 1
    assert "requests_per_10k.aim: aim 'acess' is not one of" in failed.stdout
    passed = subprocess.run(run, cwd=PROJECT_ROOT, capture_output=True, text=True)  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
    assert passed.returncode == 0, passed.stdout


def test_compute_command_writes_every_indicator(tmp_path: Path, warehouse: Path) -> None:
    out = tmp_path / "results.csv"
    done = subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [
            sys.executable,
            "-m",
            "indicators",
            "compute",
            "--warehouse",
            str(warehouse),
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    import pandas as pd

    frame = pd.read_csv(out)
    assert set(frame["indicator_id"]) == {i["id"] for i in SHIPPED["indicators"]}
    assert "suppressed" in frame.columns


# Attacks on the analyst-SQL boundary: each asserts exactly what check says, and that nothing ran.


def _issues_for(tmp_path: Path, warehouse: Path, **changes: object) -> list:
    doc = copy.deepcopy(SHIPPED)
    _first(doc).update(changes)
    return [
        (i.kind, i.indicator_id, i.field, i.message)
        for i in check_file(_write(tmp_path, doc), warehouse)
    ]


def test_source_that_is_the_quarantine_is_refused(tmp_path: Path, warehouse: Path) -> None:
    from indicators.store.analyst_sql import ANALYST_TABLES

    issues = _issues_for(tmp_path, warehouse, source="quarantine")
    assert (
        "forbidden_source",
        FIRST,
        "source",
        "table 'quarantine' is not a table analysts may read; use one of: "
        + ", ".join(ANALYST_TABLES),
    ) in issues
    assert "quarantine" not in ANALYST_TABLES and "load_log" not in ANALYST_TABLES


@pytest.mark.parametrize(
    "source", ["requests r, quarantine q", "requests; DROP TABLE requests", 'requests"--']
)
def test_source_that_is_not_a_table_name_is_refused(
    tmp_path: Path, warehouse: Path, source: str
) -> None:
    issues = _issues_for(tmp_path, warehouse, source=source)
    assert [i[:3] for i in issues if i[2] == "source"] == [("unknown_source", FIRST, "source")]


def _memory_tables(warehouse: Path) -> list:
    from indicators.store import readers

    with readers.connect(warehouse) as cur:
        return cur.execute(
            "SELECT database_name, table_name FROM duckdb_tables() WHERE table_name = 'x'"
        ).fetchall()


@pytest.mark.parametrize(
    "where",
    [
        "1=1; CREATE TABLE memory.main.x AS SELECT 1",
        "1=1; CREATE TABLE x AS SELECT 1",
        "1=1; COPY (SELECT 1) TO '{out}'",
    ],
)
def test_check_runs_nothing_after_a_semicolon(tmp_path: Path, warehouse: Path, where: str) -> None:
    out = tmp_path / "x.csv"
    issues = _issues_for(tmp_path, warehouse, where=where.format(out=out))
    assert (
        "forbidden_sql",
        FIRST,
        "where",
        "';' would end the statement: a fragment is one SQL expression",
    ) in issues
    assert not out.exists()
    assert _memory_tables(warehouse) == []  # the reader's own in-memory catalog is untouched


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            "(SELECT count(*) FROM quarantine) > 0",
            "'quarantine' is not a table analysts may read; use one of: ",
        ),
        (
            "EXISTS (SELECT 1 FROM warehouse.main.load_log)",
            "'load_log' is not a table analysts may read; use one of: ",
        ),
        ("EXISTS (SELECT 1 FROM duckdb_settings())", "table function duckdb_settings() is not"),
        ("EXISTS (SELECT 1 FROM memory.main.requests)", "'requests': only the warehouse's own"),
        ("TRUE) OR (TRUE", "a ')' closes a bracket the fragment did not open"),
        ("TRUE -- the rest", "comments are not allowed in a fragment"),
        ("TRUE /* x */", "comments are not allowed in a fragment"),
        ("(TRUE", "a '(' is never closed"),
        ("request_id IN (SHOW TABLES)", "a SHOW_REF is not allowed in a fragment"),
        (
            "request_id IN (SELECT detail FROM requests UNION ALL SELECT detail FROM quarantine)",
            "'quarantine' is not a table analysts may read; use one of: ",
        ),
        ("TRUE UNION SELECT record FROM quarantine", "cannot be read as SQL: syntax error"),
    ],
)
def test_fragment_is_one_expression_over_analyst_tables(
    tmp_path: Path, warehouse: Path, where: str, message: str
) -> None:
    issues = _issues_for(tmp_path, warehouse, where=where)
    found = [i for i in issues if i[:3] == ("forbidden_sql", FIRST, "where")]
    assert len(found) == 1 and found[0][3].startswith(message), issues


def test_a_subquery_over_analyst_tables_is_allowed(tmp_path: Path, warehouse: Path) -> None:
    where = "family_id IN (SELECT e.family_id FROM episodes e JOIN wards w ON TRUE)"
    assert _issues_for(tmp_path, warehouse, where=where) == []


def test_check_binds_a_fragment_without_running_it(tmp_path: Path, warehouse: Path) -> None:
    """A fragment that would run for ages passes check at once: DESCRIBE binds, never runs."""
    import time

    where = "list_sum(range(length(request_id) * 1000000000)) > 0"
    started = time.perf_counter()
    issues = _issues_for(tmp_path, warehouse, where=where)
    assert {i[0] for i in issues} == {"not_portable"}  # list_sum is DuckDB's own
    assert time.perf_counter() - started < 10


def test_spark_reflection_is_refused_for_spark(tmp_path: Path, warehouse: Path) -> None:
    issues = _issues_for(
        tmp_path, warehouse, where="reflect('java.lang.System', 'getenv') IS NOT NULL"
    )
    assert (
        "unsafe_for_engine",
        FIRST,
        "where",
        "reflect() reaches files, the server or the JVM on spark: not allowed",
    ) in issues


@pytest.mark.parametrize(
    ("where", "engine", "message"),
    [
        ("java_method('java.lang.Runtime', 'getRuntime') IS NOT NULL", "spark", "java_method()"),
        ("input_file_name() <> ''", "spark", "input_file_name()"),
        (
            'request_id IN (SELECT a FROM "csv"."/etc/passwd")',
            "spark",
            "`csv`.`/etc/passwd` names a file source",
        ),
        ("pg_read_file('/etc/passwd') <> ''", "postgres", "pg_read_file()"),
        ("lo_import('/etc/passwd') > 0", "postgres", "lo_import()"),
    ],
)
def test_engine_escapes_are_refused_for_that_engine(
    tmp_path: Path, warehouse: Path, where: str, engine: str, message: str
) -> None:
    issues = _issues_for(tmp_path, warehouse, where=where)
    unsafe = [i[3] for i in issues if i[0] == "unsafe_for_engine"]
    assert any(m.startswith(message) and m.endswith(f"on {engine}: not allowed") for m in unsafe), (
        issues
    )
