"""The listing of title-only records one word apart (``_list_title_only_alike``) at scale: it keeps its keys as
hashes, not strings (gigabytes at 500,000 records; benchmarks/bench_dedup_scale.py measures its memory), and must
list the same pairs, for the same words, as the plain string keys did, whatever hashes collide."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from screener import dedup
from screener.dedup import _MIN_FUZZY_WORDS, _title_only, find_duplicates_with_review

WORDS = ("effects of exercise yoga on depression anxiety in older younger adults children a randomized controlled "
         "trial pilot study cohort among women men with diabetes asthma stroke heart failure after surgery care home "
         "community hospital primary mental health quality life sleep pain fatigue outcomes risk 2017 2018 editorial "
         "review systematic meta analysis").split()


def _reference(prep, groups) -> None:
    """The listing as first written, with every key a string (commit 099a3b7c): what the hashed keys must match."""
    only = [i for i in range(len(prep.ids)) if _title_only(prep, i)]
    if not only:
        return
    keys: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    lengths: dict[str, set[int]] = {"s": set(), "d": set(), "i": set()}
    for k in sorted({prep.title_index[i] for i in only}):
        words = prep.unique_titles[k].split()
        if prep.title_generic[k] or len(words) < _MIN_FUZZY_WORDS:
            continue
        n = len(words)
        lengths["s"].add(n)
        lengths["d"].add(n - 1)
        lengths["i"].add(n + 1)
        keys[("i", " ".join(words))].append((k, ""))
        for p in range(n):
            keys[("s", " ".join(words[:p] + ["\0"] + words[p + 1:]))].append((k, words[p]))
            keys[("d", " ".join(words[:p] + words[p + 1:]))].append((k, words[p]))

    def listed(k: int, l: int, wk: str, wl: str) -> None:
        if prep.title_numbers[k] != prep.title_numbers[l]:
            return
        for i in prep.title_members[k]:
            if not _title_only(prep, i):
                continue
            for j in prep.title_members[l]:
                a, b = (i, j) if i < j else (j, i)
                if groups.find(a) == groups.find(b) or (a, b) in groups.review or prep.abstracts_differ(a, b):
                    continue
                wa, wb = (wk, wl) if a == i else (wl, wk)
                what = f"'{wa}' / '{wb}'" if wa and wb else f"'{wa or wb}' in one title only"
                groups.flag(a, b, f"titles one word apart ({what}), and record {prep.ids[i]} has only its title to "
                                  "compare (no authors, year, DOI or pages): one paper, or two?")

    for l, t in enumerate(prep.unique_titles):
        words = t.split()
        n = len(words)
        if prep.title_generic[l] or n < _MIN_FUZZY_WORDS - 1:
            continue
        if n in lengths["d"]:
            for k, w in keys.get(("d", t), ()):
                listed(k, l, w, "")
        if n in lengths["s"]:
            for p in range(n):
                for k, w in keys.get(("s", " ".join(words[:p] + ["\0"] + words[p + 1:])), ()):
                    if k != l:
                        listed(k, l, w, words[p])
        if n in lengths["i"]:
            for p in range(n):
                for k, _ in keys.get(("i", " ".join(words[:p] + words[p + 1:])), ()):
                    listed(k, l, "", words[p])


def search(n: int, seed: int = 3) -> pd.DataFrame:
    """n records of a small vocabulary, most with nothing but a title (some an abstract), the rest with authors,
    year and pages; copies, and titles with a word put in place of another, added or left out, of short and
    generic titles too: many pairs one word apart, some several times over, some in one group already."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        if rows and rng.random() < 0.45:  # a title one word from an earlier one's, or the same title
            words = str(rows[int(rng.integers(len(rows)))]["title"]).split()
            p, roll = int(rng.integers(len(words))), rng.random()
            if roll < 0.3:
                words[p] = str(rng.choice(WORDS))
            elif roll < 0.55:
                words.insert(p, str(rng.choice(WORDS)))
            elif roll < 0.8 and len(words) > 1:
                del words[p]
            title = " ".join(words)
        else:
            title = " ".join(rng.choice(WORDS, size=int(rng.integers(1, 9))))
        row = {"title": title.capitalize() if rng.random() < 0.5 else title, "abstract": None, "source_db": "db"}
        if rng.random() < 0.15:
            row["abstract"] = " ".join(rng.choice(WORDS, size=40))
        if rng.random() < 0.2:
            row.update(authors=[f"Author{k % 7}, A."], year=2000 + k % 5, pages=f"{k % 9}-{k % 9 + 4}")
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(range(1, n + 1), name="record_id"))


def _both(records: pd.DataFrame, monkeypatch) -> tuple:
    found = find_duplicates_with_review(records)
    with monkeypatch.context() as m:
        m.setattr(dedup, "_list_title_only_alike", _reference)
        expected = find_duplicates_with_review(records)
    return found, expected


def test_hashed_keys_list_the_same_pairs_for_the_same_words_as_string_keys(monkeypatch):
    (groups, listed), (groups_then, listed_then) = _both(search(3000), monkeypatch)
    pd.testing.assert_frame_equal(groups, groups_then)
    pd.testing.assert_frame_equal(listed, listed_then)
    one_word = listed["reason"].str.startswith("titles one word apart")
    assert one_word.sum() > 300 and listed["reason"].str.contains("in one title only").sum() > 50


@pytest.mark.parametrize("batch", [1, 7, 100_000])
def test_colliding_hashes_list_no_pair_the_keys_do_not_make(monkeypatch, batch):
    """Every key hashed into three values: each hash found stands for many keys, only the key itself counts; the
    keys looked up a few at a time or all at once list the same."""
    monkeypatch.setattr(dedup, "_key_hash", lambda key: hash(key) % 97)
    monkeypatch.setattr(dedup, "_KEY_BATCH", batch)
    (groups, listed), (groups_then, listed_then) = _both(search(250, seed=5), monkeypatch)
    pd.testing.assert_frame_equal(groups, groups_then)
    pd.testing.assert_frame_equal(listed, listed_then)
    assert listed["reason"].str.startswith("titles one word apart").sum() > 20
