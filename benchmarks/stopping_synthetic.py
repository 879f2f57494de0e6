"""Stopping methods on synthetic screening runs (no real labels involved).

Grid: N in {300, 1000, 2000, 5000} x prevalence in {0.5%, 1%, 2%, 5%, 10%, 25%} x ranker
separation in {1, 2, 3} (latent-score gap between includes and excludes, in sd; 1 is a weak
ranker, 3 a strong one) x seeds, with a share of "hard" includes that look like excludes
(``--hard-share``; real reviews have them: includes found only near the end), and score drift
between retrainings. Reports per method and target: reliability, recall/screened at stop, excess,
interval coverage at 25/50/75% of includes found (BENCHMARK.md definitions).

    nice .venv/bin/python benchmarks/stopping_synthetic.py --seeds 3 --out benchmarks/results/stopping_synthetic

The estimators are evaluated at checkpoints every ceil(N/200) records.
"""

from __future__ import annotations

import argparse
import itertools
import math
import platform
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screener.stopping.advice import default_estimators  # noqa: E402
from screener.stopping.consecutive import ConsecutiveExcludesStop  # noqa: E402
from screener.stopping.evaluate import TARGETS, SimulatedRun, evaluate, stopping_trace, summarise  # noqa: E402
from screener.stopping.hypergeometric import HypergeometricStop  # noqa: E402
from screener.stopping.knee import KneeStop  # noqa: E402
from screener.stopping.score_sample import ScoreSampleEstimator  # noqa: E402
from screener.stopping.synthetic import synthetic_run  # noqa: E402


