"""`screener next` on a big review: the time a reviewer waits for each new batch.

It builds a project of ``--size`` records (default 100,000) from the shared datasets' real
titles and abstracts (tagged copies beyond the ~22,000 available, as in bench_rank.py),
imported as one CSV without de-duplication, with ``--screened`` decisions taken from the
datasets' labels. Then it runs ``screener next DIR --n 50 --embedding-model none -o batch.csv``
as a reviewer would, in a fresh process each time, and times:

* the first call (features are built and stored in the project), and
* the next calls (features read back from the project), after a new batch of decisions.

The baseline, in the same run, is the first call: before the feature cache every call built
the TF-IDF features from scratch, as the first call still does. ``--baseline-repo DIR`` also
times the same command with another checkout's code (e.g. a worktree of an older commit) on
a copy of the same project. Compare ratios, not seconds, across machines.

    nice -n 10 .venv/bin/python benchmarks/bench_next.py               # 100,000 records
    nice -n 10 .venv/bin/python benchmarks/bench_next.py --size 5000 --keep /tmp/p5k
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))


def corpus_frame(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` real records (title, abstract, label), tagged copies once the real ones run out."""
    frames = [pd.read_csv(f, usecols=lambda c: c in ("title", "abstract", "label_included"))
              for f in sorted((SHARED / "datasets").glob("*.csv")) if f.name != "index.csv"]
    df = pd.concat(frames, ignore_index=True)
    df = df.assign(title=df["title"].fillna("").astype(str), abstract=df["abstract"].fillna("").astype(str),
                   label=df["label_included"].fillna(0).astype(int))
    idx = np.random.default_rng(seed).permutation(len(df))
    parts, k = [], 0
    while sum(map(len, parts)) < n:
        part = df.iloc[idx[: n - sum(map(len, parts))]].copy()
        if k:
            part["title"] = part["title"] + [f" (copy {k}x{i})" for i in part.index]
        parts.append(part)
        k += 1
    return pd.concat(parts, ignore_index=True)[["title", "abstract", "label"]]


def build_project(directory: Path, size: int, screened: int, seed: int = 0) -> tuple[float, int]:
    """A project of ``size`` records with ``screened`` decisions; returns (seconds, includes)."""
    from screener.project import Project
    from screener.store import Decision

    t = time.perf_counter()
    df = corpus_frame(size, seed)
    csv = directory.parent / f"{directory.name}-records.csv"
    df[["title", "abstract"]].to_csv(csv, index=False)
    with Project.init(directory, settings={"embedding_model": "none"}) as project:
        project.import_files([csv], dedup=False)
        ids = project.records_frame().index.to_numpy()
        rng = np.random.default_rng(seed)
        pick = rng.choice(len(ids), screened, replace=False)
        decs = [Decision(record_id=int(ids[i]), decision="include" if df["label"].iat[i] else "exclude",
                         reviewer="bench", origin="bench") for i in pick]
        project.decide_many(decs)
    csv.unlink()
    return time.perf_counter() - t, int(df["label"].to_numpy()[pick].sum())


def label_batch(directory: Path, batch: Path, labels: dict[str, int]) -> None:
    """Fill in a written batch from the datasets' labels and read it back, as a reviewer would."""
    from screener.labels import import_labels
    from screener.project import Project

    b = pd.read_csv(batch, dtype=str, keep_default_na=False)
    b["decision"] = ["include" if labels.get(t, 0) else "exclude" for t in b["title"]]
    b.to_csv(batch, index=False)
    with Project.open(directory) as project:
        import_labels(project, batch, reviewer="bench")


def run_next(directory: Path, out: Path, pythonpath: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the 'screener next' process)."""
    cmd = [sys.executable, "-c", "import sys; sys.argv[0] = 'screener'; from screener.cli import main; main()",
           "next", str(directory), "--n", "50", "--embedding-model", "none", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(f"screener next failed:\n{res.stdout}\n{res.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--screened", type=int, default=1000, help="decisions before the first call")
    ap.add_argument("--calls", type=int, default=3, help="calls of 'next' (a labelled batch between calls)")
    ap.add_argument("--baseline-repo", type=Path, default=None,
                    help="also time 'next' with this checkout's code (e.g. the commit before the cache)")
    ap.add_argument("--baseline-calls", type=int, default=1, help="calls with the baseline code (each the same)")
    ap.add_argument("--keep", type=Path, default=None, help="build the project here and keep it")
    ap.add_argument("--target", type=float, default=10.0, help="seconds the second call may take")
    args = ap.parse_args(argv)

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"command: {' '.join(sys.argv)}\n")
    tmp = Path(tempfile.mkdtemp(prefix="bench_next_"))
    try:
        directory = args.keep or (tmp / "project")
        if directory.exists():
            shutil.rmtree(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        took, n_inc = build_project(directory, args.size, args.screened)
        print(f"built a project of {args.size:,} records, {args.screened:,} screened ({n_inc} includes) in {took:.0f} s")
        df = corpus_frame(args.size, 0)
        labels = dict(zip(df["title"], df["label"]))
        baseline_copy = None
        if args.baseline_repo is not None:
            baseline_copy = tmp / "baseline-project"
            shutil.copytree(directory, baseline_copy)

        rows = []
        for call in range(1, args.calls + 1):
            batch = tmp / f"batch{call}.csv"
            t, cpu = run_next(directory, batch, REPO)
            rows.append(("this checkout", call, t, cpu))
            print(f"call {call}: {t:.1f} s wall, {cpu:.1f} s CPU", flush=True)
            label_batch(directory, batch, labels)
        if baseline_copy is not None:
            for call in range(1, args.baseline_calls + 1):
                batch = tmp / f"base{call}.csv"
                t, cpu = run_next(baseline_copy, batch, args.baseline_repo)
                rows.append((f"baseline code ({args.baseline_repo})", call, t, cpu))
                print(f"baseline call {call}: {t:.1f} s wall, {cpu:.1f} s CPU", flush=True)
                label_batch(baseline_copy, batch, labels)

        first, first_cpu = rows[0][2], rows[0][3]
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(wall time stretches with it; CPU time much less)")
        print("\n| records | code | call | wall s | CPU s | wall x first call | CPU x first call | target s |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|")
        for who, call, t, cpu in rows:
            target = f"{args.target:g}" if who == "this checkout" and call >= 2 else ""
            print(f"| {args.size:,} | {who} | {call} | {t:.1f} | {cpu:.1f} | {t / first:.3f} | {cpu / first_cpu:.3f} "
                  f"| {target} |")
        later = [(t, cpu) for who, call, t, cpu in rows if who == "this checkout" and call >= 2]
        if later:
            worst, worst_cpu = max(t for t, _ in later), max(c for _, c in later)
            verdict = "met" if worst <= args.target else "NOT met"
            print(f"\nlater calls: at most {worst:.1f} s wall, {worst_cpu:.1f} s CPU (target {args.target:g} s wall: "
                  f"{verdict}); first call {first:.1f} s wall, {first_cpu:.1f} s CPU (what every call cost before "
                  "the feature cache)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
