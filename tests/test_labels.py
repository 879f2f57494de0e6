"""Reading decisions back: tables named by DOI, edited titles, conflicting reviewers, relabelling,
saying which column the decisions came from, and Rayyan exports (CSV or RIS) with undecided records."""

import pandas as pd
import pytest
from cli_steps import exclude_the_rest_unread, first_20_file, first_20_read
from typer.testing import CliRunner

from screener.cli import app
from screener.errors import InputError
from screener.labels import import_labels, read_label_file
from screener.project import Project

runner = CliRunner()


@pytest.fixture
def project(tmp_path, toy_review):
    csv = toy_review(tmp_path / "toy.csv")
    df = pd.read_csv(csv).drop(columns=["label_included"])
    df.to_csv(csv, index=False)
    p = Project.init(tmp_path / "review")
    p.import_files([csv])
    yield p
    p.close()


def test_a_doi_decision_table_is_read(tmp_path, project):
    f = tmp_path / "dois.csv"
    pd.DataFrame({"doi": ["10.5555/toy.1", "https://doi.org/10.5555/TOY.2"],
                  "decision": ["include", "exclude"]}).to_csv(f, index=False)
    res = import_labels(project, f)
    assert res.matched_by == {"doi": 2}
    assert project.current_decisions()["decision"].tolist() == ["include", "exclude"]


def test_a_table_that_names_no_record_gets_a_hint_label_has(tmp_path, project):
    f = tmp_path / "odd.csv"
    pd.DataFrame({"Article": ["x"], "verdict": ["include"]}).to_csv(f, index=False)
    with pytest.raises(InputError) as e:
        import_labels(project, f)
    assert "--column" not in str(e.value) and "doi" in str(e.value)


def test_a_real_id_with_an_edited_title_matches_and_a_wrong_one_is_explained(tmp_path, project):
    f = tmp_path / "batch.csv"
    title = project.records_frame().at[3, "title"]
    pd.DataFrame({"record_id": [3], "title": [title + " (corrected)"], "decision": ["include"]}).to_csv(f, index=False)
    res = import_labels(project, f)
    assert len(res.decisions) == 1 and res.decisions[0].record_id == 3
    g = tmp_path / "wrong.csv"
    pd.DataFrame({"record_id": [4], "title": ["Something else entirely about kidneys"],
                  "decision": ["include"]}).to_csv(g, index=False)
    with pytest.raises(InputError) as e:
        import_labels(project, g)
    assert "record id 4 is in this project, but as" in str(e.value)


def _rayyan(tmp_path, project):
    recs = project.records_frame()
    f = tmp_path / "rayyan.csv"
    pd.DataFrame({"title": recs["title"].iloc[:2].tolist(), "abstract": recs["abstract"].iloc[:2].tolist(),
                  "notes": ['RAYYAN-INCLUSION: {"Ana"=>"Included", "Bob"=>"Excluded"}',
                            'RAYYAN-INCLUSION: {"Ana"=>"Excluded", "Bob"=>"Excluded"}']}).to_csv(f, index=False)
    return f, recs.index[:2].tolist()


def test_conflicting_reviewers_are_kept_reported_and_not_settled_by_file_order(tmp_path, project):
    f, (a, b) = _rayyan(tmp_path, project)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    assert "1 record has conflicting decisions" in r.output and "Ana include" in r.output
    cur = project.current_decisions()["decision"]
    assert cur[a] == "include" and cur[b] == "exclude"
    per = project.reviewer_decisions()
    assert set(per.loc[per["group_record_id"] == a, "reviewer"]) == {"Ana", "Bob"}


def test_relabelling_the_same_file_adds_nothing_and_says_so(tmp_path, project):
    f, _ = _rayyan(tmp_path, project)
    assert runner.invoke(app, ["label", str(project.dir), str(f)]).exit_code == 0
    n = len(project.decision_log())
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    assert len(project.decision_log()) == n
    assert "4 decisions were already in the project" in r.output


def test_label_and_import_say_which_column_the_decisions_came_from(tmp_path, project):
    recs = project.records_frame()
    f = tmp_path / "cohen.csv"
    pd.DataFrame({"title": recs["title"].iloc[:3].tolist(), "abstract": recs["abstract"].iloc[:3].tolist(),
                  "label_abstract_screening": [1, 1, 0], "label_included": [1, 0, 0]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    assert "'label_included'" in r.output
    d = tmp_path / "other"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(f)])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "decisions read from the column 'label_included'" in text and "label_abstract_screening" in text



