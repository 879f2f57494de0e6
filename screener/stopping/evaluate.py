"""Score stopping methods on simulated reviews (definitions: ``shared/BENCHMARK.md``).

A simulated run screens every record, so its complete screening order is known; the
estimators' answers at every step (or at checkpoints) are read off against it:

- recall at stop: includes found when the method first says stop / all includes;
- reliability: share of runs whose recall at stop reaches the target;
- screened at stop: records screened then, as a share of N;
- excess: screened at stop minus the records needed to reach the target, as a share of N;
- coverage: whether the interval holds the true number of includes left, checked when
  25%, 50% and 75% of the includes have been found.

A method that never says stop counts as recall 1.0 with 100% screened. The prior records
(``n_priors`` at the start of the order) count in neither N nor the includes. A run with no
include left after them has no recall to measure: it gives no row (``screener.metrics`` makes
its figures NaN), rather than a stop that reached its target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from screener.errors import ScreenerError

from .base import Estimate, ScreeningHistory

TARGETS = (0.8, 0.95)
COVERAGE_AT = (0.25, 0.5, 0.75)


@dataclass
class SimulatedRun:
    """One simulated review: ``labels`` of all records in screening order, and per method
    and target the estimates at the checkpoints (ascending ``n_screened``)."""

    labels: np.ndarray
    estimates: Mapping[str, Mapping[float, Sequence[Estimate]]]
    dataset: str = ""
    seed: int = 0
    n_priors: int = 0
    extra: dict = field(default_factory=dict)
    #: records screened right after the priors that the methods read apart (a protocol's known relevant records:
    #: ``screener.simulate.replay_estimates``): found and screened in the figures, but the coverage is checked where
    #: the replay asked each method, at 25, 50 and 75% of the includes it reads
    n_first: int = 0

    def __post_init__(self):
        self.labels = np.asarray(self.labels, dtype=np.int8)


def records_to_reach(labels: np.ndarray, recall: float, n_priors: int = 0) -> int:
    """n(r): records screened (priors excluded) when recall first reaches ``recall``."""
    rest = labels[n_priors:]
    R = int(rest.sum())
    if R == 0:
        return 0
    need = math.ceil(recall * R - 1e-9)
    return int(np.searchsorted(np.cumsum(rest), need) + 1)


def stop_point(estimates: Sequence[Estimate]) -> int | None:
    """Records screened (priors included) when the method first said stop; None if never."""
    for e in estimates:
        if e.stop:
            return int(e.n_screened)
    return None


def run_metrics(run: SimulatedRun, targets: Iterable[float] = TARGETS, coverage_at: Iterable[float] = COVERAGE_AT) -> pd.DataFrame:
    """One row per (method, target) for one run; none when no include is left after the priors."""
    lab = run.labels
    n_p = run.n_priors
    N = lab.shape[0] - n_p
    if N <= 0:
        raise ScreenerError(f"run {run.dataset!r} seed {run.seed}: no records left after the {n_p} priors")
    cum = np.concatenate(([0], np.cumsum(lab)))
    prior_inc = int(cum[n_p])
    R = int(cum[-1]) - prior_inc
    total_inc = int(cum[-1])
    rows = []
    if R == 0:  # nothing to find: any stop "reaches" the target, which would raise every method's reliability
        return pd.DataFrame(rows)
    for method, by_target in run.estimates.items():
        for target in targets:
            ests = by_target.get(target)
            if ests is None:
                continue
            n_stop = stop_point(ests)
            stopped = n_stop is not None and n_stop < lab.shape[0]
            if n_stop is None:
                n_stop = lab.shape[0]
            n_stop = max(n_stop, n_p)
            recall = 1.0 if not stopped else (int(cum[n_stop]) - prior_inc) / R
            screened = (n_stop - n_p) / N if stopped else 1.0
            n_t = records_to_reach(lab, target, n_p)
            row = {
                "dataset": run.dataset,
                "seed": run.seed,
                "method": method,
                "target": target,
                "N": N,
                "R": R,
                "stopped": stopped,
                "recall_at_stop": recall,
                "reached_target": recall >= target - 1e-12,
                "screened_at_stop": screened,
                "excess": screened - n_t / N,
            }
            for frac in coverage_at:
                q = int(round(frac * 100))
                row[f"covered_{q}"], row[f"above_{q}"] = _coverage(ests, lab, cum, n_p, R, total_inc, frac,
                                                                   run.n_first)
            rows.append(row)
    return pd.DataFrame(rows)


def _coverage(ests, lab, cum, n_p, R, total_inc, frac, n_first: int = 0) -> tuple[float, float]:
    """(covered, above): 1.0/0.0 whether the interval at the first checkpoint with ``frac`` of
    includes found holds the truth, and whether it lies wholly above it (a miss on the safe
    side: more includes thought left than there are); NaN if the method gives no interval or
    the run has no includes. With ``n_first`` records read apart (``SimulatedRun.n_first``), ``frac`` of the
    includes the methods read: where the replay asked them, also a method too slow to be asked at every record."""
    nan = float("nan")
    if R == 0:
        return nan, nan
    if n_first:
        seen = np.delete(lab, np.arange(n_p, n_p + n_first))
        if not seen[n_p:].any():  # every include was put first: the methods had none to find
            return nan, nan
        n_frac = n_p + n_first + records_to_reach(seen, frac, n_p)
    else:
        n_frac = n_p + records_to_reach(lab, frac, n_p)
    for e in ests:
        if e.n_screened >= n_frac:
            if not (math.isfinite(e.remaining_low) and math.isfinite(e.remaining_high)):
                return nan, nan
            return interval_verdict(e, total_inc - int(cum[e.n_screened]))
    return nan, nan


def interval_verdict(e: Estimate, truth: int) -> tuple[float, float]:
    """(covered, above) as 1.0/0.0: whether the interval holds the true number of includes left,
    and whether it lies wholly above it."""
    return (1.0 if e.covers(truth) else 0.0), (1.0 if e.remaining_low - 1e-9 > truth else 0.0)


def evaluate(runs: Iterable[SimulatedRun], targets: Iterable[float] = TARGETS, coverage_at: Iterable[float] = COVERAGE_AT) -> pd.DataFrame:
    """Per-run rows for all runs (see ``summarise`` for the table per method and target)."""
    frames = [run_metrics(r, targets, coverage_at) for r in runs]
    if not frames:
        raise ScreenerError("no simulated runs to evaluate")
    return pd.concat(frames, ignore_index=True)


def summarise(per_run: pd.DataFrame, by: Sequence[str] = ("method", "target")) -> pd.DataFrame:
    """Mean figures per method and target: reliability, recall/screened at stop, excess, coverage."""
    cov_cols = [c for c in per_run.columns if c.startswith(("covered_", "above_"))]
    agg = {
        "runs": ("recall_at_stop", "size"),
        "reliability": ("reached_target", "mean"),
        "recall_at_stop": ("recall_at_stop", "mean"),
        "min_recall_at_stop": ("recall_at_stop", "min"),
        "screened_at_stop": ("screened_at_stop", "mean"),
        "excess": ("excess", "mean"),
        "stopped": ("stopped", "mean"),
    }
    for c in cov_cols:
        agg[c.replace("covered", "coverage").replace("above", "share_above")] = (c, "mean")
    if per_run.empty:  # every run had nothing left to find after its priors (``run_metrics``): no row, no column
        return pd.DataFrame(columns=[*by, *agg])
    return per_run.groupby(list(by), sort=True).agg(**agg).reset_index()


def estimates_for_order(
    order_labels: Sequence[int],
    estimators: Mapping[str, object],
    targets: Iterable[float] = TARGETS,
    confidence: float = 0.95,
    checkpoints: Sequence[int] | None = None,
    history_at: Callable[[int], ScreeningHistory] | None = None,
) -> dict[str, dict[float, list[Estimate]]]:
    """Run every estimator on the prefixes of a complete screening order.

    ``history_at(n)`` builds the history after ``n`` records (default: labels only, which
    is all the rank-based methods need). ``checkpoints`` default to every record.
    """
    lab = np.asarray(order_labels, dtype=np.int8)
    N = lab.shape[0]
    if checkpoints is None:
        checkpoints = range(1, N + 1)
    if history_at is None:
        history_at = lambda n: ScreeningHistory(labels=lab[:n], n_total=N)  # noqa: E731
    out: dict[str, dict[float, list[Estimate]]] = {m: {t: [] for t in targets} for m in estimators}
    for n in checkpoints:
        h = history_at(int(n))
        for name, est in estimators.items():
            for t in targets:
                out[name][t].append(est.estimate(h, target_recall=t, confidence=confidence))
    return out


def _stops(est, h: ScreeningHistory, target: float, confidence: float) -> tuple[bool, Estimate | None]:
    fast = getattr(est, "stops", None)
    if fast is not None:
        return bool(fast(h, target, confidence)), None
    e = est.estimate(h, target_recall=target, confidence=confidence)
    return e.stop, e


def stopping_trace(
    order_labels: Sequence[int],
    estimators: Mapping[str, object],
    history_at: Callable[[int], ScreeningHistory] | None = None,
    targets: Iterable[float] = TARGETS,
    confidence: float = 0.95,
    checkpoints: Sequence[int] | None = None,
    coverage_at: Iterable[float] = COVERAGE_AT,
    n_priors: int = 0,
) -> dict[str, dict[float, list[Estimate]]]:
    """What ``evaluate`` needs from one complete screening order, at a fraction of the cost
    of ``estimates_for_order``: full estimates only where coverage is checked (the first
    record at which 25/50/75% of includes are found) and at each method's first stop;
    elsewhere the cheap ``stops`` check, and nothing after a method has stopped.
    """
    lab = np.asarray(order_labels, dtype=np.int8)
    N = lab.shape[0]
    targets = tuple(targets)
    if history_at is None:
        history_at = lambda n: ScreeningHistory(labels=lab[:n], n_total=N)  # noqa: E731
    cps = np.arange(1, N + 1) if checkpoints is None else np.unique(np.asarray(checkpoints, dtype=int))
    R = int(lab[n_priors:].sum())
    cov_n = sorted({n_priors + records_to_reach(lab, f, n_priors) for f in coverage_at} if R else set())
    cps = np.union1d(cps, cov_n).astype(int)
    out: dict[str, dict[float, list[Estimate]]] = {m: {t: [] for t in targets} for m in estimators}
    live = {(m, t) for m in estimators for t in targets}
    cache: dict[int, ScreeningHistory] = {}
    for n in cps:
        n = int(n)
        at_cov = n in cov_n
        if not live and n > (cov_n[-1] if cov_n else 0):
            break
        h = None
        for name, est in estimators.items():
            for t in targets:
                if at_cov:
                    h = h or history_at(n)
                    e = est.estimate(h, target_recall=t, confidence=confidence)
                    out[name][t].append(e)
                    if e.stop:
                        live.discard((name, t))
                elif (name, t) in live:
                    h = h or history_at(n)
                    stop, e = _stops(est, h, t, confidence)
                    if stop:
                        out[name][t].append(e or est.estimate(h, target_recall=t, confidence=confidence))
                        live.discard((name, t))
    return out
