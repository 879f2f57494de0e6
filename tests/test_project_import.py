"""Importing real exports into a project: de-duplication, PRISMA counts, all-or-nothing writes."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from screener.cli import app
from screener.errors import InputError
from screener.project import Project

runner = CliRunner()
MSM = ["cochrane.ris", "medline.ris", "proquest.ris", "psycinfo.ris", "scopus.ris", "handsearch.ris"]


@pytest.fixture(scope="module")
def msm_project(tmp_path_factory, shared_dir):
    d = tmp_path_factory.mktemp("msm") / "review"
    p = Project.init(d)
    p.import_files([shared_dir / "fixtures" / "msm_syndemic_search" / f for f in MSM])
    yield p
    p.close()


def test_msm_prisma_counts(msm_project):
    c = msm_project.prisma_counts()
    assert c["identified"] == 15 + 190 + 66 + 157 + 213 + 1
    assert c["identified_per_source"]["Scopus"] == 213 and c["identified_per_source"]["proquest"] == 66
    assert len(c["identified_per_source"]) == 6  # one line per export file, as PRISMA asks
    assert 0 < c["duplicates_removed"] < c["identified"]
    assert c["after_deduplication"] == c["identified"] - c["duplicates_removed"]
    assert c["after_deduplication"] == len(msm_project.records_frame())
    assert len(msm_project.records_frame(primary_only=False)) == 642  # nothing deleted


def test_msm_groups_have_reasons(msm_project):
    df = msm_project.records_frame(primary_only=False)
    dups = df[~df["is_primary"]]
    assert len(dups) > 100
    assert dups["duplicate_reason"].str.len().gt(0).all()
    assert dups["duplicate_reason"].str.contains("DOI|PMID|title").all()


def test_reimport_refused_and_nothing_written(msm_project, shared_dir):
    before = msm_project.store.n_records()
    with pytest.raises(InputError, match="already imported"):
        msm_project.import_files([shared_dir / "fixtures" / "msm_syndemic_search" / "medline.ris"])
    assert msm_project.store.n_records() == before


def test_one_bad_file_leaves_project_unchanged(tmp_path, shared_dir):
    p = Project.init(tmp_path / "r")
    bad = tmp_path / "broken.ris"
    bad.write_text("TY  - JOUR\nTI  - A record that never ends\n")
    with pytest.raises(InputError) as err:
        p.import_files([shared_dir / "fixtures" / "msm_syndemic_search" / "cochrane.ris", bad])
    assert "broken.ris" in str(err.value)
    assert p.store.n_records() == 0 and p.store.sources_frame().empty



def test_a_bad_file_among_several_says_the_others_were_not_imported_either(tmp_path, shared_dir):
    """'screener import DIR cochrane.ris medline.ris scopus.ris' with scopus.ris cut off said only
    that scopus.ris looks cut off and to export it again: nothing said that cochrane.ris and
    medline.ris were not imported either, so a reviewer who then imported the new scopus.ris alone
    lost the other two searches' 205 records without a word. The message now names them and says to
    import them again with it."""
    msm = shared_dir / "fixtures" / "msm_syndemic_search"
    bad = tmp_path / "scopus.ris"
    bad.write_text((msm / "scopus.ris").read_text(encoding="utf-8")[:20000], encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d).close()
    r = runner.invoke(app, ["import", str(d), str(msm / "cochrane.ris"), str(msm / "medline.ris"), str(bad)])
    assert r.exit_code == 1
    msg = " ".join(r.output.split())
    assert "scopus.ris, line" in msg and "cut off" in msg, msg
    assert "cochrane.ris" in msg and "medline.ris" in msg and "not imported" in msg and "again" in msg, msg
    with Project.open(d) as p:
        assert p.store.n_records() == 0 and p.store.sources_frame().empty  # as it was


def test_a_cut_off_csv_among_several_names_the_others_once(tmp_path, shared_dir):
    """'screener import DIR cochrane.ris medline.ris scopus.csv' with the CSV cut off inside its last
    record: its message says 'Nothing was imported', so the note naming cochrane.ris and medline.ris
    was left out, and a reviewer who then imported the new CSV alone lost their records. They are now
    named, and 'nothing was imported' is said once."""
    msm = shared_dir / "fixtures" / "msm_syndemic_search"
    bad = tmp_path / "scopus.csv"
    bad.write_text('Title,Abstract,Year\n"Syndemics among MSM","HIV and depression",2019\n'
                   '"Substance use and sexual risk","Among men who have sex with men, we', encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d).close()
    r = runner.invoke(app, ["import", str(d), str(msm / "cochrane.ris"), str(msm / "medline.ris"), str(bad)])
    assert r.exit_code == 1
    msg = " ".join(r.output.split())
    assert "scopus.csv" in msg and "cut off" in msg, msg
    assert "cochrane.ris" in msg and "medline.ris" in msg and "not imported either" in msg, msg
    assert msg.lower().count("nothing was imported") == 1, msg
    with Project.open(d) as p:
        assert p.store.n_records() == 0 and p.store.sources_frame().empty


def test_a_refused_ris_among_several_says_nothing_was_imported_as_every_format_does(tmp_path, shared_dir):
    """An RIS file refused (an end line holding text) among other files said 'Nothing was saved. Nothing was
    imported: the other file given ...', where a BibTeX or CSV file refused said 'Nothing was imported.' once.
    Every format says it in the one wording, once."""
    msm = shared_dir / "fixtures" / "msm_syndemic_search"
    bad = tmp_path / "scopus.ris"
    bad.write_text("TY  - JOUR\nTI  - Peer work\nSP  - 1234\nER  - 1240\nER  - \n", encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d).close()
    r = runner.invoke(app, ["import", str(d), str(msm / "medline.ris"), str(bad)])
    assert r.exit_code == 1
    msg = " ".join(r.output.split())
    assert "scopus.ris" in msg and "medline.ris" in msg and "not imported either" in msg, msg
    assert msg.lower().count("nothing was imported") == 1 and "Nothing was saved" not in msg, msg


def test_cli_dedup_report_and_split(tmp_path, shared_dir):
    d = tmp_path / "r"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    files = [str(shared_dir / "fixtures" / "msm_syndemic_search" / f) for f in ("medline.ris", "scopus.ris")]
    r = runner.invoke(app, ["import", str(d), *files])
    assert r.exit_code == 0, r.output
    assert "Records identified" in r.output and "Duplicates removed" in r.output
    out = tmp_path / "groups.csv"
    r = runner.invoke(app, ["dedup", str(d), "--report", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.exists()
    with Project.open(d) as p:
        df = p.records_frame(primary_only=False)
        dup = int(df[~df["is_primary"]].index[0])
        n_before = len(p.records_frame())
    r = runner.invoke(app, ["dedup", str(d), "--split", str(dup)])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert len(p.records_frame()) == n_before + 1
        p.deduplicate()  # a later run keeps the reviewer's split
        assert len(p.records_frame()) == n_before + 1
        assert dup in p.records_frame().index


def test_empty_file_is_refused_with_its_name(tmp_path):
    p = Project.init(tmp_path / "r")
    empty = tmp_path / "empty.ris"
    empty.write_text("")
    with pytest.raises(InputError, match="empty.ris"):
        p.import_files([empty])


def test_cli_table_without_titles_is_refused_and_the_advised_rerun_is_a_first_import(tmp_path):
    d = tmp_path / "small"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    f = tmp_path / "notitle.csv"
    f.write_text("Authors,Year,Abstract,Article\nSmith J,2020,Peer workers were interviewed.,Peer work among sex "
                 "workers\nDoe K,2021,A trial of PrEP.,\n", encoding="utf-8")
    r = runner.invoke(app, ["import", str(d), str(f)])
    assert r.exit_code != 0 and "--column title=Article" in r.output and "'Article'" in r.output, r.output
    with Project.open(d) as p:
        assert p.store.n_records() == 0 and p.store.sources_frame().empty  # nothing stored
    r = runner.invoke(app, ["import", str(d), str(f), "--column", "title=Article"])  # no --allow-reimport
    assert r.exit_code == 0, r.output
    assert "1 of 2 records has no title (row 3)" in " ".join(r.output.split())
    assert "notitle.csv: notitle.csv" not in r.output
    with Project.open(d) as p:
        titles = p.records_frame()["title"].tolist()
    assert titles == ["Peer work among sex workers", ""]  # empty, never NaN (which screens print as "nan")


def test_copies_of_a_study_imported_with_different_decisions_keep_the_include(tmp_path):
    """Which copy's decision counted depended on the order of the rows (a later exclude hid an
    include; 24 includes lost on one shared data set): the include is kept, logged, and named."""
    from screener.project import Project

    csv = tmp_path / "decided.csv"
    csv.write_text("Title,Abstract,Year,DOI,Included\n"
                   "Exercise for depression in older adults,We randomised 200 adults.,2019,10.1000/ex.1,1\n"
                   "Sleep hygiene education in students,A cluster trial.,2020,10.1000/sl.2,0\n"
                   "Exercise for depression in older adults,We randomised 200 adults.,2019,10.1000/ex.1,0\n")
    with Project.init(tmp_path / "review") as p:
        summary = p.import_files([csv])
        cur = p.current_decisions()
        assert sorted(cur["decision"]) == ["exclude", "include"]
        assert any("records 1, 3 are one study" in w and "'include' is kept" in w for w in summary.warnings)
        last = p.decision_log().iloc[-1]
        assert last.decision == "include" and "record 3: exclude" in last.note


def test_dual_screening_takes_imported_decisions_as_settled_not_as_a_third_reviewer(tmp_path, toy_review):
    """A partly screened review moved into a dual-screening project: its decisions were a
    reviewer called 'imported', so one person agreeing with one made the study 'agreed' (screened
    by one human), and until then the decisions counted for nothing."""
    from screener.project import Project

    csv = toy_review(tmp_path / "toy.csv", n=40, n_include=4)
    df = pd.read_csv(csv)
    df.loc[20:, "label_included"] = None
    df.to_csv(csv, index=False)
    with Project.init(tmp_path / "review", settings={"mode": "dual"}) as p:
        p.import_files([csv])
        cur = p.current_decisions()
        assert len(cur) == 20 and p.conflicts().empty
        imported = cur.loc[1, "decision"]
        other = "exclude" if imported == "include" else "include"
        assert p.reviewer_decisions().query("role == 'reviewer'").empty  # no third reviewer in kappa or blinding
        p.decide(1, other, reviewer="ana")  # a reviewer disagrees: the settled decision is open again
        assert 1 not in p.current_decisions().index and p.conflicts().empty
        p.decide(1, other, reviewer="ben")  # and two reviewers agree on it
        assert p.current_decisions().loc[1, "decision"] == other
        p.decide(2, p.current_decisions().loc[2, "decision"], reviewer="ana")  # agreeing leaves it settled
        assert len(p.current_decisions()) == 20


def test_a_dual_project_whose_log_has_imported_decisions_as_a_reviewers_reads_them_as_settled(tmp_path):
    """Projects imported before that rule (or screened single, then made dual) hold the import's
    decisions as a reviewer's: they are read as settled too."""
    from screener.project import Project
    from screener.store import Decision

    csv = tmp_path / "two.csv"
    csv.write_text("Title,Year\nPeer workers in harm reduction services,2019\nSleep hygiene in students,2020\n")
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv])
        p.store.append_decisions([Decision(record_id=1, decision="include", reviewer="imported", origin="import",
                                           note="imported from old.csv")])
        assert p.current_decisions()["decision"].tolist() == ["include"]
        p.set_setting("mode", "dual")
        assert p.current_decisions()["decision"].tolist() == ["include"]
        p.decide(1, "include", reviewer="ana")
        assert p.reviewer_decisions().query("role == 'reviewer'")["reviewer"].tolist() == ["ana"]


