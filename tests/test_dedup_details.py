"""De-duplication with volume, issue and pages: notes cut from titles, no chaining through weak
links, recurring titles, translated titles at one place, reprints, and the pairs left for a person."""

from __future__ import annotations

import pandas as pd

from screener.dedup import find_duplicates, find_duplicates_with_review, notice_note, strip_title_notes


def rec(title, *, year=2010, authors=("Kim, Seok Hun",), journal="Experimental Brain Research", volume=None,
        issue=None, pages=None, doi=None, source_db="medline"):
    return {"title": title, "abstract": None, "authors": list(authors), "year": year, "journal": journal,
            "volume": volume, "issue": issue, "pages": pages, "doi": doi, "pmid": None, "keywords": [],
            "type": "JOUR", "source_db": source_db}


def table(*records) -> pd.DataFrame:
    return pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id"))


def groups(out) -> list[int]:
    return out["group_id"].tolist()


def test_database_notes_are_cut_before_comparing():
    assert strip_title_notes("Robot-assisted gait.[Erratum appears in Exp Brain Res. 2010 May;202(4):825]") \
        == "Robot-assisted gait."
    assert strip_title_notes("Talc versus bleomycin [Review] [23 refs]") == "Talc versus bleomycin"
    assert strip_title_notes("Effect of talc (Provisional abstract)") == "Effect of talc"
    assert strip_title_notes("Talc in effusions [abstract no: 134]") == "Talc in effusions"
    assert strip_title_notes("Acupuncture for MCI. [Chinese]") == "Acupuncture for MCI."
    assert strip_title_notes("The [18F]FDG PET study") == "The [18F]FDG PET study"  # not a note
    # PubMed's citations now say "correction" where they said "erratum"
    assert strip_title_notes("Thriving and adapting. [published correction appears in Am J Community Psychol. "
                             "2017;59(1-2):263]") == "Thriving and adapting."
    # ... and "correction" where they said "erratum" on the notice itself: a correction, as the erratum is
    assert notice_note("Thriving. [published correction for Am J Community Psychol. 2016;58(1-2):1-8]") \
        == notice_note("Thriving. [published erratum for Am J Community Psychol. 2016;58(1-2):1-8]") == "correction"
    assert notice_note("Thriving. [published correction appears in Am J Community Psychol. 2017;59:263]") is None
    t = "Robot-assisted modifications of gait in healthy individuals"
    out = find_duplicates(table(
        rec(t, volume="202", pages="809-824"),
        rec(t + ".[Erratum appears in Exp Brain Res. 2010 May;202(4):825]", volume="202", pages="809-24",
            authors=("Kim, S. H.",), source_db="embase"),
    ))
    assert groups(out) == [1, 1]


def test_recurring_column_is_not_chained_across_issues():
    """"Editor's Comments" in each issue: the same title and editor, but other volumes and issues."""
    recs = [rec("Editor's comments", year=2002 + k, authors=("Weber, Ron",), journal="MIS Quarterly",
                volume=str(26 + k), issue="1") for k in range(3)]
    recs.append(rec("Editor's comments", year=2003, authors=("Weber, Ron",), journal="MIS Quarterly"))  # no details
    recs.append(rec("Editor's comments", year=2003, authors=("Weber, R.",), journal="MIS Quarterly", volume="27",
                    issue="1", source_db="scopus"))  # the 2003 one again, from another database
    out, review = find_duplicates_with_review(table(*recs))
    assert groups(out) == [1, 2, 3, 4, 2]
    # the record without volume could be any issue: listed for a person, not merged
    assert set(map(tuple, review[["record_id", "other_id"]].values.tolist())) >= {(2, 4)}


def test_same_title_other_journal_and_volume_stays_apart():
    """A conference abstract and the article, a guideline in two journals, a five- and six-year follow-up."""
    t = "Feedback interventions for impaired self-awareness following brain injury: a systematic review"
    out = find_duplicates(table(
        rec(t, year=2011, journal="Journal of Rehabilitation Medicine", volume="43", pages="673-680"),
        rec(t, year=2012, journal="Neurorehabilitation and Neural Repair", volume="26", pages="688"),
    ))
    assert groups(out) == [1, 2]
    out = find_duplicates(table(  # same journal and volume, other pages: companion papers
        rec("Weekly versus standard docetaxel for metastatic breast cancer: a phase III study", volume="79",
            pages="197-203", journal="Oncology"),
        rec("Weekly versus standard docetaxel for metastatic breast cancer: a phase III study", volume="79",
            pages="204-210", journal="Oncology"),
    ))
    assert groups(out) == [1, 2]


