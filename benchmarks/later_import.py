"""A second database search imported into a screened review: is a "you can stop" given below
the target recall, and what does the stop cost?

A reviewer screens the first search until ``screener status`` says stop, then imports a second
search (an update, or a database searched late) and screens on. This replays that through the
public API, on a real project on disk, for labelled reviews of ``../shared``:

* the set's records in a random order (``--seed``); the first ``--first`` share of them is the
  first search, the rest the second (the same studies in both halves' proportions, by chance);
* the first search imported, then screened batch by batch as ``workflow_sim.py`` does
  (``advised_sample``, ``ScreeningSession.next_batch``, the labels as decisions,
  ``recall_status`` after every batch) until the advice says stop (or nothing is left);
* the second search imported (``import_files``, no de-duplication: the halves share no record),
  and screened on the same way until the advice says stop again; its first ``--one-by-one``
  records (default 50) are decided one at a time with the status read after each, as on the
  screening page, so a stop given early in the new ranking is not skipped over.

It reports, per run, where each stop came (records screened, recall of the whole review there),
every stop reading given after the second import below the target recall (a false stop), and
how much of the second search was screened. Lexical features only (``embedding_model none``).

    nice -n 10 python benchmarks/later_import.py --corpus tuning --seeds 1 --max-records 2000
    python benchmarks/later_import.py --summarise

Results: ``benchmarks/results/later_import/`` (``runs_<corpus>.csv`` and ``summary.md``).
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
sys.path.insert(0, str(REPO / "benchmarks"))
RESULTS = REPO / "benchmarks" / "results" / "later_import"

from workflow_sim import SHARED, TEXT_COLUMNS, load_set  # noqa: E402


def _import_part(project, df: pd.DataFrame, rows: np.ndarray, where: Path, name: str) -> pd.Series:
    """Import the set's ``rows`` as one search; the label of each new project record."""
    cols = [c for c in TEXT_COLUMNS if c in df.columns]
    csv = where / f"{name}.csv"
    part = df.iloc[rows]
    part[cols].assign(record_id=rows).to_csv(csv, index=False)  # the set's row, read back as source_ref
    before = set(project.records_frame().index)
    project.import_files([csv], dedup=False)
    recs = project.records_frame()
    recs = recs[~recs.index.isin(before)]
    src = recs["source_ref"].astype(int).to_numpy()
    missing = set(rows) - set(src)
    if missing and df.iloc[sorted(missing)]["label_included"].sum():
        raise RuntimeError(f"{len(missing)} rows with includes were not imported")
    return pd.Series(df["label_included"].to_numpy()[src], index=recs.index)


def _screen(project, labels: pd.Series, batch: int, target: float, total: int, stage: str, rows: list,
            one_by_one: int = 0) -> dict:
    """Screen batch by batch until the advice says stop or nothing is left; one row per reading.
    ``one_by_one``: the first batches of this many records are decided a record at a time, the
    status read after each (as the screening page does), so no early reading is skipped."""
    from screener.screening import ScreeningSession
    from screener.status import advised_sample, recall_status
    from screener.store import Decision

    session = ScreeningSession(project, embedding_model="none")
    st = recall_status(project)
    done = 0
    while st["n_remaining"] and not st["advice"].stop:
        b = session.next_batch(batch, explain=False, sample=advised_sample(project, batch, st))
        if b.empty:
            break
        made = [Decision(record_id=int(r), decision="include" if labels[int(r)] else "exclude", origin="simulation")
                for r in b["record_id"]]
        groups = [[d] for d in made] if done < one_by_one else [made]
        for group in groups:
            project.decide_many(group)
            done += len(group)
            st = recall_status(project)
            found = int(labels.reindex(project.current_decisions().index).fillna(0).sum())
            rows.append({"stage": stage, "n_total": st["n_total"], "n_screened": st["n_screened"],
                         "includes_found": found, "includes_total": total, "recall": found / total if total else 1.0,
                         "advice_stop": bool(st["advice"].stop),
                         "estimate": float(st["advice"].estimate.recall) if st["advice"].estimate else float("nan")})
            if st["advice"].stop:
                break
    return st


