"""Why a record is ranked where it is: the words that pushed it up, and the include (or maybe) it resembles.

A reviewer trusts (and checks) a ranking better when it shows its reasons. For a linear model
on TF-IDF a term's push is its weight in the record times the model's coefficient; at cold
start it is the protocol terms the record matches. The most similar labelled include (cosine
on embeddings, else TF-IDF) says "this looks like something you already included".
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


class Explainer:
    """Explanations for the prioritizer's latest ranking.

    ``protocol``: the Protocol used at cold start (its terms explain protocol-phase ranks);
    ``titles``: record titles by row (quoted for the similar include); ``ids``: how to name a
    record by row (e.g. its record_id), default the row number; ``texts``: record texts by row
    (only needed when there are no TF-IDF features). ``protocol_unmatched``: no record holds a word of
    the protocol, so the records came in random order though there is one (not "no protocol yet").
    ``maybe_rows``: the rows marked maybe, which the ranking learns as includes: the record one resembles is
    named as marked maybe, not as included (set by the screening session with each ranking).
    """

    def __init__(self, prioritizer, X, *, protocol=None, titles: Sequence[str] | None = None,
                 ids: Sequence | None = None, texts: Sequence[str] | None = None, protocol_unmatched: bool = False):
        self.prioritizer = prioritizer
        self.X = X
        self.protocol = protocol
        self.protocol_unmatched = bool(protocol_unmatched)
        self.titles = titles
        self.ids = ids
        self.texts = texts
        self.maybe_rows: frozenset[int] = frozenset()
        self._protocol_vec = None

    # -- parts ---------------------------------------------------------------------------
    def _phase(self) -> str:
        last = getattr(self.prioritizer, "last_ranking_", None)
        if last is not None:
            return last.phase
        return "model" if getattr(self.prioritizer, "ranker_", None) is not None else "random"

    def _reads_meaning(self, phase: str | None) -> str:
        """"only" / "too" when the ranking reads the records' sentence embeddings (alone / beside
        TF-IDF), else "". A record ranked by meaning may share no word with the includes: "few terms
        in common" would then read as the reason it ranks where it does. ``phase`` None (blind): the
        project's ranker, whatever the phase, so the words do not change as agreed decisions come in."""
        if self.X.dense is None or phase in ("random", "protocol"):
            return ""
        if phase == "similarity":
            return "only"  # cosine to the includes' mean embedding (``_centroid_similarity``)
        ranker = getattr(self.prioritizer, "ranker_", None) if phase == "model" else None
        if ranker is None:
            ranker = getattr(self.prioritizer, "ranker", None)
        kinds = set(_feature_kinds(ranker))
        if not kinds & {"embedding", "concat"}:
            return ""
        return "only" if kinds == {"embedding"} else "too"

    def _includes(self) -> np.ndarray:
        idx = np.asarray(getattr(self.prioritizer, "labelled_idx_", []), dtype=np.int64)
        y = np.asarray(getattr(self.prioritizer, "labels_", []), dtype=np.int64)
        return idx[y == 1] if len(idx) else idx

    def _protocol_terms(self, idx: int, k: int) -> list[tuple[str, float]]:
        """Up to ``k`` protocol terms this record holds, as (term, 1.0) pairs."""
        from screener.protocol import matched_terms

        return [(t, 1.0) for t in matched_terms(self.protocol, self.texts[idx]) if _tells_something(t)][:k]

    def term_pushes(self, idx: int, k: int = 5) -> list[tuple[str, float]]:
        """Up to ``k`` (term, push) pairs, strongest first; push > 0 means towards include."""
        X = self.X
        idx = int(idx)
        phase = self._phase()
        ranker = getattr(self.prioritizer, "ranker_", None)
        if X.sparse is None or X.feature_names is None:
            if self.protocol is not None and self.texts is not None and phase in ("protocol", "similarity", "model"):
                return self._protocol_terms(idx, k)
            return []
        if phase == "protocol" and self.protocol is not None and self.texts is not None:
            # the terms the protocol match scored: the protocol's TF-IDF would also name the words
            # it leaves out (review, studies, systematic) and miss a plural it matches
            return self._protocol_terms(idx, k)
        row = X.sparse[idx]
        cols, vals = row.indices, row.data
        weights = None
        if phase == "model" and ranker is not None:
            weights = ranker.term_weights()
        if weights is None and phase in ("similarity", "model"):
            inc = self._includes()
            if len(inc):
                weights = np.asarray(X.sparse[inc].mean(axis=0)).ravel()
        if weights is None and self.protocol is not None and X.vectorizer is not None:
            if self._protocol_vec is None:
                self._protocol_vec = np.asarray(
                    X.vectorizer.transform([self.protocol.text()]).toarray()).ravel()
            weights = self._protocol_vec
        if weights is None or len(cols) == 0:
            return []
        push = vals * weights[cols]
        out = []
        for j in np.argsort(-push, kind="stable"):
            if push[j] <= 0 or len(out) == k:
                break
            term = str(X.feature_names[cols[j]])
            if _tells_something(term):  # "of the", "2019" rank, but tell a reviewer nothing
                out.append((term, float(push[j])))
        return out

    def similar_include(self, idx: int) -> dict | None:
        """The labelled include most like this record: {"row", "id", "similarity", "title"}."""
        inc = self._includes()
        inc = inc[inc != int(idx)]
        if not len(inc):
            return None
        X = self.X
        if X.dense is not None:
            sims = X.dense[inc] @ X.dense[int(idx)]
        else:
            # the includes' rows are taken out once per set of includes, and the record's row is
            # spread into a dense vector: a sparse-by-sparse product would turn a million-term
            # vocabulary around for every record explained
            key = inc.tobytes()
            if getattr(self, "_inc_key", None) != key:
                self._inc_key, self._inc_rows = key, X.sparse[inc]
            row = X.sparse[int(idx)]
            v = np.zeros(X.sparse.shape[1], dtype=np.float64)
            v[row.indices] = row.data
            sims = np.asarray(self._inc_rows @ v).ravel()
        j = int(np.argmax(sims))
        row = int(inc[j])
        return {
            "row": row,
            "id": self.ids[row] if self.ids is not None else row,
            "similarity": float(sims[j]),
            "title": None if self.titles is None else self.titles[row],
        }

    # -- the public answers --------------------------------------------------------------
    def explain(self, idx: int, k: int = 5, *, blind: bool = False) -> dict:
        """{"row", "phase", "terms", "term_pushes", "similar_include", "text"}.

        ``blind`` (blind dual screening): no most similar include, and the same words in every
        phase. Naming an agreed include, or the text changing from "protocol terms" to "terms" at
        the first agreed include, would tell a reviewer how the other one decided."""
        phase = self._phase()
        pushes = self.term_pushes(idx, k)
        sim = None if blind else self.similar_include(idx)
        parts = []
        if pushes:
            label = "protocol terms" if phase == "protocol" and not blind else "terms"
            if not blind and self._reads_meaning(phase) == "only":
                # the words come from the includes' TF-IDF, not from what ranked the record
                label = "ranked by meaning (sentence embeddings); terms in common with the includes"
            parts.append(f"{label}: " + ", ".join(t for t, _ in pushes))
        if sim is not None and sim["similarity"] > 0:
            t = (f"like record {sim['id']} (marked maybe)" if sim["row"] in self.maybe_rows else
                 f"like included record {sim['id']}")
            title = sim["title"]
            if isinstance(title, str) and title.strip():  # a missing title is NaN, never the word 'nan'
                title = title.strip()
                t += f": '{title[:80] + '…' if len(title) > 80 else title}'"
            parts.append(t)
        if not parts:
            meaning = self._reads_meaning(None if blind else phase)
            parts.append(("shown in random order: none of the records holds a word of the protocol, and no include "
                          "yet" if self.protocol_unmatched else "no includes or protocol yet: shown in random order")
                         if phase == "random" and not blind
                         else "no strong reason: few terms in common with the protocol" if phase == "protocol"
                         and not blind else "no strong reason in shared terms: ranked by meaning"
                         f"{' too' if meaning == 'too' else ''} (sentence embeddings), which names no words"
                         if meaning else "no strong reason: few terms in common with the includes")
        return {
            "row": int(idx),
            "phase": phase,
            "terms": [t for t, _ in pushes],
            "term_pushes": pushes,
            "similar_include": sim,
            "text": "; ".join(parts),
        }

    def highlight_terms(self, record_idx: int, k: int = 8) -> list[str]:
        """Terms to highlight in this record's title/abstract (lower case): the strongest pushes,
        then the protocol's key terms (only those present, when ``texts`` was given)."""
        terms = [t for t, _ in self.term_pushes(record_idx, k)]
        if self.protocol is not None:
            text = None if self.texts is None else str(self.texts[int(record_idx)]).lower()
            for t in self.protocol.terms():
                t = t.lower()
                if t not in terms and (text is None or t in text):
                    terms.append(t)
        return terms


