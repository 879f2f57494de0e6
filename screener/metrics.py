"""How good a screening order is, read off the order itself (see ``shared/BENCHMARK.md``).

Every function takes the labels in screening order (1 = include, 0 = exclude) and the number of
prior records at the front of that order. Priors were handed to the system before it ranked
anything, so they are left out of every numerator and denominator: ``N`` is the number of
records after the priors, ``R`` the includes among them, ``n(r)`` the number screened when
recall first reaches ``r``. A run whose ``R`` is 0 has no recall to measure: its metrics are NaN.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np

from screener.errors import ScreenerError

#: Screened shares at which recall is reported (recall@5%, @10%, @20%).
RECALL_AT = (0.05, 0.10, 0.20)

_EPS = 1e-9


def _post_prior(labels: Sequence[int] | np.ndarray, n_priors: int) -> np.ndarray:
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ScreenerError("labels must be one value per screened record, in screening order")
    if n_priors < 0 or n_priors > len(y):
        raise ScreenerError(f"n_priors is {n_priors} but only {len(y)} records were screened")
    y = y[n_priors:]
    if y.size and not np.isin(y, (0, 1)).all():
        raise ScreenerError("labels must be 0 (exclude) or 1 (include); found other values")
    return y.astype(np.int64)


def found_curve(labels, n_priors: int = 0) -> np.ndarray:
    """Includes found after screening k post-prior records, for k = 0..N (length N + 1)."""
    y = _post_prior(labels, n_priors)
    return np.concatenate([[0], np.cumsum(y)])


def includes_needed(R: int, r: float) -> int:
    """Includes that make recall at least ``r`` out of ``R`` (0.95 of 16 includes is 16)."""
    if not 0 <= r <= 1:
        raise ScreenerError(f"target recall must be between 0 and 1, got {r}")
    return int(math.ceil(r * R - _EPS))


def n_at_recall(labels, r: float, n_priors: int = 0) -> float:
    """``n(r)``: post-prior records screened when recall first reaches ``r`` (NaN when R = 0)."""
    curve = found_curve(labels, n_priors)
    R = int(curve[-1])
    if R == 0:
        return math.nan
    need = includes_needed(R, r)
    return int(np.searchsorted(curve, need, side="left"))


def recall_at_fraction(labels, fraction: float, n_priors: int = 0) -> float:
    """Recall after screening ``fraction`` of ``N`` (rounded up to whole records)."""
    curve = found_curve(labels, n_priors)
    N = len(curve) - 1
    R = int(curve[-1])
    if R == 0:
        return math.nan
    k = min(N, int(math.ceil(fraction * N - _EPS)))
    return float(curve[k] / R)


def wss(labels, r: float, n_priors: int = 0) -> float:
    """Work saved over sampling at recall ``r``: ``(N - n(r)) / N - (1 - r)``."""
    curve = found_curve(labels, n_priors)
    N = len(curve) - 1
    if curve[-1] == 0:
        return math.nan
    n = n_at_recall(labels, r, n_priors)
    return float((N - n) / N - (1 - r))


def rrf(labels, percent: float = 10, n_priors: int = 0) -> float:
    """Relevant records found after screening ``percent``% (RRF@10 is recall@10%)."""
    return recall_at_fraction(labels, percent / 100.0, n_priors)


def atd(labels, n_priors: int = 0) -> float:
    """Average time to discovery: mean over includes of (1-based position found / N)."""
    y = _post_prior(labels, n_priors)
    N = len(y)
    pos = np.flatnonzero(y) + 1
    if pos.size == 0:
        return math.nan
    return float(pos.mean() / N)


def latency_stats(latencies: Iterable[float]) -> dict:
    """Median and 95th percentile of the rerank latencies (seconds); NaN when none."""
    lat = np.asarray(list(latencies), dtype=float)
    if lat.size == 0:
        return {"latency_median_s": math.nan, "latency_p95_s": math.nan}
    return {
        "latency_median_s": float(np.median(lat)),
        "latency_p95_s": float(np.percentile(lat, 95)),
    }


def ranking_metrics(labels, n_priors: int = 0) -> dict:
    """Every order metric of the benchmark as one flat dict (keys are the CSV columns)."""
    curve = found_curve(labels, n_priors)
    N = len(curve) - 1
    R = int(curve[-1])
    out: dict = {"N": N, "R": R}
    for x in RECALL_AT:
        out[f"recall@{int(round(x * 100))}%"] = recall_at_fraction(labels, x, n_priors)
    out["wss@95"] = wss(labels, 0.95, n_priors)
    out["wss@100"] = wss(labels, 1.0, n_priors)
    out["rrf@10"] = rrf(labels, 10, n_priors)
    out["atd"] = atd(labels, n_priors)
    out["n@90"] = n_at_recall(labels, 0.90, n_priors)
    out["n@95"] = n_at_recall(labels, 0.95, n_priors)
    out["n@100"] = n_at_recall(labels, 1.0, n_priors)
    return out


# --------------------------------------------------------------------------- stopping


def stopping_outcome(labels, stop_n: int | None, target: float, n_priors: int = 0) -> dict:
    """What a stop after ``stop_n`` post-prior records would have meant for this order.

    ``stop_n`` None means the method never said stop: it counts as screening everything
    (recall 1.0, screened 100%). ``excess`` is screened at stop minus ``n(target)``, as a share
    of ``N`` (negative when the method stopped short of the target).
    """
    curve = found_curve(labels, n_priors)
    N = len(curve) - 1
    R = int(curve[-1])
    stopped = stop_n is not None
    k = N if stop_n is None else int(min(max(stop_n, 0), N))
    if R == 0 or N == 0:
        return {"stopped": stopped, "recall_at_stop": math.nan, "screened_at_stop": k / N if N else math.nan,
                "excess": math.nan, "reached_target": False}
    rec = float(curve[k] / R)
    n_t = n_at_recall(labels, target, n_priors)
    return {
        "stopped": stopped,
        "recall_at_stop": rec,
        "screened_at_stop": k / N,
        "excess": (k - n_t) / N,
        "reached_target": rec + _EPS >= target,
    }


def reliability(recalls_at_stop: Iterable[float], target: float) -> float:
    """Share of runs whose recall at stop is at least ``target`` (NaN runs are left out)."""
    r = np.asarray([x for x in recalls_at_stop if not (isinstance(x, float) and math.isnan(x))], dtype=float)
    if r.size == 0:
        return math.nan
    return float(np.mean(r + _EPS >= target))


__all__ = [
    "RECALL_AT",
    "atd",
    "found_curve",
    "includes_needed",
    "latency_stats",
    "n_at_recall",
    "ranking_metrics",
    "recall_at_fraction",
    "reliability",
    "rrf",
    "stopping_outcome",
    "wss",
]
