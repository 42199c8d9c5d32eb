"""Building and opening the index: SQLite (reports, chunks, facts) + one FAISS file + a manifest.

Every write goes to new files that replace the old ones by rename, so a reader, a crash or a second
writer never sees half an index: the database is copied, changed and renamed over the old one, and it
names the FAISS file that belongs to it (a new name for every build).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import lexical, store
from .documents import SUFFIXES, Document, load_document, walk_report_files
from .embed import Embedder, SentenceTransformerEmbedder
from .encoder import EncoderFiles, ExportFailed, OnnxEmbedder, export_encoder
from .errors import BadInput, DocumentError, IndexBusy, IndexStale
from .facts import CATALOGUE, VOCABULARY_VERSION, extract_facts
from .sections import chunk_document
from .settings import Settings
from .text import tokenize

if TYPE_CHECKING:
    import numpy as np

QA_VERSION = "0.1.0"
Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class BuildReport:
    """What one `qa index` run did. `skipped` lines are files that could not be indexed (the run exits 2);
    `duplicates` are files whose text is already indexed under another name (indexed once, not an error)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()  # "old -> new": the same text found under a new name, renamed in place
    skipped: tuple[str, ...] = ()  # one line each: the file and why
    duplicates: tuple[str, ...] = ()  # one line each: the file and the indexed report with the same text
    warnings: tuple[str, ...] = ()
    removed_leftovers: tuple[str, ...] = ()  # temporary files of an earlier, interrupted build
    reports: int = 0
    chunks: int = 0
    facts: int = 0
    embedded: int = 0  # chunks embedded by this run
    seconds: float = 0.0
    index_dir: str = ""

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def embedding_text(doc_title: str, area: str | None, period: str | None, section: str, text: str) -> str:
    """What is embedded and indexed for a chunk: its report and heading path, then the passage."""
    return f"{area or ''} {period or ''} | {doc_title} | {section}\n{text}"


