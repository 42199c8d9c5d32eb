"""Text as written, not as printed: a report's lines -> paragraphs, with page furniture set aside.

Text extracted from a PDF is hard-wrapped at every printed line, hyphenates words at line ends, repeats
a running title, a protective marking and a page number on every page, and may read two columns across.
This module finds those things in a list of lines and rebuilds the paragraphs, so that chunking, BM25 and
embedding see the text as it was written. It never changes the lines themselves: every paragraph knows the
1-based lines it is printed on, so a citation still shows the file's own lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DICTIONARY = Path("/usr/share/dict/british-english")  # Debian's wbritish; without it, only the text decides

# "Page 3 of 20" as viewers and converters print it ("You are on page 1of 18"), in English, Welsh and the
# languages of common tools.
_PAGE_WORD = r"(?:page|pg\.?|p\.|tudalen|seite|página|pagina|strona|sida|side|sivu|oldal|stránka)"
_OF = r"(?:of|o|von|sur|de|di|van|z|av|af|/)"
_PAGE_LABEL = re.compile(rf"^(?:you are on\s+)?{_PAGE_WORD}\s*(\d{{1,4}})(?:\s*{_OF}\s*\d{{1,4}})?$", re.I)
_DASHED_NUMBER = re.compile(r"^[-–—]\s*(\d{1,4})\s*[-–—]$")
# Forms that are page numbers only when they recur page after page: "7", "7 of 20", "Title | 7", "7 | Title".
_LONE_NUMBER = re.compile(r"^(\d{1,3})$")
_NUMBER_OF = re.compile(rf"^(\d{{1,3}})\s*{_OF}\s*\d{{1,3}}$", re.I)
_TITLE_NUMBER = re.compile(r"^(?P<title>[^|\t]*?\S)\s*[|·•]\s*(?P<number>\d{1,3})$|^(?P<number2>\d{1,3})\s*[|·•]\s*(?P<title2>\S[^|\t]*)$")
# Government protective markings, printed at the top and foot of every page.
_MARKING = re.compile(r"^(?:OFFICIAL(?:[\s-]+SENSITIVE)?|NOT PROTECTIVELY MARKED|UNCLASSIFIED|PROTECT|RESTRICTED)$")

_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]*]*$")
BULLET = re.compile(r"^\s*(?:[-*•·▪●◦–]\s|\(?(?:[a-z]{1,2}|[ivx]{1,4}|\d{1,2}|[A-Z])[).]\s|\[image)")
_CONTENTS = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?(?:table of contents|contents)\b", re.I)
_LEADERS = re.compile(r"(?:\.\s?){3,}\s*\d{1,3}\b")
_PAGE_END = re.compile(r"\s(\d{1,3})(?:\s*[-–]\s*\d{1,3})?$")  # "Statistics 12", "Case Examples 18 - 19"
_DOTS = re.compile(r"(?:\.\s?){3,}")  # dot leaders
_NUMBERING = re.compile(r"section|part|chapter|appendix|annex|study|stage|level|category|phase", re.I)
# Words a compound is made with, so "multi-\nagency" keeps its hyphen when nothing else in the text decides.
_PREFIXES = frozenset([
    "multi", "co", "non", "pre", "post", "self", "cross", "inter", "sub", "ex", "anti", "semi", "well", "long", "short",
    "high", "low", "full", "part", "under", "over", "re", "de", "mid", "out", "in", "on", "off", "up",
])


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as written. `lines` are the 1-based lines it is printed on, in order (blank lines and page
    furniture between them are not among them); `text` is rebuilt from them: the lines of prose joined with
    spaces and end-of-line hyphenation undone, a table's rows one per line as printed, a contents page's
    entries one per line ("Statistics, page 12"; see `contents_text`).
    `kind` is "text", "table" or "contents" (a contents page, kept whole). `gap` is False for a paragraph
    printed right under the one before it (in reading order), with no blank line between."""

    lines: tuple[int, ...]
    text: str
    kind: str = "text"
    gap: bool = True  # a blank line or a page break stands before it (or it comes first)

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


