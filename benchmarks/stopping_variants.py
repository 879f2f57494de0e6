"""Compare set-ups of the model-based recall estimate on the screening orders the benchmark
already simulated, without simulating again.

Each stored run (``results/runs/<system>/<dataset>/seed<k>.npz``) holds the complete screening
order with its labels: enough for the rank-based estimators. For every variant and run this
finds the exact first stop at each target (the estimator is asked at the benchmark's
checkpoints, then at every record before the first checkpoint where it stopped) and whether
its 95% interval holds the true number of includes left at the records where 25%, 50% and 75%
of the includes had been found. It reads the same things as the benchmark's tables
(``screener.stopping.evaluate``; the shipped row equals summary.md's) but asks only for the stop
flag along the way and for intervals only at the three coverage points, several times faster
than the benchmark's full trace of every estimate.

``--lodo`` chooses, for every dataset in turn, the variant with the lowest mean excess among
those reaching the 95% target in at least 95% of runs on the *other* datasets, and scores it
on the one left out: a held-out figure for a choice made among variants, since no dataset's
own labels pick the set-up it is scored with.

    nice -n 10 .venv/bin/python benchmarks/stopping_variants.py --lodo \
        --out benchmarks/results/stopping_variants.csv --md benchmarks/results/stopping_variants.md

(about 16 minutes on two cores; ``--variants a,b`` for a few set-ups, ``--reuse CSV`` to keep
the rows of set-ups already run.)
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screener.simulate import _first_stop as _exact_first_stop  # noqa: E402
from screener.stopping.base import ScreeningHistory  # noqa: E402
from screener.stopping.evaluate import interval_verdict, records_to_reach  # noqa: E402
from screener.stopping.score_sample import ScoreSampleEstimator  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TARGETS = (0.8, 0.95)
COVERAGE_AT = (0.25, 0.5, 0.75)

# name -> keyword arguments of ScoreSampleEstimator: the shipped set-up, and a small grid
# around it (burn-in share, centre of the hard-include prior, model discrepancy)
VARIANTS: dict[str, dict] = {}
for _b in (0.0, 0.25, 0.5):
    for _h in (0.01, 0.003):
        for _d in (0.5, 0.25):
            VARIANTS[f"burn{_b:g}_hard{_h:g}_disc{_d:g}"] = {"burn_in": _b, "hard_prior": (_h, 1.5), "discrepancy": _d}
for _b in (0.0, 0.25):
    VARIANTS[f"burn{_b:g}_nohard_disc0"] = {"burn_in": _b, "hard_prior": None, "discrepancy": 0.0}
# issue 13: the grid searched on the tuning reviews (and their low-prevalence versions) only;
# "sd" = sd of the hard share's logit, "noul" = no unranked-start detection
for _h in (0.01, 0.003, 0.001, 0.0003, 0.0001):
    VARIANTS[f"t_hard{_h:g}_sd1.5_disc0.5"] = {"burn_in": 0.25, "hard_prior": (_h, 1.5), "discrepancy": 0.5}
for _h in (None, 0.001, 0.0003):
    for _d in (0.0, 0.25):
        VARIANTS[f"t_hard{_h or 0:g}_sd1.5_disc{_d:g}"] = {"burn_in": 0.25, "hard_prior": _h and (_h, 1.5),
                                                         "discrepancy": _d}
# "m3": no stop before three includes are found (with fewer, the ranking's shape cannot be learned)
for _h in (0.003, 0.001, 0.0003):
    for _d in (0.0, 0.25):
        VARIANTS[f"t_hard{_h:g}_sd1.5_disc{_d:g}_m3"] = {"burn_in": 0.25, "hard_prior": (_h, 1.5), "discrepancy": _d,
                                                      "min_includes": 3}
VARIANTS["t_hard0.0001_sd1.5_disc0_m3"] = {"burn_in": 0.25, "hard_prior": (0.0001, 1.5), "discrepancy": 0.0,
                                          "min_includes": 3}
VARIANTS["t_hard0_disc0_m3"] = {"burn_in": 0.25, "hard_prior": None, "discrepancy": 0.0, "min_includes": 3}
# issue 13, second round: a narrower prior on the hard share. The stop is set by the prior's upper
# tail (the ranked history hardly narrows it), and at the same mean a narrower prior waits less where
# many includes allow a few missed, and no less where none may be missed ("n" = sd of its logit)
for _sd, _hs in ((1.0, (0.002, 0.004, 0.008)), (0.5, (0.003, 0.005, 0.008, 0.012)), (0.25, (0.005, 0.01))):
    for _h in _hs:
        VARIANTS[f"n_hard{_h:g}_sd{_sd:g}_m3"] = {"burn_in": 0.25, "hard_prior": (_h, _sd), "discrepancy": 0.0,
                                                "min_includes": 3}
# issue 13, third round (candidates and choice rule committed before any of their results was seen).
# Near the stop on the low-prevalence tuning runs the hard part of the model sets the stop, and it
# rides on the fitted prevalence exp(c), which the fit (blind to the first quarter of the ranking)
# pins down only to a factor of about 3.7 (sd 1.3 of c): "found" ties the hard part to the includes
# found instead (hard_scale="found"), so its prior centre is re-sized (0.5%, 1%, 2% of the includes).
# "eb": the ranker's separation d gets an empirical-Bayes prior learned across the complete tuning
# orders of the default ranker (``--fit-slope``: centre 2.652, sd 0.651) instead of the vague (1.5, 1.5).
EB_SLOPE = (2.65, 0.65)
for _h in (0.005, 0.01, 0.02):
    VARIANTS[f"r3_found_hard{_h:g}_sd1"] = {"burn_in": 0.25, "hard_prior": (_h, 1.0), "discrepancy": 0.0,
                                            "min_includes": 3, "hard_scale": "found"}
VARIANTS["r3_eb_hard0.002_sd1"] = {"burn_in": 0.25, "hard_prior": (0.002, 1.0), "discrepancy": 0.0,
                                   "min_includes": 3, "slope_prior": EB_SLOPE}
VARIANTS["r3_eb_found_hard0.01_sd1"] = {"burn_in": 0.25, "hard_prior": (0.01, 1.0), "discrepancy": 0.0,
                                        "min_includes": 3, "hard_scale": "found", "slope_prior": EB_SLOPE}
ROUND3_INCUMBENT = "n_hard0.002_sd1_m3"
# round 4 (candidates and rule committed before their results were seen; stopping_round4.md): on the
# project's synthetic reviews the shipped rule missed an 80% target in 11% of runs. Fitted on the records
# after the first quarter, the window is short, the prevalence and separation are nearly collinear
# there (posterior correlation 0.9-0.98) and the stop fires when the window's slope happens to look
# steep. "mix0": the shipped fit pooled with equal weight with the same model fitted with no burn-in
# (burn_in_also=0); "disc1": the shipped fit with a log-normal discrepancy factor of sd 1 on each draw;
# "mix0_hard0.002": the pool with a lower hard-share centre, spending on the tuning runs the safety the
# pool adds.
_R3 = {"burn_in": 0.25, "hard_prior": (0.005, 1.0), "discrepancy": 0.0, "min_includes": 3, "hard_scale": "found"}
VARIANTS["r4_mix0"] = {**_R3, "burn_in_also": 0.0}
VARIANTS["r4_disc1"] = {**_R3, "discrepancy": 1.0}
VARIANTS["r4_mix0_hard0.002"] = {**_R3, "burn_in_also": 0.0, "hard_prior": (0.002, 1.0)}
ROUND4_INCUMBENT = "r3_found_hard0.005_sd1"
# round 5 (candidates and rule committed before their results were seen; stopping_round5.md): r4_disc1
# fixed the synthetic misses but cost 0.79 times the hypergeometric test's excess on the original tuning
# reviews (shipped 0.57, issue 13's bar 0.6); the set-ups in between: the shipped fit with a log-normal
# model-discrepancy factor of sd 0.25, 0.5 or 0.75 on each draw.
for _d in (0.25, 0.5, 0.75):
    VARIANTS[f"r5_disc{_d:g}"] = {**_R3, "discrepancy": _d}
# round 6 (stopping_round6.md; round 5's rule, verbatim): the shipped set-up with its normal (Laplace)
# posterior draws reweighted to the posterior itself (``posterior="resampled"``), the fix stop 52's hunt
# proposed for the synthetic and disguised-include false stops.
VARIANTS["r6_resampled"] = {**_R3, "posterior": "resampled"}
# round 7 (stopping_round7.md; round 5's rule, verbatim): round 6's interval lay wholly above the truth
# mid-review because the equal-spread rank model fits the dense top of a real ranking badly; the standard
# ROC model instead, include scores N(d, s^2) with log s ~ N(0, 0.5^2), with the normal draws and resampled.
VARIANTS["r7_unequal"] = {**_R3, "spread_prior": (0.0, 0.5)}
VARIANTS["r7_unequal_resampled"] = {**_R3, "spread_prior": (0.0, 0.5), "posterior": "resampled"}
# round 8 (stopping_round8.md; round 5's rule, verbatim): round 7's free spread locked onto a false narrow
# one (s about 0.2) on short windows of a weak ranking; the spread kept at s >= 1, log s = |u| with
# u ~ N(0, 0.5^2), with the normal draws (folded) and resampled.
VARIANTS["r8_wider"] = {**_R3, "spread_prior": (0.0, 0.5), "spread_at_least_one": True}
VARIANTS["r8_wider_resampled"] = {**_R3, "spread_prior": (0.0, 0.5), "spread_at_least_one": True,
                                  "posterior": "resampled"}
# round 9 (stopping_round9.md; round 5's rule, verbatim): round 8's prior above 1 (scale 0.5) let the prior,
# not the window, set the stop and cost more than the hypergeometric test; a much tighter one, log s = |u|
# with u ~ N(0, scale^2), scale 0.1 and 0.2, normal draws folded.
VARIANTS["r9_half0.1"] = {**_R3, "spread_prior": (0.0, 0.1), "spread_at_least_one": True}
VARIANTS["r9_half0.2"] = {**_R3, "spread_prior": (0.0, 0.2), "spread_at_least_one": True}
# round 10 (stopping_round10.md; round 5's rule, verbatim): the synthetic false stops came from the fit window,
# not the spread: after the first quarter it is too short to pin the separation and its normal posterior leans low;
# the rank model fitted on every ranked record, or with a tenth left out instead of a quarter.
for _b in (0.0, 0.1):
    VARIANTS[f"r10_burn{_b:g}"] = {**_R3, "burn_in": _b}
# round 11 (stopping_round11.md; round 5's rule, verbatim): the whole ranked history read through the equal
# spread makes a real ranking look poorer; every ranked record with round 7's free include spread, which a
# long window can pin (log s ~ N(0, 0.5^2), or N(0, 1) to leave it to the data).
VARIANTS["r11_burn0_unequal"] = {**_R3, "burn_in": 0.0, "spread_prior": (0.0, 0.5)}
VARIANTS["r11_burn0_unequal_wide"] = {**_R3, "burn_in": 0.0, "spread_prior": (0.0, 1.0)}
# the fit check (stopping_fit_check.md): round 11's whole-history fits read the include spread narrow because the
# cold start's records (synthetic: 2 at random; tuning orders: the prior records) sat at the top of the ranking.
# The same set-ups with them left out of the rank model ("priors": that run's number of prior records). Not yet
# measured by a round.
for _name in ("r10_burn0", "r11_burn0_unequal"):
    VARIANTS[f"fc_{_name[4:]}_head"] = {**VARIANTS[_name], "unranked_head": "priors"}
# round 13 (stopping_round13.md; its own rule): the shipped fit with round 5's discrepancy factor for targets below
# 95% only (``lower_target_discrepancy``), stopping there also wherever the shipped set-up stops at 95%.
for _d in (0.5, 0.75, 1.0):
    VARIANTS[f"r13_low_disc{_d:g}"] = {**_R3, "lower_target_discrepancy": _d}
ROUND3_TIE = 0.001  # a pooled mean excess within 0.1 point (of N) counts as a tie

#: the reference the bars compare with, on the same runs
VARIANTS["hypergeometric"] = {"method": "hypergeometric"}
VARIANTS["t_hard0.01_sd1.5_disc0.5_noul"] = {"burn_in": 0.25, "hard_prior": (0.01, 1.5), "discrepancy": 0.5,
                                            "unranked_lr": None}
VARIANTS["t_nohard_disc0.5"] = {"burn_in": 0.25, "hard_prior": None, "discrepancy": 0.5}


#: ScoreSampleEstimator's defaults (a test checks): chosen on the tuning runs by ``choose_round3`` (round 3; round 2
#: shipped n_hard0.002_sd1_m3), with round 13's widening for targets below 95% (stopping_round13.md)
SHIPPED = "r13_low_disc0.75"

#: --fast: ask at 100 evenly spaced checkpoints and bisect to the first stop (about 5x fewer
#: fits; exact when the stop, once given, stays given between two checkpoints)
FAST = False

LOW_SUFFIX = "@low"
LOW_PREVALENCE = 0.01  # prevalence of the low-prevalence versions of the tuning reviews
LOW_MIN_INCLUDES = 3


def low_prevalence_versions(runs, prevalence: float = LOW_PREVALENCE, min_includes: int = LOW_MIN_INCLUDES,
                            reps: int = 1):
    """Each run of a review above twice ``prevalence``, with includes dropped at random (seeded by
    review and seed; never a prior) until about ``prevalence`` of the records are includes.
    ``reps`` > 1 adds other random drops of the same run, with seed ``seed + 100 * rep`` (rep 0 is
    the version made with one rep), so that a rare miss is less a matter of one draw.

    The dropped records leave the order; the rest keep their places. (A ranker trained without
    those includes would have ranked somewhat differently: an approximation, and a conservative
    one, since fewer labels make a worse ranking and this keeps the better one.)"""
    out = []
    for dataset, seed, labels, n_priors in runs:
        n = labels.shape[0]
        R = int(labels[n_priors:].sum())
        if R / max(n - n_priors, 1) < 2 * prevalence:
            continue
        keep_r = max(min_includes, int(round(prevalence * (n - n_priors - R) / (1 - prevalence))))
        if keep_r >= R:
            continue
        inc = np.flatnonzero(labels[n_priors:]) + n_priors
        for rep in range(reps):
            rng = np.random.default_rng([int(seed), sum(map(ord, dataset)), 7] + ([rep] if rep else []))
            drop = rng.choice(inc, size=R - keep_r, replace=False)
            keep = np.ones(n, dtype=bool)
            keep[drop] = False
            out.append((dataset + LOW_SUFFIX, seed + 100 * rep, labels[keep], n_priors))
    return out


# --- empirical-Bayes prior on the share of includes the ranker cannot find ---------------

U_GRID = np.arange(-12.0, 0.01, 0.25)  # logit of the hard share


def hard_share_profile(labels: np.ndarray, n_priors: int, burn_in: float = 0.25) -> np.ndarray:
    """Log-likelihood of a complete screening order at each hard share in ``U_GRID`` (logit),
    the prevalence and separation fitted (weak priors) at each: the binormal model of
    ``ScoreSampleEstimator`` with its burn-in, fitted once the review is complete."""
    from screener.stopping.score_sample import _grouped, binormal_log_odds, fit_binormal

    est = ScoreSampleEstimator(compute_needs=False, burn_in=burn_in)
    h = ScreeningHistory(labels=labels[n_priors:], n_total=labels.shape[0] - n_priors)
    x, y, _ = est._design(h, "rank")
    skip = int(burn_in * x.shape[0])
    pos = np.flatnonzero(y)
    if skip and pos.shape[0]:
        skip = min(skip, int(pos[max(pos.shape[0] - 3, 0)]))
    xg, yg, mg = _grouped(x[skip:], y[skip:])
    out = np.empty(U_GRID.shape[0])
    for i, u in enumerate(U_GRID):
        theta, _ = fit_binormal(xg, yg, prior_mean=[math.log(0.05 / 0.95), 1.5, u], prior_sd=[3.0, 3.0, 1e-3],
                                weights=mg)
        eta, _ = binormal_log_odds(theta, xg)
        p = np.clip(1.0 / (1.0 + np.exp(-eta)), 1e-12, 1 - 1e-12)
        out[i] = float(np.sum(mg * (yg * np.log(p) + (1 - yg) * np.log1p(-p))))
    return out


def fit_hard_prior(runs) -> tuple[float, float, pd.DataFrame]:
    """(centre share, sd of its logit) of a logit-normal prior on the hard share, by maximum
    marginal likelihood across reviews (each review's seeds averaged into one log-likelihood,
    since they are one review), and the per-review profile maxima for the record."""
    from scipy.special import logsumexp

    prof: dict[str, list[np.ndarray]] = {}
    for dataset, seed, labels, n_priors in runs:
        prof.setdefault(dataset, []).append(hard_share_profile(labels, n_priors))
    L = np.array([np.mean(v, axis=0) for v in prof.values()])  # reviews x grid
    du = U_GRID[1] - U_GRID[0]
    best = (-np.inf, 0.0, 1.0)
    for mu in np.arange(-11.0, -0.99, 0.1):
        for tau in np.arange(0.2, 4.01, 0.1):
            lp = -0.5 * ((U_GRID - mu) / tau) ** 2 - math.log(tau * math.sqrt(2 * math.pi)) + math.log(du)
            total = float(logsumexp(L + lp[None, :], axis=1).sum())
            if total > best[0]:
                best = (total, float(mu), float(tau))
    _, mu, tau = best
    per = pd.DataFrame({"dataset": list(prof), "map_hard_share": 1 / (1 + np.exp(-U_GRID[L.argmax(axis=1)]))})
    return 1 / (1 + math.exp(-mu)), tau, per


def fit_slope_prior(runs) -> tuple[float, float, pd.DataFrame]:
    """(centre, sd) of a normal prior on the ranker's separation d, learned across reviews (issue 13,
    round 3): d fitted to each complete screening order by the shipped model (its burn-in, prevalence
    and hard-share priors; a flat prior on d), the seeds of a review averaged; the prior's centre is
    the mean over reviews, its sd their spread (no shrinkage for the fits' own noise, which errs
    wide, on the cautious side)."""
    from screener.stopping.score_sample import _grouped, fit_binormal

    est = ScoreSampleEstimator(compute_needs=False, hard_prior=(0.002, 1.0), hard_scale="prevalence")  # round 2
    per: dict[str, list[float]] = {}
    for dataset, seed, labels, n_priors in runs:
        h = ScreeningHistory(labels=labels[n_priors:], n_total=labels.shape[0] - n_priors)
        x, y, _ = est._design(h, "rank")
        skip = int(est.burn_in * x.shape[0])
        pos = np.flatnonzero(y)
        if skip and pos.shape[0]:
            skip = min(skip, int(pos[max(pos.shape[0] - 3, 0)]))
        xg, yg, mg = _grouped(x[skip:], y[skip:])
        prev, prev_sd = est.prevalence_prior
        hc, hsd = est.hard_prior
        theta, _ = fit_binormal(xg, yg, prior_mean=[math.log(prev / (1 - prev)), 1.5, math.log(hc / (1 - hc))],
                                prior_sd=[prev_sd, 10.0, hsd], weights=mg)
        per.setdefault(dataset, []).append(float(theta[1]))
    d = pd.DataFrame({"dataset": list(per), "separation": [float(np.mean(v)) for v in per.values()]})
    return float(d.separation.mean()), float(d.separation.std(ddof=1)), d


def load_runs(system: str, results: Path = RESULTS) -> list[tuple[str, int, np.ndarray, int]]:
    """(dataset, seed, labels in screening order, number of prior records) per stored run."""
    out = []
    for f in sorted((results / "runs" / system).glob("*/seed*.npz")):
        if f.parent.name.endswith(LOW_SUFFIX):
            continue
        z = np.load(f)
        labels = z["labels"].astype(np.int8)
        steps = z["est_step"]
        n_priors = int(labels.shape[0] - steps.max()) if steps.size else 0
        out.append((f.parent.name, int(f.stem[4:]), labels, n_priors))
    return out


def first_stop(est, labels: np.ndarray, n_priors: int, target: float) -> int:
    """Records screened after the priors when ``est`` first says stop (all of them if never).

    Asked at every record, as ``screener.simulate`` asks (a stop need not last: an include found
    just after it can take it back, so a stop between two checkpoints that said go on is still
    the first stop). ``--fast`` asks at 100 checkpoints and bisects instead."""
    n = labels.shape[0]
    n_post = n - n_priors
    hist = lambda s: ScreeningHistory(labels=labels[: n_priors + s], n_total=n)  # noqa: E731
    if not FAST:
        s = _exact_first_stop(est, labels, n_priors, n_post, target, 0.95, hist)
        return n_post if s is None else s
    prev = 0
    grid = sorted(set(np.linspace(1, n_post, min(n_post, 100)).round().astype(int).tolist()))
    for s in grid:
        if est.stops(hist(s), target, 0.95):
            lo, hi = prev, s  # bisect between the last checkpoint that did not stop and this one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if est.stops(hist(mid), target, 0.95):
                    hi = mid
                else:
                    lo = mid
            return hi
        prev = s
    return n_post


def make_estimator(kwargs: dict, n_priors: int = 2):
    """``n_priors``: what ``unranked_head="priors"`` stands for (2: ``synthetic_run``'s random cold start)."""
    if kwargs.get("unranked_head") == "priors":
        kwargs = {**kwargs, "unranked_head": n_priors}
    if kwargs.get("method") == "hypergeometric":
        from screener.stopping.hypergeometric import HypergeometricStop

        return HypergeometricStop(compute_needs=False)
    # the set-ups of rounds 1-2 name no hard_scale: they were run with the hard share of the prevalence; those
    # before round 13 no lower_target_discrepancy: they were run reading every target alike
    return ScoreSampleEstimator(compute_needs=False,
                                **{"hard_scale": "prevalence", "lower_target_discrepancy": 0.0, **kwargs})


def run_one(args) -> list[dict]:
    variant, kwargs, dataset, seed, labels, n_priors, *rest = args
    targets = rest[0] if rest else TARGETS
    est = make_estimator(kwargs, n_priors)
    n = labels.shape[0]
    N = n - n_priors
    post = labels[n_priors:]
    R = int(post.sum())
    cum = np.concatenate(([0], np.cumsum(labels)))
    total = int(cum[-1])
    row = {"variant": variant, "dataset": dataset, "seed": seed, "N": N, "R": R}
    for target in targets:
        s = first_stop(est, labels, n_priors, target)
        recall = (int(post[:s].sum()) / R) if R else 1.0
        key = f"{int(target * 100)}"
        row[f"reached_{key}"] = recall >= target - 1e-12
        row[f"recall_{key}"] = recall
        row[f"excess_{key}"] = (s - records_to_reach(labels, target, n_priors)) / N
    for frac in COVERAGE_AT:
        q = int(frac * 100)
        if R == 0:
            row[f"covered_{q}"] = row[f"above_{q}"] = math.nan
            continue
        step = n_priors + records_to_reach(labels, frac, n_priors)
        e = est.estimate(ScreeningHistory(labels=labels[:step], n_total=n), 0.95, 0.95)
        row[f"covered_{q}"], row[f"above_{q}"] = interval_verdict(e, total - int(cum[step]))
    return [row]


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    cols = {"runs": ("seed", "size")}
    for key in ("95", "80"):
        if f"reached_{key}" not in df:
            df = df.assign(**{f"reached_{key}": math.nan, f"excess_{key}": math.nan})
        cols[f"rel_{key}"] = (f"reached_{key}", "mean")
        cols[f"excess_{key}"] = (f"excess_{key}", "mean")
    for q in (25, 50, 75):
        cols[f"cov_{q}"] = (f"covered_{q}", "mean")
        cols[f"above_{q}"] = (f"above_{q}", "mean")
    t = df.groupby("variant", sort=False).agg(**cols)
    known = [v for v in VARIANTS if v in t.index]
    return t.reindex(known + [v for v in t.index if v not in known])


def blocks(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The tables' row blocks: the reviews as stored, those under 3% prevalence, and the
    low-prevalence versions (when present)."""
    low_v = df.dataset.str.endswith(LOW_SUFFIX)
    orig = df[~low_v]
    out = [("all datasets", orig), ("prevalence < 3%", orig[orig.R / orig.N < 0.03])]
    if low_v.any():
        out.append((f"low-prevalence versions ({LOW_PREVALENCE:.0%})", df[low_v]))
    return [(k, v) for k, v in out if len(v)]


def common_runs(df: pd.DataFrame) -> pd.DataFrame:
    """Only the (review, seed) pairs every set-up in ``df`` was asked on."""
    n = df.groupby(["dataset", "seed"]).variant.nunique()
    keep = n[n == df.variant.nunique()].index
    return df.set_index(["dataset", "seed"]).loc[keep].reset_index()


def choose(df: pd.DataFrame, prefix: str | tuple[str, ...] = "t_") -> tuple[str | None, pd.DataFrame]:
    """The rule by which the shipped set-up is chosen on the tuning runs: among the set-ups named
    ``prefix``* whose 95% interval holds the truth in at least 90% of the original runs at
    25/50/75% found, the one whose *worst* block (all reviews, those under 3% prevalence, the
    low-prevalence versions) reaches the 95% target most often; ties go to the lowest mean excess
    over all runs pooled. ``ok`` says whether it also reaches 95% in every block."""
    rows = []
    df = common_runs(df[df.variant.str.startswith(prefix)])  # the same runs for every set-up
    for v, sub in df.groupby("variant"):
        r = {"variant": v, "excess_all": sub.excess_95.mean(), "runs": len(sub)}
        for label, b in blocks(sub):
            r[f"rel {label}"] = b.reached_95.mean()
        orig = sub[~sub.dataset.str.endswith(LOW_SUFFIX)]
        r["cov_min"] = min(orig[f"covered_{q}"].mean() for q in (25, 50, 75))
        r["ok"] = all(r[k] >= 0.95 for k in r if k.startswith("rel ")) and r["cov_min"] >= 0.9
        rows.append(r)
    t = pd.DataFrame(rows)
    t["rel_worst"] = t[[c for c in t.columns if c.startswith("rel ")]].min(axis=1)
    t = t.sort_values(["rel_worst", "excess_all"], ascending=[False, True])
    fit = t[t.cov_min >= 0.9]
    return (fit.variant.iloc[0] if len(fit) else None), t


def choose_bars(df: pd.DataFrame, incumbent: str = "t_hard0.003_sd1.5_disc0_m3",
                prefixes: tuple[str, ...] = ("t_hard0.003_sd1.5_disc0_m3", "n_")) -> tuple[str, pd.DataFrame]:
    """The second-round rule (issue 13), written before its results were seen: the bars themselves,
    read on the tuning runs. Eligible: interval holds the truth in at least 90% of the original
    runs at 25/50/75% found, and the 95% target is reached in at least 95% of the runs of every
    block (all reviews, those under 3%, the low-prevalence versions). Chosen: the eligible set-up
    with the lowest mean excess over all runs pooled; the incumbent stays when no other eligible
    set-up stops sooner (or when none is eligible)."""
    df = common_runs(df[df.variant.str.startswith(prefixes)])
    _, t = choose(df, prefix=prefixes)
    t = t.sort_values("excess_all")
    ok = t[t.ok]
    pick = ok.variant.iloc[0] if len(ok) else incumbent
    inc = t[t.variant == incumbent]
    if len(inc) and len(ok) and ok.excess_all.iloc[0] >= inc.excess_all.iloc[0]:
        pick = incumbent
    return pick, t


def choose_round3(df: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The third-round rule (issue 13), committed before the candidates' results were seen:
    ``choose_bars`` among the round-2 rule (the incumbent) and the r3_ candidates, on the pooled
    tuning runs. Eligible: coverage >= 90% at 25/50/75% found and the 95% target reached in >= 95%
    of the runs of every block. Chosen: the eligible set-up with the lowest pooled mean excess, with
    one tie-break: set-ups within ``ROUND3_TIE`` of that lowest excess are tied, and among them the
    incumbent stays if it is one, else the one missing the target in the fewest runs (then the
    cheapest)."""
    pick, t = choose_bars(df, incumbent=ROUND3_INCUMBENT, prefixes=(ROUND3_INCUMBENT, "r3_"))
    sub = common_runs(df[df.variant.str.startswith((ROUND3_INCUMBENT, "r3_"))])
    missed = sub.groupby("variant").reached_95.apply(lambda r: int((~r.astype(bool)).sum()))
    t = t.assign(missed=t.variant.map(missed))
    ok = t[t.ok]
    if len(ok):
        tied = ok[ok.excess_all <= ok.excess_all.min() + ROUND3_TIE]
        if ROUND3_INCUMBENT in set(tied.variant):
            pick = ROUND3_INCUMBENT
        else:
            pick = tied.sort_values(["missed", "excess_all"]).variant.iloc[0]
    return pick, t


def choose_round4(df: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Criterion (c) of the fourth-round rule (stopping_round4.md): eligibility under ``choose_bars``
    among the shipped set-up (the incumbent) and the r4_ candidates on the pooled tuning runs. The pick
    printed is ``choose_bars``' on the tuning runs alone; the round-4 rule also needs the synthetic
    criteria (a) and (b), and then takes the lowest pooled excess among the candidates passing all."""
    return choose_bars(df, incumbent=ROUND4_INCUMBENT, prefixes=(ROUND4_INCUMBENT, "r4_"))


def choose_round5(df: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Criterion (c) of the fifth-round rule (stopping_round5.md): eligibility under ``choose_bars``
    among the shipped set-up (the incumbent), the r5_ candidates and r4_disc1 on the pooled tuning runs.
    The pick printed is ``choose_bars``' on the tuning runs alone; the round-5 rule also needs the
    synthetic criteria (a), (b) and the cost bar (e) (``excess_ratios``)."""
    return choose_bars(df, incumbent=ROUND4_INCUMBENT, prefixes=(ROUND4_INCUMBENT, "r5_", "r4_disc1"))


#: The candidates' name prefix each round from the sixth weighs against the shipped set-up (round 5's rule)
ROUND_CANDIDATES = {6: "r6_", 7: "r7_", 8: "r8_", 9: "r9_", 10: "r10_", 11: "r11_", 12: "fc_", 13: "r13_"}


def _choose_round(n: int):
    """Criterion (c) of round ``n``'s rule (stopping_round<n>.md, round 5's): ``choose_bars`` eligibility among
    the shipped set-up and that round's candidates on the pooled tuning runs; (a), (b) and (e) as in round 5."""
    def choose(df: pd.DataFrame) -> tuple[str, pd.DataFrame]:
        return choose_bars(df, incumbent=ROUND4_INCUMBENT, prefixes=(ROUND4_INCUMBENT, ROUND_CANDIDATES[n]))

    choose.__name__ = choose.__qualname__ = f"choose_round{n}"
    choose.__doc__ = (f"Criterion (c) of round {n}'s rule (stopping_round{n}.md): the shipped set-up and the "
                      f"{ROUND_CANDIDATES[n]} candidates, as ``_choose_round`` says.")
    return choose


(choose_round6, choose_round7, choose_round8, choose_round9, choose_round10, choose_round11, choose_round12,
 choose_round13) = (_choose_round(n) for n in sorted(ROUND_CANDIDATES))
#: --choose roundN: each round's tuning criterion (c)
CHOOSERS = {f"round{n}": globals()[f"choose_round{n}"] for n in range(3, 14)}


def lodo(df: pd.DataFrame) -> pd.DataFrame:
    """Leave one dataset out: the variant chosen on the others, scored on the one left out."""
    rows = []
    for d in sorted(df.dataset.unique()):
        others = df[df.dataset != d].groupby("variant").agg(rel=("reached_95", "mean"), exc=("excess_95", "mean"))
        ok = others[others.rel >= 0.95]
        pick = (ok if len(ok) else others.sort_values("rel", ascending=False).head(1)).sort_values("exc").index[0]
        held = df[(df.dataset == d) & (df.variant == pick)].copy()
        held["variant"] = "leave-one-dataset-out choice"
        held["picked"] = pick
        rows.append(held)
    return pd.concat(rows, ignore_index=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--system", default="screener-default")
    p.add_argument("--corpus", choices=("datasets", "tuning"), default="datasets",
                   help="the stored runs of the reported sets (results/runs) or of the tuning reviews "
                        "(results/tuning/runs)")
    p.add_argument("--low-prevalence", action="store_true",
                   help=f"add low-prevalence versions of the runs (includes dropped at random to "
                        f"{LOW_PREVALENCE:.0%}%; named DATASET{LOW_SUFFIX})")
    p.add_argument("--low-reps", type=int, default=1,
                   help="random drops per run for the low-prevalence versions (seed + 100 * rep)")
    p.add_argument("--seeds", default="", help="only these seeds, e.g. 1,2")
    p.add_argument("--results", default="", help="read the runs under DIR/runs instead (e.g. another checkout's)")
    p.add_argument("--targets", default="0.8,0.95")
    p.add_argument("--fast", action="store_true", help="100 checkpoints and bisection (for searching a grid)")
    p.add_argument("--fit-prior", action="store_true",
                   help="fit the empirical-Bayes prior of the hard share across the selected reviews and stop")
    p.add_argument("--fit-slope", action="store_true",
                   help="fit the empirical-Bayes prior of the ranker's separation across the selected reviews "
                        "and stop")
    p.add_argument("--variants", default=",".join(VARIANTS))
    p.add_argument("--datasets", default="")
    p.add_argument("--choose", choices=("worst", "bars", *CHOOSERS),
                   default="worst",
                   help="tuning corpus: the first-round rule (choose), the second-round one (choose_bars), "
                        "the third-round one (choose_round3) or a later round's tuning criterion "
                        "(choose_round4 to choose_round13)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--lodo", action="store_true")
    p.add_argument("--out", default="", help="per-run rows (CSV)")
    p.add_argument("--md", default="", help="write the tables as markdown here")
    p.add_argument("--reuse", default="", help="per-run CSV of an earlier call: its set-ups are not run again")
    p.add_argument("--rows", default="", help="comma-separated per-run CSVs of earlier calls: only tabulate them")
    a = p.parse_args(argv)
    results = Path(a.results) if a.results else (RESULTS if a.corpus == "datasets" else RESULTS / a.corpus)
    runs = load_runs(a.system, results)
    if a.seeds:
        keep_s = {int(x) for x in a.seeds.split(",")}
        runs = [r for r in runs if r[1] in keep_s]
    if a.low_prevalence:
        runs = runs + low_prevalence_versions(runs, reps=a.low_reps)
    targets = tuple(float(t) for t in a.targets.split(","))
    if a.fit_slope:
        centre, sd, per = fit_slope_prior([r for r in runs if not r[0].endswith(LOW_SUFFIX)])
        print(per.round(3).to_string(index=False))
        print(f"separation prior: centre {centre:.3f}, sd {sd:.3f}")
        return 0
    if a.fit_prior:
        centre, tau, per = fit_hard_prior([r for r in runs if not r[0].endswith(LOW_SUFFIX)])
        print(per.to_string(index=False))
        print(f"hard share prior: centre {centre:.3g}, sd of its logit {tau:.2f}")
        return 0
    global FAST
    FAST = a.fast
    if a.datasets:
        keep = set(a.datasets.split(","))
        runs = [r for r in runs if r[0] in keep]
    names = [v for v in a.variants.split(",") if v]
    earlier = pd.DataFrame()
    if a.reuse and Path(a.reuse).exists():
        earlier = pd.read_csv(a.reuse)
        earlier = earlier[earlier.variant.isin(names) & earlier.dataset.isin({r[0] for r in runs})]
        print(f"reusing {(k := earlier.variant.nunique())} {'set-up' if k == 1 else 'set-ups'} from {a.reuse}")
        names = [v for v in names if v not in set(earlier.variant)]
    if a.rows:
        earlier = pd.concat([pd.read_csv(f) for f in a.rows.split(",")], ignore_index=True)
        earlier = earlier[earlier.variant.isin(names)]
        names = []
    jobs = [(v, VARIANTS[v], d, s, y, npri, targets) for v in names for (d, s, y, npri) in runs]
    # big runs first, so the pool ends together
    jobs.sort(key=lambda j: -j[4].shape[0])
    t = time.perf_counter()
    with ProcessPoolExecutor(a.workers) as pool:
        rows = [r for rs in pool.map(run_one, jobs, chunksize=1) for r in rs]
    df = pd.concat([earlier, pd.DataFrame(rows)], ignore_index=True)
    if a.out:
        df.to_csv(a.out, index=False)
    pd.set_option("display.width", 250)
    for label, sub in blocks(df):
        table = summarise(sub)
        if a.lodo and label.startswith("all"):
            table = pd.concat([table, summarise(lodo(sub))])
        print(f"\n{label}:")
        print(table.round(3).to_string())
    secs = time.perf_counter() - t
    print(f"\n{len(jobs)} runs in {secs:.0f} s")
    if a.corpus == "tuning" and a.choose in ("bars", *CHOOSERS):
        pick, t_ch = (choose_bars if a.choose == "bars" else CHOOSERS[a.choose])(df)
        print("\nchoice on the tuning runs (choose_bars):")
        print(t_ch.round(3).to_string(index=False))
        print(f"chosen: {pick}")
        if a.md:
            write_bars_md(Path(a.md), df, a, secs, pick, t_ch)
        return 0
    if a.corpus == "tuning":
        pick, t_ch = choose(df)
        print("\nchoice on the tuning runs:")
        print(t_ch.round(3).to_string(index=False))
        print(f"chosen: {pick}")
    if a.md:
        if a.corpus == "tuning":
            write_tuning_md(Path(a.md), df, a, secs)
        else:
            write_md(Path(a.md), df, a, secs)
    return 0


def _pct(x, bar: float | None = None) -> str:
    """A share in percent to a tenth, never reading as the bar (or 100) where it falls short of it."""
    from screener.stopping.base import recall_pct

    return "–" if pd.isna(x) else recall_pct(x, bar, places=1).rstrip("%")


def _md_table(df: pd.DataFrame) -> list[str]:
    t = summarise(df)
    out = ["| set-up | runs | reliability 95% | excess 95% | reliability 80% | excess 80% | coverage@25% (above) "
           "| coverage@50% (above) | coverage@75% (above) |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in t.iterrows():
        label = f"**{name}** (shipped)" if name == SHIPPED else (
            f"{name} (shipped before issue 13)" if name == "burn0.25_hard0.01_disc0.5" else
            f"{name} (first issue-13 rule)" if name == "t_hard0.003_sd1.5_disc0_m3" else str(name))
        out.append(f"| {label} | {int(r.runs)} | {_pct(r.rel_95, 0.95)} | {_pct(r.excess_95)} | {_pct(r.rel_80)} | "
                   f"{_pct(r.excess_80)} | " + " | ".join(f"{_pct(r[f'cov_{q}'])} ({_pct(r[f'above_{q}'])})"
                                                         for q in (25, 50, 75)) + " |")
    return out


def write_tuning_md(path: Path, df: pd.DataFrame, a, secs: float) -> None:
    """The grid on the tuning runs, the hypergeometric test on the same runs, and the choice."""
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    df = common_runs(df)
    pick, t = choose(df)
    lines = [
        "# Choosing the stopping rule on the tuning reviews",
        "",
        f"Written by `benchmarks/stopping_variants.py --corpus tuning --low-prevalence` (commit {commit}, "
        f"{secs:.0f} s; seeds {a.seeds or 'all stored'}; {'100 checkpoints and bisection (--fast)' if a.fast else 'exact'}) "
        f"from the `{a.system}` orders of the 22 tuning reviews (`results/tuning/runs/`) and their low-prevalence "
        f"versions (includes dropped at random to {LOW_PREVALENCE:.0%}, at least {LOW_MIN_INCLUDES} kept; named "
        f"`DATASET{LOW_SUFFIX}`). None of the 18 reported sets is read. Target recall 95%, confidence 95%. Columns "
        "as in `results/stopping_variants.md`. Set-up names: hard = centre of the prior share of includes the "
        "ranker cannot tell from excludes (0: no such part), sd = sd of its logit, disc = sd of the "
        "model-discrepancy factor, m3 = no stop before 3 includes are found; every t_ set-up leaves the first "
        "quarter of the ranked records out of the fit and detects an unranked start.",
        "",
        "Every row is on the same runs: the (review, seed) pairs every set-up listed was asked on. The choice "
        "rule (`choose`): among the t_ set-ups whose interval holds the truth in at least 90% of the original "
        "runs at 25/50/75% found, the one whose worst block (all reviews, those under 3%, the low-prevalence "
        "versions) reaches the target most often; ties go to the lowest mean excess over all runs pooled. "
        "(A first rule, at least 95% in every block and then the lowest excess, was written after a first "
        "look at seed 1 and chose nothing: on the low-prevalence versions no set-up got there. How the grid "
        "went: seed 1 first, for the hard share from 1% down to none, with and without the discrepancy factor "
        "and the 3-include minimum; then seed 2 for the five set-ups here.)",
        "",
    ]
    for label, sub in blocks(df):
        lines += [f"## {label[0].upper() + label[1:]}", "", *_md_table(sub), ""]
    lines += ["## The choice", "", *_choice_table(t, "passes"), "", f"Chosen: **{pick}**.", ""]
    path.write_text("\n".join(lines))
    print(f"wrote {path}")


def _choice_table(t: pd.DataFrame, verdict: str) -> list[str]:
    """The markdown rows of a choice table (``choose`` / ``choose_bars``): each set-up's excess,
    reliability per block, lowest coverage and whether it qualified (column ``verdict``)."""
    rel_cols = [c for c in t.columns if c.startswith("rel ")]
    lines = ["| set-up | runs | mean excess (all runs) | " + " | ".join(rel_cols) + f" | lowest coverage | {verdict} |",
             "|---|---:|---:|" + "---:|" * len(rel_cols) + "---:|---|"]
    for row in t.itertuples(index=False):
        d = row._asdict()
        # against the bars 'choose' sets: reliability at least 95%, coverage at least 90%
        rel = " | ".join(_pct(v, 0.95) for k, v in zip(t.columns, row) if k.startswith("rel "))
        lines.append(f"| {d['variant']} | {d['runs']} | {_pct(d['excess_all'])} | {rel} | {_pct(d['cov_min'], 0.9)} | "
                     f"{'yes' if d['ok'] else 'no'} |")
    return lines


def excess_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """Each set-up's mean excess over the hypergeometric test's on the same runs, per block: the
    form of the issue-13 bar (at most 0.6 times)."""
    rows = []
    for label, b in blocks(common_runs(df)):
        hyp = b[b.variant == "hypergeometric"].excess_95.mean()
        for v, sub in b.groupby("variant", sort=False):
            rows.append({"variant": v, "block": label, "ratio": sub.excess_95.mean() / hyp,
                         "missed": int((~sub.reached_95.astype(bool)).sum()), "runs": len(sub)})
    return pd.DataFrame(rows)


def write_bars_md(path: Path, df: pd.DataFrame, a, secs: float, pick: str, t: pd.DataFrame) -> None:
    """The second-round tables: every block, the excess over the hypergeometric test's, the choice."""
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    df = common_runs(df)
    lines = [f"Written by `benchmarks/stopping_variants.py --corpus tuning --system {a.system} --low-prevalence "
             f"--low-reps {a.low_reps} --choose {a.choose}{' --fast' if a.fast else ''}` (commit {commit}, {secs:.0f} s; seeds "
             f"{a.seeds or 'all stored'}; rows: {a.rows or a.reuse or 'this run'}). Target 95%, confidence 95%.", ""]
    for label, sub in blocks(df):
        lines += [f"### {label[0].upper() + label[1:]}", "", *_md_table(sub), ""]
    r = excess_ratios(df).pivot_table(index="variant", columns="block", values=["ratio", "missed"], sort=False)
    lines += ["### Excess over the hypergeometric test's (runs that missed the target)", "",
              "| set-up | " + " | ".join(b for b in r["ratio"].columns) + " |",
              "|---|" + "---:|" * len(r["ratio"].columns)]
    for v in r.index:
        lines.append(f"| {v} | " + " | ".join(f"{r['ratio'][b][v]:.2f} ({int(r['missed'][b][v])})"
                                              for b in r["ratio"].columns) + " |")
    lines += ["", "### The choice (`choose_bars`)", "", *_choice_table(t, "eligible"), "", f"Chosen: **{pick}**.", ""]
    path.write_text("\n".join(lines))
    print(f"wrote {path}")


def write_md(path: Path, df: pd.DataFrame, a, secs: float) -> None:
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    held = lodo(df)
    hyper = ""
    stop_csv = RESULTS / "stopping.csv"
    if stop_csv.exists():
        st = pd.read_csv(stop_csv)
        st = st[(st.system == a.system) & (st.method == "hypergeometric") & (st.target == 0.95)
                & st.dataset.isin(df.dataset.unique())]
        if len(st):
            hyper = (f"For reference, the hypergeometric test on the same runs (`stopping.csv`): reliability "
                     f"{_pct(st.reached_target.mean(), 0.95)}%, mean excess {_pct(st.excess.mean())}% of N.")
    lines = [
        "# The model-based recall estimate: set-ups compared on the benchmark's screening orders",
        "",
        f"Written by `benchmarks/stopping_variants.py` (commit {commit}; "
        + (f"rows of {a.reuse} reused, " if a.reuse else "") + f"{secs:.0f} s) from the stored "
        f"`{a.system}` runs: {df.groupby('variant').size().iloc[0]} runs (datasets x seeds). Each set-up is "
        "asked along every stored screening order; its first stop is exact to the record. Reliability = "
        "share of runs reaching the target recall at stop; excess = records screened at stop beyond those "
        "needed to reach the target, as a share of N; coverage = share of runs whose 95% interval held the "
        "true number of includes left when 25/50/75% of them had been found (in brackets: interval wholly "
        "above the truth). Set-up names: burn = share of the earliest ranked records left out of the fit; "
        "hard = centre of the prior share of includes the ranker cannot tell from excludes (nohard: no such "
        "part); disc = sd of the model-discrepancy factor.",
        "",
        "These are the set-ups compared before issue 13. The rule shipped now was chosen on the tuning "
        "reviews only (`results/tuning/stopping_variants.md`); its figures on these runs are in `summary.md` "
        "(Stopping bars). What follows describes the set-up shipped then (burn0.25_hard0.01_disc0.5). "
        "How that set-up was chosen: the hard prior and discrepancy on synthetic runs, before the "
        "benchmark; the burn-in after the benchmark showed intervals lying wholly above the truth midway "
        "through reviews, traced to the early, still-learning phase of the ranker (25% was the first value "
        "tried, and kept; the rule that the burn-in always leaves the latest three includes in the fit was "
        "picked on these orders among three such rules, all needed so that a review whose includes all came "
        "first can still stop). The other rows show what other choices would have given. Picking the row that looks best here would be tuning on the labels "
        "of the reported reviews: the leave-one-dataset-out row below shows what such a choice is worth "
        "on a review it was not tuned on.",
        "",
        hyper,
        "",
        "## All datasets",
        "",
        *_md_table(df),
        "",
        "## Prevalence under 3%",
        "",
        *_md_table(df[df.R / df.N < 0.03]),
        "",
        "## Leave one dataset out",
        "",
        "For each dataset, the set-up with the lowest mean excess among those reaching 95% recall in at least "
        "95% of runs on the *other* datasets, scored on the one left out:",
        "",
        *_md_table(held),
        "",
        "Picked: " + ", ".join(f"{d}: {v}" for d, v in held.groupby("dataset").picked.first().items()) + ".",
        "",
    ]
    path.write_text("\n".join(lines))
    print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
