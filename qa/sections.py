"""Documents -> sections (by the report's own headings) -> chunks (short passages with 1-based line spans)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Document, clean_heading

CHUNK_WORDS = 120  # all-MiniLM-L6-v2 reads 256 word pieces; a chunk this long plus its heading path fits
# The hard limit: no passage is longer. A single line up to this long is kept whole (a long paragraph reads
# better whole, and the model reads 256 word pieces); a longer one (a report extracted without line breaks)
# is cut between words into pieces of CHUNK_WORDS.
MAX_CHUNK_WORDS = 256
CHARS_PER_WORD = 20  # a "word" longer than this counts as several, so a run of text without spaces is cut too
SHORT_WORDS = 12  # a chunk shorter than this joins the next one
_BULLET = re.compile(r"^\s*([-*•·]|\(?[a-z0-9]{1,3}[).]\s|\[image)", re.I)


@dataclass(frozen=True)
class Section:
    """A heading and the lines under it, up to the next heading. Lines are 1-based, inclusive."""

    path: tuple[str, ...]  # heading path, outermost first
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A passage: whole lines of one section, `text` exactly as in the file from line `start` to `end`;
    or, for a single line longer than a chunk (a file without line breaks), a piece of that line as it
    stands, cut between words (`start == end`)."""

    section: str  # heading path joined with " > "
    start: int
    end: int
    text: str


def _is_markdown(lines: list[str]) -> bool:
    return sum(1 for line in lines if re.match(r"#{1,6}\s+\S", line)) >= 3


def _is_short(line: str) -> bool:
    """A line that could be a plain-text heading: short, no table cells, not a sentence or list item."""
    text = line.strip()
    if not text or "\t" in line.rstrip() or "|" in text or _BULLET.match(text) or "www." in text or "http" in text:
        return False
    words = text.split()
    return len(words) <= 14 and len(text) <= 100 and text[-1] not in ".,;:" and (text[0].isupper() or text[0] == "'")


def _plain_headings(lines: list[str]) -> dict[int, int]:
    """Heading line index -> level for plain text: a short line standing on its own before content.

    A heading directly followed by another heading opens a parent (level 1) for the headings below it,
    until the next parent; signature blocks (several short lines together) are not headings.
    """
    n = len(lines)
    nonblank_after = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        nonblank_after[i] = i if lines[i].strip() else nonblank_after[i + 1]
    heading = [False] * n
    for i in range(n - 1, -1, -1):
        if not _is_short(lines[i]):
            continue
        prev = lines[i - 1] if i else ""
        if prev.strip() and ("\t" in prev or len(prev.split()) < 8):
            continue
        j = nonblank_after[i + 1]
        heading[i] = j == n or not _is_short(lines[j]) or "\t" in lines[j] or heading[j]
    levels = {}
    for i in (i for i in range(n) if heading[i]):
        j = nonblank_after[i + 1]
        levels[i] = 1 if j < n and heading[j] else 2
    return levels


def _markdown_headings(lines: list[str]) -> dict[int, int]:
    return {i: len(m.group(1)) for i, line in enumerate(lines) if (m := re.match(r"(#{1,6})\s+\S", line))}


def split_sections(doc: Document) -> list[Section]:
    """The document's sections in order; text before the first heading is a section named by the title."""
    lines = doc.lines
    levels = _markdown_headings(lines) if _is_markdown(lines) else _plain_headings(lines)
    # The title line is the document, not a section of it.
    levels = {i: lvl for i, lvl in levels.items() if not (i < 25 and clean_heading(lines[i]) == doc.title)}
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = (doc.title,)
    start = 1
    for i in sorted(levels):
        if i + 1 > start:
            sections.append(Section(path, start, i))
        level = levels[i]
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, clean_heading(lines[i])))
        path = tuple(name for _, name in stack)
        start = i + 1
    sections.append(Section(path, start, len(lines)))
    return [s for s in sections if any(line.strip() for line in lines[s.start - 1 : s.end])]


