"""benchmarks/workflow_sim.py: the low-prevalence versions of a labelled set, and one replay of
such a version on a small set made here (the shared reviews are the benchmark's, not the tests')."""

import numpy as np
import pandas as pd
import pytest
from scripts import REPO, load_script

from screener.simulate import check_dataset


@pytest.fixture(scope="module")
def bench():
    return load_script(REPO / "benchmarks" / "workflow_sim.py", "bench_workflow_sim")


def _labelled(n, n_include):
    y = np.zeros(n, dtype=int)
    y[np.linspace(0, n - 1, n_include).astype(int)] = 1
    return pd.DataFrame({"title": [f"record {i}" for i in range(n)], "label_included": y})


def test_a_low_prevalence_version_keeps_every_exclude_and_one_include_in_a_hundred(bench):
    df = _labelled(1000, 100)
    low = bench.low_prevalence_version(df, "toy", seed=1)
    assert (low["label_included"] == 0).sum() == 900  # no exclude dropped
    assert low["label_included"].sum() == 9  # 1% of the 909 records kept
    assert set(low["title"]) < set(df["title"])
    again = bench.low_prevalence_version(df, "toy", seed=1)
    other = bench.low_prevalence_version(df, "toy", seed=2)
    assert again["title"].tolist() == low["title"].tolist()  # seeded: rerunnable
    assert other["title"].tolist() != low["title"].tolist()  # each seed screens another version


def test_sets_already_near_the_low_prevalence_get_no_version_and_tiny_ones_keep_three_includes(bench):
    assert bench.low_prevalence_version(_labelled(1000, 15), "toy", seed=1) is None  # 1.5%: under twice 1%
    low = bench.low_prevalence_version(_labelled(200, 40), "toy", seed=1)
    assert low["label_included"].sum() == 3


def test_a_low_prevalence_replay_screens_the_smaller_set_under_its_own_name(bench, tmp_path, monkeypatch,
                                                                           toy_review):
    df = check_dataset(pd.read_csv(toy_review(tmp_path / "toy.csv", n=400, n_include=40, seed=3)), "toy")
    monkeypatch.setattr(bench, "load_set", lambda corpus, name: df)
    rows = bench.simulate_run("made", "toy", 1, 25, 0.95, lambda m: None, low_prevalence=True, until_advice=True)
    assert set(rows["dataset"]) == {"toy@low"}
    assert set(rows["includes_total"]) == {4} and set(rows["n_total"]) == {364}
    assert rows["recall"].iloc[-1] >= 0.95 and rows["advice_stop"].iloc[-1]
    # only --until-advice readings: the runs up to the target are read from them
    rows.to_csv(tmp_path / "readings_made_extended.csv", index=False)
    text = bench.write_summary(tmp_path, 0.95).read_text()
    reached = rows["n_screened"][rows["recall"] >= 0.95].iloc[0] / 364
    assert f"The target recall itself was reached after {100 * reached:.1f}% of the records" in text
    upto = bench.up_to_target(rows, 0.95)
    assert len(upto) == int((rows["recall"] < 0.95).sum()) + 1 and "## Up to the target" in text


def test_help_lists_the_options_the_benchmarks_readme_names(bench, capsys):
    # a '%' in an option's help made argparse raise ValueError on --help
    with pytest.raises(SystemExit) as done:
        bench.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--low-prevalence", "--sample", "--hard-min-found", "--shard", "--until-advice"):
        assert option in out
    assert "to 1% (sets" in out


def test_a_seed_or_set_named_twice_is_replayed_once(bench, tmp_path, monkeypatch):
    """'--seeds 1,1' replayed seed 1 twice into one readings file: the two runs read as one, with
    every stop reading counted twice in the tables."""
    (tmp_path / "tuning").mkdir()
    pd.DataFrame([{"dataset": "toy", "file": "toy.csv"}]).to_csv(tmp_path / "tuning" / "index.csv", index=False)
    monkeypatch.setattr(bench, "SHARED", tmp_path)
    monkeypatch.setattr(bench, "load_set", lambda corpus, name: _labelled(50, 5))
    runs = []

    def fake_run(corpus, name, seed, *args, **kwargs):
        runs.append((name, seed))
        return pd.DataFrame([{"corpus": corpus, "dataset": name, "seed": seed}])

    monkeypatch.setattr(bench, "simulate_run", fake_run)
    monkeypatch.setattr(bench, "write_summary", lambda results, target: "")
    assert bench.main(["--corpus", "tuning", "--sets", "toy,toy", "--seeds", "1,1,2", "--results",
                       str(tmp_path / "out")]) == 0
    assert runs == [("toy", 1), ("toy", 2)]


def test_titles_with_inline_markup_are_matched_to_their_rows(bench, tmp_path, toy_review):
    """The importer drops inline markup from titles ('<i>cultura</i>', '&amp;'): the replay refused such a set
    (hamilton_2022 of the tuning reviews) as 'imported records do not match their file rows'."""
    df = check_dataset(pd.read_csv(toy_review(tmp_path / "toy.csv", n=30, n_include=3)), "toy")
    df.loc[0, "title"] = "Study of <i>peer workers</i> &amp; harm reduction"
    project, labels = bench.make_project(df, tmp_path, seed=1)
    try:
        titles = project.records_frame()["title"]
        assert titles.iloc[0] == "Study of peer workers & harm reduction"
        assert labels.tolist() == df["label_included"].tolist()
    finally:
        project.close()


def test_mean_recall_at_the_first_stop_just_short_of_the_target_never_reads_as_the_target(bench):
    """A mean recall at the first stop of 94.96% read "95.0%" in the column beside 'runs whose first stop was below
    target', at a 95% target: as if the stops had reached it on average."""
    v = pd.DataFrame([{"method": "knee", "guarantee": False, "runs": 10, "runs_stopped": 10, "runs_false_stop": 3,
                       "share_runs_false_stop": 0.3, "stop_readings": 12, "stop_readings_below_target": 4,
                       "mean_screened_at_first_stop": 0.9996, "mean_recall_at_first_stop": 0.9496}])
    row = bench._table(v, 0.95)[2]
    assert row.endswith("| 99.96% | 94.96% |"), row