def test_no_chaining_through_a_record_without_details():
    """A record without volume may match two printings that differ; it joins one, never both."""
    t = "Safety and effectiveness of three doses of silver nitrate for pleurodesis: preliminary results"
    out = find_duplicates(table(
        rec(t, year=2010, journal="Chest", volume="138", pages="811"),
        rec(t, year=2011, journal="Heart Surgery Forum", volume="14", pages="S134"),
        rec(t, year=2010, journal=None),
    ))
    g = groups(out)
    assert g[0] != g[1]


def test_no_chaining_across_two_journals_through_a_record_without_a_journal():
    """A conference abstract and the article in another journal are kept apart; a third record that
    names no journal joins one of them, never both."""
    t = "Cost-effectiveness of dapagliflozin for chronic kidney disease in the United Kingdom"
    out, review = find_duplicates_with_review(table(
        rec(t, year=2019, journal="Value in Health"),
        rec(t, year=2020, journal=None, source_db="proquest"),
        rec(t, year=2020, journal="PharmacoEconomics", source_db="embase"),
    ))
    g = groups(out)
    assert g[0] != g[2] and g[1] in (g[0], g[2])
    assert "(different journals) in one group" in " ".join(review["reason"])
    # the direct pair's reason gives their two years, not "same year"
    assert review.set_index(["record_id", "other_id"]).loc[(1, 3), "reason"].startswith(
        "same title and first author (years 2019 and 2020), but different journals")
    # one journal named two ways, its two records joined by their DOI, still takes the third copy
    out = find_duplicates(table(
        rec(t, year=2016, journal="Jinko Chino Gakkai Ronbunshi", volume="31", issue="2"),
        rec(t, year=2016, journal="Transactions of the Japanese Society for Artificial Intelligence", volume="31",
            issue="2", pages="1-10", doi="10.1527/tjsai.a-f24"),
        rec(t, year=2016, journal="Transactions of the Japanese Society for Artificial Intelligence", volume="31",
            issue="2", doi="10.1527/tjsai.a-f24", source_db="embase"),
        rec(t, year=2016, journal="Jinko Chino Gakkai Ronbunshi", source_db="scopus"),
    ))
    assert groups(out) == [1, 1, 1, 1]


def test_no_chaining_across_contrasting_titles_through_a_title_alike_to_both():
    """"<title> among men" and "<title> among women" are two studies; a record titled "<title>", over 93% alike to
    both and with no page range, volume or DOI to say which, joins neither: it is listed beside both."""
    t = ("Effects of a brief motivational intervention on alcohol consumption and binge drinking among university "
         "students attending primary care")
    for x, y in ((" among men", " among women"), (" in mice", " in rats"), (" in Ghana", " in Kenya")):
        out, review = find_duplicates_with_review(table(
            rec(t + x), rec(t, source_db="embase"), rec(t + y, source_db="psycinfo")))
        assert groups(out) == [1, 2, 3]
        assert {(1, 2), (2, 3)} <= set(zip(review["record_id"], review["other_id"]))
        assert any(f"'{x.split()[-1].lower()}' and '{y.split()[-1].lower()}'" in r or
                   f"'{y.split()[-1].lower()}' and '{x.split()[-1].lower()}'" in r for r in review["reason"])


def test_translated_title_at_the_same_place_is_merged():
    out, review = find_duplicates_with_review(table(
        rec("Antibiotic prophylaxis in pulmonary surgery. A controlled double-blind study of amoxicillin versus "
            "cefamandole", year=1994, authors=("Train, M.",), journal="Ann Fr Anesth Reanim", volume="13",
            pages="280-284"),
        rec("[Comparison of amoxicillin and cefamandole in the prevention of bronchopulmonary infections in "
            "pulmonary surgery. A randomized double-blind study]", year=1994, authors=("Train, M.",),
            journal="Annales francaises d'anesthesie et de reanimation", volume="13", pages="280-4"),
        # a different abstract by the same author on the same page of a supplement: listed, not merged
        rec("Colchicine prevents early post-operative pericardial and pleural effusions", year=2011,
            authors=("Imazio, M.",), journal="European Heart Journal", volume="32", pages="597"),
        rec("Contemporary features, risk factors, and prognosis of the post-pericardiotomy syndrome", year=2011,
            authors=("Imazio, Massimo",), journal="European Heart Journal", volume="32", pages="597"),
    ))
    assert groups(out) == [1, 1, 3, 4]
    assert review[["record_id", "other_id"]].values.tolist() == [[3, 4]]


