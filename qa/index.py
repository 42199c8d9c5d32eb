"""Building and opening the index: SQLite (reports, chunks, facts) + one FAISS file + a manifest.

Every write goes to new files that replace the old ones by rename, so a reader, a crash or a second
writer never sees half an index: the database is copied, changed and renamed over the old one, and it
names the FAISS file that belongs to it (a new name for every build).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import lexical, store
from .documents import SUFFIXES, Document, find_report_files, load_document
from .embed import Embedder, SentenceTransformerEmbedder
from .encoder import EncoderFiles, ExportFailed, OnnxEmbedder, export_encoder
from .errors import DocumentError, IndexBusy, IndexStale
from .facts import Fact, extract_facts
from .sections import Chunk, chunk_document
from .settings import Settings
from .text import tokenize

if TYPE_CHECKING:
    import numpy as np

QA_VERSION = "0.1.0"
Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class BuildReport:
    """What one `qa index` run did."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # one line each: the file and why
    warnings: tuple[str, ...] = ()
    reports: int = 0
    chunks: int = 0
    facts: int = 0
    embedded: int = 0  # chunks embedded by this run
    seconds: float = 0.0
    index_dir: str = ""

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


@dataclass
class _Pending:
    doc: Document
    chunks: list[Chunk] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


def embedding_text(doc_title: str, area: str | None, period: str | None, section: str, text: str) -> str:
    """What is embedded and indexed for a chunk: its report and heading path, then the passage."""
    return f"{area or ''} {period or ''} | {doc_title} | {section}\n{text}"


def display_path(path: Path, index_dir: Path) -> str:
    """A report's path as citations show it: relative to the directory holding the index, when inside it."""
    base = index_dir.resolve().parent
    resolved = path.resolve()
    return str(resolved.relative_to(base)) if resolved.is_relative_to(base) else str(resolved)


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's writer lock; raises IndexBusy when another `qa index` holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"another `qa index` is writing {index_dir}/; wait for it to finish") from None
        yield


