"""Trial registers' own exports (ClinicalTrials.gov's CSV download, the WHO ICTRP's CSV export), read as a
reviewer downloads them: written here in those layouts, a few rows each."""

from __future__ import annotations

import csv
import io

import pytest

from screener.errors import InputError
from screener.io import read_records
from screener.project import is_register

CTG_COLUMNS = [
    "NCT Number", "Study Title", "Study URL", "Acronym", "Study Status", "Brief Summary", "Study Results",
    "Conditions", "Interventions", "Primary Outcome Measures", "Sponsor", "Collaborators", "Sex", "Age", "Phases",
    "Enrollment", "Funder Type", "Study Type", "Study Design", "Other IDs", "Start Date", "Primary Completion Date",
    "Completion Date", "First Posted", "Results First Posted", "Last Update Posted", "Locations", "Study Documents",
]
ICTRP_COLUMNS = [
    "TrialID", "Last Refreshed on", "Public title", "Scientific title", "Acronym", "Primary sponsor",
    "Date registration", "Date registration3", "Export date", "Source Register", "web address", "Recruitment Status",
    "other records", "Inclusion agegroup min", "Date enrollement", "Target size", "Study type", "Study design",
    "Phase", "Countries", "Contact Firstname", "Condition", "Intervention", "Primary outcome", "Secondary outcome",
    "Secondary ID", "Source Support", "Ethics review status", "results date posted",
]


def _csv(tmp_path, name, columns, rows):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    for row in rows:
        w.writerow({c: row.get(c, "") for c in columns})
    p = tmp_path / name
    p.write_text(out.getvalue(), encoding="utf-8")
    return p


CTG_ROWS = [
    {"NCT Number": "NCT01234567", "Study Title": "Walking, Yoga or Rest After Stroke",
     "Study URL": "https://clinicaltrials.gov/study/NCT01234567", "Study Status": "COMPLETED",
     "Brief Summary": "This trial compares walking, yoga and rest\nin adults after a first stroke.",
     "Conditions": "Stroke|Hemiparesis", "Interventions": "BEHAVIORAL: Walking|BEHAVIORAL: Yoga",
     "Primary Outcome Measures": "Gait speed, 12 weeks", "Study Type": "INTERVENTIONAL",
     "Study Design": "Allocation: RANDOMIZED|Primary Purpose: TREATMENT",
     "Start Date": "2018-03", "First Posted": "2017-11-02"},
    {"NCT Number": "NCT07654321", "Study Title": "Sleep After Stroke", "Brief Summary": "",
     "Study URL": "https://clinicaltrials.gov/study/NCT07654321", "Conditions": "Stroke",
     "Start Date": "2020-01-15"},
]

ICTRP_ROWS = [
    {"TrialID": "ISRCTN12345678", "Public title": "Exercise after stroke",
     "Scientific title": "A randomised trial of walking, yoga or rest\nafter a first stroke",
     "Date registration": "02/11/2017", "Source Register": "ISRCTN",
     "web address": "https://www.isrctn.com/ISRCTN12345678", "Study design": "Randomised controlled trial",
     "Condition": "Stroke;Hemiparesis", "Intervention": "Walking, 30 minutes a day<br>Yoga",
     "Primary outcome": "Gait speed at 12 weeks"},
    {"TrialID": "ChiCTR2000012345", "Public title": "Sleep after stroke", "Scientific title": "",
     "Date registration3": "20200115", "Source Register": "ChiCTR", "Condition": "Stroke"},
]


