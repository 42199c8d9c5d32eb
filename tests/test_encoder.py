"""The query-time ONNX encoder: same vectors as sentence-transformers, and no torch on the question path."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

import qa
from qa.embed import SentenceTransformerEmbedder, model_path
from qa.encoder import EncoderFiles, OnnxEmbedder, _plain_bert, export_encoder
from qa.settings import DEFAULT_MODEL

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


def test_questions_are_encoded_in_8_bits_and_find_the_exact_encoders_passages(index):
    """The question encoder (8-bit matrix weights) is within QUESTION_AGREEMENT of the exact graph on the gold
    questions, and the ten passages the exact vector ranks first are among the thirty its vector ranks first:
    the candidates fused are the same. Passages are still embedded by the exact graph (tests above)."""
    from qa.encoder import QUESTION_AGREEMENT
    from qa.evaluate import load_gold

    files = EncoderFiles.from_manifest(index.manifest, index.index_dir)
    assert files.questions and index.embedder.session._model_path.endswith(files.questions)
    questions = [item["question"] for item in load_gold(Path(__file__).parent.parent / "eval" / "gold.jsonl")]
    exact = OnnxEmbedder(index.index_dir, files).encode(questions)
    eight_bits = OnnxEmbedder(index.index_dir, files, questions=True).encode(questions)
    assert (exact * eight_bits).sum(axis=1).min() >= QUESTION_AGREEMENT
    assert np.abs(exact - eight_bits).max() > 1e-4  # a different graph indeed
    _, best = index.dense.index.search(exact, 10)
    _, pool = index.dense.index.search(eight_bits, 30)
    assert all(set(ten) <= set(thirty) for ten, thirty in zip(best, pool, strict=True))


def test_a_question_encoder_that_disagrees_is_not_kept(tmp_path, monkeypatch):
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "norfolk.txt")
    monkeypatch.setattr("qa.encoder.QUESTION_AGREEMENT", 1.01)  # no cosine reaches it
    qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "idx")
    assert not list((tmp_path / "idx").glob("*.questions*"))  # its files are gone
    index = qa.open_index(tmp_path / "idx")
    files = EncoderFiles.from_manifest(index.manifest, index.index_dir)
    assert files.questions is None and index.embedder.session._model_path.endswith(files.onnx)
    assert index.ask("who chairs the norfolk strategic management board").status == "answered"


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
    assert len(names) == 5  # the graph, its weights, the tokenizer, and the question graph and its weights
    assert qa.build_index([SEEDS], copy).embedded == 0  # nothing changed: the export is reused
    assert sorted(p.name for p in copy.glob("encoder-*")) == names


def test_the_default_model_is_written_from_its_weights_as_torch_would_trace_it(tmp_path):
    """all-MiniLM-L6-v2 is exported without torch (passages are embedded while sentence-transformers is
    imported to check it); the graph torch traces gives the same vectors, both within 1e-5 of the model's."""
    assert _plain_bert(Path(model_path(DEFAULT_MODEL))) is not None
    embedder = SentenceTransformerEmbedder(DEFAULT_MODEL)
    reference = embedder.encode(TEXTS)
    for name, trace in (("written", False), ("traced", True)):
        (tmp_path / name).mkdir()
        files = export_encoder(embedder, tmp_path / name, trace=trace).wait()
        assert files.max_length == 256
        assert np.abs(OnnxEmbedder(tmp_path / name, files).encode(TEXTS) - reference).max() < 1e-5
        assert files.questions  # both ways, the question encoder agrees
        assert sorted(p.name for p in (tmp_path / name).iterdir()) == sorted(files.names)


