"""The MAPPA domain vocabulary: areas and their aliases, reporting periods, and the national measures.

Pure functions over strings, shared by the document reader (which detects a report's area and period),
the table parser (which names each figure's measure) and the question parser (which reads the same things
from a user's words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

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
_MONTH_SPAN_RE = re.compile(r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?April\s+(\d{4})\s*(?:to|-|–|and|until)\s*"
                            r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?March\s+(\d{4})", re.IGNORECASE)
_MARCH_31_RE = re.compile(r"(?:31(?:st)?|end of)\s+Mar(?:ch|\.)?\s+(\d{4})", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d/£,.-])(20\d\d)(?![\d/%-])")
# "24/25", "24-25": a year written short, as people type it (not in reports' text: tables hold such pairs).
_SHORT_PAIR_RE = re.compile(r"(?<![\d/£,.:-])([0-3]\d)\s*[/-]\s*([0-3]\d)(?![\d/%-]|[.:]\d)")


def format_period(end_year: int) -> str:
    """The canonical period for the financial year ending 31 March `end_year`: 2025 -> '2024/25'."""
    return f"{end_year - 1}/{end_year % 100:02d}"


def _end_year(first: str, second: str) -> int | None:
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    return end if end == start + 1 else None


def find_periods(text: str, bare_years: bool = False, short: bool = False) -> list[tuple[str, int, int]]:
    """Reporting periods mentioned in `text` as (period, start, end), in order of appearance.

    Understands "2024/25", "2024-25", "2024 to 2025", "2024 - 2025", "April 2024 to March 2025" and
    "31 March 2025". With `bare_years`, a lone "2025" also counts, as the year ending 31 March 2025
    (what a user asking about "2025" most likely means); reports mention lone years too often for that.
    With `short`, "24/25" counts too (a question's words, never a report's).
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
    if short:
        for match in _SHORT_PAIR_RE.finditer(text):
            add(_end_year(str(2000 + int(match.group(1))), match.group(2)), match)
    if bare_years:
        for match in _YEAR_RE.finditer(text):
            add(int(match.group(1)), match)
    return sorted(found, key=lambda item: item[1])


def normalise_period(text: str) -> str | None:
    """The canonical period for a user's `--period` value ("2024-25", "2025", ...), or None."""
    periods = find_periods(text, bare_years=True, short=True)
    return periods[0][0] if periods else None


@dataclass(frozen=True)
class Measure:
    """One figure of the national statistics template.

    `terms` are the words users type for it (synonyms, abbreviations, older and newer wording): they go
    into the description every fact of this measure is found by, never into a pattern that gates it.
    """

    id: str
    label: str  # how an answer names it, plural
    kind: str  # "snapshot" (on 31 March) or "year" (1 April to 31 March)
    grid: bool = False  # counted by category and level
    terms: str = ""
    note: str = ""  # what an analyst adds whenever the figure is given
    category: int | None = None  # the one category it counts, when it is not counted by category
    rate: bool = False  # a rate per head of population, not a count
    names: str = ""  # other words that name it, as its label does ("recalls" for returns to custody)


_ORDER_TERMS = "imposed made granted issued by the courts during the year restrictive orders civil orders"
# What notification requirements are, in the words people use for them.
_NOTIFY_TERMS = "notify tell telling inform the police of name address details travel plans sign on registration conditions"
_BREACH_TERMS = "breach breaches breached breaching broke broken breaking"
_CUSTODY_TERMS = ("returned to custody recalled recall recalls sent back to prison jail returned to prison "
                  "during the year " + _BREACH_TERMS)

MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("eligible", "MAPPA-eligible individuals", "snapshot", grid=True,
                terms="MAPPA eligible individuals offenders people managed under MAPPA subject to MAPPA in the community caseload "
                      "nominals total number on 31 March at the end of the year snapshot registered sex offenders "
                      "in the area residents on the books known to held "
                      "violent offenders other dangerous offenders supervised monitored by police and probation "
                      "together jointly size of the sex offenders register population"),
        Measure("eligible_l23", "MAPPA-eligible individuals managed at Levels 2 and 3", "year", grid=True,
                terms="MAPPA eligible individuals offenders people managed at levels 2 and 3 yearly total during the "
                      "year over the year throughout the year multi-agency meetings managed by several agencies"),
        Measure("notification_breach_cautioned",
                "Category 1 individuals cautioned for breach of notification requirements", "year", category=1,
                terms="registered sex offenders cautioned caution let off with a warning breach breached broke breaches "
                      "breaching failed to comply with notification requirements register rules " + _NOTIFY_TERMS),
        Measure("notification_breach_convicted",
                "Category 1 individuals convicted for breach of notification requirements", "year", category=1,
                terms="registered sex offenders convicted conviction prosecuted breach breached broke breaches breaching failed to "
                      "comply with notification requirements register rules " + _NOTIFY_TERMS),
        Measure("notification_breach",
                "Category 1 individuals cautioned or convicted for breach of notification requirements", "year", category=1,
                terms="registered sex offenders RSOs cautioned or convicted breach breached broke breaches breaching failed to comply "
                      "with notification requirements register rules " + _NOTIFY_TERMS),
        Measure("notification_revoked",
                "Category 1 individuals whose lifetime notification was revoked on application", "year", category=1,
                terms="registered sex offenders life time indefinite notification requirements revoked revocation "
                      "removed taken off came off the register lifted ended review on application applied applying appeal "
                      "lifelong duty to register",
                note="This counts indefinite notification requirements revoked on application only; people whose "
                     "fixed notification period ends also leave the register and are not counted."),
        Measure("shpo", "Sexual Harm Prevention Orders (SHPOs)", "year", category=1,
                terms="SHPO sexual harm prevention orders prohibitions positive obligations court orders placing restrictions "
                      + _ORDER_TERMS),
        Measure("shpo_travel", "SHPOs with a foreign travel restriction", "year", category=1,
                terms="SHPO sexual harm prevention orders with foreign travel restriction ban prohibition abroad "
                      "overseas " + _ORDER_TERMS),
        Measure("notification_order", "Notification Orders", "year", category=1,
                terms="notification orders notices NO people convicted of sex offences abroad overseas outside the UK "
                      + _ORDER_TERMS),
        Measure("sopo", "Sexual Offences Prevention Orders (SOPOs)", "year", category=1,
                terms="SOPO sexual offences prevention orders " + _ORDER_TERMS),
        Measure("fto", "Foreign Travel Orders (FTOs)", "year", category=1,
                terms="FTO foreign travel orders ban stopping child sex offenders travelling abroad overseas " + _ORDER_TERMS),
        Measure("sro_breach",
                "individuals who became subject to notification requirements after breaching a "
                "Sexual Risk Order (SRO)", "year", category=1,
                terms="SRO sexual risk orders breach breached breaches breaching became subject to notification requirements placed "
                      "on the register added registered"),
        Measure("rsho_breach",
                "individuals who became subject to notification requirements after breaching a "
                "Risk of Sexual Harm Order (RSHO)", "year", category=1,
                terms="RSHO risk of sexual harm orders breach breached breaches breaching became subject to notification requirements "
                      "placed on the register added registered"),
        Measure("custody_licence_breach", "Level 2 and 3 individuals returned to custody for breach of licence",
                "year", names="recalls", grid=True, terms=_CUSTODY_TERMS + " breach of licence licences licence conditions"),
        Measure("custody_shpo_breach", "Level 2 and 3 individuals returned to custody for breach of a SHPO", "year",
                names="recalls", grid=True, terms=_CUSTODY_TERMS + " breach of SHPO sexual harm prevention order breaching"),
        Measure("custody_sopo_breach", "Level 2 and 3 individuals returned to custody for breach of a SOPO", "year",
                names="recalls", grid=True, terms=_CUSTODY_TERMS + " breach of SOPO sexual offences prevention order breaching"),
        Measure("notification_rate",
                "individuals subject to sex offender notification requirements per 100,000 population", "snapshot",
                category=1, rate=True, terms="rate per 100,000 100k population per head per capita proportion registered sex offenders "
                      "RSOs on the register density residents aged ten or over 10 and over", names="rate"),
    )
}

# A figure some reports print as the sum of two others that other reports print instead.
PARTS: dict[str, tuple[str, str]] = {
    "notification_breach": ("notification_breach_cautioned", "notification_breach_convicted"),
}

