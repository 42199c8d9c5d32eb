"""The query-time encoder: the embedding model exported to ONNX when the index is built, run with
onnxruntime and tokenizers, so that answering a question never imports torch or sentence-transformers.

Export is for models sentence-transformers loads as Transformer -> mean Pooling (-> Normalize), such as
all-MiniLM-L6-v2. Any other model is left to sentence-transformers at query time.
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .embed import SentenceTransformerEmbedder, model_path

if TYPE_CHECKING:
    import numpy as np

TOLERANCE = 1e-5  # the largest difference from sentence-transformers' vectors an export may have


@dataclass(frozen=True)
class EncoderFiles:
    """What the manifest records about an exported encoder; file names are relative to the index directory."""

    model: str
    onnx: str  # the graph
    weights: str  # its weights, kept apart so that onnxruntime maps them instead of parsing them: 3x faster to load
    tokenizer: str
    max_length: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_manifest(cls, manifest: dict, index_dir: Path) -> EncoderFiles | None:
        """The encoder the manifest names, when it is for the manifest's model and its files are there."""
        spec = manifest.get("encoder")
        if not spec or spec.get("model") != manifest.get("model"):
            return None
        try:
            files = cls(**spec)
        except TypeError:  # written by another qa version
            return None
        if not all((index_dir / name).is_file() for name in (files.onnx, files.weights, files.tokenizer)):
            return None
        return files


class OnnxEmbedder:
    """Encodes like the sentence-transformers model it was exported from (mean pooling, unit length)."""

    def __init__(self, index_dir: Path, files: EncoderFiles):
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
        self.session = onnxruntime.InferenceSession(str(index_dir / files.onnx), options,
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


def export_encoder(embedder: SentenceTransformerEmbedder, index_dir: Path) -> EncoderFiles:
    """Export the embedder's model to ONNX in `index_dir`, check it against the model, return its files.

    Raises ExportFailed when the model is not Transformer + mean pooling, or the export does not match
    within TOLERANCE: questions are then encoded by sentence-transformers, slower to start, same vectors.
    """
    import numpy as np
    import onnx
    import onnxruntime
    import torch

    model = embedder._load()
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if (kinds[:2] != ["Transformer", "Pooling"] or modules[1].get_config_dict().get("pooling_mode") != "mean"
            or any(kind != "Normalize" for kind in kinds[2:])):
        raise ExportFailed(f"{embedder.model_id} is {' -> '.join(kinds)}, not Transformer -> mean Pooling")
    transformer = modules[0]
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

    stem = f"encoder-{uuid.uuid4().hex[:12]}"
    raw, optimised = index_dir / f".{stem}.raw.onnx.tmp", index_dir / f".{stem}.optimised.onnx.tmp"
    final, weights, tokenizer = (index_dir / f"{stem}.onnx", index_dir / f"{stem}.weights",
                                 index_dir / f"{stem}.tokenizer.json")
    example = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    bert = transformer.auto_model.eval()
    attention = getattr(bert.config, "_attn_implementation", None)
    # Plain attention traces to MatMul, Softmax and an additive mask, which onnxruntime runs 3% faster than the
    # masking around scaled_dot_product_attention (Where, IsNaN); the same vectors.
    eager = attention not in (None, "eager") and hasattr(bert, "set_attn_implementation")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about shapes; the export is checked below
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
                if eager:  # the model also encodes the check below, and whatever the export fails on
                    bert.set_attn_implementation(attention)
        # Save the graph optimised once, so each question's process only loads it.
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(optimised)
        options.log_severity_level = 3
        onnxruntime.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"])
        onnx.save_model(onnx.load(str(optimised)), str(final), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=weights.name, size_threshold=1024)
        weights.chmod(0o644)  # onnx writes it private; the index's other files are readable by all
        tokenizer.write_bytes(tokenizer_json.read_bytes())
        files = EncoderFiles(embedder.model_id, final.name, weights.name, tokenizer.name, int(model.max_seq_length))
        probe = ["how many SHPOs in Norfolk 2024/25", "who chairs the strategic management board", "x " * 400]
        difference = np.abs(OnnxEmbedder(index_dir, files).encode(probe) - embedder.encode(probe)).max()
        if difference > TOLERANCE:
            raise ExportFailed(f"the ONNX export differs from the model by {difference:.1e}")
        return files
    except Exception as error:
        for path in (final, weights, tokenizer):
            path.unlink(missing_ok=True)
        raise error if isinstance(error, ExportFailed) else ExportFailed(f"{type(error).__name__}: {error}") from error
    finally:
        raw.unlink(missing_ok=True)
        optimised.unlink(missing_ok=True)
