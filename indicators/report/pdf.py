"""A pack laid out as an A4 PDF with reportlab: a cover page, tables, charts, a running footer.

Text reaches reportlab only through `Paragraph`, whose markup is escaped here
(`xml.sax.saxutils.escape`), so a title like `<b>` or `&` prints as written.
reportlab's invariant mode keeps the bytes the same for the same content.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from indicators.report import spc_icons
from indicators.report.pack import Block, Cover, Pack, Table

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
NAVY, PALE, AMBER = colors.HexColor("#1f3a5f"), colors.HexColor("#e8eef4"), "#fff3cd"
_STYLES = getSampleStyleSheet()
STYLE = {
    "title": _STYLES["Title"],
    "heading": _STYLES["Heading1"],
    "subheading": _STYLES["Heading3"],
    "text": _STYLES["BodyText"],
}
CELL = ParagraphStyle("cell", _STYLES["BodyText"], fontSize=7, leading=8.4, alignment=TA_LEFT)
HEAD = ParagraphStyle("head", CELL, fontName="Helvetica-Bold", textColor=colors.white)
GROUP = ParagraphStyle("group", CELL, fontName="Helvetica-Bold", fontSize=7.5, leading=9)
COVER_TITLE = ParagraphStyle(
    "cover_title", _STYLES["Title"], fontSize=26, leading=31, textColor=colors.white,
    alignment=TA_LEFT,
)  # fmt: skip
COVER_SUBTITLE = ParagraphStyle(
    "cover_subtitle", COVER_TITLE, fontSize=16, leading=20, fontName="Helvetica"
)
FACT = ParagraphStyle("fact", _STYLES["BodyText"], fontSize=11, leading=14)
FACT_LABEL = ParagraphStyle("fact_label", FACT, fontName="Helvetica-Bold")
CONTENTS = ParagraphStyle("contents", FACT, fontSize=10, leading=13, leftIndent=6)
WARNING = ParagraphStyle("warning", FACT, fontName="Helvetica-Bold", textColor="#6b4e00")


def paragraph(text: str, style: ParagraphStyle, lead: str = "") -> Paragraph:
    """Plain text as a Paragraph: escaped, so it is printed as written; `lead` in bold."""
    bold = f"<b>{escape(lead)}</b> " if lead else ""
    return Paragraph(bold + escape(text), style)


def cover_flowables(cover: Cover) -> list:
    """The cover spread over the page: a title band, the facts, the demo warning, notes."""
    band = PdfTable(
        [[paragraph(cover.title, COVER_TITLE)], [paragraph(cover.subtitle, COVER_SUBTITLE)]],
        colWidths=[WIDTH],
    )
    band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), NAVY),
                              ("LEFTPADDING", (0, 0), (-1, -1), 18),
                              ("TOPPADDING", (0, 0), (-1, 0), 22),
                              ("BOTTOMPADDING", (0, -1), (-1, -1), 22)]))  # fmt: skip
    facts = PdfTable(
        [[paragraph(label, FACT_LABEL), paragraph(value, FACT)] for label, value in cover.facts],
        colWidths=[4.5 * cm, WIDTH - 4.5 * cm],
    )
    facts.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#c8d1dc")),
                               ("TOPPADDING", (0, 0), (-1, -1), 7),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))  # fmt: skip
    story: list = [Spacer(1, 3 * cm), band, Spacer(1, 2 * cm), facts, Spacer(1, 1.5 * cm)]
    if cover.warning:
        box = PdfTable([[paragraph(cover.warning, WARNING)]], colWidths=[WIDTH])
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(AMBER)),
                                 ("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor("#b8860b")),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 12),
                                 ("TOPPADDING", (0, 0), (-1, -1), 10),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))  # fmt: skip
        story += [box, Spacer(1, 1 * cm)]
    story += [paragraph(note, STYLE["text"]) for note in cover.notes]
    if cover.contents:
        story.append(paragraph("In this pack", STYLE["subheading"]))
        story += [paragraph(f"{n}. {title}", CONTENTS) for n, title in enumerate(cover.contents, 1)]
    return [*story, PageBreak()]


def _cell(cell, width: float):
    words = paragraph(cell.text, CELL)
    if cell.icon is None:
        return words
    pair = PdfTable([[spc_icons.drawing(cell.icon), words]], colWidths=[12, width - 12])
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return pair


def table_flowable(table: Table) -> PdfTable:
    """A grouped table: a dark header repeated on each page, a pale row per group heading."""
    widths = [share * WIDTH for share in table.widths]
    inner = [w - 6 for w in widths]  # less the cell padding
    data: list[list] = [[paragraph(c, HEAD) for c in table.columns]]
    style = [("BACKGROUND", (0, 0), (-1, 0), NAVY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c8d1dc"))]  # fmt: skip
    for group in table.groups:
        at = len(data)
        data.append([paragraph(group.heading, GROUP)] + [""] * (len(widths) - 1))
        style += [("SPAN", (0, at), (-1, at)), ("BACKGROUND", (0, at), (-1, at), PALE)]
        data += [[_cell(c, w) for c, w in zip(row, inner, strict=True)] for row in group.rows]
    flowable = PdfTable(data, colWidths=widths, repeatRows=1)
    flowable.setStyle(TableStyle(style))
    return flowable


def image_flowable(png: bytes) -> Image:
    """A chart across the text width, its height from the picture's own proportions."""
    width, height = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=WIDTH, height=WIDTH * height / width)


def _footer(pack: Pack):
    warning = next((b.cover.warning for b in pack.blocks if b.cover and b.cover.warning), "")
    words = pack.title + ("  ·  SYNTHETIC DEMO DATA" if warning else "")

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#4a5560"))
        canvas.drawString(MARGIN, 1.0 * cm, words)
        canvas.drawRightString(A4[0] - MARGIN, 1.0 * cm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _flowables(block: Block) -> list:
    if block.kind == "image":
        return [image_flowable(block.image), Spacer(1, 0.2 * cm)]
    if block.kind == "table" and block.table is not None:
        return [Spacer(1, 0.25 * cm), table_flowable(block.table)]
    return [paragraph(block.text, STYLE[block.kind], lead=block.lead)]


def to_pdf(pack: Pack) -> bytes:
    """A4 PDF of `pack`; the same pack gives the same bytes."""
    rl_config.invariant = 1
    story: list = []
    group: list = []  # a heading with what follows it stays on one page
    for block in pack.blocks:
        if block.kind in ("page_break", "heading", "subheading", "title", "cover"):
            story += [KeepTogether(group)] if group else []
            group = []
        if block.kind == "page_break":
            story.append(PageBreak())
        elif block.kind == "cover" and block.cover is not None:
            story += cover_flowables(block.cover)
        else:
            group += _flowables(block)
    story += [KeepTogether(group)] if group else []
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=pack.title,
        author="Early help dashboard",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
    ).build(story, onLaterPages=_footer(pack))
    return buffer.getvalue()