def _ris(path, titles, db):
    path.write_text("".join(f"TY  - JOUR\nTI  - {t}\nPY  - 2020\nDO  - 10.5555/{t.split()[-1]}\nDB  - {db}\nER  - \n\n"
                            for t in titles), encoding="utf-8")
    return path


def _medline_and_its_update_as_medline_(tmp_path):
    """A project, opened, of 2 records whose export names 'MEDLINE' and a search update of 1 record imported with
    '--source "Medline "' (another spelling of the same database)."""
    first = _ris(tmp_path / "medline.ris", ["Peer support study one", "Peer support study two"], "MEDLINE")
    update = tmp_path / "update.ris"
    update.write_text("TY  - JOUR\nTI  - Peer support study three\nPY  - 2021\nDO  - 10.5555/three\nER  - \n",
                      encoding="utf-8")
    p = Project.init(tmp_path / "review")
    p.import_files([first])
    p.import_files([update], source_db="Medline ")
    return p


def test_a_later_import_without_dedup_is_counted_in_prisma_and_the_report(tmp_path):
    """After a de-duplicated import, a later 'import --no-dedup' left the PRISMA counts unable to
    count: 'screener report' (and the dashboard's PRISMA box) stopped with "the de-duplication
    results do not cover the same records ...; run find_duplicates again", while 'status' and
    'export' went on with every record. A record not de-duplicated yet is its own study."""
    from screener.report import write_report

    a = _ris(tmp_path / "medline.ris", ["Peer support study one", "Peer support study two"], "MEDLINE")
    b = _ris(tmp_path / "embase.ris", ["Peer support study one", "Peer support study three"], "Embase")
    with Project.init(tmp_path / "review") as p:
        p.import_files([a])
        p.decide(1, "include")
        p.import_files([b], dedup=False)
        c = p.prisma_counts()
        assert (c["identified"], c["duplicates_removed"], c["after_deduplication"]) == (4, 0, 4)
        assert c["identified_per_source"] == {"Embase": 2, "MEDLINE": 2}
        assert (c["screened"], c["included"], c["not_screened"]) == (1, 1, 3)
        assert len(p.export_frame()) == c["after_deduplication"]
        assert write_report(p, tmp_path / "report.html").exists()
        p.deduplicate()  # 'screener dedup' later: the copy is found and removed
        c = p.prisma_counts()
        assert (c["identified"], c["duplicates_removed"], c["after_deduplication"], c["not_screened"]) == (4, 1, 3, 2)


