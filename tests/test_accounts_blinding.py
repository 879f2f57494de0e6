"""Blinding per stage: the title/abstract end leaves the full texts blind until their own end."""

from __future__ import annotations

import json

from stores import open_store
from test_store import _records, _source

from screener.accounts import blinding_ended, end_blinding, sees_full_text
from screener.project import Project
from screener.store.base import Decision
from screener.store.sqlite import SCHEMA_VERSION

ANA, BEN, OWNER = "ana", "ben", "olga"


def _dual(tmp_path, n=4) -> Project:
    """A dual review of ``n`` records, all included by both reviewers at title and abstract."""
    src = tmp_path / "records.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i},Abstract {i}\n" for i in range(n)), encoding="utf-8")
    p = Project.init(tmp_path / "p", settings={"mode": "dual", "embedding_model": "none"})
    p.import_files([src], source_db="TestDB")
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=i, decision="include", reviewer=r) for i in ids for r in (ANA, BEN)])
    return p


def _assess(p: Project, reviewer: str, ids, decision="include") -> None:
    p.store.append_decisions([Decision(record_id=i, decision=decision, reviewer=reviewer, stage="full_text")
                              for i in ids])


def test_ending_the_title_abstract_blinding_leaves_the_full_texts_blind(tmp_path):
    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids)
    assert sees_full_text(p, ANA) and not sees_full_text(p, BEN)  # hers only: nothing of anyone else's for her
    _assess(p, BEN, ids[:1], "exclude")
    end_blinding(p.store, "title_abstract", OWNER)
    assert blinding_ended(p.store) and not blinding_ended(p.store, "full_text")
    assert not sees_full_text(p, BEN) and not sees_full_text(p, ANA)
    assert sees_full_text(p, OWNER, owner=True)  # the owner who assesses nothing sees all, as before
    end_blinding(p.store, "full_text", OWNER)
    assert sees_full_text(p, BEN)
    p.close()


def test_the_full_text_blinding_ends_when_both_have_assessed_every_report_passed_on(tmp_path):
    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids)
    _assess(p, BEN, ids[:-1], "exclude")
    assert not sees_full_text(p, ANA) and not sees_full_text(p, BEN)  # one report left for Ben
    _assess(p, BEN, ids[-1:], "not_retrieved")
    assert sees_full_text(p, ANA) and sees_full_text(p, BEN)
    assert not sees_full_text(p, "cara")  # a third reviewer who has not assessed them stays blind
    assert not blinding_ended(p.store, "full_text")  # over by the rule, not ended by the owner
    p.close()


def test_an_owner_who_assesses_full_texts_is_blind_as_the_reviewers(tmp_path):
    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, OWNER, ids[:1])
    _assess(p, ANA, ids)
    assert not sees_full_text(p, OWNER, owner=True)
    p.close()


def test_a_format_9_project_whose_blinding_ended_reads_as_ended_at_title_and_abstract_only(store_target):
    """On either store: the owner's end of the blinding, made before the stages had ends of their own,
    becomes the title/abstract end (by whom, when, the earlier ends kept); the full texts stay blind."""
    s = open_store(store_target, create=True)
    s.add_records(_records(2), s.add_source(_source()))
    old = {"by": "olga", "at": "2999-01-01T00:00:00+00:00", "earlier": [{"by": "olga", "at": "2998-01-01"}]}
    with s.transaction():
        s.set_setting("blinding_ended", old)
        s.set_setting("schema_version", 9)
    s.close()
    s = open_store(store_target)
    assert s.get_setting("schema_version") == SCHEMA_VERSION
    assert s.get_setting("blinding_ended") == {**old, "stage": "title_abstract"}
    assert blinding_ended(s, "title_abstract") and not blinding_ended(s, "full_text")
    s.close()


