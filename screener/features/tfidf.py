"""TF-IDF of title + abstract, fitted on the project's own records.

Word unigrams and bigrams ("harm reduction", "peer worker") with sublinear term frequency, so
a word said ten times counts more than once but not ten times more. Fitted on the project's
records, not a general corpus: the words that separate includes from excludes are the ones
that vary within this search.

Every word is kept, stop words and words found in one record included: in the ranker
comparison (benchmarks/select_ranker.py, 17 shared datasets) dropping English stop words and
one-record terms cost 2-3 points of macro WSS@95 for every model tried. Stop words carry
meaning inside word pairs ("children with", "in vitro", "peer to"), and one-record terms
still shape each record's length normalisation. The explanations shown to reviewers skip
terms made only of stop words.
"""

from __future__ import annotations

from typing import Sequence

import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

#: The TF-IDF settings a project uses unless told otherwise (stored with the ranking).
TFIDF_DEFAULTS = {
    "ngram_range": (1, 2),
    "sublinear_tf": True,
    "stop_words": None,
    "strip_accents": "unicode",
    "lowercase": True,
    "max_df": 0.95,
    "min_df": 1,
    "dtype": "float32",
}


def make_vectorizer(n_texts: int, **options) -> TfidfVectorizer:
    """A TF-IDF vectorizer with the project's settings (``TFIDF_DEFAULTS`` overridden by ``options``)."""
    settings = dict(TFIDF_DEFAULTS)
    settings.update(options)
    if isinstance(settings.get("ngram_range"), list):
        settings["ngram_range"] = tuple(settings["ngram_range"])
    if isinstance(settings.get("dtype"), str):
        import numpy as np

        settings["dtype"] = np.dtype(settings["dtype"]).type
    if n_texts < 20:
        settings["max_df"] = 1.0  # a tiny project: every word may be in most records
    return TfidfVectorizer(**settings)


def fit_tfidf(texts: Sequence[str], **options) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """Fit on ``texts`` and return (vectorizer, csr matrix with one row per text).

    An all-empty project (no titles, no abstracts) still gets a matrix: one all-zero column,
    so every record keeps its row and the ranking falls back to the protocol or random order.
    """
    texts = ["" if t is None else str(t) for t in texts]
    vec = make_vectorizer(len(texts), **options)
    try:
        M = vec.fit_transform(texts)
    except ValueError:
        # No usable words anywhere (empty vocabulary): keep the rows, drop the filters.
        vec = make_vectorizer(len(texts), **{**options, "stop_words": None, "min_df": 1, "max_df": 1.0,
                                             "token_pattern": r"(?u)\b\w+\b"})
        try:
            M = vec.fit_transform(texts)
        except ValueError:
            vec = make_vectorizer(len(texts), **{**options, "stop_words": None, "min_df": 1, "max_df": 1.0,
                                                 "token_pattern": r"(?u)\b\w+\b"})
            vec.fit(["empty"])
            M = vec.transform(texts)
    return vec, sp.csr_matrix(M)
