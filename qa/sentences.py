"""The sentences of a cited passage, as written rather than as printed, each with the file lines it spans.

A passage's `text` is the file's lines. Reports extracted from PDFs wrap every printed line, hyphenate words
at line ends and put a signature's name and role on short lines of their own; an answer read line by line
is then half a sentence, or a name without the role it answers with. Here the lines of one paragraph are
joined (an end-of-line hyphen undone), paragraphs are split at sentence ends, and a short line with no
sentence end (a name, a role, a heading) is also read together with what follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .answertype import is_signature
from .headings import is_role_line
from .sidebyside import Piece

# A sentence ends at . ! or ? followed by a capital, a quote or a bracket (not "e.g. the", not "3.5"); where
# extraction lost the space ("an important element.To ensure"), at one between a word and a capitalised word.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(‘'])|(?<=[a-z][a-z][.!?])(?=[A-Z][a-z])")
_MARKUP = re.compile(r"^#+\s*|\*\*|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)|<[^>]+>")
_BULLET = re.compile(r"^\s*(?:[-•·*▪●◦–]|\(?[0-9]{1,2}[.)]|\([a-z]\))\s+")
# Prefixes that keep their hyphen when split at a line end ("multi-" / "agency" is "multi-agency").
_KEEP_HYPHEN = frozenset(["multi", "co", "non", "pre", "re", "inter", "sub", "self", "well", "cross", "anti", "post", "under", "over", "semi", "ex"])
SHORT_WORDS = 6  # a paragraph of fewer words with no sentence end is a name, a role or a heading
MAX_ROLE_LINES, MAX_ROLE_WORDS = 3, 16  # a role under a signature: up to 3 lines of up to 16 words, no sentence end
SIGNATURE_GAP = 3  # lines from a signature's names to its role lines: up to two blank lines between


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
    """Lines joined into one paragraph, remembering where in the text each file line starts, and the places
    (in reading order) of its first and last lines."""

    def __init__(self, text: str, number: int, heading: bool = False, place: int = 0):
        self.text, self.starts, self.heading = text, [(0, number)], heading
        self.first, self.last = place, place

    def add(self, line: str, number: int, place: int = 0) -> None:
        self.last = place
        hyphen = re.search(r"(\w+)-$", self.text)
        if hyphen and line[:1].islower():  # a word split at the line end
            if hyphen.group(1).lower() not in _KEEP_HYPHEN:
                self.text = self.text[:-1]
        else:
            self.text += " "
        self.starts.append((len(self.text), number))
        self.text += line

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The first and last file lines that characters `start`..`end` are printed on (lines read in another
        order than printed, down a column, may not be in order)."""
        numbers = [number for k, (at, number) in enumerate(self.starts)
                   if at < max(end, start + 1) and (k + 1 == len(self.starts) or self.starts[k + 1][0] > start)]
        return min(numbers), max(numbers)


def paragraphs(text: str, first_line: int = 1, order: Sequence[int | Piece] | None = None) -> list[_Paragraph]:
    """The paragraphs of `text`, whose first line is file line `first_line`, its lines read in `order`
    (0-based indexes, or Pieces of lines where two columns stand side by side; None: as printed, see
    qa.columns.passage_order).

    Lines are joined while they read as one paragraph: neither is blank, the line is not a heading, list
    item or table row, and the two are not both short (a name above a role stays two paragraphs). A
    sentence cut by one blank line ("… In such cases there will" / "" / "be regular MAPPA meetings", as PDF
    extraction leaves page and column breaks) is joined too: the text before it is long and ends without a
    sentence end, in a word that cannot end one ("from", "the") or before a lower-case word.
    """
    out: list[_Paragraph] = []
    current: _Paragraph | None = None
    blank_after: _Paragraph | None = None  # the paragraph before a single blank line
    printed = text.split("\n")
    for place, k in enumerate(range(len(printed)) if order is None else order):
        if isinstance(k, Piece):
            number, raw = first_line + k.index, printed[k.index][k.start : k.end]
        else:
            number, raw = first_line + k, printed[k]
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
            current.add(line, number, place)
        else:
            current = _Paragraph(line, number, raw.lstrip().startswith("#"), place)
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


