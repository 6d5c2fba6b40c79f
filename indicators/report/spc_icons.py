"""The NHS "Making Data Count" variation and assurance icons, drawn for paper and HTML.

The icons follow the NHS England guide's scheme (and NHSRplotthedots' colours):
a circle coloured by what the point means, blue for improvement or a target
consistently met, orange for concern or a target consistently missed, purple
for a special cause with no direction to judge it by, grey for common cause or
a target hit and missed; its letter says high (H) or low (L) for a special
cause, P (pass), F (fail) or ? (hit and miss) for assurance. The words always
stand beside an icon, so no judgement rests on colour alone.

>>> variation_icon("special_cause_improvement", "low_is_good")
'variation:improvement_low'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, String
from reportlab.lib import colors

from indicators.statuses import Assurance, Polarity, Variation

IMPROVEMENT, CONCERN, NEUTRAL, COMMON = "#289de0", "#fab428", "#361475", "#7b7d7d"


@dataclass(frozen=True)
class Icon:
    fill: str
    letter: str


ICONS: dict[str, Icon] = {
    "variation:common_cause": Icon(COMMON, "~"),
    "variation:improvement_high": Icon(IMPROVEMENT, "H"),
    "variation:improvement_low": Icon(IMPROVEMENT, "L"),
    "variation:concern_high": Icon(CONCERN, "H"),
    "variation:concern_low": Icon(CONCERN, "L"),
    "variation:neutral_high": Icon(NEUTRAL, "H"),
    "variation:neutral_low": Icon(NEUTRAL, "L"),
    "assurance:passes": Icon(IMPROVEMENT, "P"),
    "assurance:fails": Icon(CONCERN, "F"),
    "assurance:hit_and_miss": Icon(COMMON, "?"),
}


def variation_icon(code: str, polarity: str) -> str:
    """The icon for a `Variation` code ("" where there is no judgement to draw)."""
    if code == Variation.COMMON_CAUSE:
        return "variation:common_cause"
    if code == Variation.NEUTRAL_HIGH:
        return "variation:neutral_high"
    if code == Variation.NEUTRAL_LOW:
        return "variation:neutral_low"
    if code not in (Variation.IMPROVEMENT, Variation.CONCERN):
        return ""
    # Improvement is high when high is good; a concern is the other side.
    high = (polarity == Polarity.HIGH_IS_GOOD) == (code == Variation.IMPROVEMENT)
    kind = "improvement" if code == Variation.IMPROVEMENT else "concern"
    return f"variation:{kind}_{'high' if high else 'low'}"


def assurance_icon(code: str) -> str:
    """The icon for an `Assurance` code ("" where there is no target or judgement)."""
    return {
        Assurance.CONSISTENTLY_PASSES: "assurance:passes",
        Assurance.CONSISTENTLY_FAILS: "assurance:fails",
        Assurance.INCONSISTENT: "assurance:hit_and_miss",
    }.get(code, "")


def drawing(key: str, size: float = 11.0) -> Drawing:
    """The icon as a reportlab drawing `size` points across."""
    icon = ICONS[key]
    d = Drawing(size, size)
    d.add(Circle(size / 2, size / 2, size / 2 - 0.5, fillColor=colors.HexColor(icon.fill),
                 strokeColor=colors.white, strokeWidth=0.5))  # fmt: skip
    d.add(String(size / 2, size * 0.3, icon.letter, fontName="Helvetica-Bold",
                 fontSize=size * 0.6, fillColor=colors.white, textAnchor="middle"))  # fmt: skip
    return d


def svg(key: str, size: int = 16) -> str:
    """The icon as inline SVG markup (decorative: the words beside it carry the meaning)."""
    icon = ICONS[key]
    r = size / 2
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}" aria-hidden="true" '
        f'style="vertical-align:middle"><circle cx="{r}" cy="{r}" r="{r - 0.5}" '
        f'fill="{icon.fill}"/><text x="{r}" y="{r + size * 0.2}" font-size="{size * 0.6}" '
        f'font-family="Arial,sans-serif" font-weight="bold" fill="#fff" text-anchor="middle">'
        f"{html.escape(icon.letter)}</text></svg>"
    )
