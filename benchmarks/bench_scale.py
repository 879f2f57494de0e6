"""A 500,000-record review end to end: import, first ranking, rerank after a decision, status.

It writes one synthetic RIS file of ``--records`` records (default 500,000) built from the
shared datasets' real titles and abstracts (``../shared/datasets`` and ``../shared/tuning``,
about 54,000 records). The real records run out after about a tenth, so every further record is
a *new* study made of two real ones: the first half of one title and the second half of
another, sentences of both abstracts interleaved, a random author list, year, journal, volume
and pages, and (for 70%) its own DOI. These differ from every other record in title, year,
place and DOI, so de-duplication must keep them apart. ``--dup-share`` (default 2%) of the
records are then written a second time as a *true duplicate* the way a second database would
export them: the same DOI (or none), the title in other case and punctuation, the same year,
authors and place. The planted duplicates are counted and compared with what the import found.

Then, each command in a fresh process exactly as a reviewer types it (``screener init``,
``import``, ``label``, ``next --embedding-model none``, ``status``), timed for wall time, CPU
time and the process's own peak resident memory (under ``/usr/bin/time``):

1. ``import`` of the file (read, store, de-duplicate), the bar: 15 min, 8 GB;
2. ``label`` of a starting set (a few includes and excludes from the sources' labels);
3. ``next`` once: the first call builds and stores the TF-IDF features (not a bar; once per
   project);
4. ``--rounds`` times: ``label`` the batch just written (the decisions from the sources'
   labels), then ``next`` again: the *rerank after a decision*, the bar: 5 s;
5. ``status``, the bar: 5 s.

Sentence embeddings are off (``--embedding-model none``): embedding 500,000 records takes hours
on 2 CPU cores (``screener embed DIR``, on a cluster or a GPU, is how they are made at this
size). Wall time on a shared machine stretches with other jobs: the load average is printed
before and after each step and CPU time is beside every wall time.

    nice python benchmarks/bench_scale.py                          # 500,000 records
    nice python benchmarks/bench_scale.py --records 20000 --work /tmp/s20k --keep
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))

JOURNALS = ["Journal of Clinical Studies", "Addiction Research", "BMC Public Health", "The Lancet Regional",
            "Computers and Education", "Empirical Software Engineering", "Psychological Medicine",
            "American Journal of Epidemiology", "PLoS One", "Cochrane Database of Systematic Reviews"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def source_frame(shared: Path) -> pd.DataFrame:
    """Every record of the shared datasets and tuning reviews: title, abstract, authors, label."""
    frames = []
    for f in sorted(list((shared / "datasets").glob("*.csv")) + list((shared / "tuning").glob("*.csv"))):
        if f.name == "index.csv":
            continue
        d = pd.read_csv(f, usecols=lambda c: c in ("title", "abstract", "authors", "label_included"))
        frames.append(d)
    df = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame({
        "title": df["title"].fillna("").astype(str).str.strip(),
        "abstract": df["abstract"].fillna("").astype(str).str.strip(),
        "authors": df.get("authors", pd.Series([""] * len(df))).fillna("").astype(str),
        "label": df["label_included"].fillna(0).astype(int),
    })
    return out[out["title"].str.split().str.len() >= 4].reset_index(drop=True)


def _authors(rng, pool: list[str]) -> list[str]:
    k = int(rng.integers(1, 6))
    return [f"{pool[a]}, {chr(65 + b)}." for a, b in zip(rng.integers(len(pool), size=k), rng.integers(26, size=k))]


def build_ris(path: Path, n: int, dup_share: float, shared: Path, seed: int = 0) -> dict:
    """Write the RIS file; returns counts and ``labels`` (title -> 0/1) for the decisions."""
    src = source_frame(shared)
    rng = np.random.default_rng(seed)
    n_dups = int(round(n * dup_share))
    n_unique = n - n_dups
    surnames = sorted({a.split(",")[0].split()[-1] for a in src["authors"].head(20000) if a.split()} | {"Smith"})
    titles, abstracts, labels = src["title"].tolist(), src["abstract"].tolist(), src["label"].to_numpy()
    split_titles = [t.split() for t in titles]
    split_abs = [_SENTENCE.split(a) if a else [] for a in abstracts]
    m = len(titles)
    order = rng.permutation(m)
    label_of: dict[str, int] = {}
    dup_of = set(rng.choice(n_unique, n_dups, replace=False).tolist())
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        def emit(rec: dict) -> None:
            nonlocal written
            lines = ["TY  - JOUR", f"TI  - {rec['title']}"]
            lines += [f"AU  - {a}" for a in rec["authors"]]
            lines += [f"PY  - {rec['year']}", f"JO  - {rec['journal']}", f"VL  - {rec['volume']}",
                      f"SP  - {rec['sp']}", f"EP  - {rec['sp'] + rec['pages']}"]
            if rec["abstract"]:
                lines.append(f"AB  - {rec['abstract']}")
            if rec["doi"]:
                lines.append(f"DO  - {rec['doi']}")
            lines.append(f"ID  - syn{written + 1}")
            lines.append("ER  - ")
            fh.write("\n".join(lines) + "\n\n")
            written += 1

        for r in range(n_unique):
            i = int(order[r % m])
            if r < m:  # the real record itself
                title, abstract, label = titles[i], abstracts[i], int(labels[i])
            else:  # a new study made of two real ones
                j = int(rng.integers(m))
                a, b = split_titles[i], split_titles[j]
                title = " ".join(a[: max(2, len(a) // 2)] + b[len(b) // 2:])
                sa, sb = split_abs[i], split_abs[j]
                mixed = [s for pair in zip(sa, sb) for s in pair] + sa[len(sb):] + sb[len(sa):]
                abstract, label = " ".join(mixed), int(labels[i])
            rec = {"title": title, "abstract": abstract, "authors": _authors(rng, surnames),
                   "year": int(rng.integers(1985, 2025)), "journal": JOURNALS[int(rng.integers(len(JOURNALS)))],
                   "volume": int(rng.integers(1, 400)), "sp": int(rng.integers(1, 3000)),
                   "pages": int(rng.integers(3, 20)),
                   "doi": f"10.99999/syn.{r}" if rng.random() < 0.7 else ""}
            label_of[title] = label
            emit(rec)
            if r in dup_of:  # a second database's export of the same study
                twin = dict(rec)
                twin["title"] = title.upper() if rng.random() < 0.5 else title.rstrip(".") + "."
                twin["doi"] = rec["doi"].upper() if rec["doi"] and rng.random() < 0.7 else ""
                label_of[twin["title"]] = label
                emit(twin)
    return {"written": written, "unique": n_unique, "planted_duplicates": n_dups, "labels": label_of,
            "mb": path.stat().st_size / 1e6}


def run_header(argv) -> list[str]:
    """The results file's first lines: the command, date, machine and commit."""
    return [f"Command: `python benchmarks/bench_scale.py {' '.join(argv if argv is not None else sys.argv[1:])}`  ",
            f"Date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}; machine: {platform.platform()}, "
            f"{os.cpu_count()} CPUs, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
            f"Python {platform.python_version()}; commit "
            + subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()]


