"""Page furniture: what a PDF prints on every page rather than what the report says — page numbers ("Page 3 of
20", "- 3 -", a lone number counting pages), protective markings ("OFFICIAL"), form feeds, a running title.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from .lines import clean, ends_sentence, is_table_line

# "Page 3 of 20" as viewers and converters print it ("You are on page 1of 18"), in English, Welsh and the
# languages of common tools.
_PAGE_WORD = r"(?:page|pg\.?|p\.|tudalen|seite|página|pagina|strona|sida|side|sivu|oldal|stránka)"
_OF = r"(?:of|o|von|sur|de|di|van|z|av|af|/)"
_PAGE_LABEL = re.compile(rf"^(?:you are on\s+)?{_PAGE_WORD}\s*(\d{{1,4}})(?:\s*{_OF}\s*\d{{1,4}})?$", re.I)
_DASHED_NUMBER = re.compile(r"^[-–—]\s*(\d{1,4})\s*[-–—]$")
# Forms that are page numbers only when they recur page after page: "7", "7 of 20", "Title | 7", "7 | Title".
_LONE_NUMBER = re.compile(r"^(\d{1,3})$")
_NUMBER_OF = re.compile(rf"^(\d{{1,3}})\s*{_OF}\s*\d{{1,3}}$", re.I)
_TITLE_NUMBER = re.compile(r"^(?P<title>[^|\t]*?\S)\s*[|·•]\s*(?P<number>\d{1,3})$|^(?P<number2>\d{1,3})\s*[|·•]\s*(?P<title2>\S[^|\t]*)$")
# Government protective markings, printed at the top and foot of every page.
_MARKING = re.compile(r"^(?:OFFICIAL(?:[\s-]+SENSITIVE)?|NOT PROTECTIVELY MARKED|UNCLASSIFIED|PROTECT|RESTRICTED)$")


def find_furniture(lines: Sequence[str], page_starts: Sequence[int] = (),
                   skip: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """1-based lines that are printed on every page rather than written: page numbers ("Page 3 of 20",
    "- 3 -", a lone number or "Title | 3" that counts up page after page), protective markings
    ("OFFICIAL"), form feeds, and a running title or header repeated next to them on several pages or at
    page starts. Lines in `skip` (a contents page, whose numbers also count up) are none of these."""
    marks: set[int] = set()
    recurring: dict[str, list[tuple[int, int]]] = defaultdict(list)  # shape -> [(line, page number)]
    for n, line in enumerate(lines, 1):
        text = clean(line)
        if n in skip:
            continue
        if "\t" in line or not text:
            if "\f" in line and not text:
                marks.add(n)
            continue
        if _PAGE_LABEL.match(text) or _DASHED_NUMBER.match(text) or _MARKING.match(text):
            marks.add(n)
        elif m := _LONE_NUMBER.match(text) or _NUMBER_OF.match(text):
            recurring[re.sub(r"\d+", "#", text)].append((n, int(m.group(1))))
        elif (m := _TITLE_NUMBER.match(text)) and not text.startswith("|"):
            title = m.group("title") or m.group("title2")
            recurring[f"{title} | #"].append((n, int(m.group("number") or m.group("number2"))))
    for occurrences in recurring.values():
        marks.update(_counting_pages(occurrences))
    return marks | _running_lines(lines, marks, page_starts)


def _counting_pages(occurrences: list[tuple[int, int]]) -> set[int]:
    """The occurrences of one recurring form that count pages: each has a neighbour one or two pages on,
    printed at least a few lines later (a table's figures or a contents page's numbers are closer)."""
    found = set()
    for line, number in occurrences:
        for other_line, other_number in occurrences:
            step, gap = other_number - number, other_line - line
            if (0 < step <= 2 and gap >= 8 * step) or (0 < -step <= 2 and -gap >= -8 * step):
                found.add(line)
                break
    return found


def _running_lines(lines: Sequence[str], marks: set[int], page_starts: Sequence[int]) -> set[int]:
    """Lines with the same text that stand next to several page breaks (a running title or header): within
    two lines of text before or after a page break (its marks, or a page start), not ending a sentence."""
    breaks: list[list[int]] = []  # [first, last] line of each page break's marks
    for n in sorted(marks):
        if breaks and n - breaks[-1][1] <= 4:
            breaks[-1][1] = n
        else:
            breaks.append([n, n])
    breaks += [[start, start - 1] for start in page_starts]  # the break falls between two lines
    near: dict[str, set[int]] = defaultdict(set)  # text -> its lines next to a page break
    breaks_of: dict[str, set[int]] = defaultdict(set)  # text -> the page breaks it stands next to
    for number, (first, last) in enumerate(breaks):
        for n in _text_lines_around(lines, first, last, marks):
            text = clean(lines[n - 1])
            if len(text) <= 100 and not is_table_line(lines[n - 1]) and not ends_sentence(text):
                near[text].add(n)
                breaks_of[text].add(number)
    enough = max(2, len(breaks) // 2)  # a running header may be printed on every other page only
    return {n for text, found in near.items() if min(len(found), len(breaks_of[text])) >= enough for n in found}


def _text_lines_around(lines: Sequence[str], first: int, last: int, marks: set[int], count: int = 2) -> list[int]:
    """The lines of text between lines `first` and `last` and the `count` lines of text before and after
    them, marks left out."""
    found = [n for n in range(first + 1, last) if clean(lines[n - 1]) and n not in marks]
    for start, step in ((first, -1), (last, 1)):
        n, seen = start, 0
        while seen < count and 1 <= n + step <= len(lines):
            n += step
            if clean(lines[n - 1]) and n not in marks:
                found.append(n)
                seen += 1
    return found
