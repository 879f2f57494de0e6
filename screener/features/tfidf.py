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

Above ``MAX_TERMS`` distinct terms the vocabulary is cut to the ``MAX_TERMS`` terms found in
most records (see ``MAX_TERMS``), so the features' memory and the project's feature cache stop
growing with the vocabulary of a very large search.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

#: Most distinct terms a project's TF-IDF keeps (2**20). Word pairs make the vocabulary grow
#: almost in step with the records (all 53,959 records of the shared reviews together: 2.5
#: million terms), most of them found in one record, and each costs memory in the vocabulary,
#: the fitted model and the stored cache. Up to this size every term is kept, as the ranker
#: comparison chose; no shared review comes near it (the largest vocabulary, smartphone_addiction's
#: 5,340 records, has 418,661 terms), so their rankings are unchanged. Above it the terms found
#: in most records are kept (ties: alphabetical order) and the rest dropped, after the ``max_df`` cut. The dropped terms are
#: in one or two records each, so a model trained on a few hundred decisions has next to no
#: weight on them; they only shaped those records' length normalisation.
MAX_TERMS = 2 ** 20

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
    "max_terms": MAX_TERMS,
}


def vocabulary_cap(options: dict | None = None) -> int | None:
    """The most terms these settings keep (``max_terms``; None: no cap)."""
    cap = {**TFIDF_DEFAULTS, **(options or {})}.get("max_terms")
    return None if cap is None else int(cap)


def top_terms(df: np.ndarray, cap: int | None) -> np.ndarray | None:
    """Columns to keep, ascending: the ``cap`` found in most records, ties to the lower column
    (the vocabulary is sorted, so alphabetical); None when every column fits."""
    if cap is None or len(df) <= cap:
        return None
    return np.sort(np.argsort(-np.asarray(df), kind="stable")[:cap])


def l2_normalise_rows(data: np.ndarray, indptr: np.ndarray) -> None:
    """Scale each row of a CSR matrix's values (``data``, ``indptr``) to unit length, in place;
    rows with no terms left stay zero. On the raw arrays: O(non-zeros), no sparse product."""
    row_len = np.diff(indptr)
    norms = np.ones(len(row_len))
    has = row_len > 0
    if has.any():
        norms[has] = np.sqrt(np.add.reduceat(np.square(data, dtype=np.float64), indptr[:-1][has]))
    norms[norms == 0] = 1
    data /= np.repeat(norms.astype(data.dtype), row_len)


def strip_accents(s: str) -> str:
    """Accents off (NFKD, combining marks dropped): the text scikit-learn's "unicode" option
    gives, character for character, but each distinct character of a text is looked up once,
    not every character: a title or abstract with one accent or dash is no longer a Python
    loop over its every letter (a fifth of the TF-IDF fit on the reviews we tried)."""
    if s.isascii():
        return s
    normalized = unicodedata.normalize("NFKD", s)
    marks = {ord(c): None for c in set(normalized) if unicodedata.combining(c)}
    return normalized.translate(marks) if marks else normalized


def make_vectorizer(n_texts: int, **options) -> TfidfVectorizer:
    """A TF-IDF vectorizer with the project's settings (``TFIDF_DEFAULTS`` overridden by ``options``)."""
    settings = dict(TFIDF_DEFAULTS)
    settings.update(options)
    settings.pop("max_terms", None)  # screener's own cap, applied after the fit (``top_terms``)
    if settings.get("strip_accents") == "unicode":
        settings["strip_accents"] = strip_accents  # the same text, faster
    if isinstance(settings.get("ngram_range"), list):
        settings["ngram_range"] = tuple(settings["ngram_range"])
    if isinstance(settings.get("dtype"), str):
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
    M = sp.csr_matrix(M)
    keep = top_terms(np.bincount(M.indices, minlength=M.shape[1]), vocabulary_cap(options))
    if keep is not None:
        names = vec.get_feature_names_out()[keep]
        idf = vec.idf_[keep]
        M = M[:, keep]
        if vec.norm == "l2":
            l2_normalise_rows(M.data, M.indptr)
        # a vectorizer of the kept terms only (as the feature cache makes it), for new text
        vec = make_vectorizer(len(texts), **options)
        vec.vocabulary_ = dict(zip(names.tolist(), range(len(names))))
        vec.fixed_vocabulary_ = False
        vec.idf_ = idf
    return vec, M
