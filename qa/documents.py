"""Report files -> Documents: the text, its lines, and the area, period and title read from the text itself."""

from __future__ import annotations

import hashlib
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError
from .formats import SUFFIXES, Extracted, extract_text
from .headings import plain, title_like
from .layout import Layout, analyse
from .vocabulary import canonical_area, find_areas, find_periods, find_scopes


@dataclass(frozen=True)
class Document:
    """One report. `lines[0]` is line 1 of its text; citations count lines the same way.

    For a PDF, DOCX or HTML file the text is what qa extracted from it (see qa.formats), and
    `page_starts[i]` is the line where page i+1 begins (PDF only; empty for formats without pages).
    """

    path: str  # as shown in citations
    text: str
    sha256: str
    area: str | None
    period: str | None
    title: str
    warnings: tuple[str, ...] = field(default=())
    page_starts: tuple[int, ...] = field(default=())

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def page(self, line: int) -> int | None:
        """The 1-based page that 1-based `line` is printed on; None when the document has no pages."""
        return page_of(self.page_starts, line)

    def pages(self, start: int, end: int) -> tuple[int, int] | None:
        """The 1-based, inclusive page span of the 1-based line span `start`..`end`; None without pages."""
        return page_span(self.page_starts, start, end)


def page_of(page_starts: Sequence[int], line: int) -> int | None:
    """The 1-based page of 1-based `line`, given where each page starts; None when `page_starts` is empty."""
    return max(bisect_right(page_starts, line), 1) if page_starts else None


