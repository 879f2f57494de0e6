"""The model-based recall estimate: how many includes are left, judged from how the
ranker's choices so far turned out?

Rank covariate (the default; needs only the screening order). Model the ranker as
binormal: include scores ~ N(d, 1), exclude scores ~ N(0, 1), and a share h of includes
that the ranker cannot tell from excludes (their scores ~ N(0, 1) too). Where a share q of
the excludes has been passed, z = Phi^-1(1 - q), the odds that the next record is an
include are exp(c) * ((1 - h) exp(d z - d^2/2) + h), with c = logit(prevalence). For each
screened record q is known exactly (excludes screened before it / all excludes), so a
Bayesian fit of (c, d, h) on the labels needs nothing but their order. Summing the odds
over the excludes still unscreened gives the expected number of includes left; the
interval is the posterior predictive: Poisson counts over draws from the (Laplace)
posterior, each scaled by a log-normal "model discrepancy" factor, since real rankers are
only roughly binormal. Stop when the chance that more includes are left than the target
allows is at most 1 - confidence.

The first quarter of the ranked records is left out of that fit (``burn_in``). Early in a
review the ranker is still learning from a handful of labels, so includes turn up at a
steady rate instead of the falling rate of a trained ranker; fitted to that phase, the
model took the ranker for a poor one and expected the remainder to be as rich as the top
(benchmarks/results/stopping_variants.md compares set-ups). The burn-in always leaves the
latest three includes found in the fit, so a review whose includes all came first still shows
the fit how the rate fell. Includes found early still count as found; they are only not used
to learn the shape of the curve.

An early stretch that was not screened in ranking order at all (records taken in random or
file order, decisions brought in with ``label``) is found by ``unranked_prefix``: includes
came no faster there than afterwards, which a ranking never does. Those records are left out
of the rank model as a sample is (they took records out of the pool without saying anything
about the ranking), and the ranking is modelled from where it really began. Without this, the
first rich ranked batches after a random start made the whole rest look as rich (issue 12).
Nor is a ranking ever read as worse than random (d < 0 would make the unscreened records
richer than the screened ones): such draws are read as random order.

Score covariate (on request, or with "auto" when a sample with scores is present): a logistic
regression of the labels on the logit of each record's score at screening, summed over
the current scores of the unscreened records. The ranker chose records by score, so the
screened set is biased, but the choice depended on the score only: P(include | score) is
still estimated without bias where there is data. Sampled records (random or
score-proportional) lie in the low-scoring tail and anchor the fit there; their
Horvitz-Thompson estimate (Li & Kanoulas 2020) is reported alongside as a check.

Priors: prevalence around 5% (95% range 0.3%-50%) and separation d around 1.5 with sd 1.5,
from a ranker no better than random to a near-perfect one (both chosen on synthetic runs). The
share h of includes the ranker cannot find, the model-discrepancy factor and the least number
of includes before any stop were chosen on the 22 tuning reviews (``../shared/tuning``) and
low-prevalence versions of them, never on the reported sets
(``benchmarks/results/tuning/stopping_variants.md``, ``stopping_round2.md`` and
``stopping_round3.md``): h around 0.5% of the includes found, 95% range 0.07%-3.5%; no
discrepancy factor (it widened the interval without making the stop any safer there); no stop
before 3 includes are found (with fewer there is no curve to learn from, and one tuning review
with 2 includes was stopped after the first). Fitted to complete tuning orders the binormal
model needs no hard share at all (``stopping_variants.py --fit-prior``): the h prior is a safety
allowance, sized by how often the stop missed the target on the tuning runs. Along a ranked
history its posterior hardly moves from the prior (the tail screened so far is far too short to
show a share under 1%), so the prior's upper tail is what the stop waits out. The hard part is a
share of the includes *found* (``hard_scale="found"``): as a share of the fitted prevalence
exp(c) (rounds 1-2) it also carried c's uncertainty, which is large because the fit never sees
the first quarter of the ranking, and the stop waited out both; tied to the count, the same
safety on the tuning runs came with about a sixth less over-screening.

Targets below 95% (a rapid review's 80%) are asked more cautiously than the fit alone would: on the project's
synthetic reviews it reached an 80% target in only 88.9% of runs (86.6% with 2% of the includes hard to find),
where a short fit window after the first quarter had read a noisy slope as a strong ranker
(``stopping_round4.md``). Below 95% the chance of having reached the target is read from the draws each scaled by
a log-normal factor of sd 0.75 (``lower_target_discrepancy``), and the stop is also given wherever the unwidened
draws give 95% recall that confidence, so a lower target never stops later than 95%. The 95% target and higher
are read exactly as before; the factor, too costly there (round 5), is not used for them. Round 13
(``stopping_round13.md``, its rule written before its runs): 96.8% of the synthetic runs reached 80% with and
without 2% hard-to-find includes (88.9% and 86.6% before); on the tuning runs 80% was reached in 100% of the
original reviews and 98.2% of their 1% versions (97.4% before), at a mean excess of 21.6% of the records on the
original reviews against 14.7% (the hypergeometric test's 36.0%).

Assumes: once past its first quarter, the ranking behaves roughly like a binormal ranker
whose tail continues the trend seen so far; includes the ranker cannot find are rare (the h
prior). Guarantees: none in the strict sense. At low prevalence nothing in a ranked history
can reveal a few includes that look like excludes; the h prior is what keeps the method from
stopping too early, and in practice it sets where the method stops: it waits until even the
hard-to-find includes the prior allows would most likely all have been screened. A review
with many such includes will fool it. Use a random sample and QBCB where a
guarantee is required, and the hypergeometric test for a check that assumes less.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri, pdtr

from screener.errors import ScreenerError

from .base import (
    Estimate,
    ScreeningHistory,
    allowed_missed,
    check_levels,
    level_pct,
    make_estimate,
    recall_pct,
    terminal_estimate,
)

_BINS = 192
_KEEP_INCLUDES = 3  # the burn-in leaves at least this many of the latest includes in the fit
#: No stop before this many includes are found (``ScoreSampleEstimator.min_includes``'s default)
MIN_INCLUDES = 3
#: Targets below this one get ``lower_target_discrepancy``; this one and higher are asked as shipped, and a
#: lower target's stop never comes later than this one's (``ScoreSampleEstimator._p_ok``)
WIDENED_BELOW = 0.95
#: What a stop below ``WIDENED_BELOW`` allows for, in the words the note and the report's methods text both say
WIDENED_WORDS = ("allowing for the model fitting the ranking only roughly (as at every target under "
                 f"{level_pct(WIDENED_BELOW)})")
#: The assumption the estimate's note names (the advice's "Why" says it in its own words, ``advice.explain``).
ASSUMES = "Assumes the include rate keeps falling down the ranking; no guarantee."


def _binom_ll(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Maximised Bernoulli log-likelihood of k includes in n records (0 log 0 = 0)."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, k / np.maximum(n, 1), 0.0)
        a = np.where(k > 0, k * np.log(np.where(p > 0, p, 1.0)), 0.0)
        b = np.where(n - k > 0, (n - k) * np.log(np.where(p < 1, 1 - p, 1.0)), 0.0)
    return a + b


def unranked_prefix(labels: np.ndarray, min_lr: float = 20.0, min_len: int = 20) -> int:
    """Length of an early stretch that was evidently not screened in ranking order, or 0.

    A ranked order finds includes fastest first. If instead the include rate *jumps up*
    after some point (records screened in random order or file order, decisions brought in
    from elsewhere, a ranker that had not learned yet), the records before the jump say
    nothing about where includes sit in the ranking. The stretch is found as the split
    [0, k) | [k, j) with the largest likelihood-ratio for "the rate after k is higher";
    it counts only when that ratio (2 log LR) reaches ``min_lr`` (chosen on synthetic and
    tuning runs: a ranked order almost never shows such a jump by chance).
    """
    y = np.asarray(labels, dtype=float)
    n = y.shape[0]
    if n < 2 * min_len or y.sum() < 3:
        return 0
    cum = np.concatenate(([0.0], np.cumsum(y)))
    grid = np.unique(np.linspace(min_len, n, min(n - min_len + 1, 120)).round().astype(int))
    k = grid[:, None]
    j = grid[None, :]
    ok = j >= k + min_len // 2
    ka, na = cum[k], k.astype(float)
    kb, nb = cum[j] - cum[k], (j - k).astype(float)
    stat = 2 * (_binom_ll(ka, na) + _binom_ll(kb, nb) - _binom_ll(ka + kb, na + nb))
    rate_up = kb * na > ka * np.maximum(nb, 1)
    stat = np.where(ok & rate_up, stat, 0.0)
    if stat.max() < min_lr:
        return 0
    return int(np.broadcast_to(k, stat.shape)[np.unravel_index(np.argmax(stat), stat.shape)])


def exclude_quantile(e, n_excludes: int) -> np.ndarray:
    """Normal score of a place among the excludes: z with P(exclude score > z) = (e + 0.5) / n_excludes."""
    return ndtri(1.0 - (np.asarray(e, dtype=float) + 0.5) / n_excludes)


def _logit_scores(s: np.ndarray, probability_scale: bool) -> np.ndarray:
    if probability_scale:
        s = np.clip(s, 1e-6, 1 - 1e-6)
        return np.log(s) - np.log1p(-s)
    return s


def fit_logistic(x: np.ndarray, y: np.ndarray, prior_sd: tuple[float, float], weights: np.ndarray | None = None,
                 prior_mean: tuple[float, float] = (0.0, 0.0)):
    """MAP and posterior covariance of (intercept, slope) in P(y=1) = sigmoid(a + b x),
    under independent normal priors."""
    X = np.column_stack((np.ones_like(x), x))
    w_obs = np.ones_like(x) if weights is None else weights
    P = np.diag(1.0 / np.square(prior_sd))
    m0 = np.asarray(prior_mean, dtype=float)
    beta = m0.copy()
    prev = max(min(float(np.average(y, weights=w_obs)), 1 - 1e-3), 1e-3)
    beta[0] = math.log(prev / (1 - prev)) - beta[1] * float(np.average(x, weights=w_obs))
    for _ in range(50):
        eta = X @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        W = w_obs * p * (1 - p)
        H = X.T @ (X * W[:, None]) + P
        g = X.T @ (w_obs * (y - p)) - P @ (beta - m0)
        step = np.linalg.solve(H, g)
        # damp large steps: separation makes the unpenalised problem unbounded
        norm = float(np.abs(step).max())
        if norm > 5:
            step *= 5 / norm
        beta = beta + step
        if norm < 1e-8:
            break
    eta = X @ beta
    p = 1.0 / (1.0 + np.exp(-eta))
    H = X.T @ (X * (w_obs * p * (1 - p))[:, None]) + P
    cov = np.linalg.inv(H)
    return beta, cov


def _ranked_log_ratio(theta: np.ndarray, z: np.ndarray, spread: bool):
    """Log density ratio of include over exclude scores at exclude quantile ``z``, and its derivatives in d and
    (with ``spread``) in v = log s, the last element of ``theta``.

    Equal spreads (include scores N(d, 1)): d z - d^2 / 2. Unequal (N(d, s^2), the standard ROC model):
    log(phi((z - d) / s) / s / phi(z)) = -((z - d) / s)^2 / 2 - log s + z^2 / 2, which is the same at s = 1.
    """
    d = theta[1]
    if not spread:
        return np.clip(d * z - 0.5 * d * d, -60, 60), z - d, None
    v = theta[-1]
    r = (z - d) * math.exp(-v)
    return np.clip(0.5 * (z * z - r * r) - v, -60, 60), r * math.exp(-v), r * r - 1.0


def binormal_log_odds(theta: np.ndarray, z: np.ndarray, log_k: float | None = None,
                      spread: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds of an include at exclude-quantile ``z`` and its gradient in ``theta``.

    theta = (c, d) or (c, d, u): c = logit(prevalence), d = separation of include from
    exclude scores, h = sigmoid(u) = share of includes the ranker cannot tell from excludes.
    odds = exp(c) * ((1 - h) * exp(d z - d^2 / 2) + h). With ``log_k`` (the log of the
    includes found per exclude in the pool) the hard part is tied to that count instead,
    odds = exp(c) (1 - h) exp(d z - d^2 / 2) + h k: a share h of the includes found, not of
    a prevalence that the fit (which never sees the first quarter of the ranking) pins down
    only loosely. With ``spread`` theta ends with v = log s, the include scores' spread, and
    d z - d^2 / 2 is replaced by the unequal-spread log density ratio (``_ranked_log_ratio``).
    """
    c = theta[0]
    s, ds_d, ds_v = _ranked_log_ratio(theta, z, spread)
    hard = theta.shape[0] == (4 if spread else 3)

    def with_spread(cols, share):  # the derivative in v, where theta has it
        return np.column_stack(cols if not spread else (*cols, share * ds_v))

    if not hard:
        return c + s, with_spread((np.ones_like(z), ds_d), np.ones_like(z))
    h = 1.0 / (1.0 + math.exp(-theta[2]))
    if log_k is not None:
        log_h, log_1h = -np.logaddexp(0.0, -theta[2]), -np.logaddexp(0.0, theta[2])
        la = c + log_1h + s  # log of the ranked part's odds
        lb = log_h + log_k  # log of the hard part's odds
        eta = np.logaddexp(la, lb)
        a, b = np.exp(la - eta), np.exp(lb - eta)  # the parts' shares of the odds
        return eta, with_spread((a, a * ds_d, b * (1 - h) - a * h), a)
    A = np.exp(s)
    D = (1 - h) * A + h
    eta = c + np.log(D)
    return eta, with_spread((np.ones_like(z), (1 - h) * A * ds_d / D, h * (1 - h) * (1 - A) / D), (1 - h) * A / D)


