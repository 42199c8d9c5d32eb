"""PDF -> text with pdfplumber: ruled tables as TAB rows, paragraphs rebuilt from printed lines, headings
from type size and weight, running headers/footers dropped, and the line where each page begins.

pdfplumber is imported only when a PDF is read.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from . import _BULLET, Extracted, _clean, _read_bytes, _row

_PAGE_NUMBER = re.compile(r"^(?:(?i:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[ivxlc]{1,7})$")
_MARGIN = 0.1  # the top and bottom tenth of a page, where running headers, footers and page numbers go
_WORD_GAP = 0.15  # a gap wider than this many font sizes between two glyphs is a space (many PDFs draw none)
_BOLD = re.compile(r"bold|black|heavy|demi|semibold", re.IGNORECASE)
_CID_BULLET = re.compile(r"^\(cid:\d+\)\s*")


@dataclass
class _Block:
    """A paragraph or table of one PDF page: its top edge (points), its lines, and its type face."""

    top: float
    lines: list[str]
    font: tuple[bool, float] | None = None  # (bold, size in points); None for a table
    chars: int = 0
    margin: bool = False  # all in the top or bottom margin: maybe a running header or footer
    open_end: bool = False  # its last line is wrapped text that may go on on the next page


def read_pdf(path: Path) -> Extracted:
    """Each page's ruled tables as TAB rows and the rest as paragraphs, top to bottom; one-line paragraphs
    in larger or bold type become `#` headings (larger type, higher level)."""
    data = _read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(
            f"{path}: not a PDF (no %PDF header); check the file or give it its real extension"
        )
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(
            f"{path}: the PDF is cut short (no end-of-file marker); download or export it again"
        )
    import pdfplumber

    pages: list[list[_Block]] = []
    scanned: list[str] = []  # pages with images but no text
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(_pdf_blocks(page))
                if not pages[-1] and page.images:
                    scanned.append(str(number))
    except Exception as error:  # pdfminer raises many types on damaged or encrypted input
        # pdfplumber wraps pdfminer's error: PdfminerException(PDFPasswordIncorrect()).
        inner = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
        if re.search("password|encrypt", type(inner).__name__, re.IGNORECASE):
            raise DocumentError(f"{path}: the PDF is password-protected; save an unprotected copy") from None
        raise DocumentError(
            f"{path}: the PDF is damaged ({type(inner).__name__}); open it and save or print it to a new PDF"
        ) from None
    text, starts = _render(_join_across_pages(_drop_running_lines(pages)))
    if not text.strip():
        raise DocumentError(
            f"{path}: the PDF has no text layer (a scan?); OCR it first, e.g. `ocrmypdf in.pdf out.pdf`"
        )
    if text.count("(cid:") > len(text.split()) / 10:
        raise DocumentError(
            f"{path}: the PDF's fonts do not map to text; OCR it first, e.g. `ocrmypdf --force-ocr`"
        )
    warning = (
        f"{path}: page(s) {', '.join(scanned)} are images without text (scanned?); "
        "OCR them to index them"
    )
    return Extracted(text, starts, (warning,) if scanned else ())


def _pdf_blocks(page) -> list[_Block]:
    """The blocks of one page in reading order (by top edge): tables from ruling lines, text around them."""
    blocks: list[_Block] = []
    boxes = []
    for table in page.find_tables():
        rows = [row for row in table.extract(x_tolerance_ratio=_WORD_GAP) if any(c and c.strip() for c in row)]
        if rows and max(len(row) for row in rows) >= 2:  # a one-column "table" is a box drawn around text
            blocks.append(_Block(table.bbox[1], [_row(row) for row in rows]))
            boxes.append(table.bbox)
    text_page = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if boxes else page
    lines = text_page.extract_text_lines(return_chars=True, x_tolerance_ratio=_WORD_GAP)
    blocks.extend(_paragraphs(lines, page.height))
    return sorted(blocks, key=lambda block: block.top)


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _paragraphs(lines: list[dict], height: float) -> list[_Block]:
    """Printed lines -> paragraphs. A paragraph ends at a wider gap, a change of type face or a bullet; a line
    whose end left room for the next line's first word was broken on purpose and stays a line of its own
    ("Sarah Port" / "Chair of ..."); other lines are wrapped text and are joined.

    A lone page number near the top or bottom edge is page furniture, not text, and is dropped.
    """

    def in_margin(line: dict) -> bool:
        return not height * _MARGIN < line["top"] < height * (1 - _MARGIN)

    lines = [
        line for line in lines
        if line["text"].strip() and not (_PAGE_NUMBER.match(line["text"].strip()) and in_margin(line))
    ]
    if not lines:
        return []
    left, right = min(line["x0"] for line in lines), max(line["x1"] for line in lines)
    blocks: list[_Block] = []
    previous = None
    for line in lines:
        # A glyph with no text mapping opening a line is nearly always a bullet: "(cid:127) Level 1 is ...".
        text = _CID_BULLET.sub("• ", _clean(line["text"]))
        if previous is None or _breaks(previous, line, text):
            blocks.append(_Block(line["top"], [text], _font(line), len(text), in_margin(line)))
        else:
            block = blocks[-1]
            if previous["x1"] + _first_word_width(line) < right - 1:  # it would have fitted: a line break
                block.lines.append(text)
            else:
                block.lines[-1] = _glue(block.lines[-1], text)
            block.chars += len(text)
            block.margin = block.margin and in_margin(line)
        # Wrapped text that reaches the right edge without ending a sentence may go on on the next page.
        blocks[-1].open_end = line["x1"] > right - 0.15 * (right - left) and not re.search(r"[.!?:;]$", text)
        previous = line
    return blocks


def _first_word_width(line: dict) -> float:
    """The width of the line's first word and a space, in points (many PDFs draw no space glyphs)."""
    chars = [c for c in line.get("chars") or [] if "x0" in c]
    if not chars:
        return 0.0
    end = chars[0]
    for char in chars[1:]:
        if not char.get("text", " ").strip() or char["x0"] - end["x1"] > _WORD_GAP * end.get("size", 10):
            break
        end = char
    return end["x1"] - chars[0]["x0"] + 0.25 * chars[0].get("size", 10)