def test_reprint_in_a_book_is_one_report_but_a_one_page_abstract_is_not():
    t = "Childhood maltreatment and HIV risk-taking among men using the internet to find partners"
    out = find_duplicates(table(
        rec(t, year=2012, authors=("Klein, Hugh",), journal="International Public Health Journal", volume="4",
            pages="33-42"),
        rec(t, year=2013, authors=("Klein, Hugh",), journal="Public health yearbook, 2012", pages="39-51"),
        rec(t, year=2012, authors=("Klein, H.",), journal="AIDS Conference Abstracts", volume="9", pages="112"),
    ))
    assert groups(out) == [1, 1, 3]
    g = "Guidelines for the management of spontaneous pneumothorax in adults"
    out = find_duplicates(table(  # a guideline co-published in two journals: two articles
        rec(g, year=2010, authors=("MacDuff, A.",), journal="Thorax", volume="65", pages="ii18-ii31"),
        rec(g, year=2010, authors=("MacDuff, A.",), journal="Chest", volume="138", pages="1400-1413"),
    ))
    assert groups(out) == [1, 2]


def test_author_names_damaged_by_encoding_still_match():
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    out = find_duplicates(table(
        rec(t, year=1996, authors=("Talalaj, J.",), volume="64", pages="431-436"),
        rec(t, year=1996, authors=("Ta?a?aj, J.",), volume="64", pages="431-436"),
        rec(t, year=1996, authors=("Sørensen, P. G.",), volume="65", pages="1-3"),
        rec(t, year=1996, authors=("Sorensen, P. G.",), volume="65", pages="1-3"),
    ))
    assert groups(out) == [1, 1, 3, 3]


def test_one_name_transliterated_two_ways_is_one_first_author():
    """An Arabic or Persian name is written with other vowels, letters doubled or not, by another database
    ("Mohammed" / "Muhammad" / "Mohamed", "Hossein" / "Husain", "Youssef" / "Yusef", "Mahmoud" / "Mahmud"): the copies
    of one paper, at one volume and page, were kept apart as two first authors, and screened twice."""
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Mohammed, A.", "Muhammad, A."), ("Muhammad, A.", "Mohamed, A."), ("Hossein, M.", "Husain, M."),
                 ("Youssef, N.", "Yusef, N."), ("Mahmoud, S.", "Mahmud, S."), ("Abdulrahman, K.", "Abdolrahman, K.")):
        for place in ({"volume": "64", "pages": "431-436"}, {}):
            out = find_duplicates(table(rec(t, year=1996, authors=(a,), **place),
                                        rec(t, year=1996, authors=(b,), source_db="embase", **place)))
            assert groups(out) == [1, 1], (a, b, place)


def test_other_names_alike_in_letters_stay_two_first_authors():
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Nielsen, A.", "Nelson, A."), ("Mohammed, A.", "Mahmoud, A."),
                 ("Hassan, M.", "Hussein, M.")):
        out = find_duplicates(table(rec(t, year=1996, authors=(a,), volume="64", pages="431-436"),
                                    rec(t, year=1996, authors=(b,), volume="64", pages="431-436", source_db="embase")))
        assert groups(out) == [1, 2], (a, b)


def test_one_surname_with_its_particles_joined_or_apart_or_an_umlaut_spelled_out_is_one_first_author():
    """"Abd El Rahman" / "Abdelrahman", "Van der Berg" / "Vandenberg", "De la Cruz" / "Delacruz", "Bär" / "Baer": one
    first author written two ways, so one paper's copies were kept apart and screened twice."""
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Abd El Rahman, M.", "Abdelrahman, M."), ("Van der Berg, J.", "Vandenberg, J."),
                 ("De la Cruz, A.", "Delacruz, A."), ("Bär, K.", "Baer, K."), ("Schäfer, K.", "Schaefer, K.")):
        for place in ({"volume": "64", "pages": "431-436"}, {}):
            out = find_duplicates(table(rec(t, year=1996, authors=(a,), **place),
                                        rec(t, year=1996, authors=(b,), source_db="embase", **place)))
            assert groups(out) == [1, 1], (a, b, place)


def test_a_surname_inside_another_stays_another_first_author():
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Berg, J.", "Vandenberg, J."), ("Berg, J.", "Goldberg, J."), ("Bar, K.", "Baer, K."),
                 ("Yu, K.", "Yue, K.")):
        out = find_duplicates(table(rec(t, year=1996, authors=(a,), volume="64", pages="431-436"),
                                    rec(t, year=1996, authors=(b,), volume="64", pages="431-436", source_db="embase")))
        assert groups(out) == [1, 2], (a, b)


