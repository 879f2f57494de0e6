"""Blind dual screening, enforced by the server on every route and every export.

``ROUTES`` below says how each route of the app is fetched; ``test_every_route_is_checked``
fails when the app gains a route that is not listed here (or in ``BLIND_ROUTES``), so a new
page cannot skip the blinding checks. For every route, Ben's view must not change when Anabel
decides, agrees, disagrees or writes notes, and must never carry her name, notes or an
agreement figure, until the owner ends the blinding or both have screened every record.
"""

from __future__ import annotations

import html as html_text
import io
import json
import re

import pytest
from webtestdata import build_project, decide, login, make_records, page_text, shown_id, write_csv

from screener.io.export import EXPORT_FORMATS
from screener.project import Project
from screener.shell import shell_quote
from screener.web.app import BLIND_ROUTES

ANA, BEN, OWNER = "Anabel", "Ben", "Olga"
SECRET = "ANA-SECRET-NOTE"

#: endpoint -> (method, path or path template, whether the answer may follow the ranking: True, the
#: record shown next; "marks", only which words are highlighted as the model's key terms)
ROUTES = {
    "index": ("GET", "/", False),
    "static": ("GET", "/static/style.css", False),
    "login": ("GET", "/login", False),
    "logout": ("POST", "/logout", False),
    "reviewer": ("GET", "/reviewer", False),
    "users": ("GET", "/users", False),
    "end_blinding": ("POST", "/blinding/end", False),
    "screen": ("GET", "/screen", True),
    "api_next": ("GET", "/api/next", True),
    "api_status": ("GET", "/api/status", True),
    "api_decide": ("POST", "/api/decide", True),
    "api_undo": ("POST", "/api/undo", True),
    "records": ("GET", "/records", False),
    "record_detail": ("GET", "/records/{shared}", "marks"),
    "record_decide": ("POST", "/records/{shared}/decision", False),
    "dashboard": ("GET", "/dashboard", False),
    "discovery_png": ("GET", "/dashboard/discovery.png", False),
    "export_records": ("GET", "/export/records.{fmt}", False),
    "export_report": ("GET", "/export/report.html", False),
    "export_agreement": ("GET", "/export/agreement.csv", False),
    "conflicts": ("GET", "/conflicts", False),
    "resolve": ("POST", "/conflicts/{shared}/resolve", False),
    "duplicates": ("GET", "/duplicates", False),
    "duplicates_decide": ("POST", "/duplicates/decide", False),
}
#: Extra forms of a route (each export format, the conflicts list asked to reveal, record filters).
VARIANTS = {
    "export_records": ["/export/records.csv", "/export/records.tsv", "/export/records.ris", "/export/records.xlsx",
                       "/export/records.csv?only=included", "/export/records.ris?only=excluded"],
    "conflicts": ["/conflicts", "/conflicts?reveal=1"],
    "records": ["/records", "/records?decision=include", "/records?decision=exclude", "/records?decision=unscreened",
                "/records?decision=conflict&whose=team"],
}


def test_every_route_is_checked(dual_review, opened):
    app = opened(dual_review[0])
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), f"routes missing from the blinding checks: {sorted(endpoints - set(ROUTES))}"
    assert endpoints == set(BLIND_ROUTES), "screener.web.app.BLIND_ROUTES must describe every route"


def _xlsx_rows(data: bytes) -> list:
    from openpyxl import load_workbook

    return [list(r) for r in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]


def _view(resp) -> str:
    """What the viewer gets, as comparable text (XLSX as its cells: the file itself carries a timestamp)."""
    head = f"{resp.status_code} {resp.headers.get('Location', '')}\n"
    if resp.mimetype.endswith("spreadsheetml.sheet"):
        return head + json.dumps(_xlsx_rows(resp.data), default=str)
    if resp.mimetype == "image/png":
        return head + f"png {len(resp.data)}"
    return head + page_text(resp)


def _counts_only(resp) -> str:
    """For answers that follow the ranking (the record shown next): the parts that must not move."""
    if resp.is_json:
        data = resp.get_json()
        status = data.get("status", data)
        return json.dumps({"counts": data.get("counts"), "phase": status.get("phase"),
                           "retrains": status.get("retrains"), "n_labelled": status.get("n_labelled"),
                           "generation": status.get("generation")}, sort_keys=True)
    html = resp.get_data(as_text=True)
    return " ".join(re.findall(r'id="n-(?:included|screened|total)">(\d+)<', html)) + \
        " ".join(re.findall(r'id="model-(?:phase|retrains)">([^<]*)<', html))


def _unmarked(resp) -> str:
    return re.sub(r"</?mark>", "", _view(resp))


def fetch_all(c, token, shared: int, *, posts: bool) -> dict[str, object]:
    """Ben's view of every route; the POST routes only when ``posts`` (they change things)."""
    out = {}
    for endpoint, (method, path, follows_ranking) in ROUTES.items():
        paths = VARIANTS.get(endpoint, [path])
        for p in paths:
            p = p.format(shared=shared, fmt="csv")
            if method == "POST":
                if not posts or endpoint in ("logout",):
                    continue
                body = {"record_id": shared, "decision": "exclude"} if endpoint == "api_decide" else None
                form = {"decision": "include", "csrf_token": token}
                resp = c.post(p, json=body, headers={"X-CSRF-Token": token}) if endpoint.startswith("api_") \
                    else c.post(p, data=form)
            else:
                resp = c.get(p)
            out[p] = resp
    return out


def _leaks(resp) -> list[str]:
    text = _view(resp)
    found = [w for w in (SECRET, ANA, "Cohen", "kappa", "κ", "<th>Agree</th>", "percent_agreement",
                                            "conflicts to resolve") if w.lower() in text.lower()]
    if resp.is_json:
        data = resp.get_json()
        rec = data.get("record") or {}
        status = data.get("status", data)
        if rec.get("rank") is not None or status.get("retrains") is not None or status.get("n_labelled") is not None:
            found.append("rank or model status")
        if "like included record" in (rec.get("reason") or ""):
            found.append("similar include")
    return found


@pytest.fixture
def team(dual_review, opened):
    directory, truth = dual_review
    app = opened(directory)
    eng = app.extensions["screener"]
    owner, _ = login(app, OWNER, "owner")
    ana, ta = login(app, ANA)
    ben, tb = login(app, BEN)
    return app, eng, directory, truth, ana, ta, ben, tb


def test_no_route_shows_ben_anything_of_anabel_until_the_blinding_ends(team):
    app, eng, directory, truth, ana, ta, ben, tb = team
    ben_ids = []
    for i in range(6):
        rid = shown_id(ben)
        decide(ben, tb, rid, "include" if truth[rid] else "exclude", note=f"ben note {i}")
        ben_ids.append(rid)
    shared = ben_ids[0]
    assert eng.wait_idle(60)
    before = fetch_all(ben, tb, shared, posts=False)

    # Anabel agrees on some of Ben's records, disagrees on others, and screens ones Ben has not seen
    for i, rid in enumerate(ben_ids):
        mine = "include" if truth[rid] else "exclude"
        other = mine if i % 2 else ("exclude" if mine == "include" else "include")
        decide(ana, ta, rid, other, note=f"{SECRET} {i}")
    for _ in range(3):
        rid = shown_id(ana)
        decide(ana, ta, rid, "include", note=f"{SECRET} extra")
    assert eng.wait_idle(60)
    with Project.open(directory) as p:  # the team's side really did change
        assert len(p.conflicts()["record_id"].unique()) == 3 and len(p.labels()) == 3

    after = fetch_all(ben, tb, shared, posts=False)
    assert before.keys() == after.keys()
    for path in before:
        endpoint = next(e for e, (_, p, _f) in ROUTES.items() if p.format(shared=shared, fmt="csv") == path
                        or path in [v.format(shared=shared) for v in VARIANTS.get(e, [])])
        assert not _leaks(after[path]), (path, _leaks(after[path]))
        if ROUTES[endpoint][2] == "marks":
            assert _unmarked(before[path]) == _unmarked(after[path]), path
        elif ROUTES[endpoint][2]:
            assert _counts_only(before[path]) == _counts_only(after[path]), path
        else:
            assert _view(before[path]) == _view(after[path]), path
    # what Ben may not open at all while blind
    for path in ("/export/report.html", "/export/agreement.csv", "/dashboard/discovery.png", "/users",
                 "/duplicates"):
        assert after[path].status_code == 403, path

    # the changes Ben can make show him nothing of Anabel's either
    posts = fetch_all(ben, tb, shared, posts=True)
    for path in ("/blinding/end", f"/conflicts/{shared}/resolve", "/duplicates/decide"):
        assert posts[path].status_code == 403, path
    for path, resp in posts.items():
        assert not _leaks(resp), (path, _leaks(resp))
    with Project.open(directory) as p:
        log = p.decision_log()
        assert not ((log["role"] == "resolver")).any()
        assert p.store.get_setting("blinding_ended") is None


def _export_text(resp) -> str:
    """An export as text to search (XLSX as its cells)."""
    assert resp.status_code == 200, resp.get_data(as_text=True)
    if resp.mimetype.endswith("spreadsheetml.sheet"):
        return json.dumps(_xlsx_rows(resp.data), default=str)
    return resp.data.decode("utf-8-sig")


def _exports(c, only: str = "") -> dict[str, str]:
    """The records export in every format the address serves, each as text."""
    query = f"?only={only}" if only else ""
    return {fmt: _export_text(c.get(f"/export/records.{fmt}{query}")) for fmt in EXPORT_FORMATS}


def _dashboard_exports(c) -> dict[str, str]:
    """Each records export the dashboard offers, address -> its words on the page."""
    page = c.get("/dashboard").get_data(as_text=True)
    return {html_text.unescape(a): words for a, words in re.findall(
        r'<a class="button" href="(/export/records\.[^"]+)"[^>]*>([^<]+)</a>', page)}


def test_exports_carry_only_the_reviewers_own_decisions_and_notes(team):
    """A blind reviewer's export holds only her own decisions and notes, in every format the dashboard offers."""
    app, eng, directory, truth, ana, ta, ben, tb = team
    rid = shown_id(ana)
    decide(ana, ta, rid, "include", note=SECRET)
    decide(ben, tb, shown_id(ben), "exclude", note="ben's own note")
    offered = _dashboard_exports(ben)
    assert {a.split("?")[0].rsplit(".", 1)[1] for a in offered} == set(EXPORT_FORMATS), offered
    for address in offered:
        assert SECRET not in _export_text(ben.get(address)), address
    mine = _exports(ben)
    for fmt, text in mine.items():
        assert SECRET not in text and "ben's own note" in text, fmt
    for fmt, text in _exports(ben, "included").items():
        assert SECRET not in text, fmt  # Anabel's include is not Ben's
    assert "include" not in re.findall(r",(include|exclude|maybe),", mine["csv"])
    assert "include" not in re.findall(r"\t(include|exclude|maybe)\t", mine["tsv"])
    for fmt, text in _exports(ana).items():
        assert SECRET in text, fmt


def test_the_dashboard_offers_every_export_format_in_words(team):
    """The dashboard offered the records as CSV and RIS only, though the address serves TSV and an Excel workbook
    too ('screener export' writes all four)."""
    app, eng, directory, truth, ana, ta, ben, tb = team
    offered = _dashboard_exports(ben)
    assert offered["/export/records.csv"] == "Table (CSV)"
    assert offered["/export/records.tsv"] == "Table, tab-separated (TSV)"
    assert offered["/export/records.xlsx"] == "Excel workbook"
    assert offered["/export/records.ris"] == "RIS for a reference manager"