def display_path(path: Path, root: Path) -> str:
    """A report's name in the index and in citations: its path relative to the corpus root it was found
    under, prefixed by the root's own name ("seeds/004.txt").

    The root is the directory given to `qa index`, or the folder of a file given by name, so the same file
    gets the same name whether its folder or the file itself is named, wherever the index lives and
    wherever the corpus is moved to (as long as its folder keeps its name; a renamed folder is matched by
    content, see `build_index`).
    """
    root = root.resolve()
    relative = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else Path(path.name)
    return (Path(root.name) / relative).as_posix()


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's writer lock; raises IndexBusy when another `qa index` holds it, BadInput when
    `index_dir` is a file or cannot be created."""
    if index_dir.exists() and not index_dir.is_dir():
        raise BadInput(f"--index-dir {index_dir}: a file, not a directory; give the directory that holds the index")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "w")  # noqa: SIM115 - held for the whole block
    except OSError as error:
        raise BadInput(f"--index-dir {index_dir}: cannot write there ({error.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"another `qa index` is writing {index_dir}/; wait for it to finish") from None
        yield


def remove_leftovers(index_dir: Path) -> list[str]:
    """Delete what a build that died (kill -9, power cut) left in `index_dir`: its copy of the database and
    the journal beside it, half-written vectors, manifest and encoder files. Call only under `write_lock`:
    then no other build is running, so every temporary file belongs to a dead one. Readers never write."""
    removed = []
    for path in sorted(index_dir.iterdir()):
        if path.is_file() and _TEMPORARY.search(path.name):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


# Every temporary name a build writes: ".qa.sqlite.<uuid>.tmp" and its SQLite "-journal"/"-wal"/"-shm",
# "vectors-<id>.tmp", "manifest.tmp", ".encoder-<id>.raw.onnx.tmp".
_TEMPORARY = re.compile(r"\.tmp(-journal|-wal|-shm)?$")


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
    A report is known by its name (`display_path`: its path under the corpus root) and by its text: a file
    with the text of an indexed report whose file is gone (moved or renamed) renames that report in place;
    one whose report's file is still there is a duplicate, indexed once.
    Files and folders that cannot be read are skipped and listed in the report; the others are still
    indexed. Leftovers of a build that died are removed first.
    Raises IndexStale when the existing index was built with another model or schema (without `rebuild`),
    IndexBusy when another build holds the lock, DocumentError when no file at all could be indexed (before
    anything is written), BadInput when `index_dir` cannot be used.
    """
    started = time.perf_counter()
    settings = settings or Settings.from_env(index_dir=Path(index_dir) if index_dir else None)
    index_dir = Path(index_dir) if index_dir else settings.index_dir
    paths = [Path(p) for p in (paths or [settings.corpus])]
    embedder = embedder or SentenceTransformerEmbedder(settings.model)
    if index_dir.exists() and not index_dir.is_dir():
        raise BadInput(f"--index-dir {index_dir}: a file, not a directory; give the directory that holds the index")

    # Read every report before taking the lock or creating anything: a run with nothing usable writes nothing.
    found, skipped = walk_report_files(paths)
    docs, warnings, duplicates = _load_all(found, area, period, skipped, progress)
    exists = (index_dir / store.DB_NAME).exists() and not rebuild
    if not docs and not exists:
        raise DocumentError("nothing to index: " + ("; ".join(skipped) if skipped else
                                                     f"no reports ({', '.join(SUFFIXES)}) found"))

    with write_lock(index_dir):
        removed = remove_leftovers(index_dir)
        db_path = index_dir / store.DB_NAME
        old_manifest = {}
        if db_path.exists() and not rebuild:
            connection = store.open_existing(index_dir)
            old_manifest = store.read_manifest(connection)
            connection.close()
            if old_manifest.get("vocabulary") != VOCABULARY_VERSION:
                raise IndexStale(f"{index_dir}/ was built with another version of the measure vocabulary, table parser or text layer: "
                                 "run `qa index --rebuild`")
            if old_manifest.get("model") != embedder.model_id:
                raise IndexStale(
                    f"{index_dir}/ was built with model {old_manifest.get('model')!r}, not {embedder.model_id!r}: "
                    "run `qa index --rebuild`"
                )

        encoder = EncoderFiles.from_manifest(old_manifest, index_dir)
        export = None
        if encoder is None and isinstance(embedder, SentenceTransformerEmbedder):
            if progress:
                progress("exporting the query encoder", 0, 1)
            try:
                export = export_encoder(embedder, index_dir)
                encoder = export.files  # checked against the model while the passages are embedded with it
            except ExportFailed as error:
                warnings.append(f"questions will be encoded by sentence-transformers (slower to start): {error}")

        while True:  # a second time only when the export fails its check: then with the model itself
            tmp_db = index_dir / f".{store.DB_NAME}.{uuid.uuid4().hex}.tmp"
            if old_manifest:
                shutil.copyfile(db_path, tmp_db)
                connection = store.connect(tmp_db)
            else:
                connection = store.create(tmp_db)
            copies = list(duplicates)  # _rename_moved adds to it: each attempt starts from this run's own list
            try:
                moved, kept = _rename_moved(connection, docs, found, index_dir, copies)
                report = _update(connection, index_dir, kept, old_manifest, embedder, encoder, progress)
                if export:
                    checked = export.wait()  # raises ExportFailed when the export differs from the model
                    if encoder.questions and not checked.questions:
                        warnings.append("questions will be encoded by the exact graph: the 8-bit question encoder "
                                        "was not kept")
                connection.close()
                os.replace(tmp_db, db_path)
                break
            except ExportFailed as error:
                warnings.append(f"questions will be encoded by sentence-transformers (slower to start): {error}")
                encoder = export = None
            finally:
                connection.close()
                tmp_db.unlink(missing_ok=True)
        duplicates = copies
        _write_json(index_dir / store.MANIFEST_NAME, report.pop("manifest"))
        current = {report["vectors"], *(encoder.names if encoder else ())}
        for stale in [*index_dir.glob("vectors-*.faiss"), *index_dir.glob("encoder-*")]:
            if stale.name not in current:
                stale.unlink(missing_ok=True)
        del report["vectors"]
        duplicates.extend(report.pop("duplicates"))
    return BuildReport(
        moved=tuple(moved), skipped=tuple(skipped), duplicates=tuple(duplicates), warnings=tuple(warnings),
        removed_leftovers=tuple(removed), seconds=round(time.perf_counter() - started, 2), index_dir=str(index_dir),
        **report,
    )


