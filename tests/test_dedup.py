"""De-duplication: each stage on tiny hand-made record tables, the guards against false merges,
primary choice, determinism, splitting a group, PRISMA counts, and the MSM fixture's gold standard."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from screener.dedup import (
    dedup_report,
    find_duplicates,
    find_duplicates_with_review,
    first_author_tokens,
    format_dedup_report,
    journals_compatible,
    prisma_counts,
    split_group,
)
from screener.errors import InputError, ScreenerError
from scripts import REPO, load_script

ABSTRACT = "We surveyed 300 men about their health."


def rec(title, *, year=2019, authors=("Smith, John",), doi=None, pmid=None, abstract=None, journal="AIDS Care",
        source_db="medline", **extra):
    r = {"title": title, "abstract": abstract, "authors": list(authors), "year": year, "journal": journal,
         "doi": doi, "pmid": pmid, "keywords": [], "type": "JOUR", "source_db": source_db}
    r.update(extra)
    return r


def table(*records, ids=None) -> pd.DataFrame:
    df = pd.DataFrame(list(records), index=pd.Index(ids or range(1, len(records) + 1), name="record_id"))
    return df


def groups(result: pd.DataFrame) -> dict[int, int]:
    return dict(zip(result["record_id"], result["group_id"]))


def row(result: pd.DataFrame, record_id: int) -> pd.Series:
    return result.set_index("record_id").loc[record_id]


T = "Syndemic conditions and sexual risk among men who have sex with men in Belgium"


# ----------------------------------------------------------------------------- output shape


def test_singletons_are_their_own_group_with_empty_reason():
    out = find_duplicates(table(rec(T), rec("A completely different study of chemsex in Singapore")))
    assert list(out.columns) == ["record_id", "group_id", "is_primary", "reason"]
    assert out["record_id"].tolist() == [1, 2]
    assert out["group_id"].tolist() == [1, 2]
    assert out["is_primary"].tolist() == [True, True]
    assert out["reason"].tolist() == ["", ""]


# ----------------------------------------------------------------------------- stage 1: DOI


def test_one_identifier_on_two_works_does_not_join_them():
    """A book's DOI on two chapters (one per database), a correction given its article's DOI, and
    a mistyped PMID: each pair plainly says it is two works, so it is listed, never merged."""
    book = "10.1007/978-3-319-12345-6"
    out, review = find_duplicates_with_review(table(
        rec("Cognitive behavioural therapy for panic disorder", doi=book, authors=("Smith, A",), pages="101-130"),
        rec("Pharmacological treatment of generalised anxiety", doi=book, authors=("Garcia, B",), pages="245-270",
            source_db="psycinfo"),
        rec("Peer workers in needle exchange services", doi="10.1/art", pmid="111"),
        rec("Correction: Peer workers in needle exchange services", doi="10.1/art", source_db="embase"),
        rec("Naloxone distribution in shelters by trained staff", pmid="222", authors=("Lee, C",), pages="10-20"),
        rec("Knee replacement outcomes after ten years of follow up", pmid="222", authors=("Wong, D",),
            pages="300-310", source_db="embase"),
        rec("Peer workers in needle exchange services", doi="10.1/art", pmid="333", source_db="scopus"),
    ))
    g = groups(out)
    assert len({g[1], g[2]}) == 2 and len({g[3], g[4]}) == 2 and len({g[5], g[6]}) == 2 and g[7] != g[3]
    flagged = {(int(a), int(b)) for a, b in zip(review["record_id"], review["other_id"])}
    assert {(1, 2), (5, 6)} <= {tuple(sorted(p)) for p in flagged}
    # the same work under one DOI in two databases still joins
    out = find_duplicates(table(rec(T, doi="10.1/x"), rec(T + ".", doi="10.1/X", source_db="embase")))
    assert groups(out) == {1: 1, 2: 1}


def test_doi_match_ignores_case_and_resolver_prefix():
    out = find_duplicates(table(
        rec("Title as one database wrote it", doi="10.1007/S10461-019-02575-9", year=2019),
        rec("Entirely different title text in the other export", doi="https://dx.doi.org/10.1007/s10461-019-02575-9",
            year=2020, source_db="proquest"),  # a translated title: the same first author
        rec("Another", doi="doi: 10.1007/s10461-019-02575-9", source_db="scopus"),
    ))
    assert groups(out) == {1: 1, 2: 1, 3: 1}
    assert row(out, 2)["reason"] == "same DOI 10.1007/s10461-019-02575-9 as record 1"


def test_doi_match_reads_percent_encoded_links():
    # Ovid's SFX link gives the DOI encoded twice; another database gives it as printed
    from screener.io.common import doi_from_url

    sici = "10.1002/1097-4679(199407)50:4<502::aid-jclp2270500404>3.0.co;2-j"
    link = ("http://sfx.library.uu.nl/utrecht?sid=OVID:psycdb&id=pmid:&id=doi:10.1002%2F1097-4679%2528199407%252950"
            "%3A4%253C502%3A%3AAID-JCLP2270500404%253E3.0.CO%3B2-J&issn=0021-9762")
    assert doi_from_url(link) == sici
    out = find_duplicates(table(
        rec("Cluster analysis of MCMI and MCMI-II on chronic PTSD victims", doi=sici, year=1994),
        rec("Cluster analysis of the MCMI and MCMI-II in chronic post-traumatic stress disorder", year=1995,
            doi="https://doi.org/10.1002/1097-4679%28199407%2950%3A4%3C502%3A%3AAID-JCLP2270500404%3E3.0.CO%3B2-J",
            source_db="psycinfo"),
    ))
    assert groups(out) == {1: 1, 2: 1}


def test_doi_given_to_several_works_by_one_database_does_not_merge_them():
    # A book DOI on every chapter: same DOI, plainly different titles, same export.
    out = find_duplicates(table(
        rec("Comprehensive prevention with HIV positive gay men", doi="10.1007/978-1-4419-0203-0", source_db="scopus"),
        rec("Emerging and innovative prevention strategies for positive men", doi="10.1007/978-1-4419-0203-0",
            source_db="scopus"),
    ))
    assert groups(out) == {1: 1, 2: 2}


# ----------------------------------------------------------------------------- stage 2: PMID


def test_pmid_match_across_formats():
    out = find_duplicates(table(
        rec("First title", pmid="31289985"),
        rec("Second title", pmid=31289985.0, source_db="scopus"),
        rec("Third title", pmid="PMID: 31289985", source_db="psycinfo"),
        rec("Fourth title", pmid="31289986", source_db="psycinfo"),
    ))
    assert groups(out) == {1: 1, 2: 1, 3: 1, 4: 4}
    assert "same PMID 31289985" in row(out, 2)["reason"]


# ----------------------------------------------------------------------------- stage 3: title + year + first author


def test_same_title_same_year_same_first_author_merged():
    out = find_duplicates(table(
        rec(T, authors=("Vanden Berghe, Wim", "Laga, Marie")),
        rec(T.upper() + ".", authors=("Vanden Berghe W",), source_db="proquest"),
    ))
    assert groups(out) == {1: 1, 2: 1}
    assert row(out, 2)["reason"] == "same title, year (2019) and first author as record 1"


def test_same_title_two_years_apart_not_merged_one_year_apart_merged():
    two = find_duplicates(table(rec(T, year=2017), rec(T, year=2019)))
    assert groups(two) == {1: 1, 2: 2}
    one = find_duplicates(table(rec(T, year=2019), rec(T, year=2020)))
    assert groups(one) == {1: 1, 2: 1}
    assert "years" in row(one, 2)["reason"] and "online-first" in row(one, 2)["reason"]
    strict = find_duplicates(table(rec(T, year=2019), rec(T, year=2020)), year_tolerance=0)
    assert groups(strict) == {1: 1, 2: 2}


def test_same_title_different_first_author_not_merged():
    out = find_duplicates(table(rec(T, authors=("Smith, John",)), rec(T, authors=("Jones, Mary",))))
    assert groups(out) == {1: 1, 2: 2}


def test_same_title_author_missing_in_one_record_merged_and_says_so():
    out = find_duplicates(table(rec(T), rec(T, authors=())))
    assert groups(out) == {1: 1, 2: 1}
    assert "first author missing in one" in row(out, 2)["reason"]


def test_same_title_conflicting_dois_not_merged_even_through_a_third_record():
    out = find_duplicates(table(
        rec(T, doi="10.1000/aaa"),
        rec(T),  # no DOI: could join either
        rec(T, doi="10.1000/bbb"),
    ))
    g = groups(out)
    assert g[1] != g[3]
    assert g[2] in (g[1], g[3])


# ----------------------------------------------------------------------------- stage 4: fuzzy title


@pytest.mark.parametrize(
    "variant",
    [
        "Syndemic conditions and sexual risk among men who have sex with man in Belgium",  # typo
        "Syndemic <i>conditions</i> and sexual risk among men who have sex with men in Belgium",  # HTML
        "Syndemic conditions & sexual-risk among men who have sex with men, in Belgium?",  # punctuation
        "Syndemic conditions and sexual risk amongst men who have sex with men in Belgium",  # spelling
    ],
)
def test_fuzzy_title_variants_merged(variant):
    out = find_duplicates(table(rec(T, authors=("Smith, J.",)), rec(variant, authors=("Smith, John",),
                                                                      source_db="scopus")))
    assert groups(out) == {1: 1, 2: 1}
    reason = row(out, 2)["reason"]
    assert ("similar to record 1 (2019)" in reason) or reason.startswith("same title")


SEASON = "Interim estimates of {} vaccine effectiveness against influenza A(H1N1)pdm09, Denmark, January 2019"


@pytest.mark.parametrize("short", ["2018/19", "2018-19", "2018\u201319"])
def test_a_season_or_year_range_written_short_is_one_title(short):
    # Eurosurveillance writes "2018/19"; another database's copy has "2018-2019": one paper
    long = SEASON.format("2018-2019")
    out = find_duplicates(table(rec(long, journal="Eurosurveillance", year=2019),
                                rec(SEASON.format(short), journal="Eurosurveillance", year=2019, source_db="embase")))
    assert groups(out) == {1: 1, 2: 1}
    # the next season is another paper, and "2013/37" is a number, not 2013 to 2037
    out = find_duplicates(table(rec(long, journal="Eurosurveillance", year=2019),
                                rec(SEASON.format("2019/20"), journal="Eurosurveillance", year=2019,
                                    source_db="embase")))
    assert groups(out) == {1: 1, 2: 2}
    directive = "Reuse of public sector information under Directive {}/EU: a survey of open data portals"
    out = find_duplicates(table(rec(directive.format("2013/37")), rec(directive.format("2013-2037"), source_db="x")))
    assert groups(out) == {1: 1, 2: 2}


def test_fuzzy_reason_names_score_and_year():
    out = find_duplicates(table(rec(T), rec(T.replace("Belgium", "Belgiun"), year=2020)))
    reason = row(out, 2)["reason"]
    assert reason.startswith("title ") and "% similar to record 1 (2019)" in reason
    score = int(reason.split()[1].rstrip("%"))
    assert 93 <= score < 100


def test_fuzzy_threshold_controls_merging():
    a = rec("Psychosocial burden and adherence among older gay men in New York")
    b = rec("Psychosocial burden and adherance among the older gay men in New York State")  # 91%, a typo
    assert groups(find_duplicates(table(a, b)))[2] == 2  # below the default
    assert groups(find_duplicates(table(a, b), fuzzy_threshold=85))[2] == 1
    assert groups(find_duplicates(table(a, rec(a["title"] + "!")), fuzzy_threshold=100))[2] == 1  # exact still


def test_fuzzy_match_found_when_the_typo_hits_a_rare_word():
    # Many other records share the common words; the typo is in the rarest word.
    names = ["Ahmed", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen"]
    others = [rec(f"Syndemic factors among men in {c} of the region", authors=(f"{n}, A",), year=2000 + k)
              for k, (n, c) in enumerate((n, c) for n in names for c in ("Lima", "Quito", "Bogota"))]
    a = rec("Syndemic factors among men in Tegucigalpa Honduras and the region", authors=("Lopez, A",))
    b = rec("Syndemic factors among men in Tegucigalpaa Honduras and the region", authors=("Lopez, Ana",))
    out = find_duplicates(table(*others, a, b))
    g = groups(out)
    assert g[31] == g[32]
    assert sum(1 for k in range(1, 31) if g[k] != k) == 0


def test_generic_titles_not_merged():
    out = find_duplicates(table(
        rec("Editorial", authors=("Smith, John",)),
        rec("Editorial.", authors=("Smith, John",)),
        rec("Reply", authors=("Smith, John",)),
        rec("Erratum", authors=()),
        rec("Erratum", authors=()),
    ))
    assert groups(out) == {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}


def test_generic_titles_still_merged_by_doi():
    out = find_duplicates(table(rec("Editorial", doi="10.1000/ed1"), rec("Editorial", doi="10.1000/ED1")))
    assert groups(out) == {1: 1, 2: 1}


def test_correction_notice_not_merged_with_the_article():
    out = find_duplicates(table(
        rec("Number of psychosocial strengths predicts reduced HIV sexual risk behaviors among gay men", year=2017),
        rec("Correction: Number of psychosocial strengths predicts reduced HIV sexual risk behaviors among gay men",
            year=2018),
        rec("Number of psychosocial strengths predicts reduced HIV sexual risk behaviors among gay men: Correction",
            year=2018, source_db="psycinfo"),
    ))
    g = groups(out)
    assert g[1] == 1 and g[2] != 1 and g[3] != 1


def test_fuzzy_conflicting_dois_not_merged():
    out = find_duplicates(table(rec(T, doi="10.1000/one"), rec(T.replace("Belgium", "Belgiun"), doi="10.1000/two")))
    assert groups(out) == {1: 1, 2: 2}


def test_fuzzy_different_venue_not_merged():
    # A conference abstract and the protocol paper: near-identical titles, same authors and year.
    out = find_duplicates(table(
        rec("Design of a syndemic based intervention to facilitate care for men with high risk behaviour",
            journal="BMC infectious diseases"),
        rec("Start of a syndemic based intervention to facilitate care for men with high risk behaviour",
            journal="Sexually transmitted infections. Conference: STI and HIV World Congress"),
    ))
    assert groups(out) == {1: 1, 2: 2}


def test_series_numbers_keep_parts_apart():
    out = find_duplicates(table(
        rec("Syndemic production among young men in the P18 cohort study: part I"),
        rec("Syndemic production among young men in the P18 cohort study: part II"),
        rec("HIV testing among men who have sex with men in Shanghai in 2015"),
        rec("HIV testing among men who have sex with men in Shanghai in 2016"),
    ))
    assert groups(out) == {1: 1, 2: 2, 3: 3, 4: 4}


def test_short_titles_not_fuzzy_matched():
    out = find_duplicates(table(rec("LGBT sexual health"), rec("LGBT mental health")))
    assert groups(out) == {1: 1, 2: 2}


def test_a_short_title_kept_apart_is_listed_with_its_years():
    out, review = find_duplicates_with_review(table(rec("Burnout in nurses", authors=(), year=2019),
                                                    rec("Burnout in nurses", authors=(), year=2020)))
    assert groups(out) == {1: 1, 2: 2}
    assert review["reason"].tolist() == [
        "same short title (years 2019 and 2020), but no first author or place to confirm them"]


# ----------------------------------------------------------------------------- primary, ids, determinism


def test_primary_is_most_complete_then_lowest_id():
    out = find_duplicates(table(
        rec(T, doi="10.1000/x"),  # DOI, no abstract
        rec(T, doi="10.1000/x", abstract=ABSTRACT, source_db="scopus"),  # DOI and abstract
        rec(T, doi="10.1000/x", abstract=ABSTRACT, source_db="psycinfo"),  # same completeness, higher id
        ids=[10, 20, 30],
    ))
    assert set(out["group_id"]) == {10}
    assert out.set_index("record_id")["is_primary"].to_dict() == {10: False, 20: True, 30: False}
    assert row(out, 20)["reason"].startswith("primary of 3 records")
    # each member is explained by the record it matched
    assert row(out, 10)["reason"] == "same DOI 10.1000/x as record 20"


def test_deterministic_whatever_the_row_order():
    recs = [
        rec(T, doi="10.1000/x"), rec(T, abstract=ABSTRACT), rec(T.replace("men", "man", 1), year=2020),
        rec("Editorial"), rec("Editorial"), rec("Chemsex in Singapore: a qualitative study of gay men", pmid="1"),
        rec("Chemsex in Singapore: a qualitative study of gay men.", pmid="1", year=None),
    ]
    df = table(*recs, ids=[5, 3, 9, 1, 7, 2, 8])
    first = find_duplicates(df)
    again = find_duplicates(df)
    shuffled = find_duplicates(df.sample(frac=1.0, random_state=4))
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled)
    assert first["record_id"].tolist() == sorted(first["record_id"])


def test_missing_values_and_odd_types_are_tolerated():
    a, b, c = rec(T), rec(T), rec(None, year=None)
    a.update(year=float("nan"), authors=float("nan"), doi=float("nan"))
    b.update(year="2019", authors="Smith, J.; Jones, M.", pmid=float("nan"))
    df = table(a, b, c)
    out = find_duplicates(df)
    assert len(out) == 3
    assert groups(out)[1] == groups(out)[2] == 1  # identical title, year unknown on one side
    assert groups(out)[3] == 3


def test_bad_input_gives_clear_errors():
    with pytest.raises(InputError, match="record_id 1 appears more than once"):
        find_duplicates(table(rec(T), rec(T), ids=[1, 1]))
    with pytest.raises(InputError, match="none of the columns title, doi or pmid"):
        find_duplicates(pd.DataFrame({"name": ["x"]}))
    with pytest.raises(ScreenerError, match="between 50 and 100"):
        find_duplicates(table(rec(T)), fuzzy_threshold=0.93)
    with pytest.raises(ScreenerError, match="year_tolerance"):
        find_duplicates(table(rec(T)), year_tolerance=5)


# ----------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "a,b,same",
    [
        (["Vanden Berghe, Wim"], ["Wim, Vanden Berghe"], True),
        (["Achterbergh RCA, van der Helm JJ, van den Brink W"], ["Achterbergh, Roel C A"], True),
        (["Teixeira da Silva Daniel"], ["Teixeira da Silva, D."], True),
        (["O'Cleirigh, Conall"], ["O’Cleirigh, C."], True),
        (["Nöstlinger, C."], ["Nostlinger, Christiana"], True),
        (["Wu E, El-Bassel N, Gilbert L"], ["Gilbert, L."], False),
        (["van der Helm, J"], ["van den Brink, W"], False),
    ],
)
def test_first_author_tokens(a, b, same):
    assert bool(first_author_tokens(a) & first_author_tokens(b)) is same


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("Am J Public Health", "American Journal of Public Health", True),
        ("Social science & medicine (1982)", "Social Science and Medicine", True),
        ("JANAC: Journal of the Association of Nurses in AIDS Care", "J Assoc Nurses AIDS Care", True),
        ("PloS one", "BMC public health", False),
        (None, "BMC public health", True),
    ],
)
def test_journals_compatible(a, b, same):
    assert journals_compatible(a, b) is same


# ----------------------------------------------------------------------------- split_group


def _three_group():
    df = table(
        rec(T, doi="10.1000/x"),
        rec(T, doi="10.1000/x", abstract=ABSTRACT, source_db="scopus"),
        rec(T, source_db="psycinfo", journal="AIDS Care", keywords=["hiv"]),
        rec("Unrelated record about chemsex in Singapore and its challenges"),
    )
    return df, find_duplicates(df)


def test_split_non_primary_keeps_primary():
    df, out = _three_group()
    assert groups(out) == {1: 1, 2: 1, 3: 1, 4: 4}
    after = split_group(out, [3])
    assert groups(after) == {1: 1, 2: 1, 3: 3, 4: 4}
    assert after.set_index("record_id")["is_primary"].to_dict() == {1: False, 2: True, 3: True, 4: True}
    assert row(after, 3)["reason"] == "taken out of the group of record 1 by the reviewer"
    assert row(out, 3)["group_id"] == 1  # the input is not changed


def test_split_of_an_unknown_record_names_it_in_the_singular():
    """It read 'record(s) 99 are not in the de-duplication results'."""
    _, out = _three_group()
    with pytest.raises(ScreenerError, match=r"^record 99 is not in the de-duplication results; check the record id "):
        split_group(out, [99])
    with pytest.raises(ScreenerError, match=r"^records 98, 99 are not in the de-duplication results; check the record"):
        split_group(out, [98, 99])


def test_split_primary_recomputes_primary_from_records():
    df, out = _three_group()
    after = split_group(out, [2], records=df)
    assert groups(after) == {1: 1, 2: 2, 3: 1, 4: 4}
    prim = after.set_index("record_id")["is_primary"].to_dict()
    assert prim[2] is True and prim[1] is True and prim[3] is False  # record 1 has a DOI
    assert row(after, 1)["reason"].startswith("primary of 2 records")
    # without the records the lowest remaining id becomes primary
    assert split_group(out, [2]).set_index("record_id")["is_primary"].to_dict()[1] is True


def test_split_lowest_id_renumbers_the_rest_and_last_member_becomes_singleton():
    df, out = _three_group()
    after = split_group(out, [1, 3])
    assert groups(after) == {1: 1, 2: 2, 3: 3, 4: 4}
    assert after["is_primary"].all()
    assert row(after, 2)["reason"] == ""
    both = split_group(out, [1, 2, 3])  # the whole group: every member was taken out
    assert both["reason"].tolist()[:3] == ["taken out of the group of record 1 by the reviewer"] * 3
    with pytest.raises(ScreenerError, match="record 99 is not in"):
        split_group(out, [99])


def test_split_leaves_no_reason_that_counts_or_names_a_record_taken_out():
    """Record 1 taken out of the group of three: record 2 stayed 'primary of 3 records' and
    record 3 'same title ... as record 1', a link to the record no longer in the group; record 1
    was 'taken out of the group of record 1'."""
    df, out = _three_group()
    assert row(out, 3)["reason"].endswith("as record 1") and row(out, 2)["reason"].startswith("primary of 3")
    after = split_group(out, [1], records=df)
    assert groups(after) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert row(after, 2)["reason"].startswith("primary of 2 records")
    assert "record 1" not in row(after, 3)["reason"].replace("with record 1, which the reviewer took out", "")
    assert row(after, 1)["reason"] == "taken out of the group of record 2 by the reviewer"


# ----------------------------------------------------------------------------- PRISMA and report


def test_prisma_counts():
    df, out = _three_group()
    counts = prisma_counts(df, out)
    assert counts == {
        "identified_per_source": {"medline": 2, "psycinfo": 1, "scopus": 1},
        "identified": 4,
        "duplicates_removed": 2,
        "after_deduplication": 2,
    }
    with pytest.raises(ScreenerError, match="do not cover the same records"):
        prisma_counts(df.iloc[:3], out)


def test_dedup_report_lists_groups_with_sources_and_reasons():
    df, out = _three_group()
    rep = dedup_report(df, out)
    assert rep["record_id"].tolist() == [2, 1, 3]  # primary first
    assert set(rep["source_db"]) == {"medline", "scopus", "psycinfo"}
    assert rep["reason"].str.len().gt(0).all()
    assert len(dedup_report(df, out, only_duplicates=False)) == 4
    text = format_dedup_report(rep)
    assert text.splitlines()[0] == "1 group of duplicate records (3 records)."
    assert " * record 2 [scopus, 2019]" in text
    assert "same DOI 10.1000/x as record 2" in text
    assert format_dedup_report(rep.iloc[0:0]) == "No duplicate records found."


def test_dedup_report_of_records_without_a_year_says_what_the_star_means():
    """A CSV export without a year column printed each record as '[search, ] Title' (a dangling comma
    where the year was), and nothing said what the '*' and 'primary of 2 records' meant; a record with
    no year now reads '[search]', and the report says the starred record is the one screened."""
    df, out = _three_group()
    rep = dedup_report(df, out)
    rep["year"] = pd.array([None] * len(rep), dtype="Int64")
    text = format_dedup_report(rep)
    assert " * record 2 [scopus] " in text and ", ]" not in text, text
    assert "The record marked * is the one screened (the primary record)" in text, text


# ----------------------------------------------------------------------------- the MSM fixture


def _bench():
    return load_script(REPO / "benchmarks" / "bench_dedup.py", "bench_dedup")


# Measured (benchmarks/bench_dedup.py): precision 1.000, recall 1.000 over 659 gold pairs, 254 groups.
MSM_MIN_PRECISION = 0.98
MSM_MIN_RECALL = 0.98


def test_msm_fixture_against_gold(shared_dir):
    bench = _bench()
    df, _ = bench.read_msm(shared_dir, "rispy")
    s, out, _ = bench.evaluate_msm(shared_dir, df=df)
    assert s["gold_pairs"] == 659
    assert s["precision"] >= MSM_MIN_PRECISION
    assert s["recall"] >= MSM_MIN_RECALL
    assert abs(s["groups"] - s["gold_groups"]) <= 5
    counts = prisma_counts(df, out.reset_index())
    assert counts["identified"] == 642
    assert counts["identified_per_source"] == {"cochrane": 15, "handsearch": 1, "medline": 190, "proquest": 66,
                                               "psycinfo": 157, "scopus": 213}
    assert counts["after_deduplication"] == s["groups"]


@pytest.mark.slow
def test_msm_fixture_with_screeners_reader(shared_dir):
    bench = _bench()
    try:
        df, used = bench.read_msm(shared_dir, "screener")
    except ImportError:
        pytest.skip("screener.io.read_records is not there yet")
    s, _, _ = bench.evaluate_msm(shared_dir, df=df)
    assert s["precision"] >= MSM_MIN_PRECISION
    assert s["recall"] >= MSM_MIN_RECALL


def test_doi_match_leaves_a_links_tracking_query_out():
    """ScienceDirect's links carry '?via=ihub' (or '?via%3Dihub'), Wiley's '?af=R': read as part of
    the DOI, the same article from two databases was not joined, and a final include given by its
    link was not found among the candidates."""
    from screener.records import normalise_doi

    doi = "10.1016/j.drugpo.2020.102745"
    for link in ("https://doi.org/10.1016/j.drugpo.2020.102745?via=ihub", doi + "?via%3Dihub",
                 "http://dx.doi.org/10.1016/J.DRUGPO.2020.102745#abstract", doi + "?utm_source=x&utm_medium=y"):
        assert normalise_doi(link) == doi, link
    assert normalise_doi("10.1000/abc%3Fdef") == "10.1000/abc?def"  # a "?" of the DOI itself, encoded
    out = find_duplicates(table(
        rec("Peer workers in harm reduction services", doi=doi, year=2020),
        rec("Peer work in harm reduction services: a qualitative study", doi=doi + "?via=ihub", year=2020,
            source_db="scopus"),
    ))
    assert groups(out) == {1: 1, 2: 1}


def test_sici_dois_in_links_are_read_whole_so_one_issue_s_articles_stay_apart(tmp_path):
    """A doi.org link to a SICI DOI encodes its '<...>' as %3C...%3E; read from the link, the DOI was cut
    at '<' to '10.1002/1097-4679(199407)50:4', the journal issue's prefix, which every article of that
    issue shared: two different papers of one issue, from two databases, were one DOI apart from a merge.
    A publisher link's view ('.../full', '.../abstract') is no part of the DOI either."""
    from screener.io.reader import read_records

    def ris(name, title, author, doi_link):
        f = tmp_path / name
        f.write_text(f"TY  - JOUR\nTI  - {title}\nAU  - {author}\nPY  - 1994\nJO  - Journal of Clinical Psychology\n"
                     f"UR  - {doi_link}\nER  - \n", encoding="utf-8")
        return read_records(f).records[0]

    a = ris("psycinfo.ris", "Cluster analysis of MCMI and MCMI-II on chronic PTSD victims", "Hyer, Lee",
            "https://doi.org/10.1002/1097-4679%28199407%2950%3A4%3C502%3A%3AAID-JCLP2270500404%3E3.0.CO%3B2-J")
    b = ris("medline.ris", "Memory complaints in older adults with depression", "Niederehe, George",
            "https://onlinelibrary.wiley.com/doi/abs/10.1002/1097-4679(199407)50:4<533::AID-JCLP2270500407>3.0.CO;2-Q")
    assert a["doi"] == "10.1002/1097-4679(199407)50:4<502::aid-jclp2270500404>3.0.co;2-j"
    assert b["doi"] == "10.1002/1097-4679(199407)50:4<533::aid-jclp2270500407>3.0.co;2-q"
    c = ris("scopus.ris", "Memory complaints in older adults with depression", "Niederehe, George",
            "https://onlinelibrary.wiley.com/doi/10.1002/1097-4679(199407)50:4<533::AID-JCLP2270500407>3.0.CO;2-Q/full")
    assert c["doi"] == b["doi"]
    out = find_duplicates(table(
        rec(a["title"], doi=a["doi"], year=1994, source_db="psycinfo", authors=("Hyer, Lee",)),
        rec(b["title"], doi=b["doi"], year=1994, source_db="medline", authors=("Niederehe, George",)),
        rec(c["title"], doi=c["doi"], year=1994, source_db="scopus", authors=("Niederehe, George",)),
    ))
    assert groups(out) == {1: 1, 2: 2, 3: 2}


