"""The query-time encoder: the embedding model exported to ONNX when the index is built, run with
onnxruntime and tokenizers, so that answering a question never imports torch or sentence-transformers.

Export is for models sentence-transformers loads as Transformer -> mean Pooling (-> Normalize), such as
all-MiniLM-L6-v2. Any other model is left to sentence-transformers at query time. A plain BERT with float32
safetensors weights (all-MiniLM-L6-v2) is written to ONNX from its weights, without torch; other models are
traced with torch. Either way the export is checked against sentence-transformers' vectors to TOLERANCE (kept
in the user's cache once computed for a model, so that later builds do not import torch to compute them again).

Beside the exact graph, which embeds the passages, a copy with its matrix weights in 8 bits (per output channel)
encodes the questions in half the time; it is kept only when its vectors agree with the exact graph's
(QUESTION_AGREEMENT) on questions of every kind, and kept in the user's cache too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
import warnings
import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .embed import SentenceTransformerEmbedder, model_path
from .errors import QAError

if TYPE_CHECKING:
    import numpy as np

TOLERANCE = 1e-5  # the largest difference from sentence-transformers' vectors an export may have
# The lowest cosine between the 8-bit question encoder's vectors and the exact graph's, on QUESTIONS, for it to
# be kept: a check that the quantisation worked, not a tuning (all-MiniLM-L6-v2: 0.980 for the one-letter "x",
# 0.990 at worst on the 260 gold questions, 0.994 on average; no gold, blind or dev answer, rank or refusal moves).
QUESTION_AGREEMENT = 0.97


@dataclass(frozen=True)
class EncoderFiles:
    """What the manifest records about an exported encoder; file names are relative to the index directory."""

    model: str
    onnx: str  # the graph
    weights: str  # its weights, kept apart so that onnxruntime maps them instead of parsing them: 3x faster to load
    tokenizer: str
    max_length: int
    questions: str | None = None  # the graph with 8-bit matrix weights that encodes questions, when kept
    question_weights: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @property
    def names(self) -> tuple[str, ...]:
        """Every file of the encoder."""
        return tuple(name for name in (self.onnx, self.weights, self.tokenizer, self.questions, self.question_weights)
                     if name)

    @classmethod
    def from_manifest(cls, manifest: dict, index_dir: Path) -> EncoderFiles | None:
        """The encoder the manifest names, when it is for the manifest's model and its files are there; without
        its question graph when that was not kept (questions are then encoded by the exact graph)."""
        spec = manifest.get("encoder")
        if not spec or spec.get("model") != manifest.get("model"):
            return None
        try:
            files = cls(**spec)
        except TypeError:  # written by another qa version
            return None
        if not all((index_dir / name).is_file() for name in (files.onnx, files.weights, files.tokenizer)):
            return None
        if not all((index_dir / name).is_file() for name in files.names):
            return replace(files, questions=None, question_weights=None)
        return files


class OnnxEmbedder:
    """Encodes like the sentence-transformers model it was exported from (mean pooling, unit length); with
    `questions`, by the 8-bit graph when there is one (within QUESTION_AGREEMENT of the exact one)."""

    def __init__(self, index_dir: Path, files: EncoderFiles, questions: bool = False):
        import onnxruntime
        from tokenizers import Tokenizer

        self.model_id = files.model
        self.tokenizer = Tokenizer.from_file(str(index_dir / files.tokenizer))
        self.tokenizer.enable_truncation(files.max_length)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        # The graph was optimised at export: loading it is all that is left to do.
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.log_severity_level = 3
        # One short question is a small job: one thread, no spinning, so that it is not slowed by waiting
        # threads, nor slows other requests down in a server.
        options.intra_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        graph = files.questions if questions and files.questions else files.onnx
        self.session = onnxruntime.InferenceSession(str(index_dir / graph), options,
                                                    providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, shape (n, dim), float32, unit length."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        tokens = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class ExportFailed(Exception):
    """The model could not be exported; questions will be encoded by sentence-transformers instead."""


# What an export is checked on: a question, a passage-like sentence, and a text past the longest input.
PROBE = ["how many SHPOs in Norfolk 2024/25", "who chairs the strategic management board", "x " * 400]
# What the question encoder is checked on: questions of every kind, terse to chatty.
QUESTIONS = [
    "how many SHPOs in Norfolk 2024/25", "who chairs the strategic management board", "x",
    "london cat 2 violent offenders managed at level 1, march 2025 snapshot",
    "Under the Freedom of Information Act, please provide the number of registered sex offenders per 100,000 "
    "population in Cheshire for the year ending 31 March 2023.",
    "What did the Joint Targeted Area Inspection say about the voice of the child?",
    "which area had the most licence recalls", "what's the weather like in Narnia",
]

# Writes the question encoder of the files argv[2] (JSON) in the index directory argv[1] from the graph in argv[3],
# kept at an agreement of argv[4]: prints whether it was kept.
_QUESTIONS = """
import json, sys
from pathlib import Path
from qa.encoder import EncoderFiles, keep_questions, write_questions
index_dir, files = Path(sys.argv[1]), EncoderFiles(**json.loads(sys.argv[2]))
kept = write_questions(index_dir, files, Path(sys.argv[3]), float(sys.argv[4]))
if kept and sys.argv[5]:
    keep_questions(index_dir, files, Path(sys.argv[5]))
