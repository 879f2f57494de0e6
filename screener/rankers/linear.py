"""Linear classifiers: fast enough to refit after every decision, and their weights explain a rank."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

from screener.errors import ScreenerError
from screener.rankers.base import Ranker


class _LinearMixin:
    def _scores(self, M):
        return self.model_.decision_function(M)

    def term_weights(self):
        if not hasattr(self, "model_") or self.features == "embedding":
            return None
        coef = np.asarray(self.model_.coef_).ravel()
        n_sparse = getattr(self, "_n_sparse_", None)
        return coef[:n_sparse] if n_sparse is not None else coef


class LogisticRanker(_LinearMixin, Ranker):
    """L2 logistic regression. ``C``: inverse regularisation (smaller = smoother)."""

    def __init__(self, features: str = "tfidf", C: float | None = None, balance="balanced",
                 dense_weight: float = 1.0, random_state: int = 0):
        super().__init__(features=features, balance=balance, dense_weight=dense_weight, random_state=random_state)
        self.C = C

    def fit(self, X, y):
        self._n_sparse_ = X.n_sparse if self.features in ("tfidf", "concat") else None
        return super().fit(X, y)

    def _fit(self, M, y, sample_weight):
        C = self.C if self.C is not None else (10.0 if self.features != "embedding" else 1.0)
        self.model_ = LogisticRegression(C=C, solver="liblinear", max_iter=200, random_state=self.random_state)
        self.model_.fit(M, y, sample_weight=sample_weight)


class SVMRanker(_LinearMixin, Ranker):
    """Linear support vector machine (hinge loss); the score is the signed distance to the margin."""

    def __init__(self, features: str = "tfidf", C: float = 1.0, balance="balanced",
                 dense_weight: float = 1.0, random_state: int = 0):
        super().__init__(features=features, balance=balance, dense_weight=dense_weight, random_state=random_state)
        self.C = C

    def fit(self, X, y):
        self._n_sparse_ = X.n_sparse if self.features in ("tfidf", "concat") else None
        return super().fit(X, y)

    def _fit(self, M, y, sample_weight):
        self.model_ = LinearSVC(C=self.C, max_iter=2000, random_state=self.random_state)
        self.model_.fit(M, y, sample_weight=sample_weight)


class NaiveBayesRanker(Ranker):
    """Naive Bayes on TF-IDF ("complement" suits very unbalanced classes; "multinomial" is the
    classic). The score is the log odds of include; class priors are flat, as balance needs."""

    def __init__(self, variant: str = "complement", alpha: float = 0.1, balance="balanced",
                 random_state: int = 0):
        if variant not in ("complement", "multinomial"):
            raise ScreenerError(f"unknown naive Bayes variant {variant!r}; choose 'complement' or 'multinomial'")
        super().__init__(features="tfidf", balance=balance, random_state=random_state)
        self.variant = variant
        self.alpha = alpha

    def _fit(self, M, y, sample_weight):
        cls = ComplementNB if self.variant == "complement" else MultinomialNB
        self.model_ = cls(alpha=self.alpha, fit_prior=False)
        self.model_.fit(M, y, sample_weight=sample_weight)

    def _scores(self, M):
        jll = self.model_.predict_joint_log_proba(M)
        return jll[:, 1] - jll[:, 0]

    def term_weights(self):
        if not hasattr(self, "model_"):
            return None
        # Both variants score a record as X @ feature_log_prob_.T, so the pull is the difference.
        flp = self.model_.feature_log_prob_
        return np.asarray(flp[1] - flp[0]).ravel()