def test_one_surname_written_two_ways_with_other_given_names_is_two_first_authors_listed():
    """"Mohamed, Ahmed" / "Muhammad, Sara", "Van den Berg, Maria" / "Vandenberg, Johan", "Bär, Anna" / "Baer, Thomas":
    the surname is one written two ways, but the given names say two people. Two such papers of one title and year
    (without volume or page) were joined as one, and a study left screening; they are kept apart and listed. One
    person's copies ("Van den Berg, J." / "Vandenberg, Johan") are still one."""
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Mohamed, Ahmed", "Muhammad, Sara"), ("Hossein, Ali", "Husain, Maryam"),
                 ("Van den Berg, Maria", "Vandenberg, Johan"), ("Van den Berg M", "Vandenberg J"),
                 ("Bär, Anna", "Baer, Thomas"), ("Abd El Rahman, Khaled", "Abdelrahman, Mona")):
        out, review = find_duplicates_with_review(table(rec(t, year=1996, authors=(a,)),
                                                        rec(t, year=1996, authors=(b,), source_db="embase")))
        assert groups(out) == [1, 2], (a, b)
        assert "other given names" in review["reason"].iloc[0], (a, b)
    for a, b in (("Mohamed, Ahmed", "Muhammad, A."), ("Van den Berg, J.", "Vandenberg, Johan"),
                 ("Bär, Anna", "Baer, A.")):
        out = find_duplicates(table(rec(t, year=1996, authors=(a,)), rec(t, year=1996, authors=(b,),
                                                                          source_db="embase")))
        assert groups(out) == [1, 1], (a, b)


def test_surnames_a_letter_apart_with_other_given_names_are_two_first_authors_listed():
    """"Hansen, Lars" / "Hanson, Erik", "Peterson, Anna" / "Petersen, Mark": surnames a letter apart are read as one
    name mistyped, and two such papers of one title and year were joined as one first author's, a study left
    screening. The given names say two people: kept apart and listed. One person's copies with the surname mistyped
    ("Hansen, Lars" / "Hanson, L.") are still one."""
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Hansen, Lars", "Hanson, Erik"), ("Peterson, Anna", "Petersen, Mark"),
                 ("Nielsen, Ole", "Nilsen, Per"), ("Hansen L", "Hanson E")):
        for place in ({"volume": "64", "pages": "431-436"}, {}):
            out, review = find_duplicates_with_review(table(rec(t, year=1996, authors=(a,), **place),
                                                            rec(t, year=1996, authors=(b,), source_db="embase",
                                                                **place)))
            assert groups(out) == [1, 2], (a, b, place)
            assert "other given names" in review["reason"].iloc[0], (a, b, place)
    for a, b in (("Hansen, Lars", "Hanson, L."), ("Peterson, Anna", "Petersen, Anna")):
        out = find_duplicates(table(rec(t, year=1996, authors=(a,)), rec(t, year=1996, authors=(b,),
                                                                          source_db="embase")))
        assert groups(out) == [1, 1], (a, b)


def test_one_given_name_under_two_surnames_is_two_first_authors_listed():
    """"Berg, Anna" / "Vandenberg, Anna": the given name was the word they had in common, so two studies of one title
    and year were joined as one first author's and a study left screening. They are kept apart (listed at one volume
    and page); one DOI still joins them, and one person's name in two notations ("Van den Berg, Anna" / "Vandenberg,
    Anna", "Berg, Anna" / "Anna Berg") is still one."""
    t = "Level of D-dimer and comparison with cell count in pleural effusion from tuberculosis and neoplasms"
    for a, b in (("Berg, Anna", "Vandenberg, Anna"), ("Berg, Anna", "Goldberg, Anna"), ("Smith, Anna", "Jones, Anna")):
        out = find_duplicates(table(rec(t, year=1996, authors=(a,)), rec(t, year=1996, authors=(b,),
                                                                          source_db="embase")))
        assert groups(out) == [1, 2], (a, b)
        page = {"volume": "64", "pages": "431-436"}
        out, review = find_duplicates_with_review(table(rec(t, year=1996, authors=(a,), **page),
                                                        rec(t, year=1996, authors=(b,), source_db="embase", **page)))
        assert groups(out) == [1, 2], (a, b)
        assert "different first authors" in review["reason"].iloc[0], (a, b)
        out = find_duplicates(table(rec(t, year=1996, authors=(a,), doi="10.1000/xyz.1996.1"),
                                    rec(t, year=1996, authors=(b,), doi="10.1000/xyz.1996.1", source_db="embase")))
        assert groups(out) == [1, 1], (a, b)
    for a, b in (("Van den Berg, Anna", "Vandenberg, Anna"), ("Berg, Anna", "Berg, A."), ("Berg, Anna", "Anna Berg")):
        out = find_duplicates(table(rec(t, year=1996, authors=(a,)), rec(t, year=1996, authors=(b,),
                                                                          source_db="embase")))
        assert groups(out) == [1, 1], (a, b)


