import numpy as np
import pytest
import scipy.sparse as sp

from screener.errors import ScreenerError
from screener.features import FeatureMatrix, build_features
from screener.features.tfidf import fit_tfidf

TEXTS = [
    "Peer workers in harm reduction services. A qualitative study of peer work.",
    "Peer support for people who use drugs: interviews with peer workers.",
    "Randomised trial of a new opioid analgesic for chronic pain.",
    "Bone fracture healing in mice.",
    "",
]


def test_tfidf_has_bigrams_sublinear_and_one_row_per_record():
    vec, M = fit_tfidf(TEXTS)
    names = list(vec.get_feature_names_out())
    assert M.shape[0] == len(TEXTS)
    assert "peer workers" in names and "harm reduction" in names
    assert "the" not in names  # stop words do not become features
    # sublinear tf: "peer" three times in record 0 weighs less than 3x a once-only word's share
    row = M[0].toarray().ravel()
    assert row[names.index("peer")] < 3 * row[names.index("qualitative")]
    assert M[4].nnz == 0  # an empty record keeps its (empty) row
    assert np.allclose(sp.linalg.norm(M[:4], axis=1), 1.0, atol=1e-5)


def test_all_empty_texts_still_give_rows():
    vec, M = fit_tfidf(["", "", None])
    assert M.shape[0] == 3 and M.nnz == 0


def test_feature_matrix_rows_kinds_and_transform():
    dense = np.random.default_rng(0).normal(size=(len(TEXTS), 4)).astype(np.float32)
    X = build_features(TEXTS, "both", embeddings=dense)
    assert X.kind == "both" and X.n_rows == len(TEXTS) == len(X)
    sub = X[[2, 0]]
    assert sub.n_rows == 2
    assert np.array_equal(sub.dense, dense[[2, 0]])
    assert (sub.sparse != X.sparse[[2, 0]]).nnz == 0
    assert X[np.array([True, False, True, False, False])].n_rows == 2
    assert X.concat().shape == (len(TEXTS), X.n_sparse + 4)
    q = X.transform_text(["peer workers in harm reduction"], embeddings=dense[:1])
    names = list(X.feature_names)
    assert q.sparse[0, names.index("harm reduction")] > 0
    only_tfidf = build_features(TEXTS, "tfidf")
    assert only_tfidf.dense is None and only_tfidf.kind == "tfidf"


def test_bad_kind_and_mismatched_embeddings_are_clear():
    with pytest.raises(ScreenerError, match="unknown feature kind"):
        build_features(TEXTS, "bag-of-words")
    with pytest.raises(ValueError, match="embeddings given"):
        build_features(TEXTS, "embedding", embeddings=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="rows"):
        FeatureMatrix(sp.csr_matrix(np.ones((3, 2))), np.ones((2, 2)))


def _topic_corpus(n=120, seed=0):
    """Records on two topics, each with words of its own and a few found nowhere else."""
    rng = np.random.default_rng(seed)
    inc = ["peer", "worker", "harm", "reduction", "lived", "experience", "support", "qualitative"]
    exc = ["trial", "mice", "dosage", "blood", "pressure", "cohort", "mortality", "costs"]
    texts, y = [], []
    for i in range(n):
        words = inc if i % 6 == 0 else exc
        texts.append(" ".join(rng.choice(words, 8).tolist() + [f"rare{i}a", f"rare{i}b"]))
        y.append(int(i % 6 == 0))
    return texts, np.array(y)