def fit_binormal(z: np.ndarray, y: np.ndarray, prior_mean, prior_sd, weights: np.ndarray | None = None,
                 log_k: float | None = None, spread: bool = False, spread_floor: bool = False):
    """MAP and (Gauss-Newton) posterior covariance of the binormal ranker model.

    If include scores are N(d, 1) and exclude scores N(0, 1), then at the score where a share
    q of the excludes lie above, z = Phi^-1(1 - q), the odds that the next record is an
    include are exp(c + d z - d^2 / 2) with c = logit(prevalence). Fitting on the excludes'
    quantiles (known for screened records) keeps the prevalence interpretable, so a prior on
    it reins in the estimate while every record so far has been an include. A third
    parameter (see ``binormal_log_odds``) lets a share of includes look like excludes: they
    turn up at a steady rate however far down the ranking one goes (``log_k``: see
    ``binormal_log_odds``). With ``spread`` a last parameter, log s, frees the include scores' spread
    (N(d, s^2)); with ``spread_floor`` too, log s is kept at or above 0 (s >= 1: a step that would take it
    below stops at 0), the peak of a posterior with log s = |u|, which is symmetric in u.
    """
    theta0 = np.asarray(prior_mean, dtype=float)
    P = np.diag(1.0 / np.square(np.asarray(prior_sd, dtype=float)))
    w = np.ones_like(z) if weights is None else weights
    theta = theta0.copy()
    for _ in range(80):
        eta, J = binormal_log_odds(theta, z, log_k, spread)
        p = 1.0 / (1.0 + np.exp(-np.clip(eta, -35, 35)))
        H = J.T @ (J * (w * p * (1 - p))[:, None]) + P
        g = J.T @ (w * (y - p)) - P @ (theta - theta0)
        step = np.linalg.solve(H, g)
        norm = float(np.abs(step).max())
        if norm > 1.0:
            step *= 1.0 / norm
        theta = theta + step
        if spread_floor and theta[-1] < 0:
            theta[-1] = 0.0
        if norm < 1e-7:
            break
    eta, J = binormal_log_odds(theta, z, log_k, spread)
    p = 1.0 / (1.0 + np.exp(-np.clip(eta, -35, 35)))
    H = J.T @ (J * (w * p * (1 - p))[:, None]) + P
    return theta, np.linalg.inv(H)


