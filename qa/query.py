"""A question in a user's words -> Query: where and when it asks about, which cell, what to compute.

What a question counts is not decided here: `terms` carries its words to the fact finder (qa.lookup),
which ranks the indexed figures' descriptions against them. This module reads only what has a fixed
form: areas and places, periods, category and level, the operation, and the words that put a question
outside what any table holds (a breakdown by sex, orders "in force", a national total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import tokenize
from .vocabulary import (
    CATEGORY_WORDS,
    EXCLUDING_AFTER,
    EXCLUDING_BEFORE,
    FRAMING_PHRASES,
    FRAMING_WORDS,
    GENERIC_WORDS,
    LEVEL_WORDS,
    MONTH,
    OVER_THE_YEAR,
    POINT_IN_TIME,
    SNAPSHOT_MONTH,
    SUB_AREA_WORDS,
    UNHELD,
    WIDER_SCOPES,
    find_periods,
    find_scopes,
    format_period,
    orders_named,
)

_LEVEL_WORD_RES = [(level, re.compile(pattern, re.IGNORECASE)) for level, pattern in LEVEL_WORDS.items()]
_CATEGORY_RES = [(category, re.compile(pattern, re.IGNORECASE)) for category, pattern in CATEGORY_WORDS.items()]
_UNHELD_RES = [(what, re.compile(pattern, re.IGNORECASE)) for what, pattern in UNHELD.items()]
_WIDER_RE = re.compile(WIDER_SCOPES, re.IGNORECASE)
# "the National Probation Service", "the Welsh Government": a body's name, not a scope.
_BODY_NAME = re.compile(r"\b(?:National|Welsh|Scottish|British|UK)(?:\s+(?!MAPPA\b|Statistics\b)[A-Z][a-z]+)+")
_SUB_AREA_RE = re.compile(SUB_AREA_WORDS, re.IGNORECASE)
_EXCLUDING_BEFORE = re.compile(rf"\b(?:{'|'.join(map(re.escape, EXCLUDING_BEFORE))})\s+(?:(?:in|at|for|from|of)\s+)?(?:the\s+)?$", re.IGNORECASE)
# "not counting those in category 3", "other than level 1", "excluding violent offenders": a cell left out
_CELL_EXCLUDED_BEFORE = re.compile(
    rf"\b(?:{'|'.join(map(re.escape, (*EXCLUDING_BEFORE, 'not', 'without')))})\s+"
    r"(?:(?:those|people|offenders|individuals|cases|anyone|who|are|were|managed|the|in|at|from|of)\s+){0,3}$",
    re.IGNORECASE)
_EXCLUDING_AFTER = re.compile(rf"^(?:['’]s)?\s+(?:{'|'.join(map(re.escape, EXCLUDING_AFTER))})\b", re.IGNORECASE)
_POINT_RE = re.compile(POINT_IN_TIME, re.IGNORECASE)
_YEAR_RE = re.compile(OVER_THE_YEAR, re.IGNORECASE)
# "over 2024/25", "during 2014-15", "across the 2014-15 year", "between April 2024 and March 2025": a count
# over the year named.
_OVER_A_PERIOD = re.compile(r"\b(?:over|during|throughout|across)\s+(?:the\s+)?(?:whole\s+(?:of\s+)?)?(?:year\s+)?"
                            r"(?:19|20)\d\d\b|\bbetween\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?april\s+(?:19|20)\d\d\b", re.IGNORECASE)

_NUMBER_WORDS = {"1": 1, "2": 2, "3": 3, "one": 1, "two": 2, "three": 3, "i": 1, "ii": 2, "iii": 3,
                 "top": 3, "highest": 3, "lowest": 1, "bottom": 1}
_LEVEL = re.compile(r"\b(?:level|lvl|l)\s*(1|2|3|one|two|three)\b|"
                    r"\b(top|highest|lowest|bottom)\s+(?:(?:mappa|management|risk|supervision|oversight)\s+)?level\b",
                    re.IGNORECASE)
# "Level 2 and 3 individuals", "levels 2 & 3": the population the tables count, not a sum of two levels.
_LEVELS_2_AND_3 = re.compile(r"\blevels?\s*(?:2|two)\s*(?:and|&|\+|or|/)\s*(?:level\s*)?(?:3|three)\b|"
                             r"\btwo (?:higher|highest|upper|top) (?:mappa )?levels\b|(?<!without )(?<!no )\bformal (?:mappa |multi-agency )*meetings\b",
                             re.IGNORECASE)
# "counting every management level", "all levels": the Total row, not what is counted.
_LEVELS_COMBINED = re.compile(f"(?:{_LEVELS_2_AND_3.pattern})" + r"[\s),]*(?:combined|together|added together|in total)?",
                             re.IGNORECASE)
_ALL_LEVELS = re.compile(r"\b(?:all|every|each|any)\s+(?:(?:mappa|management|risk|supervision|categor(?:y|ies)|and|&)\s+)*"
                         r"(?:levels?|categor(?:y|ies))\b", re.IGNORECASE)
# "the three reports", "both areas": which reports, not what they count.
_REPORTS_NAMED = re.compile(r"\b(?:two|three|four|five|six|several|these|those|both|all)\s+(?:of\s+the\s+)?(?:mappa\s+)?"
                            r"(?:reports|areas)\b", re.IGNORECASE)
_COMBINED = re.compile(r"\bcombined\b|\btogether\b|\badded\b|\badd(?:s|ing)?\s+(?:\w+\s+){0,6}?up\b|\badding\b|\bsum\b|\bin total\b|"
                       r"\bin all\b|\baltogether\b|\bboth\b|\bplus\b|"
                       r"\btotal\b", re.IGNORECASE)

_MOST = re.compile(r"\b(?:most|highest|largest|biggest|greatest|maximum|max|top)\b", re.IGNORECASE)
_FEWEST = re.compile(r"\b(?:fewest|lowest|least|smallest|minimum|min)\b", re.IGNORECASE)
_MORE = re.compile(r"\b(?:more|higher|larger|bigger|greater)\b", re.IGNORECASE)
_FEWER = re.compile(r"\b(?:fewer|less|lower|smaller)\b", re.IGNORECASE)
_ACROSS = re.compile(r"across\s+(?:(?:all|the|these|both)\s+)*(?:areas|reports|regions|forces)|all (?:the )?(?:indexed )?areas|"
                     r"every area|all (?:the )?reports|all indexed|(?:areas|reports) combined|between them|altogether",
                     re.IGNORECASE)
_CHANGE = re.compile(r"\bchang|\bincreas|\bdecreas|\bgr[eo]w|\bf[ae]ll|\bfallen\b|\bris[ei]|\brose\b|\bdrop|\bvs\.?\b|"
                     r"versus|compar\w*|\bdifference\b|\bdiffer\b|\bmore\b|\bfewer\b|\bless\b|\bminus\b|"
                     r"\bthan\b|\bexceed|\bgap\b|\b(?:go|goes|going|gone|went)\s+(?:up|down)\b|\bup or down\b", re.IGNORECASE)
# "by how much did it change", "has it gone up since the previous report": a change over time, which one
# report's figure does not answer
_OVER_TIME = re.compile(r"\b(?:chang|increas|decreas|declin|drop|gr[eo]w)\w*|\b(?:rise|rose|risen|fall|fell|fallen)\b|"
                        r"\b(?:gone|went|go|goes|going) (?:up|down)\b|\byear[- ]on[- ]year\b|\btrend\b|"
                        r"\b(?:than|from|with|to|since) (?:the |a )?(?:previous|prior|preceding|last|year) (?:year|report|before)\b",
                        re.IGNORECASE)
# Worded about the prose: "who chairs", "describe", "what percentage" (the tables hold counts, not shares).
_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|which|why|where|when|how|describe|explain)\b", re.IGNORECASE)
_WHY = re.compile(r"\W*why\b", re.IGNORECASE)  # "Why does the report use ... for its per-100,000 figure?"
_YES_NO = re.compile(r"\W*(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would|should|may|might)\b",
                     re.IGNORECASE)
# A figure stated and checked: "is it right that only 7 ... were cautioned", "can you confirm 28 ...".
_CLAIM = re.compile(r"\b(?:is|was) (?:it|that|this) (?:right|true|correct|accurate)\b|\bconfirm\b|\bclaim|"
                    r"(?<!who )(?<!which )\b(?:says|said|posted|tweeted)\b",
                    re.IGNORECASE)
# "I read that 35 ... were convicted": a clause reporting a claim holds what is counted, not who asks.
_HEARD = re.compile(r"\b(?:read|heard|seen|saw|told|understand)\b(?:\s+\w+){0,3}?\s+that\b", re.IGNORECASE)
# A figure as claimed: "roughly 1,300", "well over a thousand", "28".
_NUMBER = re.compile(r"(?:\b(?:over|under|nearly|almost|about|around|more than|fewer than|less than)\s+)?(?:\ba\s+)?"
                     r"(?:(?<![\w.])(?<!per )\d[\d,]*(?![\w.])|\b(?:thousand|hundred|dozen)s?\b)", re.IGNORECASE)
_ANY_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|which|why|where|when|how|describe|explain)\b|\?",
                                re.IGNORECASE)
# Worded about the prose: "who chairs", "which agencies", "describe", "what percentage" (the tables hold
# counts, not shares). A number cue ("how many", "rate", "total") outweighs it.
_PROSE = re.compile(
    r"(?<!individuals )(?<!offenders )(?<!people )(?<!persons )(?<!those )(?<!rsos )(?<!nominals )(?<!anyone )"
    r"\b(?:who|whom|whose|why|where|when|what|which|describe|explain|tell me about|summari[sz]e)\b|"
    r"^\s*(?:list|name)\b|\bhow\s+(?:does|do|did|is|are|was|were|can|should|long|often|soon)\b|"
    r"\bwhat (?:percentage|proportion|share)\b|\bper ?cent\b|%|\bconvicted of\b|\bcase stud",
    re.IGNORECASE,
)
# Asking who, why, where or when is never asking for a figure ("offenders who ..." is not asking who).
_ABOUT_TEXT = re.compile(r"(?<!individuals )(?<!offenders )(?<!people )(?<!persons )(?<!those )(?<!rsos )"
                         r"(?<!nominals )(?<!anyone )\b(?:who|whom|whose|why|where|when)\b|^\s*(?:describe|explain)\b",
                         re.IGNORECASE)
_WHICH_AREA = re.compile(r"\bwhich\b|\bwhere\b|\bwhat\s+(?:\w+\s+){0,2}?(?:areas?|forces?|reports?|regions?|places?)\b|"
                         r"\bamong\b|\bof (?:the|all|these|both) (?:areas|reports|forces)\b", re.IGNORECASE)
# Asking for a rate ("per 100,000", "per head") or a share: a count does not answer it, nor it a count.
_RATE = re.compile(r"\brates?\b|\b100,?000\b|\b100k\b|\bper (?:head|capita|population|resident|person)|\bper (?:1,?000|thousand)\b|"
                   r"\bdensity\b|\bproportion\b|\bpercentage\b|\bper ?cent\b|%|\bshare of\b", re.IGNORECASE)
# "what percentage of Norfolk's MAPPA-eligible individuals were registered sex offenders": the share of a
# whole (the cells named after "of") that a part is (the cells named after the verb)
_SHARE = re.compile(r"\b(?:percentage|percent|per ?cent|proportion|share|fraction)\s+of\s+(?P<whole>.*?)"
                    r"\b(?:were|was|are|is)\b(?P<part>.*)", re.IGNORECASE)
_PERCENT = re.compile(r"\bwhat (?:percentage|proportion|share)\b|\bper ?cent\b|%", re.IGNORECASE)
_WANTS_NUMBER = re.compile(r"\bhow many\b|\bbreakdown\b|\bbroken down\b|"
                           r"(?<!phone )(?<!telephone )(?<!contact )(?<!helpline )(?<!fax )(?<!reference )(?<!report )\bnumber\b|\bhow much\b|\btotal\b|\bcount\b|\bfigures?\b|\brate\b|"
                           r"per 100|\bstatistics?\b|\bamount\b|\bwhat was the\b|\bquantity\b|\btally\b", re.IGNORECASE)
# "how many categories of offender", "how many digital tools": counting something in the prose.
_HOW_MANY_WHAT = re.compile(r"\bhow many\s+(?:main\s+|different\s+|key\s+)?(\w+)", re.IGNORECASE)
_PROSE_COUNTS = re.compile(r"categories|levels|areas\b|tools|agencies|meetings|members|strands|priorities|types|kinds|"
                           r"sub-?groups?|objectives|areas of|panels|events|attendees|delegates|sessions|days|times|"
                           r"people attended", re.IGNORECASE)
# Dates in a question ("in June 2024", "since 2020", "the Sexual Offences Act 2003") are not the report's period.
_DATE_BEFORE = re.compile(r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                          r"since|before|after|until|by|act)\s*$", re.IGNORECASE)
# A year's end in a question's words: "as at 31/03/2015", "the year to March 2025", "from March 2015 to
# March 2025". The reports' years end on 31 March, so each names the year that ends there.
_MARCH_END = re.compile(r"\b31(?:st)?\s*[/.-]\s*0?3\s*[/.-]\s*((?:19|20)?\d\d)\b|(?<!\bduring )(?<!\bfor )"
                        r"\bmar(?:ch|\.)?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
# "on 31 March 2025", "at 31/3/23", "as at 31st March": a count on one day (the snapshot), not over the year.
# "in March 2025": on 31 March for a snapshot; a month of a year's count is no figure the tables give.
_IN_MARCH = re.compile(r"\bin march(?=\s+(?:19|20)\d\d)", re.IGNORECASE)
_ON_A_DAY = re.compile(r"\b(?:on|at|as at|as of)\s+(?:the\s+)?31(?:st)?\b", re.IGNORECASE)
# Words that ask for a figure without saying what it counts: left out of the terms a figure is found by.
_QUESTION_WORDS = frozenset(tokenize(
    "number total overall figure count counting how many much what was were there which area county statistic year report "
    "reported taking adding going decade ago "
    "according give tell show find please latest record recorded data annual most highest largest biggest greatest "
    "fewest lowest least smallest across all areas combined compared change difference between increase decrease "
    "versus than more fewer less across category level after before since until " + GENERIC_WORDS + " " + FRAMING_WORDS))
_FRAMING = re.compile(FRAMING_PHRASES, re.IGNORECASE)
# A clause in the first person that asks nothing, beside one that asks ("We've just moved to Norfolk with two
# young kids.", "I'm a councillor in a London borough and I'd like the London figure:"): who asks and why.
_CLAUSE = re.compile(r"[^.?!:;]+[.?!:;]*")
_FIRST_PERSON = re.compile(r"\bI\b|\bI'|(?i:\b(?:we|we've|we're|my|our|me|us)\b)")
_FRAMING_TOKENS = frozenset(tokenize(FRAMING_WORDS))
# "cautioned (not convicted)": a word the question rules out is not a word it asks about.
_RULED_OUT = re.compile(r"\(\s*not\s+[\w\s]+\)|\bnot (?:just|only|including|counting)\s+[^,;:()]*|"
                        r"\bnot\s+(?:the\s+|those\s+|any\s+)?\w+|\bseparate(?:ly)? from\s+(?:the\s+|those\s+)?\w+|"
                        rf"\b(?:{'|'.join(map(re.escape, sorted((*EXCLUDING_BEFORE, 'rather than', 'as opposed to', 'ignore'), key=len, reverse=True)))})"
                        r"\s+(?:in\s+|at\s+|on\s+)?(?:the\s+|those\s+|any\s+)?\w+",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """What a question asks, as far as its words tell."""

    text: str
    areas: tuple[str, ...] = ()  # canonical, in the order named
    periods: tuple[str, ...] = ()  # canonical "2024/25", in the order named
    either_period: bool = False  # "in 2024": a table's figure is the year to March of it (2023/24), but the text
    # of either reporting year the year falls in will do (text_periods)
    pairs: tuple[tuple[str, str], ...] = ()  # (area, period) when each area named has its own year ("Cheshire in
    # 2022/23 or Norfolk in 2024/25"): the reports compared are those, not every area in every year named
    excluded: tuple[str, ...] = ()  # areas the question leaves out ("excluding London", "Norfolk aside")
    cells_left_out: bool = False  # it leaves out a category or level ("not counting category 3"): the
    # categories and levels are the others
    places: tuple[str, ...] = ()  # UK places that are not MAPPA areas (towns, boroughs, counties)
    wider: str | None = None  # a scope wider than an area, as written ("England and Wales", "nationally")
    sub_area: str | None = None  # a scope inside an area, as written ("borough", "constituency")
    categories: tuple[int, ...] = ()  # (): all categories (the Total column); several: their sum or difference
    levels: tuple[int, ...] = ()  # (): all levels (the Total row); several: their sum or difference
    operation: str | None = None  # max | min | sum_areas | change | difference | sum_cells | difference_cells | share
    share: tuple[tuple[int | None, int | None], tuple[int | None, int | None]] | None = None  # ((category, level) of
    # the part, (category, level) of the whole) for a share of one grid's cells
    wants_number: bool = False  # asks for a figure: "how many", "number of", "rate", or a bare "norfolk shpos"
    says_number: bool = False  # says so in words ("how many", "number", "rate"), not only by being bare
    about_prose: bool = False  # worded about the text: who, why, describe, what percentage
    asks_about_text: bool = False  # asks who, why, where or when: never a figure
    unheld: tuple[str, ...] = ()  # breakdowns no table gives that the question names ("sex or gender")
    unheld_words: tuple[tuple[str, str], ...] = ()  # (breakdown, the words naming it): ("age", "under-18s")
    when: str | None = None  # "point" (in force, currently) | "year" (during the year) | None
    rate: bool = False  # asks for a rate or a share ("per 100,000", "what proportion"), not a count
    over_time: bool = False  # asks how a figure changed over time ("by how much did it change")
    every_report: bool = False  # compares every report, each in its own year ("of all five reports", "in its year")
    orders: tuple[str, ...] = ()  # the civil orders it asks about (ORDER_NAMES), less those it rules out
    area_words: tuple[tuple[str, str], ...] = ()  # (canonical area, as written) for each area named in the text
    on_a_day: bool = False  # dates its count to a day ("on 31 March 2025", "at 31/3/23"): a snapshot's
    terms: tuple[str, ...] = ()  # the words of what is counted, tokenised as passages are
    words: tuple[str, ...] = ()  # the same with category words kept: how other tables' rows are found

    @property
    def text_periods(self) -> tuple[str, ...]:
        """The periods whose reports' text may answer: those named, and for a lone year the next one too."""
        if not self.either_period:
            return self.periods
        return (*self.periods, format_period(int(self.periods[0][:4]) + 2))

    @property
    def category(self) -> int | None:
        return self.categories[0] if len(self.categories) == 1 else None

    @property
    def level(self) -> int | None:
        return self.levels[0] if len(self.levels) == 1 else None

    @property
    def tokens(self) -> list[str]:
        return tokenize(self.text)

    @property
    def asked_tokens(self) -> list[str]:
        """The tokens of what is asked: less the words that say who asks and why (FRAMING_WORDS/PHRASES)."""
        return [t for t in tokenize(_FRAMING.sub(" ", self.text)) if t not in _FRAMING_TOKENS]

    @property
    def combines(self) -> bool:
        """Asks for figures added up: "together", "add up", "in total", "plus", "both"."""
        return bool(_COMBINED.search(self.text))

    @property
    def contrasts(self) -> bool:
        """Asks how figures differ: "more than", "exceed", "difference", "compared"."""
        return bool(_CHANGE.search(self.text))

    @property
    def names_level_2_and_3(self) -> bool:
        return bool(_LEVELS_2_AND_3.search(self.text)) or set(self.levels) >= {2, 3}


