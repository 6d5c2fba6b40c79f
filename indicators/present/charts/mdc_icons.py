"""The NHS "Making Data Count" variation and assurance icons, as small HTML marks.

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
    """What an icon shows: its fill and its letter (`~` for common cause)."""

    fill: str
    letter: str

    @property
    def ink(self) -> str:
        """The letter's colour on this fill (contrast at least 4.5:1)."""
        return _INK[self.fill]


def icon_html(mark: Mark, words: str) -> str:
    """A filled circle with its letter, labelled `words` for screen readers and on hover.

    Plain HTML and CSS rather than SVG: pages insert tables through `st.html`, whose
    sanitiser (DOMPurify) drops inline SVG, and a span survives it.
    """
    label = escape(words, quote=True)
    style = (
        f"display:inline-block;width:16px;height:16px;border-radius:50%;"
        f"background:{mark.fill};color:{mark.ink};font:700 10px/16px Arial,sans-serif;"
        "text-align:center;vertical-align:middle"
    )
    return (
        f'<span class="mdc-icon" role="img" aria-label="{label}" title="{label}" '
        f'style="{style}">{escape(mark.letter)}</span>'
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
    """The variation icon as HTML, labelled `words`."""
    return icon_html(variation_mark(code, polarity), words)


def assurance_icon(code: str, words: str) -> str:
    """The assurance icon as HTML, labelled `words`."""
    return icon_html(assurance_mark(code), words)