def build_index(
    paths: list[str | Path] | None = None,
    index_dir: str | Path | None = None,
    *,
    settings: Settings | None = None,
    rebuild: bool = False,
    area: str | None = None,
    period: str | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Index the report files under `paths` (default: the corpus in settings, `seeds/`) into `index_dir`.

    Incremental: a report whose text is unchanged keeps its chunks, facts and vectors; changed ones are
    replaced; reports indexed earlier and not named now are kept. `rebuild` starts from nothing.
    Files that cannot be read are skipped and listed in the report; the others are still indexed.
    Raises IndexStale when the existing index was built with another model or schema (without `rebuild`),
    IndexBusy when another build holds the lock, DocumentError when no file at all could be indexed.
    """
    started = time.perf_counter()
    settings = settings or Settings.from_env(index_dir=Path(index_dir) if index_dir else None)
    index_dir = Path(index_dir) if index_dir else settings.index_dir
    paths = [Path(p) for p in (paths or [settings.corpus])]
    embedder = embedder or SentenceTransformerEmbedder(settings.model)

    with write_lock(index_dir):
        db_path = index_dir / store.DB_NAME
        old_manifest = {}
        if db_path.exists() and not rebuild:
            connection = store.open_existing(index_dir)
            old_manifest = store.read_manifest(connection)
            connection.close()
            if old_manifest.get("model") != embedder.model_id:
                raise IndexStale(
                    f"{index_dir}/ was built with model {old_manifest.get('model')!r}, not {embedder.model_id!r}: "
                    "run `qa index --rebuild`"
                )

        skipped, warnings, docs = [], [], []
        files = []
        for path in paths:
            try:
                files.extend(find_report_files([path]))
            except DocumentError as error:
                skipped.append(str(error))
        for file in files:
            try:
                doc = load_document(file, display_path(file, index_dir), area=area, period=period)
            except DocumentError as error:
                skipped.append(str(error))
                continue
            warnings.extend(doc.warnings)
            docs.append(doc)
        if not docs and not old_manifest:
            raise DocumentError("nothing to index: " + ("; ".join(skipped) if skipped else
                                                         f"no reports ({', '.join(SUFFIXES)}) found"))

        encoder = EncoderFiles.from_manifest(old_manifest, index_dir)
        if encoder is None and isinstance(embedder, SentenceTransformerEmbedder):
            if progress:
                progress("exporting the query encoder", 0, 1)
            try:
                encoder = export_encoder(embedder, index_dir)
            except ExportFailed as error:
                warnings.append(f"questions will be encoded by sentence-transformers (slower to start): {error}")

        tmp_db = index_dir / f".{store.DB_NAME}.{uuid.uuid4().hex}.tmp"
        if old_manifest:
            shutil.copyfile(db_path, tmp_db)
            connection = store.connect(tmp_db)
        else:
            connection = store.create(tmp_db)
        try:
            report = _update(connection, index_dir, docs, old_manifest, embedder, encoder, progress)
            connection.close()
            os.replace(tmp_db, db_path)
        finally:
            connection.close()
            tmp_db.unlink(missing_ok=True)
        _write_json(index_dir / store.MANIFEST_NAME, report.pop("manifest"))
        current = {report["vectors"], *((encoder.onnx, encoder.weights, encoder.tokenizer) if encoder else ())}
        for stale in [*index_dir.glob("vectors-*.faiss"), *index_dir.glob("encoder-*")]:
            if stale.name not in current:
                stale.unlink(missing_ok=True)
        del report["vectors"]
        skipped.extend(report.pop("duplicates"))
    return BuildReport(
        skipped=tuple(skipped), warnings=tuple(warnings), seconds=round(time.perf_counter() - started, 2),
        index_dir=str(index_dir), **report,
    )


def _update(connection, index_dir: Path, docs: list[Document], old_manifest: dict, embedder: Embedder,
            encoder: EncoderFiles | None, progress: Progress | None) -> dict:
    """Apply `docs` to the (copied) database and write a new FAISS file; returns counts and the manifest."""
    import faiss
    import numpy as np

    existing = {row["path"]: (row["id"], row["sha256"]) for row in connection.execute("SELECT id, path, sha256 FROM reports")}
    by_hash = {sha: path for path, (_, sha) in existing.items()}
    added, updated, unchanged, pending, duplicates = [], [], [], [], []
    for doc in docs:
        if doc.path in existing and existing[doc.path][1] == doc.sha256:
            unchanged.append(doc.path)
        elif by_hash.get(doc.sha256, doc.path) != doc.path:
            duplicates.append(f"{doc.path}: same text as {by_hash[doc.sha256]}, indexed once")
        else:
            (updated if doc.path in existing else added).append(doc.path)
            by_hash[doc.sha256] = doc.path
            pending.append(_Pending(doc, chunk_document(doc), extract_facts(doc)))

    passage_encoder = _passage_encoder(embedder, encoder, index_dir)
    vectors = _load_vectors(index_dir, old_manifest) if old_manifest else None
    if vectors is None:
        vectors = faiss.IndexIDMap2(faiss.IndexFlatIP(_dimension(passage_encoder)))
    connection.execute("BEGIN")
    for path in updated:
        report_id = existing[path][0]
        stale_ids = [r[0] for r in connection.execute("SELECT id FROM chunks WHERE report_id = ?", (report_id,))]
        vectors.remove_ids(np.asarray(stale_ids, dtype=np.int64))
        lexical.remove_report(connection, report_id)
        connection.execute("DELETE FROM reports WHERE id = ?", (report_id,))

    # Passages are embedded a window at a time as reports are stored, so that memory holds one window's
    # texts, not the corpus's; the vectors themselves are the index.
    window = _Window(vectors, passage_encoder, sum(len(item.chunks) for item in pending), progress)
    for position, item in enumerate(pending):
        pending[position] = None  # its chunks and facts are not needed once stored
        doc = item.doc
        report_id = connection.execute(
            "INSERT INTO reports(path, sha256, area, period, title, lines, page_starts, warnings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.path, doc.sha256, doc.area, doc.period, doc.title, len(doc.lines),
             " ".join(map(str, doc.page_starts)), "\n".join(doc.warnings)),
        ).lastrowid
        chunk_ids, chunk_tokens = [], []
        for chunk in item.chunks:
            text = embedding_text(doc.title, doc.area, doc.period, chunk.section, chunk.text)
            tokens = tokenize(text)
            chunk_id = connection.execute(
                "INSERT INTO chunks(report_id, section, start_line, end_line, text, tokens) VALUES (?, ?, ?, ?, ?, ?)",
                (report_id, chunk.section, chunk.start, chunk.end, chunk.text, " ".join(tokens)),
            ).lastrowid
            chunk_ids.append((chunk, chunk_id))
            chunk_tokens.append((chunk_id, tokens))
            window.add(chunk_id, text)
        lexical.add_report(connection, report_id, chunk_tokens)
        for fact in item.facts:
            chunk_id = next((cid for c, cid in chunk_ids if c.start <= fact.lines[1] <= c.end), None)
            connection.execute(
                "INSERT INTO facts(report_id, chunk_id, measure, category, level, value, kind, table_title, row_label,"
                " column_label, start_line, end_line, flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, chunk_id, fact.measure, fact.category, fact.level, fact.value, fact.kind, fact.table,
                 fact.row, fact.column, fact.lines[0], fact.lines[1], fact.flag),
            )
        _count(connection, report_id)
    window.flush()
    lexical.refresh(connection)

    vectors_name = f"vectors-{uuid.uuid4().hex[:12]}.faiss"
    _write_faiss(vectors, index_dir / vectors_name)
    counts = {
        name: connection.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in ("reports", "chunks", "facts")
    }
    manifest = {
        "schema_version": store.SCHEMA_VERSION,
        "qa_version": QA_VERSION,
        "model": embedder.model_id,
        "dimension": vectors.d,
        "vectors": vectors_name,
        "encoder": encoder.to_dict() if encoder else None,
        "reports": {r["path"]: r["sha256"] for r in connection.execute("SELECT path, sha256 FROM reports ORDER BY path")},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **counts,
    }
    store.write_manifest(connection, manifest)
    connection.execute("COMMIT")
    return {
        "added": tuple(added), "updated": tuple(updated), "unchanged": tuple(unchanged),
        "embedded": window.done, "manifest": manifest, "vectors": vectors_name, "duplicates": duplicates, **counts,
    }


def _count(connection, report_id: int) -> None:
    """Store a report's counts and table flags with it, so that opening the index reads no passage or fact."""
    flags = json.dumps([list(row) for row in connection.execute(
        "SELECT DISTINCT measure, flag FROM facts WHERE report_id = ? AND flag IS NOT NULL", (report_id,))])
    connection.execute(
        "UPDATE reports SET sections = (SELECT COUNT(DISTINCT section) FROM chunks WHERE report_id = :id),"
        " chunks = (SELECT COUNT(*) FROM chunks WHERE report_id = :id),"
        " facts = (SELECT COUNT(*) FROM facts WHERE report_id = :id), flags = :flags WHERE id = :id",
        {"id": report_id, "flags": flags})


class _Window:
    """Passages waiting to be embedded: every WINDOW of them is embedded, sorted by length, and added."""

    WINDOW = 512

    def __init__(self, vectors, encode: Callable, total: int, progress: Progress | None):
        self.vectors, self.encode, self.total, self.progress = vectors, encode, total, progress
        self.ids: list[int] = []
        self.texts: list[str] = []
        self.done = 0
        self.started = time.perf_counter()
        if progress and total:
            progress("embedding passages", 0, total)

    def add(self, chunk_id: int, text: str) -> None:
        self.ids.append(chunk_id)
        self.texts.append(text)
        if len(self.texts) >= self.WINDOW:
            self.flush()

    def flush(self) -> None:
        import numpy as np

        if not self.texts:
            return
        self.vectors.add_with_ids(self.encode(self.texts), np.asarray(self.ids, dtype=np.int64))
        self.done += len(self.texts)
        self.ids, self.texts = [], []
        if self.progress:
            rate = self.done / max(time.perf_counter() - self.started, 1e-9)
            left = (self.total - self.done) / rate
            eta = f", about {int(left // 60)} min {int(left % 60)} s left" if self.done < self.total else ""
            self.progress(f"embedding passages{eta}", self.done, self.total)


def _passage_encoder(embedder: Embedder, encoder: EncoderFiles | None, index_dir: Path) -> Callable:
    """texts -> vectors for building: the exported ONNX encoder when there is one for this model (no torch to
    load, and checked against sentence-transformers at export), run on every core, else the embedder."""
    if encoder is None or not isinstance(embedder, SentenceTransformerEmbedder) or encoder.model != embedder.model_id:
        return partial(_encode_sorted, embedder.encode, batch=32, workers=1)  # the model batches and threads itself
    onnx = OnnxEmbedder(index_dir, encoder)
    # Small batches of passages of similar length: little padding, and the activations stay in the cores'
    # caches (on the 2-core build machine 4 passages a batch embed about twice as fast as 32).
    return partial(_encode_sorted, onnx.encode, batch=4, workers=os.cpu_count() or 1)


def _encode_sorted(encode: Callable, texts: list[str], batch: int, workers: int) -> np.ndarray:
    """Vectors for `texts` in their order, shape (len(texts), dim): batches of `batch` texts of similar length,
    on `workers` threads (onnxruntime releases the GIL; each run uses one core)."""
    import numpy as np

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batches = [[texts[i] for i in order[start : start + batch]] for start in range(0, len(order), batch)]
    if workers <= 1:
        sorted_vectors = np.vstack([encode(b) for b in batches])
    else:
        with ThreadPoolExecutor(workers) as pool:
            sorted_vectors = np.vstack(list(pool.map(encode, batches)))
    vectors = np.empty_like(sorted_vectors)
    vectors[order] = sorted_vectors
    return vectors


def _dimension(encode: Callable) -> int:
    return int(encode(["dimension probe"]).shape[1])


def _load_vectors(index_dir: Path, manifest: dict):
    import faiss

    path = index_dir / manifest.get("vectors", "")
    if not path.is_file():
        raise IndexStale(f"{index_dir}/ has lost its vectors file {path.name}: run `qa index --rebuild`")
    return faiss.read_index(str(path))


def _write_faiss(vectors, path: Path) -> None:
    import faiss

    tmp = path.with_suffix(".tmp")
    faiss.write_index(vectors, str(tmp))
    os.replace(tmp, path)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
