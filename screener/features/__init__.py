"""What a ranker reads: TF-IDF and/or sentence embeddings of each record's title + abstract.

A ``FeatureMatrix`` carries both kinds side by side so one ranker can use either or both, and
rows can be taken out (``X[idx]``) without caring which kinds are present. Features are built
once per project (embeddings are cached per model and text) and reused at every rerank.
"""

from __future__ import annotations

import functools
import uuid
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from screener.errors import ScreenerError

FEATURE_KINDS = ("tfidf", "embedding", "both")

#: Most values ``FeatureMatrix.wide`` keeps a float64 copy of, per block (2**23: 64 MB; the
#: TF-IDF of about 40,000 records, the embeddings of about 20,000).
WIDE_MAX = 2 ** 23


class FeatureMatrix:
    """Rows = records, in the order the texts were given.

    ``sparse``: csr TF-IDF matrix or None; ``dense``: float32 L2-normalised embeddings or None;
    ``vectorizer``: the fitted TF-IDF vectorizer (to turn new text, e.g. a protocol, into the
    same space) or None; ``feature_names``: TF-IDF terms (column order) for explanations;
    ``model``: the embedding model name, for the settings record.
    """

    def __init__(self, sparse=None, dense=None, *, vectorizer=None, feature_names=None, model=None):
        if sparse is None and dense is None:
            raise ValueError("FeatureMatrix needs TF-IDF features, embeddings or both")
        if sparse is not None:
            sparse = sp.csr_matrix(sparse)
        if dense is not None:
            dense = np.asarray(dense, dtype=np.float32)
            if dense.ndim != 2:
                raise ValueError("embeddings must be a 2-D array (records x dimensions)")
        if sparse is not None and dense is not None and sparse.shape[0] != dense.shape[0]:
            raise ValueError(
                f"TF-IDF has {sparse.shape[0]} rows but the embeddings have {dense.shape[0]}"
            )
        self._sparse = sparse
        self._dense = dense
        self._new_content()
        self.vectorizer = vectorizer
        self._feature_names = feature_names
        self.model = model

    # The blocks are read-only in practice: a new block makes a new origin (``rows_of``), so
    # nothing keyed on the old one is taken for the new content.
    def _new_content(self) -> None:
        self._origin = (_new_origin(), None)
        self._wide = {}

    @property
    def sparse(self):
        return self._sparse

    @sparse.setter
    def sparse(self, value) -> None:
        self._sparse = value
        self._new_content()

    @property
    def dense(self):
        return self._dense

    @dense.setter
    def dense(self, value) -> None:
        self._dense = value
        self._new_content()

    def wide(self, block: str) -> np.ndarray | None:
        """The TF-IDF values (``block`` "sparse": ``sparse.data``) or the embeddings ("dense") in
        float64, made once and kept: every refit scores every record, and each time the float32
        values were widened again, a third of the scoring on a large review. The same numbers as
        widening them at each use. None above ``WIDE_MAX`` values (a very large project keeps its
        memory; its scoring widens block by block as before)."""
        if block not in ("sparse", "dense"):
            raise ValueError(f"no feature block {block!r}: 'sparse' (TF-IDF) or 'dense' (embeddings)")
        if block not in self._wide:
            src = self._sparse.data if block == "sparse" and self._sparse is not None else (
                self._dense if block == "dense" else None)
            self._wide[block] = None if src is None or src.size > WIDE_MAX else src.astype(np.float64)
        return self._wide[block]

    def rows_of(self) -> tuple[str, np.ndarray | None]:
        """(origin, rows): these rows are rows ``rows`` of the matrix named ``origin`` (None:
        this matrix is that matrix, whole). Two matrices with the same answer hold the same
        numbers, so a cache can key on it instead of reading every value (the learned fusion's
        cross-validation memo hashed the labelled TF-IDF rows at every refit)."""
        return self._origin

    @property
    def feature_names(self):
        """The TF-IDF terms in column order; read from the vectorizer when first asked for (a
        simulation never explains, and listing a large vocabulary is a tenth of its TF-IDF fit)."""
        if self._feature_names is None and self.vectorizer is not None and self.sparse is not None \
                and getattr(self.vectorizer, "vocabulary_", None) is not None:
            self._feature_names = self.vectorizer.get_feature_names_out()
        return self._feature_names

    @feature_names.setter
    def feature_names(self, value) -> None:
        self._feature_names = value

    @property
    def n_rows(self) -> int:
        return self.sparse.shape[0] if self.sparse is not None else self.dense.shape[0]

    def __len__(self) -> int:
        return self.n_rows

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_rows, self.n_sparse + self.n_dense)

    @property
    def n_sparse(self) -> int:
        return 0 if self.sparse is None else self.sparse.shape[1]

    @property
    def n_dense(self) -> int:
        return 0 if self.dense is None else self.dense.shape[1]

    @property
    def kind(self) -> str:
        if self.sparse is not None and self.dense is not None:
            return "both"
        return "tfidf" if self.sparse is not None else "embedding"

    def __getitem__(self, idx) -> "FeatureMatrix":
        idx = _as_index(idx)
        if isinstance(idx, slice):
            idx = np.arange(self.n_rows, dtype=np.int64)[idx]
        # the blocks taken are already what __init__ would make of them (CSR, float32 2-D), so
        # the new matrix is put together without converting or checking them again
        out = object.__new__(FeatureMatrix)
        out._sparse = None if self._sparse is None else take_rows(self._sparse, idx)
        out._dense = None if self._dense is None else self._dense[idx]
        origin, rows = self._origin
        taken = np.where(idx < 0, idx + self.n_rows, idx)  # a new array; -1 is the last row, as taken
        if rows is not None:
            taken = rows[taken]
        taken.flags.writeable = False
        out._origin = (origin, taken)
        out._wide = {}
        out.vectorizer = self.vectorizer
        out._feature_names = self._feature_names
        out.model = self.model
        return out

    def concat(self, dense_weight: float = 1.0) -> sp.csr_matrix:
        """TF-IDF and embeddings side by side in one sparse matrix (for the 'concat' rankers).

        Both blocks are L2-normalised per row, so ``dense_weight`` sets their relative pull.
        """
        blocks = []
        if self.sparse is not None:
            blocks.append(self.sparse)
        if self.dense is not None:
            blocks.append(sp.csr_matrix(self.dense * np.float32(dense_weight)))
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else sp.csr_matrix(blocks[0])

    def transform_text(self, texts: Sequence[str], embeddings=None) -> "FeatureMatrix":
        """New texts (a protocol) in this matrix's feature space; needs their embeddings when
        this matrix has embeddings (pass them, or they are computed with ``self.model``)."""
        sparse = None
        dense = None
        if self.sparse is not None:
            if self.vectorizer is None:
                raise ValueError("this FeatureMatrix has no fitted TF-IDF vectorizer")
            sparse = self.vectorizer.transform(list(texts))
        if self.dense is not None:
            if embeddings is None:
                from screener.features.embeddings import embed_texts

                embeddings = embed_texts(list(texts), model=self.model or "default", progress=False)
            dense = np.asarray(embeddings, dtype=np.float32)
        return FeatureMatrix(sparse, dense, vectorizer=self.vectorizer,
                             feature_names=self._feature_names, model=self.model)

    def __repr__(self) -> str:
        return f"FeatureMatrix(rows={self.n_rows}, tfidf={self.n_sparse}, embedding={self.n_dense})"


