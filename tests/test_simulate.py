import numpy as np
import pandas as pd
import pytest

from screener.errors import InputError, ScreenerError
from screener.simulate import (SimulationResult, choose_priors, default_checkpoints, resolve_config,
                               simulate)

INC_WORDS = ["peer", "worker", "harm", "reduction", "drug", "service", "lived", "experience", "support"]
EXC_WORDS = ["cardiac", "surgery", "mouse", "tumour", "protein", "enzyme", "bone", "fracture", "dose",
             "kidney", "trial", "placebo"]


def synthetic(n=60, n_inc=8, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        inc = i % (n // n_inc) == 0 and sum(r["label_included"] for r in rows) < n_inc
        words = INC_WORDS if inc else EXC_WORDS
        title = " ".join(rng.choice(words, 5))
        abstract = " ".join(rng.choice(words + ["study", "results", "methods"], 30))
        rows.append({"record_id": f"r{i:03d}", "title": title, "abstract": abstract if i % 7 else "",
                     "label_included": int(inc)})
    return pd.DataFrame(rows)


def test_choose_priors_picks_a_study_not_a_record_when_told_the_studies():
    """A study with nine records (a final include and its companion papers) was the prior include
    nine times as often as a study with one; told each row's study, each study is as likely. With
    one row per study the draw is the one made without (the benchmarks' priors stay as they were)."""
    y = [1] * 9 + [1] + [0] * 30
    studies = ["s"] * 9 + ["t"] + [f"x{i}" for i in range(30)]
    draws = [choose_priors(y, seed, studies=studies) for seed in range(1, 2001)]
    share_t = sum(d[0] == 9 for d in draws) / len(draws)
    assert 0.45 < share_t < 0.55, share_t
    assert all(d[0] in range(10) and y[d[1]] == 0 for d in draws)
    assert len({d[0] for d in draws if d[0] != 9}) == 9  # any record of the nine-record study
    own = [f"r{i}" for i in range(40)]
    assert all(choose_priors(y, seed, (2, 3), studies=own) == choose_priors(y, seed, (2, 3)) for seed in range(1, 50))
    # the excludes drawn do not move with the study draw
    assert all(choose_priors(y, seed, studies=studies)[1] == choose_priors(y, seed)[1] for seed in range(1, 50))


def test_choose_priors_is_seeded_and_one_of_each():
    y = np.array([0, 1, 0, 0, 1, 0, 1, 0])
    p = choose_priors(y, 3)
    assert len(p) == 2 and y[p[0]] == 1 and y[p[1]] == 0
    assert p == choose_priors(y, 3)
    assert len({tuple(choose_priors(y, s)) for s in range(1, 6)}) > 1
    assert choose_priors(y, 3, priors=0) == []
    with pytest.raises(ScreenerError):
        choose_priors(np.zeros(5), 1)


def test_every_record_once_priors_first_and_deterministic():
    df = synthetic()
    r = simulate(df, seed=2, dataset_name="synthetic", estimators=[])
    assert sorted(r.order) == sorted(df["record_id"])  # every record exactly once
    priors = choose_priors(df["label_included"].to_numpy(), 2)
    assert list(r.order[:2]) == list(df["record_id"].iloc[priors])
    assert r.labels[0] == 1 and r.labels[1] == 0
    assert r.n_priors == 2
    truth = dict(zip(df["record_id"], df["label_included"]))
    assert [truth[i] for i in r.order] == r.labels.tolist()
    assert not r.retrained[:2].any() and r.retrained[2]  # first pick comes from a fitted model
    assert len(r.latencies_s) == r.retrained.sum()
    again = simulate(df, seed=2, dataset_name="synthetic", estimators=[])
    assert np.array_equal(r.order, again.order)
    other = simulate(df, seed=3, dataset_name="synthetic", estimators=[])
    assert not np.array_equal(r.order, other.order)
    m = r.metrics()
    assert m["N"] == 58 and m["R"] == 7
    # the two topics are cleanly separable: all includes come first
    assert m["wss@100"] == pytest.approx((58 - 7) / 58)


def test_cold_start_uses_the_question_only():
    df = synthetic()
    r = simulate(df, seed=1, priors=0, protocol_text="Peer workers in harm reduction drug services",
                 dataset_name="synthetic", estimators=[])
    assert r.n_priors == 0 and r.system.endswith("coldstart")
    assert r.labels[0] == 1  # the question alone finds an include first
    assert sorted(r.order) == sorted(df["record_id"])
    with pytest.raises(ScreenerError, match="review question") as err:
        simulate(df, seed=1, priors=0, estimators=[])
    assert "--question" in str(err.value)  # the option that gives it, not a word for the library


def test_a_protocol_file_ranks_the_cold_start_with_its_exclusion_criteria(tmp_path):
    """'simulate --protocol' (and evaluate on a project) replayed the cold start from the
    protocol's text alone: its exclusion criteria, which push records down in the project's own
    ranking, were lost, so the replay measured another cold start than the team's."""
    from screener.protocol import Protocol
    from screener.simulate import simulate_cli

    rows = ([{"record_id": k + 1, "title": f"Peer workers in harm reduction services: interviews {k}",
              "abstract": "Qualitative interviews with peer workers.", "label_included": 1} for k in range(3)]
            + [{"record_id": k + 10, "title": f"Peer workers in harm reduction services: a model in mice {k}",
                "abstract": "Peer workers and harm reduction services in mice: an animal study of mice in animal "
                            "models.", "label_included": 0} for k in range(8)]
            + [{"record_id": k + 30, "title": f"Bone density in athletes {k}", "abstract": "Cohort.",
                "label_included": 0} for k in range(10)])
    pd.DataFrame(rows).to_csv(tmp_path / "review.csv", index=False)
    (tmp_path / "protocol.yaml").write_text("title: Peer workers in harm reduction services\n"
                                            "exclusion:\n  - Animal studies in mice\n")
    results, _ = simulate_cli(tmp_path / "review.csv", model="logreg-tfidf", priors="0", stopping=False,
                              protocol=tmp_path / "protocol.yaml")
    assert list(results[0].labels[:3]) == [1, 1, 1]  # the mouse studies pushed down, as in the project
    proto = Protocol.load(tmp_path / "protocol.yaml")
    text_only = simulate(pd.DataFrame(rows), config="logreg-tfidf", seed=1, priors=0, protocol_text=proto.text(),
                         dataset_name="review", estimators=[])
    assert list(text_only.labels[:3]) == [0, 0, 0]  # what the text alone gave: the test tells the two apart


def test_stopping_methods_recorded_at_checkpoints():
    df = synthetic()
    r = simulate(df, seed=2, dataset_name="synthetic", checkpoints="all")
    est = r.estimates
    assert set(est["target"].round(2)) == {0.95, 0.8}
    assert est["step"].min() == 1 and est["step"].max() == 58
    assert est["method"].nunique() >= 2
    # at the end every method knows all records are screened and says stop
    last = est[est["step"] == 58]
    assert last["stop"].all()
    for row in r.stopping_rows():
        assert 0 <= row["screened_at_stop"] <= 1


def test_save_and_load_round_trip(tmp_path):
    df = synthetic()
    r = simulate(df, seed=4, dataset_name="synthetic", estimators=[])
    path = r.save(tmp_path / "run")
    assert path.suffix == ".npz" and not list(tmp_path.glob("*.part"))
    back = SimulationResult.load(path)
    assert np.array_equal(back.order, r.order) and np.array_equal(back.labels, r.labels)
    assert np.array_equal(back.retrained, r.retrained)
    assert back.config == r.config and back.system == r.system
    assert back.metrics() == r.metrics()


def test_load_rejects_a_damaged_file(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a result")
    with pytest.raises(InputError, match="bad.npz"):
        SimulationResult.load(bad)


def test_bad_dataset_messages():
    df = synthetic()
    with pytest.raises(InputError, match="label_included"):
        simulate(df.drop(columns="label_included"), seed=1, estimators=[])
    bad = df.copy()
    bad.loc[3, "label_included"] = 5
    with pytest.raises(InputError, match="r003"):
        simulate(bad, seed=1, estimators=[])


def test_default_without_embeddings_falls_back_to_the_lexical_ranker():
    from screener.rankers import DEFAULT_RANKER, LEXICAL_RANKER

    assert resolve_config("default")["ranker"] == DEFAULT_RANKER
    lex = resolve_config("lexical")
    assert lex["ranker"] == LEXICAL_RANKER and lex["features"] == "tfidf"
    assert resolve_config({"embedding_model": "none", "ranker": "svm-tfidf"})["ranker"] == "svm-tfidf"
    with pytest.raises(ScreenerError, match="reads what the records mean"):
        resolve_config({"embedding_model": "none", "ranker": "fusion"})


def test_configs_and_checkpoints():
    assert resolve_config("default")["ranker"]
    assert resolve_config("svm-tfidf")["ranker"] == "svm-tfidf"
    with pytest.raises(ScreenerError, match="unknown ranking model"):
        resolve_config("nope")
    ck = default_checkpoints(2000, dense_until=500, n_sparse=200)
    assert list(ck[:500]) == list(range(1, 501)) and ck[-1] == 2000
    assert np.all(np.diff(ck[500:]) <= 8)
    assert list(default_checkpoints(50)) == list(range(1, 51))


def test_first_stop_exact_between_checkpoints():
    """Sparse checkpoints plus refinement find the same first stop as asking at every step."""
    from screener.stopping.consecutive import ConsecutiveExcludesStop
    from screener.stopping.knee import KneeStop
    from screener.simulate import estimate_stopping

    rng = np.random.default_rng(5)
    n = 1200
    p = 0.6 * np.exp(-np.arange(n) / 150)
    y = (rng.random(n) < p).astype(int)
    y[0], y[1] = 1, 0  # priors
    ests = [KneeStop(), ConsecutiveExcludesStop(n=100)]
    # cheap_s=0 treats every method as slow: checkpoints, then the gap before the first stop
    sparse = estimate_stopping(y, 2, ests, checkpoints=None, cheap_s=0)
    full = estimate_stopping(y, 2, ests, checkpoints="all")

    def first_stops(est):
        s = est[est["stop"]]
        return s.groupby(["method", "target"])["step"].min().to_dict()

    assert first_stops(sparse) == first_stops(full)
    assert any(v > 200 for v in first_stops(full).values())  # the stops fall among the sparse checkpoints
    assert len(sparse) < len(full)
    # the intervals where the benchmark checks them (25/50/75% of the includes found) are asked
    # at that very record whether or not a method is fast enough to be asked at every step, so
    # the coverage figures do not depend on the machine's load
    from screener.stopping.evaluate import COVERAGE_AT, records_to_reach

    steps = {records_to_reach(y, f, 2) for f in COVERAGE_AT}
    assert max(steps) > 200 and not steps <= set(default_checkpoints(n - 2).tolist())
    for est in (sparse, estimate_stopping(y, 2, ests, checkpoints=None, cheap_s=1e9)):
        for (method, target), g in est.groupby(["method", "target"]):
            assert steps <= set(g["step"])
    at = lambda e: e[e["step"].isin(steps)].sort_values(["method", "target", "step"]).reset_index(drop=True)  # noqa: E731
    assert at(sparse).equals(at(full))


def test_simulate_command(tmp_path):
    import typer
    from typer.testing import CliRunner

    from screener.cli.simulate_cmds import register

    app = typer.Typer()
    register(app)
    path = tmp_path / "tiny.csv"
    synthetic().to_csv(path, index=False)
    out = tmp_path / "run.npz"
    res = CliRunner().invoke(app, ["simulate", str(path), "--seed", "3", "--no-stopping", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Records screened to find 95% of the includes" in res.output
    assert SimulationResult.load(out).seed == 3
    res = CliRunner().invoke(app, ["simulate", str(path), "--priors", "0", "--no-stopping",
                                   "--question", "peer workers in harm reduction"])
    assert res.exit_code == 0, res.output
    assert "Prior knowledge: 0 records;" in res.output
    one = tmp_path / "one.csv"  # one include after the prior (1 + 1 priors of 2 includes): not '1 includes'
    synthetic().assign(label_included=lambda d: (d.index < 2).astype(int)).to_csv(one, index=False)
    res = CliRunner().invoke(app, ["simulate", str(one), "--priors", "1,1", "--no-stopping", "-m", "lexical"])
    assert res.exit_code == 0, res.output
    assert "records to screen, 1 include." in " ".join(res.output.split())


def test_priors_option_parsing():
    from screener.simulate import parse_priors

    assert parse_priors("1,1") == (1, 1) and parse_priors("0") == (0, 0) and parse_priors(2) == (2, 2)
    assert parse_priors("2,5") == (2, 5)
    with pytest.raises(ScreenerError, match="--priors"):
        parse_priors("one")


class _Flicker:
    """A stop that does not last: says stop at one record only, then goes on until the end."""

    name = "flicker"

    def __init__(self, at: int):
        self.at = at

    def estimate(self, h, target_recall=0.95, confidence=0.95):
        from screener.stopping.base import Estimate

        stop = h.n_screened == self.at or h.n_remaining == 0
        return Estimate(method=self.name, n_screened=h.n_screened, includes_found=h.includes_found,
                        remaining=float("nan"), remaining_low=float("nan"), remaining_high=float("nan"),
                        recall=float("nan"), recall_low=float("nan"), recall_high=float("nan"), stop=stop)


@pytest.mark.parametrize("cheap_s", [0.0, 1e9])
def test_a_stop_that_does_not_last_is_still_the_first_stop(cheap_s):
    """Between two checkpoints where a method says "go on", a stop that an include then takes back
    is still where a reviewer asking after every record would have stopped."""
    from screener.simulate import estimate_stopping

    y = np.zeros(1500, dtype=int)
    y[[0, 5, 40, 300, 333]] = 1
    at = 2 + 333  # records screened, priors included: between the sparse checkpoints
    assert 333 not in set(default_checkpoints(1498).tolist())
    est = estimate_stopping(y, 2, {"flicker": _Flicker(at)}, checkpoints=None, cheap_s=cheap_s)
    assert est[est["stop"]]["step"].min() == 333


def test_every_default_method_stops_where_it_would_asked_at_every_record():
    """The first stops estimate_stopping finds (each method's cheapest stop check) are the ones
    its full estimate gives when asked after every record."""
    from screener.simulate import estimate_stopping
    from screener.stopping.advice import default_estimators

    rng = np.random.default_rng(11)
    n = 700
    y = (rng.random(n) < 0.5 * np.exp(-np.arange(n) / 90)).astype(int)
    y[0], y[1] = 1, 0
    ests = default_estimators(compute_needs=False)
    fast = estimate_stopping(y, 2, ests, checkpoints=None, cheap_s=0)
    full = estimate_stopping(y, 2, ests, checkpoints="all")

    def first_stops(e):
        return e[e["stop"]].groupby(["method", "target"])["step"].min().to_dict()

    assert first_stops(fast) == first_stops(full) and len(first_stops(full)) >= 6


def test_a_dataset_without_any_decision_says_the_column_is_missing(tmp_path):
    from screener.simulate import read_labelled

    f = tmp_path / "nolabel.csv"
    f.write_text("title,abstract\nA study of peer work,Interviews.\nAnother study,Trial.\n")
    with pytest.raises(InputError, match="nolabel.csv: no record has an include/exclude decision") as err:
        read_labelled(f)
    assert "label_included" in str(err.value) and "line 2" not in str(err.value)


def test_simulate_several_seeds_reports_each_and_the_range(tmp_path):
    """'simulate --seed' took one seed: one replay depends on which prior records were drawn,
    and a reviewer benchmarking a ranker needs several."""
    import typer
    from typer.testing import CliRunner

    from screener.cli.simulate_cmds import register

    app = typer.Typer()
    register(app)
    path = tmp_path / "tiny.csv"
    synthetic().to_csv(path, index=False)
    res = CliRunner().invoke(app, ["simulate", str(path), "--seeds", "1-3", "--out", str(tmp_path / "run.npz")])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert all(f"seed {s}," in out for s in (1, 2, 3))
    assert "Over the 3 seeds (1, 2, 3), mean (range):" in out and "WSS@95" in out
    assert "below 95% recall in" in out  # the stopping methods, seed by seed
    assert [SimulationResult.load(tmp_path / f"run-seed{s}.npz").seed for s in (1, 2, 3)] == [1, 2, 3]
    bad = CliRunner().invoke(app, ["simulate", str(path), "--seed", "one"])
    assert isinstance(bad.exception, ScreenerError) and "1,2,3 or 1-5" in str(bad.exception)


def _project_export(path, blank_full_text_at=None):
    """synthetic() as a screener project's export: 'decision' (title/abstract) and
    'full_text_decision'. 14 records included at title/abstract, 5 of them at full text."""
    df = synthetic()
    inc = df.index[df["label_included"] == 1].tolist()  # 8
    ta_only = df.index[df["label_included"] == 0].tolist()[:6]
    df["decision"] = ["include" if i in inc or i in ta_only else "exclude" for i in df.index]
    df["full_text_decision"] = ["include" if i in inc[:5] else "exclude" if i in inc[5:] or i in ta_only else ""
                                for i in df.index]
    if blank_full_text_at is not None:
        df.loc[ta_only[blank_full_text_at], "full_text_decision"] = ""
    df["source_file"], df["source_line"] = "search.ris", range(1, len(df) + 1)
    cols = ["record_id", "decision", "full_text_decision", "title", "abstract", "source_file", "source_line"]
    df[cols].to_csv(path, index=False)
    return path


def test_simulate_on_a_project_export_says_which_includes_and_can_be_told(tmp_path):
    """A project's export has title/abstract and full-text decisions: simulate measured against
    the title/abstract includes without a word, so 'benchmark against the final includes' got
    WSS and recall on the wrong set."""
    import typer
    from typer.testing import CliRunner

    from screener.cli.simulate_cmds import register

    app = typer.Typer()
    register(app)
    path = _project_export(tmp_path / "export.csv")

    def run(*more):
        res = CliRunner().invoke(app, ["simulate", str(path), "--no-stopping", "-m", "svm-tfidf", *more])
        return res, " ".join(res.output.split())

    res, out = run()
    assert res.exit_code == 0, res.output
    assert out.startswith("Includes: the review's final includes, the 5 of 60 records included at full text "
                          "(column 'full_text_decision')"), out
    assert "--column label=decision" in out and "4 includes" in out  # 5 less the prior one
    res, out = run("--column", "label=decision")
    assert res.exit_code == 0, res.output
    assert out.startswith("Includes: the 14 of 60 records marked include in column 'decision'") and "13 includes" in out
    res, out = run("--column", "label=full_text_decision")
    assert res.exit_code == 0 and "4 includes" in out and "instead" not in out, out

    # full-text screening not finished: the final includes are not known; say where and what to do
    _project_export(path, blank_full_text_at=2)
    res, out = run()
    assert isinstance(res.exception, InputError)
    msg = " ".join(str(res.exception).split())
    assert "1 record was included (or marked maybe) at title/abstract but has no full-text decision" in msg
    assert "(row 5)" in msg and "--column label=decision" in msg, msg  # the 4th record, below the header

    # the benchmark format says where its includes come from too
    plain = tmp_path / "plain.csv"
    synthetic().to_csv(plain, index=False)
    res = CliRunner().invoke(app, ["simulate", str(plain), "--no-stopping", "-m", "svm-tfidf"])
    assert res.output.startswith("Includes: the 8 of 60 records marked include in column 'label_included'."), res.output


def test_a_project_export_with_full_texts_not_retrieved_is_simulated_on_its_final_includes(tmp_path):
    """A project's export writes 'not_retrieved' as the full-text decision of a report whose full text
    could not be obtained: simulate refused the file ('not one screener can read'). Such a report is
    not among the review's final includes, which the simulation measures against, and the note says so."""
    from screener.simulate import read_decisions

    path = _project_export(tmp_path / "export.csv")
    df = pd.read_csv(path, keep_default_na=False)
    gone = df.index[(df["decision"] == "include") & (df["full_text_decision"] == "exclude")][:2]
    df.loc[gone, "full_text_decision"] = "not_retrieved"
    df.to_csv(path, index=False)
    _, labels, said, _ = read_decisions(path)
    assert [labels[i] for i in gone] == ["exclude", "exclude"] and labels.count("include") == 5
    assert "and the 2 whose full text was not retrieved (not among the review's includes)" in said, said


def test_a_labelled_table_is_read_like_an_import_with_file_lines_in_its_messages(tmp_path):
    """A blank label said "label_included is np.float64(nan)" at "record 50" (the record id, not
    the line); a record_id used twice named neither line; yes/no under label_included were
    refused while the same words under 'included' or 'decision' were read."""
    from screener.simulate import check_dataset, read_labelled

    df = synthetic()
    df.loc[1, "abstract"] = "First paragraph.\nSecond paragraph, on a line of its own."  # row 2 takes 2 lines
    df["label_included"] = df["label_included"].astype(object)
    blank = df.copy()
    blank.loc[10, "label_included"] = ""
    blank.to_csv(tmp_path / "blank.csv", index=False)
    with pytest.raises(InputError) as err:
        read_labelled(tmp_path / "blank.csv")
    msg = str(err.value)
    # record r010, written on line 13 (the header, ten rows and one extra line above it), is on row 12 in Excel
    assert msg.startswith(str(tmp_path / "blank.csv") + ": 1 record has no include/exclude decision in column "
                          "'label_included' (row 12: empty)"), msg
    assert "nan" not in msg and "record r010" not in msg

    dup = df.copy()
    dup.loc[40, "record_id"] = dup.loc[5, "record_id"]
    dup.to_csv(tmp_path / "dup.csv", index=False)
    # the import's note: the rows Excel shows (r005 on row 7, below the header and r000 to r004)
    with pytest.raises(InputError, match=r"dup.csv: the id 'r005' in column 'record_id' is used twice: on row 7 and "
                                         r"on row 42"):
        read_labelled(tmp_path / "dup.csv")

    words = df.copy()
    words["label_included"] = words["label_included"].map({1: "yes", 0: "no"})
    words.to_csv(tmp_path / "words.csv", index=False)
    got = read_labelled(tmp_path / "words.csv")
    assert got["label_included"].tolist() == df["label_included"].astype(int).tolist()
    assert got["record_id"].tolist() == df["record_id"].tolist()  # the file's own ids

    # the same for a table handed to the Python API, which has rows, not lines
    assert check_dataset(words)["label_included"].tolist() == df["label_included"].astype(int).tolist()
    with pytest.raises(InputError) as err:
        check_dataset(blank.assign(label_included=blank["label_included"].replace("", np.nan)), "blank")
    assert "record 'r010' (row 11): empty" in str(err.value) and "nan" not in str(err.value)
    with pytest.raises(InputError, match="record_id 'r005' is on rows 6 and 41"):
        check_dataset(dup, "dup")


def test_the_report_shows_every_figure_it_computes():
    """n@90 was computed and never printed; with several seeds only recall after 10% was shown."""
    from screener.simulate import format_report, format_summary

    runs = [simulate(synthetic(n=80, n_inc=20), seed=s, dataset_name="synthetic", estimators=[],
                     config="svm-tfidf") for s in (1, 2)]
    m = runs[0].metrics()
    one = " ".join(format_report(runs[0]).split())
    assert f"Records screened to find 90% of the includes: {int(m['n@90'])}" in one, one
    assert f"Average position of an include (ATD): {100 * m['atd']:.1f}%" in one
    both = " ".join(format_summary(runs).split())
    for words in ("Recall after screening 5%:", "Recall after screening 20%:",
                  "Records screened to find 90% of the includes:", "(ATD):"):
        assert words in both, both


def test_no_include_left_after_the_priors_is_said_and_no_stop_is_listed():
    """The only include was the prior: the report gave no warning, and listed each stopping
    method's stop with recall '–'."""
    from screener.simulate import format_report, format_summary

    df = synthetic()
    first = df.index[df["label_included"] == 1][0]
    df["label_included"] = 0
    df.loc[first, "label_included"] = 1
    runs = [simulate(df, seed=s, dataset_name="one", config="svm-tfidf") for s in (1, 2)]
    assert len(runs[0].stopping_rows())  # the methods did answer; their stops mean nothing
    for text in (format_report(runs[0]), format_summary(runs)):
        flat = " ".join(text.split())
        assert ("Nothing to measure: the dataset's only include is among the prior records, so no include is left "
                "to find.") in flat, flat
        assert "stopping method" not in flat.lower() and "recall then" not in flat and "below 95%" not in flat, flat


def test_an_ris_dataset_whose_accession_numbers_repeat_is_numbered_not_refused(tmp_path):
    """Joined exports repeat accession numbers (AN); RIS has no record_id column to correct, so
    its records are numbered in file order, as before."""
    from screener.simulate import read_labelled

    path = tmp_path / "joined.ris"
    path.write_text("".join(
        f"TY  - JOUR\nTI  - {t} study of peer work\nAB  - Abstract {t}\nAN  - {an}\n"
        f"N1  - Screening decision (screener): {d}\nER  - \n\n"
        for t, an, d in (("Alpha", "12345", "include"), ("Beta", "12345", "exclude"), ("Gamma", "999", "exclude"))))
    df = read_labelled(path)
    assert df["record_id"].tolist() == ["1", "2", "3"] and df["label_included"].tolist() == [1, 0, 0]


def test_a_dataset_with_no_include_is_not_told_its_includes_are_the_priors():
    from screener.simulate import format_report

    df = synthetic()
    df["label_included"] = 0
    try:
        run = simulate(df, seed=1, dataset_name="none", config="svm-tfidf", priors=0,
                       protocol_text="Peer workers in drug services")
    except Exception as err:  # refusing such a dataset outright is as good
        assert "include" in str(err)
        return
    flat = " ".join(format_report(run).split())
    assert "the dataset has no include" in flat and "prior records" not in flat and "--priors 0" not in flat, flat


def test_a_workbook_record_without_a_label_is_named_by_its_sheet_row(tmp_path):
    from openpyxl import Workbook

    from screener.simulate import read_labelled

    wb = Workbook()
    ws = wb.active
    ws.append(["record_id", "title", "abstract", "label_included"])
    ws.append([1, "Peer work in services", "An abstract", 1])
    ws.append([2, "Another record", "An abstract", None])
    path = tmp_path / "labelled.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match=r"\(row 3: empty\)"):
        read_labelled(path)


def test_an_export_of_a_review_stopped_early_counts_its_unscreened_records_as_excludes(tmp_path):
    """A review stopped on the stopping advice has records never screened: no decision at either
    stage. They are not among its final includes; the export was refused, told to finish the
    full-text screening."""
    from screener.simulate import read_labelled

    path = _project_export(tmp_path / "export.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    never = df.index[(df["decision"] == "exclude")][:20]
    df.loc[never, "decision"] = ""  # never screened
    df.to_csv(path, index=False)
    out = read_labelled(path)
    assert int(out["label_included"].sum()) == 5 and len(out) == 60
    assert "and so are the 20 never screened" in " ".join(out.attrs["includes_from"].split())


def test_a_folder_given_as_the_plot_is_refused_before_the_replay(tmp_path):
    from screener.simulate import simulate_cli

    path = tmp_path / "tiny.csv"
    synthetic().to_csv(path, index=False)
    with pytest.raises(InputError, match="--plot names a folder; give the picture's file name"):
        simulate_cli(path, model="svm-tfidf", stopping=False, plot=tmp_path)


def _tool_export(df, path, note):
    """``df`` as Rayyan's CSV (a notes column) or, for a .ris path, an RIS export whose N1 notes
    carry each record's decision as ``note(label)`` writes it."""
    if path.suffix == ".ris":
        path.write_text("".join(f"TY  - JOUR\nTI  - {r.title}\nAB  - {r.abstract}\nPY  - 2020\nN1  - "
                                f"{note(r.label_included)}\nER  - \n\n" for r in df.itertuples()))
    else:
        df.assign(key=range(1, len(df) + 1), notes=[note(x) for x in df["label_included"]]).drop(
            columns=["record_id", "label_included"]).to_csv(path, index=False)
    return path


def test_rayyan_and_asreview_exports_are_read_from_their_notes(tmp_path):
    """Rayyan (CSV or RIS) and ASReview (RIS) write each record's decision into its notes: simulate
    said 'no record has an include/exclude decision' (its advice naming 'RIS notes from Rayyan')."""
    from screener.simulate import read_labelled

    df = synthetic()
    want = df["label_included"].tolist()

    def rayyan(x):
        return 'RAYYAN-INCLUSION: {"Ana"=>"%s"}' % ("Included" if x else "Excluded")

    for name, note, where in (("rayyan.csv", rayyan, "Rayyan's RAYYAN-INCLUSION notes"),
                              ("rayyan.ris", rayyan, "Rayyan's RAYYAN-INCLUSION notes"),
                              ("asreview.ris", lambda x: "ASReview_relevant" if x else "ASReview_irrelevant",
                               "ASReview's notes")):
        got = read_labelled(_tool_export(df, tmp_path / name, note))
        assert got["label_included"].tolist() == want, name
        assert got.attrs["includes_from"].startswith(f"Includes: the 8 of 60 records marked include in {where}")

    # two reviewers who disagree: the review's decision is not known
    def conflict(x, i=iter(range(60))):
        return 'RAYYAN-INCLUSION: {"Ana"=>"Included", "Ben"=>"Excluded"}' if next(i) == 3 else rayyan(x)

    with pytest.raises(InputError, match=r"1 record was decided differently by the reviewers in Rayyan \(row 5: "
                                         r"Ana include, Ben exclude\)"):
        read_labelled(_tool_export(df, tmp_path / "conflict.csv", conflict))


def test_a_second_decision_column_is_named_beside_the_one_read(tmp_path):
    """An ASReview export keeps the dataset's label_included beside the reviewer's own 'included':
    simulate measured against label_included without a word about the other (an import says it)."""
    from screener.simulate import read_labelled

    df = synthetic()
    df["included"] = 0
    df.to_csv(tmp_path / "asreview.csv", index=False)
    got = read_labelled(tmp_path / "asreview.csv")
    assert got.attrs["includes_from"] == (
        "Includes: the 8 of 60 records marked include in column 'label_included'; the file also has the decision "
        "column 'included' (to measure against it instead: --column label=included).")
    assert "also has" not in read_labelled(tmp_path / "asreview.csv", {"label": "included"}).attrs["includes_from"]


def test_a_replay_without_a_refit_gives_no_reordering_time():
    """Every record an include, one prior: the model never refits, and the report said reordering
    'took nan ms typically, nan ms at most in 95 of 100'."""
    from screener.simulate import format_report

    df = synthetic(n=12).assign(label_included=1)
    text = format_report(simulate(df, config="svm-tfidf", seed=1, priors=(1, 0), estimators=[]))
    assert "nan" not in text
    assert "(0 times the model was retrained)" in text


def test_a_seed_given_twice_is_replayed_once(tmp_path):
    """--seeds 1,1,2 replayed seed 1 twice: 'Over the 3 seeds (1, 1, 2)', its order counted twice
    in the mean and range, and o-seed1.npz written twice."""
    from screener.simulate import simulate_cli

    synthetic(n=20, n_inc=4).to_csv(tmp_path / "d.csv", index=False)
    results, report = simulate_cli(tmp_path / "d.csv", model="svm-tfidf", seed="1,1-2", stopping=False)
    assert [r.seed for r in results] == [1, 2]
    assert "Over the 2 seeds (1, 2)" in report


def test_a_dataset_without_includes_is_named_with_what_to_check(tmp_path):
    """Every record an exclude: 'the dataset has 0 includes and 40 excludes; ... (use --priors 0
    for a cold start)' named no file and sent the reviewer to a cold start that has nothing to find."""
    from screener.simulate import simulate_cli

    f = tmp_path / "all_excluded.csv"
    pd.DataFrame({"title": [f"Study {i} of mice" for i in range(12)], "label_included": 0}).to_csv(f, index=False)
    with pytest.raises(ScreenerError, match=r"all_excluded.csv: the dataset has no include \(all 12 records are "
                                            r"excludes\).*Check the decision column") as err:
        simulate_cli(f, model="svm-tfidf", stopping=False)
    assert "--priors 0" not in str(err.value)


def test_out_naming_a_folder_is_refused_before_the_replay_and_leaves_no_part_file(tmp_path):
    """'simulate --out run.npz' where run.npz is a folder replayed every record, then failed with
    'run.npz.part: Is a directory' and left run.npz.part behind."""
    from screener.simulate import simulate_cli

    f = tmp_path / "labelled.csv"
    pd.DataFrame({"title": [f"Peer study {i}" if i % 4 == 0 else f"Mouse study {i}" for i in range(12)],
                  "label_included": [int(i % 4 == 0) for i in range(12)]}).to_csv(f, index=False)
    (tmp_path / "run.npz").mkdir()
    for out in ("run.npz", "run"):
        with pytest.raises(InputError, match=r"--out would save to .*run.npz, which is a folder; give the file's "
                                             "name"):
            simulate_cli(f, model="svm-tfidf", stopping=False, out=tmp_path / out)
    assert not list(tmp_path.glob("*.part"))


def test_a_result_that_fails_to_save_leaves_no_part_file(tmp_path, monkeypatch):
    from screener.simulate import simulate

    df = pd.DataFrame({"record_id": [str(i) for i in range(10)], "title": [f"Study {i}" for i in range(10)],
                       "abstract": "", "label_included": [1, 0, 0, 1, 0, 0, 0, 0, 0, 0]})
    res = simulate(df, config="svm-tfidf", seed=1, estimators=[])

    def disk_full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", disk_full)
    with pytest.raises(OSError):
        res.save(tmp_path / "run.npz")
    assert not list(tmp_path.iterdir())


def test_a_project_folder_given_to_simulate_says_to_export_it(tmp_path):
    """'simulate REVIEW' (a project folder) said 'this is a folder, not a file. Give the export
    file itself', with no word of which export."""
    from screener.project import Project
    from screener.simulate import simulate_cli

    Project.init(tmp_path / "review").close()
    with pytest.raises(InputError, match=r"review: this is a screener project.*Export the project first \('screener "
                                         r"export .*review -o review.csv'\)"):
        simulate_cli(tmp_path / "review", stopping=False)


def test_a_team_server_project_folder_given_to_simulate_says_to_export_it_too(tmp_path):
    """A review kept on PostgreSQL (its folder holds database.url, no project file): 'simulate REVIEW' said 'this
    is a folder, not a file. Give the export file itself', where a review kept in a project file is told to export
    it, or to check it against its final includes with 'screener evaluate'."""
    from screener.project import DB_URL_FILE
    from screener.simulate import simulate_cli

    (tmp_path / "review").mkdir()
    (tmp_path / "review" / DB_URL_FILE).write_text("postgresql://screener@localhost/review\n")
    with pytest.raises(InputError, match=r"review: this is a screener project.*Export the project first \('screener "
                                         r"export .*review -o review.csv'\)"):
        simulate_cli(tmp_path / "review", stopping=False)


def test_plot_under_another_kind_of_name_is_refused_before_the_replay(tmp_path):
    """'simulate --plot curve.pdf' wrote PNG bytes named .pdf ('Saved the recall curve to curve.pdf')."""
    from screener.simulate import simulate_cli

    f = tmp_path / "labelled.csv"
    pd.DataFrame({"title": [f"Study {i}" for i in range(6)],
                  "label_included": [1, 0, 0, 1, 0, 0]}).to_csv(f, index=False)
    with pytest.raises(InputError, match=r"curve.pdf: --plot draws a PNG picture; name the file curve.png"):
        simulate_cli(f, model="svm-tfidf", stopping=False, plot=tmp_path / "curve.pdf")
    assert not (tmp_path / "curve.pdf").exists()


@pytest.mark.parametrize("fmt", ["csv", "ris"])
def test_an_export_with_its_duplicate_copies_screens_each_study_once(tmp_path, fmt):
    """'screener export --with-duplicates' writes every copy of a study with the study's decisions:
    replayed as it was, a study found in two databases was two records and two includes, its
    second copy found right after the first, and WSS and recall were those of a review with one
    include more than it had."""
    from screener.project import Project
    from screener.simulate import read_labelled

    df = synthetic(n=40, n_inc=5)
    search = df.rename(columns={"title": "Title", "abstract": "Abstract"})[["Title", "Abstract"]]
    search["DOI"] = [f"10.1234/s{i}" for i in range(len(df))]
    first, copies = tmp_path / "medline.csv", tmp_path / "embase.csv"
    search.to_csv(first, index=False)
    search.iloc[[0, 1, 2]].to_csv(copies, index=False)  # an include (row 0) and two excludes, found twice
    with Project.init(tmp_path / "review") as p:
        p.import_files([first, copies])
        recs = p.records_frame()
        assert len(recs) == 40
        for rid, title in zip(recs.index, recs["title"]):
            inc = bool(df.loc[df["title"] == title, "label_included"].iloc[0])
            p.decide(int(rid), "include" if inc else "exclude", reviewer="ana")
        out = tmp_path / f"export.{fmt}"
        assert p.export(out, fmt, include_duplicates=True) == 43
    got = read_labelled(out)
    assert len(got) == 40 and int(got["label_included"].sum()) == 5
    said = " ".join(got.attrs["includes_from"].split())
    assert "the 5 of 40 records" in said and "3 duplicate copies" in said, said


def test_question_and_protocol_together_are_refused_and_the_report_says_a_protocol_ranked(tmp_path):
    """'simulate --question Q --protocol FILE' replayed with the protocol and dropped the question
    without a word; and a replay with 1+1 priors and a protocol was reported (and plotted) as the
    same system as one without it, so two different set-ups read alike in a methods table."""
    from screener.simulate import simulate_cli

    path = tmp_path / "review.csv"
    synthetic().to_csv(path, index=False)
    (tmp_path / "protocol.toml").write_text('title = "Peer workers in harm reduction services"\n')
    with pytest.raises(InputError, match="--question or --protocol, not both"):
        simulate_cli(path, model="lexical", priors="0", stopping=False, question="peer workers",
                     protocol=tmp_path / "protocol.toml")
    _, with_protocol = simulate_cli(path, model="lexical", stopping=False, protocol=tmp_path / "protocol.toml")
    _, with_question = simulate_cli(path, model="lexical", stopping=False, question="peer workers")
    _, without = simulate_cli(path, model="lexical", stopping=False)
    assert "screener-lexical, ranked with the protocol as well" in with_protocol
    assert "screener-lexical, ranked with the review question as well" in with_question
    assert "ranked with" not in without


def test_the_plot_of_a_replay_with_no_include_left_marks_no_stopping_point(tmp_path, monkeypatch):
    """With every include among the prior records the report said 'no stopping point is given',
    while the --plot drew where four stopping methods 'stopped' on a flat line of nothing to find:
    the text and the picture told two stories."""
    import screener.plots as plots
    from screener.simulate import simulate_cli

    drawn = []
    real = plots.plot_recall_curves
    monkeypatch.setattr(plots, "plot_recall_curves", lambda curves, path, **kw: drawn.extend(curves) or
                        real(curves, path, **kw))
    path = tmp_path / "two.csv"
    synthetic().assign(label_included=lambda d: (d.index < 2).astype(int)).to_csv(path, index=False)
    _, report = simulate_cli(path, model="lexical", priors="2,1", plot=tmp_path / "curve.png")
    assert "no stopping point is given" in report and (tmp_path / "curve.png").exists()
    assert drawn and all(not c.stops for c in drawn)
    drawn.clear()
    simulate_cli(tmp_path / "two.csv", model="lexical", priors="1,1", plot=tmp_path / "curve1.png")
    assert any(c.stops for c in drawn)  # with an include left to find, the stops are drawn as before


def test_the_plot_draws_the_95_percent_line_its_stops_and_n95_are_read_against(tmp_path, monkeypatch):
    """The report gives n@95, WSS@95 and each method's stop 'at target recall 95%', but the --plot drew no line
    at 95% of the includes: a stop one include short of the target looked like one that had reached it."""
    import screener.plots as plots
    from screener.simulate import simulate_cli

    asked = []
    real = plots.plot_recall_curves
    monkeypatch.setattr(plots, "plot_recall_curves", lambda curves, path, **kw: asked.append(kw) or
                        real(curves, path, **kw))
    path = tmp_path / "review.csv"
    synthetic().to_csv(path, index=False)
    simulate_cli(path, model="lexical", plot=tmp_path / "curve.png")
    assert asked and asked[0].get("target") == 0.95 and (tmp_path / "curve.png").exists()


def test_a_decision_column_under_another_name_is_refused_with_the_option_that_names_it(tmp_path):
    """A table whose decisions sit in a column screener does not recognise ('verdict') was refused
    with 'check what the column is called in this file', never saying that --column label=NAME
    names it (the README's way), so the reviewer was left to rename the column by hand."""
    from screener.simulate import simulate_cli

    path = tmp_path / "review.csv"
    synthetic().assign(verdict=lambda d: d.pop("label_included").map({1: "Yes", 0: "No"})).to_csv(path, index=False)
    with pytest.raises(InputError, match="--column label=NAME") as err:
        simulate_cli(path, model="lexical", stopping=False)
    assert "columns: record_id, title, abstract, verdict" in str(err.value)
    results, _ = simulate_cli(path, model="lexical", stopping=False, column_map={"label": "verdict"})
    assert int(np.asarray(results[0].labels).sum()) == 8


def test_too_few_labels_for_the_priors_are_counted_in_words():
    """'--priors 2,1' on a dataset with a single include read 'the dataset has 1 includes and 5 excludes;
    2 include(s) and 1 exclude(s) are needed'."""
    from screener.simulate import choose_priors

    with pytest.raises(ScreenerError) as err:
        choose_priors([1, 0, 0, 0, 0, 0], seed=0, priors=(2, 1))
    assert str(err.value).startswith("the dataset has 1 include and 5 excludes; 2 includes and 1 exclude are "
                                     "needed as prior knowledge"), str(err.value)
    assert "(s)" not in str(err.value)


@pytest.mark.parametrize("cheap_s", [0.0, 1e9])
def test_no_stop_before_the_first_include_as_in_the_app(cheap_s):
    """A cold start whose one include comes last: 'screener status' says keep screening while no include
    is found (recall has no meaning yet), but the replay said the hypergeometric test would stop after
    191 of 200 records, "recall then 0.0%". No method stops before the first include; at the end, all do."""
    from screener.simulate import estimate_stopping
    from screener.stopping.advice import default_estimators

    y = np.zeros(200, dtype=int)
    y[-1] = 1
    est = estimate_stopping(y, 0, default_estimators(compute_needs=False), checkpoints=None, cheap_s=cheap_s)
    stops = est[est["stop"]]
    assert len(stops) and (stops["step"] == 200).all(), stops.drop_duplicates(["method", "target"])


def test_an_export_whose_rest_was_excluded_unread_says_those_excludes_were_never_read(tmp_path):
    """A review stopped with the rest excluded unread: its export marks them (excluded_unread). Simulated
    against, they were read as 20 excludes like any other, and the replay's recall as measured on a review read
    through; the note on where the includes come from now says that nobody read them."""
    from screener.io.ris import UNREAD_CELL
    from screener.simulate import read_labelled

    path = _project_export(tmp_path / "export.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    rest = df.index[(df["decision"] == "exclude")][:20]
    df["excluded_unread"] = ""
    df.loc[rest, "excluded_unread"] = UNREAD_CELL
    df.to_csv(path, index=False)
    out = read_labelled(path)
    assert int(out["label_included"].sum()) == 5 and len(out) == 60
    said = " ".join(out.attrs["includes_from"].split())
    assert ("20 of the excludes were excluded unread when the review stopped (its excluded_unread column)"
            in said), said


def test_simulate_and_evaluate_take_the_embedding_model_as_the_ranking_commands_do(tmp_path):
    """'screener next --embedding-model none' ranks on the words alone; 'screener simulate ... --embedding-model
    none', to replay that ranking, was refused: 'No such option: --embedding-model'. Both replays take it."""
    from typer.testing import CliRunner

    from screener.cli import app

    path = tmp_path / "tiny.csv"
    synthetic().to_csv(path, index=False)
    res = CliRunner().invoke(app, ["simulate", str(path), "--seed", "3", "--no-stopping", "--embedding-model", "none"])
    assert res.exit_code == 0, res.output
    lexical = CliRunner().invoke(app, ["simulate", str(path), "--seed", "3", "--no-stopping", "-m", "lexical"])
    said = " ".join(res.output.split())
    assert "screener-lexical" in said and said.split("Records screened")[1][:200] == \
        " ".join(lexical.output.split()).split("Records screened")[1][:200], said
    res = CliRunner().invoke(app, ["simulate", str(path), "--no-stopping", "-m", "svm-tfidf",
                                   "--embedding-model", "none"])
    assert res.exit_code == 0 and "svm-tfidf" in res.output, res.output
    bad = CliRunner().invoke(app, ["simulate", str(path), "--no-stopping", "--embedding-model", "no-such-model"])
    assert bad.exit_code != 0 and "--embedding-model 'no-such-model': no such model here" in " ".join(
        bad.output.split()), bad.output
    finals = tmp_path / "finals.csv"
    data = synthetic()
    data[data["label_included"] == 1].to_csv(finals, index=False)
    res = CliRunner().invoke(app, ["evaluate", str(path), "-f", str(finals), "--seeds", "1",
                                   "--embedding-model", "none"])
    assert res.exit_code == 0 and "lexical" in res.output, res.output


def test_recall_at_a_stop_just_short_of_the_target_never_reads_as_the_target(monkeypatch):
    """A stop at 94.96% recall read "recall then 95.0%" under 'target recall 95%', as if the stop had reached it;
    a share screened of 99.96% read "100.0%", as if every record were screened."""
    from screener.simulate import format_report

    run = simulate(synthetic(n=80, n_inc=20), seed=1, dataset_name="synthetic", estimators=[], config="svm-tfidf")
    m = dict(run.metrics(), **{"recall@5%": 0.9996})
    monkeypatch.setattr(run, "metrics", lambda: m)
    monkeypatch.setattr(run, "stopping_rows", lambda: [
        {"method": "knee", "target": 0.95, "stop_n": 70, "recall_at_stop": 0.9496, "screened_at_stop": 0.9996}])
    flat = " ".join(format_report(run).split())
    assert "recall then 94.96%" in flat and "95.0%" not in flat, flat
    assert "(99.96%)" in flat and "Recall after screening 5% / 10% / 20%: 99.96%" in flat, flat


def test_a_ranking_model_the_options_cannot_give_is_refused_in_reviewer_words(tmp_path):
    """'screener simulate -m logreg-concat --embedding-model none' said "ranker 'logreg-concat' reads sentence
    embeddings; give an embedding model", and '-m foo' "unknown screener configuration 'foo'": neither named the
    option to change. They say what 'screener next' says now."""
    from typer.testing import CliRunner

    from screener.cli import app

    path = tmp_path / "tiny.csv"
    synthetic().to_csv(path, index=False)
    res = CliRunner().invoke(app, ["simulate", str(path), "--no-stopping", "-m", "logreg-concat",
                                   "--embedding-model", "none"])
    said = " ".join(res.output.split())
    assert res.exit_code != 0 and "ranker" not in said and "sentence embeddings" not in said, said
    assert ("the ranking model logreg-concat reads what the records mean, but the embedding model is 'none': give "
            "--embedding-model default, or a ranking model that reads the words alone (e.g. --model lexical)") in said
    res = CliRunner().invoke(app, ["simulate", str(path), "--no-stopping", "-m", "foo"])
    said = " ".join(res.output.split())
    assert res.exit_code != 0 and "unknown ranking model 'foo' (--model); choose one of: default," in said, said
    assert "Did you mean" not in said, said
    res = CliRunner().invoke(app, ["simulate", str(path), "--no-stopping", "-m", "svm-tfdf"])
    said = " ".join(res.output.split())
    assert res.exit_code != 0 and "Did you mean 'svm-tfidf'?" in said, said  # the closest, as 'next --model' says


def test_a_maybe_in_the_decision_column_says_what_to_write_in_its_place(tmp_path):
    """A project's export with a record marked maybe was refused with 'give it (1 or 0, include or exclude, yes or
    no), or leave out the records that were not screened': the maybe was screened, and the reviewer was not told
    what a maybe needs. It says so now."""
    from screener.simulate import read_labelled

    df = synthetic().rename(columns={"label_included": "decision"})
    df["decision"] = df["decision"].map({1: "include", 0: "exclude"}).astype(object)
    df.loc[3, "decision"] = "maybe"
    path = tmp_path / "export.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InputError) as e:
        read_labelled(path)
    msg = " ".join(str(e.value).split())
    assert "(row 5: maybe)" in msg and ("A maybe is neither an include nor an exclude: write the decision it came "
                                         "to (include or exclude) in its place, or leave the record out.") in msg, msg


def test_a_quick_replay_says_under_a_millisecond_not_no_time(monkeypatch):
    """A small replay read 'Time: 0.0 s screening (64 times the model was retrained; reordering the records after a
    decision took 0 ms typically, 0 ms at most in 95 of 100)': no time at all. Below what is shown it says so."""
    from screener.simulate import format_report

    run = simulate(synthetic(), seed=1, dataset_name="synthetic", estimators=[], config="svm-tfidf")
    m = dict(run.metrics(), wall_time_s=0.04, n_retrains=64, latency_median_s=0.0003, latency_p95_s=0.0004)
    monkeypatch.setattr(run, "metrics", lambda: m)
    flat = " ".join(format_report(run).split())
    assert ("Time: under 0.1 s screening (64 times the model was retrained; reordering the records after a decision "
            "took under 1 ms typically, under 1 ms at most in 95 of 100)") in flat, flat
    m.update(wall_time_s=12.34, latency_median_s=0.0123, latency_p95_s=0.0456)
    flat = " ".join(format_report(run).split())
    assert "Time: 12.3 s screening" in flat and "took 12 ms typically, 46 ms at most" in flat, flat


def test_the_summary_over_seeds_never_reads_a_share_short_of_all_as_all(monkeypatch):
    """Over the seeds, a stop after 99.96% of the records on average read 'screened 100.0% on average when it
    stopped', and a recall after 20% of 99.96% read '100.0%': as if every record, or include, were."""
    from screener.simulate import format_summary

    runs = [simulate(synthetic(), seed=s, dataset_name="synthetic", estimators=[], config="svm-tfidf") for s in (1, 2)]
    for run in runs:
        m = dict(run.metrics(), **{"recall@20%": 0.9996})
        monkeypatch.setattr(run, "metrics", lambda m=m: m)
        monkeypatch.setattr(run, "stopping_rows", lambda: [
            {"method": "knee", "target": 0.95, "stop_n": 50, "recall_at_stop": 1.0, "screened_at_stop": 0.9996}])
    flat = " ".join(format_summary(runs).split())
    assert "Recall after screening 20%: 99.96%" in flat and "screened 99.96% on average when it stopped" in flat, flat


def test_the_mean_records_screened_over_two_seeds_rounds_a_half_up():
    """Over two seeds that found every include after 141 and 160 records, 'Records screened to find all includes'
    read '150 (from 141 to 160)': 150.5 rounded to the even number, where a reviewer checking it writes 151."""
    from screener.simulate import format_summary

    class Run:
        def __init__(self, seed, n):
            self.seed, self.n = seed, n

        def metrics(self):
            return {"R": 10, "recall@5%": 0.1, "recall@10%": 0.2, "recall@20%": 0.5, "n@90": self.n - 20,
                    "n@95": self.n - 1, "n@100": self.n, "wss@95": 0.2, "wss@100": 0.1, "atd": 0.3}

        def stopping_rows(self):
            return []

    out = format_summary([Run(1, 141), Run(2, 160)])
    assert "Records screened to find all includes: 151 (from 141 to 160)" in out, out
    assert "Records screened to find 95% of the includes: 150 (from 140 to 159)" in out, out  # 149.5


def test_a_target_recall_other_than_95_percent_is_where_the_stops_are_judged(tmp_path, monkeypatch):
    """A rapid review aiming at 90% recall ('status --target-recall 0.9') replayed its review: simulate gave each
    method's stop and the seeds it fell short in only against 95%, so the stops it would have used were never shown.
    '--target-recall 0.9' now judges the stops, the seeds short of it and the plot's line at 90%, and says so."""
    import typer
    from typer.testing import CliRunner

    import screener.plots as plots
    from screener.cli.simulate_cmds import register
    from screener.simulate import method_name, simulate_cli

    asked = []
    real = plots.plot_recall_curves
    monkeypatch.setattr(plots, "plot_recall_curves", lambda curves, path, **kw: asked.append(kw) or
                        real(curves, path, **kw))
    path = tmp_path / "review.csv"
    synthetic(n=80, n_inc=20).to_csv(path, index=False)
    results, report = simulate_cli(path, model="lexical", seed="1-2", target_recall=0.9, plot=tmp_path / "c.png")
    flat = " ".join(report.split())
    assert "(target recall 90%)" in flat and "target recall 95%" not in flat and "below 95%" not in flat, flat
    rows = [row for r in results for row in r.stopping_rows() if abs(row["target"] - 0.9) < 1e-9]
    assert rows, "no stop judged at 90%"
    summary = report.split("Stopping methods over the seeds (target recall 90%):")[1]
    for method in dict.fromkeys(row["method"] for row in rows):
        mine = [row for row in rows if row["method"] == method]
        short = sum(row["stop_n"] is not None and not row["reached_target"] for row in mine)
        stopped = sum(row["stop_n"] is not None for row in mine)
        said = next(" ".join(line.split()) for line in summary.splitlines()
                    if line.strip().startswith(method_name(method) + " "))
        assert said.endswith("never stopped before the end in the 2 seeds (every record screened)") if not stopped \
            else said.endswith(f"below 90% recall in {short} of 2 seeds") if stopped == 2 \
            else said.endswith(f"below 90% recall in {short} of the 1 seed it stopped in; no stop in 1"), (method, said)
    one = results[0]
    for row in (row for row in one.stopping_rows() if abs(row["target"] - 0.9) < 1e-9):
        if row["stop_n"] is not None:
            assert f"after {row['stop_n']} records" in flat, flat
    assert asked and asked[0].get("target") == 0.9
    app = typer.Typer()
    register(app)
    bad = CliRunner().invoke(app, ["simulate", str(path), "--target-recall", "90", "--no-stopping"])
    assert bad.exit_code != 0 and "did you mean 0.9?" in " ".join(str(bad.exception).split()), bad.output
    res = CliRunner().invoke(app, ["simulate", str(path), "-m", "lexical", "--target-recall", "0.8"])
    assert res.exit_code == 0 and "(target recall 80%)" in res.output, res.output


def test_a_figure_every_seed_agrees_on_is_given_once_not_as_a_range_of_one_value():
    """Three seeds of a small review that all found every include after 48 records read 'Records screened to find
    all includes: 48 (from 48 to 48); WSS@100 57.1% (from 57.1% to 57.1%)': one figure said three times, where
    evaluate's table and the benchmark's give it once."""
    from screener.simulate import format_summary

    class Run:
        def __init__(self, seed, n90):
            self.seed, self.n90 = seed, n90

        def metrics(self):
            return {"R": 12, "recall@5%": 0.25, "recall@10%": 0.5, "recall@20%": 0.8333, "n@90": self.n90,
                    "n@95": 48, "n@100": 48, "wss@95": 0.5214, "wss@100": 0.5714, "atd": 0.15}

        def stopping_rows(self):
            return []

    out = format_summary([Run(1, 39), Run(2, 38), Run(3, 38)])
    lines = out.splitlines()
    assert "  Records screened to find all includes: 48; WSS@100 57.1%" in lines, out
    assert "  Records screened to find 95% of the includes: 48; WSS@95 52.1%" in lines, out
    assert "  Recall after screening 5%: 25.0%" in lines and "from" not in out.split("90%")[0], out
    assert "  Records screened to find 90% of the includes: 38 (from 38 to 39)" in lines, out  # 38.33: a range still


def test_a_stopping_method_that_never_stopped_in_any_seed_is_not_counted_as_short_of_the_target():
    """Over three seeds in which the knee method never said stop, simulate read 'knee method never stopped before
    the end; below 80% recall in 0 of 3 seeds', as if it had stopped three times; evaluate says 'never stopped
    before the end in the 3 seeds'. A method that stopped in two seeds of three counted its shortfalls out of 3."""
    from screener.simulate import format_summary, method_name

    class Run:
        def __init__(self, seed, rows):
            self.seed, self.rows = seed, rows

        def metrics(self):
            return {"R": 10, "recall@5%": 0.1, "recall@10%": 0.2, "recall@20%": 0.5, "n@90": 30,
                    "n@95": 40, "n@100": 50, "wss@95": 0.2, "wss@100": 0.1, "atd": 0.3}

        def stopping_rows(self):
            return self.rows

    def row(method, stop_n, recall):
        return {"method": method, "target": 0.8, "stop_n": stop_n, "recall_at_stop": recall,
                "screened_at_stop": 1.0 if stop_n is None else stop_n / 100}

    runs = [Run(s, [row("knee", None, 1.0), row("score_sample", stop, rec)])
            for s, stop, rec in ((1, 20, 0.7), (2, 40, 0.9), (3, None, 1.0))]
    lines = [" ".join(line.split()) for line in format_summary(runs, 0.8).splitlines()]
    assert f"{method_name('knee')} never stopped before the end in the 3 seeds (every record screened)" in lines, lines
    assert (f"{method_name('score_sample')} screened 30.0% on average when it stopped; below 80% recall in 1 of the "
            "2 seeds it stopped in; no stop in 1") in lines, lines


class _Spy:
    """Says go on; keeps the size of the review and the labels of each screening it was asked about."""

    name = "spy"

    def __init__(self):
        self.seen = []

    def estimate(self, h, target_recall=0.95, confidence=0.95):
        from screener.stopping.base import Estimate

        self.seen.append((h.n_total, tuple(int(v) for v in h.labels)))
        return Estimate(method=self.name, n_screened=h.n_screened, includes_found=h.includes_found,
                        remaining=float("nan"), remaining_low=float("nan"), remaining_high=float("nan"),
                        recall=float("nan"), recall_low=float("nan"), recall_high=float("nan"), stop=False)


def test_records_put_first_are_read_apart_by_the_stopping_methods_as_status_reads_them():
    """The known relevant records a project's protocol names are put first, whatever the ranking says ('next'), and
    'screener status' leaves them out of what its stopping methods read: they are found, but say nothing of where the
    includes left are (read as the ranking's best, four named includes and a run of excludes said "stop"). The
    replay put them first and read them as the ranking's top; it now leaves them out of what the methods read, as
    status does, and gives each method's answers at the step of the whole replay."""
    df = synthetic()
    y = df["label_included"].to_numpy()
    priors = choose_priors(y, 2)
    known = [int(i) for i in np.flatnonzero(y == 1) if i not in priors][:2]
    spy = _Spy()
    r = simulate(df, config="lexical", seed=2, estimators={"spy": spy}, first=known, checkpoints="all")
    assert set(r.order[2:4]) == set(df["record_id"].iloc[known])  # put first, right after the priors
    assert {n for n, _ in spy.seen} == {len(df) - 2}  # the review less the two put first
    longest = max(spy.seen, key=lambda s: len(s[1]))[1]
    assert longest == tuple(np.delete(r.labels, [2, 3]).tolist())
    assert r.estimates["step"].min() == 3 and r.estimates["step"].max() == len(df) - 2  # the whole replay's steps
    plain = _Spy()
    simulate(df, config="lexical", seed=2, estimators={"spy": plain}, checkpoints="all")
    assert {n for n, _ in plain.seen} == {len(df)}  # nothing put first: as before


def test_simulate_with_a_protocol_replays_its_known_relevant_records_first(tmp_path):
    """'simulate --protocol' with a protocol naming a known relevant study by DOI: 'screener next' shows it first,
    whatever its score, and the replay left it to the ranking (a study written in the excludes' words came near the
    end). It is screened right after the prior records, and the report says so."""
    from screener.simulate import simulate_cli

    df = synthetic()
    df["doi"] = [f"10.5555/syn.{i}" for i in range(len(df))]
    df.loc[len(df) - 1, "label_included"] = 1  # an include in the excludes' words: ranked near the end
    df.to_csv(tmp_path / "review.csv", index=False)
    protocol = tmp_path / "protocol.toml"
    protocol.write_text('title = "Peer workers in harm reduction drug services"\n'
                        f'known_relevant = ["10.5555/syn.{len(df) - 1}", "10.5555/not.there"]\n')
    results, report = simulate_cli(tmp_path / "review.csv", model="lexical", protocol=protocol, stopping=False)
    r = results[0]
    assert r.order[2] == df["record_id"].iloc[-1], list(r.order).index(df["record_id"].iloc[-1])
    flat = " ".join(report.split())
    assert ("The 1 record the protocol names as known relevant (by DOI or title) was screened first, right after "
            "the prior records, as 'screener next' shows it first") in flat, report
    assert "1 known relevant record the protocol names matches no record (10.5555/not.there)" in flat, report
    _, plain = simulate_cli(tmp_path / "review.csv", model="lexical", question="Peer workers in harm reduction",
                            stopping=False)
    assert "known relevant" not in plain


def test_the_records_screened_to_reach_a_target_recall_of_80_percent_are_given_beside_its_stops():
    """'simulate --target-recall 0.8' judged each stop at 80% ("recall then 81.2%"), but the figures above it gave
    the records screened to find 90%, 95% and all of the includes only: where the order reached the target the
    stops were judged at went unsaid. It is given, named as the target; at 95% the lines are as before."""
    import math

    from screener import metrics as M
    from screener.simulate import format_report, format_summary

    runs = [simulate(synthetic(n=80, n_inc=20), seed=s, dataset_name="synthetic", estimators=[],
                     config="svm-tfidf") for s in (1, 2)]
    n80 = [int(M.n_at_recall(r.labels, 0.8, r.n_priors)) for r in runs]
    lines = format_report(runs[0], 0.8).splitlines()
    said = f"  Records screened to find 80% of the includes (the target recall): {n80[0]}"
    assert said in lines and lines.index(said) + 1 == next(
        i for i, line in enumerate(lines) if "find 90% of the includes" in line), lines
    both = format_summary(runs, 0.8)
    mean = math.floor(sum(n80) / 2 + 0.5)
    assert ("  Records screened to find 80% of the includes (the target recall): "
            + (f"{mean}" if n80[0] == n80[1] else f"{mean} (from {min(n80)} to {max(n80)})")) in both.splitlines(), \
        both
    assert "target recall" not in format_report(runs[0]) and "80%" not in format_summary(runs)


def test_known_relevant_records_drawn_as_prior_records_are_said_so_in_words():
    """Of the protocol's known relevant records, one a seed drew as a prior record: the report said "(1 of them was
    drawn as prior records)". One is drawn as a prior record; two, as prior records. The only one, drawn as a prior
    record, was said "screened first, right after the prior records, unless drawn as one (as here)" and read apart
    by the stopping methods, which it was not: it was a prior record."""
    from screener.simulate import format_report

    df = synthetic()
    y = df["label_included"].to_numpy()
    priors = choose_priors(y, 2)
    others = [int(i) for i in np.flatnonzero(y == 1) if i not in priors]
    r = simulate(df, config="lexical", seed=2, estimators=[], first=[priors[0], others[0]])
    r.meta["known_first"] = 2
    flat = " ".join(format_report(r).split())
    assert "right after the prior records (1 of them was drawn as a prior record)" in flat, flat
    r = simulate(df, config="lexical", seed=2, estimators=[], first=[*priors, others[0]])
    r.meta["known_first"] = 3
    flat = " ".join(format_report(r).split())
    assert "right after the prior records (2 of them were drawn as prior records)" in flat, flat
    # every one drawn as a prior record: none screened first, none read apart
    r = simulate(df, config="lexical", seed=2, estimators=[], first=priors[:1])
    r.meta["known_first"] = 1
    flat = " ".join(format_report(r).split())
    assert ("The 1 record the protocol names as known relevant (by DOI or title) was drawn as a prior record in "
            "this replay; 'screener next' shows it first.") in flat, flat
    assert "screened first" not in flat and "without it" not in flat, flat


class _Two(_Spy):
    """Says go on, with two includes left (one to four); its recall is the screening's it was asked about."""

    def estimate(self, h, target_recall=0.95, confidence=0.95):
        from dataclasses import replace

        e = super().estimate(h, target_recall, confidence)
        found = h.includes_found
        return replace(e, remaining=2.0, remaining_low=1.0, remaining_high=4.0, recall=found / (found + 2),
                       recall_low=found / (found + 4), recall_high=found / (found + 1))


def test_records_put_first_count_as_found_in_the_recall_a_replay_estimates_as_status_counts_them():
    """'screener status' reads the stopping methods on the screening without the known relevant records put first,
    then counts their includes as found in the recall it shows (found / (found + left)). The replay kept the
    methods' recall of the screening without them: with two named includes found, it was lower than the one status
    would show at that step. It is status's figure now; the includes left and the stops are the methods' own."""
    df = synthetic()
    y = df["label_included"].to_numpy()
    priors = choose_priors(y, 2)
    known = [int(i) for i in np.flatnonzero(y == 1) if i not in priors][:2]
    r = simulate(df, config="lexical", seed=2, estimators={"two": _Two()}, first=known, checkpoints="all")
    found = np.cumsum(r.labels)[r.n_priors + r.estimates["step"].to_numpy() - 1]
    assert np.allclose(r.estimates["recall"], found / (found + 2))
    assert np.allclose(r.estimates["recall_low"], found / (found + 4))
    assert np.allclose(r.estimates["recall_high"], found / (found + 1))
    assert (r.estimates["remaining"] == 2).all()
    plain = simulate(df, config="lexical", seed=2, estimators={"two": _Two()}, checkpoints="all")
    found = np.cumsum(plain.labels)[plain.n_priors + plain.estimates["step"].to_numpy() - 1]
    assert np.allclose(plain.estimates["recall"], found / (found + 2))  # nothing put first: as before


def test_the_protocol_s_known_relevant_records_no_record_matches_are_named():
    """A replay's report names the protocol's known relevant entries that no record matches (five at most): they
    were not put first, as 'screener next' would have put them."""
    from types import SimpleNamespace

    from screener.simulate import _known_first_words

    res = SimpleNamespace(meta={"known_first": 0, "known_missing": [f"10.9/none{i}" for i in range(6)]}, n_priors=1)
    assert _known_first_words(res) == ["6 known relevant records the protocol names match no record (10.9/none0; "
                                       "10.9/none1; 10.9/none2; 10.9/none3; 10.9/none4; and 1 more), so they were "
                                       "not put first."]
    res.meta["known_missing"] = ["A study nobody found"]
    assert _known_first_words(res) == ["1 known relevant record the protocol names matches no record (A study "
                                       "nobody found), so it was not put first."]


def _toy_naming_includes(toy_review, tmp_path, n_include: int, named: int | None = None):
    """A 60-record toy review and a protocol naming its first ``named`` includes (all, by default) as known relevant
    by DOI: (csv, its table, truth by record id, the protocol's path, the named records' ids)."""
    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=n_include)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    ids = df.loc[df["label_included"] == 1, "record_id"].iloc[:named]
    protocol = tmp_path / "protocol.toml"
    protocol.write_text('title = "Peer workers with lived experience in harm reduction services"\nknown_relevant = ['
                        + ", ".join(f'"10.5555/toy.{r}"' for r in ids) + "]\n", encoding="utf-8")
    return csv, df, truth, protocol, ids


def test_qbcb_replayed_with_known_relevant_records_put_first_stops_where_status_says_stop(tmp_path, toy_review):
    """'screener status' asks QBCB on the whole screening, the known relevant records put first with the rest (the
    random sample's bound reads no order). The replay asked it on the screening without them, as it asks the methods
    that read the ranking: 'even if every record left were an include' counted 3 fewer includes found, and the replay
    stopped with 1 record left where status said stop with 2 left. Replayed along the same screening, it stops where
    status does."""
    from screener.project import Project
    from screener.screening import ScreeningSession
    from screener.simulate import replay_estimates
    from screener.status import recall_status
    from screener.stopping import QuantileBinomialStop
    from screener.stopping.base import ScreeningHistory

    csv, df, truth, protocol, named = _toy_naming_includes(toy_review, tmp_path, n_include=10, named=3)
    live = {}
    with Project.init(tmp_path / "review", protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
        order: list[int] = []
        while len(order) < len(df):
            batch = ScreeningSession(p, embedding_model="none").next_batch(10 if len(order) < 50 else 1, explain=False)
            for rid in batch["record_id"]:
                order.append(int(rid))
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
            if len(order) > 50:
                live[len(order)] = recall_status(p, target_recall=0.8)["estimates"]["qbcb"].stop
    assert set(order[:3]) == set(named)  # 'next' showed them first
    stops = [n for n, s in live.items() if s]
    assert stops and stops[0] == len(df) - 2, live  # status: even if the 2 records left were includes, 80% recall
    y = np.array([truth[r] for r in order])
    est = replay_estimates(y, 0, {"qbcb": QuantileBinomialStop(compute_needs=False)}, n_first=3, checkpoints="all",
                           targets=(0.8,))
    assert int(est.loc[est["stop"], "step"].min()) == stops[0], est.tail()
    # and simulate's replay, whose known relevant records come right after the prior records
    syn = synthetic()
    lab = syn["label_included"].to_numpy()
    known = [int(i) for i in np.flatnonzero(lab == 1) if i not in choose_priors(lab, 2)][:3]
    r = simulate(syn, config="lexical", seed=2, estimators={"qbcb": QuantileBinomialStop(compute_needs=False)},
                 first=known, checkpoints="all", targets=(0.8,))
    q = QuantileBinomialStop()
    whole = [k for k in range(1, len(syn) - r.n_priors + 1)
             if q.estimate(ScreeningHistory(labels=r.labels[: r.n_priors + k], n_total=len(syn)), 0.8).stop]
    assert r.stop_points(0.8)["qbcb"] == whole[0], (r.stop_points(0.8), whole[0])


def test_the_coverage_of_a_replay_with_records_put_first_is_checked_where_the_replay_asked_the_methods():
    """The benchmark checks each interval when 25, 50 and 75% of the includes are found, where the replay asks every
    method, one too slow to be asked at every record too (``estimate_stopping``). With known relevant records put
    first, the replay asks at 25% of the includes the methods read (without them), and ``to_stopping_run`` checked
    at 25% of all the includes, those put first counted: another step, one a slow method has no answer at, so its
    figure hung on the machine's speed. It reads the answer the replay asked for."""
    from screener.simulate import EST_COLUMNS, SimulationResult
    from screener.stopping.evaluate import run_metrics

    ranked = [0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] + [0] * 20
    labels = np.array([1, 0] + [1, 1] + ranked)  # 2 prior records, 2 put first (both includes), then the ranking
    steps = np.arange(3, len(labels) - 2 + 1)  # the methods' answers begin after the records put first
    est = pd.DataFrame({"step": steps, "method": "m", "target": 0.95, "recall": np.nan, "recall_low": np.nan,
                        "recall_high": np.nan, "remaining": 4.0, "remaining_low": 3.0, "remaining_high": 5.0,
                        "stop": False})[list(EST_COLUMNS)]
    r = SimulationResult(dataset="d", system="s", seed=1, n_priors=2, order=[f"r{i}" for i in range(len(labels))],
                         labels=labels, retrained=np.zeros(len(labels), bool), wall_time_s=0.0, estimates=est,
                         meta={"first": 2})
    # 25% of the 6 includes the methods read: 2, at step 2 + 5 (4 includes left); of all 8, the first after the 2
    # put first (6 left)
    row = run_metrics(r.to_stopping_run()).iloc[0]
    assert row["covered_25"] == 1.0 and row["above_25"] == 0.0, row
    r.meta["first"] = 0  # nothing put first: 25% of all the includes, as before
    assert run_metrics(r.to_stopping_run()).iloc[0]["covered_25"] == 0.0


def test_the_known_relevant_records_no_record_matches_are_named_once_over_several_seeds(tmp_path):
    """'simulate --protocol --seed 1-3': the protocol's known relevant entries no record matches were named in each
    seed's report, the same sentence three times; they are the protocol's and the file's, not a seed's. Named once,
    before the seeds' reports; each seed still says where the ones matched were screened."""
    from screener.simulate import simulate_cli

    df = synthetic()
    df["doi"] = [f"10.5555/syn.{i}" for i in range(len(df))]
    df.to_csv(tmp_path / "review.csv", index=False)
    inc = int(np.flatnonzero(df["label_included"].to_numpy() == 1)[-1])
    protocol = tmp_path / "protocol.toml"
    protocol.write_text('title = "Peer workers in harm reduction drug services"\n'
                        f'known_relevant = ["10.5555/syn.{inc}", "10.5555/not.there"]\n')
    _, report = simulate_cli(tmp_path / "review.csv", model="lexical", protocol=protocol, stopping=False, seed="1-3")
    flat = " ".join(report.split())
    said = "1 known relevant record the protocol names matches no record (10.5555/not.there), so it was not put first."
    assert flat.count(said) == 1, report
    assert flat.index(said) < flat.index("Simulated screening of review"), report
    assert flat.count("as known relevant (by DOI or title)") == 3, report
    _, one = simulate_cli(tmp_path / "review.csv", model="lexical", protocol=protocol, stopping=False, seed=1)
    assert " ".join(one.split()).count(said) == 1, one  # one seed: in its report, as before


def test_a_replay_whose_includes_were_all_put_first_stops_where_status_says_stop(tmp_path, toy_review):
    """A cold start whose protocol names every include: 'screener status' counts them found, so recall has a meaning
    from the first of them on, and the hypergeometric test on the records screened since said stop with 2 records
    left. The replay read 'no include found yet' off the screening without them and gave no stop before the last
    record. It reads the first include as status does, those put first counted."""
    from screener.project import Project
    from screener.screening import ScreeningSession
    from screener.simulate import replay_estimates
    from screener.status import recall_status
    from screener.stopping import HypergeometricStop

    csv, df, truth, protocol, named = _toy_naming_includes(toy_review, tmp_path, n_include=6)
    live = {}
    with Project.init(tmp_path / "review", protocol=protocol) as p:
        p.import_files([csv], column_map={"label": None})
        order: list[int] = []
        for size in (10, 10, 10, 10, 10, 7, 1, 1, 1):
            for rid in ScreeningSession(p, embedding_model="none").next_batch(size, explain=False)["record_id"]:
                order.append(int(rid))
                p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
            if 57 <= len(order) < len(df):
                live[len(order)] = recall_status(p)["estimates"]["hypergeometric"].stop
    assert set(order[:6]) == set(named)  # 'next' showed them first, every include
    assert live == {57: False, 58: True, 59: True}, live  # status: stop with 2 records left
    y = np.array([truth[r] for r in order])
    est = replay_estimates(y, 0, {"hypergeometric": HypergeometricStop(compute_needs=False)}, n_first=6,
                           checkpoints="all")
    est = est[est["target"] == 0.95]
    assert int(est.loc[est["stop"], "step"].min()) == 58, est.tail()
    # asked at the default checkpoints too (a method too slow to be asked at every record searches from it)
    slow = replay_estimates(y, 0, {"hypergeometric": HypergeometricStop(compute_needs=False)}, n_first=6)
    assert int(slow.loc[slow["stop"] & (slow["target"] == 0.95), "step"].min()) == 58
