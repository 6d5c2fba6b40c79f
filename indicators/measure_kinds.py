"""What each kind of measure means, in one table every stage consults.

A measure's `type` in config/indicators.yaml (`proportion`, `rate`, ...) decides
which parts the definition needs, how the query counts, which interval,
trend test and funnel fit, how disclosure treats its denominator and how a
baseline is drawn. Those answers used to be `if measure.type == ...` in a
dozen modules; they live here instead, so adding or changing a kind is one
row, and `check`, compile, compute, disclosure and the views cannot disagree.

The table holds codes only (no statistics, no SQL): `indicators.methods` does
the arithmetic and the engine picks it by these codes. It sits at the top of
`indicators/`, beside `periods`, because every stage (config to report) reads it.

>>> KINDS[MeasureKind.RATE].default_interval
<Interval.BYAR: 'byar'>
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MeasureKind(StrEnum):
    """The `measure.type` values an indicator may declare."""

    PROPORTION = "proportion"
    RATE = "rate"
    COUNT = "count"
    MEAN = "mean"
    MEDIAN = "median"
    SHARE_BY_CATEGORY = "share_by_category"


class Interval(StrEnum):
    """The `ci:` values: how a value's 95% confidence interval is worked out (methods.md)."""

    WILSON = "wilson"  # Wilson score, for x out of n
    BYAR = "byar"  # exact Poisson below 10 events, Byar's from 10, for x over n (or over 1)
    STUDENT_T = "student_t"  # Student's t, for a mean of values
    NONE = "none"  # no interval: the value is shown but never compared or trended


class BenchmarkMethod(StrEnum):
    """The `benchmark.method` values (Fingertips' comparison with a benchmark)."""

    CI_OVERLAP_95 = "ci_overlap_95"  # the benchmark inside the area's 95% interval
    CI_OVERLAP_95_998 = "ci_overlap_95_998"  # ... and 99.8% for much better/worse
    DOUBLE_OVERLAP_95 = "double_overlap_95"  # the two 95% intervals overlap
    SPC_PROPORTION_95_998 = "spc_proportion_95_998"  # control limits at the denominator
    SPC_RATE_95_998 = "spc_rate_95_998"  # Poisson control limits at the population


class Denominator(StrEnum):
    """Where a kind's denominator comes from."""

    TALLY = "tally"  # the definition's own `denominator:` tally of rows
    POPULATION = "population"  # the population estimate of an age band
    CATEGORY_TOTAL = "category_total"  # all rows in the period, over every category
    VALUES = "values"  # how many values the mean or median is of
    NONE = "none"  # a count has none


class Baseline(StrEnum):
    """How a half-year chart draws the baseline year's line."""

    YEAR_VALUE = "year_value"  # the baseline year's own value (a share or average)
    MEAN_OF_HALVES = "mean_of_halves"  # a six-month chart: the mean of its two halves


@dataclass(frozen=True)
class KindRule:
    """Everything a stage needs to know about one kind of measure.

    `intervals` lists the `ci:` values that fit, the default first; the
    `trend_test` and `funnel` are `value_type`s of `methods.recent_trend` and
    `methods.classify_funnel_points` (None: not defined for the kind).
    """

    kind: MeasureKind
    parts: tuple[str, ...]
    denominator: Denominator
    intervals: tuple[Interval, ...]
    trend_test: str | None
    funnel: str | None
    baseline: Baseline
    centre: str | None = None  # SQL aggregate of `value:` for means and medians
    bounded: bool = False  # value lies in 0..multiplier (a target outside cannot be met)
    complement_counts: bool = False  # denominator − numerator is itself a count of people
    tile: bool = True  # shown as its own tile and ward row (a share is shown as a mix)
    # The SPC benchmark comparison that fits (`methods.compare_by_spc`'s kind), if any.
    spc_benchmark: BenchmarkMethod | None = None

    @property
    def by_category(self) -> bool:
        """One row per category of `measure.category`, each a share of the period's total."""
        return self.denominator is Denominator.CATEGORY_TOTAL

    @property
    def default_interval(self) -> Interval:
        return self.intervals[0]

    @property
    def sensitive_denominator(self) -> bool:
        """The denominator counts children, so disclosure protects it like a numerator."""
        return self.denominator not in (Denominator.POPULATION, Denominator.NONE)


KINDS: dict[MeasureKind, KindRule] = {
    rule.kind: rule
    for rule in (
        KindRule(
            MeasureKind.PROPORTION,
            parts=("numerator", "denominator"),
            denominator=Denominator.TALLY,
            intervals=(Interval.WILSON, Interval.BYAR),
            trend_test="proportion",
            funnel="proportion",
            baseline=Baseline.YEAR_VALUE,
            bounded=True,
            complement_counts=True,
            spc_benchmark=BenchmarkMethod.SPC_PROPORTION_95_998,
        ),
        KindRule(
            MeasureKind.SHARE_BY_CATEGORY,
            parts=("category",),
            denominator=Denominator.CATEGORY_TOTAL,
            intervals=(Interval.WILSON, Interval.BYAR),
            trend_test="proportion",
            funnel=None,
            baseline=Baseline.YEAR_VALUE,
            bounded=True,
            tile=False,
        ),
        KindRule(
            MeasureKind.RATE,
            parts=("numerator", "denominator"),
            denominator=Denominator.POPULATION,
            intervals=(Interval.BYAR,),
            trend_test="rate",
            funnel="rate",
            baseline=Baseline.MEAN_OF_HALVES,
            spc_benchmark=BenchmarkMethod.SPC_RATE_95_998,
        ),
        KindRule(
            MeasureKind.COUNT,
            parts=("numerator",),
            denominator=Denominator.NONE,
            intervals=(Interval.BYAR, Interval.NONE),
            trend_test=None,
            funnel=None,
            baseline=Baseline.MEAN_OF_HALVES,
        ),
        KindRule(
            MeasureKind.MEAN,
            parts=("value",),
            denominator=Denominator.VALUES,
            intervals=(Interval.STUDENT_T, Interval.NONE),
            trend_test=None,
            funnel=None,
            baseline=Baseline.YEAR_VALUE,
            centre="avg",
        ),
        KindRule(
            MeasureKind.MEDIAN,
            parts=("value",),
            denominator=Denominator.VALUES,
            intervals=(Interval.NONE,),
            trend_test=None,
            funnel=None,
            baseline=Baseline.YEAR_VALUE,
            centre="median",
        ),
    )
}


def kind_of(measure_type: str) -> KindRule:
    """The rule for a `measure.type`; raises KeyError for a type `check` would refuse."""
    return KINDS[MeasureKind(measure_type)]


SPC_BENCHMARKS = (BenchmarkMethod.SPC_PROPORTION_95_998, BenchmarkMethod.SPC_RATE_95_998)


def benchmark_fits(rule: KindRule, method: str) -> bool:
    """Whether `benchmark.method` can judge this kind: an SPC comparison only the kind
    it is drawn for (proportions, rates); the interval methods any kind with one."""
    if method in SPC_BENCHMARKS:
        return rule.spc_benchmark == method
    return True


def interval_for(measure_type: str, ci: str) -> Interval:
    """The interval to compute: the definition's `ci` when it fits the kind, else the default.

    `check` refuses a `ci` that does not fit, so the fallback only serves
    definitions built in code without one.
    """
    rule = kind_of(measure_type)
    return Interval(ci) if ci in rule.intervals else rule.default_interval
