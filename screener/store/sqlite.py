"""SQLite, the embedded default store: one file per review, nothing to install.

WAL mode lets the web app read while a background retrain writes; every write goes through
``transaction()`` (BEGIN IMMEDIATE ... COMMIT), so a crash or Ctrl-C leaves either the whole
import / decision batch or none of it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import struct
import sys
import threading
import time
import weakref
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..errors import DatabaseUnavailable, ProjectBusy, ProjectError, ScreenerError
from ..records import STAGES, decision_refused, start_page
from .base import DEDUP_LOG_DECISIONS, DEDUP_RUN_DECISIONS, ROLES, Decision, Source, Store

SCHEMA_VERSION = 11
#: The setting that counts writes of the duplicate groups (``SQLiteStore.duplicates_stamp``).
DUPLICATES_WRITTEN = "duplicate_groups_written"
#: Beside the file, the address of the server the review moved to (``project.DB_URL_FILE``).
SERVER_ADDRESS_FILE = "database.url"

#: Schema 3, "reviewer accounts": who may sign in to ``screener serve`` (name, role, password
#: hash) and the project's own secrets (the key that signs the web app's session cookies).
_ACCOUNTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    password_hash TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    disabled_at TEXT, disabled_by TEXT
);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);
"""

#: Schema 5, "bibliographic details": volume, issue, pages and first page on each record (filled
#: from the raw fields of records imported before), the pairs de-duplication left for a person
#: (duplicate_review) and the reviewer's merge / keep-apart decisions on them (dedup_decisions).
#: The callable steps get the store (the PostgreSQL store runs them too; they use portable SQL).
_DEDUP_SCHEMA = [
    lambda store: store._add_columns("records", ("volume", "issue", "pages", "start_page")),
    lambda store: store._fill_details(),
    "CREATE TABLE IF NOT EXISTS duplicate_review (record_id INTEGER NOT NULL REFERENCES records(record_id),"
    " other_id INTEGER NOT NULL REFERENCES records(record_id), reason TEXT, PRIMARY KEY (record_id, other_id))",
    "CREATE TABLE IF NOT EXISTS dedup_decisions (decision_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " record_id INTEGER NOT NULL REFERENCES records(record_id), other_id INTEGER NOT NULL REFERENCES records(record_id),"
    " decision TEXT NOT NULL, reviewer TEXT NOT NULL, note TEXT, origin TEXT NOT NULL, created_at TEXT NOT NULL)",
]

#: Older schemas this version upgrades in place when it opens them (one transaction each).
#: The PostgreSQL store runs the same statements (``screener.store.postgres`` translates types).
_MIGRATIONS = {
    1: ["ALTER TABLE decisions ADD COLUMN sample_drawn_at INTEGER"],
    2: [stmt.strip() for stmt in _ACCOUNTS_SCHEMA.split(";") if stmt.strip()],  # reviewer accounts
    # a team server: a retried request is logged once; who has which record on screen
    3: ["ALTER TABLE decisions ADD COLUMN request_id TEXT",
        "CREATE UNIQUE INDEX IF NOT EXISTS decisions_request ON decisions(request_id)",
        "CREATE TABLE IF NOT EXISTS leases (record_id INTEGER PRIMARY KEY, reviewer TEXT NOT NULL,"
        " leased_at REAL NOT NULL)"],
    4: _DEDUP_SCHEMA,  # volume, issue, pages; pairs to review; de-duplication decisions
    # a ranking's order and scores as two packed arrays (ranking_items keeps the rows with more)
    # an index on records small enough to list every id from (the table itself is the texts), one
    # to find a group's primary by the group, and one of the grouped duplicates alone
    5: [lambda store: store._add_columns("rankings", ("record_ids", "scores"), kind="BLOB"),
        "CREATE INDEX IF NOT EXISTS records_source ON records(source_id)",
        "CREATE INDEX IF NOT EXISTS duplicate_groups_group ON duplicate_groups(group_id)",
        "CREATE INDEX IF NOT EXISTS duplicate_groups_duplicates ON duplicate_groups(record_id) WHERE is_primary = 0"],
    # why a record was excluded (PRISMA lists the full-text exclusions with their reasons)
    6: [lambda store: store._add_columns("decisions", ("reason",))],
    # a split record was kept on its own for good (its own later copies too, and those could join
    # the study it was taken from); a split is now the pairs of records it says are not one study
    7: [lambda store: store._splits_as_pairs(), "DROP TABLE IF EXISTS dedup_splits"],
    # an account the owner disabled (a reviewer who left): when and by whom; NULL while it may sign in
    8: [lambda store: store._add_columns("users", ("disabled_at", "disabled_by"))],
    # the blinding ends at each stage on its own: the owner's end so far is the title/abstract one
    9: [lambda store: _blinding_end_by_stage(store)],
    # whether a pair's 'separate' took a record out of a duplicate group (1) or the pair was never one
    # study (0): a candidate pair kept apart costs the random sample no draw. NULL before: not known
    10: [lambda store: store._add_columns("dedup_decisions", ("left_group",), kind="INTEGER")],
}


