"""Questions about a report as a document, answered from its cover and opening pages.

"What is the title on the front of the Cambridgeshire report", "which department publishes the national
report", "which annual report number is Lancashire's 2003-04 report": the question's words are about the
report ("title", "front", "publishes", "number"), which no passage holds, so passage retrieval finds nothing
relevant. The answer is on the cover (the opening lines before the contents page or the first body text:
"Keeping Communities Safe"), in a "Published by" line or a body named on the cover ("Ministry of Justice"),
or in the opening sentence that numbers the report ("this, the third, annual report").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .answertype import NAME, PERSON, asked_for
from .contents import is_entry_line
from .lines import clean, ends_sentence
from .sentences import split_sentences

if TYPE_CHECKING:
    from .answer import Answer, Citation

TITLE, PUBLISHER, EDITION = "title", "publisher", "edition"

_REPORT = r"(?:report|document|publication|bulletin)"
_TITLE_Q = re.compile(
    rf"\b(?:title|titled|heading|slogan|strapline|tag ?line|headline|motto|caption)\b.*\b(?:front|cover)\b|"
    rf"\b(?:front|cover)(?: page)?\b.*\b(?:title|titled|heading|slogan|strapline|tag ?line|headline|motto|say|says|read|reads)\b|"
    rf"\btitle of (?:the |this |that |its |their )?(?:[\w/'’-]+ ){{0,5}}?{_REPORT}\b|"
    rf"\b{_REPORT}(?:'s|’s)? (?:title|slogan|strapline)\b|\b{_REPORT} (?:is |was )?(?:called|titled|entitled|named)\b",
    re.IGNORECASE)
_PUBLISHER_Q = re.compile(r"\bpublish(?:es|ed|er|ing)?\b|\b(?:produced|issued|compiled) by\b|\b(?:who|which \w+) "
                          r"(?:produces?|issues?|compiles?)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"\b(?:when|after|before|since|until|as|once|while|the year)\b", re.IGNORECASE)
_ORDINAL = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
            r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|\d{1,2}(?:st|nd|rd|th))")
_EDITION_Q = re.compile(
    rf"\b(?:which|what) (?:annual )?{_REPORT} (?:number|edition|issue|instalment)\b|"
    rf"\b(?:which|what) (?:number(?:ed)? )?(?:edition|instalment)\b|"
    rf"\bwhich (?:annual )?{_REPORT} (?:is|was) (?:this|it)\b|"
    rf"\bhow many (?:annual |such |mappa |previous |earlier )*{_REPORT}s\b|"
    rf"\b(?:is|was) (?:this|it) the {_ORDINAL}\b", re.IGNORECASE)
# "this, the third, annual report", "the sixth annual report", "our 5th MAPPA report"
_NUMBERED = re.compile(rf"\b({_ORDINAL})\b[\s,]*(?:(?:annual|yearly|mappa|multi-agency public protection)\s+)*"
                       rf"(?:annual\s+)?{_REPORT}\b", re.IGNORECASE)
# Bodies that publish: "Published by Home Office", "… Ministry of Justice Statistics Bulletin".
_PUBLISHED_BY = re.compile(r"\bpublished by:?\s+(?:the\s+)?([A-Z][\w&’'-]*(?:\s+(?:of|and|for|&|the)?\s*[A-Z][\w&’'-]*)*)")
_BODY = re.compile(r"\b(?:(?:HM |Her Majesty's |His Majesty's )?[A-Z][a-z]+ (?:Office|Department|Government|Executive)|"
                   r"(?:Ministry|Department|Office) (?:of|for) (?:the )?[A-Z][a-z]+(?: and [A-Z][a-z]+(?: [A-Z][a-z]+)?)?|"
                   r"Home Office|Scottish Government|Welsh (?:Assembly )?Government|National Offender Management Service|"
                   r"National Probation (?:Service|Directorate)|HM Prison (?:and Probation )?Service)\b")
COVER_LINES = 8  # the most lines a cover is read from
PUBLISHER_LINES = 12  # the publisher is named on the cover, or on the title page after it
_LONG_LINE = 14  # a line of more words ending a sentence is body text: the cover is over
_LONG_WORDS = 30  # a line of more words is body text, whatever its end
# Lines a web store or viewer adds around the report ("Upload: others", "Post on 31-Mar-2020", "2 views",
# "You are on page 1of 36", "Page 1", "…...": a search snippet), and lone numbers: none is part of the cover.
_CHROME = re.compile(r"^(?:upload:.*|post(?:ed)? on .*|\d+ views?|(?:you are on )?page \d+\s*(?:of\s*\d+)?(?::.*)?|"
                     r"\d{1,3}|transcript(?: of .*)?|category:.*|documents?|\d+ downloads?|.*(?:…|\.\.\.).*|.*%20.*|<<|>>)$",
                    re.IGNORECASE)
_OPENING = re.compile(r"^(?:contents|contacts|foreword|introduction|preface|welcome|(?:executive )?summary|"
                      r"(?:section|chapter|part) \d+|1\.)(?:\W|$)", re.IGNORECASE)
# Words every cover prints (with the area's): the title is the first cover line that says more ("Keeping
# Communities Safe", "Helping to keep Lincolnshire safe").
_GENERIC = frozenset(re.findall(r"\w+", "multi agency public protection arrangements arrangement mappa annual report "
                                 "the for of and in england wales area areas"))


@dataclass(frozen=True)
class Found:
    """What answers a cover question in one report: the text read, its file lines and the item asked for."""

    text: str
    lines: tuple[int, int]
    span: str


def cover_question(question: str) -> str | None:
    """TITLE, PUBLISHER or EDITION when `question` asks for the report's title as printed on its cover, who
    publishes it, or which of the area's annual reports it is; else None."""
    if _EDITION_Q.search(question):
        return EDITION
    if _TITLE_Q.search(question):
        return TITLE
    wanted = asked_for(question)
    # "Who was Chief Constable when the report was published": the publishing dates what is asked, it is not it.
    published = _PUBLISHER_Q.search(question)
    if published and not _CLAUSE.search(question[: published.start()]) and re.search(_REPORT, question, re.I) and (
            wanted is not None and wanted.kind in (NAME, PERSON)):
        return PUBLISHER
    return None


