"""Text as written, not as printed: a report's lines -> paragraphs, with page furniture set aside.

Text extracted from a PDF is hard-wrapped at every printed line, hyphenates words at line ends, repeats
a running title, a protective marking and a page number on every page, and may read two columns across.
This module finds those things in a list of lines and rebuilds the paragraphs, so that chunking, BM25 and
embedding see the text as it was written. It never changes the lines themselves: every paragraph knows the
1-based lines it is printed on, so a citation still shows the file's own lines.

The parts: qa.furniture (page numbers, markings, running titles), qa.contents_block (contents pages), qa.columns
(two columns read across), qa.lines (a line's kind, and the words that decide a hyphen).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .columns import interleaved_spans, reading_order
from .contents import contents_spans, contents_text
from .furniture import find_furniture
from .lines import BULLET, clean, ends_sentence, is_table_line, join_lines, known_words
from .sidebyside import side_by_side


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as written. `lines` are the 1-based lines it is printed on, in order (blank lines and page
    furniture between them are not among them); `text` is rebuilt from them: the lines of prose joined with
    spaces and end-of-line hyphenation undone, a table's rows one per line as printed, a contents page's
    entries one per line ("Statistics, page 12"; see `contents_text`).
    `kind` is "text", "table" or "contents" (a contents page, kept whole). `gap` is False for a paragraph
    printed right under the one before it (in reading order), with no blank line between. Where two columns
    stand side by side on one line (qa.sidebyside), a line is in the paragraphs of both columns, and `read`
    holds the part of it each reads."""

    lines: tuple[int, ...]
    text: str
    kind: str = "text"
    gap: bool = True  # a blank line or a page break stands before it (or it comes first)
    # The text of each of `lines` as read (a column's part where two stand side by side); `text` says the same.
    read: tuple[str, ...] = field(default=(), compare=False)

    @property
    def start(self) -> int:
        return min(self.lines)  # the first line as printed; where columns are read across, not the first read

    @property
    def end(self) -> int:
        return max(self.lines)


@dataclass(frozen=True)
class Layout:
    """What a report's text looks like on the page: its paragraphs in reading order, the 1-based lines that are
    page furniture (running headers and footers, page numbers, markings), the width prose is wrapped at
    (None when lines are paragraphs), the 1-based line spans that read two columns across, and whether
    the paragraphs were read down each column instead (see `reading_order`)."""

    paragraphs: tuple[Paragraph, ...]
    furniture: frozenset[int]
    width: int | None
    interleaved: tuple[tuple[int, int], ...] = ()
    read_down: bool = False
    side_by_side: frozenset[int] = frozenset()  # lines holding two columns side by side, read down each


def analyse(lines: Sequence[str], page_starts: Sequence[int] = ()) -> Layout:
    """The layout of a report given as its lines (`lines[0]` is line 1) and, for a paged file, where pages start."""
    contents = contents_spans(lines)
    in_contents = {n for first, last in contents for n in range(first, last + 1)}
    furniture = find_furniture(lines, page_starts, skip=in_contents)
    table = table_lines(lines, furniture)
    width = wrap_width(lines, furniture | table | in_contents)
    words = known_words(lines)
    split = side_by_side(lines, furniture | table | in_contents)
    interleaved = interleaved_spans(lines, furniture | table | set(split))
    order = reading_order(lines, interleaved, furniture | table | in_contents | set(split), words)
    paragraphs = []
    for kind, pieces, gap in _runs(lines, _read(lines, order, split), furniture, table, contents, width):
        numbers, texts = tuple(n for n, _ in pieces), tuple(t for _, t in pieces)
        text = {"table": "\n".join, "contents": contents_text}.get(kind, lambda t: join_lines(t, words))(texts)
        paragraphs.append(Paragraph(numbers, text, kind, gap, texts))
    return Layout(tuple(paragraphs), frozenset(furniture), width, interleaved, order != sorted(order), frozenset(split))


def _read(lines: Sequence[str], order: Sequence[int], split: dict[int, int]) -> list[tuple[int, str, int | None]]:
    """(1-based line, its text as read, the width of its column or None) in reading order: the lines in
    `order`, except that a run of lines holding two columns side by side (`split`: line -> where the right
    column starts) is read as the left parts of its lines, then the right parts (a part a line does not have is
    read as a blank line), each column wrapped at the width of its longest part."""
    out: list[tuple[int, str, int | None]] = []
    run: list[int] = []
    for n in [*order, None]:
        if n is not None and n in split and (not run or n == run[-1] + 1):
            run.append(n)
            continue
        for column in ([clean(lines[m - 1][: split[m]]) for m in run], [clean(lines[m - 1][split[m] :]) for m in run]):
            width = max(map(len, column), default=0)
            out += [(m, text, width) for m, text in zip(run, column, strict=True)]
        run = [n] if n is not None and n in split else []
        if n is not None and n not in split:
            out.append((n, clean(lines[n - 1]), None))
    return out


def reflow(text: str) -> str:
    """A passage as written, one paragraph a line: its printed lines joined, hyphenation undone, page
    furniture left out. For picking whole sentences out of a cited passage, whose `text` stays as printed."""
    return "\n".join(p.text for p in analyse(text.split("\n")).paragraphs)


