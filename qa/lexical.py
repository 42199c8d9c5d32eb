"""The lexical index on disk: BM25 exactly as rank-bm25's BM25Okapi scores it, from postings kept in SQLite.

A question reads the corpus statistics (one row), its own terms' document frequencies and their postings,
and nothing else: its cost grows with how many passages hold its words, not with the corpus.
BM25Okapi's idf depends on the whole corpus (the passage count, and the average idf that floors the idf of
words in more than half the passages), so the database keeps document frequencies and corpus totals, and idf
is computed when a question is asked. The tables are in store.SCHEMA: `terms` (term, df), `postings` (one
row per term and block of BLOCK reports: the (chunk id, term frequency, passage length) triples of the
block's reports, in the order they were added) and `lexicon` (totals). A question reads a row per term and
block, so a thousand reports cost it sixteen rows a term, not a thousand; adding a report appends to its
block's rows, removing one rewrites them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from .retrieve import Hit

if TYPE_CHECKING:
    import sqlite3

    import numpy as np

K1, B, EPSILON = 1.5, 0.75, 0.25  # BM25Okapi's defaults, which the in-memory index used
_BATCH = 500  # SQL parameters per statement, well under SQLite's limit
BLOCK = 64  # reports whose postings of a term share a row


def _posting_dtype():
    import numpy as np

    # Little-endian int32 triples: a block's postings for one term, packed in one blob.
    return np.dtype([("chunk", "<i4"), ("tf", "<i4"), ("length", "<i4")])


def idf(df: int, passages: int, average_idf: float) -> float:
    """BM25Okapi's idf of a term held by `df` of `passages` passages; negative idf is floored to
    EPSILON * the corpus's average idf, as rank-bm25 does."""
    value = math.log(passages - df + 0.5) - math.log(df + 0.5)
    return EPSILON * average_idf if value < 0 else value


# ------------------------------------------------------------------------------------------ writing


