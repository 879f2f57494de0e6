"""Cohen's kappa and the agreement table, and the highlighting that keeps record text inert."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from screener.web.agreement import CATEGORIES, agreement_table, cohen_kappa, interpret_kappa
from screener.web.highlight import highlight, term_regex
from screener.web.security import host_name, is_loopback, safe_next, same_origin


def test_kappa_matches_textbook_example():
    # 2x2 table: both yes 20, a yes/b no 5, a no/b yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4
    a = ["include"] * 25 + ["exclude"] * 25
    b = ["include"] * 20 + ["exclude"] * 5 + ["include"] * 10 + ["exclude"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_agrees_with_sklearn_on_three_categories():
    a = ["include", "exclude", "maybe", "exclude", "exclude", "include", "maybe", "exclude", "include", "exclude"]
    b = ["include", "exclude", "exclude", "exclude", "maybe", "include", "maybe", "include", "include", "exclude"]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_perfect_and_worse_than_chance():
    a = ["include", "exclude", "exclude", "include"]
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    flipped = ["exclude", "include", "include", "exclude"]
    assert cohen_kappa(a, flipped) == pytest.approx(-1.0)


def test_kappa_undefined_when_everything_is_one_category():
    assert math.isnan(cohen_kappa(["exclude"] * 5, ["exclude"] * 5))
    assert math.isnan(cohen_kappa([], []))
    assert interpret_kappa(float("nan")) == "not defined"


def test_kappa_rejects_unequal_lengths_and_unknown_categories():
    with pytest.raises(ValueError, match="one decision per study"):
        cohen_kappa(["include"], ["include", "exclude"])
    with pytest.raises(ValueError, match="outside the categories"):
        cohen_kappa(["include", "perhaps"], ["include", "exclude"], categories=["include", "exclude"])


def test_interpretation_words():
    assert interpret_kappa(0.1) == "slight"
    assert interpret_kappa(0.5) == "moderate"
    assert interpret_kappa(0.85) == "almost perfect"
    assert interpret_kappa(-0.2) == "poor"


def test_agreement_table_counts_only_studies_both_screened():
    votes = pd.DataFrame([
        (1, "ann", "include"), (1, "bob", "include"),
        (2, "ann", "exclude"), (2, "bob", "include"),
        (3, "ann", "exclude"), (3, "bob", "exclude"),
        (4, "ann", "exclude"),  # only ann: not in the comparison
        (5, "ann", "maybe"), (5, "bob", "exclude"),
    ], columns=["record_id", "reviewer", "decision"])
    t = agreement_table(votes)
    assert len(t) == 1
    row = t.iloc[0]
    assert (row.reviewer_a, row.reviewer_b) == ("ann", "bob")
    assert row.both_screened == 4 and row.agree == 2 and row.disagree == 2
    assert row.percent_agreement == 50.0
    assert row.a_exclude_b_include == 1 and row.a_maybe_b_exclude == 1 and row.a_include_b_include == 1
    a = ["include", "exclude", "exclude", "maybe"]
    b = ["include", "include", "exclude", "exclude"]
    assert row.kappa == pytest.approx(cohen_kappa(a, b, ["include", "exclude", "maybe"]))


def test_agreement_table_empty():
    t = agreement_table(pd.DataFrame(columns=["record_id", "reviewer", "decision"]))
    assert t.empty and "kappa" in t.columns


def test_highlight_escapes_text_and_marks_terms():
    html = str(highlight('Peer support <script>alert("x")</script> & harm-reduction for peers',
                         ["peer support", "harm reduction", "peer"]))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>Peer support</mark>" in html
    assert "<mark>harm-reduction</mark>" in html
    assert "<mark>peers</mark>" in html  # plural-tolerant


def test_highlight_does_not_match_inside_words_or_entities():
    html = str(highlight("Peerless & ampersand", ["peer", "amp"]))
    assert "<mark>" not in html
    assert html == "Peerless &amp; ampersand"


def test_highlight_terms_with_markup_are_escaped_too():
    html = str(highlight("a <b> tag", ["<b>"]))
    assert "<mark>&lt;b&gt;</mark>" in html


def test_highlight_without_terms_and_none():
    assert str(highlight("x < y", [])) == "x &lt; y"
    assert str(highlight(None, ["x"])) == ""
    assert term_regex(["", "a"]) is None  # one-letter terms would mark everything


def test_wildcard_terms():
    assert "<mark>qualitatively</mark>" in str(highlight("qualitatively", ["qualitativ*"]))


def test_security_helpers():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    assert host_name("[::1]:5000") == "::1" and host_name("localhost:8000") == "localhost"
    assert safe_next("/records?q=x") == "/records?q=x"
    for bad in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example"):
        assert safe_next(bad) == "/"
    assert same_origin("http://localhost:8000", None, "localhost:8000")
    assert not same_origin("http://localhost:8001", None, "localhost:8000")
    assert not same_origin("null", "http://localhost:8000/screen", "localhost:8000")
    assert same_origin(None, "http://localhost:8000/screen", "localhost:8000")
    assert not same_origin(None, "https://evil.example/", "localhost:8000")


def test_kappa_interval_matches_the_spread_of_kappa_over_resampled_studies():
    """The interval's width is the large-sample one; checked against a bootstrap of the same
    studies (a wrong variance formula would be far off)."""
    from screener.web.agreement import kappa_interval

    rng = np.random.default_rng(0)
    cats = ["include", "exclude", "maybe"]
    a = rng.choice(cats, size=400, p=[0.2, 0.7, 0.1])
    b = np.where(rng.random(400) < 0.75, a, rng.choice(cats, size=400, p=[0.3, 0.6, 0.1]))
    low, high = kappa_interval(a, b, cats)
    k = cohen_kappa(a, b, cats)
    assert low < k < high and high - low == pytest.approx(2 * (k - low))
    boot = [cohen_kappa(a[i], b[i], cats) for i in (rng.integers(0, 400, 400) for _ in range(1000))]
    assert (high - low) / (2 * 1.96) == pytest.approx(np.std(boot), rel=0.1)


def test_kappa_gets_no_interval_where_the_large_sample_variance_is_zero():
    """Two reviewers agreeing on all 3 studies had kappa 1.00 with the interval 1.00 to 1.00 in the agreement
    CSV, and one reviewer including all 4 (kappa 0 whatever the other does) 0.00 to 0.00: read as certainty
    from a handful of studies. The large-sample variance is 0 there, so the method gives no interval."""
    from screener.web.agreement import kappa_interval

    inc, exc = "include", "exclude"
    assert all(math.isnan(x) for x in kappa_interval([inc, exc, exc], [inc, exc, exc], CATEGORIES))
    assert all(math.isnan(x) for x in kappa_interval([inc] * 4, [inc, inc, exc, exc], CATEGORIES))
    low, high = kappa_interval([inc, inc, exc, exc], [inc, exc, exc, exc], CATEGORIES)
    assert low < 0.5 < high  # kappa 0.5: a real interval
    votes = pd.DataFrame([(i, r, d) for i, d in enumerate([inc, exc, exc]) for r in ("ann", "bob")],
                         columns=["record_id", "reviewer", "decision"])
    row = agreement_table(votes).iloc[0]
    assert row.kappa == pytest.approx(1.0) and math.isnan(row.kappa_low) and math.isnan(row.kappa_high)


def test_kappa_on_a_few_studies_gets_no_verdict():
    """A kappa of 1.00 on three studies was called 'almost perfect'."""
    assert interpret_kappa(1.0, 3).startswith("too few studies screened by both")
    assert interpret_kappa(0.85, 40) == "almost perfect"
    votes = pd.DataFrame([(i, r, d) for i, d in enumerate(["include", "exclude", "exclude"]) for r in ("ann", "bob")],
                         columns=["record_id", "reviewer", "decision"])
    row = agreement_table(votes).iloc[0]
    assert row.kappa == pytest.approx(1.0) and row.both_screened == 3


def _agreement_csv(client):
    import io

    return pd.read_csv(io.BytesIO(client.get("/export/agreement.csv").data), encoding="utf-8-sig").iloc[0]


def test_kappa_counts_the_decisions_made_blind_not_those_changed_after(tmp_path, opened):
    """Once both had screened every record, Ben saw Anabel's decisions and changed the four on which
    they disagreed to hers: the table then said 16 of 16 agreed, kappa 1.00. Agreement is on the
    decisions each made blind: 12 of 16."""
    from webtestdata import build_project, decide, login

    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    (ana, ta), (ben, tb) = login(app, "Anabel"), login(app, "Ben")
    differ = list(truth)[:4]
    for rid, t in truth.items():
        decide(ana, ta, rid, "include" if t else "exclude")
        decide(ben, tb, rid, ("exclude" if t else "include") if rid in differ else ("include" if t else "exclude"))
    before = _agreement_csv(ben)
    assert (before.both_screened, before.agree, before.disagree) == (16, 12, 4)
    for rid in differ:  # Ben, seeing the conflicts, takes Anabel's decision
        r = ben.post(f"/records/{rid}/decision", data={"decision": "include" if truth[rid] else "exclude",
                                                       "shown": "exclude" if truth[rid] else "include",
                                                       "csrf_token": tb})
        assert r.status_code == 302
    after = _agreement_csv(ben)
    assert (after.both_screened, after.agree, after.disagree) == (16, 12, 4)
    assert after.kappa == pytest.approx(before.kappa)
    html = ben.get("/dashboard").get_data(as_text=True)
    assert f"{before.kappa:.2f}" in html


def test_kappa_leaves_out_changes_made_after_the_owner_ended_the_blinding(tmp_path, opened):
    from webtestdata import build_project, decide, login

    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    (owner, to), (ana, ta), (ben, tb) = login(app, "Olga", "owner"), login(app, "Anabel"), login(app, "Ben")
    ids = list(truth)
    for rid in ids[:3]:
        decide(ana, ta, rid, "include")
    decide(ben, tb, ids[0], "include")
    decide(ben, tb, ids[1], "exclude")  # a conflict
    decide(ben, tb, ids[2], "exclude")  # Ben corrects himself while blind: this one counts
    decide(ben, tb, ids[2], "include")
    assert owner.post("/blinding/end", data={"csrf_token": to}).status_code == 302
    decide(ben, tb, ids[1], "include")  # seeing Anabel's include
    decide(ana, ta, ids[3], "exclude")
    decide(ben, tb, ids[3], "exclude")  # both decided after the end: not blind, left out
    row = _agreement_csv(owner)
    assert (row.both_screened, row.agree, row.disagree) == (3, 2, 1)
    assert row.a_include_b_exclude == 1


def test_blind_votes_follow_each_lifting_of_the_blinding():
    """Studies 1 and 2 from the first search; both reviewers screen them (the blinding lifts), then
    Ben changes study 1 to Anabel's decision: not counted. Studies 3 and 4 come with a search
    update, blind again: Ben corrects himself on 3 while still blind (counted). The owner ends the
    blinding; Ben's first decision on 4 and his change on 3 after it are not counted."""
    from screener.web.agreement import blind_agreement_table, blind_votes

    t = lambda m: f"2026-01-01T10:{m:02d}:00.000+00:00"  # noqa: E731
    entries = [(1, "ana", "include", 1), (1, "ben", "exclude", 2), (2, "ana", "exclude", 3), (2, "ben", "exclude", 4),
               (1, "ben", "include", 5),  # both had screened everything: he saw hers
               (3, "ana", "include", 11), (3, "ben", "exclude", 12), (3, "ben", "include", 13),  # blind again
               (4, "ana", "exclude", 14),
               (4, "ben", "exclude", 21), (3, "ben", "exclude", 22)]  # after the owner's end at :20
    log = pd.DataFrame([{"group_record_id": s, "reviewer": r, "decision": d, "decision_id": i + 1,
                         "created_at": t(m), "role": "reviewer"} for i, (s, r, d, m) in enumerate(entries)])
    study_time = pd.to_datetime(pd.Series({1: t(0), 2: t(0), 3: t(10), 4: t(10)}), utc=True)
    ends = [{"by": "Olga", "at": t(20)}]
    votes = blind_votes(log, study_time, ends)[("ana", "ben")]
    got = {(s, r): d for s, r, d in votes.itertuples(index=False)}
    assert got == {(1, "ana"): "include", (1, "ben"): "exclude", (2, "ana"): "exclude", (2, "ben"): "exclude",
                   (3, "ana"): "include", (3, "ben"): "include", (4, "ana"): "exclude"}
    row = blind_agreement_table(log, study_time, ends).iloc[0]
    assert (row.both_screened, row.agree, row.disagree) == (3, 2, 1)


