"""Every status code in the words a person reads: the one place to reword a judgement.

The methods return codes (`indicators.statuses`); pages, tables, the
board pack and chart legends show these words. Logic and chart markers read
codes, never these words, so rewording here changes no chart.
"""

from __future__ import annotations

from indicators.statuses import (
    Assurance,
    Comparison,
    FunnelPosition,
    Progress,
    TrendAssessment,
    Variation,
)

# Icons are Material Symbols, which Streamlit ships (no emoji font needed); the
# words always stand beside them, so status is never carried by an icon or colour alone.
PROGRESS_WORDS: dict[str, tuple[str, str]] = {
    Progress.TARGET_ACHIEVED: (":material/verified:", "Target achieved"),
    Progress.ON_TRACK: (":material/check_circle:", "On track"),
    Progress.NEEDS_ACCELERATION: (":material/speed:", "Progress, needs acceleration"),
    Progress.LIMITED_PROGRESS: (":material/hourglass_bottom:", "Limited progress"),
    Progress.MOVING_AWAY: (":material/warning:", "Moving away from target"),
    Progress.IMPROVING: (":material/arrow_upward:", "Improving since baseline"),
    Progress.WORSENING: (":material/arrow_downward:", "Worsening since baseline"),
    Progress.INCREASING: (":material/north_east:", "Higher than baseline"),
    Progress.DECREASING: (":material/south_east:", "Lower than baseline"),
    Progress.NO_CHANGE: (":material/arrow_forward:", "No change since baseline"),
    Progress.NOT_ASSESSED: (":material/remove:", "Not assessed"),
}
TREND_WORDS: dict[str, str] = {
    TrendAssessment.GETTING_BETTER: "Getting better",
    TrendAssessment.GETTING_WORSE: "Getting worse",
    TrendAssessment.INCREASING: "Increasing",
    TrendAssessment.DECREASING: "Decreasing",
    TrendAssessment.NO_SIGNIFICANT_CHANGE: "No significant change",
    "no_change": "No significant change",  # recent_trend's marker, when read as an assessment
    TrendAssessment.CANNOT_BE_CALCULATED: "Trend cannot be calculated",
}
COMPARISON_WORDS: dict[str, str] = {
    Comparison.BETTER: "Better than",
    Comparison.WORSE: "Worse than",
    Comparison.SIMILAR: "Similar to",
    Comparison.HIGHER: "Higher than",
    Comparison.LOWER: "Lower than",
    Comparison.MUCH_BETTER: "Much better than",
    Comparison.MUCH_WORSE: "Much worse than",
    Comparison.MUCH_HIGHER: "Much higher than",
    Comparison.MUCH_LOWER: "Much lower than",
    Comparison.NOT_COMPARED: "Not compared with",
}
FUNNEL_WORDS: dict[str, str] = {
    FunnelPosition.NOT_SIGNIFICANT: "Within the limits",
    FunnelPosition.HIGH_0_025: "High (outside 95%)",
    FunnelPosition.LOW_0_025: "Low (outside 95%)",
    FunnelPosition.HIGH_0_001: "High (outside 99.8%)",
    FunnelPosition.LOW_0_001: "Low (outside 99.8%)",
    FunnelPosition.NOT_COMPARED: "Not compared",
}
ASSURANCE_WORDS: dict[str, str] = {
    Assurance.CONSISTENTLY_PASSES: "The process consistently meets the target",
    Assurance.CONSISTENTLY_FAILS: "The process will not meet the target without change",
    Assurance.INCONSISTENT: "The process will sometimes meet the target and sometimes not",
    Assurance.NO_TARGET: "No target set",
    Assurance.NOT_APPLICABLE: "No judgement of assurance (no direction or too few points)",
}

VARIATION_WORDS: dict[str, str] = {
    Variation.COMMON_CAUSE: "Common cause variation: no significant change",
    Variation.IMPROVEMENT: "Special cause variation: improvement",
    Variation.CONCERN: "Special cause variation: concern",
    Variation.NEUTRAL_HIGH: "Special cause variation: unusually high (no direction judged)",
    Variation.NEUTRAL_LOW: "Special cause variation: unusually low (no direction judged)",
    Variation.NOT_APPLICABLE: "Too few points to judge variation",
}
#: Said beside the variation and assurance when the limits rest on fewer than 12 points.
TRIAL_LIMITS_WORDS = "trial limits from fewer than 12 points, to be revised as months arrive"


def progress_words(code: str) -> str:
    """The words for a progress code (the code itself if it has none)."""
    return PROGRESS_WORDS.get(code, ("", code))[1]


#: The few words beside an icon in the one-screen strategy table, where a column is
#: narrow; the full words above stand in each cell's tooltip and in the details.
PROGRESS_SHORT: dict[str, str] = {
    Progress.TARGET_ACHIEVED: "Target achieved",
    Progress.ON_TRACK: "On track",
    Progress.NEEDS_ACCELERATION: "Needs acceleration",
    Progress.LIMITED_PROGRESS: "Limited progress",
    Progress.MOVING_AWAY: "Moving away",
    Progress.IMPROVING: "Improving",
    Progress.WORSENING: "Worsening",
    Progress.INCREASING: "Higher",
    Progress.DECREASING: "Lower",
    Progress.NO_CHANGE: "No change",
    Progress.NOT_ASSESSED: "Not assessed",
}
VARIATION_SHORT: dict[str, str] = {
    Variation.COMMON_CAUSE: "Common cause",
    Variation.IMPROVEMENT: "Improving",
    Variation.CONCERN: "Concerning",
    Variation.NEUTRAL_HIGH: "Unusually high",
    Variation.NEUTRAL_LOW: "Unusually low",
    Variation.NOT_APPLICABLE: "Too few points",
}
ASSURANCE_SHORT: dict[str, str] = {
    Assurance.CONSISTENTLY_PASSES: "Consistently passing",
    Assurance.CONSISTENTLY_FAILS: "Consistently failing",
    Assurance.INCONSISTENT: "Hit and miss",
    Assurance.NO_TARGET: "No target",
    Assurance.NOT_APPLICABLE: "Not judged",
}
TREND_SHORT: dict[str, str] = {
    **TREND_WORDS,
    TrendAssessment.CANNOT_BE_CALCULATED: "Cannot be calculated",
}
