"""`check` on source mappings: each mistake is reported with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.config.check import check_file
from indicators.config.issue import ERROR, WARNING, Issue
from indicators.config.source_mapping import SOURCES_DIR
from indicators.config.source_rules import check_mapping_file

SHIPPED = SOURCES_DIR / "other-system.yaml"


def edited(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The shipped mapping with one line changed, and that line's number."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "sources" / "broken.yaml"
    path.parent.mkdir()
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, line


def only(issues: list[Issue], kind: str) -> Issue:
    found = [i for i in issues if i.kind == kind]
    assert len(found) == 1, issues
    return found[0]


def test_the_shipped_mapping_has_no_problem() -> None:
    assert check_mapping_file(SHIPPED) == []


def test_an_unknown_target_column_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "Date Received: received_date", "Date Received: received_on")
    issues = check_file(path, None)  # `python -m indicators check FILE` tells mappings apart
    found = only(issues, "unknown_target")
    assert (found.severity, found.line, found.indicator_id) == (ERROR, line, "tables.requests")
    assert found.format(path).startswith(f"broken.yaml:{line}: error: tables.requests.columns.")
    assert "received_on" in found.message
    # the required column it should have fed is now missing too
    assert only(issues, "unmapped_column").message.startswith("required contract column")


def test_a_value_map_missing_a_code_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "          SC: social_care\n", "")
    found = only(check_mapping_file(path), "value_not_mapped")
    codes_line = line - 3  # `codes:` of the decision map
    assert (found.severity, found.line) == (WARNING, codes_line)
    assert "'social_care'" in found.message
    assert found.format(path).startswith(f"broken.yaml:{codes_line}: warning: tables.requests")


def test_a_code_mapped_to_a_value_the_contract_lacks_is_an_error(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "EH-TAF: early_help", "EH-TAF: early_hlep")
    found = only(check_mapping_file(path), "unknown_value")
    assert (found.severity, found.line) == (ERROR, line)


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("        otherwise: quarantine\n      decision:", "      decision:", "missing_key"),
        (
            "otherwise: quarantine\n      decision:",
            "otherwise: keep\n      decision:",
            "bad_otherwise",
        ),
        ('date_format: "%d/%m/%Y"', 'date_format: "%d/%m"', "bad_date_format"),
        ("Child Ref: child_id", "Child Name: child_id", "identifying_column"),
        ("  feedback:\n", "  feedbacks:\n", "unknown_table"),
        ("    sheet: Requests", "    sheet: Requests\n    shet: x", "unknown_key"),
        ("file: early_help_export.xlsx\n    sheet: Requests", "file: ../x.xlsx", "bad_file"),
    ],
)
def test_each_mistake_has_its_rule(tmp_path: Path, old: str, new: str, kind: str) -> None:
    path, _ = edited(tmp_path, old, new)
    found = [i for i in check_mapping_file(path) if i.kind == kind]
    assert found and all(i.line > 0 for i in found)