def take_rows(M: sp.csr_matrix, idx) -> sp.csr_matrix:
    """``M[idx]``: scipy's own answer, entry for entry, for a CSR matrix and row numbers in range,
    gathered in one pass by scipy's own routine (``csr_row_index``); scipy's checks of the index
    took most of a refit's row copying on a small review (the refits and cross-validation folds
    take rows hundreds of times)."""
    if not isinstance(idx, np.ndarray) or idx.ndim != 1 or idx.dtype.kind not in "iu" or M.format != "csr":
        return M[idx]
    n = M.shape[0]
    if len(idx) and (int(idx.min()) < 0 or int(idx.max()) >= n):
        return M[idx]  # negative or out of range: scipy's meaning, or its error
    indptr, indices = M.indptr, M.indices
    row_index = _csr_row_index()
    if row_index is None or indices.dtype != indptr.dtype or not len(idx):
        start = indptr[idx]
        lens = indptr[idx + 1] - start
        new_ptr = np.zeros(len(idx) + 1, dtype=indptr.dtype)
        np.cumsum(lens, out=new_ptr[1:])
        pos = np.arange(int(new_ptr[-1]), dtype=indptr.dtype) + np.repeat(start - new_ptr[:-1], lens)
        return sp.csr_matrix((M.data[pos], indices[pos], new_ptr), shape=(len(idx), M.shape[1]), copy=False)
    rows = idx.astype(indptr.dtype, copy=False)
    new_ptr = np.zeros(len(idx) + 1, dtype=indptr.dtype)
    np.cumsum(indptr[rows + 1] - indptr[rows], out=new_ptr[1:])
    nnz = int(new_ptr[-1])
    new_indices = np.empty(nnz, dtype=indptr.dtype)
    new_data = np.empty(nnz, dtype=M.data.dtype)
    row_index(len(rows), rows, indptr, indices, M.data, new_indices, new_data)
    return sp.csr_matrix((new_data, new_indices, new_ptr), shape=(len(idx), M.shape[1]), copy=False)


