"""How often the recall status's recommended interval holds the truth early in a review.

Each labelled review of a corpus is screened as a team would: a project with the review's title
as its protocol, batches from ``ScreeningSession.next_batch`` decided by the labels, and the
status read after every batch, until a share of the records is screened or the advice says stop.
Each reading records the includes found, the true number left and the model-based interval; the
summary gives the share of readings whose interval held the truth, and the share too low (the
side that could advise stopping too soon), by includes found and by share screened.

    python benchmarks/early_coverage.py --corpus tuning --batch 5 --max-frac 0.10

Lexical ranker only (``--embedding-model none``): the packaged sentence model would take hours
on these two cores. Writes ``results/tuning/early_coverage_b{batch}.csv`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

FOUND_BINS = [(0, 0), (1, 2), (3, 4), (5, 9), (10, 19), (20, None)]
SHARE_BINS = [(0.0, 0.05), (0.05, 0.10), (0.10, 0.20), (0.20, 1.01)]


def replay(csv: Path, title: str, batch: int, max_frac: float, work: Path, max_records: int) -> list[dict]:
    """The status readings along one review's screening (see the module's docstring)."""
    from screener.project import Project
    from screener.screening import ScreeningSession
    from screener.status import recall_status

    labels = pd.read_csv(csv, usecols=["record_id", "label_included"])
    if len(labels) > max_records:
        return []
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    proto = work / "protocol.toml"
    proto.write_text(f"title = {json.dumps(title)}\n")
    rows = []
    with Project.init(work / "review", protocol=proto, settings={"embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        truth = dict(zip(labels["record_id"].astype(str), labels["label_included"].astype(int)))
        recs = p.records_frame(primary_only=False)
        per_group = recs["source_ref"].astype(str).map(truth).fillna(0).astype(int).groupby(recs["group_id"]).max()
        prim = recs[recs["is_primary"]]
        study = {int(r): int(per_group[g]) for r, g in zip(prim.index, prim["group_id"])}
        total = sum(study.values())
        session = ScreeningSession(p, embedding_model="none")
        while True:
            b = session.next_batch(batch, explain=False)
            if not len(b):
                break
            for rid in b["record_id"]:
                session.decide(int(rid), "include" if study.get(int(rid)) else "exclude")
            st = recall_status(p)
            e = st["estimates"].get("score_sample")
            screened = set(int(i) for i in p.current_decisions().index)
            left = total - sum(v for k, v in study.items() if k in screened)
            rows.append({"dataset": csv.stem, "studies": len(study), "includes": total,
                         "screened": st["n_screened"], "share": st["n_screened"] / len(study),
                         "found": st["includes_found"], "left": left,
                         "estimate": None if e is None else e.remaining, "low": None if e is None else e.remaining_low,
                         "high": None if e is None else e.remaining_high, "stop": bool(st["advice"].stop)})
            if st["advice"].stop or st["n_screened"] >= max_frac * len(study):
                break
    shutil.rmtree(work, ignore_errors=True)
    return rows


def _bin(value, bins, fmt) -> str:
    for lo, hi in bins:
        inside = hi is None or (value <= hi if isinstance(hi, int) else value < hi)  # int bins end inclusive
        if value >= lo and inside:
            return fmt(lo, hi)
    return "?"


def _order(g: pd.DataFrame, col: str) -> float:
    """Where a bin's readings sit, to list the bins from the lowest up."""
    return float(g["found" if col == "by_found" else "share"].min())


def summary(df: pd.DataFrame, command: str) -> str:
    df = df.dropna(subset=["high"]).copy()
    df["covered"] = (df["low"] <= df["left"]) & (df["left"] <= df["high"])
    df["too_low"] = df["high"] < df["left"]
    df["by_found"] = [_bin(v, FOUND_BINS, lambda lo, hi: f"{lo}+" if hi is None else (f"{lo}" if lo == hi else
                                                                                       f"{lo}-{hi}")) for v in df["found"]]
    df["by_share"] = [_bin(v, SHARE_BINS, lambda lo, hi: f"{lo:.0%}-{min(hi, 1):.0%}") for v in df["share"]]
    lines = ["# Early readings of the recall status: does the interval hold the truth?", "",
             f"- Command: `{command}`",
             f"- Reviews: {df['dataset'].nunique()}; status readings: {len(df)} (one after each batch)", ""]
    for col, head in (("by_found", "includes found"), ("by_share", "share of records screened")):
        lines += [f"| {head} | readings | reviews | interval held the truth | too low (truth above it) |",
                  "|---|---:|---:|---:|---:|"]
        for key, g in sorted(df.groupby(col, sort=False), key=lambda kg: _order(kg[1], col)):
            lines.append(f"| {key} | {len(g)} | {g['dataset'].nunique()} | {g['covered'].mean():.1%} | "
                         f"{g['too_low'].mean():.1%} ({int(g['too_low'].sum())}) |")
        lines.append("")
    worst = df[df["too_low"]].assign(gap=lambda d: d["left"] - d["high"]).sort_values("gap", ascending=False).head(5)
    if len(worst):
        lines += ["Readings with the interval furthest below the truth:", "",
                  "| review | screened | found | estimate (interval) | truth left |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {r.dataset} | {r.screened} / {r.studies} | {r.found} | {r.estimate:.0f} ({r.low:.0f}-{r.high:.0f}) "
                  f"| {r.left} |" for r in worst.itertuples()]
    lines += ["", f"Stopped while an include was left: {int((df['stop'] & (df['left'] > 0)).sum())} readings."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="tuning", help="folder of ../shared with index.csv (tuning: not reported)")
    ap.add_argument("--batch", type=int, default=5, help="records per batch")
    ap.add_argument("--max-frac", type=float, default=0.10, help="stop each replay after this share screened")
    ap.add_argument("--max-records", type=int, default=3000, help="leave out reviews with more records")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "tuning")
    ap.add_argument("--report-only", action="store_true", help="rewrite the summary from the stored readings")
    args = ap.parse_args(argv)
    stem = args.out / f"early_coverage_b{args.batch}"
    if args.report_only:
        df = pd.read_csv(stem.with_suffix(".csv"))
    else:
        corpus = HERE.parent.parent / "shared" / args.corpus
        index = pd.read_csv(corpus / "index.csv")
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for r in index.itertuples():
                got = replay(corpus / r.file, str(r.review_title), args.batch, args.max_frac, Path(tmp) / r.dataset,
                             args.max_records)
                rows += got
                print(f"{r.dataset}: {len(got)} readings", flush=True)
        df = pd.DataFrame(rows)
        args.out.mkdir(parents=True, exist_ok=True)
        df.to_csv(stem.with_suffix(".csv"), index=False)
    command = (f"python benchmarks/early_coverage.py --corpus {args.corpus} --batch {args.batch} "
               f"--max-frac {args.max_frac}")
    stem.with_suffix(".md").write_text(summary(df, command))
    print(stem.with_suffix(".md").read_text())


if __name__ == "__main__":
    main()
