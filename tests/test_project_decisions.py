"""The decision log and what is derived from it: current labels, undo, dual screening."""

import pandas as pd
import pytest

from screener.errors import InputError, ProjectError
from screener.project import Project
from screener.records import empty_record
from screener.store import Decision, Source
from screener.store.sqlite import SCHEMA_VERSION


def _project(tmp_path, n=4, mode="single"):
    p = Project.init(tmp_path / "review", settings={"mode": mode})
    sid = p.store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, n))
    recs = []
    for i in range(n):
        r = empty_record()
        r.update(title=f"Record {i}", abstract="text", doi=f"10.9/{i}")
        recs.append(r)
    p.store.add_records(recs, sid)
    return p


def test_init_refuses_existing_project(tmp_path):
    Project.init(tmp_path / "r")
    with pytest.raises(ProjectError, match="already holds"):
        Project.init(tmp_path / "r")


def test_open_missing_project_says_how_to_create(tmp_path):
    with pytest.raises(ProjectError, match="screener init"):
        Project.open(tmp_path / "none")


def test_changed_mind_is_a_new_entry(tmp_path):
    p = _project(tmp_path)
    p.decide(1, "include")
    p.decide(2, "exclude")
    p.decide(1, "exclude", note="on second thought")
    cur = p.current_decisions()
    assert cur.loc[1, "decision"] == "exclude"
    assert len(p.decision_log()) == 3  # nothing overwritten
    assert p.labels().to_dict() == {1: 0, 2: 0}


