"""Baseline: stop after ``n`` excludes in a row.

Assumes: that a long run of excludes means the ranker has run dry. Guarantees: nothing;
the right ``n`` depends on the review's size and prevalence, and a hard-to-find include
after the run is simply missed. Kept only as a baseline for comparison; the advice never
rests on it alone.
"""

from __future__ import annotations

import numpy as np

from .base import Estimate, ScreeningHistory, check_levels, make_estimate, terminal_estimate


def trailing_excludes(labels: np.ndarray) -> int:
    ones = np.flatnonzero(labels)
    return int(labels.shape[0] - (ones[-1] + 1)) if ones.size else int(labels.shape[0])


class ConsecutiveExcludesStop:
    """Stop once the last ``n`` screened records were all excludes (and one include was found)."""

    name = "consecutive"

    def __init__(self, n: int = 100, require_include: bool = True):
        self.n = int(n)
        self.require_include = require_include

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate:
        check_levels(target_recall, confidence)
        done = terminal_estimate(self.name, history)
        if done is not None:
            return done
        run = trailing_excludes(history.labels)
        found = history.includes_found
        stop = run >= self.n and (found > 0 or not self.require_include)
        nan = float("nan")
        needs = None if stop else min(self.n - run if run < self.n else 0, history.n_remaining) or None
        return make_estimate(
            self.name, history, nan, nan, nan, stop, needs=needs,
            note=f"{run} excludes in a row (rule: {self.n}). Baseline only: no estimate and no guarantee.",
        )

    def stop_curve(self, history: ScreeningHistory, checkpoints, target_recall: float = 0.95, confidence: float = 0.95) -> np.ndarray:
        labels = history.labels
        n_s = labels.shape[0]
        idx = np.arange(1, n_s + 1)
        last_inc = np.maximum.accumulate(np.where(labels == 1, idx, 0))  # last include position up to i
        run = idx - last_inc
        found = np.cumsum(labels)
        cps = np.asarray(checkpoints, dtype=int)
        out = np.zeros(cps.shape[0], dtype=bool)
        for j, s in enumerate(cps):
            if s >= history.n_total:
                out[j] = True
            elif s > 0:
                out[j] = run[s - 1] >= self.n and (found[s - 1] > 0 or not self.require_include)
        return out
