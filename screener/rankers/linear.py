"""Linear classifiers: fast enough to refit after every decision, and their weights explain a rank."""

from __future__ import annotations

import contextlib
import functools
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

from screener.errors import ScreenerError
from screener.rankers.base import Ranker


class _LinearMixin:
    def __init__(self, features: str = "tfidf", C: float = 1.0, balance="balanced",
                 dense_weight: float = 1.0, random_state: int = 0):
        super().__init__(features=features, balance=balance, dense_weight=dense_weight, random_state=random_state)
        self.C = C

    def fit(self, X, y):
        self._n_sparse_ = X.n_sparse if self.features in ("tfidf", "concat") else None
        return super().fit(X, y)

    def _checks_off(self):
        # Fitted by liblinear directly and scored by plain arithmetic, nothing here goes through
        # scikit-learn's checks: entering and leaving its settings twice a refit was time for nothing.
        return contextlib.nullcontext() if _direct_ok() else super()._checks_off()

    def _scores(self, M):
        import scipy.sparse as sp

        if sp.issparse(M) and M.format == "csr" and M.dtype == np.float32:  # TF-IDF: block by block
            return sparse_scores(M, self.model_.coef_, float(np.ravel(self.model_.intercept_)[0]))
        if isinstance(M, np.ndarray) and M.ndim == 2 and self.model_.coef_.shape == (1, M.shape[1]):
            # decision_function's own arithmetic (X @ coef.T + intercept), without its input checks
            return (M @ self.model_.coef_.T + np.reshape(self.model_.intercept_, (1, -1))).ravel()
        return self.model_.decision_function(M)

    def scores(self, X):
        if not hasattr(self, "model_") or self.features != "concat" and not hasattr(X, "wide"):
            return super().scores(X)
        if self.features == "tfidf":
            S = X.sparse
            if S is None or S.format != "csr" or S.dtype != np.float32:
                return super().scores(X)
            return sparse_scores(S, self.model_.coef_, float(np.ravel(self.model_.intercept_)[0]), wide=X.wide("sparse"))
        if self.features == "embedding":
            D = X.wide("dense")
            if D is None or self.model_.coef_.shape != (1, D.shape[1]):
                return super().scores(X)
            # what _scores computes from the float32 block, which numpy widens to this first
            return (D @ self.model_.coef_.T + np.reshape(self.model_.intercept_, (1, -1))).ravel()
        # Score the two blocks separately: stacking 100,000 dense rows into a sparse matrix at
        # every rerank would cost more than the model itself.
        coef = np.asarray(self.model_.coef_).ravel()
        ns = X.n_sparse
        s = X.sparse @ coef[:ns] + (X.dense @ coef[ns:].astype(np.float32)) * float(self.dense_weight)
        return np.asarray(s, dtype=np.float64).ravel() + float(np.ravel(self.model_.intercept_)[0])

    def term_weights(self):
        if not hasattr(self, "model_") or self.features == "embedding":
            return None
        coef = np.asarray(self.model_.coef_).ravel()
        n_sparse = getattr(self, "_n_sparse_", None)
        return coef[:n_sparse] if n_sparse is not None else coef


class LogisticRanker(_LinearMixin, Ranker):
    """L2 logistic regression. ``C``: inverse regularisation (smaller = smoother); default 1."""

    def _fit(self, M, y, sample_weight):
        C = 1.0 if self.C is None else self.C
        # With more terms than labelled records (TF-IDF, always) liblinear's dual solver is
        # 10-20x faster than the primal one for the same model; this is what makes a refit after
        # every decision affordable.
        dual = M.shape[1] > M.shape[0]
        model = LogisticRegression(C=C, solver="liblinear", dual=dual, max_iter=1000 if dual else 200,
                                   random_state=self.random_state)
        self.model_ = _fit_by_liblinear(model, M, y, sample_weight)


_LIBLINEAR_ARGS = ["X", "y", "C", "fit_intercept", "intercept_scaling", "class_weight", "penalty", "dual",
                   "verbose", "max_iter", "tol", "random_state"]
_LIBLINEAR_SVM_ARGS = _LIBLINEAR_ARGS + ["multi_class", "loss"]


def _solver_input(M):
    """What liblinear reads as it is: CSR as given (float32 values are widened exactly), dense
    rows contiguous."""
    return M if hasattr(M, "tocsr") else np.ascontiguousarray(
        M if M.dtype in (np.float32, np.float64) else M.astype(np.float64))