def test_cochrane_central_entry_doi_does_not_keep_a_trial_from_its_medline_copy():
    # "10.1002/central/CN-..." names the Cochrane CENTRAL entry (from its page's link), not the article:
    # stored by an earlier import, it must not read as a DOI that differs from the article's
    out = find_duplicates(table(
        rec(T, doi="10.1002/central/CN-01234567", source_db="CENTRAL"),
        rec(T, doi="10.1186/s13063-019-1234-5"),
    ))
    assert groups(out) == {1: 1, 2: 1}


def test_a_french_title_with_and_without_its_elided_article_is_one_study():
    """One database writes a French title with its elided article ("L'autisme ...", "L’éducation
    ..."), another files it under its first word ("Autisme ..."). On a short title the copies were
    never merged, though the year and first author are the same; a longer one only by similarity.
    Other letters before an apostrophe or a hyphen are the title's ("L-arginine" is not "Arginine")."""
    out = find_duplicates(table(
        rec("L'autisme", authors=("Roy, Anne",), journal="Soins"),
        rec("Autisme", authors=("Roy A",), journal="Soins", source_db="francis"),
        rec("L’éducation thérapeutique", authors=("Martin, Paul",), journal="Soins"),
        rec("[Education thérapeutique]", authors=("Martin P",), journal="Soins", source_db="francis"),
        rec("L-arginine in sepsis", authors=("Roy, Anne",)),
        rec("Arginine in sepsis", authors=("Roy, Anne",), source_db="francis"),
    ))
    assert groups(out) == {1: 1, 2: 1, 3: 3, 4: 3, 5: 5, 6: 6}
    assert row(out, 2)["reason"] == "same title, year (2019) and first author as record 1"