def test_reviewer_decisions_override_the_evidence():
    recs = table(
        rec("Colchicine prevents early post-operative pericardial effusions", authors=("Imazio, M.",), volume="32",
            pages="597"),
        rec("Post-pericardiotomy syndrome: contemporary features and prognosis", authors=("Imazio, M.",),
            volume="32", pages="597"),
        rec("Robot-assisted modifications of gait in healthy individuals", volume="202", pages="809"),
        rec("Robot-assisted modifications of gait in healthy individuals", volume="202", pages="809"),
    )
    out, review = find_duplicates_with_review(recs, merged=[(1, 2)], kept_apart=[(3, 4)])
    assert groups(out) == [1, 1, 3, 4]
    assert "merged by the reviewer" in out.set_index("record_id").loc[2, "reason"]
    assert review.empty


def test_number_column_holding_record_numbers_is_not_taken_for_the_issue(tmp_path):
    from screener.io import read_records

    rows = ["title,number,volume"] + [f"Study {k},{1000 + k},{k % 5}" for k in range(30)]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = read_records(tmp_path / "t.csv")
    assert all(r["issue"] is None for r in res.records)
    assert any("record number" in w for w in res.warnings)
    rows = ["title,number,volume"] + [f"Study {k},{k % 4 + 1},{k % 5}" for k in range(30)]
    (tmp_path / "u.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [r["issue"] for r in read_records(tmp_path / "u.csv").records][:3] == ["1", "2", "3"]


# The anchor figures in ../shared/dedup_benchmark/README.md: bib-dedupe 0.11.0's recall there.
_ANCHOR_RECALL = {"stroke": 0.996, "respiratory": 0.925, "digital_work": 0.998}
# Pairs the gold keeps apart that are one article: in respiratory, Billeter et al.'s review in
# Langenbecks Arch Surg, online first (2012, pages 1-9, which Excel had made '01-Sep') and in print
# (2013, 398:515-523, nine pages too); the same title, six authors and journal
_GOLD_SPLIT = {"respiratory": {(1881, 1882)}}


def test_shared_searches_no_false_merges_and_recall_near_bib_dedupe(shared_dir):
    from pathlib import Path

    import pytest
    from scripts import REPO, load_script

    folder = Path(shared_dir) / "dedup_benchmark"
    if not folder.exists():
        pytest.skip(f"{folder} is absent (the shared de-duplication benchmark)")
    bench = load_script(REPO / "benchmarks" / "bench_dedup.py", "bench_dedup")
    for name, anchor in _ANCHOR_RECALL.items():
        df, gold, _ = bench.read_search(folder / name)
        s = bench.score(find_duplicates(df).set_index("record_id")["group_id"], gold)
        fp = [p for p in s["fp"] if p not in _GOLD_SPLIT.get(name, ())]
        assert 1 - len(fp) / max(s["pred_pairs"], 1) >= 0.998, (name, fp[:5])
        assert s["recall"] >= anchor - 0.01, (name, s["recall"])


def test_issue_numbers_that_never_repeat_are_not_evidence():
    """Some EndNote libraries hold a record number in the issue field: one value per record. Read
    as issues, every pair of true duplicates would differ."""
    recs = []
    for k in range(12):
        t = f"Randomised trial number {k} of talc against bleomycin for malignant pleural effusion"
        recs.append(rec(t, volume=str(k + 1), pages=f"{10 * k + 1}-{10 * k + 9}", issue=str(1000 + 2 * k)))
        recs.append(rec(t, volume=str(k + 1), pages=f"{10 * k + 1}-{10 * k + 9}", issue=str(1001 + 2 * k)))
    out = find_duplicates(table(*recs))
    assert out["group_id"].nunique() == 12


def test_shared_respiratory_endnote_xml_gives_the_csv_result(shared_dir):
    from pathlib import Path

    import pytest

    from screener.io import read_records

    path = Path(shared_dir) / "dedup_benchmark" / "respiratory" / "Respiratory.xml"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared de-duplication benchmark)")
    df = pd.DataFrame(read_records(path).records).drop(columns=["raw"])
    df.index = pd.RangeIndex(1, len(df) + 1, name="record_id")
    assert df["volume"].notna().mean() > 0.9 and df["start_page"].notna().mean() > 0.9
    assert 400 <= int((~find_duplicates(df)["is_primary"]).sum()) <= 460  # the CSV gives 424 (gold: 436)


