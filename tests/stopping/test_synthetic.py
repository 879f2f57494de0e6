import numpy as np

from screener.stopping.synthetic import synthetic_run


def test_synthetic_run_is_reproducible_and_ranked():
    a = synthetic_run(800, 0.05, 3.0, seed=5)
    b = synthetic_run(800, 0.05, 3.0, seed=5)
    assert np.array_equal(a.labels, b.labels) and a.n_total == 800
    # a good ranker front-loads the includes
    R = a.labels.sum()
    assert a.labels[:200].sum() > 0.6 * R
    h = a.history(300)
    assert h.n_screened == 300 and h.remaining_scores.shape == (500,)
    assert np.all(np.diff(h.remaining_scores) <= 1e-12)  # remainder in ranked order


def test_synthetic_samples_are_flagged_with_probabilities():
    sr = synthetic_run(600, 0.05, 2.5, seed=2, sample_every=20, sample_size=3)
    plain = synthetic_run(600, 0.05, 2.5, seed=2)
    assert sr.labels.sum() == plain.labels.sum()
    s = sr.sampled
    assert s.sum() > 50
    assert np.all((sr.sample_probs[s] > 0) & (sr.sample_probs[s] <= 1))
    pos = np.flatnonzero(s)
    assert np.all(sr.sample_drawn_at[s] <= pos)
    h = sr.history(300)
    assert h.has_sample and h.sample_probs is not None


def test_learning_phase_finds_includes_more_slowly_at_first():
    kw = dict(n_total=3000, prevalence=0.05, separation=3.0, seed=5)
    trained, learning = synthetic_run(**kw), synthetic_run(**kw, learning=0.1)
    assert learning.labels.sum() == trained.labels.sum()  # the same review, screened in another order
    assert learning.labels[:300].sum() < 0.6 * trained.labels[:300].sum()
    assert learning.params["learning"] == 0.1
