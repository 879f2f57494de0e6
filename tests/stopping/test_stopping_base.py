import numpy as np
import pytest

from screener.errors import ScreenerError
from screener.stopping.base import Estimate, ScreeningHistory, allowed_missed, recall_of


def test_history_validates_labels_and_sizes():
    with pytest.raises(ScreenerError, match="record 2"):
        ScreeningHistory.from_labels([0, 2, 1], n_total=10)
    with pytest.raises(ScreenerError, match="n_total"):
        ScreeningHistory.from_labels([0, 1, 1], n_total=2)
    with pytest.raises(ScreenerError, match="sampled"):
        ScreeningHistory(labels=[0, 1], n_total=5, sampled=[True])
    with pytest.raises(ScreenerError, match="remaining"):
        ScreeningHistory(labels=[0, 1], n_total=5, remaining_scores=[0.1, 0.2])
    with pytest.raises(ScreenerError, match="inclusion probability"):
        ScreeningHistory(labels=[0, 1], n_total=5, sampled=[False, True], sample_probs=[np.nan, 0.0])


def test_history_views_and_prefix():
    h = ScreeningHistory.from_positions([1, 4], n_screened=6, n_total=10, scores_at_screening=np.linspace(1, 0, 6))
    assert h.labels.tolist() == [1, 0, 0, 1, 0, 0]
    assert (h.n_screened, h.n_remaining, h.includes_found, h.has_sample) == (6, 4, 2, False)
    p = h.prefix(3)
    assert p.labels.tolist() == [1, 0, 0] and p.n_total == 10 and p.scores_at_screening.shape == (3,)
    with pytest.raises(ScreenerError):
        h.prefix(7)


def test_from_order_splits_scores():
    h = ScreeningHistory.from_order([1, 0, 1, 0], 3, order_scores=[0.9, 0.8, 0.7, 0.1])
    assert h.n_total == 4 and h.labels.tolist() == [1, 0, 1]
    assert h.remaining_scores.tolist() == [0.1]


def test_allowed_missed_and_recall():
    # 15 found: at 95% not one may be missed (15/16 < 0.95); at 80%, 3 may (15/18 = 0.83)
    assert allowed_missed(15, 0.95) == 0
    assert allowed_missed(15, 0.8) == 3
    assert allowed_missed(19, 0.95) == 1
    assert recall_of(0, 0) == 1.0 and recall_of(3, 1) == 0.75


def test_estimate_covers():
    e = Estimate("x", 10, 3, 2.0, 1.0, 4.0, 0.6, 0.43, 0.75, False)
    assert e.covers(1) and e.covers(4) and not e.covers(5) and not e.covers(0)
    nan = float("nan")
    assert not Estimate("x", 10, 3, nan, nan, nan, nan, nan, nan, False).covers(0)


def test_a_recall_below_the_target_never_reads_as_the_target():
    """35 includes found and about 2 left is a recall of 94.6%: rounded to whole percents it read
    "95%" beside 'keep screening' at a 95% target. Near a bar (the target, 100%) a figure keeps one
    decimal, rounded down where rounding would still reach the bar; elsewhere whole percents."""
    from screener.stopping.base import recall_pct

    assert recall_pct(35 / 37, 0.95) == "94.6%"
    assert recall_pct(0.9496, 0.95) == "94.9%"  # not "95.0%"
    assert [recall_pct(x, 0.95) for x in (0.95, 0.951, 0.9449, 0.57, 1.0)] == ["95%", "95%", "94%", "57%", "100%"]
    assert recall_pct(0.997, 0.95) == "99.7%"  # not "100%" (every include found) with includes left
    assert recall_pct(0.974, 0.975) == "97%" and recall_pct(0.976, 0.975) == "98%"
    assert recall_pct(0.9995, 0.999) == "99.9%" and recall_pct(0.9989, 0.999) == "99.8%"
    assert recall_pct(float("nan"), 0.95) == "unknown" and recall_pct(None, 0.95, "-") == "-"


def test_a_figure_to_a_tenth_below_the_target_never_reads_as_the_target():
    """The replay reports show tenths: 94.96% recall at a 95% target read "95.0%" and 99.96% read "100.0%". Near a
    bar the figure keeps a second decimal, rounded down where that too would reach it."""
    from screener.stopping.base import recall_pct

    assert recall_pct(0.9496, 0.95, places=1) == "94.96%"
    assert recall_pct(0.94999, 0.95, places=1) == "94.99%"
    assert recall_pct(0.9996, places=1) == "99.96%"
    assert [recall_pct(x, 0.95, places=1) for x in (0.95, 19 / 20, 0.9512, 0.946, 1.0)] == [
        "95.0%", "95.0%", "95.1%", "94.6%", "100.0%"]
    assert recall_pct(-0.1234, places=1) == "-12.3%" and recall_pct(None, 0.95, "–", places=1) == "–"
