"""Fixtures for the web tests: a small labelled review in single and in dual mode."""

from __future__ import annotations

import pytest
from webtestdata import build_project


@pytest.fixture
def review(tmp_path):
    return build_project(tmp_path / "review")


@pytest.fixture
def dual_review(tmp_path):
    return build_project(tmp_path / "dual", mode="dual")
