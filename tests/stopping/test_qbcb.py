import numpy as np

from screener.stopping.base import ScreeningHistory
from screener.stopping.qbcb import QuantileBinomialStop, positives_needed, qbcb_rank


def test_positives_needed_and_rank():
    assert positives_needed(0.95, 0.95) == 59  # 0.95^59 < 0.05 < 0.95^58
    assert positives_needed(0.8, 0.95) == 14
    assert qbcb_rank(59, 0.95, 0.95) == 59
    assert qbcb_rank(58, 0.95, 0.95) is None
    j = qbcb_rank(40, 0.8, 0.95)
    assert 32 < j <= 40


def sample_then_ranked(r_sample, reached, n_ranked=400, n_total=3000, m=600):
    """A uniform sample of m (drawn first, r_sample includes), then ranked screening whose
    scores fall from 1.0 to 0.5; ``reached`` sample includes have scores above 0.5."""
    rng = np.random.default_rng(0)
    s_lab = np.zeros(m, int)
    s_lab[:r_sample] = 1
    s_sc = rng.uniform(0.0, 0.3, m)
    s_sc[:reached] = np.linspace(0.95, 0.55, reached)
    r_lab = (np.arange(n_ranked) < 50).astype(int)
    r_sc = np.linspace(1.0, 0.5, n_ranked)
    return ScreeningHistory(
        labels=np.r_[s_lab, r_lab], n_total=n_total,
        sampled=np.r_[np.ones(m, bool), np.zeros(n_ranked, bool)],
        scores_at_screening=np.r_[s_sc, r_sc],
        sample_probs=np.r_[np.full(m, m / n_total), np.full(n_ranked, np.nan)],
        sample_drawn_at=np.r_[np.zeros(m, int), np.full(n_ranked, -1)],
    )


def test_stops_exactly_when_the_jth_sample_include_is_passed():
    j = qbcb_rank(40, 0.8, 0.95)
    est = QuantileBinomialStop()
    yes = est.estimate(sample_then_ranked(40, j), 0.8)
    no = est.estimate(sample_then_ranked(40, j - 1), 0.8)
    assert yes.stop and not no.stop
    assert f"{j} of the sample's 40" in yes.note
    assert yes.remaining_low <= yes.remaining <= yes.remaining_high
    assert no.recall_low < 0.8


def test_too_small_a_sample_says_how_many_more():
    e = QuantileBinomialStop().estimate(sample_then_ranked(10, 10, n_total=10000), 0.95)
    assert not e.stop
    # 49 more sample includes at the sample's prevalence of 10/600
    assert e.sample_needs == int(np.ceil(49 / (10 / 600)))
    # never more than what is left
    assert QuantileBinomialStop().estimate(sample_then_ranked(10, 10), 0.95).sample_needs == 2000


def test_no_sample_or_non_uniform_sample():
    h = ScreeningHistory.from_positions([1, 2, 3], 100, 1000)
    e = QuantileBinomialStop().estimate(h)
    assert not e.stop and e.sample_needs > 0 and "no random sample" in e.note
    assert np.isnan(e.remaining)
    lab = np.r_[np.zeros(50, int), 1, np.zeros(49, int)]
    probs = np.r_[np.full(50, np.nan), np.linspace(0.01, 0.5, 50)]
    h2 = ScreeningHistory(labels=lab, n_total=1000, sampled=np.r_[np.zeros(50, bool), np.ones(50, bool)], sample_probs=probs)
    assert "not uniform" in QuantileBinomialStop().estimate(h2).note


