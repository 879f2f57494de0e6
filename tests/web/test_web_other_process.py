"""SQLite store, one server process: decisions written meanwhile by another process (``screener
label`` in a terminal) reach the web app's counts, its next record and its ``expect`` check."""

from __future__ import annotations

import time

from webtestdata import login

from screener.project import Project


def test_decisions_by_another_process_reach_the_sqlite_web_app(review, opened):
    directory = review[0]
    app = opened(directory)
    c, token = login(app, "ana")
    first = c.get("/api/next").get_json()
    rid = first["record"]["record_id"]
    before = first["counts"]

    other = Project.open(directory)  # the other process: 'screener label' while the app serves
    try:
        other.decide(rid, "include", reviewer="bob", origin="cli")
    finally:
        other.close()
    time.sleep(1.1)  # past the counts' one-second reuse

    nx = c.get("/api/next").get_json()
    assert nx["counts"]["screened"] == before["screened"] + 1
    assert nx["counts"]["included"] == before["included"] + 1
    assert nx["record"] is None or nx["record"]["record_id"] != rid
    assert c.get("/api/status").get_json()["counts"]["screened"] == before["screened"] + 1

    r = c.post("/api/decide", json={"record_id": rid, "decision": "exclude", "expect": "undecided"},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 409, r.get_data(as_text=True)
    with Project.open(directory) as p:
        assert p.current_decisions()["decision"].get(rid) == "include"