def test_an_abstract_on_a_roman_numbered_supplement_page_is_one_with_its_copy_that_drops_the_prefix():
    """Annals of Oncology prints a meeting's abstracts in supplement 8 as pages "viii108"; Embase gives
    "viii108", another database "108" and the next year (print and online dates), with the title cut at
    200 characters in other places. The first page was read as "viii" and the copies were kept apart."""
    head = ("The effect of all-trans retinoic acid with chemotherapy based on paclitaxel and cisplatin as first "
            "line treatment of patients with stage IIIb with pleural effusion and stage IV ")
    out = find_duplicates(table(
        rec(head + "non-small cell lung can", year=2009, authors=("Arrieta, O.", "Ceron, T."),
            journal="Annals of Oncology", volume="19", pages="108"),
        rec(head + "non-small celllung canc", year=2008, authors=("Arrieta, O.", "Ceron, T."),
            journal="Annals of Oncology", volume="19", pages="viii108", source_db="embase"),
        rec("Pemetrexed maintenance after cisplatin in non-small cell lung cancer: a phase II study", year=2008,
            authors=("Arrieta, O.",), journal="Annals of Oncology", volume="19", pages="vii108"),
    ))
    assert groups(out) == {1: 1, 2: 1, 3: 3}


@pytest.mark.parametrize("scopus, medline", [
    # MEDLINE writes a subscript or superscript in parentheses; Scopus drops its tags ("HbA<inf>1c</inf>")
    ("HbA1c variability and cardiovascular outcomes in adults with type 2 diabetes: a cohort study",
     "HbA(1c) variability and cardiovascular outcomes in adults with type 2 diabetes: a cohort study"),
    ("PM2.5 exposure and childhood asthma incidence: a birth cohort study",
     "PM(2.5) exposure and childhood asthma incidence: a birth cohort study"),
    ("[18F]FDG PET/CT for staging of Hodgkin lymphoma in children: a multicentre study",
     "(18)F-FDG PET/CT for staging of Hodgkin lymphoma in children: a multicentre study"),
])
def test_a_code_whose_digits_one_database_sets_apart_is_one_study(scopus, medline):
    """MEDLINE's "HbA(1c)" and Scopus's "HbA1c" at the head of one title, the record from each database without a
    DOI: the titles compare as "hba1c ..." and "hba 1c ...", whose numbers were read as different ("1" a number
    on its own in one title only), so the two copies were two records, not even listed for a person to check.
    The same letters and digits, spaced otherwise, are one title."""
    out = find_duplicates(table(rec(scopus, source_db="scopus", year=2021, authors=("Rossi, Marco",)),
                                rec(medline, source_db="medline", year=2021, authors=("Rossi, M",))))
    assert out["group_id"].tolist() == [1, 1]
    # other numbers still tell two studies apart: the same characters, not only the same numbers, are one title
    out = find_duplicates(table(rec(scopus + " in 2019", source_db="scopus", year=2021),
                                rec(medline + " in 2020", year=2021)))
    assert out["group_id"].tolist() == [1, 2]


