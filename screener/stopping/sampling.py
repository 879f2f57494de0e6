"""Samples the queue mixes into a batch so that the recall estimates have something unbiased
to stand on.

Ranked screening alone only shows the records the ranker likes; what is left can only be
judged by assumption. A few records drawn at random (uniform: for QBCB and the exact
sample bound) or with probability proportional to the ranker's score (for the model-based
estimate, as in Li & Kanoulas 2020) make the estimate rest on data instead. Record each
sampled record's inclusion probability and how many records had been screened when the
draw was made (``ScreeningHistory.sample_probs`` / ``sample_drawn_at``).
"""

from __future__ import annotations

import math

import numpy as np

from screener.errors import ScreenerError

from .qbcb import positives_needed


def inclusion_probs(scores: np.ndarray | None, n: int, size: int, uniform_share: float = 0.2) -> np.ndarray:
    """Inclusion probabilities for a fixed-size sample of ``n`` out of ``size`` records:
    a mixture of uniform (``uniform_share``) and score-proportional, capped at 1.

    The uniform share keeps every record's probability at least ``uniform_share * n / size``,
    so one include with a very low score cannot blow up the Horvitz-Thompson estimate.
    """
    if n > size:
        raise ScreenerError(f"cannot sample {n} records from {size} unscreened ones")
    if scores is None:
        return np.full(size, n / size)
    s = np.asarray(scores, dtype=float)
    if s.shape[0] != size or np.any(~np.isfinite(s)):
        raise ScreenerError("sampling: give one finite score per unscreened record")
    s = s - min(s.min(), 0.0)  # scores must be non-negative weights
    total = s.sum()
    w = np.full(size, 1.0 / size) if total <= 0 else uniform_share / size + (1 - uniform_share) * s / total
    pi = n * w
    capped = np.zeros(size, dtype=bool)
    while True:
        new = (pi > 1) & ~capped
        if not new.any():
            break
        capped |= new
        pi[capped] = 1.0
        left = n - int(capped.sum())
        free = ~capped
        if free.any():
            pi[free] = left * w[free] / w[free].sum() if left > 0 else 0.0
    return np.clip(pi, 0.0, 1.0)


def draw_sample(
    unscreened_idx: np.ndarray,
    n: int,
    scores: np.ndarray | None = None,
    rng: np.random.Generator | int | None = None,
    uniform_share: float = 0.2,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` of the unscreened records; returns (indices drawn, their inclusion probabilities).

    Without ``scores``: a simple random sample (probability n / unscreened). With scores:
    systematic sampling in random order with probabilities from ``inclusion_probs``, so the
    sample has exactly ``n`` records and each record's probability is known exactly.
    """
    idx = np.asarray(unscreened_idx)
    size = idx.shape[0]
    n = int(n)
    if n < 0:
        raise ScreenerError(f"sample size must be zero or more, got {n}")
    if n == 0 or size == 0:
        return idx[:0], np.zeros(0)
    n = min(n, size)
    rng = np.random.default_rng(rng)
    if scores is None:
        chosen = rng.choice(size, size=n, replace=False)
        return idx[chosen], np.full(n, n / size)
    pi = inclusion_probs(scores, n, size, uniform_share)
    order = rng.permutation(size)
    cum = np.cumsum(pi[order])
    u = rng.uniform(0, 1)
    points = u + np.arange(int(round(cum[-1])))
    pos = np.searchsorted(cum, points, side="right")
    pos = np.unique(pos[pos < size])
    chosen = order[pos]
    return idx[chosen], pi[chosen]


def sample_size_needed(
    target_recall: float = 0.95,
    confidence: float = 0.95,
    prevalence: float | None = None,
    n_remaining: int | None = None,
) -> dict:
    """How large a uniform random sample QBCB/target-style methods need.

    Returns ``positives`` (sample includes needed) and, given the prevalence of includes
    among the records the sample is drawn from, ``records`` (capped at ``n_remaining``)
    and ``feasible`` (False when even the whole remainder would hold too few).
    """
    if not 0 < target_recall < 1 or not 0 < confidence < 1:
        raise ScreenerError("target recall and confidence must both lie strictly between 0 and 1")
    r = positives_needed(target_recall, confidence)
    out: dict = {"positives": r, "records": None, "feasible": None}
    if prevalence is not None:
        if prevalence <= 0:
            out["records"] = n_remaining
            out["feasible"] = False
            return out
        records = int(math.ceil(r / prevalence))
        feasible = True
        if n_remaining is not None and records > n_remaining:
            records, feasible = int(n_remaining), False
        out["records"], out["feasible"] = records, feasible
    return out


def random_sample_interval(found: int, screened: int, n_total: int, confidence: float = 0.95) -> tuple[float, int, int]:
    """(point, low, high) for the includes still unscreened when the ``screened`` records were a
    uniform random sample of the ``n_total`` (screening from a random order, before any ranking):
    the exact hypergeometric interval for the number of includes, less those found. No ranking
    assumption: the only thing a random start can say."""
    from scipy.stats import hypergeom

    left = n_total - screened
    if screened <= 0 or left <= 0:
        return 0.0, 0, max(left, 0)
    a = (1 - confidence) / 2
    K = np.arange(found, found + left + 1)
    le = hypergeom.cdf(found, n_total, K, screened)  # P(X <= found | K includes)
    ge = hypergeom.sf(found - 1, n_total, K, screened)  # P(X >= found | K includes)
    high = int(K[le >= a].max()) - found if (le >= a).any() else left
    low = int(K[ge >= a].min()) - found if (ge >= a).any() else 0
    point = found * n_total / screened - found
    return float(min(max(point, low), high)), low, high