def test_a_merge_joins_the_whole_group_of_each_record():
    # records 2, 3 and 4 are one study (the same title, place and author); record 1 is another
    t = "Design of a syndemic based intervention to facilitate care for men who have sex with men"
    recs = table(
        rec("Sexual confidence: CBT for social anxiety disorder with HIV risk reduction", year=2020,
            authors=("Hart, T. A.",)),
        rec(t, year=2017, authors=("Dijkstra, M.",), volume="17", pages="398"),
        rec(t.upper(), year=2017, authors=("Dijkstra, M.",), volume="17", pages="398", source_db="scopus"),
        rec(t, year=2017, authors=("Dijkstra, M.",), volume="17", pages="398", doi="10.1186/s12879-017-2474-x"),
    )
    assert groups(find_duplicates(recs)) == [1, 2, 2, 2]
    out, review = find_duplicates_with_review(recs, merged=[(1, 2)])
    assert groups(out) == [1, 1, 1, 1]  # 2 stays with 3 and 4; 1 joins them, not 2 leaving them
    assert review.empty
    # a keep-apart decision still wins over the merge that would break it
    out, _ = find_duplicates_with_review(recs, merged=[(1, 2)], kept_apart=[(1, 4)])
    assert groups(out) == [1, 2, 2, 2]


def test_merge_message_names_every_record_of_the_study_and_what_differs():
    from screener.dedup import merge_blockers, merge_message

    t = "Design of a syndemic based intervention to facilitate care for men who have sex with men"
    recs = table(
        rec("Sexual confidence: CBT for social anxiety disorder with HIV risk reduction", year=2020),
        rec(t, year=2017, volume="17", pages="398"),
        rec(t, year=2017, volume="17", pages="398", source_db="scopus"),
    )
    before = find_duplicates(recs)
    after = find_duplicates_with_review(recs, merged=[(1, 2)])[0]
    msg = merge_message(before, after, 1, 2, records=recs)
    assert "Records 1, 2 and 3 are now one study" in msg
    assert "Record 1 joined the group of records 2 and 3" in msg
    assert "years 2017 and 2020" in msg and "--keep-apart 1,2" in msg
    assert "already one study (with 1)" in merge_message(after, after, 2, 3, records=recs)
    assert merge_blockers(before, 1, 2, [(1, 3)]) == [(1, 3)]
    assert merge_blockers(before, 1, 2, [(1, 2)]) == []  # the pair's own older decision is replaced


SIBLINGS = [  # one group's two studies in one year: the first with a DOI and no place, the other bare
    ("Risk of ovarian cancer in BRCA1 mutation carriers: a prospective cohort study",
     "Risk of ovarian cancer in BRCA2 mutation carriers: a prospective cohort study"),
    ("Continuous glucose monitoring in adolescents with type I diabetes: a randomised trial",
     "Continuous glucose monitoring in adolescents with type II diabetes: a randomised trial"),
    ("Prevalence of depressive symptoms among men living with HIV in rural Uganda",
     "Prevalence of depressive symptoms among women living with HIV in rural Uganda"),
    ("Interim estimates of influenza A(H1N1)pdm09 vaccine effectiveness in older adults in Europe",
     "Interim estimates of influenza A(H3N2) vaccine effectiveness in older adults in Europe"),
    ("Cognitive behavioural therapy for insomnia in older adults. Part A: study design and baseline",
     "Cognitive behavioural therapy for insomnia in older adults. Part B: study design and baseline"),
    ("Mortality in patients with diabetes admitted to intensive care with COVID-19 pneumonia",
     "Mortality in patients without diabetes admitted to intensive care with COVID-19 pneumonia"),
    ("Short-term outcomes of bariatric surgery in adolescents with severe obesity in Sweden",
     "Long-term outcomes of bariatric surgery in adolescents with severe obesity in Sweden"),
    ("Peer support for people who inject drugs in Vancouver: protocol for a randomised controlled trial",
     "Peer support for people who inject drugs in Vancouver: a randomised controlled trial"),
]