def test_a_third_reviewers_decisions_are_seen_once_two_others_have_finished():
    """Anabel and Ben screened both studies; Cy, a third reviewer, had screened study 1 only. Anabel, having
    finished with Ben, saw Cy's exclude on study 1 (the server shows the team to a reviewer who has finished
    once another has) and changed her include to it: the Anabel & Cy row counted that as an agreement made
    blind, as if the blinding lifted for the two of them only when both had finished."""
    from screener.web.agreement import blind_agreement_table, blind_votes

    t = lambda m: f"2026-01-01T10:{m:02d}:00.000+00:00"  # noqa: E731
    entries = [(1, "ana", "include", 1), (1, "cy", "exclude", 2), (1, "ben", "include", 3),
               (2, "ana", "exclude", 4), (2, "ben", "exclude", 5),  # Anabel and Ben have finished: she sees Cy's
               (1, "ana", "exclude", 6),  # Anabel takes Cy's decision
               (2, "cy", "exclude", 7)]  # Cy, still blind, screens the last study
    log = pd.DataFrame([{"group_record_id": s, "reviewer": r, "decision": d, "decision_id": i + 1,
                         "created_at": t(m), "role": "reviewer"} for i, (s, r, d, m) in enumerate(entries)])
    study_time = pd.to_datetime(pd.Series({1: t(0), 2: t(0)}), utc=True)
    votes = blind_votes(log, study_time, [])
    got = {(s, r): d for s, r, d in votes[("ana", "cy")].itertuples(index=False)}
    assert got == {(1, "ana"): "include", (1, "cy"): "exclude", (2, "ana"): "exclude", (2, "cy"): "exclude"}
    table = blind_agreement_table(log, study_time, []).set_index(["reviewer_a", "reviewer_b"])
    assert (table.loc[("ana", "cy"), "agree"], table.loc[("ana", "cy"), "disagree"]) == (1, 1)
    assert (table.loc[("ana", "ben"), "agree"], table.loc[("ana", "ben"), "disagree"]) == (2, 0)


