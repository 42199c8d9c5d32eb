"""Answers: the records users get back, and how facts or passages become one.

Pure functions: they receive the facts and passages the index found for a question's scope and never
reach outside it, so an answer can only cite what it was given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .answertype import (
    COUNT,
    NAME,
    NEIGHBOURED_KINDS,
    REASON,
    Wanted,
    asked_for,
    asks_author,
    focus,
    holds,
    is_signature,
    items,
)
from .columns import passage_order
from .facts import Fact
from .lookup import Figure, fmt
from .query import Query
from .rerank import question_weights, root, roots
from .sentences import split_sentences, with_neighbour
from .text import tokenize
from .vocabulary import CATEGORY_NAMES, MEASURES, UNHELD


@dataclass(frozen=True)
class Citation:
    """A cited span of a report: `text` is exactly lines `lines[0]`..`lines[1]` (1-based) of `doc`."""

    doc: str
    title: str
    area: str | None
    period: str | None
    section: str
    lines: tuple[int, int]
    text: str
    score: float
    pages: tuple[int, int] | None = None  # the PDF pages the lines are on; None for other formats

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "title": self.title,
            "area": self.area,
            "period": self.period,
            "section": self.section,
            "lines": list(self.lines),
            "pages": list(self.pages) if self.pages else None,
            "text": self.text,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class Answer:
    """The answer to one question. `status` is "answered" or "not_found"; nothing found is never None."""

    question: str
    status: str
    kind: str | None = None  # fact | aggregate | passage; None when not found
    answer: str = ""
    value: float | int | None = None
    area: str | None = None
    period: str | None = None
    facts: tuple[Fact, ...] = field(default=())
    citations: tuple[Citation, ...] = field(default=())
    note: str | None = None
    span: str | None = None  # passage answers: the item asked for within `answer` (a name, a date, a count)

    def to_dict(self) -> dict:
        """The answer JSON documented in the README (and DESIGN.md): these keys, in this order."""
        return {
            "question": self.question,
            "status": self.status,
            "kind": self.kind,
            "answer": self.answer,
            "value": self.value,
            "area": self.area,
            "period": self.period,
            "facts": [f.to_dict() for f in self.facts],
            "citations": [c.to_dict() for c in self.citations],
            "note": self.note,
            "span": self.span,
        }

    def to_json(self) -> str:
        """The answer JSON as `qa ask --json` prints it (and the HTTP API returns it)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def not_found(question: str, reason: str, note: str | None = None, area: str | None = None,
              period: str | None = None, facts: tuple[Fact, ...] = (), citations: tuple[Citation, ...] = ()) -> Answer:
    """A refusal: `reason` says why, `note` gives the nearest figures held (cited in `facts`/`citations`)."""
    return Answer(question=question, status="not_found", answer=reason, note=note, area=area, period=period,
                  facts=tuple(facts), citations=tuple(citations))


# ---------------------------------------------------------------------------------------------- facts

MAX_LISTED = 6  # figures named in a note before "and N more": notes stay short


def describe(fact: Fact, category: int | None = None, level: int | None = None, whole_cell: bool = False) -> str:
    """What a figure counts, in words: "MAPPA-eligible individuals in Category 1 at Level 2", or for a table
    outside the template its printed row and column. `whole_cell` describes the fact's own cell."""
    if whole_cell:
        category, level = fact.category, fact.level
    if fact.measure is None:
        return f"{fact.row}" + (f" ({fact.column})" if fact.column else "") + f" [{fact.table}]"
    label = MEASURES[fact.measure].label
    if not MEASURES[fact.measure].grid:
        return label
    parts = [label]
    if category is not None:
        parts.append(f"in Category {category} ({CATEGORY_NAMES[category]})")
    if level is not None:
        parts.append(f"at Level {level}")
    return " ".join(parts)


def when(fact: Fact) -> str:
    if fact.kind == "snapshot" and fact.period:
        return f"on 31 March {int(fact.period[:4]) + 1}"
    return f"in {fact.period}" if fact.period else ""


def fact_sentence(fact: Fact) -> str:
    """One sentence saying what was counted, where and when."""
    what = describe(fact, whole_cell=True)
    if fact.value is None:
        return f"{fact.area} reports {what} {when(fact)} as not applicable (-)."
    return f"{fact.area} had {fmt(fact.value)} {what} {when(fact)}."