def _full_year(year: str) -> int:
    return int(year) if len(year) == 4 else 2000 + int(year)  # "31/03/25"


def _period_spans(text: str) -> list[tuple[str, int, int]]:
    """The periods a question names, as (period, start, end). A lone year counts only when no period is
    written out in full, and not as a date ("in June 2024", "since 2020", "Act 2003")."""
    spans = find_periods(text, short=True)
    taken = [(s, e) for _, s, e in spans]
    spans += [(format_period(_full_year(m.group(1) or m.group(2))), m.start(), m.end()) for m in _MARCH_END.finditer(text)
              if not any(s < m.end() and m.start() < e for s, e in taken)]
    if not spans:
        spans = [p for p in find_periods(text, bare_years=True, short=True) if not _DATE_BEFORE.search(text[:p[1]])]
    return sorted(spans, key=lambda span: span[1])


_BETWEEN_AREA_AND_YEAR = re.compile(r"^(?:['’]s)?[\s,:(]*(?:(?:did|does|do|reports?|reported|have|had|has|records?|recorded|"
                                    r"saw|made|issued|imposed|with|was|were)\s+)?"
                                    r"(?:in|for|during|over|at|on|as at|as of)?[\s(]*(?:the\s+)?(?:year\s+)?$",
                                    re.IGNORECASE)