def test_a_full_text_decision_changed_once_both_had_assessed_every_report_is_not_counted_as_blind(tmp_path):
    """Both reviewers assessed every report passed on to full text, so each saw the other's decisions (the
    full-text blinding over by the rule); Ben then changed his exclusion to Anabel's include. The report's
    full-text agreement counted the change as an agreement reached blind: 4 of 4 and kappa undefined,
    where the two had disagreed on 1 of 4 assessing blind."""
    from screener.agreement import agreement_frame

    p = _dual(tmp_path, n=6)
    every = [int(i) for i in p.records_frame().index]
    ids = every[:4]  # passed on to full text; the other two excluded at title and abstract by both
    p.store.append_decisions([Decision(record_id=i, decision="exclude", reviewer=r) for i in every[4:]
                              for r in (ANA, BEN)])
    _assess(p, ANA, ids)
    _assess(p, BEN, ids[:1], "exclude")
    _assess(p, BEN, ids[1:2], "maybe")
    _assess(p, BEN, ids[1:2])  # while blind (two reports left), a changed decision counts as it now stands
    _assess(p, BEN, ids[2:])
    assert sees_full_text(p, BEN) and not blinding_ended(p.store, "full_text")
    _assess(p, BEN, ids[:1])  # changed to Anabel's, having seen it
    row = agreement_frame(p, "full_text").iloc[0]
    assert (row["both_screened"], row["agree"], row["disagree"]) == (4, 3, 1)
    p.close()


def _half_screened(tmp_path) -> Project:
    """A blind dual review of 4 records: ana has screened all four, ben two of them, one a conflict."""
    src = tmp_path / "records.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i},Abstract {i}\n" for i in range(4)), encoding="utf-8")
    p = Project.init(tmp_path / "p", settings={"mode": "dual", "embedding_model": "none"})
    p.import_files([src], source_db="TestDB")
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=i, decision="include" if i == ids[0] else "exclude", reviewer=ANA)
                              for i in ids])
    p.store.append_decisions([Decision(record_id=ids[0], decision="exclude", reviewer=BEN),
                              Decision(record_id=ids[1], decision="exclude", reviewer=BEN)])
    return p


def test_the_team_view_stays_blind_while_a_reviewer_is_still_screening(tmp_path):
    from screener.accounts import team_view_blind

    p = _half_screened(tmp_path)
    assert team_view_blind(p)  # ben is still screening
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=i, decision="exclude", reviewer=BEN) for i in ids[2:]])
    assert not team_view_blind(p)  # both have screened every record: the blinding is over, as on the web
    p.store.append_decisions([Decision(record_id=ids[0], decision="exclude", reviewer="cara")])
    assert team_view_blind(p)  # a third reviewer still screening: still blind for her
    end_blinding(p.store, "title_abstract", OWNER)
    assert not team_view_blind(p)
    single = Project.init(tmp_path / "single", settings={"embedding_model": "none"})
    assert not team_view_blind(single)
    p.close()
    single.close()


def test_terminal_status_and_export_are_blind_while_the_web_app_is(tmp_path):
    """The web app showed ben only his own decisions while the screening was blind, but 'screener status' and
    'screener export' in a terminal gave anyone the conflict and ana's include. Now they show the team's figures
    only when the owner asks for them (--team); a reviewer sees their own with --reviewer NAME."""
    import json

    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    p = _half_screened(tmp_path)
    d = p.dir
    p.close()
    for args in (["status", str(d)], ["status", str(d), "--json"], ["export", str(d), "-o", str(tmp_path / "a.csv")],
                 ["report", str(d), "-o", str(tmp_path / "a.html")]):
        r = runner.invoke(app, args)
        said = " ".join(r.output.split())
        assert r.exit_code != 0 and "screened blind" in said and "--team" in said, said
        assert "records screened" not in said and "1 conflict" not in said and "include" not in said, said
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "a.html").exists()
    r = runner.invoke(app, ["status", str(d), "--reviewer", BEN])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "ben: 2 of 4 records screened (0 includes, 0 maybe, 2 excludes), 2 left" in said, said
    assert "1 conflict" not in said and "Estimated recall" not in said and "include " not in said
    js = json.loads(runner.invoke(app, ["status", str(d), "--reviewer", BEN, "--json"]).output)
    assert js["reviewer"] == BEN and js["counts"]["screened"] == 2 and "estimators" not in js and js["blind"]
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "ben.csv"), "--reviewer", BEN])
    assert r.exit_code == 0, r.output
    import pandas as pd

    ben = pd.read_csv(tmp_path / "ben.csv")
    assert sorted(ben["decision"].dropna()) == ["exclude", "exclude"]  # his own: not ana's include
    r = runner.invoke(app, ["status", str(d), "--team"])
    assert r.exit_code == 0 and "1 conflict" in " ".join(r.output.split()), r.output
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "team.csv"), "--team"])
    assert r.exit_code == 0 and (tmp_path / "team.csv").exists(), r.output
    r = runner.invoke(app, ["report", str(d), "-o", str(tmp_path / "team.html"), "--team"])
    assert r.exit_code == 0 and (tmp_path / "team.html").exists(), r.output


