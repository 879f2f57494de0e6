"""Quantile binomial coverage bound (QBCB; Lewis, Yang & Frieder 2021, "Certifying one-phase
technology-assisted reviews", CIKM), which generalises Cormack & Grossman's target method.

A uniform random sample of the pool holds ``r`` includes. They are a uniform random subset
of the pool's includes, so when the ranked screening has passed ``j`` of them, the chance
that recall is still below the target is at most P(Binomial(r, target) >= j). Take the
smallest ``j`` with that chance <= 1 - confidence and stop once the ranking has passed the
j-th sample include. With fewer than ``log(1 - confidence) / log(target)`` sample includes
(59 for 95%/95%) no ``j`` works: the method cannot certify and says how large a sample it
would need.

One sample drawn at once (all sampled records share one draw) is QBCB proper: "the pool"
is every record unscreened when it was drawn. A sample include counts as passed once the
ranker has shown a (non-sampled) record with a score no higher than the sample include's
score when it was screened; this needs ``scores_at_screening`` and treats scores from
successive models as comparable.

Samples mixed into batch after batch (``screener next`` does this) are many small draws,
each from the records unscreened *at its time*: the pool shrinks, so a record's inclusion
probability rises from draw to draw, and the late pools have lost the easy includes the
ranking found in between. Treating them as one uniform sample of the first pool
under-counts the includes and certifies falsely (issue 12). Instead each draw is a stratum:
draw ``j``, made when ``t_j`` records were screened, took ``s_j`` records uniformly from a
pool of ``N_j`` records holding ``K_j`` includes, and ``K_j = K + F_j`` exactly, where ``K``
is the includes still unscreened now and ``F_j`` the includes screened since the draw
(all read from the dated log: ``sample_drawn_at``). The certificate weighs each draw's
include count under "at least ``k`` are left" against an alternative fixed when the draw
was made; the product of those likelihood ratios is a test martingale, so it is valid
however often the status is read (``certificate_evidence``). The interval's lower end and
the point come from the exact distribution of the sum of the draws' counts (a convolution
of hypergeometrics, ``sequential_pvalue``). The same count bound is used for a single draw
when there are no scores to place the sample in the ranking.

Assumes: every draw is a uniform random sample of the records unscreened when it was
made (or, for draws that left out the top of a batch, of the records its recorded
inclusion probability implies; the left-out records are taken to be the first ranked
records screened after it), and the sampled records are decided whatever they turn out
to be. Guarantees (count bound): P(it ever says stop while recall < target) <= 1 -
confidence, over all readings, whatever the ranker does; QBCB proper, at any one reading. Score-proportional samples do not qualify.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import bdtrc, betaincinv, gammaln  # scipy.stats alone takes a second to import

from .base import (
    Estimate,
    ScreeningHistory,
    allowed_missed,
    check_levels,
    first_passing,
    level_pct,
    make_estimate,
    terminal_estimate,
)


def positives_needed(target_recall: float, confidence: float) -> int:
    """Fewest sample includes with which QBCB can certify the target at the confidence."""
    alpha = 1 - confidence
    if target_recall >= 1:
        return 10**9
    return int(math.ceil(math.log(alpha) / math.log(target_recall) - 1e-12))


def qbcb_rank(r: int, target_recall: float, confidence: float) -> int | None:
    """The j of QBCB: which sample include (1-based, in ranked order) to wait for; None if r is too small."""
    alpha = 1 - confidence
    if r <= 0:
        return None
    j = np.arange(1, r + 1)
    ok = bdtrc(j - 1, r, target_recall) <= alpha  # P(Binomial(r, target) >= j)
    return int(j[ok][0]) if ok.any() else None


def _lchoose(a, b):
    return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)


def _looks_uniform(history: ScreeningHistory) -> bool:
    """Whether the recorded inclusion probabilities fit uniform draws: equal within a draw.
    Score-proportional probabilities differ by orders of magnitude within a draw, so they
    fail this; draws of different sizes at different times are fine."""
    idx = np.flatnonzero(history.sampled)
    p = history.sample_probs[idx]
    if history.sample_drawn_at is None:
        # undated: each drawn just before shown; uniform draws imply about one draw size
        size = p * (history.n_total - idx)
        return bool(size.max() <= 2 * size.min())
    drawn = history.sample_drawn_at[idx]
    for d in np.unique(drawn):
        q = p[drawn == d]
        if np.ptp(q) > 1e-9 * q.max():
            return False
    return True


def sample_origin(history: ScreeningHistory) -> int:
    """How many records had been screened when the (first) sample was drawn."""
    idx = np.flatnonzero(history.sampled)
    if history.sample_drawn_at is not None:
        return int(history.sample_drawn_at[idx].min())
    return int(idx[0])


@dataclass(frozen=True)
class Draws:
    """The random sample split into its draws (one row each, in the order made).

    ``t``: records screened when the draw was made; ``pool``: records it was drawn from;
    ``size``: its records decided so far; ``hits``: includes among them; ``found_since``:
    includes screened since the draw that were in its pool (its own hits included), so that
    the pool held ``K + found_since`` includes, ``K`` being the includes still unscreened.
    ``shift``: the alternative the draw's evidence is weighed against ("this many fewer
    includes"), fixed from what was known when the draw was made (``certificate_evidence``).
    """

    t: np.ndarray
    pool: np.ndarray
    size: np.ndarray
    hits: np.ndarray
    found_since: np.ndarray
    shift: np.ndarray

    def __len__(self) -> int:
        return int(self.t.shape[0])


def sample_draws(history: ScreeningHistory, target_recall: float = 0.95) -> Draws:
    """Group the sampled records into draws and read each draw's pool from the log.

    A draw's pool is every record unscreened when it was made (its inclusion probability
    times that many is then the whole number drawn; records of it not yet decided leave the
    rest as a smaller uniform draw). Older versions of ``screener next`` drew from below the
    top of the batch: there the probability implies a smaller pool, the difference is taken
    to be the first non-sampled records screened after the draw, and their includes are not
    counted in the pool. Samples without a draw date count as drawn just before they were shown.
    """
    labels, n_total = history.labels, history.n_total
    idx = np.flatnonzero(history.sampled)
    dated = history.sample_drawn_at is not None
    when = history.sample_drawn_at[idx] if dated else idx
    pos = np.arange(history.n_screened)
    rows = []
    for t in np.unique(when):
        members = idx[when == t]
        size = members.shape[0]
        hits = int(labels[members].sum())
        pool = n_total - int(t)
        since = pos >= t
        left_out = 0
        if dated and history.sample_probs is not None:
            prob = float(history.sample_probs[members].max())
            drawn = prob * pool  # a draw from every unscreened record: its size, a whole number
            if abs(drawn - round(drawn)) > 1e-6 or round(drawn) < size:
                # an older draw from below the top of its batch: its pool was size / prob records
                left_out = max(0, pool - max(int(round(size / prob)), size))
        if left_out:
            ranked_after = np.flatnonzero(since & ~history.sampled)[:left_out]
            since[ranked_after] = False
            pool -= left_out
        shift = allowed_missed(int(labels[: int(t)].sum()), target_recall) + 1
        rows.append((int(t), pool, size, hits, int(labels[since].sum()), shift))
    arr = np.asarray(rows, dtype=np.int64).reshape(-1, 6)
    return Draws(*(arr[:, i] for i in range(6)))


def _hits_words(hits: int, maybes: int) -> str:
    """The sample's finds, its maybes named apart: a maybe is found for recall, but "1 include" was said of a
    sample that held a maybe and no include."""
    inc = hits - min(maybes, hits)
    words = [f"{inc} include{'s' if inc != 1 else ''}"] if inc or not maybes else []
    if maybes:
        words.append(f"{maybes} maybe{'s' if maybes != 1 else ''}")
    return " and ".join(words)


_NO_DRAWS = Draws(*(np.zeros(0, dtype=np.int64) for _ in range(6)))


def _log_pmf(x, pool, k_pool, n):
    """log P(X = x), X ~ Hypergeometric(pool, k_pool includes, n drawn); -inf off the support."""
    x, pool, k_pool, n = (np.asarray(a, dtype=float) for a in (x, pool, k_pool, n))
    ok = (k_pool >= 0) & (x <= k_pool) & (n - x <= pool - k_pool) & (x >= 0) & (x <= n)
    kp = np.where(ok, k_pool, x)
    with np.errstate(invalid="ignore"):
        out = _lchoose(kp, x) + _lchoose(pool - kp, n - x) - _lchoose(pool, n)
    return np.where(ok, out, -np.inf)


def certificate_evidence(draws: Draws, k: int) -> float:
    """log of the evidence (an e-value) against "at least ``k`` includes are still unscreened".

    Each draw contributes the likelihood ratio of its include count under "``shift`` fewer
    includes in its pool" to that under the hypothesis (``k + found_since`` in the pool). At
    the true pool counts the product of these ratios is a test martingale over the draws (the
    alternatives are fixed before each draw is seen), and each ratio can only grow with the
    hypothesised count, so evaluated at ``k`` it is no larger than at the truth whenever at
    least ``k`` are left. By Ville's inequality, the chance that it ever reaches
    ``1 / (1 - confidence)`` while recall is below target is at most ``1 - confidence``: the
    certificate holds however often the status is read and whenever the reviewer stops.
    """
    if len(draws) == 0:
        return 0.0
    null = _log_pmf(draws.hits, draws.pool, k + draws.found_since, draws.size)
    if np.any(np.isneginf(null)):
        return math.inf  # the hypothesis cannot produce what was seen
    alt = np.maximum(k + draws.found_since - draws.shift, 0)
    return float(np.sum(_log_pmf(draws.hits, draws.pool, alt, draws.size) - null))


def evidence_bound(draws: Draws, rest: int, alpha: float) -> int:
    """Largest number of includes still unscreened (at most ``rest``) whose evidence stays
    below ``1 / alpha``: the certificate's upper bound (``certificate_evidence``)."""
    level = math.log(1 / alpha)
    if certificate_evidence(draws, rest) < level:
        return int(rest)
    lo, hi = -1, rest
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if certificate_evidence(draws, mid) < level:
            lo = mid
        else:
            hi = mid
    return max(lo, 0)


