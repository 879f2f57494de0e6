"""A screening session: one project, its features and its prioritizer, kept warm.

``screener next``, the terminal screen, the web app and the demo all screen through this
class, so the retraining schedule, the stored rankings and the random samples that recall
guarantees need behave the same everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import ProjectError
from .project import Project, no_records_message
from .records import record_text
from .store import Decision


#: Said when no record has a title or abstract with a word in it (an import that missed the columns).
NO_TEXT_NOTE = ("none of the records has a title or abstract screener can read, so the ranking cannot learn which "
                "are relevant: they come in a fixed random order. Check what the import read ('screener export'); for "
                "a table with other column names, import it into a new project with --column title=\"...\" "
                "--column abstract=\"...\".")


def resolve_ranker(name: str | None, embeddings: bool = True) -> str:
    """A registry name for ``name``; "default" is the default ranker, or its lexical fallback
    when the project has no embedding model."""
    from .rankers import RANKERS, default_ranker

    name = name or "default"
    if name == "default":
        return default_ranker(embeddings)
    if name not in RANKERS:
        from .errors import ScreenerError, did_you_mean

        raise ScreenerError(f"unknown model {name!r}.{did_you_mean(name, ['default', *RANKERS])} Choose one of: "
                            f"{', '.join(['default', *RANKERS])}.")
    return name


class RecordTexts(Sequence):
    """Each record's model text (``record_text``), made when asked for: a rerank with cached
    features reads a handful (explanations), not all 100,000."""

    def __init__(self, titles: list, abstracts: list):
        self._titles, self._abstracts = titles, abstracts
        self._all: list[str] | None = None

    def __len__(self) -> int:
        return len(self._titles)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if self._all is not None:
            return self._all[i]
        return record_text(self._titles[i], self._abstracts[i])

    def __iter__(self):
        if self._all is None:
            self._all = [record_text(t, a) for t, a in zip(self._titles, self._abstracts)]
        return iter(self._all)


class StoredRecords:
    """The primary records' fields, read from the store when a row is first asked for.

    A rerank with cached features needs the texts of the batch and a few explanations, not of
    every record: reading all titles and abstracts of a 500,000-record project out of SQLite
    takes longer than the ranking itself. ``take`` reads many rows in pages of ``page`` ids, so
    walking every row (the first feature build) costs one query per page."""

    def __init__(self, store, record_ids, page: int = 5000):
        self.store, self.record_ids, self.page = store, np.asarray(record_ids), int(page)
        self._rows: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self.record_ids)

    def _fetch(self, rows, into: dict | None = None) -> dict:
        """Read the rows not yet held into ``into`` (default: the rows kept for later)."""
        into = self._rows if into is None else into
        missing = sorted({int(r) for r in rows} - self._rows.keys() - into.keys())
        for start in range(0, len(missing), self.page):
            chunk = missing[start:start + self.page]
            df = self.store.records_frame(self.record_ids[chunk].tolist())
            df = df.reindex(self.record_ids[chunk])
            for r, t, a in zip(chunk, df["title"].tolist(), df["abstract"].tolist()):
                into[r] = (t, a)
        return into

    def row(self, i: int) -> tuple:
        """(title, abstract) of row ``i`` (one query on a miss: explanations ask for scattered rows)."""
        i = int(i)
        if i not in self._rows:
            self._fetch([i])
        return self._rows[i]

    def take(self, rows, keep: bool = True) -> list[str]:
        """Model texts of ``rows`` (row numbers), read in as few queries as pages.

        ``keep=False``: not kept for later (the first feature build walks every record once;
        keeping them all would hold every abstract of the review in memory)."""
        got = self._fetch(rows, None if keep else {})
        return [record_text(*(self._rows.get(int(r)) or got[int(r)])) for r in rows]

    def frame(self, record_ids) -> pd.DataFrame:
        """Every stored field of these records, in this order (a batch, a record shown)."""
        return self.store.records_frame([int(i) for i in record_ids]).reindex(list(record_ids))


class _LazyTexts(Sequence):
    """Model texts (or titles) by row, read through ``StoredRecords`` when asked for."""

    def __init__(self, stored: StoredRecords, titles_only: bool = False):
        self._stored, self._titles_only = stored, titles_only

    def __len__(self) -> int:
        return len(self._stored)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        title, abstract = self._stored.row(i)
        return title if self._titles_only else record_text(title, abstract)

    def take(self, rows, keep: bool = True) -> list:
        if self._titles_only:
            got = self._stored._fetch(rows, None if keep else {})
            return [(self._stored._rows.get(int(r)) or got[int(r)])[0] for r in rows]
        return self._stored.take(rows, keep=keep)

    def __iter__(self):
        return iter(self.take(range(len(self))))


def skipped_records(project, decisions: pd.DataFrame | None = None) -> set[int]:
    """The records some ranking put before records screened from it, still unscreened
    (``screener.status.ranking_provenance``), and the records drawn into the random sample whose
    decision was withdrawn (pending in the sample again): until they are screened the recall
    estimate cannot say stop."""
    from .status import ranking_provenance

    cur = project.current_decisions() if decisions is None else decisions
    out = set(int(r) for r in ranking_provenance(project, cur, project.store.duplicate_ids()).skipped)
    pending = project._pending_sample()
    if pending:
        primary = project._primary_of()
        waiting = {int(primary.get(r, r)) for r in pending} - set(int(i) for i in cur.index)
        if waiting:
            log = project.decision_log()
            withdrawn = log.loc[log["decision"] == "retract", "record_id"].astype(int)
            out |= waiting & {int(primary.get(r, r)) for r in withdrawn}
    return out


def undone_of(project, records) -> set[int]:
    """Those of ``records`` (unscreened studies) decided at title/abstract before and undone since: put first by
    ``skipped_first`` as records passed over are, but read by the reviewer, not passed over."""
    if not len(records):
        return set()
    log = project._study_log("title_abstract")
    decided = log.loc[log["decision"] != "retract", "group_record_id"].astype(int)
    return set(int(r) for r in records) & set(decided.tolist())


def skipped_first(ranking: pd.DataFrame, skipped) -> pd.DataFrame:
    """``ranking`` (a frame with ``record_id``) with the ``skipped`` records first, each part in
    its order."""
    if not len(skipped):
        return ranking
    first = ranking["record_id"].isin(list(skipped))
    return pd.concat([ranking[first], ranking[~first]]).reset_index(drop=True)


def insert_settled(queue: pd.DataFrame, settled, shares) -> pd.DataFrame:
    """``queue`` (record_id, score, phase; best first) with each of ``settled`` put in at its
    ``share`` of the whole (0 the top; ``screener.status.placed_before_decided``); each takes
    its neighbour's score, so neither its place nor its score reflects how it was decided."""
    queue = queue.reset_index(drop=True)
    total = len(queue) + len(settled)
    slots = sorted((min(int(share * total), total - 1), int(s)) for s, share in zip(settled, shares))
    rows, it = [], iter(queue.itertuples(index=False))
    phase = queue["phase"].iloc[0] if len(queue) else ""
    last_score = float(queue["score"].iloc[0]) if len(queue) else 0.0
    k = 0
    for pos in range(total):
        if k < len(slots) and slots[k][0] <= pos:
            rows.append((slots[k][1], last_score, phase))
            k += 1
            continue
        nxt = next(it, None)
        if nxt is None:  # the queue is used up: the settled studies left follow in their order
            rows.extend((s, last_score, phase) for _, s in slots[k:])
            break
        rows.append((int(nxt.record_id), float(nxt.score), nxt.phase))
        last_score = float(nxt.score)
    return pd.DataFrame(rows, columns=["record_id", "score", "phase"])


