import math

import numpy as np
import pytest

from screener import metrics as M
from screener.errors import ScreenerError

PERFECT = [1, 1] + [0] * 8  # N = 10, R = 2
REVERSED = [0] * 8 + [1, 1]


def test_perfect_order():
    m = M.ranking_metrics(PERFECT)
    assert m["N"] == 10 and m["R"] == 2
    assert m["recall@5%"] == 0.5  # ceil(0.5) = 1 record screened, 1 of 2 includes
    assert m["recall@10%"] == 0.5
    assert m["recall@20%"] == 1.0
    assert m["rrf@10"] == m["recall@10%"]
    assert m["n@95"] == 2 and m["n@100"] == 2
    assert m["wss@95"] == pytest.approx(0.8 - 0.05)
    assert m["wss@100"] == pytest.approx(0.8)
    assert m["atd"] == pytest.approx(1.5 / 10)


def test_n_at_90_counts_the_records_to_the_includes_that_make_90_percent():
    labels = [1] * 9 + [0] * 5 + [1] + [0] * 5  # 10 includes: the 9th makes 90%, the 10th 100%
    m = M.ranking_metrics(labels)
    assert (m["n@90"], m["n@95"], m["n@100"]) == (9, 15, 15)


def test_reversed_order():
    m = M.ranking_metrics(REVERSED)
    assert m["recall@5%"] == 0 and m["recall@20%"] == 0
    assert m["n@95"] == 10
    assert m["n@90"] == 10  # 90% of 2 includes is both of them
    assert m["wss@95"] == pytest.approx(-0.05)
    assert m["wss@100"] == pytest.approx(0.0)
    assert m["atd"] == pytest.approx(9.5 / 10)


def test_priors_left_out_of_denominators():
    with_priors = [1, 0] + PERFECT
    m = M.ranking_metrics(with_priors, n_priors=2)
    assert m == M.ranking_metrics(PERFECT)
    # counted with the priors, the same order would look different
    assert M.ranking_metrics(with_priors)["R"] == 3


def test_recall_target_on_exact_boundary():
    # R = 20: 95% is exactly 19 includes; the 19th include is found at position 25
    y = [1] * 18 + [0] * 6 + [1] + [0] * 74 + [1]
    assert len(y) == 100 and sum(y) == 20
    assert M.includes_needed(20, 0.95) == 19
    assert M.n_at_recall(y, 0.95) == 25
    assert M.n_at_recall(y, 1.0) == 100
    assert M.wss(y, 0.95) == pytest.approx(0.75 - 0.05)
    # R = 16: 0.95 * 16 = 15.2, so all 16 are needed
    assert M.includes_needed(16, 0.95) == 16


def test_fractional_cutoff_rounds_up_to_whole_records():
    y = [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]  # N = 12; 10% is 1.2 -> 2 records
    assert M.recall_at_fraction(y, 0.10) == 0.5
    assert M.recall_at_fraction(y, 0.05) == 0.0  # 0.6 -> 1 record


def test_no_includes_after_priors_is_nan():
    m = M.ranking_metrics([1, 0, 0, 0], n_priors=2)
    assert m["R"] == 0
    assert math.isnan(m["wss@95"]) and math.isnan(m["atd"]) and math.isnan(m["n@95"])


def test_bad_labels_raise():
    with pytest.raises(ScreenerError):
        M.ranking_metrics([0, 2, 1])
    with pytest.raises(ScreenerError):
        M.ranking_metrics([0, 1], n_priors=3)


def test_latency_stats():
    s = M.latency_stats([0.1] * 19 + [2.0])
    assert s["latency_median_s"] == pytest.approx(0.1)
    assert 0.1 < s["latency_p95_s"] <= 2.0
    assert math.isnan(M.latency_stats([])["latency_median_s"])


def test_stopping_outcome():
    y = [1] * 18 + [0] * 6 + [1] + [0] * 74 + [1]
    early = M.stopping_outcome(y, 20, 0.95)
    assert early["recall_at_stop"] == pytest.approx(18 / 20)
    assert early["screened_at_stop"] == pytest.approx(0.20)
    assert early["excess"] == pytest.approx((20 - 25) / 100)
    assert not early["reached_target"]
    late = M.stopping_outcome(y, 40, 0.95)
    assert late["reached_target"] and late["excess"] == pytest.approx(0.15)
    never = M.stopping_outcome(y, None, 0.95)
    assert never["recall_at_stop"] == 1.0 and never["screened_at_stop"] == 1.0
    assert not never["stopped"]


def test_reliability():
    assert M.reliability([1.0, 0.96, 0.9, 0.95], 0.95) == 0.75
    assert M.reliability([1.0, float("nan")], 0.95) == 1.0
    assert math.isnan(M.reliability([], 0.95))


def test_found_curve():
    assert np.array_equal(M.found_curve([1, 0, 1], 0), [0, 1, 1, 2])
