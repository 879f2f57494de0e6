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


_EXIT_MID_WRITE = """
import sys, threading
import pandas as pd
from screener.cli import web_cmds
from screener.project import Project

project = Project.open(sys.argv[1])
store = project.store
written, hold = threading.Event(), threading.Event()


class _Held:
    '''The ranking thread's connection: the ranking's first row written, its items never come.'''

    def __init__(self, conn):
        self._real = conn

    def __getattr__(self, name):
        return getattr(self._real, name)

    def executemany(self, *args):
        written.set()
        hold.wait()


def a_ranking():
    store._local.conn = _Held(store._conn)
    items = pd.DataFrame({"record_id": [1, 2], "score": [0.5, 0.4], "sampled": [True, False]})
    store.save_ranking({"ranker": "default", "phase": "model"}, items, n_labelled=2)


threading.Thread(target=a_ranking, daemon=True).start()
assert written.wait(60)
sys.exit(0)  # as a stopping server's worker does with its ranking still being written (project left open)
"""


def test_a_server_that_stops_while_its_ranking_is_written_leaves_no_half_written_ranking(tmp_path, toy_review):
    """The process ends while its ranking thread is in the middle of writing a ranking (the project left open, as
    ``_let_go_of_the_reviews`` leaves it): the project file holds none of that ranking, and the decisions made."""
    import sqlite3
    import subprocess
    import sys

    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)], column_map={"label": None})
        p.decide(1, "include")
        p.decide(2, "exclude")
    done = subprocess.run([sys.executable, "-c", _EXIT_MID_WRITE, str(tmp_path / "r")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Project.open(tmp_path / "r") as p:
        assert p.store.latest_ranking_id() is None
        assert p.current_decisions()["decision"].to_dict() == {1: "include", 2: "exclude"}
        path = p.store.path
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM ranking_items").fetchone()[0] == 0


def test_a_stopping_server_leaves_its_objects_to_the_end_of_the_process(tmp_path, toy_review, monkeypatch):
    """'serve' took about 3 s to exit after its stop step: each process, its reviews let go of, then swept every
    object for reference cycles as Python took its modules apart. Worker and server now freeze them on the way
    out; a worker's exit seen from the server (one that died, the server going on) freezes nothing there."""
    import gc
    import os

    from gunicorn.app.base import BaseApplication

    from screener.cli import web_cmds

    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)], column_map={"label": None})
    hooks = {}

    def run(self):  # the hooks it would serve with, not a server
        hooks.update(worker_exit=self.cfg.worker_exit, on_exit=self.cfg.on_exit)

    monkeypatch.setattr(BaseApplication, "run", run)
    monkeypatch.setattr(web_cmds, "_running", [])
    web_cmds.run_server(tmp_path / "r", port=0, announce=lambda *a: None)
    gc.unfreeze()
    try:
        hooks["worker_exit"](None, SimpleNamespace(pid=os.getpid() + 1))  # the server, a worker of it gone
        assert gc.get_freeze_count() == 0
        hooks["worker_exit"](None, SimpleNamespace(pid=os.getpid()))  # the worker itself, on its way out
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        hooks["on_exit"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
