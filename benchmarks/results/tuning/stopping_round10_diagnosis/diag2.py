import math, sys
import numpy as np, pandas as pd
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[4]))
from screener.stopping.advice import default_estimators
from screener.stopping.synthetic import synthetic_run
from screener.stopping.score_sample import fit_binormal, _grouped
d = pd.read_csv('diag.csv'); rows = []
for r in d.itertuples():
    seed = int(r.run.split('_s')[-1])
    sr = synthetic_run(n_total=r.N, prevalence=r.prev, separation=r.sep, hard_share=0.0, drift=1.0, learning=0.05,
                       seed=seed * 1000 + int(r.prev * 1e4) + r.N + int(r.sep * 10))
    est = default_estimators(compute_needs=False)["score_sample"]
    h = sr.history(r.n)
    x, y, (xr, cr) = est._design(h, 'rank')
    out = {}
    for b in (0.25, 0.0):
        skip = int(b * x.shape[0]); pos = np.flatnonzero(y)
        if skip and pos.shape[0]:
            skip = min(skip, int(pos[max(pos.shape[0] - 3, 0)]))
        xg, yg, mg = _grouped(x[skip:], y[skip:])
        excl_all = (y.shape[0] - y.sum()) + cr.sum(); log_k = math.log(max(y.sum(), 1) / excl_all)
        th, cov = fit_binormal(xg, yg, [math.log(.05/.95), 1.5, math.log(.005/.995)], [1.5, 1.5, 1.0], weights=mg, log_k=log_k)
        out[b] = (th, cov, x[skip:])
    th, cov, xw = out[0.25]
    dtrue = r.sep / math.sqrt(1.25)
    e0 = ScoreSample = default_estimators(compute_needs=False)["score_sample"]
    e0 = type(e0)(compute_needs=False, burn_in=0.0)
    _, lam0, p0 = e0._core(h, 0.8, 0.95)
    rows.append(dict(run=r.run, left=r.left, allowed=r.allowed, high=r.high, d_true=round(dtrue, 2), d_fit=round(th[1], 2),
                     d_sd=round(math.sqrt(cov[1, 1]), 2), z_sd_off=round((th[1] - dtrue) / math.sqrt(cov[1, 1]), 1),
                     corr_cd=round(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]), 3),
                     window_z=f"{xw.min():.2f}..{xw.max():.2f}", window_inc=int(y[-len(xw):].sum()),
                     d_fit_burn0=round(out[0.0][0][1], 2), d_sd_burn0=round(math.sqrt(out[0.0][1][1, 1]), 2),
                     corr_burn0=round(out[0.0][1][0, 1] / math.sqrt(out[0.0][1][0, 0] * out[0.0][1][1, 1]), 3),
                     p_ok_burn0=round(p0, 3)))
o = pd.DataFrame(rows); pd.set_option('display.width', 250); print(o.to_string()); o.to_csv('diag2.csv', index=False)
print('median d_fit - d_true', (o.d_fit - o.d_true).median(), 'median z', o.z_sd_off.median(), 'median corr', o.corr_cd.median(),
      'burn0: median d_fit-d_true', (o.d_fit_burn0 - o.d_true).median(), 'median corr', o.corr_burn0.median(),
      'burn0 would stop here:', (o.p_ok_burn0 >= 0.95).sum())
