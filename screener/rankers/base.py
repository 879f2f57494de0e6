"""What every ranker shares: picking its feature block, checking labels, class balance."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from screener.errors import ScreenerError

RANKER_INPUTS = ("tfidf", "embedding", "concat")


class Ranker:
    """Base class. Subclasses set ``_fit`` and ``_scores`` on the design matrix.

    ``features``: which block of the ``FeatureMatrix`` the model reads: "tfidf", "embedding",
    or "concat" (both side by side). ``balance``: "balanced" weighs each class by the inverse of
    its size, so that a handful of includes among thousands of excludes still move the model;
    "none" leaves the weights alone; a number gives includes that many times the weight that
    "balanced" would.
    """

    #: Score at which the model is as sure of include as of exclude (for uncertainty sampling).
    boundary: float = 0.0

    def __init__(self, features: str = "tfidf", balance="balanced", dense_weight: float = 1.0,
                 random_state: int = 0):
        if features not in RANKER_INPUTS:
            raise ScreenerError(f"unknown feature block {features!r}; choose one of: {', '.join(RANKER_INPUTS)}")
        self.features = features
        self.balance = balance
        self.dense_weight = dense_weight
        self.random_state = random_state

    # -- the sklearn-shaped surface -------------------------------------------------------
    def fit(self, X, y) -> "Ranker":
        y = check_labels(y, X.n_rows)
        with self._checks_off():
            self._fit(self._design(X), y, self._sample_weight(y))
        self.n_features_ = X.shape[1]
        self.classes_ = np.array([0, 1])
        return self

    def scores(self, X) -> np.ndarray:
        if not hasattr(self, "classes_"):
            raise ScreenerError("the ranker must be fitted on labelled records before it can score")
        with self._checks_off():
            return np.asarray(self._scores(self._design(X)), dtype=np.float64).ravel()

    def margins(self, X) -> np.ndarray:
        """Distance from the decision boundary; small = the model is unsure (uncertainty sampling)."""
        return np.abs(self.scores(X) - self.boundary)

    def term_weights(self) -> np.ndarray | None:
        """Per-TF-IDF-column pull towards include, for "why this record"; None if not linear on TF-IDF."""
        return None

    def get_params(self) -> dict:
        return {k: v for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_")}

    def settings(self) -> dict:
        """Name and settings, JSON-serialisable, stored with each ranking."""
        return {"class": type(self).__name__, **_jsonable(self.get_params())}

    # -- helpers for subclasses -----------------------------------------------------------
    def _checks_off(self):
        """The context ``_fit`` and ``_scores`` run in: scikit-learn's checks off (``_trusted_input``)."""
        return _trusted_input()

    def _design(self, X):
        if self.features == "tfidf":
            if X.sparse is None:
                raise ScreenerError(f"{type(self).__name__} reads TF-IDF features, but none were built; "
                                    "build features with kind='tfidf' or 'both'")
            return X.sparse
        if self.features == "embedding":
            if X.dense is None:
                raise ScreenerError(f"{type(self).__name__} reads embeddings, but none were built; "
                                    "build features with kind='embedding' or 'both'")
            return X.dense
        if X.sparse is None or X.dense is None:
            raise ScreenerError("a 'concat' ranker reads TF-IDF and embeddings together; build features with kind='both'")
        return X.concat(self.dense_weight)

    def _class_weight(self, y: np.ndarray) -> dict | None:
        if self.balance in (None, "none"):
            return None
        n = len(y)
        n1 = int(y.sum())
        n0 = n - n1
        w0 = n / (2.0 * n0)
        w1 = n / (2.0 * n1)
        if self.balance != "balanced":
            w1 *= float(self.balance)
        return {0: w0, 1: w1}

    def _sample_weight(self, y: np.ndarray) -> np.ndarray | None:
        cw = self._class_weight(y)
        if cw is None:
            return None
        return np.where(y == 1, cw[1], cw[0])

    def _fit(self, M, y, sample_weight):  # pragma: no cover - abstract
        raise NotImplementedError

    def _scores(self, M):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def _trusted_input():
    """scikit-learn without its per-call checks of settings and of non-finite values: the
    settings are fixed in code and the features are finite by construction (TF-IDF weights,
    normalised embeddings). The numbers are the same; a refit of a small review spends about a
    third of its time in those checks."""
    import sklearn

    return sklearn.config_context(assume_finite=True, skip_parameter_validation=True)


def check_labels(y, n_rows: int) -> np.ndarray:
    """0/1 labels with both classes present, one per feature row."""
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != n_rows:
        raise ScreenerError(f"{len(y)} labels given for {n_rows} records; give one 0/1 label per labelled record")
    if not ((y == 0) | (y == 1)).all():
        raise ScreenerError("labels must be 1 (include) or 0 (exclude)")
    y = y.astype(np.int64)
    if y.min() == y.max():
        which = "includes" if y[0] == 1 else "excludes"
        raise ScreenerError(f"a ranker needs at least one include and one exclude; only {which} are labelled")
    return y


def _jsonable(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, (np.integer,)):
            v = int(v)
        elif isinstance(v, (np.floating,)):
            v = float(v)
        elif isinstance(v, Ranker):
            v = v.settings()
        elif isinstance(v, (list, tuple)):
            v = [x.settings() if isinstance(x, Ranker) else x for x in v]
        out[k] = v
    return out


def as_csr(M):
    return M if sp.issparse(M) else sp.csr_matrix(M)
