"""Which record the reviewer sees next: ranker + query strategy + retraining schedule + protocol.

``Prioritizer.rank`` is the one entry point: given the features, the labels so far and
(optionally) the protocol's scores, it returns the unlabelled records best first. It is
deterministic for a seed, and ``settings()`` says exactly how the ranking was made, so a project
can store it next to the ranking.

Phases, in the order a review goes through them:

* no labels, no protocol: seeded random order (nothing else is honest);
* no include labelled yet: order by protocol similarity (cold start);
* includes but no excludes: similarity to the labelled includes (+ protocol);
* both: the ranker, fitted on the labels (+ the protocol as one pseudo-include), fused with the
  protocol scores at a weight that shrinks as includes are found and as the protocol proves
  less useful on the records already labelled.
"""

from __future__ import annotations

import weakref
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp

from screener.errors import ScreenerError

STRATEGIES = ("max", "uncertainty", "mixed", "random")
PHASES = ("random", "protocol", "similarity", "model")


@dataclass(frozen=True)
class RetrainSchedule:
    """When to refit the ranker.

    After every decision while fewer than ``every_until`` records are labelled (early labels
    change the model most); after that, once ``growth`` x labelled new decisions have come in
    (at least one), so a 20,000-record review does not refit 20,000 times.
    """

    every_until: int = 100
    growth: float = 0.05
    #: Also refit as soon as a new include is labelled, whatever the growth says: an include
    #: moves the model most, a run of excludes little (with few includes each one matters).
    after_include: bool = False
    #: ... but only while at most this many includes are labelled (0: always). Once a review has
    #: many includes, one more moves the model little, and in a review where a fifth of the
    #: records are includes, a refit after each would be most of the screening time.
    after_include_until: int = 0

    def due(self, n_labelled: int, n_new_since_fit: int, n_new_includes: int = 0, n_includes: int = 0) -> bool:
        if n_new_since_fit <= 0:
            return False
        if n_labelled < self.every_until:
            return True
        if self.after_include and n_new_includes > 0 and (
                self.after_include_until <= 0 or n_includes <= self.after_include_until):
            return True
        return n_new_since_fit >= max(1, int(n_labelled * self.growth))

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Ranking:
    """The unlabelled records, best first.

    ``order``: record row indices (into the FeatureMatrix); ``scores``: the score of each, in
    the same order (higher = more likely include, except under "random" where it is still the
    model's score); ``phase``: which of ``PHASES`` produced it; ``refitted``: whether the ranker
    was refitted for this ranking; ``settings``: how it was made (JSON-serialisable).
    """

    order: np.ndarray
    scores: np.ndarray
    phase: str
    refitted: bool
    n_labelled: int
    n_includes: int
    protocol_weight: float
    settings: dict = field(default_factory=dict)
    #: "mixed": per position, whether that record was picked for the model's uncertainty or at
    #: random rather than as the likeliest include left (None under the other strategies). Such a
    #: pick is no ranking's best: what it turns out to be says nothing of what the ranking left.
    off_likelihood: np.ndarray | None = None
    #: "mixed": its picks were drawn again without a refit (a record an undo brought back was not in the
    #: queue held since the refit, or records were added): the queue shown is not the one stored, so it
    #: must be stored too, or the recall estimate reads other picks than the ones screened
    redrawn: bool = False

    def top(self, n: int = 1) -> np.ndarray:
        return self.order[:n]

    def __len__(self) -> int:
        return len(self.order)


def content_keys(texts) -> np.ndarray:
    """A stable key (uint64) per text: the first 8 bytes of its BLAKE2b hash.

    Given to ``Prioritizer.rank`` as ``row_keys`` (or to ``query_order`` as ``keys``), records
    with equal scores, and the random order before the first include, follow the records' content
    and the seed, not their row order: rows follow the record ids, which follow the order the
    exports were imported in."""
    import hashlib

    return np.fromiter((int.from_bytes(hashlib.blake2b(("" if t is None else str(t)).encode("utf-8", "surrogatepass"),
                                                       digest_size=8).digest(), "little") for t in texts),
                       dtype=np.uint64)


