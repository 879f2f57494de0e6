"""The web app through Flask's test client: every route, the log, undo, CSRF, escaping, blinding,
conflicts, kappa and the access token."""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from html import unescape

import pandas as pd
import pytest
from cli_steps import exclude_the_rest_unread
from webtestdata import XSS_TITLE, build_project, decide, login, page_text, shown_id

from screener.project import EXPORT_SETS, Project
from screener.web.agreement import cohen_kappa
from screener.web.app import create_app


@contextmanager
def _saved_meanwhile(app, monkeypatch, request):
    """Within it, the first save waits for its turn at the log while ``request()`` (a teammate's request, sent at the
    same moment) is saved: yields a list that then holds what ``request`` gave."""
    store = app.config["SCREENER_PROJECT"].store
    transaction = store.transaction
    done = []

    def waits_its_turn():
        if not done:
            done.append(None)
            done[0] = request()
        return transaction()

    monkeypatch.setattr(store, "transaction", waits_its_turn)
    try:
        yield done
    finally:
        monkeypatch.setattr(store, "transaction", transaction)


def _record_5_in_conflict(dual_review, opened):
    """Ann includes record 5 and Bob excludes it, the owner Olga signed in too: (the project's folder, the app,
    then each one's client and form token: ann, ta, bob, tb, olga, to)."""
    directory, _ = dual_review
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    olga, to = login(app, "Olga", "owner")
    decide(ann, ta, 5, "include")
    decide(bob, tb, 5, "exclude")
    return directory, app, ann, ta, bob, tb, olga, to


def log_of(directory):
    with Project.open(directory) as p:
        return p.decision_log()


