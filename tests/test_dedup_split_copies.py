"""De-duplication: copies of one record that databases write in two notations are joined, and the records those
notations could be mistaken for stay apart."""

from __future__ import annotations

import pandas as pd

from screener.dedup import find_duplicates


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
