"""Per run: p_ok (target 80%) at every checkpoint before the truth reaches 80%: is a miss one bad look or many?"""
import math, sys, itertools
import numpy as np, pandas as pd
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[4]))
from screener.stopping.advice import default_estimators
from screener.stopping.synthetic import synthetic_run
from screener.stopping.base import allowed_missed
learning = float(sys.argv[1]); out = sys.argv[2]
import json
kw = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
from screener.stopping.score_sample import ScoreSampleEstimator
rows = []
for N, prev, sep, seed in itertools.product([300, 1000, 2000, 5000], [0.005, 0.01, 0.02, 0.05, 0.1, 0.25], [1.0, 2.0, 3.0], [1, 2, 3]):
    sr = synthetic_run(n_total=N, prevalence=prev, separation=sep, hard_share=0.0, drift=1.0, learning=learning,
                       seed=seed * 1000 + int(prev * 1e4) + N + int(sep * 10))
    est = default_estimators(compute_needs=False)["score_sample"] if kw is None else ScoreSampleEstimator(compute_needs=False, **kw)
    lab = sr.labels; R = int(lab.sum()); cum = np.cumsum(lab)
    step = max(1, math.ceil(N / 200))
    for n in range(step, N, step):
        f = int(cum[n - 1])
        if f / R >= 0.8:
            break
        if f < 3:
            continue
        h = sr.history(n)
        _, lam, p = est._core(h, 0.8, 0.95)
        # truth-side: P(left <= truth-left) under the posterior (PIT of the truth) 
        left = R - f
        from scipy.special import pdtr
        pit = float(pdtr(left, lam).mean()); pit_lo = float(pdtr(left - 1, lam).mean())
        rows.append(dict(run=f"N{N}_p{prev:g}_d{sep:g}_s{seed}", N=N, prev=prev, sep=sep, n=n, found=f, R=R,
                         left=left, allowed=allowed_missed(f, 0.8), p_ok=p, pit=pit, pit_lo=pit_lo, lam_q975=float(np.quantile(lam,0.975)), lam_med=float(np.median(lam))))
pd.DataFrame(rows).to_csv(out, index=False)
