"""One count of screened, included, maybe and left, printed alike by every front end (issue 12,
item 7), and one random-sample size in the advice and in QBCB's note."""

import contextlib
import json
import re

import numpy as np
import pandas as pd
import pytest
from cli_steps import exclude_the_rest_unread, first_20_file, first_20_read
from typer.testing import CliRunner

from screener.cli import app
from screener.project import Project
from screener.store import Decision
from screener.status import (Counts, DualProgress, count_decisions, dual_progress, next_step, recall_status,
                             screening_counts)

runner = CliRunner()

#: The toy review's question: with it the first batch is a ranking by likelihood (the protocol's),
#: not the random order a review without one starts in, whose decisions are no ranking's evidence
TOY_PROTOCOL = 'title = "Peer workers with lived experience in harm reduction services"\n'


def _ranked_from_the_start(path, **init):
    """A new project whose queue is a ranking from its first batch (a protocol to rank by); ``init``: Project.init's
    other arguments (settings)."""
    protocol = path.parent / f"{path.name}-protocol.toml"
    protocol.write_text(TOY_PROTOCOL, encoding="utf-8")
    return Project.init(path, protocol=protocol, **init)


def _truth(csv) -> dict:
    """Whether each record of a labelled toy review is an include, by its record id."""
    df = pd.read_csv(csv)
    return dict(zip(df["record_id"], df["label_included"]))


def _six_batches_each(p, truth: dict) -> None:
    """Ana and Ben each screen six batches of 10 in turn; Ben excludes the includes whose id is 1 more than a
    multiple of 3 (the conflicts)."""
    from screener.screening import ScreeningSession

    for _ in range(6):
        for who in ("ana", "ben"):
            for rid in ScreeningSession(p, embedding_model="none", reviewer=who).next_batch(
                    10, explain=False)["record_id"]:
                rid = int(rid)
                missed = who == "ben" and truth[rid] and rid % 3 == 1
                p.decide(rid, "exclude" if missed or not truth[rid] else "include", reviewer=who)


def _ana_excluded_her_rest_unread(tmp_path, toy_review, **settings):
    """A dual project of 20 records, opened: both reviewers read the first 4 and agree, ana read 2 more, then excluded
    the 14 she left unread at her stop ('label rest.csv --decision exclude'); ben has not reached them."""
    from screener.labels import import_labels

    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=2)
    p = Project.init(tmp_path / "dual", settings={"mode": "dual", **settings})
    p.import_files([csv], column_map={"label": None})
    ids = [int(i) for i in p.records_frame().index]
    for rid in ids[:4]:
        for who in ("ana", "ben"):
            p.decide(rid, "exclude", reviewer=who)
    for rid in ids[4:6]:
        p.decide(rid, "exclude", reviewer="ana")
    rest = tmp_path / "rest.csv"
    rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in ids[6:]), encoding="utf-8")
    assert import_labels(p, rest, reviewer="ana", decision="exclude").rest_excluded == 14
    return p


def _both_screened_the_first_20(p, csv, decision=lambda rid: "include" if rid % 4 == 0 else "exclude"):
    """``csv`` imported into the dual project ``p`` (its labels left out) and its records 1 to 20 screened by ann and
    bob alike (``decision``: every 4th an include): the team in step."""
    p.import_files([csv], column_map={"label": None})
    for who in ("ann", "bob"):
        for rid in range(1, 21):
            p.decide(rid, decision(rid), reviewer=who)


def _pages(p, truth):
    """``batch(who, n)``: the ids of the next ``n`` records ``who`` is shown; ``decide(who, ids)``: ``who`` decides
    them as the labels say."""
    from screener.screening import ScreeningSession

    def batch(who, n):
        return [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer=who).next_batch(
            n, explain=False)["record_id"]]

    def decide(who, ids):
        for rid in ids:
            p.decide(rid, "include" if truth[rid] else "exclude", reviewer=who)

    return batch, decide


def test_count_decisions():
    c = count_decisions(pd.Series(["include", "maybe", "exclude", "exclude", "include"]), 12)
    assert (c.records, c.screened, c.included, c.maybe, c.excluded, c.left, c.found) == (12, 5, 2, 1, 2, 7, 3)
    assert c.describe() == "5 of 12 records screened (2 includes, 1 maybe, 2 excludes), 7 left"
    assert count_decisions({}, 3).describe() == "0 of 3 records screened (0 includes, 0 maybe, 0 excludes), 3 left"


@pytest.fixture
def decided(tmp_path, toy_review):
    """A toy review with duplicates, includes, maybes and excludes, some decided on a duplicate copy."""
    csv = toy_review(tmp_path / "toy.csv")
    df = pd.read_csv(csv).drop(columns=["label_included"])
    df.to_csv(csv, index=False)
    copy = tmp_path / "copy.csv"
    df.head(5).assign(abstract=df.head(5)["abstract"] + " ").to_csv(copy, index=False)  # the same 5 studies again
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(csv), str(copy)])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        recs = p.records_frame(primary_only=False)
        dupes = recs[~recs["is_primary"]]
        assert len(dupes) >= 3  # the copies were grouped with their studies
        primary = p.records_frame().index
        for rid in primary[5:9]:
            p.decide(int(rid), "include")
        for rid in primary[9:11]:
            p.decide(int(rid), "maybe")
        for rid in primary[11:16]:
            p.decide(int(rid), "exclude")
        p.decide(int(dupes.index[0]), "include")  # a decision on a copy is its study's decision
    batch = tmp_path / "batch.csv"
    pd.DataFrame({"record_id": [int(primary[20]), int(primary[21])], "decision": ["maybe", "exclude"]}).to_csv(
        batch, index=False)
    return d, batch


def test_every_front_end_prints_the_same_counts(decided):
    d, batch = decided
    r = runner.invoke(app, ["label", str(d), str(batch)])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        counts = screening_counts(p)
        st = recall_status(p)
    assert (counts.included, counts.maybe, counts.excluded) == (5, 3, 6)
    assert st["counts"] == counts
    assert st["includes_found"] == counts.found and st["n_screened"] == counts.screened
    line = counts.describe()
    assert line in " ".join(r.output.split())  # label
    out = runner.invoke(app, ["status", str(d)])
    assert out.exit_code == 0 and line in " ".join(out.output.split())  # status
    js = runner.invoke(app, ["status", str(d), "--json"])
    import json

    assert json.loads(js.output)["counts"] == counts.as_dict()

    # the terminal screen: one key (quit) shows the position line and the summary
    from screener.screening import ScreeningSession
    from screener.tui import run_screen
    from rich.console import Console

    with Project.open(d) as p:
        session = ScreeningSession(p, embedding_model="none")
        console = Console(record=True, width=300)
        summary = run_screen(session, console=console, read_key=lambda: "q")
        shown = " ".join(console.export_text().split())
    assert line in shown
    assert (summary["screened"], summary["includes"], summary["maybe"]) == (
        counts.screened, counts.included, counts.maybe)

    # the web page
    from screener.web.app import create_app

    with Project.open(d) as p:
        web = create_app(p)
        eng = web.extensions["screener"]
        try:
            assert eng.wait_ready(120), eng.error
            c = eng.counts("reviewer")
        finally:
            eng.stop()
    assert (c["screened"], c["included"], c["maybe"], c["excluded"], c["total"], c["left"]) == (
        counts.screened, counts.included, counts.maybe, counts.excluded, counts.records, counts.left)


def test_advice_sample_size_is_qbcbs(decided):
    d, _ = decided
    with Project.open(d) as p:
        st = recall_status(p, target_recall=0.8)
    qb = st["estimates"]["qbcb"]
    adv = st["advice"]
    assert adv.sample_records == qb.sample_needs
    said = {int(n) for n in re.findall(r"random sample of about (\d+)", adv.message + " " + qb.note)}
    assert said <= {qb.sample_needs}


def _said(output: str) -> str:
    return " ".join(output.split())  # the console wraps long lines


def test_status_names_the_methods_as_the_readme_and_report_do(decided):
    """The table read 'score_sample (recommended)', 'qbcb', 'knee': code names, where the README,
    the report and 'screener evaluate' say model-based, hypergeometric test, QBCB (which the table says
    reads a random sample: the acronym alone does not)."""
    d, _ = decided
    r = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    methods = [line.split("│")[1].strip() for line in r.output.splitlines() if line.startswith("│")]
    assert methods == ["model-based (recommended)", "hypergeometric test", "QBCB (random sample)", "knee method",
                       "consecutive excludes (baseline only)"]


def test_status_of_a_project_without_records_gives_no_stopping_verdict(tmp_path):
    d = tmp_path / "empty"
    with Project.init(d) as p:
        st = recall_status(p)
    assert st["estimates"] == {} and not st["advice"].stop
    r = runner.invoke(app, ["status", str(d)])
    assert r.exit_code == 0, r.output
    out = _said(r.output)
    assert f"This project has no records yet: import your search results with 'screener import {d}" in out
    assert "Says stop" not in out and "yes" not in out.split() and "nothing is left" not in out
    r = runner.invoke(app, ["status", str(d), "--json"])
    js = json.loads(r.output)
    assert js["stop"] is False and js["estimators"] == {} and "no records to screen yet" in js["advice"]


def test_status_with_records_but_no_decisions_says_keep_screening(tmp_path, toy_review):
    d = tmp_path / "review"
    with Project.init(d) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
        st = recall_status(p)
    assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
    out = _said(runner.invoke(app, ["status", str(d)]).output)
    assert "0 of 12 records screened" in out and "No includes found yet" in out
    assert "│ yes" not in out and "can stop" not in out
    # "screen a random sample to check" gave no way to: the terminal gives the command (the web its own words)
    assert "screen a random sample to check" in st["advice"].message and "screener next" not in st["advice"].message
    assert f"'screener next {d} --sample 5' draws 5 records of each batch at random" in out, out


def test_next_step_after_decisions():
    assert next_step(count_decisions(["include"], 3), "rev") == "Next batch: screener next rev -o next.csv"
    done = next_step(count_decisions(["include", "exclude", "exclude"], 3), "rev")
    assert done == "Every record has been screened: see 'screener status rev' and 'screener report rev'."
    assert "no records yet" in next_step(count_decisions([], 0), "rev")


def test_dual_status_shows_conflicts_and_one_reviewer_records(tmp_path, toy_review):
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)], column_map={"label": None})
        ids = [int(i) for i in p.records_frame().index]
        for rid in ids[:5]:  # opposite decisions on the same five records
            p.decide(rid, "include", reviewer="ana")
            p.decide(rid, "exclude", reviewer="ben")
        p.decide(ids[5], "exclude", reviewer="ana")  # only one of the two
        p.decide(ids[6], "exclude", reviewer="ana")
        p.decide(ids[6], "exclude", reviewer="ben")  # agreed: counts as screened
        p.decide(ids[0], "include", reviewer="owner", role="resolver")  # one conflict settled
        assert dual_progress(p) == DualProgress(conflicts=4, one_reviewer=1)
        assert screening_counts(p).screened == 2
    r = runner.invoke(app, ["status", "--team", str(d)])
    assert r.exit_code == 0, r.output
    out = _said(r.output)
    assert "2 of 20 records screened" in out
    assert ("5 records wait for the reviewers to agree, of them 4 conflicts (the reviewers' decisions differ) and 1 "
            "screened by only one of the two reviewers so far") in out, out
    assert f"Settle the 4 conflicts on the Conflicts page of 'screener serve {d}'" in out
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    assert js["dual"] == {"conflicts": 4, "one_reviewer": 1}
    with Project.init(tmp_path / "single") as p:
        assert dual_progress(p) is None


@contextlib.contextmanager
def _four_conflicts_and_one_only_ana_screened(d, tmp_path, toy_review):
    """A dual review of 20 records, open: 4 conflicts (Ana includes, Ben excludes), a record only Ana has screened
    (still to screen by Ben), 2 excludes both agree on."""
    with Project.init(d, settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)], column_map={"label": None})
        ids = [int(i) for i in p.records_frame().index]
        for rid in ids[:4]:
            p.decide(rid, "include", reviewer="ana")
            p.decide(rid, "exclude", reviewer="ben")
        p.decide(ids[4], "exclude", reviewer="ana")  # only one of the two: still to screen by the other
        for rid in ids[5:7]:
            p.decide(rid, "exclude", reviewer="ana")
            p.decide(rid, "exclude", reviewer="ben")
        yield p


def test_json_left_is_the_records_to_screen_and_the_conflicts_are_counted_apart(tmp_path, toy_review):
    """'status --json' gave "remaining": 14 beside "counts": {"left": 18}, the 4 records in conflict counted among
    the records left, while the printed status said "14 left to screen and 4 conflicts waiting to be settled".
    Now "left" is the records still to screen everywhere, "in_conflict" the conflicts; the dashboard says alike."""
    from screener.web.dashboard import stopping_summary

    d = tmp_path / "dual"
    with _four_conflicts_and_one_only_ana_screened(d, tmp_path, toy_review) as p:
        web = stopping_summary(p)["counts"]
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "2 of 20 records screened" in out and ("13 left to screen, 1 screened by only one of the two reviewers so "
                                                  "far and 4 conflicts waiting to be settled") in out, out
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    assert (js["remaining"], js["counts"]["left"], js["counts"]["in_conflict"]) == (14, 14, 4)
    assert (web["left"], web["in_conflict"]) == (14, 4)
    assert js["counts"]["screened"] + js["counts"]["left"] + js["counts"]["in_conflict"] == js["counts"]["records"]


def test_status_team_gives_the_dashboards_records_not_screened_and_awaiting_agreement(tmp_path, toy_review):
    """Dual screening, 4 conflicts and a record only Ana has screened: 'status --team' said '14 left to screen and 4
    conflicts waiting to be settled' where the dashboard and the report's PRISMA box said 'Not screened yet 13' and
    'Screened, awaiting the reviewers' agreement 5'. Now it names the record screened by one reviewer apart: 13, 1
    and 4. Ana's own status, while blind, says nothing of Ben's decisions."""
    d = tmp_path / "dual"
    with _four_conflicts_and_one_only_ana_screened(d, tmp_path, toy_review) as p:
        prisma = p.prisma_counts()
    assert (prisma["not_screened"], prisma["awaiting_agreement"]) == (13, 5), prisma
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert ("2 of 20 records screened (0 includes, 0 maybe, 2 excludes), 13 left to screen, 1 screened by only one of "
            "the two reviewers so far and 4 conflicts waiting to be settled;") in out, out
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    c = js["counts"]
    assert (c["left"], c["screened_by_one"], c["in_conflict"]) == (14, 1, 4), c  # "left" keeps its meaning
    # Ana's own status: her counts only, as before (nothing of which of hers Ben screened or decided otherwise)
    own = _said(runner.invoke(app, ["status", str(d), "--reviewer", "ana"]).output)
    assert own.startswith("ana: 7 of 20 records screened (4 includes, 0 maybe, 3 excludes), 13 left. Screening is "
                          "blind") and "one of the two" not in own, own
    assert "screened_by_one" not in json.loads(
        runner.invoke(app, ["status", str(d), "--reviewer", "ana", "--json"]).output)["counts"]


def test_status_json_gives_the_records_to_screen_apart_from_those_one_reviewer_screened(tmp_path, toy_review):
    """'status --team' said '13 left to screen, 1 screened by only one of the two reviewers so far', and with every
    record screened by Ana 'none left to screen' beside the 2 Ben had not screened; --json had only "remaining" (14,
    and 2), the records one reviewer screened counted with those to screen. "remaining" keeps its meaning (as
    "counts"' "left": screened + left + in_conflict add up to the records); "to_screen" and "screened_by_one" now
    give the two as the words do."""
    d = tmp_path / "dual"
    with _four_conflicts_and_one_only_ana_screened(d, tmp_path, toy_review):
        pass
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    assert (js["remaining"], js["to_screen"], js["screened_by_one"]) == (14, 13, 1), js
    assert (js["counts"]["left"], js["counts"]["to_screen"], js["counts"]["screened_by_one"]) == (14, 13, 1), js
    d2 = tmp_path / "dual2"
    with Project.init(d2, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy2.csv", n=20, n_include=2)], column_map={"label": None})
        ids = [int(i) for i in p.records_frame().index]
        for k, rid in enumerate(ids):
            p.decide(rid, "include" if k == 0 else "exclude", reviewer="ana")
            if k < 18:
                p.decide(rid, "exclude", reviewer="ben")  # the first a conflict; the last 2 Ana's alone
    out = _said(runner.invoke(app, ["status", "--team", str(d2)]).output)
    assert "2 screened by only one of the two reviewers so far" in out and "left to screen" not in out, out
    js = json.loads(runner.invoke(app, ["status", "--team", str(d2), "--json"]).output)
    assert (js["remaining"], js["to_screen"], js["screened_by_one"], js["dual"]["conflicts"]) == (2, 0, 2, 1), js
    d3 = tmp_path / "single"
    with Project.init(d3, settings={"embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy3.csv", n=20, n_include=2)], column_map={"label": None})
        for rid in [int(i) for i in p.records_frame().index][:5]:
            p.decide(rid, "exclude")
    js = json.loads(runner.invoke(app, ["status", str(d3), "--json"]).output)
    assert (js["remaining"], js["to_screen"], js["screened_by_one"]) == (15, 15, 0), js
    assert "to_screen" not in js["counts"], js["counts"]


def test_the_records_waiting_for_agreement_are_counted_as_the_prisma_box_counts_them(tmp_path, toy_review):
    """4 conflicts and a record only Ana has screened: the PRISMA box (dashboard and report) said 'Screened,
    awaiting the reviewers' agreement 5', while 'status --team', the dashboard's progress and the advice beside it
    said '4 records wait for the reviewers to agree (conflicts ...); 1 was screened by only one ...': the same words
    for 4 and 5. Now '5 records wait for the reviewers to agree', of them the 4 conflicts and the 1."""
    from html import unescape

    from screener.report import build_report
    from screener.web.dashboard import stopping_summary

    d = tmp_path / "dual"
    with _four_conflicts_and_one_only_ana_screened(d, tmp_path, toy_review) as p:
        assert p.prisma_counts()["awaiting_agreement"] == 5
        web = stopping_summary(p)
        report = " ".join(re.sub(r"<[^>]+>", " ", build_report(p)).split())
    said = ("5 records wait for the reviewers to agree, of them 4 conflicts (the reviewers' decisions differ) and 1 "
            "screened by only one of the two reviewers so far")
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    for where, text in (("status", out), ("dashboard", web["dual_words"] + " " + web["waiting"]),
                        ("report", unescape(report))):
        assert said in text and "4 records wait" not in text, (where, text)
    assert f"Of the records the estimate counts as not screened yet, {said}: they count once" in out, out


def test_dual_status_with_only_conflicts_left_says_to_settle_them_not_to_screen_more(tmp_path, toy_review):
    """Both reviewers had screened every record and 4 conflicts were open: 'status' said "none left to
    screen", then the advice "screen about N more records" / "from the next batch on ...", and
    'screener next' had nothing to give. The dashboard and the report said to settle the conflicts;
    'status' now says so too, and that the estimate counts them as not screened yet."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        for who in ("ana", "ben"):  # each screens every record from their own batches
            while True:
                ids = [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer=who).next_batch(
                    10, explain=False)["record_id"]]
                if not ids:
                    break
                for rid in ids:  # ben excludes four of the includes
                    missed = who == "ben" and truth[rid] and rid % 3 == 1
                    p.decide(rid, "exclude" if missed or not truth[rid] else "include", reviewer=who)
        st = recall_status(p)
        assert st["dual"] == DualProgress(conflicts=4, one_reviewer=0) and st["counts"].left == 4  # the conflicts
        assert not st["advice"].stop
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "Settle the 4 conflicts: no record is left to screen." in out
    assert "screen about" not in out and "next batch" not in out and "would cover everything left" not in out
    assert ("Of the records the estimate counts as not screened yet, 4 records wait for the reviewers to agree "
            "(conflicts: the reviewers' decisions differ): they count once the 4 conflicts are settled on the "
            "Conflicts page.") in out


def _screen_in_order_until_stop(p, truth, batch=10):
    from screener.screening import ScreeningSession

    for _ in range(60):
        b = ScreeningSession(p, embedding_model="none").next_batch(batch, explain=False)
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        st = recall_status(p)
        if st["advice"].stop:
            return st
    raise AssertionError("the toy review never reached a stop")


def _stopped_with_hidden_includes(tmp_path, toy_review, database=None):
    """A 400-record review screened in ranking order until the advice said stop, with 3 of its 11
    includes worded as excludes (the ranking passes those 3 over): ``_hide_includes`` names them.
    ``database``: on that server."""
    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    p = Project.init(tmp_path / "review", database=database)
    p.import_files([csv], column_map={"label": None})
    st = _screen_in_order_until_stop(p, truth)
    assert st["includes_found"] == 8
    return p, truth


def _hide_includes(p, truth, batch) -> int:
    """The 3 includes worded as excludes, among the records still unscreened at the stop: 2 that
    the random sample in ``batch`` drew, 1 never screened (returned). Named after the draw, so the
    test does not hang on where a seeded sample of a seeded ranking happens to fall."""
    drawn = [int(r) for r, smp in zip(batch["record_id"], batch["sampled"])
             if smp and int(r) in truth and not truth[int(r)]]
    seen = set(p.current_decisions().index) | {int(r) for r in batch["record_id"]}
    left = next(r for r in sorted(truth) if r not in seen and not truth[r])
    assert len(drawn) >= 2 and not seen & {left}
    for r in (*drawn[:2], left):
        truth[r] = 1
    return left


@pytest.fixture
def stopped(tmp_path, toy_review):
    """A 400-record review screened in ranking order until the advice said stop, all includes found."""
    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    st = _screen_in_order_until_stop(p, truth)
    assert st["includes_found"] == 8 and st["n_remaining"] > 100
    yield p, truth, tmp_path
    p.close()


def test_new_records_after_a_stop_hold_it_until_they_are_ranked_and_screened(stopped):
    from screener.screening import ScreeningSession

    p, truth, tmp_path = stopped
    new = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Update study {i} of peer worker and harm reduction",
                   "abstract": "Peer support and lived experience.", "doi": f"10.5555/update.{i}", "year": 2024}
                  for i in range(3)]).to_csv(new, index=False)
    p.import_files([new])
    st = recall_status(p)
    assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
    assert ("3 of the records still to screen are not in the ranking the records were screened from"
            in st["advice"].message)
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert "Not yet: rank the records above and screen the top of the new ranking first." in out, out
    assert "│ yes" not in out
    b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)
    assert set(b["record_id"][:3]) == {401, 402, 403}  # the ranking puts them first
    assert "not in the ranking" in recall_status(p)["advice"].message  # still: nothing screened from it yet
    for rid in b["record_id"]:
        p.decide(int(rid), "include" if int(rid) > 400 or truth[int(rid)] else "exclude")
    assert "not in the ranking" not in recall_status(p)["advice"].message  # screened from the new ranking


def test_an_undone_include_holds_the_stop(stopped):
    p, truth, _ = stopped
    last_include = [int(r) for r, d in p.current_decisions()["decision"].items() if d == "include"][-1]
    p.undo(last_include)
    st = recall_status(p)
    assert not st["advice"].stop
    assert "not in the ranking the records were screened from" in st["advice"].message


def test_records_the_ranking_put_first_must_be_screened_first(tmp_path, toy_review):
    from screener.screening import ScreeningSession
    from screener.status import off_the_ranking, ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        b = ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)
        ids = [int(r) for r in b["record_id"]]
        for rid in ids[10:]:  # the bottom of the batch first
            p.decide(rid, "exclude")
        cur = p.current_decisions()
        why = off_the_ranking(p, cur, p.store.duplicate_ids())
        assert why.startswith("10 records that a ranking put before records screened from it are still unscreened")
        for rid in ids[2:10]:
            p.decide(rid, "exclude")
        cur = p.current_decisions()
        why = off_the_ranking(p, cur, p.store.duplicate_ids())
        assert why.startswith("2 records that a ranking put before records screened from it are still unscreened")
        assert "'screener next', 'screener screen' and the screening page put them first" in why
        assert not ranking_provenance(p, cur, p.store.duplicate_ids()).unranked.any()
        for rid in ids[:2]:
            p.decide(rid, "exclude")
        assert off_the_ranking(p, p.current_decisions(), p.store.duplicate_ids()) is None


def test_the_report_holds_the_stop_as_status_does(stopped):
    from screener.report import report_context

    p, truth, tmp_path = stopped
    new = tmp_path / "late.csv"
    pd.DataFrame([{"title": "Late study of peer worker and harm reduction", "abstract": "Peer support.",
                   "doi": "10.5555/late.1", "year": 2024}]).to_csv(new, index=False)
    p.import_files([new])
    ctx = report_context(p)
    assert not recall_status(p)["advice"].stop
    assert "you can stop" not in str(ctx["advice"]).lower()


def test_the_report_reads_one_state_of_the_review_while_a_teammate_labels(stopped, monkeypatch):
    """A teammate's batch came in while the report was being made: its PRISMA box was counted
    before the batch and its recall section after, so the report said 'screened 230' in one part
    and 'screened 240' in the other. The report is read from one state of the review."""
    import screener.status as status_module
    from screener.report import report_context

    p, truth, _ = stopped
    before = p.prisma_counts()["screened"]
    left = [r for r in sorted(truth) if r not in p.current_decisions().index][:10]
    real = status_module.recall_status
    seen = {}

    def labelled_meanwhile(project, **kw):
        if not seen:
            with Project.open(p.dir) as teammate:
                for r in left:
                    teammate.decide(r, "exclude", reviewer="teammate")
        seen["st"] = real(project, **kw)
        return seen["st"]

    monkeypatch.setattr(status_module, "recall_status", labelled_meanwhile)
    ctx = report_context(p)
    assert p.prisma_counts()["screened"] == before + 10  # the batch did come in meanwhile
    assert ctx["p"]["screened"] == seen["st"]["history"].n_screened == before


def test_dual_stop_waits_for_both_reviewers_and_settled_conflicts(tmp_path, toy_review):
    """The hold names what it waits for: not an import, split or undo, but the second reviewer
    and the conflicts (a study out of a reviewer's queue is not screened yet)."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    truth = _truth(csv)

    def batch(n=10):
        return [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer="ana").next_batch(
            n, explain=False)["record_id"]]

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        for _ in range(40):  # both reviewers agree on every record, in ranking order, up to the stop
            for rid in batch():
                for who in ("ana", "ben"):
                    p.decide(rid, "include" if truth[rid] else "exclude", reviewer=who)
            if recall_status(p)["advice"].stop:
                break
        assert recall_status(p)["advice"].stop
        ids = batch()
        for rid in ids:
            p.decide(rid, "exclude", reviewer="ana")
            p.decide(rid, "include" if rid == ids[0] else "exclude", reviewer="ben")  # one conflict
        st = recall_status(p)
        assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
        msg = st["advice"].message
        assert msg.startswith("Not yet: 1 conflict (the reviewers' decisions differ) is not settled")
        assert "Conflicts page" in msg and "not in the ranking" not in msg
        p.decide(ids[0], "exclude", reviewer="owner", role="resolver")
        assert recall_status(p)["advice"].stop
        p.decide(batch(2)[0], "exclude", reviewer="ana")
        msg = recall_status(p)["advice"].message
        assert msg.startswith("Not yet: 1 record has been screened by only one of the two reviewers")
        assert "have the second reviewer screen it." in msg


def test_records_one_reviewer_excluded_unread_are_still_to_screen_not_screened_by_one(tmp_path, toy_review):
    """Dual screening, 20 records: both read 4 and agree, ana read 2 more, then excluded her 14 left unread at her
    stop; ben has not reached them. 'screener status' said '16 were screened by only one of the two reviewers' and
    PRISMA 'screened, awaiting the two reviewers' agreement (n = 16)', 'not screened 0': the 14 nobody read are
    records still to screen, and 2 were screened by one reviewer."""
    with _ana_excluded_her_rest_unread(tmp_path, toy_review) as p:
        prisma = p.prisma_counts()
        assert (prisma["screened"], prisma["awaiting_agreement"], prisma["not_screened"]) == (4, 2, 14), prisma
        assert dual_progress(p) == DualProgress(conflicts=0, one_reviewer=2)
        st = recall_status(p)
        assert (st["counts"].screened, st["counts"].left) == (4, 16)
    out = " ".join(runner.invoke(app, ["status", "--team", str(tmp_path / "dual")]).output.split())
    assert "2 records were screened by only one of the two reviewers so far" in out, out


