"""The query-time ONNX encoder: same vectors as sentence-transformers, and no torch on the question path."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import SEEDS

import qa
from qa.embed import SentenceTransformerEmbedder
from qa.encoder import EncoderFiles, OnnxEmbedder

TEXTS = [
    "how many SHPOs in Norfolk 2024/25",
    "who chairs the norfolk strategic management board",
    "x",
    "",
    "Café – naïve “quotes”, 1,444 ✓ and ümlauts",
    "a much longer passage about multi-agency public protection arrangements " * 40,  # past 256 tokens
]


def test_onnx_vectors_match_sentence_transformers(index_dir):
    manifest = json.loads((index_dir / "manifest.json").read_text())
    files = EncoderFiles.from_manifest(manifest, index_dir)
    assert files is not None and files.max_length == 256
    onnx = OnnxEmbedder(index_dir, files).encode(TEXTS)  # one padded batch of different lengths
    reference = SentenceTransformerEmbedder(manifest["model"]).encode(TEXTS)
    assert onnx.shape == reference.shape == (len(TEXTS), 384)
    assert np.abs(onnx - reference).max() < 1e-5
    single = OnnxEmbedder(index_dir, files).encode([TEXTS[1]])
    assert np.abs(single[0] - reference[1]).max() < 1e-5


def test_the_opened_index_encodes_with_onnx(index):
    assert type(index.embedder).__name__ == "OnnxEmbedder"


@pytest.mark.parametrize(
    "question, check, not_imported",
    [
        # A passage question encodes with onnxruntime: no torch, sentence-transformers or transformers.
        ("who chairs the norfolk strategic management board", "answer.kind == 'passage'",
         ("torch", "sentence_transformers", "transformers")),
        # A fact question reads SQLite only: no model, no index of vectors, not even numpy.
        # No plotting either: matplotlib is imported only to draw a chart.
        ("how many SHPOs in Norfolk 2024/25", "answer.value == 118",
         ("torch", "onnxruntime", "faiss", "numpy", "matplotlib")),
    ],
)
def test_a_question_imports_only_what_its_answer_needs(index_dir, question, check, not_imported):
    code = (
        "import sys, qa\n"
        f"answer = qa.open_index({str(index_dir)!r}).ask({question!r})\n"
        f"assert {check}, answer\n"
        f"print(sorted(m for m in {not_imported!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_rebuilding_keeps_one_encoder(index_dir, tmp_path):
    copy = tmp_path / "index"  # a rebuild writes a new vectors file: not in the session's index, open elsewhere
    shutil.copytree(index_dir, copy)
    names = sorted(p.name for p in copy.glob("encoder-*"))
    assert len(names) == 3  # the graph, its weights and the tokenizer
    assert qa.build_index([SEEDS], copy).embedded == 0  # nothing changed: the export is reused
    assert sorted(p.name for p in copy.glob("encoder-*")) == names


def test_passages_are_embedded_with_onnx_as_sentence_transformers_would(index):
    from qa.index import embedding_text

    rows = index.db.execute("SELECT c.id, r.title, r.area, r.period, c.section, c.text FROM chunks c"
                            " JOIN reports r ON r.id = c.report_id ORDER BY c.id").fetchall()
    texts = [embedding_text(r["title"], r["area"], r["period"], r["section"], r["text"]) for r in rows]
    reference = SentenceTransformerEmbedder(index.model_id).encode(texts)
    built = np.vstack([index.dense.index.reconstruct(r["id"]) for r in rows])
    assert built.shape == (189, 384) and np.abs(built - reference).max() < 1e-5