@functools.cache
def _liblinear(svm: bool = False):
    """scikit-learn's own liblinear call for logistic regression (``svm``: for the linear SVM),
    without the estimator's checks around it: the labels here are always 0/1 with both present
    and the features finite, and the checks (input type detection, label encoding, parameter
    validation, and for the SVM a float64 copy of the whole TF-IDF block) took as long as the
    solver on a small review's refits. The same function with the same arguments as
    ``LogisticRegression.fit`` / ``LinearSVC.fit`` give, so the same model (tests hold them
    equal); None, and the ordinary ``fit``, where the installed scikit-learn has it under
    another shape."""
    try:
        import inspect

        from sklearn.svm._base import _fit_liblinear
    except ImportError:
        return None
    try:
        names = list(inspect.signature(_fit_liblinear).parameters)
    except (ValueError, TypeError):
        return None
    want = _LIBLINEAR_SVM_ARGS if svm else _LIBLINEAR_ARGS
    return _fit_liblinear if names[:len(want)] == want else None


def _fit_by_liblinear(model, M, y, sample_weight, *, svm: bool = False):
    """Fit ``model`` (a liblinear ``LogisticRegression``, or with ``svm`` a ``LinearSVC``) the way
    its own ``fit`` calls liblinear, minus the checks (see ``_liblinear``); its ordinary ``fit``
    where that call is missing. Convergence warnings are dropped: a rough fit still ranks well."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        solve, dual_rule = _liblinear(svm), (_svc_dual() if svm else None)
        if solve is None or (svm and dual_rule is None):
            return model.fit(M, y, sample_weight=sample_weight)
        X = _solver_input(M)
        if svm:  # LinearSVC settles dual="auto" from the data, and names its loss
            dual = dual_rule(model.dual, model.loss, model.penalty, model.multi_class, X)
            penalty, extra = model.penalty, (model.multi_class, model.loss)
        else:
            dual, penalty, extra = model.dual, "l2", ()
        args = (X, y, model.C, model.fit_intercept, model.intercept_scaling, model.class_weight, penalty, dual,
                model.verbose, model.max_iter, model.tol, model.random_state, *extra)
        direct = _direct_train() if _direct_ok() else None
        if direct is not None and isinstance(model.random_state, (int, np.integer)) and model.class_weight is None \
                and not model.verbose:
            model.coef_, model.intercept_, n_iter = direct(*args, sample_weight=sample_weight)
        else:
            model.coef_, model.intercept_, n_iter = solve(*args, sample_weight=sample_weight)
    model.n_iter_ = int(np.max(n_iter)) if svm else n_iter  # what each estimator's fit leaves there
    model.classes_ = np.array([0, 1])
    model.n_features_in_ = X.shape[1]
    return model


@functools.cache
def _direct_train():
    """liblinear's own training routine called as scikit-learn's ``_fit_liblinear`` calls it for
    0/1 labels with both present, no class weights and quiet output, without the rest of that
    function (label encoding, class-weight and sample-weight checks, a fresh random generator per
    fit): on a small review those took as long as the solver. None where the installed
    scikit-learn lacks the pieces; ``_direct_ok`` checks that it fits the same model."""
    try:
        from sklearn.svm import _liblinear as lib
        from sklearn.svm._base import _get_liblinear_solver_type
        from sklearn.utils import check_random_state
    except ImportError:
        return None
    seeds: dict = {}
    lib.set_verbosity_wrap(0)

    def train(X, y, C, fit_intercept, intercept_scaling, class_weight, penalty, dual, verbose, max_iter, tol,
              random_state, multi_class="ovr", loss="logistic_regression", sample_weight=None):
        seed = seeds.get(int(random_state))
        if seed is None:  # what check_random_state(random_state).randint gives, once per seed
            seed = seeds[int(random_state)] = int(check_random_state(int(random_state)).randint(np.iinfo("i").max))
        yf = np.array(y, dtype=np.float64)  # a fresh, writable copy, as liblinear wants
        sw = (np.ones(X.shape[0], dtype=np.float64) if sample_weight is None
              else np.ascontiguousarray(sample_weight, dtype=np.float64))
        bias = float(intercept_scaling) if fit_intercept else -1.0
        raw, n_iter = lib.train_wrap(X, yf, sp.issparse(X), _get_liblinear_solver_type(multi_class, penalty, loss, dual),
                                     tol, bias, C, np.ones(2, dtype=np.float64), max_iter, seed, 0.1, sw)
        if fit_intercept:
            return raw[:, :-1], intercept_scaling * raw[:, -1], n_iter
        return raw, 0.0, n_iter

    return train


@functools.cache
def _direct_ok() -> bool:
    """Whether ``_direct_train`` fits, bit for bit, the models scikit-learn's own routine fits
    (logistic and SVM, sparse and dense, on a small made-up problem); checked once per process,
    so a scikit-learn whose internals have moved falls back to its own routine, not to wrong
    models."""
    direct, solve, solve_svm = _direct_train(), _liblinear(False), _liblinear(True)
    if direct is None or solve is None or solve_svm is None:
        return False
    rng = np.random.default_rng(0)
    y = (rng.random(60) < 0.2).astype(np.int64)
    y[:2] = [0, 1]
    w = np.where(y == 1, 10.0, 1.0)
    dense = rng.standard_normal((60, 8))
    sparse = sp.random(60, 200, density=0.05, format="csr", dtype=np.float32, random_state=1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for X, dual in ((sparse, True), (dense, False)):
                for svm_ in (False, True):
                    args = (X, y, 0.1, True, 1.0, None, "l2", dual, 0, 200, 1e-4, 3)
                    extra = ("ovr", "squared_hinge") if svm_ else ()
                    want = (solve_svm if svm_ else solve)(*args, *extra, sample_weight=w)
                    got = direct(*args, *extra, sample_weight=w)
                    if not (np.array_equal(want[0], got[0]) and np.array_equal(want[1], got[1])
                            and np.array_equal(np.ravel(want[2]), np.ravel(got[2]))):
                        return False
    except Exception:  # any change of shape in scikit-learn's internals: use its own routine
        return False
    return True


def load_once() -> None:
    """What the first fit of a process would otherwise do on its way: load scikit-learn's
    liblinear and cross-validation modules and check the direct liblinear call (``_direct_ok``).
    A simulation does it before its clock starts, as ASReview loads its modules before its first
    label; later calls cost nothing."""
    import sklearn.model_selection  # noqa: F401  (the learned fusion's folds)

    _liblinear(False), _liblinear(True), _svc_dual(), _direct_ok()


@functools.cache
def _svc_dual():
    """``LinearSVC``'s own rule for its ``dual="auto"`` (None where it is missing)."""
    try:
        from sklearn.svm._classes import _validate_dual_parameter
    except ImportError:
        return None
    return _validate_dual_parameter


