"""What a pack is made of: blocks of plain text, charts, a cover and summary tables.

A pack is content, not layout: `pdf.to_pdf` and `html_pack.to_html` lay the
same blocks out for paper and for the browser. Every string here is plain text
as people and files wrote it (titles, names and commentary are not trusted);
each renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.present.charts.mdc_icons import Mark


@dataclass(frozen=True)
class Cover:
    """The pack's first page: what it is, for whom, from which figures."""

    title: str  # the strategy's title
    subtitle: str  # e.g. "Six-monthly review, 2024 H2"
    facts: tuple[tuple[str, str], ...]  # (label, value): council, period, date, load
    warning: str = ""  # the demo warning, empty for real data
    notes: tuple[str, ...] = ()  # what the load left out of the pack
    contents: tuple[str, ...] = ()  # the pack's sections, in order


@dataclass(frozen=True)
class Cell:
    """One table cell: words, and optionally a Making Data Count icon drawn before them."""

    text: str
    icon: Mark | None = None


@dataclass(frozen=True)
class TableGroup:
    """A heading row (an aim) and the rows under it (its indicators)."""

    heading: str
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Table:
    """A table whose rows are grouped under headings; `widths` are shares of the page width."""

    columns: tuple[str, ...]
    groups: tuple[TableGroup, ...]
    widths: tuple[float, ...]


@dataclass
class Block:
    """One piece of pack content, rendered the same way into PDF and HTML."""

    kind: str  # title | heading | subheading | text | image | page_break | cover | table
    text: str = ""
    image: bytes = b""
    lead: str = ""  # shown in bold before the text
    cover: Cover | None = None
    table: Table | None = None

    @property
    def words(self) -> str:
        """The block's words, whatever its kind (for tests and search)."""
        parts = [self.lead, self.text]
        if self.cover is not None:
            c = self.cover
            parts += [
                c.title,
                c.subtitle,
                *(f"{k}: {v}" for k, v in c.facts),
                c.warning,
                *c.notes,
                *c.contents,
            ]
        if self.table is not None:
            parts += list(self.table.columns)
            for group in self.table.groups:
                parts.append(group.heading)
                parts += [" | ".join(cell.text for cell in row) for row in group.rows]
        return " ".join(p for p in parts if p)


@dataclass
class Pack:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", image: bytes = b"", lead: str = "") -> None:
        self.blocks.append(Block(kind, text, image, lead))

    def add_block(self, block: Block) -> None:
        self.blocks.append(block)

    @property
    def text(self) -> str:
        """All the words in the pack (for tests and search)."""
        return "\n".join(words for b in self.blocks if (words := b.words))