def test_a_dual_review_no_one_has_screened_yet_shows_its_status_and_export(tmp_path):
    """Just imported, no decision yet: 'screener status' (the next step 'import' and 'restore' name) and 'export'
    (to check what the import read) refused, saying no reviewer still screening may see the team's decisions,
    when there was no decision of anyone's to see."""
    from typer.testing import CliRunner

    from screener.accounts import team_view_blind
    from screener.cli import app

    src = tmp_path / "records.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i},Abstract {i}\n" for i in range(4)), encoding="utf-8")
    p = Project.init(tmp_path / "p", settings={"mode": "dual", "embedding_model": "none"})
    p.import_files([src], source_db="TestDB")
    assert not team_view_blind(p)
    d = p.dir
    p.close()
    runner = CliRunner()
    r = runner.invoke(app, ["status", str(d)])
    assert r.exit_code == 0 and "0 of 4 records screened" in " ".join(r.output.split()), r.output
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "read.csv")])
    assert r.exit_code == 0 and (tmp_path / "read.csv").exists(), r.output
    with Project.open(d) as p:
        p.store.append_decisions([Decision(record_id=int(p.records_frame().index[0]), decision="include",
                                           reviewer=ANA)])
        assert team_view_blind(p)  # ana's include: blind to ben, who has not started


def test_terminal_status_export_and_report_stay_blind_while_the_full_texts_are(tmp_path):
    """Title/abstract screening over, the full texts assessed blind: the web app showed ben only his own full-text
    decisions (the report closed), but 'screener status', 'export' and 'report' in a terminal gave anyone the
    reports the two agreed on, with ana's notes. Now they refuse as at title and abstract, until both have assessed
    every report or the owner ends the full-text blinding; --team gives the owner the team's."""
    from typer.testing import CliRunner

    from screener.accounts import full_text_view_blind, team_view_blind
    from screener.cli import app

    runner = CliRunner()
    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids[:2], "exclude")
    _assess(p, BEN, ids[:1], "exclude")
    assert not team_view_blind(p) and full_text_view_blind(p)
    d = p.dir
    p.close()
    for args in (["status", str(d)], ["export", str(d), "-o", str(tmp_path / "a.csv")],
                 ["report", str(d), "-o", str(tmp_path / "a.html")]):
        r = runner.invoke(app, args)
        said = " ".join(r.output.split())
        assert r.exit_code != 0 and "full texts are assessed blind" in said and "--team" in said, said
        assert "--reviewer NAME" in said, said
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "a.html").exists()
    r = runner.invoke(app, ["status", str(d), "--reviewer", BEN])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "full texts are assessed blind" in said and "'screener status" not in said, said
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "team.csv"), "--team"])
    assert r.exit_code == 0 and (tmp_path / "team.csv").exists(), r.output
    with Project.open(d) as p:
        end_blinding(p.store, "full_text", OWNER)
        assert not full_text_view_blind(p)
    assert runner.invoke(app, ["status", str(d)]).exit_code == 0
    (tmp_path / "both").mkdir()
    p = _dual(tmp_path / "both")
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids)
    _assess(p, BEN, ids)
    assert not full_text_view_blind(p)  # both have assessed every report: the stage is over
    p.close()


def test_status_json_refuses_in_json_while_blind(tmp_path):
    """A tool reading 'screener status --json' on a blind dual review got the refusal as plain words on stderr and
    nothing it could read on stdout. Now the refusal comes as JSON (its words under "error", "blind": true), with
    the same exit status 1."""
    import json

    from typer.testing import CliRunner

    from screener.cli import app

    p = _half_screened(tmp_path)
    d = p.dir
    p.close()
    r = CliRunner().invoke(app, ["status", str(d), "--json"])
    said = json.loads(r.stdout)
    assert r.exit_code == 1 and said["blind"] is True, r.output
    assert "screened blind" in said["error"] and "--team" in said["error"], said
    assert "records screened" not in r.stdout and "conflict" not in said["error"], said


