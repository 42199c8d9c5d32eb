import json
import shutil

import numpy as np
import pytest
from conftest import SEEDS

import qa


class TinyEmbedder:
    """A deterministic stand-in at the model seam, for index mechanics only (never for answers)."""

    model_id = "test/tiny-hash"

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += len(texts)
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, hash(word) % 16] += 1
        out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-9
        return out


def test_manifest_and_files(index_dir):
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["schema_version"] == 4 and manifest["reports"] and manifest["facts"] == 260
    assert (index_dir / manifest["vectors"]).is_file()
    assert sorted(p.name for p in index_dir.glob("vectors-*.faiss")) == [manifest["vectors"]]


def test_incremental_rebuild_embeds_only_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    embedder = TinyEmbedder()
    first = qa.build_index([corpus], tmp_path / "idx", embedder=embedder)
    assert len(first.added) == 5 and first.embedded == first.chunks
    again = qa.build_index([corpus], tmp_path / "idx", embedder=embedder)
    assert again.embedded == 0 and len(again.unchanged) == 5 and again.chunks == first.chunks
    norfolk = corpus / "004_b79ee1c3b7c55e1b.txt"
    norfolk.write_text(norfolk.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    changed = qa.build_index([corpus], tmp_path / "idx", embedder=embedder)
    assert [p.split("/")[-1] for p in changed.updated] == ["004_b79ee1c3b7c55e1b.txt"]
    assert 0 < changed.embedded < first.embedded and changed.reports == 5
    index = qa.open_index(tmp_path / "idx", embedder=embedder)
    assert index.dense.index.ntotal == changed.chunks


def test_other_documents_survive_bad_files_and_later_runs(tmp_path):
    embedder = TinyEmbedder()
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe not utf-8")
    (tmp_path / "notes.xyz").write_text("x")
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "norfolk.txt")
    report = qa.build_index([tmp_path / "bad.txt", tmp_path / "norfolk.txt", tmp_path / "notes.xyz"],
                            tmp_path / "idx", embedder=embedder)
    assert report.reports == 1 and len(report.skipped) == 2
    assert any("not UTF-8" in s for s in report.skipped) and any("unknown file type" in s for s in report.skipped)
    shutil.copy(SEEDS / "002_c7e779d3e77a4788.txt", tmp_path / "london.txt")
    report = qa.build_index([tmp_path / "london.txt"], tmp_path / "idx", embedder=embedder)
    assert report.reports == 2  # Norfolk is kept


def test_same_report_twice_is_indexed_once(tmp_path):
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "a.txt")
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "b.txt")
    report = qa.build_index([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "idx", embedder=TinyEmbedder())
    assert report.reports == 1 and report.skipped == ()
    assert report.duplicates == (f"{tmp_path.name}/b.txt: same text as {tmp_path.name}/a.txt, indexed once",)


def test_foreign_model_and_missing_index_are_reported(tmp_path):
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "a.txt")
    qa.build_index([tmp_path / "a.txt"], tmp_path / "idx", embedder=TinyEmbedder())
    with pytest.raises(qa.IndexStale, match="qa index --rebuild"):
        qa.build_index([tmp_path / "a.txt"], tmp_path / "idx")
    with pytest.raises(qa.IndexStale, match="qa index --rebuild"):
        qa.open_index(tmp_path / "idx", model="sentence-transformers/all-MiniLM-L6-v2")
    with pytest.raises(qa.IndexMissing, match="qa index"):
        qa.open_index(tmp_path / "nowhere")


def test_faiss_top_k_equals_numpy_brute_force(index):
    import faiss

    vectors = index.dense.index
    ids = faiss.vector_to_array(vectors.id_map)
    matrix = np.vstack([vectors.reconstruct(int(i)) for i in ids])
    query = index.embedder.encode(["how many SHPOs in Norfolk"])[0]
    brute = ids[np.argsort(-(matrix @ query), kind="stable")[:10]]
    assert [h.chunk_id for h in index.dense.search(query, 10)] == list(brute)
    allowed = set(int(i) for i in ids[::3])
    subset = [int(i) for i in ids[np.argsort(-(matrix @ query), kind="stable")] if int(i) in allowed][:5]
    assert [h.chunk_id for h in index.dense.search(query, 5, allowed)] == subset