def _signed(name: _Paragraph, after: list[_Paragraph], gap: int = 2) -> tuple[Sentence, int] | None:
    """A short paragraph read with what follows it, and how many of the following paragraphs it took
    whole: the lines of a role under a name ("Sarah Port — Chair of the … Board — Head of Service"), else
    the first sentence after a heading (0 taken whole). None when nothing follows close enough.

    A role line is short, ends in no sentence, is no Markdown heading and is not followed by body text (a
    short line above a paragraph is the next section's heading); it is at most two lines below the line
    before it, or `gap` when it opens with a role ("Chief Constable"); under a name line that is not short
    (two names side by side), it opens with a role."""
    parts, last, lines = [name.text], name.last, [n for _, n in name.starts]
    for i, para in enumerate(after[:MAX_ROLE_LINES]):
        body_next = i + 1 < len(after) and not _is_role(after[i + 1].text)
        distance = para.first - last
        if not _is_role(para.text) or para.heading or body_next or distance > gap or (
                (distance > 2 or not is_short(name.text)) and not is_role_line(para.text)):
            break
        parts.append(para.text)
        last = para.last
        lines += [n for _, n in para.starts]
    taken = len(parts) - 1
    if not taken and is_short(name.text) and after and after[0].first - last <= 2:
        first = _pieces(after[0])[0]
        parts.append(first.text)
        lines += first.lines
        if first.text.endswith(":") and len(_pieces(after[0])) == 1 and len(after) > 1 and after[1].first - after[0].last <= 2:
            introduced = _pieces(after[1])[0]  # what a colon introduces, as for any sentence (see split_sentences)
            parts[-1] += f" {introduced.text}"
            lines += introduced.lines
    return (Sentence(" — ".join(parts), (min(lines), max(lines))), taken) if len(parts) > 1 else None


def _is_role(text: str) -> bool:
    return len(text.split()) <= MAX_ROLE_WORDS and not re.search(r"[.!?:;]\s*$", text)


def split_sentences(text: str, first_line: int = 1, order: Sequence[int | Piece] | None = None) -> list[Sentence]:
    """The sentences of a passage whose text starts at file line `first_line`, in reading order: its lines
    read in `order` (0-based indexes or Pieces of lines; None: as printed).

    A short paragraph (a name, a heading) is read with what follows it instead of alone: a name with the
    role lines under it, "Sarah Port — Chair of the … Board — Head of Service", as a signature answers
    "who"; a heading with the first sentence after it (which is also given alone). A sentence ending in a
    colon is read with the first sentence of the paragraph after it, what it introduces.
    """
    out: list[Sentence] = []
    paras = paragraphs(text, first_line, order)
    i = 0
    while i < len(paras):
        para = paras[i]
        following = paras[i + 1 : i + 2 + MAX_ROLE_LINES]
        # A line of signatures (one name, or two printed side by side) keeps the role lines under it across the
        # two blank lines PDF extraction may leave; any other short line, across one.
        signed = (_signed(para, following, SIGNATURE_GAP) if is_signature(para.text)
                  else _signed(para, following) if is_short(para.text) else None)
        if signed:
            out.append(signed[0])
            i += 1 + signed[1]
            continue
        pieces = _pieces(para)
        following = paras[i + 1] if i + 1 < len(paras) else None
        if pieces and pieces[-1].text.endswith(":") and following and following.first - para.last <= 2:
            # "… should be sent to one of the addresses below:" says nothing without what it introduces.
            first = _pieces(following)[0]
            lines = (*pieces[-1].lines, *first.lines)
            pieces[-1] = Sentence(f"{pieces[-1].text} {first.text}", (min(lines), max(lines)))
        out.extend(pieces)
        i += 1
    return out


CONTINUATION_LINES = 4  # the most printed lines a passage cut mid-sentence is extended by


def continuation(text: str, following: str, max_lines: int = CONTINUATION_LINES) -> list[str]:
    """The first lines of `following` (the passage printed right under `text`) that finish the sentence
    `text` is cut in: up to and including the first that holds a sentence end, at most `max_lines`, none at a
    blank line. None when `text` ends a sentence (or its last line is a heading, a list item or a table row)."""
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    if not last.strip() or _stands_alone(last) or re.search(r"[.!?;:][\"'”’)]*\s*$", last) or is_short(_clean(last)):
        return []
    out = []
    for line in following.split("\n")[:max_lines]:
        if not line.strip() or _stands_alone(line):
            break
        out.append(line)
        if re.search(r"[\w)][.!?][\"'”’)]*(?:\s|$)", line):  # the sentence ends on this line
            break
    return out


def with_neighbour(sentences: Sequence[Sentence], i: int, wanted: Callable[[str], bool],
                   next_anyway: bool = False) -> Sentence:
    """Sentence `i` of a passage read with a neighbour, for an answer sentence that lacks what was asked:
    joined with the next sentence when that one holds it (`wanted`), else with the one before when that one
    does; with `next_anyway` (a reason asked for: "why …" is answered by what follows the statement), with
    the next one, or the one before at the passage's end, either way. Sentence `i` alone when neither fits."""
    before = sentences[i - 1] if i > 0 else None
    after = sentences[i + 1] if i + 1 < len(sentences) else None
    if after is not None and (wanted(after.text) or next_anyway):
        first, second = sentences[i], after
    elif before is not None and (wanted(before.text) or (next_anyway and after is None)):
        first, second = before, sentences[i]
    else:
        return sentences[i]
    return Sentence(f"{first.text} {second.text}", (min(first.lines[0], second.lines[0]), max(first.lines[1], second.lines[1])))
