"""'screener withdraw': a reviewer withdraws chosen decisions in the terminal, as 'Withdraw my decision' does on
the web (a 'retract' entry; the earlier entries stay in the log)."""

from __future__ import annotations

from typer.testing import CliRunner

from screener.cli import app
from screener.project import Project

runner = CliRunner()
ANA, BEN, OWNER = "ana", "ben", "olga"


def _review(tmp_path, mode: str = "dual", n: int = 4):
    """A review of ``n`` records 'Study 0'...; its folder and record ids."""
    src = tmp_path / "records.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i},Abstract {i}\n" for i in range(n)), encoding="utf-8")
    p = Project.init(tmp_path / "p", settings={"mode": mode, "embedding_model": "none"})
    p.import_files([src], source_db="TestDB")
    ids = [int(i) for i in p.records_frame().index]
    p.close()
    return tmp_path / "p", ids


def _said(r) -> str:
    return " ".join(r.output.split())


def test_a_dual_reviewer_withdraws_her_own_decisions_only(tmp_path):
    d, ids = _review(tmp_path)
    with Project.open(d) as p:
        for who, dec in ((ANA, "include"), (BEN, "exclude")):
            for i in ids[:2]:
                p.decide(i, dec, reviewer=who)
        before = len(p.decision_log())
    r = runner.invoke(app, ["withdraw", str(d), str(ids[0]), str(ids[1]), "--reviewer", ANA])
    said = _said(r)
    assert r.exit_code == 0, r.output
    assert f"Withdrew ana's 2 decisions: record {ids[0]} 'Study 0' (include)" in said, said
    assert f"record {ids[1]} 'Study 1' (include)" in said, said
    with Project.open(d) as p:
        log = p.decision_log()
        assert len(log) == before + 2  # the earlier entries kept, a withdrawal added for each
        assert list(log["decision"].iloc[-2:]) == ["retract", "retract"]
        assert set(log["reviewer"].iloc[-2:]) == {ANA}
        assert p.own_decision(ids[0], ANA) is None and p.own_decision(ids[1], ANA) is None
        assert p.own_decision(ids[0], BEN)["decision"] == "exclude"  # ben's stands


def test_dual_screening_asks_whose_decisions_to_withdraw(tmp_path):
    d, ids = _review(tmp_path)
    with Project.open(d) as p:
        p.decide(ids[0], "include", reviewer=ANA)
    r = runner.invoke(app, ["withdraw", str(d), str(ids[0])])
    assert r.exit_code == 1 and "--reviewer NAME" in _said(r) and "Traceback" not in r.output, r.output
    with Project.open(d) as p:
        assert len(p.decision_log()) == 1


def test_an_unknown_record_or_one_without_her_decision_changes_nothing(tmp_path):
    d, ids = _review(tmp_path)
    with Project.open(d) as p:
        p.decide(ids[0], "include", reviewer=ANA)
        p.decide(ids[1], "include", reviewer=BEN)
    unknown = max(ids) + 100
    for wrong, word in ((unknown, f"no record {unknown} in this review"),
                        (ids[1], f"record {ids[1]}: ana has no decision on it to withdraw")):
        r = runner.invoke(app, ["withdraw", str(d), str(ids[0]), str(wrong), "--reviewer", ANA])
        said = _said(r)
        assert r.exit_code == 1 and word in said and "Nothing was withdrawn" in said, said
        with Project.open(d) as p:  # all or nothing: ana's decision on the first record still stands
            assert len(p.decision_log()) == 2 and p.own_decision(ids[0], ANA)["decision"] == "include"


def test_single_screening_and_full_text_decisions(tmp_path):
    d, ids = _review(tmp_path, mode="single")
    with Project.open(d) as p:
        p.decide(ids[0], "include")
        p.decide(ids[0], "exclude", stage="full_text", reason="wrong population")
    r = runner.invoke(app, ["withdraw", str(d), str(ids[0]), "--stage", "full-text"])
    assert r.exit_code == 0 and f"record {ids[0]} 'Study 0' (exclude at full text)" in _said(r), r.output
    with Project.open(d) as p:
        assert p.own_decision(ids[0], "reviewer", stage="full_text") is None
        assert p.own_decision(ids[0], "reviewer")["decision"] == "include"  # title and abstract untouched