def _pmf_table(draws: Draws, k: int, upto: int) -> np.ndarray:
    """pmf of each draw's include count at 0..upto under ``k`` includes left (one row a draw)."""
    pool = draws.pool.astype(float)[:, None]
    n = draws.size.astype(float)[:, None]
    kp = np.minimum(k + draws.found_since, draws.pool).astype(float)[:, None]
    x = np.arange(upto + 1, dtype=float)[None, :]
    ok = (x <= n) & (x <= kp) & (n - x <= pool - kp)
    xs = np.where(ok, x, 0.0)
    logp = _lchoose(kp, xs) + _lchoose(pool - kp, n - xs) - _lchoose(pool, n)
    return np.where(ok, np.exp(logp), 0.0)


def _lower_tail(draws: Draws, k: int, upto: int) -> float:
    """P(sum of the draws' include counts <= upto | k left)."""
    if upto < 0:
        return 0.0
    table = _pmf_table(draws, k, upto)
    dist = np.zeros(upto + 1)
    dist[0] = 1.0
    for row in table:
        dist = np.convolve(dist, row)[: upto + 1]
    return float(min(dist.sum(), 1.0))


def sequential_pvalue(draws: Draws, k: int) -> float:
    """P(the draws hold as few includes as they do | ``k`` includes are still unscreened).

    Each draw's count is Hypergeometric(pool, k + found_since, size); the draws are
    independent given the past, so the chance of a total this low is the lower tail of the
    convolution of their distributions (exact)."""
    return _lower_tail(draws, k, int(draws.hits.sum()))


