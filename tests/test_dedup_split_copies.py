"""De-duplication: copies of one record that databases write in two notations are joined, and the records those
notations could be mistaken for stay apart."""

from __future__ import annotations

import pandas as pd
import pytest

from screener.dedup import find_duplicates, find_duplicates_with_review


def rec(title, **extra):
    r = {"title": title, "abstract": None, "authors": ["Smith, John", "Jones, Ann"], "year": 2021,
         "journal": "Lancet Respiratory Medicine", "doi": None, "pmid": None, "keywords": [], "type": "JOUR",
         "source_db": "medline"}
    r.update(extra)
    return r


def group_of(*records) -> list[int]:
    """The group of each record, in order."""
    df = pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id"))
    return find_duplicates(df)["group_id"].tolist()


def joined(a, b) -> bool:
    return len(set(group_of(a, b))) == 1


# ----------------------------------------------------------------------------- phase written in Roman or Arabic

PHASE = "Efficacy of tezepelumab in adults with severe asthma: a phase {} randomised trial"


def test_phase_in_roman_and_arabic_numbers_is_one_record():
    for extra in ({"pages": "100-110"}, {}):
        assert joined(rec(PHASE.format("IIb"), **extra), rec(PHASE.format("2b"), source_db="embase", **extra))
    assert joined(rec(PHASE.format("III"), pages="100-110"), rec(PHASE.format("3"), source_db="embase",
                                                                  pages="100-110"))


def test_other_phases_stay_apart():
    for a, b in (("IIb", "3"), ("IIa", "2b"), ("II", "III")):
        assert not joined(rec(PHASE.format(a), pages="100-110"), rec(PHASE.format(b), source_db="embase",
                                                                     pages="100-110")), (a, b)


# ----------------------------------------------------------------------------- COVID-19 / COVID, HIV-1 / HIV

COVID = "Outcomes of {} in hospitalised patients with chronic kidney disease: a cohort study"


def test_covid_19_and_covid_are_one_record():
    for extra in ({"pages": "100-110"}, {}):
        assert joined(rec(COVID.format("COVID-19"), **extra), rec(COVID.format("COVID"), source_db="embase", **extra))
    assert joined(rec(COVID.format("COVID19")), rec(COVID.format("COVID"), source_db="embase"))


def test_long_covid_stays_apart_from_covid_19():
    assert not joined(rec(COVID.format("COVID-19")), rec(COVID.format("long COVID"), source_db="embase"))
    assert not joined(rec(COVID.format("COVID-19")), rec(COVID.format("COVID"), source_db="embase", year=2023))


HIV = "Adherence to antiretroviral therapy among adolescents living with {} in Uganda"


def test_hiv_1_and_hiv_join_only_where_the_place_agrees():
    """HIV-1 may be a title's point (HIV-2 is another virus): the same volume and pages confirm one record."""
    place = {"volume": "12", "pages": "100-110"}
    assert joined(rec(HIV.format("HIV-1"), **place), rec(HIV.format("HIV"), source_db="embase", **place))
    assert not joined(rec(HIV.format("HIV-1")), rec(HIV.format("HIV"), source_db="embase"))
    assert not joined(rec(HIV.format("HIV-1"), **place), rec(HIV.format("HIV-2"), source_db="embase", **place))


# ----------------------------------------------------------------------------- one erratum written two ways

ART = "Adherence to antiretroviral therapy among adolescents in Uganda"


def test_erratum_headed_and_noted_is_one_erratum_never_the_article():
    for extra in ({"pages": "100"}, {}):
        headed = rec("Erratum: " + ART, **extra)
        noted = rec(ART + " [Erratum]", source_db="embase", **extra)
        typed = rec(ART, source_db="scopus", type="Erratum", **extra)
        article = rec(ART, source_db="psycinfo", **extra)
        g = group_of(headed, noted, typed, article)
        assert g[0] == g[1] == g[2] != g[3], extra


def test_erratum_stays_apart_from_the_article_and_from_another_erratum():
    assert not joined(rec("Erratum: " + ART, pages="100"), rec(ART, source_db="embase", pages="100"))
    retraction = rec(ART + " [Retraction of: Smith J. AIDS Care 2020]", source_db="embase")
    assert not joined(rec("Erratum: " + ART), retraction)


# ----------------------------------------------------------------------------- a title cut inside its last abbreviation

WHOLE = "Effect of dupilumab on lung function in patients with {}"


def test_title_cut_inside_its_last_abbreviation_is_the_whole_title():
    place = {"volume": "3", "pages": "5-9"}
    for whole, cut in (("COPD", "COP"), ("COPD", "CO"), ("HFrEF", "HFrE")):
        assert joined(rec(WHOLE.format(whole), **place), rec(WHOLE.format(cut), source_db="embase", **place)), cut


def test_other_abbreviation_stays_apart_where_no_title_is_cut():
    place = {"volume": "3", "pages": "5-9"}
    assert not joined(rec(WHOLE.format("HFrEF"), **place), rec(WHOLE.format("HFpEF"), source_db="embase", **place))
    assert not joined(rec(WHOLE.format("HFrEF")), rec(WHOLE.format("HFrE") + " in Japan", source_db="embase"))
    early = "Lung function in {} patients treated with dupilumab for one year"
    assert not joined(rec(early.format("COPD")), rec(early.format("COP"), source_db="embase"))


def test_title_ending_in_a_shorter_abbreviation_with_no_journal_nor_place_to_confirm_a_cut_stays_apart():
    """"... with COP" (cryptogenic organising pneumonia) and "... with COPD" by one team: with no journal on a record
    and no volume and page, nothing says a database cut the title, and the two studies were joined."""
    cop, copd = rec(WHOLE.format("COP"), journal=None), rec(WHOLE.format("COPD"), journal=None, source_db="embase")
    assert not joined(cop, copd)
    assert not joined(dict(cop, journal="Lancet Respiratory Medicine"), copd)
    # one journal, no volume nor page: "... with CF" and "... with CFRD" by one team are two studies
    assert not joined(rec(WHOLE.format("CF")), rec(WHOLE.format("CFRD"), source_db="embase"))
    assert not joined(rec(WHOLE.format("COP")), rec(WHOLE.format("COPD"), source_db="embase"))
    place = {"volume": "3", "pages": "5-9"}
    assert joined(dict(cop, **place), dict(copd, **place))  # one volume and page: the title cut


# ----------------------------------------------------------------------------- a drug's code added in brackets

DRUG = "Osimertinib{} in EGFR-mutant non-small cell lung cancer with brain metastases: first results"