# The civil orders the tables count, as questions name them: a figure about one order never answers a question
# about another ("recalled for breaching a Sexual Risk Order" is not the SHPO breaches). Each with the order
# that replaced it in March 2015, or that it replaced.
ORDER_NAMES: dict[str, str] = {
    "SHPO": r"\bshpos?\b|\bsexual harm prevention",
    "SOPO": r"\bsopos?\b|\bsexual offences? prevention",
    "SRO": r"\bsros?\b|\bsexual risk orders?",
    "RSHO": r"\brshos?\b|\brisk of sexual harm orders?",
    "FTO": r"\bftos?\b|\bforeign travel orders?",
    "Notification Order": r"\bnotification orders?\b|(?-i:\bNOs\b)",
}
ORDER_SUCCESSORS: dict[str, str] = {"SOPO": "SHPO", "RSHO": "SRO", "FTO": "SHPO"}


def orders_named(text: str) -> set[str]:
    """The orders of ORDER_NAMES that `text` names."""
    return {order for order, pattern in ORDER_NAMES.items() if re.search(pattern, text, re.IGNORECASE)}


# Measures that replaced older ones in March 2015: asking for the new one in an older report gets the old one.
REPLACED_BY: dict[str, str] = {"shpo": "sopo", "shpo_travel": "fto", "sro_breach": "rsho_breach",
                               "custody_shpo_breach": "custody_sopo_breach"}

# How people describe the levels in words (MAPPA's own definitions): they pick the Level row like "level 1".
LEVEL_WORDS: dict[int, str] = {
    1: r"\bordinary (?:agency )?management\b|\b(?:by |managed by )?(?:the |their |a )?(?:single |lead )+agency(?: alone| only)?\b|"
       r"\bwithout (?:formal )?(?:mappa |multi-agency )?meetings\b|\bno (?:formal )?(?:mappa |multi-agency )?meetings\b",
    2: r"\bactive multi-?agency management\b|\b(?:several|more than one|two or more|multiple) agenc(?:y|ies)(?: (?:to |would )?meet\b)?|"
       r"\bactive(?:ly)? (?:involvement|involved|manage[sd]?|management)\b",
    3: r"(?<!without )(?<!no )(?<!not )(?<!short of )(?<!below )(?<!than )(?<!under )\bsenior[\s-](?:level|management|oversight|managers?|resources|people)\b"
       r"(?!\s+(?:aren't|are not|isn't|is not|not|having to)\b)|\b(?:very )?top (?:tier|level)\b|\bhighest (?:tier|level)\b|"
       r"\b(?:the )?most senior (?:[\w-]+ ){0,2}(?:tier|level)\b",
}

def counterpart(measure: str | None) -> str | None:
    """The measure that `measure` replaced, or was replaced by, in March 2015 (SHPO <-> SOPO, ...), or None."""
    return REPLACED_BY.get(measure) or next((new for new, old in REPLACED_BY.items() if old == measure), None)


# Category and level words: these pick a cell of a grid, never what is counted.
CATEGORY_WORDS: dict[int, str] = {
    1: r"\bcat(?:egory)?\.?\s*(?:1|one|i)\b|registered sex(?:ual)? offenders?|\brsos?\b|sex(?:ual)? offenders?|"
       r"on the (?:sex offenders? )?register\b|subject to (?:the )?(?:sex offender )?notification(?: requirements)?",
    2: r"\bcat(?:egory)?\.?\s*(?:2|two|ii)\b|violent",
    3: r"\bcat(?:egory)?\.?\s*(?:3|three|iii)\b|other dangerous",
    4: r"\bcat(?:egory)?\.?\s*(?:4|four|iv)\b|terroris",
}
# Words every table's figures share: MAPPA, and the people counted ("offenders" and "individuals" are the
# same thing in every table). They say nothing about which figure is meant.
GENERIC_WORDS = ("mappa multi agency public protection arrangements offender individual people person nominal "
                 # how formal requests are framed: "To ask the Secretary of State for Justice, how many ..."
                 "ask secretary state justice minister ministry home office government department please provide "
                 "information request freedom foi")

# How people frame a question around the figure it asks for ("I'm writing a piece for the local paper and my
# editor wants to know ...", "a councillor claimed ... what's the actual number?"): words that say who is
# asking and why, never what is counted (no description holds them: tests/test_lookup.py checks).
FRAMING_WORDS = ("want wanted wondering wonder curious know knew like told live lives lived living here local paper "
                 "newspaper "
                 "article story piece writing write editor journalist reporter councillor council scrutiny briefing "
                 "committee parent worried "
                 "concerned claim claimed posted heard read seen see look looked looking check confirm clarify roughly "
                 "approximately approx around exact exactly actual actually really just say said quote quoted right "
                 "correct true accurate officially published stated mentioned given lot lots well need needs")