def test_clinicaltrials_gov_download_reads_summary_id_year_and_source(tmp_path):
    res = read_records(_csv(tmp_path, "ctg-studies.csv", CTG_COLUMNS, CTG_ROWS))
    a, b = res.records
    assert a["title"] == "Walking, Yoga or Rest After Stroke"
    assert a["abstract"].startswith("This trial compares walking, yoga and rest\nin adults after a first stroke.")
    assert "Condition: Stroke; Hemiparesis" in a["abstract"]
    assert "Intervention: BEHAVIORAL: Walking; BEHAVIORAL: Yoga" in a["abstract"]
    assert "Primary outcome: Gait speed, 12 weeks" in a["abstract"]
    assert "Study design: Allocation: RANDOMIZED; Primary Purpose: TREATMENT" in a["abstract"]
    assert a["year"] == 2017  # registered (first posted) in 2017, started in 2018
    assert b["year"] == 2020  # not posted: its start
    assert a["source_id"] == "NCT01234567" and b["source_id"] == "NCT07654321"
    assert a["raw"]["Study URL"] == "https://clinicaltrials.gov/study/NCT01234567"
    assert a["type"] == "Trial registry record"
    assert a["source_db"] == "ClinicalTrials.gov" and is_register(a["source_db"])
    assert b["abstract"] == "Condition: Stroke"
    assert not any("not read" in w or "no abstract" in w for w in res.warnings), res.warnings


def test_ictrp_export_reads_public_title_labelled_abstract_and_trial_id(tmp_path):
    res = read_records(_csv(tmp_path, "ICTRPExport.csv", ICTRP_COLUMNS, ICTRP_ROWS))
    a, b = res.records
    assert a["title"] == "Exercise after stroke"  # as ClinicalTrials.gov's download titles a trial (its brief title)
    assert a["abstract"].splitlines() == [
        "Scientific title: A randomised trial of walking, yoga or rest after a first stroke",
        "Condition: Stroke; Hemiparesis",
        "Intervention: Walking, 30 minutes a day; Yoga", "Primary outcome: Gait speed at 12 weeks",
        "Study design: Randomised controlled trial"]
    assert b["title"] == "Sleep after stroke"
    assert b["abstract"] == "Condition: Stroke"  # no scientific title: nothing said twice
    assert a["year"] == 2017 and b["year"] == 2020
    assert a["source_id"] == "ISRCTN12345678" and b["source_id"] == "ChiCTR2000012345"
    assert a["raw"]["web address"] == "https://www.isrctn.com/ISRCTN12345678"
    assert a["source_db"] == "WHO ICTRP" and is_register(a["source_db"])
    assert a["type"] == "Trial registry record"
    assert not any("not read" in w or "no abstract" in w for w in res.warnings), res.warnings


def test_ictrp_entry_without_public_title_is_titled_by_its_scientific_title(tmp_path):
    row = {"TrialID": "ISRCTN12345678", "Scientific title": "A trial of yoga", "Condition": "Stroke"}
    rec = read_records(_csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, [row])).records[0]
    assert rec["title"] == "A trial of yoga" and rec["abstract"] == "Condition: Stroke"


def test_one_trial_from_both_registers_reads_alike(tmp_path):
    """ClinicalTrials.gov's download and the ICTRP's export of one trial: the same title, trial id and year."""
    ctg = read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])).records[0]
    row = dict(ICTRP_ROWS[0], **{"TrialID": "NCT01234567", "Public title": "Walking, Yoga or Rest After Stroke"})
    ictrp = read_records(_csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, [row])).records[0]
    assert ctg["title"] == ictrp["title"] and ctg["source_id"] == ictrp["source_id"] and ctg["year"] == ictrp["year"]


def test_source_given_at_import_still_names_the_register(tmp_path):
    res = read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1]), source_db="CT.gov May search")
    assert res.records[0]["source_db"] == "CT.gov May search"


@pytest.mark.parametrize("columns, rows, says", [
    ([c for c in CTG_COLUMNS if c != "Study Title"], CTG_ROWS, "ClinicalTrials.gov"),
    ([c for c in ICTRP_COLUMNS if c not in ("Public title", "Scientific title")], ICTRP_ROWS, "ICTRP"),
])
def test_register_export_without_its_title_columns_says_which(tmp_path, columns, rows, says):
    rows = [{k: v for k, v in r.items() if k in columns} for r in rows]
    with pytest.raises(InputError) as err:
        read_records(_csv(tmp_path, "export.csv", columns, rows))
    msg = str(err.value)
    assert says in msg and "title" in msg and "Nothing was imported" in msg
    assert "--column title=" in msg


