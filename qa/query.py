"""A question in a user's words -> Query: areas, periods, measure, category, level and what to compute."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import tokenize
from .vocabulary import find_areas, find_periods

# Measure names in users' words, most specific first.
_MEASURE_PATTERNS: list[tuple[str, str]] = [
    ("notification_rate", r"per\s*100[,\s]?000|per\s*100\s*k\b|\brate\b|per head|per capita"),
    ("custody_shpo_breach", r"breach\w*\s+(?:of\s+)?(?:an?\s+|their\s+)?(?:shpo|sexual harm prevention order)|shpo breach"),
    ("custody_sopo_breach", r"breach\w*\s+(?:of\s+)?(?:an?\s+|their\s+)?(?:sopo|sexual offences prevention order)|sopo breach"),
    ("shpo_travel", r"foreign travel restriction|shpos?\s+with\s+(?:a\s+)?(?:foreign\s+)?travel"),
    ("sro_breach", r"\bsros?\b|sexual risk order|became subject"),
    ("rsho_breach", r"\brshos?\b|risk of sexual harm order"),
    ("notification_revoked", r"revok|revocation|life\s?time notification"),
    ("notification_breach", r"cautioned\s+(?:or|and|/)\s+convicted|convicted\s+(?:or|and|/)\s+cautioned"),
    ("notification_breach_cautioned", r"\bcaution"),
    ("notification_breach_convicted", r"\bconvict"),
    ("custody_licence_breach", r"recall|returned to custody|return(?:ed|s)?\s+to\s+(?:prison|custody)|back to (?:prison|custody)|licen[cs]e"),
    ("shpo", r"\bshpos?\b|sexual harm prevention"),
    ("sopo", r"\bsopos?\b|sexual offences prevention"),
    ("fto", r"\bftos?\b|foreign travel orders?"),
    ("notification_order", r"notification (?:orders?|notices?)|\bNOs\b"),
    ("eligible", r"eligible|registered sex(?:ual)? offenders|\brsos?\b|sex offenders|violent offenders|other dangerous"
                 r"|\bcat(?:egory)?\.?\s*[123]\b|\b(?:level|lvl)\s*(?:[123]|one|two|three)\b|levels?\s*2\s*(?:and|&)\s*3|offenders|individuals"),
]
_MEASURE_RES = [(measure, re.compile(pattern, re.IGNORECASE if measure != "notification_order" else 0))
                for measure, pattern in _MEASURE_PATTERNS]
_NOTIFICATION_ORDER_WORDS = re.compile(r"notification (?:orders?|notices?)", re.IGNORECASE)

_NUMBER_WORDS = {"1": 1, "2": 2, "3": 3, "4": 4, "one": 1, "two": 2, "three": 3, "four": 4, "i": 1, "ii": 2, "iii": 3}
_CATEGORY_PATTERNS = [
    (4, r"\bcat(?:egory)?\.?\s*(?:4|four)\b|terroris"),
    (1, r"\bcat(?:egory)?\.?\s*(?:1|one)\b|registered sex(?:ual)? offenders|\brsos?\b|sex(?:ual)? offenders"),
    (2, r"\bcat(?:egory)?\.?\s*(?:2|two)\b|violent"),
    (3, r"\bcat(?:egory)?\.?\s*(?:3|three)\b|other dangerous"),
]
_LEVEL = re.compile(r"\b(?:level|lvl|l)\s*(1|2|3|one|two|three)\b", re.IGNORECASE)
# "Level 2 and 3 individuals", "levels 2 & 3": the population the tables count, not one level.
_LEVELS_2_AND_3 = re.compile(r"\blevels?\s*2\s*(?:and|&|\+)\s*3\b", re.IGNORECASE)
_YEARLY = re.compile(
    r"yearly|during (?:the year|\d{4})|over the year|across the year|in the year|throughout|year total|"
    r"levels?\s*2\s*(?:and|&|\+)\s*3\b(?!\s*(?:individuals|offenders)?\s*(?:were\s+)?(?:returned|recall))",
    re.IGNORECASE,
)
_MOST = re.compile(r"\b(?:most|highest|largest|biggest|greatest|maximum|max)\b", re.IGNORECASE)
_FEWEST = re.compile(r"\b(?:fewest|lowest|least|smallest|minimum|min)\b", re.IGNORECASE)
_ACROSS = re.compile(r"across (?:all )?(?:the )?areas|all (?:the )?areas|every area|all reports|nationally|all indexed",
                     re.IGNORECASE)
_CHANGE = re.compile(r"\bchang|\bincreas|\bdecreas|\bgr[eo]w|\bf[ae]ll|\bris[ei]|\brose\b|\bvs\.?\b|versus|compared|"
                     r"\bdifference\b|\bmore\b|\bfewer\b|\bless\b|\bminus\b|\bthan\b", re.IGNORECASE)
_NARRATIVE = re.compile(r"^\s*(?:who|why|where|when|describe|explain|what (?:is|are|does|did|were|was the role|happened))\b",
                        re.IGNORECASE)
_COUNTING = re.compile(r"eligible|how many|number|total|count|figure|\bcat(?:egory)?\b|\blevel|\blvl|"
                       r"\bl[123]\b|combined|most|fewest|highest|lowest|chang", re.IGNORECASE)
# Questions about the prose that happen to name a measure: "who manages category 1 nominals",
# "how long until the case stepped down to level 1", "what percentage are managed at level 1".
_NOT_A_COUNT = re.compile(r"^\s*(?:who|why|where|describe|explain)\b|\bhow (?:long|often|soon)\b|\bwhat (?:percentage|proportion)\b|"
                          r"\bper ?cent\b|%|\bconvicted of\b|\bcase stud", re.IGNORECASE)
# "how many categories of offender", "how many digital tools": counting something the tables do not hold.
_HOW_MANY_WHAT = re.compile(r"\bhow many\s+(\w+)", re.IGNORECASE)
_COUNTABLE = re.compile(r"(?:people|persons?|individuals?|offenders?|nominals?|mappa|registered|sex\w*|violent|other|"
                        r"cat|category|level|lvl|l[123]|shpos?|sopos?|ftos?|sros?|rshos?|rsos?|notification|notices|orders?|"
                        r"breach\w*|recalls?|returns?|eligible|were|was|had|did|have|in|at|of|more|fewer|less)$",
                        re.IGNORECASE)
# Dates in a question ("in June 2024", "since 2020") are not the report's period.
_DATE_BEFORE = re.compile(r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                          r"since|before|after|until|by)\s*$", re.IGNORECASE)
_HOW_MANY = re.compile(r"how many|number|total|how much|figure|count|rate|per 100", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """What a question asks, as far as the words tell."""

    text: str
    areas: tuple[str, ...] = ()  # canonical, in the order named
    periods: tuple[str, ...] = ()  # canonical "2024/25", in the order named
    measure: str | None = None
    category: int | None = None  # None: all categories (the Total column)
    levels: tuple[int, ...] = ()  # () : all levels (the Total row); two levels mean their sum
    operation: str | None = None  # max | min | sum_areas | change | difference | sum_levels
    narrative: bool = False  # worded as a question about the prose (who, what is, ...)

    @property
    def level(self) -> int | None:
        return self.levels[0] if len(self.levels) == 1 else None

    @property
    def tokens(self) -> list[str]:
        return tokenize(self.text)


def parse_measure(text: str) -> str | None:
    """The national measure a question names, or None."""
    for measure, pattern in _MEASURE_RES:
        if pattern.search(text):
            return measure
    return None


def _asks_for_a_figure(text: str, measure: str) -> bool:
    """Whether a question naming `measure` asks for its figure, rather than about the prose around it."""
    if measure == "eligible" and not _COUNTING.search(text):
        return False  # "sex offenders" in a question about polygraph testing is not a request for a count
    counted = _HOW_MANY_WHAT.search(text)
    return not (_NOT_A_COUNT.search(text) or (counted and not _COUNTABLE.match(counted.group(1))))


def _periods(text: str) -> tuple[str, ...]:
    """The periods a question names. A lone year counts only when no period is written out in full, and
    not as a date ("in June 2024", "since 2020")."""
    # Years inside area names or measures ("100,000") are not periods; find_periods ignores them.
    periods = find_periods(text)
    if not periods:
        periods = [p for p in find_periods(text, bare_years=True) if not _DATE_BEFORE.search(text[:p[1]])]
    return tuple(dict.fromkeys(p for p, _, _ in periods))


def parse_question(text: str, area: str | None = None, period: str | None = None) -> Query:
    """Read areas, periods, measure, category, levels and the operation from a question.

    `area` and `period` (canonical) come from --area/--period and replace what the words say.
    """
    areas = tuple(dict.fromkeys(a for a, _, _ in find_areas(text)))
    if not areas and re.match(r"\s*met\b", text, re.IGNORECASE):
        areas = ("London",)  # "met level 3 ...": a leading "met" is the Metropolitan Police area, not the verb
    periods = _periods(text)
    if area:
        areas = (area,)
    if period:
        periods = (period,)

    measure = parse_measure(text)
    if measure and not _asks_for_a_figure(text, measure):
        measure = None
    descriptor_free = _LEVELS_2_AND_3.sub(" ", text)
    if measure == "eligible" and _YEARLY.search(text):
        measure = "eligible_l23"
    category = next((c for c, pattern in _CATEGORY_PATTERNS if re.search(pattern, descriptor_free, re.I)), None)
    levels = tuple(dict.fromkeys(_NUMBER_WORDS[m.group(1).lower()] for m in _LEVEL.finditer(descriptor_free)))

    operation = None
    if _MOST.search(text) and len(areas) != 1:
        operation = "max"
    elif _FEWEST.search(text) and len(areas) != 1:
        operation = "min"
    elif _ACROSS.search(text) or (len(areas) == 0 and re.search(r"\btotal\b.*\ball\b", text, re.I)):
        operation = "sum_areas"
    elif len(periods) >= 2 and (_CHANGE.search(text) or re.search(r"\bbetween\b|\bfrom\b", text, re.I)):
        operation = "change"
    elif len(areas) >= 2 and (_CHANGE.search(text) or re.search(r"\bbetween\b", text, re.I)):
        operation = "difference"
    elif len(levels) >= 2:
        operation = "sum_levels"

    narrative = bool(_NARRATIVE.search(text)) and not _HOW_MANY.search(text)
    return Query(text=text, areas=areas, periods=periods, measure=measure, category=category, levels=levels,
                 operation=operation, narrative=narrative)
