"""Workflow simulation: is a "you can stop" ever given below the target recall?

The benchmark's stopping tables ask the methods along plain ranked orders. A reviewer's
review goes differently: ``screener next`` mixes the random sample the advice asks for into
each batch (while the target allows no include to be missed), the decisions come back, and
``screener status`` is read after every batch. This script replays exactly that through the
public API, on a real project on disk:

* ``Project.init`` + ``import_files`` of the labelled set (label columns removed, no
  de-duplication, so every labelled record is screened once), no protocol and no prior
  decisions: the queue starts in random order, as ``screener init``/``import``/``next`` does;
* per batch: ``advised_sample`` (``screener next``'s default sample), ``ScreeningSession.next_batch``,
  the set's labels as the decisions (``Project.decide_many``), then ``recall_status``;
* a run ends once the true recall has reached the target (no later verdict can be false),
  or nothing is left. (Going on to where each method stops would cost more CPU than the
  2 shared cores this was run on allow; the summary says which methods stopped by then.)

It reports, per method and for the advice (the verdict the reviewer sees), the share of runs
whose first "stop" came below the target, the share of all stop readings below it, and where
the first stop came (share of the records screened, recall there). Sets are run smallest
first, so an interrupted call still covers the most sets; rerunning resumes.

Settings (chosen for 2 shared cores; say so with the results): lexical features only
(``--embedding-model none``, the default TF-IDF ranker), batches of ``--batch`` records.

    nice -n 10 python benchmarks/workflow_sim.py --corpus tuning --seeds 1,2,3
    nice -n 10 python benchmarks/workflow_sim.py --corpus datasets --seeds 1,2,3
    nice -n 10 python benchmarks/workflow_sim.py --corpus datasets --seeds 1 --until-advice
    nice -n 10 python benchmarks/workflow_sim.py --corpus tuning --seeds 1 --until-advice

(batches of 25, or 50 in sets of more than 2,000 records).
    python benchmarks/workflow_sim.py --summarise          # rewrite the summary from the CSVs

``--undo N`` replays a reviewer who takes back N random decisions once ``--undo-at`` of the
records are screened (``Project.undo``), then goes on with ``next`` (results in
``results/workflow_sim_undo<N>``; a run ends only after the undo). ``--target`` is the target
the status is asked for, as ``screener status --target`` would be:

    nice -n 10 python benchmarks/workflow_sim.py --corpus tuning --sets clef2017_cd009135 \\
        --seeds $(seq -s, 1 30) --target 0.9 --undo 30
    nice -n 10 python benchmarks/workflow_sim.py --corpus tuning --sets clef2017_cd009135 \\
        --seeds $(seq -s, 1 30) --target 0.9 --results benchmarks/results/workflow_sim_undo0
"""

from __future__ import annotations

import argparse
import os
import platform
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
RESULTS = REPO / "benchmarks" / "results" / "workflow_sim"
GUARANTEED = ("qbcb", "hypergeometric")  # methods whose stop claims P(recall < target) <= 1 - confidence
TEXT_COLUMNS = ("title", "abstract", "authors", "year", "journal", "doi", "keywords")


def load_set(corpus: str, name: str) -> pd.DataFrame:
    from screener.simulate import check_dataset

    idx = pd.read_csv(SHARED / corpus / "index.csv").set_index("dataset")
    df = pd.read_csv(SHARED / corpus / idx.at[name, "file"], dtype={"record_id": str}, keep_default_na=False,
                     na_values=[""])
    return check_dataset(df, name).reset_index(drop=True)


LOW_PREVALENCE = 0.01  # as benchmarks/stopping_variants.py's low-prevalence versions
LOW_MIN_INCLUDES = 3
LOW_SUFFIX = "@low"


