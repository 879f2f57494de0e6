"""'screener conflicts' and 'screener blinding': the owner lists, resolves and ends the blinding from a terminal,
as on the web's Conflicts page (the same log entries, the same refusals)."""

from __future__ import annotations

import csv
import sqlite3

import pytest
from test_conflicts import ANA, BEN, OWNER, PLAN, dual_team
from typer.testing import CliRunner

from screener.accounts import add_user, blinding_ended
from screener.cli import app
from screener.conflicts import Resolution, resolve
from screener.project import Project

runner = CliRunner()


def _said(r) -> str:
    return " ".join(r.output.split())


def test_the_owner_lists_the_conflicts_with_both_decisions_and_who(tmp_path):
    d, ids = dual_team(tmp_path)
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER])
    said = _said(r)
    assert r.exit_code == 0, r.output
    assert "2 conflicts to resolve:" in said, said
    assert f"record {ids[1]} 'Study 1': ana: include; ben: exclude" in said, said
    assert f"record {ids[3]} 'Study 3'" in said and f"record {ids[0]} " not in said, said
    assert f"--resolve {ids[1]} include --reviewer olga" in said, said


def test_the_owner_resolves_one_conflict_logged_as_on_the_web(tmp_path):
    d, ids = dual_team(tmp_path)
    r = runner.invoke(app, ["conflicts", str(d), "--as", OWNER, "--resolve", str(ids[1]), "exclude",
                            "--note", "protocol 2b", "--reason", "wrong population"])
    said = _said(r)
    assert r.exit_code == 0, r.output
    assert f"Resolved 1 conflict under olga's name" in said and f"record {ids[1]} 'Study 1' as exclude" in said, said
    assert "1 conflict left to resolve" in said, said
    with Project.open(d) as p:
        last = p.decision_log().iloc[-1]
        assert (last.record_id, last.decision, last.role, last.reviewer, last.note, last.reason) == (
            ids[1], "exclude", "resolver", OWNER, "protocol 2b", "wrong population")
        assert p.current_decisions().loc[ids[1], "decision"] == "exclude"
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER])
    assert "1 conflict to resolve:" in _said(r) and f"record {ids[1]} " not in _said(r), r.output


def test_a_csv_of_resolutions_is_read_back_all_or_nothing(tmp_path):
    d, ids = dual_team(tmp_path)
    out = tmp_path / "conflicts.csv"
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--csv", str(out)])
    assert r.exit_code == 0 and "Wrote 2 conflicts to" in _said(r), r.output
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(x["record_id"]) for x in rows] == [ids[1], ids[3]]
    assert rows[0]["decisions"] == "ana: include; ben: exclude" and rows[0]["resolution"] == ""
    rows[0]["resolution"], rows[0]["note"] = "include", "meets 2b"
    rows[1]["resolution"] = "perhaps"  # a typo: nothing is saved, the line named
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with Project.open(d) as p:
        before = len(p.decision_log())
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolutions", str(out)])
    said = _said(r)
    assert r.exit_code == 1 and "row 3" in said and "'perhaps'" in said and "Nothing was saved" in said, said
    with Project.open(d) as p:
        assert len(p.decision_log()) == before
    rows[1]["resolution"] = ""  # left open
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolutions", str(out)])
    assert r.exit_code == 0 and "Resolved 1 conflict" in _said(r) and "1 conflict left" in _said(r), r.output
    with Project.open(d) as p:
        log = p.decision_log()
        assert len(log) == before + 1 and log.iloc[-1]["note"] == "meets 2b"


def test_refusals_name_why_and_save_nothing(tmp_path):
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben still screens
    with Project.open(d) as p:
        before = len(p.decision_log())
    cases = [
        (["--resolve", str(ids[1]), "include"], "who is acting"),  # no name
        (["--reviewer", ANA, "--resolve", str(ids[1]), "include"], "Conflicts are resolved by the project owner"),
        (["--reviewer", ANA], "Conflicts are resolved by the project owner"),  # a blind reviewer may not list them
        (["--reviewer", "zoe", "--resolve", str(ids[1]), "include"], "no account named 'zoe'"),
        (["--reviewer", OWNER, "--resolve", str(ids[0]), "include"], f"Record {ids[0]} has no conflict to resolve"),
        (["--reviewer", OWNER, "--resolve", str(ids[1]), "perhaps"], "'perhaps' is not one of include, exclude"),
    ]
    for extra, words in cases:
        r = runner.invoke(app, ["conflicts", str(d), *extra])
        said = _said(r)
        assert r.exit_code == 1 and words in said and "Traceback" not in r.output, (extra, said)
        if "--resolve" in extra:
            assert "Nothing was saved" in said, said
    with Project.open(d) as p:
        assert len(p.decision_log()) == before


