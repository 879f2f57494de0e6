"""The web app's screening state: the latest ranking in memory, retrained in the background.

A reviewer's decision is written to the log at once (one transaction) and the next record is
taken from the ranking already in memory, so nobody waits for a model fit. A single worker
thread then asks the ``ScreeningSession`` for a fresh ranking (it refits when the retraining
schedule says so) and swaps it in; decisions made meanwhile are applied on top, so a record
never shows twice.

In dual mode each reviewer sees only their own decisions (blinding); the ranking itself learns
only from agreed and resolved decisions (``Project.current_decisions``).

On a store shared by several server processes (PostgreSQL, ``Store.shared``) nothing a process
holds in memory is the truth: each follows the decision log's tail before it picks a record,
claims that record in the database (so two processes never hand it to two reviewers), and one
process (``Store.lead``) retrains and stores the ranking with its explanations, which the others
load. If the leader dies, another takes over within a poll.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

import pandas as pd

from ..errors import DatabaseUnavailable, InputError, ProjectBusy, ScreenerError
from ..io.common import without_controls
from ..project import Project
from ..records import decision_refused
from ..stopping.advice import found_count_words
from ..store import Decision
from ..store.base import is_rest_excluded, rest_excluded

log = logging.getLogger(__name__)

TEAM = "\0team"  # scope key for decisions that count for everyone (single mode, agreed, resolved)
LEASE_SECONDS = 600  # single mode: a record on someone's screen is not handed to a second reviewer
EXTRAS_AHEAD = 3  # records per reviewer whose explanation is prepared before they are needed
POLL_SECONDS = 1.0  # shared store: how often a process looks for a newer ranking (or the lead)
EXTRAS_STORED = 40  # shared store: top records (dual: each reviewer's next) the leader stores explained
EXTRAS_WAIT = 30.0  # follower: how long it keeps its explained ranking for a newer one's explanations
#: shared store: marks the rankings a server process stored, and so explains (``_store_extras``); a terminal's
#: ('screener next' beside 'serve') is explained by none, and a follower does not wait for it
SERVED = "stored_by_server"
NEW_REVIEWER = ""  # dual screening, shared store: the queue of a reviewer with no decision yet
STAGE = "title_abstract"
PHASE_WORDS = {
    "random": "random order (no protocol and no includes yet)",
    "protocol": "by the match to the protocol (no include yet)",
    "similarity": "by similarity to the includes (no exclude yet)",
    "model": "by the model trained on the decisions",
}


class DecisionChanged(Exception):
    """A decision on the study was made since the reviewer's page showed it (``now``: that one);
    the new one is not saved."""

    def __init__(self, now: str):
        super().__init__(now)
        self.now = now


@dataclass
class RankingState:
    order: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    sampled: dict[int, tuple[bool, float | None]] = field(default_factory=dict)
    phase: str = ""
    refitted: bool = False
    n_labelled: int = 0
    generation: int = 0
    retrains: int = 0
    made_at: float = 0.0
    #: dual screening: every study in one order (the settled ones where they stood when first
    #: decided), for the reviewers' queues; ``order`` holds the unsettled ones only
    everyone: list[int] = field(default_factory=list)
    #: the stored ranking this order is (None: none stored yet): logged with the decisions made from it
    ranking_id: int | None = None
    _members: frozenset | None = field(default=None, repr=False)

    def members(self) -> frozenset:
        """The studies this ranking holds (read once per ranking)."""
        if self._members is None:
            self._members = frozenset(self.everyone) | frozenset(self.order)
        return self._members


class WebScreener:
    """Shared by every request of one ``screener serve``; safe to call from many threads."""

    def __init__(self, project: Project, *, session=None, session_options: dict | None = None,
                 debounce: float = 0.05):
        self.project = project
        self.dual = project.settings.get("mode") == "dual"
        self._session = session
        self._session_options = dict(session_options or {})
        self._debounce = debounce
        self._state_lock = threading.RLock()
        self._session_lock = threading.Lock()
        self._wake = threading.Condition(self._state_lock)
        self._dirty = False
        self._busy = False
        self._stop = False
        self._error: str | None = None
        self._failed_at = 0.0
        self.rank = RankingState()
        self._seq = 0
        self._snap_seq = -1
        self._snap: dict[str, dict[int, str]] = {TEAM: {}}
        #: single screening: the studies of ``_snap``'s TEAM whose decision is the rest excluded unread at
        #: the stop ('label --decision exclude' on the records left, ``store.base.REST_EXCLUDED``)
        self._rest: set[int] = set()
        self._rest_by: dict[str, set[int]] = {}  # dual: each reviewer's own rest excluded unread at the stop
        self._ops: list[tuple[int, str, int, str | None]] = []
        self._front: dict[str, list[int]] = {}
        self._lease: dict[int, tuple[str, float]] = {}
        self._extras: dict[int, dict] = {}
        self._active: dict[str, float] = {}
        self._records: pd.DataFrame | None = None
        # (records, their retracted_copies, the studies their exports marked retracted)
        self._retracted: tuple[pd.DataFrame, dict[int, int], set[int]] | None = None
        self._all_ids: frozenset[int] | None = None
        self._n_records: tuple | None = None  # (records, studies, duplicate groups): see sync_records
        self._protocol: tuple | None = None  # (file, written at): see sync_records
        self._reload = False
        self._worker: threading.Thread | None = None
        # shared store: the log up to ``_applied`` is in ``_snap``; which ranking is held; the lead
        self.shared = bool(getattr(project.store, "shared", False))
        self._applied = 0
        self._primary: dict[int, int] = {}
        self._groups: tuple | None = None  # (records, writes of the duplicate groups) ``_primary`` was read at
        self._tail_lock = threading.Lock()
        self._caught_up_at = 0.0
        self._own_ids: set[int] = set()  # single process, dual: this engine's log entries (already in ``_ops``)
        self._ranking_id: int | None = None
        self._ranked_at = -1
        self._missing_extras = False
        self._unexplained: float | None = None  # follower: since when it holds its ranking for explanations
        self._windows: dict[str, frozenset[int]] = {}  # dual follower: whose stored explanations are whose
        #: each reviewer's last record handed out here, and the ranking it was picked from (``shown_ranking``)
        self._picked_from: dict[str, tuple[int, int | None]] = {}
        self._rankings_seen: set[int] = set()  # stored rankings known to exist (``shown_ranking``)
        self.leading = not self.shared
        # the records and studies as the decisions are read next: an import or a merge before the
        # first request (a server builds its features for minutes first) is then noticed by it
        self._n_records = self._records_stamp()
        self._protocol = self._protocol_stamp()
        self._load_snapshot()

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "WebScreener":
        """Build the session and the first ranking in the background; returns at once."""
        if self._worker is None:
            self._dirty = True
            self._worker = threading.Thread(target=self._run, name="screener-ranking", daemon=True)
            self._worker.start()
        return self

    def prepare(self) -> None:
        """Build the features and fit once now, before this process takes requests: a process that
        takes over the retraining later (its leader died) then never stalls a reviewer doing so."""
        self.session.ranking(save=False)

    def wait_ready(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state_lock:
            while (self.rank.generation == 0 or self._dirty or self._busy) and self._error is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._wake.wait(left if left is not None else 1.0)
        return self._error is None

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Until no ranking is pending or running (tests and benchmarks)."""
        return self.wait_ready(timeout)

    def stop(self, timeout: float = 30.0) -> bool:
        """Ask the ranking to stop and wait up to ``timeout`` s: whether it has ended (a fit in progress
        runs to its end; a server told to stop need not wait for it, ``cli.web_cmds._let_go_of_the_reviews``)."""
        with self._state_lock:
            self._stop = True
            self._wake.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=timeout)
            return not self._worker.is_alive()
        return True

    @property
    def ready(self) -> bool:
        return self.rank.generation > 0

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def session(self):
        with self._session_lock:
            if self._session is None:
                from ..screening import ScreeningSession

                self._session = ScreeningSession(self.project, **self._session_options)
                if self.shared:
                    self._session.stored_with = {SERVED: True}
            return self._session

    # -- the worker ---------------------------------------------------------------------------
    def retry_if_failed(self, every: float = 15.0) -> None:
        """Try the ranking again after an error (e.g. a file was busy), at most every ``every`` s."""
        with self._state_lock:
            if self._error and not (self._busy or self._dirty) and time.monotonic() - self._failed_at > every:
                self._dirty = True
                self._wake.notify_all()

    def request_rerank(self) -> None:
        with self._state_lock:
            self._dirty = True
            self._wake.notify_all()

    def _run(self) -> None:
        _lower_thread_priority()  # a reviewer's request gets the CPU before a model fit
        warmed = False
        next_step = 0.0
        while True:
            with self._state_lock:
                if self.shared:  # poll: another process may have decided or ranked meanwhile; at most
                    # one ranking per poll, however fast decisions come (the CPU serves requests first)
                    while not self._stop and (left := next_step - time.monotonic()) > 0:
                        self._wake.wait(left)
                else:
                    while not self._dirty and not self._stop:
                        self._wake.wait()
                if self._stop:
                    return
                dirty, self._dirty = self._dirty, False
                # shared: a decision made here is pending until this step has read it (``wait_idle`` returned
                # in between, before the leading process ranked with the decisions it had been told of)
                self._busy = not self.shared or dirty
                next_step = time.monotonic() + POLL_SECONDS
            try:
                if self.shared:
                    self._shared_step(dirty)
                else:
                    if self._debounce and self.rank.generation:
                        time.sleep(self._debounce)  # let a burst of decisions land first
                    self._refresh()
            except Exception as exc:  # keep serving the last good ranking; show the error
                if isinstance(exc, ScreenerError) and not self._n_records[0]:
                    pass  # no records yet: said when the server started, and on the pages; no fault
                elif isinstance(exc, ScreenerError):  # the reviewer's words, in the server's terminal too
                    log.error("ranking failed: %s", exc)
                else:
                    log.exception("ranking failed")
                with self._state_lock:
                    # a ScreenerError speaks to the reviewer; anything else is a fault to report as is
                    self._error = _ranking_waits(exc) or (
                        str(exc) if isinstance(exc, ScreenerError) else f"{type(exc).__name__}: {exc}")
                    self._failed_at = time.monotonic()
            finally:
                with self._state_lock:
                    self._busy = False
                    self._wake.notify_all()
            if not warmed:
                warmed = True
                _warm_imports()

    def _shared_step(self, dirty: bool) -> None:
        """One poll on a shared store: lead (rank when the log moved on) or follow (load a newer ranking)."""
        store = self.project.store
        if getattr(store, "went_back", bool)():  # an earlier dump put back: the pages say so, nothing is ranked;
            return  # seen now, before others screen on from it past the count this process saw (``went_back``)
        leading = store.lead("ranking")
        if leading != self.leading:  # a wait for explanations begun as follower is not carried over a spell leading
            self._unexplained = None
        self.leading = leading
        if self.leading:
            self._catch_up()
            if dirty or self.rank.generation == 0 or self._applied != self._ranked_at or self._error:
                with self._state_lock:
                    self._busy = True
                self._ranked_at = self._applied
                self._refresh()
                self._store_extras()
            return
        rid = store.latest_ranking_id()
        if rid is not None and (rid != self._ranking_id or self._missing_extras):
            self._load_stored_ranking()
        elif self._error:
            with self._state_lock:
                self._error = None

    def _store_extras(self) -> None:
        """Leader: explanations of the top of a newly stored ranking, for the other processes.

        Dual screening: of each reviewer's next records (``everyone`` order), the studies the team
        has settled among them too, with whose records they are. The settled ones are not in the
        stored ranking: left unexplained, they would tell a blind reviewer which studies the
        others agree on."""
        rid = getattr(self._session, "ranking_id", None)
        if rid is None or rid == self._ranking_id:
            return
        windows: dict[str, list[int]] = {}
        with self._state_lock:
            held = set(self.rank.order)
            if self.dual:
                names = {k for k in self._snap if k != TEAM} | {op[1] for op in self._ops if op[1] != TEAM}
                windows = {name: self._upcoming(name, EXTRAS_STORED) for name in [NEW_REVIEWER, *sorted(names)]}
                top = list(dict.fromkeys(r for window in windows.values() for r in window))
            else:
                top = [r for r in self.rank.order if r not in self._snap.get(TEAM, {})][:EXTRAS_STORED]
        explained = {r: self._explained(r) for r in top}
        store = self.project.store
        with store.transaction():  # a follower reads all of them or none (``_missing_extras``)
            store.set_reasons(rid, {r: x for r, x in explained.items() if r in held})
            if self.dual:
                store.add_ranking_settings(rid, {"extras": {
                    "windows": windows, "reasons": {str(r): x for r, x in explained.items() if r not in held}}})
                if self._ranking_id is not None:  # followers read the latest ranking's only: the older one's go
                    store.add_ranking_settings(self._ranking_id, {"extras": {}})
            else:  # explained: a follower waits for this before it takes the ranking (``_load_stored_ranking``)
                store.add_ranking_settings(rid, {"extras": {}})
        self._ranking_id = rid

    def _load_stored_ranking(self) -> None:
        """Follower: the ranking the leading process stored, with its explanations."""
        got = self.project.store.latest_ranking()
        if got is None:
            return
        settings, items = got
        order = [int(r) for r in items["record_id"]]
        sampled = {int(r): (True, None if p is None or pd.isna(p) else float(p))
                   for r, s, p in zip(items["record_id"], items["sampled"], items["sample_prob"]) if s}
        extras = {int(r): x for r, x in zip(items["record_id"], items["reason"])
                  if isinstance(x, dict) and "reason" in x}
        more = settings.get("extras") or {}  # dual: the settled studies' explanations, and whose
        extras.update({int(r): x for r, x in (more.get("reasons") or {}).items()
                       if isinstance(x, dict) and "reason" in x})
        windows = {str(k): frozenset(map(int, v)) for k, v in (more.get("windows") or {}).items()}
        if "extras" not in settings and settings.get(SERVED) and self.rank.generation and not self._missing_extras:
            # the leader stores a ranking, then its explanations: taken before them, a blind reviewer's next
            # records came with no 'Why this record' and no terms marked, just after a decision of hers that
            # settled a study (or opened a conflict); single screening, the records handed out for a second or
            # two after each new ranking (a page keeps a record as first shown). The ranking held, explained, is
            # kept until they come, for EXTRAS_WAIT since the first newer one: counted from each, rankings stored
            # unexplained one after another (its explanations failing, or decisions coming faster) kept the
            # follower on the old one for as long. A ranking a terminal stored ('screener next') none explains:
            # kept from it for EXTRAS_WAIT each time, the followers handed out records it no longer put first
            if self._unexplained is None:
                self._unexplained = time.monotonic()
            if time.monotonic() - self._unexplained < EXTRAS_WAIT:
                return
        self._unexplained = None
        self._catch_up()
        everyone = self._everyone_from(order, items["score"]) if self.dual else []
        if not self.dual:  # records a batch passed over first, as the leading process puts them
            from ..screening import skipped_first, skipped_records

            first = skipped_first(pd.DataFrame({"record_id": order, "score": list(map(float, items["score"]))}),
                                  skipped_records(self.project))
            order, items = [int(r) for r in first["record_id"]], first
        with self._state_lock:
            new = settings["ranking_id"] != self._ranking_id
            done = self._snap.get(TEAM, {})
            # the leader stores the explanations just after the ranking: until then, look again
            self._missing_extras = "extras" not in settings if self.dual else any(
                r not in extras for r in order[:EXTRAS_STORED] if r not in done)
            self.rank = RankingState(
                order=order, scores=dict(zip(order, map(float, items["score"]))), sampled=sampled,
                phase=str(settings.get("phase", "")), refitted=new, n_labelled=sum(
                    d in ("include", "maybe", "exclude") for d in done.values()),
                generation=self.rank.generation + int(new), retrains=self.rank.retrains + int(new),
                made_at=time.time(), everyone=everyone, ranking_id=int(settings["ranking_id"]))
            self._ranking_id = settings["ranking_id"]
            self._extras = extras
            self._windows = windows
            self._error = None

    def _everyone_from(self, order: list[int], scores) -> list[int]:
        """Follower, dual screening: every study in one order, the stored ranking's with the
        studies the team has settled put in where they stood when first decided (as the leading
        process does: put last, they would tell a reviewer which studies the others agree on)."""
        from ..screening import insert_settled
        from ..status import placed_before_decided

        with self._state_lock:
            held = set(order)
            settled = sorted(r for r in self._snap.get(TEAM, {}) if r not in held)
        if not settled:
            return list(order)
        queue = pd.DataFrame({"record_id": order, "score": list(map(float, scores)), "phase": ""})
        placed = insert_settled(queue, settled, placed_before_decided(self.project, settled).tolist())
        return [int(r) for r in placed["record_id"]]

    def _protocol_stamp(self) -> tuple:
        """Which protocol the project names, and when its copy was last written (set again under the
        same name, or edited in place)."""
        name = self.project.store.get_setting("protocol_file")
        try:
            return name, (os.stat(self.project.dir / name).st_mtime_ns if name else None)
        except OSError:
            return name, None

    def _records_stamp(self) -> tuple:
        """The records, the studies, and the duplicate groups (a merge and a split in one 'screener
        dedup' leave as many studies as before, and the app took the review for unchanged: the record
        taken out of a group was in no queue, the copy merged away was handed out)."""
        store = self.project.store
        return store.n_records(), store.n_primary_records(), store.duplicates_stamp()

    def sync_records(self) -> bool:
        """Notice records imported, or taken out of (or into) a duplicate group, while serving
        (``screener import`` or ``screener dedup`` in another terminal): they join the counts and,
        after the next ranking, the queue. Also a protocol set meanwhile ('screener protocol'): the
        next ranking, and its 'Why', are the new protocol's (the page kept the old one until a
        restart). Three COUNT queries and a setting per call."""
        n = self._records_stamp()
        protocol = self._protocol_stamp()
        with self._state_lock:
            if self._n_records is None:
                self._n_records, self._protocol = n, protocol
                return False
            new_protocol = protocol != self._protocol
            if new_protocol:  # the session is made again, with the protocol now in force
                self._protocol, self._reload = protocol, True
            if n == self._n_records:
                if not new_protocol:
                    return False
        if n == self._n_records:
            self.request_rerank()
            return True
        with self._state_lock:
            self._n_records = n
            self._records = None
            self._all_ids = None
            self._reload = True
        # the decisions held here are keyed by each study's primary record: an import whose copy of a
        # study is the more complete one, or a merge, makes another record the study's primary. Read
        # again with the new groups (a process that does not retrain never did: its counts dropped the
        # study's decision, and its queue handed the decided study out again)
        self._load_snapshot()
        self.request_rerank()
        return True

    def _refresh(self) -> None:
        with self._state_lock:
            reload, self._reload = self._reload, False
        if reload:  # new records: features, explanations and ranking are built again
            with self._session_lock:
                self._session = None
        seq = self._seq
        snap = self._read_snapshot()
        session = self.session
        ranking = session.ranking()
        info = getattr(session, "last_rank_info", {}) or {}
        if not self.dual:  # records a batch passed over first, as 'screener next' puts them
            ranking = session.skipped_first(ranking)
        order = [int(r) for r in ranking["record_id"]]
        scores = dict(zip(order, map(float, ranking["score"])))
        sampled = {}
        if "sampled" in ranking:
            probs = ranking["sample_prob"] if "sample_prob" in ranking else [None] * len(ranking)
            for rid, s, p in zip(order, ranking["sampled"], probs):
                if s:
                    sampled[rid] = (True, None if p is None or pd.isna(p) else float(p))
        full = getattr(session, "settled_order", None)
        everyone = [int(r) for r in full["record_id"]] if self.dual and full is not None else []
        with self._state_lock:
            self._set_snapshot(snap, seq)
            self.rank = RankingState(
                order=order, scores=scores, sampled=sampled, phase=str(info.get("phase", "")),
                refitted=bool(info.get("refitted", False)), n_labelled=int(info.get("n_labelled", 0)),
                generation=self.rank.generation + 1,
                retrains=self.rank.retrains + int(bool(info.get("refitted", False))), made_at=time.time(),
                everyone=everyone, ranking_id=getattr(session, "ranking_id", None))
            self._extras = {}
            self._error = None
            recent = [r for r, t in self._active.items() if time.monotonic() - t < 1800]
            ahead = {rid for r in recent for rid in self._upcoming(r, EXTRAS_AHEAD)}
        for rid in ahead:  # explanations for what the active reviewers will see next
            self._explained(rid)

    # -- decided-record bookkeeping -----------------------------------------------------------
    def _read_snapshot(self) -> dict[str, dict[int, str]]:
        snap: dict[str, dict[int, str]] = {}
        # where the log ends, read first: the snapshot read next holds at least that much (a single
        # process too: another process, 'screener label' in a terminal, may write to the log)
        tail = self.project.store.decisions_after(self._applied)
        snap["\0applied"] = int(tail["decision_id"].max()) if len(tail) else self._applied
        # the groups it is keyed by, read first too: a merge in a terminal during a ranking's read and its
        # landing changes no decision, and the read would bring the groups from before it back
        store = self.project.store
        snap["\0groups"] = (store.n_records(), store.duplicates_stamp()[0])
        snap["\0primary"] = {int(k): int(v) for k, v in self.project._primary_of().items()}
        team = self.project.current_decisions(stage=STAGE)
        snap[TEAM] = dict(zip(map(int, team.index), team["decision"]))
        snap["\0rest"] = set(map(int, team.index[rest_excluded(team["origin"])]))
        if self.dual:
            votes = self.project.reviewer_decisions(stage=STAGE)
            if not votes.empty:
                votes = votes[votes["role"] == "reviewer"]
                rest_by = snap["\0rest_by"] = {}
                for reviewer, grp in votes.groupby("reviewer"):
                    snap[str(reviewer)] = dict(zip(map(int, grp["group_record_id"]), grp["decision"]))
                    # each reviewer's own rest excluded unread at their stop ('label --reviewer NAME
                    # --decision exclude'): not screened by them, as 'screener status' counts it
                    rest_by[str(reviewer)] = set(map(int, grp["group_record_id"][rest_excluded(grp["origin"])]))
        return snap

    def _load_snapshot(self) -> None:
        seq = self._seq
        snap = self._read_snapshot()
        with self._state_lock:
            self._set_snapshot(snap, seq)

    def _set_snapshot(self, snap: dict, seq: int) -> None:
        applied = snap.pop("\0applied", None)
        rest = snap.pop("\0rest", set())
        rest_by = snap.pop("\0rest_by", {})
        groups, primary = snap.pop("\0groups", None), snap.pop("\0primary", None)
        if groups is not None and self._groups is not None and (groups[0] < self._groups[0]
                                                                 or groups[1] < self._groups[1]):
            return  # read (by a ranking) before records or duplicate groups held here since: keep the newer
        if applied is not None and applied < self._applied and not self.shared:
            return  # older (a ranking's read) than the log's tail caught up here since: keep the newer
        if primary is not None:
            self._primary, self._groups = primary, groups
        self._snap = snap
        self._rest = rest
        self._rest_by = rest_by
        self._snap_seq = seq
        self._ops = [op for op in self._ops if op[0] >= seq]
        if applied is not None:
            if applied < self._applied:  # an older read (a ranking's) landed: the next view reads the tail
                self._caught_up_at = 0.0
            self._applied = applied

    def _catch_up(self, max_age: float = 0.0) -> None:
        """Bring the decisions held here up to the end of the log (every process's: on a shared
        store the other server processes', on SQLite another process's such as 'screener label');
        one query, for the log's entries after the last one seen here. ``max_age``: unless that
        was done less than this many seconds ago."""
        if max_age and time.monotonic() - self._caught_up_at < max_age:
            return
        with self._tail_lock:
            self._caught_up_at = time.monotonic()
            while True:
                with self._state_lock:
                    start, seq = self._applied, self._seq
                tail = self.project.store.decisions_after(start)
                if tail.empty:
                    return
                if not self.shared and self.dual:
                    with self._state_lock:
                        own = set(self._own_ids)
                    if tail["decision_id"].isin(own).all():  # only this engine's, already in ``_ops``
                        with self._state_lock:
                            if self._applied == start:
                                self._applied = int(tail["decision_id"].max())
                                self._own_ids = {i for i in self._own_ids if i > self._applied}
                                return
                        continue
                # agreement needs the whole picture, and so does a withdrawal (a teammate's
                # decision may stand again): read it again
                if self.dual or (tail["decision"] == "retract").any():
                    self._load_snapshot()
                    return
                with self._state_lock:
                    if self._applied == start:
                        self._apply_tail(tail)
                        if not self.shared:  # this engine's writes noted before the read are in the
                            # log read (or before it), so in ``_snap`` now, in their place in the log
                            self._snap_seq = max(self._snap_seq, seq)
                            self._ops = [op for op in self._ops if op[0] >= self._snap_seq]
                        return
                # a ranking's full read (possibly older) landed meanwhile: go on from where it ends

    def _apply_tail(self, tail: pd.DataFrame) -> None:
        """Single mode, a tail without withdrawals (``_catch_up`` reads the whole picture again
        for those): the latest entry per study wins."""
        team = self._snap.setdefault(TEAM, {})
        for rid, decision, stage, origin in zip(tail["record_id"], tail["decision"], tail["stage"], tail["origin"]):
            if stage == STAGE:
                key = self._primary.get(int(rid), int(rid))
                team[key] = decision
                if is_rest_excluded(origin):
                    self._rest.add(key)
                else:
                    self._rest.discard(key)
        self._applied = int(tail["decision_id"].max())

    def _view(self, scope: str) -> dict[int, str]:
        """Decisions in ``scope`` as of now: the last snapshot plus the web's writes since."""
        with self._state_lock:
            view = dict(self._snap.get(scope, {}))
            for seq, sc, rid, dec in self._ops:
                if seq >= self._snap_seq and sc == scope:
                    if dec is None:
                        view.pop(rid, None)
                    else:
                        view[rid] = dec
            return view

    def _note(self, scope: str, rid: int, decision: str | None) -> None:
        with self._state_lock:
            self._ops.append((self._seq, scope, rid, decision))
            self._seq += 1

    def catch_up(self, max_age: float = 0.0) -> None:
        """The decisions held here brought up to the end of the log (every process's), unless that was done
        less than ``max_age`` seconds ago (``_catch_up``)."""
        self._catch_up(max_age=max_age)

    def current_decision(self, reviewer: str, rid: int) -> str | None:
        """This reviewer's decision on study ``rid`` as the log has it now (every process's
        writes included), for a page that showed it undecided."""
        self._catch_up()
        return self.own_decisions(reviewer).get(int(rid))

    def own_decisions(self, reviewer: str, *, fresh: bool = False) -> dict[int, str]:
        """What this reviewer may see: their own decisions (dual) or the team's (single).
        ``fresh``: with the log's tail read first (the records pages: a decision made meanwhile by
        another process, 'screener label' in a terminal, is shown, not 'not screened')."""
        if fresh:
            self._catch_up()
        return self._view(reviewer) if self.dual else self._view(TEAM)

    def screening(self) -> set[str]:
        """Dual mode: who has decisions of their own, an owner who screens among them (``accounts.screeners``)."""
        with self._state_lock:
            names = {k for k in self._snap if k != TEAM and not k.startswith("\0")}
            names |= {op[1] for op in self._ops if op[1] != TEAM}
        return {n for n in names if self._view(n)}  # (every decision withdrawn: screens nothing)

    def screeners(self) -> tuple[set[str], set[str]]:
        """Dual mode: (``screening``; those of them who have screened every study), as ``accounts.screeners`` reads
        them from the log, for ``accounts.blinding_holds``."""
        names = self.screening()
        return names, {n for n in names if self.finished(n)}

    def finished(self, reviewer: str | None) -> bool:
        """Whether ``reviewer`` has screened every study: decided each, and in dual screening none of them
        only by excluding the rest unread at their stop. Those are still theirs to read (a decision on one
        here counts it as screened); counted as finished, the blinding lifted and they read them knowing the
        other reviewer's decisions and notes. The owner's 'End the blinding' still ends it."""
        if reviewer is None:
            return False
        total = set(int(i) for i in self.records().index)
        if not total or not total <= set(self._view(reviewer)):
            return False
        return not (self.dual and self._excluded_at_stop(reviewer) & total)

    def _decided_for(self, reviewer: str) -> set[int]:
        # dual: the reviewer's own decisions only. The team's (agreed or settled) come from the
        # others too, e.g. the owner and the other reviewer agreeing: taking such a record out of
        # this reviewer's queue would tell them how the others decided it.
        return set(self._view(reviewer)) if self.dual else set(self._view(TEAM))

    # -- what a reviewer sees -----------------------------------------------------------------
    def _upcoming(self, reviewer: str, n: int, skip=frozenset()) -> list[int]:
        # the studies as they are now: a record merged into another study (``screener dedup`` in
        # another terminal) stays in the ranking until the next one is made, and is not handed out
        studies = self.records().index
        with self._state_lock:
            done = self._decided_for(reviewer)
            now = time.monotonic()
            out = []
            for rid in self._front.get(reviewer, []):
                if rid not in done and rid not in out and rid not in skip and rid in studies:
                    out.append(rid)
            # dual: every study in ranking order, the ones the others have settled in place (left out
            # or put last, they would tell this reviewer which studies the others agree on)
            for rid in (self.rank.everyone if self.dual and self.rank.everyone else self.rank.order):
                if len(out) >= n:
                    break
                if rid in done or rid in out or rid in skip or rid not in studies:
                    continue
                lease = self._lease.get(rid)
                if not self.dual and lease and lease[0] != reviewer and now - lease[1] < LEASE_SECONDS:
                    continue
                out.append(rid)
            if self.dual and len(out) < n:
                # a ranking from another server holds the unsettled studies only; and studies settled
                # since the last ranking: this reviewer still screens them
                for rid in sorted(self._view(TEAM)):
                    if len(out) >= n:
                        break
                    if rid not in done and rid not in out and rid not in skip and rid in studies:
                        out.append(rid)
            if len(out) < n:
                # studies the ranking in memory does not hold yet, until the next one is made: an
                # import's records, or a study whose primary record changed (a more complete copy
                # imported in another terminal or server process). The page said every record was
                # screened while the count said one was left
                ranked = self.rank.members()
                for rid in studies:
                    if len(out) >= n:
                        break
                    rid = int(rid)
                    if rid in ranked or rid in done or rid in out or rid in skip:
                        continue
                    lease = self._lease.get(rid)
                    if not self.dual and lease and lease[0] != reviewer and now - lease[1] < LEASE_SECONDS:
                        continue
                    out.append(rid)
            return out[:n]

    def show_next(self, reviewer: str, rid: int) -> None:
        """Put study ``rid`` first in ``reviewer``'s queue (the study of the copy their page showed)."""
        with self._state_lock:
            front = self._front.setdefault(reviewer, [])
            if rid in front:
                front.remove(rid)
            front.insert(0, int(rid))

    def release(self, reviewer: str) -> None:
        """Let go of the records ``reviewer`` has on screen (their account disabled: they will not
        decide them), so teammates get them now, not after ``LEASE_SECONDS``. A shared store's
        claims are let go with the account (``accounts.set_disabled``)."""
        with self._state_lock:
            for k in [k for k, v in self._lease.items() if v[0] == reviewer]:
                del self._lease[k]
            self._active.pop(reviewer, None)

    def _release_disabled(self, reviewer: str) -> None:
        """Single process: let go of what teammates disabled since hold ('screener user disable' in
        a terminal, which reaches the store's claims, not this server's memory). Read only while a
        teammate holds a record, one query on the accounts."""
        with self._state_lock:
            holders = {who for who, _ in self._lease.values() if who != reviewer}
        if not holders:
            return
        for user in self.project.store.users():
            if user.get("disabled_at") and user["name"] in holders:
                self.release(user["name"])

    def next_record_id(self, reviewer: str) -> int | None:
        return self.next_pick(reviewer)[0]

    def next_pick(self, reviewer: str) -> tuple[int | None, int | None]:
        """The reviewer's next record, and the stored ranking it was picked from (the page sends it back with the
        decision, ``shown_ranking``): read together, as another tab's pick a moment later may be from a newer one."""
        if self.shared:
            return self._next_shared(reviewer)
        self._catch_up()  # another process ('screener label') may have decided some meanwhile
        if not self.dual:
            self._release_disabled(reviewer)
        with self._state_lock:
            self._active[reviewer] = time.monotonic()
            ids = self._upcoming(reviewer, 1)
            if not ids:
                return None, None
            rid = ids[0]
            self._picked_from[reviewer] = picked = (rid, self.rank.ranking_id)
            if not self.dual:
                for k in [k for k, v in self._lease.items() if v[0] == reviewer]:
                    del self._lease[k]
                self._lease[rid] = (reviewer, time.monotonic())
            return picked

    def shown_ranking(self, given, reviewer: str | None = None, rid: int | None = None) -> int | None:
        """The ranking to log with decision on ``rid``: ``given``, the one the reviewer's page showed the record
        from (a blind reviewer's page has it sealed, ``security.seal_pick``), where it is a stored ranking; else the
        one the record was picked from when handed to ``reviewer`` here; else none. Not the one this process holds:
        with several server processes the page may have had the record from another, and read against a ranking
        that never showed it (``status.ranking_provenance``) a pick reads as made below that ranking's top, the
        records it put above as passed over. A decision logged with none is read against the ranking in force when
        it was made, as one from before rankings were logged."""
        if isinstance(given, int) and not isinstance(given, bool) and given > 0:
            if given in self._rankings_seen:
                return given
            if given in set(self.project.store.rankings_frame()["ranking_id"].astype(int)):
                self._rankings_seen.add(given)
                return given
        with self._state_lock:
            picked, ranking = self._picked_from.get(reviewer, (None, None))
        return ranking if picked is not None and picked == rid else None

    def held_by_others(self, reviewer: str) -> bool:
        """Single screening: whether studies this reviewer has not decided are on teammates'
        screens (handed out to them in the last ``LEASE_SECONDS``), so that none is handed out now
        though the screening is not done."""
        if self.dual:
            return False
        if self.shared:
            taken = {int(r) for r, who in self.project.store.claims(ttl=LEASE_SECONDS).items() if who != reviewer}
        else:
            self._release_disabled(reviewer)
            now = time.monotonic()
            with self._state_lock:
                taken = {r for r, (who, t) in self._lease.items() if who != reviewer and now - t < LEASE_SECONDS}
        studies = self.records().index
        done = self._decided_for(reviewer)
        return any(r in studies and r not in done for r in taken)

    def _next_shared(self, reviewer: str) -> tuple[int | None, int | None]:
        """Shared store: the next record nobody else has on screen, claimed in the database."""
        with self._state_lock:
            self._active[reviewer] = time.monotonic()
        if self.dual:  # everyone screens every record: nothing to hand out exclusively
            self._catch_up()
            with self._state_lock:
                ids = self._upcoming(reviewer, 1)
                if not ids:
                    return None, None
                self._picked_from[reviewer] = picked = (ids[0], self.rank.ranking_id)
            return picked
        store = self.project.store
        # claims first, then the log: a reviewer's claim goes only after their decision is logged,
        # so a record is either still claimed here or already decided in the tail read next
        taken = {r for r, who in store.claims(ttl=LEASE_SECONDS).items() if who != reviewer}
        self._catch_up()
        for _ in range(4):
            with self._state_lock:
                # the log entries these ids were chosen from: another request's catch-up may move
                # ``_applied`` on before the claim, past a decision the ids were chosen without
                seen = self._applied
                ids = self._upcoming(reviewer, 4, skip=taken)
                ranking = self.rank.ranking_id
            if not ids:
                return None, None
            for rid in ids:
                # refused if decided after the log entries seen here (another process, a moment ago)
                if store.claim_record(rid, reviewer, ttl=LEASE_SECONDS, after=seen):
                    with self._state_lock:
                        self._picked_from[reviewer] = (rid, ranking)
                    return rid, ranking
                taken.add(rid)  # another process handed it out a moment ago
        return None, None

    def counts(self, reviewer: str, *, fresh: bool = False) -> dict:
        """The screening page's counter, as 'screener status' counts: in single screening the rest
        excluded unread at the stop is neither screened nor left (``excluded_unscreened``).
        ``fresh``: with the log's tail read now, not up to a second ago (the dashboard shows these
        beside the recall estimate, which reads the whole log)."""
        from screener.status import count_decisions

        self._catch_up(max_age=0.0 if fresh else 1.0)
        studies = self.records().index
        mine = {k: v for k, v in self.own_decisions(reviewer).items() if k in studies}
        rest = self._excluded_at_stop(reviewer if self.dual else TEAM) & mine.keys()
        c = count_decisions({k: v for k, v in mine.items() if k not in rest}, self.n_studies, len(rest))
        return {"screened": c.screened, "included": c.included, "excluded": c.excluded, "maybe": c.maybe,
                "left": c.left, "total": c.records, "excluded_unscreened": c.excluded_unscreened}

    def _excluded_at_stop(self, scope: str = TEAM) -> set[int]:
        """The studies whose decision is the rest excluded unread at the stop, as of now (a decision
        made on one here since the last read of the log counts it as screened): the team's in single
        screening, ``scope``'s own in dual (counted as screened, the page said 'You have screened every
        record' and the dashboard '60 of 60 records screened by you' where status said 20 of 60)."""
        with self._state_lock:
            rest = set(self._rest if scope == TEAM else self._rest_by.get(scope, ()))
            for seq, scope_, rid, _ in self._ops:
                if seq >= self._snap_seq and scope_ == scope:
                    rest.discard(rid)
            return rest

    @property
    def n_studies(self) -> int:
        return len(self.records())

    def records(self) -> pd.DataFrame:
        """Primary records (one per study), read once and again after an import (``sync_records``)."""
        recs = self._records
        if recs is None:
            recs = self._records = self.project.records_frame()
        return recs

    def record(self, rid: int) -> dict:
        row = self.records().loc[rid]
        return {"record_id": int(rid), **{k: _clean(row.get(k)) for k in (
            "title", "abstract", "authors", "year", "journal", "doi", "pmid", "source_db", "keywords", "type",
            "source_ref")}}

    def retracted_copies(self) -> dict[int, int]:
        """``Project.retracted_copies`` of every study, read again with the records (``records``)."""
        return self._retractions()[0]

    def retracted_in_exports(self) -> set[int]:
        """``Project.retracted_in_exports`` of every study, read again with the records (``records``)."""
        return self._retractions()[1]

    def _retractions(self) -> tuple[dict[int, int], set[int]]:
        recs, held = self.records(), self._retracted
        if held is None or held[0] is not recs:
            held = self._retracted = (recs, self.project.retracted_copies(), self.project.retracted_in_exports())
        return held[1], held[2]

    def extras(self, rid: int, reviewer: str | None = None) -> dict:
        """Why a record ranks high and which terms to highlight (``_explained``), as true now: a
        record of the random order made before the first include says so, while the ranking is
        being updated with it (its own words, 'no includes ... yet', would be wrong by then)."""
        out = self._explained(rid, reviewer)
        n, maybes = self._includes_since_random() if not self.dual else (0, 0)  # dual: blind words, never 'random'
        if n:
            found = (f"the {'maybe' if maybes else 'include'} just found" if n == 1 else
                     f"the {found_count_words(n, maybes)} found")
            out = {**out, "reason": "shown in random order, from the ranking made before the first include; "
                                    f"the ranking is being updated with {found}"}
        return out

    def _includes_since_random(self) -> tuple[int, int]:
        """(includes and maybes, of them maybes) the team has (single: anyone's; dual: agreed or resolved)
        while the ranking in memory is still the random order made before the first one: (0, 0) otherwise.
        A maybe counts: the ranking learns it as an include (``Project.labels``)."""
        with self._state_lock:
            if self.rank.phase != "random":
                return 0, 0
            said = list(self._view(TEAM).values())
            return sum(d in ("include", "maybe") for d in said), sum(d == "maybe" for d in said)

    def _explained(self, rid: int, reviewer: str | None = None) -> dict:
        """Why a record ranks high and which terms to highlight (cached per ranking).

        A following process in dual screening shows ``reviewer`` the stored ones of their own next
        records only, and none of any other record: another reviewer's next records are the ones
        that reviewer has not decided, so which records those are would tell of their decisions."""
        with self._state_lock:
            got = self._extras.get(rid)
            gen = self.rank.generation
            if self.dual and not self.leading and rid not in self._windows.get(
                    reviewer, self._windows.get(NEW_REVIEWER, frozenset())):
                got = None
        if got is not None:
            return got
        out = {"reason": "", "terms": []}
        if not self.ready or not self.leading:  # a follower has no fitted model: the leader stores these
            return out
        try:
            # dual: never "like included record N" (an agreed include would show the other's decision)
            out["reason"] = str(self.session.explain(rid, blind=self.dual) or "")
        except Exception as exc:  # an explanation is a help, never a reason to stop screening
            log.warning("no explanation for record %s: %s", rid, exc)
        try:
            out["terms"] = [str(t) for t in (self.session.highlight_terms(rid) or [])]
        except Exception as exc:
            log.warning("no highlight terms for record %s: %s", rid, exc)
        with self._state_lock:
            if self.rank.generation == gen:
                self._extras[rid] = out
        return out

    def rank_of(self, rid: int) -> tuple[int | None, float | None]:
        with self._state_lock:
            try:
                pos = self.rank.order.index(rid) + 1
            except ValueError:
                pos = None
            return pos, self.rank.scores.get(rid)

    def status(self) -> dict:
        with self._state_lock:
            words = PHASE_WORDS.get(self.rank.phase, self.rank.phase)
            if self.rank.phase == "random" and getattr(self.session, "protocol_unmatched", False):
                words = "random order (none of the records holds a word of the protocol; no includes yet)"
            if self._includes_since_random()[0]:  # 'no includes yet' no longer holds: the next ranking learns them
                words = "random order made before the first include (being updated with it)"
            return {"ready": self.ready, "retraining": self._busy or self._dirty, "phase": self.rank.phase,
                    "phase_text": words,
                    "generation": self.rank.generation, "retrains": self.rank.retrains,
                    "n_labelled": self.rank.n_labelled, "error": self._error, "leading": self.leading}

    # -- changes ------------------------------------------------------------------------------
    def decide(self, rid: int, decision: str, reviewer: str, *, note: str | None = None, origin: str = "web",
               request_id: str | None = None, shown: str | None = None,
               ranking_id: int | None = None) -> list[tuple[str, int]]:
        """One decision, saved before this returns; the rerank happens in the background. Returns the
        (file name, how many excludes) of files of one --decision exclude it counts with the rest
        (``labels.rest_before_a_decision``): it leaves no record left.

        ``shown``: the decision the reviewer's page showed for the study ("" for none). Another
        one made since (a teammate's, or in another tab) raises ``DecisionChanged``; checked in
        the save's turn at the log, so one saved a moment before is not overwritten unseen.
        ``ranking_id``: the ranking the page showed the record from (``shown_ranking``)."""
        rid = int(rid)
        s, p = self.rank.sampled.get(rid, (False, None))

        def unchanged() -> None:
            now = self.current_decision(reviewer, rid) or ""
            # the same decision again (a resent request) is no conflict, nor one withdrawn since:
            # then nothing would be overwritten
            if now and now not in (shown, decision):
                raise DecisionChanged(now)

        # the look-back reads the whole log in the save's turn: only for a decision that leaves no study left
        # as this engine sees it (the log's tail read up to a second ago)
        self._catch_up(max_age=1.0)
        seen = self.own_decisions(reviewer).keys() | {self._primary.get(rid, rid)}
        earlier: list | None = [] if self.records().index.isin(list(seen)).all() else None
        ids = self._append(Decision(record_id=rid, decision=decision, reviewer=reviewer, note=note or None,
                                    origin=origin, sampled=s, sample_prob=p, stage=STAGE,
                                    ranking_id=self.shown_ranking(ranking_id, reviewer, rid),
                                    request_id=request_id), check=None if shown is None else unchanged,
                           rest_before=earlier)
        with self._state_lock:
            if self.shared:
                pass  # the log's tail carries it (read below), in its place among other processes' writes
            else:
                self._noted(ids, reviewer if self.dual else TEAM, rid, decision)
            front = self._front.get(reviewer)
            if front and rid in front:
                front.remove(rid)
            self._lease.pop(rid, None)
            self._caught_up_at = 0.0  # shared: the next view reads the log's tail (with this decision)
        self.request_rerank()
        from ..labels import rest_before_counts

        return rest_before_counts(earlier or [])

    def _append(self, d: Decision, check=None, rest_before: list | None = None) -> list[int]:
        """One decision in one transaction; returns its log ids. Checked here against the record
        ids held in memory (what ``Project.decide_many`` checks with a query), so the request
        does one INSERT. ``check``: called in the transaction's turn at the log, before the write
        (raises to refuse it). The caller notes the ids in ``_own_ids`` with its ``_note`` (``_noted``): noted
        before, a catch-up in between would skip the entry as already held here. ``rest_before``: see
        ``Project.decide_many``; the excludes it saves are the ones the study held already."""
        if not self.is_record(d.record_id):
            raise InputError(f"no record with id {d.record_id} in this project.")
        if decision_refused(d.decision, d.stage):
            raise InputError(f"record {d.record_id}: {decision_refused(d.decision, d.stage)}.")
        with self.project.store.transaction():
            self.project.store.serialize("decisions")  # the pending sample is read and rewritten in turn
            if check is not None:
                check()
            ds = [d]
            if rest_before is not None:
                from ..labels import rest_before_a_decision

                earlier = rest_before_a_decision(self.project, ds)
                rest_before.extend(earlier)
                ds += [e for _, e in earlier]
            self.project.mark_sampled(ds)  # a record of a pending random sample is logged as sampled
            ids = self.project.store.append_decisions(ds)
            self.project.back_into_sample(ds)  # a withdrawn sampled record is the sample's again
        # the rest's excludes saved with it are not noted by the caller: a catch-up reads them from the log
        return [int(i) for i in ids[:1]]

    def _noted(self, ids: list[int], scope: str, rid: int, decision: str | None) -> None:
        """Note this engine's write of log entry ``ids[0]`` (under ``_state_lock``), unless a catch-up has read the
        log past it since its save: then ``_snap`` holds it in its place, and a later entry (a teammate's change
        saved in between) with it; noted over that, the later one was lost from the view until the next ranking.
        Single process, dual screening: with its id in ``_own_ids``, which a catch-up skips."""
        if ids and ids[0] <= self._applied:
            return
        if self.dual:
            self._own_ids.update(ids)
        self._note(scope, rid, decision)

    def is_record(self, rid: int) -> bool:
        """Whether ``rid`` is a record of the project (duplicates included). Records are only ever
        added (by an import), so the id set is re-read only when an id is not in it."""
        if self._all_ids is None or rid not in self._all_ids:
            self._all_ids = frozenset(int(i) for i in self.project.store.records_frame().index)
        return rid in self._all_ids

    def last_own_decision(self, reviewer: str) -> int | None:
        """The study this reviewer decided most recently whose decision still stands. By the
        decisions they made: one entered again in their name by 'screener dedup' (a joined study
        keeps its most inclusive decision) or an import is not the one they mean to undo."""
        log = self.project._study_log(STAGE)
        mine = log[(log["reviewer"] == reviewer) & (log["role"] == "reviewer")]
        standing = self.project._latest_per_reviewer(mine)
        if standing.empty:
            return None
        made = mine[~mine["origin"].isin(["dedup", "import"]) & (mine["decision"] != "retract")
                    & mine["group_record_id"].isin(standing["group_record_id"])]
        last = made if len(made) else standing
        return int(last.sort_values("decision_id")["group_record_id"].iloc[-1])

    def undo(self, reviewer: str, rid: int | None = None, role: str = "reviewer", note: str | None = None) -> int | None:
        """Withdraw a decision (a 'retract' entry, in the ``role`` it was made in, with the
        reviewer's ``note`` on why); the record is shown to this reviewer next."""
        rid = self.last_own_decision(reviewer) if rid is None else int(rid)
        if rid is None:
            return None
        # logged on the record the decision was made on (a copy, in a study of several records)
        mine = self.project.own_decision(rid, reviewer, stage=STAGE, role=role)
        made_on = rid if mine is None else int(mine["record_id"])
        ids = self._append(Decision(record_id=made_on, decision="retract", reviewer=reviewer, origin="web",
                                    stage=STAGE, role=role, note=note or None))
        # single: a teammate's decision on the study stands again, if there is one (read from
        # the log: withdrawals are few)
        standing = None if self.dual or self.shared else \
            self.project.current_decisions(stage=STAGE)["decision"].get(rid)
        with self._state_lock:
            if self.dual and not self.shared:
                self._own_ids.update(ids)
            if not self.shared:
                self._note(TEAM, rid, standing)  # dual: an agreement needs both, so it is no longer one
                if self.dual and role == "reviewer":  # a resolution withdrawn leaves their own decision
                    self._note(reviewer, rid, None)
            front = self._front.setdefault(reviewer, [])
            if rid in front:
                front.remove(rid)
            front.insert(0, rid)
        self._catch_up()
        self.request_rerank()
        return rid

    def resolve(self, rid: int, decision: str, resolver: str, note: str | None = None, *, stage: str = STAGE,
                reason: str | None = None, check=None, request_id: str | None = None) -> None:
        """Settle a dual-screening conflict: a resolver decision, which the ranker learns from (at
        title and abstract; a full-text one changes nothing the screening holds in memory).
        ``check``: that the conflict is still one, run in the save's turn at the log (``_append``). ``request_id``:
        the form's key (a form sent twice is logged once)."""
        ids = self._append(Decision(record_id=int(rid), decision=decision, reviewer=resolver, role="resolver",
                                    note=note or None, origin="web", stage=stage, reason=reason or None,
                                    request_id=request_id), check=check)
        if stage != STAGE:
            with self._state_lock:
                if not self.shared:
                    self._own_ids.update(ids)
            return
        if self.shared:
            self._catch_up()
        else:
            with self._state_lock:
                self._noted(ids, TEAM, int(rid), decision)
        self.request_rerank()


