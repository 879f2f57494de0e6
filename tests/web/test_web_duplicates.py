"""The Possible duplicates page: the pairs 'screener dedup --review' lists, decided in the browser as
'--merge' and '--keep-apart' decide them, by the project owner, with no screening decision shown."""

from __future__ import annotations

import re

import pytest
from webtestdata import PAIR, build_project, decide, login, page_text, with_pair, write_csv

from screener.project import Project

OWNER, BEN = "Olga", "Ben"
SECRET = "BEN-SECRET-NOTE"
def _decide(c, token, a, b, decision):
    return c.post("/duplicates/decide", data={"record_id": a, "other_id": b, "decision": decision,
                                              "csrf_token": token})


def _page_token(c) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', c.get("/duplicates").get_data(as_text=True)).group(1)


def test_the_owner_sees_each_pair_side_by_side_and_merges_it(tmp_path, opened):
    directory, a, b = with_pair(tmp_path)
    app = opened(directory)
    eng = app.extensions["screener"]
    c, token = login(app, OWNER)
    total = c.get("/api/status").get_json()["counts"]["total"]
    page = c.get("/duplicates")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for said in (PAIR[0]["title"], PAIR[1]["title"], "Imazio, M.; Brucato, A.", "European Heart Journal",
                 "vol. 32, no. 4, p. 597", "vol. 32, p. 597", "10.1093/eurheartj/ehq999", "Embase",
                 "same volume (32)", "Same study", "Different studies", f"Records {a} and {b}"):
        assert said in html, said
    assert html.count('<article class="conflict pair"') == 1

    r = _decide(c, _page_token(c), a, b, "merge")
    assert r.status_code == 302 and r.headers["Location"].endswith("/duplicates")
    after = c.get("/duplicates").get_data(as_text=True)
    assert f"Records {a} and {b} are now one study (logged)." in after
    assert 'id="no-pairs"' in after
    with Project.open(directory) as p:
        log = p.store.dedup_decisions_frame()
        last = log.iloc[-1]
        assert (last["decision"], last["reviewer"], last["origin"]) == ("merge", OWNER, "web")
        groups = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        assert groups[a] == groups[b]
        assert p.duplicate_review().empty
    assert eng.wait_idle(60)
    # the records to screen are studies: one fewer now the two are one
    assert c.get("/api/status").get_json()["counts"]["total"] == total - 1


def test_different_studies_keeps_the_two_apart_and_off_the_list(tmp_path, opened):
    directory, a, b = with_pair(tmp_path)
    app = opened(directory)
    c, _ = login(app, OWNER)
    r = _decide(c, _page_token(c), a, b, "separate")
    assert r.status_code == 302
    html = c.get("/duplicates").get_data(as_text=True)
    assert f"Records {a} and {b}: different studies (logged under {OWNER})." in html and 'id="no-pairs"' in html
    with Project.open(directory) as p:
        last = p.store.dedup_decisions_frame().iloc[-1]
        assert (last["decision"], last["reviewer"], last["origin"]) == ("separate", OWNER, "web")
        groups = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        assert groups[a] != groups[b]
    # and the terminal's list agrees
    with Project.open(directory) as p:
        assert p.duplicate_review().empty


def test_the_dashboard_and_records_link_the_page_with_the_count(tmp_path, opened):
    directory, a, b = with_pair(tmp_path, copy=True)  # one pair of studies: b's copy is listed with a too
    app = opened(directory)
    c, _ = login(app, OWNER)
    for path in ("/dashboard", "/records"):
        html = " ".join(c.get(path).get_data(as_text=True).split())
        assert "1 pair of records may be duplicates but was kept apart" in html, path
        assert 'href="/duplicates"' in html, path
    _decide(c, _page_token(c), a, b, "separate")
    for path in ("/dashboard", "/records"):
        assert 'id="pairs-to-review"' not in c.get(path).get_data(as_text=True), path


