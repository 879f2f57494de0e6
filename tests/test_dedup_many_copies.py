"""De-duplication when one study is exported many times: the title stages look at each distinct
title once and skip pairs already in one group, which must not change who joins whom or why."""

from __future__ import annotations

import pandas as pd

from screener.dedup import find_duplicates

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