def _blinding_end_by_stage(store) -> None:
    """Format 9 to 10: the owner's 'End the blinding' says which stage it ends (``stage``). A project
    whose blinding ended before reads as ended at title and abstract only: its full texts are screened
    blind until the full-text blinding ends on its own (every reviewer has assessed every report passed
    on to full text, or the owner ends it). Its end, by whom and when, and the earlier ends are kept."""
    ended = store.get_setting("blinding_ended")
    if isinstance(ended, dict) and "stage" not in ended:
        store.set_setting("blinding_ended", {**ended, "stage": "title_abstract"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source_id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL, path TEXT NOT NULL, format TEXT NOT NULL, encoding TEXT,
    source_db TEXT, sha256 TEXT NOT NULL, n_records INTEGER NOT NULL, warnings TEXT,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    record_id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(source_id),
    source_line INTEGER, source_ref TEXT,
    title TEXT, abstract TEXT, authors TEXT, year INTEGER, journal TEXT, doi TEXT, pmid TEXT,
    keywords TEXT, type TEXT, source_db TEXT, source_file TEXT, raw TEXT,
    volume TEXT, issue TEXT, pages TEXT, start_page TEXT
);
CREATE INDEX IF NOT EXISTS records_source ON records(source_id);
CREATE TABLE IF NOT EXISTS duplicate_groups (
    record_id INTEGER PRIMARY KEY REFERENCES records(record_id),
    group_id INTEGER NOT NULL, is_primary INTEGER NOT NULL, reason TEXT
);
CREATE INDEX IF NOT EXISTS duplicate_groups_group ON duplicate_groups(group_id);
CREATE INDEX IF NOT EXISTS duplicate_groups_duplicates ON duplicate_groups(record_id) WHERE is_primary = 0;
CREATE TABLE IF NOT EXISTS duplicate_review (
    record_id INTEGER NOT NULL REFERENCES records(record_id), other_id INTEGER NOT NULL REFERENCES records(record_id),
    reason TEXT, PRIMARY KEY (record_id, other_id)
);
CREATE TABLE IF NOT EXISTS dedup_decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id INTEGER NOT NULL REFERENCES records(record_id), other_id INTEGER NOT NULL REFERENCES records(record_id),
    decision TEXT NOT NULL, reviewer TEXT NOT NULL, note TEXT, origin TEXT NOT NULL, created_at TEXT NOT NULL,
    left_group INTEGER
);
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id INTEGER NOT NULL REFERENCES records(record_id),
    decision TEXT NOT NULL, reviewer TEXT NOT NULL, stage TEXT NOT NULL, note TEXT,
    origin TEXT NOT NULL, sampled INTEGER NOT NULL DEFAULT 0, sample_prob REAL,
    role TEXT NOT NULL DEFAULT 'reviewer', ranking_id INTEGER, created_at TEXT NOT NULL,
    sample_drawn_at INTEGER, request_id TEXT, reason TEXT
);
CREATE INDEX IF NOT EXISTS decisions_record ON decisions(record_id);
CREATE UNIQUE INDEX IF NOT EXISTS decisions_request ON decisions(request_id);
CREATE TABLE IF NOT EXISTS leases (
    record_id INTEGER PRIMARY KEY, reviewer TEXT NOT NULL, leased_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rankings (
    ranking_id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, settings TEXT NOT NULL,
    n_labelled INTEGER NOT NULL, record_ids BLOB, scores BLOB
);
CREATE TABLE IF NOT EXISTS ranking_items (
    ranking_id INTEGER NOT NULL REFERENCES rankings(ranking_id), rank INTEGER NOT NULL,
    record_id INTEGER NOT NULL, score REAL, reason TEXT, sampled INTEGER NOT NULL DEFAULT 0,
    sample_prob REAL, PRIMARY KEY (ranking_id, rank)
);
""" + _ACCOUNTS_SCHEMA

_USER_COLS = ("user_id", "name", "role", "password_hash", "created_at", "updated_at", "disabled_at", "disabled_by")
_RECORD_COLS = ("title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "start_page",
                "doi", "pmid", "keywords", "type", "source_db", "source_file")


# ``json.dumps(raw, default=str, ensure_ascii=False)``, built once: an import encodes 20,000 of them.
_RAW_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False)


def _json_column(values: list, empty: str) -> list:
    """Each stored JSON text parsed (``empty`` for a missing one), in one parse: a 100,000-row
    column is read at every rerank, and one parser call per row costs seconds."""
    if not values:
        return []
    return json.loads("[" + ",".join([v if isinstance(v, str) and v else empty for v in values]) + "]")


#: How long a command waits for another one's write lock on the project before it gives up.
BUSY_WAIT_S = 30.0
#: A wait shorter than this goes unsaid (a decision saved by the web app takes milliseconds).
_FIRST_WAIT_S = 0.5


def say(message: str) -> None:
    """Tell the reviewer something on stderr while a command goes on (the project is busy, or was
    brought up to a newer format): the command's own output stays on stdout."""
    print(message, file=sys.stderr, flush=True)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def other_version_message(where, version) -> str:
    """Why a project of another schema is not opened, and what to do: a newer screener's project
    needs that screener; nothing in it is changed."""
    try:
        newer = int(version) > SCHEMA_VERSION
    except (TypeError, ValueError):
        newer = False
    if newer:
        return (f"{where}: this project was saved by a newer screener (project format {version}; this screener reads "
                f"up to {SCHEMA_VERSION}). Update screener (pull the new version and run its setup.sh again) and "
                "open it with that; nothing in the project was changed.")
    return (f"{where}: this project's format ({version!r}) is not one this screener knows (it reads up to "
            f"{SCHEMA_VERSION}), so it was not opened and nothing in it was changed. Open it with the screener that "
            "made it.")


def upgraded_message(where, version) -> str:
    """What a reviewer is told once, when this screener brings a project up from an older format:
    a screener not updated since can no longer open it (it says the project is newer than it)."""
    return (f"{where}: this project was brought up from format {version} to format {SCHEMA_VERSION}, the one this "
            f"screener reads. A screener that reads only up to format {version} (one not updated since) cannot open "
            "it any more: update screener wherever this review is opened too (a teammate's computer, the server), by "
            "pulling the new version and running its setup.sh again.")


def disk_nearly_full(folder: Path) -> bool:
    """Whether ``folder`` may be written but its disk has under a megabyte left (``SQLiteStore._disk_full``)."""
    try:
        return os.access(folder, os.W_OK) and shutil.disk_usage(folder).free < (1 << 20)
    except OSError:
        return False


class DiskFull(ProjectError):
    """The disk holding the project file is full: nothing of the change was saved."""


class SQLiteStore(Store):
    shared = False  # one server process at a time (its threads share one engine)
    #: the largest decision id this store has written or read: an earlier copy put in place holds every decision
    #: it saw where its own largest is at least this (``decisions_lost``)
    _decision_seen = 0
    _dedup_seen = 0  # the same of the de-duplication log (pairs joined or kept apart, records split)

    def __init__(self, path: str | Path, *, create: bool = False):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise ProjectError(f"{self.path}: no project database here. Create a project with 'screener init'.")
        self._local = threading.local()
        self._lock = threading.RLock()
        self.read_only = False  # set when the database could only be opened for reading
        if not create:
            self._refuse_an_empty_file()
            self._refuse_a_foreign_log()
        _OPEN.add(self)
        conn = self._conn
        self._identity = _file_identity(self.path)  # the file this store writes to (see ``moved``)
        self._mark = 0  # the review's own number in the file's header (see ``_marked``)
        self._header = _Header(self.path, self._identity)
        self._let_go = weakref.finalize(self, self._header.close)
        if create:
            conn.executescript("BEGIN;\n" + SCHEMA + "\nCOMMIT;")
            if self.get_setting("schema_version") is None:
                self.set_setting("schema_version", SCHEMA_VERSION)
        else:
            try:
                version = self.get_setting("schema_version")
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and self._disk_full():  # no room for SQLite's index
                    raise DiskFull(f"{self.path}: the disk holding the project is full, so the project could not be "
                                   "opened (SQLite needs room beside the file for its log). Nothing was changed; free "
                                   "some space on that disk and run the command again.") from None
                raise ProjectError(f"{self.path}: this file is not a screener project (another program's file, "
                                   "saved under its name?). Put back the project "
                                   "from a backup ('screener restore'), or a synced copy's earlier version.") from exc
            if version in _MIGRATIONS:
                self._migrate(int(version))
            elif version != SCHEMA_VERSION:
                raise ProjectError(other_version_message(self.path, version))
        self._mark = conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self, version: int) -> None:
        """Bring a project from an older schema up to this one; all or nothing. A failure says that
        nothing was changed (a traceback left the reviewer wondering whether the project was damaged)."""
        if getattr(self, "read_only", False):
            raise ProjectError(
                f"{self.path}: this project was saved by an older screener (project format {version}). This "
                f"screener reads format {SCHEMA_VERSION} and brings an older project up to it when it opens it, "
                "which writes to the project, and the project is on read-only storage (or you may not change its "
                "folder), so nothing was changed. To read it here, copy the project folder somewhere you can "
                "write and open the copy (the copy is brought up to date); or open it with the screener that made it.")
        try:
            try:
                upgraded_from = self._upgrade()
            except DiskFull as exc:  # said as an upgrade that failed: the project is the older screener's
                raise sqlite3.OperationalError("database or disk is full") from exc
        except ScreenerError:  # the project busy, or moved: their own messages
            raise
        except Exception as exc:
            raise ProjectError(
                f"{self.path}: bringing this project from format {version} (saved by an older screener) up to "
                f"format {SCHEMA_VERSION} failed ({exc}), so nothing in it was changed: it is as the older screener "
                "left it. If the disk is full, free some space and try again; otherwise open it with the screener "
                "that made it, and report this error.") from exc
        if upgraded_from is not None:  # said once: the next command finds the project in this format
            say(upgraded_message(self.path, upgraded_from))

    def _upgrade(self) -> int | None:
        """``_migrate``'s steps, in one transaction. The format is read again under the write lock:
        another command opening the project at the same time may have upgraded it meanwhile (its
        steps run twice would fail: a column added again). The format it was in, None when another
        command upgraded it first."""
        with self.transaction():
            version = self.get_setting("schema_version")
            if version not in _MIGRATIONS:
                if version != SCHEMA_VERSION:
                    raise ProjectError(other_version_message(self.path, version))
                return None
            started = version
            while version != SCHEMA_VERSION:
                for stmt in _MIGRATIONS[version]:
                    if callable(stmt):
                        stmt(self)
                    else:
                        self._conn.execute(stmt)
                version += 1
            self.set_setting("schema_version", SCHEMA_VERSION)
        return started

    def _add_columns(self, table: str, names, kind: str = "TEXT") -> None:
        """Add columns (of type ``kind``) a table lacks (a column already there is left as it is)."""
        have = set(self._read_frame(f"SELECT * FROM {table} WHERE 0 = 1").columns)
        for name in names:
            if name not in have:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def _has_table(self, name: str) -> bool:
        return self._conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (name,)).fetchone() is not None

    def _fill_details(self) -> None:
        """Volume, issue and pages of records stored before schema 3, from their raw fields."""
        from ..io.details import details_from_raw

        rows = self._conn.execute(
            "SELECT r.record_id, s.format, r.raw FROM records r JOIN sources s USING(source_id)").fetchall()
        updates = []
        for rid, fmt, raw in rows:
            d = details_from_raw(fmt, json.loads(raw) if raw else {})
            if any(d.values()):
                updates.append((d["volume"], d["issue"], d["pages"], d["start_page"], rid))
        self._conn.executemany("UPDATE records SET volume = ?, issue = ?, pages = ?, start_page = ? WHERE record_id = ?",
                               updates)

    # one connection per thread: the web app serves and retrains on different threads
    def _refuse_an_empty_file(self) -> None:
        """An empty project file (a copy or a sync that never finished) is said in words before it is
        opened: opened, it was given a database header and read as "no such table: settings"."""
        try:
            empty = self.path.is_file() and self.path.stat().st_size == 0
        except OSError:
            return  # said where the file is opened
        if empty:
            raise ProjectError(f"{self.path}: the project file is empty (a copy or a sync that did not finish). "
                               "screener changed nothing in it; put back the project from a backup ('screener "
                               "restore'), or a synced copy's earlier version.")

    @property
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_WAIT_S, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):  # no read-only storage: opened for reading
                    raise self._busy_error() from None  # only, it would show the file as it was, unsaid
                conn = self._read_only_conn()
            except sqlite3.DatabaseError as exc:  # another file under the database's name, or a damaged one
                raise ProjectError(
                    f"{self.path}: this file is not a screener project database ({exc}): it is damaged, or another "
                    "file was saved under its name. screener changed nothing in it; put back the project from "
                    "a backup (or a synced copy's earlier version).") from None
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            self._local.depth = 0
        return conn

    def _refuse_a_foreign_log(self) -> None:
        """Refuse a write-ahead log beside the file that was not written on it: a backup copied over
        screener.sqlite while the old screener.sqlite-wal stayed (a screener killed, or still running).
        SQLite would replay that log onto the restored file, mixing pages of two states of the review
        (a damaged project, or the backup not as it was), and write the mix into the file for good.
        Not checked while this process has the file open already: reading the file with a second
        handle would release SQLite's locks on it (POSIX locks belong to the process)."""
        ident = _file_identity(self.path)
        if ident is None or any(s._identity == ident for s in list(_OPEN) if getattr(s, "_identity", None)):
            return
        # SQLite keeps the log beside the file a link points to (a project file kept in a synced folder)
        real = Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path
        log = real.with_name(real.name + "-wal")
        why = None
        for _ in range(5):  # another process writing meanwhile: read again until the file held still
            try:
                first = _first_page(self.path)
                frames, page_size = _log_frames(log)
                again = _first_page(self.path)
            except OSError:
                return  # SQLite says what it cannot read
            except _LogStartedOver:  # read in part before and in part after: its frames are of two logs
                time.sleep(0.05)
                continue
            if first != again:
                time.sleep(0.05)
                continue
            why = _not_this_files_log(first, frames, page_size)
            break
        if why is None:
            return
        raise ProjectError(
            f"{real}: the write-ahead log beside it ({log.name}) was written on another version of this "
            f"file ({why}): was {real.name} put back from a backup, or copied in, while {log.name} "
            "of the review before stayed in the folder? Opened together they would mix two states of the "
            "review and damage it, so screener opened nothing and changed nothing. If you put back a backup: "
            "make sure no screener command, 'screener serve' or 'screener open' is running on this project, move "
            f"{log.name} and {real.name}-shm out of the folder (keep them until the review is checked), "
            "and run the command again; the backup is then used as it is. Otherwise keep all three files as "
            "they are and report this.")

    def _read_only_conn(self) -> sqlite3.Connection:
        """A project on read-only storage (a CD, a locked share): it can still be read."""
        from urllib.parse import quote

        if not self.path.exists():
            raise ProjectError(f"{self.path.parent}: cannot create the project database there; choose a folder "
                               "you can write to.")
        log = self.path.with_name(self.path.name + "-wal")
        if log.is_file() and log.stat().st_size and not self._disk_full():
            # changes saved into the log but not yet into the file (a folder copied while a screener had
            # the review open): SQLite cannot read that log here, and the file alone would lack them
            raise ProjectError(
                f"{self.path}: some of this project's saved changes are still in {log.name} beside it (the "
                "folder was copied while a screener had the review open), and that file cannot be read here: "
                "this project is on read-only storage (or you may not change its folder), so it was not opened "
                "rather than shown without them. Copy the project folder somewhere you can write and open the "
                "copy: its changes are read there.")
        try:
            conn = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1", uri=True,
                                   isolation_level=None, timeout=30, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{self.path}: the project database cannot be opened ({exc}). Check that you may "
                               "read the project folder.") from None
        self.read_only = True
        return conn

    def _busy_error(self) -> ProjectBusy:
        return ProjectBusy(
            f"{self.path}: the project is busy: another screener command (an import, say, or 'screener serve' "
            "saving a ranking), or another program, has been writing to it for a while. Nothing of this change "
            "was saved; try again when that command has finished.")

    def _disk_full(self) -> bool:
        """Whether the project's folder is writable but its disk (nearly) full: SQLite cannot
        make its write-ahead log there either, and the project then opens for reading only, which
        is no read-only storage to ask write access for. (A CD reports no free space too; it is
        not writable.)"""
        return disk_nearly_full(self.path.parent)

    def _full_disk_error(self) -> ProjectError:
        return DiskFull(
            f"{self.path}: the disk holding the project is full. Nothing of this change was saved (the project "
            "is as it was before this command); free some space on that disk and run the command again.")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        conn = self._conn
        if self._local.depth:
            if getattr(self._local, "reading", False):  # its writes would be rolled back with the snapshot
                raise RuntimeError("a write inside Store.snapshot(), which is for reading only")
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        if self.read_only and self._disk_full():  # opened for reading only because the disk is full
            raise self._full_disk_error()
        self._begin_writing(conn)
        if self.moved():
            conn.execute("ROLLBACK")
            raise self._moved_error()
        self._local.depth = 1
        try:
            changes = conn.total_changes
            mark = self._marked(conn)
            yield
            if self._replaced():  # again: a copy put over the file during a long change (an import) would get it
                raise self._moved_error()
            if conn.total_changes != changes:  # a change to the review (one that wrote nothing is no change)
                self._counted(conn)
            conn.execute("COMMIT")
            self._mark = mark  # the review's once saved: one undone may be given another by the next writer
            self._into_the_file(conn)
            self._header.seen()  # the count the file holds now: an earlier copy put over it holds less
        except BaseException as exc:  # Ctrl-C too: nothing half-written survives
            if conn.in_transaction:  # a full disk: SQLite has undone the write itself already
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc):
                raise self._full_disk_error() from None
            raise
        finally:
            self._local.depth = 0

    def _moved_error(self) -> ProjectError:
        return ProjectError(
            f"{self.path}: the project file was moved or replaced while this command had it open (the review "
            "moved to a database server with 'screener migrate', or a copy put in its place). Nothing of this "
            "change was saved; run the command again, and it uses the review where it is now.")

    def _begin_writing(self, conn: sqlite3.Connection) -> None:
        """Take the project's write lock. Held by another process (an import in another terminal,
        'screener serve' saving a ranking) for longer than a moment, the reviewer is told at once
        what this command waits for (it waited 30 s saying nothing, like a hung command), and,
        after ``BUSY_WAIT_S``, that nothing was saved, instead of a traceback. A web server's request
        threads wait without a word: what holds the lock is most often the server itself."""
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(_FIRST_WAIT_S * 1000)}")
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            if threading.current_thread() is threading.main_thread():  # a command; not a web server's request
                # thread, most often waiting on the server's own ranking save ("another command" it is not)
                say(f"The project is busy: another screener command (an import, say, or 'screener serve' saving) or "
                    f"another program is writing to {self.path}. Waiting up to {BUSY_WAIT_S:g} s for it to finish "
                    "(nothing of this command is saved until then)...")
            conn.execute(f"PRAGMA busy_timeout = {int((BUSY_WAIT_S - _FIRST_WAIT_S) * 1000)}")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                raise self._busy_error() from None
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_S * 1000)}")

    def _marked(self, conn: sqlite3.Connection) -> int:
        """Give the review its own number (in the file's header, SQLite's user_version), written with the
        first change to a project made before there was one: a copy of another project put over the file
        where it lies ('cp', which writes into the file, so the file stays the same one on the disk) is told
        apart from the review by it (``moved``). Read under the write lock: another command may have just
        given it one. Returned, to be taken as the review's only once the change is saved."""
        if self._mark:
            return self._mark
        mark = conn.execute("PRAGMA user_version").fetchone()[0]
        if not mark:
            mark = secrets.randbelow(2**31 - 1) + 1
            conn.execute(f"PRAGMA user_version = {mark}")
        return mark

    @staticmethod
    def _counted(conn: sqlite3.Connection) -> None:
        """Count the change in the file's header (SQLite's application_id, which only grows): an earlier copy
        of the same review (a backup, a copy of the project folder) copied over the file where it lies carries
        the review's own number, and is told apart by its smaller count (``moved``). Read under the write
        lock, as the change is saved, so that two commands' changes are counted one after the other."""
        count = conn.execute("PRAGMA application_id").fetchone()[0]
        conn.execute(f"PRAGMA application_id = {count + 1 if 0 <= count < 2**31 - 1 else count}")

    @staticmethod
    def _into_the_file(conn: sqlite3.Connection) -> None:
        """Write what was just saved into the project file itself, not only into its log beside it
        (screener.sqlite-wal), which SQLite empties into the file when the last process closes the
        project: while 'screener serve' or 'open' held it, a copy of screener.sqlite alone (sent to a
        colleague, kept as a backup) lacked every decision of the session. Never waits for readers
        (what a reader still sees is written by the next change); a failure here loses nothing."""
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            pass

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        # a deferred transaction: in WAL mode its first read fixes what every later read sees
        conn = self._conn
        if self._local.depth or self.read_only:
            yield
            return
        conn.execute("BEGIN")
        self._local.depth, self._local.reading = 1, True
        try:
            yield
        finally:
            self._local.depth, self._local.reading = 0, False
            conn.execute("ROLLBACK")  # nothing was written: reading only

    def now(self) -> str:
        return now()

    def serialize(self, what: str) -> None:
        """BEGIN IMMEDIATE already makes SQLite's writers take turns."""

    def _read_frame(self, sql: str, params=()) -> pd.DataFrame:
        return pd.read_sql_query(sql, self._conn, params=params or None)

    def _write(self, sql: str, params=()):
        with self.transaction():
            return self._conn.execute(sql, params)

    # -- settings ---------------------------------------------------------------------------
    def get_setting(self, key, default=None):
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key, value) -> None:
        self._write("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)))

    def settings(self) -> dict:
        return {k: json.loads(v) for k, v in self._conn.execute("SELECT key, value FROM settings")}

    # -- sources and records ----------------------------------------------------------------
    def add_source(self, source: Source) -> int:
        cur = self._write(
            "INSERT INTO sources(file_name, path, format, encoding, source_db, sha256, n_records, warnings, imported_at)"
            " VALUES(?,?,?,?,?,?,?,?,?)",
            (source.file_name, source.path, source.format, source.encoding, source.source_db, source.sha256,
             source.n_records, json.dumps(source.warnings), self.now()))
        return int(cur.lastrowid)

    def sources_frame(self) -> pd.DataFrame:
        return self._read_frame("SELECT * FROM sources ORDER BY source_id").set_index("source_id")

    def add_records(self, records: list[dict], source_id: int) -> list[int]:
        records = records if isinstance(records, list) else list(records)
        dumps, raw_json = json.dumps, _RAW_ENCODER.encode

        def rows():  # one row at a time: the JSON of 20,000 raw records need not be held at once
            for rid, r in zip(ids, records):
                get = r.get
                authors, keywords = get("authors"), get("keywords")
                source_ref, pmid = get("source_id"), get("pmid")
                yield (rid, source_id, get("source_line"), None if source_ref is None else str(source_ref),
                       get("title"), get("abstract"), dumps(list(authors)) if authors else "[]",
                       _int_or_none(get("year")), get("journal"), get("doi"), None if pmid is None else str(pmid),
                       dumps(list(keywords)) if keywords else "[]", get("type"), get("source_db"),
                       get("source_file"), raw_json(get("raw") or {}), get("volume"), get("issue"), get("pages"),
                       get("start_page") or start_page(get("pages")))

        with self.transaction():
            self.serialize("records")  # two imports at once never number their records alike
            start = self._conn.execute("SELECT COALESCE(MAX(record_id), 0) FROM records").fetchone()[0] + 1
            ids = list(range(start, start + len(records)))
            self._conn.executemany(
                "INSERT INTO records(record_id, source_id, source_line, source_ref, title, abstract, authors, year,"
                " journal, doi, pmid, keywords, type, source_db, source_file, raw, volume, issue, pages, start_page)"
                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows())
        return ids

    def records_frame(self, record_ids=None, *, with_raw: bool = False, short_abstracts: bool = False) -> pd.DataFrame:
        cols = "record_id, source_id, source_line, source_ref, " + ", ".join(_RECORD_COLS)
        if short_abstracts:  # the first characters: stored values are stripped, so present stays present
            cols = cols.replace("abstract", "substr(abstract, 1, 16) AS abstract", 1)
        if with_raw:
            cols += ", raw"
        sql = f"SELECT {cols} FROM records"
        params: tuple = ()
        if record_ids is not None:
            ids = [int(i) for i in record_ids]
            if not ids:
                sql += " WHERE 1 = 0"
            else:
                self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids(id INTEGER PRIMARY KEY)")
                self._conn.execute("DELETE FROM _ids")
                self._conn.executemany("INSERT OR IGNORE INTO _ids VALUES(?)", [(i,) for i in ids])
                sql += " WHERE record_id IN (SELECT id FROM _ids)"
        df = self._read_frame(sql + " ORDER BY record_id", params)
        for col in ("authors", "keywords"):
            # one JSON array of all the rows' arrays: one parse instead of one per record
            df[col] = _json_column(df[col].tolist(), "[]")
        if with_raw:
            df["raw"] = [json.loads(v) if v else {} for v in df["raw"]]
        df["year"] = df["year"].astype("Int64")
        return df.set_index("record_id")

    def record_sources(self) -> pd.DataFrame:
        return self._read_frame("SELECT record_id, source_id FROM records ORDER BY record_id").set_index("record_id")

    def dedup_keys_frame(self) -> pd.DataFrame:
        from ..dedup import KEY_COLUMNS

        df = self._read_frame(f"SELECT record_id, {', '.join(KEY_COLUMNS)} FROM records ORDER BY record_id")
        df["year"] = df["year"].astype("Int64")
        return df.set_index("record_id")

    def n_records(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    def primary_map(self) -> pd.Series:
        # the duplicates only: a primary (most of 500,000 records) maps to itself
        rows = self._conn.execute(
            "SELECT d.record_id, p.record_id FROM duplicate_groups d JOIN duplicate_groups p"
            " ON p.group_id = d.group_id AND p.is_primary = 1 WHERE d.is_primary = 0 ORDER BY d.record_id").fetchall()
        return pd.Series([r[1] for r in rows], index=pd.Index([r[0] for r in rows], name="record_id"), dtype="int64")

    def duplicate_ids(self) -> np.ndarray:
        rows = self._conn.execute("SELECT record_id FROM duplicate_groups WHERE is_primary = 0").fetchall()
        return np.sort(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))

    def primary_record_ids(self) -> pd.Index:
        # Records are numbered in the order stored and never deleted, so their ids are one run
        # of numbers: the primaries are that run less the grouped duplicates (a few thousand),
        # without reading 500,000 ids one row at a time. Any other numbering is read as it is,
        # from the small index on source_id (not from a walk over every record's texts).
        lo, hi, n = self._conn.execute("SELECT MIN(record_id), MAX(record_id), COUNT(*) FROM records").fetchone()
        if n and hi - lo + 1 == n:
            ids = np.arange(lo, hi + 1, dtype=np.int64)
            ids = ids[~np.isin(ids, self.duplicate_ids())]
        else:
            rows = self._conn.execute(
                "SELECT record_id FROM records WHERE record_id NOT IN"
                " (SELECT record_id FROM duplicate_groups WHERE is_primary = 0)").fetchall()
            ids = np.sort(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        return pd.Index(ids, name="record_id")

    def n_primary_records(self) -> int:
        n = self._conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        dup = self._conn.execute("SELECT COUNT(*) FROM duplicate_groups d JOIN records r USING(record_id)"
                                 " WHERE d.is_primary = 0").fetchone()[0]
        return int(n - dup)

    def duplicates_stamp(self) -> tuple[int, ...]:
        """How many times the duplicate groups were written (``_duplicates_written``), and the copies: one
        setting and one count, where reading the groups themselves took a pass over every copy (0.2 s on
        a 500,000-record review, on each of the web page's requests)."""
        n = self._conn.execute("SELECT COUNT(*) FROM duplicate_groups WHERE is_primary = 0").fetchone()[0]
        return int(self.get_setting(DUPLICATES_WRITTEN, 0) or 0), int(n)

    def _duplicates_written(self) -> None:
        """Count a write of the duplicate groups, in its transaction: a merge and a split keep the counts
        of records and studies, and what a front end holds is checked against this (``duplicates_stamp``)."""
        self.set_setting(DUPLICATES_WRITTEN, int(self.get_setting(DUPLICATES_WRITTEN, 0) or 0) + 1)

    def latest_ranking_scores(self) -> pd.DataFrame | None:
        rid = self.latest_ranking_id()
        if rid is None:
            return None
        arrays = self._ranking_arrays(rid)
        if arrays is not None:
            return pd.DataFrame({"record_id": arrays[0], "score": arrays[1]})
        rows = self._conn.execute("SELECT record_id, score FROM ranking_items WHERE ranking_id = ? ORDER BY rank",
                                  (rid,)).fetchall()
        return pd.DataFrame(rows, columns=["record_id", "score"])

    def dedup_records_frame(self, record_ids=None) -> pd.DataFrame:
        df = self.records_frame(record_ids, short_abstracts=True)
        # a register's record keeps what de-duplication reads beside its trial id in its columns as exported (the
        # WHO ICTRP's 'Secondary ID', ClinicalTrials.gov's 'Other IDs': the trial's other registrations): read for those
        # few records only
        from ..io.tabular import REGISTRY_RECORD

        wanted = set(df.index[df["type"] == REGISTRY_RECORD].tolist())
        if wanted:
            rows = self._conn.execute("SELECT record_id, raw FROM records WHERE type = ?", (REGISTRY_RECORD,))
            raws = {int(rid): json.loads(raw) if raw else {} for rid, raw in rows if int(rid) in wanted}
            df["raw"] = [raws.get(int(rid)) for rid in df.index]
        return df

    def dedup_full_abstracts(self, record_ids) -> dict[int, str]:
        """The whole abstracts of the records given (``dedup_records_frame`` cuts them short)."""
        out = {}
        for rid in record_ids:
            row = self._conn.execute("SELECT abstract FROM records WHERE record_id = ?", (int(rid),)).fetchone()
            if row and row[0]:
                out[int(rid)] = row[0]
        return out

    def records_index_frame(self) -> pd.DataFrame:
        """Every record's id and source database, without its texts: what a list filters and pages
        on before it reads the few records it shows (``records_frame(record_ids)``)."""
        return self._read_frame("SELECT record_id, source_db FROM records ORDER BY record_id", ()).set_index("record_id")

    #: SQL's LIKE that ignores the case of ASCII letters: SQLite's own LIKE does, PostgreSQL's ILIKE
    _LIKE_ANY_CASE = "LIKE"

    def record_ids_whose_raw_holds(self, *texts) -> list[int]:
        """Ids of the records whose original record (``raw``) holds one of ``texts``, read inside the database: the
        few a caller then reads whole, without loading every record's original. A text is text ('%' and '_' no
        wildcards; '"', '\\' and line breaks as the original has them, not as its JSON writes them), a {key: text}
        that key's value beginning with that text; found in any case of their ASCII letters on either database."""
        patterns = []
        for text in texts:
            text = _RAW_ENCODER.encode(text)[1:-2 if isinstance(text, dict) else -1]  # quotes; braces, value's end
            patterns.append("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if not patterns:
            return []
        where = " OR ".join([f"raw {self._LIKE_ANY_CASE} ? ESCAPE '\\'"] * len(patterns))
        rows = self._conn.execute(f"SELECT record_id FROM records WHERE {where} ORDER BY record_id", patterns)
        return [int(r[0]) for r in rows]

    def search_record_ids(self, words) -> list[int]:
        """Ids of the records whose title + abstract contains every word (case-insensitive, as
        Python lowers text, so beyond ASCII too), searched inside SQLite: no texts are loaded."""
        words = [str(w).lower() for w in words if str(w)]
        self._conn.create_function("screener_lower", 1, lambda v: None if v is None else str(v).lower(),
                                   deterministic=True)
        text = "screener_lower(coalesce(title, '') || ' ' || coalesce(abstract, ''))"
        where = " AND ".join([f"instr({text}, ?) > 0"] * len(words)) or "1"
        rows = self._conn.execute(f"SELECT record_id FROM records WHERE {where} ORDER BY record_id", words)
        return [int(r[0]) for r in rows]

    # -- duplicate groups ---------------------------------------------------------------------
    def replace_duplicate_groups(self, assignments: pd.DataFrame) -> None:
        rows = [(int(r.record_id), int(r.group_id), int(bool(r.is_primary)), r.reason or "")
                for r in assignments.itertuples(index=False)]
        with self.transaction():
            self._conn.execute("DELETE FROM duplicate_groups")
            self._conn.executemany(
                "INSERT INTO duplicate_groups(record_id, group_id, is_primary, reason) VALUES(?,?,?,?)", rows)
            self._duplicates_written()

    def duplicate_groups_frame(self) -> pd.DataFrame:
        df = self._read_frame("SELECT record_id, group_id, is_primary, reason FROM duplicate_groups ORDER BY record_id")
        df["is_primary"] = df["is_primary"].astype(bool)
        return df

    def update_duplicate_groups(self, assignments: pd.DataFrame) -> None:
        rows = [(int(r.record_id), int(r.group_id), int(bool(r.is_primary)), r.reason or "")
                for r in assignments.itertuples(index=False)]
        with self.transaction():
            self._conn.executemany("DELETE FROM duplicate_groups WHERE record_id = ?", [(r[0],) for r in rows])
            self._conn.executemany(
                "INSERT INTO duplicate_groups(record_id, group_id, is_primary, reason) VALUES(?,?,?,?)", rows)
            self._duplicates_written()

    def replace_duplicate_review(self, pairs: pd.DataFrame, *, record_ids=None) -> None:
        rows = [(int(r.record_id), int(r.other_id), r.reason or "") for r in pairs.itertuples(index=False)]
        with self.transaction():
            if record_ids is None:
                self._conn.execute("DELETE FROM duplicate_review")
            else:
                ids = {int(i) for i in record_ids}
                old = self._conn.execute("SELECT record_id, other_id FROM duplicate_review").fetchall()
                self._conn.executemany("DELETE FROM duplicate_review WHERE record_id = ? AND other_id = ?",
                                       [(a, b) for a, b in old if a in ids and b in ids])
            self._conn.executemany("DELETE FROM duplicate_review WHERE record_id = ? AND other_id = ?",
                                   [(r[0], r[1]) for r in rows])
            self._conn.executemany(
                "INSERT INTO duplicate_review(record_id, other_id, reason) VALUES(?,?,?)", rows)

    def duplicate_review_frame(self) -> pd.DataFrame:
        return self._read_frame("SELECT record_id, other_id, reason FROM duplicate_review ORDER BY record_id, other_id")

    def append_dedup_decision(self, record_id: int, other_id: int, decision: str, *, reviewer: str = "reviewer",
                              note: str | None = None, origin: str = "cli") -> int:
        if decision not in DEDUP_LOG_DECISIONS:
            raise ValueError(f"unknown de-duplication decision {decision!r}")
        # a split's pair keeps the record taken out first
        a, b = (int(record_id), int(other_id)) if decision in ("split", "unsplit", "ungrouped") else \
            sorted((int(record_id), int(other_id)))
        with self.transaction():
            left = self._left_group(a, b, decision)
            cur = self._conn.execute(
                "INSERT INTO dedup_decisions(record_id, other_id, decision, reviewer, note, origin, created_at,"
                " left_group) VALUES(?,?,?,?,?,?,?,?)",
                (a, b, decision, reviewer, _text(note), origin, self.now(), left))
        self._dedup_seen = max(self._dedup_seen, int(cur.lastrowid))
        return int(cur.lastrowid)

    def _left_group(self, a: int, b: int, decision: str) -> int | None:
        """Whether the decision takes a record out of a duplicate group: a split always; a 'separate' when the
        two records are one study now (a candidate pair of the duplicate review never was); None for the rest."""
        if decision in ("split", "ungrouped"):
            return 1
        if decision != "separate":
            return None
        rows = self._conn.execute("SELECT group_id FROM duplicate_groups WHERE record_id IN (?, ?)", (a, b)).fetchall()
        return int(len(rows) == 2 and rows[0][0] == rows[1][0])

    def dedup_decisions_frame(self) -> pd.DataFrame:
        df = self._read_frame("SELECT * FROM dedup_decisions ORDER BY decision_id")
        seen = pd.to_numeric(df["decision_id"], errors="coerce").max() if len(df) else None
        if seen is not None and pd.notna(seen):
            self._dedup_seen = max(self._dedup_seen, int(seen))
        return df

    def _splits_as_pairs(self) -> None:
        """Schema 7 kept each split record on its own for good (``dedup_splits``). What the reviewer
        said is that it is not the study of the records it was grouped with: logged as a "split" of
        the record from each record of its group then (grouped as every run did before the split
        took it out, of the records imported by the time of the split), at the split's time."""
        from ..dedup import find_duplicates_with_review, related_records

        if not self._has_table("dedup_splits"):
            return
        splits = self._conn.execute("SELECT record_id, created_at FROM dedup_splits ORDER BY record_id").fetchall()
        if not splits:
            return
        latest: dict[tuple[int, int], str] = {}
        for r in self.dedup_decisions_frame().itertuples(index=False):
            if r.decision not in DEDUP_RUN_DECISIONS:
                latest[tuple(sorted((int(r.record_id), int(r.other_id))))] = r.decision
        merged = [p for p, d in latest.items() if d == "merge"]
        apart = [p for p, d in latest.items() if d == "separate"]
        # the records the split ones could be grouped with, their groups, and the pairs decided
        subset = related_records(self.dedup_keys_frame(), [int(x) for x, _ in splits])
        groups = self.duplicate_groups_frame()
        group_of = dict(zip(groups["record_id"].astype(int), groups["group_id"].astype(int)))
        for _ in range(5):
            gids = {group_of[r] for r in subset if r in group_of}
            grown = subset | {r for r, g in group_of.items() if g in gids}
            grown |= {x for a, b in merged + apart if a in grown or b in grown for x in (a, b)}
            if grown == subset:
                break
            subset = grown
        assignments, _ = find_duplicates_with_review(self.dedup_records_frame(sorted(subset)), merged=merged,
                                                     kept_apart=apart, full_abstracts=self.dedup_full_abstracts)
        natural = dict(zip(assignments["record_id"].astype(int), assignments["group_id"].astype(int)))
        imported = dict(self._conn.execute(
            "SELECT r.record_id, s.imported_at FROM records r JOIN sources s USING(source_id)").fetchall())
        rows = []
        for x, when in splits:
            x = int(x)
            if x not in natural:
                continue
            gid = natural[x]
            others = sorted(r for r, g in natural.items() if g == gid and r != x and imported.get(r, "") <= when)
            note = f"taken out of the group of records {', '.join(map(str, others))} (split before schema 8)"
            rows += [(x, o, "split", "reviewer", note, "migration", when) for o in others]
        self._conn.executemany(
            "INSERT INTO dedup_decisions(record_id, other_id, decision, reviewer, note, origin, created_at)"
            " VALUES(?,?,?,?,?,?,?)", rows)

    # -- decision log -------------------------------------------------------------------------
    def append_decisions(self, decisions: list[Decision]) -> list[int]:
        ids = []
        with self.transaction():
            # one writer of the log at a time: decision ids follow commit order, so a reader of the
            # log's tail (``decisions_after``) never skips an entry committed late
            self.serialize("decisions")
            t = self.now() if any(d.created_at is None for d in decisions) else None
            for d in decisions:
                if d.stage not in STAGES:
                    raise ValueError(f"unknown stage {d.stage!r}")
                if decision_refused(d.decision, d.stage):
                    raise ValueError(f"unknown decision {d.decision!r} at stage {d.stage!r}")
                cur = self._conn.execute(
                    "INSERT INTO decisions(record_id, decision, reviewer, stage, note, origin, sampled, sample_prob,"
                    " sample_drawn_at, role, ranking_id, created_at, request_id, reason)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(request_id) DO NOTHING",
                    (int(d.record_id), d.decision, d.reviewer, d.stage, _text(d.note), d.origin, int(bool(d.sampled)),
                     d.sample_prob, None if d.sample_drawn_at is None else int(d.sample_drawn_at), d.role,
                     d.ranking_id, d.created_at or t, d.request_id, _text(d.reason)))
                if cur.rowcount == 0:  # a request sent again (its answer was lost): logged once
                    ids.append(int(self._conn.execute("SELECT decision_id FROM decisions WHERE request_id = ?",
                                                      (d.request_id,)).fetchone()[0]))
                    continue
                ids.append(int(cur.lastrowid))
        self._saw_decisions(ids)
        return ids

    def decisions_after(self, decision_id: int) -> pd.DataFrame:
        df = self._read_frame("SELECT * FROM decisions WHERE decision_id > ? ORDER BY decision_id", (int(decision_id),))
        df["sampled"] = df["sampled"].astype(bool)
        self._saw_decisions(df["decision_id"])
        return df

    def _saw_decisions(self, ids) -> None:
        # a project from before decisions were numbered holds rows with none (schema 1): read past them
        seen = pd.to_numeric(pd.Series(ids, dtype=object), errors="coerce").max() if len(ids) else None
        if seen is not None and pd.notna(seen):
            self._decision_seen = max(self._decision_seen, int(seen))

    def _largest_decision_there(self, log: str = "decisions") -> int | None:
        """The largest decision id in the project file as it is on the disk (past this process's SQLite, which
        may show what it held before a copy was put over it); None where it cannot be read. ``log``: or the
        de-duplication log's (``dedup_decisions``)."""
        try:
            con = sqlite3.connect(Path(os.path.realpath(self.path)).as_uri() + "?immutable=1", uri=True)
            try:
                return int(con.execute(f"SELECT COALESCE(MAX(decision_id), 0) FROM {log}").fetchone()[0])
            finally:
                con.close()
        except sqlite3.Error:
            return None

    def decisions_lost(self) -> bool | None:
        """After an earlier copy of the review was put in place (``went_back``): whether it lacks a decision this
        store wrote or read, by the log's ids (None: not known). Only other changes saved since (a sign-in) lost,
        the server said 'the decisions made since that copy are not in it'. A reviewer's de-duplication decisions
        count too (a pair joined or kept apart on the Possible duplicates page): the copy without one was said to
        hold every decision, 'so none is lost'."""
        there = self._largest_decision_there()
        dedup = self._largest_decision_there("dedup_decisions") if self._dedup_seen else 0
        if there is None or dedup is None:
            return None
        return there < self._decision_seen or dedup < self._dedup_seen

    # -- who has which record on screen ---------------------------------------------------------
    _CLAIM = ("INSERT INTO leases(record_id, reviewer, leased_at) SELECT ?, ?, ? WHERE NOT EXISTS"
              " (SELECT 1 FROM decisions WHERE record_id = ? AND decision_id > ?)"
              " ON CONFLICT(record_id) DO UPDATE SET reviewer = excluded.reviewer, leased_at = excluded.leased_at"
              " WHERE leases.reviewer = excluded.reviewer OR leases.leased_at < ?")

    def claim_record(self, record_id: int, reviewer: str, *, ttl: float, after: int | None = None) -> bool:
        t = time.time()
        rid = int(record_id)
        with self.transaction():
            self._conn.execute("DELETE FROM leases WHERE reviewer = ? AND record_id <> ?", (reviewer, rid))
            cur = self._conn.execute(self._CLAIM, (rid, reviewer, t, rid, 2 ** 62 if after is None else int(after), t - ttl))
            return cur.rowcount > 0

    def claims(self, *, ttl: float) -> dict[int, str]:
        rows = self._conn.execute("SELECT record_id, reviewer FROM leases WHERE leased_at >= ?", (time.time() - ttl,))
        return {int(r): str(who) for r, who in rows}

    def release_claims(self, reviewer: str) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM leases WHERE reviewer = ?", (reviewer,))

    def decisions_frame(self) -> pd.DataFrame:
        df = self._read_frame("SELECT * FROM decisions ORDER BY decision_id")
        df["sampled"] = df["sampled"].astype(bool)
        self._saw_decisions(df["decision_id"])
        return df

    # -- rankings -----------------------------------------------------------------------------
    # A ranking is stored as its order and scores, two packed arrays in its ``rankings`` row
    # (little-endian int64 and float64): a 500,000-record ranking is 8 MB written in one go, not
    # 500,000 rows. ``ranking_items`` holds only the rows that carry more: an explanation, or a
    # random-sample mark. Rankings stored before schema 6 have every row there and no arrays.
    def save_ranking(self, settings: dict, items: pd.DataFrame, n_labelled: int) -> int:
        # rows are built before the write lock is taken, so a decision never waits on this
        ids = items["record_id"].to_numpy(dtype="<i8")
        scores = items["score"].to_numpy(dtype="<f8")
        extra = np.zeros(len(items), dtype=bool)
        reasons = sampled = probs = None
        if "reason" in items:
            reasons = items["reason"].tolist()
            extra |= np.array([v is not None and not (isinstance(v, float) and np.isnan(v)) for v in reasons],
                              dtype=bool)
        if "sampled" in items:
            sampled = items["sampled"].fillna(False).astype(bool).to_numpy()
            extra |= sampled
        if "sample_prob" in items:
            probs = pd.to_numeric(items["sample_prob"], errors="coerce").to_numpy(dtype=float)
            extra |= ~np.isnan(probs)
        rows = [(int(k) + 1, int(ids[k]), float(scores[k]),
                 "null" if reasons is None else json.dumps(reasons[k], default=str),
                 0 if sampled is None else int(sampled[k]),
                 None if probs is None or np.isnan(probs[k]) else float(probs[k])) for k in np.flatnonzero(extra)]
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO rankings(created_at, settings, n_labelled, record_ids, scores) VALUES(?,?,?,?,?)",
                (self.now(), json.dumps(settings, default=str), int(n_labelled), ids.tobytes(), scores.tobytes()))
            rid = int(cur.lastrowid)
            if rows:
                self._conn.executemany(
                    "INSERT INTO ranking_items(ranking_id, rank, record_id, score, reason, sampled, sample_prob)"
                    " VALUES(?,?,?,?,?,?,?)", [(rid, *row) for row in rows])
        return rid

    def latest_ranking_id(self) -> int | None:
        row = self._conn.execute("SELECT MAX(ranking_id) FROM rankings").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def rankings_frame(self) -> pd.DataFrame:
        rows = self._conn.execute("SELECT ranking_id, created_at FROM rankings ORDER BY ranking_id").fetchall()
        return pd.DataFrame({"ranking_id": [int(r[0]) for r in rows], "created_at": [str(r[1]) for r in rows]})

    def rankings_with(self, key: str, values) -> dict[int, str]:
        values = [str(v) for v in values]
        if not values:
            return {}
        # the settings are JSON text (json.dumps): a LIKE finds the few candidates without parsing all
        like = " OR ".join(["settings LIKE ?"] * len(values))
        rows = self._conn.execute(f"SELECT ranking_id, settings FROM rankings WHERE {like}",
                                  [f'%"{key}": "{v}"%' for v in values]).fetchall()
        out = {}
        for rid, settings in rows:
            try:
                got = json.loads(settings).get(key)
            except (ValueError, AttributeError):
                continue
            if got in values:
                out[int(rid)] = str(got)
        return out

    def ranking_settings(self, ranking_ids) -> dict[int, dict]:
        ids = [int(i) for i in ranking_ids]
        out = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            rows = self._conn.execute(f"SELECT ranking_id, settings FROM rankings WHERE ranking_id IN "
                                      f"({','.join('?' * len(part))})", part).fetchall()
            for rid, settings in rows:
                try:
                    out[int(rid)] = json.loads(settings)
                except ValueError:
                    out[int(rid)] = {}
        return out

    def ranking_order(self, ranking_id: int) -> np.ndarray:
        arrays = self._ranking_arrays(int(ranking_id))
        if arrays is not None:
            return arrays[0]
        rows = self._conn.execute("SELECT record_id FROM ranking_items WHERE ranking_id = ? ORDER BY rank",
                                  (int(ranking_id),)).fetchall()
        return np.array([int(r[0]) for r in rows], dtype=np.int64)

    def _ranking_arrays(self, ranking_id: int):
        """(record ids, scores) of a stored ranking, or None for one stored row by row."""
        row = self._conn.execute("SELECT record_ids, scores FROM rankings WHERE ranking_id = ?",
                                 (int(ranking_id),)).fetchone()
        if row is None or row[0] is None:
            return None
        return np.frombuffer(bytes(row[0]), dtype="<i8").astype(np.int64), np.frombuffer(
            bytes(row[1]), dtype="<f8").astype(np.float64)

    def latest_ranking(self):
        row = self._conn.execute(
            "SELECT ranking_id, settings FROM rankings ORDER BY ranking_id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        stored = self._read_frame(
            "SELECT rank, record_id, score, reason, sampled, sample_prob FROM ranking_items WHERE ranking_id = ?"
            " ORDER BY rank", (row[0],))
        arrays = self._ranking_arrays(row[0])
        if arrays is None:
            items = stored
            items["reason"] = _json_column(items["reason"].tolist(), "null")
            items["sampled"] = items["sampled"].astype(bool)
        else:
            ids, scores = arrays
            n = len(ids)
            reason = np.full(n, None, dtype=object)
            sampled = np.zeros(n, dtype=bool)
            prob = np.full(n, np.nan)
            if len(stored):
                pos = stored["rank"].to_numpy(dtype=np.int64) - 1
                reason[pos] = _json_column(stored["reason"].tolist(), "null")
                sampled[pos] = stored["sampled"].astype(bool).to_numpy()
                prob[pos] = pd.to_numeric(stored["sample_prob"], errors="coerce").to_numpy(dtype=float)
            items = pd.DataFrame({"rank": np.arange(1, n + 1, dtype=np.int64), "record_id": ids, "score": scores,
                                  "reason": reason, "sampled": sampled, "sample_prob": prob})
        settings = json.loads(row[1])
        settings["ranking_id"] = row[0]
        return settings, items

    def set_reasons(self, ranking_id: int, reasons: dict[int, object]) -> None:
        arrays = self._ranking_arrays(ranking_id)
        with self.transaction():
            have = {int(r) for (r,) in self._conn.execute(
                "SELECT record_id FROM ranking_items WHERE ranking_id = ?", (int(ranking_id),)).fetchall()}
            self._conn.executemany("UPDATE ranking_items SET reason = ? WHERE ranking_id = ? AND record_id = ?",
                                   [(json.dumps(v, default=str), int(ranking_id), int(k))
                                    for k, v in reasons.items() if int(k) in have])
            new = [int(k) for k in reasons if int(k) not in have]
            if arrays is not None and new:  # a row of its own for each newly explained record
                ids, scores = arrays
                order = np.argsort(ids, kind="stable")
                at = np.searchsorted(ids, new, sorter=order)
                rows = []
                for k, a in zip(new, at):
                    if a < len(ids) and ids[order[a]] == k:
                        pos = int(order[a])
                        rows.append((int(ranking_id), pos + 1, k, float(scores[pos]),
                                     json.dumps(reasons[k], default=str)))
                if rows:
                    self._conn.executemany("INSERT INTO ranking_items(ranking_id, rank, record_id, score, reason)"
                                           " VALUES(?,?,?,?,?)", rows)

    def add_ranking_settings(self, ranking_id: int, values: dict) -> None:
        with self.transaction():
            row = self._conn.execute("SELECT settings FROM rankings WHERE ranking_id = ?",
                                     (int(ranking_id),)).fetchone()
            if row is None:
                return
            settings = {**json.loads(row[0]), **values}
            self._conn.execute("UPDATE rankings SET settings = ? WHERE ranking_id = ?",
                               (json.dumps(settings, default=str), int(ranking_id)))

    # -- reviewer accounts and secrets ----------------------------------------------------------
    def add_user(self, name: str, role: str, password_hash: str) -> int:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        try:
            cur = self._write("INSERT INTO users(name, role, password_hash, created_at, updated_at) VALUES(?,?,?,?,?)",
                              (name, role, password_hash, self.now(), self.now()))
        except sqlite3.IntegrityError:
            raise ProjectError(f"there is already an account named {name!r} in this project.") from None
        return int(cur.lastrowid)

    def get_user(self, name: str) -> dict | None:
        row = self._conn.execute(f"SELECT {', '.join(_USER_COLS)} FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else dict(zip(_USER_COLS, row))

    def users(self) -> list[dict]:
        rows = self._conn.execute(f"SELECT {', '.join(_USER_COLS)} FROM users ORDER BY user_id").fetchall()
        return [dict(zip(_USER_COLS, r)) for r in rows]

    def update_user(self, name: str, *, role: str | None = None, password_hash: str | None = None) -> None:
        if role is not None and role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with self.transaction():
            cur = self._conn.execute(
                "UPDATE users SET role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),"
                " updated_at = ? WHERE name = ?", (role, password_hash, self.now(), name))
            if cur.rowcount != 1:
                raise ProjectError(f"there is no account named {name!r} in this project.")

    def set_user_disabled(self, name: str, disabled: bool, by: str | None = None) -> None:
        with self.transaction():
            cur = self._conn.execute(
                "UPDATE users SET disabled_at = ?, disabled_by = ?, updated_at = ? WHERE name = ?",
                (self.now() if disabled else None, by if disabled else None, self.now(), name))
            if cur.rowcount != 1:
                raise ProjectError(f"there is no account named {name!r} in this project.")

    def get_secret(self, name: str, make=None) -> str | None:
        row = self._conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        if row is not None or make is None:
            return None if row is None else row[0]
        with self.transaction():  # two servers starting at once agree on one value
            self._conn.execute("INSERT OR IGNORE INTO secrets(name, value, created_at) VALUES(?,?,?)",
                               (name, str(make()), self.now()))
            return self._conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()[0]

    def moved(self) -> bool:
        """Whether the project file is no longer the review's: moved to a server (``migrate``
        writes the server's address beside it under the file's write lock, then moves it),
        renamed, or replaced by a copy. A change written now would go where nobody reads it."""
        return self._identity is not None and ((self.path.parent / SERVER_ADDRESS_FILE).exists() or self._replaced())

    def _replaced(self) -> bool:
        """``moved`` but for the server's address, which 'screener migrate' writes while its own change is
        under way: the file no longer the one opened, or another file's contents copied into it."""
        if self._identity is None:
            return False
        if _file_identity(self.path) != self._identity:
            return True
        mark = self._header.mark()  # 0: not in the file yet (a change still in its log only)
        return bool(self._mark and mark and mark != self._mark) or self._header.went_back()

    def unwritable(self) -> str | None:
        """Why changes cannot be saved: "full" (the disk holding the project), "read-only" (the project file, its
        folder, where SQLite keeps its log, or the log may not be written), or None. Asked before a long-running
        command that saves (``serve``) starts, not at its first change."""
        if self._disk_full():
            return "full"
        real = Path(os.path.realpath(self.path))  # a file linked in (a synced folder): SQLite writes beside it
        log = real.with_name(real.name + "-wal")
        if (self.read_only or not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK)
                or (log.exists() and not os.access(log, os.W_OK))):
            return "read-only"
        return None

    def copied_over(self) -> bool:
        """Whether another file was copied over the project file where it lies ('cp'): the same file on the
        disk, holding another project or an earlier copy of the review (``went_back``). Opened again in this
        process it would be read together with the log and memory of the review before (SQLite shares them
        within a process)."""
        return self.moved() and _file_identity(self.path) == self._identity

    def went_back(self) -> bool:
        """Whether what was copied over the file is an earlier copy of this review (a backup, the file of a
        copy of the project folder): the review's own number, a smaller count of changes than it had."""
        if not self.copied_over():
            return False
        mark = self._header.mark()
        return not mark or not self._mark or mark == self._mark

    def close(self) -> None:
        _OPEN.discard(self)
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        let_go = getattr(self, "_let_go", None)
        if let_go is not None:
            let_go()


class _Header:
    """Reads the review's number from the project file's header as it is on the disk, past SQLite (which
    shows what it holds in memory and in its log). The file is read through one handle kept open while a
    store of this process has the file open: closing a handle on it would release SQLite's locks on the
    file (POSIX locks belong to the process), so the handle is shared by the stores of one file and
    closed with the last of them."""

    _held: dict = {}  # (device, inode) -> [file descriptor, stores using it]
    _lock = threading.Lock()

    def __init__(self, path: Path, identity):
        self.path, self.identity, self.closed = path, identity, False
        self._largest = 0  # the largest count of changes this store saw in the file (``seen``)
        if identity is None or not hasattr(os, "pread"):  # Windows: a handle closed releases no other one's lock
            self.seen()
            return
        with self._lock:
            held = self._held.get(identity)
            if held is None:
                try:
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    return
                held = self._held[identity] = [fd, 0]
            held[1] += 1
        self.seen()

    def mark(self) -> int:
        """The review's own number (SQLite's user_version); 0 where there is none, or it cannot be read."""
        return self._read(60) or 0

    def count(self) -> int | None:
        """The count of changes written into the file (SQLite's application_id, ``SQLiteStore._counted``); None
        where it cannot be read (a file cut short: a copy under way)."""
        return self._read(68)

    def seen(self) -> None:
        """Read the count of changes and keep the largest seen: it only grows while SQLite writes the file
        (from its log, in the order the changes were made)."""
        count = self.count()
        if count is not None:
            self._largest = max(self._largest, count)

    def went_back(self) -> bool:
        """Whether the file holds fewer changes than it was seen to hold: an earlier copy put over it. Compared with
        what was seen before the read: a change another thread writes and sees meanwhile counts past it."""
        seen = self._largest
        count = self.count()
        if count is not None and count < seen:  # 0 too: a copy made before screener counted
            return True
        self.seen()
        return False

    def _read(self, offset: int) -> int | None:
        try:
            held = self._held.get(self.identity)
            if held is not None:
                head = os.pread(held[0], 4, offset)
            elif hasattr(os, "pread"):
                return None
            else:
                with open(self.path, "rb") as fh:
                    fh.seek(offset)
                    head = fh.read(4)
        except OSError:
            return None
        return struct.unpack(">i", head)[0] if len(head) == 4 else None

    def close(self) -> None:
        with self._lock:
            held = self._held.get(self.identity)
            if self.closed or held is None:
                return
            self.closed = True
            held[1] -= 1
            if held[1] <= 0:
                del self._held[self.identity]
                os.close(held[0])


#: The SQLite stores open in this process (``SQLiteStore._refuse_a_foreign_log``).
_OPEN: "weakref.WeakSet[SQLiteStore]" = weakref.WeakSet()


def _first_page(path: Path) -> bytes:
    """Page 1 of the file: the database header and the rest of the page."""
    with open(path, "rb") as fh:
        head = fh.read(100)
        size = struct.unpack(">H", head[16:18])[0] if len(head) == 100 else 0
        return head + fh.read((65536 if size == 1 else size) - 100) if size >= 512 else head


def _log_frames(log: Path, checked_bytes: int = 8 << 20) -> tuple[list[tuple[int, int, bytes]], int]:
    """The frames of ``log`` SQLite would replay: (page number, database size after the commit or
    0, and the image of a page 1, else b"") of each, up to its last committed transaction; and its
    page size. A frame of an earlier log (its salts) or one cut short ends them, as for SQLite; the
    checksums are checked over the first ``checked_bytes`` only (in Python, 0.1 s a megabyte)."""
    try:
        fh = open(log, "rb")
    except FileNotFoundError:
        return [], 0
    with fh:
        header = fh.read(32)
        if len(header) < 32:
            return [], 0
        magic, _, page_size, _, salt1, salt2, c1, c2 = struct.unpack(">8I", header)
        if magic & 0xFFFFFFFE != 0x377F0682 or page_size < 512 or page_size & (page_size - 1):
            return [], 0
        order = ">" if magic & 1 else "<"

        def checksum(block: bytes, s0: int, s1: int) -> tuple[int, int]:
            words = struct.unpack(f"{order}{len(block) // 4}I", block)
            for i in range(0, len(words), 2):
                s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
                s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
            return s0, s1

        s = checksum(header[:24], 0, 0)
        if s != (c1, c2):
            return [], page_size
        frames: list = []
        pending: list = []
        read = 0
        while len(frame := fh.read(24 + page_size)) == 24 + page_size:
            page, size_after, f1, f2, k1, k2 = struct.unpack(">6I", frame[:24])
            if (f1, f2) != (salt1, salt2):
                break
            if read < checked_bytes:
                s = checksum(frame[:8] + frame[24:], *s)
                if s != (k1, k2):
                    break
            read += len(frame)
            pending.append((page, size_after, frame[24:] if page == 1 else b""))
            if size_after:  # a commit: what SQLite replays ends at the last one
                frames += pending
                pending = []
        fh.seek(0)
        if fh.read(32) != header:  # started over while it was read (every change in it already in the file)
            raise _LogStartedOver
    return frames, page_size


class _LogStartedOver(Exception):
    """The write-ahead log was started over (a new header, its frames written again from the start) while
    ``_log_frames`` read it: what it read was the old log's start, then the new one's frames."""


def _not_this_files_log(first: bytes, frames, page_size: int) -> str | None:
    """Why a log cannot have been written on the file whose page 1 is ``first``, or None.

    A log continues its own file: its first page 1 was made from the file's page 1 (its change
    counter one more, or the same) and a checkpoint copies the log's pages into the file as they
    are. A log without page 1 never changed the file's size, which page 1 records. (Two
    states of the file alike in page 1 pass: the check catches a backup from before the review grew.)"""
    if not frames or len(first) < 100 or first[:16] != b"SQLite format 3\x00":
        return None
    own_size = struct.unpack(">H", first[16:18])[0]
    own_size = 65536 if own_size == 1 else own_size
    if own_size != page_size:
        return f"its pages are {page_size} bytes, the file's {own_size}"
    counter, n_pages = struct.unpack(">II", first[24:32])
    page1 = first[:page_size]
    ones = [image for page, _, image in frames if page == 1]
    if ones:  # (the counter of a page 1 written again by the same connection is not counted up again)
        started = struct.unpack(">I", ones[0][24:28])[0]
        if page1 in ones or started in (counter, counter + 1):
            return None
        return f"its changes start from version {started - 1} of the file, and this file is version {counter}"
    if struct.unpack(">I", first[92:96])[0] != counter:
        return None  # the size in page 1 is not kept up to date (an old SQLite wrote the file)
    sizes = {size for _, size, _ in frames if size}
    if sizes - {n_pages}:
        return f"its changes start from a file of {max(sizes)} pages, and this file has {n_pages}"
    return None


def _file_identity(path: Path):
    """(device, inode) of the file at ``path``; None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _text(v):
    """A reviewer's note or reason as stored: without NUL characters (pasted text brings them;
    PostgreSQL cannot hold them, and on SQLite they would stop the review from moving there)."""
    return v.replace("\x00", "") if isinstance(v, str) else v


def _int_or_none(v):
    try:
        if v is None or pd.isna(v):
            return None
        return int(v)
    except (TypeError, ValueError):
        return None
