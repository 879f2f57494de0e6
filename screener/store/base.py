"""The store interface: what a review project asks of its database.

Callers (the project, the CLI, the web app) talk only to this interface and never write SQL,
so a server database (PostgreSQL) can take SQLite's place by implementing it once.
The decision log is append-only: the current label of a record is derived from it.
"""

from __future__ import annotations

import abc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import pandas as pd

#: Roles of a reviewer account: the owner adds accounts, ends the blinding and resolves
#: conflicts at any time; a reviewer screens.
ROLES = ("owner", "reviewer")


def is_database_url(text) -> bool:
    """Whether a project's database is a PostgreSQL address (else it is the SQLite file)."""
    return isinstance(text, str) and re.match(r"^postgres(ql)?://", text) is not None



#: The ``origin`` of the decisions of one ``label --decision exclude`` that left no record unscreened, on
#: the records left (followed by the file's name): the rest excluded unread when screening stopped.
#: Status, the report and PRISMA count them as excluded unscreened ("not screened" in PRISMA 2020),
#: not as screened; a decision entered on such a record later (it was read after all) counts as screened.
REST_EXCLUDED = "label-rest:"


def is_rest_excluded(origin) -> bool:
    """Whether a decision of this ``origin`` is the rest excluded unread at the stop (``REST_EXCLUDED``)."""
    return str(origin).startswith(REST_EXCLUDED)


def rest_excluded(origins) -> np.ndarray:
    """``is_rest_excluded`` of each origin of a Series (or any list of them), as a boolean array."""
    return pd.Series(origins, dtype=object).astype(str).str.startswith(REST_EXCLUDED).to_numpy(dtype=bool)


@dataclass
class Decision:
    """One screening decision, as appended to the log.

    ``decision`` is include / exclude / maybe, or ``retract`` (an undo: the record goes back to
    unscreened for that reviewer). ``sampled`` marks decisions on records drawn in a random or
    score-proportional sample: recall guarantees rely on knowing which those were.
    ``sample_drawn_at``: for a sampled decision, how many studies had been screened when its
    sample was drawn (the draw's pool was the rest); an unbiased estimate from several draws
    needs to know which records were drawn together.
    ``role`` is "reviewer" or "resolver" (settles a dual-screening conflict).
    ``request_id``: the client's key for the request that made it; a request sent again after
    its answer was lost (a dropped connection, a restarted server) is logged once.
    ``reason``: why, in the reviewer's words (e.g. "wrong population"); PRISMA reports the
    full-text exclusions per reason. Apart from ``note``, which is free comment.
    """

    record_id: int
    decision: str
    reviewer: str = "reviewer"
    stage: str = "title_abstract"
    note: str | None = None
    origin: str = "cli"
    sampled: bool = False
    sample_prob: float | None = None
    sample_drawn_at: int | None = None
    role: str = "reviewer"
    created_at: str | None = None
    ranking_id: int | None = None
    request_id: str | None = None
    reason: str | None = None


#: A reviewer's word on a pair of records that de-duplication was unsure about.
DEDUP_DECISIONS = ("merge", "separate")
#: What else the pair log holds: "split", a record the reviewer took out of a group is not the study
#: of each record it was grouped with (``record_id`` the record taken out, ``other_id`` one of the
#: others), and "unsplit", that word withdrawn by a reviewer's merge of the two groups; "ungrouped", a
#: record a de-duplication run (its rules changed) took out of a group (``record_id`` that record,
#: ``other_id`` one it was grouped with): no one's word on the pair, so no pair's latest word.
DEDUP_LOG_DECISIONS = DEDUP_DECISIONS + ("split", "unsplit", "ungrouped")
#: The log's words that are no reviewer's decision on a pair.
DEDUP_RUN_DECISIONS = ("ungrouped",)


@dataclass
class Source:
    file_name: str
    path: str
    format: str
    encoding: str
    source_db: str
    sha256: str
    n_records: int
    warnings: list[str] = field(default_factory=list)