def _pairs(text: str, areas: list[tuple], period_spans: list[tuple[str, int, int]]) -> tuple[tuple[str, str], ...]:
    """(area, period) for each area followed by its own year ("Cheshire in 2022/23", "Norfolk (2024/25)"),
    when every area named is, and they name two or more areas and years; else ()."""
    pairs: list[tuple[str, str]] = []
    merged: list[tuple] = []
    for scope in areas:  # "Cambs & Peterborough 24/25": one area named twice over
        if merged and merged[-1][1] == scope[1] and re.fullmatch(r"\s*(?:&|and|,)?\s*", text[merged[-1][3]:scope[2]]):
            scope = (scope[0], scope[1], merged.pop()[2], scope[3])
        merged.append(scope)
    waiting: list[str] = []  # "Cambridgeshire and Peterborough, London and Norfolk 2024/25": one year for a run
    for position, (_, name, _, end) in enumerate(merged):
        following = [(s, p) for p, s, _ in period_spans if s >= end]
        start, period = min(following) if following else (len(text), None)
        if period and _BETWEEN_AREA_AND_YEAR.match(text[end:start]):
            pairs += [(area, period) for area in (*waiting, name)]
            waiting = []
        elif position + 1 < len(merged) and re.fullmatch(r"\s*(?:,|and|&|or)\s*(?:and\s+)?", text[end:merged[position + 1][2]]):
            waiting.append(name)
        elif not any(area == name for area, _ in pairs):  # "... did Norfolk record": named again, already paired
            return ()
    if waiting:
        return ()
    pairs = list(dict.fromkeys(pairs))
    return tuple(pairs) if len({a for a, _ in pairs}) >= 2 and len({p for _, p in pairs}) >= 2 else ()