def test_an_owner_who_screens_holds_the_terminal_team_view_blind_until_they_finish(tmp_path):
    """The web app keeps an owner who screens records blind until they too have screened every record (README),
    but 'screener status' in a terminal showed anyone the team's decisions as soon as ana and ben had finished,
    the owner's own screening half done. Now the terminal holds them back while the owner screens, as the web
    does for her; the owner who screens no record still has the team's with --team, and the blinding ends once
    she has screened every record."""
    from typer.testing import CliRunner

    from screener.accounts import add_user, team_view_blind
    from screener.cli import app

    p = _dual(tmp_path)
    add_user(p.store, OWNER, "owner", "a long enough password 1")
    ids = [int(i) for i in p.records_frame().index]
    assert not team_view_blind(p)  # ana and ben have screened every record; the owner none
    p.store.append_decisions([Decision(record_id=ids[0], decision="exclude", reviewer=OWNER)])
    assert team_view_blind(p)  # the owner screens: blind to her until she has screened every record
    d = p.dir
    p.close()
    runner = CliRunner()
    r = runner.invoke(app, ["status", str(d)])
    assert r.exit_code == 1 and "screened blind" in " ".join(r.output.split()), r.output
    assert runner.invoke(app, ["status", str(d), "--team"]).exit_code == 0
    with Project.open(d) as p:
        p.store.append_decisions([Decision(record_id=i, decision="include", reviewer=OWNER) for i in ids[1:]])
        assert not team_view_blind(p)


def test_an_owner_who_assesses_full_texts_holds_the_terminal_full_text_view_blind_until_she_finishes(tmp_path):
    """As at title and abstract: the web app keeps an owner who assesses full texts blind until she has assessed
    every report passed on, but the terminal's 'status', 'export' and 'report' showed the team's full-text
    decisions once ana and ben had assessed every report, the owner's own assessing half done."""
    from screener.accounts import add_user, full_text_view_blind

    p = _dual(tmp_path)
    add_user(p.store, OWNER, "owner", "a long enough password 1")
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids)
    _assess(p, BEN, ids)
    assert not full_text_view_blind(p)
    _assess(p, OWNER, ids[:1])
    assert not sees_full_text(p, OWNER, owner=True) and full_text_view_blind(p)  # blind to her, on the web too
    _assess(p, OWNER, ids[1:])
    assert not full_text_view_blind(p)
    p.close()


def test_a_finished_reviewer_is_told_who_still_screens_and_what_she_can_run(tmp_path):
    """ana and ben had screened every record, the owner olga still screened: 'screener status' said only that the
    owner 'who does not screen' could see the team's with --team (olga screens) and that the blinding ends once two
    reviewers have finished (two had), and 'status --reviewer ana' that the team's figures come 'once the blinding
    ends'. Now both name who still screens, and ana is told her own figures are final and how to export them; the
    team's stay held back (they would show olga's decisions while she still screens)."""
    from typer.testing import CliRunner

    from screener.accounts import add_user
    from screener.cli import app

    p = _dual(tmp_path)
    for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
        add_user(p.store, name, role, "a long enough password 1")
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=ids[0], decision="exclude", reviewer=OWNER)])  # a conflict
    d = p.dir
    p.close()
    runner = CliRunner()
    for args in (["status", str(d)], ["export", str(d), "-o", str(tmp_path / "a.csv")],
                 ["report", str(d), "-o", str(tmp_path / "a.html")]):
        r = runner.invoke(app, args)
        said = " ".join(r.output.split())
        assert r.exit_code == 1 and "olga still screens" in said, said
        assert "once olga has screened every record" in said and "two reviewers have screened" not in said, said
        assert "--team" not in said and "--reviewer NAME" in said, said  # the only owner screens: --team is no one's
        assert "conflict" not in said and "exclude" not in said, said
    r = runner.invoke(app, ["status", str(d), "--reviewer", ANA])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "ana: 4 of 4 records screened (4 includes" in said, said
    assert "ana has screened every record: these are ana's final figures" in said, said
    assert f"'screener export {d} -o FILE --reviewer ana'" in said, said
    assert "until olga has screened every record" in said and "--team" not in said, said
    assert "1 conflict" not in said, said
    r = runner.invoke(app, ["status", str(d), "--reviewer", OWNER])
    said = " ".join(r.output.split())
    assert "olga: 1 of 4 records screened" in said and "final figures" not in said, said