def table_lines(lines: Sequence[str], furniture: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """1-based lines that belong to tables: table rows, and short label lines printed between rows (a cell
    wrapped onto its own line: "Violent" / "offenders")."""
    table = {n for n, line in enumerate(lines, 1) if n not in furniture and is_table_line(line)}
    n = 1
    while n <= len(lines):
        if n in table or not lines[n - 1].strip() or n in furniture:
            n += 1
            continue
        run_end = n
        while run_end + 1 <= len(lines) and lines[run_end].strip() and run_end + 1 not in table:
            run_end += 1
        run = range(n, run_end + 1)
        inside = n - 1 in table and run_end + 1 in table
        if inside and len(run) <= 4 and all(len(lines[m - 1].strip()) <= 60 and not ends_sentence(lines[m - 1])
                                            for m in run):
            table.update(run)
        n = run_end + 1
    return table


# -- paragraphs -----------------------------------------------------------------------------------------

def wrap_width(lines: Sequence[str], skip: set[int] | frozenset[int] = frozenset()) -> int | None:
    """The width in characters that prose is hard-wrapped at, or None when its lines are whole paragraphs.

    Wrapped prose has most of its lines, those followed by another line of the same paragraph, filled to
    within a word of one width, and none much longer.
    """
    prose = [n for n, line in enumerate(lines, 1) if n not in skip and clean(line)]
    if len(prose) < 10:
        return None
    lengths = sorted(len(clean(lines[n - 1])) for n in prose)
    width = lengths[int(0.97 * (len(lengths) - 1))]
    if width > 140:
        return None
    followed = [len(clean(lines[n - 1])) for n in prose if n + 1 not in skip and n < len(lines) and clean(lines[n])]
    if len(followed) < 8 or sum(length >= 0.7 * width for length in followed) < 0.6 * len(followed):
        return None
    return width


def _runs(lines: Sequence[str], read: Sequence[tuple[int, str, int | None]], furniture: set[int], table: set[int],
          contents: list[tuple[int, int]], width: int | None) -> Iterable[tuple[str, list[tuple[int, str]], bool]]:
    """(kind, its (1-based line, text as read) pieces, gap before it) of each paragraph, taking the lines as
    `read` (see `reading_order` and `_read`: a column's own width, where it has one, stands for `width`)."""
    contents_end = dict(contents)
    current: list[tuple[int, str]] = []
    kind = "text"
    previous = None  # the last line of text seen, and its text
    gap = blank = page_break = True
    skip_to = 0
    for n, text, column in read:
        if n <= skip_to:
            continue
        if n in contents_end:
            if current:
                yield kind, current, gap
            yield "contents", [(m, clean(lines[m - 1])) for m in range(n, contents_end[n] + 1)
                               if clean(lines[m - 1]) and m not in furniture], True
            current, previous, skip_to, blank = [], None, contents_end[n], True
            continue
        if previous is not None and n < previous[0]:  # the top of the next column: text goes on as over a page
            page_break = True
        if n in furniture:
            page_break = True
        elif not text:
            blank = True
        else:
            this_kind = "table" if n in table else "text"
            joined = bool(current) and this_kind == kind and (
                (kind == "table" and not blank and not page_break)
                or (kind == "text" and continues(previous[1], text, column or width, blank, page_break)))
            if not joined:
                if current:
                    yield kind, current, gap
                current, kind, gap = [], this_kind, blank or page_break
            current.append((n, text))
            previous, blank, page_break = (n, text), False, False
    if current:
        yield kind, current, gap


def continues(previous: str, line: str, width: int | None, blank: bool = False, page_break: bool = False) -> bool:
    """Whether `line` goes on with the paragraph whose last line so far is `previous`.

    `blank`: a blank line stands between them; `page_break`: page furniture does (a paragraph broken across a
    page goes on). `width`: what the text is wrapped at (None: its lines are paragraphs, and only a line cut
    mid-sentence goes on).
    """
    full = width is not None and len(line.split()[0]) > width - len(previous) - 1  # the next word did not fit
    dash = line[:1] in "–—" and full and not ends_sentence(previous)  # a dash wrapped, not a list's
    if line.startswith("#") or (BULLET.match(line) and not dash):
        return False
    if previous.startswith("#"):  # a Markdown heading goes on only when wrapped
        return full and not blank and not page_break
    hyphenated = bool(re.search(r"[A-Za-z]-$", previous)) and line[:1].islower()
    mid_sentence = not ends_sentence(previous)
    lower = line[:1].islower()
    if page_break:
        return hyphenated or (mid_sentence and (lower or len(previous.split()) >= 6))
    if blank:
        return (hyphenated or mid_sentence and lower) and len(previous.split()) >= 4 and previous[-1:].isalpha() | (
            previous[-1:] == ",")
    if hyphenated or (mid_sentence and lower):
        return True
    if width is None or (not mid_sentence and _standalone(line, width)):
        return False
    room = width - len(previous) - 1  # what was left on the printed line for the next word
    first_word = len(line.split()[0])
    if not mid_sentence and line[:1].isupper():
        return first_word > room  # a sentence ended and the next would have fitted: the paragraph ended
    return first_word > room - 0.15 * width


def _standalone(line: str, width: int) -> bool:
    """A short title-like line, well short of the width: after a sentence it is a heading, not more text."""
    return len(line) < 0.7 * width and len(line.split()) <= 10 and line[:1].isupper() and line[-1] not in ".,;:"
