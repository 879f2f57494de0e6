"""Sister studies whose titles differ only in a name, a part's mark, a place or a group stay two records, listed for a
reviewer to check: joined, one of them would never be screened. Each case also keeps its true copies joined."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from screener.dedup import find_duplicates_with_review

SMITH = ("Smith, John A.", "Jones, Mary")


def rec(title, *, year=2020, authors=SMITH, journal="European Journal of Epidemiology", volume=None, pages=None,
        doi=None, pmid=None, source_db="medline"):
    return {"title": title, "abstract": None, "authors": list(authors), "year": year, "journal": journal,
            "volume": volume, "issue": None, "pages": pages, "doi": doi, "pmid": pmid, "keywords": [],
            "type": "JOUR", "source_db": source_db}


def review_of(*records) -> tuple[list[int], list[str]]:
    out, review = find_duplicates_with_review(
        pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id")))
    return out["group_id"].tolist(), review["reason"].tolist()


COHORT = "Maternal smoking during pregnancy and childhood asthma in the Generation {} {}"


@pytest.mark.parametrize("ending", ["Study", "cohort"])
@pytest.mark.parametrize("b_authors", [SMITH, (), ("Smith, John A.", "Barros, Henrique")])
def test_two_cohorts_named_by_a_letter_and_a_numeral_are_listed_not_joined(ending, b_authors):
    """Two birth cohorts, Rotterdam's "Generation R" and Porto's "Generation XXI", in otherwise one title: a one-letter
    name was too short to count as a word in place of another, and the two studies were joined (same year, the second
    record's authors missing or other co-authors). Kept apart and listed; the same cohort from two databases still
    joins."""
    a = rec(COHORT.format("R", ending))
    b = rec(COHORT.format("XXI", ending), authors=b_authors, source_db="embase")
    ids, reasons = review_of(a, b)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'R' and 'XXI'" in reasons[0], reasons
    assert review_of(a, dict(a, source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Early surgery vs watchful waiting for asymptomatic severe aortic stenosis in older adults",
     "Early surgery versus watchful waiting for asymptomatic severe aortic stenosis in older adults"),
    ("St John's wort for mild to moderate depression in primary care: a randomised trial",
     "Saint John's wort for mild to moderate depression in primary care: a randomised trial"),
    ("Use of e cigarettes for smoking cessation among adult smokers in England",
     "Use of electronic cigarettes for smoking cessation among adult smokers in England"),
])
def test_a_short_word_written_out_in_the_other_title_is_still_one_title(ta, tb):
    assert review_of(rec(ta), rec(tb, source_db="embase"))[0] == [1, 1]


CONSENSUS = "Expert consensus on the diagnosis and treatment of chronic heart failure with integrated medicine"
CHINESE = dict(journal="Zhonghua Xin Xue Guan Bing Za Zhi", authors=("Wang, Li",))


@pytest.mark.parametrize("a, b, said", [
    ("(yi)", "(er)", "'I' and 'II'"),
    ("(Yi)", "(Er)", "'I' and 'II'"),
    ("(I)", "(II)", "'I' and 'II'"),
    ("(yi)", "(II)", "'I' and 'II'"),
])
def test_two_parts_of_a_chinese_series_marked_in_pinyin_are_listed_not_joined(a, b, said):
    """A Chinese journal's series in parts, marked "(yi)", "(er)", "(san)" (pinyin for I, II, III) in the English
    title: two-letter words were too short to count, and part one and part two were joined as one record. The pinyin
    mark now reads as its Roman numeral: the two parts are kept apart and listed, as "(I)" / "(II)" are; one part from
    two databases, one writing "(yi)", the other "(I)", is still one record."""
    ids, reasons = review_of(rec(f"{CONSENSUS} {a}", **CHINESE), rec(f"{CONSENSUS} {b}", source_db="embase", **CHINESE))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert review_of(rec(f"{CONSENSUS} (yi)", **CHINESE), rec(f"{CONSENSUS} (I)", source_db="cnki", **CHINESE))[0] \
        == [1, 1]


@pytest.mark.parametrize("pinyin, roman", [("(yi)", "(I)"), ("(er)", "(II)"), ("(san)", "(III)"), ("(si)", "(IV)")])
def test_one_part_marked_in_pinyin_and_in_roman_numerals_is_one_record(pinyin, roman):
    """Part two from two databases, one writing "(er)", the other "(II)": the numeral was read as an abbreviation the
    other title lacked ("'er' and 'II'"), and the copies were kept apart. They join, as part one's do."""
    copy = rec(f"{CONSENSUS} {roman}", source_db="cnki", **CHINESE)
    assert review_of(rec(f"{CONSENSUS} {pinyin}", **CHINESE), copy) == ([1, 1], [])


def test_parts_two_and_three_in_pinyin_stay_apart():
    ids, _ = review_of(rec(f"{CONSENSUS} (er)", **CHINESE), rec(f"{CONSENSUS} (san)", source_db="embase", **CHINESE))
    assert ids == [1, 2]


@pytest.mark.parametrize("title", [
    "Oestrogen receptor status and survival after breast cancer in the Nordic countries (ER)",
    "Reporting of body mass and energy in nutrition trials: units of the International System (SI)",
])
def test_an_abbreviation_in_brackets_spelled_like_pinyin_is_no_part_mark(title):
    """"(ER)" is the oestrogen receptor, "(SI)" the units, not part two or four: a copy without it is still the
    paper."""
    cut = title.replace(" (ER)", "").replace(" (SI)", "")
    assert review_of(rec(title), rec(cut, source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("place, longer", [
    ("Washington", "Washington DC"),
    ("Washington", "Washington, D.C."),
    ("New York", "New York City"),
    ("Mexico", "Mexico City"),
    ("Georgia", "Georgia USA"),
])
def test_a_place_and_a_longer_place_containing_it_are_listed_not_joined(place, longer):
    """A survey of a state and one of its city ("... in Washington" / "... in Washington DC", "New York" / "New York
    City") were joined: words at the end of one title were read as another population only after "in", "among" ...,
    not as the rest of a longer place's name. Kept apart and listed (a person can tell "Washington State" from "DC";
    the titles cannot); the same page range still joins them, and a subtitle a database left out is still one paper."""
    ta = f"Prevalence of obesity and its correlates among adults in {place}"
    tb = f"Prevalence of obesity and its correlates among adults in {longer}"
    ids, reasons = review_of(rec(ta), rec(tb, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "at the end of one title only" in reasons[0], reasons
    assert review_of(rec(ta, volume="12", pages="100-110"),
                     rec(tb, volume="12", pages="100-110", source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("place, located", [
    ("London", "London, UK"),
    ("Washington", "Washington, USA"),
    ("England", "England, UK"),
    ("St. Louis", "St. Louis, MO"),
    ("Atlanta", "Atlanta, GA, USA"),
    ("Hong Kong", "Hong Kong SAR"),
])
def test_a_place_with_its_country_or_state_after_a_comma_is_still_one_paper(place, located):
    """A database that adds where a place lies ("in London" / "in London, UK", "St. Louis, MO") gives one paper's
    title: the copies were listed as a place and a longer place holding it, and one of them was screened twice."""
    ta = f"Prevalence of obesity and its correlates among adults in {place}"
    tb = f"Prevalence of obesity and its correlates among adults in {located}"
    assert review_of(rec(ta), rec(tb, source_db="embase")) == ([1, 1], [])


@pytest.mark.parametrize("place, located", [("Georgia", "Georgia, USA"), ("New York", "New York, NY")])
def test_a_place_named_like_a_country_or_its_state_is_still_listed(place, located):
    """Georgia the country and the state, New York the state and the city: the titles cannot tell them."""
    ta = f"Prevalence of obesity and its correlates among adults in {place}"
    tb = f"Prevalence of obesity and its correlates among adults in {located}"
    ids, reasons = review_of(rec(ta), rec(tb, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "at the end of one title only" in reasons[0], reasons


@pytest.mark.parametrize("tail", [": Results", " - Trends", ". Trends"])
def test_a_place_then_a_subtitle_left_out_is_still_one_paper(tail):
    ta = "Prevalence of obesity and its correlates among adults in Washington"
    assert review_of(rec(ta), rec(ta + tail, source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("a, b, said", [
    ("in Washington State", "in Washington DC", "'state' and 'DC'"),
    ("in the Generation R Study", "in the Generation XL Study", "'R' and 'XL'"),
])
def test_a_two_letter_name_in_place_of_another_word_is_listed_not_joined(a, b, said):
    """A name of two letters ("DC", "XL") in place of another word was too short to count as a word in place of
    another: the state's and the city's surveys were joined. Kept apart and listed; a word and its two-letter
    short form ("United Kingdom" aside, "US" / "USA", "UK" / "British") still join."""
    ids, reasons = review_of(rec(f"Prevalence of obesity and its correlates among adults {a}"),
                             rec(f"Prevalence of obesity and its correlates among adults {b}", source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons


@pytest.mark.parametrize("a, b", [("US", "USA"), ("UK", "British"), ("US", "American"), ("NZ", "New Zealand")])
def test_a_country_written_short_is_still_one_title(a, b):
    title = "Prevalence of obesity and its social, economic and dietary correlates among {} adults: a national survey"
    assert review_of(rec(title.format(a)), rec(title.format(b), source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("title", [
    "Long-term outcomes of bariatric surgery in adolescents with severe obesity: results from the {}",
    "Prevalence of obesity and its correlates among adults in the {}",
])
@pytest.mark.parametrize("a, b", [("United States", "USA"), ("United States of America", "US"),
                                  ("United States of America", "USA"), ("United States", "U.S.A."),
                                  ("United Kingdom", "UK"), ("United Kingdom", "U.K.")])
def test_a_country_written_out_and_short_is_one_title_and_two_countries_are_two(title, a, b):
    """"the United States" and "the USA" in one study's two copies were listed for review ("'states' and 'usa' tell
    them apart"), or kept apart without a word ("United States of America" / "US"): one paper screened twice. Two
    countries are still two studies."""
    assert review_of(rec(title.format(a)), rec(title.format(b), source_db="embase"))[0] == [1, 1]
    other = "United Kingdom" if "States" in a else "United States"
    for x in (a, b):
        assert review_of(rec(title.format(x)), rec(title.format(other), source_db="embase"))[0] == [1, 2]


@pytest.mark.parametrize("a, b, said", [
    ("DAPA-HF", "DAPA-CKD", "'HF' and 'CKD'"),
    ("DAPA HF", "DAPA CKD", "'HF' and 'CKD'"),
    ("dapa-hf", "dapa-ckd", "'HF' and 'CKD'"),
])
def test_two_trials_named_by_one_drug_and_two_conditions_are_listed_not_joined(a, b, said):
    """Two trials of one drug named by its condition ("DAPA-HF" / "DAPA-CKD", heart failure and kidney disease):
    "HF" was too short to count as a word in place of "CKD", and the two abbreviations too unlike to be one mistyped,
    so the trials were joined. Kept apart and listed; one trial's copies still join."""
    title = "Effect of dapagliflozin on cardiovascular and renal outcomes: results of the {} trial"
    ids, reasons = review_of(rec(title.format(a)), rec(title.format(b), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    assert review_of(rec(title.format(a)), rec(title.format(a.upper()), source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("a, b", [("UK", "US"), ("HF", "MI"), ("MS", "MI")])
@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_two_letter_abbreviations_in_place_of_each_other_in_titles_all_in_one_case_are_listed(a, b, case):
    """Two titles written all in capitals (or all in small letters), alike but for a two-letter abbreviation ("...
    ADULTS IN THE UK" / "... IN THE US", "PATIENTS WITH HF" / "WITH MI"), were joined: a word that short was not
    counted, and in capitals no abbreviation is told from a word. Kept apart and listed, as in titles that write
    their abbreviations in capitals; the same title in two cases still joins."""
    title = "Outcomes of patients with {} treated in intensive care units in a national cohort study"
    ids, reasons = review_of(rec(case(title.format(a))), rec(case(title.format(b)), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and f"'{a}' and '{b}'" in reasons[0], reasons
    assert review_of(rec(case(title.format(a))), rec(title.format(a), source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Cardiovascular risk factors and incident heart failure in women",
     "Cardiovascular risk factors and incident heart failure in women and men"),
    ("Physical activity, screen time, sleep duration and depressive symptoms in a national cohort of boys",
     "Physical activity, screen time, sleep duration and depressive symptoms in a national cohort of boys and girls"),
    ("Patient-reported pain, function and satisfaction one year after robotic-assisted total knee",
     "Patient-reported pain, function and satisfaction one year after robotic-assisted total knee and hip"),
])
def test_a_second_group_added_at_the_end_is_listed(ta, tb):
    """A study of women and one of women and men ("... in women" / "... in women and men"), of boys and one of boys
    and girls, were joined: a tail was read as another population only after "in", "among" ..., or
    as another country after "and". "and <a group of the same kind>" makes another study too. Kept apart and listed;
    the same page range still joins them."""
    ids, reasons = review_of(rec(ta), rec(tb, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "at the end of one title only" in reasons[0], reasons
    place = dict(volume="12", pages="100-110")
    assert review_of(rec(ta, **place), rec(tb, source_db="embase", **place))[0] == [1, 1]


_REASON_OF_TWO_SWAPS = """
import pandas as pd
from screener.dedup import find_duplicates_with_review
title = "Effect of a home-based exercise programme on {} pain and function in older {}: a randomised controlled trial"
rows = [{"title": title.format(part, group), "abstract": None, "authors": ["Smith, John A."], "year": 2020,
         "journal": "BMJ", "volume": None, "issue": None, "pages": None, "doi": None, "pmid": None, "keywords": [],
         "type": "JOUR", "source_db": db}
        for part, group, db in (("knee", "women", "medline"), ("hip", "men", "embase"))]
out, review = find_duplicates_with_review(pd.DataFrame(rows, index=pd.Index([1, 2], name="record_id")))
print(out["group_id"].tolist(), review["reason"].tolist())
"""


@pytest.mark.parametrize("seed", ["0", "4"])
def test_two_words_in_place_of_two_give_one_reason_whatever_the_run(seed):
    """Titles differing in two pairs of words ("knee" / "hip", "women" / "men"): the listed reason named one pair or the
    other from run to run (the words' set order), so one search gave two lists. The first pair in the title is named."""
    root = str(Path(__file__).resolve().parents[1])  # this checkout's screener, not an installed one
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
    done = subprocess.run([sys.executable, "-c", _REASON_OF_TWO_SWAPS], env=env, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[1, 2] [\"titles 95% alike, but 'knee' and 'hip' tell them apart\"]"


@pytest.mark.parametrize("mark", ["(xu)", "(Xu)", "(xu 1)", "(Xu 2)", "(xu)."])
def test_a_next_part_marked_xu_in_pinyin_is_listed_not_joined(mark):
    """A Chinese series' next part marked "(xu)" (pinyin for "continued") at its title's end: two letters were too short
    to count as a word, and the next part was joined with the first. Kept apart and listed, as "(continued)" is; the
    next part from two databases is still one record."""
    first, later = rec(CONSENSUS, **CHINESE), rec(f"{CONSENSUS} {mark}", source_db="embase", **CHINESE)
    ids, reasons = review_of(first, later)
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'continued' in one title only" in reasons[0], reasons
    assert review_of(later, dict(later, source_db="cnki"))[0] == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Xu's method of acupuncture for chronic low back pain in older adults: a randomised trial",
     "Xu method of acupuncture for chronic low back pain in older adults: a randomised trial"),
    ("Acupuncture for chronic low back pain in older adults: a randomised trial by Xu",
     "Acupuncture for chronic low back pain in older adults: a randomized trial by Xu"),
])
def test_the_surname_xu_in_a_title_is_no_part_mark(ta, tb):
    """"Xu" elsewhere than alone in a title-final bracket is a name, not "continued"."""
    assert review_of(rec(ta), rec(tb, source_db="embase"))[0] == [1, 1]


VITAMINS = "{} and calcium supplementation and fracture risk in older women: a randomised controlled trial"


@pytest.mark.parametrize("a, b", [("Vitamin D", "Vitamins D and K"), ("Vitamin D", "Vitamins D and E"),
                                  ("Omega-3 fatty acid", "Omega-3 fatty acids and vitamin E")])
def test_a_nutrient_added_beside_a_plural_is_listed_not_joined(a, b):
    """"Vitamin D and calcium ..." / "Vitamins D and K and calcium ...": a word in the plural in one title only hid the
    other nutrient added ("and K"), a second exposure, and the two trials were joined. Kept apart and listed; the
    same page range still joins them."""
    ids, reasons = review_of(rec(VITAMINS.format(a)), rec(VITAMINS.format(b), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "in one title only" in reasons[0], reasons
    place = dict(volume="12", pages="100-110")
    assert review_of(rec(VITAMINS.format(a), **place), rec(VITAMINS.format(b), source_db="embase", **place))[0] \
        == [1, 1]


@pytest.mark.parametrize("ta, tb", [
    ("Vitamin D supplement and fracture risk in older women: a randomised controlled trial",
     "Vitamin D supplements and fracture risk in older women: a randomized controlled trial"),
    ("VITAMIN D SUPPLEMENTS AND FRACTURE RISK IN OLDER WOMEN: A RANDOMISED CONTROLLED TRIAL",
     "Vitamin D supplement and fracture risk in older women: a randomised controlled trial"),
    ("Vitamin D and calcium supplements and fracture risk in older women and men: a randomised controlled trial",
     "Vitamin D and calcium supplement and fracture risk in older women and men: a randomised controlled trial"),
])
def test_a_word_in_the_plural_in_one_database_is_still_one_record(ta, tb):
    assert review_of(rec(ta), rec(tb, source_db="embase"))[0] == [1, 1]


TRIAL = "Effect of intensive glycaemic and blood pressure control on cognitive decline in type 2 diabetes: the {} trial"


@pytest.mark.parametrize("a, b, said", [("ACCORD", "ACCORDION", "'ACCORD' and 'ACCORDION'"),
                                        ("CHARM", "CHARMING", "'CHARM' and 'CHARMING'"),
                                        ("SPRINT", "SPRINT MIND", "'SPRINT MIND' and 'SPRINT'")])
def test_a_trial_and_its_follow_on_named_by_a_longer_acronym_are_listed_not_joined(a, b, said):
    """"ACCORD" and "ACCORDION" (its follow-on study): the shorter acronym was read as the longer one cut short, and the
    two studies were joined. Kept apart and listed; the same page range still joins them, one trial's copies still
    join, and so does a title a database cut inside its last acronym."""
    ids, reasons = review_of(rec(TRIAL.format(a)), rec(TRIAL.format(b), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    place = dict(volume="12", pages="100-110")
    assert review_of(rec(TRIAL.format(a), **place), rec(TRIAL.format(b), source_db="embase", **place))[0] == [1, 1]
    assert review_of(rec(TRIAL.format(b)), rec(TRIAL.format(b).upper(), source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("end", ["", "..."])
def test_a_title_cut_inside_its_last_acronym_at_one_page_range_is_still_one_record(end):
    """A database cut the title inside "ACCORDION", leaving "ACCORD": the one paper's copies join at one page range."""
    whole, place = TRIAL.format("ACCORDION"), dict(volume="12", pages="100-110")
    cut = whole[:whole.index("ACCORDION") + 6] + end
    assert review_of(rec(whole, **place), rec(cut, source_db="embase", **place)) == ([1, 1], [])


ADVANCE = "Blood-pressure lowering and intensive glucose control in type 2 diabetes: the {} trial"


@pytest.mark.parametrize("a, b, said", [
    ("ADVANCE", "ADVANCE-ON", "'ADVANCE-ON' and 'ADVANCE'"),
    ("ADVANCE", "ADVANCE ON", "'ADVANCE ON' and 'ADVANCE'"),
    ("ADVANCE", "ADVANCE\u2010On", "'ADVANCE\u2010On' and 'ADVANCE'"),
    ("ADVANCE", "ADVANCE\u2013ON", "'ADVANCE\u2013ON' and 'ADVANCE'"),
    ("ADVANCE", "advance-on", "'advance-on' and 'ADVANCE'"),
    ("ADVANCE-ON", "ADVANCE-EXT", "'ADVANCE-ON' and 'ADVANCE-EXT'"),
    ("IMPROVE", "IMPROVE-IT", "'IMPROVE-IT' and 'IMPROVE'"),
    ("REDUCE", "REDUCE IT", "'REDUCE IT' and 'REDUCE'"),
])
def test_a_trial_and_its_post_trial_follow_up_named_acronym_on_are_listed_not_joined(a, b, said):
    """"ADVANCE" and "ADVANCE-ON" (its post-trial follow-up study): "on" is a little word no title is told apart by,
    so the trial's paper and the follow-up's were joined and one never screened. An acronym and the same acronym with
    its extension's or follow-up's mark after it ("-ON", as "-EXT", "-OLE", "-LTE" are), or "IT" ("REDUCE" /
    "REDUCE-IT", two trials), are kept apart and listed; the same page range still joins them."""
    ids, reasons = review_of(rec(ADVANCE.format(a)), rec(ADVANCE.format(b), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    place = dict(volume="12", pages="100-110")
    assert review_of(rec(ADVANCE.format(a), **place), rec(ADVANCE.format(b), source_db="embase", **place))[0] \
        == [1, 1]


SUBSTUDY = "Cardiovascular outcomes of intensive treatment in type 2 diabetes: a post hoc analysis of {}"


@pytest.mark.parametrize("a, b, said", [
    ("ACCORD", "ACCORD-MIND", "'ACCORD-MIND' and 'ACCORD'"),
    ("SPRINT", "SPRINT MIND", "'SPRINT MIND' and 'SPRINT'"),
    ("the WHI", "the WHI-CACS", "'WHI-CACS' and 'WHI'"),
    ("the trial (ACCORD)", "the trial (ACCORD-MIND)", "'ACCORD-MIND' and 'ACCORD'"),
])
def test_a_trial_and_its_sub_study_named_at_the_end_of_the_title_are_listed_not_joined(a, b, said):
    """"... of ACCORD" and "... of ACCORD-MIND" (its memory sub-study): a word added at a title's end was read as a
    subtitle one database left out, and the two studies were joined. An acronym with another in capitals after it is
    another study, as one with a follow-up's mark is: listed; the same page range still joins them."""
    ids, reasons = review_of(rec(SUBSTUDY.format(a)), rec(SUBSTUDY.format(b), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    place = dict(volume="12", pages="100-110")
    assert review_of(rec(SUBSTUDY.format(a), **place), rec(SUBSTUDY.format(b), source_db="embase", **place))[0] \
        == [1, 1]


@pytest.mark.parametrize("a, b", [("ACCORD-MIND", "ACCORD MIND"), ("ACCORD-MIND", "accord-mind"),
                                  ("ACCORD-MIND", "ACCORDMIND"), ("EGFR-TKI resistance", "EGFR-TKIs resistance")])
def test_one_sub_study_written_two_ways_is_still_one_record(a, b):
    assert review_of(rec(SUBSTUDY.format(a)), rec(SUBSTUDY.format(b), source_db="embase")) == ([1, 1], [])


@pytest.mark.parametrize("a, b", [("NHANES III", "NHANES 3"), ("NYHA III patients", "NYHA 3 patients"),
                                  ("HIV-AIDS patients", "HIV and AIDS patients"),
                                  ("COPD-ASTHMA overlap", "COPD and ASTHMA overlap")])
def test_an_acronym_with_a_numeral_or_another_acronym_it_names_too_is_still_one_record(a, b):
    """"NHANES III" / "NHANES 3", "HIV-AIDS" / "HIV and AIDS": one paper's copies were kept apart as a trial and its
    sub-study. A Roman numeral is no sub-study's name, and a title naming the second acronym too has no study less."""
    assert review_of(rec(SUBSTUDY.format(a)), rec(SUBSTUDY.format(b), source_db="embase")) == ([1, 1], [])


@pytest.mark.parametrize("a, b, said", [
    (ADVANCE.format("ADVANCE-ON"), ADVANCE.format("ADVANCE ongoing"), "'ADVANCE-ON' and 'ADVANCE'"),
    (SUBSTUDY.format("ACCORD-MIND"), SUBSTUDY.format("ACCORD mindfulness"), "'ACCORD-MIND' and 'ACCORD'"),
    ("Icosapent ethyl in REDUCE-IT: cardiovascular outcomes", "Icosapent ethyl to REDUCE its cardiovascular outcomes",
     "'REDUCE-IT' and 'REDUCE'"),
])
def test_a_mark_run_on_into_a_longer_word_is_not_the_follow_up_named(a, b, said):
    """"ADVANCE-ON" beside "ADVANCE ongoing": the other title was read as naming the follow-up too ('advance on' at the
    start of 'advance ongoing'), and the trial's paper and the follow-up's were joined. Only a sub-study's name in the
    plural ("EGFR-TKIs") is the same name."""
    ids, reasons = review_of(rec(a), rec(b, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_a_follow_up_named_in_a_title_all_in_one_case_is_listed_not_joined(case):
    """"THE ADVANCE ON TRIAL" in a title all in capitals (or small letters) beside "the ADVANCE trial": with no
    capitals to tell an acronym, "ON" was read as the little word and the two studies joined. Where the other title
    writes the acronym in capitals without the mark, the mark after it tells them apart: listed. The follow-up's
    copies in two cases, and a title with "on" after an acronym in both ("Effect of CPAP on ..."), still join."""
    follow_up = case(ADVANCE.format("ADVANCE ON"))
    ids, reasons = review_of(rec(ADVANCE.format("ADVANCE")), rec(follow_up, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'ADVANCE ON' and 'ADVANCE'" in reasons[0], reasons
    assert review_of(rec(ADVANCE.format("ADVANCE ON")), rec(follow_up, source_db="embase")) == ([1, 1], [])
    title = "Effect of CPAP on blood pressure in adults with obstructive sleep apnoea: a randomised trial"
    assert review_of(rec(title), rec(case(title), source_db="embase")) == ([1, 1], [])


@pytest.mark.parametrize("case_a, case_b", [(str.upper, str.upper), (str.lower, str.lower), (str.upper, str.lower)])
@pytest.mark.parametrize("a, b, said", [("ADVANCE", "ADVANCE ON", "'ADVANCE ON' and 'ADVANCE'"),
                                        ("REDUCE", "REDUCE IT", "'REDUCE IT' and 'REDUCE'")])
def test_a_follow_up_named_in_two_titles_all_in_one_case_is_listed_not_joined(case_a, case_b, a, b, said):
    """"THE ADVANCE TRIAL" and "THE ADVANCE ON TRIAL", both titles in capitals (or small letters): with no capitals
    in either to tell an acronym, the follow-up's mark was read as the little word "on" and the trial's paper and the
    follow-up's joined, one never screened. One title that is the other with a follow-up's mark after a word is
    listed; the same volume and first page still join, and so do one study's copies in two cases."""
    trial, follow_up = case_a(ADVANCE.format(a)), case_b(ADVANCE.format(b))
    ids, reasons = review_of(rec(trial), rec(follow_up, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said.lower() in reasons[0].lower(), reasons
    place = dict(volume="12", pages="100-110")
    assert review_of(rec(trial, **place), rec(follow_up, source_db="embase", **place))[0] == [1, 1]
    assert review_of(rec(follow_up), rec(case_a(ADVANCE.format(b)), source_db="embase")) == ([1, 1], [])
    title = "Effect of CPAP on blood pressure in adults with obstructive sleep apnoea: a randomised trial"
    assert review_of(rec(case_a(title)), rec(case_b(title), source_db="embase")) == ([1, 1], [])


@pytest.mark.parametrize("a, b", [
    ("ADVANCE-ON", "ADVANCE ON"), ("ADVANCE-ON", "ADVANCEON"), ("ADVANCE-ON", "advance on"),
    ("ADVANCE-ON", "Advance-On"), ("ADVANCE-ON", "ADVANCE\u2010ON"), ("ADVANCE", "Advance"),
    ("IMPROVE-IT", "IMPROVE IT"), ("IMPROVE-IT", "improve-it"), ("IMPROVE-IT", "IMPROVEIT"),
])
def test_one_follow_up_study_written_two_ways_is_still_one_record(a, b):
    """The follow-up's own copies, its acronym and mark written with a hyphen or a space, whole, or in small letters,
    still join; so does a title with "on" as a word after an acronym ("Effect of CPAP on ...")."""
    assert review_of(rec(ADVANCE.format(a)), rec(ADVANCE.format(b), source_db="embase")) == ([1, 1], [])
    title = "Effect of CPAP on blood pressure in adults with obstructive sleep apnoea: a randomised trial"
    assert review_of(rec(title), rec(title.upper(), source_db="embase")) == ([1, 1], [])


@pytest.mark.parametrize("case", [str.upper, str.lower])
@pytest.mark.parametrize("joined, apart", [("ONTARGET", "ON-TARGET"), ("ONTARGET", "ON TARGET"),
                                           ("IMPROVEIT", "IMPROVE-IT"), ("ADVANCEON", "ADVANCE\u2013ON")])
def test_a_trial_named_whole_beside_its_copy_in_one_case_with_a_hyphen_is_still_one_record(case, joined, apart):
    """MEDLINE's "the ONTARGET trial" beside another database's "THE ON-TARGET TRIAL" (all in capitals): "TARGET" of
    the title in capitals was read as an acronym of its own beside "ONTARGET", and one paper's two copies were kept
    apart even at one volume and first page. The acronym written whole or in two parts is one name: one record."""
    for place in ({}, dict(volume="12", pages="100-110")):
        assert review_of(rec(ADVANCE.format(joined), **place),
                         rec(case(ADVANCE.format(apart)), source_db="embase", **place)) == ([1, 1], []), place
    assert review_of(rec(ADVANCE.format("TARGET")), rec(case(ADVANCE.format("ON-TARGET")), source_db="embase"))[0] \
        == [1, 2]


@pytest.mark.parametrize("a, b, said", [
    ("TARGET", "ON-TARGET", "'ON-TARGET' and 'TARGET'"),
    ("TIME", "IN-TIME", "'IN-TIME' and 'TIME'"),
    ("TARGET", "ON\u2013TARGET", "'ON\u2013TARGET' and 'TARGET'"),
])
def test_a_trial_named_by_another_trials_acronym_after_a_little_word_is_listed_not_joined(a, b, said):
    """"ON-TARGET" and "TARGET", "IN-TIME" and "TIME": two trials, one named by the other's acronym after a little
    word no title is told apart by, were joined and one never screened. Kept apart and listed; one trial's copies
    ("ON-TARGET", "ON TARGET", "ONTARGET") still join, and so do titles with "in", "on" as words before an acronym."""
    ids, reasons = review_of(rec(ADVANCE.format(a)), rec(ADVANCE.format(b), source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and said in reasons[0], reasons
    for copy in ("ON TARGET", "ONTARGET", "On-Target", "on target"):
        assert review_of(rec(ADVANCE.format("ON-TARGET")), rec(ADVANCE.format(copy), source_db="embase")) \
            == ([1, 1], []), copy
    title = "Effect of rosuvastatin on LDL cholesterol in adults with type 2 diabetes: a randomised trial"
    assert review_of(rec(title), rec(title.replace("on LDL", "on-LDL"), source_db="embase"))[0] == [1, 1]


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_a_trial_named_by_a_little_word_and_another_acronym_in_one_case_is_listed_not_joined(case):
    """"THE ON-TARGET TRIAL" in a title all in capitals (or small letters) beside "the TARGET trial" was joined: a
    little word before an acronym was read only in a title that writes its abbreviations in capitals. Joined to the
    acronym by a hyphen it now counts there too: listed. "IN-HOSPITAL MORTALITY" beside "in-hospital mortality" is
    still one title."""
    other = case(ADVANCE.format("ON-TARGET"))
    ids, reasons = review_of(rec(ADVANCE.format("TARGET")), rec(other, source_db="embase"))
    assert ids == [1, 2]
    assert len(reasons) == 1 and "'ON-TARGET' and 'TARGET'" in reasons[0], reasons
    title = "In-hospital mortality after TAVI in adults with aortic stenosis: a national cohort study"
    assert review_of(rec(title), rec(case(title), source_db="embase")) == ([1, 1], [])


FOLLOW_UP = "Ten-year outcomes of intensive glucose control in type 2 diabetes: {}"
EZETIMIBE = "Ezetimibe added to statin therapy after acute coronary syndromes: {}"
TELMISARTAN = "Telmisartan, ramipril, or both in patients at high risk for vascular events: {}"


@pytest.mark.parametrize("ta, tb", [
    (FOLLOW_UP.format("the ADVANCE-ON study"), FOLLOW_UP.format("The ADVANCE ON Study")),
    (FOLLOW_UP.format("the ADVANCE-ON study"), FOLLOW_UP.format("the ADVANCE ON study").upper()),
    (FOLLOW_UP.format("the ADVANCE ON study"), FOLLOW_UP.format("the ADVANCE-ON study").lower()),
    (FOLLOW_UP.format("the ADVANCE-ON study"), FOLLOW_UP.format("the ADVANCE\u2014ON study")),
    (FOLLOW_UP.format("the ADVANCE-ON study"), FOLLOW_UP.format("the ADVANCE&ndash;ON study")),
    (FOLLOW_UP.format("the ADVANCE-ON study"), FOLLOW_UP.format("the ADVANCE - ON study.")),
    (FOLLOW_UP.format("the ADVANCE-ON study"), FOLLOW_UP.format("the \u2018ADVANCE-ON\u2019 study")),
    (FOLLOW_UP.format("the ADVANCE-ON study"), "[" + FOLLOW_UP.format("the ADVANCE-ON study") + "]"),
    (EZETIMIBE.format("the IMPROVE-IT trial"), EZETIMIBE.format("the IMPROVE IT trial").upper()),
    (EZETIMIBE.format("the IMPROVE IT trial"), EZETIMIBE.format("the IMPROVE-IT trial").upper()),
    (EZETIMIBE.format("the IMPROVE-IT trial"), EZETIMIBE.format("the Improve-IT trial")),
    (EZETIMIBE.format("the IMPROVE-IT trial"), EZETIMIBE.format("the IMPROVE&#8208;IT trial")),
    (TELMISARTAN.format("the ON-TARGET trial"), TELMISARTAN.format("the ONTARGET trial").upper()),
    (TELMISARTAN.format("the ON TARGET trial"), TELMISARTAN.format("the on-target trial").lower()),
    (TELMISARTAN.format("the ON-TARGET trial"), TELMISARTAN.format("the ON&#8211;TARGET trial")),
    ("In-ICU mortality of adults with sepsis in the UK", "IN-ICU MORTALITY OF ADULTS WITH SEPSIS IN THE UK"),
    ("Effect of CPAP on blood pressure in adults with sleep apnoea",
     "Effect of CPAP On Blood Pressure In Adults With Sleep Apnoea"),
    ("Impact of COVID-19 on mental health of health workers", "IMPACT OF COVID ON MENTAL HEALTH OF HEALTH WORKERS"),
    ("Making NHS IT work: lessons from the national programme",
     "MAKING NHS IT WORK: LESSONS FROM THE NATIONAL PROGRAMME"),
])
def test_one_trials_paper_from_two_databases_is_still_one_record(ta, tb):
    """One paper about "ADVANCE-ON", "IMPROVE-IT" or "ON-TARGET" as databases write it (capitals, a space or an en or
    em dash for the hyphen, an HTML entity, quotes, a translated title's brackets): one record, with or without its
    volume and first page, beside the rules that keep the trial and its follow-up apart."""
    for place in ({}, dict(volume="12", pages="100-110")):
        assert review_of(rec(ta, **place), rec(tb, source_db="embase", **place)) == ([1, 1], []), place


@pytest.mark.parametrize("title", [
    "Long-term outcomes of bariatric surgery in adolescents with severe obesity: results from {}",
    "Prevalence of obesity and its correlates among adults in {}",
])
@pytest.mark.parametrize("a, b", [("the U.K.", "the United States"), ("the U.S.", "the United Kingdom"),
                                  ("the U.K.", "the USA"), ("the U.S.", "the UK"), ("the US", "the U.K."),
                                  ("the UK", "New Zealand"), ("Kenya", "Burkina Faso"), ("Brazil", "Sri Lanka")])
def test_two_countries_one_of_two_words_or_written_with_stops_are_not_joined(title, a, b):
    """"the U.K." read as the letters "u k", and a country of two words ("New Zealand") as two words in place of one:
    beside "the United States" or "the UK" the two countries' studies were joined, one never screened. Kept apart,
    and listed where the titles are alike enough; one country written both ways is still one title."""
    ids, reasons = review_of(rec(title.format(a)), rec(title.format(b), source_db="embase"))
    assert ids == [1, 2] and len(reasons) <= 1, reasons
    same = {"the U.K.": "the UK", "the U.S.": "the USA", "the US": "the U.S.", "the UK": "the U.K."}.get(a)
    if same:
        assert review_of(rec(title.format(a)), rec(title.format(same), source_db="embase"))[0] == [1, 1]


def test_two_countries_in_near_identical_titles_are_listed_by_their_names():
    title = "Long-term outcomes of bariatric surgery in adolescents with severe obesity: results from {}"
    for a, b, said in (("the UK", "New Zealand", "'uk' and 'new zealand'"),
                       ("the U.K.", "the United States", "'uk' and 'usa'")):
        ids, reasons = review_of(rec(title.format(a)), rec(title.format(b), source_db="embase"))
        assert ids == [1, 2] and len(reasons) == 1 and said in reasons[0], reasons