_M64 = (1 << 64) - 1


def _salted(keys, *salt) -> np.ndarray:
    """``keys`` mixed with ``salt`` (seed, step) through splitmix64: a seeded pseudo-random
    number per key, the same for the same key whatever its position."""
    z = np.array(keys, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for s in salt:
            z ^= np.uint64(int(s) & _M64)
            z += np.uint64(0x9E3779B97F4A7C15)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z ^= z >> np.uint64(31)
    return z


def query_order(scores: np.ndarray, strategy: str = "max", random_state: int = 0, *,
                margins: np.ndarray | None = None, tiebreak: np.ndarray | None = None,
                mix: tuple[float, float, float] = (0.8, 0.1, 0.1), step: int = 0,
                keys: np.ndarray | None = None) -> np.ndarray:
    """Positions into ``scores`` in the order to screen them (``query_picks`` also says, under
    "mixed", which positions were not picked as the likeliest include left)."""
    return query_picks(scores, strategy, random_state, margins=margins, tiebreak=tiebreak, mix=mix, step=step,
                       keys=keys)[0]


def query_picks(scores: np.ndarray, strategy: str = "max", random_state: int = 0, *,
                margins: np.ndarray | None = None, tiebreak: np.ndarray | None = None,
                mix: tuple[float, float, float] = (0.8, 0.1, 0.1), step: int = 0,
                keys: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """(positions into ``scores`` in the order to screen them, per position of that order whether
    "mixed" picked it for the model's uncertainty or at random and not as the likeliest include
    left; None under the other strategies).

    "max": most likely include first (ties broken by ``tiebreak``, a fixed seeded order).
    "uncertainty": smallest ``margins`` first (the model is least sure).
    "mixed": at each position, with probabilities ``mix`` = (max, uncertainty, random), the next
    record from that list; seeded by ``random_state`` and ``step`` (e.g. the number labelled) so
    the same labels give the same order. Its random picks are no random sample for the recall
    bounds: each passes over the records picked before it, and none is logged as sampled (the
    sample is ``screener next --sample``'s); nor are its uncertain ones the ranking's best.
    "random": a seeded shuffle.

    ``keys``: a content key per position (``content_keys``); the tie-break and the random
    orders are then drawn from each record's key and the seed (equal keys in position order), so
    the same records in another order are put in the same order. Without: from the positions.
    """
    scores = np.asarray(scores, dtype=np.float64)
    n = len(scores)
    if keys is not None:
        keys = np.asarray(keys, dtype=np.uint64)
        if len(keys) != n:
            raise ScreenerError(f"{len(keys)} record keys given for {n} records")
        if tiebreak is None:
            tiebreak = _salted(keys, random_state)
    if tiebreak is None:
        tiebreak = np.random.default_rng(random_state).permutation(n)
    if strategy not in STRATEGIES:
        raise ScreenerError(f"unknown query strategy {strategy!r}; choose one of: {', '.join(STRATEGIES)}")
    # by score, ties in the fixed seeded order: laid out in tie-break order first, then one stable
    # sort by score (the same order as np.lexsort((tiebreak, -scores)), a few times faster)
    by_tie = np.argsort(tiebreak, kind="stable")
    by_max = by_tie[np.argsort(-scores[by_tie], kind="stable")]
    if strategy == "max":
        return by_max, None
    if strategy == "random":
        if keys is not None:
            return np.argsort(_salted(keys, random_state, step), kind="stable"), None
        return np.random.default_rng([int(random_state), int(step)]).permutation(n), None
    if margins is None:
        raise ValueError("uncertainty sampling needs the model's margins")
    by_unc = by_tie[np.argsort(np.asarray(margins, dtype=np.float64)[by_tie], kind="stable")]
    if strategy == "uncertainty":
        return by_unc, None
    # mixed
    p = np.asarray(mix, dtype=np.float64)
    if p.shape != (3,) or (p < 0).any() or p.sum() <= 0:
        raise ScreenerError("mix must be three non-negative shares: (max, uncertainty, random)")
    p = p / p.sum()
    rng = np.random.default_rng([int(random_state), int(step), 7])
    by_rand = rng.permutation(n)
    if keys is not None:
        by_rand = np.argsort(_salted(keys, random_state, step, 7), kind="stable")
    head = min(n, 1000)  # only the front of the queue is ever shown before the next rerank
    choice = rng.choice(3, size=head, p=p)
    lists = (by_max, by_unc, by_rand)
    ptr = [0, 0, 0]
    taken = np.zeros(n, dtype=bool)
    out = []
    off = np.zeros(n, dtype=bool)
    for k, c in enumerate(choice):
        lst = lists[c]
        while taken[lst[ptr[c]]]:
            ptr[c] += 1
        j = lst[ptr[c]]
        if c:  # an uncertain or random pick, unless it is the likeliest include left all the same
            while taken[by_max[ptr[0]]]:
                ptr[0] += 1
            off[k] = j != by_max[ptr[0]]
        taken[j] = True
        out.append(j)
    rest = by_max[~taken[by_max]]
    return np.concatenate([np.asarray(out, dtype=np.int64), rest]).astype(np.int64), off


class Prioritizer:
    """Ranks the unlabelled records; keeps the fitted ranker between calls for the schedule.

    ``ranker``: a registry name (see ``screener.rankers.RANKERS``) or a Ranker instance.
    ``strategy``: one of ``STRATEGIES``. ``schedule``: a ``RetrainSchedule``.
    ``protocol_weight``: weight of the (standardised) protocol scores added to the
    (standardised) model scores; it halves every ``protocol_halflife`` includes found.
    ``protocol_pseudo``: also add the protocol text as one extra include when fitting.
    ``protocol_gate``: also scale the protocol's weight by how well it separates the labelled
    includes from the labelled excludes (a shrunk AUC).

    The defaults (weight 1, half-life 20 includes, no pseudo-include, no gate) came from
    simulations on six low-prevalence shared datasets with the review title as protocol, with
    and without one prior include + exclude: the slow decay raised mean WSS@95 by about 0.03
    over dropping the protocol once an include is found; a 5-include half-life, the gate and
    the pseudo-include each did no better. The gate misjudges because the labelled records
    are the protocol's own top picks, so the protocol looks weak among them.
    """

    def __init__(self, ranker="logreg-tfidf", strategy: str = "max", random_state: int = 0,
                 schedule: RetrainSchedule | None = None, protocol_weight: float = 1.0,
                 protocol_halflife: float = 20.0, protocol_pseudo: bool = False,
                 protocol_gate: bool = False, mix: tuple[float, float, float] = (0.8, 0.1, 0.1)):
        if strategy not in STRATEGIES:
            raise ScreenerError(f"unknown query strategy {strategy!r}; choose one of: {', '.join(STRATEGIES)}")
        self.ranker = ranker
        self.strategy = strategy
        self.random_state = int(random_state)
        if schedule is None:
            from screener.rankers import ranker_schedule

            schedule = RetrainSchedule(**ranker_schedule(ranker))  # the ranker's own, if it has one
        self.schedule = schedule
        self.protocol_weight = float(protocol_weight)
        self.protocol_halflife = float(protocol_halflife)
        self.protocol_pseudo = bool(protocol_pseudo)
        self.protocol_gate = bool(protocol_gate)
        self.mix = tuple(mix)
        self.ranker_ = None
        self._fit_labels: tuple[np.ndarray, np.ndarray] | None = None  # (rows, labels) at the last fit
        self.labelled_idx_ = np.zeros(0, dtype=np.int64)
        self.labels_ = np.zeros(0, dtype=np.int64)
        self.last_ranking_: Ranking | None = None
        self._score_cache = None  # (ranker, weak ref to X, scores, margins) of the last scoring
        self._settings_memo: dict | None = None
        self._tiebreak_memo = None  # ((seed, rows), permutation)
        self._last_key = None  # (ranker, features, rows) the last model ranking was made with
        # the last model ranking made in full (at a refit): the queue held until the next one is it, less
        # the records decided, so a record an undo brings back returns to its place, its pick as it was
        self._held_from: Ranking | None = None

    # ------------------------------------------------------------------------------------
    def settings(self) -> dict:
        """How rankings are made; JSON-serialisable, stored with each ranking."""
        from screener.rankers import make_ranker

        r = self.ranker if not isinstance(self.ranker, str) else make_ranker(self.ranker, self.random_state)
        return {
            "ranker": self.ranker if isinstance(self.ranker, str) else type(self.ranker).__name__,
            "ranker_settings": r.settings(),
            "strategy": self.strategy,
            "random_state": self.random_state,
            "schedule": self.schedule.to_dict(),
            "protocol_weight": self.protocol_weight,
            "protocol_halflife": self.protocol_halflife,
            "protocol_pseudo": self.protocol_pseudo,
            "protocol_gate": self.protocol_gate,
            "mix": list(self.mix),
        }

    def _settings(self) -> dict:
        """``settings()``, built once: it names a fresh ranker, too slow to do at every step."""
        if self._settings_memo is None:
            self._settings_memo = self.settings()
        return self._settings_memo

    def _new_ranker(self):
        import copy

        from screener.rankers import make_ranker

        if isinstance(self.ranker, str):
            return make_ranker(self.ranker, self.random_state)
        return copy.deepcopy(self.ranker)

    def fitted_on(self, labelled_idx, labels) -> bool:
        """Whether the last fit was on exactly these labelled rows and labels."""
        if self._fit_labels is None:
            return False
        fit_idx, fit_y = self._fit_labels
        return bool(np.array_equal(fit_idx, labelled_idx) and np.array_equal(fit_y, labels))

    def _new_since_fit(self, labelled_idx, labels) -> tuple[int, int]:
        """(decisions new or changed since the last fit, how many of them are includes)."""
        if self._fit_labels is None:
            return len(labelled_idx), int(np.sum(labels))
        fit_idx, fit_y = self._fit_labels
        n = max(int(fit_idx.max(initial=-1)), int(labelled_idx.max(initial=-1))) + 1
        before = np.full(n, -1, dtype=np.int64)
        before[fit_idx] = fit_y
        changed = before[labelled_idx] != labels
        return int(changed.sum()) + max(0, len(fit_idx) - len(labelled_idx)), int(labels[changed].sum())

    # ------------------------------------------------------------------------------------
    def rank(self, X, labelled_idx, labels, protocol_scores=None, protocol_row=None, *,
             refit: bool | None = None, row_keys=None) -> Ranking:
        """The unlabelled records of ``X``, best first.

        ``labelled_idx``: row indices already decided; ``labels``: 1 include / 0 exclude for
        each. ``protocol_scores``: one score per row of ``X`` (``screener.protocol
        .protocol_scores``) or None. ``protocol_row``: the protocol as a 1-row FeatureMatrix
        (``X.transform_text([protocol.text()])``), used as a pseudo-include when fitting.
        ``refit``: True forces a refit, False reuses the last fitted ranker, None follows the
        schedule. ``row_keys``: a content key per row of ``X`` (``content_keys``), or a function
        giving the keys of some rows (read only for the rows that need one: tied scores, or all
        in a random order); records with equal scores, and the random order before the first
        include, then follow the records' content and the seed, not the row order (the order
        of import). Without, the row order decides, as in a replay of a dataset.
        """
        n = X.n_rows
        labelled_idx = np.asarray(labelled_idx, dtype=np.int64).ravel()
        labels = np.asarray(labels).ravel()
        if len(labelled_idx) != len(labels):
            raise ScreenerError(f"{len(labels)} labels given for {len(labelled_idx)} labelled records")
        if len(labelled_idx) and (labelled_idx.min() < 0 or labelled_idx.max() >= n):
            raise ScreenerError(f"a labelled record index is outside 0..{n - 1}")
        mask = np.ones(n, dtype=bool)
        mask[labelled_idx] = False
        unl = np.flatnonzero(mask)
        if len(unl) != n - len(labelled_idx):
            raise ScreenerError("a record is labelled twice; give each record's latest decision once")
        if not ((labels == 0) | (labels == 1)).all():
            raise ScreenerError("labels must be 1 (include) or 0 (exclude)")
        labels = labels.astype(np.int64)
        if protocol_scores is not None:
            protocol_scores = np.asarray(protocol_scores, dtype=np.float64).ravel()
            if len(protocol_scores) != n:
                raise ScreenerError(f"{len(protocol_scores)} protocol scores given for {n} records")
        self.labelled_idx_ = labelled_idx
        self.labels_ = labels

        n_inc = int(labels.sum())
        n_exc = len(labels) - n_inc
        refitted = False
        margins = None
        w = 0.0

        if n_inc == 0:
            if protocol_scores is None:
                phase = "random"
                scores = np.zeros(len(unl))
            else:
                phase = "protocol"
                scores = protocol_scores[unl]
            strategy = "random" if phase == "random" else self.strategy
            if strategy in ("uncertainty", "mixed"):
                strategy = "max"  # no model yet: nothing to be uncertain about
        elif n_exc == 0:
            phase = "similarity"
            scores = _centroid_similarity(X, labelled_idx[labels == 1], unl)
            w = self._protocol_weight(n_inc, protocol_scores, labelled_idx, labels)
            if protocol_scores is not None and w > 0:
                scores = _zfuse(scores, protocol_scores[unl], w)
            strategy = "max" if self.strategy in ("uncertainty", "mixed") else self.strategy
        else:
            phase = "model"
            due = self.schedule.due(len(labelled_idx), *self._new_since_fit(labelled_idx, labels), n_includes=n_inc)
            if refit or self.ranker_ is None or (refit is None and due):
                self._fit(X, labelled_idx, labels, protocol_row)
                refitted = True
            # Scoring every row and then picking is cheaper than copying the unlabelled rows out;
            # between refits the model is the same, so are its scores: they are kept.
            last = self._held_from
            # "mixed" keeps its queue until the next refit too, protocol or not: drawn again at
            # every decision, its picks were not the ones of the queue stored at the refit, which the
            # recall estimate reads (``screener.status.ranking_provenance``): a likeliest-include pick
            # of the queue shown was read as an uncertain or random one of the stored queue, and the
            # other way round
            held = self.strategy == "mixed" or (self.strategy == "max" and protocol_scores is None)
            if (not refitted and held and last is not None and last.phase == "model"
                    and self._same_model_as_last(X)):
                # The same model, so the same scores: the order of the records still unlabelled
                # is the last order without the ones decided since (the order by score, ties by
                # the fixed seeded tie-break, is one total order over all records).
                keep = mask[last.order]
                if int(keep.sum()) == len(unl):
                    ranking = Ranking(order=last.order[keep], scores=last.scores[keep], phase=phase, refitted=False,
                                      n_labelled=len(labelled_idx), n_includes=n_inc,
                                      protocol_weight=last.protocol_weight, settings=self._settings(),
                                      off_likelihood=None if last.off_likelihood is None else last.off_likelihood[keep])
                    self.last_ranking_ = ranking
                    return ranking
            all_scores, all_margins = self._model_scores(X, margins=self.strategy in ("uncertainty", "mixed"))
            scores = all_scores[unl]
            if all_margins is not None:
                margins = all_margins[unl]
            w = self._protocol_weight(n_inc, protocol_scores, labelled_idx, labels)
            if protocol_scores is not None and w > 0:
                scores = _zfuse(scores, protocol_scores[unl], w)
            strategy = self.strategy
        if row_keys is None:
            keys, tiebreak = None, self._tiebreak(n)[unl]
        elif strategy == "random":  # every row's key, the screened ones' too: each copy's place is kept
            keys, tiebreak = _copies_apart(_keys_needed(row_keys, n, np.arange(n), None, None, strategy))[unl], None
        else:
            keys, tiebreak = _keys_needed(row_keys, n, unl, scores, margins, strategy), None
        # the random start keeps one order, by each record's content key and the seed: drawn again at
        # every decision, the order shown was not the one stored (a ranking is stored when the phase
        # changes), so each batch after the first read as picked far below the top of the stored order
        # and its top as passed over ("screen them first"), and a keyword list excluded in one go could
        # not be told from the random order's batches (a replay, without keys, is as it always was)
        step = 0 if phase == "random" and keys is not None else len(labelled_idx)
        pos, off = query_picks(scores, strategy, self.random_state, margins=margins, tiebreak=tiebreak,
                               mix=self.mix, step=step, keys=keys)
        ranking = Ranking(order=unl[pos], scores=np.asarray(scores, dtype=np.float64)[pos], phase=phase,
                          refitted=refitted, n_labelled=len(labelled_idx), n_includes=n_inc,
                          protocol_weight=float(w), settings=self._settings(), off_likelihood=off,
                          redrawn=phase == "model" and strategy == "mixed" and not refitted)
        self.last_ranking_ = ranking
        self._last_key = (self.ranker_, weakref.ref(X), n, strategy) if phase == "model" else None
        self._held_from = ranking if phase == "model" else None
        return ranking

    def _same_model_as_last(self, X) -> bool:
        """Whether the last ranking came from this fitted ranker on these features, by score."""
        key = self._last_key
        return (key is not None and key[0] is self.ranker_ and key[1]() is X and key[2] == X.n_rows
                and key[3] == self.strategy)

    def _tiebreak(self, n: int) -> np.ndarray:
        """The fixed seeded order that breaks ties between equal scores, drawn once per size."""
        memo = self._tiebreak_memo
        if memo is None or memo[0] != (self.random_state, n):
            memo = self._tiebreak_memo = ((self.random_state, n), np.random.default_rng(self.random_state).permutation(n))
        return memo[1]

    # ------------------------------------------------------------------------------------
    def _model_scores(self, X, margins: bool = False):
        """The fitted ranker's scores (and margins) of every row of ``X``, computed once per fit."""
        import weakref

        cached = self._score_cache
        if (cached is None or cached[0] is not self.ranker_ or cached[1]() is not X
                or (margins and cached[3] is None)):
            s = self.ranker_.scores(X)
            m = self.ranker_.margins(X) if margins else None
            cached = (self.ranker_, weakref.ref(X), s, m)  # a weak reference: X is not kept alive
            self._score_cache = cached
        return cached[2], cached[3]

    def _fit(self, X, labelled_idx, labels, protocol_row):
        Xl = X[labelled_idx]
        y = labels
        if self.protocol_pseudo and protocol_row is not None:
            Xl = _vstack(Xl, protocol_row)
            y = np.concatenate([labels, [1]])
        ranker = self._new_ranker()
        ranker.fit(Xl, y)
        self.ranker_ = ranker
        self._fit_labels = (np.array(labelled_idx, dtype=np.int64), np.array(labels, dtype=np.int64))

    def _protocol_weight(self, n_inc, protocol_scores, labelled_idx, labels) -> float:
        """Protocol's weight in the fusion: decays with the includes found and with how badly it
        ranks the labelled includes above the labelled excludes (a shrunk AUC)."""
        if protocol_scores is None or self.protocol_weight <= 0:
            return 0.0
        decay = 0.5 ** (n_inc / self.protocol_halflife) if self.protocol_halflife > 0 else 1.0
        if not self.protocol_gate:
            return float(self.protocol_weight * decay)
        s = protocol_scores[labelled_idx]
        inc, exc = s[labels == 1], s[labels == 0]
        prior_auc, prior_pairs = 0.75, 4.0
        if len(inc) and len(exc):
            # Mann-Whitney AUC over the labelled pairs, shrunk towards a mildly useful prior.
            diff = inc[:, None] - exc[None, :] if len(inc) * len(exc) <= 4_000_000 else None
            if diff is not None:
                auc = (np.sum(diff > 0) + 0.5 * np.sum(diff == 0)) / diff.size
                pairs = diff.size
            else:
                from scipy.stats import mannwhitneyu

                auc = mannwhitneyu(inc, exc).statistic / (len(inc) * len(exc))
                pairs = len(inc) * len(exc)
            auc = (auc * pairs + prior_auc * prior_pairs) / (pairs + prior_pairs)
        else:
            auc = prior_auc
        helpful = float(np.clip(2 * auc - 1, 0.0, 1.0))
        return float(self.protocol_weight * decay * helpful)


def _tied(values) -> np.ndarray:
    """Which values are equal to another one."""
    v = np.asarray(values, dtype=np.float64)
    s = np.sort(v)
    same = s[1:] == s[:-1]
    return np.isin(v, s[1:][same]) if same.any() else np.zeros(len(v), dtype=bool)


def _keys_needed(row_keys, n, unl, scores, margins, strategy) -> np.ndarray:
    """The content keys of the unlabelled rows, read only where they order something: every row
    for a random order, else the rows whose score (or margin) ties with another's (0 elsewhere)."""
    if not callable(row_keys):
        all_keys = np.asarray(row_keys, dtype=np.uint64)
        if all_keys.shape != (n,):
            raise ScreenerError(f"{len(all_keys)} record keys given for {n} records")
        row_keys = all_keys.__getitem__
    if strategy in ("random", "mixed"):
        need = np.ones(len(unl), dtype=bool)
    else:
        need = _tied(scores)
        if margins is not None:
            need |= _tied(margins)
    keys = np.zeros(len(unl), dtype=np.uint64)
    if need.any():
        keys[need] = np.asarray(row_keys(unl[need]), dtype=np.uint64)
    return keys


def _copies_apart(keys: np.ndarray) -> np.ndarray:
    """The keys of every row with each exact copy's made its own: the k-th row (in row order) of a text
    that several rows share gets its key salted with k. Copies share a content key, so the random order
    put them one after another, all in the records screened first or none: a block, not a random sample
    (84 copies of one record came in at once or not at all), and the random start's recall interval reads
    those records as a uniform sample. Salted by their count among all rows, screened or not, each copy
    keeps its place as others are screened; which copy gets which place does not show, as they read alike."""
    keys = np.asarray(keys, dtype=np.uint64)
    by_key = np.argsort(keys, kind="stable")
    sk = keys[by_key]
    starts = np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
    occ = np.empty(len(keys), dtype=np.int64)
    occ[by_key] = np.arange(len(keys)) - np.repeat(starts, np.diff(np.append(starts, len(keys))))
    out = keys.copy()
    for k in np.unique(occ[occ > 0]):
        at = occ == k
        out[at] = _salted(keys[at], int(k))
    return out


def _zfuse(model_scores, protocol_scores, w):
    def z(s):
        s = np.asarray(s, dtype=np.float64)
        sd = s.std()
        return (s - s.mean()) / sd if sd > 0 else np.zeros_like(s)

    return z(model_scores) + w * z(protocol_scores)


def _centroid_similarity(X, inc_idx, rows):
    """Cosine to the mean of the labelled includes (embeddings if present, else TF-IDF)."""
    if X.dense is not None:
        c = X.dense[inc_idx].mean(axis=0)
        nrm = np.linalg.norm(c)
        return X.dense[rows] @ (c / nrm if nrm > 0 else c)
    c = np.asarray(X.sparse[inc_idx].mean(axis=0)).ravel()
    nrm = np.linalg.norm(c)
    return np.asarray(X.sparse[rows] @ (c / nrm if nrm > 0 else c)).ravel()


def _vstack(a, b):
    from screener.features import FeatureMatrix

    sparse = None if a.sparse is None else sp.vstack([a.sparse, b.sparse], format="csr")
    dense = None if a.dense is None else np.vstack([a.dense, b.dense])
    return FeatureMatrix(sparse, dense, vectorizer=a.vectorizer, feature_names=a._feature_names, model=a.model)


__all__ = ["PHASES", "STRATEGIES", "Prioritizer", "Ranking", "RetrainSchedule", "content_keys", "query_order",
           "query_picks"]