def test_an_export_does_not_count_records_one_reviewer_excluded_unread_as_awaiting_agreement(tmp_path, toy_review):
    """Dual screening: ana read 2 records ben has not, and excluded her 14 left unread at her stop. 'screener export'
    said '16 records await the two reviewers' agreement (16 screened by one reviewer so far ...)', where status
    and PRISMA say 2: the 14 nobody read are still to screen."""
    _ana_excluded_her_rest_unread(tmp_path, toy_review).close()
    r = runner.invoke(app, ["export", "--team", str(tmp_path / "dual"), "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "2 records await the two reviewers' agreement (2 screened by one reviewer so far" in out, out


def test_decisions_made_from_no_ranking_say_nothing_about_what_is_left(tmp_path, toy_review):
    """Decisions read in before any ranking (another tool's lists, includes first) looked like a
    perfect ranking: the estimate said stop at a true recall of 47%."""
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=12)
    truth = _truth(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        inc = [r for r, t in truth.items() if t][:6]
        exc = [r for r, t in truth.items() if not t][:200]
        for rid in inc + exc:  # 'label included.csv --decision include', then the excludes
            p.decide(int(rid), "include" if rid in inc else "exclude")
        st = recall_status(p)
        assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
        assert "206 of the 206 decisions were not made from screener's ranking" in st["advice"].message
        assert st["counts"].screened == 206 and st["includes_found"] == 6
        # 6 includes were found: a note saying "no includes found yet" would contradict the counts
        assert not any("no includes found" in w for w in st["advice"].warnings)
        assert any("no include yet among the records screened from screener's rankings" in w
                   for w in st["advice"].warnings)
        cur = p.current_decisions()
        assert ranking_provenance(p, cur, p.store.duplicate_ids()).unranked.all()


def test_decided_records_imported_mid_review_are_not_read_as_the_rankings_next(stopped):
    """A second search's records, excluded elsewhere, came after the ranking's top: read as its
    tail, 250 excludes made the estimate say stop."""
    from screener.status import ranking_provenance

    p, truth, tmp_path = stopped
    more = tmp_path / "prescreened.csv"
    pd.DataFrame([{"title": f"Prescreened study {i} on cardiac surgery outcomes", "abstract": "Surgery.",
                   "doi": f"10.5555/pre.{i}", "year": 2020, "decision": "exclude"} for i in range(30)]).to_csv(
        more, index=False)
    before = int(ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids()).unranked.sum())
    p.import_files([more])
    cur = p.current_decisions()
    prov = ranking_provenance(p, cur, p.store.duplicate_ids())
    assert int(prov.unranked.sum()) == before + 30 and prov.unranked[-30:].all()
    assert f"{before + 30} of the" in recall_status(p)["advice"].message


def test_records_passed_over_in_a_ranking_stay_held_after_a_new_one(tmp_path, toy_review):
    """The hold on records a batch skipped was lifted by any later decision (a note on an old
    record) once a new ranking was stored; now it stays until they are screened, and 'next'
    puts them first."""
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=80, n_include=6)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(30, explain=False)["record_id"]]
        for rid in ids[10:]:  # the bottom 20 of the batch only
            p.decide(rid, "exclude")
        session = ScreeningSession(p, embedding_model="none")
        session.ranking(refit=True)  # a new ranking stored
        p.decide(ids[15], "exclude", note="checked again")  # a later decision on an earlier record
        prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
        assert sorted(prov.skipped.tolist()) == sorted(ids[:10])
        top = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]
        assert sorted(int(r) for r in top) == sorted(ids[:10])


def test_a_record_picked_far_below_the_top_is_not_read_as_the_rankings_evidence(tmp_path, toy_review):
    """A record decided from the records list, far down a ranking: neither evidence about the
    ranking nor a reason to hold every record above it."""
    from screener.screening import ScreeningSession
    from screener.status import off_the_ranking, ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=6)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").ranking()["record_id"]]
        for rid in ids[:5]:
            p.decide(rid, "exclude")
        p.decide(ids[100], "exclude")  # picked from the records list
        cur = p.current_decisions()
        prov = ranking_provenance(p, cur, p.store.duplicate_ids())
        assert prov.unranked.tolist() == [False] * 5 + [True] and not len(prov.skipped)
        assert off_the_ranking(p, cur, p.store.duplicate_ids()) is None


def test_screening_the_batch_next_gave_after_records_were_passed_over_holds_nothing_back(tmp_path, toy_review):
    """The MSM search screened with the peer-work protocol: 'status' said "8 records that a ranking put before
    records you screened from it are still unscreened (records 26, 52, ...): screen them first"; 'next' put
    them first, the batch was labelled whole, and 'status' then named 8 others (1, 11, 23, ...) and read 2 of
    the batch as "picked far below the top of the ranking in use". The ranking 'next' stored kept its model
    order, with the records it had put first in their model places below records it had not shown. What a
    batch of 'next' shows first is now where its stored ranking has them."""
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(30, explain=False)["record_id"]]
        held = [r for r in ids[:20] if not truth[r]][:8]  # excludes left blank above the records screened
        for rid in (r for r in ids if r not in held):
            p.decide(rid, "include" if truth[rid] else "exclude")
        prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
        assert sorted(prov.skipped.tolist()) == sorted(held)
        batch = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]]
        assert batch[:len(held)] == [r for r in batch if r in held] and set(held) <= set(batch)
        for rid in batch:
            p.decide(rid, "include" if truth[rid] else "exclude")
        cur = p.current_decisions()
        prov = ranking_provenance(p, cur, p.store.duplicate_ids())
    assert not len(prov.skipped), prov.skipped
    assert not prov.unranked.any(), list(zip(cur.index[prov.unranked], prov.why[prov.unranked]))


def test_a_record_shown_first_because_it_was_passed_over_says_so_where_its_score_does_not(tmp_path, toy_review):
    """A batch of 'next' put the records an earlier batch had passed over first: ranks 5 to 8 scored 1.61 to 1.56
    above rank 9 at 1.69, where the Score column says "higher comes first", and their reasons named only terms.
    Each such record's reason now says why it is first."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(30, explain=False)["record_id"]]
        held = [r for r in ids[:20] if not truth[r]][:3]
        for rid in (r for r in ids if r not in held):
            p.decide(rid, "include" if truth[rid] else "exclude")
        batch = ScreeningSession(p, embedding_model="none").next_batch(10)
    why = dict(zip(batch["record_id"].astype(int), batch["reason"]))
    first = "passed over in an earlier batch, so shown first (the stopping advice waits for it); "
    assert all(why[r].startswith(first) for r in held), why
    assert not any(first in w for r, w in why.items() if r not in held), why


def test_a_record_whose_decision_was_undone_is_not_said_to_have_been_passed_over(tmp_path, toy_review):
    """A reviewer screened a batch whole, then undid one decision to think again: the next batch put that record
    first with "passed over in an earlier batch, so shown first", though she had read it and decided it. Its
    reason now says its decision was undone; a record left blank in the batch still reads as passed over."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]]
        blank, undone = ids[2], ids[5]
        for rid in ids:
            if rid != blank:
                p.decide(rid, "include" if truth[rid] else "exclude")
        p.undo(undone)
        batch = ScreeningSession(p, embedding_model="none").next_batch(10)
    why = dict(zip(batch["record_id"].astype(int), batch["reason"]))
    assert why[blank].startswith("passed over in an earlier batch, so shown first"), why[blank]
    assert why[undone].startswith("its decision was undone, so shown first (the stopping advice waits for it); "), \
        why[undone]
    assert "passed over" not in why[undone], why[undone]


def test_includes_found_among_records_picked_far_below_the_ranking_hold_the_stop(stopped):
    """After the stop, a reviewer checked 10 records of her choice among those left (the records list) and 3
    were includes: the ranking had left them behind. Read as no evidence about the ranking, they were left
    out and 'status' still said "you can stop with 95% recall" (most likely none left, up to 1), with 3 more
    such includes unscreened (recall 79%). Read where they were found, they break the run of excludes the
    stop rested on."""
    import random

    p, truth, _ = stopped
    assert recall_status(p)["advice"].stop
    cur = set(p.current_decisions().index)
    left = [r for r in sorted(truth) if r not in cur]
    hidden = random.Random(1).sample(left, 3)  # includes the ranking cannot tell (worded as excludes)
    for rid in hidden + [r for r in left if r not in hidden][:7]:
        p.decide(rid, "include" if rid in hidden else "exclude")
    st = recall_status(p)
    assert st["includes_found"] == 11
    assert not st["advice"].stop and not st["estimates"]["score_sample"].stop
    assert "picked far below the top" in st["estimates"]["score_sample"].note
    assert "hold its stop back: read where they were found" in st["advice"].message


def test_maybes_found_among_records_picked_far_below_the_ranking_are_called_maybes(stopped):
    """3 records of her choice marked maybe after the stop hold it as includes would, and are named as what
    they are: the note said "read with the 3 includes found" of 3 maybes and no include."""
    import random

    p, truth, _ = stopped
    cur = set(p.current_decisions().index)
    left = [r for r in sorted(truth) if r not in cur]
    unsure = random.Random(1).sample(left, 3)
    for rid in unsure + [r for r in left if r not in unsure][:7]:
        p.decide(rid, "maybe" if rid in unsure else "exclude")
    st = recall_status(p)
    assert not st["advice"].stop
    note = st["estimates"]["score_sample"].note
    assert note.startswith("read with the 3 maybes found among records picked far below the top")
    assert "includes" not in note.split(":")[0]
    assert "the maybes found among them (picked far below the top of the ranking in use) hold its stop back" \
        in st["advice"].message


def test_a_stop_held_by_includes_found_off_the_ranking_is_known_by_more_than_its_notes_first_words(stopped,
                                                                                                  monkeypatch):
    """Whether the includes found off the ranking held the stop was read off the estimate's note, from its first
    words: a note worded otherwise ("read, with the 3 includes found ...") lost the advice's sentence on them."""
    import random

    import screener.status as status

    def reworded(*args, **kwargs):
        out = found_off(*args, **kwargs)
        return {k: replace(e, note=e.note.replace("read with the", "read, with the", 1)) for k, e in out.items()}

    from dataclasses import replace

    found_off = status._with_includes_off_the_ranking
    monkeypatch.setattr(status, "_with_includes_off_the_ranking", reworded)
    p, truth, _ = stopped
    cur = set(p.current_decisions().index)
    left = [r for r in sorted(truth) if r not in cur]
    hidden = random.Random(1).sample(left, 3)
    for rid in hidden + [r for r in left if r not in hidden][:7]:
        p.decide(rid, "include" if rid in hidden else "exclude")
    st = recall_status(p)
    assert not st["advice"].stop and st["estimates"]["score_sample"].note.startswith("read, with the 3 includes")
    assert "hold its stop back: read where they were found" in st["advice"].message
    assert st["estimates"]["score_sample"].found_off_ranking


@pytest.mark.parametrize("query", ["uncertainty", "mixed"])
def test_includes_found_by_the_models_uncertainty_or_at_random_hold_the_stop(stopped, query):
    """After the stop, the query setting's queue (by the model's uncertainty, or "mixed") found 3 includes among
    the records it picked for the model's uncertainty or at random: the ranking had left them behind. Left out
    as no evidence about the ranking, 'status' still said "you can stop with 95% recall" (most likely none
    left, up to 1), and kept it once the reviewer went back to the ranking's top."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    p, truth, _ = stopped
    assert recall_status(p)["advice"].stop
    p.set_setting("query", query)
    off_top: list[int] = []
    for _ in range(10):
        for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        cur, _, duplicates = _current(p)
        prov = ranking_provenance(p, cur, duplicates)
        off_top = [int(r) for r in cur.index[prov.why == ("query" if query == "uncertainty" else "mixed")]]
        if len(off_top) >= 3:
            break
    for rid in off_top[:3]:  # includes the ranking cannot tell (worded as excludes)
        truth[rid] = 1
        p.decide(rid, "include")
    p.set_setting("query", "max")  # back to the ranking's top, which finds no more
    for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    assert st["includes_found"] == 11
    assert not st["advice"].stop and not st["estimates"]["score_sample"].stop
    assert "or at random" in st["estimates"]["score_sample"].note
    assert "hold its stop back: read where they were found" in st["advice"].message


def test_a_random_sample_that_finds_includes_vetoes_any_stop():
    """Even the sample's lower bound on the includes left being over what the target allows
    means recall is very probably short of it, whatever the ranking-based estimates read."""
    import numpy as np

    from screener.status import _sample_says_no
    from screener.stopping import ScreeningHistory, run_all

    labels = np.r_[np.ones(20), np.zeros(180), np.r_[np.ones(6), np.zeros(44)]].astype(int)
    sampled = np.r_[np.zeros(200, bool), np.ones(50, bool)]
    hist = ScreeningHistory(labels=labels, n_total=2000, sampled=sampled, sample_probs=np.where(sampled, 50 / 1800, np.nan),
                            sample_drawn_at=np.where(sampled, 200, -1))
    est = run_all(hist, target_recall=0.95, confidence=0.95)
    why = _sample_says_no(est, hist, 0.95, 0.95)
    assert why is not None and "the random sample found includes among the records left" in why
    clean = ScreeningHistory(labels=np.r_[labels[:200], np.zeros(50, int)], n_total=2000, sampled=sampled,
                             sample_probs=hist.sample_probs, sample_drawn_at=hist.sample_drawn_at)
    assert _sample_says_no(run_all(clean, target_recall=0.95, confidence=0.95), clean, 0.95, 0.95) is None


def test_a_random_sample_that_finds_only_maybes_says_maybes():
    """A sample whose finds were all maybes said "the random sample found includes among the records left":
    no reviewer included any of them. It names what it found, as its own note does."""
    import numpy as np

    from screener.status import _sample_says_no
    from screener.stopping import ScreeningHistory, run_all

    labels = np.r_[np.ones(20), np.zeros(180), np.r_[np.ones(6), np.zeros(44)]].astype(int)
    sampled = np.r_[np.zeros(200, bool), np.ones(50, bool)]
    found = sampled & (labels == 1)
    kw = dict(labels=labels, n_total=2000, sampled=sampled, sample_probs=np.where(sampled, 50 / 1800, np.nan),
              sample_drawn_at=np.where(sampled, 200, -1))
    words = {}
    for name, maybe in (("maybes", found), ("both", found & (np.cumsum(found) <= 3)), ("includes", None)):
        hist = ScreeningHistory(**kw, maybe=maybe)
        words[name] = _sample_says_no(run_all(hist, target_recall=0.95, confidence=0.95), hist, 0.95, 0.95)
    assert words["maybes"].startswith("the random sample found maybes among the records left:"), words["maybes"]
    assert words["both"].startswith("the random sample found includes and maybes among the records left:")
    assert words["includes"].startswith("the random sample found includes among the records left:")
    # the bound counts the maybes too: "at least N includes" said of a sample that found no include was untrue
    assert "includes or maybes are very probably still unscreened" in words["maybes"], words["maybes"]
    assert "includes or maybes are very probably still unscreened" in words["both"], words["both"]
    assert "includes are very probably still unscreened" in words["includes"], words["includes"]


def test_a_batch_labelled_in_two_halves_or_with_its_sample_rows_last_is_the_rankings_evidence(tmp_path, toy_review):
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=8)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(50, explain=False)["record_id"]]
        for rid in ids[25:] + ids[:25]:  # the bottom half first, by the second reviewer
            p.decide(rid, "exclude")
        prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
        assert not prov.unranked.any() and not len(prov.skipped)
        b = ScreeningSession(p, embedding_model="none").next_batch(40, explain=False, sample=8)
        assert b["sampled"].sum() == 8
        for rid in b["record_id"]:  # as the file lists them: the ranked rows, then the sample's
            p.decide(int(rid), "exclude")
        prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
        assert not prov.unranked.any()


@pytest.mark.parametrize("columns", [None, ["record_id", "title", "decision"]], ids=["rank column", "no rank column"])
def test_a_batch_file_sorted_by_its_decisions_is_logged_in_rank_order(tmp_path, toy_review, columns):
    """Includes first, as a spreadsheet sorts them, would read as a far better ranking than it was;
    without its rank column, the file is read in the order of the ranking it came from."""
    d = tmp_path / "review"
    csv = toy_review(tmp_path / "toy.csv", n=80, n_include=8)
    truth = _truth(csv)
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv), "--column", "label="]).exit_code == 0
    batch = tmp_path / "batch.csv"
    assert runner.invoke(app, ["next", str(d), "--n", "30", "-o", str(batch), "--embedding-model", "none"]).exit_code == 0
    df = pd.read_csv(batch)
    df["decision"] = ["include" if truth[r] else "exclude" for r in df["record_id"]]
    out = df.sort_values("decision", ascending=False)
    (out if columns is None else out[columns]).to_csv(batch, index=False)
    assert runner.invoke(app, ["label", str(d), str(batch)]).exit_code == 0
    with Project.open(d) as p:
        assert p.decision_log()["record_id"].tolist() == df.sort_values("rank")["record_id"].tolist()


def test_the_hold_on_passed_over_records_speaks_of_the_queues_in_dual_screening(tmp_path, toy_review):
    """In dual screening no page puts the passed-over records first (a reviewer's queue must not
    depend on the others' screening): the message says to finish the queues instead."""
    from screener.screening import ScreeningSession
    from screener.status import off_the_ranking

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    with Project.init(tmp_path / "review", settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]]
        for rid in ids[10:]:  # both reviewers agree on the bottom of the batch
            for who in ("ana", "ben"):
                p.decide(rid, "exclude", reviewer=who)
        why = off_the_ranking(p, p.current_decisions(), p.store.duplicate_ids())
        assert why.startswith("10 records that a ranking put before records screened")
        assert "finish the queues" in why and "screening page put" not in why


def test_a_second_search_imported_after_screening_leaves_recall_unknown_not_high(stopped):
    """A second database search imported into a screened review: its records were never ranked,
    so nothing screened says how many includes they hold. The estimate read from the ranking
    (nearly every include of the first search found) must not be shown as the review's recall."""
    p, truth, tmp_path = stopped
    second = tmp_path / "second_search.csv"
    rows = []
    for i in range(150):
        inc = i % 30 == 0  # 5 includes among 150
        words = ("peer worker", "lived experience") if inc else ("blood pressure", "dosage")
        rows.append({"title": f"Second search study {i} of {words[0]} and {words[1]}",
                     "abstract": f"We report {words[0]} and {words[1]} in area {i}.",
                     "doi": f"10.5555/second.{i}", "year": 2024})
    pd.DataFrame(rows).to_csv(second, index=False)
    p.import_files([second])
    st = recall_status(p)
    true_recall = 8 / 13
    assert not st["advice"].stop
    assert ("150 of the records still to screen are not in the ranking the records were screened from"
            in st["advice"].message)
    for name, e in st["estimates"].items():
        assert not e.stop, name
        assert e.recall != e.recall, name  # no point estimate: NaN
        if e.remaining_high == e.remaining_high:  # a method with an interval (QBCB has none without a sample)
            assert e.recall_low <= true_recall <= e.recall_high, (name, e.recall_low, e.recall_high)
            assert e.remaining_high >= 150, name
        assert "not estimated for the 150 records not screened from a ranking yet" in e.note, name
        assert "chance" not in e.note, name  # no claim read from the ranking they were never in
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert ("Recall is not estimated yet: 150 records still to screen have not been ranked (imported by a search "
            "update, taken out of a duplicate group, or returned by an undo since the ranking the records were "
            "screened from), so the records screened say nothing of them.") in out, out
    # said once, before the table: the advice below and the notes do not say it again
    assert "not in the ranking" not in out and "Note: not estimated for the 150" not in out, out
    assert "Not yet: rank the records above and screen the top of the new ranking first." in out, out
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    assert all(e["recall"] is None for e in js["estimators"].values())
    assert js["not_ranked_yet"] == 150
    assert st["estimates"]["score_sample"].remaining_high >= 150  # the recommended method has its interval
    assert f"of the {st['n_remaining']} records left" in st["estimates"]["qbcb"].note  # a random sample reads every record left
    from screener.report import write_report

    html = " ".join(write_report(p, tmp_path / "report.html").read_text().split())
    assert "it has no point estimate yet" in html and "the dotted line is its point estimate" not in html


def _second_search(path, n=150, every=30):
    rows = []
    for i in range(n):
        inc = i % every == 0
        words = ("peer worker", "lived experience") if inc else ("blood pressure", "dosage")
        rows.append({"title": f"Second search study {i} of {words[0]} and {words[1]}",
                     "abstract": f"We report {words[0]} and {words[1]} in area {i}.",
                     "doi": f"10.5555/second.{i}", "year": 2024})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _screen_on_until_stop(p, truth, batches=40, size=20):
    """Batches from the ranking until the advice says stop; a later search's "peer worker"
    records (numbered after the toy review's 400) are its includes."""
    from screener.screening import ScreeningSession

    for _ in range(batches):
        b = ScreeningSession(p, embedding_model="none").next_batch(size, explain=False)
        for rid in b["record_id"]:
            rid = int(rid)
            p.decide(rid, "include" if truth.get(rid) or (rid > 400 and "peer worker" in
                                                           p.records_frame().loc[rid, "title"]) else "exclude")
        st = recall_status(p)
        if st["advice"].stop:
            break
    return st


def test_a_second_search_is_estimated_apart_once_screened_from_the_new_ranking(stopped):
    """One include screened from the new ranking must not release a stop read from the first
    search's long run of excludes: the second search's records are a review of their own."""
    from screener.screening import ScreeningSession

    p, truth, tmp_path = stopped
    p.import_files([_second_search(tmp_path / "second.csv")])  # 5 includes among 150
    b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)
    top = int(b["record_id"].iloc[0])
    assert top > 400 and "peer worker" in p.records_frame().loc[top, "title"]
    p.decide(top, "include")
    st = recall_status(p)
    assert st["not_ranked_yet"] == 0
    assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
    true_recall = 9 / 13
    e = st["estimates"]["score_sample"]
    assert e.recall_low <= true_recall <= e.recall_high and e.remaining_high >= 4
    assert "read in 2 parts" in e.note
    # screened on from the ranking, the second search's includes are found and the stop comes back
    st = _screen_on_until_stop(p, truth)
    assert st["advice"].stop and st["includes_found"] == 13, (st["n_screened"], st["advice"].message)


def test_a_more_complete_copy_of_ranked_records_is_not_new(stopped):
    """Copies that de-duplication makes their study's record (more complete: a journal and a PubMed
    id) are the same studies the ranking held: the estimate and the stop stay as they were."""
    p, truth, tmp_path = stopped
    before = recall_status(p)
    cur = p.current_decisions()
    df = pd.read_csv(tmp_path / "toy.csv")
    copies = pd.concat([df[~df["record_id"].isin(cur.index)].head(20), df[df["record_id"].isin(cur.index)].head(20)])
    copies = copies.drop(columns=["label_included", "record_id"]).assign(
        journal="Journal of Copies", pmid=[str(30000000 + i) for i in range(len(copies))])
    copies.to_csv(tmp_path / "copies.csv", index=False)
    p.import_files([tmp_path / "copies.csv"])
    recs = p.records_frame()
    assert (recs.index > 400).sum() == 40  # each copy is its study's record now
    st = recall_status(p)
    assert st["not_ranked_yet"] == 0 and st["advice"].stop
    assert st["estimates"]["score_sample"].remaining == before["estimates"]["score_sample"].remaining
    assert st["estimates"]["score_sample"].recall_low == before["estimates"]["score_sample"].recall_low


def test_a_first_search_screened_to_its_end_does_not_end_the_second(tmp_path, toy_review):
    """Every record of the first search screened, then a second search imported and a batch of it
    screened from the new ranking: the first part has nothing left, the review has."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    truth = _truth(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        while True:
            b = ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)
            if b.empty:
                break
            for rid in b["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        p.import_files([_second_search(tmp_path / "second.csv", n=100, every=10)])  # 10 includes
        b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if "peer worker" in p.records_frame().loc[int(rid), "title"] else "exclude")
        st = recall_status(p)
        assert st["n_remaining"] == 90
        assert not st["advice"].stop, st["advice"].message
        assert "Every record has been screened" not in st["advice"].message


def test_a_withdrawn_imported_decision_is_no_later_import(tmp_path, toy_review):
    """A decision read in with the records, withdrawn after screening from rankings, puts a first-
    search record into a later ranking only: it is not a later import's part of its own (which
    held the stop until that very record was screened, wherever the ranking put it)."""
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    df["label_included"] = df["label_included"].astype(object).where(df.index < 60, None)  # a pilot's 60
    df.to_csv(tmp_path / "labelled.csv", index=False)
    with Project.init(tmp_path / "review") as p:
        p.import_files([tmp_path / "labelled.csv"])
        st = _screen_in_order_until_stop(p, truth)
        pilot_exclude = next(int(r) for r, d in p.current_decisions()["decision"].items() if r <= 60 and d == "exclude")
        p.undo(pilot_exclude, reviewer=p.decision_log().set_index("record_id").loc[[pilot_exclude], "reviewer"].iloc[0])
        b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)
        assert pilot_exclude not in set(b["record_id"])  # the ranking puts it far down
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        cur = p.current_decisions()
        assert len(ranking_provenance(p, cur, p.store.duplicate_ids()).later) == 0
        assert recall_status(p)["advice"].stop  # as before the undo: the record is one of the first search's


def test_dual_records_waiting_for_a_reviewer_keep_the_recall_figures(tmp_path, toy_review):
    """Dual screening: a conflict is out of both queues on purpose; it holds the stop for its own
    reason, and is not a record 'not ranked yet' that hides the recall estimate."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=8)
    truth = _truth(csv)
    with Project.init(tmp_path / "review", settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        for r in range(5):  # ben disagrees once in the fourth round; both screen a fifth from new rankings
            for who in ("ana", "ben"):
                b = ScreeningSession(p, embedding_model="none", reviewer=who).next_batch(20, explain=False)
                for k, rid in enumerate(b["record_id"]):
                    d = "include" if truth[int(rid)] else "exclude"
                    p.decide(int(rid), "maybe" if (who, r, k) == ("ben", 3, 19) else d, reviewer=who)
        st = recall_status(p)
        assert st["dual"].conflicts == 1 and st["not_ranked_yet"] == 0
        assert st["estimates"]["score_sample"].recall == st["estimates"]["score_sample"].recall  # a figure, not NaN
        assert not st["advice"].stop


def _draw_and_screen(p, truth, k):
    """A uniform random sample of ``k`` of the records left, drawn now and screened."""
    import random

    left = sorted(set(int(r) for r in p.records_frame().index) - set(int(r) for r in p.current_decisions().index))
    drawn = random.Random(k).sample(left, k)
    p.remember_sample({rid: k / len(left) for rid in drawn})
    for rid in drawn:
        p.decide(rid, "include" if truth.get(rid) else "exclude")


def test_no_random_sample_certificate_after_a_later_import_from_the_draws_made_before_it(stopped):
    """The sample's draws are read as taken from every record unscreened at their time; those
    made before a later import could not take its records, so they certify nothing then. A draw
    made since can: read with every draw, no sample certified after any later import, while the
    advice kept asking for 'a random sample of about N records (enough if it holds no include)'."""
    from screener.screening import ScreeningSession

    p, truth, tmp_path = stopped
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 5)  # all but 5 of those left: no include
    assert recall_status(p)["estimates"]["qbcb"].stop  # before any later import the certificate stands
    p.import_files([_second_search(tmp_path / "second.csv", n=150, every=150)])
    for rid in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]:
        rid = int(rid)
        truth[rid] = int(rid == 401)  # the second search's one include
        p.decide(rid, "include" if truth[rid] else "exclude")
    st = recall_status(p)
    q = st["estimates"]["qbcb"]
    assert not q.stop and st["includes_found"] == 9 and st["n_remaining"] == 135
    assert q.note.startswith("read from the random sample's draws made since the last import only")
    # not "no random sample screened yet", which a reviewer who screened the earlier draws finds untrue
    assert "screened yet" not in q.note and "no random sample screened since the last import" in q.note, q.note
    sample = st["advice"].sample_records
    assert sample and "For a guaranteed bound instead, screen a further random sample of about" in st["advice"].message
    _draw_and_screen(p, truth, sample)  # the sample asked for, holding no include
    q = recall_status(p)["estimates"]["qbcb"]
    assert q.stop and "at least 95% recall is certified" in q.note


def test_no_random_sample_certificate_from_draws_made_before_records_were_taken_out_of_a_duplicate_group(stopped):
    """A record taken out of a duplicate group was a copy of another study when the sample's earlier
    draws were made: none of them could take it. Read as drawn from every record left, a sample of all
    but 5 of the records left kept "The random sample certifies at least 95% recall ...: you can stop"
    with 20 records taken out of a wrong group unscreened (3 includes among them would leave recall 73%)."""
    from screener.screening import ScreeningSession

    p, truth, _ = stopped
    cur = p.current_decisions()
    study = next(int(r) for r, d in cur["decision"].items() if d == "exclude")
    merged = [r for r in sorted(truth) if r not in set(cur.index) and not truth[r]][-20:]
    for rid in merged:  # a wrong group of records of the first search, screened as one study
        p.decide_duplicates(study, rid, "merge")
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 5)
    assert recall_status(p)["estimates"]["qbcb"].stop
    p.split_duplicates(merged)  # 20 studies of their own again, that no draw could take
    for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    assert st["not_ranked_yet"] == 0 and st["n_remaining"] >= 15
    q = st["estimates"]["qbcb"]
    assert not q.stop and "taken out of a duplicate group" in q.note
    assert "screened yet" not in q.note, q.note  # the draws screened before the split are no 'not yet'
    assert "no random sample screened since records were taken out of a duplicate group" in q.note, q.note
    assert "The random sample certifies" not in st["advice"].message and st["advice"].basis != "qbcb"


def test_no_random_sample_certificate_from_draws_made_before_a_dedup_run_took_records_out_of_a_group(
        stopped, monkeypatch):
    """A full 'screener dedup' run (its rules changed by an update) that takes records out of a group logged
    nothing: the sample's earlier draws, which could not take those records (copies of another study then),
    kept "The random sample certifies at least 95% recall ...: you can stop" with 20 records unscreened."""
    import screener.dedup as dedup
    from screener.screening import ScreeningSession

    p, truth, _ = stopped
    cur = p.current_decisions()
    study = next(int(r) for r, d in cur["decision"].items() if d == "exclude")
    grouped = [r for r in sorted(truth) if r not in set(cur.index) and not truth[r]][-20:]
    rules = dedup.find_duplicates_with_review

    def older_rules(records, **kwargs):  # the rules before the update: the 20 are copies of the study
        groups, review = rules(records, **kwargs)
        gid = groups.loc[groups["record_id"] == study, "group_id"].iloc[0]
        out = groups["record_id"].isin(grouped)
        groups.loc[out, "group_id"], groups.loc[out, "is_primary"] = gid, False
        return groups, review

    monkeypatch.setattr(dedup, "find_duplicates_with_review", older_rules)
    p.deduplicate()
    monkeypatch.undo()
    assert set(grouped) <= set(p.store.duplicate_groups_frame().query("is_primary == 0")["record_id"])
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 5)
    assert recall_status(p)["estimates"]["qbcb"].stop
    p.deduplicate()  # the update's rules: 20 studies of their own again, that no draw could take
    assert not set(grouped) & set(p.store.duplicate_groups_frame().query("is_primary == 0")["record_id"])
    for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    assert st["not_ranked_yet"] == 0 and st["n_remaining"] >= 15
    q = st["estimates"]["qbcb"]
    assert not q.stop and "taken out of a duplicate group" in q.note, q.note
    assert "The random sample certifies" not in st["advice"].message and st["advice"].basis != "qbcb"