def test_one_trial_from_both_registers_is_one_study(tmp_path):
    import pandas as pd

    from screener.dedup import find_duplicates

    ctg = read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])).records
    row = dict(ICTRP_ROWS[0], **{"TrialID": "NCT01234567", "Public title": "Walking, Yoga or Rest After Stroke"})
    ictrp = read_records(_csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, [row])).records
    df = pd.DataFrame(ctg + ictrp, index=pd.Index([1, 2], name="record_id"))
    assert find_duplicates(df)["group_id"].tolist() == [1, 1]


def test_register_entry_exported_to_ris_links_to_its_register_page(tmp_path):
    import pandas as pd

    from screener.io.export import write_records

    recs = (read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])).records
            + read_records(_csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, ICTRP_ROWS[:1])).records)
    out = write_records(pd.DataFrame(recs), tmp_path / "export.ris", "ris")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [x for x in lines if x.startswith("UR  - ")] == [
        "UR  - https://clinicaltrials.gov/study/NCT01234567", "UR  - https://www.isrctn.com/ISRCTN12345678"]
    back = read_records(out).records
    assert [r["title"] for r in back] == [r["title"] for r in recs] and back[0]["pmid"] is None


def test_column_title_given_at_import_wins_over_the_registers_title(tmp_path):
    p = _csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, ICTRP_ROWS[:1])
    rec = read_records(p, column_map={"title": "Scientific title"}).records[0]
    assert rec["title"] == "A randomised trial of walking, yoga or rest after a first stroke"
    # the title is not said again in the abstract; the public title, not read as the title, opens it instead
    assert rec["abstract"].splitlines() == [
        "Public title: Exercise after stroke", "Condition: Stroke; Hemiparesis",
        "Intervention: Walking, 30 minutes a day; Yoga", "Primary outcome: Gait speed at 12 weeks",
        "Study design: Randomised controlled trial"]


def test_register_entry_without_the_title_column_given_at_import_keeps_its_other_title(tmp_path):
    """An ICTRP entry with no scientific title, imported with --column title="Scientific title", came in untitled,
    its public title neither the title nor in the abstract: it is titled by its public title."""
    p = _csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, ICTRP_ROWS)
    res = read_records(p, column_map={"title": "Scientific title"})
    assert [(r["title"], r["abstract"]) for r in res.records][1] == ("Sleep after stroke", "Condition: Stroke")
    assert not any("no title" in w for w in res.warnings), res.warnings


def test_register_column_given_as_the_title_is_not_also_in_the_abstract(tmp_path):
    p = _csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])
    rec = read_records(p, column_map={"title": "Conditions"}).records[0]
    assert rec["title"] == "Stroke|Hemiparesis" and "Condition:" not in rec["abstract"]


def test_ictrp_registration_date_written_without_separators_gives_the_year_without_a_warning(tmp_path):
    row = {"TrialID": "ISRCTN12345678", "Public title": "Yoga", "Date registration": "20171102"}
    res = read_records(_csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, [row]))
    assert res.records[0]["year"] == 2017
    assert not any("year" in w for w in res.warnings), res.warnings


def test_reviewers_table_with_nct_numbers_keeps_its_abstract_column(tmp_path):
    p = tmp_path / "trials.csv"
    p.write_text("NCT Number,Title,Abstract,Study Status\nNCT01234567,Yoga after stroke,\"Yoga, weekly.\",COMPLETED\n",
                 encoding="utf-8")
    rec = read_records(p).records[0]
    assert rec["title"] == "Yoga after stroke" and rec["abstract"] == "Yoga, weekly."
    assert rec["source_id"] == "NCT01234567"