def test_the_owner_sees_the_team_and_ends_the_blinding(team):
    app, eng, directory, truth, ana, ta, ben, tb = team
    for _ in range(4):
        rid = shown_id(ana)
        decide(ana, ta, rid, "include", note=SECRET)
        decide(ben, tb, rid, "exclude")
    owner, to = login(app, OWNER, "owner")
    html = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    assert html.count('<article class="conflict"') == 4 and SECRET in html and "Cohen" in html
    assert owner.get("/export/agreement.csv").status_code == 200
    assert "4 conflicts to resolve" in owner.get("/dashboard").get_data(as_text=True)
    assert ben.get("/conflicts?reveal=1").get_data(as_text=True).count('<article class="conflict"') == 0
    page = owner.get(f"/records/{rid}").get_data(as_text=True)  # the owner sees everyone's entries ...
    assert "<h3>Decision history</h3>" in page and ANA in page
    assert "<h3>Your decision history</h3>" in ben.get(f"/records/{rid}").get_data(as_text=True)  # ... Ben his own
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    html = ben.get("/conflicts").get_data(as_text=True)  # now Ben sees it all, and may resolve
    assert html.count('<article class="conflict"') == 4 and SECRET in html
    assert ben.get("/export/agreement.csv").status_code == 200
    r = ben.post(f"/conflicts/{rid}/resolve", data={"decision": "include", "csrf_token": tb})
    assert r.status_code == 302


def test_blinding_lifts_when_both_have_screened_every_record(tmp_path, opened):
    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    ana, ta = login(app, ANA)
    ben, tb = login(app, BEN)
    for rid in truth:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
    assert "Cohen" not in page_text(ben.get("/conflicts"))
    for i, rid in enumerate(truth):
        if i == len(truth) - 1:
            assert ben.get("/export/agreement.csv").status_code == 403  # one record left: still blind
        decide(ben, tb, rid, "exclude")
    html = ben.get("/conflicts").get_data(as_text=True)
    assert "Cohen" in html and ben.get("/export/agreement.csv").status_code == 200


def test_a_reviewer_who_excluded_her_rest_unread_has_not_finished_and_the_screening_stays_blind(tmp_path, opened):
    """Anabel screened 4 of 16 records on the web and excluded the 12 left unread at her stop ('screener label
    --reviewer Anabel --decision exclude'); Ben screened all 16. Anabel counted as having screened every record,
    so the blinding lifted: she saw Ben's decisions and notes and the agreement, though 12 records were still
    hers to read (a decision on one on the web counts it as screened) and would now be read knowing Ben's word.
    An exclude on the rest left unread is no screening: the two stay blind until she has screened her rest or
    the owner ends the blinding."""
    from screener.labels import import_labels

    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    ana, ta = login(app, ANA)
    ben, tb = login(app, BEN)
    order = list(truth)
    for rid in order[:4]:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
    rest = tmp_path / "rest.csv"
    rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in order[4:]))
    with Project.open(directory) as p:
        assert import_labels(p, rest, reviewer=ANA, decision="exclude").rest_excluded == 12
    for rid in order:
        decide(ben, tb, rid, "include" if truth[rid] else "exclude", note=SECRET)
    assert ana.get("/export/agreement.csv").status_code == 403
    assert ben.get("/export/agreement.csv").status_code == 403
    unread = order[-1]
    page = page_text(ana.get(f"/records/{unread}"))
    assert SECRET not in page and BEN not in page
    # she reads the 12 after all: now both have screened every record
    for rid in order[4:]:
        r = ana.post(f"/records/{rid}/decision", data={"decision": "exclude", "csrf_token": ta})
        assert r.status_code in (200, 302), r.get_data(as_text=True)
    assert ana.get("/export/agreement.csv").status_code == 200


def _small_team(tmp_path, opened):
    """A 16-record dual review served, with the owner, Anabel and Ben signed in (client, token each)."""
    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    return app, truth, login(app, OWNER, "owner"), login(app, ANA), login(app, BEN)


def _cara_part_way(tmp_path, opened, screened: int):
    """``_small_team`` with Cara, a third reviewer: Anabel and Ben have screened every record, Cara the first
    ``screened`` (all excludes). Returns the app, the record ids and the owner's and Anabel's clients."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    cara, tc = login(app, "Cara")
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
        decide(ben, tb, rid, "exclude")
    for rid in ids[:screened]:
        decide(cara, tc, rid, "exclude")
    return app, ids, owner, ana


def test_a_record_the_owner_and_anabel_agree_on_stays_in_bens_queue(tmp_path, opened):
    # the owner screening alongside would otherwise take it out of Ben's queue: his count would
    # say one left while nothing is shown, and the records list would tell him the others agreed
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    agreed = next(iter(truth))
    decide(ana, ta, agreed, "include")
    decide(owner, to, agreed, "include")
    assert app.extensions["screener"].wait_idle(60)  # the team's decisions read again, with this agreement
    seen = []
    for _ in range(len(truth)):
        nxt = ben.get("/api/next").get_json()
        if nxt.get("done"):
            break
        rid = nxt["record"]["record_id"]
        seen.append(rid)
        decide(ben, tb, rid, "exclude")
    assert agreed in seen and sorted(seen) == sorted(truth)


def test_a_finished_reviewer_stays_blind_while_the_owner_who_screens_has_records_left(tmp_path, opened):
    """Anabel and Ben had screened every record, the owner one: the web app showed Ben the team's figures (the
    agreement, the recall, the owner's decision), while 'screener status --reviewer ben' said they were held back
    until the owner had screened every record. Both now keep one rule (``accounts.blinding_holds``): the blinding
    lasts until every screener, the owner too if she screens, has screened every record, or the owner ends it."""
    from screener.accounts import team_view_blind

    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    decide(owner, to, next(iter(truth)), "include")  # the owner screens: one of the screeners
    for rid in truth:
        decide(ana, ta, rid, "exclude")
    assert ben.get("/export/agreement.csv").status_code == 403
    for rid in truth:
        decide(ben, tb, rid, "exclude")
    assert team_view_blind(app.config["SCREENER_PROJECT"])  # the terminal: held back while the owner screens
    assert ben.get("/export/agreement.csv").status_code == 403  # the web app: the same
    html = ben.get("/dashboard").get_data(as_text=True)
    assert "dual, blind" in html and "Olga has screened every record" in " ".join(page_text(html).split())
    owners = " ".join(page_text(owner.get("/conflicts")).split())  # she is told she holds it open for the others
    assert "until you have screened every record, and for them too" in owners, owners
    # her dashboard names the ways to lift it: the web page's button and the terminal's command, with her record
    said = " ".join(html_text.unescape(page_text(owner.get("/dashboard"))).split())
    d = shell_quote(app.config["SCREENER_PROJECT"].dir)
    assert "'Withdraw my decision' on each record's page, listed under Records, or in a terminal " \
           f"'screener withdraw {d} {next(iter(truth))} --reviewer Olga'" in said, said
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert ben.get("/export/agreement.csv").status_code == 200


def test_records_imported_after_the_blinding_ended_are_screened_blind_again(tmp_path, opened):
    """The owner's 'End the blinding' holds for the records there were then: on records from a
    later search update Ben would see Anabel's decisions and notes as she makes them. Blind again
    until the owner ends the blinding again."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    assert ben.get("/export/agreement.csv").status_code == 403
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert ben.get("/export/agreement.csv").status_code == 200
    rows, _ = make_records(30)
    project = app.config["SCREENER_PROJECT"]
    project.import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    new = sorted(set(project.records_frame().index) - set(truth))
    assert new and ben.get("/export/agreement.csv").status_code == 403
    assert ana.get("/api/next").status_code == 200  # the new records join the queues
    decide(ana, ta, new[0], "include", note=SECRET)
    page = page_text(ben.get(f"/records/{new[0]}"))
    assert SECRET not in page and ANA not in page and "<h3>Your decision history</h3>" in page
    assert not [fmt for fmt, text in _exports(ben).items() if SECRET in text]
    assert "Screening is blind: this shows" in ben.get("/conflicts").get_data(as_text=True)
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302  # ended again
    assert SECRET in ben.get(f"/records/{new[0]}").get_data(as_text=True)
    assert ben.get("/export/agreement.csv").status_code == 200


def _blinding_state(c) -> str:
    """What the owner's Conflicts page says of the title/abstract blinding, in one line."""
    page = page_text(c.get("/conflicts"))
    return " ".join(re.sub(r"<[^>]+>", " ", re.search(r'id="blinding-state">(.*?)</p>', page, re.S).group(1)).split())


def test_the_owner_who_ended_the_blinding_is_told_every_reviewer_sees_the_team_not_only_those_finished(tmp_path,
                                                                                                        opened):
    """The owner ended the blinding with Ben 15 records short; her Conflicts page said 'the reviewers who have
    screened every record see the agreement figures, the conflicts and each other's decisions', so she took Ben
    for blind still, while he saw Anabel's decisions on every record left to him."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    rid = next(iter(truth))
    decide(ana, ta, rid, "include")
    decide(ben, tb, rid, "exclude")
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert "Cohen" in page_text(ben.get("/conflicts"))  # Ben, with 15 records left, sees the team
    state = _blinding_state(owner)
    assert "who have screened every record" not in state, state
    assert "You ended the title/abstract blinding" in state and "every reviewer sees" in state, state


def test_the_owner_whose_end_of_the_blinding_a_search_update_undid_is_told_so(tmp_path, opened):
    """The owner ended the blinding, then imported a search update: the screening was blind again (``accounts.
    blinding_ended``), and her Conflicts page said only 'blind for the reviewers ... until both have screened every
    record or you end the blinding', as if she had never ended it, with no word of why."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    rows, _ = make_records(30)
    app.config["SCREENER_PROJECT"].import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    assert "Screening is blind: this shows" in page_text(ben.get("/conflicts"))
    state = _blinding_state(owner)
    assert "You ended the title/abstract blinding" in state and "imported since" in state, state
    assert "blind again" in state and 'id="end-blinding"' in page_text(owner.get("/conflicts")), state