# -- reviewer name -----------------------------------------------------------------------------
def test_asks_for_the_reviewer_name_once(review, opened):
    app = opened(review[0])
    c = app.test_client()
    r = c.get("/screen")
    assert r.status_code == 302 and "/reviewer" in r.headers["Location"]  # one reviewer here: no account needed
    page = c.get("/reviewer?next=/dashboard").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert c.post("/reviewer", data={"name": "Ann", "next": "/dashboard"}).status_code == 400  # no CSRF token
    r = c.post("/reviewer", data={"name": "Ann", "next": "/dashboard", "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith("/dashboard")
    cookies = [h.split("=", 1)[0] for h in r.headers.getlist("Set-Cookie")]
    # the name lives in the signed session, not a cookie of its own
    assert cookies == [app.config["SESSION_COOKIE_NAME"]]
    assert "Screening as <strong id=\"reviewer-name\">Ann</strong>" in c.get("/screen").get_data(as_text=True)
    r = c.post("/reviewer", data={"name": "Bob", "next": "https://evil.example/", "csrf_token": token})
    assert r.headers["Location"] == "/screen"  # never redirected off-site
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/reviewer").get_data(as_text=True)).group(1)
    r = c.post("/reviewer", data={"name": "  ", "csrf_token": token})
    assert r.status_code == 400 and "cannot be used" in r.get_data(as_text=True)  # asks again
    assert c.get("/api/next").status_code == 200
    assert app.test_client().get("/api/next").status_code == 401


def test_a_tab_left_open_under_the_old_name_cannot_save_under_the_new_one(review, opened):
    """One computer, no accounts: Ann screens in one tab; in another tab the name is changed to
    Bob. Ann's next keypress in her tab (still saying 'Screening as Ann') was saved as Bob's."""
    directory, _ = review
    app = opened(directory)
    c, ann_token = login(app, "Ann")
    rid = shown_id(c)
    page = c.get("/reviewer").get_data(as_text=True)
    same = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert c.post("/reviewer", data={"name": "Ann", "csrf_token": same}).status_code == 302
    assert same == ann_token  # the same name again: open tabs go on working
    assert c.post("/reviewer", data={"name": "Bob", "csrf_token": ann_token}).status_code == 302
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include", "expect": "undecided"},
               headers={"X-CSRF-Token": ann_token})
    assert r.status_code == 400 and "Reload the page" in r.get_json()["error"]
    assert log_of(directory).empty
    bob_token = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/screen").get_data(as_text=True)).group(1)
    decide(c, bob_token, rid, "exclude")
    assert list(log_of(directory)["reviewer"]) == ["Bob"]


# -- screening ---------------------------------------------------------------------------------
def test_screen_page_shows_a_record_escaped_with_keys_documented(review, opened):
    app = opened(review[0])
    c, _ = login(app, "Ann")
    html = c.get("/screen").get_data(as_text=True)
    # the protocol puts the peer-support record with markup in its text first
    assert 'data-record-id="1"' in html
    assert "<script>window.__xss" not in html and "<marquee>bold claim</marquee>" not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert "<mark>" in html  # key terms highlighted on the escaped text
    for key, what in (("i", "Include"), ("e", "Exclude"), ("m", "Maybe"), ("u", "Undo"), ("n", "note")):
        assert re.search(rf"<kbd>{key}</kbd></td><td>[^<]*{what}", html, re.I), key
    assert "https://doi.org/10.1234/test.1" in html
    assert "screen.js" in html
    resp = c.get("/screen")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_a_record_whose_only_abstract_is_its_other_title_says_it_has_no_abstract(tmp_path, opened):
    """A MEDLINE record with no abstract but its title in the paper's own language (TT), which import keeps as
    'Other title: ...' where the abstract goes: the screening page and the record's page showed that line alone, read
    as its abstract, where a record with none says 'No abstract.'. They show the other title, then 'No abstract.'."""
    nbib = tmp_path / "records.nbib"
    nbib.write_text("PMID- 123\nTI  - Peer navigation for HIV care\nTT  - Peer-Navigation in der HIV-Versorgung\n"
                    "AU  - Smith J\nDP  - 2020\n", encoding="utf-8")
    with Project.init(tmp_path / "review", settings={"embedding_model": "none"}) as p:
        p.import_files([nbib], dedup=False)
    app = opened(tmp_path / "review")
    c, _ = login(app, "Ann")
    rec = c.get("/api/next").get_json()["record"]
    said = 'Other title: Peer-Navigation in der HIV-Versorgung\n<span class="muted">No abstract.</span>'
    assert rec["abstract_html"] == said, rec
    assert said in c.get("/screen").get_data(as_text=True)
    assert said in c.get(f"/records/{rec['record_id']}").get_data(as_text=True)


def test_a_conflict_on_a_record_whose_only_abstract_is_its_other_title_says_it_has_no_abstract(tmp_path,
                                                                                               dual_review, opened):
    """The Conflicts page showed a record's 'Other title: ...' line (MEDLINE's TT, kept where the abstract goes) as
    its abstract, where a record with none says 'No abstract.': it says that under the other title too."""
    nbib = tmp_path / "records.nbib"
    nbib.write_text("PMID- 123\nTI  - Peer navigation for HIV care\nTT  - Peer-Navigation in der HIV-Versorgung\n"
                    "AU  - Smith J\nDP  - 2020\n", encoding="utf-8")
    directory, _ = dual_review
    with Project.open(directory) as p:
        p.import_files([nbib], dedup=False)
        rid = int(p.records_frame().index.max())
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    olga, to = login(app, "Olga", "owner")
    decide(ann, ta, rid, "include")
    decide(bob, tb, rid, "exclude")
    assert olga.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    html = olga.get("/conflicts").get_data(as_text=True)
    assert '<p>Other title: Peer-Navigation in der HIV-Versorgung<br><span class="muted">No abstract.</span></p>' \
        in html, html


def test_api_next_returns_escaped_json(review, opened):
    app = opened(review[0])
    c, _ = login(app, "Ann")
    data = c.get("/api/next").get_json()
    rec = data["record"]
    assert rec["record_id"] == 1
    assert "<marquee>" not in rec["title_html"] and "&lt;marquee&gt;" in rec["title_html"]
    assert "<script>" not in rec["abstract_html"]
    assert data["counts"] == {"screened": 0, "included": 0, "excluded": 0, "maybe": 0, "left": 60, "total": 60,
                              "excluded_unscreened": 0}
    assert "protocol" in rec["reason"]  # why this record: the protocol's terms it matches
    assert "peer support" in rec["terms"]
    assert data["status"]["ready"] is True


def test_decision_is_saved_before_the_next_record(review, opened):
    directory, truth = review
    app = opened(directory)
    c, token = login(app, "Ann")
    first = shown_id(c)
    data = decide(c, token, first, "include", note="clear peer work study")
    assert data["saved"] == {"record_id": first, "decision": "include"}
    assert data["record"]["record_id"] != first
    assert data["counts"]["screened"] == 1 and data["counts"]["included"] == 1
    log = log_of(directory)
    row = log.iloc[-1]
    assert (row.record_id, row.decision, row.reviewer, row.origin, row.note) == (
        first, "include", "Ann", "web", "clear peer work study")
    second = data["record"]["record_id"]
    data = decide(c, token, second, "exclude")
    assert data["counts"]["screened"] == 2 and data["counts"]["excluded"] == 1
    assert second not in {data["record"]["record_id"]}
    assert list(log_of(directory)["decision"]) == ["include", "exclude"]


def test_a_second_tab_does_not_overwrite_a_decision_made_in_the_first(review, opened):
    """Two tabs show the same undecided record; the decision sent from the second, if it differs,
    is refused with the next record, and the first stands. The same decision again (a resent
    request) is no conflict, and a page that does not say what it showed (an API client) still
    decides as before."""
    directory, _ = review
    app = opened(directory)
    c, token = login(app, "Ann")
    h = {"X-CSRF-Token": token}
    rid = shown_id(c)
    first = c.post("/api/decide", json={"record_id": rid, "decision": "include", "expect": "undecided"}, headers=h)
    assert first.status_code == 200
    late = c.post("/api/decide", json={"record_id": rid, "decision": "exclude", "expect": "undecided"}, headers=h)
    assert late.status_code == 409
    body = late.get_json()
    assert f"Record {rid} was already marked include" in body["error"] and "Records" in body["error"]
    assert body["record"]["record_id"] != rid and body["counts"]["included"] == 1  # the next record comes along
    again = c.post("/api/decide", json={"record_id": rid, "decision": "include", "expect": "undecided"}, headers=h)
    assert again.status_code == 200
    assert c.post("/api/decide", json={"record_id": rid, "decision": "maybe", "expect": "shown"},
                  headers=h).status_code == 400
    log = log_of(directory)
    assert list(log[log.record_id == rid]["decision"]) == ["include", "include"]
    assert c.post("/api/decide", json={"record_id": rid, "decision": "exclude"}, headers=h).status_code == 200
    assert log_of(directory).iloc[-1].decision == "exclude"  # a deliberate change, as the API allows


def test_bad_decisions_are_refused(review, opened):
    app = opened(review[0])
    c, token = login(app, "Ann")
    h = {"X-CSRF-Token": token}
    assert c.post("/api/decide", json={"record_id": 1, "decision": "keep"}, headers=h).status_code == 400
    assert c.post("/api/decide", json={"decision": "include"}, headers=h).status_code == 400
    assert c.post("/api/decide", json={"record_id": 9999, "decision": "include"}, headers=h).status_code == 404
    assert log_of(review[0]).empty


def test_csrf_token_is_required_for_every_change(review, opened):
    app = opened(review[0])
    c, token = login(app, "Ann")
    assert c.post("/api/decide", json={"record_id": 1, "decision": "include"}).status_code == 400
    r = c.post("/api/decide", json={"record_id": 1, "decision": "include"}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 400 and "expired" in r.get_json()["error"]
    assert c.post("/api/undo").status_code == 400
    assert c.post("/records/1/decision", data={"decision": "include"}).status_code == 400
    other, _ = login(app, "Eve")  # another browser's token does not work here
    assert other.post("/api/decide", json={"record_id": 1, "decision": "include"},
                      headers={"X-CSRF-Token": token}).status_code == 400
    assert log_of(review[0]).empty


def test_undo_retracts_and_shows_the_record_again(review, opened):
    directory, _ = review
    app = opened(directory)
    c, token = login(app, "Ann")
    a = shown_id(c)
    b = decide(c, token, a, "include")["record"]["record_id"]
    decide(c, token, b, "exclude")
    r = c.post("/api/undo", headers={"X-CSRF-Token": token}).get_json()
    assert r["undone"] == b and r["record"]["record_id"] == b
    assert r["counts"]["screened"] == 1
    log = log_of(directory)
    assert list(log["decision"]) == ["include", "exclude", "retract"]
    with Project.open(directory) as p:
        assert list(p.current_decisions().index) == [a]
    r = c.post("/api/undo", headers={"X-CSRF-Token": token}).get_json()
    assert r["undone"] == a and r["record"]["record_id"] == a
    r = c.post("/api/undo", headers={"X-CSRF-Token": token}).get_json()
    assert r["undone"] is None and "Nothing to undo" in r["message"]


def test_undo_of_a_sampled_decision_puts_the_record_back_into_the_sample(review, opened):
    """A withdrawn decision on a record drawn into the random sample leaves a drawn record
    unscreened: it is pending in the sample again (the stop waits for it), and its next decision
    is the sample's."""
    directory, _ = review
    app = opened(directory)
    c, token = login(app, "Ann")
    a = shown_id(c)
    with Project.open(directory) as p:
        p.remember_sample({a: 0.5}, drawn_at=0)
    decide(c, token, a, "include")
    with Project.open(directory) as p:
        assert p.store.get_setting("pending_sample") == {}
    assert c.post("/api/undo", headers={"X-CSRF-Token": token}).get_json()["undone"] == a
    with Project.open(directory) as p:
        assert p.store.get_setting("pending_sample") == {str(a): [0.5, 0]}
    decide(c, token, a, "exclude")
    log = log_of(directory)
    assert log["sampled"].astype(bool).tolist() == [True, False, True]


def test_ranking_changes_after_retraining(tmp_path, opened):
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "plain", protocol=False)  # no protocol: random order first
    app = opened(directory)
    eng = app.extensions["screener"]
    c, token = login(app, "Ann")
    assert eng.status()["phase"] == "random"
    before = list(eng.rank.order)
    gen = eng.status()["generation"]
    includes = [r for r, t in truth.items() if t][:3]
    excludes = [r for r, t in truth.items() if not t][:3]
    for rid in includes + excludes:
        decide(c, token, rid, "include" if truth[rid] else "exclude")
    assert eng.wait_idle(60)
    st = c.get("/api/status").get_json()
    assert st["generation"] > gen and st["phase"] == "model" and st["retrains"] >= 1
    after = list(eng.rank.order)
    assert after != [r for r in before if r in set(after)]  # not merely the old order minus the screened
    # records the random order put above the ones decided here come first (the stop waits for
    # them), then the model's order
    from screener.screening import skipped_records

    held = skipped_records(eng.project)
    assert held and set(after[:len(held)]) == held
    model = [r for r in after if r not in held]
    assert sum(truth[r] for r in model[:10]) >= 8  # the model now puts the include vocabulary first
    assert sum(truth[r] for r in before[:10]) <= 5
    assert shown_id(c) == after[0]  # and the screening page follows the new ranking


def test_reviewer_never_waits_for_a_retrain_and_sees_no_record_twice(review, opened):
    import threading

    directory, truth = review
    app = opened(directory)
    eng = app.extensions["screener"]
    c, token = login(app, "Ann")
    gate, computed = threading.Event(), threading.Event()
    real = eng.session.ranking
    held = []

    def held_ranking(*args, **kwargs):  # the real ranking, held back before it is swapped in
        out = real(*args, **kwargs)
        held.append(out)
        computed.set()
        assert gate.wait(60)
        return out

    eng.session.ranking = held_ranking
    try:
        first = shown_id(c)
        decide(c, token, first, "include" if truth[first] else "exclude")
        assert computed.wait(60) and eng.status()["retraining"]
        seen = [first]
        for _ in range(5):  # the reviewer carries on while the new ranking is still held back
            rid = shown_id(c)
            assert rid not in seen
            seen.append(rid)
            decide(c, token, rid, "include" if truth[rid] else "exclude")
    finally:
        gate.set()
        eng.session.ranking = real
    assert eng.wait_idle(60)
    # the held ranking (made before the last five decisions) was swapped in, then a fresh one
    assert eng.status()["generation"] >= 3
    assert set(seen[1:]) <= set(held[0]["record_id"])  # it still listed the records decided meanwhile
    assert not set(seen) & set(eng._upcoming("Ann", 60))
    assert shown_id(c) not in seen
    assert list(log_of(directory)["record_id"]) == seen


# -- records list ------------------------------------------------------------------------------
def test_records_left_on_a_teammates_screen_are_not_said_to_be_done(tmp_path, opened):
    """Single screening, two people: the last record is on Bob's screen. Ann's page said 'Nothing
    left to screen. Every record has a decision.' (and stopped asking) though one record had none.
    It says the records left are on teammates' screens and keeps asking; once Bob decides it, done."""
    directory, _ = build_project(tmp_path / "review", n=20, xss=False)
    app = opened(directory)
    bob, token_b = login(app, "Bob")
    bobs = shown_id(bob)
    ann, token_a = login(app, "Ann")
    for _ in range(19):
        data = ann.get("/api/next").get_json()
        decide(ann, token_a, data["record"]["record_id"], "exclude")
    data = ann.get("/api/next").get_json()
    assert data["record"] is None and data["counts"]["left"] == 1
    assert data["done"] is False and data["waiting"] is True
    page = ann.get("/screen").get_data(as_text=True)
    assert re.search(r'id="state-done"\s+hidden', page) and re.search(r'id="state-waiting"\s*>', page)
    decide(bob, token_b, bobs, "include")
    data = ann.get("/api/next").get_json()
    assert data["done"] is True and data["waiting"] is False


def test_records_list_search_filters_and_change(review, opened):
    directory, truth = review
    app = opened(directory)
    c, token = login(app, "Ann")
    html = c.get("/records").get_data(as_text=True)
    assert "60 records" in html
    assert "&lt;marquee&gt;bold claim&lt;/marquee&gt;" in html and "<marquee>bold claim</marquee>" not in html
    html = c.get("/records?q=knee+replacement").get_data(as_text=True)
    rows = re.findall(r'<tr data-record-id="(\d+)"', html)
    assert rows and all(truth[int(r)] == 0 for r in rows)
    assert c.get("/records?q=zzzz-nothing").get_data(as_text=True).count("No records match") == 1
    assert "60 records" in c.get("/records?source=TestDB").get_data(as_text=True)
    r = c.get("/records?source=Other")  # no database of this review: refused, not '0 records'
    assert r.status_code == 400 and "'Other' is not one of TestDB." in unescape(r.get_data(as_text=True))
    # change a decision from the list: a new log entry each time
    r = c.post("/records/5/decision", data={"decision": "include", "csrf_token": token, "next": "/records?q=study"})
    assert r.status_code == 302 and r.headers["Location"] == "/records?q=study"
    c.post("/records/5/decision", data={"decision": "exclude", "csrf_token": token, "note": "on second thought"})
    log = log_of(directory)
    assert list(log["decision"]) == ["include", "exclude"] and log.iloc[-1].note == "on second thought"
    html = c.get("/records?decision=exclude").get_data(as_text=True)
    assert re.findall(r'<tr data-record-id="(\d+)"', html) == ["5"]
    assert "1 record" in c.get("/records?decision=exclude").get_data(as_text=True)
    assert "59 records" in c.get("/records?decision=unscreened").get_data(as_text=True)
    unscreened = c.get("/records?decision=unscreened").get_data(as_text=True)
    assert "5" not in re.findall(r'<tr data-record-id="(\d+)"', unscreened)
    assert c.post("/records/5/decision", data={"decision": "destroy", "csrf_token": token}).status_code == 400
    assert c.post("/records/999/decision", data={"decision": "include", "csrf_token": token}).status_code == 404
    # the screening queue no longer offers record 5
    assert 5 not in app.extensions["screener"]._upcoming("Ann", 60)


def _form_fields(html: str, rid: int) -> dict:
    """The hidden fields of the decision form for record ``rid`` on a records list or record page."""
    form = re.search(rf'<form method="post" action="/records/{rid}/decision".*?</form>', html, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_the_records_list_says_where_the_rest_excluded_unread_at_the_stop_is(review, opened, tmp_path):
    """20 of 60 records screened and the 40 left excluded unread at the stop ('screener label --decision
    exclude'): the records list filtered on 'unscreened' read '0 records', as if every record had been screened,
    where 'screener status' says 40 were never read. It says they were excluded unscreened and where they are."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    directory, truth = review
    ids = sorted(truth)
    with Project.open(directory) as p:
        for rid in ids[:20]:
            p.decide(rid, "include" if truth[rid] else "exclude")
    pd.DataFrame({"record_id": ids[20:]}).to_csv(tmp_path / "rest.csv", index=False)
    r = CliRunner().invoke(cli, ["label", str(directory), str(tmp_path / "rest.csv"), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    app = opened(directory)
    c, _ = login(app, "Ann")
    page = " ".join(re.sub(r"<[^>]+>", " ", c.get("/records?decision=unscreened").get_data(as_text=True)).split())
    assert "40 records were excluded without screening when screening stopped" in page
    assert "listed under Decision: exclude" in page
    # and the list of excludes, 60 studies where the dashboard's PRISMA counts say 'Records excluded' of 20 or fewer,
    # said nothing of the 40 (nor does a search narrowing it to one of them list the others)
    excluded = (20 - sum(truth[r] for r in ids[:20]))
    page = " ".join(re.sub(r"<[^>]+>", " ", c.get("/records?decision=exclude").get_data(as_text=True)).split())
    assert "listed under Decision: exclude" not in page
    assert (f"40 of these {40 + excluded} studies were excluded without screening when screening stopped "
            f"('screener label' excluding the records left, unread): PRISMA counts them as not screened; the other "
            f"{excluded} are among its records excluded.") in page, page
    rest_id = ids[20]
    page = " ".join(re.sub(r"<[^>]+>", " ", c.get(f"/records?decision=exclude&group={rest_id}").get_data(
        as_text=True)).split())
    assert "1 of these 1 studies" not in page
    assert "This study was excluded without screening when screening stopped" in page
    read = next(r for r in ids[:20] if not truth[r])  # an exclude screened: no word of the rest
    page = " ".join(re.sub(r"<[^>]+>", " ", c.get(f"/records?decision=exclude&group={read}").get_data(
        as_text=True)).split())
    assert "1 record" in page and "excluded without screening" not in page, page


def test_a_records_list_left_open_does_not_overwrite_a_teammates_decision(review, opened):
    """Ann's records list shows record 5 not screened; Bob includes it meanwhile. Ann's click on
    Exclude in her list was saved over Bob's include, which she never saw (the screening page
    already refuses this). It is refused now, and a click that matches what the page showed (or
    the decision now in force) still saves."""
    directory, _ = review
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    fields = _form_fields(ann.get("/records").get_data(as_text=True), 5)
    assert fields["shown"] == ""
    decide(bob, tb, 5, "include")
    r = ann.post("/records/5/decision", data={**fields, "decision": "exclude"})
    assert r.status_code == 409
    text = unescape(r.get_data(as_text=True))
    assert "Record 5 was marked include" in text and "'exclude' was not saved" in text
    with Project.open(directory) as p:
        assert p.current_decisions()["decision"].to_dict() == {5: "include"}
    assert ann.post("/records/5/decision", data={**fields, "decision": "include"}).status_code == 302  # agrees
    page = ann.get("/records/5").get_data(as_text=True)  # the record's own page, seen now: a deliberate change
    fields = _form_fields(page, 5)
    assert fields["shown"] == "include"
    assert ann.post("/records/5/decision", data={**fields, "decision": "exclude"}).status_code == 302
    assert log_of(directory).iloc[-1].decision == "exclude"
    # in another tab, the same reviewer's own change is kept too (dual screening: one's own only)
    assert ann.post("/records/5/decision", data={**fields, "decision": "maybe"}).status_code == 409
    assert log_of(directory).iloc[-1].decision == "exclude"


def test_a_teammates_decision_saved_while_ones_own_is_being_saved_is_not_overwritten(review, opened, monkeypatch):
    """Ann and Bob both send a decision on record 5, shown undecided to both, at the same moment
    (the screening page, or the records list). Both were told 'saved' and Bob's exclude silently
    replaced Ann's include: the check for a decision made since ran before the save took its turn
    at the log. It runs in that turn now, so the later of the two is refused."""
    directory, _ = review
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    for path, send in (("api", lambda c, t, d: c.post("/api/decide", json={"record_id": 5, "decision": d,
                                                                           "expect": "undecided"},
                                                       headers={"X-CSRF-Token": t})),
                       ("list", lambda c, t, d: c.post("/records/5/decision", data={
                           "csrf_token": t, "decision": d, "shown": ""}))):
        # Bob's request is saved as Ann's save waits for its turn at the log
        with _saved_meanwhile(app, monkeypatch, lambda: send(bob, tb, "exclude").status_code) as bobs:
            anns = send(ann, ta, "include")
        assert bobs[0] in (200, 302), path
        assert anns.status_code == 409, path
        with Project.open(directory) as p:
            assert p.current_decisions()["decision"].to_dict() == {5: "exclude"}, path
        assert bob.post("/api/undo", headers={"X-CSRF-Token": tb}).status_code == 200


def test_a_choice_on_a_record_whose_decision_was_withdrawn_meanwhile_is_saved(review, opened):
    """Ann's page shows record 5 included by Bob; Bob withdraws his include; Ann clicks Exclude.
    She was refused with 'Record 5 was marked  (by a teammate, ...) after this page showed it
    include' (no decision named: there is none). A withdrawal leaves nothing to overwrite, so her
    exclude is saved."""
    directory, _ = review
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    decide(bob, tb, 5, "include")
    fields = _form_fields(ann.get("/records/5").get_data(as_text=True), 5)
    assert fields["shown"] == "include"
    assert bob.post("/api/undo", headers={"X-CSRF-Token": tb}).get_json()["undone"] == 5
    r = ann.post("/records/5/decision", data={**fields, "decision": "exclude"})
    assert r.status_code == 302, unescape(r.get_data(as_text=True))
    with Project.open(directory) as p:
        assert p.current_decisions()["decision"].to_dict() == {5: "exclude"}


def test_records_list_reads_the_texts_of_one_page_only(review, opened, monkeypatch):
    """A large project's list pages through the data: filters run on ids and in SQLite, and
    only the records of the page shown are read with their texts."""
    import threading

    from screener.store import SQLiteStore

    directory, _ = review
    app = opened(directory)
    c, _ = login(app, "Ann")
    asked, real = [], SQLiteStore.records_frame
    me = threading.get_ident()

    def spy(self, record_ids=None, **kw):
        if threading.get_ident() == me:  # this request, not the ranking thread
            asked.append(None if record_ids is None else len(list(record_ids)))
        return real(self, record_ids, **kw)

    monkeypatch.setattr(SQLiteStore, "records_frame", spy)
    for url, shown in (("/records", 50), ("/records?page=2", 10), ("/records?q=knee+replacement", None)):
        asked.clear()
        html = c.get(url).get_data(as_text=True)
        rows = re.findall(r'<tr data-record-id="(\d+)"', html)
        assert asked == [len(rows)], (url, asked)
        if shown is not None:
            assert len(rows) == shown


def test_records_filter_by_duplicate_group(tmp_path, opened):
    from webtestdata import build_project, make_records, write_csv

    directory, _ = build_project(tmp_path / "dups", xss=False)
    rows, _ = make_records()
    copy = dict(rows[3], source="OtherDB")  # the same study exported by a second database
    src = write_csv([copy], tmp_path / "second.csv")
    with Project.open(directory) as p:
        p.import_files([src], source_db="OtherDB")
        groups = p.store.duplicate_groups_frame()
    grouped = groups.groupby("group_id")["record_id"].apply(list)
    multi = grouped[grouped.map(len) > 1]
    assert len(multi) == 1, "the copy should be grouped with record 4"
    gid = int(multi.index[0])
    app = opened(directory)
    c, token = login(app, "Ann")
    html = c.get("/records?group=duplicates").get_data(as_text=True)
    assert sorted(map(int, re.findall(r'<tr data-record-id="(\d+)"', html))) == sorted(multi.iloc[0])
    html = c.get(f"/records?group={gid}").get_data(as_text=True)
    assert sorted(map(int, re.findall(r'<tr data-record-id="(\d+)"', html))) == sorted(multi.iloc[0])
    assert "OtherDB" in c.get("/records?source=OtherDB").get_data(as_text=True)
    # a decision on the copy counts for the study
    copy_id = max(multi.iloc[0])
    c.post(f"/records/{copy_id}/decision", data={"decision": "include", "csrf_token": token})
    with Project.open(directory) as p:
        assert list(p.current_decisions().index) == [min(multi.iloc[0])]



def test_records_list_counts_say_how_many_studies_the_copies_are(tmp_path, opened):
    """A search update brought a second database's copy of each of three studies, one of them
    included: filtered on 'include', the records list said '2 records' while the dashboard, status
    and the report said 1 include (and 'unscreened' said 61 records of 59 studies), so the team
    read two different counts of includes. The list still shows every copy, and says how many
    studies they are."""
    from webtestdata import build_project, make_records, write_csv

    directory, _ = build_project(tmp_path / "dups", xss=False)
    rows, _ = make_records()
    copies = [dict(rows[i], source="OtherDB") for i in (3, 7, 11)]
    src = write_csv(copies, tmp_path / "update.csv")
    with Project.open(directory) as p:
        p.import_files([src], source_db="OtherDB")
        assert p.prisma_counts()["after_deduplication"] == 60
    app = opened(directory)
    c, token = login(app, "Ann")
    c.post("/records/4/decision", data={"decision": "include", "csrf_token": token})
    found = lambda url: re.search(r'id="n-found">([^<]*)<', c.get(url).get_data(as_text=True)).group(1)
    assert " ".join(found("/records?decision=include").split()).startswith("2 records of 1 study"), found(
        "/records?decision=include")
    assert " ".join(found("/records?decision=unscreened").split()).startswith("61 records of 59 studies")
    assert " ".join(found("/records").split()).startswith("63 records of 60 studies")
    assert found("/records?q=zzzz-nothing").strip() == "0 records"  # no copies, nothing more to say
    dash = c.get("/dashboard").get_data(as_text=True)
    assert "1 include · 0 maybe · 0 excludes" in dash  # the dashboard counts the study once

def test_the_records_source_filter_finds_one_databases_records_under_each_spelling(tmp_path, opened):
    """A search update imported as '--source "testdb "' after the first export's 'TestDB': PRISMA
    counts one database, TestDB (63), but the records list offered TestDB and testdb as two sources,
    and filtered on TestDB it said 60 records, missing the update's 3. One database is one choice
    now, under the spelling first imported, and finds every copy; each row keeps its own spelling."""
    from webtestdata import build_project, make_records, write_csv

    directory, _ = build_project(tmp_path / "spell", xss=False)
    rows, _ = make_records(63)
    update = [dict(r, source="testdb") for r in rows[60:]]
    with Project.open(directory) as p:
        p.import_files([write_csv(update, tmp_path / "update.csv")], source_db="testdb ")
        assert p.prisma_counts()["databases_per_source"] == {"TestDB": 63}
    app = opened(directory)
    c, token = login(app, "Ann")
    html = c.get("/records").get_data(as_text=True)
    assert re.findall(r'<option value="([^"]*)"', html.split('name="source"')[1].split("</select>")[0]) == [
        "", "TestDB"]
    found = lambda url: re.search(r'id="n-found">([^<]*)<', c.get(url).get_data(as_text=True)).group(1)
    assert found("/records?source=TestDB").split()[:2] == ["63", "records"]
    assert found("/records?source=testdb").split()[:2] == ["63", "records"]  # an address saved before
    page = c.get("/records?source=TestDB&page=2").get_data(as_text=True)
    assert "<td>testdb </td>" in page  # the record's own spelling, as the export has it


def test_the_records_source_filter_finds_the_records_prisma_counts_under_a_proquest_export(tmp_path, opened):
    """A ProQuest export names each record's sub-databases ('ProQuest Central; Sociological Abstracts', 'Sociological
    Abstracts'), so PRISMA counts the file under its name, proquest (n = 3); the records list offered the
    sub-databases instead, and no choice found the 3 records PRISMA counts there. Its choices are PRISMA's now; each
    row keeps its record's own database (and an address naming one still finds its records)."""
    from webtestdata import build_project

    directory, _ = build_project(tmp_path / "pq", xss=False)
    ris = "".join(f"TY  - JOUR\nTI  - Syndemic conditions among gay and bisexual men, wave {i}\nAU  - Stall, Ron\n"
                  f"PY  - 2019\nDO  - 10.5555/pq.{i}\nDB  - {db}\nER  - \n\n"
                  for i, db in enumerate(["ProQuest Central; Sociological Abstracts", "Sociological Abstracts",
                                          "Sociological Abstracts"]))
    (tmp_path / "proquest.ris").write_text(ris, encoding="utf-8")
    with Project.open(directory) as p:
        p.import_files([tmp_path / "proquest.ris"])
        assert p.prisma_counts()["databases_per_source"] == {"TestDB": 60, "proquest": 3}
    app = opened(directory)
    c, token = login(app, "Ann")
    html = c.get("/records").get_data(as_text=True)
    assert re.findall(r'<option value="([^"]*)"', html.split('name="source"')[1].split("</select>")[0]) == [
        "", "TestDB", "proquest"]
    found = lambda url: re.search(r'id="n-found">([^<]*)<', c.get(url).get_data(as_text=True)).group(1)
    assert found("/records?source=proquest").split()[:2] == ["3", "records"]
    page = c.get("/records?source=proquest").get_data(as_text=True)
    assert "<td>Sociological Abstracts</td>" in page  # the record's own database, as the export has it
    assert found("/records?source=Sociological+Abstracts").split()[:2] == ["2", "records"]

def test_record_detail_page(review, opened):
    directory, _ = review
    app = opened(directory)
    c, token = login(app, "Ann")
    c.post("/records/1/decision", data={"decision": "maybe", "note": "<i>check</i> full text", "csrf_token": token})
    html = c.get("/records/1").get_data(as_text=True)
    assert 'id="current-decision">maybe<' in html
    assert "&lt;i&gt;check&lt;/i&gt; full text" in html  # notes are escaped too
    assert "&lt;script&gt;" in html and "<script>window" not in html
    assert c.get("/records/424242").status_code == 404
    c.post("/records/1/decision", data={"decision": "retract", "csrf_token": token})
    assert 'id="current-decision">not screened<' in c.get("/records/1").get_data(as_text=True)
    assert list(log_of(directory)["decision"]) == ["maybe", "retract"]


def test_pages_of_an_older_project_show_control_characters_as_spaces(review, opened):
    """A project imported before screener read control characters as spaces still holds them: a form
    feed pasted out of a PDF into a title, a vertical tab and a NUL in an abstract. The screening page,
    the records list and the record's own page sent them to the browser as they were (a box or nothing
    between two words, 'supportin'); now each run of them shows as a space. The stored text is untouched."""
    import sqlite3

    from screener.project import DB_NAME

    directory, _ = review
    con = sqlite3.connect(directory / DB_NAME)  # what an older screener stored
    con.execute("UPDATE records SET title = ?, abstract = ?, journal = ? WHERE record_id = 1",
                ("Peer support\x0cin harm\x0b\x0breduction", "Qualitative interviews\x00with peer workers.",
                 "Harm\x1aReduction Journal"))
    con.commit()
    con.close()
    app = opened(directory)
    c, _ = login(app, "Ann")
    controls = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    rec = c.get("/api/next").get_json()["record"]
    assert rec["record_id"] == 1
    assert not controls.search(rec["title_html"] + rec["abstract_html"] + rec["journal"]), rec
    assert "Peer support in harm reduction" in unescape(re.sub("<[^>]+>", "", rec["title_html"]))
    assert rec["journal"] == "Harm Reduction Journal"
    for page in ("/screen", "/records/1", "/records?q=peer"):
        html = c.get(page).get_data(as_text=True)
        assert not controls.search(html), (page, repr(controls.search(html)))
    detail = unescape(re.sub("<[^>]+>", "", c.get("/records/1").get_data(as_text=True)))
    assert "Peer support in harm reduction" in detail and "Qualitative interviews with peer workers." in detail
    with Project.open(directory) as p:
        assert p.records_frame().loc[1, "title"] == "Peer support\x0cin harm\x0b\x0breduction"  # kept as stored


# -- dashboard and exports ---------------------------------------------------------------------
def test_the_dashboard_names_its_table_of_methods_as_status_and_evaluate_do(review, opened):
    """The dashboard's table of every method was headed 'Every estimator', a statistician's word, where
    'screener status' heads the column 'Method', and evaluate, simulate and the README say 'stopping method'."""
    directory, truth = review
    app = opened(directory)
    c, token = login(app, "Ann")
    for _ in range(4):
        rid = shown_id(c)
        decide(c, token, rid, "include" if truth[rid] else "exclude")
    html = page_text(c.get("/dashboard"))
    assert "<summary>Every stopping method</summary>" in html, html
    assert "estimator" not in " ".join(re.sub(r"<[^>]+>", " ", html).split()).lower(), html


def test_every_estimator_row_without_an_interval_shows_one_dash(review, opened):
    """'Every estimator' on the dashboard read 'knee method ... 40% – – – 9 no' and 'consecutive-excludes
    heuristic – – – – – no': a method with no interval (the knee, the baseline) showed '– – –' in its
    Interval cell, three dashes a reviewer counts as three columns. It shows one dash now; a method with
    an interval still shows both ends."""
    directory, truth = review
    app = opened(directory)
    c, token = login(app, "Ann")
    for _ in range(6):
        rid = shown_id(c)
        decide(c, token, rid, "include" if truth[rid] else "exclude")
    html = c.get("/dashboard").get_data(as_text=True)
    table = re.search(r"<summary>Every stopping method</summary>(.*?)</table>", html, re.S).group(1)
    rows = {re.sub("<[^>]+>", "", r[0]): [re.sub("<[^>]+>", "", x) for x in r[1:]]
            for r in (re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table))
            if r}
    knee = next(v for k, v in rows.items() if k.startswith("knee method"))
    baseline = next(v for k, v in rows.items() if k.startswith("consecutive-excludes"))
    assert knee[1] == "–" and baseline[1] == "–", rows
    hyper = next(v for k, v in rows.items() if k.startswith("hypergeometric"))
    assert re.fullmatch(r"\d+%–\d+% \(one-sided\)", hyper[1]), rows  # a bound, under 'Interval (two-sided)'


