"""Every synthetic run of the H 0 grid (learning 0.05 and 0): the whole-history fit of r11_burn0_unequal at half
and three quarters of the includes found; is the include spread read below 1 only at the false stops?"""
import math, sys
import numpy as np, pandas as pd
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[4]))
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[3]))
from stopping_variants import VARIANTS, make_estimator
from screener.stopping.synthetic import synthetic_run
from screener.stopping.score_sample import fit_binormal, _grouped

rows = []
est = make_estimator(VARIANTS['r11_burn0_unequal'])
mean = [math.log(.05 / .95), 1.5, math.log(.005 / .995), 0.0]; sd = [1.5, 1.5, 1.0, 0.5]
for learning in (0.05, 0.0):
    for N in (300, 1000, 2000, 5000):
        for prev in (0.005, 0.01, 0.02, 0.05, 0.1, 0.25):
            for sep in (1.0, 2.0, 3.0):
                for seed in (1, 2, 3):
                    sr = synthetic_run(n_total=N, prevalence=prev, separation=sep, hard_share=0.0, drift=1.0,
                                       learning=learning, seed=seed * 1000 + int(prev * 1e4) + N + int(sep * 10))
                    lab = sr.labels; R = int(lab.sum()); cum = np.cumsum(lab)
                    for frac in (0.5, 0.75):
                        need = math.ceil(frac * R)
                        if need < 3:
                            continue
                        n = int(np.searchsorted(cum, need)) + 1
                        h = sr.history(n)
                        x, y, (xr, cr) = est._design(h, 'rank')
                        excl_all = (y.shape[0] - y.sum()) + cr.sum(); log_k = math.log(max(y.sum(), 1) / excl_all)
                        xg, yg, mg = _grouped(x, y)
                        th, cov = fit_binormal(xg, yg, mean, sd, weights=mg, log_k=log_k, spread=True)
                        rows.append(dict(learning=learning, N=N, prev=prev, sep=sep, seed=seed, frac=frac, R=R,
                                         d_true=sep / math.sqrt(1.25), d_fit=th[1], s_fit=math.exp(th[3]),
                                         logs_sd=math.sqrt(cov[3, 3])))
o = pd.DataFrame(rows); o.to_csv('fit_all_runs.csv', index=False)
o['z'] = np.log(o.s_fit) / o.logs_sd
g = o.groupby(['learning', 'frac']).agg(runs=('s_fit', 'size'), median_s=('s_fit', 'median'),
                                        share_s_below_1=('s_fit', lambda s: (s < 1).mean()),
                                        median_z=('z', 'median'), median_logs_sd=('logs_sd', 'median'))
print(g.round(3).to_string())
print(o[o.frac == 0.5].groupby(['learning', 'sep']).s_fit.median().round(2).to_string())
print(o[o.frac == 0.5].groupby(['learning', 'prev']).s_fit.median().round(2).to_string())
