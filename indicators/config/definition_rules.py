"""Rules about the definitions themselves: keys, types, ids, aims, values, measures, periods.

Each rule yields `Issue`s for one concern; `check.RULES` composes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from indicators.config.issue import WARNING, Context, Issue, issue, key_issues
from indicators.config.spec import (
    BENCHMARK_METHODS,
    CI_METHODS,
    MEASURE_TYPES,
    SECTIONS,
    TALLY_KINDS,
    Indicator,
    Measure,
    SpcOptions,
    line_of,
)
from indicators.load.reference import POPULATION_BANDS
from indicators.measure_kinds import KINDS, Denominator, benchmark_fits
from indicators.methods.benchmark import POLARITIES
from indicators.methods.process_control import MIN_FIXED_POINTS
from indicators.periods import PERIOD_LABEL

TEXT_FIELDS = ("id", "aim", "title", "description", "source", "date", "unit", "owner")


ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


def top_level_keys(ctx: Context) -> Iterator[Issue]:
    for key in set(ctx.strategy.document) - set(SECTIONS):
        yield Issue(
            "unknown_key",
            "-",
            key,
            line_of(ctx.strategy.document, key),
            f"unknown top-level key {key!r} (expected {', '.join(sorted(SECTIONS))})",
        )


def indicator_keys(ctx: Context) -> Iterator[Issue]:
    """Keys the `Indicator` model does not read, and required ones missing."""
    for ind in ctx.strategy.indicators:
        yield from key_issues(ind.raw, Indicator, ind.id or "?")


def field_types(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        raw = ind.raw
        for key in TEXT_FIELDS:
            if key in raw and not isinstance(raw[key], str):
                yield issue("wrong_type", ind, key, f"must be text, not {type(raw[key]).__name__}")
        if "breakdowns" in raw and not (
            isinstance(raw["breakdowns"], list)
            and all(isinstance(b, str) for b in raw["breakdowns"])
        ):
            yield issue("wrong_type", ind, "breakdowns", "must be a list of column names")
        if "monthly" in raw and not isinstance(raw["monthly"], bool):
            yield issue("wrong_type", ind, "monthly", "must be true or false")
        if "measure" in raw and not isinstance(raw["measure"], dict):
            yield issue("wrong_type", ind, "measure", "must be a mapping with a type")
        measure = raw.get("measure")
        if (
            isinstance(measure, dict)
            and "multiplier" in measure
            and not (isinstance(measure["multiplier"], int | float) and measure["multiplier"] > 0)
        ):
            yield issue(
                "wrong_type", ind, "measure.multiplier", "must be a positive number", measure
            )
        for key in ("baseline", "target", "benchmark", "disclosure", "spc"):
            if key in raw and not isinstance(raw[key], dict):
                yield issue("wrong_type", ind, key, "must be a mapping")


def id_format(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        if "id" in ind.raw and not ID_PATTERN.fullmatch(ind.id):
            yield issue(
                "invalid_id", ind, "id", f"{ind.id!r} must be lower_snake_case (letters, digits, _)"
            )


def duplicate_ids(ctx: Context) -> Iterator[Issue]:
    counts = Counter(i.id for i in ctx.strategy.indicators if i.id)
    seen: set[str] = set()
    for ind in ctx.strategy.indicators:
        if counts[ind.id] > 1:
            if ind.id in seen:
                yield issue("duplicate_id", ind, "id", f"id {ind.id!r} is used more than once")
            seen.add(ind.id)


def known_aim(ctx: Context) -> Iterator[Issue]:
    aims = {a.id for a in ctx.strategy.aims}
    for ind in ctx.strategy.indicators:
        if ind.aim and ind.aim not in aims:
            yield issue(
                "unknown_aim",
                ind,
                "aim",
                f"aim {ind.aim!r} is not one of {', '.join(sorted(aims))}",
            )


def allowed_values(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        measure = ind.raw.get("measure")
        if isinstance(measure, dict) and "type" in measure and measure["type"] not in MEASURE_TYPES:
            yield issue(
                "unknown_measure_type",
                ind,
                "measure.type",
                f"{measure.get('type')!r} is not one of {', '.join(MEASURE_TYPES)}",
                measure,
            )
        if "polarity" in ind.raw and ind.polarity not in POLARITIES:
            yield issue(
                "invalid_polarity",
                ind,
                "polarity",
                f"{ind.raw['polarity']!r} is not one of {', '.join(POLARITIES)}",
            )
        if "ci" in ind.raw and ind.raw["ci"] not in CI_METHODS:
            yield issue(
                "unknown_ci_method",
                ind,
                "ci",
                f"{ind.raw['ci']!r} is not one of {', '.join(CI_METHODS)}",
            )
        if ind.benchmark_method not in BENCHMARK_METHODS:
            yield issue(
                "unknown_benchmark_method",
                ind,
                "benchmark.method",
                f"{ind.benchmark_method!r} is not one of {', '.join(BENCHMARK_METHODS)}",
                ind.raw.get("benchmark"),
                "method",
            )
        elif ind.measure.type in MEASURE_TYPES and not benchmark_fits(
            ind.measure.kind, ind.benchmark_method
        ):
            yield issue(
                "benchmark_does_not_fit_measure",
                ind,
                "benchmark.method",
                f"{ind.benchmark_method!r} compares a "
                f"{'proportion' if 'proportion' in ind.benchmark_method else 'rate'}, "
                f"not a {ind.measure.type}",
                ind.raw.get("benchmark"),
                "method",
            )


def measure_shape(ctx: Context) -> Iterator[Issue]:
    """Each measure type has the parts it needs, and only known parts."""
    for ind in ctx.strategy.indicators:
        measure = ind.raw.get("measure")
        if not isinstance(measure, dict):
            continue
        yield from key_issues(measure, Measure, ind.id or "?", "measure.")
        for part in ("numerator", "denominator"):
            tally = measure.get(part)
            if isinstance(tally, dict):
                kinds = [k for k in tally if k != "where"]
                if len(kinds) != 1 or kinds[0] not in TALLY_KINDS:
                    yield issue(
                        "invalid_tally",
                        ind,
                        f"measure.{part}",
                        "must be one of count_distinct: COLUMN, count: '*', sum: COLUMN "
                        "or population: AGE_BAND, with an optional where",
                        measure,
                        part,
                    )
        rule = KINDS.get(ind.measure.type)
        for part in rule.parts if rule else ():
            if part not in measure:
                yield issue(
                    "incomplete_measure",
                    ind,
                    f"measure.{part}",
                    f"a {ind.measure.type} measure needs {part!r}",
                    measure,
                    "type",
                )
        denominator = ind.measure.denominator
        wants_population = rule is not None and rule.denominator is Denominator.POPULATION
        if wants_population and denominator and denominator.kind != "population":
            yield issue(
                "incomplete_measure",
                ind,
                "measure.denominator",
                "a rate's denominator is population: AGE_BAND",
                measure,
                "denominator",
            )
        if (
            denominator
            and denominator.kind == "population"
            and denominator.column not in POPULATION_BANDS
        ):
            yield issue(
                "unknown_age_band",
                ind,
                "measure.denominator",
                f"age band {denominator.column!r} is not one of {', '.join(POPULATION_BANDS)}",
                measure,
                "denominator",
            )


def ci_fits_measure(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        rule = KINDS.get(ind.measure.type)
        allowed = rule.intervals if rule else ()
        if allowed and ind.ci in CI_METHODS and ind.ci not in allowed:
            yield issue(
                "ci_mismatch",
                ind,
                "ci",
                f"{ind.ci!r} does not fit a {ind.measure.type}; use {' or '.join(sorted(allowed))}",
            )


def periods_and_target(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        for key, label in (("baseline", ind.baseline_period), ("target", ind.target_period)):
            if label and not PERIOD_LABEL.fullmatch(label):
                yield issue(
                    "invalid_period",
                    ind,
                    f"{key}.period",
                    f"{label!r} is not a period like 2019/20 or 2021 H1",
                    ind.raw.get(key),
                    "period",
                )
        target = ind.raw.get("target")
        if isinstance(target, dict):
            if "value" in target and not isinstance(target["value"], int | float):
                yield issue("wrong_type", ind, "target.value", "must be a number", target, "value")
            if "value" in target and "period" not in target:
                yield issue(
                    "target_without_period",
                    ind,
                    "target.period",
                    "a target needs the period it should be met by",
                    target,
                    "value",
                )
            value = ind.target_value
            if (
                value is not None
                and ind.measure.type in KINDS
                and KINDS[ind.measure.type].bounded
                and not 0 <= value <= ind.measure.multiplier
            ):
                yield issue(
                    "target_out_of_range",
                    ind,
                    "target.value",
                    f"{value} is outside 0-{ind.measure.multiplier:g} for a proportion",
                    target,
                    "value",
                )


def disclosure_threshold(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        disclosure = ind.raw.get("disclosure")
        if isinstance(disclosure, dict) and "min_count" in disclosure:
            value = disclosure["min_count"]
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
                yield issue(
                    "invalid_min_count",
                    ind,
                    "disclosure.min_count",
                    f"{value!r} must be a whole number of at least 1",
                    disclosure,
                    "min_count",
                )


def aims_covered(ctx: Context) -> Iterator[Issue]:
    counts = Counter(i.aim for i in ctx.strategy.indicators)
    for aim in ctx.strategy.aims:
        if counts[aim.id] == 0:
            yield Issue(
                "aim_without_indicators",
                "-",
                f"aims.{aim.id}",
                line_of(ctx.strategy.document, "aims"),
                f"aim {aim.id!r} has no indicator (its page will be empty)",
                WARNING,
            )


def spc_options(ctx: Context) -> Iterator[Issue]:
    """`spc:` holds only the Making Data Count choices, of the right types, on a
    monthly indicator (the only kind that gets an XmR chart)."""
    for ind in ctx.strategy.indicators:
        options = ind.raw.get("spc")
        if not isinstance(options, dict):
            continue
        yield from key_issues(options, SpcOptions, ind.id or "?", "spc.")
        if "screen_outliers" in options and not isinstance(options["screen_outliers"], bool):
            yield issue("wrong_type", ind, "spc.screen_outliers", "must be true or false", options)
        fix = options.get("fix_after_n_points")
        if "fix_after_n_points" in options and not (
            isinstance(fix, int) and not isinstance(fix, bool) and fix >= MIN_FIXED_POINTS
        ):
            yield issue(
                "wrong_type",
                ind,
                "spc.fix_after_n_points",
                f"must be a whole number of at least {MIN_FIXED_POINTS} points, not {fix!r}",
                options,
            )
        if not ind.monthly:
            yield Issue(
                "spc_not_monthly",
                ind.id or "?",
                "spc",
                line_of(ind.raw, "spc"),
                "has no effect: only a monthly indicator (monthly: true) gets an XmR chart",
                WARNING,
            )