def test_dashboard_curve_and_exports(review, opened):
    directory, truth = review
    app = opened(directory)
    c, token = login(app, "Ann")
    assert c.get("/dashboard/discovery.png").status_code == 404  # nothing screened yet
    for _ in range(6):
        rid = shown_id(c)
        decide(c, token, rid, "include" if truth[rid] else "exclude")
    html = c.get("/dashboard").get_data(as_text=True)
    assert "6</strong> of 60 records screened" in html
    assert "PRISMA 2020" in html and "Records identified" in html
    assert 'id="recall"' in html
    png = c.get("/dashboard/discovery.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    r = c.get("/export/records.csv")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))  # a BOM, for Excel
    assert len(table) == 60
    decided = {int(t["record_id"]): t["decision"] for t in table if t["decision"]}
    assert len(decided) == 6
    assert any(t["title"] == XSS_TITLE for t in table)
    ris = c.get("/export/records.ris").data.decode("utf-8-sig")
    assert ris.count("ER  -") == 60
    inc = c.get("/export/records.ris?only=included").data.decode("utf-8-sig")
    assert inc.count("ER  -") == sum(1 for d in decided.values() if d == "include")
    assert c.get("/export/records.exe").status_code == 404
    assert c.get("/export/records.csv?only=bogus").status_code == 400


def test_dashboard_exports_the_final_includes_apart_from_the_title_abstract_ones(review, opened):
    """'Includes only' was the title/abstract includes and there was no download of the studies
    included at full text, which is what a team needs at the end."""
    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:3]:
            p.decide(rid, "include")
        c, _ = login(opened(directory), "Ann")
        assert c.get("/export/records.ris?only=final").status_code == 400  # no full text assessed yet
        assert 'id="export-final"' not in c.get("/dashboard").get_data(as_text=True)
        p.decide(ids[0], "include", stage="full_text")
        p.decide(ids[1], "exclude", stage="full_text")
    page = c.get("/dashboard").get_data(as_text=True)
    assert "Title/abstract includes (RIS)" in page and 'id="export-final"' in page
    final = c.get("/export/records.ris?only=final")
    assert final.status_code == 200 and "-final.ris" in final.headers["Content-Disposition"]
    text = final.data.decode("utf-8-sig")
    assert text.count("ER  -") == 1 and f"ID  - {ids[0]}" in text
    assert c.get("/export/records.ris?only=included").data.decode("utf-8-sig").count("ER  -") == 3


def test_dashboard_exports_the_maybes_that_go_on_to_full_text(review, opened):
    """The dashboard counted 'Maybe (to full text) 4' beside 17 includes, but its only download for
    full-text retrieval was 'Title/abstract includes (RIS)', the 17 includes without a word ('export
    --only included' says the maybes are left out): the team fetched 17 full texts of 21."""
    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:3]:
            p.decide(rid, "include")
        c, _ = login(opened(directory), "Ann")
        assert 'id="export-maybe"' not in c.get("/dashboard").get_data(as_text=True)  # no maybe yet
        p.decide(ids[3], "maybe")
        p.decide(ids[4], "maybe")
    page = c.get("/dashboard").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]+)" id="export-maybe">([^<]+)</a>', page)
    assert link and "maybe" in link.group(2).lower() and "full text" in link.group(2)
    maybes = c.get(unescape(link.group(1))).data.decode("utf-8-sig")
    assert maybes.count("ER  -") == 2 and f"ID  - {ids[3]}" in maybes and f"ID  - {ids[4]}" in maybes


def test_dashboard_lists_the_full_text_exclusions_by_reason(review, opened):
    """The PRISMA table showed how many full texts were excluded, never why."""
    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid, why in zip(ids[:3], ("wrong population", "wrong population", None)):
            p.decide(rid, "include")
            p.decide(rid, "exclude", stage="full_text", reason=why)
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert '<td>Reports excluded, with reasons</td><td class="num">3</td>' in page
    assert '<td>&hellip; wrong population</td><td class="num">2</td>' in page
    assert '<td>&hellip; no reason given</td><td class="num">1</td>' in page


def test_dashboard_says_its_recall_and_advice_are_title_and_abstract_ones_once_full_texts_are_assessed(review, opened):
    """3 includes at title and abstract, 2 of them excluded at full text: 'screener status' says its includes,
    recall and stopping advice are those of the title and abstract screening, while the dashboard's card
    'Recall and when to stop' gave the same figures and advice without a word of it (beside a PRISMA table
    with 1 study included), as though the full-text exclusions were counted in it, or left out by mistake."""
    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:3]:
            p.decide(rid, "include")
        c, _ = login(opened(directory), "Ann")
        card = re.search(r'<section class="card" id="recall">(.*?)</section>', c.get("/dashboard").get_data(
            as_text=True), re.S).group(1)
        assert "title and abstract" not in card  # no full text assessed yet: nothing to tell apart
        p.decide(ids[0], "exclude", stage="full_text", reason="wrong population")
        p.decide(ids[1], "exclude", stage="full_text")
    card = re.search(r'<section class="card" id="recall">(.*?)</section>', c.get("/dashboard").get_data(
        as_text=True), re.S).group(1)
    said = re.search(r'<p class="muted small" id="recall-stage">(.*?)</p>', card, re.S)
    assert said and "recall and stopping advice here are those of the title and abstract screening" in " ".join(
        said.group(1).split())


def test_dashboard_says_when_full_texts_assessed_were_not_passed_on(review, opened):
    """3 records included at title and abstract, 1 of them assessed at full text, and 2 full texts
    assessed of records excluded at title and abstract: the table read 'Included for full text 3,
    not assessed yet 2, Full texts assessed 3' (3 passed on, 5 accounted for) with no word of the
    2, which the report names in a note ('The eligibility boxes do not add up')."""
    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:3]:
            p.decide(rid, "include")
        for rid in ids[3:5]:
            p.decide(rid, "exclude")
        for rid in (ids[0], ids[3], ids[4]):
            p.decide(rid, "include", stage="full_text")
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert '<td>Included for full text</td><td class="num">3</td>' in page
    assert '<th>Reports assessed for eligibility (full text)</th><td class="num">3</td>' in page
    row = re.search(r'<tr id="prisma-not-passed-on"><td>(.*?)</td><td class="num">(\d+)</td></tr>', page)
    assert row and row.group(2) == "2" and f"records {ids[3]}, {ids[4]}" in row.group(1)



def test_dashboard_does_not_count_a_report_not_retrieved_among_the_full_texts_assessed(review, opened):
    """A report not retrieved whose record was then excluded at title and abstract: the dashboard's row
    '... of them not included at title and abstract' stood under 'Full texts assessed 1' with 2 (the
    report not retrieved among them, which is counted under 'Reports not retrieved'). Each is now said
    under the box it is counted in."""
    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:3]:
            p.decide(rid, "include")
        p.decide(ids[0], "include", stage="full_text")
        p.decide(ids[1], "not_retrieved", stage="full_text")
        p.decide(ids[2], "include", stage="full_text")
        p.decide(ids[1], "exclude")
        p.decide(ids[2], "exclude")
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert '<th>Reports assessed for eligibility (full text)</th><td class="num">2</td>' in page
    row = re.search(r'<tr id="prisma-not-passed-on"><td>(.*?)</td><td class="num">(\d+)</td></tr>', page)
    assert row and row.group(2) == "1" and f"record {ids[2]}" in row.group(1), row and row.group(0)
    row = re.search(r'<tr id="prisma-not-retrieved-not-passed-on"><td>(.*?)</td><td class="num">(\d+)</td></tr>', page)
    assert row and row.group(2) == "1" and f"record {ids[1]}" in row.group(1), page.split('id="prisma"')[-1][:2000]

def test_dashboard_prisma_list_gives_the_reports_boxes_at_full_text(review, opened):
    """5 records passed on to full text (4 included, 1 maybe), 1 report not retrieved, 3 assessed (1 excluded
    for a wrong population, 2 included), 1 still to retrieve: the report's PRISMA boxes read 'Reports sought
    for retrieval (n = 5)', 'Reports not retrieved', 'Reports assessed', 'Reports excluded, with reasons' and
    'Studies included in review', while the dashboard's list gave the full texts assessed and the maybes with
    no line for the reports sought. It now gives the report's lines, with the report's numbers."""
    from screener.report import build_report

    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:4]:
            p.decide(rid, "include")
        p.decide(ids[4], "maybe")
        p.decide(ids[0], "include", stage="full_text")
        p.decide(ids[1], "include", stage="full_text")
        p.decide(ids[2], "exclude", stage="full_text", reason="wrong population")
        p.decide(ids[3], "not_retrieved", stage="full_text")
        html = " ".join(re.sub(r"<[^>]+>", " ", build_report(p)).split())
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    rows = {k: (w, int(n)) for k, w, n in
            re.findall(r'<tr id="prisma-([a-z-]+)"><t[hd]>(.*?)</t[hd]><td class="num">(\d+)</td>', page)}
    assert rows.get("sought", ("", 0))[1] == 5 and rows["sought"][0].startswith("Reports sought for retrieval"), rows
    assert "reports sought for retrieval (n = 5)" in html
    for key, words, n in (("not-retrieved", "Reports not retrieved", 1), ("not-assessed", "Reports still to "
                          "retrieve or assess", 1), ("assessed", "Reports assessed for eligibility (full text)", 3),
                          ("full-text-excluded", "Reports excluded, with reasons", 1),
                          ("studies-included", "Studies included in review", 2)):
        assert rows[key][0].startswith(words) and rows[key][1] == n, (key, rows)
        assert f"{words} (n = {n})" in html, (words, html)
    assert '<td>&hellip; wrong population</td><td class="num">1</td>' in page


def test_dashboard_recall_after_a_search_update_since_the_stop_says_records_are_left_to_screen(
        tmp_path, opened, toy_review):
    """Screening stopped, the 30 records left were excluded unread, and a search update brought 10 records: the
    dashboard read "Estimated recall at the stop", "Includes probably left unscreened at the stop" and "the recall
    below is the one estimated at the stop" beside the advice to keep screening, whose estimate counts the 30 as
    not screened. It now says that 10 records are left to screen, as the advice does."""
    d = tmp_path / "review"
    first = pd.read_csv(toy_review(tmp_path / "toy.csv", n=70, n_include=7))
    first.iloc[:60].to_csv(tmp_path / "medline.csv", index=False)
    first.iloc[60:].assign(record_id=lambda t: t["record_id"] + 1000).to_csv(tmp_path / "update.csv", index=False)
    with Project.init(d) as p:
        p.import_files([tmp_path / "medline.csv"], column_map={"label": None}, source_db="MEDLINE")
        for rid in range(1, 31):
            p.decide(rid, "include" if rid in (1, 11, 21) else "exclude")
    exclude_the_rest_unread(d, tmp_path)
    with Project.open(d) as p:
        p.import_files([tmp_path / "update.csv"], column_map={"label": None}, source_db="MEDLINE")
    c, _ = login(opened(d), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    section = page.split('id="recall"')[1]
    assert "at the stop" not in section.split('id="advice"')[0], section[:1500]
    assert "Estimated recall, with 10 records left to screen" in section
    assert "Besides the 10 records left to screen" in section
    note = " ".join(re.sub(r"<[^>]+>", " ", re.search(r'id="excluded-unscreened">(.*?)</p>', page).group(1)).split())
    assert "the one estimated at the stop" not in note
    assert "as not screened, and so does the recall below, with the 10 records left to screen." in note, note


def test_report_download(review, opened):
    app = opened(review[0])
    c, _ = login(app, "Ann")
    r = c.get("/export/report.html")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "attachment" in r.headers["Content-Disposition"]
    assert "<html" in r.get_data(as_text=True).lower()


def test_no_route_reads_files_outside_the_project(review, opened):
    app = opened(review[0])
    c, _ = login(app, "Ann")
    for path in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/screener.sqlite",
                 "/export/../screener.sqlite", "/export/records.csv/../../../etc/passwd"):
        r = c.get(path)
        assert r.status_code in (400, 404), path
        assert b"def create_app" not in r.data and b"SQLite format" not in r.data
    r = c.get("/export/records.csv?path=/etc/passwd")  # the parameter is ignored: a download, nothing written
    assert r.status_code == 200 and b"root:" not in r.data
    assert c.get("/static/style.css").status_code == 200


def test_foreign_host_header_is_refused(review, opened):
    app = opened(review[0])
    c, _ = login(app, "Ann")
    assert c.get("/screen", headers={"Host": "evil.example"}).status_code == 400
    assert c.get("/screen", headers={"Host": "localhost:8000"}).status_code == 200


# -- access token ------------------------------------------------------------------------------
def test_access_token_required_off_loopback(review, opened):
    with pytest.raises(Exception, match="access token"):
        create_app(Project.open(review[0]), host="0.0.0.0", start=False)
    app = opened(review[0], host="0.0.0.0", access_token="s3cret-token")
    c = app.test_client()
    r = c.get("/screen", headers={"Host": "10.0.0.5:8000"})
    assert r.status_code == 403 and "access token" in r.get_data(as_text=True)
    assert c.get("/screen?token=wrong", headers={"Host": "10.0.0.5:8000"}).status_code == 403
    assert c.get("/static/style.css").status_code == 403
    assert c.get("/api/next").status_code == 403
    r = c.get("/screen?token=s3cret-token&x=1", headers={"Host": "10.0.0.5:8000"})
    assert r.status_code == 302 and r.headers["Location"] == "/screen?x=1"  # token leaves the address bar
    assert "screener_access=s3cret-token" in r.headers["Set-Cookie"] and "HttpOnly" in r.headers["Set-Cookie"]
    r = c.get("/screen", headers={"Host": "10.0.0.5:8000"})  # now from the cookie; on a network, accounts are on
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert app.test_client().get("/dashboard").status_code == 403


def test_behind_the_https_proxy_the_access_token_cookie_is_secure_too(review, opened):
    """With --public-url the README says the cookies are marked secure: the access token's cookie
    sent over a plain-http request (a link typed without https) would hand the team's key to the network."""
    app = opened(review[0], access_token="s3cret-token", behind_proxy=True)
    r = app.test_client().get("/screen?token=s3cret-token", headers={"X-Forwarded-Proto": "https",
                                                                     "X-Forwarded-Host": "screener.example.org"})
    assert r.status_code == 302
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("screener_access="))
    assert "Secure" in cookie and "HttpOnly" in cookie


# -- dual screening ----------------------------------------------------------------------------
def test_dual_mode_is_blind(dual_review, opened):
    directory, truth = dual_review
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    first = shown_id(ann)
    assert shown_id(bob) == first  # both screen the same queue, independently
    decide(ann, ta, first, "include", note="Ann's reason")
    assert shown_id(bob) == first  # Ann's decision does not take it from Bob
    data = bob.get("/api/next").get_json()
    assert data["counts"]["screened"] == 0
    bob_list = bob.get("/records?q=study").get_data(as_text=True) + bob.get("/records").get_data(as_text=True)
    assert re.search(rf'<tr data-record-id="{first}" class="unscreened"', bob_list)
    assert "Ann" not in page_text(bob.get(f"/records/{first}")).replace("Screening as", "")
    assert "Ann's reason" not in bob.get(f"/records/{first}").get_data(as_text=True)
    assert "1 record" in ann.get("/records?decision=include").get_data(as_text=True)
    assert "0 records" in bob.get("/records?decision=include").get_data(as_text=True)
    assert shown_id(ann) != first
    # no agreement yet, so the ranker has nothing to learn from
    with Project.open(directory) as p:
        assert p.labels().empty


