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
