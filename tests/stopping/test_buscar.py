import numpy as np
import pytest
from scipy.stats import hypergeom

from screener.stopping.base import ScreeningHistory
from screener.stopping.hypergeometric import HypergeometricStop, hypergeom_cdf_low, p_value


def brute_p(labels, N, missed):
    n_s = len(labels)
    best = 1.0
    for w in range(1, n_s + 1):
        k = int(np.sum(labels[n_s - w:]))
        pool, K = N - n_s + w, missed + k
        best = min(best, 0.0 if K > pool else float(hypergeom.cdf(k, pool, K, w)))
    return best


def test_p_value_by_hand():
    # after the include: 3 excludes drawn from the 5 then unscreened, 1 include among them:
    # P(0) = C(4,3)/C(5,3) = 0.4; the full window gives 0.6; the test takes the smaller
    assert p_value(np.array([1, 0, 0, 0]), 6, 1) == pytest.approx(0.4)


def test_p_value_matches_all_windows_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(60):
        n = int(rng.integers(1, 40))
        N = n + int(rng.integers(0, 80))
        lab = (rng.random(n) < rng.random()).astype(int)
        m = int(rng.integers(0, 5))
        b, p = brute_p(lab, N, m), p_value(lab, N, m)
        assert (b >= 0.5 and p >= 0.5) or p == pytest.approx(b, abs=1e-9)


def test_fast_cdf_matches_scipy():
    rng = np.random.default_rng(0)
    M = rng.integers(10, 3000, 500)
    K = (rng.random(500) * M * 0.5).astype(int)
    n = (rng.random(500) * M).astype(int)
    k = np.maximum(0, (n * K / M + 1 - rng.random(500) * 3 * np.sqrt(n * K / M + 1)).astype(int))
    np.testing.assert_allclose(hypergeom_cdf_low(k, M, K, n), hypergeom.cdf(k, M, K, n), rtol=1e-8, atol=1e-12)


def test_all_includes_early_stops_at_80_not_95():
    # 10 includes first, then 1490 excludes; 500 of 2000 left. One more include cannot be
    # ruled out (p = 500/1990), three more can (p ~ (500/1990)^3)
    h = ScreeningHistory.from_positions(range(1, 11), n_screened=1500, n_total=2000)
    est = HypergeometricStop()
    e95, e80 = est.estimate(h, 0.95), est.estimate(h, 0.8)
    assert not e95.stop and e80.stop
    # the interval does not depend on the target: at most 2 missed (p(2) = 0.063, p(3) = 0.016)
    assert e80.remaining_high == e95.remaining_high == 2
    assert e95.remaining_low == 0 and e95.recall_high == 1.0


def test_includes_spread_uniformly_never_stops():
    h = ScreeningHistory.from_positions(range(10, 1001, 10), n_screened=1000, n_total=2000)
    e = HypergeometricStop().estimate(h)
    assert not e.stop
    # includes keep coming at 1 in 10: the interval must allow about 100 more
    assert e.remaining_high >= 90 and e.recall_low < 0.6


def test_stop_agrees_with_interval_and_fast_paths():
    rng = np.random.default_rng(1)
    est = HypergeometricStop(compute_needs=False)
    for _ in range(40):
        N = int(rng.integers(50, 400))
        n = int(rng.integers(1, N))
        lab = (rng.random(n) < 0.3 * np.exp(-np.arange(n) / 30)).astype(int)
        h = ScreeningHistory.from_labels(lab, n_total=N)
        e = est.estimate(h, 0.9)
        assert e.stop == est.stops(h, 0.9)
        if h.includes_found:
            allowed = int(np.floor(h.includes_found * 0.1 / 0.9 + 1e-9))
            assert e.stop == (e.remaining_high <= allowed)
    full = ScreeningHistory.from_labels(lab, n_total=N)
    cps = [1, n // 2, n]
    assert est.stop_curve(full, cps, 0.9).tolist() == [est.stops(full.prefix(c), 0.9) for c in cps]


def test_records_needed_is_exact():
    h = ScreeningHistory.from_positions([1, 2, 3, 5, 8], n_screened=60, n_total=300)
    est = HypergeometricStop()
    e = est.estimate(h, 0.8)
    need = e.needs
    assert not e.stop and 0 < need < h.n_remaining

    def with_zeros(k):
        return ScreeningHistory.from_labels(np.concatenate((h.labels, np.zeros(k, int))), n_total=300)

    assert est.stops(with_zeros(need), 0.8) and not est.stops(with_zeros(need - 1), 0.8)


def test_edge_cases():
    est = HypergeometricStop()
    empty = est.estimate(ScreeningHistory.from_labels([], n_total=100))
    assert not empty.stop and empty.n_screened == 0
    done = est.estimate(ScreeningHistory.from_labels([0, 1, 0]))
    assert done.stop and done.remaining == 0 and done.recall == 1.0
    # no includes at all, 99% screened: "at least one include exists" is rejected
    none = est.estimate(ScreeningHistory.from_labels(np.zeros(990, int), n_total=1000))
    assert none.stop
    # one include, found first, half screened: far from enough
    one = est.estimate(ScreeningHistory.from_positions([1], 500, 1000))
    assert not one.stop and one.needs > 400


def test_the_note_speaks_of_screeners_ranking_not_the_ranker():
    """The status table and the report read 'Assumes the ranker finds includes ...': a programmer's word."""
    h = ScreeningHistory.from_positions(range(1, 11), n_screened=1500, n_total=2000)
    note = HypergeometricStop().estimate(h).note
    assert "ranker" not in note and "Assumes screener's ranking finds includes at least as fast as random" in note


def test_a_p_value_just_under_the_bar_never_reads_as_the_bar(monkeypatch):
    """p = 0.04996 read "p = 0.05 for 'recall below 95%'; stop", as if the bar p < 0.05 were not met."""
    import screener.stopping.hypergeometric as hg

    h = ScreeningHistory.from_positions(range(1, 11), n_screened=1500, n_total=2000)
    monkeypatch.setattr(hg, "p_value", lambda *a: 0.04996)
    e = HypergeometricStop(compute_needs=False).estimate(h)
    assert e.stop and e.note.startswith("p = 0.04996 for 'recall below 95%'; stop"), e.note
    monkeypatch.setattr(hg, "p_value", lambda *a: 0.0123456)
    assert HypergeometricStop(compute_needs=False).estimate(h).note.startswith("p = 0.0123 for"), e.note
