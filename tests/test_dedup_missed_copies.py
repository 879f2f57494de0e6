"""De-duplication: copies of one record that real exports write otherwise (a Cochrane review's copies, a thesis's
catalogue record, a journal's transliterated name, an editorial's heading) are joined, or listed for the reviewer
where only a person can tell; never kept apart silently."""

from __future__ import annotations

import pandas as pd

from screener.dedup import find_duplicates_with_review


def rec(title, **extra):
    r = {"title": title, "abstract": None, "authors": ["Kuwabara, Satoshi", "Dispenzieri, Angela"], "year": 2012,
         "journal": "Cochrane Database of Systematic Reviews", "doi": None, "pmid": None, "keywords": [],
         "type": "JOUR", "source_db": "medline"}
    r.update(extra)
    return r


def dedup(*records) -> tuple[list[int], dict[tuple[int, int], str]]:
    """The group of each record, in order, and the pairs listed for review (record ids from 1) with their reason."""
    df = pd.DataFrame(list(records), index=pd.Index(range(1, len(records) + 1), name="record_id"))
    out, review = find_duplicates_with_review(df)
    return out["group_id"].tolist(), {(int(a), int(b)): why for a, b, why in review.itertuples(index=False)}


# ----------------------------------------------------------------------------- a Cochrane review's versions

POEMS = "Treatment for POEMS (polyneuropathy, organomegaly, endocrinopathy, M-protein, and skin changes) syndrome"


def test_a_cochrane_reviews_versions_are_listed_for_review_not_kept_apart_silently():
    # the 2008 review and its 2012 update share the title and the CD number: two publications, a person decides
    groups, review = dedup(rec(POEMS, volume="6", pages="CD006828"), rec(POEMS, year=2008, pages="CD006828"))
    assert groups == [1, 2]
    assert "2008 and 2012" in review[(1, 2)] and "Cochrane" in review[(1, 2)]
    # the Cochrane Library's DOIs name the versions (.pub2, .pub3), a year apart or in one year
    for y1, y2 in ((2015, 2019), (2018, 2019), (2019, 2019)):
        groups, review = dedup(rec(POEMS, year=y1, doi="10.1002/14651858.CD006828.pub2"),
                               rec(POEMS, year=y2, doi="10.1002/14651858.CD006828.pub3", source_db="cdsr"))
        assert groups == [1, 2] and "Cochrane" in review[(1, 2)], (y1, y2)
    # one version from two databases is still one record, and nothing is listed
    assert dedup(rec(POEMS, doi="10.1002/14651858.CD006828.pub2"),
                 rec(POEMS, volume="6", pages="CD006828", journal="The Cochrane database of systematic reviews",
                     source_db="pubmed")) == ([1, 1], {})


def test_a_copy_of_a_cochrane_reviews_version_joins_that_version_whose_title_recurs_as_another_version():
    # Ovid's copy of the 2012 version names no issue nor CD number; the 2008 version, four years away, is no version
    # that copy could be, so the title recurring there does not keep it from the 2012 version
    v2012 = rec(POEMS, volume="6", pages="CD006828")
    copy = rec(POEMS, authors=["Kuwabara, S.", "Dispenzieri, A."], source_db="embase")
    v2008 = rec(POEMS, year=2008, pages="CD006828")
    groups, review = dedup(v2012, copy, v2008)
    assert groups == [1, 1, 3]
    assert "Cochrane" in review[(1, 3)] and "Cochrane" in review[(2, 3)]
    # a version a year away (2011), or two versions of one year (.pub2 and .pub3), leave the copy's version open
    for other in (rec(POEMS, year=2011, pages="CD006828"),
                  rec(POEMS, doi="10.1002/14651858.CD006828.pub3", source_db="cdsr")):
        groups, _ = dedup(dict(v2012, doi="10.1002/14651858.CD006828.pub2"), copy, v2008, other)
        assert groups[1] == 2, other
    # a copy without a year could be any version
    assert dedup(v2012, dict(copy, year=None), v2008)[0] == [1, 2, 3]


# ----------------------------------------------------------------------------- a journal's name written two ways

CANCER = "[Clinical study of gefitinib combined with chemotherapy in advanced non-small cell lung cancer]"
ZHANG = dict(authors=["Zhang, Wei", "Li, Ming"], year=2009, doi=None)


def test_a_journals_transliterated_name_beside_its_parallel_title_is_one_journal():
    # MEDLINE writes a Chinese journal's name spaced, with its English name after "=" or in brackets; Embase
    # unspaced. Without a volume and page to confirm them, the two names must still be one journal
    for medline, embase in (("Zhonghua nei ke za zhi [Chinese journal of internal medicine]", "Zhonghua Neike Zazhi"),
                            ("Zhongguo fei ai za zhi = Chinese journal of lung cancer", "Zhongguo Feiai Zazhi"),
                            ("Zhongguo fei ai za zhi = Chinese journal of lung cancer",
                             "Chinese Journal of Lung Cancer")):
        assert dedup(rec(CANCER, journal=medline, **ZHANG),
                     rec(CANCER.strip("[]"), journal=embase, source_db="embase", **ZHANG)) == ([1, 1], {}), embase
    # another journal of the same house stays another journal: listed for review, not joined
    groups, review = dedup(rec(CANCER, journal="Zhongguo fei ai za zhi = Chinese journal of lung cancer", **ZHANG),
                           rec(CANCER, journal="Zhonghua Zhongliu Zazhi", source_db="embase", **ZHANG))
    assert groups == [1, 2] and "different journals" in review[(1, 2)]



