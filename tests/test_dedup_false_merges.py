"""Different studies that look alike stay apart: a false merge hides a record from screening.

Each case is a pair a review must keep apart, as real exports give them (often without a DOI,
volume or pages on one side), and, where the fix could cost a true duplicate, the pair that must
still be joined."""

from __future__ import annotations

import pandas as pd
import pytest

from screener.dedup import (find_duplicates, find_duplicates_with_review, form_head, journals_compatible,
                            marker_signs, registry_id, related_records, title_key, word_in_place)
from screener.io.common import make_record
from screener.records import normalise_title

SMITH = ("Smith, John A.", "Jones, Mary")


def rec(title, *, year=2020, authors=SMITH, journal="European Heart Journal", volume=None, issue=None, pages=None,
        doi=None, source_db="medline"):
    return {"title": title, "abstract": None, "authors": list(authors), "year": year, "journal": journal,
            "volume": volume, "issue": issue, "pages": pages, "doi": doi, "pmid": None, "keywords": [],
            "type": "JOUR", "source_db": source_db}


def groups(*records) -> list[int]:
    df = pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id"))
    return find_duplicates(df)["group_id"].tolist()


# ---------------------------------------------------------------- one volume and first page


def test_same_place_in_two_journals_is_not_one_paper():
    a = rec("Acupuncture for post-stroke depression: a randomized controlled trial", authors=("Wang, Li",),
            journal="Chinese Journal of Rehabilitation Medicine", volume="27", pages="1-5", year=2012)
    b = rec("Acupuncture for post-stroke dysphagia: a randomized controlled trial", authors=("Wang, Yan",),
            journal="Journal of Traditional Chinese Medicine", volume="27", pages="1-6", year=2012, source_db="embase")
    assert groups(a, b) == [1, 2]


def test_page_one_of_a_journal_that_starts_every_article_there():
    a = rec("Prevalence of depression among adolescents in rural Ethiopia: a cross-sectional study",
            authors=("Tesfaye, Abebe",), journal="BMC Psychiatry", volume="19", pages="1-10", year=2019)
    b = rec("Prevalence of anxiety and associated factors among adolescents in rural Ethiopia: a community based "
            "cross-sectional study", authors=("Tesfaye, Abebe",), journal="BMC Psychiatry", volume="19", pages="1-9",
            year=2019, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    # listed for a person to check, with the words that tell them apart
    assert "'depression' and 'anxiety' tell them apart" in review["reason"].iloc[0]


@pytest.mark.parametrize("tb", [
    "Urban heat island mitigation by green walls in high-density cities: a multi-scale modelling study",
    "Green roofs and stormwater retention in high-density cities: a multi-scale modelling study",
    "Urban heat island mitigation by green roofs in high-density Asian cities: a multi-scale modelling study",
])
def test_page_one_and_the_same_page_range_in_a_journal_that_numbers_its_articles(tb):
    """A journal that numbers its articles (Sustainable Cities and Society's "104182") starts each on page 1, and a
    database that gives the PDF's pages gives two ten-page papers of one volume "1-10". Two papers by one author there
    were joined as one on titles sharing half their words, or one word in place of another; they are kept apart and
    listed. The same paper with its subtitle cut is still one."""
    ta = "Urban heat island mitigation by green roofs in high-density cities: a multi-scale modelling study"
    a = rec(ta, authors=("Zhang, Wei",), journal="Sustainable Cities and Society", volume="75", pages="1-10",
            year=2021)
    b = rec(tb, authors=("Zhang, W.",), journal="Sustainable Cities and Society", volume="75", pages="1-10",
            year=2021, source_db="wos")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "at page 1 (where a journal that numbers its articles starts each)" in review["reason"].iloc[0]
    assert groups(a, dict(b, title=ta.split(":")[0])) == [1, 1]
    assert groups(a, dict(b, title=ta.replace("modelling", "modeling"))) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Dapagliflozin in heart failure: part 1", "Dapagliflozin in heart failure: part 2"),
    ("Dapagliflozin in heart failure patients with diabetes: DAPA-HF subgroup analysis",
     "Dapagliflozin in heart failure patients without diabetes: DAPA-HF subgroup analysis"),
    ("Efficacy of dapagliflozin in patients with heart failure and diabetes: DAPA-HF subgroup analysis",
     "Safety of dapagliflozin in patients with heart failure and diabetes: DAPA-HF subgroup analysis"),
])
def test_two_abstracts_on_one_supplement_page(ta, tb):
    assert groups(rec(ta, volume="41", pages="1234"), rec(tb, volume="41", pages="1234", source_db="embase")) == [1, 2]


def test_a_supplement_page_is_not_the_volume_page_of_that_number():
    a = rec("Effect of early mobilisation on delirium in intensive care: a randomised trial", journal="Critical Care",
            volume="23", pages="S45", year=2019)
    b = rec("Early mobilisation and delirium in intensive care: a cohort study", journal="Critical Care", volume="23",
            pages="45-52", year=2019, source_db="embase")
    assert groups(a, b) == [1, 2]


FASTING = "Intermittent fasting {} insulin sensitivity in overweight adults with prediabetes"
GLUCOSE = "Effect of {} on glycaemic control in overweight adults with type 2 diabetes: a randomised trial"


@pytest.mark.parametrize("ta, tb", [
    (FASTING.format("increases"), FASTING.format("decreases")),
    (FASTING.format("improves"), FASTING.format("worsens")),
    (FASTING.format("improves"), FASTING.format("does not improve")),
    (GLUCOSE.format("metformin"), GLUCOSE.format("sitagliptin")),
    (GLUCOSE.format("metformin"), GLUCOSE.format("metformin").replace("overweight", "underweight")),
])
def test_one_word_in_place_of_another_on_an_ordinary_page_is_another_paper(ta, tb):
    # one author's two papers at one volume and first page (a page shared by two short items, or a page mistyped):
    # one word that changes the finding, drug or population is not a copy
    recs = [rec(ta, journal="Diabetes Care", volume="43", pages="512-520"),
            rec(tb, journal="Diabetes Care", volume="43", pages="512", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "same volume (43), first page (512) and first author" in review["reason"].iloc[0]


@pytest.mark.parametrize("tb", [FASTING.format("decreases"), FASTING.format("does not improve"),
                                FASTING.format("increases").replace("overweight", "underweight")])
def test_a_finding_turned_over_is_another_paper_even_with_the_same_page_range(tb):
    # the same page range confirms a reworded title, not the opposite finding or population
    assert groups(rec(FASTING.format("increases"), journal="Diabetes Care", volume="43", pages="512-520"),
                  rec(tb, journal="Diabetes Care", volume="43", pages="512-20", source_db="embase")) == [1, 2]

FALLS = "{}ffect of vitamin D supplementation on falls among {}smokers in care homes"


@pytest.mark.parametrize("tb", [FALLS.format("No e", ""), FALLS.format("E", "non-"), FALLS.format("E", "non ")])
@pytest.mark.parametrize("field, pages", [("pages", "512"), ("doi", "10.1136/bmj.d1")])
def test_a_negation_in_one_title_only_at_one_place_or_doi_is_another_paper(tb, field, pages):
    # "No effect of ..." beside "Effect of ...", "non-smokers" beside "smokers": another finding or population
    a = dict(rec(FALLS.format("E", ""), journal="BMJ", volume="343", pages="512-520"), doi="10.1136/bmj.d1")
    b = rec(tb, journal="BMJ", source_db="embase", **({"volume": "343", "pages": pages} if field == "pages" else
                                                       {"doi": pages}))
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "in one title only" in review["reason"].iloc[0]
    # the same page range on both confirms a title a database gave another way
    assert groups(a, dict(b, volume="343", pages="512-20", doi=None)) == [1, 1]


@pytest.mark.parametrize("field, pages", [("pages", "512"), ("pages", "512-520"), ("doi", "10.1136/bmj.d1")])
def test_a_prefix_written_apart_is_one_word_at_one_place_or_doi(field, pages):
    a = dict(rec(FALLS.format("E", "nonsmokers ").replace("smokers smokers", "smokers"), journal="BMJ",
                 volume="343", pages="512-520"), doi="10.1136/bmj.d1")
    b = rec(FALLS.format("E", "non "), journal="BMJ", source_db="embase",
            **({"volume": "343", "pages": pages} if field == "pages" else {"doi": pages}))
    assert groups(a, b) == [1, 1]


@pytest.mark.parametrize("tb", ["No effect of {}", "Absence of effect of {}"])
@pytest.mark.parametrize("field, pages", [("pages", "512-520"), ("doi", "10.1136/bmj.d1")])
def test_a_negation_written_in_other_words_in_both_titles_is_one_paper(tb, field, pages):
    """"Lack of effect of ..." in one database, "No effect of ..." in another: both titles report no effect, yet
    "lack" counted as a negation in one title only and one paper under one DOI, or with the same page range, was
    listed for review instead of joined."""
    rest = "vitamin D supplementation on falls among smokers in care homes"
    a = dict(rec("Lack of effect of " + rest, journal="BMJ", volume="343", pages="512-520"), doi="10.1136/bmj.d1")
    b = rec(tb.format(rest), journal="BMJ", source_db="embase",
            **({"volume": "343", "pages": pages} if field == "pages" else {"doi": pages}))
    assert groups(a, b) == [1, 1]
    if field == "doi":  # the negation in one title only (the same page range would confirm it)
        assert groups(a, dict(b, title="Effect of " + rest)) == [1, 2]



@pytest.mark.parametrize("tb", [
    FASTING.format("increses"),  # a typo
    FASTING.format("increases").replace("with prediabetes", "with pre-diabetes"),  # written apart
    FASTING.format("increases").upper(),  # case
    FASTING.format("increases").replace(" in ", ", in ") + ".",  # punctuation
    GLUCOSE.format("metformin").replace("glycaemic", "glycemic").replace("randomised", "randomized"),  # US spelling
    GLUCOSE.format("metfromin"),  # letters swapped
])
def test_one_paper_at_one_place_with_its_title_written_otherwise_is_still_joined(tb):
    ta = GLUCOSE.format("metformin") if tb.lower().startswith("effect") else FASTING.format("increases")
    assert groups(rec(ta, journal="Diabetes Care", volume="43", pages="512-520"),
                  rec(tb, journal="Diabetes Care", volume="43", pages="512", source_db="embase")) == [1, 1]

VITAMIN_D = "Vitamin D supplementation and bone density in {}infants: a randomised trial"


def test_a_population_word_added_inside_a_title_on_an_ordinary_page_is_another_paper():
    # one author's two trials at one volume and first page, the page range on one only
    a = rec(VITAMIN_D.format(""), journal="Pediatrics", volume="140", pages="200-208")
    b = rec(VITAMIN_D.format("preterm "), journal="Pediatrics", volume="140", pages="200", source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "'preterm' in one title only" in review["reason"].iloc[0]
    # the same page range confirms it; a subtitle cut at the end is still the paper
    assert groups(a, dict(b, pages="200-8")) == [1, 1]
    assert groups(a, dict(b, title=VITAMIN_D.format("").split(":")[0])) == [1, 1]


@pytest.mark.parametrize("lost", ["TNF", "TNF-"])
def test_a_greek_letter_a_database_lost_inside_a_title_at_one_page_is_still_the_paper(lost):
    """One database exports "TNF-α" as "TNF" or "TNF-" (a letter its character set lacks): read as a word added
    inside a title ("'alpha' in one title only"), one paper at one volume and first page was listed for review."""
    title = "Effect of {} inhibitors on bone density in patients with rheumatoid arthritis: a cohort study"
    a = rec(title.format("TNF-\u03b1"), journal="Rheumatology", volume="58", pages="200-208")
    b = rec(title.format(lost), journal="Rheumatology", volume="58", pages="200", source_db="embase")
    assert groups(a, b) == [1, 1]
    assert groups(a, dict(b, title=title.format("TNF-\u03b1").replace("patients", "older patients"))) == [1, 2]


def test_a_population_word_added_inside_a_title_in_proceedings_without_volume_is_another_paper():
    # a meeting's proceedings without a volume: the same year and first page meet them
    a = rec(VITAMIN_D.format(""), journal="Proceedings of the Pediatric Academic Societies", pages="200-208")
    b = rec(VITAMIN_D.format("preterm "), journal="Proceedings of the Pediatric Academic Societies", pages="200",
            source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "'preterm' in one title only" in review["reason"].iloc[0]
    assert groups(a, dict(b, pages="200-8")) == [1, 1]  # the same page range
    # a Cochrane review's number is its place: the review retitled between versions is one review
    hydration = "Medically assisted hydration for {}palliative care patients"
    cdsr = {"journal": "Cochrane Database of Systematic Reviews", "pages": "CD006273"}
    assert groups(rec(hydration.format("adult "), **cdsr), rec(hydration.format(""), source_db="embase", **cdsr)) \
        == [1, 1]
    assert groups(rec(hydration.format("adult "), volume="2", **cdsr),
                  rec(hydration.format(""), volume="2", source_db="embase", **cdsr)) == [1, 1]

def test_two_english_titles_sharing_hardly_a_word_on_one_page_are_two_items():
    # one author's two items on one page, the page range on one only: 71% alike by shared words, not a translation
    a = rec("Vitamin D supplementation and falls in care home residents", journal="Age and Ageing", volume="40",
            pages="120")
    b = rec("Vitamin D supplementation and fractures in community-dwelling older adults", journal="Age and Ageing",
            volume="40", pages="120-128", source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "titles in one language that name two works" in review["reason"].iloc[0]
    # a title in another language still joins
    french = "Supplementation en vitamine D et chutes chez les residents de maisons de retraite"
    assert groups(a, dict(b, title=french)) == [1, 1]
    # the same page range on both says one paper, the titles two: listed for a person to check, not joined
    out, review = find_duplicates_with_review(pd.DataFrame([dict(a, pages="120-128"), b],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "titles in one language that name two works" in review["reason"].iloc[0]


@pytest.mark.parametrize("mark", ["[{}]", "{} [German]"])
@pytest.mark.parametrize("field", ["pages", "doi"])
def test_two_english_translations_of_one_foreign_title_are_one_paper(mark, field):
    """MEDLINE gives a German paper's title translated in brackets ("[Budesonide in ...]"), Embase its own English
    translation: two English titles sharing few words, they were listed as two works under one DOI or on one page,
    and the reviewer had to join one paper by hand. A title MEDLINE marks as translated is no English original."""
    medline = "Efficacy of inhaled budesonide in non-smoking patients with mild asthma"
    embase = "Randomized study of budesonide inhalation for nonsmokers with light asthma"
    place = {"doi": "10.1055/s-0041-1.1"} if field == "doi" else {"volume": "40", "pages": "120"}
    a = rec(mark.format(medline), journal="Pneumologie", **place)
    b = rec(embase, journal="Pneumologie", source_db="embase",
            **(place if field == "doi" else dict(place, pages="120-128")))
    assert groups(a, b) == [1, 1]
    assert groups(dict(a, title=medline), b) == [1, 2]  # two English originals: two works



def test_one_paper_at_one_place_is_still_joined_across_journal_spellings():
    # squashed and vowel-less abbreviations of one journal, and a cut title (from the respiratory search)
    assert journals_compatible("Dtsch-Med-Wochenschr", "Deutsche Medizinische Wochenschrift")
    assert journals_compatible("Jthoraccardiovascsurg", "Journal of Thoracic & Cardiovascular Surgery")
    assert not journals_compatible("Lancet", "BMJ")
    a = rec("Regional immunotherapy with intrapleural BCG for lung cancer", journal="Jthoraccardiovascsurg",
            volume="72", pages="333-340", year=1976, authors=("McKneally, M. F.",))
    b = rec("Regional immunotherapy with intrapleural BCG for lung cancer. Surgical considerations",
            journal="Journal of Thoracic & Cardiovascular Surgery", volume="72", pages="333-40", year=1976,
            authors=("McKneally, Martin F.",), source_db="embase")
    assert groups(a, b) == [1, 1]


# ---------------------------------------------------------------- near-identical titles


T = "outcomes of a brief motivational intervention on alcohol use among university students: a randomised trial"


@pytest.mark.parametrize("ta, tb", [
    ("One-year " + T, "Two-year " + T),
    ("Six-month " + T, "Twelve-month " + T),
    ("Effect of a brief motivational intervention on alcohol use among adolescents: a randomised controlled trial",
     "Effect of a brief motivational intervention on alcohol use among adults: a randomised controlled trial"),
    ("A pilot randomised controlled trial of a brief motivational intervention for alcohol use in students",
     "A randomised controlled trial of a brief motivational intervention for alcohol use in students"),
    ("Brief motivational intervention for alcohol use in university students: design of a randomised trial",
     "Brief motivational intervention for alcohol use in university students: a randomised trial"),
    ("Chronic intermittent ethanol exposure alters anxiety-like behaviour and prefrontal dopamine in mice",
     "Chronic intermittent ethanol exposure alters anxiety-like behaviour and prefrontal dopamine in rats"),
    ("A study of tirzepatide compared with placebo in Japanese participants with type 2 diabetes",
     "A study of tirzepatide compared with placebo in Chinese participants with type 2 diabetes"),
    ("Teaching case A: implementing an electronic health record in a regional hospital network",
     "Teaching case B: implementing an electronic health record in a regional hospital network"),
    ("Welcome to the first issue of volume 27 of the journal of information technology",
     "Welcome to the third issue of volume 27 of the journal of information technology"),
    # the opposite finding, and another region
    ("No effect of vitamin D supplementation on depressive symptoms in older adults",
     "Effect of vitamin D supplementation on depressive symptoms in older adults"),
    ("Lack of association between serum vitamin D and depressive symptoms in older adults",
     "Association between serum vitamin D and depressive symptoms in older adults"),
    ("Prevalence of malaria among children under five in West Africa: a cross-sectional survey",
     "Prevalence of malaria among children under five in East Africa: a cross-sectional survey"),
])
def test_titles_that_differ_in_the_word_that_makes_the_study(ta, tb):
    # no DOI, volume or pages on one side, as ahead-of-print and CENTRAL records are
    assert groups(rec(ta, journal="Addiction", volume="115", pages="456-468"),
                  rec(tb, journal="Addiction", source_db="embase")) == [1, 2]


def test_number_words_and_digits_are_one_title():
    assert groups(rec("Two-year " + T, journal="Addiction"), rec("2-year " + T, journal="Addiction",
                                                                  source_db="embase")) == [1, 1]


ROMAN = "{} trial of metformin and cardiovascular events in older adults with {} diabetes in primary care"


@pytest.mark.parametrize("ta, tb", [(ROMAN.format("A phase II", "type 2"), ROMAN.format("A phase 2", "type 2")),
                                    (ROMAN.format("A phase III", "type 1"), ROMAN.format("A phase 3", "type I"))])
def test_roman_and_arabic_numerals_are_one_title(ta, tb):
    assert groups(rec(ta, journal="Addiction"), rec(tb, journal="Addiction", source_db="embase")) == [1, 1]
    # and still tell parts apart
    assert groups(rec(ta, journal="Addiction"), rec(tb.replace("phase 3", "phase 2").replace("phase 2", "phase 1"),
                                                    journal="Addiction", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("PPAR-γ agonists and cardiovascular outcomes in type 2 diabetes", "PPAR-α agonists and cardiovascular outcomes "
                                                                       "in type 2 diabetes"),
    ("Falls prevention in community-dwelling adults aged ≥80 years", "Falls prevention in community-dwelling adults "
                                                                     "aged <80 years"),
    ("Syndemic conditions and sexual risk behaviour among HIV+ men who have sex with men in urban settings",
     "Syndemic conditions and sexual risk behaviour among HIV- men who have sex with men in urban settings"),
])
def test_signs_and_greek_letters_are_part_of_the_title(ta, tb):
    assert groups(rec(ta, year=2016), rec(tb, year=2016, source_db="embase")) == [1, 2]


def test_normalised_titles_keep_signs_and_read_markup_and_entities():
    assert normalise_title("TNF-α") == normalise_title("TNF-&alpha;") == normalise_title("TNF alpha") == "tnf alpha"
    assert normalise_title("CO<sub>2</sub> retention") == normalise_title("CO2 retention")
    assert normalise_title("Crohn&#39;s disease") == normalise_title("Crohn's disease")
    assert normalise_title("aged <80 years") == "aged lt 80 years"  # not read as markup
    assert normalise_title("aged ≥80 years") != normalise_title("aged 80 years")
    # "≥" typed as ">=" or ">/=" is the same sign, not "greater than"
    assert normalise_title("aged >=80 years") == normalise_title("aged >/= 80 years") == normalise_title(
        "aged ≥80 years") == "aged ge 80 years"
    assert normalise_title("HbA1c <=7%") == normalise_title("HbA1c ≤7%") != normalise_title("HbA1c <7%")


@pytest.mark.parametrize("stored", [
    "Rising CO<jats:sub>2</jats:sub> levels and asthma admissions in children",  # Crossref's JATS
    "N<small>2</small>O sedation for dental treatment in anxious children",
    "T<mml:msub><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msub> levels after cardiac surgery in adults",
    "Outcomes of <sc>covid</sc>-19 in older adults living in care homes",
])
def test_a_title_stored_with_tags_reads_as_the_import_now_writes_it(stored):
    """A project imported before the import took these tags out keeps them; the same study imported now has
    the title without them. Read with a space for each tag, 'CO 2' and 'CO2' were two titles, and the two copies
    of one study were left to the fuzzy comparison to find."""
    assert normalise_title(stored) == normalise_title(make_record(title=stored)["title"])


@pytest.mark.parametrize("stored", ["Falls in adults aged \\textless 65 years",
                                    "Falls in adults aged \\textgreater{}65 years",
                                    "Falls in adults aged \\textbackslashtextless 65 years"])
def test_a_title_stored_with_a_latex_sign_reads_as_the_import_now_writes_it(stored):
    """A reference manager's LaTeX for '<' and '>' ('\\textless'), which the import now reads as the sign and an
    older import kept: read as the word 'textless', 'aged <65' and 'aged \\textless 65' were two titles."""
    now = make_record(title=stored)["title"]
    assert "text" not in now
    assert normalise_title(stored) == normalise_title(now)


def test_a_short_title_stored_with_tags_matches_its_copy_imported_now():
    """Titles of three words are matched exactly or not at all: 'CO 2 laser resurfacing' never met 'CO2 laser
    resurfacing', and one study was screened twice."""
    stored = "CO<jats:sub>2</jats:sub> laser resurfacing"
    now = make_record(title=stored)["title"]
    assert now == "CO2 laser resurfacing"
    assert groups(rec(stored), rec(now, source_db="embase")) == [1, 1]


def test_words_in_angle_brackets_that_are_no_tags_stay_as_the_stored_title_keeps_them():
    # the import keeps 'a<b and c>d' and an allele's 'Ptprc<a>' (no tags): they are compared with their words
    assert normalise_title("Scores where a<b and c>d") == "scores where a lt b and c gt d"
    assert normalise_title("Chimeras of B6.SJL-Ptprc<a> mice") == "chimeras of b6 sjl ptprc lt a gt mice"
    assert title_key("HER2- tumours where a<b and c>d") == title_key("HER2-negative tumours where a<b and c>d")
    assert "b and c" in title_key("HER2- tumours where a<b and c>d")
    # tags still go, paired, with attributes or as a title's lone '<i>'
    assert normalise_title("<i>E. coli</i> in CO<inf>2") == normalise_title("E. coli in CO2")
    assert normalise_title('<span class="x">Aims</span><p>Methods') == "aims methods"


def test_a_sharp_s_typed_for_beta_reads_as_beta_and_german_keeps_its_ss():
    assert normalise_title("ß-blockers after myocardial infarction") == normalise_title(
        "β-blockers after myocardial infarction") == "beta blockers after myocardial infarction"
    assert normalise_title("TGF-ß and Aß42") == normalise_title("TGF-β and Aβ42")
    assert normalise_title("Straße") == "strasse"


def test_letters_unicode_does_not_decompose_are_still_letters():
    # "Œdème" lost its first letter ("dème"), "Tromsø" its last: neither met its other spelling
    assert normalise_title("Œdème pulmonaire") == normalise_title("Oedème pulmonaire") == "oedeme pulmonaire"
    assert normalise_title("The Tromsø Study") == normalise_title("The Tromso Study")
    assert normalise_title("Łódź, Encyclopædia") == "lodz encyclopaedia"
    assert normalise_title("Alzheimerʼs disease") == normalise_title("Alzheimer's disease")  # U+02BC, a mark
    assert normalise_title("心血管イベント") != normalise_title("心血管イヘント")  # kana keep their voicing
    a = rec("Œdème pulmonaire aigu chez le sujet âgé: étude de cohorte", journal="La Presse Médicale")
    b = rec("Oedème pulmonaire aigu chez le sujet âgé: étude de cohorte", journal="Presse Med", source_db="embase")
    assert groups(a, b) == [1, 1]


CN_TLR4 = "基于TLR4/NF-κB信号通路探讨黄芪多糖对糖尿病肾病大鼠的保护作用"


@pytest.mark.parametrize("ta, tb", [
    # two Chinese papers whose only Latin words are the pathway they study
    (CN_TLR4, "基于TLR4/NF-κB信号通路研究针刺对脑缺血再灌注损伤大鼠的影响"),
    # one character apart: rats and mice
    (CN_TLR4, CN_TLR4.replace("大鼠", "小鼠")),
    ("2型糖尿病患者におけるSGLT2阻害薬とDPP-4阻害薬の比較",
     "2型糖尿病患者におけるSGLT2阻害薬の心血管イベント抑制効果とDPP-4"),
    ("Эффективность ингибитора SGLT2 dapagliflozin у пациентов с CKD stage 3",
     "Безопасность ингибитора SGLT2 dapagliflozin у пациентов с CKD stage 3"),
], ids=["chinese", "one-character", "japanese", "russian"])
def test_titles_in_other_scripts_are_more_than_their_latin_words(ta, tb):
    # Chinese names and journals carry no Latin letters to compare: only the titles tell these apart
    assert groups(rec(ta, authors=("王丽",), journal="中国中药杂志"),
                  rec(tb, authors=("李明",), journal="中国中药杂志", source_db="cnki")) == [1, 2]


def test_one_chinese_title_by_two_authors_in_two_journals_is_two_papers():
    # nursing journals print many papers with one title; neither names nor journals had Latin letters
    # to compare, so both read as unknown
    cn = "优质护理干预在2型糖尿病患者中的应用效果及对HbA1c水平的影响"
    assert groups(rec(cn, authors=("王丽",), journal="中华护理杂志"),
                  rec(cn, authors=("李明",), journal="护理研究", source_db="cnki")) == [1, 2]
    assert groups(rec(cn, authors=("王丽",), journal="中华护理杂志"),
                  rec(cn, authors=("王丽",), journal="中华护理杂志", source_db="wanfang")) == [1, 1]
    assert groups(rec(cn, authors=("王丽",), journal="中华护理杂志"),
                  rec(cn, authors=("Wang, Li",), journal="Chinese Journal of Nursing", source_db="wanfang")) == [1, 1]


def test_a_chinese_title_still_meets_its_copy_and_its_english_title():
    en = "Protective effect of Astragalus polysaccharides on diabetic nephropathy in rats via the TLR4/NF-κB pathway"
    cn = rec(CN_TLR4, authors=("王丽",), journal="中国中药杂志", volume="45", pages="1234-1240")
    assert groups(cn, rec(CN_TLR4, authors=("Wang, Li",), journal="Zhongguo Zhong Yao Za Zhi",
                          source_db="wanfang")) == [1, 1]
    same_place = rec(en, authors=("Wang, Li",), journal="China Journal of Chinese Materia Medica", volume="45",
                     pages="1234-40", source_db="embase")
    assert groups(cn, same_place) == [1, 1]
    doi = "10.19540/j.cnki.cjcmm.20200101.401"
    assert groups(dict(cn, doi=doi, volume=None, pages=None), dict(same_place, doi=doi, volume=None, pages=None)) == [1, 1]


# ---------------------------------------------------------------- trial registrations


def test_sister_registry_entries_are_two_trials():
    # CENTRAL (Ovid) puts the registry number where the author goes
    t = "A study of tirzepatide (LY3298176) versus placebo in participants with type 2 diabetes"
    a = rec(t + " (SURPASS-J)", authors=("NCT03861052",), journal="https://clinicaltrials.gov/show/NCT03861052",
            year=2019, source_db="central")
    b = rec(t + " (SURPASS-AP)", authors=("NCT03861039",), journal="https://clinicaltrials.gov/show/NCT03861039",
            year=2019, source_db="central")
    assert registry_id("NCT03861052") == "NCT03861052" and registry_id("Smith, John") is None
    assert groups(a, b) == [1, 2]
    assert groups(a, dict(a, source_db="embase")) == [1, 1]  # one entry exported twice is still joined


def test_sister_registry_entries_numbered_only_in_their_link_are_two_trials():
    # an export without the number where the author goes: the registry's link where the journal goes names the trial
    t = "A study of pembrolizumab (MK-3475) in participants with advanced solid tumors"
    a = rec(t, authors=(), journal="https://clinicaltrials.gov/show/NCT02054806", year=2015, source_db="central")
    b = rec(t, authors=(), journal="https://clinicaltrials.gov/show/NCT02628067", year=2015, source_db="central")
    assert groups(a, b) == [1, 2]
    assert groups(a, dict(a, authors=["NCT02054806"], source_db="ovid")) == [1, 1]  # one entry, exported twice
    assert groups(a, dict(a, journal="ClinicalTrials.gov", source_db="ctgov")) == [1, 1]


def test_two_dutch_register_entries_numbered_nl_omon_are_two_trials():
    """The Dutch register (OMON) numbers its entries "NL-OMON<digits>", which CENTRAL puts where the author goes: the
    number was not read, and a trial and its extension study, registered under one title, were joined as one entry
    and one never screened. Two numbers are two trials; one number's entries join whatever their titles; an entry
    that lists its old Netherlands Trial Register number ("NL7212") joins that register's entry."""
    t = "Long-term follow-up of tranexamic acid in total knee arthroplasty"
    a = rec(t, authors=("NL-OMON23456",), journal="https://onderzoekmetmensen.nl/en/trial/23456", year=2021,
            source_db="central")
    b = rec(t, authors=("NL-OMON27890",), journal="https://onderzoekmetmensen.nl/en/trial/27890", year=2021,
            source_db="central")
    assert registry_id("NL-OMON23456") == "NL-OMON23456"
    assert groups(a, b) == [1, 2]
    dutch = dict(a, title="Tranexaminezuur bij totale knieprothese: lange termijn", source_db="ictrp")
    assert groups(a, dutch) == [1, 1]
    old = dict(a, authors=["NL7212"], journal="https://www.trialregister.nl/trial/7212", title="TXA-knee",
               source_db="ictrp")
    assert groups(dict(a, raw={"Secondary ID": "NL7212"}), old) == [1, 1]



REGISTERED = "Cognitive behavioral therapy for trauma and self-care in men who have sex with men with a history of " \
        "childhood sexual abuse"


@pytest.mark.parametrize("article", [REGISTERED, REGISTERED + ": a randomized controlled trial"])
def test_a_trial_registration_is_not_the_trials_report(article):
    # CENTRAL's registry record (the NCT number as its author, the registry as its journal) keeps the
    # trial's title; the report of the trial, from an export that gave no journal, is another record
    entry = rec(REGISTERED, authors=("NCT01266122",), journal="https://clinicaltrials.gov/show/NCT01266122", year=2019,
                source_db="central")
    report = rec(article, authors=("O'Cleirigh, Conall", "Safren, Steven A"), journal=None, year=2019,
                 source_db="proquest")
    out, review = find_duplicates_with_review(pd.DataFrame([entry, report], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    # a registry record that names its registry as the journal, without the number as author
    assert groups(dict(entry, authors=[], journal="ClinicalTrials.gov"), report) == [1, 2]
    # one registry entry from CENTRAL and from an export that kept neither author nor journal is one
    assert groups(entry, dict(entry, authors=[], journal=None, source_db="embase")) == [1, 1]
    # the report's copies from two databases still meet on the title beside the registration
    pubmed = rec(article, authors=("O'Cleirigh, Conall",), journal="AIDS and Behavior", year=2019, volume="23",
                 issue="9", pages="2421-2431")
    assert groups(entry, pubmed, dict(pubmed, journal="AIDS Behav", volume=None, pages=None, source_db="embase")) == \
        [1, 2, 2]



REVIEW = "Peer support interventions for people who inject drugs: a systematic review and meta-analysis"


@pytest.mark.parametrize("registry", ["PROSPERO International prospective register of systematic reviews",
                                      "https://www.crd.york.ac.uk/prospero/display_record.php?ID=CRD42019123456"])
def test_a_reviews_prospero_registration_is_not_the_review(registry):
    """PROSPERO's record keeps the review's title and its first author; registered in 2019, the review published in
    the journal Systematic Reviews in 2020 (a name the register's own name holds) was hidden behind it."""
    entry = rec(REVIEW, journal=registry, year=2019, source_db="prospero")
    review = rec(REVIEW, journal="Systematic Reviews", year=2020, volume="9", pages="100")
    assert groups(entry, review) == [1, 2]
    # the review's copies still meet beside its registration
    assert groups(entry, review, dict(review, journal="Syst Rev", volume=None, pages=None, source_db="embase")) == \
        [1, 2, 2]


THESIS = "Syndemic production and HIV risk among young Black men who have sex with men in the southern United States"


def test_a_dissertation_is_not_the_article_from_it():
    # ProQuest Dissertations gives the thesis no journal; the article keeps its title a year later
    pqdt = dict(rec(THESIS, authors=("Jones, Darnell",), journal=None, year=2016, source_db="proquest"), type="THES")
    dai = rec(THESIS, authors=("Jones, Darnell",), year=2016, volume="77", issue="8-B(E)", source_db="psycinfo",
              journal="Dissertation Abstracts International: Section B: The Sciences and Engineering")
    article = rec(THESIS, authors=("Jones, Darnell", "Mayer, Kenneth H"), journal="AIDS and Behavior", year=2017,
                  volume="21", issue="4", pages="1020-1031")
    assert groups(pqdt, article) == [1, 2]
    assert groups(dict(pqdt, year=2017), article) == [1, 2]
    # the thesis from two databases is one record, and so is the article from two
    assert groups(pqdt, dai, article, dict(article, journal="AIDS Behav", volume=None, pages=None,
                                           source_db="embase")) == [1, 1, 3, 3]
    # a journal named with the word in Latin is no thesis: its paper from two databases is one
    monograph = rec("Dimension theory of hyperbolic flows on compact manifolds and their invariant measures",
                    authors=("Barreira, Luis",), journal="Dissertationes Mathematicae", volume="510", pages="1-60")
    assert groups(monograph, dict(monograph, journal="Diss. Math.", source_db="scopus")) == [1, 1]


@pytest.mark.parametrize("kind", ["JOUR", "Journal Article", "journalArticle", "Article", "Review", "article"])
def test_a_dissertation_is_not_the_article_from_it_when_the_article_names_no_journal(kind):
    """A reference manager's or a spreadsheet's copy of the article may leave the journal out; its type (RIS TY JOUR,
    Zotero's journalArticle, Scopus's document type) still says it is the article, not the thesis beside it."""
    pqdt = dict(rec(THESIS, authors=("Jones, Darnell",), journal=None, year=2016, source_db="proquest"), type="THES")
    article = dict(rec(THESIS, authors=("Jones, Darnell", "Mayer, Kenneth H"), journal=None, year=2017,
                       source_db="zotero"), type=kind)
    out, review = find_duplicates_with_review(pd.DataFrame([pqdt, article], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    # two reports of one study: listed, so that a reviewer can link them
    assert review["reason"].tolist() == ["same title, but a dissertation and a journal article"]
    assert groups(pqdt, dict(article, year=2016)) == [1, 2]
    # the thesis's copy with neither journal nor type, and two copies of the article, still join
    assert groups(pqdt, dict(pqdt, type=None, source_db="scholar"), article,
                  dict(article, journal="AIDS and Behavior", source_db="embase")) == [1, 1, 3, 3]



BOOK = "Understanding prevention for HIV positive gay men: innovative approaches in addressing the AIDS epidemic"


def test_a_book_is_not_its_chapter_that_carries_the_books_doi():
    # PsycINFO gives a chapter the book's DOI where the chapter has none; the editor wrote the chapter
    doi = "10.1007/978-1-4419-0203-0"
    book = dict(rec(BOOK, year=2017, authors=("Halkitis, Perry N",), journal=None, doi=doi, source_db="scopus"),
                type="BOOK")
    chapter = dict(rec("HIV positive gay men, MSM, and substance use: perspectives on HIV prevention", year=2017,
                       authors=("Halkitis, Perry N",), journal=BOOK.split(":")[0], pages="75-92", doi=doi,
                       source_db="psycinfo"), type="CHAP")
    out, review = find_duplicates_with_review(pd.DataFrame([book, chapter], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a book and one of its chapters" in review["reason"].iloc[0]
    # the chapter from two databases, one DOI, is one record
    assert groups(chapter, dict(chapter, title=chapter["title"].replace("perspectives", "Perspectives"),
                                source_db="scopus")) == [1, 1]

def test_an_opening_chapter_with_the_books_title_and_doi_is_not_the_book():
    # the editor's opening chapter carries the book's title and, in one database, the book's DOI; the types say
    # book and chapter
    doi = "10.1007/978-1-4419-0203-0"
    book = dict(rec(BOOK, year=2017, authors=("Halkitis, Perry N",), journal=None, doi=doi, source_db="scopus"),
                type="BOOK")
    opening = dict(rec("Introduction: " + BOOK, year=2017, authors=("Halkitis, Perry N",), journal="Springer",
                       pages="1-12", doi=doi, source_db="psycinfo"), type="CHAP")
    out, review = find_duplicates_with_review(pd.DataFrame([book, opening], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a book and one of its chapters (their types say so" in review["reason"].iloc[0]
    # the book from two databases, one typing it a chapter at its own pages, is one record
    assert groups(dict(book, pages="1-300"), dict(book, type="CHAP", pages="1-300", source_db="psycinfo")) == [1, 1]



# ---------------------------------------------------------------- notices and generic titles


PAPER = "Effect of a brief motivational intervention on alcohol use among university students"


@pytest.mark.parametrize("prefix", ["Author Correction: ", "Publisher Correction: ", "Commentary: ", "Comment: ",
                                   "Letter: ", "Response: ", "Authors' response: ", "In response to: ",
                                   "Addendum: ", "WITHDRAWN: ", "Editorial Expression of Concern: "])
def test_a_notice_with_the_papers_doi_is_not_the_paper(prefix):
    doi = "10.1111/add.15000"
    assert groups(rec(PAPER, doi=doi, journal="Addiction"),
                  rec(prefix + PAPER, doi=doi, journal="Addiction", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("title", ["Research letter", "Letter to the editors", "Letter to the editor regarding the "
                                   "article by Smith et al", "Preface to the special issue", "Correction notice",
                                   "Authors' reply to the comment", "Reply to Dr Smith", "Opening remarks",
                                   "Message from the chair", "Book review: Handbook of Addiction",
                                   "Poster presentations - day 1", "Invited commentary", "From the editor",
                                   "The authors reply", "Reply by the authors", "Reply from the authors",
                                   "The author replies", "Response from the authors", "Authors' reply to",
                                   "Reply to the editor", "The year in review", "From the editor's desk",
                                   "Highlights from the literature", "Statement of retraction",
                                   "Editorial expression of concern", "N/A", "null", "Untitled document",
                                   "No title provided", "[Article in Chinese]", "[Chinese]"])
def test_generic_titles_do_not_join_two_items(title):
    assert groups(rec(title, journal="Addiction", volume="115", pages="3-4"),
                  rec(title, journal="Addiction", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("title", ["What is your diagnosis?", "What's your diagnosis?", "Case of the month",
                                   "Image of the month", "Images in clinical medicine", "Images in paediatrics"])
def test_a_recurring_column_without_its_author_does_not_join_two_items(title):
    """A journal's recurring column ("What is your diagnosis?", "Image of the month") carries one title in every issue,
    and an export often gives no author: two issues' columns of one year were joined as one record on the title, and
    one was never screened. They are two items; one column's copies under one DOI still join."""
    a = rec(title, authors=(), journal="Journal of the American Veterinary Medical Association", year=2019)
    assert groups(a, dict(a, source_db="embase")) == [1, 2]
    doi = "10.2460/javma.255.3.301"
    assert groups(dict(a, doi=doi), dict(a, doi=doi, source_db="embase")) == [1, 1]


LONG = ("Effect of a brief motivational intervention delivered by peers on alcohol use among first-year university "
        "students: a cluster randomised trial")


@pytest.mark.parametrize("title", ['Regarding "' + LONG + '"', "Regarding: " + LONG, "Concerning “" + LONG + "”",
                                   "Editorial: " + LONG, "A reply to: " + LONG, "A response to " + LONG,
                                   "Rebuttal: " + LONG, LONG + ": comment", LONG + " - Commentary"])
def test_a_letter_or_editorial_named_after_the_paper_is_not_the_paper(title):
    # J Vasc Surg titles its letters 'Regarding "<article>"'; a letter's export often lacks its author
    assert groups(rec(LONG, journal="Addiction", volume="115", pages="456-468"),
                  rec(title, authors=(), journal="Addiction", source_db="embase")) == [1, 2]
    assert groups(rec(title, authors=(), journal="Addiction"),
                  rec(title, authors=(), journal="Addiction", source_db="embase")) == [1, 1]  # the letter twice


@pytest.mark.parametrize("ta, tb", [("I. " + LONG, "II. " + LONG), ("(II) " + LONG, "(III) " + LONG),
                                    ("IV - " + LONG, "V - " + LONG)])
def test_parts_numbered_before_the_title_are_two_papers(ta, tb):
    # a series' parts whose common heading a database dropped ("Studies of X. II. <title>")
    assert groups(rec(ta, journal="Addiction"), rec(tb, journal="Addiction", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("Seroprevalence of hepatitis B infection among pregnant women attending antenatal care in northern Uganda",
     "Seroprevalence of hepatitis C infection among pregnant women attending antenatal care in northern Uganda"),
    ("Vitamin D supplementation and the risk of falls in older adults living in residential aged care facilities",
     "Vitamin E supplementation and the risk of falls in older adults living in residential aged care facilities"),
    ("Influenza A virus infection and acute myocardial infarction in hospitalised adults: a case series",
     "Influenza B virus infection and acute myocardial infarction in hospitalised adults: a case series"),
])
def test_a_letter_that_names_the_disease_or_vitamin_makes_another_study(ta, tb):
    assert groups(rec(ta, journal="BMC Infectious Diseases"),
                  rec(tb, journal="BMC Infectious Diseases", source_db="embase")) == [1, 2]


TRIAL = ("Effect of a twelve-week supervised home-based exercise programme on depressive symptoms, anxiety and "
         "health-related quality of life in older adults with chronic heart failure and reduced ejection fraction")
HEART_TRIAL = TRIAL  # TRIAL is given another title further down, which the tests' bodies would read


@pytest.mark.parametrize("tb", [TRIAL + ": a secondary analysis", TRIAL + ": post hoc analysis",
                                TRIAL + ": follow-up", TRIAL + ": an update", TRIAL + ": final results",
                                TRIAL + ": extension study", TRIAL + ": baseline characteristics",
                                TRIAL + ": economic evaluation", "Cost-effectiveness of e" + TRIAL[1:],
                                TRIAL + ": an ancillary substudy", TRIAL + ": a replication",
                                TRIAL + ": an analysis plan", TRIAL + ": revisited", TRIAL + ": the sequel",
                                TRIAL + " (continued)", TRIAL + " reconsidered"])
def test_a_companion_paper_of_a_long_title_is_another_paper(tb):
    # a long title is more than 93% alike with a few words added, so the words must tell
    assert groups(rec(HEART_TRIAL), rec(tb, source_db="embase")) == [1, 2]


@pytest.mark.parametrize("tail", [": mediators of effect", ": moderators of treatment response",
                                  ": a mediation analysis", ": moderation analysis", ": a Bayesian analysis",
                                  ": treatment fidelity", ": recruitment and retention"])
def test_a_secondary_analysis_named_in_a_subtitle_is_listed_not_joined(tail):
    """A trial's secondary paper named by its subtitle only ("<title>: mediators of effect", ": a Bayesian analysis",
    ": treatment fidelity", ": recruitment and retention") was joined with the main paper as a copy whose subtitle
    a database left out, and never screened. Such a word in the subtitle one title only has now tells them apart:
    listed. The secondary paper's own copies still join, one writing the word in the singular."""
    ids, reasons = review_of(rec(HEART_TRIAL), rec(HEART_TRIAL + tail, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in one title only" in reasons[0], reasons
    one = tail.replace("mediators", "mediator").replace("moderators", "moderator")
    assert groups(rec(HEART_TRIAL + tail), rec(HEART_TRIAL + one, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("tail", [": sex differences", ": the role of sex", ": by sex", ": gender differences",
                                  ": a sex-stratified analysis"])
def test_a_subgroup_analysis_by_sex_named_in_a_subtitle_is_listed_not_joined(tail):
    """A trial's analysis by sex named by its subtitle only ("<title>: sex differences", ": the role of sex") was
    joined with the main paper as a copy whose subtitle a database left out, and never screened. "sex", "gender" or
    "stratified" in the subtitle one title only tells them apart: listed. The analysis's own copies still join."""
    ids, reasons = review_of(rec(HEART_TRIAL), rec(HEART_TRIAL + tail, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in one title only" in reasons[0], reasons
    assert groups(rec(HEART_TRIAL + tail), rec((HEART_TRIAL + tail).upper(), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("tail", [": the Japanese subpopulation", ": Japanese subset", ": the UK arm",
                                  ": results of the Asian arm"])
def test_a_part_of_a_trial_named_in_a_subtitle_is_listed_not_joined(tail):
    """One arm's or subpopulation's report of a multinational trial named by its subtitle only ("<title>: the Japanese
    subpopulation", ": the UK arm") was joined with the trial's main paper as a copy whose subtitle a database left
    out, and never screened. "subpopulation", "subset" or "arm" in the subtitle one title only tells them apart:
    listed. The report's own copies still join. (A country alone is not enough: "<title>: what mapping in Nepal
    reveals" is often the paper's own subtitle.)"""
    ids, reasons = review_of(rec(HEART_TRIAL), rec(HEART_TRIAL + tail, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in one title only" in reasons[0], reasons
    assert groups(rec(HEART_TRIAL + tail), rec((HEART_TRIAL + tail).upper(), source_db="embase")) == [1, 1]


GUIDELINE = "German S3 guideline on the diagnosis and treatment of chronic obstructive pulmonary disease in adults"


@pytest.mark.parametrize("tail", [": short version", ": long version", ": pocket version", " (Kurzfassung)",
                                  " - Langfassung", ": full version"])
def test_a_guideline_version_named_in_a_subtitle_is_listed_not_joined(tail):
    """A guideline published as a short and a long version ("<title>: short version", "(Kurzfassung)"), each its own
    report: the version was joined with the plain title as a copy whose subtitle a database left out, though the plain
    title may be the other version, and one was never screened. "version" (or "Kurzfassung", "Langfassung") in the
    subtitle one title only has tells them apart: listed. One version's copies still join."""
    ids, reasons = review_of(rec(GUIDELINE), rec(GUIDELINE + tail, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in one title only" in reasons[0], reasons
    assert groups(rec(GUIDELINE + tail), rec((GUIDELINE + tail).upper(), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("tail", [": safety outcomes", ": adverse events", ": predictors of response",
                                  ": sensitivity analyses", ": patient perspectives", ": lessons learned",
                                  ": methods report", ": technical report"])
def test_a_part_of_a_study_named_in_a_short_subtitle_is_listed_not_joined(tail):
    """A study's other paper named by a short subtitle only ("<title>: safety outcomes", ": adverse events",
    ": predictors of response", ": sensitivity analyses", ": patient perspectives", ": lessons learned", ": methods
    report", ": technical report") was joined with the main paper as a copy whose subtitle a database left out, and
    never screened. Such a word in the subtitle one title only has tells them apart: listed. The paper's own copies
    still join."""
    ids, reasons = review_of(rec(HEART_TRIAL), rec(HEART_TRIAL + tail, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in one title only" in reasons[0], reasons
    assert groups(rec(HEART_TRIAL + tail), rec((HEART_TRIAL + tail).upper(), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("tb", [TRIAL + " (cont.)", TRIAL + " (cont'd)", TRIAL + " (contd)"])
def test_a_title_marked_continued_in_short_is_the_next_part(tb):
    """Older journals printed a long paper over two issues, the second part's title ending "(cont.)": the two parts
    were joined as one record (96% alike) and the second never screened. They stay apart, as "(continued)" does."""
    assert groups(rec(HEART_TRIAL), rec(tb, source_db="embase")) == [1, 2]


@pytest.mark.parametrize("mark", [" (concluded)", " (Concluded)", " (concluded)."])
def test_a_title_marked_concluded_is_the_last_part(mark):
    """The last part of a paper printed over several issues, its title ending "(concluded)": the part and the
    first (the same title, plain) were joined as one record (96% alike) and the last part never screened. They stay
    apart and are listed, as "(continued)" is; the last part from two databases is still one record."""
    ids, reasons = review_of(rec(HEART_TRIAL), rec(HEART_TRIAL + mark, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'concluded' in one title only" in reasons[0], reasons
    assert groups(rec(HEART_TRIAL + mark), rec(HEART_TRIAL + " (concluded)", source_db="embase")) == [1, 1]


DEBATE = "Intensive blood pressure control in older adults with type 2 diabetes"


@pytest.mark.parametrize("ta, tb", [
    (DEBATE + ": the case for", DEBATE + ": the case against"),
    (DEBATE + ": for", DEBATE + ": against"),
    (DEBATE + ": arguments for", DEBATE + ": arguments against"),
    (DEBATE + ": for the motion", DEBATE + ": against the motion"),
    (DEBATE, DEBATE + ": against"),
])
@pytest.mark.parametrize("b_authors", [SMITH, ()])
def test_the_two_sides_of_a_debate_are_listed_not_joined(ta, tb, b_authors):
    """A journal's debate prints two pieces under one title, "...: the case for" and "...: the case against": "for" is
    a little word no title is told apart by, so the two sides were joined as one record (the second's authors missing,
    or one author writing both) and one side never screened. "against" in one title only tells them apart, as "pro"
    and "con" do: kept apart and listed; one side from two databases is still one record."""
    ids, reasons = review_of(rec(ta), rec(tb, authors=b_authors, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'against' in one title only" in reasons[0], reasons
    assert groups(rec(tb), rec(tb.upper(), authors=b_authors, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("side", ["? Yes", ": pro", ": con", ": Point", ": counterpoint", ": the case for"])
def test_a_debate_side_at_the_end_of_one_title_only_is_listed_not_joined(side):
    """"Should ...? Yes" beside "Should ...?" (the "No" side with its mark lost, or the debate's other piece): the
    title with a side's mark after it and the one without were joined as one record, and one never screened. A
    database does not add "Yes", "pro" or "con" to a title: kept apart and listed; one side's copies still join."""
    ids, reasons = review_of(rec(DEBATE + "?"), rec(DEBATE + side, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "a debate's side?" in reasons[0], reasons
    assert groups(rec(DEBATE + side), rec((DEBATE + side).upper(), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title, short", [
    ("Electronic capture in routine oncology care of patient-reported outcomes (PRO)", "PRO"),
    ("Outcomes of stroke care in rural Wales: the Care Outreach in Neurology (CON)", "CON"),
])
def test_a_title_ending_in_its_own_acronym_is_not_a_debate_side(title, short):
    """"... patient-reported outcomes (PRO)" beside the copy without its acronym: "PRO" spells the words before it,
    it is no debate's side, and the one paper's copies were kept apart. Still one record; a debate's "Pro" after
    other words is still listed."""
    assert review_of(rec(title), rec(title.replace(f" ({short})", ""), source_db="embase")) == ([1, 1], [])
    assert review_of(rec(DEBATE + "?"), rec(DEBATE + "? " + short.title(), source_db="embase"))[0] == [1, 2]


def test_a_title_with_against_in_both_copies_is_still_one_record():
    title = "Effectiveness of vaccination against influenza in older adults living in residential aged care facilities"
    assert groups(rec(title), rec(title.upper(), source_db="embase")) == [1, 1]
    assert groups(rec(title), rec(title + ".", authors=(), source_db="embase")) == [1, 1]


def test_follow_up_written_two_ways_is_one_title():
    ta = "Exercise for depressive symptoms in heart failure: a follow-up of a randomised controlled trial"
    assert groups(rec(ta), rec(ta.replace("follow-up", "followup"), source_db="embase")) == [1, 1]


def test_mathml_in_a_title_reads_as_the_text_it_marks_up():
    # Scopus and Crossref give formulas as MathML, other databases as plain text or <sup>
    mml = ('Effect of <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msub><mml:mi>CO</mml:mi>'
           '<mml:mn>2</mml:mn></mml:msub></mml:math> laser therapy')
    assert normalise_title(mml) == normalise_title("Effect of CO2 laser therapy") == "effect of co2 laser therapy"
    assert normalise_title("<math><msup><mi>Ca</mi><mrow><mn>2</mn><mo>+</mo></mrow></msup></math> signalling") \
        == normalise_title("Ca<sup>2+</sup> signalling") == "ca2 plus signalling"
    assert normalise_title("<inline-formula><mml:math><mml:mi>β</mml:mi></mml:math></inline-formula>-cell loss") \
        == "beta cell loss"


@pytest.mark.parametrize("title", [LONG + " (vol 115, pg 456, 2020)", LONG + " (vol 115, e0123, 2020)",
                                   "Clarification: " + LONG, "Update: " + LONG, "Editor's note: " + LONG,
                                   "In brief: " + LONG, "Journal club: " + LONG])
def test_a_correction_or_digest_of_the_paper_is_not_the_paper(title):
    # Web of Science titles a correction "<title> (vol 115, pg 456, 2020)"; a database may give a
    # notice its article's DOI
    doi = "10.1111/add.15000"
    assert groups(rec(LONG, doi=doi, journal="Addiction", volume="115", pages="456-468"),
                  rec(title, doi=doi, journal="Addiction", year=2021, source_db="wos")) == [1, 2]
    assert groups(rec(LONG, journal="Addiction"), rec(title, journal="Addiction", source_db="wos")) == [1, 2]


@pytest.mark.parametrize("title", ["Discussion: " + LONG, "Invited Discussion on: " + LONG, "CORR Insights®: " + LONG,
                                   "Comment to: " + LONG, "Correspondence: " + LONG, LONG + ": response",
                                   LONG + ". Reply", LONG + " (Letter)", LONG + " - Errata", LONG + " - Discussion"])
def test_a_discussion_or_a_reply_titled_after_the_paper_is_not_the_paper(title):
    # a discussant's piece printed after the paper, or a letter, its author not given in one database
    assert groups(rec(LONG, journal="Addiction"), rec(title, authors=(), journal="Addiction", source_db="embase")) == [1, 2]


LETTER_TO = "Effectiveness of a nurse-led telephone follow-up programme on medication adherence and blood pressure " \
            "control in patients with uncontrolled hypertension"


@pytest.mark.parametrize("title", ["Letter to the Editor: " + LETTER_TO, "Letter regarding " + LETTER_TO,
                                   "Invited commentary on " + LETTER_TO, "Editorial comment on " + LETTER_TO,
                                   "Correspondence on " + LETTER_TO, "Thoughts on " + LETTER_TO, "Re " + LETTER_TO,
                                   "Synopsis of " + LETTER_TO, "Rapid response: " + LETTER_TO,
                                   "Removal notice: " + LETTER_TO, LETTER_TO + " (editorial)",
                                   LETTER_TO + ": reply to comments", LETTER_TO + " (retraction notice)",
                                   LETTER_TO + " - letter to the editor", LETTER_TO + ": summary",
                                   LETTER_TO + " (lay summary)", LETTER_TO + " [Lay summary]",
                                   "Amendment to " + LETTER_TO, LETTER_TO + " (amendment)"])
def test_an_item_about_the_paper_in_words_without_a_colon_is_not_the_paper(title):
    # "Letter regarding <title>" and the like stay over 93% alike with a long title: the words put
    # before it (or set off after it) make it a letter, comment, summary or notice
    paper = rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468")
    out, review = find_duplicates_with_review(
        pd.DataFrame([paper, rec(title, authors=(), journal="Addiction", source_db="wos")],
                     index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "about the paper" in review["reason"].iloc[0]  # listed for a person to check
    doi = "10.1111/add.15000"  # a database giving the letter its paper's DOI
    assert groups(rec(LETTER_TO, doi=doi), rec(title, doi=doi, authors=(), source_db="wos")) == [1, 2]
    assert groups(rec(title, authors=()), rec(title, authors=(), source_db="wos")) == [1, 1]  # the letter twice


def test_a_subtitle_a_database_cut_is_no_notice():
    # words such as "discussion" or "response" in a subtitle one database left out, and a first word
    # mistyped, keep one paper one
    ta = LETTER_TO + ": treatment response"
    assert groups(rec(ta), rec(LETTER_TO, source_db="embase")) == [1, 1]
    tb = "Responses of older adults with uncontrolled hypertension to a nurse-led telephone follow-up programme"
    assert groups(rec(tb), rec(tb.replace("Responses", "Respones"), source_db="embase")) == [1, 1]
    tc = "Re-evaluation of a nurse-led telephone follow-up programme for patients with uncontrolled hypertension"
    assert groups(rec(tc), rec(tc.replace("Re-evaluation", "Reevaluation"), source_db="embase")) == [1, 1]


def test_a_title_ending_in_a_response_still_meets_its_copy():
    ta = "Mass casualty incidents in regional hospitals during the 2019 bushfires: a response"
    assert groups(rec(ta), rec(ta.replace("casualty", "casuality"), source_db="embase")) == [1, 1]
    tb = "Predictors of early treatment response in adolescents with major depressive disorder"
    assert groups(rec(tb), rec(tb.replace("adolescents", "adolesents"), source_db="embase")) == [1, 1]


def test_a_letter_and_the_reply_to_it_are_two_items():
    assert groups(rec("Re: " + LONG, authors=("Brown, Kate",), journal="Addiction"),
                  rec("Response to Re: " + LONG, authors=(), journal="Addiction", source_db="embase")) == [1, 2]


def test_a_retracted_article_marked_so_by_web_of_science_is_still_the_article():
    marked = LONG + " (Retracted article. See vol. 116, pg. 1201, 2021)"
    assert groups(rec(LONG, journal="Addiction", volume="115", pages="456-468"),
                  rec(marked, journal="Addiction", volume="115", pages="456-68", source_db="wos")) == [1, 1]
    assert groups(rec(LONG, journal="Addiction"), rec(marked, journal="Addiction", source_db="wos")) == [1, 1]


@pytest.mark.parametrize("marked", ["RETRACTED: " + LONG, "RETRACTED ARTICLE: " + LONG])
def test_an_article_marked_retracted_is_not_its_retraction_notice(marked):
    # Elsevier and Springer rename the retracted article itself; the notice is another item
    for notice in ['Retraction notice to "' + LONG + '"', "Retraction Note: " + LONG, "Notice of retraction: " + LONG]:
        assert groups(rec(marked, journal="Addiction"), rec(notice, journal="Addiction", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("marked", ["RETRACTED: " + LONG, "RETRACTED ARTICLE: " + LONG])
def test_an_article_marked_retracted_is_still_the_article(marked):
    # Scopus and Embase take the publisher's renamed title, PubMed keeps the original: one article
    doi = "10.1016/j.addbeh.2020.106321"
    assert groups(rec(LONG, doi=doi, journal="Addictive Behaviors", volume="104", pages="106321"),
                  rec(marked, doi=doi, journal="Addictive Behaviors", volume="104", pages="106321",
                      source_db="scopus")) == [1, 1]
    assert groups(rec(LONG, journal="Addictive Behaviors", volume="104", pages="106321"),
                  rec(marked, journal="Addict Behav", source_db="embase")) == [1, 1]


def test_a_retraction_notice_titled_retracted_is_not_the_article():
    # Hindawi titles its notice "Retracted: <title>"; a title in capitals throughout says nothing of the kind
    assert groups(rec(LONG, journal="Addiction"), rec("Retracted: " + LONG, authors=(), journal="Addiction",
                                                      source_db="embase")) == [1, 2]
    assert groups(rec(LONG, journal="Addiction"), rec("RETRACTED: " + LONG.upper(), authors=(), journal="Addiction",
                                                      source_db="embase")) == [1, 2]


@pytest.mark.parametrize("notice", [LONG + " [Erratum]", LONG + ". [Corrigendum]", LONG + " [Retraction]",
                                    LONG + " [Erratum for: Addiction. 2020;115(3):456-68]",
                                    LONG + " [Published erratum for: Addiction. 2020;115(3):456-68]",
                                    LONG + " [Published correction for: Addiction. 2020;115(3):456-68]",
                                    LONG + " [Retraction of: Addiction. 2020;115(3):456-68]",
                                    "[Retraction notice] " + LONG, LONG + " [comment]", LONG + " [letter]",
                                    LONG + " [Expression of concern]", LONG + " [editorial]",
                                    LONG + " [Editorial comment]"])
def test_a_notice_marked_only_by_a_bracket_note_is_not_the_paper(notice):
    # the note is all that says this record is the erratum, retraction, letter or editorial (old MEDLINE's
    # "[editorial]", as its "[letter]"), not the article
    doi = "10.1111/add.15000"
    assert groups(rec(LONG, journal="Addiction", volume="115", pages="456-468"),
                  rec(notice, journal="Addiction", source_db="embase")) == [1, 2]
    assert groups(rec(LONG, doi=doi, journal="Addiction"), rec(notice, doi=doi, journal="Addiction",
                                                                source_db="embase")) == [1, 2]
    assert groups(rec(notice, journal="Addiction"), rec(notice, journal="Addiction", source_db="embase")) == [1, 1]


GERMAN = "Chemsex bei Männern, die Sex mit Männern haben, in Deutschland: Ergebnisse einer nationalen Onlinebefragung"
SPANISH = ("Consumo de drogas en contextos sexuales entre hombres que tienen sexo con hombres en España: resultados "
           "de una encuesta")
FRENCH = ("Consommation de drogues en contexte sexuel chez les hommes ayant des relations sexuelles avec des hommes "
          "en France")


@pytest.mark.parametrize("article, notice", [
    # Springer Medizin's and the Deutsches Ärzteblatt's corrections, comments and replies
    (GERMAN, "Korrektur zu: " + GERMAN), (GERMAN, "Berichtigung: " + GERMAN), (GERMAN, "Kommentar zu: " + GERMAN),
    (GERMAN, "Erwiderung: " + GERMAN), (GERMAN, "Leserbrief zu " + GERMAN), (GERMAN, "Antwort auf: " + GERMAN),
    (GERMAN, "Replik: " + GERMAN), (GERMAN, "Stellungnahme zu: " + GERMAN),
    # Elsevier España's and SciELO's
    (SPANISH, "Fe de errores: " + SPANISH), (SPANISH, "Fe de erratas: " + SPANISH),
    (SPANISH, "Corrección de errores: " + SPANISH), (SPANISH, "Comentario a: " + SPANISH),
    (SPANISH, "Respuesta a: " + SPANISH), (SPANISH, "Carta al editor: " + SPANISH), (SPANISH, "Réplica: " + SPANISH),
    (SPANISH, "Retractación: " + SPANISH),
    # French journals'
    (FRENCH, "Rectificatif : " + FRENCH), (FRENCH, "Commentaire sur : " + FRENCH), (FRENCH, "Réponse à : " + FRENCH),
    (FRENCH, "Lettre à l'éditeur : " + FRENCH), (FRENCH, "Réponse des auteurs : " + FRENCH),
])
def test_a_notice_titled_in_another_language_is_not_the_paper(article, notice):
    """A correction, comment or reply in a German, Spanish or French journal, titled after the paper, by its
    authors a year later: over 93% alike, it was taken for the paper and hid it."""
    assert groups(rec(article, journal="Bundesgesundheitsblatt"),
                  rec(notice, journal="Bundesgesundheitsblatt", year=2021, source_db="embase")) == [1, 2]
    # the notice from two databases is still one record
    assert groups(rec(notice, journal="Bundesgesundheitsblatt"),
                  rec(notice, journal="Bundesgesundheitsblatt", source_db="embase")) == [1, 1]


PORTUGUESE = ("Uso de drogas em contextos sexuais entre homens que fazem sexo com homens no Brasil: resultados de um "
              "inquérito online")
ITALIAN = "Uso di droghe in contesti sessuali tra uomini che fanno sesso con uomini in Italia: risultati di un'indagine"


@pytest.mark.parametrize("article, notice", [
    # a reply headed by the word alone: Elsevier España's "Respuesta:", SciELO's "Resposta:" and "Tréplica:", Italian
    # journals' "Risposta:"
    (SPANISH, "Respuesta: " + SPANISH), (SPANISH, "Corrección: " + SPANISH), (PORTUGUESE, "Resposta: " + PORTUGUESE),
    (PORTUGUESE, "Tréplica: " + PORTUGUESE), (PORTUGUESE, "Correção: " + PORTUGUESE),
    (PORTUGUESE, "Retratação: " + PORTUGUESE), (PORTUGUESE, "Comentário: " + PORTUGUESE),
    (ITALIAN, "Risposta: " + ITALIAN), (ITALIAN, "Replica: " + ITALIAN), (ITALIAN, "Commento: " + ITALIAN),
    (ITALIAN, "Rettifica: " + ITALIAN),
])
def test_a_reply_or_correction_headed_in_another_language_is_not_the_paper(article, notice):
    """"Respuesta: <title>", "Resposta: <title>", "Risposta: <title>": the authors' reply, titled after their paper a
    year later (over 93% alike), was taken for the paper and hid it; so were a correction and a comment."""
    assert groups(rec(article, journal="Gaceta Sanitaria"),
                  rec(notice, journal="Gaceta Sanitaria", year=2021, source_db="embase")) == [1, 2]
    # the notice from two databases is still one record
    assert groups(rec(notice, journal="Gaceta Sanitaria"),
                  rec(notice, journal="Gaceta Sanitaria", source_db="embase")) == [1, 1]
    # a study whose title begins with such a word, no colon after it, joins its copy
    study = "Correção cirúrgica da escoliose idiopática do adolescente: resultados de uma coorte de dez anos"
    assert groups(rec(study, journal="Coluna/Columna"), rec(study.replace("coorte", "corte"), journal="Coluna/Columna",
                                                            source_db="lilacs")) == [1, 1]


@pytest.mark.parametrize("kind", ["Erratum", "Published Erratum", "Correction", "Retraction of Publication",
                                  "Expression of Concern"])
def test_a_notice_that_only_its_type_marks_is_not_the_paper(kind):
    """Scopus's and Web of Science's erratum and PubMed's "Published Erratum" may carry the article's own title: the
    type is all that says so. Beside the article's copy ahead of print (no volume or pages), the notice was taken for
    the article and the article's record hidden behind it."""
    article = dict(rec(LONG, journal="Addiction"), type="Journal Article")
    notice = dict(rec(LONG, journal="Addiction", volume="115", pages="2100", source_db="scopus"), type=kind)
    assert groups(article, notice) == [1, 2]
    # the notice from two databases is still one record, and an article marked retracted is still the article
    assert groups(notice, dict(notice, type="Published Erratum" if kind == "Erratum" else kind, source_db="medline",
                               pages=None)) == [1, 1]
    for retracted in ("Retracted Publication", "Journal Article; Retracted Publication", "Retracted"):
        assert groups(article, dict(article, type=retracted, source_db="wos")) == [1, 1]


UROLOGY = ("Robot-assisted versus open radical cystectomy in patients with bladder cancer: perioperative outcomes of a "
           "multicentre randomised trial")


@pytest.mark.parametrize("kind", ["Letter", "Editorial", "Note", "Editorial Material", "Journal Article; Letter",
                                  "Comment", "Journal Article; Comment"])
def test_a_letter_editorial_or_note_that_only_its_type_marks_is_not_the_paper(kind):
    """A journal's editorial comment printed after a paper, or a letter in its correspondence, may carry the paper's own
    title with no author Scopus names; Scopus's and Web of Science's document type ("Letter", "Editorial", "Note",
    "Editorial Material") is all that says so. Beside the paper's copy ahead of print (no volume or pages), it was
    taken for the paper and the paper hidden behind it."""
    paper = dict(rec(UROLOGY, journal="Journal of Urology", source_db="scopus"), type="Article")
    comment = dict(rec(UROLOGY, authors=(), journal="Journal of Urology", volume="205", pages="1102",
                       source_db="wos"), type=kind)
    out, review = find_duplicates_with_review(pd.DataFrame([paper, comment],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "letter, editorial or note and an article" in review["reason"].iloc[0]
    # Scopus's RIS types its articles JOUR: beside a letter of Scopus's own, that still says "another item"
    assert groups(dict(paper, type="JOUR"), dict(comment, source_db="scopus")) == [1, 2]
    # the comment from two databases is still one record, and so is the paper
    assert groups(comment, dict(comment, source_db="embase", type=None, pages=None)) == [1, 1]
    assert groups(comment, dict(comment, source_db="scopus", type="Letter", title=UROLOGY + ".")) == [1, 1]
    assert groups(paper, dict(paper, type="Journal Article", source_db="medline", volume="205", pages="1095-1101")) \
        == [1, 1]


@pytest.mark.parametrize("kind", [None, "JOUR"])
def test_a_scopus_letter_is_not_another_databases_journal_item_of_its_title_outside_its_volume(kind):
    """A letter in a journal's correspondence may carry the title of the article it answers. Scopus types it "Letter";
    MEDLINE's or Embase's RIS types every journal item JOUR, or not at all: the article's copy ahead of print (no
    volume or page) was joined with the letter, and the article hidden behind it. Only the letter's volume or page on
    the other record says it is the letter's copy; otherwise the pair is listed."""
    letter = dict(rec(UROLOGY, authors=(), journal="Journal of Urology", volume="205", pages="1102", year=2021,
                      source_db="scopus"), type="Letter")
    article = dict(rec(UROLOGY, journal="Journal of Urology", year=2020, source_db="medline"), type=kind)
    out, review = find_duplicates_with_review(pd.DataFrame([letter, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "a letter, editorial or note and a journal item not in its volume" \
        in review["reason"].iloc[0]
    # the letter's own copy in that volume, or on that page, still joins
    assert groups(letter, dict(article, volume="205", year=2021)) == [1, 1]
    assert groups(letter, dict(article, pages="1102", year=2021)) == [1, 1]


def test_a_note_is_still_its_copy_that_another_database_calls_an_article_at_the_same_place():
    """Scopus types a short communication "Note"; Web of Science types the same paper "Article". Both at one volume
    and first page (and one page range) are one paper, not a comment printed beside it: a letter or editorial has
    pages of its own. Kept apart, the study was counted twice and screened twice."""
    title = "Influenza vaccination coverage among healthcare workers in Italian hospitals: the 2018/19 season"
    note = dict(rec(title, authors=("Rossi, M.",), journal="Vaccine", year=2020, volume="38", pages="5451-5454",
                    source_db="scopus"), type="Note")
    article = dict(rec(title, authors=("Rossi, Marco",), journal="VACCINE", year=2020, volume="38",
                       pages="5451-5454", source_db="wos"), type="Article")
    assert groups(note, article) == [1, 1]
    # a letter on other pages of the volume, under the paper's title, is still a record of its own
    letter = dict(note, type="Letter", pages="5460", authors=[])
    assert groups(article, letter) == [1, 2]

def test_a_note_is_still_its_copy_that_another_database_calls_a_journal_article():
    # Scopus's "Note" is a commentary or a short communication, which MEDLINE and PsycInfo type as any paper
    title = "Syndemics: A theory in search of data or data in search of a theory?"
    note = dict(rec(title, authors=("Tsai, A.C.",), journal="Social Science and Medicine", year=2018, volume="206",
                    pages="117-122", source_db="scopus"), type="Note")
    for kind, source in (("Journal Article", "medline"), ("JOUR", "psycinfo"), (None, "proquest")):
        copy = dict(rec(title + ".", authors=("Tsai, Alexander C",), journal="Soc Sci Med", year=2018,
                        source_db=source), type=kind)
        assert groups(note, copy) == [1, 1]


@pytest.mark.parametrize("title", [
    "Response to treatment with naltrexone among men who have sex with men with methamphetamine use disorder",
    "Replica exchange molecular dynamics simulations of amyloid beta peptide aggregation on lipid membranes",
    "Reply latency in text message conversations among adolescents with depression: an observational study",
])
@pytest.mark.parametrize("kind, mark", [("Erratum", ""), ("Retraction", ""), ("Expression of Concern", ""),
                                        ("Journal Article", " [Erratum]"), ("Journal Article", " [Retraction of: x]")])
def test_a_notice_about_a_study_whose_title_begins_like_a_notice_is_not_the_study(title, kind, mark):
    """A study titled "Response to treatment ...", "Replica exchange ...", "Reply latency ..." reads as a reply by its
    first words, so its erratum, retraction or expression of concern (its type, or a note, the only mark) kept the
    study's title unmarked and was joined with the study, hiding it."""
    article = dict(rec(title, journal="Addiction"), type="Journal Article")
    notice = dict(rec(title + mark, journal="Addiction", volume="115", pages="2100", source_db="scopus"), type=kind)
    assert groups(article, notice) == [1, 2]
    # the notice from two databases is still one record, and so is the study
    assert groups(notice, dict(notice, pages=None, source_db="wos")) == [1, 1]
    assert groups(article, dict(article, title=title + ".", source_db="embase")) == [1, 1]


REPLY_LATENCY = "Reply latency in text message conversations among adolescents with depression: an observational study"


@pytest.mark.parametrize("reply", ["Reply to: " + REPLY_LATENCY, "Reply: " + REPLY_LATENCY,
                                   "In reply to: " + REPLY_LATENCY, "Response to: " + REPLY_LATENCY,
                                   "Reply to " + REPLY_LATENCY])
def test_a_reply_to_a_study_whose_title_begins_with_reply_is_not_the_study(reply):
    """"Reply to: Reply latency ..." quotes the study's own title after the reply's heading. The study's title also
    reads as a reply by its first word, and the word "reply" was then in both titles, so the reply's heading went
    unseen: 95% alike, the authors' reply a year later was joined with the study and hid it."""
    study = rec(REPLY_LATENCY, journal="Journal of Adolescent Health", authors=("Lee, Ji-Won", "Park, Min"))
    answer = rec(reply, journal="Journal of Adolescent Health", authors=("Lee, Ji-Won",), year=2021,
                 source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([study, answer], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "before one title only" in review["reason"].iloc[0]
    # the reply from two databases is still one record, and so is the study
    assert groups(answer, dict(answer, source_db="scopus")) == [1, 1]
    assert groups(study, dict(study, title=REPLY_LATENCY + ".", source_db="embase")) == [1, 1]


@pytest.mark.parametrize("note", [" [Erratum appears in Addiction. 2021;116(2):300]", ".[Erratum in: Addiction. 2021]",
                                  " [Comment in: Addiction. 2021;116:12-3]", " [see comments]", " [Review] [23 refs]",
                                  " [Retraction in: Addiction. 2022;117:9]", " [Retracted]", " [corrected]",
                                  " [Expression of concern in: Addiction. 2021]"])
def test_a_note_that_points_to_another_item_leaves_the_article(note):
    # the article itself, marked as having an erratum, comments or a retraction elsewhere
    assert groups(rec(LONG, journal="Addiction", volume="115", pages="456-468"),
                  rec(LONG + note, journal="Addiction", source_db="embase")) == [1, 1]


PEERS = ("Peer support workers in community mental health services: experiences of recovery-oriented practice, "
         "shared decision-making and hope among service users, carers, peer workers and clinical staff in four National "
         "Health Service mental health trusts in the north of England")


# Other studies of a search, where design words are common (fuzzy candidates are found by the
# rarest words that titles share)
OTHERS = [rec(f"{topic}: {design}", authors=(f"Other{k}, A",), journal="Trials", year=2015 + k % 4)
          for k, (topic, design) in enumerate(
              (topic, design)
              for topic in ("Smoking cessation in pregnancy", "Weight management in primary care",
                            "Falls prevention in care homes")
              for design in ("a qualitative study", "a randomised controlled trial", "protocol for a systematic review",
                             "a mixed-methods evaluation", "a cluster randomised trial", "a cross-sectional survey",
                             "a systematic review and meta-analysis", "a realist evaluation", "a process evaluation"))]


@pytest.mark.parametrize("ta, tb", [
    (PEERS, PEERS + ": a qualitative study"), (PEERS, PEERS + ". A randomised controlled trial"),
    (PEERS, PEERS + ": protocol for a systematic review"), (PEERS, PEERS + " - a mixed-methods evaluation"),
    (PEERS, PEERS + ": a cluster randomised trial"), (PEERS, PEERS + ": a cross-sectional survey"),
    (PEERS + ": a qualitative study", PEERS + ": a randomised controlled trial"),
    (PEERS + ": a qualitative study", PEERS + ": a systematic review"),
    (PEERS + ": a randomised controlled trial", PEERS + ": a cluster randomised trial"),
    (PEERS + ": a systematic review", PEERS + ": a systematic review and meta-analysis"),
    (PEERS + ": a realist evaluation", PEERS + ": a process evaluation"),
    # an overview of the reviews beside one of the reviews, by the same team (Cochrane publishes both)
    (PEERS + ": a systematic review", PEERS + ": an overview of systematic reviews"),
    (PEERS + ": a systematic review and meta-analysis", PEERS + ": an overview of reviews"),
])
def test_a_design_subtitle_on_a_long_title_makes_a_companion_paper(ta, tb):
    # the qualitative arm beside its trial, a review beside its protocol: a long title stays over
    # 93% alike with a design added or swapped, so the design must tell
    assert groups(rec(ta, volume="12", pages="100-110"), rec(tb, source_db="embase"), *OTHERS)[:2] == [1, 2]
    assert groups(rec(ta), rec(tb, source_db="embase"), *OTHERS)[:2] == [1, 2]


def test_a_design_subtitle_keeps_the_pair_for_a_person_to_check():
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(PEERS), rec(PEERS + ": a qualitative study", source_db="embase")],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "'qualitative study' in one title only" in review["reason"].iloc[0]


def test_one_design_for_another_is_another_paper_even_on_one_page():
    # two conference abstracts on one supplement page
    assert groups(rec(PEERS + ": a qualitative study", volume="12", pages="S100"),
                  rec(PEERS + ": a randomised controlled trial", volume="12", pages="S100", source_db="embase")) \
        == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    (PEERS + ": a randomised controlled trial", PEERS + ": a randomized controlled trial"),
    (PEERS + ": a qualitative study", PEERS + ". Qualitative study"),
    (PEERS + ": a mixed-methods evaluation", PEERS + ": a mixed methods evaluation."),
])
def test_one_design_written_two_ways_is_one_title(ta, tb):
    assert groups(rec(ta), rec(tb, source_db="embase"), *OTHERS)[:2] == [1, 1]


def test_a_subtitle_cut_at_the_papers_own_place_is_still_the_paper():
    # same volume and first page: one database dropped the subtitle
    assert groups(rec(PEERS + ": a qualitative study", volume="12", pages="100-110"),
                  rec(PEERS, volume="12", pages="100-10", source_db="embase")) == [1, 1]


SYN = ("{} and associated syndemic conditions among young gay and bisexual men attending community sexual health "
       "services in Atlanta, Georgia, and {} in a cross-sectional survey")


@pytest.mark.parametrize("ta, tb", [
    (SYN.format("Depression", "condom use"), SYN.format("Anxiety", "condom use")),
    (SYN.format("HIV testing", "condom use"), SYN.format("HPV testing", "condom use")),
    (SYN.format("Daily PrEP use", "adherence"), SYN.format("Weekly PrEP use", "adherence")),
    (SYN.format("Incidence of syphilis", "condom use"), SYN.format("Prevalence of syphilis", "condom use")),
    (SYN.format("Depression", "protected anal sex"), SYN.format("Depression", "unprotected anal sex")),
    (SYN.format("Symptomatic gonorrhoea", "condom use"), SYN.format("Asymptomatic gonorrhoea", "condom use")),
    (SYN.format("Depression", "online sex seeking"), SYN.format("Depression", "offline sex seeking")),
    (SYN.format("Depression", "drug use"), SYN.format("Depression", "alcohol use")),
])
def test_one_word_put_in_place_of_another_makes_another_study(ta, tb):
    # same team, year and journal, no DOI or pages on one side: a long title stays over 93% alike
    # with one word swapped, which a typo, a spelling or words written joined do not explain
    recs = [rec(ta, journal="AIDS and Behavior", volume="22", pages="100-110"),
            rec(tb, journal="AIDS and Behavior", source_db="embase"), *OTHERS]
    assert groups(*recs)[:2] == [1, 2]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index(range(1, len(recs) + 1),
                                                                                 name="record_id")))
    assert review[["record_id", "other_id"]].values.tolist() == [[1, 2]]  # listed for a person to check


ALIKE = ("{} of a peer-led sexual health programme for young gay and bisexual men attending community "
         "clinics in Atlanta, Georgia")


@pytest.mark.parametrize("ta, tb", [
    (ALIKE.format("A qualitative evaluation"), ALIKE.format("A quantitative evaluation")),
    (ALIKE.format("Microvascular outcomes"), ALIKE.format("Macrovascular outcomes")),
    (ALIKE.format("Hypoxia and outcomes"), ALIKE.format("Hyperoxia and outcomes")),
    (ALIKE.format("Endothelial function and outcomes"), ALIKE.format("Epithelial function and outcomes")),
    (ALIKE.format("Perioperative outcomes"), ALIKE.format("Postoperative outcomes")),
    (ALIKE.format("Perinatal outcomes"), ALIKE.format("Prenatal outcomes")),
    (ALIKE.format("Endogenous hormones and outcomes"), ALIKE.format("Exogenous hormones and outcomes")),
    (ALIKE.format("Grandmothers' views"), ALIKE.format("Grandfathers' views")),
])
def test_words_alike_in_letters_with_opposite_meanings_make_two_studies(ta, tb):
    # one or two letters apart, so read as a typo before: "qualitative" / "quantitative", a prefix
    # for its opposite ("micro" / "macro", "hyper" / "hypo" with its vowel dropped, "peri" / "post")
    recs = [rec(ta, journal="AIDS and Behavior", volume="22", pages="100-110"),
            rec(tb, journal="AIDS and Behavior", source_db="embase"), *OTHERS]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index(range(1, len(recs) + 1),
                                                                                 name="record_id")))
    assert out["group_id"].tolist()[:2] == [1, 2]
    assert review[["record_id", "other_id"]].values.tolist() == [[1, 2]]  # listed for a person to check


@pytest.mark.parametrize("ta, tb", [
    (SYN.format("Depression", "condom use"), SYN.format("Depresion", "condom use")),  # typos
    (SYN.format("Depression", "sex"), SYN.format("Depression", "sxe")),
    (SYN.format("Depression", "condom use among men"), SYN.format("Depression", "condom use among man")),
    (SYN.format("Depression", "sexual behaviour"), SYN.format("Depression", "sexual behavior")),  # spelling
    (SYN.format("Depression", "health care use"), SYN.format("Depression", "healthcare use")),  # joined
    (SYN.format("Depression", "condom use: a randomised trial"), SYN.format("Depression", "condom use: a randomzied trial")),
])
def test_a_word_mistyped_spelled_or_written_out_is_still_one_title(ta, tb):
    recs = [rec(ta, journal="AIDS and Behavior"), rec(tb, journal="AIDS and Behavior", source_db="embase"), *OTHERS]
    assert groups(*recs)[:2] == [1, 1]


READMISSION = "Risk of hospital readmission among older adults with {} in a national cohort study"


@pytest.mark.parametrize("ta, tb", [
    ("myelitis", "myositis"), ("nephritis", "neuritis"), ("ataxia", "apraxia"), ("dysphonia", "dysphagia"),
    ("melanoma", "myeloma"), ("carcinoma", "sarcoma"), ("bronchitis", "bronchiolitis"), ("neuropathy", "nephropathy"),
    ("gastritis", "gastroenteritis"), ("palpitation", "palpation"), ("dopamine infusion", "dobutamine infusion"),
    ("prednisone use", "prednisolone use"), ("parents at home", "patients at home"), ("widows", "widowers"),
])
def test_a_word_changed_inside_by_two_letters_or_more_is_another_word(ta, tb):
    # over 75% alike, so read as a typo: a typo changes one letter or swaps two, a spelling or an
    # inflection the end ("labour", "studies"); two letters or more changed inside make another word
    recs = [rec(READMISSION.format(ta), journal="Journal of Hospital Medicine", volume="15", pages="100-110"),
            rec(READMISSION.format(tb), journal="Journal of Hospital Medicine", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert review[["record_id", "other_id"]].values.tolist() == [[1, 2]]  # listed for a person to check


@pytest.mark.parametrize("ta, tb", [
    ("dysphagia", "dysphasia"), ("aphagia", "aphasia"), ("arthritis", "arteritis"), ("pneumonia", "pneumonitis"),
    ("perineal pain", "peroneal pain"), ("urethral stricture", "ureteral stricture"),
    ("hip abduction", "hip adduction"),
    ("Medicare coverage", "Medicaid coverage"), ("cortisol use", "cortisone use"), ("insulin intake", "inulin intake"),
])
def test_a_term_one_letter_or_an_ending_apart_from_another_is_another_word(ta, tb):
    # swallowing and speech after stroke, two joints' inflammations, two insurers: a typo's distance apart
    recs = [rec(READMISSION.format(ta), journal="Journal of Hospital Medicine", volume="15", pages="100-110"),
            rec(READMISSION.format(tb), journal="Journal of Hospital Medicine", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert review[["record_id", "other_id"]].values.tolist() == [[1, 2]]  # listed for a person to check


@pytest.mark.parametrize("place", [{}, dict(volume="15", pages="100-110")])
def test_prostate_misspelt_prostrate_is_still_one_paper(place):
    """"Prostrate cancer" is a frequent misspelling of "prostate cancer", not another condition: one paper's copies, one
    misspelt, were kept apart, even at one volume and page. Joined again."""
    assert groups(rec(READMISSION.format("prostate cancer"), journal="Journal of Hospital Medicine", **place),
                  rec(READMISSION.format("prostrate cancer"), journal="Journal of Hospital Medicine",
                      source_db="embase", **place)) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("infections", "infectious"), ("sulphonylurea use", "sulfonylurea use"), ("tumours", "tumors"),
    ("randomised data", "randomzied data"), ("assessment", "assesment"), ("heart centre", "heart center"),
])
def test_a_word_mistyped_or_spelled_otherwise_inside_is_still_one_word(ta, tb):
    assert groups(rec(READMISSION.format(ta), journal="Journal of Hospital Medicine"),
                  rec(READMISSION.format(tb), journal="Journal of Hospital Medicine", source_db="embase")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("insulin analogues", "insulin analogs"), ("homologues", "homologs"), ("kilogrammes", "kilograms"),
    ("anaesthetised surgery", "anesthetized surgery"), ("haemolysed samples", "hemolyzed samples"),
    ("haemoglobinaemia", "hemoglobinemia"), ("treatment failure", "treatrnent failure"),
    ("immune deficiency", "irnmune deficiency"), ("comparison groups", "cornparison groups"),
])
def test_a_word_spelled_the_british_way_or_misread_inside_is_still_one_word(ta, tb):
    """One paper's copies, its title with a British spelling in one database and the American in the other ("insulin
    analogues" / "analogs", "anaesthetised" / "anesthetized"), or a scanned title's "m" read as "rn", differ by two
    letters or more inside a word: they were kept apart as "another word" and listed. Joined again."""
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(READMISSION.format(ta), journal="Journal of Hospital Medicine"),
         rec(READMISSION.format(tb), journal="Journal of Hospital Medicine", source_db="embase")],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 1]
    assert review.empty


def test_a_reworded_title_with_the_same_pages_is_still_one_paper():
    # from the digital_work search: one proceedings paper, its title reworded in one database
    a = rec("Moral Hazards and Effects of IT-enabled Monitoring Systems in Online Labor Markets", year=2017,
            journal="Proceedings of the 50th Hawaii International Conference on System Sciences", pages="44-53")
    b = rec("Moral Hazards and Effects of Enhanced Monitoring Systems in Online Labor Markets", year=2017,
            journal="Proceedings of the 50th Hawaii International Conference on System Sciences", pages="44--53",
            source_db="scopus")
    assert groups(a, b) == [1, 1]
    assert groups(a, dict(b, pages=None)) == [1, 2]


VARENICLINE = ("Efficacy and safety of varenicline for smoking relapse prevention in {} with chronic obstructive "
               "pulmonary disease: a randomised trial")


@pytest.mark.parametrize("ta, tb", [
    ("smokers", "never smokers"), ("smokers", "ex-smokers"), ("adults", "older adults"),
    ("women", "postmenopausal women"),
    ("infants", "preterm infants"), ("patients", "critically ill patients"), ("men", "gay men"),
])
def test_a_word_added_inside_a_long_title_makes_another_study(ta, tb):
    # no DOI or pages on one side: a long title stays over 93% alike with a population word added
    recs = [rec(VARENICLINE.format(ta), journal="Thorax", volume="70", pages="100-110"),
            rec(VARENICLINE.format(tb), journal="Thorax", source_db="embase")]
    assert groups(*recs) == [1, 2]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert len(review) == 1 and "in one title only" in review["reason"].iloc[0]  # listed for a person to check
    # the same page range confirms one paper whose title a database gave another way
    assert groups(recs[0], dict(recs[1], volume="70", pages="100-10")) == [1, 1]


@pytest.mark.parametrize("tail", [" in children", " in children with obesity", " among older adults", " in women",
                                  " in primary care", " in Kenya", " in pregnancy"])
def test_a_population_or_setting_added_at_the_end_of_a_title_is_listed_on_titles_alone(tail):
    """"<title> in children" beside "<title>", one journal and year, no DOI, and no page on one record: the titles
    over 93% alike were joined as one title with its end cut, and one study left screening; it may be the same
    team's study in another population or setting. Listed for review now; the same page range or DOI confirms one
    paper."""
    title = ("Effect of a school-based physical activity intervention on body mass index, fitness and cardiometabolic "
             "risk factors: a cluster randomised trial")
    recs = [rec(title, journal="Pediatrics", volume="140", pages="200-208"),
            rec(title + tail, journal="Pediatrics", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "one title" in review["reason"].iloc[0]
    assert groups(recs[0], dict(recs[1], title=title)) == [1, 1]  # one title: still one record
    assert groups(recs[0], dict(recs[1], volume="140", pages="200-8")) == [1, 1]
    assert groups(dict(recs[0], doi="10.1542/peds.2017-1"), dict(recs[1], doi="10.1542/peds.2017-1")) == [1, 1]
    assert groups(recs[0], dict(recs[1], journal="Lancet Public Health")) == [1, 2]  # a journal not the other's


@pytest.mark.parametrize("ta, tb", [
    (VARENICLINE.format("smokers"), VARENICLINE.format("smokers").replace("disease:", "disease (COPD):")),
    (VARENICLINE.format("smokers"), "The e" + VARENICLINE.format("smokers")[1:]),
    ("Dietary fibre and Crohn's disease activity in adults: a prospective cohort study of relapse over two years",
     "Dietary fibre and Crohn disease activity in adults: a prospective cohort study of relapse over two years"),
])
def test_an_acronym_a_small_word_or_a_cut_subtitle_is_still_one_title(ta, tb):
    assert groups(rec(ta, journal="Thorax"), rec(tb, journal="Thorax", source_db="embase")) == [1, 1]


BMI = ("effects of a brief motivational intervention on alcohol use among first-year university students: "
       "a randomised trial")


@pytest.mark.parametrize("ta, tb", [
    ("Long-term " + BMI, BMI.capitalize()), ("Sustained " + BMI, BMI.capitalize()),
    ("Mediators of the " + BMI, "The " + BMI), ("Unintended " + BMI, BMI.capitalize()),
])
def test_words_put_before_a_long_title_make_another_paper(ta, tb):
    """The trial's long-term follow-up, or its mediator analysis, by the same team in the same journal a year later:
    a database never cuts the start of a title, and the two stayed over 93% alike."""
    recs = [rec(tb, journal="Addiction", volume="114", pages="1200-1210", year=2019),
            rec(ta, journal="Addiction", source_db="embase")]
    assert groups(*recs) == [1, 2]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert len(review) == 1 and "before one title only" in review["reason"].iloc[0]  # listed for a person to check
    # the same page range confirms one paper; a heading set off in front, or a small word, is no other paper
    assert groups(recs[0], dict(recs[1], volume="114", pages="1200-10")) == [1, 1]
    for heading in ("Original article: ", "Alcohol. ", "RCT - ", "The "):
        copy = dict(recs[0], title=heading + BMI, volume=None, pages=None, source_db="embase")
        assert groups(recs[0], copy) == [1, 1]



@pytest.mark.parametrize("word", ["Poster", "ePoster", "E-poster", "Abstract", "Meeting abstract", "Oral",
                                  "Presentation"])
def test_a_heading_naming_the_records_form_is_no_word_put_before(word):
    """A conference listing's heading word in front of the title ("Poster <title>", "ePoster <title>", "Abstract
    <title>"), not set off by punctuation, kept the abstract apart from the same abstract in another database:
    it names the record's form, not another paper. "Long-term <title>" stays apart."""
    a = rec(BMI.capitalize(), journal="Alcohol and Alcoholism", year=2019)
    b = rec(f"{word} {BMI}", journal="Alcohol and Alcoholism", year=2019, source_db="embase")
    assert groups(a, b) == [1, 1]
    assert groups(a, dict(b, title=f"{word} long-term {BMI}")) == [1, 2]

HFREF = "Dapagliflozin and hospitalisation in heart failure with reduced ejection fraction: a registry study"
HFPEF = "Sacubitril-valsartan in heart failure with preserved ejection fraction: outcomes in older patients"


def test_one_doi_on_two_abstracts_of_a_supplement_in_two_databases():
    # one database gave each abstract the supplement's DOI; on one topic the titles share half their words
    doi = "10.1093/eurheartj/ehz745"
    a = rec(HFREF, authors=("Lee, Anna",), doi=doi, volume="40", pages="1234")
    b = rec(HFPEF, authors=("Kim, Bo",), doi=doi, volume="40", source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "different titles and first authors" in review["reason"].iloc[0]  # listed for a person to check
    # by one author, on two pages of the supplement
    assert groups(dict(a, authors=SMITH), dict(b, authors=SMITH, pages="1240")) == [1, 2]
    # one abstract exported twice, its title cut in one, or its first author spelled another way
    assert groups(a, dict(a, title=HFREF.split(":")[0], pages=None, source_db="embase")) == [1, 1]
    assert groups(a, dict(a, authors=("Lee, A.",), source_db="embase")) == [1, 1]


def test_one_pmid_on_two_papers_with_their_own_dois():
    # a PMID mistyped in one database: the DOIs and titles say two papers
    a = rec(HFREF, doi="10.1002/ejhf.1001", year=2019)
    b = rec(HFPEF, doi="10.1002/ejhf.1377", year=2019, source_db="embase")
    a["pmid"], b["pmid"] = "31234567", "31234567"
    assert groups(a, b) == [1, 2]
    assert groups(a, dict(a, doi="10.1002/ejhf.1001x", source_db="embase")) == [1, 1]  # one paper, a DOI mistyped


@pytest.mark.parametrize("field, value", [("doi", "10.1093/eurheartj/ehz745"), ("pmid", "31234567")])
def test_one_identifier_on_two_unlike_titles_with_nothing_else_in_common(field, value):
    # a wrong DOI or PMID in one database, on a record without author or pages: the identifier alone
    # does not make two unlike titles one work
    paper = dict(rec("Sacubitril-valsartan and cardiovascular outcomes in heart failure with reduced ejection "
                     "fraction", volume="40", pages="1234-1240"), **{field: value})
    other = dict(rec("Prevalence of depressive symptoms among informal caregivers of stroke survivors in rural Uganda",
                     authors=(), source_db="embase"), **{field: value})
    out, review = find_duplicates_with_review(pd.DataFrame([paper, other], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "no first author or first page on both to confirm them" in review["reason"].iloc[0]
    # a title written in another language keeps its first author or its page, and joins
    translated = dict(other, title="Sacubitril-Valsartan und kardiovaskuläre Ereignisse bei Herzinsuffizienz mit "
                                   "reduzierter Ejektionsfraktion")
    assert groups(paper, dict(translated, authors=SMITH)) == [1, 1]
    assert groups(paper, dict(translated, volume="40", pages="1234-40")) == [1, 1]


PREP_KENYA = "Cost-effectiveness of pre-exposure prophylaxis for men who have sex with men in Kenya"


@pytest.mark.parametrize("field, value", [("doi", "10.1016/j.jval.2019.04.001"), ("pmid", "31234567")])
@pytest.mark.parametrize("other", [
    "Budget impact of hepatitis C treatment for people who inject drugs in Spain",  # a volume's DOI on its papers
    "Handbook of HIV prevention in the United States",  # a book's DOI on a chapter by its editor
    "Pricing pre-exposure prophylaxis: lessons for health technology assessment in Africa",  # a talk in the volume
])
def test_one_identifier_on_two_works_by_one_author_is_listed_not_joined(field, value, other):
    # one first author on both, a first page on one only: the identifier alone joined two English titles that
    # share hardly a word
    paper = dict(rec(PREP_KENYA, journal="Value in Health", volume="22", pages="S12-S20"), **{field: value})
    out, review = find_duplicates_with_review(pd.DataFrame(
        [paper, dict(rec(other, journal="Value in Health", source_db="embase"), **{field: value})],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "titles in one language that name two works" in review["reason"].iloc[0]  # listed for a person to check


@pytest.mark.parametrize("title", [
    "Kosteneffektivität der Präexpositionsprophylaxe für Männer, die Sex mit Männern haben, in Kenia",  # translated
    "Cost-effectiveness of pre-exposure prophylaxis for MSM in Kenya",  # an acronym
    "Cost-effect. of pre-expos. prophylaxis for men who have sex with men in Kenya",  # words cut short
    "Cost effectiveness of PrEP among men who have sex with men in Kenya: a modelling study",  # a subtitle added
])
def test_one_doi_on_one_work_titled_two_ways_still_joins(title):
    doi = "10.1016/j.jval.2019.04.001"
    paper = rec(PREP_KENYA, journal="Value in Health", volume="22", pages="S12-S20", doi=doi)
    assert groups(paper, rec(title, journal="Value in Health", doi=doi, source_db="embase")) == [1, 1]


def test_one_doi_at_one_page_joins_a_title_field_holding_the_authors():
    # a database put the author list in the title field: the DOI, first author and first page say one paper
    doi = "10.1016/j.jval.2019.04.001"
    paper = rec(PREP_KENYA, journal="Value in Health", volume="22", pages="S12-S20", doi=doi)
    names = "John A. Smith, Mary Jones, the Kenya PrEP Modelling Group"
    assert groups(paper, rec(names, journal="Value in Health", pages="S12", doi=doi, source_db="embase")) == [1, 1]

@pytest.mark.parametrize("field, value", [("doi", "10.2337/dc19-1234"), ("pmid", "31234567")])
@pytest.mark.parametrize("tb", [FASTING.format("decreases"), FASTING.format("does not improve")])
def test_one_identifier_on_a_title_and_its_finding_turned_over_is_listed(field, value, tb):
    # a companion paper given the other's DOI or PMID: the opposite finding is not the paper written another way
    recs = [dict(rec(FASTING.format("increases"), journal="Diabetes Care", volume="43", pages="512-520"),
                 **{field: value}),
            dict(rec(tb, journal="Diabetes Care", source_db="embase"), **{field: value})]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "in place of each other" in review["reason"].iloc[0] or "in one title only" in review["reason"].iloc[0]
    # the paper's title reworded under its DOI is still the paper
    assert groups(recs[0], dict(recs[1], title=FASTING.format("improves"))) == [1, 1]



@pytest.mark.parametrize("field, value", [("doi", "10.1111/add.15000"), ("pmid", "31234567")])
@pytest.mark.parametrize("ta, tb, why", [
    (TRIAL + ": part 1", TRIAL + ": part 2", "titles that differ in their numbers"),
    (TRIAL + ": 6-month outcomes", TRIAL + ": 24-month outcomes", "titles that differ in their numbers"),
    (TRIAL + " among men", TRIAL + " among women", "titles told apart by 'men' and 'women'"),
    (TRIAL + ": first results", TRIAL + ": final results", "titles told apart by 'first' and 'final'"),
    (TRIAL + ": interim analysis", TRIAL + ": final analysis", "titles told apart by 'interim' and 'final'"),
    (TRIAL + ": preliminary results", TRIAL + ": final results", "titles told apart by 'preliminary' and 'final'"),
])
def test_companion_papers_given_one_identifier_are_two_papers(field, value, ta, tb, why):
    # one database gave a companion paper the other's DOI or PMID
    recs = [dict(rec(ta, volume="115", pages="100-110"), **{field: value}),
            dict(rec(tb, source_db="embase"), **{field: value})]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert why in review["reason"].iloc[0]  # listed for a person to check
    # a title cut before its part number, or the number written another way, is still the paper
    assert groups(recs[0], dict(recs[1], title=HEART_TRIAL)) == [1, 1]
    assert groups(recs[0], dict(recs[1], title=ta.replace("part 1", "Part I"))) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("patients", "outpatients"), ("diabetes", "prediabetes"), ("hypertension", "prehypertension"),
    ("unilateral hearing loss", "bilateral hearing loss"), ("monotherapy", "combination therapy"),
    ("telehealth", "health"),
])
def test_a_word_with_a_prefix_put_in_front_is_another_word(ta, tb):
    # "outpatients" is over 75% alike "patients", and ends with it: not a typo, nor a cut word
    recs = [rec(VARENICLINE.format(ta), journal="Thorax", volume="70", pages="100-110"),
            rec(VARENICLINE.format(tb), journal="Thorax", source_db="embase")]
    assert groups(*recs) == [1, 2]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert len(review) == 1 and "one word in place of another" in review["reason"].iloc[0]


@pytest.mark.parametrize("ta, tb", [
    ("oedema", "edema"), ("haemorrhage", "hemorrhage"), ("paediatric patients", "pediatric patients"),
    ("anaesthesia", "anesthesia"), ("patients with asthma", "patientsxwith asthma"),
])
def test_a_british_spelling_or_a_mistyped_space_is_still_one_word(ta, tb):
    assert groups(rec(VARENICLINE.format(ta), journal="Thorax"),
                  rec(VARENICLINE.format(tb), journal="Thorax", source_db="embase")) == [1, 1]


MELANOMA = "{} trial of pembrolizumab in advanced melanoma after progression on ipilimumab therapy"


@pytest.mark.parametrize("ta, tb", [
    (MELANOMA.format("A phase Ia"), MELANOMA.format("A phase Ib")),
    (MELANOMA.format("A phase 1a"), MELANOMA.format("A phase 1b")),
    ("CD4 T cell responses after pembrolizumab in advanced melanoma after progression on ipilimumab",
     "CD8 T cell responses after pembrolizumab in advanced melanoma after progression on ipilimumab"),
    ("H1N1 influenza vaccination and hospital admission among pregnant women in three seasons",
     "H3N2 influenza vaccination and hospital admission among pregnant women in three seasons"),
])
def test_a_code_that_differs_in_its_number_or_letter_makes_another_study(ta, tb):
    # the first word's digits were not compared (a poster code in front of one title only)
    assert groups(rec(ta, journal="Lancet Oncology"), rec(tb, journal="Lancet Oncology", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("Serum IL-6 levels predict mortality in patients with community-acquired pneumonia admitted to intensive care",
     "Serum IL-6R levels predict mortality in patients with community-acquired pneumonia admitted to intensive care"),
    ("Serum IL6 levels predict mortality in patients with community-acquired pneumonia admitted to intensive care",
     "Serum IL6R levels predict mortality in patients with community-acquired pneumonia admitted to intensive care"),
    (MELANOMA.format("A phase 1"), MELANOMA.format("A phase 1b")),
])
def test_a_code_with_a_letter_after_its_number_makes_another_study(ta, tb):
    """The cytokine IL-6 and its receptor IL-6R, a phase 1 trial and its phase 1b extension: the titles differ only
    by a letter after the number (no typo a database makes), the same numbers on both, and were joined as one paper,
    hiding the other study. They are kept apart and listed for a person to check."""
    recs = [rec(ta, journal="Critical Care"), rec(tb, journal="Critical Care", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "tell them apart" in review["reason"].iloc[0]
    # the same code written with a hyphen, or a letter written apart ("(18)F" / "18F"), is still one title
    assert groups(rec(tb, journal="Critical Care"),
                  rec(tb.replace("IL-6R", "IL6R"), journal="Critical Care", source_db="embase")) == [1, 1]
    fdg = "(18)F-FDG PET/CT for staging of locally advanced cervical cancer before chemoradiotherapy: a cohort study"
    assert groups(rec(fdg, journal="Critical Care"),
                  rec(fdg.replace("(18)F", "18F"), journal="Critical Care", source_db="embase")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Sotorasib in patients with KRAS G12C-mutated advanced non-small-cell lung cancer: a phase 2 trial",
     "Sotorasib in patients with KRAS G12D-mutated advanced non-small-cell lung cancer: a phase 2 trial"),
    ("Dabrafenib plus trametinib in BRAF V600E-mutant metastatic melanoma: a multicentre cohort study",
     "Dabrafenib plus trametinib in BRAF V600K-mutant metastatic melanoma: a multicentre cohort study"),
    ("Serum IL1a levels predict mortality in patients with community-acquired pneumonia admitted to intensive care",
     "Serum IL1b levels predict mortality in patients with community-acquired pneumonia admitted to intensive care"),
])
def test_a_mutation_with_another_amino_acid_is_another_study(ta, tb):
    """KRAS G12C and G12D, BRAF V600E and V600K: one codon, another amino acid, another population (the drug of the
    first trial does not act on the second). The codes differ in their last letter only, which the typo test passed
    (75% alike), so the two trials were one record, not even listed; they are two, listed for a person to check."""
    recs = [rec(ta, journal="Lancet Oncology"), rec(tb, journal="Lancet Oncology", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "tell them apart" in review["reason"].iloc[0]
    # the same mutation, a typo elsewhere in one database's title, is one title
    assert groups(recs[0], dict(recs[1], title=ta.replace("patients", "pateints").replace("levels", "lvels")
                                .replace("metastatic", "metastaic"))) == [1, 1]


def test_the_same_numbers_in_another_order_are_another_study():
    """Gleason score 3+4 and 4+3 prostate cancer are two grades: the titles hold the same words and numbers, in
    another order, and were one record (97% alike), hiding one of two cohorts. A database never reorders a title's
    numbers; the pair is two records, listed."""
    title = "Survival of patients with Gleason score {} prostate cancer managed with active surveillance"
    recs = [rec(title.format("3+4"), journal="European Urology"),
            rec(title.format("4+3"), journal="European Urology", source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "tell them apart" in review["reason"].iloc[0]
    assert groups(recs[0], dict(recs[1], title=title.format("3 + 4"))) == [1, 1]


def test_a_unit_in_the_singular_and_the_plural_is_one_title():
    """"12-month" and "12-months" follow-up: one database's spelling, not another study (the days, weeks, months and
    years of one list tell follow-ups apart only as different units). They were kept apart, the paper screened
    twice; 12-month and 24-month follow-ups of one trial stay apart."""
    title = "Cognitive behavioural therapy for insomnia in older adults: {} follow-up of a randomised controlled trial"
    assert groups(rec(title.format("12-month")), rec(title.format("12-months"), source_db="embase")) == [1, 1]
    assert groups(rec(title.format("12-month")), rec(title.format("24-month"), source_db="embase")) == [1, 2]
    assert groups(rec(title.format("12-month")), rec(title.format("12-week"), source_db="embase")) == [1, 2]


@pytest.mark.parametrize("greek, latin", [("IL-1β", "IL-1b"), ("HIF-1α", "HIF-1a"), ("GSK-3β", "GSK-3b")])
@pytest.mark.parametrize("place", [{}, {"volume": "41", "pages": "112-120"}])
def test_a_greek_letter_after_a_code_written_as_its_latin_letter_is_one_title(greek, latin, place):
    """A Greek letter set in the Symbol font reaches the database that lost the font as its Latin letter: Scopus's
    "IL-1β" is "IL-1b" elsewhere, "HIF-1α" "HIF-1a". The code with a letter after its number ("6" / "6r") read them as
    two studies, and the one paper was screened twice, even at the same volume and first page. A letter that names no
    Greek letter written in the other title is still another code. One DOI on both did not join them either."""
    ta = (f"Serum {greek} levels predict mortality in patients with community-acquired pneumonia admitted to "
          "intensive care")
    a = rec(ta, journal="Cytokine", source_db="scopus", **place)
    assert groups(a, rec(ta.replace(greek, latin), journal="Cytokine", source_db="embase", **place)) == [1, 1]
    other = latin[:-1] + ("r" if latin[-1] != "r" else "c")
    assert groups(a, rec(ta.replace(greek, other), journal="Cytokine", source_db="embase", **place)) == [1, 2]
    # one DOI on both did not join them either ("same DOI ..., but titles told apart by '1' and '1b'")
    doi = "10.1016/j.cyto.2021.155512"
    assert groups(dict(a, doi=doi), rec(ta.replace(greek, latin), journal="Cytokine", source_db="embase", doi=doi,
                                        **place)) == [1, 1]


def test_a_code_written_the_same_is_still_one_title():
    ta = "CD4 T cell responses after pembrolizumab in advanced melanoma after progression on ipilimumab"
    assert groups(rec(ta, journal="Lancet Oncology"),
                  rec(ta.replace("responses", "responces"), journal="Lancet Oncology", source_db="embase")) == [1, 1]
    tb = "Pembrolizumab and CD4 T cell responses in advanced melanoma after progression on ipilimumab"
    assert groups(rec(tb, journal="Lancet Oncology"),
                  rec(tb.replace("CD4", "CD-4"), journal="Lancet Oncology", source_db="embase")) == [1, 1]


BURNOUT = "Burnout among emergency department nurses in public hospitals"


@pytest.mark.parametrize("volume", ["19", None])
def test_page_one_of_two_journals_with_one_title_holding_the_other_is_two_papers(volume):
    # BMC journals start every article on page 1: one author's two papers in one year, the longer
    # title holding the shorter's words; one record without its volume (online first)
    a = rec(BURNOUT, journal="BMC Nursing", volume="19", pages="1-9")
    b = rec(BURNOUT + " of Addis Ababa, Ethiopia", journal="BMC Emergency Medicine", volume=volume, pages="1-12",
            source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "different journals" in review["reason"].iloc[0]  # listed for a person to check
    # in one journal, its subtitle cut in one database, it is one paper
    assert groups(a, dict(b, journal="BMC Nursing", pages="1-9")) == [1, 1]


@pytest.mark.parametrize("va, pa, vb, pb", [("19", "1-9", "19", "1-12"), ("19", "1", "19", "1"),
                                             ("19", "1-9", None, "1-12"), (None, "1", None, "1"),
                                             ("19", "100-109", "19", "100-112")])
def test_one_authors_two_papers_in_one_journal_one_title_longer_are_two_papers(va, pa, vb, pb):
    # one journal that starts every article on page 1 (or two page ranges), one year, one author:
    # the longer title holding the shorter's words is not the shorter title with its subtitle cut
    a = rec(BURNOUT, journal="BMC Nursing", volume=va, pages=pa)
    b = rec(BURNOUT + " and its association with sleep quality and intention to leave", journal="BMC Nursing",
            volume=vb, pages=pb, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "page" in review["reason"].iloc[0]  # listed for a person to check
    # the same page range confirms a cut subtitle, and says the titles differ
    out = find_duplicates(pd.DataFrame([dict(a, volume="19", pages="1-9"), dict(b, volume="19", pages="1-9")],
                                       index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 1]
    assert "one title holds the other's words" in out["reason"].iloc[1]


def test_a_journal_named_in_two_languages_at_one_place_and_page_range_is_one_paper():
    # from the respiratory search: one paper, its journal's Portuguese and English names
    t = "Effect of continuous positive airway pressure on fluid absorption among patients with pleural effusion"
    assert groups(rec(t, journal="Revista Brasileira de Fisioterapia", volume="14", pages="127-132", year=2010),
                  rec(t + " due to tuberculosis", journal="Braz. j. phys. ther. (Impr.)", volume="14", pages="127-132",
                      year=2010, source_db="lilacs")) == [1, 1]


# ---------------------------------------------------------------- Cochrane reviews

CDSR = dict(authors=("Cooney, Gary M", "Dwan, Kerry"), journal="Cochrane Database of Systematic Reviews",
            pages="CD004366")


def test_a_cochrane_review_is_not_its_protocol_nor_another_version():
    # the protocol (its CD number alone) and each update (.pub2, .pub3) keep the review's title; each is
    # published online in one year, so a copy a year away from a version is another version
    protocol = rec("Exercise for depression", year=2001, doi="10.1002/14651858.CD004366", **CDSR)
    review = rec("Exercise for depression", year=2002, doi="10.1002/14651858.CD004366.pub2", **CDSR)
    copy = rec("Exercise for depression", year=2002, source_db="psycinfo", **CDSR)
    assert groups(rec("Exercise for depression", year=2001, **CDSR), review) == [1, 2]
    assert groups(protocol, review, copy)[2] != 1  # the review's copy never joins the protocol
    assert groups(rec("Exercise for depression", year=2012, doi="10.1002/14651858.CD004366.pub5", **CDSR),
                  rec("Exercise for depression", year=2013, source_db="embase", **CDSR)) == [1, 2]


@pytest.mark.parametrize("years", [(2018, 2019), (2019, 2019)])
def test_two_versions_of_a_cochrane_review_under_one_pmid_are_listed_not_joined(years):
    """A review's update (".pub3") and the version before it (".pub2") given one PMID by a database were joined as one
    record: the version the reviewer means to screen was hidden behind the other. Their DOIs name two versions: kept
    apart and listed; one version's copies under one PMID still join."""
    old = dict(rec("Exercise for depression", year=years[0], doi="10.1002/14651858.CD004366.pub2", **CDSR),
               pmid="24026850")
    new = dict(rec("Exercise for depression", year=years[1], doi="10.1002/14651858.CD004366.pub3",
                   source_db="embase", **CDSR), pmid="24026850")
    out, review = find_duplicates_with_review(pd.DataFrame([old, new], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) >= 1 and all("pub2" in r and "pub3" in r for r in review["reason"]), review["reason"].tolist()
    assert groups(old, dict(new, doi=old["doi"])) == [1, 1]
    assert groups(old, dict(new, doi=None)) == [1, 1]


def test_one_version_of_a_cochrane_review_from_three_databases_is_one_record():
    doi = "10.1002/14651858.CD004366.pub6"
    assert groups(rec("Exercise for depression", year=2013, doi=doi, issue="9", **CDSR),
                  rec("Exercise for depression", year=2013, doi=doi, issue="9", source_db="pubmed", **CDSR),
                  rec("Exercise for depression", year=2013, volume="2013", issue="9", source_db="embase",
                      **CDSR)) == [1, 1, 1]


def test_one_cochrane_version_dated_a_year_apart_by_two_databases_is_still_one_record():
    # one DOI names one version: PubMed's 2013 and another database's 2014 on it are one version's
    # two dates, so its copy without a DOI (2013) joins them, as before the Cochrane rule (the
    # protocol a year before the review is still another record: the test above)
    doi = "10.1002/14651858.CD004366.pub6"
    assert groups(rec("Exercise for depression", year=2013, doi=doi, issue="9", **CDSR),
                  rec("Exercise for depression", year=2014, doi=doi, source_db="embase", **CDSR),
                  rec("Exercise for depression", year=2013, issue="9", source_db="psycinfo", **CDSR)) == [1, 1, 1]


BOOK_UNEQUAL = "Unequal opportunity: health disparities affecting gay and bisexual men in the United States"
EDITORS = ("Wolitski, Richard J", "Stall, Ron", "Valdiserri, Ronald O")


def test_a_book_and_its_chapter_of_the_same_title_are_two_records():
    # Scopus: the book (TY BOOK, its own title as T2, all its pages) and its opening chapter, titled as the
    # book, with the book's title as T2 and the chapter's pages; the editors wrote the chapter
    book = dict(rec(BOOK_UNEQUAL, year=2009, authors=EDITORS, journal=BOOK_UNEQUAL, pages="1-448", source_db="scopus"),
                type="BOOK")
    chapter = dict(rec(BOOK_UNEQUAL, year=2009, authors=EDITORS, journal=BOOK_UNEQUAL, pages="3-32",
                       source_db="scopus"), type="CHAP")
    assert groups(book, chapter) == [1, 2]
    # PsycINFO's copies ("Edited Book", "Chapter"), without pages for the book, join their own kind
    assert groups(book, chapter, dict(book, pages=None, journal=None, type="Edited Book", source_db="psycinfo"),
                  dict(chapter, type="Chapter", source_db="psycinfo")) == [1, 2, 1, 2]
    # a chapter that one database calls a book (same pages) is still the chapter
    assert groups(chapter, dict(chapter, type="BOOK", source_db="other")) == [1, 1]


CHRONIC = "Exercise for depression in adults with a chronic physical illness"
CDSR_CD = dict(authors=("Herring, Matthew P",), journal="Cochrane Database of Systematic Reviews", pages="CD007946")


@pytest.mark.parametrize("protocol", [
    dict(rec(CHRONIC, year=2009, **CDSR_CD), type="Protocol"),  # the Cochrane Library's type
    rec(CHRONIC + " (Protocol)", year=2009, **CDSR_CD),  # Cochrane's mark in the title
])
def test_a_cochrane_protocol_and_its_review_of_one_year_without_dois_are_two_records(protocol):
    # one title and one CD number (the first page) for both; a protocol published early in a year and the
    # review late in it have the same year, and copies without their DOIs give nothing else to tell them apart
    review = dict(rec(CHRONIC, year=2009, **CDSR_CD), type="Review", source_db="cdsr")
    psycinfo = rec(CHRONIC, year=2009, **CDSR_CD, source_db="psycinfo")
    out, review_list = find_duplicates_with_review(pd.DataFrame(
        [protocol, review, psycinfo], index=pd.Index([1, 2, 3], name="record_id")))
    assert out["group_id"].tolist() == [1, 2, 2]
    assert groups(protocol, psycinfo) == [1, 2]  # a copy not marked as a protocol: the review's, most likely
    # the protocol from two databases is still one record, and so is the review
    assert groups(protocol, dict(protocol, source_db="ovid")) == [1, 1]
    assert groups(review, dict(review, type="Journal Article", source_db="embase")) == [1, 1]

def test_a_cochrane_review_marked_review_is_its_copy_without_the_mark_not_its_protocol():
    # the Cochrane Library writes "<title> (Review)" and "<title> (Protocol)"; another database the title alone
    marked = rec(CHRONIC + " (Review)", year=2009, source_db="cdsr", **CDSR_CD)
    assert groups(marked, rec(CHRONIC, year=2009, source_db="psycinfo", **CDSR_CD)) == [1, 1]
    assert groups(marked, rec(CHRONIC + " (Protocol)", year=2009, source_db="cdsr", **CDSR_CD)) == [1, 2]
    assert groups(marked, dict(rec(CHRONIC, year=2009, source_db="cdsr", **CDSR_CD), type="Protocol")) == [1, 2]
    # records added to a project later are compared with the copy without the mark
    keys = pd.DataFrame({"title": ["Exercise for depression", "Exercise for depression (Review)"], "doi": None,
                         "pmid": None, "year": [2013, 2013], "volume": None, "start_page": None},
                        index=pd.Index([1, 2], name="record_id"))
    assert related_records(keys, [2]) == {1, 2} and related_records(keys, [1]) == {1, 2}


MEETING = "Chemsex and sexual health outcomes at a targeted clinic for gay and bisexual men in London"
STI_MEETING = dict(authors=("Stuart, David", "McOwan, Alan"),
                   journal="Sexually Transmitted Infections. Conference: BASHH Spring Conference")


def test_one_abstract_at_two_years_meetings_is_two_records():
    # CENTRAL's copies of Embase conference abstracts: the journal names the meeting, the issue the supplement,
    # the page is the abstract's; the next year's abstract, same title, is not yet given a volume or page
    y2018 = rec(MEETING, year=2018, volume="94", issue="Supplement 1", pages="A28", source_db="central", **STI_MEETING)
    y2019 = rec(MEETING, year=2019, source_db="central", **STI_MEETING)
    out, review = find_duplicates_with_review(pd.DataFrame([y2018, y2019], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "conference abstracts of 2018 and 2019" in review["reason"].iloc[0]  # listed for a person to check
    # the meeting named by the record's type, the supplement by its issue
    y2019_embase = dict(rec(MEETING, year=2019, journal="Sexually Transmitted Infections", issue="Suppl 1",
                            authors=STI_MEETING["authors"], source_db="embase"), type="Conference Abstract")
    assert groups(y2018, y2019_embase) == [1, 2]


def test_one_abstract_dated_a_year_apart_at_its_own_place_is_still_one_record():
    # two databases date one supplement a year apart (Annals of Oncology 19 in the respiratory search):
    # the same volume, or the same abstract page, says it is one abstract
    y2018 = rec(MEETING, year=2018, volume="94", issue="Supplement 1", pages="A28", source_db="central", **STI_MEETING)
    assert groups(y2018, dict(y2018, year=2019, source_db="embase")) == [1, 1]
    assert groups(y2018, dict(y2018, year=2019, volume=None, source_db="embase")) == [1, 1]
    # an abstract and a copy that says nothing of a meeting (the article, or the abstract without its marks) are
    # joined at the abstract's volume; without volume or page, of its year or the next, it may be the article ahead
    # of print (test_a_conference_abstract_is_not_the_paper_of_its_year_ahead_of_print), listed for review
    unmarked = rec(MEETING, year=2018, journal="Sexually Transmitted Infections", authors=STI_MEETING["authors"],
                   source_db="pubmed")
    assert groups(y2018, dict(unmarked, volume="94")) == [1, 1]
    assert groups(y2018, unmarked) == [1, 2]
    assert groups(y2018, dict(unmarked, year=2019)) == [1, 2]
    # ResearchGate's "Conference: <name>" for a proceedings paper is no abstract: the paper dated by its meeting
    # and by its proceedings is one record
    paper = rec("Mining energy-aware commits in open source mobile applications", year=2018, pages="56-67",
                authors=("Bao, Lingfeng",), journal="Conference: 2018 IEEE International Conference on Software "
                "Maintenance and Evolution (ICSME)", source_db="researchgate")
    assert groups(paper, dict(paper, year=2019, pages=None, source_db="other")) == [1, 1]


PREP = "Pre-exposure prophylaxis uptake among young Black men who have sex with men in Atlanta: a mixed methods study"
IAS = "Journal of the International AIDS Society. Conference: 10th IAS Conference on HIV Science. Mexico City Mexico"


def _abstract(title, **kw):
    return dict(rec(title, authors=("Jones, Darnell", "Sullivan, Patrick S"), journal=IAS, volume="22", issue="Suppl 5",
                    year=2019, source_db="embase", **kw), type="Conference Abstract")


@pytest.mark.parametrize("head", ["Oral presentation: ", "Poster presentation: ", "Poster: ", "ePoster - ",
                                  "Poster P-123: ", "Oral abstract: "])
def test_a_conference_listings_heading_is_no_part_of_the_abstracts_title(head):
    """Embase titles some abstracts with the meeting's heading ("Oral presentation: <title>"): the same abstract in
    Web of Science (no heading, no page) stayed a second record, the heading keeping the titles under 93% alike."""
    embase = _abstract(head + PREP)
    wos = dict(rec(PREP, authors=("Jones, D",), journal="Journal of the International AIDS Society", volume="22",
                   year=2019, source_db="wos"), type="Meeting Abstract")
    assert groups(embase, wos) == [1, 1]
    # the abstract at the next year's meeting is another abstract, as without the heading
    assert groups(embase, dict(wos, year=2020, volume="23")) == [1, 2]


@pytest.mark.parametrize("title", ["Oral B12: a review of its use in older adults with pernicious anaemia",
                                   "Oral GLP-1: the first tablet of its class in type 2 diabetes",
                                   "Oral D3: a randomised trial of bolus dosing in care home residents",
                                   "Poster PD-1: immune checkpoint inhibitors in the clinic"])
def test_a_drug_or_vitamin_after_oral_is_no_abstracts_number(title):
    """"Oral B12: <title>" was read as the heading of oral presentation B12 of a meeting: the article lost its first
    words in the compared title and was marked a conference abstract. A heading's number is the form's own code
    ("Oral O-12", "Poster P-123", "ePoster EP-45") or digits alone."""
    assert form_head(title) is None
    # the article in print a year after its online copy is still one record
    article = rec(title, year=2019, journal="Drugs and Aging", volume="36", issue="5", pages="401-410")
    assert groups(article, dict(article, year=2020, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("head, form", [("Poster P-123: ", "poster"), ("Poster 45: ", "poster"),
                                        ("Oral O-12: ", "oral"), ("Oral presentation OP-3: ", "oral"),
                                        ("Poster presentation P-123: ", "poster"), ("ePoster EP-45: ", "poster"),
                                        ("Oral OP12: ", "oral"), ("Oral 7 - ", "oral")])
def test_a_headings_own_number_is_still_cut(head, form):
    assert form_head(head + PREP) == (form, PREP)


@pytest.mark.parametrize("head", ["Poster: ", "Oral presentation: ", ""])
def test_a_conference_abstract_is_not_the_full_article(head):
    """The abstract (its heading or type says so, no volume or page given) and the full article of 12 pages the same
    year, a copy with no journal: two records, listed for a person to check."""
    abstract = dict(_abstract(head + PREP), journal=None, volume=None, issue=None)
    article = rec(PREP, authors=("Jones, Darnell", "Sullivan, Patrick S"), journal="AIDS and Behavior", volume="23",
                  issue="3", pages="812-823", year=2019)
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a conference abstract and a full paper" in review["reason"].iloc[0]
    # the article's copies still join, and so do the abstract's
    assert groups(abstract, article, dict(article, journal="AIDS Behav", issue=None, source_db="scopus"),
                  dict(abstract, source_db="wos")) == [1, 2, 2, 1]


BRIEF = ("Effect of a brief motivational intervention on alcohol use among first-year university students: a cluster "
         "randomised trial")


def test_a_conference_abstract_is_not_the_article_that_has_an_e_locator_only():
    """An online journal numbers its articles ("e034567") and gives them no page range: the abstract (typed, no
    volume or page) at the meeting the year before, in that journal, was taken for the article and hid it."""
    abstract = dict(rec(BRIEF, authors=("Nguyen, Thi", "Walker, Anne"), journal="BMJ Open", year=2019,
                        source_db="embase"), type="Conference Abstract")
    article = dict(rec(BRIEF, authors=("Nguyen, Thi", "Walker, Anne"), journal="BMJ Open", volume="10", issue="3",
                       pages="e034567", year=2020, doi="10.1136/bmjopen-2019-034567"), type="Journal Article")
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "a conference abstract and a full paper (e-locator e034567)" in review["reason"].iloc[0]
    # the article's copies still join, and so do the abstract's
    assert groups(abstract, article, dict(article, doi=None, issue=None, type="JOUR", source_db="scopus"),
                  dict(abstract, type="Meeting Abstract", source_db="wos")) == [1, 2, 2, 1]
    # an abstract numbered like an article in a supplement (ASCO's online-only abstracts) is still the abstract
    asco = dict(rec(BRIEF, authors=("Nguyen, Thi",), journal="Journal of Clinical Oncology", volume="37",
                    issue="15_suppl", pages="e18000", year=2019, source_db="scopus"), type="Article")
    assert groups(dict(abstract, journal="Journal of Clinical Oncology", authors=["Nguyen, Thi"]), asco) == [1, 1]


HEAT = "Urban heat island mitigation by green roofs in high-density cities: a multi-scale modelling study"


def test_a_conference_abstract_is_not_the_article_that_has_an_article_number_without_e():
    """Elsevier numbers its articles without an "e" ("104182" where the pages go): the meeting's abstract (typed, no
    page) was taken for the article and hid it, where the same article numbered "e104182" was kept apart."""
    abstract = dict(rec(HEAT, authors=("Zhang, Wei",), journal="Sustainable Cities and Society. Conference: "
                        "International Conference on Urban Climate", volume="75", year=2021, source_db="embase"),
                    type="Conference Abstract")
    article = dict(rec(HEAT, authors=("Zhang, Wei",), journal="Sustainable Cities and Society", volume="75",
                       pages="104182", year=2021, source_db="scopus"), type="Article")
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a conference abstract and a full paper (article number 104182)" in review["reason"].iloc[0]
    # a page of a printed volume is no article number: the article's copies still join
    assert groups(article, dict(article, type="JOUR", source_db="wos", journal="SUSTAIN CITIES SOC")) == [1, 1]


@pytest.mark.parametrize("number", ["104182", "e104182"])
def test_an_article_number_and_the_pdfs_pages_are_one_article(number):
    """One database gives the article's number ("104182"), another the pages of its PDF ("1-10"): the same title,
    volume and first author were kept apart as 'first pages 104182 and 1', and the paper screened twice. Two
    article numbers, or the article number beside a page of the volume, still tell two articles apart."""
    scopus = dict(rec(HEAT, authors=("Zhang, Wei",), journal="Sustainable Cities and Society", volume="75",
                      pages=number, year=2021, source_db="scopus"), type="Article")
    wos = dict(scopus, pages="1-10", source_db="wos", title=HEAT.replace("modelling", "modeling"), type="JOUR")
    assert groups(scopus, wos) == [1, 1]
    assert groups(scopus, dict(scopus, pages="104183", source_db="wos")) == [1, 2]
    assert groups(scopus, dict(wos, pages="15-24")) == [1, 2]


def test_a_conference_abstract_is_not_the_pnas_article_that_has_an_e_locator_only():
    """PNAS numbers its articles too ("e2016239118"), but its name begins "Proceedings", read as a meeting's
    proceedings: the abstract (typed, no journal, volume or page) hid the article under the full name Scopus and
    PubMed's RIS give, while the MEDLINE abbreviation ("Proc Natl Acad Sci U S A") kept them apart."""
    title = "Single-cell transcriptomics of tissue-resident memory T cells in human lung after influenza infection"
    abstract = dict(rec(title, authors=("Nguyen, Thi",), journal=None, year=2020, source_db="embase"),
                    type="Conference Abstract")
    for journal in ("Proceedings of the National Academy of Sciences of the United States of America",
                    "Proc Natl Acad Sci U S A"):
        article = dict(rec(title, authors=("Nguyen, Thi",), journal=journal, volume="118", issue="4",
                           pages="e2016239118", year=2021, source_db="scopus"), type="Article")
        out, review = find_duplicates_with_review(pd.DataFrame([abstract, article],
                                                               index=pd.Index([1, 2], name="record_id")))
        assert out["group_id"].tolist() == [1, 2], journal
        assert "a conference abstract and a full paper (e-locator e2016239118)" in review["reason"].iloc[0]
    # a meeting's own proceedings are still a meeting's
    paper = dict(article, journal="Proceedings of the 12th International Conference on Health Informatics",
                 type="JOUR")
    assert groups(abstract, paper) == [1, 1]

def test_an_oral_presentation_and_a_poster_of_one_title_are_two_abstracts():
    """One title as a talk and as a poster (two meetings' supplements of one journal, no page): two abstracts; the
    same page of one supplement is one abstract, however each database heads it."""
    oral = _abstract("Oral presentation: " + PREP)
    poster = dict(_abstract("Poster presentation: " + PREP), issue="Suppl 7", source_db="wos")
    assert groups(oral, poster) == [1, 2]
    assert groups(dict(oral, pages="112"), dict(poster, issue="Suppl 5", pages="112")) == [1, 1]


# ---------------------------------------------------------------- MEDLINE's review notes (from the proton beam review)


HEAVY = "[Heavy-ion therapy for non-small cell lung cancer]"


def _medline(title):
    """A record as an old Ovid MEDLINE export gives it: the title with its notes, no author, year or journal."""
    return dict(rec(title, year=None, authors=(), journal=None), abstract="An abstract.")


@pytest.mark.parametrize("ta, tb", [
    (HEAVY + ". [Review] [5 refs] [Japanese]", "[Heavy ion therapy for non-small cell lung cancer]. [Review] [6 refs] "
                                               "[Japanese]"),
    ("Proton radiation therapy for chordomas and chondrosarcomas of the skull base.[see comment]",
     "Proton radiation therapy for chordomas and chondrosarcomas of the skull base. [Review] [35 refs]"),
])
def test_two_papers_told_apart_by_medlines_review_notes(ta, tb):
    """MEDLINE counts a review's references ("[Review] [5 refs]") and marks every review: two counts are two reviews,
    and a record with MEDLINE's notes but no "[Review]" is a study, not the review of its title. Both were joined,
    hiding an include of the proton beam review."""
    assert groups(_medline(ta), _medline(tb)) == [1, 2]
    # one review from two exports, or from a database that leaves MEDLINE's notes out, is still one record
    assert groups(_medline(tb), _medline(tb.replace(" [Japanese]", "")), _medline(tb.split(" [")[0])) == [1, 1, 1]


# ---------------------------------------------------------------- one topic's title, two abstracts (CLEF reviews)


MRI_A = ("MRI has rapidly become a commonly used technique for evaluation of the shoulder. It provides a wealth of "
         "information regarding the entire shoulder girdle, and in particular the rotator cuff, the labrum and the "
         "capsule. This article reviews normal anatomy, imaging protocols and the findings in impingement, rotator "
         "cuff tears and instability, with the pitfalls that may lead to a wrong diagnosis.")
MRI_B = ("Magnetic resonance imaging is an effective means for evaluating the painful shoulder. In 58 patients who "
         "later underwent arthroscopy, it showed accurately the pathology associated with impingement syndrome, "
         "including complete and partial tears of the supraspinatus tendon; sensitivity was 91% and specificity 88%. "
         "Signal changes within the tendon correlated with tendinitis found at surgery.")
MRI_DE = ("Die Magnetresonanztomographie hat sich rasch zu einer häufig verwendeten Technik zur Untersuchung der "
          "Schulter entwickelt. Sie liefert eine Fülle von Informationen über den gesamten Schultergürtel, "
          "insbesondere die Rotatorenmanschette, das Labrum und die Kapsel.")


def _titled(title, abstract, **kw):
    return dict(rec(title, year=None, authors=(), journal=None, **kw), abstract=abstract)


def test_one_topics_title_with_two_abstracts_is_two_papers():
    """Nine records titled "Magnetic resonance imaging of the shoulder." (reviews and a diagnostic study, no author,
    year or journal exported) were one group: the study, an include, was hidden behind a review. Two abstracts
    that share hardly a phrase are two papers; the pair is listed for a person to check."""
    out, review = find_duplicates_with_review(pd.DataFrame(
        [_titled("Magnetic resonance imaging of the shoulder.", MRI_A),
         _titled("Magnetic resonance imaging of the shoulder.", MRI_B, source_db="embase")],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "different abstracts" in review["reason"].iloc[0]


def test_one_abstract_given_otherwise_still_joins():
    # a copy with headings and a copyright line, one cut short, one with no abstract, one in the article's language
    title = "Magnetic resonance imaging of the shoulder."
    assert groups(_titled(title, MRI_A), _titled(title, "BACKGROUND: " + MRI_A.replace(". This", ". METHODS: This")
                                                 + " (c) 1991 Elsevier Inc.", source_db="embase"),
                  _titled(title, MRI_A[:200], source_db="scopus"), _titled(title, None, source_db="wos"),
                  _titled(title, MRI_DE, source_db="psycinfo")) == [1, 1, 1, 1, 1]


CME_TAIL = ("The etiology of the edema is not completely understood. Prolapsed or incarcerated vitreous and "
            "postoperative inflammatory processes have been proposed as causative agents. Fluorescein angiography is "
            "indispensable in the workup, showing the classical perifoveal petaloid staining pattern and late leakage "
            "of the optic disk. Optical coherence tomography displays cystic spaces in the outer nuclear layer. Most "
            "cases resolve spontaneously, and the value of prophylactic treatment is doubtful.")
CME_2010 = ("Cystoid macular edema is a primary cause of reduced vision following both cataract and successful "
            "vitreoretinal surgery. Its incidence after modern cataract surgery is 0.1-2.35%. Preexisting conditions "
            "such as diabetes mellitus and uveitis as well as intraoperative complications raise the risk. " + CME_TAIL)
CME_2017 = ("Cystoid macular edema is a primary cause of postoperative reduced vision. It may occur even when the "
            "intraoperative course is successful for operations such as cataract surgery. This risk is increased if "
            "there are certain preexisting systemic or ocular conditions. " + CME_TAIL)
OCT_A = ("To present the major importance of optical coherence tomography in early diagnosis and follow-up of diabetic "
         "macular edema. The patients diagnosed with diabetic retinopathy in our clinic between 2008 and 2011 were "
         "evaluated by OCT and other complementary exams. OCT contributes in understanding the anatomy of diabetic "
         "macular edema and the intraretinal damage and it is the technique of choice for the follow-up of diabetic "
         "macular edema and for monitoring the effect of therapies.")
OCT_B = ("The aim is to present, along with a brief literature review, the results of OCT scans in eyes with diabetic "
         "macular edema. One hundred and thirty-six eyes with diabetic retinopathy were analyzed with OCT to explore "
         "the different patterns of edema; three patterns were recognized. OCT contributes in understanding the "
         "anatomy of diabetic macular edema and the intraretinal damage and seems to be the technique of choice for "
         "the follow-up of macular edema.")


@pytest.mark.parametrize("ta, tb, a, b", [
    ("Postsurgical cystoid macular edema.", "Postsurgical cystoid macular edema.", CME_2010, CME_2017),
    ("[The role of OCT in diagnosis and follow-up of diabetic macular edema].",
     "Role of OCT in the diagnosis and follow up of diabetic macular edema.", OCT_A, OCT_B)])
def test_a_title_only_export_with_two_abstracts_is_listed_not_joined(ta, tb, a, b):
    """A search exported with title and abstract only (no authors, year or DOI) gave "Postsurgical cystoid macular
    edema." twice, a book chapter's two editions whose first sentences were rewritten, and two OCT studies of one
    title with other abstracts. Their abstracts share many phrases (one edition's, one topic's), too many to count
    as two papers, but nothing besides the title joins them: they were one group, one report never screened. Two
    abstracts that are not one text (rewritten, not cut short, headed, signed or marked up) are now listed."""
    out, review = find_duplicates_with_review(pd.DataFrame(
        [_titled(ta, a), _titled(tb, b, source_db="embase")], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert review["reason"].tolist() and "different abstracts" in review["reason"].iloc[0], review


def test_one_abstract_of_a_title_only_export_given_otherwise_still_joins():
    """A title-only export's copies of one paper: headed, marked up, signed (before or after), or cut short."""
    title = "Postsurgical cystoid macular edema."
    headed = ("BACKGROUND: " + CME_2010.replace(" Its incidence", " METHODS: Its incidence")
              .replace(" The etiology", " RESULTS: The etiology").replace(" Most cases", " CONCLUSIONS: Most cases"))
    html = "<p>" + CME_2010.replace("0.1-2.35%", "0.1&ndash;2.35&#37;").replace("edema is", "<i>edema</i> is") + "</p>"
    copies = [CME_2010, headed + " Copyright \u00a9 2010 S. Karger AG, Basel.", html,
              CME_2010 + " (Copyright (c) 2010 S. Karger AG, Basel. All rights reserved.)",
              CME_2010[:CME_2010.index(" Optical coherence")], "© 2010 S. Karger AG, Basel. " + CME_2010]
    assert groups(*(_titled(title, text, source_db=f"db{k}") for k, text in enumerate(copies))) == [1] * len(copies)



@pytest.mark.parametrize("tail_a, tail_b", [
    (" \u00a9 2010 The Authors. Published by Elsevier Ireland Ltd. All rights reserved.",
     " (PsycINFO Database Record (c) 2016 APA, all rights reserved)"),
    (" \u00a9 2010 The Authors. Ophthalmologica published by John Wiley & Sons Ltd on behalf of the Society.",
     " (PsycINFO Database Record (c) 2016 APA, all rights reserved)"),
    (" &copy; 2010 The Authors. Published by Elsevier Ireland Ltd. All rights reserved.",
     " (PsycINFO Database Record (c) 2016 APA, all rights reserved)")])
def test_a_title_only_exports_copies_signed_by_two_databases_still_join(tail_a, tail_b):
    """One paper's abstract signed at the end by two databases (Embase's "Published by Elsevier ... All rights
    reserved." and PsycINFO's "(PsycINFO Database Record ... all rights reserved)"): the two signatures end in the
    same words, so the words before them were taken for a passage inside the text, not its end, and the copies
    were listed as two reports of one title."""
    title = "Postsurgical cystoid macular edema."
    assert groups(_titled(title, CME_2010 + tail_a), _titled(title, CME_2010 + tail_b, source_db="psycinfo")) == [1, 1]
    # two editions (first sentences rewritten), each signed: still two reports
    assert groups(_titled(title, CME_2010 + tail_a), _titled(title, CME_2017 + tail_b, source_db="psycinfo")) == [1, 2]


# ---------------------------------------------------------------- one gene or code for another (COPD review)


@pytest.mark.parametrize("ta, tb", [
    ("MMP14 gene polymorphisms in chronic obstructive pulmonary disease",
     "CLCA1 gene polymorphisms in chronic obstructive pulmonary disease"),
    ("CYP1A1 gene polymorphisms and lung cancer risk in a Chinese population: a case-control study",
     "CYP2E1 gene polymorphisms and lung cancer risk in a Chinese population: a case-control study"),
])
def test_one_gene_in_place_of_another_is_two_studies(ta, tb):
    """Two association studies of one disease, a gene named in each title ("MMP14", "CLCA1"), were one record
    (titles 93% alike, no year or author exported): both includes of the COPD genetics review, one hidden. A code of
    letters and digits in place of another that shares neither is another gene; the pair is listed for a person."""
    out, review = find_duplicates_with_review(pd.DataFrame(
        [_titled(ta, None), _titled(tb, None, source_db="embase")], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "one word in place of another" in review["reason"].iloc[0]
    # the same with an author and a year, the journal exported by one database only
    a = rec(ta, authors=("Hegab, Ahmed E.",), journal=None, year=2005)
    b = rec(tb, authors=("Hegab, Ahmed E.",), journal="Respiratory Medicine", year=2005, source_db="embase")
    assert groups(a, b) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("Early 99mTc DMSA scintigraphy in symptomatic first-time urinary tract infection",
     "Early Tc99m DMSA scintigraphy in symptomatic first-time urinary tract infection"),
    ("Switching from originator infliximab to CT-P13 in inflammatory bowel disease",
     "Switching from originator infliximab to CTP13 in inflammatory bowel disease"),
    ("Polymorphisms of the IL1RN gene and bone mineral density in postmenopausal women",
     "Polymorphisms of the IL1-RN gene and bone mineral density in postmenopausal women"),
    ("COL1A1 Sp1 binding site polymorphism and osteoporotic fracture in elderly women",
     "COLIA1 Sp1 binding site polymorphism and osteoporotic fracture in elderly women"),
])
def test_one_code_written_two_ways_still_joins(ta, tb):
    # the isotope written before or after, a hyphen put in or dropped, a gene's older spelling (COLIA1): one paper
    # in two databases
    assert groups(_titled(ta, None), _titled(tb, None, source_db="embase")) == [1, 1]


# ---------------------------------------------------------------- a marker's sign ("HER2+" / "HER2-")


@pytest.mark.parametrize("ta, tb", [
    ("Trastuzumab deruxtecan in HER2+ metastatic breast cancer: a phase 2 trial",
     "Trastuzumab deruxtecan in HER2- metastatic breast cancer: a phase 2 trial"),
    ("Trastuzumab deruxtecan in HER2 + metastatic breast cancer: a phase 2 trial",
     "Trastuzumab deruxtecan in HER2 - metastatic breast cancer: a phase 2 trial"),
    ("Exhaustion of CD4(+) T cells in chronic hepatitis B virus infection",
     "Exhaustion of CD4 \u2212 T cells in chronic hepatitis B virus infection"),
    ("Trastuzumab deruxtecan in HER2+ metastatic breast cancer: a phase 2 trial",
     "Trastuzumab deruxtecan in HER2-negative metastatic breast cancer: a phase 2 trial"),
])
def test_a_marker_with_the_other_sign_is_another_study(ta, tb):
    """A normalised title reads "+" as "plus" and drops a minus, so "HER2- breast cancer" is compared as "HER2 breast
    cancer": two abstracts on one page of a meeting's supplement were joined (the place confirmed the titles, a copy
    that lost its "+" is one paper there), and so was the HER2- trial with the HER2+ trial's group through the copy
    of the HER2+ paper in which a database lost the "+" (one DOI). Two signs of one marker are two populations."""
    a = rec(ta, journal="Annals of Oncology", volume="30", pages="v123")
    b = rec(tb, journal="Annals of Oncology", volume="30", pages="v123", source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "'HER2+' and 'HER2-'" in review["reason"].iloc[0] or "'CD4+' and 'CD4-'" in review["reason"].iloc[0]
    doi = "10.1016/S1470-2045(20)30123-4"
    lost = rec(ta.replace("(+)", "").replace(" +", "").replace("+", ""), doi=doi, source_db="wos")
    assert groups(rec(ta, doi=doi), lost, rec(tb, source_db="embase")) == [1, 1, 3]
    # the paper whose copy lost its sign still joins that copy at its place
    assert groups(a, dict(a, title=lost["title"], source_db="wos")) == [1, 1]


@pytest.mark.parametrize("either", ["HER2+/-", "HER2 +/-", "HER2+/\u2212", "HER2\u00b1", "HER2 (+/-)", "HER2(-/+)"])
@pytest.mark.parametrize("one", ["HER2+", "HER2-", "HER2-positive", "HER2-negative", "HER2 (+)", "HER2(-)"])
def test_a_marker_of_either_status_is_not_one_status(either, one):
    """"HER2+/-" (patients of either status) was read as "HER2+" (the normaliser keeps the "+" as "plus" and drops
    "/-"), so the trial in HER2+/- patients and the HER2+ trial of the same title were one record and one of the two
    was never screened. "+/-" is a sign of its own: it never meets "+" or "-", and copies that both say so meet."""
    title = "Trastuzumab deruxtecan in {} metastatic breast cancer: a phase 2 randomised trial"
    a = rec(title.format(either))
    b = rec(title.format(one), source_db="embase")
    assert groups(a, b) == [1, 2]
    assert groups(a, dict(b, journal=a["journal"], volume="30", pages="v123"),
                  dict(a, volume="30", pages="v123", source_db="wos")) == [1, 2, 1]
    assert groups(a, rec(title.format("HER2 +/-"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("other", ["HER2-positive", "HER2+", "HER2-negative", "HER2-", "HER2-ultralow"])
def test_a_her2_low_study_is_not_the_her2_positive_or_negative_one(other):
    """"HER2-low" (neither positive nor negative) was read as no sign, so two abstracts of one author on one page of
    a meeting's supplement, in HER2-low and in HER2-positive (or HER2-negative) patients, were one record and one
    was never screened. "low" and "ultralow" are statuses of their own; "HER2-low" and "HER2 low" still meet."""
    title = "Trastuzumab deruxtecan in {} metastatic breast cancer: a phase 3 randomised trial"
    a = rec(title.format("HER2-low"), journal="Annals of Oncology", volume="33", pages="S123")
    b = rec(title.format(other), journal="Annals of Oncology", volume="33", pages="S123", source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "'HER2-low' and 'HER2" in review["reason"].iloc[0]
    assert groups(a, dict(a, title=title.format("HER2 low"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title, signs", [
    ("ER+/PR-/HER2- breast cancer", ("er+", "pr-", "her2-")),
    ("CD4\u207a T cells and PD-L1 negative tumours", ("cd4+", "pdl1-")),
    ("HER2+/- breast cancer", ("her2+/-",)),  # either status: a sign of its own
    ("HER2 -/+ and ER\u00b1 breast cancer", ("her2+/-", "er+/-")),
    ("HER2-low and HER2-ultralow breast cancer", ("her2low", "her2ultralow")),
    ("Enhanced use of IT - a new perspective on post-adoption", ()),  # a subtitle's dash after a word
    ("Learning from adopters' experiences with ERP - problems encountered", ()),
    ("Triple-negative breast cancer after anti-HER2 therapy", ()),
])
def test_the_signs_a_title_gives_its_markers(title, signs):
    assert tuple(k + s for k, s, _ in marker_signs(title)) == signs


# ---------------------------------------------------------------- a trial's protocol typed so, and its results paper

TRIAL = ("Internet-delivered cognitive behavioural therapy for insomnia in adolescents with depression (the SLEEPY "
         "trial): a randomised controlled trial")


def test_a_protocol_typed_so_is_not_the_results_paper_of_its_title():
    """PubMed types a trial's protocol 'Clinical Trial Protocol'. A protocol titled as its trial, in BMJ Open in 2019
    (PubMed), and the results paper of that title a year later ahead of print (Scopus 'Article', PubMed 'Randomized
    Controlled Trial', no volume or page) were one record at 'same title and first author; years 2019 and 2020
    (online-first vs print year)': a reviewer who screened the protocol's abstract excluded the trial's results with it.
    A record typed as a protocol and one not are two records, listed, unless the same place confirms them."""
    protocol = dict(rec(TRIAL, year=2019, authors=("Blake, Matthew J",), journal="BMJ Open", volume="9",
                        pages="e027285"), type="Clinical Trial Protocol", source_db="pubmed")
    scopus = dict(rec(TRIAL, year=2020, authors=("Blake, M.J.",), journal="BMJ Open"), type="Article",
                  source_db="scopus")
    pubmed = dict(rec(TRIAL, year=2020, authors=("Blake, Matthew J",), journal="BMJ Open"),
                  type="Randomized Controlled Trial", source_db="pubmed")
    out, review = find_duplicates_with_review(pd.DataFrame([protocol, scopus, pubmed],
                                                           index=pd.Index([1, 2, 3], name="record_id")))
    assert out["group_id"].tolist() == [1, 2, 2]
    assert set(review["reason"]) == {"same title, but a protocol and a record not typed as one (its results paper?)"}
    # the protocol's own copy from Scopus at its place is still one record with it, and so is a copy from Embase
    assert groups(protocol, dict(protocol, type="Article", source_db="scopus")) == [1, 1]
    assert groups(protocol, dict(protocol, type="Clinical Trial Protocol", source_db="embase")) == [1, 1]


# ---------------------------------------------------------------- a meeting's abstract and the paper a year later

PSA = "Baricitinib versus placebo in patients with active psoriatic arthritis: results of a 24-week randomised trial"


def test_a_conference_abstract_is_not_the_paper_a_year_later_ahead_of_print():
    """The trial's abstract at the 2019 meeting (Embase 'Conference Abstract', Annals of the Rheumatic Diseases 78
    Suppl 2: 123) and its full paper of that title in 2020, ahead of print (no volume or page yet; PubMed, or a
    reference manager's copy without the journal), were one record at 'years 2019 and 2020 (online-first vs print
    year)', the paper hidden behind the interim abstract. An abstract is dated by its meeting, so its copies give its
    year and its supplement's place: a record a year apart without volume or page is the paper, listed for review."""
    abstract = dict(rec(PSA, year=2019, journal="Annals of the Rheumatic Diseases", volume="78", issue="Suppl 2",
                        pages="123", authors=("Mease, Philip J",)), type="Conference Abstract", source_db="embase")
    for paper in (rec(PSA, year=2020, journal="Annals of the Rheumatic Diseases", authors=("Mease, P. J.",)),
                  rec(PSA, year=2020, journal=None, authors=("Mease, Philip J",), source_db="zotero")):
        out, review = find_duplicates_with_review(pd.DataFrame([abstract, paper],
                                                               index=pd.Index([1, 2], name="record_id")))
        assert out["group_id"].tolist() == [1, 2]
        assert "a conference abstract and a record a year apart without volume or page" in review["reason"].iloc[0]
    # the abstract's own copies still join: at its place, or of its year without one where marked as an abstract
    assert groups(abstract, rec(PSA, year=2019, journal="Ann Rheum Dis", volume="78", pages="123",
                                authors=("Mease, P. J.",), source_db="wos")) == [1, 1]
    assert groups(abstract, dict(rec(PSA, year=2019, journal="Annals of the Rheumatic Diseases",
                                     authors=("Mease, P. J.",), source_db="wos"), type="Meeting Abstract")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Pyrotinib plus capecitabine in HER2 - positive metastatic breast cancer: a multicentre real-world study",
     "Pyrotinib plus capecitabine in HER2-positive metastatic breast cancer: a multicentre real-world study"),
    ("Pyrotinib plus capecitabine in HER2 \u2013 positive metastatic breast cancer: a multicentre real-world study",
     "Pyrotinib plus capecitabine in HER2-positive metastatic breast cancer: a multicentre real-world study"),
    ("Pyrotinib Plus Capecitabine in HER2 - Positive Metastatic Breast Cancer: A Multicentre Real-World Study",
     "Pyrotinib plus capecitabine in HER2-positive metastatic breast cancer: a multicentre real-world study"),
    ("Outcomes of SARS-CoV-2 - positive patients admitted to intensive care in Lombardy: a cohort study",
     "Outcomes of SARS-CoV-2-positive patients admitted to intensive care in Lombardy: a cohort study"),
])
def test_a_spaced_hyphen_before_positive_is_no_minus(ta, tb):
    """A database that spaces a title's hyphens ("HER2 - positive", "HER2 \u2013 positive") gave the marker a minus,
    so the paper's copies with "HER2-positive" were kept apart as another population, even at one DOI or one volume
    and first page: the paper screened twice. The dash before "positive" is the word's hyphen."""
    assert {s for _, s, _ in marker_signs(ta)} == {"+"}
    doi = "10.3760/cma.j.cn112152-20200313-00201"
    assert groups(rec(ta, doi=doi, source_db="cnki"), rec(tb, doi=doi, source_db="embase")) == [1, 1]
    assert groups(rec(ta, journal="Chinese Journal of Oncology", volume="42", pages="561-566", source_db="cnki"),
                  rec(tb, journal="Chinese Journal of Oncology", volume="42", pages="561-566",
                      source_db="embase")) == [1, 1]
    # the minus of another population is still one
    minus = ta.replace("positive", "negative").replace("Positive", "Negative")
    assert groups(rec(ta, volume="42", pages="561"), rec(minus.replace(" - ", "- ").replace(" \u2013 ", "- "),
                                                          volume="42", pages="561", source_db="embase")) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("Clinical analysis of 120 cases of type 2 diabetes mellitus complicated with pulmonary tuberculosis",
     "Type 2 diabetes mellitus complicated with pulmonary tuberculosis: a clinical analysis of 120 cases"),
    ("Clinical characteristics of 50 patients with COVID-19 in Wuhan: a retrospective study",
     "COVID-19 in Wuhan: a retrospective study of clinical characteristics of 50 patients"),
])
def test_a_translated_title_with_its_numbers_elsewhere_is_still_one_paper(ta, tb):
    """Two databases' English translations of one Chinese paper put its phrases in another order, and with them its
    numbers ("120 cases ... type 2" / "type 2 ... 120 cases"). The rule for the same numbers in another order (Gleason
    3+4 / 4+3) kept the two apart at one volume and first page and at one DOI; it holds where the numbers alone moved,
    among the same words."""
    journal = dict(journal="Chinese Journal of Tuberculosis and Respiratory Diseases", volume="43", pages="233-236")
    assert groups(rec(ta, authors=("Wang, Li",), source_db="cnki", **journal),
                  rec(tb, authors=("Wang, L.",), source_db="embase", **journal)) == [1, 1]
    doi = "10.3760/cma.j.issn.1001-0939.2020.03.010"
    assert groups(rec(ta, authors=("Wang, Li",), doi=doi, source_db="cnki"),
                  rec(tb, authors=("Wang, L.",), doi=doi, source_db="embase")) == [1, 1]
    # the numbers moved alone are still two grades, a typo elsewhere or not
    title = "Survival of patients with Gleason score {} prostate cancer managed with active surveillance"
    assert groups(rec(title.format("3+4"), volume="75", pages="98"),
                  rec(title.format("4+3").replace("patients", "pateints"), volume="75", pages="98",
                      source_db="embase")) == [1, 2]


@pytest.mark.parametrize("title, signs", [
    ("Density of CD4- and CD8-positive tumour-infiltrating lymphocytes predicts survival in colorectal cancer",
     ("cd4+", "cd8+")),
    ("ER-, PR- and HER2-negative breast cancer in young women", ("er-", "pr-", "her2-")),
    ("Dual HER2- and EGFR-targeted therapy in gastric cancer", ()),
    ("HER2- and HER2+ metastatic breast cancer: two cohorts", ("her2-", "her2+")),
    ("Exhaustion of CD4- and CD8- T cells in chronic hepatitis B", ("cd4-", "cd8-")),
])
def test_a_suspended_hyphen_takes_the_sign_of_its_word(title, signs):
    """"CD4- and CD8-positive" is "CD4-positive and CD8-positive": the hyphen left hanging before "and" waits for the
    word after the next marker. It was read as CD4's minus, so the paper and a copy of it with "CD4+ and CD8+" were
    kept apart as two populations, at one DOI too."""
    assert tuple(k + s for k, s, _ in marker_signs(title)) == signs
    if signs == ("cd4+", "cd8+"):
        doi = "10.1038/s41416-019-0511-4"
        assert groups(rec(title, doi=doi), rec(title.replace("CD4- and CD8-positive", "CD4+ and CD8+"), doi=doi,
                                               source_db="embase")) == [1, 1]


MBCT = "Mindfulness-based cognitive therapy for depression: a new approach to preventing relapse"


def test_a_book_review_is_not_the_book_it_reviews():
    """Web of Science's "Book Review" carries the reviewed book's title; without its reviewer in the author field
    nothing else told it from the book (or the book's opening chapter of that title) of its year, and they were
    joined: the book was never screened. Its copy in another database at its own volume and page is still one."""
    review = dict(rec(MBCT, year=2002, authors=(), journal="Psychological Medicine", volume="32", pages="1311-1312",
                      source_db="wos"), type="Book Review")
    book = dict(rec(MBCT, year=2002, authors=("Segal, Zindel V.",), journal=None, source_db="psycinfo"), type="BOOK")
    chapter = dict(book, type="CHAP", pages="3-22")
    assert groups(review, book) == [1, 2]
    assert groups(review, chapter) == [1, 2]
    assert groups(review, dict(book, year=2003)) == [1, 2]
    assert groups(review, dict(review, type="JOUR", source_db="scopus")) == [1, 1]
    assert groups(review, dict(review, type="Review-Book", source_db="psycinfo")) == [1, 1]


def test_an_abstract_of_a_published_item_is_not_the_item():
    """Web of Science's "Abstract of Published Item" is a journal's digest of a paper printed elsewhere, under the
    paper's title: it was joined to the paper's copy that names no journal. They are two records."""
    title = "Thermal tolerance of wolf spiders along an elevation gradient in the Swiss Alps"
    digest = dict(rec(title, authors=(), journal="Year Book of Sports Medicine", year=2021, volume="2021",
                      pages="45-46", source_db="wos"), type="Abstract of Published Item")
    paper = dict(rec(title, journal=None, year=2020, source_db="zotero"), type="journalArticle")
    assert groups(digest, paper) == [1, 2]
    assert groups(digest, dict(digest, type="JOUR", source_db="scopus")) == [1, 1]


SPIDERS = "Thermal tolerance of wolf spiders along an elevation gradient in the Swiss Alps"


@pytest.mark.parametrize("dataset", [
    rec("Data from: " + SPIDERS, journal="Dryad Digital Repository", source_db="datacite"),
    rec("Data from: " + SPIDERS, journal=None, source_db="datacite"),
    rec("Data for: " + SPIDERS, journal=None, source_db="datacite"),  # Mendeley Data's
    rec("Dataset for: " + SPIDERS, journal=None, source_db="datacite"),
    rec("Code for: " + SPIDERS, journal=None, source_db="zenodo"),
    dict(rec(SPIDERS, journal=None, source_db="datacite"), type="Dataset"),
    dict(rec(SPIDERS, journal=None, source_db="wos"), type="Data Set"),
])
def test_a_dataset_is_not_the_article_it_holds_the_data_of(dataset):
    """Dryad and figshare title a dataset "Data from: <the article's title>", by the article's authors and of its
    year: it was joined to the article as one record, and which of the two was shown was chance. A dataset is
    another record; the dataset's own copies still join."""
    article = rec(SPIDERS, journal="Journal of Thermal Biology", volume="91", pages="102612")
    assert groups(article, dataset) == [1, 2]
    assert groups(dataset, dict(dataset, source_db="other")) == [1, 1]


ALCOHOL = "Minimum unit pricing for alcohol and hospital admissions in Scotland: an interrupted time series"


@pytest.mark.parametrize("news", [
    rec("News: " + ALCOHOL, source_db="embase"),
    rec(ALCOHOL + " [news]", source_db="ovid"),
    dict(rec(ALCOHOL, source_db="pubmed"), type="News"),
    dict(rec(ALCOHOL, source_db="wos"), type="News Item"),
])
def test_a_news_item_is_not_the_study_it_reports(news):
    """A journal's news item on a study may carry the study's title (PubMed's and Web of Science's type "News",
    MEDLINE's "[news]" note, "News: <title>"): it was joined to the study as one record. It is another record."""
    study = dict(rec(ALCOHOL, volume="401", pages="1361-1370"), type="Journal Article")
    assert groups(study, news) == [1, 2]
    assert groups(news, dict(news, source_db="other")) == [1, 1]


@pytest.mark.parametrize("kind", ["phdthesis", "mastersthesis", "PhdThesis"])
def test_a_bibtex_thesis_is_not_the_article_from_it(kind):
    """BibTeX writes a thesis's type as one word ("@phdthesis", "@mastersthesis"): it was not read as a thesis, and a
    thesis and the article from it of one title, by one author, were joined as one record."""
    thesis = dict(rec(THESIS, authors=("Jones, Darnell",), journal=None, year=2016, source_db="scholar"), type=kind)
    article = dict(rec(THESIS, authors=("Jones, Darnell", "Mayer, Kenneth H"), journal="AIDS and Behavior", year=2017,
                       volume="21", pages="1020-1031"), type="article")
    assert groups(thesis, article) == [1, 2]
    assert groups(thesis, dict(article, journal=None, volume=None, pages=None)) == [1, 2]
    assert groups(thesis, dict(thesis, type="THES", source_db="proquest")) == [1, 1]


@pytest.mark.parametrize("registry", [
    dict(journal="WHO ICTRP"), dict(journal="Clinical Trials Registry - India"),
    dict(journal="EU Clinical Trials Register"),
    dict(journal="Australian New Zealand Clinical Trials Registry"), dict(journal="Chinese Clinical Trial Registry"),
    dict(journal="German Clinical Trials Register"), dict(journal="Iranian Registry of Clinical Trials"),
    dict(journal=None, type="Trial registry record"), dict(journal=None, type="Clinical Trial Registration"),
])
def test_a_trial_registration_named_in_words_is_not_the_trials_report(registry):
    """A registry record may name its registry in words, not by its web address ("WHO ICTRP", "EU Clinical Trials
    Register"), or say what it is only by its type, and keep no number where the author goes: it was joined to the
    report of the trial of its title and year, and the report was hidden behind it."""
    entry = dict(rec(REGISTERED, authors=(), year=2019, source_db="ictrp"), **registry)
    report = dict(rec(REGISTERED, authors=("O'Cleirigh, Conall",), journal=None, year=2019, source_db="proquest"),
                  type="JOUR")
    assert groups(entry, report) == [1, 2]
    assert groups(entry, dict(entry, source_db="central")) == [1, 1]


COVID = ("Effectiveness of remote cognitive behavioural therapy for anxiety during the COVID-19 pandemic:"
         " a randomised trial")


@pytest.mark.parametrize("preprint", [
    dict(rec(COVID, journal=None, year=2021, source_db="europepmc"), type="Preprint"),
    dict(rec(COVID, journal=None, year=2021, doi="10.1101/2021.03.04.21252869", source_db="scholar"), type=None),
    rec(COVID, journal="medRxiv", year=2021, source_db="scholar"),
    rec(COVID, journal="Research Square", year=2021, source_db="scholar"),
    rec(COVID, journal="PsyArXiv", year=2021, source_db="osf"),
])
def test_a_preprint_is_not_the_article_published_from_it(preprint):
    """A preprint and the article published from it a year later, of one title and team, are two reports of the
    study (the article's results may differ, after peer review): a preprint named only by its type, its server's DOI
    or its server as the journal was joined to the article's copy that names no journal, and the reviewer saw one of
    the two by chance. They are kept apart and listed; the preprint's own copies still join."""
    article = dict(rec(COVID, journal=None, year=2022, source_db="zotero"), type="JOUR")
    out, review = find_duplicates_with_review(pd.DataFrame([preprint, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a preprint" in review["reason"].iloc[0]
    assert groups(preprint, dict(preprint, source_db="other")) == [1, 1]
    # a copy naming neither journal nor type, at the preprint's pages (an SSRN paper's "1-17"), may be the preprint's
    assert groups(dict(preprint, pages="1-17"), dict(article, type=None, year=2021, pages="1-17")) == [1, 1]
    assert groups(article, dict(article, journal="Journal of Anxiety Disorders", volume="85", pages="102510",
                                source_db="scopus")) == [1, 1]


@pytest.mark.parametrize("title", [LETTER_TO + " [Withdrawn]", LETTER_TO + " [WITHDRAWN]", LETTER_TO + " (Withdrawn)",
                                   LETTER_TO + ": withdrawn", LETTER_TO + " [Withdrawal notice]"])
def test_a_withdrawal_notice_titled_after_the_paper_is_not_the_paper(title):
    """A database's "<title> [Withdrawn]" is the notice that the paper was withdrawn: it was joined with the paper
    (the titles 99% alike) and the reviewer saw one of the two by chance. The notice stays a record of its own,
    as "<title> [Retraction]" does; its own copies still join."""
    paper = rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468")
    notice = rec(title, authors=(), journal="Addiction", source_db="wos")
    assert groups(paper, notice) == [1, 2]
    assert groups(rec(LETTER_TO), rec(title, source_db="wos")) == [1, 2]
    doi = "10.1111/add.15000"  # a database giving the notice its paper's DOI
    assert groups(rec(LETTER_TO, doi=doi), rec(title, doi=doi, authors=(), source_db="wos")) == [1, 2]
    assert groups(notice, dict(notice, source_db="embase")) == [1, 1]


def test_a_title_that_ends_in_withdrawn_is_still_one_study():
    ta = "Outcomes of patients in intensive care after life-sustaining treatment was withdrawn"
    assert groups(rec(ta), rec(ta.replace("intensive", "intesive"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title", ["Highlights: " + LETTER_TO, "Research highlights: " + LETTER_TO,
                                   LETTER_TO + " (Highlights)", LETTER_TO + " (Abridged)", LETTER_TO + " [Abridged]",
                                   LETTER_TO + ": abridged version", "Abridged version: " + LETTER_TO,
                                   "Abridged: " + LETTER_TO, LETTER_TO + " (abridged)"])
def test_the_papers_highlights_or_abridged_version_is_not_the_paper(title):
    """A journal's highlights of a paper and the paper's abridged version (a guideline's or a Cochrane review's,
    printed in another journal) are publications of their own under the paper's title: they were joined with the
    paper (titles 96% alike) and the reviewer saw one of the two by chance. They are kept apart and listed for a
    person to check, as a lay summary is; their own copies still join."""
    paper = rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468")
    out, review = find_duplicates_with_review(
        pd.DataFrame([paper, rec(title, journal="Addiction", source_db="wos")],
                     index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "about the paper" in review["reason"].iloc[0]
    doi = "10.1111/add.15000"  # a database giving the item its paper's DOI
    assert groups(rec(LETTER_TO, doi=doi), rec(title, doi=doi, source_db="wos")) == [1, 2]
    assert groups(rec(title), rec(title, source_db="wos")) == [1, 1]


def test_highlights_or_abridged_in_both_titles_is_one_title():
    ta = "Highlights of the 2019 guideline on the management of blood pressure in adults with type 2 diabetes"
    assert groups(rec(ta), rec(ta.replace("management", "managment"), source_db="embase")) == [1, 1]
    tb = "Management of blood pressure in adults with type 2 diabetes: abridged version of the 2019 guideline"
    assert groups(rec(tb), rec(tb.replace("Management", "Managment"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title", ["Preprint: " + COVID, "PREPRINT - " + COVID, COVID + " [Preprint]",
                                   COVID + " (preprint)"])
def test_a_preprint_marked_in_its_title_is_not_the_article(title):
    """A preprint that only its title marks ("Preprint: <title>", a search engine's or a reference manager's copy,
    without the server as its journal) was joined with the article published from it, and the reviewer saw one of
    the two by chance. It is kept apart and listed as a preprint is by its type; its copies still join, the mark
    or not, and the mark is no part of the compared title."""
    preprint = dict(rec(title, journal=None, year=2021, source_db="scholar"), type=None)
    article = dict(rec(COVID, journal="Journal of Anxiety Disorders", volume="85", pages="102510", year=2021,
                       source_db="scopus"), type="Article")
    out, review = find_duplicates_with_review(pd.DataFrame([preprint, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a preprint" in review["reason"].iloc[0]
    assert groups(preprint, dict(article, year=2022)) == [1, 2]
    assert groups(preprint, rec(COVID, journal="medRxiv", year=2021, source_db="europepmc")) == [1, 1]
    assert groups(preprint, dict(preprint, source_db="other")) == [1, 1]


def test_a_title_that_begins_with_the_word_preprint_is_no_mark():
    ta = "Preprints: a new route to rapid dissemination of trial results in cardiology"
    assert groups(rec(ta), rec(ta, source_db="embase", volume="3")) == [1, 1]
    tb = "Preprint servers and the COVID-19 pandemic: a bibliometric analysis of medRxiv submissions"
    assert groups(rec(tb, journal="Scientometrics"), rec(tb, journal="Scientometrics", source_db="embase")) == [1, 1]


def test_one_editorial_from_two_databases_under_a_doi_other_items_share_is_one_record():
    """Two copies of an "Editorial" (MEDLINE's and Scopus's) with one DOI stayed two records when Scopus gave that DOI
    to another item of the issue too: the DOI was left to the titles, and a title that only names the item's kind is
    never matched alone. One DOI and one title from two databases are one record; the other item stays apart, and
    two items titled "Editorial" at different pages under the shared DOI stay two."""
    doi = "10.1016/j.jsis.2015.05.001"
    journal = "The Journal of Strategic Information Systems"
    ed = rec("Editorial", doi=doi, journal=journal, volume="24", issue="2", pages="45-48", year=2015)
    other = rec("Green IT adoption in small firms: a longitudinal study", doi=doi, journal=journal, volume="24",
                pages="49-60", year=2015, source_db="scopus")
    out, review = find_duplicates_with_review(pd.DataFrame([ed, dict(ed, source_db="scopus"), other],
                                                           index=pd.Index([1, 2, 3], name="record_id")))
    assert out["group_id"].tolist() == [1, 1, 3]
    assert not review["reason"].str.contains("translated").any()
    assert groups(dict(ed, pages="45"), dict(ed, pages=None, issue=None, source_db="scopus"), other) == [1, 1, 3]
    assert groups(ed, dict(ed, pages="61-62", source_db="scopus"), other) == [1, 2, 3]


def test_two_editorials_at_one_place_are_listed_for_what_they_are():
    ed = rec("Editorial", journal="Addiction", volume="115", pages="1-2")
    out, review = find_duplicates_with_review(pd.DataFrame([ed, dict(ed, source_db="embase")],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a title that only names the item's kind ('editorial')" in review["reason"].iloc[0]


@pytest.mark.parametrize("abstract", [
    dict(rec(PSA, year=2020, journal="Arthritis & Rheumatology", volume="72", issue="Suppl 10", pages="1234",
             authors=("Mease, Philip J",), source_db="wos"), type="Meeting Abstract"),
    dict(rec(PSA, year=2020, journal="Arthritis & Rheumatology", authors=("Mease, Philip J",), source_db="wos"),
         type="Meeting Abstract"),
    dict(rec(PSA, year=2020, journal="Arthritis and Rheumatology. Conference: ACR Convergence 2020", volume="72",
             authors=("Mease, Philip J",), source_db="embase"), type="Conference Abstract"),
])
def test_a_conference_abstract_is_not_the_paper_of_its_year_ahead_of_print(abstract):
    """Web of Science's "Meeting Abstract" of the trial and its full paper of the same title and year, ahead of print
    (no volume or page yet), were one record, and the paper was hidden behind the abstract. A conference abstract
    and its later paper are two publications: kept apart and listed for review. The abstract's own copies, marked
    or at its place, still join."""
    paper = dict(rec(PSA, year=2020, journal="Arthritis & Rheumatology", authors=("Mease, P. J.",),
                     source_db="pubmed"), type="Journal Article")
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, paper], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a conference abstract and a record without volume or page" in review["reason"].iloc[0]
    assert groups(abstract, dict(paper, type=None)) == [1, 2]
    assert groups(abstract, dict(abstract, source_db="other")) == [1, 1]
    # the paper in print, in its volume: still not the abstract, nor through the paper's copy ahead of print
    printed = dict(paper, volume="72", issue="11", pages="1810-1821", source_db="scopus")
    assert groups(abstract, paper, printed)[1:].count(1) == 0


@pytest.mark.parametrize("title", [LETTER_TO + " (Addendum)", LETTER_TO + " [Addendum]", LETTER_TO + ": addendum"])
def test_an_addendum_set_off_after_the_papers_title_is_not_the_paper(title):
    """"Addendum: <title>" was a notice about the paper, "<title> (Addendum)" the paper itself: the addendum hid the
    paper or the paper the addendum. It is listed as a notice about the paper either way."""
    out, review = find_duplicates_with_review(
        pd.DataFrame([rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468"),
                      rec(title, journal="Addiction", source_db="wos")], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "about the paper" in review["reason"].iloc[0]
    assert groups(rec(title), rec(title, source_db="wos")) == [1, 1]


GIG = "The effect of algorithmic management on gig workers' earnings: evidence from a natural experiment"


@pytest.mark.parametrize("kind", ["RPRT", "Report", "Working Paper", "techreport", "Discussion paper"])
def test_a_working_paper_is_not_the_article_published_from_it(kind):
    """A working paper or report (EconLit's "Working Paper", RIS RPRT, BibTeX techreport) naming no series, and the
    article published from it, of one title and team, were one record: the reviewer saw the working paper or the
    article by chance, though the article's results may differ. They are kept apart and listed, as a preprint and
    its article are; the working paper's own copies still join."""
    article = dict(rec(GIG, journal="Management Science", volume="65", pages="1234-1250", year=2019,
                       source_db="scopus"), type="JOUR")
    paper = dict(rec(GIG, journal=None, year=2018, source_db="econlit"), type=kind)
    out, review = find_duplicates_with_review(pd.DataFrame([paper, article], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a preprint or working paper and a record not marked as one" in review["reason"].iloc[0]
    assert groups(paper, dict(article, volume=None, pages=None, year=2018)) == [1, 2]
    assert groups(paper, dict(paper, source_db="repec")) == [1, 1]


@pytest.mark.parametrize("title", ["Infographic: " + LETTER_TO, LETTER_TO + " [Infographic]",
                                   "Visual abstract: " + LETTER_TO, LETTER_TO + ": visual abstract",
                                   "Video abstract: " + LETTER_TO, "Podcast: " + LETTER_TO, LETTER_TO + " (Podcast)",
                                   LETTER_TO + " [Supplement]", LETTER_TO + " (Supplementary)",
                                   "Supplement to: " + LETTER_TO, "Online supplement: " + LETTER_TO])
def test_the_papers_infographic_podcast_or_supplement_is_not_the_paper(title):
    """A journal's infographic, visual abstract or podcast of a paper, and the paper's supplementary material (a
    repository's copy), carry the paper's title: they were joined with it (titles over 93% alike, the heading set
    off by a colon) and the reviewer saw one of the two by chance. They are kept apart and listed for a person to
    check, as highlights and lay summaries are; their own copies still join."""
    paper = rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468")
    out, review = find_duplicates_with_review(
        pd.DataFrame([paper, rec(title, journal="Addiction", source_db="wos")],
                     index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "about the paper" in review["reason"].iloc[0]
    doi = "10.1111/add.15000"  # a database giving the item its paper's DOI
    assert groups(rec(LETTER_TO, doi=doi), rec(title, doi=doi, source_db="wos")) == [1, 2]
    assert groups(rec(title), rec(title, source_db="wos")) == [1, 1]


@pytest.mark.parametrize("title", ["Supplementary material for " + LETTER_TO, LETTER_TO + " - Supplemental material",
                                   LETTER_TO + " (Supplementary material)"])
def test_the_papers_supplementary_material_is_not_the_paper(title):
    # too unlike the paper's title to be listed; never joined, by title or by the paper's DOI
    assert groups(rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468"),
                  rec(title, journal="Addiction", source_db="figshare")) == [1, 2]
    doi = "10.1111/add.15000"
    assert groups(rec(LETTER_TO, doi=doi), rec(title, doi=doi, source_db="figshare")) == [1, 2]
    assert groups(rec(title), rec(title, source_db="figshare")) == [1, 1]


def test_a_video_or_a_supplement_in_both_titles_is_one_title():
    ta = "Video-assisted thoracoscopic surgery versus open lobectomy for early lung cancer: a randomised trial"
    assert groups(rec(ta), rec(ta.replace("lobectomy", "lobectomie"), source_db="embase")) == [1, 1]
    tb = "Supplementary vitamin D in older adults with osteoporosis: a randomised trial in general practice"
    assert groups(rec(tb), rec(tb.replace("osteoporosis", "osteoporosys"), source_db="embase")) == [1, 1]



@pytest.mark.parametrize("tail", [" (Poster)", " [Poster]", " (Poster presentation)", " (Oral presentation)",
                                  " (e-Poster)"])
def test_a_poster_marked_after_its_title_is_a_conference_abstract(tail):
    """"<title> (Poster)" was joined with the full paper, where "Poster: <title>" is a conference abstract, kept
    apart from the paper and listed: the mark after the title says the same as the heading before it."""
    assert form_head(PREP + tail) == ("oral" if "Oral" in tail else "poster", PREP)
    abstract = dict(_abstract(PREP + tail), journal=None, volume=None, issue=None)
    article = rec(PREP, authors=("Jones, Darnell", "Sullivan, Patrick S"), journal="AIDS and Behavior", volume="23",
                  issue="3", pages="812-823", year=2019)
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a conference abstract and a full paper" in review["reason"].iloc[0]
    # the same abstract headed in one database and marked after its title in another is one abstract
    head = "Poster: " if "Oral" not in tail else "Oral presentation: "
    assert groups(_abstract(PREP + tail), dict(_abstract(head + PREP), source_db="wos")) == [1, 1]


def test_a_study_whose_title_ends_in_a_bracketed_poster_word_keeps_it():
    # too short once cut: the words stay the title
    assert form_head("Posters in clinics (Poster)") is None


@pytest.mark.parametrize("title", ["Comment on " + LETTER_TO, "Comment on: " + LETTER_TO, "Comments on " + LETTER_TO,
                                   "Reply to comment on " + LETTER_TO, "Response to: " + LETTER_TO,
                                   "Response to " + LETTER_TO, "Reply to: " + LETTER_TO,
                                   "Authors' reply to comment on " + LETTER_TO, "Response to comment on " + LETTER_TO,
                                   "Reply to the comment on " + LETTER_TO, LETTER_TO + " [Comment]",
                                   LETTER_TO + " (Reply)"])
def test_a_comment_or_a_reply_on_the_paper_is_never_the_paper(title):
    """A comment on a paper and the reply to it carry the paper's title; neither joins the paper, at its place, by
    its DOI or by title alone, and a comment and the reply to that comment are two items."""
    paper = rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468")
    item = rec(title, authors=(), journal="Addiction", source_db="wos")
    assert groups(paper, item) == [1, 2]
    assert groups(paper, dict(item, volume="115", pages="456-468")) == [1, 2]
    doi = "10.1111/add.15000"
    assert groups(rec(LETTER_TO, doi=doi), dict(item, doi=doi)) == [1, 2]
    assert groups(rec(LETTER_TO), rec(title, source_db="wos")) == [1, 2]
    assert groups(item, dict(item, source_db="embase")) == [1, 1]
    if title.lower().startswith("comment on"):
        assert groups(item, rec("Reply to c" + title[1:], authors=(), journal="Addiction")) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("Trastuzumab deruxtecan in HER2-positive metastatic breast cancer",
     "Trastuzumab deruxtecan in HER2+ metastatic breast cancer"),
    ("Trastuzumab deruxtecan in HER2 positive metastatic breast cancer",
     "Trastuzumab deruxtecan in HER2(+) metastatic breast cancer"),
    ("Outcomes of HER2-negative metastatic breast cancer in older women",
     "Outcomes of HER2- metastatic breast cancer in older women"),
    ("ER-positive/PR-positive breast cancer outcomes in elderly women",
     "ER+/PR+ breast cancer outcomes in elderly women"),
    ("CD4-positive T cell counts after antiretroviral therapy in Uganda",
     "CD4+ T cell counts after antiretroviral therapy in Uganda"),
    ("HER2-positive breast cancer", "HER2+ breast cancer"),
    ("Outcomes of HER2(-) metastatic breast cancer in older women",
     "Outcomes of HER2-negative metastatic breast cancer in older women"),
    ("CD4(-) T cells", "CD4-negative T cells"),
])
def test_a_markers_sign_written_as_a_word_is_one_title(ta, tb):
    """"HER2+" and "HER2-positive", "HER2-" and "HER2-negative" are the same words: one paper so written in two
    databases (no place to confirm it) was two records, 'plus' in one title only telling them apart."""
    assert groups(rec(ta), rec(tb, source_db="embase")) == [1, 1]
    # the other sign is still another study
    other = tb.replace("+", "-") if "+" in tb else tb.replace("-", "+", 1)
    assert groups(rec(ta), rec(other, source_db="embase")) == [1, 2]



@pytest.mark.parametrize("ta, tb", [
    ("Renal HCO<sub>3</sub><sup>-</sup> reabsorption in chronic metabolic acidosis in children",
     "Renal HCO3- reabsorption in chronic metabolic acidosis in children"),
    ("Ca<sup>2+</sup> signalling in cardiomyocytes after myocardial infarction",
     "Ca2+ signalling in cardiomyocytes after myocardial infarction"),
])
def test_an_ions_charge_in_markup_or_plain_is_one_title(ta, tb):
    assert groups(rec(ta), rec(tb, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [("Sleep & cognition in ageing", "Sleep and cognition in ageing"),
                                    ("Alcohol &amp; tobacco", "Alcohol and tobacco")])
def test_an_ampersand_between_words_is_the_word_and(ta, tb):
    """A short title is matched exactly: "Sleep & cognition" was not "Sleep and cognition" (journals write '&',
    MEDLINE 'and')."""
    assert groups(rec(ta), rec(tb, source_db="medline")) == [1, 1]
    assert groups(rec(ta), rec(ta.replace("&amp;", "or").replace("&", "or"), source_db="medline")) == [1, 2]


@pytest.mark.parametrize("ta, tb", [("Q&A: sepsis", "Q & A: sepsis"), ("R&D in nursing", "R &amp; D in nursing")])
def test_an_ampersand_between_two_letters_is_one_word_however_spaced(ta, tb):
    """"Q&A" is one word, not "Q and A": a database that spaces it ("Q & A: sepsis") gave a short title, matched
    exactly, another key, and the reviewer screened the one record twice."""
    assert groups(rec(ta), rec(tb, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [("Leukaemia in children", "Leukemia in children"),
                                    ("Paediatric oesophageal tumour behaviour", "Pediatric esophageal tumor behavior"),
                                    ("Randomised trial of paediatric anaesthesia",
                                     "Randomized trial of pediatric anesthesia"),
                                    ("Ageing & behaviour", "Aging and behavior")])
def test_a_short_title_in_british_spelling_is_its_american_copy(ta, tb):
    """A title under four words is matched exactly, and several British words keep a short one under the fuzzy
    threshold: "Leukaemia in children" and "Leukemia in children" (no place to confirm them) were two records. A
    British word is read the American way; other words still tell two titles apart."""
    assert groups(rec(ta), rec(tb, source_db="embase")) == [1, 1]
    assert groups(rec(ta), rec(tb.replace("children", "adults").replace("behavio", "cogni").replace("trial", "review")
                               .replace("Pediatric", "Adult"), source_db="embase")) == [1, 2]


@pytest.mark.parametrize("kind", ["UNPB", "Unpublished work", "unpublished"])
@pytest.mark.parametrize("title", ["Preprint: " + COVID, COVID + " [Preprint]"])
def test_two_copies_of_an_unpublished_preprint_are_one_record(kind, title):
    """A preprint marked only in its title ("Preprint: <title>") and its copy without the mark, both exported as
    unpublished work (RIS UNPB) under a place that names no known server, were kept apart as 'a preprint and a record
    not marked as one': the reviewer screened the preprint twice. An unpublished work is a preprint, so its two copies
    are one record; beside the journal article published from it, it stays a record of its own."""
    marked = dict(rec(title, journal="Zenodo", year=2021, source_db="scholar"), type=kind)
    plain = dict(rec(COVID, journal="Zenodo", year=2021, source_db="zotero"), type=kind)
    assert groups(marked, plain) == [1, 1]
    assert groups(marked, dict(plain, journal=None)) == [1, 1]
    article = dict(rec(COVID, journal="Journal of Anxiety Disorders", volume="85", pages="102510", year=2021,
                       source_db="scopus"), type="Article")
    assert groups(plain, article) == [1, 2]
    assert groups(dict(plain, journal=None), article) == [1, 2]


@pytest.mark.parametrize("ta, tb", [
    ("{} (Infographic)", "Infographic: {}"),
    ("Visual abstract: {}", "{} [visual abstract]"),
    ("Podcast: {}", "{} (podcast)"),
    ("{} - Podcast", "{} [Podcast]"),
])
def test_an_infographic_marked_before_or_after_the_title_is_one_item(ta, tb):
    """The journal's infographic of a paper, marked "<title> (Infographic)" in one database and "Infographic: <title>"
    in another, was two records, one screened twice, as were a visual abstract and a podcast in two notations. The two
    notations of one item are one record; beside the paper, each stays a record of its own (listed for review)."""
    a, b = rec(ta.format(COVID)), rec(tb.format(COVID), source_db="embase")
    assert groups(a, b) == [1, 1]
    paper = rec(COVID, source_db="scopus")
    assert groups(a, paper) == [1, 2]
    assert groups(b, paper) == [1, 2]
    assert groups(a, b, paper) == [1, 1, 3]


ANNUAL = "Annual report of the national sentinel stroke audit for England, Wales and Northern Ireland"


def test_two_years_of_an_annual_report_are_two_editions():
    """An annual report keeps its title every year. The 2019 and the 2020 edition, without journal or place, were
    one record at 'years 2019 and 2020 (online-first vs print year)', and the reviewer never saw one edition. Two
    years of a yearly report are two records, listed for review; the same edition's copies, or copies a DOI or a
    place confirms, are still one."""
    rcp = ("Royal College of Physicians",)
    a = rec(ANNUAL, year=2019, journal=None, authors=rcp)
    b = rec(ANNUAL, year=2020, journal=None, authors=rcp, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert review["reason"].tolist() == ["same title, but two years' editions of a yearly report or meeting (2019 and "
                                         "2020)"]
    assert groups(a, dict(b, year=2019)) == [1, 1]
    doi = "10.1016/j.stroke.2019.12345"
    assert groups(dict(a, doi=doi), dict(b, doi=doi)) == [1, 1]
    assert groups(dict(a, journal="Clinical Medicine", volume="19", pages="10-20"),
                  dict(b, journal="Clinical Medicine", volume="19", pages="10-20")) == [1, 1]


@pytest.mark.parametrize("kind", ["Poster", "Conference Poster", "Conference Presentation", "SLIDE", "Slide"])
def test_a_poster_by_its_type_is_not_the_full_paper(kind):
    """A poster or a meeting's slides, typed so by their export ("Poster", RIS SLIDE) but not titled "Poster: ...",
    were joined with the full paper of the same title and year (11 pages), so the reviewer screened the poster in the
    paper's stead. They are a meeting's item, as a "Conference Abstract" is: kept apart from the full paper and listed;
    the poster's copy typed as a conference abstract still joins it."""
    poster = dict(rec(PSA, year=2020, journal=None, authors=("Mease, Philip J",), source_db="zotero"), type=kind)
    paper = dict(rec(PSA, year=2020, journal="Annals of the Rheumatic Diseases", volume="79", pages="100-110",
                     authors=("Mease, P. J.",)), type="Article")
    out, review = find_duplicates_with_review(pd.DataFrame([poster, paper], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "a conference abstract and a full paper (11 pages)" in review["reason"].iloc[0]
    abstract = dict(rec(PSA, year=2020, journal="Annals of the Rheumatic Diseases", volume="79", issue="Suppl 1",
                        pages="123", authors=("Mease, Philip J",)), type="Conference Abstract", source_db="embase")
    assert groups(poster, abstract) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Supplement to: {}", "{} [Supplement]"),
    ("Highlights: {}", "{} (Highlights)"),
    ("Lay summary: {}", "{} (lay summary)"),
    ("Plain language summary: {}", "{} (Plain Language Summary)"),
    ("Commentary: {}", "{} - commentary"),
    ("Editorial: {}", "{} (editorial)"),
    ("Correction: {}", "{} (Correction)"),
])
def test_a_note_about_a_paper_marked_before_or_after_the_title_is_one_item(ta, tb):
    """A paper's lay summary, highlights, supplement, commentary, editorial or correction, marked before the paper's
    title in one export and after it in another, was two records and screened twice. The two notations are one
    record; beside the paper each stays a record of its own."""
    a, b = rec(ta.format(COVID)), rec(tb.format(COVID), source_db="embase")
    assert groups(a, b) == [1, 1]
    assert groups(a, b, rec(COVID, source_db="scopus")) == [1, 1, 3]


def test_a_number_that_repeats_another_is_still_a_number():
    """Two abstracts of one author on one page of a meeting's supplement, "... HER2-positive ...: the phase 2 trial"
    and "...: the phase 3 trial", were one record: the numbers were compared as sets, and {2} (the 2 of HER2 and of
    phase 2) lies within {2, 3}, as a cut title's numbers lie within the full title's. Counted, "2" twice is not
    "2" and "3"; the cut title still meets the full one at its place."""
    title = "Trastuzumab deruxtecan in HER2-positive metastatic breast cancer: results of the phase {} randomised trial"
    place = dict(journal="Annals of Oncology", volume="30", issue="Suppl 5", pages="v123")
    a = dict(rec(title.format(2), **place), type="Conference Abstract")
    b = dict(rec(title.format(3), **place, source_db="embase"), type="Conference Abstract")
    assert groups(a, b) == [1, 2]
    cut = dict(b, title=title.split(":")[0])
    assert groups(a, cut) == [1, 1]


@pytest.mark.parametrize("a, b", [("HFrEF", "HFpEF"), ("HFrEF", "HFmrEF"), ("SCLC", "NSCLC"), ("STEMI", "NSTEMI"),
                                  ("dMMR", "pMMR"), ("MRSA", "MSSA"), ("RA", "PsA"), ("UC", "CD"), ("AD", "PD")])
def test_one_abbreviation_in_place_of_a_like_one_is_another_population(a, b):
    """"... in patients with HFrEF" and "... in patients with HFpEF" (reduced and preserved ejection fraction), or
    "SCLC" and "NSCLC", differ in one letter, which fuzzy matching read as a typo: the two trials were one record and
    one was never screened. An abbreviation as written (two capitals or more) in place of a like one keeps them apart,
    listed for review; the same abbreviation in other capitals, or its plural, still meets."""
    title = "Efficacy and safety of dapagliflozin in patients with {}: a multicentre randomised controlled trial"
    records = [rec(title.format(a)), rec(title.format(b), source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert f"'{a}' and '{b}'" in review["reason"].iloc[0]
    assert groups(rec(title.format(a)), rec(title.format(a.upper()), source_db="embase")) == [1, 1]
    assert groups(rec(title.format(a + "s")), rec(title.format(a), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Low-dose CT screening for lung cancer in smokers aged 50 to 74 years: results of a national cohort",
     "Low-dose CT screening for lung cancer in never smokers aged 50 to 74 years: results of a national cohort"),
    ("Sacituzumab govitecan in triple-negative metastatic breast cancer: updated survival of a phase 3 trial",
     "Sacituzumab govitecan in HR-positive metastatic breast cancer: updated survival of a phase 3 trial"),
])
def test_two_abstracts_of_one_author_on_one_supplement_page_are_two(ta, tb):
    """A meeting's supplement prints several abstracts on one page. Two of one author there, whose titles differ by a
    word put in ("never smokers") or in place of another ("triple-negative" / "HR-positive"), were joined on the place
    as one abstract. Such a word now keeps them apart on a supplement's page, listed for review; a copy with a typo
    is still one abstract."""
    place = dict(journal="Journal of Thoracic Oncology", volume="14", issue="10 Suppl", pages="S123")
    a = dict(rec(ta, **place), type="Conference Abstract")
    b = dict(rec(tb, **place, source_db="embase"), type="Conference Abstract")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "on one page of a meeting's supplement" in review["reason"].iloc[0]
    assert groups(a, dict(a, title=ta.replace("cancer", "cnacer"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title", [
    "Abstracts of the annual meeting of the European Society for Paediatric Research",
    "Proceedings of the annual scientific meeting of the British Society for Rheumatology",
    "Annual review of the national clinical audit of stroke services in Scotland",
])
def test_two_years_of_an_annual_meeting_or_review_are_two_editions(title):
    """A yearly meeting's proceedings and a yearly review keep their title too: the 2019 and the 2020 edition were one
    record, one year's abstracts never screened. They are two records, listed; one year's copies still join."""
    a = rec(title, year=2019, journal=None, authors=("Anonymous",))
    b = rec(title, year=2020, journal=None, authors=("Anonymous",), source_db="embase")
    assert groups(a, b) == [1, 2]
    assert groups(a, dict(b, year=2019)) == [1, 1]


@pytest.mark.parametrize("xa, xb", [("women", "postmenopausal women"), ("EGFR-mutant", "EGFR wild-type"),
                                    ("untreated", "previously treated")])
def test_alike_abstracts_of_one_author_on_one_supplement_page_are_two(xa, xb):
    """Titles alike enough for fuzzy matching, one word put in or in place of another ("women" / "postmenopausal
    women", "EGFR-mutant" / "EGFR wild-type"), were joined when the place confirmed them, and on a page of a meeting's
    supplement that holds several abstracts the place confirms nothing. They stay apart there and are listed; a copy
    with a typo still joins."""
    title = "Osimertinib in {} patients with advanced lung adenocarcinoma: results of a national cohort"
    place = dict(journal="Journal of Thoracic Oncology", volume="14", issue="10 Suppl", pages="S123")
    a = dict(rec(title.format(xa), **place), type="Conference Abstract")
    b = dict(rec(title.format(xb), **place, source_db="embase"), type="Conference Abstract")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1
    assert groups(a, dict(a, title=title.format(xa).replace("cohort", "cohrot"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("a, b", [("CAR-T", "CART"), ("CAR T", "CART"), ("NF-kB", "NFkB"), ("ACE-I", "ACEI")])
def test_one_abbreviation_written_whole_or_split_is_one(a, b):
    """One database writes "CAR-T", "NF-kB" or "ACE-I", another "CART", "NFkB" or "ACEI": the same abbreviation, read
    as "CAR" beside "CART" (two abbreviations alike but not one), kept the copies apart and the reviewer screened one
    trial twice. An abbreviation split by a hyphen or a space is the same one written whole."""
    title = "Efficacy and safety of {} in patients with relapsed lymphoma: a multicentre randomised controlled trial"
    assert groups(rec(title.format(a)), rec(title.format(b), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title", ["Global tuberculosis report", "World malaria report", "World health statistics",
                                   "Global status report on road safety"])
def test_two_years_of_a_world_report_without_the_word_annual_are_two_editions(title):
    """WHO's "Global tuberculosis report" or "World malaria report" comes out every year under one title without
    saying "annual": the 2019 and 2020 editions were one record and one was never screened. They are two records,
    listed for review as an annual report's are; one year's copies still join."""
    who = ("World Health Organization",)
    a = rec(title, year=2019, journal=None, authors=who)
    b = rec(title, year=2020, journal=None, authors=who, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "two years' editions of a yearly report" in review["reason"].iloc[0]
    assert groups(a, dict(b, year=2019)) == [1, 1]


@pytest.mark.parametrize("title", [
    "Global burden of tuberculosis reported by national programmes: a systematic analysis of surveillance data",
    "National trends in diabetes statistics",
])
def test_a_paper_on_a_world_report_is_not_an_edition(title):
    """A paper whose title only begins like a world report is one paper: its online-first and print years join."""
    a = rec(title, year=2019, journal=None)
    assert groups(a, dict(a, year=2020, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("kind", ["GRANT", "Grant", "VIDEO", "Video recording", "SOUND", "Sound recording", "MPCT",
                                  "ADVS"])
def test_a_grant_or_a_recording_is_not_the_paper_of_its_title(kind):
    """A grant (RIS GRANT) or a video or sound recording (RIS VIDEO, SOUND, MPCT, ADVS) may carry the title of the
    study it funds or presents: it was joined to the paper as one record, and the reviewer screened the grant or the
    video in the paper's stead. It is another record, listed for review; its own copies still join."""
    paper = dict(rec(SPIDERS, journal="Journal of Thermal Biology", volume="91", pages="102612"), type="JOUR")
    item = dict(rec(SPIDERS, journal=None, source_db="nih reporter"), type=kind)
    out, review = find_duplicates_with_review(pd.DataFrame([paper, item], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "not typed as one" in review["reason"].iloc[0]
    assert groups(item, dict(item, source_db="other")) == [1, 1]


@pytest.mark.parametrize("xa, xb", [("ALK-positive", "ROS1-positive"), ("ALK-rearranged", "ROS1-rearranged"),
                                    ("ROS1-positive", "ALK-positive")])
def test_abstracts_on_one_supplement_page_on_two_markers_are_two(xa, xb):
    """Two abstracts of one author on one page of a meeting's supplement, one in "ALK-positive" and one in
    "ROS1-positive" patients, were one record: the marker with a digit was no word to tell them apart, and the
    reviewer never saw one of the two. Another marker in place of one there is another abstract, listed for review;
    the copy that writes the marker in other capitals or hyphens still joins."""
    title = "Crizotinib in {} advanced non-small cell lung cancer: a multicentre real-world cohort"
    place = dict(journal="Journal of Thoracic Oncology", volume="14", issue="10 Suppl", pages="S123")
    a = dict(rec(title.format(xa), **place), type="Conference Abstract")
    b = dict(rec(title.format(xb), **place, source_db="embase"), type="Conference Abstract")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "on one page of a meeting's supplement" in review["reason"].iloc[0]
    copy = dict(a, title=title.format(xa.replace("-", " ").replace("ROS1", "ROS-1")), source_db="embase")
    assert groups(a, copy) == [1, 1]
    pdl1 = dict(a, title=title.format("PD-L1-positive"))
    assert groups(pdl1, dict(pdl1, title=title.format("PDL-1-positive"), source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title", [LETTER_TO + " (Addendum)", LETTER_TO + " [Addendum]", LETTER_TO + ": addendum"])
def test_an_addendum_marked_before_or_after_the_title_is_one_record(title):
    """One addendum, "Addendum: <title>" in one export and "<title> (Addendum)" in another, was two records and the
    reviewer screened it twice. Its two notations are one record; beside the paper it stays apart."""
    assert groups(rec("Addendum: " + LETTER_TO), rec(title, source_db="wos")) == [1, 1]
    paper = rec(LETTER_TO, journal="Addiction", volume="115", pages="456-468")
    assert groups(paper, rec("Addendum: " + LETTER_TO, source_db="wos"), rec(title, source_db="embase")) == [1, 2, 2]


@pytest.mark.parametrize("a, b", [("non-smokers", "nonsmokers"), ("non-inferiority", "noninferiority"),
                                  ("anti-inflammatory", "antiinflammatory"), ("un-treated", "untreated")])
def test_a_prefix_written_with_a_hyphen_or_joined_is_one_word(a, b):
    """One database writes "non-smokers", another "nonsmokers": read as "non" in one title only, or "smokers" in
    place of "nonsmokers", the copies of one trial were kept apart and the reviewer screened it twice. A prefix
    written apart is the word written joined; "smokers" and "non-smokers" stay two populations."""
    title = "Aspirin for {} in women at risk: a multicentre randomised controlled trial of outcomes"
    assert groups(rec(title.format(a)), rec(title.format(b), source_db="embase")) == [1, 1]
    plain = b.replace(a.split("-")[0], "", 1)
    assert groups(rec(title.format(plain)), rec(title.format(a), source_db="embase")) == [1, 2]
    assert groups(rec(title.format(plain)), rec(title.format(b), source_db="embase")) == [1, 2]


@pytest.mark.parametrize("field, pages", [("pages", "512"), ("pages", "512-520"), ("doi", "10.1136/bmj.d1")])
def test_a_prefix_written_with_a_hyphen_or_joined_is_one_word_in_british_spelling(field, pages):
    """"non-randomised" in one database, "nonrandomised" in another: the American spelling was read for the word
    alone, not after the prefix, so "non" counted as a negation in one title only and one trial's copies under one
    DOI were listed for review instead of joined."""
    title = "A {} trial of pulmonary rehabilitation in older adults with COPD"
    a = dict(rec(title.format("non-randomised"), journal="BMJ", volume="343", pages="512-520"), doi="10.1136/bmj.d1")
    b = rec(title.format("nonrandomised"), journal="BMJ", source_db="embase",
            **({"volume": "343", "pages": pages} if field == "pages" else {"doi": pages}))
    assert groups(a, b) == [1, 1]
    assert groups(a, dict(b, title=title.format("nonrandomized"))) == [1, 1]
    if pages != "512-520":  # the same page range on both confirms a title a database gave another way
        assert groups(a, dict(b, title=title.format("randomised"))) == [1, 2]


@pytest.mark.parametrize("field, pages", [("pages", "512"), ("pages", "512-520"), ("doi", "10.1136/bmj.d1")])
def test_a_prefix_written_apart_beside_the_joined_word_with_another_ending_is_one_word(field, pages):
    """"non-pharmacological" in one database, "nonpharmacologic" in another: "non" counted as a negation in one
    title only, and one trial's copies under one DOI or at one place were listed for review instead of joined."""
    title = "A {} intervention for agitation in nursing home residents with dementia: a cluster trial"
    a = dict(rec(title.format("non-pharmacological"), journal="BMJ", volume="343", pages="512-520"),
             doi="10.1136/bmj.d1")
    b = rec(title.format("nonpharmacologic"), journal="BMJ", source_db="embase",
            **({"volume": "343", "pages": pages} if field == "pages" else {"doi": pages}))
    assert groups(a, b) == [1, 1]
    if pages != "512-520":  # the same page range on both confirms a title a database gave another way
        assert groups(a, dict(b, title=title.format("pharmacologic"))) == [1, 2]


def test_a_negation_added_beside_a_word_that_begins_with_non_is_still_a_negation():
    # "nonagenarians" is no "non" joined to a word the other title writes apart: the "No" is added
    assert word_in_place("no effect of vitamin d on falls in nonagenarians",
                         "effect of vitamin d on falls in nonagenarian", turned_only=True) == "'no' in one title only"
    # a "no" added beside a prefix written joined, and two negations of two different things, are still listed
    assert word_in_place("no effect of non drug care on falls in care homes",
                         "effect of nondrug care on falls in care homes", turned_only=True) == "'no' in one title only"
    assert word_in_place("lack of benefit of aspirin in patients with diabetes",
                         "benefit of aspirin in absence of diabetes", turned_only=True) == "'lack' in one title only"


@pytest.mark.parametrize("title", [
    "Do the annual reports of hospitals reflect the quality of their care? A cross-sectional study",
    "Attendance at the annual review among young people with type 1 diabetes: a retrospective cohort study",
])
def test_a_study_of_annual_reports_is_one_paper_dated_twice(title):
    """A study whose title names annual reports or reviews, with a design of its own ("a cross-sectional study"), is
    one paper: its online-first and print years, a year apart, were two editions of a yearly report, and the
    reviewer screened it twice. Its copies join; an annual report's two years stay apart."""
    a = rec(title, year=2019, journal=None)
    assert groups(a, dict(a, year=2020, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("words", ["HER2 positive/negative", "HER2-positive/negative", "HER2 negative / positive"])
def test_either_status_in_words_is_the_plus_minus_sign(words):
    """"HER2 positive/negative" is "HER2+/-" in words: it was read as "HER2+" beside the "+/-" copy, and the copies of
    one trial were kept apart and screened twice. It is the "+/-" sign: it meets "HER2+/-" and still never "HER2+"."""
    title = "Trastuzumab deruxtecan in {} metastatic breast cancer: a phase 2 randomised trial"
    assert tuple(k + s for k, s, _ in marker_signs(title.format(words))) == ("her2+/-",)
    a = rec(title.format(words))
    assert groups(a, rec(title.format("HER2+/-"), source_db="embase")) == [1, 1]
    assert groups(a, rec(title.format("HER2-positive"), source_db="embase")) == [1, 2]
    assert groups(a, rec(title.format("HER2-negative"), source_db="embase")) == [1, 2]


@pytest.mark.parametrize("mark", ["...", "\u2026"])
def test_a_title_cut_inside_its_last_abbreviation_is_the_full_title(mark):
    """A list that cuts a long title short may cut its last abbreviation ("... in elderly patients with NSC..."):
    "NSC" beside the full title's "NSCLC" read as two alike abbreviations, and the copies of one paper, even at one
    volume and page, were kept apart and screened twice. An abbreviation the cut mark ends is no abbreviation."""
    full = ("Long-term outcomes of stereotactic body radiotherapy versus surgery for early-stage operable disease in "
            "elderly patients with NSCLC")
    cut = full[:-2] + mark
    assert groups(rec(full), rec(cut, source_db="embase")) == [1, 1]
    place = dict(volume="12", pages="100-110")
    assert groups(rec(full, **place), rec(cut, **place, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("a, b", [("HFrEF", "HFpEF"), ("SCLC", "NSCLC"), ("RA", "PsA"), ("dMMR", "pMMR")])
def test_a_like_abbreviation_in_a_title_in_capitals_is_another_population(a, b):
    """A database that stores titles in capitals writes every word as an abbreviation, so "HFPEF" was not read as
    one and the "... IN HFPEF" trial was joined with the "... in HFrEF" trial of its title: one was never screened.
    A word of the title in capitals that the other title lacks, alike to an abbreviation of the other, keeps them
    apart, listed; the same title in capitals, or one spelling out the abbreviation, still joins."""
    title = "Efficacy and safety of dapagliflozin in patients with {}: a multicentre randomised controlled trial"
    records = [rec(title.format(a)), rec(title.format(b).upper(), source_db="cinahl")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1
    assert groups(rec(title.format(a)), rec(title.format(a).upper(), source_db="cinahl")) == [1, 1]
    spelt = rec(title.format("ulcerative colitis (UC)"))
    assert groups(spelt, rec(title.format("ulcerative colitis").upper(), source_db="cinahl")) == [1, 1]


@pytest.mark.parametrize("tb", ["{}. Infographic", "{}. Visual abstract"])
def test_an_item_marked_after_a_full_stop_is_the_item_marked_before(tb):
    """"<title>. Infographic" (the mark after a full stop) was not read as the item's mark, so it and "Infographic:
    <title>" were two records and one item was screened twice. The full stop sets the mark off as a colon does; beside
    the paper the item stays apart."""
    item = tb.split(". ")[1]
    a, b = rec(f"{item}: {COVID}"), rec(tb.format(COVID), source_db="embase")
    assert groups(a, b) == [1, 1]
    assert groups(b, rec(COVID, source_db="scopus")) == [1, 2]


@pytest.mark.parametrize("a, b", [("US", "USA"), ("USA", "US")])
def test_one_country_written_short_two_ways_is_one_title(a, b):
    """"... among adults in the US" and "... in the USA" are copies of one survey: read as two like abbreviations
    ("'US' and 'USA'"), they were kept apart and the survey screened twice. A country is no population an
    abbreviation names; "US" and "UK", two countries, stay apart, listed for review."""
    title = "Prevalence of obesity among adults in the {}: a nationally representative cross-sectional survey of trends"
    assert groups(rec(title.format(a)), rec(title.format(b), source_db="embase")) == [1, 1]
    records = [rec(title.format(a)), rec(title.format("UK"), source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert f"'{a}' and 'UK'".lower() in review["reason"].iloc[0].lower()


@pytest.mark.parametrize("words", ["EGFR-mutant", "EGFR-mutated", "EGFR mutant"])
def test_a_mutation_written_short_with_m_is_the_mutant_in_words(words):
    """"EGFRm" is "EGFR-mutant" written short: the copies of one trial, one saying "EGFRm" and one "EGFR-mutant", were
    read as the like abbreviations "EGFRm" and "EGFR" and screened twice. They are one record; "EGFRm" beside plain
    "EGFR" (mutant beside unselected patients, maybe two populations) stays apart, listed for review."""
    title = ("Efficacy and safety of osimertinib in patients with {} advanced lung adenocarcinoma: a multicentre "
             "randomised trial")
    assert groups(rec(title.format("EGFRm")), rec(title.format(words), source_db="embase")) == [1, 1]
    records = [rec(title.format("EGFRm")), rec(title.format("EGFR"), source_db="embase")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "'EGFRm' and 'EGFR'" in review["reason"].iloc[0]


@pytest.mark.parametrize("ta, tb", [("Erratum: {}", "{} (Correction)"), ("Erratum: {}", "Correction to: {}"),
                                    ("Corrigendum to: {}", "Correction: {}"), ("Erratum to: {}", "{} (Erratum)")])
def test_one_correction_called_erratum_or_correction_is_one_notice(ta, tb):
    """One correction, "Erratum: <title>" in one export and "<title> (Correction)" or "Correction to: <title>" in
    another, was two records (read as 'erratum' before one title only) and screened twice. An erratum, corrigendum and
    correction of one paper in two notations are one record; beside the paper it stays a record of its own."""
    a, b = rec(ta.format(COVID)), rec(tb.format(COVID), source_db="embase")
    assert groups(a, b) == [1, 1]
    assert groups(a, b, rec(COVID, source_db="scopus")) == [1, 1, 3]
    assert groups(rec(COVID), rec("Author correction: " + COVID, source_db="embase"), b) == [1, 2, 3]


@pytest.mark.parametrize("a, b", [("HFrEF", "HFpEF"), ("SCLC", "NSCLC"), ("RA", "PsA"), ("dMMR", "pMMR")])
@pytest.mark.parametrize("case", [str.lower, str.capitalize])
def test_a_like_abbreviation_in_a_title_in_small_letters_is_another_population(a, b, case):
    """A database that stores titles in small letters writes no abbreviation as one, so the "... in patients with
    hfpef" trial was joined with the "... in patients with HFrEF" trial of its title: one was never screened. A word
    of the title in small letters that the other title lacks, alike to an abbreviation of the other, keeps them apart,
    listed; the same title in small letters still joins."""
    title = "Efficacy and safety of dapagliflozin in patients with {}: a multicentre randomised controlled trial"
    records = [rec(title.format(a)), rec(case(title.format(b)), source_db="cinahl")]
    out, review = find_duplicates_with_review(pd.DataFrame(records, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1
    assert groups(rec(title.format(a)), rec(case(title.format(a)), source_db="cinahl")) == [1, 1]


def test_a_little_word_of_a_title_in_small_letters_is_no_abbreviation():
    """A copy in small letters that spells out "(RA)" and says "on" for "of" is the same study: "on" is a word, not an
    abbreviation alike to "RA"."""
    a = rec("Aspirin in patients with rheumatoid arthritis (RA): a cohort study of outcomes")
    b = rec("Aspirin in patients with rheumatoid arthritis: a cohort study on outcomes", source_db="cinahl")
    assert groups(a, b) == [1, 1]


GLIPTIN = "Efficacy of {} in type 2 diabetes: a randomised controlled trial"


@pytest.mark.parametrize("ta, tb", [
    (GLIPTIN.format("sitagliptin"), GLIPTIN.format("saxagliptin")),  # another drug of one class
    (GLIPTIN.format("sitagliptin"), GLIPTIN.format("dapagliflozin")),  # a drug of another class
    ("Sitagliptin versus glimepiride in older adults with type 2 diabetes", "Linagliptin versus glimepiride in older "
     "adults with type 2 diabetes"),
])
def test_one_doi_on_two_titles_naming_two_drugs_is_listed_not_joined(ta, tb):
    """A supplement's abstracts, or a publisher that reused a DOI: "Efficacy of sitagliptin ..." and "Efficacy of
    saxagliptin ..." under one DOI were joined, and one trial was never screened. One drug's name in place of another's
    keeps them apart under one DOI, listed for a person to check."""
    doi = "10.2337/db19-1234"
    a = rec(ta, journal="Diabetes", volume="68", pages="A12", doi=doi)
    b = rec(tb, journal="Diabetes", volume="68", doi=doi, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "same DOI" in review["reason"].iloc[0]
    # one paper under its DOI: the title copied, a letter mistyped, or a subtitle lost, still joins
    assert groups(a, dict(a, source_db="embase", pages=None)) == [1, 1]
    assert groups(a, dict(a, title=ta.replace("diabetes", "diabtees"), source_db="embase")) == [1, 1]
    assert groups(a, dict(a, title=ta.split(":")[0], source_db="embase")) == [1, 1]


@pytest.mark.parametrize("place", [{}, {"volume": "68", "pages": "A12"}])
def test_a_drug_of_the_same_class_is_another_drug_not_a_typo(place):
    """"sitagliptin" / "saxagliptin" are two letters apart, which read as one word mistyped: the two trials were
    joined on their titles alone. Two names of one drug class (the "-gliptin" stem) are two drugs; a letter mistyped
    in one name is still a typo."""
    a = rec(GLIPTIN.format("sitagliptin"), journal="Diabetes", **place)
    out, review = find_duplicates_with_review(pd.DataFrame(
        [a, dict(a, title=GLIPTIN.format("saxagliptin"), source_db="embase")],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "'saxagliptin'" in review["reason"].iloc[0]
    assert groups(a, dict(a, title=GLIPTIN.format("sitaglitpin"), source_db="embase")) == [1, 1]


REVIEW_TITLE = "Dipeptidyl peptidase-4 inhibitors for type 2 diabetes mellitus: a systematic review"
RECYCLED = ("Background: Dipeptidyl peptidase-4 inhibitors are widely used. Methods: We searched MEDLINE, Embase and "
            "CENTRAL for randomised controlled trials comparing the drugs with placebo in adults with type 2 diabetes. "
            "Results: Twenty trials were included. The drugs lowered HbA1c by 0.7 percent compared with placebo "
            "without increasing hypoglycaemia. Conclusions: The drugs are effective and safe in type 2 diabetes.")


@pytest.mark.parametrize("volumes", [(None, None), ("12", None)])
def test_two_editions_of_a_review_in_one_journal_at_two_first_pages_are_two_records(volumes):
    """A review and its next year's edition in one journal, same title, same first author and the abstract recycled:
    their two full page ranges (101-120, 55-74) were taken for one paper reprinted in a book, and the two editions
    joined silently. One journal prints a paper once: two first pages there are two items; a reprint is in a book
    or yearbook, not in the journal again."""
    a = dict(rec(REVIEW_TITLE, year=2017, journal="Diabetes Reviews", volume=volumes[0], pages="101-120"),
             abstract=RECYCLED)
    b = dict(rec(REVIEW_TITLE, year=2018, journal="Diabetes Reviews", volume=volumes[1], pages="55-74",
                 source_db="embase"), abstract=RECYCLED)
    assert groups(a, b) == [1, 2]
    # one edition dated a year apart by two databases, at one first page, is one record
    assert groups(a, dict(b, pages="101-120")) == [1, 1]
    # the article ahead of print, without volume and paged from 1, and its printed copy are one paper
    assert groups(a, dict(b, volume=None, pages="1-20")) == [1, 1]
    # a paper reprinted in a yearbook (no volume there) is still one paper
    assert groups(a, dict(b, journal="Year Book of Endocrinology", volume=None)) == [1, 1]


@pytest.mark.parametrize("title", ["Acupuncture for insomnia", "Treatment of depression in older adults"])
@pytest.mark.parametrize("wang", [("Wang, Li", "Wang, Yan"), ("Wang L", "Wang Y"), ("Wang, L.", "Wang, Yan")])
def test_one_surname_with_two_given_names_is_two_authors(title, wang):
    """"Wang, Li" and "Wang, Yan" share a word, "wang", which read as one first author: two papers by two people,
    with one short, generic title in one year, were joined on title and surname alone. One surname with given names
    of other initials is two people; initials or a given name written another way are still one."""
    a = rec(title, authors=(wang[0],), journal=None, year=2015)
    b = rec(title, authors=(wang[1],), journal=None, year=2015, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    # one title and year: listed for a person, who may know one database gave a wrong given name
    assert review["reason"].tolist() == ["same title, but first authors of one surname with other given names "
                                         "(two people?)"]
    for same in ("Wang, Li", "Wang, L.", "Wang L", "Wang LY", "Li Wang", "Wang, Li-Yan"):
        other = rec(title, authors=(same,), journal=None, year=2015, source_db="embase")
        assert groups(rec(title, authors=("Wang, Li",), journal=None, year=2015), other) == [1, 1], same
    # one name whose parts an export put in another order, its surname in the given names' place
    assert groups(rec(title, authors=("Si Hyun Kang, null",), journal=None, year=2015),
                  rec(title, authors=("Kang, S. H.",), journal=None, year=2015, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.2337/db19-1234"), ("pmid", "31234567")])
def test_one_identifier_on_phase_2_and_phase_3_of_one_drug_is_listed_not_joined(field, value):
    """"A phase 2 trial of sitagliptin in type 2 diabetes" and "A phase 3 trial ..." under one DOI or PMID: the
    numbers of the second (2, 3) held the first's (2), which read as a title cut short, and the two trials were
    joined. Counted, the first gives 2 twice and the second once: as at one volume and first page, two trials."""
    recs = [dict(rec("A phase 2 trial of sitagliptin in type 2 diabetes"), **{field: value}),
            dict(rec("A phase 3 trial of sitagliptin in type 2 diabetes", source_db="embase"), **{field: value})]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "titles that differ in their numbers" in review["reason"].iloc[0]
    # a title that lost its "phase 2" under its DOI is still the paper
    assert groups(recs[0], dict(recs[1], title="A trial of sitagliptin in type 2 diabetes")) == [1, 1]


@pytest.mark.parametrize("a, b", [("Iran", "Iraq"), ("Niger", "Nigeria"), ("Gambia", "Zambia"),
                                  ("Slovakia", "Slovenia"), ("Mali", "Malawi")])
@pytest.mark.parametrize("place", [{}, {"volume": "12", "pages": "101"}, {"doi": "10.1186/s12889-019-7001-1"}])
def test_two_countries_alike_in_letters_are_two_surveys(a, b, place):
    """"... among adults in Iran" and "... in Iraq", "in Niger" and "in Nigeria": one letter apart, or one name the
    other's start, which read as a typo or a cut word, and two countries' surveys were joined on their titles, at one
    place or under one DOI. Two country names are two populations; listed for a person where the place or DOI is
    shared."""
    title = "Prevalence of hypertension among adults in {}: a cross-sectional survey"
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(title.format(a), **place), rec(title.format(b), source_db="embase", **place)],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and a.lower() in review["reason"].iloc[0]
    assert groups(rec(title.format(a), **place), rec(title.format(a), source_db="embase", **place)) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Sitagliptin in adolescents with type 2 diabetes: a cohort study",
     "Sitagliptin in older adults with type 2 diabetes: a cohort study"),
    ("Prevalence of hypertension among adults in Kenya", "Prevalence of hypertension among children in Kenya"),
])
def test_one_doi_on_two_populations_of_titles_less_than_near_identical_is_listed_not_joined(ta, tb):
    """Under one DOI, titles 85-93% alike ("in adolescents" / "in older adults") were compared for the words that make
    another study only when near-identical (93%), and two populations' papers were joined. The population words that
    keep near-identical titles apart keep these apart too, listed for a person to check."""
    doi = "10.2337/db19-1234"
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(ta, doi=doi, volume="68", pages="100-108"), rec(tb, doi=doi, source_db="embase")],
        index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "same DOI" in review["reason"].iloc[0]


HF_TRIAL = "Exercise training in heart failure (EXTRA-HF)"


@pytest.mark.parametrize("ta, tb", [
    (HF_TRIAL + ": protocol of a randomised controlled trial", HF_TRIAL + ": results of a randomised controlled trial"),
    (HF_TRIAL + ": study protocol for a randomised controlled trial", HF_TRIAL + ": a randomised controlled trial"),
])
@pytest.mark.parametrize("field, value", [("doi", "10.1186/s13063-019-3001-1"), ("pmid", "31234567")])
def test_one_identifier_on_a_protocol_and_its_results_paper_is_listed_not_joined(ta, tb, field, value):
    """A trial's protocol and its results paper under one DOI or PMID (a database gave one the other's): "protocol"
    in one title only read as a title written two ways, and the results paper was never screened. Listed for a
    person to check; the protocol's title with its subtitle lost is still the protocol."""
    recs = [dict(rec(ta), **{field: value}), dict(rec(tb, source_db="embase"), **{field: value})]
    out, review = find_duplicates_with_review(pd.DataFrame(recs, index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "protocol" in review["reason"].iloc[0]
    assert groups(recs[0], dict(recs[1], title=HF_TRIAL)) == [1, 1]
    # the protocol's title and its translation (a French title, MEDLINE's "[...]") under its DOI are one record
    french = "Entraînement physique dans l'insuffisance cardiaque (EXTRA-HF) : essai contrôlé randomisé"
    assert groups(recs[0], dict(recs[1], title=french)) == [1, 1]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0)])
def test_a_copy_without_doi_joins_the_edition_of_its_year_not_the_one_before(order):
    """Two years' editions of a review under their own DOIs, and a third copy of the 2018 edition without one: the
    copy joined the 2017 edition, a year apart (the first it was compared with), and the 2018 edition stood alone
    with its copy in another group. A copy joins the record of its own year first."""
    old = dict(rec(REVIEW_TITLE, year=2017, doi="10.1016/j.diab.2017.01.004"), abstract=RECYCLED)
    new = dict(rec(REVIEW_TITLE, year=2018, doi="10.1016/j.diab.2018.02.011", source_db="embase"), abstract=RECYCLED)
    copy = dict(rec(REVIEW_TITLE, year=2018, source_db="psycinfo"), abstract=RECYCLED)
    records = [[old, new, copy][k] for k in order]
    out = find_duplicates(pd.DataFrame(records, index=pd.Index([1, 2, 3], name="record_id")))
    gid = dict(zip([id(r) for r in records], out["group_id"]))
    assert gid[id(copy)] == gid[id(new)] != gid[id(old)]


def test_a_contrast_at_one_place_is_said_in_a_whole_sentence():
    """dedup --review said "same volume (21), first page (100) and first author, but 'men' and 'women'": the reviewer
    was left to guess what the two words do."""
    title = "Prevalence of hypertension among {} in rural Kenya: a nationwide cross-sectional survey"
    for a, b in (("men", "women"), ("Austria", "Australia")):
        df = pd.DataFrame([rec(title.format(a), volume="21", pages="100-110"),
                           rec(title.format(b), volume="21", pages="100-110", source_db="embase")],
                          index=pd.Index([1, 2], name="record_id"))
        out, review = find_duplicates_with_review(df)
        assert out["group_id"].tolist() == [1, 2]
        assert review["reason"].tolist() == [f"same volume (21), first page (100) and first author, but '{a.lower()}' "
                                             f"and '{b.lower()}' tell them apart"], review["reason"].tolist()


def review_of(*records) -> tuple[list[int], list[str]]:
    out, review = find_duplicates_with_review(
        pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id")))
    return out["group_id"].tolist(), review["reason"].tolist()


@pytest.mark.parametrize("pages, years", [
    (("1201-1210", "1200-1210"), (2019, 2019)),  # a first page mistyped in one copy
    (("2-11", "101-110"), (2019, 2020)),  # the article ahead of print, paged from 2, and its printed copy
])
def test_one_journal_at_two_first_pages_is_listed_not_kept_apart_silently(pages, years):
    """Since two first pages in one journal are two items (two years' editions of a review), one paper's two copies
    there, a first page mistyped in one or the copy ahead of print paged from 2, were kept apart without a word and
    screened twice. Same title, first author and journal at two first pages is listed for a person to check."""
    a = rec(REVIEW_TITLE, year=years[0], journal="Diabetes Reviews", pages=pages[0])
    b = rec(REVIEW_TITLE, year=years[1], journal="Diabetes Reviews", volume="12", pages=pages[1], source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "one journal at two first pages" in reasons[0], reasons
    assert "a page mistyped?" in reasons[0]
    # nothing to list where nothing tells them apart: the copy ahead of print paged from 1, or one first page
    assert review_of(dict(a, pages="1-10"), b) == ([1, 1], [])
    assert review_of(dict(a, pages=pages[1]), b) == ([1, 1], [])
    # another first author, or another journal, is its own reason, not this one
    assert not any("one journal" in r for r in review_of(a, dict(b, authors=["Brown, Peter"]))[1])
    assert not any("one journal" in r for r in review_of(a, dict(b, journal="Diabetes Care"))[1])
    # two issues of one volume are two issues' items (a column), as elsewhere
    ids, reasons = review_of(dict(a, volume="12", issue="3"), dict(b, issue="5"))
    assert ids == [1, 2] and not any("one journal" in r for r in reasons)


@pytest.mark.parametrize("volumes", [(None, None), ("12", None), ("12", "12")])
def test_two_editions_of_a_review_in_one_journal_are_listed_alike(volumes):
    """The two editions (2017, 101-120; 2018, 55-74) stay two records, and are listed like a mistyped page: from the
    records alone an edition and a page mistyped look the same, and a listed pair costs a look, a silent one a
    record screened twice or never."""
    a = dict(rec(REVIEW_TITLE, year=2017, journal="Diabetes Reviews", volume=volumes[0], pages="101-120"),
             abstract=RECYCLED)
    b = dict(rec(REVIEW_TITLE, year=2018, journal="Diabetes Reviews", volume=volumes[1], pages="55-74",
                 source_db="embase"), abstract=RECYCLED)
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "one journal at two first pages (101 and 55" in reasons[0], reasons


HIP = "Effect of early rehabilitation on {} after hip fracture surgery in older adults"
CARE = "Prevalence and determinants of hypertension among adults in {}: a community-based cross-sectional study"


@pytest.mark.parametrize("field, value", [("doi", "10.1016/j.ijnurstu.2020.103456"), ("pmid", "31234567")])
@pytest.mark.parametrize("ta, tb", [
    (HIP.format("mortality"), HIP.format("hospital admissions")),  # two outcomes: two papers of one trial
    (HIP.format("pain"), HIP.format("mobility")),
    (CARE.format("California"), CARE.format("Texas")),  # two places' surveys
    (CARE.format("New Jersey"), CARE.format("New Mexico")),
    ("Bariatric surgery outcomes in patients with sleeve gastrectomy",
     "Bariatric surgery outcomes in patients with gastric bypass"),
])
def test_one_identifier_on_titles_naming_two_outcomes_or_places_is_listed(field, value, ta, tb):
    """Titles alike but for what follows "on", "in", "among" (the outcome, place or group) under one DOI or PMID were
    joined as one paper: the companion paper, or a DOI a database pasted on the wrong record, was lost from screening.
    They stay two records, listed for a person to check; the same page range on both still says one paper."""
    a = dict(rec(ta, journal="Int J Nurs Stud", volume="110", pages="103456"), **{field: value})
    b = dict(rec(tb, journal="Int J Nurs Stud", source_db="embase"), **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in place of each other" in reasons[0], reasons
    assert groups(dict(a, pages="103456-103470"), dict(b, volume="110", pages="103456-103470")) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1016/j.ijnurstu.2020.103456"), ("pmid", "31234567")])
@pytest.mark.parametrize("x, y, said", [("Rwanda", "Burundi", "'rwanda' and 'burundi'"),
                                        ("the United States", "the United Kingdom", "'usa' and 'uk'")])
def test_one_identifier_on_titles_naming_two_countries_is_listed_even_at_one_page_range(field, value, x, y, said):
    """Two countries' surveys under one DOI or PMID stay two records and are listed, as "Kenya" / "Uganda" always
    were: a country's name is no word a database rewrites, so one page range says a place or title mistyped, not one
    paper (the pair was joined there when the country was not in a list, or had two words)."""
    a = dict(rec(CARE.format(x), journal="Int J Nurs Stud", volume="110", pages="103456"), **{field: value})
    b = dict(rec(CARE.format(y), journal="Int J Nurs Stud", source_db="embase"), **{field: value})
    for b_place in ({}, {"volume": "110", "pages": "103456-103470"}):
        ids, reasons = review_of(dict(a, pages="103456-103470") if b_place else a, dict(b, **b_place))
        assert ids == [1, 2]
        assert len(reasons) == 1 and said in reasons[0], reasons


@pytest.mark.parametrize("tb", [
    FASTING.format("improves"),  # a verb reworded: the DOI says one paper
    "Intermittent fasting increases insulin sensitivity in overweight adults with pre-diabetes",
    "Intermittent fasting increases insulin sensitivity in over-weight adults with prediabetes",
])
def test_one_identifier_on_a_title_reworded_or_spelled_otherwise_still_joins(tb):
    doi = "10.2337/dc19-1234"
    a = rec(FASTING.format("increases"), journal="Diabetes Care", volume="43", pages="512-520", doi=doi)
    assert groups(a, rec(tb, journal="Diabetes Care", doi=doi, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("title", [
    "Abstracts from the European Society for Medical Oncology congress",
    "Proceedings of the European Society for Medical Oncology congress",
    "ESMO Congress abstract book",
    "Selected abstracts of the World Congress of Cardiology",
])
def test_two_years_of_a_meeting_abstract_book_at_page_one_are_two_editions(title):
    """A meeting's abstract book keeps its title every year and starts its supplement on page 1: the 2019 book (volume
    30) and the 2020 book (no volume yet) were one record, a year's abstracts never screened. They are two records,
    listed as yearly editions are; one year's copies still join."""
    a = rec(title, year=2019, journal="Annals of Oncology", volume="30", pages="v1-v900", authors=())
    b = rec(title, year=2020, journal="Annals of Oncology", pages="v1-v900", authors=(), source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two years' editions of a yearly report or meeting" in reasons[0], reasons
    assert groups(a, dict(b, year=2019)) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1093/annonc/mdz001"), ("pmid", "31234567")])
@pytest.mark.parametrize("ta, tb", [
    ("Abstracts of the annual meeting of the European Society for Medical Oncology",) * 2,
    ("ESMO 2019 Congress abstracts", "ESMO 2020 Virtual Congress abstracts"),
    ("Meeting abstracts",) * 2,
    ("Supplement",) * 2,
])
def test_one_identifier_on_two_years_abstract_books_is_listed(field, value, ta, tb):
    """One DOI or PMID on the 2019 (volume 30) and the 2020 (volume 31) abstract book of one journal, at one first page,
    joined the two years' books as one record. They are two records, listed; the identifier on one year's copies,
    dated a year apart in one volume, still joins them."""
    a = dict(rec(ta, year=2019, journal="Annals of Oncology", volume="30", pages="v1-v900",
                 authors=("European Society for Medical Oncology",)), **{field: value})
    b = dict(a, title=tb, year=2020, volume="31", source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two years' editions of a yearly report or meeting" in reasons[0], reasons
    assert groups(a, dict(b, title=ta, volume="30")) == [1, 1]


@pytest.mark.parametrize("x, y", [("Zambia", "Namibia"), ("Tanzania", "Tasmania"), ("Laos", "Lagos"),
                                  ("Hunan", "Henan"), ("Shanxi", "Shaanxi"), ("India", "Indiana"),
                                  ("Brunei", "Burundi"), ("Australia", "Austrian")])
def test_two_places_alike_in_letters_are_two_surveys(x, y):
    """Two countries, provinces or cities whose names a typo could turn one into the other ("Zambia" / "Namibia",
    "Hunan" / "Henan") were read as one name mistyped, and the two surveys joined: one never screened. They stay
    two records, listed; a place mistyped in one copy still joins."""
    title = "Prevalence and determinants of hypertension among adults in {}: a community-based cross-sectional study"
    a = rec(title.format(x), journal="BMC Public Health")
    ids, reasons = review_of(a, rec(title.format(y), journal="BMC Public Health", source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and f"'{x.lower()}' and '{y.lower()}'" in reasons[0], reasons
    typo = x[:-2] + x[-1] + x[-2]  # two letters swapped: "Zambai"
    assert groups(a, rec(title.format(typo), journal="BMC Public Health", source_db="embase")) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.3322/caac.21551"), ("pmid", "30620402")])
def test_one_identifier_on_two_years_of_a_short_yearly_title_is_listed(field, value):
    """"Cancer statistics, 2019" and "Cancer statistics, 2020", one DOI or PMID pasted on both, were joined: their short
    titles are under 93% alike, where the numbers were not compared. Titles naming two years are two works, listed;
    the title written another way under its DOI still joins."""
    a = dict(rec("Cancer statistics, 2019", year=2019, journal="CA Cancer J Clin", authors=("Siegel, Rebecca L.",)),
             **{field: value})
    b = dict(a, title="Cancer statistics, 2020", year=2020, source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "titles naming other years (2019 and 2020)" in reasons[0], reasons
    assert groups(a, dict(b, title="Cancer statistics 2019", year=2019)) == [1, 1]


@pytest.mark.parametrize("title", [
    "Standards of medical care in diabetes",
    "Heart disease and stroke statistics update: a report from the American Heart Association",
    "Cancer statistics",
])
def test_two_years_of_a_yearly_standard_or_statistics_are_two_editions(title):
    """The ADA's "Standards of medical care in diabetes" and the AHA's "Heart disease and stroke statistics" come out
    every year under one title (a database may drop the year from it): the 2019 and 2020 editions, without a volume to
    confirm them, were joined as one paper dated online and in print, and one edition was never screened. They are
    two records, listed; one year's copies still join."""
    a = rec(title, year=2019, journal="Diabetes Care", authors=("American Diabetes Association",))
    b = rec(title, year=2020, journal="Diabetes Care", authors=("American Diabetes Association",), source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two years' editions of a yearly report or meeting" in reasons[0], reasons
    assert groups(a, dict(b, year=2019)) == [1, 1]


SCHOOL = "Efficacy of a school-based physical activity intervention on body mass index in primary school children"


@pytest.mark.parametrize("field, value", [("doi", "10.1016/S0140-6736(20)30001-1"), ("pmid", "31234567")])
@pytest.mark.parametrize("ta, tb", [
    (SCHOOL + ": the ACTIVE trial", SCHOOL + ": the ACTIVE-2 trial"),
    (SCHOOL + " (ACTIVE study) and its effect at school", SCHOOL + " (ACTIVE II study) and its effect at school"),
])
def test_one_identifier_on_a_trial_and_its_numbered_sequel_is_listed(field, value, ta, tb):
    """"The ACTIVE trial" and "the ACTIVE-2 trial" (its sequel), one DOI or PMID pasted on both, were joined as one
    paper: a number one title has inside it was read as cut from the other's end. A number added inside a title is no
    cut: the two stay apart, listed; a title cut before its last number still joins."""
    a = dict(rec(ta, journal="Lancet", volume="395", pages="100-110"), **{field: value})
    b = dict(rec(tb, journal="Lancet", source_db="embase"), **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "titles that differ in their numbers" in reasons[0], reasons
    assert groups(dict(a, title=SCHOOL + ": part 2"), dict(b, title=SCHOOL + ": part")) == [1, 1]


def test_a_paper_on_a_meetings_abstracts_is_not_an_abstract_book():
    """A paper whose title opens as an abstract book's does and goes on ("Abstracts presented at the ... congress and
    the rate at which ...") is one paper: its online-first and print years still join."""
    a = rec("Abstracts presented at the European Congress of Clinical Microbiology and Infectious Diseases and the "
            "rate at which they are published in full in peer reviewed journals", year=2019,
            journal="Clin Microbiol Infect")
    assert groups(a, dict(a, year=2020, source_db="embase")) == [1, 1]


UPDATE = "Management of chronic heart failure in older adults: an update"


@pytest.mark.parametrize("where", [{"doi": "10.1016/j.jacc.2020.01.001"}, {"volume": "12", "pages": "100-110"}])
@pytest.mark.parametrize("ta, tb", [(UPDATE, UPDATE + " 2"), (UPDATE + " II", UPDATE),
                                    ("Falls prevention in older people: Cochrane review update",
                                     "Falls prevention in older people: Cochrane review update 3")])
def test_an_update_and_its_numbered_sequel_under_one_doi_or_at_one_place_are_listed(where, ta, tb):
    """"<title>: an update" and "<title>: an update 2" (the next update) under one DOI or at one volume and first page
    were joined as one paper whose title had lost its last number, and the second update was never screened. An
    update's number names another paper: the two are kept apart and listed; the same update's copies ("update II" /
    "update 2") still join."""
    a = rec(ta, journal="J Am Coll Cardiol", **where)
    b = rec(tb, journal="J Am Coll Cardiol", source_db="embase", **where)
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "titles that differ in their numbers" in reasons[0], reasons
    assert groups(b, dict(b, title=tb.upper(), source_db="medline")) == [1, 1]
    assert groups(dict(a, title=UPDATE + " II"), dict(b, title=UPDATE + " 2")) == [1, 1]


@pytest.mark.parametrize("where", [{"doi": "10.1016/j.arth.2020.01.001"}, {"volume": "35", "pages": "100-108"}])
@pytest.mark.parametrize("ta, tb, said", [
    ("Total knee arthroplasty outcomes in patients with obesity: a registry study",
     "Total hip arthroplasty outcomes in patients with obesity: a registry study", "'knee' and 'hip'"),
    ("Lung cancer survival in older adults in Denmark", "Liver cancer survival in older adults in Denmark",
     "'lung' and 'liver'"),
    ("Inhaled corticosteroid use and pneumonia risk in patients with asthma: a cohort study",
     "Inhaled corticosteroid use and pneumonia risk in patients with COPD: a cohort study", "'asthma' and 'copd'"),
    ("Effect of a group exercise programme on depression in patients with multiple sclerosis",
     "Effect of a group exercise programme on fatigue in patients with multiple sclerosis",
     "'depression' and 'fatigue'"),
])
def test_a_body_part_or_condition_in_place_of_another_under_one_doi_or_at_one_place_is_listed(where, ta, tb, said):
    """"Total knee arthroplasty ..." / "Total hip arthroplasty ...", "lung" / "liver cancer", "... with asthma" / "...
    with COPD", one DOI pasted on both or at one volume, first page and page range, were joined as one paper reworded
    by a database: no database puts one body part, organ or condition in place of another. The two are kept apart and
    listed, saying which words tell them apart."""
    a = rec(ta, journal="J Arthroplasty", **where)
    b = rec(tb, journal="J Arthroplasty", source_db="embase", **where)
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert groups(a, dict(b, title=ta.upper())) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Effect of dapagliflozin on exercise capacity in heart failure: a randomised trial",
     "Effect of empagliflozin on exercise capacity in heart failure: a randomised trial"),
    ("Effect of sitagliptin on exercise capacity in heart failure: a randomised trial",
     "Effect of dapagliflozin on exercise capacity in heart failure: a randomised trial"),
])
def test_two_drugs_at_one_volume_page_and_page_range_are_listed(ta, tb):
    """Two drugs' names ("dapagliflozin" / "empagliflozin") at one volume, first page and page range were joined as
    one title reworded, though one DOI on them was listed: a database does not rename a drug. Listed now."""
    where = {"volume": "35", "pages": "100-108"}
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    drugs = [w for w in ta.split() if w not in tb.split()] + [w for w in tb.split() if w not in ta.split()]
    assert len(reasons) == 1 and all(f"'{d}'" in reasons[0] for d in drugs), reasons
    assert groups(rec(ta, **where), rec(ta.replace("randomised", "randomized"), source_db="embase", **where)) == [1, 1]


MOBILISE = "Effect of early mobilisation on delirium in intensive care patients: a randomised controlled trial"


@pytest.mark.parametrize("head", ["Re: ", "Letter: ", "Commentary: ", "Editorial: ", "Response: "])
@pytest.mark.parametrize("where", [{"volume": "12", "pages": "100-110"}, {"volume": "12", "pages": "100"},
                                   {"pages": "100"}])
def test_a_letter_or_comment_titled_after_the_paper_at_its_page_is_listed_not_joined(head, where):
    """"Re: <title>", "Letter: <title>", "Commentary: <title>" at the paper's volume (or year) and first page were
    joined with the paper as one title that holds the other's words, and the letter, or the paper, left screening; one
    DOI on the two lists them. A letter or comment is never joined with the paper it is about: the two are kept apart
    and listed (the heading may be a database's section name on the letter's own copy); the paper's copies still
    join."""
    ids, reasons = review_of(rec(MOBILISE, **where), rec(head + MOBILISE, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "by its title" in reasons[0], reasons
    assert groups(rec(MOBILISE, **where), rec(MOBILISE + ".", source_db="embase", **where)) == [1, 1]


KNEE = "Exercise therapy for knee osteoarthritis"


@pytest.mark.parametrize("where", [{"doi": "10.1136/bmj.m100"}, {"volume": "12", "pages": "100-110"},
                                   {"doi": "10.1136/bmj.m100", "volume": "12", "pages": "100-110"}])
@pytest.mark.parametrize("ta, tb, word", [
    ("Study protocol for a randomised trial of exercise in knee osteoarthritis",
     "Results of a randomised trial of exercise in knee osteoarthritis", "protocol"),
    (KNEE + " (EXKO): protocol for a randomised controlled trial", KNEE + " (EXKO): a randomised controlled trial",
     "protocol"),
    (KNEE + ": rationale and design of a randomised trial", KNEE + ": primary results of a randomised trial",
     "rationale"),
    (KNEE + ": baseline characteristics of a randomised trial", KNEE + ": main results of a randomised trial",
     "baseline"),
    (KNEE + ": a randomised trial", KNEE + ": a cost-effectiveness analysis of a randomised trial", "cost"),
])
def test_a_trials_protocol_design_or_economic_paper_and_its_results_under_one_doi_or_place_are_listed(
        where, ta, tb, word):
    """A trial's protocol, design, baseline or economic paper and its results paper, one DOI pasted on both or at one
    volume and first page, were joined as one title reworded, and one paper left screening: a database does not turn
    a protocol into results. The two are kept apart and listed, naming the word; a title whose subtitle a database
    left out ("<title>" / "<title>: protocol for ...") still joins."""
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and (f"'{word}'" in reasons[0] or "protocol's" in reasons[0]), reasons
    assert groups(rec(KNEE + " (EXKO): protocol for a randomised controlled trial", **where),
                  rec(KNEE + " (EXKO)", source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("where", [{"doi": "10.1016/j.bja.2020.01.001"}, {"volume": "12", "pages": "100-110"}])
@pytest.mark.parametrize("ta, tb, said", [
    ("Paediatric outcomes after emergency laparotomy in a national cohort: a retrospective analysis",
     "Adult outcomes after emergency laparotomy in a national cohort: a retrospective analysis",
     "'pediatric' and 'adult'"),
    ("Oral iron supplementation for anaemia in pregnancy: a randomised trial",
     "Intravenous iron supplementation for anaemia in pregnancy: a randomised trial", "'oral' and 'intravenous'"),
    ("Neonatal mortality in rural Bangladesh: a cohort study of 10000 births",
     "Maternal mortality in rural Bangladesh: a cohort study of 10000 births", "'neonatal' and 'maternal'"),
    ("Mortality after hip fracture surgery in older adults: a national cohort study",
     "Morbidity after hip fracture surgery in older adults: a national cohort study", "'mortality' and 'morbidity'"),
    ("Incidence of surgical site infection after caesarean section in Nigeria",
     "Prevalence of surgical site infection after caesarean section in Nigeria", "'incidence' and 'prevalence'"),
    ("Sensitivity of ultrasound for appendicitis in children: a diagnostic accuracy study",
     "Specificity of ultrasound for appendicitis in children: a diagnostic accuracy study",
     "'sensitivity' and 'specificity'"),
])
def test_another_population_route_or_measure_first_under_one_doi_or_at_one_place_is_listed(where, ta, tb, said):
    """A title's first word swapped for another of its kind ("Paediatric" / "Adult outcomes ...", "Oral" / "Intravenous
    iron ...", "Incidence" / "Prevalence of ..."), one DOI pasted on both or at one volume, first page and page range,
    was joined as one title a database reworded: it names another population, route or measure, another paper. The
    two are kept apart and listed, naming the words; "Paediatric" / "Pediatric" is one spelling and still joins."""
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert groups(rec(ta, **where), rec(ta.replace("Paediatric", "Pediatric").replace("anaemia", "anemia"),
                                        source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("authors", [SMITH, ()])
def test_two_english_titles_sharing_hardly_a_word_at_one_page_range_are_listed_not_joined(authors):
    """"Mindfulness-based stress reduction for nurses: a pilot" and "Burnout among intensive care nurses: a national
    survey" at one volume, first page and page range were joined as one paper (the range read as confirming a title
    translated two ways), and one study left screening: a data error in one record's place, or two abstracts of one
    supplement. Two English titles that share hardly a word are listed for review instead."""
    where = {"volume": "12", "pages": "100-110"}
    a = rec("Mindfulness-based stress reduction for nurses: a pilot", authors=authors, **where)
    b = rec("Burnout among intensive care nurses: a national survey", authors=authors, source_db="embase", **where)
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "titles in one language that name two works" in reasons[0], reasons


@pytest.mark.parametrize("where", [{"doi": "10.1016/j.ejca.2020.01.001"}, {"volume": "12", "pages": "100-110"}])
@pytest.mark.parametrize("ta, tb, said", [
    ("Breast cancer screening uptake among migrant women in Sweden",
     "Cervical cancer screening uptake among migrant women in Sweden", "'breast' and 'cervical'"),
    ("Laparoscopic versus open appendicectomy in children: a cohort study",
     "Laparoscopic versus robotic appendicectomy in children: a cohort study", "'open' and 'robotic'"),
    ("Effect of a group exercise intervention on depression in patients with multiple sclerosis",
     "Effect of a group exercise intervention on depression in patients with Parkinson disease", "'parkinson'"),
])
def test_another_cancer_site_approach_or_disease_under_one_doi_or_at_one_place_is_listed(where, ta, tb, said):
    """"Breast" / "Cervical cancer screening ...", "Laparoscopic versus open" / "versus robotic ...", "... with multiple
    sclerosis" / "... with Parkinson disease", one DOI pasted on both or at one volume, first page and page range,
    were joined as one title a database reworded: they name another cancer, operation or disease. Kept apart and
    listed now, naming the words."""
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert groups(rec(ta, **where), rec(ta.upper(), source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("The cost of diabetes care in Kenya: a national survey", "The costs of diabetes care in Kenya: a national survey"),
    ("Economic burden of asthma in Europe: a modelling study",
     "Economics burden of asthma in Europe: a modelling study"),
])
def test_a_paper_kinds_word_written_two_ways_under_one_doi_still_joins(ta, tb):
    """"cost" / "costs", "economic" / "economics" under one DOI are one word written two ways, not a study's economic
    paper beside its results: one record, joined by its DOI."""
    doi = {"doi": "10.1016/j.vhri.2020.01.001"}
    out, review = find_duplicates_with_review(pd.DataFrame([rec(ta, **doi), rec(tb, source_db="embase", **doi)],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 1] and review.empty
    assert out["reason"].iloc[1].startswith("same DOI"), out["reason"].iloc[1]


def test_an_organ_named_in_the_singular_and_the_plural_at_one_page_range_is_one_paper():
    """"... of the ovary" / "... of the ovaries" at one volume, first page and page range is one organ written two
    ways, not another body part: one record."""
    where = {"volume": "12", "pages": "100-110"}
    assert groups(rec("Cancer of the ovary in young women: a cohort study", **where),
                  rec("Cancer of the ovaries in young women: a cohort study", source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("where", [{"doi": "10.1136/bmjopen-2020-000001"}, {"volume": "10", "pages": "e0001"},
                                   {"volume": "10", "pages": "100-110"}])
@pytest.mark.parametrize("ta", [KNEE + ": a systematic review", KNEE + ": a randomised controlled trial"])
def test_a_review_and_its_protocol_named_by_a_last_word_under_one_doi_or_place_are_listed(where, ta):
    """"<title>: a systematic review" and "<title>: a systematic review protocol" under one DOI or at one volume and
    first page were joined as one title cut before its last word; a database does not cut a title there, and the
    protocol and the review are two papers. They are kept apart and listed; a whole subtitle left out ("<title>" /
    "<title>: protocol for a randomised controlled trial") still joins."""
    ids, reasons = review_of(rec(ta, **where), rec(ta + " protocol", source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and ("'protocol'" in reasons[0] or "protocol's" in reasons[0]), reasons


PARACENTESIS = ("A new paracentesis needle for ascites and pleural effusion compared with the venous indwelling "
                "catheter. A prospective, randomized study")


@pytest.mark.parametrize("quoted", ['"[{}]"', "'[{}]'", "“[{}]”", "[{}]"])
def test_a_medline_translated_title_in_quotes_and_its_english_copy_under_one_doi_are_one_record(quoted):
    """MEDLINE's bracketed English title of a German paper, exported inside quotes ('"[A new paracentesis needle ...
    compared with the venous indwelling catheter ...]"'), and another database's translation ("... device ...
    compared with angiocath ...") under one DOI were listed as two works: the quote hid the bracket that marks a
    translated title. Two translations word a title two ways: one record."""
    doi = {"doi": "10.1055/s-2001-0001"}
    tb = "A new paracentesis device for ascites and pleural effusions compared with angiocath - A prospective study"
    ids, reasons = review_of(rec(quoted.format(PARACENTESIS), **doi), rec(tb, source_db="embase", **doi))
    assert ids == [1, 1] and reasons == []


@pytest.mark.parametrize("ta, tb, said", [
    ("Predictors of mortality after cardiac surgery in older adults: a cohort study",
     "Predictors of stroke after cardiac surgery in older adults: a cohort study", "'mortality' and 'stroke'"),
    ("Effect of a school meals programme on anaemia in Kenya: a cluster randomised trial",
     "Effect of a school meals programme on anaemia in Uganda: a cluster randomised trial", "'kenya' and 'uganda'"),
])
def test_an_outcome_or_place_in_place_of_another_at_one_page_range_is_listed(ta, tb, said):
    """"Predictors of mortality after ..." / "Predictors of stroke after ...", "... in Kenya" / "... in Uganda" at one
    volume, first page and page range were joined as one title a database reworded (the range read as confirming it):
    no database puts one outcome or place in place of another. The two are kept apart and listed, naming the words;
    MEDLINE's translated title and another database's translation at that place ("needle" / "device", "catheter" /
    "angiocath") are still one record."""
    where = {"volume": "12", "pages": "100-110"}
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert groups(rec(ta, **where), rec(ta.upper(), source_db="embase", **where)) == [1, 1]
    tr = "A new paracentesis device for ascites and pleural effusions compared with angiocath - A prospective study"
    assert groups(rec(f'"[{PARACENTESIS}]"', **where), rec(tr, source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("where", [{"doi": "10.2337/dc20-0001"}, {"volume": "43", "pages": "100-108"}])
@pytest.mark.parametrize("ta, tb, said", [
    ("Metformin and weight in adolescents with obesity: a randomised trial",
     "Liraglutide and weight in adolescents with obesity: a randomised trial", "'metformin' and 'liraglutide'"),
    ("Vitamin D supplementation and fracture risk in older women: a randomised trial",
     "Calcium supplementation and fracture risk in older women: a randomised trial", "'calcium'"),
])
def test_a_drug_or_supplement_without_a_class_ending_in_place_of_another_is_listed(where, ta, tb, said):
    """"Metformin" / "Liraglutide and weight ...", "Vitamin D" / "Calcium supplementation ..." under one DOI or at one
    volume, first page and page range were joined as one title reworded: only drugs whose names end in a class's
    stem ("-gliflozin", "-glutide") were known as drugs. A drug or supplement named without such an ending
    ("metformin", "insulin", "calcium", "vitamin") in place of another names another treatment: listed for review."""
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert groups(rec(ta, **where), rec(ta.replace("randomised", "randomized"), source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("where, ta, tb, said", [
    (where, "Cardiac surgery outcomes in older adults: a national cohort study",
     "Hip surgery outcomes in older adults: a national cohort study", "'cardiac' and 'hip'")
    for where in ({"doi": "10.1016/j.athoracsur.2020.01.001"}, {"volume": "109", "pages": "100-108"}, {})
] + [({"volume": "109", "pages": "100-108"}, "Cardiac surgery outcomes in older adults: a national cohort study",
      "Liver transplantation outcomes in older adults: a national cohort study", "'cardiac'")])
def test_an_organs_adjective_in_place_of_another_body_part_is_listed(where, ta, tb, said):
    """"Cardiac surgery" / "Hip surgery", "Cardiac surgery" / "Liver transplantation outcomes ..." under one DOI, at
    one volume, first page and page range, or on titles alone were joined as one title reworded: "cardiac" (an
    organ's adjective) and "hip" (a body part) were words of two lists, never compared. They name two operations:
    listed for review. An organ's adjective for its own name ("Cardiac" / "Heart surgery") at one place is one title
    reworded."""
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    if where:
        assert groups(rec(ta, **where), rec(ta.replace("Cardiac", "Heart"), source_db="embase", **where)) == [1, 1]


@pytest.mark.parametrize("where", [{"doi": "10.1001/jama.2020.0001"}, {"volume": "323", "pages": "100-108"}])
def test_a_trials_secondary_and_its_exploratory_analysis_under_one_doi_or_at_one_place_are_listed(where):
    """"... a secondary analysis of a randomised trial" / "... an exploratory analysis of ..." under one DOI or at one
    volume, first page and page range were joined as one title reworded: they are two analyses of one trial, two
    papers. Listed for review, naming the words."""
    ta = "Quality of life in the SPRINT trial: a secondary analysis of a randomised clinical trial"
    tb = "Quality of life in the SPRINT trial: an exploratory analysis of a randomised clinical trial"
    ids, reasons = review_of(rec(ta, **where), rec(tb, source_db="embase", **where))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'secondary'" in reasons[0] and "'exploratory'" in reasons[0], reasons
    assert groups(rec(ta, **where), rec(ta.upper(), source_db="embase", **where)) == [1, 1]


def test_cardiac_surgery_and_liver_transplantation_under_one_doi_are_listed():
    """"Cardiac surgery outcomes ..." / "Liver transplantation outcomes ..." under one DOI were joined by the DOI: the
    titles, two words apart, were too unlike for the words to be compared. They name two operations: listed."""
    doi = {"doi": "10.1016/j.athoracsur.2020.01.001"}
    ids, reasons = review_of(rec("Cardiac surgery outcomes in older adults: a national cohort study", **doi),
                             rec("Liver transplantation outcomes in older adults: a national cohort study",
                                 source_db="embase", **doi))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'cardiac'" in reasons[0] and "'liver'" in reasons[0], reasons


@pytest.mark.parametrize("notice", ["Retraction: " + LONG, 'Retraction notice to "' + LONG + '"',
                                    "Retraction Note: " + LONG, "Notice of retraction: " + LONG,
                                    "Retracted: " + LONG, LONG + " [Retraction of: Addiction. 2020;115(3):456-68]",
                                    "Statement of Retraction: " + LONG,  # Taylor & Francis's notice
                                    # Elsevier's, naming where the paper appeared
                                    "Retraction notice to \u201c" + LONG + "\u201d [Addiction 115 (2020) 456\u2013468]",
                                    'Retraction notice to "' + LONG + '" (Addiction (2020) 115 (3) (456-468))'])
def test_a_retraction_notice_and_the_paper_it_retracts_are_kept_apart_and_listed(notice):
    """A retraction notice titled after the paper was kept apart from it without a word: a reviewer screening the
    paper never learnt that it was retracted. The pair is listed for review, saying so."""
    paper = rec(LONG, journal="Addiction", volume="115", pages="456-468", doi="10.1111/add.15000")
    notes = rec(notice, authors=(), journal="Addiction", year=2021, volume="116", pages="1201",
                doi="10.1111/add.15500", source_db="embase")
    other = rec("Alcohol outlet density and binge drinking among young adults: a cohort study", journal="Addiction",
                volume="115", pages="12-20")
    df = pd.DataFrame([paper, notes, other], index=pd.Index([1, 2, 3], name="record_id"))
    out, review = find_duplicates_with_review(df)
    assert out["group_id"].tolist() == [1, 2, 3]
    assert list(zip(review["record_id"], review["other_id"])) == [(1, 2)]
    assert "retraction notice" in review["reason"].iloc[0] and "retracted" in review["reason"].iloc[0]
    # a reviewer who kept them apart does not see them again
    _, review = find_duplicates_with_review(df, kept_apart=[(1, 2)])
    assert review.empty
    # imported later, the notice is compared with the paper (and the paper with an earlier notice)
    keys = df.assign(start_page=None)[["title", "doi", "year", "volume", "start_page", "type"]].assign(pmid=None)
    assert related_records(keys, [2], fuzzy_threshold=100) >= {1, 2}
    assert related_records(keys, [1], fuzzy_threshold=100) >= {1, 2}


def test_a_retraction_notice_is_listed_with_its_journals_paper_not_another_paper_of_the_same_title():
    """A retraction notice was listed with every paper of its title, as "the study was retracted": a paper of the same
    title in another journal, or published after the notice, was said to be retracted. The notice is listed with the
    paper of its journal, published before it, alone."""
    title = "Exercise for depression in older adults living in nursing homes"
    other = rec(title, journal="BMC Psychiatry", volume="15", pages="101-110", year=2015)
    paper = rec(title, journal="Journal of Aging and Health", volume="31", pages="55-70", year=2019,
                authors=("Lee, Anna",))
    later = rec(title, journal="J Aging Health", volume="36", pages="12-24", year=2024, authors=("Kim, Min",))
    notice = rec("Retraction: " + title, authors=(), journal="J Aging Health", volume="33", pages="900", year=2021,
                 source_db="embase")
    df = pd.DataFrame([other, paper, later, notice], index=pd.Index([1, 2, 3, 4], name="record_id"))
    out, review = find_duplicates_with_review(df)
    assert out["group_id"].tolist() == [1, 2, 3, 4]
    listed = [(a, b) for a, b, why in zip(review["record_id"], review["other_id"], review["reason"])
              if "retraction notice" in why]
    assert listed == [(2, 4)], review.to_dict("records")


def test_the_copy_of_an_article_marked_retracted_is_the_one_screened_unless_another_has_the_abstract():
    """Scopus keeps the publisher's "RETRACTED: <title>", PubMed the original title: one article, joined. The marked
    copy was shown for screening, so the reviewer saw the retraction; but it was shown even where it had no abstract
    and PubMed's copy had one, and the study was screened on its title. The copy with the abstract is screened (the
    project says on screen that a copy is titled as retracted); where both have one, the marked copy is."""
    doi = "10.1016/j.addbeh.2020.106321"
    plain = dict(rec(LONG, doi=doi, journal="Addictive Behaviors", volume="104", pages="106321"), abstract="Aims.")
    marked = rec("RETRACTED: " + LONG, doi=doi, journal="Addictive Behaviors", source_db="scopus")
    df = pd.DataFrame([plain, marked], index=pd.Index([1, 2], name="record_id"))
    out = find_duplicates(df)
    assert out["group_id"].tolist() == [1, 1] and out["is_primary"].tolist() == [True, False]
    assert "most complete" in out["reason"].iloc[0] and "abstract" in out["reason"].iloc[0]
    out = find_duplicates(df.assign(abstract=["Aims.", "Aims and methods."]))
    assert out["is_primary"].tolist() == [False, True]
    assert "retracted" in out["reason"].iloc[1]


@pytest.mark.parametrize("journal, year, issue", [("European Psychiatry", 2018, None),
                                                  ("European Psychiatry", 2019, None),
                                                  ("Journal of Clinical Oncology", 2018, "15_suppl")])
def test_a_conference_abstract_and_the_full_article_in_another_volume_are_listed(journal, year, issue):
    """A meeting's abstract (typed so, in a supplement volume) and the full article of its title a year later or in
    another journal's volume were kept apart without a word, unlike the same pair without a volume on one side: two
    records of one study, listed for the reviewer to link."""
    abstract = dict(rec(BRIEF, authors=("Nguyen, Thi",), journal=journal, volume="28", issue=issue, pages="S123",
                        year=year, source_db="embase"), type="Conference Abstract")
    article = dict(rec(BRIEF, authors=("Nguyen, Thi",), journal="Journal of Clinical Oncology", volume="37",
                       pages="1234-1245", year=2019), type="Journal Article")
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, article],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "a conference abstract and a full paper (12 pages)" in review["reason"].iloc[0]
    # the abstract's copies still join, and so do the article's
    assert groups(abstract, article, dict(article, journal="J Clin Oncol", source_db="scopus"),
                  dict(abstract, type="Meeting Abstract", source_db="wos")) == [1, 2, 2, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1016/S0140-6736(19)31234-5"), ("pmid", "31234567")])
def test_one_identifier_on_titles_naming_two_designs_is_listed(field, value):
    """A trial and the same team's cohort study on one drug, one DOI or PMID a database pasted on the wrong record,
    were joined as one paper (titles under 85% alike, so no word told them apart): the cohort study was never
    screened. A database does not turn a randomised trial into a cohort study: they stay two records, listed for a
    person to check. The trial's copy without its subtitle still joins."""
    ta = "Dapagliflozin and cardiovascular outcomes in type 2 diabetes: a randomised controlled trial"
    tb = "Dapagliflozin and heart failure outcomes in type 2 diabetes: a cohort study"
    a = dict(rec(ta, journal="Lancet", year=2019), **{field: value})
    b = dict(rec(tb, journal="Lancet", year=2019, source_db="embase"), **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two designs ('randomised trial' and 'cohort study')" in reasons[0], reasons
    assert groups(a, dict(b, title=ta.split(":")[0])) == [1, 1]
    # a translated title's two wordings: "a randomised controlled study" and "a clinical trial" name one design
    tc = "dapagliflozin and cardiovascular outcomes in elderly type 2 diabetes patients"
    assert groups(dict(a, title="A randomised controlled study of " + tc), dict(b, title="Clinical trial of " + tc)) \
        == [1, 1]


def test_one_pmid_on_two_titles_in_two_journals_is_listed():
    """A database pasted one paper's PMID on the same team's paper in another journal: titles on one drug and one
    disease but two outcomes were joined as one paper, and the second never screened. Titles that are not one title
    and journals that are not one journal say two works: two records, listed for a person to check. The same paper
    under a journal abbreviated, with its subtitle cut or reworded, still joins."""
    a = dict(rec("Dapagliflozin and cardiovascular outcomes in type 2 diabetes", journal="The Lancet", year=2019),
             pmid="31234567")
    b = dict(rec("Dapagliflozin and kidney function decline in older adults with type 2 diabetes",
                 journal="Diabetes Care", year=2019, source_db="embase"), pmid="31234567")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert reasons == ["same PMID 31234567, but different titles and journals: one PMID on two works?"]
    for title in ("Dapagliflozin and cardiovascular events in adults with type 2 diabetes", a["title"]):
        assert groups(a, dict(b, title=title, journal="Lancet")) == [1, 1]
    # a Chinese paper's two English translations, its journal in pinyin and in English: one paper
    doi = "10.3760/cma.j.issn.0253-3758.2019.05.004"
    c = dict(rec("Effect of dapagliflozin on cardiac function in elderly patients with type 2 diabetes",
                 authors=("Wang, Li",), journal="Zhonghua Xin Xue Guan Bing Za Zhi", year=2019), doi=doi)
    d = dict(rec("Clinical study of dapagliflozin on cardiac function in elderly type 2 diabetes patients",
                 authors=("Wang, Li",), journal="Chinese Journal of Cardiology", year=2019, source_db="cnki"), doi=doi)
    assert groups(c, d) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.3760/cma.j.issn.0376-2491.2019.05.004"), ("pmid", "30669234")])
@pytest.mark.parametrize("ta, tb", [
    ("Acupuncture for post-stroke depression: a meta-analysis", "Acupuncture for post-stroke depression: a systematic "
     "review"),
    ("Clinical study of acupuncture for post-stroke depression in elderly patients", "Acupuncture for post-stroke "
     "depression in elderly patients"),
])
def test_a_chinese_papers_two_english_titles_naming_its_design_or_lead_words_two_ways_still_join(field, value, ta, tb):
    """A Chinese paper's English title is worded one way by the journal (in pinyin, "Zhonghua Yi Xue Za Zhi") and
    another way by a second database (the journal in English): "a meta-analysis" / "a systematic review", "Clinical
    study of <title>" / "<title>". Under one DOI or PMID, without pages, the two were listed as two designs or a
    follow-up paper and the paper was screened twice. Two translations word a title their own way: they join."""
    a = dict(rec(ta, authors=("Wang, Li",), journal="Zhonghua Yi Xue Za Zhi", year=2019), **{field: value})
    b = dict(rec(tb, authors=("Wang, Li",), journal="National Medical Journal of China", year=2019, source_db="cnki"),
             **{field: value})
    assert groups(a, b) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1503/cmaj.111234"), ("pmid", "22331962")])
@pytest.mark.parametrize("short, whole", [("CMAJ", "Canadian Medical Association Journal"),
                                          ("BMJ", "British Medical Journal"),
                                          ("JAMA", "Journal of the American Medical Association")])
def test_one_paper_in_a_journal_named_by_its_initials_and_in_full_still_joins(field, value, short, whole):
    """One database names the journal by its initials ("CMAJ", "BMJ", "JAMA"), another in full; one copy's title has
    lost its subtitle and is spelled the American way. Under one DOI or PMID the two copies were listed as "different
    titles and journals" (or "two journals and years" a year apart from print), and the paper was screened twice. A
    journal's initials are its name: the copies join, and the names are one journal."""
    title = ("Effect of early mobilisation on haemoglobin and functional recovery in older adults after hip fracture "
             "surgery: a randomised controlled trial")
    cut = ("Effect of early mobilization on hemoglobin and functional recovery in older adults after hip fracture "
           "surgery")
    a = dict(rec(title, journal=short, volume="184", pages="E329-E336", year=2012), **{field: value})
    assert journals_compatible(short, whole)
    assert groups(a, dict(a, title=cut, journal=whole, volume=None, pages=None, source_db="embase")) == [1, 1]
    assert groups(a, dict(a, journal=whole, volume=None, pages=None, year=2014, source_db="embase")) == [1, 1]
    assert not journals_compatible("CMAJ", "Canadian Journal of Cardiology")  # another journal's name


@pytest.mark.parametrize("title, author, journal", [
    ("HIV surveillance report", "Centers for Disease Control and Prevention", None),
    ("Sexually transmitted disease surveillance", "Centers for Disease Control and Prevention", None),
    ("Progress report on HIV in Europe", "European Centre for Disease Prevention and Control", None),
    ("Global AIDS update", "UNAIDS", None),
    ("Summary of notifiable diseases, United States", "Centers for Disease Control and Prevention", "MMWR"),
    ("The state of the world's children", "UNICEF", None),
    ("The year in cardiology: heart failure", "McDonagh, Theresa A.", "European Heart Journal"),
])
def test_two_years_of_a_surveillance_report_or_yearly_review_are_two_editions(title, author, journal):
    """CDC's "HIV surveillance report", UNAIDS' "Global AIDS update", UNICEF's "The state of the world's children" or
    a journal's "The year in cardiology" come out every year under one title, by one author, without saying "annual":
    the 2019 and 2020 editions were joined as one paper dated online and in print, and one edition was never
    screened. They are two records, listed as yearly editions are; one year's copies still join."""
    a = rec(title, year=2019, journal=journal, authors=(author,))
    b = rec(title, year=2020, journal=journal, authors=(author,), source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two years' editions of a yearly report or meeting" in reasons[0], reasons
    assert groups(a, dict(b, year=2019)) == [1, 1]


@pytest.mark.parametrize("title", [
    "Active surveillance",
    "Syndromic surveillance of influenza-like illness in primary care: a cohort study",
    "Trends in HIV surveillance",
])
def test_a_paper_on_surveillance_dated_online_and_in_print_is_one(title):
    """A paper whose title names surveillance is no yearly report: its online-first and print years stay one record."""
    a = rec(title, year=2019, journal="Lancet", authors=("Smith, John A.",))
    assert groups(a, dict(a, year=2020, source_db="embase")) == [1, 1]


TELE_HF = ("Effect of a nurse-led telephone follow-up on readmission after heart failure hospitalisation: the TELE-HF "
           "randomised controlled trial")
PROTOCOL_ABSTRACT = (
    "Introduction: Readmission after hospitalisation for heart failure is common and costly. Methods and analysis: "
    "This multicentre randomised controlled trial will recruit 600 adults admitted with heart failure in five "
    "hospitals and randomise them to nurse-led telephone follow-up or usual care. The primary outcome will be "
    "all-cause readmission at 30 days; secondary outcomes will include quality of life and mortality, with 95% "
    "confidence intervals. Ethics and dissemination: The trial was approved by the ethics committee; results will "
    "be published.")
RESULTS_ABSTRACT = (
    "Background: Readmission after hospitalisation for heart failure is common and costly. Methods: In this "
    "multicentre randomised controlled trial we randomised 612 adults admitted with heart failure in five hospitals "
    "to nurse-led telephone follow-up or usual care. Results: All-cause readmission at 30 days was 14.2% with "
    "telephone follow-up and 21.0% with usual care (hazard ratio 0.64, 95% CI 0.45 to 0.91; p=0.01). Conclusions: "
    "Nurse-led telephone follow-up reduced readmission, and future trials will test it in primary care.")


@pytest.mark.parametrize("journal_b, year_b", [("BMJ Open", 2020), ("BMJ Open", 2021), (None, 2020)])
def test_a_trials_protocol_and_results_paper_of_one_title_are_two_papers(journal_b, year_b):
    """A trial's protocol and its results paper often carry one title, by one team, in one journal or a year apart;
    their abstracts share the background and the methods. The protocol was joined with the results paper as one
    record, and one of them never screened. An abstract that says what the trial will do, beside one that reports
    its findings, tells them apart: two records, listed. One paper's abstract in two databases, one copy cut short
    before its results, still joins."""
    authors = ("Nguyen, Thi Lan", "Pham, Van Minh")
    protocol = dict(rec(TELE_HF, authors=authors, journal="BMJ Open", year=2020), abstract=PROTOCOL_ABSTRACT)
    results = dict(rec(TELE_HF, authors=authors, journal=journal_b, year=year_b, source_db="embase"),
                   abstract=RESULTS_ABSTRACT)
    ids, reasons = review_of(protocol, results)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "one abstract a protocol's, the other reporting results" in reasons[0], reasons
    cut = dict(results, abstract=RESULTS_ABSTRACT.split(" Results:")[0])
    assert groups(dict(results, source_db="medline"), cut) == [1, 1]
    assert groups(protocol, dict(protocol, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.2337/dc19-1234"), ("pmid", "31234567")])
@pytest.mark.parametrize("ta, tb", [
    ("Exercise and depression in older adults", "Exercise and cognitive function in older adults"),
    ("Dapagliflozin and cardiovascular outcomes in type 2 diabetes",
     "Dapagliflozin and kidney function decline in older adults with type 2 diabetes"),
])
def test_one_identifier_on_titles_naming_two_outcomes_after_and_is_listed(field, value, ta, tb):
    """"Exercise and depression" and "Exercise and cognitive function" in older adults, the same team's two papers in
    one journal, one DOI or PMID a database pasted on both, were joined as one paper: the outcome named after "and"
    was not read as the outcome it is after "on". They stay two records, listed for a person to check; the outcome
    spelled otherwise ("anaemia" / "anemia") is still one paper."""
    a = dict(rec(ta, journal="Diabetes Care"), **{field: value})
    b = dict(rec(tb, journal="Diabetes Care", source_db="embase"), **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in place of each other" in reasons[0], reasons
    tc = "Iron supplements and anaemia in pregnant women"
    assert groups(dict(a, title=tc), dict(b, title=tc.replace("anaemia", "anemia"))) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1002/ejhf.1234"), ("pmid", "31234567")])
@pytest.mark.parametrize("words", ["Long-term outcomes", "Sustained outcomes", "Mediators of the outcomes"])
def test_one_identifier_on_a_title_with_words_put_before_it_is_listed(field, value, words):
    """"Long-term outcomes of <trial>" and "Outcomes of <trial>", the trial's follow-up and its first paper, one DOI
    or PMID a database pasted on both, were joined as one paper: a database cuts no words at the start of a title,
    and titles joined on their words alone were already kept apart so. They stay two records, listed; a heading set
    off by a colon ("Original article: <title>") is still the paper."""
    trial = "nurse-led telephone follow-up after heart failure hospitalisation: the TELE-HF randomised trial"
    a = dict(rec("Outcomes of " + trial, journal="Eur J Heart Fail"), **{field: value})
    b = dict(rec(f"{words} of {trial}", journal="Eur J Heart Fail", source_db="embase"), **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "before one title only" in reasons[0], reasons
    assert groups(a, dict(b, title="Original article: Outcomes of " + trial)) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1111/add.v115.1"), ("pmid", "31234567")])
@pytest.mark.parametrize("title", ["Editorial", "In this issue", "Letter to the editor"])
def test_one_identifier_on_two_items_titled_by_their_kind_is_listed(field, value, title):
    """Two editorials of one journal, each from another database with the issue's DOI (or one's PMID pasted on the
    other), were joined as one item though their first authors or pages differ: the title "Editorial" names the kind
    of item, not the item, so it confirms nothing. They stay two records, listed; one editorial's copies (one first
    author written two ways, no page on one) still join."""
    a = dict(rec(title, authors=("Smith, John A.",), journal="Addiction", volume="115", pages="1-2"), **{field: value})
    b = dict(rec(title, authors=("Brown, Peter",), journal="Addiction", volume="115", source_db="embase"),
             **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "first authors" in reasons[0], reasons
    assert groups(a, dict(b, authors=["Smith, J. A."], pages="5-6")) == [1, 2]
    assert groups(a, dict(b, authors=["Smith, J. A."])) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1016/S0140-6736(20)32531-9"), ("pmid", "33278935")])
def test_one_identifier_on_one_title_in_two_journals_at_two_places_is_listed(field, value):
    """A trial's conference abstract and its article carry one title; a database pasted the article's DOI (or PMID) on
    the abstract in the meeting's supplement, and the two were joined as one record. Two journals, two volumes and
    two first pages (or years far apart) say two works: two records, listed for a person to check. One paper whose
    journal a database names wrongly, in the same volume, still joins."""
    title = ("Pembrolizumab plus chemotherapy in metastatic triple-negative breast cancer: updated survival analysis "
             "of KEYNOTE-355")
    abstract = dict(rec(title, authors=("Cortes, Javier",), journal="Annals of Oncology", volume="31", pages="S1142",
                        year=2020), **{field: value})
    article = dict(rec(title, authors=("Cortes, Javier",), journal="Lancet", volume="396", pages="1817-1828",
                       year=2020, source_db="embase"), **{field: value})
    ids, reasons = review_of(abstract, article)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two journals" in reasons[0], reasons
    assert groups(dict(abstract, volume=None, pages=None, year=2016), article) == [1, 2]
    assert groups(dict(abstract, journal="Natural Resource Modeling", volume="396", pages=None), article) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1001/jama.2019.1234"), ("pmid", "30000001")])
@pytest.mark.parametrize("letter", [{"pages": "2045"}, {"type": "Letter"}])
def test_one_identifier_on_a_letter_headed_with_the_papers_title_is_listed(field, value, letter):
    """A journal heads the letters about a paper with the paper's title; a database gave such a letter, by another
    first author at another page (or typed a letter), the paper's DOI or PMID, and the letter was joined with the
    paper as one record. Two first authors at two pages, or a letter beside an article, say two items: two records,
    listed. The paper's copy with its author written otherwise, and no page, still joins."""
    title = ("Intensive blood pressure lowering and cognitive decline in older adults with hypertension: a randomised "
             "trial")
    paper = dict(rec(title, journal="JAMA", volume="321", pages="553-561"), **{field: value})
    other = dict(rec(title, authors=("Brown, Peter",), journal="JAMA", volume="321", source_db="embase"),
                 **letter, **{field: value})
    ids, reasons = review_of(paper, other)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "two first authors" in reasons[0], reasons
    assert groups(paper, dict(paper, authors=["Smith, J. A."], pages=None, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1056/NEJMoa1511939"), ("pmid", "26551272")])
@pytest.mark.parametrize("first, other", [
    ({"authors": ["SPRINT Research Group", "Wright, Jackson T."]}, {"pages": "1-14"}),  # the trial group first
    ({"authors": ["SPRINT Research Group", "Wright, Jackson T."]}, {"type": "Letter"}),
    ({"authors": ["Anonymous"]}, {"pages": "1-14"}),  # no author read, and the article ahead of print
    ({"authors": ["SPRINT Research Group"], "pages": "e0212345"}, {"pages": "1-14"}),
])
def test_one_identifier_on_one_paper_whose_first_author_is_its_group_still_joins(field, value, first, other):
    """PubMed names a trial's group as its first author ("SPRINT Research Group") where another database names the
    first person, and one copy is paged from 1 ahead of print, typed a letter, or gives the article's number: the
    paper's two copies under one DOI or PMID were listed as "a letter about the paper" and the paper screened twice.
    A group, or "Anonymous", is not a second first author: the copies join. A letter by another person still is
    listed (``test_one_identifier_on_a_letter_headed_with_the_papers_title_is_listed``)."""
    title = "A randomized trial of intensive versus standard blood-pressure control"
    paper = dict(rec(title, authors=("Wright, Jackson T.",), journal="N Engl J Med", volume="373", pages="2103-2116",
                     year=2015), **{field: value})
    copy = dict(paper, source_db="embase", **first)
    paper = dict(paper, **other)
    assert groups(paper, copy) == [1, 1]


@pytest.mark.parametrize("field, value", [("doi", "10.1136/emj.2019.1234"), ("pmid", "31234567")])
@pytest.mark.parametrize("part", ["{} (continued)", "{} (cont.)", "{} (concluded)", "{}: part 2", "{} (Part II)",
                                  "II. {}", "Part 2: {}"])
def test_one_identifier_on_a_paper_and_its_next_part_is_listed(field, value, part):
    """A long paper printed in two parts, the first titled plainly and the second "<title> (continued)", "<title>:
    part 2" or "II. <title>": a database gave the second part the first's DOI or PMID, and the two were joined as one
    record, the second never screened. A database neither adds a part's mark nor cuts a title's start: two records,
    listed. A subtitle a database left out ("<title>: a narrative review") is still one paper."""
    title = "Management of acute ischaemic stroke in the emergency department"
    a = dict(rec(title, journal="Emerg Med J"), **{field: value})
    b = dict(rec(part.format(title), journal="Emerg Med J", source_db="embase"), **{field: value})
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "next part" in reasons[0], reasons
    assert groups(a, dict(b, title=title + ": a narrative review")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Mindfulness for anxiety in university students: a randomised trial - UK arm",
     "Mindfulness for anxiety in university students: a randomised trial - Australian arm"),
    ("School-based physical activity and obesity: the UK cohort",
     "School-based physical activity and obesity: the Kenyan cohort"),
    ("Mental health of nurses during COVID-19: the Italian experience",
     "Mental health of nurses during COVID-19: the Spain experience"),
])
def test_one_country_in_place_of_another_countrys_people_is_listed(ta, tb):
    """A trial's arm or a cohort named by its country in one title and by another country's people in the other ("UK
    arm" / "Australian arm") are two papers: "UK" was too short to count as a word in place of another, and a country
    was not compared with a people. Kept apart and listed; one country named both ways ("UK" / "British", "Australia" /
    "Australian") is still one paper."""
    out, review = find_duplicates_with_review(pd.DataFrame([rec(ta), rec(tb, source_db="embase")],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1


@pytest.mark.parametrize("ta, tb", [
    ("Mindfulness for anxiety in university students: a randomised trial - UK arm",
     "Mindfulness for anxiety in university students: a randomised trial - British arm"),
    ("School-based physical activity and obesity: the Australia cohort",
     "School-based physical activity and obesity: the Australian cohort"),
])
def test_one_country_named_as_a_country_and_as_its_people_still_joins(ta, tb):
    assert groups(rec(ta), rec(tb, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Community health workers and malaria in sub-Saharan Africa: evidence from Kenya",
     "Community health workers and malaria in sub-Saharan Africa: evidence from Kenya and Uganda"),
    ("Prevalence of hypertension among adults in rural Ghana", "Prevalence of hypertension among adults in rural Ghana "
                                                               "and Nigeria"),
])
def test_a_second_country_added_at_the_end_is_listed(ta, tb):
    """A study of one country and one of it and another ("... in Kenya" / "... in Kenya and Uganda") were joined: a
    tail was read as another population only after "in", "among" ...; "and <country>" makes another study too. Kept
    apart and listed; the same page range still joins them."""
    out, review = find_duplicates_with_review(pd.DataFrame([rec(ta), rec(tb, source_db="embase")],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1
    assert groups(rec(ta, volume="12", pages="100-110"), rec(tb, volume="12", pages="100-110", source_db="embase")) \
        == [1, 1]


@pytest.mark.parametrize("kind", ["Comment/Reply", "Commentary", "Response", "Reply", "Correspondence",
                                  "Journal Article; Commentary"])
def test_a_comment_or_reply_that_only_psycinfos_or_cinahls_type_marks_is_not_the_paper(kind):
    """PsycInfo types a comment or the authors' reply "Comment/Reply", CINAHL "Commentary" or "Response"; under the
    paper's own title, that type is all that says so, and the comment was joined with the paper (counted one record,
    one of the two never screened). Kept apart and listed, as a "Letter" or "Editorial" is; the comment from two
    databases is still one record."""
    paper = rec(UROLOGY, journal="Journal of Urology", volume="205", pages="1095-1101", source_db="medline")
    comment = dict(rec(UROLOGY, journal="Journal of Urology", source_db="psycinfo"), type=kind)
    out, review = find_duplicates_with_review(pd.DataFrame([paper, comment],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1
    assert groups(comment, dict(comment, source_db="cinahl")) == [1, 1]


# ---------------------------------------------------------------- a journal and its family's other journal


@pytest.mark.parametrize("short, other", [("Diabetes", "Diabetes Care"), ("BMJ", "BMJ Open"),
                                          ("JAMA", "JAMA Netw Open"), ("Lancet", "Lancet Oncology"),
                                          ("Lancet", "Lancet Oncol"),
                                          ("Trials", "Contemporary Clinical Trials"),
                                          ("Hypertension", "Journal of Hypertension"),
                                          ("Journal of Hypertension", "American Journal of Hypertension"),
                                          ("Critical Care", "Critical Care Medicine")])
def test_a_journal_and_its_familys_other_journal_are_two_journals(short, other):
    """"Diabetes" and "Diabetes Care", "BMJ" and "BMJ Open", "Lancet" and "Lancet Oncology" were taken for one journal
    (one name's words all in the other's): the same title by the same first author a year apart (the ADA meeting's
    abstract in Diabetes and the paper in Diabetes Care; the protocol in BMJ Open and the results in BMJ) was joined
    and one never screened. A word that makes another journal of the family ("Open", "Care", "Oncology", "Journal of"
    before the name, ...) tells them apart; the paper's copies under the journal's other names still join."""
    assert not journals_compatible(short, other)
    assert not journals_compatible(other, short)
    title = "Once-weekly semaglutide and kidney outcomes in adults with type 2 diabetes and chronic kidney disease"
    a = rec(title, journal=short, year=2021)
    assert groups(a, rec(title, journal=other, year=2022, source_db="embase")) == [1, 2]
    assert groups(a, rec(title.upper(), journal=short.upper() + ".", year=2021, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("a, b", [("Surgical Endoscopy and Other Interventional Techniques", "Surgical endoscopy"),
                                  ("CMAJ", "CMAJ Canadian Medical Association Journal"),
                                  ("JAMA", "JAMA - Journal of the American Medical Association"),
                                  ("Applied Soft Computing", "Applied Soft Computing Journal"),
                                  ("J Hypertens", "Journal of Hypertension"), ("Diabetes Care", "Diabetes care."),
                                  ("Lancet Oncol", "The Lancet Oncology"), ("BMJ Open", "BMJ open"),
                                  ("Stroke", "Stroke; a journal of cerebral circulation"),
                                  ("JAMA Netw Open", "JAMA Network Open"),
                                  ("Acta Paediatrica", "Acta Paediatrica, International Journal of Paediatrics"),
                                  ("International Journal of Cancer",
                                   "International journal of cancer. Journal international du cancer"),
                                  ("Journal of Trauma", "Journal of Trauma - Injury, Infection and Critical Care"),
                                  ("Journal of Trauma", "Journal of Trauma-Injury Infection & Critical Care"),
                                  ("Future Generation Computer Systems",
                                   "Future Generation Computer Systems-The International Journal of Escience"),
                                  ("British Medical Journal", "British Medical Journal Clinical Research Ed."),
                                  ("JAMA", "J Am Med Assoc"), ("Psycho-Oncology", "Psychooncology")])
def test_one_journals_names_are_still_one_journal(a, b):
    """One journal's names in two databases: a subtitle, a parallel name, the initials spelled out, MEDLINE's
    edition, an abbreviation. Two journals of one family (``test_a_journal_and_its_familys_other_journal_...``) are
    told by a word such as "Open" or "Care" in the name itself, not in its subtitle."""
    assert journals_compatible(a, b)
    assert journals_compatible(b, a)


@pytest.mark.parametrize("a, b", [("JAMA", "J Am Med Assoc"), ("Psycho-Oncology", "Psychooncology")])
def test_a_journals_initials_or_its_name_run_together_is_still_one_journal(a, b):
    """"J Am Med Assoc" (an old MEDLINE abbreviation) spells JAMA's initials, "Psychooncology" runs "Psycho-Oncology"
    together; the family rule read the added words ("Med", "Oncology") as another journal of the family ("JAMA" /
    "JAMA Netw Open") and kept one paper's two copies, same title, author and year, apart without a word."""
    title = "Once-weekly semaglutide and kidney outcomes in adults with type 2 diabetes and chronic kidney disease"
    assert groups(rec(title, journal=a, year=2021), rec(title, journal=b, year=2021, source_db="embase")) == [1, 1]


DAPA_HF = "Dapagliflozin and kidney function in patients with heart failure and reduced ejection fraction"
MCMURRAY = ("McMurray, John J. V.", "Solomon, Scott D.", "Docherty, Kieran F.")


def _abstract_and_paper_listed(meeting: str, journal: str) -> None:
    """Journal names ``meeting`` and ``journal`` read as two journals both ways, and a meeting abstract in one and
    the paper in the other (one title and first author, a year apart) kept apart and listed for the reviewer."""
    assert not journals_compatible(meeting, journal)
    assert not journals_compatible(journal, meeting)
    abstract = rec(DAPA_HF, authors=MCMURRAY, year=2019, journal=meeting)
    paper = rec(DAPA_HF, authors=MCMURRAY, year=2020, journal=journal, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, paper],
                                                           index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert len(review) == 1 and "different journals" in review["reason"].iloc[0], review["reason"].tolist()


@pytest.mark.parametrize("meeting, journal", [
    ("Circulation", "Circulation: Heart Failure"), ("Circulation", "Circulation. Heart failure"),
    ("Circulation", "CIRCULATION-HEART FAILURE"), ("Circulation", "Circ Heart Fail"), ("JACC", "JACC: Heart Failure"),
    ("Lancet", "The Lancet. Oncology"), ("The Lancet", "Lancet. Oncology"),
    ("Disability and Rehabilitation", "Disability and rehabilitation. Assistive technology"),
])
def test_a_journal_and_its_familys_journal_named_after_a_mark_are_two_journals(meeting, journal):
    """The meeting's abstract in "Circulation" and the paper, one title, in "Circulation: Heart Failure" (MEDLINE's
    "Circulation. Heart failure", Web of Science's "CIRCULATION-HEART FAILURE"), or in "The Lancet. Oncology", were
    joined as one journal's copies and the paper never screened: the colon's parts were matched alone, the words
    after a full stop read as a subtitle. The family's journal named after the mark is another journal: listed."""
    _abstract_and_paper_listed(meeting, journal)


def listed_not_joined(journal_a, journal_b):
    """The meeting's abstract in one journal and the paper, one title and first author, a year on in the other."""
    abstract = rec(DAPA_HF, authors=MCMURRAY, year=2019, journal=journal_a)
    paper = rec(DAPA_HF, authors=MCMURRAY, year=2020, journal=journal_b, source_db="embase")
    out, review = find_duplicates_with_review(pd.DataFrame([abstract, paper],
                                                           index=pd.Index([1, 2], name="record_id")))
    return out["group_id"].tolist() == [1, 2] and len(review) == 1 and "different journals" in review["reason"].iloc[0]


@pytest.mark.parametrize("short, other", [
    ("Diabetes", "Diabetes, Obesity and Metabolism"), ("Diabetes", "Diabetes, obesity & metabolism"),
    ("Diabetes", "Diabetes Obes Metab"), ("Journal of Neurology", "Journal of Neurology, Neurosurgery, and Psychiatry"),
])
def test_a_journal_and_its_familys_journal_named_with_a_list_are_two_journals(short, other):
    """The abstract in "Diabetes" and the paper in "Diabetes, Obesity and Metabolism" were joined as one journal's
    copies: the comma was read as the start of a subtitle, leaving "Diabetes". A comma in a list of the name's
    subjects ("..., Obesity and Metabolism") is the name's own: another journal, listed."""
    assert not journals_compatible(short, other)
    assert not journals_compatible(other, short)
    assert listed_not_joined(short, other)


@pytest.mark.parametrize("short, other", [("Cancer", "Cancer Journal"), ("Cancer", "The Cancer Journal"),
                                          ("Cancer", "Cancer J"), ("Cancer (Philadelphia)", "Cancer journal"),
                                          ("Circulation", "Circulation Journal"), ("Spine", "The Spine Journal")])
def test_a_one_word_journal_and_that_word_with_journal_are_two_journals(short, other):
    """"Cancer" and "Cancer Journal" (Circulation and the Japanese Circulation Journal, Spine and The Spine Journal)
    are two journals; "Journal" after the name was read as a database's addition ("Applied Soft Computing Journal")
    and the abstract in one and the paper in the other were joined. After a one-word name it makes another journal:
    listed. "Cancer J" and "The Cancer Journal" are still one journal."""
    assert not journals_compatible(short, other)
    assert not journals_compatible(other, short)
    assert listed_not_joined(short, other)


@pytest.mark.parametrize("short, other", [
    ("BMJ", "BMJ Open Diabetes Research & Care"), ("BMJ", "BMJ Open Diabetes Res Care"),
    ("BMJ (Clinical research ed.)", "BMJ open diabetes research & care"),
    ("AIDS", "AIDS Care - Psychological and Socio-Medical Aspects of AIDS/HIV"),
])
def test_a_journal_and_its_familys_journal_of_many_more_words_are_two_journals(short, other):
    """"BMJ" and "BMJ Open Diabetes Research & Care": four words added were read as a subtitle run on ("Journal of
    Trauma-Injury Infection & Critical Care"), and the protocol in one and the results in the other were joined.
    A family's word right after the shorter name ("Open", "Care") makes another journal however many follow: listed.
    The Journal of Trauma's subtitle, and BMJ Open Diabetes Research & Care's own names, are still one journal."""
    assert not journals_compatible(short, other)
    assert not journals_compatible(other, short)
    assert listed_not_joined(short, other)
    assert journals_compatible("Journal of Trauma", "Journal of Trauma-Injury Infection & Critical Care")


def _one_journal(a: str, b: str, title: str) -> None:
    """Journal names ``a`` and ``b`` read as one journal both ways, and one paper's two copies under them (no volume
    or first page to confirm) joined as one record."""
    assert journals_compatible(a, b)
    assert journals_compatible(b, a)
    assert groups(rec(title, journal=a, year=2021), rec(title, journal=b, year=2021, source_db="embase")) == [1, 1]


@pytest.mark.parametrize("a, b", [
    ("Circ Heart Fail", "Circulation: Heart Failure"), ("Circulation. Heart failure", "Circulation: Heart Failure"),
    ("CIRCULATION-HEART FAILURE", "Circ Heart Fail"), ("Circ. Heart Fail.", "Circulation. Heart failure"),
    ("Lancet Oncol", "The Lancet. Oncology"), ("Lancet. Oncology", "The Lancet Oncology"), ("Lancet", "The Lancet"),
    ("Lancet", "Lancet (London, England)"), ("Diabetes Obes Metab", "Diabetes, obesity & metabolism"),
    ("DIABETES OBESITY & METABOLISM", "Diabetes, Obesity and Metabolism"), ("Cancer J", "The Cancer Journal"),
    ("Cancer journal (Sudbury, Mass.)", "Cancer Journal"), ("Cancer", "Cancer (0008543X)"),
    ("BMJ Open Diabetes Res Care", "BMJ open diabetes research & care"), ("BMJ (Clinical research ed.)", "BMJ"),
    ("N Engl J Med", "The New England journal of medicine"), ("JACC. Heart failure", "JACC: Heart Failure"),
    ("Journal of psychiatry & neuroscience : JPN", "Journal of Psychiatry and Neuroscience"),
    ("Journal of the American Heart Association",
     "Journal of the American Heart Association: Cardiovascular and Cerebrovascular Disease"),
    ("Continuum (Minneapolis, Minn.)", "CONTINUUM: Lifelong Learning in Neurology"),
    ("Journal of Bone and Joint Surgery", "Journal of Bone and Joint Surgery. American volume"),
    ("European Respiratory Journal", "European Respiratory Journal. Supplement"),
    ("Brain", "Brain: A Journal of Neurology"), ("JPEN. Journal of parenteral and enteral nutrition", "JPEN"),
    ("Psycho-Oncology", "Psychooncology"),
])
def test_one_journals_names_with_a_colon_full_stop_or_list_are_still_one_journal(a, b):
    """One journal's names in MEDLINE, Embase and Web of Science: its part after a colon or full stop written
    another way, abbreviated, or a subtitle there (JAHA's "Cardiovascular and Cerebrovascular Disease", "A Journal
    of Neurology", the initials "JPN"), a volume or supplement, still one journal: one paper's copies join."""
    _one_journal(a, b, "Once-weekly semaglutide and kidney outcomes in adults with type 2 diabetes and chronic kidney "
                       "disease")


@pytest.mark.parametrize("a, b", [("Eur J Cardiothorac Surg", "European Journal of Cardio-Thoracic Surgery"),
                                  ("Eur J Cardiothorac Surg", "European journal of cardio-thoracic surgery : official "
                                                              "journal of the European Association for Cardio-thoracic "
                                                              "Surgery")])
def test_a_medline_abbreviation_of_a_hyphenated_word_is_still_one_journal(a, b):
    """MEDLINE's "Eur J Cardiothorac Surg" abbreviates "Cardio-Thoracic", two words in Embase's name, as one: the two
    names were two journals, and one paper's copies without a volume and first page in both were listed apart."""
    _one_journal(a, b, "Video-assisted thoracoscopic lobectomy versus open lobectomy for early-stage lung cancer")


@pytest.mark.parametrize("a, b", [
    ("J Neurooncol", "Journal of Neuro-Oncology"), ("J Neurooncol", "JOURNAL OF NEURO-ONCOLOGY"),
    ("Acta Otolaryngol", "Acta Oto-Laryngologica"), ("J Neuroophthalmol", "Journal of Neuro-Ophthalmology"),
])
def test_an_abbreviation_running_a_hyphenated_name_together_is_still_one_journal(a, b):
    """MEDLINE's "J Neurooncol" runs Embase's and Web of Science's "Neuro-Oncology" together: the hyphen was read as
    the mark before a family's journal ("Circulation-Heart Failure"), "J Neuro" as the family, and one paper's copies
    without one volume and first page were listed as two journals. A word of the name that runs on past the mark
    names the whole journal, not the family."""
    _one_journal(a, b, "Temozolomide with radiotherapy for newly diagnosed glioblastoma in older adults")


@pytest.mark.parametrize("a, b", [
    ("Human psychopharmacology", "Human Psychopharmacology: Clinical and Experimental"),
    ("Hum Psychopharmacol", "HUMAN PSYCHOPHARMACOLOGY-CLINICAL AND EXPERIMENTAL"),
    ("Clin Psychol (New York)", "Clinical Psychology: Science and Practice"),
    ("Professional Psychology", "Professional Psychology: Research & Practice"),
    ("Addiction Research & Theory", "Addiction: Research and Theory"),
])
def test_a_subtitle_saying_what_kind_of_journal_it_is_is_still_one_journal(a, b):
    """MEDLINE's "Human psychopharmacology" and PsycINFO's "Human Psychopharmacology: Clinical and Experimental" are
    one journal; its subtitle, two words saying what kind of work it prints, was read as the name of a family's
    journal ("Circulation: Heart Failure") and one paper's copies without one volume and first page were listed
    as two journals. "Substance Abuse: Research and Treatment" still names a journal of its own."""
    assert journals_compatible(a, b)
    assert journals_compatible(b, a)
    title = "Acute effects of cannabidiol on anxiety and cognition in healthy volunteers: a randomised crossover trial"
    assert groups(rec(title, journal=a, year=2021), rec(title, journal=b, year=2021, source_db="psycinfo")) == [1, 1]


def test_a_familys_journal_named_by_two_words_is_still_another_journal():
    """Not a subtitle: "Substance Abuse: Research and Treatment" and "Neurology: Clinical Practice" are journals of
    their own beside "Substance Abuse" and "Neurology"."""
    assert not journals_compatible("Substance Abuse", "Substance Abuse: Research and Treatment")
    assert not journals_compatible("Neurology", "Neurology: Clinical Practice")


@pytest.mark.parametrize("a, b", [
    ("Der Nervenarzt", "Nervenarzt"), ("Der Nervenarzt", "NERVENARZT"),
    ("Fortschritte der Neurologie-Psychiatrie", "Fortschr Neurol Psychiatr"),
    ("Praxis der Kinderpsychologie und Kinderpsychiatrie", "Prax Kinderpsychol Kinderpsychiatr"),
])
def test_a_german_journals_article_is_not_a_familys_word(a, b):
    """MEDLINE's "Der Nervenarzt" and Web of Science's and Scopus's "Nervenarzt" are one journal: "der" was read as
    "Dermatology" abbreviated, a family's journal ("Nervenarzt" / "Dermatology Nervenarzt"), and one paper's copies
    without one volume and first page in both were listed as different journals."""
    _one_journal(a, b, "Ketamine for treatment-resistant depression in psychiatric inpatients: a retrospective cohort "
                       "study")


@pytest.mark.parametrize("a, b", [
    ("J Alzheimers Dis", "Journal of Alzheimer's Disease"), ("J Womens Health (Larchmt)", "Journal of Women's Health"),
    ("J Parkinsons Dis", "Journal of Parkinson\u2019s Disease"), ("J Crohns Colitis", "Journal of Crohn's and Colitis"),
])
def test_medlines_abbreviation_of_a_name_with_an_apostrophe_is_still_one_journal(a, b):
    """MEDLINE's "J Alzheimers Dis" drops the apostrophe that Embase and Scopus keep ("Journal of Alzheimer's
    Disease"): "alzheimer's" was read as two words, "Alzheimers" abbreviated neither, and one paper's copies without
    one volume and first page in both were listed as different journals."""
    _one_journal(a, b, "Plasma phosphorylated tau 217 for the diagnosis of Alzheimer disease in a memory clinic cohort")


@pytest.mark.parametrize("a, b", [
    ("Gan to kagaku ryoho. Cancer & chemotherapy", "Gan To Kagaku Ryoho"),
    ("No shinkei geka. Neurological surgery", "No Shinkei Geka"), ("Seikei geka. Orthopedic surgery", "Seikei Geka"),
])
def test_medlines_english_name_after_a_japanese_journals_name_is_still_one_journal(a, b):
    """MEDLINE's "Gan to kagaku ryoho. Cancer & chemotherapy" gives the Japanese journal's name and its English one;
    the English words were read as the name of a family's journal ("The Lancet. Oncology"), and one paper's copies
    (MEDLINE's title and its abbreviation "Gan To Kagaku Ryoho") without one volume and first page were listed as
    different journals. "The Lancet. Oncology" and "Circulation. Heart failure" stay journals of their own."""
    _one_journal(a, b, "A case of advanced gastric cancer with peritoneal dissemination responding to nivolumab")


@pytest.mark.parametrize("meeting, journal", [
    ("Brain", "Brain, Behavior, and Immunity"), ("Brain", "Brain Behav Immun"),
    ("Brain", "BRAIN BEHAVIOR AND IMMUNITY"),
    ("Lancet", "Lancet Child Adolesc Health"), ("The Lancet", "The Lancet Child & Adolescent Health"),
    ("Heart", "Heart, Lung and Circulation"), ("AIDS", "AIDS Education and Prevention"),
])
def test_a_one_word_journal_and_a_name_running_on_from_it_are_two_journals(meeting, journal):
    """An abstract in "Brain" and the paper, one title and first author, in "Brain, Behavior, and Immunity" (MEDLINE's
    "Brain Behav Immun"), or in "Lancet Child Adolesc Health", were joined as one journal's copies and the paper never
    screened: no word added was a family's word ("Oncology", "Open"). A one-word name and two words or more run on
    from it, without a mark or a subtitle between, are two journals: listed."""
    _abstract_and_paper_listed(meeting, journal)


@pytest.mark.parametrize("a, b", [
    ("Brain", "Brain: A Journal of Neurology"), ("Brain", "BRAIN"),
    ("Stroke", "Stroke; a journal of cerebral circulation"),
    ("Sleep", "Sleep Journal of Sleep and Sleep Disorders Research"), ("Lancet", "Lancet (London, England)"),
    ("Spine", "Spine (Phila Pa 1976)"), ("Obesity", "Obesity Silver Spring Md"),
    ("Medicine", "Medicine (United States)"),
    ("Allergy", "Allergy: European Journal of Allergy and Clinical Immunology"),
    ("Continuum", "CONTINUUM: Lifelong Learning in Neurology"),
])
def test_a_one_word_journal_with_its_subtitle_or_place_is_still_one_journal(a, b):
    """One journal's one-word name beside its subtitle (after a mark, or naming it a journal) or its place: one
    paper's copies join."""
    _one_journal(a, b, "Once-weekly semaglutide and kidney outcomes in adults with type 2 diabetes and chronic kidney "
                       "disease")


@pytest.mark.parametrize("meeting, journal", [
    ("Circulation", "Circulation: Cardiovascular Quality and Outcomes"),
    ("Circulation", "Circulation. Cardiovascular quality and outcomes"),
    ("Circulation", "CIRCULATION-CARDIOVASCULAR QUALITY AND OUTCOMES"),
    ("Circulation", "Circulation: Genomic and Precision Medicine"),
    ("Stroke", "Stroke: Vascular and Interventional Neurology"),
])
def test_a_familys_journal_named_by_three_words_after_a_mark_is_another_journal(meeting, journal):
    """The AHA meeting's abstract in Circulation and the paper, one title and first author, in "Circulation:
    Cardiovascular Quality and Outcomes" were joined and the paper never screened: three words after the colon were
    read as a subtitle. Three words joined by "and" after a one-word name, one a family's word ("Quality",
    "Medicine", "Neurology"), name the family's journal: listed."""
    _abstract_and_paper_listed(meeting, journal)


@pytest.mark.parametrize("a, b", [
    ("Circ Cardiovasc Qual Outcomes", "Circulation: Cardiovascular Quality and Outcomes"),
    ("Circulation. Cardiovascular quality and outcomes", "CIRCULATION-CARDIOVASCULAR QUALITY AND OUTCOMES"),
    ("Stroke Vasc Interv Neurol", "Stroke: Vascular and Interventional Neurology"),
    ("OTJR (Thorofare N J)", "OTJR: Occupation, Participation and Health"),
    ("tripleC", "tripleC: Communication, Capitalism & Critique"),
    ("Alcohol Clin Exp Res", "Alcoholism: Clinical and Experimental Research"),
])
def test_one_journals_names_with_three_words_after_a_mark_are_still_one_journal(a, b):
    """One journal's names, the family's part of three words written out, abbreviated or in capitals, or a subtitle
    of three words with no family's word ("Occupation, Participation and Health"): one paper's copies join."""
    _one_journal(a, b, "Once-weekly semaglutide and kidney outcomes in adults with type 2 diabetes and chronic kidney "
                       "disease")


# ---------------------------------------------------------------- one PMID, two DOIs

_HFPEF = "Exercise training for heart failure with preserved ejection fraction: a randomised trial"


def _pmid(record, pmid):
    return {**record, "pmid": pmid}


def test_one_pmid_on_two_dois_of_one_title_a_year_apart_is_listed_not_joined():
    """A paper and its reprint (or its correction under the copied title) in one journal a year apart, one database
    giving both the paper's PMID: two DOIs say two items, so they were joined silently, one hiding the other."""
    a = _pmid(rec(_HFPEF, year=2019, doi="10.1093/eurheartj/ehz001"), "31000001")
    b = _pmid(rec(_HFPEF, year=2020, doi="10.1093/eurheartj/ehaa002", source_db="embase"), "31000001")
    out, review = find_duplicates_with_review(pd.DataFrame([a, b], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert review[["record_id", "other_id"]].values.tolist() == [[1, 2]]
    assert "DOIs 10.1093/eurheartj/ehaa002 and 10.1093/eurheartj/ehz001" in review["reason"].iloc[0]


def test_one_pmid_on_two_dois_at_one_volume_and_first_page_is_one_paper():
    """The same volume and first page confirm one paper: one database's DOI is wrong."""
    a = _pmid(rec(_HFPEF, year=2019, volume="40", pages="100-110", doi="10.1093/eurheartj/ehz001"), "31000001")
    b = _pmid(rec(_HFPEF, year=2019, volume="40", pages="100-110", doi="10.1093/eurheartj/ehz901",
                  source_db="embase"), "31000001")
    assert groups(a, b) == [1, 1]


@pytest.mark.parametrize("a, b", [
    ("J Am Med Inform Assoc", "J Am Med Assoc"),
    ("Journal of the American Medical Informatics Association", "Journal of the American Medical Association"),
    ("J Am Med Dir Assoc", "J Am Med Assoc"),
    ("Eur J Respir Dis", "Eur Respir J"),
    ("European Journal of Respiratory Diseases", "European Respiratory Journal"),
])
def test_a_journal_name_with_an_informatics_or_diseases_word_more_is_another_journal(a, b):
    """JAMIA and JAMA, or the European Journal of Respiratory Diseases and the European Respiratory Journal: one name's
    words all in the other's read as one journal, so one title in both was joined as one paper, not listed."""
    assert not journals_compatible(a, b)
    t = "Patient portal use and medication adherence in adults with hypertension: a cohort study"
    out, review = find_duplicates_with_review(pd.DataFrame(
        [rec(t, journal=a), rec(t, journal=b, source_db="embase")], index=pd.Index([1, 2], name="record_id")))
    assert out["group_id"].tolist() == [1, 2]
    assert "different journals" in review["reason"].iloc[0]


@pytest.mark.parametrize("a, b", [
    ("J Am Med Inform Assoc", "Journal of the American Medical Informatics Association"),
    ("J Am Med Assoc", "Journal of the American Medical Association"),
    ("Eur J Respir Dis", "European Journal of Respiratory Diseases"),
    ("Eur Respir J", "EUROPEAN RESPIRATORY JOURNAL"),
    ("Clin Infect Dis", "Clinical infectious diseases : an official publication of the Infectious Diseases Society of "
                        "America"),
    ("Ann Rheum Dis", "Annals of the Rheumatic Diseases"),
    ("J Stroke Cerebrovasc Dis", "Journal of Stroke and Cerebrovascular Diseases"),
    ("BMC Med Inform Decis Mak", "BMC Medical Informatics and Decision Making"),
    ("Stud Health Technol Inform", "Studies in Health Technology and Informatics"),
    ("J Am Med Dir Assoc", "Journal of the American Medical Directors Association"),
])
def test_one_journal_named_by_its_abbreviation_and_in_full_is_still_one_journal(a, b):
    assert journals_compatible(a, b)


@pytest.mark.parametrize("meeting, journal", [
    ("Lancet", "The Lancet. Child & adolescent health"), ("The Lancet", "The Lancet. Child & adolescent health"),
    ("Lancet (London, England)", "The Lancet. Child & adolescent health"),
    ("Lancet", "Lancet. Child and Adolescent Health"),
])
def test_medlines_lancet_child_and_adolescent_health_is_not_the_lancet(meeting, journal):
    """MEDLINE's "The Lancet. Child & adolescent health" was read as "Lancet" and a subtitle: three words after the
    full stop were too many for a family's journal without one of its words ("Oncology"). The abstract in The Lancet
    and the paper there were joined and the paper never screened; now two journals, listed."""
    _abstract_and_paper_listed(meeting, journal)


@pytest.mark.parametrize("a, b", [
    ("The Lancet. Child & adolescent health", "Lancet Child Adolesc Health"),
    ("The Lancet. Child & adolescent health", "The Lancet Child & Adolescent Health"),
    ("The Lancet. Child & adolescent health", "LANCET CHILD & ADOLESCENT HEALTH"),
    ("Aging. Clinical and experimental research", "Aging Clin Exp Res"),
])
def test_medlines_lancet_child_and_adolescent_health_is_still_its_own_journal(a, b):
    """The journal's names in MEDLINE, Embase, Scopus and Web of Science: one paper's copies join."""
    _one_journal(a, b, "Screen time and depressive symptoms in adolescents: a prospective cohort study")
    assert journals_compatible("OTJR: Occupation, Participation and Health", "OTJR")


@pytest.mark.parametrize("a, b", [
    ("Clin Infect Dis", "J Infect Dis"), ("Clinical Infectious Diseases", "Journal of Infectious Diseases"),
    ("CLINICAL INFECTIOUS DISEASES", "JOURNAL OF INFECTIOUS DISEASES"),
    ("Clinical infectious diseases : an official publication of the Infectious Diseases Society of America",
     "The Journal of infectious diseases"),
    ("Drug Alcohol Depend", "Drug Alcohol Rev"),
    ("International Journal of Drug Policy", "International Journal of Alcohol and Drug Research"),
])
def test_two_journal_names_alike_but_for_a_word_of_each_are_two_journals(a, b):
    """Clinical Infectious Diseases and The Journal of Infectious Diseases, or Drug and Alcohol Dependence and Drug and
    Alcohol Review: the names were alike enough (fuzzy similarity) to read as one journal, though each has a word the
    other lacks. The abstract in one and the paper in the other were joined; now two journals, listed."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Clin Infect Dis", "CLINICAL INFECTIOUS DISEASES"), ("J Infect Dis", "The Journal of infectious diseases"),
    ("Drug Alcohol Depend", "DRUG AND ALCOHOL DEPENDENCE"), ("Drug Alcohol Rev", "Drug and Alcohol Review"),
    ("Int J Drug Policy", "International Journal of Drug Policy"),
    ("Journal of Paediatrics and Child Health", "Journal of Pediatrics and Child Health"),
    ("Behaviour Research and Therapy", "Behavior Research and Therapy"),
    ("Jounral of Infectious Diseases", "Journal of Infectious Diseases"),
    ("Chung-Hua Chung Liu Tsa Chih [Chinese Journal of Oncology]", "Zhonghua zhong liu za zhi [Chinese journal of "
                                                                   "oncology]"),
    ("Nippon Kyobu Geka Gakkai Zasshi - Journal of the Japanese Association for Thoracic Surgery",
     "[Zasshi] [Journal]. Nihon Kyobu Geka Gakkai"),
    ("Problemy Ekonomiky", "Problems of Economy"),
])
def test_one_journal_written_another_way_or_mistyped_is_still_one_journal(a, b):
    """One journal abbreviated, in capitals, spelled the British or American way, mistyped, or romanised two ways
    (its English name in brackets, or its subtitle, the same): one paper's copies join."""
    _one_journal(a, b, "Rifampicin-resistant tuberculosis treatment outcomes in adolescents: a cohort study")


@pytest.mark.parametrize("a, b", [
    ("Am J Psychiatry", "Am J Geriatr Psychiatry"), ("American Journal of Psychiatry",
                                                     "American Journal of Geriatric Psychiatry"),
    ("The American journal of psychiatry", "The American journal of geriatric psychiatry : official journal of the "
                                           "American Association for Geriatric Psychiatry"),
    ("J Subst Abuse", "J Subst Abuse Treat"), ("Journal of Substance Abuse", "Journal of Substance Abuse Treatment"),
    ("JOURNAL OF SUBSTANCE ABUSE", "JOURNAL OF SUBSTANCE ABUSE TREATMENT"),
    ("Addiction", "Addiction Biology"), ("Addiction", "Addict Biol"), ("Addiction (Abingdon, England)", "Addict Biol"),
])
def test_a_journal_name_and_it_with_a_word_inside_or_a_subject_after_are_two_journals(a, b):
    """The American Journal of Psychiatry and of Geriatric Psychiatry, the Journal of Substance Abuse and of Substance
    Abuse Treatment, Addiction and Addiction Biology: one name's words all in the other's read as one journal, so the
    abstract in one and the paper in the other were joined and one never screened. A word inside the name, or
    "Treatment" or "Biology" after it, makes another journal: listed."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Am J Geriatr Psychiatry", "The American journal of geriatric psychiatry : official journal of the American "
                                "Association for Geriatric Psychiatry"),
    ("J Subst Abuse Treat", "JOURNAL OF SUBSTANCE ABUSE TREATMENT"), ("Addict Biol", "Addiction Biology"),
    ("J Neurol Neurosurg Psychiatry", "Journal of Neurology, Neurosurgery, and Psychiatry"),
    ("Ann N Y Acad Sci", "Annals of the New York Academy of Sciences"),
    ("Surgical Endoscopy", "Surgical Endoscopy and Other Interventional Techniques"),
    ("Ann Fr Anesth Reanim", "Annales Francaises d Anesthesie et de Reanimation"),
    ("Arch Argent Pediatr", "Archivos Argentinos de Pediatria"),
    ("Gan to Kagaku Ryoho [Japanese Journal of Cancer & Chemotherapy]", "Gan to kagaku ryoho. Cancer & chemotherapy"),
])
def test_a_journal_written_out_with_its_every_word_is_still_one_journal(a, b):
    """One journal abbreviated and written out (a French or Spanish article inside), with its subtitle run on, or its
    English name in brackets: one paper's copies join."""
    _one_journal(a, b, "Naltrexone and buprenorphine for methamphetamine use disorder in older adults: a randomised "
                       "trial")


@pytest.mark.parametrize("a, b", [
    ("Alcohol Research: Current Reviews", "Alcohol Res"), ("Alcohol research : current reviews", "Alcohol Res"),
    ("ALCOHOL RESEARCH-CURRENT REVIEWS", "Alcohol Res"),
    ("ALCOHOL RESEARCH-CURRENT REVIEWS", "Alcohol research : current reviews"),
    ("CONTINUUM-LIFELONG LEARNING IN NEUROLOGY", "Continuum (Minneapolis, Minn.)"),
    ("CONTINUUM-LIFELONG LEARNING IN NEUROLOGY", "Continuum: Lifelong Learning in Neurology"),
])
def test_a_journal_and_its_subtitle_after_a_colon_or_web_of_sciences_hyphen_is_one_journal(a, b):
    """MEDLINE's "Alcohol Res" and "Alcohol Research: Current Reviews" ("Current Reviews" read as a family's journal,
    like "Circulation: Heart Failure"), and Web of Science's "CONTINUUM-LIFELONG LEARNING IN NEUROLOGY" and MEDLINE's
    "Continuum" ("Neurology" in the subtitle read as a family's word) were two journals: one paper's copies without a
    volume and first page in both were kept apart. Now one journal, joined."""
    _one_journal(a, b, "Alcohol use disorder in older adults: screening, brief intervention and referral to treatment")


@pytest.mark.parametrize("a, b", [
    ("Alcohol", "Alcohol Research: Current Reviews"), ("Alcohol", "ALCOHOL RESEARCH-CURRENT REVIEWS"),
    ("Circulation", "CIRCULATION-HEART FAILURE"),
    ("AIDS", "AIDS CARE-PSYCHOLOGICAL AND SOCIO-MEDICAL ASPECTS OF AIDS/HIV"),
])
def test_a_subtitle_after_web_of_sciences_hyphen_names_no_other_journal(a, b):
    """Read as a subtitle, the words after Web of Science's hyphen still name no journal of their own."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("b", ["Substance Abuse: Research and Treatment", "Substance abuse : research and treatment",
                               "SUBSTANCE ABUSE-RESEARCH AND TREATMENT"])
def test_medlines_subst_abuse_is_substance_abuse_research_and_treatment(b):
    """MEDLINE abbreviates "Substance Abuse: Research and Treatment" "Subst Abuse": read as the family's parent
    ("Circulation" / "Circulation: Heart Failure"), one paper's copies were kept apart as different journals. Now
    joined."""
    _one_journal("Subst Abuse", b, "Peer recovery coaching after an opioid overdose in the emergency department: a "
                                   "pilot trial")


@pytest.mark.parametrize("a, b", [
    ("Substance Abuse", "Substance Abuse: Research and Treatment"),
    ("Subst Abus", "Substance Abuse: Research and Treatment"),
    ("Substance Abuse (AMERSA)", "SUBSTANCE ABUSE-RESEARCH AND TREATMENT"),
])
def test_substance_abuse_and_substance_abuse_research_and_treatment_are_still_two_journals(a, b):
    """The journal Substance Abuse (MEDLINE's "Subst Abus") is not Substance Abuse: Research and Treatment: the
    abstract in one and the paper in the other are listed. "Subst Abuse" may name either: it still joins Substance
    Abuse."""
    _abstract_and_paper_listed(a, b)
    assert journals_compatible("Subst Abuse", "Substance Abuse")


UTI_SURVEY = "Prevalence of antimicrobial resistance in community-acquired urinary tract infections in {}: a survey"


@pytest.mark.parametrize("x, y", [
    ("the UK", "Great Britain"), ("the United Kingdom", "Great Britain"), ("Britain", "Great Britain"),
    ("Britain", "the UK"), ("Korea", "South Korea"), ("Korea", "the Republic of Korea"),
    ("South Korea", "the Republic of Korea"),
])
def test_one_country_named_two_ways_in_a_title_is_one_paper(x, y):
    """"in the UK" / "in Great Britain", "in Korea" / "in South Korea" / "in the Republic of Korea": one country
    named two ways was read as two countries (or a word added inside), and one paper's copies, in one journal and
    year, were kept apart or listed. Now joined, without a place and at one place."""
    for place in ({}, {"volume": "12", "pages": "100-108"}):
        assert groups(rec(UTI_SURVEY.format(x), journal="BMJ Open", **place),
                      rec(UTI_SURVEY.format(y), journal="BMJ Open", source_db="embase", **place)) == [1, 1]


@pytest.mark.parametrize("x, y", [
    ("England", "the UK"), ("England", "Great Britain"), ("Korea", "North Korea"), ("South Korea", "North Korea"),
    ("the Republic of Korea", "the Democratic People's Republic of Korea"), ("Great Britain", "Ireland"),
    ("Britain", "New Britain"),
])
def test_a_country_and_its_part_or_another_korea_in_a_title_are_still_two_records(x, y):
    """England is a part of the UK, North Korea is not Korea: the two titles stay two records."""
    assert groups(rec(UTI_SURVEY.format(x), journal="BMJ Open"),
                  rec(UTI_SURVEY.format(y), journal="BMJ Open", source_db="embase")) == [1, 2]


JCO_MEDLINE = "Journal of clinical oncology : official journal of the American Society of Clinical Oncology"


@pytest.mark.parametrize("other", ["Clinical oncology (Royal College of Radiologists (Great Britain))",
                                   "Clinical Oncology", "Clin Oncol (R Coll Radiol)"])
def test_the_journal_of_clinical_oncology_with_its_subtitle_is_not_clinical_oncology(other):
    """MEDLINE's "Journal of clinical oncology : official journal of the American Society of Clinical Oncology" holds
    "Clinical Oncology" in its subtitle, and was read as one journal with the Royal College of Radiologists'
    Clinical Oncology, as "Journal of Clinical Oncology" alone is not: the abstract in one and the paper in the other
    were joined. Now two journals, listed."""
    _abstract_and_paper_listed(JCO_MEDLINE, other)


@pytest.mark.parametrize("a, b", [
    (JCO_MEDLINE, "J Clin Oncol"), (JCO_MEDLINE, "JOURNAL OF CLINICAL ONCOLOGY"),
    ("Clinical oncology (Royal College of Radiologists (Great Britain))", "Clin Oncol (R Coll Radiol)"),
    ("JANAC: Journal of the Association of Nurses in AIDS Care", "J Assoc Nurses AIDS Care"),
    ("Subst Abuse Treat Prev Policy", "Substance Abuse: Treatment, Prevention, and Policy"),
    ("Semin Thorac Cardiovasc Surg Pediatr Card Surg Annu",
     "Seminars in Thoracic and Cardiovascular Surgery: Pediatric Cardiac Surgery Annual"),
])
def test_a_journal_with_its_subtitle_after_a_colon_is_still_its_own_journal(a, b):
    _one_journal(a, b, "Stereotactic body radiotherapy for oligometastatic prostate cancer: a phase 2 trial")


@pytest.mark.parametrize("a, b", [
    ("Tijdschr Psychiatr", "Tijdschrift voor psychiatrie"), ("Tijdschr Psychiatr", "TIJDSCHRIFT VOOR PSYCHIATRIE"),
    ("Zh Nevrol Psikhiatr Im S S Korsakova", "Zhurnal nevrologii i psikhiatrii imeni S.S. Korsakova"),
    ("Res Pract Persons Severe Disabil", "Research and Practice for Persons with Severe Disabilities"),
    ("Z Kinder Jugendpsychiatr Psychother", "Zeitschrift fuer Kinder- und Jugendpsychiatrie und Psychotherapie"),
    ("Ann Ist Super Sanita", "Annali dell'Istituto superiore di sanita"),
])
def test_a_journal_abbreviated_without_its_little_words_is_still_one_journal(a, b):
    """MEDLINE's abbreviation leaves out a name's little words ("voor", "with", "dell'") and writes "imeni" "Im":
    read as a word inside the name, as "Geriatric" in "Am J Geriatr Psychiatry", they made another journal, so one
    paper's copies from two databases were kept apart."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Nihon Koshu Eisei Zasshi", "Nippon Koshu Eisei Zasshi"),
    ("[Nihon koshu eisei zasshi] Japanese journal of public health", "Nippon Koshu Eisei Zasshi"),
    ("Nihon Ronen Igakkai Zasshi", "NIPPON RONEN IGAKKAI ZASSHI"), ("Nihon Rinsho", "Nippon Rinsho"),
])
def test_a_japanese_journal_romanised_nihon_and_nippon_is_still_one_journal(a, b):
    """日本 is romanised "Nihon" (MEDLINE) and "Nippon" (the journal's own name, other databases): read as two
    words, the names were two journals and one paper's copies kept apart."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("REVISTA LATINO-AMERICANA DE ENFERMAGEM", "Revista Latinoamericana de Psicologia"),
    ("REVISTA LATINO-AMERICANA DE ENFERMAGEM", "Revista Latinoamericana de Psiquiatria"),
])
def test_a_web_of_science_name_cut_at_a_compounds_hyphen_abbreviates_no_other_journal(a, b):
    """Web of Science's hyphen may stand for a colon ("CONTINUUM-LIFELONG LEARNING IN NEUROLOGY"), but cut at a
    compound's ("LATINO-AMERICANA"), "Revista Latino" read as the abbreviation of every "Revista Latinoamericana de
    ...": the abstract in one and the paper in the other were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("REVISTA LATINO-AMERICANA DE ENFERMAGEM", "Rev Lat Am Enfermagem"),
    ("REVISTA LATINO-AMERICANA DE ENFERMAGEM", "Revista latino-americana de enfermagem"),
    ("ALCOHOL RESEARCH-CURRENT REVIEWS", "Alcohol Res"), ("CONTINUUM-LIFELONG LEARNING IN NEUROLOGY", "Continuum"),
    ("JAIDS-JOURNAL OF ACQUIRED IMMUNE DEFICIENCY SYNDROMES", "J Acquir Immune Defic Syndr"),
    ("SUCHT-ZEITSCHRIFT FUR WISSENSCHAFT UND PRAXIS", "Sucht"),
])
def test_a_web_of_science_name_with_a_hyphen_still_meets_its_other_names(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Subst Abus", "Subst Abuse Rehabil"), ("BMC Health Serv Res", "Health Serv Res"), ("Lancet", "Lancet HIV"),
    ("Qualitative Research", "Qualitative Research in Psychology"), ("Health Policy", "Health Policy Plan"),
    ("Alcohol", "Alcohol Alcohol"), ("Psychiatry", "Lancet Psychiatry"), ("J Ment Health", "J Ment Health Policy Econ"),
    ("AIDS", "AIDS Behav"), ("J Adolesc", "J Adolesc Health"), ("Nurs Res", "Res Nurs Health"),
    ("Syst Rev", "Cochrane Database Syst Rev"), ("Int J Drug Policy", "Int J Drug Policy Manag"),
    ("EVIDENCE-BASED MENTAL HEALTH", "Mental Health"), ("PSYCHO-ONCOLOGY", "Oncology"),
])
def test_a_journal_named_with_one_or_two_more_words_is_another_journal(a, b):
    """Only some words ("Open", "Oncology") made another journal of one name and more: "Lancet HIV", "AIDS Behav",
    "BMC Health Serv Res" read as "Lancet", "AIDS", "Health Serv Res", and the abstract in one and the paper in the
    other were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("J Child Psychol Psychiatry", "Journal of child psychology and psychiatry, and allied disciplines"),
    ("Addiction", "Addiction (Abingdon, England)"), ("Int J Drug Policy", "The International journal on drug policy"),
    ("Hu Li Za Zhi", "Hu li za zhi The journal of nursing"), ("Medicine", "Medicine Baltimore"),
    ("Health Aff", "Health Affairs Millwood"), ("Healthcare", "Healthcare Basel"),
    ("Pain Med", "Pain Medicine Malden Mass"), ("Sports Med", "Sports Medicine Auckland"),
    ("Hypertension", "Hypertension Dallas"), ("Clin Nutr", "Clinical Nutrition Edinburgh Scotland"),
    ("Curr Oncol", "Current Oncology Toronto Ont"),
])
def test_a_journal_named_with_its_run_on_words_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("DRUGS-EDUCATION PREVENTION AND POLICY", "Drugs"), ("Drugs: Education, Prevention and Policy", "Drugs"),
])
def test_drugs_education_prevention_and_policy_is_not_adis_drugs(a, b):
    """Read before its colon (Web of Science's hyphen), "Drugs: Education, Prevention and Policy" was Adis's "Drugs",
    and the abstract in one and the paper in the other were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Drugs (Abingdon Engl)", "DRUGS-EDUCATION PREVENTION AND POLICY"),
    ("Drugs (Abingdon, England)", "Drugs: Education, Prevention and Policy"),
    ("Drugs: Educ. Prev. Policy", "Drugs: Education, Prevention and Policy"),
])
def test_drugs_education_prevention_and_policy_still_meets_its_other_names(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("J Bone Joint Surg Am", "JOURNAL OF BONE AND JOINT SURGERY-AMERICAN VOLUME"),
    ("J Bone Joint Surg Br", "JOURNAL OF BONE AND JOINT SURGERY-BRITISH VOLUME"),
    ("J Bone Joint Surg Am", "Journal of Bone and Joint Surgery American Volume"),
])
def test_a_journals_volume_written_out_is_still_one_journal(a, b):
    """"Volume" after the whole name read as one more word that makes another journal ("Lancet" / "Lancet HIV"):
    Web of Science's "JOURNAL OF BONE AND JOINT SURGERY-AMERICAN VOLUME" and MEDLINE's "J Bone Joint Surg Am" were
    two journals, one paper's copies kept apart."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


def test_medlines_drugs_abingdon_is_not_adis_drugs():
    """MEDLINE's "Drugs (Abingdon Engl)" names "Drugs: Education, Prevention and Policy"; read without its place it
    was Adis's "Drugs", and the abstract in one and the paper in the other were joined."""
    _abstract_and_paper_listed("Drugs (Abingdon Engl)", "Drugs")


@pytest.mark.parametrize("a, b", [
    ("Eur J Pediatr", "Eur J Paediatr Neurol"), ("Pediatr Dent", "Int J Paediatr Dent"),
    ("J Periodontol", "J Periodontal Res"),
])
def test_a_familys_journal_spelled_another_way_is_still_another_journal(a, b):
    """"Paediatr" and "Pediatr" (one word spelled two ways) read as two words, so "Neurol" after them was no more
    word of another journal: the abstract in the European Journal of Pediatrics and the paper in the European Journal
    of Paediatric Neurology (Journal of Periodontology / of Periodontal Research) were joined."""
    _abstract_and_paper_listed(a, b)


def test_an_abbreviated_word_met_by_a_word_already_met_is_another_journal():
    """"J" of "Bone Joint J" abbreviates "Joint" too, so it was read as a word of "Bone Joint Res", already met by
    "Joint": the abstract in The Bone & Joint Journal and the paper in Bone & Joint Research were joined."""
    _abstract_and_paper_listed("Bone Joint J", "Bone Joint Res")


@pytest.mark.parametrize("a, b", [
    ("Conserv Biol", "Biol Conserv"), ("Rev Educ Res", "Educ Res Rev"), ("Conservation Biology", "Biol Conserv"),
])
def test_a_journals_words_in_another_order_are_another_journal(a, b):
    """Read as a set of words, "Conserv Biol" (Conservation Biology) was "Biol Conserv" (Biological Conservation),
    "Rev Educ Res" was "Educ Res Rev", and the abstract in one and the paper of that title in the other were
    joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("J Vasc Surg", "J Vasc Surg Venous Lymphat Disord"), ("Arch Dis Child", "Arch Dis Child Fetal Neonatal Ed"),
    ("Arch Dis Child", "Arch Dis Child Educ Pract Ed"), ("Drugs", "Drugs R D"), ("Drugs", "Drugs in R&D"),
])
def test_a_journal_named_with_three_more_words_or_initials_is_another_journal(a, b):
    """Three words after the name ("Venous Lymphat Disord", "Fetal Neonatal Ed"), or a subject's initials ("R D"),
    read as the name run on: the abstract in the Journal of Vascular Surgery and the paper of that title in its Venous
    and Lymphatic Disorders (Archives of Disease in Childhood / its Fetal and Neonatal Edition, Drugs / Drugs in R&D)
    were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Mindfulness", "Mindfulness N Y"), ("Psychiatr Serv", "Psychiatric services Washington D C"),
    ("J Bone Joint Surg", "J Bone Joint Surg Am"),
])
def test_a_journal_named_with_its_places_initials_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Medicine (Baltimore)", "Medicina (Kaunas)"), ("Medicine (Baltimore)", "Medicina (Kaunas, Lithuania)"),
])
def test_two_journals_medline_tells_apart_by_their_places_are_two_journals(a, b):
    """MEDLINE names a journal's place where two share a name; read without it, "Medicine (Baltimore)" and
    "Medicina (Kaunas)" were one word spelled two ways, and the abstract in one and the paper in the other joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Lancet (London, England)", "Lancet (Lond Engl)"), ("Medicine (Baltimore)", "Medicine (United States)"),
    ("Medicine (Baltimore)", "Medicine"), ("Drug Alcohol Rev", "Drug and Alcohol Review (Taylor & Francis)"),
    ("Mindfulness (New York)", "Mindfulness (NY)"), ("Science (New York, N.Y.)", "Science (NY)"),
    ("Public Health Rep (Washington)", "Public Health Rep (DC)"),
])
def test_one_journal_named_with_its_place_two_ways_is_still_one_journal(a, b):
    """A place's initials ("NY") have no word of the other's place to meet: not another place."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


def test_drugs_education_prevention_and_policy_abbreviated_is_not_adis_drugs():
    """The full stops of "Drugs: Educ. Prev. Policy" hid its colon, so the name was read before it, Adis's "Drugs",
    and the abstract in one and the paper in the other were joined."""
    _abstract_and_paper_listed("Drugs: Educ. Prev. Policy", "Drugs")


@pytest.mark.parametrize("a, b", [
    ("Eur Heart J", "European Heart Journal - Cardiovascular Imaging"),
    ("European Heart Journal", "European Heart Journal \u2013 Cardiovascular Imaging"),
    ("Eur J Pediatr", "European Journal of Pediatrics - Pediatric Neurology"),
])
def test_a_familys_journal_named_after_a_dash_is_another_journal(a, b):
    """Read as the name and its subtitle, a family's journal named after a spaced dash ("European Heart Journal -
    Cardiovascular Imaging") was the family's name: the abstract in the European Heart Journal and the paper of that
    title in its Cardiovascular Imaging were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("J Trauma", "Journal of Trauma - Injury, Infection and Critical Care"),
    ("Stroke", "Stroke - A Journal of Cerebral Circulation"),
    ("Nippon Kyobu Geka Gakkai Zasshi", "Nippon Kyobu Geka Gakkai Zasshi - Journal of Thoracic Surgery"),
])
def test_a_journal_and_its_subtitle_after_a_dash_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("x, y", [
    ("Korea", "North Korea"), ("South Korea", "North Korea"),
    ("the Republic of Korea", "the Democratic People's Republic of Korea"), ("Sudan", "South Sudan"),
    ("Ireland", "Northern Ireland"), ("Guinea", "Papua New Guinea"), ("Guinea", "Equatorial Guinea"),
    ("Guinea", "Guinea-Bissau"), ("Congo", "DR Congo"), ("Congo", "the Democratic Republic of Congo"),
])
def test_a_country_whose_name_holds_anothers_at_one_place_is_still_two_records(x, y):
    """At one volume and first page, "in Korea" / "in North Korea" read as one title holding the other's words (a
    title cut short), and the two surveys were joined; North Korea (South Sudan, Northern Ireland) is another place.
    Now listed for the reviewer."""
    place = {"volume": "12", "pages": "100-108"}
    assert groups(rec(UTI_SURVEY.format(x), journal="BMJ Open", **place),
                  rec(UTI_SURVEY.format(y), journal="BMJ Open", source_db="embase", **place)) == [1, 2]


@pytest.mark.parametrize("a, b", [
    ("BMJ", "BMJ Online"), ("BMJ (Clinical research ed.)", "BMJ Online"), ("BMJ", "BMJ. Online"),
    ("Harm Reduct J", "Harm Reduction Journal Online"), ("Pediatrics", "Pediatrics Print"),
])
def test_a_journal_named_with_its_medium_is_still_one_journal(a, b):
    """"BMJ (Online)" met "BMJ", but a database's "BMJ Online" (its brackets lost) read as a family's journal ("BMJ
    Open"): one paper's two copies were kept apart."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


def test_a_journal_named_online_is_still_another_journal():
    _abstract_and_paper_listed("Med Educ", "Med Educ Online")


@pytest.mark.parametrize("a, b", [
    ("Adv Health Sci Educ Theory Pract", "ADVANCES IN HEALTH SCIENCES EDUCATION"),
    ("Adv Health Sci Educ Theory Pract", "Advances in Health Sciences Education: Theory and Practice"),
    ("Adv Health Sci Educ Theory Pract", "Advances in Health Sciences Education"),
    ("Clin Psychol Sci Pract", "CLINICAL PSYCHOLOGY-SCIENCE AND PRACTICE"),
])
def test_a_journals_kind_abbreviated_after_its_name_is_still_one_journal(a, b):
    """MEDLINE's "Adv Health Sci Educ Theory Pract" abbreviates the subtitle "Theory and Practice", which Web of
    Science leaves out ("ADVANCES IN HEALTH SCIENCES EDUCATION"); read as a family's words ("Pract"), one paper's
    copies were kept apart."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [("Neurology", "Neurol Clin Pract"), ("Nurs Res", "Nurs Res Pract")])
def test_a_familys_journal_ending_in_practice_is_still_another_journal(a, b):
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Arch Dis Child", "Archives of Disease in Childhood: Fetal and Neonatal Edition"),
    ("Archives of Disease in Childhood", "Archives of disease in childhood. Fetal and neonatal edition"),
    ("Arch Dis Child", "ARCHIVES OF DISEASE IN CHILDHOOD-FETAL AND NEONATAL EDITION"),
    ("Arch Dis Child", "Archives of Disease in Childhood: Education and Practice Edition"),
])
def test_a_journals_edition_named_after_a_mark_is_another_journal(a, b):
    """"Fetal and Neonatal Edition" after the colon, three words, read as a subtitle: the abstract in Archives of
    Disease in Childhood and the paper of that title in its Fetal and Neonatal Edition were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Arch Dis Child Fetal Neonatal Ed", "Archives of Disease in Childhood: Fetal and Neonatal Edition"),
    ("Arch Dis Child Fetal Neonatal Ed", "ARCHIVES OF DISEASE IN CHILDHOOD-FETAL AND NEONATAL EDITION"),
    ("Arch Dis Child Educ Pract Ed", "Archives of disease in childhood. Education and practice edition"),
])
def test_a_journals_edition_is_still_one_journal_written_two_ways(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("x, y", [
    ("the Democratic Republic of Congo", "the Democratic Republic of the Congo"),
    ("DR Congo", "the Democratic Republic of the Congo"), ("Congo", "the Republic of the Congo"),
    ("Guinea-Bissau", "Guinea Bissau"), ("Guinea", "the Republic of Guinea"), ("New Guinea", "Papua New Guinea"),
])
def test_a_congo_or_guinea_named_two_ways_at_one_place_is_one_paper(x, y):
    """The Congos and Guineas are told apart by their names' words ("Guinea" / "Papua New Guinea"); one of them
    written two ways is still one paper's title."""
    place = {"volume": "12", "pages": "100-108"}
    assert groups(rec(UTI_SURVEY.format(x), journal="BMJ Open", **place),
                  rec(UTI_SURVEY.format(y), journal="BMJ Open", source_db="embase", **place)) == [1, 1]


@pytest.mark.parametrize("a, b", [
    ("J Phys Chem A", "J Phys Chem B"), ("JOURNAL OF PHYSICAL CHEMISTRY A", "JOURNAL OF PHYSICAL CHEMISTRY B"),
    ("J Mater Chem B", "J Mater Chem A"), ("Journal of Materials Chemistry B", "Journal of Materials Chemistry A"),
    ("Nucl Instrum Methods Phys Res A", "Nucl Instrum Methods Phys Res B"),
    ("Nuclear Instruments and Methods in Physics Research Section A",
     "Nuclear Instruments and Methods in Physics Research Section B"),
    ("Philosophical Transactions of the Royal Society A", "Philosophical Transactions of the Royal Society B"),
    ("Philos Trans A Math Phys Eng Sci", "Philos Trans R Soc Lond B Biol Sci"),
    ("J Biomed Mater Res A", "J Biomed Mater Res B Appl Biomater"),
    ("Journal of biomedical materials research. Part A",
     "Journal of biomedical materials research. Part B, Applied biomaterials"),
    ("J Gerontol A Biol Sci Med Sci", "J Gerontol B Psychol Sci Soc Sci"),
    ("The journals of gerontology. Series A, Biological sciences and medical sciences",
     "The journals of gerontology. Series B, Psychological sciences and social sciences"),
    ("J Toxicol Environ Health A", "J Toxicol Environ Health B Crit Rev"),
    ("Journal of Toxicology and Environmental Health, Part A",
     "Journal of Toxicology and Environmental Health, Part B"),
    ("Proc Inst Mech Eng H", "Proc Inst Mech Eng C"),
    ("Proceedings of the Institution of Mechanical Engineers, Part H",
     "Proceedings of the Institution of Mechanical Engineers, Part C"),
    ("J Phys Chem A", "Journal of Physical Chemistry B"),
])
def test_a_journals_sections_by_letter_are_two_journals(a, b):
    """"J Phys Chem A" and "J Phys Chem B", "Part A" and "Part B" of one title: two journals, whose letter (an "A"
    read as an article) was lost, so that papers of one title in each were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("J Phys Chem A", "Journal of Physical Chemistry A"), ("J Phys Chem A", "J Phys Chem"),
    ("J Biomed Mater Res A", "Journal of biomedical materials research. Part A"),
    ("J Biomed Mater Res", "Journal of Biomedical Materials Research Part A"),
    ("J Gerontol A Biol Sci Med Sci",
     "The journals of gerontology. Series A, Biological sciences and medical sciences"),
    ("Nucl Instrum Methods Phys Res A", "Nuclear Instruments and Methods in Physics Research Section A"),
    ("Proc Inst Mech Eng H", "Proceedings of the Institution of Mechanical Engineers, Part H"),
    ("Chemistry", "Chemistry - A European Journal"), ("Stroke", "Stroke; a journal of cerebral circulation"),
    ("Drugs R D", "Drugs R&D"), ("N C Med J", "North Carolina Medical Journal"),
])
def test_a_journals_section_letter_written_or_left_out_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Dev Psychol", "Dev Psychopathol"), ("Developmental Psychology", "Development and Psychopathology"),
    ("Dev Psychol", "Development and Psychopathology"), ("J Neurol", "J Neuroradiol"),
])
def test_a_journal_word_with_another_stem_inside_is_another_journal(a, b):
    """"Psychol" read as an abbreviation of "Psychopathol" (its letters in order), "Psychology" and "Psychopathology"
    as one word mistyped: papers of one title in Developmental Psychology and Development and Psychopathology were
    joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Dev Psychopathol", "Development and Psychopathology"), ("J Orthop Res", "Journal of Orthopaedic Research"),
    ("Wien Klin Wochenschr", "Wiener klinische Wochenschrift"),
    ("Z Orthop Unfall", "Zeitschrift fur Orthopadie und Unfallchirurgie"),
    ("Geburtshilfe Frauenheilkd", "Geburtshilfe und Frauenheilkunde"),
    ("J Behav Med", "Journal of Behaviour Medicine"),
    ("Z Evid Fortbild Qual Gesundhwes", "Zeitschrift fur Evidenz, Fortbildung und Qualitat im Gesundheitswesen"),
])
def test_a_journal_word_abbreviated_or_spelt_another_way_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("J Biomed Inform", "J Biomed Inform X"),
    ("Journal of Biomedical Informatics", "Journal of Biomedical Informatics: X"),
    ("Pflege", "Pflege Z"), ("Vaccine", "Vaccine X"),
])
def test_a_journal_with_a_letter_after_its_name_is_another_journal(a, b):
    """"Pflege Z" (Pflegezeitschrift) and "J Biomed Inform X" (the open companion of J Biomed Inform) add one letter,
    no family's word, to the other journal's name: papers of one title in each were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Chem Rev", "Chem Soc Rev"), ("Chemical Reviews", "Chemical Society Reviews"), ("J Chem Soc", "J Am Chem Soc"),
    ("Journal of the Chemical Society", "Journal of the American Chemical Society"),
])
def test_a_journal_with_a_short_word_inside_its_name_is_another_journal(a, b):
    """"Soc" in "Chem Soc Rev", "Am" in "J Am Chem Soc": a short word inside the other journal's name, read as a
    subtitle's, so that papers of one title in Chemical Reviews and Chemical Society Reviews were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Tidsskr Nor Laegeforen", "Tidsskrift for den Norske laegeforening"),
    ("Rev Soc Esp Dolor", "Revista de la Sociedad Espanola del Dolor"),
    ("Rev Esp Salud Publica", "Revista Espanola de Salud Publica"),
])
def test_an_article_inside_a_journals_name_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Exp Clin Endocrinol Diabetes", "Clin Endocrinol (Oxf)"),
    ("Experimental and Clinical Endocrinology & Diabetes", "Clinical Endocrinology"),
])
def test_a_journal_with_words_around_anothers_name_is_another_journal(a, b):
    """"Exp Clin Endocrinol Diabetes" holds "Clin Endocrinol" with a word before it and one after, read as a subtitle
    run on, so that papers of one title in each were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Jornal de Pediatria", "Journal of Pediatrics"), ("J Pediatr (Rio J)", "Journal of Pediatrics"),
    ("J Pediatr (Rio J)", "The Journal of Pediatrics"),
])
def test_a_portuguese_jornal_is_not_the_english_journal_of_one_subject(a, b):
    """"Jornal" read as "Journal" mistyped: papers of one title in Jornal de Pediatria (MEDLINE's "J Pediatr (Rio J)")
    and The Journal of Pediatrics were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("J Pediatr (Rio J)", "Jornal de Pediatria"), ("J Bras Pneumol", "Jornal Brasileiro de Pneumologia"),
    ("J Pediatr (Rio J)", "J. Pediatr. (Rio J.)"), ("J Vasc Bras", "Jornal Vascular Brasileiro"),
])
def test_a_jornal_abbreviated_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [("Med Clin (Barc)", "Med Clin North Am"),
                                  ("Med Clin (Barc)", "Medical Clinics of North America")])
def test_a_journal_named_with_its_place_is_not_one_with_words_after_its_name(a, b):
    """MEDLINE names a journal's place where two share a name ("Med Clin (Barc)", Medicina Clinica): a name adding
    words after it ("Med Clin North Am") is another journal, whose papers of one title were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Med Clin (Barc)", "Medicina Clinica"), ("Med Clin (Barc)", "Med Clin Barc"),
    ("Rev Esp Cardiol (Engl Ed)", "Rev Esp Cardiol Engl Ed"), ("Medicine (Baltimore)", "Medicine"),
    ("Clin Endocrinol (Oxf)", "Clinical Endocrinology"),
])
def test_a_journal_named_with_its_place_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Chemistry - A European Journal", "Chemistry - An Asian Journal"),
    ("Chemistry \u2013 A European Journal", "Chemistry \u2013 An Asian Journal"),
])
def test_a_journals_subtitle_naming_another_region_is_another_journal(a, b):
    """"Chemistry – A European Journal" and "Chemistry – An Asian Journal" differ in their subtitles only, which were
    left out of the comparison: papers of one title in each were joined."""
    _abstract_and_paper_listed(a, b)


@pytest.mark.parametrize("a, b", [
    ("Chemistry", "Chemistry - A European Journal"), ("Chemistry - A European Journal", "Chem Eur J"),
    ("Chemistry (Weinheim an der Bergstrasse, Germany)", "Chemistry - A European Journal"),
])
def test_a_journals_subtitle_left_out_is_still_one_journal(a, b):
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("Proc Natl Acad Sci U S A", "Proc Natl Acad Sci USA"),
    ("Proc. Natl. Acad. Sci. U. S. A.", "Proc Natl Acad Sci USA"),
])
def test_a_country_written_in_letters_apart_is_not_a_letter_added_to_a_name(a, b):
    """MEDLINE's "Proc Natl Acad Sci U S A" ends in a lone "S" after "U", read as a companion journal's letter
    ("J Biomed Inform X"): PNAS papers under Scopus's "Proc Natl Acad Sci USA" were kept as two records."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")


@pytest.mark.parametrize("a, b", [
    ("J Gerontol A Biol Sci Med Sci", "J Gerontol Ser A Biol Sci Med Sci"),
    ("J Gerontol B Psychol Sci Soc Sci", "J Gerontol Ser B Psychol Sci Soc Sci"),
])
def test_a_series_abbreviated_is_not_a_word_inside_a_name(a, b):
    """"Ser", Scopus's abbreviation of "Series", read as a word inside the name making another journal ("Chem Soc
    Rev" / "Chem Rev"): one paper under MEDLINE's and Scopus's names was kept as two records."""
    _one_journal(a, b, "Peer support workers in opioid substitution treatment services: a qualitative study")
