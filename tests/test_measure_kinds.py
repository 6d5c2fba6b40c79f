"""The table of measure kinds: one row per `measure.type`, and every stage reads it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from indicators.config import definition_rules, spec
from indicators.config.issue import Context
from indicators.disclosure import small_numbers
from indicators.measure_kinds import (
    KINDS,
    BenchmarkMethod,
    Interval,
    MeasureKind,
    benchmark_fits,
    interval_for,
    kind_of,
)
from indicators.paths import CONFIG_PATH

SHIPPED = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))


def test_every_measure_type_has_one_rule() -> None:
    assert set(KINDS) == set(MeasureKind)
    assert set(spec.MEASURE_TYPES) == {k.value for k in MeasureKind}
    assert all(rule.kind is kind for kind, rule in KINDS.items())


def test_every_shipped_indicator_uses_its_kinds_default_interval() -> None:
    """So honouring `ci` changes no shipped figure (the SQL and tidy snapshots stay)."""
    for raw in SHIPPED["indicators"]:
        assert raw["ci"] == kind_of(raw["measure"]["type"]).default_interval, raw["id"]


@pytest.mark.parametrize(
    ("measure_type", "ci", "expected"),
    [
        ("proportion", "byar", Interval.BYAR),
        ("proportion", "wilson", Interval.WILSON),
        ("rate", "wilson", Interval.BYAR),  # check refuses it; compute never guesses Wilson
        ("mean", "none", Interval.NONE),
        ("median", "student_t", Interval.NONE),
    ],
)
def test_interval_is_the_definitions_when_it_fits(measure_type, ci, expected) -> None:
    assert interval_for(measure_type, ci) is expected


def test_disclosure_sets_come_from_the_table() -> None:
    assert {
        "proportion",
        "mean",
        "median",
        "share_by_category",
    } == small_numbers.COUNT_DENOMINATOR_MEASURES
    assert {"proportion"} == small_numbers.COMPLEMENT_MEASURES
    assert {"share_by_category"} == small_numbers.CATEGORY_MEASURES
    assert set(spec.MEASURE_TYPES) == small_numbers.MEASURES


def _issues(tmp_path: Path, indicator_id: str, **changes: object) -> list:
    doc = copy.deepcopy(SHIPPED)
    raw = next(i for i in doc["indicators"] if i["id"] == indicator_id)
    raw.update(changes)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    context = Context(spec.load_strategy(path), None, None)
    return [
        (i.kind, i.indicator_id, i.field)
        for rule in (definition_rules.ci_fits_measure, definition_rules.measure_shape)
        for i in rule(context)
    ]


@pytest.mark.parametrize(
    ("indicator_id", "ci", "fits"),
    [
        ("requests_decided_3_days", "byar", True),  # a Poisson interval for a rare proportion
        ("requests_decided_3_days", "student_t", False),
        ("requests_per_10k", "wilson", False),  # events per population are not x out of n
        ("mean_outcome_change", "none", True),
        ("median_days_request_to_support", "student_t", False),
        ("step_downs_from_social_care", "none", True),
    ],
)
def test_check_accepts_only_the_intervals_of_the_kind(tmp_path, indicator_id, ci, fits) -> None:
    issues = _issues(tmp_path, indicator_id, ci=ci)
    assert issues == ([] if fits else [("ci_mismatch", indicator_id, "ci")])


def test_check_asks_for_the_parts_of_the_kind(tmp_path: Path) -> None:
    measure = {"type": "proportion", "numerator": {"count": "*"}}
    issues = _issues(tmp_path, "requests_decided_3_days", measure=measure)
    assert issues == [("incomplete_measure", "requests_decided_3_days", "measure.denominator")]


@pytest.mark.parametrize("kind", list(MeasureKind))
def test_an_spc_benchmark_fits_only_the_kind_it_is_drawn_for(kind: MeasureKind) -> None:
    rule = KINDS[kind]
    assert benchmark_fits(rule, BenchmarkMethod.SPC_PROPORTION_95_998) == (
        kind is MeasureKind.PROPORTION
    )
    assert benchmark_fits(rule, BenchmarkMethod.SPC_RATE_95_998) == (kind is MeasureKind.RATE)
    assert benchmark_fits(rule, BenchmarkMethod.DOUBLE_OVERLAP_95)
