"""Answers: the records users get back, and how facts or passages become one.

Pure functions: they receive the facts and passages the index found for a question's scope and never
reach outside it, so an answer can only cite what it was given.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from .facts import Fact
from .query import Query
from .text import tokenize
from .vocabulary import MEASURES, REPLACED_BY


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
        }

    def to_json(self) -> str:
        """The answer JSON as `qa ask --json` prints it (and the HTTP API returns it)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def not_found(question: str, reason: str, note: str | None = None, area: str | None = None,
              period: str | None = None) -> Answer:
    return Answer(question=question, status="not_found", answer=reason, note=note, area=area, period=period)


# ---------------------------------------------------------------------------------------------- facts

def _fmt(value: float | int | None) -> str:
    if value is None:
        return "not applicable (-)"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def describe(measure: str, category: int | None, level: int | None) -> str:
    """What a figure counts, in words: "MAPPA-eligible individuals in Category 1 at Level 2"."""
    label = MEASURES[measure].label
    parts = []
    if not MEASURES[measure].grid:
        return label
    if category is not None:
        parts.append(f"in Category {category} ({['sex offender notification', 'violent offenders', 'other dangerous offenders'][category - 1]})")
    if level is not None:
        parts.append(f"at Level {level}")
    return " ".join([label, *parts])


def _when(fact: Fact) -> str:
    if fact.kind == "snapshot" and fact.period:
        return f"on 31 March {int(fact.period[:4]) + 1}"
    return f"in {fact.period}" if fact.period else ""


def fact_sentence(fact: Fact) -> str:
    """One sentence saying what was counted, where and when."""
    what = describe(fact.measure, fact.category, fact.level)
    if fact.value is None:
        return f"{fact.area} reports {what} {_when(fact)} as not applicable (-)."
    return f"{fact.area} had {_fmt(fact.value)} {what} {_when(fact)}."


@dataclass(frozen=True)
class Figure:
    """A value for one report, with the facts it comes from (two when cautioned + convicted are added)."""

    area: str | None
    period: str | None
    value: float | int | None
    facts: tuple[Fact, ...]
    note: str | None = None


def figure_for(facts: list[Fact], measure: str, category: int | None, level: int | None) -> Figure | None:
    """The figure one report's `facts` give for a measure, cell by cell; None when the report lacks it.

    Falls back, with a note, to what the report counts instead: SOPOs for SHPOs before 2015, and
    cautioned + convicted when the report splits the combined breach figure.
    """
    def cell(m: str) -> Fact | None:
        grid = MEASURES[m].grid
        for fact in facts:
            if fact.measure == m and (not grid or (fact.category == category and fact.level == level)):
                return fact
        if grid and m.startswith("custody_s") and category is not None:  # breach of SHPO rows: totals only
            return cell_any(m)
        return None

    def cell_any(m: str) -> Fact | None:
        return next((f for f in facts if f.measure == m and f.category is None and f.level == level), None)

    if found := cell(measure):
        return Figure(found.area, found.period, found.value, (found,))
    if (old := REPLACED_BY.get(measure)) and (found := cell(old)):
        note = (f"{MEASURES[measure].label} replaced {MEASURES[old].label} in March 2015; "
                f"the {found.period} report counts {MEASURES[old].label}, so this is that figure.")
        return Figure(found.area, found.period, found.value, (found,), note)
    if measure == "notification_breach":
        parts = [cell("notification_breach_cautioned"), cell("notification_breach_convicted")]
        if all(parts):
            total = sum(p.value or 0 for p in parts)
            note = f"The report gives cautioned ({_fmt(parts[0].value)}) and convicted ({_fmt(parts[1].value)}) separately; this is their sum."
            return Figure(parts[0].area, parts[0].period, total, tuple(parts), note)
    return None


def missing_note(facts: list[Fact], measure: str) -> str | None:
    """Why a report has no figure for `measure`, when it has something close."""
    if measure in ("notification_breach_cautioned", "notification_breach_convicted"):
        combined = next((f for f in facts if f.measure == "notification_breach"), None)
        if combined:
            return (f"The {combined.area} {combined.period} report gives only the combined figure for Category 1 "
                    f"individuals cautioned or convicted for breach of notification requirements: {_fmt(combined.value)}.")
    return None


def _flag_note(figures: list[Figure]) -> str | None:
    flags = {f"{fact.area} {fact.period}: {fact.flag}" for figure in figures for fact in figure.facts if fact.flag}
    return ("The table does not add up as printed (" + "; ".join(sorted(flags)) + "); the figures are given as printed.") if flags else None


def _join_notes(*notes: str | None) -> str | None:
    notes = [n for n in dict.fromkeys(notes) if n]
    return " ".join(notes) if notes else None