def test_dual_conflicts_resolution_and_kappa(dual_review, opened):
    directory, truth = dual_review
    app = opened(directory)
    eng = app.extensions["screener"]
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    plan = {}
    for i in range(6):
        assert eng.wait_idle(60)  # a retrain finishing between the two reviewers' requests reorders the queue
        rid = shown_id(ann)
        a = "include" if truth[rid] else "exclude"
        b = a if i not in (1, 4) else ("exclude" if a == "include" else "include")
        decide(ann, ta, rid, a)
        assert shown_id(bob) == rid
        decide(bob, tb, rid, b)
        plan[rid] = (a, b)
    conflicts = [r for r, (a, b) in plan.items() if a != b]
    for page in ("/conflicts", "/conflicts?reveal=1"):  # the reviewers: blind, nothing to reveal
        html = page_text(ann.get(page))
        assert "data-record-id" not in html and "Show the conflicts" not in html and "Cohen" not in html
    assert ann.get("/export/agreement.csv").status_code == 403
    assert ann.post(f"/conflicts/{conflicts[0]}/resolve",
                    data={"decision": "include", "csrf_token": ta}).status_code == 403
    ann, ta = login(app, "Olga", "owner")  # the owner resolves
    html = ann.get("/conflicts").get_data(as_text=True)
    assert "Show the conflicts" in html and "data-record-id" not in html  # still a deliberate step
    html = ann.get("/conflicts?reveal=1").get_data(as_text=True)
    listed = sorted(map(int, re.findall(r'<article class="conflict" data-record-id="(\d+)"', html)))
    assert listed == sorted(conflicts)
    kappa = cohen_kappa([a for a, _ in plan.values()], [b for _, b in plan.values()],
                        ["include", "exclude", "maybe"])
    assert f"{kappa:.2f}" in html
    raw = ann.get("/export/agreement.csv").data
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel: reviewer names may have accents
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["reviewer_a"] == "Ann" and rows[0]["reviewer_b"] == "Bob"
    assert int(rows[0]["both_screened"]) == 6 and int(rows[0]["disagree"]) == 2
    assert float(rows[0]["kappa"]) == pytest.approx(kappa)
    dash = ann.get("/dashboard").get_data(as_text=True)
    assert "2 conflicts to resolve" in dash and f"{kappa:.2f}" in dash
    # resolve one conflict: a resolver decision; it leaves the list and becomes a label
    rid = conflicts[0]
    assert ann.post(f"/conflicts/{rid}/resolve", data={"decision": "include"}).status_code == 400  # CSRF
    r = ann.post(f"/conflicts/{rid}/resolve", data={"decision": "include", "csrf_token": ta, "note": "protocol 2b"})
    assert r.status_code == 302
    log = log_of(directory)
    last = log.iloc[-1]
    assert (last.record_id, last.decision, last.role, last.reviewer) == (rid, "include", "resolver", "Olga")
    html = ann.get("/conflicts?reveal=1").get_data(as_text=True)
    assert re.findall(r'data-record-id="(\d+)"', html) == [str(conflicts[1])]
    with Project.open(directory) as p:
        labels = p.labels()
        assert labels[rid] == 1
        assert conflicts[1] not in labels.index
        assert len(labels) == 5  # 4 agreed + 1 resolved
    # a record the reviewers agree on is not a conflict: "resolving" it would overrule them unseen
    agreed = next(r for r in plan if r not in conflicts)
    r = ann.post(f"/conflicts/{agreed}/resolve", data={"decision": "maybe", "csrf_token": ta})
    assert r.status_code == 400 and "no conflict to resolve" in r.get_data(as_text=True)
    assert len(log_of(directory)) == len(log)
    r = ann.post(f"/conflicts/{rid}/resolve", data={"decision": "exclude", "csrf_token": ta})  # settled again: allowed
    assert r.status_code == 302
    # the resolver withdraws the resolution from the record page: the conflict is open again
    # (the withdrawal was logged as a reviewer's, and the resolution stood)
    r = ann.post(f"/records/{rid}/decision", data={"decision": "retract", "csrf_token": ta})
    assert r.status_code == 302
    assert log_of(directory).iloc[-1][["decision", "role"]].tolist() == ["retract", "resolver"]
    html = ann.get("/conflicts?reveal=1").get_data(as_text=True)
    assert str(rid) in re.findall(r'data-record-id="(\d+)"', html)


def test_a_conflict_the_reviewers_settle_as_the_owner_resolves_it_keeps_their_agreement(dual_review, opened,
                                                                                           monkeypatch):
    """Ann includes record 5, Bob excludes it; the owner resolves it as exclude just as Bob
    changes his decision to include. The resolution was saved after Bob's change (the check that
    the two still disagree ran before it) and replaced the include both reviewers now agree on.
    The check runs in the resolution's turn at the log now: it is refused, the agreement stands."""
    directory, app, ann, ta, bob, tb, olga, to = _record_5_in_conflict(dual_review, opened)
    # Bob's change is saved as the owner's resolution waits for its turn at the log
    with _saved_meanwhile(app, monkeypatch, lambda: bob.post("/records/5/decision", data={
            "csrf_token": tb, "decision": "include", "shown": "exclude"}).status_code) as changed:
        r = olga.post("/conflicts/5/resolve", data={"decision": "exclude", "csrf_token": to})
    assert changed == [302]
    assert r.status_code == 400 and "no conflict to resolve" in r.get_data(as_text=True)
    # said as it happened: it was 'the reviewers have not given it different decisions. Change a decision of your
    # own on the record's page instead', to an owner who had just seen them differ, and who had no decision of hers
    said = " ".join(unescape(r.get_data(as_text=True)).split())
    assert "the reviewers agree on it now (include)" in said and "your choice was not saved" in said, said
    assert "have not given it different decisions" not in said and "of your own" not in said, said
    with Project.open(directory) as p:
        assert p.current_decisions()["decision"].get(5) == "include"


def test_a_conflict_a_reviewer_withdraws_from_as_the_owner_resolves_it_says_whose_decision_stands(
        dual_review, opened, monkeypatch):
    """Ann includes record 5, Bob excludes it; the owner resolves it as Bob withdraws his decision. Refused, rightly,
    with 'the reviewers have not given it different decisions. Change a decision of your own on the record's page
    instead', to an owner who had just seen them differ and had no decision of hers: Ann's alone stands now."""
    directory, app, ann, ta, bob, tb, olga, to = _record_5_in_conflict(dual_review, opened)
    # Bob's withdrawal is saved as the owner's resolution waits for its turn at the log
    with _saved_meanwhile(app, monkeypatch, lambda: bob.post("/records/5/decision", data={
            "csrf_token": tb, "decision": "retract"}).status_code) as withdrawn:
        r = olga.post("/conflicts/5/resolve", data={"decision": "exclude", "csrf_token": to})
    assert withdrawn == [302]
    said = " ".join(unescape(r.get_data(as_text=True)).split())
    assert r.status_code == 400 and "Record 5 has no conflict to resolve" in said, said
    assert "only Ann's decision (include) stands on it now" in said and "your choice was not saved" in said, said
    assert "of your own" not in said and "have not given it different decisions" not in said, said


def test_a_conflict_a_reviewer_reopened_after_it_was_settled_says_who_settled_it_and_when(dual_review, opened):
    """Ann includes record 5, Bob excludes it; the owner settles it as include. Bob, still blind, changes his
    decision to maybe: the conflict is open again, and the Conflicts page showed it as if it had never been
    settled, the owner's resolution (who, when, as what) nowhere on it. It now says so on the record's card."""
    directory, app, ann, ta, bob, tb, olga, to = _record_5_in_conflict(dual_review, opened)
    decide(ann, ta, 6, "include")
    decide(bob, tb, 6, "exclude")
    assert olga.post("/conflicts/5/resolve", data={"decision": "include", "csrf_token": to}).status_code == 302
    assert bob.post("/records/5/decision", data={"decision": "maybe", "shown": "exclude",
                                                 "csrf_token": tb}).status_code == 302
    when = log_of(directory).query("role == 'resolver'")["created_at"].iloc[0]
    html = unescape(page_text(olga.get("/conflicts?reveal=1")))
    cards = dict(re.findall(r'<article class="conflict" data-record-id="(\d+)">(.*?)</article>', html, re.S))
    assert set(cards) == {"5", "6"}
    said = " ".join(re.sub(r"<[^>]+>", " ", cards["5"]).split())
    assert f"Settled earlier as include by Olga ({str(when)[:16].replace('T', ' ')} UTC)" in said, said
    assert "Settled earlier" not in cards["6"]  # never settled
    assert "Settled earlier" not in page_text(bob.get("/conflicts?reveal=1"))  # Bob is blind: no card at all



def test_a_conflict_on_an_imported_or_unread_decision_is_not_said_settled_by_imported(dual_review, opened):
    """Record 5 came with an include from an earlier screening's export, record 6 was excluded unread with the
    records left at a stop; Ann and Bob then screened both and disagreed. Their cards read 'Settled earlier as
    include by imported' and 'Settled earlier as exclude by imported': no one named 'imported' settled anything.
    They say the decision was imported, or excluded unread at the stop."""
    from screener.store import Decision
    from screener.store.base import REST_EXCLUDED

    directory, _ = dual_review
    with Project.open(directory) as p:
        p.store.append_decisions([
            Decision(record_id=5, decision="include", reviewer="imported", role="resolver", origin="import",
                     note="imported from earlier.csv"),
            Decision(record_id=6, decision="exclude", reviewer="imported", role="resolver",
                     origin=REST_EXCLUDED + "earlier.csv", note="imported from earlier.csv")])
    app = opened(directory)
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    olga, _ = login(app, "Olga", "owner")
    for rid in (5, 6):
        decide(ann, ta, rid, "include")
        decide(bob, tb, rid, "exclude")
    html = unescape(page_text(olga.get("/conflicts?reveal=1")))
    cards = dict(re.findall(r'<article class="conflict" data-record-id="(\d+)">(.*?)</article>', html, re.S))
    assert set(cards) == {"5", "6"}, html
    said = {k: " ".join(re.sub(r"<[^>]+>", " ", v).split()) for k, v in cards.items()}
    assert "by imported" not in said["5"] and "by imported" not in said["6"], said
    assert "Imported earlier as include" in said["5"], said["5"]
    assert "Excluded unread earlier with the records left when screening stopped" in said["6"], said["6"]
    assert "opened again by a reviewer's decision made since" in said["5"], said["5"]


def test_a_conflict_resolved_meanwhile_is_not_resolved_again_from_a_page_shown_before(dual_review, opened):
    """With the blinding ended, Ann and the owner both have the Conflicts page open on record 5
    (Ann include, Bob exclude). The owner resolves it as exclude; Ann, on her page from before,
    clicks Include: her resolution replaced the owner's, which she never saw. It is refused now,
    naming the resolution that stands."""
    directory, app, ann, ta, bob, tb, olga, to = _record_5_in_conflict(dual_review, opened)
    assert olga.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert "/conflicts/5/resolve" in ann.get("/conflicts").get_data(as_text=True)
    assert olga.post("/conflicts/5/resolve", data={"decision": "exclude", "csrf_token": to}).status_code == 302
    r = ann.post("/conflicts/5/resolve", data={"decision": "include", "csrf_token": ta})
    assert r.status_code == 400
    assert "resolved as exclude by Olga" in unescape(r.get_data(as_text=True))
    with Project.open(directory) as p:
        assert p.current_decisions()["decision"].get(5) == "exclude"


def test_dual_full_text_conflicts_await_agreement_and_are_resolved_on_the_conflicts_page(dual_review, opened):
    """Two reviewers who disagreed at full text had no way to settle it, and the study dropped out
    of PRISMA's eligibility boxes: now it counts as awaiting agreement, and the Conflicts page
    settles it as it does a title/abstract conflict, with the reason for an exclusion."""
    from screener.report import build_report
    from screener.store import Decision

    directory, _ = dual_review
    with Project.open(directory) as p:
        a, b, c = list(p.records_frame().index)[:3]
        p.decide_many([Decision(record_id=r, decision="include", reviewer=who) for r in (a, b, c)
                       for who in ("Ann", "Bob")])
        p.decide_many([Decision(record_id=r, decision=d, reviewer=who, stage="full_text")
                       for r, who, d in ((a, "Ann", "include"), (a, "Bob", "include"), (b, "Ann", "exclude"),
                                         (b, "Bob", "include"), (c, "Ann", "exclude"))])
        counts = p.prisma_counts()
        assert (counts["full_text_assessed"], counts["full_text_included"], counts["full_text_awaiting"]) == (3, 1, 2)
        box = build_report(p).split('id="prisma-full-text"', 1)[1].split("</div>", 1)[0]
        assert "Reports assessed for eligibility (full text) <span class=\"n\">(n = 3)" in box
        assert "awaiting the two reviewers' agreement <span class=\"n\">(n = 2)" in box
    app = opened(directory)
    owner, token = login(app, "Olga", "owner")
    assert "0 conflicts to resolve, and 1 at full text" in owner.get("/dashboard").get_data(as_text=True)
    html = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    assert re.findall(r'<article class="conflict" data-record-id="(\d+)"', html) == []  # none at title/abstract
    assert re.findall(r'<article class="conflict full-text" data-record-id="(\d+)"', html) == [str(b)]
    r = owner.post(f"/conflicts/{b}/resolve", data={"decision": "exclude", "stage": "full_text",
                                                    "reason": "wrong population", "csrf_token": token})
    assert r.status_code == 302
    last = log_of(directory).iloc[-1]
    assert (last.record_id, last.decision, last.role, last.stage, last.reason) == (
        b, "exclude", "resolver", "full_text", "wrong population")
    assert 'class="conflict full-text"' not in owner.get("/conflicts?reveal=1").get_data(as_text=True)
    r = owner.post(f"/conflicts/{c}/resolve", data={"decision": "include", "stage": "full_text",
                                                    "csrf_token": token})  # one reviewer only: no conflict
    assert r.status_code == 400 and "no conflict to resolve" in r.get_data(as_text=True)
    with Project.open(directory) as p:
        counts = p.prisma_counts()
        assert (counts["full_text_assessed"], counts["full_text_excluded"], counts["full_text_awaiting"]) == (3, 1, 1)
        assert counts["full_text_excluded_reasons"] == {"wrong population": 1}
        assert p.current_decisions().loc[b, "decision"] == "include"  # the title/abstract decision stands


def test_a_full_text_conflict_is_settled_as_not_retrieved_on_the_conflicts_page(dual_review, opened):
    """Of two reviewers at full text, one could not obtain the report and the other excluded it. The
    Conflicts page offered include, exclude or maybe, so the owner could only settle it as an
    exclusion after reading; a full-text conflict has a 'Not retrieved' button now (not a
    title/abstract one), and PRISMA counts the report as not retrieved, not excluded."""
    from screener.store import Decision

    directory, _ = dual_review
    with Project.open(directory) as p:
        a, b = list(p.records_frame().index)[:2]
        p.decide_many([Decision(record_id=r, decision=d, reviewer=who) for r, d in ((a, "include"), (b, "exclude"))
                       for who in ("Ann", "Bob")])
        p.decide_many([Decision(record_id=a, decision="not_retrieved", reviewer="Ann", stage="full_text"),
                       Decision(record_id=a, decision="exclude", reviewer="Bob", stage="full_text",
                                reason="wrong population")])
    app = opened(directory)
    owner, token = login(app, "Olga", "owner")
    html = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    card = html.split('class="conflict full-text"', 1)[1].split("</article>", 1)[0]
    assert 'value="not_retrieved"' in card and "Ann</strong>: not retrieved" in card
    assert 'value="not_retrieved"' not in html.split('class="conflict full-text"', 1)[0]
    r = owner.post(f"/conflicts/{a}/resolve", data={"decision": "not_retrieved", "stage": "full_text",
                                                    "reason": "typed by mistake", "csrf_token": token})
    assert r.status_code == 302
    last = log_of(directory).iloc[-1]
    assert (last.record_id, last.decision, last.role, last.stage) == (a, "not_retrieved", "resolver", "full_text")
    assert not isinstance(last.reason, str)  # a reason is kept with exclusions only
    r = owner.post(f"/conflicts/{b}/resolve", data={"decision": "not_retrieved", "csrf_token": token})
    assert r.status_code == 400 and "Choose include, exclude or maybe." in r.get_data(as_text=True)
    with Project.open(directory) as p:
        c = p.prisma_counts()
        assert (c["full_text_not_retrieved"], c["full_text_assessed"], c["full_text_excluded"]) == (1, 0, 0)
        assert p.current_decisions().loc[a, "decision"] == "include"  # the title/abstract decision stands
    dash = " ".join(owner.get("/dashboard").get_data(as_text=True).split())
    assert "Reports not retrieved (the full text could not be obtained)</td><td class=\"num\">1<" in dash


def test_dual_undo_after_agreement_shows_the_record_again(dual_review, opened):
    directory, _ = dual_review
    app = opened(directory)
    eng = app.extensions["screener"]
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    rid = shown_id(ann)
    decide(ann, ta, rid, "exclude")
    decide(bob, tb, rid, "exclude")
    assert eng.wait_idle(60)
    with Project.open(directory) as p:
        assert list(p.labels().index) == [rid]  # agreed: a training label now
    r = ann.post("/api/undo", headers={"X-CSRF-Token": ta}).get_json()
    assert r["undone"] == rid and r["record"]["record_id"] == rid
    with Project.open(directory) as p:
        assert p.labels().empty  # Bob's vote alone is not an agreement
    assert shown_id(bob) != rid


