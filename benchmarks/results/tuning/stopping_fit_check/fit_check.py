"""Does the binormal rank fit read separation d and spread s right on equal-spread data?

Two generators: "exact" (scores N(0,1) / N(d,1), screened exactly by score) and "synthetic"
(screener.stopping.synthetic.synthetic_run, hard share 0, no learning, no drift: ranking key =
score + N(0, 0.5^2), so the truth on the key's scale is d / sqrt(1.25), s = 1). Each run is cut where a
share of its includes has been found and fitted as the estimator fits (``_design`` + ``fit_binormal``),
no hard part (the truth has none), with these covariates:
  rank      the estimator's: z of the excludes screened before each record, among screened excludes
            plus every unscreened record (unscreened includes counted as excludes)
  rank_ex   the same quantile, among the true number of excludes (the oracle count)
  rank_mid  rank_ex, an include placed between its neighbouring excludes by its share of the gap
  score     the true score (exact) / ranking key over sd sqrt(1.25) (synthetic) itself
and priors "shipped" ((0.05, 1.5), (1.5, 1.5), log s (0, 0.5)) or "flat" (sd 100 on every parameter).
Window: whole history (burn 0) or the shipped burn-in (a quarter, the latest 3 includes kept).
"""
import argparse
import math
import sys

import numpy as np
import pandas as pd
from scipy.special import ndtri

from screener.stopping.score_sample import _KEEP_INCLUDES, _grouped, exclude_quantile, fit_binormal
from screener.stopping.synthetic import synthetic_run


def run_exact(n, p, d, seed, cold=0):
    rng = np.random.default_rng(seed)
    n1 = max(1, int(rng.binomial(n, p)))
    y = np.zeros(n, dtype=np.int8)
    y[:n1] = 1
    sc = np.where(y == 1, d, 0.0) + rng.standard_normal(n)
    o = np.argsort(-sc, kind="stable")
    if cold:  # records taken at random first (a cold start), then the rest by score
        first = rng.choice(n, size=cold, replace=False)
        o = np.concatenate((first, o[~np.isin(o, first)]))
    return y[o], sc[o], d


def run_synth(n, p, d, seed, cold=2):
    r = synthetic_run(n_total=n, prevalence=p, separation=d, hard_share=0.0, drift=0.0, learning=0.0, seed=seed,
                      cold_start=cold)
    # screened by key = latent + N(0, 0.5^2) after a random cold start (2 records by default); r.latent is the key
    return r.labels, r.latent, d / math.sqrt(1.25)


def covariates(y, k, score, score_scale):
    """x of the first k records under each covariate, and x of the unscreened excludes/records for the sum."""
    ys = y[:k].astype(float)
    n = y.shape[0]
    n0 = int((y == 0).sum())
    e_before = np.concatenate(([0], np.cumsum(1 - ys)[:-1]))
    est_total = max(k + (n - k) - int(ys.sum()), 1)
    e0 = k - int(ys.sum())
    out = {
        "rank": (exclude_quantile(e_before, est_total), exclude_quantile(np.arange(e0, est_total), est_total)),
        "rank_ex": (exclude_quantile(e_before, n0), exclude_quantile(np.arange(e0, n0), n0)),
    }
    # an include between excludes e-1 and e, the j-th of m in that gap: quantile (e + (j - 0.5) / m - 0.5) / ...
    # i.e. spread evenly over the gap between its neighbouring excludes instead of at its midpoint
    pos = e_before.copy()
    inc = np.flatnonzero(ys)
    gaps = {}
    for i in inc:
        gaps.setdefault(int(e_before[i]), []).append(i)
    for e, idx in gaps.items():
        m = len(idx)
        for j, i in enumerate(idx):
            # gap e spans exclude places e-1 .. e; the top gap (e = 0) spans the quantiles (0, 0.5/n0)
            pos[i] = e - 1 + (j + 0.5) / m if e > 0 else -0.5 + 0.5 * (j + 0.5) / m
    out["rank_mid"] = (exclude_quantile(pos, n0), out["rank_ex"][1])
    out["score"] = (score[:k] / score_scale, score[k:][y[k:] == 0] / score_scale)
    return out, ys


