"""`spc:` per indicator: the Making Data Count choices parsed, and their mistakes named
with their line (no warehouse needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_check_whole_file import found, line_starting, variant

from indicators.config.spec import SpcOptions, load_strategy

# The first monthly indicator of the shipped file ends with these two lines.
LAST_LINE = "    monthly: true"


def test_shipped_indicators_default_to_screening_and_no_fixed_limits() -> None:
    from indicators.paths import CONFIG_PATH

    for indicator in load_strategy(CONFIG_PATH).indicators:
        assert indicator.spc == SpcOptions(screen_outliers=True, fix_after_n_points=None)


def test_choices_are_read(tmp_path: Path) -> None:
    path, _ = variant(
        tmp_path,
        {LAST_LINE: "{}\n    spc: {screen_outliers: false, fix_after_n_points: 24}"},
    )
    first = load_strategy(path).indicators[0]
    assert first.spc == SpcOptions(screen_outliers=False, fix_after_n_points=24)
    assert found(path) == []


@pytest.mark.parametrize(
    ("options", "kind", "field", "message"),
    [
        (
            "{screen_outliers: sometimes}",
            "wrong_type",
            "spc.screen_outliers",
            "must be true or false",
        ),
        (
            "{fix_after_n_points: 6}",
            "wrong_type",
            "spc.fix_after_n_points",
            "must be a whole number of at least 12 points, not 6",
        ),
        (
            "{fix_after: 12}",
            "unknown_key",
            "spc.fix_after",
            "unknown key 'fix_after' (known: screen_outliers, fix_after_n_points)",
        ),
    ],
)
def test_mistakes_are_named_at_their_line(
    tmp_path: Path, options: str, kind: str, field: str, message: str
) -> None:
    path, lines = variant(tmp_path, {LAST_LINE: "{}\n    spc: " + options})
    at = line_starting(lines, "    spc:")
    assert found(path) == [(kind, "requests_per_10k", field, at, message, "error")]


def test_spc_on_an_indicator_that_is_not_monthly_is_a_warning(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {LAST_LINE: "    spc: {screen_outliers: false}"})
    at = line_starting(lines, "    spc:")
    assert found(path) == [
        (
            "spc_not_monthly",
            "requests_per_10k",
            "spc",
            at,
            "has no effect: only a monthly indicator (monthly: true) gets an XmR chart",
            "warning",
        )
    ]
