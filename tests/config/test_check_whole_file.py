"""`check` covers the whole file: `strategy:`, `aims:` and `jsna:` as well as `indicators:`.

Each case edits one line of the shipped file and asserts exactly what check
says about it: the item, the field, the line, the message and the severity.
None of these rules needs a warehouse.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indicators.config.check import check_file
from indicators.config.keys import yaml_keys
from indicators.config.spec import Strategy
from indicators.load.errors import LoadError
from indicators.load.warehouse import read_strategy
from indicators.paths import CONFIG_PATH, PROJECT_ROOT

SHIPPED = CONFIG_PATH.read_text(encoding="utf-8").splitlines()
STRATEGY_KEYS = ", ".join(yaml_keys(Strategy))


def line_starting(lines: list[str], start: str, after: int = 0) -> int:
    """The 1-based number of the first line (after line `after`) that starts with `start`."""
    return next(n for n, text in enumerate(lines, 1) if n > after and text.startswith(start))


def variant(tmp_path: Path, edits: dict[str, str | None]) -> tuple[Path, list[str]]:
    """The shipped file with each line starting with a key of `edits` replaced (None: cut;
    `{}` in the new text stands for the line it replaces)."""
    lines = list(SHIPPED)
    for start, new in edits.items():
        at = line_starting(lines, start) - 1
        lines[at : at + 1] = [] if new is None else new.replace("{}", lines[at]).splitlines()
    path = tmp_path / "indicators.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, lines


def found(path: Path) -> list[tuple[str, str, str, int, str, str]]:
    return [
        (i.kind, i.indicator_id, i.field, i.line, i.message, i.severity)
        for i in check_file(path, None)
    ]


def test_shipped_file_has_no_issue_of_any_severity() -> None:
    assert check_file(CONFIG_PATH, None) == []


@pytest.mark.parametrize(
    ("edits", "kind", "field", "at", "message"),
    [
        (
            {"  review:": "  review: half_year\n  reveiw: quarter"},
            "unknown_key",
            "reveiw",
            "  reveiw:",
            f"unknown key 'reveiw' (known: {STRATEGY_KEYS})",
        ),
        (
            {"  area_code:": "  area_code: E6000021"},
            "invalid_code",
            "area_code",
            "  area_code:",
            "'E6000021' is not a GSS code (a letter and eight digits)",
        ),
        (
            {"  dfe_la_number:": "  dfe_la_number: stoke"},
            "invalid_code",
            "dfe_la_number",
            "  dfe_la_number:",
            "'stoke' is not DfE's three-digit LA number",
        ),
        (
            {"  review:": "  review: quarter"},
            "unknown_review_cadence",
            "review",
            "  review:",
            "'quarter' is not one of half_year",
        ),
        (
            {"  disclosure: {min_count: 5}": "  disclosure: {min_count: 0}"},
            "invalid_min_count",
            "disclosure.min_count",
            "  disclosure:",
            "0 must be a whole number of at least 1",
        ),
        (
            {"    region:": "    region: {name: Region}"},
            "invalid_code",
            "comparators.region.code",
            "    region:",
            "None is not a GSS code: an area comparator needs its code",
        ),
        (
            {"    region:": "    region: {name: Region, code: E12000005, colour: red}"},
            "unknown_key",
            "comparators.region.colour",
            "    region:",
            "unknown key 'colour' (known: name, code, grouping)",
        ),
        (
            {"    region:": "{}\n    nation: {name: Nation, code: E92000001}"},
            "unknown_comparator",
            "comparators.nation",
            "    nation:",
            "'nation' is not one of england, region, statistical_neighbours",
        ),
        (
            {"    statistical_neighbours:": "    statistical_neighbours: {name: SN, grouping: x}"},
            "unknown_grouping",
            "comparators.statistical_neighbours.grouping",
            "    statistical_neighbours:",
            "'x' is not a shipped grouping (dfe_april_2021)",
        ),
        (
            {"  thrive_indicator:": "  thrive_indicator: requests_per_10k"},
            "unknown_indicator",
            "thrive_indicator",
            "  thrive_indicator:",
            "'requests_per_10k' is not an indicator whose measure is a share_by_category",
        ),
        (
            {"  front_door_aim:": "  front_door_aim: front_door"},
            "unknown_aim",
            "front_door_aim",
            "  front_door_aim:",
            "'front_door' is not the id of an aim in 'aims:'",
        ),
    ],
)
def test_strategy_mistakes(
    tmp_path: Path, edits: dict, kind: str, field: str, at: str, message: str
) -> None:
    path, lines = variant(tmp_path, edits)
    assert found(path) == [(kind, "strategy", field, line_starting(lines, at), message, "error")]


def test_a_missing_strategy_key_is_named_at_the_strategy(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {"  area_name:": None})
    assert found(path) == [
        (
            "missing_key",
            "strategy",
            "area_name",
            line_starting(lines, "  title:"),
            "required key 'area_name' is missing",
            "error",
        )
    ]


def test_a_missing_comparator_is_a_warning(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {"    region:": None})
    assert found(path) == [
        (
            "missing_comparator",
            "strategy",
            "comparators.region",
            line_starting(lines, "    england:"),
            "no 'region' comparator: the dashboard will not offer it",
            "warning",
        )
    ]


@pytest.mark.parametrize(
    ("edits", "item", "kind", "field", "at", "message"),
    [
        (
            {"  - id: empower": "  - id: wards"},
            "aims.wards",
            "invalid_id",
            "id",
            "  - id: wards",
            "'wards' is the name of a dashboard page; choose another id",
        ),
        (
            {"  - id: empower": "  - id: Empower"},
            "aims.Empower",
            "invalid_id",
            "id",
            "  - id: Empower",
            "'Empower' must be lower_snake_case (letters, digits, _)",
        ),
        (
            {"    title: Empower families": None},
            "aims.empower",
            "missing_key",
            "title",
            "  - id: empower",
            "required key 'title' is missing",
        ),
        (
            {"    title: Empower families": "    title: Empower\n    owner: board"},
            "aims.empower",
            "unknown_key",
            "owner",
            "    owner: board",
            "unknown key 'owner' (known: id, title)",
        ),
    ],
)
def test_aim_mistakes(
    tmp_path: Path, edits: dict, item: str, kind: str, field: str, at: str, message: str
) -> None:
    path, lines = variant(tmp_path, edits)
    issues = [i for i in found(path) if i[0] != "unknown_aim" and i[0] != "aim_without_indicators"]
    assert issues == [(kind, item, field, line_starting(lines, at), message, "error")]


def test_a_repeated_aim_id_is_named_at_its_second_use(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {"  - id: empower": "  - id: access"})
    second = line_starting(lines, "  - id: access", after=line_starting(lines, "  - id: access"))
    assert ("duplicate_id", "aims.access", "id", second) in [i[:4] for i in found(path)]


JSNA = "jsna.cin_rate_per_10k"


@pytest.mark.parametrize(
    ("edits", "kind", "field", "at", "message"),
    [
        (
            {"    layout: dfe": "    layout: csv"},
            "unknown_layout",
            "layout",
            "    layout: csv",
            "'csv' is not one of dfe, fingertips",
        ),
        (
            {"    file: dfe/b1_children_in_need": None},
            "incomplete_source",
            "layout",
            "    layout: dfe",
            "a dfe source needs 'file'",
        ),
        (
            {"    rate_per: 10000": None},
            "incomplete_source",
            "layout",
            "    layout: dfe",
            "a dfe source needs 'value', 'count' with 'rate_per', "
            "or 'count' and 'denominator' with unit '%'",
        ),
        (
            {"    rate_per: 10000": "    rate_per: -5"},
            "wrong_type",
            "rate_per",
            "    rate_per: -5",
            "must be a positive number",
        ),
        (
            {"    polarity: no_judgement": "    polarity: up"},
            "invalid_polarity",
            "polarity",
            "    polarity: up",
            "'up' is not one of high_is_good, low_is_good, no_judgement",
        ),
        (
            {"    unit: per 10,000": "    units: per 10,000"},
            "unknown_key",
            "units",
            "    units:",
            "unknown key 'units' (known: id, title, layout, unit, polarity, file, filters, "
            "value, count, denominator, rate_per, fingertips_id, theme, period_type)",
        ),
        (
            {"    theme: children_in_need": "    theme: sport"},
            "invalid_value",
            "theme",
            "    theme: sport",
            "'sport' is not one of children_in_need, safeguarding_factors, children_in_care, "
            "education, workforce, health",
        ),
        (
            {"    polarity: no_judgement": "    polarity: no_judgement\n    period_type: decade"},
            "invalid_value",
            "period_type",
            "    period_type: decade",
            "'decade' is not one of academic_year, financial_year, calendar_year, september_year",
        ),
    ],
)
def test_jsna_mistakes(
    tmp_path: Path, edits: dict, kind: str, field: str, at: str, message: str
) -> None:
    path, lines = variant(tmp_path, edits)
    issues = found(path)
    missing = [i for i in issues if i[0] == "missing_key"]  # a renamed key is also missing
    assert [i for i in issues if i not in missing] == [
        (kind, JSNA, field, line_starting(lines, at), message, "error")
    ]


def test_a_jsna_mistake_stops_the_load_with_its_line(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {"    layout: dfe": "    layout: csv"})
    with pytest.raises(LoadError) as stopped:
        read_strategy(path)
    line = line_starting(lines, "    layout: csv")
    assert str(stopped.value) == (
        f"indicators.yaml:{line}: error: {JSNA}.layout: 'csv' is not one of dfe, fingertips "
        "[unknown_layout]"
    )


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [sys.executable, "-m", "indicators", "check", str(path), "--warehouse", "/nonexistent"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )


def test_check_prints_severities_and_stops_only_on_errors(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {"    region:": None})
    warned = _check(path)
    assert warned.returncode == 0, warned.stdout
    line = line_starting(lines, "    england:")
    assert (
        f"indicators.yaml:{line}: warning: strategy.comparators.region: no 'region' comparator"
    ) in warned.stdout
    assert warned.stdout.rstrip().endswith("0 error(s), 1 warning(s)")
    path, lines = variant(tmp_path, {"  review:": "  review: quarter"})
    failed = _check(path)
    assert failed.returncode == 1
    assert f"indicators.yaml:{line_starting(lines, '  review:')}: error: strategy.review" in (
        failed.stdout
    )
