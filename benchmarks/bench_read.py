"""How long screener takes to read a large RIS export, and how much memory it needs.

Builds an RIS file of N records (default 20,000) by repeating the real exports in
``shared/fixtures`` (Ovid, Scopus, ProQuest, EndNote ...) with fresh ids, then reads it in a fresh
Python process twice: once with ``screener.io.read_records`` and once with plain ``rispy.load``
(the baseline: the same tag parsing without line tracking, validation and field mapping). Each
run reports wall and CPU seconds and the process's peak resident memory, so import costs are
included and the two runs cannot share memory. CPU seconds are the steadier figure on a shared
machine, where other jobs stretch the wall time.

    nice python benchmarks/bench_read.py [--records 20000] [--shared ../shared] [--json out.json]

Target: a whole import into a project (``Project.init`` then ``import_files``: read, store,
de-duplicate) under 30 s and 1 GB for 20,000 records. It runs in a third process, after the two
reads; its time runs from the process start (Python imports included) to the end of
``import_files``, and the count of stored records that follows is not timed. The file repeats
each fixture study about 27 times, so de-duplication meets large groups of copies.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
path, which = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
c0 = time.process_time()
if which == "project":
    from screener.project import Project
    proj = Project.init(sys.argv[3])
    summary = proj.import_files([path])
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0  # the check below is not the import
    n = summary.records_added
    n_title = int(proj.records_frame(primary_only=False)["title"].notna().sum())
elif which == "screener":
    from screener.io import read_records
    res = read_records(path)
    n = len(res.records)
    n_title = sum(1 for r in res.records if r["title"])
else:
    from pathlib import Path
    import rispy
    refs = rispy.load(Path(path), encoding="utf-8")
    n = len(refs)
    n_title = sum(1 for r in refs if r.get("title") or r.get("primary_title"))
if which != "project":
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
print(json.dumps({"records": n, "with_title": n_title, "seconds": secs, "cpu_seconds": cpu,
                  "peak_rss_mib": peak_kib / 1024}))
"""


def fixture_records(shared: Path) -> list[list[str]]:
    """Each fixture record as its lines, TY through ER (Ovid's text between records dropped)."""
    out: list[list[str]] = []
    for path in sorted((shared / "fixtures").rglob("*.ris")):
        current: list[str] | None = None
        for line in path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n"):
            if line.startswith("TY  -"):
                current = [line]
            elif current is not None:
                if line.startswith("ID  -"):
                    continue  # replaced by a fresh id
                current.append(line)
                if line.startswith("ER  -"):
                    out.append(current)
                    current = None
    return out


def build(path: Path, n: int, shared: Path) -> int:
    recs = fixture_records(shared)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i in range(n):
            lines = recs[i % len(recs)]
            fh.write(lines[0] + "\n")
            fh.write(f"ID  - bench-{i + 1}\n")
            fh.write("\n".join(lines[1:]) + "\n\n")
    return path.stat().st_size


def run_child(path: Path, which: str, *extra: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(  # cwd: ``python -c`` imports from the working directory first
        [sys.executable, "-c", _CHILD, str(path), which, *extra], capture_output=True, text=True, env=env,
        check=True, cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared")))
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    if not (args.shared / "fixtures").is_dir():
        print(f"needs the shared fixtures at {args.shared / 'fixtures'}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench_{args.records}.ris"
        size = build(path, args.records, args.shared)
        ours = run_child(path, "screener")
        base = run_child(path, "rispy")
        proj = run_child(path, "project", str(Path(tmp) / "review"))  # removed with tmp
    for what, got in (("read", ours["records"]), ("imported", proj["records"])):
        if got != args.records:
            print(f"ERROR: screener {what} {got} records, expected {args.records}", file=sys.stderr)
            return 1
    result = {
        "records": args.records,
        "file_mib": round(size / 2**20, 1),
        "screener_seconds": round(ours["seconds"], 2),
        "screener_cpu_seconds": round(ours["cpu_seconds"], 2),
        "screener_peak_rss_mib": round(ours["peak_rss_mib"]),
        "rispy_seconds": round(base["seconds"], 2),
        "rispy_cpu_seconds": round(base["cpu_seconds"], 2),
        "rispy_peak_rss_mib": round(base["peak_rss_mib"]),
        "rispy_records": base["records"],
        "project_import_seconds": round(proj["seconds"], 2),
        "project_import_cpu_seconds": round(proj["cpu_seconds"], 2),
        "project_import_peak_rss_mib": round(proj["peak_rss_mib"]),
        "project_import_ratio": round(proj["seconds"] / base["seconds"], 2),
        "time_ratio": round(ours["seconds"] / base["seconds"], 2),
        "cpu_ratio": round(ours["cpu_seconds"] / base["cpu_seconds"], 2),
        "memory_ratio": round(ours["peak_rss_mib"] / base["peak_rss_mib"], 2),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
    }
    print(f"RIS file: {result['records']} records, {result['file_mib']} MiB")
    print(f"screener.io.read_records: {result['screener_seconds']:.2f} s wall, "
          f"{result['screener_cpu_seconds']:.2f} s CPU, peak RSS {result['screener_peak_rss_mib']} MiB")
    print(f"rispy.load (baseline):    {result['rispy_seconds']:.2f} s wall, {result['rispy_cpu_seconds']:.2f} s CPU, "
          f"peak RSS {result['rispy_peak_rss_mib']} MiB ({result['rispy_records']} records)")
    print(f"ratio screener/rispy: wall x{result['time_ratio']}, CPU x{result['cpu_ratio']}, "
          f"memory x{result['memory_ratio']}")
    print(f"screener import into a project (read + store + de-duplicate): {result['project_import_seconds']:.2f} s "
          f"wall, {result['project_import_cpu_seconds']:.2f} s CPU, "
          f"peak RSS {result['project_import_peak_rss_mib']} MiB (x{result['project_import_ratio']} rispy.load)")
    ok = proj["seconds"] < 30 and proj["peak_rss_mib"] < 1024
    print("target (< 30 s, < 1 GB):", "met" if ok else "NOT met")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