def test_kappa_counts_records_screened_blind_again_after_a_search_update():
    """The owner ended the blinding after a few records, then a search update made screening blind
    again (every page hid the other's decisions) and both reviewers screened the rest of the first
    search blind: the agreement table counted 2 of the 5 studies both screened ("records first
    screened after that are left out"), though only study 4 was decided by one while the other's
    decision on it was shown."""
    from screener.web.agreement import blind_agreement_table, blind_votes

    t = lambda m: f"2026-01-01T10:{m:02d}:00.000+00:00"  # noqa: E731
    entries = [(1, "ana", "include", 1), (1, "ben", "exclude", 2),  # blind
               (4, "ana", "include", 12),  # after the owner's end at :10: Ben has not decided 4, nothing to see
               # the update at :15 makes screening blind again
               (2, "ana", "exclude", 16), (2, "ben", "exclude", 17), (3, "ana", "include", 18),
               (3, "ben", "include", 19), (5, "ana", "exclude", 20), (5, "ben", "include", 21),
               (4, "ben", "include", 22)]  # Ben could see Anabel's include on 4 between :12 and :15
    log = pd.DataFrame([{"group_record_id": s, "reviewer": r, "decision": d, "decision_id": i + 1,
                         "created_at": t(m), "role": "reviewer"} for i, (s, r, d, m) in enumerate(entries)])
    study_time = pd.to_datetime(pd.Series({1: t(0), 2: t(0), 3: t(0), 4: t(0), 5: t(15)}), utc=True)
    votes = blind_votes(log, study_time, [{"by": "olga", "at": t(10)}])[("ana", "ben")]
    got = {(s, r): d for s, r, d in votes.itertuples(index=False)}
    assert got == {(1, "ana"): "include", (1, "ben"): "exclude", (2, "ana"): "exclude", (2, "ben"): "exclude",
                   (3, "ana"): "include", (3, "ben"): "include", (4, "ana"): "include",
                   (5, "ana"): "exclude", (5, "ben"): "include"}
    row = blind_agreement_table(log, study_time, [{"by": "olga", "at": t(10)}]).iloc[0]
    assert (row.both_screened, row.agree, row.disagree) == (4, 2, 2)


