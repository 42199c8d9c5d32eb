"""Contents pages: where they are in a report's lines, their entries (section title, printed page and the file
lines each is read from), their text rewritten one entry a line for indexing, and the answer to "on what page
is …" from them.

A contents page survives conversion in many shapes: one line ("Contents Introduction 3 What are MAPPA? 3
Statistics 12"), a title and its page on alternating lines, dot leaders ("Introduction ........ 3"), a tab
between title and page, entries without the word "Contents". All are read the same way: the lines are joined,
leaders dropped, and the text is cut after each page number that is followed by the start of another title (a
capital); a number inside a title ("Case Study 2: …", "Level 2 and 3 individuals …") is not followed by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import TYPE_CHECKING

from .answertype import PAGE, asked_for
from .lines import clean, ends_sentence, is_table_line
from .rerank import root
from .text import STOPWORDS, stem

if TYPE_CHECKING:
    from .answer import Answer, Citation

_HEADING = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?(?:table of contents|contents|index of sections)(?:\*\*)?(?:\s*:)?"
                      r"(?:\s+(?=[A-Z0-9])|\s*$)", re.IGNORECASE)
_LEADER = re.compile(r"\s*(?:\.{2,}|(?:\. ){2,}\.?|…+|·{2,}|_{3,})\s*")
_LEADER_PAGE = re.compile(r"(?:\.\s?){3,}\s*\d{1,3}\b")  # "Statistics ........ 12"
# A printed page number: 1-3 digits on their own, not a year, a share or part of "'25".
_PAGE = re.compile(r"(?<![\w'’/.,-])(\d{1,3})(?![\w%/.,'’-])")
_RANGE = re.compile(r"(?<![\d/])(\d{1,3})\s*[–-]\s*\d{1,3}(?![\d/])")  # "7–8", "15 – 17": a page range
_PAGE_WORD = re.compile(r"\b(?:page|pp?\.)\s*(?=\d)", re.IGNORECASE)  # "Foreword Page 1", "Statistics, page 12"
# "Section 5", "Case Study 2" is no page 5 or 2.
_LABEL = re.compile(r"\b(?:section|chapter|part|annex|appendix|study|stage|level|category|phase)$", re.IGNORECASE)
_TITLE_EDGES = " -–:|.,*#"
MAX_LINES = 150  # a contents page is looked for this far into a report
MAX_TITLE_WORDS = 15  # a longer "title" is running text: the contents page is over
MAX_LINE = 90  # a longer line (leaders aside) is running text: the contents page is over
MIN_LISTED = 4  # page numbers in order that make a contents page without a "Contents" line
MIN_MATCH = 0.6  # share of the asked title's word weight an entry's title must match (both ways, F1)


@dataclass(frozen=True)
class Entry:
    """One line of a contents page: a section title, its printed page, and the file lines it is read from."""

    title: str
    page: int
    lines: tuple[int, int]


# --- where contents pages are -------------------------------------------------------------------------------

def contents_spans(lines: Sequence[str]) -> list[tuple[int, int]]:
    """1-based line spans of contents pages, in any of the forms extraction leaves them: "Contents" and its
    entries on one line, title and page number on alternating lines, entries with dot leaders, or, without
    the word, MIN_LISTED entries or more that end in page numbers which never go down."""
    spans = []
    n = 1
    while n <= len(lines):
        text = clean(lines[n - 1])
        headed, leaders = bool(_HEADING.match(text)), bool(_LEADER_PAGE.search(text))
        if not is_table_line(lines[n - 1]) and (headed or leaders or _line_pages(text)):
            last = _contents_end(lines, n)
            found = (headed or leaders) and (last > n or len(_line_pages(text)) >= 2 - headed)
            if found or _listed_pages(lines[n - 1 : last]):
                spans.append((n, last))
                n = last + 1
                continue
        n += 1
    return spans


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
        title = not ends_sentence(text) and _page_at_end(following) is not None
        if (printed is None and not title) or (printed or page) < page or len(_LEADER.sub(" ", text)) > MAX_LINE:
            break
        last, n, page = n, n + 1, printed or page
    return last


def _listed_pages(lines: Sequence[str]) -> bool:
    """Whether lines are a contents list without a heading: MIN_LISTED page numbers or more at line ends, in
    order."""
    pages = [found[-1] for line in lines if (found := _line_pages(clean(line)))]
    return len(pages) >= MIN_LISTED and pages == sorted(pages)


def _page_at_end(line: str) -> int | None:
    """The page a line of contents entries ends in ("Statistics 12", "Case Examples 18 - 19", "... 12", "12");
    None when the line is not made of entries ("Section 4", "a total of 12 cases")."""
    if re.fullmatch(r"\d{1,3}", line):
        return int(line)
    pages = _line_pages(line)
    return pages[-1] if pages else None


def is_entry_line(line: str) -> bool:
    """Whether a line is made of contents entries ("Statistics 12", "Foreword Page 1"): it ends in a page."""
    return _page_at_end(line) is not None


def _line_pages(line: str) -> list[int]:
    """The pages of the contents entries `line` is made of ("Contents" aside); [] when it holds anything else."""
    entries, rest = _read([line])
    return [] if rest else [entry.page for entry in entries]


# --- their entries ------------------------------------------------------------------------------------------

def _read(lines: Sequence[str], first_line: int = 1) -> tuple[list[Entry], str]:
    """The entries of contents lines (file lines `first_line` on; "Contents" at the start left out), in order,
    and the text after the last one. A number is a page when it is followed by the next title (a capital, a
    quote, a number) or the end, is not below the page before it and does not number a label ("Section 5");
    a page range ("7–8") is its first page."""
    joined, starts = _join(lines, first_line)
    entries: list[Entry] = []
    title_start = 0
    for match in _PAGE.finditer(joined):
        title = joined[title_start : match.start()].strip(_TITLE_EDGES)
        page = int(match.group(1))
        after = joined[match.end() :].lstrip()
        ends_entry = not after or after[0].isupper() or after[0] in "'‘\"“(" or after[0].isdigit()
        if not ends_entry or not re.search(r"[A-Za-z]", title) or _LABEL.search(title):
            continue
        if entries and page < entries[-1].page:
            continue  # a smaller number is part of the title
        begins = len(joined) - len(joined[title_start:].lstrip(_TITLE_EDGES))
        entries.append(Entry(" ".join(title.split()), page, (_line_at(starts, begins), _line_at(starts, match.start()))))
        title_start = match.end()
    return entries, joined[title_start:].strip()


def _join(lines: Sequence[str], first_line: int) -> tuple[str, list[tuple[int, int]]]:
    """The text of the lines on one line, without "Contents", leaders, the word "page" or a range's last page,
    and (offset in it, file line) where each line starts."""
    joined, starts = "", []
    for number, line in enumerate(lines, start=first_line):
        body = _HEADING.sub("", line, count=1) if number == first_line else line
        body = _PAGE_WORD.sub("", _RANGE.sub(r"\1", _LEADER.sub(" ", body.replace("\t", " ")))).strip()
        if body:
            starts.append((len(joined), number))
            joined += body + " "
    return joined, starts


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    return max(line for start, line in starts if start <= offset)


def read_contents(text: str, first_line: int = 1) -> list[Entry]:
    """The entries of the first contents page in `text` (whose first line is file line `first_line`), looked for
    in its first MAX_LINES lines; [] when it has none. Entries are read on past the lines the layout keeps as
    the contents page (a title ending in a full stop ends those) up to three blank lines, or to a "title" too
    long to be one."""
    lines = text.split("\n")[:MAX_LINES]
    spans = contents_spans(lines)
    if not spans:
        return []
    first, last = spans[0]
    end = next((n for n in range(last, len(lines)) if not "".join(lines[n : n + 3]).strip()), len(lines))
    entries = _read(lines[first - 1 : end], first_line + first - 1)[0]
    return list(takewhile(lambda entry: len(entry.title.split()) <= MAX_TITLE_WORDS, entries))


def contents_entries(text: str) -> list[tuple[str, int]]:
    """(title, printed page) of each entry of a contents page's text, in order:
    "Contents Introduction 3 MAPPA Statistics 5" -> [("Introduction", 3), ("MAPPA Statistics", 5)]."""
    return [(entry.title, entry.page) for entry in _read(text.split("\n"))[0]]


def contents_text(lines: Sequence[str]) -> str:
    """A contents page as written, whatever form extraction left it in: "Contents" and one entry a line,
    "Statistics, page 12" (as printed when its entries cannot be read)."""
    entries = _read(lines)[0]
    if not entries:
        return " ".join(lines)
    return "\n".join(["Contents", *(f"{entry.title}, page {entry.page}" for entry in entries)])


# --- "on what page is …" ------------------------------------------------------------------------------------

_QUOTED = re.compile(r"['‘\"“](.+)['’\"”]")
_PAGE_WORDS = re.compile(r"\b(?:on |at )?(?:what|which) pages?(?: numbers?)?\b|\bpage (?:number|no\.?)\b|"
                         r"\bwhere in the (?:report|document)\b|\b(?:where|is|are|does|do|can i find|find|the section|section|"
                         r"chapter|part|about|on|covers?|covered|discussed|start|starts|begin|begins|in the report|"
                         r"of the report|report)\b|\?", re.IGNORECASE)
# A title's label or number, not its words: "Section 5 ", "Appendix A – ", "10. ".
_TITLE_LABEL = re.compile(r"^(?:(?:section|chapter|part|annex|appendix)\s+[\dA-Z]{1,3}\b\.?|\d{1,2}\.)\s*[–:-]?\s*",
                          re.IGNORECASE)


# The words naming the report a title is in, not the title: "in the 2017/18 national MAPPA report".
_REPORT_NAMED = re.compile(r"\b(?:in|of|from) (?:the |this |that )?(?:[\w/'’-]+ ){0,6}?report\b", re.IGNORECASE)


def asked_title(question: str) -> str:
    """The section title a page question asks about: the quoted words, else what is left of the question
    without its page words and the words naming the report ("on what page of the 2017/18 national report is
    the section on housing" -> "housing")."""
    if quoted := _QUOTED.search(question):
        return quoted.group(1).strip()
    return " ".join(_PAGE_WORDS.sub(" ", _REPORT_NAMED.sub(" ", question)).split())


def _match(asked: str, title: str, weights: dict[str, float]) -> float:
    """How well an entry's title matches the asked one, 0..1: 1 when equal as written, else (below 1) the F1 of
    their word roots: recall weighted by `weights` (the question's words by idf, less its scope and filler:
    "in the Norfolk report" is no part of a title), precision by count; when the title holds every word
    asked, of its words up to the last one asked: a question names a long title by its first words
    ("revocation of lifetime notification" for "Revocation of lifetime notification requirement for
    Registered Sexual Offenders")."""
    title = _TITLE_LABEL.sub("", title)
    if _normal(asked) == _normal(title):
        return 1.0
    a, t = _roots(asked), _roots_in_order(title)
    if weights:
        a = {r for r in a if r in weights}
    held = a & set(t)
    if not held:
        return 0.0
    recall = sum(weights.get(r, 1.0) for r in held) / sum(weights.get(r, 1.0) for r in a)
    named = max(i for i, r in enumerate(t) if r in held) + 1 if held == a else len(t)
    precision = len(held) / named
    return 0.99 * 2 * precision * recall / (precision + recall)  # below a title as written


def _roots(text: str) -> set[str]:
    """The roots of the words as written (abbreviations not expanded), less "MAPPA", which every title may hold."""
    return set(_roots_in_order(text))


def _roots_in_order(text: str) -> list[str]:
    """`_roots`, each once, in the order the text first has them."""
    found = (root(stem(w)) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and w != "mappa")
    return list(dict.fromkeys(found))


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower().replace("’", "'")).split())