def abstract(title, **extra):
    place = {"journal": "Annals of Oncology", "volume": "29", "pages": "S100", "type": "Conference Abstract"}
    return rec(title, **{**place, **extra})


def test_drug_code_in_brackets_on_one_supplement_page_is_one_abstract():
    assert joined(abstract(DRUG.format("")), abstract(DRUG.format(" (AZD9291)"), source_db="embase"))
    assert joined(abstract(DRUG.format("")), abstract(DRUG.format(" (AZD-9291)"), source_db="embase"))
    # one database writes the supplement's page "S100", another "100": as for one title without the code
    assert joined(abstract(DRUG.format("")), abstract(DRUG.format(" (AZD9291)"), source_db="embase", pages="100"))


def test_other_drug_codes_or_words_on_one_supplement_page_stay_apart():
    assert not joined(abstract(DRUG.format(" (AZD3759)")), abstract(DRUG.format(" (AZD9291)"), source_db="embase"))
    assert not joined(abstract(DRUG.format("")), abstract(DRUG.format(" (adjuvant)"), source_db="embase"))
    assert not joined(abstract(DRUG.format("")), abstract(DRUG.format(" plus AZD9291"), source_db="embase"))
    assert not joined(abstract(DRUG.format("")), abstract(DRUG.format(" plus AZD9291"), source_db="embase",
                                                          pages="100"))


# ----------------------------------------------------------------------------- a yearly report's edition dated twice

YEARLY = "Annual report of the UK cystic fibrosis registry"


def edition(year, **extra):
    return rec(YEARLY, **{"journal": "Journal of Cystic Fibrosis", "year": year, **extra})


def test_yearly_edition_dated_a_year_apart_in_one_volume_is_one_record():
    assert joined(edition(2018, volume="17", issue="S1"), edition(2019, volume="17", issue="S1", source_db="embase"))
    assert joined(edition(2018, volume="17", pages="S1-S40"), edition(2019, volume="17", source_db="embase"))


def test_yearly_editions_without_a_volume_to_confirm_them_stay_apart():
    assert not joined(edition(2018), edition(2019, source_db="embase"))
    assert not joined(edition(2018, volume="17"), edition(2019, volume="18", source_db="embase"))
    assert not joined(edition(2018, volume="17", issue="1"), edition(2019, volume="17", issue="2", source_db="embase"))
    assert not joined(edition(2018, doi="10.1016/j.jcf.2018.01.001"), edition(2019, source_db="embase"))


def test_short_title_ending_in_another_abbreviation_is_not_read_as_cut():
    assert not joined(rec("Immunotherapy outcomes in PDAC"), rec("Immunotherapy outcomes in PD", source_db="embase"))


# ----------------------------------------------------------------------- a Greek letter printed or spelled in Latin

GREEK = ("Anti-{} therapy and the risk of serious infection in rheumatoid arthritis", "Serum {} in sepsis",
         "{} blockade in psoriasis")


def test_greek_letter_printed_spelled_or_cut_to_its_latin_letter_is_one_record():
    """One database prints "TNF-α", another "TNFa", "TNF-alpha" or "TNF alpha": a reviewer screened the study twice."""
    for title in GREEK:
        for printed, written in (("TNF-α", "TNFa"), ("TNF-α", "TNF-a"), ("TNF-α", "TNFalpha"),
                                 ("TNF-α", "TNF alpha"), ("PPARγ", "PPARg"), ("IL-1β", "IL-1b"), ("NF-κB", "NFkB"),
                                 ("NF-κB", "NF-kappaB"), ("TGF-β1", "TGF-b1"), ("HIF-1α", "HIF-1a"), ("IFN-γ", "IFNg")):
            for place in ({}, {"volume": "3", "pages": "5-9"}):
                a, b = rec(title.format(printed), **place), rec(title.format(written), source_db="embase", **place)
                assert joined(a, b), (title.format(written), place)


def test_other_greek_letter_or_latin_letter_that_is_no_greek_letter_stays_apart():
    for title in GREEK:
        for a, b in (("TNF-α", "TNFb"), ("TNFa", "TNFb"), ("PPARg", "PPARa"), ("IL-1a", "IL-1β"), ("ERa", "ERb")):
            assert not joined(rec(title.format(a)), rec(title.format(b), source_db="embase")), (a, b)
    # "PCa" is prostate cancer, "MAb" an antibody: no Greek letter to read in them
    assert not joined(rec("Active surveillance for PCa in men over 75 years"),
                      rec("Active surveillance for PC alpha in men over 75 years", source_db="embase"))
    # the article "a" after a dash written as a hyphen stays the article
    review = "Long COVID{} systematic review of persistent symptoms in children"
    assert joined(rec(review.format("-a")), rec(review.format(": a"), source_db="embase"))


def test_a_roman_numeral_with_its_letter_is_no_greek_letter():
    """"Stage IIIa" is stage 3a, "factor XIa" the activated factor 11: one database writes "IIIA", another "IIIa"."""
    title = "Durvalumab after chemoradiotherapy in stage {} non-small cell lung cancer: a cohort study"
    for a, b in (("IIIa", "IIIA"), ("IIIa", "3a"), ("IIb", "2b")):
        for place in ({}, {"volume": "3", "pages": "5-9", "doi": "10.1016/j.lungcan.2021.01.001"}):
            assert joined(rec(title.format(a), **place), rec(title.format(b), source_db="embase", **place)), (a, b)
    assert joined(rec("Asundexian, an oral factor XIa inhibitor, in atrial fibrillation: a phase 2 trial"),
                  rec("Asundexian, an oral factor XIA inhibitor, in atrial fibrillation: a phase 2 trial",
                      source_db="embase"))


# ----------------------------------------------------------------------- a title cut short where one copy has no place

CFRD = ("Cystic fibrosis-related diabetes (CFRD) in adults: prevalence, screening practices and outcomes in a national "
        "registry")


def cf(title, **extra):
    return rec(title, **{"authors": ["Moran, Antoinette", "Brunzell, Carol"], "year": 2019,
                         "journal": "Journal of Cystic Fibrosis", **extra})


def placed(title=CFRD, **extra):
    return cf(title, **{"volume": "18", "pages": "100-110", "doi": "10.1016/j.jcf.2019.01.001", **extra})


def reviewed(*records) -> tuple[list[int], list[str]]:
    """The group of each record, and the reasons of the pairs listed for review."""
    df = pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id"))
    assignments, review = find_duplicates_with_review(df)
    return assignments["group_id"].tolist(), review["reason"].tolist()