def add_report(connection: sqlite3.Connection, report_id: int, chunks: Iterable[tuple[int, list[str]]]) -> None:
    """Add one report's passages, given as (chunk id, tokens) in chunk id order, to the postings and totals.

    Call `refresh` once after all changes: the average idf is a property of the whole vocabulary.
    """
    import array
    import sys

    by_term: dict[str, array.array] = {}  # first appearance order, as rank-bm25 meets the words
    passages = tokens_total = 0
    for chunk_id, tokens in chunks:
        passages += 1
        tokens_total += len(tokens)
        for term, tf in Counter(tokens).items():
            by_term.setdefault(term, array.array("i")).extend((chunk_id, tf, len(tokens)))
    if sys.byteorder != "little":  # the blobs are little-endian wherever they were written
        for triples in by_term.values():
            triples.byteswap()
    terms = list(by_term)
    connection.executemany(
        "INSERT INTO terms(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
        ((term, len(by_term[term]) // 3) for term in terms),
    )
    ids = _term_ids(connection, terms)
    # `||` joins the two blobs' bytes as they are (SQLite keeps their length); CAST keeps the result a blob.
    connection.executemany(
        "INSERT INTO postings(term_id, block, chunks) VALUES (?, ?, ?)"
        " ON CONFLICT(term_id, block) DO UPDATE SET chunks = CAST(chunks || excluded.chunks AS BLOB)",
        ((ids[term], report_id // BLOCK, by_term[term].tobytes()) for term in terms),
    )
    connection.execute("UPDATE lexicon SET passages = passages + ?, tokens = tokens + ?", (passages, tokens_total))


def remove_report(connection: sqlite3.Connection, report_id: int) -> None:
    """Take one report's passages out of the postings and totals (before its chunks are deleted)."""
    df: Counter[str] = Counter()
    passages = tokens_total = 0
    for (tokens,) in connection.execute("SELECT tokens FROM chunks WHERE report_id = ?", (report_id,)):
        words = tokens.split()
        passages += 1
        tokens_total += len(words)
        df.update(set(words))
    import numpy as np

    ids = _term_ids(connection, list(df))
    first, last = connection.execute("SELECT MIN(id), MAX(id) FROM chunks WHERE report_id = ?", (report_id,)).fetchone()
    block, dtype = report_id // BLOCK, _posting_dtype()
    for term in df:
        (blob,) = connection.execute("SELECT chunks FROM postings WHERE term_id = ? AND block = ?",
                                     (ids[term], block)).fetchone()
        triples = np.frombuffer(blob, dtype=dtype)
        kept = triples[(triples["chunk"] < first) | (triples["chunk"] > last)]
        if len(kept):
            connection.execute("UPDATE postings SET chunks = ? WHERE term_id = ? AND block = ?",
                               (kept.tobytes(), ids[term], block))
        else:
            connection.execute("DELETE FROM postings WHERE term_id = ? AND block = ?", (ids[term], block))
    connection.executemany("UPDATE terms SET df = df - ? WHERE id = ?", ((n, ids[term]) for term, n in df.items()))
    connection.execute("DELETE FROM terms WHERE df <= 0")  # rank-bm25's vocabulary holds only words in use
    connection.execute("UPDATE lexicon SET passages = passages - ?, tokens = tokens - ?", (passages, tokens_total))


def refresh(connection: sqlite3.Connection) -> None:
    """Recompute the average idf over the whole vocabulary (once per build: O(vocabulary))."""
    passages = connection.execute("SELECT passages FROM lexicon").fetchone()[0]
    total, count = 0.0, 0
    # Summed in order of first appearance (term ids), as rank-bm25 sums its idf dict.
    for (df,) in connection.execute("SELECT df FROM terms ORDER BY id"):
        total += math.log(passages - df + 0.5) - math.log(df + 0.5)
        count += 1
    connection.execute("UPDATE lexicon SET average_idf = ?", (total / count if count else 0.0,))


def _term_ids(connection: sqlite3.Connection, terms: list[str]) -> dict[str, int]:
    ids = {}
    for start in range(0, len(terms), _BATCH):
        part = terms[start : start + _BATCH]
        sql = f"SELECT id, term FROM terms WHERE term IN ({','.join('?' * len(part))})"
        ids.update({term: term_id for term_id, term in connection.execute(sql, part)})
    return ids


# ------------------------------------------------------------------------------------------ reading


class LexicalIndex:
    """BM25 search over the persisted postings; the same verbs and filter semantics as DenseSearch."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        row = connection.execute("SELECT passages, tokens, average_idf FROM lexicon").fetchone()
        self.passages, self.tokens, self.average_idf = (row[0], row[1], row[2]) if row else (0, 0, 0.0)
        self.avgdl = self.tokens / self.passages if self.passages else 0.0
        self._idf_cache: dict[str, float | None] = {}
        self._term_ids: dict[str, int] = {}  # of the terms in _idf_cache that some passage holds

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """idf of each of `terms` that some passage holds (others are left out: rank-bm25 scores them 0)."""
        terms = list(dict.fromkeys(terms))
        missing = [t for t in terms if t not in self._idf_cache]
        if missing:
            found = {}
            for start in range(0, len(missing), _BATCH):
                part = missing[start : start + _BATCH]
                sql = f"SELECT term, df, id FROM terms WHERE term IN ({','.join('?' * len(part))})"
                found.update({term: (df, term_id) for term, df, term_id in self.db.execute(sql, part)})
            if len(self._idf_cache) > 10_000:  # a long-lived server asks many questions
                self._idf_cache.clear()
                self._term_ids.clear()
            for term in missing:
                df, term_id = found.get(term, (None, None))
                self._idf_cache[term] = None if df is None else idf(df, self.passages, self.average_idf)
                if term_id is not None:
                    self._term_ids[term] = term_id
        return {t: v for t in terms if (v := self._idf_cache[t]) is not None}

    def idf_view(self) -> Mapping[str, float]:
        """A read-only mapping term -> idf that looks terms up only when asked (for best_sentences)."""
        return _IdfView(self)

    def scores(self, query_tokens: list[str], report_ids: list[int] | None = None,
               allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids ascending, BM25 scores) of the passages holding at least one query term, within
        `report_ids` (all when None; `allowed`: their passages' ids, ascending, when known). Scores equal
        BM25Okapi.get_scores' bit for bit: the same operations in the same order, query terms counted as often
        as they occur."""
        import numpy as np

        idfs = self.idf(query_tokens)
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        if not idfs or (report_ids is not None and not report_ids):
            return empty
        term_ids = {self._term_ids[t]: t for t in idfs}
        blobs: dict[int, list[bytes]] = {i: [] for i in term_ids}
        sql = f"SELECT term_id, chunks FROM postings WHERE term_id IN ({','.join('?' * len(term_ids))})"
        if report_ids is None:
            rows = self.db.execute(sql, list(term_ids)).fetchall()
        else:
            blocks = sorted({report_id // BLOCK for report_id in report_ids})
            rows = []
            for start in range(0, len(blocks), _BATCH):
                part = blocks[start : start + _BATCH]
                rows += self.db.execute(f"{sql} AND block IN ({','.join('?' * len(part))})",
                                        (*term_ids, *part)).fetchall()
        for term_id, blob in rows:
            blobs[term_id].append(blob)
        dtype = _posting_dtype()
        postings = {term_ids[i]: np.frombuffer(b"".join(parts), dtype=dtype) for i, parts in blobs.items() if parts}
        chunk_parts, score_parts = [], []
        for q in query_tokens:
            p = postings.get(q)
            if p is None:
                continue
            q_freq = p["tf"].astype(np.int64)
            doc_len = p["length"].astype(np.int64)
            # rank-bm25's expression, operation for operation
            score_parts.append(idfs[q] * (q_freq * (K1 + 1) / (q_freq + K1 * (1 - B + B * doc_len / self.avgdl))))
            chunk_parts.append(p["chunk"])
        if not chunk_parts:
            return empty
        chunks = np.concatenate(chunk_parts)
        size = int(chunks.max()) + 1
        # Each passage's terms added in query order, as rank-bm25 adds them (bincount adds in input order).
        scores = np.bincount(chunks, weights=np.concatenate(score_parts), minlength=size)
        ids = np.flatnonzero(np.bincount(chunks, minlength=size))
        if report_ids is not None:  # the blocks read hold other reports' passages too
            from . import store

            ids = ids[np.isin(ids, store.chunk_ids(self.db, report_ids) if allowed is None else allowed,
                              assume_unique=True)]
        return ids, scores[ids]

    def search(self, query_tokens: list[str], k: int, report_ids: list[int] | None = None) -> list[Hit]:
        """The `k` best passages within `report_ids` (all when None) with a positive score, best first;
        ties go to the lower chunk id, as a stable sort of rank-bm25's scores in chunk order gives."""
        import numpy as np

        ids, scores = self.scores(query_tokens, report_ids)
        keep = scores > 0
        ids, scores = ids[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(int(ids[i]), float(scores[i])) for i in order]


class _IdfView(Mapping):
    def __init__(self, lexical: LexicalIndex):
        self._lexical = lexical

    def __getitem__(self, term: str) -> float:
        return self._lexical.idf([term])[term]

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and term in self._lexical.idf([term])

    def __iter__(self) -> Iterator[str]:  # the whole vocabulary: not on any question's path
        return (term for (term,) in self._lexical.db.execute("SELECT term FROM terms ORDER BY id"))

    def __len__(self) -> int:
        return self._lexical.db.execute("SELECT COUNT(*) FROM terms").fetchone()[0]