def test_the_duplicate_groups_file_opens_in_excel_with_its_accents(tmp_path):
    """'screener dedup DIR --report -o groups.csv' (the file a team checks the groups in) was UTF-8
    without a byte-order mark, so Excel showed 'Müller' as 'MÃ¼ller' and every accented title
    garbled. It has a BOM now, as the export has."""
    title = "Café-based peer support for Müller's cohort"
    a = tmp_path / "medline.ris"
    a.write_text(f"TY  - JOUR\nTI  - {title}\nAU  - Müller, Jörg\nPY  - 2020\nDO  - 10.5555/cafe\nER  - \n",
                 encoding="utf-8")
    b = tmp_path / "embase.ris"
    b.write_text(a.read_text(encoding="utf-8").replace("DO  - 10.5555/cafe\n", "DO  - 10.5555/cafe\nDB  - Embase\n"),
                 encoding="utf-8")
    d = tmp_path / "r"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(a), str(b)]).exit_code == 0
    out = tmp_path / "groups.csv"
    r = runner.invoke(app, ["dedup", str(d), "--report", "-o", str(out)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").count(title) == 2


def test_the_duplicate_groups_file_keeps_titles_that_start_like_a_formula_as_text(tmp_path):
    """'dedup --report -o groups.csv' wrote '-Omics ...' titles as they were: Excel ran them as
    formulas and the team checked the groups against #NAME?. Guarded as in the export."""
    title = "-Omics of peer support: a cohort"
    a = tmp_path / "medline.ris"
    a.write_text(f"TY  - JOUR\nTI  - {title}\nAU  - Lee, K\nPY  - 2020\nDO  - 10.5555/omics\nER  - \n",
                 encoding="utf-8")
    b = tmp_path / "embase.ris"
    b.write_text(a.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    d = tmp_path / "r"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(a), str(b)]).exit_code == 0
    out = tmp_path / "groups.csv"
    assert runner.invoke(app, ["dedup", str(d), "--report", "-o", str(out)]).exit_code == 0
    rep = pd.read_csv(out, encoding="utf-8-sig")
    assert rep["title"].tolist() == ["'" + title] * 2


def test_a_citation_index_counts_as_a_database_in_prisma(tmp_path):
    """'citation' (for citation searching) put Web of Science's citation indexes among the other
    methods: records from 'Science Citation Index Expanded' were left out of 'Records identified
    from databases' and reported as found by citation searching, and no setting could move them
    back. A citation index is a database; a citation search is still another method."""
    from screener.project import is_other_method

    assert not is_other_method("Science Citation Index Expanded")
    assert not is_other_method("Social Sciences Citation Index (SSCI)")
    assert not is_other_method("Conference Proceedings Citation Index - Science")
    assert is_other_method("citation searching") and is_other_method("Forward citation search")
    assert is_other_method("Citations of the included studies")
    sci = _ris(tmp_path / "savedrecs.ris", ["Peer support study one", "Peer support study two"],
               "Science Citation Index Expanded")
    hand = _ris(tmp_path / "hand.ris", ["Peer support study three"], "Hand search")
    with Project.init(tmp_path / "review") as p:
        p.import_files([sci, hand])
        c = p.prisma_counts()
    assert c["databases_per_source"] == {"Science Citation Index Expanded": 2}
    assert c["other_methods_per_source"] == {"Hand search": 1}
    assert (c["identified_databases"], c["identified_other"]) == (2, 1)


def test_ovid_medline_of_non_indexed_citations_counts_as_a_database_in_prisma(tmp_path):
    """Ovid names its MEDLINE segments 'Ovid MEDLINE(R) and Epub Ahead of Print, In-Process,
    In-Data-Review & Other Non-Indexed Citations' in the DB field: 'citation' put the review's
    MEDLINE search among the other methods ('Records identified from other methods (n = 2)', 'a
    further 2 were identified by other methods: Ovid MEDLINE(R) ...'). It is a database; so is Web
    of Science's Chinese Science Citation Database."""
    from screener.project import is_other_method

    for name in ("Ovid MEDLINE(R) and Epub Ahead of Print, In-Process, In-Data-Review & Other Non-Indexed Citations",
                 "Ovid MEDLINE(R) In-Process & Other Non-Indexed Citations",
                 "Ovid MEDLINE(R) In-Process Citations", "Chinese Science Citation Database"):
        assert not is_other_method(name), name
    assert is_other_method("Citations of the included studies") and is_other_method("citation searching")
    ovid = _ris(tmp_path / "ovid.ris", ["Peer support study one", "Peer support study two"],
                "Ovid MEDLINE(R) and Epub Ahead of Print, In-Process, In-Data-Review & Other Non-Indexed Citations")
    with Project.init(tmp_path / "review") as p:
        p.import_files([ovid])
        c = p.prisma_counts()
    assert (c["identified_databases"], c["identified_other"], c["other_methods_per_source"]) == (2, 0, {})


def test_a_trial_register_counts_apart_from_the_databases_in_prisma(tmp_path):
    """PRISMA 2020 splits 'Records identified from: Databases (n = ) / Registers (n = )'; records from
    ClinicalTrials.gov or the WHO ICTRP were counted among the databases. A register, known by its name
    or listed in the setting 'register_sources', has a count of its own; CENTRAL (Cochrane's register of
    controlled trials, in the Cochrane Library) stays a database, and no count is lost."""
    from screener.project import is_register

    for name in ("ClinicalTrials.gov", "clinicaltrials_gov", "ctg-studies", "WHO ICTRP", "ICTRPResults",
                 "EU Clinical Trials Register", "International Clinical Trials Registry Platform", "ISRCTN registry",
                 "ANZCTR", "ChiCTR", "EudraCT",
                 "Netherlands Trial Register", "Clinical Trials Registry - India", "PROSPERO", "Some trial registry"):
        assert is_register(name), name
    for name in ("MEDLINE", "Embase", "Cochrane Central Register of Controlled Trials", "CENTRAL",
                 "Cochrane Stroke Group Specialised Register", "Hand search", "Cochrane Register of Studies"):
        assert not is_register(name), name
    assert is_register("Local list", {"register_sources": ["local list"]})
    medline = _ris(tmp_path / "medline.ris", ["Peer support study one", "Peer support study two"], "MEDLINE")
    ctg = _ris(tmp_path / "ctg.ris", ["Peer support trial three", "Peer support trial four"], "ClinicalTrials.gov")
    local = _ris(tmp_path / "local.ris", ["Peer support trial five"], "Local list")
    hand = _ris(tmp_path / "hand.ris", ["Peer support study six"], "Hand search")
    with Project.init(tmp_path / "review", settings={"register_sources": ["Local list"]}) as p:
        p.import_files([medline, ctg, local, hand])
        c = p.prisma_counts()
    assert c["identified_per_source"] == {"ClinicalTrials.gov": 2, "Hand search": 1, "Local list": 1, "MEDLINE": 2}
    assert c["databases_per_source"] == {"MEDLINE": 2}
    assert c["registers_per_source"] == {"ClinicalTrials.gov": 2, "Local list": 1}
    assert c["other_methods_per_source"] == {"Hand search": 1}
    assert (c["identified_databases"], c["identified_registers"], c["identified_other"]) == (2, 3, 1)
    assert c["identified"] == 6
    assert (c["database_files"], c["register_files"], c["other_method_files"]) == (1, 2, 1)
    d = tmp_path / "cli"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    res = runner.invoke(app, ["import", str(d), str(medline), str(ctg)], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "Records from databases" in res.output and "Records from registers" in res.output


def test_one_database_named_in_two_spellings_counts_once_in_prisma(tmp_path):
    """A search update imported with '--source Medline' after a first export whose records name
    'MEDLINE' was counted as a second database: 'MEDLINE (n = 2)', 'Medline (n = 1)', and the
    methods text said 'Records were retrieved from 2 databases'. Names that differ only in case or
    spacing are one database, under the spelling first imported."""
    from screener.report import methods_text, prisma_numbers

    with _medline_and_its_update_as_medline_(tmp_path) as p:
        c = p.prisma_counts()
        text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert c["databases_per_source"] == {"MEDLINE": 3}
    assert text.startswith("Records were retrieved from 1 database (2 export files): MEDLINE (3), 3 records in all.")


def test_an_ebscohost_database_named_by_its_edition_on_an_update_counts_once_in_prisma(tmp_path):
    """A CINAHL search exported from EBSCOhost (its records: 'DB  - CINAHL Complete', 'DP  - EBSCOhost') counts as
    'CINAHL'; its update imported as '--source "CINAHL Complete"', the name EBSCOhost shows, was a second
    database: 'CINAHL (n = 2)', 'CINAHL Complete (n = 1)', 'retrieved from 2 databases', and the export wrote both
    names. One database now, under the name first imported, in PRISMA, the methods text and the export."""
    import pandas as pd

    from screener.report import methods_text, prisma_numbers

    def ebsco(path, titles):
        path.write_text("".join(f"TY  - JOUR\nTI  - {t}\nPY  - 2021\nDB  - CINAHL Complete\nDP  - EBSCOhost\n"
                                f"ER  - \n\n" for t in titles), encoding="utf-8")
        return path

    first = ebsco(tmp_path / "cinahl.ris", ["Peer support study one", "Peer support study two"])
    update = ebsco(tmp_path / "update.ris", ["Peer support study three"])
    with Project.init(tmp_path / "review") as p:
        p.import_files([first])
        p.import_files([update], source_db="CINAHL Complete")
        c = p.prisma_counts()
        text = " ".join(methods_text(p, prisma_numbers(p), None))
        p.export(tmp_path / "records.csv")
    assert c["databases_per_source"] == {"CINAHL": 3}
    assert text.startswith("Records were retrieved from 1 database (2 export files): CINAHL (3), 3 records in all.")
    assert pd.read_csv(tmp_path / "records.csv")["source_db"].tolist() == ["CINAHL"] * 3

def test_export_names_each_database_as_the_import_and_prisma_counts_did(tmp_path):
    """The import and the PRISMA counts showed a search update imported with '--source "Medline "' under the
    first export's spelling, 'MEDLINE (n = 3)'; 'screener export' wrote its records' database as 'Medline ' (CSV
    column source_db, RIS DB line), so a count by database in Excel or the reference manager found two."""
    import pandas as pd

    with _medline_and_its_update_as_medline_(tmp_path) as p:
        assert p.prisma_counts()["databases_per_source"] == {"MEDLINE": 3}
        p.export(tmp_path / "records.csv")
        p.export(tmp_path / "records.ris")
    assert pd.read_csv(tmp_path / "records.csv")["source_db"].tolist() == ["MEDLINE"] * 3
    ris = (tmp_path / "records.ris").read_text(encoding="utf-8-sig")
    assert [line for line in ris.splitlines() if line.startswith("DB  -")] == ["DB  - MEDLINE"] * 3


def test_two_imports_of_one_file_at_once_store_its_records_once(tmp_path, toy_review, store_target):
    """Two teammates import the same export at once (on the server, or two terminals on one
    project file): each checked that the file was new before the other stored it, and its records
    were stored twice, doubling the PRISMA count of records identified."""
    import screener.io

    database = store_target if isinstance(store_target, str) else None
    ana = Project.init(tmp_path / "review", database=database)
    ben = Project.open(tmp_path / "review")
    export = toy_review(tmp_path / "search.csv", n=20, n_include=2)
    read = screener.io.read_records

    def read_while_ana_imports(*args, **kwargs):
        got = read(*args, **kwargs)
        screener.io.read_records = read
        ana.import_files([export])  # stored while ben's import was reading the file
        return got

    screener.io.read_records = read_while_ana_imports
    try:
        with pytest.raises(InputError, match="imported into the project by another import while this one"):
            ben.import_files([export])
    finally:
        screener.io.read_records = read
    assert ben.store.n_records() == 20 and len(ben.store.sources_frame()) == 1
    assert ben.prisma_counts()["identified"] == 20
    ana.close()
    ben.close()


def test_counts_and_export_read_while_a_teammate_imports_are_of_one_state(tmp_path, toy_review, store_target):
    """The PRISMA counts (status, dashboard, report) and the export read the records, then their
    duplicate groups, then the decisions. A teammate's import committed between those reads
    (another terminal, another server process) made the counts fail ("the de-duplication results
    do not cover the same records") and the export list the new copies of a study as studies."""
    database = store_target if isinstance(store_target, str) else None
    ana = Project.init(tmp_path / "review", database=database)
    ben = Project.open(tmp_path / "review")
    first = toy_review(tmp_path / "first.csv", n=20, n_include=2)
    ana.import_files([first])
    for k, case in ((1, str.upper), (2, str.lower)):  # copies of the same studies, as another database writes them
        pd.read_csv(first).assign(title=lambda d: d["title"].map(case)).to_csv(tmp_path / f"update{k}.csv",
                                                                                index=False)
    updates = iter([tmp_path / "update1.csv", tmp_path / "update2.csv"])
    before = ben.prisma_counts()
    reads = ben.store.record_sources, ben.store.records_frame

    def read_then_ana_imports(read):
        def wrapped(*args, **kwargs):
            got = read(*args, **kwargs)
            ben.store.record_sources, ben.store.records_frame = reads
            ana.import_files([next(updates)])  # committed between ben's reads
            return got
        return wrapped

    ben.store.record_sources = read_then_ana_imports(ben.store.record_sources)
    assert ben.prisma_counts() == before
    exported = ben.export_frame()
    ben.store.records_frame = read_then_ana_imports(ben.store.records_frame)
    pd.testing.assert_frame_equal(ben.export_frame(), exported)
    counts = ben.prisma_counts()
    assert counts["identified"] == 60 and counts["after_deduplication"] == 20
    ana.close()
    ben.close()


def test_two_exports_of_one_name_from_two_folders_are_not_counted_as_one_database(tmp_path):
    """'export.ris' saved from PubMed and from Embase, records naming no database: PRISMA counted
    them under their file name as one database. Refused, with --source as the way on."""
    from screener.errors import InputError

    (tmp_path / "pubmed").mkdir()
    (tmp_path / "embase").mkdir()
    a, b = tmp_path / "pubmed" / "export.ris", tmp_path / "embase" / "export.ris"
    a.write_text("TY  - JOUR\nTI  - Peer workers in harm reduction services\nPY  - 2020\nER  - \n", encoding="utf-8")
    b.write_text("TY  - JOUR\nTI  - Overdose response by peers in supervised consumption sites\nPY  - 2021\nER  - \n",
                 encoding="utf-8")
    with Project.init(tmp_path / "review") as p:
        with pytest.raises(InputError) as e:
            p.import_files([a, b])
        assert "--source" in str(e.value) and "same database" in str(e.value)
        assert p.store.n_records() == 0
        p.import_files([a])
        with pytest.raises(InputError):
            p.import_files([b])
        assert p.store.n_records() == 1
        p.import_files([b], source_db="Embase")
        assert p.prisma_counts()["identified_per_source"] == {"export": 1, "Embase": 1}


def test_the_other_file_not_imported_is_named_by_its_folder_where_it_shares_the_refused_files_name(tmp_path):
    """'import DIR pubmed/export.ris embase/export.ris', refused as two namesakes, ended 'The other file given
    (export.ris) was not imported either': the name of the refused file too, so which one to import again was not
    said. A file whose name another file given shares is named with its folder."""
    (tmp_path / "pubmed").mkdir()
    (tmp_path / "embase").mkdir()
    a, b = tmp_path / "pubmed" / "export.ris", tmp_path / "embase" / "export.ris"
    a.write_text("TY  - JOUR\nTI  - Peer workers in harm reduction services\nPY  - 2020\nER  - \n", encoding="utf-8")
    b.write_text("TY  - JOUR\nTI  - Overdose response by peers in supervised consumption sites\nPY  - 2021\nER  - \n",
                 encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d).close()
    r = runner.invoke(app, ["import", str(d), str(a), str(b)], env={"COLUMNS": "400"})
    msg = " ".join(r.output.split())
    assert r.exit_code == 1 and "same database" in msg, msg
    assert f"given ({a}) was not imported either" in msg, msg


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_an_exports_full_text_decisions_left_out_of_an_import_are_named(tmp_path, fmt):
    """A review moved by importing its export into a new project: the title/abstract decisions
    came in, the full-text ones were left out without a word (no final includes, no reasons)."""
    from screener.store.base import Decision

    src = tmp_path / "search.ris"
    src.write_text("TY  - JOUR\nTI  - Peer workers in needle exchange\nPY  - 2019\nER  - \n\n"
                   "TY  - JOUR\nTI  - Blood pressure in mice\nPY  - 2018\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        p.decide_many([Decision(1, "include"), Decision(2, "include"), Decision(1, "include", stage="full_text")])
        p.export(tmp_path / f"all.{fmt}")
    with Project.init(tmp_path / "two") as q:
        summary = q.import_files([tmp_path / f"all.{fmt}"])
        assert summary.labels_added == 2
        said = [w for w in summary.warnings if "full-text decision" in w]
        assert said and "1 record" in said[0] and "--stage full_text" in said[0], summary.warnings


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ris"])
def test_an_export_imported_into_a_new_project_keeps_the_notes_and_reasons_of_its_decisions(tmp_path, fmt):
    """A review's export imported into a new project (a review update starting from the last
    one): its decisions came in, but their notes and reasons were dropped without a word, and the
    new project's export had empty 'decision_note' and 'decision_reason' columns. They are kept
    with the decisions they were written beside."""
    csv = tmp_path / "search.csv"
    csv.write_text("Title,Year,DOI\nPeer workers in harm reduction services,2019,10.5555/a\n"
                   "Sleep hygiene in students,2020,10.5555/b\nPeer support in prisons,2018,10.5555/c\n"
                   "Naloxone kits from peers,2021,10.5555/d\n", encoding="utf-8")
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv])
        p.decide(1, "include", reviewer="ana", note="peer workers, clearly in")
        p.decide(2, "exclude", reviewer="ana", note="students only", reason="wrong population")
        p.decide(3, "maybe", reviewer="ana")
        p.export(tmp_path / f"review.{fmt}")
        before = p.export_frame()[["title", "decision", "decision_note", "decision_reason"]]
    with Project.init(tmp_path / "update") as q:
        q.import_files([tmp_path / f"review.{fmt}"])
        after = q.export_frame()[["title", "decision", "decision_note", "decision_reason"]]
    assert after.reset_index(drop=True).equals(before.reset_index(drop=True)), after
    assert after["decision_note"].tolist()[:3] == ["peer workers, clearly in", "students only", ""]


def test_a_pattern_that_matches_no_file_is_named_as_such_and_nothing_is_imported(tmp_path, shared_dir):
    """The README's `import peer-work exports/*.ris exports/*.txt exports/*.xml` with RIS exports
    only: the shell passes `exports/*.txt` on as written, and import said "file not found. Check
    the path and name." of a name the reviewer never typed as a file."""
    exports = tmp_path / "exports"
    exports.mkdir()
    medline = shared_dir / "fixtures" / "msm_syndemic_search" / "medline.ris"
    (exports / "medline.ris").write_bytes(medline.read_bytes())
    p = Project.init(tmp_path / "peer-work")
    r = runner.invoke(app, ["import", str(p.dir), str(exports / "medline.ris"), str(exports / "*.txt")])
    out = " ".join(r.output.split())
    assert r.exit_code == 1
    assert "no file matches" in out and "*.txt" in out and "leave the pattern out" in out
    assert "Nothing was imported" in out
    assert p.records_frame().empty


def test_every_pattern_that_matches_no_file_is_named_at_once(tmp_path):
    """The README's `import peer-work exports/*.ris exports/*.txt exports/*.xml` with RIS exports only:
    import named '*.txt' as matching nothing and listed '*.xml' among "the other files given ... import
    them again": the reviewer who did so was refused a second time."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "medline.ris").write_text("TY  - JOUR\nTI  - Peer workers in harm reduction\nPY  - 2020\nER  - \n")
    p = Project.init(tmp_path / "peer-work")
    r = runner.invoke(app, ["import", str(p.dir), str(exports / "medline.ris"), str(exports / "*.txt"),
                            str(exports / "*.xml")])
    out = " ".join(r.output.split())
    assert r.exit_code == 1
    assert "no file matches the patterns '*.txt' and '*.xml'" in out and "leave the patterns out" in out
    assert "given (medline.ris) was not imported either" in out
    assert p.records_frame().empty


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ris"])
def test_a_study_merged_by_hand_stays_one_study_when_its_export_with_duplicates_is_imported(tmp_path, fmt):
    """A review moved to a new project with 'export --with-duplicates': a conference abstract the
    team merged by hand with its article (same title, other journal, so de-duplication keeps the two
    apart) came in as two studies, each carrying the study's include, so the new project's PRISMA
    counted two title/abstract includes where the team made one. The export's duplicate groups
    ('duplicate_group') are kept: the copies of one exported study stay one study, said in a note."""
    from screener.store.base import Decision

    src = tmp_path / "search.csv"
    src.write_text(
        "Title,Authors,Year,Journal,DOI\n"
        "Syndemic conditions and HIV risk among men who have sex with men in Tijuana,\"Semple, S; Patterson, T\","
        "2017,Archives of Sexual Behavior,\n"
        "Syndemic conditions and HIV risk among men who have sex with men in Tijuana,\"Semple, S\",2017,"
        "AIDS 2016 Conference Abstracts,\n"
        "Peer navigation for HIV care among young men in Lima,\"Lopez, A; Cruz, M\",2019,AIDS and Behavior,"
        "10.1007/s10461-019-0001\n"
        "Peer navigation for HIV care among young men in Lima,\"Lopez, A\",2019,AIDS and Behavior,"
        "10.1007/s10461-019-0001\n"
        "Blood pressure in older adults,\"Kim, H\",2018,Hypertension,10.1161/hyp.2018.5\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        assert p.prisma_counts()["after_deduplication"] == 4  # the abstract and its article kept apart
        p.decide_duplicates(1, 2, "merge", reviewer="ana")
        p.decide_many([Decision(1, "include", reviewer="ana"), Decision(3, "exclude", reviewer="ana"),
                       Decision(5, "exclude", reviewer="ana")])
        before = {k: p.prisma_counts()[k] for k in ("after_deduplication", "screened", "included", "excluded")}
        assert before == {"after_deduplication": 3, "screened": 3, "included": 1, "excluded": 2}
        p.export(tmp_path / f"review.{fmt}", include_duplicates=True)
    with Project.init(tmp_path / "two") as q:
        summary = q.import_files([tmp_path / f"review.{fmt}"])
        after = {k: q.prisma_counts()[k] for k in ("after_deduplication", "screened", "included", "excluded")}
        assert after == before, after
        assert len(q.export_frame(only="included")) == 1
        said = " ".join(summary.warnings)
        assert "held records 1 and 2 each as one study" in said and "decision counts once" in said, summary.warnings


@pytest.mark.parametrize("fmt,with_duplicates", [("csv", False), ("csv", True), ("ris", False), ("xlsx", True)])
def test_a_record_split_off_a_study_stays_apart_when_its_export_is_imported(tmp_path, fmt, with_duplicates):
    """A record the team took out of a wrong duplicate group (two trials sharing a DOI by a
    publisher's error), not screened yet, with the study it was taken from excluded: imported into
    a new project, de-duplication joined the two again and the record counted as screened and
    excluded without anyone having read it (PRISMA: one study fewer to screen, none said). Studies
    the export held apart with different decisions stay apart, each with its own, and are named."""
    from screener.store.base import Decision

    src = tmp_path / "search.csv"
    src.write_text(
        "Title,Authors,Year,Journal,DOI\n"
        "Peer navigation for HIV care among young men in Lima,\"Lopez, A; Cruz, M\",2019,AIDS and Behavior,"
        "10.1007/s10461-019-0001\n"
        "Peer navigation for HIV care among young men in Lima,\"Lopez, A; Cruz, M\",2019,AIDS and Behavior,"
        "10.1007/s10461-019-0001\n"
        "Blood pressure in older adults,\"Kim, H\",2018,Hypertension,10.1161/hyp.2018.5\n"
        "Sleep hygiene in students,\"Park, J\",2020,Sleep,10.5555/sleep.1\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        p.split_duplicates([2], reviewer="ana")
        p.decide_many([Decision(1, "exclude", reviewer="ana"), Decision(3, "exclude", reviewer="ana")])
        keys = ("after_deduplication", "screened", "excluded", "not_screened")
        before = {k: p.prisma_counts()[k] for k in keys}
        assert before == {"after_deduplication": 4, "screened": 2, "excluded": 2, "not_screened": 2}
        p.export(tmp_path / f"review.{fmt}", include_duplicates=with_duplicates)
    with Project.init(tmp_path / "two") as q:
        summary = q.import_files([tmp_path / f"review.{fmt}"])
        after = {k: q.prisma_counts()[k] for k in keys}
        assert after == before, (after, summary.warnings)
        assert len(q.export_frame(only="unscreened")) == 2
        said = " ".join(summary.warnings)
        assert "records 1 (exclude) and 2 (not screened)" in said and "kept apart" in said, summary.warnings
        assert "one study (duplicates) with different decisions" not in said


def test_an_import_note_names_its_file_once(tmp_path):
    """The project put the file's name before each reader's note, most of which start with it already:
    'all.csv: all.csv: decisions read from ...' in a notebook (the terminal cut it, the API did not)."""
    f = tmp_path / "all.csv"
    f.write_text("title,abstract,year,included\nA study of peer work,Peer workers,2019,1\n"
                 "Another study,Other words,2020,0\n", encoding="utf-8")
    with Project.init(tmp_path / "r") as p:
        notes = p.import_files([f]).warnings
    assert any(n.startswith("all.csv: decisions read from the column 'included'") for n in notes)
    assert not any(n.startswith("all.csv: all.csv:") for n in notes)


def test_a_web_of_science_search_exported_in_two_tab_delimited_files_counts_as_one_database(tmp_path):
    """Web of Science exports at most 1,000 records a file, so a search comes as 'savedrecs.txt' and
    'savedrecs(1).txt'; exported as tab-delimited files, they counted in PRISMA as two databases named
    after the files ('savedrecs (n = 2)', 'savedrecs(1) (n = 1)', 'retrieved from 2 databases')."""
    from screener.report import methods_text, prisma_numbers

    head = "\ufeffPT\tAU\tTI\tSO\tAB\tDI\tPY\tUT\r\n"
    rows = [("Syndemics among MSM in Kenya", "10.1080/0954.1"), ("Stigma and PrEP uptake", "10.1007/s10461.2"),
            ("Alcohol use and HIV testing", "10.1071/SH3")]
    for name, part in (("savedrecs.txt", rows[:2]), ("savedrecs(1).txt", rows[2:])):
        (tmp_path / name).write_text(head + "".join(
            f"J\tSmith, J\t{t}\tAIDS CARE\tAn abstract on {t}.\t{d}\t2021\tWOS:00061234560000{i}\r\n"
            for i, (t, d) in enumerate(part, len(name))), encoding="utf-8")
    with Project.init(tmp_path / "review") as p:
        p.import_files([tmp_path / "savedrecs.txt", tmp_path / "savedrecs(1).txt"])
        c = p.prisma_counts()
        text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert c["databases_per_source"] == {"Web of Science": 3}
    assert text.startswith("Records were retrieved from 1 database (2 export files): Web of Science (3)"), text


def test_a_second_download_of_an_imported_export_is_refused_though_its_bytes_differ(tmp_path, shared_dir):
    """The same search exported twice ('cochrane.ris', then 'cochrane (1).ris', saved again on Windows
    with CRLF line ends) passed the check for a file imported before, which compares bytes: its 15
    records came in a second time and PRISMA read 'Cochrane CENTRAL (Ovid) 30', 'Duplicates removed 16'
    for a search that found 15 records. A file holding the same records as one imported before (or as
    another file of the same import) is now refused, naming that file, nothing stored; --allow-reimport
    still imports it."""
    src = shared_dir / "fixtures" / "msm_syndemic_search" / "cochrane.ris"
    again = tmp_path / "cochrane (1).ris"
    again.write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
    with Project.init(tmp_path / "review") as p:
        p.import_files([src])
        with pytest.raises(InputError) as e:
            p.import_files([again])
        msg = str(e.value)
        assert "cochrane (1).ris" in msg and "same 15 records" in msg and "cochrane.ris" in msg, msg
        assert "PRISMA" in msg and "--allow-reimport" in msg
        assert p.store.n_records() == 15 and len(p.store.sources_frame()) == 1  # as it was
        assert p.prisma_counts()["identified"] == 15
    with Project.init(tmp_path / "other") as q:  # both downloads given to one import
        with pytest.raises(InputError, match="same 15 records"):
            q.import_files([src, again])
        assert q.store.n_records() == 0
        q.import_files([src, again], allow_reimport=True)
        assert q.store.n_records() == 30
    hand = shared_dir / "fixtures" / "msm_syndemic_search" / "handsearch.ris"  # its record names no database
    with Project.init(tmp_path / "third") as r:
        (tmp_path / "handsearch (1).ris").write_bytes(hand.read_bytes() + b"\n")
        with pytest.raises(InputError, match="same 1 record as handsearch.ris"):
            r.import_files([hand, tmp_path / "handsearch (1).ris"])


def test_a_second_download_is_known_by_its_records_though_an_earlier_import_kept_a_repeated_author_once():
    """An import kept one of two co-authors of one name ('Wang, Y') and now keeps both: a second download of an
    export a project imported before would not have been known by its records, and would have counted twice in
    PRISMA. Its authors are compared each once."""
    from screener.project import _record_key

    rec = {"title": "Two Wangs", "authors": ["Wang, Y", "Wang, Y", "Li, M"], "year": 2020, "source_db": "Embase"}
    before = dict(rec, authors=["Wang, Y", "Li, M"])
    assert _record_key(rec, "embase (1).ris") == _record_key(before, "embase.ris")
    assert _record_key(rec, "embase.ris") != _record_key(dict(rec, authors=["Li, M", "Wang, Y"]), "embase.ris")


def test_importing_a_rayyan_export_says_its_decisions_are_read_by_label(tmp_path):
    """A team moving from Rayyan imported its articles.csv: the table said 'Labels 0' and nothing
    more, though the reviewers' decisions were in its notes (RAYYAN-INCLUSION), read only by 'label'.
    The import now says how many records hold them and the command that reads them; a file whose
    notes are the reviewers' own text says nothing of the kind, and its notes are kept."""
    rows = [{"key": "rayyan-1", "title": "Peer workers in harm reduction", "year": 2019, "abstract": "Interviews.",
             "notes": 'RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Excluded"} | RAYYAN-LABELS: peer work'},
            {"key": "rayyan-2", "title": "Methadone dosing", "year": 2018, "abstract": "A cohort.",
             "notes": 'RAYYAN-INCLUSION: {"Alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: wrong population'},
            {"key": "rayyan-3", "title": "Needle exchange", "year": 2020, "abstract": "A trial.", "notes": ""}]
    f = tmp_path / "articles.csv"
    pd.DataFrame(rows).to_csv(f, index=False)
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "2 records of this Rayyan export hold the reviewers' decisions" in out, out
    assert f"screener label {d} {f}" in out
    with Project.open(d) as p:
        assert p.decision_log().empty
    r = runner.invoke(app, ["label", str(d), str(f)])
    assert r.exit_code == 0 and "Saved 3 decisions" in " ".join(r.output.split()), r.output
    plain = tmp_path / "mine.csv"
    pd.DataFrame([{**rows[2], "notes": "Plain note from the librarian"}]).to_csv(plain, index=False)
    other = tmp_path / "other"
    assert runner.invoke(app, ["init", str(other)]).exit_code == 0
    r = runner.invoke(app, ["import", str(other), str(plain)])
    assert r.exit_code == 0 and "Rayyan" not in r.output, r.output
    with Project.open(other) as p:
        assert p.store.records_frame(with_raw=True)["raw"].iloc[0]["notes"] == "Plain note from the librarian"


def test_a_second_download_of_an_export_imported_with_source_is_refused_either_way(tmp_path, shared_dir):
    """A handsearch export naming no database, imported with --source Handsearch (so that PRISMA names
    it), then downloaded again and imported without --source ('handsearch (1).ris', saved with CRLF
    line ends): the check for the same records compared the database its records name, 'Handsearch'
    for the stored copy and the file's name for the new one, so it passed and PRISMA read 2 records
    identified and 1 duplicate removed for a search that found 1. The file's name, less its download
    mark, now tells the same export too, with or without --source."""
    src = shared_dir / "fixtures" / "msm_syndemic_search" / "handsearch.ris"
    again = tmp_path / "handsearch (1).ris"
    again.write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
    with Project.init(tmp_path / "review") as p:
        p.import_files([src], source_db="Handsearch")
        with pytest.raises(InputError, match="same 1 record as handsearch.ris"):
            p.import_files([again])
        assert p.prisma_counts()["identified"] == 1
    with Project.init(tmp_path / "other") as q:  # the other way round: first without --source, then with it
        q.import_files([src])
        with pytest.raises(InputError, match="same 1 record as handsearch.ris"):
            q.import_files([again], source_db="Handsearch")
        assert q.prisma_counts()["identified"] == 1
    with Project.init(tmp_path / "two") as r:  # two databases' files of one name stem stay two
        medline = tmp_path / "medline.ris"
        medline.write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
        r.import_files([src])
        r.import_files([medline])
        assert r.prisma_counts()["identified"] == 2


def test_importing_a_spreadsheet_names_the_columns_it_did_not_read(tmp_path):
    """A reviewer imported their spreadsheet, whose 'Source' holds the journals and 'Comments' their notes:
    the import said nothing, the journals came in empty and the comments were nowhere to be seen. It now
    names both under the table of files, with the --column that reads the journal; the decisions column is
    read, as before, and not named."""
    f = tmp_path / "my_records.csv"
    f.write_text("Title,Abstract,Year,Source,Comments,included\n"
                 "Peer workers in harm reduction,Interviews with peer workers.,2019,Addiction,ask Sam,1\n"
                 "Methadone dosing,A cohort.,2018,Drug and Alcohol Dependence,,0\n", encoding="utf-8")
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "Note: my_records.csv: 2 columns not read ('Source', 'Comments')" in out, out
    assert "--column journal=Source" in out and "'included'" not in out.split("not read")[1], out
    with Project.open(d) as p:
        assert len(p.decision_log()) == 2  # the decisions came in, as before
        assert p.records_frame()["journal"].isna().all()


def test_an_import_note_quoting_square_brackets_prints_them(tmp_path):
    """The notes under the import's table were printed as markup: a column 'Comments [JS]' (a reviewer's
    initials) was named 'Comments ', and a cell or column holding '[/]' stopped the command with a markup
    error after the records were stored. The notes are printed as written."""
    f = tmp_path / "team.csv"
    f.write_text("Title,Abstract,Comments [JS],Score [/]\n"
                 "Peer workers in harm reduction,Interviews.,ask Sam,2\nMethadone dosing,A cohort.,,1\n",
                 encoding="utf-8")
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(f)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "('Comments [JS]', 'Score [/]')" in out, out


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_an_export_imported_keeps_the_rest_excluded_unread_unscreened(tmp_path, toy_review, fmt):
    """A review moved to a new project through its export: the 40 records excluded unread at the stop came in
    as 40 screened excludes (records screened 60 of 60, 'Every record has been screened'). They stay excluded
    unscreened, and the import says so; the records read keep their decisions as screened."""
    from screener.status import recall_status, screening_counts
    from screener.store import Decision

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "one") as p:
        p.import_files([csv])
        p.decide_many([Decision(i, "include" if i == 1 else "exclude") for i in range(1, 21)])
        rest = tmp_path / "rest.csv"
        p.export(rest, only="unscreened")
        r = CliRunner().invoke(app, ["label", str(p.dir), str(rest), "--decision", "exclude"])
        assert r.exit_code == 0, r.output
        assert screening_counts(p).excluded_unscreened == 40
        p.export(tmp_path / f"review.{fmt}")
    with Project.init(tmp_path / "two") as q:
        summary = q.import_files([tmp_path / f"review.{fmt}"])
        said = " ".join(" ".join(summary.warnings).split())
        assert "40 records of this file were excluded unread" in said, said
        c = screening_counts(q)
        assert (c.screened, c.excluded_unscreened, c.left) == (20, 40, 0)
        assert q.prisma_counts()["screened"] == 20 and q.prisma_counts()["excluded_unscreened"] == 40
        assert not recall_status(q)["advice"].message.startswith("Every record has been screened")


def _scholar_files(folder, n, start=0, stem="scholar"):
    """Google Scholar's 'Import into EndNote': one .enw file a paper, 'scholar.enw', 'scholar (1).enw', ...
    (``stem``: the same downloads renamed, so nothing names Google Scholar)."""
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = folder / (f"{stem}.enw" if i == 0 else f"{stem} ({i}).enw")
        path.write_text(f"%0 Journal Article\n%T Peer support study number {i} in harm reduction services\n"
                        f"%A Author{i}, J\n%D {2000 + i}\n%J Journal {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_google_scholar_files_one_a_paper_count_as_one_source_in_prisma(tmp_path):
    """Google Scholar gives one .enw file a paper: 12 papers imported at once counted as 12 sources in
    PRISMA ('scholar 1', 'scholar (1) 1', ...) and the methods text read 'retrieved from 12 databases'.
    Files of one folder named as downloads of one file count as one source, under their shared name; one
    more imported later joins them; the import's notes say how they were counted."""
    from screener.report import methods_text, prisma_numbers

    files = _scholar_files(tmp_path / "downloads", 12)
    with Project.init(tmp_path / "review") as p:
        p.import_files(files)  # Google Scholar's own names: counted under its name
        assert p.prisma_counts()["identified_per_source"] == {"Google Scholar": 12}
        p.import_files(_scholar_files(tmp_path / "downloads", 1, start=12))
        assert p.prisma_counts()["identified_per_source"] == {"Google Scholar": 13}
        text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert text.startswith("All 13 records were identified by methods other than a database search: Google "
                           "Scholar (13)."), text
    files = _scholar_files(tmp_path / "renamed", 12, stem="mylib")  # renamed: under their shared name, said
    with Project.init(tmp_path / "review2") as p:
        summary = p.import_files(files)
        assert p.prisma_counts()["identified_per_source"] == {"mylib": 12}
        note = " ".join(summary.warnings)
        assert "12 files" in note and "one source" in note and "'mylib'" in note and "--source" in note, note
        p.import_files(_scholar_files(tmp_path / "renamed", 1, start=12, stem="mylib"))
        assert p.prisma_counts()["identified_per_source"] == {"mylib": 13}
        text = " ".join(methods_text(p, prisma_numbers(p), None))
    assert text.startswith("Records were retrieved from 1 database (13 export files)"), text


def test_scholar_files_given_a_source_name_count_under_it_and_the_import_says_so(tmp_path):
    files = _scholar_files(tmp_path / "downloads", 3)
    with Project.init(tmp_path / "review") as p:
        summary = p.import_files(files, source_db="Google Scholar")
        assert p.prisma_counts()["identified_per_source"] == {"Google Scholar": 3}
        assert any("3 files" in w and "'Google Scholar'" in w for w in summary.warnings), summary.warnings
        p.import_files(_scholar_files(tmp_path / "downloads", 1, start=3))  # a later one joins its series
        assert p.prisma_counts()["identified_per_source"] == {"Google Scholar": 4}


def test_files_whose_records_name_their_database_get_no_note_on_downloads_of_one_file(tmp_path):
    """Two exports whose records name their database ('DB  - MEDLINE') count under it, as before; the note on
    files named as downloads of one file whose records name no database is not said of them."""
    a, b = tmp_path / "pubmed.ris", tmp_path / "pubmed (1).ris"
    a.write_text("TY  - JOUR\nTI  - Peer workers in harm reduction services\nPY  - 2020\nDB  - MEDLINE\nER  - \n",
                 encoding="utf-8")
    b.write_text("TY  - JOUR\nTI  - Overdose response by peers in supervised sites\nPY  - 2021\nDB  - MEDLINE\n"
                 "ER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "review") as p:
        summary = p.import_files([a, b])
        assert p.prisma_counts()["identified_per_source"] == {"MEDLINE": 2}
    assert not any("name no database" in w for w in summary.warnings), summary.warnings


def test_an_ris_export_whose_endnote_label_was_changed_is_refused_on_import(tmp_path, toy_review):
    """A review moved to a new project through EndNote: a reviewer changed a record's Label (LB) from include
    to exclude there and imported the file. The import read the decision from the untouched note and saved
    'include' without a word: the change was lost. The file is refused, naming the record; nothing is stored."""
    csv = toy_review(tmp_path / "toy.csv", n=10, n_include=2)
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    with Project.init(tmp_path / "one") as p:
        p.import_files([csv])
        (tmp_path / "ta.csv").write_text("record_id,decision\n1,include\n2,include\n")
        r = CliRunner().invoke(app, ["label", str(p.dir), str(tmp_path / "ta.csv")])
        assert r.exit_code == 0, r.output
        p.export(tmp_path / "all.ris")
    text = (tmp_path / "all.ris").read_text(encoding="utf-8-sig")
    edited = tmp_path / "edited.ris"
    edited.write_text(text.replace("LB  - include", "LB  - exclude", 1), encoding="utf-8")
    with Project.init(tmp_path / "two") as q:
        with pytest.raises(InputError) as err:
            q.import_files([edited])
        said = " ".join(str(err.value).split())
        assert "record 1" in said and "Label" in said and "exclude" in said and "Nothing was imported" in said, said
        assert q.store.n_records() == 0 and q.decision_log().empty
        q.import_files([tmp_path / "all.ris"])  # as exported: read as before
        assert q.current_decisions()["decision"].to_dict() == {1: "include", 2: "include"}


def test_a_covidence_export_counts_in_prisma_as_a_covidence_export_not_a_bare_file_name(tmp_path):
    """A Covidence export names no database (its records were de-duplicated there from several):
    PRISMA's identification counted them under the file's name, 'cov', read as a database of that
    name. They count as 'Covidence export (cov)'; a second download of it counts with it, and a
    table that names its database, or is no Covidence export, counts as before."""
    cov = tmp_path / "cov.csv"
    cov.write_text("Title,Authors,Abstract,Published Year,Journal,DOI,Covidence #\n"
                   "Peer support in harm reduction,Smith J,We interviewed workers.,2020,J Harm,10.1/a,#1\n"
                   "Naloxone by peers,Doe K,A trial of naloxone.,2021,J Harm,10.1/b,#2\n")
    again = tmp_path / "cov (1).csv"
    again.write_text("Title,Authors,Abstract,Published Year,Journal,DOI,Covidence #\n"
                     "Outreach workers and needle exchange,Lee M,A survey.,2019,J Harm,10.1/c,#3\n")
    named = tmp_path / "team.csv"
    named.write_text("Title,Abstract,Published Year,Covidence #,Database\n"
                     "Housing first and peers,A cohort.,2018,#4,Embase\n")
    plain = tmp_path / "mylist.csv"
    plain.write_text("Title,Abstract,Year\nSupervised injection sites,A review.,2017\n")
    with Project.init(tmp_path / "review") as p:
        p.import_files([cov, named, plain])
        p.import_files([again])
        c = p.prisma_counts()
    assert c["identified_per_source"] == {"Covidence export (cov)": 3, "Embase": 1, "mylist": 1}, c
    other = tmp_path / "other"
    other.mkdir()
    (other / "cov.csv").write_text("Title,Abstract,Published Year,Covidence #\n"
                                   "Community health workers,A trial.,2016,#9\n")
    with Project.open(tmp_path / "review") as p, pytest.raises(InputError, match="same database as"):
        p.import_files([other / "cov.csv"])  # another review's export of that name: not counted as one with it


def test_search_imported_again_with_excludes_on_the_records_left_is_no_screening(tmp_path, toy_review):
    """The same search imported again mid-review from a tool that writes 0 for every record not included: its
    copies join the studies still to screen, and its excludes on them were read as screening. Status said
    'Every record has been screened: nothing is left to find' with 29 of 37 includes found (meijboom_2021,
    150 screened). They count as excluded unscreened at the stop, as 'label' counts such a file."""
    from screener.status import recall_status, screening_counts

    src = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    truth = pd.read_csv(src)
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    first = tmp_path / "search.csv"
    truth.drop(columns=["label_included"]).to_csv(first, index=False)
    assert runner.invoke(app, ["import", str(d), str(first)]).exit_code == 0
    with Project.open(d) as p:
        rec = p.records_frame()
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "20", "--embedding-model", "none", "-o", str(batch)])
    assert r.exit_code == 0, r.output
    b = pd.read_csv(batch)
    inc = set(rec.index[rec["doi"].isin(truth.loc[truth["label_included"] == 1, "doi"])])
    b["decision"] = ["include" if i in inc else "exclude" for i in b["record_id"]]
    b.to_csv(batch, index=False)
    assert runner.invoke(app, ["label", str(d), str(batch)]).exit_code == 0
    screened = set(rec.loc[b["record_id"], "doi"])
    again = truth.copy()
    again["title"] = again["title"] + "."  # another tool's copy of the same records
    again["label_included"] = [lab if doi in screened else 0 for doi, lab in zip(again["doi"], again["label_included"])]
    other = tmp_path / "other_tool.csv"
    again.to_csv(other, index=False)
    r = runner.invoke(app, ["import", str(d), str(other)])
    assert r.exit_code == 0, r.output
    assert "excluded without screening" in " ".join(r.output.split()) and "--all-read" in r.output
    with Project.open(d) as p:
        counts = screening_counts(p)
        st = recall_status(p)
    assert counts.screened == 20 and counts.excluded_unscreened == 40
    assert "Every record has been screened" not in st["advice"].message
    assert st["n_screened"] == 20
    # a reviewer who read them says so, as the note asks
    r = runner.invoke(app, ["label", str(d), str(other), "--all-read"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert screening_counts(p).screened == 60


def test_another_database_with_excludes_on_some_records_left_counts_them_screened(tmp_path, toy_review):
    """A second export screened elsewhere, its copies joining half the records left, each excluded: decisions read
    there, counted as screened (only a file excluding every record left, or all but a few, is the rest)."""
    from screener.status import screening_counts

    src = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    truth = pd.read_csv(src)
    d = tmp_path / "review"
    first = tmp_path / "search.csv"
    truth.drop(columns=["label_included"]).to_csv(first, index=False)
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(first)]).exit_code == 0
    with Project.open(d) as p:
        p.decide(1, "include")
        p.decide(2, "exclude")
    other = truth.iloc[10:40].copy()
    other["title"] = other["title"] + "."
    other["label_included"] = 0
    path = tmp_path / "other_database.csv"
    other.to_csv(path, index=False)
    r = runner.invoke(app, ["import", str(d), str(path)])
    assert r.exit_code == 0, r.output
    assert "excluded without screening" not in " ".join(r.output.split())
    with Project.open(d) as p:
        counts = screening_counts(p)
    assert counts.screened == 32 and counts.excluded_unscreened == 0


def test_search_imported_again_in_dual_screening_with_excludes_on_the_records_left_is_no_screening(tmp_path,
                                                                                                   toy_review):
    """Dual screening, the same search imported again from a tool writing 0 for every record not included: its
    excludes on the records no one on the team had screened counted as screened (the team's settled decisions),
    880 screened with 730 of them from the import. Records one reviewer screened looked left to the single rule;
    those nobody screened are excluded unscreened at the stop, as in single screening."""
    from screener.status import screening_counts

    src = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    truth = pd.read_csv(src)
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d), "--mode", "dual"]).exit_code == 0
    first = tmp_path / "search.csv"
    truth.drop(columns=["label_included"]).to_csv(first, index=False)
    assert runner.invoke(app, ["import", str(d), str(first)]).exit_code == 0
    with Project.open(d) as p:
        rec = p.records_frame()
    inc = set(rec.index[rec["doi"].isin(truth.loc[truth["label_included"] == 1, "doi"])])
    with Project.open(d) as p:
        for rid in rec.index[:20]:  # both read the first 20; ann alone 5 more
            for who in ("ann", "bob"):
                p.decide(int(rid), "include" if rid in inc else "exclude", reviewer=who)
        for rid in rec.index[20:25]:
            p.decide(int(rid), "include" if rid in inc else "exclude", reviewer="ann")
    screened = set(rec.loc[rec.index[:25], "doi"])
    again = truth.copy()
    again["title"] = again["title"] + "."  # another tool's copy of the same records
    again["label_included"] = [lab if doi in screened else 0 for doi, lab in zip(again["doi"], again["label_included"])]
    other = tmp_path / "other_tool.csv"
    again.to_csv(other, index=False)
    r = runner.invoke(app, ["import", str(d), str(other)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "excluded without screening" in out and "--all-read --reviewer NAME" in out
    with Project.open(d) as p:
        counts = screening_counts(p)
    assert counts.excluded_unscreened == 35
    assert counts.screened == 25
    for who in ("ann", "bob"):  # both reviewers read them, as the note asks
        r = runner.invoke(app, ["label", str(d), str(other), "--all-read", "--reviewer", who])
        assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert screening_counts(p).screened == 60


def _the_first_50_of_80(tmp_path, toy_review, *init):
    """A project (``init``: 'screener init' options) of the first 50 of the toy review's 80 records, their labels left
    out: (the toy review with its labels, the project's folder)."""
    truth = pd.read_csv(toy_review(tmp_path / "toy.csv", n=80, n_include=8))
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d), *init]).exit_code == 0
    first = tmp_path / "search.csv"
    truth.iloc[:50].drop(columns=["label_included"]).to_csv(first, index=False)
    assert runner.invoke(app, ["import", str(d), str(first)]).exit_code == 0
    return truth, d