def test_count_bound_without_scores():
    # 20 ranked includes found, then a uniform sample of 500 from the 900 left holding none
    lab = np.r_[np.ones(20, int), np.zeros(80, int), np.zeros(500, int)]
    sampled = np.r_[np.zeros(100, bool), np.ones(500, bool)]
    h = ScreeningHistory(labels=lab, n_total=1000, sampled=sampled)
    e = QuantileBinomialStop().estimate(h, 0.8)
    # a random 500 of 900 holding no include: at most ~4 are left (95%)
    assert 0 < e.remaining_high <= 5
    # 6 left would make recall 20/26 < 80%; a sample of 500 of 900 missing all 6 has chance
    # C(894, 500) / C(900, 500) < 1%, so the count bound certifies 80% recall
    assert e.stop
    # with sample includes and no scores: the exact hypergeometric bound decides
    lab2 = lab.copy()
    lab2[100:130] = 1
    e2 = QuantileBinomialStop().estimate(ScreeningHistory(labels=lab2, n_total=1000, sampled=sampled), 0.8)
    assert "30 includes" in e2.note
    assert e2.remaining_low <= e2.remaining <= e2.remaining_high


def test_edge_cases():
    est = QuantileBinomialStop()
    assert not est.estimate(ScreeningHistory.from_labels([], n_total=50)).stop
    done = est.estimate(ScreeningHistory.from_labels([1, 0], sampled=[True, False]))
    assert done.stop and done.remaining == 0


def test_uniform_draws_from_a_shrinking_pool_still_count_as_uniform():
    # draws of 5 from the unscreened pool after every 20 ranked records, as the queue does
    N, lab, sampled, probs = 1000, [], [], []
    for batch in range(10):
        for _ in range(20):
            lab.append(0), sampled.append(False), probs.append(np.nan)
        pool = N - len(lab)
        for _ in range(5):
            lab.append(0), sampled.append(True), probs.append(5 / pool)
    lab[0] = lab[25] = 1
    h = ScreeningHistory(labels=lab, n_total=N, sampled=sampled, sample_probs=probs)
    e = QuantileBinomialStop().estimate(h)
    assert "not uniform" not in e.note


# --- samples mixed into batches: many draws from a shrinking pool (issue 12) -----------------

from screener.stopping.qbcb import certificate_evidence, sample_draws  # noqa: E402
from screener.stopping.synthetic import synthetic_run  # noqa: E402


def _counts_only(h):
    """The history as ``screener status`` gives it: sample flags, probabilities, draw dates."""
    return ScreeningHistory(labels=h.labels, n_total=h.n_total, sampled=h.sampled, sample_probs=h.sample_probs,
                            sample_drawn_at=h.sample_drawn_at)


def test_draws_from_a_shrinking_pool_never_certify_below_target():
    # 5 uniform records from the unscreened pool after every 20 ranked ones, as `next` mixes them.
    # Bounding these as one uniform sample of the first pool certified 90% recall below 90% in
    # 14 of 30 such runs (the old count bound); each draw against its own pool must not.
    q = QuantileBinomialStop(compute_needs=False)
    first_stops = []
    for seed in range(20):
        run = synthetic_run(n_total=400, prevalence=0.3, separation=2.0, seed=seed, sample_every=20, sample_size=5,
                            sample_uniform=True)
        total = run.labels.sum()
        for n in range(25, 400, 25):
            h = _counts_only(run.history(n))
            if q.estimate(h, 0.9).stop:
                first_stops.append(h.labels.sum() / total)
                break
    assert first_stops, "the bound never certifies: it would be useless"
    assert min(first_stops) >= 0.9


