"""TF-IDF features kept in the project folder, so a rerank does not re-read every word.

Building TF-IDF for 100,000 records takes minutes here; every ``screener next`` used to do it
again. What is stored is what does not change when records are added or duplicates regrouped:
each record's term counts (one row per record id) and the vocabulary, kept in sorted order.
At load, the rows of the records being ranked (the primaries) are taken out and the document
frequencies, the ``max_df`` cut and the IDF weights are computed from those rows alone, so
the matrix and vocabulary are the ones ``fit_tfidf`` gives on the same texts. Records added
since the last save are tokenised on their own and appended (new terms merged into the
vocabulary), then the file is saved again.

The vocabulary is capped (``tfidf.MAX_TERMS``, applied to the ranked records as ``fit_tfidf``
applies it), and the file keeps at most ``STORED_TERMS_FACTOR`` times that many terms, those
in most cached records: its size then grows with the records' words, not with a vocabulary
that word pairs make almost as long as the records.

Many new records at once (the first ranking of a big review) are counted ``COUNT_BLOCK`` at a
time, the vocabulary cut back after each block: memory stays bounded by one block's word pairs.

The cache is a file beside the project database (``features-tfidf.npz``), written under a
temporary name and renamed, so an interrupted save leaves the old file or none. Beside it,
``features-tfidf-selection/`` holds the ranked records' finished TF-IDF as plain arrays that a
rerank maps into memory instead of reading. A cache made with other TF-IDF settings, or naming
records the project lacks, is rebuilt; so is one made from other imports (``lineage``: a
project file deleted and made again in the folder numbers its records from 1 again, and the old
counts under those numbers would rank and explain the new records). A project on read-only
storage still ranks: the features are built in memory and not saved.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from screener.features.tfidf import LazyVocabulary as _LazyVocabulary
from screener.features.tfidf import l2_normalise_rows, make_vectorizer, top_terms, vocabulary_cap

CACHE_NAME = "features-tfidf.npz"
_FORMAT = 2
#: The cache keeps at most this many times the vocabulary cap (``tfidf.MAX_TERMS``).
STORED_TERMS_FACTOR = 2


def _unique() -> str:
    """A temporary-file tag of this process and thread: two sessions (the web app's threads, a
    command run beside it) never write the same temporary file."""
    import threading

    return f"{os.getpid()}-{threading.get_ident()}"


def _settings_key(options: dict | None) -> str:
    from screener.features.tfidf import TFIDF_DEFAULTS

    settings = {**TFIDF_DEFAULTS, **(options or {})}
    return hashlib.sha256(json.dumps({k: str(v) for k, v in sorted(settings.items())}).encode()).hexdigest()[:16]


def _count(texts: Sequence[str], options: dict | None, bar=None) -> tuple[sp.csr_matrix, np.ndarray]:
    """Raw term counts of ``texts`` with the project's analyzer; (counts, sorted terms).

    ``bar``: a ``_ReadingBar`` advanced as the texts are read (minutes at 100,000 records)."""
    from sklearn.feature_extraction.text import CountVectorizer

    analyzer = make_vectorizer(max(len(texts), 20), **(options or {})).build_analyzer()
    cv = CountVectorizer(analyzer=analyzer, dtype=np.int32)

    def feed():
        for i, t in enumerate(texts):
            if bar is not None and i % 1000 == 0 and i:
                bar.advance(1000)
            yield t

    try:
        counts = cv.fit_transform(feed())
    except ValueError:  # no words at all in these texts
        return sp.csr_matrix((len(texts), 0), dtype=np.int32), np.array([], dtype=object)
    finally:
        if bar is not None:
            bar.advance(len(texts) % 1000 or (1000 if len(texts) else 0))
    counts = sp.csr_matrix(counts)
    counts.sum_duplicates()
    counts.sort_indices()  # columns in order within each row, kept so by every later step
    return counts, cv.get_feature_names_out().astype(object)


class _ReadingBar:
    """One progress bar over every block of records read (none for a few records, nor where the output is no
    terminal: piped, the bar left a blank line at the top of the output)."""

    def __init__(self, total: int, show: bool, console=None):
        self.bar = None
        if show and total >= 2000:
            from rich import get_console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            console = console or get_console()
            if not console.is_terminal:
                return
            # one line of a 60-column terminal, a million records' too: longer ('Reading each record's words
            # (once)'), it showed '━╸    60… time left -:--…'
            self.bar = Progress(TextColumn("Reading words"), BarColumn(bar_width=10), MofNCompleteColumn(),
                                TextColumn("time left"), TimeRemainingColumn(), transient=True, console=console)
            self.bar.start()
            self.task = self.bar.add_task("count", total=total)

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=n)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


#: Records counted at a time when many are new: the table of every word and word pair seen is
#: then one block's, not the whole review's, so it stops growing with the review. Each further
#: block costs a merge and a cut of everything counted so far: for 490,000 records
#: (``benchmarks/bench_scale.py``) one pass took 900 s at 11.8 GB peak, 50,000-record blocks
#: 1,670 s at 10.2 GB, these 1,298 s at 11.3 GB. With the weighting done block by block too
#: (``SELECT_BLOCK``) the first ``next`` peaked at 10.1 GiB, the weighting alone at 5.0 GiB
#: (``benchmarks/results/scale_500k_first_next.md``): the rest of the peak is in counting and
#: merging the blocks' vocabularies.
COUNT_BLOCK = 250_000

#: Selected rows weighted at a time when the ranked records' TF-IDF is first made (``_compute``).
SELECT_BLOCK = 50_000


def _merge(counts_a, terms_a, counts_b, terms_b):
    """Stack two count matrices whose sorted vocabularies differ; the result's terms sorted."""
    terms = np.union1d(terms_a.astype(str), terms_b.astype(str)).astype(object)
    pos_a = np.searchsorted(terms.astype(str), terms_a.astype(str)) if len(terms_a) else np.zeros(0, np.int64)
    pos_b = np.searchsorted(terms.astype(str), terms_b.astype(str)) if len(terms_b) else np.zeros(0, np.int64)

    def remap(m, pos):
        m = sp.csr_matrix(m)
        return sp.csr_matrix((m.data, pos[m.indices] if len(pos) else m.indices, m.indptr),
                             shape=(m.shape[0], len(terms)))

    return sp.vstack([remap(counts_a, pos_a), remap(counts_b, pos_b)], format="csr"), terms