def listing(figures: list[Figure]) -> str:
    """"Norfolk 2024/25: 118; London 2024/25: 559", at most MAX_LISTED of them."""
    shown = "; ".join(f"{f.area} {f.period}: {fmt(f.value)}" for f in figures[:MAX_LISTED])
    return shown + (f"; and {len(figures) - MAX_LISTED} more" if len(figures) > MAX_LISTED else "")


def _flag_note(figures: list[Figure]) -> str | None:
    flags = sorted({f"{fact.area} {fact.period}" for figure in figures for fact in figure.facts if fact.flag})
    if not flags:
        return None
    return f"The table does not add up as printed ({', '.join(flags[:MAX_LISTED])}); the figures are given as printed."


def _join_notes(*notes: str | None) -> str | None:
    notes = [n for n in dict.fromkeys(notes) if n]
    return " ".join(notes) if notes else None


def fact_answer(query: Query, what: str, figures: list[Figure], citations: list[Citation],
                note: str | None = None) -> Answer:
    """Answer from figures of one series and cell (one per report), computing what the query asks.
    `what` names the cell in words; `note` is added to what the figures themselves say."""
    op = query.operation
    figures = sorted(figures, key=lambda f: (f.period or "", f.area or ""))
    flag = _flag_note(figures)
    notes = [figure.note for figure in figures]

    def named(figure: Figure) -> str:  # the area, and its year when the question gives each area its own
        return f"{figure.area} {figure.period}" if query.pairs or query.every_report else f"{figure.area}"

    def answered(kind: str, text: str, value, chosen: list[Figure], area=None, period=None, *more: str | None):
        ordered = chosen + [f for f in figures if f not in chosen]
        facts = tuple(dict.fromkeys(fact for figure in ordered for fact in figure.facts))  # each fact once
        return Answer(question=query.text, status="answered", kind=kind, answer=text, value=value, area=area,
                      period=period, facts=facts, citations=tuple(citations), note=_join_notes(*more, note, *notes, flag))

    if op in ("max", "min") and len({f.area for f in figures}) > 1:
        period = figures[-1].period
        each = query.pairs or query.every_report  # "of all five reports ... in its year": every report
        pool = [f for f in figures if (each or f.period == period) and f.value is not None]
        best = (max if op == "max" else min)(pool, key=lambda f: f.value)
        others = ", ".join(f"{named(f)} {fmt(f.value)}" for f in pool if f is not best)
        word = ("the most" if op == "max" else "the fewest") if " per " not in what else (
            "the highest" if op == "max" else "the lowest")
        if each:  # each area in the year the question gives it, or every report in its own year
            reports = "of the reports named" if query.pairs else f"of the {len(pool)} indexed reports, each in its year"
            text = f"{best.area} ({best.period}) had {word} {what} {reports}: {fmt(best.value)} (others: {others})."
            return answered("aggregate", text, best.value, [best, *(f for f in pool if f is not best)], best.area,
                            best.period)
        among, only = "among the indexed areas", f"Only the {len(pool)} areas with a {period} report in the index are compared."
        if len(query.areas) > 1:  # "which had more, London or Norfolk": those named
            among, only = "of the areas named", None
        text = f"{best.area} had {word} {what} in {period} {among}: {fmt(best.value)} (others: {others})."
        return answered("aggregate", text, best.value, [best, *(f for f in pool if f is not best)], best.area, period,
                        only)
    if op == "sum_areas" and len({f.area for f in figures}) > 1:
        period = figures[-1].period
        pool = [f for f in figures if (query.pairs or f.period == period) and (not query.areas or f.area in query.areas)]
        total = sum(f.value or 0 for f in pool)
        parts = " + ".join(f"{named(f)} {fmt(f.value)}" for f in pool[:MAX_LISTED])
        if query.pairs:
            return answered("aggregate", f"{fmt(total)} {what} in the reports named ({parts}).", total, pool)
        text = f"{fmt(total)} {what} in {period} across the {len(pool)} indexed areas ({parts})."
        return answered("aggregate", text, total, pool, None, period,
                        f"Only areas with a {period} report in the index are counted, not all 42.")
    if op == "change" and len({f.period for f in figures}) > 1 and len({f.area for f in figures}) == 1:
        first, last = figures[0], figures[-1]
        if first.value is not None and last.value is not None:
            delta = last.value - first.value
            text = (f"{what[0].upper() + what[1:]} in {last.area} went from {fmt(first.value)} ({first.period}) "
                    f"to {fmt(last.value)} ({last.period}): a change of {delta:+,}.")
            if delta < 0 and _HOW_MANY_FEWER.search(query.text):  # "how many fewer": the size of the fall
                delta = -delta
                text = text[:-1] + f", {fmt(delta)} fewer."
            return answered("aggregate", text, delta, [last, first], last.area)
    if op == "difference" and len({f.area for f in figures}) >= 2:
        order = {area: i for i, area in enumerate(query.areas)}
        periods = [{f.period for f in figures if f.area == area} for area in query.areas[:2]]
        common = sorted(set.intersection(*periods)) if len(periods) == 2 and not query.pairs else []
        pool = [f for f in figures if not common or f.period == common[-1]]  # compare like with like
        a, b = sorted(pool, key=lambda f: (order.get(f.area, 99), f.period or ""))[:2]
        if a.value is not None and b.value is not None:
            delta = a.value - b.value
            if a.period == b.period:
                both = f"{a.area} had {fmt(a.value)} {what} and {b.area} {fmt(b.value)} ({a.period})"
            else:
                both = f"{a.area} ({a.period}) had {fmt(a.value)} {what} and {b.area} ({b.period}) {fmt(b.value)}"
            text = f"{both}: a difference of {delta:+,} ({a.area} minus {b.area})."
            return answered("aggregate", text, delta, [a, b], None, a.period if a.period == b.period else None)

    if op in ("max", "min", "sum_areas", "change", "difference"):
        # The comparison asked for cannot be made from what is held: never one of its operands instead.
        needs = {"change": "two years of one area", "difference": "two areas"}.get(op, "several areas of one year")
        return Answer(question=query.text, status="not_found", answer=f"This compares {needs}, and the indexed "
                      f"reports do not give {what} for all of them.", note=f"Nearest figures held: {what}: "
                      f"{listing(figures)}.", facts=tuple(f for figure in figures for f in figure.facts))

    # A single figure: the latest one in scope; the others are named.
    latest = figures[-1]
    same = [f for f in figures if (f.area, f.period) == (latest.area, latest.period)]
    others = [f for f in figures if (f.area, f.period) != (latest.area, latest.period)]
    also = f"Also indexed: {listing(others)}." if others else None
    disagree = None
    if len({f.value for f in same}) > 1:  # two reports for one area and year that differ
        docs = "; ".join(f"{fmt(f.value)} in {f.facts[0].doc}" for f in same)
        disagree = f"Two reports for {latest.area} {latest.period} disagree: {docs}."
        latest = same[0]
    if len(latest.facts) > 1:  # cautioned + convicted, added up
        text = f"{latest.area} had {fmt(latest.value)} {what} {when(latest.facts[0])} (cautioned + convicted)."
        kind = "aggregate"
    else:
        text = fact_sentence(latest.facts[0]) if not what else (
            f"{latest.area} had {fmt(latest.value)} {what} {when(latest.facts[0])}." if latest.value is not None
            else f"{latest.area} reports {what} {when(latest.facts[0])} as not applicable (-).")
        kind = "fact"
    return answered(kind, text, latest.value, [latest, *same], latest.area, latest.period, disagree, also)