def is_page_question(question: str) -> bool:
    """Whether a question asks on which page of a report something is."""
    wanted = asked_for(question)
    return wanted is not None and wanted.kind == PAGE


def page_answer(question: str, passages: Iterable[Citation], weights: dict[str, float] | None = None) -> Answer | None:
    """The answer to a page question from the contents pages among `passages` (best first), citing the
    contents lines of each report whose contents list the section; None when none does.

    `weights` weigh the title's word roots (idf) when it is matched loosely.
    """
    # Imported here: the layout reads contents pages while documents load, before the answer stage exists.
    from .answer import Answer, Citation

    asked = asked_title(question)
    if not asked:
        return None
    found: list[tuple[float, Entry, Citation]] = []
    seen_docs: set[str] = set()
    for passage in passages:
        if passage.doc in seen_docs:
            continue
        entries = read_contents(passage.text, passage.lines[0])
        if not entries:
            continue
        score, entry = max(((_match(asked, e.title, weights or {}), e) for e in entries), key=lambda item: item[0])
        if score >= MIN_MATCH:
            seen_docs.add(passage.doc)
            found.append((score, entry, passage))
    if not found:
        return None
    best = max(score for score, _, _ in found)
    found = [item for item in found if item[0] == best]  # an exact title beats a loose match elsewhere
    parts, citations, pages = [], [], []
    for _, entry, passage in found:
        report = f"{passage.area or passage.title} {passage.period or ''}".strip()
        lines = passage.text.split("\n")[entry.lines[0] - passage.lines[0] : entry.lines[1] - passage.lines[0] + 1]
        pages.append(_printed_pages(entry, "\n".join(lines)))
        parts.append(f"{'pages' if pages[-1] != str(entry.page) else 'page'} {pages[-1]} of the {report} report")
        citations.append(Citation(passage.doc, passage.title, passage.area, passage.period, "Contents", entry.lines,
                                  "\n".join(lines), 1.0, passage.pages))
    first = found[0]
    text = f"“{first[1].title}” is on {parts[0]}" + (f"; also on {'; '.join(parts[1:])}" if parts[1:] else "") + \
        " (from its contents page)."
    return Answer(question=question, status="answered", kind="passage", answer=text, area=first[2].area,
                  period=first[2].period, citations=tuple(citations), span=pages[0])


def _printed_pages(entry: Entry, text: str) -> str:
    """The pages of an entry as its lines print them: "18 – 21" for a range (read as its first page), else
    the page."""
    ranges = [m.group(0) for m in re.finditer(_RANGE.pattern, text) if m.group(1) == str(entry.page)]
    return ranges[-1] if ranges else str(entry.page)
