"""Documents -> sections (by the report's own headings) -> chunks (short passages with 1-based line spans)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Document
from .headings import heading_levels, is_markdown, plain, signatures
from .layout import Layout, Paragraph, analyse
from .lines import join_lines, known_words

# Bump when chunks or their tokens (qa.text) come out differently: an index built by another version must be
# rebuilt (qa.facts). 4: "NOs" is read as Notification Orders.
CHUNKS_VERSION = 4
CHUNK_WORDS = 120  # all-MiniLM-L6-v2 reads 256 word pieces; a chunk this long plus its heading path fits
# The hard limit: no passage is longer. A single line up to this long is kept whole (a long paragraph reads
# better whole, and the model reads 256 word pieces); a longer one (a report extracted without line breaks)
# is cut between words into pieces of CHUNK_WORDS.
MAX_CHUNK_WORDS = 256
CHARS_PER_WORD = 20  # a "word" longer than this counts as several, so a run of text without spaces is cut too
SHORT_WORDS = 12  # a chunk shorter than this joins the next one
SIGNATURE_WORDS = 40  # what a signature may add to the chunk it signs beyond the chunk limit


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
    stands, cut between words (`start == end`).

    `body` is the passage as written, what is tokenised and embedded: its paragraphs rebuilt from printed
    lines (joined, hyphenation undone), page furniture left out (see qa.layout).
    """

    section: str  # heading path joined with " > "
    start: int
    end: int
    text: str
    body: str


@dataclass(frozen=True)
class _Unit:
    """A piece of a section that a chunk holds whole: a paragraph, or part of a long one."""

    start: int
    end: int
    body: str
    signs: bool = False  # a signature: it stays with the chunk before it


def split_sections(doc: Document, layout: Layout | None = None) -> list[Section]:
    """The document's sections in order; text before the first heading is a section named by the title."""
    return [section for section, _ in _sections(doc, layout or analyse(doc.lines, doc.page_starts))[0]]


def _sections(doc: Document, layout: Layout) -> tuple[list[tuple[Section, list[int]]], set[int]]:
    """([(section, indexes of its paragraphs in reading order)], indexes of the signature paragraphs).

    A paragraph belongs to the last heading before it in reading order. A section's lines run from its heading
    to the line before the next section's first (or, where columns read across interleave them, to its own last).
    """
    paragraphs = layout.paragraphs
    levels = heading_levels(paragraphs, is_markdown(doc.lines))
    # The title is the document, not a section of it.
    levels = {i: level for i, level in levels.items()
              if not (paragraphs[i].start <= 25 and plain(paragraphs[i].text).casefold() == doc.title.casefold())}
    groups: list[tuple[tuple[str, ...], list[int]]] = [((doc.title,), [])]
    stack: list[tuple[int, str]] = []
    for i in range(len(paragraphs)):
        if i in levels:
            while stack and stack[-1][0] >= levels[i]:
                stack.pop()
            stack.append((levels[i], plain(paragraphs[i].text)))
            groups.append((tuple(name for _, name in stack), []))
        groups[-1][1].append(i)
    groups = [(path, members) for path, members in groups if members]
    sections = []
    for k, (path, members) in enumerate(groups):
        start = paragraphs[members[0]].start if members[0] in levels else 1
        last = max(paragraphs[i].end for i in members)
        following = min(paragraphs[i].start for i in groups[k + 1][1]) if k + 1 < len(groups) else len(doc.lines) + 1
        sections.append((Section(path, start, following - 1 if following > last else last), members))
    return sections, signatures(paragraphs)


def _units(lines: list[str], paragraphs: list[tuple[int, Paragraph]], signed: set[int], max_words: int,
           words: frozenset[str]) -> list[_Unit]:
    """The units of a section's paragraphs (given with their indexes in `signed`'s numbering): a paragraph
    up to `max_words` words is one; a longer one is cut between printed lines, after a sentence where it can,
    and one that runs on from the foot of a column to the top of the next is cut there (a unit is printed on
    one stretch of lines). `words`: the report's own words (see qa.layout.known_words), for the hyphens."""
    units: list[_Unit] = []
    for number, paragraph in paragraphs:
        signs = number in signed
        runs = _runs_down(paragraph.lines)
        if len(runs) == 1 and (len(paragraph.lines) == 1 or (
                _line_words(paragraph.text) <= max_words and _words(lines, paragraph.start, paragraph.end) <= MAX_CHUNK_WORDS)):
            units.append(_Unit(paragraph.start, paragraph.end, paragraph.text, signs))
            continue
        read = iter(paragraph.read)  # each line's text as read: a column's part where columns stand side by side
        for run in runs:
            texts = {n: next(read) for n in run}
            for group in _line_groups(texts, run, max_words):
                body = [texts[n] for n in group]
                units.append(_Unit(group[0], group[-1], "\n".join(body) if paragraph.kind == "table" else join_lines(body, words), signs))
    return units


