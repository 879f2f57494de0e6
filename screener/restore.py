"""Put a backup of a review back in place of its project file (``screener restore``).

A backup copied over screener.sqlite by hand while a screener had the review open (``serve``,
``open``, an import) mixed two states of the review or lost the work of that session, and the file
it replaced was gone. Here the backup is checked first (a screener project, of a format this
screener reads; an older one is brought up to date on a copy, never in the backup itself), the
review must not be open anywhere, the current file is kept under a dated name beside it, and the
backup goes in with one rename: the folder holds either the review as it was or the backup, whole.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import glob
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote

from .accounts import REHASHED, SESSION_KEY, SIGNED_OUT, hash_fingerprint
from .errors import ProjectError
from .project import DB_NAME, DB_URL_FILE, Project
from .shell import shell_quote
from .store.sqlite import SCHEMA_VERSION, DiskFull, SQLiteStore

#: The dated copy of the project file a restore replaces: screener-before-restore-2026-12-06-070512.sqlite
KEPT_PATTERN = "screener-before-restore-{stamp}.sqlite"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The setting a backup keeps the review's protocol files in (name and bytes, base64): the project file
#: alone names the protocol, whose text is a file beside it; restore puts them back and takes it out
FILES_SETTING = "backup_protocol_files"
#: This computer, as the work files of a restore or a backup name it ('.restoring-HOST-PID'): a process id
#: says nothing of another computer's processes (a folder on a network share or a synced folder)
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
#: A work file's owner at the end of its name: -HOST-PID ('-PID' alone: a name of an earlier screener)
OWNER = r"-(?:(?P<host>[0-9a-f]{8})-)?(?P<pid>\d+)"
#: The protocol files a backup keeps: the protocol, and the earlier versions kept for its amendments
PROTOCOL_FILE = re.compile(r"protocol(?:-earlier-[0-9]+)?(?:\.[A-Za-z0-9]{1,16})?")
_WORK = re.compile(r"\.(?:(?P<file>protocol.*)\.)?restoring" + OWNER)


@dataclass
class ReviewState:
    """What a project file holds, in the words a reviewer checks a restore by."""
    records: int
    studies: int  # records less the duplicates grouped with them
    log_entries: int  # every decision ever logged (changed minds and undos too)
    last_decision: str | None  # ISO time, UTC
    last_import: str | None
    screened: int | None = None  # studies with a title/abstract decision in force (None: not read)
    includes: int = 0
    excludes: int = 0
    maybes: int = 0
    protocol: str | None = None  # the protocol file the review names (beside the project file, not in it)

    def describe(self) -> str:
        what = (f"{self.records} record{'s' * (self.records != 1)} ({self.studies} "
                f"stud{'ies' if self.studies != 1 else 'y'} after de-duplication)")
        if self.screened is not None:
            # in the order every other count gives them ('status': includes, maybes, excludes)
            what += (f", {self.screened} screened at title and abstract ({self.includes} "
                     f"include{'s' * (self.includes != 1)}, {self.maybes} maybe, "
                     f"{self.excludes} exclude{'s' * (self.excludes != 1)})")
        what += f", {self.log_entries} decision{'s' * (self.log_entries != 1)} logged"
        what += f" (the last on {_when(self.last_decision)})" if self.last_decision else ""
        return what + (f"; last import {_when(self.last_import)}" if self.last_import else "")


@dataclass
class RestoreSummary:
    backup: Path
    project_file: Path
    restored: ReviewState
    kept: Path | None  # the dated copy of the file replaced (None: the folder had no project file)
    before: ReviewState | None  # the file replaced (None where it could not be read)
    upgraded_from: int | None  # the backup's project format, when older than this screener's
    protocol_missing: Path | None = None  # the protocol the backup's review names, not in the folder
    files_put_back: list[Path] = field(default_factory=list)  # the protocol files the backup held, put in the folder
    files_kept: list[tuple[Path, Path]] = field(default_factory=list)  # (a file put back, the one it replaced, kept)
    files_failed: list[tuple[str, str]] = field(default_factory=list)  # (a protocol file not put back, why)
    another_review: bool = False  # the backup shares no record's title with the file it replaced
    #: accounts changed since the backup, which the restore puts back as they were: (name, how) with how one of
    #: ACCOUNT_CHANGES (``_accounts_back``)
    accounts_back: list[tuple[str, str]] = field(default_factory=list)
    #: the backup holds no account, the file it replaced held some: 'screener serve' asks no one to sign in
    no_accounts: bool = False
    #: the blindings ended since the backup, on again: (stage, by whom) (``_team_back``)
    blinding_back: list[tuple[str, str | None]] = field(default_factory=list)
    #: the conflicts resolved since the backup, whose resolutions it lacks: (stage, record ids, resolvers)
    resolutions_back: list[tuple[str, list[int], list[str]]] = field(default_factory=list)
    #: the de-duplication decisions reviewers made since the backup, which it lacks: (decision, record, other
    #: record, by whom) (``_dedup_back``)
    dedup_back: list[tuple[str, int, int, str]] = field(default_factory=list)
    #: the web app's browser sessions from before the restore were ended: each signs in again (``_end_sessions``)
    sessions_ended: bool = False


def restore(backup, directory, *, stamp: str | None = None) -> RestoreSummary:
    """Put ``backup`` (a copy of a screener.sqlite, or of a project folder) back as the project file
    of ``directory``. Refused, with nothing changed, when the backup is no screener project or a newer
    screener's, or while the review is open (``screener serve``, ``screener open`` or any program
    holding the file). The file replaced is kept beside it as screener-before-restore-DATE.sqlite."""
    directory = Path(directory)
    backup = _backup_file(Path(backup), directory)
    if (directory / DB_URL_FILE).exists():
        raise ProjectError(
            f"{directory}: this review is kept on a database server ({DB_URL_FILE}), not in a project file, so a "
            "backup of a project file cannot be put back here. Restore the server's dump with pg_restore (see "
            "'A team server' in the README), or restore into a new folder: screener restore NEW-FOLDER BACKUP")
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory}: this is a file, not a project folder. Give the review's folder "
                           f"(the one that holds {DB_NAME}) first: screener restore DIR BACKUP.")
    target = _through_a_link(directory / DB_NAME)  # a link to the file elsewhere (a synced folder) stays one
    if target.exists() and _same_file(backup, target):
        raise ProjectError(f"{backup} is the project file itself; give the backup to put back in its place.")
    _refuse_while_open(directory)
    made_folder = not directory.exists()  # a new folder (the review put back on a new laptop)
    directory.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".restoring-{_owner()}"  # beside the file it is renamed over: one disk
    shutil.rmtree(work, ignore_errors=True)
    kept, replaced, another, accounts, no_accounts, blinding, resolutions = None, False, False, [], False, [], []
    dedup: list = []
    sessions_ended = False
    try:
        work.mkdir()
        copy, upgraded_from, restored, files = _checked_copy(backup, work)
        if target.exists():  # a backup copied in by hand beside the log of the file before: never mixed
            _refuse_a_foreign_log(target)
        hold = _hold(target) if target.exists() else None  # nobody opens the current file from here on
        try:
            before = None
            clear_a_killed_restore(directory, keep=work)  # the file held: no other restore under way
            if hold is not None:
                before = _state(hold)
                another = _another_review(hold, copy)
                accounts, no_accounts = _accounts_back(hold, copy)
                blinding, resolutions = _team_back(hold, copy)
                dedup = _dedup_back(hold, copy)
                _keep_sign_outs(hold, copy)
                kept = _keep_dated(target, stamp)
                _count_on_from(hold, copy)
            # with no file to replace too (lost, deleted): a session a change since the backup ended is not known
            # to have been ended, and came back with it (said where a browser may have been signed in: not in a
            # folder the restore made)
            sessions_ended = _end_sessions(copy) and not made_folder
            _fsync(copy)
            for name in (f"{target.name}-wal", f"{target.name}-shm"):  # the old file's, never read with the backup:
                target.with_name(name).unlink(missing_ok=True)  # taken out while it is held, never a later opener's
            try:
                os.replace(copy, target)  # atomic: the folder has the old file or the backup, never half of one
            except PermissionError:
                if hold is None:
                    raise
                # Windows replaces no file open anywhere, the hold's included; let go, the file is still kept
                # from everyone else: while another program opens it, Windows refuses the replace in its turn
                hold.close()
                hold = None
                try:
                    os.replace(copy, target)
                except PermissionError as exc:
                    raise ProjectError(
                        f"{target}: the project file could not be replaced ({exc.strerror or exc}): another program "
                        "has it open (a screener command, a synced folder's app, an antivirus scan), or you may not "
                        "change it. Nothing was restored and the project is as it was; close that program, then "
                        "restore again.") from None
            replaced = True
            # the held file's rollback journal (the restored file keeps a write-ahead log instead); its log and
            # index are not touched here: a command that opened the restored file since has its own there
            target.with_name(f"{target.name}-journal").unlink(missing_ok=True)
            _fsync_dir(target.parent)
        finally:
            if hold is not None:
                hold.close()
    except BaseException as exc:
        if kept is not None and not replaced:  # the old file still in place: no second name left of it
            kept.unlink(missing_ok=True)
        if not replaced and _disk_full(exc):  # said of the project's disk, not of the backup read from
            raise ProjectError(
                f"{directory}: the disk holding the project is full, so nothing was restored and the project is as "
                f"it was. The restore needs room there for a copy of the backup ({_megabytes(backup)}); free some "
                "space on that disk, then restore again.") from None
        if not replaced and _not_writable(exc, (directory, target.parent)):  # said of the folder, not a work file
            raise ProjectError(
                f"{target.parent}: the project folder cannot be written ({exc.strerror}), so nothing was restored "
                "and the project is as it was. Restore where you may write (a copy of the project folder on your "
                "own disk: screener restore NEW-FOLDER BACKUP), or ask for write access to it.") from None
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if made_folder and not replaced:
            with contextlib.suppress(OSError):
                directory.rmdir()  # only while empty: never a file someone put there meanwhile
    put_back, files_kept, files_failed = _put_back_files(directory, files)
    missing = directory / restored.protocol if restored.protocol else None
    return RestoreSummary(backup, target, restored, kept, before, upgraded_from,
                          missing if missing is not None and not missing.is_file() else None, put_back, files_kept,
                          files_failed, another, accounts, no_accounts, blinding, resolutions,
                          sessions_ended=sessions_ended, dedup_back=dedup)


def _put_back_files(directory: Path, files: list[tuple[str, bytes]]):
    """The protocol files the backup held put back beside the restored project file: the protocol the
    restored review names, as it was at the backup, and the earlier versions kept for its amendments. A
    file of that name with other text is never lost: the protocol in force is kept first as
    protocol-earlier-N (as 'screener protocol' keeps the one it replaces); an earlier version whose number
    the folder held already, in any format (two -1 copies would lose the order of the amendments), is added
    above all its numbers, unless the folder holds its text already. The backup's own numbers are kept
    as they were (an old backup's -1.txt and -1.toml both put back under their names).
    Returns (the files written, [(a file replaced, its kept copy)], [(a file not written, why)]): the
    project file is restored all the same, and the restore says which files it could not put back."""
    from .project import _earlier_protocol_number, _earlier_protocol_numbers, _keep_earlier_protocol

    written, kept, failed = [], [], []
    held = set(_earlier_protocol_numbers(directory))  # the folder's own, and those this restore gives
    for name, data in files:
        dest = directory / name
        try:
            if dest.is_file() and dest.read_bytes() == data:
                continue
            if name.startswith("protocol-earlier-"):
                others = directory.glob(f"protocol-earlier-*{dest.suffix}")
                if any(p.is_file() and p.read_bytes() == data for p in others):
                    continue
                if dest.exists() or dest.is_symlink() or _earlier_protocol_number(name) in held:
                    suffix, n = dest.suffix, max(_earlier_protocol_numbers(directory), default=0) + 1
                    dest = directory / f"protocol-earlier-{n}{suffix}"
                    while dest.exists() or dest.is_symlink():  # a file of that name made meanwhile
                        n += 1
                        dest = directory / f"protocol-earlier-{n}{suffix}"
                    held.add(n)
            earlier = _keep_earlier_protocol(dest) if dest.is_file() and dest.name == name else None
            if earlier is not None:
                held.add(_earlier_protocol_number(earlier.name))
            # a link (to the team's protocol in a synced folder) stays: the text goes where it points, as the
            # project file's does through its link
            into = _through_a_link(dest)
            tmp = into.with_name(f".{into.name}.restoring-{_owner()}")
            try:
                with open(tmp, "xb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, into)
            except BaseException:  # the file in place as it was: not kept twice
                if earlier is not None:
                    earlier.unlink(missing_ok=True)
                raise
            finally:
                tmp.unlink(missing_ok=True)
            written.append(dest)
            if earlier is not None:
                kept.append((dest, earlier))
        except OSError as exc:  # a full disk, a read-only folder: the project file is restored all the same
            failed.append((name, exc.strerror or str(exc)))
    return written, kept, failed


def clear_a_killed_restore(directory: Path, *, keep: Path | None = None) -> None:
    """Take out what a restore killed before its rename left in the folder (a power cut, kill -9): its
    work folder ``.restoring-HOST-PID`` (a copy of the backup, never the review) and a protocol file it was
    putting back ('.protocol.toml.restoring-HOST-PID', half written) when process PID of this computer is gone
    (another computer's restore, on a shared folder, may be under way: left alone), and,
    no restore being under way, a ``screener-before-restore-DATE.sqlite`` that is the project file itself
    under a second name (a link, not a copy: the work done since went into it too, and a later restore
    would keep the file under a second dated name). The project file is never touched."""
    directory = Path(directory)
    target = _through_a_link(directory / DB_NAME)
    under_way = False
    # a protocol put back through its link is written beside the file linked to (in a synced folder)
    linked = {_through_a_link(p) for p in directory.glob("protocol*") if p.is_symlink()}
    beside = [w for t in linked if t.parent != directory for w in t.parent.glob(f".{glob.escape(t.name)}.restoring-*")]
    for work in [*directory.glob(".*restoring-*"), *(target.parent.glob(".restoring-*")
                                                      if target.parent != directory else ()), *beside]:
        found = _WORK.fullmatch(work.name)
        if work == keep or found is None or work.is_symlink():
            continue
        ended = _ended(found["host"], int(found["pid"]))
        if found["file"] is None and work.is_dir():
            if ended:
                shutil.rmtree(work, ignore_errors=True)
            else:
                under_way = True
        elif found["file"] is not None and work.is_file() and ended:  # a protocol file half put back
            with contextlib.suppress(OSError):
                work.unlink()
    if under_way or not target.is_file():
        return
    for kept in target.parent.glob(KEPT_PATTERN.format(stamp="*")):
        if not kept.is_symlink() and _second_name(kept, target):
            with contextlib.suppress(OSError):
                kept.unlink()


def _through_a_link(path: Path) -> Path:
    """The project file a link in the folder points to (the file kept in a synced folder, on another
    disk), so that a restore puts the backup there and the link stays; ``path`` itself otherwise."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _owner() -> str:
    """The end of the names of this process's work files: HOST-PID."""
    return f"{_HOST}-{os.getpid()}"


def _ended(host: str | None, pid: int) -> bool:
    """Whether the process that named a work file ``-HOST-PID`` is gone: only ever said of this computer's
    (a name without HOST, of an earlier screener, may be another computer's)."""
    return host == _HOST and not _running(pid)


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (on Windows, where signal 0 would end it, taken to be running)."""
    if os.name == "nt" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's
        return True
    return True


def _backup_file(backup: Path, directory: Path | None = None) -> Path:
    """The backup's project file: the file given, or screener.sqlite in a folder given."""
    if backup.is_dir():
        if (backup / DB_NAME).is_file():
            return backup / DB_NAME
        raise ProjectError(f"{backup}: this folder holds no {DB_NAME}; give the backup of the project file "
                           f"(a copy of {DB_NAME}), or the copy of the project folder that holds it.")
    if not backup.is_file():
        raise ProjectError(f"{backup}: there is no such file. Give the backup of the project file (a copy of "
                           f"{DB_NAME}).")
    with open(backup, "rb") as fh:
        start = fh.read(512)
    head = start[:len(_SQLITE_MAGIC)]
    if start.startswith(b"PGDMP") or b"PostgreSQL database dump" in start:
        # the README's backup of a review on a team server: 'Give the backup of screener.sqlite' sent the owner
        # looking for a file such a review has none of
        how = (f"pg_restore --clean --dbname=DATABASE {backup}" if start.startswith(b"PGDMP") else
               f"psql --dbname=DATABASE --file={backup} (a plain-SQL dump; one made with --clean puts the review back "
               "as it was)")
        # as 'screener restore' of a project file ends every browser session from before (``_end_sessions``)
        known = directory is not None and (directory / DB_URL_FILE).is_file()
        url = shell_quote(directory / DB_URL_FILE) if known else f"FOLDER/{DB_URL_FILE}"
        raise ProjectError(f"{backup}: this is a dump of a review on a PostgreSQL server (pg_dump), not a screener "
                           f"project file, so nothing was restored. Put it back into the review's database with "
                           f"{how}. The accounts come back as they were in the dump, and with them every browser "
                           "signed in on the web before the dump, even one that a new password, a disable or a "
                           "sign-out has ended since: to have everyone sign in again, run "
                           f"""psql "$(cat {url})" --command="DELETE FROM secrets WHERE name = '{SESSION_KEY}'" """
                           f"{'' if known else '(FOLDER: the review folder) '}before you start 'screener serve' "
                           "again; see 'A team server' in the README.")
    if head != _SQLITE_MAGIC:
        raise ProjectError(f"{backup}: this is not a screener project file (not an SQLite database), so nothing "
                           f"was restored. Give the backup of {DB_NAME}.")
    return backup


def _refuse_while_open(directory: Path) -> None:
    """Refuse while a screener serves or holds the review open: replaced under it, it would go on
    showing and saving into the file taken out (a 'screener open' rebuilds its queue; 'serve' would not)."""
    from . import keep_open
    from .cli.web_cmds import served_at

    served = served_at(directory)
    if served is not None:
        where, pid = served
        raise ProjectError(
            f"{directory} is being served{f' at {where}' if where else ''} by 'screener serve' (process "
            f"{pid or 'unknown'}), so nothing was restored: the server would go on showing the review as it is now and "
            "saving decisions where nobody reads them. Stop it (Ctrl-C in its terminal), restore, then start it again.")
    if keep_open.ping(directory) is not None:
        raise ProjectError(f"{directory} is open in the background ('screener open'), so nothing was restored. "
                           f"Close it first (screener close {shell_quote(directory)}), then restore.")


def _checked_copy(backup: Path, work: Path) -> tuple[Path, int | None, ReviewState, list[tuple[str, bytes]]]:
    """A copy of the backup in ``work`` (its write-ahead log, where one lies beside it, read into it),
    checked to be a whole screener project of a format this screener reads, brought up to date when
    older: (the copy, the format it was brought up from or None, what it holds, the protocol files it
    holds as (name, bytes), taken out of the copy). The backup itself is only read."""
    copy = work / DB_NAME
    nothing = "so nothing was restored and the project is as it was"
    log = backup.with_name(backup.name + "-wal")
    if not (log.is_file() and log.stat().st_size and _read_at_one_moment(backup, copy, nothing)):
        shutil.copyfile(backup, copy)
        if log.is_file() and log.stat().st_size:  # a copy of a folder taken while a screener had the review open
            shutil.copyfile(log, work / f"{DB_NAME}-wal")
    try:  # the file alone (its log is checked with it below): its format, before any upgrade
        conn = sqlite3.connect(f"file:{quote(str(copy.resolve()))}?mode=ro&immutable=1", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{backup}: this is not a screener project file ({exc}), {nothing}. Give the backup "
                           f"of {DB_NAME}.") from None
    try:
        version = json.loads(row[0]) if row else None
    except ValueError:
        version = row[0]
    if not (isinstance(version, int) and 1 <= version <= SCHEMA_VERSION):
        if version is None:
            raise ProjectError(f"{backup}: this SQLite file is not a screener project (it names no project "
                               f"format), {nothing}.")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise ProjectError(f"{backup}: this backup was saved by a newer screener (project format {version}; this "
                               f"screener reads up to {SCHEMA_VERSION}), {nothing}. Update screener (pull the new "
                               "version and run its setup.sh again) and restore it with that.")
        raise ProjectError(f"{backup}: this backup's project format ({version!r}) is not one this screener knows (it "
                           f"reads up to {SCHEMA_VERSION}), {nothing}.")
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the upgrade is said by the restore, of the backup
            store = SQLiteStore(copy)  # a foreign log refused; an older format brought up to date, all or nothing
    except DiskFull:
        raise  # the project's disk, said as such by ``restore``: never the backup's fault
    except ProjectError as exc:
        raise ProjectError(f"{backup}: cannot be restored as it is, {nothing}: "
                           + str(exc).replace(f"{copy}: ", "", 1)) from None
    try:
        damage = store._conn.execute("PRAGMA quick_check").fetchone()[0]
        if damage != "ok":
            raise ProjectError(f"{backup}: this backup is damaged ({damage}), {nothing}. Restore an earlier backup.")
        state = _state(store._conn, project=Project(work, store))
        protocol = store.get_setting("protocol_file")
        state.protocol = protocol if isinstance(protocol, str) and protocol else None
        if state.protocol is not None and not _a_plain_name(state.protocol):
            raise ProjectError(f"{backup}: the review in this backup names its protocol {state.protocol!r}, a path "
                               "out of the project folder, while screener only ever names the file beside the "
                               f"project file (the backup was edited, or made by another program), {nothing}: a "
                               "later 'screener protocol' would take that file out. Restore another backup.")
        files = _files_held(store.get_setting(FILES_SETTING))
        store._conn.execute("DELETE FROM settings WHERE key = ?", (FILES_SETTING,))
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        store.close()
    for name in (f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        (work / name).unlink(missing_ok=True)  # emptied into the copy by the checkpoint
    return copy, (version if version != SCHEMA_VERSION else None), state, files


def _a_plain_name(name: str) -> bool:
    """Whether ``name`` is a file's name alone, in the folder it is read from (no path, on any system)."""
    return (name not in (".", "..") and "\x00" not in name and PurePosixPath(name).name == name
            and PureWindowsPath(name).name == name)


def _files_held(value) -> list[tuple[str, bytes]]:
    """The protocol files a backup holds, as (name, bytes): the names a backup writes only (protocol.toml,
    protocol-earlier-2.toml), never a path or a name the folder cannot hold (a NUL byte, a Windows stream
    'protocol.toml:x'): a backup edited by hand writes nothing outside the project folder, nor fails there."""
    files = []
    for item in value if isinstance(value, list) else []:
        name = item.get("name") if isinstance(item, dict) else None
        if not (isinstance(name, str) and PROTOCOL_FILE.fullmatch(name)):
            continue
        try:
            files.append((name, base64.b64decode(item.get("data", ""), validate=True)))
        except (ValueError, TypeError):
            continue
    return files


def _read_at_one_moment(backup: Path, copy: Path, nothing: str) -> bool:
    """The backup and the log beside it copied into ``copy`` by SQLite's online backup, in one read: a
    project folder still in use (restored from while 'screener serve' runs on it) may empty its log into
    the file and start it over between a copy of the file and one of the log, and the two would not make
    one review. The backup is opened for reading only (its log stays as it is). False where SQLite cannot
    read it so (a read-only stick without the log's index file): the files are then copied as they are."""
    try:
        _refuse_a_foreign_log(backup)  # SQLite would replay another file's log into the copy
    except ProjectError as exc:
        raise ProjectError(f"{backup}: cannot be restored as it is, {nothing}: "
                           + str(exc).replace(f"{backup}: ", "", 1)) from None
    try:
        src = sqlite3.connect(f"file:{quote(str(backup.resolve()))}?mode=ro", uri=True, isolation_level=None,
                              timeout=30)
    except sqlite3.Error:
        return False
    try:
        src.execute("BEGIN")
        src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the moment read, its log with it
        dst = sqlite3.connect(copy, isolation_level=None)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error:
        copy.unlink(missing_ok=True)
        return False
    finally:
        src.close()
    return True


def _refuse_a_foreign_log(target: Path) -> None:
    """``SQLiteStore``'s own check, without opening the file: a log beside it that was written on another
    version of it (a backup copied over it by hand) would be replayed into it as the file is taken."""
    bare = SQLiteStore.__new__(SQLiteStore)
    bare.path = target
    bare._refuse_a_foreign_log()


def _count_on_from(hold: sqlite3.Connection, copy: Path) -> None:
    """Give the copy put back a count of changes past the file it replaces (``SQLiteStore._counted``): the backup
    holds fewer, so the file replaced (kept beside it) held more than the restored review until it had been
    screened on that much, and copied back over it while served, it was taken for the review, not an earlier
    copy, and got the decisions while those made since the restore were lost."""
    replaced = hold.execute("PRAGMA application_id").fetchone()[0]
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        if 0 <= conn.execute("PRAGMA application_id").fetchone()[0] <= replaced < 2**31 - 1:
            conn.execute(f"PRAGMA application_id = {replaced + 1}")
    finally:
        conn.close()


def _hold(target: Path) -> sqlite3.Connection:
    """The project file taken for this process alone until closed: its log emptied into it (the dated
    copy is then the whole review) and every other opener kept out. Another process holding it open
    (a command running, a notebook, a server without its lock file) refuses the restore."""
    conn = sqlite3.connect(target, isolation_level=None, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA journal_mode=DELETE")  # needs the file to itself; empties the log into it
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")  # in exclusive locking mode, the lock stays taken
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise ProjectError(
                f"{target}: another screener command (an import, 'screener serve', 'screener screen') or another "
                "program has the project file open, so nothing was restored: replaced under it, it would go on "
                "with the review as it is now and its work would be lost. Let it finish or stop it, then restore "
                "again.") from None
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ProjectError(f"{target}: the project file in place is damaged ({exc}). Move it out of the folder "
                           "(keep it until the review is checked), then restore again.") from None
    return conn


def _state(conn: sqlite3.Connection, *, project: Project | None = None) -> ReviewState | None:
    """Counts read over ``conn``; the decisions in force, through ``project`` where given (the file
    replaced is only counted: it may be damaged, or of another format, which is why it is replaced)."""
    try:
        records = conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        duplicates = conn.execute("SELECT COUNT(*) FROM duplicate_groups WHERE is_primary = 0").fetchone()[0]
        entries, last = conn.execute("SELECT COUNT(*), MAX(created_at) FROM decisions").fetchone()
        last_import = conn.execute("SELECT MAX(imported_at) FROM sources").fetchone()[0]
    except sqlite3.Error:
        return None
    state = ReviewState(records=int(records), studies=int(records - duplicates), log_entries=int(entries),
                        last_decision=last, last_import=last_import)
    if project is not None:
        counts = project.current_decisions()["decision"].value_counts().to_dict()
        state.includes, state.excludes, state.maybes = (int(counts.get(d, 0)) for d in ("include", "exclude", "maybe"))
        state.screened = state.includes + state.excludes + state.maybes
    return state


def _read_copy(copy: Path, read):
    """``read`` (a function of a connection) of the backup's checked copy, opened read-only: comparing it with the
    file it replaces writes nothing into the file about to go in."""
    conn = sqlite3.connect(f"file:{quote(str(copy.resolve()))}?mode=ro", uri=True)
    try:
        return read(conn)
    finally:
        conn.close()


def _another_review(hold: sqlite3.Connection, copy: Path) -> bool:
    """Whether the backup is of another review than the file it replaces: no title of its records is
    among those of the file replaced (a backup of the team's other review picked from the same stick). Titles
    are compared as de-duplication reads them: the same search exported again writes them in capitals, with a
    full stop or in brackets, and is the same review."""
    from .dedup import normalise_title

    def titles(conn):
        try:
            found = {normalise_title(t) for (t,) in conn.execute(
                "SELECT title FROM records WHERE title IS NOT NULL AND title != ''") if isinstance(t, str)}
        except sqlite3.Error:
            return set()
        return found - {""}

    restored = _read_copy(copy, titles)
    replaced = titles(hold)
    return bool(restored) and bool(replaced) and not restored & replaced


#: How an account changed since the backup comes back with it (``_accounts_back``)
ACCOUNT_CHANGES = ("enabled", "disabled", "password", "gone", "gone owner")


def _accounts_back(hold: sqlite3.Connection, copy: Path) -> tuple[list[tuple[str, str]], bool]:
    """(the accounts the file replaced holds otherwise than the backup, by name: disabled since the backup (the
    restore lets them sign in again; a browser session from before signs in anew, ``_end_sessions``), let back in
    since (disabled again), a password set since (the one before works again), or added since (gone; an owner's
    first, the first account added back must be one); whether the backup holds no account where the file replaced
    held some: 'screener serve' then asks no one to sign in). Nobody was told: a reviewer who had left the team was
    back in unseen."""
    def accounts(conn) -> dict[str, tuple]:
        try:
            return {str(n): (h, d, r) for n, h, d, r in conn.execute(
                "SELECT name, password_hash, disabled_at, role FROM users")}
        except sqlite3.Error:  # a file of a format before accounts could be disabled: read as none disabled
            try:
                return {str(n): (h, None, r) for n, h, r in conn.execute("SELECT name, password_hash, role FROM users")}
            except sqlite3.Error:
                return {}

    def stored_anew(conn) -> dict[str, str]:
        try:
            return {str(n)[len(REHASHED):]: str(v) for n, v in conn.execute(
                "SELECT name, value FROM secrets WHERE substr(name, 1, ?) = ?", (len(REHASHED), REHASHED))}
        except sqlite3.Error:  # a file of a format before secrets: no hash was stored anew
            return {}

    def same_password(pw: str, then: str) -> bool:
        """Whether ``pw`` is ``then`` or was stored from it anew at sign-in (today's hash settings): a sign-in
        since the backup is no password set since."""
        if pw == then:
            return True
        pw, then, seen = hash_fingerprint(pw), hash_fingerprint(then), set()
        while pw != then and pw in anew and pw not in seen:
            seen.add(pw)
            pw = anew[pw]
        return pw == then

    restored = _read_copy(copy, accounts)
    now = accounts(hold)
    anew = stored_anew(hold)
    out = []
    for name, (pw, disabled, role) in sorted(now.items(), key=lambda a: (a[1][2] != "owner", a[0])):
        then = restored.get(name)
        if then is None:
            out.append((name, "gone owner" if role == "owner" else "gone"))
            continue
        if disabled and not then[1]:
            out.append((name, "enabled"))
        elif then[1] and not disabled:  # let back in since: refused at sign-in again
            out.append((name, "disabled"))
        if not same_password(pw, then[0]):
            out.append((name, "password"))
    return out, bool(now) and not restored


def _team_back(hold: sqlite3.Connection, copy: Path) -> tuple[list[tuple[str, str | None]], list]:
    """(the stages whose blinding the owner ended since the backup, with who ended it: blind again once the backup is
    in; the conflicts resolved on the Conflicts page since the backup, by stage: (stage, records, resolvers), open
    again where the reviewers still disagree). The restore took both back unsaid: the team's decisions were hidden
    again, or the conflicts settled were to settle again, and no one knew why. Settled on that page or with 'screener
    conflicts' (``conflicts.resolve``: 'cli'), not by an import or the rest excluded unread."""
    from .accounts import BLINDING_SETTINGS

    def ends(conn) -> dict[str, dict]:
        out = {}
        for stage, key in BLINDING_SETTINGS.items():
            try:
                row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
                ended = json.loads(row[0]) if row else None
            except (sqlite3.Error, ValueError):
                ended = None
            if isinstance(ended, dict) and ended.get("at") and ended.get("stage", "title_abstract") == stage:
                out[stage] = ended
        return out

    def resolutions(conn) -> set[tuple]:
        try:
            return set(conn.execute("SELECT decision_id, record_id, stage, reviewer, created_at FROM decisions "
                                    "WHERE role = 'resolver' AND origin IN ('web', 'cli') AND decision != 'retract'"))
        except sqlite3.Error:  # a file of a format before dual screening: none
            return set()

    def holds(conn) -> set[str]:
        """The stages whose end of the blinding still holds in ``conn`` (no search imported since it, as
        ``accounts.blinding_ended`` reads it)."""
        try:
            imported = [t for r in conn.execute("SELECT imported_at FROM sources") if (t := _stamp(r[0])) is not None]
        except sqlite3.Error:
            return set()
        return {stage for stage, ended in ends(conn).items()
                if (at := _stamp(ended["at"])) is not None and all(t <= at for t in imported)}

    then, now = _read_copy(copy, ends), ends(hold)
    ended_then = _read_copy(copy, holds)  # the backup's own end still holds: the blinding stays ended
    blinding = [(stage, ended.get("by")) for stage, ended in now.items()
                if then.get(stage, {}).get("at") != ended.get("at") and stage not in ended_then]
    since = sorted(resolutions(hold) - _read_copy(copy, resolutions))
    settled = []
    for stage in BLINDING_SETTINGS:  # title and abstract first
        mine = [r for r in since if r[2] == stage]
        if mine:
            settled.append((stage, sorted({int(r[1]) for r in mine}), sorted({str(r[3]) for r in mine})))
    return blinding, settled


def _dedup_back(hold: sqlite3.Connection, copy: Path) -> list[tuple[str, int, int, str]]:
    """The de-duplication decisions reviewers made since the backup, which the restore takes back: (decision, record,
    other record, by whom), oldest first. Pairs joined or kept apart ('screener dedup --merge/--keep-apart', the
    Possible duplicates page), records split or put back; not what a de-duplication run or an import logs (an
    export's studies joined: the import is taken back with them, and logs them again when made again). Taken back
    unsaid, the records joined were screened as two studies again."""
    def rows(conn) -> set[tuple]:
        try:
            return set(conn.execute("SELECT decision_id, created_at, decision, record_id, other_id, reviewer FROM "
                                    "dedup_decisions WHERE decision IN ('merge', 'separate', 'split', 'unsplit') "
                                    "AND origin NOT IN ('import', 'migration')"))
        except sqlite3.Error:  # a file of a format before the de-duplication log: none
            return set()

    return [(str(d), int(a), int(b), str(who)) for _, _, d, a, b, who in sorted(rows(hold) - _read_copy(copy, rows))]


def _keep_sign_outs(hold: sqlite3.Connection, copy: Path) -> None:
    """The browser sessions signed out since the backup stay signed out (the web app's ``SIGNED_OUT``): the sign-out
    is kept in the project file, so the backup, without it, let a copy of the session (a shared computer's cookie) in
    again, and no command can sign it out but a new password."""
    try:
        rows = hold.execute("SELECT name, value, created_at FROM secrets WHERE substr(name, 1, ?) = ?",
                            (len(SIGNED_OUT), SIGNED_OUT)).fetchall()
    except sqlite3.Error:  # a file of a format before sign-in: nobody signed out
        return
    if not rows:
        return
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        with conn:
            conn.executemany("INSERT OR IGNORE INTO secrets(name, value, created_at) VALUES(?, ?, ?)", rows)
    finally:
        conn.close()


def _end_sessions(copy: Path) -> bool:
    """Every browser session signed in before the restore signs in again: the key the web app signs its session
    cookies with is taken out of the restored file (the app makes a new one). The backup's accounts came back, and
    with them each session a change since had ended: one made with a password set anew since (after a leak), or of
    an account disabled since, let a lost laptop in as that reviewer again, though the restore said only that the
    old password worked again. Returns whether sessions were ended where someone can sign in (an account)."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        try:
            accounts = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
            with conn:
                ended = conn.execute("DELETE FROM secrets WHERE name = ?", (SESSION_KEY,)).rowcount
        except sqlite3.Error:  # a file of a format before sign-in: no session to end
            return False
    finally:
        conn.close()
    return bool(ended) and bool(accounts)


def _keep_dated(target: Path, stamp: str | None) -> Path:
    """A second name for the project file in place, dated, made exclusively (never over a file): the
    review as it is now stays whole in the folder whatever the restore does next."""
    stamp = stamp or datetime.now(timezone.utc).strftime("%Y-%m-%d-%H%M%S")
    n = 1
    while True:
        kept = target.with_name(KEPT_PATTERN.format(stamp=stamp if n == 1 else f"{stamp}-{n}"))
        try:
            os.link(target, kept)  # the same file under a second name: nothing copied, nothing to fail
            return kept
        except FileExistsError:
            n += 1
        except OSError:  # a file system without hard links (a network share, FAT): a whole copy
            try:
                with open(target, "rb") as src, open(kept, "xb") as dst:
                    shutil.copyfileobj(src, dst)
                    dst.flush()
                    os.fsync(dst.fileno())
            except FileExistsError:
                n += 1
                continue
            except BaseException:
                kept.unlink(missing_ok=True)
                raise
            shutil.copystat(target, kept)
            return kept


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, DiskFull):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def _not_writable(exc: BaseException, folders) -> bool:
    """Whether ``exc`` is a folder of the project refusing a write (read-only storage, no permission)."""
    if not (isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and exc.filename):
        return False
    return Path(exc.filename).parent in {Path(f) for f in folders}


def _megabytes(path: Path) -> str:
    try:
        mb = path.stat().st_size / 1e6
        return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"
    except OSError:
        return "its size"


def _second_name(kept: Path, target: Path) -> bool:
    """Whether ``kept`` is ``target`` under a second name (a link, the work since gone into both), as the file
    system counts it: one file id (never 0, which some network drives give every file) and two names of it
    counted. A copy, the only one of the review before a restore, is never taken for one (samefile would,
    on a drive without file ids)."""
    try:
        a, b = os.stat(kept), os.stat(target)
    except OSError:
        return False
    return a.st_ino != 0 and (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev) and a.st_nlink > 1 and b.st_nlink > 1


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file, as the file system says by its file id (never 0: some network
    drives give every file that id, and every file would then be the project file)."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return sa.st_ino != 0 and (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stamp(iso) -> datetime | None:
    """A stored time, to compare (a time without its zone is UTC, as the store writes them); None if unreadable."""
    try:
        t = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=timezone.utc)


def _when(iso: str | None) -> str:
    """A stored time as a reviewer reads it: 2026-12-01 14:02 UTC."""
    try:
        t = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