def _markdown(df: pd.DataFrame) -> str:
    """A pipe table (pandas' to_markdown needs the optional tabulate package)."""
    def cell(v):  # no figure (a method that gives no interval has no coverage): "–", as summary.md, not "nan"
        return ("–" if math.isnan(v) else f"{v:.3f}") if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def estimators(args):
    hard = None if args.hard_prior is None else tuple(args.hard_prior)
    ests = {
        "hypergeometric": HypergeometricStop(compute_needs=False),
        "score_sample": ScoreSampleEstimator(covariate="rank", compute_needs=False,
                                             slope_prior=(args.slope_mean, args.slope_sd), hard_prior=hard),
        "knee": KneeStop(),
        "consecutive_100": ConsecutiveExcludesStop(100),
        "score_sample_nohard": ScoreSampleEstimator(covariate="rank", compute_needs=False,
                                                    slope_prior=(args.slope_mean, args.slope_sd), hard_prior=None),
        "score_sample_score": ScoreSampleEstimator(covariate="score", compute_needs=False),
        "score_sample_noburn": ScoreSampleEstimator(covariate="rank", compute_needs=False, burn_in=0.0,
                                                    slope_prior=(args.slope_mean, args.slope_sd), hard_prior=hard),
        # the model-based estimate exactly as screener ships it (its own priors, not this script's)
        "screener_default": default_estimators(compute_needs=False)["score_sample"],
    }
    ests = {k: v for k, v in ests.items() if k in args.methods}
    if args.variants:  # set-ups of the model-based estimate by their name in stopping_variants.VARIANTS
        sys.path.insert(0, str(REPO / "benchmarks"))
        from stopping_variants import VARIANTS, make_estimator

        unknown = [v for v in args.variants if v not in VARIANTS]
        if unknown:
            raise SystemExit(f"unknown {'set-up' if len(unknown) == 1 else 'set-ups'} {', '.join(unknown)}: the names "
                             "are those of VARIANTS in "
                             "benchmarks/stopping_variants.py")
        ests.update({v: make_estimator(VARIANTS[v]) for v in args.variants})
    return ests


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 2000, 5000])
    ap.add_argument("--prevalences", type=float, nargs="+", default=[0.005, 0.01, 0.02, 0.05, 0.1, 0.25])
    ap.add_argument("--separations", type=float, nargs="+", default=[1.0, 2.0, 3.0])
    ap.add_argument("--hard-share", type=float, default=0.1)
    ap.add_argument("--drift", type=float, default=1.0)
    ap.add_argument("--learning", type=float, default=0.0,
                    help="share of N screened first by a still-learning ranker (a quarter of the separation)")
    ap.add_argument("--slope-mean", type=float, default=1.5)
    ap.add_argument("--slope-sd", type=float, default=1.5)
    ap.add_argument("--hard-prior", type=float, nargs=2, default=[0.01, 1.5], metavar=("SHARE", "SD"),
                    help="prior median share of includes the ranker cannot find, and the sd of its logit")
    ap.add_argument("--methods", nargs="+", default=["hypergeometric", "score_sample", "knee", "consecutive_100"],
                    help="also: score_sample_nohard, score_sample_score (score covariate), score_sample_noburn, "
                         "screener_default (the model-based estimate with screener's own settings)")
    ap.add_argument("--variants", nargs="+", default=[], metavar="NAME",
                    help="also these set-ups of the model-based estimate, by their name in VARIANTS of "
                         "benchmarks/stopping_variants.py (e.g. r4_mix0)")
    ap.add_argument("--targets", type=float, nargs="+", default=list(TARGETS),
                    help="target recalls the stops are asked for (e.g. 0.8 0.9 0.95)")
    ap.add_argument("--out", type=Path, default=None, help="folder for per-run CSV and summary markdown")
    args = ap.parse_args(argv)

    ests = estimators(args)
    runs = []
    t0 = time.time()
    grid = list(itertools.product(args.sizes, args.prevalences, args.separations, range(1, args.seeds + 1)))
    for N, prev, sep, seed in grid:
        sr = synthetic_run(n_total=N, prevalence=prev, separation=sep, hard_share=args.hard_share,
                           drift=args.drift, learning=args.learning, seed=seed * 1000 + int(prev * 1e4) + N + int(sep * 10))
        step = max(1, math.ceil(N / 200))
        cps = list(range(step, N + 1, step))
        if cps[-1] != N:
            cps.append(N)
        est = stopping_trace(sr.labels, ests, history_at=sr.history, checkpoints=cps, targets=args.targets)
        name = f"N{N}_p{prev:g}_d{sep:g}"
        runs.append(SimulatedRun(labels=sr.labels, estimates=est, dataset=name, seed=seed,
                                 extra=dict(N=N, prevalence=prev, separation=sep)))
    per_run = evaluate(runs, targets=args.targets)
    per_run["prevalence"] = per_run["dataset"].str.extract(r"_p([0-9.e-]+)_")[0].astype(float)
    per_run["low_prev"] = per_run["prevalence"] < 0.03
    per_run["R_at_least_10"] = per_run["R"] >= 10
    overall = summarise(per_run)
    by_prev = summarise(per_run, by=("method", "target", "low_prev"))
    by_R = summarise(per_run, by=("method", "target", "R_at_least_10"))
    hg = overall[overall.method == "hypergeometric"].set_index("target")["excess"]
    overall["excess_vs_hypergeometric"] = [
        row.excess / hg[row.target] if row.target in hg.index and hg[row.target] > 0 else float("nan")
        for row in overall.itertuples()
    ]
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    print(f"{len(grid)} runs in {time.time() - t0:.0f} s; hard_share={args.hard_share} drift={args.drift}")
    print(overall.round(3).to_string(index=False))
    print()
    print(by_prev.round(3).to_string(index=False))
    print()
    print(by_R.round(3).to_string(index=False))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        per_run.to_csv(args.out / "per_run.csv", index=False)
        try:
            commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        except OSError:
            commit = ""
        with open(args.out / "summary.md", "w") as f:
            f.write("# Stopping methods on synthetic runs\n\n")
            f.write(f"Machine: {platform.platform()}, {platform.processor() or 'cpu'}; commit {commit or 'uncommitted'}; "
                    f"command: `{' '.join(sys.argv)}`\n\n")
            f.write("## All runs\n\n" + overall.pipe(_markdown) + "\n\n")
            f.write("## By prevalence (< 3% or not)\n\n" + by_prev.pipe(_markdown) + "\n\n")
            f.write("## By number of includes (at least 10 or not)\n\n" + by_R.pipe(_markdown) + "\n")
    return overall


if __name__ == "__main__":
    main()
