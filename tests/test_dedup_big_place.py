"""A meeting's supplement exported with one volume and first page for every abstract puts hundreds of records at one
place. The same-place stage used to skip a place of more than 200 records, so a copy there that only the place joins
(a reworded or translated title) stayed a second record; it now compares such a place's records in blocks of one first
author or shared title words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz

from screener import dedup
from screener.dedup import find_duplicates_with_review

WORDS = ("tumour response survival phase trial cohort mutation therapy outcomes biomarker resistance adjuvant "
         "metastatic breast lung colorectal toxicity imaging screening dose radiotherapy immunotherapy quality").split()
COPY = "Outcomes of adjuvant chemotherapy in elderly patients with resected gastric cancer: a multicentre cohort"
REWORDED = "Adjuvant chemotherapy in elderly patients with resected gastric cancer: outcomes of a multicentre cohort"
OTHER_CANCER = COPY.replace("gastric", "pancreatic")


def _name(rng) -> str:
    return "".join(rng.choice(list("bcdfghklmnprstvz")) + rng.choice(list("aeiou")) for _ in range(4)).capitalize()


def supplement(size: int, seed: int = 3) -> pd.DataFrame:
    """``size`` abstracts at volume 20, page S45: one copy exported twice (the second title reworded), the same author's
    abstract on another cancer, another author's abstract of the copy's title, and others by other authors."""
    rng = np.random.default_rng(seed)
    place = {"year": 2019, "journal": "Annals of Oncology Meeting Abstracts", "volume": "20", "pages": "S45",
             "abstract": None, "doi": None}
    rows = [dict(place, title=COPY, authors=["Okonkwo, Chidi"], source_db="embase"),
            dict(place, title=REWORDED, authors=["Okonkwo C"], source_db="wos"),
            dict(place, title=OTHER_CANCER, authors=["Okonkwo, Chidi"], source_db="embase"),
            dict(place, title=COPY.replace("multicentre", "single centre"), authors=["Lindqvist, Berit"],
                 source_db="embase")]
    while len(rows) < size:
        title = " ".join(rng.choice(WORDS, size=int(rng.integers(6, 11)))).capitalize()
        rows.append(dict(place, title=title, authors=[f"{_name(rng)}, {rng.choice(list('ABCDE'))}."],
                         source_db="embase"))
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="record_id"))


@pytest.mark.parametrize("size", [50, 250])
def test_copy_with_a_reworded_title_joins_at_a_place_of_any_size(size):
    groups, review = find_duplicates_with_review(supplement(size))
    group = groups.set_index("record_id")["group_id"]
    assert group[1] == group[2], "the copy's two records are one paper"
    reason = groups.set_index("record_id")["reason"][2]
    assert "same volume (20) and first page (45)" in reason and "same first author" in reason
    assert group[3] != group[1] and group[4] != group[1], "the author's other abstract and another author's stay apart"
    assert len(set(group)) == size - 1
    listed = {tuple(sorted(p)): why for p, why in zip(zip(review["record_id"], review["other_id"]),
                                                      review["reason"])}
    assert listed[(1, 3)].startswith("same volume (20), first page (45) and first author, but")


def test_big_place_joins_and_lists_as_every_pair_compared(monkeypatch):
    """Blocks leave out only pairs that can neither join nor be listed (records of other first authors whose titles
    share no uncommon word), and pairs whose titles share too few words to be joined at any place, which a place of one
    journal's page lists (one author's two items there) but a meeting's supplement holds by the dozen."""
    records = supplement(400, seed=11)
    extra = records.iloc[4:40].copy()  # second exports: lower case, without volume (met by year), a cut title
    extra["title"] = [t.lower() if k % 3 == 0 else t.rsplit(" ", 1)[0] for k, t in enumerate(extra["title"])]
    extra.loc[extra.index[1::3], "volume"] = None
    extra["source_db"] = "scopus"
    unrelated = records.iloc[40:42].assign(title="Quality of life in survivors", authors=[["Okonkwo, C."]] * 2)
    unrelated.iloc[1, unrelated.columns.get_loc("title")] = "Proton beam radiotherapy dosimetry"
    records = pd.concat([records, extra, unrelated], ignore_index=True)
    records.index = pd.RangeIndex(1, len(records) + 1, name="record_id")
    groups, review = find_duplicates_with_review(records)
    with monkeypatch.context() as m:
        m.setattr(dedup, "_PLACE_BLOCK_MAX", 10 ** 6)  # one block: every pair compared
        want_groups, want_review = find_duplicates_with_review(records)
    pd.testing.assert_frame_equal(groups, want_groups)
    assert (groups["record_id"] != groups["group_id"]).sum() >= 36
    title = dict(zip(records.index, records["title"].map(dedup.title_key)))
    alike = [fuzz.token_set_ratio(*dedup._one_script(title[a], title[b])) >= dedup.PLACE_TITLE_MIN  # one page each
             for a, b in zip(want_review["record_id"], want_review["other_id"])]
    pd.testing.assert_frame_equal(review, want_review[alike].reset_index(drop=True))
    assert not all(alike), "one author's abstracts with unrelated titles are listed at a small place only"


@pytest.mark.parametrize("authors", [None, ["Wang, L."]])
def test_cut_title_joins_at_a_big_place_without_a_first_author_to_block_by(authors):
    """A copy whose title lost its subtitle, one record without author (or by a name most abstracts there share), meets
    its other record by the shorter title's rarest words, which the longer title holds among commoner ones."""
    records = supplement(250)
    if authors:
        records["authors"] = [["Wang, X."]] * len(records)
    cut = "Long-term outcomes of stereotactic body radiotherapy for oligometastatic renal cell carcinoma"
    place = records.iloc[0].to_dict()
    copies = pd.DataFrame([dict(place, title=cut + ": results from a prospective multicentre registry",
                                authors=["Wang, Li"] if authors else ["Haverkamp, Ingrid"]),
                           dict(place, title=cut, authors=authors, source_db="wos")])
    records = pd.concat([records, copies], ignore_index=True)
    records.index = pd.RangeIndex(1, len(records) + 1, name="record_id")
    groups, _ = find_duplicates_with_review(records)
    group = groups.set_index("record_id")["group_id"]
    assert group[251] == group[252], "a cut title's copy at a meeting's supplement is one paper"
    assert "same volume (20) and first page (45)" in groups.set_index("record_id")["reason"][252]
