"""The command line end to end on a small review: init, import, next, label, screen, export."""

import pandas as pd
import pytest
from cli_steps import exclude_the_rest_unread
from typer.testing import CliRunner

from screener.cli import app
from screener.project import Project

runner = CliRunner()


@pytest.fixture
def make_project(tmp_path, toy_review):
    return lambda labelled=False: _project(tmp_path, toy_review, labelled)


def _project(tmp_path, toy_review, labelled=False):
    csv = toy_review(tmp_path / "toy.csv")
    if not labelled:
        df = pd.read_csv(csv).drop(columns=["label_included"])
        df.to_csv(csv, index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Experiences of peer workers in harm reduction services"\n'
                     'inclusion = ["qualitative studies of peer support by people with lived experience"]\n')
    d = tmp_path / "review"
    r = runner.invoke(app, ["init", str(d), "--protocol", str(proto)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["import", str(d), str(csv)])
    assert r.exit_code == 0, r.output
    return d, csv


def _unlabelled(csv):
    """The toy review ``csv`` without its labels, as a database exports a search (the same file)."""
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    return csv


def _init_and_import(d, *files, init=()):
    """'screener init' (``init``: its options) then 'screener import' of ``files``: the project's folder ``d``."""
    assert runner.invoke(app, ["init", str(d), *init]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), *map(str, files)]).exit_code == 0
    return d


