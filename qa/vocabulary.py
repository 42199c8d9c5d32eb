"""The MAPPA domain vocabulary: areas and their aliases, reporting periods, and the national measures.

Pure functions over strings, shared by the document reader (which detects a report's area and period),
the table parser (which names each figure's measure) and the question parser (which reads the same things
from a user's words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AREAS: dict[str, tuple[str, ...]] = {
    "Avon and Somerset": (),
    "Bedfordshire": (),
    "Cambridgeshire and Peterborough": ("Cambridgeshire", "Peterborough"),
    "Cheshire": (),
    "Cleveland": ("Teesside",),
    "Cumbria": (),
    "Derbyshire": (),
    "Devon and Cornwall": (),
    "Dorset": (),
    "Durham": ("County Durham and Darlington", "County Durham"),
    "Dyfed-Powys": ("Dyfed Powys",),
    "Essex": (),
    "Gloucestershire": (),
    "Greater Manchester": (),
    "Gwent": (),
    "Hampshire": ("Hampshire and the Isle of Wight",),
    "Hertfordshire": (),
    "Humberside": (),
    "Kent": (),
    "Lancashire": (),
    "Leicestershire": ("Leicester, Leicestershire and Rutland",),
    "Lincolnshire": (),
    "London": ("Metropolitan", "the Met"),
    "Merseyside": (),
    "Norfolk": (),
    "North Wales": (),
    "North Yorkshire": (),
    "Northamptonshire": (),
    "Northumbria": (),
    "Nottinghamshire": (),
    "South Wales": (),
    "South Yorkshire": (),
    "Staffordshire": (),
    "Suffolk": (),
    "Surrey": (),
    "Sussex": (),
    "Thames Valley": (),
    "Warwickshire": (),
    "West Mercia": (),
    "West Midlands": (),
    "West Yorkshire": (),
    "Wiltshire": (),
}

# Longest names first, so "North Wales" is taken before anything shorter could match inside it.
_ALIASES = sorted(
    ((name, area) for area, aliases in AREAS.items() for name in (area, *aliases)),
    key=lambda pair: -len(pair[0]),
)
_AREA_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(name) for name, _ in _ALIASES) + r")(?![\w-])",
    re.IGNORECASE,
)
_AREA_BY_NAME = {name.lower(): area for name, area in _ALIASES}


def find_areas(text: str) -> list[tuple[str, int, int]]:
    """All area mentions in `text` as (canonical area, start, end), in order, longest alias winning."""
    found = []
    for match in _AREA_RE.finditer(text):
        name = match.group(1)
        found.append((_AREA_BY_NAME[name.lower()], match.start(), match.end()))
    return found


def canonical_area(name: str) -> str | None:
    """The canonical area for a name or alias (any case), or None when it is not a MAPPA area."""
    return _AREA_BY_NAME.get(" ".join(name.split()).lower())


# A financial year written as two years: "2024/25", "2024-25", "2024 to 2025", "2024 - 2025", "2024–2025".
_YEAR_PAIR_RE = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*(?:/|-|–|—|to)\s*(20\d\d|19\d\d|\d\d)(?!\d)")
_MONTH_SPAN_RE = re.compile(r"April\s+(\d{4})\s*(?:to|-|–)\s*March\s+(\d{4})", re.IGNORECASE)
_MARCH_31_RE = re.compile(r"31(?:st)?\s+March\s+(\d{4})", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d/£,.-])(20\d\d)(?![\d/%-])")


def format_period(end_year: int) -> str:
    """The canonical period for the financial year ending 31 March `end_year`: 2025 -> '2024/25'."""
    return f"{end_year - 1}/{end_year % 100:02d}"


def _end_year(first: str, second: str) -> int | None:
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    return end if end == start + 1 else None


def find_periods(text: str, bare_years: bool = False) -> list[tuple[str, int, int]]:
    """Reporting periods mentioned in `text` as (period, start, end), in order of appearance.

    Understands "2024/25", "2024-25", "2024 to 2025", "2024 - 2025", "April 2024 to March 2025" and
    "31 March 2025". With `bare_years`, a lone "2025" also counts, as the year ending 31 March 2025
    (what a user asking about "2025" most likely means); reports mention lone years too often for that.
    """
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(end_year: int | None, match: re.Match) -> None:
        if end_year is None or any(s < match.end() and match.start() < e for s, e in taken):
            return
        taken.append((match.start(), match.end()))
        found.append((format_period(end_year), match.start(), match.end()))

    for match in _MONTH_SPAN_RE.finditer(text):
        add(_end_year(match.group(1), match.group(2)), match)
    for match in _YEAR_PAIR_RE.finditer(text):
        add(_end_year(match.group(1), match.group(2)), match)
    for match in _MARCH_31_RE.finditer(text):
        add(int(match.group(1)), match)
    if bare_years:
        for match in _YEAR_RE.finditer(text):
            add(int(match.group(1)), match)
    return sorted(found, key=lambda item: item[1])


def normalise_period(text: str) -> str | None:
    """The canonical period for a user's `--period` value ("2024-25", "2025", ...), or None."""
    periods = find_periods(text, bare_years=True)
    return periods[0][0] if periods else None


