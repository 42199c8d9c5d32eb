"""The fact stage of answering: from a parsed question and the reports in its scope to a cited figure, or
to a refusal that says why and gives the nearest figures the reports do hold.

Ranking and cell reading are qa.lookup's pure functions; composing the answer is qa.answer's. This class
holds the decisions between them: which series wins, when a question asks for more than the tables hold,
and what to say instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from .answer import (
    Answer,
    cells_answer,
    describe,
    fact_answer,
    listing,
    not_found,
    several_figures_answer,
    share_answer,
    two_figures_answer,
)
from .facts import CATALOGUE, Fact
from .lookup import (
    GENERIC,
    Figure,
    Match,
    Series,
    decisive,
    figure_of,
    fmt,
    good_enough,
    rank_lexical,
    replacement_note,
    rerank_dense,
    root,
    roots,
    series_label,
)
from .query import Query
from .text import tokenize
from .vocabulary import (
    CATEGORY_NAMES,
    MEASURES,
    NOT_IN_TABLES,
    ORDER_SUCCESSORS,
    PARTS,
    PEOPLE_MEASURE,
    PEOPLE_MEASURES,
    SNAPSHOT_MONTH,
    canonical_area,
    counterpart,
    described,
    orders_named,
)

if TYPE_CHECKING:
    from .api import Index, Report

# The words that ask for a rate: they say how a figure is given, not what it counts.
_RATE_ROOTS = roots(tokenize("rate per 100 000 100000 100k head capita population resident person thousand density "
                             "proportion percentage cent share every"))
PROSE_COVERAGE = 0.5  # a question that does not say "how many" goes to the facts only when they match it this well
CLOSE = 0.85  # a second series scoring this share of the best is named in the note
NAMED_SHARE = 0.75  # a figure is named when the question holds this share of its own naming words' weight
LISTED_SHARE = 0.5  # the same for each of three figures or more named in a list ("SOPOs, NOs and FTOs")
MAX_NAMED = 8  # how many of the best matches are read for a second figure the question names



class _ScopeFacts(Mapping):
    """Candidate (representative series id) -> its facts in scope, read from the index the first time asked:
    a question reads the facts of the one or two series it is answered or refused with, not the scope's all."""

    def __init__(self, index: Index, report_ids: list[int], members: dict[int, tuple[int, ...]]):
        self.index, self.report_ids, self.members = index, report_ids, members
        self._read: dict[int, list[Fact]] = {}

    def __getitem__(self, key: int) -> list[Fact]:
        if key not in self._read:
            self._read[key] = [fact for _, fact in self.index.facts_of(self.report_ids, self.members[key])]
        return self._read[key]

    def __iter__(self):
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)

    def __contains__(self, key: object) -> bool:
        return key in self.members


@dataclass(frozen=True)
class Nearest:
    """The nearest figures held, for a refusal: a note naming them, and their facts and citations."""

    note: str
    facts: tuple[Fact, ...]
    citations: tuple