def test_a_reviewer_who_is_not_the_owner_gets_a_plain_message_and_the_owner_no_decisions(tmp_path, opened):
    directory, a, b = with_pair(tmp_path, mode="dual")
    app = opened(directory)
    owner, to = login(app, OWNER, "owner")
    ben, tb = login(app, BEN)
    decide(ben, tb, a, "include", note=SECRET)
    page = ben.get("/duplicates")
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and "decided by the project owner" in text
    assert PAIR[0]["title"] not in text and PAIR[1]["title"] not in text
    r = _decide(ben, tb, a, b, "merge")
    assert r.status_code == 403
    for path in ("/dashboard", "/records"):
        assert 'id="pairs-to-review"' not in ben.get(path).get_data(as_text=True), path
    with Project.open(directory) as p:
        assert p.store.dedup_decisions_frame().empty
    # the owner's page: the records' details, nothing of anyone's screening
    html = page_text(owner.get("/duplicates"))
    assert PAIR[0]["title"] in html and SECRET not in html and BEN not in html and "include" not in html.lower()
    assert _decide(owner, _page_token(owner), a, b, "merge").status_code == 302
    with Project.open(directory) as p:
        last = p.store.dedup_decisions_frame().iloc[-1]
        assert (last["decision"], last["reviewer"]) == ("merge", OWNER)


def test_a_form_without_its_security_token_changes_nothing(tmp_path, opened):
    directory, a, b = with_pair(tmp_path)
    app = opened(directory)
    c, _ = login(app, OWNER)
    token = _page_token(c)  # the page's forms carry the session's token
    r = c.post("/duplicates/decide", data={"record_id": a, "other_id": b, "decision": "merge"})
    assert r.status_code == 400 and "expired" in r.get_data(as_text=True)
    r = _decide(c, "not-the-token", a, b, "merge")
    assert r.status_code == 400
    with Project.open(directory) as p:
        assert p.store.dedup_decisions_frame().empty and len(p.duplicate_review()) == 1
    assert _decide(c, token, a, b, "merge").status_code == 302  # with it, the same form is saved


def test_a_pair_kept_apart_by_other_copies_after_the_page_was_shown_is_not_merged(tmp_path, opened):
    """A reviewer's "different studies" on two other copies of the two studies (in a terminal, after the page was
    shown) is their word on the studies: the owner's merge of the pair shown is not saved, and the page says who
    decided which copies."""
    directory, a, b = with_pair(tmp_path, copy=True)  # b and its copy b + 1 are one study
    app = opened(directory)
    c, _ = login(app, OWNER)
    token = _page_token(c)
    with Project.open(directory) as p:
        p.decide_duplicate_pair(a, b + 1, "separate", reviewer="Tom")
        n_log = len(p.store.dedup_decisions_frame())
        assert p.duplicate_review().empty
    r = _decide(c, token, a, b, "merge")
    html = " ".join(r.get_data(as_text=True).split())
    assert r.status_code == 409
    assert (f"Records {a} and {b} were decided after this page was shown (Tom said records {a} and {b + 1}, copies "
            "of these studies, are different studies), so your choice was not saved") in html
    with Project.open(directory) as p:
        assert len(p.store.dedup_decisions_frame()) == n_log
        groups = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        assert groups[a] != groups[b]


def test_a_pair_decided_after_the_page_was_shown_is_not_decided_again(tmp_path, opened):
    directory, a, b = with_pair(tmp_path)
    app = opened(directory)
    c, _ = login(app, OWNER)
    token = _page_token(c)
    with Project.open(directory) as p:  # in a terminal meanwhile: screener dedup DIR --keep-apart a,b
        p.decide_duplicate_pair(a, b, "separate", reviewer="Tom")
    r = _decide(c, token, a, b, "merge")
    html = " ".join(r.get_data(as_text=True).split())
    assert r.status_code == 409
    assert f"Records {a} and {b} were decided after this page was shown (Tom said they are different studies)" in html
    with Project.open(directory) as p:
        assert list(p.store.dedup_decisions_frame()["decision"]) == ["separate"]


@pytest.mark.parametrize("form", [{"decision": "merge"}, {"record_id": "x", "other_id": "2", "decision": "merge"},
                                  {"record_id": "1", "other_id": "2", "decision": "include"}])
def test_a_form_that_names_no_pair_or_choice_changes_nothing(tmp_path, opened, form):
    directory, a, b = with_pair(tmp_path)
    app = opened(directory)
    c, _ = login(app, OWNER)
    r = c.post("/duplicates/decide", data={**form, "csrf_token": _page_token(c)})
    assert r.status_code == 400 and "Nothing was changed" in r.get_data(as_text=True)
    with Project.open(directory) as p:
        assert p.store.dedup_decisions_frame().empty