@dataclass(frozen=True)
class Measure:
    """One figure of the national statistics template."""

    id: str
    label: str  # how an answer names it, plural
    kind: str  # "snapshot" (on 31 March) or "year" (1 April to 31 March)
    grid: bool = False  # counted by category and level


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("eligible", "MAPPA-eligible individuals", "snapshot", grid=True),
        Measure("eligible_l23", "MAPPA-eligible individuals managed at Levels 2 and 3", "year", grid=True),
        Measure(
            "notification_breach_cautioned",
            "Category 1 individuals cautioned for breach of notification requirements",
            "year",
        ),
        Measure(
            "notification_breach_convicted",
            "Category 1 individuals convicted for breach of notification requirements",
            "year",
        ),
        Measure(
            "notification_breach",
            "Category 1 individuals cautioned or convicted for breach of notification requirements",
            "year",
        ),
        Measure(
            "notification_revoked",
            "Category 1 individuals whose lifetime notification was revoked on application",
            "year",
        ),
        Measure("shpo", "Sexual Harm Prevention Orders (SHPOs)", "year"),
        Measure("shpo_travel", "SHPOs with a foreign travel restriction", "year"),
        Measure("notification_order", "Notification Orders", "year"),
        Measure("sopo", "Sexual Offences Prevention Orders (SOPOs)", "year"),
        Measure("fto", "Foreign Travel Orders (FTOs)", "year"),
        Measure(
            "sro_breach",
            "individuals who became subject to notification requirements after breaching a "
            "Sexual Risk Order (SRO)",
            "year",
        ),
        Measure(
            "rsho_breach",
            "individuals who became subject to notification requirements after breaching a "
            "Risk of Sexual Harm Order (RSHO)",
            "year",
        ),
        Measure(
            "custody_licence_breach",
            "Level 2 and 3 individuals returned to custody for breach of licence",
            "year",
            grid=True,
        ),
        Measure("custody_shpo_breach", "Level 2 and 3 individuals returned to custody for breach of a SHPO", "year", grid=True),
        Measure("custody_sopo_breach", "Level 2 and 3 individuals returned to custody for breach of a SOPO", "year", grid=True),
        Measure(
            "notification_rate",
            "individuals subject to sex offender notification requirements per 100,000 population",
            "snapshot",
        ),
    )
}

# Measures that replaced older ones in March 2015: asking for the new one in an older report gets the old one.
REPLACED_BY: dict[str, str] = {"shpo": "sopo", "shpo_travel": "fto", "sro_breach": "rsho_breach",
                               "custody_shpo_breach": "custody_sopo_breach"}