class FactFinder:
    """Finds the figure one question asks for in a given scope of reports."""

    def __init__(self, index: Index, query: Query, top_k: int = 5):
        self.index = index
        self.query = query
        self.top_k = top_k

    # ------------------------------------------------------------------------------ candidates

    def _candidates(self, scope: list[Report]) -> tuple[list[Series], _ScopeFacts]:
        """What the scope's facts count, one candidate per template measure (its reports print it in several
        wordings) or per row of another table, plus the template's measures no report in scope gives; and the
        candidates' facts, read only when asked for."""
        report_ids = [r.id for r in scope]
        series, members = self.index.per_scope("candidates", tuple(report_ids), lambda: self._describe(report_ids))
        return series, _ScopeFacts(self.index, report_ids, members)

    def _describe(self, report_ids: list[int]) -> tuple[list[Series], dict[int, tuple[int, ...]]]:
        """The candidates of a scope and, for each in it, the stored descriptions it stands for."""
        rows, _ = self.index.series_table
        by_key: dict[str | int, list[tuple[int, str | None, str]]] = {}
        for series_id, measure, row in self.index.series_of(report_ids):
            by_key.setdefault(measure or series_id, []).append((series_id, measure, row))
        series, members = [], {}
        for group in by_key.values():
            ids = tuple(sid for sid, _, _ in group)
            _, measure, row = group[0]
            tokens = frozenset().union(*(rows[sid][1] for sid in ids))
            series.append(Series(ids[0], rows[ids[0]][0], tokens, series_label(measure, row), measure, ids))
            members[ids[0]] = ids
        held = {s.measure for s in series}
        held |= {counterpart(measure) for measure in held}
        for series_id, (text, tokens) in rows.items():
            measure = CATALOGUE.get(text)
            if measure and measure not in held:
                series.append(Series(series_id, text, tokens, series_label(measure, ""), measure, (series_id,)))
        return series, members

    def _rank(self, series: list[Series], dense: bool) -> list[Match]:
        _, idf = self.index.series_table
        # A table outside the template is known only by its printed labels, category words included.
        matches = sorted(rank_lexical(self.query.terms, [s for s in series if s.measure], idf)
                         + rank_lexical(self.query.words, [s for s in series if not s.measure], idf),
                         key=lambda m: (-m.score, m.series.id))
        if decisive(matches) or not dense or not matches:
            return matches
        import numpy as np

        vectors = self.index.series_vectors([sid for m in matches for sid in m.series.ids])
        if not vectors:
            return matches
        question = self.index.question_vector(self.query.text).result()[0]
        similarity = {m.series.id: max((float(np.frombuffer(vectors[sid], dtype=np.float32) @ question)
                                        for sid in m.series.ids if sid in vectors), default=0.0) for m in matches}
        return rerank_dense(matches, similarity)

    # --------------------------------------------------------------------------------- answer

    def answer(self, scope: list[Report]) -> Answer | None:
        """The fact answer or refusal for the question in `scope`; None when no figure matches what it asks
        (the question then goes to the passages). A question worded about the text, not asking for a figure,
        is never refused here: "how are people made subject to an SRO recorded" is answered by the text, if at all."""
        answer = self._answer(scope)
        if answer is not None and answer.status == "not_found" and self.query.about_prose and not self.query.wants_number:
            return None
        return answer

    def _answer(self, scope: list[Report]) -> Answer | None:
        query = self.query
        if 4 in query.categories and query.wants_number:
            return not_found(query.text, "Category 4 (terrorism) figures are not published by area.",
                             "MAPPA reports leave Category 4 out for data protection; it is published nationally.")
        if query.asks_about_text and not query.says_number:
            return None  # "who manages category 1 nominals": a person, whatever the words match
        if query.cells_left_out and query.wants_number and query.operation not in (None, "sum_cells", "difference_cells"):
            # "which area had the most offenders, not counting category 3": areas or years are compared by one cell
            return not_found(query.text, "This leaves a category or level out and compares areas or years: the "
                             "comparison is made on one table cell at a time; ask for the categories or levels wanted.")
        series, by_series = self._candidates(scope)
        if not by_series and not any(canonical_area(r.area or "") for r in scope):
            return None  # reports from outside the 42 areas (Scottish) with no table read: their text may say
        matches = self._rank(series, dense=query.wants_number and bool(query.terms))
        if not query.rate:  # a rate answers only a question about a rate
            matches = [m for m in matches if not _is_rate(m)]
        people = [m for m in matches if m.series.measure == PEOPLE_MEASURE]
        names_people = bool(set(query.tokens) & GENERIC) or query.categories or query.levels or query.names_level_2_and_3
        weak = not matches or not good_enough(matches[0]) or self._incidental(matches[0])
        if query.wants_number and names_people and (not query.terms or (weak and query.says_number and query.levels
                                                                         and not self._names_other(matches, by_series))):
            # "how many violent offenders", "MAPPA offenders", "how many ... were managed by the lead agency alone":
            # a count that names people, or a MAPPA level, and nothing else a table counts is the eligible grid's
            matches = people + [m for m in matches if m not in people]
        elif weak:
            return None
        elif not query.says_number and (matches[0].coverage < PROSE_COVERAGE or (query.about_prose and not decisive(matches))):
            return None  # "norfolk shpos 2024/25" is about a figure; "which prison service", "mappa pc role" are not
        if not matches or (query.unheld and not query.wants_number):
            return None
        best = matches[0]
        in_scope = [m for m in matches if m.series.id in by_series]
        if best.series.id not in by_series:  # a template measure no report in scope gives
            best = self._stand_in(best, in_scope)
            if best is None:
                missing = matches[0].series.measure
                held = "No MAPPA statistics table counts" if missing in NOT_IN_TABLES else (
                    f"The indexed report(s) ({self._where(scope)}) give no figure for")
                return self._refuse(f"{held} {described(missing).label}.", in_scope, by_series)
        facts = by_series.get(best.series.id, [])
        measure = best.series.measure
        # A breakdown the figure's own description or labels name is what it counts ("aged ten or over" rates).
        printed = best.series.text + " " + " ".join(f"{f.table} {f.row} {f.column or ''}" for f in facts)
        snapshot = bool(facts) and facts[0].kind == "snapshot"
        missing = list(dict.fromkeys(what for what, words in query.unheld_words if words not in printed.lower()
                                     and not (words == SNAPSHOT_MONTH and snapshot)))
        if missing:
            return self._refuse(f"The tables do not break their figures down by {' or '.join(missing)}.",
                                [best], by_series)
        if query.rate and _is_rate(best):  # "the rate of SHPOs per 100,000": a rate of what the rate is not of
            asked = roots(query.terms) - _RATE_ROOTS - best.series.tokens
            best = next((m for m in in_scope if not _is_rate(m) and asked & _naming_roots(m)), best)
        if query.rate and not _is_rate(best):
            return self._refuse(f"The reports give {self._label(best, by_series)} as a count, not as a rate or a share.",
                                [best], by_series)
        only = described(measure).category if measure else None
        other = next((c for c in query.categories if c != only), None) if only else None
        if other:
            return self._refuse(f"The reports count {self._label(best, by_series)} for Category {only} "
                                f"({CATEGORY_NAMES[only]}) only, not for {CATEGORY_NAMES[other]}.",
                                [best], by_series)
        kind = facts[0].kind if facts else described(measure).kind
        if query.when == "point" and kind == "year":
            return self._refuse(f"The reports count {self._label(best, by_series)} over the year (imposed or "
                                "recorded from 1 April to 31 March), not how many are in force at one time.",
                                [best], by_series)
        if measure in ("eligible", "eligible_l23"):
            best, refusal = self._snapshot_or_year(best, in_scope, by_series)
            if refusal:
                return refusal
            facts = by_series[best.series.id]
        areas = {r.area for r in scope}
        if not query.areas and query.operation in (None, "sum_cells", "difference_cells", "share") and len(areas) > 1:
            return self._refuse(f"The question names no area, and {len(areas)} areas are indexed: "
                                "each area's figure is in the note.", [best], by_series, every_area=True)
        if query.operation is None and measure in PARTS and query.contrasts:  # "convictions exceeded cautions by"
            parts = [m for m in in_scope if m.series.measure in PARTS[measure]]
            if len(parts) != 2:
                return self._refuse(f"The indexed report(s) give {self._label(best, by_series)} as one figure.",
                                    [best], by_series)
            return self._two_figures(*parts, in_scope, by_series)
        named = [best]
        if query.operation in (None, "sum_cells", "difference_cells"):
            if len(listed := self._listed(best, in_scope)) > 2:
                named = listed
            elif other := self._also_named(best, in_scope):
                named = [best, other]
        if other_order := self._other_order(named):  # "SOPOs, NOs and FTOs" with the NOs not found: never two of three
            what = " and ".join(self._label(m, by_series) for m in named)
            return self._refuse(f"The question asks about {other_order}s, and {what} count another order: no table "
                                "of the indexed reports gives that figure.", named, by_series)
        if len(named) > 2:
            return self._several_figures(named, by_series)
        if len(named) == 2:
            return self._two_figures(*named, in_scope, by_series)
        if query.operation == "share":
            return self._share(best, facts, by_series)
        if query.operation is None and query.over_time:  # "by how much did Norfolk's SHPOs change": one year's figure
            return self._refuse(f"The question asks how {self._label(best, by_series)} changed, which needs the reports "
                                "of two years; it names one, or the other is not indexed.", [best], by_series)
        return self._compose(best, facts, by_series, in_scope, scope)

    def _share(self, best: Match, facts: list[Fact], by_series) -> Answer:
        """What share of one report's grid cells (the whole) some of them are (the part): both printed figures
        cited, worked out, never a printed percentage of something else."""
        (part_cell, whole_cell), query = self.query.share, self.query
        if not (best.series.measure and MEASURES[best.series.measure].grid):
            return self._refuse(f"The reports give {self._label(best, by_series)} as one figure, not by category "
                                "or level: no share of it can be worked out.", [best], by_series)
        latest = max(_by_report(facts).values(), key=lambda group: group[0].period or "", default=[])
        part, whole = (figure_of(latest, *cell, query.words) for cell in (part_cell, whole_cell))
        if not (part and whole and part.value is not None and whole.value):
            return self._refuse(f"The indexed report(s) do not give {self._label(best, by_series)} for both the "
                                "part and the whole asked about.", [best], by_series)
        return share_answer(query, part, whole, self.index._fact_citations([*part.facts, *whole.facts])[: self.top_k])

    def _also_named(self, best: Match, in_scope: list[Match]) -> Match | None:
        """Another figure the question names beside the best one: the question holds most of the naming words of
        each that the other's description lacks ("cautions" and "convictions", "SHPOs and notification notices").
        The MAPPA-eligible counts name the people every table counts ("MAPPA-eligible offenders returned to
        custody" names one figure)."""
        if best.series.measure in PEOPLE_MEASURES:
            return None
        for match in in_scope[:MAX_NAMED]:
            if match.series.measure in (best.series.measure, counterpart(best.series.measure), *PEOPLE_MEASURES):
                continue
            if self._named(best, match, NAMED_SHARE) and self._named(match, best, NAMED_SHARE):
                return match
        return None

    def _named(self, match: Match, beside: Match, share: float) -> bool:
        """Whether the question holds `share` of the weight of the naming words of `match` that `beside`'s
        description lacks."""
        _, idf = self.index.series_table
        own = {w for w in match.series.label - beside.series.tokens if not w.isdigit()}
        weight = sum(idf.get(w, 0.0) for w in own)
        return weight > 0 and sum(idf.get(w, 0.0) for w in own & self._asked_roots) >= share * weight

    @cached_property
    def _asked_roots(self) -> frozenset[str]:
        """The roots of the words of what the question counts, less numbers: read once per question."""
        return frozenset(t for t in roots(self.query.terms) if not t.isdigit())

    def _other_order(self, matches: list[Match]) -> str | None:
        """An order the question names that none of the figures answering it is about (nor its predecessor or
        successor)."""
        held = set().union(*(orders_named(m.series.text) for m in matches))
        held |= {ORDER_SUCCESSORS.get(o) for o in held} | {old for old, new in ORDER_SUCCESSORS.items() if new in held}
        return next((o for o in self.query.orders if o not in held), None)

    def _listed(self, best: Match, in_scope: list[Match]) -> list[Match]:
        """The best match and the others of different measures the question names beside it, each holding
        LISTED_SHARE of the naming words the other lacks ("adding SOPOs, Notification Orders and FTOs")."""
        if best.series.measure in PEOPLE_MEASURES:
            return [best]
        listed, measures = [best], {best.series.measure}
        for match in in_scope[:MAX_NAMED]:
            if match.series.measure in measures or match.series.measure in PEOPLE_MEASURES:
                continue
            if all(self._named(match, one, LISTED_SHARE) and self._named(one, match, LISTED_SHARE) for one in listed):
                listed.append(match)
                measures.add(match.series.measure)
        return listed

    def _several_figures(self, listed: list[Match], by_series) -> Answer:
        """Three figures or more named in one question: their sum, in one report, when it asks for them added
        up; else a refusal that gives each (never one of them as "the" answer)."""
        query = self.query
        reports = [set(_by_report(by_series[m.series.id])) for m in listed]
        common = sorted(set.intersection(*reports))
        figures = [figure_of([f for f in by_series[m.series.id] if f.doc == common[-1]], query.category, query.level,
                             query.words) for m in listed] if common else []
        if not query.combines or query.contrasts or not figures or not all(figures):
            return self._refuse(f"The question names {len(listed)} figures; ask for one of them, or for their total.",
                                listed, by_series)
        return several_figures_answer(query, figures, self.index._fact_citations([f for x in figures for f in x.facts]))

    def _two_figures(self, best: Match, other: Match, in_scope: list[Match], by_series) -> Answer:
        """Two figures one question names: their sum when it asks for them together, the first named less the
        second when it asks how they differ, else a refusal that gives both (never one as "the" answer)."""
        query = self.query
        terms = [root(t) for t in query.terms]

        def named_at(match: Match, beside: Match) -> int:
            return min((i for i, t in enumerate(terms) if t in match.series.label - beside.series.label), default=len(terms))

        if named_at(other, best) < named_at(best, other):
            best, other = other, best  # in the order the question names them
        pairs = []
        for doc, facts in _by_report(by_series[best.series.id]).items():
            first = figure_of(facts, query.category, query.level, query.words)
            second = figure_of([f for f in by_series[other.series.id] if f.doc == doc], query.category, query.level,
                               query.words)
            if first and second:
                pairs.append((first, second))
        # A figure that is part of one of the two ("SHPOs" of "SHPOs with a foreign travel restriction") may be
        # a third the question names: which were meant is not clear.
        # (Of the same table: "SHPO" inside "returned to custody for breach of a SHPO" is no third figure.)
        def tables(match: Match) -> set[str]:
            return {f.table for f in by_series.get(match.series.id, [])}

        nested = any((m.series.label < one.series.label and tables(m) & tables(one))
                     for m in in_scope if m.series.id not in (best.series.id, other.series.id) for one in (best, other))
        if not pairs or nested or query.combines == query.contrasts:
            return self._refuse("The question names two figures; ask for one of them, or for their total or "
                                "difference.", [best, other], by_series)
        first, second = max(pairs, key=lambda pair: pair[0].period or "")
        return two_figures_answer(query, first, second, self.index._fact_citations([*first.facts, *second.facts]))

    def _names_other(self, matches: list[Match], by_series) -> bool:
        """Whether the question holds two or more words of what another figure in scope counts that the
        MAPPA-eligible counts' descriptions lack ("recalled for breaching their licence"): then a weak match
        is not the eligible count's to take."""
        asked = roots(self.query.terms)
        people = frozenset().union(*(m.series.tokens for m in matches if m.series.measure in PEOPLE_MEASURES))
        rival = next((m for m in matches if m.series.measure not in PEOPLE_MEASURES and m.series.id in by_series), None)
        return rival is not None and len((asked & rival.series.tokens) - people) >= 2

    def _snapshot_or_year(self, best: Match, in_scope: list[Match], by_series) -> tuple[Match, Answer | None]:
        """All MAPPA-eligible individuals are counted on 31 March; over the year, only those at Levels 2 and 3.
        A question about the year goes to the yearly table, and is refused when it is not about those levels."""
        query = self.query
        yearly = query.when == "year" or (best.series.measure == "eligible_l23" and query.when != "point"
                                          and not query.on_a_day)
        wanted = "eligible_l23" if yearly else "eligible"
        if yearly and not (query.names_level_2_and_3 or query.level in (2, 3)):
            return best, self._refuse("The reports count all MAPPA-eligible individuals only on 31 March; over the "
                                      "year they count only those managed at Levels 2 and 3.",
                                      [m for m in in_scope if m.series.measure in ("eligible", "eligible_l23")],
                                      by_series)
        found = next((m for m in in_scope if m.series.measure == wanted), None)
        if found is None:  # never the snapshot for a question about the year, or the other way round
            what = "over the year (Levels 2 and 3)" if yearly else "on 31 March"
            return best, self._refuse(f"The indexed report(s) give no count of MAPPA-eligible individuals {what}.",
                                      [best], by_series)
        return found, None

    def _stand_in(self, best: Match, in_scope: list[Match]) -> Match | None:
        """What a report counts in place of a measure it does not give: the order it replaced or was replaced
        by in 2015, or the combined breach figure's parts."""
        measure = best.series.measure
        found = next((m for m in in_scope if counterpart(measure) and m.series.measure == counterpart(measure)), None)
        if found:
            return found
        parts = [m for m in in_scope if m.series.measure in PARTS.get(measure, ())]
        return best if len(parts) == 2 else None

    def _compose(self, best: Match, facts: list[Fact], by_series, in_scope: list[Match], scope: list[Report]) -> Answer:
        query = self.query
        per_report = _by_report(facts)
        combined_parts: dict[str, list[Fact]] = {}  # reports that split the combined breach figure
        if best.series.measure in PARTS:
            for m in in_scope:
                if m.series.measure in PARTS[best.series.measure]:
                    for fact in by_series[m.series.id]:
                        if fact.doc not in per_report:
                            combined_parts.setdefault(fact.doc, []).append(fact)
        docs = list(dict.fromkeys([*per_report, *combined_parts]))
        sample = (facts or [f for parts in combined_parts.values() for f in parts])[0]
        what = (MEASURES["notification_breach"].label if not facts else describe(sample, query.category, query.level))

        latest = max(per_report.values(), key=lambda group: group[0].period or "", default=[])
        if (query.operation in ("sum_cells", "difference_cells") and best.series.measure  # others: by their labels
                and len(self._cells_named(latest)) > 1):
            return self._cells(best, latest, by_series)
        figures: list[Figure] = []
        for doc in docs:
            figure = figure_of(per_report.get(doc, []), query.category, query.level, query.words,
                               sorted(combined_parts.get(doc, []), key=lambda f: f.measure or ""))
            if figure:
                figures.append(figure)
        if not figures:
            return self._refuse(f"The indexed report(s) ({self._where(scope)}) give no figure for {what}.",
                                [best], by_series)
        notes = [replacement_note(best.series.measure, query.terms, figures[-1].period),
                 described(best.series.measure).note if best.series.measure else None,
                 self._close_note(best, in_scope, by_series, figures[-1])]
        answer = fact_answer(query, what, figures, [], " ".join(n for n in notes if n) or None)
        # Cited in the order of the answer's facts: the figure answered first.
        return replace(answer, citations=tuple(self.index._fact_citations(list(answer.facts))[: self.top_k]))

    def _incidental(self, match: Match) -> bool:
        """Whether a match rests on one word of its description that does not name it ("going *back* a decade"
        beside "sent back to prison"): too little to say that is what the question counts."""
        if match.series.measure in PEOPLE_MEASURES:  # their description is all the ways people name them
            return False
        held = _held_roots(self.query, match)
        return len(held) < 2 and not held & _naming_roots(match)

    def _cells_named(self, facts: list[Fact]) -> list[tuple[int | None, int | None]]:
        """The (category, level) cells of a report's grid the question names; all the levels the table counts,
        unless they are what is compared ("levels 2 and 3" of a Level 2 and 3 table), are its Total."""
        levels = self.query.levels
        compared = self.query.operation == "difference_cells" and len(self.query.categories) < 2  # the levels
        if not compared and set(levels) == {f.level for f in facts if f.level}:
            levels = ()
        return [(c, lvl) for c in self.query.categories or (None,) for lvl in levels or (None,)]

    def _cells(self, best: Match, facts: list[Fact], by_series) -> Answer:
        """Several cells of one report's grid the question names ("levels 2 and 3", "Category 2 and Category 3",
        "how many more at Level 2 than at Level 3"): their sum or difference, or a refusal when the report
        does not give each of them (never its total instead)."""
        query = self.query
        cells = self._cells_named(facts)
        figures = [figure_of(facts, c, lvl, query.words) for c, lvl in cells]
        if not (best.series.measure and MEASURES[best.series.measure].grid):
            return self._refuse(f"The reports give {self._label(best, by_series)} as one figure, not by category "
                                "or level.", [best], by_series)
        if query.operation == "difference_cells" and len(cells) != 2:
            return self._refuse("The question compares more than two cells of a table; ask for two at a time.",
                                [best], by_series)
        if not facts or not all(figures):
            return self._refuse(f"The indexed report(s) do not give {self._label(best, by_series)} for each "
                                "category and level named.", [best], by_series)
        cited = [f for figure in figures for f in figure.facts]
        return cells_answer(query, figures, self.index._fact_citations(cited)[: self.top_k])

    def _close_note(self, best: Match, in_scope: list[Match], by_series, figure: Figure) -> str | None:
        """Name the runner-up when it scores close to the winner: two rows a question could mean."""
        others = [m for m in in_scope if m.series.id != best.series.id and m.series.measure != best.series.measure]
        if not others or others[0].score < CLOSE * best.score or best.score <= 0:
            return None
        runner = others[0]
        facts = [f for f in by_series[runner.series.id] if f.doc == figure.facts[0].doc]
        found = figure_of(facts, self.query.category, self.query.level, self.query.words) if facts else None
        if not found:
            return None
        return f"Closest other figure: {describe(found.facts[0], self.query.category, self.query.level)}: {fmt(found.value)}."

    # -------------------------------------------------------------------------------- refusals

    def _label(self, match: Match, by_series) -> str:
        facts = by_series.get(match.series.id)
        if facts:
            return describe(facts[0], self.query.category, self.query.level)
        return described(match.series.measure).label if match.series.measure else match.series.text

    def _where(self, scope: list[Report]) -> str:
        names = [f"{r.area} {r.period}" for r in scope]
        return ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")

    def _figures(self, matches: list[Match], by_series, every_area: bool = False) -> list[Figure]:
        """The figures of the first of `matches` a report holds, at the cell asked (else its total), one per
        report: the latest report of each area when `every_area`."""
        for match in matches:
            facts = by_series.get(match.series.id)
            if not facts:
                continue
            figures = []
            for group in _by_report(facts).values():
                figure = (figure_of(group, self.query.category, self.query.level, self.query.words)
                          or figure_of(group, None, None, ()))
                if figure:
                    figures.append(figure)
            figures.sort(key=lambda f: (f.area or "", f.period or ""))
            if every_area:
                latest = {f.area: f for f in figures}
                figures = list(latest.values())
            if figures:
                return figures
        return []

    def _refuse(self, reason: str, matches: list[Match], by_series, every_area: bool = False) -> Answer:
        nearest = self._nearest([f for m in matches[:2] for f in self._figures([m], by_series, every_area)])
        if nearest is None:
            return not_found(self.query.text, reason)
        return not_found(self.query.text, reason, nearest.note, facts=nearest.facts, citations=nearest.citations)

    def _nearest(self, figures: list[Figure]) -> Nearest | None:
        if not figures:
            return None
        groups: dict[str, list[Figure]] = {}
        for figure in figures:
            groups.setdefault(describe(figure.facts[0], *_cell(figure)), []).append(figure)
        note = "Nearest figures held: " + " ".join(f"{what}: {listing(group)}." for what, group in groups.items())
        facts = tuple(f for figure in figures for f in figure.facts)
        return Nearest(note, facts, tuple(self.index._fact_citations(list(facts))[: self.top_k]))

    def nearest(self, scope: list[Report]) -> Nearest | None:
        """The figures nearest to what the question asks, in `scope`, for a refusal made before the fact
        stage (an area not indexed, a place that is no area)."""
        series, by_series = self._candidates(scope)
        matches = [m for m in self._rank(series, dense=False) if m.series.id in by_series and m.coverage > 0]
        if not matches and (self.query.category or self.query.levels):
            matches = [m for m in self._rank(series, dense=False) if m.series.measure == PEOPLE_MEASURE]
        if not matches or not good_enough(matches[0]):
            return None
        return self._nearest(self._figures(matches[:1], by_series, every_area=True))

    def nearest_note(self, scope: list[Report]) -> str | None:
        nearest = self.nearest(scope)
        return nearest.note if nearest else None


def _is_rate(match: Match) -> bool:
    """Whether a candidate is a rate per head of population: by its measure, or for a table outside the
    template, by its printed labels."""
    if match.series.measure:
        return described(match.series.measure).rate
    return "per 100" in match.series.text.lower()


def _held_roots(query: Query, match: Match) -> set[str]:
    """The roots of the question's words of what is counted that the match's description holds."""
    return set(roots(query.terms)) & match.series.tokens


def _naming_roots(match: Match) -> frozenset[str]:
    """The roots of the words that name what a candidate counts: its label's and the other names people
    give it ("recalls")."""
    names = described(match.series.measure).names if match.series.measure else ""
    return match.series.label | roots(tokenize(names))


def _by_report(facts: list[Fact]) -> dict[str, list[Fact]]:
    per_report: dict[str, list[Fact]] = {}
    for fact in facts:
        per_report.setdefault(fact.doc, []).append(fact)
    return per_report


def _cell(figure: Figure) -> tuple[int | None, int | None]:
    fact = figure.facts[0]
    return (fact.category, fact.level) if len(figure.facts) == 1 else (None, None)