def test_a_candidate_pair_never_grouped_said_separate_keeps_the_random_sample_certificate(stopped):
    """A routine duplicate review: a candidate pair of a screened record and one not screened, never
    grouped, said 'separate'. The record not screened was always a study of its own, in the pool every
    draw came from; the certificate went from "you can stop" to none all the same."""
    p, truth, _ = stopped
    cur = p.current_decisions()
    study = next(int(r) for r, d in cur["decision"].items() if d == "exclude")
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 5)
    assert recall_status(p)["estimates"]["qbcb"].stop
    left = next(r for r in sorted(truth) if r not in set(p.current_decisions().index))
    p.decide_duplicates(study, left, "separate")
    log = p.store.dedup_decisions_frame()
    assert log["left_group"].tolist()[-1] == 0
    q = recall_status(p)["estimates"]["qbcb"]
    assert q.stop and "taken out of a duplicate group" not in q.note
    # the same word logged by a screener before format 11, which did not say whether the pair was grouped
    with p.store.transaction():
        p.store._conn.execute("UPDATE dedup_decisions SET left_group = NULL")
    assert not recall_status(p)["estimates"]["qbcb"].stop


def test_a_record_grouped_with_a_screened_one_said_separate_withdraws_the_random_sample_certificate(stopped):
    """A pair said 'separate' that was one study: the record not screened leaves the group, and no
    earlier draw could take it."""
    p, truth, _ = stopped
    cur = p.current_decisions()
    study = next(int(r) for r, d in cur["decision"].items() if d == "exclude")
    merged = [r for r in sorted(truth) if r not in set(cur.index) and not truth[r]][-20:]
    for rid in merged:
        p.decide_duplicates(study, rid, "merge")
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 5)
    assert recall_status(p)["estimates"]["qbcb"].stop
    for rid in merged:
        p.decide_duplicates(study, rid, "separate")
    assert p.store.dedup_decisions_frame()["left_group"].tolist()[-1] == 1
    q = recall_status(p)["estimates"]["qbcb"]
    assert not q.stop and "taken out of a duplicate group" in q.note


def test_a_sampled_record_placed_before_its_draw_stays_in_its_draw(stopped):
    """A record of the random sample grouped since with a study screened before the draw takes that
    study's place in the order, before the draw. Read as a draw of its own (one record, from the pool
    its probability gave: four), the sample's bound on the includes left fell from 177 to 3."""
    from screener.screening import ScreeningSession
    from screener.stopping.qbcb import sample_draws

    p, truth, _ = stopped
    for rid in ScreeningSession(p, embedding_model="none").next_batch(60, explain=False, sample=60)["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    before = recall_status(p)["estimates"]["qbcb"]
    cur = p.current_decisions()
    drawn = int(cur.index[cur["sampled"].astype(bool)][0])
    screened = [int(r) for r in cur.index[100:150] if not cur.loc[r, "sampled"] and cur.loc[r, "decision"] == "exclude"]
    p.decide_duplicates(screened[-1], drawn, "merge")  # one study, screened before the draw
    st = recall_status(p)
    q = st["estimates"]["qbcb"]
    assert len(sample_draws(st["history"])) == 1
    assert before.remaining_high > 100 and q.remaining_high >= before.remaining_high - 1


def test_an_import_of_records_already_in_the_review_keeps_the_random_sample_certificate(stopped):
    """A hand search whose records the databases had already given brings no record to screen:
    the draws made before it took every record there is. Read as a later import, it set the
    certificate aside: "no random sample screened yet" after 352 sampled records."""
    from screener.screening import ScreeningSession

    p, truth, tmp_path = stopped
    p.import_files([_second_search(tmp_path / "second.csv", n=150, every=150)])
    for rid in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]:
        rid = int(rid)
        truth[rid] = int(rid == 401)
        p.decide(rid, "include" if truth[rid] else "exclude")
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 8)
    assert recall_status(p)["estimates"]["qbcb"].stop
    hand = tmp_path / "hand.csv"
    pd.read_csv(tmp_path / "toy.csv").head(2)[["title", "abstract", "doi", "year", "authors"]].to_csv(hand, index=False)
    p.import_files([hand], source_db="handsearch")
    st = recall_status(p)
    assert st["n_total"] == 550 and st["n_remaining"] == 8  # both records were duplicates
    q = st["estimates"]["qbcb"]
    assert q.stop and "at least 95% recall is certified" in q.note
    assert "The random sample certifies at least 95% recall" in st["advice"].message


def test_a_random_sample_that_found_includes_still_vetoes_the_stop_after_a_later_import(tmp_path, toy_review):
    """Draws made before a later import cannot take its records, so they certify nothing after it;
    but the includes they found still say at least so many are left among the records there were
    then, which no later import makes fewer. Read from the draws since the import alone, five
    update records screened lifted the veto: "you can stop, recall 100% (91-100%)" at 10 of 11.
    A second update search does not lift it either."""
    from screener.screening import ScreeningSession

    p, truth = _stopped_with_hidden_includes(tmp_path, toy_review)
    b = ScreeningSession(p, embedding_model="none").next_batch(30, explain=False, sample=30)
    left = _hide_includes(p, truth, b)
    for rid in b["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    assert not st["advice"].stop and "the random sample found includes" in st["advice"].message
    for search in ("update", "second-update"):
        update = tmp_path / f"{search}.csv"  # five records worded as the includes are, none of them one
        pd.DataFrame([{"title": f"{search} study {i} of peer worker and harm reduction", "year": 2024,
                       "abstract": "Peer support and lived experience.", "doi": f"10.5555/{search}.{i}"}
                      for i in range(5)]).to_csv(update, index=False)
        p.import_files([update])
        new = set(int(r) for r in p.records_frame().index) - set(truth)
        b = ScreeningSession(p, embedding_model="none").next_batch(5, explain=False)
        assert set(b["record_id"]) == new  # the update's records, ranked first
        for rid in b["record_id"]:
            truth[int(rid)] = 0
            p.decide(int(rid), "exclude")
        st = recall_status(p)
        assert st["includes_found"] == 10 and truth[left] and left not in p.current_decisions().index
        assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
        assert "drawn before a later import found includes" in st["advice"].message


def test_an_update_search_with_one_include_can_still_end_in_a_stop(stopped):
    """An update search often adds one include or none: too few for a curve of its own. Its own
    run of excludes (as long as the consecutive baseline's) lets it pass, with the screening read
    as one ranking agreeing; it was held until every record was screened."""
    p, truth, tmp_path = stopped
    p.import_files([_second_search(tmp_path / "update.csv", n=300, every=300)])  # 1 include among 300
    st = _screen_on_until_stop(p, truth)
    assert st["advice"].stop and st["includes_found"] == 9
    assert st["n_remaining"] > 100  # not everything screened


def test_a_random_start_is_read_as_a_random_sample_not_as_a_rankings_best(tmp_path, toy_review):
    """Without protocol text the first batches come from a random order: their includes say how
    many are left as a sample does (2 in 10 of 114 had read as "about 1 left (0-6)", 21 left)."""
    from screener.screening import ScreeningSession
    from screener.stopping.sampling import random_sample_interval

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=40)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    session = ScreeningSession(p, embedding_model="none")
    b = session.next_batch(10, explain=False)
    assert session.last_rank_info["phase"] == "random"
    for rid in b["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    e = st["estimates"]["score_sample"]
    found = st["includes_found"]
    assert found >= 1  # 40 of 200 are includes: the seeded order finds some
    point, low, high = random_sample_interval(found, 10, 200)
    assert (e.remaining, e.remaining_low, e.remaining_high) == (point, low, high)
    assert e.remaining_low <= 40 - found <= e.remaining_high  # the truth is inside
    assert "read as a random sample" in e.note and not st["advice"].stop
    # once a model has ranked from those labels, the estimators read the ranking again
    b = session.next_batch(10, explain=False)
    assert session.last_rank_info["phase"] == "model"
    for rid in b["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    assert "random sample" not in recall_status(p)["estimates"]["score_sample"].note


def test_a_list_excluded_in_one_go_during_the_random_start_is_no_part_of_its_random_sample(tmp_path, toy_review):
    """Before the first include (no protocol), a reviewer excluded the records naming mice or dosage in one
    go, then screened on from the random order. Read as part of the random sample, the list (chosen by its
    words, no include in it) made includes look rare: 399 records excluded by keyword beside 60 drawn with
    2 includes gave "about 12 includes left (1-45)" with 28 left. The sample is the records drawn from the
    random order; the list counts as screened, but neither in the sample nor in what it stands for."""
    from screener.screening import ScreeningSession
    from screener.stopping.sampling import random_sample_interval

    csv = toy_review(tmp_path / "toy.csv", n=600, n_include=12)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    session = ScreeningSession(p, embedding_model="none")
    b = session.next_batch(10, explain=False)
    for rid in b["record_id"]:
        p.decide(int(rid), "exclude")  # (an include among them would end the random start: all said exclude)
    # the records naming mice or dosage that the random order puts in its second half (a list made from the
    # records list, not from the order: the records it passes over are none of the order's top)
    late = [int(r) for r in p.store.ranking_order(int(p.store.latest_ranking_id()))[300:]]
    words = set(df.loc[(df["title"] + " " + df["abstract"]).str.contains("mice|dosage"), "record_id"].astype(int))
    listed = [r for r in late if r in words]
    assert len(listed) > 150 and not any(truth[r] for r in listed)
    pd.DataFrame({"record_id": listed}).to_csv(tmp_path / "mice.csv", index=False)
    assert runner.invoke(app, ["label", str(p.dir), str(tmp_path / "mice.csv"), "--decision", "exclude"]).exit_code == 0
    drawn = list(b["record_id"])
    for _ in range(30):  # on from the random order (the records the list passed over first) until an include
        b = session.next_batch(10, explain=False)
        assert session.last_rank_info["phase"] == "random"
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        drawn += [int(r) for r in b["record_id"]]
        if any(truth[int(r)] for r in drawn):
            break
    st = recall_status(p)
    assert not st["not_ranked_yet"] and "screen them first" not in st["advice"].message
    found = st["includes_found"]
    assert found >= 1 and st["n_screened"] == len(drawn) + len(listed)
    e = st["estimates"]["hypergeometric"]
    # the records drawn are the top of the random order, a uniform sample of all 600 records, the list's
    # among them: the list (chosen by its words, no include) stands among what the sample speaks for. Left
    # out of it (600 less the list), 183 excludes listed beside 170 drawn with 1 include read "about 1 include left
    # (0-10)" with 11 left, outside its own 95% interval; "about 3 left (0-16)" now
    point, low, high = random_sample_interval(found, len(drawn), 600)
    assert (e.remaining_low, e.remaining_high) == (low, high)  # the records drawn, standing for every record
    assert high > random_sample_interval(found, len(drawn), 600 - len(listed))[2]  # not for 600 less the list
    assert high > random_sample_interval(found, st["n_screened"], 600)[2]  # not the bound of a sample with the list in
    assert f"the {len(listed)} picked far below its top are no part of the sample" in e.note
    assert f"{len(listed)} of the records screened were picked far below the top of the random order" in \
        " ".join(st["advice"].message.split()) and not st["advice"].stop


def test_a_random_start_is_no_rankings_evidence_once_a_model_ranks_after_it(tmp_path, toy_review):
    """The README's first steps without a protocol: a batch in random order, then one record from the
    model's ranking. Read as the ranking's best, 28 includes in the 50 random records of the MSM
    review gave "recall 64% (39-100%)", about 16 left at most 44, with some 110 left."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=100)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    session = ScreeningSession(p, embedding_model="none")
    first = session.next_batch(30, explain=False)["record_id"].astype(int).tolist()
    assert session.last_rank_info["phase"] == "random"
    for rid in first:
        p.decide(rid, "include" if truth[rid] else "exclude")
    rid = int(session.next_batch(1, explain=False)["record_id"].iloc[0])
    assert session.last_rank_info["phase"] == "model"
    p.decide(rid, "include" if truth[rid] else "exclude")
    cur, _, duplicates = _current(p)
    unranked = set(cur.index[ranking_provenance(p, cur, duplicates).unranked])
    assert unranked == set(first)
    st = recall_status(p)
    left = 100 - st["includes_found"]
    e = st["estimates"][st["advice"].recommended]
    assert not st["advice"].stop and not e.remaining_high < left  # no interval that leaves out the truth
    assert "random order a review without protocol text starts in" in st["advice"].message


def test_decisions_from_a_queue_ordered_by_uncertainty_are_no_rankings_evidence(tmp_path, toy_review):
    """A queue ordered by the model's uncertainty puts the likely includes last: read as a ranking,
    its run of borderline excludes gave "you can stop, recall 100% (94-100%)" at a true 66%."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=30)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})

    def screen(n_batches):
        session = ScreeningSession(p, embedding_model="none")
        done = []
        for _ in range(n_batches):
            for rid in session.next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
                done.append(int(rid))
        return done

    ranked = screen(4)
    p.set_setting("query", "uncertainty")
    by_uncertainty = screen(3)
    cur, _, duplicates = _current(p)
    unranked = set(cur.index[ranking_provenance(p, cur, duplicates).unranked])
    assert set(by_uncertainty) <= unranked and not unranked & set(ranked[10:])
    st = recall_status(p)
    assert not st["advice"].stop and "ordered by the model's uncertainty" in st["advice"].message
    p.set_setting("query", "max")  # back to the ranking: what is screened from it is its evidence again
    again = screen(2)
    cur, _, duplicates = _current(p)
    assert not set(again) & set(cur.index[ranking_provenance(p, cur, duplicates).unranked])


def test_a_random_sample_record_left_unscreened_holds_the_stop(stopped):
    """Sampled rows left blank (the hard ones, say) would leave a smaller sample of the easier
    records, whose veto on a stop could miss the includes among them."""
    p, truth, _ = stopped
    left = [r for r in truth if r not in set(p.current_decisions().index)]
    p.remember_sample({left[0]: 0.05, left[1]: 0.05})
    st = recall_status(p)
    assert not st["advice"].stop and f"not screened yet ({left[0]}, {left[1]})" in st["advice"].message
    p.decide(left[0], "exclude")
    p.decide(left[1], "exclude")
    assert recall_status(p)["advice"].stop  # both screened: the sample speaks, and found no include


def test_a_random_sample_record_whose_decision_is_undone_holds_the_stop(stopped):
    """An undone decision on a sampled record leaves a drawn record unscreened, as a sampled row
    left blank does: the stop waits for it (it said stop with the record unscreened, and nothing
    put it back in front of the reviewer: an include withdrawn there was missed, and gone from the
    sample whose includes can veto a stop)."""
    p, truth, _ = stopped
    left = [r for r in truth if r not in set(p.current_decisions().index)]
    p.remember_sample({left[0]: 0.05, left[1]: 0.05})
    p.decide(left[0], "exclude")
    p.decide(left[1], "exclude")
    assert recall_status(p)["advice"].stop
    p.undo(left[1])
    st = recall_status(p)
    assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
    assert f"not screened yet ({left[1]})" in st["advice"].message
    from screener.screening import ScreeningSession

    assert ScreeningSession(p, embedding_model="none").next_batch(5, explain=False)["record_id"].iloc[0] == left[1]
    p.decide(left[1], "exclude")
    st = recall_status(p)
    assert st["advice"].stop and st["history"].sampled.sum() == 2  # screened again, and still the sample's


def test_includes_decided_first_within_a_batch_read_as_the_ranking_put_them(tmp_path, toy_review):
    """On the screening page or through the API a reviewer may decide a batch's includes first: the
    estimators must still read the batch as the ranking's top, in its order (includes first read as
    a ranking that put them first, and the excludes after them as a run at the end)."""
    from screener.screening import ScreeningSession
    from screener.status import screening_history

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=10)
    df = pd.read_csv(csv)
    hard = (df["label_included"] == 0) & (df.index % 15 == 1)  # excludes that read like includes
    df.loc[hard, "title"] = [f"Study {i} of peer worker and lived experience" for i in df.index[hard]]
    df.loc[hard, "abstract"] = "We report harm reduction, peer support and qualitative interviews."
    df.to_csv(csv, index=False)
    truth = dict(zip(df["record_id"], df["label_included"]))
    projects = []
    for name in ("in_order", "includes_first"):
        p = _ranked_from_the_start(tmp_path / name)
        p.import_files([csv], column_map={"label": None})
        projects.append(p)
    try:
        moved = 0
        for _ in range(6):
            batches = [[int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(
                25, explain=False)["record_id"]] for p in projects]
            assert batches[0] == batches[1]  # the same labels, the same ranking
            ids = batches[0]
            first = sorted(ids, key=lambda r: -truth[r])  # the includes first, then the excludes
            moved += first != ids
            for p, order in zip(projects, (ids, first)):
                for rid in order:
                    p.decide(rid, "include" if truth[rid] else "exclude")
            a, b = (recall_status(p) for p in projects)
            assert a["history"].labels.tolist() == b["history"].labels.tolist()
            assert screening_history(projects[1]).labels.tolist() == a["history"].labels.tolist()
            for k, e in a["estimates"].items():
                f = b["estimates"][k]
                assert f.stop == e.stop and np.array_equal([f.remaining_low, f.remaining_high],
                                                           [e.remaining_low, e.remaining_high], equal_nan=True), k
            assert b["advice"].message == a["advice"].message
        assert moved  # some batch had an exclude ranked above an include
    finally:
        for p in projects:
            p.close()


def test_a_batchs_random_sample_rows_decided_first_read_as_a_batch_file_puts_them(tmp_path, toy_review):
    """A batch file lists the ranked rows, then the random sample's; decided in any order (the
    sample's rows first, includes first), the estimators read the batch the same way."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=12)
    truth = _truth(csv)
    projects = []
    for name in ("as_listed", "sample_first"):
        p = _ranked_from_the_start(tmp_path / name)
        p.import_files([csv], column_map={"label": None})
        projects.append(p)
    try:
        for _ in range(5):
            batches = [ScreeningSession(p, embedding_model="none").next_batch(25, explain=False, sample=5)
                       for p in projects]
            assert batches[0]["record_id"].tolist() == batches[1]["record_id"].tolist()
            b = batches[0]
            ids, smp = [int(r) for r in b["record_id"]], b["sampled"].astype(bool).tolist()
            odd = sorted(ids, key=lambda r: (not smp[ids.index(r)], -truth[r]))  # sample first, includes first
            for p, order in zip(projects, (ids, odd)):
                for rid in order:
                    p.decide(rid, "include" if truth[rid] else "exclude")
            a, c = (recall_status(p) for p in projects)
            assert a["history"].labels.tolist() == c["history"].labels.tolist()
            assert a["history"].sampled.tolist() == c["history"].sampled.tolist()
            for k, e in a["estimates"].items():
                f = c["estimates"][k]
                assert f.stop == e.stop and np.array_equal([f.remaining_low, f.remaining_high],
                                                           [e.remaining_low, e.remaining_high], equal_nan=True), k
    finally:
        for p in projects:
            p.close()


def test_records_passed_over_at_the_top_are_no_part_of_a_high_recall_estimate(tmp_path, toy_review):
    """A reviewer who leaves the top rows of each batch blank (no abstract, a language they do
    not read, "later") screens on below them: the recall estimate read the excludes below as the
    ranking's best and said "recall 96% (87-100%)" with a true 84%, and nothing in the status said
    why, since the hold on passed-over records spoke only against a stop. The interval now allows
    for each record passed over being an include, and the status names them."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=12)
    truth = _truth(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        passed = []
        for i in range(15):
            b = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]]
            # includes among a batch's top rows, passed over from then on (three of them)
            passed += [r for r in b[:5] if truth[r] and r not in passed][:3 - len(passed)]
            for rid in b:
                if rid not in passed:
                    p.decide(rid, "include" if truth[rid] else "exclude")
        left = sum(truth[r] for r in passed)
        assert left == 3 and st_found(p) == 9
        st = recall_status(p)
        assert not st["advice"].stop
        assert "3 records that a ranking put before records screened from it are still unscreened" in \
            st["advice"].message
        for name, e in st["estimates"].items():
            assert not e.stop, name
            if e.remaining_high == e.remaining_high:  # a method with an interval
                assert e.remaining_high >= left, (name, e.remaining_low, e.remaining_high)
                assert "passed over" in e.note, name
        out = _said(runner.invoke(app, ["status", str(p.dir)]).output)
        assert "3 records that a ranking put before records screened from it are still unscreened" in out


def st_found(p):
    return screening_counts(p).found


def test_no_interval_allows_more_includes_than_records_left(tmp_path, toy_review):
    """Screened to the end, then one exclude undone: one record is left, and no method may say
    that up to 2 includes are left (the random-sample bound counted the returned record twice,
    and its recall fell to 91% where it cannot be under 20 of 21)."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=20)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    order = []
    for _ in range(10):
        b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)
        for rid in b["record_id"]:
            order.append(int(rid))
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        if len(order) == 60:
            break
    p.undo([r for r in order[:40] if not truth[r]][-1])
    st = recall_status(p)
    assert st["n_remaining"] == 1 and st["includes_found"] == 20
    for name, e in st["estimates"].items():
        if np.isfinite(e.remaining_high):
            assert e.remaining_high <= 1, name
            assert e.recall_low >= 20 / 21 - 1e-9, name
    out = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    assert out["estimators"]["qbcb"]["remaining_high"] <= 1
    p.close()


@pytest.mark.parametrize("blank", [10, 11, 45])
def test_rows_left_blank_at_the_top_of_a_batch_hold_the_stop(stopped, blank):
    """A batch of 100 with its top rows left blank: 10 held the stop until they were screened, but
    11 or more made every decision below them read as picked from a list, and the advice said 'you
    can stop' with the ranking's top records unscreened. A few records picked far down still hold
    nothing back (test_a_record_picked_far_below_the_top_is_not_read_as_the_rankings_evidence), nor
    does a block the ranking put last, excluded in one go (the next test)."""
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    p, truth, _ = stopped
    ids = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(100, explain=False)["record_id"]]
    for rid in ids[blank:]:
        p.decide(rid, "include" if truth[rid] else "exclude")
    st = recall_status(p)
    assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
    assert st["advice"].message.startswith(f"Not yet: {blank} records that a ranking put before records screened")
    prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
    assert sorted(prov.skipped.tolist()) == sorted(ids[:blank])
    for rid in ids[:blank]:  # screened at last: the hold is lifted
        p.decide(rid, "include" if truth[rid] else "exclude")
    assert "a ranking put before records screened" not in recall_status(p)["advice"].message


def test_status_states_a_target_of_97_5_percent_as_set(stopped):
    """'screener status --target-recall 0.975' titled its table 'target 98%' and claimed 98% recall."""
    p, _, _ = stopped
    out = " ".join(runner.invoke(app, ["status", str(p.dir), "--target-recall", "0.975",
                                       "--confidence", "0.975"]).output.split())
    assert "target 97.5%, 97.5% confidence" in out
    assert "98%" not in out and "97.5% recall" in out


def test_a_block_the_ranking_put_last_excluded_in_one_go_holds_nothing_back(tmp_path, toy_review):
    """The bottom 30 of a ranking of 80 excluded at once (a keyword list the ranking also put last):
    not the top of a batch, so the 50 records above it are not held."""
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=80, n_include=6)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none").ranking()["record_id"]]
        for rid in ids[50:]:
            p.decide(rid, "exclude")
        prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
        assert prov.unranked.all() and not len(prov.skipped)


def test_status_at_another_target_than_the_projects_does_not_promise_next_mixes_the_sample(tmp_path, toy_review):
    """A project set to 80% recall, read with 'screener status --target-recall 0.95': the advice said
    "'screener next' mixes it into the batches", and 'next' (working to 80%, which allows an include
    of 8 to be missed) mixed in none."""
    from screener.screening import ScreeningSession
    from screener.shell import shell_quote
    from screener.status import advised_sample

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review", settings={"target_recall": 0.8})
    p.import_files([csv], column_map={"label": None})
    for k in range(40):  # 8 batches at least, the last from the model (past the random start)
        session = ScreeningSession(p, embedding_model="none")
        for rid in session.next_batch(10, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        if k >= 7 and session.last_rank_info["phase"] == "model":
            break
    st = recall_status(p, target_recall=0.95)
    assert not st["advice"].stop and st["advice"].sample_records and advised_sample(p, 50) == 0
    assert "mixes it into the batches" not in st["advice"].message
    assert f"'screener next {shell_quote(p.dir)} --sample 5' draws 5 records of each batch at random" in \
        st["advice"].message


def test_a_withheld_stop_leaves_no_note_qualifying_it(stopped):
    """With the stop withheld (a sampled record not screened yet), 'status' still printed 'Note: The
    hypergeometric test, which assumes less, does not confirm this yet', 'this' being a stop it no
    longer gave."""
    p, truth, _ = stopped
    at_stop = recall_status(p)["advice"]  # beside the stop, it qualifies it
    assert "but the hypergeometric test, which assumes less, does not confirm it yet" in at_stop.message
    assert not at_stop.confirmed
    left = [r for r in truth if r not in set(p.current_decisions().index)]
    p.remember_sample({left[0]: 0.05})
    st = recall_status(p)
    assert st["advice"].message.startswith("Not yet: 1 record drawn into the random sample")
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert "Not yet: 1 record drawn" in out and "does not confirm" not in out
    assert st["advice"].confirmed and json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)[
        "confirmed"] is False


def test_status_says_with_the_stop_that_the_hypergeometric_test_does_not_confirm_it(stopped):
    """A hunt stopped at 88.6% recall for a 95% target on "The model-based estimate says you can stop", printed in
    green; the hypergeometric test's wait came only as a note at the end. The stop's sentence says it now, and
    --json says "confirmed": false."""
    p, _, _ = stopped
    st = recall_status(p)
    hg = st["estimates"]["hypergeometric"]
    assert st["advice"].stop and not hg.stop and hg.needs
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert (f"you can stop with 95% recall (95% confidence), but the hypergeometric test, which assumes less, does "
            f"not confirm it yet: screen about {hg.needs} more records to confirm it (if they are all excludes), or "
            "stop if you accept the model's assumption (see 'Why stop here' below).") in out, out
    assert "Note: The hypergeometric test" not in out
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    assert js["stop"] is True and js["confirmed"] is False and "does not confirm it yet" in js["advice"]


def test_excluding_the_rest_in_one_go_says_what_status_and_report_will_claim(stopped):
    """After the stop, 'label rest.csv --decision exclude' on the export of the records left made
    'status' say recall 100% (100%-100%) and the report "All 400 records were screened", with no
    word; the label command now says so, with the recall as estimated before the file."""
    p, _, tmp_path = stopped
    before = recall_status(p)["advice"].estimate
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(p.dir), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    r = runner.invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    k = recall_status(p)["n_total"] - before.n_screened
    assert f"has excluded all {k} records that were left" in out and "counts them as not screened" in out
    assert f"estimated recall was {100 * before.recall:.0f}% (95% interval {100 * before.recall_low:.0f}%–" in out


def test_excluding_the_rest_names_the_prisma_box_the_report_puts_them_in(tmp_path, toy_review):
    """The rest excluded unread before any stopping rule said stop: 'label' told the reviewer to report them
    as "PRISMA 2020: excluded by the stopping rule", a box PRISMA 2020 has not, for a rule that was not met.
    It now names the box the report and the dashboard count them in: records not screened."""
    csv = toy_review(tmp_path / "toy.csv", n=40, n_include=4)
    with Project.init(tmp_path / "review", settings={"embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        for rid in range(1, 11):
            p.decide(rid, "exclude")
    rest = tmp_path / "rest.csv"
    d = str(tmp_path / "review")
    assert runner.invoke(app, ["export", d, "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    r = runner.invoke(app, ["label", d, str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "has excluded all 30 records that were left" in out, out
    assert "stopping rule" not in out, out
    assert "(PRISMA 2020: records not screened)" in out, out
    r = runner.invoke(app, ["label", d, str(rest), "--decision", "exclude", "--all-read"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "stopping rule" not in out, out


def test_excluding_some_records_in_one_go_adds_no_note(stopped):
    p, truth, tmp_path = stopped
    left = [r for r in truth if r not in set(p.current_decisions().index)]
    f = tmp_path / "few.csv"
    pd.DataFrame({"record_id": left[:3]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(p.dir), str(f), "--decision", "exclude"])
    assert r.exit_code == 0 and "were left" not in r.output


def test_a_list_of_every_record_excluded_before_any_screening_adds_no_note(tmp_path, toy_review):
    """Nothing screened in screener before (another tool's list of its excludes): no stop to speak of."""
    csv = toy_review(tmp_path / "toy.csv")
    d = tmp_path / "review"
    with Project.init(d) as p:
        p.import_files([csv], column_map={"label": None})
    f = tmp_path / "all.csv"
    pd.DataFrame({"record_id": pd.read_csv(csv)["record_id"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(d), str(f), "--decision", "exclude"])
    assert r.exit_code == 0 and "0 left" in r.output and "were left" not in r.output


def test_a_random_start_with_no_include_yet_claims_no_recall(tmp_path, toy_review):
    """No protocol text, 25 records screened in the random order, none an include: the table read
    'model-based 100% (0%-100%), 0 includes left (0-25)' beside advice saying recall cannot be
    estimated yet. With no include found there is a bound on the includes left, no estimate."""
    import math

    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=4)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    session = ScreeningSession(p, embedding_model="none")
    b = session.next_batch(25, explain=False)
    assert session.last_rank_info["phase"] == "random"
    for rid in b["record_id"]:  # (whatever the toy's labels say: the reviewer's word is what counts)
        p.decide(int(rid), "exclude")
    st = recall_status(p)
    assert st["includes_found"] == 0 and not st["advice"].stop
    for name in ("score_sample", "hypergeometric"):
        e = st["estimates"][name]
        assert math.isnan(e.recall) and math.isnan(e.remaining), (name, e.recall, e.remaining)
        assert e.recall_low == 0.0 and e.remaining_high > 0  # the interval stays: any number may be left
    out = runner.invoke(app, ["status", str(tmp_path / "review")])
    row = next(line for line in out.output.splitlines() if "model-based" in line)
    assert out.exit_code == 0 and row.split("│")[2].strip() == "–", row  # no recall figure


@pytest.mark.parametrize("drawn", ["after the import", "before the import, labelled after it"])
def test_a_random_sample_drawn_around_an_update_search_still_vetoes_the_stop(tmp_path, toy_review, drawn):
    """A batch with the random sample drawn just after an update search was imported (or drawn
    before it and labelled after): no more studies were screened at its draw than before the
    import, so the draws since the import leave it out (it may have been drawn before), and the
    draws before the import left it out too (decided after it). Read by neither, the two includes
    it found among the records the ranking had passed vetoed nothing: "you can stop" at 10 of 11."""
    from screener.screening import ScreeningSession

    p, truth = _stopped_with_hidden_includes(tmp_path, toy_review)
    update = tmp_path / "update.csv"  # five records worded as the includes are, none of them one
    pd.DataFrame([{"title": f"Update study {i} of peer worker and harm reduction", "year": 2024,
                   "abstract": "Peer support and lived experience.", "doi": f"10.5555/update.{i}"}
                  for i in range(5)]).to_csv(update, index=False)
    if drawn == "after the import":
        p.import_files([update])
    b = ScreeningSession(p, embedding_model="none").next_batch(41, explain=False, sample=30)
    left = _hide_includes(p, truth, b)
    if drawn != "after the import":
        p.import_files([update])
    for rid in b["record_id"]:
        p.decide(int(rid), "include" if truth.get(int(rid)) else "exclude")
    new = set(int(r) for r in p.records_frame().index) - set(truth)
    if new - set(p.current_decisions().index):  # the update's records, ranked first, screened
        for rid in ScreeningSession(p, embedding_model="none").next_batch(len(new), explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth.get(int(rid)) else "exclude")
    st = recall_status(p)
    cur = p.current_decisions()
    assert new <= set(cur.index)
    hits = cur[cur["sampled"].astype(bool) & (cur["decision"] == "include")]
    assert len(hits) == 2 and st["includes_found"] == 10 and left not in cur.index
    assert not st["advice"].stop, st["advice"].message
    assert "found includes among the records there were then" in st["advice"].message


def test_a_ranked_review_with_no_include_found_yet_claims_no_recall_and_no_stop(tmp_path, toy_review):
    """A review ranked from its protocol, every record screened so far excluded (none found yet):
    the hypergeometric row read 'recall 100% (0%-100%), 0 includes left' at half the records, and
    'recall 100% (100%-100%), says stop: yes' near the end (the report and dashboard the same),
    beside advice that said recall cannot be estimated and to keep screening. With no include
    found there is no recall to claim: the bound on the includes left stays, no method says stop."""
    import math

    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=4)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        for left in (200, 15):
            while p.current_decisions().shape[0] < 400 - left:
                n = min(100, 400 - left - p.current_decisions().shape[0])
                for rid in ScreeningSession(p, embedding_model="none").next_batch(n, explain=False)["record_id"]:
                    p.decide(int(rid), "exclude")  # (the reviewer's word, whatever the toy's labels say)
            st = recall_status(p)
            assert st["includes_found"] == 0 and st["n_remaining"] == left and not st["advice"].stop
            assert "No includes found yet" in st["advice"].message
            for name, e in st["estimates"].items():
                assert not e.stop, (left, name, e)
                assert math.isnan(e.recall) and math.isnan(e.remaining), (left, name, e.recall, e.remaining)
                assert not (e.recall_low > 0), (left, name, e.recall_low)  # any include left: recall is 0
            out = runner.invoke(app, ["status", str(p.dir)]).output
            rows = [line for line in out.splitlines() if "hypergeometric" in line or "model-based" in line]
            assert rows and all("100%–" not in r and "│ yes" not in r and r.split("│")[2].strip() == "–"
                                for r in rows), out


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_batch_labelled_while_status_reads_gives_no_stop_from_both_states(tmp_path, toy_review, request, store):
    """A teammate labels a batch (its random-sample rows found two includes the ranking had passed
    over) while the status is being read, on the dashboard or by 'screener status': the decisions
    were read before the batch came in and the pending sample after it. Read in parts, the stop
    held by the sample's unscreened rows was let through and the sample's includes vetoed
    nothing: "you can stop" at 8 of 11 includes, a stop neither state of the review gave. The
    status is read from one state of the review."""
    from screener.screening import ScreeningSession

    database = request.getfixturevalue("pg_url") if store == "postgresql" else None
    p, truth = _stopped_with_hidden_includes(tmp_path, toy_review, database)
    b = ScreeningSession(p, embedding_model="none").next_batch(41, explain=False, sample=30)
    _hide_includes(p, truth, b)
    st = recall_status(p)
    assert not st["advice"].stop and "drawn into the random sample" in st["advice"].message
    teammate = Project.open(p.dir)
    read_pending = p._pending_sample

    def labelled_meanwhile():
        if not b["record_id"].isin(teammate.current_decisions().index).any():
            teammate.decide_many([Decision(record_id=int(r), decision="include" if truth[int(r)] else "exclude",
                                           reviewer="teammate") for r in b["record_id"]])
        return read_pending()

    p._pending_sample = labelled_meanwhile
    try:
        st = recall_status(p)
    finally:
        del p._pending_sample
    assert b["record_id"].isin(teammate.current_decisions().index).all()  # the batch did come in meanwhile
    assert not st["advice"].stop, st["advice"].message
    after = recall_status(p)  # and read once it is in: the sample's includes hold the stop
    assert not after["advice"].stop and after["includes_found"] == st["includes_found"] + 2
    teammate.close()
    p.close()