print("kept" if kept else "dropped")
"""

# sentence-transformers' vectors of the texts in argv[2] (JSON), for the model argv[1], printed as JSON.
_REFERENCE = """
import json, sys
from qa.embed import SentenceTransformerEmbedder
vectors = SentenceTransformerEmbedder(sys.argv[1]).encode(json.loads(sys.argv[2]))
print(json.dumps(vectors.tolist()))
"""


class Export:
    """An encoder just written to the index directory, to be checked against sentence-transformers before the
    index that uses it is committed: `wait()`.

    When the model was not loaded to export it, its vectors of PROBE come from a process of its own, started
    before the export is written, that runs while passages are embedded with the export: importing torch and
    sentence-transformers takes five seconds of CPU, which on a thread of this process would keep the
    embedding threads waiting for the GIL (and would leave torch in its memory)."""

    def __init__(self, index_dir: Path, files: EncoderFiles, reference: subprocess.Popen | np.ndarray,
                 remember: Path | None = None, questions: subprocess.Popen | None = None):
        self.index_dir, self.files, self.reference, self.remember = index_dir, files, reference, remember
        # the process writing the question encoder beside the passages' embedding
        self.questions = questions
        for process in (reference, questions):
            if isinstance(process, subprocess.Popen):
                weakref.finalize(self, _stop, process)  # a build that fails before the check does not wait for it

    def wait(self) -> EncoderFiles:
        """The files, once checked. Raises ExportFailed, having removed them, when the export differs from
        the model by more than TOLERANCE, or cannot be run or checked."""
        import numpy as np

        try:
            expected = self.reference
            if isinstance(expected, subprocess.Popen):
                output, errors = expected.communicate()
                if expected.returncode:
                    raise ExportFailed("sentence-transformers could not encode the check: "
                                       + (errors.strip().splitlines() or [f"exit code {expected.returncode}"])[-1])
                expected = np.asarray(json.loads(output), dtype=np.float32)
                if self.remember:
                    _remember(self.remember, output)
            difference = np.abs(OnnxEmbedder(self.index_dir, self.files).encode(PROBE) - expected).max()
            if difference > TOLERANCE:
                raise ExportFailed(f"the ONNX export differs from the model by {difference:.1e}")
        except Exception as error:
            if self.questions:
                _stop(self.questions)
            _remove(self.index_dir, self.files)
            if isinstance(error, ExportFailed):
                raise
            raise ExportFailed(f"{type(error).__name__}: {error}") from error
        if self.questions and self.files.questions:
            output, _ = self.questions.communicate()
            if self.questions.returncode or output.strip() != "kept":  # questions use the exact graph
                self.files = _without_questions(self.index_dir, self.files)
        return self.files


def export_encoder(embedder: SentenceTransformerEmbedder, index_dir: Path, *, trace: bool = False) -> Export:
    """Export the embedder's model to ONNX in `index_dir`; `Export.wait()` checks it and gives its files.

    A plain BERT stored as safetensors (all-MiniLM-L6-v2) is written from its weights in a second, with
    neither torch nor sentence-transformers imported in this process; any other model, or any with `trace`,
    is loaded with sentence-transformers and traced with torch (seven seconds).
    The question encoder (8-bit weights) is written beside it, and kept when it agrees with it.
    Raises ExportFailed when the model is not Transformer + mean pooling or cannot be exported: questions
    are then encoded by sentence-transformers, slower to start, same vectors. IndexStale when the model
    cannot be loaded to be traced.
    """
    stem = f"encoder-{uuid.uuid4().hex[:12]}"
    raw, source = index_dir / f".{stem}.raw.onnx.tmp", index_dir / f".{stem}.questions-source.onnx.tmp"
    files = EncoderFiles(embedder.model_id, f"{stem}.onnx", f"{stem}.weights", f"{stem}.tokenizer.json", 0,
                         f"{stem}.questions.onnx", f"{stem}.questions.weights")
    reference = questions = None
    try:
        bert = None if trace else _plain_bert(Path(model_path(embedder.model_id)))
        remember = None
        if bert:
            remember = _remembered_at(Path(model_path(embedder.model_id)))
            reference = _recall(remember) if remember else None
            if reference is None:
                reference = _reference_process(embedder.model_id)
            graph, max_length, tokenizer_json = bert.graph().SerializeToString(), bert.max_length, bert.tokenizer
        else:
            max_length, tokenizer_json = _trace(embedder, raw)
            graph = raw.read_bytes()
            reference = embedder.encode(PROBE)  # the model is loaded: a fraction of a second
        _save_optimised(graph, index_dir, files.onnx, files.weights)
        (index_dir / files.tokenizer).write_bytes(tokenizer_json.read_bytes())
        files = replace(files, max_length=max_length)
        # The question encoder is copied from the user's cache when this model's was written before; else it is
        # written by a process of its own while the passages are embedded (2.5 s of CPU, and the model it
        # loads kept out of the build's memory), which keeps it in the cache.
        kept = _questions_kept_at(remember) if remember else None
        if kept and _copy_questions(kept, index_dir / files.questions, files.question_weights):
            del graph
        else:
            source.write_bytes(graph)
            del graph
            questions = _qa_process(_QUESTIONS, str(index_dir), json.dumps(files.to_dict()), str(source),
                                    str(QUESTION_AGREEMENT), str(kept or ""))
    except Exception as error:
        for process in (reference, questions):
            if isinstance(process, subprocess.Popen):
                _stop(process)
        _remove(index_dir, files)
        if isinstance(error, ExportFailed | QAError):
            raise
        raise ExportFailed(f"{type(error).__name__}: {error}") from error
    finally:
        raw.unlink(missing_ok=True)
    return Export(index_dir, files, reference, remember, questions)


def _save_optimised(graph: bytes, index_dir: Path, name: str, weights: str) -> None:
    """Save `graph` optimised once, so each question's process only loads it; its weights apart, so that
    onnxruntime maps them instead of parsing them."""
    import onnxruntime

    optimised = index_dir / f".{name}.optimised.tmp"
    try:
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(optimised)
        options.log_severity_level = 3
        options.add_session_config_entry("session.optimized_model_external_initializers_file_name", weights)
        options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
        onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        optimised.replace(index_dir / name)
        (index_dir / weights).chmod(0o644)
    finally:
        optimised.unlink(missing_ok=True)


def write_questions(index_dir: Path, files: EncoderFiles, source: Path, needed: float = QUESTION_AGREEMENT) -> bool:
    """Write the question encoder of `files` from the graph in `source` (then removed): its MatMul weights
    quantised to 8 bits per output channel (onnxruntime.quantization; activations quantised as each question
    runs). Kept, and True, when its vectors of QUESTIONS agree with the exact graph's to `needed`; otherwise
    its files are removed and questions use the exact graph."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantised = index_dir / f".{files.questions}.int8.tmp"
    kept = False
    try:
        logging.disable(logging.WARNING)  # its advice to pre-process the graph, on the root logger (stderr)
        try:
            quantize_dynamic(source, quantised, weight_type=QuantType.QInt8, per_channel=True,
                             op_types_to_quantize=["MatMul"])
        finally:
            logging.disable(logging.NOTSET)
        _save_optimised(quantised.read_bytes(), index_dir, files.questions, files.question_weights)
        exact = OnnxEmbedder(index_dir, files).encode(QUESTIONS)
        agreement = float((OnnxEmbedder(index_dir, files, questions=True).encode(QUESTIONS) * exact).sum(axis=1).min())
        kept = agreement >= needed  # False for nan
    finally:
        quantised.unlink(missing_ok=True)
        source.unlink(missing_ok=True)
        if not kept:  # also when it could not be written or read
            _without_questions(index_dir, files)
    return kept


