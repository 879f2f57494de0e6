"""At each missed run's first stop (80% target): the estimate against the truth."""
import math, sys
import numpy as np, pandas as pd
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[4]))
from screener.stopping.advice import default_estimators
from screener.stopping.synthetic import synthetic_run
from screener.stopping.score_sample import unranked_prefix, fit_binormal, _grouped
from screener.stopping.base import allowed_missed

f = str(__import__('pathlib').Path(__file__).resolve().parents[1] / 'stopping_round9_synthetic_hard0' / 'per_run.csv')
d = pd.read_csv(f)
s = d[(d.method == 'screener_default') & (d.target == 0.8)]
m = s[~s.reached_target]
rows = []
for r in m.itertuples():
    N = int(r.N); prev = float(r.prevalence); sep = float(r.dataset.split('_d')[1]); seed = int(r.seed)
    sr = synthetic_run(n_total=N, prevalence=prev, separation=sep, hard_share=0.0, drift=1.0, learning=0.05,
                       seed=seed * 1000 + int(prev * 1e4) + N + int(sep * 10))
    est = default_estimators(compute_needs=False)["score_sample"]
    n = int(round(r.screened_at_stop * N))
    h = sr.history(n)
    e = est.estimate(h, target_recall=0.8, confidence=0.95)
    lab = sr.labels
    found = int(lab[:n].sum()); R = int(lab.sum()); left = R - found
    k = unranked_prefix(lab[:n], 20.0)
    skip = int(0.25 * (n - k))
    L = int(round(0.05 * N)) + 2
    _, lam, p = est._core(h, 0.8, 0.95)
    rows.append(dict(run=f"{r.dataset}_s{seed}", N=N, prev=prev, sep=sep, R=R, n=n, found=found, left=left,
                     allowed=allowed_missed(found, 0.8), point=e.remaining,
                     low=e.remaining_low, high=e.remaining_high, p_ok=round(p, 3),
                     lam_mean=round(float(lam.mean()), 1), lam_q95=round(float(np.quantile(lam, .95)), 1),
                     learn_end=L, prefix=k, fit_from=k + skip, inc_in_learn=int(lab[:L].sum())))
out = pd.DataFrame(rows)
pd.set_option('display.width', 250)
print(out.to_string())
out.to_csv('diag.csv', index=False)