def _runs_down(numbers: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Line numbers cut where they go back up the page (the top of the next column): (5, 7, 2, 4) ->
    [(5, 7), (2, 4)]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n > runs[-1][-1]:
            runs[-1].append(n)
        else:
            runs.append([n])
    return [tuple(run) for run in runs]


def _line_groups(texts: dict[int, str], numbers: tuple[int, ...], max_words: int) -> list[list[int]]:
    """Printed lines of a long paragraph (`texts`: each line's text as read) in groups of at most `max_words`
    words (a single longer line alone), each group ending after a line that ends a sentence when one is at least
    half way through it."""
    groups: list[list[int]] = [[]]
    words = 0
    for n in numbers:
        size = _line_words(texts[n])
        if groups[-1] and words + size > max_words:
            group = groups[-1]
            ends = [k for k, m in enumerate(group[:-1]) if _ends_sentence(texts[m])]
            cut = ends[-1] + 1 if ends and _words_of(texts, group[: ends[-1] + 1]) >= max_words / 2 else len(group)
            groups[-1], rest = group[:cut], group[cut:]
            groups.append(rest)
            words = _words_of(texts, rest)
        groups[-1].append(n)
        words += size
    return [g for g in groups if g]


def _words_of(texts: dict[int, str], numbers: list[int]) -> int:
    return sum(_line_words(texts[n]) for n in numbers)


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?][\"'”’)]*\s*$", line))


def chunk_section(lines: list[str], section: Section, units: list[_Unit], max_words: int = CHUNK_WORDS) -> list[Chunk]:
    """Cut a section's units (see `_units`) into chunks of at most `max_words` words as written (a signature may
    add up to SIGNATURE_WORDS to the chunk it signs) and MAX_CHUNK_WORDS as printed (with the page furniture and,
    where columns are read across, the other column's lines that the chunk's lines hold).

    A single line is kept whole up to MAX_CHUNK_WORDS and cut between words beyond (a report extracted without
    line breaks), so no chunk is ever longer than MAX_CHUNK_WORDS, whatever the line breaks (see `_words` for
    how words are counted).
    """
    name = " > ".join(section.path)
    chunks: list[Chunk] = []
    current: list[_Unit] = []
    for unit in units:
        if current and unit.start <= current[-1].end:  # the other column, read across: a chunk of its own
            chunks.append(_chunk(lines, name, current))
            current = []
        if current:
            size = sum(_line_words(u.body) for u in (*current, unit))
            too_long = size > max_words and not (unit.signs and size <= max_words + SIGNATURE_WORDS)
            if too_long or _words(lines, current[0].start, unit.end) > MAX_CHUNK_WORDS:
                chunks.append(_chunk(lines, name, current))
                current = []
        if unit.start == unit.end and _words(lines, unit.start, unit.end) > max(max_words, MAX_CHUNK_WORDS):
            if current:
                chunks.append(_chunk(lines, name, current))
                current = []
            chunks.extend(Chunk(name, unit.start, unit.start, piece, piece)
                          for piece in line_pieces(lines[unit.start - 1], max_words))
            continue
        current.append(unit)
    if current:
        chunks.append(_chunk(lines, name, current))
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


def _chunk(lines: list[str], section: str, units: list[_Unit]) -> Chunk:
    first, last = min(u.start for u in units), max(u.end for u in units)
    return Chunk(section, first, last, "\n".join(lines[first - 1 : last]), "\n".join(u.body for u in units if u.body))


def chunk_document(doc: Document, max_words: int = CHUNK_WORDS, layout: Layout | None = None) -> list[Chunk]:
    """All chunks of a document, in reading order; `layout` is the document's (see qa.layout.analyse).

    A chunk of only a few words (a heading with nothing under it) joins the next one, and a signature the
    chunk before it: "Pamela Spring" alone says nothing, the foreword's last paragraph with "Pamela Spring /
    Chair of London MAPPA SMB" under it answers who chairs the board.
    """
    lines = doc.lines
    layout = layout or analyse(lines, doc.page_starts)
    sections, signed = _sections(doc, layout)
    words = known_words(lines)
    chunks: list[Chunk] = []
    for section, members in sections:
        inside = [(i, layout.paragraphs[i]) for i in members]
        for chunk in chunk_section(lines, section, _units(lines, inside, signed, max_words, words), max_words):
            # The chunk's own text, not its lines: a piece of a long line is short only if the piece is.
            if chunks and _line_words(chunks[-1].body) < SHORT_WORDS and (
                _line_words(chunks[-1].body) + _line_words(chunk.body) <= max_words
                and _words(lines, min(chunks[-1].start, chunk.start), max(chunks[-1].end, chunk.end)) <= MAX_CHUNK_WORDS
            ):
                before = chunks.pop()
                first, last = min(before.start, chunk.start), max(before.end, chunk.end)
                chunk = Chunk(chunk.section, first, last, "\n".join(lines[first - 1 : last]), f"{before.body}\n{chunk.body}")
            chunks.append(chunk)
    return chunks