def test_dual_a_reviewers_rest_excluded_unread_is_not_counted_as_screened_by_them(dual_review, opened, tmp_path):
    """Dual screening: Ann screened 20 of 60 records and excluded the 40 left unread ('screener label
    --reviewer Ann --decision exclude'). 'screener status' counts '20 of 60 records screened ..., 40 excluded
    unscreened', but her screening page said 'You screened: 60 of 60' and 'You have screened every record', and
    the dashboard '60 of 60 records screened by you (100%)'. They count the 40 as status does, and her next
    decision on one of them on the web counts it as screened."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    directory, truth = dual_review
    ids = sorted(truth)
    with Project.open(directory) as p:
        for rid in ids[:20]:
            p.decide(rid, "include" if truth[rid] else "exclude", reviewer="Ann")
    pd.DataFrame({"record_id": ids[20:]}).to_csv(tmp_path / "rest.csv", index=False)
    r = CliRunner().invoke(cli, ["label", str(directory), str(tmp_path / "rest.csv"), "--reviewer", "Ann",
                                 "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    app = opened(directory)
    ann, token = login(app, "Ann")
    counts = ann.get("/api/next").get_json()["counts"]
    assert (counts["screened"], counts["excluded_unscreened"], counts["left"]) == (20, 40, 0)
    page = " ".join(ann.get("/screen").get_data(as_text=True).split())
    assert re.search(r'id="done-screened" hidden', page) and not re.search(r'id="done-rest" hidden', page)
    dash = " ".join(re.sub(r"<[^>]+>", " ", ann.get("/dashboard").get_data(as_text=True)).split())
    assert "20 of 60 records screened by you" in dash and "60 of 60" not in dash
    assert "40 records excluded without screening by you when you stopped screening" in dash
    # one of them read after all, on its record page: screened by her now
    rid = ids[30]
    r = ann.post(f"/records/{rid}/decision", data={"decision": "include" if truth[rid] else "exclude",
                                                   "shown": "exclude", "csrf_token": token, "next": "/records"})
    assert r.status_code == 302, r.get_data(as_text=True)
    counts = ann.get("/api/next").get_json()["counts"]
    assert (counts["screened"], counts["excluded_unscreened"]) == (21, 39)


def test_conflicts_page_in_single_mode(review, opened):
    app = opened(review[0])
    c, token = login(app, "Ann")
    assert "single mode" in c.get("/conflicts").get_data(as_text=True)
    assert c.post("/conflicts/1/resolve", data={"decision": "include", "csrf_token": token}).status_code == 400


# -- the serve command -------------------------------------------------------------------------
def test_serve_command_is_registered_and_documented():
    from typer.testing import CliRunner

    from screener.cli import app as cli

    out = CliRunner().invoke(cli, ["serve", "--help"])
    assert out.exit_code == 0
    assert "--port" in out.output and "--host" in out.output and "access token" in out.output


def test_serve_project_loopback_and_network_addresses(review):
    from screener.cli.web_cmds import serve_project

    server, url, app = serve_project(review[0], host="127.0.0.1", port=0)
    try:
        assert url == f"http://127.0.0.1:{server.server_port}/" and "token" not in url
        assert app.config["SCREENER_TOKEN"] is None
    finally:
        server.server_close()
        app.extensions["screener"].stop()
        app.config["SCREENER_PROJECT"].close()
    server, url, app = serve_project(review[0], host="0.0.0.0", port=0)
    try:
        token = app.config["SCREENER_TOKEN"]
        assert token and len(token) >= 24 and url.endswith(f":{server.server_port}/?token={token}")
    finally:
        server.server_close()
        app.extensions["screener"].stop()
        app.config["SCREENER_PROJECT"].close()


def test_serve_on_a_busy_port_says_what_to_do(review):
    import socket

    from screener.cli.web_cmds import serve_project
    from screener.errors import ScreenerError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        with pytest.raises(ScreenerError, match="--port"):
            serve_project(review[0], host="127.0.0.1", port=port)


@pytest.mark.parametrize("reviewer", [None, "ana"])
def test_dashboard_ris_download_keeps_the_records_issn_and_language(tmp_path, reviewer):
    """The dashboard's RIS download (the team's, and a blind reviewer's own) was written without
    the records' originals, so it lost every ISSN, publisher and language the RIS export copies."""
    from screener.web.dashboard import export_bytes

    src = tmp_path / "medline.ris"
    src.write_text("TY  - JOUR\nTI  - Peer workers in harm reduction\nPY  - 2021\nSN  - 1477-7517\n"
                   "PB  - BioMed Central\nLA  - English\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "review", settings={"mode": "dual"}) as p:
        p.import_files([src])
        p.decide(1, "include", reviewer="ana")
        text = export_bytes(p, "ris", reviewer=reviewer).decode("utf-8-sig")
    assert "SN  - 1477-7517" in text and "PB  - BioMed Central" in text and "LA  - English" in text


def test_withdrawing_a_resolution_leaves_the_resolvers_own_decision(tmp_path):
    """Ben, who screened the study (include), settled its conflict (exclude) and withdrew that
    resolution from the record's page: the page then showed his own decision gone, his counts one
    less, and his queue handed him the study again, until the next ranking."""
    from screener.web.engine import WebScreener

    directory, truth = build_project(tmp_path / "dual", mode="dual", n=16, xss=False)
    rid = next(iter(truth))
    with Project.open(directory) as project:
        eng = WebScreener(project)  # not started: what this process holds, before any ranking
        eng.decide(rid, "include", "Ben")
        eng.decide(rid, "exclude", "Ana")
        eng.resolve(rid, "exclude", "Ben")
        eng.undo("Ben", rid, role="resolver")
        assert eng.own_decisions("Ben") == {rid: "include"} and eng.counts("Ben")["screened"] == 1
        assert set(project.conflicts()["reviewer"]) == {"Ana", "Ben"}  # the conflict is open again


def test_the_dashboards_advice_says_the_records_left_wait_for_the_reviewers(tmp_path, opened):
    """Both reviewers had screened every record, disagreeing on two: the recall card said 'To claim
    95% recall, screen about 2 more records' and nothing of the conflicts, and the screening page
    had nothing left to show. It now says the records left wait for the conflicts to be settled."""
    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    owner, _ = login(app, "Olga", "owner")
    for name in ("Ann", "Bob"):
        c, tok = login(app, name)
        for i, rid in enumerate(sorted(truth)):
            d = "include" if truth[rid] else "exclude"
            if name == "Bob" and i in (3, 9):
                d = "maybe"
            decide(c, tok, rid, d)
    card = owner.get("/dashboard").get_data(as_text=True).split('id="recall"', 1)[1].split("</section>", 1)[0]
    assert "2 records wait for the reviewers to agree" in card
    assert "once the 2 conflicts are settled on the Conflicts page" in card


def _dashboard_reading(review, opened, monkeypatch, **estimate) -> str:
    """The dashboard's page, whitespace collapsed, after six decisions, with the model-based estimate
    read as ``estimate`` (its fields) and the advice made from it."""
    from dataclasses import replace

    import screener.status as status_mod
    from screener.stopping import recommend

    real = status_mod.recall_status

    def reading(project, **kw):
        st = real(project, **kw)
        e = replace(st["estimates"]["score_sample"], stop=False, **estimate)
        st["estimates"]["score_sample"] = e
        st["advice"] = recommend(st["history"], {"score_sample": e}, target_recall=0.95, confidence=0.95)
        return st

    directory, truth = review
    c, token = login(opened(directory), "Ann")
    for _ in range(6):
        rid = shown_id(c)
        decide(c, token, rid, "include" if truth[rid] else "exclude")
    monkeypatch.setattr(status_mod, "recall_status", reading)
    return " ".join(c.get("/dashboard").get_data(as_text=True).split())


def test_the_dashboard_shows_a_recall_short_of_the_target_as_short_of_it(review, opened, monkeypatch):
    """The dashboard read 'Estimated recall 95%' beside 'keep screening' for an estimate of 94.6% at a
    95% target; it shows the figure as 'screener status' and the report do."""
    html = _dashboard_reading(review, opened, monkeypatch,  # 35 includes found and about 2 left: 94.6%
                              includes_found=35, remaining=2.0, remaining_low=0.4, remaining_high=4.0,
                              recall=35 / 37, recall_low=35 / 39, recall_high=35 / 35.4)
    assert 'id="recall-point">94.6%<' in html
    assert "(95% interval 90%–99%)" in html
    assert "<td>94.6%</td><td>90%–99%</td>" in html


def test_the_dashboard_does_not_read_about_0_includes_left_beside_an_interval_up_to_5(review, opened, monkeypatch):
    """'Includes probably still unscreened: about 0 (up to 5)' for an estimate of 0.3 left: none left,
    beside a bound of five; it reads 'most likely none (up to 5)', as the advice does."""
    html = _dashboard_reading(review, opened, monkeypatch,  # 30 includes found and about 0.3 left
                              includes_found=30, remaining=0.3, remaining_low=0.0, remaining_high=5.0,
                              recall=30 / 30.3, recall_low=30 / 35, recall_high=1.0)
    assert "about 0 " not in html and "about 0<" not in html
    assert "Includes probably still unscreened: most likely none (up to 5)" in html


def test_a_title_abstract_conflict_is_resolved_with_a_reason_kept_shown_and_exported(dual_review, opened):
    """The full-text conflict form asks for the reason of an exclusion (kept with the resolver's
    decision, and in PRISMA's reasons); the title/abstract one had no such field, so a resolver's
    "no comparison group" went in a note or nowhere. It now has the same optional field, stored with
    the resolution, shown in the record's decision history and in the export's decision_reason."""
    from screener.store import Decision

    directory, _ = dual_review
    with Project.open(directory) as p:
        a = int(list(p.records_frame().index)[0])
        p.decide_many([Decision(record_id=a, decision="include", reviewer="Ann"),
                       Decision(record_id=a, decision="exclude", reviewer="Bob")])
    app = opened(directory)
    owner, token = login(app, "Olga", "owner")
    html = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    card = html.split(f'<article class="conflict" data-record-id="{a}">', 1)[1].split("</article>", 1)[0]
    assert 'name="reason"' in card and 'name="stage"' not in card  # a title/abstract conflict's own form
    r = owner.post(f"/conflicts/{a}/resolve", data={"decision": "exclude", "reason": "no comparison group",
                                                    "note": "checked with the protocol", "csrf_token": token})
    assert r.status_code == 302
    last = log_of(directory).iloc[-1]
    assert (last.record_id, last.decision, last.role, last.stage, last.reason, last.note) == (
        a, "exclude", "resolver", "title_abstract", "no comparison group", "checked with the protocol")
    page = owner.get(f"/records/{a}").get_data(as_text=True)
    history = page.split('id="history"', 1)[1].split("</table>", 1)[0]
    assert "<th>Reason</th>" in history and "no comparison group" in history
    rows = list(csv.DictReader(io.StringIO(owner.get("/export/records.csv").data.decode("utf-8-sig"))))
    row = next(r for r in rows if int(r["record_id"]) == a)
    assert (row["decision"], row["decision_reason"]) == ("exclude", "no comparison group")


def test_dashboard_counts_the_rest_excluded_at_the_stop_as_not_screened(review, opened, tmp_path):
    """After 'label rest.csv --decision exclude' on the records left at the stop, the dashboard read
    "N of N records screened (100%)" beside a PRISMA table that counts those records as not screened."""
    from screener.labels import import_labels

    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        p.decide(ids[0], "include")
        for rid in ids[1:10]:
            p.decide(rid, "exclude")
        rest = tmp_path / "rest.csv"
        pd.DataFrame({"record_id": ids[10:]}).to_csv(rest, index=False)
        import_labels(p, rest, decision="exclude")
        k = len(ids) - 10
        assert p.prisma_counts()["excluded_unscreened"] == k
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert f"<strong>10</strong> of {len(ids)} records screened" in page
    assert "1 include · 0 maybe · 9 excludes" in page
    assert f"{k} records excluded without screening when screening stopped" in page
    assert "excluded unscreened" not in page  # the phrase of the report's PRISMA flow and of 'screener status'


@pytest.mark.parametrize("word", ["include", "maybe"])
def test_the_why_after_the_first_include_says_the_ranking_is_being_updated(tmp_path, opened, word):
    """No protocol: right after the first include, while the model retrains, the record shown (from the
    random order made before it) said 'no includes or protocol yet: shown in random order', and the
    ranking card 'random order (no protocol and no includes yet)'; both say the include is being learnt.
    A maybe trains the ranking as an include does: after a first maybe the same is said of it."""
    import threading

    directory, truth = build_project(tmp_path / "plain", protocol=False)
    app = opened(directory)
    eng = app.extensions["screener"]
    c, token = login(app, "Ann")
    assert c.get("/api/next").get_json()["record"]["reason"] == "no includes or protocol yet: shown in random order"
    gate = threading.Event()
    real = eng.session.ranking

    def held_ranking(*args, **kwargs):  # the retraining, held back until the page is read
        assert gate.wait(60)
        return real(*args, **kwargs)

    eng.session.ranking = held_ranking
    try:
        first = next(r for r, t in truth.items() if t)
        decide(c, token, first, word)
        data = c.get("/api/next").get_json()
        page = unescape(c.get("/screen").get_data(as_text=True))
    finally:
        gate.set()
        eng.session.ranking = real
    assert data["status"]["retraining"] and eng.rank.phase == "random"  # the record is from the old order
    why = data["record"]["reason"]
    assert "no includes" not in why and "no includes" not in data["status"]["phase_text"]
    assert why == ("shown in random order, from the ranking made before the first include; "
                   f"the ranking is being updated with the {word} just found")
    assert data["status"]["phase_text"] == "random order made before the first include (being updated with it)"
    assert why in page and data["status"]["phase_text"] in page and "no includes" not in page
    assert eng.wait_idle(60)
    data = c.get("/api/next").get_json()  # the new ranking: its own reasons
    assert eng.rank.phase != "random" and "random order" not in data["record"]["reason"]
    assert "random" not in data["status"]["phase_text"]


def _ann_read_the_first_10(review, opened):
    """Ann, signed in, screened the review's first 10 records (1 include): (the project's folder, her client, her form
    token, the record ids in order)."""
    directory, _ = review
    app = opened(directory)
    c, token = login(app, "Ann")
    ids = list(app.extensions["screener"].records().index)
    decide(c, token, ids[0], "include")
    for rid in ids[1:10]:
        decide(c, token, rid, "exclude")
    return directory, c, token, ids


def test_the_screening_counter_counts_the_rest_excluded_at_the_stop_as_not_screened(review, opened, tmp_path):
    """'label rest.csv --decision exclude' on the records left at the stop, run in a terminal while the
    server runs: the screening page, /api/next and /api/status counted them as screened ('60 of 60',
    0 left, 'status' read '10 of 60 ... 50 excluded unscreened'); a decision entered on one later
    counts it as screened, as 'status' does."""
    from screener.labels import import_labels
    from screener.status import screening_counts

    directory, c, token, ids = _ann_read_the_first_10(review, opened)
    rest = tmp_path / "rest.csv"
    pd.DataFrame({"record_id": ids[10:]}).to_csv(rest, index=False)
    with Project.open(directory) as p:  # another process: 'screener label' in a terminal
        import_labels(p, rest, decision="exclude")
        truth = screening_counts(p)
    k = len(ids) - 10
    assert (truth.screened, truth.excluded_unscreened, truth.left) == (10, k, 0)
    want = {"screened": 10, "included": 1, "excluded": 9, "maybe": 0, "left": 0, "total": len(ids),
            "excluded_unscreened": k}
    data = c.get("/api/next").get_json()
    assert data["done"] and data["counts"] == want
    assert c.get("/api/status").get_json()["counts"] == want
    page = " ".join(c.get("/screen").get_data(as_text=True).split())
    assert 'Records screened: <strong id="n-screened">10</strong> of <span id="n-total">60</span>' in page
    assert f'<strong id="n-unscreened">{k}</strong>' in page
    dash = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert "<strong>10</strong> of 60 records screened" in dash and f"{k} records excluded without screening" in dash
    decide(c, token, ids[10], "include")  # read after all: screened
    got = c.get("/api/status").get_json()["counts"]
    assert (got["screened"], got["included"], got["excluded_unscreened"], got["left"]) == (11, 2, k - 1, 0)
    # a server started afterwards reads the same from the log
    app2 = opened(directory)
    c2, _ = login(app2, "Bob")
    assert c2.get("/api/status").get_json()["counts"] == {**want, "screened": 11, "included": 2,
                                                         "excluded_unscreened": k - 1}


def test_a_protocol_set_while_serving_ranks_the_screening_page(tmp_path, opened):
    """'screener protocol' run in a terminal while 'screener serve' ran: 'next' ranked by the new
    protocol, but the screening page kept the old one, its first record and its 'Why' (protocol terms:
    harm reduction, peer support ...) until the server was restarted, a decision made no difference.
    The page now ranks by the protocol in force and names its terms."""
    import time

    directory, _ = build_project(tmp_path / "review")
    app = opened(directory)
    eng = app.extensions["screener"]
    c, _ = login(app, "Ann")
    assert "harm reduction" in c.get("/api/next").get_json()["record"]["reason"]
    new = tmp_path / "new-protocol.txt"
    new.write_text("Question: insulin dosing in cardiac surgery\nKey terms: insulin dosing, cardiac surgery\n",
                   encoding="utf-8")
    with Project.open(directory) as other:  # another terminal
        other.set_protocol(new)
    deadline = time.monotonic() + 30
    while True:
        why = c.get("/api/next").get_json()["record"]["reason"]
        if "insulin dosing" in why or "cardiac surgery" in why or time.monotonic() > deadline:
            break
        eng.wait_ready(5)
        time.sleep(0.2)
    assert why.startswith("protocol terms:") and ("insulin dosing" in why or "cardiac surgery" in why)
    assert "harm reduction" not in why and "peer support" not in why


def test_the_ranking_card_of_a_protocol_with_no_key_terms_names_no_key_terms(tmp_path, opened):
    """A protocol that is only the review question (no key terms) ranked the page by its match to the
    question, but the ranking card said 'by the protocol's key terms (no include yet)': terms it has
    not got. It says what ranks: the match to the protocol."""
    directory, _ = build_project(tmp_path / "review")
    question = tmp_path / "question.txt"
    question.write_text("How do peer workers experience harm reduction services?\n", encoding="utf-8")
    with Project.open(directory) as p:
        p.set_protocol(question)
        assert not p.protocol.key_terms
    app = opened(directory)
    c, _ = login(app, "Ann")
    status = c.get("/api/next").get_json()["status"]
    assert status["phase"] == "protocol"
    assert "key terms" not in status["phase_text"] and "match to the protocol" in status["phase_text"]


def test_the_dashboards_progress_counts_a_search_update_imported_from_a_terminal(review, opened, tmp_path):
    """While 'screener serve' ran, a teammate imported a search update in a terminal. The dashboard's
    PRISMA box said 70 records to screen while its Progress line still said '4 of 60 records
    screened' (7%), until someone opened the screening page: the dashboard now counts the update too."""
    from webtestdata import make_records, write_csv

    directory, truth = review
    app = opened(directory)
    c, token = login(app, "ana")
    for rid in list(truth)[:4]:
        decide(c, token, rid, "exclude")
    assert "4 of 60 records screened" in " ".join(re.sub("<[^>]+>", " ", c.get("/dashboard").get_data(
        as_text=True)).split())
    rows, _ = make_records(70, seed=1)
    for i, row in enumerate(rows):
        row["title"], row["doi"] = f"Search update study {i}: {row['title']}", f"10.9999/update.{i}"
    with Project.open(directory) as terminal:
        terminal.import_files([write_csv(rows[60:], tmp_path / "update.csv")], source_db="Update")
    page = " ".join(re.sub("<[^>]+>", " ", c.get("/dashboard").get_data(as_text=True)).split())
    assert "Records to screen (title/abstract) 70" in page
    assert "4 of 70 records screened" in page, page[:600]


def test_records_search_takes_a_quoted_phrase(review, opened):
    """A search typed as most search boxes take it, "knee replacement" in quotes (or pasted with
    a word processor's curly quotes), found 0 records: the quotes were searched for as characters
    of the text. A quoted phrase is now searched for as it is written."""
    directory, truth = review
    app = opened(directory)
    c, _ = login(app, "Ann")

    def found(q):
        page = c.get("/records", query_string={"q": q}).get_data(as_text=True)
        return re.findall(r'<tr data-record-id="(\d+)"', page)

    plain = found("knee replacement")
    assert plain
    assert found('"knee replacement"') == plain
    assert found("\u201cknee replacement\u201d") == plain
    assert found('"knee replacement') == plain  # the closing quote left off
    assert found("replacement knee") == plain and found('"replacement knee"') == []  # a phrase, as written
    both = found('"knee replacement" mortality')
    assert both and set(both) <= set(plain)
    page = c.get("/records", query_string={"q": '"knee replacement"'}).get_data(as_text=True)
    assert re.search(r'name="q" value="(&#34;|&quot;)knee replacement(&#34;|&quot;)"', page)  # the box keeps it


def test_the_dashboard_says_which_includes_were_found_after_the_stop(review, opened, tmp_path):
    """The rest excluded at the stop, then one of its records read and labelled 'include': the progress card read
    '2 includes' while the recall card, its 'includes probably still unscreened' and the recall curve (subtitle
    '10 of 60 records screened') read the stop, with 1 include, with no word of which was which. The counts now
    say the include found after the stop, and the estimate and the curve say they are the reading at the stop."""
    from screener.labels import import_labels

    directory, truth = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:30]:
            p.decide(rid, "include" if truth[rid] else "exclude")
        rest = tmp_path / "rest.csv"
        pd.DataFrame({"record_id": ids[30:]}).to_csv(rest, index=False)
        import_labels(p, rest, decision="exclude")
        found = tmp_path / "found.csv"
        late = next(r for r in ids[30:] if truth[r])  # an include the stop had missed
        found.write_text(f"record_id,decision\n{late},include\n")
        import_labels(p, found)
    k, n = len(ids) - 31, sum(truth[r] for r in ids[:30])
    c, _ = login(opened(directory), "Ann")
    page = unescape(" ".join(c.get("/dashboard").get_data(as_text=True).split()))
    assert "<strong>31</strong> of 60 records screened" in page
    assert f"{n + 1} includes (1 found after the stop, record {late}) · 0 maybe · {30 - n} excludes" in page
    assert f"{k} records excluded without screening when screening stopped" in page
    assert (f"the recall below is the one estimated at the stop, from the 30 records screened and the {n} includes "
            "found by then (the 1 include found after the stop is not in it)." in page)
    assert "Estimated recall at the stop" in page and "Includes probably still unscreened" not in page
    with Project.open(directory) as p:
        from screener.web.dashboard import curve_subtitle, stopping_summary

        sub = curve_subtitle(stopping_summary(p), dual=False)
    assert sub == ("30 of 60 records screened at the stop (all reviewers); a maybe counts as found; "
                   "the 1 include found after the stop is not in the curve")