def test_a_busy_review_refuses_the_resolution_and_saves_nothing(tmp_path, monkeypatch):
    from screener.store import sqlite as S

    d, ids = dual_team(tmp_path)
    monkeypatch.setattr(S, "BUSY_WAIT_S", 1.0)  # the wait (30 s) over sooner
    other = sqlite3.connect(d / "screener.sqlite", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a long import in another terminal, or the server saving a ranking
        r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolve", str(ids[1]), "include"])
        said = _said(r)
        assert r.exit_code == 1 and "the project is busy" in said and "Nothing of this change was saved" in said, said
        other.execute("ROLLBACK")
    finally:
        other.close()
    with Project.open(d) as p:
        assert (p.decision_log()["role"] == "resolver").sum() == 0


def test_the_blinding_before_anyone_screens_waits_for_two_reviewers_in_plain_words(tmp_path):
    """No one has screened yet: 'screener blinding' said it held 'until two reviewers has screened every record'."""
    d, _ = dual_team(tmp_path, plan={})
    r = runner.invoke(app, ["blinding", str(d)])
    said = _said(r)
    assert r.exit_code == 0 and "until two reviewers have screened every record" in said, said


def test_the_owner_ends_the_blinding_after_saying_what_it_means(tmp_path):
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben still screens: blind
    r = runner.invoke(app, ["blinding", str(d)])
    assert r.exit_code == 0 and "is blind" in _said(r) and "until ben has screened every record" in _said(r), r.output
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", ANA])
    assert r.exit_code == 1 and "Only the project owner can end the blinding" in _said(r), r.output
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER], input="n\n")
    said = _said(r)
    assert r.exit_code == 0 and "Ending it shows every reviewer the others' decisions" in said, said
    assert "The blinding was not ended" in said, said
    with Project.open(d) as p:
        assert not blinding_ended(p.store)
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER], input="y\n")
    assert r.exit_code == 0 and "blinding is ended for everyone (olga)" in _said(r), r.output
    with Project.open(d) as p:
        assert blinding_ended(p.store) and p.store.get_setting("blinding_ended")["by"] == OWNER
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", BEN])  # over: the reviewers may open them
    assert r.exit_code == 0 and f"1 conflict to resolve: - record {ids[1]} " in _said(r), r.output
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"])
    assert r.exit_code == 0 and "Nothing was changed" in _said(r), r.output


