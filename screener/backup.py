"""A backup of a review's project file, safe while the review is open (``screener backup``).

A copy of the project folder made while ``screener serve`` (or any screener) had the review open
could lack the decisions still in screener.sqlite-wal, or hold a file and a log of two moments.
Here SQLite's online backup copies one consistent moment of the review, the log read in, without
stopping anyone; the copy is checked and written under a temporary name, then given its name with
one link that never replaces a file: a crash or a full disk never leaves half a backup under it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from .errors import ProjectError
from .project import DB_NAME, DB_URL_FILE, Project, _earlier_protocol_number
from .shell import shell_quote
from .restore import (FILES_SETTING, OWNER, PROTOCOL_FILE, ReviewState, _disk_full, _ended, _fsync, _fsync_dir,
                      _owner, _refuse_a_foreign_log, _state)
from .store.sqlite import SCHEMA_VERSION, SQLiteStore, disk_nearly_full

#: Where a backup goes unless told: DIR/backups/screener-2026-12-06-074512.sqlite (UTC, as restore's kept files)
BACKUP_FOLDER = "backups"
BACKUP_PATTERN = "screener-{stamp}.sqlite"
#: The temporary name a backup is written under, and its SQLite side files: .screener-DATE.sqlite.partial-HOST-PID
_PARTIAL = re.compile(r"\..+\.partial" + OWNER + "(?:-journal|-wal|-shm)?")
#: How long to wait for a command that holds the project file to itself (a restore, an upgrade)
WAIT_S = 30


@dataclass
class BackupSummary:
    project_file: Path
    backup: Path
    holds: ReviewState | None  # None where the backup's contents could not be counted
    protocol: Path | None  # the protocol file the review names
    files: list[Path] = field(default_factory=list)  # the protocol files held in it (the protocol, earlier ones)


def backup(directory, out=None, *, stamp: str | None = None) -> BackupSummary:
    """Copy the project file of ``directory`` to ``out`` (a new file, or a folder to put a dated one in;
    default DIR/backups/screener-DATE.sqlite) as one consistent moment of the review, while a screener
    may have it open. Never over an existing file. The protocol files of the folder (the protocol, and the
    earlier versions kept for its amendments) are kept in the backup too: the project file only names the
    protocol, and a review put back without it stops at 'screener next'."""
    directory = Path(directory)
    if (directory / DB_URL_FILE).exists():
        raise ProjectError(
            f"{directory}: this review is kept on a database server ({DB_URL_FILE}), not in a project file, so there "
            "is no file to back up here. Back up the server's database with pg_dump (see 'A team server' in the "
            "README); 'screener restore' does not read its dumps, pg_restore does.")
    source = directory / DB_NAME
    if not source.is_file():
        raise ProjectError(f"{directory}: not a screener project (no {DB_NAME}), so nothing was backed up. Give the "
                           f"review's folder (the one that holds {DB_NAME}): screener backup DIR")
    stamp = stamp or datetime.now(timezone.utc).strftime("%Y-%m-%d-%H%M%S")
    if isinstance(out, str) and out.endswith(("/", os.sep)) and not Path(out).is_dir():
        # a folder meant ('STICK/backups/'), not there: the backup went into a file named 'backups'
        raise ProjectError(f"{out}: there is no such folder, so nothing was backed up. Create it, or give another "
                           f"place for the backup.")
    dated = out is None or Path(out).is_dir()
    folder = (directory / BACKUP_FOLDER) if out is None else Path(out) if dated else Path(out).parent
    target = folder / BACKUP_PATTERN.format(stamp=stamp) if dated else Path(out)
    if not dated:
        if target.exists() or target.is_symlink():
            raise ProjectError(f"{target} is already there, so nothing was backed up (a backup never replaces a "
                               f"file). Give a new name, or a folder to put a dated backup in: screener backup "
                               f"{shell_quote(directory)} YOUR_BACKUP_FOLDER")
        if not folder.is_dir():
            raise ProjectError(f"{folder}: there is no such folder, so nothing was backed up. Create it, or give "
                               f"another place for the backup.")
    _refuse_a_foreign_log(source)  # SQLite would replay another file's log into the review, and into the backup
    if out is None and folder.is_symlink() and not folder.exists():
        raise ProjectError(f"{folder} is a link to a folder that is not there ({os.readlink(folder)}: a USB stick or "
                           f"a network share not plugged in?), so nothing was backed up. Plug it in, or give another "
                           f"place for the backup: screener backup {shell_quote(directory)} YOUR_BACKUP_FOLDER")
    if out is None and (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise ProjectError(f"{folder} is a file, not the folder backups go into, so nothing was backed up. Move or "
                           "rename it, or give another place for the backup: "
                           f"screener backup {shell_quote(directory)} YOUR_BACKUP_FOLDER")
    partial = folder / f".{target.name}.partial-{_owner()}"
    leftovers = (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm"))
    held = None
    try:
        try:
            if out is None:
                folder.mkdir(exist_ok=True)
            for name in leftovers:
                name.unlink(missing_ok=True)  # left by a backup of this process id killed earlier
            _clear_killed_backups(folder)
            held = open(partial, "xb")  # held open: its file never freed, so never mistaken for a new one
            made = _identity(held.fileno())
        except OSError as exc:  # a read-only USB stick, a folder one may not write to: said of that folder
            raise ProjectError(f"{folder}: a backup cannot be written there ({exc.strerror or exc}), so nothing "
                               "was backed up. Give a folder you may write to: "
                               f"screener backup {shell_quote(directory)} YOUR_BACKUP_FOLDER"
                               ) from None
        try:
            _copy_consistent(source, partial)
            holds, protocol = _describe(partial, directory)
            files = _keep_protocol_files(partial, directory, protocol)
            _check_and_seal(partial, source)
        except sqlite3.OperationalError as exc:  # said of the place written to, not as a traceback
            if not _disk_full(exc) and disk_nearly_full(source.parent) and not disk_nearly_full(folder):
                # the project read from: SQLite needs room beside it for its index, the backup's folder has room
                raise ProjectError(f"{directory}: the disk holding the project is full, so SQLite could not read the "
                                   "project file to copy it (it needs a little room beside it), and nothing was backed "
                                   "up. Free some space on that disk (a few megabytes), then back up again.") from None
            raise _not_written(exc, folder, directory) from None
        _refuse_unless_written(partial, made, folder, directory)
        held.close()  # before the rename: Windows renames no file open anywhere
        try:
            _fsync(partial)  # a network share, a USB stick, may say it is full only now, or as the copy is named
            target = _link_new(partial, target, dated=dated, stamp=stamp)
        except OSError as exc:
            raise _not_written(exc, folder, directory) from None
        _fsync_dir(folder)
    finally:
        if held is not None:
            held.close()
        for name in leftovers:
            with contextlib.suppress(OSError):  # a folder that cannot be written has nothing of it to take out
                name.unlink(missing_ok=True)
    return BackupSummary(source, target, holds, protocol, files)


def _not_written(exc: Exception, folder: Path, directory: Path) -> ProjectError:
    """The backup's copy not written whole into ``folder`` (SQLite's words, or the system's), said of that folder."""
    if _disk_full(exc):
        return ProjectError(f"{folder}: the disk the backup goes to is full, so no backup was kept (nothing is left "
                            f"there of it). Free some space on it, or give another place: screener backup "
                            f"{shell_quote(directory)} YOUR_BACKUP_FOLDER")
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return ProjectError(f"{folder}: the backup could not be written there ({why}: a USB stick taken out, a file too "
                        "large for its file system, a network share gone), so no backup was kept (nothing is left "
                        f"there of it). Back up again, or to another place: screener backup {shell_quote(directory)} "
                        "YOUR_BACKUP_FOLDER")