def _font(line: dict) -> tuple[bool, float]:
    chars = [c for c in line.get("chars", []) if c.get("text", " ").strip()]
    if not chars:
        return (False, 0.0)
    size = round(statistics.median(c.get("size", 0) for c in chars) * 2) / 2
    bold = sum(bool(_BOLD.search(str(c.get("fontname", "")))) for c in chars) > len(chars) / 2
    return (bold, size)


def _breaks(previous: dict, line: dict, text: str) -> bool:
    height = max(previous["bottom"] - previous["top"], 1.0)
    gap = line["top"] - previous["bottom"]
    return abs(gap) > 0.5 * height or _font(previous) != _font(line) or bool(_BULLET.match(text))


def _glue(line: str, more: str) -> str:
    """A printed line and the next one, as one line: "multi-" + "agency" -> "multi-agency"."""
    return line + ("" if line.endswith("-") and line[-2:-1].isalpha() and more[:1].islower() else " ") + more


def _drop_running_lines(pages: list[list[_Block]]) -> list[list[_Block]]:
    """Without the running headers and footers: margin lines in the same type on at least 3 pages and a third
    of them ("Norfolk MAPPA Annual Report 2024-25", "Page 3 of 20"; digits are not compared). The same words
    as the title, in the title's larger type, stay."""

    def key(block: _Block) -> tuple:
        return re.sub(r"\d+", "#", block.lines[0].lower()), block.font

    counts = Counter(k for blocks in pages for k in {key(block) for block in blocks if block.margin})
    running = {k for k, n in counts.items() if n >= max(3, len(pages) / 3)}
    return [[block for block in blocks if not (block.margin and key(block) in running)] for blocks in pages]


def _join_across_pages(pages: list[list[_Block]]) -> list[list[_Block]]:
    """Each paragraph that runs on from one page to the next as one, on the page where it begins (in place)."""
    for before, after in zip(pages, pages[1:], strict=False):
        if before and after and before[-1].open_end and after[0].font and before[-1].font == after[0].font:
            end, start = before[-1], after.pop(0)
            end.lines[-1] = _glue(end.lines[-1], start.lines[0])
            end.lines.extend(start.lines[1:])
            end.chars += start.chars
            end.open_end = start.open_end
    return pages


def _heading_levels(blocks: list[_Block]) -> dict[tuple[bool, float], int]:
    """Type face -> heading level: each size larger than the body text's is a level, largest first;
    bold body text is the level below those."""
    sizes: Counter[float] = Counter()
    for block in blocks:
        if block.font:
            sizes[block.font[1]] += block.chars
    if not sizes:
        return {}
    body = sizes.most_common(1)[0][0]
    larger = sorted((size for size in sizes if size >= body + 1), reverse=True)
    levels = {(bold, size): min(n, 6) for n, size in enumerate(larger, start=1) for bold in (False, True)}
    levels[(True, body)] = min(len(larger) + 1, 6)
    return levels


def _headingish(block: _Block) -> bool:
    """A paragraph that could be a heading: one short line, not a sentence, list item or bare number."""
    if block.font is None or len(block.lines) != 1:
        return False
    text = block.lines[0]
    return len(text.split()) <= 20 and len(text) <= 150 and text[-1] not in ".,;" and not (
        _BULLET.match(text) or _PAGE_NUMBER.match(text)
    )


def _render(pages: list[list[_Block]]) -> tuple[str, tuple[int, ...]]:
    """The text of all pages, a blank line between blocks, and the line where each page begins."""
    levels = _heading_levels([block for blocks in pages for block in blocks])
    lines: list[str] = []
    starts: list[int] = []
    for blocks in pages:
        if lines and blocks:
            lines.append("")
        starts.append(len(lines) + 1)
        for number, block in enumerate(blocks):
            if number:
                lines.append("")
            level = levels.get(block.font) if _headingish(block) else None
            lines.extend([f"{'#' * level} {block.lines[0]}"] if level else block.lines)
    return "\n".join(lines), tuple(starts)
