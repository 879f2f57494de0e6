"""Rerank latency: time from a new decision to a new full ranking, with features cached.

For each size (default 5,000 and 100,000 records, built from the shared datasets' real titles
and abstracts, repeated with a record-specific tag beyond the ~27,000 available) and each
ranker, it times ``Prioritizer.rank(..., refit=True)`` — a full refit on the labelled records
plus scoring and ordering every unlabelled record — and, in the same run, a baseline: one
default ``sklearn.linear_model.LogisticRegression().fit`` on the same labelled TF-IDF rows plus
``predict_proba`` on all rows. Figures are medians and 95th percentiles over ``--repeats``;
compare the ratio to the baseline, not the seconds, across machines.

    nice python benchmarks/bench_rank.py                   # 5,000 and 100,000 records
    nice python benchmarks/bench_rank.py --sizes 5000 --repeats 21
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screener.features import FeatureMatrix, build_features  # noqa: E402
from screener.queue import Prioritizer  # noqa: E402
from screener.rankers import RANKERS  # noqa: E402
from screener.records import record_text  # noqa: E402

SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))


def corpus(n: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """``n`` real record texts with their labels (tagged copies once the real ones run out)."""
    frames = []
    for f in sorted((SHARED / "datasets").glob("*.csv")):
        if f.name == "index.csv":
            continue
        d = pd.read_csv(f, usecols=lambda c: c in ("title", "abstract", "label_included"))
        frames.append(d)
    df = pd.concat(frames, ignore_index=True)
    texts = [record_text(t, a) for t, a in zip(df["title"].fillna(""), df["abstract"].fillna(""))]
    y = df["label_included"].fillna(0).to_numpy().astype(int)
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(texts))
    out_t, out_y = [], []
    k = 0
    while len(out_t) < n:
        for i in idx:
            if len(out_t) >= n:
                break
            out_t.append(texts[i] if k == 0 else f"{texts[i]} copy{k}x{i}")
            out_y.append(y[i])
        k += 1
    return out_t, np.array(out_y)


def timed(fn, repeats: int) -> tuple[float, float]:
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return float(np.median(ts)), float(np.percentile(ts, 95))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 100000])
    ap.add_argument("--labelled", type=float, default=0.1, help="share of records labelled (default 0.1)")
    ap.add_argument("--max-labelled", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--rankers", nargs="+", default=list(RANKERS))
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"command: {' '.join(sys.argv)}\n")
    print("| records | labelled | ranker | median s | p95 s | x baseline | target s |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for n in args.sizes:
        texts, y = corpus(n)
        t = time.perf_counter()
        Xt = build_features(texts, "tfidf")
        t_tfidf = time.perf_counter() - t
        # Embedding timing only needs the shape: random unit vectors stand in for cached ones.
        dense = np.random.default_rng(0).normal(size=(n, 384)).astype(np.float32)
        dense /= np.linalg.norm(dense, axis=1, keepdims=True)
        X = FeatureMatrix(Xt.sparse, dense, vectorizer=Xt.vectorizer, feature_names=Xt.feature_names)
        n_lab = min(int(n * args.labelled), args.max_labelled)
        rng = np.random.default_rng(1)
        inc = np.flatnonzero(y == 1)
        exc = np.flatnonzero(y == 0)
        n_inc = max(2, n_lab // 20)
        lab = np.concatenate([rng.choice(inc, n_inc, replace=False), rng.choice(exc, n_lab - n_inc, replace=False)])
        yl = y[lab]

        def baseline():
            m = LogisticRegression().fit(X.sparse[lab], yl)
            m.predict_proba(X.sparse)

        b_med, b_p95 = timed(baseline, args.repeats)
        target = 0.3 if n <= 5000 else 5.0
        print(f"| {n:,} | {n_lab:,} | baseline: LogisticRegression() fit + predict_proba | {b_med:.3f} | {b_p95:.3f} | 1.00 | |")
        for name in args.rankers:
            p = Prioritizer(name, random_state=0)
            med, p95 = timed(lambda: p.rank(X, lab, yl, refit=True), args.repeats)
            print(f"| {n:,} | {n_lab:,} | {name} | {med:.3f} | {p95:.3f} | {med / b_med:.2f} | {target} |", flush=True)
        print(f"\n(one-off TF-IDF build for {n:,} records: {t_tfidf:.1f} s; {X.n_sparse:,} terms)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