@pytest.mark.parametrize("mark", ["…", "...", " …"])
def test_a_title_cut_short_is_not_the_groups_primary_over_its_whole_title(mark):
    """Publish or Perish (Google Scholar) cuts long titles and marks the cut ('... men who have sex with men in the
    …'), and gives a snippet as the abstract: its record, the most complete by fields, became the group's primary,
    so the reviewer screened the cut title while the database's whole title stood beside it. A record whose title
    is cut is primary only where every copy's is."""
    doi = "10.1007/s10461-020-02800-1"
    whole = rec(T + ": a national survey", doi=doi, source_db="Embase")
    cut = rec(T.rsplit(" ", 2)[0] + mark, doi=doi, abstract="… syndemic conditions among men who have sex …",
              volume="24", issue="5", pages="1234-1240", source_db="Google Scholar")
    out = find_duplicates(table(cut, whole))
    assert groups(out) == {1: 1, 2: 1}
    assert out.set_index("record_id")["is_primary"].to_dict() == {1: False, 2: True}
    both_cut = find_duplicates(table(cut, {**whole, "title": T.rsplit(" ", 1)[0] + mark}))
    assert both_cut.set_index("record_id")["is_primary"].to_dict() == {1: True, 2: False}  # the most complete


def test_dedup_report_numbers_each_group_as_its_csv_the_records_list_and_exports_do():
    """The listing numbered its groups 1, 2 ... while the CSV that 'dedup --report -o' wrote beside it, the web
    app's records list and an export's duplicate_group gave the same groups their own numbers (the MSM search's
    'Group 1' was group 2 everywhere else). The listing now heads each group with that number, and says the
    numbers skip (so no group reads as missing)."""
    df, out = _three_group()
    rep = dedup_report(df, out)
    later = rep.assign(group_id=rep["group_id"] + 10, record_id=rep["record_id"] + 10)
    both = pd.concat([rep.assign(group_id=rep["group_id"] + 1), later], ignore_index=True)
    text = format_dedup_report(both)
    heads = [line for line in text.splitlines() if line.startswith("Group ")]
    assert heads == [f"Group {g} (3 records)" for g in sorted(both["group_id"].unique())] == \
        ["Group 2 (3 records)", "Group 11 (3 records)"], text
    said = " ".join(text.split())
    assert ("Each group is numbered as in the CSV of this report (group_id), the web app's records list and an "
            "export (duplicate_group), so the numbers skip.") in said, text
    assert " * record 2 [scopus, 2019]" in text and " * record 12 [scopus, 2019]" in text, text


