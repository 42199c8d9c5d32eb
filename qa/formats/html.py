"""HTML -> text with BeautifulSoup: headings, paragraphs, list items and tables; scripts, styles and
navigation dropped.

BeautifulSoup is imported only when an HTML file is read.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DocumentError
from . import _CONTROL, _clean, _join, _read_bytes, _row

_SKIP = {"script", "style", "nav", "noscript", "template", "svg", "iframe", "head"}
_BLOCK = {"p", "div", "section", "article", "main", "aside", "header", "footer", "blockquote", "figure",
          "figcaption", "dl", "dt", "dd", "ul", "ol", "address", "body", "html", "form", "fieldset"}


def read_html(path: Path) -> str:
    """Headings as `#` lines, paragraphs and list items as lines, tables as TAB rows (after their caption);
    scripts, styles and navigation dropped."""
    data = _read_bytes(path)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{path}: looks binary, not HTML; check the file or give it its real extension")
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(data, "html.parser")  # detects the encoding from the BOM or <meta charset>
        walker = _HtmlText()
        walker.walk(soup.body or soup)
    except Exception as error:  # html.parser is lenient, but a pathological file can still break it
        raise DocumentError(
            f"{path}: cannot parse this HTML ({type(error).__name__}); save the page again"
        ) from None
    return _join(walker.blocks)


class _HtmlText:
    """Walks the tree once, collecting inline text into the current line and closing it at block edges."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self.inline: list[str] = []
        self.prefix = ""

    def flush(self) -> None:
        """Close the current block; a heading's or list item's mark goes on its first line of text."""
        lines = [line for line in (_clean(part) for part in "".join(self.inline).split("\n")) if line]
        if lines:
            self.blocks.append([self.prefix + lines[0], *lines[1:]])
            self.prefix = ""
        self.inline = []

    def walk(self, node) -> None:
        self.walk_inline(node)
        self.flush()

    def element(self, tag) -> None:
        name = tag.name.lower()
        if name in _SKIP:
            return
        if name == "br":
            self.inline.append("\n")
        elif name == "table":
            self.flush()
            if (caption := tag.find("caption", recursive=False)) and (title := _clean(caption.get_text(" "))):
                self.blocks.append([title])
            self.blocks.append([row for row in (_row(cells) for cells in _html_rows(tag)) if row.strip()])
        elif re.fullmatch(r"h[1-6]", name) or name == "li":
            self.flush()
            self.prefix = "- " if name == "li" else "#" * int(name[1]) + " "
            self.walk(tag)
            self.prefix = ""
        elif name == "pre":
            self.flush()
            text = tag.get_text().strip("\n")
            self.blocks.append([_CONTROL.sub(" ", line).rstrip() for line in text.split("\n")])
        elif name in _BLOCK:
            self.flush()
            self.walk(tag)
        else:
            self.walk_inline(tag)

    def walk_inline(self, tag) -> None:
        # Inline elements (span, a, strong...) add to the current line; blocks inside them still break it.
        from bs4.element import NavigableString, PreformattedString, Tag

        for child in tag.children:
            if isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                self.inline.append(str(child))
            elif isinstance(child, Tag):
                self.element(child)


def _html_rows(table) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a row of a nested table
        cells: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            span = int(cell.get("colspan", 1)) if str(cell.get("colspan", 1)).isdigit() else 1
            cells.extend([cell.get_text(" ")] + [""] * (min(span, 50) - 1))
        rows.append(cells)
    return rows