# "how many fewer", "by how much did it fall", "how much did it drop": the size of a fall, not a signed change.
_HOW_MANY_FEWER = re.compile(r"\bhow (?:many|much) (?:fewer|less|lower)\b|\b(?:by )?how (?:many|much) (?:did|had|has|have) .* "
                             r"(?:fall|fell|fallen|drop|dropped|decrease|decreased|decline|declined|reduce|reduced|shrink|"
                             r"shrunk|go down|went down|gone down)|"
                             r"\b(?:size of|how (?:big|large|great|much) (?:was|is|were)) the (?:fall|drop|decrease|decline|reduction)\b",
                             re.IGNORECASE)


def cells_answer(query: Query, figures: list[Figure], citations: list[Citation], note: str | None = None) -> Answer:
    """Several cells of one report's grid ("level 2 and level 3 combined", "Category 2 and Category 3", "how
    many more at Level 2 than at Level 3"): their sum, or the first named less the second."""
    first = figures[0].facts[0]
    what = describe(first, query.category, query.level)  # what the cells share

    def cell(fact: Fact) -> str:  # what tells them apart
        return " ".join(([f"Category {fact.category}"] if len(query.categories) > 1 else [])
                        + ([f"Level {fact.level}"] if len(query.levels) > 1 and fact.level else []))

    cells = [f"{cell(f.facts[0])} {fmt(f.value)}" for f in figures]
    if query.operation == "difference_cells":
        value = (figures[0].value or 0) - (figures[1].value or 0)
        text = (f"{first.area} had {what} {when(first)}: {cells[0]}, {cells[1]}; a difference of {value:+,} "
                f"({cell(figures[0].facts[0])} minus {cell(figures[1].facts[0])}).")
    else:
        value = sum(f.value or 0 for f in figures)
        text = f"{first.area} had {fmt(value)} {what} {when(first)} ({' + '.join(cells)})."
    return Answer(question=query.text, status="answered", kind="aggregate", answer=text, value=value, area=first.area,
                  period=first.period, facts=tuple(f for p in figures for f in p.facts), citations=tuple(citations),
                  note=_join_notes(note, _flag_note(figures)))