def _identity(path) -> tuple[int, int] | None:
    """A file's identity (device, inode), of a path or an open file's descriptor."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _refuse_unless_written(partial: Path, made, folder: Path, directory: Path) -> None:
    """Refuse a backup whose partial copy is no longer the file written: taken out meanwhile (a sync app, a
    clean-up program, another computer's backup into a shared folder), a check that opens it by name makes
    an empty file there, which would be named as the backup."""
    if _identity(partial) != made:
        raise ProjectError(f"{folder}: the backup's copy was taken out or replaced by another program while it was "
                           "written (a sync app, a clean-up program, a backup from another computer), so no backup "
                           "was kept. Back up again, or to another place: "
                           f"screener backup {shell_quote(directory)} YOUR_BACKUP_FOLDER")


def _clear_killed_backups(folder: Path) -> None:
    """Take out the partial copies left in ``folder`` by backups killed half-way (kill -9, the laptop shut):
    hidden, but each as large as the review, one more at each kill. A backup still running keeps its own, and
    another computer's (a folder on a network share) is left alone: its process id says nothing here."""
    for name in folder.glob(".*.partial-*"):
        found = _PARTIAL.fullmatch(name.name)
        if found and name.is_file() and _ended(found["host"], int(found["pid"])):
            with contextlib.suppress(OSError):
                name.unlink()


def _open_source(source: Path) -> sqlite3.Connection:
    """The project file opened as SQLite reads it (its log included), never created: for writing where
    the folder allows it (a reader in a WAL project keeps the shared memory file), else for reading."""
    uri = f"file:{quote(str(source.resolve()))}"
    try:
        return sqlite3.connect(f"{uri}?mode=rw", uri=True, isolation_level=None, timeout=WAIT_S)
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=WAIT_S)


