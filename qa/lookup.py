"""Finding the figure a question asks for: rank what the in-scope facts count by their descriptions, then
read the cell the question names.

Two levels, because they answer different things. What is counted (a measure, or a printed table row)
is ranked by how well its description (qa.facts.series_text) matches the question's terms: lexically,
with each word weighted by how rare it is among all descriptions, and, when that is not decisive, by the
embedding model. Category and level words never take part in that ranking (they would outvote what is
counted); they pick the cell afterwards. Pure functions: the index hands in the candidates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .facts import Fact
from .text import ABBREVIATIONS, tokenize
from .vocabulary import GENERIC_WORDS, MEASURES, REPLACED_BY, counterpart, described

TIE_BREAK = 0.05  # weight of the naming words a question leaves out: among equal matches, the plainest wins
MIN_COVERAGE = 0.3  # below this share of the question's term weight, no figure matches
MIN_MARGIN = 0.15  # the best must beat the second by this share of its score to be decisive on words alone
DENSE_WEIGHT = 0.5  # weight of cosine similarity beside lexical coverage when words are not decisive


@dataclass(frozen=True)
class Series:
    """What some facts count: one measure of the template, or one row of another table."""

    id: int
    text: str
    tokens: frozenset[str]  # the roots of its description's words
    label: frozenset[str]  # the roots of the words that name it: its measure's label, or its printed row
    measure: str | None
    ids: tuple[int, ...] = ()  # the stored descriptions it stands for (one per wording a report printed)


@dataclass(frozen=True)
class Match:
    """A series with how well it matches a question."""

    series: Series
    score: float  # what ranks it
    coverage: float  # share of the question's term weight that its description holds, 0..1
    dense: float | None = None  # cosine similarity, when the embedding model was asked
    held: float = 0.0  # weight of the question's terms its description holds
    left_out: float = 0.0  # weight of its naming words the question does not use


GENERIC = frozenset(tokenize(GENERIC_WORDS))


def series_label(measure: str | None, row: str) -> frozenset[str]:
    """The roots of the words that name a series, less those every series shares."""
    return roots(tokenize(described(measure).label if measure else row)) - GENERIC_ROOTS


def root(token: str) -> str:
    """A word's root for matching descriptions: "managed", "management", "managing" -> "manag"; "convictions",
    "convicted" -> "convict" (passages keep the
    lighter stemming of qa.text; descriptions are short, so a looser match costs nothing here)."""
    for endings in (("ment",), ("ing", "ed", "es", "e", "s")):
        for ending in endings:
            if len(token) > len(ending) + 3 and token.endswith(ending):
                token = token[: -len(ending)]
                break
    if len(token) > 7 and token.endswith(("tion", "sion")):  # "conviction" -> "convict", as "convicted"; not "caution"
        token = token[:-3]
    return token


def roots(tokens) -> frozenset[str]:
    return frozenset(root(t) for t in tokens)


GENERIC_ROOTS = roots(tokenize(GENERIC_WORDS))
_SPELT_OUT = {root(short): roots(tokenize(words)) for short, words in ABBREVIATIONS.items()}


def idf_table(token_lists: list[frozenset[str]]) -> dict[str, float]:
    """BM25's idf of each root over the descriptions (given as sets of roots): roots every description has weigh almost nothing. A word
    no description holds ("") weighs the median: most such words are how people talk, not what they count."""
    n = len(token_lists)
    df: dict[str, int] = {}
    for tokens in token_lists:
        for token in tokens:
            df[token] = df.get(token, 0) + 1
    idf = {token: math.log(1 + (n - d + 0.5) / (d + 0.5)) for token, d in df.items()}
    return idf | {"": sorted(idf.values())[len(idf) // 2] if idf else 1.0}


def rank_lexical(terms: tuple[str, ...], candidates: list[Series], idf: dict[str, float]) -> list[Match]:
    """Candidates by the weight of the question's terms their descriptions hold, best first; among equal
    ones, the one whose naming words the question leaves out least ("SHPOs" is SHPOs, not SHPOs with a
    foreign travel restriction). Unknown words weigh the most."""
    wanted = roots(terms)
    unseen = idf[""]
    total = sum(idf.get(t, unseen) for t in wanted) or 1.0
    # "foreign travel orders" spelt out does not leave out "FTO".
    named = wanted | {short for short, words in _SPELT_OUT.items() if words <= wanted}
    matches = []
    for series in candidates:
        held = sum(idf.get(t, unseen) for t in wanted & series.tokens)
        left_out = sum(idf.get(t, unseen) for t in series.label - named)
        matches.append(Match(series, held - TIE_BREAK * left_out, held / total, None, held, left_out))
    return sorted(matches, key=lambda m: (-m.score, m.series.id))


def decisive(matches: list[Match]) -> bool:
    """Whether the best lexical match wins clearly enough to answer without asking the embedding model."""
    if not matches or matches[0].coverage < MIN_COVERAGE:
        return False
    if len(matches) == 1:
        return True
    best, second = matches[0], matches[1]
    if abs(best.held - second.held) < 1e-9:
        return best.left_out < second.left_out
    return best.held - second.held >= MIN_MARGIN * best.held


def rerank_dense(matches: list[Match], similarity: dict[int, float]) -> list[Match]:
    """Lexical score (as a share of the best) plus weighted cosine similarity (series id -> cosine), best first."""
    top = max((m.score for m in matches), default=0.0)
    scored = [Match(m.series, (m.score / top if top > 0 else 0.0) + DENSE_WEIGHT * similarity.get(m.series.id, 0.0),
                    m.coverage, similarity.get(m.series.id), m.held, m.left_out) for m in matches]
    return sorted(scored, key=lambda m: (-m.score, m.series.id))


def good_enough(match: Match) -> bool:
    """Whether a match, lexical or reranked, describes what the question asks about at all: enough of the
    question's words are in its description (cosine similarity between short texts and these long
    descriptions is too flat to decide that alone; it only reorders)."""
    return match.coverage >= MIN_COVERAGE


# ------------------------------------------------------------------------------------------ cells

@dataclass(frozen=True)
class Figure:
    """A value for one report, with the facts it comes from (two when cautioned + convicted are added)."""

    area: str | None
    period: str | None
    value: float | int | None
    facts: tuple[Fact, ...]
    note: str | None = None


def fmt(value: float | int | None) -> str:
    """A figure as an answer prints it: "1,444", "2.5", or "not applicable (-)" for a "-" cell."""
    if value is None:
        return "not applicable (-)"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def cell_of(facts: list[Fact], category: int | None, level: int | None, terms: tuple[str, ...] = ()) -> Fact | None:
    """The fact of one series and report at the cell a question names: its category and level (Total when
    it names none) for a grid, its only figure for a single-figure row, and for another table's row the
    column whose printed label the question's words match (else a Total column, else the only one)."""
    if not facts:
        return None
    measure = facts[0].measure
    if measure and MEASURES[measure].grid:
        exact = next((f for f in facts if f.category == category and f.level == level), None)
        if exact or category is None:
            return exact
        # "Breach of SHPO" rows give totals by level only: SHPOs are Category 1 orders, so the total is it.
        return next((f for f in facts if f.category is None and f.level == level), None) if measure.startswith(
            "custody_s") and category == 1 else None
    if len(facts) == 1:
        return facts[0]
    wanted = set(terms)
    by_words = sorted(facts, key=lambda f: -len(wanted & set(tokenize(f.column or ""))))
    if wanted & set(tokenize(by_words[0].column or "")):
        return by_words[0]
    return next((f for f in facts if "total" in (f.column or "").lower()), None)