def _feature_kinds(ranker) -> list[str]:
    """The feature blocks a ranker (by registry name or instance, fusions by their parts) reads."""
    if isinstance(ranker, str):
        from screener.rankers import RANKER_FEATURES

        kind = RANKER_FEATURES.get(ranker)
        return [] if kind is None else ["tfidf", "embedding"] if kind == "both" else [kind]
    parts = getattr(ranker, "components", None)
    if parts:
        return [k for c in parts for k in _feature_kinds(c)]
    kind = getattr(ranker, "features", None)
    return [kind] if isinstance(kind, str) else []


def _tells_something(term: str) -> bool:
    """Not only function words and bare numbers: "around 2019", "001" (a p value's digits) rank
    like any term, but shown as why a record ranks high they read as noise. "covid 19", "sf 36",
    "2slgbtq" hold a word, and stay. Explanations only: the ranking reads every term."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return not all(w in ENGLISH_STOP_WORDS or w.isdigit() for w in term.lower().split())


def explain(prioritizer, X, idx: int, *, k: int = 5, **kwargs) -> dict:
    """Why row ``idx`` is ranked where it is (see ``Explainer.explain``)."""
    return Explainer(prioritizer, X, **kwargs).explain(idx, k)


def highlight_terms(prioritizer, X, record_idx: int, *, k: int = 8, **kwargs) -> list[str]:
    """Terms to highlight in a record (see ``Explainer.highlight_terms``)."""
    return Explainer(prioritizer, X, **kwargs).highlight_terms(record_idx, k)


__all__ = ["Explainer", "explain", "highlight_terms"]
