"""A meeting's supplement exported with its volume and first page for every abstract puts hundreds of records at one
place: the same-place stage skips the pairs that quick checks prove apart, which must not change who joins whom, nor
which pairs are listed or why."""

from __future__ import annotations

import numpy as np
import pandas as pd

from screener import dedup
from screener.dedup import find_duplicates_with_review

WORDS = ("tumour response survival phase trial cohort mutation patients therapy outcomes biomarker resistance "
         "first line second adjuvant metastatic breast lung colorectal cancer real world toxicity").split()
NAMES = [f"{a}{b}{c}".capitalize() for a in ("ba", "ko", "mi", "ru") for b in ("len", "dar", "vos") for c in "aeio"]


def search(seed: int = 7) -> pd.DataFrame:
    """Three supplements of 60 to 140 abstracts at one volume and first page each (authors with several abstracts,
    titles a word apart, copies in lower case or without volume, a letter about one), and papers at other places."""
    rng = np.random.default_rng(seed)
    rows = []
    for s, size in enumerate((60, 100, 140)):
        volume, year = str(20 + s), 2015 + s
        for a in range(size):
            title = " ".join(rng.choice(WORDS, size=int(rng.integers(5, 9)))).capitalize()
            if a and rng.random() < 0.15:
                words = rows[-1]["title"].split()  # the previous abstract's title with a word in place of another
                words[int(rng.integers(len(words)))] = str(rng.choice(WORDS))
                title = " ".join(words)
            r = {"title": title, "authors": [f"{rng.choice(NAMES)}, {rng.choice(list('ABCJ'))}."], "year": year,
                 "journal": f"Annals of Meetings {s}", "volume": volume, "pages": "A1" if s != 1 else "S12",
                 "abstract": None, "doi": None, "source_db": "embase"}
            rows.append(r)
            roll = rng.random()
            if roll < 0.2:
                rows.append(dict(r, title=r["title"].lower() + ".", source_db="wos"))
            elif roll < 0.25:
                rows.append(dict(r, title=r["title"].rsplit(" ", 1)[0], volume=None, source_db="scopus"))  # a cut title
            elif roll < 0.27:
                rows.append(dict(r, title="Re: " + r["title"], source_db="scopus"))
    for k in range(300):
        title = " ".join(rng.choice(WORDS, size=int(rng.integers(6, 10)))).capitalize() + f" {k}"
        sp = int(rng.integers(1, 60))
        rows.append({"title": title, "authors": [f"{rng.choice(NAMES)}, D."], "year": int(rng.integers(2015, 2018)),
                     "journal": "Other Journal", "volume": str(int(rng.integers(20, 23))), "pages": f"{sp}-{sp + 7}",
                     "abstract": None, "doi": None, "source_db": "embase"})
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="record_id"))


def test_supplement_at_one_place_groups_and_lists_as_compared_pair_by_pair(monkeypatch):
    records = search()
    groups, review = find_duplicates_with_review(records)
    with monkeypatch.context() as m:  # every pair at every place through every check, as before
        m.setattr(dedup, "_apart_for_certain", lambda prep, i, j: False)
        m.setattr(dedup, "_partners_at_place",
                  lambda prep, members, by_year: ((i, members[a + 1:]) for a, i in enumerate(members)))
        want_groups, want_review = find_duplicates_with_review(records)
    pd.testing.assert_frame_equal(groups, want_groups)
    pd.testing.assert_frame_equal(review, want_review)
    reasons = " | ".join(want_groups["reason"].dropna()) + " | " + " | ".join(want_review["reason"])
    for joined_or_listed in ("same year and first page (12) as record", "same year (2016) and first page (12), but",
                             "same volume (21), first page (12) and first author, but",
                             "same volume (21), first page (12) and title, but different first authors"):
        assert joined_or_listed in reasons
    assert len(records) > 500