def test_known_relevant_records_named_in_the_protocol_are_no_rankings_evidence(tmp_path, toy_review):
    """The protocol's known relevant records come first because the team named them, not because
    the ranking found them. Read as the ranking's top, four named includes and a run of excludes
    gave "you can stop, recall 100% (80-100%)" at an 80% target, with 4 of the 8 includes left."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=4)
    df = pd.read_csv(csv)
    named = df.index[df["label_included"] == 1]
    topics = ["recovery coaching", "mutual aid groups", "housing first", "community outreach"]
    for k, i in enumerate(named):  # found by citation chasing: not worded as the protocol is
        df.loc[i, "title"] = f"Study {df.loc[i, 'record_id']} of {topics[k]} and {topics[(k + 1) % 4]}"
        df.loc[i, "abstract"] = f"We report {topics[k]} for people who use drugs."
    df.to_csv(csv, index=False)
    truth = dict(zip(df["record_id"], df["label_included"]))
    for rid in [r for r, t in truth.items() if not t][5::70][:4]:  # 4 includes worded as excludes
        truth[rid] = 1
    protocol = tmp_path / "protocol.toml"
    # (and a word some records hold: a protocol whose words no record holds is a random start)
    protocol.write_text(TOY_PROTOCOL + 'key_terms = ["blood pressure"]\n' + "known_relevant = ["
                        + ", ".join(f'"{d}"' for d in df.loc[named, "doi"]) + "]\n", encoding="utf-8")
    with Project.init(tmp_path / "review", protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
        for _ in range(3):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        st = recall_status(p, target_recall=0.8)
        assert st["includes_found"] == 4 and st["counts"].included == 4  # counted as screened and found
        e = st["estimates"][st["advice"].recommended]
        assert not st["advice"].stop and not any(x.stop for x in st["estimates"].values())
        assert e.remaining_high >= sum(truth.values()) - 4  # no interval that leaves out the 4 left
        assert "named in the protocol as known relevant" in st["advice"].message
        cur, _, duplicates = _current(p)
        unranked = set(cur.index[ranking_provenance(p, cur, duplicates).unranked])
        assert unranked == set(df.loc[named, "record_id"])  # the named ones, which came first


def test_a_cold_start_whose_protocol_names_every_include_says_why_a_rows_stop_is_not_the_advice(tmp_path, toy_review):
    """The protocol names all 3 includes, put first; 577 excludes screened from the rankings after them. The table's
    hypergeometric row said 'yes' (stop) while the advice said 'Not yet: ... no include among them: too few to
    estimate recall', and nothing said which to believe. The advice stays cautious (no method changes); its words
    now say why the row's stop is not the advice's."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=600, n_include=3)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    protocol = tmp_path / "protocol.toml"
    protocol.write_text(TOY_PROTOCOL + "known_relevant = [" + ", ".join(
        f'"{d}"' for d in df.loc[df["label_included"] == 1, "doi"]) + "]\n", encoding="utf-8")
    with Project.init(tmp_path / "review", protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
        for _ in range(59):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
            st = recall_status(p)
            if st["estimates"]["hypergeometric"].stop:
                break
        assert st["estimates"]["hypergeometric"].stop and not st["advice"].stop, st["advice"].message
    msg = " ".join(st["advice"].message.split())
    assert "too few to estimate recall" in msg, msg
    assert ("The hypergeometric test above says stop, on the excludes alone; the advice does not stop on it" in msg
            and "it follows the model-based estimate (recommended)" in msg), msg


def _worded_review(path, n, n_include, n_hard, seed=0):
    """A review whose includes are worded only partly as the protocol is, some excludes use its
    words, and ``n_hard`` includes use none of them (``tests/conftest.py``'s toy review is cleaner)."""
    import random

    inc = ["peer worker", "lived experience", "harm reduction", "qualitative interviews", "peer support",
           "peer navigator", "drug use services", "recovery coach"]
    exc = ["randomised trial", "pharmacokinetics", "mice", "blood pressure", "cohort mortality", "dosage",
           "survey prevalence", "hospital costs", "cardiac surgery", "imaging", "genetic markers", "vaccine"]
    rng = random.Random(seed)
    includes = set(rng.sample(range(n), n_include + n_hard))
    hard = set(rng.sample(sorted(includes), n_hard))
    rows = []
    for i in range(n):
        share = 0.0 if i in hard else 0.6 if i in includes else 0.08
        w = [rng.choice(inc) if rng.random() < share else rng.choice(exc) for _ in range(4)]
        rows.append({"record_id": i + 1, "title": f"Study {i + 1} of {w[0]} and {w[1]}",
                     "abstract": f"We report {w[0]}, {w[1]}, {w[2]} and {w[3]} in setting {rng.randint(1, 99)}.",
                     "authors": f"Author{i}, A; Other, B", "year": 2000 + i % 20, "doi": f"10.5555/toy.{i + 1}",
                     "label_included": int(i in includes)})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_a_mixed_queues_uncertain_and_random_picks_are_no_rankings_evidence(tmp_path):
    """The "mixed" query puts a record picked for the model's uncertainty or at random among the
    likeliest includes, about one in five. Read as the ranking's best (mostly excludes, they lengthen
    its run of excludes while the ranking itself moves on four records in five), the advice said
    "you can stop, recall 100% (93-100%)" at 39 of 44 includes (89%) after 430 of 1,000 records."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    csv = _worded_review(tmp_path / "review.csv", n=1000, n_include=40, n_hard=4)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        p.set_setting("query", "mixed")
        for _ in range(43):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        st = recall_status(p)
        assert st["includes_found"] == 39 and sum(truth.values()) == 44  # a true recall of 89%
        assert not st["advice"].stop and not st["estimates"]["score_sample"].stop
        assert "not made from screener's ranking (picked by the model's uncertainty or at random in a mixed queue, " \
               "as the query setting asks)" in st["advice"].message
        cur, _, duplicates = _current(p)
        unranked = ranking_provenance(p, cur, duplicates).unranked
        assert 0.1 < unranked.mean() < 0.3  # pick by pick: the likeliest-include picks are the ranking's


def test_a_mixed_reviews_cold_start_is_a_ranking_and_a_mixed_queue_stored_without_its_picks_is_none(
        tmp_path, toy_review):
    """Before the first include "mixed" ranks as "max" does: that batch is the ranking's evidence. A
    mixed queue stored before its picks were (an older screener) is read as "uncertainty" is."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=10)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        p.set_setting("query", "mixed")
        done = []
        for _ in range(5):
            session = ScreeningSession(p, embedding_model="none")
            batch = [int(r) for r in session.next_batch(10, explain=False)["record_id"]]
            done.append((session.last_rank_info["phase"], batch))
            for rid in batch:
                p.decide(rid, "include" if truth[rid] else "exclude")
        assert done[0][0] == "protocol" and done[-1][0] == "model"
        cur, _, duplicates = _current(p)
        unranked = set(cur.index[ranking_provenance(p, cur, duplicates).unranked])
        assert not unranked & set(done[0][1])  # ranked by the protocol: the ranking's evidence
        assert unranked and unranked < {r for phase, b in done if phase == "model" for r in b}
        with p.store.transaction():  # as an older screener stored them: no word on which picks
            for rid, text in p.store._conn.execute("SELECT ranking_id, settings FROM rankings").fetchall():
                settings = json.loads(text)
                if settings["phase"] == "model":
                    del settings["off_likelihood"]
                    p.store._conn.execute("UPDATE rankings SET settings = ? WHERE ranking_id = ?",
                                          (json.dumps(settings), rid))
        unranked = set(cur.index[ranking_provenance(p, cur, duplicates).unranked])
        assert unranked == {r for phase, b in done if phase == "model" for r in b}


def test_a_mixed_queue_kept_open_between_refits_is_read_as_the_queue_that_was_shown(tmp_path):
    """A terminal or web session kept open reshuffled the "mixed" queue after every decision but
    stored it only at each refit: later picks were matched against the older stored queue, so an
    uncertain or random pick that it had put near the top was read as the ranking's best (and a
    likeliest-include pick as none)."""
    from screener.screening import ScreeningSession
    from screener.status import _current, ranking_provenance

    csv = _worded_review(tmp_path / "review.csv", n=600, n_include=30, n_hard=3)
    truth = _truth(csv)
    off_picks, best_picks = set(), set()
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        p.set_setting("query", "mixed")
        session = ScreeningSession(p, embedding_model="none")  # one session, as the terminal keeps it
        for _ in range(260):
            ranking = session.skipped_first(session.ranking())
            rid = int(ranking["record_id"].iloc[0])
            r = session.prioritizer.last_ranking_
            off = set() if r.off_likelihood is None else set(session.record_ids[r.order[r.off_likelihood]].tolist())
            (off_picks if rid in off else best_picks).add(rid)
            p.decide(rid, "include" if truth[rid] else "exclude")
        cur, _, duplicates = _current(p)
        unranked = set(cur.index[ranking_provenance(p, cur, duplicates).unranked])
    assert len(off_picks) > 20 and len(best_picks) > 150
    assert not off_picks - unranked  # an uncertain or random pick is never the ranking's evidence
    assert len(best_picks & unranked) <= 0.05 * len(best_picks)


def _at_94_6_percent(monkeypatch):
    """'recall_status' as it reads a review whose model-based estimate is 35 includes found and about
    2 left: a recall of 94.6%, short of the 95% target."""
    from dataclasses import replace

    import screener.status as status_mod
    from screener.stopping import recommend

    real = status_mod.recall_status

    def reading(project, **kw):
        st = real(project, **kw)
        e = st["estimates"]["score_sample"]
        st["estimates"]["score_sample"] = replace(e, includes_found=35, remaining=2.0, remaining_low=0.4,
                                                  remaining_high=4.0, recall=35 / 37, recall_low=35 / 39,
                                                  recall_high=35 / 35.4, stop=False)
        st["advice"] = recommend(st["history"], {"score_sample": st["estimates"]["score_sample"]},
                                 target_recall=st["target_recall"], confidence=st["confidence"])
        return st

    monkeypatch.setattr(status_mod, "recall_status", reading)


def test_status_and_report_show_a_recall_short_of_the_target_as_short_of_it(decided, monkeypatch, tmp_path):
    """A recall of 94.6% read '95%' in 'screener status' and the report, beside 'keep screening' at a
    95% target: a figure below the target never reads as the target, alike in every front end."""
    d, _ = decided
    _at_94_6_percent(monkeypatch)
    r = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "model-based" in line)
    assert "94.6%" in row and "90%–99%" in row and "95%" not in row
    assert "Estimated recall 94.6% (95% interval 90%–99%)" in _said(r.output)
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["report", str(d), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert re.search(r'id="card-recall">94\.6%<', html), re.findall(r'id="card-recall">[^<]*<', html)
    methods = " ".join(html.split())
    assert "Recall is currently estimated at 94.6% (95% interval 90% to 99%) by the" in methods
    assert '<td class="num">94.6%</td>' in html and '<td class="num">95%</td>' not in html


def test_the_note_on_decisions_not_made_from_the_ranking_names_only_the_causes_this_review_has(tmp_path, toy_review):
    """The note listed every cause there is (imported with the records, another tool, the random
    order, the uncertainty query, a mixed queue's picks, the protocol's known relevant records) for
    a review with two of them: excludes read in with 'screener label' before any ranking, and the
    records the protocol names as known relevant. It names those two, with how many of each."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=6)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    named = df.loc[df["label_included"] == 1, "doi"].iloc[:2]
    protocol = tmp_path / "protocol.toml"
    protocol.write_text(TOY_PROTOCOL + "known_relevant = [" + ", ".join(f'"{d}"' for d in named) + "]\n",
                        encoding="utf-8")
    earlier = tmp_path / "excluded_in_rayyan.csv"
    pd.DataFrame({"record_id": [r for r, t in truth.items() if not t][-10:], "decision": "exclude"}).to_csv(
        earlier, index=False)
    with Project.init(tmp_path / "review", protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
    d = str(tmp_path / "review")
    assert runner.invoke(app, ["label", d, str(earlier)]).exit_code == 0
    with Project.open(d) as p:
        for _ in range(3):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        msg = recall_status(p)["advice"].message
    assert ("12 of the 40 decisions were not made from screener's ranking (10 read in with 'screener label' before "
            "screener had ranked the records, 2 named in the protocol as known relevant)") in msg
    for cause in ("imported with the records", "random order", "uncertainty", "mixed", "far below the top"):
        assert cause not in msg


def test_a_mixed_queue_redrawn_after_an_undo_at_a_refit_is_stored_as_shown(tmp_path):
    """A decision that set off a refit, undone: the record is not in that refit's stored queue, so
    "mixed" draws its picks again, and that queue, shown until the next refit, was never stored; the
    recall estimate read the screening against other picks. It is stored now, as shown."""
    from screener.screening import ScreeningSession

    csv = _worded_review(tmp_path / "review.csv", n=400, n_include=20, n_hard=2)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        p.set_setting("query", "mixed")
        s = ScreeningSession(p, embedding_model="none")
        for _ in range(200):
            rid = int(s.ranking()["record_id"].iloc[0])
            p.decide(rid, "include" if truth[rid] else "exclude")
            before = p.store.latest_ranking_id()
            s.ranking()
            if s.last_rank_info["refitted"] and s.last_rank_info["n_labelled"] > 110:
                break
        assert s.last_rank_info["refitted"]
        p.undo(rid)  # the decision the refit learned from: its record is not in the refit's queue
        stored = p.store.latest_ranking_id()
        assert stored != before
        shown = s.ranking(refit=False)
        assert not s.last_rank_info["refitted"] and rid in set(shown["record_id"])
        assert p.store.latest_ranking_id() != stored  # the queue drawn again is stored as shown
        order = p.store.ranking_order(p.store.latest_ranking_id())
        assert list(order[:50]) == [int(r) for r in shown["record_id"][:50]]


def test_a_random_starts_advice_speaks_of_a_random_order_not_of_a_ranking(tmp_path):
    """Without protocol text the first batch comes in a random order; its figures are read as a
    random sample's, but the advice's words said "before that the ranking found 1 include in 36
    records. The estimate leans on one assumption: the ranking keeps putting includes first" and
    "the curve it reads is short", of records no ranking had placed."""
    from screener.screening import ScreeningSession

    csv = _worded_review(tmp_path / "review.csv", n=400, n_include=20, n_hard=2)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    while not recall_status(p)["includes_found"]:
        session = ScreeningSession(p, embedding_model="none")
        b = session.next_batch(25, explain=False)
        assert session.last_rank_info["phase"] == "random"
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    msg = st["advice"].message
    assert "read as a random sample" in st["estimates"]["score_sample"].note and not st["advice"].stop
    assert "the ranking" not in msg and "curve" not in msg
    assert "random order" in msg


def test_a_random_starts_notes_give_no_second_figure_read_as_a_ranking(tmp_path):
    """The random start's figures are a random sample's ("about 7 includes still unscreened (0-39)"),
    but the note under them went on with the estimator's reading as a ranking's top: "about 4.0
    includes left ... its upper end is the hypergeometric test's", a second figure for the same
    thing, from an order that was no ranking."""
    from screener.screening import ScreeningSession

    csv = _worded_review(tmp_path / "review.csv", n=400, n_include=20, n_hard=2)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    while not recall_status(p)["includes_found"]:
        for rid in ScreeningSession(p, embedding_model="none").next_batch(25, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    for name in ("score_sample", "hypergeometric"):
        note = st["estimates"][name].note
        assert note.startswith("read as a random sample")
        assert "includes left" not in note and "ranking positions" not in note and "curve" not in note
    assert not any("includes left" in w for w in st["advice"].warnings)


def test_the_rest_excluded_in_one_go_at_the_stop_is_counted_as_not_screened(stopped):
    """'label rest.csv --decision exclude' on the records left at the stop made 'status' say "400 of
    400 records screened" and "Every record has been screened: nothing is left to find", the report
    "All 400 records were screened" and the PRISMA flow no record not screened: those records were
    excluded unread. Status, the report and PRISMA now count them as excluded unscreened at the stop,
    with the recall estimated there."""
    from screener.report import report_context

    p, _, tmp_path = stopped
    at_stop = recall_status(p)
    screened, left = at_stop["n_screened"], at_stop["n_remaining"]
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(p.dir), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    r = runner.invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    assert f"{left} excluded without screening when screening stopped" in " ".join(r.output.split())
    st = recall_status(p)
    c = st["counts"]
    assert (c.screened, c.excluded_unscreened, c.left) == (screened, left, 0)
    assert c.describe().startswith(f"{screened} of 400 records screened (8 includes, 0 maybe, {screened - 8} excludes)"
                                   f", {left} excluded without screening when screening stopped")
    # the estimate is the one at the stop, not "recall 100%, nothing left to find"
    assert st["n_remaining"] == left and st["advice"].estimate.recall_low == at_stop["advice"].estimate.recall_low
    assert "Every record has been screened" not in st["advice"].message
    assert st["advice"].message.startswith(f"Screening stopped with {left} records left")
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert f"{screened} of 400 records screened" in out and "Every record has been screened" not in out
    prisma = p.prisma_counts()
    assert (prisma["screened"], prisma["not_screened"], prisma["excluded_unscreened"]) == (screened, left, left)
    assert prisma["excluded"] == screened - 8
    ctx = report_context(p)
    assert ctx["p"]["not_screened"] == left and ctx["stopped"]
    assert not any("All 400 records were screened" in para for para in ctx.get("methods", []) if isinstance(para, str))
    # a record screened after all (its decision entered again from a batch) counts as screened
    one = int(pd.read_csv(rest)["record_id"].iloc[0])
    p.decide(one, "include")
    assert screening_counts(p).excluded_unscreened == left - 1


def test_a_random_starts_advice_quotes_no_records_to_go_read_from_the_random_order(tmp_path):
    """'screener next --sample 25' before any ranking (no protocol text): the first batch came in a
    random order, and the advice went on "To claim 95% recall, screen about 375 more records ... The
    hypergeometric test, which assumes less, would need about 356 more", figures read from that order
    as if it were a ranking's best, before screener had ranked anything. It now says that the records
    still needed are read from the ranking the next batch starts (the figures themselves are kept)."""
    from screener.screening import ScreeningSession

    csv = _worded_review(tmp_path / "review.csv", n=400, n_include=10, n_hard=2)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    while not recall_status(p)["includes_found"]:
        session = ScreeningSession(p, embedding_model="none")
        b = session.next_batch(25, explain=False, sample=25)
        assert session.last_rank_info["phase"] == "random"
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    a, hg = st["advice"], st["estimates"]["hypergeometric"]
    assert hg.needs and a.more_records  # the methods' own figures are as they were
    assert f"about {hg.needs} more" not in a.message and f"about {a.more_records} more" not in a.message
    assert "assumes less" not in a.message
    assert "from the next batch on" in a.message and "random order" in a.message
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert f"would need about {hg.needs} more" not in out and "from the next batch on" in out


def test_excluding_the_rest_row_by_row_says_what_status_and_report_will_claim(stopped):
    """After the stop, the export of the records left with 'exclude' filled down its decision column
    (or a Rayyan export where the rest were excluded there) and read back with 'label' made 'status'
    say recall 100% and the report "All 400 records were screened", with no word: the note came only
    with --decision exclude. It now comes whenever one file excludes every record left."""
    p, _, tmp_path = stopped
    before = recall_status(p)["advice"].estimate
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(p.dir), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    rows = pd.read_csv(rest)
    rows.assign(decision="exclude").to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(p.dir), str(rest)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    k = recall_status(p)["n_total"] - before.n_screened
    assert f"Note: rest.csv has excluded all {k} records that were left" in out, out
    assert "counts them as excluded without screening at the stop" in out and f"{rest} --all-read)" in out, out
    assert f"estimated recall was {100 * before.recall:.0f}% (95% interval {100 * before.recall_low:.0f}%–" in out


def test_exclude_typed_on_each_row_of_the_records_left_is_no_screening_until_labelled_again(tmp_path, toy_review):
    """50 of 400 records screened from the ranking (estimated recall 53%, 'Not yet'), then the export of the 350
    records left with 'exclude' typed down its decision column, read with 'label': they counted as screened, and
    status said "400 of 400 records screened ... Every record has been screened: nothing is left to find",
    recall 100% and 'yes' from every method (a false stop). Such a file cannot tell records read from records
    left unread: they count as excluded unscreened at the stop, as with --decision exclude, until the same file
    is labelled again (the reviewer's word that they read them)."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    truth = _truth(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        for _ in range(5):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        at_stop = recall_status(p)
        assert not at_stop["advice"].stop and at_stop["n_screened"] == 50
    d = str(tmp_path / "review")
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", d, "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    pd.read_csv(rest).assign(decision="exclude").to_csv(rest, index=False)
    assert runner.invoke(app, ["label", d, str(rest)]).exit_code == 0
    with Project.open(d) as p:
        c, st = screening_counts(p), recall_status(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (50, 350, 0)
        assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
        assert st["advice"].message.startswith("Screening stopped with 350 records left, excluded without screening")
        # no '--decision exclude' was run: the file, its column filled in already, is labelled with --all-read
        assert "--decision exclude" not in st["advice"].message and "--decision exclude" not in c.describe()
        assert "given again, count as screened with 'screener label --all-read'" in st["advice"].message
        assert p.prisma_counts()["not_screened"] == 350
    # the same file labelled again says nothing of reading
    assert runner.invoke(app, ["label", d, str(rest)]).exit_code == 0
    with Project.open(d) as p:
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (50, 350, 0)
    # the reviewer read every one, and says so
    assert runner.invoke(app, ["label", d, str(rest), "--all-read"]).exit_code == 0
    with Project.open(d) as p:
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (400, 0, 0)


def test_screening_the_last_batch_all_excludes_adds_no_note(stopped):
    """A batch of 'screener next' holding every record left, each excluded, was put before the reviewer:
    screening to the end is no bulk exclusion of the rest, and gets no note on it."""
    p, _, tmp_path = stopped
    batch = tmp_path / "last.csv"
    assert runner.invoke(app, ["next", str(p.dir), "-n", "400", "-o", str(batch)]).exit_code == 0
    pd.read_csv(batch).assign(decision="exclude").to_csv(batch, index=False)
    r = runner.invoke(app, ["label", str(p.dir), str(batch)])
    assert r.exit_code == 0 and recall_status(p)["n_remaining"] == 0, r.output
    assert "were left" not in r.output

@pytest.mark.parametrize("early", [False, True])
def test_advice_after_the_rest_was_excluded_says_no_batch_is_left(stopped, early):
    """After 'label rest.csv --decision exclude' at the stop (or before the rule said stop), status
    still advised from the review at the stop: 'screen the 250 records left', or a random sample
    that 'screener next' mixes into the batches, with nothing left for 'next' to give. It now says
    the recall at the stop is the one to report, and how the records excluded unread would be screened."""
    p, truth, tmp_path = stopped
    if early:  # the last 60 decisions undone: the rule had not said stop yet
        for rid in list(p.current_decisions().index)[-60:]:
            p.undo(int(rid))
        assert not recall_status(p)["advice"].stop
    rest = exclude_the_rest_unread(p.dir, tmp_path)
    st = recall_status(p)
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    k = st["counts"].excluded_unscreened
    for said in (st["advice"].message, out):
        assert f"Screening stopped with {k} records left, excluded without screening" in said
        assert f"At the stop: Estimated recall" in said
        assert ("said you could stop" in said) != early and ("before the stopping rule was met" in said) == early
        assert "No record is left for 'screener next' to give" in said
        assert "fill in the decision column of 'rest.csv' and read it back with 'screener label'" in said
        for stale in ("next batch", "mixes it into the batches", "records left or keep going", "screen about",
                      "random sample of about"):
            assert stale not in said, stale


def test_a_search_update_after_the_rest_was_excluded_is_left_to_screen_and_keeps_the_reading_at_the_stop(stopped):
    """After the stop and 'label rest.csv --decision exclude', a search update of 3 records was imported:
    'status' said "No record is left for 'screener next' to give" with the 3 waiting, and once they were
    screened the reading at the stop fell from "recall 100% (89%-100%) ... The stopping rule said you could
    stop" to "recall unknown (3%-100%) ... Screening stopped before the stopping rule was met", the 250
    excluded at the stop read as never ranked (the ranking of the update did not hold them)."""
    from screener.screening import ScreeningSession

    p, _, tmp_path = stopped
    exclude_the_rest_unread(p.dir, tmp_path)
    at_stop = recall_status(p)
    k = at_stop["counts"].excluded_unscreened
    assert at_stop["advice"].stop and "said you could stop" in at_stop["advice"].message
    new = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Update study {i} of blood pressure and dosage", "abstract": "Mice and hospital costs.",
                   "doi": f"10.5555/update.{i}", "year": 2024} for i in range(3)]).to_csv(new, index=False)
    p.import_files([new])
    st = recall_status(p)
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    for said in (st["advice"].message, out):
        assert "No record is left for 'screener next' to give" not in said and "Screening stopped with" not in said
        # 'status' says it before its table, once
        assert ("Not yet: 3 of the records still to screen" if said is not out else
                "Not yet: rank the records above and screen the top of the new ranking first.") in said, said
        assert f"Besides the 3 records left to screen, {k} records were excluded without screening" in said
    b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)
    assert sorted(b["record_id"]) == [401, 402, 403]
    for rid in b["record_id"]:
        p.decide(int(rid), "exclude")
    st = recall_status(p)
    e, e0 = st["advice"].estimate, at_stop["advice"].estimate
    assert st["counts"].left == 0 and st["advice"].message.startswith(f"Screening stopped with {k} records left")
    assert "The stopping rule said you could stop" in st["advice"].message
    assert (e.recall_low, e.remaining_high) == (e0.recall_low, e0.remaining_high)