# The same in phrases whose words may name a figure elsewhere ("after" a breach, "looking" for a person).
FRAMING_PHRASES = (r"\bI'?m after\b|\bI am after\b|\bwe'?re after\b|\b(?:I'?m|I am|we'?re) looking for\b|"
                   r"\bI'?d like to know\b|\bcan you tell me\b|\bdo you know\b|"
                   r"\bunder the freedom of information act(?: 2000)?\b|"
                   # who said what: "The EDP says ...", "A local councillor posted that ..."
                   r"(?:^|(?<=[.?!:;(]\s))(?:(?!\b(?:how|what|which|who|where|when)\b)[^.?!:;]){0,60}?\b(?:says|said|posted|"
                   r"claims|claimed|reported|reports|tweeted|wrote|writes|told (?:me|us)|suggests|suggested)\b(?:\s+that)?|"
                   r"\bto ask (?:the |his |her )?(?:secretary of state|minister)(?: for [\w ]{3,40}?)?(?:,|(?=\s+(?:what|how|whether)\b))")

# A question that names only a category or level ("how many violent offenders in Kent") asks about the
# people MAPPA manages: the MAPPA-eligible grid.
PEOPLE_MEASURE = "eligible"
# The counts of the people MAPPA manages (on 31 March; over the year at Levels 2 and 3): what every other table
# counts is some of them.
PEOPLE_MEASURES = ("eligible", "eligible_l23")
CATEGORY_NAMES = {1: "sex offender notification", 2: "violent offenders", 3: "other dangerous offenders",
                  4: "terrorism and terrorism risk"}

# ------------------------------------------------------------------------------------------ scope

# Short forms users type for areas: "Devon" is Devon and Cornwall. They name the area in questions only;
# a report mentioning "Manchester" in passing is not thereby a Greater Manchester report.
AREA_SHORT_FORMS: dict[str, str] = {
    "Avon": "Avon and Somerset", "Somerset": "Avon and Somerset", "Bedford": "Bedfordshire",
    "Beds": "Bedfordshire", "Cambs": "Cambridgeshire and Peterborough", "C&P": "Cambridgeshire and Peterborough",
    "P'boro": "Cambridgeshire and Peterborough", "Devon": "Devon and Cornwall",
    "Cornwall": "Devon and Cornwall", "Darlington": "Durham", "Dyfed": "Dyfed-Powys", "Powys": "Dyfed-Powys",
    "Manchester": "Greater Manchester", "GMP": "Greater Manchester", "Isle of Wight": "Hampshire",
    "Hants": "Hampshire", "Herts": "Hertfordshire", "Hull": "Humberside", "Leicester": "Leicestershire",
    "Rutland": "Leicestershire", "Lincs": "Lincolnshire", "Liverpool": "Merseyside", "Northants": "Northamptonshire",
    "Notts": "Nottinghamshire", "Nottingham": "Nottinghamshire", "Staffs": "Staffordshire", "Thames": "Thames Valley",
    "Birmingham": "West Midlands", "Mercia": "West Mercia", "Wilts": "Wiltshire", "Gloucester": "Gloucestershire",
    "Lincoln": "Lincolnshire", "Northampton": "Northamptonshire", "Derby": "Derbyshire", "Stafford": "Staffordshire",
    "Warwick": "Warwickshire", "Newcastle": "Northumbria", "Tyneside": "Northumbria", "Middlesbrough": "Cleveland",
    "Leeds": "West Yorkshire", "Londoners": "London", "Bradford": "West Yorkshire", "Sheffield": "South Yorkshire",
    "Met": "London", "the capital": "London",
}

# Short forms that are also English words: an area only as written with a capital ("short-term beds" is no
# Bedfordshire, "staffs" no Staffordshire).
SHORT_FORMS_THAT_ARE_WORDS = frozenset({"Beds", "Hull", "Staffs", "Wilts", "Derby", "Met"})