def test_near_identical_titles_of_different_studies_are_kept_apart():
    for a, b in SIBLINGS:
        out = find_duplicates(table(rec(a, doi="10.1/sibling.a", journal="BMJ Open"),
                                    rec(b, journal="BMJ Open", source_db="embase")))
        assert groups(out) == [1, 2], (a, b)
    # a typo is still one study
    out = find_duplicates(table(rec(SIBLINGS[2][0], doi="10.1/x", journal="BMJ Open"),
                                rec(SIBLINGS[2][0].replace("depressive", "depresive"), journal="BMJ Open")))
    assert groups(out) == [1, 1]


def test_replies_placeholders_short_titles_and_columns_are_not_one_study():
    article = "Effect of vitamin D supplementation on depression in older adults: a randomized clinical trial"
    for reply in (article + "—Reply", "Re: " + article, "Authors' reply: " + article, "In reply: " + article):
        out = find_duplicates(table(rec(article, volume="323", pages="1123-1130", doi="10.1/jama"),
                                    rec(reply, year=2011, source_db="embase")))
        assert groups(out) == [1, 2], reply
    for title in ("[Not Available]", "Burnout in nurses", "Notes on contributors", "Poster session 3"):
        out = find_duplicates(table(rec(title, authors=()), rec(title, authors=(), source_db="embase")))
        assert groups(out) == [1, 2], title
    # a column in four issues of one year, each on page 1, no volume
    col = "Message from the president of the society"
    out = find_duplicates(table(*(rec(col, pages="1", issue=str(k), source_db=f"db{k}") for k in range(1, 5))))
    assert len(set(groups(out))) == 4


def test_a_journal_abbreviated_with_j_is_the_journal():
    from screener.dedup import journals_compatible

    assert journals_compatible("J Adv Nurs", "Journal of Advanced Nursing")
    assert journals_compatible("N Engl J Med", "The New England Journal of Medicine")
    assert journals_compatible("Int J Nurs Stud", "International Journal of Nursing Studies")
    assert not journals_compatible("J Adv Nurs", "Journal of Clinical Psychology")


ONE_PAPER_TWO_WAYS = [  # one paper as two databases wrote it: still one study
    ("PIN12 Burden of hepatitis C among people who inject drugs in Europe",
     "Burden of hepatitis C among people who inject drugs in Europe", {}),
    ("Burden of hepatitis C among people who inject drugs in Europe1",
     "Burden of hepatitis C among people who inject drugs in Europe", {}),
    ("A 2×2 factorial trial of exercise and diet in adults with obesity in Denmark",
     "A 2 x 2 factorial trial of exercise and diet in adults with obesity in Denmark", {}),
    ("Vitamin D versus placebo in fragile X syndrome: a randomised trial in children",
     "Vitamin D v. placebo in fragile X syndrome: a randomised trial in children", {}),
    ("Oral presentation skills of medical students: a randomised trial of video feedback",
     "Oral presentation skills of medical students: a randomised trial of video feedback", {"year": 2011}),
    ("Peer workers in harm reduction services: a randomised controlled trial in Glasgow",
     "Peer workers in harm reduction services: a randomised controlled trial in Glasgow",
     {"pmid": "31000001", "doi": "10.1016/s0140-6736(19)30041-8/fulltext"}),
]


def test_one_paper_written_two_ways_is_still_one_study():
    for a, b, other in ONE_PAPER_TWO_WAYS:
        first = rec(a, doi="10.1016/s0140-6736(19)30041-8" if "pmid" in other else None)
        first["pmid"] = other.get("pmid")
        second = rec(b, year=other.get("year", 2010), doi=other.get("doi"), source_db="embase")
        second["pmid"] = other.get("pmid")
        assert groups(find_duplicates(table(first, second))) == [1, 1], (a, b)


def test_journal_abbreviations_with_as_many_words_and_different_journals():
    from screener.dedup import journals_compatible

    assert journals_compatible("Journal of Infection and Chemotherapy", "J Infect Chemother")
    assert not journals_compatible("J Pediatr", "Pediatrics")
    assert not journals_compatible("J Clin Oncol", "Clinical Oncology")


def test_a_pair_placed_by_volume_and_issue_says_so_not_first_page_none():
    t = "Editor's comments on the state of information systems research"
    out = find_duplicates(table(rec(t, volume="27", issue="1", journal="MIS Quarterly"),
                                rec(t, volume="27", issue="1", journal="MIS Quarterly", source_db="scopus")))
    reason = out.set_index("record_id").loc[2, "reason"]
    assert groups(out) == [1, 1] and "same volume (27) and issue (1)" in reason and "None" not in reason
    out = find_duplicates(table(rec(t, volume="27", pages="11-19"), rec(t, volume="27", pages="11-9")))
    assert "same volume (27) and first page (11)" in out.set_index("record_id").loc[2, "reason"]


