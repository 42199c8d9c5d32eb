"""Words for lexical search: case, plurals and the abbreviations MAPPA readers type, made to match."""

from __future__ import annotations

import re

# Abbreviations -> the words they stand for; both sides end up in the tokens, so "SHPOs" finds
# "Sexual Harm Prevention Order" and the other way round.
ABBREVIATIONS = {
    "shpo": "sexual harm prevention order",
    "sopo": "sexual offences prevention order",
    "sro": "sexual risk order",
    "rsho": "risk of sexual harm order",
    "rosho": "risk of sexual harm order",
    "fto": "foreign travel order",
    "nos": "notification orders",  # "SOPOs, NOs & FTOs imposed by the courts" (2014/15 tables)
    "rso": "registered sex offender",
    "pdp": "potentially dangerous person",
    "smb": "strategic management board",
    "dtc": "duty to co-operate",
    "mappa": "multi-agency public protection arrangements",
    "visor": "violent and sex offender register",
    "ons": "office for national statistics",
    "mosovo": "management of sexual or violent offenders",
    "trsg": "training and research sub-group",
    "dwp": "department for work and pensions",
    "cpd": "continuing professional development",
    "nps": "national probation service",
    "ldu": "local delivery unit",
    "ap": "approved premises",
    "vlo": "victim liaison officer",
    "met": "metropolitan police",
    "mps": "metropolitan police service",
}

STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their", "they", "them", "what", "which", "who", "whom", "whose", "how", "many", "much", "did", "does", "do", "has", "have", "had", "i", "we", "you", "our", "your", "me", "my", "about", "into", "than", "then", "so", "if", "not", "no", "any", "all", "can", "could", "would", "should", "will", "shall", "may", "might"]
)

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A light plural stemmer: "offenders" -> "offender", "shpos" -> "shpo", "authorities" -> "authority"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text`, each abbreviation followed by its expansion's words."""
    tokens: list[str] = []
    for word in _WORD.findall(text.lower().replace("’", "'").replace("'s", "")):
        if word in STOPWORDS:
            continue
        word = stem(word)
        tokens.append(word)
        if word in ABBREVIATIONS:
            tokens.extend(stem(w) for w in _WORD.findall(ABBREVIATIONS[word]) if w not in STOPWORDS)
    return tokens
