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
_LEADER = re.compile(r"\s*(?:\.{2,}|…+|·{2,}|_{3,})\s*")
# A printed page number: 1-3 digits on their own, not a year, a share or part of "'25".
_PAGE = re.compile(r"(?<![\w'’/.,-])(\d{1,3})(?![\w%/.,'’-])")
MAX_LINES = 80  # a contents page is read this far at most
MAX_TITLE_WORDS = 15  # a longer "title" is running text: the contents page is over
MIN_MATCH = 0.6  # share of the asked title's word weight an entry's title must match (both ways, F1)


@dataclass(frozen=True)
class Entry:
    """One line of a contents page: a section title, its printed page, and the file lines it is read from."""

    title: str
    page: int
    lines: tuple[int, int]


def read_contents(text: str, first_line: int = 1) -> list[Entry]:
    """The entries of the contents page in `text` (whose first line is file line `first_line`), in order;
    [] when it holds none. Pages never go down: a smaller number is part of a title."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if _HEADING.match(line)), None)
    if start is None:
        return []
    joined, where = "", []  # where: (offset in joined, file line)
    for number, line in enumerate(lines[start : start + MAX_LINES], start=first_line + start):
        body = _HEADING.sub("", line, count=1) if number == first_line + start else line
        if not body.strip():
            if _ends_in_page(joined):
                break  # a blank line after entries: the contents page is over
            continue
        body = _LEADER.sub(" ", body.replace("\t", " ")).strip()
        where.append((len(joined), number))
        joined += body + " "
    entries: list[Entry] = []
    title_start = 0
    for match in _PAGE.finditer(joined):
        after = joined[match.end():].lstrip()
        title = joined[title_start : match.start()].strip(" -–:|")
        page = int(match.group(1))
        ends_entry = not after or after[0].isupper() or after[0] in "'‘\"“(" or after[0].isdigit()
        if not ends_entry or not title or not re.search(r"[A-Za-z]", title):
            continue
        if entries and page < entries[-1].page:
            continue
        if len(title.split()) > MAX_TITLE_WORDS:
            break
        begins = title_start + len(joined[title_start:]) - len(joined[title_start:].lstrip(" -–:|"))
        entries.append(Entry(title, page, (_line_at(where, begins), _line_at(where, match.start()))))
        title_start = match.end()
    return entries


def _ends_in_page(joined: str) -> bool:
    return bool(re.search(r"\d\s*$", joined))


def _line_at(where: list[tuple[int, int]], offset: int) -> int:
    return max((line for start, line in where if start <= offset), default=where[0][1])


_QUOTED = re.compile(r"['‘\"“](.+)['’\"”]")
_PAGE_WORDS = re.compile(r"\b(?:on |at )?(?:what|which) pages?(?: numbers?)?\b|\bpage (?:number|no\.?)\b|"
                         r"\bwhere in the (?:report|document)\b|\b(?:is|are|does|do|can i find|find|the section|section|"
                         r"chapter|part|about|on|covers?|covered|discussed|start|starts|begin|begins|in the report|"
                         r"of the report|report)\b|\?", re.IGNORECASE)


def asked_title(question: str) -> str:
    """The section title a page question asks about: the quoted words, else what is left of the question
    without its page words ("on what page is the section on housing" -> "housing")."""
    if quoted := _QUOTED.search(question):
        return quoted.group(1).strip()
    return " ".join(_PAGE_WORDS.sub(" ", question).split())


def _match(asked: str, title: str, weights: dict[str, float]) -> float:
    """How well an entry's title matches the asked one, 0..1: 1 when equal as written, else (below 1) the F1 of
    their word roots: recall weighted by `weights` (the question's words by idf, less its scope and filler:
    "in the Norfolk report" is no part of a title), precision by count."""
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
    """The roots of the words as written (abbreviations not expanded: "MAPPA" is one word of a title)."""
    return {root(stem(w)) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


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