def low_prevalence_version(df: pd.DataFrame, name: str, seed: int, prevalence: float = LOW_PREVALENCE,
                           min_includes: int = LOW_MIN_INCLUDES) -> pd.DataFrame | None:
    """The set with includes dropped at random (seeded by set and seed) until about ``prevalence``
    of the records are includes, or None when the set is not above twice that already.

    Unlike ``stopping_variants.low_prevalence_versions``, which drops includes from a finished
    ranked order (and so keeps the ranking the full set's labels made), this screens the smaller
    set from scratch: the ranker learns from as few includes as a review at this prevalence has,
    which is what the model-based estimate faces in such a review (issue 12's false stops came at
    0.8%)."""
    y = df["label_included"].to_numpy().astype(bool)
    n, r = len(y), int(y.sum())
    if r / max(n, 1) < 2 * prevalence:
        return None
    keep_r = max(min_includes, int(round(prevalence * (n - r) / (1 - prevalence))))
    if keep_r >= r:
        return None
    rng = np.random.default_rng([int(seed), sum(map(ord, name)), 11])
    drop = rng.choice(np.flatnonzero(y), size=r - keep_r, replace=False)
    return df.drop(index=df.index[drop]).reset_index(drop=True)


def make_project(df: pd.DataFrame, where: Path, seed: int):
    """A project holding the set's records (no labels), and the label of each project record."""
    from screener.io.common import make_record
    from screener.project import Project

    cols = [c for c in TEXT_COLUMNS if c in df.columns]
    csv = where / "records.csv"
    df[cols].assign(record_id=np.arange(len(df))).to_csv(csv, index=False)  # the row, read back as source_ref
    project = Project.init(where / "review", settings={"seed": seed, "embedding_model": "none"})
    project.import_files([csv], dedup=False)
    recs = project.records_frame()
    rows = recs["source_ref"].astype(int).to_numpy()
    kept = df.iloc[rows]
    skipped = df.drop(index=kept.index)
    # the importer skips rows with every cell blank (and says so); such rows here are excludes
    if len(skipped) and (skipped["label_included"].sum() or skipped[cols].notna().any(axis=None)):
        raise RuntimeError(f"{len(skipped)} records were not imported, not all blank excludes")

    def norm(titles):
        return titles.fillna("").astype(str).str.split().str.join(" ").to_numpy()

    # as the importer stores them: without inline markup ('<i>cultura</i>', '&amp;')
    as_imported = kept["title"].map(lambda t: make_record(title=t if isinstance(t, str) else None)["title"])
    if not (norm(recs["title"]) == norm(as_imported)).all():
        raise RuntimeError("imported records do not match their file rows; cannot give them their labels")
    labels = pd.Series(kept["label_included"].to_numpy(), index=recs.index)
    return project, labels


