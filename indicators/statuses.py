"""The codes the statistics return: polarity, comparison, funnel, trend, progress, assurance.

Codes, not words: the methods judge, `indicators.present.status_words` says
each judgement in words a person reads, and charts and logic test codes only,
so rewording a label never changes a chart. Every enum is a `StrEnum`, so a
code is also the plain string stored in frames and compared in tests.

>>> Comparison("better") is Comparison.BETTER
True
"""

from __future__ import annotations

from enum import StrEnum


class Polarity(StrEnum):
    """Which direction is good for an indicator (its `polarity:` in the YAML)."""

    HIGH_IS_GOOD = "high_is_good"
    LOW_IS_GOOD = "low_is_good"
    NO_JUDGEMENT = "no_judgement"


class Comparison(StrEnum):
    """An area against a benchmark by interval overlap (`compare_to_benchmark`)."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    HIGHER = "higher"
    LOWER = "lower"
    MUCH_BETTER = "much_better"
    MUCH_WORSE = "much_worse"
    MUCH_HIGHER = "much_higher"
    MUCH_LOWER = "much_lower"
    NOT_COMPARED = "not_compared"

    def side(self, polarity: str) -> int:
        """+1 when the area lies above the benchmark, −1 below, 0 similar or not compared.

        Better and worse say the side only with the polarity: better is above
        when high is good and below when low is good.

        >>> Comparison.BETTER.side("low_is_good")
        -1
        """
        if self in _HIGHER:
            return 1
        if self in _LOWER:
            return -1
        if self in _BETTER or self in _WORSE:
            good_side = 1 if polarity == Polarity.HIGH_IS_GOOD else -1
            return good_side if self in _BETTER else -good_side
        return 0


_HIGHER = {Comparison.HIGHER, Comparison.MUCH_HIGHER}
_LOWER = {Comparison.LOWER, Comparison.MUCH_LOWER}
_BETTER = {Comparison.BETTER, Comparison.MUCH_BETTER}
_WORSE = {Comparison.WORSE, Comparison.MUCH_WORSE}


class FunnelPosition(StrEnum):
    """Where a ward sits on a funnel plot (`classify_funnel_points`)."""

    HIGH_0_001 = "high_0.001"
    HIGH_0_025 = "high_0.025"
    LOW_0_001 = "low_0.001"
    LOW_0_025 = "low_0.025"
    NOT_SIGNIFICANT = "not_significant"
    NOT_COMPARED = "not_compared"


class TrendMarker(StrEnum):
    """The direction of Fingertips' recent trend (`recent_trend`'s marker)."""

    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_CHANGE = "no_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


class TrendAssessment(StrEnum):
    """The recent trend judged by polarity (`recent_trend`'s assessment)."""

    GETTING_BETTER = "getting_better"
    GETTING_WORSE = "getting_worse"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


class Progress(StrEnum):
    """Progress since the baseline, towards a target where there is one (`progress_status`)."""

    TARGET_ACHIEVED = "target_achieved"
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    LIMITED_PROGRESS = "limited_progress"
    MOVING_AWAY = "moving_away"
    IMPROVING = "improving"
    WORSENING = "worsening"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_CHANGE = "no_change"
    NOT_ASSESSED = "not_assessed"


class Variation(StrEnum):
    """What the latest point of an SPC chart shows ("Making Data Count" variation icons).

    With no improvement direction a special cause is still high or low (the
    neutral icons), as NHSRplotthedots' ``special_cause_neutral_high/low``.
    """

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "special_cause_improvement"
    CONCERN = "special_cause_concern"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"
    NOT_APPLICABLE = "not_applicable"


class Assurance(StrEnum):
    """Whether an SPC process will meet its target ("Making Data Count" assurance)."""

    CONSISTENTLY_PASSES = "consistently_passes"
    CONSISTENTLY_FAILS = "consistently_fails"
    INCONSISTENT = "inconsistent"
    NO_TARGET = "no_target"
    NOT_APPLICABLE = "not_applicable"
