"""Read an HTML table the way a reader sees it: each row's cells as plain text.

Used by the tests of the pages and packs that draw tables as HTML, so they
check what is shown (the text, escaped markup read back) rather than markup.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._skip = 0
        self._icon_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if ("role", "img") in attrs:  # an icon: its words stand beside it as text
            self._skip += 1
            self._icon_tags.append(tag)
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("style", "title", "svg"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._icon_tags and tag == self._icon_tags[-1]:
            self._icon_tags.pop()
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag in ("style", "title", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Every row of every table in `html`, as the text of its cells."""
    parser = _Cells()
    parser.feed(html)
    return [row for row in parser.rows if row]