class SVMRanker(_LinearMixin, Ranker):
    """Linear support vector machine (hinge loss); the score is the signed distance to the margin."""

    def _fit(self, M, y, sample_weight):
        model = LinearSVC(C=self.C, max_iter=2000, random_state=self.random_state)
        self.model_ = _fit_by_liblinear(model, M, y, sample_weight, svm=True)


class NaiveBayesRanker(Ranker):
    """Naive Bayes on TF-IDF. The score is the log odds of include; class priors are flat.

    "multinomial" with heavy smoothing (``alpha`` = 4) ranked best of the variants we tried on
    the shared low-prevalence sets; "complement" is offered for comparison."""

    def __init__(self, variant: str = "multinomial", alpha: float = 4.0, balance="balanced",
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


@functools.cache
def _cores() -> int:
    import os

    return os.cpu_count() or 1


def sparse_scores(M, coef, intercept: float = 0.0, rows: int = 2048, wide=None) -> np.ndarray:
    """``M @ coef + intercept`` for a CSR matrix of float32 values, in float64, block by block.

    The same numbers as scikit-learn's ``decision_function`` (each value widened to float64 and
    summed in column order per row), without first widening all of ``M``: on 500,000 records
    that copy is a gigabyte and most of a rerank's time. Each block of ``rows`` rows is widened
    into one reused buffer that stays in the processor's cache, a memory-mapped ``M`` is read
    once, and a big matrix is scored on every core (scipy lets go of the interpreter lock for
    each block; each part of the rows has its own thread, buffer and place in the result).
    ``wide``: ``M.data`` already in float64 (``FeatureMatrix.wide``), read in place of widening."""
    from concurrent.futures import ThreadPoolExecutor

    from scipy.sparse import _sparsetools

    coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float64).ravel())
    n, m = M.shape
    if len(coef) != m:
        raise ScreenerError(f"the model was fitted on {len(coef)} terms, these records have {m}")
    out = np.zeros(n, dtype=np.float64)
    indptr, indices, data = M.indptr, M.indices, M.data
    starts = list(range(0, n, rows))
    workers = max(1, min(len(starts) // 4, _cores(), 8))

    def part(blocks) -> None:
        if not blocks:
            return
        widest = 0 if wide is not None else max(int(indptr[min(a + rows, n)]) - int(indptr[a]) for a in blocks)
        buf = np.empty(widest, dtype=np.float64)
        for a in blocks:
            b = min(a + rows, n)
            lo, hi = int(indptr[a]), int(indptr[b])
            if wide is not None:
                vals = wide[lo:hi]
            else:
                vals = buf[:hi - lo]
                vals[:] = data[lo:hi]
            _sparsetools.csr_matvec(b - a, m, np.asarray(indptr[a:b + 1] - lo), np.asarray(indices[lo:hi]), vals,
                                    coef, out[a:b])
    chunks = [starts[k::workers] for k in range(workers)]
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(part, chunks))
    else:
        part(starts)
    return out + float(intercept)