def _grouped(x: np.ndarray, y: np.ndarray, bins: int = 2 * _BINS):
    """(x, share of includes, count) per narrow bin of x: the same likelihood, far fewer terms
    (the bins are ~1/100 of a standard deviation wide, so the approximation is negligible)."""
    if x.shape[0] <= bins:
        return x, y, np.ones_like(x)
    edges = np.linspace(x.min(), x.max(), bins + 1)
    b = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
    m = np.bincount(b, minlength=bins).astype(float)
    k = np.bincount(b, weights=y, minlength=bins)
    sx = np.bincount(b, weights=x, minlength=bins)
    keep = m > 0
    return sx[keep] / m[keep], k[keep] / m[keep], m[keep]


def _binormal_eta(draws: np.ndarray, x: np.ndarray, log_k: float | None, spread: bool = False) -> np.ndarray:
    """Log-odds of an include at each x under each draw of (c, d[, u][, v]) (``binormal_log_odds``, vectorised)."""
    c = draws[:, :1]
    s = _ranked_log_ratios(draws, x, spread)
    if draws.shape[1] == (3 if spread else 2):
        return c + s
    u = draws[:, 2:3]
    log_h, log_1h = -np.logaddexp(0.0, -u), -np.logaddexp(0.0, u)
    if log_k is not None:
        return np.logaddexp(c + log_1h + s, log_h + log_k)
    return c + np.logaddexp(log_1h + s, log_h)