def test_a_reviewer_assessing_full_texts_reads_her_own_full_text_figures(tmp_path):
    """At full text, 'status --reviewer ana' gave only her title/abstract counts ('4 of 4 records screened'), not
    how far her own assessing had got; the export gave her own full-text decisions. Now status gives her own
    full-text counts too (still blind to ben's), and --json has them under "full_text"."""
    import json

    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app

    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=ids[0], decision="exclude", reviewer=ANA, stage="full_text",
                                       reason="wrong population"),
                              Decision(record_id=ids[1], decision="include", reviewer=ANA, stage="full_text")])
    _assess(p, BEN, ids[:3], "exclude")
    d = p.dir
    p.close()
    runner = CliRunner()
    r = runner.invoke(app, ["status", str(d), "--reviewer", ANA])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "ana at full text: 2 of the 4 reports passed on assessed (1 included, 1 excluded), " \
        "2 left" in said, said
    assert "3 excluded" not in said and "(they count the decisions of ben, who still assesses full texts)" in said, said
    js = json.loads(runner.invoke(app, ["status", str(d), "--reviewer", ANA, "--json"]).output)
    assert js["full_text"] == {"passed_on": 4, "assessed": 2, "included": 1, "excluded": 1, "maybe": 0,
                               "not_retrieved": 0, "left": 2}, js
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "ana.csv"), "--reviewer", ANA])
    assert r.exit_code == 0, r.output
    ana = pd.read_csv(tmp_path / "ana.csv", keep_default_na=False).set_index("record_id")
    assert list(ana.loc[ids, "full_text_decision"]) == ["exclude", "include", "", ""]  # hers, not ben's excludes
    assert ana.loc[ids[0], "full_text_reason"] == "wrong population"


def test_status_of_a_team_of_three_does_not_speak_of_both_reviewers(tmp_path):
    """ana, ben and cara had each screened every record, cara disagreeing on one: 'screener status' said a record
    counts as screened 'once both reviewers give it the same decision' and that 'either reviewer once both have
    screened every record' may settle the conflict, naming a team of two that was not theirs."""
    from typer.testing import CliRunner

    from screener.cli import app

    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=i, decision="exclude" if i == ids[0] else "include",
                                       reviewer="cara") for i in ids])
    d = p.dir
    p.close()
    r = CliRunner().invoke(app, ["status", str(d)])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "1 conflict" in said, said
    assert "both reviewers" not in said and "either reviewer" not in said, said
    assert "once every reviewer who screened it (two at least) gives it the same decision" in said, said
    # a reviewer settles them once the blinding is over: once every reviewer has screened every record
    assert "(the project owner, or any reviewer once every reviewer has screened every record); the " \
        "settled decision counts" in said, said


def test_status_of_a_reviewer_joining_after_the_others_finished_does_not_send_her_to_the_teams_figures(tmp_path):
    """ana and ben had screened every record; cara, joining then, is blind on the web until she has screened every
    record too, but 'status --reviewer cara' ended with "The team's figures: 'screener status DIR'", sending her to
    every decision of the others before she made her own. It says the screening is blind for her until then."""
    from typer.testing import CliRunner

    from screener.cli import app

    (tmp_path / "fresh").mkdir()
    fresh = _dual(tmp_path / "fresh")
    fresh.store.append_decisions([Decision(record_id=i, decision="retract", reviewer=r)
                                  for i in fresh.records_frame().index for r in (ANA, BEN)])
    fresh.close()  # nobody has screened yet: nothing of anyone's to see, so no word of others who have
    said = " ".join(CliRunner().invoke(app, ["status", str(fresh.dir), "--reviewer", "cara"]).output.split())
    assert "the others have" not in said, said
    p = _dual(tmp_path)
    d = p.dir
    p.close()
    said = " ".join(CliRunner().invoke(app, ["status", str(d), "--reviewer", "cara"]).output.split())
    assert "cara: 0 of 4 records screened" in said and "The team's figures: 'screener status" not in said, said
    assert "blind for cara until cara has screened every record too" in said, said
    # and so to a script reading --json: 'blind' false read as the team's figures being hers to see
    said = CliRunner().invoke(app, ["status", str(d), "--reviewer", "cara", "--json"]).output
    assert json.loads(said)["blind"] is True, said
    assert json.loads(CliRunner().invoke(app, ["status", str(d), "--reviewer", ANA, "--json"]).output)["blind"] is False
    said = " ".join(CliRunner().invoke(app, ["status", str(d), "--reviewer", ANA]).output.split())
    assert "The team's figures: 'screener status" in said, said  # ana has finished: hers to see


