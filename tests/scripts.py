"""Loading the repository's scripts (benchmarks/, the demo's generator) as modules in tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_script(path: Path, name: str):
    """The script at ``path`` run as module ``name``, registered in ``sys.modules`` (dataclasses and
    process pools look their module up there)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod
