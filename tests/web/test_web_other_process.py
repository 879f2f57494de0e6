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


def test_the_records_pages_show_decisions_made_by_another_process(review, opened):
    """'screener label' in a terminal decides two records while the app serves: the Records list
    still showed them unscreened (20 records under 'unscreened', none under 'include') and the
    record's page said 'not screened', until a screening page happened to read the log."""
    import re

    directory, truth = review
    app = opened(directory)
    c, _ = login(app, "ana")
    with Project.open(directory) as other:
        other.decide(5, "include", reviewer="bob", origin="cli")
        other.decide(6, "exclude", reviewer="bob", origin="cli")

    def found(query):
        html = c.get(f"/records?{query}").get_data(as_text=True)
        return re.search(r'id="n-found">(\d+) record', html).group(1)

    assert found("decision=include") == "1" and found("decision=exclude") == "1"
    assert found("decision=unscreened") == str(len(truth) - 2)
    page = c.get("/records/5").get_data(as_text=True)
    assert '<span id="current-decision">include</span>' in page
