"""Run bib-dedupe on one record table; called by bench_dedup.py with bib-dedupe's own Python.

    /work/bibdedupe-venv/bin/python benchmarks/bibdedupe_runner.py records_pre_merged.csv out.json

Writes ``{"groups": [[ID, ...], ...], "seconds": s, "version": v, "maybe_pairs": n}``. The time
covers reading the file and bib-dedupe's prep, block, match and cluster steps (its whole
de-duplication; "maybe" pairs count as not merged, as bib-dedupe leaves them to a person).
"""

import json
import sys
import time
from importlib.metadata import version


def main(src: str, dest: str, cpu: int = 1) -> None:
    t0 = time.perf_counter()
    import pandas as pd
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    records = pd.read_csv(src, dtype=str)
    prepped = prep(records, cpu=cpu)
    pairs = block(prepped, cpu=cpu)
    matched = match(pairs, cpu=cpu)
    groups = cluster(matched)
    secs = time.perf_counter() - t0
    maybe = int((matched["duplicate_label"] == "maybe").sum()) if "duplicate_label" in matched.columns else None
    with open(dest, "w") as fh:
        json.dump({"groups": [sorted(map(str, g)) for g in groups], "seconds": secs,
                   "version": version("bib-dedupe"), "maybe_pairs": maybe}, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
