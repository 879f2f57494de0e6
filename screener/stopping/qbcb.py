"""Quantile binomial coverage bound (QBCB; Lewis, Yang & Frieder 2021, "Certifying one-phase
technology-assisted reviews", CIKM), which generalises Cormack & Grossman's target method.

A uniform random sample of the pool holds ``r`` includes. They are a uniform random subset
of the pool's includes, so when the ranked screening has passed ``j`` of them, the chance
that recall is still below the target is at most P(Binomial(r, target) >= j). Take the
smallest ``j`` with that chance <= 1 - confidence and stop once the ranking has passed the
j-th sample include. With fewer than ``log(1 - confidence) / log(target)`` sample includes
(59 for 95%/95%) no ``j`` works: the method cannot certify and says how large a sample it
would need.

"The pool" is every record that was unscreened when the first sampled record was drawn;
includes found before then count as found. A sample include counts as passed once the
ranker has shown a (non-sampled) record with a score no higher than the sample include's
score when it was screened; this needs ``scores_at_screening`` and treats scores from
successive models as comparable. Without scores it falls back to an exact hypergeometric
upper bound on the pool's includes from the sample counts (valid, usually weaker).

Assumes: the sampled records are a uniform random sample of that pool (if later draws come
from the shrinking unscreened pool they under-represent easy includes, which only makes
the bound more conservative). Guarantees: P(stop with recall < target) <= 1 - confidence,
whatever the ranker does. Score-proportional samples do not qualify.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import beta, binom, hypergeom

from .base import (
    Estimate,
    ScreeningHistory,
    check_levels,
    make_estimate,
    recall_of,
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
    ok = binom.sf(j - 1, r, target_recall) <= alpha
    return int(j[ok][0]) if ok.any() else None


def _looks_uniform(history: ScreeningHistory) -> bool:
    """Whether the recorded inclusion probabilities fit uniform draws: equal within a draw,
    and implying draw sizes (probability x pool) of about one size. Score-proportional
    probabilities differ by orders of magnitude, so they fail this."""
    idx = np.flatnonzero(history.sampled)
    p = history.sample_probs[idx]
    if history.sample_drawn_at is not None:
        drawn = history.sample_drawn_at[idx]
        for d in np.unique(drawn):
            q = p[drawn == d]
            if np.ptp(q) > 1e-9 * q.max():
                return False
    else:
        drawn = idx  # drawn at the latest just before being shown
    size = p * (history.n_total - drawn)
    return bool(size.max() <= 2 * size.min())


def sample_origin(history: ScreeningHistory) -> int:
    """How many records had been screened when the (first) sample was drawn."""
    idx = np.flatnonzero(history.sampled)
    if history.sample_drawn_at is not None:
        return int(history.sample_drawn_at[idx].min())
    return int(idx[0])


class QuantileBinomialStop:
    """QBCB on the uniform random sample in the history (see module doc)."""

    name = "qbcb"

    def __init__(self, compute_needs: bool = True):
        self.compute_needs = compute_needs

    def _no_sample(self, history, target_recall, confidence, why: str) -> Estimate:
        nan = float("nan")
        r_min = positives_needed(target_recall, confidence)
        prev = (history.includes_found + 1) / (history.n_screened + 2)
        rest = history.n_remaining
        need = min(rest, int(math.ceil(r_min / max(prev, 1e-9))))
        return make_estimate(
            self.name, history, nan, nan, nan, False, sample_needs=need,
            note=(
                f"{why}: QBCB needs a uniform random sample holding {r_min} includes to certify "
                f"{target_recall:.0%} recall; at the prevalence seen so far that is about {need} sampled records"
                + (" (more than are left: it cannot certify this review)" if need >= rest else "")
            ),
        )

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate:
        check_levels(target_recall, confidence)
        done = terminal_estimate(self.name, history)
        if done is not None:
            return done
        if not history.has_sample:
            return self._no_sample(history, target_recall, confidence, "no random sample screened yet")
        s_mask = history.sampled
        if history.sample_probs is not None and not _looks_uniform(history):
            return self._no_sample(history, target_recall, confidence, "the sample is not uniform")
        alpha = 1 - confidence
        labels = history.labels
        tau = sample_origin(history)
        pool = history.n_total - tau
        found_before = int(labels[:tau].sum())
        after = labels[tau:]
        sam = s_mask[tau:]
        m = int(sam.sum())
        r = int(after[sam].sum())
        found_after = int(after.sum())
        rest = history.n_remaining
        if r == 0:
            est = self._no_sample(history, target_recall, confidence, f"the random sample ({m} records) holds no include")
            if m > 0:
                # still a valid upper bound on the pool's includes from the sample counts
                k_hi = _hypergeom_upper(0, pool, m, alpha)
                hi = max(min(found_before + k_hi - history.includes_found, rest), 0)
                est.remaining_high = float(hi)
                est.remaining_low = 0.0
                est.recall_low = recall_of(history.includes_found, hi)
                est.recall_high = 1.0
            return est
        r_min = positives_needed(target_recall, confidence)
        j = qbcb_rank(r, target_recall, confidence)
        if history.scores_at_screening is not None:
            sc = history.scores_at_screening[tau:]
            ranked_scores = sc[~sam]
            frontier = float(ranked_scores.min()) if ranked_scores.size else math.inf
            pos_scores = sc[sam & (after == 1)]
            reached = int(np.sum(pos_scores >= frontier))
            rec_lo = float(beta.ppf(alpha / 2, reached, r - reached + 1)) if reached > 0 else 0.0
            rec_hi = float(beta.ppf(1 - alpha / 2, reached + 1, r - reached)) if reached < r else 1.0
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
                note += f"; {r_min} sample includes are needed to certify {target_recall:.0%} recall"
            else:
                note += f"; stop once {j} are passed"
        else:
            k_lo = _hypergeom_lower(r, pool, m, alpha / 2)
            k_hi = _hypergeom_upper(r, pool, m, alpha / 2)
            k_pt = r * pool / m
            rem = lambda k: float(min(max(found_before + k - history.includes_found, 0.0), rest))
            point, low, high = rem(k_pt), rem(k_lo), rem(k_hi)
            one_sided_hi = rem(_hypergeom_upper(r, pool, m, alpha))
            stop = recall_of(history.includes_found, one_sided_hi) >= target_recall
            note = f"sample of {m}: {r} includes; exact bound from the sample counts (no scores to place them in the ranking)"
            needs = None
            if not stop and r < r_min:
                prev = r / m
                needs = min(rest, int(math.ceil((r_min - r) / max(prev, 1e-9))))
            return make_estimate(self.name, history, point, low, high, stop, sample_needs=needs if self.compute_needs else None, note=note)
        point, low, high = remaining_at(rec_pt), remaining_at(rec_hi), remaining_at(rec_lo)
        sample_needs = None
        if not stop and j is None and self.compute_needs:
            prev = r / m
            sample_needs = min(rest, int(math.ceil((r_min - r) / max(prev, 1e-9))))
            note += f" (about {sample_needs} more sampled records)"
        note += ". Guarantee holds if the sample is uniform."
        return make_estimate(self.name, history, point, low, high, stop, sample_needs=sample_needs, note=note)


def _hypergeom_upper(k: int, pool: int, m: int, alpha: float) -> int:
    """Largest K (includes in a pool of ``pool``) with P(X <= k | K, m drawn) >= alpha."""
    lo, hi = k, pool - (m - k)  # K is at least k and leaves room for the m - k excludes seen
    if hypergeom.cdf(k, pool, hi, m) >= alpha:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if hypergeom.cdf(k, pool, mid, m) >= alpha:
            lo = mid
        else:
            hi = mid
    return lo


def _hypergeom_lower(k: int, pool: int, m: int, alpha: float) -> int:
    """Smallest K with P(X >= k | K, m drawn) >= alpha."""
    if k == 0:
        return 0
    lo, hi = k, pool - (m - k)
    if hypergeom.sf(k - 1, pool, lo, m) >= alpha:
        return lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if hypergeom.sf(k - 1, pool, mid, m) >= alpha:
            hi = mid
        else:
            lo = mid
    return hi
