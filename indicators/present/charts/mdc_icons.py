"""The NHS "Making Data Count" variation and assurance icons, as small inline SVGs.

Drawn here rather than shipped as images so a page or pack needs no asset
files and every icon carries its meaning as a title and ARIA label; the words
always stand beside the icon too, so neither colour nor shape carries the
meaning alone. Colours follow Making Data Count: blue for improvement or a
passing process, orange for concern or failing, purple for a change with no
direction judged, grey for common cause or hit and miss. The board pack draws
the same marks on paper (`indicators.report.spc_icons`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from indicators.statuses import Assurance, Polarity, Variation

BLUE, ORANGE, PURPLE, GREY, PALE = "#0072B2", "#E69F00", "#6A3D9A", "#6E6E6E", "#C8C8C8"
# Letter colour on each fill with a contrast of at least 4.5:1.
_INK = {BLUE: "#FFFFFF", ORANGE: "#000000", PURPLE: "#FFFFFF", GREY: "#FFFFFF", PALE: "#000000"}


@dataclass(frozen=True)
class Mark:
    """What an icon shows: its fill and its letter (`~` draws the common-cause zigzag)."""

    fill: str
    letter: str

    @property
    def ink(self) -> str:
        """The letter's colour on this fill (contrast at least 4.5:1)."""
        return _INK[self.fill]


def icon_svg(mark: Mark, words: str) -> str:
    """A filled circle with a letter (or a zigzag for common cause), labelled `words`."""
    label = escape(words, quote=True)
    if mark.letter == "~":
        inner = (
            f'<polyline points="4,12 7,8 10,12 13,8 16,12" fill="none" '
            f'stroke="{mark.ink}" stroke-width="1.8"/>'
        )
    else:
        inner = (
            f'<text x="10" y="14.2" text-anchor="middle" font-size="11" font-weight="700" '
            f'font-family="Arial, sans-serif" fill="{mark.ink}">{escape(mark.letter)}</text>'
        )
    return (
        f'<svg role="img" aria-label="{label}" width="18" height="18" viewBox="0 0 20 20" '
        f'style="vertical-align:-4px"><title>{label}</title>'
        f'<circle cx="10" cy="10" r="9.5" fill="{mark.fill}"/>{inner}</svg>'
    )


def variation_mark(code: str, polarity: str) -> Mark:
    """The variation icon's mark: H or L says which side the special cause lies on."""
    high_is_good = polarity == Polarity.HIGH_IS_GOOD
    if code == Variation.IMPROVEMENT:
        return Mark(BLUE, "H" if high_is_good else "L")
    if code == Variation.CONCERN:
        return Mark(ORANGE, "L" if high_is_good else "H")
    if code == Variation.NEUTRAL_HIGH:
        return Mark(PURPLE, "H")
    if code == Variation.NEUTRAL_LOW:
        return Mark(PURPLE, "L")
    if code == Variation.COMMON_CAUSE:
        return Mark(GREY, "~")
    return Mark(PALE, "–")


def assurance_mark(code: str) -> Mark:
    """The assurance icon's mark: P passing, F failing, ? hit and miss."""
    if code == Assurance.CONSISTENTLY_PASSES:
        return Mark(BLUE, "P")
    if code == Assurance.CONSISTENTLY_FAILS:
        return Mark(ORANGE, "F")
    if code == Assurance.INCONSISTENT:
        return Mark(GREY, "?")
    return Mark(PALE, "–")


def variation_icon(code: str, polarity: str, words: str) -> str:
    """The variation icon as inline SVG, labelled `words`."""
    return icon_svg(variation_mark(code, polarity), words)


def assurance_icon(code: str, words: str) -> str:
    """The assurance icon as inline SVG, labelled `words`."""
    return icon_svg(assurance_mark(code), words)
