"""A pack as one self-contained HTML file: the cover, tables and charts embedded.

Every string is escaped with `html.escape` on its way into the page, so a
title like `<a href="javascript:...">` shows as written and never becomes a link.
The only markup is this module's own (and the icons' fixed SVG).
"""

from __future__ import annotations

import base64
import html

from indicators.present.charts.mdc_icons import icon_html
from indicators.report.pack import Block, Cover, Pack, Table

TAGS = {"title": "h1", "heading": "h2", "subheading": "h3", "text": "p"}
STYLE = (
    "body{font-family:Arial,sans-serif;max-width:56rem;margin:2rem auto;color:#1f2933}"
    "img{max-width:100%}hr.page{page-break-after:always;border:0}"
    ".cover{min-height:80vh}.band{background:#1f3a5f;color:#fff;padding:1.5rem 1.2rem;"
    "margin-top:4rem}.band h1{margin:0 0 .5rem}.band p{font-size:1.3rem;margin:0}"
    ".facts{margin:2.5rem 0;border-collapse:collapse;width:100%}.facts th{text-align:left;"
    "width:11rem}.facts th,.facts td{padding:.45rem;border-bottom:1px solid #c8d1dc}"
    ".warning{background:#fff3cd;border:2px solid #b8860b;color:#6b4e00;font-weight:bold;"
    "padding:.8rem}table.summary{border-collapse:collapse;font-size:.78rem;width:100%}"
    ".summary th{background:#1f3a5f;color:#fff;text-align:left}.summary td,.summary th"
    "{padding:.2rem .3rem;vertical-align:top;border-bottom:1px solid #c8d1dc}"
    ".summary tr.aim th{background:#e8eef4;color:#1f2933}"
)


def cover_html(cover: Cover) -> str:
    """The cover: a title band, the facts, the demo warning and what was left out."""
    e = html.escape
    facts = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in cover.facts)
    warning = f'<p class="warning">{e(cover.warning)}</p>' if cover.warning else ""
    notes = "".join(f"<p>{e(note)}</p>" for note in cover.notes)
    if cover.contents:
        items = "".join(f"<li>{e(title)}</li>" for title in cover.contents)
        notes += f"<h3>In this pack</h3><ol>{items}</ol>"
    return (
        f'<section class="cover"><div class="band"><h1>{e(cover.title)}</h1>'
        f"<p>{e(cover.subtitle)}</p></div>"
        f'<table class="facts">{facts}</table>{warning}{notes}</section><hr class="page">'
    )


def table_html(table: Table) -> str:
    """A grouped table; each group's heading is a row header spanning the table."""
    e = html.escape
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in table.columns)
    body = []
    for group in table.groups:
        body.append(
            f'<tr class="aim"><th colspan="{len(table.columns)}" scope="rowgroup">'
            f"{e(group.heading)}</th></tr>"
        )
        for row in group.rows:
            cells = "".join(
                f"<td>{icon_html(c.icon, c.text) + ' ' if c.icon else ''}{e(c.text)}</td>"
                for c in row
            )
            body.append(f"<tr>{cells}</tr>")
    rows = "".join(body)
    return f'<table class="summary"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _block_html(block: Block) -> str:
    if block.kind == "page_break":
        return '<hr class="page">'
    if block.kind == "image":
        data = base64.b64encode(block.image).decode("ascii")
        return f'<img alt="chart" src="data:image/png;base64,{data}">'
    if block.kind == "cover" and block.cover is not None:
        return cover_html(block.cover)
    if block.kind == "table" and block.table is not None:
        return table_html(block.table)
    lead = f"<b>{html.escape(block.lead)}</b> " if block.lead else ""
    tag = TAGS[block.kind]
    return f"<{tag}>{lead}{html.escape(block.text)}</{tag}>"


def to_html(pack: Pack) -> str:
    """The same content as `pdf.to_pdf`, as one HTML file."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(pack.title)}</title><style>{STYLE}</style></head><body>"
        + "\n".join(_block_html(b) for b in pack.blocks)
        + "</body></html>"
    )
