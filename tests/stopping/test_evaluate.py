import numpy as np
import pytest

from screener.stopping.base import Estimate
from screener.stopping.consecutive import ConsecutiveExcludesStop
from screener.stopping.evaluate import (
    SimulatedRun,
    estimates_for_order,
    evaluate,
    records_to_reach,
    stopping_trace,
    summarise,
)
from screener.stopping.hypergeometric import HypergeometricStop

LABELS = np.array([1, 0, 1, 0, 0, 1, 0, 0, 0, 0])  # N = 10, R = 3


def est(n, stop, low=float("nan"), high=float("nan")):
    return Estimate("m", n, int(LABELS[:n].sum()), float("nan"), low, high, float("nan"), float("nan"), float("nan"), stop)


def test_records_to_reach():
    assert records_to_reach(LABELS, 0.95) == 6
    assert records_to_reach(LABELS, 0.5) == 3  # 2 of 3 includes
    assert records_to_reach(LABELS, 0.25) == 1
    assert records_to_reach(LABELS, 0.95, n_priors=1) == 6 - 1


def test_metrics_by_hand():
    run = SimulatedRun(
        labels=LABELS,
        estimates={
            "late": {0.95: [est(4, False), est(6, True)], 0.8: [est(6, True)]},
            "early": {0.95: [est(3, True)], 0.8: [est(3, True)]},
            "never": {0.95: [est(9, False)], 0.8: [est(9, False)]},
        },
    )
    df = evaluate([run]).set_index(["method", "target"])
    late = df.loc[("late", 0.95)]
    assert late.recall_at_stop == 1.0 and late.screened_at_stop == 0.6 and late.excess == pytest.approx(0.0)
    early = df.loc[("early", 0.95)]
    assert early.recall_at_stop == pytest.approx(2 / 3) and not early.reached_target
    assert early.excess == pytest.approx(0.3 - 0.6)
    never = df.loc[("never", 0.95)]
    assert never.recall_at_stop == 1.0 and never.screened_at_stop == 1.0 and never.excess == pytest.approx(0.4)
    assert not never.stopped
    # at 80%: n(0.8) = 6 as well (3 includes: 2/3 < 0.8)
    assert df.loc[("early", 0.8)].excess == pytest.approx(-0.3)
    s = summarise(evaluate([run, run])).set_index(["method", "target"])
    assert s.loc[("late", 0.95), "reliability"] == 1.0 and s.loc[("early", 0.95), "reliability"] == 0.0
    assert s.loc[("late", 0.95), "runs"] == 2


def test_priors_are_left_out():
    run = SimulatedRun(labels=LABELS, n_priors=1, estimates={"m": {0.95: [est(6, True)]}})
    row = evaluate([run], targets=(0.95,)).iloc[0]
    # N = 9, R = 2 (the prior include does not count); stop after 5 non-prior records
    assert row.N == 9 and row.R == 2
    assert row.screened_at_stop == pytest.approx(5 / 9) and row.recall_at_stop == 1.0


def test_coverage_checked_at_quarter_points():
    # at 25% (n=1, 2 left), 50% (n=3, 1 left), 75% (n=6, 0 left)
    ests = [est(1, False, 1, 3), est(3, False, 2, 4), est(6, True, 0, 0)]
    row = evaluate([SimulatedRun(labels=LABELS, estimates={"m": {0.95: ests}})], targets=(0.95,)).iloc[0]
    assert (row.covered_25, row.covered_50, row.covered_75) == (1.0, 0.0, 1.0)
    assert (row.above_25, row.above_50, row.above_75) == (0.0, 1.0, 0.0)  # 2-4 left said, 1 was
    below = evaluate([SimulatedRun(labels=LABELS, estimates={"m": {0.95: [est(3, False, 0, 0)]}})],
                     targets=(0.95,)).iloc[0]
    assert below.covered_50 == 0.0 and below.above_50 == 0.0  # a miss on the unsafe side
    nan_row = evaluate([SimulatedRun(labels=LABELS, estimates={"m": {0.95: [est(1, False)]}})], targets=(0.95,)).iloc[0]
    assert np.isnan(nan_row.covered_25)


def test_trace_matches_full_estimates():
    rng = np.random.default_rng(2)
    order = (rng.random(60) < np.linspace(0.6, 0.0, 60)).astype(int)
    ests = {"hg": HypergeometricStop(compute_needs=False), "c": ConsecutiveExcludesStop(8)}
    full = estimates_for_order(order, ests, checkpoints=range(1, 61))
    fast = stopping_trace(order, ests)
    runs_full = evaluate([SimulatedRun(labels=order, estimates=full)])
    runs_fast = evaluate([SimulatedRun(labels=order, estimates=fast)])
    cols = ["method", "target", "recall_at_stop", "screened_at_stop", "excess", "covered_25", "covered_50", "covered_75"]
    assert runs_full[cols].equals(runs_fast[cols])


def test_a_run_with_no_include_left_after_the_priors_is_not_a_reliable_stop():
    """A review with one include, drawn as the prior: no include is left to find, so a stop after 2 records says
    nothing about reliability. It was counted as recall 100% and target reached, raising every method's reliability
    (BENCHMARK.md: recall at stop divided by R; screener.metrics leaves such runs out as NaN)."""
    one = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])  # priors: the include and one exclude; R = 0 after them

    def e(n, stop):
        return Estimate("m", n, 1, float("nan"), float("nan"), float("nan"), float("nan"), float("nan"),
                        float("nan"), stop)

    empty = SimulatedRun(labels=one, n_priors=2, seed=2, estimates={"m": {0.95: [e(4, True)]}})
    missed = SimulatedRun(labels=LABELS, seed=1, estimates={"m": {0.95: [est(3, True)]}})  # 2 of 3 found
    per_run = evaluate([missed, empty], targets=(0.95,))
    assert list(per_run["seed"]) == [1]  # the run with nothing to find gives no row
    s = summarise(per_run).set_index(["method", "target"])
    assert s.loc[("m", 0.95), "reliability"] == 0.0 and s.loc[("m", 0.95), "runs"] == 1
    assert evaluate([empty], targets=(0.95,)).empty


def test_runs_with_nothing_left_to_find_summarise_to_an_empty_table():
    """Every run's only include drawn as a prior (a tiny review, or a synthetic grid at low prevalence):
    ``evaluate`` gives no row, and ``summarise`` of that raised KeyError 'method'; it is now an empty
    table with the summary's columns, as for any other set of runs."""
    one = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    e = Estimate("m", 4, 1, float("nan"), float("nan"), float("nan"), float("nan"), float("nan"), float("nan"), True)
    per_run = evaluate([SimulatedRun(labels=one, n_priors=2, seed=1, estimates={"m": {0.95: [e]}})], targets=(0.95,))
    s = summarise(per_run)
    assert s.empty and {"method", "target", "runs", "reliability", "recall_at_stop"} <= set(s.columns)
