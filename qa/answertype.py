"""What a passage question asks for, and where a sentence holds an item of that type.

"Who chairs the board" asks for a person, "when was the role introduced" for a date, "how many chairs were
trained" for a count of chairs, "what percentage" for a share, "how often" for a frequency, "where" for a
place, "on what page" for a page. The reranker prefers passages holding such an item, and the answer is the
sentence that holds one. Pure regular expressions over the text: no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .text import STOPWORDS, stem, tokenize

PERSON, DATE, COUNT, SHARE, DURATION, FREQUENCY, PLACE, PAGE, EXPANSION, NAME, PHONE, REASON = (
    "person", "date", "count", "share", "duration", "frequency", "place", "page", "expansion", "name", "phone", "reason")


# Kinds whose items a sentence holds or lacks plainly (not a capitalised name, which most sentences hold), so
# that an answer sentence lacking one may be read with the neighbour that has it; a reason has no item: the
# sentence after the statement a "why" question matches gives it.
NEIGHBOURED_KINDS = frozenset([PERSON, DATE, COUNT, SHARE, DURATION, FREQUENCY, PHONE, REASON])


@dataclass(frozen=True)
class Wanted:
    """The type of item a question asks for; for a count the words of what is counted ("chairs"), for an
    expansion the abbreviation ("MARAC")."""

    kind: str
    noun: tuple[str, ...] = ()


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


_MONTH_WORD = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
               r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)")
_MONTH = _MONTH_WORD + r"\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_NUMBER_WORDS = _words("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                       "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                       "hundred thousand dozen")
_NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?|(?:{'|'.join(_NUMBER_WORDS)})(?:[- ](?:{'|'.join(_NUMBER_WORDS)}))*)"

# Titles before a surname or an initial ("Dr Smith", "Mr A"), and ranks before a full name ("DC Phil Preston").
_HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Professor|Prof|Emeritus Professor|Sir|Dame|Lord|Lady|Baroness|Cllr|Rev|Revd)\.?"
_RANK = (r"(?:DC|DS|DI|DCI|DSI|DCS|Det|Supt|Ch Supt|Chief Superintendent|Superintendent|Chief Inspector|Inspector|"
         r"Sergeant|PC|ACC|DCC|CC|Chief Constable|Commander|Commissioner|Councillor)\.?")
_CAP = r"[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"
# Capitalised words that name institutions, roles and sections, never a person.
_NOT_NAMES = frozenset(_words("""
mappa annual report introduction foreword chair chairs chairman chairperson vice head deputy director assistant
chief constable constabulary police probation prison prisons service services board boards strategic management
unit team group sub subgroup national local public protection authority authorities responsible agency agencies
department ministry office trust trusts council county borough city region regional area areas division
the this that these those our we in on at for of and to by with from as a an all most many some each every it
level levels category categories case study background outcome actions summary contents page section appendix
lay adviser advisor advisers advisors member members chairs manager managers officer officers coordinator
health care social housing education youth justice criminal court courts act acts home secretary state his her
majesty majesty's hmpps nhs dwp victim victims liaison offender offenders individuals people statistics
england wales north south east west central greater metropolitan mps met street road house
january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday during since within after before while although however also
multi training research development performance governance equality diversity looking ahead operational
digital partnership partners safeguarding children adults domestic abuse serious further key new next first
"""))

# "offenders who breach": a relative clause, not a question about a person.
_NOT_RELATIVE = "".join(f"(?<!{word} )" for word in _words(
    "offender offenders people person persons individual individuals those anyone someone nominals rsos men women "
    "perpetrator perpetrators victim victims staff officer officers agencies partners professionals children adults"))

_WANTS: list[tuple[str, re.Pattern]] = [
    (EXPANSION, re.compile(r"\bwhat (?:does|do|did) (?:the )?(?:abbreviation |acronym )?([A-Za-z][A-Za-z0-9]{1,9})s? "
                           r"(?:stand for|mean)\b|\b(?:what is|what's) ([A-Za-z][A-Za-z0-9]{1,9}) short for\b|"
                           r"\bfull (?:name|form) of (?:the )?([A-Za-z][A-Za-z0-9]{1,9})\b", re.IGNORECASE)),
    (PAGE, re.compile(r"\b(?:what|which) pages?\b|\bpage (?:number|no\.?)\b|"
                      r"\bwhere in (?:the |this |that )?(?:[\w/'’-]+ ){0,6}?(?:report|document)\b|"
                      r"\bwhere (?:is|are|does|do) (?:the )?[\w '’-]{2,60} (?:section|chapter)\b|"
                      r"\bon (?:what|which) pages?\b", re.IGNORECASE)),
    (PHONE, re.compile(r"\b(?:tele)?phone (?:number|no\.?)|\b(?:contact|helpline) number\b|\bnumbers? (?:to|should I) call\b|"
                       r"\bwhat (?:number|phone) (?:do|does|should|can|to)\b.*\b(?:call|ring|phone)\b", re.IGNORECASE)),
    # "what number does the report give for Victim Support": the number of a service, to call.
    (PHONE, re.compile(r"(?i:\bwhat (?:number|numbers)\b)(?! (?i:of)\b)[^?]*\b(?i:for|of) (?:the )?(?:[A-Z][\w'’&-]* )*"
                       r"(?:Support|Service|Services|Office|Line|Helpline|Team|Unit|Centre|Center|Trust|Samaritans|Police|"
                       r"Probation|Council|Authority|Board|Hub|Project)\b")),
    (SHARE, re.compile(r"\bwhat (?:percentage|proportion|share|per ?cent)\b|\bhow much of\b|%", re.IGNORECASE)),
    (FREQUENCY, re.compile(r"\bhow (?:often|frequently|regularly)\b|\bhow many times\b", re.IGNORECASE)),
    (DURATION, re.compile(r"\bhow long\b|\bfor how many (?:years|months|weeks|days)\b|"
                          r"\bafter how (?:many|much)\b", re.IGNORECASE)),
    (COUNT, re.compile(r"\bhow (?:many|much)\b|\bwhat (?:number|amount|total)\b|\bthe number of\b", re.IGNORECASE)),
    (DATE, re.compile(r"\bwhen\b|\bwhat (?:date|year|month|day)\b|\bwhich (?:date|year|month|day)\b|"
                      r"\bsince when\b|\bhow long ago\b", re.IGNORECASE)),
    (PERSON, re.compile(_NOT_RELATIVE + r"\bwho(?:m|se)?\b|\bwhich (?:person|officer|chief constable|chair|director|manager|lay "
                        r"advi[sc][eo]r|professor|detective)\b|\b(?:name|names) (?:of )?the\b|\bsigned\b",
                        re.IGNORECASE)),
    (PLACE, re.compile(r"\b(?:which|what) (?:town|city|county|borough|village|place|venue|location)\b", re.IGNORECASE)),
    # "which project", "what inspection did": a named thing, written in capitals.
    (NAME, re.compile(r"\bwhich (?!of\b|is\b|are\b|was\b|were\b)\w+|\bwhat (?!does\b|do\b|did\b|is\b|are\b|was\b|"
                      r"were\b|has\b|have\b|had\b|about\b|happen)\w+(?: \w+)? (?:did|does|do|is|are|was|were|has|have)\b",
                      re.IGNORECASE)),
    (PLACE, re.compile(r"\bwhere\b(?! in the (?:report|document))|\bwhich (?:town|city|county|borough|place|"
                       r"venue|location)\b|\bwhat (?:town|city|county|place|location)\b",
                       re.IGNORECASE)),
]
_HOW_MANY_NOUN = re.compile(r"\b(?:how many|number of)\s+((?:[\w'-]+\s*){1,4})", re.IGNORECASE)
# Words after "how many" that are not what is counted.
_NOT_NOUNS = frozenset(_words("mappa new main different separate total overall were was are is did does do have "
                              "has had there been being in the of at by"))


def _noun(words: list[str]) -> tuple[str, ...]:
    """The words of what "how many" counts: up to the first verb or function word after one ("how many new
    MAPPA chairs were trained" -> chairs; "how many people attended" -> people attended)."""
    kept: list[str] = []
    for word in words:
        if word in _NOT_NOUNS or word in STOPWORDS:
            if kept:
                break
            continue
        kept.append(word)
    return tuple(dict.fromkeys(kept))


# A word after the counted noun that reads as its verb: "people *attended*", "participants *went*"
_VERB_LIKE = re.compile(r"\w+(?:ed|ing)|went|came|got|made|took|saw|met|ran|gave|left|sent|put|held|brought|found")


def _heads(noun: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a counted noun a count must stand beside: its head (the last word before any verb: not the
    "digital" of "digital device examinations") and the verb after it ("people *attended*")."""
    verbs = [i for i, word in enumerate(noun) if i and _VERB_LIKE.fullmatch(word)]
    head = verbs[0] - 1 if verbs else len(noun) - 1
    return noun[head:]


# The words a question opens with: the first of them says what it asks; "when" or "where" after another one
# opens a clause ("what job did he hold *when* he wrote the foreword").
_WH_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE)


def asked_for(question: str) -> Wanted | None:
    """What a question asks for, or None when it names no type ("describe", "what does X stand for").

    A question opening with "why" asks for a reason, whatever counts or dates it names ("why is the number of
    people on the register going up"); a "when" or "where" after the question's first wh-word opens a clause
    and asks nothing."""
    first = _WH_WORD.search(question)
    if first and first.group(0).lower() == "why":
        return Wanted(REASON)
    for kind, pattern in _WANTS:
        found = pattern.search(question)
        if found and found.group(0).lower() in ("when", "where") and first and first.start() < found.start():
            found = None
        if found:
            noun: tuple[str, ...] = ()
            if kind == EXPANSION:
                noun = (next(g for g in found.groups() if g),)
            if kind == PERSON and (verb := re.search(_NOT_RELATIVE + r"\bwho\s+([a-z]{3,})", question, re.IGNORECASE)):
                noun = (verb.group(1).lower(),)  # "who reviews …": "reviewed by a specialist analyst" answers it
            if kind == COUNT and (match := _HOW_MANY_NOUN.search(question)):
                noun = _noun(re.findall(r"[a-z]+", match.group(1).lower()))
            return Wanted(kind, noun)
    return None


_ITEM_RES: dict[str, re.Pattern] = {
    DATE: re.compile(rf"\b(?:{_DAY}\s+(?:(?:and|&|to|-|–)\s+{_DAY}\s+)?)?{_MONTH}\s+{_YEAR}\b|\b{_DAY}\s+{_MONTH}\b|"
                     rf"\b{_MONTH}\s+{_DAY}\b|\b(?:in|since|from|by|until|before|after)\s+{_YEAR}\b(?!\s*[-/–]\s*\d)|"
                     rf"\b(?:in|since|from|by|until|before|after|during|of)\s+(?:early |late |mid-?)?{_MONTH_WORD}(?![\w-]|\.?,?\s+\d)"),
    SHARE: re.compile(r"\d+(?:\.\d+)?\s*(?:%|per ?cent\b)|\b(?:half|a third|a quarter|two thirds|three quarters)\b",
                      re.IGNORECASE),
    DURATION: re.compile(rf"\b{_NUMBER}\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|hours?)\b|"
                         r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+year\b|"
                         r"\b(?:a|one|two|three) (?:year|month|decade)s?\b", re.IGNORECASE),
    FREQUENCY: re.compile(rf"\b(?:once|twice|{_NUMBER}\s+times)\s+(?:a|per|each|every)\s+\w+|\b(?:daily|weekly|"
                          r"fortnightly|monthly|quarterly|annually|yearly|bi-?annual(?:ly)?|bi-?monthly|six-monthly)\b|"
                          r"\bevery\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?)\b|\bat least\s+\w+\s+times\b",
                          re.IGNORECASE),
    COUNT: re.compile(rf"(?<![\w£$/.-]){_NUMBER}(?![\w/-]|\.\d)", re.IGNORECASE),
    PAGE: re.compile(r"\bpages?\s+\d+\b|(?<=\s)\d{1,3}\s*$"),
    # A UK number as printed: "01228 560057", "0118 974 6000", "01635 524493/4", "0845-123-4567".
    PHONE: re.compile(r"(?<![\w/])(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?:/\d{1,4})?(?![\w/])"),
}
COUNTED_WITHIN = 4  # a count is of a noun within this many words after it ("57 newly appointed MAPPA Chairs")
# A number that names something is no count of it: "Tier 3 Community Accommodation", "Level 2 and 3 meetings",
# "Case Study 2", "section 325"
_LABELLED = re.compile(r"\b(?:tier|level|category|cat|section|part|chapter|phase|stage|step|article|schedule|"
                       r"study|appendix|annex|table|figure|page|no\.?|number|priority|grade|band)s?\s*"
                       r"(?:\d+\s*(?:and|&|or|to|-|,)\s*)*$", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")


def items(kind: str, text: str, noun: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """The character spans in `text` of items of `kind`, in order. A count is a number that is not a year
    (digits or words: "57", "three"); with `noun`, one followed within four words by a word of the noun
    comes first (as written before its stem). A person is a name, with its title when it has one ("ACC Chris Balmer")."""
    if kind == PLACE:
        from .vocabulary import find_scopes

        return [(start, end) for _, _, start, end in find_scopes(text)]
    pattern = _ITEM_RES.get(kind)
    if kind == PERSON:
        return sorted(_names(text) + (_agents(text, noun[0]) if noun else []))
    if kind == EXPANSION:
        return _expansions(text, noun[0]) if noun else []
    if kind == NAME:
        return [(m.start(), m.end()) for m in _PROPER.finditer(text)]
    if pattern is None:
        return []
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if kind == COUNT:
        spans = [s for s in spans if not _YEAR_ONLY.match(text[s[0]:s[1]].replace(",", ""))
                 and not _LABELLED.search(text[max(0, s[0] - 40):s[0]])]
        if noun:  # a count of the noun as written first ("57 … Chairs"), then of its stem ("three … Chair events")
            spans = sorted(spans, key=lambda s: -_counts(noun, text[s[1]:]))
    return spans


def _counts(noun: tuple[str, ...], after: str) -> int:
    """2 when a word of the head of `noun` (`_heads`: "examinations" of "digital device examinations", "people
    attended") as written is among the four words after a number, 1 its stem, else 0: "four digital tools"
    counts no examinations."""
    words = after[:300].split()[:COUNTED_WITHIN]  # four words are never 300 characters
    head = _heads(noun)
    if set(head) & {re.sub(r"\W", "", w.lower()) for w in words}:
        return 2
    return 1 if {stem(w) for w in head} & set(tokenize(" ".join(words))) else 0


_TITLED = re.compile(rf"\b{_HONORIFIC} (?:{_CAP}|[A-Z]\b\.?)(?: {_CAP})?|\b{_RANK} (?P<first>{_CAP}) {_CAP}")
_TWO_OR_THREE = re.compile(rf"\b({_CAP})(?: [A-Z]\.)? {_CAP}(?: {_CAP})?")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Given names (qa/data/first_names.txt, made by scripts/make_first_names.py)."""
    text = files("qa").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _agents(text: str, verb: str) -> list[tuple[int, int]]:
    """Who does what `verb` says, in the passive: "reviewed by a specialist behavioural analyst"."""
    if verb in _AUXILIARY or len(verb) < 4:
        return []
    pattern = rf"\b{re.escape(stem(verb)[:max(4, len(verb) - 2)])}\w*\s+by\s+((?:the|a|an|its|their)\s+)?([^,.;()]{{3,60}}?)(?=[,.;(]|\s+(?:and|to|who|which|for|in|on|at|if)\b|$)"
    return [(m.start(1) if m.group(1) else m.start(2), m.start(2) + len(m.group(2).rstrip()))
            for m in re.finditer(pattern, text, re.IGNORECASE)]


def _names(text: str) -> list[tuple[int, int]]:
    """Spans of person names: a title and a name ("DC Phil Preston", "Mr A"), or a given name and one or
    two capitalised words that do not name an institution or a role ("Alec Wood" in "Alec Wood Chief
    Constable", not "Sexual Harm")."""
    spans = [(m.start(), m.end()) for m in _TITLED.finditer(text) if not m.group("first") or m.group("first") in first_names()]
    for match in _TWO_OR_THREE.finditer(text):
        if match.group(1) not in first_names() or any(a <= match.start() < b for a, b in spans):
            continue
        words = match.group(0).split()
        keep = 1
        while keep < len(words) and words[keep].lower() not in _NOT_NAMES:
            keep += 1
        if keep >= 2:
            spans.append((match.start(), match.start() + len(" ".join(words[:keep]))))
    return sorted(spans)


# Capitalised words run together ("Offender Personality Disorder Pathway", "Prison Service (North West)").
_PROPER = re.compile(r"\b[A-Z][\w’'-]*(?:(?: (?:of|and|for|on|the|&))* [A-Z][\w’'-]*| \([A-Z][\w ’'-]*\))+")


def _initials(words: list[str]) -> str:
    return "".join(part[0] for word in words for part in word.split("-") if part).upper()


def _expansions(text: str, abbreviation: str) -> list[tuple[int, int]]:
    """Where `text` spells `abbreviation` out: "CAS3 (Tier 3 Community Accommodation Service)", or
    "Multi-Agency Risks Assessment Conferences (MARACs)" (the words whose initials make it)."""
    spans = []
    short = re.escape(abbreviation)
    for m in re.finditer(rf"\b{short}s?\s*\(([^)]{{3,120}})\)", text, re.IGNORECASE):
        spans.append((m.start(1), m.end(1)))
    letters = re.sub(r"[^A-Z]", "", abbreviation.upper())
    for m in re.finditer(rf"((?:[\w’'-]+ ){{1,10}})\(\s*{short}s?\s*\)", text, re.IGNORECASE):
        words, taken = m.group(1).split(), []
        for word in reversed(words):
            taken.insert(0, word)
            if len(_initials([w for w in taken if w.lower() not in ("of", "and", "for", "the", "on")])) >= len(letters):
                break
        start = m.start(1) + m.group(1).rfind(" ".join(taken))
        spans.append((start, start + len(" ".join(taken))))
    return sorted(spans)


_AUXILIARY = frozenset(_words("did does do is are was were has have had can could will would should may might "
                              "of in on at for to by with from about the a an it its their his her this that"))
_FOCUS = re.compile(r"\b(?:which|what|whose)\s+((?:[\w'-]+\s*){1,3})|" + _NOT_RELATIVE + r"\bwho(?:m)?\s+([\w'-]+)",
                    re.IGNORECASE)


# Nouns that say what kind of answer is wanted ("what *month*", "which *town*", "what *job* did he hold"), not
# what it is about: the answer names a month, a town or a job, seldom the word itself.
_TYPE_NOUNS = frozenset(_words("month months year years date dates day days time number numbers figure phone telephone "
                               "town city county village place location job role position post title name names"))


def focus(question: str) -> tuple[str, ...]:
    """The words a wh-question is about, as tokens: "which probation division manages ..." -> probation,
    division; "what curfew was ..." -> curfew; "who reviews ..." -> review. The answer sentence is the one
    that holds them (the question's other words are what it says about them)."""
    found = _FOCUS.search(question)
    if not found:
        return ()
    words = []
    for word in re.findall(r"[\w'-]+", found.group(1) or found.group(2)):
        if word.lower() in _AUXILIARY or len(words) == 2:
            break
        if word.lower() not in _NOT_NOUNS | _TYPE_NOUNS and word.lower() != "other":
            words.append(word)
    return tuple(tokenize(" ".join(words)))


# "Who wrote / signed …": the answer is a by-line or a signature, which names its writer but seldom the piece.
_AUTHORED = re.compile(r"\b(?:wrote|written|writes?|signed|signs?|authored|penned)\b", re.IGNORECASE)
SIGNATURE_WORDS = 30  # a name and the role lines under it, read as one (qa.sentences), are at most this long


def asks_author(question: str) -> bool:
    """Whether a question asks who wrote or signed something ("who wrote the … piece", "which chief
    constable signed the report"): a person, named by a by-line or a signature."""
    wanted = asked_for(question)
    return wanted is not None and wanted.kind == PERSON and bool(_AUTHORED.search(question))


def is_signature(text: str) -> bool:
    """Whether `text` is a by-line or a signature: a name first, then at most its role, and no sentence
    ("DC Phil Preston – Digital Tactical Policy Advisor", "Matthew Ryder — Head of Cambridgeshire LDU —
    National Probation Service"; not "Mr A is serving a life sentence.")."""
    names = _names(text)
    return (bool(names) and names[0][0] == 0 and len(text.split()) <= SIGNATURE_WORDS
            and not re.search(r"[.!?;:]\s*$", text))


FIGURE_KINDS = frozenset([COUNT, SHARE])  # kinds whose item is a figure; every other kind's is text


def asks_for_text(question: str) -> bool:
    """Whether a question asks for an item of the text (a name, a person, a phone number, a date, a page …),
    not a figure: "which Act requires the statistics section", "what number does it give for Victim Support"."""
    wanted = asked_for(question)
    return wanted is not None and wanted.kind not in FIGURE_KINDS


def holds(wanted: Wanted | None, text: str) -> bool:
    """Whether `text` holds an item of the type asked for (a count: with the noun, when one was named)."""
    if wanted is None:
        return False
    if wanted.kind == COUNT and wanted.noun:
        return any(_counts(wanted.noun, text[end:]) > 0 for _, end in items(COUNT, text))
    if wanted.kind == PERSON:  # a name, else who does what the question's verb says
        return bool(_names(text)) or bool(wanted.noun and _agents(text, wanted.noun[0]))
    return bool(items(wanted.kind, text, wanted.noun))