def test_dedup_report_of_groups_numbered_without_gaps_does_not_say_the_numbers_skip():
    """One group, 'Group 1': the listing still said the numbers skip, where none did."""
    df, out = _three_group()
    said = " ".join(format_dedup_report(dedup_report(df, out)).split())
    assert "Group 1 (3 records)" in said, said
    assert "skip" not in said, said
    assert ("Each group is numbered as in the CSV of this report (group_id), the web app's records list and an "
            "export (duplicate_group).") in said, said


def test_pairs_listed_for_review_are_one_per_two_studies_shown_by_their_closest_copies():
    """Records 1 and 4 are one study, 2 and 3 another: three of their copy pairs listed are one pair of studies,
    shown by the two copies whose titles are closest (1 and 3), with each study's copies; a "different studies" on
    two other copies (as stored when each copy pair was decided) takes the studies off the list."""
    from screener.dedup import study_pairs

    pairs = pd.DataFrame({"record_id": [1, 1, 2, 5], "other_id": [2, 3, 4, 6],
                          "reason": ["first", "closest", "third", "other studies"]})
    groups = pd.DataFrame({"record_id": [1, 2, 3, 4, 5, 6], "group_id": [1, 2, 2, 1, 5, 6],
                           "is_primary": [True, True, False, False, True, True], "reason": [""] * 6})
    titles = {1: "Colchicine after cardiac surgery", 2: "Colchicine before cardiac surgery in adults",
              3: "Colchicine after cardiac surgery: a trial", 4: "COLCHICINE AFTER CARDIAC SURGERY",
              5: "Aspirin in stroke", 6: "Heparin in stroke"}
    out = study_pairs(pairs, groups, titles=titles)
    assert list(zip(out["record_id"], out["other_id"], out["reason"])) == [(1, 3, "closest"), (5, 6, "other studies")]
    assert list(zip(out["copies"], out["other_copies"], out["copy_ids"], out["other_copy_ids"])) == \
        [(2, 2, "1, 4", "2, 3"), (1, 1, "5", "6")]
    assert list(study_pairs(pairs, groups)["reason"]) == ["first", "other studies"]  # no titles: the lowest ids
    decided = study_pairs(pairs, groups, kept_apart=[(3, 4)], titles=titles)
    assert list(zip(decided["record_id"], decided["other_id"])) == [(5, 6)]


