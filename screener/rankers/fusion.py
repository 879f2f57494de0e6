"""Rank fusion: a TF-IDF model and an embedding model each vote, so either one's blind spot
(rare exact terms, or paraphrases) is covered by the other."""

from __future__ import annotations

import numpy as np

from screener.errors import ScreenerError
from screener.rankers.base import Ranker, check_labels

FUSION_METHODS = ("rrf", "zscore", "rankz", "interleave")


def fuse_scores(score_lists, method: str = "rrf", weights=None, k: float = 60.0) -> np.ndarray:
    """Combine several score vectors over the same rows into one (higher = more likely include).

    "rrf" (reciprocal rank fusion) adds w / (k + rank); it ignores the scales of the scores.
    "zscore" adds w * standardised score. "rankz" adds w * the normal score of each row's rank
    (the standard normal quantile of (rank - 0.5) / rows): every component on one scale whatever
    the shape of its scores, so a model whose scores have a long upper tail does not take the top
    of the queue beyond what its weight gives it. "interleave" deals the queue out of the
    components' own rankings in turn, each component's share of the places its weight's share: a
    row stands where the component that ranks it best would put it (its rank over that share), so a
    record either model puts near the top is reached early, where a sum lets the other model bury
    it; rows a component ranks alike are ordered by their "rankz" scores.
    """
    score_lists = [np.asarray(s, dtype=np.float64).ravel() for s in score_lists]
    if not score_lists:
        raise ValueError("nothing to fuse")
    weights = np.ones(len(score_lists)) if weights is None else np.asarray(weights, dtype=np.float64)
    if method == "interleave":
        return _interleave(score_lists, weights)
    out = np.zeros_like(score_lists[0])
    for w, s in zip(weights, score_lists):
        if method == "rrf":
            from scipy.stats import rankdata  # here: scipy.stats takes a second to import

            rank = rankdata(-s, method="average")  # 1 = best
            out += w / (k + rank)
        elif method == "rankz":
            from scipy.special import ndtri
            from scipy.stats import rankdata

            out += w * ndtri((rankdata(s, method="average") - 0.5) / len(s))  # rank 1 = lowest score
        elif method == "zscore":
            out += w * _zscore(s)
        else:
            raise ScreenerError(f"unknown fusion method {method!r}; choose one of: {', '.join(FUSION_METHODS)}")
    return out


def _interleave(score_lists, weights) -> np.ndarray:
    """Scores for "interleave" (``fuse_scores``): rows - position in the dealt queue."""
    from scipy.stats import rankdata

    share = np.clip(weights, 0.0, None)
    share = share / share.sum() if share.sum() > 0 else np.full(len(share), 1.0 / len(share))
    first = np.full(len(score_lists[0]), np.inf)
    for w, s in zip(share, score_lists):
        if w > 0:
            first = np.minimum(first, rankdata(-s, method="average") / w)  # rank 1 = best
    tie = fuse_scores(score_lists, "rankz", weights)
    order = np.lexsort((-tie, first))  # the last key sorts first
    out = np.empty(len(first))
    out[order] = np.arange(len(first), 0, -1, dtype=np.float64)
    return out


class FusionRanker(Ranker):
    """Fits every component on the same labels and fuses their scores."""

    def __init__(self, components, method: str = "rrf", weights=None, k: float = 60.0, random_state: int = 0):
        if method not in FUSION_METHODS:
            raise ScreenerError(f"unknown fusion method {method!r}; choose one of: {', '.join(FUSION_METHODS)}")
        if not components:
            raise ScreenerError("a fusion ranker needs at least one component ranker")
        self.components = list(components)
        self.method = method
        self.weights = weights
        self.k = k
        self.random_state = random_state
        self.features = "concat"

    def fit(self, X, y):
        y = check_labels(y, X.n_rows)
        for c in self.components:
            c.fit(X, y)
        self.classes_ = np.array([0, 1])
        return self

    def scores(self, X):
        if not hasattr(self, "classes_"):
            raise ScreenerError("the ranker must be fitted on labelled records before it can score")
        return fuse_scores([c.scores(X) for c in self.components], self.method, self.weights, self.k)

    def margins(self, X):
        # Each component's distance to its own boundary, on a common scale, averaged.
        ms = []
        for c in self.components:
            m = c.margins(X)
            sd = m.std()
            ms.append(m / sd if sd > 0 else m)
        return np.mean(ms, axis=0)

    def term_weights(self):
        for c in self.components:
            w = c.term_weights()
            if w is not None:
                return w
        return None

    def get_params(self):
        return {"components": self.components, "method": self.method, "weights": self.weights,
                "k": self.k, "random_state": self.random_state}


