"""Classifiers that score records by how likely they are includes, refitted on the current labels.

Every ranker is scikit-learn shaped: the constructor takes settings and ``random_state``;
``fit(X, y)`` learns from a ``FeatureMatrix`` and 0/1 labels; ``scores(X)`` returns one float
per row, higher = more likely include. ``make_ranker(name)`` builds one by its registry name so
a project can store the name and rebuild the same model later.
"""

from __future__ import annotations

from typing import Callable

from screener.errors import ScreenerError
from screener.rankers.base import Ranker
from screener.rankers.fusion import FusionRanker
from screener.rankers.linear import LogisticRanker, NaiveBayesRanker, SVMRanker

#: name -> factory(random_state) -> Ranker. The names are what a project stores and the CLI takes.
RANKERS: dict[str, Callable[[int], Ranker]] = {
    # strong smoothing and includes weighted 10x "balanced": best of the candidates in
    # benchmarks/select_ranker.py (results/ranker_selection_seeds*.md), at low prevalence too
    "logreg-tfidf": lambda rs: LogisticRanker(features="tfidf", C=0.1, balance=10.0, random_state=rs),
    # ASReview's published ELAS u4 settings (C 0.11, includes weighted 9.8x); runner-up there
    "svm-tfidf": lambda rs: SVMRanker(features="tfidf", C=0.11, balance=9.8, random_state=rs),
    "nb-tfidf": lambda rs: NaiveBayesRanker(random_state=rs),
    "logreg-embed": lambda rs: LogisticRanker(features="embedding", random_state=rs),
    "svm-embed": lambda rs: SVMRanker(features="embedding", random_state=rs),
    "logreg-concat": lambda rs: LogisticRanker(features="concat", random_state=rs),
    "svm-concat": lambda rs: SVMRanker(features="concat", random_state=rs),
    "fusion": lambda rs: FusionRanker(
        [LogisticRanker(features="tfidf", random_state=rs), LogisticRanker(features="embedding", random_state=rs)],
        method="zscore",  # beat reciprocal rank fusion on the shared sets we tried
        random_state=rs,
    ),
}

#: The ranker a new project uses (works with TF-IDF alone, so no model download is needed).
DEFAULT_RANKER = "logreg-tfidf"

#: Feature kind each registered ranker needs ("tfidf", "embedding" or "both").
RANKER_FEATURES: dict[str, str] = {
    "logreg-tfidf": "tfidf",
    "svm-tfidf": "tfidf",
    "nb-tfidf": "tfidf",
    "logreg-embed": "embedding",
    "svm-embed": "embedding",
    "logreg-concat": "both",
    "svm-concat": "both",
    "fusion": "both",
}


def make_ranker(name: str, random_state: int = 0) -> Ranker:
    """A fresh, unfitted ranker by registry name (see ``RANKERS``)."""
    try:
        factory = RANKERS[name]
    except KeyError:
        raise ScreenerError(
            f"unknown ranker {name!r}; choose one of: {', '.join(RANKERS)}"
        ) from None
    return factory(int(random_state))


__all__ = [
    "DEFAULT_RANKER",
    "RANKERS",
    "RANKER_FEATURES",
    "FusionRanker",
    "LogisticRanker",
    "NaiveBayesRanker",
    "Ranker",
    "SVMRanker",
    "make_ranker",
]