def simulate(corpus: str, name: str, seed: int, first: float, batch: int, target: float, log,
             one_by_one: int = 0) -> dict:
    from screener.project import Project

    df = load_set(corpus, name)
    order = np.random.default_rng(seed).permutation(len(df))
    cut = int(round(first * len(df)))
    readings: list[dict] = []
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="later-") as tmp:
        project = Project.init(Path(tmp) / "review", settings={"seed": seed, "embedding_model": "none",
                                                                "target_recall": target})
        try:
            labels = _import_part(project, df, np.sort(order[:cut]), Path(tmp), "first")
            total_first = int(labels.sum())
            st = _screen(project, labels, batch, target, total_first, "first", readings)
            first_stop = dict(readings[-1]) if readings else {}
            second = _import_part(project, df, np.sort(order[cut:]), Path(tmp), "second")
            labels = pd.concat([labels, second])
            total = int(labels.sum())
            second_ids = set(second.index)
            n_before = len(readings)
            st = _screen(project, labels, batch, target, total, "second", readings, one_by_one=one_by_one)
            after = pd.DataFrame(readings[n_before:])
            screened = set(project.current_decisions().index)
        finally:
            project.close()
    false = after[after["advice_stop"] & (after["recall"] < target)] if len(after) else after
    last = readings[-1]
    out = {"corpus": corpus, "dataset": name, "seed": seed, "n_records": len(df), "first_share": first,
           "includes": total, "includes_first": total_first,
           "first_stop_screened": first_stop.get("n_screened"), "first_stop_recall_of_first": (
               first_stop.get("includes_found", 0) / total_first if total_first else float("nan")),
           "final_stop": bool(st["advice"].stop), "final_screened": last["n_screened"], "final_total": last["n_total"],
           "final_recall": last["recall"], "second_screened": len(screened & second_ids),
           "second_records": len(second_ids), "false_stop_readings": len(false),
           "first_false_stop_recall": float(false["recall"].iloc[0]) if len(false) else float("nan"),
           "seconds": round(time.time() - t0)}
    log(f"{corpus}/{name} seed {seed}: first stop at {out['first_stop_screened']}, final {out['final_screened']}/"
        f"{out['final_total']} recall {out['final_recall']:.3f}, second search {out['second_screened']}/"
        f"{out['second_records']} screened, {out['false_stop_readings']} false stop readings, {out['seconds']}s")
    return out


def write_summary(results: Path, target: float) -> Path:
    parts = []
    for f in sorted(results.glob("runs_*.csv")):
        parts.append(pd.read_csv(f))
    runs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    lines = ["# A second search imported into a screened review", "",
             "Made by `benchmarks/later_import.py` (its docstring gives the procedure and the commands); "
             "`--summarise` rewrites this file from the stored runs.", ""]
    if runs.empty:
        lines.append("No runs yet.")
    else:
        lines += [f"{len(runs)} runs; target recall {target:.0%}. A false stop is a 'you can stop' read after the "
                  "second import while the whole review's recall was below the target.", ""]
        for share, g in runs.groupby("first_share"):
            stopped = g["final_stop"].astype(bool)
            lines += [f"First search {share:.0%} of the records ({len(g)} run{'' if len(g) == 1 else 's'}, seeds "
                      f"{','.join(map(str, sorted(g['seed'].unique())))}):",
                      f"- runs with a false stop after the second import: {int((g['false_stop_readings'] > 0).sum())}",
                      f"- runs that reached a stop again: {int(stopped.sum())}; recall there below the target in "
                      f"{int((g.loc[stopped, 'final_recall'] < target).sum())}",
                      f"- mean share of the records screened at the final stop: "
                      f"{(g['final_screened'] / g['final_total']).mean():.1%}; of the second search: "
                      f"{(g['second_screened'] / g['second_records']).mean():.1%}", ""]
        lines += [
                  "| corpus | first search | dataset | seed | records | includes | first stop (screened) "
                  "| final stop (screened) | recall there | second search screened | false stop readings |",
                  "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in runs.itertuples():
            lines.append(f"| {r.corpus} | {r.first_share:.0%} | {r.dataset} | {r.seed} | {r.n_records} | {r.includes} | "
                         f"{r.first_stop_screened} | {r.final_screened if r.final_stop else 'no stop'} | "
                         f"{r.final_recall:.1%} | {r.second_screened} of {r.second_records} | "
                         f"{r.false_stop_readings} |")
    path = results / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="tuning")
    ap.add_argument("--datasets", default="", help="comma-separated; default: every set of the corpus")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--first", type=float, default=0.6, help="share of the records in the first search")
    ap.add_argument("--batch", type=int, default=25)
    ap.add_argument("--target", type=float, default=0.95)
    ap.add_argument("--one-by-one", type=int, default=50,
                    help="after the second import, decide this many records one at a time, the status read after "
                         "each (default 50)")
    ap.add_argument("--max-records", type=int, default=0, help="leave out sets larger than this (0: none)")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--summarise", action="store_true")
    a = ap.parse_args(argv)
    a.results.mkdir(parents=True, exist_ok=True)
    if a.summarise:
        print(write_summary(a.results, a.target))
        return 0
    idx = pd.read_csv(SHARED / a.corpus / "index.csv")
    names = [n for n in a.datasets.split(",") if n] or list(idx.sort_values("n_records")["dataset"])
    if a.max_records:
        size = dict(zip(idx["dataset"], idx["n_records"]))
        names = [n for n in names if size[n] <= a.max_records]
    out_csv = a.results / f"runs_{a.corpus}_first{round(100 * a.first)}.csv"
    done = pd.read_csv(out_csv) if out_csv.exists() else pd.DataFrame()
    for name in names:
        for seed in [int(s) for s in a.seeds.split(",")]:
            if len(done) and ((done["dataset"] == name) & (done["seed"] == seed)).any():
                continue
            row = simulate(a.corpus, name, seed, a.first, a.batch, a.target, lambda m: print(m, flush=True),
                           one_by_one=a.one_by_one)
            done = pd.concat([done, pd.DataFrame([row])], ignore_index=True)
            done.to_csv(out_csv, index=False)
    print(write_summary(a.results, a.target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