def run(args: list[str], log: Path, entry: str = "screener.cli") -> dict:
    """One screener command in a fresh process: wall s, CPU s, peak RSS MiB of that process.

    It runs under ``/usr/bin/time``: Linux carries a process's peak-memory mark over fork and
    exec, so a child forked straight from this (large) process would report at least this
    process's size; ``time`` is small, and what it forks starts small."""
    stats = log.with_name("time.txt")
    cmd = ["/usr/bin/time", "-o", str(stats), "-f", "%e %U %S %M", sys.executable, "-c",
           f"import sys; sys.argv[0] = 'screener'; from {entry} import main; main()", *args]
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    load = os.getloadavg()[0]
    with open(log, "ab") as out:
        out.write(f"\n$ screener {' '.join(args)}\n".encode())
        out.flush()
        code = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    if code != 0:
        raise SystemExit(f"screener {' '.join(args)} failed (exit {code}); see {log}")
    wall, user, system, kib = stats.read_text().split()[-4:]
    return {"step": " ".join(args[:1]), "wall": float(wall), "cpu": float(user) + float(system),
            "rss_mib": int(kib) / 1024, "load_before": load, "load_after": os.getloadavg()[0]}


#: A reviewer in the web app or the terminal screen: one session kept open, each decision saved
#: as it is made; after a batch of decisions, the time until the next batch is ranked and shown.
SESSION_SCRIPT = r"""
import json, sys, time
from screener.project import Project
from screener.screening import ScreeningSession
labels = json.load(open(sys.argv[2]))["labels"]
rounds = int(sys.argv[3])
with Project.open(sys.argv[1]) as project:
    t = time.perf_counter()
    session = ScreeningSession(project, embedding_model="none")
    session.prepare()
    batch = session.next_batch(50)
    print(json.dumps({"step": "open", "wall": time.perf_counter() - t}), flush=True)
    for r in range(rounds):
        for rid, title in zip(batch["record_id"], batch["title"]):
            session.decide(int(rid), "include" if labels.get(title, 0) else "exclude", origin="web")
        t = time.perf_counter()
        batch = session.next_batch(50)
        print(json.dumps({"step": "rerank", "wall": time.perf_counter() - t,
                          "refitted": bool(session.last_rank_info["refitted"])}), flush=True)
"""


