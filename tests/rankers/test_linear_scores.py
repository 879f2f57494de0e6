"""Scoring TF-IDF block by block gives scikit-learn's numbers exactly."""

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from screener.rankers.linear import sparse_scores


def test_block_scores_equal_decision_function_bit_for_bit():
    rng = np.random.default_rng(0)
    X = sp.random(3000, 500, density=0.02, format="csr", random_state=1, dtype=np.float32)
    y = (rng.random(3000) < 0.3).astype(int)
    model = LogisticRegression(solver="liblinear").fit(X[:400], y[:400])
    want = model.decision_function(X)
    for rows in (1, 7, 1000, 5000):  # one block, many blocks, blocks on several threads
        got = sparse_scores(X, model.coef_, model.intercept_[0], rows=rows)
        assert np.array_equal(got, want)


def test_the_direct_liblinear_call_fits_the_model_logistic_regression_fits():
    """LogisticRanker calls scikit-learn's liblinear routine without the estimator's checks;
    the model must be the one ``LogisticRegression.fit`` gives, bit for bit, sparse and dense."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from screener.rankers import linear

    assert linear._liblinear() is not None  # the scikit-learn this project installs has it
    rng = np.random.default_rng(3)
    y = (rng.random(120) < 0.15).astype(np.int64)
    y[:2] = [0, 1]
    w = np.where(y == 1, 10.0, 1.0)
    sparse = sp.random(120, 900, density=0.02, format="csr", dtype=np.float32, random_state=4)
    dense = rng.standard_normal((120, 16)).astype(np.float32)
    for M, dual in ((sparse, True), (dense, False)):
        r = linear.LogisticRanker(C=0.1)
        r._fit(M, y, w)
        ref = LogisticRegression(C=0.1, solver="liblinear", dual=dual, max_iter=1000 if dual else 200,
                                 random_state=0).fit(M, y, sample_weight=w)
        assert np.array_equal(r.model_.coef_, ref.coef_) and np.array_equal(r.model_.intercept_, ref.intercept_)
        assert np.array_equal(r.model_.decision_function(M), ref.decision_function(M))


def test_the_direct_liblinear_call_fits_the_model_linear_svc_fits():
    """The same for SVMRanker and ``LinearSVC.fit`` (which copies the TF-IDF to float64 first)."""
    from sklearn.svm import LinearSVC

    from screener.rankers import linear

    assert linear._liblinear(svm=True) is not None and linear._svc_dual() is not None
    rng = np.random.default_rng(5)
    y = (rng.random(150) < 0.1).astype(np.int64)
    y[:2] = [0, 1]
    w = np.where(y == 1, 9.8, 1.0)
    sparse = sp.random(150, 1200, density=0.02, format="csr", dtype=np.float32, random_state=6)
    dense = rng.standard_normal((150, 16)).astype(np.float32)
    for M in (sparse, dense):
        r = linear.SVMRanker(C=0.11)
        r._fit(M, y, w)
        ref = LinearSVC(C=0.11, max_iter=2000, random_state=0).fit(M, y, sample_weight=w)
        assert np.array_equal(r.model_.coef_, ref.coef_) and np.array_equal(r.model_.intercept_, ref.intercept_)
        assert np.array_equal(r.model_.decision_function(M), ref.decision_function(M))