# Scopes wider than one area, or across areas: the reports hold each area's figures only.
WIDER_SCOPES = (
    r"england\s*(?:and|&)\s*wales|\bnational(?:ly| total| figures?| level)?\b|\bnationwide\b|\bcountry\b|"
    r"\bthe uk\b|\buk\b|united kingdom|\bbritain\b|\bgb\b|\bengland\b|(?<!north )(?<!south )\bwales\b|"
    r"\bwelsh\b|scotland|scottish|northern ireland|(?<!north )(?<!south )(?<!west )\byorkshire\b|"
    r"(?<!west )\bmidlands\b|east anglia|\bthe north(?: east| west)?\b|\bthe south(?: east| west)?\b|"
    r"home counties|\bregion(?:al|ally)?\b"
)
# A national report (England and Wales as a whole) has this as its area; these words ask for it.
NATIONAL_SCOPE = "England and Wales"
NATIONAL_WORDS = r"england\s*(?:and|&)\s*wales|\bnational(?:ly| total| figures?| level)?\b|\bnationwide\b"
# Scopes inside an area: the reports give each area's figures as a whole.
SUB_AREA_WORDS = (
    r"\bboroughs?\b|\bdistricts?\b|\bconstituenc(?:y|ies)\b|\bwards?\b|\bpolice divisions?\b|\bdivisional\b|"
    r"\btowns?\b|\bcity\b|\bcounty council\b|\blocal authorit(?:y|ies)\b|\bpostcodes?\b|\bneighbourhoods?\b|"
    r"\bvillages?\b|\bcouncil area\b|\bparish\b|\b(?:not|excluding|without|apart from) the rest of\b"
)

# Words that leave a named area out of what is asked ("Leaving London aside, which area had the most",
# "excluding Norfolk"): written before the area, or after it.
EXCLUDING_BEFORE = ("excluding", "except", "except for", "apart from", "aside from", "other than", "besides",
                    "leaving out", "leave out", "setting aside", "putting aside", "ignoring", "not counting",
                    "not including", "discounting", "bar", "barring")
EXCLUDING_AFTER = ("aside", "excluded", "left out", "apart")