def run_session(project: Path, meta: Path, rounds: int, log: Path) -> list[dict]:
    """The session rounds in one fresh process: (step, wall, refitted) per round."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", SESSION_SCRIPT, str(project), str(meta), str(rounds)], env=env,
                         capture_output=True, text=True)
    with open(log, "a") as fh:
        fh.write(f"\n$ (a screening session, {rounds} rounds of 50 decisions)\n{out.stdout}{out.stderr}")
    if out.returncode != 0:
        raise SystemExit(f"the screening session failed (exit {out.returncode}); see {log}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def run_open(project: Path, work: Path, labels: dict[str, int], rounds: int, log: Path) -> tuple[list[dict], dict]:
    """The review kept open (``screener open``), then ``rounds`` of ``label`` and ``next`` and a
    ``status``, each typed as a fresh command (the ``screener`` entry point, which hands them to
    the open review); then ``close``. The rows, and what the open review said of itself."""
    sys.path.insert(0, str(REPO))
    from screener import keep_open

    entry = "screener.keep_open"
    rows = [run(["open", str(project), "--embedding-model", "none"], log, entry=entry)]
    rows[-1]["step"] = "open (reads the features once)"
    batch = work / "open_batch0.csv"
    rows.append(run(["next", str(project), "--n", "50", "--embedding-model", "none", "-o", str(batch)], log,
                    entry=entry))
    rows[-1]["step"] = "next, review open (first)"
    for r in range(1, rounds + 1):
        filled = work / f"open_filled{r}.csv"
        label_file(batch, filled, labels)
        rows.append(run(["label", str(project), str(filled)], log, entry=entry))
        rows[-1]["step"] = f"label, review open (round {r})"
        batch = work / f"open_batch{r}.csv"
        rows.append(run(["next", str(project), "--n", "50", "--embedding-model", "none", "-o", str(batch)], log,
                        entry=entry))
        rows[-1]["step"] = f"next after a decision, review open (round {r})"
        print(f"open round {r}: {rows[-2]['wall']:.1f} s label, {rows[-1]['wall']:.1f} s next", flush=True)
    rows.append(run(["status", str(project)], log, entry=entry))
    rows[-1]["step"] = "status, review open"
    info = keep_open.ping(project) or {}
    answered = Path(keep_open.log_path(project)).read_text()
    with open(log, "a") as fh:
        fh.write(f"\n(the open review's own log)\n{answered}\n")
    run(["close", str(project)], log, entry=entry)
    if answered.count("-> exit 0") < 2 * rounds + 2:
        raise SystemExit(f"the open review answered fewer commands than were sent; see {log}")
    return rows, info


def label_file(batch: Path, out: Path, labels: dict[str, int]) -> tuple[int, int]:
    """Fill in a written batch from the sources' labels, as a reviewer would; (includes, rows)."""
    b = pd.read_csv(batch, dtype=str, keep_default_na=False)
    b["decision"] = ["include" if labels.get(t, 0) else "exclude" for t in b["title"]]
    b.to_csv(out, index=False)
    return int((b["decision"] == "include").sum()), len(b)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=500_000)
    ap.add_argument("--dup-share", type=float, default=0.02, help="share of records written twice (true duplicates)")
    ap.add_argument("--rounds", type=int, default=3, help="label-then-next rounds after the first call")
    ap.add_argument("--start-labels", type=int, default=40, help="decisions before the first call (1 in 4 includes)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the file and project (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the file and project")
    ap.add_argument("--out", type=Path, default=None, help="results markdown (default: results/scale_<records>.md)")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--build-only", action="store_true", help="write the RIS file into --work and stop (a later run "
                    "with the same --work, --records and --dup-share reuses it)")
    ap.add_argument("--open-only", action="store_true", help="reuse the project an earlier run left in --work "
                    "(with --keep) and time only the review kept open: results/scale_<records>k_open.md")
    args = ap.parse_args(argv)
    if args.open_only:
        return open_only(args, argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    work.mkdir(parents=True, exist_ok=True)
    ris, project, log = work / "search.ris", work / "project", work / "commands.log"
    for p in (project, log, work / "time.txt"):
        if p.exists():
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    out_md = args.out or REPO / "benchmarks" / "results" / f"scale_{args.records // 1000}k.md"
    head = run_header(argv)
    print("\n".join(head), flush=True)
    try:
        t = time.perf_counter()
        meta = work / "search.json"
        want = {"records": args.records, "dup_share": args.dup_share}
        if ris.exists() and meta.exists() and json.loads(meta.read_text())["args"] == want:
            built = json.loads(meta.read_text())  # the same file from an earlier run: not timed anyway
            print("reusing the file", ris)
        else:
            built = build_ris(ris, args.records, args.dup_share, args.shared)
            meta.write_text(json.dumps({**built, "args": want}))
        labels = built.pop("labels")
        built.pop("args", None)
        print(f"wrote {built['written']:,} records ({built['planted_duplicates']:,} planted duplicates), "
              f"{built['mb']:.0f} MB, in {time.perf_counter() - t:.0f} s", flush=True)
        if args.build_only:
            return 0
        rows = [run(["init", str(project)], log)]
        rows.append(run(["import", str(project), str(ris)], log))
        print(f"import: {rows[-1]}", flush=True)
        sys.path.insert(0, str(REPO))
        from screener.project import Project

        with Project.open(project) as proj:
            groups = proj.store.duplicate_groups_frame()
            n_primary = int(groups["is_primary"].sum()) if len(groups) else 0
            n_stored = len(proj.store.records_index_frame())
            frame = proj.records_frame(primary_only=True, texts=False)
        found = n_stored - n_primary
        # a starting set: a few includes and excludes, by title, from the sources' labels
        rng = np.random.default_rng(1)
        inc = [t for t, v in labels.items() if v][:2000]
        exc = [t for t, v in labels.items() if not v][:20000]
        k = args.start_labels // 4
        start = pd.DataFrame({"title": list(rng.choice(inc, k, replace=False))
                              + list(rng.choice(exc, args.start_labels - k, replace=False))})
        start["decision"] = ["include"] * k + ["exclude"] * (args.start_labels - k)
        start.to_csv(work / "start.csv", index=False)
        rows.append(run(["label", str(project), str(work / "start.csv"), "--skip-unmatched"], log))
        batch = work / "batch0.csv"
        rows.append(run(["next", str(project), "--n", "50", "--embedding-model", "none", "-o", str(batch)], log))
        rows[-1]["step"] = "next (first call: builds the features)"
        print(f"first next: {rows[-1]}", flush=True)
        for r in range(1, args.rounds + 1):
            filled = work / f"filled{r}.csv"
            label_file(batch, filled, labels)
            rows.append(run(["label", str(project), str(filled)], log))
            batch = work / f"batch{r}.csv"
            rows.append(run(["next", str(project), "--n", "50", "--embedding-model", "none", "-o", str(batch)], log))
            rows[-1]["step"] = f"next after a decision (round {r})"
            print(f"round {r}: {rows[-2]['wall']:.1f} s label, {rows[-1]['wall']:.1f} s next", flush=True)
        rows.append(run(["status", str(project)], log))
        print(f"status: {rows[-1]}", flush=True)
        session = run_session(project, meta, args.rounds, log)
        print(f"session: {session}", flush=True)
        open_rows, open_info = run_open(project, work, labels, args.rounds, log)
        project_mb = sum(f.stat().st_size for f in project.iterdir() if f.is_file()) / 1e6
        files = {f.name: f.stat().st_size / 1e6 for f in sorted(project.iterdir()) if f.is_file()}
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    reranks = [r for r in rows if r["step"].startswith("next after")]
    warm = [r for r in session if r["step"] == "rerank"]
    imp = next(r for r in rows if r["step"] == "import")
    st = rows[-1]
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    lines = ["# Scale: a {:,}-record review end to end".format(args.records), "", *head, "",
             f"Synthetic RIS: {built['written']:,} records ({built['mb']:.0f} MB), of which "
             f"{built['planted_duplicates']:,} are planted true duplicates (a second export of a study); built from "
             "the shared datasets' and tuning reviews' titles and abstracts (see the script's docstring). "
             "Rankings with `--embedding-model none` (TF-IDF only): embedding this many records takes hours on "
             "2 CPU cores.", "",
             "| step | wall s | CPU s | peak RSS MiB | load avg before / after |",
             "|---|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['step']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss_mib']:.0f} | "
                     f"{r['load_before']:.1f} / {r['load_after']:.1f} |")
    lines += ["", f"De-duplication: {n_stored:,} records stored (every record of the file), {found:,} marked as "
              f"duplicates ({built['planted_duplicates']:,} planted); {len(frame):,} left to screen.",
              f"Project folder: {project_mb:.0f} MB ("
              + ", ".join(f"{k} {v:.0f} MB" for k, v in files.items()) + ").", "",
              "In a screening session (the web app's or the terminal screen's: one process kept open, each "
              "decision saved as it is made), after each batch of 50 decisions, the time until the next 50 are "
              "ranked and explained: " + ", ".join(f"{r['wall']:.1f} s" + (" (refitted)" if r["refitted"] else "")
                                                   for r in warm)
              + f"; opening the session (reading the features, first ranking) {session[0]['wall']:.1f} s.", "",
              "Bars: import at most 900 s wall and 8 GB peak: "
              f"{verdict(imp['wall'] <= 900 and imp['rss_mib'] * 2**20 <= 8e9)} ({imp['wall']:.0f} s, "
              f"{imp['rss_mib']:.0f} MiB = {imp['rss_mib'] * 2**20 / 1e9:.2f} GB); "
              f"rerank after a decision at most 5 s, in a screening session: {verdict(max(r['wall'] for r in warm) <= 5)} "
              f"(worst {max(r['wall'] for r in warm):.1f} s); as a fresh 'screener next' command, Python's start-up "
              f"and the reading of the project included: {verdict(max(r['wall'] for r in reranks) <= 5)} "
              f"(worst {max(r['wall'] for r in reranks):.1f} s wall, {max(r['cpu'] for r in reranks):.1f} s CPU); "
              f"status at most 5 s: {verdict(st['wall'] <= 5)} ({st['wall']:.1f} s wall, {st['cpu']:.1f} s CPU).",
              f"Load average on {os.cpu_count()} CPUs: above {os.cpu_count()} means other work shared the cores.",
              "", *open_lines(open_rows, open_info)]
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[len(head) + 2:]))
    return 0


