"""DOCX -> text with python-docx: body paragraphs and tables in document order.

python-docx is imported only when a .docx is read; `import docx` below is absolute, so it is the
third-party package, not this module.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DocumentError
from . import _BULLET, _clean, _join, _read_bytes, _row


def read_docx(path: Path) -> str:
    """Body paragraphs and tables in document order; Heading/Title styles become `#` lines, lists `- `."""
    head = _read_bytes(path)[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: an encrypted .docx or an old binary .doc
        raise DocumentError(f"{path}: password-protected or an old .doc; save an unprotected .docx copy")
    if not head.startswith(b"PK"):
        raise DocumentError(f"{path}: not a .docx (Word) file; check the file or give it its real extension")
    import docx

    try:
        document = docx.Document(str(path))
        blocks = _docx_blocks(document.element.body, document)
    except Exception as error:  # zipfile, lxml and python-docx raise many types on damaged input
        raise DocumentError(
            f"{path}: the .docx is damaged ({type(error).__name__}); open it in Word and save it again"
        ) from None
    return _join(blocks)


def _docx_blocks(container, parent) -> list[list[str]]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[list[str]] = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(_docx_paragraph(Paragraph(child, parent)))
        elif child.tag == qn("w:tbl"):
            rows = [_row(cells) for cells in _docx_rows(Table(child, parent))]
            blocks.append([row for row in rows if row.strip()])
        elif child.tag == qn("w:sdt") and (content := child.find(qn("w:sdtContent"))) is not None:
            blocks.extend(_docx_blocks(content, parent))  # content controls wrap ordinary paragraphs
    return blocks


def _docx_paragraph(paragraph) -> list[str]:
    """A paragraph's lines (a line break in it starts a line); a heading as one `#` line."""
    lines = [line for line in (_clean(part) for part in paragraph.text.split("\n")) if line]
    if not lines:
        return []
    try:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
    except (KeyError, ValueError):  # a style id the styles part does not define
        style = ""
    if m := re.fullmatch(r"(?:Heading ([1-6])|Title)", style):
        return ["#" * int(m.group(1) or 1) + " " + " ".join(lines)]
    if style.startswith("List") and not _BULLET.match(lines[0]):
        lines[0] = "- " + lines[0]
    return lines


def _docx_rows(table) -> list[list[str]]:
    """Cell texts row by row; a merged cell's text once, at its first grid position, "" elsewhere."""
    from docx.table import _Cell

    rows = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else " ".join(p.text for p in _Cell(tc, table).paragraphs)
            cells.extend([text] + [""] * (tc.grid_span - 1))
        rows.append(cells)
    return rows