# Breakdowns and quantities no national table holds. A question asking for a figure with one of these
# is refused (with the nearest figure held) unless what it matched counts exactly that.
MONTH = "month or quarter"
SNAPSHOT_MONTH = "in march"  # the snapshot tables count on 31 March: "in March 2025" is their day, not a month's count
UNHELD: dict[str, str] = {
    "sex or gender": r"\bgender\b|\bby sex\b|\bfemales?\b|\bmales?\b|\bwom[ae]n\b|\bmen\b|\bgirls\b|\bboys\b",
    "age": r"\bby age\b|\bages?d?\b|\bunder[\s-]*(?:18|eighteen|21|25)s?\b|\bover\s*(?:50|60|65|70)\b|\bjuveniles?\b|"
           r"\byoung (?:people|offenders|adults)\b|\bteenagers?\b|\belderly\b|\bpensioners?\b|\bchildren\b|\bminors?\b",
    "ethnicity or nationality": r"\bethnic\w*\b|\brace\b|\bracial\b|\bnationalit\w+\b|\bforeign nationals?\b|"
                                r"\bblack\b|\basian\b|\bwhite\b|\breligio\w+\b|\bimmigra\w+\b",
    "offence type": r"\bconvicted of (?!breach|failing|not\b)|\bchild (?:sex(?:ual)? )?(?:abuse|offen\w+)|\bagainst children\b|"
                    r"\boffen[cs]e types?\b|\btype of (?:offen[cs]e|crime)\b|\bby offen[cs]e\b|\brapes?\b|"
                    r"\bindecent images?\b|\bonline (?:offen\w+|abuse|grooming|sexual)|\binternet offen\w+|\bmurder\w*\b|\bgrooming\b|\bstalking\b|"
                    r"\bdomestic (?:abuse|violence)\b|\bknife\b|\bgang\w*\b|\bexploitation\b",
    MONTH: r"\b(?:in|during|for) (?:january|february|march|april|may|june|july|august|september|october|"
                        r"november|december)\b(?! 20\d\d (?:to|-|–) )|\bmonthly\b|\b(?:per|each|every|by|a|last|this|which) month\b|\bmonth by month\b|\bquarter(?:ly|s)?\b|\bweek(?:ly|s)?\b|\bdaily\b|\bper day\b",
    "whereabouts": r"\bmissing\b|\bwanted\b|\babscond\w*\b|\bwhereabouts\b|\bon the run\b|\bunlawfully at large\b|"
                   r"\bdisappeared\b|\blost track\b",
    "reoffending": r"\breoffen\w*\b|\bre-offen\w*\b|\breconvict\w*\b|\bfurther (?:serious )?offen[cs]es?\b|"
                   r"\bnew offen[cs]es?\b|\bcommitted (?:a |another )?(?:further |new |serious )?(?:crime|offen[cs]e)s?\b|"
                   r"\bserious further offen[cs]es?\b|\bsfos?\b|\bvictims?\b",
    "visits, checks or surveillance": r"\bvisits?\b|\bvisited\b|\bhome checks?\b|\bsurveillance\b|\btagg(?:ed|ing)\b|"
                                      r"\belectronic monitoring\b|\bpolygraph\w*\b|\bdevices? checked\b",
    "money or staff": r"\bcosts?\b|\bcost of\b|\bbudget\w*\b|\bspen[dt]\w*\b|\bfunding\b|\b£|\bstaff\w*\b|"
                      r"\bofficers\b|\bemployees\b|\bsalar\w+\b",
    "housing or employment": r"\bhomeless\w*\b|\bhoused\b|\bhostels?\b|\bapproved premises\b|\bemploy(?:ed|ment)\b|"
                             r"\bjobs?\b|\bbenefits\b",
    "whether in custody or in the community (the tables count people living in the community)":
        r"(?<!back )(?<!returned )(?<!recalled )\b(?:in|held in|serving .{0,20} in) (?:custody|prison|jail|gaol)\b|\bimprisoned\b|\bincarcerated\b|\bbehind bars\b|"
        r"\bdetained\b|\bin hospital\b",
    "serious case reviews (no table counts them)": r"\bserious case reviews?\b|\bscrs?\b",
    "deaths or deportations": r"\bdied\b|\bdeaths?\b|\bdeport\w*\b|\bsuicides?\b",
    # an area's population, not "the register population" (the people counted)
    "the population itself (the reports give figures per 100,000 of it)":
        r"(?:\b\w+)?['’]s (?:total |resident |whole )?population\b|\b(?:the area|the county|total|general|resident|whole) "
        r"population\b|\bpopulation of (?:the )?(?!register|sex|registered|mappa|offenders)\w+|\binhabitants\b|"
        r"\bhow many (?:people|residents) live\b",
    "averages or lengths (the tables give counts)": r"\baverage\b|\bmedian\b|\bmean (?:length|duration|time|age|number)\b|"
                                                     r"\b(?:length|duration) of\b",
    "a level above 3 or a category above 4 (MAPPA has Levels 1 to 3 and Categories 1 to 4)":
        r"\b(?:level|lvl)\s*(?:[4-9]|\d\d+|four|five|six|seven|eight|nine|ten)\b|"
        r"\bcat(?:egory)?\.?\s*(?:[5-9]|\d\d+|five|six|seven|eight|nine|ten)\b",
    "a category described by what it is not": r"\b(?:aren't|are not|isn't|is not|not|non-?|neither|outside (?:of )?(?:the )?)\s*"
                                              r"(?:registered sex|sex|violent|other dangerous|category)",
    "appeals and applications": r"\bapplied\b|\bapplications? (?:made|received|submitted|for)\b|\brefused\b|\brejected\b|"
                                r"\bturned down\b|\bdeclined\b|\bunsuccessful\b|"
                                r"\bapplications?\b(?=[^.?]{0,150}\breceiv)|\breceiv\w*\b(?=[^.?]{0,40}\bapplications?\b)",
    "kind of order (the tables count all orders imposed)": r"\binterim\b|\bstand-?alone\b|\bfree-?standing\b|"
                                                          r"\bon (?:an )?application (?:by|from|of)\b|"
                                                          r"\bapplications? (?:by|from) (?:the )?(?:police|chief)|"
                                                          r"\bfull (?:shpos?|orders?)\b|\bvariations?\b|\bvaried\b|\brenewed\b|\bdischarged\b",
}