def test_the_report_of_a_reviewer_joining_after_the_others_finished_is_refused_as_on_the_web(tmp_path):
    """ana and ben had screened every record; 'report --reviewer cara' wrote cara, who had screened none, the team's
    report (their conflicts, agreement and recall), which her web pages hold back until she has screened every
    record too. It is refused, saying what gives her own; ana's is written."""
    from typer.testing import CliRunner

    from screener.cli import app

    p = _dual(tmp_path)
    d = p.dir
    p.close()
    out = tmp_path / "cara.html"
    r = CliRunner().invoke(app, ["report", str(d), "--reviewer", "cara", "-o", str(out)])
    said = " ".join(r.output.split())
    assert r.exit_code == 1 and not out.exists(), said
    assert "until cara has screened every record too" in said and "--reviewer cara" in said, said
    # an owner who keeps the review in a terminal is told her way to end it too, as every blind refusal says
    assert f"'screener blinding {d} --end --reviewer NAME'" in said, said
    r = CliRunner().invoke(app, ["report", str(d), "--reviewer", ANA, "-o", str(tmp_path / "ana.html")])
    assert r.exit_code == 0 and (tmp_path / "ana.html").exists(), r.output


def test_a_disabled_reviewers_own_figures_can_still_be_read(tmp_path):
    """ben left the team and the owner disabled his account: 'status --reviewer ben' and 'export --reviewer ben'
    refused, saying 'no decisions can be made under it', though they make none, while his decisions keep counting.
    Now they show his own, as before; a decision under his name is still refused."""
    from typer.testing import CliRunner

    from screener.accounts import add_user, set_disabled
    from screener.cli import app

    p = _half_screened(tmp_path)
    for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
        add_user(p.store, name, role, "a long enough password 1")
    set_disabled(p.store, BEN, disabled=True)
    d = p.dir
    p.close()
    runner = CliRunner()
    r = runner.invoke(app, ["status", str(d), "--reviewer", BEN])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "ben: 2 of 4 records screened" in said and "no decisions can" not in said, said
    assert "Next batch" not in said and f"ben's account is disabled: 'screener user enable {d} ben'" in said, said
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "ben.csv"), "--reviewer", BEN])
    assert r.exit_code == 0 and (tmp_path / "ben.csv").exists(), r.output
    # ana, who has finished, waits for ben, who can no longer sign in: told so, not only that ben 'still screens'
    said = " ".join(runner.invoke(app, ["status", str(d), "--reviewer", ANA]).output.split())
    assert "ben's account is disabled, so ben cannot sign in to screen the rest" in said, said
    batch = tmp_path / "batch.csv"
    batch.write_text("record_id,decision\n3,exclude\n", encoding="utf-8")
    r = runner.invoke(app, ["label", str(d), str(batch), "--reviewer", BEN])
    assert r.exit_code != 0 and "no decisions can be made under it" in " ".join(r.output.split()), r.output


def test_the_full_text_refusal_names_who_still_assesses(tmp_path):
    """The full-text refusal named one reviewer still assessing as 'ben still assesss full texts'."""
    from typer.testing import CliRunner

    from screener.cli import app

    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids)
    _assess(p, BEN, ids[:1], "exclude")
    d = p.dir
    p.close()
    r = CliRunner().invoke(app, ["status", str(d)])
    said = " ".join(r.output.split())
    assert r.exit_code == 1 and "and ben still assesses full texts, so 'screener status'" in said, said
    assert "once ben has assessed every report passed on to full text" in said, said