def _without_questions(index_dir: Path, files: EncoderFiles) -> EncoderFiles:
    """`files` less the question encoder, whose files are removed: questions are encoded by the exact graph."""
    for name in (files.questions, files.question_weights):
        if name:
            (index_dir / name).unlink(missing_ok=True)
    return replace(files, questions=None, question_weights=None)


def _questions_kept_at(remember: Path) -> Path:
    """Where the question encoder written for the model whose reference vectors are kept at `remember` is kept:
    beside them, under a digest of theirs and of the onnxruntime version that quantised it."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"{remember.name} onnxruntime {version('onnxruntime')} {QUESTION_AGREEMENT}".encode())
    return remember.with_name(f"questions-{digest.hexdigest()[:24]}.onnx")


def keep_questions(index_dir: Path, files: EncoderFiles, kept: Path) -> None:
    """Keep the question encoder just written in `index_dir` at `kept` (written whole or not at all); a cache
    that cannot be written is skipped."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        part = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        if _copy_questions(index_dir / files.questions, part, f"{kept.name}.weights"):
            part.replace(kept)
    except OSError:
        pass


def _copy_questions(graph: Path, to: Path, weights: str) -> bool:
    """Copy the graph at `graph` and its weights file to `to`, its weights as `weights` beside it (the graph
    names its weights file: the name is rewritten). False when there is nothing whole to copy."""
    import onnx

    try:
        model = onnx.load(str(graph), load_external_data=False)
        sources = {entry.value for tensor in model.graph.initializer for entry in tensor.external_data
                   if entry.key == "location"}
        if len(sources) != 1:
            return False
        shutil.copyfile(graph.parent / sources.pop(), to.parent / weights)
        for tensor in model.graph.initializer:
            for entry in tensor.external_data:
                if entry.key == "location":
                    entry.value = weights
        to.write_bytes(model.SerializeToString())
        return True
    except (OSError, ValueError, onnx.onnx_cpp2py_export.checker.ValidationError):
        return False