def test_after_the_rest_was_excluded_no_note_quotes_records_the_hypergeometric_test_would_need(stopped):
    """After the stop and 'label rest.csv --decision exclude', 'status' (and the report and dashboard, which
    print the same notes) still said "Note: The hypergeometric test, which assumes less, does not confirm this
    yet (it would need about 233 more records)", with no record left to screen. The stop's verdict now says it
    did not confirm it, with no records to go."""
    from screener.report import stopping_summary

    p, _, tmp_path = stopped
    at_stop = recall_status(p)
    hg = at_stop["estimates"]["hypergeometric"]
    assert at_stop["advice"].stop and not hg.stop and hg.needs
    exclude_the_rest_unread(p.dir, tmp_path)
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    report = " ".join(stopping_summary(p).details)
    for said in (out, report):
        assert "would need" not in said and f"about {hg.needs} more" not in said and "does not confirm" not in said
        # (the interval's lower end under the target: which is two-sided and which one-sided, between them)
        assert re.search(r"The stopping rule said you could stop; the hypergeometric test, which assumes less, did "
                         r"not confirm it\. (The interval is two-sided: .*? does not contradict it\. )?No record is "
                         r"left", said), said


def test_the_records_waiting_in_dual_screening_name_only_what_waits():
    """'0 records wait for the reviewers to agree ...; 0 were screened by only one of the two reviewers'
    said nothing a reviewer could act on: a part with no record is left out."""
    assert DualProgress(conflicts=2, one_reviewer=0).describe() == (
        "2 records wait for the reviewers to agree (conflicts: the reviewers' decisions differ)")
    assert DualProgress(conflicts=0, one_reviewer=1).describe() == (
        "1 record was screened by only one of the two reviewers so far")
    assert DualProgress(conflicts=1, one_reviewer=3).describe() == (  # 4 as the PRISMA box counts them
        "4 records wait for the reviewers to agree, of them 1 conflict (the reviewers' decisions differ) and 3 "
        "screened by only one of the two reviewers so far")


def test_an_include_found_among_the_rest_after_the_stop_keeps_the_reading_at_the_stop_and_is_named(stopped):
    """At the stop 'status' said "The stopping rule said you could stop" and the rest was excluded unscreened;
    later one record of that rest was read and labelled 'include'. Status then read the stop again with that
    include among the records screened, placed after the run of excludes the stop rested on, and said "At the
    stop: ... Screening stopped before the stopping rule was met", with figures the stop never had, and no word
    that an include had turned up among the records excluded unscreened. The reading at the stop stays as it
    was; the include counts as found, and the advice says plainly that the stop had missed it."""
    p, _, tmp_path = stopped
    rest = exclude_the_rest_unread(p.dir, tmp_path)
    at_stop = recall_status(p)
    k, screened = at_stop["counts"].excluded_unscreened, at_stop["counts"].screened
    assert "said you could stop" in at_stop["advice"].message
    one = int(pd.read_csv(rest)["record_id"].iloc[0])
    found = tmp_path / "found.csv"
    found.write_text(f"record_id,decision\n{one},include\n")
    assert runner.invoke(app, ["label", str(p.dir), str(found)]).exit_code == 0
    st = recall_status(p)
    c = st["counts"]
    assert (c.screened, c.included, c.excluded_unscreened, c.left) == (screened + 1, 9, k - 1, 0)
    assert p.prisma_counts()["not_screened"] == k - 1
    e, e0 = st["advice"].estimate, at_stop["advice"].estimate
    assert (e.recall, e.recall_low, e.recall_high) == (e0.recall, e0.recall_low, e0.recall_high)
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    for said in (st["advice"].message, out):
        assert f"Screening stopped with {k} records left, excluded without screening" in said, said
        assert "said you could stop" in said and "before the stopping rule was met" not in said, said
        assert f"Since the stop, 1 include was found among them (record {one}): the stop had missed it, so recall " \
               "at the stop was at most 89% (8 of at least 9 found)" in said, said
        assert f"PRISMA counts the {k - 1} records still excluded without screening as not screened" in said, said


def test_after_the_rest_was_excluded_the_advice_counts_only_the_records_left_to_screen(stopped):
    """After 'label rest.csv --decision exclude' at the stop, a search update brought 60 records and 10 of them
    were screened: the advice said "screen a random sample of about 286 of the records left ('screener next'
    mixes it into the batches)" (or "screen about N more") with 50 records left to screen, counting the records
    excluded unscreened at the stop among those left, though 'screener next' cannot give them, and 'next' mixed
    such a sample into its batches. The advice counts only the records left to screen now."""
    import re

    from screener.screening import ScreeningSession
    from screener.status import advised_sample

    p, _, tmp_path = stopped
    exclude_the_rest_unread(p.dir, tmp_path)
    new = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Update study {i} of blood pressure and dosage", "abstract": "Mice and hospital costs.",
                   "doi": f"10.5555/update.{i}", "year": 2024} for i in range(60)]).to_csv(new, index=False)
    p.import_files([new])
    b = ScreeningSession(p, embedding_model="none").next_batch(10, explain=False, sample=0)
    for rid in b["record_id"]:
        p.decide(int(rid), "exclude")
    st = recall_status(p)
    assert st["counts"].left == 50
    assert advised_sample(p, 50, st) == 0  # no sample of the 50 can stand for the 250 excluded as well
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    for said in (st["advice"].message, out):
        assert "Besides the 50 records left to screen" in said, said
        for n in re.findall(r"(\d+) (?:more|of the records left|records left)\b", said):
            assert int(n) <= 50, f"{n}: {said}"


def _exclude_the_rest(p, tmp_path, first_read: int = 0) -> None:
    """Every record left exported and excluded unread at the stop: the rest. ``first_read``: records 1 to
    that many read in with 'label' first (the first an include, the others excludes)."""
    if first_read:
        first = tmp_path / "first.csv"
        pd.DataFrame({"record_id": range(1, first_read + 1),
                      "decision": ["include"] + ["exclude"] * (first_read - 1)}).to_csv(first, index=False)
        assert runner.invoke(app, ["label", str(p.dir), str(first)]).exit_code == 0
    exclude_the_rest_unread(p.dir, tmp_path)


def _read_in_true_decisions(p, tmp_path, df: pd.DataFrame, n: int) -> None:
    """The first ``n`` records of the toy review read in with 'label', each with its true decision."""
    first = tmp_path / "first.csv"
    decisions = ["include" if x else "exclude" for x in df["label_included"][:n]]
    pd.DataFrame({"record_id": df["record_id"][:n], "decision": decisions}).to_csv(first, index=False)
    assert runner.invoke(app, ["label", str(p.dir), str(first)]).exit_code == 0


def _search_update(p, tmp_path, n: int) -> None:
    """A search update of ``n`` records that are no include of the toy review's."""
    update = tmp_path / "update.csv"
    pd.DataFrame({"title": [f"Needle exchange uptake in town {k}" for k in range(n)],
                  "abstract": [f"a survey of pharmacies, wave {k}" for k in range(n)],
                  "year": [2024] * n}).to_csv(update, index=False)
    p.import_files([update])


def test_a_sample_larger_than_the_records_left_to_screen_is_not_offered_before_any_ranking(tmp_path, toy_review):
    """Decisions read in with 'label' before any ranking, the rest excluded at the stop, then a search update of
    5 records: the advice said "A random sample of about 43 of the records left can also certify recall on its
    own ('screener next' mixes it into the batches)" with 5 records left to screen ('next' mixes in none). No
    sample larger than the records left to screen is offered."""
    csv = toy_review(tmp_path / "toy.csv")
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        _exclude_the_rest(p, tmp_path, first_read=20)
        _search_update(p, tmp_path, 5)
        st = recall_status(p)
        assert st["counts"].left == 5 and st["advice"].sample_records > 5
        said = st["advice"].message
        assert said.startswith("Not yet:") and "Besides the 5 records left to screen" in said, said
        assert "random sample" not in said, said


def test_a_rest_record_relabelled_by_one_dual_reviewer_waits_as_a_conflict_not_to_be_screened(tmp_path, toy_review):
    """Dual screening: both reviewers excluded the rest at the stop; then ann read one of those records and
    labelled it 'include', a conflict with bob's rest exclude. Status said '1 left' and "Besides the 1 record
    left to screen, 39 records were excluded unscreened", though nothing waited to be screened: the conflict
    waits for the owner to settle it. The words now say so."""
    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as dual:
        dual.import_files([csv])
        first = first_20_file(tmp_path)
        for who in ("ann", "bob"):
            assert runner.invoke(app, ["label", str(dual.dir), str(first), "--reviewer", who]).exit_code == 0
            r = runner.invoke(app, ["next", str(dual.dir), "-n", "40", "-o", str(tmp_path / f"{who}_rest.csv"),
                                    "--reviewer", who, "--embedding-model", "none"])
            assert r.exit_code == 0, r.output
            r = runner.invoke(app, ["label", str(dual.dir), str(tmp_path / f"{who}_rest.csv"), "--reviewer", who,
                                    "--decision", "exclude"])
            assert r.exit_code == 0, r.output
        one = int(pd.read_csv(tmp_path / "ann_rest.csv")["record_id"].iloc[0])
        found = tmp_path / "found.csv"
        found.write_text(f"record_id,decision\n{one},include\n")
        assert runner.invoke(app, ["label", str(dual.dir), str(found), "--reviewer", "ann"]).exit_code == 0
        st = recall_status(dual)
    assert (st["counts"].left, st["dual"].conflicts) == (1, 1)
    out = " ".join(runner.invoke(app, ["status", "--team", str(tmp_path / "dual")]).output.split())
    assert ("the records left, unread), none left to screen and 1 conflict waiting to be settled; a maybe "
            "counts") in out, out
    assert "1 left" not in out and "left to screen, 39" not in out, out
    assert ("(Besides the 1 conflict waiting to be settled, 39 records were excluded without screening when screening "
            "stopped earlier") in st["advice"].message, st["advice"].message
    assert Counts(records=10, screened=4, included=1, maybe=0, excluded=3).describe(conflicts=2) == (
        "4 of 10 records screened (1 include, 0 maybe, 3 excludes), 4 left to screen and 2 conflicts waiting to be "
        "settled")


def test_a_random_sample_drawn_after_the_rest_was_excluded_certifies_no_stop(tmp_path, toy_review):
    """The rest (40 records, 5 of the 6 includes among them) excluded unread at the stop, then a search update
    of 100 records and 'screener next --sample 98' on it, all excludes: the sample came from the update only
    ('next' cannot give the rest), but was read as a uniform sample of every unscreened record, and status said
    "The random sample certifies at least 95% recall with 95% confidence (QBCB): you can stop", QBCB recall 100%
    (100%-100%). Such a draw certifies nothing about the rest now: no stop, no recall 100%; the report agrees.
    (The includes such a draw finds still bound those left from below: its word against a stop stands.)"""
    from screener.report import report_context
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv")
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        _exclude_the_rest(p, tmp_path, first_read=20)
        _search_update(p, tmp_path, 100)
        b = ScreeningSession(p, embedding_model="none").next_batch(98, explain=False, sample=98)
        assert int(b["sampled"].sum()) == 98
        for rid in b["record_id"]:
            p.decide(int(rid), "exclude")
        st = recall_status(p)
        assert st["counts"].excluded_unscreened == 40 and st["counts"].left == 2
        qbcb = st["estimates"]["qbcb"]
        assert not qbcb.stop and not qbcb.recall == 1.0, qbcb
        assert not st["advice"].stop and "you can stop" not in st["advice"].message, st["advice"].message
        out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
        assert "you can stop" not in out, out
        assert "certifies no recall" in qbcb.note and "is certified" not in qbcb.note, qbcb.note
        assert not report_context(p)["stopped"]  # the report reads the review at the stop the same way


def test_no_random_sample_is_mixed_in_while_records_excluded_at_the_stop_stay_unread(tmp_path, toy_review):
    """57 records screened (the 6 includes found), the 3 left excluded unread at the stop, then a search update
    of 200 records: status said "A random sample of about 193 of the records left can also certify recall on
    its own ('screener next' mixes it into the batches)" and 'next' mixed 10 into a batch of 50, though a draw
    from the update alone says nothing of the 3 excluded unread and certifies nothing. None is offered now."""
    from screener.status import advised_sample

    csv = toy_review(tmp_path / "toy.csv")
    df = pd.read_csv(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        _read_in_true_decisions(p, tmp_path, df, 57)
        _exclude_the_rest(p, tmp_path)
        _search_update(p, tmp_path, 200)
        st = recall_status(p)
        assert st["counts"].excluded_unscreened == 3 and st["counts"].left == 200
        assert advised_sample(p, 50, st) == 0
        out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
        for said in (st["advice"].message, out):
            assert "mixes it into the batches" not in said and "can also certify recall" not in said, said


def test_a_random_sample_drawn_after_the_rest_was_excluded_still_holds_a_stop_back(tmp_path, toy_review):
    """A ranked screening of 100 of 200 records stopped, the rest excluded unread; a search update of 100 records
    and 'screener next --sample 40' on it found 3 includes. Such a draw certifies nothing of the rest, but it is
    still a random sample: its includes bound those left from below, and its records are no records passed
    over below a ranking's top ("11 records that a ranking put before records you screened ... screen them
    first" was said of the update's records when the draw was read as taken from the ranking)."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=10)
    truth = pd.read_csv(csv).set_index("record_id")["label_included"].to_dict()
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        p.settings["protocol_text"] = "peer worker lived experience harm reduction"
        s = ScreeningSession(p, embedding_model="none")
        for _ in range(10):
            for rid in s.next_batch(10, explain=False, sample=0)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        _exclude_the_rest(p, tmp_path)
        update = tmp_path / "update.csv"
        pd.DataFrame({"title": [f"Peer worker support number {k}" if k < 10 else f"Needle exchange uptake in town {k}"
                                for k in range(100)],
                      "abstract": [f"lived experience harm reduction {k}" if k < 10 else f"a survey of pharmacies {k}"
                                   for k in range(100)], "year": [2024] * 100}).to_csv(update, index=False)
        p.import_files([update])
        b = ScreeningSession(p, embedding_model="none").next_batch(40, explain=False, sample=40)
        for rid, title in zip(b["record_id"], b["title"]):
            p.decide(int(rid), "include" if title.startswith("Peer") else "exclude")
        assert sum(t.startswith("Peer") for t in b["title"]) == 3
        st = recall_status(p)
        qbcb = st["estimates"]["qbcb"]
        assert not qbcb.stop and qbcb.remaining_low >= 1, qbcb
        assert not st["advice"].stop
        assert "a ranking put before records screened" not in st["advice"].message, st["advice"].message


def test_records_drawn_into_the_sample_and_excluded_unread_with_the_rest_certify_no_stop(tmp_path, toy_review):
    """A random sample of 340 of the 350 records left, 3 of its records left blank (includes, as it turns out),
    then the rest excluded unread at the stop: before the exclude, status held the stop ('3 records drawn into
    the random sample ... are not screened yet'); after it, the sample was read without them, 337 draws with no
    include, and status said 'The stopping rule said you could stop' (QBCB certified at least 95% recall) with 3
    of the 11 includes never screened. The draws excluded unread now certify nothing and hold the stop."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        for k in range(40):  # 5 batches at least, the last from the model (past the random start)
            session = ScreeningSession(p, embedding_model="none")
            for rid in session.next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
            if k >= 4 and session.last_rank_info["phase"] == "model":
                break
        left = 400 - len(p.current_decisions())
        batch = ScreeningSession(p, embedding_model="none").next_batch(left - 10, explain=False, sample=left - 10)
        drawn = [int(r) for r in batch["record_id"]]
        blank = [r for r in drawn if not truth[r]][:3]  # the hard ones, left blank: includes
        for rid in drawn:
            if rid not in blank:
                p.decide(rid, "include" if truth[rid] else "exclude")
        assert "drawn into the random sample for the recall check are not screened yet" in recall_status(p)[
            "advice"].message
        _exclude_the_rest(p, tmp_path)
        st = recall_status(p)
        q = st["estimates"]["qbcb"]
        assert st["includes_found"] == 8 and not st["advice"].stop and not q.stop
        assert "certified" not in q.note and "excluded without screening at the stop" in q.note
        assert all(str(r) in q.note for r in blank)
        assert "Screening stopped before the stopping rule was met." in st["advice"].message



def _drawn_from_her_queue(s, n: int) -> list[int]:
    """A draw of ``n`` as 'next --sample' made them before it waited for the team, from the records the session's
    reviewer had not screened herself (same random draw): projects screened before hold such draws."""
    from screener.stopping.sampling import draw_sample

    s.ranking()
    pool = s._ranking  # her queue less the studies the team has settled
    rng = np.random.default_rng([s.seed, len(s.project.decision_log())])
    idx, probs = draw_sample(np.arange(len(pool)), n, rng=rng)
    ids = pool["record_id"].to_numpy()[np.asarray(idx)].astype(int).tolist()
    s.project.remember_sample(dict(zip(ids, np.asarray(probs, dtype=float))))
    return ids

def test_a_dual_sample_drawn_from_a_search_update_after_the_rest_was_excluded_with_conflicts_open_certifies_nothing(
        tmp_path, toy_review):
    """Dual screening: 112 of 120 records screened by both, 20 of them conflicts still open, the 8 left (4 of the
    30 includes) excluded unread by each reviewer, then a search update of 300 records and 'next --sample 320': the
    draw, made when the team had 100 studies decided (fewer than the 112 with a decision before the rest's
    exclude), was read as made before the stop, a uniform sample of every unscreened record, the rest among
    them. All 300 excludes, conflicts settled: 'The stopping rule said you could stop' (QBCB at least 95% recall)
    at a true 87%. A draw first decided after the rest was excluded is a draw made after the stop."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=30)
    truth = _truth(csv)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        rest = [r for r in truth if truth[r]][-4:] + [r for r in truth if not truth[r]][-4:]
        conflicts = [r for r in truth if not truth[r]][:20]
        for rid in (r for r in truth if r not in rest):
            p.decide(rid, "include" if truth[rid] else "exclude", reviewer="ana")
            p.decide(rid, "include" if truth[rid] or rid in conflicts else "exclude", reviewer="ben")
        for who in ("ana", "ben"):
            pd.DataFrame({"record_id": rest}).to_csv(tmp_path / f"{who}_rest.csv", index=False)
            assert runner.invoke(app, ["label", str(p.dir), str(tmp_path / f"{who}_rest.csv"), "--reviewer", who,
                                       "--decision", "exclude"]).exit_code == 0
        _search_update(p, tmp_path, 300)
        drawn = _drawn_from_her_queue(ScreeningSession(p, embedding_model="none", reviewer="ana"), 320)
        assert len(drawn) == 300
        for rid in drawn:
            for who in ("ana", "ben"):
                p.decide(int(rid), "exclude", reviewer=who)
        for rid in conflicts:
            p.decide(rid, "exclude", reviewer="owner", role="resolver")
        st = recall_status(p)
        q = st["estimates"]["qbcb"]
        assert st["includes_found"] == 26 and not st["advice"].stop and not q.stop
        assert "drawn after the rest was excluded without screening at the stop" in q.note
        assert "Screening stopped before the stopping rule was met." in st["advice"].message


def test_a_sample_drawn_from_a_search_update_certifies_nothing_once_the_rest_excluded_before_it_is_undone(
        tmp_path, toy_review):
    """The 10 records left (3 of the 30 includes) excluded unread at the stop, a search update of 300 records and
    'next --sample 300' on it (all excludes): no certificate while the rest stood excluded. Once its excludes were
    undone (to screen the rest after all), the draw was read as a uniform sample of every unscreened record, the
    10 among them: 'The random sample certifies at least 95% recall with 95% confidence (QBCB): you can stop' at
    27 of 30 includes found. The draw still could not take them: it certifies nothing."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=30)
    truth = _truth(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        rest = [r for r in truth if truth[r]][-3:] + [r for r in truth if not truth[r]][-7:]
        first = tmp_path / "first.csv"
        pd.DataFrame({"record_id": [r for r in truth if r not in rest],
                      "decision": ["include" if truth[r] else "exclude" for r in truth if r not in rest]}).to_csv(
            first, index=False)
        assert runner.invoke(app, ["label", str(p.dir), str(first)]).exit_code == 0
        _exclude_the_rest(p, tmp_path)
        _search_update(p, tmp_path, 300)
        batch = ScreeningSession(p, embedding_model="none").next_batch(300, explain=False, sample=300)
        assert batch["sampled"].all()
        for rid in batch["record_id"]:
            p.decide(int(rid), "exclude")
        assert not recall_status(p)["advice"].stop
        log = p.decision_log()
        for rid in rest:
            p.undo(rid, reviewer=str(log.loc[log["record_id"] == rid, "reviewer"].iloc[-1]))
        st = recall_status(p)
        q = st["estimates"]["qbcb"]
        assert st["includes_found"] == 27 and st["n_remaining"] == 10
        assert not st["advice"].stop and not q.stop and "certified" not in q.note

def test_a_held_stop_leaves_no_certificate_in_the_random_sample_row(stopped):
    """A random sample of 240 records left, all excludes, certified 95% recall; then one more record, drawn
    into the sample and not screened yet, held the stop: 'status' said 'Not yet', but QBCB's own note (the
    report's and the dashboard's row) still read '... at least 95% recall is certified'."""
    p, truth, _ = stopped
    left = [r for r in truth if r not in set(p.current_decisions().index)]
    k = len(left) - 3  # all but 3 of the records left (enough to certify once every one is screened)
    p.remember_sample({r: 0.5 for r in left[:k]})
    for r in left[:k - 1]:
        p.decide(r, "include" if truth[r] else "exclude")
    st = recall_status(p)
    assert not st["advice"].stop and "not screened yet" in st["advice"].message
    q = st["estimates"]["qbcb"]
    assert not q.stop and "is certified" not in q.note, q.note
    assert "held" in q.note and "not screened yet" in q.note, q.note
    p.decide(left[k - 1], "include" if truth[left[k - 1]] else "exclude")
    q = recall_status(p)["estimates"]["qbcb"]
    assert q.stop and "recall is certified" in q.note  # all drawn screened: the certificate stands


def test_the_rest_excluded_while_status_held_the_stop_quotes_no_stop_reading(stopped):
    """Two records drawn into the random sample and not screened yet held the stop ('Not yet: 2 records drawn
    ... are not screened yet'); the rest then excluded with '--decision exclude', 'label' said "Before this file,
    the estimated recall was 100% (..)" as though status had read a recall to stop on; now that status did not."""
    p, truth, tmp_path = stopped
    left = [r for r in truth if r not in set(p.current_decisions().index)]
    p.remember_sample({left[0]: 0.05, left[1]: 0.05})
    st = recall_status(p)
    assert not st["advice"].stop and "not screened yet" in st["advice"].message
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(p.dir), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    res = runner.invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "Before this file" in out, out
    said = out.split("Before this file")[1]
    assert "'screener status' did not say you could stop then (2 records drawn" in said, out
    assert "not screened yet" in said and said.count("recall was 100%") <= 1, out


def test_next_says_a_sample_drawn_after_the_rest_was_excluded_certifies_nothing(tmp_path, toy_review):
    """57 records screened, the 3 left excluded unread at the stop, then a search update of 200 records and
    'next --sample 10': 'next' said "they let screener certify recall", though a draw from the update alone says
    nothing of the 3 excluded unread and certifies nothing (``status._drawn_after_the_stop``). It says so now."""
    csv = toy_review(tmp_path / "toy.csv")
    df = pd.read_csv(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        _read_in_true_decisions(p, tmp_path, df, 57)
        exclude_the_rest_unread(p.dir, tmp_path)
        update = tmp_path / "update.csv"
        pd.DataFrame({"title": [f"Needle exchange uptake in town {k}" for k in range(200)],
                      "abstract": [f"a survey of pharmacies, wave {k}" for k in range(200)],
                      "year": [2024] * 200}).to_csv(update, index=False)
        p.import_files([update])
        directory = str(p.dir)
    res = runner.invoke(app, ["next", directory, "--n", "20", "--sample", "10", "--embedding-model", "none"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "10 of these records are a random sample" in out, out
    assert "they let screener certify recall" not in out, out
    assert "certifies no recall" in out and "3 records excluded without screening at the stop" in out, out



def test_a_sample_drawn_after_the_rest_excluded_at_a_stop_was_undone_certifies_as_in_any_review(tmp_path, toy_review):
    """The 10 records left excluded unread at a stop, the excludes undone at once (the team screens on), a search
    update of 300 records and 'next --sample' of 300 of the 310 records left, all screened: the draw came from every
    unscreened record, the 10 among them, as in a review that never excluded a rest. It must certify as there;
    a draw made while the rest stood excluded certifies nothing, but this one was made after the undo."""
    from screener.screening import ScreeningSession

    def run(root, undo_first: bool):
        csv = toy_review(root / "toy.csv", n=120, n_include=30)
        truth = _truth(csv)
        with Project.init(root / "review") as p:
            p.import_files([csv], column_map={"label": None})
            rest = [r for r in truth if not truth[r]][-10:]
            first = root / "first.csv"
            pd.DataFrame({"record_id": [r for r in truth if r not in rest],
                          "decision": ["include" if truth[r] else "exclude" for r in truth if r not in rest]}).to_csv(
                first, index=False)
            assert runner.invoke(app, ["label", str(p.dir), str(first)]).exit_code == 0
            if undo_first:
                _exclude_the_rest(p, root)
                log = p.decision_log()
                for rid in rest:
                    p.undo(rid, reviewer=str(log.loc[log["record_id"] == rid, "reviewer"].iloc[-1]))
            _search_update(p, root, 300)
            batch = ScreeningSession(p, embedding_model="none").next_batch(300, explain=False, sample=300)
            assert batch["sampled"].all()
            for rid in batch["record_id"]:
                p.decide(int(rid), "exclude")
            return recall_status(p)

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = run(tmp_path / "a", undo_first=False)
    undone = run(tmp_path / "b", undo_first=True)
    assert plain["estimates"]["qbcb"].stop and plain["n_remaining"] == 10
    assert undone["n_remaining"] == 10 and undone["includes_found"] == 30
    assert undone["estimates"]["qbcb"].stop == plain["estimates"]["qbcb"].stop
    assert undone["advice"].stop == plain["advice"].stop


def test_status_json_after_the_stop_gives_the_counts_the_text_prints(stopped):
    """With the rest excluded unread at the stop and one of it labelled 'include' since, 'status' printed
    '151 of 400 records screened (9 includes ...), 249 excluded unscreened ..., 0 left' while its JSON read
    "screened": 150, "remaining": 250, "includes_found": 8 (the reading at the stop, unnamed) and a random
    sample of 238 records with none left to screen. The top-level figures are the counts now; the reading at
    the stop is under "at_stop"."""
    p, truth, tmp_path = stopped
    before = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    left = before["remaining"]  # 250 when written
    assert before["at_stop"] is None and left == before["counts"]["left"] > 100
    rest = exclude_the_rest_unread(p.dir, tmp_path)
    one = tmp_path / "one.csv"
    pd.DataFrame({"record_id": [int(pd.read_csv(rest)["record_id"].iloc[0])], "decision": ["include"]}).to_csv(
        one, index=False)
    assert runner.invoke(app, ["label", str(p.dir), str(one)]).exit_code == 0
    text = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    c = js["counts"]
    assert (c["screened"], c["found"], c["left"]) == (401 - left, 9, 0) and c["excluded_unscreened"] == left - 1
    assert f"{c['screened']} of 400 records screened" in text and "0 left" in text
    assert (js["screened"], js["remaining"], js["includes_found"]) == (c["screened"], c["left"], c["found"])
    assert js["at_stop"] == {"screened": 400 - left, "not_screened": left, "includes_found": 8, "included": 8,
                             "maybe": 0, "stop": js["stop"]}
    assert js["random_sample_records"] is None  # no record is left to draw from


def test_status_json_at_the_stop_counts_no_record_a_search_update_brought_since(stopped):
    """The rest (250 records) excluded unread at the stop, then a search update of 30 records: 'status --json' read
    "at_stop": {"not_screened": 280, ...}, the 30 counted among the records not screened at the stop though they
    came in after it (the text says 250 were excluded unscreened when screening stopped, and 30 are left)."""
    p, truth, tmp_path = stopped
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(p.dir), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    k = len(pd.read_csv(rest))  # the rest at the stop (250 when the fixture's review stopped at 150 screened)
    assert runner.invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude"]).exit_code == 0
    update = tmp_path / "update.csv"
    pd.DataFrame({"title": [f"Update study {i} of blood pressure and dosage" for i in range(30)],
                  "abstract": [f"We report dosage in area {i}." for i in range(30)],
                  "doi": [f"10.5555/update.{i}" for i in range(30)], "year": 2024}).to_csv(update, index=False)
    assert runner.invoke(app, ["import", str(p.dir), str(update)]).exit_code == 0
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    c = js["counts"]
    assert (c["excluded_unscreened"], c["left"]) == (k, 30)
    assert js["at_stop"]["screened"] == 400 - k and js["at_stop"]["not_screened"] == k, js["at_stop"]
    assert js["remaining"] == 30



def test_the_random_sample_note_after_the_stop_counts_no_excluded_record_as_left(stopped):
    """After 'label rest.csv --decision exclude' at the stop, QBCB's note (the report's and the dashboard's row,
    'status --json') read "a random sample of about 238 of the 250 records left ... would certify 95% recall"
    with no record left to screen, and after a search update of 100 records "... of the 350 records left", the
    250 excluded unscreened among them, though a draw made now certifies no recall. It says so now."""
    p, truth, tmp_path = stopped
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(p.dir), "-o", str(rest), "--only", "unscreened"]).exit_code == 0
    k = len(pd.read_csv(rest))
    assert runner.invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude"]).exit_code == 0
    note = recall_status(p)["estimates"]["qbcb"].note
    assert "records left" not in note and f"the {k} records not screened were excluded without screening" in note, note
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    assert js["random_sample_records"] is None
    update = tmp_path / "update.csv"
    pd.DataFrame({"title": [f"Update study {i} of blood pressure and dosage" for i in range(100)],
                  "abstract": [f"We report dosage in area {i}." for i in range(100)],
                  "doi": [f"10.5555/update.{i}" for i in range(100)], "year": 2024}).to_csv(update, index=False)
    assert runner.invoke(app, ["import", str(p.dir), str(update)]).exit_code == 0
    note = recall_status(p)["estimates"]["qbcb"].note
    assert f"of the {k + 100} records left" not in note and "records left, if it holds no include" not in note, note
    assert f"from the 100 records left to screen only, not from the {k} records excluded without screening" in note, \
        note


@pytest.mark.parametrize("how", ["rows", "--decision"])
def test_the_note_on_excluding_everything_left_counts_only_the_records_left_after_an_earlier_stop(
        tmp_path, toy_review, how):
    """The 40 records left excluded unread at a stop, then a search update of 5 records: a file excluding those 5
    row by row said 'update.csv has excluded all 45 records that were left' and that screener counted them as
    screened, 'status says nothing is left to find (recall 100%)', where status gave the reading at the stop
    and 40 stayed excluded unscreened. The note counts the 5 left, whether one --decision exclude excluded them or
    'exclude' typed on each row of a file no batch of 'next' wrote: both are the update's records excluded
    unread, as the rest (typed rows on them once counted as screened, with nothing to tell them from records read)."""
    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    d = tmp_path / "review"
    with Project.init(d) as p:
        p.import_files([csv])
    first_20_read(d, tmp_path)
    exclude_the_rest_unread(d, tmp_path)
    update = tmp_path / "update.csv"
    pd.DataFrame({"title": [f"Needle exchange uptake in town {k}" for k in range(5)],
                  "abstract": ["a survey of pharmacies"] * 5, "year": [2024] * 5}).to_csv(update, index=False)
    assert runner.invoke(app, ["import", str(d), str(update)]).exit_code == 0
    done = tmp_path / "update_done.csv"
    pd.DataFrame({"record_id": range(61, 66), "decision": ["exclude"] * 5}).to_csv(done, index=False)
    r = runner.invoke(app, ["label", str(d), str(done)] + (["--decision", "exclude"] if how == "--decision" else []))
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "45 records" not in out and "recall 100%" not in out, out
    with Project.open(d) as p:
        c = screening_counts(p)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 45, 0)
    assert "has excluded all 5 records that were left. screener counts them as excluded without screening" in out, out
    if how == "rows":  # labelled again with --all-read, the reviewer's word they were read
        assert runner.invoke(app, ["label", str(d), str(done), "--all-read"]).exit_code == 0
        with Project.open(d) as p:
            c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (25, 40, 0)


def test_dual_reviewers_own_earlier_decisions_are_not_records_passed_over_in_their_queue(tmp_path, toy_review):
    """Blind dual screening with 'screener next --reviewer': each asks for a batch, then each decides
    it, Ana three times as fast as Ben. A study one reviewer has decided stays in the team ranking
    until the other agrees, and her queue leaves it out; counted as passed over above each of her
    later picks, most of Ana's decisions read as "picked far below the top of the ranking in use"
    and the estimate rested on a few includes. Her own earlier decisions are not passed over."""
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=20)
    truth = _truth(csv)
    # ranked from the first batch, not a random start
    with _ranked_from_the_start(tmp_path / "dual", settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        batch, decide = _pages(p, truth)
        for _ in range(4):
            ana, ben = batch("ana", 15), batch("ben", 5)  # both ask, then both decide
            decide("ana", ana)
            decide("ben", ben)
        while True:  # Ben finishes the records Ana decided, from his own queue
            mine = set(p.current_decisions(reviewer="ben").index)
            if set(p.current_decisions(reviewer="ana").index) <= mine:
                break
            decide("ben", batch("ben", 10))
        cur = p.current_decisions()
        assert len(cur) >= 60 and set(cur.index) == set(p.current_decisions(reviewer="ana").index)
        prov = ranking_provenance(p, cur, p.store.duplicate_ids())
        assert not (prov.why == "far").any(), int((prov.why == "far").sum())
        assert "picked far below" not in recall_status(p)["advice"].message


@pytest.mark.parametrize("ahead, passed_over", [(30, 20), (150, 15)])
def test_dual_reviewer_picking_far_down_her_queue_below_her_own_decisions_still_reads_as_far(
        tmp_path, toy_review, ahead, passed_over):
    """Blind dual screening: Ana decides a batch, Ben settles 10 of it, and his next batch stores a
    ranking that keeps Ana's other decisions (10 of them above her queue's top). Ana decides her queue's
    top 10, then 80 records from the records list, passing over the next 15-20 of her queue. Her own
    decisions were taken off the records passed over twice (as not in her queue, and again as rows above
    her first decision), or left in the place the tenth is counted from (140 of them): all 80, or 71,
    read as the ranking's top. As in single screening, they are picked far below it."""
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=20)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "dual", settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        batch, decide = _pages(p, truth)
        decide("ana", batch("ana", ahead))
        decide("ben", batch("ben", 10))
        batch("ben", 10)  # the ranking in force from here: Ana's 20 waiting for Ben are in it
        order = [int(r) for r in p.store.ranking_order(int(p.store.rankings_frame()["ranking_id"].max()))]
        mine = set(p.current_decisions(reviewer="ana").index)
        queue = [r for r in order if r not in mine]
        assert order.index(queue[0]) >= 10  # her own decisions above her queue's top
        decide("ana", queue[:10])
        listed = queue[10 + passed_over:90 + passed_over]  # from the records list
        decide("ana", listed)
        while not set(p.current_decisions(reviewer="ana").index) <= set(p.current_decisions(reviewer="ben").index):
            decide("ben", batch("ben", 20))  # Ben catches up: nothing waits for a second reviewer
        cur = p.current_decisions()
        why = pd.Series(ranking_provenance(p, cur, p.store.duplicate_ids()).why, index=cur.index)
        assert (why.reindex(listed) == "far").all(), why.reindex(listed).value_counts().to_dict()
        assert not (why.reindex(queue[:10]) == "far").any()


def test_a_record_of_the_rest_passed_over_is_not_said_to_be_still_unscreened(tmp_path, toy_review):
    """The 40 records left fetched with 'next -n 40' (its random-sample draws at the bottom of the file, though the
    ranking put one of them near its top), the top 3 rows kept back to read and the other 37 excluded unread at the
    stop: once the 3 were read, with no record left to screen, the estimate's note read 'not estimated for the 1
    record a ranking put before records screened from it, passed over and still unscreened', as if it waited to be
    screened. It is still left out of the estimate (the ranking put it first), and the note says it was excluded
    unscreened at the stop."""
    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    d = tmp_path / "review"
    with Project.init(d) as p:
        p.import_files([csv])
    first_20_read(d, tmp_path)
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["next", str(d), "-n", "40", "-o", str(rest), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    batch = pd.read_csv(rest)
    batch.iloc[3:].to_csv(rest, index=False)
    assert runner.invoke(app, ["label", str(d), str(rest), "--decision", "exclude"]).exit_code == 0
    read = tmp_path / "read.csv"
    batch.iloc[:3].assign(decision="exclude").to_csv(read, index=False)
    assert runner.invoke(app, ["label", str(d), str(read)]).exit_code == 0
    with Project.open(d) as p:
        st = recall_status(p)
        assert st["counts"].left == 0 and not st["advice"].stop
        notes = [e.note for e in st["estimates"].values() if "passed over" in (e.note or "")]
    assert notes, "the record passed over is left out of the estimate"
    for note in notes:
        assert "still unscreened" not in note and "excluded without screening at the stop" in note, note


def _replay_two_reviewers(csv, directory, seed: int, batch: int = 10, miss: float = 0.15, extra: float = 0.03):
    """Blind dual screening of a labelled review, replayed: each reviewer screens a batch of their own queue per
    round, missing an include (``miss``) or including an exclude (``extra``) at random, independently of the
    other; the owner settles each conflict with the true decision after the round. Returns, at the first round
    the advice says stop (or once every record is screened): the recall of the settled includes against the
    includes the team would have settled screening every record (both include, or a conflict on a true include),
    the recommended estimate's interval, and how many records were screened."""
    from screener.screening import ScreeningSession

    labelled = pd.read_csv(csv)
    with Project.init(directory, settings={"mode": "dual", "seed": seed}) as p:
        p.import_files([csv], column_map={"label": None})
        ids = p.records_frame().index.to_numpy(dtype=int)
    truth = dict(zip(labelled["record_id"].astype(int), labelled["label_included"].astype(int)))
    rng = np.random.default_rng(seed)
    says = {}
    for who in ("ann", "bob"):
        u = rng.random(len(ids))
        says[who] = {int(r): "include" if (truth[int(r)] and u[i] >= miss) or (not truth[int(r)] and u[i] < extra)
                     else "exclude" for i, r in enumerate(ids)}
    settled = {r: says["ann"][r] if says["ann"][r] == says["bob"][r] else ("include" if truth[r] else "exclude")
               for r in says["ann"]}
    findable = {r for r, d in settled.items() if d == "include"}
    with Project.open(directory) as p:
        while True:
            for who in ("ann", "bob"):
                for rid in ScreeningSession(p, embedding_model="none", reviewer=who).next_batch(
                        batch, explain=False)["record_id"]:
                    p.decide(int(rid), says[who][int(rid)], reviewer=who)
            conflicts = p.conflicts()
            for rid in sorted(set(conflicts["record_id"].astype(int))):
                p.decide(rid, settled[rid], reviewer="owner", role="resolver")
            st = recall_status(p)
            cur = p.current_decisions()
            found = set(cur.index[cur["decision"] == "include"].astype(int)) & findable
            if st["advice"].stop or len(cur) >= len(ids):
                e = st["estimates"].get(st["advice"].recommended)
                low, high = (e.recall_low, e.recall_high) if e is not None else (np.nan, np.nan)
                return st["advice"].stop, len(found) / len(findable), low, high, len(cur), len(ids)


@pytest.mark.slow
def test_dual_replays_stop_at_or_above_the_target_recall_of_the_settled_includes(tmp_path, shared_dir):
    """Dual replays had never checked the stop near the target: two reviewers screening their own queues and
    disagreeing (each misses 15% of the includes and includes 3% of the excludes, the owner settling the
    conflicts), on a labelled tuning review. Where the advice says stop, the recall of the includes settled so far
    (against those the team would settle screening everything) is at or above the 95% target in the large majority
    of seeds, and never below the interval the advice states."""
    csv = shared_dir / "tuning" / "clef2017_cd010542.csv"  # 348 records, 20 includes
    if not csv.exists():
        pytest.skip(f"needs the tuning review {csv}")
    runs = [_replay_two_reviewers(csv, tmp_path / f"seed{seed}", seed) for seed in range(5)]
    stops = [r for r in runs if r[0]]
    assert len(stops) >= 4, runs  # the advice says stop before every record is screened
    reached = [r for r in stops if r[1] >= 0.95]
    assert len(reached) >= len(stops) - 1, runs
    assert all(low <= recall for _, recall, low, _, _, _ in stops), runs


def test_a_maybe_screened_last_is_not_called_an_include(tmp_path, toy_review):
    """'screener status' said "The last record you screened was an include" when the last decision was a maybe
    (a maybe counts as found for recall, but the reviewer did not include it); it names the maybe."""
    from screener.screening import ScreeningSession

    with _ranked_from_the_start(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=60, n_include=6)], column_map={"label": None})
        ids = [int(i) for i in ScreeningSession(p, embedding_model="none").ranking()["record_id"]]
        for rid in ids[:10]:
            p.decide(rid, "exclude")
        p.decide(ids[10], "include")
        p.decide(ids[11], "maybe")  # screened last
    said = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    assert ("The last record screened was a maybe (counted as found); so far the ranking found 1 include and 1 "
            "maybe") in said
    assert "was an include" not in said
    with Project.open(tmp_path / "r") as p:
        p.decide(ids[12], "include")  # an include last: said as before
    said = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    assert "The last record screened was an include; so far the ranking found 2 includes and 1 maybe" in said


def test_a_random_start_is_explained_once(tmp_path, toy_review):
    """With no protocol, the first batch in random order: 'status' explained it in the advice ("The 20 records you
    screened came in a random order (no protocol text, or none of its words in the records, and no include yet to
    rank by)") and again in a note beneath ("Note: read as a random sample: every record screened so far came from
    a random order (no protocol text, ...)"). It says it once."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    truth = _truth(csv)
    with Project.init(tmp_path / "r") as p:
        p.import_files([csv], column_map={"label": None})
        for rid in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    r = runner.invoke(app, ["status", str(tmp_path / "r")])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "came in a random order" in said, said
    assert said.count("no protocol text, or none of its words in the records") == 1, said


def test_the_last_record_said_is_the_last_screened_from_the_ranking(tmp_path, toy_review):
    """An include screened from the ranking, then 3 excludes picked far below its top (the records list): 'status'
    said "The last record you screened was an include", the reviewer's last three being excludes. The estimate
    reads the records screened from the ranking, and says so: "The last record you screened from screener's
    ranking was an include"."""
    from screener.screening import ScreeningSession

    with _ranked_from_the_start(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=60, n_include=6)], column_map={"label": None})
        ids = [int(i) for i in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]]
        p.decide(ids[0], "include")
        for rid in [r for r in range(60, 0, -1) if r not in ids][:3]:
            p.decide(rid, "exclude")
    said = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    assert "3 of the 4 decisions were not made from screener's ranking" in said, said
    assert "The last record screened from screener's ranking was an include; so far the ranking found" in said
    assert "The last record screened was an include" not in said