def test_the_blinding_an_update_made_blind_again_says_the_owner_had_ended_it(tmp_path):
    """The owner ended the blinding, then imported a search update: 'screener blinding' said only that the
    screening is blind until both have screened every record, as if she had never ended it, with no word of why
    (the web's Conflicts page says so)."""
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"])
    assert r.exit_code == 0, r.output
    update = tmp_path / "update.csv"
    update.write_text("title,abstract\nStudy 9,Abstract 9\n", encoding="utf-8")
    with Project.open(d) as p:
        p.import_files([update], source_db="Update")
    said = _said(runner.invoke(app, ["blinding", str(d)]))
    assert "is blind" in said and "olga ended the title/abstract blinding on 20" in said, said
    said_again = _said(runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"]))
    assert "blinding is ended for everyone" in said_again, said_again
    # ended again: who and when, as the Conflicts page says it, in a team of two 'the other's'
    said_again = _said(runner.invoke(app, ["blinding", str(d)]))
    assert "olga ended the title/abstract blinding on 20" in said_again and "blind again" not in said_again, said_again
    assert "every reviewer sees the other's decisions, whether or not they have screened every record" in said_again, \
        said_again
    assert "records were imported since (a search update), so the screening is blind again" in said, said
    # a team of two, as the Conflicts page says it: 'the other's', not 'the others'' of a team of three
    assert "no reviewer sees the other's decisions on them" in said, said


def test_single_screening_has_no_blinding_to_end(tmp_path):
    src = tmp_path / "records.csv"
    src.write_text("title,abstract\nStudy 0,Abstract 0\n", encoding="utf-8")
    with Project.init(tmp_path / "p", settings={"mode": "single", "embedding_model": "none"}) as p:
        p.import_files([src], source_db="TestDB")
    for cmd in (["blinding", str(tmp_path / "p"), "--end", "--reviewer", OWNER, "--yes"],
                ["conflicts", str(tmp_path / "p"), "--reviewer", OWNER]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 1 and "single mode" in _said(r), r.output


def test_full_text_conflicts_are_listed_and_resolved_at_full_text(tmp_path):
    # records 1 and 3 agreed includes at title and abstract: their reports are passed on to full text
    d, ids = dual_team(tmp_path, plan={ANA: ["include"] * 4, BEN: ["include", "exclude", "include", "exclude"]})
    with Project.open(d) as p:
        p.decide(ids[0], "include", reviewer=ANA, stage="full_text")
        p.decide(ids[0], "exclude", reviewer=BEN, stage="full_text", reason="wrong population")
    for name in (ANA, BEN):  # each has a report left: blind at full text
        r = runner.invoke(app, ["conflicts", str(d), "--reviewer", name, "--stage", "full_text"])
        assert r.exit_code == 1 and "Full-text conflicts are resolved by the project owner" in _said(r), r.output
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--stage", "full_text"])
    said = _said(r)
    assert r.exit_code == 0 and "1 conflict at full text to resolve:" in said, said
    assert f"record {ids[0]} 'Study 0': ana: include; ben: exclude (wrong population)" in said, said
    assert "not_retrieved" in said and "--stage full_text" in said, said
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--stage", "full_text", "--resolve",
                            str(ids[0]), "not_retrieved"])
    assert r.exit_code == 0 and "as not retrieved" in _said(r), r.output
    with Project.open(d) as p:
        assert p.conflicts(stage="full_text").empty
        assert p.current_decisions(stage="full_text").loc[ids[0], "decision"] == "not_retrieved"
        assert sorted(set(p.conflicts()["record_id"])) == [ids[1], ids[3]]  # the title/abstract ones untouched


def test_the_owner_ends_the_full_text_blinding_and_leaves_the_title_abstract_one(tmp_path):
    d, ids = dual_team(tmp_path, plan={ANA: ["include"] * 4, BEN: ["include", "exclude", "include", "exclude"]})
    with Project.open(d) as p:
        p.decide(ids[0], "include", reviewer=ANA, stage="full_text")
        p.decide(ids[2], "exclude", reviewer=BEN, stage="full_text")
    r = runner.invoke(app, ["blinding", str(d), "--stage", "full_text"])
    assert r.exit_code == 0 and "The full-text assessment is blind" in _said(r), r.output
    r = runner.invoke(app, ["blinding", str(d), "--stage", "full_text", "--end", "--as", OWNER, "--yes"])
    said = _said(r)
    assert r.exit_code == 0 and "others' full-text decisions, notes and reasons" in said, said
    assert "The full-text blinding is ended for everyone (olga)" in said, said
    with Project.open(d) as p:
        assert blinding_ended(p.store, "full_text") and not blinding_ended(p.store)
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", ANA, "--stage", "full_text"])  # she sees them now
    assert r.exit_code == 0 and "No conflicts at full text" in _said(r), r.output


def _write_rows(path, rows, **fmt) -> None:
    with open(path, "w", encoding=fmt.pop("encoding", "utf-8"), newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), **fmt)
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_row_of_the_file_that_is_no_conflict_is_named_by_its_row_and_nothing_is_saved(tmp_path, request, store):
    """A resolutions file whose middle row names a record the reviewers agree on, one settled by another resolver,
    a record twice or one the review lacks: the refusal named the record only, not the file or its row, and the
    owner had to search a long file for it. It names the file and the row, and what to do; nothing is saved."""
    database = request.getfixturevalue("pg_url") if store == "postgresql" else None
    d, ids = dual_team(tmp_path, plan={ANA: ["include"] * 5, BEN: ["include", "exclude", "include", "exclude",
                                                                     "exclude"]}, n=5, database=database)
    out = tmp_path / "conflicts.csv"
    assert runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--csv", str(out)]).exit_code == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(x["record_id"]) for x in rows] == [ids[1], ids[3], ids[4]]
    for row in rows:
        row["resolution"] = "include"
    with Project.open(d) as p:
        before = len(p.decision_log())
        add_user(p.store, "pia", "owner", "correct horse battery")
        resolve(p, [Resolution(ids[4], "exclude")], "pia")  # row 4's settled meanwhile by pia
    cases = [(ids[0], f"{out}, row 3: Record {ids[0]} has no conflict to resolve"),  # the reviewers agree on it
             (99, f"{out}, row 3: No record 99 in this review"),
             (ids[1], f"{out}, rows 2 and 3: record {ids[1]} is resolved twice"),
             (ids[3], f"{out}, row 4: Record {ids[4]}'s conflict was already resolved as exclude by pia")]
    for rid, words in cases:
        _write_rows(out, [rows[0], {**rows[1], "record_id": str(rid)}, rows[2]])
        r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolutions", str(out)])
        said = _said(r)
        assert r.exit_code == 1 and words in said, (rid, said)
        assert said.endswith("and read the file back. Nothing was saved."), said
    with Project.open(d) as p:
        assert len(p.decision_log()) == before + 1  # pia's only


