"""Synthetic screening runs for testing and tuning the stopping methods without touching the
labels of real reviews.

A ranker is simulated by a latent score per record: excludes ~ N(0, 1), includes ~ N(d, 1),
except a share ``hard_share`` of includes that look like excludes (N(0, 1)). The records
are screened in order of latent + noise (an imperfect, retrained ranker) after a short
random cold start. The reported score is ``sigmoid(slope * latent - offset)``; with
``drift`` the slope grows as screening goes on, as a retrained model grows more confident,
so scores from different moments are not on the same scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import ScreeningHistory


@dataclass
class SyntheticRun:
    labels: np.ndarray  # every record, in screening order
    latent: np.ndarray  # ranking latent of every record, in screening order
    sampled: np.ndarray  # bool, in screening order
    sample_probs: np.ndarray
    sample_drawn_at: np.ndarray
    drift: float
    offset: float
    params: dict

    @property
    def n_total(self) -> int:
        return int(self.labels.shape[0])

    def slope_at(self, n: int) -> float:
        return 1.0 + self.drift * n / self.n_total

    def score(self, latent: np.ndarray, n: int) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope_at(n) * latent - self.offset)))

    def history(self, n: int) -> ScreeningHistory:
        """The history after ``n`` records, with scores at screening and current remaining scores."""
        pos = np.arange(n)
        sc_at = 1.0 / (1.0 + np.exp(-((1.0 + self.drift * pos / self.n_total) * self.latent[:n] - self.offset)))
        return ScreeningHistory(
            labels=self.labels[:n],
            n_total=self.n_total,
            sampled=self.sampled[:n],
            scores_at_screening=sc_at,
            remaining_scores=self.score(self.latent[n:], n),
            sample_probs=self.sample_probs[:n] if self.sampled[:n].any() else None,
            sample_drawn_at=self.sample_drawn_at[:n] if self.sampled[:n].any() else None,
        )


def synthetic_run(
    n_total: int = 1000,
    prevalence: float = 0.05,
    separation: float = 2.5,
    hard_share: float = 0.0,
    noise: float = 0.5,
    cold_start: int = 2,
    drift: float = 0.0,
    seed: int = 0,
    sample_every: int = 0,
    sample_size: int = 0,
    sample_uniform: bool = False,
    learning: float = 0.0,
) -> SyntheticRun:
    """One synthetic review screened to the end (at least one include).

    With ``sample_every`` and ``sample_size``, after every ``sample_every`` ranked records
    the queue draws ``sample_size`` records from the unscreened ones (score-proportional
    via ``draw_sample``, or uniform) and screens them next, as the real queue would.

    ``learning``: share of the records screened first in the order of a ranker still learning
    (a quarter of the separation), as active learning does before it has seen enough labels."""
    rng = np.random.default_rng(seed)
    n_inc = max(1, int(rng.binomial(n_total, prevalence)))
    y = np.zeros(n_total, dtype=np.int8)
    y[:n_inc] = 1
    hard = np.zeros(n_total, dtype=bool)
    hard[:n_inc] = rng.random(n_inc) < hard_share
    mu = np.where((y == 1) & ~hard, separation, 0.0)
    latent = mu + rng.standard_normal(n_total)
    key = latent + noise * rng.standard_normal(n_total)
    order = np.argsort(-key, kind="stable")
    first = np.zeros(0, dtype=np.int64)
    if cold_start:
        first = rng.choice(n_total, size=min(cold_start, n_total), replace=False)
    if learning:
        weak = 0.25 * mu + rng.standard_normal(n_total)
        weak[first] = np.inf
        first = np.argsort(-weak, kind="stable")[: first.shape[0] + int(round(learning * n_total))]
    if first.shape[0]:
        order = np.concatenate((first, order[~np.isin(order, first)]))
    offset = float(np.log((1 - prevalence) / prevalence))
    sampled = np.zeros(n_total, dtype=bool)
    probs = np.full(n_total, np.nan)
    drawn_at = np.full(n_total, -1, dtype=np.int64)
    if sample_every and sample_size:
        from .sampling import draw_sample

        ranked = list(order)  # best first
        taken = np.zeros(n_total, dtype=bool)
        new_order: list[int] = []
        since = 0
        pos = 0
        while len(new_order) < n_total:
            if since >= sample_every:
                rest = np.flatnonzero(~taken)
                sc = None if sample_uniform else 1.0 / (1.0 + np.exp(-(key[rest] - offset)))
                idx, pi = draw_sample(rest, sample_size, scores=sc, rng=rng)
                for i, p in zip(idx, pi):
                    sampled[len(new_order)] = True
                    probs[len(new_order)] = p
                    drawn_at[len(new_order)] = len(new_order) - list(idx).index(i)
                    new_order.append(int(i))
                    taken[i] = True
                since = 0
                continue
            while pos < n_total and taken[ranked[pos]]:
                pos += 1
            if pos >= n_total:
                break
            new_order.append(int(ranked[pos]))
            taken[ranked[pos]] = True
            since += 1
        order = np.asarray(new_order)
    return SyntheticRun(
        labels=y[order],
        latent=key[order],
        sampled=sampled,
        sample_probs=probs,
        sample_drawn_at=drawn_at,
        drift=drift,
        offset=offset,
        params=dict(n_total=n_total, prevalence=prevalence, separation=separation, hard_share=hard_share,
                    noise=noise, cold_start=cold_start, drift=drift, seed=seed, learning=learning),
    )