def _an_update_of_the_last_30_all_excludes(tmp_path, truth, d):
    """The toy review's last 30 records imported into ``d`` as a search update from a tool that writes 0 for every
    record not included (includes among them, never read): (update.csv, the import's result)."""
    update = truth.iloc[50:].copy()
    assert update["label_included"].sum() > 0  # includes among them, never read
    update["label_included"] = 0
    path = tmp_path / "update.csv"
    update.to_csv(path, index=False)
    return path, runner.invoke(app, ["import", str(d), str(path)])


def test_search_update_with_an_exclude_on_every_new_record_says_they_count_as_screened(tmp_path, toy_review):
    """A search update from a tool that writes 0 for every record not included: its excludes on the new records
    counted as screened with nothing said, and status said 'Every record has been screened' with includes among
    them never read (cd010023 stopped at recall 75%). They may be real excludes, so they stay screened, but the
    import and the stop advice say so, naming the command for a team that never read them."""
    from screener.status import recall_status, screening_counts

    truth, d = _the_first_50_of_80(tmp_path, toy_review)
    with Project.open(d) as p:
        rec = p.records_frame()
        inc = set(rec.index[rec["doi"].isin(truth.loc[truth["label_included"] == 1, "doi"])])
        for rid in rec.index:
            p.decide(int(rid), "include" if rid in inc else "exclude")
    path, r = _an_update_of_the_last_30_all_excludes(tmp_path, truth, d)
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "30 new records came with an exclude" in said and "count as screened" in said
    assert f"screener label {d} {path} --decision exclude" in said
    with Project.open(d) as p:
        st = recall_status(p)
        assert screening_counts(p).screened == 80  # kept as the file gave them
    message = " ".join(st["advice"].message.split())
    assert st["advice"].stop and "30 of the 80 records counted as screened are excludes brought in by update.csv" \
        in message and "--decision exclude" in message
    r = runner.invoke(app, ["label", str(d), str(path), "--decision", "exclude"])  # the command named: no one read them
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        counts = screening_counts(p)
        st = recall_status(p)
    assert counts.screened == 50 and counts.excluded_unscreened == 30
    assert "brought in by update.csv" not in st["advice"].message


