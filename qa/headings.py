"""Which paragraphs of a report are headings, and which are signatures: decided in context, not line by line.

A heading is short and title-like, does not end mid-sentence, and stands before body text (or before a
heading under it); a Markdown `#` line is one, and so is a numbered section title ("3. Statistics",
"Section 4 – Contacts"). A line of prose cut by the PDF, a table's label, a contents page or a signature
("Jane Smith" / "Chair, Strategic Management Board") is not: a signature stays with the text it signs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .layout import Paragraph
from .lines import BULLET

_NUMBERED = re.compile(r"^(?:(?:section|part|chapter|appendix)\s+)?\d{1,2}(?:\.\d{1,2})*\.?\s*[-–—:.]?\s+[A-Z]", re.I)
# A heading does not end on a word that needs more after it.
_OPEN_ENDED = frozenset([
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "at", "for", "with", "by", "from", "as", "that", "which",
    "who", "is", "are", "was", "were", "be", "has", "have", "had", "our", "their", "its", "this", "these", "those",
    "than", "into", "under", "over", "between",
])
_RANK = (r"(?:ACC|DCC|ACO|CC|DCI|DI|DS|DC|PC|Supt\.?|Ch\.? Supt\.?|Chief Superintendent|Superintendent|"
         r"Chief Inspector|Inspector|Detective \w+|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Prof\.?|Professor|Sir|Dame|"
         r"Lord|Lady|Cllr\.?|Councillor|Revd?\.?)")
_PERSON = rf"(?:{_RANK}\s+)?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?:\s+[A-Z]\.?)?\s+(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_ROLE = (r"(?:Chair(?:man|person|woman)?|Chief|Head|Director|Manager|Officer|Superintendent|Constable|"
         r"Commissioner|Governor|Co-?ordinator|Advis[eo]r|Lead|Inspector|Secretary|President|Executive|Deputy|"
         r"Assistant)")
_NAME_LINE = re.compile(rf"^(?:#+\s*)?(?:\*\*)?(?P<name>{_PERSON})(?:\*\*)?(?:\s*[,–—-]?\s+(?P<role>.+))?$")
_ROLE_LINE = re.compile(rf"^(?:(?:Deputy|Assistant|Acting|Interim|Senior|Lay|Detective|Temporary|Joint|Vice)[ -])*"
                        rf"{_ROLE}\b(?!')")
_HAS_ROLE = re.compile(rf"\b{_ROLE}\b(?!')")


def plain(text: str) -> str:
    """A heading or title without Markdown marks: "# **MAPPA Statistics**" -> "MAPPA Statistics"."""
    text = re.sub(r"^\s*#+\s*", "", text)
    text = text.replace("**", "").replace("__", "")
    return " ".join(text.split()).strip(" :")


def is_markdown(lines: Sequence[str]) -> bool:
    """Whether a text marks its headings with Markdown `#`."""
    return sum(1 for line in lines if re.match(r"#{1,6}\s+\S", line)) >= 3


def title_like(text: str) -> bool:
    """Whether a paragraph's text could be a plain-text heading: short, starting like a title (a capital, a
    quote, or a section number), not a list item, a link or a sentence, and not ending mid-phrase."""
    text = text.strip()
    if not text or len(text) > 100 or len(text.split()) > 14 or "www." in text or "http" in text:
        return False
    numbered = bool(_NUMBERED.match(text))
    if (BULLET.match(text) and not numbered) or text[-1] in ".,;:" or "\t" in text or "|" in text:
        return False
    if not (text[0].isupper() or text[0] in "'‘\"“" or numbered):
        return False
    return text.split()[-1] not in _OPEN_ENDED  # "Case Study A" is a title; "... since the" is not


def signatures(paragraphs: Sequence[Paragraph]) -> set[int]:
    """Indexes of the paragraphs that sign the text before them: a person's name with their role, on one
    line ("ACC Chris Balmer Chair, MAPPA Strategic Management Board") or over a few short lines ("Pamela
    Spring" / "Chair of London MAPPA SMB"), with the organisation lines printed right under it."""
    found: set[int] = set()
    for i, paragraph in enumerate(paragraphs):
        if i in found or not (name := _name(paragraph)):
            continue
        block = [i]
        role = name.group("role")
        if not role and not (i + 1 < len(paragraphs) and _is_role(paragraphs[i + 1])):
            continue
        j = i + 1
        while j < len(paragraphs) and len(block) < 5 and _short(paragraphs[j]) and (
                _is_role(paragraphs[j]) or _name(paragraphs[j])
                or not paragraphs[j].gap):  # printed right under the line before
            block.append(j)
            j += 1
        found.update(block)
    return found


def _short(paragraph: Paragraph) -> bool:
    text = plain(paragraph.text)
    return paragraph.kind == "text" and 0 < len(text.split()) <= 14 and not text.endswith(".")


def _name(paragraph: Paragraph) -> re.Match | None:
    if not _short(paragraph) or not (match := _NAME_LINE.match(paragraph.text.strip())):
        return None
    role = match.group("role")
    return match if role is None or _HAS_ROLE.search(role) else None


def _is_role(paragraph: Paragraph) -> bool:
    return _short(paragraph) and is_role_line(paragraph.text)


def is_role_line(text: str) -> bool:
    """Whether a line opens with a role ("Chief Officer", "Assistant Chief Constable", "Head of …")."""
    return bool(_ROLE_LINE.match(plain(text)))


def heading_levels(paragraphs: Sequence[Paragraph], markdown: bool) -> dict[int, int]:
    """Paragraph index -> heading level (1 outermost) of the paragraphs that are headings.

    Markdown: `#` lines (their level is the number of `#`), but not a signature set as one. Plain text: a
    title-like paragraph of one or two printed lines that follows a blank line or the end of a sentence and
    stands before body text, a table, or another heading; a heading directly followed by another opens a
    parent (level 1) for the headings below it, until the next parent.
    """
    signed = signatures(paragraphs)
    if markdown:
        return {i: len(m.group(1)) for i, p in enumerate(paragraphs)
                if i not in signed and (m := re.match(r"(#{1,6})\s+\S", p.text))}
    n = len(paragraphs)
    heading = [False] * n
    for i in range(n - 1, -1, -1):
        paragraph = paragraphs[i]
        if i in signed or paragraph.kind != "text" or len(paragraph.lines) > 2 or not title_like(paragraph.text):
            continue
        if i and _under(paragraphs[i - 1], paragraph):
            continue
        if i + 1 == n:
            continue
        after = paragraphs[i + 1]
        heading[i] = after.kind == "table" or heading[i + 1] or (
            after.kind == "text" and i + 1 not in signed and _body(after))
    return {i: 1 if i + 1 < n and heading[i + 1] else 2 for i in range(n) if heading[i]}


def _body(paragraph: Paragraph) -> bool:
    """Whether a paragraph reads as body text rather than a heading: not title-like, or too long for one."""
    return not title_like(paragraph.text) or len(paragraph.text.split()) > 10


def _under(before: Paragraph, paragraph: Paragraph) -> bool:
    """Whether `paragraph` is printed right under a table row or a short line (a cell or a signature),
    which makes it part of that rather than a heading."""
    if paragraph.gap:
        return False
    return before.kind == "table" or len(before.text.split()) < 8
