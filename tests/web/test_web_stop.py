"""Stopping 'screener serve' (Ctrl+C) while its first ranking is still being worked out."""

import threading
from types import SimpleNamespace

from screener.project import Project


def test_stopping_the_server_does_not_wait_for_the_ranking_in_progress(tmp_path, toy_review, monkeypatch):
    """Ctrl+C took 15-30 s while the first ranking ran: each worker waited up to 30 s for the fit to end. It now
    waits about a second, says so, and leaves the project open under the write in progress (closing it would let
    go of the file's locks), so nothing is half-written; a review whose ranking has ended is closed as before."""
    from screener.cli import web_cmds
    from screener.web.engine import WebScreener

    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)], column_map={"label": None})
    project = Project.open(tmp_path / "r")
    started, release = threading.Event(), threading.Event()
    eng = WebScreener(project)

    def a_long_fit():
        started.set()
        release.wait(60)

    eng._refresh = a_long_fit
    closed = []
    served = SimpleNamespace(extensions={"screener": eng},
                             config={"SCREENER_PROJECT": SimpleNamespace(close=lambda: closed.append(True))})
    monkeypatch.setattr(web_cmds, "_running", [served])
    monkeypatch.setattr(web_cmds, "STOP_WAIT_SECONDS", 0.05)
    try:
        eng.start()
        assert started.wait(30)
        web_cmds._let_go_of_the_reviews()
        assert not release.is_set() and eng._worker.is_alive() and closed == []  # did not wait for the fit
    finally:
        release.set()
        eng._worker.join(30)
    web_cmds._let_go_of_the_reviews()  # the ranking has ended: closed as before
    assert closed == [True]
    project.close()
