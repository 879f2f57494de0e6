"""De-duplication when one study is exported many times: the title stages look at each distinct
title once and skip pairs already in one group, which must not change who joins whom or why."""

from __future__ import annotations

import pandas as pd

from screener.dedup import find_duplicates, find_duplicates_with_review

T = "Syndemic conditions and sexual risk among men who have sex with men in Belgium"
OTHER = "Chemsex and mental health among men who have sex with men in Singapore: a survey"


def rec(title, *, year=2019, doi=None, authors=("Vanden Berghe, Wim",), journal="AIDS Care", abstract=None):
    return {"title": title, "abstract": abstract, "authors": list(authors), "year": year, "journal": journal,
            "doi": doi, "pmid": None, "keywords": [], "type": "JOUR", "source_db": "db"}


def records() -> pd.DataFrame:
    rows = {}
    for i in range(1, 13):  # twelve exports of one study, all with its DOI
        rows[i] = rec(T, doi="10.1007/s10461-019-02575-9", abstract="We surveyed men." if i == 5 else None)
    rows[13] = rec(T, year=None)  # no year, no DOI: only the fuzzy stage may join it
    rows[14] = rec(T.replace("sexual", "sexal"))  # a typo, no DOI
    rows[15] = rec(T.replace("sexual", "sexal"), year=2020)  # the same typo, print year
    rows[16] = rec(T, doi="10.9999/another-paper")  # same title, another DOI: a different paper
    for i in range(17, 22):  # another study, five copies without DOI: joined by exact title
        rows[i] = rec(OTHER, authors=("Tan, Rayner",), year=2020 + (i == 21))
    rows[22] = rec(OTHER, authors=("Lim, Sin How",))  # other first author: stays apart
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("record_id")


def test_copies_join_one_group_each_with_its_reason():
    out = find_duplicates(records()).set_index("record_id")
    group = out["group_id"].to_dict()
    assert {r for r, g in group.items() if g == 1} == set(range(1, 16))
    assert group[16] == 16 and group[22] == 22
    assert {r for r, g in group.items() if g == 17} == set(range(17, 22))
    assert out.loc[5, "is_primary"]  # the copy with an abstract
    assert out.loc[5, "reason"] == "primary of 15 records: the most complete (has abstract and DOI, 7 fields filled)"
    assert out.loc[2, "reason"] == "same DOI 10.1007/s10461-019-02575-9 as record 1"
    assert out.loc[13, "reason"] == "same title as record 1 (2019); year missing in one, same first author"
    assert out.loc[14, "reason"] == "title 99% similar to record 1 (2019), same first author"
    assert out.loc[15, "reason"] == ("same title and first author as record 14; years 2019 and 2020 "
                                     "(online-first vs print year)")
    assert out.loc[21, "reason"] == ("same title and first author as record 17; years 2020 and 2021 "
                                     "(online-first vs print year)")


def test_result_does_not_depend_on_row_order():
    df = records()
    a = find_duplicates(df)
    b = find_duplicates(df.sample(frac=1.0, random_state=3))
    pd.testing.assert_frame_equal(a, b)


def test_many_abstracts_under_one_pmid_keep_apart_and_their_copies_join():
    """A meeting supplement's abstracts all given its PMID (here 60, more than are compared pair by pair): each copy
    joins its own abstract, wherever it is among them and with or without its page; the other abstracts stay apart,
    each listed once with the first under that PMID."""
    topics = ("asthma", "stroke", "diabetes", "obesity", "sepsis", "insulin", "dementia", "pain", "sleep", "smoking")
    rows = [{"title": f"Outcomes of {topics[k % 10]} care in cohort {k} of the registry and {topics[k // 10]} clinics",
             "authors": [f"Author{k}, A."], "year": 2019, "journal": "Thorax", "volume": "74", "pages": f"A{k + 1}",
             "pmid": "31234567", "source_db": "embase"} for k in range(60)]
    rows.append(dict(rows[29], source_db="scopus"))
    rows.append(dict(rows[44], pages=None, source_db="scopus"))
    df = pd.DataFrame(rows, index=pd.Index(range(1, len(rows) + 1), name="record_id"))
    out, review = find_duplicates_with_review(df)
    group = dict(zip(out["record_id"], out["group_id"]))
    assert group[61] == group[30] and group[62] == group[45]
    assert len(set(group.values())) == 60
    assert sorted(map(sorted, zip(review["record_id"], review["other_id"]))) == [[1, k] for k in range(2, 61)]


def _mixed_block() -> pd.DataFrame:
    """Sixty abstracts under one PMID, with what the pair-by-pair comparison judges otherwise than a plain pair: copies
    with and without a page, a DOI on two of them (joined before the PMID is read), a title holding another's words, a
    near title at another page, a correction, a title in Chinese and one with no title."""
    topics = ("asthma", "stroke", "diabetes", "obesity", "sepsis", "insulin", "dementia", "pain", "sleep", "smoking")
    rows = [{"title": f"Outcomes of {topics[k % 10]} care in cohort {k} of the registry and {topics[k // 10]} clinics",
             "authors": [f"Author{k}, A."], "year": 2019, "journal": "Thorax", "volume": "74", "pages": f"A{k + 1}",
             "pmid": "31234567", "doi": None, "source_db": "embase"} for k in range(60)]
    rows += [dict(rows[29], source_db="scopus"), dict(rows[44], pages=None, source_db="scopus"),
             dict(rows[3], doi="10.1136/thorax-2019-a4", source_db="scopus"),
             dict(rows[50], doi="10.1136/thorax-2019-a4", pages=None, source_db="wos"),
             dict(rows[12], title=rows[12]["title"] + " in winter", pages=None),
             dict(rows[12], title=rows[12]["title"].replace("registry", "registery"), pages="A99"),
             dict(rows[20], title="Erratum: " + rows[20]["title"], pages="A200"),
             dict(rows[7], title="基于登记处的哮喘护理结局 " + rows[7]["title"][:30], pages=None),
             dict(rows[8], title=None, pages="A9")]
    return pd.DataFrame(rows, index=pd.Index(range(1, len(rows) + 1), name="record_id"))


def test_many_records_under_one_pmid_group_as_compared_pair_by_pair(monkeypatch):
    """Over fifty records under one identifier are told apart by a quicker path than pair by pair; the groups and the
    pairs listed, and why, are the same either way."""
    import screener.dedup as dedup
    quick = find_duplicates_with_review(_mixed_block())
    monkeypatch.setattr(dedup, "_PLAINLY_APART_MIN", 10_000)
    pair_by_pair = find_duplicates_with_review(_mixed_block())
    pd.testing.assert_frame_equal(quick[0], pair_by_pair[0])
    pd.testing.assert_frame_equal(quick[1], pair_by_pair[1])
    assert quick[0]["group_id"].nunique() < len(quick[0])  # copies did join: the block is no trivial one