def _grouped(tmp_path, *exports):
    """The register records read from each (file name, columns, rows) export, de-duplicated: their groups and the
    pairs listed for review."""
    import pandas as pd

    from screener.dedup import find_duplicates_with_review

    recs = [r for name, columns, rows in exports for r in read_records(_csv(tmp_path, name, columns, rows)).records]
    df = pd.DataFrame(recs, index=pd.Index(range(1, len(recs) + 1), name="record_id"))
    groups, review = find_duplicates_with_review(df)
    return groups["group_id"].tolist(), list(zip(review["record_id"], review["other_id"]))


def test_two_registrations_of_one_short_title_are_two_trials_kept_apart(tmp_path):
    row = dict(ICTRP_ROWS[1], **{"Public title": "Sleep After Stroke", "Date registration3": "20200115"})
    groups, listed = _grouped(tmp_path, ("ctg.csv", CTG_COLUMNS, CTG_ROWS[1:]), ("ictrp.csv", ICTRP_COLUMNS, [row]))
    assert groups == [1, 2] and listed == []  # NCT07654321 and ChiCTR2000012345: two trials, nothing to review


def test_one_trial_in_both_registers_under_two_titles_is_one_study(tmp_path):
    row = dict(ICTRP_ROWS[0], **{"TrialID": "NCT01234567"})  # its ICTRP title: "Exercise after stroke"
    groups, _ = _grouped(tmp_path, ("ctg.csv", CTG_COLUMNS, CTG_ROWS[:1]), ("ictrp.csv", ICTRP_COLUMNS, [row]))
    assert groups == [1, 1]


def test_registrations_linked_by_a_secondary_id_are_one_study(tmp_path):
    """The ICTRP's entry of a trial's ISRCTN registration names its ClinicalTrials.gov number as a secondary id."""
    row = dict(ICTRP_ROWS[0], **{"Secondary ID": "2017-001234-56;NCT01234567"})
    other = dict(ICTRP_ROWS[1], **{"Public title": "Exercise after stroke"})  # another trial, the same title
    groups, listed = _grouped(tmp_path, ("ctg.csv", CTG_COLUMNS, CTG_ROWS[:1]),
                              ("ictrp.csv", ICTRP_COLUMNS, [row, other]))
    assert groups == [1, 1, 3] and listed == []


def test_article_reporting_a_trial_is_not_joined_with_its_registration_on_the_trial_id(tmp_path):
    import pandas as pd

    from screener.dedup import find_duplicates_with_review

    reg = read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])).records
    article = {"title": "Walking, yoga or rest after stroke: a randomised trial (NCT01234567)",
               "authors": ["Smith, Jane"], "year": 2020, "journal": "Stroke", "source_id": "NCT01234567",
               "abstract": "Trial registration: NCT01234567."}
    df = pd.DataFrame(reg + [article], index=pd.Index([1, 2], name="record_id"))
    assert find_duplicates_with_review(df)[0]["group_id"].tolist() == [1, 2]


def test_project_groups_one_trial_imported_from_each_register_under_two_titles(tmp_path):
    """The second register's export, imported later, joins the trial it links to by its secondary id."""
    from screener.project import Project

    ctg = _csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS)
    row = dict(ICTRP_ROWS[0], **{"Secondary ID": "NCT01234567"})
    ictrp = _csv(tmp_path, "ictrp.csv", ICTRP_COLUMNS, [row, ICTRP_ROWS[1]])
    p = Project.init(tmp_path / "proj")
    try:
        p.import_files([ctg])
        p.import_files([ictrp])
        groups = p.store.duplicate_groups_frame()
        assert groups["group_id"].tolist() == [1, 2, 1, 4]
        assert p.store.duplicate_review_frame().empty
        assert p.deduplicate()["group_id"].tolist() == [1, 2, 1, 4]
    finally:
        p.close()