def _remembered_at(model_dir: Path) -> Path | None:
    """Where sentence-transformers' vectors of PROBE for the model in `model_dir` are kept once computed: the
    user's cache, under a digest of the model's files, the PROBE and the sentence-transformers version. Every
    export is still checked against them; only computing them again (six seconds of CPU importing torch) is
    spared. None when there is no cache directory."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    try:
        digest = hashlib.sha256(json.dumps([PROBE, version("sentence-transformers")]).encode())
    except PackageNotFoundError:
        return None
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode())
        digest.update(path.read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa"
    return cache / f"reference-{digest.hexdigest()[:24]}.json"


def _recall(path: Path) -> np.ndarray | None:
    import numpy as np

    try:
        vectors = np.asarray(json.loads(path.read_text(encoding="utf-8")), dtype=np.float32)
    except (OSError, ValueError):
        return None
    return vectors if vectors.shape[0] == len(PROBE) else None


def _remember(path: Path, vectors_json: str) -> None:
    """Keep the reference vectors (written whole or not at all); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        part.write_text(vectors_json, encoding="utf-8")
        part.replace(path)
    except OSError:
        pass


def _reference_process(model: str) -> subprocess.Popen:
    """A Python process that prints sentence-transformers' vectors of PROBE for `model` as JSON."""
    return _qa_process(_REFERENCE, model, json.dumps(PROBE))


def _qa_process(code: str, *args: str) -> subprocess.Popen:
    """A Python process running `code` with `args`: this qa package first on its path, its messages kept from
    the terminal, its output read as text."""
    here = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": path})


def _stop(process: subprocess.Popen) -> None:
    process.kill()  # nothing if it has ended
    process.communicate()


def _remove(index_dir: Path, files: EncoderFiles) -> None:
    """Remove the encoder's files, and what its export was writing (".<stem>…tmp")."""
    stem = files.onnx.removesuffix(".onnx")
    for path in [*(index_dir / name for name in files.names), *index_dir.glob(f".{stem}.*.tmp")]:
        path.unlink(missing_ok=True)


