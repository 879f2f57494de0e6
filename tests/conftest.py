"""Shared test fixtures.

``shared_dir`` is ``../shared`` beside the repository (datasets, real database exports). Tests
that need it are skipped, with the reason, on a checkout that lacks it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "datasets").is_dir() or not (SHARED / "fixtures").is_dir():
        pytest.skip(f"needs the shared data folder at {SHARED} (datasets/ and fixtures/); it is absent here")
    return SHARED
