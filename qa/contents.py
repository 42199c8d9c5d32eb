"""Contents pages: a report's list of section titles and printed pages, read from its text, and the
answer to "on what page is …" from it.

A contents page survives conversion in many shapes: one line ("Contents Introduction 3 What are MAPPA? 3
Statistics 12"), a title and its page on alternating lines, dot leaders ("Introduction ........ 3"), a tab
between title and page. All are read the same way: the lines after "Contents" are joined, leaders dropped,
and the text is cut after each page number that is followed by the start of another title (a capital);
a number inside a title ("Case Study 2: …", "Level 2 and 3 individuals …") is not followed by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .answer import Answer, Citation
from .answertype import PAGE, asked_for
from .rerank import root
from .text import STOPWORDS, stem

_HEADING = re.compile(r"^\s*(?:#+\s*)?(?:table of contents|contents|index of sections)(?:\s*:)?(?:\s+(?=[A-Z0-9])|\s*$)",
                      re.IGNORECASE)
_LEADER = re.compile(r"\s*(?:\.{2,}|(?:\. ){2,}\.?|…+|·{2,}|_{3,})\s*")
# A printed page number: 1-3 digits on their own, not a year, a share or part of "'25".
_PAGE = re.compile(r"(?<![\w'’/.,-])(\d{1,3})(?![\w%/.,'’-])")
MAX_LINES = 150  # a contents page is looked for this far into a report
MAX_TITLE_WORDS = 15  # a longer "title" is running text: the contents page is over
MIN_RUN = 3  # entries in a row that make a contents page without a "Contents" line
_RANGE = re.compile(r"(?<![\d/])(\d{1,3})\s*[–-]\s*\d{1,3}(?![\d/])")  # "7–8", "15 – 17": a page range
_PAGE_WORD = re.compile(r"\b(?:page|pp?\.)\s*(?=\d)", re.IGNORECASE)  # "Foreword Page 1"
_LABEL = re.compile(r"\b(?:section|chapter|part|annex|appendix)$", re.IGNORECASE)  # "Section 5" is no page 5
_ENTRY_LINE = re.compile(r"^(?!.*[\t|])(?=.*[A-Za-z])\S.{0,120}?\s(?:page\s+)?\d{1,3}$", re.IGNORECASE)
_TITLE_LINE = re.compile(r"^(?!.*[\t|])(?=.*[A-Za-z]).{2,120}$")
MIN_MATCH = 0.6  # share of the asked title's word weight an entry's title must match (both ways, F1)


@dataclass(frozen=True)
class Entry:
    """One line of a contents page: a section title, its printed page, and the file lines it is read from."""

    title: str
    page: int
    lines: tuple[int, int]


def read_contents(text: str, first_line: int = 1) -> list[Entry]:
    """The entries of the contents page in `text` (whose first line is file line `first_line`), in order;
    [] when it holds none. It starts at a "Contents" line, else at the first run of MIN_RUN lines that end
    in page numbers; it ends at three blank lines, or at a "title" too long to be one. Pages never go down: a
    smaller number is part of a title; a page range ("7–8") is its first page; "Section 5" is a label."""
    lines = text.split("\n")[:MAX_LINES]
    start = next((i for i, line in enumerate(lines) if _HEADING.match(line)), None)
    if start is None:
        start = _first_run(lines)
        if start is None:
            return []
    joined, where, blanks = "", [], 0  # where: (offset in joined, file line)
    for number, line in enumerate(lines[start:], start=first_line + start):
        body = _HEADING.sub("", line, count=1) if number == first_line + start else line
        if not body.strip():
            blanks += 1
            if blanks >= 3 and _ends_in_page(joined):
                break  # three blank lines after entries: the contents page is over
            continue
        blanks = 0
        body = _PAGE_WORD.sub("", _RANGE.sub(r"\1", _LEADER.sub(" ", body.replace("\t", " ")))).strip()
        where.append((len(joined), number))
        joined += body + " "
    entries: list[Entry] = []
    title_start = 0
    for match in _PAGE.finditer(joined):
        after = joined[match.end():].lstrip()
        title = joined[title_start : match.start()].strip(" -–:|")
        page = int(match.group(1))
        ends_entry = not after or after[0].isupper() or after[0] in "'‘\"“(" or after[0].isdigit()
        if not ends_entry or not title or not re.search(r"[A-Za-z]", title) or _LABEL.search(title):
            continue
        if entries and page < entries[-1].page:
            continue
        if len(title.split()) > MAX_TITLE_WORDS:
            break
        begins = title_start + len(joined[title_start:]) - len(joined[title_start:].lstrip(" -–:|"))
        entries.append(Entry(title, page, (_line_at(where, begins), _line_at(where, match.start()))))
        title_start = match.end()
    return entries


def _first_run(lines: list[str]) -> int | None:
    """The first line of MIN_RUN contents entries in a row (blank lines between allowed): each a short line
    ending in a small page number, or a title line followed by a line holding only its page."""
    body = [(i, _RANGE.sub(r"\1", _LEADER.sub(" ", line)).strip()) for i, line in enumerate(lines) if line.strip()]
    for k in range(len(body)):
        count, j = 0, k
        while j < len(body) and count < MIN_RUN:
            line = body[j][1]
            if _ENTRY_LINE.match(line):
                count, j = count + 1, j + 1
            elif j + 1 < len(body) and _TITLE_LINE.match(line) and re.fullmatch(r"\d{1,3}", body[j + 1][1]):
                count, j = count + 1, j + 2
            else:
                break
        if count >= MIN_RUN:
            return body[k][0]
    return None


def _ends_in_page(joined: str) -> bool:
    return bool(re.search(r"\d\s*$", joined))


def _line_at(where: list[tuple[int, int]], offset: int) -> int:
    return max((line for start, line in where if start <= offset), default=where[0][1])


_QUOTED = re.compile(r"['‘\"“](.+)['’\"”]")
_PAGE_WORDS = re.compile(r"\b(?:on |at )?(?:what|which) pages?(?: numbers?)?\b|\bpage (?:number|no\.?)\b|"
                         r"\bwhere in the (?:report|document)\b|\b(?:where|is|are|does|do|can i find|find|the section|section|"
                         r"chapter|part|about|on|covers?|covered|discussed|start|starts|begin|begins|in the report|"
                         r"of the report|report)\b|\?", re.IGNORECASE)


def asked_title(question: str) -> str:
    """The section title a page question asks about: the quoted words, else what is left of the question
    without its page words ("on what page is the section on housing" -> "housing")."""
    if quoted := _QUOTED.search(question):
        return quoted.group(1).strip()
    return " ".join(_PAGE_WORDS.sub(" ", question).split())


# A title's label or number, not its words: "Section 5 ", "Appendix A – ", "10. ".
_TITLE_LABEL = re.compile(r"^(?:(?:section|chapter|part|annex|appendix)\s+[\dA-Z]{1,3}\b\.?|\d{1,2}\.)\s*[–:-]?\s*",
                          re.IGNORECASE)


def _match(asked: str, title: str, weights: dict[str, float]) -> float:
    """How well an entry's title matches the asked one, 0..1: 1 when equal as written, else (below 1) the F1 of
    their word roots: recall weighted by `weights` (the question's words by idf, less its scope and filler:
    "in the Norfolk report" is no part of a title), precision by count."""
    title = _TITLE_LABEL.sub("", title)
    if _normal(asked) == _normal(title):
        return 1.0
    a, t = _roots(asked), _roots(title)
    if weights:
        a = {r for r in a if r in weights}
    held = a & t
    if not held:
        return 0.0
    recall = sum(weights.get(r, 1.0) for r in held) / sum(weights.get(r, 1.0) for r in a)
    precision = len(held) / len(t)
    return 0.99 * 2 * precision * recall / (precision + recall)  # below a title as written


def _roots(text: str) -> set[str]:
    """The roots of the words as written (abbreviations not expanded), less "MAPPA", which every title may hold."""
    return {root(stem(w)) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and w != "mappa"}


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
    parts, citations = [], []
    for _, entry, passage in found:
        report = f"{passage.area or passage.title} {passage.period or ''}".strip()
        parts.append(f"page {entry.page} of the {report} report")
        lines = passage.text.split("\n")[entry.lines[0] - passage.lines[0] : entry.lines[1] - passage.lines[0] + 1]
        citations.append(Citation(passage.doc, passage.title, passage.area, passage.period, "Contents", entry.lines,
                                  "\n".join(lines), 1.0, passage.pages))
    first = found[0]
    text = f"“{first[1].title}” is on {parts[0]}" + (f"; also on {'; '.join(parts[1:])}" if parts[1:] else "") + \
        " (from its contents page)."
    return Answer(question=question, status="answered", kind="passage", answer=text, area=first[2].area,
                  period=first[2].period, citations=tuple(citations), span=str(first[1].page))