class TfidfCache:
    """Term counts per record id and the vocabulary, stored in ``directory``."""

    def __init__(self, directory, options: dict | None = None, lineage: Sequence[str] | None = None):
        self.path = Path(directory) / CACHE_NAME
        self.options = dict(options or {})
        self.key = _settings_key(self.options)
        #: the imports the records come from (``import_lineage``); None: not checked
        self.lineage = None if lineage is None else [str(x) for x in lineage]
        self.record_ids = np.zeros(0, dtype=np.int64)
        self._counts = sp.csr_matrix((0, 0), dtype=np.int32)
        self._terms = np.array([], dtype=object)
        self._stored_words: _BlobTerms | None = None  # the stored vocabulary, split when words are needed
        self.saved = False

    @property
    def terms(self) -> np.ndarray:
        """The vocabulary, sorted (object array of str)."""
        if self._terms is None:
            self._terms = self._stored_words.all()
        return self._terms

    @terms.setter
    def terms(self, value) -> None:
        self._terms, self._stored_words = value, None

    def n_terms(self) -> int:
        return len(self._terms) if self._terms is not None else len(self._stored_words)

    # -- storage ------------------------------------------------------------------------------
    def load(self) -> bool:
        """Read the record ids and vocabulary; the counts are read when first needed."""
        if not self.path.exists():
            return False
        try:
            with np.load(self.path, allow_pickle=False) as z:
                if int(z["format"]) != _FORMAT or str(z["key"]) != self.key:
                    return False
                ids = z["record_ids"].astype(np.int64)
                self._shape = tuple(int(x) for x in z["shape"])
                blob = z["terms"]
                stored = z["lineage"].tobytes().decode("utf-8").split("\n") if "lineage" in z else None
        except (OSError, ValueError, KeyError):  # damaged or from another version: rebuilt
            return False
        if self.lineage is not None:
            # counts of records from imports this project never had (or an older file that does
            # not say which): another project's records under the same numbers
            stored = [x for x in stored or [] if x]
            if not stored and self.lineage or not set(stored) <= set(self.lineage):
                return False
        self.record_ids, self._counts = ids, None
        self._terms, self._stored_words = None, _BlobTerms(blob)
        return True

    def _read(self, *names):
        with np.load(self.path, allow_pickle=False) as z:
            return [z[k] for k in names]

    @property
    def counts(self) -> sp.csr_matrix:
        if self._counts is None:
            data, indices, indptr = self._read("data", "indices", "indptr")
            self._counts = sp.csr_matrix((data.astype(np.int32), indices, indptr), shape=self._shape)
        return self._counts

    @counts.setter
    def counts(self, value) -> None:
        self._counts = value

    def save(self) -> bool:
        """Write the cache (temporary name, then rename); False where the folder is read-only."""
        tmp = self.path.with_name(f"{self.path.name}.{_unique()}.partial.npz")
        c = self.counts
        small = c.data.max(initial=0) < 2 ** 16
        try:
            np.savez(tmp, format=np.int64(_FORMAT), key=np.str_(self.key), record_ids=self.record_ids,
                     shape=np.array(c.shape, dtype=np.int64),
                     data=c.data.astype(np.uint16 if small else np.int32), indices=c.indices, indptr=c.indptr,
                     lineage=np.frombuffer("\n".join(self.lineage or []).encode("utf-8"), dtype=np.uint8),
                     terms=np.frombuffer("\n".join(self.terms.tolist()).encode("utf-8"), dtype=np.uint8))
            os.replace(tmp, self.path)
        except BaseException as exc:  # Ctrl-C too: a partial file as large as the cache, left at each one
            try:
                tmp.unlink()
            except OSError:
                pass
            if not isinstance(exc, OSError):
                raise
            return False
        self.saved = True
        return True

    # -- update -------------------------------------------------------------------------------
    def update(self, record_ids: Sequence[int], texts: Sequence[str], progress: bool = False) -> int:
        """Count the records not yet in the cache; how many were added (0: nothing to save)."""
        record_ids = np.asarray(record_ids, dtype=np.int64)
        have = np.isin(record_ids, self.record_ids)
        if have.all():
            return 0
        new = np.flatnonzero(~have)
        take = getattr(texts, "take", None)  # texts read from the store: one query per page
        bar = _ReadingBar(len(new), progress)
        try:
            # block by block, the vocabulary pruned after each (as after any update): memory stays
            # bounded by a block and the capped vocabulary, whatever the number of records
            for start in range(0, len(new), COUNT_BLOCK):
                part = new[start:start + COUNT_BLOCK]
                block = take(part, keep=False) if take else [texts[i] for i in part]
                counts, terms = _count(block, self.options, bar)
                del block
                if self.counts.shape[0] == 0:
                    self.counts, self.terms = counts, terms
                else:
                    self.counts, self.terms = _merge(self.counts, self.terms, counts, terms)
                self.record_ids = np.concatenate([self.record_ids, record_ids[part]])
                self._prune()
        finally:
            bar.stop()
        return len(new)

    def _prune(self) -> None:
        """Keep at most ``STORED_TERMS_FACTOR`` x the vocabulary cap, the terms in most cached
        records: the file then stops growing with the vocabulary. The margin keeps every term
        a ranking can use (the cap is applied again to the ranked records at load); a dropped
        term that turns up in later records starts counting again from those."""
        cap = vocabulary_cap(self.options)
        keep = top_terms(np.bincount(self.counts.indices, minlength=len(self.terms)),
                         None if cap is None else STORED_TERMS_FACTOR * cap)
        if keep is None:
            return
        counts = sp.csr_matrix(self.counts[:, keep])
        counts.sort_indices()  # kept columns ascending: rows stay in column order
        self.counts, self.terms = counts, self.terms[keep]

    # -- features -----------------------------------------------------------------------------
    # The selection's finished TF-IDF (values, columns, row pointers, kept terms, idf) is kept as
    # plain .npy files in a folder named by a hash of the selected record ids and the settings,
    # and opened memory-mapped: a rerank of 500,000 records then reads no 2 GB file into memory
    # first, the pages come from the operating system's cache as the scores are computed. A
    # folder, once complete, is never changed; a new selection writes a new one (under a
    # temporary name, then renamed) and removes the others, and a reader that has one open keeps
    # its mapped files until it is done.
    _SELECTION_ARRAYS = ("data", "indices", "indptr", "cols", "idf")

    def _selection_root(self) -> Path:
        return self.path.with_name(CACHE_NAME.replace(".npz", "-selection"))

    def _selection_stats(self, record_ids: np.ndarray, n_terms: int) -> dict | None:
        """The last selection's TF-IDF (values, kept columns, idf inputs), if ``record_ids`` is it.

        The selection (the primaries) changes only when records are added or duplicates
        regrouped, so most reranks read the finished values back."""
        origin = "\n".join(sorted(self.lineage or []))  # the same ids in a project made again are other records
        key = hashlib.sha256(record_ids.tobytes()
                             + f"{self.key}:{_FORMAT}:{n_terms}:{origin}".encode()).hexdigest()[:32]
        self._selection_key = key
        folder = self._selection_root() / key
        try:
            return {k: np.load(folder / f"{k}.npy", mmap_mode="r", allow_pickle=False)
                    for k in self._SELECTION_ARRAYS}
        except (OSError, ValueError):  # none yet, or damaged: computed again
            return None

    def _save_selection(self, n_terms: int, **arrays) -> None:
        import shutil

        root = self._selection_root()
        folder = root / self._selection_key
        tmp = root / f"{self._selection_key}.{_unique()}.partial"
        try:
            tmp.mkdir(parents=True, exist_ok=True)
            for k in self._SELECTION_ARRAYS:
                np.save(tmp / f"{k}.npy", np.ascontiguousarray(arrays[k]), allow_pickle=False)
            try:
                os.rename(tmp, folder)
            except OSError:  # another process saved the same selection first
                shutil.rmtree(tmp, ignore_errors=True)
            for old in root.iterdir():  # earlier selections (and the old single-file form)
                if old.name != self._selection_key and not old.name.endswith(".partial"):
                    shutil.rmtree(old, ignore_errors=True)
            legacy = self.path.with_name(CACHE_NAME.replace(".npz", "-selection.npz"))
            if legacy.exists():
                legacy.unlink()
        except BaseException as exc:  # read-only storage: computed again next time; Ctrl-C: nothing left
            shutil.rmtree(tmp, ignore_errors=True)
            if not isinstance(exc, OSError):
                raise

    def features(self, record_ids: Sequence[int]):
        """(vectorizer, csr TF-IDF matrix) for ``record_ids`` in that order, as ``fit_tfidf`` gives."""
        record_ids = np.asarray(record_ids, dtype=np.int64)
        n = len(record_ids)
        vec = make_vectorizer(n, **self.options)
        if vec.max_features is not None or not vec.use_idf or vec.norm != "l2":
            return None  # settings the cache does not reproduce: the ordinary fit decides
        all_rows = np.array_equal(record_ids, self.record_ids)
        n_terms = self.n_terms()
        hit = self._selection_stats(record_ids, n_terms)
        if hit is not None:
            cols, idf = np.asarray(hit["cols"]), np.asarray(hit["idf"])
            X = sp.csr_matrix((n, len(cols)), dtype=hit["data"].dtype)  # the mapped arrays, as they are:
            X.data, X.indices, X.indptr = hit["data"], hit["indices"], hit["indptr"]  # no copy, no check
        else:
            out = self._compute(record_ids, all_rows, vec)
            if out is None:
                return None
            X, cols, idf = out
            self._save_selection(n_terms, cols=cols, idf=idf, data=X.data, indices=X.indices, indptr=X.indptr)
        X.has_sorted_indices = True  # column order kept: cached rows are sorted, the filter is monotone
        # the kept terms, made into words when asked for: a rerank explains 50 records, it does
        # not need a million words
        terms = self._stored_words.subset(cols) if self._terms is None else self.terms[cols]
        vec.vocabulary_ = _LazyVocabulary(terms)
        vec.fixed_vocabulary_ = False
        vec.idf_ = idf
        vec._cached_terms = terms
        return vec, X

    def _compute(self, record_ids, all_rows, vec):
        """TF-IDF of the selected rows from the counts: (matrix, kept columns, idf) or None.

        ``SELECT_BLOCK`` rows at a time, in three passes (document frequencies; the kept
        terms per row; the weighted values, written into the finished arrays): besides the
        counts and the result, memory holds one block, not a copy of every selected row and
        several arrays as long as all their words (at 490,000 records those made the peak)."""
        n = len(record_ids)
        counts = self.counts
        if all_rows:
            rows = None  # every cached record, in cached order: nothing to take out
        else:
            order = np.argsort(self.record_ids, kind="stable")
            rows = order[np.searchsorted(self.record_ids, record_ids, sorter=order)]

        def blocks():
            for a in range(0, n, SELECT_BLOCK):
                b = min(a + SELECT_BLOCK, n)
                yield a, b, counts[a:b] if rows is None else counts[rows[a:b]]

        df = np.zeros(counts.shape[1], dtype=np.int64)
        for _, _, C in blocks():
            df += np.bincount(C.indices, minlength=counts.shape[1])
        max_df = vec.max_df if isinstance(vec.max_df, (int, np.integer)) else vec.max_df * n
        min_df = vec.min_df if isinstance(vec.min_df, (int, np.integer)) else vec.min_df * n
        keep = (df > 0) & (df <= max_df) & (df >= min_df)
        if not keep.any():
            return None  # no usable words: the ordinary fit has a fallback
        # Column filter, tf weighting, idf and row norms on the raw arrays: O(non-zeros), without
        # scipy's general (and here much slower) sparse products.
        cols = np.flatnonzero(keep)
        top = top_terms(df[cols], vocabulary_cap(self.options))  # the same cut as fit_tfidf
        if top is not None:
            cols = cols[top]
        dtype = np.dtype(vec.dtype)
        all_cols = len(cols) == counts.shape[1]  # the usual case: no term cut, columns as they are
        new_col = None
        if not all_cols:
            new_col = np.full(counts.shape[1], -1, dtype=np.int32)
            new_col[cols] = np.arange(len(cols), dtype=np.int32)
        row_len = np.zeros(n, dtype=np.int64)
        for a, b, C in blocks():
            if all_cols:
                row_len[a:b] = np.diff(C.indptr)
            else:
                kept = new_col[C.indices] >= 0
                rows_of = np.repeat(np.arange(b - a), np.diff(C.indptr))
                row_len[a:b] = np.bincount(rows_of[kept], minlength=b - a)
        idx_dtype = np.int32 if row_len.sum() < 2 ** 31 and len(cols) < 2 ** 31 else np.int64
        indptr = np.zeros(n + 1, dtype=idx_dtype)
        np.cumsum(row_len, out=indptr[1:])
        indices = np.empty(int(indptr[-1]), dtype=idx_dtype)
        data = np.empty(int(indptr[-1]), dtype=dtype)
        dfk = df[cols].astype(np.float64)
        idf = np.log((1 + n) / (1 + dfk)) + 1 if vec.smooth_idf else np.log(n / dfk) + 1
        idf_t = idf.astype(dtype)
        for a, b, C in blocks():
            if all_cols:
                ind, val = C.indices, C.data.astype(dtype)
            else:
                mapped = new_col[C.indices]
                kept = mapped >= 0
                ind, val = mapped[kept], C.data[kept].astype(dtype)
            if vec.sublinear_tf:
                np.log(val, out=val)
                val += 1
            val *= idf_t[ind]
            lo, hi = int(indptr[a]), int(indptr[b])
            l2_normalise_rows(val, indptr[a:b + 1] - lo)
            indices[lo:hi] = ind
            data[lo:hi] = val
        return sp.csr_matrix((data, indices, indptr), shape=(n, len(cols))), cols, idf