def test_two_journals_of_one_house_stay_two_though_medline_gives_their_parallel_titles():
    # "nei ke" and "er ke", "pediatrics" and "geriatrics": a name beside its parallel title joins only that journal's
    # other spelling, not a sister journal whose name shares the house's syllables or the English words around them
    for medline, other in (("Zhonghua nei ke za zhi [Chinese journal of internal medicine]", "Zhonghua Erke Zazhi"),
                           ("Zhonghua wai ke za zhi [Chinese journal of surgery]", "Zhonghua Neike Zazhi"),
                           ("Zhonghua er ke za zhi = Chinese journal of pediatrics", "Chinese Journal of Geriatrics"),
                           ("Zhonghua yan ke za zhi = Chinese journal of ophthalmology",
                            "Chinese Journal of Oncology")):
        groups, review = dedup(rec(CANCER, journal=medline, **ZHANG),
                               rec(CANCER, journal=other, source_db="embase", **ZHANG))
        assert groups == [1, 2] and "different journals" in review[(1, 2)], other
    # the journal's own abbreviation still names it
    assert dedup(rec(CANCER, journal="Zhongguo fei ai za zhi = Chinese journal of lung cancer", **ZHANG),
                 rec(CANCER, journal="Chin J Lung Cancer", source_db="embase", **ZHANG)) == ([1, 1], {})


# ----------------------------------------------------------------------------- an editorial's heading

OPEN_SOURCE = "Open source software: investigating the software engineering, psychosocial and economic issues"
ISJ = dict(authors=["Avison, David E.", "Fitzgerald, Guy"], journal="Information Systems Journal", year=2001)


def test_guest_editorial_and_editorial_before_one_title_are_one_editorial():
    # one database heads the special issue's editorial "Guest editorial:", another "Editorial:" or "Guest Editorial"
    for a, b in (("Guest editorial: ", "Editorial: "), ("Guest Editorial ", "Editorial - "),
                 ("GUEST EDITORIAL: ", "Editorial: ")):
        assert dedup(rec(a + OPEN_SOURCE, **ISJ), rec(b + OPEN_SOURCE, source_db="scopus", **ISJ)) == ([1, 1], {}), a
    # the heading alone is no title to join on, and another editorial's title stays another
    assert dedup(rec("Guest editorial", **ISJ), rec("Editorial", source_db="scopus", **ISJ))[0] == [1, 2]
    assert dedup(rec("Guest editorial: " + OPEN_SOURCE, **ISJ),
                 rec("Editorial: Open innovation: investigating the software engineering, psychosocial and economic "
                     "issues", source_db="scopus", **ISJ))[0] == [1, 2]



def test_guest_editorials_of_one_generic_title_are_not_joined_on_it():
    # "Introduction to the special issue": one journal's guest editors introduce several special issues a year; a
    # copy without its volume and page (online first) or without its authors is not told from another issue's
    intro = "Guest editorial: Introduction to the special issue"
    first = rec(intro, volume="29", issue="2", pages="101-103", **ISJ)
    for other in (rec(intro, source_db="wos", **ISJ), dict(rec(intro, source_db="wos", **ISJ), authors=[]),
                  dict(rec("Editorial: Introduction to the special issue", source_db="wos", **ISJ), authors=[])):
        assert dedup(first, other)[0] == [1, 2], other


# ----------------------------------------------------------------------------- a thesis and its catalogue record

THESIS = "An intelligent rehabilitation system for cognitive rehabilitation"
YIP = dict(authors=["Yip, Chi Bun"], doi=None)
DAI = rec(THESIS, journal="Dissertation Abstracts International: Section B: The Sciences and Engineering",
          volume="73", issue="3-B", pages="1524", year=2012, type=None, source_db="psycinfo", **YIP)


def test_a_dissertations_abstract_and_the_theses_catalogue_record_are_listed_not_kept_apart_silently():
    # a catalogue (EndNote's Thesis type) gives the degree where the volume goes, the number of pages ("215 p") and
    # the school as publisher; ProQuest's Dissertation Abstracts gives its own volume and page
    for catalogue in (dict(journal=None, volume="Ph.D.", pages="215 p", type=None),
                      dict(journal="University of Hong Kong", pages="215 p", type="THES"),
                      dict(journal=None, pages="xv, 215 p.", type="Thesis"),
                      dict(journal="The University of Hong Kong (Pokfulam, Hong Kong)", type="phdthesis")):
        groups, review = dedup(DAI, rec(THESIS, year=2011, source_db="catalogue", **YIP, **catalogue))
        assert groups == [1, 2], catalogue
        assert "thesis" in review[(1, 2)] and "conference abstract" not in review[(1, 2)], catalogue
    # another author's thesis of the title, or a thesis years away, is not listed as this one's copy
    assert dedup(DAI, rec(THESIS, year=2011, journal=None, volume="Ph.D.", pages="215 p", type=None,
                          authors=["Chan, Mei Ling"]))[1] == {}