def test_a_reviewer_done_while_the_other_screens_is_told_the_conflicts_wait_not_sent_to_them(tmp_path, opened):
    """Anabel screened every record while Ben still screened: her screening page said 'Conflicts with the other
    reviewer are listed under Conflicts. See the dashboard for recall', and both pages told her only that the
    screening was blind. It says so, and for whom it waits, until Ben has screened every record too."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
    for rid in ids[:-1]:
        decide(ben, tb, rid, "exclude")

    def done_words(page) -> tuple[str, bool]:
        found = re.search(r'<span id="done-blind"( hidden)?>(.*?)</span>', page_text(page), re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split()), not found.group(1)

    said, shown = done_words(ana.get("/screen"))
    assert shown and "blind" in said and f"{BEN} has screened every record" in said, said
    nxt = ana.get("/api/next").get_json()
    assert nxt["done"] and f"{BEN} has screened every record" in nxt["blind_words"], nxt
    decide(ben, tb, ids[-1], "exclude")  # Ben done too: the blinding is over
    assert not done_words(ana.get("/screen"))[1] and ana.get("/api/next").get_json()["blind_words"] == ""
    assert 'id="done-team" hidden' not in page_text(ana.get("/screen"))


def test_the_owner_on_the_screening_page_is_told_a_decision_makes_her_a_blind_screener(tmp_path, opened):
    """The owner signs in to the screening page, which showed her a record and its keys with no word that a key
    pressed makes her one of the screeners: blind to the team's figures and conflicts, holding the blinding open for
    the two reviewers until she has screened every record. It says so, to her only, until she screens."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)

    def note(c) -> str:
        found = re.search(r'<p class="note" id="owner-screens">(.*?)</p>', page_text(c.get("/screen")), re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""

    said = note(owner)
    assert "one of the screeners" in said and "until you have screened every record" in said, said
    assert note(ana) == "" and note(ben) == ""
    decide(owner, to, next(iter(truth)), "include")
    assert note(owner) == ""  # she screens now: the dashboard and Conflicts page say how to lift it


def test_a_reviewer_joining_after_the_others_finished_is_told_the_blinding_waits_for_her(tmp_path, opened):
    """Anabel and Ben had screened every record; Cara, joining then, is blind until she has screened every record
    too, but her pages said the screening 'opens once both reviewers have screened every record', which they had:
    she waited for nothing. They say it opens once she has screened every record."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    for rid in truth:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
        decide(ben, tb, rid, "exclude")
    cara, _ = login(app, "Cara")
    for path in ("/conflicts", "/dashboard"):
        said = " ".join(page_text(cara.get(path)).split())
        assert "Screening is blind" in said and "Cohen" not in said, said
        assert "once both reviewers have screened every record" not in said, said
        assert "once you have screened every record" in said, said


def test_the_owners_conflicts_page_names_whom_the_blinding_waits_for_and_a_disabled_account(tmp_path, opened):
    """Anabel and Ben had screened every record, Cara 10 of 16 before she left and the owner disabled her account:
    the owner's Conflicts page said only 'blind ... until every reviewer has screened every record', so she waited
    for a reviewer who could no longer sign in. It names Cara, her records left, and that her account is disabled."""
    from screener.accounts import set_disabled

    app, ids, owner, ana = _cara_part_way(tmp_path, opened, 10)
    state = _blinding_state(owner)
    assert "It waits for Cara (6 records left)" in state and "disabled" not in state, state
    set_disabled(app.config["SCREENER_PROJECT"].store, "Cara", disabled=True, by=OWNER)
    state = _blinding_state(owner)
    assert "It waits for Cara (6 records left; the account is disabled, so Cara cannot sign in to screen them)" \
        in state, state


def test_a_finished_reviewer_waiting_for_a_disabled_account_is_told_the_owner_ends_it(tmp_path, opened):
    """Anabel and Ben had screened every record, Cara 10 of 16 before she left and the owner disabled her account:
    Anabel's pages said the screening opens 'once Cara has screened every record', which Cara, who can no longer
    sign in, never will. They say Cara's account is disabled, so it opens when the owner ends the blinding."""
    from screener.accounts import set_disabled

    app, ids, owner, ana = _cara_part_way(tmp_path, opened, 10)
    assert "disabled" not in " ".join(page_text(ana.get("/conflicts")).split())
    set_disabled(app.config["SCREENER_PROJECT"].store, "Cara", disabled=True, by=OWNER)
    for path in ("/conflicts", "/dashboard"):
        said = " ".join(html_text.unescape(page_text(ana.get(path))).split())
        assert "once Cara has screened every record (Cara's account is disabled, so Cara cannot" in said, said


def test_a_reviewer_refused_an_owner_page_is_told_so_not_asked_for_a_token(team):
    app, eng, directory, truth, ana, ta, ben, tb = team
    html = ben.get("/users").get_data(as_text=True)
    assert "Not allowed" in html and "Access token needed" not in html and "Back to screening" in html


def test_blinding_lifts_when_the_owner_is_one_of_the_two_reviewers(tmp_path, opened):
    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    owner, to = login(app, OWNER, "owner")
    ben, tb = login(app, BEN)
    for rid in truth:
        decide(owner, to, rid, "exclude")
        decide(ben, tb, rid, "exclude")
    assert ben.get("/export/agreement.csv").status_code == 200


def test_an_owner_who_screens_is_blind_too(tmp_path, opened):
    """The owner screening as one of the reviewers saw, on a record not yet decided, Ben's decision
    and note (the record page, the records export, the agreement figures): no independent second
    screening. An owner who screens is blind as the reviewers are, and may still end the blinding."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    decide(ben, tb, ids[1], "exclude", note=SECRET)
    decide(ana, ta, ids[1], "exclude")
    page = page_text(owner.get(f"/records/{ids[1]}"))  # an administrator only: sees the team
    assert SECRET in page and BEN in page
    decide(owner, to, ids[0], "include")  # now the owner screens
    page = page_text(owner.get(f"/records/{ids[1]}"))
    assert SECRET not in page and BEN not in page and "<h3>Your decision history</h3>" in page
    assert not [fmt for fmt, text in _exports(owner).items() if SECRET in text]
    assert "exclude" not in owner.get("/export/records.csv?only=excluded").get_data(as_text=True)
    assert owner.get("/export/agreement.csv").status_code == 403
    assert "dual, blind" in owner.get("/screen").get_data(as_text=True)
    html = owner.get("/conflicts").get_data(as_text=True)
    assert 'id="owner-blind"' in html and 'id="end-blinding"' in html and SECRET not in html
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert SECRET in owner.get(f"/records/{ids[1]}").get_data(as_text=True)


def test_the_readme_says_an_owner_who_screens_stays_blind_as_the_server_keeps_them(tmp_path, opened):
    """The README read "the owner, who is never blinded, does not hold it open by screening a few",
    while the server keeps an owner who screens records blind (``sees_team``): with Anabel and Ben
    finished, the owner who had screened one record still saw neither Ben's note nor the agreement.
    The README now says what the server does."""
    from pathlib import Path

    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    decide(owner, to, ids[0], "include")
    for rid in ids:
        decide(ana, ta, rid, "exclude")
        decide(ben, tb, rid, "exclude", note=SECRET if rid == ids[1] else "")
    assert app.extensions["screener"].wait_idle(60)
    assert SECRET not in ana.get(f"/records/{ids[1]}").get_data(as_text=True)  # held open by the owner's screening
    assert SECRET not in owner.get(f"/records/{ids[1]}").get_data(as_text=True)  # the owner who screens: blind
    assert owner.get("/export/agreement.csv").status_code == 403
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert "never blinded" not in readme
    assert "an owner who screens records is blind as the reviewers are, until they too have screened every " \
           "record" in readme


def test_a_reviewer_still_screening_stays_blind_when_two_others_have_finished(tmp_path, opened):
    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    first = next(iter(truth))
    with Project.open(directory) as p:  # Anabel and Ben have screened everything, disagreeing on one record
        for rid, t in truth.items():
            p.decide(rid, "include" if t else "exclude", reviewer=ANA)
            p.decide(rid, "include" if (rid == first) != bool(t) else "exclude", reviewer=BEN)
    app = opened(directory)
    cara, tc = login(app, "Cara")  # a third reviewer, not started
    assert cara.get("/export/agreement.csv").status_code == 403
    assert ANA not in page_text(cara.get(f"/records/{first}"))
    decide(cara, tc, app.extensions["screener"].next_record_id("Cara"), "exclude")
    assert cara.get("/export/agreement.csv").status_code == 403
    assert "dual, blind" in cara.get("/dashboard").get_data(as_text=True)
    ana, _ = login(app, ANA)
    # Cara screens: blind to the two who finished as well, as the terminal holds the team's figures back
    assert ana.get("/export/agreement.csv").status_code == 403
    assert "dual, blind" in ana.get("/dashboard").get_data(as_text=True)


def test_studies_the_others_settled_keep_their_place_in_a_reviewers_queue(tmp_path, opened):
    # put last (or left out), they would tell the reviewer which studies the others agree on
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    eng = app.extensions["screener"]
    first = list(eng.rank.order[:3])
    for c, t in ((owner, to), (ana, ta)):
        for rid in first:
            decide(c, t, rid, "include" if truth[rid] else "exclude")
    assert eng.wait_idle(60)
    upcoming = eng._upcoming(BEN, len(truth))
    assert sorted(upcoming) == sorted(truth)
    assert not set(first) & set(upcoming[-3:])
    assert [r for r in eng.rank.everyone if r in set(upcoming)] == upcoming  # one ranking over every study


def test_the_reason_shown_reads_the_same_before_and_after_an_agreed_include(team):
    app, eng, directory, truth, ana, ta, ben, tb = team
    assert eng.status()["phase"] == "protocol"
    before = ben.get("/api/next").get_json()["record"]["reason"]
    assert before.startswith(("terms:", "no strong reason")), before  # not "protocol terms:"
    inc = [r for r, t in truth.items() if t]
    decide(ana, ta, inc[0], "include")
    decide(ben, tb, inc[0], "include")  # the first agreed include: the model's phase changes
    assert eng.wait_idle(60)
    reason = ben.get("/api/next").get_json()["record"]["reason"]
    assert not reason.startswith("protocol terms") and "like included record" not in reason
    assert eng.session.explain(inc[1], blind=True).startswith(("terms:", "no strong reason"))


def test_the_protocols_known_studies_come_first_in_each_reviewers_queue(tmp_path, opened):
    """Dual screening on the web put the protocol's known relevant studies where the model ranked
    them, not first as in single mode and on the command line; first they come, the ones the
    others have settled too (first only while unsettled, they would tell which the others agree on)."""
    from webtestdata import PROTOCOL

    rows, truth = make_records(40)
    src = write_csv(rows, tmp_path / "records.csv")
    proto = tmp_path / "protocol.toml"
    proto.write_text(PROTOCOL + 'known_relevant = ["10.1234/test.40", "10.1234/test.38"]\n', encoding="utf-8")
    with Project.init(tmp_path / "known", protocol=proto, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([src], source_db="TestDB")
        known = {int(i) for i, doi in p.records_frame()["doi"].items() if doi in ("10.1234/test.40", "10.1234/test.38")}
    app = opened(tmp_path / "known")
    eng = app.extensions["screener"]
    (owner, to), (ana, ta), (ben, tb) = login(app, OWNER, "owner"), login(app, ANA), login(app, BEN)
    first_two = eng._upcoming(BEN, 2)
    assert set(first_two) == known and shown_id(ben) == first_two[0]
    for c, t in ((owner, to), (ana, ta)):  # the others agree on one of them
        decide(c, t, first_two[0], "include")
    assert eng.wait_idle(60)
    assert eng._upcoming(BEN, 2) == first_two and shown_id(ben) == first_two[0]
    assert shown_id(ana) == first_two[1]


def test_a_search_update_imported_from_a_computer_whose_clock_is_behind_is_screened_blind(tmp_path, opened, pg_url,
                                                                                         monkeypatch):
    """A review on a server: the owner ends the blinding on the web; then a teammate imports a
    search update from a laptop whose clock is ten minutes behind. The import was dated by the
    laptop's clock, before the end of the blinding, so the blinding stayed ended for the new
    records, and Ben saw Anabel's decisions on them as she made them."""
    from datetime import datetime, timedelta, timezone

    import screener.store.sqlite

    rows, _ = make_records(30)
    with Project.init(tmp_path / "team", database=pg_url, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([write_csv(rows[:16], tmp_path / "first.csv")], source_db="TestDB")
    app = opened(tmp_path / "team")
    (owner, to), (ben, tb) = login(app, OWNER, "owner"), login(app, BEN)
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert ben.get("/export/agreement.csv").status_code == 200
    behind = lambda: (datetime.now(timezone.utc) - timedelta(minutes=10)).isoformat(timespec="milliseconds")  # noqa: E731
    monkeypatch.setattr(screener.store.sqlite, "now", behind)  # the laptop's clock
    with Project.open(tmp_path / "team") as laptop:
        laptop.import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    monkeypatch.undo()
    assert ben.get("/export/agreement.csv").status_code == 403  # blind again, for the new records


def test_the_owners_first_decision_on_a_team_server_answers_blind(tmp_path, opened, pg_url):
    """A review on a server, screened by several processes: the owner, who had screened nothing, made her first
    decision on the screening page. Its answer still showed her the team (the decision not yet read back from
    the log): the next record's rank, which moves when the reviewers agree, and the model's fits."""
    rows, truth = make_records(16)
    with Project.init(tmp_path / "team", database=pg_url, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([write_csv(rows, tmp_path / "first.csv")], source_db="TestDB")
        ids = list(p.records_frame().index)
    app = opened(tmp_path / "team")
    assert app.extensions["screener"].shared
    (owner, to), (ana, ta), (ben, tb) = login(app, OWNER, "owner"), login(app, ANA), login(app, BEN)
    for rid in ids[:4]:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "include")
    first = owner.get("/api/next").get_json()
    assert first["status"]["retrains"] is not None  # the owner, screening nothing, sees the team
    out = decide(owner, to, first["record"]["record_id"], "exclude")
    assert out["record"]["rank"] is None and out["record"]["score"] is None, out["record"]
    assert out["status"]["retrains"] is None and out["status"]["n_labelled"] is None, out["status"]


def test_the_owner_who_labels_records_in_a_terminal_is_blind_on_the_web_at_once(tmp_path, opened):
    """The owner, who had screened nothing on the web, labelled a few records in a terminal ('screener label
    --reviewer Olga') while the server ran. The Conflicts page and the dashboard, opened next, still showed her
    the reviewers' decisions, notes and agreement, as to one who screens nothing."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    decide(ana, ta, ids[0], "include", note=SECRET)
    decide(ben, tb, ids[0], "exclude")
    assert SECRET in owner.get("/conflicts?reveal=1").get_data(as_text=True)
    with Project.open(app.config["SCREENER_PROJECT"].dir) as terminal:
        terminal.decide(ids[1], "include", reviewer=OWNER)
    page = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    assert SECRET not in page and 'id="blind"' in page
    assert "Cohen" not in page_text(owner.get("/dashboard"))


def test_records_imported_after_both_finished_are_screened_blind_on_every_page(tmp_path, opened):
    """Both reviewers had screened every record, so the blinding was over; then a search update
    was imported, and Anabel labelled a new record from a batch file. Until someone opened a
    screening page, the records list, record pages, dashboard and agreement counted the new
    records out: Ben saw Anabel's decision and note on the new record."""
    app, truth, _owner, (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    for rid in truth:
        decide(ana, ta, rid, "exclude")
        decide(ben, tb, rid, "exclude")
    assert ben.get("/export/agreement.csv").status_code == 200
    rows, _ = make_records(30)
    project = app.config["SCREENER_PROJECT"]
    project.import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    new = sorted(set(project.records_frame().index) - set(truth))
    with Project.open(tmp_path / "small") as terminal:
        terminal.decide(new[0], "include", reviewer=ANA, note=SECRET)
    assert ben.get("/export/agreement.csv").status_code == 403
    page = page_text(ben.get(f"/records/{new[0]}"))
    assert SECRET not in page and ANA not in page
    assert "dual, blind" in ben.get("/dashboard").get_data(as_text=True)


def _end_form(page: str) -> dict:
    """The fields of the Conflicts page's first 'End the blinding' form (the title/abstract one)."""
    start = page.index('id="blinding"')
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">',
                           page[start:page.index("</form>", start)]))


def test_ending_the_blinding_from_a_page_shown_before_a_search_update_ends_nothing(tmp_path, opened):
    """The owner's conflicts page was open when a search update was imported; the button on it
    ended the blinding for the new records too, which the owner did not know of: Ben saw
    Anabel's decisions on them as she made them."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    page = owner.get("/conflicts").get_data(as_text=True)
    form = _end_form(page)
    rows, _ = make_records(30)
    app.config["SCREENER_PROJECT"].import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    r = owner.post("/blinding/end", data=form)
    assert r.status_code == 409 and "were imported after this page was shown" in r.get_data(as_text=True)
    assert "14 records were imported after" in r.get_data(as_text=True)  # it read '14 record(s) were'
    assert ben.get("/export/agreement.csv").status_code == 403
    page = owner.get("/conflicts").get_data(as_text=True)  # shown again, it ends the blinding
    form = _end_form(page)
    assert owner.post("/blinding/end", data=form).status_code == 302
    assert ben.get("/export/agreement.csv").status_code == 200


def test_ending_the_blinding_while_a_search_update_is_being_imported_ends_nothing_for_it(tmp_path, opened,
                                                                                            monkeypatch):
    """A teammate's import of a search update was under way (its records stored, not yet
    committed) when the owner pressed 'End the blinding' on a page showing the records before it.
    The end was dated after the import's own date, so it held for the update's records the owner
    never saw: Ben saw Anabel's decisions on them as she made them."""
    import threading

    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    page = owner.get("/conflicts").get_data(as_text=True)
    form = _end_form(page)
    project = app.config["SCREENER_PROJECT"]
    store = project.store
    stored, go, asked = threading.Event(), threading.Event(), threading.Event()
    add_records, transaction = store.add_records, store.transaction

    def add_records_then_wait(records, source_id):  # the import, half-way: dated and stored, not committed
        ids = add_records(records, source_id)
        stored.set()
        assert go.wait(60)
        return ids

    def transaction_noted():  # the owner's request reaches the project's write turn
        if threading.current_thread().name == "owner":
            asked.set()
        return transaction()

    monkeypatch.setattr(store, "add_records", add_records_then_wait)
    monkeypatch.setattr(store, "transaction", transaction_noted)
    rows, _ = make_records(30)
    update = write_csv(rows[16:], tmp_path / "update.csv")
    importing = threading.Thread(target=project.import_files, args=([update],), kwargs={"source_db": "Update"})
    importing.start()
    assert stored.wait(60)
    answer = {}
    ending = threading.Thread(name="owner", target=lambda: answer.update(r=owner.post("/blinding/end", data=form)))
    ending.start()
    assert asked.wait(60)
    go.set()
    importing.join(60)
    ending.join(60)
    r = answer["r"]
    assert r.status_code == 409 and "were imported after this page was shown" in r.get_data(as_text=True)
    new = sorted(set(project.records_frame().index) - set(truth))
    decide(ana, ta, new[0], "include", note=SECRET)
    assert ben.get("/export/agreement.csv").status_code == 403
    assert SECRET not in ben.get(f"/records/{new[0]}").get_data(as_text=True)


