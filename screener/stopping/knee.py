"""The knee method (Cormack & Grossman 2016, "Engineering quality and reliability in
technology-assisted review", SIGIR).

The gain curve (includes found against records screened) bends when the ranker runs out of
easy includes. The knee is the point of the curve farthest from the straight line joining
the origin to the current point; the slope ratio compares the include rate before the knee
with the rate after it (with one include added after it, so a flat tail is finite). Stop when

    slope ratio >= ratio + adjustment - min(includes found, adjustment)   (6 + 150 - ...)

and at least ``min_screened`` records (150) have been screened, so that a review with few
includes must show a much sharper bend.

Assumes: nothing statistical; it is a heuristic tuned on TREC collections. Guarantees:
nothing. Its remaining-includes figure (post-knee rate times the records left) is a rough
heuristic and it gives no interval. It ignores the target recall and the confidence.
"""

from __future__ import annotations

import numpy as np

from ..records import ordinal as _ordinal
from .base import Estimate, ScreeningHistory, check_levels, make_estimate, short_of, terminal_estimate


def knee_point(gain: np.ndarray) -> int:
    """1-based rank of the knee of a gain curve ``gain[i-1]`` = includes in the first i."""
    s = gain.shape[0]
    if s == 0:
        return 0
    g_s = gain[-1]
    i = np.arange(1, s + 1)
    # distance to the chord from (0,0) to (s, g_s) is proportional to g(i)*s - i*g_s
    dist = gain * s - i * g_s
    return int(np.argmax(dist)) + 1


def slope_ratio(gain: np.ndarray, knee: int) -> float:
    s = gain.shape[0]
    if knee <= 0 or knee >= s:
        return 0.0
    g_k = gain[knee - 1]
    if g_k == 0:
        return 0.0
    before = g_k / knee
    after = (gain[-1] - g_k + 1) / (s - knee)
    return float(before / after)


class KneeStop:
    """Cormack & Grossman's knee rule (see module doc); a heuristic without guarantees."""

    name = "knee"

    def __init__(self, ratio: float = 6.0, adjustment: int = 150, min_screened: int = 150):
        self.ratio = ratio
        self.adjustment = adjustment
        self.min_screened = min_screened

    def threshold(self, found: int) -> float:
        return self.ratio + self.adjustment - min(found, self.adjustment)

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate:
        check_levels(target_recall, confidence)
        done = terminal_estimate(self.name, history)
        if done is not None:
            return done
        gain = np.cumsum(history.labels)
        s = history.n_screened
        found = history.includes_found
        nan = float("nan")
        if s == 0 or found == 0:
            return make_estimate(
                self.name, history, nan, nan, nan, False,
                needs=max(self.min_screened - s, 0) or None,
                note="no include yet among the records screened from screener's rankings: the knee method cannot judge",
            )
        knee = knee_point(gain)
        rho = slope_ratio(gain, knee)
        thr = self.threshold(found)
        stop = s >= self.min_screened and rho >= thr
        # no bend yet (the farthest point from the chord is the last record: includes are coming as fast as
        # ever, or faster): the rate after a knee is not there to read, and 1/s read "1 include left of 134"
        # (recall 99%) where 90 of 120 records had been includes; the rate so far is all there is
        after_rate = (gain[-1] - gain[knee - 1] + 1) / max(s - knee, 1) if knee < s else found / s
        remaining = min(after_rate * history.n_remaining, history.n_remaining)
        needs = None if stop else max(self.min_screened - s, 0) or None
        note = (
            # a place in the screening order: 'knee at record 24' read as record id 24
            f"knee after the {_ordinal(knee)} record screened from screener's rankings, slope ratio "
            f"{short_of(rho, [thr], 1)} (needs a slope ratio of at least {thr:.0f}"
            # the records it read, which 'status' may count more of (decisions not made from a ranking are left
            # out): "and 150 records screened" stood beside "150 of 300 records screened"
            + (f" and {self.min_screened} records screened from screener's rankings, {s} so far"
               if s < self.min_screened else "")
            + "). Heuristic: no guarantee, ignores the target; its remaining figure is a rough extrapolation."
        )
        return make_estimate(self.name, history, remaining, nan, nan, stop, needs=needs, note=note)

    def stop_curve(self, history: ScreeningHistory, checkpoints, target_recall: float = 0.95, confidence: float = 0.95) -> np.ndarray:
        gain = np.cumsum(history.labels)
        N = history.n_total
        out = np.zeros(len(checkpoints), dtype=bool)
        for j, s in enumerate(np.asarray(checkpoints, dtype=int)):
            if s >= N:
                out[j] = True
            elif s >= self.min_screened and gain[s - 1] > 0:
                g = gain[:s]
                out[j] = slope_ratio(g, knee_point(g)) >= self.threshold(int(g[-1]))
        return out
