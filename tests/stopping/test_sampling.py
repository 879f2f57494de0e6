import numpy as np
import pytest

from screener.errors import ScreenerError
from screener.stopping.sampling import draw_sample, inclusion_probs, sample_size_needed


def test_uniform_draw():
    idx = np.arange(100, 200)
    chosen, probs = draw_sample(idx, 10, rng=1)
    assert len(set(chosen.tolist())) == 10 and set(chosen) <= set(idx)
    assert np.allclose(probs, 0.1)
    again, _ = draw_sample(idx, 10, rng=1)
    assert chosen.tolist() == again.tolist()  # same seed, same sample


def test_score_proportional_draw_has_exact_size_and_probabilities():
    rng = np.random.default_rng(0)
    scores = rng.beta(0.3, 3, 40)
    idx = np.arange(40)
    pi = inclusion_probs(scores, 8, 40)
    assert pi.sum() == pytest.approx(8) and pi.max() <= 1 and pi.min() >= 0.2 * 8 / 40 - 1e-12
    counts = np.zeros(40)
    for seed in range(800):
        chosen, probs = draw_sample(idx, 8, scores=scores, rng=seed)
        assert chosen.shape[0] == 8
        assert np.allclose(probs, pi[chosen])
        counts[chosen] += 1
    # empirical inclusion frequencies match the stated probabilities
    assert np.abs(counts / 800 - pi).max() < 0.07


def test_probabilities_capped_at_one():
    scores = np.r_[100.0, np.full(9, 1.0)]
    pi = inclusion_probs(scores, 5, 10, uniform_share=0.0)
    assert pi[0] == 1.0 and pi.sum() == pytest.approx(5) and np.allclose(pi[1:], 4 / 9)


def test_bad_requests():
    with pytest.raises(ScreenerError):
        inclusion_probs(None, 5, 3)
    with pytest.raises(ScreenerError):
        draw_sample(np.arange(5), -1)
    chosen, probs = draw_sample(np.arange(5), 0)
    assert chosen.size == 0 and probs.size == 0


def test_sample_size_needed():
    s = sample_size_needed(0.95, 0.95, prevalence=0.02, n_remaining=10000)
    assert s == {"positives": 59, "records": 2950, "feasible": True}
    s = sample_size_needed(0.95, 0.95, prevalence=0.01, n_remaining=2000)
    assert s["records"] == 2000 and s["feasible"] is False
    assert sample_size_needed(0.8, 0.95)["positives"] == 14