def _key_field(value) -> str:
    """A stored field as text for a record's content key: missing as empty, authors joined."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def sample_waits(project, reviewer: str, unsettled: set) -> str:
    """Why dual screening draws ``reviewer`` no random sample yet: her draw leaves out the studies she has screened
    herself, and ``unsettled`` of them the team has not settled (no second reviewer yet, or a conflict). A draw
    without them is no sample of what the team has left: 'status' sets it aside
    (``screener.status._drawn_outside_the_teams_records``), after she has screened it. Its first sentence is the one
    'status' says (``screener.status.sample_waits_words``)."""
    from .status import sample_waits_words

    k = len(unsettled)
    return (f"{sample_waits_words(project, reviewer, unsettled)} A sample for the recall check is drawn from every "
            f"record the team has not settled; drawn for {reviewer} now, it would leave out "
            f"{'that record' if k == 1 else f'those {k} records'} and any include among them, so 'screener status' "
            f"would set it aside. Ask for the sample again once {'it is' if k == 1 else 'they are'} settled.")


class ScreeningSession:
    """Rank the unscreened records of ``project`` and take decisions.

    Rows of the feature matrix are the project's primary records (one per study) in record-id
    order; embeddings are cached in the project database, so they are computed once.
    ``embedding_model="none"`` keeps everything lexical (TF-IDF and the protocol's BM25 match).
    """

    def __init__(self, project: Project, *, ranker: str | None = None, embedding_model: str | None = None,
                 progress: bool = False, reviewer: str | None = None):
        from .queue import Prioritizer
        from .rankers import RANKER_FEATURES

        self.project = project
        settings = project.settings
        from .features.embeddings import no_model

        self.model = embedding_model or settings.get("embedding_model") or "default"
        if no_model(self.model):  # 'None' passes the option check: it must mean none here too
            self.model = "none"
        self.ranker_name = resolve_ranker(ranker or settings.get("ranker"), embeddings=self.model != "none")
        self.seed = int(settings.get("seed", 0))
        self.progress = progress
        self.reviewer = reviewer
        needs = RANKER_FEATURES[self.ranker_name]
        if self.model == "none" and needs != "tfidf":
            from .errors import ScreenerError

            raise ScreenerError(f"the ranking model {self.ranker_name} reads what the records mean (their embeddings), "
                                "but the embedding model is 'none': give --embedding-model default, or a ranking "
                                "model that reads the words alone (e.g. --model logreg-tfidf).")
        self.use_embeddings = self.model != "none"
        self.feature_kind = needs
        self.prioritizer = Prioritizer(self.ranker_name, strategy=settings.get("query", "max"),
                                       random_state=self.seed)
        self._lock = threading.RLock()
        #: Refit whenever the decisions differ from the last fit's (not on the retraining schedule):
        #: a review held open (``screener.keep_open``) then ranks as a fresh ``screener next`` does.
        self.refit_on_change = False
        self._loaded = False
        self._ranking: pd.DataFrame | None = None
        self.unsettled_own: set = set()
        self.sample_waits = ""
        self._last_labels: pd.Series | None = None
        #: stored with each ranking it stores: the team server's leading process marks its own (``web.engine``)
        self.stored_with: dict = {}

    # -- features -------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Read the records and build (or read back) their features now, not at the first ranking:
        on a big review the first time shows a progress bar."""
        with self._lock:
            self._load()

    def _load(self) -> None:
        if self._loaded:
            return
        from .features import build_features

        self._stamp = self._records_stamp()
        # ids only: the texts are read from the store when a row needs them
        self._records = None
        self.record_ids = self.project.store.primary_record_ids().to_numpy()
        if not len(self.record_ids):
            # said here, where every front end starts ranking, not as a model library's error
            raise ProjectError(no_records_message(self.project.dir))
        self.row_of = pd.Series(np.arange(len(self.record_ids)), index=self.record_ids)
        self.stored = StoredRecords(self.project.store, self.record_ids)
        self._keys = np.zeros(len(self.record_ids), dtype=np.uint64)  # ``_row_keys``, read when first needed
        self._have_keys = np.zeros(len(self.record_ids), dtype=bool)
        self.texts = _LazyTexts(self.stored)
        embeddings = None
        # embeddings are read by embedding rankers and by the protocol match; nothing else needs them
        wanted = self.feature_kind != "tfidf" or self.project.protocol is not None
        if self.use_embeddings and wanted and len(self.texts):
            from .features.embeddings import EmbeddingCache, embed_texts

            cache = EmbeddingCache(self.project.cache_path, own_file=self.project.store.shared)
            embeddings = embed_texts(self.texts, model=self.model, cache=cache, progress=self.progress)
        kind = self.feature_kind
        if kind in ("tfidf", "both") and len(self.texts):
            # TF-IDF through the project's feature cache: only records added since are counted
            from .features import FeatureMatrix
            from .features.cache import cached_tfidf, import_lineage

            vec, sparse, names = cached_tfidf(self.project.dir, self.record_ids, self.texts, progress=self.progress,
                                              lineage=import_lineage(self.project.store))
            self.X = FeatureMatrix(sparse, embeddings if kind == "both" else None, vectorizer=vec,
                                   feature_names=names, model=self.model if kind == "both" else None)
        elif kind == "tfidf":
            self.X = build_features(self.texts, "tfidf")
        else:
            self.X = build_features(self.texts, kind, embeddings=embeddings, model=self.model)
        self.embeddings = embeddings
        self.protocol = self.project.protocol
        self.protocol_scores = None
        self.protocol_row = None
        self.known_rows: list[int] = []
        self.known_missing: list[dict] = []  # the protocol's known relevant entries no record matches
        self.protocol_unmatched = False  # ranked without embeddings, and no record holds a word of the protocol
        if self.protocol is not None and len(self.texts):
            from .protocol import match_known_relevant_report, protocol_embedding, protocol_scores

            q = protocol_embedding(self.protocol, self.model) if embeddings is not None else None
            seen: dict = {}
            self.protocol_scores = protocol_scores(self.protocol, self.texts, embeddings=embeddings, model=self.model,
                                                   query_embedding=q, report=seen)
            if embeddings is None and not seen["records_matched"]:
                # no record holds a word of it (another topic, another language): every record scores
                # alike, and that order, shown as a protocol ranking, was read by 'status' as a ranking's
                # best. It is the random start a review without protocol text has, and says why
                self.protocol_unmatched, self.protocol_scores = True, None
            if self.X.sparse is not None or self.X.dense is not None:
                self.protocol_row = self.X.transform_text(
                    [self.protocol.text()], embeddings=None if self.X.dense is None else q[None, :])
            self.known_rows = self._known_rows(match_known_relevant_report)
        from .explain import Explainer

        self.explainer = Explainer(self.prioritizer, self.X, protocol=self.protocol,
                                   protocol_unmatched=self.protocol_unmatched,
                                   titles=_LazyTexts(self.stored, titles_only=True), ids=self.record_ids,
                                   texts=self.texts)
        self._loaded = True

    def _records_stamp(self) -> tuple:
        """The records, the studies and the duplicate groups (``screener.web.engine`` reads the same)."""
        store = self.project.store
        return store.n_records(), store.n_primary_records(), store.duplicates_stamp()

    def _read_again_if_records_changed(self) -> None:
        """A session kept open (the Python API) across an import or a merge ranked, and drew its random sample
        from, the records it read when it opened: a draw that left out the records imported since was no sample
        of what was left. Read them in; the model is fitted again on the new features."""
        if self._loaded and self._records_stamp() != self._stamp:
            from .queue import Prioritizer

            self._loaded = False
            self.prioritizer = Prioritizer(self.ranker_name, strategy=self.project.settings.get("query", "max"),
                                           random_state=self.seed)

    def _known_rows(self, match) -> list[int]:
        """Rows of the studies the protocol names as known relevant, matched on every copy of a
        study: the DOI may be on a duplicate only (the kept copy, the one with the abstract, lacks it)."""
        if not self.protocol.known_relevant:
            return []  # no record need be read
        copies = self.project.store.duplicate_ids()
        records = self.records[["doi", "title"]]
        if len(copies):
            records = pd.concat([records, self.project.store.records_frame(copies.tolist())[["doi", "title"]]])
        primary = self.project._primary_of()
        found, self.known_missing = match(self.protocol, records)
        studies = {int(primary.get(r, r)) for r in records.index[found]}
        return sorted(int(self.row_of[s]) for s in studies if s in self.row_of.index)

    @property
    def has_text(self) -> bool:
        """False when the word features are all empty (no title or abstract has a word in it): the
        ranking is then a fixed random order, which the reviewer should hear about."""
        with self._lock:
            self._load()
            sparse = getattr(self.X, "sparse", None)
            return sparse is None or sparse.nnz > 0

    @property
    def records(self) -> pd.DataFrame:
        """Every primary record with all its fields (read on first use: the terminal and the
        protocol match need them; a rerank does not)."""
        with self._lock:
            if getattr(self, "record_ids", None) is None:
                self._load()
            if self._records is None:
                self._records = self.project.records_frame()
            return self._records

    # -- ranking --------------------------------------------------------------------------------
    _KEY_FIELDS = ("title", "abstract", "authors", "year", "journal", "doi", "pmid")

    def _row_keys(self, rows) -> np.ndarray:
        """Content keys (``queue.content_keys``) of these rows' records, from their stored fields.

        Rows follow the record ids, which follow the order the exports were imported in: ties
        and the random order before the first include were broken by row, so the same exports
        imported in another order showed the reviewer other records first. Read only for the
        rows the ranking needs (tied scores, or all in a random order), once per session."""
        from .queue import content_keys

        rows = np.asarray(rows, dtype=np.int64)
        missing = rows[~self._have_keys[rows]]
        for start in range(0, len(missing), 5000):
            part = missing[start:start + 5000]
            df = self.project.store.records_frame(self.record_ids[part].tolist()).reindex(self.record_ids[part])
            cols = [[_key_field(v) for v in df[c].tolist()] if c in df.columns else [""] * len(df)
                    for c in self._KEY_FIELDS]
            self._keys[part] = content_keys("\x1f".join(f) for f in zip(*cols))
            self._have_keys[part] = True
        return self._keys[rows]

    def _labelled(self, current: pd.DataFrame):
        labels = self.project.labels(current=current)
        labels = labels[labels.index.isin(self.row_of.index)]
        maybe = current.index[(current["decision"] == "maybe") & current.index.isin(self.row_of.index)]
        self.explainer.maybe_rows = frozenset(int(r) for r in self.row_of[maybe])
        return self.row_of[labels.index].to_numpy(), labels.to_numpy()

    def ranking(self, *, refit: bool | None = None, save: bool = True) -> pd.DataFrame:
        """The unscreened studies in rank order: record_id, score, phase (retrains when due).

        Known relevant records named in the protocol come first until they are screened.
        """
        with self._lock:
            self._read_again_if_records_changed()
            self._load()
            cur = self.project.current_decisions()  # read once: the labels and the screened both come from it
            idx, y = self._labelled(cur)
            if refit is None and self.refit_on_change and not self.prioritizer.fitted_on(idx, y):
                refit = True
            dual = self.project.settings.get("mode") == "dual"
            own = set(self.project.current_decisions(reviewer=self.reviewer).index) if self.reviewer else set()
            r = self.prioritizer.rank(self.X, idx, y, protocol_scores=self.protocol_scores,
                                      protocol_row=self.protocol_row, refit=refit, row_keys=self._row_keys)
            ids = self.record_ids[r.order]
            out = pd.DataFrame({"record_id": ids, "score": r.scores, "phase": r.phase})
            off = set() if r.off_likelihood is None else set(ids[r.off_likelihood].tolist())
            screened = set(cur.index) | own
            # Dual screening: each reviewer screens every study, the ones the team has settled too.
            # Those go where they stood when first decided (``settled_order`` has the whole order):
            # left out, put last, or scored by today's model (trained on their agreed decisions,
            # which puts the agreed includes first) they would tell a reviewer how the others decided.
            self.settled_order = self._with_settled(
                out[~out["record_id"].isin(screened)], [i for i in cur.index if i not in own], cur) if dual else None
            # out of this reviewer's draws, though the team has not settled them (``sample_waits``)
            self.unsettled_own = own - set(cur.index) if dual else set()
            if dual and self.known_rows:
                # every reviewer's queue (the web's too, made with no reviewer) starts with the known
                # relevant studies they have not decided, the settled ones too: put first only while
                # unsettled, they would tell a reviewer which of them the others agree on
                known = set(self.record_ids[self.known_rows]) - own
                first = self.settled_order["record_id"].isin(known)
                self.settled_order = pd.concat([self.settled_order[first],
                                                self.settled_order[~first]]).reset_index(drop=True)
            out = out[~out["record_id"].isin(screened)]
            known = set()
            if self.known_rows:
                known = set(self.record_ids[self.known_rows]) - screened
                if known:
                    first = out["record_id"].isin(known)
                    out = pd.concat([out[first], out[~first]])
            out = out.reset_index(drop=True)
            self.last_rank_info = {"phase": r.phase, "refitted": r.refitted, "n_labelled": r.n_labelled,
                                   "n_includes": r.n_includes}
            # a ranking is stored when the model changed (a refit, a new phase), not after every
            # decision: between refits the order only loses the records just screened
            out["sampled"] = False
            if save and (r.refitted or r.redrawn or r.phase == "similarity"
                         or r.phase != getattr(self, "_saved_phase", None)):
                self._saved_phase = r.phase
                settings = {**r.settings, "embedding_model": self.model if self.use_embeddings else None,
                            "features": self.feature_kind, "phase": r.phase, "seed": self.seed}
                # the records it holds that are not there as the likeliest includes left: the known
                # relevant ones put first because the protocol names them, and the "mixed" query's
                # uncertain and random picks. What they turn out to be is no evidence of what the
                # ranking left (``screener.status.ranking_provenance``)
                # (stored under every strategy: before the first include "mixed" ranks as "max" does,
                # and a "mixed" ranking stored without them is read as no ranking at all)
                settings["known_first"] = sorted(int(i) for i in known)
                settings["off_likelihood"] = sorted(int(i) for i in off - known - screened)
                settings.update(self.stored_with)
                # stored as 'next', the terminal and the web show it: the records earlier rankings put before
                # records screened from them first (``skipped_first``). Stored in its model order, a batch that
                # screened them read as picks far below its top, and the records it had not shown above them as
                # passed over: 'status' named 8 others to screen first after the 8 it had asked for
                held = set() if dual else skipped_records(self.project, cur)
                if held:
                    settings["held_first"] = sorted(int(i) for i in held)
                stored = skipped_first(out, held)
                self.ranking_id = self.project.store.save_ranking(settings, stored, n_labelled=r.n_labelled)
            self._ranking = out
            if dual and self.reviewer:  # this reviewer's queue: every study they have not decided
                out = self.settled_order.copy()
                out["sampled"] = False
            return out

    def _with_settled(self, queue: pd.DataFrame, settled: list, cur: pd.DataFrame) -> pd.DataFrame:
        """``queue`` with the ``settled`` studies put in where they stood when first decided
        (``insert_settled``; their places cached until the decisions change)."""
        from .status import placed_before_decided

        if not settled:
            return queue.reset_index(drop=True)
        key = (len(cur), int(cur["decision_id"].max()))  # a study's place changes only with the decisions
        if getattr(self, "_placed_key", None) != key:
            self._placed = dict(zip(cur.index, placed_before_decided(self.project, cur.index).tolist()))
            self._placed_key = key
        return insert_settled(queue, settled, [self._placed[s] for s in settled])

    def skipped_first(self, ranking: pd.DataFrame) -> pd.DataFrame:
        """``ranking`` with the records an earlier ranking put before records screened from it
        first: until they are screened the recall estimate cannot say stop
        (``screener.status.off_the_ranking``). Every way of screening one by one (``next``, the
        terminal, the web) puts them first. Dual screening: unchanged (a reviewer's queue must not
        depend on what the others screened)."""
        if self.reviewer and self.project.settings.get("mode") == "dual":
            return ranking
        if ranking.empty or self.project.store.latest_ranking_id() is None:
            return ranking
        cur = self.project.current_decisions()
        # the pending sample too: a draw made since (another process's 'next --sample') may hold a
        # record whose decision was withdrawn
        key = (len(cur), int(cur["decision_id"].max()) if len(cur) else -1, self.project.store.latest_ranking_id(),
               tuple(sorted(self.project._pending_sample().items())))
        if getattr(self, "_skipped_key", None) != key:
            self._skipped = skipped_records(self.project, cur)
            self._undone = undone_of(self.project, self._skipped)
            self._skipped_key = key
        return skipped_first(ranking, self._skipped)

    def next_batch(self, n: int = 50, *, explain: bool = True, sample: int = 0) -> pd.DataFrame:
        """The next ``n`` records with title, abstract, score and the reasons they rank high.

        ``sample`` of the ``n`` are drawn uniformly at random from *every* unscreened record
        (the top of the ranking included) and marked ``sampled``; the rest of the batch is the
        top of the ranking. Drawing from the whole unscreened pool makes each draw's pool exactly
        "the records unscreened when it was made", which the recall bounds read from the log
        (``screener.stopping.qbcb.sample_draws``). The sample is remembered, so a decision on one
        of its records is logged as sampled however it arrives (batch file, terminal, web). Dual screening: none
        is drawn for a reviewer while records she has screened are not settled (``sample_waits`` says why): her
        pool leaves them out, and 'status' would set the draw aside after she had screened it.
        """
        ranking = self.skipped_first(self.ranking())
        pool = self._ranking  # the unscreened studies (in dual screening, not those the team has settled)
        sample = max(0, min(int(sample), n, len(pool)))
        #: Why no sample was drawn when one was asked for ("" when it was, or none was asked for).
        self.sample_waits = ""
        if sample and self.unsettled_own:
            self.sample_waits, sample = sample_waits(self.project, self.reviewer, self.unsettled_own), 0
        drawn = ranking.iloc[:0]
        if sample:
            from .stopping.sampling import draw_sample

            rng = np.random.default_rng([self.seed, len(self.project.decision_log())])
            idx, probs = draw_sample(np.arange(len(pool)), sample, rng=rng)
            drawn = pool.iloc[np.asarray(idx)].copy()
            drawn["sampled"] = True
            drawn["sample_prob"] = np.asarray(probs, dtype=float)
            self.project.remember_sample(dict(zip(drawn["record_id"].astype(int), drawn["sample_prob"])))
        top = ranking[~ranking["record_id"].isin(drawn["record_id"])].head(n - len(drawn)).copy()
        top["sample_prob"] = np.nan
        if len(drawn):
            top = pd.concat([top, drawn])
        batch = top.reset_index(drop=True)
        batch.insert(0, "rank", np.arange(1, len(batch) + 1))
        recs = self.records.loc[batch["record_id"]] if self._records is not None else self.stored.frame(
            batch["record_id"].tolist())
        for col in ("title", "abstract", "authors", "year", "journal", "doi", "pmid", "source_db"):
            batch[col] = recs[col].to_numpy()
        if explain:
            batch["reason"] = [("random sample (for the recall check); " if smp else "") + self.explain(rid)
                               for rid, smp in zip(batch["record_id"], batch["sampled"])]
        return batch

    def explain(self, record_id: int, *, blind: bool | None = None) -> str:
        """Plain words on why a record ranks where it does (``blind``: see ``Explainer.explain``;
        by default, in dual screening)."""
        if blind is None:
            blind = self.project.settings.get("mode") == "dual"
        self._load()
        text = self.explainer.explain(int(self.row_of[record_id]), blind=blind)["text"]
        if self.known_rows and int(record_id) in set(self.record_ids[self.known_rows].tolist()):
            # put first whatever its score ("higher comes first" would not say why it leads)
            text = "named in the protocol as known relevant, so shown first; " + text
        elif int(record_id) in getattr(self, "_skipped", ()) and self.project.settings.get("mode") != "dual":
            # put first by ``skipped_first``, whatever its score; one the reviewer decided and undid was read, not
            # passed over
            why = "its decision was undone" if int(record_id) in self._undone else "passed over in an earlier batch"
            text = f"{why}, so shown first (the stopping advice waits for it); " + text
        return text

    def highlight_terms(self, record_id: int) -> list[str]:
        """Protocol and model terms to highlight in a record's title and abstract."""
        self._load()
        return self.explainer.highlight_terms(int(self.row_of[record_id]))

    # -- decisions ------------------------------------------------------------------------------
    def decide(self, record_id: int, decision: str, *, reviewer: str = "reviewer", note: str | None = None,
               origin: str = "cli", sampled: bool = False, sample_prob: float | None = None, check=None,
               rest_before: list | None = None) -> None:
        """Save a decision at once (one transaction); the next ranking retrains when due. ``check``:
        run in the save's turn at the log (``Project.decide_many``), raises to refuse it. ``rest_before``:
        see ``Project.decide_many`` (files of one --decision exclude counted with the rest)."""
        self.project.decide(record_id, decision, reviewer=reviewer, note=note, origin=origin, sampled=sampled,
                            sample_prob=sample_prob, ranking_id=getattr(self, "ranking_id", None), check=check,
                            rest_before=rest_before)

    def undo(self, record_id: int, *, reviewer: str = "reviewer", origin: str = "cli") -> None:
        self.project.undo(record_id, reviewer=reviewer, origin=origin)

    def status(self, *, target_recall: float | None = None, confidence: float | None = None) -> dict:
        """Recall estimates and stopping advice for this project (``screener.status.recall_status``)."""
        from .status import recall_status

        return recall_status(self.project, target_recall=target_recall, confidence=confidence)