def _copy_consistent(source: Path, partial: Path) -> None:
    """SQLite's online backup, in one step inside one read transaction: the review at one moment, the
    decisions still in the log included. A reader in a WAL project blocks no writer (``serve`` goes on)."""
    src = _open_source(source)
    try:
        try:
            src.execute("BEGIN")  # the moment copied; waits (then refuses) while a restore holds the file
            src.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ProjectError(
                    f"{source}: another command has the project file to itself (a restore, or an upgrade to a new "
                    "screener's format), so nothing was backed up. Let it finish, then back up again.") from None
            if "no such table" in str(exc):
                raise ProjectError(f"{source}: this file is not a screener project (it has no settings), so nothing "
                                   "was backed up.") from None
            raise
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{source}: the project file cannot be read ({exc}), so nothing was backed up. Put "
                               "back the project from an earlier backup.") from None
        dst = sqlite3.connect(partial, isolation_level=None)
        try:
            src.backup(dst)  # pages=-1: every page in one step, within the transaction begun above
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()


def _describe(partial: Path, directory: Path) -> tuple[ReviewState | None, Path | None]:
    """What the backup holds, as restore says it (decisions in force counted where the backup is of this
    screener's format; an older one is only counted, never upgraded), and the protocol file it names."""
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'protocol_file'").fetchone()
        version = conn.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()
        state = _state(conn)
    finally:
        conn.close()
    protocol = _json(row[0]) if row else None
    if state is not None and version is not None and _json(version[0]) == SCHEMA_VERSION:
        with contextlib.suppress(ProjectError, sqlite3.Error):
            store = SQLiteStore(partial)
            try:
                state = _state(store._conn, project=Project(directory, store))
            finally:
                store.close()
    return state, (directory / protocol if isinstance(protocol, str) and protocol else None)


def _keep_protocol_files(partial: Path, directory: Path, protocol: Path | None) -> list[Path]:
    """The protocol the review names and the earlier versions kept beside it (protocol-earlier-N, for
    reporting amendments) written into the backup, as one setting that 'screener restore' puts back as
    files and takes out: the backup stays one file, whole. Returns the files kept in it."""
    names = [protocol] if protocol is not None and protocol.is_file() and PROTOCOL_FILE.fullmatch(protocol.name) else []
    names += sorted((p for p in directory.glob("protocol-earlier-*")  # as restore puts them back
                     if PROTOCOL_FILE.fullmatch(p.name) and p.is_file() and p not in names),
                    key=lambda p: (_earlier_protocol_number(p.name) or 0, p.name))  # -2 before -10
    files = [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode("ascii")} for p in names]
    if files:
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            conn.execute("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                         "excluded.value", (FILES_SETTING, json.dumps(files)))
        finally:
            conn.close()
    return names


def _check_and_seal(partial: Path, source: Path) -> None:
    """The copy made one file that needs no log beside it (a copy of it alone is the whole backup), and
    read through: a page SQLite cannot read refuses the backup."""
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        damage = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    if damage != "ok":
        raise ProjectError(f"{source}: the copy of the project file does not read back whole ({damage}), so no "
                           "backup was kept. Check the disk the backup goes to (and the project file: screener "
                           "status), then back up again.")


def _link_new(partial: Path, target: Path, *, dated: bool, stamp: str) -> Path:
    """Give the finished backup its name, never over a file: a second backup in the same second is
    screener-DATE-2.sqlite; a name given is refused when taken (by now, by another program)."""
    n = 1
    while True:
        try:
            try:
                os.link(partial, target)  # fails when the name is taken: nothing is ever replaced
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links (a USB stick, a network share)
                if target.exists() or target.is_symlink():
                    raise FileExistsError(target) from None
                os.replace(partial, target)
            return target
        except FileExistsError:
            if not dated:
                raise ProjectError(f"{target} was made meanwhile by another program, so it was left as it is and no "
                                   "backup was kept under that name. Back up again under a new name.") from None
            n += 1
            target = target.with_name(BACKUP_PATTERN.format(stamp=f"{stamp}-{n}"))


def _json(value):
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value
