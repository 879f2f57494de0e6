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
