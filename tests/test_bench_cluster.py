"""The Dask embedding benchmark's written result, on a stand-in cluster (no model, no workers)."""

import re

from scripts import REPO, load_script


def test_the_result_counts_rounds_in_words(tmp_path, monkeypatch):
    """The result read '3 round(s), the two clusters alternating'; it says '1 round' or '3 rounds'."""
    import distributed

    bench = load_script(REPO / "benchmarks" / "bench_cluster.py", "bench_cluster")

    class Stand:
        def __init__(self, *a, **k):
            pass

        def close(self):
            pass

    monkeypatch.setattr(distributed, "LocalCluster", Stand)
    monkeypatch.setattr(distributed, "Client", Stand)
    monkeypatch.setattr(bench, "warm", lambda client: None)
    monkeypatch.setattr(bench, "shared_texts", lambda n: [f"record {i}" for i in range(n)])
    monkeypatch.setattr(bench, "timed_embed", lambda client, texts, chunk: 2.0)
    for rounds, words in ((1, "1 round,"), (3, "3 rounds,")):
        out = tmp_path / f"r{rounds}.md"
        assert bench.main(["--records", "8", "--rounds", str(rounds), "--out", str(out)]) == 0
        text = out.read_text()
        assert words in text and "(s)," not in text.replace(" (s) |", "")


def test_committed_results_count_in_words():
    """A result written before the writer was fixed still read '3 round(s)' in the repository."""
    for md in (REPO / "benchmarks" / "results").glob("*.md"):
        found = re.findall(r"\b\d+ [a-z]+\(s\)", md.read_text(encoding="utf-8"))
        assert not found, f"{md.name}: {found}"