def _maybes_only(tmp_path, toy_review, ranked: bool):
    """A toy review where the first 20 records screened hold 4 maybes and no include."""
    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    d = tmp_path / "review"
    p = _ranked_from_the_start(d) if ranked else Project.init(d)
    p.import_files([csv])
    p.close()
    r = runner.invoke(app, ["next", str(d), "--n", "20", "--embedding-model", "none", "-o", str(tmp_path / "b.csv")])
    assert r.exit_code == 0, r.output
    b = pd.read_csv(tmp_path / "b.csv", encoding="utf-8-sig")
    b["decision"] = ["maybe"] * 4 + ["exclude"] * (len(b) - 4)
    b.to_csv(tmp_path / "b.csv", index=False)
    assert runner.invoke(app, ["label", str(d), str(tmp_path / "b.csv")]).exit_code == 0
    return d


@pytest.mark.parametrize("ranked", [False, True], ids=["random start", "ranked"])
def test_the_advice_counts_maybes_as_maybes_not_as_includes(tmp_path, toy_review, ranked):
    """With 4 maybes and no include screened, the advice said 'with only 4 includes found' and 'held 4
    includes': a maybe is found for recall (the estimate still counts it), but it is no include."""
    d = _maybes_only(tmp_path, toy_review, ranked)
    with Project.open(d) as p:
        st = recall_status(p)
    said = " ".join(st["advice"].message.split())
    assert st["history"].includes_found == 4  # the estimate still reads the maybes as found
    assert not re.search(r"\b4 includes\b", said), said
    assert "4 maybes" in said, said


def test_records_picked_off_the_random_order_name_a_maybe_found_among_them_as_a_maybe():
    """'they count as screened and found (2 includes)' was said of 1 include and 1 maybe."""
    from screener.status import _off_order_words

    assert "found (1 include and 1 maybe)" in _off_order_words(5, 2, 1)
    assert "found (2 includes)" in _off_order_words(5, 2)


def test_a_stop_beside_a_two_sided_interval_under_the_target_says_which_is_which(decided, monkeypatch, tmp_path):
    """'95% interval 92%-100%' sat beside 'you can stop with 95% recall' in 'screener status', the dashboard and
    the report: the interval is two-sided, the stop one-sided. Each front end now says which is which; the
    figures and the stop stay the estimator's."""
    from dataclasses import replace

    import screener.status as status_mod
    from screener.stopping import recommend
    from screener.web.dashboard import stopping_summary

    d, _ = decided
    real = status_mod.recall_status

    def reading(project, **kw):
        st = real(project, **kw)
        e = replace(st["estimates"]["score_sample"], recall=0.97, recall_low=0.92, recall_high=1.0, stop=True)
        # QBCB proper (one draw placed in the ranking) stops on a one-sided test beside a two-sided interval, which
        # may reach under the target (tests/stopping/test_qbcb.py); a one-sided bound's row is said so in the table
        q = replace(st["estimates"]["qbcb"], recall_low=0.9, stop=True, sides="two-sided")
        hg = replace(st["estimates"]["hypergeometric"], recall_low=0.9, stop=True)
        st["estimates"] = {"score_sample": e, "qbcb": q, "hypergeometric": hg}
        st["advice"] = recommend(st["history"], dict(st["estimates"]), target_recall=st["target_recall"],
                                 confidence=st["confidence"])
        return st

    monkeypatch.setattr(status_mod, "recall_status", reading)
    said = ("The interval is two-sided: recall lies below its lower end (92%) with a 2.5% chance. The stop is "
            "one-sided: a 95% chance that recall is at least 95%")
    r = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "95% interval (two-sided)" in r.output and said in _said(r.output), r.output
    assert ("Note: the QBCB says stop with an interval reaching under 95%: the interval is two-sided "
            "(2.5% chance below its lower end), the stop one-sided") in _said(r.output), r.output
    assert "hypergeometric test says" not in r.output, r.output  # its one-sided interval is not called two-sided
    with Project.open(d) as p:
        assert said in stopping_summary(p)["message"]
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["report", str(d), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = " ".join(out.read_text(encoding="utf-8").split())
    assert said in html and "95% interval (two-sided)" in html
    card = html.split('id="card-recall">', 1)[1].split("</div></div>", 1)[0]
    assert "two-sided" in card, card


def test_status_json_gives_the_includes_and_the_maybes_apart(decided):
    """'includes_found' counts a maybe as found (as the estimators do): 7 for 5 includes and 2 maybes, which a
    tool showed as 7 includes. It keeps that meaning, with 'included' and 'maybe' beside it, which add up to it."""
    import json

    d, _ = decided
    js = json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)
    assert (js["included"], js["maybe"], js["includes_found"]) == (5, 2, 7)
    assert (js["counts"]["included"], js["counts"]["maybe"], js["counts"]["found"]) == (5, 2, 7)


def test_the_reading_at_the_stop_says_which_is_two_sided_where_the_interval_dips_under_the_target():
    """Once the rest was excluded at the stop, status said "At the stop: Estimated recall 97% (95% interval
    92%–100%) ... The stopping rule said you could stop." with nothing on the interval being two-sided and the stop
    one-sided: read as a contradiction, as in the advice before the stop."""
    from dataclasses import replace

    from screener.status import _advice_after_the_stop
    from screener.stopping import ScreeningHistory, recommend, run_all

    h = ScreeningHistory.from_positions(range(1, 16), 1875, 2000)
    ests = run_all(h)
    ests["score_sample"] = replace(ests["score_sample"], recall=0.97, recall_low=0.92, recall_high=1.0, stop=True)
    advice = _advice_after_the_stop(recommend(h, ests), h, 125, ["rest.csv"], 0.95, 0.95)
    said = " ".join(advice.message.split())
    assert "(95% interval 92%–100%)" in said and "The stopping rule said you could stop" in said, said
    assert ("The interval is two-sided: recall lies below its lower end (92%) with a 2.5% chance. The stop is "
            "one-sided") in said, said


def test_the_advice_after_the_stop_does_not_say_not_recall_100_beside_an_estimate_of_100():
    """The rest excluded unread at the stop, with recall estimated at 100% there: status, the report and the
    dashboard read "the figures here are the review's at the stop, the ones to report (not recall 100%) ...
    At the stop: Estimated recall 100%", as if the estimate were not to be reported. They now say what not to
    report: the 100% that counting the records excluded unread as screened would give."""
    from types import SimpleNamespace

    from screener.status import _advice_after_the_stop
    from screener.stopping.advice import Advice

    advice = Advice(recommended="model", stop=True, message="", estimate=None)
    hist = SimpleNamespace(includes_found=10, n_screened=60)
    said = _advice_after_the_stop(advice, hist, 20, ["rest.csv"], 0.95, 0.95).message
    assert "(not recall 100%)" not in said, said
    assert "counting the 20 records excluded unread as screened would give a recall of 100%" in said, said


def test_status_gives_the_full_text_counts_the_report_and_dashboard_give(tmp_path, toy_review):
    """After full-text decisions, the report's PRISMA flow and the dashboard gave the reports assessed, not
    retrieved and still to assess, and the studies included; 'screener status' gave '4 includes' only, read as
    the review's includes. It gives the full-text counts too, as the PRISMA flow does."""
    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=4)], column_map={"label": None})
        for rid in p.records_frame().index:
            p.decide(int(rid), "include" if int(rid) in (1, 4, 7, 10) else "exclude")
        p.decide(1, "include", stage="full_text")
        p.decide(4, "exclude", stage="full_text", reason="wrong population")
        p.decide(7, "not_retrieved", stage="full_text")
        c = p.prisma_counts()
    assert (c["full_text_assessed"], c["full_text_not_retrieved"], c["full_text_not_assessed"]) == (2, 1, 1)
    out = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    assert ("Full text: 2 of the 4 reports sought assessed (1 included, 1 excluded), 1 not retrieved, 1 still to "
            "retrieve or assess.") in out, out
    assert "title and abstract" in out.split("Full text:", 1)[1].split("Estimated recall", 1)[0], out
    # --json gave none of them: a tool read the 4 title and abstract includes as the review's
    js = json.loads(runner.invoke(app, ["status", str(tmp_path / "r"), "--json"]).output)
    assert js["full_text"] == {"sought": 4, "assessed": 2, "included": 1, "excluded": 1, "maybe": 0, "awaiting": 0,
                               "not_retrieved": 1, "not_assessed": 1}, js.get("full_text")
    assert all(js["full_text"][k] == c[f"full_text_{k}"] for k in js["full_text"])


def test_status_says_when_full_texts_assessed_were_not_passed_on_at_title_and_abstract(tmp_path, toy_review):
    """A batch labelled with --stage full_text by mistake (its records excluded at title and abstract): 'label' said
    the PRISMA boxes would not add up, and later 'screener status' said "Full text: 3 of the 1 report sought
    assessed" with no word of why. It names the records and what to do, as the report does."""
    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=4)], column_map={"label": None})
        for rid in (1, 2, 3):
            p.decide(rid, "include" if rid == 1 else "exclude")
            p.decide(rid, "exclude", stage="full_text")
    out = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    said = out.split("Full text:", 1)[1].split("Estimated recall", 1)[0]
    assert "3 of the 1 report sought assessed" in said, out
    assert "records 2, 3" in said and "not included (or marked maybe) at title and abstract" in said, said


