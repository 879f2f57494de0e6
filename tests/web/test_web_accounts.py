"""Sign-in: when accounts switch on, signed sessions, the rate limit, and who a decision is saved under."""

from __future__ import annotations

import html
import re

import pytest
from webtestdata import PASSWORD, decide, form_token, login, page_text, shown_id

from screener.accounts import add_user, hash_password
from screener.project import Project


def sign_in(c, name, password):
    return c.post("/login", data={"name": name, "password": password, "csrf_token": form_token(c, "/login")})


def test_one_reviewer_on_this_computer_needs_no_account(review, opened):
    app = opened(review[0])
    c = app.test_client()
    assert "/reviewer" in c.get("/screen").headers["Location"]
    assert c.get("/login").status_code == 302  # no sign-in page without accounts


def test_accounts_switch_on_with_the_first_account(review, opened):
    directory, _ = review
    app = opened(directory)
    ann, _ = login(app, "Ann")  # login-free
    add_user(app.config["SCREENER_PROJECT"].store, "Olga", "owner", PASSWORD)
    r = ann.get("/screen")  # the typed name no longer counts
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert ann.get("/api/next").status_code == 401
    assert sign_in(ann, "Olga", PASSWORD).status_code == 302
    assert "Olga" in ann.get("/screen").get_data(as_text=True)


def test_dual_mode_without_accounts_says_how_to_add_them(dual_review, opened):
    app = opened(dual_review[0])
    c = app.test_client()
    assert "/login" in c.get("/screen").headers["Location"]
    html = c.get("/login").get_data(as_text=True)
    assert "no accounts yet" in html and "screener user add" in html and "--role owner" in html
    assert c.get("/reviewer").status_code == 302  # no typed names in dual mode


def test_login_logout_and_the_decision_is_saved_under_the_session(dual_review, opened):
    directory, _ = dual_review
    app = opened(directory)
    store = app.config["SCREENER_PROJECT"].store
    add_user(store, "ana", "reviewer", PASSWORD)
    c = app.test_client()
    r = sign_in(c, "ana", "wrong password!")
    assert r.status_code == 401 and "do not match" in r.get_data(as_text=True)
    r = c.post("/login", data={"name": "ana", "password": PASSWORD, "next": "/records",
                               "csrf_token": form_token(c, "/login")})
    assert r.status_code == 302 and r.headers["Location"] == "/records"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "ana" not in cookie.split(";")[0].split("=", 1)[0]
    token = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/screen").get_data(as_text=True)).group(1)
    rid = shown_id(c)
    # a reviewer name in the body or a cookie of its own is ignored: the session says who it is
    c.set_cookie("screener_reviewer", "ben")
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include", "reviewer": "ben"},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    with Project.open(directory) as p:
        assert list(p.decision_log()["reviewer"]) == ["ana"]
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    assert c.get("/api/next").status_code == 401