def test_the_report_counts_the_decisions_made_each_time_the_owner_ended_the_blinding(tmp_path, opened, monkeypatch):
    """The owner ended the blinding, Anabel went on seeing Ben's decisions, a search update made
    the screening blind again, and the owner ended it again: the methods text counted only the
    decisions after the second end ('1 of the 12'), as if the first two had been made blind."""
    import itertools
    from datetime import datetime, timedelta, timezone

    import screener.store.sqlite
    from screener.report import not_blind

    # the clock the log is dated by: one day, a millisecond on at each reading, so each step comes after the one
    # before and both ends fall on that day (by the real clock a run across midnight ended it on two days)
    noon, ticks = datetime(2026, 12, 6, 12, tzinfo=timezone.utc), itertools.count()
    monkeypatch.setattr(screener.store.sqlite, "now",
                        lambda: (noon + timedelta(milliseconds=next(ticks))).isoformat(timespec="milliseconds"))
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = sorted(truth)
    for c, tok in ((ana, ta), (ben, tb)):
        for rid in ids[:4]:
            decide(c, tok, rid, "exclude")
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    for rid in ids[4:6]:
        decide(ana, ta, rid, "exclude")  # seeing Ben's decisions
    rows, _ = make_records(30)
    project = app.config["SCREENER_PROJECT"]
    project.import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    new = sorted(set(project.records_frame().index) - set(truth))
    decide(ana, ta, new[0], "exclude")  # blind again
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    decide(ana, ta, new[1], "exclude")  # seeing Ben's decisions again
    day, n, total = not_blind(project)
    assert (n, total) == (3, 12) and day == "2026-12-06"  # the day both ends were on, named once


def test_the_owner_deciding_a_conflict_on_its_record_page_is_sent_to_the_conflicts_page(tmp_path, opened):
    """Anabel and Ben had screened every record and disagreed on one. The owner, who screens nothing,
    opened it from Records and chose Include: saved as a third reviewer's vote, it settled nothing
    (the conflict stayed open), her dashboard said '1 of 16 records screened by you', and having
    screened, she was blind, the conflicts hidden from her. Her choice there is now refused, nothing
    saved, and she is sent to the Conflicts page, where it is saved as the resolution. Ben, who
    voted on it, still changes his own decision there; and a blind reviewer is never told of a conflict."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "exclude" if rid == ids[0] else "include")
    project = app.config["SCREENER_PROJECT"]
    n = len(project.decision_log())
    r = owner.post(f"/records/{ids[0]}/decision", data={"decision": "include", "shown": "", "csrf_token": to})
    text = r.get_data(as_text=True)
    assert r.status_code == 409 and "Conflicts page" in text and "not saved" in text
    assert len(project.decision_log()) == n and list(project.conflicts()["record_id"].unique()) == [ids[0]]
    assert 'id="owner-blind"' not in owner.get("/conflicts").get_data(as_text=True)
    r = owner.post(f"/conflicts/{ids[0]}/resolve", data={"decision": "include", "csrf_token": to})
    assert r.status_code == 302 and project.conflicts().empty
    # a reviewer changes their own vote on a conflict as before
    decide(ana, ta, ids[1], "exclude")
    r = ben.post(f"/records/{ids[1]}/decision", data={"decision": "exclude", "shown": "include", "csrf_token": tb})
    assert r.status_code == 302


@pytest.mark.parametrize("settled", [False, True])
def test_the_owner_changing_the_teams_decision_on_a_record_page_is_refused_not_made_a_conflict(
        tmp_path, opened, settled):
    """Anabel and Ben had screened every record and agreed to include one (or the owner had settled their
    conflict on it as include). The owner, who screens nothing, opened it from Records and chose Exclude to
    correct it: saved as a third reviewer's vote, it turned the team's include into a conflict, and having
    screened, she was blind, that conflict hidden from her. Her choice is now refused, nothing saved."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "exclude" if settled and rid == ids[0] else "include")
    project = app.config["SCREENER_PROJECT"]
    if settled:
        r = owner.post(f"/conflicts/{ids[0]}/resolve", data={"decision": "include", "csrf_token": to})
        assert r.status_code == 302 and project.conflicts().empty
    n = len(project.decision_log())
    r = owner.post(f"/records/{ids[0]}/decision", data={"decision": "exclude", "shown": "", "csrf_token": to})
    text = r.get_data(as_text=True)
    assert r.status_code == 409 and "not saved" in text and "Conflicts page" in text, text
    assert len(project.decision_log()) == n and project.conflicts().empty
    assert project.current_decisions()["decision"][ids[0]] == "include"
    assert 'id="owner-blind"' not in owner.get("/conflicts").get_data(as_text=True)
    # a reviewer still changes their own decision on it
    r = ben.post(f"/records/{ids[0]}/decision", data={"decision": "maybe", "shown": ("exclude" if settled else
                                                                                     "include"), "csrf_token": tb})
    assert r.status_code == 302


