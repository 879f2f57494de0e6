"""How long ``screener status`` takes on a large review with many stored rankings.

Since the stop check matches every decision to the ranking it was made from
(``screener.status.ranking_provenance``), status reads the stored rankings that decisions were
made from. This builds a synthetic review (``--records`` records, titles only, no
de-duplication), stores ``--rankings`` rankings each followed by a batch of 50 decisions from its
top (two of them random-sample rows), and times ``recall_status`` (the whole status reading)
against the baseline of the same run: the part every status did before the check, reading the
decision log into a history and running the estimators on it (the raw history, in the order
decided, + ``run_all``; ``screening_history`` itself now reads the rankings too, to put each
batch in its ranking's order). The bar is ``scale_500k.md``'s: status in at most 5 s.

    python benchmarks/bench_status.py --records 500000 --rankings 4 100
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def build(where: Path, n: int, rankings: int, seed: int = 0):
    from screener.project import Project
    from screener.store import Decision

    rng = np.random.default_rng(seed)
    words = np.array("peer support harm reduction drug use services qualitative study workers lived experience "
                     "opioid treatment clinic nurses outcomes trial cohort".split())
    csv = where / "records.csv"
    pd.DataFrame({"title": [" ".join(rng.choice(words, 8)) + f" {i}" for i in range(n)],
                  "year": 2000 + (np.arange(n) % 24), "doi": [f"10.1/{i}" for i in range(n)]}).to_csv(csv, index=False)
    p = Project.init(where / "review", settings={"embedding_model": "none"})
    p.import_files([csv], dedup=False)
    left = rng.permutation(np.asarray(p.store.primary_record_ids(), dtype=np.int64))
    for r in range(rankings):
        p.store.save_ranking({"phase": "model"}, pd.DataFrame({"record_id": left, "score": np.linspace(1, 0, len(left))}),
                             r * 50)
        time.sleep(0.002)  # decisions are dated to the millisecond: after their ranking
        batch = [Decision(record_id=int(i), decision="include" if k % 10 == 0 else "exclude") for k, i in enumerate(left[:48])]
        batch += [Decision(record_id=int(i), decision="exclude", sampled=True, sample_prob=2 / len(left))
                  for i in rng.choice(left[48:], 2, replace=False)]
        p.decide_many(batch)
        done = {d.record_id for d in batch}
        left = left[~np.isin(left, list(done))]
    return p


def timed(f, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=500_000)
    ap.add_argument("--rankings", type=int, nargs="+", default=[4, 100])
    args = ap.parse_args(argv)
    from screener.status import recall_status

    from screener.status import _current, _history_from
    from screener.stopping import run_all

    print("| records | rankings stored | decisions | status s | history + estimators s (baseline) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in args.rankings:
        with tempfile.TemporaryDirectory() as tmp:
            p = build(Path(tmp), args.records, r)
            st = timed(lambda: recall_status(p))
            base = timed(lambda: run_all(_history_from(p, *_current(p))))
            print(f"| {args.records:,} | {r} | {len(p.decision_log()):,} | {st:.2f} | {base:.2f} | {st / base:.1f} |",
                  flush=True)
            p.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