def analyse(lines: Sequence[str], page_starts: Sequence[int] = ()) -> Layout:
    """The layout of a report given as its lines (`lines[0]` is line 1) and, for a paged file, where pages start."""
    contents = contents_spans(lines)
    in_contents = {n for first, last in contents for n in range(first, last + 1)}
    furniture = find_furniture(lines, page_starts, skip=in_contents)
    table = table_lines(lines, furniture)
    width = wrap_width(lines, furniture | table | in_contents)
    words = known_words(lines)
    interleaved = interleaved_spans(lines, furniture | table)
    order = reading_order(lines, interleaved, furniture | table | in_contents, words)
    paragraphs = []
    for kind, numbers, gap in _runs(lines, order, furniture, table, contents, width):
        texts = [clean(lines[n - 1]) for n in numbers]
        text = {"table": "\n".join, "contents": contents_text}.get(kind, lambda t: join_lines(t, words))(texts)
        paragraphs.append(Paragraph(tuple(numbers), text, kind, gap))
    return Layout(tuple(paragraphs), frozenset(furniture), width, interleaved, order != sorted(order))


def reflow(text: str) -> str:
    """A passage as written, one paragraph a line: its printed lines joined, hyphenation undone, page
    furniture left out. For picking whole sentences out of a cited passage, whose `text` stays as printed."""
    return "\n".join(p.text for p in analyse(text.split("\n")).paragraphs)


def clean(line: str) -> str:
    """A line without form feeds and surrounding white space."""
    return line.replace("\f", " ").strip()


def is_table_line(line: str) -> bool:
    """A table row as extraction leaves it: cells separated by tabs, Markdown pipes, or a row of figures."""
    text = line.strip()
    if "\t" in line.strip(" ") or text.startswith("|") or text.count(" | ") >= 2:
        return True
    return len(re.findall(r"\d[\d,.]*%?", text)) >= 2 and not re.search(r"[a-z]{3}", text, re.I)


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
        if inside and len(run) <= 4 and all(len(lines[m - 1].strip()) <= 60 and not _ends_sentence(lines[m - 1])
                                            for m in run):
            table.update(run)
        n = run_end + 1
    return table


# -- page furniture -------------------------------------------------------------------------------------

