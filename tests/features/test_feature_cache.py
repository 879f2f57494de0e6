"""The project's TF-IDF cache gives the matrix and vocabulary a fresh fit gives, and is updated,
not rebuilt, when records are added."""

import numpy as np
import pandas as pd

from screener.features.cache import CACHE_NAME, TfidfCache, cached_tfidf
from screener.features.tfidf import fit_tfidf

TEXTS = ["Peer workers in harm reduction services", "Mice and dosage in a randomised trial",
         "the peer support of people with lived experience", "", "Harm reduction: peer support, qualitative",
         "Blood pressure in a cohort", "Hospital costs and dosage"]


def _same(cached, texts):
    vec, X, names = cached
    v0, X0 = fit_tfidf(texts)
    assert list(names) == list(v0.get_feature_names_out())
    assert X.shape == X0.shape
    assert np.abs((X - X0).toarray()).max() < 1e-6
    # rows keep sorted column indices, as scipy expects of a canonical matrix
    for i in range(X.shape[0]):
        cols = X.indices[X.indptr[i]:X.indptr[i + 1]]
        assert (np.diff(cols) > 0).all()
    # the protocol row: new text in the same space
    q = "peer harm reduction zzz unseen"
    assert np.abs((vec.transform([q]) - v0.transform([q])).toarray()).max() < 1e-6


def test_cache_matches_a_fresh_fit_and_grows_with_new_records(tmp_path):
    texts = TEXTS * 4
    ids = np.arange(10, 10 + len(texts))
    _same(cached_tfidf(tmp_path, ids[:9], texts[:9]), texts[:9])
    assert (tmp_path / CACHE_NAME).exists()
    # records added: only they are counted; the vocabulary grows
    cache = TfidfCache(tmp_path)
    assert cache.load() and len(cache.record_ids) == 9
    assert cache.update(ids, texts) == len(texts) - 9
    _same(cached_tfidf(tmp_path, ids, texts), texts)
    _same(cached_tfidf(tmp_path, ids, texts), texts)  # read back, finished values
    # a subset (duplicates removed from the ranking): document frequencies of that subset only
    _same(cached_tfidf(tmp_path, ids[::3], texts[::3]), texts[::3])


def test_common_terms_are_cut_as_in_a_fresh_fit(tmp_path):
    texts = ["common " + t for t in TEXTS] * 5  # 'common' is in every record: above max_df
    ids = np.arange(len(texts))
    vec, X, names = cached_tfidf(tmp_path, ids, texts)
    assert "common" not in set(names)
    _same((vec, X, names), texts)
    _same(cached_tfidf(tmp_path, ids, texts), texts)


def test_cache_of_another_project_or_settings_is_rebuilt(tmp_path):
    cached_tfidf(tmp_path, np.arange(5), TEXTS[:5])
    other = ["Completely different words here", "and more of them", "tiny"]
    _same(cached_tfidf(tmp_path, np.array([100, 101, 102]), other), other)
    assert not TfidfCache(tmp_path, {"ngram_range": (1, 1)}).load()


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    (tmp_path / CACHE_NAME).write_bytes(b"not a cache")
    _same(cached_tfidf(tmp_path, np.arange(5), TEXTS[:5]), TEXTS[:5])


def test_screening_session_reads_features_from_the_project_cache(tmp_path, toy_review):
    from screener.project import Project
    from screener.screening import ScreeningSession

    csv = toy_review(tmp_path / "toy.csv")
    project = Project.init(tmp_path / "review")
    project.import_files([csv])
    s1 = ScreeningSession(project, embedding_model="none")
    r1 = s1.ranking(save=False)
    assert (project.dir / CACHE_NAME).exists()
    s2 = ScreeningSession(project, embedding_model="none")
    pd.testing.assert_frame_equal(r1, s2.ranking(save=False))
    # new records: counted into the cache and ranked
    more = tmp_path / "more.csv"
    pd.DataFrame({"title": ["Peer workers again", "Mice again"], "abstract": ["harm reduction", "dosage"]}).to_csv(
        more, index=False)
    project.import_files([more])
    s3 = ScreeningSession(project, embedding_model="none")
    r3 = s3.ranking(save=False)
    assert len(r3) == len(r1) + 2
    cache = TfidfCache(project.dir)
    assert cache.load() and set(project.records_frame().index) <= set(cache.record_ids)