def test_a_reviewers_own_includes_are_not_credited_with_the_teams_include_found_after_the_stop(dual_review, opened,
                                                                                                 tmp_path):
    """Dual screening, both reviewers stopped with the rest excluded unread and the owner ended the blinding. Ana
    then read one of the rest and included it; Ben's stays an unread exclude and the owner settled the conflict as
    include. Ben's progress card, his own counts, read '10 includes (1 found after the stop, record 11)', though
    record 11 is none of his includes: the team's find after the stop is said beside the team's counts only."""
    from screener.conflicts import Resolution, end_blinding, resolve
    from screener.labels import import_labels

    directory, truth = dual_review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        rest = tmp_path / "rest.csv"
        pd.DataFrame({"record_id": ids[10:]}).to_csv(rest, index=False)
        for who in ("Ana", "Ben"):
            for rid in ids[:10]:
                p.decide(rid, "include" if truth[rid] else "exclude", reviewer=who)
            import_labels(p, rest, reviewer=who, decision="exclude")
        end_blinding(p, "title_abstract", "Olga")
        late = next(r for r in ids[10:] if truth[r])
        found = tmp_path / "found.csv"
        found.write_text(f"record_id,decision\n{late},include\n")
        import_labels(p, found, reviewer="Ana")
        resolve(p, [Resolution(late, "include")], "Olga")
    n = sum(truth[r] for r in ids[:10])
    app = opened(directory)
    ben, _ = login(app, "Ben")
    page = unescape(" ".join(ben.get("/dashboard").get_data(as_text=True).split()))
    assert "<strong>10</strong> of 60 records screened by you" in page
    assert f"{n} includes · 0 maybe · {10 - n} excludes" in page, page
    assert "found after the stop, record" not in page.split('id="progress"')[1].split("</section>")[0]
    owner, _ = login(app, "Olga", "owner")  # the team's counts still say it
    page = unescape(" ".join(owner.get("/dashboard").get_data(as_text=True).split()))
    assert f"{n + 1} includes (1 found after the stop, record {late}) · 0 maybe" in page, page


def test_the_command_lines_on_the_accounts_pages_name_this_review(tmp_path, opened):
    """The Accounts, Sign-in and Conflicts pages said 'screener user add DIR NAME --role reviewer', 'screener user
    password DIR NAME' and 'screener init DIR --mode dual': 'DIR' left the owner to guess what to type. They name
    this review's folder (quoted for the terminal where it holds a space; the sign-in page, open to anyone, its name
    alone), or a new review's, as in the README."""
    import shlex

    directory, _ = build_project(tmp_path / "peer work review", mode="dual")
    where = shlex.quote(str(directory.resolve()))
    assert where.startswith("'")  # the space is quoted
    app = opened(directory)
    owner, _ = login(app, "Olga", "owner")
    page = unescape(owner.get("/users").get_data(as_text=True))
    assert f"screener user add {where} NAME --role reviewer" in page
    assert f"screener user disable {where} NAME" in page
    page = unescape(app.test_client().get("/login").get_data(as_text=True))
    assert "screener user password 'peer work review' NAME" in page  # the folder, not where it lies: anyone sees it
    assert str(directory.parent) not in page
    single, _ = build_project(tmp_path / "single")
    ann, _ = login(opened(single), "Ann")
    page = unescape(page_text(ann.get("/conflicts")))  # 'DIR' looked for outside the random form tokens
    assert "screener init my-dual-review --mode dual" in page and "DIR" not in page


def test_a_records_page_names_its_type_in_words(tmp_path, opened):
    """A record's page showed the RIS type code ('· ELEC', '· JOUR'); it names the type ('Web page', 'Journal
    article'), and a type the export wrote in words (an erratum, 'Journal Article' from a CSV) as it was."""
    directory, _ = build_project(tmp_path / "review", n=20)
    ris = tmp_path / "update.ris"
    ris.write_text("".join(
        f"TY  - {ty}\nTI  - Peer workers in harm reduction services: record {i}\nPY  - 2021\n{extra}ER  - \n\n"
        for i, (ty, extra) in enumerate([("ELEC", ""), ("JOUR", ""), ("CHAP", ""), ("JOUR", "M3  - Erratum\n"),
                                         ("ejour", "")])), encoding="utf-8")
    with Project.open(directory) as p:
        p.import_files([ris], source_db="Google Scholar")
        ids = list(p.records_frame().query("source_db == 'Google Scholar'").index)
    app = opened(directory)
    ann, _ = login(app, "Ann")
    shown = []
    for rid in ids:
        page = unescape(ann.get(f"/records/{rid}").get_data(as_text=True))
        shown.append(re.search(rf'<p class="muted small">Record {rid} · source Google Scholar · ([^<·]+?)\s*[<·]',
                               page).group(1))
    assert shown == ["Web page", "Journal article", "Book chapter", "Erratum", "Electronic article"], shown


def test_the_dashboard_counts_decisions_as_status_does(review, opened):
    """The dashboard read '2 includes · 1 excluded · 1 maybe' where 'screener status' says
    '(2 includes, 1 maybe, 1 exclude)': one noun for each decision, in one order. (How often the ranking was
    updated, once '1 model fits', is checked below.)"""
    app = opened(review[0])
    c, token = login(app, "Ann")
    for rid, decision in ((1, "include"), (2, "include"), (3, "maybe"), (4, "exclude")):
        assert c.post(f"/records/{rid}/decision", data={"decision": decision, "csrf_token": token}).status_code == 302
    page = unescape(" ".join(re.sub(r"<[^>]+>", " ", c.get("/dashboard").get_data(as_text=True)).split()))
    assert "2 includes · 1 maybe · 1 exclude" in page, page


@pytest.mark.parametrize("page", ["/screen", "/dashboard"])
def test_the_ranking_card_says_how_often_the_ranking_was_updated_in_plain_words(review, opened, page):
    """The screening page read 'Ranking: ... · 1 model fits' (the dashboard, fixed before, '1 model fit'):
    a count with the wrong noun, in a statistician's word. Both now say 'updated 1 time', '2 times'."""
    app = opened(review[0])
    eng = app.extensions["screener"]
    c, _ = login(app, "Ann")
    assert eng.wait_idle(60)
    for n, said in ((1, "updated 1 time"), (2, "updated 2 times")):
        eng.rank.retrains = n
        text = " ".join(re.sub(r"<[^>]+>", " ", page_text(c.get(page))).split())
        assert said in text and "model fit" not in text, text


def test_the_last_records_read_here_after_the_rest_excluded_with_one_decision_count_that_file_with_the_rest(
        review, opened, tmp_path):
    """10 of 60 records screened, the 50 left exported, 11 kept back to read and the other 39 excluded unread with
    'label rest.csv --decision exclude' (more than a few kept back: a list of its own, counted as screened), then
    the 11 read here: the page said 60 of 60 screened and 'screener status' 'Every record has been screened',
    recall 100%, with 39 records never read. The decision that leaves no record left counts that file with the
    rest (excluded unscreened), as 'label' does, and the page says so."""
    from screener.labels import import_labels
    from screener.status import screening_counts

    directory, c, token, ids = _ann_read_the_first_10(review, opened)
    rest = tmp_path / "rest.csv"
    pd.DataFrame({"record_id": ids[21:]}).to_csv(rest, index=False)
    with Project.open(directory) as p:  # another process: 'screener label' in a terminal
        import_labels(p, rest, decision="exclude")
        c0 = screening_counts(p)
    assert (c0.screened, c0.excluded_unscreened, c0.left) == (49, 0, 11)  # a list of its own, read as screened
    for rid in ids[10:20]:
        assert "message" not in decide(c, token, rid, "exclude")
    data = decide(c, token, ids[20], "include")
    said = " ".join(data.get("message", "").split())
    assert said.startswith("Note: the 39 excludes of rest.csv, labelled just before your last decisions here"), data
    assert data["counts"]["screened"] == 21 and data["counts"]["excluded_unscreened"] == 39, data["counts"]
    with Project.open(directory) as p:
        truth = screening_counts(p)
        assert (truth.screened, truth.excluded_unscreened, truth.left) == (21, 39, 0)
        assert p.prisma_counts()["not_screened"] == 39
    assert c.get("/api/status").get_json()["counts"]["excluded_unscreened"] == 39


def test_dual_a_reviewers_last_records_read_here_count_their_file_of_one_decision_with_their_rest(
        dual_review, opened, tmp_path):
    """Dual screening: Ann screened 10 of 60 records, excluded 39 of the 50 she had left unread ('label --reviewer
    Ann --decision exclude', 11 kept back: more than a few, a list of its own) and read the 11 here. Her 39 unread
    excludes stayed counted as screened by her; her decision that leaves her no record left counts them with her
    rest (excluded unscreened by her), and Bob, who has screened nothing, is left as he was."""
    from screener.labels import import_labels
    from screener.status import screening_counts

    directory, truth = dual_review
    ids = sorted(truth)
    with Project.open(directory) as p:
        for rid in ids[:10]:
            p.decide(rid, "include" if truth[rid] else "exclude", reviewer="Ann")
        pd.DataFrame({"record_id": ids[21:]}).to_csv(tmp_path / "rest.csv", index=False)
        import_labels(p, tmp_path / "rest.csv", reviewer="Ann", decision="exclude")
    app = opened(directory)
    ann, token = login(app, "Ann")
    for rid in ids[10:20]:
        assert "message" not in decide(ann, token, rid, "exclude")
    data = decide(ann, token, ids[20], "exclude")
    assert " ".join(data.get("message", "").split()).startswith("Note: the 39 excludes of rest.csv"), data
    assert (data["counts"]["screened"], data["counts"]["excluded_unscreened"], data["counts"]["left"]) == (21, 39, 0)
    with Project.open(directory) as p:
        own = screening_counts(p, reviewer="Ann")
        assert (own.screened, own.excluded_unscreened, own.left) == (21, 39, 0)
        bob = screening_counts(p, reviewer="Bob")
        assert (bob.screened, bob.excluded_unscreened, bob.left) == (0, 0, 60)


def test_the_last_record_decided_on_its_own_page_after_the_rest_excluded_with_one_decision_counts_that_file(
        review, opened, tmp_path):
    """As above, but the last of the 11 kept back is decided on its record's page (Records, then the record) rather
    than on the screening page: that save ran the look-back too but said nothing, so the reviewer saw 60 of 60
    screened without knowing why the 39 are now counted as the rest. The page the form leads back to says so, in
    the words of the screening page."""
    from screener.labels import import_labels
    from screener.status import screening_counts

    directory, c, token, ids = _ann_read_the_first_10(review, opened)
    pd.DataFrame({"record_id": ids[21:]}).to_csv(tmp_path / "rest.csv", index=False)
    with Project.open(directory) as p:  # another process: 'screener label' in a terminal
        import_labels(p, tmp_path / "rest.csv", decision="exclude")
    for rid in ids[10:20]:
        assert "message" not in decide(c, token, rid, "exclude")
    last = ids[20]
    r = c.post(f"/records/{last}/decision", data={"decision": "include", "csrf_token": token, "shown": "",
                                                  "next": f"/records/{last}"})
    assert r.status_code == 302
    page = " ".join(c.get(r.headers["Location"]).get_data(as_text=True).split())
    assert "Note: the 39 excludes of rest.csv, labelled just before your last decisions here" in page, page
    assert "Note: the 39" not in c.get(f"/records/{last}").get_data(as_text=True)  # said once
    with Project.open(directory) as p:
        truth = screening_counts(p)
        assert (truth.screened, truth.excluded_unscreened, truth.left) == (21, 39, 0)


def test_single_a_team_splitting_the_work_counts_the_file_of_one_decision_with_the_rest(review, opened, tmp_path):
    """Single screening, two accounts sharing the work: Ann screened 10 of 60 records, the 39 of the 50 left not
    kept back were excluded unread with one decision ('label rest.csv --decision exclude'), and Ann and Bob read
    the 11 kept back between them. The decision that leaves the team no record left (Bob's, with Ann's before it)
    counts that file with the rest, as one reviewer's would."""
    from screener.labels import import_labels
    from screener.status import screening_counts

    directory, _ = review
    app = opened(directory)
    ann, token = login(app, "Ann")
    bob, bob_token = login(app, "Bob")
    ids = list(app.extensions["screener"].records().index)
    decide(ann, token, ids[0], "include")
    for rid in ids[1:10]:
        decide(ann, token, rid, "exclude")
    pd.DataFrame({"record_id": ids[21:]}).to_csv(tmp_path / "rest.csv", index=False)
    with Project.open(directory) as p:
        import_labels(p, tmp_path / "rest.csv", decision="exclude")
    for rid in ids[10:15]:
        assert "message" not in decide(ann, token, rid, "exclude")
    for rid in ids[15:20]:
        assert "message" not in decide(bob, bob_token, rid, "exclude")
    data = decide(bob, bob_token, ids[20], "include")
    assert " ".join(data.get("message", "").split()).startswith("Note: the 39 excludes of rest.csv"), data
    with Project.open(directory) as p:
        truth = screening_counts(p)
        assert (truth.screened, truth.excluded_unscreened, truth.left) == (21, 39, 0)