def test_the_owner_choosing_the_teams_own_decision_on_a_record_page_is_not_made_a_screener(tmp_path, opened):
    """The owner, who screens nothing, chose Include on a record Anabel and Ben had agreed to include: it changed
    nothing for the team, but saved as her vote it made her one of the screeners, blind from then on (her
    dashboard '1 of 16 records screened by you', the conflicts hidden). It is refused now, nothing saved."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids[:3]:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "include")
    project = app.config["SCREENER_PROJECT"]
    n = len(project.decision_log())
    r = owner.post(f"/records/{ids[0]}/decision", data={"decision": "include", "shown": "", "csrf_token": to})
    text = r.get_data(as_text=True).replace("&#39;", "'")
    assert r.status_code == 409 and "already has the team's decision include" in text and "not saved" in text, text
    assert len(project.decision_log()) == n
    assert 'id="owner-blind"' not in owner.get("/conflicts").get_data(as_text=True)
    # a record no one has decided: her choice is a vote, as before
    r = owner.post(f"/records/{ids[5]}/decision", data={"decision": "include", "shown": "", "csrf_token": to})
    assert r.status_code == 302 and len(project.decision_log()) == n + 1


def test_a_reviewer_who_withdrew_her_resolution_can_still_withdraw_her_own_vote(tmp_path, opened):
    """Anabel and Ben had screened every record and disagreed on one; Anabel settled it, then withdrew that
    resolution. Her include as a reviewer still stood, but the record's page offered no 'Withdraw my
    decision' (her latest entry was a withdrawal), so she could not take it back there."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "exclude" if rid == ids[0] else "include")
    project = app.config["SCREENER_PROJECT"]
    assert ana.post(f"/conflicts/{ids[0]}/resolve", data={"decision": "include", "csrf_token": ta}).status_code == 302
    assert ana.post(f"/records/{ids[0]}/decision", data={"decision": "retract", "csrf_token": ta}).status_code == 302
    assert list(project.conflicts()["record_id"].unique()) == [ids[0]]  # the resolution withdrawn
    assert "Withdraw my decision" in ana.get(f"/records/{ids[0]}").get_data(as_text=True)
    assert ana.post(f"/records/{ids[0]}/decision", data={"decision": "retract", "csrf_token": ta}).status_code == 302
    assert project.own_decision(ids[0], ANA) is None and project.conflicts().empty


def test_a_blind_reviewer_deciding_a_record_the_others_disagree_on_is_told_nothing_of_it(tmp_path, opened):
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    decide(owner, to, ids[0], "include")  # the owner screens: one of the reviewers
    decide(ana, ta, ids[0], "exclude")
    r = ben.post(f"/records/{ids[0]}/decision", data={"decision": "include", "shown": "", "csrf_token": tb})
    assert r.status_code == 302


def test_the_owner_who_screens_nothing_sees_the_teams_progress_on_the_dashboard(tmp_path, opened):
    """The owner, who screens nothing, read '0 of 16 records screened by you' while Anabel and Ben had
    screened every record. She now reads the team's progress, with the record still awaiting agreement."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "exclude" if rid == ids[0] else "include")
    assert app.extensions["screener"].wait_idle(60)
    html = owner.get("/dashboard").get_data(as_text=True)
    assert "screened by you" not in html
    assert re.search(r"<strong>15</strong> of 16 records screened by the team", html)
    assert "1 record waits for the reviewers to agree" in html


def test_a_blind_reviewer_who_has_not_started_reads_only_his_own_zero(tmp_path, opened):
    """Ben, blind while Anabel screens, has made no decision: the team's progress stays hidden from him."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    for rid in list(truth)[:5]:
        decide(ana, ta, rid, "include")
    assert app.extensions["screener"].wait_idle(60)
    html = ben.get("/dashboard").get_data(as_text=True)
    assert re.search(r"<strong>0</strong> of 16 records screened\s+by you", html)
    assert "by the team" not in html and "waits for the reviewers" not in html
    assert "by the team" in owner.get("/dashboard").get_data(as_text=True)


def _listed(c, path) -> list[int]:
    return sorted(int(i) for i in re.findall(r'<tr data-record-id="(\d+)"', c.get(path).get_data(as_text=True)))


def test_the_owners_records_list_filters_on_the_teams_decisions_a_blind_reviewer_on_his_own(tmp_path, opened):
    """Anabel and Ben agreed to include one record and to exclude another, and disagreed on a third.
    The owner, who screens nothing, filtered Records on 'include' and saw no record: the list filtered
    on her own decisions. She now filters on the team's decision (agreed or settled, what PRISMA
    counts) by default, on the conflicts, and on her own if she asks; Ben, blind, on his own only."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    agreed_in, agreed_out, split, ana_only = ids[:4]
    for rid, a, b in ((agreed_in, "include", "include"), (agreed_out, "exclude", "exclude"),
                      (split, "include", "exclude")):
        decide(ana, ta, rid, a)
        decide(ben, tb, rid, b)
    decide(ana, ta, ana_only, "include")
    assert _listed(owner, "/records?decision=include") == [agreed_in]
    assert _listed(owner, "/records?decision=exclude") == [agreed_out]
    assert _listed(owner, "/records?decision=conflict") == [split]
    assert set(_listed(owner, "/records?decision=unscreened")) == set(ids) - {agreed_in, agreed_out, split}
    assert _listed(owner, "/records?decision=include&whose=mine") == []
    page = owner.get("/records").get_data(as_text=True)
    assert "the team's decision" in page and 'name="whose"' in page
    # blind: Ben's own decisions, whatever the address asks for; nothing of Anabel's or of the conflict
    assert _listed(ben, "/records?decision=include&whose=team") == [agreed_in]
    assert _listed(ben, "/records?decision=exclude") == sorted([agreed_out, split])
    assert _listed(ben, "/records?decision=conflict") == _listed(ben, "/records")  # no such filter for him
    page = ben.get("/records").get_data(as_text=True)
    assert 'name="whose"' not in page and 'value="conflict"' not in page
    # the owner's row carries her own decision ("" here) for the page's check, so a choice made there is
    # saved as before (not refused as 'already marked' because the team's decision was shown)
    row = re.search(rf'<tr data-record-id="{agreed_in}".*?</tr>', owner.get("/records?decision=include")
                    .get_data(as_text=True), re.S).group(0)
    assert 'name="shown" value=""' in row and ">include</td>" in row


def test_a_conflict_filter_on_ones_own_decisions_says_it_is_not_applied(tmp_path, opened):
    """The owner asked Records for '?whose=mine&decision=conflict' (her own decisions, and the conflicts: a team
    filter): every record was listed under 'Decision: any' with no word that the filter was left out."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    decide(ana, ta, ids[0], "include")
    decide(ben, tb, ids[0], "exclude")
    assert _listed(owner, "/records?decision=conflict") == [ids[0]]
    page = " ".join(owner.get("/records?whose=mine&decision=conflict").get_data(as_text=True).split())
    note = re.search(r'<p class="note" id="filter-not-applied">(.*?)</p>', page)
    assert note, page
    assert ("'conflict' filters on the team's decisions (the reviewers' decisions differ), not on your own: the "
            "records below are not filtered by decision." in note.group(1).replace("&#39;", "'")), note.group(1)
    assert 'href="/records?decision=conflict"' in note.group(1)
    # a value that is no decision at all is said too, for a blind reviewer as for the owner
    page = " ".join(ben.get("/records?decision=includes").get_data(as_text=True).split())
    assert "'includes' is not a decision to filter on" in page.replace("&#39;", "'")
    assert 'id="filter-not-applied"' not in owner.get("/records?decision=include").get_data(as_text=True)


def test_the_conflicts_page_says_which_exclude_was_given_unread_at_a_stop(tmp_path, opened):
    """Anabel read 4 of 16 records and excluded the 12 left unread at her stop ('screener label --reviewer
    Anabel --decision exclude'); Ben read all 16 and included some of her 12. The Conflicts page listed
    'Anabel: exclude' beside 'Ben: include', as though she had read the record and judged it out, and the
    owner settled it as a disagreement of two readings. It now says her exclude was given unread."""
    from screener.labels import import_labels

    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    owner, _ = login(app, OWNER, "owner")
    ana, ta = login(app, ANA)
    ben, tb = login(app, BEN)
    order = list(truth)
    for rid in order[:4]:
        decide(ana, ta, rid, "exclude")  # read and excluded
    rest = tmp_path / "rest.csv"
    rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in order[4:]))
    with Project.open(directory) as p:
        assert import_labels(p, rest, reviewer=ANA, decision="exclude").rest_excluded == 12
    for rid in order:
        decide(ben, tb, rid, "include")
    page = " ".join(owner.get("/conflicts?reveal=1").get_data(as_text=True).split())
    assert page.count("<strong>Ben</strong>: include") == 16, page
    assert page.count("excluded unread with the records left at their stop") == 12, page


def _stopped_team(tmp_path):
    """A served dual review where Anabel and Ben each stopped, excluding their records left unread ('label
    --decision exclude'); they disagree on three records they read, and Ben has not read one Anabel marked
    maybe. Returns the folder and the CLI output of 'screener status', whitespace collapsed."""
    from typer.testing import CliRunner

    from screener.accounts import add_user
    from screener.cli import app as cli

    directory, truth = build_project(tmp_path / "stop", mode="dual", n=20, xss=False)
    ids = sorted(truth)
    with Project.open(directory) as p:
        for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
            add_user(p.store, name, role, "correct horse battery")
        for i, rid in enumerate(ids[:6]):
            p.decide(rid, "include" if i % 2 else "exclude", reviewer=ANA)
            p.decide(rid, "include" if i % 3 else "exclude", reviewer=BEN)
        p.decide(ids[6], "maybe", reviewer=ANA)
    rest = tmp_path / "rest.csv"
    rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in ids[7:]), encoding="utf-8")
    runner = CliRunner()
    for name in (ANA, BEN):
        out = runner.invoke(cli, ["label", str(directory), str(rest), "--reviewer", name, "--decision", "exclude"])
        assert out.exit_code == 0, out.output
    return directory, " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())


def test_the_dashboards_records_left_after_a_stop_leave_out_the_conflicts_as_status_does(tmp_path, opened):
    """Both stopped: 'screener status' said '1 left to screen and 3 conflicts waiting to be settled'; the owner's
    dashboard read 'Estimated recall, with 4 records left to screen', counting the conflicts, which wait to be
    settled, not screened. (The 1 is the record Anabel marked maybe, which Ben still screens: 'status' names it
    apart, as the PRISMA box has it among the records awaiting agreement.)"""
    directory, status = _stopped_team(tmp_path)
    assert ", 1 screened by only one of the two reviewers so far and 3 conflicts waiting to be settled;" in status, \
        status
    assert "none left to screen" not in status, status  # beside the advice's 'Besides the 1 record left to screen'
    owner, _ = login(opened(directory), OWNER, "owner")
    section = " ".join(owner.get("/dashboard").get_data(as_text=True).split()).split('id="recall"')[1]
    assert "Estimated recall, with 1 record screened by only one of the two reviewers so far" in section, \
        section[:1500]
    assert "4 records left to screen" not in section


