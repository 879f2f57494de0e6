"""De-duplication of a big search, stage by stage: time and peak memory of each stage at growing sizes, against an
earlier checkout's code in the same run.

    nice -n 10 .venv/bin/python benchmarks/bench_dedup_scale.py [--n 20000 50000 100000] [--title-only 0.5]
        [--baseline-repo PATH] [--out benchmarks/results/dedup_scale.md]

It builds ``--n`` synthetic records (the same for every run of one size and seed): titles of 6 to 21 words drawn from
a word list (common title words and made-up ones, Zipf-weighted), ``--title-only`` of the studies with nothing but
their title and, for most, an abstract (a search exported with titles and abstracts only), the others with first
author, year, journal, volume and pages and, for most, a DOI; 20% are second copies (half in other case), 3% are
other studies whose title differs from one's by a word put in place of another, added or left out. ``--supplements K``
adds K meetings' supplements of 100 to 2,000 abstracts each (Embase gives every abstract its supplement's volume and
first page, "Value Health 20(9) A1"), their first authors from a pool a third of their number (an author with several
abstracts), 20% exported twice (the second in lower case), 5% a second time without volume (met by year and page).

Each size runs ``find_duplicates_with_review`` (what ``screener dedup`` and ``screener import`` run) in a fresh
process, each stage's function wrapped to time it and to take its own peak resident memory (Linux
``/proc/self/clear_refs`` resets the peak before each stage). With ``--baseline-repo`` (a checkout of an earlier
commit, e.g. ``git worktree add /tmp/base main``), that code runs the same records right after, in its own process:
the table gives both, their ratio, and whether the groups and the pairs listed for review are the same.

Bars, as ratios to the baseline in the same run (wall time stretches with other work on a shared machine, memory does
not, nor does CPU time much): the listing of title-only records one word apart (``_list_title_only_alike``) adds at
most a third of the memory it added before 2026-12-07 (hashed keys), in at most 1.2 times its CPU time; groups and
pairs listed identical (the memory bar is against code before that, e.g. commit 0173bb67; a later baseline gives
ratios near 1). With ``--supplements``, the same-place stage's CPU time against the baseline's is given too (its
pairs at one place are compared with quick checks first since 2026-12-07; a place of more than 200 records, skipped
before, in blocks of one first author or uncommon title words since then too, so groups and pairs differ from a
baseline before that).
Wall and CPU time are both given, for each stage its CPU time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
STAGES = ("_Prepared", "_stage_identifier", "_stage_trial_id", "_stage_exact_title", "_stage_same_place",
          "_stage_fuzzy", "_stage_cut_title", "_list_headed_titles", "_list_title_only_alike", "_list_retractions",
          "_assignments")
LISTING = "_list_title_only_alike"
COMMON = ("of the in and a for with on to among after during versus by from at as between its their or effect "
          "effects randomized controlled trial study patients children adults women men risk outcomes association "
          "analysis review systematic meta cohort cross sectional evaluation treatment therapy care health disease "
          "clinical factors prevalence intervention community hospital primary mental quality life older "
          "adolescents pilot feasibility").split()
SYLLABLES = ("ba ce di fo gu ka le mi no pu ra se ti vo zu tra pre con dis ment tion al ic ous ive ry lo an er "
             "in").split()


def search(n: int, title_only: float, seed: int = 0, supplement_count: int = 0) -> pd.DataFrame:
    """n records as the module docstring says, indexed by record_id 1..n."""
    rng = np.random.default_rng(seed)
    made: set[str] = set()
    while len(made) < 8000:
        made.add("".join(rng.choice(SYLLABLES, size=rng.integers(2, 5))))
    vocab = np.concatenate([np.array(COMMON), np.array(sorted(made))])
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    n_copies, n_others = int(n * 0.2), int(n * 0.03)
    n_studies = n - n_copies - n_others
    lengths = rng.integers(6, 22, size=n_studies)
    words = np.split(rng.choice(vocab, size=int(lengths.sum()), p=weights), np.cumsum(lengths)[:-1])
    only = rng.random(n_studies) < title_only
    recs = []
    for k in range(n_studies):
        title = " ".join(words[k]).capitalize()
        r = {"title": title, "abstract": f"Background {title.lower()}, sample {k}." if rng.random() < 0.7 else None,
             "source_db": "db_a"}
        if not only[k]:
            sp = int(rng.integers(1, 3000))
            r.update(authors=[f"Author{int(rng.integers(20000))}, A."], year=int(rng.integers(1990, 2024)),
                     journal=f"Journal {int(rng.integers(2000))}", volume=str(int(rng.integers(1, 80))),
                     pages=f"{sp}-{sp + 9}", doi=f"10.1000/{k:08d}" if rng.random() < 0.7 else None)
        recs.append(r)
    for _ in range(n_copies):
        r = dict(recs[int(rng.integers(n_studies))], source_db="db_b")
        if rng.random() < 0.5:
            r["title"] = r["title"].lower() + "."
        recs.append(r)
    for _ in range(n_others):
        r = dict(recs[int(rng.integers(n_studies))], source_db="db_c", abstract=None)
        w = r["title"].split()
        p, roll = int(rng.integers(len(w))), rng.random()
        if roll < 0.4:
            w[p] = str(rng.choice(vocab, p=weights))
        elif roll < 0.7:
            w.insert(p, str(rng.choice(vocab, p=weights)))
        else:
            del w[p]
        r["title"] = " ".join(w)
        recs.append(r)
    recs += supplements(supplement_count, vocab, weights, rng)
    return pd.DataFrame(recs, index=pd.RangeIndex(1, len(recs) + 1, name="record_id"))


def supplements(count: int, vocab, weights, rng) -> list[dict]:
    """``count`` meetings' supplements as the module docstring says, each at its own volume and first page."""
    recs: list[dict] = []
    for s in range(count):
        size = int(np.exp(rng.uniform(np.log(100), np.log(2000))))
        names = sorted({"".join(rng.choice(SYLLABLES, size=3)).capitalize() for _ in range(max(size // 3, 2))})
        year, volume, page = int(rng.integers(2000, 2024)), str(100 + s), f"A{int(rng.integers(1, 40))}"
        for a in range(size):
            title = " ".join(rng.choice(vocab, size=int(rng.integers(6, 16)), p=weights)).capitalize()
            r = {"title": title, "abstract": None, "source_db": "embase", "authors": [f"{rng.choice(names)}, C."],
                 "year": year, "journal": f"Meeting Abstracts {s}", "volume": volume, "pages": page, "doi": None}
            recs.append(r)
            roll = rng.random()
            if roll < 0.2:
                recs.append(dict(r, title=title.lower(), source_db="wos"))
            elif roll < 0.25:
                recs.append(dict(r, volume=None, source_db="scopus"))
    return recs


def _peak_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_one(n: int, title_only: float, seed: int, supplement_count: int = 0) -> dict:
    """In the child process (the code of the checkout first on sys.path): de-duplicate and take each stage's figures."""
    from screener import dedup

    records = search(n, title_only, seed, supplement_count)
    stages: dict[str, dict] = {}

    def wrapped(name, func):
        def run(*args, **kwargs):
            Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
            before, start, cpu = _rss_mb(), time.perf_counter(), time.process_time()
            out = func(*args, **kwargs)
            s = stages.setdefault(name, {"s": 0.0, "cpu_s": 0.0, "peak_mb": 0.0, "added_mb": 0.0})
            s["s"] += time.perf_counter() - start
            s["cpu_s"] += time.process_time() - cpu
            s["peak_mb"] = max(s["peak_mb"], _peak_mb())
            s["added_mb"] = max(s["added_mb"], _peak_mb() - before)
            return out
        return run

    for name in STAGES:
        if hasattr(dedup, name):
            setattr(dedup, name, wrapped(name, getattr(dedup, name)))
    input_mb = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    groups, review = dedup.find_duplicates_with_review(records)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    digest = hashlib.sha256(groups.to_csv().encode() + review.to_csv().encode()).hexdigest()[:16]
    return {"n": n, "seconds": seconds, "cpu_s": cpu, "input_mb": input_mb,
            "peak_mb": max([_peak_mb()] + [s["peak_mb"] for s in stages.values()]),
            "title_only": int(records["authors"].isna().sum()),
            "supplement_records": int(records["journal"].str.startswith("Meeting Abstracts ", na=False).sum()),
            "joined": int((groups["record_id"] != groups["group_id"]).sum()), "listed": len(review),
            "one_word": int(review["reason"].str.startswith("titles one word apart").sum()),
            "digest": digest, "stages": stages}


def _child(code: Path, n: int, title_only: float, seed: int, supplement_count: int = 0) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--n", str(n), "--title-only", str(title_only),
           "--seed", str(seed), "--supplements", str(supplement_count)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    ap.add_argument("--title-only", type=float, default=0.5, help="share of the studies with nothing but a title")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--supplements", type=int, default=0,
                    help="meetings' supplements of 100 to 2,000 abstracts at one place each, added to the records")
    ap.add_argument("--baseline-repo", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.n[0], args.title_only, args.seed, args.supplements)))
        return 0
    codes = [("current", REPO)] + ([("baseline", args.baseline_repo.resolve())] if args.baseline_repo else [])
    lines = [f"# De-duplication of a big search, stage by stage ({args.title_only:.0%} of the studies title-only)", "",
             f"Machine: {platform.node()}, {os.cpu_count()} CPUs, python {platform.python_version()}, load average "
             f"{os.getloadavg()[0]:.1f} at the start; command: `benchmarks/bench_dedup_scale.py --n "
             f"{' '.join(map(str, args.n))} --title-only {args.title_only}"
             + (f" --supplements {args.supplements}" if args.supplements else "")
             + (" --baseline-repo BASE`" if args.baseline_repo else "`"), "",
             "| records | code | wall s | CPU s | peak MiB | slowest stage (CPU s) | listing one word apart: CPU s, "
             "MiB added | joined | listed (one word apart) |", "|---:|---|---:|---:|---:|---|---|---:|---|"]
    bars, places = [], []
    for n in args.n:
        got = {}
        for name, code in codes:
            r = got[name] = _child(code, n, args.title_only, args.seed, args.supplements)
            slow = max(r["stages"].items(), key=lambda kv: kv[1]["cpu_s"])
            listing = r["stages"].get(LISTING, {"cpu_s": 0.0, "added_mb": 0.0})
            lines.append(f"| {n:,} | {name} | {r['seconds']:.1f} | {r['cpu_s']:.1f} | {r['peak_mb']:.0f} | {slow[0]} "
                         f"({slow[1]['cpu_s']:.1f}) | {listing['cpu_s']:.1f} s, {listing['added_mb']:.0f} MiB | "
                         f"{r['joined']:,} | "
                         f"{r['listed']:,} ({r['one_word']:,}) |")
            print(lines[-1], flush=True)
        if "baseline" in got:
            none = {"cpu_s": 0.0, "added_mb": 0.0}
            cur, base = (got[k]["stages"].get(LISTING, none) for k in ("current", "baseline"))
            mem = cur["added_mb"] / max(base["added_mb"], 1.0)
            speed = cur["cpu_s"] / max(base["cpu_s"], 1e-9)
            same = got["current"]["digest"] == got["baseline"]["digest"]
            if args.supplements:
                place = [got[k]["stages"].get("_stage_same_place", none)["cpu_s"] for k in ("current", "baseline")]
                places.append(f"{n:,} records and {got['current']['supplement_records']:,} supplements' abstracts: "
                              f"same-place stage {place[0]:.1f} s CPU against {place[1]:.1f} s, "
                              f"{place[0] / max(place[1], 1e-9):.2f}x the baseline's, groups and pairs "
                              f"{'the same' if same else 'DIFFERENT'}.")
            bars.append(f"{n:,} records: listing memory {mem:.2f}x, CPU time {speed:.2f}x the baseline's, groups and "
                        f"pairs {'the same' if same else 'DIFFERENT'}: "
                        f"{'met' if mem <= 1 / 3 and speed <= 1.2 and same else 'NOT met'}.")
    if bars:
        lines += ["", "Bars (the listing adds at most a third of the baseline's memory, in at most 1.2 times its CPU "
                  "time; groups and listed pairs identical):", ""] + [f"- {b}" for b in bars]
    if places:
        lines += ["", "Meetings' supplements (abstracts at one volume and first page):", ""]
        lines += [f"- {b}" for b in places]
    text = "\n".join(lines)
    print("\n" + text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