def test_the_dashboard_at_the_stop_counts_a_maybe_as_a_maybe(tmp_path, toy_review, opened):
    """30 records screened with 2 includes and 1 maybe, the rest excluded unread: the dashboard's note read
    'the 3 includes found by then'; the maybe is found for recall, but is no include, and is named a maybe."""
    d = tmp_path / "review"
    with Project.init(d) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=60, n_include=6)], column_map={"label": None})
        for rid in range(1, 31):
            p.decide(rid, {1: "include", 11: "include", 21: "maybe"}.get(rid, "exclude"))
    exclude_the_rest_unread(d, tmp_path)
    c, _ = login(opened(d), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    note = " ".join(re.sub(r"<[^>]+>", " ", re.search(r'id="excluded-unscreened">(.*?)</p>', page).group(1)).split())
    assert "from the 30 records screened and the 2 includes and 1 maybe found by then" in note, note


def test_dashboard_share_screened_never_reads_100_percent_with_a_record_left(tmp_path, opened):
    """199 of 200 records screened read '(100%)' on the dashboard, as if every record were screened, with one
    left to screen; the share below 100% reads as such now ('(99.5%)')."""
    directory, truth = build_project(tmp_path / "big", n=200)
    with Project.open(directory) as p:
        for rid in list(truth)[:199]:
            p.decide(int(rid), "include" if truth[rid] else "exclude", reviewer="Ann")
    app = opened(directory)
    c, _ = login(app, "Ann")
    html = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert "<strong>199</strong> of 200 records screened (99.5%)" in html
    assert "(100%)" not in html


def _includes_first_screened(tmp_path, n_screened: int):
    """A 200-record review ranked with its includes first, the first ``n_screened`` of that ranking decided by Ann."""
    import numpy as np

    from screener.store import Decision

    directory, truth = build_project(tmp_path / "big", n=200)
    ids = list(truth)
    order = [r for r in ids if truth[r]] + [r for r in ids if not truth[r]]
    with Project.open(directory) as p:
        p.store.save_ranking({"phase": "model"}, pd.DataFrame({"record_id": order,
                                                               "score": np.linspace(1, 0, len(order))}), 0)
        p.decide_many([Decision(record_id=int(r), decision="include" if truth[r] else "exclude", reviewer="Ann")
                       for r in order[:n_screened]])
    return directory


def test_every_estimator_row_gives_the_includes_left_below_one_in_tenths(tmp_path, opened):
    """The 15 includes first and 150 excludes after them: the knee method's row read '98% ... 0', no include
    left beside a recall short of 100% (the figure is 0.23), where the report's table gives 0.2. The row gives it
    in tenths now, as 'screener status' and the report do."""
    directory = _includes_first_screened(tmp_path, 165)
    app = opened(directory)
    c, _ = login(app, "Ann")
    html = c.get("/dashboard").get_data(as_text=True)
    table = re.search(r"<summary>Every stopping method</summary>(.*?)</table>", html, re.S).group(1)
    rows = {re.sub("<[^>]+>", "", r[0]): [re.sub("<[^>]+>", "", x) for x in r[1:]]
            for r in (re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table))
            if r}
    knee = next(v for k, v in rows.items() if k.startswith("knee method"))
    assert knee[0] == "98%" and knee[2] == "0.2", rows


def test_the_dashboards_prisma_counts_say_the_records_left_at_the_stop_are_not_screened_by_the_rule(tmp_path, opened):
    """The stopping rule met with 35 records left: the report's PRISMA flow read 'Records not screened because
    the stopping rule was met (n = 35)', the dashboard's PRISMA counts 'Not screened yet 35', as if they were
    still to screen. The dashboard says the stopping rule was met too."""
    from screener.report import report_context

    directory = _includes_first_screened(tmp_path, 165)
    with Project.open(directory) as p:
        assert report_context(p)["stopped"]
    c, _ = login(opened(directory), "Ann")
    html = c.get("/dashboard").get_data(as_text=True)
    assert 'class="advice unconfirmed"' in html  # the model's stop, which the hypergeometric test does not share
    prisma = " ".join(re.sub(r"<[^>]+>", " ", html.split('id="prisma"', 1)[1].split("</table>", 1)[0]).split())
    assert "Not screened yet" not in prisma and "Not screened because the stopping rule was met 35" in prisma, prisma


def test_serving_a_review_without_records_says_to_import_them_not_that_ranking_failed(tmp_path, capsys, caplog):
    """'screener serve' on a review with no records said 'The first ranking may take a moment; the page shows
    the first record as soon as it is ready', then 'ranking failed: This project has no records yet', read as
    a fault. It now says there is nothing to screen yet, how to import, and that the pages show the records
    once they are imported (no restart); the server's terminal says no 'ranking failed'."""
    import logging

    from screener.cli.web_cmds import _announce

    directory = tmp_path / "empty"
    Project.init(directory).close()
    _announce(directory, "http://127.0.0.1:8000/", 1, 8, empty=True)
    said = " ".join(capsys.readouterr().out.split())
    assert "first ranking may take a moment" not in said, said
    assert "no records yet: import your search results with 'screener import" in said, said
    assert "once they are imported" in said and "no need to restart" in said, said
    with caplog.at_level(logging.INFO):
        project = Project.open(directory)
        app = create_app(project)
        eng = app.extensions["screener"]
        try:
            assert not eng.wait_ready(30) and "no records yet" in eng.error  # the pages say it
        finally:
            eng.stop()
            project.close()
    assert "ranking failed" not in caplog.text, caplog.text


def test_the_dashboard_says_the_recall_is_not_yet_estimable_before_any_include(tmp_path, toy_review, opened):
    """No include found yet: the dashboard gave the recall interval as '0%–100%' where 'screener status' says it
    is not yet estimable. It now says what status says, above and in every estimator's row that had one."""
    from screener.screening import ScreeningSession

    protocol = tmp_path / "protocol.toml"
    protocol.write_text('title = "Peer workers with lived experience in harm reduction services"\n', encoding="utf-8")
    with Project.init(tmp_path / "r", protocol=protocol) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=60, n_include=6)], column_map={"label": None})
        p.decide(int(ScreeningSession(p, embedding_model="none").next_batch(1, explain=False)["record_id"].iloc[0]),
                 "exclude")
    app = opened(tmp_path / "r")
    c, _ = login(app, "Ana")
    text = " ".join(re.sub(r"<[^>]+>", " ", c.get("/dashboard").get_data(as_text=True)).split())
    assert "0%–100%" not in text, text
    assert text.count("not yet estimable: no include found") >= 3, text  # above, model-based and hypergeometric


CHOOSE_SET = ("Choose one of included, excluded, maybe or unscreened (at title and abstract), or final (the studies "
              "included at full text).")


def test_a_mistyped_export_set_or_records_filter_says_the_closest_one_and_the_choices(review, opened):
    """'/export/records.csv?only=includd' was refused with the sets in words, no 'did you mean' as the terminal's
    'export --only' gives; '/records?decision=exlcude' listed every record with no word of 'exclude'; a decision
    form's 'exlcude' was 'Choose include, exclude or maybe.'."""
    directory, _ = review
    c, token = login(opened(directory), "Ann")
    rid = shown_id(c)
    r = c.post(f"/records/{rid}/decision", data={"decision": "exlcude", "csrf_token": token})
    said = unescape(page_text(r))
    assert r.status_code == 400 and "'exlcude' is not one of include, exclude, maybe. Did you mean 'exclude'?" in said
    r = c.get("/export/records.csv?only=includd")
    said = unescape(page_text(r))
    assert r.status_code == 400 and "Did you mean 'included'?" in said, said
    assert CHOOSE_SET in said, said
    said = unescape(page_text(c.get("/export/records.csv?only=zzzz")))
    assert "Did you mean" not in said and CHOOSE_SET in said, said
    assert said.count("unscreened") == 1, said  # the sets said once, not as names and again in words
    assert [name for name in EXPORT_SETS if name not in said] == [], said
    page = " ".join(unescape(page_text(c.get("/records?decision=exlcude"))).split())
    note = re.search(r'<p class="note" id="filter-not-applied">(.*?)</p>', page)
    assert note and "'exlcude' is not a decision to filter on" in note.group(1), page
    assert "Did you mean 'exclude'?" in note.group(1), note.group(1)
    note = re.search(r'<p class="note" id="filter-not-applied">(.*?)</p>',
                     " ".join(unescape(page_text(c.get("/records?decision=zzzz"))).split()))
    assert note and "Did you mean" not in note.group(1), note.group(1)


def test_the_dashboards_prisma_counts_say_the_records_not_checked_for_duplicates(tmp_path, opened):
    """12 records imported with 'import --no-dedup', 2 of them copies: the dashboard read 'Duplicates removed 0'
    and 'Records to screen 12' as if de-duplication had found none, where the report notes the 12 were not
    checked for duplicates. It now gives them a line of their own, with the report's number."""
    from webtestdata import make_records, write_csv

    from screener.report import build_report

    rows, _ = make_records(10, n_include=2)
    rows = rows + [dict(rows[0]), dict(rows[1])]
    directory = tmp_path / "review"
    with Project.init(directory, settings={"embedding_model": "none"}) as p:
        p.import_files([write_csv(rows, tmp_path / "records.csv")], source_db="TestDB", dedup=False)
        html = " ".join(build_report(p).split())
    assert "12 records were imported without de-duplication" in html
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    row = re.search(r'<tr id="prisma-not-deduplicated"><td>(.*?)</td><td class="num">(\d+)</td>', page)
    assert row and row.group(2) == "12", page[page.find('id="prisma"'):][:3000]
    assert row.group(1).startswith("Not checked for duplicates (imported without de-duplication")


def test_a_mistyped_source_or_duplicate_group_filter_is_refused_with_the_one_meant(review, opened):
    """'/records?source=TestBD' (for TestDB) listed '0 records', as if no record came from it, and
    '?group=duplicate' the same: each is refused with the closest choice and the choices, as the export is."""
    c, _ = login(opened(review[0]), "Ann")
    r = c.get("/records?source=TestBD")
    said = " ".join(unescape(page_text(r)).split())
    assert r.status_code == 400, said
    assert "'TestBD' is not one of TestDB. Did you mean 'TestDB'?" in said, said
    r = c.get("/records?group=duplicate")
    said = " ".join(unescape(page_text(r)).split())
    assert r.status_code == 400 and "Did you mean 'duplicates'?" in said, said
    listed = re.findall(r'<tr data-record-id="(\d+)"', c.get("/records?source=testdb").get_data(as_text=True))
    assert len(listed) > 0  # a database's name in other capitals is the same database, as before
    assert c.get("/records?group=duplicates").status_code == 200 and c.get("/records?group=3").status_code == 200


def test_an_export_in_a_mistyped_format_names_the_formats(review, opened):
    """'/export/records.cvs' was 'Not found: there is no such page or record here', as if there were no export."""
    c, _ = login(opened(review[0]), "Ann")
    r = c.get("/export/records.cvs?only=included")
    said = " ".join(unescape(page_text(r)).split())
    assert r.status_code == 404 and "'cvs' is not a format to export to. Did you mean 'csv'?" in said, said
    assert "/export/records.csv?only=included" in said, said


def test_the_export_as_a_tab_separated_table_downloads_as_the_command_writes_it(review, opened):
    """'screener export -o records.tsv' writes a tab-separated table, but '/export/records.tsv' was refused ("'tsv'
    is not a format to export to ... Export as csv, ris or xlsx"): the same review exported in a terminal and not
    in the browser. It downloads the CSV export's rows, separated by tabs."""
    c, _ = login(opened(review[0]), "Ann")
    r = c.get("/export/records.tsv")
    assert r.status_code == 200 and r.mimetype == "text/tab-separated-values", page_text(r)
    assert r.headers["Content-Disposition"].endswith("-records.tsv")
    tsv = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter="\t"))
    rows = list(csv.reader(io.StringIO(c.get("/export/records.csv").data.decode("utf-8-sig"))))
    assert tsv == rows and len(rows) > 1 and "record_id" in tsv[0]
    said = " ".join(unescape(page_text(c.get("/export/records.tvs"))).split())
    assert "Did you mean 'tsv'?" in said and "Export as csv, tsv, ris or xlsx" in said, said


@pytest.mark.parametrize("dedup, said", [(True, "3 new after de-duplication"),
                                         (False, "not checked for duplicates yet")])
def test_the_dashboards_prisma_counts_give_a_search_update_apart(tmp_path, opened, zone, dedup, said):
    """A search update imported after screening began: the dashboard's PRISMA counts put its records among the
    records identified with no word of it, where the report's flow now gives each search by the day it was
    imported. The dashboard gives the same lines: the first search's 60 records, the update's 4 (3 new). Imported
    with --no-dedup, the update read "4 new after de-duplication" of records never de-duplicated."""
    import sqlite3

    zone("UTC0")  # the days given are the reviewer's own: 12:00 UTC is the next day in Kiribati

    from webtestdata import build_project, make_records, write_csv

    directory, _ = build_project(tmp_path / "upd", xss=False)
    rows, _ = make_records(64)
    src = write_csv([*rows[60:63], dict(rows[5], source="TestDB")], tmp_path / "update.csv")
    with Project.open(directory) as p:
        p.decide(1, "exclude")
        p.import_files([src], source_db="TestDB", dedup=dedup)
    with sqlite3.connect(directory / "screener.sqlite") as con:
        con.execute("UPDATE sources SET imported_at = '2026-01-05T12:00:00.000+00:00' WHERE source_id = 1")
        con.execute("UPDATE decisions SET created_at = '2026-02-01T12:00:00.000+00:00'")
        con.execute("UPDATE sources SET imported_at = '2026-03-10T12:00:00.000+00:00' WHERE source_id = 2")
    con.close()
    app = opened(directory)
    c, _ = login(app, "Ann")
    card = re.search(r'id="prisma">(.*?)</section>', c.get("/dashboard").get_data(as_text=True), flags=re.S).group(1)
    lines = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in re.findall(r'<tr class="reason search">(.*?)</tr>',
                                                                                card, flags=re.S)]
    assert lines == ["&hellip; imported 2026-01-05 60",
                     f"&hellip; search update imported 2026-03-10, after screening began ({said}) 4"]


def test_the_dashboards_prisma_counts_of_a_review_screened_to_the_end_name_no_stop_for_0_records(tmp_path, opened):
    """Every record screened: the dashboard's PRISMA counts read 'Not screened because the stopping rule was met
    0', a stop that left nothing unscreened. As the report's flow ('Records not screened (n = 0)') it now reads
    'Not screened 0'."""
    from screener.report import report_context

    directory = _includes_first_screened(tmp_path, 200)
    with Project.open(directory) as p:
        ctx = report_context(p)
    assert ctx["p"]["not_screened"] == 0 and ctx["stopped"]
    c, _ = login(opened(directory), "Ann")
    html = c.get("/dashboard").get_data(as_text=True)
    prisma = " ".join(re.sub(r"<[^>]+>", " ", html.split('id="prisma"', 1)[1].split("</table>", 1)[0]).split())
    assert "stopping rule" not in prisma and "Not screened 0" in prisma, prisma


