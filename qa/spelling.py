"""Slips of typing in a question, put right before it is read: "eligable" -> "eligible", "registerd" ->
"registered", "peterbrough" -> "peterborough", "Norflok" -> "norfolk".

A word is corrected only when it is no domain word (what the tables count, the areas), no UK place, in no
indexed passage and no English word ("whole" is not "whose"), and a domain word starting with the same letter
is within one edit (two for words of eight letters or more; swapping two neighbouring letters is one edit).
Words of fewer than five letters are left alone: too many short words are a letter apart. The edit distance is
rapidfuzz's; the English words are pyspellchecker's, loaded only when a word is that close to a domain word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from .vocabulary import (
    AREA_SHORT_FORMS,
    AREAS,
    CATEGORY_NAMES,
    GENERIC_WORDS,
    MEASURES,
    NOT_IN_TABLES,
    place_words,
)

MIN_LENGTH = 5
_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def domain_words() -> frozenset[str]:
    """Lower-case words of five letters or more that name what the tables count, and the areas."""
    texts = [GENERIC_WORDS, *CATEGORY_NAMES.values(), *AREA_SHORT_FORMS]
    texts += [name for area, aliases in AREAS.items() for name in (area, *aliases)]
    texts += [f"{m.label} {m.terms} {m.names}" for m in (*MEASURES.values(), *NOT_IN_TABLES.values())]
    return frozenset(w for text in texts for w in _WORD.findall(text.lower()) if len(w) >= MIN_LENGTH)


def corrections(words: Iterable[str], known: Callable[[list[str]], set[str]]) -> dict[str, str]:
    """Misspelt word (lower case) -> the domain word meant, for those of `words` that are neither domain words
    nor places nor `known` (a lookup of the indexed passages' vocabulary, given lower-case words)."""
    lexicon, places = domain_words(), place_words()
    unknown = list(dict.fromkeys(w.lower() for w in words if len(w) >= MIN_LENGTH))
    unknown = [w for w in unknown if w not in lexicon and w not in places]
    if not unknown:
        return {}
    unknown = [w for w in unknown if w not in known(unknown)]
    if not unknown:
        return {}
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    fixed = {}
    for word in unknown:
        cutoff = 2 if len(word) >= 8 else 1
        same_start = sorted(w for w in lexicon if w[0] == word[0])  # sorted: ties go the same way every run
        best = process.extractOne(word, same_start, scorer=OSA.distance, score_cutoff=cutoff)
        if best is not None:
            fixed[word] = best[0]
    english = _english().known(fixed) if fixed else set()
    return {word: meant for word, meant in fixed.items() if word not in english}


@lru_cache(maxsize=1)
def _english():
    from spellchecker import SpellChecker

    return SpellChecker(language="en")


def correct(text: str, known: Callable[[list[str]], set[str]]) -> str:
    """`text` with its misspelt words replaced by the domain words meant (see `corrections`)."""
    fixed = corrections(_WORD.findall(text), known)
    if not fixed:
        return text
    return _WORD.sub(lambda m: fixed.get(m.group(0).lower(), m.group(0)), text)
