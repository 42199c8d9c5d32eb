"""The BM25 index on disk ranks exactly as rank-bm25's BM25Okapi over every passage in memory (the reference)."""

import shutil

import numpy as np
import pytest
from conftest import ROOT, SEEDS
from rank_bm25 import BM25Okapi
from test_index import TinyEmbedder

import qa
from qa.evaluate import load_gold
from qa.lexical import LexicalIndex

GOLD = load_gold(ROOT / "eval" / "gold.jsonl")


def _reference(index) -> tuple[np.ndarray, BM25Okapi]:
    rows = index.db.execute("SELECT id, tokens FROM chunks ORDER BY id").fetchall()
    return np.array([r[0] for r in rows]), BM25Okapi([r[1].split() for r in rows])


def _top(ids, scores, k, allowed=None):
    """rank-bm25's top k among `allowed`, as the in-memory search ranked: positive scores, stable order."""
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] > 0 and (allowed is None or ids[i] in allowed)]
    return [(int(ids[i]), float(scores[i])) for i in order[:k]]


@pytest.fixture(scope="module")
def reference(index):
    return _reference(index)


def test_every_gold_question_ranks_as_rank_bm25(index, reference):
    ids, bm25 = reference
    assert len(GOLD) == 260
    for item in GOLD:
        tokens = index.parse(item["question"]).tokens
        expected = _top(ids, bm25.get_scores(tokens), 10)
        hits = index.bm25.search(tokens, 10)
        assert [h.chunk_id for h in hits] == [i for i, _ in expected], item["id"]
        assert np.allclose([h.score for h in hits], [s for _, s in expected], rtol=0, atol=1e-6), item["id"]


def test_scoped_gold_questions_rank_as_rank_bm25(index, reference):
    ids, bm25 = reference
    scoped = 0
    for item in GOLD:
        query = index.parse(item["question"])
        if not (query.areas or query.periods):
            continue
        report_ids = sorted(r.id for r in index._scope(query))
        allowed = {r[0] for r in index.db.execute(
            f"SELECT id FROM chunks WHERE report_id IN ({','.join('?' * len(report_ids))})", report_ids)}
        expected = _top(ids, bm25.get_scores(query.tokens), 10, allowed)
        hits = index.bm25.search(query.tokens, 10, report_ids)
        assert [(h.chunk_id, round(h.score, 9)) for h in hits] == [(i, round(s, 9)) for i, s in expected], item["id"]
        scoped += 1
    assert scoped > 150


def test_every_score_and_idf_equals_rank_bm25(index, reference):
    ids, bm25 = reference
    tokens = index.parse("how many MAPPA eligible SHPOs in Norfolk, Norfolk and the strategic board").tokens
    assert tokens.count("norfolk") == 2  # a repeated word counts twice, as in rank-bm25
    full = bm25.get_scores(tokens)
    chunk_ids, scores = index.bm25.scores(tokens)
    positions = np.searchsorted(ids, chunk_ids)
    assert np.array_equal(scores, full[positions])  # bit for bit
    assert not full[np.setdiff1d(np.arange(len(ids)), positions)].any()  # the rest hold no query word
    idf = index.bm25.idf(tokens + ["nosuchword"])
    assert idf == {t: bm25.idf[t] for t in tokens}
    assert index._idf().get("mappa") == bm25.idf["mappa"] and index._idf().get("nosuchword", 0.0) == 0.0
    assert bm25.idf["mappa"] == 0.25 * bm25.average_idf  # a word in most passages: the epsilon floor


def test_updates_keep_the_index_equal_to_a_fresh_one(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    embedder = TinyEmbedder()
    qa.build_index([corpus / "000_596632459647fbdf.txt", corpus / "004_b79ee1c3b7c55e1b.txt"], tmp_path / "idx",
                   embedder=embedder)
    qa.build_index([corpus], tmp_path / "idx", embedder=embedder)  # three added
    norfolk = corpus / "004_b79ee1c3b7c55e1b.txt"
    norfolk.write_text(norfolk.read_text(encoding="utf-8").replace("Norfolk", "Suffolk and Norfolk", 3)
                       + "\nA new closing paragraph about polygraph testing.\n", encoding="utf-8")
    assert len(qa.build_index([corpus], tmp_path / "idx", embedder=embedder).updated) == 1  # one replaced
    index = qa.open_index(tmp_path / "idx", embedder=embedder)
    ids, bm25 = _reference(index)
    lexical = index.bm25
    assert (lexical.passages, lexical.tokens) == (len(ids), sum(bm25.doc_len))
    assert np.isclose(lexical.average_idf, bm25.average_idf, rtol=0, atol=1e-12)
    held = dict(index.db.execute("SELECT term, df FROM terms"))
    assert held == {term: sum(term in d for d in bm25.doc_freqs) for term in bm25.idf}
    for question in ("polygraph testing in Norfolk", "who chairs the strategic management board", "suffolk"):
        tokens = index.parse(question).tokens
        hits = LexicalIndex(index.db).search(tokens, 10)
        expected = _top(ids, bm25.get_scores(tokens), 10)
        assert [h.chunk_id for h in hits] == [i for i, _ in expected]
        assert np.allclose([h.score for h in hits], [s for _, s in expected], rtol=0, atol=1e-9)