def find_furniture(lines: Sequence[str], page_starts: Sequence[int] = (),
                   skip: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """1-based lines that are printed on every page rather than written: page numbers ("Page 3 of 20",
    "- 3 -", a lone number or "Title | 3" that counts up page after page), protective markings
    ("OFFICIAL"), form feeds, and a running title or header repeated next to them on several pages or at
    page starts. Lines in `skip` (a contents page, whose numbers also count up) are none of these."""
    marks: set[int] = set()
    recurring: dict[str, list[tuple[int, int]]] = defaultdict(list)  # shape -> [(line, page number)]
    for n, line in enumerate(lines, 1):
        text = clean(line)
        if n in skip:
            continue
        if "\t" in line or not text:
            if "\f" in line and not text:
                marks.add(n)
            continue
        if _PAGE_LABEL.match(text) or _DASHED_NUMBER.match(text) or _MARKING.match(text):
            marks.add(n)
        elif m := _LONE_NUMBER.match(text) or _NUMBER_OF.match(text):
            recurring[re.sub(r"\d+", "#", text)].append((n, int(m.group(1))))
        elif (m := _TITLE_NUMBER.match(text)) and not text.startswith("|"):
            title = m.group("title") or m.group("title2")
            recurring[f"{title} | #"].append((n, int(m.group("number") or m.group("number2"))))
    for occurrences in recurring.values():
        marks.update(_counting_pages(occurrences))
    return marks | _running_lines(lines, marks, page_starts)


def _counting_pages(occurrences: list[tuple[int, int]]) -> set[int]:
    """The occurrences of one recurring form that count pages: each has a neighbour one or two pages on,
    printed at least a few lines later (a table's figures or a contents page's numbers are closer)."""
    found = set()
    for line, number in occurrences:
        for other_line, other_number in occurrences:
            step, gap = other_number - number, other_line - line
            if (0 < step <= 2 and gap >= 8 * step) or (0 < -step <= 2 and -gap >= -8 * step):
                found.add(line)
                break
    return found


def _running_lines(lines: Sequence[str], marks: set[int], page_starts: Sequence[int]) -> set[int]:
    """Lines with the same text that stand next to several page breaks (a running title or header): within
    two lines of text before or after a page break (its marks, or a page start), not ending a sentence."""
    breaks: list[list[int]] = []  # [first, last] line of each page break's marks
    for n in sorted(marks):
        if breaks and n - breaks[-1][1] <= 4:
            breaks[-1][1] = n
        else:
            breaks.append([n, n])
    breaks += [[start, start - 1] for start in page_starts]  # the break falls between two lines
    near: dict[str, set[int]] = defaultdict(set)  # text -> its lines next to a page break
    breaks_of: dict[str, set[int]] = defaultdict(set)  # text -> the page breaks it stands next to
    for number, (first, last) in enumerate(breaks):
        for n in _text_lines_around(lines, first, last, marks):
            text = clean(lines[n - 1])
            if len(text) <= 100 and not is_table_line(lines[n - 1]) and not _ends_sentence(text):
                near[text].add(n)
                breaks_of[text].add(number)
    enough = max(2, len(breaks) // 2)  # a running header may be printed on every other page only
    return {n for text, found in near.items() if min(len(found), len(breaks_of[text])) >= enough for n in found}


def _text_lines_around(lines: Sequence[str], first: int, last: int, marks: set[int], count: int = 2) -> list[int]:
    """The lines of text between lines `first` and `last` and the `count` lines of text before and after
    them, marks left out."""
    found = [n for n in range(first + 1, last) if clean(lines[n - 1]) and n not in marks]
    for start, step in ((first, -1), (last, 1)):
        n, seen = start, 0
        while seen < count and 1 <= n + step <= len(lines):
            n += step
            if clean(lines[n - 1]) and n not in marks:
                found.append(n)
                seen += 1
    return found


# -- contents pages -------------------------------------------------------------------------------------

def contents_spans(lines: Sequence[str]) -> list[tuple[int, int]]:
    """1-based line spans of contents pages, in any of the forms extraction leaves them: "Contents" and its
    entries on one line, title and page number on alternating lines, entries with dot leaders, or, without
    the word, four entries or more that end in page numbers which never go down."""
    spans = []
    n = 1
    while n <= len(lines):
        text = clean(lines[n - 1])
        headed, leaders = bool(_CONTENTS.match(text)), bool(_LEADERS.search(text))
        if not is_table_line(lines[n - 1]) and (headed or leaders or _PAGE_END.search(text)):
            last = _contents_end(lines, n)
            found = (headed or leaders) and (last > n or _all_entries(_CONTENTS.sub("", text)) >= 2 - headed)
            if found or _listed_pages(lines[n - 1 : last]):
                spans.append((n, last))
                n = last + 1
                continue
        n += 1
    return spans


def _listed_pages(lines: Sequence[str]) -> bool:
    """Whether lines are a contents list without a heading: four page numbers or more at line ends, in order."""
    pages = [int(m.group(1)) for line in lines if (m := _PAGE_END.search(clean(line)))]
    return len(pages) >= 4 and pages == sorted(pages)


def _all_entries(text: str) -> int:
    """How many contents entries `text` is made of, or 0 when it holds anything else."""
    entries, rest = _parse_contents(text)
    return 0 if rest else len(entries)


def _contents_end(lines: Sequence[str], first: int) -> int:
    """The last line of the contents page starting at `first`: entries continue while lines are page
    numbers, titles ending in one, or titles whose next line is or ends in one (up to two blank lines between),
    and the page numbers do not go down."""
    last, n, page = first, first + 1, 0
    while n <= len(lines):
        text = clean(lines[n - 1])
        if is_table_line(lines[n - 1]):
            break
        if not text:
            if not any(clean(line) for line in lines[n : n + 2]):  # three blank lines end it
                break
            n += 1
            continue
        following = next((clean(lines[m - 1]) for m in range(n + 1, min(n + 3, len(lines) + 1))
                          if clean(lines[m - 1])), "")
        printed = _page_at_end(text)
        title = not _ends_sentence(text) and _page_at_end(following) is not None
        if (printed is None and not title) or (printed or page) < page or len(_DOTS.sub(" ", text)) > 90:
            break
        last, n, page = n, n + 1, printed or page
    return last


def _page_at_end(text: str) -> int | None:
    """The page number a contents entry ends in ("Statistics 12", "Case Examples 18 - 19", "... 12", "12"),
    None when there is none or the number numbers a section ("Section 4")."""
    if re.fullmatch(r"\d{1,3}", text):
        return int(text)
    match = _PAGE_END.search(_DOTS.sub(" ", text))
    if not match or _NUMBERING.fullmatch(_DOTS.sub(" ", text)[: match.start()].split()[-1] if match.start() else ""):
        return None
    return int(match.group(1))


def contents_text(lines: Sequence[str]) -> str:
    """A contents page as written, whatever form extraction left it in: "Contents" and one entry a line,
    "Statistics, page 12" (as printed when its entries cannot be read)."""
    text = " ".join(lines)
    entries = contents_entries(text)
    if not entries:
        return text
    return "\n".join(["Contents", *(f"{title}, page {page}" for title, page in entries)])


def contents_entries(text: str) -> list[tuple[str, int]]:
    """(title, printed page) of each entry of a contents page's text, in order:
    "Contents Introduction 3 MAPPA Statistics 5" -> [("Introduction", 3), ("MAPPA Statistics", 5)].

    A number is a page when it ends an entry: not below the page before it, not numbering a section
    ("Section 4", "Case Study 2"), and followed by the next title (a capital, or a number with a full stop:
    "2. Key findings") or the end. "3-5" is page 3.
    """
    return _parse_contents(text)[0]


def _parse_contents(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(entries, the words after the last entry)."""
    words = _DOTS.sub(" ", _CONTENTS.sub("", text, count=1)).split()
    entries: list[tuple[str, int]] = []
    title: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        page = re.fullmatch(r"(\d{1,3})(?:[-–]\d{1,3})?", word)
        span = 3 if page and i + 2 < len(words) and words[i + 1] in "-–" and words[i + 2].isdigit() else 1
        following = words[i + span] if i + span < len(words) else ""
        if (page and title and int(page.group(1)) >= (entries[-1][1] if entries else 0)
                and not _NUMBERING.fullmatch(title[-1])
                and (not following or following[0].isupper() or re.fullmatch(r"\d{1,2}\.", following))):
            if len(title) > 1 and title[-1] == "page" and title[-2].endswith(","):  # as contents_text writes it
                title = [*title[:-2], title[-2][:-1]]
            entries.append((" ".join(title).strip(" .*#:"), int(page.group(1))))
            title = []
        else:
            title.extend(words[i : i + span])
        i += span
    return [(t, p) for t, p in entries if t], title


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


def _runs(lines: Sequence[str], order: Sequence[int], furniture: set[int], table: set[int],
          contents: list[tuple[int, int]], width: int | None) -> Iterable[tuple[str, list[int], bool]]:
    """(kind, 1-based lines, gap before it) of each paragraph, taking the lines in `order` (see
    `reading_order`)."""
    contents_end = dict(contents)
    current: list[int] = []
    kind = "text"
    previous = None  # the last line of text seen
    gap = blank = page_break = True
    skip_to = 0
    for n in order:
        if n <= skip_to:
            continue
        if n in contents_end:
            if current:
                yield kind, current, gap
            yield "contents", [m for m in range(n, contents_end[n] + 1) if clean(lines[m - 1]) and m not in furniture], True
            current, previous, skip_to, blank = [], None, contents_end[n], True
            continue
        text = clean(lines[n - 1])
        if previous is not None and n < previous:  # the top of the next column: text goes on as over a page
            page_break = True
        if n in furniture:
            page_break = True
        elif not text:
            blank = True
        else:
            this_kind = "table" if n in table else "text"
            joined = bool(current) and this_kind == kind and (
                (kind == "table" and not blank and not page_break)
                or (kind == "text" and continues(clean(lines[previous - 1]), text, width, blank, page_break)))
            if not joined:
                if current:
                    yield kind, current, gap
                current, kind, gap = [], this_kind, blank or page_break
            current.append(n)
            previous, blank, page_break = n, False, False
    if current:
        yield kind, current, gap


def continues(previous: str, line: str, width: int | None, blank: bool = False, page_break: bool = False) -> bool:
    """Whether `line` goes on with the paragraph whose last line so far is `previous`.

    `blank`: a blank line stands between them; `page_break`: page furniture does (a paragraph broken across a
    page goes on). `width`: what the text is wrapped at (None: its lines are paragraphs, and only a line cut
    mid-sentence goes on).
    """
    full = width is not None and len(line.split()[0]) > width - len(previous) - 1  # the next word did not fit
    dash = line[:1] in "–—" and full and not _ends_sentence(previous)  # a dash wrapped, not a list's
    if line.startswith("#") or (BULLET.match(line) and not dash):
        return False
    if previous.startswith("#"):  # a Markdown heading goes on only when wrapped
        return full and not blank and not page_break
    hyphenated = bool(re.search(r"[A-Za-z]-$", previous)) and line[:1].islower()
    mid_sentence = not _ends_sentence(previous)
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


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def join_lines(lines: Sequence[str], words: frozenset[str] | set[str] = frozenset()) -> str:
    """The lines of one paragraph joined into its text: "protec-" + "tion" -> "protection", but "multi-" +
    "agency" -> "multi-agency" when the hyphen is the word's own (see `dehyphenate`)."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text and re.search(r"[A-Za-z]-$", text) and line[:1].isalpha():
            head = re.search(r"([A-Za-z]+)-$", text).group(1)
            tail = re.match(r"[A-Za-z]+", line).group(0)
            text = text[:-1] + line if dehyphenate(head, tail, words) else text + line
        else:
            text = f"{text} {line}" if text else line
    return text


def dehyphenate(head: str, tail: str, words: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a word split as `head`- at a line end and `tail` on the next line is one word without a hyphen.

    Decided by the report's own text first (`words`: the words it prints whole, lower case, with "multi-agency"
    as itself), then by the dictionary; a hyphen after a word that compounds ("multi-", "co-") is kept.
    """
    joined, hyphened = (head + tail).lower(), f"{head}-{tail}".lower()
    if hyphened in words and joined not in words:
        return False
    if joined in words or joined in dictionary():
        return True
    if tail[:1].isupper() or head.lower() in _PREFIXES:
        return False
    known = dictionary()
    return not (head.lower() in known and tail.lower() in known and len(head) > 2)


def known_words(lines: Iterable[str]) -> frozenset[str]:
    """The words a text prints whole (not split at a line end), lower case; hyphenated words as such."""
    words: set[str] = set()
    for line in lines:
        body = re.sub(r"[A-Za-z]+-\s*$", "", line)  # a word split at the line end is not printed whole here
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", body))
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", body))
    return frozenset(words)


@cache
def dictionary() -> frozenset[str]:
    """The system's British English word list, lower case (empty when it is not installed)."""
    try:
        return frozenset(w.strip().lower() for w in DICTIONARY.read_text(encoding="utf-8").splitlines())
    except OSError:
        return frozenset()


# -- columns read across --------------------------------------------------------------------------------

def interleaved_spans(lines: Sequence[str], skip: set[int] | frozenset[int] = frozenset()) -> tuple[tuple[int, int], ...]:
    """1-based line spans where two columns seem to be read across, one line of each in turn.

    In one column, a line that ends a sentence is followed by one that starts a sentence, and a line that
    starts in lower case follows one cut mid-sentence. Read across two columns, the line after a sentence
    end is as often the other column's continuation, in lower case, while the line two down is the true
    next line. A stretch where that happens several times, and more often one line down than two, is
    reported.
    """
    prose = [n for n, line in enumerate(lines, 1) if n not in skip and clean(line)]
    clashes = []  # lines where a sentence ends and the next prose line goes on in lower case
    fits = 0  # ... where instead the line two down does
    for i, n in enumerate(prose[:-1]):
        text = clean(lines[n - 1])
        if not re.search(r"[a-z]{2}[.!?]$", text):
            continue
        one = clean(lines[prose[i + 1] - 1])
        two = clean(lines[prose[i + 2] - 1]) if i + 2 < len(prose) else ""
        if one[:1].islower() and not BULLET.match(one):
            clashes.append(n)
        elif two[:1].islower():
            fits += 1
    if len(clashes) < 4 or len(clashes) <= 2 * fits:
        return ()
    spans: list[list[int]] = []
    for n in clashes:
        if spans and n - spans[-1][1] <= 60:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return tuple((a, b + 1) for a, b in spans if sum(a <= c <= b for c in clashes) >= 3)


def reading_order(lines: Sequence[str], interleaved: Sequence[tuple[int, int]],
                  boundaries: set[int] | frozenset[int] = frozenset(), words: frozenset[str] = frozenset()) -> list[int]:
    """The 1-based line numbers in the order they were written: top to bottom, except that a stretch read
    across two columns (around an `interleaved` span, up to the `boundaries`: tables, page furniture) is read
    down each column, page by page, where that makes the text flow (see `_flows`) and it did not before.
    `words`: the text's own (see `known_words`)."""
    order = list(range(1, len(lines) + 1))
    regions = []
    for first, last in interleaved:
        while first > 1 and first - 1 not in boundaries:
            first -= 1
        while last < len(lines) and last + 1 not in boundaries:
            last += 1
        region = order[first - 1 : last]
        if _flows(lines, _down_columns(region), split=len(region[0::2])) and not _flows(lines, region):
            regions.append(region)
    if regions:
        pairs = _page_height(lines, regions, words)
        for region in regions:
            order[region[0] - 1 : region[-1]] = _down_columns(region, pairs)
    return order


def _down_columns(region: list[int], pairs: int | None = None) -> list[int]:
    """A region read across two columns, read down each: on each page of `pairs` lines a column (None: one
    page), the lines at even places from the page's start (the left column), then those at odd places."""
    size = 2 * pairs if pairs else len(region)
    return [n for start in range(0, len(region), size) for n in region[start : start + size][0::2]
            + region[start : start + size][1::2]]


def _page_height(lines: Sequence[str], regions: list[list[int]], words: frozenset[str]) -> int | None:
    """The lines a column holds on a page, where no page furniture marks the breaks: the height, the same on
    every page, at which the ends of columns run on best into the starts of the next (see `_run_on`); None
    (each region one page) unless one is clearly better."""
    ends = {n: _line_end(lines[n - 1]) for region in regions for n in region}
    pairs_seen = _bigrams(lines)
    whole = sum(_run_on(_down_columns(region), ends, words, pairs_seen) for region in regions)
    gains = {pairs: sum(_run_on(_down_columns(region, pairs), ends, words, pairs_seen) for region in regions) - whole
             for pairs in range(5, max(len(region) for region in regions) // 2)}
    best = max(gains, key=lambda pairs: (gains[pairs], pairs), default=None)
    return best if best and gains[best] >= 3 else None


def _flows(lines: Sequence[str], numbers: Sequence[int], split: int | None = None) -> bool:
    """Whether lines taken in this order read as running text: few sentence ends followed by a line that
    goes on in lower case (`split`: where the second column starts, not counted as a follow-on)."""
    text = [(k, n) for k, n in enumerate(numbers) if clean(lines[n - 1])]
    ends = clashes = 0
    for (k, n), (k2, n2) in zip(text, text[1:], strict=False):
        if split is not None and k < split <= k2:
            continue
        if re.search(r"[a-z]{2}[.!?]$", clean(lines[n - 1])):
            ends += 1
            following = clean(lines[n2 - 1])
            clashes += following[:1].islower() and not BULLET.match(following)
    return ends > 0 and clashes <= 0.1 * ends


def _bigrams(lines: Sequence[str]) -> set[tuple[str, str]]:
    """The pairs of words that follow each other within a line somewhere in the text, lower case."""
    found = set()
    for line in lines:
        words = re.findall(r"[a-z']+", line.lower())
        found.update(zip(words, words[1:], strict=False))
    return found


@dataclass(frozen=True)
class _End:
    """How a line ends and starts, for telling whether another line can follow it."""

    blank: bool
    ends: str = ""  # "sentence", "hyphen" (a word split at the end), or "open" (mid-sentence)
    head: str = ""  # the split word's first part, for "hyphen"
    last: str = ""  # its last word, lower case
    first: str = ""  # its first word, as printed
    lower: bool = False  # it starts in lower case


def _line_end(line: str) -> _End:
    text = clean(line)
    if not text:
        return _End(True)
    split = re.search(r"([A-Za-z]+)-$", text)
    ends = "hyphen" if split else "sentence" if _ends_sentence(text) else "open"
    last = re.findall(r"[a-z']+", text.lower())
    return _End(False, ends, split.group(1) if split else "", last[-1] if last else "",
                re.match(r"[A-Za-z']*", text).group(0), text[:1].islower() and not BULLET.match(text))


def _run_on(order: Sequence[int], ends: dict[int, _End], words: frozenset[str], bigrams: set[tuple[str, str]]) -> float:
    """How well each line of text in `order` runs on into the next. Scoring up: a split word completed, a
    sentence going on in lower case, a sentence ended before a capital, a pair of words across the line
    break that the text has elsewhere. Scoring down: a sentence ended before lower case, a blank line
    mid-sentence or before lower case, a split word not completed."""
    score = 0.0
    previous, blank = None, False
    for n in order:
        end = ends[n]
        if end.blank:
            blank = True
            continue
        if previous is not None:
            if previous.ends == "hyphen":
                joined = (previous.head + end.first).lower()
                score += 2 if end.lower and (joined in words or joined in dictionary()) else -2
            elif previous.ends == "sentence":
                score += -2 if end.lower else 0.5
            else:
                score += -1 if blank else 1 if end.lower else 0
            score -= blank and end.lower
            score += (previous.last, end.first.lower()) in bigrams
        previous, blank = end, False
    return score
