"""The hypergeometric stopping test ("buscar"; Callaghan & Mueller-Hansen 2020, Syst Rev 9:273).

Null hypothesis: recall is below the target, i.e. at least ``floor(found / target) + 1``
includes exist. Take the last ``n`` screened records as a draw from the records that were
unscreened before them; under the null that pool holds a known number of includes, and the
hypergeometric distribution gives the chance of seeing as few includes as the window shows.
The p-value is the smallest over all windows (as in the paper); stop when it is below
``1 - confidence``.

Assumes: records screened by the ranker are at least as likely to be includes as a random
draw from the remaining pool (the ranker is no worse than random). Then the test is
conservative. Guarantees: under that assumption, P(stop with recall < target) <= 1 -
confidence. It is expensive at low prevalence: with 15 includes it needs ~95% of the
remaining records after the last include before it can reject "one more exists".

Only windows that start right after an include (or at the start) can give the minimum,
because adding an exclude to a window always lowers its p-value; so each call costs
O(includes) hypergeometric terms, not O(records).
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

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


def _windows(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(window sizes, includes in each window, records screened) for the candidate windows."""
    n_s = labels.shape[0]
    pos = np.flatnonzero(labels) + 1  # 1-based include positions
    r = pos.shape[0]
    starts_after = np.concatenate(([0], pos))  # window starts right after these positions
    n_win = n_s - starts_after
    k_win = r - np.arange(r + 1)
    keep = n_win > 0
    return n_win[keep], k_win[keep], n_s


def _lchoose(a, b):
    return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)


def hypergeom_cdf_low(k, pool, k_pool, n) -> np.ndarray:
    """P(X <= k) for X ~ Hypergeometric(pool, k_pool includes, n drawn), vectorised.

    Exact where k is at most the mean + 1 (the only case the test needs: anywhere above,
    the cdf is >= 0.5 and the caller treats it as 1). Sums the pmf downward from k by the
    ratio recurrence, over at most ~7 standard deviations, where the terms are negligible.
    scipy.stats.hypergeom.cdf gives the same numbers ~100 times slower.
    """
    k, pool, k_pool, n = (np.asarray(a, dtype=float) for a in (k, pool, k_pool, n))
    lo = np.maximum(0.0, n - (pool - k_pool))
    out = np.ones_like(k)
    below = k < lo
    out[below] = 0.0
    todo = ~below & (k_pool > 0) & (k < np.minimum(n, k_pool))
    if not todo.any():
        return out
    k, pool, k_pool, n, lo = (a[todo] for a in (k, pool, k_pool, n, lo))
    logpmf = _lchoose(k_pool, k) + _lchoose(pool - k_pool, n - k) - _lchoose(pool, n)
    var = n * (k_pool / pool) * (1 - k_pool / pool) * np.maximum(pool - n, 0) / np.maximum(pool - 1, 1)
    terms = np.minimum(k - lo, np.ceil(7 * np.sqrt(var) + 15)).astype(int)  # steps below k
    T = int(terms.max()) if terms.size else 0
    total = np.ones_like(k)
    if T > 0:
        j = np.arange(1, T + 1)[None, :]
        i = k[:, None] - j + 1  # ratio pmf(i-1)/pmf(i)
        ratio = i * ((pool - k_pool - n)[:, None] + i) / ((k_pool[:, None] - i + 1) * (n[:, None] - i + 1))
        ratio = np.where(j <= terms[:, None], ratio, 0.0)
        total = total + np.cumprod(ratio, axis=1).sum(axis=1)
    out[todo] = np.minimum(np.exp(logpmf) * total, 1.0)
    return out


def p_value(labels: np.ndarray, n_total: int, missed: int) -> float:
    """Smallest over windows of P(as few includes in the window | ``missed`` more exist).

    Exact when below 0.5; windows with more includes than expected under the hypothesis
    (p >= 0.5) are not computed and 1.0 is returned if no window is below that.
    """
    n_win, k_win, n_s = _windows(labels)
    if n_win.size == 0:
        return 1.0
    pool = n_total - n_s + n_win  # records unscreened before each window
    k_pool = missed + k_win  # includes in that pool under the hypothesis
    if np.any(k_pool > pool):
        return 0.0  # the hypothesis needs more includes than records: rejected outright
    mean = n_win * k_pool / pool
    cand = k_win <= mean + 1
    if not cand.any():
        return 1.0
    p = hypergeom_cdf_low(k_win[cand], pool[cand], k_pool[cand], n_win[cand])
    return float(min(p.min(), 1.0))