def _load_all(found: list[tuple[Path, Path]], area: str | None, period: str | None, skipped: list[str],
              progress: Progress | None) -> tuple[list[Document], list[str], list[str]]:
    """The documents of `found` (file, root) pairs, one per distinct text, with their warnings; files that
    cannot be read are added to `skipped`. Returns (documents, warnings, duplicate lines)."""
    docs: list[Document] = []
    warnings: list[str] = []
    duplicates: list[str] = []
    by_hash: dict[str, Document] = {}
    names: set[str] = set()
    for number, (file, root) in enumerate(found, start=1):
        if progress:
            progress("reading reports", number, len(found))
        name = display_path(file, root)
        if name in names:  # two roots with the same folder name: keep the names apart
            name = str(file.resolve())
        try:
            doc = load_document(file, name, area=area, period=period)
        except DocumentError as error:
            skipped.append(str(error))
            continue
        if first := by_hash.get(doc.sha256):
            duplicates.append(f"{doc.path}: same text as {first.path}, indexed once")
            continue
        names.add(name)
        by_hash[doc.sha256] = doc
        warnings.extend(doc.warnings)  # once per distinct report, not once per copy
        docs.append(doc)
    return docs, warnings, duplicates


def _rename_moved(connection, docs: list[Document], found: list[tuple[Path, Path]], index_dir: Path,
                  duplicates: list[str]) -> tuple[list[str], list[Document]]:
    """Rename, in the (copied) database, indexed reports whose text now comes under another name.

    An indexed report with the same text as a document of this run, under a name not in this run, moved
    when its old file cannot be found (nor is this same file): it is renamed, keeping its chunks, facts and
    vectors. When its old file is still there, the document is a copy: left out and listed in `duplicates`.
    Returns ("old -> new" lines, the documents still to index).
    """
    names = {doc.path for doc in docs}
    by_hash = {row["sha256"]: row for row in connection.execute("SELECT id, path, sha256 FROM reports")}
    indexed_names = {row["path"] for row in by_hash.values()}
    bases = {index_dir.resolve().parent, *(root.resolve().parent for _, root in found)}
    files = {display_path(file, root): file.resolve() for file, root in found}
    moved, keep = [], []
    for doc in docs:
        row = by_hash.get(doc.sha256)
        if row is None or row["path"] == doc.path or row["path"] in names or doc.path in indexed_names:
            keep.append(doc)
            continue
        old_files = [base / row["path"] for base in bases]
        if any(f.is_file() and f.resolve() != files.get(doc.path) for f in old_files):
            duplicates.append(f"{doc.path}: same text as {row['path']}, indexed once")
            continue
        connection.execute("UPDATE reports SET path = ? WHERE id = ?", (doc.path, row["id"]))
        moved.append(f"{row['path']} -> {doc.path}")
        keep.append(doc)
    return moved, keep


def _update(connection, index_dir: Path, docs: list[Document], old_manifest: dict, embedder: Embedder,
            encoder: EncoderFiles | None, progress: Progress | None) -> dict:
    """Apply `docs` to the (copied) database and write a new FAISS file; returns counts and the manifest."""
    with _passage_encoder(embedder, encoder, index_dir) as passage_encoder:  # its threads end however this does
        return _apply(connection, index_dir, docs, old_manifest, embedder, encoder, passage_encoder, progress)