def _sequential_upper_pvalue(draws: Draws, k: int) -> float:
    """P(the draws hold as many includes as they do | ``k`` left): for the lower end."""
    return max(1.0 - _lower_tail(draws, k, int(draws.hits.sum()) - 1), 0.0)


def _sequential_lower(draws: Draws, rest: int, alpha: float) -> int:
    """Smallest number left that the draws cannot reject from below at level ``alpha``."""
    if _sequential_upper_pvalue(draws, 0) > alpha:
        return 0
    lo, hi = 0, rest  # p(lo) <= alpha, p(hi) > alpha (or hi = rest)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _sequential_upper_pvalue(draws, mid) > alpha:
            hi = mid
        else:
            lo = mid
    return hi


def sequential_point(draws: Draws, rest: int) -> float:
    """Includes still unscreened that make the expected sample includes equal the ones seen
    (a Horvitz-Thompson-style estimate over the draws)."""
    p = draws.size / np.maximum(draws.pool, 1)
    k = (draws.hits.sum() - float((p * draws.found_since).sum())) / max(float(p.sum()), 1e-12)
    return float(min(max(k, 0.0), rest))


#: the note's start when no draw is read (``status`` says since when, where earlier draws are set aside)
NO_SAMPLE = "no random sample screened yet"


class QuantileBinomialStop:
    """QBCB on the uniform random sample in the history (see module doc)."""

    name = "qbcb"

    def __init__(self, compute_needs: bool = True):
        self.compute_needs = compute_needs

    def _no_sample(self, history, target_recall, confidence, why: str) -> Estimate:
        nan = float("nan")
        rest = history.n_remaining
        k_null = allowed_missed(history.includes_found, target_recall) + 1
        need = self._more_sample(_NO_DRAWS, k_null, rest, 1 - confidence) if self.compute_needs else None
        note = f"{why}"
        if need is not None:
            if need >= rest:
                note += (f": no random sample of what is left could certify {level_pct(target_recall)} recall "
                         f"({k_null} include{'' if k_null == 1 else 's'} missed would already be too many)")
            else:
                note += (f": a random sample of about {need} of the {rest} records left, if it holds no include, "
                         f"would certify {level_pct(target_recall)} recall")
        return make_estimate(self.name, history, nan, nan, nan, False, sample_needs=need, note=note)

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate:
        check_levels(target_recall, confidence)
        done = terminal_estimate(self.name, history)
        if done is not None:
            return done
        if allowed_missed(history.includes_found, target_recall) >= history.n_remaining:
            return make_estimate(self.name, history, float("nan"), 0.0, float(history.n_remaining), True,
                                 sample_needs=0, note=(f"even if every record left were an include, recall would be "
                                                       f"at least {level_pct(target_recall)}"))
        if not history.has_sample:
            return self._no_sample(history, target_recall, confidence, NO_SAMPLE)
        if history.sample_probs is not None and not _looks_uniform(history):
            return self._no_sample(history, target_recall, confidence, "the sample is not uniform")
        draws = sample_draws(history, target_recall)
        r = int(draws.hits.sum())
        if len(draws) == 1 and history.scores_at_screening is not None and r > 0:
            return self._rank_bound(history, target_recall, confidence)
        return self._count_bound(history, draws, target_recall, confidence)

    def _count_bound(self, history, draws: Draws, target_recall, confidence) -> Estimate:
        """The bound from the sample counts, each draw against its own pool (module doc)."""
        alpha = 1 - confidence
        rest = history.n_remaining
        found = history.includes_found
        m, r = int(draws.size.sum()), int(draws.hits.sum())
        k_null = allowed_missed(found, target_recall) + 1  # "recall below target" means >= this many left
        stop = k_null > rest or certificate_evidence(draws, k_null) >= math.log(1 / alpha)
        low = _sequential_lower(draws, rest, alpha / 2)
        high = evidence_bound(draws, rest, alpha)
        high = max(high, low)
        point = min(max(sequential_point(draws, rest), low), high)
        if r == 0 and not stop:
            # no include drawn: the estimate is "none left" (full recall) whatever the sample's size, which the
            # sample cannot back (10 records of 800 with no include); it gives the interval only
            point = float("nan")
        what = f"{len(draws)} draws" if len(draws) > 1 else "one draw"
        note = f"random sample of {m} records ({what}, each from the records unscreened at its time): " \
               + _hits_words(r, int(history.maybe[history.sampled].sum()) if history.maybe is not None else 0)
        needs = None
        if not stop:
            if self.compute_needs:
                needs = self._more_sample(draws, k_null, rest, alpha)
            if needs is None or needs >= rest:
                note += f"; no random sample of what is left could certify {level_pct(target_recall)} recall"
            else:
                note += (f"; a further random sample of about {needs} of the {rest} records left, if it holds "
                         f"no include, would certify {level_pct(target_recall)} recall")
        else:
            note += f"; at least {level_pct(target_recall)} recall is certified"
        note += ". Guarantee holds if every draw is uniform."
        # the upper end of the includes left (recall's lower end) is the certificate's bound at the confidence asked,
        # one-sided; shown unmarked under '(two-sided)', it read as a chance of half that below it
        return replace(make_estimate(self.name, history, point, low, high, stop, sample_needs=needs, note=note),
                       sides="one-sided")

    @staticmethod
    def _more_sample(draws: Draws, k_null: int, rest: int, alpha: float) -> int:
        """Fewest further sampled records (one draw from what is left, no include among them,
        nothing else found meanwhile) after which the bound would certify; ``rest`` if none."""
        def ok(extra: int) -> bool:
            more = Draws(*(np.append(a, v) for a, v in zip(
                (draws.t, draws.pool, draws.size, draws.hits, draws.found_since, draws.shift),
                (0, rest, extra, 0, 0, k_null))))
            return certificate_evidence(more, k_null) >= math.log(1 / alpha)

        if not ok(rest - 1 if rest > 1 else rest):
            return rest
        return first_passing(ok, 0, max(rest - 1, 1))

    def _rank_bound(self, history, target_recall, confidence) -> Estimate:
        """QBCB proper: one uniform draw, its includes placed in the ranking by their scores."""
        alpha = 1 - confidence
        labels = history.labels
        s_mask = history.sampled
        tau = sample_origin(history)
        after = labels[tau:]
        sam = s_mask[tau:]
        m = int(sam.sum())
        r = int(after[sam].sum())
        found_after = int(after.sum())
        rest = history.n_remaining
        r_min = positives_needed(target_recall, confidence)
        j = qbcb_rank(r, target_recall, confidence)
        sc = history.scores_at_screening[tau:]
        ranked_scores = sc[~sam]
        frontier = float(ranked_scores.min()) if ranked_scores.size else math.inf
        pos_scores = sc[sam & (after == 1)]
        reached = int(np.sum(pos_scores >= frontier))
        # Clopper-Pearson: quantiles of Beta(reached, r - reached + 1) and Beta(reached + 1, r - reached)
        rec_lo = float(betaincinv(reached, r - reached + 1, alpha / 2)) if reached > 0 else 0.0
        rec_hi = float(betaincinv(reached + 1, r - reached, 1 - alpha / 2)) if reached < r else 1.0
        rec_pt = reached / r
        # includes the ranked screening would have found in the pool (ranked hits + passed sample hits)
        g = int(after[~sam].sum()) + reached

        def remaining_at(rec: float) -> float:
            if rec <= 0:
                return float(rest)
            return float(min(max(g / rec - found_after, 0.0), rest))

        stop = j is not None and reached >= j
        note = f"{reached} of the sample's {r} includes passed by the ranking"
        if j is None:
            note += f"; {r_min} sample includes are needed to certify {level_pct(target_recall)} recall"
        else:
            note += f"; stop once {j} are passed"
        point, low, high = remaining_at(rec_pt), remaining_at(rec_hi), remaining_at(rec_lo)
        sample_needs = None
        if not stop and j is None and self.compute_needs:
            prev = r / m
            sample_needs = min(rest, int(math.ceil((r_min - r) / max(prev, 1e-9))))
            note += f" (about {sample_needs} more sampled records)"
        note += ". Guarantee holds if the sample is uniform."
        return make_estimate(self.name, history, point, low, high, stop, sample_needs=sample_needs, note=note)
