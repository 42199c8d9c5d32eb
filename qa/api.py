"""The opened index and what can be asked of it: answers, passages, facts and the list of reports.

Loading is lazy and nothing is read for every passage: opening reads the reports table; a fact question
reads its facts; a passage question reads its terms' BM25 postings, searches the FAISS vectors (loaded the
first time) and reads the passages it cites by id.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import contents, cover, rerank, spelling, store
from .answer import Answer, Citation, mentions, not_found, passage_answer
from .answertype import asked_for, asks_for_text
from .documents import page_span
from .embed import Embedder, SentenceTransformerEmbedder
from .encoder import EncoderFiles, OnnxEmbedder
from .errors import BadInput, IndexStale
from .facts import VOCABULARY_VERSION, Fact
from .findfacts import FactFinder
from .lexical import LexicalIndex
from .lookup import idf_table, roots
from .query import Query, parse_question
from .retrieve import DenseSearch, Fusion, Hit
from .sentences import continuation
from .settings import Settings
from .text import tokenize
from .vocabulary import (
    MEASURES,
    NATIONAL_SCOPE,
    NATIONAL_WORDS,
    canonical_area,
    normalise_period,
)

if TYPE_CHECKING:
    import numpy as np

MAX_QUESTION_CHARS = 1000  # longer questions are read up to here
RETRIEVERS = ("hybrid", "fused", "bm25", "dense")  # hybrid: fused, then reranked (qa/rerank.py)
# Words that tie a passage to a question without saying what it is about.
PASSAGE_FILLER = frozenset(tokenize("mappa multi agency public protection arrangements report annual year number "
                                   "many much people individual offender area figure total"))
T = TypeVar("T")
SCOPES_CACHED = 256  # what an open index keeps of the scopes asked about (see Index.per_scope)
MIN_PASSAGE_EVIDENCE = 1.0  # idf weight of the question's own words a best passage must hold (see README)
DEFAULT_FUSION = Fusion(bm25_weight=1.0, dense_weight=0.5, k=5)  # tuned on the gold set: see README
CONTENTS_LINES = 150  # a contents page is looked for in each report's first lines (a few printed pages)
CONTENTS_REPORTS = 20  # with more reports in scope, only those of the best passages are looked at


@dataclass(frozen=True)
class Report:
    """An indexed report, as `qa reports` lists it."""

    id: int
    doc: str
    area: str | None
    period: str | None
    title: str
    lines: int
    sections: int
    chunks: int
    facts: int
    flags: tuple[str, ...]
    warnings: tuple[str, ...]
    # Other indexed reports for the same area and period, with different text (two versions of one report,
    # say): both are kept, and answers drawing on them should say they may disagree.
    same_area_and_period: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items() if k != "id"}


@dataclass(frozen=True)
class _ChunkRow:
    id: int
    report_id: int
    section: str
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]


class Index:
    """An opened index. Create it with `qa.open_index(...)`."""

    def __init__(self, index_dir: Path, model: str | None = None, embedder: Embedder | None = None,
                 fusion: Fusion = DEFAULT_FUSION):
        self.index_dir = Path(index_dir)
        self.db = store.open_existing(self.index_dir)
        self.manifest = store.read_manifest(self.db)
        indexed_model = self.manifest.get("model")
        if model and model != indexed_model:
            raise IndexStale(f"{self.index_dir}/ was built with model {indexed_model!r}, not {model!r}: "
                             "run `qa index --rebuild`")
        if self.manifest.get("vocabulary") != VOCABULARY_VERSION:
            raise IndexStale(f"{self.index_dir}/ was built with another version of the measure vocabulary, table parser or text layer: "
                             "run `qa index --rebuild`")
        self.model_id = indexed_model
        self._embedder = embedder
        self.fusion = fusion
        self.reports: dict[int, Report] = {}
        self._page_starts: dict[int, tuple[int, ...]] = {}
        # One query over the reports table alone: counts and flags were stored when each report was indexed.
        for row in self.db.execute("SELECT * FROM reports ORDER BY area, period"):
            flags = tuple(f"{MEASURES[m].label if m in MEASURES else (m or 'table')}: {flag}" for m, flag in json.loads(row["flags"]))
            self._page_starts[row["id"]] = tuple(int(n) for n in row["page_starts"].split())
            self.reports[row["id"]] = Report(
                row["id"], row["path"], row["area"], row["period"], row["title"], row["lines"], row["sections"],
                row["chunks"], row["facts"], flags, tuple(w for w in row["warnings"].split("\n") if w),
            )
        self._chunks: list[_ChunkRow] | None = None
        self._bm25: LexicalIndex | None = None
        self._dense: DenseSearch | None = None
        self._series_table: tuple[dict, dict] | None = None
        self._encoder_pool: ThreadPoolExecutor | None = None
        self._per_scope: dict[tuple, object] = {}  # see `per_scope`
        self._asking = threading.local()  # the question being asked on this thread, and its vector once asked for

    # ------------------------------------------------------------------------------------ lazy parts

    @property
    def chunks(self) -> list[_ChunkRow]:
        """Every passage, read from the database the first time (no question needs this: see `_citations`)."""
        if self._chunks is None:
            self._chunks = [
                _ChunkRow(r["id"], r["report_id"], r["section"], r["start_line"], r["end_line"], r["text"],
                          tuple(r["tokens"].split()))
                for r in self.db.execute("SELECT * FROM chunks ORDER BY id")
            ]
        return self._chunks

    @property
    def bm25(self) -> LexicalIndex:
        """The BM25 index on disk: opening it reads one row; each search reads its terms' postings."""
        if self._bm25 is None:
            self._bm25 = LexicalIndex(self.db)
        return self._bm25

    @property
    def dense(self) -> DenseSearch:
        if self._dense is None:
            import faiss

            path = self.index_dir / self.manifest.get("vectors", "")
            if not path.is_file():
                raise IndexStale(f"{self.index_dir}/ has lost its vectors file: run `qa index --rebuild`")
            self._dense = DenseSearch(faiss.read_index(str(path)))
        return self._dense

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            files = EncoderFiles.from_manifest(self.manifest, self.index_dir)
            self._embedder = (OnnxEmbedder(self.index_dir, files, questions=True) if files
                              else SentenceTransformerEmbedder(self.model_id))
        return self._embedder

    def load(self) -> Index:
        """Load what a passage question needs now (BM25 statistics, vectors, query encoder), e.g. in a server."""
        self.bm25  # noqa: B018
        self.dense  # noqa: B018
        self.embedder.encode(["warm up"])
        return self

    # ---------------------------------------------------------------------------------------- scope

    def _scope(self, query: Query, figures: bool = False) -> list[Report]:
        """The reports a question is about; for its `figures`, a lone year ("in 2024") is the year to March of
        it only, while its text may come from either reporting year the year falls in."""
        if query.pairs:  # each area in its own year
            return [r for r in self.reports.values() if (r.area, r.period) in query.pairs]
        periods = query.periods if figures else query.text_periods
        return [r for r in self.reports.values() if (not query.areas or r.area in query.areas)
                and (not periods or r.period in periods) and r.area not in query.excluded]

    def _indexed(self) -> str:
        by_area: dict[str, list[str]] = {}
        for report in self.reports.values():
            by_area.setdefault(report.area or "(unknown area)", []).append(report.period or "(unknown period)")
        return "; ".join(f"{area} {', '.join(sorted(periods))}" for area, periods in sorted(by_area.items()))

    # ------------------------------------------------------------------------------------------ ask

    def ask(self, question: str, top_k: int = 5, area: str | None = None, period: str | None = None,
            retriever: str = "hybrid", use_facts: bool = True) -> Answer:
        """Answer a question: a cited figure from the tables when one matches what it asks, else cited
        passages, else `not_found` with the reason and the nearest figures held.

        The question visits each stage once: parse -> scope -> find facts and/or passages -> compose.
        `area`/`period` (any written form) restrict the answer to those reports. Raises BadInput for an
        empty question, an unknown area or period, or an unknown retriever.
        """
        query = self.parse(question, area, period)
        if retriever not in RETRIEVERS:
            raise BadInput(f"unknown retriever {retriever!r}: use one of {', '.join(RETRIEVERS)}")
        self._asking.active = True
        try:
            if self._embedder is not None and retriever != "bm25" and not query.wants_number:
                # Likely answered from the text, with the encoder loaded: encode the question on the encoder
                # thread while the stages before the passages run.
                self.question_vector(query.text)
            answer = self._answer(query, top_k, retriever, use_facts)
            asked = " ".join(question.split())[:MAX_QUESTION_CHARS]
            return answer if answer.question == asked else replace(answer, question=asked)  # as typed, not as read
        finally:
            self._asking.active, self._asking.vector, self._asking.rows = False, None, None

    def _answer(self, query: Query, top_k: int, retriever: str, use_facts: bool) -> Answer:
        if (query.places or query.wider or query.sub_area) and not query.operation and asks_for_text(query.text):
            # "Which Act requires … in Scottish reports", "what number … for Victim Support in Newbury": an item of
            # the text, whose place is no scope of figures; whatever number words it holds, it asks for no figure.
            query = replace(query, wants_number=False, says_number=False, asks_about_text=True)
        finder = FactFinder(self, query, top_k) if use_facts else None
        if refusal := self._out_of_scope(query, finder):
            return refusal
        if contents.is_page_question(query.text) and (answer := self._page_answer(query, retriever)):
            return answer
        if cover.cover_question(query.text) and (answer := cover.cover_answer(query.text, self._scoped_openings(query, retriever))):
            return answer
        figures_scope = self._scope(query, figures=True)
        if finder and (answer := finder.answer(figures_scope)):
            return self._stated_share(query, answer, retriever) if query.operation == "share" else answer
        if finder and query.wants_number and not figures_scope and (nearest := finder.nearest(self._scope(query))):
            # "SHPOs in Norfolk in 2024": a table's figure, of a year whose report is not indexed
            where = f"{' or '.join(query.areas)} " if query.areas else ""
            return not_found(query.text, f"No {where}report for {query.periods[0]} is indexed (a year on its own is "
                             "the reporting year to March of it).", nearest.note, area=(query.areas or [None])[0],
                             period=query.periods[0], facts=nearest.facts, citations=nearest.citations)
        if query.wants_number and query.operation:
            return not_found(query.text, "No table in the indexed reports gives the figures this needs.")
        citations = self.search(query, top_k=top_k, retriever=retriever)
        if not citations or not self._relevant(query, citations[0]):
            return not_found(query.text, "Nothing in the indexed reports answers this question.")
        if query.places and not any(mentions(c.text, place) for c in citations for place in query.places):
            # "my neighbour in Crewe ...": the reports are about whole areas; no passage found speaks of the place
            return not_found(query.text, f"No passage of the indexed reports speaks of {' or '.join(query.places)}: "
                             "they report on whole MAPPA areas.", f"Indexed: {self._indexed()}.")
        if ((query.wants_number or query.rate) and not query.asks_about_text and use_facts
                and self._is_table(citations[0])):  # never a header line
            return not_found(query.text, "No figure in the indexed reports' tables matches what this asks for.",
                             finder.nearest_note(self._scope(query)) if finder else None)
        return passage_answer(query, citations, self._idf(), self.question_weights(query))

    def _stated_share(self, query: Query, answer: Answer, retriever: str) -> Answer:
        """A share worked out from a table, cited first with the passage of its report that states it ("the
        majority (93% this year) are ... managed at Level 1"), when one of the best passages does."""
        if answer.status != "answered":
            return answer
        stated = re.compile(rf"(?<![\d.]){answer.value}\s*(?:%|per ?cent)", re.IGNORECASE)
        same_report = {fact.doc for fact in answer.facts}
        for citation in self.search(query, top_k=3, retriever=retriever):
            if citation.doc in same_report and stated.search(citation.text):
                return replace(answer, citations=(citation, *answer.citations),
                               note=" ".join(filter(None, [f"The report states {answer.value}% itself (cited first).",
                                                           answer.note])))
        return answer

    def _page_answer(self, query: Query, retriever: str) -> Answer | None:
        """"On what page is …", from the contents pages of the reports in scope (those of the best passages
        first; only theirs when the scope is large)."""
        # A title's words are matched with the filler every passage shares ("Serious Further Offences by MAPPA
        # Area" is not "Serious Further Offences"); only the words naming the reports in scope are left out.
        weights = rerank.question_weights(query.tokens, self._idf(), self._scope_words(query))
        return contents.page_answer(query.text, self._scoped_openings(query, retriever), weights)

    def _scoped_openings(self, query: Query, retriever: str) -> list[Citation]:
        """The opening lines of the reports in scope (see `_openings`), those of the best passages first; only
        theirs when the scope is large."""
        ranked = list(dict.fromkeys(c.doc for c in self.search(query, top_k=CONTENTS_REPORTS, retriever=retriever)))
        scope = self._scope(query)
        if len(scope) > CONTENTS_REPORTS:
            scope = [r for r in scope if r.doc in ranked]
        scope.sort(key=lambda r: ranked.index(r.doc) if r.doc in ranked else len(ranked))
        openings = self._openings([r.id for r in scope])
        return [openings[r.id] for r in scope if r.id in openings]

    def _openings(self, report_ids: list[int]) -> dict[int, Citation]:
        """The opening lines of each report (its passages starting in the first CONTENTS_LINES lines, with
        the blank lines between them), as one citation per report: where a contents page is."""
        if not report_ids:
            return {}
        rows = self.db.execute(
            "SELECT report_id, start_line, text FROM chunks WHERE report_id IN"
            f" ({','.join('?' * len(report_ids))}) AND start_line <= ? ORDER BY id", (*report_ids, CONTENTS_LINES))
        lines: dict[int, dict[int, str]] = {}
        for row in rows:
            for number, line in enumerate(row["text"].split("\n"), start=row["start_line"]):
                lines.setdefault(row["report_id"], {})[number] = line
        out = {}
        for report_id, held in lines.items():
            first, last = min(held), max(held)
            text = "\n".join(held.get(n, "") for n in range(first, last + 1))
            report = self.reports[report_id]
            out[report_id] = Citation(report.doc, report.title, report.area, report.period, "Contents", (first, last),
                                      text, 1.0, page_span(self._page_starts[report_id], first, last))
        return out

    def _out_of_scope(self, query: Query, finder: FactFinder | None) -> Answer | None:
        """A not_found answer when the question names a scope no indexed report covers: an area or period
        not indexed, a place that is not a MAPPA area, or a scope wider than one area."""
        reason = None
        missing_areas = [a for a in query.areas if all(r.area != a for r in self.reports.values())]
        if missing_areas:
            reason = f"No report for {' or '.join(missing_areas)} is indexed."
        elif query.places and query.wants_number:
            reason = (f"{' and '.join(query.places)} {'is not a MAPPA area' if len(query.places) == 1 else 'are not MAPPA areas'}:"
                      " the reports give figures for whole MAPPA areas (police force areas) only.")
        elif query.wider and query.wants_number:
            reason = (f"The indexed reports are area reports; they give no figure for \"{query.wider}\", and adding up "
                      "the areas that happen to be indexed would not make one.")
        elif query.sub_area and query.wants_number:
            part = "for part of one" if "rest of" in query.sub_area.lower() else f"by {query.sub_area}"
            reason = f"The reports give figures for whole MAPPA areas, not {part}."
        elif query.pairs:
            held = {(r.area, r.period) for r in self.reports.values()}
            if missing_pairs := [f"{a} {p}" for a, p in query.pairs if (a, p) not in held]:
                reason = f"No report for {' or '.join(missing_pairs)} is indexed."
        else:
            for area in query.areas or [None]:
                held = {r.period for r in self.reports.values() if area is None or r.area == area}
                missing = [p for p in query.text_periods if p not in held]
                if missing and not (query.either_period and len(missing) < len(query.text_periods)):
                    where = f"{area} " if area else ""
                    reason = f"No {where}report for {' or '.join(missing)} is indexed."
                    break
        if reason is None:
            return None
        nearest = finder.nearest(self._nearest_scope(query)) if finder and query.wants_number else None
        if nearest:
            return not_found(query.text, reason, nearest.note, area=(missing_areas or [None])[0],
                             period=query.periods[0] if query.periods else None, facts=nearest.facts,
                             citations=nearest.citations)
        return not_found(query.text, reason, f"Indexed: {self._indexed()}.", area=(missing_areas or [None])[0],
                         period=query.periods[0] if query.periods else None)

    def _nearest_scope(self, query: Query) -> list[Report]:
        """The reports whose figures are nearest to an out-of-scope question: those of the indexed areas it
        names, else those of the periods it names, else the latest of each area."""
        areas = [r for r in self.reports.values() if r.area in query.areas]
        if areas:
            return areas
        periods = [r for r in self.reports.values() if r.period in query.periods]
        if periods:
            return periods
        latest: dict[str | None, Report] = {}
        for report in self.reports.values():
            if report.area not in latest or (report.period or "") > (latest[report.area].period or ""):
                latest[report.area] = report
        return list(latest.values())

    def parse(self, question: str, area: str | None = None, period: str | None = None) -> Query:
        """The Query for a question and the --area/--period options; raises BadInput for unusable input."""
        if not isinstance(question, str) or not question.strip():
            raise BadInput('empty question: ask something like "how many SHPOs in Norfolk 2024/25"')
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        area_name = None
        if area:
            area_name = (canonical_area(area) or self._indexed_place(area)
                         or (NATIONAL_SCOPE if re.fullmatch(NATIONAL_WORDS, area.strip(), re.I) else None))
            if area_name is None:
                raise BadInput(f"--area {area!r} is not a MAPPA area (e.g. Norfolk, London, Cheshire)")
        period_name = None
        if period:
            period_name = normalise_period(period)
            if period_name is None:
                raise BadInput(f"--period {period!r} is not a reporting year (e.g. 2024/25, 2024-25, 2025)")
        query = parse_question(spelling.correct(question, self._known_words), area_name, period_name)
        indexed = {place: self._indexed_place(place) for place in query.places}
        if any(indexed.values()):
            # A place that is no MAPPA area of England and Wales, but an indexed report's (a Scottish one)
            query = replace(query, areas=(*query.areas, *(area for area in indexed.values() if area)),
                            places=tuple(place for place, area in indexed.items() if not area))
        if (query.wider and not query.areas and re.search(NATIONAL_WORDS, query.wider, re.IGNORECASE)
                and any(r.area == NATIONAL_SCOPE for r in self.reports.values())):
            query = replace(query, areas=(NATIONAL_SCOPE,), wider=None)  # a national report is indexed: it answers
        return query

    def _known_words(self, words: list[str]) -> set[str]:
        """Those of `words` whose every token some indexed passage holds."""
        tokens = {word: tokenize(word) for word in words}
        held = self.bm25.idf([t for ts in tokens.values() for t in ts])
        return {word for word, ts in tokens.items() if ts and all(t in held for t in ts)}

    def _indexed_place(self, name: str) -> str | None:
        """The area of an indexed report outside the 42 (detected from its text) that `name` names."""
        wanted = " ".join(name.split()).lower()
        return next((r.area for r in self.reports.values() if r.area and r.area.lower() == wanted), None)

    def facts_of(self, report_ids: list[int], series_ids: tuple[int, ...] = ()) -> list[tuple[int, Fact]]:
        """The facts of the given reports (of the given series only, when named) as (series id, fact), in
        reading order."""
        if not report_ids:
            return []
        sql = (f"SELECT f.*, r.path, r.area, r.period FROM facts f JOIN reports r ON r.id = f.report_id "
               f"WHERE f.report_id IN ({','.join('?' * len(report_ids))})")
        if series_ids:
            sql += f" AND f.series_id IN ({','.join('?' * len(series_ids))})"
        return [(row["series_id"], _fact(row)) for row in self.db.execute(sql + " ORDER BY f.id", (*report_ids, *series_ids))]

    def series_of(self, report_ids: list[int]) -> list[tuple[int, str | None, str]]:
        """(series id, measure, a row label) of every series the given reports' facts belong to: what they count,
        without reading the facts themselves."""
        sql = (f"SELECT series_id, measure, MIN(row_label) FROM facts WHERE report_id IN ({','.join('?' * len(report_ids))})"
               " GROUP BY series_id ORDER BY MIN(id)")
        return [tuple(row) for row in self.db.execute(sql, report_ids)] if report_ids else []

    def per_scope(self, what: str, scope: tuple, work_out: Callable[[], T]) -> T:
        """`work_out()` for one scope of reports, done once: the questions of a server share a few scopes, and a
        scope may hold hundreds of reports. The index is read-only while open, so what is kept stays true."""
        key = (what, scope)
        if key not in self._per_scope:
            if len(self._per_scope) >= SCOPES_CACHED:
                self._per_scope.clear()
            self._per_scope[key] = work_out()
        return self._per_scope[key]

    def _facts_where(self, report_ids: list[int], measures: list[str]) -> list[Fact]:
        if not report_ids:
            return []
        sql = (f"SELECT f.*, r.path, r.area, r.period FROM facts f JOIN reports r ON r.id = f.report_id "
               f"WHERE f.report_id IN ({','.join('?' * len(report_ids))}) "
               f"AND f.measure IN ({','.join('?' * len(measures))}) ORDER BY f.id")
        return [_fact(row) for row in self.db.execute(sql, (*report_ids, *measures))]

    @property
    def series_table(self) -> tuple[dict[int, tuple[str, frozenset[str]]], dict[str, float]]:
        """Every description of what facts count (a few per measure, not per report), read once: id -> (text,
        roots of its words), and the idf of each root among them."""
        if self._series_table is None:
            rows = {row[0]: (row[1], roots(row[2].split()))
                    for row in self.db.execute("SELECT id, text, tokens FROM series ORDER BY id")}
            self._series_table = rows, idf_table([tokens for _, tokens in rows.values()])
        return self._series_table

    def series_vectors(self, ids: list[int]) -> dict[int, bytes]:
        rows = self.db.execute(f"SELECT id, vector FROM series WHERE id IN ({','.join('?' * len(ids))})", ids)
        return {row[0]: row[1] for row in rows if row[1] is not None}

    def _relevant(self, query: Query, top: Citation) -> bool:
        """Whether the best passage shares any meaningful word with the question: an off-topic or nonsense
        question gets not_found, not an unrelated passage.

        Words match by their roots ("include" asks about "including", "publishes" about "published"), each
        weighing the idf of the passage's word: a question's form of a word may be one no report prints."""
        idf = self._idf()
        ignored = self._scope_words(query) | PASSAGE_FILLER
        asked = {rerank.root(t) for t in query.asked_tokens if t not in ignored} - {rerank.root(t) for t in ignored}
        held: dict[str, float] = {}
        for token in set(tokenize(f"{top.section} {top.text}")):
            if (key := rerank.root(token)) in asked:
                held[key] = max(held.get(key, 0.0), idf.get(token, 0.0))
        return sum(held.values()) >= MIN_PASSAGE_EVIDENCE

    def _is_table(self, citation: Citation) -> bool:
        """Whether a cited passage is (part of) a statistics table: its lines hold facts."""
        row = self.db.execute(
            "SELECT 1 FROM facts f JOIN reports r ON r.id = f.report_id WHERE r.path = ? AND f.start_line <= ?"
            " AND f.end_line >= ? LIMIT 1", (citation.doc, citation.lines[1], citation.lines[0])).fetchone()
        return row is not None

    def _fact_citations(self, facts: list[Fact]) -> list[Citation]:
        """One citation per fact's chunk: the table passage that holds the row."""
        hits, seen = [], set()
        for fact in facts:
            row = self.db.execute(
                "SELECT c.id FROM chunks c JOIN reports r ON r.id = c.report_id WHERE r.path = ? AND c.start_line <= ?"
                " AND c.end_line >= ? ORDER BY c.id LIMIT 1", (fact.doc, fact.lines[1], fact.lines[0])).fetchone()
            if row and row[0] not in seen:
                seen.add(row[0])
                hits.append(Hit(row[0], 1.0))
        return self._citations(hits)

    def _citations(self, hits: list[Hit]) -> list[Citation]:
        """Citations for `hits`, in their order; the passages are read by id, in one query."""
        rows = self._chunk_rows([hit.chunk_id for hit in hits])
        return [self._citation(hit, rows[hit.chunk_id]) for hit in hits]

    def _chunk_rows(self, ids: list[int]) -> dict:
        """The chunks table's rows for `ids` (id -> row), read in one query; once per question asked, whichever
        stages read them (the reranker's two readings, the citations)."""
        held = getattr(self._asking, "rows", None)
        if held is None:
            held = {}
            if getattr(self._asking, "active", False):
                self._asking.rows = held
        missing = [i for i in ids if i not in held]
        if missing:
            held.update((r["id"], r) for r in self.db.execute(
                "SELECT id, report_id, section, start_line, end_line, text FROM chunks"
                f" WHERE id IN ({','.join('?' * len(missing))})", missing))
        return {i: held[i] for i in ids if i in held}

    def _citation(self, hit: Hit, row=None) -> Citation:
        if row is None:
            row = self.db.execute("SELECT id, report_id, section, start_line, end_line, text FROM chunks WHERE id = ?",
                                  (hit.chunk_id,)).fetchone()
        report = self.reports[row["report_id"]]
        start, end = row["start_line"], row["end_line"]
        return Citation(report.doc, report.title, report.area, report.period, row["section"], (start, end),
                        row["text"], hit.score, page_span(self._page_starts[report.id], start, end))

    def _idf(self) -> Mapping[str, float]:
        """idf by term, looked up in the lexical index only for the terms asked for (the question's)."""
        return self.bm25.idf_view()

    # --------------------------------------------------------------------------------------- search

    def search(self, query: Query | str, top_k: int = 5, retriever: str = "hybrid",
               area: str | None = None, period: str | None = None) -> list[Citation]:
        """The `top_k` passages for a question, best first, within the areas and periods it names.

        "hybrid" fuses BM25 and dense rankings and reorders the best CANDIDATES by finer evidence
        (qa/rerank.py); "fused" stops after the fusion; "bm25" and "dense" are one ranking alone.
        """
        if isinstance(query, str):
            query = self.parse(query, area, period)
        hits, bm25, read = self._first_stage(query, max(top_k * 4, rerank.CANDIDATES), retriever)
        if retriever == "hybrid" and len(hits) > 1:
            hits = self._second_stage(query, hits[: rerank.CANDIDATES], bm25, read) + hits[rerank.CANDIDATES :]
        return [self._run_on(citation) for citation in self._citations(hits[:top_k])]

    def _run_on(self, citation: Citation) -> Citation:
        """A passage cut mid-sentence, cited with the printed lines of the next passage that finish the
        sentence (qa.sentences.continuation) when that passage starts on the line right under it: the answer
        sentence is read whole. `text` stays exactly the file's lines, `lines` their span (a passage of one line
        may be a piece of a line without breaks: passages of one line are neither read on nor read on from)."""
        if citation.lines[0] == citation.lines[1]:
            return citation
        row = self.db.execute("SELECT c.report_id, c.text FROM chunks c JOIN reports r ON r.id = c.report_id"
                              " WHERE r.path = ? AND c.start_line = ? AND c.end_line > c.start_line ORDER BY c.id LIMIT 1",
                              (citation.doc, citation.lines[1] + 1)).fetchone()
        more = continuation(citation.text, row["text"]) if row else []
        if not more:
            return citation
        start, end = citation.lines[0], citation.lines[1] + len(more)
        return replace(citation, lines=(start, end), text="\n".join([citation.text, *more]),
                       pages=page_span(self._page_starts[row["report_id"]], start, end))

    def _first_stage(self, query: Query, pool: int, retriever: str) -> tuple[list[Hit], dict[int, float], dict]:
        """The `pool` best passages by BM25, dense search or their fusion, the BM25 score of each of them
        that holds a word of the question (chunk id -> score; also those only dense search found), and the
        second stage's readings of the best BM25 passages, done while the question was being encoded."""
        import numpy as np

        report_ids = None
        if query.areas or query.periods or query.excluded:
            report_ids = sorted(r.id for r in self._scope(query))
        encoding = None
        if retriever != "bm25":
            # The question is encoded on another thread (onnxruntime releases the GIL) while BM25 reads its
            # postings: on two cores a passage answer waits for the longer of the two, not their sum.
            encoding = self.question_vector(query.text)
        ids, scores = np.zeros(0, dtype=np.int64), np.zeros(0)
        allowed = self._chunk_ids(report_ids)
        if retriever != "dense":
            ids, scores = self.bm25.scores(query.tokens, report_ids, allowed)  # chunk ids ascending
            ids, scores = ids[scores > 0], scores[scores > 0]
        # Best first; ties to the lower chunk id, as LexicalIndex.search ranks them.
        bm25_hits = [Hit(int(ids[i]), float(scores[i])) for i in np.argsort(-scores, kind="stable")[:pool]]
        read = {}
        if retriever == "hybrid" and encoding is not None and not encoding.done():
            read = self._read(query, bm25_hits[: rerank.CANDIDATES], {h.chunk_id: h.score for h in bm25_hits})
        dense_hits = []
        if encoding is not None:
            dense_hits = self.dense.search(encoding.result()[0], pool, allowed)
        hits = {"bm25": bm25_hits, "dense": dense_hits}.get(retriever) or self.fusion.fuse(bm25_hits, dense_hits)
        found = np.array([hit.chunk_id for hit in hits], dtype=np.int64)
        at = np.clip(np.searchsorted(ids, found), 0, max(len(ids) - 1, 0))
        held = (ids[at] == found) if len(ids) else np.zeros(len(found), dtype=bool)
        bm25 = {int(c): float(scores[i]) for c, i, h in zip(found, at, held, strict=True) if h}
        return hits, bm25, read

    def _candidates(self, hits: list[Hit], bm25: dict[int, float]) -> list[rerank.Candidate]:
        rows = self._chunk_rows([hit.chunk_id for hit in hits])
        return [rerank.Candidate(h.chunk_id, rows[h.chunk_id]["section"], rows[h.chunk_id]["text"],
                                 rows[h.chunk_id]["start_line"], bm25.get(h.chunk_id, 0.0)) for h in hits]

    def _read(self, query: Query, hits: list[Hit], bm25: dict[int, float]) -> dict[int, rerank.Reading]:
        """The reranker's readings of `hits` (chunk id -> Reading)."""
        weights, wanted = self.question_weights(query), asked_for(query.text)
        return {c.chunk_id: rerank.reading(c, weights, wanted) for c in self._candidates(hits, bm25)}

    def _second_stage(self, query: Query, hits: list[Hit], bm25: dict[int, float],
                      read: dict[int, rerank.Reading]) -> list[Hit]:
        """`hits` reordered by the reranker, each with its reranker score (`read`: readings done already)."""
        order = rerank.rerank(self._candidates(hits, bm25), self.question_weights(query), asked_for(query.text), read)
        return [Hit(chunk_id, score) for chunk_id, score in order]

    def question_weights(self, query: Query) -> dict[str, float]:
        """The question's words that tell passages apart, by root, weighted by idf: less the words of the
        reports in scope (their area and title, and the area as the question names it: "Hampshire and Isle of
        Wight") and the filler every MAPPA passage shares."""
        named = frozenset(tokenize(" ".join(written for area, written in query.area_words if area in query.areas)))
        return rerank.question_weights(query.tokens, self._idf(), self._scope_words(query) | named | PASSAGE_FILLER)

    def _scope_words(self, query: Query) -> frozenset[str]:
        """The words of the names and titles of the reports in scope."""
        def work_out() -> frozenset[str]:
            names = {f"{report.area or ''} {report.title}" for report in self._scope(query)}
            return frozenset(word for name in names for word in tokenize(name))

        return self.per_scope("words", (query.areas, query.text_periods, query.excluded), work_out)

    def question_vector(self, text: str) -> Future:
        """The question's vector (shape (1, dim)), encoded on the encoder thread: once per question asked,
        whichever stages need it."""
        held = getattr(self._asking, "vector", None)
        if held is not None and held[0] == text:
            return held[1]
        future = self._encoder_thread().submit(self.embedder.encode, [text])
        if getattr(self._asking, "active", False):
            self._asking.vector = (text, future)
        return future

    def _encoder_thread(self) -> ThreadPoolExecutor:
        if self._encoder_pool is None:
            # One thread per core: a server's concurrent questions are still encoded side by side.
            self._encoder_pool = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="qa-encoder")
        return self._encoder_pool

    def _chunk_ids(self, report_ids: list[int] | None) -> np.ndarray | None:
        """The ids of the passages of `report_ids` (None: all), ascending, int64; kept per scope."""
        if report_ids is None:
            return None
        return self.per_scope("passages", tuple(report_ids), lambda: store.chunk_ids(self.db, report_ids))

    # ------------------------------------------------------------------------------ facts, reports

    def facts(self, area: str | None = None, period: str | None = None, measure: str | None = None) -> list[Fact]:
        """Every indexed fact, filtered by area, period (any written form) and measure id."""
        query = self.parse("facts", area, period)
        if measure and measure not in MEASURES:
            raise BadInput(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
        report_ids = [r.id for r in self._scope(query)]
        if measure:
            return self._facts_where(report_ids, [measure])
        return [fact for _, fact in self.facts_of(report_ids)]

    def list_reports(self) -> list[Report]:
        """The indexed reports, by area and period; each names the other reports for its area and period."""
        by_scope: dict[tuple, list[str]] = {}
        for report in self.reports.values():
            if report.area and report.period:
                by_scope.setdefault((report.area, report.period), []).append(report.doc)
        return [replace(r, same_area_and_period=tuple(d for d in by_scope.get((r.area, r.period), []) if d != r.doc))
                for r in self.reports.values()]


def _fact(row) -> Fact:
    value = row["value"]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return Fact(area=row["area"], period=row["period"], measure=row["measure"], category=row["category"],
                level=row["level"], table=row["table_title"], row=row["row_label"], column=row["column_label"],
                value=value, doc=row["path"], lines=(row["start_line"], row["end_line"]), kind=row["kind"],
                flag=row["flag"])


def open_index(index_dir: str | Path | None = None, *, model: str | None = None,
               embedder: Embedder | None = None) -> Index:
    """Open the index in `index_dir` (default: settings, i.e. QA_INDEX_DIR or index/).

    Raises IndexMissing when there is none, IndexStale when it was written by another schema or model.
    """
    directory = Path(index_dir) if index_dir else Settings.from_env().index_dir
    return Index(directory, model=model, embedder=embedder)
