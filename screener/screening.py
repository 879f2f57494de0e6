"""A screening session: one project, its features and its prioritizer, kept warm.

``screener next``, the terminal screen, the web app and the demo all screen through this
class, so the retraining schedule, the stored rankings and the random samples that recall
guarantees need behave the same everywhere.
"""

from __future__ import annotations

import pandas as pd

from .project import Project


class ScreeningSession:
    """Rank the unscreened records of ``project`` and take decisions.

    Rows of the feature matrix are the project's primary records (one per study) in record-id
    order; embeddings are cached in the project database, so they are computed once.
    """

    def __init__(self, project: Project, *, ranker: str | None = None, embedding_model: str | None = None,
                 progress: bool = False):
        raise NotImplementedError

    def ranking(self) -> pd.DataFrame:
        """The unscreened studies in rank order: record_id, score, sampled, sample_prob (retrains when due)."""
        raise NotImplementedError

    def next_batch(self, n: int = 50, *, explain: bool = True) -> pd.DataFrame:
        """The next ``n`` records with title, abstract, score and the reasons they rank high."""
        raise NotImplementedError

    def decide(self, record_id: int, decision: str, *, reviewer: str = "reviewer", note: str | None = None,
               origin: str = "cli") -> None:
        """Save a decision at once (one transaction) and note that a retrain may be due."""
        raise NotImplementedError

    def undo(self, record_id: int, *, reviewer: str = "reviewer", origin: str = "cli") -> None:
        raise NotImplementedError

    def highlight_terms(self, record_id: int) -> list[str]:
        """Protocol and model terms to highlight in a record's title and abstract."""
        raise NotImplementedError
