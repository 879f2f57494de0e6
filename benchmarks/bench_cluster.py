"""Embedding throughput on a local Dask cluster: 2 one-thread workers against 1, in the same run.

    nice -n 10 .venv/bin/python benchmarks/bench_cluster.py            # 384 records, 2 rounds
    nice -n 10 .venv/bin/python benchmarks/bench_cluster.py --records 1000 --rounds 3

The records are real titles and abstracts from the shared datasets (``../shared/datasets``),
each embedded from scratch (no cache) through ``screener embed``'s code path
(``embed_texts(..., client=...)``), cut into chunks of ``--chunk-size`` texts, one task each.
Every worker loads the model before the clock starts (a warm-up task on each), so the figure is
throughput, not start-up. Rounds alternate the 1-worker and the 2-worker cluster, so a change
in the machine's load during the run hits both; the ratio of the median times is the figure.
The bar (issue 17): at least 1.7x. Writes ``results/cluster_embedding.md`` (the command, the
machine, its load average before and after, every round).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shlex
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from screener.records import record_text  # noqa: E402

SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))


def shared_texts(n: int, shared: Path = SHARED) -> list[str]:
    """``n`` distinct record texts, taken in turn from the shared datasets (file order)."""
    index = pd.read_csv(shared / "datasets" / "index.csv")
    out, seen = [], set()
    for f in index["file"]:
        df = pd.read_csv(shared / "datasets" / f, keep_default_na=False)
        for t, a in zip(df["title"], df["abstract"]):
            s = record_text(t, a)
            if s.strip() and s not in seen:
                seen.add(s)
                out.append(s)
                if len(out) == n:
                    return out
    raise SystemExit(f"only {len(out)} distinct records in {shared / 'datasets'}; ask for fewer")


def timed_embed(client, texts, chunk_size: int) -> float:
    from screener.features.embeddings import embed_texts

    t = time.perf_counter()
    v = embed_texts(texts, cache=None, progress=False, chunk_size=chunk_size, client=client)
    dt = time.perf_counter() - t
    assert v.shape[0] == len(texts)
    return dt


def warm(client) -> None:
    """Load the model on every worker (a small task pinned to each) before any timing."""
    from screener.cluster import _embed_chunk
    from screener.features.embeddings import DEFAULT_BATCH_SIZE, DEFAULT_MAX_SEQ_LENGTH

    futs = [client.submit(_embed_chunk, ["warm-up text"], "default", DEFAULT_MAX_SEQ_LENGTH, None, "cpu",
                          DEFAULT_BATCH_SIZE, workers=[w], pure=False, allow_other_workers=False)
            for w in client.nthreads()]
    client.gather(futs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=384)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--chunk-size", type=int, default=32)
    ap.add_argument("--out", default=str(HERE / "results" / "cluster_embedding.md"))
    args = ap.parse_args(argv)
    from distributed import Client, LocalCluster

    texts = shared_texts(args.records)
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    times: dict[int, list[float]] = {1: [], 2: []}
    clusters = {}
    try:
        for n in (1, 2):
            lc = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=logging.ERROR)
            clusters[n] = (lc, Client(lc))
            warm(clusters[n][1])
        for r in range(args.rounds):
            for n in (1, 2):
                dt = timed_embed(clusters[n][1], texts, args.chunk_size)
                times[n].append(dt)
                print(f"round {r + 1}: {n} {'worker' if n == 1 else 'workers'}: {len(texts)} records in "
                      f"{dt:.1f} s "
                      f"({len(texts) / dt:.1f} records/s)", flush=True)
    finally:
        for lc, client in clusters.values():
            client.close()
            lc.close()
    load_after = os.getloadavg()
    m1, m2 = statistics.median(times[1]), statistics.median(times[2])
    ratio = m1 / m2
    verdict = "met" if ratio >= 1.7 else "**not met**"
    cmd = "python " + " ".join(shlex.quote(a) for a in [f"benchmarks/{Path(__file__).name}", *(argv or sys.argv[1:])])
    lines = [
        "# Embedding throughput on a local Dask cluster: 2 one-thread workers against 1",
        "",
        f"Command: `{cmd}`  ",
        f"Date: {started}; machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}  ",
        f"Load average (1/5/15 min) before: {' / '.join(f'{x:.1f}' for x in load_before)}; after: "
        f"{' / '.join(f'{x:.1f}' for x in load_after)} (above {os.cpu_count()} means other work shared the cores)",
        "",
        f"{len(texts)} records from the shared datasets, embedded from scratch with the default model "
        f"(all-MiniLM-L6-v2, int8, 128 word pieces), chunks of {args.chunk_size} texts, one task each; "
        f"models loaded before timing; {args.rounds} {'round' if args.rounds == 1 else 'rounds'}, the two clusters "
        "alternating.",
        "",
        "| workers | " + " | ".join(f"round {i + 1} (s)" for i in range(args.rounds)) + " | median (s) | records/s |",
        "|---:|" + "---:|" * (args.rounds + 2),
    ]
    for n in (1, 2):
        med = statistics.median(times[n])
        lines.append(f"| {n} | " + " | ".join(f"{t:.1f}" for t in times[n]) + f" | {med:.1f} | {len(texts) / med:.1f} |")
    lines += ["", f"Speed-up of 2 workers over 1: **{ratio:.2f}x** (bar: at least 1.7x; {verdict})."]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[-1:]))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
