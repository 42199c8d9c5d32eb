"""The opened index and what can be asked of it: answers, passages, facts and the list of reports.

Loading is lazy: a fact question reads SQLite only; BM25, FAISS and the embedding model are loaded the
first time a passage search needs them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import store
from .answer import (
    Answer,
    Citation,
    Figure,
    fact_answer,
    figure_for,
    missing_note,
    not_found,
    passage_answer,
    sum_levels_answer,
)
from .documents import page_span
from .embed import Embedder, SentenceTransformerEmbedder
from .encoder import EncoderFiles, OnnxEmbedder
from .errors import BadInput, IndexStale
from .facts import Fact
from .query import Query, parse_question
from .retrieve import BM25Search, DenseSearch, Fusion, Hit
from .settings import Settings
from .vocabulary import MEASURES, REPLACED_BY, canonical_area, normalise_period

MAX_QUESTION_CHARS = 1000  # longer questions are read up to here
RETRIEVERS = ("hybrid", "bm25", "dense")
DEFAULT_FUSION = Fusion(bm25_weight=1.0, dense_weight=0.5, k=5)  # tuned on the gold set: see README


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
        self.model_id = indexed_model
        self._embedder = embedder
        self.fusion = fusion
        self.reports: dict[int, Report] = {}
        self._page_starts: dict[int, tuple[int, ...]] = {}
        for row in self.db.execute(
            "SELECT r.*, (SELECT COUNT(DISTINCT section) FROM chunks c WHERE c.report_id = r.id) AS sections,"
            " (SELECT COUNT(*) FROM chunks c WHERE c.report_id = r.id) AS chunks,"
            " (SELECT COUNT(*) FROM facts f WHERE f.report_id = r.id) AS facts FROM reports r ORDER BY area, period"
        ):
            flags = tuple(
                f"{MEASURES[m].label}: {flag}" for m, flag in self.db.execute(
                    "SELECT DISTINCT measure, flag FROM facts WHERE report_id = ? AND flag IS NOT NULL", (row["id"],))
            )
            self._page_starts[row["id"]] = tuple(int(n) for n in row["page_starts"].split())
            self.reports[row["id"]] = Report(
                row["id"], row["path"], row["area"], row["period"], row["title"], row["lines"], row["sections"],
                row["chunks"], row["facts"], flags, tuple(w for w in row["warnings"].split("\n") if w),
            )
        self._chunks: list[_ChunkRow] | None = None
        self._bm25: BM25Search | None = None
        self._dense: DenseSearch | None = None

    # ------------------------------------------------------------------------------------ lazy parts

    @property
    def chunks(self) -> list[_ChunkRow]:
        if self._chunks is None:
            self._chunks = [
                _ChunkRow(r["id"], r["report_id"], r["section"], r["start_line"], r["end_line"], r["text"],
                          tuple(r["tokens"].split()))
                for r in self.db.execute("SELECT * FROM chunks ORDER BY id")
            ]
            self._chunk_by_id = {c.id: c for c in self._chunks}
        return self._chunks

    @property
    def bm25(self) -> BM25Search:
        if self._bm25 is None:
            self._bm25 = BM25Search([c.id for c in self.chunks], [list(c.tokens) for c in self.chunks])
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
            self._embedder = OnnxEmbedder(self.index_dir, files) if files else SentenceTransformerEmbedder(self.model_id)
        return self._embedder

    def load(self) -> Index:
        """Load everything a passage question needs now (chunks, BM25, vectors, query encoder), e.g. in a server."""
        self.chunks  # noqa: B018
        self.bm25  # noqa: B018
        self.dense  # noqa: B018
        self.embedder.encode(["warm up"])
        return self

    # ---------------------------------------------------------------------------------------- scope

    def _scope(self, query: Query) -> list[Report]:
        return [r for r in self.reports.values()
                if (not query.areas or r.area in query.areas) and (not query.periods or r.period in query.periods)]

    def _indexed(self) -> str:
        by_area: dict[str, list[str]] = {}
        for report in self.reports.values():
            by_area.setdefault(report.area or "(unknown area)", []).append(report.period or "(unknown period)")
        return "; ".join(f"{area} {', '.join(sorted(periods))}" for area, periods in sorted(by_area.items()))

    def _out_of_scope(self, query: Query) -> Answer | None:
        """A not_found answer when the question names an area or period no indexed report covers."""
        missing_areas = [a for a in query.areas if all(r.area != a for r in self.reports.values())]
        if missing_areas:
            return not_found(query.text, f"No report for {' or '.join(missing_areas)} is indexed.",
                             f"Indexed: {self._indexed()}.", area=missing_areas[0])
        for area in query.areas or [None]:
            held = {r.period for r in self.reports.values() if area is None or r.area == area}
            missing = [p for p in query.periods if p not in held]
            if missing:
                where = f"{area} " if area else ""
                return not_found(query.text, f"No {where}report for {' or '.join(missing)} is indexed.",
                                 f"Indexed: {self._indexed()}.", area=area, period=missing[0])
        return None

    # ------------------------------------------------------------------------------------------ ask

    def ask(self, question: str, top_k: int = 5, area: str | None = None, period: str | None = None,
            retriever: str = "hybrid", use_facts: bool = True) -> Answer:
        """Answer a question: a cited figure from the tables when it names a measure, else cited passages.

        `area`/`period` (any written form) restrict the answer to those reports. Raises BadInput for an
        empty question, an unknown area or period, or an unknown retriever.
        """
        query = self.parse(question, area, period)
        if retriever not in RETRIEVERS:
            raise BadInput(f"unknown retriever {retriever!r}: use one of {', '.join(RETRIEVERS)}")
        if refusal := self._out_of_scope(query):
            return refusal
        note = None
        if use_facts and query.measure:
            answer = self._fact_answer(query)
            if answer is not None and (answer.status == "answered" or query.measure != "eligible" or query.category == 4):
                return answer
            note = answer.note if answer else None
        if query.measure and use_facts and query.operation in ("max", "min", "sum_areas", "change", "difference"):
            return not_found(query.text, "The indexed reports do not give the figures this needs.", note)
        citations = self.search(query, top_k=top_k, retriever=retriever)
        return passage_answer(query, citations, self._idf(), note)

    def parse(self, question: str, area: str | None = None, period: str | None = None) -> Query:
        """The Query for a question and the --area/--period options; raises BadInput for unusable input."""
        if not isinstance(question, str) or not question.strip():
            raise BadInput('empty question: ask something like "how many SHPOs in Norfolk 2024/25"')
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        area_name = None
        if area:
            area_name = canonical_area(area)
            if area_name is None:
                raise BadInput(f"--area {area!r} is not a MAPPA area (e.g. Norfolk, London, Cheshire)")
        period_name = None
        if period:
            period_name = normalise_period(period)
            if period_name is None:
                raise BadInput(f"--period {period!r} is not a reporting year (e.g. 2024/25, 2024-25, 2025)")
        return parse_question(question, area_name, period_name)

    def _facts_where(self, report_ids: list[int], measures: list[str]) -> list[Fact]:
        if not report_ids:
            return []
        sql = (f"SELECT f.*, r.path, r.area, r.period FROM facts f JOIN reports r ON r.id = f.report_id "
               f"WHERE f.report_id IN ({','.join('?' * len(report_ids))}) "
               f"AND f.measure IN ({','.join('?' * len(measures))}) ORDER BY f.id")
        return [_fact(row) for row in self.db.execute(sql, (*report_ids, *measures))]

    def _fact_answer(self, query: Query) -> Answer | None:
        measure = query.measure
        if query.category == 4:
            return not_found(query.text, "Category 4 (terrorism) figures are not published by area.",
                             "MAPPA reports leave Category 4 out for data protection; it is published nationally.")
        scope = self._scope(query)
        measures = [measure, *filter(None, [REPLACED_BY.get(measure)])]
        if measure == "notification_breach":
            measures += ["notification_breach_cautioned", "notification_breach_convicted"]
        if measure in ("notification_breach_cautioned", "notification_breach_convicted"):
            measures.append("notification_breach")
        facts = self._facts_where([r.id for r in scope], measures)
        by_report: dict[int, list[Fact]] = {}
        for report in scope:
            by_report[report.id] = [f for f in facts if f.doc == report.doc]

        if query.operation == "sum_levels":
            report = max(scope, key=lambda r: r.period or "")
            figures = {lvl: figure_for(by_report[report.id], measure, query.category, lvl) for lvl in query.levels}
            if all(figures.values()):
                return sum_levels_answer(query, figures, self._fact_citations([f for fig in figures.values() for f in fig.facts]))
        figures: list[Figure] = []
        missing_notes = []
        for report in scope:
            figure = figure_for(by_report[report.id], measure, query.category, query.level)
            if figure:
                figures.append(figure)
            elif note := missing_note(by_report[report.id], measure):
                missing_notes.append(note)
        if not figures:
            what = MEASURES[measure].label
            where = ", ".join(f"{r.area} {r.period}" for r in scope) or "the indexed reports"
            return not_found(query.text, f"The indexed report(s) ({where}) give no figure for {what}"
                             + (f" at Level {query.level}" if query.level else "") + ".",
                             " ".join(missing_notes) or None)
        return fact_answer(query, figures, self._fact_citations([f for fig in figures for f in fig.facts]))

    def _fact_citations(self, facts: list[Fact]) -> list[Citation]:
        """One citation per fact's chunk: the table passage that holds the row."""
        self.chunks  # noqa: B018 - loads the chunk map
        citations, seen = [], set()
        for fact in facts:
            row = self.db.execute(
                "SELECT c.id FROM chunks c JOIN reports r ON r.id = c.report_id WHERE r.path = ? AND c.start_line <= ?"
                " AND c.end_line >= ? ORDER BY c.id LIMIT 1", (fact.doc, fact.lines[1], fact.lines[0])).fetchone()
            if row and row[0] not in seen:
                seen.add(row[0])
                citations.append(self._citation(Hit(row[0], 1.0)))
        return citations

    def _citation(self, hit: Hit) -> Citation:
        chunk = self._chunk_by_id[hit.chunk_id]
        report = self.reports[chunk.report_id]
        return Citation(report.doc, report.title, report.area, report.period, chunk.section,
                        (chunk.start, chunk.end), chunk.text, hit.score,
                        page_span(self._page_starts[report.id], chunk.start, chunk.end))

    def _idf(self) -> dict[str, float]:
        return self.bm25.bm25.idf

    # --------------------------------------------------------------------------------------- search

    def search(self, query: Query | str, top_k: int = 5, retriever: str = "hybrid",
               area: str | None = None, period: str | None = None) -> list[Citation]:
        """The `top_k` passages for a question, best first, within the areas and periods it names."""
        if isinstance(query, str):
            query = self.parse(query, area, period)
        allowed = None
        if query.areas or query.periods:
            report_ids = {r.id for r in self._scope(query)}
            allowed = {c.id for c in self.chunks if c.report_id in report_ids}
        pool = max(top_k * 4, 20)
        bm25_hits = self.bm25.search(query.tokens, pool, allowed) if retriever != "dense" else []
        dense_hits = []
        if retriever != "bm25":
            vector = self.embedder.encode([query.text])[0]
            dense_hits = self.dense.search(vector, pool, allowed)
        hits = {"bm25": bm25_hits, "dense": dense_hits}.get(retriever) or self.fusion.fuse(bm25_hits, dense_hits)
        self.chunks  # noqa: B018 - loads the chunk map
        return [self._citation(hit) for hit in hits[:top_k]]

    # ------------------------------------------------------------------------------ facts, reports

    def facts(self, area: str | None = None, period: str | None = None, measure: str | None = None) -> list[Fact]:
        """Every indexed fact, filtered by area, period (any written form) and measure id."""
        query = self.parse("facts", area, period)
        if measure and measure not in MEASURES:
            raise BadInput(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
        report_ids = [r.id for r in self._scope(query)]
        return self._facts_where(report_ids, [measure] if measure else list(MEASURES))

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
