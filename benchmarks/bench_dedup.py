"""De-duplication benchmark: three real searches with gold duplicate groups scored pairwise side by
side with bib-dedupe, the MSM syndemic search exports against a hand-checked gold standard, and
a synthetic 20,000-record search.

    nice .venv/bin/python benchmarks/bench_dedup.py [--shared ../shared] [--n-synthetic 20000]
        [--bibdedupe-python /work/bibdedupe-venv/bin/python] [--out benchmarks/results/dedup_benchmark.md]

``../shared/dedup_benchmark`` holds the three searches (stroke, respiratory, digital_work; see its
README). Each is run by screener (``read_records`` of the CSV, then ``find_duplicates``) and by
bib-dedupe (prep, block, match, cluster; its "maybe" pairs count as not merged), each in its own
Python process started by this script, one after the other, so both times include starting
Python, importing the library and reading the file. bib-dedupe runs from its own virtualenv
(``python -m venv /work/bibdedupe-venv && /work/bibdedupe-venv/bin/pip install bib-dedupe==0.11.0``);
without it the searches are scored for screener alone, saying so. Score: pairwise precision,
recall and F1 over the pairs of records put in one group, against the pairs in the gold groups.
The thresholds in ``screener.dedup`` (``PLACE_TITLE_MIN``, ``PLACE_TITLE_MIN_SAME_RANGE``,
``REPRINT_MIN_PAGES``) were chosen on these three searches and the synthetic set; the
searches are therefore tuning data, and the figures are not a held-out estimate.

The gold standard (``benchmarks/dedup_msm_gold.csv``: file, 0-based index_in_file, gold_group,
title, year, note) was built without the algorithm's thresholds: candidate pairs were every
pair sharing a DOI or PMID, every pair with title token-set similarity above 60%, and every
pair with the same first author, year within one and the same journal. Each pair sharing a
DOI/PMID but with different titles, each identical-title pair without a shared identifier and
every cross-group candidate above 80% (plus those from 60% up by the same first author or with
Levenshtein ratio above 65%) was read (title, authors, year, journal, DOI) and judged. The unit is
the published report: one paper exported by several databases, or reprinted unchanged in a
journal, a yearbook and a book, is one group; an erratum, a commentary, a dissertation, a
conference abstract or a trial registration is not the same record as the article. The
``note`` column records the judgements that were not plain identifier/title matches.
"""

from __future__ import annotations

import argparse
import itertools
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screener.dedup import find_duplicates  # noqa: E402
from screener.records import FIELDS, empty_record, normalise_title  # noqa: E402

MSM_FILES = ("cochrane.ris", "medline.ris", "proquest.ris", "psycinfo.ris", "scopus.ris", "handsearch.ris")
GOLD = REPO / "benchmarks" / "dedup_msm_gold.csv"


# ----------------------------------------------------------------------------- reading the exports


def _first(r: dict, *keys):
    for k in keys:
        v = r.get(k)
        if isinstance(v, list):
            v = v[0] if v else None
        if v not in (None, ""):
            return str(v).strip()
    return None


def _rispy_records(path: Path, source_db: str) -> list[dict]:
    """Fallback reader (rispy's tag names mapped to screener's fields) for when screener.io is absent."""
    import re

    import rispy

    with open(path, encoding="utf-8-sig") as fh:
        entries = rispy.load(fh)
    out = []
    for i, r in enumerate(entries):
        rec = empty_record()
        rec["title"] = _first(r, "title", "primary_title")
        rec["abstract"] = _first(r, "abstract", "notes_abstract")
        rec["authors"] = [str(a) for a in (r.get("authors") or r.get("first_authors") or [])]
        year = _first(r, "year", "publication_year", "date")
        m = re.search(r"(1[89]|20)\d\d", year or "")
        rec["year"] = int(m.group(0)) if m else None
        rec["journal"] = _first(r, "secondary_title", "alternate_title3", "journal_name", "alternate_title2")
        rec["doi"] = _first(r, "doi")
        # Ovid MEDLINE puts the PMID in ID; Scopus in C2 (rispy: custom2).
        pmid = _first(r, "id") if source_db == "medline" else _first(r, "custom2")
        rec["pmid"] = pmid if pmid and pmid.isdigit() else None
        rec["keywords"] = [str(k) for k in r.get("keywords") or []]
        rec["type"] = _first(r, "type_of_reference")
        rec["source_db"] = source_db
        rec["source_file"] = path.name
        out.append(rec)
    return out