def test_single_screening_without_a_reviewer_speaks_of_the_review_not_of_reviewer(tmp_path):
    """In single screening, 'withdraw' without --reviewer said "record 2: reviewer has no decision on it
    to withdraw" and "Withdrew reviewer's 1 decision", 'reviewer' being screener's own name for the
    decisions entered without one. It says what there is to withdraw, and whose name to give when the
    record's decision was entered under a reviewer's name (on the web, say)."""
    d, ids = _review(tmp_path, mode="single")
    with Project.open(d) as p:
        p.decide(ids[0], "include")
        p.decide(ids[1], "exclude", reviewer=ANA)
    r = runner.invoke(app, ["withdraw", str(d), str(ids[2])])
    said = _said(r)
    assert r.exit_code == 1 and f"record {ids[2]} has no decision at title and abstract to withdraw" in said, said
    assert "reviewer has no decision" not in said and "Nothing was withdrawn" in said
    r = runner.invoke(app, ["withdraw", str(d), str(ids[1])])
    said = _said(r)
    assert r.exit_code == 1 and f"record {ids[1]}: its decision was entered under the name ana" in said, said
    assert f"'screener withdraw {d} {ids[1]} --reviewer ana'" in said, said
    r = runner.invoke(app, ["withdraw", str(d), str(ids[0])])
    said = _said(r)
    assert r.exit_code == 0 and f"Withdrew 1 decision: record {ids[0]} 'Study 0' (include)" in said, said
    assert "reviewer's" not in said and "the record is to screen again" in said, said
    with Project.open(d) as p:
        assert p.own_decision(ids[1], ANA)["decision"] == "exclude"


def test_the_owner_is_told_of_the_command_and_withdraws_her_try_of_the_tool(tmp_path):
    from screener.accounts import add_user, team_view_blind

    d, ids = _review(tmp_path)
    with Project.open(d) as p:
        for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
            add_user(p.store, name, role, "a long enough password 1")
        for i in ids:
            for who in (ANA, BEN):
                p.decide(i, "include", reviewer=who)
        p.decide(ids[0], "exclude", reviewer=OWNER)
    said = _said(runner.invoke(app, ["status", str(d), "--reviewer", OWNER]))
    assert f"withdraw olga's 1 decision ('screener withdraw {d} {ids[0]} --reviewer olga', or 'Withdraw my decision'" \
        in said, said
    r = runner.invoke(app, ["withdraw", str(d), str(ids[0]), "--reviewer", OWNER])
    assert r.exit_code == 0 and f"Withdrew olga's 1 decision: record {ids[0]} 'Study 0' (exclude)" in _said(r), \
        r.output
    with Project.open(d) as p:
        assert not team_view_blind(p)  # she screens nothing now: the blinding she held open is over


def test_withdrawing_a_decision_on_a_copy_a_search_update_grouped_under_another_names_its_title(tmp_path):
    """After a search update brought a fuller copy of a screened study (the study's own record now), withdrawing
    the decision on the record screened said "Withdrew yc's 1 decision: record 1 '' (exclude)": its title was
    looked up among the studies' own records only."""
    first, update = tmp_path / "first.csv", tmp_path / "update.csv"
    first.write_text("title,authors,year,doi\nPeer workers in harm reduction,Lee A,2020,10.5555/peer.1\n"
                     "Naloxone at home,Kim B,2019,10.5555/peer.2\n", encoding="utf-8")
    update.write_text("title,authors,year,doi,abstract,journal\nPeer workers in harm reduction,Lee A,2020,"
                      "10.5555/peer.1,A qualitative study of peers.,HRJ\n", encoding="utf-8")
    with Project.init(tmp_path / "p", settings={"embedding_model": "none"}) as p:
        p.import_files([first])
        p.decide(1, "exclude", reviewer="yc")
        p.import_files([update])
        assert not p.records_frame(primary_only=False).at[1, "is_primary"]  # the update's copy is the study's own
    r = runner.invoke(app, ["withdraw", str(tmp_path / "p"), "1", "--reviewer", "yc"])
    said = _said(r)
    assert r.exit_code == 0, r.output
    assert "Withdrew yc's 1 decision: record 1 'Peer workers in harm reduction' (exclude)" in said, said