@functools.cache
def _csr_row_index():
    """scipy's routine that copies CSR rows out (what ``M[idx]`` runs after its checks); None
    where the installed scipy keeps it elsewhere."""
    try:
        from scipy.sparse._sparsetools import csr_row_index
    except ImportError:
        return None
    return csr_row_index


def _as_index(idx):
    if isinstance(idx, (int, np.integer)):
        return np.array([int(idx)], dtype=np.int64)
    if isinstance(idx, slice):
        return idx
    arr = np.asarray(idx)
    if arr.dtype == bool:
        return np.flatnonzero(arr)
    return arr.astype(np.int64, copy=False)


def _new_origin() -> str:
    """A name for a matrix built from scratch (``FeatureMatrix.rows_of``): random, so no two
    matrices share one, not even across processes that send matrices to each other."""
    return uuid.uuid4().hex


def build_features(
    texts: Sequence[str],
    kind: str = "tfidf",
    embeddings: np.ndarray | None = None,
    *,
    model: str = "default",
    cache=None,
    progress: bool = False,
    tfidf_options: dict | None = None,
) -> FeatureMatrix:
    """Features for ``texts`` (``screener.records.record_text`` of each record).

    ``kind``: "tfidf", "embedding" or "both". ``embeddings``: precomputed vectors (one row per
    text); otherwise they are computed with ``model`` through ``cache`` (an ``EmbeddingCache``).
    """
    if kind not in FEATURE_KINDS:
        raise ScreenerError(f"unknown feature kind {kind!r}; choose one of: {', '.join(FEATURE_KINDS)}")
    texts = ["" if t is None else str(t) for t in texts]
    sparse = vectorizer = names = None
    dense = None
    model_name = None
    if kind in ("tfidf", "both"):
        from screener.features.tfidf import fit_tfidf

        vectorizer, sparse = fit_tfidf(texts, **(tfidf_options or {}))  # terms listed when asked for
    if kind in ("embedding", "both"):
        if embeddings is None:
            from screener.features.embeddings import embed_texts

            embeddings = embed_texts(texts, model=model, cache=cache, progress=progress)
        dense = np.asarray(embeddings, dtype=np.float32)
        if dense.shape[0] != len(texts):
            raise ValueError(f"{dense.shape[0]} embeddings given for {len(texts)} records")
        model_name = model
    return FeatureMatrix(sparse, dense, vectorizer=vectorizer, feature_names=names, model=model_name)


_LAZY = {"embed_texts", "EmbeddingCache", "resolve_model", "load_model", "DEFAULT_MODEL", "fit_tfidf", "TFIDF_DEFAULTS"}


def __getattr__(name):
    # Embedding helpers import lazily: torch and sentence-transformers take seconds to import,
    # and a TF-IDF-only project never needs them.
    if name in _LAZY:
        if name in ("fit_tfidf", "TFIDF_DEFAULTS"):
            from screener.features import tfidf as mod
        else:
            from screener.features import embeddings as mod
        return getattr(mod, name)
    raise AttributeError(f"module 'screener.features' has no attribute {name!r}")


__all__ = ["FEATURE_KINDS", "FeatureMatrix", "build_features", *sorted(_LAZY)]