def test_a_record_id_file_with_an_earlier_stages_column_beside_the_final_one_is_read_as_an_export_is(tmp_path,
                                                                                                    project):
    """A file naming records by record_id, with a Cohen-style set's title/abstract column beside its final one, was
    refused for two decision columns, where the same file read by title and abstract was taken, its final column
    read: the pair is read the same way here; two other decision columns are still refused, named."""
    recs = project.records_frame()
    ids = recs.index[:3].tolist()
    f = tmp_path / "cohen_ids.csv"
    pd.DataFrame({"record_id": ids, "title": recs["title"].iloc[:3].tolist(),
                  "label_abstract_screening": [1, 1, 0], "label_included": [1, 0, 0]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    assert "'label_included'" in r.output
    cur = project.current_decisions()["decision"]
    assert [cur[i] for i in ids] == ["include", "exclude", "exclude"]
    g = tmp_path / "two.csv"
    pd.DataFrame({"record_id": ids, "included": [1, 1, 0], "label_included": [1, 0, 0]}).to_csv(g, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(g)])
    said = " ".join(r.output.split())
    assert r.exit_code != 0 and "two.csv" in said and "'label_included' and 'included'" in said
    assert "delete the other column" in said

@pytest.mark.parametrize("by", ["record_id", "title"])
def test_label_names_the_title_abstract_column_it_passed_over_and_how_to_read_it(tmp_path, project, by):
    """'label' read a Cohen-style set's 'label_included' and passed its 'label_abstract_screening' over without a
    word (the import names it): a record included at title and abstract, excluded at the end, was saved as excluded
    with nothing to tell the reviewer which column was read or how to read the other."""
    recs = project.records_frame()
    f = tmp_path / "cohen.csv"
    key = {"record_id": recs.index[:3].tolist()} if by == "record_id" else {"title": recs["title"].iloc[:3].tolist()}
    pd.DataFrame({**key, "label_abstract_screening": [1, 1, 0], "label_included": [1, 0, 0]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Decisions read from the column 'label_included'." in said, said
    assert "'label_abstract_screening' was not read" in said, said
    assert "delete the column 'label_included'" in said, said
    g = tmp_path / "one.csv"
    pd.DataFrame({**key, "label_included": [1, 0, 0]}).to_csv(g, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(g)])
    assert r.exit_code == 0 and "was not read" not in r.output, r.output


def test_rows_left_out_by_skip_unmatched_are_named_as_the_refusal_names_them(tmp_path, project):
    """Without --skip-unmatched the refusal named a CSV's unmatched rows 'row 3', 'row 4' (as a spreadsheet numbers
    them); with it, the list of rows not imported called the same rows 'line 3', 'line 4'."""
    recs = project.records_frame()
    f = tmp_path / "titles.csv"
    pd.DataFrame({"title": [recs["title"].iloc[0], "A title of another review", "Another title of no record"],
                  "decision": ["include", "exclude", "exclude"]}).to_csv(f, index=False)
    refused = " ".join(runner.invoke(app, ["label", str(project.dir), str(f)]).output.split())
    assert "row 3 ('A title of another review')" in refused, refused
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--skip-unmatched"])
    assert r.exit_code == 0, r.output
    assert "row 3: A title of another review" in r.output and "row 4: Another title of no record" in r.output
    assert "line 3" not in r.output, r.output


def _label(project, tmp_path, name, text, *args):
    f = tmp_path / name
    f.write_text(text)
    r = runner.invoke(app, ["label", str(project.dir), str(f), *args])
    return r, " ".join(r.output.split())


def test_a_decision_that_changes_a_records_current_one_is_reported(tmp_path, project):
    r, _ = _label(project, tmp_path, "inc1.csv", "record_id,decision\n1,include\n", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    r, out = _label(project, tmp_path, "exc1.csv", "record_id,decision\n1,exclude\n2,exclude\n", "--reviewer", "bob")
    assert r.exit_code == 0, r.output
    assert "1 record now has a different decision than before: record 1 (include by ana -> exclude by bob)" in out
    assert "record 2" not in out  # a first decision is not a change


def test_a_batch_labelled_after_a_teammate_included_one_of_its_records_does_not_exclude_it(tmp_path, project):
    """Single screening, two reviewers: Ana and Bob each ran 'next -n 5' before either labelled, so both
    got the same 5 records. Ana included the first; Bob, who never saw her include, excluded it, and his
    batch, labelled later, made the record an exclude ("include by ana -> exclude by bob"): the team's
    include was gone and the stop could come earlier. Two readings that differ count as the more inclusive,
    as within one file and as the web app keeps a decision made since the page was shown: Ana's include
    stands, Bob's exclude is not saved and is named. A file that is no batch still changes it (a decision
    made knowing the include)."""
    batch = {}
    for who in ("ana", "bob"):
        batch[who] = tmp_path / f"{who}.csv"
        r = runner.invoke(app, ["next", str(project.dir), "-n", "5", "-o", str(batch[who]),
                                "--embedding-model", "none"])
        assert r.exit_code == 0, r.output
    ids = pd.read_csv(batch["ana"])["record_id"].tolist()
    assert pd.read_csv(batch["bob"])["record_id"].tolist() == ids
    first = ids[0]
    for who, decisions in (("ana", ["include"] + ["exclude"] * 4), ("bob", ["exclude"] * 5)):
        pd.read_csv(batch[who]).assign(decision=decisions).to_csv(batch[who], index=False)
        r = runner.invoke(app, ["label", str(project.dir), str(batch[who]), "--reviewer", who])
        assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    cur = project.current_decisions()
    assert cur.at[first, "decision"] == "include" and cur.at[first, "reviewer"] == "ana"
    assert set(cur.loc[ids[1:], "decision"]) == {"exclude"}
    assert "Saved 4 decisions" in out, out
    assert f"record {first} (include by ana; bob's exclude was not saved)" in out, out
    assert "different decision than before" not in out, out
    r, out = _label(project, tmp_path, "fix.csv", f"record_id,decision\n{first},exclude\n", "--reviewer", "bob")
    assert r.exit_code == 0, r.output
    assert project.current_decisions().at[first, "decision"] == "exclude"
    assert f"record {first} (include by ana -> exclude by bob)" in out, out


def test_reentering_an_overridden_decision_makes_it_current_again(tmp_path, project):
    inc = "record_id,decision\n1,include\n"
    _label(project, tmp_path, "inc1.csv", inc, "--reviewer", "ana")
    _label(project, tmp_path, "exc1.csv", "record_id,decision\n1,exclude\n", "--reviewer", "bob")
    r, out = _label(project, tmp_path, "inc1.csv", inc, "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert project.current_decisions().at[1, "decision"] == "include"
    assert "record 1 (exclude by bob -> include by ana)" in out and "already in the project" not in out
    n = len(project.decision_log())
    r, out = _label(project, tmp_path, "inc1.csv", inc, "--reviewer", "ana")  # now identical to the current one
    assert r.exit_code == 0, r.output
    assert len(project.decision_log()) == n
    assert "No new decisions saved from inc1.csv" in out and "1 decision was already in the project" in out
    assert "matched by nothing" not in out and "different decision" not in out


def test_relabelling_rayyan_after_another_decision_restores_only_the_files_last_word(tmp_path, project):
    f, (a, _) = _rayyan(tmp_path, project)
    runner.invoke(app, ["label", str(project.dir), str(f)])
    project.decide(a, "exclude", reviewer="carol")
    n = len(project.decision_log())
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    new = project.decision_log().iloc[n:]
    assert list(zip(new["reviewer"], new["decision"])) == [("Ana", "include")]  # Bob's exclude is unchanged
    assert project.current_decisions().at[a, "decision"] == "include"


@pytest.fixture
def dual(tmp_path, toy_review):
    csv = toy_review(tmp_path / "toy.csv", n=6, n_include=2)
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    p = Project.init(tmp_path / "dual", settings={"mode": "dual"})
    p.import_files([csv])
    yield p
    p.close()


def test_dual_screening_refuses_decisions_without_a_reviewer_name(tmp_path, dual):
    r, out = _label(dual, tmp_path, "inc1.csv", "record_id,decision\n1,include\n")
    assert r.exit_code == 1
    assert "--reviewer NAME" in out and "Nothing was saved" in out
    assert dual.decision_log().empty
    r, _ = _label(dual, tmp_path, "inc1.csv", "record_id,decision\n1,include\n", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert set(dual.decision_log()["reviewer"]) == {"ana"}


def test_a_table_with_abstracts_takes_reviewer_names_from_its_reviewer_column_too(tmp_path, dual):
    """A sheet of title, abstract, decision and reviewer (screened in Excel from a copy of the export) was
    refused in dual screening: 'the file does not say' whose decisions these are, beside its reviewer column."""
    recs = dual.records_frame()
    rows = "".join(f'"{recs.at[i, "title"]}","{recs.at[i, "abstract"]}",include,{who}\n'
                   for i, who in ((1, "ana"), (1, "bob"), (2, "ana")))
    r, _ = _label(dual, tmp_path, "sheet.csv", "title,abstract,decision,reviewer\n" + rows)
    assert r.exit_code == 0, r.output
    log = dual.decision_log()
    assert sorted(zip(log["record_id"], log["reviewer"])) == [(1, "ana"), (1, "bob"), (2, "ana")]


def test_dual_screening_takes_reviewer_names_from_the_file(tmp_path, dual):
    r, _ = _label(dual, tmp_path, "both.csv", "record_id,decision,reviewer\n1,include,ana\n1,include,bob\n")
    assert r.exit_code == 0, r.output
    assert dual.current_decisions().at[1, "decision"] == "include"
    r, out = _label(dual, tmp_path, "bob.csv", "record_id,decision\n1,exclude\n", "--reviewer", "bob")
    assert r.exit_code == 0, r.output
    # blind: bob is not told that his exclude now disagrees with an include
    assert "different decision" not in out and "disagree" not in out and "record 1 (" not in out
    assert dual.reviewer_decisions().query("reviewer == 'bob'")["decision"].tolist() == ["exclude"]


def test_dual_screening_a_file_of_both_reviewers_says_what_a_conflict_counts_as_and_whose_next(tmp_path, dual):
    """A file naming both reviewers (a Rayyan export) in dual screening: 'label' said a conflict
    'counts as the most inclusive of them (include, then maybe)', though it counts as not screened
    until settled, and ended 'Now 1 of 6 records screened ... Next batch: screener next DIR -o
    next.csv', the team's agreed count (from one reviewer's own file, how often they agree with the
    other) and a command dual screening refuses without --reviewer."""
    text = "record_id,decision,reviewer\n1,include,ana\n1,exclude,bob\n2,include,ana\n2,include,bob\n3,exclude,ana\n"
    r, out = _label(dual, tmp_path, "both.csv", text)
    assert r.exit_code == 0, r.output
    assert "1 record has conflicting decisions in this file" in out
    assert "counts as screened once the reviewers agree or its conflict is settled" in out
    assert "most inclusive" not in out and 1 not in dual.current_decisions().index
    assert "Now ana: 3 of 6 records screened (2 includes, 0 maybe, 1 exclude), 3 left" in out
    assert f"screener next {dual.dir} --reviewer ana -o next.csv" in out
    assert "Now bob: 2 of 6 records screened" in out and "--reviewer bob" in out
    assert "Now 1 of 6" not in out and f"screener next {dual.dir} -o" not in out
    r, out = _label(dual, tmp_path, "ana.csv", "record_id,decision,reviewer\n4,exclude,ana\n")
    assert "Now ana: 4 of 6 records screened" in out and "bob" not in out  # one reviewer's file: their own


def test_dual_screening_one_reviewers_own_rows_that_disagree_are_no_conflict_to_settle(tmp_path, dual):
    """Ana's file gave record 1 twice, include then exclude (a copy of the row edited, a record listed twice).
    'label' said "Each reviewer's decision is kept; each record counts as screened once the reviewers agree
    or its conflict is settled (the Conflicts page ...)", though only her include stands as her decision and
    the Conflicts page never lists it. It now says her include counts as her decision."""
    r, out = _label(dual, tmp_path, "ana.csv", "record_id,decision\n1,include\n1,exclude\n", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert dual.current_decisions(reviewer="ana")["decision"].to_dict() == {1: "include"}
    assert "conflict is settled" not in out and "Each reviewer's decision is kept" not in out, out
    assert "ana gave 1 record different decisions in this file" in out, out
    assert "The most inclusive (include, then maybe) counts as ana's decision" in out, out
    assert "record 1: ana include (row 2), ana exclude (row 3)" in out, out


def test_dual_screening_one_reviewers_file_naming_them_is_checked_against_their_own_decisions(tmp_path, dual):
    """Blind dual screening: ana's full-text file names her in a reviewer column (no --reviewer).
    'label' checked it against the team's agreed title/abstract decisions and said 'record 1
    assessed at full text was not included (or marked maybe) at title and abstract', telling her
    that bob had not included it; with --reviewer ana it is checked against her own, and so now."""
    for who, text in (("ana", "record_id,decision\n1,include\n2,include\n"),
                      ("bob", "record_id,decision\n1,exclude\n2,include\n")):
        assert _label(dual, tmp_path, f"{who}.csv", text, "--reviewer", who)[0].exit_code == 0
    r, out = _label(dual, tmp_path, "ft.csv", "record_id,decision,reviewer\n1,include,ana\n2,include,ana\n",
                    "--stage", "full_text")
    assert r.exit_code == 0, r.output
    assert "not included (or marked maybe) at title and abstract" not in out
    assert "Full texts assessed by ana: 2 (2 included, 0 excluded)" in out


def test_every_unreadable_decision_is_named_at_once_and_nothing_is_saved(tmp_path, project):
    rows = "".join(f"{i},{'perhaps' if i % 2 else 'include'}\n" for i in range(1, 27))  # 13 bad
    r, out = _label(project, tmp_path, "bad.csv", "record_id,decision\n" + rows)
    assert r.exit_code == 1
    assert "bad.csv" in out and "13 decisions in the column 'decision' are not ones screener can read" in out
    assert "row 2 ('perhaps'), row 4 ('perhaps')" in out and "row 20 ('perhaps')" in out and "and 3 more" in out
    assert "row 22 (" not in out
    assert "--column" not in out and "--decision include" in out and "Nothing was saved" in out
    assert project.decision_log().empty


def test_unreadable_decisions_in_an_export_are_all_named_and_decision_skips_them(tmp_path, project):
    recs = project.records_frame()
    f = tmp_path / "export.csv"
    pd.DataFrame({"title": recs["title"].iloc[:3].tolist(), "abstract": recs["abstract"].iloc[:3].tolist(),
                  "label_included": ["zz", "1", "??x"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "row 2 ('zz'), row 4 ('??x')" in out and "--column" not in out
    assert project.decision_log().empty
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--decision", "include"])
    assert r.exit_code == 0, r.output
    assert (project.current_decisions()["decision"] == "include").sum() == 3
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--decision", "perhaps"])
    assert r.exit_code == 1 and "--decision include" in r.output and "--column" not in r.output


@pytest.mark.parametrize("export", [False, True])
def test_a_decision_column_empty_on_every_row_is_refused(tmp_path, project, export):
    recs = project.records_frame()
    cols = {"title": recs["title"].iloc[:2].tolist(), "abstract": recs["abstract"].iloc[:2].tolist(),
            "label_included": ["", ""]} if export else {"record_id": [1, 2], "decision": ["", ""]}
    f = tmp_path / "b1.csv"
    pd.DataFrame(cols).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1
    col = "'label_included'" if export else "'decision'"
    assert f"the decision column {col} is empty on every row" in out and "Nothing was saved" in out
    assert project.decision_log().empty



def test_a_file_matching_by_title_alone_names_the_rows_left_why_and_what_to_do(tmp_path, project):
    """A file of titles and decisions (another tool's, no record id, DOI or PMID) with titles no record has: the
    message said the rows 'name records that are not in this project', where a title another tool changed is a
    record of it. It names the rows, says they were matched by title alone and what to do, and saves nothing."""
    titles = project.records_frame()["title"].tolist()
    f = tmp_path / "titles.csv"
    pd.DataFrame({"title": [titles[0], "A study of another review", titles[2][:-5] + " (cut)", titles[3]],
                  "decision": ["include", "exclude", "exclude", "exclude"]}).to_csv(f, index=False)
    n = len(project.decision_log())
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "titles.csv" in out
    assert "2 of 4 decisions give a title no record of this project has" in out
    assert "row 3 ('A study of another review')" in out and "row 4 (" in out
    assert "no record id, DOI or PMID" in out and "add a doi or record_id column" in out
    assert "--skip-unmatched" in out and "Nothing was imported" in out
    assert len(project.decision_log()) == n

def test_blank_rows_are_counted_and_a_file_matching_nothing_is_an_error(tmp_path, project):
    r, out = _label(project, tmp_path, "part.csv", "record_id,decision\n1,include\n2,\n3,\n")
    assert r.exit_code == 0, r.output
    assert "Saved 1 decision from part.csv" in out and "2 rows of the file have no decision filled in yet" in out
    n = len(project.decision_log())
    r, out = _label(project, tmp_path, "other.csv", "doi,decision\n10.1/none,include\n", "--skip-unmatched")
    assert r.exit_code == 1 and "not in this project" in out and "--skip-unmatched" not in out
    assert len(project.decision_log()) == n
    r, out = _label(project, tmp_path, "empty.csv", "record_id,decision\n")
    assert r.exit_code == 1 and "holds no records" in out


def test_a_row_left_empty_for_a_record_already_decided_is_not_said_to_leave_it_unscreened(tmp_path, project):
    """A batch file read again with a decision cleared (to take it back): the empty cell changed
    nothing, and the command said "those records stay unscreened" of records still included."""
    r, _ = _label(project, tmp_path, "b1.csv", "record_id,decision\n1,include\n2,exclude\n")
    assert r.exit_code == 0, r.output
    r, out = _label(project, tmp_path, "b1.csv", "record_id,decision\n1,\n2,\n3,\n4,exclude\n")
    assert r.exit_code == 0, r.output
    assert "1 row of the file has no decision filled in yet; that record stays unscreened" in out
    assert ("2 rows of the file have no decision, and their records keep the decision they already had (an empty "
            "cell changes nothing: to change a decision, fill in the new one)") in out
    assert project.current_decisions()["decision"].to_dict() == {1: "include", 2: "exclude", 4: "exclude"}


# Rayyan's export of five records, each (notes, whether the DOI is written): the decisions are in
# a RAYYAN-INCLUSION note, beside or among Rayyan's other notes; the last two are undecided.
_RAYYAN_NOTES = [
    (['RAYYAN-INCLUSION: {"Ana"=>"Included", "Bob"=>"Excluded"} | RAYYAN-LABELS: qualitative'], True),
    (["Export Date: 1 May 2024", 'RAYYAN-INCLUSION: {"Ana"=>"Excluded", "Bob"=>"Excluded"}',
      "RAYYAN-EXCLUSION-REASONS: wrong population"], False),  # matched by title
    (['RAYYAN-INCLUSION: {"Ana"=>"Maybe"}'], True),
    (["RAYYAN-LABELS: to discuss"], True),
    ([], True),
]


def _rayyan_export(tmp_path, project, notes=_RAYYAN_NOTES):
    """The same Rayyan export as RIS (one N1 line per note, as Rayyan and reference managers
    write them) and as CSV (the notes joined in one 'notes' cell)."""
    recs = project.records_frame().iloc[:len(notes)]
    ris, rows = [], []
    for (rid, rec), (record_notes, with_doi) in zip(recs.iterrows(), notes):
        ris += ["TY  - JOUR", f"AN  - rayyan-{rid}", f"TI  - {rec['title']}", f"PY  - {int(rec['year'])}"]
        ris += [f"DO  - {rec['doi']}"] if with_doi else []
        ris += [f"N1  - {n}" for n in record_notes] + ["ER  - ", ""]
        rows.append({"key": f"rayyan-{rid}", "title": rec["title"], "year": int(rec["year"]),
                     "doi": rec["doi"] if with_doi else "", "notes": " | ".join(record_notes)})
    (tmp_path / "articles.ris").write_text("\n".join(ris), encoding="utf-8")
    pd.DataFrame(rows).to_csv(tmp_path / "articles.csv", index=False)
    return tmp_path / "articles.ris", tmp_path / "articles.csv", recs.index.tolist()


def test_a_rayyan_ris_export_gives_the_same_decisions_as_its_csv(tmp_path, project):
    """Rayyan's RIS holds the decisions in N1 notes, which the RIS reader gives as a list."""
    ris, csv, _ = _rayyan_export(tmp_path, project)
    said = lambda rows: [(r.title, r.reviewer, r.decision) for r in rows]  # noqa: E731
    from_ris, column, blank = read_label_file(ris)
    from_csv, csv_column, csv_blank = read_label_file(csv)
    assert said(from_ris) == said(from_csv) and len(from_ris) == 5
    assert [(r.reviewer, r.decision) for r in from_ris] == [
        ("Ana", "include"), ("Bob", "exclude"), ("Ana", "exclude"), ("Bob", "exclude"), ("Ana", "maybe")]
    assert (column, len(blank)) == (csv_column, len(csv_blank)) == ("Rayyan's RAYYAN-INCLUSION notes", 2)


def test_a_rayyan_ris_export_is_labelled_per_reviewer_and_undecided_records_are_counted(tmp_path, project):
    ris, _, (a, b, c, d, e) = _rayyan_export(tmp_path, project)
    r, out = _label(project, tmp_path, "articles.ris", ris.read_text())
    assert r.exit_code == 0, r.output
    assert "Saved 5 decisions from articles.ris (matched by doi: 3, title: 2)" in out
    assert "Decisions read from Rayyan's RAYYAN-INCLUSION notes" in out
    assert "1 record has conflicting decisions" in out and f"record {a}: Ana include" in out
    assert "2 records of the file have no decision in Rayyan yet" in out and "stay unscreened" in out
    cur = project.current_decisions()["decision"]
    assert cur.to_dict() == {a: "include", b: "exclude", c: "maybe"}  # d and e: not screened
    log = project.decision_log()
    assert sorted(zip(log["record_id"], log["reviewer"], log["decision"])) == [
        (a, "Ana", "include"), (a, "Bob", "exclude"), (b, "Ana", "exclude"), (b, "Bob", "exclude"),
        (c, "Ana", "maybe")]


def test_a_rayyan_export_with_nothing_decided_yet_says_so(tmp_path, project):
    ris, csv, _ = _rayyan_export(tmp_path, project, notes=[(["RAYYAN-LABELS: to discuss"], True), ([], False)])
    for f in (ris, csv):
        r = runner.invoke(app, ["label", str(project.dir), str(f)])
        out = " ".join(r.output.split())
        assert r.exit_code == 1
        assert "no record in this Rayyan export has a decision yet" in out and "Nothing was saved" in out
        assert "decision column" not in out
    assert project.decision_log().empty


def test_an_unreadable_rayyan_decision_note_is_named_not_taken_for_undecided(tmp_path, project):
    notes = [(['RAYYAN-INCLUSION: {"Ana"=>"Included"}'], True), (['RAYYAN-INCLUSION: "Ana"=>"Included"'], True)]
    ris, _, _ = _rayyan_export(tmp_path, project, notes=notes)
    r = runner.invoke(app, ["label", str(project.dir), str(ris)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "line 9 (Rayyan decision)" in out and "export it from Rayyan again" in out
    assert "Nothing was saved" in out
    assert project.decision_log().empty


def test_full_text_decisions_are_counted_and_exported(tmp_path, project):
    """'label --stage full_text' saved the decisions and then said only the title-abstract
    counts; the export left them out."""
    _label(project, tmp_path, "ta.csv", "record_id,decision\n1,include\n2,include\n3,include\n")
    r, out = _label(project, tmp_path, "ft.csv", "record_id,decision,note\n1,include,meets criteria\n2,exclude,"
                    "not qualitative\n3,maybe,\n", "--stage", "full_text")
    assert r.exit_code == 0, r.output
    assert "Full texts assessed: 3 (1 included, 1 excluded, 1 maybe)." in out
    r = runner.invoke(app, ["export", str(project.dir), "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(tmp_path / "out.csv", keep_default_na=False).set_index("record_id")
    assert df.loc[[1, 2, 3], "full_text_decision"].tolist() == ["include", "exclude", "maybe"]
    assert df.loc[2, "full_text_note"] == "not qualitative" and df.loc[4, "full_text_decision"] == ""
    assert df.loc[[1, 2, 3], "decision"].tolist() == ["include"] * 3


def test_cli_counts_a_single_unmatched_row_in_the_singular(tmp_path, project):
    recs = project.records_frame()
    f = tmp_path / "one_unknown.csv"
    pd.DataFrame({"title": [recs["title"].iloc[0], "A study this project does not hold at all"],
                  "decision": ["include", "exclude"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--skip-unmatched"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "1 row did not match a record and was not imported" in out, out
    assert "row 3: A study this project does not hold at all" in out


def test_a_skipped_row_without_a_title_is_described_not_shown_as_none(tmp_path, project):
    """A Rayyan row whose record has no title, skipped with --skip-unmatched, was listed as
    'line 3: None'; a row skipped for a DOI two studies share did not say so."""
    recs = project.records_frame()
    f = tmp_path / "rows.csv"
    pd.DataFrame({"record_id": ["", 4, 5], "title": ["", "Something else entirely about kidneys", recs.at[5, "title"]],
                  "abstract": ["A record whose title was lost.", "", ""],
                  "decision": ["include", "exclude", "exclude"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--skip-unmatched"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "None" not in out, out
    assert "row 2: no id, DOI, PMID or title" in out and "record id 4 is in this project, but as" in out, out


def test_a_reason_for_every_record_of_a_list_and_reasons_read_again(tmp_path, project):
    """A list of the full texts excluded for one reason (--reason), and a file read again once its
    reasons are filled in: the reasons are the ones counted, and nothing else is entered twice."""
    _label(project, tmp_path, "ta.csv", "record_id,decision\n1,include\n2,include\n3,include\n")
    r, out = _label(project, tmp_path, "pop.csv", "record_id\n1\n2\n", "--stage", "full_text", "--decision",
                    "exclude", "--reason", "wrong population")
    assert r.exit_code == 0, r.output
    assert "Reasons for the exclusions (the PRISMA flow lists them): wrong population 2." in out
    _label(project, tmp_path, "ft.csv", "record_id,decision\n3,exclude\n", "--stage", "full_text")
    assert project.exclusion_reasons() == {"wrong population": 2, "no reason given": 1}
    r, out = _label(project, tmp_path, "ft.csv", "record_id,decision,Exclusion reason\n3,exclude,wrong setting\n",
                    "--stage", "full_text")
    assert r.exit_code == 0 and "Saved 1 decision" in out
    assert project.exclusion_reasons() == {"wrong population": 2, "wrong setting": 1}
    r, out = _label(project, tmp_path, "ft.csv", "record_id,decision\n3,exclude\n", "--stage", "full_text")
    assert "No new decisions saved" in out  # the same decision without a reason: the reason stands
    assert project.exclusion_reasons() == {"wrong population": 2, "wrong setting": 1}


def test_dual_screening_counts_the_reason_of_the_decision_in_force(tmp_path, toy_review):
    """Two reviewers agreeing on an exclusion may give different reasons: both are the study's,
    once; a resolver's reason is the team's."""
    from screener.store import Decision

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
        ft = [(1, "ana", "exclude", "wrong population"), (1, "bo", "exclude", "wrong population"),
              (2, "ana", "exclude", "wrong population"), (2, "bo", "exclude", "not qualitative"),
              (3, "ana", "exclude", None), (3, "bo", "include", None), (4, "ana", "exclude", "wrong setting")]
        p.decide_many([Decision(record_id=rid, decision=d, reviewer=who, stage="full_text", reason=why)
                       for rid, who, d, why in ft])
        assert p.exclusion_reasons() == {"wrong population": 1, "not qualitative; wrong population": 1}
        p.decide(3, "exclude", reviewer="cy", role="resolver", stage="full_text", reason="not qualitative")
        assert p.exclusion_reasons() == {"not qualitative": 1, "wrong population": 1,
                                         "not qualitative; wrong population": 1}
        assert p.exclusion_reasons(reviewer="ana") == {"wrong population": 2, "wrong setting": 1,
                                                       "no reason given": 1}
        assert p.prisma_counts()["full_text_excluded"] == 3


def test_a_filled_batch_file_stores_no_ranking_explanation_as_a_reason(tmp_path, toy_review):
    """A batch file's 'reason' column is screener's word on why a record ranks high, not the
    reviewer's reason for an exclusion: read back, it must not become one."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    d = tmp_path / "review"
    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv), "--column", "label="]).exit_code == 0
    batch = tmp_path / "batch.csv"
    assert runner.invoke(app, ["next", str(d), "--n", "10", "-o", str(batch), "--embedding-model", "none"]).exit_code == 0
    df = pd.read_csv(batch)
    assert df["reason"].notna().all()  # the explanations are there
    df["decision"] = "exclude"
    df.to_csv(batch, index=False)
    assert runner.invoke(app, ["label", str(d), str(batch)]).exit_code == 0
    with Project.open(d) as p:
        log = p.decision_log()
        assert log["reason"].isna().all() if "reason" in log.columns else True
        assert "decision_reason" not in p.export_frame().columns


def test_reasons_are_kept_with_exclusions_only_and_read_back_by_stage(tmp_path, toy_review):
    """--reason on a file of includes and excludes gave the includes the reason too (a final
    include exported as excluded for 'wrong population'); an export read back put its full-text
    reasons on the title/abstract decisions, and the formula guard's quote stayed on them."""
    from screener.store import Decision

    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,include\n3,include\n4,exclude\n")
    (tmp_path / "ft.csv").write_text("record_id,decision\n1,include\n2,exclude\n3,exclude\n")
    with Project.init(tmp_path / "one") as p:
        p.import_files([csv], column_map={"label": None})
        import_labels(p, tmp_path / "ta.csv", reviewer="ana")
        import_labels(p, tmp_path / "ft.csv", reviewer="ana", stage="full_text", reason="wrong population")
        assert p.exclusion_reasons() == {"wrong population": 2}
        final = p.export_frame(only="final")
        assert final["full_text_reason"].tolist() == [""]
        p.decide_many([Decision(record_id=3, decision="exclude", reviewer="ana", stage="full_text",
                                reason="=wrong setting")])
        p.decide_many([Decision(record_id=4, decision="exclude", reviewer="ana", stage="title_abstract",
                                reason="not about peer work")])
        p.export(tmp_path / "all.csv")
    with Project.init(tmp_path / "two") as q:
        q.import_files([csv], column_map={"label": None})
        import_labels(q, tmp_path / "all.csv", reviewer="ana")
        ta = q.export_frame()
        assert ta.loc[4, "decision_reason"] == "not about peer work"
        assert set(ta.loc[[1, 2, 3], "decision_reason"]) == {""}  # no full-text reason on them
        (tmp_path / "ft2.csv").write_text(pd.read_csv(tmp_path / "all.csv", dtype=str, keep_default_na=False)
                                          .assign(decision=lambda d: d["full_text_decision"])
                                          .query("decision != ''").to_csv(index=False))
        import_labels(q, tmp_path / "ft2.csv", reviewer="ana", stage="full_text")
        assert q.exclusion_reasons() == {"=wrong setting": 1, "wrong population": 1}


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_an_export_read_back_at_full_text_gives_its_full_text_decisions(tmp_path, toy_review, fmt):
    """Read back with --stage full_text, screener's own export gave its title/abstract decisions:
    full-text excludes became final includes, and their reasons 'no reason given'."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,include\n3,include\n4,include\n5,exclude\n")
    (tmp_path / "ft.csv").write_text("record_id,decision,reason\n1,include,\n2,include,\n3,exclude,wrong setting\n"
                                     "4,exclude,not qualitative\n")
    with Project.init(tmp_path / "one") as p:
        p.import_files([csv], column_map={"label": None})
        import_labels(p, tmp_path / "ta.csv", reviewer="ana")
        import_labels(p, tmp_path / "ft.csv", reviewer="ana", stage="full_text")
        p.export(tmp_path / f"all.{fmt}")
    with Project.init(tmp_path / "two") as q:
        q.import_files([csv], column_map={"label": None})
        import_labels(q, tmp_path / f"all.{fmt}", reviewer="ana")
        out = import_labels(q, tmp_path / f"all.{fmt}", reviewer="ana", stage="full_text")
        ft = q.current_decisions(stage="full_text")["decision"].to_dict()
        assert ft == {1: "include", 2: "include", 3: "exclude", 4: "exclude"}, ft
        assert q.exclusion_reasons() == {"not qualitative": 1, "wrong setting": 1}
        assert len(q.export_frame(only="final")) == 2
        assert out.column in ("'full_text_decision'", "full_text_decision", "screener's full-text decision notes")


def test_an_export_with_no_full_text_decisions_is_refused_at_full_text(tmp_path, toy_review):
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,exclude\n")
    with Project.init(tmp_path / "one") as p:
        p.import_files([csv], column_map={"label": None})
        import_labels(p, tmp_path / "ta.csv", reviewer="ana")
        p.export(tmp_path / "all.csv")
        with pytest.raises(InputError, match="its decisions are the title/abstract ones"):
            import_labels(p, tmp_path / "all.csv", reviewer="ana", stage="full_text")
        assert p.current_decisions(stage="full_text").empty


def test_dual_reasons_spelled_in_another_case_are_one_reason(tmp_path, toy_review):
    """'Wrong population' and 'wrong population' from the two reviewers became a reason of their
    own, 'Wrong population; wrong population'."""
    from screener.store import Decision

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
        ft = [(1, "ana", "Wrong population"), (1, "bo", "wrong  population"), (2, "ana", "wrong population"),
              (2, "bo", "wrong population")]
        p.decide_many([Decision(record_id=rid, decision="exclude", reviewer=who, stage="full_text", reason=why)
                       for rid, who, why in ft])
        assert p.exclusion_reasons() == {"Wrong population": 2}
        assert p.export_frame().loc[1, "full_text_reason"] == "Wrong population"


def test_dual_two_reasons_make_one_prisma_line_whichever_reviewer_gave_theirs_first(tmp_path, toy_review):
    """Two full texts both excluded by the two reviewers, one for 'Wrong population', the other for
    'Wrong outcome': PRISMA listed 'Wrong population; Wrong outcome (n = 1)' and 'Wrong outcome;
    Wrong population (n = 1)', two lines for one pair of reasons, by who had decided first."""
    from screener.store import Decision

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
        ft = [(1, "ana", "Wrong population"), (1, "bo", "Wrong outcome"), (2, "bo", "wrong outcome"),
              (2, "ana", "Wrong population"), (3, "ana", "Wrong outcome"), (3, "bo", "Wrong outcome")]
        p.decide_many([Decision(record_id=rid, decision="exclude", reviewer=who, stage="full_text", reason=why)
                       for rid, who, why in ft])
        assert p.exclusion_reasons() == {"Wrong outcome; Wrong population": 2, "Wrong outcome": 1}
        reasons = p.export_frame()["full_text_reason"]
        assert reasons.loc[1] == reasons.loc[2].replace("wrong", "Wrong") == "Wrong outcome; Wrong population"


def test_one_reviewers_two_reasons_make_one_prisma_line_whatever_order_they_were_typed_in(tmp_path, toy_review):
    """Single screening: full texts excluded for two reasons, typed 'Wrong population; wrong design'
    on one and 'wrong design; wrong population' on the other, and one reason typed with a stray ';'
    after it. PRISMA listed four lines of one exclusion each where there are two pairs of reasons;
    the two reviewers' reasons of dual screening already made one line whoever gave theirs first."""
    from screener.store import Decision

    with Project.init(tmp_path / "r") as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
        p.decide_many([Decision(record_id=i, decision="include") for i in range(1, 6)])
        ft = [(1, "Wrong population; wrong design"), (2, "wrong design; wrong population"),
              (3, "wrong population;"), (4, "Wrong population"), (5, " ; ")]
        p.decide_many([Decision(record_id=rid, decision="exclude", stage="full_text", reason=why) for rid, why in ft])
        reasons = p.exclusion_reasons()
        assert reasons == {"wrong design; Wrong population": 2, "wrong population": 2, "no reason given": 1}
        assert sum(reasons.values()) == p.prisma_counts()["full_text_excluded"] == 5


def test_dual_a_reviewers_two_reasons_and_the_others_one_name_each_reason_once(tmp_path, toy_review):
    """ana excluded a full text for 'wrong design; wrong population', bo for 'Wrong population': the
    export's full-text reason read 'wrong design; wrong population; Wrong population'."""
    from screener.store import Decision

    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
        ft = [(1, "ana", "wrong design; wrong population"), (1, "bo", "Wrong population")]
        p.decide_many([Decision(record_id=rid, decision="exclude", reviewer=who, stage="full_text", reason=why)
                       for rid, who, why in ft])
        assert p.export_frame().loc[1, "full_text_reason"] == "wrong design; wrong population"
        assert p.exclusion_reasons() == {"wrong design; wrong population": 1}


def test_a_teammate_entering_the_same_exclusion_again_keeps_its_reason(tmp_path, toy_review):
    """Single screening: ana read the full texts in a list with a reason per exclusion; bo then
    read back the team's final list (the same decisions, no reason column). PRISMA went from
    'Wrong population 2, Wrong outcome 1' to 'no reason given 3', and the export's reasons were
    blank: the exclusions stood as they were, and so do their reasons now."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    pd.DataFrame({"record_id": [1, 2, 3, 4], "decision": ["include"] * 4}).to_csv(tmp_path / "ta.csv", index=False)
    pd.DataFrame({"record_id": [1, 2, 3, 4], "decision": ["exclude", "exclude", "exclude", "include"],
                  "reason": ["Wrong population", "wrong population", "Wrong outcome", ""]}).to_csv(
        tmp_path / "ft_ana.csv", index=False)
    pd.DataFrame({"record_id": [1, 2, 3, 4], "decision": ["exclude", "exclude", "exclude", "include"]}).to_csv(
        tmp_path / "ft_final.csv", index=False)
    with Project.init(tmp_path / "p") as p:
        p.import_files([csv], column_map={"label": None})
        import_labels(p, tmp_path / "ta.csv", reviewer="ana")
        import_labels(p, tmp_path / "ft_ana.csv", reviewer="ana", stage="full_text")
        assert p.exclusion_reasons() == {"Wrong population": 2, "Wrong outcome": 1}
        import_labels(p, tmp_path / "ft_final.csv", reviewer="bo", stage="full_text")
        assert p.exclusion_reasons() == {"Wrong population": 2, "Wrong outcome": 1}
        assert p.export_frame().loc[3, "full_text_reason"] == "Wrong outcome"
        # a changed decision is a new one: an exclusion after an include has no reason unless given
        p.decide(3, "include", reviewer="bo", stage="full_text")
        p.decide(3, "exclude", reviewer="bo", stage="full_text")
        assert p.exclusion_reasons() == {"Wrong population": 2, "no reason given": 1}


def test_a_semicolon_decisions_file_keeps_its_notes_reviewers_and_reasons(tmp_path, toy_review):
    """Excel in much of Europe writes ';': such a file lost its notes and took 'reviewer' for the
    reviewer's name, and one without a title column was refused for naming no record."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    (tmp_path / "ta.csv").write_text("record_id;decision\n1;include\n2;include\n")
    (tmp_path / "ft.csv").write_text("\ufeffrecord_id;decision;reason;note;reviewer\n1;include;;looks good;bob\n"
                                     "2;exclude;wrong setting;checked twice;bob\n")
    with Project.init(tmp_path / "p") as p:
        p.import_files([csv], column_map={"label": None})
        import_labels(p, tmp_path / "ta.csv", reviewer="ana")
        import_labels(p, tmp_path / "ft.csv", stage="full_text")
        log = p.decision_log()
        ft = log[log["stage"] == "full_text"].set_index("record_id")
        assert ft.loc[1, "reviewer"] == "bob" and ft.loc[2, "note"] == "checked twice"
        assert p.exclusion_reasons() == {"wrong setting": 1}


def test_a_decision_matched_by_title_lands_on_the_studys_own_record_and_a_split_says_so(tmp_path, shared_dir):
    """A list naming a study by title matched the first copy by id (a CENTRAL record never
    screened), not the study's own record; splitting that copy off took the final include with it
    without a word."""
    from screener.cli import app

    fx = shared_dir / "fixtures" / "msm_syndemic_search"
    with Project.init(tmp_path / "r") as p:
        p.import_files([fx / "cochrane.ris", fx / "medline.ris"])
        recs = p.records_frame(primary_only=False)
        groups = recs[~recs["is_primary"]].groupby("group_id")
        copy = next(int(i) for _, g in groups for i in g.index if int(i) < int(recs.index[
            (recs["group_id"] == g["group_id"].iloc[0]) & recs["is_primary"]][0]))
        own = int(recs.index[(recs["group_id"] == recs.at[copy, "group_id"]) & recs["is_primary"]][0])
        (tmp_path / "ft.csv").write_text(pd.DataFrame({"title": [recs.at[own, "title"]],
                                                       "decision": ["include"]}).to_csv(index=False))
        import_labels(p, tmp_path / "ft.csv", reviewer="ana", stage="full_text")
        assert p.decision_log()["record_id"].tolist() == [own]
        (tmp_path / "ta.csv").write_text(f"record_id,decision\n{copy},exclude\n")
        import_labels(p, tmp_path / "ta.csv", reviewer="ana")
    r = runner.invoke(app, ["dedup", str(tmp_path / "r"), "--split", str(copy)])
    assert r.exit_code == 0, r.output
    assert f"Record {copy} keeps the decisions made on it (title/abstract: exclude)" in " ".join(r.output.split())


def test_excluding_at_title_abstract_a_record_assessed_at_full_text_is_named(tmp_path, toy_review):
    """The PRISMA boxes no longer add up (5 passed on, 6 assessed); nothing said so."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    d = tmp_path / "r"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv), "--column", "label="]).exit_code == 0
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,include\n")
    (tmp_path / "ft.csv").write_text("record_id,decision\n1,include\n2,exclude\n")
    (tmp_path / "back.csv").write_text("record_id,decision\n1,exclude\n3,exclude\n")
    assert runner.invoke(app, ["label", str(d), str(tmp_path / "ta.csv")]).exit_code == 0
    assert runner.invoke(app, ["label", str(d), str(tmp_path / "ft.csv"), "--stage", "full_text"]).exit_code == 0
    r = runner.invoke(app, ["label", str(d), str(tmp_path / "back.csv")])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "1 record now excluded at title and abstract has a full-text decision: 1." in out, out


def test_a_file_that_includes_and_excludes_a_record_assessed_at_full_text_does_not_call_it_excluded(tmp_path,
                                                                                                    toy_review):
    """A reviewer's file gave record 1 both 'include' and 'exclude' (a slip): label said 'now excluded at title
    and abstract has a full-text decision' and, lines below, that the record counts as its include, as status
    then showed; only a study whose title/abstract exclusion stands is named."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    d = tmp_path / "r"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv), "--column", "label="]).exit_code == 0
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n")
    (tmp_path / "ft.csv").write_text("record_id,decision\n1,include\n")
    (tmp_path / "slip.csv").write_text("record_id,decision\n1,include\n1,exclude\n")
    assert runner.invoke(app, ["label", str(d), str(tmp_path / "ta.csv")]).exit_code == 0
    assert runner.invoke(app, ["label", str(d), str(tmp_path / "ft.csv"), "--stage", "full_text"]).exit_code == 0
    r = runner.invoke(app, ["label", str(d), str(tmp_path / "slip.csv")])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    with Project.open(d) as p:
        assert p.current_decisions()["decision"].to_dict() == {1: "include"}
    assert "now excluded at title and abstract" not in out, out
    assert "record 1: reviewer include (row 2), reviewer exclude (row 3)" in out, out


def test_a_file_that_includes_and_excludes_a_new_record_does_not_say_a_decision_changed(tmp_path, toy_review):
    """A reviewer's batch gave record 3 (never screened) 'include' and, two rows down, 'exclude' (a slip):
    label said 'Saved 2 decisions: 1 new, 1 changed', though no record had a decision before and the
    include counts; the row the file's include outweighs is now said to be that, not a change."""
    csv = toy_review(tmp_path / "toy.csv", n=20, n_include=4)
    d = tmp_path / "r"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv), "--column", "label="]).exit_code == 0
    (tmp_path / "slip.csv").write_text("record_id,decision\n3,include\n4,exclude\n3,exclude\n")
    r = runner.invoke(app, ["label", str(d), str(tmp_path / "slip.csv")])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Saved 3 decisions from slip.csv (matched by id: 3): 2 new, 1 outweighed by the file's include of " \
           "the same record (below)." in out, out
    with Project.open(d) as p:
        assert p.current_decisions()["decision"].to_dict() == {3: "include", 4: "exclude"}
    # the same slip on a record included before: nothing about it changed either
    (tmp_path / "again.csv").write_text("record_id,decision\n3,exclude\n3,include\n")
    out = " ".join(runner.invoke(app, ["label", str(d), str(tmp_path / "again.csv")]).output.split())
    assert "1 changed" not in out and "different decision" not in out and "repeated" not in out, out
    assert "1 outweighed by the file's include of the same record (below), 1 the same as the record held before, " \
           "so unchanged." in out, out


def test_rayyans_exclusion_reasons_are_kept_with_its_exclusions(tmp_path, project):
    """Rayyan writes a record's reasons in a RAYYAN-EXCLUSION-REASONS note: they were left out."""
    ris, csv, (a, b, *_) = _rayyan_export(tmp_path, project)
    for path in (ris, csv):
        rows = {(r.title, r.reviewer): r for r in read_label_file(path)[0]}
        second = [r for (t, who), r in rows.items() if who == "Ana" and r.decision == "exclude"]
        assert [r.reason for r in second] == ["wrong population"]
    import_labels(project, ris, stage="full_text")
    assert project.exclusion_reasons(reviewer="Ana") == {"wrong population": 1}


def test_rayyans_two_reasons_make_one_prisma_line_whatever_their_order(tmp_path, project):
    """Rayyan joins a record's reasons with commas: two full texts excluded for the same two reasons,
    'wrong design,wrong population' and 'wrong population, wrong design', made two PRISMA lines."""
    head = 'RAYYAN-INCLUSION: {"Ana"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: '
    notes = [([head + "wrong design,wrong population"], True),
             ([head + "wrong population, wrong design"], True)]
    ris, _, (a, b) = _rayyan_export(tmp_path, project, notes=notes)
    import_labels(project, ris, stage="full_text")
    assert project.exclusion_reasons(reviewer="Ana") == {"wrong design; wrong population": 2}


def test_rayyans_notes_of_each_reviewer_are_kept_with_their_decisions(tmp_path, project):
    """Rayyan writes what each reviewer noted on a record as USER-NOTES: {"Bob"=>["...", "..."]}:
    'label' read the decisions beside it and dropped the notes, the reviewers' reasoning lost on the
    move to screener. Each reviewer's notes are now the note of their own decision, in the CSV and
    the RIS export alike; reading the file again adds nothing."""
    notes = [(['RAYYAN-INCLUSION: {"Ana"=>"Included", "Bob"=>"Excluded"} | RAYYAN-LABELS: peer work | '
               'RAYYAN-EXCLUSION-REASONS: wrong population | USER-NOTES: {"Bob"=>["check the definition of '
               'peer, \\"lived\\" experience", "ask Ana"]}'], True),
             (['RAYYAN-INCLUSION: {"Ana"=>"Maybe"}', 'USER-NOTES: {"Ana"=>["full text needed"], "Bob"=>["n/a"]}'],
              False),
             (['RAYYAN-INCLUSION: {"Ana"=>"Excluded"}'], True)]
    ris, csv, (a, b, c) = _rayyan_export(tmp_path, project, notes=notes)
    want = {("Ana", "include"): None, ("Bob", "exclude"): 'check the definition of peer, "lived" experience; ask Ana',
            ("Ana", "maybe"): "full text needed", ("Ana", "exclude"): None}
    for path in (ris, csv):
        assert {(r.reviewer, r.decision): r.note for r in read_label_file(path)[0]} == want
    res = import_labels(project, csv)
    log = project.decision_log().set_index(["record_id", "reviewer"])
    assert log.at[(a, "Bob"), "note"] == want[("Bob", "exclude")] and log.at[(a, "Bob"), "reason"] == "wrong population"
    assert log.at[(b, "Ana"), "note"] == "full text needed" and pd.isna(log.at[(c, "Ana"), "note"])
    assert len(res.decisions) == 4 and import_labels(project, ris).already == 4


@pytest.fixture
def shared_keys(tmp_path):
    """Different studies sharing a DOI (two abstracts of one congress supplement) or a title."""
    f = tmp_path / "shared.csv"
    pd.DataFrame({
        "title": ["Peer workers in needle exchange: a qualitative study", "Methadone dosing and retention in treatment",
                  "Editorial", "Editorial", "Supervised injection sites and overdose"],
        "abstract": ["interviews with peer workers", "a cohort", "on drug policy", "on harm reduction", "a trial"],
        "doi": ["10.1111/add.99999", "10.1111/add.99999", "", "", "10.1016/j.drugpo.2020.1"],
        "year": [2019, 2019, 2019, 2018, 2020],
        "authors": ["Smith J", "Jones K", "Brown A", "Green B", "Lee C"]}).to_csv(f, index=False)
    p = Project.init(tmp_path / "shared_review")
    p.import_files([f])
    yield p
    p.close()


def test_a_doi_that_two_studies_share_goes_to_the_one_the_title_names(tmp_path, shared_keys):
    f = tmp_path / "lab.csv"
    pd.DataFrame({"title": ["Methadone dosing and retention in treatment"], "doi": ["10.1111/add.99999"],
                  "decision": ["include"]}).to_csv(f, index=False)
    import_labels(shared_keys, f)
    dec = shared_keys.current_decisions()["decision"]
    titles = shared_keys.records_frame()["title"]
    assert dec.to_dict() == {int(titles[titles.str.startswith("Methadone")].index[0]): "include"}


def test_a_shared_doi_or_title_that_nothing_settles_is_refused_with_the_records_named(tmp_path, shared_keys):
    f = tmp_path / "lab.csv"
    pd.DataFrame({"doi": ["10.1111/add.99999"], "decision": ["include"]}).to_csv(f, index=False)
    with pytest.raises(InputError) as e:
        import_labels(shared_keys, f)
    assert "fits 2 different studies" in str(e.value) and "records 1, 2" in str(e.value)
    assert "not in this project" not in str(e.value)
    g = tmp_path / "one_editorial.csv"
    pd.DataFrame({"title": ["Editorial"], "decision": ["exclude"]}).to_csv(g, index=False)
    with pytest.raises(InputError) as e:
        import_labels(shared_keys, g)
    assert "its title fits 2 different studies" in str(e.value) and "records 3, 4" in str(e.value)
    # one study listed twice by a DOI two studies share is not one row for each of them
    h = tmp_path / "twice.csv"
    pd.DataFrame({"doi": ["10.1111/add.99999"] * 2, "decision": ["include"] * 2}).to_csv(h, index=False)
    with pytest.raises(InputError):
        import_labels(shared_keys, h)
    assert shared_keys.current_decisions().empty


def test_same_titled_studies_each_get_their_own_row_of_an_export_of_every_record(tmp_path, shared_keys):
    f = tmp_path / "all.csv"
    pd.DataFrame({"title": ["Editorial", "Editorial", "Supervised injection sites and overdose"],
                  "decision": ["exclude", "exclude", "include"]}).to_csv(f, index=False)
    import_labels(shared_keys, f)
    assert shared_keys.current_decisions()["decision"].to_dict() == {3: "exclude", 4: "exclude", 5: "include"}
    # a year tells two same-titled studies apart
    g = tmp_path / "year.csv"
    pd.DataFrame({"title": ["Editorial"], "year": [2018], "decision": ["include"]}).to_csv(g, index=False)
    import_labels(shared_keys, g)
    assert shared_keys.current_decisions()["decision"].to_dict() == {3: "exclude", 4: "include", 5: "include"}


def test_a_row_without_an_id_is_matched_against_every_record_not_the_files_ids_alone(tmp_path, shared_keys):
    """The rows with record ids are looked up among those records first; a row without one met its
    DOI there (record 1 only) and took record 1, though record 2 shares that DOI."""
    f = tmp_path / "batch.csv"
    pd.DataFrame({"record_id": [1, None], "title": ["Peer workers in needle exchange: a qualitative study", None],
                  "doi": [None, "10.1111/add.99999"], "decision": ["exclude", "include"]}).to_csv(f, index=False)
    with pytest.raises(InputError) as e:
        import_labels(shared_keys, f)
    assert "row 3 (its DOI fits 2 different studies" in str(e.value)
    assert shared_keys.current_decisions().empty


def test_notes_typed_into_an_exports_note_columns_are_kept(tmp_path, project):
    """A reviewer screens in the project's own export (a spreadsheet of every record) and writes
    why beside each decision: the notes were dropped without a word, only 'note' was read."""
    from screener.io.export import write_records

    ids = [int(i) for i in project.records_frame().index[:3]]
    f = tmp_path / "export.csv"
    write_records(project.export_frame(), f)
    df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    at = df["record_id"].astype(int).isin(ids)
    df.loc[at, "decision"] = ["include", "exclude", "exclude"]
    df.loc[at, "decision_note"] = ["peer workers in an NSP", "animal study", ""]
    df.to_csv(f, index=False, encoding="utf-8-sig")
    import_labels(project, f)
    notes = project.decision_log().set_index("record_id")["note"]
    assert notes.loc[ids[0]] == "peer workers in an NSP" and notes.loc[ids[1]] == "animal study"
    assert not isinstance(notes.loc[ids[2]], str) or not notes.loc[ids[2]]
    # the export written now, with those notes, read back: nothing new
    write_records(project.export_frame(), f)
    assert import_labels(project, f).already == 3 and len(project.decision_log()) == 3
    # at full text, the export's full-text note goes with its full-text decision
    g = tmp_path / "full_text.csv"
    pd.DataFrame({"record_id": [ids[0]], "full_text_decision": ["include"],
                  "full_text_note": ["meets every criterion"]}).to_csv(g, index=False)
    import_labels(project, g, stage="full_text")
    log = project.decision_log()
    assert log[log["stage"] == "full_text"]["note"].tolist() == ["meets every criterion"]


def test_pubmed_ids_written_as_a_spreadsheet_or_a_list_writes_them_are_matched(tmp_path):
    """A decisions table's PMIDs as '222.0' (a number column with blanks), 'PMID: 333' or a PubMed
    link were compared as typed with the project's clean ids: no record matched, and the refusal
    said the row had 'no id, DOI or title'."""
    f = tmp_path / "recs.csv"
    pd.DataFrame({"title": ["Smoking cessation trial", "Exercise and mood", "Sleep hygiene education"],
                  "abstract": ["a", "b", "c"], "pmid": ["111", "222", "333"], "year": [2020, 2021, 2022],
                  "authors": ["A", "B", "C"]}).to_csv(f, index=False)
    p = Project.init(tmp_path / "pm_review")
    try:
        p.import_files([f])
        g = tmp_path / "lab.csv"
        g.write_text("pmid,decision\n222.0,include\nPMID: 333,exclude\nhttps://pubmed.ncbi.nlm.nih.gov/111/,include\n")
        import_labels(p, g)
        assert p.current_decisions()["decision"].to_dict() == {1: "include", 2: "include", 3: "exclude"}
        h = tmp_path / "missing.csv"
        h.write_text("pmid,decision\n999,include\n")
        with pytest.raises(InputError) as e:
            import_labels(p, h)
        assert "row 2 (PMID 999)" in str(e.value)
    finally:
        p.close()


def test_a_chapter_not_in_the_project_does_not_take_its_books_record_by_the_doi_they_share(tmp_path):
    """A book and its chapter share the book's DOI. A row for another chapter of the book, with that
    DOI, went to the book: its title 'Depression' is held in 'Depression in the elderly'."""
    f = tmp_path / "recs.csv"
    pd.DataFrame({"title": ["Depression", "Depression in adolescents: a cohort"], "abstract": ["a book", "a chapter"],
                  "doi": ["10.1007/978-3-030-1"] * 2,
                  "year": [2019, 2019], "authors": ["A", "B"]}).to_csv(f, index=False)
    p = Project.init(tmp_path / "book_review")
    try:
        p.import_files([f])
        g = tmp_path / "lab.csv"
        pd.DataFrame({"title": ["Depression in the elderly"], "doi": ["10.1007/978-3-030-1"],
                      "decision": ["include"]}).to_csv(g, index=False)
        with pytest.raises(InputError) as e:
            import_labels(p, g)
        assert "its DOI fits 2 different studies" in str(e.value)
        assert p.current_decisions().empty
        # a title without its subtitle still finds its own record among those sharing the DOI
        h = tmp_path / "short.csv"
        pd.DataFrame({"title": ["Depression in adolescents"], "doi": ["10.1007/978-3-030-1"],
                      "decision": ["include"]}).to_csv(h, index=False)
        import_labels(p, h)
        assert p.current_decisions()["decision"].to_dict() == {2: "include"}
    finally:
        p.close()


def test_a_record_id_whose_title_is_another_records_is_not_taken_for_an_edited_title(tmp_path):
    """A batch row 'record_id 2, Depression' (another review's ids) went to record 2, 'Depression
    in adolescents: a cohort', as an edited title, though record 1 is titled 'Depression'."""
    f = tmp_path / "recs.csv"
    pd.DataFrame({"title": ["Depression", "Depression in adolescents: a cohort"], "abstract": ["a", "b"],
                  "year": [2019, 2020], "authors": ["A", "B"]}).to_csv(f, index=False)
    p = Project.init(tmp_path / "id_review")
    try:
        p.import_files([f])
        g = tmp_path / "batch.csv"
        pd.DataFrame({"record_id": [2], "title": ["Depression"], "decision": ["exclude"]}).to_csv(g, index=False)
        res = import_labels(p, g)
        assert p.current_decisions()["decision"].to_dict() == {1: "exclude"} and res.matched_by == {"title": 1}
    finally:
        p.close()


def test_a_rayyan_pair_without_its_quotes_is_named_not_dropped(tmp_path, project):
    """'{"Ana"=>Included}' (an edited note) was read as no decision: the record counted as not
    screened yet; beside a readable pair, Bob's exclude was dropped without a word."""
    recs = project.records_frame()
    f = tmp_path / "rayyan.csv"
    pd.DataFrame({"title": recs["title"].iloc[:2].tolist(), "abstract": recs["abstract"].iloc[:2].tolist(),
                  "notes": ['RAYYAN-INCLUSION: {"Ana"=>Included}',
                            'RAYYAN-INCLUSION: {"Ana"=>"Included", "Bob"=>Excluded}']}).to_csv(f, index=False)
    with pytest.raises(InputError) as e:
        import_labels(project, f)
    assert "row 2 (Rayyan decision)" in str(e.value) and "'\"Bob\"=>Excluded'" in str(e.value)
    assert project.decision_log().empty


def test_a_row_repeating_an_earlier_row_is_not_said_to_be_already_in_the_project(tmp_path, project):
    """A file listing one record twice, read into a project with no decisions, said '1 decision was
    already in the project'; it is a repeat within the file, and is called one."""
    title = project.records_frame().at[3, "title"]
    f = tmp_path / "twice.csv"
    pd.DataFrame({"title": [title, title], "decision": ["include", "include"]}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "already in the project" not in out
    assert "1 row of the file repeats a decision an earlier row gave the same record" in out
    assert len(project.decision_log()) == 1


def test_screeners_own_ris_export_is_read_back_by_record_id_with_its_notes(tmp_path):
    """label of the project's own RIS export: its record without a title (matched by nothing but
    the ``ID`` the export writes) stopped the whole file as 'not in this project', and the
    reviewers' notes (``Screening note`` N1 lines) were dropped, though the CSV export keeps them."""
    from screener.store.base import Decision

    src = tmp_path / "search.ris"
    src.write_text("TY  - JOUR\nTI  - Peer workers in needle exchange\nPY  - 2019\nER  - \n\n"
                   "TY  - JOUR\nAB  - A record whose title was lost, about peer support.\nPY  - 2020\nER  - \n\n"
                   "TY  - JOUR\nTI  - Blood pressure in mice\nPY  - 2018\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        p.decide_many([Decision(1, "include", reviewer="ana", note="peer workers; an NSP"),
                       Decision(2, "exclude", reviewer="ana", note="no peers", reason="wrong population")])
        p.export(tmp_path / "all.ris")
        out = import_labels(p, tmp_path / "all.ris", reviewer="ana")
        assert not out.decisions and out.already == 2
    with Project.init(tmp_path / "two") as q:
        q.import_files([src])
        out = import_labels(q, tmp_path / "all.ris", reviewer="ana")
        assert out.matched_by.get("id") == 2
        log = q.decision_log().set_index("record_id")
        assert log.at[1, "note"] == "peer workers; an NSP" and log.at[2, "note"] == "no peers"
        assert log.at[2, "reason"] == "wrong population"


@pytest.mark.parametrize("fmt", ["ris", "csv"])
def test_an_export_read_back_into_its_project_adds_nothing_whatever_the_notes_spacing(tmp_path, project, fmt):
    """A note typed on two lines comes back from the RIS export on one (RIS notes are one line):
    read back, the decision was 'saved' again, a second entry in the log for nothing new."""
    from screener.store.base import Decision

    project.decide_many([Decision(1, "include", reviewer="ana", note="peer workers\nin an NSP  "),
                         Decision(2, "exclude", reviewer="ana", note="animal study")])
    project.export(tmp_path / f"all.{fmt}")
    out = import_labels(project, tmp_path / f"all.{fmt}", reviewer="ana")
    assert not out.decisions and out.already == 2
    assert len(project.decision_log()) == 2


def test_an_id_row_without_a_title_is_not_put_on_another_projects_record_of_that_id(tmp_path):
    """An export of one project read into another (its records imported in another order): the
    export's record without a title was matched by its id alone, and its exclusion landed on a
    different study of the other project, 'matched by id'."""
    from screener.store.base import Decision

    search = tmp_path / "search.ris"
    search.write_text("TY  - JOUR\nTI  - Peer workers in needle exchange\nPY  - 2019\nER  - \n\n"
                      "TY  - JOUR\nAB  - A record whose title was lost, about peer support.\nPY  - 2020\nER  - \n",
                      encoding="utf-8")
    other = tmp_path / "other.ris"
    other.write_text("TY  - JOUR\nTI  - Statins and blood pressure in mice\nPY  - 2010\nER  - \n\n"
                     "TY  - JOUR\nTI  - Kidney function in a cohort\nPY  - 2011\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([search])
        p.decide_many([Decision(1, "include", reviewer="ana"), Decision(2, "exclude", reviewer="ana")])
        p.export(tmp_path / "all.csv")
        p.export(tmp_path / "all.ris")
    for fmt in ("csv", "ris"):
        with Project.init(tmp_path / f"two_{fmt}") as q:
            q.import_files([other, search])  # record 2 is 'Kidney function in a cohort' here
            where = "row" if fmt == "csv" else "line"  # a table's row, a text export's line
            with pytest.raises(InputError, match=where + r" \d+ \(record id 2 is in this project, but as .Kidney"):
                import_labels(q, tmp_path / f"all.{fmt}", reviewer="ana")
            assert q.current_decisions().empty
    # a hand-made list of ids and decisions still names records by id alone
    (tmp_path / "ids.csv").write_text("record_id,decision\n2,exclude\n")
    with Project.open(tmp_path / "two_csv") as q:
        assert [d.record_id for d in import_labels(q, tmp_path / "ids.csv", reviewer="ana").decisions] == [2]


def test_a_list_without_notes_does_not_save_again_a_decision_made_with_a_note(tmp_path, project):
    """A Covidence list of the included records (--decision include) naming a record already
    included with a note: 'Saved 1 decision', a second entry for nothing new."""
    from screener.store.base import Decision

    project.decide_many([Decision(1, "include", reviewer="ana", note="peer workers in an NSP")])
    f = tmp_path / "included.csv"
    pd.DataFrame({"Title": [project.records_frame().at[1, "title"]], "Abstract": [""],
                  "Covidence #": ["#12"]}).to_csv(f, index=False)
    out = import_labels(project, f, decision="include", reviewer="ana")
    assert not out.decisions and out.already == 1 and len(project.decision_log()) == 1
    # a note that is new is a new entry
    g = tmp_path / "batch.csv"
    pd.DataFrame({"record_id": [1], "decision": ["include"], "note": ["and a lived-experience lens"]}).to_csv(g)
    assert len(import_labels(project, g, reviewer="ana").decisions) == 1


def _endnote_xml(records) -> str:
    """An EndNote XML export: (title, year, notes) each, the notes one field, lines split by CR."""
    from xml.sax.saxutils import escape

    style = '<style face="normal" font="default" size="100%">{}</style>'
    body = "".join(
        f'<record><rec-number>{i}</rec-number><ref-type name="Journal Article">17</ref-type>'
        f"<titles><title>{style.format(escape(t))}</title></titles><dates><year>{style.format(y)}</year></dates>"
        f"<notes>{style.format(escape(chr(13).join(n)))}</notes></record>"
        for i, (t, y, n) in enumerate(records, 1))
    return f'<?xml version="1.0" encoding="UTF-8" ?><xml><records>{body}</records></xml>'


def test_an_endnote_library_of_screeners_ris_export_gives_each_stage_its_own_decisions(tmp_path, project):
    """The team's RIS export, kept in EndNote and exported as EndNote XML: read back with --stage
    full_text, its title/abstract decisions were entered as the full-text ones (a study excluded
    at full text became a final include), and its notes and reasons were dropped."""
    recs = project.records_frame()
    f = tmp_path / "library.xml"
    f.write_text(_endnote_xml([
        (recs.at[1, "title"], 2000, ["Screening decision (screener): include", "Decided by (screener): ana",
                                     "Full-text decision (screener): exclude", "Full-text note (screener): no peers",
                                     "Full-text reason (screener): wrong population"]),
        (recs.at[2, "title"], 2001, ["Screening decision (screener): include", "Screening note (screener): peers",
                                     "Full-text decision (screener): include"]),
        (recs.at[3, "title"], 2002, ["Screening decision (screener): exclude",
                                     "Screening reason (screener): animal study"])]), encoding="utf-8")
    import_labels(project, f, reviewer="ana")
    out = import_labels(project, f, reviewer="ana", stage="full_text")
    assert project.current_decisions()["decision"].to_dict() == {1: "include", 2: "include", 3: "exclude"}
    assert project.current_decisions(stage="full_text")["decision"].to_dict() == {1: "exclude", 2: "include"}
    assert out.column == "screener's full-text decision notes"
    assert project.exclusion_reasons() == {"wrong population": 1}
    assert project.exclusion_reasons(stage="title_abstract") == {"animal study": 1}
    log = project.decision_log().set_index(["record_id", "stage"])["note"]
    assert log[(1, "full_text")] == "no peers" and log[(2, "title_abstract")] == "peers"


def test_a_zotero_library_of_screeners_ris_export_gives_its_decisions_back(tmp_path, project):
    """Zotero keeps each RIS note as an HTML note and exports it so ('N1  - <p>Screening decision
    (screener): include</p>'): the decisions were not found ('no decisions found'), and an import
    of the file brought the records in unscreened."""
    from screener.io import read_records

    recs = project.records_frame()
    notes = [["<p>Screening decision (screener): include</p>", "<p>Full-text decision (screener): exclude</p>",
              '<div data-schema-version="9"><p>Full-text reason (screener): wrong &amp; late</p>\n</div>'],
             ["<p>Screening decision (screener): exclude</p>", "<p>Screening note (screener): mice &lt;5</p>"]]
    lines = []
    for rid, ns in zip((1, 2), notes):
        lines += ["TY  - JOUR", f"TI  - {recs.at[rid, 'title']}", "PY  - 2000"]
        lines += [f"N1  - {n}" for n in ns] + ["ER  - ", ""]
    f = tmp_path / "zotero.ris"
    f.write_text("\r\n".join(lines), encoding="utf-8")
    assert read_records(f).labels == ["include", "exclude"]
    import_labels(project, f, reviewer="ana")
    import_labels(project, f, reviewer="ana", stage="full_text")
    assert project.current_decisions()["decision"].to_dict() == {1: "include", 2: "exclude"}
    assert project.current_decisions(stage="full_text")["decision"].to_dict() == {1: "exclude"}
    assert project.exclusion_reasons() == {"wrong & late": 1}
    log = project.decision_log().set_index(["record_id", "stage"])["note"]
    assert log[(2, "title_abstract")] == "mice <5"


def test_empty_rows_of_a_batch_file_are_not_counted_as_records_left_unscreened(tmp_path, project):
    """A spreadsheet's empty rows between the records (and below them) were counted with the rows
    left undecided: "6 rows of the file have no decision filled in yet; those records stay
    unscreened" when 2 records did. An empty row names no record."""
    text = "record_id,decision,note\r\n1,Include,\r\n2,,\r\n,,\r\n3,exclude ,\r\n,,\r\n4,yes,\r\n,,\r\n,,\r\n"
    r, out = _label(project, tmp_path, "batch1.csv", text)
    assert r.exit_code == 0, r.output
    assert "Saved 3 decisions" in out
    assert "1 row of the file has no decision filled in yet; that record stays unscreened" in out
    f = tmp_path / "batch2.xlsx"
    pd.DataFrame({"decision": ["exclude", None, None, None], "record_id": [5, None, 6, None]}).to_excel(
        f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "Saved 1 decision" in out and "1 row of the file has no decision filled in yet" in out


def test_a_wrong_decision_below_an_empty_line_is_named_by_its_own_row(tmp_path, project):
    """An empty line in a CSV (as a text editor leaves it) was skipped when the rows were counted,
    so the row named for a misspelt decision was the one above it."""
    r, out = _label(project, tmp_path, "b.csv", "record_id,decision\n1,include\n\n2,exlcude\n3,exclude\n")
    assert r.exit_code == 1
    assert "row 4 ('exlcude')" in out and "Nothing was saved" in out
    assert project.decision_log().empty


def test_a_batch_on_another_sheet_of_a_workbook_is_read_with_sheet(tmp_path, project):
    """A workbook with a notes tab before the batch: label said "Say which one holds the records
    with --sheet NAME", but label had no --sheet."""
    f = tmp_path / "batch2.xlsx"
    with pd.ExcelWriter(f) as xw:
        pd.DataFrame({"Screened by": ["YC, 5 December"]}).to_excel(xw, sheet_name="Instructions", index=False)
        pd.DataFrame({"decision": ["Include", "exclude "], "record_id": [1, 2]}).to_excel(
            xw, sheet_name="Batch 2", index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "with --sheet (e.g. --sheet Instructions)" in out and "'Instructions', 'Batch 2'" in out
    assert project.decision_log().empty
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--sheet", "Batch 2"])
    assert r.exit_code == 0, r.output
    assert project.current_decisions()["decision"].to_dict() == {1: "include", 2: "exclude"}
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--sheet", "Batch 3"])
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "no sheet 'Batch 3'" in out and "'Batch 2'" in out


def test_label_says_how_many_of_the_saved_decisions_are_new_changed_or_repeated(tmp_path, project):
    """A batch file labelled again under another reviewer's name said 'Saved 5 decisions', as if five
    records had been decided: each repeated the decision the record already had. The count says how
    many are new, how many change a record's decision, and how many repeat it."""
    d = str(project.dir)
    project.close()
    batch = tmp_path / "batch.csv"
    pd.DataFrame({"record_id": [1, 2, 3, 4, 5],
                  "decision": ["include", "exclude", "exclude", "exclude", "exclude"]}).to_csv(batch, index=False)
    first = " ".join(runner.invoke(app, ["label", d, str(batch), "--reviewer", "ana"]).output.split())
    assert "Saved 5 decisions from batch.csv (matched by id: 5): 5 new." in first
    again = " ".join(runner.invoke(app, ["label", d, str(batch), "--reviewer", "ben"]).output.split())
    assert "Saved 5 decisions from batch.csv (matched by id: 5): 5 repeated (the decision the record already " \
           "had, under another reviewer's name or with a new note or reason)." in again
    more = tmp_path / "more.csv"
    pd.DataFrame({"record_id": [2, 3, 6, 7], "decision": ["include", "exclude", "exclude", "maybe"],
                  "note": ["", "", "", ""]}).to_csv(more, index=False)
    mixed = " ".join(runner.invoke(app, ["label", d, str(more), "--reviewer", "cy"]).output.split())
    assert "Saved 4 decisions from more.csv (matched by id: 4): 2 new, 1 changed, 1 repeated (" in mixed
    with Project.open(d) as p:
        res = import_labels(p, more, reviewer="cy")  # the same file again: nothing saved, nothing counted
        assert not res.decisions and (res.new, res.changed_decisions, res.same) == (0, 0, 0) and res.already == 4


def test_label_counts_a_second_reviewers_decision_in_one_file_against_the_first(tmp_path, project):
    """A Rayyan export holds each reviewer's decision on a record: two records decided by Ana and Bob
    were 'Saved 4 decisions: 4 new', as if four records had been decided. The second decision on a
    record in one file is counted against the first: the same one repeats it; another, where the two
    disagree, is outweighed by the more inclusive one (the record never held it: not a change)."""
    f, _ = _rayyan(tmp_path, project)
    res = import_labels(project, f)
    assert len(res.decisions) == 4
    assert (res.new, res.changed_decisions, res.same, res.outweighed) == (2, 0, 1, 1)


def test_dual_label_counts_a_decision_after_an_undo_as_new(tmp_path, dual):
    """In dual screening the count reads the reviewer's own decisions: one they withdrew (an undo) is
    no decision, so deciding the record again from a file is new, not 'changed'."""
    r, _ = _label(dual, tmp_path, "ana.csv", "record_id,decision\n1,include\n2,exclude\n", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    dual.undo(1, reviewer="ana")
    again = tmp_path / "again.csv"
    again.write_text("record_id,decision\n1,exclude\n")
    res = import_labels(dual, again, reviewer="ana")
    assert len(res.decisions) == 1 and (res.new, res.changed_decisions, res.same) == (1, 0, 0)


def test_label_names_a_tables_rows_as_a_spreadsheet_numbers_them_in_every_message(tmp_path, project):
    """A filled-in batch file is a table a reviewer opens in a spreadsheet: a misspelt decision was
    'row 3', an id that names no record 'line 4', an id that is not a number 'line 4' of a workbook,
    and a CSV export's unreadable decision the text line below a note written on two lines. Every
    message names a table's row as the spreadsheet numbers it (the column names are row 1); a text
    export (RIS) keeps its lines."""
    recs = project.records_frame()
    two_lines = '"first line of a note\nand its second line"'
    r, out = _label(project, tmp_path, "b.csv", f"record_id,decision,note\n1,include,{two_lines}\n2,exlcude,\n")
    assert r.exit_code == 1 and "row 3 ('exlcude')" in out
    r, out = _label(project, tmp_path, "c.csv",
                    f"record_id,decision,note\n1,include,{two_lines}\n2,exclude,\n999,exclude,\n")
    assert r.exit_code == 1 and "row 4 (id 999)" in out and "line" not in out
    f = tmp_path / "batch.xlsx"
    pd.DataFrame({"record_id": ["1", "abc"], "decision": ["include", "exclude"]}).to_excel(f, index=False)
    out = " ".join(runner.invoke(app, ["label", str(project.dir), str(f)]).output.split())
    assert "batch.xlsx, row 3: record id 'abc' is not a number" in out
    g = tmp_path / "export.csv"
    first, second = (f'"{recs["title"].iloc[i]}","{recs["abstract"].iloc[i]}' for i in (0, 1))
    g.write_text(f'title,abstract,label_included\n{first}\nSecond paragraph of the abstract.",1\n{second}",zz\n')
    out = " ".join(runner.invoke(app, ["label", str(project.dir), str(g)]).output.split())
    assert "row 3 ('zz')" in out and "line" not in out
    assert project.decision_log().empty


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_the_full_text_decisions_of_an_imported_export_reach_the_records_made_from_its_rows(tmp_path, fmt):
    """The README's move of a review to a new project: import its export, then read the same file
    with 'label --stage full_text'. Two studies of the old review that share a DOI and a title (a
    record split off a wrong group there) are two studies in the new one too, so the full-text
    include on one row was refused ('its DOI fits 2 different studies ... give the record's screener
    id'), and the export's record ids are the old project's. The file was imported here, so each
    row is the record made from it: record id 3 of the export (one study fewer before it) had put
    the include on the split-off copy, record 3 here, which no one passed on to full text."""
    from screener.store.base import Decision

    src = tmp_path / "search.csv"
    src.write_text(
        "Title,Authors,Year,Journal,DOI\n"
        "Sleep hygiene in students,\"Park, J\",2020,Sleep,10.5555/sleep.1\n"
        "Sleep hygiene in students,\"Park, J\",2020,Sleep,10.5555/sleep.1\n"
        "Peer navigation for HIV care among young men in Lima,\"Lopez, A; Cruz, M\",2019,AIDS and Behavior,"
        "10.1007/s10461-019-0001\n"
        "Peer navigation for HIV care among young men in Lima,\"Lopez, A; Cruz, M\",2019,AIDS and Behavior,"
        "10.1007/s10461-019-0001\n"
        "Blood pressure in older adults,\"Kim, H\",2018,Hypertension,10.1161/hyp.2018.5\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        p.split_duplicates([4], reviewer="ana")  # records 1 and 2 are one study, 3 and 4 two
        p.decide_many([Decision(1, "exclude", reviewer="ana"), Decision(3, "include", reviewer="ana"),
                       Decision(5, "exclude", reviewer="ana"),
                       Decision(3, "include", reviewer="ana", stage="full_text")])
        p.export(tmp_path / f"review.{fmt}")
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / f"review.{fmt}"])
        assert q.prisma_counts()["after_deduplication"] == 4
        result = import_labels(q, tmp_path / f"review.{fmt}", stage="full_text")
        assert len(result.decisions) == 1 and not result.unmatched
        assert result.matched_by == {"the row it was imported from": 1}
        c = q.prisma_counts()
        assert (c["full_text_assessed"], c["full_text_included"], c["full_text_not_passed_on"]) == (1, 1, [])
        final = q.export_frame(only="final")
        assert len(final) == 1 and final["decision"].tolist() == ["include"]


def test_an_imported_exports_full_text_decision_stays_with_its_editorial(tmp_path):
    """An export read back with 'label --stage full_text' after its import into a new project: its
    record ids are the old project's, one lower here after each duplicate copy the export left out.
    Record 3's full-text include ('Editorial', Journal A) went to record 3 here, the other
    'Editorial' (Journal B), which no one passed on: the final include was the wrong study."""
    from screener.store.base import Decision

    src = tmp_path / "search.csv"
    src.write_text(
        "Title,Authors,Year,Journal,DOI,Abstract\n"
        "Sleep hygiene in students,\"Park, J\",2020,Sleep,10.5555/sleep.1,\"Background: sleep.\nMethods: a survey."
        "\nResults: none.\"\n"  # an abstract of three lines: the export's rows are no longer its lines
        "Sleep hygiene in students,\"Park, J\",2020,Sleep,10.5555/sleep.1,\n"
        "Editorial,\"Reed, A\",2019,Journal A,,\n"
        "Editorial,\"Moss, B\",2021,Journal B,,\n"
        "Blood pressure in older adults,\"Kim, H\",2018,Hypertension,10.1161/hyp.2018.5,\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        assert p.prisma_counts()["after_deduplication"] == 4
        p.decide_many([Decision(1, "exclude"), Decision(3, "include"), Decision(4, "exclude"),
                       Decision(5, "exclude"), Decision(3, "include", stage="full_text")])
        p.export(tmp_path / "review.csv")
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / "review.csv"])
        result = import_labels(q, tmp_path / "review.csv", stage="full_text")
        assert result.matched_by == {"the row it was imported from": 1}
        final = q.export_frame(only="final")
        assert final[["title", "journal", "decision"]].values.tolist() == [["Editorial", "Journal A", "include"]]
        assert q.prisma_counts()["full_text_not_passed_on"] == []


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_a_next_batch_of_every_record_left_excluded_with_one_decision_is_the_rest(tmp_path, project, fmt):
    """'screener next -n <all left>' then 'label batch --decision exclude' is the quickest way to exclude the
    rest at a stop; counted as screened, status said "Every record has been screened: nothing is left to
    find", recall 100%, every method 'yes', the report and PRISMA 'all screened', though the estimate at the
    stop was far lower (a false stop). One decision for the whole file cannot tell records read from records
    left unread, so they count as the rest excluded at the stop; a reviewer who read them all says so with
    --all-read, and they count as screened (the batch filled in row by row and labelled again is no word of it)."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    batch = tmp_path / f"last.{fmt}"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "50", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    r = runner.invoke(app, ["label", str(project.dir), str(batch), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "40 records that were left" in out and "excluded without screening at the stop" in out, out
    assert f"say so (screener label {project.dir} {batch} --decision exclude --all-read)" in out, out
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
    assert project.prisma_counts()["not_screened"] == 40
    assert not recall_status(project)["advice"].message.startswith("Every record has been screened")
    # the reviewer read every one: the batch filled in row by row, labelled again
    if fmt == "csv":
        b = pd.read_csv(batch)
        b["decision"] = "exclude"
        b.to_csv(batch, index=False)
    else:
        batch.write_text(batch.read_text().replace("ER  -", "N1  - Screening decision (screener): exclude\nER  -"))
        batch = batch.with_suffix(".ris")
    r = runner.invoke(app, ["label", str(project.dir), str(batch)])
    assert r.exit_code == 0 and "still count so" in " ".join(r.output.split()), r.output
    assert screening_counts(project).excluded_unscreened == 40
    r = runner.invoke(app, ["label", str(project.dir), str(batch), "--all-read"])
    assert r.exit_code == 0, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (60, 0, 0), r.output
    assert project.prisma_counts()["not_screened"] == 0
    assert recall_status(project)["advice"].message.startswith("Every record has been screened")


def test_dual_reviewers_each_excluding_their_records_left_with_one_decision_is_the_rest(tmp_path, dual):
    """Dual screening: each reviewer screened 2 of 6 records, then excluded their 4 left with one
    'label rest.csv --reviewer NAME --decision exclude' (the rest at a stop). They counted as screened by
    both, so status said "Every record has been screened: nothing is left to find", recall 100% and
    'yes' from every method, though nothing was read past the first 2 records (a false stop; in single
    screening the same file counts as the rest excluded at the stop). Now they count as that too."""
    from screener.status import recall_status, screening_counts

    for who in ("ann", "bob"):
        r, _ = _label(dual, tmp_path, f"{who}.csv", "record_id,decision\n1,include\n2,exclude\n", "--reviewer", who)
        assert r.exit_code == 0, r.output
        r, out = _label(dual, tmp_path, f"{who}_rest.csv", "record_id\n3\n4\n5\n6\n", "--reviewer", who,
                        "--decision", "exclude")
        assert r.exit_code == 0, r.output
        assert "4 excluded without screening" in out, out
        # not 'has screened every record' (the blinding lifts once both have: the server keeps them blind)
        assert f"{who} has screened every record" not in out and "stays blind for both reviewers" in out, out
        own = screening_counts(dual, who)
        assert (own.screened, own.excluded_unscreened, own.left) == (2, 4, 0)
    c = screening_counts(dual)
    assert (c.screened, c.excluded_unscreened, c.left) == (2, 4, 0)
    assert dual.prisma_counts()["not_screened"] == 4
    assert not recall_status(dual)["advice"].message.startswith("Every record has been screened")


def test_the_rest_fetched_before_a_search_update_and_excluded_after_it_is_the_rest(tmp_path, project):
    """'screener next -n <all left>' wrote the 40 records left; a search update then brought 5 new records,
    and 'label rest.csv --decision exclude' came after it: the file no longer covered every record left, so
    the 40 counted as screened without a word, and once the 5 were screened status said "Every record has
    been screened: nothing is left to find", recall 100%. The file holds every record left in the ranking
    its batch came from (the 5 were not in it): it is the rest excluded at the stop."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(rest), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    update = tmp_path / "update.csv"
    pd.DataFrame({"title": [f"Needle exchange uptake in town {k}" for k in range(5)],
                  "abstract": ["a survey of pharmacies"] * 5, "year": [2024] * 5}).to_csv(update, index=False)
    project.import_files([update])
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 5), r.output
    last = tmp_path / "update_done.csv"
    pd.DataFrame({"record_id": range(61, 66), "decision": ["exclude"] * 5}).to_csv(last, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(last)]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (25, 40, 0)
    assert project.prisma_counts()["not_screened"] == 40
    assert not recall_status(project)["advice"].message.startswith("Every record has been screened")


def test_the_rest_with_its_top_rows_kept_back_to_read_is_the_rest(tmp_path, project):
    """At a stop the reviewer fetched the 40 records left ('next -n 40'), took the top 3 rows out of the
    file to read them, and excluded the other 37 with 'label rest.csv --decision exclude'. The file no
    longer held every record left, so the 37 counted as screened without a word, and once the 3 were
    screened status said "Every record has been screened: nothing is left to find", recall 100%, every
    method 'yes' (on a clef2017 review: 89% estimated and 'not yet' before, a true 92%). The file holds
    every record its ranking put below the 3: it is the rest excluded at the stop."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(rest), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    batch = pd.read_csv(rest)
    kept, unread = batch.iloc[:3], batch.iloc[3:]
    unread.to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    assert "37 excluded without screening when screening stopped" in " ".join(r.output.split()), r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 37, 3)
    read = tmp_path / "read.csv"
    kept.assign(decision="exclude").to_csv(read, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(read)]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (23, 37, 0)
    assert project.prisma_counts()["not_screened"] == 37
    st = recall_status(project)
    assert not st["advice"].message.startswith("Every record has been screened")
    assert not any(e.stop and e.recall == 1.0 and e.recall_low == 1.0 for e in st["estimates"].values())


def test_dual_rest_with_its_top_rows_kept_back_to_read_is_the_rest(tmp_path, toy_review):
    """Dual screening: each reviewer fetched the 40 records they had left ('next -n 40 --reviewer NAME'),
    took the top 3 rows out of the file to read them, and excluded the other 37 with one decision. Counted
    as screened by both, once the 3 were read status said "Every record has been screened: nothing is
    left to find", recall 100%, with 37 records read by no one. They are the rest excluded at the stop; so are
    the 3 each read that the other excluded unread (read by one reviewer only, whoever entered last)."""
    from screener.status import recall_status, screening_counts

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as p:
        p.import_files([csv])
        first = tmp_path / "first.csv"
        pd.DataFrame({"record_id": range(1, 21), "decision": ["include"] + ["exclude"] * 19}).to_csv(first,
                                                                                                    index=False)
        for who in ("ann", "bob"):
            assert runner.invoke(app, ["label", str(p.dir), str(first), "--reviewer", who]).exit_code == 0
            rest = tmp_path / f"rest-{who}.csv"
            r = runner.invoke(app, ["next", str(p.dir), "-n", "40", "-o", str(rest), "--reviewer", who,
                                    "--embedding-model", "none"])
            assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
            batch = pd.read_csv(rest)
            batch.iloc[3:].to_csv(rest, index=False)
            r = runner.invoke(app, ["label", str(p.dir), str(rest), "--reviewer", who, "--decision", "exclude"])
            assert r.exit_code == 0, r.output
            assert "37 excluded without screening" in " ".join(r.output.split()), r.output
            read = tmp_path / f"read-{who}.csv"
            batch.iloc[:3].assign(decision="exclude").to_csv(read, index=False)
            assert runner.invoke(app, ["label", str(p.dir), str(read), "--reviewer", who]).exit_code == 0
        ann, bob = (set(pd.read_csv(tmp_path / f"read-{who}.csv")["record_id"]) for who in ("ann", "bob"))
        both = len(ann & bob)
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (20 + both, 40 - both, 0)
        assert not recall_status(p)["advice"].message.startswith("Every record has been screened")


def test_the_rest_exported_by_title_with_rows_that_match_no_record_is_the_rest(tmp_path, project):
    """At a stop the 40 records left were exported ('export --only unscreened'), went through another tool
    that kept their titles only and mangled 2 of them, and came back as 'label rest.csv --decision exclude
    --skip-unmatched': 38 matched, so the file no longer covered every record left and the 38 counted as
    screened; once the 2 left were screened status said "Every record has been screened: nothing is left to
    find", recall 100% (on a clef2017 review: 'not yet' at 89% before, a true 92%, two titles that fit 3
    studies each). A row for every study left, the 2 unmatched among them, is the rest excluded at the stop."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)])
    assert r.exit_code == 0, r.output
    back = pd.read_csv(rest)[["record_id", "title", "abstract"]]
    mangled = back["record_id"].iloc[[5, 30]].tolist()
    back.loc[[5, 30], "title"] = "[Untitled]"
    back[["title", "abstract"]].to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude", "--skip-unmatched"])
    assert r.exit_code == 0, r.output
    assert "38 excluded without screening when screening stopped" in " ".join(r.output.split()), r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 38, 2)
    read = tmp_path / "read.csv"
    pd.DataFrame({"record_id": mangled, "decision": ["exclude", "exclude"]}).to_csv(read, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(read)]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (22, 38, 0)
    assert project.prisma_counts()["not_screened"] == 38
    assert not recall_status(project)["advice"].message.startswith("Every record has been screened")


def test_exclude_typed_on_the_rest_with_rows_kept_back_says_how_read_records_count(tmp_path, project):
    """At a stop the reviewer fetched the 40 records left, took the top 3 rows out to read them, and typed
    'exclude' down the other 37 in a spreadsheet that dropped the rank column. The 37 counted as excluded
    unscreened with no word but the count, and nothing told a reviewer who had read them that labelling the file
    again with --all-read makes them count as screened (the note came only when no record was left); the 'Now' line
    and status named 'screener label --decision exclude', which was never run."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(rest), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    pd.read_csv(rest).iloc[3:][["record_id", "title"]].assign(decision="exclude").to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 37, 3)
    assert "37 excludes on records left are read as the rest" in out, out
    assert f"If you read every one of them, say so (screener label {project.dir} {rest} --all-read)" in out, out
    assert "--decision exclude" not in out, out
    status = " ".join(runner.invoke(app, ["status", str(project.dir)]).output.split())
    assert "37 excluded without screening when screening stopped" in status, status
    assert "--decision exclude" not in status, status


def test_a_read_export_whose_includes_match_no_record_is_no_rest(tmp_path, project):
    """The 40 records left, exported and read in another tool that mangled 2 titles, came back with 2 includes
    and 38 excludes; the 2 include rows matched no record, and with --skip-unmatched the 38 excludes were read
    as the rest excluded unread at a stop ('38 excluded unscreened'), though a file with includes in it was
    read: a decision other than exclude on an unmatched row tells it, as one on a matched row does."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    back = pd.read_csv(rest)[["title", "abstract"]].assign(decision="exclude")
    back.loc[[5, 30], ["title", "decision"]] = ["[Untitled]", "include"]
    back.to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--skip-unmatched"])
    assert r.exit_code == 0 and "2 rows did not match a record" in r.output, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (58, 0, 2)
    assert "read as the rest" not in " ".join(r.output.split()), r.output


def test_the_rest_labelled_twice_stays_unscreened_until_the_reviewer_says_every_record_was_read(tmp_path, project):
    """The export of the 40 records left with 'exclude' typed down its column counts as excluded unscreened at
    the stop. Labelled a second time (the command run twice, or a copy of the file), the 40 counted as screened:
    status said "Every record has been screened: nothing is left to find", recall 100%, for 40 records never
    read. The same decisions labelled again say nothing of reading now, and 'label' says so with the command
    that does: --all-read, the reviewer's word that every record of the file was read."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    pd.read_csv(rest).assign(decision="exclude").to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert f"screener label {project.dir} {rest} --all-read" in out and "again as it is" not in out, out
    assert screening_counts(project).excluded_unscreened == 40
    copy = tmp_path / "rest copy.csv"
    copy.write_bytes(rest.read_bytes())
    for again in (rest, copy):
        r = runner.invoke(app, ["label", str(project.dir), str(again)])
        assert r.exit_code == 0, r.output
        out = " ".join(r.output.split())
        assert "No new decisions saved" in out and "count as screened now" not in out, out
        assert ("40 decisions were already in the project as the rest, excluded without screening at the stop, and "
                "still count so: labelling the same decisions again does not say they were read.") in out, out
        assert f"screener label {project.dir} '{again}' --all-read" in out or \
            f"screener label {project.dir} {again} --all-read" in out, out
        c = screening_counts(project)
        assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
        assert not recall_status(project)["advice"].message.startswith("Every record has been screened")
    # under another reviewer's name (a teammate labelling the same file): no word of reading either, and no
    # 'labelling the same decisions again' of decisions bob never labelled
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--reviewer", "bob"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "same decisions again" not in out, r.output
    assert ("Saved 40 decisions from rest.csv (matched by id: 40): 40 on records a teammate excluded without "
            "screening at the stop (below).") in out, out
    assert "excluded without screening at the stop by another account (labelled without --reviewer)" in out, out
    assert "they still count as excluded without screening" in out, out
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--all-read"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "repeated" not in out and "another reviewer's name" not in out, out
    assert ("40 given again row by row after they were excluded without screening at the stop, so read: they count as "
            "screened now") in out, out
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (60, 0, 0)


def test_blank_rows_kept_back_from_an_export_of_the_rest_leave_the_excludes_unread(tmp_path, project):
    """The 40 records left, exported, the first 3 rows left blank to read later and 'exclude' typed down the
    other 37: the 37 counted as screened (blank rows read as reading in progress), and once the 3 were read,
    in a file of their own, those 3 counted as the rest excluded unread instead. Rows left blank are records
    kept back as rows taken out of the file are: the 37 are the rest, the 3 read later count as screened."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    df = pd.read_csv(rest).assign(decision="exclude")
    df.loc[df.index[:3], "decision"] = ""
    df.to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "3 rows of the file have no decision filled in yet" in out, out
    assert "37 excludes on records left are read as the rest" in out, out
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 37, 3)
    read = tmp_path / "read.csv"
    df.iloc[:3].assign(decision="exclude").to_csv(read, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(read)]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (23, 37, 0)
    assert not recall_status(project)["advice"].message.startswith("Every record has been screened")


def test_the_rest_typed_in_two_files_is_the_rest_in_both(tmp_path, project):
    """At a stop the reviewer fetched the 40 records left ('next -n 40'), took the rank column off, split the file
    in two (its top 20 rows, then the other 20) and typed 'exclude' down both. The second was read as the rest
    excluded unread at the stop, but the first as 20 records screened from the ranking's top (40 of 60 screened):
    the reading at the stop rested on 20 excludes never read. 'exclude' typed down a file no batch of 'next' wrote
    just before the rest cannot tell records read from records left unread, as one --decision exclude cannot."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    left = tmp_path / "left.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(left), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    rows = pd.read_csv(left).drop(columns=["rank"]).assign(decision="exclude")
    top, bottom = tmp_path / "top.csv", tmp_path / "bottom.csv"
    rows.iloc[:20].to_csv(top, index=False)
    rows.iloc[20:].to_csv(bottom, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(top)]).exit_code == 0
    r = runner.invoke(app, ["label", str(project.dir), str(bottom)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0), out
    assert recall_status(project)["n_screened"] == 20
    assert "the 20 excludes of top.csv" in out and f"screener label {project.dir} top.csv" in out, out
    # the reviewer had read the top 20, and says so
    assert runner.invoke(app, ["label", str(project.dir), str(top), "--all-read"]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (40, 20, 0)


def test_a_random_pick_excluded_with_one_decision_is_no_rest(tmp_path, project):
    """A teammate's list of records excluded elsewhere (picked here and there, not the ranking's tail),
    labelled with --decision exclude, counts as screened: only the ranking's last records left, to its
    end, are read as the rest left unread at a stop."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    picked = tmp_path / "picked.csv"
    pd.read_csv(batch).iloc[::2].to_csv(picked, index=False)  # every other row: 20 of the 40
    r = runner.invoke(app, ["label", str(project.dir), str(picked), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (40, 0, 20)


def test_dual_rest_fetched_before_a_search_update_and_excluded_after_it_is_the_rest(tmp_path, toy_review):
    """Dual screening: each reviewer wrote their 40 records left with 'screener next -n 40 --reviewer NAME'; a
    search update then brought 5 new records, and each excluded their file with 'label rest.csv --reviewer NAME
    --decision exclude' after it. The files no longer covered every record left, so the 40 counted as screened
    by both, and once the 5 were screened status said "Every record has been screened: nothing is left to find",
    recall 100% (single screening has read such a file as the rest since the fix for it). Each file holds every
    record its reviewer had left before the update: it is the rest excluded at the stop, as in single screening."""
    from screener.status import recall_status, screening_counts

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as dual:
        dual.import_files([csv])
        first = first_20_file(tmp_path)
        for who in ("ann", "bob"):
            r = runner.invoke(app, ["label", str(dual.dir), str(first), "--reviewer", who])
            assert r.exit_code == 0, r.output
            r = runner.invoke(app, ["next", str(dual.dir), "-n", "40", "-o", str(tmp_path / f"{who}_rest.csv"),
                                    "--reviewer", who, "--embedding-model", "none"])
            assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
        update = tmp_path / "update.csv"
        pd.DataFrame({"title": [f"Needle exchange uptake in town {k}" for k in range(5)],
                      "abstract": ["a survey of pharmacies"] * 5, "year": [2024] * 5}).to_csv(update, index=False)
        dual.import_files([update])
        for who in ("ann", "bob"):
            r = runner.invoke(app, ["label", str(dual.dir), str(tmp_path / f"{who}_rest.csv"), "--reviewer", who,
                                    "--decision", "exclude"])
            assert r.exit_code == 0, r.output
            assert "40 excluded without screening" in " ".join(r.output.split()), r.output
            own = screening_counts(dual, who)
            assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 5), r.output
        c = screening_counts(dual)
        assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 5)
        last = tmp_path / "update_done.csv"
        pd.DataFrame({"record_id": range(61, 66), "decision": ["exclude"] * 5}).to_csv(last, index=False)
        for who in ("ann", "bob"):
            assert runner.invoke(app, ["label", str(dual.dir), str(last), "--reviewer", who]).exit_code == 0
        c = screening_counts(dual)
        assert (c.screened, c.excluded_unscreened, c.left) == (25, 40, 0)
        assert dual.prisma_counts()["not_screened"] == 40
        assert not recall_status(dual)["advice"].message.startswith("Every record has been screened")


def test_dual_exclude_typed_on_each_row_of_a_reviewers_records_left_is_no_screening_until_labelled_again(
        tmp_path, toy_review):
    """Dual screening: each reviewer screened 20 of 60 records, wrote their 40 left ('next -n 40 --reviewer
    NAME'), took the rank column off in a spreadsheet and typed 'exclude' down the decision column. Read with
    'label --reviewer NAME', the 40 counted as screened by both: status said "Every record has been screened:
    nothing is left to find", recall 100% (a false stop), while single screening reads the same file as the rest
    excluded unscreened at the stop. Now dual screening does too, per reviewer, until the file is labelled again."""
    from screener.status import recall_status, screening_counts

    d = _dual_toy(tmp_path, toy_review)
    first = first_20_file(tmp_path)
    for who in ("ann", "bob"):
        assert runner.invoke(app, ["label", d, str(first), "--reviewer", who]).exit_code == 0
        rest = tmp_path / f"rest-{who}.csv"
        r = runner.invoke(app, ["next", d, "-n", "40", "-o", str(rest), "--reviewer", who, "--embedding-model", "none"])
        assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
        pd.read_csv(rest).drop(columns=["rank"]).assign(decision="exclude").to_csv(rest, index=False)
        r = runner.invoke(app, ["label", d, str(rest), "--reviewer", who])
        assert r.exit_code == 0, r.output
        out = " ".join(r.output.split())
        assert "40 excluded without screening" in out, r.output
        # the command the note gives is one a dual reviewer can paste: it names them
        assert f"screener label {d} {rest} --reviewer {who} --all-read" in out, out
    with Project.open(d) as dual:
        for who in ("ann", "bob"):
            own = screening_counts(dual, who)
            assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 0)
        c = screening_counts(dual)
        assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
        assert dual.prisma_counts()["not_screened"] == 40
        st = recall_status(dual)
        assert not st["advice"].message.startswith("Every record has been screened"), st["advice"].message
    # the same file labelled again as it is: no word that ann read them
    r = runner.invoke(app, ["label", d, str(tmp_path / "rest-ann.csv"), "--reviewer", "ann"])
    assert r.exit_code == 0 and "--reviewer ann --all-read" in " ".join(r.output.split()), r.output
    with Project.open(d) as dual:
        own = screening_counts(dual, "ann")
        assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 0)
    # ann read every one: she says so
    r = runner.invoke(app, ["label", d, str(tmp_path / "rest-ann.csv"), "--reviewer", "ann", "--all-read"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as dual:
        own = screening_counts(dual, "ann")
        assert (own.screened, own.excluded_unscreened, own.left) == (60, 0, 0)
        own = screening_counts(dual, "bob")
        assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 0)


def test_dual_rest_typed_in_a_file_naming_its_reviewer_says_how_to_count_it_read(tmp_path, toy_review):
    """Dual screening: ann's 40 records left, 'exclude' typed down the column beside a 'reviewer' column naming
    her, labelled without --reviewer. The 40 counted as excluded unscreened, with no word of it nor of the
    command that makes them count as screened once read; labelled again, they still count so."""
    from screener.status import screening_counts

    d = _dual_toy(tmp_path, toy_review)
    first_20_read(d, tmp_path, "--reviewer", "ann")
    rest = tmp_path / "rest.csv"
    r = runner.invoke(app, ["next", d, "-n", "40", "-o", str(rest), "--reviewer", "ann", "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    pd.read_csv(rest).drop(columns=["rank"]).assign(decision="exclude", reviewer="ann").to_csv(rest, index=False)
    for _ in range(2):
        r = runner.invoke(app, ["label", d, str(rest)])
        assert r.exit_code == 0, r.output
        assert f"say so (screener label {d} {rest} --all-read)" in " ".join(r.output.split()) or \
            f"say so: screener label {d} {rest} --all-read" in " ".join(r.output.split()), r.output
        with Project.open(d) as dual:
            own = screening_counts(dual, "ann")
            assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 0)
    assert runner.invoke(app, ["label", d, str(rest), "--all-read"]).exit_code == 0
    with Project.open(d) as dual:
        own = screening_counts(dual, "ann")
        assert (own.screened, own.excluded_unscreened, own.left) == (60, 0, 0)


def test_the_rest_excluded_with_one_decision_labelled_again_names_a_command_that_works(tmp_path, project):
    """'label batch.csv --decision exclude' run twice on the rest (the batch's decision column left empty): the
    second run said "say so: screener label DIR batch.csv --all-read", and that command, pasted, was refused
    ("the decision column 'decision' is empty on every row"). It names --decision exclude now, and works."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    batch = tmp_path / "last.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    for _ in range(2):
        r = runner.invoke(app, ["label", str(project.dir), str(batch), "--decision", "exclude"])
        assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "still count so" in out, out
    said = f"say so: screener label {project.dir} {batch} --decision exclude --all-read"
    assert said in out, out
    r = runner.invoke(app, said[len("say so: screener "):].split())
    assert r.exit_code == 0, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (60, 0, 0), r.output


def test_dual_all_read_with_reviewer_is_no_word_for_a_teammates_rows(tmp_path, toy_review):
    """Dual screening: ann and bob each typed 'exclude' down their 40 records left (the rest, counted as excluded
    unscreened). Both files put together, a reviewer column naming each, labelled 'label both.csv --reviewer ann
    --all-read': ann's word counted bob's 40 unread excludes as read too, and status said "Every record has been
    screened: nothing is left to find" (recall 100%), with "Now ann: ..." alone said. It is refused now, nothing
    saved."""
    from screener.status import screening_counts

    d = _dual_toy(tmp_path, toy_review)
    first = first_20_file(tmp_path)
    both = []
    for who in ("ann", "bob"):
        assert runner.invoke(app, ["label", d, str(first), "--reviewer", who]).exit_code == 0
        rest = tmp_path / f"rest-{who}.csv"
        r = runner.invoke(app, ["next", d, "-n", "40", "-o", str(rest), "--reviewer", who, "--embedding-model", "none"])
        assert r.exit_code == 0, r.output
        both.append(pd.read_csv(rest).drop(columns=["rank"]).assign(decision="exclude", reviewer=who))
        both[-1].to_csv(rest, index=False)
        assert runner.invoke(app, ["label", d, str(rest)]).exit_code == 0
    together = tmp_path / "both.csv"
    pd.concat(both).to_csv(together, index=False)
    r = runner.invoke(app, ["label", d, str(together), "--reviewer", "ann", "--all-read"])
    out = " ".join(r.output.split())
    assert r.exit_code != 0 and "bob" in out and "Nothing was saved" in out, out
    with Project.open(d) as dual:
        for who in ("ann", "bob"):
            own = screening_counts(dual, who)
            assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 0), who


def test_a_full_text_not_retrieved_is_recorded_apart_from_exclusions_and_only_at_full_text(tmp_path, project):
    """A report whose full text could not be obtained had no decision of its own: 'not retrieved' in
    a full-text decisions file was refused, so reviewers entered it as an exclusion ('no full text'),
    which PRISMA counted among the reports excluded after reading. At --stage full_text it is read
    now (also as --decision), kept apart from exclusions and their reasons; at title and abstract it
    is refused, naming --stage full_text, and the title/abstract decisions stay as they were."""
    for rid in range(1, 8):
        project.decide(rid, "include" if rid <= 5 else "exclude")
    r, said = _label(project, tmp_path, "ta.csv", "record_id,decision\n2,not retrieved\n")
    assert r.exit_code != 0 and "'Not retrieved' is a full-text decision" in said and "--stage full_text" in said, said
    assert "DIR" not in said and "FILE" not in said, said  # 'label DIR FILE --stage full_text' was pasted as it was
    assert project.current_decisions(stage="full_text").empty
    r, said = _label(project, tmp_path, "ft.csv", "record_id,decision,reason\n1,include,\n2,Not retrieved,\n"
                     "3,exclude,wrong population\n4,not_retrieved,\n", "--stage", "full_text")
    assert r.exit_code == 0, said
    assert "Full texts assessed: 2 (1 included, 1 excluded); 2 reports not retrieved" in said, said
    ft = project.current_decisions(stage="full_text")["decision"]
    assert ft.to_dict() == {1: "include", 2: "not_retrieved", 3: "exclude", 4: "not_retrieved"}
    assert project.exclusion_reasons() == {"wrong population": 1}  # not an exclusion, with or without a reason
    ta = project.current_decisions()["decision"]  # not a title/abstract exclusion: recall is estimated on these
    assert [ta[i] for i in range(1, 6)] == ["include"] * 5 and int((ta == "exclude").sum()) == 2
    r, said = _label(project, tmp_path, "five.csv", "record_id\n5\n", "--stage", "full_text",
                     "--decision", "not retrieved")
    assert r.exit_code == 0, said
    assert project.current_decisions(stage="full_text")["decision"][5] == "not_retrieved"


def test_an_export_read_back_at_full_text_does_not_call_the_records_excluded_at_title_abstract_unscreened(
        tmp_path, project):
    """An export of the whole review read back with --stage full_text (its full_text_decision column)
    said "91 rows of the file have no decision filled in yet; those records stay unscreened" of the
    records excluded at title and abstract, which were screened and have no full text to assess;
    the rows are now said to have no full-text decision, the records sought for retrieval apart."""
    r, _ = _label(project, tmp_path, "ta.csv", "record_id,decision\n1,include\n2,include\n3,include\n4,exclude\n"
                  "5,exclude\n")
    assert r.exit_code == 0, r.output
    r, _ = _label(project, tmp_path, "ft.csv", "record_id,decision\n1,include\n", "--stage", "full_text")
    assert r.exit_code == 0, r.output
    project.export(tmp_path / "all.csv")
    r, out = _label(project, tmp_path, "all.csv", (tmp_path / "all.csv").read_text(encoding="utf-8-sig"),
                    "--stage", "full_text")
    assert r.exit_code == 0, r.output
    assert "unscreened" not in out, out
    n = len(project.records_frame()) - 1  # every row but record 1's
    assert (f"{n} rows of the file have no full-text decision: 2 records included at title and abstract still "
            f"await one, and the other {n - 2} were not included at title and abstract (no full text to assess); "
            "their title and abstract decisions are unchanged") in out, out


@pytest.mark.parametrize("typed", [True, False])
def test_the_rest_exported_with_a_few_rows_kept_back_to_read_is_the_rest(tmp_path, project, typed):
    """At a stop the 40 records left were exported ('export --only unscreened', in record id order, not the
    ranking's), the first 3 rows taken out of the file to read them, and the other 37 excluded ('exclude' typed
    down the column, or --decision exclude). The 3 kept back were not the ranking's top, so the 37 counted as
    screened, read as a run of excludes at the ranking's end; then the 3 read, typed in a file of their own,
    covered every record left and were counted as the rest excluded unread instead: the unread 37 backed the
    estimate and the 3 read ones did not. A file of excludes that names every record left but a few, none of
    them left blank in it, is the rest, whichever few were kept back."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    left = pd.read_csv(rest)[["record_id", "title"]]
    kept, unread = left.iloc[:3], left.iloc[3:]
    (unread.assign(decision="exclude") if typed else unread).to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest)] + ([] if typed else ["--decision", "exclude"]))
    assert r.exit_code == 0, r.output
    assert "37 excluded without screening when screening stopped" in " ".join(r.output.split()), r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 37, 3)
    read = tmp_path / "read.csv"
    kept.assign(decision="exclude").to_csv(read, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(read)]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (23, 37, 0)
    assert project.prisma_counts()["not_screened"] == 37
    assert not recall_status(project)["advice"].message.startswith("Every record has been screened")


def test_one_exclude_typed_in_a_file_of_its_own_near_the_end_is_read_not_the_rest(tmp_path, project):
    """With 3 records left, the reviewer read one, typed 'exclude' in a file of its own and labelled it: the file
    named every record left but 2 ('a few kept back'), so the one record read was counted as the rest excluded
    unscreened at a stop, and a reviewer's file of one decision never counted as screened. A few kept back are
    fewer than the file names: one record's exclude is read."""
    from screener.status import screening_counts

    first = tmp_path / "first.csv"
    pd.DataFrame({"record_id": range(1, 58), "decision": ["include"] + ["exclude"] * 56}).to_csv(first, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(first)]).exit_code == 0
    c = screening_counts(project)
    assert c.left == 3, c
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    one = tmp_path / "one.csv"
    pd.read_csv(rest)[["record_id", "title"]].iloc[:1].assign(decision="exclude").to_csv(one, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(one)])
    assert r.exit_code == 0, r.output
    assert "excluded without screening" not in " ".join(r.output.split()), r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (58, 0, 2)


def test_exclude_typed_on_a_search_updates_records_after_an_earlier_stop_is_the_rest_too(tmp_path, project):
    """The rest excluded unread at a stop, then a search update of 5 records, exported and 'exclude' typed down its
    column: the 5 counted as screened ('25 of 65 records screened', PRISMA 5 more screened), though the same file
    with --decision exclude counts them as excluded unscreened, and nothing told them apart from records read. Typed
    on every record the update brought, they are the rest excluded at the stop too (labelled again with --all-read,
    once read, they count as screened); records kept back from the rest and read since still count as screened."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    exclude_the_rest_unread(project.dir, tmp_path)
    update = tmp_path / "update.csv"
    pd.DataFrame({"title": [f"Needle exchange uptake in town {k}" for k in range(5)],
                  "abstract": ["a survey of pharmacies"] * 5, "year": [2024] * 5}).to_csv(update, index=False)
    project.import_files([update])
    new = tmp_path / "new.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(new)]).exit_code == 0
    pd.read_csv(new)[["record_id", "title"]].assign(decision="exclude").to_csv(new, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(new)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "45 excluded without screening when screening stopped" in out, out
    assert f"If you read every one of them, say so (screener label {project.dir} {new} --all-read)" in out, out
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 45, 0)
    assert project.prisma_counts()["not_screened"] == 45
    r = runner.invoke(app, ["label", str(project.dir), str(new), "--all-read"])
    assert r.exit_code == 0, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (25, 40, 0)


def test_the_rest_excluded_in_two_files_with_one_decision_each_is_the_rest_in_both(tmp_path, project):
    """At a stop the reviewer fetched the 40 records left ('next -n 40'), split the file in two (its top 15 rows,
    then the other 25) and excluded each with 'label FILE --decision exclude'. The second file was read as the
    rest excluded unread at the stop, but the first as 15 records screened from the ranking's top: the reading
    at the stop rested on a run of 15 excludes never read. One decision for the whole file just before the rest's
    cannot tell records read from records left unread either: both files are the rest, and 'label' says so and
    how a reviewer who read the first makes its records count as screened."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    batch = tmp_path / "left.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    rows = pd.read_csv(batch)
    top, bottom = tmp_path / "top.csv", tmp_path / "bottom.csv"
    rows.iloc[:15].to_csv(top, index=False)
    rows.iloc[15:].to_csv(bottom, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(top), "--decision", "exclude"]).exit_code == 0
    assert screening_counts(project).screened == 35  # alone, one file of excludes: read as screened
    r = runner.invoke(app, ["label", str(project.dir), str(bottom), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0), out
    assert project.prisma_counts()["not_screened"] == 40
    assert "top.csv" in out and "15 excludes" in out, out
    assert recall_status(project)["n_screened"] == 20
    # the reviewer had read the top 15: its decision column filled in, labelled again, is no word of it
    rows.iloc[:15].assign(decision="exclude").to_csv(top, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(top)]).exit_code == 0
    assert screening_counts(project).excluded_unscreened == 40
    assert runner.invoke(app, ["label", str(project.dir), str(top), "--all-read"]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (35, 25, 0)


def test_the_rest_typed_after_a_file_of_one_decision_exclude_counts_that_file_with_the_rest(tmp_path, project):
    """At a stop the reviewer fetched the 40 records left ('next -n 40'), excluded its top 15 rows with 'label
    top.csv --decision exclude', then exported the 25 still left ('export --only unscreened') and typed 'exclude'
    down the column. The 25 were read as the rest excluded unread at the stop, but the 15 as screened from the
    ranking's top (35 screened), the reading at the stop resting on 15 excludes never read: the look-back over the
    files of one --decision exclude just before the rest's held only for a rest given with --decision exclude."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    batch = tmp_path / "left.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    top = tmp_path / "top.csv"
    pd.read_csv(batch).iloc[:15].to_csv(top, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(top), "--decision", "exclude"]).exit_code == 0
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    pd.read_csv(rest)[["record_id", "title"]].assign(decision="exclude").to_csv(rest, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(rest)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0), out
    assert project.prisma_counts()["not_screened"] == 40
    assert "the 15 excludes of top.csv" in out, out
    assert recall_status(project)["n_screened"] == 20


def test_a_batch_of_the_rest_with_a_few_rows_picked_out_to_read_excluded_with_one_decision_is_the_rest(tmp_path,
                                                                                                      project):
    """At a stop the reviewer fetched the 40 records left ('next -n 40'), picked 10 rows with promising titles out
    of the file to read (every fourth row, not the batch's top nor its end) and excluded the other 30 unread with
    'label unread.csv --decision exclude'; then read the 10 and typed 'exclude' on each. The 30 counted as screened
    (the rule of a few rows kept back held only for a file no batch of 'next' wrote), and status said 'Every record
    has been screened: nothing is left to find', recall 100%, with 30 records never read. One decision for a
    whole batch that names every record left but a few cannot tell records read from records left unread either."""
    from screener.status import recall_status, screening_counts

    first_20_read(project.dir, tmp_path)
    batch = tmp_path / "left.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "40", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
    rows = pd.read_csv(batch)
    picked = rows.index % 4 == 1
    unread, read = tmp_path / "unread.csv", tmp_path / "read.csv"
    rows[~picked].to_csv(unread, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(unread), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    assert "30 excluded without screening when screening stopped" in " ".join(r.output.split()), r.output
    rows[picked].assign(decision="exclude").to_csv(read, index=False)
    assert runner.invoke(app, ["label", str(project.dir), str(read)]).exit_code == 0
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (30, 30, 0)
    assert project.prisma_counts()["not_screened"] == 30
    assert not recall_status(project)["advice"].message.startswith("Every record has been screened")


def test_dual_each_reviewers_records_left_split_in_two_files_of_one_decision_exclude_are_the_rest_in_both(
        tmp_path, toy_review):
    """Dual screening: each reviewer screened 20 of 60 records, fetched their 40 left ('next -n 40 --reviewer
    NAME'), split the file in two (its top 15 rows, then the other 25) and excluded each with --decision exclude.
    The look-back over the files just before the rest's held in single screening only: the top 15 of both queues
    counted as screened and agreed on by both (35 screened), 15 unread excludes at the ranking's top."""
    from screener.status import screening_counts

    d = _dual_toy(tmp_path, toy_review)
    first = first_20_file(tmp_path)
    for who in ("ann", "bob"):
        assert runner.invoke(app, ["label", d, str(first), "--reviewer", who]).exit_code == 0
        left = tmp_path / f"left-{who}.csv"
        r = runner.invoke(app, ["next", d, "-n", "40", "-o", str(left), "--reviewer", who, "--embedding-model", "none"])
        assert r.exit_code == 0 and "Wrote 40 records" in r.output, r.output
        rows = pd.read_csv(left)
        top, bottom = tmp_path / f"top-{who}.csv", tmp_path / f"bottom-{who}.csv"
        rows.iloc[:15].to_csv(top, index=False)
        rows.iloc[15:].to_csv(bottom, index=False)
        for f in (top, bottom):
            r = runner.invoke(app, ["label", d, str(f), "--reviewer", who, "--decision", "exclude"])
            assert r.exit_code == 0, r.output
        assert f"the 15 excludes of top-{who}.csv" in " ".join(r.output.split()), r.output
    with Project.open(d) as dual:
        for who in ("ann", "bob"):
            own = screening_counts(dual, who)
            assert (own.screened, own.excluded_unscreened, own.left) == (20, 40, 0)
        c = screening_counts(dual)
        assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
        assert dual.prisma_counts()["not_screened"] == 40


def _dual_toy(tmp_path, toy_review):
    """A dual-screening project of the toy review's 60 records, none decided: its folder, as a string."""
    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as dual:
        dual.import_files([csv])
    return str(tmp_path / "dual")


def _screened_20_of_200(tmp_path, toy_review, keep_back=None):
    """A review of 200 records with its first 20 screened (1 include); with ``keep_back``, the 180 left exported,
    that many rows taken out to read and the others excluded with one --decision exclude (rest.csv). Returns the
    project folder and the records left at the export (None without ``keep_back``)."""
    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=10)
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "p") as p:
        p.import_files([csv])
    d = str(tmp_path / "p")
    first_20_read(d, tmp_path)
    if keep_back is None:
        return d, None
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", d, "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    left = pd.read_csv(rest)[["record_id", "title"]]
    left.iloc[keep_back:].to_csv(rest, index=False)
    assert runner.invoke(app, ["label", d, str(rest), "--decision", "exclude"]).exit_code == 0
    return d, left


def test_the_last_records_read_after_the_rest_excluded_with_one_decision_count_that_file_with_the_rest(
        tmp_path, toy_review):
    """200 records, 20 screened: the reviewer exported the 180 left ('export --only unscreened'), took 19 rows
    out to read (more than a few: a tenth of the file is 16), excluded the other 161 unread with 'label rest.csv
    --decision exclude', then read the 19 and labelled them row by row, an include among them. The 161 counted as
    screened (a list of its own) and status said 'Every record has been screened: nothing is left to find', recall
    100%, with 161 records never read. The files of one --decision exclude on records then left, labelled just
    before the file that leaves no record left, cannot tell records read from records left unread either: they
    are counted with the rest, and 'label' says so and how a reviewer who read them counts them as screened."""
    from screener.status import recall_status, screening_counts

    d, left = _screened_20_of_200(tmp_path, toy_review, keep_back=19)
    rest = tmp_path / "rest.csv"
    read = tmp_path / "read.csv"
    left.iloc[:19].assign(decision=["include"] + ["exclude"] * 18).to_csv(read, index=False)
    r = runner.invoke(app, ["label", d, str(read)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "the 161 excludes of rest.csv" in out, out
    with Project.open(d) as p:
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (39, 161, 0)
        assert p.prisma_counts()["not_screened"] == 161
        assert not recall_status(p)["advice"].message.startswith("Every record has been screened")
    # the reviewer had read the 161 after all, and says so
    left.iloc[19:].assign(decision="exclude").to_csv(rest, index=False)
    assert runner.invoke(app, ["label", d, str(rest), "--all-read"]).exit_code == 0
    with Project.open(d) as p:
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (200, 0, 0)


def test_the_last_records_read_one_by_one_after_the_rest_excluded_with_one_decision_count_that_file_with_the_rest(
        tmp_path, toy_review):
    """As above, but the 19 records kept back read one by one on the terminal screen ('screener open'), as in the
    web app, not with a label file: the look-back ran only inside 'label', so the 161 unread excludes of rest.csv
    stayed counted as screened and status said 'Every record has been screened: nothing is left to find', recall
    100%. The decision that leaves no record left now counts that file with the rest, as 'label' does, and says so."""
    import io

    from rich.console import Console

    from screener.screening import ScreeningSession
    from screener.status import recall_status, screening_counts
    from screener.tui import run_screen

    d, left = _screened_20_of_200(tmp_path, toy_review, keep_back=19)
    rest = tmp_path / "rest.csv"
    with Project.open(d) as p:
        keys = iter(["i"] + ["e"] * 18)  # the 19 kept back, the only records left, read on the screen
        out = io.StringIO()
        run_screen(ScreeningSession(p), console=Console(file=out, width=300), read_key=lambda: next(keys, "q"),
                   ask=lambda q: "")
        said = " ".join(out.getvalue().split())
        assert "the 161 excludes of rest.csv" in said and "counted with the rest too" in said, said[-3000:]
        assert set(p.current_decisions().index) >= set(left["record_id"])
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (39, 161, 0)
        assert p.prisma_counts()["not_screened"] == 161
        assert not recall_status(p)["advice"].message.startswith("Every record has been screened")
        # one of the 19 decided again (one by one): nothing more is counted with the rest, nothing is lost
        more = []
        ScreeningSession(p).decide(int(left["record_id"].iloc[1]), "maybe", origin="screen", rest_before=more)
        assert more == []
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (39, 161, 0)
    # the reviewer had read the 161 after all, and says so
    left.iloc[19:].assign(decision="exclude").to_csv(rest, index=False)
    assert runner.invoke(app, ["label", d, str(rest), "--all-read"]).exit_code == 0
    with Project.open(d) as p:
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (200, 0, 0)


def test_a_list_excluded_with_one_decision_mid_way_is_read_as_screened_once_the_rest_is_read_one_by_one(
        tmp_path, toy_review):
    """A keyword's 30 records excluded with 'label --decision exclude' after 20 screened, then the 150 others
    read one by one ('screener open', the web app): the decision that leaves no record left looks back past the
    records read one by one only when they are fewer than the file's excludes (records kept back from the rest);
    more, the file was a list of its own, read as screened (nothing counted with the rest, nothing said)."""
    from screener.screening import ScreeningSession
    from screener.status import screening_counts

    d, _ = _screened_20_of_200(tmp_path, toy_review)
    keyword = tmp_path / "keyword.csv"
    pd.DataFrame({"record_id": range(21, 51)}).to_csv(keyword, index=False)
    assert runner.invoke(app, ["label", d, str(keyword), "--decision", "exclude"]).exit_code == 0
    with Project.open(d) as p:
        session, said = ScreeningSession(p), []
        for rid in range(51, 201):
            session.decide(rid, "exclude", origin="screen", rest_before=said)
        assert said == []
        c = screening_counts(p)
        assert (c.screened, c.excluded_unscreened, c.left) == (200, 0, 0)


def _stopped_with_the_rest_excluded(tmp_path, project):
    """20 records read (1 include), the 40 left excluded unread at the stop ('export --only unscreened' and
    'label --decision exclude')."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)


@pytest.mark.parametrize("fmt", ["csv", "ris", "xlsx"])
def test_an_export_keeps_the_rest_excluded_unread_apart_and_label_reads_it_so(tmp_path, project, toy_review, fmt):
    """The export wrote the 40 records excluded unread at the stop as a plain 'exclude'; labelled into another
    project (the same records imported there), they counted as 40 records screened: 'Every record has been
    screened', recall 100%. The export says which were excluded unread, and 'label' keeps them so."""
    from screener.status import recall_status, screening_counts

    _stopped_with_the_rest_excluded(tmp_path, project)
    out = tmp_path / f"review.{fmt}"
    assert runner.invoke(app, ["export", str(project.dir), "-o", str(out)]).exit_code == 0
    if fmt == "csv":
        df = pd.read_csv(out, dtype=str, keep_default_na=False)
        unread = df[df["excluded_unread"].str.startswith("yes")]
        assert sorted(unread["record_id"].astype(int)) == list(range(21, 61))
        assert set(df.loc[~df.index.isin(unread.index), "excluded_unread"]) == {""}
        assert "not screened" in unread["excluded_unread"].iloc[0]
    csv = toy_review(tmp_path / "toy2.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "other") as q:
        q.import_files([csv])
        r = runner.invoke(app, ["label", str(q.dir), str(out)])
        assert r.exit_code == 0, r.output
        text = " ".join(r.output.split())
        assert "40 of its records were excluded unread" in text and "excluded without screening" in text, text
        c = screening_counts(q)
        assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
        assert q.prisma_counts()["not_screened"] == 40
        assert not recall_status(q)["advice"].message.startswith("Every record has been screened")
        # the reviewer's word that every record of the file was read still counts them as screened
        r = runner.invoke(app, ["label", str(q.dir), str(out), "--all-read"])
        assert r.exit_code == 0, r.output
        assert screening_counts(q).excluded_unscreened == 0


def test_an_export_without_the_unread_column_is_labelled_as_before(tmp_path, project, toy_review):
    """An export written before the column (or by hand) reads as it did: its excludes are read ones, and a
    'no' in the column is a read exclude too."""
    from screener.status import screening_counts

    f = tmp_path / "old.csv"
    pd.DataFrame({"record_id": range(1, 11), "decision": ["include"] + ["exclude"] * 9,
                  "excluded_unread": ["", "no"] + [""] * 8}).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    assert "excluded unread" not in " ".join(r.output.split())
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened) == (10, 0)


def test_a_teammates_batch_over_the_rest_another_excluded_is_not_said_to_be_labelled_again(tmp_path, project):
    """Single screening, two accounts: Bob fetched a batch, Ana then excluded the rest at the stop (Bob's records
    among them), and Bob labelled his batch exclude row by row. His excludes stay excluded unscreened (an exclude
    given again says nothing of reading), but the message said 'labelling the same decisions again' of decisions
    Bob had never labelled: it names Ana's exclusion at the stop and Bob's way to say he read them."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path, "--reviewer", "ana")
    batch = tmp_path / "bob.csv"
    r = runner.invoke(app, ["next", str(project.dir), "-n", "5", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude", "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    pd.read_csv(batch).assign(decision="exclude").to_csv(batch, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(batch), "--reviewer", "bob"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
    assert "same decisions again" not in out and "already in the project" not in out, out
    assert "excluded without screening at the stop by ana" in out, out
    assert f"screener label {project.dir} {batch} --reviewer bob --all-read" in out, out


def test_a_batch_saved_by_excel_as_windows_1252_keeps_its_notes_and_reasons(tmp_path, project):
    """Excel's 'CSV (semicolon)' in much of Europe writes Windows-1252, not UTF-8: the decisions
    were saved but the reviewer's notes ('größe') and exclusion reasons were dropped silently."""
    t = project.records_frame()["title"]
    f = tmp_path / "batch1.csv"
    f.write_bytes("rank;record_id;decision;note;exclusion reason;title\n"
                  f"1;1;include;check full text – größe;;{t[1]}\n"
                  f"2;2;exclude;;wrong population – élderly;{t[2]}\n".encode("cp1252"))
    import_labels(project, f, reviewer="ana")
    log = project.decision_log().set_index("record_id")
    assert log.loc[1, "note"] == "check full text – größe"
    assert log.loc[2, "reason"] == "wrong population – élderly"


def test_full_text_decisions_under_column_names_a_reviewer_types_are_read(tmp_path, project):
    """A full-text sheet headed 'Record ID' and 'Full-text decision' (as a reviewer retitles the
    columns) was refused: 'no decision column', naming only the title/abstract names looked for."""
    _label(project, tmp_path, "ta.csv", "record_id,decision\n1,include\n2,include\n")
    r, out = _label(project, tmp_path, "ft.csv", "Record ID;Full-text decision;Reason for exclusion\n"
                    "1;Include;\n2;Excluded;wrong population\n", "--stage", "full_text")
    assert r.exit_code == 0, r.output
    assert "Decisions read from the column 'Full-text decision'" in out
    assert "Full texts assessed: 2 (1 included, 1 excluded)" in out
    assert "wrong population 1" in out


def test_a_full_text_sheet_without_a_decision_column_names_the_one_to_add(tmp_path, project):
    r, out = _label(project, tmp_path, "ft.csv", "record_id,verdict\n1,include\n", "--stage", "full_text")
    assert r.exit_code == 1
    assert "full_text_decision" in out and "Nothing was saved" in out


def test_a_batch_with_a_title_row_above_its_columns_keeps_its_notes(tmp_path, project):
    """A reviewer typed 'Batch 1, screened by Ana' in the row above the column names: the decisions
    were saved, but every note in the batch's 'note' column was dropped without a word."""
    t = project.records_frame()["title"]
    f = tmp_path / "batch1.csv"
    f.write_text("Batch 1 screened by Ana,,,,\nrank,record_id,decision,note,title\n"
                 f"1,1,include,check the full text,{t[1]}\n2,2,exclude,,{t[2]}\n", encoding="utf-8")
    import_labels(project, f, reviewer="ana")
    log = project.decision_log().set_index("record_id")
    assert log.loc[1, "decision"] == "include" and log.loc[1, "note"] == "check the full text"
    assert log.loc[2, "note"] is None or pd.isna(log.loc[2, "note"])


def test_an_ris_export_whose_endnote_label_was_changed_is_refused_not_read_as_unchanged(tmp_path, project):
    """The export's RIS puts each decision in the note screener reads and in LB (EndNote's Label, to sort
    by). A reviewer who changed a Label from include to exclude in EndNote and labelled the file back was
    told 'nothing new': the change was dropped without a word."""
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,include\n")
    import_labels(project, tmp_path / "ta.csv")
    r = runner.invoke(app, ["export", str(project.dir), "-o", str(tmp_path / "all.ris")])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "all.ris").read_text(encoding="utf-8-sig")
    edited = tmp_path / "edited.ris"
    edited.write_text(text.replace("LB  - include", "LB  - exclude", 1), encoding="utf-8")
    before = len(project.decision_log())
    r = runner.invoke(app, ["label", str(project.dir), str(edited)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1, out
    assert "record 1" in out and "Label" in out and "exclude" in out and "Nothing was saved" in out
    assert len(project.decision_log()) == before
    r = runner.invoke(app, ["label", str(project.dir), str(tmp_path / "all.ris")])
    assert r.exit_code == 0, r.output


def test_a_title_abstract_batch_read_at_full_text_is_refused(tmp_path, project):
    """A batch of 'screener next' labelled with --stage full_text by mistake, before any of its records
    was screened: 50 full-text decisions were saved (32 'included in the review') on records never
    passed on, and only then a warning said the PRISMA boxes would not add up."""
    r = runner.invoke(app, ["next", str(project.dir), "--n", "3", "-o", str(tmp_path / "b.csv"),
                            "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    b = pd.read_csv(tmp_path / "b.csv")
    b["decision"] = ["include", "exclude", "include"]
    b.to_csv(tmp_path / "b.csv", index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(tmp_path / "b.csv"), "--stage", "full_text"])
    out = " ".join(r.output.split())
    assert r.exit_code == 1, out
    assert "title and abstract" in out and "without --stage full_text" in out and "Nothing was saved" in out
    assert project.decision_log().empty
    # the same batch at title/abstract, then its includes at full text: read as asked
    assert runner.invoke(app, ["label", str(project.dir), str(tmp_path / "b.csv")]).exit_code == 0
    r = runner.invoke(app, ["label", str(project.dir), str(tmp_path / "b.csv"), "--stage", "full_text"])
    assert r.exit_code == 0, r.output


def test_an_ris_export_says_its_excluded_unread_note_not_a_column_it_lacks(tmp_path, project, toy_review):
    """Labelled into another project, an RIS export's records excluded unread at its stop were said to be so
    by "its excluded_unread column": an RIS file has no columns, and a reviewer looking for one found none. It
    names the note that says so; a table still names its column."""
    _stopped_with_the_rest_excluded(tmp_path, project)
    csv = toy_review(tmp_path / "toy2.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    for fmt, where, other in (("ris", "its 'Excluded unread' notes", "column"),
                              ("csv", "its excluded_unread column", "notes")):
        out = tmp_path / f"review.{fmt}"
        assert runner.invoke(app, ["export", str(project.dir), "-o", str(out)]).exit_code == 0
        with Project.init(tmp_path / f"other-{fmt}") as q:
            q.import_files([csv])
            r = runner.invoke(app, ["label", str(q.dir), str(out)])
            assert r.exit_code == 0, r.output
            text = " ".join(r.output.split())
            assert f"says ({where}) that 40 of its records" in text and other not in text.split("says (")[1][:40], text
        with Project.init(tmp_path / f"moved-{fmt}") as q:
            said = " ".join(" ".join(q.import_files([out]).warnings).split())
            assert f"exported from ({where})" in said, said


def test_an_ris_export_whose_endnote_label_was_changed_to_words_screener_cannot_read_is_refused(tmp_path, project):
    """A Label changed in EndNote from include to 'exclude - wrong population' (words, not a decision screener
    reads) was passed over as 'a Label used for something else': labelled back, the file said 'nothing new' and
    the reviewer's exclusion was lost without a word. A Label the export wrote, changed, is refused whatever it
    says; a Label on a record the export gave no decision (a library's own use of it) is still left alone."""
    (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,include\n")
    import_labels(project, tmp_path / "ta.csv")
    r = runner.invoke(app, ["export", str(project.dir), "-o", str(tmp_path / "all.ris")])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "all.ris").read_text(encoding="utf-8-sig")
    edited = tmp_path / "edited.ris"
    edited.write_text(text.replace("LB  - include", "LB  - exclude - wrong population", 1), encoding="utf-8")
    before = len(project.decision_log())
    r = runner.invoke(app, ["label", str(project.dir), str(edited)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1, out
    assert "record 1" in out and "Label 'exclude - wrong population'" in out and "Nothing was saved" in out, out
    assert len(project.decision_log()) == before
    # a record without a decision carrying a Label of the library's own (a citation key) reads as before
    undecided = text.split("ER  -")[2]
    assert "ID  - 3" in undecided and "LB  -" not in undecided
    keyed = text.replace(undecided, undecided.replace("ID  - 3", "ID  - 3\nLB  - Smith2020"), 1)
    (tmp_path / "keyed.ris").write_text(keyed, encoding="utf-8")
    r = runner.invoke(app, ["label", str(project.dir), str(tmp_path / "keyed.ris")])
    assert r.exit_code == 0, r.output


def test_a_batch_whose_decision_column_was_renamed_names_its_columns(tmp_path, project):
    """A batch whose 'decision' column the reviewer retitled 'My decision' was refused with "no decision column
    (looked for ...); add one": the reviewer added a second, empty column. The message now names the file's
    own columns and says to name the one holding the decisions 'decision'."""
    r, out = _label(project, tmp_path, "batch1.csv", "rank,record_id,My decision,title\n1,1,include,A\n2,2,exclude,B\n")
    assert r.exit_code == 1
    assert "'rank', 'record_id', 'My decision', 'title'" in out
    assert "Name the column that holds the decisions 'decision'" in out and "Nothing was saved" in out


def test_one_reviewers_own_rows_that_disagree_say_how_to_decide_otherwise(tmp_path, project):
    """Ana's batch gave record 1 twice, include then exclude (a row copied and edited). 'label' said "Each
    reviewer's decision is kept; each record counts as the most inclusive of them ... until a decision settles
    it", of one reviewer, without saying what settles it. It now says her include counts, and how to change it:
    the same file with its rows put right, labelled again."""
    r, out = _label(project, tmp_path, "ana.csv", "record_id,decision\n1,include\n1,exclude\n", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert "Each reviewer's decision is kept" not in out, out
    assert "1 record is given more than one decision in this file" in out, out
    assert "record 1: ana include (row 2), ana exclude (row 3)" in out, out
    assert "put the decision you mean on every row of the record and run the same command again" in out, out
    r, out = _label(project, tmp_path, "ana.csv", "record_id,decision\n1,exclude\n1,exclude\n", "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert project.current_decisions()["decision"].to_dict()[1] == "exclude"


@pytest.mark.parametrize("name", ["Final decision", "Inclusion", "Relevant", "Screening decision", "label_included"])
def test_label_reads_the_decision_columns_simulate_and_evaluate_read(tmp_path, name):
    """A sheet headed 'Final decision' was read by 'simulate' and 'evaluate' but refused by 'label' ("no decision
    column"): label looked for names of its own. It reads the same names now."""
    from screener.io.tabular import ALIASES, _norm

    assert _norm(name) in ALIASES["label"]
    f = tmp_path / "decisions.csv"
    f.write_text(f"record_id,{name}\n1,include\n2,exclude\n")
    rows, column, _ = read_label_file(f)
    assert [(r.record_id, r.decision) for r in rows] == [(1, "include"), (2, "exclude")]
    assert column == repr(name)


def test_two_decision_columns_both_filled_are_refused_naming_both(tmp_path, project):
    """A batch with a 'decision' column and a 'Final decision' column, both filled, had its decisions read from
    whichever name came first, the other column passed over without a word. It is refused, naming both; a second
    decision column left empty is no doubt, and the filled one is read."""
    r, out = _label(project, tmp_path, "two.csv", "record_id,decision,Final decision\n1,include,exclude\n2,exclude,\n")
    assert r.exit_code == 1, out
    assert "'decision'" in out and "'Final decision'" in out and "Nothing was saved" in out, out
    assert project.current_decisions().empty
    r, out = _label(project, tmp_path, "one.csv", "record_id,decision,Final decision\n1,,include\n2,,exclude\n")
    assert r.exit_code == 0, out
    assert "Decisions read from the column 'Final decision'" in out, out
    assert project.current_decisions()["decision"].tolist() == ["include", "exclude"]


def test_the_rest_excluded_again_with_decision_and_all_read_says_what_was_done(tmp_path, project):
    """'label REST --decision exclude --all-read' on the records excluded unscreened at the stop said they were
    "given again row by row": the file's rows gave no decision, --decision did. It says so now."""
    from screener.status import screening_counts

    first_20_read(project.dir, tmp_path)
    rest = tmp_path / "rest.csv"
    assert runner.invoke(app, ["export", str(project.dir), "--only", "unscreened", "-o", str(rest)]).exit_code == 0
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude"])
    assert r.exit_code == 0, r.output
    assert screening_counts(project).excluded_unscreened == 40
    r = runner.invoke(app, ["label", str(project.dir), str(rest), "--decision", "exclude", "--all-read"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "row by row" not in out, out
    assert ("40 given again with --decision exclude --all-read after they were excluded without screening at the stop, "
            "so read: they count as screened now") in out, out
    c = screening_counts(project)
    assert (c.screened, c.excluded_unscreened, c.left) == (60, 0, 0)


def test_two_decision_columns_of_an_export_that_disagree_are_refused_naming_both(tmp_path, project):
    """An export (its records named by title, beside their abstracts) with a 'decision' and an 'included' column both
    filled in and disagreeing on a record: label read 'included', the first name it looks for, and passed 'decision'
    over without a word, so a record could get the decision the reviewer did not mean. It is refused, naming both
    columns and the row they disagree on; two such columns that agree on every row are no doubt."""
    recs = project.records_frame()
    f = tmp_path / "export.csv"
    frame = pd.DataFrame({"title": recs["title"].iloc[:3].tolist(), "abstract": recs["abstract"].iloc[:3].tolist(),
                          "decision": ["include", "exclude", "exclude"], "included": ["include", "include", ""]})
    frame.to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 1, out
    assert "'included' and 'decision'" in out and "row 3 (include in 'included', exclude in 'decision')" in out, out
    assert "row 2" not in out and "row 4" not in out, out  # they agree on row 2; row 4 has one decision
    assert "delete the other column, or rename it" in out and "Nothing was saved" in out, out
    assert project.current_decisions().empty
    frame.assign(included=frame["decision"]).to_csv(f, index=False)
    r = runner.invoke(app, ["label", str(project.dir), str(f)])
    assert r.exit_code == 0, r.output
    assert project.current_decisions()["decision"].tolist() == ["include", "exclude", "exclude"]


def test_a_record_id_a_spreadsheet_wrote_with_decimals_or_a_thousands_separator_is_refused_not_cut_short(
        tmp_path, project):
    """A batch's record_id column formatted in a spreadsheet with a thousands separator ('1.234' in a German
    Excel) or two decimals ('6.60') was read as record 1 and record 6, and their decisions were saved on those
    records without a word. A record id that is not a whole number is refused, naming the row and how to write
    it; '2.0', as a workbook holds a whole number, is still read as record 2."""
    r, out = _label(project, tmp_path, "batch.csv", "record_id;decision\r\n2.0;include\r\n1.234;exclude\r\n")
    assert r.exit_code == 1, out
    assert "batch.csv, row 3: record id '1.234' is not a whole number" in out
    assert "Format the column as a whole number" in out and "Nothing was saved" in out
    assert project.decision_log().empty
    r, out = _label(project, tmp_path, "fixed.csv", "record_id;decision\r\n2.0;include\r\n1;exclude\r\n")
    assert r.exit_code == 0, out
    assert project.current_decisions()["decision"].to_dict() == {1: "exclude", 2: "include"}


def test_a_record_id_with_a_decimal_comma_or_a_source_ref_is_refused_saying_what_to_do(tmp_path, project):
    """A European spreadsheet writes record 12 formatted with a decimal as '12,0', and a team's own sheet may hold
    a register id (NCT01234567) in its record_id column: both were refused with "record id '12,0' is not a number."
    and no word on what to do. '12,0' is told to format the column as a whole number; 'NCT01234567' that the
    column holds screener's record ids, and to rename it so the records are matched by DOI, PMID or title."""
    r, out = _label(project, tmp_path, "batch.csv", "record_id;decision\r\n2;include\r\n12,0;exclude\r\n")
    assert r.exit_code == 1, out
    assert "batch.csv, row 3: record id '12,0' is not a whole number" in out, out
    assert "Format the column as a whole number" in out and "Nothing was saved" in out, out
    r, out = _label(project, tmp_path, "own.csv", "record_id,decision\nNCT01234567,exclude\n")
    assert r.exit_code == 1, out
    assert "own.csv, row 2: record id 'NCT01234567' is not a number" in out, out
    assert "screener's own record ids" in out and "rename the column" in out and "Nothing was saved" in out, out
    assert project.decision_log().empty


def test_a_changed_decision_names_the_record_the_file_gave_when_an_update_made_another_copy_primary(tmp_path):
    """A search update brought a fuller copy of a study already screened (it became the study's own record); a
    file changing the decision of record 1 said 'record 3 (include by yc -> exclude by yc)', a number the reviewer
    never typed."""
    first, update = tmp_path / "first.csv", tmp_path / "update.csv"
    first.write_text("title,authors,year,doi\nPeer workers in harm reduction,Lee A,2020,10.5555/peer.1\n"
                     "Naloxone at home,Kim B,2019,10.5555/peer.2\n")
    update.write_text("title,authors,year,doi,abstract,journal\n"
                      "Peer workers in harm reduction,Lee A,2020,10.5555/peer.1,A qualitative study of peers.,HRJ\n")
    with Project.init(tmp_path / "review") as p:
        p.import_files([first])
        r, _ = _label(p, tmp_path, "inc.csv", "record_id,decision\n1,include\n", "--reviewer", "yc")
        assert r.exit_code == 0, r.output
        p.import_files([update])
        recs = p.records_frame(primary_only=False)
        own = int(recs.index[(recs["group_id"] == recs.at[1, "group_id"]) & recs["is_primary"]][0])
        assert own != 1  # the update's fuller copy is the study's own record now
        r, out = _label(p, tmp_path, "exc.csv", "record_id,decision\n1,exclude\n", "--reviewer", "yc")
    assert r.exit_code == 0, r.output
    assert "1 record now has a different decision than before: record 1 (" in out, out
    assert f"record {own}" in out and "include by yc -> exclude by yc" in out, out


def _a_study_given_a_fuller_copy_by_an_update(tmp_path):
    """A project of three records whose record 1 a search update grouped under a fuller copy, the study's own
    record now; returns the project and that record's number."""
    first, update = tmp_path / "first.csv", tmp_path / "update.csv"
    first.write_text("title,authors,year,doi\nPeer workers in harm reduction,Lee A,2020,10.5555/peer.1\n"
                     "Naloxone at home,Kim B,2019,10.5555/peer.2\nSyringe services in rural towns,Ray C,2021,"
                     "10.5555/peer.3\n")
    update.write_text("title,authors,year,doi,abstract,journal\n"
                      "Peer workers in harm reduction,Lee A,2020,10.5555/peer.1,A qualitative study of peers.,HRJ\n")
    p = Project.init(tmp_path / "review")
    p.import_files([first])
    p.import_files([update])
    recs = p.records_frame(primary_only=False)
    own = int(recs.index[(recs["group_id"] == recs.at[1, "group_id"]) & recs["is_primary"]][0])
    assert own != 1  # the update's fuller copy is the study's own record now
    return p, own


def test_a_batch_row_not_saved_over_a_teammate_names_the_record_the_batch_gave(tmp_path):
    """After a search update grouped record 1 under a fuller copy, a batch's exclude on record 1 not saved over a
    teammate's later include was named 'record 3 (include by ana; bob's exclude was not saved)': a number Bob
    never saw in his batch."""
    p, own = _a_study_given_a_fuller_copy_by_an_update(tmp_path)
    with p:
        r, _ = _label(p, tmp_path, "ana.csv", "record_id,decision\n1,include\n", "--reviewer", "ana")
        assert r.exit_code == 0, r.output
        r, out = _label(p, tmp_path, "bob.csv", "record_id,rank,decision\n1,1,exclude\n", "--reviewer", "bob")
    assert r.exit_code == 0, r.output
    assert f"record 1 (one study with record {own}; include by ana; bob's exclude was not saved)" in out, out


def test_an_exclude_over_a_teammates_rest_names_the_record_the_file_gave(tmp_path):
    """After a search update grouped record 1 under a fuller copy, Ana excluded the rest at the stop; Bob's file
    excluding record 1 was named '1 record of the file (record 3) was excluded without screening at the stop by
    ana': a number Bob never typed."""
    p, own = _a_study_given_a_fuller_copy_by_an_update(tmp_path)
    with p:
        r, _ = _label(p, tmp_path, "ana.csv", "record_id,decision\n2,include\n", "--reviewer", "ana")
        assert r.exit_code == 0, r.output
        rest = tmp_path / "rest.csv"
        r = runner.invoke(app, ["export", str(p.dir), "--only", "unscreened", "-o", str(rest)])
        assert r.exit_code == 0, r.output
        r = runner.invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude", "--reviewer", "ana"])
        assert r.exit_code == 0, r.output
        r, out = _label(p, tmp_path, "bob.csv", "record_id,decision\n1,exclude\n", "--reviewer", "bob")
    assert r.exit_code == 0, r.output
    assert ("1 record of the file was excluded without screening at the stop by ana (the records left, excluded "
            f"unread): record 1 (one study with record {own}).") in out, out


def test_one_record_excluded_unread_over_a_teammate_s_exclusion_is_spoken_of_as_one():
    """One record excluded unread at a teammate's stop, labelled again: the note said "If bob read every one of it";
    one record is 'it', several are 'every one of them'."""
    from rich.console import Console

    from screener.cli.ranking_cmds import _say_over_the_rest

    for over, said in (([(7, "ana", 7)], "If bob read it, say so"),
                       ([(7, "ana", 7), (8, "ana", 8)], "If bob read every one of them, say so")):
        console = Console(record=True, width=400)
        _say_over_the_rest(console, over, "bob", "(screener label DIR FILE --all-read)")
        out = " ".join(console.export_text().split())
        assert said in out and "every one of it" not in out, out


@pytest.mark.parametrize("source", ["batch", "export"])
def test_one_decision_given_against_the_files_own_decisions_is_refused(tmp_path, project, source):
    """'label batch1.csv --decision exclude' on a batch whose decision column was filled in (includes among them),
    or on an export of every record (its includes): the file's includes were saved as excludes without a word. The
    rows whose own decision differs are named, and nothing is saved."""
    first_20_read(project.dir, tmp_path)  # record 1 included, 2 to 20 excluded
    f = tmp_path / f"{source}.csv"
    if source == "batch":
        pd.DataFrame({"record_id": [21, 22, 23], "decision": ["include", "", "Exclude"]}).to_csv(f, index=False)
    else:
        assert runner.invoke(app, ["export", str(project.dir), "-o", str(f)]).exit_code == 0
        assert pd.read_csv(f)["record_id"].iloc[0] == 1  # on row 2, as a spreadsheet shows it
    before = project.decision_log()
    r = runner.invoke(app, ["label", str(project.dir), str(f), "--decision", "exclude"])
    assert r.exit_code == 1, r.output
    said = " ".join(r.output.split())
    assert "--decision exclude" in said and "'decision'" in said and "row 2 (include)" in said, said
    assert "Nothing was saved" in said and "row 4" not in said
    assert project.decision_log().equals(before)
    if source == "batch":  # the file's own decisions where it has them are the one given: no doubt
        pd.DataFrame({"record_id": [21, 22, 23], "decision": ["exclude", "", "Exclude"]}).to_csv(f, index=False)
        r = runner.invoke(app, ["label", str(project.dir), str(f), "--decision", "exclude"])
        assert r.exit_code == 0, r.output
        assert len(project.decision_log()) == len(before) + 3