def test_a_project_made_again_in_the_same_folder_is_not_ranked_on_the_old_records_words(tmp_path):
    """Deleting the project file and running 'init' again in the folder numbers the new records
    from 1 again: the old records' counts, kept under those numbers, ranked and explained them."""
    from screener.project import DB_NAME, Project
    from screener.screening import ScreeningSession

    def review(titles):
        csv = tmp_path / "export.csv"
        pd.DataFrame({"title": titles, "abstract": [""] * len(titles)}).to_csv(csv, index=False)
        project = Project.init(tmp_path / "review")
        project.import_files([csv])
        session = ScreeningSession(project, embedding_model="none")
        session.prepare()
        return project, session

    old, _ = review(["Peer workers in harm reduction", "Mice and dosage", "Hospital costs of peer support"])
    old.close()
    (tmp_path / "review" / DB_NAME).unlink()
    texts = ["Zebrafish fin regeneration", "Cardiac arrest survival", "Smoking cessation in pregnancy"]
    new, session = review(texts)
    _same((session.X.vectorizer, session.X.sparse, session.X.feature_names), texts)


def test_a_capped_vocabulary_matches_a_fresh_fit_and_the_stored_terms_are_bounded(tmp_path):
    from screener.features.cache import STORED_TERMS_FACTOR

    texts = [f"{t} unique{i} word{i}x" for i, t in enumerate(TEXTS * 6)]
    ids = np.arange(len(texts))
    opts = {"max_terms": 12}
    vec, X, names = cached_tfidf(tmp_path, ids, texts, opts)
    v0, X0 = fit_tfidf(texts, **opts)
    assert list(names) == list(v0.get_feature_names_out()) and X.shape == X0.shape == (len(texts), 12)
    assert np.abs((X - X0).toarray()).max() < 1e-6
    cache = TfidfCache(tmp_path, opts)
    assert cache.load() and len(cache.terms) <= STORED_TERMS_FACTOR * 12
    assert cache.counts.shape == (len(texts), len(cache.terms))
    # more records with new words: still bounded, every record kept
    more = [f"fresh words {i} unique{i + 100}" for i in range(30)]
    all_ids = np.arange(len(texts) + len(more))
    vec, X, names = cached_tfidf(tmp_path, all_ids, texts + more, opts)
    assert X.shape == (len(all_ids), 12)
    cache = TfidfCache(tmp_path, opts)
    assert cache.load() and len(cache.terms) <= STORED_TERMS_FACTOR * 12 and len(cache.record_ids) == len(all_ids)


def test_read_back_features_are_memory_mapped_and_their_terms_index_like_an_array(tmp_path):
    """A rerank maps the finished TF-IDF from disk (no copy of a gigabyte) and makes words of
    the terms it is asked for; one folder per selection, the older ones removed."""
    texts = TEXTS * 3
    ids = np.arange(1, len(texts) + 1)
    cached_tfidf(tmp_path, ids, texts)
    vec, X, names = cached_tfidf(tmp_path, ids, texts)
    assert isinstance(X.data, np.memmap) and isinstance(X.indices, np.memmap)
    want = fit_tfidf(texts)[0].get_feature_names_out()
    assert [names[i] for i in range(len(names))] == list(want) and names[-1] == want[-1]
    assert list(names[np.array([2, 0])]) == [want[2], want[0]]
    assert np.abs(X.toarray() - fit_tfidf(texts)[1].toarray()).max() < 1e-6
    root = tmp_path / CACHE_NAME.replace(".npz", "-selection")
    assert len(list(root.iterdir())) == 1
    cached_tfidf(tmp_path, ids[::2], texts[::2])  # another selection (duplicates regrouped)
    assert len(list(root.iterdir())) == 1


def test_records_counted_block_by_block_give_the_same_features(tmp_path, monkeypatch):
    """A first build of a big review counts its records a block at a time (bounded memory);
    while the vocabulary cap does not bind, the features are those of one pass."""
    import screener.features.cache as cache_mod

    texts = TEXTS * 5
    ids = np.arange(1, len(texts) + 1)
    monkeypatch.setattr(cache_mod, "COUNT_BLOCK", 4)
    _same(cached_tfidf(tmp_path, ids, texts, progress=True), texts)
    cache = TfidfCache(tmp_path)
    assert cache.load() and list(cache.record_ids) == list(ids)


