"""One printed line of a report and the words in it: what qa.layout and its helpers read lines with.

Whether a line is a table row, ends a sentence or starts a list item; and the words a text prints whole, for
telling a word split at a line end ("protec-" / "tion") from a word with its own hyphen ("multi-agency").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

DICTIONARY = Path("/usr/share/dict/british-english")  # Debian's wbritish; without it, only the text decides
SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]*]*$")
BULLET = re.compile(r"^\s*(?:[-*•·▪●◦–]\s|\(?(?:[a-z]{1,2}|[ivx]{1,4}|\d{1,2}|[A-Z])[).]\s|\[image)")
# Words a compound is made with, so "multi-\nagency" keeps its hyphen when nothing else in the text decides.
_PREFIXES = frozenset([
    "multi", "co", "non", "pre", "post", "self", "cross", "inter", "sub", "ex", "anti", "semi", "well", "long", "short",
    "high", "low", "full", "part", "under", "over", "re", "de", "mid", "out", "in", "on", "off", "up",
])


def clean(line: str) -> str:
    """A line without form feeds and surrounding white space."""
    return line.replace("\f", " ").strip()


def is_table_line(line: str) -> bool:
    """A table row as extraction leaves it: cells separated by tabs, Markdown pipes, or a row of figures."""
    text = line.strip()
    if "\t" in line.strip(" ") or text.startswith("|") or text.count(" | ") >= 2:
        return True
    return len(re.findall(r"\d[\d,.]*%?", text)) >= 2 and not re.search(r"[a-z]{3}", text, re.I)


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.rstrip()))


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
