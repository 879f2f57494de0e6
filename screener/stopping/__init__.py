"""Recall estimates and stopping rules: when may a reviewer stop screening?"""

from .advice import Advice, default_estimators, recommend, run_all
from .base import Estimate, ScreeningHistory
from .consecutive import ConsecutiveExcludesStop
from .hypergeometric import HypergeometricStop
from .knee import KneeStop
from .qbcb import QuantileBinomialStop
from .sampling import draw_sample, sample_size_needed
from .score_sample import ScoreSampleEstimator

__all__ = [
    "Advice",
    "ConsecutiveExcludesStop",
    "Estimate",
    "HypergeometricStop",
    "KneeStop",
    "QuantileBinomialStop",
    "ScoreSampleEstimator",
    "ScreeningHistory",
    "default_estimators",
    "draw_sample",
    "recommend",
    "run_all",
    "sample_size_needed",
]