def test_an_exclude_on_the_records_left_unread_is_no_agreement(tmp_path, toy_review):
    """Two reviewers screened the same 20 of 60 records (13 agreements, 7 differences), then each excluded
    their 40 left unread at the stop ('label rest.csv --reviewer NAME --decision exclude'). The 40 read as
    agreements: the dashboard and the report's methods text gave 53 of the 60 records both screened (88.3%),
    for 65% on the 20 both read. The agreement is on the records both screened, the rest left out."""
    from screener.agreement import agreement_frame
    from screener.labels import import_labels
    from screener.project import Project
    from screener.report import _dual_words

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv])
        for rid in range(1, 21):
            p.decide(rid, "include" if rid % 4 == 0 else "exclude", reviewer="ann")
            p.decide(rid, "include" if rid % 5 == 0 else "exclude", reviewer="bob")
        rest = tmp_path / "rest.csv"
        rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in range(21, 61)))
        for who in ("ann", "bob"):
            assert import_labels(p, rest, reviewer=who, decision="exclude").rest_excluded == 40
        row = agreement_frame(p).iloc[0]
        assert (row["both_screened"], row["agree"], row["disagree"], row["percent_agreement"]) == (20, 13, 7, 65.0)
        words = " ".join(_dual_words(p).split())
        assert "13 of the 20 records both screened" in words
        assert "differed on 7 of the 20 records both screened" in words


