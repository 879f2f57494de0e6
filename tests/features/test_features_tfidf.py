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
