"""A whole simulation with the default ranker, against an earlier checkout's code in the same run:
faster code must give the same screening orders.

    git worktree add /tmp/base COMMIT
    .venv/bin/python benchmarks/bench_simulate.py --baseline-repo /tmp/base [--datasets a,b]
        [--seeds 1] [--out benchmarks/results/simulate_speed.md]

Each (dataset, seed) of the reported sets (``../shared/datasets``) is simulated by this code and
by the baseline's, each in a fresh process with one BLAS thread, one after the other (the order
alternates), with nothing else to run beside it. Both read the same cached embeddings
(``benchmarks/cache``, filled by ``run.py --embed-only``) and the same data. The time is
``simulate``'s own ``wall_time_s``: the TF-IDF built, every refit and ranking, no embedding, no
stopping methods (as in ``run.py``). The table gives both times, their ratio and its geometric mean
over the sets, and whether the two screening orders are identical, record for record.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

# run in a subprocess with the code under test first on sys.path: one simulation, as run.py runs it
_ONE = r"""
import os
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"
import hashlib, json, sys
code, dataset, seed, shared, cache = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
sys.path[:0] = [code, os.path.join(code, "benchmarks")]
from pathlib import Path
from run import SYSTEMS, cache_path, load_dataset
from screener.simulate import simulate
spec = SYSTEMS["screener-default"]
df = load_dataset(dataset, Path(shared), "datasets")
res = simulate(df, config=spec["config"], seed=seed, priors=spec["priors"], estimators=[],
               embedding_cache=str(cache_path(dataset, Path(cache))), dataset_name=dataset)
print(json.dumps({"wall_time_s": res.wall_time_s, "n_refits": int(res.retrained.sum()),
                  "order": hashlib.sha256(res.order.astype("int64").tobytes()).hexdigest()}))
"""


def one(code: Path, dataset: str, seed: int, shared: Path, cache: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _ONE, str(code), dataset, str(seed), str(shared), str(cache)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"the simulation of {dataset} (seed {seed}) with the code in {code} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    from run import CACHE, SHARED, git_commit, load_index, machine

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline-repo", type=Path, required=True, help="a checkout of the earlier commit")
    ap.add_argument("--datasets", default=None, help="comma-separated (default: all 18 reported sets)")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "simulate_speed.md")
    args = ap.parse_args(argv)
    base = args.baseline_repo.resolve()
    datasets = args.datasets.split(",") if args.datasets else list(load_index(args.shared, "datasets")["dataset"])
    seeds = [int(s) for s in args.seeds.split(",")]
    base_commit = subprocess.run(["git", "-C", str(base), "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip() or "unknown"
    rows = []
    for i, ds in enumerate(datasets):
        for seed in seeds:
            first_new = (i + seed) % 2 == 0
            pair = {}
            for which in (("new", "base") if first_new else ("base", "new")):
                pair[which] = one(REPO if which == "new" else base, ds, seed, args.shared, args.cache)
            new, old = pair["new"], pair["base"]
            rows.append((ds, seed, new, old))
            print(f"{ds} seed {seed}: {new['wall_time_s']:.2f} s against {old['wall_time_s']:.2f} s, "
                  f"orders {'identical' if new['order'] == old['order'] else 'DIFFERENT'}", flush=True)
    ratios = [n["wall_time_s"] / o["wall_time_s"] for _, _, n, o in rows]
    same = sum(n["order"] == o["order"] for _, _, n, o in rows)
    L = ["# A whole simulation, this code against an earlier commit's", "",
         f"- Command: `python benchmarks/bench_simulate.py {' '.join(argv if argv is not None else sys.argv[1:])}`",
         f"- Commit: {git_commit()} against {base_commit}; machine: {machine()}; Python {platform.python_version()}",
         "- The default ranker (`screener-default`, 1 include + 1 exclude as priors), each simulation in a fresh "
         "process with one BLAS thread, one at a time; time = `simulate`'s wall_time_s (TF-IDF, every refit and "
         "ranking; no embedding, no stopping methods).", "",
         "| dataset | seed | refits | this code (s) | baseline (s) | ratio | same order |",
         "|---|---:|---:|---:|---:|---:|---|"]
    for (ds, seed, n, o), r in zip(rows, ratios):
        L.append(f"| {ds} | {seed} | {n['n_refits']} | {n['wall_time_s']:.3f} | {o['wall_time_s']:.3f} | {r:.2f} | "
                 f"{'yes' if n['order'] == o['order'] else '**no**'} |")
    L += ["", f"Geometric mean of the ratio: **{math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}** "
          f"({1 / math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}x faster); identical orders in "
          f"**{same} of {len(rows)}** runs."]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(L) + "\n")
    print("\n".join(L))
    return 0 if same == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