def _erase(pattern: re.Pattern, text: str) -> str:
    """`text` with `pattern`'s matches blanked, each character by a space: spans found in it before still hold."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _context(text: str) -> list[tuple[int, int]]:
    """The spans of the clauses that say who asks and why, when another clause asks the question."""
    clauses = [m for m in _CLAUSE.finditer(text) if m.group(0).strip(" .?!:;")]
    context = [(m.start(), m.end()) for m in clauses
               if _FIRST_PERSON.search(m.group(0)) and not _ANY_QUESTION_WORD.search(m.group(0))
               and not (_CLAIM.search(m.group(0)) or _HEARD.search(m.group(0)))]
    return context if len(context) < len(clauses) else []


def _left_out(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the scope at text[start:end] with the words that leave it out ("excluding London",
    "London aside"); None when it is not left out."""
    before, after = _EXCLUDING_BEFORE.search(text[:start]), _EXCLUDING_AFTER.match(text[end:])
    if not (before or after):
        return None
    return (before.start() if before else start, end + after.end() if after else end)


def _categories_in(text: str) -> tuple[int, ...]:
    """The categories `text` names, in the order it names them."""
    named = sorted((m.start(), c) for c, pattern in _CATEGORY_RES if (m := pattern.search(text)))
    return tuple(c for _, c in named)


