"""benchmarks/stopping_synthetic.py's tables, on made-up rows (no simulation)."""

import math

import pandas as pd
import pytest
from scripts import REPO, load_script


@pytest.fixture(scope="module")
def syn():
    return load_script(REPO / "benchmarks" / "stopping_synthetic.py", "bench_stopping_synthetic")


def test_a_method_with_no_interval_shows_a_dash_not_nan(syn):
    """results/stopping_synthetic_*/summary.md showed 'nan' in every coverage column of the methods that give no
    interval (consecutive, knee), where benchmarks/results/summary.md shows '–' for the same thing."""
    df = pd.DataFrame([{"method": "knee", "target": 0.95, "runs": 144, "reliability": 0.958, "coverage_25": math.nan},
                       {"method": "hypergeometric", "target": 0.95, "runs": 144, "reliability": 1.0,
                        "coverage_25": 1.0}])
    text = syn._markdown(df)
    assert "nan" not in text, text
    assert "| knee | 0.950 | 144 | 0.958 | – |" in text and "| hypergeometric | 0.950 | 144 | 1.000 | 1.000 |" in text