class _BlobTerms:
    """Words of a stored vocabulary (UTF-8, one per line), or the ``subset`` at some columns.

    Indexing by position gives a str (an array of positions, an object array), as the
    vocabulary array would; splitting the whole blob waits until all words are wanted."""

    def __init__(self, blob):
        self._blob = np.asarray(blob, dtype=np.uint8)
        ends = np.flatnonzero(self._blob == 10)
        if len(self._blob):
            ends = np.append(ends, len(self._blob))
        self._starts = np.concatenate([[0], ends[:-1] + 1]) if len(ends) else np.zeros(0, np.int64)
        self._ends = ends
        self._cols = None

    def subset(self, cols) -> "_BlobTerms":
        """The words at ``cols``, sharing this one's blob and word boundaries."""
        out = object.__new__(_BlobTerms)
        out._blob, out._starts, out._ends = self._blob, self._starts, self._ends
        out._cols = np.asarray(cols, dtype=np.int64) if self._cols is None else self._cols[np.asarray(cols)]
        return out

    def __len__(self) -> int:
        return len(self._ends) if self._cols is None else len(self._cols)

    def _word(self, j: int) -> str:
        return self._blob[self._starts[j]:self._ends[j]].tobytes().decode("utf-8")

    def __getitem__(self, i):
        if isinstance(i, (int, np.integer)):
            n = len(self)
            if not -n <= i < n:
                raise IndexError(f"term {i} of {n}")
            return self._word(int(self._cols[i]) if self._cols is not None else int(i) % n)
        pos = np.arange(len(self))[i]
        return np.array([self[int(k)] for k in np.atleast_1d(pos)], dtype=object)

    def all(self) -> np.ndarray:
        if not len(self._blob):
            return np.array([], dtype=object)
        words = np.array(self._blob.tobytes().decode("utf-8").split("\n"), dtype=object)
        return words if self._cols is None else words[self._cols]

    def tolist(self) -> list:
        return self.all().tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __array__(self, dtype=None, copy=None):
        out = self.all()
        return out if dtype is None else out.astype(dtype)


