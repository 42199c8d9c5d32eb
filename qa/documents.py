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
from .vocabulary import canonical_area, find_areas, find_periods


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
    title = detect_title(lines)
    warnings = list(extracted.warnings)
    area = area or detect_area(text, title) or _from_file_name(path, "area")
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


def clean_heading(line: str) -> str:
    """A heading or title without Markdown marks: "# **MAPPA Statistics**" -> "MAPPA Statistics"."""
    line = re.sub(r"^\s*#+\s*", "", line)
    line = line.replace("**", "").replace("__", "")
    return " ".join(line.split()).strip(" :")


def detect_title(lines: list[str]) -> str | None:
    """The report's title: the first short line near the top that says it is a report."""
    for line in lines[:25]:
        candidate = clean_heading(line)
        if candidate and len(candidate.split()) <= 14 and re.search(r"\breport\b", candidate, re.I):
            return candidate.title() if candidate.isupper() else candidate
    return None


def detect_area(text: str, title: str | None) -> str | None:
    """The area named in the title, else the area the text names most often."""
    if title and (in_title := find_areas(title)):
        return in_title[0][0]
    counts = Counter(area for area, _, _ in find_areas(text))
    return counts.most_common(1)[0][0] if counts else None


def detect_period(text: str, title: str | None) -> str | None:
    """The period in the title, else the period the text names most often (earliest on a tie)."""
    if title and (in_title := find_periods(title)):
        return in_title[0][0]
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