class Store(abc.ABC):
    """Everything a review project keeps on disk (or on a database server)."""

    #: whether several server processes may serve this store at once (each then follows the log's
    #: tail and the stored rankings instead of trusting what it holds in memory)
    shared: bool = False

    @abc.abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nesting joins the outer one."""

    def now(self) -> str:
        """The time now in UTC (ISO 8601, milliseconds), by the clock every writer of this review
        shares: what the store's own timestamps are (imports, decisions, rankings), so a time kept
        elsewhere (the end of the blinding) compares with them."""
        from datetime import datetime, timezone

        return datetime.now(timezone.utc).isoformat(timespec="milliseconds")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one committed state of the review, not a teammate's import or decision
        committed between two of them (counts read in parts then disagree). For reading only; inside
        a transaction, that transaction's own view."""
        yield

    # -- settings ---------------------------------------------------------------------------
    @abc.abstractmethod
    def get_setting(self, key: str, default=None): ...

    @abc.abstractmethod
    def set_setting(self, key: str, value) -> None: ...

    @abc.abstractmethod
    def settings(self) -> dict: ...

    # -- sources and records ----------------------------------------------------------------
    @abc.abstractmethod
    def add_source(self, source: Source) -> int: ...

    @abc.abstractmethod
    def sources_frame(self) -> pd.DataFrame: ...

    @abc.abstractmethod
    def add_records(self, records: list[dict], source_id: int) -> list[int]:
        """Store record dicts (``screener.records.FIELDS``); returns their new record ids."""

    @abc.abstractmethod
    def records_frame(self, record_ids=None) -> pd.DataFrame:
        """All records (or those given) indexed by ``record_id``, with the canonical fields."""

    @abc.abstractmethod
    def n_records(self) -> int: ...

    def record_sources(self) -> pd.DataFrame:
        """Every record's ``source_id``, indexed by record_id: what PRISMA counts need, without
        the titles and abstracts. Stores may read less than ``records_frame``."""
        return self.records_frame()[["source_id"]]

    def dedup_keys_frame(self) -> pd.DataFrame:
        """Every record's matching keys (``screener.dedup.KEY_COLUMNS``), indexed by record_id: what
        an import needs to find the records its new ones may duplicate. Stores may read less."""
        from ..dedup import KEY_COLUMNS

        df = self.records_frame()
        return df[[c for c in KEY_COLUMNS if c in df.columns]]

    def dedup_records_frame(self, record_ids=None) -> pd.DataFrame:
        """What de-duplication reads (``records_frame``); stores may cut the abstracts short: most
        records only need to say whether they have one, and 500,000 abstracts are gigabytes. A
        store that does gives ``dedup_full_abstracts``, which de-duplication calls for the few pairs
        of one title whose abstracts it compares."""
        return self.records_frame(record_ids)

    #: ``record_ids -> {record_id: whole abstract}`` where ``dedup_records_frame`` cuts abstracts short, else None.
    dedup_full_abstracts = None

    def records_index_frame(self) -> pd.DataFrame:
        """Every record's ``source_db`` indexed by ``record_id``, without texts (stores may do it cheaper)."""
        return self.records_frame()[["source_db"]]

    def search_record_ids(self, words) -> list[int]:
        """Ids of the records whose title + abstract contains every (lower-case) word."""
        df = self.records_frame()
        text = (df["title"].fillna("") + " " + df["abstract"].fillna("")).str.lower()
        keep = pd.Series(True, index=df.index)
        for w in words:
            keep &= text.str.contains(str(w).lower(), regex=False)
        return [int(i) for i in df.index[keep]]

    # -- duplicate groups ---------------------------------------------------------------------
    @abc.abstractmethod
    def replace_duplicate_groups(self, assignments: pd.DataFrame) -> None:
        """Replace the grouping (record_id, group_id, is_primary, reason); records stay."""

    @abc.abstractmethod
    def duplicate_groups_frame(self) -> pd.DataFrame: ...

    def update_duplicate_groups(self, assignments: pd.DataFrame) -> None:
        """Set the group of the records given (an import's new records and the groups they touch);
        the others keep theirs. Stores may do this without rewriting every row."""
        old = self.duplicate_groups_frame()
        keep = old[~old["record_id"].isin(set(assignments["record_id"]))]
        self.replace_duplicate_groups(pd.concat([keep, assignments[list(keep.columns)]], ignore_index=True))

    @abc.abstractmethod
    def replace_duplicate_review(self, pairs: pd.DataFrame, *, record_ids=None) -> None:
        """Replace the pairs listed for a reviewer (record_id, other_id, reason); with ``record_ids``,
        only the pairs between two of those records (an import looked at those again)."""

    @abc.abstractmethod
    def duplicate_review_frame(self) -> pd.DataFrame: ...

    @abc.abstractmethod
    def append_dedup_decision(self, record_id: int, other_id: int, decision: str, *, reviewer: str = "reviewer",
                              note: str | None = None, origin: str = "cli") -> int:
        """Log a reviewer's "merge" or "separate" on a pair (append-only, like screening decisions), or
        a split's "split" / "unsplit" (``DEDUP_LOG_DECISIONS``), with whether it took a record out of a
        duplicate group (``left_group``: a split, or a "separate" of a pair grouped when it was said)."""

    @abc.abstractmethod
    def dedup_decisions_frame(self) -> pd.DataFrame:
        """The de-duplication decision log in the order it was written."""

    # -- decision log -------------------------------------------------------------------------
    @abc.abstractmethod
    def append_decisions(self, decisions: list[Decision]) -> list[int]: ...

    @abc.abstractmethod
    def decisions_frame(self) -> pd.DataFrame:
        """The whole log in the order it was written."""

    @abc.abstractmethod
    def decisions_after(self, decision_id: int) -> pd.DataFrame:
        """The log's entries written after ``decision_id``, in order; ids follow commit order."""

    # -- records on a reviewer's screen ---------------------------------------------------------
    @abc.abstractmethod
    def claim_record(self, record_id: int, reviewer: str, *, ttl: float, after: int | None = None) -> bool:
        """Hand a record to one reviewer (dropping their earlier claim); False when someone else
        claimed it less than ``ttl`` seconds ago, or (``after``: the last log entry the caller has
        seen) when it was decided since. Lets several server processes share a queue."""

    @abc.abstractmethod
    def claims(self, *, ttl: float) -> dict[int, str]:
        """Records claimed in the last ``ttl`` seconds, with who holds them."""

    @abc.abstractmethod
    def release_claims(self, reviewer: str) -> None:
        """Let go of what ``reviewer`` holds (they stopped screening), so teammates get it now."""

    # -- rankings -----------------------------------------------------------------------------
    @abc.abstractmethod
    def save_ranking(self, settings: dict, items: pd.DataFrame, n_labelled: int) -> int:
        """Store a ranking (rank, record_id, score, reason, sampled, sample_prob) with its settings."""

    @abc.abstractmethod
    def latest_ranking(self) -> tuple[dict, pd.DataFrame] | None: ...

    def latest_ranking_scores(self) -> pd.DataFrame | None:
        """The last stored ranking's ``record_id`` and ``score`` columns only (what the recall
        estimate reads; stores may skip the rest, which is most of a 500,000-row ranking)."""
        latest = self.latest_ranking()
        return None if latest is None else latest[1][["record_id", "score"]]

    def primary_map(self) -> pd.Series:
        """Each grouped duplicate's primary record id, indexed by record_id (primaries and records
        outside any group are their own and may be left out)."""
        groups = self.duplicate_groups_frame()
        if groups.empty:
            return pd.Series(dtype=int)
        prim = groups[groups["is_primary"]].set_index("group_id")["record_id"]
        return groups.set_index("record_id")["group_id"].map(prim)

    def duplicate_ids(self) -> np.ndarray:
        """Ids of the grouped duplicates that are not their group's primary, ascending."""
        pm = self.primary_map()
        return np.sort(pm.index[pm.index != pm.to_numpy()].to_numpy(dtype=np.int64))

    def primary_record_ids(self) -> pd.Index:
        """Ids of the records that are screened (not a group's non-primary duplicate), ascending."""
        ids = self.records_index_frame().index
        groups = self.duplicate_groups_frame()
        return ids[~ids.isin(groups.loc[~groups["is_primary"], "record_id"])]

    def n_primary_records(self) -> int:
        """How many records are screened (studies): ``len(primary_record_ids())``, counted."""
        return len(self.primary_record_ids())

    def duplicates_stamp(self) -> tuple[int, ...]:
        """A few numbers that change with the duplicate groups (which records are copies, and of which
        study), read without the groups: a merge and a split leave the counts of records and studies
        as they were, so what a front end holds must be checked against this too."""
        pm = self.primary_map()
        pm = pm[pm.index != pm.to_numpy()]
        ids, prim = pm.index.to_numpy(dtype=object), pm.to_numpy(dtype=object)
        return len(ids), int(sum(ids)), int(sum(i * i for i in ids)), int(sum(i * p for i, p in zip(ids, prim)))

    # -- reviewer accounts (``screener user add``; sign-in to ``screener serve``) ------------------
    @abc.abstractmethod
    def add_user(self, name: str, role: str, password_hash: str) -> int:
        """A new account; ``name`` is already normalised and checked (``screener.accounts``).
        Raises ``ProjectError`` when the name is taken."""

    @abc.abstractmethod
    def get_user(self, name: str) -> dict | None:
        """{user_id, name, role, password_hash, created_at, updated_at, disabled_at, disabled_by}, or
        None. ``disabled_at`` (with who did it) is set while the owner has disabled the account."""

    @abc.abstractmethod
    def users(self) -> list[dict]:
        """Every account, oldest first (same keys as ``get_user``)."""

    @abc.abstractmethod
    def update_user(self, name: str, *, role: str | None = None, password_hash: str | None = None) -> None:
        """Change an account's role or password hash (None leaves it); ``ProjectError`` if absent."""

    @abc.abstractmethod
    def set_user_disabled(self, name: str, disabled: bool, by: str | None = None) -> None:
        """Disable an account (``by``: the owner who did, None from a terminal; it cannot sign in)
        or enable it again; ``ProjectError`` if absent. Its decisions stay in the review."""

    @abc.abstractmethod
    def get_secret(self, name: str, make=None) -> str | None:
        """A per-project secret (e.g. the key signing session cookies). When absent and ``make`` is
        given, ``make()`` is stored and returned, once even if two processes ask together."""

    @abc.abstractmethod
    def set_reasons(self, ranking_id: int, reasons: dict[int, object]) -> None:
        """Attach why-this-record explanations to items of a stored ranking (for other processes)."""

    @abc.abstractmethod
    def add_ranking_settings(self, ranking_id: int, values: dict) -> None:
        """Add ``values`` to a stored ranking's settings (``latest_ranking`` returns them): what the
        process that stored it works out afterwards, for the others (``screener.web.engine``)."""

    @abc.abstractmethod
    def latest_ranking_id(self) -> int | None:
        """The newest stored ranking's id: a cheap check whether another process ranked anew."""

    @abc.abstractmethod
    def rankings_frame(self) -> pd.DataFrame:
        """Every stored ranking's ``ranking_id`` and ``created_at``, oldest first: which one a
        reviewer was screening from when a decision was made (``screener.status``)."""

    def rankings_with(self, key: str, values) -> dict[int, str]:
        """The stored rankings whose setting ``key`` is one of ``values``, with that value (e.g.
        the queues ordered by "uncertainty", which are no ranking by likelihood of inclusion)."""
        return {}

    def ranking_settings(self, ranking_ids) -> dict[int, dict]:
        """The settings stored with each of these rankings, by id (``save_ranking``'s ``settings``)."""
        return {}

    @abc.abstractmethod
    def ranking_order(self, ranking_id: int) -> np.ndarray:
        """A stored ranking's record ids, in rank order."""

    @abc.abstractmethod
    def serialize(self, what: str) -> None:
        """Inside a transaction: take turns with every other writer of ``what`` until COMMIT."""

    def lead(self, what: str) -> bool:
        """Whether this process does ``what`` (e.g. retrain) for all processes serving the review."""
        return True

    @abc.abstractmethod
    def close(self) -> None: ...