def test_the_hypergeometric_tests_interval_is_said_one_sided_under_the_two_sided_heading(decided, tmp_path):
    """The interval columns of 'screener status', the dashboard and the report were headed 'two-sided', and the
    hypergeometric test's row sat under it: its interval is a one-sided bound (recall at least its lower end,
    with a 5% chance below it, not 2.5%; the 100% at its top is no bound). That row now says so."""
    from screener.web.dashboard import stopping_summary

    d, _ = decided
    r = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    rows = {line.split("│")[1].strip(): line.split("│")[3].strip() for line in r.output.splitlines()
            if line.startswith("│")}
    assert rows["hypergeometric test"].endswith("(one-sided)"), rows
    assert "one-sided" not in rows["model-based (recommended)"], rows
    with Project.open(d) as p:
        summary = stopping_summary(p)
    hg = next(e for e in summary["estimates"] if e["method"] == "hypergeometric")
    assert hg["sides"] == "one-sided"
    assert {e["sides"] for e in summary["estimates"] if e["method"] != "hypergeometric"} == {"two-sided"}
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["report", str(d), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = " ".join(out.read_text(encoding="utf-8").split())
    table = html.split('id="estimates"', 1)[1].split("</table>", 1)[0]
    row = next(t for t in table.split("<tr")[1:] if "hypergeometric" in t.lower())
    assert "(one-sided)" in row, row
    assert table.count("(one-sided)") == 1, table


def test_status_json_of_a_dual_review_with_only_conflicts_left_says_to_settle_them(tmp_path, toy_review):
    """Both reviewers screened all 20 records and disagree on 1: the printed status said 'Settle the 1 conflict:
    no record is left to screen', the report too, while 'status --json' gave the advice 'Keep screening ...' and
    'more_records' above zero, with nothing left to screen, to a tool reading it."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=3)
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    p = Project.init(tmp_path / "review", settings={"mode": "dual"})
    p.import_files([csv])
    ids = [int(i) for i in p.records_frame().index]
    with p:
        for rid in ids:
            p.decide(rid, "include" if rid in ids[:3] else "exclude", reviewer="ana")
            p.decide(rid, "include" if rid in ids[:4] else "exclude", reviewer="ben")
    text = runner.invoke(app, ["status", "--team", str(p.dir)]).output
    out = json.loads(runner.invoke(app, ["status", "--team", str(p.dir), "--json"]).output)
    assert "Settle the 1 conflict: no record is left to screen" in " ".join(text.split())
    assert out["advice"].startswith("Settle the 1 conflict: no record is left to screen."), out["advice"]
    assert not out["stop"] and out["more_records"] is None and out["dual"]["conflicts"] == 1


def _team_of_three(tmp_path, toy_review, settle=False):
    """Dual screening by ana, ben and cy, 20 records: 5 conflicts (ana includes, ben excludes), 3 agreed excludes,
    1 record only cy has screened; with ``settle`` the owner settles every conflict."""
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)], column_map={"label": None})
        ids = [int(i) for i in p.records_frame().index]
        for rid in ids[:5]:
            p.decide(rid, "include", reviewer="ana")
            p.decide(rid, "exclude", reviewer="ben")
        for rid in ids[5:8]:
            p.decide(rid, "exclude", reviewer="ana")
            p.decide(rid, "exclude", reviewer="cy")
        p.decide(ids[8], "exclude", reviewer="cy")
        if settle:
            for rid in ids[:5]:
                p.decide(rid, "exclude", reviewer="owner", role="resolver")
    return d


def test_status_json_counts_conflicts_as_waiting_to_be_settled_not_as_left_to_screen(tmp_path, toy_review):
    """Dual screening, 5 conflicts open: the printed status said '12 left to screen and 5 conflicts waiting to be
    settled', --json '"remaining": 17' (the conflicts among the records to screen)."""
    d = _team_of_three(tmp_path, toy_review)
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "3 of 20 records screened" in out and ("11 left to screen, 1 screened by only one reviewer so far (each "
                                                  "record needs two) and 5 conflicts waiting to be settled") in out, out
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    assert (js["screened"], js["remaining"], js["dual"]["conflicts"]) == (3, 12, 5), js


def test_status_says_no_zero_count_of_records_waiting_once_every_conflict_is_settled(tmp_path, toy_review):
    """Every conflict settled and no record screened by one reviewer only: 'screener status' still printed '0 records
    wait for the reviewers to agree (conflicts: ...)'."""
    d = _team_of_three(tmp_path, toy_review, settle=True)
    with Project.open(d) as p:
        p.decide(int(p.records_frame().index[8]), "exclude", reviewer="ana")
        assert dual_progress(p) == DualProgress(conflicts=0, one_reviewer=0)
        assert dual_progress(p).describe() == ""
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "9 of 20 records screened" in out
    assert "0 records wait" not in out and "wait for the reviewers to agree" not in out, out
    # a team of three (ana, ben, cy): not 'both reviewers'
    assert "Dual screening: a record counts as screened once every reviewer who screened it (two at least) gives it " \
        "the same decision" in out
    from screener.web.dashboard import stopping_summary

    with Project.open(d) as p:  # nor the dashboard
        summary = stopping_summary(p)
    assert summary["dual_words"] == summary["waiting"] == "", summary


def test_a_team_of_three_reads_of_records_screened_by_one_reviewer_not_of_the_two_reviewers(tmp_path, toy_review):
    """Three reviewers, each record needs two: 'screener status' said '1 was screened by only one of the two
    reviewers', and the held stop 'have the second reviewer screen it', as if the team were two."""
    d = _team_of_three(tmp_path, toy_review)
    with Project.open(d) as p:
        dual = dual_progress(p)
        assert dual == DualProgress(conflicts=5, one_reviewer=1)
        assert "screened by only one reviewer so far (each record needs two)" in dual.describe()
        assert "another reviewer screens the records only one has screened" in dual.waiting_words()
        from screener.status import _current, off_the_ranking

        cur, _, dupes = _current(p)
        held = off_the_ranking(p, cur, dupes)
        assert "1 record has been screened by only one reviewer (each record needs two)" in held, held
        assert "have a second reviewer screen it" in held, held
        # the stop advice named a team of two: 'once both reviewers agree or its conflict is settled'
        assert "both reviewers" not in held and "once every reviewer who screened it (two at least) gives it the " \
            "same decision or its conflict is settled" in held, held
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert ("6 records wait for the reviewers to agree, of them 5 conflicts (the reviewers' decisions differ) and 1 "
            "screened by only one reviewer so far (each record needs two)") in out, out
    assert "of the two reviewers" not in out and "the other reviewer" not in out, out
    from screener.web.dashboard import stopping_summary

    with Project.open(d) as p:  # the dashboard's words are the same
        summary = stopping_summary(p)
    assert summary["dual_words"] == dual.describe() and summary["waiting"] == dual.waiting_words()


def test_the_stop_hold_does_not_count_records_one_reviewer_excluded_unread_as_screened_by_one(tmp_path, toy_review):
    """Dual screening: ana read 2 records ben has not, and excluded her 14 left unread at her stop. Status says 2
    were screened by one reviewer; the recall estimate's hold said '16 records have been screened by only one of
    the two reviewers ... have the second reviewer screen them': the 14 nobody read are records not screened."""
    from screener.status import _current, _passed_over, off_the_ranking, ranking_provenance

    with _ana_excluded_her_rest_unread(tmp_path, toy_review, embedding_model="none") as p:
        ids = [int(i) for i in p.records_frame().index]
        cur, _, dupes = _current(p)
        held = off_the_ranking(p, cur, dupes)
        assert held.startswith("2 records have been screened by only one of the two reviewers"), held
        assert "A record counts as screened once both reviewers agree or its conflict is settled" in held, held
        # nor are they set aside from the records passed over in a ranking, as records waiting for a reviewer are
        prov = ranking_provenance(p, cur, dupes)
        from dataclasses import replace

        passed = _passed_over(p, replace(prov, skipped=np.asarray(ids[4:], dtype=np.int64)), prov.new[:0])
        assert sorted(passed) == ids[6:], passed


def test_the_random_sample_note_counts_the_conflicts_as_status_does(tmp_path, toy_review):
    """Dual screening with 4 conflicts open: status said '140 left to screen and 4 conflicts waiting to be settled',
    the random sample's note (QBCB: the dashboard's and the report's row) 'a random sample of about 137 of the 144
    records left', the conflicts among the records left to screen."""
    from screener.web.dashboard import stopping_summary

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=10)
    truth = _truth(csv)
    with Project.init(tmp_path / "dual", settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        _six_batches_each(p, truth)
        st = recall_status(p)
        assert st["dual"].conflicts == 4
        assert "140 left to screen and 4 conflicts waiting to be settled" in st["counts"].describe(4)
        note = st["estimates"]["qbcb"].note
        assert "of the 144 records left" not in note, note
        assert re.search(r"of the 144 records not screened yet \(140 left to screen and 4 conflicts waiting to be "
                         r"settled\), if it holds no include", note), note
        assert [r["note"] for r in stopping_summary(p)["estimates"]
                if r["method"] == "qbcb"] == [note]


def test_decisions_off_the_ranking_are_said_in_a_sentence_not_parentheses_three_deep(tmp_path, toy_review):
    """The advice ended "... (20 of the 50 decisions were not made from screener's ranking (screened in the random
    order a review without protocol text starts in (or one whose protocol's words no record holds)). They count
    ...)": parentheses three deep. It is a sentence of its own now, with one aside."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=30)
    truth = _truth(csv)
    p = Project.init(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    session = ScreeningSession(p, embedding_model="none")
    for rid in session.next_batch(10, explain=False)["record_id"].astype(int):
        p.decide(int(rid), "include" if truth[rid] else "exclude")
    rid = int(session.next_batch(1, explain=False)["record_id"].iloc[0])
    p.decide(rid, "include" if truth[rid] else "exclude")
    said = " ".join(recall_status(p)["advice"].message.split())
    assert (" 10 of the 11 decisions were not made from screener's ranking (screened in the random order a review "
            "without protocol text starts in, or one whose protocol's words no record holds). They count as screened "
            "and found") in said, said
    assert "((" not in said and "))" not in said and not said.endswith(".)"), said


def test_recall_at_a_stop_that_missed_an_include_never_reads_as_the_target():
    """19 includes at the stop and one found among the records excluded unread read 'recall at the stop was at most
    95%' beside a 95% target (94.96% rounded up), and 199 and one, 'at most 100%': as if the stop might have
    reached it. The bound keeps the decimals that show it short."""
    from screener.status import _read_since_the_stop

    one = pd.Series(["include"], index=[7])
    said = _read_since_the_stop(one, 1882, target=0.95)  # 1882 / 1883 = 99.947%: at most '100%' read all found
    assert "so recall at the stop was at most 99.95% (1882 of at least 1883 found)" in said, said
    two = pd.Series(["include"] * 100, index=range(100))
    said = _read_since_the_stop(two, 1882, target=0.95)  # 1882 / 1982 = 94.955%
    assert "recall at the stop was at most 94.96% (1882 of at least 1982 found)" in said, said
    assert "at most 75% " in _read_since_the_stop(one, 3, target=0.95)  # a whole percent, as before


def test_the_random_sample_note_after_a_dual_stop_counts_the_conflicts_apart(tmp_path, toy_review):
    """Dual screening, 30 records: 2 conflicts open, 4 records ana screened that ben excluded unread at his stop.
    'screener status' read '20 left to screen and 2 conflicts waiting to be settled', while QBCB's note in the
    report and in --json said 'a random sample drawn now comes from the 22 records left to screen': a draw comes
    from the records left to screen, and the conflicts are screened, waiting to be settled."""
    from screener.labels import import_labels

    csv = toy_review(tmp_path / "toy.csv", n=30, n_include=3)
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(i) for i in p.records_frame().index]
        for k, rid in enumerate(ids[:6]):
            p.decide(rid, "include" if k < 2 else "exclude", reviewer="ana")
            p.decide(rid, "exclude", reviewer="ben")  # the first 2 are conflicts
        for rid in ids[6:10]:
            p.decide(rid, "exclude", reviewer="ana")
        rest = tmp_path / "rest.csv"
        rest.write_text("record_id\n" + "".join(f"{rid}\n" for rid in ids[6:]), encoding="utf-8")
        assert import_labels(p, rest, reviewer="ben", decision="exclude").rest_excluded == 24
        from screener.report import build_report

        report = " ".join(re.sub(r"<[^>]+>", " ", build_report(p)).split())
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "20 left to screen and 2 conflicts waiting to be settled" in out, out
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    assert js["remaining"] == 20 and js["dual"]["conflicts"] == 2
    said = {int(n) for n in re.findall(r"comes from the (\d+) records? left to screen",
                                       js["estimators"]["qbcb"]["note"] + " " + report)}
    assert said == {20}, (js["estimators"]["qbcb"]["note"], said)


def test_an_export_in_a_team_of_three_asks_for_another_reviewer_as_status_does(tmp_path, toy_review):
    """A team of three, records screened by one of them: 'screener status' read 'screened by only one reviewer so
    far (each record needs two) ... they count once another reviewer screens the records only one has screened',
    while 'screener export' said 'have the second reviewer screen them', a reviewer the team of three has not."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=2)
    d = tmp_path / "team"
    with Project.init(d, settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        ids = [int(i) for i in p.records_frame().index]
        for who, part in (("ana", ids[:6]), ("ben", ids[:3]), ("cat", ids[3:5])):
            for rid in part:
                p.decide(rid, "exclude", reviewer=who)
        assert dual_progress(p) == DualProgress(conflicts=0, one_reviewer=1, reviewers=3)
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "1 record was screened by only one reviewer so far (each record needs two)" in out, out
    assert "another reviewer screens the records only one has screened" in out, out
    r = runner.invoke(app, ["export", "--team", str(d), "-o", str(tmp_path / "out.csv")])
    said = _said(r.output)
    assert r.exit_code == 0 and "1 record awaits" in said, said
    assert "the second reviewer" not in said and "have another reviewer screen it" in said, said


def _only_conflicts_left(tmp_path, toy_review):
    """A dual review of 40 records both reviewers screened, with 2 conflicts open."""
    csv = toy_review(tmp_path / "toy.csv", n=40, n_include=6)
    truth = _truth(csv)
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        includes = [int(r) for r, t in truth.items() if t]
        for rid in p.records_frame().index:
            rid = int(rid)
            p.decide(rid, "include" if truth[rid] else "exclude", reviewer="ana")
            p.decide(rid, "exclude" if rid in includes[:2] or not truth[rid] else "include", reviewer="ben")
        assert dual_progress(p) == DualProgress(conflicts=2, one_reviewer=0)
    return d


def test_the_dashboard_says_to_settle_the_conflicts_when_only_they_are_left_as_status_does(tmp_path, toy_review):
    """Both reviewers had screened every record, 2 conflicts open: 'screener status', its JSON and the report read
    'Settle the 2 conflicts: no record is left to screen.', while the dashboard's advice read 'from the next batch
    on, screener ranks the records ...', with no batch left to give."""
    from screener.web.dashboard import stopping_summary

    d = _only_conflicts_left(tmp_path, toy_review)
    with Project.open(d) as p:
        page = stopping_summary(p)["message"]
    js = json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)
    assert js["advice"].startswith("Settle the 2 conflicts: no record is left to screen.")
    assert page == js["advice"], page


def test_status_json_advises_no_random_sample_when_only_conflicts_are_left(tmp_path, toy_review):
    """Only 2 conflicts left: the printed status and 'advice' in --json read 'no record is left to screen' and
    "remaining": 0, while "random_sample_records": 2 asked a tool for a random sample of records there are none of."""
    d = _only_conflicts_left(tmp_path, toy_review)
    js = json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)
    assert "no record is left to screen" in js["advice"] and js["remaining"] == 0
    assert js["more_records"] is None and js["random_sample_records"] is None, js["random_sample_records"]


def test_the_report_gives_status_advice_when_only_conflicts_are_left(tmp_path, toy_review):
    """Only 2 conflicts left: 'screener status' read 'Settle the 2 conflicts: no record is left to screen. Not yet a
    stop: ...', and the report's advice under that same first line went on 'Keep screening with screener next',
    with no record to give."""
    from screener.report import report_context

    d = _only_conflicts_left(tmp_path, toy_review)
    with Project.open(d) as p:
        advice = report_context(p, plot_png=b"")["advice"]
    js = json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)
    assert f"{advice['headline']} {advice['details'][0]}" == js["advice"], advice
    assert not any("screener next" in line for line in advice["details"]), advice["details"]


def test_with_only_conflicts_left_the_estimates_do_not_read_as_no_include_left(tmp_path, toy_review):
    """Both reviewers screened all 120 records from their rankings; 2 records in conflict (Ben included two
    excludes). The table read 'model-based 100% 100%–100% 0 (0–0)' and the dashboard 'most likely none (up to 0)',
    the report '0': nothing left, while the 2 records in conflict count as not screened and wait to be settled.
    Each now names them beside its includes left, and --json gives them with each method."""
    from screener.report import report_context
    from screener.screening import ScreeningSession
    from screener.web.dashboard import stopping_summary

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    d = tmp_path / "dual"
    with _ranked_from_the_start(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        for who in ("ana", "ben"):
            while ids := [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer=who).next_batch(
                    25, explain=False)["record_id"]]:
                for rid in ids:
                    p.decide(rid, "include" if truth[rid] or (who == "ben" and rid in (102, 112)) else "exclude",
                             reviewer=who)
        st = recall_status(p)
        assert st["dual"] == DualProgress(conflicts=2, one_reviewer=0) and not st["advice"].stop
        e = st["estimates"]["score_sample"]
        assert e.remaining_high == 0 and e.recall_low == 1.0, e  # the estimate itself: unchanged
        page = stopping_summary(p)
        ctx = report_context(p, plot_png=b"")
    waits = "2 records in conflict wait to be settled"
    out = _said(runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"}).output)
    row = out.split("model-based (recommended)", 1)[1].split("hypergeometric", 1)[0]
    assert f"0 (0–0); {waits}" in row, row
    js = json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)
    assert {k: v["in_conflict"] for k, v in js["estimators"].items()} == dict.fromkeys(st["estimates"], 2)
    assert page["in_conflict"] == ctx["in_conflict"] == waits, (page, ctx)
    html = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(d), "-o", str(html)]).exit_code == 0
    table = " ".join(html.read_text(encoding="utf-8").split()).split('id="estimates"', 1)[1].split("</table>")[0]
    # each method with a figure of includes left: not QBCB without a sample, nor the baseline
    assert table.count(waits) == sum(np.isfinite(e.remaining) for e in ctx["estimates"]) == 3, table


@pytest.mark.parametrize("ben_includes, waits", [
    ((102, 112), "5 records wait for the reviewers to agree: 3 screened by only one of the two reviewers so far and "
                 "2 conflicts waiting to be settled"),
    ((), "3 records wait for the reviewers to agree: 3 screened by only one of the two reviewers so far")])
def test_with_conflicts_and_one_reviewer_records_left_the_estimates_say_what_waits(tmp_path, toy_review,
                                                                                   ben_includes, waits):
    """Ana screened all 120 records, Ben all but 3, with 2 conflicts (or none): nothing left to screen for Ana, the
    estimate counts the 5 (or 3) as not screened, and the table read '0 (0–0)' includes left with no word of them
    (the conflicts were named only when they alone were left). Each front end now names what waits; --json's
    "in_conflict" stays the conflicts and "by_one_reviewer" gives the others."""
    from screener.report import report_context
    from screener.screening import ScreeningSession
    from screener.web.dashboard import stopping_summary

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    d = tmp_path / "dual"
    with _ranked_from_the_start(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        for who, last in (("ana", 120), ("ben", 117)):
            done = 0
            while done < last and (ids := [int(r) for r in ScreeningSession(
                    p, embedding_model="none", reviewer=who).next_batch(25, explain=False)["record_id"]]):
                for rid in ids[:last - done]:
                    p.decide(rid, "include" if truth[rid] or (who == "ben" and rid in ben_includes) else "exclude",
                             reviewer=who)
                done += min(len(ids), last - done)
        st = recall_status(p)
        n_conflicts = 2 if ben_includes else 0
        assert st["dual"] == DualProgress(conflicts=n_conflicts, one_reviewer=3) and not st["advice"].stop, st["dual"]
        page = stopping_summary(p)
        ctx = report_context(p, plot_png=b"")
    out = _said(runner.invoke(app, ["status", "--team", str(d)], env={"COLUMNS": "400"}).output)
    row = out.split("model-based (recommended)", 1)[1].split("hypergeometric", 1)[0]
    assert f"; {waits}" in row, row
    js = json.loads(runner.invoke(app, ["status", "--team", str(d), "--json"]).output)
    assert {k: (v["in_conflict"], v["by_one_reviewer"]) for k, v in js["estimators"].items()} == dict.fromkeys(
        st["estimates"], (n_conflicts, 3)), js["estimators"]
    assert page["in_conflict"] == ctx["in_conflict"] == waits, (page, ctx)


def test_a_record_screened_before_the_random_sample_and_undone_since_withdraws_its_certificate(stopped):
    """A decision made before the sample was drawn and undone since leaves a record unscreened that no
    draw could take: it was screened when they were made. Read as drawn from every record left, a sample
    of all but 5 of the records left kept "The random sample certifies at least 95% recall ...: you can
    stop" with the undone record unscreened (an include there is recall 89%). Given a decision again, the
    record is screened and the certificate stands again; one decided after the draws keeps it."""
    p, truth, _ = stopped
    cur = p.current_decisions()
    earlier = [int(r) for r, d in cur["decision"].items() if d == "exclude"]
    _draw_and_screen(p, truth, recall_status(p)["n_remaining"] - 5)
    assert recall_status(p)["estimates"]["qbcb"].stop
    p.undo(earlier[-1])  # excluded before the draws, in doubt now
    st = recall_status(p)
    q = st["estimates"]["qbcb"]
    assert not q.stop and "a decision made before a draw was withdrawn" in q.note, q.note
    assert "The random sample certifies" not in st["advice"].message and st["advice"].basis != "qbcb"
    p.decide(earlier[-1], "exclude")  # read again, and excluded again
    assert recall_status(p)["estimates"]["qbcb"].stop
    left = [r for r in sorted(truth) if r not in set(p.current_decisions().index)]
    p.decide(left[0], "exclude")  # in the draws' pool: decided after them, then undone
    p.undo(left[0])
    assert recall_status(p)["estimates"]["qbcb"].stop


def test_a_reviewer_of_three_who_excluded_the_rest_unread_is_not_told_of_both_reviewers():
    """In a team of three, a reviewer who excluded her records left unread was told the screening 'stays blind for
    both reviewers'; a team of two still reads 'both reviewers'."""
    from screener.status import Counts, next_step

    counts = Counts(records=6, screened=2, included=1, maybe=0, excluded=1, excluded_unscreened=4)
    three = " ".join(next_step(counts, "review", "cy", reviewers=3).split())
    assert "both reviewers" not in three and "stays blind for every reviewer until they are screened" in three, three
    two = " ".join(next_step(counts, "review", "ana", reviewers=2).split())
    assert "stays blind for both reviewers until they are screened" in two, two


@pytest.mark.parametrize("how", ["before any ranking", "from the first ranking"])
def test_the_interval_with_no_include_found_says_so_not_a_broken_figure(tmp_path, toy_review, how):
    """1 record screened, no include: status's interval read '0%––' (the top unknown) where the record was decided
    before any ranking, '0%–100%' from a ranking. With no include found there is no recall to estimate an interval
    of: every row that has one says so in words, the same in both cases."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        if how == "before any ranking":
            rid = int(p.records_frame().index[0])
        else:
            rid = int(ScreeningSession(p, embedding_model="none").next_batch(1, explain=False)["record_id"].iloc[0])
        p.decide(rid, "exclude")
    out = runner.invoke(app, ["status", str(tmp_path / "review")], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "%––" not in out.output and "0%–100%" not in out.output, out.output
    for method in ("model-based", "hypergeometric"):
        row = next(line for line in out.output.splitlines() if method in line)
        assert row.split("│")[3].strip() == "not yet estimable: no include found", out.output  # not '(one-sided)'


def test_an_interval_with_one_end_unknown_is_no_interval():
    """The status table gave an interval known at one end only as '0%––'; the report shows no interval there."""
    from screener.cli.status_cmds import DASH, _span

    assert _span("0%", DASH) == _span(DASH, "100%") == DASH
    assert _span("2%", "100%") == f"2%{DASH}100%"


def test_a_dual_sample_drawn_while_its_reviewer_had_records_read_alone_is_not_the_teams_recall_check(
        tmp_path, toy_review):
    """Dual screening: ann read 8 records alone (8 of the 12 includes), then 'next --sample 100' drew from the records
    SHE had not screened, and both screened the draw (3 includes). The team counts ann's 8 as not screened yet, so
    the draw was no sample of what the team had left: QBCB read 'recall 95% (50-100%)' at a true 33% (4 of 12).
    The team's figure reads only draws made from every record the team had not settled."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    dec = {int(r): "include" if truth[r] else "exclude" for r in truth}
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        for who in ("ann", "bob"):
            for rid in (1, 2, 3, 4, 5):
                p.decide(rid, dec[rid], reviewer=who)
        s = ScreeningSession(p, embedding_model="none", reviewer="ann")
        for rid in s.next_batch(8, explain=False)["record_id"]:  # read by ann alone
            p.decide(int(rid), dec[int(rid)], reviewer="ann")
        drawn = _drawn_from_her_queue(s, 100)
        assert len(drawn) == 100
        for rid in drawn:
            for who in ("ann", "bob"):
                p.decide(int(rid), dec[int(rid)], reviewer=who)
        cur = p.current_decisions()
        true_recall = sum(truth[r] for r in cur.index) / sum(truth.values())
        st = recall_status(p)
    q = st["estimates"]["qbcb"]
    assert st["dual"].one_reviewer == 8 and true_recall == 4 / 12
    assert not q.stop and not q.recall_low > true_recall and not q.recall > true_recall
    assert "8 records screened by only one of the two reviewers" in q.note
    assert "the team has not settled" in q.note


def test_setting_a_dual_draw_aside_never_reads_bolder_than_reading_it(tmp_path, toy_review):
    """Dual screening: ann read 5 records alone and drew 60 (3 includes), set aside as no sample of what the team
    had left; once bob caught up, a draw of 250 held none. Read with both draws, the row said recall 90% (74-96%), no
    stop; read from the later draw alone it said 'at least 95% recall is certified' and advised stopping, with 3
    includes in 60 drawn records a moment before. Setting draws aside may only make the reading more cautious."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=12)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        _both_screened_the_first_20(p, csv, lambda rid: "include")
        s = ScreeningSession(p, embedding_model="none", reviewer="ann")

        def draw(n, hits):
            for i, rid in enumerate(_drawn_from_her_queue(s, n)):
                for who in ("ann", "bob"):
                    p.decide(rid, "include" if i < hits else "exclude", reviewer=who)

        alone = [int(r) for r in s.next_batch(5, explain=False)["record_id"]]
        for rid in alone:
            p.decide(rid, "exclude", reviewer="ann")
        draw(60, 3)  # set aside: drawn while ann had 5 records read alone
        for rid in alone:
            p.decide(rid, "exclude", reviewer="bob")
        draw(250, 0)  # from every record the team had left
        st = recall_status(p)
    q = st["estimates"]["qbcb"]
    assert "1 draw was made while its reviewer had screened records the other had not" in q.note
    assert not q.stop and "recall is certified" not in q.note
    assert q.recall_low < 0.8 and q.remaining_high >= 8


def test_a_dual_draw_whose_records_were_merged_as_duplicates_is_still_the_teams_recall_check(tmp_path, toy_review):
    """Dual screening in step: both reviewers screened a draw of 40 made when neither had read a record alone; then
    two of its records were merged as one study. The draw now held 39 studies, read as drawn from fewer records than
    the team had left: it was set aside 'made while its reviewer had screened records the other had not', and the row
    fell to recall unknown. A merge since the draw leaves what it was drawn from as it was."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=12)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        _both_screened_the_first_20(p, csv)
        ids = [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer="ann").next_batch(
            40, explain=False, sample=40)["record_id"]]
        for i, rid in enumerate(ids):
            for who in ("ann", "bob"):
                p.decide(rid, "include" if i < 2 else "exclude", reviewer=who)
        p.decide_duplicates(ids[5], ids[6], "merge", reviewer="ann")
        q = recall_status(p)["estimates"]["qbcb"]
    assert "the team has not settled" not in q.note and "random sample of 39 records" in q.note
    assert q.remaining_high < 240


def test_dual_draws_made_before_a_record_was_taken_out_of_a_duplicate_group_are_not_said_to_leave_out_records(
        tmp_path, toy_review):
    """Dual screening in step: two draws screened by both reviewers, then a record taken out of a duplicate group.
    The draws before it were set aside (a draw made then could not take that record), and the row also said they
    were 'made while their reviewer had screened records the other had not': no reviewer had; the record taken
    out counted as there at the draws."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=12)
    df = pd.read_csv(csv)
    pd.concat([df, df.iloc[250:252].assign(record_id=lambda d: d["record_id"] + 1000)]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        _both_screened_the_first_20(p, csv)
        s = ScreeningSession(p, embedding_model="none", reviewer="ann")
        for _ in range(2):
            for i, rid in enumerate(int(r) for r in s.next_batch(40, explain=False, sample=40)["record_id"]):
                for who in ("ann", "bob"):
                    p.decide(rid, "include" if i < 2 else "exclude", reviewer=who)
        copy, study = sorted((int(a), int(b)) for a, b in p._primary_of().items() if int(a) != int(b))[0]
        p.split_duplicates([study, copy], reviewer="ann")
        q = recall_status(p)["estimates"]["qbcb"]
    assert "taken out of a duplicate group" in q.note
    assert "screened records the other had not" not in q.note and "the team has not settled" not in q.note


def test_a_dual_reviewer_with_records_no_second_reviewer_has_screened_is_drawn_no_sample_and_told_why(
        tmp_path, toy_review):
    """Dual screening: ann read 8 records alone, then 'next --sample 100' drew 100 of the records SHE had not
    screened. Both screened them, and only then did status set the draw aside: it left out her 8 (her includes
    among them), so 100 records were screened as a sample for nothing. Now no sample is drawn while she has records
    no second reviewer has screened: she is told it waits for them, and how many; once bob has screened them, the
    draw is the team's recall check."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    dec = {int(r): "include" if truth[r] else "exclude" for r in truth}
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv], column_map={"label": None})
        for who in ("ann", "bob"):
            for rid in (1, 2, 3, 4, 5):
                p.decide(rid, dec[rid], reviewer=who)
        s = ScreeningSession(p, embedding_model="none", reviewer="ann")
        alone = [int(r) for r in s.next_batch(8, explain=False)["record_id"]]
        for rid in alone:
            p.decide(rid, dec[rid], reviewer="ann")
        batch = s.next_batch(100, explain=False, sample=100)
        assert len(batch) == 100 and not batch["sampled"].any() and not p._pending_sample()
        said = " ".join(s.sample_waits.split())
        assert said.startswith("No random sample is drawn") and "8 records" in said
        assert "until the other reviewer has screened" in said
        for rid in alone:
            p.decide(rid, dec[rid], reviewer="bob")
        batch = s.next_batch(100, explain=False, sample=100)
        assert batch["sampled"].sum() == 100 and s.sample_waits == ""
        for rid in batch["record_id"]:
            for who in ("ann", "bob"):
                p.decide(int(rid), dec[int(rid)], reviewer=who)
        q = recall_status(p)["estimates"]["qbcb"]
    assert "set aside" not in q.note and "the team has not settled" not in q.note
    assert "random sample of 100 records" in q.note


def test_a_dual_draw_from_a_session_kept_open_across_a_search_update_takes_the_new_records_too(tmp_path, toy_review):
    """A ScreeningSession (Python API) kept open while a search update of 60 records was imported drew its next
    sample from the records it had read when it opened: the draw left the 60 out, and status set it aside as made
    'while its reviewer had screened records the other had not', which no reviewer had (both screened every record
    in step). A session notices records imported since and draws from them too: the draw is the team's check."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        _both_screened_the_first_20(p, csv)
        s = ScreeningSession(p, embedding_model="none", reviewer="ann")
        s.next_batch(5, explain=False)
        _search_update(p, tmp_path, 60)
        batch = s.next_batch(100, explain=False, sample=100)
        assert batch["sampled"].sum() == 100 and batch["record_id"].max() > 120
        for i, rid in enumerate(int(r) for r in batch["record_id"]):
            for who in ("ann", "bob"):
                p.decide(rid, "include" if i < 2 else "exclude", reviewer=who)
        q = recall_status(p)["estimates"]["qbcb"]
    assert "screened records the other had not" not in q.note and "the team has not settled" not in q.note
    assert "random sample of 100 records" in q.note


def test_a_dual_draw_made_before_a_search_update_is_not_said_to_leave_out_records_a_reviewer_read(
        tmp_path, toy_review):
    """Dual screening in step: 'next --sample 50' drew from every record the team had left, then a search update of
    60 records was imported before the draw was screened. The row set the draw aside as made 'while its reviewer had
    screened records the other had not', which no reviewer had: the draw came from every record there was then. It
    is read as single screening reads it: a sample of the records it was drawn from, the 60 never ranked counted
    apart as unknown."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        _both_screened_the_first_20(p, csv)
        batch = ScreeningSession(p, embedding_model="none", reviewer="ann").next_batch(50, explain=False, sample=50)
        _search_update(p, tmp_path, 60)
        for i, rid in enumerate(int(r) for r in batch["record_id"]):
            for who in ("ann", "bob"):
                p.decide(rid, "include" if i < 2 else "exclude", reviewer=who)
        q = recall_status(p)["estimates"]["qbcb"]
    assert "screened records the other had not" not in q.note and "the team has not settled" not in q.note
    assert "random sample of 50 records" in q.note and not q.stop and q.remaining_high >= 60


def _ana_ahead_of_ben(p, csv, *, conflict: bool) -> list[int]:
    """A dual project's first 60 records screened by ana and ben alike, the next 5 by ana alone and, with
    ``conflict``, the 66th by both in disagreement (exclude / include); the record ids, in order."""
    truth = _truth(csv)
    p.import_files([csv], column_map={"label": None})
    ids = [int(i) for i in p.records_frame().index]
    for k, rid in enumerate(ids[:65]):
        for who in ("ana", "ben") if k < 60 else ("ana",):
            p.decide(rid, "include" if truth[rid] else "exclude", reviewer=who)
    if conflict:
        p.decide(ids[65], "exclude", reviewer="ana")
        p.decide(ids[65], "include", reviewer="ben")
    return ids