def fact_answer(query: Query, figures: list[Figure], citations: list[Citation]) -> Answer:
    """Answer from figures of one measure, cell and scope (one per report), computing what the query asks."""
    measure, category, level = query.measure, query.category, query.level
    what = describe(measure, category, level)
    op = query.operation
    figures = sorted(figures, key=lambda f: (f.period or "", f.area or ""))
    facts = tuple(f for figure in figures for f in figure.facts)
    flag = _flag_note(figures)
    common = {"question": query.text, "status": "answered", "facts": facts, "citations": tuple(citations)}
    notes = [figure.note for figure in figures]

    if op in ("max", "min") and len({f.area for f in figures}) > 1:
        period = figures[-1].period
        pool = [f for f in figures if f.period == period and f.value is not None]
        best = (max if op == "max" else min)(pool, key=lambda f: f.value)
        others = ", ".join(f"{f.area} {_fmt(f.value)}" for f in pool if f is not best)
        word = "the most" if op == "max" else "the fewest"
        if measure == "notification_rate":
            word = "the highest" if op == "max" else "the lowest"
        text = f"{best.area} had {word} {what} in {period} among the indexed areas: {_fmt(best.value)} (others: {others})."
        note = _join_notes(f"Only the {len(pool)} areas with a {period} report in the index are compared.", *notes, flag)
        return Answer(**common, kind="aggregate", answer=text, value=best.value, area=best.area, period=period,
                      note=note)
    if op == "sum_areas" and len({f.area for f in figures}) > 1:
        period = figures[-1].period
        pool = [f for f in figures if f.period == period]
        total = sum(f.value or 0 for f in pool)
        parts = " + ".join(f"{f.area} {_fmt(f.value)}" for f in pool)
        text = f"{_fmt(total)} {what} in {period} across the {len(pool)} indexed areas ({parts})."
        note = _join_notes(f"Only areas with a {period} report in the index are counted, not all 42.", *notes, flag)
        return Answer(**common, kind="aggregate", answer=text, value=total, period=period, note=note)
    if op == "change" and len({f.period for f in figures}) > 1 and len({f.area for f in figures}) == 1:
        first, last = figures[0], figures[-1]
        if first.value is not None and last.value is not None:
            delta = last.value - first.value
            text = (f"{what[0].upper() + what[1:]} in {last.area} went from {_fmt(first.value)} ({first.period}) "
                    f"to {_fmt(last.value)} ({last.period}): a change of {delta:+,}.")
            return Answer(**common, kind="aggregate", answer=text, value=delta, area=last.area, note=_join_notes(*notes, flag))
    if op == "difference" and len(figures) >= 2:
        order = {area: i for i, area in enumerate(query.areas)}
        pair = sorted(figures, key=lambda f: order.get(f.area, 99))[:2]
        a, b = pair
        if a.value is not None and b.value is not None:
            delta = a.value - b.value
            text = (f"{a.area} had {_fmt(a.value)} {what} and {b.area} {_fmt(b.value)}"
                    f" ({a.period}): a difference of {delta:+,} ({a.area} minus {b.area}).")
            return Answer(**common, kind="aggregate", answer=text, value=delta,
                          period=a.period if a.period == b.period else None, note=_join_notes(*notes, flag))

    # A single figure: the latest one in scope; others are mentioned.
    figure = figures[-1]
    if len(figure.facts) > 1:  # cautioned + convicted, added up
        text = f"{figure.area} had {_fmt(figure.value)} {what} {_when(figure.facts[0])} (cautioned + convicted)."
        kind = "aggregate"
    else:
        text = fact_sentence(figure.facts[0])
        kind = "fact"
    others = [f for f in figures if f is not figure]
    also = None
    if others:
        also = "Also indexed: " + "; ".join(f"{f.area} {f.period}: {_fmt(f.value)}" for f in others) + "."
    return Answer(**common, kind=kind, answer=text, value=figure.value, area=figure.area, period=figure.period,
                  note=_join_notes(figure.note, also, flag))


def sum_levels_answer(query: Query, figures_by_level: dict[int, Figure], citations: list[Citation]) -> Answer:
    """"Level 2 and level 3 combined": the sum of one report's figures at several levels."""
    parts = [figures_by_level[level] for level in query.levels]
    total = sum(f.value or 0 for f in parts)
    first = parts[0].facts[0]
    what = describe(query.measure, query.category, None)
    levels = " + ".join(f"Level {lvl} {_fmt(figures_by_level[lvl].value)}" for lvl in query.levels)
    text = f"{first.area} had {_fmt(total)} {what} at Levels {' and '.join(map(str, query.levels))} {_when(first)} ({levels})."
    return Answer(question=query.text, status="answered", kind="aggregate", answer=text, value=total, area=first.area,
                  period=first.period, facts=tuple(f for p in parts for f in p.facts), citations=tuple(citations),
                  note=_flag_note(parts))


# ------------------------------------------------------------------------------------------- passages

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def best_sentences(query_tokens: list[str], citations: list[Citation], idf: dict[str, float], top: int = 3) -> str:
    """The sentence (with its neighbour, when it is only a name or a title) that best answers the query.

    Sentences of the `top` best passages are scored by the idf-weighted query words they contain, with a
    small preference for better-ranked passages.
    """
    wanted = set(query_tokens)
    best, best_score = "", -math.inf
    for rank, citation in enumerate(citations[:top]):
        lines = [line.strip(" \t-•·") for line in citation.text.split("\n")]
        lines = [re.sub(r"^#+\s*|\*\*", "", line) for line in lines if line]
        sentences: list[str] = []
        for i, line in enumerate(lines):
            pieces = _SENTENCE_END.split(line)
            # A short line (a name, a role) reads as an answer only together with the next one.
            if len(line.split()) < 6 and i + 1 < len(lines):
                pieces = [f"{line} — {lines[i + 1]}"]
            sentences.extend(pieces)
        for sentence in sentences:
            tokens = set(tokenize(sentence))
            score = sum(idf.get(t, 0.0) for t in wanted & tokens) - 0.15 * rank - 0.002 * len(tokens)
            if score > best_score:
                best, best_score = sentence, score
    return best.strip()


def passage_answer(query: Query, citations: list[Citation], idf: dict[str, float], note: str | None = None) -> Answer:
    """Answer with the best sentence of the best passages, citing the passages."""
    if not citations:
        return not_found(query.text, "No passage in the indexed reports matches this question.", note)
    first = citations[0]
    text = best_sentences(query.tokens, citations, idf)
    return Answer(question=query.text, status="answered", kind="passage", answer=text, area=first.area,
                  period=first.period, citations=tuple(citations), note=note)