def _conflict_form(html: str, rid: int) -> dict:
    """The hidden fields of the Conflicts page's form that settles record ``rid``."""
    form = re.search(rf'<form method="post" action="/conflicts/{rid}/resolve".*?</form>', html, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_a_decision_form_sent_twice_is_logged_once(review, dual_review, opened):
    """A double click on Include in the records list, or the browser sending the form again (reload after a
    slow answer, 'Resubmit?'), logged the decision twice, and settling a conflict twice logged two
    resolutions: the log is the review's record of who decided what. Each form carries its own key now, so a
    form sent again is logged once; a second click of another choice on the same page still saves nothing
    unseen (the page showed the record undecided)."""
    directory, _ = review
    app = opened(directory)
    ann, _ = login(app, "Ann")
    for page in ("/records", "/records/5"):
        fields = _form_fields(ann.get(page).get_data(as_text=True), 5)
        for _ in range(2):
            assert ann.post("/records/5/decision", data={**fields, "decision": "maybe"}).status_code == 302
    assert list(log_of(directory).query("record_id == 5")["decision"]) == ["maybe", "maybe"]  # once per page
    r = ann.post("/records/5/decision", data={**fields, "decision": "exclude"})  # the page showed it maybe
    assert r.status_code == 302 and list(log_of(directory).query("record_id == 5")["decision"])[-1] == "exclude"
    # dual: the owner settles a conflict, and the form goes twice
    directory, truth = dual_review
    app = opened(directory)
    (owner, _), (ana, ta), (ben, tb) = login(app, "Olga", "owner"), login(app, "ana"), login(app, "ben")
    rid = list(truth)[1]
    decide(ana, ta, rid, "include")
    decide(ben, tb, rid, "exclude")
    fields = _conflict_form(owner.get("/conflicts?reveal=1").get_data(as_text=True), rid)
    for _ in range(2):
        assert owner.post(f"/conflicts/{rid}/resolve", data={**fields, "decision": "include"}).status_code == 302
    log = log_of(directory)
    assert len(log[(log["record_id"] == rid) & (log["role"] == "resolver")]) == 1


def test_a_form_kept_by_the_browser_saves_a_choice_made_again_after_a_withdrawal(review, opened):
    """Ann included record 5 on its page, withdrew the decision, went back in the browser to the page as it was
    and clicked Include again: the form's key was the one already logged, so nothing was saved and the record
    stood unscreened without a word. The form sent again is logged once only while its decision stands."""
    directory, _ = review
    app = opened(directory)
    ann, token = login(app, "Ann")
    kept = _form_fields(ann.get("/records/5").get_data(as_text=True), 5)
    assert ann.post("/records/5/decision", data={**kept, "decision": "include"}).status_code == 302
    fields = _form_fields(ann.get("/records/5").get_data(as_text=True), 5)
    assert ann.post("/records/5/decision", data={**fields, "decision": "retract"}).status_code == 302
    assert ann.post("/records/5/decision", data={**kept, "decision": "include"}).status_code == 302
    assert list(log_of(directory).query("record_id == 5")["decision"]) == ["include", "retract", "include"]
    assert app.extensions["screener"].own_decisions("Ann", fresh=True)[5] == "include"


def test_a_conflicts_page_kept_by_the_browser_settles_a_conflict_again_after_a_withdrawal(dual_review, opened):
    """The owner settled a conflict as include, withdrew that resolution on the record's page, went back in the
    browser to the Conflicts page as it was and clicked Include again: the form's key was the one already logged,
    so nothing was saved and the conflict stayed open without a word. It is settled again."""
    directory, truth = dual_review
    app = opened(directory)
    (owner, to), (ana, ta), (ben, tb) = login(app, "Olga", "owner"), login(app, "ana"), login(app, "ben")
    rid = list(truth)[1]
    decide(ana, ta, rid, "include")
    decide(ben, tb, rid, "exclude")
    kept = _conflict_form(owner.get("/conflicts?reveal=1").get_data(as_text=True), rid)
    assert owner.post(f"/conflicts/{rid}/resolve", data={**kept, "decision": "include"}).status_code == 302
    fields = _form_fields(owner.get(f"/records/{rid}").get_data(as_text=True), rid)
    assert owner.post(f"/records/{rid}/decision", data={**fields, "decision": "retract"}).status_code == 302
    project = app.config["SCREENER_PROJECT"]
    assert rid in set(project.conflicts()["record_id"])
    assert owner.post(f"/conflicts/{rid}/resolve", data={**kept, "decision": "include"}).status_code == 302
    assert rid not in set(project.conflicts()["record_id"])
    log = log_of(directory)
    assert list(log.loc[(log["record_id"] == rid) & (log["role"] == "resolver"), "decision"]) == [
        "include", "retract", "include"]


def test_a_form_kept_by_the_browser_sent_again_with_another_note_saves_that_note(dual_review, opened):
    """Ann included record N on its page, went back in the browser to the page as it was, wrote a note on why
    and clicked Include again: the form's key was the one already logged, so the note was dropped without a word
    (the log is where a reviewer's reasons are kept). The owner's resolution sent again with a reason was dropped
    the same way. A form sent again with the same words is still logged once."""
    directory, truth = dual_review
    app = opened(directory)
    (owner, _), (ana, ta), (ben, tb) = login(app, "Olga", "owner"), login(app, "ana"), login(app, "ben")
    rid, other = list(truth)[1], list(truth)[2]
    kept = _form_fields(ana.get(f"/records/{rid}").get_data(as_text=True), rid)
    for note in ("", "", "RCT, adults: fits the protocol"):
        assert ana.post(f"/records/{rid}/decision", data={**kept, "decision": "include", "note": note}
                        ).status_code == 302
    log = log_of(directory)
    mine = log[(log["record_id"] == rid) & (log["reviewer"] == "ana")]
    assert list(mine["decision"]) == ["include", "include"], mine
    assert mine["note"].iloc[-1] == "RCT, adults: fits the protocol"
    decide(ana, ta, other, "include")
    decide(ben, tb, other, "exclude")
    kept = _conflict_form(owner.get("/conflicts?reveal=1").get_data(as_text=True), other)
    for reason in ("", "", "wrong population"):
        assert owner.post(f"/conflicts/{other}/resolve", data={**kept, "decision": "exclude", "reason": reason}
                          ).status_code == 302
    log = log_of(directory)
    settled = log[(log["record_id"] == other) & (log["role"] == "resolver")]
    assert list(settled["decision"]) == ["exclude", "exclude"], settled
    assert settled["reason"].iloc[-1] == "wrong population"


def test_a_decision_refused_after_a_terminal_labelled_the_record_says_so(review, dual_review, opened, tmp_path):
    """Ann's screening page (and her records list) showed record N undecided; the owner then labelled it from a
    file in a terminal ('screener label') while the server ran. Ann's include was refused, rightly, with 'already
    marked exclude (in another tab or window, or by a teammate)': she had no other tab, and in dual screening the
    file was labelled under her own name. The refusal now says it came from a file labelled in a terminal."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    for (directory, _), extra in ((review, []), (dual_review, ["--reviewer", "ann"])):
        app = opened(directory)
        ann, token = login(app, "ann")
        rid = shown_id(ann)
        fields = _form_fields(ann.get("/records").get_data(as_text=True), rid)
        pd.DataFrame({"record_id": [rid], "decision": ["exclude"]}).to_csv(tmp_path / "mine.csv", index=False)
        r = CliRunner().invoke(cli, ["label", str(directory), str(tmp_path / "mine.csv"), *extra])
        assert r.exit_code == 0, r.output
        said = ann.post("/api/decide", json={"record_id": rid, "decision": "include", "expect": "undecided"},
                        headers={"X-CSRF-Token": token})
        assert said.status_code == 409
        words = said.get_json()["error"]
        assert f"Record {rid} was already marked exclude" in words and "another tab" not in words, words
        assert "'screener label'" in words and "mine.csv" in words, words
        page = ann.post(f"/records/{rid}/decision", data={**fields, "decision": "include"})
        assert page.status_code == 409
        words = " ".join(unescape(page.get_data(as_text=True)).split())
        assert "another tab" not in words and "'screener label'" in words and "mine.csv" in words, words
        assert list(log_of(directory).query(f"record_id == {rid}")["decision"]) == ["exclude"]


def test_the_counts_follow_the_later_of_two_decisions_saved_a_moment_apart(review, opened, monkeypatch):
    """Ann's include on record 5 was saved; before her request noted it in the server's memory, Bob (his records
    list now showing it included) changed it to exclude, saved it and saw it on his record's page. Ann's note came
    last, so the server held 'include' where the log's latest is Bob's exclude: the records list, the counts and
    the queue said included until the next ranking. A decision the server has already read from the log, with
    one after it, is no longer noted over that one."""
    directory, _ = review
    app = opened(directory)
    eng = app.extensions["screener"]
    ann, ta = login(app, "Ann")
    bob, tb = login(app, "Bob")
    monkeypatch.setattr(eng, "request_rerank", lambda: None)  # no ranking re-reads the log meanwhile
    append = eng._append
    bobs = []

    def saved_then_overtaken(d, *args, **kwargs):
        ids = append(d, *args, **kwargs)
        if d.reviewer == "Ann":  # saved; Bob's change lands before Ann's request notes hers
            fields = _form_fields(bob.get("/records").get_data(as_text=True), 5)
            assert fields["shown"] == "include"
            bobs.append(bob.post("/records/5/decision", data={**fields, "decision": "exclude"}).status_code)
            assert "Decision: exclude" in " ".join(re.sub(r"<[^>]+>", " ", bob.get("/records/5").get_data(
                as_text=True)).split())  # his page, read after his save, shows it
        return ids

    monkeypatch.setattr(eng, "_append", saved_then_overtaken)
    assert ann.post("/api/decide", json={"record_id": 5, "decision": "include", "expect": "undecided"},
                    headers={"X-CSRF-Token": ta}).status_code == 200
    assert bobs == [302]
    assert list(log_of(directory).query("record_id == 5")["decision"]) == ["include", "exclude"]
    assert eng.own_decisions("Ann", fresh=True)[5] == "exclude"
    counts = ann.get("/api/status").get_json()["counts"]
    assert (counts["included"], counts["excluded"]) == (0, 1)


def test_the_dashboards_prisma_counts_of_an_updated_review_give_the_previous_and_total_studies(review, opened):
    """A review updating an earlier one (12 studies, 15 reports): the report's flow gives the previous version's
    studies, the new ones and the total, while the dashboard's PRISMA counts read as a new review's ('Studies
    included in review 2'). They now give the report's lines, with the report's numbers."""
    from screener.report import build_report

    directory, _ = review
    with Project.open(directory) as p:
        ids = list(p.records_frame().index)
        for rid in ids[:3]:
            p.decide(rid, "include")
        p.decide(ids[0], "include", stage="full_text")
        p.decide(ids[1], "include", stage="full_text")
        p.decide(ids[2], "exclude", stage="full_text", reason="wrong population")
        p.set_previous_version(12, 15)
        html = " ".join(re.sub(r"<[^>]+>", " ", build_report(p)).split())
    c, _ = login(opened(directory), "Ann")
    page = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    rows = {k: (w, int(n)) for k, w, n in
            re.findall(r'<tr id="prisma-([a-z-]+)"><t[hd]>(.*?)</t[hd]><td class="num">(\d+)</td>', page)}
    for key, words, n in (("previous", "Studies included in previous version of review", 12),
                          ("previous-reports", "Reports of studies included in previous version of review", 15),
                          ("studies-included", "New studies included in review", 2),
                          ("new-reports", "Reports of new included studies", 2),
                          ("total-included", "Total studies included in review", 14),
                          ("total-reports", "Reports of total included studies", 17)):
        assert rows.get(key, ("", -1)) == (words, n), (key, rows)
        assert f"{words} (n = {n})" in html, (words, html)


def test_serving_behind_a_proxy_on_this_computer_only_does_not_say_other_machines_reach_it(tmp_path, capsys,
                                                                                            monkeypatch):
    """'screener serve --public-url https://...' on the default address (127.0.0.1) said 'This address is reachable
    from other machines', though the server listens on this computer only, reached through the reverse proxy. It
    says so; on 0.0.0.0 the server itself is reachable from other machines, and that is still said."""
    from gunicorn.app.base import BaseApplication

    from screener.cli.web_cmds import run_server

    monkeypatch.setattr(BaseApplication, "run", lambda self: self.cfg.when_ready(None))  # started: no serving
    directory = tmp_path / "proxied"
    Project.init(directory).close()
    run_server(directory, port=0, public_url="https://screen.example.org/review")
    said = " ".join(capsys.readouterr().out.split())
    assert "https://screen.example.org/review/?token=" in said, said
    assert "reachable from other machines" not in said, said
    assert ("The server listens on 127.0.0.1 (this computer only): reviewers reach it through the reverse proxy at "
            "this address.") in said, said
    run_server(directory, host="0.0.0.0", port=0, public_url="https://screen.example.org/review")
    said = " ".join(capsys.readouterr().out.split())
    assert "This address is reachable from other machines." in said, said


def test_a_decision_logs_the_ranking_its_page_showed_the_record_from(review, opened):
    """Ana's page showed a record from the ranking then stored; Ben's decisions meanwhile made the server retrain
    and store a newer one. Her decision was logged with the newer ranking, so the stop advice read her pick
    against an order she never saw (below its top, the records it put above hers passed over). The page sends
    the ranking it showed the record from, and that one is logged; one that is no stored ranking is not."""
    directory, truth = review
    app = opened(directory)
    eng = app.extensions["screener"]
    ana, ta = login(app, "ana")
    ben, tb = login(app, "ben")
    shown = ana.get("/api/next").get_json()["record"]
    first = eng.project.store.latest_ranking_id()
    assert shown["ranking_id"] == first is not None
    html = ana.get("/screen").get_data(as_text=True)
    assert f'data-ranking-id="{first}"' in html  # the screening page keeps it for its keys and buttons
    for _ in range(30):  # until Ben's decisions made a newer ranking
        rid = shown_id(ben)
        decide(ben, tb, rid, "include" if truth[rid] else "exclude")
        assert eng.wait_idle(60)
        if eng.project.store.latest_ranking_id() != first:
            break
    newer = eng.project.store.latest_ranking_id()
    assert newer != first
    r = ana.post("/api/decide", json={"record_id": shown["record_id"], "decision": "exclude", "expect": "undecided",
                                      "ranking_id": shown["ranking_id"]}, headers={"X-CSRF-Token": ta})
    assert r.status_code == 200, r.get_data(as_text=True)
    later = r.get_json()["record"]
    assert later["ranking_id"] == newer
    # a ranking id no ranking was stored under (a page from before a restore, a mistyped one): the one that picked it
    r = ana.post("/api/decide", json={"record_id": later["record_id"], "decision": "exclude", "ranking_id": 999},
                 headers={"X-CSRF-Token": ta})
    assert r.status_code == 200, r.get_data(as_text=True)
    log = eng.project.decision_log().set_index("record_id")["ranking_id"]
    assert int(log[shown["record_id"]]) == first and int(log[later["record_id"]]) == newer


def test_a_blind_reviewers_decision_logs_the_ranking_without_her_page_being_told_it(dual_review, opened):
    """Dual screening: a ranking is stored when the team's decisions change, so a blind reviewer's page told which
    ranking it showed would see a new one after her decision when it settled a study with the other's. Her page is
    not told; her decision is still logged with the ranking her record was picked from, not the newer one the
    others' agreements made meanwhile."""
    directory, truth = dual_review
    app = opened(directory)
    eng = app.extensions["screener"]
    ana, ta = login(app, "ana")
    shown = ana.get("/api/next").get_json()["record"]
    assert shown["ranking_id"] is None
    page = ana.get("/screen").get_data(as_text=True)
    assert 'data-ranking-id=""' in page and re.search(r'data-pick="[^"]+"', page), page  # sealed: any process reads it
    first = eng.project.store.latest_ranking_id()
    (ben, tb), (cara, tc) = login(app, "ben"), login(app, "cara")
    for rid in sorted(truth):  # ben and cara agree: the team's decisions change, a newer ranking is stored
        if rid == shown["record_id"]:
            continue
        for c, t in ((ben, tb), (cara, tc)):
            decide(c, t, rid, "include" if truth[rid] else "exclude")
        assert eng.wait_idle(60)
        if eng.project.store.latest_ranking_id() != first:
            break
    assert eng.project.store.latest_ranking_id() != first
    r = ana.post("/api/decide", json={"record_id": shown["record_id"], "decision": "exclude", "expect": "undecided"},
                 headers={"X-CSRF-Token": ta})
    assert r.status_code == 200, r.get_data(as_text=True)
    log = eng.project.decision_log()
    mine = log[(log["reviewer"] == "ana") & (log["record_id"] == shown["record_id"])]
    assert mine["ranking_id"].astype(int).tolist() == [first]


def test_a_record_asked_for_in_two_tabs_at_once_carries_the_ranking_it_was_picked_from(review, opened):
    """The record sent to the page said which stored ranking it was picked from by reading the reviewer's last pick
    after the pick: Ann asking for a next record in two tabs at the same moment could get the other tab's ranking,
    a newer one, and her decision was logged as picked from it. The id travels with the record picked now."""
    import dataclasses

    app = opened(review[0])
    eng = app.extensions["screener"]
    c, _ = login(app, "Ann")
    eng.rank = dataclasses.replace(eng.rank, ranking_id=101)
    fetch, other_tab = eng.record, []

    def record(rid):  # the first tab's record is read: the other tab's pick comes now, from a newer ranking
        if not other_tab:
            eng.rank = dataclasses.replace(eng.rank, ranking_id=202)
            other_tab.append(eng.next_pick("Ann"))
        return fetch(rid)

    eng.record = record
    rec = c.get("/api/next").get_json()["record"]
    assert other_tab[0][1] == 202 and rec["ranking_id"] == 101, (other_tab, rec["ranking_id"])


def test_a_blind_reviewers_sealed_pick_sent_with_a_teammates_decision_logs_no_ranking(dual_review, opened):
    """A blind reviewer's page carries the ranking that picked her record, sealed for the record alone: sent with a
    teammate's decision on that record (copied from her page), it was logged as the ranking his record came from,
    one that never showed it to him. A seal opens for the reviewer it was made for only."""
    from screener.web.security import open_pick, seal_pick

    directory, _ = dual_review
    app = opened(directory)
    eng = app.extensions["screener"]
    ana, _ = login(app, "ana")
    shown = ana.get("/api/next").get_json()["record"]
    assert shown["pick"]
    ben, tb = login(app, "ben")
    decide(ben, tb, shown["record_id"], "include")  # then his page holds another record
    assert ben.get("/api/next").get_json()["record"]["record_id"] != shown["record_id"]
    r = ben.post("/api/decide", json={"record_id": shown["record_id"], "decision": "exclude", "pick": shown["pick"]},
                 headers={"X-CSRF-Token": tb})  # changed, her seal copied in
    assert r.status_code == 200, r.get_data(as_text=True)
    log = eng.project.decision_log()
    his = log[(log["reviewer"] == "ben") & (log["record_id"] == shown["record_id"])]
    assert his["decision"].tolist()[-1] == "exclude" and pd.isna(his["ranking_id"].tolist()[-1]), his
    sealed = seal_pick("key", 7, 3, "ana")
    assert open_pick("key", sealed, 7, "ana") == 3 and open_pick("key", sealed, 7, "ben") is None


def test_the_dashboard_says_with_the_stop_when_the_hypergeometric_test_does_not_confirm_it(tmp_path, opened):
    """A stop on the model's estimate alone (the hypergeometric test wants 26 more records) was shown in green as
    the go-ahead, the test's wait in a note below: a hunt stopped there at 88.6% recall for a 95% target. The stop
    itself now says so, shown as a caution."""
    from screener.status import recall_status

    directory = _includes_first_screened(tmp_path, 165)
    with Project.open(directory) as p:
        st = recall_status(p)
    needs = st["estimates"]["hypergeometric"].needs
    assert st["advice"].stop and not st["estimates"]["hypergeometric"].stop and needs
    c, _ = login(opened(directory), "Ann")
    html = c.get("/dashboard").get_data(as_text=True)
    advice = " ".join(unescape(re.search(r'<p class="advice unconfirmed" id="advice">(.*?)</p>', html, re.S)
                               .group(1)).split())
    assert (f"you can stop with 95% recall (95% confidence), but the hypergeometric test, which assumes less, does "
            f"not confirm it yet: screen about {needs} more records to confirm it") in advice, advice