def test_search_update_read_in_another_tool_with_an_include_is_not_named_at_the_stop(tmp_path, toy_review):
    """An update screened elsewhere, its include with it: no note on its excludes."""
    truth, d = _the_first_50_of_80(tmp_path, toy_review)
    with Project.open(d) as p:
        p.decide(1, "include")
    path = tmp_path / "update.csv"
    truth.iloc[50:].to_csv(path, index=False)
    r = runner.invoke(app, ["import", str(d), str(path)])
    assert r.exit_code == 0, r.output
    assert "came with an exclude" not in r.output


def test_dual_screening_search_update_with_an_exclude_on_every_new_record_has_an_undo(tmp_path, toy_review):
    """Dual screening, a search update from a tool that writes 0 for every record not included: its excludes on the
    new records counted as the team's settled decisions, screened, with no word of it and no undo ('label
    --decision exclude' left them screened). The import names the command, each reviewer's, and once run the stop's
    counts are what they were before the update, its records excluded unscreened (PRISMA: not screened)."""
    from screener.status import recall_status, screening_counts

    truth, d = _the_first_50_of_80(tmp_path, toy_review, "--mode", "dual")
    with Project.open(d) as p:
        rec = p.records_frame()
        inc = set(rec.index[rec["doi"].isin(truth.loc[truth["label_included"] == 1, "doi"])])
        for rid in rec.index:
            for who in ("ann", "bob"):
                p.decide(int(rid), "include" if rid in inc else "exclude", reviewer=who)
        before = screening_counts(p)
    path, r = _an_update_of_the_last_30_all_excludes(tmp_path, truth, d)
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "30 new records came with an exclude" in said
    assert f"screener label {d} {path} --decision exclude --reviewer NAME" in said
    with Project.open(d) as p:
        assert screening_counts(p).screened == 80  # kept as the file gave them
        message = " ".join(recall_status(p)["advice"].message.split())
    assert "30 of the 80 records counted as screened are excludes brought in by update.csv" in message
    assert "--decision exclude --reviewer NAME" in message
    r = runner.invoke(app, ["label", str(d), str(path), "--decision", "exclude", "--reviewer", "ann"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        after = screening_counts(p)
    assert (after.screened, after.included, after.maybe, after.excluded) == \
        (before.screened, before.included, before.maybe, before.excluded)
    assert after.excluded_unscreened == 30 and after.records == 80
    for who in ("ann", "bob"):  # both read them after all, and say so: screened
        r = runner.invoke(app, ["label", str(d), str(path), "--all-read", "--reviewer", who])
        assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        assert screening_counts(p).screened == 80


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "ris"])
def test_a_register_entry_exported_and_imported_into_a_new_project_keeps_its_trial_id(tmp_path, fmt):
    """A review moved to a new project through its export: a WHO ICTRP entry came back with screener's record
    number as its id in place of its trial id (ChiCTR2000012345), and from RIS (its register gave no link) typed as
    a document: the screen showed 'trial 1', and CENTRAL's copy of the trial, imported next under another title,
    was never joined to it. It keeps its trial id and type (RIS: the ICTRP's page of the trial), and
    de-duplication joins the two."""
    from screener.io.common import REGISTRY_RECORD

    src = tmp_path / "ictrp.csv"
    src.write_text("TrialID,Public title,Scientific title,Date registration,Source Register,Condition\n"
                   "ChiCTR2000012345,Sleep after stroke,,15/01/2020,ChiCTR,Stroke\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        p.export(tmp_path / f"review.{fmt}")
    central = tmp_path / "central.ris"
    central.write_text("TY  - JOUR\nID  - CN-01888888\nAU  - ChiCTR2000012345\nTI  - Sleep quality and recovery "
                       "after a stroke\nJO  - ICTRP\nPY  - 2020\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / f"review.{fmt}"])
        rec = q.records_frame().iloc[0]
        assert (rec["source_ref"], rec["type"]) == ("ChiCTR2000012345", REGISTRY_RECORD)
        q.import_files([central])
        assert q.records_frame(primary_only=False)["group_id"].tolist() == [1, 1]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_register_entry_exported_and_imported_keeps_the_other_registrations_it_names(tmp_path, fmt):
    """ClinicalTrials.gov's entry names the trial's ISRCTN registration among its 'Other IDs', which joins the
    ICTRP's entry of it under another title. A table export left the column out (it keeps no original record), so
    in a project the export went into, the ICTRP's entry imported next stayed a study of its own. The export
    carries them ('other_ids'), and de-duplication joins the two there as it did before."""
    ctg = tmp_path / "ctg-studies.csv"
    ctg.write_text("NCT Number,Study Title,Study URL,Brief Summary,Other IDs,First Posted\n"
                   "NCT01234567,\"Walking, Yoga or Rest After Stroke\",https://clinicaltrials.gov/study/NCT01234567,"
                   "A trial.,ISRCTN12345678,2017-11-02\n", encoding="utf-8")
    ictrp = tmp_path / "ictrp.csv"
    ictrp.write_text("TrialID,Public title,Date registration,Source Register\n"
                     "ISRCTN12345678,Exercise after stroke,02/11/2017,ISRCTN\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([ctg])
        p.export(tmp_path / f"review.{fmt}")
        p.import_files([ictrp])
        assert p.records_frame(primary_only=False)["group_id"].tolist() == [1, 1]  # one trial
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / f"review.{fmt}"])
        q.import_files([ictrp])
        assert q.records_frame(primary_only=False)["group_id"].tolist() == [1, 1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ris"])
def test_centrals_copy_of_a_register_entry_keeps_its_accession_number_through_an_export(tmp_path, fmt):
    """CENTRAL's copy of a register entry is known by the trial id, and reported by CENTRAL's accession number
    (CN-...), which the export gives in 'central_accession'. In a project the export went into, the number was
    gone: the column read back into nothing (RIS did not write it). It comes back, and goes on to the next export."""
    central = tmp_path / "central.ris"
    central.write_text("TY  - JOUR\nID  - CN-01888888\nAU  - ISRCTN12345678\nTI  - Sleep after stroke\nJO  - ICTRP\n"
                       "PY  - 2018\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([central])
        assert p.export_frame()["central_accession"].tolist() == ["CN-01888888"]
        p.export(tmp_path / f"review.{fmt}")
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / f"review.{fmt}"])
        frame = q.export_frame()
        assert "central_accession" in frame.columns, list(frame.columns)
        assert frame["central_accession"].tolist() == ["CN-01888888"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ris"])
def test_an_export_whose_study_was_marked_retracted_by_a_copy_left_out_says_so_on_import(tmp_path, fmt):
    """A study whose copy from one database is titled 'RETRACTED: ...' is exported (without its duplicates, as by
    default) with 'retracted: yes'; imported into a new project, the copy is not there and nothing said the
    article was retracted: the new project screened it as any other. The import names the record and what to do."""
    (tmp_path / "a.ris").write_text("TY  - JOUR\nTI  - Yoga after stroke: a randomised trial\nAU  - Smith, John\n"
                                    "PY  - 2019\nT2  - Stroke\nDO  - 10.1000/yoga.1\nAB  - A trial of yoga.\nER  - \n",
                                    encoding="utf-8")
    (tmp_path / "b.ris").write_text("TY  - JOUR\nTI  - RETRACTED: Yoga after stroke: a randomised trial\n"
                                    "AU  - Smith, John\nPY  - 2019\nT2  - Stroke\nDO  - 10.1000/yoga.1\nER  - \n",
                                    encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([tmp_path / "a.ris"])
        p.import_files([tmp_path / "b.ris"])
        assert p.export_frame()["retracted"].tolist() == ["yes"]
        p.export(tmp_path / f"review.{fmt}")
        p.export(tmp_path / f"whole.{fmt}", include_duplicates=True)
    with Project.init(tmp_path / "two") as q:
        said = [w for w in q.import_files([tmp_path / f"review.{fmt}"]).warnings if "retracted" in w]
        where = "line 1" if fmt == "ris" else "row 2"
        assert len(said) == 1 and said[0].startswith(f"review.{fmt}: 1 record of this file ({where})"), said
        assert "--with-duplicates" in said[0], said
    with Project.init(tmp_path / "three") as r:  # its retracted copy came along: nothing to say
        assert not [w for w in r.import_files([tmp_path / f"whole.{fmt}"]).warnings if "retracted" in w]
        assert r.export_frame()["retracted"].tolist() == ["yes"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "ris"])
def test_a_study_an_export_marked_retracted_stays_marked_in_the_project_it_goes_into(tmp_path, fmt):
    """The import warned that the export marked a record retracted (a copy of the study, titled 'RETRACTED: ...', was
    left out of the file), but the new project kept no trace of it: its screen, 'next' and its own export showed the
    study as any other. The mark is kept: each of them says it, and the next export carries it on."""
    import io

    from rich.console import Console

    from screener.project import RETRACTED_IN_EXPORT_NOTE
    from screener.screening import ScreeningSession
    from screener.tui import render_record

    (tmp_path / "a.ris").write_text("TY  - JOUR\nTI  - Yoga after stroke: a randomised trial\nAU  - Smith, John\n"
                                    "PY  - 2019\nT2  - Stroke\nDO  - 10.1000/yoga.1\nAB  - A trial of yoga.\nER  - \n\n"
                                    "TY  - JOUR\nTI  - Sleep after stroke\nAU  - Ng, Chen\nPY  - 2020\nER  - \n",
                                    encoding="utf-8")
    (tmp_path / "b.ris").write_text("TY  - JOUR\nTI  - RETRACTED: Yoga after stroke: a randomised trial\n"
                                    "AU  - Smith, John\nPY  - 2019\nT2  - Stroke\nDO  - 10.1000/yoga.1\nER  - \n",
                                    encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([tmp_path / "a.ris"])
        p.import_files([tmp_path / "b.ris"])
        p.export(tmp_path / f"review.{fmt}", fmt)
    d = tmp_path / "two"
    with Project.init(d, settings={"embedding_model": "none"}) as q:
        said = [w for w in q.import_files([tmp_path / f"review.{fmt}"]).warnings if "retracted" in w]
        assert len(said) == 1 and "marked retracted here too" in " ".join(said[0].split()), said
        recs = q.records_frame()
        yoga, sleep = (int(recs.index[recs["title"].str.startswith(t)][0]) for t in ("Yoga", "Sleep"))
        assert q.retracted_in_exports() == {yoga}
        assert q.export_frame()["retracted"].to_dict() == {yoga: "yes", sleep: ""}
        q.export(tmp_path / f"again.{fmt}", fmt)
        session = ScreeningSession(q, embedding_model="none")
        out = io.StringIO()
        Console(file=out, width=300).print(render_record(session, yoga, position="1 of 2"))
        assert RETRACTED_IN_EXPORT_NOTE in " ".join(out.getvalue().replace("│", " ").split())
        out = io.StringIO()
        Console(file=out, width=300).print(render_record(session, sleep, position="2 of 2"))
        assert "Retracted" not in out.getvalue()
    with Project.init(tmp_path / "three") as r:  # and on to a third project
        r.import_files([tmp_path / f"again.{fmt}"])
        assert sorted(r.export_frame()["retracted"]) == ["", "yes"]
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none"], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "[Retracted] Yoga after stroke" in r.output and r.output.count("Retracted") == 1
    batch = tmp_path / "batch.csv"
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none", "-o", str(batch)])
    assert r.exit_code == 0, r.output
    rows = pd.read_csv(batch, encoding="utf-8-sig", keep_default_na=False).set_index("record_id")["retracted"]
    assert rows.to_dict() == {yoga: RETRACTED_IN_EXPORT_NOTE, sleep: ""}


def test_the_studies_an_export_marked_retracted_are_found_reading_the_originals_of_those_records_only(
        tmp_path, monkeypatch):
    """Every row of an export that has a 'retracted' column holds the word, most of them blank: finding the marked
    studies of a review moved through such an export read every record's original whole (seconds at each page of the
    records list and each export of 100,000 records). Only the records whose mark says yes are read now."""
    src = tmp_path / "review.csv"
    marks = {2: "Yes", 4: '" yes "'}  # a cell edited in a spreadsheet, spaces and all
    rows = [f"{i},Study {i},A trial {i}.,2019,first.ris,{i + 1},{marks.get(i, '')}" for i in range(1, 6)]
    src.write_text("record_id,title,abstract,year,source_file,source_line,retracted\n" + "\n".join(rows) + "\n",
                   encoding="utf-8")
    with Project.init(tmp_path / "one", settings={"embedding_model": "none"}) as p:
        p.import_files([src], dedup=False)
        recs = p.records_frame()
        marked = sorted(int(recs.index[recs["title"] == f"Study {i}"][0]) for i in marks)
        read, records_frame = [], p.store.records_frame

        def reading(record_ids=None, **kw):
            if kw.get("with_raw"):
                read.append(sorted(int(r) for r in record_ids))
            return records_frame(record_ids, **kw)

        monkeypatch.setattr(p.store, "records_frame", reading)
        assert p.retracted_in_exports() == set(marked)
        assert read == [marked]


def test_a_retraction_note_that_says_no_or_comes_from_elsewhere_marks_nothing_retracted(tmp_path):
    """A reference manager's notes on records of screener's RIS export, edited to say the study was not retracted
    ('Retracted (screener): no'), marked it retracted and the import said it was marked in the project it came from,
    as a note that says yes does; a note of the word's own (a database's 'Retracted: ...') is no screener mark."""
    src = tmp_path / "review.ris"
    notes = ["Retracted (screener): no", "Retracted: this article was retracted", "Retracted (screener): yes"]
    src.write_text("".join(f"TY  - JOUR\nTI  - Study {i}\nPY  - 2019\nN1  - {note}\nER  - \n\n"
                           for i, note in enumerate(notes)), encoding="utf-8")
    with Project.init(tmp_path / "one", settings={"embedding_model": "none"}) as p:
        said = [w for w in p.import_files([src], dedup=False).warnings if "marked retracted" in w]
        recs = p.records_frame()
        assert p.retracted_in_exports() == {int(recs.index[recs["title"] == "Study 2"][0])}
        assert len(said) == 1 and "1 record of this file (line 13)" in said[0], said


def test_a_table_from_elsewhere_with_a_retracted_column_is_not_called_a_screener_export(tmp_path):
    """A reviewer's own list (or another tool's table) with a column 'retracted' holding 'yes' was imported with the
    note that the records 'were marked retracted in the project they were exported from', a project that never was:
    only screener's own export, whose column says a copy left out of it is titled as retracted, gets that note."""
    src = tmp_path / "list.csv"
    src.write_text("title,abstract,year,retracted\nYoga after stroke,A trial of yoga.,2019,yes\n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        assert not [w for w in p.import_files([src]).warnings if "exported from" in w]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ris"])
def test_a_project_s_own_export_imported_back_into_it_is_refused(tmp_path, fmt):
    """A reviewer imported the project's own export (edited in Excel, or mistaken for a search update) back into
    the project: its records came in a second time, PRISMA counted them twice among the records identified and the
    export's file as a database, and nothing was said. It is refused, and the reviewer told how to read its
    decisions back ('screener label'), with --allow-reimport for a file that is meant to go in."""
    src = tmp_path / "a.ris"
    src.write_text("".join(f"TY  - JOUR\nTI  - Yoga after stroke {i}\nAU  - Smith, John\nPY  - 2019\nER  - \n\n"
                           for i in range(3)), encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([src])
        p.decide(1, "include")
        p.export(tmp_path / f"review.{fmt}")
        with pytest.raises(InputError) as err:
            p.import_files([tmp_path / f"review.{fmt}"])
        assert "export of this project" in str(err.value) and "screener label" in str(err.value), str(err.value)
        assert len(p.records_frame(primary_only=False)) == 3
        p.import_files([tmp_path / f"review.{fmt}"], allow_reimport=True)
        assert len(p.records_frame(primary_only=False)) == 6
    with Project.init(tmp_path / "two") as q:  # a new project: the review moved through its export
        q.import_files([tmp_path / f"review.{fmt}"])
        q.import_files([src])  # the project's records are not that export's: its first database again
        assert len(q.records_frame(primary_only=False)) == 6


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ris"])
def test_a_batch_of_the_project_imported_into_it_instead_of_labelled_is_refused(tmp_path, fmt):
    """'screener import DIR batch1.csv' typed for 'screener label DIR batch1.csv': the batch's records came in as a
    search update after screening began, PRISMA counted them twice among the records identified and the batch as a
    database. It is refused, as the project's own export is, with the 'label' command to run."""
    src = tmp_path / "a.ris"
    src.write_text("".join(f"TY  - JOUR\nTI  - Yoga after stroke {i}\nAU  - Smith, John\nPY  - 2019\nER  - \n\n"
                           for i in range(6)), encoding="utf-8")
    d, batch = tmp_path / "one", tmp_path / f"batch1.{fmt}"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(src)]).exit_code == 0
    r = runner.invoke(app, ["next", str(d), "--n", "3", "-o", str(batch), "--embedding-model", "none"])
    assert r.exit_code == 0, r.output
    if fmt == "csv":
        filled = pd.read_csv(batch, encoding="utf-8-sig")
        filled["decision"] = ["include", "exclude", "exclude"]
        filled.to_csv(batch, index=False)
    r = runner.invoke(app, ["import", str(d), str(batch)])
    assert r.exit_code == 1, r.output
    said = " ".join(r.output.split())
    assert "batch" in said and f"screener label {d} {batch}" in said and "Nothing was imported" in said, said
    with Project.open(d) as p:
        assert len(p.records_frame(primary_only=False)) == 6 and p.decision_log().empty
        assert p.prisma_counts()["identified"] == 6


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_an_export_from_several_databases_imported_into_a_new_project_says_prisma_counts_it_as_one_source(
        tmp_path, fmt):
    """A review moved to a new project through its export: the records came from MEDLINE and Embase there, but the
    new project's PRISMA chart counted the whole file as one database ('review') without a word, and a reviewer
    reported it so. The import says which databases the records came from and where the right counts are."""
    for name, title in (("medline", "Yoga after stroke"), ("embase", "Tai chi after stroke")):
        (tmp_path / f"{name}.ris").write_text(f"TY  - JOUR\nTI  - {title}\nAU  - Smith, John\nPY  - 2019\n"
                                              f"DB  - {name.capitalize()}\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([tmp_path / "medline.ris", tmp_path / "embase.ris"])
        p.export(tmp_path / f"review.{fmt}")
    with Project.init(tmp_path / "two") as q:
        said = [w for w in q.import_files([tmp_path / f"review.{fmt}"]).warnings if "PRISMA" in w]
        assert len(said) == 1 and "medline" in said[0].lower() and "embase" in said[0].lower(), said
    with Project.init(tmp_path / "three") as r:  # one database's own file: nothing to say
        assert not [w for w in r.import_files([tmp_path / "medline.ris"]).warnings if "PRISMA" in w]


@pytest.mark.parametrize("fmt", ["ris", "csv"])
def test_a_review_exported_and_imported_again_names_the_files_it_came_from_not_proquest_sub_databases(
        shared_dir, tmp_path, fmt):
    """ProQuest tags each record with the sub-databases it came from ('ProQuest Central; Sociological Abstracts'),
    and the review counted the file as one source: the import of its RIS export listed those tags as six sources
    of the review it came from; now, as for its CSV export, the two files it was built from."""
    msm = shared_dir / "fixtures" / "msm_syndemic_search"
    with Project.init(tmp_path / "one") as p:
        p.import_files([msm / "proquest.ris", msm / "cochrane.ris"])
        p.export(tmp_path / f"review.{fmt}", fmt)
    with Project.init(tmp_path / "two") as q:
        summary = q.import_files([tmp_path / f"review.{fmt}"], dedup=False)
    said = [w for w in summary.warnings if "sources in the review it was exported from" in w]
    assert len(said) == 1, summary.warnings
    assert "2 sources in the review it was exported from (proquest.ris, cochrane.ris)" in said[0], said[0]
    assert "Sociological Abstracts" not in said[0]


@pytest.mark.parametrize("fmt", ["ris", "csv"])
def test_a_review_whose_search_was_exported_in_parts_imported_again_counts_the_parts_as_one_source(tmp_path, fmt):
    """A MEDLINE search exported in two parts counts as one database in the review's PRISMA ('Ovid MEDLINE'): its
    export imported into a new project said it came from 2 sources there, the two files (as the RIS export does too
    since it names each record's file). The files of one database are one source, shown together."""
    def ris(name, db, *titles):
        (tmp_path / name).write_text("".join(f"TY  - JOUR\nTI  - {t}\nAU  - Smith, John\nPY  - 2019\nDB  - {db}\n"
                                             "ER  - \n\n" for t in titles), encoding="utf-8")
        return tmp_path / name

    part1 = ris("medline_1.ris", "Ovid MEDLINE", "Yoga after stroke", "Walking after stroke")
    part2 = ris("medline_2.ris", "Ovid MEDLINE", "Tai chi after stroke")
    central = ris("central.ris", "Cochrane CENTRAL", "Dance after stroke")
    for files, name in (([part1, part2], "parts"), ([part1, part2, central], "both")):
        with Project.init(tmp_path / name) as p:
            p.import_files(files, dedup=False)
            assert len(p.prisma_counts()["identified_per_source"]) == len(files) - 1
            p.export(tmp_path / f"{name}.{fmt}")
        with Project.init(tmp_path / f"{name}-again") as q:
            said = [w for w in q.import_files([tmp_path / f"{name}.{fmt}"], dedup=False).warnings
                    if "sources in the review it was exported from" in w]
        if name == "parts":
            assert not said, said
        else:
            shown = "2 sources in the review it was exported from (medline_1.ris + medline_2.ris, central.ris)"
            assert len(said) == 1 and shown in said[0], said


def test_an_export_names_a_search_exported_in_parts_by_the_source_it_was_imported_as(tmp_path):
    """A search exported in two parts ('search.ris', then 'search (1).ris'), the first imported with --source Medline:
    PRISMA counted both under Medline, but the export named the second part's records by the file ('search (1)', the
    readers' stand-in where a file names no database), and the review's export imported again read 3 sources where
    its PRISMA counted 2. The export names them by the source PRISMA counted them under."""
    def ris(name, titles):
        (tmp_path / name).write_text("".join(f"TY  - JOUR\nTI  - {t}\nAU  - Doe, J\nPY  - 2020\nER  - \n\n"
                                             for t in titles), encoding="utf-8")

    ris("search.ris", [f"Peer support study {i} in harm reduction" for i in range(3)])
    ris("search (1).ris", [f"Stigma trial {i} of testing" for i in range(2)])
    ris("other.ris", ["A hand-searched cohort of peer workers"])
    with Project.init(tmp_path / "one") as p:
        p.import_files([tmp_path / "search.ris"], source_db="Medline")
        p.import_files([tmp_path / "search (1).ris"])
        p.import_files([tmp_path / "other.ris"], source_db="Handsearch")
        assert list(p.store.sources_frame()["source_db"]) == ["Medline", "Medline", "Handsearch"]
        for fmt in ("csv", "ris"):
            p.export(tmp_path / f"review.{fmt}", fmt)
    table = pd.read_csv(tmp_path / "review.csv", encoding="utf-8-sig")
    assert dict(zip(table["source_file"], table["source_db"])) == {
        "search.ris": "Medline", "search (1).ris": "Medline", "other.ris": "Handsearch"}
    for fmt in ("csv", "ris"):
        with Project.init(tmp_path / f"two_{fmt}") as q:
            said = [w for w in q.import_files([tmp_path / f"review.{fmt}"], dedup=False).warnings
                    if "sources in the review it was exported from" in w]
        assert len(said) == 1 and "2 sources in the review it was exported from" in said[0], (fmt, said)


def test_the_methods_text_of_a_review_moved_through_its_export_names_the_sources_it_came_from(tmp_path):
    """Only the import said that the export of a review from MEDLINE and Embase counts as one source in the new
    project: its report's methods text, days later, read 'Records were retrieved from 1 database (1 export file):
    review (2)', which a reviewer could paste into the paper. It names the sources and where their counts are."""
    from screener.report import methods_text, prisma_numbers

    for name, title in (("medline", "Yoga after stroke"), ("embase", "Tai chi after stroke")):
        (tmp_path / f"{name}.ris").write_text(f"TY  - JOUR\nTI  - {title}\nAU  - Smith, John\nPY  - 2019\n"
                                              f"DB  - {name.capitalize()}\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([tmp_path / "medline.ris", tmp_path / "embase.ris"])
        p.export(tmp_path / "review.ris")
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / "review.ris"])
        text = methods_text(q, prisma_numbers(q), None)[0]
        assert "'review' is screener's export of another review" in text, text
        assert "medline.ris" in text and "embase.ris" in text and "that review's PRISMA" in text, text
    with Project.init(tmp_path / "three") as r:  # one database's own file: nothing to say
        r.import_files([tmp_path / "medline.ris"])
        assert "export of another review" not in methods_text(r, prisma_numbers(r), None)[0]


def test_the_methods_text_of_two_reviews_moved_through_their_exports_points_to_both_reviews_flow_diagrams(tmp_path):
    """Two reviews' exports imported into one project: the methods text named both, then sent the reader to 'that
    review's PRISMA flow diagram', as if there were one. It names the reviews' diagrams."""
    from screener.report import methods_text, prisma_numbers

    for name, title in (("medline", "Yoga after stroke"), ("embase", "Tai chi after stroke"),
                        ("cinahl", "Walking after stroke"), ("psycinfo", "Music after stroke")):
        (tmp_path / f"{name}.ris").write_text(f"TY  - JOUR\nTI  - {title}\nAU  - Smith, John\nPY  - 2019\n"
                                              f"DB  - {name.capitalize()}\nER  - \n", encoding="utf-8")
    for review, files in (("review", ("medline", "embase")), ("other", ("cinahl", "psycinfo"))):
        with Project.init(tmp_path / review) as p:
            p.import_files([tmp_path / f"{f}.ris" for f in files])
            p.export(tmp_path / f"{review}.ris")
    with Project.init(tmp_path / "both") as q:
        q.import_files([tmp_path / "review.ris"])
        q.import_files([tmp_path / "other.ris"])
        text = methods_text(q, prisma_numbers(q), None)[0]
        assert "'review' is screener's export" in text and "'other' is screener's export" in text, text
        assert "those reviews' PRISMA flow diagrams" in text and "that review's" not in text, text


def test_a_review_moved_through_its_export_under_a_source_given_still_names_the_sources_it_came_from(tmp_path):
    """A second export of a review (a search update) of the same file name is refused unless given --source, as its
    message advises; given one, the import no longer saw that the export held several sources there: no word that
    PRISMA counts it as one, and the report's methods text kept the first export's sources, or named none."""
    from screener.report import methods_text, prisma_numbers

    for name, title in (("medline", "Yoga after stroke"), ("embase", "Tai chi after stroke")):
        (tmp_path / f"{name}.ris").write_text(f"TY  - JOUR\nTI  - {title}\nAU  - Smith, John\nPY  - 2019\n"
                                              f"DB  - {name.capitalize()}\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "one") as p:
        p.import_files([tmp_path / "medline.ris", tmp_path / "embase.ris"])
        p.export(tmp_path / "review.ris")
    with Project.init(tmp_path / "two") as q:
        said = q.import_files([tmp_path / "review.ris"], source_db="Earlier review").warnings
        assert any("2 sources in the review it was exported from (medline.ris, embase.ris)" in w for w in said), said
        text = methods_text(q, prisma_numbers(q), None)[0]
        assert "'Earlier review' is screener's export of another review" in text, text
