"""The sentences of a cited passage, as written rather than as printed, each with the file lines it spans.

A passage's `text` is the file's lines. Reports extracted from PDFs wrap every printed line, hyphenate words
at line ends and put a signature's name and role on short lines of their own; an answer read line by line
is then half a sentence, or a name without the role it answers with. Here the lines of one paragraph are
joined (an end-of-line hyphen undone), paragraphs are split at sentence ends, and a short line with no
sentence end (a name, a role, a heading) is also read together with what follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ? followed by a capital, a quote or a bracket (not "e.g. the", not "3.5").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(‘'])")
_MARKUP = re.compile(r"^#+\s*|\*\*|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)|<[^>]+>")
_BULLET = re.compile(r"^\s*(?:[-•·*▪●◦–]|\(?[0-9]{1,2}[.)]|\([a-z]\))\s+")
# Prefixes that keep their hyphen when split at a line end ("multi-" / "agency" is "multi-agency").
_KEEP_HYPHEN = frozenset(["multi", "co", "non", "pre", "re", "inter", "sub", "self", "well", "cross", "anti", "post", "under", "over", "semi", "ex"])
SHORT_WORDS = 6  # a paragraph of fewer words with no sentence end is a name, a role or a heading
MAX_ROLE_LINES, MAX_ROLE_WORDS = 3, 16  # a role under a signature: up to 3 lines of up to 16 words, no sentence end


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage: `text` as written (lines joined, markup dropped), and the 1-based
    inclusive file lines it was read from."""

    text: str
    lines: tuple[int, int]


def is_short(text: str) -> bool:
    """A name, a role or a heading: a few words, no sentence end."""
    return len(text.split()) < SHORT_WORDS and not re.search(r"[.!?;]\s*$", text)


def _stands_alone(line: str) -> bool:
    """A line never joined to the one before it: a heading, a list item or a table row."""
    stripped = line.lstrip()
    return stripped.startswith(("#", "|")) or bool(_BULLET.match(line)) or "\t" in line


def _clean(line: str) -> str:
    return _MARKUP.sub("", _BULLET.sub("", line)).strip(" \t•·")


class _Paragraph:
    """Lines joined into one paragraph, remembering where in the text each file line starts."""

    def __init__(self, text: str, number: int, heading: bool = False):
        self.text, self.starts, self.heading = text, [(0, number)], heading

    def add(self, line: str, number: int) -> None:
        hyphen = re.search(r"(\w+)-$", self.text)
        if hyphen and line[:1].islower():  # a word split at the line end
            if hyphen.group(1).lower() not in _KEEP_HYPHEN:
                self.text = self.text[:-1]
        else:
            self.text += " "
        self.starts.append((len(self.text), number))
        self.text += line

    def line_at(self, offset: int) -> int:
        return max(number for start, number in self.starts if start <= offset)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.line_at(start), self.line_at(max(start, end - 1))


def paragraphs(text: str, first_line: int = 1) -> list[_Paragraph]:
    """The paragraphs of `text`, whose first line is file line `first_line`.

    Lines are joined while they read as one paragraph: neither is blank, the line is not a heading, list
    item or table row, and the two are not both short (a name above a role stays two paragraphs). A
    sentence cut by one blank line ("… In such cases there will" / "" / "be regular MAPPA meetings", as PDF
    extraction leaves page and column breaks) is joined too: the text before it is long and ends without a
    sentence end, in a word that cannot end one ("from", "the") or before a lower-case word.
    """
    out: list[_Paragraph] = []
    current: _Paragraph | None = None
    blank_after: _Paragraph | None = None  # the paragraph before a single blank line
    for number, raw in enumerate(text.split("\n"), start=first_line):
        line = _clean(raw)
        if not line:
            blank_after, current = (current, None) if current is not None else (None, None)
            continue
        if current is None and blank_after is not None and _cut(blank_after.text, line) and not _stands_alone(raw):
            current = blank_after
        blank_after = None
        joins = (current is not None and not _stands_alone(raw) and not (is_short(current.text) and is_short(line))
                 and not current.text.startswith("\t"))
        if joins:
            current.add(line, number)
        else:
            current = _Paragraph(line, number, raw.lstrip().startswith("#"))
            out.append(current)
        if _stands_alone(raw) and not _BULLET.match(raw):  # a heading or a table row is a paragraph of its own
            current = None
    return out


_CONTINUES = frozenset(_KEEP_HYPHEN | {"from", "of", "the", "a", "an", "and", "or", "to", "in", "on", "for", "by",
                                      "with", "at", "as", "that", "which", "who", "will", "would", "be", "is", "are",
                                      "was", "were", "has", "have", "their", "its", "our", "this", "these"})


def _cut(before: str, after: str) -> bool:
    """Whether a blank line cut one sentence: `before` is long and unfinished, and `after` goes on with it."""
    if is_short(before) or re.search(r"[.!?:;)\"”]\s*$", before):
        return False
    last = re.findall(r"[\w'’-]+", before)[-1].lower() if re.search(r"\w", before) else ""
    return after[:1].islower() or last in _CONTINUES


def _pieces(para: _Paragraph) -> list[Sentence]:
    out, start = [], 0
    for boundary in [*_SENTENCE_END.finditer(para.text), None]:
        end = boundary.start() if boundary else len(para.text)
        if para.text[start:end].strip():
            out.append(Sentence(para.text[start:end].strip(), para.span(start, end)))
        start = boundary.end() if boundary else end
    return out


def _signed(name: _Paragraph, after: list[_Paragraph]) -> tuple[Sentence, int] | None:
    """A short paragraph read with what follows it, and how many of the following paragraphs it took
    whole: the lines of a role under a name ("Sarah Port — Chair of the … Board — Head of Service"), else
    the first sentence after a heading (0 taken whole). None when nothing follows close enough.

    A role line is short, ends in no sentence, is no Markdown heading and is not followed by body text (a
    short line above a paragraph is the next section's heading)."""
    parts, last = [name.text], name.starts[-1][1]
    for i, para in enumerate(after[:MAX_ROLE_LINES]):
        body_next = i + 1 < len(after) and not _is_role(after[i + 1].text)
        if not _is_role(para.text) or para.heading or body_next or para.starts[0][1] - last > 2:
            break
        parts.append(para.text)
        last = para.starts[-1][1]
    taken = len(parts) - 1
    if not taken and after and after[0].starts[0][1] - last <= 2:
        first = _pieces(after[0])[0]
        parts.append(first.text)
        last = first.lines[1]
    return (Sentence(" — ".join(parts), (name.starts[0][1], last)), taken) if len(parts) > 1 else None


def _is_role(text: str) -> bool:
    return len(text.split()) <= MAX_ROLE_WORDS and not re.search(r"[.!?:;]\s*$", text)


def split_sentences(text: str, first_line: int = 1) -> list[Sentence]:
    """The sentences of a passage whose text starts at file line `first_line`, in reading order.

    A short paragraph (a name, a heading) is read with what follows it instead of alone: a name with the
    role lines under it, "Sarah Port — Chair of the … Board — Head of Service", as a signature answers
    "who"; a heading with the first sentence after it (which is also given alone).
    """
    out: list[Sentence] = []
    paras = paragraphs(text, first_line)
    i = 0
    while i < len(paras):
        para = paras[i]
        signed = _signed(para, paras[i + 1 : i + 2 + MAX_ROLE_LINES]) if is_short(para.text) else None
        if signed:
            out.append(signed[0])
            i += 1 + signed[1]
            continue
        out.extend(_pieces(para))
        i += 1
    return out
