"""The estimator itself (round 11's set-up r11_burn0_unequal: burn_in 0, log s ~ N(0, 0.5^2), shipped hard part) on
synthetic runs (hard share 0, no learning, no drift, 2-record cold start), with and without ``unranked_head=2``:
fitted s (peak of the posterior), and the posterior median of the includes left against the truth."""
import math

import numpy as np
import pandas as pd

import screener.stopping.score_sample as ss
from screener.stopping.synthetic import synthetic_run

seen = []
_real = ss.fit_binormal


def _spy(*a, **k):
    seen.append(_real(*a, **k)[0])
    return seen[-1], _real(*a, **k)[1]


ss.fit_binormal = _spy
rows = []
for p in (0.02, 0.05, 0.10):
    for sep in (1.5, 2.5, 3.5):
        for seed in range(40):
            r = synthetic_run(n_total=2000, prevalence=p, separation=sep, hard_share=0.0, drift=0.0, learning=0.0,
                              seed=seed * 7919 + int(p * 1e4) + int(sep * 10))
            cum = np.cumsum(r.labels)
            for f in (0.5, 0.8):
                k = int(np.searchsorted(cum, max(3, math.ceil(f * cum[-1])))) + 1
                h = r.history(k)
                for head in (0, 2):
                    est = ss.ScoreSampleEstimator(compute_needs=False, burn_in=0.0, spread_prior=(0.0, 0.5),
                                                  unranked_head=head)
                    seen.clear()
                    lam = est._lambdas(h, "rank")
                    rows.append(dict(p=p, sep=sep, seed=seed, found=f, head=head, s=math.exp(seen[-1][-1]),
                                     left=float(np.median(lam)), left_true=int(cum[-1] - cum[k - 1])))
df = pd.DataFrame(rows)
df = df[df.left_true > 0]
df["lr"] = np.log(df.left / df.left_true)
print(df.groupby("head").agg(n=("s", "size"), s_med=("s", "median"), s_below1=("s", lambda s: (s < 0.999).mean()),
                             log_left=("lr", "median"), under=("lr", lambda v: (v < 0).mean()),
                             under_half=("lr", lambda v: (v < math.log(0.5)).mean())).round(3).to_string())
