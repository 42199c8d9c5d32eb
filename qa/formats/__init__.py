"""Report files of any supported type -> plain text with "\\n" lines, and where each page begins.

Every format comes out in the shape the rest of qa already reads: one paragraph per line, blank lines between
blocks, table rows as TAB-separated cells (qa.tables reads those), headings as Markdown `#` lines where the
format marks them (DOCX styles, HTML h1-h6, PDF type larger than the body text or bold).

A PDF is read page by page with pdfplumber. On each page the tables found from its ruling lines and the
paragraphs rebuilt from the remaining printed lines are put in order of their top edge; a single column is
assumed. Page numbers and running headers/footers are dropped, and a paragraph that runs over a page break is
joined. A PDF's line numbers are lines of this text, not of the printed page; `page_starts` says where each
printed page begins, so a citation can name its pages.

pdfplumber, python-docx and BeautifulSoup are imported only when a file of their type is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".html", ".htm")
MAX_BYTES = 50 * 1024 * 1024  # the largest MAPPA report PDFs are a few MB; beyond this it is not one report

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # everything but TAB and newline
_BULLET = re.compile(r"^(?:[•·▪◦●-]\s|\(?[a-z0-9]{1,3}\)\s)", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The text of a report file and where its pages begin.

    `page_starts[i]` is the 1-based line of `text` where page i+1 begins (non-decreasing; a page without text
    begins where the next one does); empty for formats without pages. `warnings` are one line each.
    """

    text: str
    page_starts: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def extract_text(path: Path) -> Extracted:
    """The text of a .txt/.md/.markdown, .pdf, .docx or .html/.htm report.

    Raises DocumentError (one line, saying what to do) for a missing, empty, oversized, damaged, encrypted,
    scanned (no text layer), binary or non-UTF-8 file, or a file type qa does not read.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(
            f"{path}: unknown file type {path.suffix or '(none)'!r}; qa reads {', '.join(SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentError(f"{path}: cannot read it ({error.strerror})") from None
    if size > MAX_BYTES:
        raise DocumentError(
            f"{path}: {size / 2**20:.0f} MB is larger than qa reads ({MAX_BYTES // 2**20} MB); "
            "split it or give qa a text export of the report"
        )
    if size == 0:
        raise DocumentError(f"{path}: the file is empty")
    if suffix == ".pdf":
        from .pdf import read_pdf

        extracted = read_pdf(path)
    elif suffix == ".docx":
        from .docx import read_docx

        extracted = Extracted(read_docx(path))
    elif suffix in (".html", ".htm"):
        from .html import read_html

        extracted = Extracted(read_html(path))
    else:
        return Extracted(read_text(path))
    if not extracted.text.strip():
        raise DocumentError(f"{path}: no text in it; check that it is the report and not a cover or an image")
    return extracted


def read_text(path: Path) -> str:
    """The text of a plain-text report file, with line endings normalised to "\\n".

    Raises DocumentError when the file is unreadable, empty, binary or not UTF-8.
    """
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: looks binary, not text; give qa the report as {', '.join(SUFFIXES)}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{path}: not UTF-8 text (byte {error.start}); convert it, e.g. `iconv -f cp1252 -t utf-8`"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{path}: the file is empty")
    return text


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{path}: cannot read it ({error.strerror})") from None


def _clean(text: str) -> str:
    """One line of extracted text: control characters and runs of spaces become one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _row(cells: list[str | None]) -> str:
    """A table row as qa's tables read it: cells joined by TAB, each cell's lines joined by a space."""
    return "\t".join(_clean(cell or "") for cell in cells)


def _join(blocks: list[list[str]]) -> str:
    """Blocks of lines, a blank line between blocks."""
    return "\n\n".join("\n".join(block) for block in blocks if block)