def figure_of(facts: list[Fact], category: int | None, level: int | None, terms: tuple[str, ...],
              combined: list[Fact] = ()) -> Figure | None:
    """The figure one report gives at a cell, or None. `combined` are the report's cautioned and convicted
    facts, added up when the series asked for is their combined figure and the report splits it."""
    if found := cell_of(facts, category, level, terms):
        return Figure(found.area, found.period, found.value, (found,))
    if len(combined) == 2:
        total = sum(f.value or 0 for f in combined)
        note = (f"The {combined[0].area} {combined[0].period} report gives cautioned ({fmt(combined[0].value)}) and "
                f"convicted ({fmt(combined[1].value)}) separately; this is their sum.")
        return Figure(combined[0].area, combined[0].period, total, tuple(combined), note)
    return None


def replacement_note(measure: str | None, terms: tuple[str, ...], period: str | None) -> str | None:
    """When the question names the order a report's measure replaced or was replaced by (SHPOs and SOPOs,
    SROs and RSHOs, in March 2015), say which one the report counts."""
    other = counterpart(measure)
    if other is None:
        return None
    own, theirs = set(tokenize(MEASURES[measure].label)), set(tokenize(MEASURES[other].label))
    wanted = set(terms)
    if not wanted & (theirs - own) or wanted & (own - theirs):
        return None
    new, old = (measure, other) if REPLACED_BY.get(measure) == other else (other, measure)
    return (f"{MEASURES[new].label} replaced {MEASURES[old].label} in March 2015; the {period} report "
            f"counts {MEASURES[measure].label}, so this is that figure.")