def test_one_eu_trial_entered_for_two_countries_is_one_study_and_named_by_its_eudract_number(tmp_path):
    """The ICTRP lists an EU trial once per country (EUCTR<EudraCT number>-<country>); an ISRCTN entry names the
    EudraCT number alone among its secondary ids."""
    rows = [{"TrialID": f"EUCTR2017-001234-56-{c}", "Public title": t, "Date registration": "02/11/2017"}
            for c, t in (("GB", "Yoga after stroke"), ("DE", "Yoga nach Schlaganfall"))]
    rows.append(dict(ICTRP_ROWS[0], **{"Secondary ID": "2017-001234-56"}))
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows))
    assert groups == [1, 1, 1] and listed == []


def test_two_trials_naming_one_number_among_their_secondary_ids_are_kept_apart_for_review(tmp_path):
    """Two ClinicalTrials.gov trials of one sponsor (an extension study, a sub-study) may name one other
    registration among their secondary ids, or one of them the other's: one register's two numbers are two trials,
    listed for a reviewer to look at, never joined through the number they share."""
    rows = [{"TrialID": "NCT02222222", "Public title": "Yoga after stroke: the extension study",
             "Date registration": "02/11/2018", "Secondary ID": "NCT01234567;YOGA-EXT"},
            {"TrialID": "NCT03333333", "Public title": "Sleep and yoga after stroke",
             "Date registration": "02/11/2019", "Secondary ID": "nct01234567"}]
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows))
    assert groups == [1, 2] and listed == [(1, 2)]
    groups, listed = _grouped(tmp_path, ("ctg.csv", CTG_COLUMNS, CTG_ROWS[:1]), ("ictrp.csv", ICTRP_COLUMNS, rows))
    assert groups == [1, 2, 3]  # the parent trial NCT01234567 is a third trial
    assert set(listed) <= {(1, 2), (1, 3), (2, 3)} and (1, 2) in listed


def test_article_by_a_group_named_after_the_trial_number_is_not_its_registration(tmp_path):
    """CENTRAL gives a registry entry its trial number as the author, the number alone; an article's group author
    that names the number ("NCT01234567 Investigators") is still an article reporting the trial."""
    import pandas as pd

    from screener.dedup import find_duplicates_with_review

    reg = read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])).records
    entry = {"title": "Walking, yoga or rest after stroke", "authors": ["NCT01234567"], "year": 2017,
             "journal": "https://clinicaltrials.gov/show/NCT01234567"}
    article = {"title": "Yoga after stroke: two-year results", "authors": ["NCT01234567 Investigators"],
               "year": 2021, "journal": "Stroke"}
    df = pd.DataFrame(reg + [entry, article], index=pd.Index([1, 2, 3], name="record_id"))
    assert find_duplicates_with_review(df)[0]["group_id"].tolist() == [1, 1, 3]


def test_clinicaltrials_gov_entry_naming_the_eudract_number_in_its_other_ids_is_one_study_with_the_eu_entry(tmp_path):
    """ClinicalTrials.gov's download lists a trial's other registrations in 'Other IDs', as the ICTRP does in
    'Secondary ID': the trial's EU entry, titled its own way, is the same study; a sponsor's code there links
    nothing."""
    ctg = [dict(CTG_ROWS[0], **{"Other IDs": "YOGA-01|2017-001234-56"}),
           dict(CTG_ROWS[1], **{"Other IDs": "YOGA-01"})]
    eu = {"TrialID": "EUCTR2017-001234-56-GB", "Public title": "Yoga and walking for hemiparesis",
          "Date registration": "02/11/2017"}
    groups, listed = _grouped(tmp_path, ("ctg.csv", CTG_COLUMNS, ctg), ("ictrp.csv", ICTRP_COLUMNS, [eu]))
    assert groups == [1, 2, 1] and listed == []