def _trace(embedder: SentenceTransformerEmbedder, raw: Path) -> tuple[int, Path]:
    """Trace the embedder's transformer to ONNX in `raw`; returns (its longest input, its tokenizer.json)."""
    import torch

    model = embedder._load()
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if (kinds[:2] != ["Transformer", "Pooling"] or modules[1].get_config_dict().get("pooling_mode") != "mean"
            or any(kind != "Normalize" for kind in kinds[2:])):
        raise ExportFailed(f"{embedder.model_id} is {' -> '.join(kinds)}, not Transformer -> mean Pooling")
    tokenizer_json = Path(model_path(embedder.model_id)) / "tokenizer.json"
    if not tokenizer_json.is_file():
        raise ExportFailed(f"{embedder.model_id} has no tokenizer.json")

    class _Tokens(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    example = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    bert = modules[0].auto_model.eval()
    attention = getattr(bert.config, "_attn_implementation", None)
    # Plain attention traces to MatMul, Softmax and an additive mask, which onnxruntime runs 3% faster than the
    # masking around scaled_dot_product_attention (Where, IsNaN); the same vectors.
    eager = attention not in (None, "eager") and hasattr(bert, "set_attn_implementation")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shapes; the export is checked
        if eager:
            bert.set_attn_implementation("eager")
        try:
            torch.onnx.export(
                _Tokens(bert), (example, example, torch.zeros_like(example)), str(raw),
                input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["tokens"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "tokens": axes},
                opset_version=17, dynamo=False,
            )
        finally:
            if eager:  # the model also encodes the check, and whatever the export fails on
                bert.set_attn_implementation(attention)
    return int(model.max_seq_length), tokenizer_json


class _PlainBert(NamedTuple):
    """A sentence-transformers model that is a BERT encoder with mean pooling, read from its files."""

    config: dict  # the transformer's config.json
    weights: Path  # its model.safetensors, float32
    max_length: int  # sentence-transformers' max_seq_length
    tokenizer: Path  # its tokenizer.json

    def graph(self):
        """The ONNX graph of `BertModel(...).last_hidden_state` as transformers computes it in eager mode:
        inputs input_ids, attention_mask and token_type_ids (int64, batch x tokens), output tokens (float32,
        batch x tokens x hidden)."""
        import numpy as np
        from onnx import TensorProto, helper, numpy_helper
        from safetensors.numpy import load_file

        weights = load_file(self.weights)
        prefix = "" if "embeddings.word_embeddings.weight" in weights else "bert."
        config = self.config
        hidden, heads, eps = config["hidden_size"], config["num_attention_heads"], config["layer_norm_eps"]
        initializers, nodes = [], []

        def constant(name: str, value) -> str:
            initializers.append(numpy_helper.from_array(np.asarray(value), name))
            return name

        def weight(name: str, transpose: bool = False) -> str:
            array = weights.pop(prefix + name)
            return constant(name, np.ascontiguousarray(array.T) if transpose else array)

        def op(kind: str, inputs: list[str], output: str, **attributes) -> str:
            nodes.append(helper.make_node(kind, inputs, [output], name=output, **attributes))
            return output

        def linear(x: str, name: str) -> str:  # torch.nn.Linear: x @ weight.T + bias
            return op("Add", [op("MatMul", [x, weight(f"{name}.weight", True)], f"{name}/matmul"),
                              weight(f"{name}.bias")], name)

        def layer_norm(x: str, name: str, output: str) -> str:
            return op("LayerNormalization", [x, weight(f"{name}.weight"), weight(f"{name}.bias")], output,
                      axis=-1, epsilon=eps)

        length = op("Gather", [op("Shape", ["input_ids"], "shape"), constant("one", np.int64(1))], "length")
        positions = op("Range", [constant("zero", np.int64(0)), length, "one"], "positions")
        x = op("Add", [op("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"], "words"),
                       op("Gather", [weight("embeddings.token_type_embeddings.weight"), "token_type_ids"], "types")],
               "words+types")
        x = op("Add", [x, op("Gather", [weight("embeddings.position_embeddings.weight"), positions], "places")],
               "embedded")
        x = layer_norm(x, "embeddings.LayerNorm", "embeddings")
        # Masked tokens get the lowest float added to their scores, as transformers does: their weight is 0.
        mask = op("Mul", [op("Sub", [constant("1.0", np.float32(1)),
                                     op("Cast", ["attention_mask"], "mask", to=TensorProto.FLOAT)], "masked"),
                          constant("lowest", np.finfo(np.float32).min)], "mask/scores")
        mask = op("Unsqueeze", [mask, constant("axes 1, 2", np.array([1, 2], dtype=np.int64))], "mask/heads")
        split = constant("split", np.array([0, 0, heads, hidden // heads], dtype=np.int64))
        merge = constant("merge", np.array([0, 0, hidden], dtype=np.int64))
        scale = constant("scale", np.float32(1 / np.sqrt(hidden // heads)))

        def by_head(x: str, name: str, order: list[int]) -> str:  # batch x heads x (tokens x size), in `order`
            projected = linear(x, name)
            return op("Transpose", [op("Reshape", [projected, split], f"{name}/split")], f"{name}/heads", perm=order)

        def gelu(x: str) -> str:  # exact, as torch.nn.GELU(): x/2 (1 + erf(x / sqrt 2))
            erf = op("Erf", [op("Div", [x, constant(f"{x}/sqrt 2", np.float32(np.sqrt(2)))], f"{x}/scaled")], f"{x}/erf")
            return op("Mul", [op("Mul", [x, constant(f"{x}/0.5", np.float32(0.5))], f"{x}/half"),
                              op("Add", [erf, "1.0"], f"{x}/erf+1")], f"{x}/gelu")

        layers = config["num_hidden_layers"]
        for number in range(layers):
            layer = f"encoder.layer.{number}"
            query = by_head(x, f"{layer}.attention.self.query", [0, 2, 1, 3])
            key = by_head(x, f"{layer}.attention.self.key", [0, 2, 3, 1])
            value = by_head(x, f"{layer}.attention.self.value", [0, 2, 1, 3])
            scores = op("Mul", [op("MatMul", [query, key], f"{layer}/scores"), scale], f"{layer}/scaled")
            attention = op("Softmax", [op("Add", [scores, mask], f"{layer}/masked")], f"{layer}/attention", axis=-1)
            context = op("Transpose", [op("MatMul", [attention, value], f"{layer}/context")],
                         f"{layer}/context/tokens", perm=[0, 2, 1, 3])
            context = op("Reshape", [context, merge], f"{layer}/context/merged")
            x = layer_norm(op("Add", [linear(context, f"{layer}.attention.output.dense"), x], f"{layer}/attended"),
                           f"{layer}.attention.output.LayerNorm", f"{layer}/attention/output")
            inner = gelu(linear(x, f"{layer}.intermediate.dense"))
            x = layer_norm(op("Add", [linear(inner, f"{layer}.output.dense"), x], f"{layer}/out"),
                           f"{layer}.output.LayerNorm", "tokens" if number == layers - 1 else f"{layer}/output")
        tokens = ["batch", "tokens"]
        graph = helper.make_graph(
            nodes, "bert", [helper.make_tensor_value_info(name, TensorProto.INT64, tokens)
                            for name in ("input_ids", "attention_mask", "token_type_ids")],
            [helper.make_tensor_value_info("tokens", TensorProto.FLOAT, [*tokens, hidden])], initializers)
        # IR version 8 (opset 17): what every onnxruntime since 1.14 reads.
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _plain_bert(model_dir: Path) -> _PlainBert | None:
    """The model in `model_dir` when its files say it is a BERT encoder + mean pooling (+ normalisation) that
    `_PlainBert.graph` computes exactly (float32 safetensors, GELU, absolute positions, no lower-casing by
    sentence-transformers); None for anything else, which is traced instead."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text())
        kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
        transformer = model_dir / modules[0]["path"]
        pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text())
        settings = json.loads((transformer / "sentence_bert_config.json").read_text())
        config = json.loads((transformer / "config.json").read_text())
        weights, tokenizer = transformer / "model.safetensors", transformer / "tokenizer.json"
        with weights.open("rb") as file:  # safetensors: the header's length, then the header
            header = json.loads(file.read(int.from_bytes(file.read(8), "little")))
        import safetensors.numpy  # noqa: F401 - installed with transformers; without it, trace
        modes = {key for key, value in pooling.items() if key.startswith("pooling_mode") and value}
        mean = modes in ({"pooling_mode_mean_tokens"}, {"pooling_mode"}) and pooling.get("pooling_mode", "mean") == "mean"
        plain = (
            kinds[:2] == ["Transformer", "Pooling"] and all(kind == "Normalize" for kind in kinds[2:]) and mean
            and isinstance(settings.get("max_seq_length"), int) and not settings.get("do_lower_case")
            and config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute" and not config.get("is_decoder")
            and config["hidden_size"] % config["num_attention_heads"] == 0 and tokenizer.is_file()
            and all(spec["dtype"] == "F32" for name, spec in header.items() if name.endswith((".weight", ".bias")))
        )
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, ImportError, ZeroDivisionError):
        return None
    return _PlainBert(config, weights, settings["max_seq_length"], tokenizer) if plain else None