def share_answer(query: Query, part: Figure, whole: Figure, citations: list[Citation]) -> Answer:
    """The share of a grid's whole that a part of it is, in per cent: whole per cent unless the question asks
    for decimals, rounded half up as people round; the exact share and both figures in the text."""
    from decimal import ROUND_HALF_UP, Decimal

    (part_category, part_level), (whole_category, whole_level) = query.share
    share = Decimal(part.value) * 100 / Decimal(whole.value)
    places = Decimal("0.1") if _DECIMALS.search(query.text) else Decimal("1")
    rounded = share.quantize(places, rounding=ROUND_HALF_UP)
    value = int(rounded) if places == 1 else float(rounded)
    a, b = part.facts[0], whole.facts[0]
    text = (f"{fmt(value)}%: {fmt(part.value)} {describe(a, part_category, part_level)} of the {fmt(whole.value)} "
            f"{describe(b, whole_category, whole_level)} in {a.area} {when(a)} ({share:.1f}%).")
    return Answer(question=query.text, status="answered", kind="aggregate", answer=text, value=value, area=a.area,
                  period=a.period, facts=(*part.facts, *whole.facts), citations=tuple(citations),
                  note=_join_notes(_flag_note([part, whole])))


_DECIMALS = re.compile(r"\bdecimal|\b(?:1|one) ?d\.?p\b|\bexact(?:ly)?\b", re.IGNORECASE)


def several_figures_answer(query: Query, figures: list[Figure], citations: list[Citation]) -> Answer:
    """Three figures or more of one report a question names, added up."""
    a = figures[0].facts[0]
    parts = ", ".join(f"{fmt(f.value)} {describe(f.facts[0], query.category, query.level)}" for f in figures)
    value = sum(f.value or 0 for f in figures)
    return Answer(question=query.text, status="answered", kind="aggregate", answer=f"{a.area} had {parts} in "
                  f"{a.period}: {fmt(value)} in all.", value=value, area=a.area, period=a.period,
                  facts=tuple(f for x in figures for f in x.facts), citations=tuple(citations),
                  note=_join_notes(*(f.note for f in figures), _flag_note(figures)))


def two_figures_answer(query: Query, first: Figure, second: Figure, citations: list[Citation]) -> Answer:
    """Two figures of one report a question names: their sum when it asks for them together, else the first
    named less the second."""
    a, b = first.facts[0], second.facts[0]
    both = (f"{fmt(first.value)} {describe(a, query.category, query.level)} and {fmt(second.value)} "
            f"{describe(b, query.category, query.level)}")
    if query.combines:
        value = (first.value or 0) + (second.value or 0)
        text = f"{a.area} had {both} in {a.period}: {fmt(value)} in all."
    else:
        value = (first.value or 0) - (second.value or 0)
        text = f"{a.area} had {both} in {a.period}: a difference of {value:+,} (the first less the second)."
    return Answer(question=query.text, status="answered", kind="aggregate", answer=text, value=value, area=a.area,
                  period=a.period, facts=(*first.facts, *second.facts), citations=tuple(citations),
                  note=_join_notes(first.note, second.note, _flag_note([first, second])))