def test_a_dutch_ethics_committee_number_among_secondary_ids_links_no_trials(tmp_path):
    """An ICTRP entry lists the trial's Dutch ethics committee (CCMO/ABR) number, "NL12345.018.15", among its
    secondary ids: it is no Netherlands Trial Register id ("NL12345"), and two trials whose ethics numbers share
    the dossier's digits are not one trial either."""
    rows = [{"TrialID": "ISRCTN12345678", "Public title": "Yoga after stroke", "Date registration": "02/11/2015",
             "Secondary ID": "NL12345.018.15"},
            {"TrialID": "NL12345", "Public title": "Sleep in dialysis patients", "Date registration": "02/11/2019"},
            {"TrialID": "NCT01234567", "Public title": "Walking after hip fracture", "Date registration": "02/11/2013",
             "Secondary ID": "NL12345.041.13"}]
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows))
    assert groups == [1, 2, 3] and listed == []


@pytest.mark.parametrize("ictrp, other", [("JPRN-UMIN000012345", "UMIN000012345"),
                                          ("JPRN-jRCT1031180123", "jRCT1031180123"),
                                          ("JPRN-jRCTs031180123", "jRCTs031180123")])
def test_a_japanese_trial_with_and_without_the_ictrps_jprn_prefix_is_one_study(tmp_path, ictrp, other):
    """The ICTRP names a Japanese trial "JPRN-UMIN000012345" or "JPRN-jRCT..."; its own register, CENTRAL and
    ClinicalTrials.gov's 'Other IDs' write it without "JPRN-": one trial, once titled each register's way."""
    rows = [{"TrialID": ictrp, "Public title": "Exercise after stroke in Japan", "Date registration": "02/11/2018"}]
    ctg = [dict(CTG_ROWS[0], **{"Other IDs": other})]
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows), ("ctg.csv", CTG_COLUMNS, ctg))
    assert groups == [1, 1] and listed == []
    # with the prefix on both sides too, and from both registers' entries alone
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows + [dict(rows[0], TrialID=other)]))
    assert groups == [1, 1] and listed == []


def test_a_trial_moved_from_umin_to_jrct_is_one_study_and_two_jrct_numbers_are_two_trials(tmp_path):
    """A trial moved from UMIN to jRCT names its UMIN number among its secondary ids: one study. Two jRCT numbers
    ("jRCTs..." and "jRCT1...", one register's two series) naming one UMIN number are two trials, listed."""
    rows = [{"TrialID": "JPRN-jRCTs031180123", "Public title": "Exercise after stroke in Japan",
             "Date registration": "02/11/2018", "Secondary ID": "UMIN000012345"},
            {"TrialID": "JPRN-UMIN000012345", "Public title": "A randomised trial of exercise for stroke survivors",
             "Date registration": "02/11/2016"},
            {"TrialID": "JPRN-jRCT1031189999", "Public title": "Sleep after stroke in Japan",
             "Date registration": "02/11/2019", "Secondary ID": "UMIN000012345"}]
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows))
    assert groups == [1, 1, 3] and listed == [(1, 3)]


@pytest.mark.parametrize("ictrp, other", [("ACTRN12619000123456p", "ACTRN12619000123456"),
                                          ("ACTRN12619000123456", "ACTRN12619000123456P"),
                                          ("ACTRN12619000123456p", "ACTRN12619000123456p")])
def test_an_anzctr_trial_with_and_without_its_prospective_registration_p_is_one_study(tmp_path, ictrp, other):
    """ANZCTR marks a trial registered before its first participant with a "p" after its number
    ("ACTRN12619000123456p"), which other registers and CENTRAL may leave out: the number was not read as a trial
    id at all, and the trial's two registers' entries, titled their own ways, stayed two studies. The "p" is no
    other trial: another ANZCTR number is still another trial."""
    from screener.dedup import registry_id

    assert registry_id(f"{ictrp} Investigators") == "ACTRN12619000123456"
    rows = [{"TrialID": ictrp, "Public title": "Exercise after stroke in Australia", "Date registration": "02/11/2018"}]
    ctg = [dict(CTG_ROWS[0], **{"Other IDs": other})]
    groups, listed = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows), ("ctg.csv", CTG_COLUMNS, ctg))
    assert groups == [1, 1] and listed == []
    apart = [dict(rows[0], TrialID="ACTRN12619000123457p", **{"Public title": "Sleep after stroke in Australia"})]
    groups, _ = _grouped(tmp_path, ("ictrp.csv", ICTRP_COLUMNS, rows + apart))
    assert groups == [1, 2]


