"""Contents pages in every form extraction leaves them (one line, title and page on alternating lines, dot
leaders, entries without the word "Contents"): where they are, and the map from section title to printed page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import clean, ends_sentence, is_table_line

_CONTENTS = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?(?:table of contents|contents)\b", re.I)
_LEADERS = re.compile(r"(?:\.\s?){3,}\s*\d{1,3}\b")
_PAGE_END = re.compile(r"\s(\d{1,3})(?:\s*[-–]\s*\d{1,3})?$")  # "Statistics 12", "Case Examples 18 - 19"
_DOTS = re.compile(r"(?:\.\s?){3,}")  # dot leaders
_NUMBERING = re.compile(r"section|part|chapter|appendix|annex|study|stage|level|category|phase", re.I)


def contents_spans(lines: Sequence[str]) -> list[tuple[int, int]]:
    """1-based line spans of contents pages, in any of the forms extraction leaves them: "Contents" and its
    entries on one line, title and page number on alternating lines, entries with dot leaders, or, without
    the word, four entries or more that end in page numbers which never go down."""
    spans = []
    n = 1
    while n <= len(lines):
        text = clean(lines[n - 1])
        headed, leaders = bool(_CONTENTS.match(text)), bool(_LEADERS.search(text))
        if not is_table_line(lines[n - 1]) and (headed or leaders or _PAGE_END.search(text)):
            last = _contents_end(lines, n)
            found = (headed or leaders) and (last > n or _all_entries(_CONTENTS.sub("", text)) >= 2 - headed)
            if found or _listed_pages(lines[n - 1 : last]):
                spans.append((n, last))
                n = last + 1
                continue
        n += 1
    return spans


def _listed_pages(lines: Sequence[str]) -> bool:
    """Whether lines are a contents list without a heading: four page numbers or more at line ends, in order."""
    pages = [int(m.group(1)) for line in lines if (m := _PAGE_END.search(clean(line)))]
    return len(pages) >= 4 and pages == sorted(pages)


def _all_entries(text: str) -> int:
    """How many contents entries `text` is made of, or 0 when it holds anything else."""
    entries, rest = _parse_contents(text)
    return 0 if rest else len(entries)


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
        if (printed is None and not title) or (printed or page) < page or len(_DOTS.sub(" ", text)) > 90:
            break
        last, n, page = n, n + 1, printed or page
    return last


def _page_at_end(text: str) -> int | None:
    """The page number a contents entry ends in ("Statistics 12", "Case Examples 18 - 19", "... 12", "12"),
    None when there is none or the number numbers a section ("Section 4")."""
    if re.fullmatch(r"\d{1,3}", text):
        return int(text)
    match = _PAGE_END.search(_DOTS.sub(" ", text))
    if not match or _NUMBERING.fullmatch(_DOTS.sub(" ", text)[: match.start()].split()[-1] if match.start() else ""):
        return None
    return int(match.group(1))


def contents_text(lines: Sequence[str]) -> str:
    """A contents page as written, whatever form extraction left it in: "Contents" and one entry a line,
    "Statistics, page 12" (as printed when its entries cannot be read)."""
    text = " ".join(lines)
    entries = contents_entries(text)
    if not entries:
        return text
    return "\n".join(["Contents", *(f"{title}, page {page}" for title, page in entries)])


def contents_entries(text: str) -> list[tuple[str, int]]:
    """(title, printed page) of each entry of a contents page's text, in order:
    "Contents Introduction 3 MAPPA Statistics 5" -> [("Introduction", 3), ("MAPPA Statistics", 5)].

    A number is a page when it ends an entry: not below the page before it, not numbering a section
    ("Section 4", "Case Study 2"), and followed by the next title (a capital, or a number with a full stop:
    "2. Key findings") or the end. "3-5" is page 3.
    """
    return _parse_contents(text)[0]


def _parse_contents(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(entries, the words after the last entry)."""
    words = _DOTS.sub(" ", _CONTENTS.sub("", text, count=1)).split()
    entries: list[tuple[str, int]] = []
    title: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        page = re.fullmatch(r"(\d{1,3})(?:[-–]\d{1,3})?", word)
        span = 3 if page and i + 2 < len(words) and words[i + 1] in "-–" and words[i + 2].isdigit() else 1
        following = words[i + span] if i + span < len(words) else ""
        if (page and title and int(page.group(1)) >= (entries[-1][1] if entries else 0)
                and not _NUMBERING.fullmatch(title[-1])
                and (not following or following[0].isupper() or re.fullmatch(r"\d{1,2}\.", following))):
            if len(title) > 1 and title[-1] == "page" and title[-2].endswith(","):  # as contents_text writes it
                title = [*title[:-2], title[-2][:-1]]
            entries.append((" ".join(title).strip(" .*#:"), int(page.group(1))))
            title = []
        else:
            title.extend(words[i : i + span])
        i += span
    return [(t, p) for t, p in entries if t], title