def test_signing_out_ends_the_session_not_only_the_browsers_copy(dual_review, opened):
    """A session is a signed cookie: before, 'Sign out' only asked the browser to drop it, and a
    copy kept from before (another browser profile, a saved request) still screened as ana for
    14 days. Signing out ends that session only: ana's other browser stays signed in."""
    app = opened(dual_review[0])
    c, token = login(app, "ana")
    laptop, _ = login(app, "ana")
    name = app.config["SESSION_COOKIE_NAME"]
    kept = c.get_cookie(name).value
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    copy = app.test_client()
    copy.set_cookie(name, kept)
    assert copy.get("/api/next").status_code == 401
    r = copy.post("/api/decide", json={"record_id": 1, "decision": "include"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 401
    assert laptop.get("/api/next").status_code == 200
    with Project.open(dual_review[0]) as p:
        assert p.decision_log().empty
    c, _ = login(app, "ana", client=c)  # signing in again works
    assert c.get("/api/next").status_code == 200


def test_a_forged_session_cookie_is_not_accepted(dual_review, opened):
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import URLSafeTimedSerializer

    app = opened(dual_review[0])
    add_user(app.config["SCREENER_PROJECT"].store, "ana", "reviewer", PASSWORD)
    iface = SecureCookieSessionInterface()
    forged = URLSafeTimedSerializer("not the project's key", salt=iface.salt, serializer=iface.serializer,
                                    signer_kwargs={"key_derivation": "hmac", "digest_method": iface.digest_method})
    c = app.test_client()
    c.set_cookie(app.config["SESSION_COOKIE_NAME"], forged.dumps({"user": "ana", "csrf_token": "x"}))
    assert c.get("/api/next").status_code == 401


def test_a_new_password_signs_out_old_sessions(dual_review, opened):
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    c, _ = login(app, "ana")
    assert c.get("/api/next").status_code == 200
    store.update_user("ana", password_hash=hash_password("a brand new password"))
    assert c.get("/api/next").status_code == 401


def test_signing_in_with_a_password_hashed_under_older_settings_keeps_one_signed_in(dual_review, opened):
    """An account whose password hash was made with other argon2 settings (an older screener) is
    hashed again at sign-in; the session was marked with the old hash, so the very next page
    signed the reviewer out again, and only a second sign-in worked."""
    from argon2 import PasswordHasher

    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    store.add_user("ana", "reviewer", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD))
    c = app.test_client()
    r = sign_in(c, "ana", PASSWORD)
    assert r.status_code == 302 and "/login" not in r.headers["Location"]
    assert store.get_user("ana")["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # hashed again
    assert c.get("/api/next").status_code == 200
    assert "Screening as" in c.get("/screen").get_data(as_text=True)


def test_failed_sign_ins_are_rate_limited(dual_review, opened):
    app = opened(dual_review[0])
    add_user(app.config["SCREENER_PROJECT"].store, "ana", "reviewer", PASSWORD)
    c = app.test_client()
    for _ in range(5):
        assert sign_in(c, "ana", "guess number n").status_code == 401
    r = sign_in(c, "ana", PASSWORD)  # even the right password waits now
    assert r.status_code == 429 and "Too many failed sign-ins" in r.get_data(as_text=True)
    other = app.test_client()
    assert sign_in(other, "ana", PASSWORD).status_code == 429  # per name, whatever the browser


def test_the_owner_lifts_a_lock_out_from_the_terminal(dual_review, opened, tmp_path):
    """After five mistyped passwords a reviewer waited 15 minutes whatever the owner did: there was no
    command to lift the lock-out, and a new password set for them was refused too until it lapsed."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    directory = str(dual_review[0])
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    add_user(store, "Olga", "owner", PASSWORD)
    add_user(store, "ana", "reviewer", PASSWORD)
    add_user(store, "ben", "reviewer", PASSWORD)
    c = app.test_client()
    for name in ("ana",) * 5 + ("ben",) * 5:
        assert sign_in(c, name, "guess number n").status_code == 401
    r = sign_in(c, "ana", PASSWORD)
    assert r.status_code == 429 and "screener user unlock" in r.get_data(as_text=True)
    run = CliRunner().invoke
    out = run(cli, ["user", "unlock", directory, "ANA"])  # as sign-in reads names: any capitals
    assert out.exit_code == 0 and "5 failed sign-ins of ana forgotten" in " ".join(out.output.split())
    assert sign_in(c, "ana", PASSWORD).status_code == 302
    assert sign_in(app.test_client(), "ben", PASSWORD).status_code == 429  # only ana's was lifted
    pw = tmp_path / "pw.txt"
    pw.write_text("a new long password\n", encoding="utf-8")
    assert run(cli, ["user", "password", directory, "Ben", "--password-file", str(pw)]).exit_code == 0
    assert sign_in(app.test_client(), "ben", "a new long password").status_code == 302  # at once
    out = run(cli, ["user", "unlock", directory, "ben"])
    assert out.exit_code == 0 and "nothing was locked" in " ".join(out.output.split())
    out = run(cli, ["user", "unlock", directory])
    assert out.exit_code == 1 and "--everyone" in out.output
    for k in range(20):  # a whole office behind one address
        sign_in(app.test_client(), f"guesser {k}", "guess")
    assert sign_in(app.test_client(), "Olga", PASSWORD).status_code == 429
    assert run(cli, ["user", "unlock", directory, "--everyone"]).exit_code == 0
    assert sign_in(app.test_client(), "Olga", PASSWORD).status_code == 302


def test_unlocking_one_account_says_when_its_office_address_is_still_locked(dual_review, opened):
    """'user unlock DIR ana' said 'they can sign in again now' while the address the office signs in from
    was locked (twenty failed sign-ins from it): ana was still refused. It now says that sign-ins from a
    locked address stay refused, and how to lift that too."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    directory = str(dual_review[0])
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    add_user(store, "ana", "reviewer", PASSWORD)
    for name in ("ana",) * 5 + tuple(f"colleague {k}" for k in range(15)):  # one office, one address
        sign_in(app.test_client(), name, "guess")
    out = CliRunner().invoke(cli, ["user", "unlock", directory, "ana"])
    text = " ".join(out.output.split())
    assert out.exit_code == 0 and "5 failed sign-ins of ana forgotten" in text
    assert sign_in(app.test_client(), "ana", PASSWORD).status_code == 429  # the address is still locked
    assert "can sign in again now" not in text and "1 address" in text and "--everyone" in text, text


def test_unlock_does_not_count_failed_sign_ins_older_than_the_lock_out(dual_review):
    """Failures older than the 15-minute window lock nothing: 'user unlock' said 'Lifted: 5 failed sign-ins
    of ana forgotten' for five mistyped passwords of an hour ago, as if she had been locked out."""
    import time

    from typer.testing import CliRunner

    from screener.cli import app as cli
    from screener.project import Project

    with Project.open(dual_review[0]) as project:
        add_user(project.store, "ana", "reviewer", PASSWORD)
        project.store.set_setting("login_failures", {"name:ana": [time.time() - 3600] * 5})
    out = CliRunner().invoke(cli, ["user", "unlock", str(dual_review[0]), "ana"])
    text = " ".join(out.output.split())
    assert out.exit_code == 0 and "nothing was locked" in text and "Lifted" not in text, text


def test_the_sign_in_limit_holds_across_server_processes_and_a_restart(dual_review):
    """Several worker processes ('screener serve --workers 3') each kept their own count of failed
    sign-ins: a guesser had five tries per process, and a locked-out account signed in on the
    next process, or after a restart. The count is the project's now."""
    from screener.web.app import create_app

    directory = dual_review[0]
    projects = [Project.open(directory) for _ in range(3)]
    try:
        add_user(projects[0].store, "ana", "reviewer", PASSWORD)
        first, second = (create_app(p, start=False).test_client() for p in projects[:2])
        for c in (first, second, first, second, first):
            assert sign_in(c, "ana", "guess number n").status_code == 401
        for c in (first, second):
            r = sign_in(c, "ana", PASSWORD)
            assert r.status_code == 429 and "Too many failed sign-ins" in r.get_data(as_text=True)
        projects[0].close()
        projects[1].close()
        restarted = create_app(projects[2], start=False).test_client()  # the server started again
        assert sign_in(restarted, "ana", PASSWORD).status_code == 429
    finally:
        for p in projects:
            p.close()


def test_the_sign_in_limit_kept_in_the_project_forgets_old_failures(dual_review):
    from screener.web.security import StoredLoginLimiter

    now = [1000.0]
    with Project.open(dual_review[0]) as p:
        lim = StoredLoginLimiter(p.store, per_name=2, per_address=9, window=60, clock=lambda: now[0])
        assert lim.begin("10.0.0.1", "ana") == 0 and lim.begin("10.0.0.2", "Ana ") == 0
        assert lim.begin("10.0.0.3", "ANA") == pytest.approx(60)
        assert StoredLoginLimiter(p.store, per_name=2, window=60, clock=lambda: now[0]).wait("x", "ana") > 0
        now[0] += 61
        assert lim.begin("10.0.0.1", "ana") == 0
        lim.succeeded("10.0.0.1", "ana")
        assert p.store.get_setting("login_failures") == {}  # the old ones pruned, ana's forgotten


def test_a_sign_in_while_the_database_is_down_is_not_called_a_wrong_password(dual_review, opened, monkeypatch):
    """The team server's database restarting while ana signs in: she was told her name and password
    do not match (and each try counted towards the lock-out); now she is told the database is not
    answering, and to try again: nothing counts against her."""
    from screener.errors import DatabaseUnavailable

    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    add_user(store, "ana", "reviewer", PASSWORD)
    c = app.test_client()
    token = form_token(c, "/login")

    def down(name):
        raise DatabaseUnavailable("cannot reach the review database at postgresql://db/review (restarting)")

    monkeypatch.setattr(store, "get_user", down)
    for _ in range(6):
        r = c.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 503, r.get_data(as_text=True)
        text = r.get_data(as_text=True)
        assert "not answering" in text and "do not match" not in text and "sent again" not in text
        assert "try again in a moment" in text.lower()
    monkeypatch.undo()
    assert sign_in(c, "ana", PASSWORD).status_code == 302  # no lock-out from the tries made meanwhile


def test_sign_ins_sent_all_at_once_get_five_guesses_too(dual_review, opened, monkeypatch):
    """Each sign-in was checked against the limit before the ones already under way had failed:
    twenty wrong passwords sent together were all tried. Here each next sign-in arrives while the
    one before is still checking its password; only five are tried."""
    import screener.accounts

    app = opened(dual_review[0])
    add_user(app.config["SCREENER_PROJECT"].store, "ana", "reviewer", PASSWORD)
    clients = [app.test_client() for _ in range(20)]
    tokens = [form_token(c, "/login") for c in clients]
    tried, answers = [], []
    checked = screener.accounts.authenticate

    def slow(store, name, password):
        tried.append(password)
        if len(answers) + len(tried) < len(clients):  # the next one comes in meanwhile
            i = len(tried)
            r = clients[i].post("/login", data={"name": "ana", "password": f"guess {i}", "csrf_token": tokens[i]})
            answers.append(r.status_code)
        return checked(store, name, password)

    monkeypatch.setattr(screener.accounts, "authenticate", slow)
    r = clients[0].post("/login", data={"name": "ana", "password": "guess 0", "csrf_token": tokens[0]})
    answers.append(r.status_code)
    assert len(tried) == 5 and sorted(answers) == [401] * 5 + [429] * (len(answers) - 5)


def test_owner_adds_reviewers_in_the_web_app(dual_review, opened):
    app = opened(dual_review[0])
    owner, tok = login(app, "Olga", "owner")
    assert "Accounts" in owner.get("/screen").get_data(as_text=True)
    r = owner.post("/users", data={"name": "ben", "role": "reviewer", "password": PASSWORD, "password2": PASSWORD,
                                   "csrf_token": tok})
    assert r.status_code == 200 and "Added ben (reviewer)" in r.get_data(as_text=True)
    r = owner.post("/users", data={"name": "Ben", "role": "reviewer", "password": PASSWORD, "password2": PASSWORD,
                                   "csrf_token": tok})
    assert r.status_code == 400 and "tell apart" in r.get_data(as_text=True)
    r = owner.post("/users", data={"name": "b\u200ben", "role": "reviewer", "password": PASSWORD,
                                   "password2": PASSWORD, "csrf_token": tok})
    assert r.status_code == 400 and "ZERO WIDTH SPACE" in r.get_data(as_text=True)
    ben, tb = login(app, "ben")
    assert ben.get("/users").status_code == 403
    assert ben.post("/users", data={"name": "eve", "password": PASSWORD, "password2": PASSWORD,
                                    "csrf_token": tb}).status_code == 403
    rid = shown_id(ben)
    decide(ben, tb, rid, "exclude")
    assert [u["name"] for u in app.config["SCREENER_PROJECT"].store.users()] == ["Olga", "ben"]


def test_typed_names_are_normalised_and_lookalikes_refused(review, opened):
    app = opened(review[0])
    ann, ta = login(app, "ana")
    decide(ann, ta, shown_id(ann), "include")
    for bad in ("ana\u200b", "\u202eana", "\u0430na", "Ana"):
        c = app.test_client()
        r = c.post("/reviewer", data={"name": bad, "csrf_token": form_token(c, "/reviewer")})
        assert r.status_code == 400, bad
        assert c.get("/api/next").status_code == 401
    c, _ = login(app, "ana")  # the same name again is fine (the same person, another browser)
    assert c.get("/api/next").get_json()["counts"]["screened"] == 1


def test_a_decision_sent_after_the_session_ended_is_said_unsaved_and_sign_in_returns_to_its_page(dual_review,
                                                                                                   opened):
    """A reviewer whose session ended (a new password, 'Sign out' in another window) chose a decision
    on a record's page: the form went on to sign-in, which then opened the form's address and showed
    'opened in the browser it does nothing ... Go back and use the button', the record's page two
    steps back and no word before that the decision was not saved. Sign-in now says so and returns
    to the record's page (the conflicts list, for a resolution)."""
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    c, _ = login(app, "ana")
    rid = shown_id(c)
    token = form_token(c, f"/records/{rid}")
    store.update_user("ana", password_hash=hash_password("a brand new password"))
    for path, back in ((f"/records/{rid}/decision", f"/records/{rid}"), (f"/conflicts/{rid}/resolve", "/conflicts"),
                       ("/blinding/end", "/conflicts")):
        r = c.post(path, data={"decision": "include", "shown": "", "note": "peer workers", "csrf_token": token})
        assert r.status_code == 302 and "/login" in r.headers["Location"]
        page = c.get(r.headers["Location"]).get_data(as_text=True)
        assert "was not saved" in page, page
        r = c.post("/login", data={"name": "ana", "password": "a brand new password",
                                   "next": re.search(r'name="next" value="([^"]*)"', page).group(1),
                                   "csrf_token": form_token(c, "/login")})
        assert r.status_code == 302 and r.headers["Location"].split("?")[0] == back
        assert c.get(r.headers["Location"]).status_code == 200
        token = form_token(c, f"/records/{rid}")  # signing in gave the session a new one
        store.update_user("ana", password_hash=hash_password("a brand new password"))  # signed out again
    assert app.config["SCREENER_PROJECT"].decision_log().empty  # nothing saved unseen


def test_a_keypress_after_the_session_ended_says_the_decision_was_not_saved(dual_review, opened):
    """The screening page's key after the session ended (a new password, 'Sign out' in another
    window) was answered 'You are signed out. Reload the page and sign in again.', with no word on
    the decision: a reviewer read it as saved and went on. It now says it was not saved, and which."""
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    c, token = login(app, "ana")
    rid = shown_id(c)
    store.update_user("ana", password_hash=hash_password("a brand new password"))
    r = c.post("/api/decide", json={"record_id": rid, "decision": "include", "note": "peer workers"},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 401
    said = r.get_json()["error"]
    assert "not saved" in said and f"record {rid}" in said and "sign in" in said and "note" in said, said
    r = c.post("/api/undo", json={}, headers={"X-CSRF-Token": token})
    assert r.status_code == 401 and "nothing was undone" in r.get_json()["error"]
    assert c.get("/api/next").get_json()["error"].startswith("You are signed out")
    assert app.config["SCREENER_PROJECT"].decision_log().empty


def test_a_keypress_in_a_tab_from_before_signing_in_again_says_the_decision_was_not_saved(dual_review, opened):
    """Signed out, a reviewer signed in again in a new tab; the screening tab left open kept the old
    security token, and its next key was answered 'This page has expired ... Reload the page and try
    again', no word on the decision shown. It now says the decision on that record was not saved."""
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    c, old_token = login(app, "ana")
    rid = shown_id(c)
    store.update_user("ana", password_hash=hash_password("a brand new password"))
    assert sign_in(c, "ana", "a brand new password").status_code == 302  # the new tab
    r = c.post("/api/decide", json={"record_id": rid, "decision": "exclude"}, headers={"X-CSRF-Token": old_token})
    assert r.status_code == 400
    said = r.get_json()["error"]
    assert "expired" in said and f"decision on record {rid} was not saved" in said, said
    assert app.config["SCREENER_PROJECT"].decision_log().empty


# -- a reviewer who leaves the team ------------------------------------------------------------------
def test_a_disabled_reviewer_is_told_why_and_their_open_page_is_signed_out(dual_review, opened):
    """A reviewer who left kept access until the owner changed their password; the owner disables
    the account on the Accounts page: their open page is signed out at its next request, signing in
    says the owner disabled it (only to someone who knows the password), and enabling it again
    lets them sign in anew (the page left open stays signed out)."""
    app = opened(dual_review[0])
    owner, to = login(app, "Olga", "owner")
    ben, tb = login(app, "ben")
    decide(ben, tb, shown_id(ben), "exclude")
    page = owner.get("/users").get_data(as_text=True)
    assert 'value="disable"' in page and "can sign in" in page
    r = owner.post("/users", data={"action": "disable", "name": "ben", "csrf_token": to})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Disabled ben" in html and "decisions stay in the review" in html
    assert re.search(r"disabled \d{4}-\d\d-\d\d by Olga", html)
    r = ben.post("/api/decide", json={"record_id": shown_id(owner), "decision": "include"},
                 headers={"X-CSRF-Token": tb})
    assert r.status_code == 401 and "was not saved" in r.get_json()["error"]
    assert "/login" in ben.get("/screen").headers["Location"]
    r = sign_in(ben, "ben", PASSWORD)
    text = " ".join(r.get_data(as_text=True).split())
    assert r.status_code == 403 and "This account was disabled by the review&#39;s owner (Olga)" in text
    assert "ask the owner to enable it again" in text
    r = sign_in(app.test_client(), "ben", "a wrong password")  # a stranger learns nothing of the account
    assert r.status_code == 401 and "disabled" not in r.get_data(as_text=True)
    store = app.config["SCREENER_PROJECT"].store
    assert (store.decisions_frame()["reviewer"] == "ben").sum() == 1  # the decision stays
    kept = ben.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    r = owner.post("/users", data={"action": "enable", "name": "ben", "csrf_token": to})
    assert r.status_code == 200 and "ben can sign in again" in r.get_data(as_text=True)
    old = app.test_client()
    old.set_cookie(app.config["SESSION_COOKIE_NAME"], kept)
    assert old.get("/api/next").status_code == 401
    assert sign_in(ben, "ben", PASSWORD).status_code == 302 and ben.get("/screen").status_code == 200


def test_a_session_from_before_the_disable_stays_ended_after_enabling(dual_review, opened):
    """The cookie a departing reviewer kept (another browser) works no more once they are disabled,
    even after the owner lets them back in: they sign in again."""
    app = opened(dual_review[0])
    login(app, "Olga", "owner")
    ben, _ = login(app, "ben")
    name = app.config["SESSION_COOKIE_NAME"]
    elsewhere = app.test_client()
    elsewhere.set_cookie(name, ben.get_cookie(name).value)
    assert elsewhere.get("/api/next").status_code == 200
    from screener.accounts import set_disabled

    store = app.config["SCREENER_PROJECT"].store
    set_disabled(store, "ben", disabled=True)
    assert elsewhere.get("/api/next").status_code == 401
    set_disabled(store, "ben", disabled=False)
    assert elsewhere.get("/api/next").status_code == 401


def test_only_the_owner_disables_and_not_their_own_account(dual_review, opened):
    app = opened(dual_review[0])
    owner, to = login(app, "Olga", "owner")
    ben, tb = login(app, "ben")
    assert ben.post("/users", data={"action": "disable", "name": "ana", "csrf_token": tb}).status_code == 403
    r = owner.post("/users", data={"action": "disable", "name": "Olga", "csrf_token": to})
    assert r.status_code == 400 and "cannot disable your own account" in r.get_data(as_text=True)
    assert owner.get("/screen").status_code == 200
    store = app.config["SCREENER_PROJECT"].store
    assert not any(u["disabled_at"] for u in store.users())


def test_a_disabled_reviewers_decisions_keep_counting_in_dual_screening(tmp_path, opened):
    """Ana screened every record and left; her account is disabled. Her decisions still make the
    conflicts with Ben's, Ben's finishing still ends the blinding (both reviewers screened every
    record, one of them since disabled), and the owner settles the conflicts."""
    from webtestdata import build_project

    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    (owner, to), (ana, ta), (ben, tb) = login(app, "Olga", "owner"), login(app, "ana"), login(app, "ben")
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
    r = owner.post("/users", data={"action": "disable", "name": "ana", "csrf_token": to})
    assert r.status_code == 200
    differ = ids[0]
    for rid in ids:
        t = truth[rid] if rid != differ else 1 - truth[rid]
        decide(ben, tb, rid, "include" if t else "exclude")
    html = ben.get("/conflicts").get_data(as_text=True)  # Ben finished: the blinding is over for him
    assert ben.get("/conflicts").status_code == 200 and f"/conflicts/{differ}/resolve" in html
    r = owner.post(f"/conflicts/{differ}/resolve", data={"decision": "include" if truth[differ] else "exclude",
                                                         "csrf_token": to})
    assert r.status_code == 302
    project = app.config["SCREENER_PROJECT"]
    assert project.conflicts().empty
    assert set(project.decision_log()["reviewer"]) >= {"ana", "ben", "Olga"}


def test_a_session_signed_in_before_sessions_were_dated_stays_ended_after_disable_and_enable(dual_review, opened,
                                                                                             tmp_path):
    """A reviewer signed in before the team updated screener has a session that does not say which
    state of the account it was signed in to (the cookie of an older version). Disabling them ended
    it, but enabling them again brought it back to life: the check that a change to the account
    since the sign-in ends the session was skipped for it. Such a session now asks to sign in again."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    app = opened(dual_review[0])
    login(app, "Olga", "owner")
    ben, _ = login(app, "ben")
    with ben.session_transaction() as s:
        s.pop("av")  # as an older screener's sign-in wrote it
    run = CliRunner().invoke
    assert run(cli, ["user", "disable", str(dual_review[0]), "ben"]).exit_code == 0
    assert run(cli, ["user", "enable", str(dual_review[0]), "ben"]).exit_code == 0
    assert ben.get("/api/next").status_code == 401
    ben, _ = login(app, "ben", client=ben)  # signing in again works
    assert ben.get("/api/next").status_code == 200


def test_disable_and_enable_from_a_computer_whose_clock_is_behind_still_end_the_session(dual_review, opened,
                                                                                        monkeypatch):
    """The owner disabled Ben and enabled him again from a laptop whose clock is ten minutes behind
    the server's (the review's folder on a shared drive): the account's change was dated before
    Ben's sign-in, so his old session came back to life. Any change to the account since the
    sign-in ends it, whatever the clocks say."""
    from datetime import datetime, timedelta, timezone

    from typer.testing import CliRunner

    import screener.store.sqlite
    from screener.cli import app as cli

    app = opened(dual_review[0])
    login(app, "Olga", "owner")
    ben, _ = login(app, "ben")
    def behind():  # the laptop's clock
        return (datetime.now(timezone.utc) - timedelta(minutes=10)).isoformat(timespec="milliseconds")

    monkeypatch.setattr(screener.store.sqlite, "now", behind)
    run = CliRunner().invoke
    assert run(cli, ["user", "disable", str(dual_review[0]), "ben"]).exit_code == 0
    assert run(cli, ["user", "enable", str(dual_review[0]), "ben"]).exit_code == 0
    monkeypatch.undo()
    assert ben.get("/api/next").status_code == 401


@pytest.mark.parametrize("where", ["accounts page", "terminal"])
def test_the_records_a_disabled_reviewer_had_on_screen_go_to_the_others_at_once(review, opened, where):
    """Ana had a record on her screen when the owner disabled her account: single screening kept it
    from everyone else for ten minutes (a running server held it in memory), so Ben was handed the
    next one and the team read 'records are on teammates' screens' at the end. It goes to the others
    as soon as she is disabled, on the Accounts page or with 'screener user disable' in a terminal."""
    from screener.accounts import set_disabled

    directory, _ = review
    app = opened(directory)
    add_user(app.config["SCREENER_PROJECT"].store, "Olga", "owner", PASSWORD)
    owner, to = login(app, "Olga", "owner")
    ana, _ = login(app, "ana")
    ben, _ = login(app, "ben")
    held = shown_id(ana)
    assert shown_id(ben) != held  # on Ana's screen: not handed to Ben
    if where == "accounts page":
        r = owner.post("/users", data={"action": "disable", "name": "ana", "csrf_token": to})
        assert r.status_code == 200 and "Disabled ana" in r.get_data(as_text=True)
    else:  # another process on the project: the server hears of it by the account, not by a call
        with Project.open(directory) as other:
            set_disabled(other.store, "ana", disabled=True)
    assert shown_id(ben) == held


def test_adding_back_a_disabled_reviewer_on_the_accounts_page_names_the_review(dual_review, opened):
    """Adding 'Ben' again on the Accounts page after ben's account was disabled said "enable that account
    ('screener user enable DIR ben', or Enable on the Accounts page)": it names the review's folder."""
    import shlex
    from html import unescape

    app = opened(dual_review[0])
    owner, to = login(app, "Olga", "owner")
    login(app, "ben")
    assert owner.post("/users", data={"action": "disable", "name": "ben", "csrf_token": to}).status_code == 200
    r = owner.post("/users", data={"name": "Ben", "role": "reviewer", "password": PASSWORD, "password2": PASSWORD,
                                   "csrf_token": to})
    text = " ".join(unescape(page_text(r)).split())  # 'DIR' looked for outside the random form tokens
    assert r.status_code == 400 and "disabled since" in text, text
    assert f"'screener user enable {shlex.quote(str(dual_review[0].resolve()))} ben'" in text and "DIR" not in text


def test_disabling_a_reviewer_of_a_single_screening_speaks_of_no_conflicts_nor_blinding(review, opened):
    """The Accounts page of a single-screening review told the owner the disabled reviewer's decisions kept counting
    for 'conflicts, agreement, whether every reviewer has screened every record', and that she could 'end the
    blinding on the Conflicts page': a single-screening review has none of these."""
    app = opened(review[0])
    add_user(app.config["SCREENER_PROJECT"].store, "Olga", "owner", PASSWORD)  # a team: sign-in on
    owner, to = login(app, "Olga", "owner")
    ben, tb = login(app, "ben")
    decide(ben, tb, shown_id(ben), "exclude")
    r = owner.post("/users", data={"action": "disable", "name": "ben", "csrf_token": to})
    said = " ".join(html.unescape(page_text(r)).split())
    assert r.status_code == 200 and "Disabled ben" in said, said
    done = said.split("Disabled ben", 1)[1].split("Enable the account")[0]
    assert "decisions stay in the review and keep counting" in done, done
    assert not re.search(r"blinding|conflicts|agreement", done), done


def test_the_sign_in_page_shows_no_links_a_signed_out_visitor_cannot_use(dual_review, opened):
    """Signed out, the sign-in page's top bar listed Screen, Records, Dashboard and Conflicts, each of which only
    led back to sign-in. Signed out, it lists none; signed in, all of them."""
    app = opened(dual_review[0])
    add_user(app.config["SCREENER_PROJECT"].store, "ana", "reviewer", PASSWORD)
    c = app.test_client()
    nav = re.search(r"<nav>(.*?)</nav>", c.get("/login").get_data(as_text=True), re.S).group(1)
    for path in ("/screen", "/records", "/dashboard", "/conflicts"):
        assert f'href="{path}"' not in nav, nav
    assert sign_in(c, "ana", PASSWORD).status_code == 302
    nav = re.search(r"<nav>(.*?)</nav>", c.get("/screen").get_data(as_text=True), re.S).group(1)
    for path in ("/screen", "/records", "/dashboard", "/conflicts"):
        assert f'href="{path}"' in nav, nav


def test_a_wrong_password_says_how_many_tries_are_left_and_nothing_of_whether_the_name_exists(dual_review, opened):
    """A wrong password said nothing of the lock-out after five tries: the fifth locked the reviewer out unwarned. It
    says how many tries are left, in the same words for a name with no account (from another address, so that the
    counts are the same): the count is of tries, not of accounts."""
    app = opened(dual_review[0])
    add_user(app.config["SCREENER_PROJECT"].store, "ana", "reviewer", PASSWORD)

    def error(name, address):
        c = app.test_client()
        r = c.post("/login", data={"name": name, "password": "guess number n", "csrf_token": form_token(c, "/login")},
                   environ_base={"REMOTE_ADDR": address})
        return r.status_code, html.unescape(re.search(r'id="login-error">(.*?)</p>', r.get_data(as_text=True),
                                                      re.S).group(1))

    for left in (4, 3, 2, 1):
        known, unknown = error("ana", "10.0.0.1"), error("nobody", "10.0.0.2")
        assert known == unknown and known[0] == 401, (known, unknown)
        assert f"{left} tr{'y' if left == 1 else 'ies'} left" in known[1], known
    known, unknown = error("ana", "10.0.0.1"), error("nobody", "10.0.0.2")  # the fifth: locked out now
    assert known[1] == unknown[1].replace("nobody", "ana") and "tries left" not in known[1], (known, unknown)
    assert "Too many failed sign-ins" in known[1] and "screener user unlock" in known[1], known
    code, said = error("ana", "10.0.0.1")
    assert code == 429 and "Too many failed sign-ins" in said


def test_the_owner_unlocks_a_locked_out_reviewer_on_the_accounts_page(dual_review, opened):
    """Unlocking a reviewer after five mistyped passwords was the terminal's alone ('screener user unlock'): the
    owner's Accounts page showed nothing of the lock-out. It says who is locked out, with an Unlock button (the
    owner's only)."""
    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    add_user(store, "ben", "reviewer", PASSWORD)
    add_user(store, "cara", "reviewer", PASSWORD)
    for _ in range(5):
        assert sign_in(app.test_client(), "ben", "guess number n").status_code == 401
    assert sign_in(app.test_client(), "ben", PASSWORD).status_code == 429
    olga, _ = login(app, "Olga", "owner")
    page = olga.get("/users").get_data(as_text=True)
    assert page.count('value="unlock"') == 1 and "locked out" in page, page
    cara, _ = login(app, "cara")
    r = cara.post("/users", data={"action": "unlock", "name": "ben", "csrf_token": form_token(cara, "/screen")})
    assert r.status_code == 403
    assert sign_in(app.test_client(), "ben", PASSWORD).status_code == 429  # a reviewer cannot lift it
    r = olga.post("/users", data={"action": "unlock", "name": "ben", "csrf_token": form_token(olga, "/users")})
    said = page_text(r)
    assert r.status_code == 200 and "5 failed sign-ins of ben forgotten" in " ".join(said.split()), said
    assert 'value="unlock"' not in said
    r = olga.post("/users", data={"action": "unlock", "name": "ben"})  # no security token: refused
    assert r.status_code == 400
    assert sign_in(app.test_client(), "ben", PASSWORD).status_code == 302


def test_an_unlock_is_kept_with_who_lifted_it_and_when_as_a_disable_is(dual_review, opened):
    """The owner's Unlock went into a server log line nobody kept: the review kept no record of who let a reviewer
    in after five wrong passwords, while a disable is kept with its date and owner. The Accounts page and 'user
    list' now say who unlocked an account and when ('from a terminal' for 'screener user unlock')."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    add_user(store, "ben", "reviewer", PASSWORD)
    add_user(store, "cara", "reviewer", PASSWORD)
    for name in ("ben",) * 5 + ("cara",) * 5:
        sign_in(app.test_client(), name, "guess number n")
    olga, _ = login(app, "Olga", "owner")
    r = olga.post("/users", data={"action": "unlock", "name": "ben", "csrf_token": form_token(olga, "/users")})
    assert r.status_code == 200
    today = store.now()[:10]
    rows = {m.group(1): " ".join(re.sub(r"<[^>]+>", " ", m.group(0)).split()) for m in
            re.finditer(r"<tr[^>]*>\s*<td>([^<]+)</td>.*?</tr>", olga.get("/users").get_data(as_text=True), re.S)}
    assert f"unlocked {today} by Olga" in rows["ben"], rows
    assert "unlocked" not in rows["cara"] and "locked out" in rows["cara"], rows
    out = CliRunner().invoke(cli, ["user", "unlock", str(dual_review[0]), "cara"])
    assert out.exit_code == 0, out.output
    out = CliRunner().invoke(cli, ["user", "list", str(dual_review[0])], env={"COLUMNS": "200"})
    lines = {line.split()[1]: line for line in out.output.splitlines() if len(line.split()) > 1}
    assert f"unlocked {today} by Olga" in lines["ben"], out.output
    assert f"unlocked {today} from a terminal" in lines["cara"], out.output
    out = CliRunner().invoke(cli, ["user", "unlock", str(dual_review[0]), "Olga"])  # nothing locked: nothing kept
    assert "nothing was locked" in " ".join(out.output.split())
    assert "unlocked" not in CliRunner().invoke(cli, ["user", "list", str(dual_review[0])]).output.split("Olga")[1] \
        .splitlines()[0]


def test_an_unlock_of_every_account_at_once_is_kept_with_each_account_it_let_in(dual_review, opened):
    """'screener user unlock --everyone' let Ben and Cara in after their wrong passwords and kept no record of it,
    where the same unlock by name is kept ('unlocked ... from a terminal'). Each account it lifted a lock-out of now
    says so; one that was not locked out says nothing."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    for name in ("ben", "cara", "dan"):
        add_user(store, name, "reviewer", PASSWORD)
    for name in ("ben",) * 5 + ("cara",) * 5:
        sign_in(app.test_client(), name, "guess number n")
    out = CliRunner().invoke(cli, ["user", "unlock", str(dual_review[0]), "--everyone"])
    assert out.exit_code == 0, out.output
    today = store.now()[:10]
    out = CliRunner().invoke(cli, ["user", "list", str(dual_review[0])], env={"COLUMNS": "200"})
    lines = {line.split()[1]: line for line in out.output.splitlines() if len(line.split()) > 1}
    assert f"unlocked {today} from a terminal" in lines["ben"], out.output
    assert f"unlocked {today} from a terminal" in lines["cara"], out.output
    assert "unlocked" not in lines["dan"], out.output


def test_an_unlock_of_an_account_not_locked_out_is_not_kept_as_a_lifted_lock_out(dual_review, opened):
    """'screener user unlock dan' after two wrong passwords (five lock an account) forgot them, and 'user list' said
    'unlocked ... from a terminal' of an account never locked out; the owner's Unlock sent for it did the same.
    Only a lock-out lifted is kept, as 'unlock --everyone' keeps it."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    for name in ("dan", "eve"):
        add_user(store, name, "reviewer", PASSWORD)
    for name in ("dan",) * 2 + ("eve",) * 2:
        sign_in(app.test_client(), name, "guess number n")
    out = CliRunner().invoke(cli, ["user", "unlock", str(dual_review[0]), "dan"])
    assert out.exit_code == 0, out.output
    olga, _ = login(app, "Olga", "owner")
    r = olga.post("/users", data={"action": "unlock", "name": "eve", "csrf_token": form_token(olga, "/users")})
    assert r.status_code == 200
    out = CliRunner().invoke(cli, ["user", "list", str(dual_review[0])], env={"COLUMNS": "200"})
    lines = {line.split()[1]: line for line in out.output.splitlines() if len(line.split()) > 1}
    assert "unlocked" not in lines["dan"] and "unlocked" not in lines["eve"], out.output


def test_enabling_an_account_again_is_kept_with_who_did_it_and_when(dual_review, opened):
    """Enabling a disabled reviewer cleared the disable and kept nothing: the Accounts page and 'user list' said
    'can sign in' as of an account never disabled, where a disable and an unlock say who and when. They now say who
    enabled it again and when ('from a terminal' for 'screener user enable'), with the disable it ended."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    app = opened(dual_review[0])
    store = app.config["SCREENER_PROJECT"].store
    for name in ("ben", "cara", "dan", "eve"):
        add_user(store, name, "reviewer", PASSWORD)
    olga, to = login(app, "Olga", "owner")
    for name in ("ben", "dan"):
        assert olga.post("/users", data={"action": "disable", "name": name, "csrf_token": to}).status_code == 200
    assert CliRunner().invoke(cli, ["user", "disable", str(dual_review[0]), "cara"]).exit_code == 0
    for name in ("ben", "dan"):
        assert olga.post("/users", data={"action": "enable", "name": name, "csrf_token": to}).status_code == 200
    assert CliRunner().invoke(cli, ["user", "enable", str(dual_review[0]), "cara"]).exit_code == 0
    assert olga.post("/users", data={"action": "disable", "name": "dan", "csrf_token": to}).status_code == 200
    r = olga.post("/users", data={"action": "enable", "name": "eve", "csrf_token": to})  # never disabled
    assert r.status_code == 200 and "eve was not disabled" in r.get_data(as_text=True)
    today = store.now()[:10]
    rows = {m.group(1): " ".join(re.sub(r"<[^>]+>", " ", m.group(0)).split()) for m in
            re.finditer(r"<tr[^>]*>\s*<td>([^<]+)</td>.*?</tr>", olga.get("/users").get_data(as_text=True), re.S)}
    out = CliRunner().invoke(cli, ["user", "list", str(dual_review[0])], env={"COLUMNS": "200"})
    lines = {line.split()[1]: line for line in out.output.splitlines() if len(line.split()) > 1}
    for said in (rows, lines):
        assert f"can sign in; enabled again {today} by Olga (disabled {today} by Olga)" in said["ben"], said
        assert f"can sign in; enabled again {today} from a terminal (disabled {today} from a terminal)" \
            in said["cara"], said
        assert f"disabled {today} by Olga" in said["dan"] and "enabled" not in said["dan"], said  # disabled again
        assert "can sign in" in said["eve"] and "enabled" not in said["eve"], said