def test_title_cut_short_in_one_journal_year_and_first_author_is_one_record():
    """One database cut the title ("... in a...", or inside a word) or wrote "CF" for "cystic fibrosis", and gave no
    volume nor pages: the reviewer screened the study twice."""
    start = "Cystic fibrosis-related diabetes (CFRD) in adults: prevalence, screening practices and outcomes in a"
    for cut in (start + "...", start + " natio", "CF-related diabetes in adults: prevalence, screening practices and "
                "outcomes in a natio",
                "CFRD in adults: prevalence, screening practices and outcomes in a national registry"):
        assert joined(placed(), cf(cut, source_db="embase")), cut


def test_title_cut_short_without_strong_evidence_is_listed_for_review_not_joined():
    cut = "Cystic fibrosis-related diabetes (CFRD) in adults: prevalence, screening practices and outcomes in a..."
    for other in (cf("Cystic fibrosis-related diabetes (CFRD) in adults", source_db="embase"),  # a subtitle left out?
                  cf(cut[:-len(" in a...")], source_db="embase"),  # ends at a word: cut, or a paper of its own?
                  cf(cut, source_db="embase", year=2020),
                  cf(cut, source_db="embase", journal=None)):
        groups, reasons = reviewed(placed(), other)
        assert groups[0] != groups[1], other
        assert len(reasons) == 1 and "start" in reasons[0], (other, reasons)


def test_titles_that_start_alike_by_other_authors_journals_or_works_stay_apart():
    cut = "Cystic fibrosis-related diabetes (CFRD) in adults: prevalence, screening practices and outcomes in a..."
    assert not joined(placed(), cf(cut, source_db="embase", authors=["Ode, Katie"]))
    assert not joined(placed(), cf(cut, source_db="embase", journal="Diabetes Care"))
    # a protocol and its results paper
    results = "Exercise training for glycaemic control in adults with cystic fibrosis-related diabetes"
    assert not joined(placed(results), cf(results + ": protocol for a randomised controlled trial"))
    # one start of two papers (parts 1 and 2): the cut copy may be either
    start = "Cystic fibrosis-related diabetes (CFRD) in adults: prevalence, screening practices and outcomes"
    groups, reasons = reviewed(placed(start + " in a national registry, part 1"), cf(start + " in a natio"),
                               placed(start + " in a national registry, part 2", volume="19", doi="10.1/jcf.2"))
    assert len(set(groups)) == 3 and reasons, (groups, reasons)


def test_title_ending_at_a_word_the_search_writes_whole_is_listed_not_joined_as_cut():
    """A conference abstract "... in adults with chronic pain" (no volume nor page) and the same author's paper "...
    chronic painful diabetic neuropathy" that year: "pain" is a word of its own, not "painful" cut inside."""
    start = "Sleep quality and depressive symptoms in adults with cystic fibrosis and chronic pain"
    other = cf("Chronic pain in adults with cystic fibrosis: a cross-sectional survey", authors=["Ode, Katie"],
               volume="18", pages="5-9", doi="10.1016/j.jcf.2019.02.002")
    groups, reasons = reviewed(placed(start + "ful diabetic neuropathy"), cf(start, source_db="embase", type="CONF"),
                               other)
    assert groups[0] != groups[1], reasons
    assert any("start" in r and "'pain'" in r for r in reasons), reasons
    # a word cut inside that no title writes whole is still the cut copy
    assert joined(placed(start + "ful diabetic neuropathy"), cf(start + "fu", source_db="embase", type="CONF"))


def test_greek_letter_in_a_gene_symbol_in_capitals_or_an_interleukin_in_words_is_one_record():
    """One database prints "TNF-α" or "IL-1β", another the gene's symbol in capitals ("TNFA", "IL1B"), the name glued
    to its number ("IL1β") or the interleukin in words ("interleukin-1 beta"): a reviewer screened the study twice."""
    for title in GREEK:
        for printed, written in (("TNF-α", "TNFA"), ("TNF-α", "TNF-A"), ("IL-1β", "IL1B"), ("IL-1β", "IL-1B"),
                                 ("IL-1β", "IL1β"), ("IL-1β", "IL1b"), ("IL-1β", "interleukin-1 beta"),
                                 ("IL-1β", "Interleukin-1beta"), ("IL-6", "interleukin 6"), ("TGF-β1", "TGFB1"),
                                 ("HIF-1α", "HIF1A"), ("IFN-γ", "IFNG"), ("PPARγ", "PPARG"), ("NF-κB", "NFKB"),
                                 ("GSK-3β", "GSK3B"), ("GSK-3β", "GSK3β")):
            for place in ({}, {"volume": "3", "pages": "5-9"}):
                a = rec(title.format(printed), **place)
                b = rec(title.format(written), source_db="embase", journal="Lancet Respir Med", **place)
                assert joined(a, b), (title.format(written), place)


def test_gaba_receptor_letter_in_any_notation_is_one_record_and_another_letter_stays_apart():
    """"GABAA", "GABAa", "GABA-A" and "GABA(A)" name one receptor (its letter A, no Greek letter): listed for review as
    two abbreviations before, one record now; "GABAA" and "GABAB" are two receptors."""
    title = "Extrasynaptic {} receptors in alcohol use disorder"
    for a, b in (("GABAA", "GABAa"), ("GABAA", "GABA-A"), ("GABA(A)", "GABAa"), ("GABAB", "GABA-B")):
        for place in ({}, {"volume": "3", "pages": "5-9"}):
            assert joined(rec(title.format(a), **place), rec(title.format(b), source_db="embase", **place)), (a, b)
    for a, b in (("GABAA", "GABAB"), ("GABAa", "GABAb"), ("GABA-A", "GABA-B")):
        assert not joined(rec(title.format(a)), rec(title.format(b), source_db="embase")), (a, b)


def test_gaba_receptor_with_its_letter_stays_apart_from_gaba_receptor_without_one():
    """"GABAA receptors" was read as "GABA a receptors", and the lone letter as the article "a": such a paper and one
    on "GABA receptors" (no type named) were joined on title alone and a study left screening. They are kept apart
    and listed; the receptor's letter after a space, where a subscript was lost ("GABA A receptors"), is one
    record still."""
    title = "Extrasynaptic {} receptors in alcohol use disorder"
    for a in ("GABAA", "GABAa", "GABA-A", "GABA(A)", "GABAB"):
        out, review = find_duplicates_with_review(pd.DataFrame(
            [rec(title.format(a)), rec(title.format("GABA"), source_db="embase")],
            index=pd.Index([1, 2], name="record_id")))
        assert out["group_id"].tolist() == [1, 2], a
        assert len(review) == 1, a
    for place in ({}, {"volume": "3", "pages": "5-9"}):
        assert joined(rec(title.format("GABA A"), **place), rec(title.format("GABAA"), source_db="embase", **place))


