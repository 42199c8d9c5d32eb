"""Two columns printed side by side on one line: each line of a stretch holds a line of the left column, one
space, and a line of the right column ("Making our communities safer and reducing In addition to this, however,
it is important that no"). Found, and a split point given for each line, so that the text can be read down each
column (see qa.layout and qa.columns.passage_order).

Text alone, without positions, says where a column ends by two things. Each column is wrapped at its own
width: the left part of a line is no longer than that width, and the next left line's first word would not
have fitted after it (unless a paragraph ends there). And read across, the text makes junctions that running
English does not: a sentence end followed by a lower-case word, a capitalised function word in mid-sentence
("reducing In addition"), a determiner before a function word ("The to look at"). A stretch is split only when
reading it down each column removes most of those junctions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .lines import BULLET, clean, ends_sentence, is_table_line

MIN_LINES = 5  # a stretch of fewer lines is read as printed: too few to tell two columns by
MIN_CLASHES = 3  # junctions running English does not make, read across, before a stretch is split
MIN_WITHIN = 2  # ... of which within lines, at the columns' edge
MIN_WIDTH, MAX_WIDTH = 20, 80  # the narrowest and the widest column, in characters
LONG_WORD = 15  # characters
SHORT = 0.6  # a line shorter than this share of the stretch's longest holds one column only (or none)
SLACK = 3  # characters a full line of a column falls short of its width, about half a word
MAX_MISFITS = 0.15  # the share of lines that may not fit the columns' widths

# Words that are never the last before a function word (not "this", "her": they are pronouns too).
_DETERMINERS = frozenset(re.findall(r"\w+", "the a an our their its my your"))
_PREPOSITIONS = frozenset(re.findall(r"\w+", "of to in on at for with by from into about than"))
_CONJUNCTIONS = frozenset(re.findall(r"\w+", "and or but nor"))
_FUNCTION = _DETERMINERS | _PREPOSITIONS | _CONJUNCTIONS | frozenset(re.findall(
    r"\w+", "is are was were be been has have had will would can could should may must we they it he she you who "
    "which that however although"))


@dataclass(frozen=True)
class Piece:
    """The part of a printed line that one column holds: characters `start`..`end` of 0-based line `index`."""

    index: int
    start: int
    end: int


@lru_cache(maxsize=8192)
def clashes(before: str, after: str) -> bool:
    """Whether text `after` cannot follow text `before` in running English: a sentence end before a lower-case
    word, a capitalised function word after a lower-case word, a determiner before a function word ("the and"),
    or two conjunctions in a row."""
    if not before or not after:
        return False
    last = re.findall(r"[\w'’-]+", before)
    first = re.match(r"[\w'’-]+", after)
    if not last or not first:
        return False
    a, b = last[-1], first.group(0)
    if re.search(r"\w[.!?][\"'”’)]*$", before):
        return bool(re.search(r"[a-z]{2}[.!?][\"'”’)]*$", before)) and b[:1].islower() and not BULLET.match(after)
    if not a.isalpha() or before[-1:] in ",:;()" or b == "I":
        return False  # after a number, a list's "(b)" or a comma anything may follow
    if a.islower() and b[:1].isupper() and b[1:].islower() and b.lower() in _FUNCTION:
        return True  # "reducing In addition"; not "Duty To Co-operate", a title
    if a.isupper() and len(a) == 1:
        return False  # "Offender A in supervision"
    a, b = a.lower(), b.lower()
    return (a in _DETERMINERS and b in _FUNCTION) or (a in _CONJUNCTIONS and b in _CONJUNCTIONS)


def side_by_side(lines: Sequence[str], skip: set[int] | frozenset[int] = frozenset()) -> dict[int, int]:
    """The lines that hold two columns side by side, each with its split point: 1-based line -> the offset in
    the line where the right column starts (0: the line holds only the right column's text; the line's
    length: only the left's). Stretches are runs of lines of text not in `skip` (page furniture, tables,
    contents pages); lines of a stretch that is read as printed are not given."""
    found: dict[int, int] = {}
    for stretch in _stretches(lines, skip):
        found.update(_split(lines, stretch))
    return found


def _stretches(lines: Sequence[str], skip: set[int] | frozenset[int]) -> list[list[int]]:
    """Runs of MIN_LINES or more non-blank lines of text (1-based), without the short lines at either end (a
    heading above, a signature below) but for those that go on in lower case (a column's last line)."""
    runs: list[list[int]] = [[]]
    for n, line in enumerate(lines, 1):
        if n in skip or not clean(line) or is_table_line(line):
            runs.append([])
        else:
            runs[-1].append(n)
    out = []
    for run in runs:
        if len(run) < MIN_LINES:
            continue
        longest = max(len(clean(lines[n - 1])) for n in run)
        if not 2 * MIN_WIDTH + 1 <= longest <= 2 * MAX_WIDTH + 1:
            continue
        long = [k for k, n in enumerate(run) if len(clean(lines[n - 1])) >= SHORT * longest]
        end = long[-1] + 1
        while end < len(run) and clean(lines[run[end] - 1])[:1].islower():
            end += 1
        run = run[long[0] : end]
        if len(run) >= MIN_LINES:
            out.append(run)
    return out


@dataclass(frozen=True)
class _Part:
    """One column's part of a line, with what deciding how it runs on needs: whether it ends a sentence, and
    the length of its first word."""

    text: str
    ends: bool
    first: int
    lower: bool  # it starts in lower case

    @classmethod
    def of(cls, text: str) -> _Part:
        return cls(text, ends_sentence(text) if text else False, len(text.split()[0]) if text else 0, text[:1].islower())


@dataclass(frozen=True, eq=False)  # known by identity: made once per line, looked up in `_runs_on`'s cache
class _Cut:
    """One way to cut a line: its left and right parts (either may be empty), the offset between them, and
    whether the two words at the cut cannot follow each other (see `clashes`)."""

    left: _Part
    right: _Part
    at: int
    edge: bool


def _all_cuts(line: str) -> list[_Cut]:
    """The line as one column's only (left, then right), and its cuts at spaces leaving at least MIN_WIDTH
    characters on the left and half that on the right."""
    text = line.rstrip()
    whole = _Part.of(text.strip())
    out = [_Cut(whole, _Part.of(""), len(text), False), _Cut(_Part.of(""), whole, 0, False)]
    for match in re.finditer(r" +", text):
        left, right = text[: match.start()].strip(), text[match.end() :].strip()
        if len(left) >= MIN_WIDTH and len(right) >= MIN_WIDTH / 2:
            out.append(_Cut(_Part.of(left), _Part.of(right), match.end(), clashes(left, right)))
    return out


def _cuts(cuts: list[_Cut], next_word: int, left_width: int, tolerance: int) -> list[_Cut]:
    """Of a line's `cuts` (see `_all_cuts`), the line as one column's only, and the cuts with a left part that
    fits a column `left_width` wide (give or take `tolerance`): no wider, and too full for the next line's
    first word (`next_word` characters) unless it ends a sentence."""
    return cuts[:2] + [cut for cut in cuts[2:] if len(cut.left.text) <= left_width + tolerance and (
        cut.left.ends or len(cut.left.text) + 1 + next_word >= left_width - tolerance)]


def _split(lines: Sequence[str], stretch: list[int]) -> dict[int, int]:
    """The split points of a stretch's lines when it reads as two columns side by side, else {}."""
    texts = [lines[n - 1].rstrip() for n in stretch]
    edges, across = _clashes_in(texts)
    # Read as printed, it reads as running text; or its clashes are only between lines, as where columns are
    # read one line of each in turn (qa.columns) or a line is cut mid-word.
    if len(edges) < MIN_WITHIN or len(edges) + across < MIN_CLASHES:
        return {}
    longest = max(len(t.strip()) for t in texts)
    every = [_all_cuts(text) for text in texts]
    best: tuple[float, list[_Cut]] | None = None
    # A clash within a line is where its left column ends, at most a long word and a space short of the width.
    for width in range(max(MIN_WIDTH, min(edges)), min(longest - MIN_WIDTH, max(edges) + LONG_WORD + 1)):
        # The longest line holds both columns nearly full: the right one is about as wide as what is left of it
        # after the left one, and half a word more.
        found = _best_cuts(texts, every, width, longest - width + SLACK)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    if best is None or _gain(best[1]) < MIN_CLASHES:
        return {}
    return {n: cut.at for n, cut in zip(stretch, best[1], strict=True)}


def _may_clash(last: str, first: str) -> bool:
    """A quick test that `clashes` may hold, on the words either side alone (most junctions fail it)."""
    if last[-1:] in ".!?\"'”’)":
        return first[:1].islower()
    return first.lower() in _FUNCTION and (first[:1].isupper() or last.lower() in _DETERMINERS | _CONJUNCTIONS)


def _clashes_in(texts: Sequence[str]) -> tuple[list[int], int]:
    """Junctions that running English does not make, in lines read as printed: where they are within lines
    (about the length of the text before each), and how many there are across lines."""
    edges, across = [], 0
    for k, text in enumerate(texts):
        words = text.split()
        at = -1
        for i in range(len(words) - 1):
            at += len(words[i]) + 1
            if _may_clash(words[i], words[i + 1]) and clashes(" ".join(words[max(0, i - 5) : i + 1]),
                                                               " ".join(words[i + 1 : i + 4])):
                edges.append(at)
        following = texts[k + 1].split() if k + 1 < len(texts) else []
        if words and following and _may_clash(words[-1], following[0]):
            across += clashes(text.strip(), texts[k + 1].strip())
    return edges, across


def _gain(cuts: Sequence[_Cut]) -> float:
    """How much better the text reads down each column than across: the clashes across (at each cut and
    from each line's end to the next line's start) less those down each column."""
    across = down = 0
    for k, cut in enumerate(cuts):
        across += cut.edge
        if k + 1 < len(cuts):
            after = cuts[k + 1]
            across += clashes(cut.right.text or cut.left.text, after.left.text or after.right.text)
            down += clashes(cut.left.text, after.left.text) + clashes(cut.right.text, after.right.text)
    return across - 2 * down


def _best_cuts(texts: Sequence[str], every: list[list[_Cut]], width: int,
               right_width: int) -> tuple[float, list[_Cut]] | None:
    """The cut of each line (`every`: each line's `_all_cuts`) that best fits columns `width` and `right_width`
    characters wide (by dynamic
    programming over the lines: each line's cut is scored with the next's; see `_fit`), with the fit; None when
    more than MAX_MISFITS of the lines fit no cut."""
    tolerance = max(2, width // 20)
    firsts = [len(text.split()[0]) for text in texts[1:]] + [width]  # the last line: any cut
    options = [_cuts(cuts, first, width, tolerance) for cuts, first in zip(every, firsts, strict=True)]
    # score[k][j]: the best total for lines k.. when line k is cut by options[k][j]; choice: the next line's cut.
    score: list[list[float]] = [[0.0] * len(o) for o in options]
    choice: list[list[int]] = [[0] * len(o) for o in options]
    last = len(texts) - 1
    for j, cut in enumerate(options[last]):
        score[last][j] = _fit(cut, None, width, right_width, tolerance)
    for k in range(last - 1, -1, -1):
        for j, cut in enumerate(options[k]):
            totals = [_fit(cut, after, width, right_width, tolerance) + score[k + 1][i]
                      for i, after in enumerate(options[k + 1])]
            choice[k][j] = max(range(len(totals)), key=totals.__getitem__)
            score[k][j] = totals[choice[k][j]]
    j = max(range(len(options[0])), key=score[0].__getitem__)
    cuts = []
    for k in range(len(texts)):
        cuts.append(options[k][j])
        j = choice[k][j]
    fits = [_fit(cut, after, width, right_width, tolerance) for cut, after in zip(cuts, [*cuts[1:], None], strict=True)]
    return None if sum(fit < 0 for fit in fits) > MAX_MISFITS * len(texts) else (sum(fits), cuts)


def _fit(cut: _Cut, after: _Cut | None, width: int, right_width: int, tolerance: int) -> float:
    """How well a line's cut, followed by the next line's (`after`; None at the end), fits two columns wrapped
    at `width` and `right_width`: -1 for each column whose line is too long, or too short to have been
    wrapped there (the next line's first word would have fitted) without ending a paragraph; and how they run
    on (see `_runs_on`)."""
    score = _runs_on(cut, after)
    for mine, theirs, limit in ((cut.left, after.left if after else None, width),
                                (cut.right, after.right if after else None, right_width)):
        if len(mine.text) > limit + tolerance:
            score -= 1
        if theirs is not None and mine.text and theirs.text and not mine.ends and (
                len(mine.text) + 1 + theirs.first < limit - tolerance):
            score -= 1  # the next word would have fitted on this line
    if cut.left.text and cut.right.text:
        # Of cuts that fit equally, the one with the fullest left line: a line holds all the words that fit.
        score += 0.1 * len(cut.left.text) / width
    return score


@lru_cache(maxsize=65536)
def _runs_on(cut: _Cut, after: _Cut | None) -> float:
    """What a line's cut and the next line's say whatever the widths: -1 for each column whose line does not
    run on into its next (see `clashes`), or that stops mid-sentence while the other goes on, or takes up
    again mid-sentence after a line without it; +0.5 for a line holding both columns, +1 more when the words
    at the cut cannot follow each other (the columns' edge)."""
    score = 0.5 + cut.edge if cut.left.text and cut.right.text else 0.0
    for mine, theirs in ((cut.left, after.left if after else None), (cut.right, after.right if after else None)):
        if theirs is None:
            continue
        if mine.text and theirs.text and not mine.ends:
            score -= clashes(mine.text, theirs.text)
        elif mine.text and not theirs.text and not mine.ends or not mine.text and theirs.lower:
            score -= 1
    return score
