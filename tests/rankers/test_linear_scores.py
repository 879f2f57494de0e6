"""Scoring TF-IDF block by block gives scikit-learn's numbers exactly."""

import numpy as np
import pytest
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


@pytest.mark.parametrize("kind", ["logistic", "svm"])
def test_the_direct_liblinear_call_fits_the_model_the_estimator_fits(kind):
    """LogisticRanker and SVMRanker call scikit-learn's liblinear routine without the estimators'
    checks (and, for the SVM, its float64 copy); the model must be the one
    ``LogisticRegression.fit`` / ``LinearSVC.fit`` gives, bit for bit, sparse and dense."""
    from sklearn.svm import LinearSVC

    from screener.rankers import linear

    svm = kind == "svm"
    assert linear._liblinear(svm) is not None  # the scikit-learn this project installs has it
    assert linear._direct_ok()  # and its liblinear call is the one screener makes directly
    assert not svm or linear._svc_dual() is not None
    rng = np.random.default_rng(5 if svm else 3)
    n = 150 if svm else 120
    y = (rng.random(n) < (0.1 if svm else 0.15)).astype(np.int64)
    y[:2] = [0, 1]
    w = np.where(y == 1, 9.8 if svm else 10.0, 1.0)
    sparse = sp.random(n, 1200 if svm else 900, density=0.02, format="csr", dtype=np.float32,
                       random_state=6 if svm else 4)
    dense = rng.standard_normal((n, 16)).astype(np.float32)
    for M, dual in ((sparse, True), (dense, False)):
        if svm:
            r = linear.SVMRanker(C=0.11)
            ref = LinearSVC(C=0.11, max_iter=2000, random_state=0)
        else:
            r = linear.LogisticRanker(C=0.1)
            ref = LogisticRegression(C=0.1, solver="liblinear", dual=dual, max_iter=1000 if dual else 200,
                                     random_state=0)
        r._fit(M, y, w)
        ref.fit(M, y, sample_weight=w)
        assert np.array_equal(r.model_.coef_, ref.coef_) and np.array_equal(r.model_.intercept_, ref.intercept_)
        assert np.array_equal(r.model_.decision_function(M), ref.decision_function(M))


def test_load_once_does_the_first_fits_checks_before_a_timed_run():
    import sys

    from screener.rankers import linear

    linear._direct_ok.cache_clear()
    linear.load_once()
    assert linear._direct_ok.cache_info().currsize == 1 and "sklearn.model_selection" in sys.modules
    linear.load_once()  # later calls: nothing more
    assert linear._direct_ok.cache_info().misses == 1
