"""A review team's walk through the web app (owner Olga, reviewers Anabel and Ben, blind dual screening):
what a page said that misled them, or an action that showed nothing of what it had done."""

from __future__ import annotations

import html
import re

from webtestdata import build_project, decide, form_token, login, page_text

OWNER, ANA, BEN = "Olga", "Anabel", "Ben"


def _team(tmp_path, opened):
    directory, truth = build_project(tmp_path / "walk", mode="dual", n=16, xss=False)
    app = opened(directory)
    return app, truth, login(app, OWNER, "owner"), login(app, ANA), login(app, BEN)


def _said(resp) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_text(resp))).split())


def test_the_blind_dashboard_does_not_say_the_recall_estimate_shows_the_other_reviewers_decisions(tmp_path, opened):
    """Ben's dashboard, blind, said of the hidden recall estimate 'this shows what the other reviewer decided or how
    often you agree': it shows neither. It says why it is hidden and when it opens."""
    app, truth, _, (ana, ta), (ben, tb) = _team(tmp_path, opened)
    rid = next(iter(truth))
    decide(ana, ta, rid, "include")
    decide(ben, tb, rid, "exclude")
    said = _said(ben.get("/dashboard"))
    assert "Screening is blind" in said, said
    assert "shows what the other reviewer decided" not in said, said
    assert "how often you and the other reviewer agree" in said, said
    # the conflicts page, which does list what each decided, keeps its words
    assert "this shows what the other reviewer decided" in _said(ben.get("/conflicts"))


def test_signing_out_says_so(tmp_path, opened):
    """Ben clicked Sign out and got the sign-in page with nothing to say he had been signed out (on a shared
    computer he could not tell whether it had worked). It says he is signed out."""
    app, _, _, _, (ben, tb) = _team(tmp_path, opened)
    r = ben.post("/logout", data={"csrf_token": form_token(ben, "/dashboard")}, follow_redirects=True)
    said = _said(r)
    assert "Sign in" in said and "You are signed out" in said, said
    assert "Screening as" not in said


def test_settling_a_conflict_says_which_record_was_settled_and_how(tmp_path, opened):
    """Olga settled a conflict on the Conflicts page: the record dropped off the list with no word of what was saved,
    so a mis-click (Exclude for Include) went unseen. The page names the record and the decision saved, and how to
    settle it otherwise (the record is no longer listed)."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _team(tmp_path, opened)
    rid = next(iter(truth))
    decide(ana, ta, rid, "include")
    decide(ben, tb, rid, "exclude")
    page = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    key = re.search(rf'action="/conflicts/{rid}/resolve".*?name="form_key" value="([^"]+)"', page, re.S).group(1)
    r = owner.post(f"/conflicts/{rid}/resolve", data={"csrf_token": form_token(owner, "/conflicts"),
                                                      "form_key": key, "decision": "include"},
                   follow_redirects=True)
    assert r.status_code == 200
    said = _said(r)
    assert f"Record {rid}" in said and "settled as include" in said, said
    assert f"--reviewer {OWNER} --resolve {rid} DECISION" in said, said


def test_a_locked_out_reviewer_is_given_the_whole_command_to_pass_to_the_owner(tmp_path, opened):
    """Ben mistyped his password five times: the page said to ask the owner to lift the lock-out with 'screener user
    unlock', which the owner could not paste (no review folder, no name). It names both, as the page's own
    forgotten-password line does."""
    app, _, _, _, _ = _team(tmp_path, opened)
    c = app.test_client()
    for _ in range(5):
        c.post("/login", data={"name": BEN, "password": "not it at all", "csrf_token": form_token(c, "/login")})
    r = c.post("/login", data={"name": BEN, "password": "not it at all", "csrf_token": form_token(c, "/login")})
    assert r.status_code == 429
    said = _said(r)
    assert "Too many failed sign-ins" in said and f"screener user unlock walk {BEN}" in said, said


def test_after_the_owner_ends_the_blinding_her_screening_page_does_not_say_a_key_would_blind_everyone(
        tmp_path, opened):
    """Olga ended the blinding on the Conflicts page; her screening page still warned that a decision of hers would
    hide the team's figures and conflicts from her and hold the blinding for everyone until she had screened every
    record. The blinding she ended stays ended whoever screens: the page says only that she would be a screener."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _team(tmp_path, opened)

    def note(c) -> str:
        found = re.search(r'<p class="note" id="owner-screens">(.*?)</p>', page_text(c.get("/screen")), re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""

    assert "the blinding holds for everyone" in note(owner)
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    said = note(owner)
    assert "one of the screeners" in said and "blinding holds" not in said and "hidden from you" not in said, said
    decide(owner, to, next(iter(truth)), "include")  # as the page now says: she still sees the team's figures
    said = _said(owner.get("/conflicts"))
    assert "You ended the title/abstract blinding" in said and "Screening is blind" not in said, said