def _blocks(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines between `start` and `end` (1-based, inclusive), as (first, last)."""
    blocks, first = [], None
    for number in range(start, end + 1):
        if lines[number - 1].strip():
            first = first or number
        elif first:
            blocks.append((first, number - 1))
            first = None
    if first:
        blocks.append((first, end))
    return blocks


def chunk_section(lines: list[str], section: Section, max_words: int = CHUNK_WORDS) -> list[Chunk]:
    """Cut a section at paragraph boundaries into chunks of at most `max_words` words.

    A paragraph longer than that is cut between lines. A single line is kept whole up to MAX_CHUNK_WORDS and
    cut between words beyond (a report extracted without line breaks), so no chunk is ever longer than
    MAX_CHUNK_WORDS, whatever the line breaks (see `_words` for how words are counted).
    """
    units: list[tuple[int, int]] = []
    for first, last in _blocks(lines, section.start, section.end):
        if _words(lines, first, last) <= max_words:
            units.append((first, last))
        else:
            units.extend((n, n) for n in range(first, last + 1) if lines[n - 1].strip())
    name = " > ".join(section.path)
    chunks: list[Chunk] = []
    current: tuple[int, int] | None = None
    for first, last in units:
        if current and _words(lines, current[0], last) > max_words:
            chunks.append(_chunk(lines, name, *current))
            current = None
        if first == last and _words(lines, first, last) > max(max_words, MAX_CHUNK_WORDS):
            chunks.extend(Chunk(name, first, first, piece) for piece in line_pieces(lines[first - 1], max_words))
            continue
        current = (current[0], last) if current else (first, last)
    if current:
        chunks.append(_chunk(lines, name, *current))
    return chunks


def line_pieces(line: str, max_words: int = CHUNK_WORDS) -> list[str]:
    """A line cut between words into pieces of at most `max_words` words (as `_words` counts them), each
    exactly as it stands in the line; a "word" longer than a whole piece is cut inside."""
    limit = max_words * CHARS_PER_WORD
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"\S+", line):
        start, end = match.span()
        spans.extend((at, min(at + limit, end)) for at in range(start, end, limit))
    pieces, first, words, previous_end = [], None, 0, 0
    for start, end in spans:
        size = _line_words(line[start:end])
        if first is not None and (words + size > max_words):
            pieces.append(line[first:previous_end])
            first, words = None, 0
        first = start if first is None else first
        words += size
        previous_end = end
    if first is not None:
        pieces.append(line[first:previous_end])
    return pieces


def _line_words(line: str) -> int:
    return sum(max(1, -(-len(word) // CHARS_PER_WORD)) for word in line.split())


def _words(lines: list[str], first: int, last: int) -> int:
    """Words in lines `first`..`last`; a word of more than CHARS_PER_WORD characters counts as several."""
    return sum(_line_words(line) for line in lines[first - 1 : last])


def _chunk(lines: list[str], section: str, first: int, last: int) -> Chunk:
    return Chunk(section, first, last, "\n".join(lines[first - 1 : last]))


def chunk_document(doc: Document, max_words: int = CHUNK_WORDS) -> list[Chunk]:
    """All chunks of a document, in reading order.

    A chunk of only a few words (a signature, a heading with nothing under it) joins the next one: "Pamela
    Spring" alone says nothing, "Pamela Spring / Chair of London MAPPA SMB" answers who chairs the board.
    """
    lines = doc.lines
    chunks: list[Chunk] = []
    for chunk in (c for section in split_sections(doc) for c in chunk_section(lines, section, max_words)):
        # The chunk's own text, not its lines: a piece of a long line is short only if the piece is.
        if chunks and _line_words(chunks[-1].text) < SHORT_WORDS and (
            _words(lines, chunks[-1].start, chunk.end) <= max_words
        ):
            chunk = _chunk(lines, chunk.section, chunks.pop().start, chunk.end)
        chunks.append(chunk)
    return chunks