def test_a_first_build_imports_no_torch(tmp_path):
    """The default model is written to ONNX from its weights; sentence-transformers checks it in a process of
    its own, so the build's process never holds torch (half its memory)."""
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "norfolk.txt")
    code = (
        "import sys, qa\n"
        f"report = qa.build_index([{str(tmp_path / 'norfolk.txt')!r}], {str(tmp_path / 'idx')!r})\n"
        "assert report.warnings == () and report.embedded == report.chunks > 0, report\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert json.loads((tmp_path / "idx" / "manifest.json").read_text())["encoder"]["max_length"] == 256


def test_only_what_the_graph_computes_exactly_is_written_from_weights(tmp_path):
    model = Path(model_path(DEFAULT_MODEL))

    def variant(name, path, change):
        copy = tmp_path / name
        shutil.copytree(model, copy, ignore=shutil.ignore_patterns("*.safetensors"))
        (copy / "model.safetensors").symlink_to(model / "model.safetensors")
        data = json.loads((copy / path).read_text())
        change(data)
        (copy / path).write_text(json.dumps(data))
        return _plain_bert(copy)

    assert variant("same", "config.json", lambda c: None) is not None
    assert variant("cls", "1_Pooling/config.json",
                   lambda c: c.update(pooling_mode_cls_token=True, pooling_mode_mean_tokens=False)) is None
    assert variant("relu", "config.json", lambda c: c.update(hidden_act="relu")) is None
    assert variant("relative", "config.json", lambda c: c.update(position_embedding_type="relative_key")) is None
    assert variant("roberta", "config.json", lambda c: c.update(model_type="roberta")) is None
    assert variant("lowercased", "sentence_bert_config.json", lambda c: c.update(do_lower_case=True)) is None
    assert variant("dense", "modules.json", lambda m: m.insert(2, {"idx": 2, "name": "2", "path": "2_Dense",
                                                                  "type": "sentence_transformers.models.Dense"})) is None


def test_an_export_that_fails_its_check_leaves_the_model_to_embed(tmp_path, monkeypatch):
    """The check ends while passages are embedded with the export: when it fails, they are embedded again with
    sentence-transformers, and questions are encoded by it."""
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "norfolk.txt")
    checked = qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "onnx")
    monkeypatch.setattr("qa.encoder.TOLERANCE", 0.0)  # no export equals the model to the last bit
    report = qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "idx")
    assert len(report.warnings) == 1 and "the ONNX export differs from the model by" in report.warnings[0]
    assert json.loads((tmp_path / "idx" / "manifest.json").read_text())["encoder"] is None
    assert not list((tmp_path / "idx").glob("*encoder-*"))
    index, onnx = qa.open_index(tmp_path / "idx"), qa.open_index(tmp_path / "onnx")
    assert type(index.embedder).__name__ == "SentenceTransformerEmbedder"
    ids = [row[0] for row in index.db.execute("SELECT id FROM chunks ORDER BY id")]
    assert report.embedded == checked.embedded == len(ids) > 0
    built = np.vstack([index.dense.index.reconstruct(i) for i in ids])
    assert np.abs(built - np.vstack([onnx.dense.index.reconstruct(i) for i in ids])).max() < 1e-5


def test_passages_are_embedded_with_onnx_as_sentence_transformers_would(index):
    from qa.index import embedding_text

    rows = index.db.execute("SELECT c.id, r.title, r.area, r.period, c.section, c.text FROM chunks c"
                            " JOIN reports r ON r.id = c.report_id ORDER BY c.id").fetchall()
    texts = [embedding_text(r["title"], r["area"], r["period"], r["section"], r["text"]) for r in rows]
    reference = SentenceTransformerEmbedder(index.model_id).encode(texts)
    built = np.vstack([index.dense.index.reconstruct(r["id"]) for r in rows])
    assert built.shape == (189, 384) and np.abs(built - reference).max() < 1e-5


def test_the_reference_vectors_are_computed_once_per_model(tmp_path, monkeypatch):
    """sentence-transformers' vectors that every export is checked against are kept in the user's cache: a later
    build checks its export against them without starting torch again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copy(SEEDS / "004_b79ee1c3b7c55e1b.txt", tmp_path / "norfolk.txt")
    qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "first")
    assert len(list((tmp_path / "cache" / "qa").glob("reference-*.json"))) == 1
    assert len(list((tmp_path / "cache" / "qa").glob("questions-*.onnx*"))) == 2  # the question graph, its weights
    started = []
    monkeypatch.setattr("qa.encoder._reference_process", lambda model: started.append(model))
    monkeypatch.setattr("qa.encoder._qa_process", lambda *args: started.append(args))
    second = qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "second")
    assert started == [] and second.warnings == ()  # neither computed again: both copied from the cache
    index = qa.open_index(tmp_path / "second")
    files = EncoderFiles.from_manifest(index.manifest, index.index_dir)
    assert index.embedder.session._model_path.endswith(files.questions)
    first = qa.open_index(tmp_path / "first").embedder
    assert np.abs(index.embedder.encode(TEXTS[:3]) - first.encode(TEXTS[:3])).max() == 0
    assert json.loads((tmp_path / "second" / "manifest.json").read_text())["encoder"] is not None
    monkeypatch.setattr("qa.encoder.TOLERANCE", 0.0)  # the kept vectors still check every export
    report = qa.build_index([tmp_path / "norfolk.txt"], tmp_path / "third")
    assert "the ONNX export differs from the model by" in report.warnings[0]