def read_msm(shared: Path, reader: str = "auto") -> tuple[pd.DataFrame, str]:
    """The six candidate files as one record table (record_id in file order), plus the reader used.

    ``reader``: "screener" (screener.io.read_records), "rispy", or "auto" (screener's reader when it
    reads all six files, else rispy, saying why)."""
    folder = shared / "fixtures" / "msm_syndemic_search"
    used = reader
    per_file = None
    if reader in ("auto", "screener"):
        try:
            from screener.io import read_records

            per_file = [read_records(folder / n, source_db=n[:-4]).records for n in MSM_FILES]
            used = "screener.io.read_records"
        except Exception as err:  # noqa: BLE001 - the benchmark reports and carries on
            if reader == "screener":
                raise
            used = f"rispy (screener.io.read_records failed: {str(err)[:160]})"
    if per_file is None:
        per_file = [_rispy_records(folder / n, n[:-4]) for n in MSM_FILES]
        used = used if used.startswith("rispy") else "rispy"
    rows = []
    for name, recs in zip(MSM_FILES, per_file):
        for i, rec in enumerate(recs):
            row = {f: rec.get(f) for f in FIELDS if f != "raw"}
            row["file"], row["index_in_file"] = name, i
            rows.append(row)
    df = pd.DataFrame(rows)
    df.index.name = "record_id"
    return df, used


# ----------------------------------------------------------------------------- scoring


def pairs_of(groups: pd.Series) -> set[tuple[int, int]]:
    out = set()
    for _, members in groups.groupby(groups).groups.items():
        ids = sorted(int(m) for m in members)
        out.update(itertools.combinations(ids, 2))
    return out


def score(pred_groups: pd.Series, gold_groups: pd.Series) -> dict:
    pred, gold = pairs_of(pred_groups), pairs_of(gold_groups)
    tp = len(pred & gold)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(gold) if gold else 1.0
    return {
        "pred_pairs": len(pred), "gold_pairs": len(gold), "tp": tp, "precision": precision, "recall": recall,
        "groups": int(pred_groups.nunique()), "gold_groups": int(gold_groups.nunique()),
        "fp": sorted(pred - gold), "fn": sorted(gold - pred),
    }