def test_a_title_in_two_journals_does_not_keep_one_journal_s_two_copies_apart():
    """A meeting abstract in Chest, printed again the next year in another journal, made its title "recur",
    and a recurring title needs volume and first page to join two records: the Chest copy without pages and
    the Chest copy with its abstract page (same volume, same year) were kept apart. So were PLoS ONE's
    article from Ovid ("PLoS ONE [Electronic Resource]", e43268) and from Embase (no page), because the
    authors' ASCO abstract in the Journal of Clinical Oncology shares the title. A title that recurs within
    one journal (a column in each issue), or copies naming no journal or another year, still need a place."""
    t = ("Safety and effectiveness of three different doses of silver nitrate for pleurodesis in patients with "
         "malignant pleural effusion: ")
    terra = ("Terra, R. M.", "Bellato, R. T.")
    p = "Cell-free microRNA expression profiles in malignant effusion associated with patient survival in NSCLC"
    wang = ("Wang, T.", "Lv, M.")
    plos = [
        rec(p, year=2012, authors=("Wang, Tingting", "Lv, Mingming"), journal="PLoS ONE [Electronic Resource]",
            volume="7", pages="e43268"),
        rec(p, year=2012, authors=wang, journal="PLoS ONE", volume="7", source_db="embase"),
        rec(p, year=2012, authors=wang, journal="Journal of Clinical Oncology", volume="30", source_db="embase"),
        rec(p, year=2012, authors=wang, journal=None, source_db="proquest"),  # no journal: which one?
    ]
    out, review = find_duplicates_with_review(table(
        rec(t + "Preliminary RESULTS", authors=terra, journal="Chest", volume="138", source_db="embase"),
        rec(t + "preliminary results [Abstract]", authors=terra, journal="Chest", volume="138", pages="811a"),
        rec(t + "Preliminary results", year=2011, authors=terra, journal="Heart Surgery Forum", volume="14",
            pages="S134"),
        *plos,
    ))
    assert groups(out) == [1, 1, 3, 4, 4, 6, 7]
    assert (4, 7) in set(map(tuple, review[["record_id", "other_id"]].values.tolist()))
    # the title in another volume of PLoS ONE too: it recurs in one journal, and the copy without a page
    # could be either paper
    out = find_duplicates(table(*plos, rec(p, year=2013, authors=wang, journal="PLoS ONE", volume="8",
                                           pages="e51234", source_db="embase")))
    assert groups(out) == [1, 2, 3, 4, 5]


def test_ovid_fields_run_into_a_translated_title_are_cut_before_comparing():
    """Ovid exports of non-English papers can run the next fields into the bracketed English title:
    "[<title>] LA: Chi" (language), "[<title>] TO: <original title>". The copy with "TO: Espirometria ..."
    was kept apart from the three other copies of one Brazilian paper (same journal, volume and year)."""
    t = ("Incentive spirometry with expiratory positive airway pressure brings benefits after myocardial "
         "revascularization")
    assert strip_title_notes(f"[{t}] TO: Espirometria incentivada con presion positiva espiratoria es beneficiosa") \
        == f"[{t}]"
    assert strip_title_notes("[Research on fast track surgery application in lung cancer surgery] LA: Chi") \
        == "[Research on fast track surgery application in lung cancer surgery]"
    assert strip_title_notes("Methods. TO: a protocol") == "Methods. TO: a protocol"  # not after a translated title
    authors = ("Ferreira, G. M.", "Haeffner, M. P.")
    out = find_duplicates(table(
        rec(t, journal="Arquivos Brasileiros de Cardiologia", volume="94", pages="233-238+230-235+246-251",
            authors=authors, source_db="embase"),
        rec(f"[{t}]", journal="Arquivos Brasileiros de Cardiologia", volume="94", pages="233-8, 230-5, 246-51",
            authors=("Ferreira, Gloria Menz", "Haeffner, Mauren Porto")),
        rec(f"[{t}] TO: Espirometria incentivada con presion positiva espiratoria es beneficiosa despues",
            journal="Arquivos Brasileiros de Cardiologia", volume="94", authors=authors, source_db="lilacs"),
    ))
    assert groups(out) == [1, 1, 1]
