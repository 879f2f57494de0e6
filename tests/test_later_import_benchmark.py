"""benchmarks/later_import.py: a second search imported into a screened review, replayed on a
small labelled set made here (the shared reviews are the benchmark's, not the tests')."""

import pandas as pd
import pytest
from scripts import REPO, load_script

from screener.simulate import check_dataset


@pytest.fixture(scope="module")
def bench():
    return load_script(REPO / "benchmarks" / "later_import.py", "bench_later_import")


def test_a_replay_counts_both_searches_and_every_early_reading(bench, tmp_path, monkeypatch, toy_review):
    df = check_dataset(pd.read_csv(toy_review(tmp_path / "toy.csv", n=300, n_include=30, seed=3)), "toy")
    monkeypatch.setattr(bench, "load_set", lambda corpus, name: df)
    row = bench.simulate("made", "toy", 1, 0.6, 25, 0.95, lambda m: None, one_by_one=50)
    assert row["includes"] == 30 and 0 < row["includes_first"] < 30
    assert row["second_records"] == 120 and 0 < row["second_screened"] <= 120
    assert row["first_stop_screened"] <= 180 and row["final_total"] == 300
    assert row["final_stop"] and row["final_recall"] >= 0.95 and row["false_stop_readings"] == 0
    pd.DataFrame([row]).to_csv(tmp_path / "runs_made_first60.csv", index=False)
    text = bench.write_summary(tmp_path, 0.95).read_text()
    assert "First search 60% of the records (1 run, seeds 1)" in text
    assert "runs with a false stop after the second import: 0" in text