LIVER = "{} in adults with chronic liver disease: a randomised controlled trial"


def listed_apart(a, b) -> bool:
    """Kept apart and listed for a person to check."""
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    return out["group_id"].tolist() == [1, 2] and len(review) == 1


@pytest.mark.parametrize("with_letter, without", [
    ("Hepatitis A vaccination", "Hepatitis vaccination"), ("Vitamin A supplementation", "Vitamin supplementation"),
    ("Influenza A virus infection", "Influenza virus infection"), ("Serum amyloid A levels", "Serum amyloid levels"),
    ("Serum amyloid A levels", "Serum amyloid β levels"), ("Protein A immunoadsorption", "Protein immunoadsorption"),
    ("Group A streptococcus carriage", "Group streptococcus carriage"),
    ("Type A botulinum toxin", "Type botulinum toxin"),
    ("Influenza A-associated pneumonia", "Influenza-associated pneumonia"),
    ("Medicare Part A coverage", "Medicare Part coverage"), ("Clade A virus infection", "Clade virus infection"),
])
@pytest.mark.parametrize("place", [{}, {"volume": "3", "pages": "5-9"}, {"doi": "10.1016/j.jhep.2021.01.001"}])
def test_a_kinds_letter_a_is_not_the_article(with_letter, without, place):
    """"Hepatitis A" was read as "hepatitis a", its letter as the article: a paper on hepatitis A vaccination and one
    on hepatitis vaccination were joined (on title alone, at one page or DOI) and a study left screening. They are kept
    apart and listed for a person to check."""
    assert listed_apart(rec(LIVER.format(with_letter), **place), rec(LIVER.format(without), source_db="embase",
                                                                         **place))


def test_a_kinds_letter_in_any_case_is_one_record_and_the_article_still_joins():
    """A title in capitals or in Title Case is the same paper; "A" as the article ("A study of ...") still joins its
    copy without it."""
    title = LIVER.format("Hepatitis A vaccination")
    for copy in (title.upper(), "Hepatitis A Vaccination In Adults With Chronic Liver Disease: A Randomised Controlled "
                                "Trial"):
        for place in ({}, {"volume": "3", "pages": "5-9"}):
            assert joined(rec(title, **place), rec(copy, source_db="embase", **place)), copy
    assert joined(rec("A study of hepatitis vaccination in adults with chronic liver disease"),
                  rec("Study of hepatitis vaccination in adults with chronic liver disease", source_db="embase"))
    assert joined(rec("A Randomised Trial Of Vitamin Supplementation In Adults With Chronic Liver Disease"),
                  rec("Randomised trial of vitamin supplementation in adults with chronic liver disease",
                      source_db="embase"))


@pytest.mark.parametrize("with_letter, without", [
    ("Haemophilia A prophylaxis", "Haemophilia prophylaxis"),
    ("Coenzyme A supplementation", "Coenzyme supplementation"),
    ("Protein kinase A inhibition", "Protein kinase inhibition"),
])
@pytest.mark.parametrize("place", [{}, {"volume": "3", "pages": "5-9"}])
def test_a_capital_a_inside_a_title_in_small_letters_is_a_letter(with_letter, without, place):
    """A title that writes its words in small letters writes the article "a": a capital "A" inside it names a kind
    ("haemophilia A"), and a paper on it is kept apart from one without the letter, and listed."""
    assert listed_apart(rec(LIVER.format(with_letter), **place), rec(LIVER.format(without), source_db="embase",
                                                                         **place))


@pytest.mark.parametrize("copy", [
    "HAEMOPHILIA A PROPHYLAXIS IN ADULTS WITH CHRONIC LIVER DISEASE: A RANDOMISED CONTROLLED TRIAL",
    "Haemophilia A Prophylaxis In Adults With Chronic Liver Disease: A Randomised Controlled Trial",
])
def test_a_capital_letter_in_a_copy_in_capitals_or_title_case_is_one_record(copy):
    for place in ({}, {"volume": "3", "pages": "5-9"}):
        assert joined(rec(LIVER.format("Haemophilia A prophylaxis"), **place), rec(copy, source_db="embase", **place))


@pytest.mark.parametrize("with_letter, without", [
    ("hepatitis a vaccination", "Hepatitis vaccination"), ("vitamin a supplementation", "Vitamin supplementation"),
    ("group a streptococcus carriage", "Group streptococcus carriage")])
@pytest.mark.parametrize("place", [{}, {"volume": "3", "pages": "5-9"}])
def test_a_kinds_letter_in_a_title_all_in_small_letters_is_not_the_article(with_letter, without, place):
    """A database that writes the whole title in small letters writes "hepatitis A" as "hepatitis a": its letter was
    read as the article, and a paper on hepatitis A vaccination joined one on hepatitis vaccination, a study left
    screening. They are kept apart and listed; the copy in small letters still joins "Hepatitis A vaccination"."""
    assert listed_apart(rec(LIVER.format(with_letter).lower(), **place),
                        rec(LIVER.format(without), source_db="embase", **place))
    assert joined(rec(LIVER.format(with_letter).lower(), **place),
                  rec(LIVER.format(with_letter.capitalize().replace(" a ", " A ")), source_db="embase", **place))
    assert joined(rec(f"a study of {without.lower()} in adults with chronic liver disease", **place),
                  rec(f"Study of {without.lower()} in adults with chronic liver disease", source_db="embase",
                      **place))


@pytest.mark.parametrize("a, b", [("Hepatitis A vaccination", "Hepatitis B vaccination"),
                                  ("Hepatitis B vaccination", "Hepatitis C vaccination"),
                                  ("Vitamin A supplementation", "Vitamin D supplementation"),
                                  ("Influenza A virus infection", "Influenza B virus infection"),
                                  ("Group A streptococcus carriage", "Group B streptococcus carriage"),
                                  ("Type A botulinum toxin", "Type B botulinum toxin"),
                                  ("Protein A immunoadsorption", "Protein C immunoadsorption"),
                                  ("Medicare Part A coverage", "Medicare Part B coverage")])
def test_two_kinds_letters_stay_apart(a, b):
    for place in ({}, {"volume": "3", "pages": "5-9"}, {"doi": "10.1016/j.jhep.2021.01.001"}):
        assert not joined(rec(LIVER.format(a), **place), rec(LIVER.format(b), source_db="embase", **place)), place


@pytest.mark.parametrize("a, b", [("Group A streptococcus carriage", "Group B streptococcus carriage"),
                                  ("Type A botulinum toxin", "Type B botulinum toxin"),
                                  ("Medicare Part A coverage", "Medicare Part B coverage")])