def test_a_resolutions_file_saved_by_excel_is_read_with_its_rows_counted_as_excel_shows_them(tmp_path):
    """Excel in much of Europe saves the conflicts' CSV with semicolons in Windows-1252, and a row left empty
    between two stays in the file: such a file stopped with a traceback (a byte not UTF-8) or "no 'record_id'
    column", and a refusal after an empty row named the row above the one meant. Now it is read as 'label' reads a
    file of decisions, and a refusal names the row Excel shows."""
    d, ids = dual_team(tmp_path, plan={ANA: ["include"] * 5, BEN: ["include", "exclude", "include", "exclude",
                                                                     "exclude"]}, n=5)
    out = tmp_path / "conflicts.csv"
    assert runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--csv", str(out)]).exit_code == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0].update(resolution="Include", note="critère 2b")
    rows[2]["resolution"] = "perhaps"
    empty = dict.fromkeys(rows[0], "")
    _write_rows(out, [rows[0], empty, rows[1], rows[2]], delimiter=";", encoding="cp1252")
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolutions", str(out)])
    said = _said(r)
    assert r.exit_code == 1 and f"{out}, row 5 (record {ids[4]}): resolution 'perhaps'" in said, said
    rows[2]["resolution"] = ""
    with open(out, "w", encoding="cp1252", newline="") as fh:  # an empty line too, as a text editor leaves it
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        w.writeheader()
        w.writerow(rows[0])
        fh.write("\r\n")
        w.writerows(rows[1:])
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolutions", str(out)])
    assert r.exit_code == 0 and "Resolved 1 conflict" in _said(r), r.output
    with Project.open(d) as p:
        last = p.decision_log().iloc[-1]
        assert (last.record_id, last.decision, last.note) == (ids[1], "include", "critère 2b")


def test_the_help_and_the_readme_say_a_name_given_is_no_sign_in_and_who_the_blinding_holds_for():
    """'--reviewer olga' run by ana, a blind reviewer, lists every conflict with ben's decisions and notes: a
    terminal cannot tell who runs it. The help said only that, and the README that the same refusals hold as on the
    web, as if the blinding were enforced in a terminal. They say that the name is no sign-in, that whoever can run
    screener on the folder can read the decisions, and what keeps a blinding that holds: the folder kept to the
    owner, the reviewers screening in the browser."""
    from pathlib import Path

    import typer

    commands = typer.main.get_command(app).commands
    for name in ("conflicts", "blinding"):
        cmd = commands[name]
        said = " ".join(" ".join(p.help for p in cmd.params if "--reviewer" in p.opts).split())
        assert "a name given, not a sign-in" in said, (name, said)
        assert "anyone who can run screener on this folder" in said, (name, said)
    assert "not a sign-in" in " ".join(commands["conflicts"].help.split())
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    team = readme[readme.index("**Conflicts and the blinding from a terminal or a notebook.**"):]
    team = team[:team.index("**Blind dual screening, enforced by the server.**")]
    assert "`--reviewer` is a name given, not a sign-in" in team, team
    assert "keep the project folder to the owner" in team and "`screener serve`" in team, team