# Quantities users ask for that no national table counts, described like the measures: a question that
# matches one of these best is refused (with the nearest figure held), never answered with a neighbour
# ("SROs granted" is not "became subject to notification after breaching an SRO").
NOT_IN_TABLES: dict[str, Measure] = {
    m.id: m for m in (
        Measure("sro_made", "Sexual Risk Orders (SROs) made", "year",
                terms="SRO sexual risk orders granted imposed made issued applied for by the courts"),
        Measure("rsho_made", "Risk of Sexual Harm Orders (RSHOs) made", "year",
                terms="RSHO risk of sexual harm orders granted imposed made issued by the courts"),
        Measure("in_custody", "MAPPA-eligible individuals in prison or detained in hospital", "snapshot",
                terms="in prison in custody behind bars serving a sentence inside detained hospital mental health act "
                      "sectioned secure hospital"),
        Measure("notification_ended", "individuals whose fixed notification period ended", "year",
                terms="came off dropped off left the register fixed notification period ended expired ran out came to an "
                      "end time limited"),
        Measure("orders_refused", "applications for orders refused by the courts", "year",
                terms="applications refused turned down rejected declined unsuccessful by the courts"),
        Measure("order_breach_sanctioned", "individuals convicted or cautioned for breaching a SHPO, SOPO or SRO", "year",
                terms="convicted prosecuted cautioned charged sentenced found guilty for breach breaching breached of "
                      "SHPO SOPO SRO sexual harm prevention order sexual risk order court order"),
        Measure("travel_notified", "registered sex offenders who notified the police of foreign travel", "year",
                terms="notified informed the police of foreign travel trips abroad holidays travel notifications "
                      "registered sex offenders"),
        Measure("meetings", "MAPPA meetings held", "year",
                terms="meetings held panels level 2 and 3 meetings convened multi agency meetings"),
    )
}

def described(measure: str) -> Measure:
    """A measure of the template or of NOT_IN_TABLES, by id."""
    return MEASURES.get(measure) or NOT_IN_TABLES[measure]


# When the question places the count: at one moment (orders "in force") or over the year ("during").
POINT_IN_TIME = (r"\bin force\b|\bcurrently\b|\bat present\b|\bright now\b|\btoday\b|\bstill (?:subject|under|on)\b|"
                 r"\bactive\b|\blive orders?\b|\bat any one time\b|\bin place\b(?<!put in place)")
OVER_THE_YEAR = (r"\bduring\b|\b(?:over|across|through|for) the (?:course of the |whole |entire |full )?(?:year|of)\b|"
                 r"\bthroughout\b|\bin the course of\b|\byearly\b|\bwent through\b|"
                 r"\bannual(?:ly)?\b(?! report)|\bin the year\b|\bacross the year\b|\bin total over\b|\bper year\b|"
                 r"\ba year\b|\bat (?:some|any) (?:point|time|stage)\b")


def _load_places() -> list[tuple[str, bool]]:
    text = files("qa").joinpath("data/places.txt").read_text(encoding="utf-8")
    return [(line.lstrip("="), line.startswith("=")) for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def _scope_patterns() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """One pattern for every name a question may scope itself by, longest first, and what each name is."""
    kinds: dict[str, tuple[str, str]] = {}  # lower-case name -> (kind, canonical)
    exact: set[str] = set()
    for name, case_sensitive in _load_places():
        kinds.setdefault(name.lower(), ("place", name))
        if case_sensitive:
            exact.add(name)
    for name, area in AREA_SHORT_FORMS.items():
        kinds[name.lower()] = kinds[name.lower().replace("'", "")] = ("area", area)  # "P'boro", "pboro"
        if name in SHORT_FORMS_THAT_ARE_WORDS:
            exact.add(name)
    for name, area in _ALIASES:
        kinds[name.lower()] = ("area", area)
    names = sorted(kinds, key=len, reverse=True)
    alternatives = []
    for name in names:
        original = next((e for e in exact if e.lower() == name), None)
        pattern = re.escape(original) if original else "(?i:" + re.escape(name).replace("'", "['’]?") + ")"
        alternatives.append(pattern.replace("\\ ", r"\s+"))
    return re.compile(r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])"), kinds


def find_scopes(text: str) -> list[tuple[str, str, int, int]]:
    """Every area, short form of an area and other UK place a question names, as (kind, name, start, end):
    kind "area" with the canonical area, or "place" with the place's name. Longest names win, so
    "East Sussex" is a place, "North Wales" an area, and "Wales" neither (see WIDER_SCOPES). (A misspelt
    area name, "chesire", is put right before: qa.spelling.)"""
    pattern, kinds = _scope_patterns()
    found = []
    for match in pattern.finditer(text):
        name = " ".join(match.group(1).replace("’", "'").split()).lower()
        kind, canonical = kinds.get(name) or kinds.get(name.replace("'", "")) or ("place", match.group(1))
        found.append((kind, canonical, match.start(), match.end()))
    return sorted(found, key=lambda item: item[2])


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The lower-case words of the UK places a question may name (no misspelling of a domain word)."""
    return frozenset(word for name, _ in _load_places() for word in re.findall(r"[a-z]+", name.lower()))