def page_span(page_starts: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """The 1-based, inclusive pages of lines `start`..`end`, e.g. for a citation read back from the index;
    None when `page_starts` is empty (a format without pages)."""
    if not page_starts:
        return None
    return page_of(page_starts, start), page_of(page_starts, end)


def find_report_files(paths: list[Path]) -> list[Path]:
    """The report files named by `paths` (files, or directories searched recursively), sorted, deduplicated.

    Raises DocumentError for the first path that does not exist, cannot be read, or is a file whose type
    qa cannot read (see `walk_report_files` to collect every problem instead).
    """
    found, problems = walk_report_files(paths)
    if problems:
        raise DocumentError(problems[0])
    return sorted(dict.fromkeys(file for file, _ in found))


def walk_report_files(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[str]]:
    """Every report file under `paths` with the corpus root it was found under, and one line per problem.

    A directory is its own root and is searched recursively (symbolic links to folders are not followed);
    a file's root is its folder. Files of other types inside a directory are not reports and are passed
    over; a file named explicitly with such a type is a problem. So are paths that do not exist, folders
    that cannot be listed, and links that lead nowhere, each reported once, never passed over in silence.
    Returns ([(file, root), ...] sorted within each path, without repeats; [problem, ...]).
    """
    found: dict[Path, Path] = {}
    problems: list[str] = []
    for path in paths:
        try:
            path.stat()
        except FileNotFoundError:
            problems.append(f"{path}: " + ("a link to nothing" if path.is_symlink() else "no such file or directory"))
            continue
        except OSError as error:
            problems.append(f"{path}: cannot read it ({error.strerror})")
            continue
        if path.is_dir():
            def unreadable(error: OSError) -> None:
                problems.append(f"{error.filename}: cannot read the folder ({error.strerror})")

            for folder, subfolders, names in os.walk(path, onerror=unreadable):
                subfolders.sort()
                for name in sorted(names):
                    file = Path(folder) / name
                    if file.suffix.lower() not in SUFFIXES:
                        continue
                    if not file.exists():
                        problems.append(f"{file}: a link to nothing")
                    elif file.is_file():
                        found.setdefault(file, path)
        elif path.suffix.lower() not in SUFFIXES:
            problems.append(f"{path}: unknown file type {path.suffix or '(none)'!r}; qa reads {', '.join(SUFFIXES)}")
        else:
            found.setdefault(path, path.parent)
    return list(found.items()), problems


def load_document(
    path: Path, display_path: str | None = None, area: str | None = None, period: str | None = None
) -> Document:
    """Read one report and detect its area, period and title; `area`/`period` override what is detected.

    Raises DocumentError (see qa.formats.extract_text) when the file cannot be read as a report.
    """
    extracted = extract_text(path)
    text = extracted.text
    lines = text.split("\n")
    layout = analyse(lines, extracted.page_starts)
    title = detect_title(lines, layout)
    warnings = list(extracted.warnings)
    if layout.interleaved:
        spans = ", ".join(f"{a}-{b}" for a, b in layout.interleaved)
        done = ("passages there are read down each column; check their citations" if layout.read_down
                else "passages there mix both columns; extract the text column by column")
        warnings.append(f"{path}: lines {spans} look like two columns read across, one line of each in turn: {done}")
    area = area or detect_area(text, title, cover(layout)) or _from_file_name(path, "area")
    period = period or detect_period(text, title) or _from_file_name(path, "period")
    if area is None:
        warnings.append(f"{path}: no MAPPA area found in the text; give it with --area")
    if period is None:
        warnings.append(f"{path}: no reporting period found in the text; give it with --period")
    if title is None:
        title = " ".join(x for x in (area, "MAPPA Annual Report", period) if x)
    return Document(
        path=display_path or str(path),
        text=text,
        sha256=content_hash(extracted),
        area=area,
        period=period,
        title=title,
        warnings=tuple(warnings),
        page_starts=extracted.page_starts,
    )


def content_hash(extracted: Extracted) -> str:
    """The SHA-256 of what the index derives from a file: its text, and for a paged file where pages begin.

    Of the extracted text rather than the file's bytes: a re-saved PDF with new metadata but the same text is
    unchanged, while a change in how qa extracts a file (which moves lines, chunks and facts) re-indexes it.
    For plain text the hash is of the text alone, as it always was, so existing indexes stay valid.
    """
    data = extracted.text
    if extracted.page_starts:
        data += "\n\f" + ",".join(map(str, extracted.page_starts))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


NATIONAL = "England and Wales"  # the area of a national report, which covers every MAPPA area
_NATIONAL_WORDS = re.compile(r"\bEngland\s+and\s+Wales\b|\bMinistry\s+of\s+Justice\b", re.I)
# "1 April 2019 to 31 March 2020", "1st April 2019 - 31st March 2020", "the year ending 31 March 2020".
_YEAR_STATEMENT = re.compile(
    r"\b(?:1(?:st)?\s+)?April\s+((?:19|20)\d\d)\s*(?:to|until|till|and|[-–—])\s*(?:the\s+)?(?:31(?:st)?\s+)?"
    r"March\s+((?:19|20)\d\d)|\byear\s+(?:ending|ended|to)\s+(?:the\s+)?31(?:st)?\s+March\s+((?:19|20)\d\d)", re.I)


def cover(layout: Layout, first: int = 25) -> list[str]:
    """The title-like paragraphs printed in the first `first` lines (the cover and the first heading), as
    text without Markdown marks; never a sentence of the body, page furniture or a table."""
    return [plain(p.text) for p in layout.paragraphs
            if p.start <= first and p.kind == "text" and len(p.lines) <= 2 and title_like(plain(p.text))]


def detect_title(lines: list[str], layout: Layout | None = None) -> str | None:
    """The report's title: the first title-like line of the cover that says it is a report."""
    for candidate in cover(layout or analyse(lines)):
        if re.search(r"\breport\b", candidate, re.I):
            return candidate.title() if candidate.isupper() else candidate
    return None


def detect_area(text: str, title: str | None, cover_lines: list[str] = ()) -> str | None:
    """The area named in the title; else NATIONAL for a report on England and Wales as a whole (see
    `is_national`); else the area the text names most often; else, for a report from outside England and
    Wales, the place its title, cover and opening name most often ("Lanarkshire")."""
    if title and (in_title := find_areas(title)):
        return in_title[0][0]
    counts = Counter(area for area, _, _ in find_areas(text))
    opening = "\n".join([line for line in text.split("\n") if line.strip()][:10])
    if is_national([title or "", *cover_lines], counts, opening):
        return NATIONAL
    if counts:
        return counts.most_common(1)[0][0]
    # Outside the 42 areas (a Scottish report): the place its title, cover or opening names most often.
    places = Counter(name for kind, name, _, _ in find_scopes("\n".join([title or "", *cover_lines, opening]))
                     if kind == "place")
    return places.most_common(1)[0][0] if places else None


def is_national(cover_lines: list[str], counts: Counter, opening: str = "") -> bool:
    """Whether a report covers England and Wales as a whole rather than one area:
    - its title or cover says "England and Wales" or "Ministry of Justice" and names no area, and the text
      names no area five times or more; or
    - the text names no area at all and its opening (`opening`: its first ten lines) is the Ministry of
      Justice's (every local report says it is one of the 42 areas of England and Wales); or
    - the text names ten areas or more (a national table), none of them a quarter of the time.
    `counts`: how often the text names each area."""
    named = sum(counts.values())
    if named >= 10 and len(counts) >= 10 and counts.most_common(1)[0][1] < 0.25 * named:
        return True
    scope = " ".join(cover_lines)
    leading = counts.most_common(1)[0][1] if counts else 0
    if _NATIONAL_WORDS.search(scope) and not find_areas(scope) and leading < 5:
        return True
    return not counts and bool(re.search(r"\bMinistry\s+of\s+Justice\b", opening, re.I))


def detect_period(text: str, title: str | None) -> str | None:
    """The period in the title; else the year the report states it covers ("1 April 2024 to 31 March 2025",
    "the year ending 31 March 2025"); else the period the text names most often (earliest on a tie).
    Lone years ("in 2019 we ...") never count."""
    if title and (in_title := find_periods(title)):
        return in_title[0][0]
    for statement in _YEAR_STATEMENT.finditer(text):
        start, end, ending = statement.groups()
        if ending or int(end) == int(start) + 1:  # one reporting year, not a span of several
            return find_periods(f"31 March {ending or end}")[0][0]
    periods = [period for period, _, _ in find_periods(text)]
    if not periods:
        return None
    counts = Counter(periods)
    best = max(counts.values())
    return next(p for p in periods if counts[p] == best)


def _from_file_name(path: Path, what: str) -> str | None:
    # Last resort: "norfolk-mappa-annual-report-2024-25.pdf" names both.
    words = re.sub(r"[_\-.]+", " ", path.stem)
    if what == "area":
        areas = find_areas(words)
        return areas[0][0] if areas else canonical_area(words)
    periods = find_periods(re.sub(r"(20\d\d) (\d\d)\b", r"\1-\2", words))
    return periods[0][0] if periods else None