def _ranking_waits(exc: BaseException) -> str:
    """What the screening page says of a ranking held up by the project busy or its database server away ('' for
    other failures). The store's own words ('Nothing of this change was saved; try again') were read as the
    reviewer's decisions lost, with nothing for them to try again: the next decision ranks anew."""
    if isinstance(exc, ProjectBusy):
        return ("Another screener command (an import, say, in a terminal) is writing to the project, so the ranking "
                "waits for it. Your decisions are saved; the order is updated once that command has finished.")
    if isinstance(exc, DatabaseUnavailable):
        return ("The review database is not answering right now (restarting?), so the ranking waits for it. Your "
                "decisions are saved; the order is updated once it answers again.")
    return ""


def _warm_imports() -> None:
    """Load the dashboard's libraries (recall estimators, matplotlib) while the reviewer screens,
    so the first click on the dashboard does not wait seconds for imports."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot  # noqa: F401

        from .. import (
            status,  # noqa: F401
            stopping,  # noqa: F401
        )
    except Exception:  # pragma: no cover - the dashboard reports its own errors
        pass


def _lower_thread_priority(step: int = 5) -> None:
    """Nice this thread only (Linux gives each thread its own priority); elsewhere a no-op."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + step))
    except (AttributeError, OSError):
        pass


def _clean(v):
    """A stored value as the pages show it: None for a missing one; a text's control characters (which
    a project imported before screener read them as spaces still holds) as spaces."""
    if isinstance(v, str):
        return without_controls(v)
    if isinstance(v, list):
        return [without_controls(x) if isinstance(x, str) else x for x in v]
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    try:
        if pd.isna(v) is True:
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        return v.item()
    return v