def test_sample_draws_reads_each_pool_from_the_log():
    # 100 records; 10 ranked (2 includes), a draw of 5 from the 90 left (1 include), 10 ranked
    # (3 includes), a draw of 4 from the 75 left (0 includes)
    lab = np.r_[1, 1, np.zeros(8, int), 1, 0, 0, 0, 0, 1, 1, 1, np.zeros(7, int), 0, 0, 0, 0]
    sampled = np.r_[np.zeros(10, bool), np.ones(5, bool), np.zeros(10, bool), np.ones(4, bool)]
    probs = np.where(sampled, np.r_[np.zeros(10), np.full(5, 5 / 90), np.zeros(10), np.full(4, 4 / 75)], np.nan)
    drawn = np.where(sampled, np.r_[np.zeros(10), np.full(5, 10), np.zeros(10), np.full(4, 25)], -1).astype(int)
    h = ScreeningHistory(labels=lab, n_total=100, sampled=sampled, sample_probs=probs, sample_drawn_at=drawn)
    d = sample_draws(h, 0.8)
    assert list(d.t) == [10, 25] and list(d.pool) == [90, 75] and list(d.size) == [5, 4]
    assert list(d.hits) == [1, 0]
    assert list(d.found_since) == [4, 0]  # its own include and the 3 ranked ones after it
    assert list(d.shift) == [1, 2]  # "one more than may be missed" as known at each draw
    # an older draw that left out the top 10 of its batch (probability 5 / 80, not 5 / 90): the
    # first 10 ranked records after it were never in its pool
    old = np.where(sampled, np.r_[np.zeros(10), np.full(5, 5 / 80), np.zeros(10), np.full(4, 4 / 75)], np.nan)
    d2 = sample_draws(ScreeningHistory(labels=lab, n_total=100, sampled=sampled, sample_probs=old,
                                       sample_drawn_at=drawn), 0.8)
    assert list(d2.pool) == [80, 75] and list(d2.found_since) == [1, 0]
    # more includes hypothesised left: never less evidence against it
    ev = [certificate_evidence(d, k) for k in range(0, 30)]
    assert all(b >= a - 1e-12 for a, b in zip(ev, ev[1:]))


def test_a_draw_partly_decided_keeps_its_pool():
    # a draw of 5 from all 90 unscreened records, 2 of them not decided yet
    lab = np.r_[1, 1, np.zeros(8, int), 1, 0, 0]
    sampled = np.r_[np.zeros(10, bool), np.ones(3, bool)]
    probs = np.where(sampled, 5 / 90, np.nan)
    drawn = np.where(sampled, 10, -1)
    d = sample_draws(ScreeningHistory(labels=lab, n_total=100, sampled=sampled, sample_probs=probs,
                                      sample_drawn_at=drawn), 0.8)
    assert list(d.pool) == [90] and list(d.size) == [3] and list(d.hits) == [1]


def test_no_sample_note_counts_one_include_missed_in_the_singular():
    note = QuantileBinomialStop().estimate(ScreeningHistory.from_labels([1] * 5 + [0] * 2, n_total=10)).note
    assert note.endswith("(1 include missed would already be too many)")


def _early_review_with_an_empty_sample():
    """881 records; 75 screened: 65 ranked (23 includes), then draws of 5 at records 25 and 50 of 'screener next
    --sample 5' batches, none an include (at 4% prevalence, 10 records hold none two times in three)."""
    lab = np.r_[np.ones(23, int), np.zeros(42, int), np.zeros(10, int)]
    order = np.r_[np.arange(25), 65 + np.arange(5), np.arange(25, 50), 70 + np.arange(5), np.arange(50, 65)]
    lab = lab[order]
    sampled = np.isin(order, np.arange(65, 75))
    drawn = np.where(sampled, np.where(np.arange(75) < 30, 25, 55), -1)
    probs = np.where(sampled, 5 / (881 - drawn), np.nan)
    return ScreeningHistory(labels=lab, n_total=881, sampled=sampled, sample_probs=probs, sample_drawn_at=drawn)


def test_a_sample_with_no_include_gives_no_point_of_full_recall():
    """Ten sampled records with no include among 806 left said 'QBCB (random sample) 100%, 0 includes left' beside
    23 includes found: a point at full recall that the sample cannot support (its interval reached 2%). With no
    include in the sample there is no point estimate; the interval stays."""
    e = QuantileBinomialStop().estimate(_early_review_with_an_empty_sample())
    assert not e.stop
    assert np.isnan(e.recall) and np.isnan(e.remaining)
    assert 0 < e.recall_low < 0.5 and e.recall_high == 1.0 and e.remaining_high > 100
    assert "10 records" in e.note and "0 includes" in e.note


