"""Round 11's synthetic H 0 grid with its learning phase (5% of N), as ``stopping_synthetic.py --seeds 3
--learning 0.05 --hard-share 0`` runs it, for ``r11_burn0_unequal`` with ``unranked_head`` = the cold start (2)
and = the cold start plus the learning phase (2 + 5% of N; known to a simulation, not to the app)."""
import itertools
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # benchmarks/
from stopping_variants import VARIANTS, make_estimator  # noqa: E402

from screener.stopping.evaluate import SimulatedRun, evaluate, stopping_trace, summarise  # noqa: E402
from screener.stopping.synthetic import synthetic_run  # noqa: E402

runs = []
for N, prev, sep, seed in itertools.product([300, 1000, 2000, 5000], [0.005, 0.01, 0.02, 0.05, 0.1, 0.25],
                                            [1.0, 2.0, 3.0], range(1, 4)):
    sr = synthetic_run(n_total=N, prevalence=prev, separation=sep, hard_share=0.0, drift=1.0, learning=0.05,
                       seed=seed * 1000 + int(prev * 1e4) + N + int(sep * 10))
    step = max(1, math.ceil(N / 200))
    cps = list(range(step, N + 1, step))
    if cps[-1] != N:
        cps.append(N)
    ests = {"fc_burn0_unequal_head": make_estimator(VARIANTS["fc_burn0_unequal_head"], 2),
            "fc_burn0_unequal_head_learning": make_estimator(VARIANTS["fc_burn0_unequal_head"],
                                                             2 + int(round(0.05 * N)))}
    est = stopping_trace(sr.labels, ests, history_at=sr.history, checkpoints=cps)
    runs.append(SimulatedRun(labels=sr.labels, estimates=est, dataset=f"N{N}_p{prev:g}_d{sep:g}", seed=seed,
                             extra=dict(N=N, prevalence=prev, separation=sep)))
print(summarise(evaluate(runs))[["method", "target", "runs", "reliability", "recall_at_stop", "excess"]].to_string())
