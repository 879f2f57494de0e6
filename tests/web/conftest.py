"""Fixtures for the web tests: a small labelled review in single and in dual mode."""

from __future__ import annotations

import pytest
from webtestdata import build_project

from screener.project import Project
from screener.web.app import create_app


@pytest.fixture
def review(tmp_path):
    return build_project(tmp_path / "review")


@pytest.fixture
def dual_review(tmp_path):
    return build_project(tmp_path / "dual", mode="dual")


@pytest.fixture
def opened():
    made = []

    def _open(directory, **kw):
        project = Project.open(directory)
        app = create_app(project, **kw)
        eng = app.extensions["screener"]
        assert eng.wait_ready(120), eng.error
        made.append((eng, project))
        return app

    yield _open
    for eng, project in made:
        eng.stop()
        project.close()