def test_csv_with_a_resolution_is_refused_not_left_unwritten(tmp_path):
    """'--resolve 2 include --csv left.csv' resolved the conflict and wrote no file, without a word: the owner
    looked for left.csv in vain (and the same file given to --csv and --resolutions would have been overwritten,
    her notes in it lost). The two are refused together, before anything is saved."""
    d, ids = dual_team(tmp_path)
    out = tmp_path / "left.csv"
    with Project.open(d) as p:
        before = len(p.decision_log())
    for extra in (["--resolve", str(ids[1]), "include"], ["--resolutions", str(out)]):
        out.write_text(f"record_id,resolution\n{ids[1]},include\n", encoding="utf-8")
        r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, *extra, "--csv", str(out)])
        said = _said(r)
        assert r.exit_code == 1 and "--csv writes the conflicts listed" in said and "Nothing was saved" in said, said
        assert out.read_text(encoding="utf-8") == f"record_id,resolution\n{ids[1]},include\n"
    with Project.open(d) as p:
        assert len(p.decision_log()) == before


def test_ending_the_title_abstract_blinding_says_how_the_full_text_one_ends(tmp_path):
    """The owner ending the title/abstract blinding read that the full-text assessment "stays blind until it ends on
    its own", as if she could do nothing: it ends once the reviewers have assessed every report passed on, or when
    she ends it with --stage full_text, which the message now gives."""
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben still screens: blind
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"])
    said = _said(r)
    assert r.exit_code == 0 and "ends on its own" not in said, said
    assert ("The full-text assessment stays blind until the reviewers have assessed every report passed on to full "
            f"text, or the owner ends it: 'screener blinding {d} --end --reviewer NAME --stage full_text'.") in said, \
        said


def test_status_says_conflicts_are_settled_in_a_terminal_too(tmp_path):
    """'screener status' sent the team to the Conflicts page of 'screener serve' alone to settle the conflicts, and a
    reviewer who had finished read that no command settles one: a team that works in a terminal never learnt of
    'screener conflicts'. Both name it now."""
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben still screens: ana finished
    r = runner.invoke(app, ["status", str(d), "--reviewer", ANA])
    said = _said(r)
    assert r.exit_code == 0, said
    assert (f"Conflicts are settled on the Conflicts page of 'screener serve {d}', or in a terminal with 'screener "
            f"conflicts {d} --reviewer NAME': by the review's owner at any time") in said, said
    with Project.open(d) as p:
        p.decide(ids[3], "exclude", reviewer=BEN)  # the blinding is over: the team's status
    r = runner.invoke(app, ["status", str(d)])
    said = _said(r)
    assert r.exit_code == 0, said
    assert (f"Settle the 2 conflicts on the Conflicts page of 'screener serve {d}', or in a terminal with 'screener "
            f"conflicts {d} --reviewer NAME' (the project owner") in said, said


def test_a_reason_given_with_a_resolution_other_than_exclude_is_refused_not_dropped(tmp_path):
    """'--resolve 2 include --reason "..."', or a file's row resolved as include with a reason, saved the resolution
    and dropped the reason without a word (a reason is kept for an exclusion only). Both are refused, saying to
    put it in the note; nothing is saved."""
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        before = len(p.decision_log())
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolve", str(ids[1]), "include",
                            "--reason", "meets 2b"])
    said = _said(r)
    assert r.exit_code == 1 and "--reason goes with a resolution as exclude" in said, said
    assert "--note" in said and "Nothing was saved" in said, said
    out = tmp_path / "conflicts.csv"
    out.write_text(f"record_id,resolution,note,reason\n{ids[1]},exclude,,wrong population\n"
                   f"{ids[3]},include,,meets 2b\n", encoding="utf-8")
    r = runner.invoke(app, ["conflicts", str(d), "--reviewer", OWNER, "--resolutions", str(out)])
    said = _said(r)
    assert r.exit_code == 1 and f"{out}, row 3 (record {ids[3]}): a reason is kept" in said, said
    assert "note column" in said and "Nothing was saved" in said, said
    with Project.open(d) as p:
        assert len(p.decision_log()) == before


