"""At each false stop of r11_burn0_unequal (H 0, learning 0.05, 80% target): the fitted separation and spread."""
import math, sys
import numpy as np, pandas as pd
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[4]))
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[3]))
from stopping_variants import VARIANTS, make_estimator
from screener.stopping.synthetic import synthetic_run
from screener.stopping.score_sample import fit_binormal, _grouped

f = str(__import__('pathlib').Path(__file__).resolve().parents[1] / 'stopping_round11_synthetic_hard0' / 'per_run.csv')
d = pd.read_csv(f)
m = d[(d.method == 'r11_burn0_unequal') & (d.target == 0.8) & ~d.reached_target]
rows = []
for r in m.itertuples():
    N = int(r.N); prev = float(r.prevalence); sep = float(r.dataset.split('_d')[1]); seed = int(r.seed)
    sr = synthetic_run(n_total=N, prevalence=prev, separation=sep, hard_share=0.0, drift=1.0, learning=0.05,
                       seed=seed * 1000 + int(prev * 1e4) + N + int(sep * 10))
    est = make_estimator(VARIANTS['r11_burn0_unequal'])
    n = int(round(r.screened_at_stop * N))
    h = sr.history(n)
    x, y, (xr, cr) = est._design(h, 'rank')
    excl_all = (y.shape[0] - y.sum()) + cr.sum(); log_k = math.log(max(y.sum(), 1) / excl_all)
    mean = [math.log(.05 / .95), 1.5, math.log(.005 / .995), 0.0]; sd = [1.5, 1.5, 1.0, 0.5]
    out = {}
    for name, skip in (('all', 0), ('after_learning', max(0, int(round(0.05 * N)) + 2 - (n - x.shape[0])))):
        xg, yg, mg = _grouped(x[skip:], y[skip:])
        th, cov = fit_binormal(xg, yg, mean, sd, weights=mg, log_k=log_k, spread=True)
        out[name] = (th, cov)
    th, cov = out['all']; ta, _ = out['after_learning']
    lab = sr.labels
    rows.append(dict(run=f"{r.dataset}_s{seed}", n=n, found=int(lab[:n].sum()), left=int(lab.sum() - lab[:n].sum()),
                     d_true=round(sep / math.sqrt(1.25), 2), d_fit=round(th[1], 2), s_fit=round(math.exp(th[3]), 2),
                     logs_sd=round(math.sqrt(cov[3, 3]), 2),
                     d_fit_after_learning=round(ta[1], 2), s_fit_after_learning=round(math.exp(ta[3]), 2)))
o = pd.DataFrame(rows); pd.set_option('display.width', 250); print(o.to_string()); o.to_csv('fit_at_stop.csv', index=False)
print('runs', len(o), 'median s_fit', o.s_fit.median(), 'share s_fit < 1', round((o.s_fit < 1).mean(), 3),
      'median d_fit - d_true', round((o.d_fit - o.d_true).median(), 2),
      'median s_fit after learning', o.s_fit_after_learning.median())