def test_vocabulary_above_the_cap_keeps_the_terms_in_most_records():
    texts, _ = _topic_corpus()
    vec0, M0 = fit_tfidf(texts, max_terms=None)
    cap = 60
    assert M0.shape[1] > cap
    vec, M = fit_tfidf(texts, max_terms=cap)
    names0, names = vec0.get_feature_names_out(), vec.get_feature_names_out()
    assert M.shape == (len(texts), cap) and len(names) == cap
    df0 = np.bincount(M0.indices, minlength=M0.shape[1])
    kept = np.isin(names0, names)
    assert df0[kept].min() >= df0[~kept].max()  # no dropped term is in more records than a kept one
    assert not any(n.startswith("rare") for n in names)
    # the kept columns' weights are the uncapped ones, each row scaled to unit length again
    sub = M0[:, np.flatnonzero(kept)].toarray()
    sub /= np.linalg.norm(sub, axis=1, keepdims=True)
    assert np.abs(M.toarray() - sub).max() < 1e-5
    # new text (a protocol) lands in the kept columns
    q = vec.transform(["peer harm reduction rare0a"])
    assert q.shape == (1, cap) and q.nnz == 3


def test_a_capped_vocabulary_ranks_alike():
    from sklearn.linear_model import LogisticRegression

    texts, y = _topic_corpus(240)
    train = np.r_[np.flatnonzero(y)[:5], np.flatnonzero(y == 0)[:15]]
    scores = []
    for cap in (None, 40):
        _, M = fit_tfidf(texts, max_terms=cap)
        scores.append(LogisticRegression(C=10).fit(M[train], y[train]).decision_function(M))
    top = [set(np.argsort(-s)[: y.sum()]) for s in scores]
    assert len(top[0] & top[1]) >= 0.9 * y.sum()
    assert np.corrcoef(scores[0], scores[1])[0, 1] > 0.9


def test_default_cap_is_far_above_a_normal_review():
    from screener.features.tfidf import MAX_TERMS, vocabulary_cap

    assert vocabulary_cap() == MAX_TERMS == 2 ** 20
    vec, M = fit_tfidf(TEXTS)
    assert M.shape[1] == len(vec.get_feature_names_out()) < MAX_TERMS


def test_accents_are_stripped_exactly_as_scikit_learn_strips_them():
    from sklearn.feature_extraction.text import strip_accents_unicode

    from screener.features.tfidf import make_vectorizer, strip_accents

    for s in ["plain ascii", "", "Café naïve façade", "ﬁ ligature ½ ²", "Ångström – “quotes” —",
              "e\u0301\u0302x", "한국어 텍스트", "Ελληνικά ά", "Zürich Ⅻ №5 ﬀ", "\u00e9" * 50]:
        assert strip_accents(s) == strip_accents_unicode(s)
    assert make_vectorizer(10).strip_accents is strip_accents  # "unicode" in the settings: this one
    assert make_vectorizer(10, strip_accents=None).strip_accents is None


def test_feature_names_are_listed_when_first_asked_for():
    from screener.features import build_features

    texts = ["peer workers in harm reduction", "mice dosage trial", "peer support workers"]
    X = build_features(texts, "tfidf")
    assert X._feature_names is None  # not listed by the fit
    names = X.feature_names
    assert list(names) == list(X.vectorizer.get_feature_names_out()) and X[[0, 2]].feature_names is not None


EDGE_TEXTS = [
    "Peer WORKERS in harm-reduction services; peer workers, peer work. A b c 1 22 333 x_y",
    "Café naïve résumé — Ærø Straße ǆungla ℡ line ﬁnal ΣΟΦΙΑ σοφίας μέθοδος",
    "",
    None,
    "peer peer peer peer workers workers",
    "α β γγ δδ 12 12 12 ab ab ab ab_cd",
    "one",
    "Schools' teachers: soft-skills (SS) in 2019/2020, e.g. empathy & resilience.",
    "日本語のテキスト 中文 한국어 text",
] * 3 + ["unique words only here zzz yyy"]


def _sklearn_tfidf(texts, **options):
    from screener.features.tfidf import make_vectorizer

    texts = ["" if t is None else str(t) for t in texts]
    vec = make_vectorizer(len(texts), **options)
    return vec, sp.csr_matrix(vec.fit_transform(texts))


