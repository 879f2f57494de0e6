"""One count of screened, included, maybe and left, printed alike by every front end (issue 12,
item 7), and one random-sample size in the advice and in QBCB's note."""

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from screener.cli import app
from screener.project import Project
from screener.status import count_decisions, recall_status, screening_counts

runner = CliRunner()


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