def _level_of(match: re.Match) -> int:
    return _NUMBER_WORDS[(match.group(1) or match.group(2)).lower()]


def _levels_in(text: str) -> tuple[int, ...]:
    """The levels `text` names by number ("level 2", "top level"), in order."""
    return tuple(dict.fromkeys(_level_of(m) for m in _LEVEL.finditer(text)))


def _level_words_in(text: str) -> tuple[int, ...]:
    """The levels `text` names in the words of their definitions ("managed by the lead agency")."""
    return tuple(level for level, pattern in _LEVEL_WORD_RES if pattern.search(text))


def _share(text: str) -> tuple[tuple[int | None, int | None], tuple[int | None, int | None]] | None:
    """((category, level) of the part, (category, level) of the whole) when `text` asks what share of the cells
    of one grid some of them are, each part naming at most one category and one level; else None."""
    match = _SHARE.search(text)
    if not match or _LEVELS_2_AND_3.search(text):
        return None

    def cell(words: str) -> tuple[int | None, int | None] | None:
        categories, levels = _categories_in(words), _levels_in(words) or _level_words_in(words)
        if len(categories) > 1 or len(levels) > 1:
            return None
        return (categories[0] if categories else None, levels[0] if levels else None)

    part, whole = cell(match.group("part")), cell(match.group("whole"))
    if not part or not whole or part == (None, None) or part == whole:
        return None
    if any(w is not None and p not in (None, w) for p, w in zip(part, whole, strict=True)):
        return None  # "what share of category 1 offenders were category 2": no part of that whole
    # "of London's category 1 offenders, the share at level 2": Category 1 at Level 2, of Category 1
    part = (part[0] if part[0] is not None else whole[0], part[1] if part[1] is not None else whole[1])
    return (part, whole) if part != whole else None


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# "Of all five reports, which area recorded the fewest … in its year?": every report compared in its own year
_EVERY_REPORT = re.compile(r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+)?(?:indexed\s+)?reports\b|"
                           r"\bin (?:its|their) (?:own )?(?:reporting )?years?\b|\beach (?:in|for) its (?:own )?year\b",
                           re.IGNORECASE)