def cover(text: str, first_line: int, most: int = COVER_LINES) -> list[tuple[int, str]]:
    """The cover of a report whose opening `text` starts at file line `first_line`: (line number, line) of its
    first lines that are neither a viewer's chrome nor blank, up to the contents page, the first heading of the
    body ("Foreword") or the first line of running text, at most `most`."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=first_line):
        line = clean(raw).strip()
        if not line or _CHROME.match(line):
            continue
        words = len(line.split())
        if _OPENING.match(line) or words > _LONG_WORDS or (words > _LONG_LINE and ends_sentence(line)) or (
                is_entry_line(line) and not re.search(r"(?:19|20)\d\d\s*$", line)):
            break
        out.append((number, line))
        if len(out) == most:
            break
    return out


def _title(text: str, first_line: int, area: str | None = None) -> Found | None:
    lines = cover(text, first_line)
    if not lines:
        return None
    generic = _GENERIC | set(re.findall(r"[a-z]+", (area or "").lower()))
    says = [line for _, line in lines if set(re.findall(r"[a-z]+", line.lower())) - generic]
    return Found(" — ".join(line for _, line in lines), (lines[0][0], lines[-1][0]), (says or [lines[0][1]])[0])


def _publisher(text: str, first_line: int, area: str | None = None) -> Found | None:
    numbered = list(enumerate(text.split("\n"), start=first_line))
    for number, line in numbered:
        if found := _PUBLISHED_BY.search(line):
            return Found(line.strip(), (number, number), found.group(1).strip())
    for number, line in cover(text, first_line, PUBLISHER_LINES):
        if found := _BODY.search(line):
            return Found(line, (number, number), found.group(0))
    return None


def _edition(text: str, first_line: int, area: str | None = None) -> Found | None:
    for sentence in split_sentences(text, first_line):
        if found := _NUMBERED.search(sentence.text):
            return Found(sentence.text, sentence.lines, found.group(1))
    return None


_READERS = {TITLE: _title, PUBLISHER: _publisher, EDITION: _edition}


def cover_answer(question: str, openings: Iterable[Citation]) -> Answer | None:
    """The answer to a cover question (`cover_question`) from the first of `openings` (each report's opening
    lines, best report first) that holds one, citing the lines it is read from; None when the question is no
    cover question or no opening answers it."""
    from .answer import Answer, Citation

    what = cover_question(question)
    if what is None:
        return None
    for opening in openings:
        found = _READERS[what](opening.text, opening.lines[0], opening.area)
        if found is None:
            continue
        printed = opening.text.split("\n")[found.lines[0] - opening.lines[0] : found.lines[1] - opening.lines[0] + 1]
        cited = Citation(opening.doc, opening.title, opening.area, opening.period, "Cover" if what != EDITION else
                         "Opening", found.lines, "\n".join(printed), 1.0, opening.pages)
        report = f"{opening.area or opening.title} {opening.period or ''}".strip()
        said = {TITLE: f"The cover of the {report} report reads: {found.text}",
                PUBLISHER: f"{found.text} (the {report} report: published by {found.span})",
                EDITION: found.text}[what]
        return Answer(question=question, status="answered", kind="passage", answer=said, area=opening.area,
                      period=opening.period, citations=(cited, replace(opening, section="Opening")), span=found.span)
    return None