def _assert_same_tfidf(texts, **options):
    from screener.features.tfidf import _fast_counts, make_vectorizer

    if "stop_words" not in options:  # screener's own counting is the one under test
        assert _fast_counts(["" if t is None else str(t) for t in texts], make_vectorizer(len(texts), **options))
    v0, M0 = _sklearn_tfidf(texts, **options)
    v1, M1 = fit_tfidf(texts, **options)
    assert M0.shape == M1.shape and M0.dtype == M1.dtype and M0.indices.dtype == M1.indices.dtype
    # entry for entry, in the same order within each row: the models fitted on them are the same
    assert np.array_equal(M0.indptr, M1.indptr) and np.array_equal(M0.indices, M1.indices)
    assert np.array_equal(M0.data, M1.data)
    assert v0.vocabulary_ == v1.vocabulary_ and np.array_equal(v0.idf_, v1.idf_)
    q = ["peer workers in harm reduction", "café ΣΟΦΙΑ σοφίας", "nothing known"]
    assert (v0.transform(q) != v1.transform(q)).nnz == 0


@pytest.mark.parametrize("options", [
    {},
    {"ngram_range": (1, 1)},
    {"max_df": 0.5},
    {"min_df": 2},
    {"min_df": 0.1, "max_df": 0.9},
    {"strip_accents": None, "lowercase": False},
    {"sublinear_tf": False, "dtype": "float64"},
    {"stop_words": "english"},  # not counted by screener's own code: scikit-learn's, the same
])
def test_screeners_counting_gives_scikit_learns_tfidf(options):
    _assert_same_tfidf(EDGE_TEXTS, **options)
    texts, _ = _topic_corpus(300, seed=2)
    _assert_same_tfidf(texts, **options)


def test_screeners_counting_falls_back_where_scikit_learn_finds_no_terms():
    from screener.features.tfidf import _fast_counts, make_vectorizer

    assert _fast_counts(["a b", "c", ""], make_vectorizer(3)) is None  # one-letter words only
    vec, M = fit_tfidf(["a b", "c", ""])
    assert M.shape[0] == 3


def test_screeners_counting_on_shared_reviews(shared_dir):
    """The three smallest reported reviews and three tuning reviews, as the simulations read them."""
    import pandas as pd

    from screener.records import record_text

    for corpus in ("datasets", "tuning"):
        idx = pd.read_csv(shared_dir / corpus / "index.csv").sort_values("n_records")
        for name in idx["file"].head(3):
            df = pd.read_csv(shared_dir / corpus / name)
            texts = [record_text(t, a) for t, a in zip(df["title"], df["abstract"])]
            assert sum(map(bool, texts)) > 0.9 * len(texts)
            _assert_same_tfidf(texts)


def test_take_rows_is_scipys_row_selection():
    from screener.features import take_rows

    M = sp.random(120, 300, density=0.05, format="csr", dtype=np.float32, random_state=3)
    rng = np.random.default_rng(0)
    for idx in (rng.integers(0, 120, 50), np.arange(120)[::-1], np.array([], dtype=np.int64), np.array([7, 7, 0])):
        a, b = M[idx], take_rows(M, idx)
        assert a.shape == b.shape
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)
    assert (take_rows(M, np.array([-1])) != M[[119]]).nnz == 0  # negative: scipy's meaning
    with pytest.raises(IndexError):
        take_rows(M, np.array([120]))


def test_take_rows_with_wide_row_numbers_and_either_index_width():
    """scipy's own row copier is used for int32 and int64 indices alike, with the same answer."""
    from screener.features import take_rows

    M = sp.random(200, 400, density=0.03, format="csr", dtype=np.float32, random_state=5)
    M64 = sp.csr_matrix((M.data, M.indices.astype(np.int64), M.indptr.astype(np.int64)), shape=M.shape)
    idx = np.random.default_rng(1).integers(0, 200, 80)
    for A in (M, M64):
        for rows in (idx, idx.astype(np.int32), idx.astype(np.uint16)):
            a, b = A[rows], take_rows(A, rows)
            assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            assert np.array_equal(a.data, b.data) and b.shape == (80, 400)