class LearnedFusionRanker(FusionRanker):
    """Z-score fusion whose weights come from the review's own labels.

    At each fit, every component is cross-validated on the labelled records (stratified
    ``folds``-fold): its out-of-fold AUC says how well it separates the labelled includes from
    the labelled excludes. Those excludes are mostly the ones the ranking put near the top, so
    this is the task that matters: telling includes from the records that look like them. The
    AUC is shrunk towards ``prior_auc`` with the weight of ``prior_pairs`` include/exclude
    pairs, so with few labels the components weigh about the same, and each component's
    weight is its shrunk AUC's odds, ``auc / (1 - auc)``: a component that errs half as often
    counts about twice as much. Which signal to trust, and when, is thus read from the labels,
    not fixed in advance (lexical words win some reviews, the sentence embeddings others).
    ``weight_power`` p > 1 raises the odds to p, so a component that clearly separates better
    takes over rather than being averaged with a weaker one.

    ``auc_from`` says where the AUCs come from. "cv": the cross-validation above. "prequential":
    each model as it stood at a grid point of the labelling history (``weight_rows``), trained on
    the labels up to there, scored on the records labelled next, up to the following grid point,
    pooled over the history: how well it would have ranked the records the screening actually
    reached, before their labels were known, which is the job it is trusted with (the held-out
    records of cross-validation are mostly the easy early ones). One fit per model per grid point,
    where cross-validation takes ``folds``. "both": the two pooled, pair for pair.

    ``select_pairs`` > 0: the fusion itself is cross-validated too (its fold scores: each
    component's, standardised within the fold, weighted as above), and once the out-of-fold AUCs
    rest on at least that many include/exclude pairs, a component that alone separates the held-out
    records better than the fusion ranks alone (the others' weights 0): fusing is then kept only
    where the labels say it helps.

    ``method``: how the weighted scores are fused, "zscore" (standardised scores) or "rankz" (the
    normal scores of their ranks; ``fuse_scores``).

    ``lean_share`` s > 0: the first component's head start grows with the share of includes among
    the labels the weights are learnt from, x (1 + s x share). Where includes are many among the
    labels (a small or high-prevalence review), the records left are mostly on-topic excludes and an
    include or two unlike the others, which an embedding model's topic likeness ranks low and the
    words can still find; in a low-prevalence review the share soon falls and the weights are as
    without it.

    ``spread_cap`` c > 0 (z-score fusion only): among the records not yet screened, a component whose
    cross-validated AUC is below the best one's has its z-scores narrowed, where they spread wider
    there, to at most c x the best one's spread (standard deviation over those records). The z-scores
    are set over every row, labelled ones included; the better model, fitted on its includes, puts
    them far out, so its scores of the records left are nearly flat, and the weaker model, by its
    wider spread there, orders them, whatever the weights say. ``cap_lead`` > 0: only where the
    better model's weight is at least that many times the other's.

    ``left_scale_from`` n > 0: once the labels the fit sees hold at least n includes, and includes are
    at least ``left_scale_share`` of them, each model's z-scores are taken over the records not yet
    screened (their mean and standard deviation there), not over every record. The cross-validated
    weights then decide the order of the records left: over every record, a model fitted on its
    includes (the SVM) puts them far out, its scores of the records left are nearly flat, and the
    other model orders them whatever the weights say. With few includes, or few among the labels (a
    low-prevalence review), the flat scale stays: the weights rest on too few includes to be trusted.
    """

    def __init__(self, components, folds: int = 3, prior_auc: float = 0.75, prior_pairs: float = 20.0,
                 reweight_growth: float = 0.0, prior_lean: float = 1.0, weight_power: float = 1.0,
                 select_pairs: float = 0.0, auc_from: str = "cv", method: str = "zscore", lean_share: float = 0.0,
                 spread_cap: float = 0.0, cap_lead: float = 0.0, left_scale_from: int = 0,
                 left_scale_share: float = 0.0, random_state: int = 0):
        super().__init__(components, method=method, random_state=random_state)
        if auc_from not in AUC_SOURCES:
            raise ScreenerError(f"unknown AUC source {auc_from!r}; choose one of: {', '.join(AUC_SOURCES)}")
        if select_pairs > 0 and auc_from != "cv":
            raise ScreenerError("select_pairs compares cross-validated AUCs: it needs auc_from='cv'")
        self.auc_from = auc_from
        self.folds = int(folds)
        self.prior_auc = float(prior_auc)
        self.prior_pairs = float(prior_pairs)
        self.reweight_growth = float(reweight_growth)
        self.prior_lean = float(prior_lean)
        self.weight_power = float(weight_power)
        self.select_pairs = float(select_pairs)
        self.lean_share = float(lean_share)
        if spread_cap > 0 and method != "zscore":
            raise ScreenerError("spread_cap narrows z-scores: it needs method='zscore'")
        self.spread_cap = float(spread_cap)
        self.cap_lead = float(cap_lead)
        if left_scale_from > 0 and method != "zscore":
            raise ScreenerError("left_scale_from sets the scale of z-scores: it needs method='zscore'")
        self.left_scale_from = int(left_scale_from)
        self.left_scale_share = float(left_scale_share)

    def fit(self, X, y):
        y = check_labels(y, X.n_rows)
        m = weight_rows(len(y), self.reweight_growth)
        self.weight_rows_ = m
        self.include_share_ = float(np.mean(y[:m])) if m else 0.0
        n = len(self.components)
        cv = self._cv_auc_cached(X, y, m) if self.auc_from != "prequential" else []
        if self.auc_from == "cv":
            self.cv_auc_ = cv[:n]
        else:
            preq = self._preq_auc(X, y, m)
            self.cv_auc_ = preq if self.auc_from == "prequential" else [_pooled(a, b) for a, b in zip(cv[:n], preq)]
        w = self._weights(self.cv_auc_)
        self.selected_ = None
        if self.select_pairs > 0 and len(cv) > n:
            fused, pairs = cv[n]
            best = int(np.argmax([a for a, _ in self.cv_auc_]))
            if pairs >= self.select_pairs and self.cv_auc_[best][0] > fused:
                w = np.zeros(n)
                w[best] = 1.0
                self.selected_ = best
        self.weights = w.tolist()
        self.fit_rows_ = X.rows_of() if hasattr(X, "rows_of") else (None, None)
        self.left_scale_ = (self.left_scale_from > 0 and int(np.sum(y)) >= self.left_scale_from
                            and float(np.mean(y)) >= self.left_scale_share)
        return super().fit(X, y)

    def scores(self, X):
        left_scale = getattr(self, "left_scale_", False)  # a ranker stored before the setting has none
        if self.spread_cap <= 0 and not left_scale:
            return super().scores(X)
        if not hasattr(self, "classes_"):
            raise ScreenerError("the ranker must be fitted on labelled records before it can score")
        each = [c.scores(X) for c in self.components]
        left = self._unscreened(X)
        if left_scale and left is not None and int(left.sum()) >= 2:
            z = [_zscore(s, left) for s in each]
        elif self.spread_cap > 0:
            z = [_zscore(s) for s in each]
            if left is not None and int(left.sum()) >= 2:
                z = _cap_spread(z, left, [a for a, _ in self.cv_auc_], self.weights, self.spread_cap, self.cap_lead)
        else:
            z = [_zscore(s) for s in each]
        return np.sum([w * s for w, s in zip(self.weights, z)], axis=0)

    def _unscreened(self, X):
        """The rows of ``X`` the fit did not see (a boolean mask), where both are rows of one matrix
        (``FeatureMatrix.rows_of``); None where that cannot be told."""
        origin, fitted = getattr(self, "fit_rows_", (None, None))
        here, rows = X.rows_of() if hasattr(X, "rows_of") else (None, None)
        if origin is None or fitted is None or here != origin:
            return None
        rows = np.arange(X.n_rows) if rows is None else rows
        return ~np.isin(rows, fitted)

    def _weights(self, cv_auc) -> np.ndarray:
        """Each component's weight from its (out-of-fold AUC, pairs)."""
        shrunk = [(a * p + self.prior_auc * self.prior_pairs) / (p + self.prior_pairs) for a, p in cv_auc]
        shrunk = np.clip(shrunk, 0.5, 0.999)
        w = (shrunk / (1.0 - shrunk)) ** self.weight_power
        # the first component's head start (the lexical model's, by convention), x (1 + lean_share x the
        # share of includes among the labels the weights are learnt from)
        w[0] *= self.prior_lean * (1.0 + self.lean_share * getattr(self, "include_share_", 0.0))
        return w

    def _cv_auc_cached(self, X, y, m: int) -> list[tuple[float, float]]:
        """The cross-validated AUCs on the first ``m`` labelled records, computed once per
        distinct prefix: refits between two points of the weight grid reuse them."""
        ym = y if m >= len(y) else y[:m]
        if int(ym.sum()) in (0, len(ym)):  # the prefix holds one class only: nothing to cross-validate
            return [(0.5, 0.0)] * len(self.components)
        key = (self._params_key(), m, _fingerprint(X, ym))
        hit = _CV_MEMO.get(key)
        if hit is None:
            hit = self._cv_auc(X if m >= len(y) else X[np.arange(m)], ym)
            _CV_MEMO[key] = hit
            while len(_CV_MEMO) > 64:
                _CV_MEMO.pop(next(iter(_CV_MEMO)))
        return list(hit)

    def _preq_auc(self, X, y, m: int) -> list[tuple[float, float]]:
        """(prequential AUC, include/exclude pairs it rests on) per component, over the grid
        points up to ``m``; each stretch between two grid points is scored once (memo)."""
        points = weight_grid(m, self.reweight_growth if self.reweight_growth > 0 else PREQUENTIAL_GROWTH)
        hits, pairs = np.zeros(len(self.components)), np.zeros(len(self.components))
        key0 = repr((self.random_state, [c.settings() for c in self.components]))
        for a, b in zip(points, points[1:]):
            yt = y[a:b]
            if int(yt.sum()) in (0, len(yt)) or int(y[:a].sum()) in (0, a):
                continue  # no include/exclude pair to score, or no model to score it with
            key = (key0, a, b, _fingerprint(X, y[:b]))
            hit = _PREQ_MEMO.get(key)
            if hit is None:
                X_tr, X_te = X[np.arange(a)], X[np.arange(a, b)]
                hit = [_pair_hits(_fresh_copy(c).fit(X_tr, y[:a]).scores(X_te), yt) for c in self.components]
                _PREQ_MEMO[key] = hit
                while len(_PREQ_MEMO) > 512:
                    _PREQ_MEMO.pop(next(iter(_PREQ_MEMO)))
            for i, (h, p) in enumerate(hit):
                hits[i] += h
                pairs[i] += p
        return [(float(h / p) if p else 0.5, float(p)) for h, p in zip(hits, pairs)]

    def _params_key(self) -> str:
        fused = ((self.prior_auc, self.prior_pairs, self.weight_power, self.prior_lean, self.method, self.lean_share)
                 if self.select_pairs > 0
                 else ())  # the fusion's own fold AUC depends on how the weights are made
        return repr((self.folds, self.random_state, [c.settings() for c in self.components], *fused))

    def _cv_auc(self, X, y) -> list[tuple[float, float]]:
        """(out-of-fold AUC, include/exclude pairs it rests on) per component; (0.5, 0) when the
        labels are too few to hold any out."""
        from sklearn.model_selection import StratifiedKFold

        n_inc = int(y.sum())
        k = min(self.folds, n_inc, len(y) - n_inc)
        if k < 2:
            return [(0.5, 0.0)] * len(self.components)
        splits = list(StratifiedKFold(k, shuffle=True, random_state=self.random_state).split(np.zeros(len(y)), y))
        folds = [(X[tr], X[te]) for tr, te in splits]  # taken once, read by every component
        out, held_out = [], []
        for comp in self.components:
            hits = pairs = 0.0
            fold_scores = []
            for (tr, te), (X_tr, X_te) in zip(splits, folds):
                m = _fresh_copy(comp).fit(X_tr, y[tr])
                s = m.scores(X_te)
                fold_scores.append(s)
                h, p = _pair_hits(s, y[te])
                hits += h
                pairs += p
            out.append((hits / pairs if pairs else 0.5, pairs))
            held_out.append(fold_scores)
        if self.select_pairs > 0:  # the fusion's own out-of-fold AUC, with the weights these AUCs give
            w = self._weights(out)
            hits = pairs = 0.0
            for f, (_, te) in enumerate(splits):
                fused = fuse_scores([held_out[c][f] for c in range(len(self.components))], self.method, w)
                h, p = _pair_hits(fused, y[te])
                hits += h
                pairs += p
            out.append((hits / pairs if pairs else 0.5, pairs))
        return out

    def get_params(self):
        return {"components": self.components, "folds": self.folds, "prior_auc": self.prior_auc,
                "prior_pairs": self.prior_pairs, "reweight_growth": self.reweight_growth,
                "prior_lean": self.prior_lean, "weight_power": self.weight_power,
                "select_pairs": self.select_pairs, "auc_from": self.auc_from, "method": self.method,
                # only when set: the settings stored with the rankings of every fusion without it are unchanged
                **({"lean_share": self.lean_share} if self.lean_share else {}),
                **({"spread_cap": self.spread_cap} if self.spread_cap else {}),
                **({"cap_lead": self.cap_lead} if self.cap_lead else {}),
                **({"left_scale_from": self.left_scale_from} if self.left_scale_from else {}),
                **({"left_scale_share": self.left_scale_share} if self.left_scale_share else {}),
                "random_state": self.random_state}