def open_lines(rows: list[dict], info: dict) -> list[str]:
    """The review kept open: its table and its bars (a command's wall time is the whole command,
    typed as a reviewer types it, from Python's start-up to its exit)."""
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    nxt = [r for r in rows if r["step"].startswith("next after")]
    st = rows[-1]
    out = ["## The review kept open (`screener open`)", "",
           "Each command typed as a reviewer types it (the `screener` entry point, which hands `next`, `label` and "
           "`status` to the open review); wall time from the command's start to its exit. CPU and memory here "
           "are the small command's own: the work is done in the open review, whose memory is below.", "",
           "| step | wall s | CPU s | peak RSS MiB | load avg before / after |", "|---|---:|---:|---:|---|"]
    for r in rows:
        out.append(f"| {r['step']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss_mib']:.0f} | "
                   f"{r['load_before']:.1f} / {r['load_after']:.1f} |")
    if info:
        out += ["", f"The open review's process: {info.get('memory_mb', 0):,.0f} MB resident after the last "
                f"command, {info.get('peak_memory_mb', 0):,.0f} MB at its peak; it answered {info.get('requests')} "
                "commands."]
    out += ["", f"Bars, review open: rerank after a decision (`screener next` after `screener label`) at most 5 s: "
            f"{verdict(max(r['wall'] for r in nxt) <= 5)} (worst {max(r['wall'] for r in nxt):.1f} s); status at "
            f"most 5 s: {verdict(st['wall'] <= 5)} ({st['wall']:.1f} s)."]
    return out


def open_only(args, argv) -> int:
    """``--open-only``: the open-review steps on the project an earlier full run kept."""
    work = args.work
    if work is None or not (work / "project").is_dir() or not (work / "search.json").exists():
        raise SystemExit("--open-only needs --work naming the folder of an earlier run kept with --keep")
    log = work / "commands.log"
    labels = json.loads((work / "search.json").read_text())["labels"]
    head = [*run_header(argv),
            "", f"On the project an earlier full run of this script built in {work} ({args.records:,} records, "
            "imported and de-duplicated, its features built, the decisions of that run kept)."]
    print("\n".join(head), flush=True)
    rows, info = run_open(work / "project", work, labels, args.rounds, log)
    out_md = args.out or REPO / "benchmarks" / "results" / f"scale_{args.records // 1000}k_open.md"
    lines = [f"# Scale: a {args.records:,}-record review kept open", "", *head, "", *open_lines(rows, info)[2:]]
    out_md.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