def test_the_samples_maybes_are_called_maybes():
    """A maybe drawn into the sample is found for recall (it counts against the includes left), but the
    note said "random sample of 10 records (...): 1 include" of a sample that held no include, only a maybe."""
    h = _early_review_with_an_empty_sample()
    first = int(np.flatnonzero(h.sampled)[0])
    lab, maybe = h.labels.copy(), np.zeros(h.n_screened, bool)
    lab[first], maybe[first] = 1, True
    e = QuantileBinomialStop().estimate(ScreeningHistory(
        labels=lab, n_total=h.n_total, sampled=h.sampled, sample_probs=h.sample_probs,
        sample_drawn_at=h.sample_drawn_at, maybe=maybe))
    assert "10 records" in e.note and ": 1 maybe" in e.note and "1 include" not in e.note, e.note
    lab[first + 1] = 1  # and an include beside it
    e = QuantileBinomialStop().estimate(ScreeningHistory(
        labels=lab, n_total=h.n_total, sampled=h.sampled, sample_probs=h.sample_probs,
        sample_drawn_at=h.sample_drawn_at, maybe=maybe))
    assert ": 1 include and 1 maybe" in e.note, e.note


def test_the_count_bounds_interval_is_said_one_sided_as_its_lower_end_is():
    """Samples mixed into batch after batch (the count bound): the recall interval's lower end is the
    certificate's bound at the confidence asked (one-sided: a 5% chance below it at 95%), its upper end the
    sample's two-sided one. 'screener status', --json, the dashboard and the report showed it under '95%
    interval (two-sided)' unmarked, which read as a 2.5% chance below its lower end. QBCB proper (one draw,
    placed in the ranking by its scores) is two-sided at both ends and stays so."""
    from screener.stopping.base import interval_sides
    from screener.stopping.qbcb import evidence_bound, sample_draws

    lab = np.r_[np.ones(10, int), np.zeros(40, int), [1, 1], np.zeros(18, int), [1, 1], np.zeros(48, int), [1],
                np.zeros(19, int)]
    sampled = np.r_[np.zeros(50, bool), np.ones(20, bool), np.zeros(50, bool), np.ones(20, bool)]
    drawn = np.r_[np.full(50, -1), np.full(20, 50), np.full(50, -1), np.full(20, 120)]
    h = ScreeningHistory(labels=lab, n_total=1000, sampled=sampled, sample_drawn_at=drawn)
    e = QuantileBinomialStop().estimate(h, 0.95, 0.95)
    assert not e.stop and np.isfinite(e.recall_low)
    assert e.remaining_high == evidence_bound(sample_draws(h, 0.95), h.n_remaining, 0.05)  # at 95%, one-sided
    assert interval_sides("qbcb", e) == "one-sided"
    proper = QuantileBinomialStop().estimate(sample_then_ranked(40, 30), 0.8)
    assert interval_sides("qbcb", proper) == "two-sided"


def test_qbcb_proper_may_stop_with_its_two_sided_interval_under_the_target():
    """The stop is QBCB's one-sided rank test, the interval two-sided (Clopper-Pearson at each end): at 80%, 37 of
    the sample's 40 includes passed by the ranking say stop with recall's lower end under 80%. 'screener status'
    explains such a row in a note (the interval two-sided, the stop one-sided)."""
    from screener.stopping.base import interval_sides

    rng = np.random.default_rng(0)
    m, r, j = 600, 40, qbcb_rank(40, 0.8, 0.95)
    s_lab, s_sc = np.zeros(m, int), rng.uniform(0.0, 0.3, m)
    s_lab[:r], s_sc[:j] = 1, np.linspace(0.95, 0.55, j)
    h = ScreeningHistory(
        labels=np.r_[s_lab, (np.arange(3000) < 1500).astype(int)], n_total=20000,
        sampled=np.r_[np.ones(m, bool), np.zeros(3000, bool)],
        scores_at_screening=np.r_[s_sc, np.linspace(1, 0.5, 3000)],
        sample_probs=np.r_[np.full(m, m / 20000), np.full(3000, np.nan)],
        sample_drawn_at=np.r_[np.zeros(m, int), np.full(3000, -1)])
    e = QuantileBinomialStop().estimate(h, 0.8)
    assert e.stop and e.recall_low < 0.8 and f"{j} of the sample's 40 includes passed" in e.note, e
    assert interval_sides("qbcb", e) == "two-sided"