@pytest.mark.parametrize("place", [{}, {"volume": "3", "pages": "5-9"}, {"doi": "10.1016/j.jhep.2021.01.001"}])
def test_two_letters_after_group_type_or_part_are_listed_for_review(a, b, place):
    """"Group A" / "Group B" on titles alone were kept apart without a word, unlike "Hepatitis A" / "Hepatitis B": a
    reviewer never saw the pair. They are listed, with the letters that tell them apart."""
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(LIVER.format(a), **place), rec(LIVER.format(b), source_db="embase", **place)],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    letter = next(w for w in b.split() if len(w) == 1)
    assert len(review) == 1 and f"'{letter}'" in review["reason"].iloc[0]


def test_two_letters_after_group_on_titles_alone_are_listed_and_one_letter_alone_keeps_them_apart():
    """"Group B" / "Group C" on titles alone is listed too; "Part B coverage" beside "Part coverage" is still two
    records."""
    assert listed_apart(rec(LIVER.format("Group B streptococcus carriage")),
                        rec(LIVER.format("Group C streptococcus carriage"), source_db="embase"))
    assert not joined(rec(LIVER.format("Medicare Part B coverage")),
                      rec(LIVER.format("Medicare Part coverage"), source_db="embase"))


@pytest.mark.parametrize("a, b, said", [
    ("Group B streptococcus", "Group C streptococcus", "'B' and 'C' tell them apart"),
    ("Heart failure in older adults: part 2", "Heart failure in older adults: part 3",
     "titles that differ in their numbers"),
    ("Management of chronic heart failure in older adults, part II",
     "Management of chronic heart failure in older adults, part III", "titles that differ in their numbers"),
])
def test_two_letters_or_numbers_of_a_series_at_one_volume_and_page_are_listed(a, b, said):
    """"Group B" / "Group C" and "Part 2" / "Part 3" at one volume and first page by one first author were kept apart
    without a word, while "Group A" / "Group B" there was listed: two parts cannot start on one page, so one record's
    place or title is wrong and only a person can tell which. They are listed, saying what tells them apart."""
    place = {"volume": "3", "pages": "5-9"}
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(a, **place), rec(b, source_db="embase", **place)], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert review["reason"].tolist() == [f"same volume (3), first page (5) and first author, but {said}"]


def test_the_review_names_a_kinds_letter_as_printed():
    """The list for review said "'A' and 'b' tell them apart" for hepatitis A and B; it names both letters in
    capitals, as the titles print them, and the numerals of two factors too."""
    place = {"volume": "3", "pages": "5-9"}
    for a, b, said in (("Hepatitis A vaccination", "Hepatitis B vaccination", "'A' and 'B' tell them apart"),
                       ("Hepatitis B vaccination", "Hepatitis C vaccination", "'B' and 'C' tell them apart"),
                       ("Factor V Leiden testing", "Factor VII Leiden testing", "'V' and 'VII' tell them apart")):
        _, review = find_duplicates_with_review(pd.DataFrame(
            [rec(LIVER.format(a), **place), rec(LIVER.format(b), source_db="embase", **place)],
            index=pd.Index([1, 2], name="record_id")))
        assert review["reason"].tolist() == [f"same volume (3), first page (5) and first author, but {said}"]


def test_factor_v_and_factor_vii_at_one_page_are_listed_not_joined():
    """"Factor V" and "factor VII" were joined at one volume and first page as one title with a letter more: two
    clotting factors, two studies. They are kept apart there and listed for a person to check."""
    place = {"volume": "3", "pages": "5-9"}
    for a, b in (("Factor V", "Factor VII"), ("Factor II", "Factor V")):
        assert listed_apart(rec(LIVER.format(f"{a} Leiden testing"), **place),
                            rec(LIVER.format(f"{b} Leiden testing"), source_db="embase", **place)), (a, b)
    assert joined(rec(LIVER.format("Factor V Leiden testing"), **place),
                  rec(LIVER.format("Factor V Leiden testing").upper(), source_db="embase", **place))


@pytest.mark.parametrize("place", [{}, {"volume": "3", "pages": "5-9"}, {"doi": "10.1016/j.jhep.2021.01.001"}])
def test_factor_v_and_factor_without_its_numeral_are_listed_not_joined(place):
    """"Factor V Leiden" and "Factor Leiden" at one page or DOI were joined, the numeral read as a word a title can
    lose: one factor's study and another's. They are kept apart and listed; a lone "v" that is not a kind's numeral
    ("... v placebo") is still a word a copy can lose."""
    assert listed_apart(rec(LIVER.format("Factor V Leiden testing"), **place),
                        rec(LIVER.format("Factor Leiden testing"), source_db="embase", **place))
    trial = "Oral anticoagulation in atrial fibrillation: apixaban {}placebo in older adults after a fall"
    assert joined(rec(trial.format("v "), volume="3", pages="5-9"),
                  rec(trial.format(""), source_db="embase", volume="3", pages="5-9"))


def test_other_gene_symbols_in_capitals_stay_apart():
    """Two letters in capitals are two Greek letters: "TNFA" / "TNFB", and "IL1A" / "IL-1β", joined before as one
    title with a letter more."""
    for title in GREEK:
        for a, b in (("TNFA", "TNFB"), ("IL1A", "IL-1β"), ("PPARG", "PPARα"), ("IFNG", "IFN-α"),
                     ("GSK3A", "GSK-3β")):
            assert not joined(rec(title.format(a)), rec(title.format(b), source_db="embase")), (a, b)


# ----------------------------------------------------------------------- near-alike titles at two first pages

EXERCISE = "Effects of a structured exercise programme on the behaviour of older adults with dementia in care homes"


def paged(title, pages, **extra):
    return rec(title, **{"journal": "Age and Ageing", "volume": "48", "pages": pages, **extra})


def test_near_alike_titles_at_two_first_pages_of_one_journal_are_listed_for_review():
    """One paper, its title edited by one database (a dropped "The", a typo, a subtitle set off, "symptom's"), at a
    first page mistyped in one copy (112 and 118): kept apart without a word, and screened twice. Same journal,
    volume, year and first author at two first pages, with near-alike titles, is listed for a person to check."""
    for other in ("The effects of a structured exercise programme on the behaviour of older adults with dementia in "
                  "care homes",
                  EXERCISE.replace("exercise", "excercise"),
                  EXERCISE.replace("dementia in care homes", "dementia: care homes"),
                  EXERCISE.replace("on the behaviour", "on behaviour")):
        ids, reasons = reviewed(paged(EXERCISE, "112-120"), paged(other, "118-126", source_db="embase"))
        assert ids == [1, 2], other
        assert len(reasons) == 1 and "but one journal at two first pages (112 and 118" in reasons[0], \
            (other, reasons)