def test_the_record_one_reviewer_screened_after_a_stop_is_named_alike_by_status_advice_dashboard_and_report(
        tmp_path, opened):
    """Both stopped; Ben has not screened the record Anabel marked maybe. 'screener status' said '1 screened by only
    one of the two reviewers so far and 3 conflicts' and the PRISMA box 'awaiting the reviewers' agreement 4', but
    the advice beside them said 'Besides the 1 record left to screen and the 3 conflicts', and the dashboard and the
    report 'Estimated recall, with 1 record left to screen': two names for one record. Each now says it alike."""
    directory, status = _stopped_team(tmp_path)
    one = "1 record screened by only one of the two reviewers so far"
    assert f"(Besides the {one} and the 3 conflicts waiting to be settled, 13 records were excluded" in status, status
    assert "1 record left to screen" not in status, status
    owner, _ = login(opened(directory), OWNER, "owner")
    for path in ("/dashboard", "/export/report.html"):
        page = " ".join(re.sub(r"<[^>]+>", " ", owner.get(path).get_data(as_text=True)).split())
        assert f"Estimated recall, with {one}" in page, (path, page[:3000])
        assert f"(Besides the {one} and the 3 conflicts" in html_text.unescape(page), path
        assert "1 record left to screen" not in page, path


def test_the_owners_team_progress_says_which_records_were_excluded_unscreened_at_the_stop(tmp_path, opened):
    """Both stopped: 'screener status' said '3 of 20 records screened ..., 13 excluded unscreened when screening
    stopped'; the owner's dashboard said '3 of 20 records screened by the team' and what waits for agreement, not a
    word of the 13, which read as records still to screen."""
    directory, status = _stopped_team(tmp_path)
    assert "3 of 20 records screened" in status and "13 excluded without screening when screening stopped" in status
    owner, _ = login(opened(directory), OWNER, "owner")
    page = owner.get("/dashboard").get_data(as_text=True)
    progress = " ".join(re.sub(r"<[^>]+>", " ", page.split('id="progress"')[1].split("</section>")[0]).split())
    assert "3 of 20 records screened by the team" in progress, progress
    assert "13 records excluded without screening when screening stopped" in progress, progress


def test_the_owners_records_list_of_the_teams_excludes_says_which_were_excluded_unread_at_the_stop(tmp_path,
                                                                                                     opened):
    """Both stopped, excluding the 13 records they had left unread: the owner's records list of the team's
    excludes listed 14 studies with no word of the 13, beside a dashboard that counts 1 record excluded and 13 not
    screened, and its list of the records not screened by both said 'No records match'. Each reviewer's own list
    said so; the team's now does too."""
    directory, _ = _stopped_team(tmp_path)
    owner, _ = login(opened(directory), OWNER, "owner")

    def note(path, name):
        found = re.search(rf'<p class="note" id="{name}">(.*?)</p>', page_text(owner.get(path)), re.S)
        return " ".join(found.group(1).split()) if found else ""

    said = note("/records?decision=exclude", "excluded-unread")
    assert "13 of these 14 studies were excluded without screening when screening stopped" in said, said
    said = note("/records?decision=unscreened", "rest-unread")
    assert "13 records were excluded without screening when screening stopped" in said, said
    assert note("/records?decision=exclude&whose=mine", "excluded-unread") == ""  # the owner excluded none herself


FT_SECRET = "ANA-FULL-TEXT-NOTE"


def _past_title_abstract(tmp_path, opened):
    """A small team whose title/abstract blinding is over (both included every record), Anabel having
    assessed every full text with a note and Ben one of them, differently."""
    from screener.store.base import Decision

    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    for rid in truth:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "include")
    store = app.config["SCREENER_PROJECT"].store
    ids = sorted(truth)
    store.append_decisions([Decision(record_id=i, decision="exclude", reviewer=ANA, stage="full_text",
                                     note=FT_SECRET, reason="wrong population") for i in ids])
    store.append_decisions([Decision(record_id=ids[0], decision="include", reviewer=BEN, stage="full_text"),
                            Decision(record_id=ids[1], decision="exclude", reviewer=BEN, stage="full_text")])
    return app, ids, (owner, to), (ana, ta), (ben, tb)


def test_a_reviewer_still_assessing_full_texts_sees_none_of_the_others_once_title_abstract_blinding_is_over(
        tmp_path, opened):
    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    assert ben.get("/export/agreement.csv").status_code == 200  # the title/abstract blinding is over
    html = ben.get("/conflicts?reveal=1").get_data(as_text=True)
    assert FT_SECRET not in html and "full-text conflict" not in html and 'id="full-text-blind"' in html
    for fmt, data in _exports(ben).items():
        assert FT_SECRET not in data and "wrong population" not in data and "include" in data, fmt
    r = ben.post(f"/conflicts/{ids[0]}/resolve", data={"decision": "include", "stage": "full_text", "csrf_token": tb})
    assert r.status_code == 403
    dash = ben.get("/dashboard").get_data(as_text=True)  # the team's full-text counts and reasons, the report
    assert 'id="prisma-full-text-excluded"' not in dash and "wrong population" not in dash
    assert 'id="export-report"' not in dash and ben.get("/export/report.html").status_code == 403
    page = owner.get("/conflicts?reveal=1").get_data(as_text=True)  # the owner sees all, as before
    assert FT_SECRET in page and 'id="end-full-text-blinding"' in page
    assert 'id="prisma-full-text-excluded"' in owner.get("/dashboard").get_data(as_text=True)
    # ending the title/abstract blinding again leaves the full texts blind
    assert owner.post("/blinding/end", data={"csrf_token": to, "stage": "title_abstract"}).status_code == 302
    assert FT_SECRET not in ben.get("/conflicts?reveal=1").get_data(as_text=True)
    assert owner.post("/blinding/end", data={"csrf_token": to, "stage": "full_text"}).status_code == 302
    assert FT_SECRET in ben.get("/conflicts?reveal=1").get_data(as_text=True)
    assert all(FT_SECRET in text for text in _exports(ben).values())  # the agreed exclusion, with her note
    assert ben.get("/export/report.html").status_code == 200


def test_the_full_text_blinding_lifts_when_both_have_assessed_every_report(tmp_path, opened):
    from screener.store.base import Decision

    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    assert FT_SECRET not in ben.get("/conflicts?reveal=1").get_data(as_text=True)
    store = app.config["SCREENER_PROJECT"].store
    store.append_decisions([Decision(record_id=i, decision="exclude", reviewer=BEN, stage="full_text")
                            for i in ids[1:]])
    html = ben.get("/conflicts?reveal=1").get_data(as_text=True)
    assert FT_SECRET in html and "1 full-text conflict to resolve" in html


def test_the_owner_who_screened_titles_herself_but_assesses_no_full_text_sees_the_full_text_conflicts(
        tmp_path, opened):
    """The owner screened every title and abstract with the reviewers, then left the full texts to them:
    she was blind at full text as one assessing them, so the full-text conflicts, the dashboard's full-text
    counts and the report were hidden from her, and she could settle a full-text conflict only by ending the
    full-text blinding for everyone, the reviewers still assessing included."""
    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    for rid in ids:
        decide(owner, to, rid, "include")
    page = owner.get("/conflicts?reveal=1").get_data(as_text=True)
    assert FT_SECRET in page and 'id="full-text-blind"' not in page
    assert 'id="prisma-full-text-excluded"' in owner.get("/dashboard").get_data(as_text=True)
    assert owner.get("/export/report.html").status_code != 403
    r = owner.post(f"/conflicts/{ids[0]}/resolve", data={"decision": "include", "stage": "full_text", "csrf_token": to})
    assert r.status_code == 302, r.get_data(as_text=True)
    assert FT_SECRET not in ben.get("/conflicts?reveal=1").get_data(as_text=True)  # Ben is still blind
    # once she assesses a full text herself, she is blind at full text as the reviewers are
    from screener.store.base import Decision

    app.config["SCREENER_PROJECT"].store.append_decisions(
        [Decision(record_id=ids[2], decision="include", reviewer=OWNER, stage="full_text")])
    assert FT_SECRET not in owner.get("/conflicts?reveal=1").get_data(as_text=True)


def test_the_owner_blind_at_title_and_abstract_is_told_she_ended_the_full_text_blinding(tmp_path, opened):
    """The owner screening titles and abstracts herself (so blind there) ended the full-text blinding; her
    Conflicts page still said the full texts were blind and offered the button again, as if nothing had
    been done."""
    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    decide(owner, to, ids[0], "include")
    page = owner.get("/conflicts").get_data(as_text=True)
    assert 'id="blind"' in page and 'id="end-full-text-blinding"' in page
    assert owner.post("/blinding/end", data={"csrf_token": to, "stage": "full_text"}).status_code == 302
    page = owner.get("/conflicts").get_data(as_text=True)
    assert "The full-text blinding was ended" in page and 'id="end-full-text-blinding"' not in page
    # she screens titles and abstracts: the blinding there holds for Ben too (``accounts.blinding_holds``)
    assert FT_SECRET not in ben.get("/conflicts?reveal=1").get_data(as_text=True)
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert FT_SECRET in ben.get("/conflicts?reveal=1").get_data(as_text=True)


def test_the_owner_of_two_who_ended_the_full_text_blinding_reads_of_the_other_reviewers_decisions(tmp_path, opened):
    """Anabel and Ben assess the full texts; the owner ended that blinding. Her Conflicts page said 'every reviewer
    sees the others' full-text decisions', speaking of a team of three or more: each of the two sees the other's."""
    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    assert owner.post("/blinding/end", data={"csrf_token": to, "stage": "full_text"}).status_code == 302
    page = owner.get("/conflicts").get_data(as_text=True)
    state = " ".join(html_text.unescape(re.search(r'id="full-text-blinding-state">(.*?)</p>', page, re.S)
                                        .group(1)).split())
    assert state == "The full-text blinding was ended: Anabel and Ben each see the other's full-text decisions.", state
    # a third assessing full texts: the others'
    from screener.store.base import Decision

    app.config["SCREENER_PROJECT"].store.append_decisions(
        [Decision(record_id=ids[0], decision="exclude", reviewer="Cara", stage="full_text")])
    page = owner.get("/conflicts").get_data(as_text=True)
    state = " ".join(html_text.unescape(re.search(r'id="full-text-blinding-state">(.*?)</p>', page, re.S)
                                        .group(1)).split())
    assert state == "The full-text blinding was ended: every reviewer sees the others' full-text decisions.", state


def test_the_owner_is_told_the_full_text_blinding_ended_by_the_rule_and_offered_no_end_button(tmp_path, opened):
    """Both reviewers had assessed every report passed on to full text, so the full-text blinding was
    over by the rule; the owner's Conflicts page still said full texts were blind 'until each has
    assessed every report' and offered the button to end it."""
    from screener.store.base import Decision

    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    assert 'id="end-full-text-blinding"' in owner.get("/conflicts").get_data(as_text=True)
    app.config["SCREENER_PROJECT"].store.append_decisions(
        [Decision(record_id=i, decision="exclude", reviewer=BEN, stage="full_text") for i in ids[1:]])
    page = owner.get("/conflicts").get_data(as_text=True)
    state = re.search(r'id="full-text-blinding-state">(.*?)</p>', page, re.S).group(1)
    assert "ended" in state and "each assessed every report" in state and "until" not in state, state
    assert 'id="end-full-text-blinding"' not in page


def test_a_reviewer_blind_at_full_text_is_told_her_exports_full_text_decisions_are_her_own(tmp_path, opened):
    """Ben, blind at full text, read 'Exports carry the team's agreed and resolved decisions', though the
    full-text columns of his export are his own decisions."""
    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    dash = ben.get("/dashboard").get_data(as_text=True)
    line = re.search(r'id="exports-full-text-own">(.*?)</p>', dash, re.S)
    assert line and "your own" in line.group(1) and "full-text" in line.group(1), dash[-1500:]
    assert "Exports carry the team's agreed and resolved decisions." not in dash
    page = owner.get("/dashboard").get_data(as_text=True)  # the owner assesses no full text: the team's
    assert "Exports carry the team's agreed and resolved decisions." in page and "exports-full-text-own" not in page