def _p_words(p: float, alpha: float) -> str:
    """A p-value to three significant digits, more where those would carry one under the bar up to it
    (0.04996 is not "0.05" beside 'needs p < 0.05')."""
    bar = float(f"{alpha:.2g}")  # as the note shows it (1 - 0.95 is a hair over 0.05)
    for digits in range(3, 10):
        said = f"{p:.{digits}g}"
        if not (p < alpha and float(said) >= bar):
            return said
    return said


class HypergeometricStop:
    """Callaghan & Mueller-Hansen's test on the most recent screened records (see module doc).

    Its interval comes from inverting the test over candidate numbers of includes missed:
    the upper end is the largest number the test cannot reject at the confidence level,
    the point the largest it cannot reject at 50%. The lower end is 0: a ranked window says
    nothing about how *few* includes are left.
    """

    name = "hypergeometric"

    def __init__(self, compute_needs: bool = True, max_extra: int | None = None):
        self.compute_needs = compute_needs
        self.max_extra = max_extra

    def _largest_not_rejected(self, labels, n_total, level) -> int:
        hi_cap = n_total - labels.shape[0]
        if p_value(labels, n_total, hi_cap) >= level:
            return hi_cap
        lo, hi = 0, hi_cap  # p(lo) >= level (p(0) == 1), p(hi) < level
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if p_value(labels, n_total, mid) >= level:
                lo = mid
            else:
                hi = mid
        return lo

    def stops(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> bool:
        """Just the stop flag (no interval search): what a simulation needs at every step."""
        if history.n_remaining == 0:
            return True
        if history.n_screened == 0:
            return False
        missed = allowed_missed(history.includes_found, target_recall) + 1
        return p_value(history.labels, history.n_total, missed) < 1 - confidence

    def records_needed(self, history: ScreeningHistory, target_recall: float, confidence: float) -> int:
        """Further records, all excludes, before the test could stop (N - screened if never)."""
        labels, N = history.labels, history.n_total
        alpha = 1 - confidence
        missed = allowed_missed(history.includes_found, target_recall) + 1
        rest = history.n_remaining

        def stops_after(extra: int) -> bool:
            lab = np.concatenate((labels, np.zeros(extra, dtype=np.int8)))
            return p_value(lab, N, missed) < alpha

        if stops_after(0):
            return 0
        if not stops_after(rest - 1 if rest > 0 else 0):
            return rest
        return first_passing(stops_after, 0, rest - 1)

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate:
        check_levels(target_recall, confidence)
        done = terminal_estimate(self.name, history)
        if done is not None:
            return done
        alpha = 1 - confidence
        labels, N = history.labels, history.n_total
        found = history.includes_found
        missed = allowed_missed(found, target_recall) + 1
        p = p_value(labels, N, missed)
        stop = p < alpha and history.n_screened > 0
        high = self._largest_not_rejected(labels, N, alpha)
        point = self._largest_not_rejected(labels, N, 0.5)
        needs = None
        if self.compute_needs and not stop:
            needs = self.records_needed(history, target_recall, confidence)
        note = (
            f"p = {_p_words(p, alpha)} for 'recall below {level_pct(target_recall)}'"
            + ("; stop" if stop else f"; needs p < {alpha:.2g}")
            + ". Assumes screener's ranking finds includes at least as fast as random screening."
        )
        if found == 0:
            note = "no include yet among the records screened from screener's rankings; " + note
        return make_estimate(self.name, history, point, 0.0, high, stop, needs=needs, note=note)

    def stop_curve(self, history: ScreeningHistory, checkpoints, target_recall: float = 0.95, confidence: float = 0.95) -> np.ndarray:
        """Stop flags after each checkpoint (numbers screened) without the interval search,
        for simulations that only need where the test first says stop."""
        check_levels(target_recall, confidence)
        alpha = 1 - confidence
        labels, N = history.labels, history.n_total
        cum = np.concatenate(([0], np.cumsum(labels)))
        out = np.zeros(len(checkpoints), dtype=bool)
        for i, n in enumerate(np.asarray(checkpoints, dtype=int)):
            if n >= N:
                out[i] = True
                continue
            if n == 0:
                continue
            missed = allowed_missed(int(cum[n]), target_recall) + 1
            out[i] = p_value(labels[:n], N, missed) < alpha
        return out
