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

import functools
import re
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
    loop over its every letter (a fifth of the TF-IDF fit on the reviews we tried), and the
    marks found go in one pass."""
    if s.isascii():
        return s
    normalized = unicodedata.normalize("NFKD", s)
    marks = "".join(sorted(c for c in set(normalized) if unicodedata.combining(c)))
    return _marks_pattern(marks).sub("", normalized) if marks else normalized


@functools.lru_cache(maxsize=512)
def _marks_pattern(marks: str) -> re.Pattern:
    """One regular expression per set of marks: it removes them several times faster than
    ``str.translate`` looks up every character of a long abstract."""
    return re.compile("[" + re.escape(marks) + "]")


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


_DEFAULT_TOKENS = r"(?u)\b\w\w+\b"
#: The same tokens as ``_DEFAULT_TOKENS`` (every maximal run of two or more word characters: a
#: greedy ``\w\w+`` scanned left to right only starts at a run's first character and ends at
#: its last, where the word boundaries are), without testing the boundaries: a quarter faster.
_WORD_RUNS = re.compile(r"\w\w+")


def _fast_counts(texts: list[str], vec: TfidfVectorizer) -> tuple[dict, sp.csr_matrix] | None:
    """The vocabulary and term counts ``vec``'s own ``fit_transform`` would make, faster.

    scikit-learn builds every word pair as a string and counts it in a Python dict, record by
    record: a fifth or more of a small review's simulation time went there. Here each record is tokenised
    by the same pattern, words become integer ids, and pairs, counts, document frequencies and
    the alphabetical column order are computed on integer arrays. The result is the same matrix,
    entry for entry and in the same order within each row (columns alphabetical, each row's
    entries in order of the terms' first appearance, as scikit-learn leaves them), so rankings
    do not change (tests compare the two on made-up edge cases and on shared reviews; all 18
    reported ones were checked when this was written). The vocabulary is a ``LazyVocabulary``:
    its terms are spelt out only when something reads them (a simulation never does). None (use
    scikit-learn) for any setting this does not reproduce, and where scikit-learn would raise (no
    terms at all).
    """
    from collections import defaultdict
    from numbers import Integral

    import pandas as pd

    ngram = tuple(vec.ngram_range)
    if (vec.analyzer != "word" or vec.tokenizer is not None or vec.preprocessor is not None
            or vec.stop_words is not None or vec.token_pattern != _DEFAULT_TOKENS or ngram not in ((1, 1), (1, 2))
            or vec.vocabulary is not None or vec.max_features is not None or vec.binary
            or vec.input != "content" or vec.strip_accents not in (None, strip_accents) or not vec.use_idf):
        return None
    pattern = _WORD_RUNS  # the default pattern's tokens, found faster
    lower, accents = bool(vec.lowercase), vec.strip_accents
    # word -> id in order of first appearance (scikit-learn's vocabulary does the same)
    words: defaultdict = defaultdict()
    words.default_factory = words.__len__
    get = words.__getitem__
    ids: list[int] = []
    lengths = np.empty(len(texts), dtype=np.int64)
    for i, doc in enumerate(texts):
        if lower:
            doc = doc.lower()
        if accents is not None:
            doc = accents(doc)
        toks = pattern.findall(doc)
        lengths[i] = len(toks)
        ids.extend(map(get, toks))
    n_docs, n_words = len(texts), len(words)
    if n_words == 0:
        return None
    tok = np.asarray(ids, dtype=np.int64)
    doc_of_tok = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    starts = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    pos_in_doc = np.arange(len(tok), dtype=np.int64) - starts[doc_of_tok]
    # Term codes: word w is w; the pair (a, b) is n_words + a * n_words + b. Each record yields
    # its words, then its pairs: the "stream" scikit-learn numbers new terms in.
    pairs = ngram[1] == 2
    n_pairs = np.maximum(lengths - 1, 0) if pairs else np.zeros(n_docs, dtype=np.int64)
    offset = np.zeros(n_docs, dtype=np.int64)
    np.cumsum((lengths + n_pairs)[:-1], out=offset[1:])
    stream = np.empty(int(lengths.sum() + n_pairs.sum()), dtype=np.int64)
    stream_doc = np.empty_like(stream)
    at = offset[doc_of_tok] + pos_in_doc
    stream[at] = tok
    stream_doc[at] = doc_of_tok
    if pairs and len(tok) > 1:
        first = np.flatnonzero(doc_of_tok[:-1] == doc_of_tok[1:])  # a word followed in its record
        d = doc_of_tok[first]
        at = offset[d] + lengths[d] + pos_in_doc[first]
        stream[at] = n_words + tok[first] * n_words + tok[first + 1]
        stream_doc[at] = d
    # each term numbered by its first appearance in the stream (a hash table, not a sort)
    seen_rank, by_seen = pd.factorize(stream, sort=False)
    n_terms = len(by_seen)
    # counts per (record, term), each row's entries by first appearance of the term
    key, counts = np.unique(stream_doc * n_terms + seen_rank, return_counts=True)
    row, term = np.divmod(key, n_terms)  # term: first-appearance rank
    dfs = np.bincount(term, minlength=n_terms)
    max_df, min_df = vec.max_df, vec.min_df
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        return None
    keep = (dfs <= high) & (dfs >= low)
    if not keep.any():
        return None
    # Alphabetical order without building strings: a word's pairs ("a b") sort right after the
    # word ("a") and before any longer word it starts ("ab"), since a space sorts below every
    # word character; so order by (first word's rank, 0 for the word / 1 + second word's rank).
    word_list = list(words)
    word_rank = np.empty(n_words, dtype=np.int64)
    word_rank[np.array(sorted(range(n_words), key=word_list.__getitem__), dtype=np.int64)] = np.arange(n_words)
    by_seen = np.asarray(by_seen, dtype=np.int64)  # the code of each first-appearance rank
    is_pair = by_seen >= n_words
    a = np.where(is_pair, (by_seen - n_words) // n_words, by_seen)
    b = np.where(is_pair, (by_seen - n_words) % n_words, -1)
    sort_key = word_rank[a] * (n_words + 1) + np.where(is_pair, word_rank[b] + 1, 0)
    kept = np.flatnonzero(keep)
    column = np.full(n_terms, -1, dtype=np.int64)
    column[kept[np.argsort(sort_key[kept], kind="stable")]] = np.arange(len(kept))
    entry = keep[term]
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[entry], minlength=n_docs), out=indptr[1:])
    nnz = int(indptr[-1])
    index_dtype = np.int32 if max(nnz, len(kept)) <= np.iinfo(np.int32).max else np.int64
    X = sp.csr_matrix((counts[entry].astype(vec.dtype), column[term[entry]].astype(index_dtype),
                       indptr.astype(index_dtype)), shape=(n_docs, len(kept)))
    by_column = np.empty(len(kept), dtype=np.int64)
    by_column[column[kept]] = kept
    # the terms as text, made only when something asks for them (a simulation never does)
    vocabulary = LazyVocabulary(_TermNames(np.asarray(word_list, dtype=object), a[by_column], b[by_column]),
                                n=len(kept))
    return vocabulary, X


class _TermNames:
    """The terms of ``_fast_counts``'s columns as text, in column order, when called: a word, or
    "a b" for a pair (``second`` >= 0)."""

    def __init__(self, words: np.ndarray, first: np.ndarray, second: np.ndarray):
        self.words, self.first, self.second = words, first, second

    def __call__(self) -> list[str]:
        names = self.words[self.first]
        pair = self.second >= 0
        if pair.any():  # "a b" for the pairs, built in one pass
            names[pair] = list(map(" ".join, zip(self.words[self.first[pair]], self.words[self.second[pair]])))
        return names.tolist()


class LazyVocabulary(dict):
    """term -> column, filled on first use: a protocol transform needs it, a rerank does not.

    ``terms``: the terms in column order, or an object that lists them when called (``n`` then
    says how many there are) so that even the list is made only when needed."""

    def __init__(self, terms, n: int | None = None):
        super().__init__()
        self._terms = terms
        self._n = len(terms) if n is None else int(n)
        self._filled = False

    def _fill(self):
        if not self._filled:
            self._filled = True
            terms = self._terms() if callable(self._terms) else self._terms
            terms = terms.tolist() if hasattr(terms, "tolist") else list(terms)
            super().update(zip(terms, range(len(terms))))

    def __len__(self):
        return self._n

    def __getitem__(self, k):
        self._fill()
        return super().__getitem__(k)

    def get(self, k, default=None):
        self._fill()
        return super().get(k, default)

    def __contains__(self, k):
        self._fill()
        return super().__contains__(k)

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def items(self):
        self._fill()
        return super().items()

    def keys(self):
        self._fill()
        return super().keys()

    def values(self):
        self._fill()
        return super().values()

    def __eq__(self, other):
        self._fill()
        if isinstance(other, LazyVocabulary):
            other._fill()
        return super().__eq__(other)

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None

    def __repr__(self):
        self._fill()
        return super().__repr__()

    def copy(self) -> dict:
        return dict(self.items())

    def __reduce__(self):  # a copy or a pickle is a plain dict, filled
        return (dict, (dict(self.items()),))


def _fit_transform(vec: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """``vec.fit_transform(texts)``, the counting done by ``_fast_counts`` where it can be."""
    fast = _fast_counts(texts, vec)
    if fast is None:
        return vec.fit_transform(texts)
    from sklearn.feature_extraction.text import TfidfTransformer

    vocabulary, counts = fast
    vec.vocabulary_ = vocabulary
    vec.fixed_vocabulary_ = False
    tf = TfidfTransformer(norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf,
                          sublinear_tf=vec.sublinear_tf).fit(counts)
    vec.idf_ = tf.idf_
    return tf.transform(counts, copy=False)


def fit_tfidf(texts: Sequence[str], **options) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """Fit on ``texts`` and return (vectorizer, csr matrix with one row per text).

    An all-empty project (no titles, no abstracts) still gets a matrix: one all-zero column,
    so every record keeps its row and the ranking falls back to the protocol or random order.
    """
    texts = ["" if t is None else str(t) for t in texts]
    vec = make_vectorizer(len(texts), **options)
    try:
        M = _fit_transform(vec, texts)
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