def test_a_record_one_reviewer_read_and_the_other_excluded_unread_is_no_agreement_in_the_methods_text(
        tmp_path, toy_review):
    """Ann read all 60 records; Bob read the first 20 (the same decisions as Ann's on them) and excluded his 40
    left unread at his stop. Ann included record 25, which Bob excluded unread: a conflict, counted and open. The
    methods text read 'differed on 1 of the 60 records both screened', the 39 records Ann read and excluded and
    Bob never read counted as screened by both and agreed on; the agreement table gave 20. A record only one
    reviewer read is no agreement: the records both screened are the 20 both read; the conflict is said apart."""
    from screener.agreement import agreement_frame, dual_screening
    from screener.labels import import_labels
    from screener.project import Project
    from screener.report import _dual_words

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv])
        for rid in range(1, 61):
            p.decide(rid, "include" if rid in (1, 25) else "exclude", reviewer="ann")
        for rid in range(1, 21):
            p.decide(rid, "include" if rid == 1 else "exclude", reviewer="bob")
        rest = tmp_path / "rest.csv"
        rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in range(21, 61)))
        assert import_labels(p, rest, reviewer="bob", decision="exclude").rest_excluded == 40
        assert p.conflicts()["record_id"].tolist() == [25, 25]
        d = dual_screening(p)
        assert (d.both, d.differ, d.open, d.unread) == (20, 1, 1, 1)
        assert agreement_frame(p).iloc[0]["both_screened"] == 20
        words = " ".join(_dual_words(p).split())
        # not among the records both screened: the agreement table's 20 are those both read
        assert ("differed on 1 record one reviewer read and another excluded unread at their stop: it is not settled "
                "yet") in words, words


def test_agreement_short_of_all_never_reads_100_percent():
    """Two reviewers who disagreed on 1 of 2,000 records read "100.0%" agreement (rounded to a tenth), beside a
    disagreement to settle; below all it reads 99.9% now."""
    votes = pd.DataFrame([(i, r, "exclude" if i or r == "ann" else "include") for i in range(2000)
                          for r in ("ann", "bob")], columns=["record_id", "reviewer", "decision"])
    row = agreement_table(votes).iloc[0]
    assert row.disagree == 1 and row.percent_agreement == 99.9
    same = votes.assign(decision="exclude")
    assert agreement_table(same).iloc[0].percent_agreement == 100.0


def test_a_pair_of_reviewers_with_no_record_in_common_reads_no_agreement_not_nan(tmp_path, opened):
    """A team of three where Anabel and Cy screened different records: their row of the agreement table
    read 'nan%' on the Conflicts page and the dashboard, as did the one row of two reviewers who screened
    different records."""
    from webtestdata import build_project, decide, login, page_text

    directory, truth = build_project(tmp_path / "small", mode="dual", n=16, xss=False)
    app = opened(directory)
    owner, _ = login(app, "Olga", "owner")
    (ana, ta), (ben, tb), (cy, tc) = login(app, "Anabel"), login(app, "Ben"), login(app, "Cy")
    ids = list(truth)
    for rid in ids[:4]:
        decide(ana, ta, rid, "include")
        decide(ben, tb, rid, "include")
    for rid in ids[4:8]:
        decide(cy, tc, rid, "exclude")
    for path in ("/conflicts", "/dashboard"):
        text = page_text(owner.get(path))
        assert "nan%" not in text, path
        row = re.search(r"Anabel & Cy</td>(.*?)</tr>", text, re.S).group(1)
        assert "no record screened by both" in row, path
        assert "100.0%" in text, path  # Anabel and Ben, who share four records, keep their figures

    directory, truth = build_project(tmp_path / "apart", mode="dual", n=16, xss=False)
    app = opened(directory)
    owner, _ = login(app, "Olga", "owner")
    (ana, ta), (ben, tb) = login(app, "Anabel"), login(app, "Ben")
    ids = list(truth)
    for rid in ids[:4]:
        decide(ana, ta, rid, "include")
    for rid in ids[4:8]:
        decide(ben, tb, rid, "exclude")
    for path in ("/conflicts", "/dashboard"):
        text = page_text(owner.get(path))
        assert "nan%" not in text, path
        row = re.search(r"Anabel & Ben</td>(.*?)</tr>", text, re.S).group(1)
        assert "no record screened by both" in row, path
