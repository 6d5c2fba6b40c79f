"""The NHS "Making Data Count" icons drawn on paper: the dashboard's marks as reportlab drawings.

Which fill and letter an icon shows is decided once, in
`indicators.present.charts.mdc_icons` (the landing page's SVG icons); this
draws the same `Mark` for the PDF pack, so paper and screen agree. The words
always stand beside an icon, so no judgement rests on colour alone.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, PolyLine, String
from reportlab.lib import colors

from indicators.present.charts.mdc_icons import Mark


def drawing(mark: Mark, size: float = 10.0) -> Drawing:
    """The icon `size` points across: a filled circle with its letter or zigzag."""
    ink = colors.HexColor(mark.ink)
    d = Drawing(size, size)
    d.add(Circle(size / 2, size / 2, size / 2 - 0.25, fillColor=colors.HexColor(mark.fill),
                 strokeColor=None))  # fmt: skip
    if mark.letter == "~":  # the SVG's zigzag, on a 20-unit grid, y flipped
        points = [(4, 12), (7, 8), (10, 12), (13, 8), (16, 12)]
        d.add(PolyLine([c * size / 20 for x, y in points for c in (x, 20 - y)],
                       strokeColor=ink, strokeWidth=size * 0.09))  # fmt: skip
    else:
        d.add(String(size / 2, size * 0.29, mark.letter, fontName="Helvetica-Bold",
                     fontSize=size * 0.58, fillColor=ink, textAnchor="middle"))  # fmt: skip
    return d