def test_an_editorials_heading_before_one_title_only_is_listed_not_kept_apart_silently():
    # "Editorial: <title>" beside "<title>" in one journal and year, without a page to confirm them: the editorial's
    # copy that lost its heading, or an editorial about the paper; only a person can tell
    for head in ("Editorial: ", "Guest editorial: ", "Guest Editorial "):
        groups, review = dedup(rec(head + OPEN_SOURCE, **ISJ), rec(OPEN_SOURCE, source_db="scopus", **ISJ))
        assert groups == [1, 2] and "'editorial' before one title only" in review[(1, 2)], head
    # at one volume and page they are listed too: an editorial (or letter) titled after the paper is never joined
    # with it unseen (test_a_letter_or_comment_titled_after_the_paper_at_its_page_is_listed_not_joined)
    groups, review = dedup(rec("Editorial: " + OPEN_SOURCE, volume="11", pages="273-276", **ISJ),
                           rec(OPEN_SOURCE, volume="11", pages="273-276", source_db="scopus", **ISJ))
    assert groups == [1, 2] and "by its title" in review[(1, 2)]


# ----------------------------------------------------------------------------- a paper printed again in a later volume

REPRINTED = ("Governance of outsourced analytics projects: evidence from client and supplier managers")
REPRINTED_ABSTRACT = (
    "Outsourced analytics projects often fail to deliver the value their clients expect, yet little is known about how "
    "governance arrangements shape that delivery. Drawing on a survey of 212 client managers and 187 supplier "
    "managers, we find that joint steering committees improve the quality of delivered models but not their cost or "
    "timeliness. The findings suggest that clients can improve delivery by appointing senior project owners.")


def test_one_paper_printed_again_in_the_journals_next_volume_is_listed_not_kept_apart_silently():
    # a journal printed the paper again the next year (a production error put right): a new DOI, volume and pages,
    # but the same title, authors and abstract; one study, which only a person can confirm
    def paper(**extra):
        return rec(REPRINTED, abstract=REPRINTED_ABSTRACT, authors=["Okafor, Ngozi", "Lindqvist, Per"],
                   journal="Journal of Information Technology", source_db="scopus", **extra)

    first = paper(year=2016, volume="31", issue="1", pages="46-54", doi="10.1057/jit.2016.4")
    again = paper(year=2017, volume="32", issue="1", pages="56-64", doi="10.1057/jit.2015.27")
    groups, review = dedup(first, again)
    assert groups == [1, 2]
    assert "31 and 32" in review[(1, 2)] and "abstract" in review[(1, 2)]
    # another abstract under the title in the next volume is another paper (a column, a second part): not listed
    other = dict(again, abstract="We report a second survey of the same managers two years later. " * 6)
    assert dedup(first, other) == ([1, 2], {})
    # nor the same abstract by another first author (an abstract copied onto another record)
    assert dedup(first, dict(again, authors=["Brennan, Aoife"])) == ([1, 2], {})


# ----------------------------------------------------------------------------- a magazine column's name before a title

COLUMN_TITLE = "Why senior engineers turn down promotion to management"


def test_a_columns_name_before_a_short_title_is_listed_not_kept_apart_silently():
    # a magazine's copy keeps its column's name before the title ("How I did it ... <title>"), another database drops
    # it and puts the year where the volume goes: the short title scores below the fuzzy threshold with the heading,
    # yet it is one article by one author in one issue; listed for a person
    def article(title, **extra):
        return rec(title, **{"authors": ["Okonkwo, Tobenna"], "year": 2019, "journal": "Harvard Business Review",
                             "source_db": "proquest", **extra})

    headed = article("How I did it ... " + COLUMN_TITLE, volume="97", issue="2", pages="31+")
    bare = article(COLUMN_TITLE, volume="2019", issue="March", source_db="ebsco")
    groups, review = dedup(headed, bare)
    assert groups == [1, 2]
    assert "'how i did it'" in review[(1, 2)] and "column" in review[(1, 2)]
    # another first author, another journal, or two real volumes are two papers: not listed
    assert dedup(headed, dict(bare, authors=["Lindqvist, Per"]))[1] == {}
    assert dedup(headed, dict(bare, journal="MIT Sloan Management Review"))[1] == {}
    assert dedup(headed, dict(bare, volume="96"))[1] == {}
    # a notice's heading ("Correction: <title>") is no column's name: the notice is not listed as a copy here
    assert dedup(article("Correction: " + COLUMN_TITLE, volume="97", issue="3", pages="12"), bare)[0] == [1, 2]