# ------------------------------------------------------------------------------------------- passages

# A count: digits that are not a year, or a number word.
_SUPERLATIVE = re.compile(r"\b(?:most|fewest|least|highest|lowest|largest|smallest|biggest|average|median)\b",
                          re.IGNORECASE)
_ORDINAL = re.compile(r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
                      r"\d+(?:st|nd|rd|th))\b", re.IGNORECASE)
_A_NUMBER = re.compile(r"\b(?!(?:19|20)\d\d\b)\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                       r"fifty|hundred|thousand|dozen|once|twice)\b", re.IGNORECASE)


MIN_COUNT_EVIDENCE = 2.0  # idf weight of the question's words of what is counted that a count's sentence holds
ANSWER_PASSAGES = 3  # the answer sentence is read from this many of the best passages
# How an answer sentence is chosen, tuned on the 78 passage questions of eval/gold.jsonl for the answer
# holding the asked-for item (eval/tune_rerank.py): the share of the question's word weight a sentence holds,
# plus ITEM_BONUS when it holds an item of the type asked for, less RANK_PENALTY for each passage rank below
# the first and LENGTH_PENALTY per word (of two equal sentences, the shorter says it more plainly)
# (91.0% on the 78 gold passage questions; 90% on the 20 of the dev set).
ITEM_BONUS = 0.5
NAME_BONUS = 0.25  # a capitalised name for "which project": weaker evidence than a person, a date or a count
FOCUS_WEIGHT = 3.0  # the words the question is about ("which *division*", "who *reviews*") weigh this much more
RANK_PENALTY = 0.2
LENGTH_PENALTY = 0.002


@dataclass(frozen=True)
class Choice:
    """An answer sentence: its text, the citation it is read from, and the asked-for item in it."""

    text: str
    citation: int  # index into the citations
    lines: tuple[int, int]
    span: str | None = None  # the item asked for (a name, a date, a count with its noun), when one is clear


def best_sentence(weights: Mapping[str, float], citations: list[Citation], wanted: Wanted | None = None,
                  wants_number: bool = False, focus_words: tuple[str, ...] = (), top: int = ANSWER_PASSAGES,
                  author: bool = False, places: tuple[str, ...] = ()) -> Choice | None:
    """The sentence of the `top` best passages that best answers a question whose words weigh `weights`
    (root -> idf, qa.rerank.question_weights), with the item asked for (`wanted`) when one is clear; the
    words it is about (`focus_words`, qa.answertype.focus) weigh FOCUS_WEIGHT times more.

    Sentences are read as written (qa.sentences: wrapped lines joined, a name read with its role).
    With `wants_number`, only sentences holding a count are candidates when any does (the answer to "how
    many" is a number, not the sentence that repeats the words). With `author` (qa.answertype.asks_author:
    "who wrote the … piece"), a by-line or signature holds at least the share its passage's heading path
    holds: it names the writer, and the heading it is under names the piece. None when the passages hold
    no sentence.
    """
    about = [root(t) for t in focus_words]
    weights = {r: w * (FOCUS_WEIGHT if r in about else 1.0) for r, w in weights.items()}
    total = sum(weights.values()) or 1.0
    bonus = NAME_BONUS if wanted and wanted.kind == NAME else ITEM_BONUS
    scored: list[tuple[float, Choice]] = []
    read: list[list] = []
    for rank, citation in enumerate(citations[:top]):
        heading = sum(weights[r] for r in set(roots(citation.section)) if r in weights) / total if author else 0.0
        lines = citation.text.split("\n")
        read.append(split_sentences(citation.text, citation.lines[0], passage_order(lines)))
        for sentence in read[-1]:
            held = sum(weights[r] for r in set(roots(sentence.text)) if r in weights) / total
            if author and is_signature(sentence.text):
                held = max(held, heading)
            score = (held + (bonus if holds(wanted, sentence.text) else 0.0) - RANK_PENALTY * rank
                     - LENGTH_PENALTY * len(sentence.text.split()))
            scored.append((score, Choice(sentence.text, rank, sentence.lines)))
    if wants_number and any(_A_NUMBER.search(choice.text) for _, choice in scored):
        scored = [(score, choice) for score, choice in scored if _A_NUMBER.search(choice.text)]
    best = max(scored, key=lambda item: item[0], default=(0.0, None))[1]  # the first of equals
    if best and wanted and wanted.kind in NEIGHBOURED_KINDS and not holds(wanted, best.text):
        # The item asked for is often in the sentence next to the one that matches the question best.
        sentences = read[best.citation]
        i = next(k for k, s in enumerate(sentences) if (s.text, s.lines) == (best.text, best.lines))
        near = with_neighbour(sentences, i, lambda text: holds(wanted, text), next_anyway=wanted.kind == REASON)
        best = replace(best, text=near.text, lines=near.lines)
    return replace(best, span=_item(wanted, best.text, about, places)) if best else None