def test_a_team_of_three_is_not_told_of_both_reviewers(tmp_path, opened):
    """Anabel, Ben and Cara screen the records, Cara disagreeing on one: the pages spoke of a team of two, not
    theirs. Ben, done while Cara still screened, read that the blinding opens 'when both reviewers have screened
    every record'; the owner that it lasts 'until both have screened every record'; then the dashboard counted
    the includes 'agreed by both reviewers' and the records list offered 'not screened by both reviewers yet'."""
    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    ids = list(truth)
    with Project.open(directory) as p:
        for rid, t in truth.items():
            p.decide(rid, "include" if t else "exclude", reviewer=ANA)
            p.decide(rid, "include" if t else "exclude", reviewer=BEN)
        for rid in ids[:-1]:  # Cara has one record left
            p.decide(rid, "include" if (rid == ids[0]) != bool(truth[rid]) else "exclude", reviewer="Cara")
    app = opened(directory)
    (ben, _), (cara, tc), (owner, _) = login(app, BEN), login(app, "Cara"), login(app, OWNER, "owner")

    def said(c, path):
        return " ".join(page_text(c.get(path)).split())

    blind = said(ben, "/dashboard")
    assert "dual, blind" in blind and "both reviewers" not in blind, blind
    assert "once Cara has screened every record" in blind, blind  # Ben has finished: told whom it waits for
    blind = said(cara, "/conflicts")
    assert "once every reviewer has screened every record" in blind and "both" not in blind, blind
    blind = said(owner, "/conflicts")
    assert "until every reviewer has screened every record" in blind and "both have" not in blind, blind
    assert "both reviewers" not in blind, blind  # (the agreement of each pair: 'Both screened')
    decide(cara, tc, ids[-1], "exclude")
    for c, path in ((owner, "/dashboard"), (owner, "/conflicts?reveal=1"), (owner, "/records"), (ben, "/dashboard"),
                    (ben, "/records"), (ben, "/conflicts")):
        page = said(c, path)
        assert "dual, blind" not in page and "both reviewers" not in page and "both have" not in page, (path, page)
    assert "not screened by the team yet" in said(owner, "/records")
    assert "Conflicts with the other reviewers are listed under" in said(cara, "/screen")


def test_an_owner_who_screened_a_few_records_is_told_she_holds_the_blinding_and_how_to_lift_it(tmp_path, opened):
    """Olga, the owner, screened 3 records to try the tool, then left the screening to Anabel and Ben, who
    finished: her dashboard said only that it opens 'once every reviewer has screened every record', not that she
    holds it open for everyone, nor how to lift it. Now her dashboard and Conflicts page say so, with the three
    ways; the reviewers are not told of them; withdrawing her 3 decisions lifts the blinding."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    ids = list(truth)
    for rid in ids[:3]:
        decide(owner, to, rid, "include")
    for rid in ids:
        decide(ana, ta, rid, "exclude")
        decide(ben, tb, rid, "exclude")
    for path in ("/dashboard", "/conflicts"):
        said = " ".join(page_text(owner.get(path)).split())
        assert "you hold the blinding open for everyone until you have screened every record" in said, said
        assert "screen the 13 records left, withdraw your 3 decisions" in said and "or end the blinding" in said
        assert "withdraw your" not in " ".join(page_text(ben.get(path)).split())
    assert ben.get("/export/agreement.csv").status_code == 403
    for rid in ids[:3]:
        r = owner.post(f"/records/{rid}/decision", data={"decision": "retract", "csrf_token": to})
        assert r.status_code == 302
    assert ben.get("/export/agreement.csv").status_code == 200
    assert "hold the blinding open" not in page_text(owner.get("/dashboard"))


def test_the_owner_of_three_assessing_full_texts_is_not_told_two_reviewers_ended_that_blinding(tmp_path, opened):
    """Anabel, Ben and Cara each assessed every report passed on: the owner's Conflicts page said the full-text
    blinding ended as 'two reviewers have each assessed every report', where it ends once all three have. Ben,
    blind while one report was left to him, read of 'the other reviewers'' decisions in a team of two."""
    from screener.store.base import Decision

    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    from html import unescape

    said = unescape(" ".join(page_text(ben.get("/conflicts?reveal=1")).split()))
    assert "the other reviewer's full-text decisions" in said, said
    store = app.config["SCREENER_PROJECT"].store
    store.append_decisions([Decision(record_id=i, decision="exclude", reviewer=BEN, stage="full_text") for i in ids[1:]]
                           + [Decision(record_id=i, decision="exclude", reviewer="Cara", stage="full_text")
                              for i in ids])
    page = owner.get("/conflicts").get_data(as_text=True)
    state = " ".join(re.search(r'id="full-text-blinding-state">(.*?)</p>', page, re.S).group(1).split())
    assert "every reviewer assessing full texts has assessed every report" in state and "two" not in state, state


def test_the_terminal_and_the_web_app_agree_on_the_blinding_and_the_teams_figures(tmp_path, opened):
    """One project state after another (a reviewer still screening, both finished, the owner trying the tool and
    withdrawing, a third reviewer starting): whether the blinding holds, the size of the team the words speak of
    and the team's counts are the same in the terminal (``team_view_blind``, ``team_size``, ``screening_counts``)
    and on the web (Anabel's badge, the owner's dashboard)."""
    from screener.accounts import team_view_blind
    from screener.status import screening_counts, team_size

    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    cara, tc = login(app, "Cara")
    p, ids = app.config["SCREENER_PROJECT"], list(truth)

    def agree(blind: bool, owner_sees: bool = True):
        assert team_view_blind(p) is blind
        assert ("dual, blind" in page_text(ana.get("/dashboard"))) is blind  # Anabel has screened every record
        if not owner_sees:
            return
        said = " ".join(re.sub(r"<[^>]+>", " ", page_text(owner.get("/dashboard"))).split())
        c = screening_counts(p)
        assert f"{c.screened} of {c.records} records screened by the team" in said, said
        assert ("agreed by both reviewers" in said) is (team_size(p) <= 2), said

    for rid in ids:
        decide(ana, ta, rid, "exclude")
    decide(ben, tb, ids[0], "include")  # a conflict
    agree(blind=True)
    for rid in ids[1:]:
        decide(ben, tb, rid, "exclude")
    agree(blind=False)
    for rid in ids[:3]:
        decide(owner, to, rid, "include")
    agree(blind=True, owner_sees=False)  # she screens: blind as the reviewers are
    for rid in ids[:3]:
        assert owner.post(f"/records/{rid}/decision", data={"decision": "retract", "csrf_token": to}).status_code == 302
    agree(blind=False)
    decide(cara, tc, ids[0], "exclude")
    agree(blind=True)
    for rid in ids[1:]:
        decide(cara, tc, rid, "exclude")
    agree(blind=False)


def test_an_owner_screening_beside_one_reviewer_is_not_told_of_the_other_reviewers(tmp_path, opened):
    """Olga, the owner, screens beside Anabel alone: her Conflicts page said the screening is blind for her 'as for
    the other reviewers', in a team of two."""
    app, truth, (owner, to), (ana, ta), _ = _small_team(tmp_path, opened)
    ids = list(truth)
    decide(ana, ta, ids[0], "exclude")
    decide(owner, to, ids[0], "exclude")
    said = " ".join(page_text(owner.get("/conflicts")).split())
    assert "blind for you too, as for the other reviewer," in said, said
    assert "withdraw your 1 decision" in said and "if it was only a try" in said, said