def test_a_choice_sent_signed_out_returns_to_the_page_after_signing_in(tmp_path, opened):
    directory, a, b = with_pair(tmp_path, mode="dual")
    app = opened(directory)
    owner, _ = login(app, OWNER, "owner")
    token = _page_token(owner)
    with owner.session_transaction() as s:  # signed out meanwhile (the session's account gone), the page still open
        s.pop("user")
    r = _decide(owner, token, a, b, "merge")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "next=/duplicates" in r.headers["Location"] and "unsaved=1" in r.headers["Location"]
    with Project.open(directory) as p:
        assert p.store.dedup_decisions_frame().empty


def test_pairs_past_the_first_page_are_reached_by_next_and_previous(tmp_path, opened, monkeypatch):
    """The page showed the first 100 pairs only, with no way to the others but deciding those first. It shows them
    a page at a time ('Pairs 101-200 of 340 are shown'), with links to the next and previous pairs; a pair decided on
    a later page leaves the owner on that page. Here a page holds two pairs, and three pairs make two pages."""
    import screener.web.app as web_app

    monkeypatch.setattr(web_app, "PAIRS_SHOWN", 2)
    directory, _ = build_project(tmp_path / "single", n=16, xss=False)
    titles = [(PAIR[0]["title"], PAIR[1]["title"]),
              ("Aspirin after hip replacement: a registry cohort", "Venous thromboembolism in rural hospitals"),
              ("Statins and delirium in intensive care", "Night-time noise on surgical wards: an audit")]
    rows = [dict(PAIR[k], title=t, pages=str(100 * (i + 1)), doi="") for i, two in enumerate(titles)
            for k, t in enumerate(two)]
    with Project.open(directory) as p:  # three pairs, each at its own first page
        p.import_files([write_csv(rows, tmp_path / "embase.csv")], source_db="Embase")
        listed = sorted(zip(map(str, p.duplicate_review()["record_id"]), map(str, p.duplicate_review()["other_id"])))
    assert len(listed) == 3
    app = opened(directory)
    c, _ = login(app, OWNER)
    first = " ".join(c.get("/duplicates").get_data(as_text=True).split())
    assert "Pairs 1-2 of 3 are shown." in first and '<a href="/duplicates?page=2" rel="next">Next 1 pair' in first
    assert 'rel="prev"' not in first
    second = " ".join(c.get("/duplicates?page=2").get_data(as_text=True).split())
    assert "Pair 3 of 3 is shown." in second and '<a href="/duplicates?page=1" rel="prev">&larr; Previous 2 pairs' \
        in second
    assert 'rel="next"' not in second
    shown = [re.findall(r'id="pair-(\d+)-(\d+)"', html) for html in (first, second)]
    assert sorted(shown[0] + shown[1]) == listed
    # a page past the last shows the last; a page that is no number, the first
    assert "Pair 3 of 3 is shown." in " ".join(c.get("/duplicates?page=9").get_data(as_text=True).split())
    assert "Pairs 1-2 of 3 are shown." in " ".join(c.get("/duplicates?page=x").get_data(as_text=True).split())
    x, y = map(int, shown[1][0])
    r = c.post("/duplicates/decide", data={"record_id": x, "other_id": y, "decision": "separate", "page": "2",
                                           "csrf_token": _page_token(c)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/duplicates?page=2")
    left = " ".join(c.get(r.headers["Location"]).get_data(as_text=True).split())
    assert "2 pairs of records may be the same study" in left and "are shown." not in left
    assert 'rel="prev"' not in left and 'rel="next"' not in left



def test_the_top_menu_links_the_page_for_the_owner_only(tmp_path, opened):
    """The page had no link in the top menu (only from the dashboard and Records, while pairs are left). The owner
    has one on every page; a reviewer, whom the page refuses (a blind dual review's included), has none."""
    directory, a, b = with_pair(tmp_path, mode="dual")
    app = opened(directory)
    owner, _ = login(app, OWNER, "owner")
    ben, _ = login(app, BEN)
    for path in ("/screen", "/records", "/dashboard", "/conflicts"):
        assert 'href="/duplicates" id="menu-duplicates"' in owner.get(path).get_data(as_text=True), path
        assert 'href="/duplicates"' not in ben.get(path).get_data(as_text=True), path


def test_a_pairs_reason_is_introduced_as_why_it_is_listed_not_why_it_is_one_study(tmp_path, opened):
    """Each pair's reason (as 'dedup --review' gives it) says what makes the two alike and what kept them apart
    ("same DOI ..., but titles naming other years (2019 and 2020): one DOI on two works?"); the page put it under
    'Why they may be one study:', which a reviewer read as the case for merging."""
    directory, a, b = with_pair(tmp_path)
    c, _ = login(opened(directory), OWNER)
    html = c.get("/duplicates").get_data(as_text=True)
    assert "Why they may be one study" not in html
    assert "Why it is listed: " in html


RETRACTED_NOTE = "Retracted: a copy of this record (record 2) says in its title that the article was retracted."


def _review_with_a_copy_titled_retracted(tmp_path):
    """A study in two copies, PubMed's with the abstract (record 1) and "RETRACTED: <title>" without (record 2), and
    another study (record 3)."""
    doi = "10.1016/j.addbeh.2020.106321"
    title = "Peer-delivered brief intervention on alcohol use among first-year university students"
    rows = [{"title": title, "abstract": "Aims: peers delivered it.", "authors": "Lee, A.", "year": "2020",
             "doi": doi},
            {"title": "RETRACTED: " + title, "abstract": "", "authors": "Lee, A.", "year": "2020", "doi": doi},
            {"title": "Sleep hygiene education in students", "abstract": "A trial.", "authors": "Ng, C.",
             "year": "2019", "doi": ""}]
    directory = tmp_path / "review"
    with Project.init(directory, settings={"embedding_model": "none"}) as p:
        p.import_files([write_csv(rows, tmp_path / "records.csv")])
    return directory


def test_the_screening_page_says_a_copy_of_the_study_is_titled_retracted(tmp_path, opened):
    """The copy titled "RETRACTED: <title>" was screened even with no abstract, while PubMed's copy had one. The
    copy with the abstract is screened now, and the page says that a copy of it is titled as retracted."""
    note = RETRACTED_NOTE
    directory = _review_with_a_copy_titled_retracted(tmp_path)
    c, token = login(opened(directory), OWNER)
    html = page_text(c.get("/screen"))
    first = int(re.search(r'data-record-id="(\d+)"', html).group(1))
    assert first in (1, 3)
    assert (note in html) == (first == 1) and 'id="rec-retracted"' in html
    decide(c, token, first, "exclude")
    rec = c.get("/api/next").get_json()["record"]
    assert rec["record_id"] == 4 - first
    assert rec["retracted"] == ("" if first == 1 else note)
    assert rec["abstract_html"].startswith("Aims") or first == 1


def test_the_record_page_and_the_records_list_say_a_copy_of_the_study_is_titled_retracted(tmp_path, opened):
    """The screening surfaces said that a copy of the study is titled as retracted, but a reviewer looking the record
    up (its page, the records list) read its unmarked title with no word of it. Both say it now, beside the copies
    not titled so."""
    note = RETRACTED_NOTE
    directory = _review_with_a_copy_titled_retracted(tmp_path)
    c, _ = login(opened(directory), OWNER)
    assert [note in page_text(c.get(f"/records/{rid}")) for rid in (1, 2, 3)] == [True, False, False]
    listed = page_text(c.get("/records"))
    assert listed.count(note) == 1, listed
    row = re.search(r'<tr data-record-id="1".*?</tr>', listed, re.S).group(0)
    assert note in row


def test_a_study_its_screener_export_marked_retracted_says_so_on_the_screen_the_record_page_and_the_list(
        tmp_path, opened):
    """A review moved through its export (without the duplicates): the copy titled "RETRACTED: <title>" stayed behind,
    and the new project's screen, record page and list showed the study with no word of the retraction the export's
    'retracted' column gave. They say it now."""
    from screener.project import RETRACTED_IN_EXPORT_NOTE as note

    with Project.open(_review_with_a_copy_titled_retracted(tmp_path)) as p:
        p.export(tmp_path / "review.csv")
    directory = tmp_path / "moved"
    with Project.init(directory, settings={"embedding_model": "none"}) as q:
        q.import_files([tmp_path / "review.csv"])
        studies = q.records_frame()
        marked = int(studies.index[studies["title"].str.startswith("Peer")][0])
        other = int(studies.index[studies["title"].str.startswith("Sleep")][0])
    c, token = login(opened(directory), OWNER)
    assert [note in page_text(c.get(f"/records/{rid}")) for rid in (marked, other)] == [True, False]
    listed = page_text(c.get("/records"))
    assert listed.count(note) == 1 and note in re.search(rf'<tr data-record-id="{marked}".*?</tr>', listed, re.S)[0]
    html = page_text(c.get("/screen"))
    first = int(re.search(r'data-record-id="(\d+)"', html).group(1))
    assert (note in html) == (first == marked)
    decide(c, token, first, "exclude")
    rec = c.get("/api/next").get_json()["record"]
    assert rec["record_id"] == (other if first == marked else marked)
    assert rec["retracted"] == ("" if first == marked else note)


def test_two_studies_of_two_copies_each_are_one_pair_decided_for_all_their_copies(tmp_path, opened):
    """Each record of the pair also came from a second database: the page showed four pairs (each copy with each),
    each to decide. It shows one pair of studies, by their closest copies, saying how many copies each has; the
    dashboard counts one, and one choice decides the two studies, all their copies."""
    directory, _ = build_project(tmp_path / "single", n=16, xss=False)
    with Project.open(directory) as p:
        p.import_files([write_csv(PAIR, tmp_path / "embase.csv")], source_db="Embase")
        p.import_files([write_csv([dict(PAIR[1], source="Medline"), dict(PAIR[0], source="Medline")],
                                  tmp_path / "medline.csv")], source_db="Medline")
        groups = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        a, b = 17, 18
        assert groups[19] == groups[b] and groups[20] == groups[a] and groups[a] != groups[b]
    app = opened(directory)
    c, _ = login(app, OWNER)
    html = " ".join(c.get("/duplicates").get_data(as_text=True).split())
    assert html.count('<article class="conflict pair"') == 1 and f'id="pair-{a}-{b}"' in html
    assert "1 pair of records may be the same study" in html
    assert f"Record {a} is one of 2 copies of its study (records {a}, 20)" in html
    assert f"Record {b} is one of 2 copies of its study (records {b}, 19)" in html
    dash = " ".join(c.get("/dashboard").get_data(as_text=True).split())
    assert "1 pair of records may be duplicates but was kept apart" in dash
    assert _decide(c, _page_token(c), a, b, "separate").status_code == 302
    assert 'id="no-pairs"' in c.get("/duplicates").get_data(as_text=True)
    assert 'id="pairs-to-review"' not in c.get("/dashboard").get_data(as_text=True)
    with Project.open(directory) as p:
        assert p.duplicate_review().empty


def test_a_pair_gone_from_the_list_is_not_said_decided_by_a_word_on_two_copies_of_one_study(tmp_path, opened):
    """Tom had said records b and b + 1 (copies of one study) are one study; the pair shown then left the list without
    a decision (a later de-duplication told the two apart). The page said Tom had decided the pair after it was shown
    ("Tom said records b and b + 1, copies of these studies, are one study"): a word on one study is not one on the
    two. It says the pair is no longer to decide."""
    directory, a, b = with_pair(tmp_path, copy=True)  # b and its copy b + 1 are one study
    with Project.open(directory) as p:
        p.store.append_dedup_decision(b, b + 1, "merge", reviewer="Tom")
    app = opened(directory)
    c, _ = login(app, OWNER)
    token = _page_token(c)
    with Project.open(directory) as p:  # meanwhile de-duplication lists the pair no more
        p.store.replace_duplicate_review(p.store.duplicate_review_frame().iloc[:0])
    r = _decide(c, token, a, b, "separate")
    html = " ".join(r.get_data(as_text=True).split())
    assert r.status_code == 409
    assert f"Records {a} and {b} are no longer a pair to decide" in html, html
    assert "Tom said" not in page_text(html)


def test_a_pair_joined_since_an_earlier_copy_was_put_back_is_said_to_be_lost(tmp_path, opened):
    """The owner screened a record, a backup was made, then she joined a pair on this page; the backup copied over
    the served project file, every page said the copy 'holds every screening decision this server saw, so none is
    lost', and the join was gone without a word. The pages say the decisions made since that copy are not in it."""
    import shutil
    import sqlite3

    directory, a, b = with_pair(tmp_path)
    db = directory / "screener.sqlite"
    app = opened(directory)
    c, token = login(app, OWNER)
    decide(c, token, c.get("/api/next").get_json()["record"]["record_id"], "include")
    src, dst = sqlite3.connect(db), sqlite3.connect(tmp_path / "backup.sqlite")
    src.backup(dst)  # every decision so far, the one in the write-ahead log too
    src.close()
    dst.close()
    assert _decide(c, _page_token(c), a, b, "merge").status_code == 302
    shutil.copyfile(tmp_path / "backup.sqlite", db)  # cp backup.sqlite review/screener.sqlite
    said = " ".join(c.get("/").get_data(as_text=True).split())
    assert "An earlier copy of the review" in said, said
    assert "none is lost" not in said and "the decisions made since that copy are not in it" in said, said