def test_central_copy_of_a_register_entry_is_one_study_with_the_registers_download_and_not_with_its_report(tmp_path):
    """CENTRAL's copy of a ClinicalTrials.gov entry (Ovid's RIS) is that register's entry: one study with the trial's
    entry in ClinicalTrials.gov's own download, whatever title each gives, and never joined with the article that
    reports the trial, though the article names the trial id."""
    import pandas as pd

    from screener.dedup import find_duplicates_with_review

    ris = tmp_path / "cochrane.ris"
    ris.write_text("1. \nTY  - ELEC\nID  - CN-01234567\nT1  - Exercise after stroke\n"
                   "T2  - Walking, yoga or rest for adults after a first stroke: a randomised trial\n"
                   "A1  - NCT01234567\nY1  - 2017//\nJA  - https://clinicaltrials.gov/show/NCT01234567\n"
                   "L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=cctr&NEWS=N&AN=CN-01234567\n"
                   "ER  -  \n", encoding="utf-8")
    central = read_records(ris).records
    assert central[0]["source_id"] == "NCT01234567" and not central[0]["authors"]
    ctg = read_records(_csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[:1])).records
    article = {"title": "Exercise after stroke: a randomised trial (NCT01234567)", "authors": ["Smith, Jane"],
               "year": 2020, "journal": "Stroke", "abstract": "Trial registration: NCT01234567."}
    df = pd.DataFrame(central + ctg + [article], index=pd.Index([1, 2, 3], name="record_id"))
    groups, review = find_duplicates_with_review(df)
    assert groups["group_id"].tolist() == [1, 1, 3]
    assert "trial registration NCT01234567" in groups["reason"].iloc[1]


def test_central_register_entry_keeps_its_central_accession_number_in_table_exports(tmp_path):
    """CENTRAL's copy of a register entry reads with its trial id as its id (de-duplication joins the trial's entries
    by it), and a table export showed the NCT number only: a reviewer reporting CENTRAL's records by their accession
    number ("CN-0...") could not. The export gives it in a column of its own, only where such a record is exported."""
    import pandas as pd

    from screener.project import Project

    ris = tmp_path / "cochrane.ris"
    ris.write_text("1. \nTY  - ELEC\nID  - CN-01234567\nT1  - Exercise after stroke\n"
                   "A1  - NCT01234567\nY1  - 2017//\nJA  - https://clinicaltrials.gov/show/NCT01234567\n"
                   "ER  -  \n\n"
                   "2. \nTY  - JOUR\nID  - CN-01555555\nT1  - Yoga after stroke\nA1  - Smith, Jane\nY1  - 2021//\n"
                   "JA  - Stroke\nER  -  \n", encoding="utf-8")
    plain = _csv(tmp_path, "ctg.csv", CTG_COLUMNS, CTG_ROWS[1:2])
    for n, (files, expected) in enumerate((([plain], None), ([ris], ["CN-01234567", ""]))):
        p = Project.init(tmp_path / f"proj{n}")
        try:
            p.import_files(files)
            for fmt in ("csv", "xlsx"):
                out = tmp_path / f"export{n}.{fmt}"
                p.export(out, fmt)
                table = pd.read_csv(out, dtype=str, keep_default_na=False) if fmt == "csv" else \
                    pd.read_excel(out, dtype=str, keep_default_na=False)
                if expected is None:
                    assert "central_accession" not in table.columns
                    continue
                assert table["source_ref"].tolist() == ["NCT01234567", "CN-01555555"]  # de-duplication's trial id
                assert table["central_accession"].tolist() == expected
        finally:
            p.close()