def test_a_mistyped_whose_decisions_choice_is_refused_with_the_one_meant(tmp_path, opened):
    """The owner's '/records?whose=mien' listed the team's decisions as if 'team' had been asked for, with no word
    that 'mien' was read as nothing; it is refused with the choice meant, as the other mistyped choices are."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    r = owner.get("/records?whose=mien&decision=include")
    said = " ".join(html_text.unescape(page_text(r)).split())
    assert r.status_code == 400, said
    assert "'mien' is not one of team, mine. Did you mean 'mine'?" in said, said
    assert _listed(owner, "/records?whose=team") == _listed(owner, "/records")  # the choices as before
    # blind, Ben lists his own decisions whatever the address says: there is no choice to mistype
    assert ben.get("/records?whose=mien").status_code == 200


def test_the_owner_whose_end_of_the_full_text_blinding_a_search_update_undid_is_told_so(tmp_path, opened):
    """The owner ended the full-text blinding, then imported a search update: the full texts were blind again
    (``accounts.blinding_ended``), and 'screener blinding --stage full_text' said she had ended it, but her Conflicts
    page said only 'Full-text assessment is blind for the reviewers until ...', as if she had never ended it."""
    from screener.accounts import end_blinding

    app, ids, (owner, to), (ana, ta), (ben, tb) = _past_title_abstract(tmp_path, opened)
    project = app.config["SCREENER_PROJECT"]
    end_blinding(project.store, "full_text", OWNER)

    def state() -> str:
        page = owner.get("/conflicts").get_data(as_text=True)
        found = re.search(r'id="full-text-blinding-state">(.*?)</p>', page, re.S).group(1)
        return " ".join(re.sub(r"<[^>]+>", " ", found).split())

    assert "imported since" not in state()
    rows, _ = make_records(30)
    project.import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    said = state()
    assert "You ended the full-text blinding on 20" in said and "imported since (a search update)" in said, said
    assert "blind again" in said and "is blind for the reviewers" in said, said


def test_the_owners_conflicts_page_counts_a_reviewers_rest_unread_with_the_records_a_search_update_added(tmp_path,
                                                                                                       opened):
    """Cara screened 4 of 16 records and excluded the 12 left unread at her stop; a search update added 2 records.
    The owner's Conflicts page said the blinding waits for 'Cara (2 records left)', where 14 are still hers to read
    (the 12 unread at her stop count as not screened, and hold the blinding). It says 14, 12 of them unread."""
    from screener.labels import import_labels

    app, ids, owner, ana = _cara_part_way(tmp_path, opened, 4)
    rest = tmp_path / "rest.csv"
    rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in ids[4:]))
    project = app.config["SCREENER_PROJECT"]
    assert import_labels(project, rest, reviewer="Cara", decision="exclude").rest_excluded == 12
    assert "Cara (12 records left, excluded unread at the stop)" in _blinding_state(owner)
    rows, _ = make_records(18)
    project.import_files([write_csv(rows[16:], tmp_path / "update.csv")], source_db="Update")
    state = _blinding_state(owner)
    assert f"{ANA} (2 records left)" in state, state
    assert "Cara (14 records left, 12 of them excluded unread at the stop)" in state, state


def test_the_owner_may_end_the_blinding_for_a_reviewer_joining_after_the_others_finished(tmp_path, opened):
    """Anabel and Ben had screened every record; Cara, joining then, is blind and told the project owner may end the
    blinding, but the owner's Conflicts page said it was over and offered no button to end it. It names Cara and
    offers the button, which shows her the team."""
    app, truth, (owner, to), (ana, ta), (ben, tb) = _small_team(tmp_path, opened)
    for rid in truth:
        decide(ana, ta, rid, "include" if truth[rid] else "exclude")
        decide(ben, tb, rid, "exclude")
    cara, _ = login(app, "Cara")
    state = _blinding_state(owner)
    assert "Cara has not screened every record" in state, state
    assert 'id="end-blinding"' in page_text(owner.get("/conflicts"))
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    assert "Screening is blind" not in " ".join(page_text(cara.get("/conflicts")).split())


def _two_agree_cara_behind(tmp_path, n: int = 24, cara: int = 4):
    """A dual review of ``n`` records where Anabel and Ben give every record the same decision and Cara, a third
    reviewer, has screened the first ``cara``. Returns the folder and the CLI runner with the app."""
    from typer.testing import CliRunner

    from screener.accounts import add_user
    from screener.cli import app as cli

    tmp_path.mkdir(parents=True, exist_ok=True)
    directory, truth = build_project(tmp_path / "three", mode="dual", n=n, xss=False)
    with Project.open(directory) as p:
        for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer"), ("Cara", "reviewer")):
            add_user(p.store, name, role, "correct horse battery")
        for i, rid in enumerate(sorted(truth)):
            d = "include" if truth[rid] else "exclude"
            for name in (ANA, BEN) + (("Cara",) if i < cara else ()):
                p.decide(rid, d, reviewer=name)
    return directory, CliRunner(), cli


def test_the_owner_is_told_cara_still_screens_where_two_agree_on_every_record(tmp_path, opened):
    """A team of three, Anabel and Ben agreeing on every record: the owner's dashboard, 'status --team' and 'report
    --team' said every record was screened and nothing was left ('24 of 24 records screened ..., 0 left'), while Cara
    had 20 records still to screen, each of which a decision of hers that differs turns into a conflict. They say
    so, in the same words."""
    directory, runner, cli = _two_agree_cara_behind(tmp_path)
    said = ("Cara has 20 records still to screen: a record counts as screened once every reviewer who screened it (two "
            "at least) gives it the same decision, so the counts do not wait for Cara, and a decision of Cara's that "
            "differs opens a conflict on it.")
    status = runner.invoke(cli, ["status", str(directory), "--team"])
    assert status.exit_code == 0, status.output
    assert said in " ".join(status.output.split()), status.output
    js = json.loads(runner.invoke(cli, ["status", str(directory), "--team", "--json"]).output)
    assert js["remaining"] == 0 and js["still_screening"] == [{"reviewer": "Cara", "left": 20, "disabled": False}], js
    out = tmp_path / "report.html"
    rep = runner.invoke(cli, ["report", str(directory), "--team", "-o", str(out)])
    assert rep.exit_code == 0, rep.output
    assert said in " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", out.read_text())).split())
    owner, _ = login(opened(directory), OWNER, "owner")
    page = " ".join(page_text(owner.get("/dashboard")).split())
    assert said in html_text.unescape(page), page
    # Cara done, or never started (a team of two): nothing is said
    for cara in (24, 0):
        directory, runner, cli = _two_agree_cara_behind(tmp_path / str(cara), cara=cara)
        status = runner.invoke(cli, ["status", str(directory), "--team"])
        assert status.exit_code == 0 and "still to screen" not in status.output, status.output


def _team_figures(tmp_path, directory, owner) -> dict:
    """The team's counts as 'status --team --json', 'report --team' and the owner's dashboard give them, each with
    its words on who still screens (``status.still_screening_words``)."""
    from typer.testing import CliRunner

    from screener.cli import app as cli

    runner = CliRunner()
    js = json.loads(runner.invoke(cli, ["status", str(directory), "--team", "--json"]).output)
    said = " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())
    out = tmp_path / "report.html"
    assert runner.invoke(cli, ["report", str(directory), "--team", "-o", str(out)]).exit_code == 0
    page = out.read_text()
    report = " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", page)).split())

    def box(key: str) -> str:
        inner = re.search(rf'id="{key}"[^>]*>(.*?)</div>', page, re.S).group(1)
        return " ".join(re.sub(r"<[^>]+>", " ", inner).split())
    dash = " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", page_text(owner.get("/dashboard")))).split())
    c = js["counts"]
    return {
        "status": (c["screened"], c["records"], c["included"], c["excluded"], c["left"], c["in_conflict"]),
        "report": (int(box("card-screened")), int(re.search(r"\(n = (\d+)\)", box("prisma-after-dedup")).group(1)),
                   int(box("card-included")), int(re.search(r"\(n = (\d+)\)", box("prisma-excluded")).group(1)),
                   int(box("card-not-screened")),
                   int(re.search(r"(\d+) more screened, awaiting", box("card-not-screened-words")).group(1))),
        "dashboard": tuple(int(x) for x in re.search(
            r"(\d+) of (\d+) records screened by the team .*? (\d+) includes? · 0 maybe · (\d+) excludes? .*? "
            r"Screened, awaiting the reviewers' agreement (\d+) Not screened(?: yet)? (\d+)", dash).groups()),
        "still": js["still_screening"], "words": [said, report, dash]}


def test_a_team_of_three_reads_the_same_counts_in_status_the_report_and_the_dashboard(tmp_path, opened):
    """A team of three through the web pages: Anabel and Ben screen every record, Cara six, one of them otherwise
    (a conflict); Cara undoes her last decision, Ben withdraws one, and a search update brings four records. At each
    step 'status --team', 'report --team' and the owner's dashboard give the same records screened, includes,
    excludes, records left and records waiting for the reviewers, and the same words on who still screens."""
    from screener.status import still_screening_words

    directory, truth = build_project(tmp_path / "walk", mode="dual", n=16, xss=False)
    app = opened(directory)
    owner, _ = login(app, OWNER, "owner")
    (ana, ta), (ben, tb), (cara, tc) = login(app, ANA), login(app, BEN), login(app, "Cara")
    ids = sorted(truth)
    for rid in ids:
        for c, t in ((ana, ta), (ben, tb)):
            decide(c, t, rid, "include" if truth[rid] else "exclude")
    for i, rid in enumerate(ids[:6]):
        decide(cara, tc, rid, "include" if truth[rid] != (i == 1) else "exclude")

    def check(screened, records, included, excluded, left, waiting, still):
        fig = _team_figures(tmp_path, directory, owner)
        want = (screened, records, included, excluded, left, waiting)
        dash = fig["dashboard"][:4] + (fig["dashboard"][5], fig["dashboard"][4])
        assert fig["status"] == want and fig["report"] == want and dash == want, fig
        assert fig["still"] == [{"reviewer": n, "left": k, "disabled": False} for n, k in still], fig["still"]
        words = still_screening_words(still)
        assert all(words in w for w in fig["words"]), (words, fig["words"])
        # the conflict alone waiting: 'Settle the 1 conflict: no record is left to screen' beside Cara's 10
        assert not any("no record is left to screen" in w for w in fig["words"]), fig["words"]

    check(15, 16, 14, 1, 0, 1, [("Cara", 10)])
    r = cara.post("/api/undo", json={}, headers={"X-CSRF-Token": tc})
    assert r.status_code == 200 and r.get_json()["undone"] == ids[5], r.get_data(as_text=True)
    check(15, 16, 14, 1, 0, 1, [("Cara", 11)])
    assert ben.post(f"/records/{ids[2]}/decision", data={"decision": "retract", "csrf_token": tb}).status_code == 302
    check(15, 16, 14, 1, 0, 1, [(BEN, 1), ("Cara", 11)])  # Anabel and Cara agree on it: still screened
    rows, _ = make_records(16, seed=5)
    for k, row in enumerate(rows[:4]):
        row.update(doi=f"10.9/update.{k}", title=f"Update study {k}: peer support in harm reduction")
    with Project.open(directory) as p:
        p.import_files([write_csv(rows[:4], tmp_path / "update.csv")], source_db="Update")
    check(15, 20, 14, 1, 4, 1, [(BEN, 5), ("Cara", 15)])


def test_the_advice_does_not_say_every_record_was_screened_while_cara_still_screens(tmp_path, opened):
    """Anabel and Ben agreeing on every record, Cara with 20 still to screen: the advice of 'status --team', its
    --json and the owner's dashboard said 'Every record has been screened: nothing is left to find.' and the report
    'Every record has been screened.'; with Cara disagreeing on one record, the counts said 'none left to screen and
    1 conflict waiting to be settled'. Each record counts as screened, but Cara has not screened them: they say so."""
    directory, runner, cli = _two_agree_cara_behind(tmp_path)
    status = " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())
    js = json.loads(runner.invoke(cli, ["status", str(directory), "--team", "--json"]).output)
    out = tmp_path / "report.html"
    assert runner.invoke(cli, ["report", str(directory), "--team", "-o", str(out)]).exit_code == 0
    report = " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", out.read_text())).split())
    owner, _ = login(opened(directory), OWNER, "owner")
    dash = " ".join(html_text.unescape(page_text(owner.get("/dashboard"))).split())
    said = ("Every record counts as screened (every reviewer who screened it, two at least, gives it the same "
            "decision), so nothing is left to find among the records the counts wait for; Cara has not screened "
            "every record yet.")
    for words in (status, js["advice"], report, dash):
        assert "Every record has been screened" not in words and said in words, words
    assert js["stop"] is True and js["still_screening"] == [{"reviewer": "Cara", "left": 20, "disabled": False}], js
    assert "0 left;" not in status and "none left to screen that the counts wait for;" in status, status
    # Cara disagrees with the two on a record she screened: a conflict, and still her 20 to screen
    with Project.open(directory) as p:
        votes = p.reviewer_decisions()
        first = votes[votes["reviewer"] == "Cara"].iloc[0]
        other = "exclude" if first["decision"] == "include" else "include"
        p.decide(int(first["group_record_id"]), other, reviewer="Cara")
    status = " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())
    assert "none left to screen and 1 conflict" not in status, status
    assert "none left to screen that the counts wait for and 1 conflict waiting to be settled" in status, status
    # two reviewers: 'none left to screen' is true there, and said as before
    directory, runner, cli = _two_agree_cara_behind(tmp_path / "two", cara=0)
    status = " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())
    assert "Every record has been screened: nothing is left to find." in status and "0 left;" in status, status


def test_a_disabled_reviewer_still_screening_is_said_to_be_unable_to_sign_in(tmp_path, opened):
    """Anabel and Ben agreeing on every record, Cara with 20 to screen when the owner disabled her account: 'status
    --team', the report and the owner's dashboard said 'Cara has 20 records still to screen' as of anyone screening,
    where the Conflicts page says her account is disabled. They say so too, in its words; 'status --json' gave her
    as one still screening with nothing to tell a tool she cannot: it flags her account disabled."""
    from screener.accounts import set_disabled

    directory, runner, cli = _two_agree_cara_behind(tmp_path)
    with Project.open(directory) as p:
        set_disabled(p.store, "Cara", disabled=True, by=OWNER)
    note = "Cara has 20 records still to screen (the account is disabled, so Cara cannot sign in to screen them):"
    status = " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())
    out = tmp_path / "report.html"
    assert runner.invoke(cli, ["report", str(directory), "--team", "-o", str(out)]).exit_code == 0
    report = " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", out.read_text())).split())
    owner, _ = login(opened(directory), OWNER, "owner")
    dash = " ".join(html_text.unescape(page_text(owner.get("/dashboard"))).split())
    for words in (status, report, dash):
        assert note in words, words
    js = json.loads(runner.invoke(cli, ["status", str(directory), "--team", "--json"]).output)
    assert js["still_screening"] == [{"reviewer": "Cara", "left": 20, "disabled": True}], js
    with Project.open(directory) as p:
        set_disabled(p.store, "Cara", disabled=False, by=OWNER)
    status = " ".join(runner.invoke(cli, ["status", str(directory), "--team"]).output.split())
    assert "Cara has 20 records still to screen:" in status and "disabled" not in status, status
    js = json.loads(runner.invoke(cli, ["status", str(directory), "--team", "--json"]).output)
    assert js["still_screening"] == [{"reviewer": "Cara", "left": 20, "disabled": False}], js