def simulate_run(corpus: str, name: str, seed: int, batch: int, target: float, log,
                 until_advice: bool = False, undo: int = 0, undo_at: float = 0.3,
                 low_prevalence: bool = False, sample: str = "advice") -> pd.DataFrame:
    """One review screened batch by batch; one row per status reading. It ends at the target
    recall, or with ``until_advice`` once the advice also says stop. With ``low_prevalence`` the
    set's low-prevalence version is screened (named ``name@low``; a different one per seed).
    ``sample``: "advice" mixes in the random sample ``screener next`` mixes in by default,
    "none" none (``screener next --sample 0``), "few" the advice's only while the target allows
    no include to be missed (fewer than 19 found at 95%): the candidate of d8ef8da, since the
    sample's draws can find an include the ranking buries, which matters most while one such
    include would break the target, and cost ranked screening otherwise. It was adopted at
    382ec74, so since then "advice" and "few" are the same; "all" is the advice's sample all
    along, ``screener next``'s default before 382ec74 (the baseline of the readings made
    before it with "advice")."""
    from screener.screening import ScreeningSession
    from screener.status import advised_sample, recall_status
    from screener.stopping.base import allowed_missed
    from screener.store import Decision

    df = load_set(corpus, name)
    if low_prevalence:
        df = low_prevalence_version(df, name, seed)
        name = name + LOW_SUFFIX
    rows = []
    with tempfile.TemporaryDirectory(prefix="wfsim-") as tmp:
        project, labels = make_project(df, Path(tmp), seed)
        try:
            total = int(labels.sum())
            session = ScreeningSession(project, embedding_model="none")
            st = recall_status(project, target_recall=target)
            t0 = time.time()
            step = 0
            undone = 0 if undo else None  # records whose decision was undone (None: no undo asked)
            rng = np.random.default_rng(1000 + seed)
            while True:
                if sample == "all":  # advised_sample before 382ec74: whatever the includes found
                    need = st["advice"].sample_records
                    n_sample = 0 if not need or st["includes_found"] == 0 or need >= st["n_remaining"] \
                        else int(min(batch // 5, int(need)))
                else:
                    n_sample = advised_sample(project, batch, st) if sample == "advice" or (
                        sample == "few" and allowed_missed(st["includes_found"], target) == 0) else 0
                b = session.next_batch(batch, explain=False, sample=n_sample)
                if b.empty:
                    break
                decisions = [Decision(record_id=int(r), decision="include" if labels[int(r)] else "exclude",
                                      origin="simulation") for r in b["record_id"]]
                project.decide_many(decisions)
                st = recall_status(project, target_recall=target)
                step += 1
                if undone == 0 and st["n_screened"] >= undo_at * st["n_total"]:
                    # a reviewer takes back decisions mid-review (screener undo): random ones, then
                    # goes on with 'next', which brings them back as the queue sees fit
                    cur = project.current_decisions()
                    ids = rng.choice(cur.index.to_numpy(), size=min(undo, len(cur)), replace=False)
                    for i in ids:
                        project.undo(int(i))
                    undone = len(ids)
                    st = recall_status(project, target_recall=target)
                screened = project.current_decisions().index
                found = int(labels.reindex(screened).fillna(0).sum())
                recall = found / total
                row = {"corpus": corpus, "dataset": name, "seed": seed, "batch": step, "batch_size": batch,
                       "n_total": st["n_total"], "n_screened": st["n_screened"], "includes_total": total,
                       "includes_found": found, "recall": recall, "sampled_in_batch": int(b["sampled"].sum()),
                       "sampled_total": int(st["history"].sampled.sum()),
                       "advice_stop": bool(st["advice"].stop), "recommended": st["advice"].recommended,
                       "undone": undone or 0}
                for m, e in st["estimates"].items():
                    row[f"{m}_stop"] = bool(e.stop)
                    row[f"{m}_high"] = float(e.remaining_high)
                rows.append(row)
                if st["n_remaining"] == 0 or (recall >= target and (not until_advice or st["advice"].stop)
                                              and undone != 0):
                    break
            log(f"{corpus}/{name} seed {seed}: {step} batches, {st['n_screened']}/{st['n_total']} screened, "
                f"recall {recall:.3f}, {int(st['history'].sampled.sum())} sampled, {time.time() - t0:.0f}s")
        finally:
            project.close()
    return pd.DataFrame(rows)


# --- summary -----------------------------------------------------------------------------------

def verdicts(readings: pd.DataFrame, target: float) -> pd.DataFrame:
    """Per method (and the advice): runs, runs whose first stop came below target, stop readings."""
    methods = [c[:-5] for c in readings.columns if c.endswith("_stop") and c != "advice_stop"] + ["advice"]
    out = []
    runs = readings.groupby(["corpus", "dataset", "seed"], sort=False)
    for m in methods:
        col = f"{m}_stop"
        n_runs = n_stopped = false_first = stop_rows = stop_rows_below = 0
        at, rec = [], []
        for _, g in runs:
            n_runs += 1
            s = g[g[col]]
            stop_rows += len(s)
            stop_rows_below += int((s["recall"] < target).sum())
            if len(s):
                n_stopped += 1
                at.append(s["n_screened"].iloc[0] / s["n_total"].iloc[0])
                rec.append(s["recall"].iloc[0])
                false_first += int(s["recall"].iloc[0] < target)
        out.append({"method": m, "guarantee": m in GUARANTEED, "runs": n_runs, "runs_stopped": n_stopped,
                    "runs_false_stop": false_first, "share_runs_false_stop": false_first / max(n_runs, 1),
                    "stop_readings": stop_rows, "stop_readings_below_target": stop_rows_below,
                    "mean_screened_at_first_stop": float(np.mean(at)) if at else float("nan"),
                    "mean_recall_at_first_stop": float(np.mean(rec)) if rec else float("nan")})
    return pd.DataFrame(out)


def up_to_target(readings: pd.DataFrame, target: float) -> pd.DataFrame:
    """Each run's readings up to the first that reaches the target recall (all of them if none
    does): what a run without ``--until-advice`` records, the same code and seed."""
    keep = []
    for _, g in readings.groupby(["corpus", "dataset", "seed"], sort=False):
        hit = np.flatnonzero(g["recall"].to_numpy() >= target)
        keep.append(g.iloc[: hit[0] + 1] if hit.size else g)
    return pd.concat(keep, ignore_index=True)


def _pct(x: float, target: float | None = None) -> str:
    """A share to a tenth that never reads as the target, or 100%, where it falls short of it."""
    from screener.stopping.base import recall_pct

    return recall_pct(x, target, "-", places=1)


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except Exception:  # noqa: BLE001 - a missing git is no reason to lose the results
        return "unknown"


def _table(v: pd.DataFrame, target: float) -> list[str]:
    lines = ["| method | claims a guarantee | runs with a stop | runs whose first stop was below target | "
             "share of runs | stop readings | of them below target | screened at first stop (mean) | "
             "recall at first stop (mean) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in v.itertuples():
        lines.append(f"| {r.method} | {'yes' if r.guarantee else 'no'} | {r.runs_stopped} of {r.runs} | "
                     f"{r.runs_false_stop} | {100 * r.share_runs_false_stop:.1f}% | {r.stop_readings} | "
                     f"{r.stop_readings_below_target} | {_pct(r.mean_screened_at_first_stop)} | "
                     f"{_pct(r.mean_recall_at_first_stop, target)} |")
    return lines + [""]


def _sections(readings: pd.DataFrame, target: float) -> list[str]:
    lines = []
    for corpus, sub in [("all", readings), *readings.groupby("corpus")]:
        n_sets = sub.groupby(["corpus", "dataset"]).ngroups
        n_runs = sub.groupby(["corpus", "dataset", "seed"]).ngroups
        lines += [f"### {corpus} ({n_sets} sets, {n_runs} runs)", ""] + _table(verdicts(sub, target), target)
        ends = up_to_target(sub, target).groupby(["corpus", "dataset", "seed"], sort=False).last()
        reached = (ends["n_screened"] / ends["n_total"])[ends["recall"] >= target].tolist()
        if reached:
            lines += [f"The target recall itself was reached after {_pct(float(np.mean(reached)))} of the records "
                      f"on average (median {_pct(float(np.median(reached)))}, 90th percentile "
                      f"{_pct(float(np.percentile(reached, 90)))}; {len(reached)} runs): where an oracle would stop.",
                      ""]
    return lines


def write_summary(results: Path, target: float) -> Path:
    base = sorted(p for p in results.glob("readings_*.csv") if not p.stem.endswith("_extended"))
    ext = sorted(results.glob("readings_*_extended.csv"))
    if not base and not ext:
        raise SystemExit(f"no readings_*.csv in {results}: run a corpus first")
    if base:
        readings = pd.concat([pd.read_csv(p) for p in base], ignore_index=True)
    else:  # only --until-advice runs: their readings up to the target are the runs up to the target
        readings = up_to_target(pd.concat([pd.read_csv(p) for p in ext], ignore_index=True), target)
    lines = ["# Workflow simulation: stop verdicts below the target recall", "",
             "Made by `benchmarks/workflow_sim.py` (see its docstring for the procedure and the commands); "
             "`python benchmarks/workflow_sim.py --summarise` rewrites this file from the stored readings.", ""]
    meta = results / "settings.txt"
    if meta.exists():
        lines += ["Runs:", "", "```", meta.read_text().strip(), "```", ""]
    lines += [f"Target recall {target:.0%}, confidence 95%. 'First stop below target' is what a reviewer who stops "
              "at the first 'you can stop' would get; 'advice' is the verdict `screener status` prints (the "
              "recommended method's, or QBCB's certificate). Methods claiming a guarantee: "
              f"{', '.join(GUARANTEED)}.", "",
              "## Up to the target", "",
              "Each run ends once the true recall has reached the target (or nothing is left): every verdict that "
              "could be false is seen, and a method that has not said stop by then counts as not stopping.", ""]
    lines += _sections(readings, target)
    lines += [f"Recommended method in the readings: {readings['recommended'].value_counts().to_dict()}.", ""]
    if ext:
        extended = pd.concat([pd.read_csv(p) for p in ext], ignore_index=True)
        lines += ["## On until the advice says stop", "",
                  "The same workflow (`--until-advice`), going on past the target until `screener status` says "
                  "stop, or nothing is left: where each method's first stop comes.", ""]
        lines += _sections(extended, target)
    # the extended runs repeat their seed's run up to the target (same code, same seed), and no
    # verdict after the target can be false: the bars are counted on the runs up to the target
    v = verdicts(readings, target)
    g = v[v["guarantee"]]
    adv = v[v["method"] == "advice"].iloc[0]
    rec = v[v["method"] == readings["recommended"].mode().iloc[0]].iloc[0]
    ok1 = int(g["stop_readings_below_target"].sum()) == 0
    ok2 = adv["share_runs_false_stop"] <= 0.05 and rec["share_runs_false_stop"] <= 0.05
    lines += ["## Bars (issue 12), over the runs up to the target", "",
              f"- No certificate from a method that claims a guarantee below target in any run: "
              f"{'met' if ok1 else 'NOT met'} ({int(g['stop_readings_below_target'].sum())} such readings in "
              f"{int(g['runs'].iloc[0])} runs).",
              f"- The recommended method ({rec['method']}) and the advice below target in at most 5% of runs: "
              f"{'met' if ok2 else 'NOT met'} ({100 * rec['share_runs_false_stop']:.1f}% and "
              f"{100 * adv['share_runs_false_stop']:.1f}%).", "",
              "These bars are met trivially where no method says stop before the target; the 'runs with a stop' "
              "columns say how often each method stopped at all.", ""]
    out = results / "summary.md"
    out.write_text("\n".join(lines))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=("datasets", "tuning"), default="tuning")
    ap.add_argument("--sets", default=None, help="comma-separated set names (default: every set of the corpus)")
    ap.add_argument("--seeds", default="1", help="comma-separated seeds (the queue's random start and samples)")
    ap.add_argument("--batch", type=int, default=25, help="records per batch (default 25)")
    ap.add_argument("--large-batch", type=int, default=50, help="records per batch in large sets (default 50)")
    ap.add_argument("--large", type=int, default=2000, help="sets with more records than this are large")
    ap.add_argument("--target", type=float, default=0.95)
    ap.add_argument("--max-records", type=int, default=None, help="skip sets larger than this")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--until-advice", action="store_true",
                    help="go on past the target until the advice says stop (readings_<corpus>_extended.csv)")
    ap.add_argument("--summarise", action="store_true", help="only rewrite summary.md from the stored readings")
    ap.add_argument("--undo", type=int, default=0,
                    help="undo this many random decisions mid-review, then go on (results default to "
                         "results/workflow_sim_undo<N>)")
    ap.add_argument("--undo-at", type=float, default=0.3, help="share of the records screened when the undo comes")
    ap.add_argument("--low-prevalence", action="store_true",  # help is %-formatted by argparse: '%%'
                    help=f"screen versions of the sets with includes dropped at random to {100 * LOW_PREVALENCE:.0f}%% "
                         "(sets already under twice that are skipped; named SET@low; results default to "
                         "results/workflow_sim_low)")
    ap.add_argument("--shard", default=None, metavar="K/N",
                    help="run only every N-th set starting at the K-th (sets smallest first), into "
                         "readings_<corpus>_shardK.csv: N calls at once use N cores")
    ap.add_argument("--sample", choices=("advice", "none", "few", "all"), default="advice",
                    help="the random sample mixed into each batch: screener next's default (advice; since "
                         "382ec74 the same as few), none (screener next --sample 0), the advice's only while "
                         "the target allows no include to be missed (few), or the advice's all along (all: "
                         "screener next's default before 382ec74)")
    ap.add_argument("--hard-min-found", type=float, default=None, metavar="F",
                    help="a candidate for the model-based estimate: its allowance for includes the ranking cannot "
                         "recognise sized on at least F includes found (ScoreSampleEstimator(hard_min_found=F))")
    args = ap.parse_args(argv)
    if args.hard_min_found is not None:
        import functools

        from screener.stopping import advice

        advice.ScoreSampleEstimator = functools.partial(advice.ScoreSampleEstimator,
                                                        hard_min_found=args.hard_min_found)
    if args.undo and args.results == RESULTS:
        args.results = RESULTS.parent / f"workflow_sim_undo{args.undo}"
    if args.low_prevalence and args.results == RESULTS:
        args.results = RESULTS.parent / "workflow_sim_low"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    results = args.results
    results.mkdir(parents=True, exist_ok=True)
    if args.summarise:
        print(write_summary(results, args.target))
        return 0

    def log(msg):
        print(time.strftime("%H:%M:%S"), msg, flush=True)

    idx = pd.read_csv(SHARED / args.corpus / "index.csv")
    names = list(idx["dataset"]) if args.sets is None else list(dict.fromkeys(args.sets.split(",")))
    sizes = {n: len(load_set(args.corpus, n)) for n in names}
    names = sorted(names, key=lambda n: sizes[n])
    if args.max_records:
        names = [n for n in names if sizes[n] <= args.max_records]
    seeds = list(dict.fromkeys(int(s) for s in args.seeds.split(",")))  # twice, two runs were read as one
    if args.low_prevalence:
        names = [n for n in names if low_prevalence_version(load_set(args.corpus, n), n, seeds[0]) is not None]
    commit = _git_commit()  # the code that runs, read before the runs (a commit made meanwhile is not it)
    shard = ""
    if args.shard:
        k, n_shards = (int(x) for x in args.shard.split("/"))
        if not 1 <= k <= n_shards:
            raise SystemExit(f"--shard K/N needs 1 <= K <= N, not {args.shard}")
        names = names[k - 1::n_shards]
        shard = f"_shard{k}"
    out = results / f"readings_{args.corpus}{shard}{'_extended' if args.until_advice else ''}.csv"
    done = pd.read_csv(out) if out.exists() else pd.DataFrame()
    have = set(zip(done.get("dataset", []), done.get("seed", [])))
    for name in names:
        for seed in seeds:
            if (name + (LOW_SUFFIX if args.low_prevalence else ""), seed) in have:
                continue
            # sized on the set as the index has it (a low-prevalence version, a little smaller, too)
            batch = args.large_batch if sizes[name] > args.large else args.batch
            part = simulate_run(args.corpus, name, seed, batch, args.target, log, until_advice=args.until_advice,
                                undo=args.undo, undo_at=args.undo_at, low_prevalence=args.low_prevalence,
                                sample=args.sample)
            done = pd.concat([done, part], ignore_index=True)
            done.to_csv(out, index=False)  # after every run: an interrupted call loses one run at most
    with open(results / "settings.txt", "a") as fh:
        fh.write(f"{args.corpus}{' --until-advice' if args.until_advice else ''}: sets={len(names)} "
                 f"seeds={args.seeds} batch={args.batch} "
                 f"(sets over {args.large} records: {args.large_batch}) target={args.target} "
                 f"embedding_model=none undo={args.undo} undo_at={args.undo_at} "
                 f"low_prevalence={args.low_prevalence} shard={args.shard} hard_min_found={args.hard_min_found} "
                 f"sample={args.sample} "
                 f"commit={commit} "
                 f"machine={platform.machine()} "
                 f"python={platform.python_version()}\n")
    print(write_summary(results, args.target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