def test_near_alike_titles_at_two_first_pages_told_apart_otherwise_are_not_listed_so():
    """Another year, first author, journal or a word that makes another study is its own reason, not this one."""
    other = EXERCISE.replace("exercise", "excercise")
    for a, b in ((paged(EXERCISE, "112-120"), paged(other, "118-126", year=2022)),
                 (paged(EXERCISE, "112-120"), paged(other, "118-126", authors=["Brown, Peter"])),
                 (paged(EXERCISE, "112-120"), paged(other, "118-126", journal="Gerontology")),
                 (paged(EXERCISE.replace("older adults", "older men"), "112-120"),
                  paged(EXERCISE.replace("older adults", "older women"), "118-126"))):
        ids, reasons = reviewed(a, dict(b, source_db="embase"))
        assert ids == [1, 2]
        assert not any("one journal at two first pages" in r for r in reasons), reasons


# ----------------------------------------------------------------------- one paper's authors in another order

HIRING = "On service employers' hiring decisions in online labor markets: a perspective of price and quality discovery"


def test_same_title_by_the_same_authors_in_another_order_is_listed_for_review():
    """One database gave a paper's authors in another order ("Hong, Yili; Zheng, Alvin" / "Zheng, A.Z.; Hong, Y."):
    two first authors, so the copies were kept apart without a word and screened twice. They are listed."""
    a = rec(HIRING, authors=["Hong, Yili", "Zheng, Alvin Zuyin"], journal=None, year=2015)
    b = rec(HIRING, authors=["Zheng, A.Z.", "Hong, Y."], journal=None, year=2015, source_db="scopus")
    ids, reasons = reviewed(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "the same authors in another order" in reasons[0], reasons
    # other authors, or one author more, are not one author list in another order
    for other in (["Zheng, A.Z.", "Brown, P."], ["Zheng, A.Z.", "Hong, Y.", "Brown, P."]):
        ids, reasons = reviewed(a, dict(b, authors=other))
        assert ids == [1, 2] and not any("another order" in r for r in reasons), (other, reasons)


def test_authors_in_another_order_are_compared_each_once_as_before_an_import_kept_a_repeated_name():
    """An import kept one of two co-authors of one name ('Hong, Yili' twice) and now keeps both; a project's copy
    imported before has the name once. De-duplication compares each name once, as it did: still listed."""
    a = rec(HIRING, authors=["Hong, Yili", "Hong, Yili", "Zheng, Alvin Zuyin"], journal=None, year=2015)
    b = rec(HIRING, authors=["Zheng, A.Z.", "Hong, Y."], journal=None, year=2015, source_db="scopus")
    ids, reasons = reviewed(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "the same authors in another order" in reasons[0], reasons


def test_one_title_at_one_volume_and_page_by_two_first_authors_is_listed_for_review():
    """A first author's name written two ways that no rule reads as one ("Tsai" / "Cai", Wade-Giles and pinyin), or two
    letters printed under one title on one page: the copies were kept apart without a word. One title at one volume
    and first page by two first authors is listed."""
    for a, b in (("Tsai, K.", "Cai, K."), ("Rosa, Ute W.", "Bouros, Demosthenes")):
        for other in (EXERCISE, EXERCISE.replace("exercise", "excercise")):
            ids, reasons = reviewed(paged(EXERCISE, "112-120", authors=[a]),
                                    paged(other, "112-120", authors=[b], source_db="embase"))
            assert ids == [1, 2], (a, b)
            assert reasons == ["same volume (48), first page (112) and title, but different first authors (one name "
                               "written two ways, or two items on one page?)"], (a, b, reasons)
    # titles a word tells apart, or unlike titles, at one page by two authors: nothing to list
    for ta, tb in ((EXERCISE.replace("older adults", "older men"), EXERCISE.replace("older adults", "older women")),
                   (EXERCISE, "Falls prevention in care homes: a cluster randomised trial of staff training")):
        ids, reasons = reviewed(paged(ta, "112-120", authors=["Rosa, Ute W."]),
                                paged(tb, "112-120", authors=["Bouros, Demosthenes"], source_db="embase"))
        assert ids == [1, 2] and not any("different first authors" in r for r in reasons), reasons


def test_a_title_with_its_leading_the_dropped_by_one_database_is_one_record():
    """One database files "The burden of asthma in Europe" as "Burden of asthma in Europe": too short for the fuzzy
    threshold, the copies were kept apart without a word."""
    for place in ({}, {"volume": "3", "pages": "5-9"}):
        a = rec("The burden of asthma in Europe", **place)
        b = rec("Burden of asthma in Europe", source_db="embase", journal="Lancet Respir Med", **place)
        assert joined(a, b), place


def test_one_title_at_one_volume_and_page_range_in_two_issues_is_listed_for_review():
    """One book review's two copies, same author, volume and pages 139-140, one database giving issue 3 and the other
    issue 2 (mistyped): read as a column recurring in two issues, they were kept apart without a word. Listed now;
    two issues' items at other pages (a column) are not."""
    title = "Review of Memory rehabilitation. Integrating theory and practice"
    a = rec(title, authors=["Balon, Richard"], journal="Annals of Clinical Psychiatry", volume="22", issue="3",
            pages="139-140", year=2010)
    ids, reasons = reviewed(a, dict(a, issue="2", source_db="embase"))
    assert ids == [1, 2]
    assert reasons == ["same title, volume (22) and pages, but issues 2 and 3 (an issue mistyped, or a column in two "
                       "issues?)"], reasons
    ids, reasons = reviewed(a, dict(a, issue="2", pages="121-122", source_db="embase"))
    assert ids == [1, 2] and not any("issues 2 and 3" in r for r in reasons), reasons


def test_one_title_year_and_first_author_in_two_journals_and_volumes_is_listed_for_review():
    """One meeting's abstract printed in two journals' supplements (Canadian Journal of Neurological Sciences 37 and
    Stroke 41), or one paper published twice: kept apart without a word, as two volumes. Listed now, as one title in
    two journals is where the volumes are not given; one journal's two volumes (a column's editions) are not."""
    title = "Stroke and aphasia: overcoming the challenges of capacity evaluation"
    a = rec(title, authors=["Carling-Rowland, A."], journal="Canadian Journal of Neurological Sciences", volume="37",
            pages="S42", year=2010)
    b = rec(title, authors=["Carling-Rowland, A."], journal="Stroke", volume="41", pages="e505", year=2010,
            source_db="embase")
    ids, reasons = reviewed(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "different journals" in reasons[0] and "volumes 37 and 41" in reasons[0], reasons
    for other in (dict(b, journal=a["journal"]), dict(b, authors=["Brown, Peter"])):
        ids, reasons = reviewed(a, other)
        assert ids == [1, 2] and not any("different journals" in r for r in reasons), (other, reasons)


def test_one_title_and_first_author_in_two_journals_and_volumes_a_year_apart_is_listed_for_review():
    """One paper published again the next year in another journal (a duplicate publication), or a meeting's abstract
    and the article: both with volume and pages, they were kept apart without a word, though in one year they were
    listed. Listed now; two years beyond the tolerance are not."""
    title = "Feedback interventions for impaired self-awareness following brain injury: a systematic review"
    a = rec(title, authors=["Schmidt, Julia"], journal="Journal of Rehabilitation Medicine", volume="43",
            pages="673-680", year=2011)
    b = rec(title, authors=["Schmidt, J."], journal="Neurorehabilitation and Neural Repair", volume="26",
            pages="688-695", year=2012, source_db="embase")
    ids, reasons = reviewed(a, b)
    assert ids == [1, 2]
    assert reasons == ["same title and first author (years 2011 and 2012), but different journals and volumes 43 and "
                       "26 (one abstract printed in two journals, a conference abstract and the article, or a paper "
                       "published twice?)"], reasons
    ids, reasons = reviewed(a, dict(b, year=2014))
    assert ids == [1, 2] and not any("different journals" in r for r in reasons), reasons


def test_a_word_in_one_title_only_reads_as_a_sentence_in_the_listed_reason():
    """'dedup --review' said "but 'pilot' in one title only tell them apart" and "but one title is a protocol's tell
    them apart": one word, or one title, tells them apart."""
    ex = "Effects of a structured exercise programme on the behaviour of older adults with dementia in care homes"
    peer = "Peer navigation after prison for adults with opioid use disorder"
    for a, b, said in ((peer, peer + ": a pilot trial", "but 'pilot' in one title only tells them apart"),
                       (ex + ": a randomised trial", ex + ": a pilot randomised trial",
                        "but 'pilot' in one title only tells them apart"),
                       (ex, ex + ": study protocol", "but one title is a protocol's, which tells them apart")):
        ids, reasons = reviewed(rec(a), rec(b, source_db="embase"))
        assert ids == [1, 2] and len(reasons) == 1, reasons
        assert said in reasons[0] and " tell them apart" not in reasons[0], reasons


# ----------------------------------------------------------------------------- a language note in a title

@pytest.mark.parametrize("note", ["[Article in French]", "[article in French]", "[Article in Portuguese]"])
def test_medline_title_with_its_article_in_language_note_and_no_pages_is_the_embase_record(note):
    """MEDLINE ends a translated title with "[Article in French]"; its record ahead of print has no pages. The note
    read as title words, and the two copies were listed as "one title starts the other": screened twice."""
    title = "Management of heart failure in the elderly"
    a = rec(f"{title} {note}", journal="Presse Medicale", year=2016)
    b = rec(title, journal="Presse Med", volume="45", pages="123-130", year=2016, source_db="embase")
    assert joined(a, b)
    assert not joined(a, dict(b, title="Management of heart failure in the elderly with diabetes"))


# ----------------------------------------------------------------------------- a Greek letter an export lost

@pytest.mark.parametrize("title", GREEK + ("Serum {} levels predict response to methotrexate in early rheumatoid "
                                           "arthritis",))
@pytest.mark.parametrize("printed, lost", [("TNF-α", "TNF-"), ("IFN-γ", "IFN-"), ("TNF-α", "TNF-?"),
                                           ("PPAR-γ", "PPAR-")])
def test_greek_letter_an_export_dropped_after_its_hyphen_is_one_record_without_a_page(title, printed, lost):
    """One database's export drops the Greek letter its characters lack and keeps the hyphen ("TNF-"), which read as a
    minus sign: without a page to confirm them, one paper's two copies were kept apart (or not even listed)."""
    a = rec(title.format(printed))
    b = rec(title.format(lost), source_db="embase")
    assert joined(a, b), (title.format(printed), title.format(lost))
    # another first author, or a title that says "negative", is still another paper
    assert not joined(a, dict(b, authors=["Brown, Kate"]))
    assert not joined(a, dict(b, title=title.format(printed.split("-")[0] + "-negative")))
    assert not joined(a, dict(b, title=title.format(printed.replace("α", "β").replace("γ", "δ"))))


# ----------------------------------------------------------------------------- a journal named by its initials first

@pytest.mark.parametrize("initials, full", [("JAMA J Am Med Assoc", "Journal of the American Medical Association"),
                                            ("CMAJ Can Med Assoc J", "Canadian Medical Association Journal"),
                                            ("AJR Am J Roentgenol", "American Journal of Roentgenology")])
def test_embase_journal_name_led_by_its_initials_is_the_journal_written_out(initials, full):
    """Embase names a journal by its initials and then its abbreviation ("JAMA J Am Med Assoc"); beside the name
    written out, the copy without pages read as a paper in another journal: listed, not joined."""
    title = "Effect of intensive blood pressure control on cardiovascular outcomes in older adults"
    a = rec(title, journal=full, volume="315", pages="2673-2682", year=2016)
    b = rec(title, journal=initials, year=2016, source_db="embase")
    assert joined(a, b)
    assert not joined(a, dict(b, journal="JAMA Pediatrics" if "JAMA" in initials else "BMJ Open"))


# ----------------------------------------------------------------------------- records with nothing but a title

def _title_only(title, source_db="medline"):
    return {"title": title, "abstract": None, "authors": [], "year": None, "journal": None, "volume": None,
            "pages": None, "doi": None, "pmid": None, "keywords": [], "type": "JOUR", "source_db": source_db}


@pytest.mark.parametrize("ta, tb, said", [
    ("Effects of exercise on depression in older adults: a randomized trial",
     "Effects of exercise on anxiety in older adults: a randomized trial", "'depression' / 'anxiety'"),
    ("Effects of exercise on depression in older adults: a randomized trial",
     "Effects of yoga on depression in older adults: a randomized trial", "'exercise' / 'yoga'"),
    ("Effects of exercise on depression in adults", "Effects of exercise on depression in frail adults",
     "'frail' in one title only"),
    ("Effects of exercise on depression in older adults: a randomized trial",
     "Effects of exercise on depression in older adults: a trial", "'randomized' in one title only"),
])
def test_title_only_records_whose_titles_differ_in_one_word_are_listed_for_review(ta, tb, said):
    """An export with titles only (no authors, year, DOI or pages) gives nothing but the title to compare: two titles
    one word apart were kept apart without a word, so a copy whose title a database reworded was screened twice. They
    stay two records (one word can name another study) and are listed, the word named."""
    df = pd.DataFrame([_title_only(ta), _title_only(tb, "embase")], index=pd.Index([1, 2], name="record_id"))
    out, review = find_duplicates_with_review(df)
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and said in review["reason"].iloc[0], review["reason"].tolist()
    # a record with its authors, year and pages beside another such is told apart by them: not listed for the title
    full = [rec(ta, pages="10-18", volume="3"), rec(tb, pages="40-48", volume="3", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(full, index=pd.Index([1, 2], name="record_id")))
    assert review.empty or not any("only its title" in r for r in review["reason"])


def test_title_only_records_two_words_apart_or_too_short_are_not_listed():
    records = [_title_only("Effects of exercise on depression in older adults: a randomized trial"),
               _title_only("Effects of yoga on anxiety in older adults: a randomized trial", "embase"),
               _title_only("Depression in adults"), _title_only("Anxiety in adults", "embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2, 3, 4], name="record_id")))
    assert out["group_id"].tolist() == [1, 2, 3, 4]
    assert review.empty, review["reason"].tolist()


# ----------------------------------------------------------------------------- a book's edition in words or digits

@pytest.mark.parametrize("digits, words", [("2nd edition", "second edition"), ("3rd ed.", "third edition"),
                                           ("4th edition", "Fourth Edition")])
def test_a_books_edition_in_digits_and_in_words_is_one_record(digits, words):
    """One database writes a book's edition "2nd edition", another "second edition": the digit counted as a number the
    other title lacked, and the one book was kept apart without a word. Another edition is still another book."""
    title = "Oxford handbook of clinical and laboratory investigation, {}"
    book = dict(journal=None, type="BOOK", year=2019)
    assert joined(rec(title.format(digits), **book), rec(title.format(words), source_db="embase", **book))
    assert not joined(rec(title.format(digits), **book), rec(title.format("fifth edition"), source_db="embase", **book))


INTERNAL_ABSTRACT = ("Internal impingement of the shoulder is a common cause of pain in overhead athletes. The "
                     "articular side of the rotator cuff contacts the posterosuperior glenoid rim in abduction and "
                     "external rotation. We review the anatomy, the clinical examination, imaging findings on magnetic "
                     "resonance arthrography and the results of arthroscopic debridement in throwing athletes.")
EXTERNAL_ABSTRACT = ("External impingement of the shoulder results from compression of the rotator cuff beneath the "
                     "coracoacromial arch. Patients present with pain on elevation of the arm and weakness. This "
                     "review describes the anatomy of the subacromial space, the clinical tests, radiographs and "
                     "ultrasound, and the outcomes of physiotherapy and subacromial decompression in older patients.")


def test_title_only_records_one_word_apart_are_not_listed_where_abstracts_or_numbers_tell_them_apart():
    """A search exported with titles and abstracts only (every record of the tuning reviews) listed each pair one
    word apart ("Internal" / "External impingement of the shoulder", "Antibodies to watch in 2017" / "... 2018"),
    though their abstracts share hardly a phrase, or their numbers differ: two papers the reviewer need not check."""
    ta, tb = "Internal impingement of the shoulder in athletes", "External impingement of the shoulder in athletes"
    records = [dict(_title_only(ta), abstract=INTERNAL_ABSTRACT),
               dict(_title_only(tb, "embase"), abstract=EXTERNAL_ABSTRACT),
               _title_only("Therapeutic antibodies to watch in clinical trials in 2017"),
               _title_only("Therapeutic antibodies to watch in clinical trials in 2018", "embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2, 3, 4],
                                                                                    name="record_id")))
    assert out["group_id"].tolist() == [1, 2, 3, 4]
    assert review.empty, review["reason"].tolist()
    # one abstract only (or the same words twice) leaves the title alone to compare: still listed
    records[1]["abstract"] = None
    out, review = find_duplicates_with_review(pd.DataFrame(records[:2], index=pd.Index([1, 2], name="record_id")))
    said = review["reason"].tolist()
    assert len(said) == 1 and "'internal'" in said[0] and "'external'" in said[0], said


@pytest.mark.parametrize("lost, one, other", [("TNF-", "TNF-α", "TNF-β"), ("IL-1-", "IL-1α", "IL-1β"),
                                              ("PPAR-", "PPAR-γ", "PPAR-α")])
def test_a_letter_lost_after_its_hyphen_beside_two_papers_of_two_letters_joins_neither(lost, one, other):
    """"TNF-" beside "TNF-α" and "TNF-β" papers of one title otherwise: the lost letter may be either, and the copy
    was joined to whichever came first, a guess. It stays its own record, listed with both."""
    title = "Serum {} levels predict response to methotrexate in early rheumatoid arthritis"
    records = [rec(title.format(one)), rec(title.format(other)), rec(title.format(lost), source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2, 3], name="record_id")))
    assert out["group_id"].tolist() == [1, 2, 3]
    pairs = {(a, b) for a, b in zip(review["record_id"], review["other_id"])}
    assert {(1, 3), (2, 3)} <= pairs, review["reason"].tolist()
    # with one lettered paper only, the copy is still joined to it
    assert joined(records[0], records[2])


def test_one_title_and_first_author_under_two_dois_is_listed_for_review():
    """One title, first author and journal a year apart under two DOIs (a paper and its reprint, a correction under
    the copied title, or one database's wrong DOI): kept apart without a word. Listed now; a column's editions, each
    under its own DOI, are not."""
    title = "Exercise training for heart failure with preserved ejection fraction: a randomised trial"
    a = rec(title, authors=["Smith, John A."], journal="European Heart Journal", year=2019,
            doi="10.1093/eurheartj/ehz001")
    b = dict(a, year=2020, doi="10.1093/eurheartj/ehaa002", source_db="embase")
    ids, reasons = reviewed(a, b)
    assert ids == [1, 2]
    assert reasons == ["same title and first author (years 2019 and 2020), but DOIs 10.1093/eurheartj/ehaa002 and "
                       "10.1093/eurheartj/ehz001 (a paper and its reprint or correction, or one DOI wrong in a "
                       "database?)"], reasons
    column = [dict(a, doi=f"10.1287/isre.1040.00{n}", year=2004) for n in (18, 25, 33)]
    ids, reasons = reviewed(*column)
    assert ids == [1, 2, 3] and reasons == [], reasons
    ids, reasons = reviewed(a, dict(b, authors=["Brown, Peter"]))
    assert ids == [1, 2] and not any("DOIs" in r for r in reasons), reasons