def test_taken_rows_say_where_they_came_from():
    X = build_features(TEXTS, "both", embeddings=np.eye(5, 4, dtype=np.float32))
    origin, rows = X.rows_of()
    assert rows is None
    A = X[np.array([4, 0, 2])]
    assert A.rows_of()[0] == origin and A.rows_of()[1].tolist() == [4, 0, 2]
    B = A[np.array([2, -1, 1])]  # rows of rows: counted in the whole matrix; -1 is the last
    assert B.rows_of()[0] == origin and B.rows_of()[1].tolist() == [2, 2, 0]
    assert (B.sparse != X.sparse[[2, 2, 0]]).nnz == 0 and np.array_equal(B.dense, X.dense[[2, 2, 0]])
    assert X[1:3].rows_of()[1].tolist() == [1, 2] and X[np.array([True, False, True, False, False])].rows_of()[1].tolist() == [0, 2]
    with pytest.raises(ValueError):  # the row numbers are not to be edited
        A.rows_of()[1][0] = 3
    # another matrix, or a block replaced, is another origin: nothing keyed on the old one applies
    Y = build_features(TEXTS, "both", embeddings=np.eye(5, 4, dtype=np.float32))
    assert Y.rows_of()[0] != origin
    C = X[np.array([0, 1])]
    C.dense = C.dense * 2
    assert C.rows_of()[0] not in (origin, None) and C.rows_of()[1] is None


def test_wide_values_are_the_float32_values_widened_once():
    import screener.features as F

    X = build_features(TEXTS, "both", embeddings=np.random.default_rng(0).random((5, 4)).astype(np.float32))
    ws, wd = X.wide("sparse"), X.wide("dense")
    assert ws.dtype == wd.dtype == np.float64
    assert np.array_equal(ws, X.sparse.data.astype(np.float64)) and np.array_equal(wd, X.dense.astype(np.float64))
    assert X.wide("sparse") is ws  # made once
    assert X[np.array([1, 0])].wide("dense").tolist() == X.dense[[1, 0]].astype(np.float64).tolist()
    old = F.WIDE_MAX
    try:
        F.WIDE_MAX = 3  # a very large project: nothing kept, scoring widens block by block
        Y = build_features(TEXTS, "tfidf")
        assert Y.wide("sparse") is None and Y.wide("dense") is None
    finally:
        F.WIDE_MAX = old


def test_the_vocabulary_is_listed_only_when_needed_and_then_as_a_dict():
    import copy
    import pickle

    from screener.features.tfidf import LazyVocabulary

    vec, M = fit_tfidf(TEXTS)
    voc = vec.vocabulary_
    assert isinstance(voc, LazyVocabulary) and not voc._filled
    assert len(voc) == M.shape[1] and not voc._filled  # counted without listing the terms
    want = {t: i for i, t in enumerate(vec.get_feature_names_out())}
    assert voc == want and not (voc != want) and voc["peer workers"] == want["peer workers"]
    for other in (pickle.loads(pickle.dumps(voc)), copy.deepcopy(voc), voc.copy()):
        assert type(other) is dict and other == want
    assert "peer" in repr(fit_tfidf(TEXTS)[0].vocabulary_)
    assert vec.transform(["peer workers in harm reduction"]).nnz == 9  # 5 words, 4 word pairs


@pytest.mark.parametrize("text", EDGE_TEXTS[:9] + ["a_b _ __ x1 1x é́ é ab\u0301c o'neil can't", "\u00a0ab\u2003cd\x00ef"])
def test_screeners_word_pattern_finds_scikit_learns_tokens(text):
    import re

    from screener.features.tfidf import _DEFAULT_TOKENS, _WORD_RUNS

    text = "" if text is None else text
    for t in (text, text.lower()):
        assert _WORD_RUNS.findall(t) == re.findall(_DEFAULT_TOKENS, t)


def test_wide_names_its_blocks():
    X = build_features(TEXTS, "tfidf")
    assert X.wide("dense") is None  # no embeddings: nothing to widen
    with pytest.raises(ValueError, match="'sparse' \\(TF-IDF\\) or 'dense'"):
        X.wide("tfidf")