def test_a_medline_copy_with_only_its_other_title_is_not_primary_over_the_copy_with_the_abstract():
    """MEDLINE gives a French paper's own title (TT), which import puts at the head of the abstract ("Other title:
    ..."): a copy with that line alone, no abstract, was the group's primary "(has abstract ...)" over the Embase
    copy with the English abstract, so the reviewer screened a record without its abstract. Only the abstract
    itself counts."""
    other = "Other title: Effet de la mobilisation précoce après chirurgie de fracture de hanche."
    medline = rec("Effect of early mobilisation after hip fracture surgery", abstract=other, year=2015,
                  source_db="MEDLINE", pmid="31000000")
    embase = rec("Effect of early mobilisation after hip fracture surgery", year=2015, source_db="Embase",
                 abstract="We studied 100 patients over six months; mortality at one year fell by a tenth.")
    out = find_duplicates(table(medline, embase))
    assert groups(out) == {1: 1, 2: 1}
    assert out.set_index("record_id")["is_primary"].to_dict() == {1: False, 2: True}
    assert "has abstract" not in out.set_index("record_id")["reason"][1]
    # the abstract under the other title still counts, as the copy's own
    out = find_duplicates(table({**medline, "abstract": other + "\nWe studied 100 patients over six months."}, embase))
    assert out.set_index("record_id")["is_primary"].to_dict() == {1: True, 2: False}