def _item(wanted: Wanted | None, text: str, about: list[str], near: tuple[str, ...] = ()) -> str | None:
    """The item asked for in `text`; a name ("which probation division") only when it holds a word the
    question is about, its last (the head noun) first: "National Security Division", not "The Probation Service".
    With `places` (those the question names), the item closest after one of them first: "Newbury 01635
    524493/4" in a list of offices and their numbers."""
    if wanted is None:
        return None
    found = items(wanted.kind, text, wanted.noun)
    named = [m.end() for place in near for m in _place(place).finditer(text)]
    if named:
        found = sorted(found, key=lambda s: min((s[0] - at if s[0] >= at else len(text) + at - s[0]) for at in named))
    spans = [text[a:b] for a, b in found]
    if wanted.kind == COUNT and wanted.noun and not holds(wanted, text):
        return None
    if wanted.kind == NAME:
        spans = sorted((span for span in spans if set(about) & set(roots(span))),
                       key=lambda span: about[-1] not in roots(span))
    return spans[0] if spans else None


def _place(place: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(place)}\b", re.IGNORECASE)


def mentions(text: str, place: str) -> bool:
    """Whether `text` names `place` (a whole word or words, any case)."""
    return _place(place).search(text) is not None


def passage_answer(query: Query, citations: list[Citation], idf: Mapping[str, float],
                   weights: Mapping[str, float] | None = None, note: str | None = None) -> Answer:
    """Answer with the best sentence of the best passages, citing the passages. `weights` are the
    question's word weights by root (default: all its words, by idf)."""
    if not citations:
        return not_found(query.text, "No passage in the indexed reports matches this question.", note)
    if weights is None:
        weights = question_weights(query.tokens, idf)
    if query.places:  # "Victim Support in Newbury": the passages that speak of the place named come first
        citations = sorted(citations, key=lambda c: not any(mentions(c.text, place) for place in query.places))
    # "Why is the number … going up", "the minister who introduced …": asking who, why, where or when is
    # never asking for a figure, whatever number words it also holds.
    figure = query.says_number and not query.asks_about_text
    wanted = asked_for(query.text)
    choice = best_sentence(weights, citations, wanted, figure, focus(query.text), author=asks_author(query.text),
                           places=query.places)
    text = choice.text if choice else ""
    held = sum(idf.get(t, 0.0) for t in set(query.terms) & set(tokenize(text)))
    counted = (wanted is not None and wanted.kind == COUNT and bool(wanted.noun)
               and not holds(wanted, text) and not _ORDINAL.search(text))  # "the fifth annual report"
    # "how many victims": a number beside "victims", not any number ("after 10 years ... the victim")
    if figure and (not _A_NUMBER.search(text) or held < MIN_COUNT_EVIDENCE or counted):
        return not_found(query.text, "The indexed reports give no figure for this; the nearest passages are cited.",
                         note, citations=tuple(citations))
    missing = [what for what in query.unheld if not re.search(UNHELD[what], text, re.IGNORECASE)]
    # "how many home visits", "what proportion are foreign nationals", "which month saw the most recalls", "the
    # average length of an SHPO": a count, share, ranking or average of something else is no answer
    if missing and (figure or query.rate or _SUPERLATIVE.search(query.text)):
        return not_found(query.text, f"The tables do not break their figures down by {' or '.join(missing)}, and no "
                         "passage gives that figure; the nearest passages are cited.", note, citations=tuple(citations))
    first = citations[0]
    return Answer(question=query.text, status="answered", kind="passage", answer=text, area=first.area,
                  period=first.period, citations=tuple(citations), note=note, span=choice.span if choice else None)
