"""Two columns read across: a text whose lines alternate between the columns of a page, found, and read down
each column again where the text shows how (see `reading_order`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .lines import BULLET, clean, dictionary, ends_sentence
from .sidebyside import Piece, side_by_side

MIN_PASSAGE_LINES = 6  # a passage of fewer lines is read as printed: too few to tell two columns by


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


def passage_order(lines: Sequence[str]) -> list[int | Piece]:
    """The order to read a passage's lines in, as 0-based indexes: down each column where the passage reads two
    columns across, one line of each in turn (read down, its text flows; read as printed, it does not: see
    `_flows`); where lines hold two columns side by side (qa.sidebyside, looked for first), the left parts of a
    run of them, then the right parts, as Pieces; else as printed. For reading sentences out of a cited passage, whose lines are
    the file's."""
    printed = list(range(1, len(lines) + 1))
    split = _side_by_side(tuple(lines))
    if len(lines) >= MIN_PASSAGE_LINES and not split:
        down = _down_columns(printed)
        if _flows(lines, down, split=len(printed[0::2])) and not _flows(lines, printed):
            return [n - 1 for n in down]
    order: list[int | Piece] = []
    run: list[int] = []
    for n in [*printed, None]:
        if n in split and (not run or n == run[-1] + 1):
            run.append(n)
            continue
        order += [Piece(m - 1, 0, split[m]) for m in run] + [Piece(m - 1, split[m], len(lines[m - 1])) for m in run]
        run = [n] if n in split else []
        if n is not None and n not in split:
            order.append(n - 1)
    return order


@lru_cache(maxsize=1024)
def _side_by_side(lines: tuple[str, ...]) -> dict[int, int]:
    """qa.sidebyside.side_by_side, kept for the passages answers are read from again (a few ms for a stretch
    of side-by-side lines; never changed by the caller)."""
    return side_by_side(lines)


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
    ends = "hyphen" if split else "sentence" if ends_sentence(text) else "open"
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
