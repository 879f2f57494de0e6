"""Importing a few records into a big project: de-duplication compares the new records with the
project, not the project with itself (issue 12, item 8). Bar: 3 records into 100,000 in 5 s or less.

    nice -n 10 .venv/bin/python benchmarks/bench_import.py [--n 100000] [--baseline-repo PATH]
        [--out benchmarks/results/import_speed.md]

It builds a project of ``--n`` synthetic records (bench_dedup.synthetic: copies with typos,
companion papers, a recurring column; kept in benchmarks/cache/, git-ignored), copies it, and times
``screener import`` of a 3-record RIS file, wall clock, in this run:

- ``incremental``: the current import (new records and what they may duplicate), through
  ``Project.import_files`` in a fresh process, timed from opening the project;
- ``cli``: the ``screener import`` command as a reviewer runs it, from Python start-up to the
  PRISMA summary it prints;
- ``full re-run``: the same code de-duplicating the whole project after the import, which is what
  every import did before;
- ``baseline``: with ``--baseline-repo`` (a checkout of an earlier commit, e.g. ``git worktree add
  /tmp/base main``), that code's own import into its own project of the same records, run in a
  subprocess with that checkout first on ``sys.path``.

Each is timed ``--repeats`` times on a fresh copy; the median is reported with the ratio to the
current import. The groups of the incremental and the full re-run are compared, too.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

NEW = [
    ("Talc poudrage versus talc slurry for malignant pleural effusion: a randomised trial", "Bhatnagar, R.",
     2020, "323", "60-69"),
    ("Indwelling pleural catheter versus talc pleurodesis: the AMPLE-2 study", "Wahidi, M. M.", 2017, "195",
     "1050-1057"),
    ("Editor's comments: the year in review", "Weber, Ron", 2001, "25", None),
]

# run in a subprocess: time one import into a project, with the code on sys.path[0]
_TIMER = r"""
import sys, time, json
sys.path.insert(0, sys.argv[1])
from screener.project import Project
t0 = time.perf_counter()
with Project.open(sys.argv[2]) as p:
    if sys.argv[4] == "full":
        p.import_files([sys.argv[3]], dedup=False)
        p.deduplicate()
    else:
        p.import_files([sys.argv[3]])
    n = int(p.store.duplicate_groups_frame()["group_id"].nunique())
print(json.dumps({"seconds": time.perf_counter() - t0, "studies": n}))
"""

# the whole command a reviewer types, PRISMA summary included: python start, imports, import, summary
_CLI = r"""
import sys, time, json
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
sys.argv = ["screener", "import", sys.argv[2], sys.argv[3]]
from screener.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps({"seconds": time.perf_counter() - t0, "studies": None}))
"""

_BUILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
from screener.project import Project
p = Project.init(sys.argv[2])
p.import_files([sys.argv[3]])
p.close()
"""


def _write_inputs(folder: Path, n: int) -> tuple[Path, Path]:
    from bench_dedup import synthetic

    big = folder / f"synthetic_{n}.csv"
    if not big.exists():
        df, _ = synthetic(n, seed=1)
        df = df.copy()
        df["authors"] = df["authors"].map(lambda a: "; ".join(a))
        df.to_csv(big, index=False)
    small = folder / "three_new.ris"
    lines = []
    for title, author, year, volume, pages in NEW:
        lines += ["TY  - JOUR", f"TI  - {title}", f"AU  - {author}", f"PY  - {year}", f"VL  - {volume}"]
        if pages:
            lines.append(f"SP  - {pages}")
        lines.append("ER  - ")
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return big, small


def _build(code: Path, project: Path, big: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BUILD, str(code), str(project), str(big)], check=True)
    return time.perf_counter() - t0


def _time(code: Path, project: Path, small: Path, mode: str, repeats: int, tmp: Path) -> tuple[float, list, int]:
    times, studies = [], None
    for k in range(repeats):
        copy = tmp / f"{project.name}-{mode}-{k}"
        shutil.copytree(project, copy)
        script = _CLI if mode == "cli" else _TIMER
        out = subprocess.run([sys.executable, "-c", script, str(code), str(copy), str(small), mode],
                             check=True, capture_output=True, text=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        times.append(res["seconds"])
        studies = res["studies"]
        shutil.rmtree(copy)
    return statistics.median(times), times, studies


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline-repo", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=REPO / "benchmarks" / "cache" / "import_speed")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    big, small = _write_inputs(args.cache, args.n)
    lines = [f"# Importing 3 records into a {args.n:,}-record project",
             "", f"Machine: {platform.node()}, python {platform.python_version()}; command: "
             f"`benchmarks/bench_import.py --n {args.n} --repeats {args.repeats}"
             + (" --baseline-repo BASE`" if args.baseline_repo else "`"), ""]
    rows = []
    with tempfile.TemporaryDirectory(dir=args.cache) as tmp:
        tmp = Path(tmp)
        project = tmp / "current"
        built = _build(REPO, project, big)
        print(f"built the {args.n}-record project in {built:.0f} s", flush=True)
        inc, inc_all, n_inc = _time(REPO, project, small, "incremental", args.repeats, tmp)
        rows.append(("current import (incremental de-duplication)", inc, inc_all))
        cli, cli_all, _ = _time(REPO, project, small, "cli", args.repeats, tmp)
        rows.append(("`screener import` command, whole (Python start-up and PRISMA summary included)", cli, cli_all))
        full, full_all, n_full = _time(REPO, project, small, "full", args.repeats, tmp)
        rows.append(("current code, de-duplicating the whole project again (what every import did)", full, full_all))
        if args.baseline_repo:
            base_project = tmp / "baseline"
            _build(args.baseline_repo.resolve(), base_project, big)
            base, base_all, _ = _time(args.baseline_repo.resolve(), base_project, small, "incremental",
                                      args.repeats, tmp)
            rows.append((f"baseline code ({args.baseline_repo.name}) import", base, base_all))
    lines += ["| import of 3 records | median s | runs (s) | ratio to current |", "|---|---:|---|---:|"]
    for name, med, all_ in rows:
        lines.append(f"| {name} | {med:.2f} | {', '.join(f'{t:.2f}' for t in all_)} | {med / inc:.1f}x |")
    lines += ["", f"Studies after de-duplication: incremental {n_inc}, full re-run {n_full}"
              + (" (the same)." if n_inc == n_full else " (DIFFERENT)."),
              f"Bar: at most 5 s for the current import: {'met' if inc <= 5 else 'NOT met'} ({inc:.2f} s)."]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