def test_a_reviewer_of_three_who_finishes_is_not_told_of_both_reviewers(tmp_path):
    """In a team of three, 'label' told ana, done, that conflicts are settled 'by either reviewer once both have
    screened every record'."""
    from typer.testing import CliRunner

    from screener.cli import app

    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    p.store.append_decisions([Decision(record_id=i, decision="include", reviewer="cara") for i in ids[1:]])
    d = p.dir
    p.close()
    batch = tmp_path / "cara.csv"
    batch.write_text(f"record_id,decision\n{ids[0]},maybe\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["label", str(d), str(batch), "--reviewer", "cara"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "cara has screened every record" in said, said
    assert "either reviewer" not in said and "both have" not in said, said
    assert "by any reviewer once every reviewer has screened every record" in said, said


def test_the_terminal_offers_team_to_an_owner_only_where_one_may_screen_none(tmp_path):
    """The refusal offers --team (the view of an owner who screens no record) where there can be such an owner: no
    owner's account (a terminal cannot tell), or an owner beside two others who screen; not to the only owner of a
    team of an owner and one reviewer, who is its second screener."""
    from screener.accounts import add_user, owner_may_not_screen

    p = _half_screened(tmp_path)
    assert owner_may_not_screen(p)  # no accounts
    add_user(p.store, ANA, "reviewer", "a long enough password 1")
    add_user(p.store, BEN, "reviewer", "a long enough password 1")
    assert owner_may_not_screen(p)  # reviewers' accounts only: the owner keeps the review in a terminal
    add_user(p.store, OWNER, "owner", "a long enough password 1")
    assert owner_may_not_screen(p)  # olga beside ana and ben, who screen
    (tmp_path / "two").mkdir()
    q = _half_screened(tmp_path / "two")
    add_user(q.store, OWNER, "owner", "a long enough password 1")
    add_user(q.store, ANA, "reviewer", "a long enough password 1")
    q.store.append_decisions([Decision(record_id=int(q.records_frame().index[0]), decision="exclude",
                                       reviewer="olga")])
    assert not owner_may_not_screen(q)  # olga screens
    p.close()
    q.close()


def test_a_finished_reviewer_is_told_once_that_she_has_screened_every_record(tmp_path):
    """'status --reviewer ana', ana done and olga still screening, said 'ana has screened every record' on its
    first line of words and again on the last, before where conflicts are settled."""
    from typer.testing import CliRunner

    from screener.accounts import add_user
    from screener.cli import app

    p = _dual(tmp_path)
    for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
        add_user(p.store, name, role, "a long enough password 1")
    p.store.append_decisions([Decision(record_id=int(p.records_frame().index[0]), decision="exclude",
                                       reviewer=OWNER)])
    d = p.dir
    p.close()
    said = " ".join(CliRunner().invoke(app, ["status", str(d), "--reviewer", ANA]).output.split())
    assert said.count("ana has screened every record") == 1, said
    assert "Conflicts are settled on the Conflicts page" in said, said


def test_the_full_text_blinding_holds_for_everyone_while_a_third_reviewer_assesses(tmp_path):
    """ana and ben had assessed every report passed on, cara one: the web app showed ana and ben the team's
    full-text decisions, cara's as she made them, while the terminal held them back. One rule now decides both
    (``blinding_holds``): blind until everyone assessing has assessed every report, or the owner ends it."""
    from screener.accounts import blinding_holds, full_text_view_blind

    p = _dual(tmp_path)
    ids = [int(i) for i in p.records_frame().index]
    _assess(p, ANA, ids)
    _assess(p, BEN, ids)
    assert sees_full_text(p, ANA) and not full_text_view_blind(p)
    _assess(p, "cara", ids[:1], "exclude")
    assert full_text_view_blind(p) and not sees_full_text(p, ANA) and not sees_full_text(p, BEN)
    _assess(p, "cara", ids[1:])
    assert sees_full_text(p, ANA) and not full_text_view_blind(p)
    assert blinding_holds({ANA}, {ANA}) and not blinding_holds(set(), set())  # one screener: a second to wait for
    p.close()


def test_report_for_a_reviewer_under_blinding_says_what_she_can_run(tmp_path):
    """'screener report DIR --reviewer ben' was refused as an unknown option, while 'status' and 'export' take
    --reviewer. Now, while the screening is blind, it writes nothing and says what the reviewer can run instead
    (her own progress, her own decisions) and, to one who has finished, whom the blinding waits for; once it is
    over, it writes the team's report. A review screened in single mode, or --reviewer with --team, is refused."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    p = _half_screened(tmp_path)  # ana has screened every record, ben two
    d = p.dir
    p.close()
    out = tmp_path / "ben.html"
    for name in (BEN, ANA):
        r = runner.invoke(app, ["report", str(d), "-o", str(out), "--reviewer", name])
        said = " ".join(r.output.split())
        assert r.exit_code == 1 and not out.exists(), said
        assert f"'screener status {d} --reviewer {name}'" in said, said
        assert f"'screener export {d} -o FILE --reviewer {name}'" in said, said
        assert "conflict " not in said and "1 conflict" not in said and "include" not in said, said
        assert ("once ben has screened every record" in said) == (name == ANA), said  # named to one finished only
    r = runner.invoke(app, ["report", str(d), "-o", str(out), "--reviewer", BEN, "--team"])
    assert r.exit_code != 0 and "--reviewer" in r.output and not out.exists(), r.output
    with Project.open(d) as p:
        end_blinding(p.store, "title_abstract", OWNER)
    r = runner.invoke(app, ["report", str(d), "-o", str(out), "--reviewer", BEN])
    assert r.exit_code == 0 and out.exists(), r.output
    single = Project.init(tmp_path / "single", settings={"embedding_model": "none"})
    single.close()
    r = runner.invoke(app, ["report", str(tmp_path / "single"), "-o", str(out), "--reviewer", BEN])
    assert r.exit_code != 0 and "not screened in dual mode" in " ".join(r.output.split()), r.output


def test_an_owner_who_screened_a_few_records_is_told_she_holds_the_blinding_and_how_to_lift_it(tmp_path):
    """The owner olga screened 1 record to try the tool, then left the screening to ana and ben, who finished:
    'status --reviewer olga' said only that the team's figures come 'once the blinding ends', as if it waited for
    someone else. Now she reads that she holds it open for everyone, and the three ways to lift it; withdrawing
    her decision lifts it."""
    from typer.testing import CliRunner

    from screener.accounts import add_user, team_view_blind
    from screener.cli import app

    p = _dual(tmp_path)
    for name, role in ((OWNER, "owner"), (ANA, "reviewer"), (BEN, "reviewer")):
        add_user(p.store, name, role, "a long enough password 1")
    ids = [int(i) for i in p.records_frame().index]
    p.decide(ids[0], "exclude", reviewer=OWNER)
    d = p.dir
    p.close()
    runner = CliRunner()
    said = " ".join(runner.invoke(app, ["status", str(d), "--reviewer", OWNER]).output.split())
    assert "olga screens records too, so olga holds the blinding open for everyone" in said, said
    assert "screen the 3 records left, withdraw olga's 1 decision" in said and "or end the blinding" in said, said
    assert ANA not in said and BEN not in said, said  # nothing of the others' progress
    for other in (ANA, BEN):  # the reviewers are not told of the owner's ways out
        assert "holds the blinding open" not in runner.invoke(app, ["status", str(d), "--reviewer", other]).output
    said = " ".join(runner.invoke(app, ["status", str(d)]).output.split())  # whoever runs it: she is pointed on
    assert f"olga, the owner, screens too: 'screener status {d} --reviewer olga' says how she lifts it" in said, said
    r = runner.invoke(app, ["report", str(d), "--reviewer", OWNER, "-o", str(tmp_path / "o.html")])
    said = " ".join(r.output.split())  # her report waits on her too
    assert r.exit_code == 1 and "olga holds the blinding open for everyone" in said, said
    assert "withdraw olga's 1 decision" in said and not (tmp_path / "o.html").exists(), said
    with Project.open(d) as p:
        assert team_view_blind(p)
        p.undo(ids[0], reviewer=OWNER)
        assert not team_view_blind(p)  # her decision withdrawn: she screens nothing, the blinding is over