# "Going back ten years:", "a decade ago": when, not what is counted
_TIME_FRAMING = re.compile(r"\bgoing back(?:\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:years?|decades?))?|"
                           r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:years?|decades?)\s+(?:ago|back|earlier)\b",
                           re.IGNORECASE)
# "what percentage ... (to the nearest whole percent)": how a share is asked for and rounded, not what is counted
_SHARE_WORDS = re.compile(r"\b(?:percentage|per ?cent|proportion|share|fraction)|\bnearest (?:whole )?(?:number|integer)?|"
                          r"\bround(?:ed|ing)?\b|\b(?:to )?(?:one|1|two|2) decimal places?|\bdecimal places?|\bd\.?p\b",
                          re.IGNORECASE)
# Time and operation words and the reports named, with the rest of their word ("increased", "totals"): not counts.
_NOT_COUNTED = re.compile("|".join(rf"(?:{p.pattern})\w*" for p in (_POINT_RE, _YEAR_RE, _MOST, _FEWEST, _ACROSS, _CHANGE,
                                                                      _COMBINED, _REPORTS_NAMED, _ALL_LEVELS, _SHARE_WORDS,
                                                                      _TIME_FRAMING)),
                          re.IGNORECASE)


def _terms(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, terms) of the text left after scope and periods are blanked: words are what the question
    counts, less category, level, time and operation words; terms are words less breakdowns no table holds."""
    term_text = _RULED_OUT.sub(" ", _LEVEL.sub(" ", text))
    for _, pattern in _LEVEL_WORD_RES:
        term_text = pattern.sub(" ", term_text)
    term_text = _NOT_COUNTED.sub(" ", term_text)
    words = tuple(t for t in tokenize(term_text) if t not in _QUESTION_WORDS)
    # Neither are the breakdowns no table holds: "female sex offenders" asks about the people counted.
    for _, pattern in [*_CATEGORY_RES, *_UNHELD_RES]:
        term_text = pattern.sub(" ", term_text)
    return words, tuple(t for t in tokenize(term_text) if t not in _QUESTION_WORDS)


def parse_question(text: str, area: str | None = None, period: str | None = None) -> Query:
    """Read scope, cell, operation and intent from a question.

    `area` and `period` (canonical) come from --area/--period and replace what the words say.
    """
    # "A Norwich councillor claimed ...": a place naming who said it is no scope
    sources = [m.span() for m in _FRAMING.finditer(text)]
    found = find_scopes(text)
    # The areas as the question writes them ("Hampshire and Isle of Wight"): no word of what it asks about
    area_words = tuple((name, text[start:end]) for kind, name, start, end in found if kind == "area")
    scopes = [s for s in found if not (s[0] == "place" and _inside(sources, s[2], s[3]))]
    context = _context(text)
    # A place in the context is the scope only when the question names none ("moved to Norfolk ... in the county").
    own_scope = any(not _inside(context, s, e) for _, _, s, e in scopes)
    if own_scope:
        scopes = [scope for scope in scopes if not _inside(context, scope[2], scope[3])]
    # "Leaving London aside, which area ...": an area left out is no area asked about, nor part of the scope
    left_out = {scope: span for scope in scopes if scope[0] == "area" and (span := _left_out(text, scope[2], scope[3]))}
    scopes = [scope for scope in scopes if scope not in left_out]
    areas = tuple(dict.fromkeys(name for kind, name, _, _ in scopes if kind == "area"))
    places = tuple(dict.fromkeys(name for kind, name, _, _ in scopes if kind == "place"))
    if not areas and (met := re.match(r"\s*met\b", text, re.IGNORECASE)):
        areas = ("London",)  # "met level 3 ...": a leading "met" is the Metropolitan Police area, not the verb
        scopes.append(("area", "London", met.start(), met.end()))
    period_spans = _period_spans(text)
    periods = tuple(dict.fromkeys(p for p, _, _ in period_spans))
    area_years = _pairs(text, [s for s in scopes if s[0] == "area"], period_spans) if not (area or period) else ()
    period_spans += find_periods(text, bare_years=True, short=True)  # no lone year is a word of what is counted
    if area:
        areas, places = (area,), ()
    if period:
        periods = (period,)
    lone_year = not period and len(periods) == 1 and not find_periods(text, short=True) and not _MARCH_END.search(text)
    rest = _blank(text, [(s, e) for _, _, s, e in scopes] + list(left_out.values()) + [(s, e) for _, s, e in period_spans])
    asked = _blank(rest, context) if own_scope else rest
    wider = _WIDER_RE.search(_erase(_BODY_NAME, asked))
    sub_area = _SUB_AREA_RE.search(asked)

    rest = _erase(_FRAMING, rest)  # "I'm after the Category 1 total": who asks and why, not what
    # A category or level left out ("not counting category 3") is not asked for: the others are, their sum,
    # never the Total with it. Its words name no cell and no operation ("other than").
    out_categories, out_levels, out_spans = set(), set(), []
    for cell, match in [*((c, m) for c, pattern in _CATEGORY_RES for m in pattern.finditer(rest)),
                        *((_level_of(m), m) for m in _LEVEL.finditer(rest))]:
        if cue := _CELL_EXCLUDED_BEFORE.search(rest[:match.start()]):
            (out_levels if match.re is _LEVEL else out_categories).add(cell)
            out_spans.append((cue.start(), match.end()))
    rest = _blank(rest, out_spans)
    kept = _erase(_RULED_OUT, rest)  # "not just level 2/3 recalls" names no level
    pairs = _LEVELS_2_AND_3.search(kept)
    cell_text = _erase(_LEVELS_2_AND_3, kept)
    categories, levels = _categories_in(cell_text), _levels_in(cell_text)
    if pairs and not levels:
        levels = (2, 3)  # "offenders at levels 2 and 3": their sum, which is the Total of the yearly tables
    if not levels:  # "managed by the lead agency", "needed senior oversight"
        levels = _level_words_in(cell_text)
    if out_categories:
        categories = tuple(c for c in categories if c not in out_categories) or tuple(c for c in (1, 2, 3) if c not in out_categories)
    if out_levels:
        levels = tuple(lvl for lvl in levels if lvl not in out_levels) or tuple(lvl for lvl in (1, 2, 3) if lvl not in out_levels)

    share = _share(kept)
    counted = _HOW_MANY_WHAT.search(text)
    prose_count = bool(counted and _PROSE_COUNTS.match(counted.group(1)))
    number_cue = ((bool(_WANTS_NUMBER.search(text)) or bool(_CLAIM.search(text) and _NUMBER.search(rest)))
                  and not prose_count and not _PERCENT.search(text) and not _WHY.match(text)) or bool(share)
    prose_cue = bool(_PROSE.search(text)) or prose_count
    # "which area has the most ...", "most SHPOs 2024/25": areas compared. "What is the maximum sentence",
    # "the minimum length of an SRO": about the text.
    # "which had more: Cheshire in 2022/23 or Norfolk in 2024/25", "who had more SHPOs, London or Norfolk": the
    # area with the most of those named
    named_several = bool(area_years) or len(areas) >= 2
    which = _WHICH_AREA.search(text) or (named_several and re.search(r"\bwho\b", text, re.IGNORECASE))
    more = bool(named_several and which and _MORE.search(rest))
    fewer = bool(named_several and which and _FEWER.search(rest))
    compares = len(areas) != 1 and (number_cue or not prose_cue or bool(which))

    operation = None
    if area_years and (_MOST.search(rest) or more):
        operation = "max"
    elif area_years and (_FEWEST.search(rest) or fewer):
        operation = "min"
    elif area_years:
        operation = "sum_areas" if _COMBINED.search(rest) and not _CHANGE.search(rest) else "difference"
    elif (_MOST.search(rest) or more) and compares:
        operation = "max"
    elif (_FEWEST.search(rest) or fewer) and compares:
        operation = "min"
    elif ((_ACROSS.search(rest) and len(areas) != 1) or (not areas and re.search(r"\btotal\b.*\b(?:all|every)\b", rest, re.I))
          or (len(areas) >= 2 and _COMBINED.search(rest) and not _CHANGE.search(rest))):
        operation = "sum_areas"
    elif len(periods) >= 2 and (_CHANGE.search(rest) or re.search(r"\bbetween\b|\bfrom\b", rest, re.I)):
        operation = "change"
    elif len(areas) >= 2 and (_CHANGE.search(rest) or re.search(r"\bbetween\b", rest, re.I)):
        operation = "difference"
    elif share:
        operation = "share"
    elif len(levels) >= 2 or len(categories) >= 2:  # "levels 2 and 3", "how many more at level 2 than level 3"
        # "how many more Category 3 than Category 1 (Levels 2 and 3 combined)": "combined" says which levels
        differs = (_CHANGE.search(_LEVELS_2_AND_3.sub(" ", rest))
                   and not _COMBINED.search(_LEVELS_COMBINED.sub(" ", rest)))
        operation = "difference_cells" if differs else "sum_cells"

    # "norfolk shpos 2024/25", "London 24/25 - RSOs cautioned for breach?": named, not asked in words.
    bare = not _QUESTION_WORD.search(text) and not _YES_NO.match(text)
    # "levels 2 and 3" names cells; it asks for a figure only in words that do ("DWP attendance at level 2 and 3 meetings")
    wants_number = (number_cue or operation not in (None, "sum_cells", "difference_cells")
                    or (bare and not prose_cue))
    about_prose = prose_cue and not number_cue
    # "what is the maximum sentence for ...": a superlative that compares no areas asks about the text
    superlative = operation is None and bool(_MOST.search(cell_text) or _FEWEST.search(cell_text))
    asks_about_text = bool(_ABOUT_TEXT.search(text) or (superlative and about_prose)) and operation not in ("max", "min")
    either_period = lone_year  # "the forums held in 2024": 2023/24 or 2024/25
    unheld_words = tuple((what, m.group(0).lower()) for what, pattern in _UNHELD_RES for m in pattern.finditer(rest))
    if _IN_MARCH.search(text):  # "in March 2025": the snapshot's day, or a month of a year's count
        unheld_words += ((MONTH, SNAPSHOT_MONTH),)
    unheld = tuple(dict.fromkeys(what for what, _ in unheld_words))
    on_a_day = bool(_ON_A_DAY.search(text))
    when = ("point" if _POINT_RE.search(rest) else
            "year" if _YEAR_RE.search(" ".join(rest.split())) or _OVER_A_PERIOD.search(text) else None)

    # Category, level and time words pick a cell or a kind of count; they are not what is counted. The words
    # of the context count only when the question's own clause names nothing.
    if _CLAIM.search(text):  # the figure claimed is what is checked, not a word of what is counted
        cell_text = _erase(_NUMBER, cell_text)
    words, terms = _terms(_blank(cell_text, context))
    if not words:
        words, terms = _terms(cell_text)
    excluded = tuple(dict.fromkeys(scope[1] for scope in left_out if scope[1] not in areas)) if not area else ()
    return Query(text=text, areas=areas, periods=periods, pairs=area_years, places=places, excluded=excluded,
                 cells_left_out=bool(out_categories or out_levels),
                 wider=wider.group(0) if wider else None, sub_area=sub_area.group(0) if sub_area else None,
                 either_period=either_period, categories=categories, levels=levels, operation=operation,
                 wants_number=wants_number,
                 says_number=number_cue, asks_about_text=asks_about_text,
                 about_prose=about_prose, unheld=unheld, unheld_words=unheld_words, when=when,
                 rate=bool(_RATE.search(text)) and not share, over_time=bool(_OVER_TIME.search(rest)),
                 orders=tuple(sorted(orders_named(kept))), every_report=bool(_EVERY_REPORT.search(text)),
                 on_a_day=on_a_day, terms=terms, words=words, area_words=area_words,
                 share=share if operation == "share" else None)