def _apply(connection, index_dir: Path, docs: list[Document], old_manifest: dict, embedder: Embedder,
           encoder: EncoderFiles | None, passage_encoder: _PassageEncoder, progress: Progress | None) -> dict:
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
            pending.append(doc)

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

    # Passages are embedded a window at a time as reports are chunked and stored, so that the encoder's threads
    # start on the first report and memory holds one window's texts, not the corpus's; the vectors
    # themselves are the index.
    window = _Window(vectors, passage_encoder, len(pending), progress)
    for position, doc in enumerate(pending):
        pending[position] = None  # its text is not needed once stored
        chunks, facts = chunk_document(doc), extract_facts(doc)
        window.expect(len(chunks))
        report_id = connection.execute(
            "INSERT INTO reports(path, sha256, area, period, title, lines, page_starts, warnings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.path, doc.sha256, doc.area, doc.period, doc.title, len(doc.lines),
             " ".join(map(str, doc.page_starts)), "\n".join(doc.warnings)),
        ).lastrowid
        chunk_ids, chunk_tokens = [], []
        for chunk in chunks:
            text = embedding_text(doc.title, doc.area, doc.period, chunk.section, chunk.body)
            tokens = tokenize(text)
            chunk_id = connection.execute(
                "INSERT INTO chunks(report_id, section, start_line, end_line, text, tokens) VALUES (?, ?, ?, ?, ?, ?)",
                (report_id, chunk.section, chunk.start, chunk.end, chunk.text, " ".join(tokens)),
            ).lastrowid
            chunk_ids.append((chunk, chunk_id))
            chunk_tokens.append((chunk_id, tokens))
            window.add(chunk_id, text)
        lexical.add_report(connection, report_id, chunk_tokens)
        for fact in facts:
            chunk_id = next((cid for c, cid in chunk_ids if c.start <= fact.lines[1] <= c.end), None)
            connection.execute(
                "INSERT INTO facts(report_id, chunk_id, series_id, measure, cell, category, level, value, kind,"
                " table_title, row_label, column_label, start_line, end_line, flag)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, chunk_id, _series_id(connection, fact.series), fact.measure, fact.cell, fact.category,
                 fact.level, fact.value, fact.kind, fact.table, fact.row, fact.column, fact.lines[0], fact.lines[1],
                 fact.flag),
            )
        _count(connection, report_id)
    window.flush()
    lexical.refresh(connection)
    _embed_series(connection, passage_encoder)

    vectors_name = f"vectors-{uuid.uuid4().hex[:12]}.faiss"
    _write_faiss(vectors, index_dir / vectors_name)
    counts = {
        name: connection.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in ("reports", "chunks", "facts")
    }
    manifest = {
        "schema_version": store.SCHEMA_VERSION,
        "qa_version": QA_VERSION,
        "model": embedder.model_id,
        "vocabulary": VOCABULARY_VERSION,
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


def _series_id(connection, text: str) -> int:
    row = connection.execute("SELECT id FROM series WHERE text = ?", (text,)).fetchone()
    if row:
        return row[0]
    return connection.execute("INSERT INTO series(text, tokens) VALUES (?, ?)",
                              (text, " ".join(tokenize(text)))).lastrowid


def _embed_series(connection, encode: Callable) -> None:
    """Embed the descriptions of what facts count that have no vector yet; drop those no fact uses."""
    import numpy as np

    for text in CATALOGUE:
        _series_id(connection, text)
    connection.execute(f"DELETE FROM series WHERE id NOT IN (SELECT series_id FROM facts)"
                       f" AND text NOT IN ({','.join('?' * len(CATALOGUE))})", list(CATALOGUE))
    rows = connection.execute("SELECT id, text FROM series WHERE vector IS NULL").fetchall()
    if rows:
        vectors = np.asarray(encode([text for _, text in rows]), dtype=np.float32)
        connection.executemany("UPDATE series SET vector = ? WHERE id = ?",
                               [(vector.tobytes(), row_id) for (row_id, _), vector in zip(rows, vectors, strict=True)])


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
    """Passages waiting to be embedded. Every WINDOW of them goes to the encoder's threads while the build
    chunks and stores the next reports; a window's vectors are added, in order, once the window after it is
    full (or at `flush`): both cores stay busy, and memory holds at most three windows' texts, not the corpus's.
    The passages to come are counted as each report is chunked (`expect`); until the last one is, their total
    is estimated from the reports chunked so far."""

    WINDOW = 128

    def __init__(self, vectors, encoder: _PassageEncoder, reports: int, progress: Progress | None):
        self.vectors, self.encoder, self.reports, self.progress = vectors, encoder, reports, progress
        self.ids: list[int] = []
        self.texts: list[str] = []
        self.running: list[tuple[list[int], Callable[[], np.ndarray]]] = []  # submitted windows, oldest first
        self.done = 0
        self.chunked, self.reports_chunked = 0, 0
        self.started = time.perf_counter()

    @property
    def total(self) -> int:
        """The passages to embed: exact once every report is chunked, estimated before."""
        if not self.reports_chunked:
            return 0
        return self.chunked + round(self.chunked / self.reports_chunked * (self.reports - self.reports_chunked))

    def expect(self, passages: int) -> None:
        """One more report is chunked into `passages` passages."""
        self.chunked += passages
        self.reports_chunked += 1
        if self.progress and self.reports_chunked == 1 and self.total:
            self.progress("embedding passages", 0, self.total)

    def add(self, chunk_id: int, text: str) -> None:
        self.ids.append(chunk_id)
        self.texts.append(text)
        if len(self.texts) >= self.WINDOW:
            self._submit()
            while len(self.running) > 1:
                self._collect()

    def flush(self) -> None:
        """Embed what is left and add every vector."""
        self._submit()
        while self.running:
            self._collect()

    def _submit(self) -> None:
        if self.texts:
            self.running.append((self.ids, self.encoder.submit(self.texts)))
            self.ids, self.texts = [], []

    def _collect(self) -> None:
        import numpy as np

        ids, vectors = self.running.pop(0)
        self.vectors.add_with_ids(vectors(), np.asarray(ids, dtype=np.int64))
        self.done += len(ids)
        if self.progress:
            total = max(self.total, self.done)
            rate = self.done / max(time.perf_counter() - self.started, 1e-9)
            left = (total - self.done) / rate
            eta = f", about {int(left // 60)} min {int(left % 60)} s left" if self.done < total else ""
            self.progress(f"embedding passages{eta}", self.done, total)


class _PassageEncoder:
    """texts -> vectors for building, shape (len(texts), dim): batches of `batch` texts of similar length run on
    `workers` threads (onnxruntime and torch release the GIL), in the background (`submit`) or not (call it).
    A context manager: leaving it drops what is still queued and waits for the batches running."""

    def __init__(self, encode: Callable, batch: int, workers: int):
        self.encode, self.batch = encode, batch
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="qa-embed")

    def __enter__(self) -> _PassageEncoder:
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, texts: list[str]) -> Callable[[], np.ndarray]:
        """Start embedding `texts`; returns a function that waits for their vectors and returns them in order."""
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        futures = [self.pool.submit(self.encode, [texts[i] for i in order[start : start + self.batch]])
                   for start in range(0, len(order), self.batch)]

        def vectors() -> np.ndarray:
            sorted_vectors = np.vstack([future.result() for future in futures])
            in_order = np.empty_like(sorted_vectors)
            in_order[order] = sorted_vectors
            return in_order

        return vectors

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self.submit(texts)()


def _passage_encoder(embedder: Embedder, encoder: EncoderFiles | None, index_dir: Path) -> _PassageEncoder:
    """The passage encoder for building: the exported ONNX encoder when there is one for this model (no torch to
    load; checked against sentence-transformers before an index that uses it is committed), one run per core,
    else the embedder."""
    if encoder is None or not isinstance(embedder, SentenceTransformerEmbedder) or encoder.model != embedder.model_id:
        return _PassageEncoder(embedder.encode, batch=32, workers=1)  # the model batches and threads itself
    onnx = OnnxEmbedder(index_dir, encoder)
    # One passage a run, one run per core: no padding at all, and the activations stay in the core's own cache
    # (on the 2-core build machine a passage takes 33 ms of CPU alone, 37 ms in fours, 44 ms in sixteens).
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return _PassageEncoder(onnx.encode, batch=1, workers=cores)


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