def test_features_weighted_block_by_block_are_those_of_one_pass(tmp_path, monkeypatch):
    """The ranked records' TF-IDF is made a few rows at a time (bounded memory at 500,000
    records): the same values, bit for bit, for every selection and with a term cut."""
    import screener.features.cache as cache_mod

    texts = [f"{t} unique{i % 7} word{i % 5}x" for i, t in enumerate(TEXTS * 6)]
    ids = np.arange(1, len(texts) + 1)
    for opts in (None, {"max_terms": 12}):
        for sel in (slice(None), slice(None, None, 3), slice(None, None, -2)):
            one = tmp_path / f"one{opts is None}{sel.step}"
            blocks = tmp_path / f"blocks{opts is None}{sel.step}"
            monkeypatch.setattr(cache_mod, "SELECT_BLOCK", 10 ** 9)
            cached_tfidf(one, ids, texts, opts)  # every record counted ...
            _, X1, n1 = cached_tfidf(one, ids[sel], [texts[i] for i in range(len(texts))][sel], opts)
            monkeypatch.setattr(cache_mod, "SELECT_BLOCK", 4)
            cached_tfidf(blocks, ids, texts, opts)
            _, X4, n4 = cached_tfidf(blocks, ids[sel], [texts[i] for i in range(len(texts))][sel], opts)
            assert list(n1) == list(n4)
            for a in ("data", "indices", "indptr"):
                assert np.array_equal(np.asarray(getattr(X1, a)), np.asarray(getattr(X4, a)))
            v0, X0 = fit_tfidf(texts[sel], **(opts or {}))  # ... and as a fresh fit of the selection
            assert np.abs((X4 - X0).toarray()).max() < 1e-6


def test_a_save_interrupted_by_ctrl_c_leaves_no_partial_file_in_the_project(tmp_path, monkeypatch):
    """Ctrl-C while the first 'screener next' on a large review saved its word counts (seconds for
    hundreds of thousands of records) left features-tfidf.npz.<id>.partial.npz, as large as the
    cache, in the project folder, one more at each interruption, and the ranked records' selection
    left a .partial folder that nothing removed. Now nothing is left but the cache as it was."""
    import pytest

    from screener.features import cache as C

    texts = TEXTS * 4
    ids = np.arange(10, 10 + len(texts))
    cached_tfidf(tmp_path, ids[:9], texts[:9])
    before = (tmp_path / CACHE_NAME).read_bytes()
    real_savez, real_save = np.savez, np.save

    def savez_then_ctrl_c(file, **arrays):
        real_savez(file, **arrays)  # written in part, then the key
        raise KeyboardInterrupt

    def partial_files():
        return [p.name for p in tmp_path.rglob("*") if "partial" in p.name]

    monkeypatch.setattr(C.np, "savez", savez_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        cached_tfidf(tmp_path, ids, texts)
    monkeypatch.setattr(C.np, "savez", real_savez)
    assert partial_files() == [] and (tmp_path / CACHE_NAME).read_bytes() == before

    def save_then_ctrl_c(file, arr, **kwargs):
        real_save(file, arr, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(C.np, "save", save_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        cached_tfidf(tmp_path, ids, texts)
    monkeypatch.setattr(C.np, "save", real_save)
    assert partial_files() == []
    _same(cached_tfidf(tmp_path, ids, texts), texts)  # the next run works, and saves
    assert (tmp_path / CACHE_NAME).read_bytes() != before


def _reading_bar(total, *, terminal, width=80):
    """A reading bar writing to a console of ``width`` columns, a terminal or not (a pipe); and what it wrote."""
    import io

    from rich.console import Console

    from screener.features.cache import _ReadingBar

    out = io.StringIO()
    return _ReadingBar(total, True, console=Console(file=out, width=width, force_terminal=terminal)), out


def _bar_line(bar, width: int) -> str:
    import io

    from rich.console import Console

    shown = Console(file=io.StringIO(), width=width)
    shown.print(bar.bar.get_renderable())
    return shown.file.getvalue()


def test_the_reading_bar_shows_its_count_and_time_left_in_an_80_column_terminal():
    """At COLUMNS=80 the bar over the words of a big review's records ran past the line, and the terminal showed
    '... ━     1200/… time left -:--:…': the count and time left cut off. Both show, on one line."""
    bar, _ = _reading_bar(123_456, terminal=True)
    try:
        bar.advance(61_000)
        text = _bar_line(bar, 80)
    finally:
        bar.stop()
    assert text.count("\n") == 1 and "61000/123456" in text and "…" not in text, text


def test_the_reading_bar_shows_its_count_and_time_left_in_a_60_column_terminal():
    """At 60 columns the bar showed 'Reading each record's words (once) ━━━━    … time left -:--…': the records read
    and the time left cut off. Both show, on one line, up to a million records."""
    for total in (13_000, 1_234_567):
        bar, _ = _reading_bar(total, terminal=True, width=60)
        try:
            bar.advance(6_000)
            text = _bar_line(bar, 60)
        finally:
            bar.stop()
        assert text.count("\n") == 1 and f"6000/{total}" in text and "time left" in text and "…" not in text, text


def test_the_reading_bar_writes_nothing_where_the_output_is_not_a_terminal():
    """Piped ('screener next ... > batch.txt', a script) the bar left a blank line at the top of the output."""
    bar, out = _reading_bar(13_000, terminal=False)
    bar.advance(13_000)
    bar.stop()
    assert bar.bar is None and out.getvalue() == ""
