"""Print the README's macro table from a benchmark summary, so no figure is typed in by hand.

    .venv/bin/python benchmarks/readme_table.py [benchmarks/results/summary.md]
"""

import re
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "results" / "summary.md"
text = Path(sys.argv[1] if len(sys.argv) > 1 else DEFAULT).read_text()
sections = {"WSS@95": "## WSS@95", "WSS@100": "## WSS@100", "Recall after screening 10%": "## Recall after screening 10%",
            "ATD": "## ATD"}
out = []
header = None
for name, head in sections.items():
    i = text.index(head)
    j = text.find("\n## ", i + 5)
    block = text[i:j if j > 0 else None].splitlines()
    cols = [l for l in block if l.startswith("| dataset")][0]
    systems = [c.strip() for c in cols.strip("|").split("|")][2:]
    if header is None:
        header = systems
        out.append("| metric | datasets | " + " | ".join(systems) + " |")
        out.append("|---|---|" + "---:|" * len(systems))
    for l in block:
        m = re.match(r"\| \*{1,2}macro average, (.*?)\*{1,2} \| \|(.*)\|$", l)
        if m:
            vals = [v.strip().strip("*") for v in m.group(2).split("|")]
            out.append(f"| {name} | {m.group(1)} | " + " | ".join(vals) + " |")
print("\n".join(out))