def fit(x, ys, xr_ex, burn, prior, spread):
    skip = int(burn * x.shape[0])
    pos = np.flatnonzero(ys)
    if skip and pos.shape[0]:
        skip = min(skip, int(pos[max(pos.shape[0] - _KEEP_INCLUDES, 0)]))
    xg, yg, mg = _grouped(x[skip:], ys[skip:])
    if prior == "shipped":
        mean, sd = [math.log(0.05 / 0.95), 1.5, 0.0], [1.5, 1.5, 0.5]
    else:
        mean, sd = [math.log(0.05 / 0.95), 1.5, 0.0], [100.0, 100.0, 100.0]
    if not spread:
        mean, sd = mean[:2], sd[:2]
    theta, _ = fit_binormal(xg, yg, mean, sd, weights=mg, spread=spread)
    c, d = theta[0], theta[1]
    s = math.exp(theta[2]) if spread else 1.0
    r = (xr_ex - d) / s
    lr = np.exp(np.clip(0.5 * (xr_ex ** 2 - r * r) - math.log(s), -60, 60))
    left = float(math.exp(c) * lr.sum())
    return d, s, c, left


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", choices=["exact", "synthetic"], default="exact")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--prev", type=float, nargs="+", default=[0.02, 0.05, 0.10])
    ap.add_argument("--sep", type=float, nargs="+", default=[1.5, 2.5, 3.5])
    ap.add_argument("--found", type=float, nargs="+", default=[0.5, 0.8])
    ap.add_argument("--covs", nargs="+", default=["rank", "rank_ex", "rank_mid", "score"])
    ap.add_argument("--priors", nargs="+", default=["flat", "shipped"])
    ap.add_argument("--burns", type=float, nargs="+", default=[0.0, 0.25])
    ap.add_argument("--cold", type=int, default=None, help="records taken at random first (exact: 0, synthetic: 2)")
    ap.add_argument("--head", type=int, default=0, help="records at the start left out of the model as a sample "
                    "is, as unranked_head does: out of the fit and out of the pool the quantiles are taken in")
    ap.add_argument("--out", default="fit_check.csv")
    a = ap.parse_args(argv)
    rows = []
    gen = run_exact if a.gen == "exact" else run_synth
    cold = (0 if a.gen == "exact" else 2) if a.cold is None else a.cold
    for p in a.prev:
        for sep in a.sep:
            for seed in range(a.seeds):
                y, score, d_true = gen(a.n, p, sep, seed * 7919 + int(p * 1e4) + int(sep * 10), cold)
                y, score = y[a.head:], score[a.head:]
                n = y.shape[0]
                scale = 1.0 if a.gen == "exact" else math.sqrt(1.25)  # the key's sd: excludes N(0, 1)
                n1 = int(y.sum())
                cum = np.cumsum(y)
                for f in a.found:
                    need = max(1, int(math.ceil(f * n1)))
                    k = int(np.searchsorted(cum, need) + 1)
                    left_true = n1 - int(cum[k - 1])
                    covs, ys = covariates(y, k, score, scale)
                    for cov in a.covs:
                        x, xr = covs[cov]
                        for prior in a.priors:
                            for burn in a.burns:
                                for spread in (False, True):
                                    d, s, c, left = fit(x, ys, xr, burn, prior, spread)
                                    rows.append(dict(gen=a.gen, cold=cold, head=a.head, p=p, sep=sep, d_true=d_true,
                                                     seed=seed, found=f, k=k, n1=n1, cov=cov, prior=prior, burn=burn,
                                                     spread=spread, d=d, s=s, c=c, c_true=math.log(n1 / (n - n1)),
                                                     left=left, left_true=left_true))
    df = pd.DataFrame(rows)
    df.to_csv(a.out, index=False)
    print(f"{len(df)} fits -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