def _ranked_log_ratios(draws: np.ndarray, x: np.ndarray, spread: bool) -> np.ndarray:
    """``_ranked_log_ratio`` for each draw (rows) at each x (columns)."""
    d = draws[:, 1:2]
    if not spread:
        return np.clip(d * x[None, :] - 0.5 * d * d, -60, 60)
    v = draws[:, -1:]
    r = (x[None, :] - d) * np.exp(-v)
    return np.clip(0.5 * (x[None, :] ** 2 - r * r) - v, -60, 60)


def _fold_spread(draws: np.ndarray, theta: np.ndarray, chol: np.ndarray, log_q: np.ndarray):
    """Draws with log s = |u| (s >= 1) from normal draws of u, and the folded normal's log density.

    The posterior in u is symmetric about 0, so the normal at its peak folded at 0 approximates both of
    its modes. The density of a folded draw is the normal's at u plus at its mirror image -u.
    """
    mirror = draws.copy()
    mirror[:, -1] = -mirror[:, -1]
    zm = np.linalg.solve(chol, (mirror - theta[None, :]).T).T
    folded = draws.copy()
    folded[:, -1] = np.abs(folded[:, -1])
    return folded, np.logaddexp(log_q, -0.5 * np.sum(zm * zm, axis=1))


def _log_lik(eta: np.ndarray, y: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Bernoulli log-likelihood, per draw (row of ``eta``), of the grouped labels: a share ``y`` of includes
    among ``m`` records at each point."""
    return (m[None, :] * (y[None, :] * eta - np.logaddexp(0.0, eta))).sum(axis=1)


def _log_prior(draws: np.ndarray, mean, sd) -> np.ndarray:
    return -0.5 * np.sum(np.square((draws - np.asarray(mean, float)[None, :]) / np.asarray(sd, float)[None, :]), axis=1)


def _resample(draws: np.ndarray, log_weight: np.ndarray) -> np.ndarray:
    """Draws from the true posterior out of draws from its normal (Laplace) approximation.

    Where few includes have been found the posterior is skewed, with a longer tail towards more
    includes left than the normal at its peak allows: read off the normal draws, the chance that
    the target was reached came out 95% or more where the true posterior gave 86-94% (synthetic
    reviews and a tuning review with includes disguised). Each draw is weighted by true posterior
    over normal density and the draws resampled at fixed, evenly spaced points (systematic
    resampling without a random offset), so the same history still gives the same answer.
    """
    lw = np.where(np.isfinite(log_weight), log_weight, -np.inf)
    if not np.isfinite(lw).any():
        return draws
    w = np.exp(lw - lw.max())
    cum = np.cumsum(w / w.sum())
    n = draws.shape[0]
    idx = np.minimum(np.searchsorted(cum, (np.arange(n) + 0.5) / n), n - 1)
    return draws[idx]


class ScoreSampleEstimator:
    """Model-based estimate of the includes left (see module doc).

    ``covariate``: "rank" (default: binormal model on the screening order; robust to the
    scores' scale changing between retrainings), "score" (needs ``scores_at_screening`` and
    ``remaining_scores``; in synthetic tests it was unreliable when the scale drifts between
    retrainings) or "auto" (score when a sample with scores is present, rank otherwise). Priors, as (centre, sd): ``slope_prior`` for the separation d;
    ``prevalence_prior`` (prevalence, sd of its logit); ``hard_prior`` (share of includes
    that look like excludes, sd of its logit; None drops that part of the model).
    ``hard_scale``: what the hard share is a share of: "found" (the default: of the includes
    found, h k per exclude with k = includes found / excludes in the pool; see
    ``binormal_log_odds``) or "prevalence" (of the fitted prevalence, exp(c) h per exclude: the
    rule of rounds 1-2).
    ``hard_min_found``: the hard part is sized as if at least this many includes had been
    found (1: as many as were; a candidate for low-prevalence reviews, not adopted:
    benchmarks/results/workflow_sim_low_hard30/ and _hard100/).
    ``discrepancy``: sd of the log-normal factor on each posterior draw. ``burn_in``: share
    of the ranked records, the earliest, left out of the rank model's fit. ``n_draws``
    posterior draws, fixed by ``random_state``: the same history always gives the same answer.
    ``burn_in_also``: a second burn-in share; the rank model is fitted with each and the two
    posteriors are pooled with equal weight (model averaging over whether the early records were a
    learning phase or already a trained ranking; benchmarks/results/tuning/stopping_round4.md). None
    (the default): one fit, with ``burn_in``.
    ``posterior``: "normal" (the default) draws from the normal (Laplace) approximation at the
    posterior's peak; "resampled" reweights those draws to the posterior itself (``_resample``). A
    candidate of round 6 (benchmarks/results/tuning/stopping_round6.md), not adopted.
    ``spread_prior``: (centre, sd) of log s, where include scores are N(d, s^2) instead of N(d, 1) (the
    unequal-spread binormal model of ROC analysis; ``_ranked_log_ratio``). None (the default): equal spreads.
    A candidate of round 7 (benchmarks/results/tuning/stopping_round7.md).
    ``spread_at_least_one``: with ``spread_prior``, the spread is s >= 1 only: log s = |u|, u ~ N(centre, sd^2)
    (half-normal for centre 0), the draws those of u folded (``_fold_spread``). Round 7's free spread locked
    onto a false narrow one on short windows; a candidate of round 8 (stopping_round8.md).
    ``unranked_head``: the first this many records screened (not sampled) were not chosen by the ranker (a random
    cold start, prior records): left out of the rank model as a sample is, while their includes still count as
    found. Read as the ranker's top choices, two random excludes there made a fit on the whole history read the
    include scores' spread too narrow (benchmarks/results/tuning/stopping_fit_check.md); the shipped fit leaves
    the first quarter out anyway. 0 (the default): every screened record not sampled is read as ranked.
    ``lower_target_discrepancy``: for targets below ``WIDENED_BELOW`` (95%) only, the chance that the target is
    reached is read from the draws scaled by a log-normal factor of this sd, and the stop is given when that
    chance, or the unwidened chance of reaching 95%, is high enough: a lower target never stops later than 95%,
    and 95% and higher are asked as before. The interval is the unwidened one. Chosen by round 13
    (benchmarks/results/tuning/stopping_round13.md; see the module doc); 0: every target read alike.
    """

    name = "score_sample"

    def __init__(
        self,
        covariate: str = "rank",
        slope_prior: tuple[float, float] = (1.5, 1.5),
        prevalence_prior: tuple[float, float] = (0.05, 1.5),
        hard_prior: tuple[float, float] | None = (0.005, 1.0),
        discrepancy: float = 0.0,
        n_draws: int = 200,
        random_state: int = 0,
        compute_needs: bool = True,
        min_includes: int = MIN_INCLUDES,
        burn_in: float = 0.25,
        unranked_lr: float | None = 20.0,
        hard_scale: str = "found",
        hard_min_found: float = 1.0,
        burn_in_also: float | None = None,
        posterior: str = "normal",
        spread_prior: tuple[float, float] | None = None,
        spread_at_least_one: bool = False,
        unranked_head: int = 0,
        lower_target_discrepancy: float = 0.75,
    ):
        if covariate not in ("auto", "rank", "score"):
            raise ScreenerError(f"covariate must be 'auto', 'rank' or 'score', not {covariate!r}")
        self.covariate = covariate
        self.slope_prior = tuple(slope_prior)
        self.prevalence_prior = tuple(prevalence_prior)
        self.hard_prior = None if hard_prior is None else tuple(hard_prior)
        self.discrepancy = float(discrepancy)
        self.n_draws = n_draws
        self.random_state = random_state
        self.compute_needs = compute_needs
        self.min_includes = min_includes
        if not 0.0 <= burn_in < 1.0:
            raise ScreenerError(f"burn_in is a share of the ranked records, at least 0 and below 1, not {burn_in!r}")
        self.burn_in = float(burn_in)
        if burn_in_also is not None and not 0.0 <= burn_in_also < 1.0:
            raise ScreenerError(f"burn_in_also is a share of the ranked records, at least 0 and below 1, not "
                                f"{burn_in_also!r}")
        self.burn_in_also = None if burn_in_also is None else float(burn_in_also)
        if posterior not in ("normal", "resampled"):
            raise ScreenerError(f"posterior must be 'normal' or 'resampled', not {posterior!r}")
        self.posterior = posterior
        if spread_prior is not None and not (len(spread_prior) == 2 and float(spread_prior[1]) > 0):
            raise ScreenerError(f"spread_prior is (centre, sd) of the log of the include scores' spread, with sd above "
                                f"0, not {spread_prior!r}")
        self.spread_prior = None if spread_prior is None else (float(spread_prior[0]), float(spread_prior[1]))
        if spread_at_least_one and spread_prior is None:
            raise ScreenerError("spread_at_least_one bounds the include scores' spread, so it needs spread_prior "
                                "(centre, sd) as well")
        self.spread_at_least_one = bool(spread_at_least_one)
        if not (isinstance(unranked_head, (int, np.integer)) and unranked_head >= 0):
            raise ScreenerError(f"unranked_head is a number of records screened before the ranking began, 0 or more, "
                                f"not {unranked_head!r}")
        self.unranked_head = int(unranked_head)
        if not lower_target_discrepancy >= 0.0:
            raise ScreenerError(f"lower_target_discrepancy is the sd of a log-normal factor, 0 or more, not "
                                f"{lower_target_discrepancy!r}")
        self.lower_target_discrepancy = float(lower_target_discrepancy)
        self.unranked_lr = None if unranked_lr is None else float(unranked_lr)
        if hard_scale not in ("prevalence", "found"):
            raise ScreenerError(f"hard_scale must be 'prevalence' or 'found', not {hard_scale!r}")
        self.hard_scale = hard_scale
        if not hard_min_found >= 1.0:
            raise ScreenerError(f"hard_min_found is a number of includes, at least 1, not {hard_min_found!r}")
        self.hard_min_found = float(hard_min_found)
        k = 2 + (hard_prior is not None) + (spread_prior is not None)
        self._z = np.random.default_rng(random_state).standard_normal((n_draws, k))
        self._memo = None
        self._eps = np.random.default_rng([random_state, 1]).standard_normal(n_draws)

    # --- the model ----------------------------------------------------------------------
    def _which(self, h: ScreeningHistory) -> str:
        has_scores = h.scores_at_screening is not None and h.remaining_scores is not None
        if self.covariate == "score":
            return "score" if has_scores else "rank"
        if self.covariate == "rank":
            return "rank"
        return "score" if has_scores and h.has_sample else "rank"

    def _design(self, h: ScreeningHistory, cov: str):
        """(x of screened records used in the fit, their labels, x of the remainder as (values, counts))."""
        y = h.labels.astype(float)
        rest = h.n_remaining
        if cov == "score":
            allsc = np.concatenate((h.scores_at_screening, h.remaining_scores))
            prob = bool(np.all((allsc >= 0) & (allsc <= 1)))
            x = _logit_scores(h.scores_at_screening, prob)
            xr = _logit_scores(h.remaining_scores, prob)
            if xr.shape[0] > 2 * _BINS:
                counts, edges = np.histogram(xr, bins=_BINS)
                sums, _ = np.histogram(xr, bins=edges, weights=xr)
                keep = counts > 0
                return x, y, (sums[keep] / counts[keep], counts[keep].astype(float))
            return x, y, (xr, np.ones_like(xr))
        # rank: exclude-quantile covariate of the binormal ranker (see fit_binormal)
        ranked = ~h.sampled
        if self.unranked_head:  # records screened before the ranker chose any: read as a sample is
            ranked[np.flatnonzero(ranked)[: self.unranked_head]] = False
        if self.unranked_lr is not None and ranked.any():
            # an early stretch not screened in ranking order is left out of the rank model, as
            # a sample is: it removed records from the pool but says nothing about the ranking
            k = unranked_prefix(y[ranked], self.unranked_lr)
            if k:
                ranked[np.flatnonzero(ranked)[:k]] = False
        y = y[ranked]
        n_r = int(ranked.sum())
        excl_total = max(n_r + rest - int(y.sum()), 1)  # the unscreened counted as excludes
        e_before = np.concatenate(([0], np.cumsum(1 - y)[:-1])) if n_r else np.zeros(0)
        z = exclude_quantile(e_before, excl_total)
        e0 = n_r - int(y.sum())
        slots = np.arange(e0, excl_total)
        if slots.shape[0] > 2 * _BINS:
            edges = np.unique(np.round(np.linspace(e0, excl_total, _BINS + 1)).astype(np.int64))
            lo, hi = edges[:-1], edges[1:]
            counts = (hi - lo).astype(float)
            keep = counts > 0
            return z, y, (exclude_quantile(0.5 * (lo + hi - 1), excl_total)[keep], counts[keep])
        return z, y, (exclude_quantile(slots, excl_total), np.ones(slots.shape[0]))

    def _lambdas(self, h: ScreeningHistory, cov: str) -> np.ndarray:
        """Posterior draws of the expected number of includes left."""
        x, y, (xr, cr) = self._design(h, cov)
        if cov == "score":  # arbitrary scale: standardise, weakly informative slope prior
            mu = float(x.mean()) if x.size else 0.0
            sd = float(x.std()) if x.size > 1 else 1.0
            sd = sd if sd > 1e-9 else 1.0
            xg, yg, mg = _grouped((x - mu) / sd, y)
            beta, covm = fit_logistic(xg, yg, (8.0, 2.0), weights=mg)
            z2 = self._z[:, :2]
            draws = beta[None, :] + z2 @ np.linalg.cholesky(covm + 1e-12 * np.eye(2)).T
            if self.posterior == "resampled":
                lp = _log_lik(draws[:, :1] + draws[:, 1:] * xg[None, :], yg, mg) + _log_prior(draws, (0, 0), (8, 2))
                draws = _resample(draws, lp + 0.5 * np.sum(z2 * z2, axis=1))
            eta = draws[:, :1] + draws[:, 1:] * ((xr - mu) / sd)[None, :]
            return self._discrepancy((0.5 * (1.0 + np.tanh(0.5 * eta))) @ cr)  # summed probabilities
        prev, prev_sd = self.prevalence_prior
        mean = [math.log(prev / (1 - prev)), self.slope_prior[0]]
        sd = [prev_sd, self.slope_prior[1]]
        if self.hard_prior is not None:
            mean.append(math.log(self.hard_prior[0] / (1 - self.hard_prior[0])))
            sd.append(self.hard_prior[1])
        if self.spread_prior is not None:  # log s, always the last parameter
            mean.append(self.spread_prior[0])
            sd.append(self.spread_prior[1])
        log_k = None
        if self.hard_prior is not None and self.hard_scale == "found":
            excl_all = (y.shape[0] - float(y.sum())) + float(cr.sum())  # screened and unscreened excludes
            log_k = math.log(max(float(y.sum()), self.hard_min_found) / max(excl_all, 1.0))
        lam = self._rank_lambdas(x, y, xr, cr, mean, sd, log_k, self.burn_in)
        if self.burn_in_also is None:
            return lam
        # pooled draws of two fits, equal weights: the stop needs the pool's chance, the interval is the pool's
        return np.concatenate((lam, self._rank_lambdas(x, y, xr, cr, mean, sd, log_k, self.burn_in_also)))

    def _rank_lambdas(self, x, y, xr, cr, mean, sd, log_k, burn_in: float) -> np.ndarray:
        """Posterior draws of the includes left from the rank model fitted with ``burn_in``."""
        mean, sd = list(mean), list(sd)
        # the earliest records were chosen by a ranker still learning: leave them out of the fit,
        # but keep the last few includes found, which show how the rate falls
        skip = int(burn_in * x.shape[0])
        pos = np.flatnonzero(y)
        if skip and pos.shape[0]:
            skip = min(skip, int(pos[max(pos.shape[0] - _KEEP_INCLUDES, 0)]))
        xg, yg, mg = _grouped(x[skip:], y[skip:])
        spread = self.spread_prior is not None
        floor = spread and self.spread_at_least_one
        theta, covm = fit_binormal(xg, yg, prior_mean=mean, prior_sd=sd, weights=mg, log_k=log_k, spread=spread,
                                   spread_floor=floor)
        if theta[1] < 0:
            # the screened records look *less* likely to be includes than the rest: no ranking
            # is worse than random, so read it as a random order (d = 0, s = 1), never as a richer rest
            mean[1], sd[1] = 0.0, 1e-3
            if spread:
                mean[-1], sd[-1] = 0.0, 1e-3
            theta, covm = fit_binormal(xg, yg, prior_mean=mean, prior_sd=sd, weights=mg, log_k=log_k, spread=spread,
                                       spread_floor=floor)
        k = theta.shape[0]
        z = self._z if self._z.shape[1] == k else np.random.default_rng(self.random_state).standard_normal((self.n_draws, k))
        chol = np.linalg.cholesky(covm + 1e-12 * np.eye(k))
        draws = theta[None, :] + z @ chol.T
        log_q = -0.5 * np.sum(z * z, axis=1)  # the normal's log density at each draw (up to a constant)
        if floor:
            draws, log_q = _fold_spread(draws, theta, chol, log_q)
        if self.posterior == "resampled":
            log_post = _log_lik(_binormal_eta(draws, xg, log_k, spread), yg, mg) + _log_prior(draws, mean, sd)
            draws = _resample(draws, log_post - log_q)
        # a draw with d < 0 (worse than random) is read as a random order with the include rate
        # it gives where the fit has its data: d = 0 (and s = 1), c kept at the log-odds there
        zbar = float(np.average(xg, weights=mg)) if xg.size else 0.0
        neg = draws[:, 1:2] < 0
        draws = draws.copy()
        draws[:, :1] = np.where(neg, draws[:, :1] + _ranked_log_ratios(draws, np.array([zbar]), spread), draws[:, :1])
        draws[:, 1:2] = np.where(neg, 0.0, draws[:, 1:2])
        if spread:
            draws[:, -1:] = np.where(neg, 0.0, draws[:, -1:])
        c = draws[:, :1]
        odds = np.exp(_ranked_log_ratios(draws, xr, spread))
        h = 1.0 / (1.0 + np.exp(-draws[:, 2:3])) if self.hard_prior is not None else None
        if h is not None and log_k is not None:  # the hard part a share of the includes found
            odds = np.exp(c) * (1 - h) * odds + h * math.exp(log_k)
        else:  # a share of the prevalence (or no hard part)
            odds = np.exp(c) * (odds if h is None else (1 - h) * odds + h)
        odds = np.minimum(odds, math.exp(30.0))
        return self._discrepancy(odds @ cr)  # expected includes between the remaining excludes

    def _discrepancy(self, lam: np.ndarray) -> np.ndarray:
        """Widen the posterior for the model being only approximately right: each draw's
        expected count is scaled by a log-normal factor with sd ``discrepancy``."""
        if not self.discrepancy:
            return lam
        return lam * np.exp(self.discrepancy * self._eps[: lam.shape[0]])

    @staticmethod
    def _cdf(k: int, lam: np.ndarray, cap: int) -> float:
        if k >= cap:
            return 1.0
        return float(pdtr(k, lam).mean())

    def _quantile(self, q: float, lam: np.ndarray, cap: int) -> int:
        if self._cdf(0, lam, cap) >= q:
            return 0
        lo, hi = 0, cap  # cdf(lo) < q <= cdf(hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._cdf(mid, lam, cap) >= q:
                hi = mid
            else:
                lo = mid
        return hi

    def _core(self, h: ScreeningHistory, target_recall: float, confidence: float):
        cov = self._which(h)
        # the draws do not depend on the target: reuse them when asked again about the same history
        key = (cov, h.n_total, h.labels.tobytes(), h.sampled.tobytes(),
               None if h.remaining_scores is None else h.remaining_scores.tobytes(),
               None if h.scores_at_screening is None else h.scores_at_screening.tobytes())
        if self._memo is not None and self._memo[0] == key:
            lam = self._memo[1]
        else:
            lam = self._lambdas(h, cov)
            self._memo = (key, lam)
        return cov, lam, self._p_ok(h, lam, target_recall)

    def _p_ok(self, h: ScreeningHistory, lam: np.ndarray, target_recall: float) -> float:
        """The chance that recall has reached the target. Below 95% with ``lower_target_discrepancy``: the larger
        of that chance from the widened draws and the chance of 95% from the draws as they are, so that wherever
        95% would stop, a lower target stops too."""
        rest = h.n_remaining
        p_ok = self._cdf(allowed_missed(h.includes_found, target_recall), lam, rest)
        if not self._widens(target_recall):
            return p_ok
        wide = lam * np.exp(self.lower_target_discrepancy * np.resize(self._eps, lam.shape[0]))
        return max(self._cdf(allowed_missed(h.includes_found, target_recall), wide, rest),
                   self._cdf(allowed_missed(h.includes_found, WIDENED_BELOW), lam, rest))

    def _widens(self, target_recall: float) -> bool:
        """Whether the stop at this target reads the widened draws (``lower_target_discrepancy``)."""
        return bool(self.lower_target_discrepancy) and target_recall < WIDENED_BELOW

    def stops(self, h: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> bool:
        """Just the stop flag (no interval): what a simulation needs at every step."""
        return self._stops(h, target_recall, confidence)

    def _stops(self, h, target_recall, confidence) -> bool:
        if h.n_remaining == 0:
            return True
        if h.includes_found < self.min_includes:
            return False
        return self._core(h, target_recall, confidence)[2] >= confidence

    def records_needed(self, h: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> int:
        """Further ranked records, all excludes, before this estimate would say stop."""
        rest = h.n_remaining

        def extended(extra: int) -> ScreeningHistory:
            rem = h.remaining_scores
            sc = h.scores_at_screening
            if rem is not None and sc is not None:
                order = np.argsort(-rem, kind="stable")
                sc = np.concatenate((sc, rem[order[:extra]]))
                rem = rem[np.sort(order[extra:])]
            else:
                sc, rem = None, None
            pad = lambda a, v, dt: None if a is None else np.concatenate((a, np.full(extra, v, dtype=dt)))
            return ScreeningHistory(
                labels=np.concatenate((h.labels, np.zeros(extra, dtype=np.int8))),
                n_total=h.n_total,
                sampled=np.concatenate((h.sampled, np.zeros(extra, dtype=bool))),
                scores_at_screening=sc,
                remaining_scores=rem,
                sample_probs=pad(h.sample_probs, np.nan, float),
                sample_drawn_at=pad(h.sample_drawn_at, -1, np.int64),
            )

        if h.includes_found < self.min_includes:
            return rest
        if self._stops(h, target_recall, confidence):
            return 0
        if rest <= 1 or not self._stops(extended(rest - 1), target_recall, confidence):
            return rest
        lo, hi = 0, rest - 1
        while hi - lo > max(1, (hi + lo) // 50):  # 2% precision is plenty for advice
            mid = (lo + hi) // 2
            if self._stops(extended(mid), target_recall, confidence):
                hi = mid
            else:
                lo = mid
        return hi

    @staticmethod
    def horvitz_thompson(h: ScreeningHistory) -> float | None:
        """Li & Kanoulas-style estimate of all includes in the review from the sampled records
        (each draw estimates the includes in the pool it was drawn from), or None without a
        sample. Needs ``sample_drawn_at`` to know which records were drawn together (without
        it, uniform draws are taken one record at a time)."""
        if not h.has_sample:
            return None
        idx = np.flatnonzero(h.sampled)
        if h.sample_drawn_at is None and idx.shape[0] > 1 and h.sample_probs is not None:
            return None  # which records were drawn together is unknown: no unbiased estimate
        drawn = h.sample_drawn_at[idx] if h.sample_drawn_at is not None else idx
        cum = np.concatenate(([0], np.cumsum(h.labels)))
        if h.sample_probs is not None:
            pi = h.sample_probs[idx]
        else:  # uniform draws: size of the draw over the pool it came from
            sizes = {d: int(np.sum(drawn == d)) for d in np.unique(drawn)}
            pi = np.array([sizes[d] / (h.n_total - d) for d in drawn])
        totals, weights = [], []
        for d in np.unique(drawn):
            sel = drawn == d
            totals.append(cum[d] + float(np.sum(h.labels[idx[sel]] / pi[sel])))
            weights.append(sel.sum())
        return float(np.average(totals, weights=weights))

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate:
        check_levels(target_recall, confidence)
        done = terminal_estimate(self.name, history)
        if done is not None:
            return done
        h = history
        rest = h.n_remaining
        alpha = 1 - confidence
        found = h.includes_found
        if found == 0:
            # nothing to fit: with no include seen the rate can only be bounded, not estimated
            n = max(int((~h.sampled).sum()), 1)
            hi = min(rest, math.ceil(rest * (1 - alpha ** (1 / n))))
            return make_estimate(
                self.name, h, float("nan"), 0.0, float(hi), False,
                needs=rest if self.compute_needs else None,
                note=("no include yet among the records screened from screener's rankings, the ones this estimate "
                      "reads: the model has nothing to learn the include rate from"),
            )
        cov, lam, p_ok = self._core(h, target_recall, confidence)
        low = self._quantile(alpha / 2, lam, rest)
        high = self._quantile(1 - alpha / 2, lam, rest)
        point = float(self._quantile(0.5, lam, rest))  # median: the mean is dominated by rare draws
        # with fewer than ``min_includes`` found there is an estimate, but no curve to trust a stop on
        stop = p_ok >= confidence and found >= self.min_includes
        few = found < self.min_includes and high < rest
        if few:
            # nor an interval: the hard-share allowance scales with the includes found, so with one or
            # two the interval closed on "0 left (0-0)" after a long run of excludes, below the truth in
            # about a fifth of such readings on binormal rankers (recall 100% (100-100%) at a true 50%).
            # Its top is the hypergeometric test's at the same level, which assumes only that the
            # ranking beats random order
            from .hypergeometric import HypergeometricStop

            high = max(high, float(HypergeometricStop()._largest_not_rejected(h.labels, h.n_total, alpha / 2)))
        needs = None
        if self.compute_needs and not stop:
            needs = self.records_needed(h, target_recall, confidence)
        # below 95% the chance is the widened reading's, the interval the plain one's: said, or "92%" beside an
        # interval of 80%-100% (97.5% on at least 80%) read as a contradiction
        widened = f", {WIDENED_WORDS}," if self._widens(target_recall) else ""
        note = (
            f"model-based estimate (from the {'ranking positions' if cov == 'rank' else 'model scores'}): "
            f"{_left_words(point)}; the chance that recall has already reached "
            f"{level_pct(target_recall)}{widened} "
            f"is {_chance(p_ok, confidence)}"
        )
        ht = self.horvitz_thompson(h)
        n_sampled = int(h.sampled.sum()) if h.has_sample else 0
        if ht is not None and not h.labels[h.sampled].any():
            # none drawn: its estimate is "none left" whatever the sample's size (10 records of 800)
            note += (f"; the random sample of {n_sampled} record{'' if n_sampled == 1 else 's'} holds no include "
                     "yet")
        elif ht is not None:
            # unbiased but unbounded: with a dense sample it can exceed the records left (61 includes
            # "left" among 42 records), a number no reviewer can act on; the records left are its ceiling
            note += f"; the sample alone suggests about {_count(min(max(ht - found, 0), rest))} left"
        note += ". " + ASSUMES
        if found < self.min_includes:
            note += f" It does not say stop before {self.min_includes} includes are found."
            if few:
                note += (" With so few, there is no curve to read an interval from: its upper end is the "
                         "hypergeometric test's, which assumes only that the ranking beats random order.")
        return make_estimate(self.name, h, point, low, high, stop, needs=needs, note=note, chance=p_ok)


def _left_words(point: float) -> str:
    """The median count of includes left, a whole number: 'most likely no include left', 'about 1 include left'
    ('about 0.0 includes left' read as a measurement)."""
    n = int(round(point))
    return "most likely no include left" if n == 0 else f"about {n} include{'' if n == 1 else 's'} left"


def _count(x: float) -> str:
    """An expected number of includes as a reviewer reads it: "93", not "93.0"; tenths only below 10,
    where they still say something ("0.4" left is not "0")."""
    return f"{x:.0f}" if x >= 9.95 else f"{x:.1f}"


def _chance(p: float, bar: float | None = None) -> str:
    """A probability as a reviewer reads it: 6%, under 1%, over 99%; never as the ``bar`` it falls short of (the
    confidence a stop needs: 94.6% is not "95%" beside 'not yet')."""
    if p < 0.01:
        return "under 1%"
    if p > 0.99:
        return "over 99%"
    return recall_pct(p, bar)
