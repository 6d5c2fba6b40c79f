"""`benchmark.method`: every Fingertips comparison is accepted where it fits the measure,
and an SPC comparison for the wrong kind of measure is named at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_check_whole_file import found, line_starting, variant

# The first indicator (requests_per_10k) is a rate; its benchmark line is this one.
BENCHMARK = "    benchmark: {method: ci_overlap_95}"


@pytest.mark.parametrize(
    "method", ["ci_overlap_95", "ci_overlap_95_998", "double_overlap_95", "spc_rate_95_998"]
)
def test_methods_that_fit_a_rate_are_accepted(tmp_path: Path, method: str) -> None:
    path, _ = variant(tmp_path, {BENCHMARK: f"    benchmark: {{method: {method}}}"})
    assert found(path) == []


def test_spc_for_proportions_on_a_rate_is_refused(tmp_path: Path) -> None:
    path, lines = variant(tmp_path, {BENCHMARK: "    benchmark: {method: spc_proportion_95_998}"})
    assert found(path) == [
        (
            "benchmark_does_not_fit_measure",
            "requests_per_10k",
            "benchmark.method",
            line_starting(lines, BENCHMARK[:14]),
            "'spc_proportion_95_998' compares a proportion, not a rate",
            "error",
        )
    ]