def _zscore(s, rows=None) -> np.ndarray:
    """Standardised scores, as "zscore" fusion adds them (zeros where all are equal); ``rows``: the
    mean and standard deviation taken over those rows only (a boolean mask)."""
    s = np.asarray(s, dtype=np.float64).ravel()
    ref = s if rows is None else s[rows]
    sd = ref.std()
    return (s - ref.mean()) / sd if sd > 0 else np.zeros_like(s)


def _cap_spread(z, left, auc, weights, cap: float, lead: float):
    """``LearnedFusionRanker.spread_cap``: each component with a lower AUC than the best one, whose
    z-scores spread wider over the rows ``left`` than cap x the best one's, narrowed to that."""
    best = int(np.argmax(auc))
    top = z[best][left].std()
    out = list(z)
    for i, zi in enumerate(z):
        if auc[i] >= auc[best] or top <= 0 or (lead > 0 and weights[best] < lead * weights[i]):
            continue
        sd = zi[left].std()
        if sd > cap * top:
            out[i] = zi * (cap * top / sd)
    return out


def _pooled(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Two (AUC, pairs) estimates as one, pair for pair."""
    pairs = a[1] + b[1]
    return ((a[0] * a[1] + b[0] * b[1]) / pairs if pairs else 0.5), pairs


def _pair_hits(s: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(include/exclude pairs ranked the right way round, ties half, pairs): an AUC's parts."""
    si, se = s[y == 1], s[y == 0]
    d = si[:, None] - se[None, :]
    return float(np.sum(d > 0) + 0.5 * np.sum(d == 0)), float(d.size)


_PLAIN = (bool, int, float, str, type(None), np.integer, np.floating)


def _fresh_copy(comp):
    """A copy of ``comp`` to fit on a fold. A shallow copy where ``comp`` holds only plain
    settings (a linear model before its fit: what a fit sets, it sets on the copy); a deep copy
    otherwise (a fitted model, or one holding other models, as a fusion of fusions would)."""
    import copy

    if all(isinstance(v, _PLAIN) for v in vars(comp).values()):
        return copy.copy(comp)
    return copy.deepcopy(comp)


#: (settings, prefix length, fingerprint of the prefix) -> cross-validated AUCs, newest last.
_CV_MEMO: dict = {}
#: (settings, grid point, next grid point, fingerprint up to it) -> each component's pair hits there.
_PREQ_MEMO: dict = {}
#: Where the AUCs that weigh the components come from (``LearnedFusionRanker``).
AUC_SOURCES = ("cv", "prequential", "both")
#: The grid of a prequential fusion that does not learn its weights on one (``reweight_growth`` 0).
PREQUENTIAL_GROWTH = 0.25


def weight_grid(n: int, growth: float, start: int = 10) -> list[int]:
    """The points of ``weight_rows``'s grid at or below ``n`` (none below ``start``)."""
    out, g = [], start
    while g <= n:
        out.append(int(g))
        g = max(g + 1, int(np.ceil(g * (1.0 + growth))))
    return out


def weight_rows(n: int, growth: float, start: int = 10) -> int:
    """How many of the first labelled records the fusion weights are learnt from.

    ``growth`` 0: all ``n``. Otherwise a point of the grid start, start*(1+growth), ... (rounded
    up, at least one apart) at or below ``n``; below ``start`` all ``n``. The weights are then a
    function of the labelling history alone (a fresh process and a long session agree), and
    cross-validation runs once per grid point instead of at every refit."""
    if growth <= 0 or n <= start:
        return int(n)
    g = start
    while True:
        nxt = max(g + 1, int(np.ceil(g * (1.0 + growth))))
        if nxt > n:
            return int(g)
        g = nxt


def _fingerprint(X, y) -> str:
    """A digest of the labels and the first ``len(y)`` rows of ``X`` they belong to (which
    records, in which order). Rows taken from a whole matrix are named by where they came from
    (``FeatureMatrix.rows_of``): the same rows of the same matrix are the same numbers, and
    hashing a few hundred row numbers is much cheaper than hashing their TF-IDF values at every
    refit. Other matrices are hashed by content, a CSR prefix read in place, not copied out."""
    import hashlib

    m = len(y)
    h = hashlib.blake2b(np.ascontiguousarray(y).tobytes(), digest_size=16)
    origin, rows = X.rows_of() if hasattr(X, "rows_of") else (None, None)
    if rows is not None:
        h.update(b"rows of " + origin.encode())
        h.update(np.ascontiguousarray(rows[:m], dtype=np.int64).tobytes())
        return h.hexdigest()
    h.update(b"content")
    if X.sparse is not None:
        S = X.sparse
        end = int(S.indptr[m])
        h.update(np.ascontiguousarray(S.indptr[:m + 1] - S.indptr[0]).tobytes())
        h.update(np.ascontiguousarray(S.indices[S.indptr[0]:end]).tobytes())
        h.update(np.ascontiguousarray(S.data[S.indptr[0]:end]).tobytes())
    if X.dense is not None:
        h.update(np.ascontiguousarray(X.dense[:m, :8]).tobytes())
    return h.hexdigest()