def msm_gold_series(df: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    counts = df.groupby("file").size()
    gold_counts = gold.groupby("file").size()
    for f in MSM_FILES:
        if int(counts.get(f, 0)) != int(gold_counts.get(f, 0)):
            raise SystemExit(
                f"{f}: the reader gave {counts.get(f, 0)} records but the gold standard has {gold_counts.get(f, 0)};"
                " the gold is keyed by position in the file, so they must agree."
            )
    # The gold is keyed by position; check the titles agree so a reader that reorders is caught.
    got = df.sort_values(["file", "index_in_file"])
    exp = gold.sort_values(["file", "index_in_file"])
    head = lambda t: normalise_title(str(t) if isinstance(t, str) else "")[:30]  # noqa: E731
    off = [(f, i) for f, i, x, y in zip(got["file"], got["index_in_file"], got["title"], exp["title"])
           if head(x) != head(y)]
    if off:
        raise SystemExit(f"{len(off)} records do not match the gold titles at their positions, e.g. {off[:3]}")
    key = gold.set_index(["file", "index_in_file"])["gold_group"]
    return pd.Series(
        [int(key[(f, int(i))]) for f, i in zip(df["file"], df["index_in_file"])], index=df.index, name="gold"
    )


def evaluate_msm(
    shared: Path, *, fuzzy_threshold=None, year_tolerance=None, reader: str = "auto", df: pd.DataFrame | None = None
) -> tuple[dict, pd.DataFrame, float]:
    if df is None:
        df, _ = read_msm(shared, reader)
    gold = msm_gold_series(df, pd.read_csv(GOLD))
    kw = {}
    if fuzzy_threshold is not None:
        kw["fuzzy_threshold"] = fuzzy_threshold
    if year_tolerance is not None:
        kw["year_tolerance"] = year_tolerance
    t0 = time.perf_counter()
    out = find_duplicates(df, **kw).set_index("record_id")
    secs = time.perf_counter() - t0
    return score(out["group_id"], gold), out, secs


# ----------------------------------------------------------------------------- shared searches

SEARCHES = ("stroke", "respiratory", "digital_work")


def read_search(folder: Path) -> tuple[pd.DataFrame, pd.Series, float]:
    """One search of ``dedup_benchmark`` read by screener's own CSV reader (records in file order,
    record_id from 1), its gold groups (by record_id) and the seconds the reading took."""
    from screener.io import read_records

    t0 = time.perf_counter()
    res = read_records(folder / "records_pre_merged.csv", source_db=folder.name)
    df = pd.DataFrame([{f: r.get(f) for f in FIELDS if f != "raw"} for r in res.records])
    df.index = pd.RangeIndex(1, len(df) + 1, name="record_id")
    secs = time.perf_counter() - t0
    by_id = {str(sid): rid for rid, sid in zip(df.index, df["source_id"])}
    gold = {rid: -rid for rid in df.index}  # records in no listed group have no duplicate
    for k, row in enumerate(pd.read_csv(folder / "merged_record_ids.csv")["merged_ids"]):
        for sid in str(row).split(";"):
            if sid.strip() not in by_id:
                raise SystemExit(f"{folder.name}: gold ID {sid.strip()} is not among the records")
            gold[by_id[sid.strip()]] = k
    return df, pd.Series(gold).reindex(df.index), secs


def groups_from_id_sets(df: pd.DataFrame, id_sets) -> pd.Series:
    """Group ids (by record_id) from lists of source IDs; records in no list are alone."""
    by_id = {str(sid): rid for rid, sid in zip(df.index, df["source_id"])}
    out = pd.Series(df.index, index=df.index)
    for members in id_sets:
        rids = sorted(by_id[str(m)] for m in members)
        out.loc[rids] = rids[0]
    return out


def run_bibdedupe(python: Path, folder: Path, tmp: Path) -> dict:
    """bib-dedupe on one search, in its own venv; {"groups", "seconds", "version", "maybe_pairs"}."""
    dest = tmp / f"{folder.name}.json"
    cmd = [str(python), str(REPO / "benchmarks" / "bibdedupe_runner.py"), str(folder / "records_pre_merged.csv"),
           str(dest), "1"]
    return _timed_run("bib-dedupe", cmd, folder, dest)


def _timed_run(system: str, cmd: list[str], folder: Path, dest: Path) -> dict:
    """Run one system's process on one search; its JSON result plus the wall time, start-up included."""
    import json
    import subprocess

    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{system} failed on {folder.name}:\n{proc.stderr[-2000:]}")
    out = json.loads(dest.read_text())
    out["wall_seconds"] = wall
    return out


_SCREENER_RUNNER = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from screener.io import read_records
from screener.dedup import find_duplicates
import pandas as pd
res = read_records(sys.argv[2], source_db=sys.argv[4])
df = pd.DataFrame(res.records).drop(columns=["raw"])
df.index = pd.RangeIndex(1, len(df) + 1, name="record_id")
groups = find_duplicates(df)
secs = time.perf_counter() - t0
sid = df["source_id"]
out = {}
for rid, gid in zip(groups["record_id"], groups["group_id"]):
    out.setdefault(int(gid), []).append(str(sid[rid]))
json.dump({"groups": [g for g in out.values() if len(g) > 1], "seconds": secs}, open(sys.argv[3], "w"))
"""


def run_screener(folder: Path, tmp: Path) -> dict:
    """screener on one search in a fresh Python process (import, read, de-duplicate)."""
    dest = tmp / f"{folder.name}.screener.json"
    cmd = [sys.executable, "-c", _SCREENER_RUNNER, str(REPO), str(folder / "records_pre_merged.csv"),
           str(dest), folder.name]
    return _timed_run("screener", cmd, folder, dest)


def f1(s: dict) -> float:
    p, r = s["precision"], s["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


# ----------------------------------------------------------------------------- synthetic set


def synthetic(
    n: int, *, dup_share: float = 0.3, sibling_share: float = 0.03, seed: int = 0
) -> tuple[pd.DataFrame, pd.Series]:
    """n records of which about ``dup_share`` are altered copies (case, punctuation, HTML, a typo,
    DOI dropped or reformatted, year one off, author initials) of earlier ones, ``sibling_share``
    are different studies whose title differs from another's by one word (half by the same first
    author, a year apart at most), and 1% generic "Editorial"/"Reply" items that must stay apart.
    Returns the records and the true groups."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = np.array(["".join(rng.choice(letters, size=rng.integers(3, 11))) for _ in range(6000)])
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    weights /= weights.sum()
    surnames = np.array(["".join(rng.choice(letters, size=rng.integers(4, 9))).capitalize() for _ in range(3000)])

    def study(k):
        words = rng.choice(vocab, size=rng.integers(6, 18), p=weights)
        title = " ".join(words).capitalize()
        sn = rng.choice(surnames)
        return {
            "title": title,
            "abstract": " ".join(rng.choice(vocab, size=60, p=weights)) if rng.random() < 0.9 else None,
            "authors": [f"{sn}, {rng.choice(surnames)}", f"{rng.choice(surnames)}, A."],
            "year": int(rng.integers(1995, 2024)),
            "journal": f"Journal of {rng.choice(vocab).capitalize()}",
            "volume": str(int(rng.integers(1, 80))), "issue": str(int(rng.integers(1, 13))),
            "pages": f"{(sp := int(rng.integers(1, 3000)))}-{sp + int(rng.integers(3, 20))}",
            "doi": f"10.{rng.integers(1000, 9999)}/{k:07d}" if rng.random() < 0.8 else None,
            "pmid": str(10_000_000 + k) if rng.random() < 0.5 else None,
            "source_db": "db_a",
        }

    def alter(rec):
        r = dict(rec)
        r["source_db"] = str(rng.choice(["db_b", "db_c", "db_d"]))
        t = r["title"]
        roll = rng.random()
        if roll < 0.3:
            t = t.upper() if rng.random() < 0.2 else t.lower()
        elif roll < 0.5:
            t = t.replace(" ", ": ", 1) + "."
        elif roll < 0.65:
            w = t.split()
            j = int(rng.integers(0, len(w)))
            w[j] = f"<i>{w[j]}</i>"
            t = " ".join(w)
        elif roll < 0.85:  # one typo
            j = int(rng.integers(1, len(t) - 1))
            t = t[:j] + str(rng.choice(letters)) + t[j + 1:]
        r["title"] = t
        if r["doi"] and rng.random() < 0.4:
            r["doi"] = None
        elif r["doi"] and rng.random() < 0.5:
            r["doi"] = "https://doi.org/" + r["doi"].upper()
        if rng.random() < 0.5:
            r["pmid"] = None
        if rng.random() < 0.05:
            r["year"] = r["year"] + 1
        if rng.random() < 0.5:
            sn, given = r["authors"][0].split(", ")
            r["authors"] = [f"{sn}, {given[0]}."] + r["authors"][1:]
        if rng.random() < 0.3:
            r["abstract"] = None
        if rng.random() < 0.3:  # online first, or a database without bibliographic details
            r["volume"] = r["issue"] = r["pages"] = None
        elif rng.random() < 0.2:  # "pp. 123-9" style
            a, b = r["pages"].split("-")
            r["pages"] = f"pp. {a}-{b[-1]}"
        return r

    recs, truth = [], []
    n_generic = max(1, n // 100)
    n_dups = int(n * dup_share)
    n_siblings = int(n * sibling_share)
    n_base = n - n_dups - n_generic - n_siblings - max(1, n // 200) - (max(1, n // 200) + 1) // 2
    for k in range(n_base):
        recs.append(study(k))
        truth.append(k)
    for k in range(n_dups):
        src = int(rng.integers(0, n_base))
        recs.append(alter(recs[src]))
        truth.append(truth[src])
    for k in range(n_siblings):  # a different study whose title differs by one word ("men"/"women")
        src = int(rng.integers(0, n_base))
        r = study(n + k)
        w = recs[src]["title"].split()
        j = int(rng.integers(0, len(w)))
        new = w[j]
        while new.lower() == w[j].lower():  # a different word, or it would be the same title
            new = str(rng.choice(vocab, p=weights))
        w[j] = new
        r["title"] = " ".join(w)
        if rng.random() < 0.5:
            r["authors"] = list(recs[src]["authors"])
            r["year"] = recs[src]["year"] + int(rng.integers(0, 2))
        if rng.random() < 0.5:  # a companion paper: same journal and volume, next pages
            r["journal"], r["volume"], r["issue"] = recs[src]["journal"], recs[src]["volume"], recs[src]["issue"]
        recs.append(r)
        truth.append(n + k)
    # a column that recurs in every issue of a journal, by one editor, exported by two databases
    n_columns = max(1, n // 200)
    for k in range(n_columns):
        issue = {"title": "Editor's comments: the year in review", "abstract": None, "authors": ["Weber, Ron"],
                 "year": 2000 + k // 4, "journal": "MIS Quarterly", "volume": str(24 + k // 4), "issue": str(1 + k % 4),
                 "pages": None, "doi": None, "pmid": None, "source_db": "db_a"}
        recs.append(issue)
        truth.append(n + n_siblings + k)
        if k % 2 == 0:
            recs.append(dict(issue, source_db="db_b", authors=["Weber, R."]))
            truth.append(n + n_siblings + k)
    for k in range(n_generic):
        recs.append({
            "title": str(rng.choice(["Editorial", "Reply", "Erratum", "Letter to the editor"])),
            "abstract": None, "authors": [f"{rng.choice(surnames)}, A."], "year": int(rng.integers(2000, 2024)),
            "journal": "Journal of Things", "doi": None, "pmid": None, "source_db": "db_a",
        })
        truth.append(n_base + k)
    order = rng.permutation(len(recs))
    df = pd.DataFrame([recs[i] for i in order])
    df.index.name = "record_id"
    return df, pd.Series([truth[i] for i in order], index=df.index)


# ----------------------------------------------------------------------------- main


def _fmt(s: dict) -> str:
    return (
        f"precision {s['precision']:.3f}  recall {s['recall']:.3f}  (pairs: predicted {s['pred_pairs']}, "
        f"gold {s['gold_pairs']}, correct {s['tp']}); groups {s['groups']} vs gold {s['gold_groups']}"
    )


def shared_searches(shared: Path, bibdedupe_python: Path | None, lines: list[str]) -> list[dict]:
    """Score screener (and bib-dedupe, when its venv is there) on the three searches; rows for the CSV."""
    import tempfile

    folder = shared / "dedup_benchmark"
    have_bd = bibdedupe_python is not None and Path(bibdedupe_python).exists()
    rows = []
    lines += ["", "## Three searches with gold duplicate groups (`../shared/dedup_benchmark`)", ""]
    if not have_bd:
        lines.append(f"bib-dedupe was not run: no Python at {bibdedupe_python} (see the docstring to install it).")
    lines += ["| search | records | gold pairs | system | precision | recall | F1 | false merges (pairs) | "
              "missed pairs | time (s) |", "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in SEARCHES:
            df, gold, _ = read_search(folder / name)
            systems = [("screener", run_screener(folder / name, tmp))]
            if have_bd:
                bd = run_bibdedupe(Path(bibdedupe_python), folder / name, tmp)
                systems.append((f"bib-dedupe {bd['version']}", bd))
            for system, res in systems:
                s = score(groups_from_id_sets(df, res["groups"]), gold)
                row = {"search": name, "records": len(df), "gold_pairs": s["gold_pairs"], "system": system,
                       "precision": s["precision"], "recall": s["recall"], "f1": f1(s), "false_merges": len(s["fp"]),
                       "missed": len(s["fn"]), "seconds": res["wall_seconds"]}
                rows.append(row)
                lines.append(f"| {name} | {len(df):,} | {s['gold_pairs']} | {system} | {s['precision']:.4f} | "
                             f"{s['recall']:.4f} | {f1(s):.4f} | {len(s['fp'])} | {len(s['fn'])} | "
                             f"{res['wall_seconds']:.1f} |")
                print(lines[-1], flush=True)
    if have_bd:
        lines += ["", "Bars (issue 18), per search: precision >= 0.998; recall >= bib-dedupe's - 0.01; F1 >= 0.96; "
                  "faster than bib-dedupe.", ""]
        for name in SEARCHES:
            sc = next(r for r in rows if r["search"] == name and r["system"] == "screener")
            bd = next(r for r in rows if r["search"] == name and r["system"] != "screener")
            checks = [("precision", sc["precision"] >= 0.998), ("recall", sc["recall"] >= bd["recall"] - 0.01),
                      ("F1", sc["f1"] >= 0.96), ("faster", sc["seconds"] < bd["seconds"])]
            lines.append(f"- {name}: " + ", ".join(f"{k} {'met' if ok else 'NOT met'}" for k, ok in checks)
                         + f" (time {sc['seconds']:.1f} s against {bd['seconds']:.1f} s, "
                         f"{bd['seconds'] / sc['seconds']:.1f}x faster)")
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--n-synthetic", type=int, default=20_000)
    ap.add_argument("--reader", choices=("auto", "screener", "rispy"), default="auto")
    ap.add_argument("--repeats", type=int, default=3, help="timing repeats on the synthetic set (median)")
    ap.add_argument("--bibdedupe-python", type=Path, default=Path("/work/bibdedupe-venv/bin/python"))
    ap.add_argument("--skip-searches", action="store_true", help="leave out the three shared searches")
    ap.add_argument("--out", type=Path, default=None, help="also write the results (Markdown) here, and a CSV beside it")
    args = ap.parse_args(argv)

    lines = [f"# De-duplication benchmark: {platform.node()} ({platform.processor() or platform.machine()}), "
             f"python {platform.python_version()}", "",
             "Command: `nice -n 10 .venv/bin/python benchmarks/bench_dedup.py"
             + (f" --out {args.out}" if args.out else "") + "`"]
    print(lines[0])
    rows = []
    if not args.skip_searches:
        rows = shared_searches(args.shared, args.bibdedupe_python, lines)

    df, reader = read_msm(args.shared, args.reader)
    gold = msm_gold_series(df, pd.read_csv(GOLD))
    lines += ["", f"## MSM syndemic search: {len(df)} records from {len(MSM_FILES)} files (reader: {reader})",
              f"gold: {gold.nunique()} studies, {len(pairs_of(gold))} duplicate pairs", ""]
    s, out, secs = evaluate_msm(args.shared, df=df)
    lines.append(f"default settings: {_fmt(s)}; records after de-duplication {out['group_id'].nunique()}; {secs:.2f} s")
    for label, pairs in (("false merges", s["fp"]), ("missed pairs", s["fn"])):
        for a, b in pairs[:20]:
            lines.append(f"  {label}: {df.loc[a, 'file']}#{df.loc[a, 'index_in_file']} / {df.loc[b, 'file']}#"
                         f"{df.loc[b, 'index_in_file']}: {str(df.loc[a, 'title'])[:60]!r} / {str(df.loc[b, 'title'])[:60]!r}")
    lines += ["", "settings sweep (fuzzy threshold %, year tolerance):", ""]
    for thr, tol in ((100, 0), (100, 1), (85, 1), (90, 1), (93, 1), (95, 1), (93, 0)):
        s2, out2, _ = evaluate_msm(args.shared, fuzzy_threshold=thr, year_tolerance=tol, df=df)
        lines.append(f"- {thr:>3}%  ±{tol}: {_fmt(s2)}")
    print("\n".join(lines[-12:]))

    lines += ["", f"## Synthetic set: {args.n_synthetic} records", ""]
    syn, truth = synthetic(args.n_synthetic)
    times = []
    for _ in range(max(1, args.repeats)):
        t0 = time.perf_counter()
        res = find_duplicates(syn)
        times.append(time.perf_counter() - t0)
    s3 = score(res.set_index("record_id")["group_id"], truth)
    lines.append(f"time: median {np.median(times):.2f} s over {len(times)} runs (min {min(times):.2f}, max {max(times):.2f})")
    lines.append(f"accuracy on the synthetic set: {_fmt(s3)}")
    print("\n".join(lines[-2:]))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n")
        if rows:
            pd.DataFrame(rows).to_csv(args.out.with_suffix(".csv"), index=False, float_format="%.4f")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