def test_next_label_round_trip(tmp_path, make_project):
    d, _ = make_project()
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "10", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(batch)
    assert len(df) == 10 and list(df["rank"]) == list(range(1, 11))
    # cold start from the protocol: the peer-work records come first
    assert df["title"].head(3).str.contains("peer|lived|harm|qualitative").all()
    df["decision"] = ["include" if "peer" in t or "lived" in t else "exclude" for t in df["title"]]
    df.to_csv(batch, index=False)
    r = runner.invoke(app, ["label", str(d), str(batch), "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        labels = p.labels()
        assert len(labels) == 10
        log = p.decision_log()
        assert set(log["reviewer"]) == {"ana"}


def test_an_ris_batch_says_how_its_decisions_come_back(tmp_path, make_project):
    """'next -o batch.ris' said 'Fill in the decision column': an RIS file has no column, and the
    batch read back with nothing added was refused. It now says to read back the records a reference
    manager holds as included (and as excluded) with --decision, which works as said."""
    d, _ = make_project()
    batch = tmp_path / "batch.ris"
    r = runner.invoke(app, ["next", str(d), "--n", "3", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "'decision' column" not in out
    assert f"screener label {d} INCLUDED.ris --decision include" in out, out
    assert "--decision exclude" in out
    included, excluded = batch.read_text(encoding="utf-8-sig").split("ER  - ", 1)
    (tmp_path / "INCLUDED.ris").write_text(included + "ER  - \n", encoding="utf-8")
    (tmp_path / "EXCLUDED.ris").write_text(excluded, encoding="utf-8")
    for name, decision in (("INCLUDED.ris", "include"), ("EXCLUDED.ris", "exclude")):
        r = runner.invoke(app, ["label", str(d), str(tmp_path / name), "--decision", decision])
        assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert sorted(p.current_decisions()["decision"]) == ["exclude", "exclude", "include"]


def test_label_file_naming_unknown_records_writes_nothing(tmp_path, make_project):
    d, _ = make_project()
    bad = tmp_path / "labels.csv"
    pd.DataFrame({"record_id": [1, 9999], "title": ["Study 1 of x", "Not in this review"],
                  "decision": ["include", "exclude"]}).to_csv(bad, index=False)
    r = runner.invoke(app, ["label", str(d), str(bad)])
    assert r.exit_code == 1
    assert "not in this project" in r.output and "row 3" in r.output
    with Project.open(d) as p:
        assert p.decision_log().empty


def test_label_by_doi_with_one_decision_for_all(tmp_path, make_project):
    d, csv = make_project()
    inc = tmp_path / "covidence_included.csv"
    pd.DataFrame({"Title": ["Some other title"], "DOI": ["10.5555/TOY.3"]}).to_csv(inc, index=False)
    r = runner.invoke(app, ["label", str(d), str(inc), "--decision", "include"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert p.labels().to_dict() == {3: 1}


def test_rayyan_export_decisions_per_reviewer(tmp_path, make_project):
    d, _ = make_project()
    ray = tmp_path / "articles.csv"
    pd.DataFrame({"key": ["r1", "r2"], "title": ["Study 1 of a", "Study 2 of b"], "year": [2000, 2001],
                  "doi": ["10.5555/toy.1", "10.5555/toy.2"],
                  "notes": ['RAYYAN-INCLUSION: {"Ana"=>"Included", "Ben"=>"Excluded"}',
                            'RAYYAN-INCLUSION: {"Ana"=>"Excluded"}']}).to_csv(ray, index=False)
    r = runner.invoke(app, ["label", str(d), str(ray)])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        log = p.decision_log()
        assert sorted(zip(log["record_id"], log["reviewer"], log["decision"])) == [
            (1, "Ana", "include"), (1, "Ben", "exclude"), (2, "Ana", "exclude")]


def test_imported_labels_and_includes_move_up(tmp_path, make_project):
    d, _ = make_project(labelled=True)
    with Project.open(d) as p:
        assert p.labels().sum() == 6 and len(p.labels()) == 60


def test_screen_by_keys_saves_each_key_and_undo(tmp_path, make_project):
    d, _ = make_project()
    r = runner.invoke(app, ["screen", str(d), "--embedding-model", "none"], input="i\ne\nu\nm\nq\n")
    assert r.exit_code == 0, r.output
    assert "Undone" in r.output
    with Project.open(d) as p:
        log = p.decision_log()
        assert log["decision"].tolist() == ["include", "exclude", "retract", "maybe"]
        cur = p.current_decisions()
        assert sorted(cur["decision"]) == ["include", "maybe"]


def test_export_formats(tmp_path, make_project):
    d, _ = make_project(labelled=True)
    for fmt in ("csv", "ris", "xlsx"):
        out = tmp_path / f"inc.{fmt}"
        r = runner.invoke(app, ["export", str(d), "-o", str(out), "--only", "included"])
        assert r.exit_code == 0, r.output
        assert "Wrote 6 records" in r.output


def test_export_as_tsv_goes_into_a_new_project_with_the_same_records_and_decisions(tmp_path, make_project):
    """The import reads tab-separated tables; 'export' refused to write one ("cannot export to 'tsv'")."""
    d, _ = make_project(labelled=True)
    out = tmp_path / "records.tsv"
    r = runner.invoke(app, ["export", str(d), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "Wrote 60 records" in r.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    csv = tmp_path / "records.csv"
    assert runner.invoke(app, ["export", str(d), "-o", str(csv)]).exit_code == 0
    assert header.split("\t") == csv.read_text(encoding="utf-8-sig").splitlines()[0].split(","), "CSV's columns"
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "records.txt"), "--format", "tsv"])
    assert r.exit_code == 0, r.output
    again = tmp_path / "again"
    assert runner.invoke(app, ["init", str(again)]).exit_code == 0
    r = runner.invoke(app, ["import", str(again), str(out)])
    assert r.exit_code == 0, r.output
    shown = ("title", "abstract", "authors", "year", "doi")
    with Project.open(d) as first, Project.open(again) as second:
        before, after = first.export_frame(), second.export_frame()
        assert [str(x) for x in after["source_ref"]] == [str(x) for x in before.index]  # the ids it was exported with
        for field in shown:
            assert after[field].tolist() == before[field].tolist(), field
        assert after["decision"].tolist() == before["decision"].tolist()
    r = runner.invoke(app, ["export", "--help"])
    assert "csv, tsv, ris or xlsx" in " ".join(r.output.replace("│", " ").split())


def test_errors_are_plain_messages(tmp_path):
    r = runner.invoke(app, ["import", str(tmp_path / "nowhere"), str(tmp_path / "x.ris")])
    assert r.exit_code == 1
    assert "screener init" in r.output
    assert "Traceback" not in r.output


def test_random_sample_is_marked_in_batch_and_log(tmp_path, make_project):
    d, _ = make_project()
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "10", "--sample", "3", "-o", str(batch),
                            "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(batch)
    assert df["sampled"].sum() == 3
    assert df.loc[df["sampled"], "reason"].str.startswith("random sample").all()
    df["decision"] = "exclude"
    df.to_csv(batch, index=False)
    assert runner.invoke(app, ["label", str(d), str(batch)]).exit_code == 0
    with Project.open(d) as p:
        log = p.decision_log().set_index("record_id")
        sampled_ids = set(df.loc[df["sampled"], "record_id"])
        assert set(log.index[log["sampled"]]) == sampled_ids
        assert (log.loc[list(sampled_ids), "sample_prob"] > 0).all()
        assert p.store.get_setting("pending_sample") == {}


def test_next_and_screen_on_a_project_without_records(tmp_path):
    d = tmp_path / "empty"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    for cmd in (["next", str(d)], ["screen", str(d)], ["next", str(d), "--embedding-model", "none"]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 1, r.output
        out = " ".join(r.output.split())
        assert f"This project has no records yet: import your search results with 'screener import {d}" in out
        assert "Traceback" not in out and "sample(s)" not in out


def test_next_and_screen_when_every_record_is_screened(tmp_path, make_project):
    d, _ = make_project()
    with Project.open(d) as p:
        for rid in p.records_frame().index:
            p.decide(int(rid), "exclude" if rid > 1 else "include")
    for cmd in (["next", str(d), "--embedding-model", "none"], ["screen", str(d), "--embedding-model", "none"]):
        r = runner.invoke(app, cmd, input="")
        assert r.exit_code == 0, r.output
        out = " ".join(r.output.split())
        assert f"Every record has been screened: see 'screener status {d}' and 'screener report {d}'." in out
        assert "screener next" not in out


def test_next_says_when_no_record_has_words_to_learn_from(tmp_path):
    bare = tmp_path / "bare.csv"
    pd.DataFrame({"record_id": [1, 2], "title": ["", ""], "abstract": ["", ""],
                  "doi": ["10.1/a", "10.1/b"]}).to_csv(bare, index=False)
    d = _init_and_import(tmp_path / "bare", bare)
    r = runner.invoke(app, ["next", str(d), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    assert "none of the records has a title or abstract" in " ".join(r.output.split())


def _dual_project(tmp_path, toy_review, n: int):
    """A dual-screening project of ``n`` unlabelled toy records, made with the CLI."""
    d = tmp_path / "dual"
    assert runner.invoke(app, ["init", str(d), "--mode", "dual"]).exit_code == 0
    csv = toy_review(tmp_path / "toy.csv", n=n, n_include=3)
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
    return d


def _batch_all_excluded(d, path, reviewer: str, n: int):
    """A reviewer's next batch written to ``path`` and filled in with excludes: (what 'next' said, the batch)."""
    r = runner.invoke(app, ["next", str(d), "--n", str(n), "-o", str(path), "--embedding-model", "none",
                            "--reviewer", reviewer])
    assert r.exit_code == 0, r.output
    batch = pd.read_csv(path)
    batch["decision"] = "exclude"
    batch.to_csv(path, index=False)
    return " ".join(r.output.split()), batch


def test_screen_in_dual_screening_asks_whose_decisions_they_are(tmp_path, toy_review):
    d = _dual_project(tmp_path, toy_review, 12)
    r = runner.invoke(app, ["screen", str(d), "--embedding-model", "none"], input="i\nq\n")
    assert r.exit_code == 1
    assert "--reviewer NAME" in r.output and "Traceback" not in r.output
    with Project.open(d) as p:
        assert p.decision_log().empty
    r = runner.invoke(app, ["screen", str(d), "--embedding-model", "none", "--reviewer", "ana"], input="i\nq\n")
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert set(p.decision_log()["reviewer"]) == {"ana"}


def test_next_in_dual_screening_gives_each_reviewer_what_they_have_not_screened(tmp_path, toy_review):
    d = _dual_project(tmp_path, toy_review, 30)
    r = runner.invoke(app, ["next", str(d), "--n", "5", "--embedding-model", "none"])
    assert r.exit_code == 1 and "--reviewer NAME" in r.output
    first = tmp_path / "ana1.csv"
    said, batch = _batch_all_excluded(d, first, "ana", 5)
    assert f"screener label {d} {first} --reviewer ana" in said
    assert runner.invoke(app, ["label", str(d), str(first), "--reviewer", "ana"]).exit_code == 0
    second, bens = tmp_path / "ana2.csv", tmp_path / "ben1.csv"
    for out, who in ((second, "ana"), (bens, "ben")):
        r = runner.invoke(app, ["next", str(d), "--n", "5", "-o", str(out), "--embedding-model", "none",
                                "--reviewer", who])
        assert r.exit_code == 0, r.output
    assert not set(pd.read_csv(second)["record_id"]) & set(batch["record_id"])  # ana moves on
    assert set(pd.read_csv(bens)["record_id"]) == set(batch["record_id"])  # ben still screens them (blind)


def test_dual_label_and_next_speak_of_the_reviewers_own_screening(tmp_path, toy_review):
    """The team's counts would tell a reviewer how the other decided; the hints name the reviewer
    (quoted: a name may hold a space). A reviewer who had finished read "The review's owner settles the
    conflicts once both reviewers have finished ('screener status DIR' or the web app's conflicts page)":
    the owner settles one at any time, and 'status' settles nothing; it now names the Conflicts page."""
    d = _dual_project(tmp_path, toy_review, 8)
    with Project.open(d) as p:
        p.decide(int(p.records_frame().index[0]), "exclude", reviewer="ben")  # the team count would show it
    first = tmp_path / "ana1.csv"
    said, _ = _batch_all_excluded(d, first, "Ana Lee", 5)
    assert f"screener label {d} {first} --reviewer 'Ana Lee'" in said
    r = runner.invoke(app, ["label", str(d), str(first), "--reviewer", "Ana Lee"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Now Ana Lee: 5 of 8 records screened (0 includes, 0 maybe, 5 excludes), 3 left." in out
    assert f"Next batch: screener next {d} --reviewer 'Ana Lee' -o next.csv" in out
    rest = tmp_path / "ana2.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "10", "-o", str(rest), "--embedding-model", "none",
                            "--reviewer", "Ana Lee"])
    assert r.exit_code == 0, r.output
    batch = pd.read_csv(rest)
    assert len(batch) == 3
    batch["decision"] = "exclude"
    batch.to_csv(rest, index=False)
    out = " ".join(runner.invoke(app, ["label", str(d), str(rest), "--reviewer", "Ana Lee"]).output.split())
    assert "Now Ana Lee: 8 of 8 records screened" in out and "Ana Lee has screened every record." in out
    # not sent to 'screener status' (the team's figures: the conflicts, what the other has left)
    assert (f"Conflicts are settled on the Conflicts page of 'screener serve {d}', or in a terminal with 'screener "
            f"conflicts {d} --reviewer NAME': by the review's owner at any "
            "time, by either reviewer once both have screened every record (an owner who screens records is one "
            "of the reviewers there, or ends the blinding first)." in out), out
    assert "once both reviewers have finished" not in out and f"screener status {d}" not in out
    assert "shows the conflicts" not in out and "still to screen" not in out
    r = runner.invoke(app, ["next", str(d), "--embedding-model", "none", "--reviewer", "Ana Lee"])
    assert r.exit_code == 0, r.output
    assert "Ana Lee has screened every record." in " ".join(r.output.split())


def test_dual_screen_in_the_terminal_does_not_send_a_blind_reviewer_to_the_teams_figures(tmp_path, toy_review):
    """A reviewer who screened every record in the terminal ('screener screen --reviewer') in dual
    screening was told "See 'screener status DIR' for the recall and 'screener report DIR' for the
    PRISMA numbers", the team's figures (the conflicts, agreement, what the other has left), which
    'label' and 'next' keep from a blind reviewer; it now says what they say."""
    d = _dual_project(tmp_path, toy_review, 4)
    with Project.open(d) as p:
        p.decide(int(p.records_frame().index[0]), "include", reviewer="ben")
    r = runner.invoke(app, ["screen", str(d), "--embedding-model", "none", "--reviewer", "ana"], input="e\n" * 4)
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "ana has screened every record." in out, out
    assert "Conflicts are settled on the Conflicts page of" in out and "by the review's owner at any time" in out
    assert f"screener status {d}" not in out
    assert "for the recall" not in out and "PRISMA numbers" not in out
    with Project.open(d) as p:
        assert (p.decision_log()["reviewer"] == "ana").sum() == 4


def test_dual_next_gives_a_reviewer_the_studies_the_others_settled_and_never_names_an_include(tmp_path, toy_review):
    d = _dual_project(tmp_path, toy_review, 12)
    with Project.open(d) as p:
        ids = [int(i) for i in p.records_frame().index]
        for who in ("olga", "ana"):  # the owner and Ana agree on four records
            p.decide(ids[0], "include", reviewer=who)
            for rid in ids[1:4]:
                p.decide(rid, "exclude", reviewer=who)
    out = tmp_path / "ben.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "20", "-o", str(out), "--embedding-model", "none",
                            "--reviewer", "ben"])
    assert r.exit_code == 0, r.output
    batch = pd.read_csv(out)
    assert sorted(batch["record_id"]) == sorted(ids)  # Ben screens every record, the settled ones too
    assert not batch["reason"].fillna("").str.contains("like included record|protocol terms").any()
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none", "--reviewer", "ben"])
    assert "ranking)" not in r.output  # the phase changes at the first agreed include: not shown


def test_reviewer_names_on_the_command_line_are_the_accounts_or_the_names_in_the_log(tmp_path, toy_review):
    """'Ana' for 'ana' would log a third reviewer: their agreement never seen, the blinding never over."""
    from screener.accounts import add_user

    d = _dual_project(tmp_path, toy_review, 6)
    with Project.open(d) as p:
        first = int(p.records_frame().index[0])
    f = tmp_path / "one.csv"
    pd.DataFrame({"record_id": [first], "decision": ["exclude"]}).to_csv(f, index=False)
    assert runner.invoke(app, ["label", str(d), str(f), "--reviewer", "ana"]).exit_code == 0
    r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", " Ana "])  # no accounts: the name in the log
    assert r.exit_code == 0 and "Now ana:" in " ".join(r.output.split()), r.output
    for bad, said in (("", "type a name"), ("resolver", "a word screener uses itself")):
        r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", bad])
        assert r.exit_code == 1 and said in " ".join(r.output.split()), r.output
        r = runner.invoke(app, ["next", str(d), "--embedding-model", "none", "--reviewer", bad])
        assert r.exit_code == 1 and said in " ".join(r.output.split()), r.output
    with Project.open(d) as p:
        add_user(p.store, "ana", "reviewer", "correct horse battery")
        add_user(p.store, "ben", "reviewer", "correct horse battery")
    r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", "bem"])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "no account named 'bem'. Did you mean 'ben'?" in out, out
    assert runner.invoke(app, ["label", str(d), str(f), "--reviewer", "BEN"]).exit_code == 0
    with Project.open(d) as p:
        assert sorted(p.decision_log()["reviewer"].unique()) == ["ana", "ben"]


def test_reviewer_names_in_a_label_file_are_checked_in_dual_screening(tmp_path, toy_review):
    from screener.accounts import add_user

    d = _dual_project(tmp_path, toy_review, 6)
    with Project.open(d) as p:
        ids = [int(i) for i in p.records_frame().index]
        add_user(p.store, "ana", "reviewer", "correct horse battery")
        add_user(p.store, "ben", "reviewer", "correct horse battery")
    f = tmp_path / "rayyan.csv"
    pd.DataFrame({"record_id": ids[:2], "decision": ["exclude", "exclude"], "reviewer": ["Ana", "ben"]}).to_csv(
        f, index=False)
    r = runner.invoke(app, ["label", str(d), str(f)])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert sorted(p.decision_log()["reviewer"]) == ["ana", "ben"]
    pd.DataFrame({"record_id": ids[2:3], "decision": ["exclude"], "reviewer": ["resolver"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(d), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "row 2" in out and "a word screener uses itself" in out, out


def test_label_tells_a_reviewer_blind_at_full_text_nothing_of_the_others_full_text_decisions(tmp_path, toy_review):
    """The title/abstract blinding over, Ben excluding a record Ana and Cara assessed at full text was
    warned that it 'has a full-text decision': theirs, which he may not see until the full-text
    blinding is over. He is warned of his own full-text decisions only, as a reviewer blind at title
    and abstract is."""
    from screener.store.base import Decision

    d = _dual_project(tmp_path, toy_review, 6)
    with Project.open(d) as p:
        one = int(p.records_frame().index[0])
        p.store.append_decisions([Decision(record_id=one, decision="exclude", reviewer=r) for r in ("ana", "cara")])
        p.store.append_decisions([Decision(record_id=one, decision="include", reviewer=r, stage="full_text")
                                  for r in ("ana", "cara")])
    _end_blinding(d)
    f = tmp_path / "ben.csv"
    pd.DataFrame({"record_id": [one], "decision": ["exclude"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", "ben"])
    assert r.exit_code == 0, r.output
    assert "full-text decision" not in " ".join(r.output.split())


def test_label_warns_the_owner_who_assesses_no_full_text_of_the_reviewers_full_text_decisions(tmp_path, toy_review):
    """The owner screened titles and abstracts with Ana, then left the full texts to Ana and Ben, whose
    full-text decisions she sees on the web. Excluding at title and abstract a record they had assessed, she
    was not warned that it 'has a full-text decision' (hers only were counted, as if she were blind at full
    text): the PRISMA boxes stopped adding up without a word."""
    from screener.accounts import add_user
    from screener.store.base import Decision

    d = _dual_project(tmp_path, toy_review, 6)
    with Project.open(d) as p:
        add_user(p.store, "olga", "owner", "a-long-enough-password")
        one = int(p.records_frame().index[0])
        p.store.append_decisions([Decision(record_id=one, decision="include", reviewer=r) for r in ("ana", "olga")])
        p.store.append_decisions([Decision(record_id=one, decision="include", reviewer=r, stage="full_text")
                                  for r in ("ana", "ben")])
        p.store.append_decisions([Decision(record_id=one, decision="exclude", reviewer="ana")])
    _end_blinding(d)
    f = tmp_path / "olga.csv"
    pd.DataFrame({"record_id": [one], "decision": ["exclude"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", "olga"])
    assert r.exit_code == 0, r.output
    assert "has a full-text decision" in " ".join(r.output.split()), r.output


def _end_blinding(d, at=None):
    """As the owner's 'End the blinding' in the web app does."""
    import datetime as dt

    with Project.open(d) as p:
        p.set_setting("blinding_ended", {"by": "olga", "at": (at or dt.datetime.now(dt.timezone.utc)).isoformat()})


def test_dual_next_shows_a_blind_reviewer_no_scores(tmp_path, toy_review):
    """A study the others have settled takes its neighbour's score in a reviewer's queue: the exact
    ties would mark the settled ones. Hidden while blind (as the web app hides rank and score), in
    the table and in every batch format, which 'label' still reads; shown once the owner ends the
    blinding, and hidden again when records are imported after that."""
    d = _dual_project(tmp_path, toy_review, 20)
    with Project.open(d) as p:
        ids = [int(i) for i in p.records_frame().index]
        for who in ("olga", "ana"):
            for rid in ids[:4]:
                p.decide(rid, "exclude", reviewer=who)

    def ben_next(*args) -> str:
        r = runner.invoke(app, ["next", str(d), "--n", "20", "--embedding-model", "none", "--reviewer", "ben", *args])
        assert r.exit_code == 0, r.output
        return r.output

    assert "Score" not in ben_next() and "Title" in ben_next()
    for fmt, read in (("csv", pd.read_csv), ("xlsx", pd.read_excel)):
        ben_next("-o", str(tmp_path / f"ben.{fmt}"))
        batch = read(tmp_path / f"ben.{fmt}")
        assert "score" not in batch.columns and sorted(batch["record_id"]) == sorted(ids), batch.columns
    ben_next("-o", str(tmp_path / "ben.ris"))
    ris = (tmp_path / "ben.ris").read_text(encoding="utf-8")
    assert "screener rank 1: " in ris and "score" not in ris

    _end_blinding(d)
    assert "Score" in ben_next()
    ben_next("-o", str(tmp_path / "open.csv"))
    assert "score" in pd.read_csv(tmp_path / "open.csv").columns
    more = toy_review(tmp_path / "update.csv", n=6, n_include=1, seed=5)  # a search update, after the end
    assert runner.invoke(app, ["import", str(d), str(more)]).exit_code == 0
    assert "Score" not in ben_next()  # blind again, until the owner ends it again

    batch = pd.read_csv(tmp_path / "ben.csv")
    batch["decision"] = "exclude"
    batch.to_csv(tmp_path / "ben.csv", index=False)
    r = runner.invoke(app, ["label", str(d), str(tmp_path / "ben.csv"), "--reviewer", "ben"])
    assert r.exit_code == 0 and "Saved 20 decisions" in r.output, r.output


def test_dual_next_draws_no_automatic_sample_for_a_blind_reviewer(tmp_path, toy_review):
    """The advice samples only from the team's first agreed include on: a sample in a blind
    reviewer's batch (and the line saying so) would tell them the others agreed on an include."""
    from screener.status import advised_sample

    d = _dual_project(tmp_path, toy_review, 40)
    assert runner.invoke(app, ["next", str(d), "--n", "5", "--embedding-model", "none", "--reviewer", "ana"]
                         ).exit_code == 0
    with Project.open(d) as p:
        ids = [int(i) for i in p.records_frame().index]
        for who in ("olga", "ana"):
            p.decide(ids[0], "include", reviewer=who)
            for rid in ids[1:8]:
                p.decide(rid, "exclude", reviewer=who)
        assert advised_sample(p, 20) > 0  # what the advice asks of the team
    out = tmp_path / "ben.csv"
    args = ["next", str(d), "--n", "20", "-o", str(out), "--embedding-model", "none", "--reviewer", "ben"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "random sample" not in r.output and not pd.read_csv(out)["sampled"].any()
    r = runner.invoke(app, [*args, "--sample", "3"])  # asked for: drawn
    assert r.exit_code == 0, r.output
    assert "3 of these records are a random sample" in r.output and pd.read_csv(out)["sampled"].sum() == 3


def test_dual_next_draws_no_sample_a_reviewer_would_screen_for_nothing_and_says_why(tmp_path, toy_review):
    """Dual screening: ana had screened 5 records ben had not, one more ben decided otherwise; 'next --reviewer ana
    --sample 3' drew 3 records of her queue, which left those 6 out. She screened them, and only then did 'status'
    say the draw was set aside. Now none is drawn for her, and 'next' says what the sample waits for; once ben has
    screened them and the conflict is settled, it is drawn."""
    d = _dual_project(tmp_path, toy_review, 30)
    with Project.open(d) as p:
        ids = [int(i) for i in p.records_frame().index]
        for rid in ids[:6]:
            p.decide(rid, "exclude", reviewer="ana")
        p.decide(ids[5], "include", reviewer="ben")
    out = tmp_path / "ana.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "10", "-o", str(out), "--embedding-model", "none",
                            "--reviewer", "ana", "--sample", "3"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert ("No random sample is drawn for ana until the other reviewer has screened the 5 records only ana has "
            "screened so far and the conflict on 1 record ana screened is settled.") in said, said
    assert "random sample of the rest" not in said and not pd.read_csv(out)["sampled"].any()
    with Project.open(d) as p:
        assert not p._pending_sample()
        for rid in ids[:5]:
            p.decide(rid, "exclude", reviewer="ben")
        p.decide(ids[5], "exclude", reviewer="olga", role="resolver")
    r = runner.invoke(app, ["next", str(d), "--n", "10", "-o", str(out), "--embedding-model", "none",
                            "--reviewer", "ana", "--sample", "3"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "No random sample is drawn" not in r.output and pd.read_csv(out)["sampled"].sum() == 3


def test_a_batch_with_one_sampled_record_says_it_in_the_singular(tmp_path, make_project):
    """'next peer-work --n 5 -o batch3.xlsx' with one record drawn for the recall check said '1 of these
    records are a random sample of the rest of the queue (marked 'sampled'): screen them like the others;
    they let screener certify recall'."""
    d, _ = make_project()
    out = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "5", "-o", str(out), "--embedding-model", "none", "--sample", "1"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert pd.read_csv(out)["sampled"].sum() == 1
    assert ("1 of these records is a random sample of the rest of the queue (marked 'sampled'): screen it like the "
            "others; it lets screener certify recall.") in said, said


def test_full_text_decisions_on_records_not_passed_on_are_named(tmp_path, make_project):
    """A full-text decision on a record excluded at title and abstract, or never screened, breaks
    the PRISMA flow's arithmetic: 'label' says which records."""
    d, _ = make_project()
    ta = tmp_path / "ta.csv"
    pd.DataFrame({"DOI": ["10.5555/toy.1", "10.5555/toy.2"], "decision": ["include", "exclude"]}).to_csv(ta, index=False)
    assert runner.invoke(app, ["label", str(d), str(ta)]).exit_code == 0
    ft = tmp_path / "ft.csv"
    pd.DataFrame({"DOI": ["10.5555/toy.1", "10.5555/toy.2", "10.5555/toy.3"],
                  "decision": ["include", "include", "exclude"]}).to_csv(ft, index=False)
    r = runner.invoke(app, ["label", str(d), str(ft), "--stage", "full_text"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "2 records assessed at full text were not included (or marked maybe) at title and abstract: 2, 3" in said


def test_full_text_checks_of_a_blind_reviewer_read_their_own_title_abstract_decisions(tmp_path, toy_review):
    """Ben included records 1 and 2, Anabel excluded 2. Entering his full-text decisions on both,
    Ben was told record 2 "was not included at title and abstract": the team's decision, which
    told him Anabel's while screening is blind."""
    d = _dual_project(tmp_path, toy_review, 8)
    with Project.open(d) as p:
        one, two = map(int, p.records_frame().index[:2])
        for rid, ana in ((one, "include"), (two, "exclude")):
            p.decide(rid, ana, reviewer="ana")
            p.decide(rid, "include", reviewer="ben")
    ft = tmp_path / "ft.csv"
    pd.DataFrame({"record_id": [one, two], "decision": ["include", "exclude"]}).to_csv(ft, index=False)
    r = runner.invoke(app, ["label", str(d), str(ft), "--stage", "full_text", "--reviewer", "ben"])
    assert r.exit_code == 0, r.output
    assert "not included (or marked maybe) at title and abstract" not in " ".join(r.output.split())
    ta = tmp_path / "ta.csv"  # nor Anabel, excluding record 1, that the others agreed on it at full text
    pd.DataFrame({"record_id": [one], "decision": ["exclude"]}).to_csv(ta, index=False)
    with Project.open(d) as p:
        p.decide(one, "include", reviewer="olga", stage="full_text")  # with Ben's: agreed at full text
    r = runner.invoke(app, ["label", str(d), str(ta), "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    assert "has a full-text decision" not in " ".join(r.output.split())
    # his own decisions still get the check
    pd.DataFrame({"record_id": [one], "decision": ["exclude"]}).to_csv(ta, index=False)
    r = runner.invoke(app, ["label", str(d), str(ta), "--reviewer", "ben"])
    assert "now excluded at title and abstract has a full-text decision: " + str(one) in " ".join(r.output.split())


def test_export_only_final_gives_the_studies_included_at_full_text(tmp_path, make_project):
    """'--only included' is the title/abstract includes; a team at the end of the review needs
    the studies included at full text, in each format 'export' writes."""
    from screener.io import read_records

    d, _ = make_project()
    ta = tmp_path / "ta.csv"
    pd.DataFrame({"record_id": [1, 2, 3, 4], "decision": ["include"] * 3 + ["exclude"]}).to_csv(ta, index=False)
    assert runner.invoke(app, ["label", str(d), str(ta)]).exit_code == 0
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "none.csv"), "--only", "final"])
    assert r.exit_code == 1 and "no full-text decisions yet" in " ".join(r.output.split())
    assert not (tmp_path / "none.csv").exists()
    ft = tmp_path / "ft.csv"
    pd.DataFrame({"record_id": [1, 2, 3], "decision": ["include", "exclude", "include"]}).to_csv(ft, index=False)
    assert runner.invoke(app, ["label", str(d), str(ft), "--stage", "full_text"]).exit_code == 0
    for fmt in ("csv", "ris", "xlsx"):
        out = tmp_path / f"final.{fmt}"
        r = runner.invoke(app, ["export", str(d), "-o", str(out), "--only", "final"])
        assert r.exit_code == 0, r.output
        assert "Wrote 2 records" in r.output
        back = read_records(out).records
        assert sorted(rec["title"].split(" of ")[0] for rec in back) == ["Study 1", "Study 3"]
    r = runner.invoke(app, ["export", "--help"])
    said = " ".join(r.output.replace("│", " ").split())  # the help's box, as wide as the terminal
    assert "final: the studies included at full text" in said
    assert "included: the records included at title and abstract" in said


def test_a_batch_csv_opens_in_excel_with_its_accents_and_labels_back(tmp_path):
    """'screener next -o batch.csv' wrote UTF-8 without a byte-order mark, which Excel (the
    spreadsheet the README sends reviewers to) reads as Windows-1252: 'Müller' showed as
    'MÃ¼ller', 'café' as 'cafÃ©' in every batch. The export has a BOM; so does the batch now."""
    src = tmp_path / "medline.csv"
    pd.DataFrame({"title": ["Peer workers in harm reduction: a qualitative study", "Café-based peer support"],
                  "abstract": ["Müller and Øster interviewed peer workers.", "A naïve approach, α-level 0.05."],
                  "authors": ["Müller, Jörg", "Øster, Åsa"], "year": [2020, 2021]}).to_csv(src, index=False)
    d = _init_and_import(tmp_path / "review", src)
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "2", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    raw = batch.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "Müller, Jörg" in text and "Café-based peer support" in text and "α-level" in text
    df = pd.read_csv(batch, encoding="utf-8-sig")
    assert list(df.columns[:2]) == ["rank", "record_id"]
    df["decision"] = "include"
    df.to_csv(batch, index=False, encoding="utf-8-sig")
    r = runner.invoke(app, ["label", str(d), str(batch), "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert p.prisma_counts()["included"] == 2


def test_a_batch_csv_keeps_titles_that_start_like_a_formula_as_text(tmp_path):
    """A batch CSV put '-Omics in depression' and '=...' titles in cells as they were, so a
    spreadsheet ran them as formulas and showed #NAME? in place of the title. They are guarded with
    a leading quote, as the export's are, and the filled-in batch still labels its records."""
    src = tmp_path / "medline.csv"
    titles = ["-Omics in depression: peer support", "=SUM(A1:A2) is not a formula", "+ve results of peer work"]
    pd.DataFrame({"title": titles, "abstract": ["peer workers"] * 3,
                  "year": [2020, 2021, 2022]}).to_csv(src, index=False)
    d = _init_and_import(tmp_path / "review", src)
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "3", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(batch, encoding="utf-8-sig")
    assert sorted(df["title"]) == sorted("'" + t for t in titles)
    df["decision"] = "exclude"
    df.to_csv(batch, index=False, encoding="utf-8-sig")
    r = runner.invoke(app, ["label", str(d), str(batch), "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert p.prisma_counts()["excluded"] == 3


def test_a_batch_workbook_keeps_a_title_that_starts_with_equals_as_text(tmp_path):
    """'screener next -o batch.xlsx' wrote a title starting with '=' as a formula, so the
    spreadsheet showed an error in place of the title. It is text now, and labels back by id."""
    from openpyxl import load_workbook

    src = tmp_path / "medline.csv"
    titles = ["=SUM(A1:A2) is not a formula: peer support", "Peer workers in harm reduction"]
    pd.DataFrame({"title": titles, "abstract": ["peer workers"] * 2, "year": [2020, 2021]}).to_csv(src, index=False)
    d = _init_and_import(tmp_path / "review", src)
    batch = tmp_path / "batch.xlsx"
    r = runner.invoke(app, ["next", str(d), "--n", "2", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    ws = load_workbook(batch).active
    header = [c.value for c in ws[1]]
    cells = [row[header.index("title")] for row in ws.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(titles)
    assert all(c.data_type == "s" for c in cells)
    # filled in as a reviewer would in Excel: the title cells stay text (pandas' to_excel would
    # write them back as formulas, which no spreadsheet does to a cell typed as text)
    wb = load_workbook(batch)
    ws = wb.active
    col = header.index("decision") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=col, value="include")
    wb.save(batch)
    r = runner.invoke(app, ["label", str(d), str(batch), "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert p.prisma_counts()["included"] == 2


def test_next_names_the_protocols_known_relevant_records_it_cannot_find(tmp_path, toy_review):
    """A DOI mistyped in the protocol (or a study the search missed) was passed over in silence:
    the team believed their known includes were being shown first."""
    csv = _unlabelled(toy_review(tmp_path / "toy.csv"))
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\n'
                     'known_relevant = ["10.5555/toy.3", "10.5555/toy.999", "A study nobody imported"]\n')
    d = _init_and_import(tmp_path / "review", csv, init=("--protocol", str(proto)))
    r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "2 known relevant records that match no record" in said
    assert "10.5555/toy.999" in said and "'A study nobody imported'" in said and "toy.3," not in said


def test_a_batch_larger_than_what_is_left_draws_at_most_a_fifth_of_what_is_left(tmp_path, make_project):
    """The advised recall sample was a fifth of --n, not of the batch: 'next --n 1000' with 56
    records left marked 54 of them sampled, and the best-ranked records came at random places."""
    d, _ = make_project()
    first = tmp_path / "first.csv"
    assert runner.invoke(app, ["next", str(d), "--n", "4", "-o", str(first), "--embedding-model", "none"]).exit_code == 0
    df = pd.read_csv(first)
    df["decision"] = ["include"] + ["exclude"] * (len(df) - 1)
    df.to_csv(first, index=False)
    assert runner.invoke(app, ["label", str(d), str(first)]).exit_code == 0
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "1000", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(batch)
    assert len(df) == 56 and 0 < df["sampled"].sum() <= 56 // 5


def test_export_only_included_says_the_maybes_going_to_full_text_are_apart(tmp_path, make_project):
    """The README's 'export --only included  # the title/abstract includes, for full text' wrote the
    includes alone, without a word of the records marked maybe, which the report's PRISMA flow
    counts as passed on to full text ('for full-text review (n = 5): included 3, marked maybe 2'):
    a team fetching the full texts from that file never assessed the maybes."""
    d, _ = make_project()
    ta = tmp_path / "ta.csv"
    pd.DataFrame({"record_id": [1, 2, 3, 4, 5, 6], "decision": ["include"] * 3 + ["maybe"] * 2 + ["exclude"]}
                 ).to_csv(ta, index=False)
    assert runner.invoke(app, ["label", str(d), str(ta)]).exit_code == 0
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "inc.ris"), "--only", "included"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "Wrote 3 records" in said
    assert "2 records marked maybe at title and abstract also go on to full text" in said and "--only maybe" in said
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "maybe.ris"), "--only", "maybe"])
    assert "Wrote 2 records" in r.output and "also go on" not in r.output


def test_export_only_final_names_the_full_texts_still_open(tmp_path, make_project):
    """'export --only final' while full texts were undecided or not assessed yet wrote the
    includes so far as if they were the review's final includes, without a word."""
    d, _ = make_project()
    ta = tmp_path / "ta.csv"
    pd.DataFrame({"record_id": [1, 2, 3, 4, 5], "decision": ["include"] * 4 + ["maybe"]}).to_csv(ta, index=False)
    assert runner.invoke(app, ["label", str(d), str(ta)]).exit_code == 0
    ft = tmp_path / "ft.csv"
    pd.DataFrame({"record_id": [1, 2, 3], "decision": ["include", "exclude", "maybe"]}).to_csv(ft, index=False)
    assert runner.invoke(app, ["label", str(d), str(ft), "--stage", "full_text"]).exit_code == 0
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "final.ris"), "--only", "final"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "Wrote 1 record to" in said
    assert ("Not decided at full text yet, so not in this file: 1 full text still undecided (maybe); 2 full texts "
            "passed on at title and abstract are not assessed yet.") in said
    pd.DataFrame({"record_id": [3, 4, 5], "decision": ["exclude"] * 3}).to_csv(ft, index=False)
    assert runner.invoke(app, ["label", str(d), str(ft), "--stage", "full_text"]).exit_code == 0
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "final.ris"), "--only", "final"])
    assert "Wrote 1 record to" in r.output and "Not decided" not in r.output


def test_export_in_a_team_of_three_asks_for_a_second_reviewer_not_the_second(tmp_path, toy_review):
    """Three reviewers: any of the others gives a record its second decision; 'have the second reviewer
    screen them' and 'the two reviewers' agreement' named a team of two that is not theirs."""
    csv = _unlabelled(toy_review(tmp_path / "toy.csv"))
    d = _init_and_import(tmp_path / "dual", csv, init=("--mode", "dual"))
    for who, decisions in (("ana", ["include", "include", "exclude"]), ("ben", ["include"]),
                           ("cara", ["include", "include"])):  # record 3: ana's only
        f = tmp_path / f"{who}.csv"
        pd.DataFrame({"record_id": range(1, len(decisions) + 1), "decision": decisions}).to_csv(f, index=False)
        r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", who])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["export", "--team", str(d), "-o", str(tmp_path / "all.csv")])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "1 record awaits the reviewers' agreement (1 screened by one reviewer" in said
    assert "have another reviewer screen it, then" in said and "the second reviewer" not in said


def test_export_in_dual_screening_names_the_records_awaiting_agreement(tmp_path, toy_review):
    """Dual screening: a record one reviewer included and the other excluded has no decision until
    it is settled. 'export --only included' (the full texts to fetch) left it out, and '--only
    unscreened' listed it as never screened, without a word; the export now says so."""
    csv = _unlabelled(toy_review(tmp_path / "toy.csv"))
    d = _init_and_import(tmp_path / "dual", csv, init=("--mode", "dual"))
    for who, decisions in (("ana", ["include", "include", "exclude", "exclude"]),
                           ("ben", ["include", "exclude", "exclude"])):  # record 2: a conflict; 4: ana's only
        f = tmp_path / f"{who}.csv"
        pd.DataFrame({"record_id": range(1, len(decisions) + 1), "decision": decisions}).to_csv(f, index=False)
        r = runner.invoke(app, ["label", str(d), str(f), "--reviewer", who])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["export", "--team", str(d), "-o", str(tmp_path / "inc.ris"), "--only", "included"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "Wrote 1 record to" in said
    assert ("2 records await the two reviewers' agreement (1 conflict, 1 screened by one reviewer so far; 1 "
            "included or marked maybe by a reviewer): they are not in this file") in said
    assert "Conflicts page" in said and "second reviewer screen the others" in said
    r = runner.invoke(app, ["export", "--team", str(d), "-o", str(tmp_path / "rest.csv"), "--only", "unscreened"])
    said = " ".join(r.output.split())
    assert "they are in this file, though screened" in said
    r = runner.invoke(app, ["export", "--team", str(d), "-o", str(tmp_path / "all.csv")])
    assert "their decision is blank in this file" in " ".join(r.output.split())
    with Project.open(d) as p:
        p.decide(2, "include", reviewer="owner", role="resolver")
        p.decide(4, "exclude", reviewer="ben")
    r = runner.invoke(app, ["export", "--team", str(d), "-o", str(tmp_path / "inc.ris"), "--only", "included"])
    assert "Wrote 2 records" in r.output and "agreement" not in r.output


def test_next_never_writes_over_a_filled_in_batch_not_labelled_yet(tmp_path, make_project):
    d, _ = make_project()
    batch = tmp_path / "batch.csv"
    args = ["next", str(d), "--n", "5", "-o", str(batch), "--embedding-model", "none"]
    assert runner.invoke(app, args).exit_code == 0
    df = pd.read_csv(batch)
    df["decision"] = ["include", "exclude", "exclude", "", ""]
    df.to_csv(batch, index=False)
    r = runner.invoke(app, args)  # the same command again, before 'label'
    assert r.exit_code == 1
    out = " ".join(r.output.split())
    assert "3 decisions that are not in the project yet" in out and f"screener label {d} {batch}" in out
    assert list(pd.read_csv(batch)["decision"].fillna("")) == ["include", "exclude", "exclude", "", ""]
    df.loc[0, "decision"] = "inclde"  # a typo is the reviewer's work too
    df.to_csv(batch, index=False)
    assert runner.invoke(app, args).exit_code == 1
    df.loc[0, "decision"] = "include"
    df.to_csv(batch, index=False)
    assert runner.invoke(app, ["label", str(d), str(batch), "--reviewer", "bob"]).exit_code == 0
    r = runner.invoke(app, [*args, "--reviewer", "ana"])  # read in (by anyone): the file may be written over
    assert r.exit_code == 0, r.output
    assert pd.read_csv(batch)["decision"].isna().all()


def test_next_never_writes_over_a_filled_in_workbook_whose_batch_is_its_second_sheet(tmp_path, make_project):
    """A batch workbook filled in on a sheet renamed 'Batch', with a notes tab moved before it: the
    check for decisions not read in yet read only the first sheet (or none, as the workbook had two
    sheets with data), so 'next -o' wrote a new batch over both sheets and the decisions were lost."""
    d, _ = make_project()
    batch = tmp_path / "batch.xlsx"
    args = ["next", str(d), "--n", "4", "-o", str(batch), "--embedding-model", "none"]
    assert runner.invoke(app, args).exit_code == 0
    df = pd.read_excel(batch)
    df["decision"] = ["Include", "exclude ", None, None]
    with pd.ExcelWriter(batch) as xw:
        pd.DataFrame({"to discuss with BR": ["record 3?"]}).to_excel(xw, sheet_name="My notes", index=False)
        df.to_excel(xw, sheet_name="Batch", index=False)
    r = runner.invoke(app, args)
    out = " ".join(r.output.split())
    assert r.exit_code == 1, r.output
    assert "2 decisions that are not in the project yet" in out and "of the sheet 'Batch'" in out
    assert f"screener label {d} {batch} --sheet Batch" in out
    assert pd.ExcelFile(batch).sheet_names == ["My notes", "Batch"]
    assert runner.invoke(app, ["label", str(d), str(batch), "--sheet", "Batch"]).exit_code == 0
    assert runner.invoke(app, args).exit_code == 0  # read in: the file may be written over


def test_an_output_named_as_a_folder_is_refused_before_anything_is_written(tmp_path, make_project):
    """'export -o out.csv' where out.csv is a folder said 'Wrote 30 records to out.csv.' and left
    the file at out.csv/out.csv.partial; next and report failed at the end naming 'x.partial' and
    left that file behind."""
    d, _ = make_project()
    for name, args in (("out.csv", ["export", str(d), "-o"]), ("out.ris", ["export", str(d), "-o"]),
                       ("batch.csv", ["next", str(d), "--embedding-model", "none", "-o"]),
                       ("report.html", ["report", str(d), "-o"]), ("curve.png", ["status", str(d), "--plot"]),
                       ("groups.csv", ["dedup", str(d), "--report", "-o"])):
        folder = tmp_path / name
        folder.mkdir()
        r = runner.invoke(app, [*args, str(folder)])
        assert r.exit_code == 1, (name, r.output)
        assert "names a folder; give the file's name" in " ".join(r.output.split()), r.output
        assert not list(folder.iterdir()) and not list(tmp_path.glob("*.partial")), name
    # a folder that does not exist yet is made, as for the report
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "new" / "all.csv")])
    assert r.exit_code == 0 and len(pd.read_csv(tmp_path / "new" / "all.csv")) > 0


def test_the_duplicate_groups_asked_for_as_a_workbook_are_refused_not_written_as_csv(tmp_path, make_project):
    """'dedup --report -o groups.xlsx' wrote CSV text into groups.xlsx ('Wrote the duplicate groups to
    groups.xlsx'), a file Excel refuses to open as a workbook."""
    d, _ = make_project()
    for args in (["--report"], ["--review"]):
        r = runner.invoke(app, ["dedup", str(d), *args, "-o", str(tmp_path / "groups.xlsx")])
        out = " ".join(r.output.split())
        assert r.exit_code == 1, out
        assert "groups.xlsx" in out and "groups.csv" in out and "Excel opens" in out, out
        assert not (tmp_path / "groups.xlsx").exists()
    r = runner.invoke(app, ["dedup", str(d), "--report", "-o", str(tmp_path / "groups.csv")])
    assert r.exit_code == 0 and (tmp_path / "groups.csv").exists()


def test_a_duplicates_file_with_nothing_in_it_says_so_not_that_it_was_written_with_them(tmp_path, make_project):
    """'dedup --review -o pairs.csv' said 'No pairs of possible duplicates left to decide' and then 'Wrote the pairs
    to review to pairs.csv', a file of column names only; '--report -o' the same of groups where there were none.
    The file is still written (a script may read it), and said to hold its column names only."""
    d, _ = make_project()
    for args, name, none in ((["--review"], "pairs.csv", "no pair to review"),
                             (["--report"], "groups.csv", "no duplicate group")):
        r = runner.invoke(app, ["dedup", str(d), *args, "-o", str(tmp_path / name)], env={"COLUMNS": "300"})
        out = " ".join(r.output.split())
        assert r.exit_code == 0, out
        assert len(pd.read_csv(tmp_path / name)) == 0
        assert f"Wrote {tmp_path / name} with its column names only: {none}." in out and "Wrote the" not in out, out


def test_an_export_that_fails_halfway_keeps_the_last_one_and_leaves_no_partial_file(tmp_path, make_project,
                                                                                     monkeypatch):
    import errno

    import screener.io as io

    d, _ = make_project()
    out = tmp_path / "included.ris"
    assert runner.invoke(app, ["export", str(d), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()

    def disk_full(df, path, fmt=None, warnings=None):
        open(path, "w").write("TY  - JOUR\n")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(io, "write_records", disk_full)
    r = runner.invoke(app, ["export", str(d), "-o", str(out)])
    assert r.exit_code == 1
    text = " ".join(r.output.split())
    assert f"{out}: No space left on device" in text and ".partial" not in text
    assert out.read_bytes() == before and not list(tmp_path.glob("*.partial"))


def test_dual_next_keeps_a_reviewers_filled_in_batch_the_other_reviewer_decided_too(tmp_path, toy_review):
    """In dual screening only the reviewer's own decisions count as read in: ben's batch, filled
    in, is kept though ana has labelled the same records with the same decisions."""
    d = _dual_project(tmp_path, toy_review, 20)
    anas, bens = tmp_path / "ana.csv", tmp_path / "ben.csv"
    _batch_all_excluded(d, anas, "ana", 4)
    _batch_all_excluded(d, bens, "ben", 4)
    assert runner.invoke(app, ["label", str(d), str(anas), "--reviewer", "ana"]).exit_code == 0
    r = runner.invoke(app, ["next", str(d), "--n", "4", "-o", str(bens), "--embedding-model", "none",
                            "--reviewer", "ben"])
    assert r.exit_code == 1 and f"--reviewer ben" in " ".join(r.output.split())
    assert (pd.read_csv(bens)["decision"] == "exclude").all()
    r = runner.invoke(app, ["next", str(d), "--n", "4", "-o", str(anas), "--embedding-model", "none",
                            "--reviewer", "ana"])
    assert r.exit_code == 0, r.output


def test_export_and_next_never_write_over_a_search_export_imported_into_the_project(tmp_path, make_project):
    """'export review -o scopus.csv' in the folder of the exports replaced the database's original
    download with screener's export, without a word."""
    d, csv = make_project()
    original = csv.read_bytes()
    for args in (["export", str(d), "-o", str(csv)],
                 ["next", str(d), "--n", "3", "--embedding-model", "none", "-o", str(csv)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1, r.output
        out = " ".join(r.output.split())
        assert f"this is the search export {csv.name} imported into the project" in out and "another file name" in out
        assert csv.read_bytes() == original


def test_report_and_plot_are_refused_under_a_name_of_another_kind(tmp_path, make_project):
    """'report -o report.pdf' wrote an HTML page named .pdf ('open it in a browser'), and 'status
    --plot curve.pdf' a PNG named .pdf: neither opened."""
    d, _ = make_project()
    r = runner.invoke(app, ["report", str(d), "-o", str(tmp_path / "report.pdf")])
    assert r.exit_code == 1 and "name the file report.html" in " ".join(r.output.split())
    r = runner.invoke(app, ["status", str(d), "--plot", str(tmp_path / "curve.pdf")])
    assert r.exit_code == 1 and "--plot draws a PNG picture; name the file curve.png" in " ".join(r.output.split())
    assert not list(tmp_path.glob("*.pdf"))


def test_next_refuses_a_batch_file_of_another_kind_before_ranking(tmp_path, make_project, monkeypatch):
    """'next -o batch.tsv' ranked every record (minutes on a large review) and only then said
    'write the batch as .csv, .xlsx or .ris'."""
    import screener.cli.ranking_cmds as rc

    d, _ = make_project()
    monkeypatch.setattr(rc, "_session", lambda *a, **k: pytest.fail("ranked before the file name was checked"))
    r = runner.invoke(app, ["next", str(d), "--n", "3", "-o", str(tmp_path / "batch.tsv")])
    assert r.exit_code == 1 and "write the batch as .csv, .xlsx or .ris" in r.output


def test_export_xlsx_names_the_texts_cut_to_fit_excel_cells(tmp_path):
    """'screener export -o records.xlsx' cut a consortium paper's 3,000 authors at Excel's 32,767
    characters without a word; it now names the record and the column, and the way to the whole text."""
    ris = tmp_path / "atlas.ris"
    ris.write_text("TY  - JOUR\nTI  - Observation of a new particle\n" + "".join(
        f"AU  - Author{i:05d}, A. B.\n" for i in range(3000)) + "PY  - 2012\nAB  - We observed it.\nER  - \n\n"
        "TY  - JOUR\nTI  - A small study\nPY  - 2020\nAB  - Short.\nER  - \n", encoding="utf-8")
    d = _init_and_import(tmp_path / "review", ris)
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "records.xlsx")])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "Wrote 2 records" in said and "records.xlsx: an Excel cell holds at most 32,767 characters" in said
    assert "record 1 (authors, 59,998 characters: the first " in said and "of 3,000 names kept)" in said
    assert "as CSV or RIS" in said


def test_next_batch_as_xlsx_names_an_abstract_cut_to_fit_an_excel_cell(tmp_path):
    """A batch written as .xlsx cut an abstract at Excel's 32,767 characters without a word: the
    reviewer screened the record on a part of its abstract, taking it for the whole."""
    from openpyxl import load_workbook

    long = "Background. " + "We measured outcomes in many centres. " * 1100
    ris = tmp_path / "search.ris"
    ris.write_text(f"TY  - JOUR\nTI  - Proceedings of the harm reduction conference\nPY  - 2019\nAB  - {long}\n"
                   "ER  - \n\nTY  - JOUR\nTI  - Peer workers in harm reduction\nPY  - 2020\nAB  - Short.\nER  - \n",
                   encoding="utf-8")
    d = _init_and_import(tmp_path / "review", ris)
    out = tmp_path / "batch.xlsx"
    r = runner.invoke(app, ["next", str(d), "--n", "2", "-o", str(out), "--embedding-model", "none"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "batch.xlsx: an Excel cell holds at most 32,767 characters" in said
    assert f"record 1 (abstract, {len(long.strip()):,} characters)" in said and "write the batch as .csv" in said
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    rows = ws.iter_rows(min_row=2, values_only=True)
    abstracts = {row[header.index("record_id")]: row[header.index("abstract")] for row in rows}
    assert abstracts[1].endswith("CSV or RIS export]") and abstracts[2] == "Short."


def test_xlsx_export_and_batch_name_the_control_characters_an_excel_cell_cannot_hold(tmp_path):
    """A title with a control character (text pasted out of a PDF into an RIS record) stopped
    'screener next -o batch.xlsx' with a traceback (IllegalCharacterError), and 'screener export -o
    records.xlsx' dropped the character without a word. The import now reads it as a space and names
    the record (a project imported before still has them: the workbooks write them as spaces, see
    test_io_export)."""
    from openpyxl import load_workbook

    ris = tmp_path / "search.ris"
    ris.write_text("TY  - JOUR\nTI  - Exercise for knee\x02 pain\nPY  - 2020\nAB  - Pain fell\x0b by half.\nER  - \n\n"
                   "TY  - JOUR\nTI  - Yoga for back pain\nPY  - 2021\nAB  - Short.\nER  - \n", encoding="utf-8")
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(ris)])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    # the import reads them as spaces and names the record, so the workbooks have nothing to leave out
    assert "search.ris: 1 record held control characters" in said and "line 1 (title, abstract)" in said, said
    out = tmp_path / "batch.xlsx"
    r = runner.invoke(app, ["next", str(d), "--n", "2", "-o", str(out), "--embedding-model", "none"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "control characters" not in said, said
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    titles = {row[header.index("record_id")]: row[header.index("title")] for row in ws.iter_rows(min_row=2,
                                                                                               values_only=True)}
    assert titles[1] == "Exercise for knee pain"
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "records.xlsx")])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "control characters" not in said, said


def test_xlsx_batch_writes_a_control_character_as_a_space_as_the_csv_batch_does(tmp_path):
    """A project imported before control characters were read as spaces still holds them: the .csv
    batch wrote 'knee pain' but the .xlsx batch deleted the character, so 'knee\x02pain' read
    'kneepain'; both write a space now, and the reviewer is told so."""
    from openpyxl import load_workbook

    from screener.cli.ranking_cmds import write_batch

    batch = pd.DataFrame([{"rank": 1, "record_id": 4, "title": "Exercise for knee\x02pain", "authors": ["Lee, K"],
                           "year": 2020, "journal": "J", "doi": "", "pmid": "", "score": 0.9, "sampled": False,
                           "reason": "", "abstract": "Pain fell\x0bby half."}])
    said = write_batch(batch, tmp_path / "batch.xlsx")
    ws = load_workbook(tmp_path / "batch.xlsx").active
    row = dict(zip([c.value for c in ws[1]], [c.value for c in ws[2]]))
    assert (row["title"], row["abstract"]) == ("Exercise for knee pain", "Pain fell by half.")
    assert len(said) == 1 and "written as spaces in the workbook: record 4 (title); record 4 (abstract)" in said[0]


def test_dual_status_after_a_search_update_names_the_ranking_step_each_reviewer_can_run(tmp_path, toy_review):
    """After a search update, 'screener status' on a dual review said "rank them ('screener next')";
    run as written, 'screener next DIR' is refused in dual mode (it needs --reviewer NAME)."""
    d = _dual_project(tmp_path, toy_review, 8)
    for who in ("ana", "ben"):
        batch = tmp_path / f"{who}.csv"
        _batch_all_excluded(d, batch, who, 8)
        assert runner.invoke(app, ["label", str(d), str(batch), "--reviewer", who]).exit_code == 0
    update = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Search update study {i} on peer work", "abstract": "Peer workers in services.",
                   "doi": f"10.5555/update.{i}", "year": 2025} for i in range(3)]).to_csv(update, index=False)
    assert runner.invoke(app, ["import", str(d), str(update)]).exit_code == 0
    out = " ".join(runner.invoke(app, ["status", "--team", str(d)]).output.split())
    assert "Recall is not estimated yet: 3 records still to screen have not been ranked" in out, out
    # said once: not again in the advice's 'Not yet' nor in a note
    assert "not in the ranking" not in out and "Note: not estimated for the 3" not in out, out
    assert "('screener next')" not in out
    assert f"screener next {d} --reviewer NAME" in out and f"screener serve {d}" in out


def test_export_of_the_excluded_says_which_were_excluded_unscreened_at_the_stop(tmp_path, toy_review):
    """After the stop ('label rest.csv --decision exclude'), 'export --only excluded' said "Wrote 57
    records" where PRISMA's records excluded are 27: 30 of them were excluded unread, which PRISMA
    counts as not screened, and nothing in the file or the message told them apart."""
    d = tmp_path / "review"
    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    with Project.init(d) as p:
        p.import_files([csv], column_map={"label": None})
        for rid in range(1, 31):
            p.decide(rid, "include" if rid in (1, 11, 21) else "exclude")
    exclude_the_rest_unread(d, tmp_path)
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "excluded.csv"), "--only", "excluded"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Wrote 57 records" in said
    assert "30 of them were excluded without screening when screening stopped" in said
    assert "records excluded (27)" in said
    r = runner.invoke(app, ["export", str(d), "-o", str(tmp_path / "included.csv"), "--only", "included"])
    assert "unscreened" not in " ".join(r.output.split())


def test_export_with_duplicates_counts_the_studies_the_prisma_words_beside_it_count(tmp_path):
    """MEDLINE and Embase gave 4 studies twice; 3 of the 10 studies screened and excluded, the rest
    excluded unread at the stop. 'export --only excluded --with-duplicates' said "Wrote 13 records.
    6 of them were excluded unscreened ...: PRISMA's records excluded (3) are the others": 13 - 6 is
    not 3, as the 13 are records with their copies and the 6 and 3 are studies."""
    d = tmp_path / "review"
    head = "title,abstract,authors,year,doi\n"
    rows = [f"Exercise for knee pain trial {i},Abstract {i}.,Smith{i} J,2020,10.1000/knee{i}\n" for i in range(10)]
    (tmp_path / "medline.csv").write_text(head + "".join(rows[:8]))
    (tmp_path / "embase.csv").write_text(head + "".join(rows[4:]))  # 4 and more of MEDLINE's again
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(tmp_path / "medline.csv"), str(tmp_path / "embase.csv")])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        c = p.prisma_counts()
        assert (c["identified"], c["duplicates_removed"], c["after_deduplication"]) == (14, 4, 10)
        by_doi = {doi: int(rid) for rid, doi in p.records_frame()["doi"].items()}
        for i in (4, 5, 6):  # studies that both databases gave
            p.decide(by_doi[f"10.1000/knee{i}"], "exclude")
        p.decide(by_doi["10.1000/knee0"], "include")
    exclude_the_rest_unread(d, tmp_path)
    out = tmp_path / "excluded.csv"
    r = runner.invoke(app, ["export", str(d), "-o", str(out), "--only", "excluded", "--with-duplicates"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 13  # 9 studies, 4 of them with an Embase copy
    assert "Wrote 13 records" in said and "9 studies and 4 duplicate copies of them" in said
    assert "6 of the studies in this file were excluded without screening" in said and "records excluded (3)" in said


def test_import_and_dedup_count_a_hand_search_apart_from_the_databases(tmp_path):
    """The report and the dashboard give PRISMA 2020's two columns, records from databases (MEDLINE
    3, Embase 2: 5) and from other methods (a hand search, 2); the table 'import' and 'dedup' print
    listed the hand search among the databases with no subtotal, so a team copying it into the flow
    diagram had 7 records from databases where the report says 5."""
    d = tmp_path / "review"
    head = "title,abstract,authors,year,doi\n"
    rows = [f"Peer support trial {i},Abstract {i}.,Smith{i} J,2020,10.1000/peer{i}\n" for i in range(6)]
    (tmp_path / "medline.csv").write_text(head + "".join(rows[:3]))
    (tmp_path / "embase.csv").write_text(head + "".join(rows[2:4]))
    (tmp_path / "hand.csv").write_text(head + "".join(rows[4:6]))
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    for name, source in (("medline", "MEDLINE"), ("embase", "Embase"), ("hand", "Hand search")):
        r = runner.invoke(app, ["import", str(d), str(tmp_path / f"{name}.csv"), "--source", source])
        assert r.exit_code == 0, r.output
    for out in (r.output, runner.invoke(app, ["dedup", str(d)]).output):
        lines = [" ".join(line.strip("│┃ ").split()) for line in out.splitlines()]
        table = lines[lines.index(next(x for x in lines if x.startswith("Embase"))):]
        assert table[:7] == ["Embase │ 2", "MEDLINE │ 3", "Records from databases │ 5", "Hand search │ 2",
                             "Records from other methods │ 2", "Records identified │ 7", "Duplicates removed │ 1"]


def test_a_protocol_can_be_taken_out_of_the_review(make_project, tmp_path):
    """A team that set a protocol could replace it but never take it out: 'screener protocol' needs
    a file, and deleting the copy stopped every command ('the review's protocol is no longer there').
    'screener protocol DIR --remove' takes it out; the records then come in random order until the
    first include, and the copy stays in the folder."""
    d, _ = make_project()
    r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"])
    assert r.exit_code == 0 and "protocol ranking" in r.output, r.output
    r = runner.invoke(app, ["protocol", str(d), "--remove"])
    assert r.exit_code == 0, r.output
    assert "no protocol" in " ".join(r.output.split()).lower()
    with Project.open(d) as p:
        assert p.protocol is None
    assert (d / "protocol.toml").is_file()
    r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"])
    assert r.exit_code == 0 and "random ranking" in r.output, r.output
    r = runner.invoke(app, ["protocol", str(d)])
    assert r.exit_code != 0 and "--remove" in " ".join(r.output.split())


_ENDED_MIDWAY = """
import os, signal, sys, time
sys.path.insert(0, os.getcwd())
{patch}
{nohup}
def ended(real):
    def call(*a, **k):
        out = real(*a, **k)  # written (to the temporary file, or inside the transaction)
        os.kill(os.getpid(), signal.{signal})  # a batch job's time limit, a 'kill': mid-command
        time.sleep(1)
        return out
    return call
{target} = ended({target})
sys.argv = ["screener"] + sys.argv[1:]
from screener.keep_open import main
main()
"""


@pytest.mark.parametrize("command, patch, target, sig", [
    ("next", "import numpy as np", "np.savez", "SIGTERM"),
    ("import", "from screener.store.sqlite import SQLiteStore", "SQLiteStore.add_records", "SIGTERM"),
    ("import", "from screener.store.sqlite import SQLiteStore", "SQLiteStore.add_records", "SIGHUP"),
])
def test_a_command_ended_by_sigterm_cleans_up_as_for_ctrl_c(tmp_path, toy_review, command, patch, target, sig):
    """SIGTERM (a 'kill', a batch job's time limit) or SIGHUP (the terminal window closed) ended a
    command on the spot: 'next' left features-tfidf.npz.<pid>.partial.npz (as large as the cache) in
    the project at each one, and no word was said. Now it is met as Ctrl-C: what was under way is
    undone, the temporary file removed."""
    import os
    import signal
    import subprocess
    import sys

    csv = toy_review(tmp_path / "search.csv", n=120, n_include=12)
    df = pd.read_csv(csv)
    df.loc[30:, "label_included"] = None  # 30 screened, 90 to go
    df.to_csv(csv, index=False)
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    if command == "next":
        assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
        args = ["next", str(d), "-n", "5"]
    else:
        args = ["import", str(d), str(csv)]
    code = _ENDED_MIDWAY.format(patch=patch, target=target, signal=sig, nohup="")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}  # no open review of another test answers
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(os.path.dirname(__file__)), env=env)
    assert done.returncode == 128 + getattr(signal, sig), done.stderr
    assert f"Stopped (the command was ended: {sig})" in " ".join(done.stderr.split())
    assert [p.name for p in d.iterdir() if "partial" in p.name] == []
    with Project.open(d) as project:
        assert project.store.n_records() == (120 if command == "next" else 0)  # an import: none of it
        assert project.store.sources_frame().shape[0] == (1 if command == "next" else 0)


def test_an_import_under_nohup_goes_on_when_the_terminal_closes(tmp_path, toy_review):
    """'nohup screener import ...' ignores SIGHUP: closing the terminal must not stop it."""
    import os
    import subprocess
    import sys

    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    code = _ENDED_MIDWAY.format(patch="from screener.store.sqlite import SQLiteStore",
                                target="SQLiteStore.add_records", signal="SIGHUP",
                                nohup="signal.signal(signal.SIGHUP, signal.SIG_IGN)")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code, "import", str(d), str(toy_review(tmp_path / "a.csv"))],
                          capture_output=True, text=True, timeout=120, cwd=os.path.dirname(os.path.dirname(__file__)),
                          env=env)
    assert done.returncode == 0, done.stderr
    with Project.open(d) as project:
        assert project.store.n_records() == 60


def test_screener_protocol_says_which_section_an_element_line_after_the_exclusions_went_to(make_project, tmp_path):
    """'Population: ...' after plain 'Exclusion criteria:' items was taken as an inclusion criterion without a
    word; 'screener protocol' now lists the criteria by section and names that line and what to do."""
    d, _ = make_project()
    f = tmp_path / "criteria.txt"
    f.write_text("Question: How do peers experience working in drug use services?\nExclusion criteria:\n"
                 "- Peer-led organisations\nPopulation: people who do not use drugs\n", encoding="utf-8")
    r = runner.invoke(app, ["protocol", str(d), str(f)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Read as 1 inclusion criterion, 1 exclusion criterion." in said
    assert "Inclusion criteria (ranked first): - people who do not use drugs" in said
    assert ("Check: line 4: 'Population: people who do not use drugs' comes after the exclusion criteria (line 2) "
            "and was read as an INCLUSION criterion") in said
    assert "'- people who do not use drugs'" in said


def test_screener_protocol_names_the_methods_sections_it_left_out(make_project, tmp_path):
    """'Data extraction:' and 'Search strategy:' were glued onto the criterion above them without a word; their
    text is left out of the criteria, and 'screener protocol' says which sections and lines it left out."""
    d, _ = make_project()
    f = tmp_path / "protocol.txt"
    f.write_text("Question: How do peers experience working in drug use services?\nInclusion criteria:\n"
                 "- qualitative findings\nSearch strategy:\n- MEDLINE, Embase\nData extraction: two reviewers\n",
                 encoding="utf-8")
    r = runner.invoke(app, ["protocol", str(d), str(f)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Read as 1 inclusion criterion, 0 exclusion criteria." in said
    assert ("Left out, as they say how the review is run or why, not which records to include: 'Search strategy' "
            "(line 4, 1 line), 'Data extraction' (line 6, 1 line).") in said, said


def test_screener_protocol_counts_the_known_relevant_records_it_read(make_project, tmp_path):
    """A protocol naming two known relevant records (a DOI and a title) said 'Read as 3 inclusion criteria,
    3 exclusion criteria, 5 key terms.': not whether the 'Known relevant' section, which decides the first
    records shown, was read at all. It counts them now."""
    d, _ = make_project()
    f = tmp_path / "protocol.md"
    f.write_text("# Peer work in drug use services\n\nHow is peer work experienced in drug use services?\n\n"
                 "## Inclusion criteria\n- qualitative findings\n\n## Key terms\npeer worker, harm reduction\n\n"
                 "## Known relevant\n10.2196/17053\nCharacterizing peer roles in an overdose crisis\n",
                 encoding="utf-8")
    r = runner.invoke(app, ["protocol", str(d), str(f)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Read as 1 inclusion criterion, 0 exclusion criteria, 2 key terms, 2 known relevant records." in said


def test_a_known_relevant_record_put_first_says_why(tmp_path, toy_review):
    """The protocol's known relevant records come first whatever their score: the batch showed one scored -0.94
    above records scored 2.42, under 'higher comes first', its reason only the protocol terms it shares. Its
    reason now says the protocol names it."""
    csv = _unlabelled(toy_review(tmp_path / "toy.csv"))
    proto = tmp_path / "protocol.toml"
    # record 2 is written in the excludes' words: it ranks low on the protocol's terms
    proto.write_text('title = "Peer workers in harm reduction"\nkey_terms = ["peer worker", "harm reduction"]\n'
                     'known_relevant = ["10.5555/toy.2"]\n')
    d = _init_and_import(tmp_path / "review", csv, init=("--protocol", str(proto)))
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "3", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(batch)
    assert df["record_id"].iloc[0] == 2 and df["score"].iloc[0] < df["score"].iloc[1]
    assert df["reason"].iloc[0].startswith("named in the protocol as known relevant, so shown first")
    assert not df["reason"].iloc[1:].str.contains("known relevant").any()


def test_one_known_relevant_record_not_found_is_named_in_the_singular(tmp_path, toy_review):
    """'the protocol names 1 known relevant record that match no record imported'."""
    csv = _unlabelled(toy_review(tmp_path / "toy.csv"))
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\nknown_relevant = ["10.5555/toy.999"]\n')
    d = _init_and_import(tmp_path / "review", csv, init=("--protocol", str(proto)))
    r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"])
    assert "1 known relevant record that matches no record imported" in " ".join(r.output.split()), r.output


def test_known_relevant_records_not_found_are_named_once_until_they_change(tmp_path, toy_review):
    """'next' named the protocol's known relevant records that match no record in every batch: said once for
    the same records, and again when the protocol names others."""
    csv = _unlabelled(toy_review(tmp_path / "toy.csv"))
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\nknown_relevant = ["10.5555/toy.999"]\n')
    d = _init_and_import(tmp_path / "review", csv, init=("--protocol", str(proto)))
    said = []
    for _ in range(2):
        r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"])
        assert r.exit_code == 0, r.output
        said.append("known relevant record" in " ".join(r.output.split()))
    assert said == [True, False], said
    amended = tmp_path / "amended.toml"
    amended.write_text('title = "Peer workers in harm reduction"\n'
                       'known_relevant = ["10.5555/toy.999", "10.5555/toy.998"]\n')
    assert runner.invoke(app, ["protocol", str(d), str(amended)]).exit_code == 0
    r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"])
    assert "2 known relevant records that match no record imported" in " ".join(r.output.split()), r.output


def test_known_relevant_records_not_found_are_named_to_each_reviewer(tmp_path, toy_review):
    """Dual screening: the note naming the protocol's known relevant records that match no record was said once
    for the project, so the first reviewer's 'next' took it and the second reviewer never saw it. Each is told
    once."""
    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\nknown_relevant = ["10.5555/toy.999"]\n')
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d), "--mode", "dual", "--protocol", str(proto)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
    said = []
    for who in ("ana", "ana", "ben", "ben"):
        r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none", "--reviewer", who])
        assert r.exit_code == 0, r.output
        said.append("1 known relevant record that matches no record imported" in " ".join(r.output.split()))
    assert said == [True, False, True, False], said


def test_one_record_assessed_at_full_text_but_not_passed_on_is_it_not_them(tmp_path, make_project):
    """One full-text decision on a record excluded at title and abstract read '1 record ... The PRISMA flow counts
    them among the reports assessed ... give them a title/abstract decision first'."""
    d, _ = make_project()
    ta = tmp_path / "ta.csv"
    pd.DataFrame({"DOI": ["10.5555/toy.2"], "decision": ["exclude"]}).to_csv(ta, index=False)
    assert runner.invoke(app, ["label", str(d), str(ta)]).exit_code == 0
    ft = tmp_path / "ft.csv"
    pd.DataFrame({"DOI": ["10.5555/toy.2"], "decision": ["include"]}).to_csv(ft, index=False)
    r = runner.invoke(app, ["label", str(d), str(ft), "--stage", "full_text"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and ("1 record assessed at full text was not included (or marked maybe) at title and "
                                 "abstract: 2. The PRISMA flow counts it among the reports assessed") in said, said
    assert "them" not in said.split("abstract: 2.")[1], said


def test_export_of_an_empty_set_says_so_and_writes_no_empty_file(tmp_path, make_project):
    """'export --only unscreened' on a finished review said 'Wrote 0 records to rest.csv' and left a
    file of column names only: it says that no records are left unscreened, so nothing was written,
    and an older file of that name is left as it was, said to be no export of now."""
    from screener.project import Project

    d, _ = make_project()
    with Project.open(d) as p:
        for rid in p.records_frame().index:
            p.decide(int(rid), "exclude")
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["export", str(d), "-o", str(rest), "--only", "unscreened"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, said
    assert "No records are left unscreened" in said and "nothing was written" in said and "Wrote" not in said
    assert f"{rest} was not made" in said and not rest.exists()
    rest.write_text("record_id,title\n7,An older export\n")
    r = runner.invoke(app, ["export", str(d), "-o", str(rest), "--only", "unscreened"])
    said = " ".join(r.output.split())
    assert "nothing was written" in said and "was left as it was" in said, said
    assert rest.read_text() == "record_id,title\n7,An older export\n"


def test_an_empty_export_of_the_includes_says_the_maybes_can_be_exported_not_that_they_are_not_in_this_file(
        tmp_path, make_project):
    """'export --only included' with no includes but some maybes wrote no file, then said the maybes
    'are not in this file: export them with --only maybe', of a file that was not made."""
    from screener.project import Project

    d, _ = make_project()
    with Project.open(d) as p:
        for rid in list(p.records_frame().index)[:2]:
            p.decide(int(rid), "maybe")
    out = tmp_path / "included.ris"
    r = runner.invoke(app, ["export", str(d), "-o", str(out), "--only", "included"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and not out.exists(), said
    assert "nothing was written" in said and "this file" not in said, said
    assert "2 records marked maybe at title and abstract go on to full text: export them with --only maybe" in said


def test_label_says_when_the_stopping_rule_is_met(tmp_path, toy_review):
    """A reviewer following 'label's hint ('Next batch: screener next ...') batch after batch was never told that
    the stopping rule had been met: only 'screener status' said it, and the peer-work team screened on past it.
    'label' now says so once its decisions meet it, and not before."""
    import pandas as pd

    from screener.status import recall_status

    csv = toy_review(tmp_path / "toy.csv", n=300, n_include=6)
    truth = dict(zip(pd.read_csv(csv)["record_id"], pd.read_csv(csv)["label_included"]))
    protocol = tmp_path / "protocol.toml"
    protocol.write_text('title = "Peer workers with lived experience in harm reduction services"\n')
    d = tmp_path / "r"
    with Project.init(d, protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
    said = []
    for i in range(1, 6):
        batch = tmp_path / f"batch{i}.csv"
        r = runner.invoke(app, ["next", str(d), "--n", "40", "-o", str(batch), "--embedding-model", "none"])
        assert r.exit_code == 0, r.output
        rows = pd.read_csv(batch)
        rows["decision"] = ["include" if truth[int(x)] else "exclude" for x in rows["record_id"]]
        rows.to_csv(batch, index=False)
        out = " ".join(runner.invoke(app, ["label", str(d), str(batch)]).output.split())
        with Project.open(d) as p:
            stop, confirmed = recall_status(p)["advice"].stop, recall_status(p)["advice"].confirmed
        # on the model's estimate alone, the hypergeometric test not sharing the stop: said with it
        met = (f"The stopping rule is met: 'screener status {d}' says you can stop screening" in out if confirmed
               else "The stopping rule is met on the model's estimate alone: it says you can stop screening (95% "
               "target recall), but the hypergeometric test, which assumes less, does not confirm it yet" in out
               and f"'screener status {d}' says why" in out)
        assert met == stop, (i, out)
        said.append(met)
    assert said[0] is False and True in said, said


def test_dual_next_without_a_name_gives_a_command_that_runs_for_a_folder_with_a_space(tmp_path):
    """'screener next' without --reviewer in dual screening said "run 'screener next /x/peer review --reviewer
    NAME'": pasted, the shell read 'review' as a file. The folder is quoted as the reviewer pastes it."""
    from screener.shell import shell_quote

    d = tmp_path / "peer review"
    assert runner.invoke(app, ["init", str(d), "--mode", "dual"]).exit_code == 0
    for command in ("next", "screen"):
        r = runner.invoke(app, [command, str(d)])
        assert r.exit_code != 0
        said = " ".join(r.output.split())
        assert f"'screener {command} {shell_quote(d)} --reviewer NAME'" in said, said


def test_export_says_which_ranking_each_decision_was_picked_from_and_where(tmp_path, toy_review):
    """The decision log keeps the ranking each record was picked from, and 'status' reads the stop advice against
    it, but no export column showed it: a team checking a pick far down a ranking could not find it. The export now
    gives the ranking's id and the record's place in it (each agreeing reviewer's in dual screening, in the order of
    'decided_by'); a decision no ranking picked leaves them empty, and a reviewer's own blind export has none."""
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv", n=30, n_include=3)
    d = tmp_path / "single"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        s = ScreeningSession(p, embedding_model="none")
        batch = [int(r) for r in s.next_batch(5, explain=False)["record_id"]]
        ranking = s.ranking_id
        order = list(p.store.ranking_order(ranking))
        for rid in batch[:3]:
            s.decide(rid, "exclude")
        other = next(int(r) for r in p.records_frame().index if int(r) not in batch)
        p.decide(other, "include")  # opened from the records list: no ranking picked it
    out = tmp_path / "records.csv"
    assert runner.invoke(app, ["export", str(d), "-o", str(out)]).exit_code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("record_id")
    for rid in batch[:3]:
        assert (df.loc[str(rid), "ranking_id"], df.loc[str(rid), "ranking_position"]) == (
            str(ranking), str(order.index(rid) + 1)), df.loc[str(rid)]
    assert (df.loc[str(other), "ranking_id"], df.loc[str(other), "ranking_position"]) == ("", "")
    assert (df.loc[str(batch[3]), "ranking_id"], df.loc[str(batch[3]), "decision"]) == ("", "")  # not decided

    d2 = tmp_path / "dual"
    with Project.init(d2, settings={"mode": "dual", "embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        picks = {}
        for who in ("ana", "ben"):
            s = ScreeningSession(p, embedding_model="none", reviewer=who)
            rid = int(s.next_batch(1, explain=False)["record_id"].iloc[0])
            picks[who] = (s.ranking_id, list(p.store.ranking_order(s.ranking_id)).index(rid) + 1, rid)
            s.decide(rid, "exclude", reviewer=who)
    assert picks["ana"][2] == picks["ben"][2], picks  # both screened the same record first
    rid = picks["ana"][2]
    assert runner.invoke(app, ["export", str(d2), "-o", str(out), "--team"]).exit_code == 0
    row = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("record_id").loc[str(rid)]
    assert row["decided_by"] == "ana, ben", row
    assert (row["ranking_id"], row["ranking_position"]) == (
        f"{picks['ana'][0]}, {picks['ben'][0]}", f"{picks['ana'][1]}, {picks['ben'][1]}"), row
    assert runner.invoke(app, ["export", str(d2), "-o", str(out), "--reviewer", "ana"]).exit_code == 0
    assert "ranking_id" not in pd.read_csv(out, dtype=str).columns  # blind: her page is not told its rankings