def test_the_terminals_blind_refusals_say_the_owner_ends_the_blinding_in_a_terminal_too(tmp_path):
    """'status', 'report --reviewer' and the full-text refusals said the blinding ends "when the owner ends it on
    the Conflicts page of 'screener serve DIR'" only: an owner who keeps the review in a terminal did not learn of
    'screener blinding --end'. They name it, with --stage full_text for the full texts' blinding."""
    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})  # ben still screens: blind
    r = runner.invoke(app, ["status", str(d)])
    said = _said(r)
    assert r.exit_code == 1 and (f"when the owner ends it on the Conflicts page of 'screener serve {d}', or with "
                                 f"'screener blinding {d} --end --reviewer NAME'.") in said, said
    r = runner.invoke(app, ["report", str(d), "-o", str(tmp_path / "report.html"), "--reviewer", ANA])
    said = _said(r)
    assert r.exit_code == 1 and (f"the Conflicts page of 'screener serve {d}', or with 'screener blinding {d} --end "
                                 "--reviewer NAME'") in said, said
    (tmp_path / "ft").mkdir()
    d2, ids2 = dual_team(tmp_path / "ft", plan={ANA: ["include"] * 4, BEN: ["include"] * 4})
    with Project.open(d2) as p:
        p.decide(ids2[0], "include", reviewer=ANA, stage="full_text")
        p.decide(ids2[1], "exclude", reviewer=BEN, stage="full_text")
    r = runner.invoke(app, ["status", str(d2)])
    said = _said(r)
    assert r.exit_code == 1 and f"'screener blinding {d2} --end --reviewer NAME --stage full_text'" in said, said


def test_the_full_text_blinding_an_update_made_blind_again_says_so_of_the_full_texts(tmp_path):
    """The owner ended the full-text blinding, then imported a search update: 'screener blinding --stage full_text'
    said 'the screening is blind again: no reviewer sees the others' decisions', in a team of two, of the screening."""
    d, ids = dual_team(tmp_path)
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes", "--stage", "full_text"])
    assert r.exit_code == 0, r.output
    update = tmp_path / "update.csv"
    update.write_text("title,abstract\nStudy 9,Abstract 9\n", encoding="utf-8")
    with Project.open(d) as p:
        p.import_files([update], source_db="Update")
    said = _said(runner.invoke(app, ["blinding", str(d), "--stage", "full_text"]))
    assert "olga ended the full-text blinding on 20" in said, said
    assert "so the full texts are assessed blind again: no reviewer sees the other's full-text decisions" in said, said


def test_the_blinding_waiting_for_a_disabled_account_says_it_never_will(tmp_path):
    """ben left part-way and the owner disabled his account: 'screener blinding' said only that the screening is
    blind until ben has screened every record, where the Conflicts page and 'status --reviewer ana' say that ben can
    no longer sign in, so the owner ends it."""
    from screener.accounts import set_disabled

    d, ids = dual_team(tmp_path, plan={ANA: PLAN[ANA], BEN: PLAN[BEN][:3]})
    with Project.open(d) as p:
        set_disabled(p.store, BEN, disabled=True, by=OWNER)
    said = _said(runner.invoke(app, ["blinding", str(d)]))
    assert "until ben has screened every record" in said, said
    assert "ben's account is disabled, so ben cannot sign in to screen the rest" in said, said
    assert f"'screener blinding {d} --end --reviewer NAME'" in said, said
    with Project.open(d) as p:  # ben back on the team: nothing said of it
        set_disabled(p.store, BEN, disabled=False, by=OWNER)
    assert "disabled" not in _said(runner.invoke(app, ["blinding", str(d)]))


def test_the_owner_ends_the_blinding_for_a_reviewer_joining_after_the_others_finished(tmp_path):
    """ana and ben had screened every record, then cara joined: she is blind until she has screened every record
    too, and is told the owner may end the blinding, but 'screener blinding --end' said 'The blinding is over ...
    Nothing was changed' and left her blind. It says cara is still blind and ends it for her."""
    d, ids = dual_team(tmp_path)
    with Project.open(d) as p:
        add_user(p.store, "cara", "reviewer", "correct horse battery")
    said = _said(runner.invoke(app, ["blinding", str(d)]))
    assert "cara has not screened every record" in said and "--end --reviewer NAME" in said, said
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"])
    assert r.exit_code == 0 and "Nothing was changed" not in _said(r), r.output
    assert "blinding is ended for everyone (olga)" in _said(r), r.output
    with Project.open(d) as p:
        assert blinding_ended(p.store)


def test_a_blinding_over_for_everyone_is_not_ended_again(tmp_path):
    d, ids = dual_team(tmp_path)
    r = runner.invoke(app, ["blinding", str(d), "--end", "--reviewer", OWNER, "--yes"])
    assert r.exit_code == 0 and "is over" in _said(r) and "Nothing was changed" in _said(r), r.output
    with Project.open(d) as p:
        assert not blinding_ended(p.store)
