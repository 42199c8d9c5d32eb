"""One real index of the seed reports per test session, built with the real model in a temporary directory."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import qa

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("index")
    qa.build_index([SEEDS], directory)
    return directory


@pytest.fixture(scope="session")
def index(index_dir) -> qa.Index:
    return qa.open_index(index_dir)


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def load_eval_script(name: str):
    """eval/<name>.py as a module: eval/ is a folder of scripts, not a package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