def test_dual_status_says_the_sample_waits_in_the_words_next_says_them(tmp_path, toy_review):
    """Dual screening: ana had read 5 records alone, excluded 54 unread at her stop, and 1 record was in conflict.
    'status' and the dashboard advised a random sample ("'screener next' mixes it into the batches"), which 'next
    --reviewer ana --sample' then refused to draw; and 'next' counted the 54 she never read among "the 59 records
    only ana has screened so far". Now status, the dashboard and 'next' say one sentence: what the sample waits for,
    the records excluded unread apart; each reviewer's own."""
    from screener.screening import ScreeningSession, sample_waits
    from screener.store.base import REST_EXCLUDED
    from screener.web.dashboard import stopping_summary

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        ids = _ana_ahead_of_ben(p, toy_review(tmp_path / "toy.csv", n=120, n_include=12), conflict=True)
        for rid in ids[66:]:
            p.decide(rid, "exclude", reviewer="ana", origin=REST_EXCLUDED + "ana_rest.csv")
        message = " ".join(recall_status(p)["advice"].message.split())
        dashboard = " ".join(stopping_summary(p)["message"].split())
    ana = ("No random sample is drawn for ana until the other reviewer has screened the 5 records only ana has "
           "screened so far and the 54 records ana excluded without screening when screening stopped, and the "
           "conflict on 1 record ana screened is settled.")
    ben = "No random sample is drawn for ben until the conflict on 1 record ben screened is settled."
    assert "random sample of about" in message and ana in message and ben in message, message
    assert ana in dashboard and ben in dashboard, dashboard
    r = runner.invoke(app, ["next", str(tmp_path / "dual"), "--n", "10", "-o", str(tmp_path / "ben.csv"),
                            "--embedding-model", "none", "--reviewer", "ben", "--sample", "3"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert ben in " ".join(r.output.split()), r.output
    with Project.open(tmp_path / "dual") as p:
        s = ScreeningSession(p, embedding_model="none", reviewer="ana")
        s.ranking()
        assert " ".join(sample_waits(p, "ana", s.unsettled_own).split()).startswith(ana)


def test_single_status_says_nothing_of_a_sample_waiting(tmp_path, toy_review):
    """Single screening: the sample advice is 'status''s as before, with no word of a sample waiting for anyone."""
    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    with Project.init(tmp_path / "single") as p:
        p.import_files([csv], column_map={"label": None})
        for rid in [int(i) for i in p.records_frame().index][:60]:
            p.decide(rid, "include" if truth[rid] else "exclude")
        message = " ".join(recall_status(p)["advice"].message.split())
    assert "('screener next' mixes it into the batches)" in message and "No random sample is drawn" not in message


@pytest.mark.parametrize("conflict", [True, False])
def test_dual_status_says_no_next_mixes_in_a_sample_that_waits_for_every_reviewer(tmp_path, toy_review, conflict):
    """Dual screening, a conflict on one record: ana's and ben's random samples both wait, so 'next' draws one for
    neither; but the advice still opened with "('screener next' mixes it into the batches)" before the sentences
    that said it would not (at 80%, "'screener next --sample 5' draws 5 records of each batch"). With every
    reviewer's sample waiting it now says the waiting sentences only; with ben's free (no conflict, only ana's
    records wait) 'next --reviewer ben' mixes it in, and the advice says so."""
    from screener.shell import shell_quote
    from screener.web.dashboard import stopping_summary

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        _ana_ahead_of_ben(p, toy_review(tmp_path / "toy.csv", n=120, n_include=12), conflict=conflict)
        message = " ".join(recall_status(p)["advice"].message.split())
        dashboard = " ".join(stopping_summary(p)["message"].split())
        asked = " ".join(recall_status(p, target_recall=0.8)["advice"].message.split())  # "'next --sample 5' draws"
    ana = "No random sample is drawn for ana until the other reviewer has screened the 5 records only ana has"
    ben = "No random sample is drawn for ben until the conflict on 1 record ben screened is settled."
    whole = f"'screener next {shell_quote(tmp_path / 'dual')} --reviewer NAME --sample 5' draws 5 records"
    assert (whole in asked) != conflict and ana in asked, asked
    for said in (message, dashboard):
        assert ana in said and (ben in said) == conflict, said
        if conflict:
            assert "can also certify recall on its own. No random sample is drawn for ana" in said, said
            assert "screener next' mixes it" not in said and "--sample 5' draws" not in said, said
        else:
            assert "on its own ('screener next' mixes it into the batches). No random sample is drawn for ana" in said


def test_a_random_start_read_with_a_search_update_is_not_said_found_by_the_ranking(tmp_path, toy_review):
    """No protocol: the first batch came in random order; then a search update. The advice reads every
    decision and said "so far the ranking found N includes in M records" beside "20 of the M decisions were
    not made from screener's ranking". What was found is now said found by the reviewer."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = _truth(csv)
    with Project.init(tmp_path / "r") as p:
        p.import_files([csv], column_map={"label": None})
        for _ in range(3):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        p.import_files([_second_search(tmp_path / "second.csv", n=60)])
        for rid in ScreeningSession(p, embedding_model="none").next_batch(5, explain=False)["record_id"]:
            p.decide(int(rid), "include" if int(rid) > 120 and "peer worker" in p.records_frame().loc[int(rid),
                                                                                                      "title"]
                     else "include" if truth.get(int(rid)) else "exclude")
    said = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    assert "decisions were not made from screener's ranking" in said, said
    assert "the screening found" in said, said
    assert "the ranking found" not in said, said


def test_dual_status_with_records_screened_by_one_reviewer_does_not_say_none_was_screened(tmp_path, toy_review):
    """Dual screening, ana had screened 10 records and ben none: 'status --team' said "No includes found yet: no
    record has been screened ... Start screening", beside "10 records were screened by only one of the two
    reviewers". Screening had begun: it says the records do not count as screened yet, and to keep screening."""
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=40, n_include=4)], column_map={"label": None})
        for rid in [int(i) for i in p.records_frame().index][:10]:
            p.decide(rid, "exclude", reviewer="ana")
        message = recall_status(p)["advice"].message
    assert "no record has been screened" not in message and "Start screening" not in message, message
    assert message.startswith("No includes found yet: no record counts as screened yet"), message
    assert "Keep screening;" in message, message
    out = _said(runner.invoke(app, ["status", "--team", str(d)]).output)
    assert "no record has been screened" not in out and "Keep screening;" in out, out
    with Project.init(tmp_path / "fresh", settings={"mode": "dual"}) as p:  # nothing decided: start, as before
        p.import_files([toy_review(tmp_path / "toy2.csv", n=40, n_include=4)], column_map={"label": None})
        assert "no record has been screened" in recall_status(p)["advice"].message


def test_a_teams_advice_speaks_of_the_records_screened_not_of_you(tmp_path, toy_review):
    """In a team (the owner screens nothing, ana and ben screen), the advice shown to the owner said "The 9 records
    you screened ..." and "The last 30 records you screened held no include": the owner screened none. The advice
    speaks of the records screened, whoever reads it (status, status --team, the dashboard share its words)."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    truth = _truth(csv)
    d = tmp_path / "dual"
    with Project.init(d, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        for _ in range(30):  # until the first include: the advice then says why it waits
            ids = [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer="ana").next_batch(
                10, explain=False)["record_id"]]
            for rid in ids:
                for who in ("ana", "ben"):
                    p.decide(rid, "include" if truth[rid] else "exclude", reviewer=who)
            if any(truth[rid] for rid in ids):
                break
        advice = recall_status(p)["advice"]
    assert advice.why and "screened" in advice.why, advice.message
    assert "you screened" not in advice.message and "you found" not in advice.message, advice.message
    for args in (["status", str(d), "--team"], ["status", str(d), "--team", "--json"]):
        out = runner.invoke(app, args, terminal_width=400)
        assert out.exit_code == 0, out.output
        assert "screened" in out.output and "you screened" not in out.output, out.output


def test_the_knee_note_counts_the_records_it_read_not_the_150_screened(tmp_path, toy_review):
    """10 excludes read in with 'screener label' before any ranking, then 140 records screened from one: 150
    screened, but the knee method reads the 140 from the ranking (as every estimate does). Its note said "needs a
    slope ratio of at least 150 and 150 records screened" beside "150 of 300 records screened": it now says the
    records it counts, and how many it has."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=6)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    earlier = tmp_path / "excluded_in_rayyan.csv"
    pd.DataFrame({"record_id": [r for r, t in truth.items() if not t][-10:], "decision": "exclude"}).to_csv(
        earlier, index=False)
    protocol = tmp_path / "protocol.toml"
    protocol.write_text(TOY_PROTOCOL, encoding="utf-8")
    with Project.init(tmp_path / "review", protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
    d = str(tmp_path / "review")
    assert runner.invoke(app, ["label", d, str(earlier)]).exit_code == 0
    with Project.open(d) as p:
        for rid in ScreeningSession(p, embedding_model="none").next_batch(140, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        st = recall_status(p)
    assert st["n_screened"] == 150 and "10 of the 150 decisions were not made" in st["advice"].message
    note = st["estimates"]["knee"].note
    assert "and 150 records screened from screener's rankings, 140 so far)" in note, note


def test_a_spreadsheet_labelled_in_file_order_after_a_ranking_gives_no_stop_with_includes_left(tmp_path, toy_review):
    """A reviewer screens the ranking's first batch, then reads records in file order in a spreadsheet and brings
    the decisions in with 'label': one include the ranking would pass over (worded as an exclude) is found there,
    two more are left unscreened (one with no abstract). Recall is 4 of 6: no method may say stop."""
    from screener.labels import import_labels
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=3)
    df = pd.read_csv(csv)
    df.loc[df["record_id"].isin([35, 55, 60]), "label_included"] = 1  # includes worded as excludes
    df.loc[df["record_id"] == 60, "abstract"] = ""
    df.to_csv(csv, index=False)
    truth = dict(zip(df["record_id"], df["label_included"]))
    with _ranked_from_the_start(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        top = [int(r) for r in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]]
        for rid in top:
            p.decide(rid, "include" if truth[rid] else "exclude")
        rows = [r for r in sorted(truth) if r not in top and r < 50]  # the spreadsheet, in file order
        sheet = tmp_path / "sheet.csv"
        pd.DataFrame({"record_id": rows, "decision": ["include" if truth[r] else "exclude" for r in rows]}).to_csv(
            sheet, index=False)
        import_labels(p, sheet)
        st = recall_status(p)
        found = {int(r) for r, d in p.current_decisions()["decision"].items() if d != "exclude"}
    assert found & {55, 60} == set() and st["includes_found"] == 4  # recall 4/6, under the 95% target
    assert not st["advice"].stop and not any(e.stop for e in st["estimates"].values())
    assert "records that a ranking put before records screened from it are still unscreened" in st["advice"].message


def test_a_random_start_read_as_a_random_sample_says_no_row_is_one_sided(tmp_path, toy_review):
    """Before any ranking every method's figures are the random sample's exact two-sided interval, yet the
    hypergeometric test's row said '17%–24% (one-sided)' beside the model-based row's same '17%–24%': a one-sided
    bound has no top below 100%."""
    from screener.screening import ScreeningSession
    from screener.web.dashboard import stopping_summary

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=40)
    truth = _truth(csv)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        session = ScreeningSession(p, embedding_model="none")
        b = session.next_batch(10, explain=False)
        assert session.last_rank_info["phase"] == "random"
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        e = recall_status(p)["estimates"]["hypergeometric"]
        assert "read as a random sample" in e.note, e
        summary = stopping_summary(p)
    hg = next(e for e in summary["estimates"] if e["method"] == "hypergeometric")
    assert hg["sides"] == "two-sided"
    r = runner.invoke(app, ["status", str(tmp_path / "review")], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "(one-sided)" not in r.output, r.output
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["report", str(tmp_path / "review"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = " ".join(out.read_text(encoding="utf-8").split())
    assert "(one-sided)" not in html.split('id="estimates"', 1)[1].split("</table>", 1)[0]


def test_status_json_says_which_intervals_are_one_sided_as_the_printed_status_does(tmp_path, toy_review):
    """'status --json' gave each method's recall_low and recall_high but not what the interval is: a tool could
    only take the hypergeometric test's for a one-sided bound by its name, which a random start read as a random
    sample (every method given the sample's two-sided interval) made wrong. Each estimator says it ("sides"), as
    'status', the dashboard and the report do."""
    from screener.screening import ScreeningSession

    def sides(d):
        r = runner.invoke(app, ["status", str(d), "--json"])
        assert r.exit_code == 0, r.output
        return {k: e["sides"] for k, e in json.loads(r.output)["estimators"].items()}

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=40)
    truth = _truth(csv)
    for d, start in ((tmp_path / "random", Project.init), (tmp_path / "ranked", _ranked_from_the_start)):
        with start(d) as p:
            p.import_files([csv], column_map={"label": None})
            session = ScreeningSession(p, embedding_model="none")
            for rid in session.next_batch(10, explain=False)["record_id"]:
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    assert set(sides(tmp_path / "random").values()) == {"two-sided"}
    ranked = sides(tmp_path / "ranked")
    assert ranked["hypergeometric"] == "one-sided" and ranked["score_sample"] == "two-sided", ranked
def test_in_order_screening_while_other_workers_store_rankings_is_not_picked_far_below_the_top(tmp_path, toy_review):
    """A team server with several processes: two reviewers screen their pages in order while the other processes
    retrain and store a ranking after each decision. Each decision was read against the newest ranking stored
    before it, not the one that showed the record: in-order screening read as "picked far below the top of the
    ranking in use" (9 of 20 here), and the records that newer ranking put above them as passed over. Read
    against the ranking logged with it (the one it was shown from), none is."""
    from screener.screening import ScreeningSession
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=80, n_include=8)
    truth = _truth(csv)
    with _ranked_from_the_start(tmp_path / "dual", settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        pages = {w: ScreeningSession(p, embedding_model="none", reviewer=w) for w in ("ana", "ben")}
        other_process = ScreeningSession(p, embedding_model="none")
        for _ in range(2):
            shown = {w: [int(r) for r in s.next_batch(10, explain=False)["record_id"]] for w, s in pages.items()}
            for i in range(10):
                for w, s in pages.items():  # each decides her page's next record, in order
                    rid = shown[w][i]
                    s.decide(rid, "include" if truth[rid] else "exclude", reviewer=w)
                    other_process.ranking()  # retrained on it and stored meanwhile
        cur = p.current_decisions()
        assert len(cur) == 20 and len(p.store.rankings_frame()) > 20
        prov = ranking_provenance(p, cur, p.store.duplicate_ids())
        assert not (prov.why == "far").any(), int((prov.why == "far").sum())
        assert not len(prov.skipped)


@pytest.mark.parametrize("mode", ["dual", "single"])
def test_the_advice_to_rank_a_search_update_gives_the_whole_command(tmp_path, toy_review, mode):
    """A search update imported after screening: the advice ('status --json', the report, the dashboard) said 'Rank
    them with 'screener next'', which in dual screening refuses to run without --reviewer NAME, and named no review.
    It gives the command as the reviewer types it."""
    from screener.screening import ScreeningSession
    from screener.shell import shell_quote

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    update = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Update study {i} of peer workers", "doi": f"10.5555/update.{i}", "year": 2024}
                  for i in range(3)]).to_csv(update, index=False)
    with Project.init(tmp_path / "peer review", settings={"mode": mode}) as p:
        p.import_files([csv], column_map={"label": None})
        for rid in ScreeningSession(p, embedding_model="none").next_batch(20, explain=False)["record_id"]:
            for who in ("ana", "ben") if mode == "dual" else ("ana",):
                p.decide(int(rid), "exclude", reviewer=who)
        p.import_files([update])
        message = recall_status(p)["advice"].message
    assert message.startswith("Not yet: 3 of the records still to screen are not in the ranking"), message
    command = f"screener next {shell_quote(tmp_path / 'peer review')}" + (" --reviewer NAME" if mode == "dual" else "")
    assert f"Rank them with '{command}'" in message, message


def _samples_mixed_into_the_batches(tmp_path, toy_review):
    """A ranked review whose batches mix in records drawn at random, screened until QBCB's row has a figure of the
    includes left that differs from the model-based note's own reading of the sample (Horvitz-Thompson): (the
    project, its status, the note's own figure)."""
    from screener.report import fmt_num
    from screener.screening import ScreeningSession
    from screener.stopping.score_sample import ScoreSampleEstimator

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=60)
    truth = dict(zip(pd.read_csv(csv)["record_id"], pd.read_csv(csv)["label_included"]))
    p = _ranked_from_the_start(tmp_path / "review")
    p.import_files([csv], column_map={"label": None})
    for _ in range(8):
        b = ScreeningSession(p, embedding_model="none").next_batch(25, explain=False, sample=10)
        for rid in b["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        st = recall_status(p)
        q, h = st["estimates"]["qbcb"], st["history"]
        ht = ScoreSampleEstimator.horvitz_thompson(h)  # the note's own reading of the sample
        own = fmt_num(min(max(ht - h.includes_found, 0), h.n_remaining)) if ht is not None else None
        if np.isfinite(q.remaining) and own is not None and own != fmt_num(q.remaining):
            break
    return p, st, own


def test_the_random_samples_figure_of_the_includes_left_is_the_qbcb_rows_in_every_place(tmp_path, toy_review):
    """Batches with records drawn at random: the 'QBCB (random sample)' row gave the includes left as the sample
    reads them, and the model-based note under the table gave its own reading of the same sample ("the sample
    alone suggests about 8.2 left" beside 7.4 in the row): two figures for one thing, with nothing to say which to
    read. The note now quotes the row's figure, and names it."""
    from screener.report import fmt_num

    p, st, own = _samples_mixed_into_the_batches(tmp_path, toy_review)
    q = st["estimates"]["qbcb"]
    assert np.isfinite(q.remaining) and own != fmt_num(q.remaining), q.note
    note = st["estimates"]["score_sample"].note
    said = f"the random sample alone (QBCB) suggests about {fmt_num(q.remaining)} left"
    assert said in note and "the sample alone" not in note, note
    assert any(said in w for w in st["advice"].warnings), st["advice"].warnings
    out = " ".join(runner.invoke(app, ["status", str(p.dir)]).output.split())
    assert said in out, out
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)["estimators"]
    assert fmt_num(js["qbcb"]["remaining"]) == fmt_num(q.remaining) and said in js["score_sample"]["note"]


def test_the_random_samples_interval_is_said_one_sided_alike_by_every_front_end(tmp_path, toy_review):
    """Random samples mixed into the batches: QBCB's interval has the certificate's one-sided bound as its lower
    end (a 5% chance below it at 95%), but its row sat unmarked under '95% interval (two-sided)' in 'screener
    status', with "sides": "two-sided" in --json, the dashboard and the report. Every front end now marks it."""
    from screener.web.dashboard import stopping_summary

    p, st, _ = _samples_mixed_into_the_batches(tmp_path, toy_review)
    assert np.isfinite(st["estimates"]["qbcb"].recall_low)
    r = runner.invoke(app, ["status", str(p.dir)], env={"COLUMNS": "200"})
    rows = {line.split("│")[1].strip(): line.split("│")[3].strip() for line in r.output.splitlines()
            if line.startswith("│")}
    assert rows["QBCB (random sample)"].endswith("(one-sided)"), rows
    assert rows["hypergeometric test"].endswith("(one-sided)") and "one-sided" not in rows["model-based (recommended)"]
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)["estimators"]
    assert {k: v["sides"] for k, v in js.items() if k in ("qbcb", "hypergeometric", "score_sample")} == {
        "qbcb": "one-sided", "hypergeometric": "one-sided", "score_sample": "two-sided"}
    with Project.open(p.dir) as q:
        summary = stopping_summary(q)
    assert {e["method"]: e["sides"] for e in summary["estimates"]}["qbcb"] == "one-sided"
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(p.dir), "-o", str(out)]).exit_code == 0
    table = " ".join(out.read_text(encoding="utf-8").split()).split('id="estimates"', 1)[1].split("</table>", 1)[0]
    row = next(t for t in table.split("<tr")[1:] if "quantile binomial" in t)
    assert "(one-sided)" in row, row
@pytest.mark.parametrize("mode", ["dual", "single"])
def test_the_advice_to_draw_a_random_sample_gives_the_whole_command(tmp_path, toy_review, mode):
    """At 80% the advice asked for a random sample: "'screener next --sample 5' draws 5 records of each batch at
    random", naming no review, and in dual screening 'screener next' refuses to draw without --reviewer NAME. Status,
    status --json, the dashboard and the report give the command as the reviewer pastes it."""
    from screener.report import report_context
    from screener.shell import shell_quote
    from screener.web.dashboard import stopping_summary

    d = tmp_path / "peer's review"
    with Project.init(d, settings={"mode": mode, "target_recall": 0.8}) as p:
        csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
        if mode == "dual":  # ben's records all settled: his sample waits for nothing, 'next' draws it
            _ana_ahead_of_ben(p, csv, conflict=False)
        else:
            truth = dict(zip(pd.read_csv(csv)["record_id"], pd.read_csv(csv)["label_included"]))
            p.import_files([csv], column_map={"label": None})
            for rid in [int(i) for i in p.records_frame().index][:60]:
                p.decide(rid, "include" if truth[rid] else "exclude")
        said = {"advice": recall_status(p)["advice"].message, "dashboard": stopping_summary(p)["message"],
                "report": " ".join(report_context(p)["advice"]["details"])}
    team = ["--team"] if mode == "dual" else []  # the owner's view: the team's advice
    said["status"] = runner.invoke(app, ["status", str(d), *team], env={"COLUMNS": "1000"}).output
    said["json"] = json.loads(runner.invoke(app, ["status", str(d), *team, "--json"]).output)["advice"]
    command = f"screener next {shell_quote(d)}" + (" --reviewer NAME" if mode == "dual" else "") + " --sample 5"
    for where, text in said.items():
        text = " ".join(text.split())
        assert f"'{command}' draws 5 records of each batch at random" in text, (where, text)
        assert "'screener next --sample" not in text, (where, text)


@pytest.mark.parametrize("mode", ["dual", "single"])
def test_the_advice_to_keep_screening_from_the_ranking_gives_the_whole_command(tmp_path, toy_review, mode):
    """Records screened in the order they were imported, none from a ranking: the advice said "Keep screening with
    'screener next'", naming no review, and in dual screening 'screener next' refuses without --reviewer NAME."""
    from screener.shell import shell_quote

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=12)
    truth = dict(zip(pd.read_csv(csv)["record_id"], pd.read_csv(csv)["label_included"]))
    d = tmp_path / "peer's review"
    with Project.init(d, settings={"mode": mode}) as p:
        p.import_files([csv], column_map={"label": None})
        for rid in [int(i) for i in p.records_frame().index][:60]:
            for who in ("ana", "ben") if mode == "dual" else ("ana",):
                p.decide(rid, "include" if truth[rid] else "exclude", reviewer=who)
        message = " ".join(recall_status(p)["advice"].message.split())
    command = f"screener next {shell_quote(d)}" + (" --reviewer NAME" if mode == "dual" else "")
    assert f"Keep screening with '{command}' (or on the screening page)." in message, message


def test_nothing_screened_shows_no_estimate_rows_anywhere(tmp_path):
    """With no record screened, 'status' gave 'up to 50 includes left' by the model-based estimate and 52 by the
    hypergeometric test: two figures for one thing, with no screening to rest on. Status, its JSON, the dashboard
    and the report now show no estimate rows, and say in one line that nothing is screened yet."""
    from screener.records import empty_record
    from screener.report import build_report
    from screener.store import Source
    from screener.web.dashboard import stopping_summary

    d = tmp_path / "rev"
    p = Project.init(d, settings={"embedding_model": "none"})
    sid = p.store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 6))
    recs = []
    for i in range(6):
        r = empty_record()
        r.update(title=f"Record {i}", abstract="text", doi=f"10.9/{i}")
        recs.append(r)
    p.store.add_records(recs, sid)
    p.close()
    runner = CliRunner()
    out = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"}).output
    assert "hypergeometric" not in out and "Includes left" not in out, out
    assert "Nothing screened yet: no recall estimate" in out, out
    js = json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)
    assert js["estimators"] == {}
    with Project.open(d) as p:
        assert stopping_summary(p)["estimates"] == []
        assert 'id="estimates"' not in build_report(p)


def test_no_estimate_line_does_not_say_nothing_screened_while_one_reviewer_of_two_has_screened(tmp_path):
    """Dual screening, ana has screened 2 records and the team agrees on none: 'status --team' and the dashboard
    said 'Nothing screened yet' right under '2 records were screened by only one of the two reviewers'."""
    from screener.records import empty_record
    from screener.store import Source
    from screener.web.dashboard import stopping_summary

    d = tmp_path / "dual"
    p = Project.init(d, settings={"embedding_model": "none", "mode": "dual"})
    sid = p.store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 6))
    recs = []
    for i in range(6):
        r = empty_record()
        r.update(title=f"Record {i}", abstract="text", doi=f"10.9/{i}")
        recs.append(r)
    p.store.add_records(recs, sid)
    p.decide(1, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ana")
    p.close()
    out = " ".join(CliRunner().invoke(app, ["status", str(d), "--team"], env={"COLUMNS": "200"}).output.split())
    assert "Nothing screened yet" not in out, out
    want = "No record counts as screened yet (none agreed by the reviewers or settled): no recall estimate."
    assert want in out, out
    with Project.open(d) as p:
        assert stopping_summary(p)["no_estimate"] == want


def _qbcb_reading(high: float, sides: str, *, point: float = 2.0, low: float = 1.0, stop: bool = False):
    from screener.stopping.base import Estimate, recall_of

    return Estimate(method="qbcb", n_screened=300, includes_found=40, remaining=point, remaining_low=low,
                    remaining_high=high, recall=recall_of(40, point), recall_low=recall_of(40, high),
                    recall_high=recall_of(40, low), stop=stop, note="random sample of 60 records.", sides=sides)


def test_the_more_cautious_of_two_random_sample_readings_keeps_the_sides_of_the_end_it_shows():
    """Dual screening with a draw set aside: QBCB's interval is the wider of the two readings (the draws kept
    alone, and all of them). Its lower end of recall came from the reading with all the draws, yet the row was
    marked as the draws kept alone read: the count bound's one-sided end (a 5% chance below it) was shown as a
    two-sided one (2.5%), and a two-sided end as one-sided. The mark is now that of the reading whose end is shown;
    where both give the same end, the draws kept alone's."""
    from screener.status import _no_bolder_than
    from screener.stopping.base import interval_sides

    proper, count = _qbcb_reading(3.0, ""), _qbcb_reading(6.0, "one-sided")
    q = _no_bolder_than(proper, count)
    assert q.remaining_high == 6.0 and interval_sides("qbcb", q) == "one-sided"
    q = _no_bolder_than(_qbcb_reading(3.0, "one-sided"), _qbcb_reading(6.0, ""))
    assert q.remaining_high == 6.0 and interval_sides("qbcb", q) == "two-sided"
    # the draws kept alone give the end shown (or the same): theirs
    assert interval_sides("qbcb", _no_bolder_than(count, proper)) == "one-sided"
    assert interval_sides("qbcb", _no_bolder_than(_qbcb_reading(6.0, ""), count)) == "two-sided"
    # an end unknown in either stays unknown, marked as the draws kept alone
    unknown = _no_bolder_than(_qbcb_reading(float("nan"), "one-sided"), _qbcb_reading(6.0, ""))
    assert np.isnan(unknown.remaining_high) and interval_sides("qbcb", unknown) == "one-sided"
    # the bound at the estimate itself (no wider than a point) beside a wider one: the wider one's mark
    tight = _no_bolder_than(_qbcb_reading(2.0, "", point=2.0, low=2.0), _qbcb_reading(5.0, "one-sided", point=2.0))
    assert (tight.remaining, tight.remaining_high, interval_sides("qbcb", tight)) == (2.0, 5.0, "one-sided")


def test_the_random_sample_note_names_the_record_one_reviewer_screened_as_status_does(tmp_path, toy_review):
    """Dual screening, 4 conflicts open and a record only Ana has screened: 'status --team' said '139 left to screen,
    1 screened by only one of the two reviewers so far and 4 conflicts', the random sample's note (QBCB: the
    dashboard's and the report's row) '(140 left to screen and 4 conflicts ...)', the record Ana screened among the
    records left to screen. The note now names it as status does; the figures are unchanged."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=10)
    truth = _truth(csv)
    with Project.init(tmp_path / "dual", settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        _six_batches_each(p, truth)
        rid = int(ScreeningSession(p, embedding_model="none", reviewer="ana").next_batch(1, explain=False)
                  ["record_id"].iloc[0])
        p.decide(rid, "exclude" if not truth[rid] else "include", reviewer="ana")
        st = recall_status(p)
        assert (st["dual"].conflicts, st["dual"].one_reviewer) == (4, 1)
        said = "139 left to screen, 1 screened by only one of the two reviewers so far and 4 conflicts waiting to be " \
            "settled"
        assert said in st["counts"].describe(4, by_one=1), st["counts"].describe(4, by_one=1)
        note = st["estimates"]["qbcb"].note
        assert f"of the 144 records not screened yet ({said}), if it holds no include" in note, note


def test_every_row_of_a_held_stop_reads_as_held(stopped):
    """A stop held (a sampled record not screened): the advice said 'Not yet' while the report's rows said 'not yet
    p = 0.0185 ...; stop' and the knee's or the baseline's met rules read as a stop. Each row that would say stop
    says it is held, and why, in status, --json, the dashboard and the report."""
    from screener.report import build_report, report_context
    from screener.screening import ScreeningSession
    from screener.web.dashboard import stopping_summary

    p, truth, tmp_path = stopped
    for _ in range(20):  # on until the hypergeometric test says stop too
        if recall_status(p)["estimates"]["hypergeometric"].stop:
            break
        for rid in ScreeningSession(p, embedding_model="none").next_batch(10, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    would = {k for k, e in recall_status(p)["estimates"].items() if e.stop}
    assert {"hypergeometric", "score_sample"} <= would, would
    p.remember_sample({[r for r in truth if r not in set(p.current_decisions().index)][0]: 0.05})
    st = recall_status(p)
    assert st["advice"].message.startswith("Not yet: 1 record drawn into the random sample")
    for k, e in st["estimates"].items():
        assert not e.stop and bool(e.held) == (k in would), (k, e.held)
        if k in would:
            assert "the stop is held: 1 record drawn into the random sample" in e.note, e.note
            assert not re.search(r"; stop\b", e.note) and "is certified" not in e.note, e.note
    js = json.loads(runner.invoke(app, ["status", str(p.dir), "--json"]).output)
    assert {k for k, e in js["estimators"].items() if e["held"]} == would
    out = runner.invoke(app, ["status", str(p.dir)]).output
    assert out.count("│ held") == len(would) and "│ yes" not in out, out
    rows = stopping_summary(p)["estimates"]
    assert {r["method"] for r in rows if r["held"]} == would
    rows = report_context(p)["estimates"]
    assert {r.method for r in rows if r.held} == would
    page = re.search(r'<table id="estimates">(.*?)</table>', build_report(p), flags=re.S).group(1)
    assert page.count('<span class="no">held</span>') == len(would) and "; stop." not in page, page
    assert all("the stop is held" in r.note for r in rows if r.held)

def test_status_names_a_full_text_not_retrieved_on_a_record_excluded_at_title_and_abstract_as_not_assessed(
        tmp_path, toy_review):
    """Record 1 passed on and assessed, record 2 excluded at title and abstract yet marked 'not retrieved' at full
    text: status said "1 of that report (record 2)", as if it were the report assessed. It is a report given a
    full-text decision, as the report words it."""
    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=4)], column_map={"label": None})
        p.decide(1, "include")
        p.decide(1, "exclude", stage="full_text")
        p.decide(2, "exclude")
        p.decide(2, "not_retrieved", stage="full_text")
    out = " ".join(runner.invoke(app, ["status", str(tmp_path / "r")]).output.split())
    said = out.split("Full text:", 1)[1].split("Estimated recall", 1)[0]
    assert "1 not retrieved" in said and "of that report" not in said, said
    assert "1 report given a full-text decision (record 2) was not included" in said, said
