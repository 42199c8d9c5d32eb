"""Passage search: dense vectors, and the fusion of their ranking with BM25's (qa/lexical.py).

Both searches rank only the passages a question may be answered from (its area and period), so another
area's identical table can never outrank the right one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # numpy is imported where it is used: a fact answer needs none of it
    import numpy as np


class Hit(NamedTuple):
    """A chunk id with its score under one ranking (higher is better)."""

    chunk_id: int
    score: float


class DenseSearch:
    """Inner product over unit vectors (cosine similarity) in a FAISS IndexIDMap2(IndexFlatIP)."""

    def __init__(self, index):
        import faiss

        faiss.omp_set_num_threads(1)  # a flat search over thousands of vectors gains nothing from threads
        self.index = index

    def search(self, vector: np.ndarray, k: int, allowed: set[int] | np.ndarray | None = None) -> list[Hit]:
        """The `k` chunks nearest to `vector` (shape (dim,)) among the ids `allowed` (all when None)."""
        import faiss
        import numpy as np

        if self.index.ntotal == 0:
            return []
        params = None
        if allowed is not None:
            ids = allowed if isinstance(allowed, np.ndarray) else np.fromiter(allowed, dtype=np.int64)
            if not len(ids):
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids.astype(np.int64, copy=False)))
            k = min(k, len(ids))
        k = min(k, self.index.ntotal)
        scores, ids = self.index.search(vector.reshape(1, -1).astype(np.float32), k, params=params)
        return [Hit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]


@dataclass(frozen=True)
class Fusion:
    """Weighted reciprocal rank fusion: score = sum of weight / (k + rank), rank counted from 1."""

    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    k: int = 60

    def fuse(self, bm25: list[Hit], dense: list[Hit]) -> list[Hit]:
        scores: dict[int, float] = {}
        for weight, hits in ((self.bm25_weight, bm25), (self.dense_weight, dense)):
            for rank, hit in enumerate(hits, start=1):
                scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + weight / (self.k + rank)
        return sorted((Hit(i, s) for i, s in scores.items()), key=lambda h: -h.score)