def test_withdrawing_takes_back_only_ones_own_decision(tmp_path):
    """Single screening, two people: ana includes, ben excludes, ben withdraws his. Ana's include
    stands again; withdrawing had made the study unscreened, as if no one had decided it."""
    p = _project(tmp_path)
    p.decide(1, "include", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben")
    assert p.current_decisions().loc[1, "decision"] == "exclude"
    p.undo(1, reviewer="ben")
    cur = p.current_decisions()
    assert cur.loc[1, "decision"] == "include" and cur.loc[1, "reviewer"] == "ana"
    p.undo(1, reviewer="ana")
    assert 1 not in p.current_decisions().index


def test_withdrawing_with_no_decision_of_ones_own_is_refused(tmp_path):
    """A withdrawal by someone who never decided the study was logged and, before, wiped the
    decision a teammate had made."""
    p = _project(tmp_path)
    p.decide(2, "include", reviewer="ana")
    with pytest.raises(InputError, match="ben has no decision on it to withdraw"):
        p.undo(2, reviewer="ben")
    assert p.current_decisions().loc[2, "decision"] == "include"
    assert p.decision_log()["decision"].tolist() == ["include"]


def test_a_resolver_withdrawing_a_resolution_opens_the_conflict_again(tmp_path):
    """The withdrawal was logged as a reviewer's, so the resolution still stood: accepted, logged,
    and nothing changed."""
    p = _project(tmp_path, mode="dual")
    p.decide(3, "include", reviewer="ana")
    p.decide(3, "exclude", reviewer="ben")
    p.decide(3, "include", reviewer="cy", role="resolver")
    assert p.current_decisions().loc[3, "decision"] == "include" and p.conflicts().empty
    p.undo(3, reviewer="cy")
    assert 3 not in p.current_decisions().index
    assert set(p.conflicts()["record_id"]) == {3}
    assert p.decision_log().iloc[-1][["decision", "role"]].tolist() == ["retract", "resolver"]


def test_undo_returns_record_to_unscreened(tmp_path):
    p = _project(tmp_path)
    p.decide(3, "include")
    p.undo(3)
    assert 3 not in p.current_decisions().index
    assert p.decision_log()["decision"].tolist() == ["include", "retract"]


def test_a_maybe_trains_the_ranking_as_an_include(tmp_path):
    """A maybe goes on to full text and the recall estimates count it as found: left out of the training
    labels, a reviewer who marked the uncertain relevant records maybe got a queue that learned nothing
    from them while the estimate counted them found."""
    from screener.project import labels_array

    p = _project(tmp_path)
    p.decide(1, "maybe")
    p.decide(2, "include")
    p.decide(3, "exclude")
    assert p.labels().to_dict() == {1: 1, 2: 1, 3: 0}
    assert labels_array(p, [1, 2, 3, 4]).tolist() == [1, 1, 0, -1]
    assert p.current_decisions().loc[1, "decision"] == "maybe"


def test_a_full_text_exclude_leaves_the_title_abstract_training_label_as_decided_there(tmp_path):
    """The title/abstract ranking learns the title/abstract decisions: a maybe (or include) excluded at full
    text still reads as worth a full-text look, which is what that ranking looks for."""
    p = _project(tmp_path)
    p.decide(1, "maybe")
    p.decide(2, "include")
    p.decide(1, "exclude", stage="full_text", reason="wrong population")
    p.decide(2, "exclude", stage="full_text", reason="wrong population")
    assert p.labels().to_dict() == {1: 1, 2: 1}
    assert p.labels(stage="full_text").to_dict() == {1: 0, 2: 0}


def test_bad_decisions_write_nothing(tmp_path):
    p = _project(tmp_path)
    with pytest.raises(InputError, match="no record with id 99"):
        p.decide_many([Decision(1, "include"), Decision(99, "include")])
    with pytest.raises(InputError, match="not one of include"):
        p.decide_many([Decision(1, "include"), Decision(2, "yes")])
    assert p.decision_log().empty


def test_decisions_follow_duplicate_groups(tmp_path):
    p = _project(tmp_path)
    p.store.replace_duplicate_groups(pd.DataFrame({"record_id": [1, 2, 3, 4], "group_id": [1, 1, 3, 4],
                                                   "is_primary": [True, False, True, True],
                                                   "reason": ["", "same DOI", "", ""]}))
    p.decide(2, "include")  # a decision on the copy counts for the study
    assert p.labels().to_dict() == {1: 1}
    assert list(p.records_frame().index) == [1, 3, 4]
    assert len(p.records_frame(primary_only=False)) == 4


def test_dual_mode_blinds_and_needs_agreement(tmp_path):
    p = _project(tmp_path, mode="dual")
    p.decide(1, "include", reviewer="ana")
    assert p.labels().empty  # one reviewer is not enough
    p.decide(1, "include", reviewer="ben")
    p.decide(2, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ben")
    assert p.labels().to_dict() == {1: 1}
    conf = p.conflicts()
    assert sorted(conf["reviewer"]) == ["ana", "ben"] and set(conf["record_id"]) == {2}
    assert p.current_decisions(reviewer="ana")["decision"].to_dict() == {1: "include", 2: "include"}
    p.decide(2, "exclude", reviewer="cy", role="resolver")
    assert p.conflicts().empty
    assert p.labels().to_dict() == {1: 1, 2: 0}


def test_a_reviewer_changing_a_decision_after_the_conflict_was_settled_reopens_it(tmp_path):
    from screener.status import dual_progress

    p = _project(tmp_path, mode="dual")
    p.decide(2, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ben")
    p.decide(2, "maybe", reviewer="olga", role="resolver")
    assert p.current_decisions()["decision"].to_dict() == {2: "maybe"} and p.conflicts().empty
    p.decide(2, "exclude", reviewer="ana")  # Ana changes her mind: now both say exclude
    assert p.current_decisions()["decision"].to_dict() == {2: "exclude"} and p.conflicts().empty
    p.decide(2, "include", reviewer="ben")  # and Ben: a new disagreement, to settle again
    assert p.current_decisions().empty and set(p.conflicts()["record_id"]) == {2}
    assert dual_progress(p).conflicts == 1
    p.decide(2, "include", reviewer="olga", role="resolver")
    assert p.current_decisions()["decision"].to_dict() == {2: "include"} and p.conflicts().empty


def test_a_settled_conflict_stays_settled_when_no_decision_changes(tmp_path):
    p = _project(tmp_path, mode="dual")
    p.decide(2, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ben")
    p.decide(2, "include", reviewer="olga", role="resolver")
    p.decide(2, "include", reviewer="ana", note="same decision, with a note")
    p.undo(2, reviewer="ben")  # withdrawn: the settled decision still stands
    p.decide(2, "include", reviewer="cy")  # a third reviewer agreeing with the settled decision
    assert p.current_decisions()["decision"].to_dict() == {2: "include"} and p.conflicts().empty
    p.decide(2, "exclude", reviewer="dee")  # a new reviewer disagreeing: to settle again
    assert p.current_decisions().empty and set(p.conflicts()["record_id"]) == {2}


def test_current_decisions_in_order_first_decided(tmp_path):
    p = _project(tmp_path)
    p.decide(3, "exclude")
    p.decide(1, "include")
    p.decide(3, "include")
    assert list(p.current_decisions().index) == [3, 1]


def test_export_only_and_atomic(tmp_path):

    p = _project(tmp_path)
    p.decide(1, "include", note="clearly in")
    p.decide(2, "exclude")
    out = tmp_path / "inc.csv"
    assert p.export(out, "csv", only="included") == 1
    df = pd.read_csv(out)
    assert df["title"].tolist() == ["Record 0"]
    assert df["decision"].tolist() == ["include"]
    assert "clearly in" in df["decision_note"].iloc[0]
    assert p.export(tmp_path / "un.csv", "csv", only="unscreened") == 2
    assert not list(tmp_path.glob("*.partial"))
    with pytest.raises(InputError, match="--only"):
        p.export(tmp_path / "x.csv", "csv", only="sometimes")


def test_export_to_a_pipe_or_device_writes_into_it_and_leaves_it_in_place(tmp_path):
    """'export DIR -o /dev/stdout --format csv' (to pipe the records on) wrote a temporary file and renamed it over
    the path: as root it put a regular file in place of /dev/stdout, said "Wrote 4 records", and the pipe got
    nothing. A path that is a pipe or a device is written into as it is."""
    import os
    import stat
    import threading

    p = _project(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    assert p.export(fifo, "csv") == 4
    reader.join(10)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, no file put in its place
    assert "Record 0" in got[0] and not list(tmp_path.glob("*.partial"))


def test_export_carries_the_notes_of_the_decisions_in_force_and_who_made_them(tmp_path):
    """A note on a decision since changed or withdrawn was exported beside the decision that
    stands, as if it were its reason ("meets all criteria" on an exclude), and the export did
    not say who decided."""
    p = _project(tmp_path)
    p.decide(1, "include", reviewer="ana", note="meets all criteria")
    p.decide(1, "exclude", reviewer="ben", note="not qualitative")
    p.decide(2, "include", reviewer="ana", note="peer workers, qualitative")
    p.decide(2, "include", reviewer="ana")  # entered again without a note: the note still holds
    p.decide(3, "exclude", reviewer="ana", note="wrong population")
    p.decide(3, "maybe", reviewer="ana")
    df = p.export_frame().set_index("title")
    assert df.loc["Record 0", ["decision", "decided_by", "decision_note"]].tolist() == [
        "exclude", "ben", "not qualitative"]
    assert df.loc["Record 1", ["decision", "decided_by", "decision_note"]].tolist() == [
        "include", "ana", "peer workers, qualitative"]
    assert df.loc["Record 2", ["decision", "decision_note"]].tolist() == ["maybe", ""]
    p.undo(1, reviewer="ben")  # ana's include stands again, with her note
    assert p.export_frame().set_index("title").loc["Record 0", ["decision", "decided_by", "decision_note"]].tolist() \
        == ["include", "ana", "meets all criteria"]
    assert "full_text_decision" not in df.columns  # no full-text screening in this review


def test_dual_export_names_each_reviewers_note_and_a_reviewers_own_export_only_theirs(tmp_path):
    """The owner's export ran both reviewers' notes together unnamed; a blind reviewer's own
    export must not say who else decided."""
    p = _project(tmp_path, mode="dual")
    p.decide(1, "include", reviewer="ana", note="clearly in")
    p.decide(1, "include", reviewer="ben", note="in, check dates")
    p.decide(2, "exclude", reviewer="ana")
    p.decide(2, "include", reviewer="ben", note="peer role unclear")
    p.decide(2, "exclude", reviewer="cy", role="resolver", note="not a drug service")
    team = p.export_frame().set_index("title")
    assert team.loc["Record 0", ["decision", "decided_by", "decision_note"]].tolist() == [
        "include", "ana, ben", "ana: clearly in | ben: in, check dates"]
    assert team.loc["Record 1", ["decision", "decided_by"]].tolist() == ["exclude", "cy (resolver)"]
    assert team.loc["Record 1", "decision_note"] == "ben: peer role unclear | cy (resolver): not a drug service"
    own = p.export_frame(reviewer="ben").set_index("title")
    assert own.loc["Record 0", ["decision", "decided_by", "decision_note"]].tolist() == [
        "include", "ben", "in, check dates"]
    assert own.loc["Record 1", ["decision", "decided_by", "decision_note"]].tolist() == [
        "include", "ben", "peer role unclear"]
    assert "ana" not in " ".join(own["decided_by"]) + " ".join(own["decision_note"])


def test_dual_export_leaves_out_the_note_of_a_resolution_no_longer_in_force(tmp_path):
    """The owner settled a conflict as exclude ("not MSM-specific"); Ben then changed his mind and
    the two reviewers agreed on include. The export said include, decided by "ana, ben", with the
    note "olga (resolver): not MSM-specific", the reason for an exclusion no longer in force."""
    p = _project(tmp_path, mode="dual")
    p.decide(2, "include", reviewer="ana", note="syndemic framing")
    p.decide(2, "exclude", reviewer="ben")
    p.decide(2, "exclude", reviewer="olga", role="resolver", note="not MSM-specific")
    assert p.export_frame().set_index("title").loc["Record 1", "decision_note"] == (
        "ana: syndemic framing | olga (resolver): not MSM-specific")
    p.decide(2, "include", reviewer="ben")  # reopened: the two now agree, and their agreement counts
    row = p.export_frame().set_index("title").loc["Record 1"]
    assert row[["decision", "decided_by", "decision_note"]].tolist() == ["include", "ana, ben", "ana: syndemic framing"]


def test_full_text_decisions_are_counted_and_exported(tmp_path):
    """Full-text decisions ('screener label --stage full_text') were saved and then shown
    nowhere: not in the PRISMA counts, the report or the export."""
    p = _project(tmp_path)
    for rid in (1, 2, 3):
        p.decide(rid, "include")
    p.decide(4, "exclude")
    p.decide(1, "include", stage="full_text", note="meets all criteria")
    p.decide(2, "exclude", stage="full_text", note="not qualitative")
    c = p.prisma_counts()
    assert (c["screened"], c["included"]) == (4, 3)
    assert (c["full_text_assessed"], c["full_text_included"], c["full_text_excluded"], c["full_text_maybe"]) == \
        (2, 1, 1, 0)
    df = p.export_frame().set_index("title")
    assert df["full_text_decision"].tolist() == ["include", "exclude", "", ""]
    assert df["full_text_note"].tolist() == ["meets all criteria", "not qualitative", "", ""]
    assert df["decision"].tolist() == ["include", "include", "include", "exclude"]
    from screener.report import build_report

    html = build_report(p)
    assert 'id="prisma-full-text">Reports assessed for eligibility (full text) <span class="n">(n = 2)' in html
    assert 'id="prisma-full-text-excluded">Reports excluded, with reasons <span class="n">(n = 1)' in html
    assert '<li>no reason given <span class="n">(n = 1)' in html  # the note is a note, not a reason
    assert 'id="prisma-studies-included">Studies included in review <span class="n">(n = 1)' in html


def test_sampled_decision_records_when_its_draw_was_made(tmp_path):
    from screener.status import screening_history

    p = _project(tmp_path, n=6)
    p.decide(1, "include")
    p.decide(2, "exclude")
    p.remember_sample({4: 0.5, 5: 0.5})  # drawn with 2 studies screened
    p.decide(3, "exclude")
    p.decide(5, "exclude")  # arrives without a sample flag, as from a batch file
    p.decide(4, "include", sampled=True, sample_prob=0.5)  # arrives flagged, as from the web screen
    log = p.decision_log().set_index("record_id")
    assert log.loc[[4, 5], "sample_drawn_at"].tolist() == [2, 2]
    assert log.loc[[1, 2, 3], "sample_drawn_at"].isna().all()
    h = screening_history(p)
    assert h.sampled.tolist() == [False, False, False, True, True]
    assert h.sample_drawn_at[h.sampled].tolist() == [2, 2]
    assert p.store.get_setting("pending_sample") == {}


def test_a_sampled_study_stays_in_the_sample_when_its_decision_is_undone_and_made_again(tmp_path):
    """The draw was made: undoing a mis-keyed decision on a sampled record, or correcting it later
    (terminal, batch file, web), must not take the record, and its include, out of the sample."""
    from screener.status import screening_history

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    p.remember_sample({4: 0.25, 5: 0.25})  # drawn with 1 study screened
    p.decide(4, "include")
    p.undo(4)
    p.decide(4, "include")  # entered again (the undo put it back into the pending sample)
    p.decide(5, "exclude")
    p.decide(5, "include", sampled=True, sample_prob=0.25)  # a correction on the web: flagged, no draw time
    p.decide(2, "include", sampled=True, sample_prob=0.5)  # flagged without a draw time (not drawn here)
    cur = p.current_decisions()
    assert cur.loc[[4, 5], "sampled"].astype(bool).all()
    assert cur.loc[[4, 5], "sample_prob"].tolist() == [0.25, 0.25]
    assert cur.loc[[4, 5], "sample_drawn_at"].tolist() == [1, 1]
    assert not bool(cur.loc[1, "sampled"])
    h = screening_history(p)
    assert h.sampled.tolist() == [False, True, True, True]
    assert h.labels[h.sampled].sum() == 3  # the sample's includes: 4, 5 and 2


def test_a_sampled_study_whose_decision_is_withdrawn_is_pending_in_the_sample_again(tmp_path):
    """A withdrawn decision on a sampled record leaves a drawn record unscreened: it goes back to the
    pending sample with its draw's probability and time (so the stop waits for it), and its next
    decision is the sample's, however it arrives. A teammate's decision still standing on it keeps
    it screened."""
    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    p.remember_sample({4: 0.25, 5: 0.25})  # drawn with 1 study screened
    p.decide(2, "exclude")
    p.decide(4, "include")
    p.decide(5, "exclude")
    p.decide(5, "exclude", reviewer="sam")
    assert p.store.get_setting("pending_sample") == {}
    p.undo(4)
    p.undo(5)  # sam's decision on 5 stands
    p.undo(2)  # never drawn
    assert p.store.get_setting("pending_sample") == {"4": [0.25, 1]}
    p.decide(4, "include", origin="web")  # arrives unflagged
    log = p.decision_log()
    last = log[log["record_id"] == 4].iloc[-1]
    assert bool(last["sampled"]) and last["sample_prob"] == 0.25 and last["sample_drawn_at"] == 1
    assert p.store.get_setting("pending_sample") == {}


def test_a_drawn_record_grouped_since_under_another_copy_is_the_samples_when_its_study_is_decided(tmp_path):
    """A record drawn into the random sample, then grouped with another copy that became the study's
    record (a merge, a later de-duplication), is screened as that copy (the screening page shows the
    study's record). Its decision was logged unflagged and the draw was lost: a sample include the
    ranking had missed no longer vetoed the stop ("you can stop" at 10 of 11 includes)."""
    from screener.status import screening_history

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    p.remember_sample({4: 0.25, 5: 0.25})  # drawn with 1 study screened
    p.store.replace_duplicate_groups(pd.DataFrame({"record_id": [1, 2, 3, 4, 5, 6], "group_id": [1, 2, 3, 3, 5, 6],
                                                   "is_primary": [True, True, True, False, True, True],
                                                   "reason": ["", "", "", "same DOI", "", ""]}))
    p.decide(3, "include")  # the study of drawn record 4, decided as its record
    p.decide(5, "exclude")
    cur = p.current_decisions()
    assert bool(cur.loc[3, "sampled"]) and cur.loc[3, "sample_prob"] == 0.25 and cur.loc[3, "sample_drawn_at"] == 1
    assert p.store.get_setting("pending_sample") == {}
    h = screening_history(p)
    assert h.sampled.tolist() == [False, True, True] and h.labels[h.sampled].sum() == 1


def test_a_drawn_record_grouped_since_under_a_screened_study_adds_nothing_to_the_sample(tmp_path):
    """A record drawn and then found to be a copy of a study screened before the draw is no record
    of the sample: a later change of that study's decision (or a full-text decision) is not logged
    as the sample's, which would read a record the ranking had screened as drawn at random."""
    from screener.status import screening_history

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    p.decide(2, "exclude")
    p.remember_sample({4: 0.25, 5: 0.25})  # drawn with 2 studies screened
    p.store.replace_duplicate_groups(pd.DataFrame({"record_id": [1, 2, 3, 4, 5, 6], "group_id": [1, 2, 3, 2, 5, 6],
                                                   "is_primary": [True, True, True, False, True, True],
                                                   "reason": ["", "", "", "same DOI", "", ""]}))
    p.decide(5, "include", stage="full_text")  # not the title/abstract screening the sample is of
    assert set(p.store.get_setting("pending_sample")) == {"4", "5"}
    p.decide(2, "include")  # the team changes its mind on record 2, whose copy 4 was drawn
    p.decide(5, "exclude")
    cur = p.current_decisions()
    assert not bool(cur.loc[2, "sampled"]) and bool(cur.loc[5, "sampled"])
    assert p.store.get_setting("pending_sample") == {}
    assert screening_history(p).sampled.tolist() == [False, False, True]


def test_dual_studies_awaiting_agreement_are_screened_not_unscreened_in_prisma(tmp_path):
    """A conflict, or a study one reviewer has decided, was read as a record nobody had screened."""
    from screener.report import build_report

    p = _project(tmp_path, n=6, mode="dual")
    for rid in (1, 2):
        p.decide(rid, "include", reviewer="ana")
        p.decide(rid, "include", reviewer="ben")
    p.decide(3, "include", reviewer="ana")
    p.decide(3, "exclude", reviewer="ben")  # a conflict
    p.decide(4, "exclude", reviewer="ana")  # ben has not screened it yet
    c = p.prisma_counts()
    assert (c["screened"], c["awaiting_agreement"], c["not_screened"]) == (2, 2, 2)
    html = build_report(p)
    assert "awaiting the two reviewers' agreement <span class=\"n\">(n = 2)" in html
    assert "2 await the two reviewers&#39; agreement, and 2 are not screened yet" in html
    single = _project(tmp_path / "single")
    single.decide(1, "include")
    assert single.prisma_counts()["awaiting_agreement"] == 0


def test_project_from_schema_1_is_upgraded_on_open(tmp_path):
    import sqlite3

    from screener.store.sqlite import SCHEMA_VERSION

    p = _project(tmp_path)
    p.decide(1, "include")
    p.close()
    db = next((tmp_path / "review").glob("*.sqlite*"))
    con = sqlite3.connect(db)
    # what a version-1 project looked like: no sample_drawn_at column
    con.executescript("""
        CREATE TABLE d1 AS SELECT decision_id, record_id, decision, reviewer, stage, note, origin, sampled,
            sample_prob, role, ranking_id, created_at FROM decisions;
        DROP TABLE decisions; ALTER TABLE d1 RENAME TO decisions; DROP TABLE leases;
        ALTER TABLE records DROP COLUMN volume; ALTER TABLE records DROP COLUMN issue;
        ALTER TABLE records DROP COLUMN pages; ALTER TABLE records DROP COLUMN start_page;
    """)
    con.execute("UPDATE settings SET value = '1' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with Project.open(tmp_path / "review") as q:
        assert q.current_decisions()["decision"].tolist() == ["include"]
        q.decide(2, "exclude")
        assert q.store.get_setting("schema_version") == SCHEMA_VERSION
        assert "sample_drawn_at" in q.decision_log().columns
        assert "volume" in q.store.records_frame().columns
        assert "request_id" in q.decision_log().columns and q.store.claims(ttl=60) == {}


def test_the_methods_paragraph_says_what_the_project_did(tmp_path):
    """No ranking used, a queue by uncertainty, two blind reviewers: the paragraph had claimed
    'the records most likely to be included were shown first' and one reviewer in each case."""
    from screener.report import methods_text, prisma_numbers

    p = _project(tmp_path, n=6)
    p.set_setting("embedding_model", "none")
    p.decide(1, "include")  # read in directly: no ranking was ever stored
    text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert "screener's prioritisation was not used" in text and "shown first" not in text
    p.store.save_ranking({"ranker": "default", "strategy": "uncertainty"},
                         pd.DataFrame({"record_id": [2, 3], "score": [0.6, 0.5]}), n_labelled=1)
    p.decide(2, "exclude")  # screened from that queue: the paragraph names it
    text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert "query strategy 'uncertainty'" in text and "sentence embeddings" not in text
    d = _project(tmp_path / "dual", mode="dual")
    d.store.save_ranking({"ranker": "default"}, pd.DataFrame({"record_id": [1], "score": [0.5]}), n_labelled=0)
    text = " ".join(methods_text(d, prisma_numbers(d), None))
    assert "two reviewers independently" in text and "reviewers' agreed decisions" in text


_RIS_WITH_DETAILS = """TY  - JOUR
TI  - Peer workers in harm reduction services
AU  - Chen, Y
PY  - 2021
T2  - Harm Reduction Journal
SN  - 1477-7517
PB  - BioMed Central
CY  - London
LA  - English
J2  - Harm Reduct J
DO  - 10.1186/s12954-021-00001
ER  - 
"""


@pytest.mark.parametrize("include_duplicates", [False, True])
def test_ris_export_keeps_the_records_issn_publisher_and_language(tmp_path, include_duplicates):
    """The RIS export is said to copy SN, PB, CY, LA and J2 from the original RIS record, but the
    project handed the writer its records without the originals: 'screener export -o x.ris' wrote
    no ISSN, publisher, place, language or journal abbreviation for any record (0 SN lines for the
    MSM fixtures' 642 records), and a reference library built from it had lost them."""
    src = tmp_path / "medline.ris"
    src.write_text(_RIS_WITH_DETAILS, encoding="utf-8")
    p = Project.init(tmp_path / "review")
    p.import_files([src])
    p.decide(1, "include", reviewer="ana")
    out = tmp_path / "included.ris"
    assert p.export(out, "ris", only="included", include_duplicates=include_duplicates) == 1
    text = out.read_text(encoding="utf-8-sig")
    for line in ("SN  - 1477-7517", "PB  - BioMed Central", "CY  - London", "LA  - English", "J2  - Harm Reduct J",
                 "N1  - Screening decision (screener): include"):
        assert line in text, line
    # a table has no column of originals
    p.export(tmp_path / "included.csv", "csv", only="included")
    assert "raw" not in pd.read_csv(tmp_path / "included.csv").columns


_EBSCO_WITH_DETAILS = """\
TI- Peer navigation for people leaving prison.
AU- Smith, John A.
SO- Journal of Example Studies
YR- 2014
PU- US : Example Publications
SN- 1049-7315
LA- English
AT- Journal Article
AN- 2014-43498-004

"""
_ENW_WITH_DETAILS = "%0 Journal Article\n%T Housing first and recovery.\n%A Lee, Ann\n%J Example Review\n%D 2019\n" \
    "%@ 1234-5678\n%I Example Press\n%G French\n"


@pytest.mark.parametrize("name,text,lines", [
    ("psycinfo.txt", _EBSCO_WITH_DETAILS, ("SN  - 1049-7315", "PB  - US : Example Publications", "LA  - English")),
    ("library.enw", _ENW_WITH_DETAILS, ("SN  - 1234-5678", "PB  - Example Press", "LA  - French"))])
def test_ris_export_keeps_the_issn_publisher_and_language_of_ebsco_text_and_endnote_records(tmp_path, name, text,
                                                                                            lines):
    """Records imported from EBSCOhost's tagged text ('SN- ', 'PU- ', 'LA- ') or EndNote's tagged file ('%@', '%I',
    '%G') went out of the RIS export without their ISSN, publisher and language, which an RIS import keeps: the
    export copied them only from an original written in RIS's tags. They go out under RIS's tags now."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    p = Project.init(tmp_path / "review")
    p.import_files([src])
    p.decide(1, "include", reviewer="ana")
    out = tmp_path / "included.ris"
    assert p.export(out, "ris", only="included") == 1
    written = out.read_text(encoding="utf-8-sig")
    for line in lines + ("TY  - JOUR",):
        assert line in written, (line, written)


def test_final_export_before_full_text_names_the_review_in_the_command_to_run(tmp_path):
    """'screener export peer-work -o final.ris --only final' before any full-text decision said "Enter the
    full-text decisions with 'screener label DIR FILE --stage full_text'": a placeholder where every other
    message names the review's folder ('screener label peer-work batch1.csv'). It names the folder now."""
    p = _project(tmp_path)
    p.decide(1, "include")
    with pytest.raises(InputError) as err:
        p.export(tmp_path / "final.ris", "ris", only="final")
    # the decisions file is the reviewer's own, marked as YOUR_EXPORT.ris is ('FILE' was pasted as it was)
    assert f"'screener label {p.dir} YOUR_DECISIONS.csv --stage full_text'" in str(err.value), str(err.value)
    assert "DIR" not in str(err.value) and "FILE" not in str(err.value)
    q = _project(tmp_path / "dual", mode="dual")  # the full text awaits the second reviewer
    q.decide(1, "include", reviewer="ana")
    q.decide(1, "include", reviewer="ana", stage="full_text")
    with pytest.raises(InputError) as err:
        q.export(tmp_path / "final.ris", "ris", only="final")
    assert f"'screener serve {q.dir}'" in str(err.value) and "DIR" not in str(err.value), str(err.value)
    assert f"'screener label {q.dir} YOUR_DECISIONS.csv --stage full_text" in str(err.value), str(err.value)


def test_final_export_while_full_texts_await_agreement_says_so(tmp_path):
    """Dual screening: with full texts assessed by one reviewer (or disagreed on), 'export --only
    final' said "there are no full-text decisions yet ... Enter the full-text decisions with
    'screener label ... --stage full_text'", which the team had done. It names the full texts
    awaiting agreement and how to settle them."""
    p = _project(tmp_path, mode="dual")
    for who in ("ana", "ben"):
        p.decide(1, "include", reviewer=who)
        p.decide(2, "include", reviewer=who)
    p.decide(1, "include", reviewer="ana", stage="full_text")
    p.decide(2, "include", reviewer="ana", stage="full_text")
    p.decide(2, "exclude", reviewer="ben", stage="full_text")
    assert p.prisma_counts()["full_text_awaiting"] == 2
    with pytest.raises(InputError) as err:
        p.export(tmp_path / "final.ris", "ris", only="final")
    assert "2 full texts await the two reviewers' agreement" in str(err.value)
    assert "no full-text decisions yet" not in str(err.value)
    assert not (tmp_path / "final.ris").exists()
    p.decide(1, "include", reviewer="ben", stage="full_text")  # agreed: now a final include
    assert p.export(tmp_path / "final.ris", "ris", only="final") == 1


def test_a_decision_and_a_new_sample_draw_at_once_on_the_server_lose_neither(tmp_path, pg_url):
    """Two reviewers of one review on PostgreSQL: one decides a record of the random sample while
    the other's new batch draws another into it. Each reads the pending sample and writes it back;
    read out of turn, the decision's rewrite dropped the new draw, whose decision then arrived
    unflagged and the recall check's sample lost it."""
    import threading
    import time

    import psycopg

    ana = Project.init(tmp_path / "review", database=pg_url)
    sid = ana.store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 3))
    recs = []
    for i in range(3):
        r = empty_record()
        r.update(title=f"Record {i}", abstract="text")
        recs.append(r)
    ana.store.add_records(recs, sid)
    ana.remember_sample({1: 0.5}, drawn_at=0)
    ben = Project.open(tmp_path / "review")
    read = ana._pending_sample
    drawing = threading.Thread(target=lambda: ben.remember_sample({2: 0.25}, drawn_at=0))

    def read_while_ben_draws():
        got = read()
        if not drawing.is_alive() and drawing.ident is None:
            drawing.start()  # ben draws now: done at once, or waiting for ana's turn to end
            with psycopg.connect(pg_url, autocommit=True) as con:
                while drawing.is_alive() and not con.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()").fetchone()[0]:
                    time.sleep(0.01)
        return got

    ana._pending_sample = read_while_ben_draws
    ana.decide(1, "include", origin="web")
    drawing.join()
    assert ana.store.get_setting("pending_sample") == {"2": [0.25, 0]}
    ben.decide(2, "exclude")
    log = ana.decision_log().set_index("record_id")
    assert log["sampled"].astype(bool).tolist() == [True, True]
    ana.close()
    ben.close()


def test_init_on_a_server_that_fails_leaves_the_database_empty(tmp_path, pg_url):
    """'screener init DIR --database URL' where DIR cannot be made (a file in the way, a folder one
    may not write to): the review was made on the server first and kept, so 'init' again, into a
    folder that works, was refused: 'already holds a screener project; open it instead' (there was
    no folder to open it from)."""
    (tmp_path / "reviews").write_text("a file, not a folder")
    with pytest.raises(ProjectError, match="cannot create the project in"):
        Project.init(tmp_path / "reviews" / "team", database=pg_url)
    with Project.init(tmp_path / "team", database=pg_url) as p:
        assert p.store.n_records() == 0 and p.settings["mode"] == "single"
    assert Project.open(tmp_path / "team").settings["mode"] == "single"


def test_a_reviewers_own_decisions_count_a_conflict_they_also_settled_once(tmp_path):
    # Ben screened two studies and then settled the conflict on one as resolver: 'screener label
    # --reviewer ben' said "Now ben: 6 of 16 records screened" (the study counted four times)
    from screener.status import screening_counts

    p = _project(tmp_path, mode="dual")
    p.decide(1, "include", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben")
    p.decide(2, "include", reviewer="ben")
    p.decide(1, "exclude", reviewer="ben", role="resolver")
    p.decide(3, "include", reviewer="olga", role="resolver")  # settled by one who never screened it
    assert p.current_decisions(reviewer="ben")["decision"].to_dict() == {1: "exclude", 2: "include"}
    assert screening_counts(p, "ben").screened == 2
    assert p.current_decisions(reviewer="olga").empty


def test_init_that_fails_leaves_no_project_behind_and_can_be_run_again(tmp_path, monkeypatch):
    """'screener init DIR --protocol protocol.toml' where the disk filled up as the protocol was
    copied: the error was shown, but DIR kept a project without the protocol (and without the
    settings asked for), and 'init' again said 'already holds a screener project; open it instead'."""
    import errno
    import shutil
    from pathlib import Path

    import screener.project as P

    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Experiences of peer workers in harm reduction services"\n'
                     'inclusion = ["qualitative studies of peer support by people with lived experience"]\n')

    def disk_full(src, dst, *a, **k):
        Path(dst).write_text('title = "Experiences of pe')  # as far as the disk had room
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    copyfile = shutil.copyfile
    monkeypatch.setattr(P.shutil, "copyfile", disk_full)
    with pytest.raises(OSError, match="No space left"):
        Project.init(tmp_path / "review", protocol=proto, settings={"mode": "dual"})
    assert not (tmp_path / "review").exists()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "notes.txt").write_text("the team's notes")
    with pytest.raises(OSError, match="No space left"):
        Project.init(tmp_path / "kept", protocol=proto)
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["notes.txt"]
    monkeypatch.setattr(P.shutil, "copyfile", copyfile)  # space freed: 'init' again
    with Project.init(tmp_path / "review", protocol=proto, settings={"mode": "dual"}) as p:
        assert p.protocol is not None and p.settings["mode"] == "dual"


def test_init_that_fails_as_the_project_file_is_made_leaves_none(tmp_path, monkeypatch):
    """The disk full as 'init' made the project file's tables: 'cannot create the project', and a
    file was left that 'init' again called a project ('already holds a screener project') while
    opening it said its format (None) was unknown."""
    import sqlite3

    from screener.store.sqlite import SQLiteStore

    real = SQLiteStore.set_setting

    def disk_full(self, key, value):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(SQLiteStore, "set_setting", disk_full)
    with pytest.raises(ProjectError, match="cannot create the project in .*database or disk is full"):
        Project.init(tmp_path / "review")
    assert not (tmp_path / "review").exists()
    monkeypatch.setattr(SQLiteStore, "set_setting", real)
    with Project.init(tmp_path / "review") as p:
        assert p.store.get_setting("schema_version") == SCHEMA_VERSION


def test_final_export_with_one_full_text_awaiting_agreement_reads_in_the_singular(tmp_path):
    """One full text assessed by one reviewer only: the message read '1 full text(s) await ... assessed them'."""
    p = _project(tmp_path, mode="dual")
    for who in ("ana", "ben"):
        p.decide(1, "include", reviewer=who)
    p.decide(1, "include", reviewer="ana", stage="full_text")
    with pytest.raises(InputError) as err:
        p.export(tmp_path / "final.ris", "ris", only="final")
    msg = str(err.value)
    assert "1 full text awaits the two reviewers' agreement (one reviewer has assessed it" in msg
    assert "(s)" not in msg and "Settle it on the Conflicts page" in msg
    assert not (tmp_path / "final.ris").exists()


def test_final_export_in_a_team_of_three_asks_for_a_second_reviewer_not_the_second(tmp_path):
    """Three reviewers: any of the others can assess a full text second; 'have the second reviewer assess it' and
    'the two reviewers' agreement' named a team of two that is not theirs."""
    p = _project(tmp_path, mode="dual")
    for rec, pair in ((1, ("ana", "ben")), (2, ("ben", "cara"))):
        for who in pair:
            p.decide(rec, "include", reviewer=who)
    p.decide(1, "include", reviewer="cara", stage="full_text")
    with pytest.raises(InputError) as err:
        p.export(tmp_path / "final.ris", "ris", only="final")
    msg = " ".join(str(err.value).split())
    assert "1 full text awaits the reviewers' agreement (one reviewer has assessed it" in msg, msg
    assert "have a second reviewer assess it" in msg and "the second reviewer" not in msg, msg


@pytest.mark.parametrize("ours_fails", [False, True])
def test_init_run_twice_at_once_in_one_folder_leaves_the_project_the_other_made(tmp_path, monkeypatch, ours_fails):
    """Two teammates ran 'screener init' on one new shared folder at the same moment. Both found it
    empty; the one that came second opened the project the other had just made as its own (its
    settings and protocol put over the other's, both told 'Created review project'), and when it
    failed (the disk full as its protocol was copied) its tidying up deleted the other's project
    file. The second is refused now, and the other's project stays as it made it."""
    import errno
    import shutil
    from pathlib import Path

    import screener.project as P

    d = tmp_path / "review"
    theirs, ours = tmp_path / "theirs.toml", tmp_path / "ours.toml"
    theirs.write_text('title = "Experiences of peer workers in harm reduction services"\n')
    ours.write_text('title = "Peer navigators in hospital emergency departments"\n')
    check, copyfile = P._check_protocol_copy, shutil.copyfile

    def disk_full(src, dst, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    def the_other_init_meanwhile(directory, path, before, *, init=False):
        check(directory, path, before, init=init)
        if init and Path(path) == ours:  # ours has found the folder empty and read its protocol
            monkeypatch.setattr(P, "_check_protocol_copy", check)
            Project.init(d, protocol=theirs, settings={"mode": "dual"}).close()
            if ours_fails:
                monkeypatch.setattr(P.shutil, "copyfile", disk_full)

    monkeypatch.setattr(P, "_check_protocol_copy", the_other_init_meanwhile)
    with pytest.raises(ProjectError, match="already holds a screener project"):
        Project.init(d, protocol=ours, settings={"mode": "single"})
    monkeypatch.setattr(P.shutil, "copyfile", copyfile)
    with Project.open(d) as p:
        assert p.settings["mode"] == "dual"
        assert p.protocol.title == "Experiences of peer workers in harm reduction services"


def test_not_retrieved_is_a_full_text_decision_that_prisma_counts_as_reports_not_retrieved(tmp_path):
    """PRISMA 2020 counts the reports whose full text could not be obtained ("Reports not retrieved")
    apart from the reports assessed and excluded; screener had no such decision. It takes
    'not_retrieved' at full text now: neither an include nor an exclusion (no reason counted), not a
    title/abstract decision, and the export writes it as the full-text decision."""
    p = _project(tmp_path, n=6)
    for rid in range(1, 7):
        p.decide(rid, "include" if rid <= 5 else "exclude")
    with pytest.raises(InputError, match="'not retrieved' is a full-text decision"):
        p.decide(1, "not_retrieved")
    p.decide(1, "include", stage="full_text")
    p.decide(2, "exclude", stage="full_text", reason="wrong outcome")
    p.decide(3, "not_retrieved", stage="full_text")
    p.decide(4, "not_retrieved", stage="full_text")
    c = p.prisma_counts()
    assert (c["full_text_sought"], c["full_text_not_retrieved"], c["full_text_assessed"], c["full_text_not_assessed"]) \
        == (5, 2, 2, 1)
    assert (c["full_text_included"], c["full_text_excluded"], c["full_text_excluded_reasons"]) == (
        1, 1, {"wrong outcome": 1})
    assert c["full_text_sought"] == c["full_text_not_retrieved"] + c["full_text_assessed"] + c["full_text_not_assessed"]
    assert (c["included"], c["excluded"]) == (5, 1)  # the title/abstract counts (and recall's labels) as they were
    assert p.labels().value_counts().to_dict() == {1: 5, 0: 1}
    out = p.export_frame()
    assert out.loc[3, "full_text_decision"] == "not_retrieved" and out.loc[3, "decision"] == "include"
    assert list(p.export_frame(only="final").index) == [1]
    p.close()


def test_a_report_only_one_reviewer_could_not_retrieve_is_not_counted_as_assessed(tmp_path):
    """Dual screening: a report one reviewer marked 'not retrieved', the other not assessed yet, was
    counted among the 'Reports assessed for eligibility' (awaiting the two reviewers' agreement), and the
    methods text said '1 was assessed for eligibility' of a report nobody had read. It is still to
    retrieve or assess; a report the two disagree on, one having read it, stays assessed, awaiting."""
    p = _project(tmp_path, n=4, mode="dual")
    for rid in range(1, 5):
        for who in ("ana", "ben"):
            p.decide(rid, "include", reviewer=who)
    p.decide(1, "not_retrieved", stage="full_text", reviewer="ana")
    p.decide(2, "not_retrieved", stage="full_text", reviewer="ana")
    p.decide(2, "include", stage="full_text", reviewer="ben")
    p.decide(3, "include", stage="full_text", reviewer="ana")
    c = p.prisma_counts()
    assert (c["full_text_sought"], c["full_text_not_retrieved"], c["full_text_assessed"], c["full_text_awaiting"],
            c["full_text_not_assessed"]) == (4, 0, 2, 2, 2), c
    assert c["full_text_sought"] == c["full_text_not_retrieved"] + c["full_text_assessed"] + c["full_text_not_assessed"]
    p.close()


@pytest.mark.parametrize("read_first", [True, False])
def test_dual_a_study_one_reviewer_excluded_unread_at_their_stop_counts_alike_whoever_entered_last(
        tmp_path, read_first):
    """Dual screening: Ann read record 1 and excluded it; Ben excluded it unread with the rest at his
    stop ('label rest.csv --reviewer ben --decision exclude'). The team's decision followed the later
    entry: Ben's last, PRISMA counted it as excluded unscreened; Ann's last (she read it after Ben's
    stop), as screened, and the recall estimate read one more screened exclude. Whoever entered last,
    it was read by one reviewer only: the rest excluded at a stop, as the order where Ben came last."""
    from screener.status import screening_counts
    from screener.store.base import REST_EXCLUDED

    p = _project(tmp_path, mode="dual")
    for rid in (2, 3):
        p.decide(rid, "exclude", reviewer="ann")
        p.decide(rid, "exclude", reviewer="ben")
    read = lambda: p.decide(1, "exclude", reviewer="ann")  # noqa: E731
    unread = lambda: p.decide(1, "exclude", reviewer="ben", origin=f"{REST_EXCLUDED}rest.csv")  # noqa: E731
    for step in ((read, unread) if read_first else (unread, read)):
        step()
    assert p.current_decisions().loc[1, "origin"].startswith(REST_EXCLUDED)
    c = screening_counts(p)
    assert (c.screened, c.excluded_unscreened) == (2, 1)
    counts = p.prisma_counts()
    assert (counts["screened"], counts["excluded_unscreened"]) == (2, 1)


def test_a_drawn_record_decided_as_sampled_without_its_probability_keeps_the_draws(tmp_path):
    """A script that saves a batch's rows with the batch's 'sampled' column (``decide(..., sampled=True)``) but no
    probability: logged without one, every later 'status' failed ("every sampled record needs an inclusion
    probability"). The pending draw gives its probability and time, as it does to an unflagged decision."""
    from screener.status import recall_status

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    p.remember_sample({4: 0.25})  # drawn with 1 study screened
    p.decide(4, "exclude", sampled=True)
    cur = p.current_decisions()
    assert (bool(cur.loc[4, "sampled"]), cur.loc[4, "sample_prob"], cur.loc[4, "sample_drawn_at"]) == (True, 0.25, 1)
    assert recall_status(p)["n_screened"] == 2


def test_a_decision_marked_sampled_with_no_draw_and_no_probability_is_refused_not_logged(tmp_path):
    """``decide(..., sampled=True)`` on a record no draw of screener's holds, with no probability: logged so, every
    later 'status' failed ("every sampled record needs an inclusion probability") and nothing the reviewer can run
    (a withdrawal, the decision again) took it back. It is refused, naming the record and what to give, and nothing
    is saved; a decision again on a record drawn before, flagged as the web sends it, is still taken."""
    from screener.status import recall_status

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    refused = r"record 5 was not drawn at random .*\(sampled\) with no inclusion probability"
    with pytest.raises(InputError, match=refused) as exc:
        p.decide_many([Decision(record_id=2, decision="exclude"),
                       Decision(record_id=5, decision="include", sampled=True)])
    assert "sample_prob" in str(exc.value) and "Nothing was saved" in str(exc.value), exc.value
    assert list(p.current_decisions().index) == [1]
    p.decide(5, "include", sampled=True, sample_prob=0.5)  # the caller's own draw, with its probability: taken
    p.remember_sample({4: 0.25})
    p.decide(4, "exclude", sampled=True)
    p.decide(4, "include", sampled=True)  # a second look at a drawn record, without the probability: taken
    cur = p.current_decisions()
    assert (cur.loc[4, "decision"], bool(cur.loc[4, "sampled"]), cur.loc[4, "sample_prob"]) == ("include", True, 0.25)
    assert recall_status(p)["n_screened"] == 3


def test_a_record_not_drawn_decided_as_sampled_without_a_probability_is_refused(tmp_path):
    """``decide(2, "include", sampled=True)`` on a record no random draw holds: stored, every later 'status' failed
    ("every sampled record needs an inclusion probability"), for good. Refused now, with nothing saved."""
    from screener.errors import InputError
    from screener.status import recall_status

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    with pytest.raises(InputError, match="record 2 was not drawn at random") as err:
        p.decide(2, "include", sampled=True)
    assert "without sampled" in str(err.value)
    with pytest.raises(InputError, match="record 3 was not drawn at random"):  # all or nothing
        p.decide_many([Decision(record_id=2, decision="include"),
                       Decision(record_id=3, decision="exclude", sampled=True)])
    assert list(p.current_decisions().index) == [1]
    for odd in (1.5, 0.0, float("nan")):  # a chance it could not have had: as broken a sample, refused too
        with pytest.raises(InputError, match="record 2: .*not a chance between 0 and 1"):
            p.decide(2, "include", sampled=True, sample_prob=odd)
    assert recall_status(p)["n_screened"] == 1
    p.decide(2, "include")
    assert not bool(p.current_decisions().loc[2, "sampled"])


def test_a_sampled_decision_already_logged_without_a_probability_reads_as_not_sampled(tmp_path):
    """A project that holds such a row (saved before it was refused): its status reads it as not sampled, and says
    so once; the row, entered again by a join of copies, does not break it either."""
    from screener.status import recall_status

    p = _project(tmp_path, n=6)
    p.decide(1, "exclude")
    p.store.append_decisions([Decision(record_id=2, decision="include", sampled=True)])  # as an older screener did
    p.store.append_decisions([Decision(record_id=3, decision="exclude", sampled=True)])
    p.decide(4, "exclude")
    p.deduplicate()
    p.decide_duplicates(2, 4, "merge")  # copies decided differently: record 2's row is entered again, as it was
    cur = p.current_decisions()
    assert not cur["sampled"].astype(bool).any()
    st = recall_status(p)
    assert st["n_screened"] == 3 and not st["history"].has_sample
    said = [w for w in st["advice"].warnings if "no inclusion probability" in w]
    assert len(said) == 1 and "records 2, 3 were" in said[0]
    # an older screener saved drawn records so too: the note does not say they were not drawn
    assert "the chance they had of being drawn was not saved" in said[0] and "not drawn" not in said[0], said
    p.undo(2)  # a withdrawal puts no record without a probability back into the draw
    assert p._pending_sample() == {}
    assert recall_status(p)["n_screened"] == 2


def test_the_methods_paragraph_claims_no_model_while_only_the_first_random_or_protocol_batch_is_screened(tmp_path):
    """Every record screened came from the random (or protocol-ranked) start: the paragraph said 'After that, a
    model ... was retrained', a step that had not happened; once a model's ranking is screened from, it says so."""
    from screener.report import methods_text, prisma_numbers

    for phase, start in (("random", "random order"), ("protocol", "")):  # (no protocol here: its words aside)
        p = _project(tmp_path / phase, n=6)
        p.store.save_ranking({"ranker": "default", "strategy": "max", "phase": phase},
                             pd.DataFrame({"record_id": [1, 2, 3, 4], "score": [0.0] * 4}), n_labelled=0)
        p.decide(1, "exclude")
        p.decide(2, "include")
        text = " ".join(methods_text(p, prisma_numbers(p), None))
        assert start in text and "After that" not in text and "retrained" not in text, text
        assert "No record screened so far was shown from a model's ranking" in text, text
        p.store.save_ranking({"ranker": "default", "strategy": "max", "phase": "model"},
                             pd.DataFrame({"record_id": [3, 4], "score": [0.9, 0.1]}), n_labelled=2)
        p.decide(3, "exclude")
        text = " ".join(methods_text(p, prisma_numbers(p), None))
        assert "After that, a model" in text and "No record screened so far" not in text, text


def test_export_says_who_made_the_full_text_decision(tmp_path):
    """The export named who decided at title and abstract ('decided_by') but not who made the full-text decision."""
    from screener.io import read_records
    from screener.io.export import write_records

    p = _project(tmp_path)
    p.decide(1, "include", reviewer="ana")
    p.decide(2, "include", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben", stage="full_text")
    df = p.export_frame()
    row = df.set_index("title").loc["Record 0"]
    assert row[["decided_by", "full_text_decision", "full_text_decided_by"]].tolist() == ["ana", "exclude", "ben"]
    assert df.set_index("title").loc["Record 1", "full_text_decided_by"] == ""
    csv = write_records(df, tmp_path / "out.csv", "csv")
    head = csv.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert head.index("full_text_decided_by") == head.index("full_text_decision") + 1
    assert read_records(csv).labels[:2] == ["include", "include"]
    ris = write_records(df, tmp_path / "out.ris", "ris").read_bytes().decode("utf-8-sig")
    assert "N1  - Full-text decided by (screener): ben" in ris.split("ER  - ")[0]


def test_the_methods_paragraph_claims_no_model_while_only_the_similarity_step_ranked(tmp_path):
    """The first record screened was an include, the next ones ranked by their similarity to it (no exclude yet, so
    no model could be trained): the paragraph said 'After that, a model ... was retrained', a step not taken."""
    from screener.report import methods_text, prisma_numbers

    p = _project(tmp_path, n=6)
    p.store.save_ranking({"ranker": "default", "strategy": "max", "phase": "random"},
                         pd.DataFrame({"record_id": [1, 2, 3, 4, 5, 6], "score": [0.0] * 6}), n_labelled=0)
    p.decide(1, "include")
    p.store.save_ranking({"ranker": "default", "strategy": "max", "phase": "similarity"},
                         pd.DataFrame({"record_id": [2, 3, 4, 5, 6], "score": [0.5] * 5}), n_labelled=1)
    p.decide(2, "include")
    text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert "After that" not in text and "retrained" not in text, text
    assert "shown by their similarity to the includes" in text, text
    assert "all 2 records screened came from these first stages" in text, text


def test_the_methods_paragraph_claims_no_model_while_only_one_reviewer_of_two_has_screened(tmp_path):
    """Dual screening, one reviewer has screened 2 records of the random start and the team agrees on none yet: the
    paragraph said a model 'was retrained on the reviewers' agreed decisions', of which there were none."""
    from screener.report import methods_text, prisma_numbers

    p = _project(tmp_path, n=6, mode="dual")
    p.store.save_ranking({"ranker": "default", "strategy": "max", "phase": "random"},
                         pd.DataFrame({"record_id": [1, 2, 3, 4, 5, 6], "score": [0.0] * 6}), n_labelled=0)
    p.decide(1, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ana")
    text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert "After that" not in text and "retrained" not in text, text
    assert "No record screened so far was shown from a model's ranking" in text, text
