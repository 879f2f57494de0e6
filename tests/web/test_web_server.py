"""Several server processes on one review (PostgreSQL): what one process writes or ranks, the
others see; no record goes to two reviewers at once; a request sent again is logged once; a
database restart answers 503 (retryable), not 500; and ``screener serve`` under gunicorn with
two workers survives one being killed."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pandas as pd
import pytest
from webtestdata import build_project, login, make_records, write_csv

from screener.errors import ScreenerError
from screener.project import Project
from screener.web.app import create_app

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def team_project(tmp_path, url, n=60, mode="single"):
    rows, truth = make_records(n)
    src = write_csv(rows, tmp_path / "records.csv")
    with Project.init(tmp_path / "team", database=url, settings={"embedding_model": "none", "mode": mode}) as p:
        p.import_files([src], source_db="TestDB")
        ids = list(p.records_frame().index)
    return tmp_path / "team", dict(zip(ids, truth))


@contextlib.contextmanager
def processes(directory, n=2):
    """``n`` apps with their own store and engine on one review: server processes, in one."""
    made = []
    try:
        for _ in range(n):
            project = Project.open(directory)
            app = create_app(project)
            made.append((app, app.extensions["screener"], project))
        for _, eng, _ in made:
            assert eng.wait_ready(120), eng.error
        yield made
    finally:
        for _, eng, project in made:
            eng.stop()
            project.close()


@pytest.fixture
def two_processes(tmp_path, pg_url):
    directory, truth = team_project(tmp_path, pg_url)
    with processes(directory) as made:
        yield directory, truth, made


def client(app, name):
    return login(app, name)


def decide(c, token, rid, decision="exclude", key=None):
    r = c.post("/api/decide", json={"record_id": rid, "decision": decision, "request_id": key},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_processes_share_decisions_claims_and_rankings(two_processes):
    directory, truth, ((app_a, eng_a, _), (app_b, eng_b, _)) = two_processes
    leaders = [eng_a.leading, eng_b.leading]
    assert sorted(leaders) == [False, True]  # one retrains for both
    ana, tok_a = client(app_a, "ana")
    ben, tok_b = client(app_b, "ben")
    first_a = ana.get("/api/next").get_json()["record"]["record_id"]
    first_b = ben.get("/api/next").get_json()["record"]["record_id"]
    assert first_a != first_b  # a record on ana's screen is not handed to ben by the other process
    seen = {first_a, first_b}
    rid_a, rid_b = first_a, first_b
    for _ in range(8):
        rid_a = decide(ana, tok_a, rid_a, "include" if truth[rid_a] else "exclude")["record"]["record_id"]
        rid_b = decide(ben, tok_b, rid_b, "include" if truth[rid_b] else "exclude")["record"]["record_id"]
        assert rid_a not in seen and rid_b not in seen and rid_a != rid_b  # nobody sees a decided record
        seen |= {rid_a, rid_b}
    counts = ben.get("/api/status").get_json()["counts"]
    assert counts["screened"] == 16  # ana's decisions, made in the other process, count for ben too
    # the follower takes the leader's stored ranking (with its explanations)
    leader, follower = (eng_a, eng_b) if eng_a.leading else (eng_b, eng_a)
    assert leader.wait_idle(60)
    stored = leader.project.store.latest_ranking_id()
    deadline = time.time() + 30
    while follower._ranking_id != stored and time.time() < deadline:
        time.sleep(0.2)
    assert follower._ranking_id == stored and follower.rank.generation >= 1

    def explained():
        top = [r for r in follower.rank.order if r not in follower.own_decisions("x")][:3]
        return all(follower.extras(r)["reason"] for r in top)

    while not explained() and time.time() < deadline + 30:  # the leader stores them just after the ranking
        time.sleep(0.2)
    assert explained()


def test_a_follower_counts_a_maybe_among_the_decisions_the_ranking_learnt_from(two_processes):
    """A maybe trains the ranking as an include: the leader's status counted it among the decisions learnt
    from, and a following process, which counts them from the decisions, did not (2 against 3)."""
    directory, truth, ((app_a, eng_a, _), (app_b, eng_b, _)) = two_processes
    leader, follower = (eng_a, eng_b) if eng_a.leading else (eng_b, eng_a)
    ana, tok = client(app_a if eng_a is leader else app_b, "ana")
    rid = ana.get("/api/next").get_json()["record"]["record_id"]
    for word in ("maybe", "include", "exclude"):
        rid = decide(ana, tok, rid, word)["record"]["record_id"]
    assert leader.wait_idle(60)
    stored = leader.project.store.latest_ranking_id()
    deadline = time.time() + 60
    while follower._ranking_id != stored and time.time() < deadline:
        follower.request_rerank()
        time.sleep(0.2)
    assert follower._ranking_id == stored
    assert leader.status()["n_labelled"] == follower.status()["n_labelled"] == 3


def test_a_withdrawal_in_one_process_leaves_the_teammates_decision_in_the_other(two_processes):
    """Single screening across server processes: ana includes (process A), ben excludes and then
    withdraws his (process B). Both processes show ana's include; each had made the study
    unscreened (the log's tail was read as 'a withdrawal empties the study')."""
    directory, truth, ((app_a, eng_a, _), (app_b, eng_b, _)) = two_processes
    ana, tok_a = client(app_a, "ana")
    ben, tok_b = client(app_b, "ben")
    rid = ana.get("/api/next").get_json()["record"]["record_id"]
    decide(ana, tok_a, rid, "include")
    decide(ben, tok_b, rid, "exclude")
    eng_a._catch_up()
    assert eng_a.own_decisions("ana")[rid] == "exclude"  # single screening: the latest decision counts
    r = ben.post(f"/records/{rid}/decision", data={"decision": "retract", "csrf_token": tok_b})
    assert r.status_code == 302, r.get_data(as_text=True)
    for eng in (eng_a, eng_b):
        eng._catch_up()
        assert eng.own_decisions("x").get(rid) == "include"


def test_a_session_signed_out_in_one_process_is_signed_out_in_the_others(tmp_path, pg_url):
    """gunicorn hands a reviewer's requests to any worker: 'Sign out' answered by one must end the
    session for all of them, or a copy of the cookie kept from before still works there."""
    directory, _ = team_project(tmp_path, pg_url, n=30, mode="dual")
    with processes(directory) as ((app_a, _, _), (app_b, _, _)):
        ana, token = login(app_a, "ana")
        name = app_a.config["SESSION_COOKIE_NAME"]
        kept = ana.get_cookie(name).value
        elsewhere = app_b.test_client()
        elsewhere.set_cookie(name, kept)
        assert elsewhere.get("/api/next").status_code == 200  # the same session, served by the other worker
        assert ana.post("/logout", data={"csrf_token": token}).status_code == 302
        assert elsewhere.get("/api/next").status_code == 401


def test_failed_sign_ins_count_across_server_processes(tmp_path, pg_url):
    """Each worker process kept its own count of failed sign-ins: five guesses per process."""
    from webtestdata import PASSWORD, form_token

    from screener.accounts import add_user

    directory, _ = team_project(tmp_path, pg_url, n=30, mode="dual")
    projects = [Project.open(directory) for _ in range(2)]
    try:
        add_user(projects[0].store, "ana", "reviewer", PASSWORD)
        clients = [create_app(p, start=False).test_client() for p in projects]

        def sign_in(c, password):
            return c.post("/login", data={"name": "ana", "password": password,
                                          "csrf_token": form_token(c, "/login")}).status_code

        assert [sign_in(clients[i % 2], f"guess {i}") for i in range(5)] == [401] * 5
        assert [sign_in(c, PASSWORD) for c in clients] == [429, 429]
    finally:
        for p in projects:
            p.close()


def test_request_sent_again_is_logged_once(two_processes):
    directory, truth, ((app_a, _, _), (app_b, _, _)) = two_processes
    ana_a, tok = client(app_a, "ana")
    rid = ana_a.get("/api/next").get_json()["record"]["record_id"]
    decide(ana_a, tok, rid, "include", key="k" * 16)
    # the answer was lost; the page sends the same request again, and it lands on the other process
    ana_b = app_b.test_client()
    session_cookie = app_a.config["SESSION_COOKIE_NAME"]
    ana_b.set_cookie(session_cookie, ana_a.get_cookie(session_cookie).value)
    decide(ana_b, tok, rid, "include", key="k" * 16)  # the project's secret: the session is good on both
    with Project.open(directory) as p:
        log = p.decision_log()
    assert (log["origin"] == "web").sum() == 1 and log["request_id"].iloc[-1] == "web:ana:" + "k" * 16


def test_database_restart_answers_503_and_recovers(pg_cluster, two_processes):
    if pg_cluster is None:
        pytest.skip("the server comes from SCREENER_TEST_DATABASE_URL; this test restarts only its own")
    directory, truth, ((app_a, _, _), _) = two_processes
    ana, tok = client(app_a, "ana")
    rid = ana.get("/api/next").get_json()["record"]["record_id"]
    pg_cluster.stop()
    try:
        r = ana.post("/api/decide", json={"record_id": rid, "decision": "exclude", "request_id": "r" * 16},
                     headers={"X-CSRF-Token": tok})
        assert r.status_code == 503 and r.get_json()["retry"] is True and r.headers["Retry-After"]
    finally:
        pg_cluster.start()
    decide(ana, tok, rid, "exclude", key="r" * 16)
    with Project.open(directory) as p:
        assert (p.decision_log()["request_id"] == "web:ana:" + "r" * 16).sum() == 1


def test_several_workers_need_a_server_database(review):
    from screener.cli.web_cmds import run_server

    with pytest.raises(ScreenerError, match="PostgreSQL"):
        run_server(review[0], workers=3)


def test_serve_under_gunicorn_survives_a_killed_worker(tmp_path, pg_url):
    directory, truth = team_project(tmp_path, pg_url)
    env = {**os.environ, "PYTHONPATH": REPO}
    proc = subprocess.Popen([sys.executable, "-c", "from screener.cli import main; main()", "serve", str(directory),
                             "--port", "0", "--workers", "2", "--threads", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = ""
        deadline = time.time() + 60
        while "http://" not in line and time.time() < deadline:
            line = proc.stdout.readline()
        url = re.search(r"(http://\S+/)", line).group(1)
        assert "2 worker processes" in proc.stdout.readline()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        def get(path, data=None):
            with browser.open(url + path.lstrip("/"), data=data, timeout=30) as r:
                return r.read().decode(), r.headers

        form = get("/reviewer")[0]  # the reviewer's name, as a browser gives it
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        get("/reviewer", urllib.parse.urlencode({"name": "ana", "csrf_token": token}).encode())

        status = {}
        for _ in range(240):
            status = json.loads(get("/api/status")[0])
            if status.get("ready"):
                break
            time.sleep(0.25)
        assert status.get("ready")
        workers = {int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                   text=True).stdout.split()}
        assert len(workers) == 2
        os.kill(status["worker"], signal.SIGKILL)
        for _ in range(240):  # the master starts another; the app answers throughout from the other
            body, _ = get("/api/status")
            if json.loads(body)["ready"]:
                now = {int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                      text=True).stdout.split()}
                if len(now) == 2 and status["worker"] not in now:
                    break
            time.sleep(0.25)
        assert len(now) == 2 and status["worker"] not in now
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0 and "Every decision is saved" in out


@pytest.mark.parametrize("where", ["sqlite", "postgresql"])
def test_a_double_click_on_a_records_decision_form_is_logged_once_by_the_served_app(tmp_path, request, where):
    """A double click on Include on a record's page sends its form twice at once, and 'screener serve' (gunicorn;
    two worker processes on PostgreSQL) answered both: the decision was logged twice. Both clicks, held back and
    sent together, are answered, and the decision is logged once; the counts say one record screened."""
    if where == "sqlite":
        directory, truth = build_project(tmp_path / "review", n=16, xss=False)
        options = ["--threads", "4"]
    else:
        directory, truth = team_project(tmp_path, request.getfixturevalue("pg_url"), n=16)
        options = ["--workers", "2", "--threads", "4"]
    rid = list(truth)[4]
    env = {**os.environ, "PYTHONPATH": REPO}
    proc = subprocess.Popen([sys.executable, "-c", "from screener.cli import main; main()", "serve", str(directory),
                             "--port", "0", *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    try:
        line = ""
        while "http://" not in line and proc.poll() is None:
            line = proc.stdout.readline()
        url = re.search(r"(http://\S+/)", line).group(1)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        def get(path, data=None):
            with browser.open(url + path.lstrip("/"), data=data, timeout=60) as r:
                return r.status, r.read().decode()

        form = get("/reviewer")[1]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        get("/reviewer", urllib.parse.urlencode({"name": "ana", "csrf_token": token}).encode())
        page = get(f"/records/{rid}")[1]
        form = re.search(rf'<form method="post" action="/records/{rid}/decision".*?</form>', page, re.S).group(0)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        sent = urllib.parse.urlencode({**fields, "decision": "include"}).encode()
        together, answers = threading.Barrier(2), []

        def click():
            together.wait()
            answers.append(get(f"/records/{rid}/decision", sent)[0])

        clicks = [threading.Thread(target=click) for _ in range(2)]
        for t in clicks:
            t.start()
        for t in clicks:
            t.join()
        assert answers == [200, 200]  # each led back to the record's page
        with Project.open(directory) as p:
            log = p.decision_log()
        assert list(log.loc[log["record_id"] == rid, "decision"]) == ["include"]
        counts = json.loads(get("/api/status")[1])["counts"]
        assert (counts["screened"], counts["included"]) == (1, 1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)


def test_serve_an_sqlite_review_under_gunicorn(review):
    """The default: one process, several threads, on the project's SQLite file; Ctrl-C / SIGTERM stops it."""
    env = {**os.environ, "PYTHONPATH": REPO}
    proc = subprocess.Popen([sys.executable, "-c", "from screener.cli import main; main()", "serve", str(review[0]),
                             "--port", "0", "--threads", "4"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/)", line).group(1)
        assert "1 worker process x 4 threads" in proc.stdout.readline()
        with urllib.request.urlopen(url + "reviewer", timeout=30) as r:
            assert r.status == 200 and "csrf_token" in r.read().decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0 and "Every decision is saved" in out


def test_serve_ranks_with_the_model_options_next_takes(review):
    """The README: '--embedding-model NAME, and the same name for next/serve'. 'serve' had no such
    option ('No such option: --embedding-model'), so a review ranked by 'next --embedding-model none'
    could only be served with the project's own model, ranked another way."""
    with Project.open(review[0]) as p:
        p.set_setting("embedding_model", "default")
    env = {**os.environ, "PYTHONPATH": REPO}
    proc = subprocess.Popen([sys.executable, "-c", "from screener.cli import main; main()", "serve", str(review[0]),
                             "--port", "0", "--embedding-model", "none", "--model", "svm-tfidf"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = proc.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/)", line).group(1)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(url + "reviewer", timeout=30) as r:
            token = re.search(r'name="csrf_token" value="([^"]+)"', r.read().decode()).group(1)
        browser.open(url + "reviewer", urllib.parse.urlencode({"name": "ana", "csrf_token": token}).encode(),
                     timeout=30).close()
        for _ in range(240):
            with browser.open(url + "api/status", timeout=30) as r:
                if json.loads(r.read().decode()).get("ready"):
                    break
            time.sleep(0.25)
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, out
    with Project.open(review[0]) as p:
        settings = p.store.latest_ranking()[0]
    assert settings["ranker"] == "svm-tfidf" and not settings["embedding_model"]


def test_dual_screening_across_processes_stays_blind(tmp_path, pg_url):
    """Dual mode on the server: both reviewers get every record, each sees only their own decisions,
    and an agreement made in two processes counts for the team."""
    directory, truth = team_project(tmp_path, pg_url, mode="dual")
    with processes(directory) as made:
        (app_a, eng_a, _), (app_b, eng_b, _) = made
        ana, tok_a = login(app_a, "ana")  # accounts (made on the server) sign them in
        ben, tok_b = login(app_b, "ben")
        rid = ana.get("/api/next").get_json()["record"]["record_id"]
        decide(ana, tok_a, rid, "include")
        assert ben.get("/api/status").get_json()["counts"]["screened"] == 0  # blind to ana's vote
        assert rid in {ben.get("/api/next").get_json()["record"]["record_id"]} | set(eng_b.rank.order)
        decide(ben, tok_b, rid, "include")
        assert ana.get("/api/status").get_json()["counts"]["screened"] == 1  # her own vote only
        with Project.open(directory) as p:
            assert p.current_decisions()["decision"].to_dict() == {rid: "include"}  # agreed by two


def test_a_follower_process_keeps_settled_studies_in_place_for_a_blind_reviewer(tmp_path, pg_url):
    """Put last, in id order (a following process had no full order), the studies the owner and
    Ana agreed on told Ben which ones the others had settled."""
    directory, truth = team_project(tmp_path, pg_url, mode="dual")
    with processes(directory) as made:
        (lead_app, leader, _), (_, follower, _) = made if made[0][1].leading else made[::-1]
        agreed = [int(r) for r in leader.rank.order[:5]]
        for name, role in (("olga", "owner"), ("ana", "reviewer")):
            c, tok = login(lead_app, name, role) if role == "owner" else login(lead_app, name)
            for rid in agreed:
                decide(c, tok, rid, "include" if truth[rid] else "exclude")
        assert leader.wait_idle(60)
        stored = leader.project.store.latest_ranking_id()
        deadline = time.time() + 60
        while follower._ranking_id != stored and time.time() < deadline:
            follower.request_rerank()
            time.sleep(0.2)
        assert follower._ranking_id == stored and follower.rank.everyone
        queue = follower._upcoming("ben", len(truth))
        assert sorted(queue) == sorted(truth) and not set(agreed) <= set(queue[-len(agreed):])


def _next_as_the_page_asks(client, tries: int = 20) -> dict:
    """The next record, asked as the screening page asks: an answer marked for sending again (503, the
    database or project busy a moment while the other process re-ranks) is sent again; any other answer
    without a record fails with what it said."""
    for _ in range(tries):
        r = client.get("/api/next")
        body = r.get_json() or {}
        if r.status_code == 503 and body.get("retry"):
            time.sleep(0.5)
            continue
        assert r.status_code == 200 and body.get("record"), (r.status_code, body)
        return body["record"]
    raise AssertionError(f"/api/next answered 503 {tries} times: {body}")


def test_a_follower_explains_the_studies_the_others_settled_like_any_other(tmp_path, pg_url):
    """The leader stored explanations for the unsettled studies only: on the follower a settled
    study came with no 'Why this record' and no highlighted terms, which told Ben (blind) which
    studies the owner and Ana had agreed on. His record pages must not tell them apart either."""
    directory, truth = team_project(tmp_path, pg_url, mode="dual")
    with processes(directory) as made:
        (lead_app, leader, _), (follow_app, follower, _) = made if made[0][1].leading else made[::-1]
        order = [int(r) for r in leader.rank.order]
        # the top 3 and an include among the next (the random start's top 4 may hold none, and
        # with no include the model has no terms to mark on any page)
        agreed = [*order[:3], next(r for r in order[3:30] if truth[r])]
        for name, role in (("olga", "owner"), ("ana", "reviewer")):
            c, tok = login(lead_app, name, role)
            for rid in agreed:
                decide(c, tok, rid, "include" if truth[rid] else "exclude")
        assert leader.wait_idle(60)
        stored = leader.project.store.latest_ranking_id()
        deadline = time.time() + 60
        while (follower._ranking_id != stored or follower._missing_extras) and time.time() < deadline:
            follower.request_rerank()
            time.sleep(0.2)
        assert follower._ranking_id == stored and not follower._missing_extras
        ben, tok = login(follow_app, "ben")
        # his record pages: key terms marked on his next records (settled or not), on no other
        window = set(follower._upcoming("ben", len(truth))[:40])
        assert set(agreed) <= window
        marked = {rid for rid in truth if "<mark>" in ben.get(f"/records/{rid}").get_data(as_text=True)}
        assert marked == window
        shown = []
        for _ in range(10):
            rec = _next_as_the_page_asks(ben)
            shown.append((rec["record_id"], rec["reason"], rec["terms"]))
            decide(ben, tok, rec["record_id"], "exclude")
        assert set(agreed) & {rid for rid, _, _ in shown}  # Ben met some of the settled studies ...
        assert all(reason and terms for _, reason, terms in shown), shown  # ... explained like the others


def test_a_process_that_stopped_leading_logs_the_ranking_it_shows(two_processes):
    """A process retrained and stored rankings, then another took the lead (its connection dropped) and stored
    newer ones, which this one showed. A decision made here (from a page that sends no ranking, or a terminal's
    API call) was logged with the last ranking this process had stored itself, not the one its pages showed, so
    the stop advice read it against an order nobody saw."""
    directory, truth, made = two_processes
    (app_a, was_leader, _), (_, other, _) = made if made[0][1].leading else made[::-1]
    ana, tok = client(app_a, "ana")
    rid = ana.get("/api/next").get_json()["record"]["record_id"]
    for _ in range(4):
        rid = decide(ana, tok, rid, "include" if truth[rid] else "exclude")["record"]["record_id"]
    assert was_leader.wait_idle(60)
    own = was_leader.project.store.latest_ranking_id()
    assert own is not None and was_leader.session.ranking_id == own
    store = was_leader.project.store
    store.lead = lambda what: False  # its connection to the database dropped: another process leads
    store._lead_conn.close()
    deadline = time.time() + 60
    while time.time() < deadline and not (
            other.leading and (newer := store.latest_ranking_id()) != own and was_leader._ranking_id == newer):
        other.request_rerank()
        time.sleep(0.2)
    assert other.leading and not was_leader.leading and was_leader._ranking_id == newer != own
    ben, tok_b = client(app_a, "ben")
    shown = ben.get("/api/next").get_json()["record"]
    assert shown["ranking_id"] == newer
    r = ben.post("/api/decide", json={"record_id": shown["record_id"], "decision": "exclude"},
                 headers={"X-CSRF-Token": tok_b})
    assert r.status_code == 200, r.get_data(as_text=True)
    log = store.decisions_frame().set_index("record_id")["ranking_id"]
    assert int(log[shown["record_id"]]) == newer


def test_waiting_for_the_ranking_waits_for_a_decision_taken_up_but_not_yet_ranked(tmp_path, pg_url):
    """On a shared store the ranking worker takes up the decisions' request to rank, then begins: ``wait_idle``
    returned in between, before the decisions just made were ranked (a test then read the older ranking, and
    failed now and then: test_a_follower_explains_the_studies_the_others_settled_like_any_other)."""
    directory, _ = team_project(tmp_path, pg_url, n=20)
    with processes(directory, n=1) as ((app, eng, _),):
        step, took, hold = eng._shared_step, threading.Event(), threading.Event()

        def held(dirty):
            if dirty:
                took.set()
                hold.wait(30)
            step(dirty)

        eng._shared_step = held
        ana, tok = client(app, "ana")
        try:
            decide(ana, tok, ana.get("/api/next").get_json()["record"]["record_id"])
            assert took.wait(30)
            assert not eng.wait_idle(0.5)
        finally:
            hold.set()
        assert eng.wait_idle(60)


def test_a_follower_keeps_explaining_while_the_leader_explains_a_new_ranking(tmp_path, pg_url):
    """The leader stores a ranking, then its explanations. A following process took the ranking as soon as it was
    stored: until the explanations came, Ben's next records there had no 'Why this record' and no terms marked,
    just after the others' agreement made the new ranking (a decision of his that settled a study would show
    the same). It keeps the ranking it holds, explained, until they come."""
    directory, truth = team_project(tmp_path, pg_url, mode="dual")
    with processes(directory) as made:
        (lead_app, leader, _), (follow_app, follower, _) = made if made[0][1].leading else made[::-1]
        order = [int(r) for r in leader.rank.order]
        agreed = [*order[:3], next(r for r in order[3:30] if truth[r])]

        def agree(rids):
            for name, role in (("olga", "owner"), ("ana", "reviewer")):
                c, tok = login(lead_app, name, role)
                for rid in rids:
                    decide(c, tok, rid, "include" if truth[rid] else "exclude")

        def explained(stored):
            deadline = time.time() + 60
            while (follower._ranking_id != stored or follower._missing_extras) and time.time() < deadline:
                follower.request_rerank()
                time.sleep(0.2)
            assert follower._ranking_id == stored and not follower._missing_extras

        agree(agreed)
        assert leader.wait_idle(60)
        explained(leader.project.store.latest_ranking_id())
        ben, _ = login(follow_app, "ben")
        rec = _next_as_the_page_asks(ben)
        assert rec["reason"] and rec["terms"], rec
        slow, looked = threading.Event(), threading.Event()
        store_extras, load = leader._store_extras, follower._load_stored_ranking
        def slowly():  # the leader explains a new ranking a while
            if leader.session.ranking_id != leader._ranking_id:
                slow.wait(60)
            store_extras()

        leader._store_extras = slowly
        follower._load_stored_ranking = lambda: (load(), looked.set())
        try:
            held = follower._ranking_id
            agree([next(r for r in order[30:] if truth[r])])
            deadline = time.time() + 60
            while (newer := leader.project.store.latest_ranking_id()) == held and time.time() < deadline:
                time.sleep(0.1)
            assert newer != held
            looked.clear()
            assert looked.wait(30)  # the follower has seen the new ranking stored, not yet explained
            rec = _next_as_the_page_asks(ben)
            assert rec["reason"] and rec["terms"], rec
        finally:
            slow.set()
        explained(newer)
        rec = _next_as_the_page_asks(ben)
        assert rec["reason"] and rec["terms"], rec


@contextlib.contextmanager
def _a_dual_follower_on_a_clock(tmp_path, pg_url, monkeypatch, mode="dual"):
    """Two processes of a dual review (or one of ``mode``), both stopped, the follower holding the explained ranking
    and reading engine's time.monotonic off a clock the test moves: (follower, store, the ranking it holds, clock,
    the ranking's settings and items to store again unexplained)."""
    import types

    from screener.web import engine as engine_module

    directory, _ = team_project(tmp_path, pg_url, mode=mode)
    with processes(directory) as made:
        leader, follower = (made[0][1], made[1][1]) if made[0][1].leading else (made[1][1], made[0][1])
        leader.stop()  # the rankings come from the test now, and the follower looks when it is told to
        follower.stop()
        follower._load_stored_ranking()
        store = leader.project.store
        held = follower._ranking_id
        assert held == store.latest_ranking_id() and not follower._missing_extras
        clock = [1000.0]
        fake = {k: getattr(time, k) for k in dir(time) if not k.startswith("_")}
        fake["monotonic"] = lambda: clock[0]
        monkeypatch.setattr(engine_module, "time", types.SimpleNamespace(**fake))
        settings, items = store.latest_ranking()
        settings = {k: v for k, v in settings.items() if k not in ("ranking_id", "extras")}
        yield follower, store, held, clock, settings, items


def test_a_follower_waits_for_explanations_no_longer_than_extras_wait_however_many_rankings_come(
        tmp_path, pg_url, monkeypatch):
    """A follower keeps its explained ranking while the leader explains a newer one, for EXTRAS_WAIT at most. Each
    newer ranking stored unexplained (the leader's explanations failing, so that it ranked again every poll; or
    decisions coming faster than it explained) set that wait going again: Ben screened on from the old ranking for
    as long as they came. It takes the newest once EXTRAS_WAIT has passed since it began to wait."""
    from screener.web import engine as engine_module

    with _a_dual_follower_on_a_clock(tmp_path, pg_url, monkeypatch) as (follower, store, held, clock, settings, items):

        def unexplained() -> int:
            rid = store.save_ranking(settings, items[["record_id", "score"]], 0)
            follower._load_stored_ranking()
            return rid

        unexplained()
        assert follower._ranking_id == held  # its explanations are awaited
        clock[0] += 0.6 * engine_module.EXTRAS_WAIT
        unexplained()
        assert follower._ranking_id == held
        clock[0] += 0.6 * engine_module.EXTRAS_WAIT
        newest = unexplained()
        assert follower._ranking_id == newest


def test_a_single_screening_follower_shows_no_record_without_its_why_while_the_leader_explains(
        tmp_path, pg_url, monkeypatch):
    """Single screening on several server processes: the leader stores a ranking, then explains its top records. A
    follower took the ranking at once, and for a second or two the records it handed out had no 'Why this record'
    and no terms marked (the page keeps a record as first shown). As a dual follower does, it keeps its explained
    ranking until the newer one's explanations are stored (EXTRAS_WAIT at most)."""
    from screener.web import engine as engine_module

    with _a_dual_follower_on_a_clock(tmp_path, pg_url, monkeypatch, mode="single") as (
            follower, store, held, clock, settings, items):
        newer = store.save_ranking(settings, items[["record_id", "score"]], 0)
        follower._load_stored_ranking()
        assert follower._ranking_id == held  # its explanations are awaited
        rid = follower.next_record_id("ben")
        assert follower.extras(rid, "ben")["reason"], rid  # what it hands out meanwhile is explained
        reasons = dict(zip(items["record_id"], items["reason"]))
        with store.transaction():  # the leader's explanations come
            store.set_reasons(newer, {int(r): x for r, x in reasons.items() if isinstance(x, dict)})
            store.add_ranking_settings(newer, {"extras": {}})
        follower._load_stored_ranking()
        assert follower._ranking_id == newer and not follower._missing_extras
        later = store.save_ranking(settings, items[["record_id", "score"]], 0)  # a leader whose explaining fails
        follower._load_stored_ranking()
        clock[0] += 1.1 * engine_module.EXTRAS_WAIT
        follower._load_stored_ranking()
        assert follower._ranking_id == later  # not for longer than EXTRAS_WAIT


def test_a_follower_takes_a_ranking_stored_by_a_terminal_at_once_none_will_explain_it(tmp_path, pg_url, monkeypatch):
    """'screener next' in a terminal beside 'serve' stores a ranking that no server process explains: the followers
    kept their older ranking for EXTRAS_WAIT after each one, handing out records it no longer put first, to take it
    unexplained anyway. They wait only for a ranking the leading process stored, and so explains."""
    from screener.screening import ScreeningSession

    with _a_dual_follower_on_a_clock(tmp_path, pg_url, monkeypatch, mode="single") as (
            follower, store, held, clock, settings, items):
        ScreeningSession(follower.project, embedding_model="none").ranking()  # as 'screener next' does
        terminal = store.latest_ranking_id()
        assert terminal != held
        follower._load_stored_ranking()
        assert follower._ranking_id == terminal  # taken at once: nothing is awaited
        assert settings.get("stored_by_server")  # the leader's are marked: their explanations are awaited (above)


def test_a_follower_that_led_for_a_while_waits_afresh_for_a_new_rankings_explanations(tmp_path, pg_url, monkeypatch):
    """A dual follower waiting for a newer ranking's explanations (EXTRAS_WAIT) kept the time it began to wait when
    it took the lead; handing the lead back minutes later, it took the next ranking stored unexplained at once, and
    Ben's next records came with no 'Why this record' and no terms marked. The wait starts afresh when the lead
    changes hands."""
    from screener.web import engine as engine_module

    with _a_dual_follower_on_a_clock(tmp_path, pg_url, monkeypatch) as (follower, store, held, clock, settings, items):
        store.save_ranking(settings, items[["record_id", "score"]], 0)  # unexplained: the follower waits
        follower._shared_step(False)
        assert follower._ranking_id == held and follower._unexplained is not None
        # it leads a while (the leader's ranking and explanations are not this test's), then hands the lead back
        monkeypatch.setattr(follower, "_refresh", lambda: None)
        monkeypatch.setattr(follower, "_store_extras", lambda: None)
        monkeypatch.setattr(follower.project.store, "lead", lambda what: True)
        follower._shared_step(False)
        assert follower.leading
        clock[0] += 2 * engine_module.EXTRAS_WAIT
        monkeypatch.setattr(follower.project.store, "lead", lambda what: False)
        store.save_ranking(settings, items[["record_id", "score"]], 0)  # a newer one, unexplained as yet
        follower._shared_step(False)
        assert not follower.leading and follower._ranking_id == held  # its explanations are awaited
        clock[0] += 1.1 * engine_module.EXTRAS_WAIT
        follower._shared_step(False)
        assert follower._ranking_id == store.latest_ranking_id()  # not for longer than EXTRAS_WAIT


def test_a_record_decided_while_the_next_one_is_chosen_is_not_handed_out(tmp_path, pg_url):
    """A process picks ben's next record from the decisions it holds; before it claims the record,
    another request in that process reads the log's tail, which has ana's decision on it (made in
    another process). The claim was checked against the tail just read, not the one the record was
    picked from, so ben got a record ana had already decided, and both decisions were logged."""
    from screener.web.engine import RankingState, WebScreener

    directory, _ = team_project(tmp_path, pg_url, n=20)
    with Project.open(directory) as project, Project.open(directory) as other:
        eng = WebScreener(project)
        order = [int(r) for r in project.records_frame().index]
        eng.rank = RankingState(order=order, generation=1)
        upcoming = eng._upcoming

        def ana_decides_meanwhile(reviewer, n, skip=frozenset()):
            ids = upcoming(reviewer, n, skip)
            if ids and ids[0] == order[0]:
                other.decide(order[0], "include", reviewer="ana", origin="web")  # in another process
                eng._catch_up()  # another request here reads the tail
            return ids

        eng._upcoming = ana_decides_meanwhile
        assert eng.next_record_id("ben") == order[1]


def test_a_second_server_on_an_sqlite_review_is_refused(review):
    """Two 'screener serve' on one project file (another port, a colleague on the same machine):
    each handed out records from its own memory, so two reviewers got the same record, and each
    retrained on its own. The second is refused, with the first one's address."""
    env = {**os.environ, "PYTHONPATH": REPO}
    serve = [sys.executable, "-c", "from screener.cli import main; main()", "serve", str(review[0]), "--port", "0"]
    first = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        url = re.search(r"(http://127\.0\.0\.1:\d+/)", first.stdout.readline()).group(1)
        second = subprocess.run(serve, capture_output=True, text=True, env=env, timeout=60)
        assert second.returncode == 1
        said = " ".join((second.stdout + second.stderr).split())
        assert f"is already being served at {url}" in said and "Open that address" in said
    finally:
        first.send_signal(signal.SIGTERM)
        out = first.communicate(timeout=60)[0]
    assert first.returncode == 0 and "Every decision is saved" in out
    again = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:  # once stopped, it can be served again
        assert re.search(r"http://127\.0\.0\.1:\d+/", again.stdout.readline())
    finally:
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=60)


def test_decisions_follow_their_study_when_another_record_becomes_its_primary(tmp_path, store_target):
    """A teammate merges two records (or imports a more complete copy of a study) while the review
    is served: the study's primary record becomes the other one. A server process that does not
    retrain kept the decisions under the old primary: its counts lost the decided study, and its
    queue handed it out again, to be screened twice."""
    from screener.status import screening_counts
    from screener.web.engine import RankingState, WebScreener

    rows = [{"title": f"Peer workers in harm reduction, study number {i}", "abstract": "" if i == 3 else f"Text {i}.",
             "doi": f"10.5555/x.{i}", "year": 2010} for i in range(6)]
    database = store_target if isinstance(store_target, str) else None
    with Project.init(tmp_path / "team", database=database, settings={"embedding_model": "none"}) as p:
        p.import_files([write_csv(rows, tmp_path / "records.csv")])
    with Project.open(tmp_path / "team") as project, Project.open(tmp_path / "team") as other:
        eng = WebScreener(project)
        eng.rank = RankingState(order=[5, 1, 2, 3, 6], generation=1)
        eng.sync_records()
        other.decide(4, "include", reviewer="ana", origin="web")
        eng._catch_up()
        assert eng.counts("ben")["screened"] == 1
        other.decide_duplicates(4, 5, "merge", reviewer="ana")  # 5, with an abstract, stands for the study now
        assert int(other._primary_of()[4]) == 5
        eng.sync_records()  # the next request notices
        assert eng.counts("ben")["screened"] == screening_counts(other).screened == 1
        assert eng.counts("ben")["total"] == 5
        assert 5 not in eng._upcoming("ben", 5)


def test_an_import_while_the_server_starts_is_noticed_by_its_first_request(tmp_path, pg_url):
    """A server process reads the decisions when it starts, then builds its features (minutes on a
    big review). An import made meanwhile whose copy of a decided study is the more complete one
    (so it stands for the study now) was not noticed: the first request only took note of the
    record count it found, and the decision stayed under the old record."""
    from screener.status import screening_counts
    from screener.web.engine import WebScreener

    rows = [{"title": f"Peer workers in harm reduction, study number {i}", "abstract": "" if i == 0 else f"Text {i}.",
             "doi": f"10.5555/x.{i}", "year": 2010} for i in range(4)]
    with Project.init(tmp_path / "team", database=pg_url, settings={"embedding_model": "none"}) as p:
        p.import_files([write_csv(rows, tmp_path / "records.csv")])
        p.decide(1, "include", reviewer="ana")
    with Project.open(tmp_path / "team") as project, Project.open(tmp_path / "team") as other:
        eng = WebScreener(project)  # starting
        better = [dict(rows[0], abstract="The full abstract of the first study.", journal="J Harm Reduct")]
        other.import_files([write_csv(better, tmp_path / "update.csv")])
        assert int(other._primary_of()[1]) == 5
        eng.sync_records()  # the first request
        assert eng.counts("ben")["screened"] == screening_counts(other).screened == 1


def test_records_left_on_a_screen_in_another_process_are_not_said_to_be_done(tmp_path, pg_url):
    """Two server processes: the last record is claimed by Bob's; Ann's page is told to wait for
    it ('waiting'), not that every record has a decision; once Bob decides it, it is done."""
    directory, truth = team_project(tmp_path, pg_url, n=20)
    with processes(directory) as ((app_a, _, _), (app_b, _, _)):
        bob, tok_b = client(app_b, "bob")
        bobs = bob.get("/api/next").get_json()["record"]["record_id"]
        ann, tok_a = client(app_a, "ann")
        for _ in range(19):
            decide(ann, tok_a, ann.get("/api/next").get_json()["record"]["record_id"])
        data = ann.get("/api/next").get_json()
        assert data["record"] is None and (data["done"], data["waiting"]) == (False, True)
        decide(bob, tok_b, bobs)
        data = ann.get("/api/next").get_json()
        assert (data["done"], data["waiting"]) == (True, False)


@pytest.mark.parametrize("locked", ["folder", "file"])
def test_serve_on_a_read_only_project_says_so_before_it_starts(review, locked, monkeypatch):
    """'screener serve' on a project on read-only storage (a CD, a share one may only read, the project file
    or folder made read-only) ended in a traceback from the server's worker ('attempt to write a readonly
    database'), then 'Stopped. Every decision is saved in the project.' It now refuses before it starts,
    saying the project cannot be written and what to do (copy the folder somewhere writable)."""
    import shutil

    from screener.cli import web_cmds

    def started(*args):
        raise AssertionError("the server started")

    monkeypatch.setattr(web_cmds, "listen", started)
    directory = review[0]
    targets = [directory, *directory.iterdir()] if locked == "folder" else [directory / "screener.sqlite"]
    if os.geteuid() != 0:
        for p in targets:
            p.chmod(p.stat().st_mode & ~0o222)
    elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", *map(str, targets)]).returncode:
        pytest.skip("cannot make the project read-only here (root without chattr)")
    try:
        with pytest.raises(ScreenerError) as caught:
            web_cmds.run_server(directory, port=0)
    finally:
        if os.geteuid() != 0:
            for p in targets:
                p.chmod(p.stat().st_mode | 0o200)
        else:
            subprocess.run(["chattr", "-i", *map(str, targets)])
    said = " ".join(str(caught.value).split())
    assert "read-only" in said and "copy the project folder somewhere you can write" in said
    assert str(directory) in said and "nothing was changed" in said


def test_serve_on_a_full_disk_says_the_disk_is_full_not_read_only(review, monkeypatch):
    """With the disk holding the project full, 'screener serve' said the project was on read-only storage
    and to ask for write access (SQLite could only open it for reading). It now says the disk is full and to
    free some space, before the server starts."""
    import collections

    import screener.store.sqlite as sqlite_module
    from screener.cli import web_cmds

    def started(*args):
        raise AssertionError("the server started")

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(web_cmds, "listen", started)
    monkeypatch.setattr(sqlite_module.shutil, "disk_usage", lambda path: usage(1 << 30, 1 << 30, 0))
    with pytest.raises(ScreenerError) as caught:
        web_cmds.run_server(review[0], port=0)
    said = " ".join(str(caught.value).split())
    assert "disk holding the project is full" in said and "Free some space" in said and "read-only" not in said


def test_serve_a_project_file_linked_from_a_read_only_folder_is_not_refused(tmp_path, review, monkeypatch):
    """A project file kept elsewhere (a synced folder) and linked into the project folder: SQLite writes beside
    the file itself, so a project folder one may not write to is no reason to refuse serving it."""
    import shutil

    from screener.cli import web_cmds

    class Started(Exception):
        pass

    def started(*args):
        raise Started

    directory = review[0]
    elsewhere = tmp_path / "synced"
    elsewhere.mkdir()
    shutil.move(directory / "screener.sqlite", elsewhere / "screener.sqlite")
    (directory / "screener.sqlite").symlink_to(elsewhere / "screener.sqlite")
    if os.geteuid() != 0:
        directory.chmod(directory.stat().st_mode & ~0o222)
    elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(directory)]).returncode:
        pytest.skip("cannot make the project folder read-only here (root without chattr)")
    monkeypatch.setattr(web_cmds, "listen", started)
    try:
        with pytest.raises(Started):
            web_cmds.run_server(directory, port=0)
    finally:
        if os.geteuid() != 0:
            directory.chmod(directory.stat().st_mode | 0o200)
        else:
            subprocess.run(["chattr", "-i", str(directory)])


def test_serve_with_an_account_that_may_only_read_the_review_says_so_before_it_starts(tmp_path, pg_url, monkeypatch):
    """'screener serve' on a review on the team's server, with an account that may only read it: the worker
    ended in psycopg's traceback ('permission denied for table secrets'). It now refuses before it starts,
    saying the account may only read the review and to ask for write access; nothing is changed."""
    from stores import read_only_account

    from screener.cli import web_cmds
    from screener.project import write_database_url

    def started(*args):
        raise AssertionError("the server started")

    directory, _ = team_project(tmp_path, pg_url)
    write_database_url(directory, read_only_account(pg_url))
    monkeypatch.setattr(web_cmds, "listen", started)
    with pytest.raises(ScreenerError) as caught:
        web_cmds.run_server(directory, port=0)
    said = " ".join(str(caught.value).split())
    assert "may only read" in said and "write access" in said and "read-only storage" not in said


def test_a_server_worker_that_cannot_start_says_why_in_words(review, monkeypatch, capsys):
    """A problem said to the reviewer as a worker process of 'screener serve' starts (the project busy with an
    import in another terminal for longer than the wait, the team's server down as a worker is started again)
    ended in a Python traceback from gunicorn, read as a crash. The worker now prints the message and ends,
    and the server stops (gunicorn: the worker failed to boot)."""
    from screener.cli import web_cmds
    from screener.errors import ProjectBusy
    from screener.store import SQLiteStore

    def busy(self, name, make=None):
        raise ProjectBusy(f"{self.path}: the project is busy: another screener command has been writing to it")

    monkeypatch.setattr(SQLiteStore, "get_secret", busy)
    with pytest.raises(SystemExit) as ended:
        web_cmds._worker_app(review[0], host="127.0.0.1", access_token=None, behind_proxy=False,
                             session_options=None)
    assert ended.value.code == 3
    said = " ".join(capsys.readouterr().err.split())
    assert "the project is busy" in said and "Traceback" not in said


def _dump_tools():
    from screener.store.pgcluster import find_bin_dir

    found = find_bin_dir()
    found = found and (found / "pg_ctl").resolve().parent  # Debian links pg_ctl alone into /usr/local/bin
    if found is None or not all((found / tool).exists() for tool in ("pg_dump", "pg_restore", "psql")):
        pytest.skip("needs PostgreSQL's pg_dump, pg_restore and psql (Debian's 'postgresql'); they are absent here")
    return found


def _database_and_schema(url):
    """The database's address without the review's schema option, and that schema (``pg_url``'s)."""
    base, _, query = url.partition("?")
    params = [p for p in query.split("&") if p]
    schema = next(urllib.parse.unquote(p).split("=", 2)[2] for p in params if p.startswith("options="))
    rest = "&".join(p for p in params if not p.startswith("options="))
    return base + ("?" + rest if rest else ""), schema


@pytest.mark.parametrize("put_back", ["pg_restore", "psql"])
def test_an_older_dump_restored_over_the_served_review_is_said_and_not_written_to(tmp_path, pg_url, put_back):
    """The README's backup of a team review: pg_dump, and pg_restore --clean to put it back (or a plain dump
    made with --clean, read with psql). Put back while
    'screener serve' ran, the server went on from the older state, saved the next decisions into it, and the
    decisions made since the dump were gone without a word. Every page now says an earlier copy of the review
    was restored into its database, and nothing is written into it."""
    import psycopg

    tools = _dump_tools()
    database, schema = _database_and_schema(pg_url)
    dump = tmp_path / "review.dump"
    directory, _ = team_project(tmp_path, pg_url, n=30)
    with processes(directory, n=1) as ((app, _, _),):
        ana, tok = client(app, "ana")
        first = ana.get("/api/next").get_json()["record"]["record_id"]
        decide(ana, tok, first, "include")
        plain = ["--format=plain", "--clean"] if put_back == "psql" else ["--format=custom"]
        subprocess.run([tools / "pg_dump", *plain, f"--file={dump}", f"--schema={schema}", f"--dbname={database}"],
                       check=True, capture_output=True)
        second = ana.get("/api/next").get_json()["record"]["record_id"]
        decide(ana, tok, second, "exclude")
        assert ana.get("/api/status").status_code == 200

        restore = ([tools / "psql", "--set=ON_ERROR_STOP=1", f"--dbname={database}", f"--file={dump}"]
                   if put_back == "psql" else [tools / "pg_restore", "--clean", f"--dbname={database}", dump])
        subprocess.run(restore, check=True, capture_output=True)
        page = ana.get("/")
        said = " ".join(page.get_data(as_text=True).split())
        assert page.status_code == 409 and "An earlier copy of the review" in said, said
        assert "made since that copy are not in it" in said and "pg_restore" in said
        r = ana.post("/api/decide", json={"record_id": second, "decision": "include"},
                     headers={"X-CSRF-Token": tok})
        assert r.status_code == 409 and "Nothing of this was saved" in r.get_json()["error"]
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT record_id FROM decisions").fetchall() == [(first,)]


def test_a_dump_with_every_decision_put_back_is_not_said_to_lack_the_decisions_made_since(tmp_path, pg_url):
    """A dump put back into the served review's database when only a sign-in had happened since it (a change
    counted, as every saved change is): every page said 'the decisions made since that copy are not in it', of a
    dump holding every decision. It says no decision is lost; what the dump lacks is the other changes since."""
    tools = _dump_tools()
    database, schema = _database_and_schema(pg_url)
    dump = tmp_path / "review.dump"
    directory, _ = team_project(tmp_path, pg_url, n=30)
    from screener.accounts import add_user
    from webtestdata import PASSWORD

    with Project.open(directory) as p:  # accounts: a sign-in is a change saved
        for name, role in (("olga", "owner"), ("ana", "reviewer"), ("ben", "reviewer")):
            add_user(p.store, name, role, PASSWORD)
    with processes(directory, n=1) as ((app, _, _),):
        ana, tok = client(app, "ana")
        first = ana.get("/api/next").get_json()["record"]["record_id"]
        decide(ana, tok, first, "include")
        subprocess.run([tools / "pg_dump", "--format=custom", f"--file={dump}", f"--schema={schema}",
                        f"--dbname={database}"], check=True, capture_output=True)
        client(app, "ben")  # a sign-in since the dump, no decision
        assert ana.get("/api/status").status_code == 200
        subprocess.run([tools / "pg_restore", "--clean", f"--dbname={database}", dump], check=True,
                       capture_output=True)
        page = ana.get("/")
        said = " ".join(page.get_data(as_text=True).split())
        assert page.status_code == 409 and "An earlier copy of the review" in said, said
        assert "decisions made since that copy are not in it" not in said, said
        assert ("it holds every screening decision this server saw, so none is lost: what it lacks is the other "
                "changes saved since that copy (sign-ins, and any change to accounts, settings or duplicate pairs)"
                ) in said, said


def test_a_server_left_running_after_a_dump_was_put_back_stays_refused_as_the_others_screen_on(tmp_path, pg_url):
    """An earlier dump put back, one server process started again on it, and its reviewers made more changes
    than the dump lacked before a page was asked of a process left running: that one took the review for its
    own again (its count was passed) and went on from what it held in memory. It looks at the review as it
    polls for rankings, so it stays refused."""
    tools = _dump_tools()
    database, schema = _database_and_schema(pg_url)
    dump = tmp_path / "review.dump"
    directory, _ = team_project(tmp_path, pg_url, n=30)
    with processes(directory, n=1) as ((app, _, project),):
        ana, tok = client(app, "ana")
        subprocess.run([tools / "pg_dump", "--format=custom", f"--file={dump}", f"--schema={schema}",
                        f"--dbname={database}"], check=True, capture_output=True)
        for _ in range(2):
            decide(ana, tok, ana.get("/api/next").get_json()["record"]["record_id"], "exclude")
        subprocess.run([tools / "pg_restore", "--clean", f"--dbname={database}", dump], check=True,
                       capture_output=True)
        deadline = time.monotonic() + 15
        while not project.store._gone_back and time.monotonic() < deadline:  # the process's next poll
            time.sleep(0.1)
        with Project.open(directory) as again:  # the server started again on the restored review
            for rid in list(again.records_frame().index)[:5]:
                again.decide(rid, "include", reviewer="bob")
        r = ana.get("/api/status")
        assert r.status_code == 409 and "An earlier copy of the review" in r.get_json()["error"]


def test_the_last_decision_of_a_dual_screening_on_the_server_is_answered_with_the_blinding_over(tmp_path, pg_url):
    """Ana screened every record in one server process, then Ben his last one in another: the answer to that
    last key said 'Screening is still blind ... open once every reviewer has screened every record' (both had),
    the blinding read without his own last decision, which on the server comes back with the log's tail."""
    directory, truth = team_project(tmp_path, pg_url, n=30, mode="dual")
    with processes(directory) as made:
        (app_a, _, _), (app_b, _, _) = made
        ana, tok_a = login(app_a, "ana")
        ben, tok_b = login(app_b, "ben")
        for c, tok in ((ana, tok_a), (ben, tok_b)):
            answer = c.get("/api/next").get_json()
            while not answer["done"]:
                rid = answer["record"]["record_id"]
                answer = decide(c, tok, rid, "include" if truth[rid] else "exclude")
            if c is ana:  # she waits for a second reviewer, and is told so
                assert "once a second reviewer has screened every record" in answer["blind_words"], answer
        assert not answer.get("blind_words"), answer  # Ben's last answer: the blinding is over
        assert ben.get("/api/next").get_json().get("blind_words") in (None, "")


def test_a_decision_refused_because_a_teammate_decided_first_names_the_teammate(tmp_path, pg_url):
    """Single screening on the server: Ana and Ben decided one record at the same moment (Ben from the Records list,
    in another server process). Ana's was refused, rightly, with 'already marked exclude (in another tab or window,
    or by a teammate)': which of the two was a guess left to her, though the log says Ben."""
    directory, truth = team_project(tmp_path, pg_url)
    with processes(directory) as made:
        (app_a, _, _), (app_b, _, _) = made
        ana, tok_a = login(app_a, "ana")
        ben, tok_b = login(app_b, "ben")
        rid = ana.get("/api/next").get_json()["record"]["record_id"]
        decide(ben, tok_b, rid, "exclude")
        said = ana.post("/api/decide", json={"record_id": rid, "decision": "include", "expect": "undecided"},
                        headers={"X-CSRF-Token": tok_a})
        assert said.status_code == 409
        words = said.get_json()["error"]
        assert f"Record {rid} was already marked exclude (by ben)" in words and "another tab" not in words, words
        # and ana's own decision from another tab is hers, not a teammate's
        other = ana.get("/api/next").get_json()["record"]["record_id"]
        decide(ana, tok_a, other, "exclude")
        said = ana.post("/api/decide", json={"record_id": other, "decision": "include", "expect": "undecided"},
                        headers={"X-CSRF-Token": tok_a})
        words = said.get_json()["error"]
        assert "(in another tab or window)" in words and "teammate" not in words, words


def test_a_blind_reviewers_decision_saved_by_another_process_logs_the_ranking_that_picked_her_record(tmp_path,
                                                                                                     pg_url):
    """Dual screening on several server processes: Ana's page (blind, told no ranking) got her record from one
    process and her decision went to the other, which logged its own newer ranking, one that never showed her the
    record. Her page now carries which ranking picked it, sealed (each pick's seal differs, so it tells her
    nothing), and that ranking is logged; a decision no page said the ranking of is logged with none."""
    directory, truth = team_project(tmp_path, pg_url, mode="dual")
    with processes(directory) as made:
        (lead_app, leader, _), (other_app, other, _) = made if made[0][1].leading else made[::-1]
        ana, _ = login(lead_app, "ana")
        first = leader.project.store.latest_ranking_id()
        shown = ana.get("/api/next").get_json()["record"]
        again = ana.get("/api/next").get_json()["record"]
        assert shown["record_id"] == again["record_id"] and shown["ranking_id"] is None
        assert shown["pick"] and again["pick"] and shown["pick"] != again["pick"]  # the same ranking, unlike seals
        for name in ("olga", "ben"):  # the others agree on records: a newer ranking is stored
            c, tok = login(lead_app, name, "owner" if name == "olga" else "reviewer")
            for rid in [r for r in sorted(truth) if r != shown["record_id"]][:4]:
                decide(c, tok, rid, "include" if truth[rid] else "exclude")
        assert leader.wait_idle(60)
        newer = leader.project.store.latest_ranking_id()
        deadline = time.time() + 60
        while other._ranking_id != newer and time.time() < deadline:
            other.request_rerank()
            time.sleep(0.2)
        assert newer != first and other.rank.ranking_id == newer
        ana_b, tok_b = login(other_app, "ana")
        r = ana_b.post("/api/decide", json={"record_id": shown["record_id"], "decision": "exclude",
                                            "expect": "undecided", "ranking_id": None, "pick": shown["pick"]},
                       headers={"X-CSRF-Token": tok_b})
        assert r.status_code == 200, r.get_data(as_text=True)
        second = r.get_json()["record"]  # picked by this process: its own pick is known here
        rid = [r for r in sorted(truth) if r not in (shown["record_id"], second["record_id"])][-1]  # opened itself
        r = ana_b.post("/api/decide", json={"record_id": rid, "decision": "exclude", "pick": "forged"},
                       headers={"X-CSRF-Token": tok_b})
        assert r.status_code == 200, r.get_data(as_text=True)
        log = other.project.store.decisions_frame()
        mine = log[log["reviewer"] == "ana"].set_index("record_id")["ranking_id"]
        assert int(mine[shown["record_id"]]) == first  # the ranking that picked it, not this process's newer one
        assert pd.isna(mine[rid]), mine  # none said (and none picked it for her here): none claimed
        assert "pick" in second
