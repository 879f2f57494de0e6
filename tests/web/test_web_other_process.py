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


def test_a_merge_and_a_split_in_a_terminal_between_two_pages_reach_the_queue(tmp_path, opened):
    """'screener dedup' in a terminal while the page sat open: two records merged as one study, and
    a record taken out of a wrong duplicate group, between two requests. The counts of records and
    studies were as before, so the app took the review for unchanged: the record taken out was in
    no queue (the page said every record was screened while 'screener status' said 1 left) and the
    copy merged away was still handed out as a study of its own."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "review", n=20, xss=False)
    ids = sorted(truth)
    with Project.open(directory) as p:  # a wrong group made before the server started
        p.decide_duplicates(ids[0], ids[1], "merge")
        wrong = int(ids[1] if int(p._primary_of().get(ids[1], ids[1])) == ids[0] else ids[0])
    app = opened(directory)
    eng = app.extensions["screener"]
    c, token = login(app, "ana")
    assert c.get("/api/next").get_json()["counts"]["total"] == 19
    with Project.open(directory) as p:  # 'screener dedup --merge A,B --split C' in a terminal
        p.decide_duplicates(ids[5], ids[6], "merge")
        gone = int(ids[6] if int(p._primary_of().get(ids[6], ids[6])) == ids[5] else ids[5])
        p.split_duplicates([wrong], reviewer="ana")
        assert p.store.n_primary_records() == 19  # as many studies as before
    shown = []
    for _ in range(40):
        nx = c.get("/api/next").get_json()
        assert eng.wait_idle(60)
        if nx["record"] is None:
            break
        rid = nx["record"]["record_id"]
        shown.append(rid)
        r = c.post("/api/decide", json={"record_id": rid, "decision": "exclude", "expect": "undecided"},
                   headers={"X-CSRF-Token": token})
        assert r.status_code == 200, r.get_data(as_text=True)
    assert wrong in shown and gone not in shown
    with Project.open(directory) as p:
        from screener.status import screening_counts

        assert screening_counts(p).left == 0
    assert c.get("/api/status").get_json()["counts"]["left"] == 0


def test_the_dashboard_counts_decisions_made_by_another_process_just_before_it_is_loaded(review, opened):
    """'screener label' in a terminal, then the Dashboard opened within a second of the screening
    page's last request: its Progress read '0 of 60 records screened' (the counts read a second
    before, reused) while its recall estimate, read afresh, counted the 3 decisions."""
    import re

    directory, truth = review
    app = opened(directory)
    c, _ = login(app, "ana")
    assert c.get("/api/status").get_json()["counts"]["screened"] == 0  # the screening page's poll
    with Project.open(directory) as other:
        for rid in sorted(truth)[:3]:
            other.decide(rid, "exclude", reviewer="bob", origin="cli")
    html = c.get("/dashboard").get_data(as_text=True)
    assert re.search(r"<strong>(\d+)</strong> of 60 records screened", html).group(1) == "3"


def test_a_project_file_replaced_while_served_is_neither_shown_nor_written_to(review, opened):
    """A backup put in place of screener.sqlite (a copy moved over it) while 'screener serve' ran:
    the server went on reading the file it had opened, so the pages showed the review as it was
    before (the decisions the backup lacks), and a decision sent went into the old file, where
    nobody reads it. Every page and request now says the file was replaced and to start the server
    again, and nothing is written."""
    import os
    import sqlite3

    directory = review[0]
    db = directory / "screener.sqlite"
    backup = directory.parent / "backup.sqlite"
    with sqlite3.connect(db) as src, sqlite3.connect(backup) as dst:  # the backup: no decision yet
        src.backup(dst)
    app = opened(directory)
    c, token = login(app, "ana")
    rid = c.get("/api/next").get_json()["record"]["record_id"]
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.get_data(as_text=True)

    os.replace(backup, db)  # the backup put back while the server runs
    status = c.get("/api/status")
    assert status.status_code == 409
    assert "was replaced" in status.get_json()["error"] and "start it again" in status.get_json()["error"]
    page = c.get("/records")
    assert page.status_code == 409 and "screener serve" in page.get_data(as_text=True)
    # the page saying so is laid out as every other: its stylesheet is still served (it was refused too)
    assert "/static/style.css" in page.get_data(as_text=True) and c.get("/static/style.css").status_code == 200
    other = next(i for i in range(1, 61) if i != rid)
    r = c.post("/api/decide", json={"record_id": other, "decision": "exclude"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and "Nothing of this was saved" in r.get_json()["error"]
    # the file now in place is the backup, as it was: no decision went into it (nor into the old one)
    ro = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    try:
        assert ro.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    finally:
        ro.close()


def test_a_replaced_project_file_is_not_named_to_a_visitor_without_the_access_token(review, opened):
    """Served to the network ('--host 0.0.0.0'), a request without the access token (anyone on the
    network, or another site's name pointing at the server) was told, before the token was asked for,
    where the review lies on the reviewer's computer (the project file's full path) and that it was put
    back from a backup. Such a visitor now gets only what it got before: the token is needed."""
    import os
    import sqlite3

    directory = review[0]
    db = directory / "screener.sqlite"
    backup = directory.parent / "backup.sqlite"
    with sqlite3.connect(db) as src, sqlite3.connect(backup) as dst:
        src.backup(dst)
    app = opened(directory, host="0.0.0.0", access_token="s3cret-token")
    os.replace(backup, db)  # the backup put back while the server runs
    stranger = app.test_client()
    for path in ("/", "/api/status"):
        r = stranger.get(path)
        assert r.status_code == 403, r.get_data(as_text=True)
        assert str(db) not in r.get_data(as_text=True) and "replaced" not in r.get_data(as_text=True)
    # with the token, the team is told the file was replaced and to start the server again
    team = app.test_client()
    r = team.get("/?token=s3cret-token", follow_redirects=True)
    assert r.status_code == 409 and "start it again" in r.get_data(as_text=True)


def test_no_page_is_refused_as_replaced_when_nothing_replaced_the_project_file(tmp_path, review, opened):
    """What SQLite does to the file in place (a checkpoint emptying the log into it, VACUUM run from
    another program) and a project folder opened through a link are no replaced file: every page opens."""
    import sqlite3

    directory = review[0]
    link = tmp_path / "review-link"
    link.symlink_to(directory, target_is_directory=True)
    app = opened(link)
    c, token = login(app, "ana")
    rid = c.get("/api/next").get_json()["record"]["record_id"]
    other = sqlite3.connect(directory / "screener.sqlite", isolation_level=None)
    try:
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        other.execute("VACUUM")
    finally:
        other.close()
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert c.get("/api/status").status_code == 200 and c.get("/records").status_code == 200


def test_a_project_folder_renamed_while_served_is_not_said_to_be_put_back_from_a_backup(tmp_path, review, opened):
    """The project folder renamed in a file manager while 'screener serve' ran: every page said the project
    file 'was replaced (put back from a backup, or a copy put in its place)' and to start the server again,
    which then found no review in that folder. It now says the file is no longer there (the folder renamed
    or moved?) and to start the server on the folder where the review is now."""
    directory = review[0]
    app = opened(directory)
    c, token = login(app, "ana")
    rid = c.get("/api/next").get_json()["record"]["record_id"]
    directory.rename(tmp_path / "review-2026")
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include"}, headers={"X-CSRF-Token": token})
    words = " ".join(r.get_json()["error"].split())
    assert r.status_code == 409 and "Nothing of this was saved" in words
    assert f"no longer at {directory / 'screener.sqlite'}" in words and "renamed or moved?" in words
    assert "put back from a backup" not in words and "on the folder where the review is now" in words


def test_another_project_copied_over_the_served_file_in_place_is_neither_shown_nor_written_to(review, opened):
    """'cp' of another review's screener.sqlite over the one 'screener serve' served: cp writes into the
    file, which stays the same file on the disk, so the server did not notice; it went on showing the
    review from memory and saved the next decision into the other review's file. Every page and request
    now says the file was replaced and to start the server again, and nothing is written."""
    import shutil
    import sqlite3

    directory = review[0]
    db = directory / "screener.sqlite"
    Project.init(directory.parent / "other").close()
    app = opened(directory)
    c, token = login(app, "ana")
    rid = c.get("/api/next").get_json()["record"]["record_id"]
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.get_data(as_text=True)

    shutil.copyfile(directory.parent / "other" / "screener.sqlite", db)  # cp other/screener.sqlite over it
    status = c.get("/api/status")
    assert status.status_code == 409
    said = " ".join(status.get_json()["error"].split())
    assert "Another project file was copied over" in said and f"copy that file over {db} again" in said
    other = next(i for i in range(1, 61) if i != rid)
    r = c.post("/api/decide", json={"record_id": other, "decision": "exclude"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and "Nothing of this was saved" in r.get_json()["error"]
    ro = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    try:
        assert ro.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    finally:
        ro.close()


def test_an_earlier_copy_of_the_review_copied_over_the_served_file_is_said_and_not_written_to(review, opened):
    """A backup of the same review (or the file of a copy of the folder made earlier) copied over the file
    'screener serve' served: it carries the review's own number, so the server took it for the review, went
    on from the older state and the decisions made since the backup were gone without a word. Every page
    now says an earlier copy of the review was copied over it, and nothing is written into it."""
    import shutil
    import sqlite3

    directory = review[0]
    db = directory / "screener.sqlite"
    app = opened(directory)
    c, token = login(app, "ana")

    def decide(decision):
        rid = c.get("/api/next").get_json()["record"]["record_id"]
        return rid, c.post("/api/decide", json={"record_id": rid, "decision": decision},
                           headers={"X-CSRF-Token": token})

    first, r = decide("include")
    assert r.status_code == 200, r.get_data(as_text=True)
    shutil.copyfile(db, directory.parent / "backup.sqlite")
    assert decide("exclude")[1].status_code == 200
    assert c.get("/api/status").status_code == 200

    shutil.copyfile(directory.parent / "backup.sqlite", db)  # cp backup.sqlite review/screener.sqlite
    page = c.get("/")
    said = " ".join(page.get_data(as_text=True).split())
    assert page.status_code == 409 and "An earlier copy of the review" in said, said
    assert "made since that copy are not in it" in said
    status = c.get("/api/status")
    assert status.status_code == 409 and "An earlier copy of the review" in status.get_json()["error"]
    r = c.post("/api/decide", json={"record_id": 7, "decision": "exclude"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and "Nothing of this was saved" in r.get_json()["error"]
    ro = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    try:
        assert ro.execute("SELECT record_id FROM decisions").fetchall() == [(first,)]
    finally:
        ro.close()


def test_a_ranking_refused_in_words_is_said_in_words_in_the_servers_terminal(review, opened, monkeypatch, caplog):
    """The ranking's save refused with a message for the reviewer (a copy put over the project file, the
    disk full, the project busy): the terminal running 'screener serve' got a traceback under 'ranking
    failed'. It now gets the message, as the pages do."""
    import logging

    from screener.errors import ProjectError

    app = opened(review[0])
    eng = app.extensions["screener"]

    def refused():
        raise ProjectError("screener.sqlite: the project file was moved or replaced while this command had it open")

    monkeypatch.setattr(eng, "_refresh", refused)
    with caplog.at_level(logging.ERROR, logger="screener.web.engine"):
        eng.request_rerank()
        for _ in range(200):
            if eng.error:
                break
            time.sleep(0.05)
    failed = [r for r in caplog.records if "ranking failed" in r.getMessage()]
    assert failed and all(r.exc_info is None for r in failed)
    assert "moved or replaced while this command had it open" in failed[-1].getMessage()
