"""Reading decisions back: tables named by DOI, edited titles, conflicting reviewers, relabelling,
and saying which column the decisions came from."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from screener.cli import app
from screener.errors import InputError
from screener.labels import import_labels
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
    assert "1 records have conflicting decisions" in r.output and "Ana include" in r.output
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