def import_lineage(store) -> list[str]:
    """One mark per import of the project (its number, file checksum and time): records are
    only ever added by imports, so a cache made from these imports holds these records' words."""
    sources = store.sources_frame()
    return [f"{sid}:{sha}:{at}" for sid, sha, at in zip(sources.index, sources["sha256"], sources["imported_at"])]


def cached_tfidf(directory, record_ids: Sequence[int], texts: Sequence[str], options: dict | None = None, *,
                 progress: bool = False, lineage: Sequence[str] | None = None):
    """(vectorizer, matrix, feature names) for these records, through the project's cache.

    Reads the cache, counts only records it lacks, saves it when it changed (skipped quietly on
    read-only storage), and returns the TF-IDF of ``record_ids`` (rows in that order).
    ``lineage``: the project's imports (``import_lineage``); a cache made from others is rebuilt."""
    from screener.features.tfidf import fit_tfidf

    cache = TfidfCache(directory, options, lineage)
    loaded = cache.load()
    if loaded and not np.isin(cache.record_ids, np.asarray(record_ids)).any() and len(cache.record_ids):
        loaded = False  # a cache of other records (a replaced project database): start again
    if not loaded:
        cache = TfidfCache(directory, options, lineage)
    if cache.update(record_ids, texts, progress):
        cache.save()
    out = cache.features(record_ids)
    if out is None:
        vec, X = fit_tfidf(texts, **(options or {}))
        return vec, X, vec.get_feature_names_out()
    vec, X = out
    return vec, X, vec._cached_terms
