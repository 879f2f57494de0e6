"""A review project: one folder, one database, the whole review.

The decision log is the single source of truth: current labels, the training set, the
screening order and every metric are derived from it, so nothing drifts out of step.
Decisions attach to a study (a duplicate group): a decision on any copy counts for the group,
and rankings list only each group's primary record.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, ProjectError, did_you_mean
from .io.detect import TABLE_FORMATS, WORKBOOK_FORMATS
from .io.ris import (CENTRAL_COLUMN, UNREAD_CELL, UNREAD_COLUMN, central_accession, says_excluded_unread,
                     unread_where)
from .records import NOT_RETRIEVED, STAGES, counted, decision_refused, normalise_title, noun
from .shell import shell_quote
from .store import Decision, Source, SQLiteStore, Store, is_database_url
from .store.base import DEDUP_RUN_DECISIONS, REST_EXCLUDED, is_rest_excluded, rest_excluded
from .store.sqlite import SERVER_ADDRESS_FILE

DB_NAME = "screener.sqlite"
#: A project kept on a database server: its folder holds this file (the server's address), the
#: protocol and the embedding cache; the records and the decision log are on the server.
DB_URL_FILE = SERVER_ADDRESS_FILE
CACHE_NAME = "embedding-cache.sqlite"

#: Whose the decisions imported with the records are (a name no account may take).
IMPORT_REVIEWER = "imported"
#: the setting listing each import's sources (its files' ids), one list an import: the searches of PRISMA's flow
IMPORT_RUNS = "import_runs"
#: the setting naming, for each source that is a screener export of a review with several sources (a review moved
#: to a new project through its export), those sources there: {source here: ['medline.ris', 'embase.ris']}
EXPORTED_REVIEWS = "exported_reviews"

#: How PRISMA's list of exclusion reasons names the exclusions no one gave a reason for.
NO_REASON = "no reason given"


def _one_each(reasons) -> str:
    """Reviewers' reasons for one study, each once (spellings that differ only in case or spacing
    are one reason: "Wrong population" and "wrong population" are not a reason of their own), in
    alphabetical order: in the order the reviewers gave them, one pair of reasons made two PRISMA
    lines ("Wrong population; Wrong outcome" and "Wrong outcome; Wrong population")."""
    seen: dict[str, str] = {}
    for r in (part for given in reasons for part in str(given).split(";") if part.strip()):
        # a reviewer's own two reasons ('wrong design; wrong population') are two: the other's
        # 'Wrong population' beside them read 'wrong design; wrong population; Wrong population'
        seen.setdefault(" ".join(r.split()).casefold(), " ".join(r.split()))
    return "; ".join(seen[k] for k in sorted(seen))


def _unread(row) -> bool:
    """A decision (a row of the log) on a record left at the stop and excluded there unread."""
    return is_rest_excluded(getattr(row, "origin", ""))


#: The export's columns of the stored ranking a decision was picked from (its id, as 'status' and the decision log
#: have it) and the record's place in it as stored (1: the top), where a ranking was logged with a decision
RANKING_COLUMNS = ("ranking_id", "ranking_position")

#: The record sets an export can be limited to (``export --only``), in the words the help shows:
#: "included" is the title/abstract stage's, "final" the full-text stage's (the review's studies).
EXPORT_SETS = {
    "included": "the records included at title and abstract (passed on to full text; the maybes, which go on too, "
                "are the set 'maybe')",
    "excluded": "the records excluded at title and abstract",
    "maybe": "the records marked maybe at title and abstract",
    "unscreened": "the records with no title/abstract decision yet",
    "final": "the studies included at full text (the review's final includes)",
}



def export_set_hint(only) -> str:
    """" Did you mean 'included'?" for an export set mistyped (``export --only``, the web app's export)."""
    # "final includes", "full_text": the studies included at full text, not the title/abstract 'included'
    return " Did you mean 'final'?" if re.search(r"final|full", str(only).lower()) else did_you_mean(only, EXPORT_SETS)


DEFAULT_SETTINGS = {
    "mode": "single",  # or "dual": two reviewers screen blind, conflicts are resolved
    "target_recall": 0.95,
    "confidence": 0.95,
    "seed": 0,
    "embedding_model": "default",
    "ranker": "default",
    "query": "max",
}


#: the setting that says the review updates a previous version, with its counts (``Project.previous_version``)
PREVIOUS_VERSION = "previous_version"


def check_previous_version(studies: int, reports: int | None) -> None:
    """The previous version's counts as PRISMA 2020's flow for updated reviews gives them: none negative, and no
    fewer reports than studies (each study included has one report or more)."""
    if studies < 0:
        raise InputError(f"--previous-studies {studies}: give the number of studies the previous version of the "
                         "review included (0 or more).")
    if reports is not None and reports < 0:
        raise InputError(f"--previous-reports {reports}: give the number of reports of the studies the previous "
                         "version of the review included (0 or more).")
    if reports is not None and reports < studies:
        raise InputError(f"--previous-reports {reports} is fewer than the {studies} studies the previous version "
                         f"included: each of them has one report or more. Give the reports of those studies "
                         f"({studies} or more), or leave --previous-reports out if you do not know it.")


@dataclass
class ImportSummary:
    files: list[dict] = field(default_factory=list)  # per file: name, format, encoding, records, labels
    records_added: int = 0
    labels_added: int = 0
    duplicates: int = 0  # records that are a duplicate of another after this import
    warnings: list[str] = field(default_factory=list)


def _check_protocol_copy(directory: Path, path: Path, before: str | None, *, init: bool = False) -> None:
    """Refuse to put screener's copy of ``path`` over a file of the team's own by that name (their
    protocol.md, written for people), which is not ours to replace. ``init``: the project is not
    made yet, so the way to use that file is 'init --protocol', not 'screener protocol'."""
    dest = Path(directory) / f"protocol{Path(path).suffix.lower()}"
    if (dest.is_file() and dest.resolve() != Path(path).resolve() and dest.name != before
            and dest.read_bytes() != Path(path).read_bytes()):
        use = (f"screener init {shell_quote(directory)} --protocol {shell_quote(dest)}" if init
               else f"screener protocol {shell_quote(directory)} {shell_quote(dest)}")
        raise ProjectError(f"{dest} is already there and is not screener's copy of the protocol; rename or move it, "
                           f"or set the protocol from it: {use}" + (" (nothing was created)." if init else ""))


def _reviews_near(directory: Path) -> tuple[str, list[str]]:
    """The review folders a mistyped or wrong folder was likely meant as, and where they are: those
    'in' it, else those 'beside' it, the names closest to the one given first (at most five)."""
    def reviews_in(folder: Path) -> list[Path]:
        with contextlib.suppress(OSError):
            return sorted(p for p in folder.iterdir() if (p / DB_NAME).is_file() or (p / DB_URL_FILE).is_file())
        return []

    inside = reviews_in(directory) if directory.is_dir() else []
    if inside:
        return "in", [str(p) for p in inside[:5]]
    import difflib

    beside = [p.name for p in reviews_in(directory.parent) if p.name != directory.name]
    close = difflib.get_close_matches(directory.name, beside, n=len(beside), cutoff=0) if beside else []
    return "beside", [str(directory.parent / name) for name in close[:5]]


def _not_a_project(directory: Path) -> str:
    """Why DIR is no review, and which folders are: a typo's advice to 'init' made a second, empty review."""
    where, near = _reviews_near(directory)
    what = "no such folder, so not a screener project" if not directory.exists() else \
        f"not a screener project (no {DB_NAME} in it)"
    init = f"reate a new review there with 'screener init {shell_quote(directory)}'."
    if not near:
        return f"{directory}: {what}. C{init}"
    return f"{directory}: {what}. Review folders {where} it: {', '.join(near)}; give the one you mean, or c{init}"


def retracted_note(copy: int) -> str:
    """What the screen says of a study a copy of which is titled as retracted (``Project.retracted_copies``)."""
    return f"Retracted: a copy of this record (record {copy}) says in its title that the article was retracted."


#: At most this many studies asked about (a record on screen, a batch): ``Project.retracted_in_exports`` reads their
#: records' originals rather than look through every record's in the database
_FEW_STUDIES = 200

#: What the screen says of a study a screener export marked retracted (``Project.retracted_in_exports``): the copy
#: titled so stayed in the review the file was exported from
RETRACTED_IN_EXPORT_NOTE = ("Retracted: the screener export this record was imported from marks it retracted (a copy "
                            "of the study there, not in that file, says in its title that the article was retracted).")


def retraction_note(copies: dict[int, int], marked: set[int], study: int) -> str:
    """What the screen says of a study's retraction: a copy here titled as retracted (``retracted_note``), else the
    mark of the export it came from (``RETRACTED_IN_EXPORT_NOTE``); '' for none."""
    if study in copies:
        return retracted_note(copies[study])
    return RETRACTED_IN_EXPORT_NOTE if study in marked else ""


class Project:
    """Open with ``Project.open(dir)`` or create with ``Project.init(dir)``."""

    def __init__(self, directory: Path, store: Store):
        self.dir = Path(directory)
        self.store = store
        self.earlier_protocol: Path | None = None  # the copy 'set_protocol' kept of the one it replaced
        self.earlier_removed: Path | None = None  # and of a copy taken out earlier that it was put over

    # -- lifecycle -----------------------------------------------------------------------------
    @classmethod
    def init(cls, directory, *, protocol: str | Path | None = None, settings: dict | None = None,
             database: str | None = None) -> "Project":
        """A new project in ``directory``: an SQLite file there, or, with ``database`` (a
        ``postgresql://`` URL), the review on that database server."""
        directory = Path(directory)
        if directory.exists() and not directory.is_dir():
            raise ProjectError(f"{directory} is a file, not a folder. Give the name of a new folder for the project "
                               "(screener makes it).")
        if (directory / DB_NAME).exists() or (directory / DB_URL_FILE).exists():
            raise ProjectError(_already_a_project(directory))
        if database is not None and not is_database_url(database):
            raise ProjectError(f"--database {database!r}: give a PostgreSQL address such as "
                               "postgresql://user@host:5432/review (or leave it out for a project file here).")
        proto = None
        if protocol is not None:
            from .protocol import Protocol  # validate before anything is created

            proto = Protocol.load(protocol)
            proto.require_words()
            _check_protocol_copy(directory, Path(protocol), None, init=True)
        def cannot(err):
            why = getattr(err, "strerror", None) or str(err)
            return ProjectError(f"cannot create the project in {directory} ({why}). Choose a folder you can write "
                                "to, for example one in your home or documents folder.")

        made_folder = not directory.exists()
        made_file = None  # the project file this run made: the only one its tidying up may remove
        try:
            # the folder first: one that cannot be made leaves nothing behind on a server
            directory.mkdir(parents=True, exist_ok=True)
            if database is not None:
                from .store.postgres import PostgresStore

                try:  # refuses a database that already holds a review
                    store = PostgresStore(database, create=True)
                except BaseException:  # the server out of reach: the folder it made stays no empty project folder
                    _remove_new_folder(directory, made_folder)
                    raise
            else:
                made_file = _make_project_file(directory)
                store = SQLiteStore(directory / DB_NAME, create=True)
        except (OSError, sqlite3.Error) as err:
            if database is None:  # a file begun there (a full disk as its tables were made)
                _remove_new_project_file(None, directory, made_folder, made_file)
            raise cannot(err) from None
        project = cls(directory, store)
        try:
            with store.transaction():
                for k, v in {**DEFAULT_SETTINGS, **(settings or {})}.items():
                    store.set_setting(k, v)
                if proto is not None:
                    from .protocol import INIT_BY

                    project._save_protocol(Path(protocol), by=INIT_BY)
            if database is not None:
                try:  # last: the folder points at the review on the server once the review is whole
                    write_database_url(directory, database)
                except OSError as err:
                    raise cannot(err) from None
        except BaseException:
            if database is not None:  # the server database is left empty, as it was: 'init' can be run again
                try:
                    store.drop_review()
                finally:
                    store.close()
                    _remove_new_folder(directory, made_folder)
            else:  # nor a project file without its settings and protocol, which 'init' again refused
                _remove_new_project_file(store, directory, made_folder, made_file)
            raise
        return project

    @classmethod
    def open(cls, directory) -> "Project":
        directory = Path(directory)
        url_file = directory / DB_URL_FILE
        if url_file.exists():
            url = url_file.read_text(encoding="utf-8").strip()
            if not is_database_url(url):
                raise ProjectError(f"{url_file}: should hold the review database's address (postgresql://...).")
            from .store.postgres import PostgresStore

            return cls(directory, PostgresStore(url))
        db = directory / DB_NAME
        if directory.is_file():  # 'screener init FILE' would be refused too
            raise ProjectError(
                f"{directory}: this is a file, not a project folder. Give the review's folder (the one "
                f"'screener init' made, which holds {DB_NAME})"
                + (f": {directory.parent}." if directory.name == DB_NAME else "."))
        if not db.exists():
            raise ProjectError(_not_a_project(directory))
        from .restore import clear_a_killed_restore

        with contextlib.suppress(OSError):  # a read-only folder keeps them: nothing of the review
            clear_a_killed_restore(directory)
        return cls(directory, SQLiteStore(db))

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def db_path(self) -> Path:
        return self.dir / DB_NAME

    @property
    def cache_path(self) -> Path:
        """Where embeddings are cached: the project file itself, or a file beside a server project."""
        return self.dir / (CACHE_NAME if self.store.shared else DB_NAME)

    @property
    def location(self) -> str:
        """Where the review is kept, in words for messages: the file or the server's address."""
        return str(self.store.path) if self.store.shared else str(self.db_path)

    # -- settings and protocol -----------------------------------------------------------------
    @property
    def settings(self) -> dict:
        return {**DEFAULT_SETTINGS, **self.store.settings()}

    def set_setting(self, key: str, value) -> None:
        self.store.set_setting(key, value)

    def previous_version(self) -> dict | None:
        """The counts of the review's previous version ('studies', and its 'reports' or None where not known) when
        this review updates one: the report then draws PRISMA 2020's flow for updated reviews. None: a new review."""
        v = self.store.get_setting(PREVIOUS_VERSION)
        return {"studies": int(v["studies"]), "reports": None if v.get("reports") is None else int(v["reports"])} \
            if isinstance(v, dict) and v.get("studies") is not None else None

    def set_previous_version(self, studies: int | None, reports: int | None = None) -> dict | None:
        """Record that this review updates a previous version which included ``studies`` studies (``reports``
        reports of them, if known); ``studies`` None keeps the studies stored and changes the reports. Checked
        first (``check_previous_version``): nothing is stored from counts that cannot be."""
        if studies is None and reports is not None:
            stored = self.previous_version()
            if stored is None:
                raise InputError(f"--previous-reports {reports}: give the studies the previous version of the review "
                                 "included too (--previous-studies N); the reports are those of its studies.")
            studies = stored["studies"]
        check_previous_version(studies, reports)
        self.store.set_setting(PREVIOUS_VERSION, {"studies": int(studies),
                                                  "reports": None if reports is None else int(reports)})
        return self.previous_version()

    def clear_previous_version(self) -> bool:
        """Take the previous version's counts out (the review reported as a new one); whether there were any."""
        had = self.previous_version() is not None
        if self.store.get_setting(PREVIOUS_VERSION) is not None:
            self.store.set_setting(PREVIOUS_VERSION, None)
        return had

    def _save_protocol(self, path: Path, by: str = "screener protocol") -> Path | None:
        """Keep a copy of the protocol in the project folder, where the team can read it.

        Only the copy it replaces is removed (a protocol.toml replaced by a protocol.yaml): other
        files named protocol.* are the team's (the registered protocol.pdf, a protocol.v2.toml
        being set right now). A copy with other text is kept first (``_keep_earlier_protocol``):
        it may be the only one left of the protocol screened by until now. Returns that copy; a copy
        taken out earlier ('--remove') that this one is put over is kept too (``earlier_removed``). The change is
        logged (``protocol_changes``, ``by``: the command) in the transaction that sets it."""
        from .restore import _a_plain_name

        path = Path(path)
        dest = self.dir / f"protocol{path.suffix.lower()}"
        _refuse_a_linked_copy(dest, path)
        current = self.store.get_setting("protocol_file")
        # a path there (the setting edited, a project file copied by hand) is no copy of this folder's: the
        # file it names, another review's protocol, say, is neither kept nor removed
        current = current if isinstance(current, str) and _a_plain_name(current) else None
        removed = self._removed_protocol_copy(dest)  # screener's own copy at dest, taken out earlier
        before = current or removed
        _check_protocol_copy(self.dir, path, removed or before)
        old = self.dir / before if before else None
        # the text in force before, read before it is put over: the change log says what changed
        text_before = (self.dir / current).read_bytes() if current and (self.dir / current).is_file() else None
        text = path.read_bytes()
        kept = kept_removed = None
        replaced = False
        try:
            # the copy taken out was screened by before the one in force: kept first, under the lower number
            if (removed and removed != before and dest.resolve() != path.resolve()
                    and dest.read_bytes() != path.read_bytes()):
                kept_removed = _keep_earlier_protocol(dest)  # the text taken out, put over now
            if (old is not None and old.is_file() and old.resolve() != path.resolve()
                    and old.read_bytes() != path.read_bytes()):
                kept = _keep_earlier_protocol(old)
            if path.resolve() != dest.resolve():
                tmp = dest.with_name(f"{dest.name}.partial")
                try:
                    shutil.copyfile(path, tmp)
                    os.replace(tmp, dest)
                    replaced = True
                except BaseException:  # a full disk, Ctrl-C: no half-copied protocol left in the folder
                    tmp.unlink(missing_ok=True)
                    raise
            with self.store.transaction():
                from .protocol import protocol_change

                change = "set" if not current else "set again" if text == text_before else "replaced"
                self._log_protocol_change(protocol_change(
                    change, dest.name, source=path.name, by=by, before=text_before if current else None, after=text,
                    kept_as=(kept or kept_removed).name if (kept or kept_removed) is not None else None,
                    at=self.store.now()))
                self.store.set_setting("protocol_file", dest.name)
                # only the copy put over is forgotten: another one taken out stays screener's own
                left = [r for r in self._removed_copies() if r.get("file") != dest.name]
                self.store.set_setting("removed_protocol", left or None)
        except BaseException:  # the earlier copy is still there as it was: not kept twice
            if kept is not None and not (replaced and dest.name == old.name):
                kept.unlink(missing_ok=True)
            if kept_removed is not None and not replaced:
                kept_removed.unlink(missing_ok=True)
            raise
        if old is not None and old.name != dest.name and old.resolve() != path.resolve():
            old.unlink(missing_ok=True)
        self.earlier_removed = kept_removed
        return kept

    def set_protocol(self, path, by: str = "screener protocol"):
        """Set the review's protocol from ``path``; returns it as read (its ``notes`` say where a line
        could be read two ways). The copy of the protocol it replaces, when its text differs, is kept
        in the folder: ``earlier_protocol`` names it (else None)."""
        from .protocol import Protocol

        proto = Protocol.load(path)
        proto.require_words()
        self.earlier_protocol = self._save_protocol(Path(path), by=by)
        return proto

    def remove_protocol(self, by: str = "screener protocol --remove") -> str | None:
        """Take the protocol out of the review: the records are then ranked as without one (random
        order until the first include). Its copy stays in the folder (it may be the team's own file,
        set from there). Returns the copy's name, or None when there was no protocol."""
        name = self.store.get_setting("protocol_file")
        if name:
            copy = self.dir / name
            # remembered (beside any other copy taken out before, of another kind: a .toml, then a
            # .yaml), so that a protocol set later may replace this copy as screener's own
            left = [r for r in self._removed_copies() if r.get("file") != name]
            if copy.is_file():
                left.append({"file": name, "sha256": _sha256(copy)})
            with self.store.transaction():
                from .protocol import protocol_change

                self._log_protocol_change(protocol_change("removed", name, source=None, by=by, before=None,
                                                          after=None, at=self.store.now()))
                self.store.set_setting("removed_protocol", left or None)
                self.store.set_setting("protocol_file", None)
        return name or None

    def protocol_changes(self) -> list[dict]:
        """The protocol's changes, oldest first (``protocol.protocol_change``): set, replaced, removed; none logged
        before this log was kept (its earlier copies, protocol-earlier-N, are all there is of those)."""
        from .protocol import CHANGES_SETTING

        log = self.store.get_setting(CHANGES_SETTING)
        return [c for c in log if isinstance(c, dict)] if isinstance(log, list) else []

    def _log_protocol_change(self, entry: dict) -> None:
        """One change appended to the log; called in the transaction that makes the change."""
        from .protocol import CHANGES_SETTING

        self.store.set_setting(CHANGES_SETTING, self.protocol_changes() + [entry])

    def _removed_copies(self) -> list[dict]:
        """The protocol copies taken out by ``remove_protocol`` and left in the folder (one dict, as
        an earlier screener kept it, or a list of them)."""
        removed = self.store.get_setting("removed_protocol")
        removed = [removed] if isinstance(removed, dict) else removed if isinstance(removed, list) else []
        return [r for r in removed if isinstance(r, dict)]

    def _removed_protocol_copy(self, dest: Path) -> str | None:
        """The name of the protocol copy taken out by ``remove_protocol`` when ``dest`` is that copy,
        its text unchanged since: screener's own, to replace (kept first as protocol-earlier-N), not a
        file the team wrote there afterwards."""
        for removed in self._removed_copies():
            if removed.get("file") == dest.name and dest.is_file() and _sha256(dest) == removed.get("sha256"):
                return dest.name
        return None

    @property
    def protocol(self):
        """The review protocol (``screener.protocol.Protocol``) or None."""
        name = self.store.get_setting("protocol_file")
        if not name:
            return None
        from .protocol import Protocol

        path = self.dir / name
        if not path.is_file():
            raise ProjectError(f"{path}: the review's protocol is no longer there (moved, renamed or deleted). Put it "
                               f"back, set the protocol again (screener protocol {shell_quote(self.dir)} "
                               "YOUR_PROTOCOL.toml), "
                               f"or take it out of the review: screener protocol {shell_quote(self.dir)} --remove")
        return Protocol.load(path, stored=True)

    # -- import --------------------------------------------------------------------------------
    def import_files(self, paths, *, fmt=None, encoding=None, column_map=None, source_db=None, sheet=None,
                     reviewer: str = IMPORT_REVIEWER, dedup: bool = True, allow_reimport: bool = False) -> ImportSummary:
        """Read every file first, then store them all in one transaction: all or nothing."""
        paths = [Path(p) for p in paths]
        sources = self.store.sources_frame()
        reads = []
        try:
            self._read_all(paths, reads, sources, fmt=fmt, encoding=encoding, column_map=column_map,
                           source_db=source_db, sheet=sheet, allow_reimport=allow_reimport)
        except InputError as err:
            _say_others_not_imported(err, paths)
            raise

        summary = ImportSummary()
        series = {path: None if source_db else _series_name(path, paths, sources) for path, _, _ in reads}
        named = {path: _covidence_named(_source_name(result.records, source_db, path, series[path]), path,
                                        result.records) for path, _, result in reads}
        summary.warnings.extend(_counted_as_one(named, source_db, {p for p, s in series.items() if s == named[p]}))
        new_ids: list[int] = []
        exported: list[tuple[str, dict[int, tuple[str, str]]]] = []  # screener exports: each record's study there
        # dual screening: decisions that come with the records (an earlier screening) are the
        # team's settled decisions, as a resolver's are, not a third reviewer's: as a reviewer's,
        # one person agreeing with them made a study "agreed", screened by one human only
        role = "resolver" if self.settings.get("mode") == "dual" else "reviewer"
        with self.store.transaction():
            self.store.serialize("records")  # one import at a time, from the check below to COMMIT
            # the studies left before, where the files come with decisions (``_rest_excluded_by_an_import``)
            with_labels = any(any(result.labels or ()) for _, _, result in reads)
            left_before = self._studies_left() if with_labels else set()
            # a review already screening (in dual screening, by anyone on the team), whose new records may come
            # with excludes never read
            screening = with_labels and not (self.reviewer_decisions() if role == "resolver"
                                             else self.current_decisions()).empty
            imported: dict[int, Path] = {}  # record id: the file whose decision it came with
            if not allow_reimport:
                # another import (a teammate's, another terminal) may have stored one of these files
                # while they were read: checked again in turn, or its records were stored twice
                self._refuse_imported_meanwhile(reads, sources)
            run: list[int] = []  # the files of this import: one search (PRISMA's flow by search, ``_searches``)
            while reads:  # each file's records are let go once stored: de-duplication reads the store
                path, digest, result = reads.pop(0)
                source_id = self.store.add_source(Source(
                    file_name=path.name, path=str(path.resolve()), format=result.format, encoding=result.encoding,
                    source_db=named[path], sha256=digest,
                    n_records=len(result.records), warnings=list(result.warnings)))
                ids = self.store.add_records(result.records, source_id)
                run.append(source_id)
                new_ids.extend(ids)
                studies = _exported_studies(ids, result.records, result.labels)
                if studies:
                    exported.append((path.name, studies))
                # an export's excludes given unread at its stop stay so: read as screened, a review moved
                # through its export said 'Every record has been screened' of 40 records never read
                decisions = [Decision(record_id=rid, decision=lab, reviewer=reviewer, role=role,
                                      origin=REST_EXCLUDED + path.name if _exported_unread(lab, rec) else "import",
                                      **_written_beside(rec, path))
                             for rid, lab, rec in zip(ids, result.labels, result.records) if lab]
                self.store.append_decisions(decisions)
                imported.update((d.record_id, path) for d in decisions if d.origin == "import")
                unread = sum(1 for d in decisions if is_rest_excluded(d.origin))
                if unread:
                    summary.warnings.append(
                        f"{path.name}: {unread} record{'s' if unread != 1 else ''} of this file "
                        f"{'were' if unread != 1 else 'was'} excluded unread when screening stopped in the project "
                        f"{'they were' if unread != 1 else 'it was'} exported from "
                        f"({unread_where(result.format in TABLE_FORMATS)}): "
                        f"counted as excluded without screening here too (PRISMA: not screened), not as screened.")
                summary.files.append({"file": path.name, "format": result.format, "encoding": result.encoding,
                                      "records": len(ids), "labels": len(decisions)})
                summary.records_added += len(ids)
                summary.labels_added += len(decisions)
                # most readers' notes start with the file's name already: 'a.csv: a.csv: ...' read as a fault
                summary.warnings.extend(w if w.startswith(f"{path.name}: ") else f"{path.name}: {w}"
                                        for w in result.warnings)
                full_text = _full_text_decisions_in(result.records)
                if full_text:  # a screener export: only its title/abstract decisions come in
                    summary.warnings.append(
                        f"{path.name}: {full_text} record{'s' if full_text != 1 else ''} of this file "
                        f"{'have' if full_text != 1 else 'has'} a full-text decision, which an import does not "
                        f"bring in (only the title/abstract decisions); to bring them in, run 'screener label "
                        f"{shell_quote(self.dir)} {shell_quote(path)} --stage full_text' after this import.")
                retracted = _retracted_copy_left_out(result)
                if retracted:  # the export's 'retracted' column, from a copy it left out: kept by the mark alone
                    them, n = ("them", len(retracted)) if len(retracted) != 1 else ("it", 1)
                    summary.warnings.append(
                        f"{path.name}: {n} record{'s' if n != 1 else ''} of this file ({retracted[0][0]}"
                        f"{'s' if n != 1 else ''} {', '.join(str(x) for _, x in retracted[:10])}"
                        f"{' and more' if n > 10 else ''}) {'were' if n != 1 else 'was'} marked retracted in the "
                        f"project {'they were' if n != 1 else 'it was'} exported from (a copy of the study, not in "
                        f"this file, is titled as retracted); {'they are' if n != 1 else 'it is'} marked retracted "
                        f"here too (on the screen, in 'next' and in the export): check {them} before including "
                        f"{them}. The export written with --with-duplicates brings the retracted copies themselves "
                        "along.")
                databases = _databases_exported(result, source_db)
                if databases:  # a review moved through its export: PRISMA here counts the file as one source
                    moved = self.store.get_setting(EXPORTED_REVIEWS)  # for the report's methods text, said later
                    self.store.set_setting(EXPORTED_REVIEWS, {**(moved if isinstance(moved, dict) else {}),
                                                              named[path]: databases})
                    summary.warnings.append(
                        f"{path.name}: this screener export holds records from {len(databases)} sources in the "
                        f"review it was exported from ({', '.join(databases[:6])}"
                        f"{f' and {len(databases) - 6} more' if len(databases) > 6 else ''}), "
                        f"but PRISMA here counts the whole file as one source, '{named[path]}'. Take the counts of "
                        "records identified by each database and of duplicates removed from that review's PRISMA "
                        "('screener status' or its report), not from this project's.")
                rayyan = _rayyan_decided_in(result.records) if not decisions else 0
                if rayyan:  # Rayyan's decisions are each reviewer's, in the notes: 'label' reads them
                    summary.warnings.append(
                        f"{path.name}: {rayyan} record{'s' if rayyan != 1 else ''} of this Rayyan export "
                        f"hold{'s' if rayyan == 1 else ''} the reviewers' decisions (its RAYYAN-INCLUSION notes), "
                        f"which an import does not bring in; to bring them in, each reviewer's as their own, run "
                        f"'screener label {shell_quote(self.dir)} {shell_quote(path)}' after this import.")
                del result, decisions
            runs = self.store.get_setting(IMPORT_RUNS)
            self.store.set_setting(IMPORT_RUNS, [*(runs if isinstance(runs, list) else []), run])
            if dedup:
                self._keep_exported_studies_apart(exported, summary.warnings)
                groups = self.deduplicate(new_ids=new_ids, notes=summary.warnings, origin="import")
                groups = self._keep_exported_groups(exported, groups, summary.warnings)
                summary.duplicates = int((~groups["is_primary"]).sum())
            if left_before and imported:
                self._rest_excluded_by_an_import(left_before, imported, reviewer, role, summary.warnings)
            if screening and imported:
                self._say_new_records_excluded(set(new_ids), imported, summary.warnings, dual=role == "resolver")
        return summary

    def _say_new_records_excluded(self, new_ids: set[int], imported: dict[int, Path], notes: list, *,
                                  dual: bool = False) -> None:
        """A file whose new records (studies not in the review before: a search update) each came with an exclude,
        none with another decision, in a review already screening: the excludes count as screened, as the file
        gives them (another tool's screening), but a tool writing 0 for every record not included gives them
        unread, and status said 'Every record has been screened' at recall 75% (cd010023) with nothing to tell.
        Said plainly, with the command that counts them as excluded unscreened at the stop. In dual screening the
        excludes are the team's settled decisions, and the command is any one reviewer's (``labels._unsettle``)."""
        prim = self.store.primary_map()
        everyone = set(map(int, self.store.primary_record_ids())) | set(map(int, prim.index))
        old = {int(prim.get(r, r)) for r in everyone - new_ids}
        cur = self.current_decisions()
        by_file: dict[Path, set[int]] = {}
        for rid, path in imported.items():
            sid = int(prim.get(rid, rid))
            if sid not in old:
                by_file.setdefault(path, set()).add(sid)
        for path, studies in sorted(by_file.items()):
            held = cur.reindex(sorted(studies))
            if not (held["decision"] == "exclude").all() or not (held["origin"] == "import").all():
                continue
            n = len(studies)
            notes.append(
                f"{path.name}: {n} new record{'s' if n != 1 else ''} came with an exclude decision in this file "
                f"(records not in the review before), and {'they count' if n != 1 else 'it counts'} as screened: "
                f"excludes made in another tool, as the file says, and the stop may rest on them. If no one on the "
                f"team read {'them' if n != 1 else 'it'} (a tool that writes 0 for every record not included), run "
                f"'screener label {shell_quote(self.dir)} {shell_quote(path)} --decision exclude"
                f"{' --reviewer NAME' if dual else ''}'{' (one of you, under your name)' if dual else ''} to count "
                f"{'them' if n != 1 else 'it'} as excluded without screening at the stop (PRISMA: not screened) "
                "instead.")

    def _studies_left(self) -> set[int]:
        """The studies with no title/abstract decision, where some have one (none: no screening to stop). In dual
        screening those no one on the team decided: a study one reviewer screened, or two disagree on, has no
        current decision, and read as left, an import's excludes on the records nobody had read (730 of 880
        counted as screened) were never taken for the rest."""
        if self.settings.get("mode") == "dual":
            decided = pd.Index(self.reviewer_decisions()["group_record_id"].unique())
        else:
            decided = self.current_decisions().index
        if decided.empty:
            return set()
        studies = self.store.primary_record_ids()
        return set(map(int, studies[~studies.isin(decided)]))

    def _rest_excluded_by_an_import(self, left_before: set[int], imported: dict[int, Path], reviewer: str,
                                    role: str, notes: list) -> None:
        """An import whose copies of the studies left to screen joined them, each with an exclude, leaving none
        unscreened (or a few, ``labels._few_kept_back``: copies kept apart as possible duplicates leave theirs), is
        the rest excluded unread at the stop, as a file of excludes on every record left is to 'label'
        (``labels._mark_the_rest``): the same search from another tool that writes 0 for every record not included.
        Read as screened, status said 'Every record has been screened: nothing is left to find' with 29 of 37
        includes found. Its excludes are logged again as the rest (``REST_EXCLUDED``); a decision of another kind
        on them, or more studies left, is screening read."""
        from .labels import _few_kept_back

        left_now = self._studies_left()
        prim = self.store.primary_map()
        cur = self.current_decisions()

        def study(rid: int) -> int:
            return int(prim.get(rid, rid))

        joined = {study(s) for s in left_before} - left_now
        came = {study(rid): path for rid, path in imported.items() if study(rid) in joined}
        if not joined or set(came) != joined or (cur["decision"].reindex(sorted(joined)) != "exclude").any():
            return
        if left_now and not _few_kept_back(len(left_now), len(joined)):
            return
        self.store.append_decisions([Decision(record_id=s, decision="exclude", reviewer=reviewer, role=role,
                                              origin=REST_EXCLUDED + came[s].name, note=f"imported from {came[s].name}")
                                     for s in sorted(joined)])
        total = len(joined) + len(left_now)
        dual = role == "resolver"  # each reviewer says what they read: two votes on them count, as on any study
        who, named = ("each reviewer who did, ", " --reviewer NAME") if dual else ("", "")
        for path in sorted(set(came.values())):
            n = sum(1 for v in came.values() if v == path)
            notes.append(
                f"{path.name}: it came with an exclude on {n} of the {total} records left to screen (copies of "
                f"records already in the review, joined with them) and no other decision on them: counted as "
                f"excluded without screening at the stop (PRISMA: not screened), not as screened, as 'screener label' "
                f"counts a file excluding the records left. If you read them all, {who}run 'screener label "
                f"{shell_quote(self.dir)} {shell_quote(path)} --all-read{named}' to count them as screened.")

    def _read_all(self, paths: list[Path], reads: list, sources: pd.DataFrame, *, fmt, encoding, column_map,
                  source_db, sheet, allow_reimport) -> None:
        """Read and check every file of one import before anything is stored (``reads`` gets them)."""
        from .io import read_records
        from .labels import refuse_changed_labels

        seen_hashes = {}
        _refuse_unmatched_patterns(paths)
        for path in paths:
            if not path.exists():
                raise InputError("file not found. Check the path and name. Nothing was imported.", path=path)
            if path.is_dir():
                raise InputError("this is a folder, not a file. Give the export files themselves (for example "
                                 f"{path}/*.ris).", path=path)
            digest = _sha256(path)
            earlier = [] if allow_reimport else list(sources.index[sources["sha256"] == digest])
            if earlier and not sources.loc[earlier, "format"].isin(WORKBOOK_FORMATS).all():
                raise InputError("this file was already imported into the project; importing it again would"
                                 " double its records. Leave it out (or pass --allow-reimport).", path=path)
            if digest in seen_hashes:
                raise InputError(f"the same file content is given twice (also {seen_hashes[digest]}).", path=path)
            seen_hashes[digest] = path
            result = read_records(path, fmt=fmt, encoding=encoding, column_map=column_map, source_db=source_db,
                                  sheet=sheet)
            refuse_changed_labels(path, result)  # a Label changed in EndNote: read from the note, the change was lost
            if earlier:
                self._refuse_sheet_imported(path, result, earlier)
            if not allow_reimport:
                self._refuse_own_export(path, result)
                self._refuse_same_records(path, result, sources, reads)
            if source_db is None:
                _refuse_namesake_files(path, _source_name(result.records, None, path,
                                                          _series_name(path, paths, sources)),
                                       sources, [r[0] for r in reads])
            reads.append((path, digest, result))

    def _keep_exported_studies_apart(self, exported: list[tuple[str, dict[int, tuple[str, str]]]],
                                     notes: list) -> None:
        """Before a screener export's records are de-duplicated (a review moved to a new project):
        copies its review held as different studies with different decisions (a record split off a
        wrong group there, not screened, beside the excluded study) that de-duplication would join
        are kept apart, logged as the import's keep-apart. Joined, the record took the study's
        decision: counted screened and excluded with no one having read it."""
        from .dedup import find_duplicates_with_review

        merged, apart = self._dedup_decisions(with_splits=True)
        for name, studies in exported:
            if len({label for label, _ in studies.values()}) < 2 or not any(d for _, d in studies.values()):
                continue  # one study, or no decisions: nothing a join could give a study not decided there
            joined, _ = find_duplicates_with_review(self.store.dedup_records_frame(sorted(studies)), merged=merged,
                                                    kept_apart=apart, full_abstracts=self.store.dedup_full_abstracts)
            said = []
            for _, members in joined.groupby("group_id")["record_id"]:
                parts: dict[str, list[int]] = {}
                for rid in sorted(int(r) for r in members):
                    parts.setdefault(studies[rid][0], []).append(rid)
                decided = {label: studies[ids[0]][1] for label, ids in parts.items()}
                if len(set(decided.values())) < 2:
                    continue  # one decision: joined, it counts as it did there
                ids = list(parts.values())
                for i, one in enumerate(ids):
                    for other in ids[i + 1:]:
                        for a in one:
                            for b in other:
                                self.store.append_dedup_decision(
                                    a, b, "separate", reviewer=IMPORT_REVIEWER, origin="import",
                                    note=f"different studies, decided differently, in the review {name} was "
                                         "exported from")
                said.append(_and_list([f"{_and_list(ids)} ({decided[label] or 'not screened'})"
                                       for label, ids in parts.items()]))
            if said:
                notes.append(f"the review {name} was exported from held records {'; '.join(said)} as different "
                             "studies, decided differently (its 'duplicate_group'; a record split off a group "
                             "there), which de-duplication here would join: they are kept apart, each with its own "
                             "decision (logged; if they are one study: "
                             f"'screener dedup {shell_quote(self.dir)} --merge A,B', which keeps the most inclusive "
                             "decision).")

    def _keep_exported_groups(self, exported: list[tuple[str, dict[int, tuple[str, str]]]], groups: pd.DataFrame,
                              notes: list) -> pd.DataFrame:
        """A screener export imported (a review moved to a new project): the copies its review
        held as one study (its 'duplicate_group') that de-duplication here left apart (a reviewer's
        --merge there: a conference abstract and its article) are joined, logged as a merge. Left
        apart, each came in with the study's decision, so one include counted as two."""
        if not exported:
            return groups
        study = dict(zip(groups["record_id"].astype(int), groups["group_id"].astype(int)))
        joined = False
        for name, studies in exported:
            by_group: dict[str, list[int]] = {}
            for rid, (label, _) in studies.items():
                by_group.setdefault(label, []).append(rid)
            said = []
            for label, ids in by_group.items():
                apart = [r for r in ids[1:] if study.get(r, r) != study.get(ids[0], ids[0])] if len(ids) > 1 else []
                for other in apart:
                    self.store.append_dedup_decision(
                        ids[0], other, "merge", reviewer=IMPORT_REVIEWER, origin="import",
                        note=f"one study (duplicate group {label}) in the review that {name} was exported from")
                if apart:
                    said.append(_and_list(ids))
            if said:
                joined = True
                notes.append(f"the review {name} was exported from held records {'; '.join(said)} each as one study "
                             "(its 'duplicate_group'), which de-duplication here would keep apart: they are one study "
                             "here too, so their decision counts once (logged as a merge; if they are different "
                             f"studies: 'screener dedup {shell_quote(self.dir)} --keep-apart A,B').")
        if not joined:
            return groups
        return self.deduplicate(notes=notes, origin="import")

    def _refuse_imported_meanwhile(self, reads, sources_before: pd.DataFrame) -> None:
        """Inside the import's transaction: refuse a file an import committed since ``sources_before``."""
        sources = self.store.sources_frame()
        sources = sources[~sources.index.isin(sources_before.index)]
        for path, digest, result in reads:
            earlier = list(sources.index[sources["sha256"] == digest])
            if not earlier:
                continue
            if not sources.loc[earlier, "format"].isin(WORKBOOK_FORMATS).all():
                raise InputError("this file was imported into the project by another import while this one was "
                                 "reading it; importing it again would double its records, so nothing of this "
                                 "import was stored. Run 'screener status' to see the records now in the project.",
                                 path=path)
            self._refuse_sheet_imported(path, result, earlier)

    def _refuse_own_export(self, path: Path, result) -> None:
        """This project's own export imported back into it (edited in a spreadsheet, or taken for a search
        update), or a batch of its 'next' (imported for labelled): every record is one of the project's, by its
        record id and title. Its records came in a second time, counted twice in PRISMA's records identified, the
        export's file named as a database."""
        ids = [_exported_record_id(r) for r in result.records]
        batch = None in ids
        if batch:  # a batch 'screener next' wrote, filled in: 'import' typed for 'label'
            ids = [_batch_record_id(r) for r in result.records]
        if not ids or None in ids:
            return
        held = self.store.records_frame(sorted(set(ids)))
        if not set(ids) <= set(held.index) or any(
                normalise_title(held.at[i, "title"]) != normalise_title(r.get("title"))
                for i, r in zip(ids, result.records)):
            return
        n = len(ids)
        if batch:
            raise InputError(
                f"this file is a batch of this project ('screener next' wrote it): its {counted(n, 'record')} "
                f"{noun(n, 'is', 'are')} in the project already, and importing it would count each twice in PRISMA's "
                "records identified. Nothing was imported. To save the decisions filled in, run 'screener label "
                f"{shell_quote(self.dir)} {shell_quote(path)}'.", path=path)
        raise InputError(
            f"this file is an export of this project: its {counted(n, 'record')} {noun(n, 'is', 'are')} in the "
            "project already (the same record ids and titles), and importing it would count each twice in PRISMA's "
            "records identified. Nothing was imported. To bring in decisions made in the file, run 'screener label "
            f"{shell_quote(self.dir)} {shell_quote(path)}'; pass --allow-reimport only if these records are "
            "meant to go in again.", path=path)

    def _refuse_same_records(self, path: Path, result, sources: pd.DataFrame, reads: list) -> None:
        """A second download of an export (its bytes differ: line ends saved again, an access date),
        imported before or given in this import too, passed the file check: its records came in twice
        and PRISMA counted them twice among the records identified. Refused before anything is stored."""
        n = len(result.records)
        keys = [_record_key(r, path.name) for r in result.records]

        def same(records, name) -> bool:
            """The same fields in the same order, from the same database or (a name given with --source
            on one import only) from a file of the same name less its download mark."""
            theirs = [_record_key(r, name) for r in records]
            return [k[1:] for k in theirs] == [k[1:] for k in keys] and (
                [k[0] for k in theirs] == [k[0] for k in keys] or _download_base(name) == _download_base(path.name))

        other = next((p for p, _, done in reads if len(done.records) == n and same(done.records, p.name)), None)
        where = f"{other.name}, also given in this import" if other is not None else None
        if where is None and "n_records" in sources and (sources["n_records"] == n).any():
            of_source = self.store.record_sources()["source_id"]
            for source_id in sources.index[sources["n_records"] == n]:
                stored = self.store.records_frame(of_source.index[of_source == source_id])
                name = sources.at[source_id, "file_name"]
                if same(stored.to_dict("records"), name):
                    where = (f"{name}, imported into the project on "
                             f"{str(sources.at[source_id, 'imported_at'])[:10]}")
                    break
        if where is not None:
            raise InputError(
                f"this file holds the same {n} record{'s' if n != 1 else ''} as {where} (a second download of "
                "that export, or a copy saved again): importing it would count each of them twice in PRISMA's "
                "records identified. Nothing was imported. Leave the file out (or pass --allow-reimport if it is "
                "another search that found these very records).", path=path)

    def _refuse_sheet_imported(self, path: Path, result, earlier: list[int]) -> None:
        """One workbook may hold an export on each sheet: an imported workbook is refused again only
        when an earlier import of it (``earlier``, its sources) gave these very rows, i.e. the same
        sheet. The rows tell, not the sheet's name, which projects do not record."""
        of_source = self.store.record_sources()["source_id"]
        rows = [(r["source_line"], r["raw"]) for r in result.records]
        for source_id in earlier:
            stored = self.store.records_frame(of_source.index[of_source == source_id], with_raw=True)
            if [(int(line), raw) for line, raw in zip(stored["source_line"], stored["raw"])] == rows:
                raise InputError(
                    f"the sheet '{result.sheet}' of this workbook was already imported into the project (the "
                    "same rows, from the same file); importing it again would double its records. Leave it out, "
                    "or name another sheet with --sheet NAME (or pass --allow-reimport).", path=path)

    # -- records and duplicates ----------------------------------------------------------------
    def records_frame(self, *, primary_only: bool = True, with_raw: bool = False, texts: bool = True) -> pd.DataFrame:
        """Records indexed by record_id, with ``group_id`` and ``is_primary`` columns.

        ``texts=False``: only the id, source database and group columns (a list that pages
        through a very large project reads the texts of the page it shows only)."""
        with self.store.snapshot():  # an import committed between the two reads: its copies read as studies
            df = self.store.records_frame(with_raw=with_raw) if texts else self.store.records_index_frame()
            groups = self.store.duplicate_groups_frame().set_index("record_id")
        df["group_id"] = groups["group_id"].reindex(df.index)
        df["is_primary"] = groups["is_primary"].reindex(df.index)
        df["duplicate_reason"] = groups["reason"].reindex(df.index)
        ungrouped = df["group_id"].isna()
        df.loc[ungrouped, "group_id"] = df.index[ungrouped]
        df["group_id"] = df["group_id"].astype(int)
        df["is_primary"] = df["is_primary"].fillna(True).astype(bool)
        df["duplicate_reason"] = df["duplicate_reason"].fillna("")
        return df[df["is_primary"]] if primary_only else df

    def deduplicate(self, *, new_ids=None, notes: list | None = None, origin: str = "dedup",
                    **kwargs) -> pd.DataFrame:
        """Group duplicate records across sources; the reviewer's merges, separations and splits
        are kept, and nothing is deleted. Returns the whole grouping.

        ``new_ids``: records just added. Only they, the records they could duplicate and those
        records' groups are looked at again (the same groups as a full run, without comparing
        the whole project with itself on every import).
        Studies joined into one that were decided differently keep the most inclusive decision
        (``_settle_joined_decisions``); ``notes`` receives a line on each, for the reviewer."""
        # The groups are worked out from what was read first and written in the import's turn: an
        # import, or a teammate's merge, keep-apart or split, committed in between would be left out
        # of the grouping written, so all is read again and grouped again then.
        for _ in range(3):
            n_read = self._dedup_inputs()
            got = self._deduplicate(new_ids=new_ids, notes=notes, origin=origin, n_read=n_read, **kwargs)
            if got is not None:
                return got
        raise ProjectError("records kept being imported while this looked for duplicates, so the groups were not "
                           "saved; run 'screener dedup' again when the imports have finished.")

    def _dedup_inputs(self) -> tuple[int, int]:
        """How many records and reviewers' decisions on pairs (splits among them) there are: both
        only ever grow, so the same counts are the same input to de-duplication."""
        return self.store.n_records(), len(self.store.dedup_decisions_frame())

    def _deduplicate(self, *, new_ids, notes, origin, n_read: tuple, **kwargs) -> pd.DataFrame | None:
        """``deduplicate`` once; None (nothing written) when its input changed since ``n_read``."""
        from .dedup import DEFAULT_FUZZY_THRESHOLD, find_duplicates_with_review, related_records

        # a split record is not the study of the records it was taken from (``split_duplicates``):
        # kept apart from each, so that its own later copies still join it and none of it joins them
        merged, apart = self._dedup_decisions(with_splits=True)
        subset = None
        if new_ids is not None:
            new_ids = [int(i) for i in new_ids]
            previous = self.store.duplicate_groups_frame()
            keys = self.store.dedup_keys_frame() if len(previous) else None
            # only when every older record has its group (not after an import with --no-dedup)
            if keys is not None and set(previous["record_id"]) | set(new_ids) == set(keys.index):
                subset = related_records(keys, new_ids,
                                         fuzzy_threshold=kwargs.get("fuzzy_threshold", DEFAULT_FUZZY_THRESHOLD))
                group_of = dict(zip(previous["record_id"].astype(int), previous["group_id"].astype(int)))
                members: dict[int, list[int]] = {}
                for rid, gid in group_of.items():
                    members.setdefault(gid, []).append(rid)
                pairs = merged + apart
                for _ in range(3):  # whole groups, and both records of every pair a reviewer decided
                    grown = set(subset)
                    for rid in subset:
                        gid = group_of.get(rid)
                        if gid is not None:
                            grown.update(members[gid])
                    grown.update(x for a, b in pairs if a in grown or b in grown for x in (a, b))
                    if grown == subset:
                        break
                    subset = grown
        records = self.store.dedup_records_frame(None if subset is None else sorted(subset))
        if records.empty:
            return pd.DataFrame(columns=["record_id", "group_id", "is_primary", "reason"])
        assignments, review = find_duplicates_with_review(records, merged=merged, kept_apart=apart,
                                                          full_abstracts=self.store.dedup_full_abstracts, **kwargs)
        with self.store.transaction():
            self.store.serialize("records")
            if self._dedup_inputs() != n_read:
                return None  # an import or a merge came in meanwhile: it is grouped too, next time round
            # the log before the groups change (a join must not hide a decision), read in the log
            # writers' turn: a decision made while the groups were worked out is settled with the rest
            self.store.serialize("decisions")
            decided = self._decision_log_by_study()
            self._log_taken_out(self.store.duplicate_groups_frame(), assignments, merged + apart, origin)
            if subset is None:
                self.store.replace_duplicate_groups(assignments)
                self.store.replace_duplicate_review(review)
            else:
                self.store.update_duplicate_groups(assignments)
                self.store.replace_duplicate_review(review, record_ids=list(records.index))
            self._settle_joined_decisions(decided, notes, origin)
        if subset is None:
            return assignments
        # the whole grouping, without reading it back: the old rows outside the subset, and the new
        kept = previous[~previous["record_id"].isin(set(assignments["record_id"]))]
        whole = pd.concat([kept, assignments[list(kept.columns)]], ignore_index=True)
        return whole.sort_values("record_id", kind="stable").reset_index(drop=True)

    def _log_taken_out(self, before: pd.DataFrame, after: pd.DataFrame, decided: list, origin: str) -> None:
        """Log each record this run takes out of its group ("ungrouped", beside a record it leaves), as a
        reviewer's split is: a random-sample draw made while it was a copy of another study could not take
        it (``status._last_taken_out``). Unlogged, a rerun under changed rules that took 20 records out of
        a group kept the sample's "certifies at least 95% recall ...: you can stop" with them unscreened.
        A pair a reviewer kept apart or split has its own word in the log already."""
        old = dict(zip(before["record_id"].astype(int), before["group_id"].astype(int)))
        new = dict(zip(after["record_id"].astype(int), after["group_id"].astype(int)))
        members: dict[int, list[int]] = {}
        for rid, gid in old.items():
            members.setdefault(gid, []).append(rid)
        said = {(min(a, b), max(a, b)) for a, b in decided}
        for x in sorted(r for r in new if r in old and len(members[old[r]]) > 1):
            gone = [y for y in members[old[x]] if y != x and y in new and new[y] != new[x]
                    and (min(x, y), max(x, y)) not in said]
            if gone:
                self.store.append_dedup_decision(x, gone[0], "ungrouped", reviewer="de-duplication", origin=origin,
                                                 note=f"taken out of the group of record {gone[0]} by a "
                                                      "de-duplication run")

    def _decision_log_by_study(self) -> pd.DataFrame:
        """The decision log, each entry tagged with its study (``group_record_id``) as grouped now
        (and, in dual screening, the import's decisions as settled ones: ``_as_settled``)."""
        log = self._as_settled(self.store.decisions_frame())
        return log.assign(group_record_id=log["record_id"].map(self._primary_of()).fillna(log["record_id"])
                          .astype(int)) if len(log) else log

    def _as_settled(self, log: pd.DataFrame) -> pd.DataFrame:
        """Dual screening: decisions imported with the records are the team's settled ones
        (``import_files``), also in projects whose log has them as a reviewer's (imported before
        that rule, or screened single and then made dual), and also where de-duplication entered
        one again for a joined study."""
        if not len(log) or self.settings.get("mode") != "dual":
            return log
        imported = (log["reviewer"] == IMPORT_REVIEWER).to_numpy()
        if not imported.any():
            return log
        return log.assign(role=np.where(imported, "resolver", log["role"].to_numpy()))

    def _standing(self, log: pd.DataFrame, dual: bool) -> pd.DataFrame:
        """The decisions in force in ``log`` (one stage), with ``voice``: whose they are. Single
        screening: one per study. Dual screening: each reviewer's own per study, and one settled
        decision per study (the latest in force of the resolvers' and the import's, as
        ``current_decisions`` reads them: resolvers speak for the team with one voice; one that a
        reviewer's later change overturned settles nothing)."""
        last = self._latest_per_reviewer(log)
        if not dual:
            return last.groupby("group_record_id").tail(1).assign(voice="")
        votes = last[last["role"] != "resolver"].assign(voice=lambda d: d["reviewer"])
        settled = self.standing_resolutions(last, log).assign(voice="")
        return pd.concat([votes, settled]).sort_values("decision_id", kind="stable")

    def _settle_joined_decisions(self, before: pd.DataFrame, notes: list | None, origin: str) -> None:
        """Studies that de-duplication (or a reviewer's merge, or an import's new copies) has just
        joined into one: the log read as one study could hide a decision without a word (an
        exclude entered later on one copy hid an include on another; a decision withdrawn on a
        copy withdrew the reviewer's decision on the whole study). The most inclusive decision in
        force before the join is kept (include, then maybe, then exclude: a study someone included
        goes forward, as in screening), entered again where the log would not show it as it was,
        on the record it was made on (so that a later split gives each record its own decision
        back), with a note naming the copies' decisions; ``notes`` gets a line for the reviewer
        where the copies were decided differently. In dual screening this is done for each
        reviewer's own decisions, and the line says no one's decisions (blinding).

        ``before``: ``_decision_log_by_study()`` read before the groups changed."""
        if before.empty:
            return
        primary = self._primary_of()
        study = before["record_id"].map(primary).fillna(before["record_id"]).astype(int)
        n_old = before.groupby(study)["group_record_id"].nunique()
        joined = set(n_old.index[n_old >= 2])
        if not joined:  # the usual case, and cheap: nothing decided was joined
            return
        dual = self.settings.get("mode") == "dual"
        part = before[study.isin(joined)].assign(study=study[study.isin(joined)])
        rank = {"include": 2, "maybe": 1, "exclude": 0}
        keys = ["study"] + (["voice", "role"] if dual else [])
        settled, lines = [], {}
        for stage, log in part.groupby("stage", sort=False):
            pre = self._standing(log, dual)  # in force before the join, per old study
            post = self._standing(log.assign(group_record_id=log["study"]), dual)  # as the joined log reads
            # a copy excluded unread at the stop (``REST_EXCLUDED``) joined with a copy screened and
            # excluded: the screened one is kept, or the study read as never screened (PRISMA's
            # screened count fell by one, its records not screened did not)
            unread = rest_excluded(post["origin"]).tolist()
            now = dict(zip(post[keys].itertuples(index=False, name=None), zip(post["decision"], unread)))
            votes, resolutions, kept_votes, kept_settled = [], {}, {}, {}
            for key, grp in pre.groupby(keys, sort=False):
                keep = max(grp.itertuples(index=False),
                           key=lambda r: (rank.get(r.decision, -1), not _unread(r), r.decision_id))
                sid = int(key[0])
                if dual and keep.role == "resolver":
                    kept_settled[sid] = keep
                elif dual:
                    kept_votes.setdefault(sid, {})[keep.voice] = keep.decision
                differ = grp["decision"].nunique() > 1
                if not differ and now.get(key) == (keep.decision, _unread(keep)):
                    continue
                said = ", ".join(f"record {int(r)}: {d}" for r, d in zip(grp["record_id"], grp["decision"]))
                why = (f"copies of one study decided differently ({said})" if differ else
                       f"joined with a copy excluded unread when screening stopped ({said})"
                       if any(_unread(r) for r in grp.itertuples(index=False)) else
                       f"joined with a copy whose decision was withdrawn ({said})")
                entry = self._entered_again(keep, stage, origin, f"{why}; {keep.decision} kept")
                if dual and keep.role == "resolver":
                    resolutions[sid] = entry
                else:
                    votes.append((sid, entry))
                if not differ:
                    continue
                where = "" if stage == "title_abstract" else f" at {stage.replace('_', '-')} screening"
                ids = ", ".join(str(int(r)) for r in sorted(part.loc[part["study"] == sid, "record_id"].unique()))
                lines[(stage, sid)] = (
                    f"records {ids} are one study (duplicates) with different decisions{where} "
                    f"({said}): '{keep.decision}' is kept for the study "
                    "(change it with 'screener label' if that is wrong).")
            # a reviewer's decision entered again after the settled one would read as changed since
            # it was settled, and open the conflict again though no one's decision changed: the
            # settled one is entered again after it, where the reviewers' decisions kept are those
            # it settled
            for sid in sorted({sid for sid, _ in votes} & set(kept_settled) - set(resolutions)):
                res = kept_settled[sid]
                seen = log[(log["group_record_id"] == res.group_record_id) & (log["role"] != "resolver")
                           & (log["decision_id"] < res.decision_id)].groupby("reviewer").tail(1)
                then = {r: d for r, d in zip(seen["reviewer"], seen["decision"]) if d != "retract"}
                if all(d == then.get(r, res.decision) for r, d in kept_votes.get(sid, {}).items()):
                    resolutions[sid] = self._entered_again(
                        res, stage, origin, "the copies joined into one study; the reviewers' decisions are those "
                        f"this settled; {res.decision} kept")
            settled += [entry for _, entry in votes] + list(resolutions.values())  # settled ones last
        if settled:
            self.store.append_decisions(settled)
        if notes is None:
            return
        if dual:  # said on every join of decided records, so that it tells no one how anyone decided
            notes.append("records that had decisions were joined into one study; each reviewer's most inclusive "
                         "decision on the copies is kept (include, then maybe, then exclude).")
        else:
            notes.extend(lines.values())

    @staticmethod
    def _entered_again(row, stage: str, origin: str, note: str) -> Decision:
        """A decision in force (a row of the log) entered again, as it was, with ``note``. The rest's
        exclude at the stop keeps its origin: entered as ``origin``'s, it read as a screened one."""
        reason = getattr(row, "reason", None)
        return Decision(record_id=int(row.record_id), decision=row.decision, reviewer=row.reviewer, stage=stage,
                        role=row.role, origin=str(row.origin) if _unread(row) else origin,
                        sampled=bool(row.sampled), sample_prob=_or_none(row.sample_prob),
                        sample_drawn_at=_or_none(row.sample_drawn_at, int), note=note,
                        reason=reason if isinstance(reason, str) and reason.strip() else None)

    def _pair_decisions(self) -> dict[tuple[int, int], str]:
        """Each pair's (lower id first) latest word in the log: merge, separate, split or unsplit."""
        latest: dict[tuple[int, int], str] = {}
        for r in self.store.dedup_decisions_frame().itertuples(index=False):
            if r.decision in DEDUP_RUN_DECISIONS:  # a run's record of what it did, no word on the pair
                continue
            a, b = int(r.record_id), int(r.other_id)
            latest[(a, b) if a < b else (b, a)] = r.decision
        return latest

    def _dedup_decisions(self, *, with_splits: bool = False) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(merged pairs, kept-apart pairs): each pair's latest decision in the log; the pairs a
        split keeps apart too ``with_splits`` (a reviewer's merge of their groups withdraws those)."""
        latest = self._pair_decisions()
        apart = ("separate", "split") if with_splits else ("separate",)
        return [p for p, d in latest.items() if d == "merge"], [p for p, d in latest.items() if d in apart]

    def split_records(self) -> set[int]:
        """The records taken out of a duplicate group whose split still stands."""
        latest = self._pair_decisions()
        log = self.store.dedup_decisions_frame()
        log = log[log["decision"] == "split"]
        return {int(a) for a, b in zip(log["record_id"], log["other_id"])
                if latest.get((min(a, b), max(a, b))) == "split"}

    def decide_duplicates(self, record_id: int, other_id: int, decision: str, *, reviewer: str = "reviewer",
                          note: str | None = None, origin: str = "cli", notes: list | None = None) -> pd.DataFrame:
        """A reviewer's word on a pair of records: "merge" (one study) or "separate" (different
        studies). Logged (append-only, like screening decisions), then the groups are worked out
        again (``notes``: see ``deduplicate``)."""
        from .store.base import DEDUP_DECISIONS

        a, b = int(record_id), int(other_id)
        if decision not in DEDUP_DECISIONS:
            raise InputError(f"the decision on a pair of records is 'merge' or 'separate', not {decision!r}.")
        if a == b:
            raise InputError(f"record {a} was given twice; name two different records.")
        known = set(self.store.records_frame([a, b]).index)
        missing = [i for i in (a, b) if i not in known]
        if missing:
            raise InputError(f"no record with id {', '.join(map(str, missing))} in this project. The pairs to decide "
                             f"and their record ids are listed by 'screener dedup {shell_quote(self.dir)} --review'. "
                             "Nothing was changed.")
        with self.store.transaction():
            if decision == "merge":
                self._undo_splits_between(a, b, reviewer=reviewer, origin=origin, notes=notes)
            self.store.append_dedup_decision(a, b, decision, reviewer=reviewer, note=note, origin=origin)
            return self.deduplicate(notes=notes)

    def decide_duplicate_pair(self, record_id: int, other_id: int, decision: str, *, reviewer: str = "reviewer",
                              origin: str = "cli", notes: list | None = None, kept_apart=None,
                              command: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
        """``decide_duplicates`` as a reviewer asks for it ('screener dedup --merge/--keep-apart', the web
        app's Possible duplicates page): a merge that would undo a reviewer's keep-apart is refused before
        anything is logged (``dedup.refuse_blocked_merge``; ``kept_apart``: the pairs kept apart, when the
        caller adds its own; ``command``: the words' command). Returns the groups before and after."""
        from .dedup import refuse_blocked_merge

        with self.store.transaction():
            before = self.store.duplicate_groups_frame()
            if decision == "merge":
                apart = self._dedup_decisions()[1] if kept_apart is None else kept_apart
                refuse_blocked_merge(before, record_id, other_id, apart, command=command)
            after = self.decide_duplicates(record_id, other_id, decision, reviewer=reviewer, origin=origin,
                                           notes=notes)
        return before, after

    def _undo_splits_between(self, a: int, b: int, *, reviewer: str, origin: str, notes: list | None) -> None:
        """A merge says a's study and b's are one: a split that took a record of one group out of
        the other (the pairs it kept apart between the two groups) no longer holds, else the merge
        would be refused by the split's other pairs. A reviewer's keep-apart still holds."""
        from .dedup import group_members

        groups = self.store.duplicate_groups_frame()
        ga, gb = set(group_members(groups, a)), set(group_members(groups, b))
        latest = self._pair_decisions()
        log = self.store.dedup_decisions_frame()
        undone: dict[int, list[int]] = {}
        for x, y in zip(log.loc[log["decision"] == "split", "record_id"], log.loc[log["decision"] == "split",
                                                                                   "other_id"]):
            x, y = int(x), int(y)
            if latest.get((min(x, y), max(x, y))) == "split" and ((x in ga and y in gb) or (x in gb and y in ga)) \
                    and y not in undone.get(x, []):
                undone.setdefault(x, []).append(y)
        for x, others in sorted(undone.items()):
            for y in others:
                self.store.append_dedup_decision(x, y, "unsplit", reviewer=reviewer, origin=origin,
                                                 note=f"the reviewer merged records {a} and {b}")
            if notes is not None:
                notes.append(f"record {x} had been taken out of the group of records {', '.join(map(str, others))} "
                             f"(--split {x}); merging records {a} and {b} undoes that.")

    def duplicate_pairs(self, *, closest: bool = True) -> pd.DataFrame:
        """The pairs of studies de-duplication was unsure about and kept apart (``dedup.study_pairs``): one
        per two studies however many copies each has, shown by their closest copies (``closest``; else
        the lowest ids, enough to count them). A "different studies" stored on any two of their copies,
        as a project decided copy pair by copy pair, keeps holding for the two studies."""
        from .dedup import study_pairs

        pairs = self.store.duplicate_review_frame()
        if pairs.empty:
            return study_pairs(pairs, pairs.iloc[:0])
        titles = None
        if closest:
            ids = sorted(set(pairs["record_id"].astype(int)) | set(pairs["other_id"].astype(int)))
            titles = self.store.records_frame(ids)["title"].to_dict()
        return study_pairs(pairs, self.store.duplicate_groups_frame(),
                           kept_apart=self._dedup_decisions(with_splits=True)[1], titles=titles)

    def n_duplicate_pairs(self) -> int:
        """How many pairs of studies are listed for a reviewer to decide (``duplicate_pairs``)."""
        return len(self.duplicate_pairs(closest=False))

    def duplicate_review(self) -> pd.DataFrame:
        """Pairs of studies de-duplication was unsure about and kept apart (``duplicate_pairs``), with the
        two copies shown side by side, for a reviewer to merge or keep apart (``decide_duplicates``)."""
        pairs = self.duplicate_pairs()
        if pairs.empty:
            return pairs
        ids = sorted(set(pairs["record_id"]) | set(pairs["other_id"]))
        recs = self.store.records_frame(ids)
        out = pairs.copy()
        for side, col in (("", "record_id"), ("other_", "other_id")):
            for field in ("title", "year", "journal", "volume", "issue", "pages", "doi", "source_db"):
                out[side + field] = out[col].map(recs[field]) if field in recs.columns else None
            out[side + "first_author"] = out[col].map(recs["authors"].map(lambda a: a[0] if len(a) else ""))
            # every author: a pair listed for its authors in another order, or two first authors, is judged on them
            out[side + "authors"] = out[col].map(recs["authors"].map(lambda a: "; ".join(a) if len(a) else ""))
        return out

    def split_duplicates(self, record_ids, *, reviewer: str = "reviewer", origin: str = "cli",
                         notes: list | None = None) -> pd.DataFrame:
        """Take records out of a wrong duplicate group. Logged as what the reviewer said: each
        record taken out is not the study of any record of its group (a "split" pair each), so
        later de-duplication runs keep it apart from them, while its own later copies still join it
        and the group's own copies still join the group. ``notes`` gets a line where the records
        left behind were one study only through a record taken out."""
        from .dedup import group_members, split_group

        ids = list(dict.fromkeys(int(i) for i in record_ids))
        known = set(self.store.records_frame(ids).index)
        missing = [i for i in ids if i not in known]
        if missing:
            raise InputError(f"no record with id {', '.join(map(str, missing))} in this project. The duplicate "
                             f"groups and their record ids are listed by 'screener dedup {shell_quote(self.dir)} "
                             "--report'. Nothing was changed.")
        with self.store.transaction():
            # a record in no group (a mistyped id): there is nothing it was said not to be
            groups = self.store.duplicate_groups_frame()
            size = groups.groupby("group_id")["record_id"].transform("size")
            grouped = set(groups.loc[size > 1, "record_id"].astype(int))
            alone = [i for i in ids if i not in grouped]
            if alone:
                one = len(alone) == 1
                raise InputError(
                    f"record{'' if one else 's'} {', '.join(map(str, alone))} {'is' if one else 'are'} not in a "
                    f"duplicate group (screened as a study of {'its' if one else 'their'} own), so there is nothing "
                    f"to take out; nothing was changed. Check the record ids in the groups listed by 'screener "
                    f"dedup {shell_quote(self.dir)} --report'.")
            left: dict[int, list[int]] = {}  # former group -> the records left in it
            for x in ids:
                members = group_members(groups, x)
                others = [r for r in members if r != x]
                note = f"taken out of the group of records {', '.join(map(str, others))}"
                for y in others:
                    self.store.append_dedup_decision(x, y, "split", reviewer=reviewer, origin=origin, note=note)
                left[members[0]] = [r for r in members if r not in ids]
            keys = self.store.dedup_keys_frame()
            if set(groups["record_id"]) == set(keys.index):
                # grouped again, as any later run will: what the reviewer sees now is what stays
                assignments = self.deduplicate(new_ids=ids, notes=notes)
            else:  # imported with --no-dedup: only the groups there are
                assignments = split_group(groups, ids, records=self.store.records_frame())
                self.store.replace_duplicate_groups(assignments)
        for rest in left.values():
            parts = sorted({tuple(group_members(assignments, r)) for r in rest})
            if len(parts) > 1 and notes is not None:
                notes.append(f"records {', '.join(map(str, rest))} were one study only through the record taken out, "
                             f"so they are now {len(parts)} studies; if some are one study, merge them with "
                             f"'screener dedup {shell_quote(self.dir)} --merge {rest[0]},{rest[1]}'.")
        return assignments

    # -- decisions -----------------------------------------------------------------------------
    def decide(self, record_id: int, decision: str, *, check=None, rest_before: list | None = None, **kwargs) -> int:
        return self.decide_many([Decision(record_id=int(record_id), decision=decision, **kwargs)], check=check,
                                rest_before=rest_before)[0]

    def decide_many(self, decisions: list[Decision], *, check=None, rest_before: list | None = None) -> list[int]:
        """Append decisions to the log in one transaction, after checking every one. ``check``:
        called in the transaction's turn at the log, before the write (raises to refuse it): a
        decision made meanwhile by another session (a browser tab on the same record) is seen.
        ``rest_before`` (a list, for decisions saved one by one): once they leave no record without a
        decision, the excludes of files of one --decision exclude labelled just before them are saved
        with them as the rest excluded unread (``labels.rest_before_a_decision``), and their
        (file name, decision) pairs added to it."""
        if not decisions:
            return []
        known = set(self.store.records_frame([d.record_id for d in decisions]).index)
        for d in decisions:
            if d.record_id not in known:
                raise InputError(f"no record with id {d.record_id} in this project.")
            if d.stage not in STAGES:
                raise InputError(f"record {d.record_id}: stage {d.stage!r} is not one of {', '.join(STAGES)}.")
            if decision_refused(d.decision, d.stage):
                raise InputError(f"record {d.record_id}: {decision_refused(d.decision, d.stage)}.")
        with self.store.transaction():
            # the pending sample is read and rewritten in turn with every other writer of the log
            # (a web request, another reviewer's 'screener label', a new batch's draw): read before
            # the turn, one's rewrite lost what the other wrote
            self.store.serialize("decisions")
            if check is not None:
                check()
            if rest_before is not None:
                from .labels import rest_before_a_decision

                earlier = rest_before_a_decision(self, decisions)
                rest_before.extend(earlier)
                decisions = decisions + [d for _, d in earlier]
            self.mark_sampled(decisions)  # refuses a decision flagged sampled that no draw gives a probability
            ids = self.store.append_decisions(decisions)
            self.back_into_sample(decisions)
            return ids

    def remember_sample(self, probs: dict[int, float], drawn_at: int | None = None) -> None:
        """Records drawn in a random sample and not yet decided, with their inclusion
        probabilities and when the draw was made (studies screened by then; default: now)."""
        if drawn_at is None:
            drawn_at = len(self.current_decisions())
        with self.store.transaction():  # in turn with the decisions, which take drawn records out of it
            self.store.serialize("decisions")
            pending = self._pending_sample()
            pending.update({int(k): (float(v), int(drawn_at)) for k, v in probs.items()})
            self.store.set_setting("pending_sample", {str(k): list(v) for k, v in pending.items()})

    def _pending_sample(self) -> dict[int, tuple[float, int | None]]:
        # projects from before draws were dated hold a bare probability
        out = {}
        for k, v in (self.store.get_setting("pending_sample") or {}).items():
            prob, drawn = (v[0], v[1]) if isinstance(v, (list, tuple)) else (v, None)
            out[int(k)] = (float(prob), None if drawn is None else int(drawn))
        return out

    def mark_sampled(self, decisions: list[Decision]) -> None:
        """A decision on a record of a pending random sample is logged as sampled, with its
        inclusion probability and when it was drawn, however it arrives. One flagged sampled with no probability
        that no draw gives is refused (``_refuse_sampled_without_a_draw``)."""
        pending = self._pending_sample()
        if not pending:
            self._refuse_sampled_without_a_draw(decisions)
            return
        # matched by study: a record drawn may have been grouped since under another copy, which
        # the screening page shows (and a decision on any copy is the study's)
        primary = self._primary_of()
        study = (lambda r: int(primary.get(int(r), int(r)))) if len(primary) else int
        drawn_as: dict[int, list[int]] = {}
        for k in sorted(pending, key=lambda k: (pending[k][1] is None, pending[k][1] or 0, k)):
            drawn_as.setdefault(study(k), []).append(k)  # the earliest draw first
        done: set[int] = set()
        screened = None
        for d in decisions:
            keys = drawn_as.get(study(d.record_id)) if d.decision != "retract" and d.stage == "title_abstract" \
                else None
            if not keys:
                continue
            done.update(keys)
            if screened is None:
                screened = set(int(i) for i in self.current_decisions().index)
            if study(d.record_id) in screened:
                # a copy of a study screened before it was drawn (grouped since): no record of the
                # sample; its study's decision, changed later, is not one of the sample's
                continue
            prob, drawn = pending[keys[0]]
            if not d.sampled or d.sample_prob is None:
                # flagged by its caller (a script saving a batch's 'sampled' column) with no probability: logged
                # so, every later reading of the sample failed ("needs an inclusion probability")
                d.sampled, d.sample_prob = True, prob
            if d.sample_drawn_at is None:
                d.sample_drawn_at = drawn
        self._refuse_sampled_without_a_draw(decisions)
        if done:
            self.store.set_setting("pending_sample", {str(k): list(v) for k, v in pending.items() if k not in done})

    def _refuse_sampled_without_a_draw(self, decisions: list[Decision]) -> None:
        """A decision flagged sampled (``decide(..., sampled=True)``, a script passing a batch's 'sampled' column) with
        no probability, on a study no draw holds (pending, or logged with its probability: a second look at a drawn
        record), or with a probability outside (0, 1]: logged so, every later reading of the sample failed ("needs an
        inclusion probability"), and no withdrawal took the flag back."""
        flagged = [d for d in decisions if d.sampled and d.decision != "retract" and d.stage == "title_abstract"]
        odd = [d.record_id for d in flagged if d.sample_prob is not None and not _a_probability(d.sample_prob)]
        if odd:
            which = f"record {odd[0]}" if len(odd) == 1 else f"records {', '.join(map(str, odd))}"
            raise InputError(f"{which}: marked as drawn at random for the recall check (sampled) with an inclusion "
                             "probability that is not a chance between 0 and 1. Give the chance it had of being "
                             "drawn, or save the decision without sampled. Nothing was saved.")
        bare = [d for d in flagged if d.sample_prob is None]
        if not bare:
            return
        log = self._study_log("title_abstract")
        drawn = set(log.loc[log["sampled"].astype(bool) & log["sample_prob"].notna(), "group_record_id"])
        primary = self._primary_of()
        bad = [d.record_id for d in bare if int(primary.get(int(d.record_id), int(d.record_id))) not in drawn]
        if bad:
            one = len(bad) == 1
            which = f"record {bad[0]} was" if one else f"records {', '.join(map(str, bad))} were"
            raise InputError(f"{which} not drawn at random (no random sample of screener's holds "
                             f"{'it' if one else 'them'}), but marked as drawn for the recall check (sampled) with no "
                             "inclusion probability. Give sample_prob (the chance it had of being drawn), or save the "
                             "decision without sampled (the record counts as screened like any other), or draw a "
                             "random sample with 'screener next --sample' and decide the records it marks. Nothing "
                             "was saved.")

    def undo(self, record_id: int, *, reviewer: str = "reviewer", stage: str = "title_abstract", origin: str = "cli") -> int:
        """Withdraw a reviewer's decision: a new 'retract' entry; the old one stays in the log.
        Only one's own: a withdrawal by someone with no decision on the study would be logged
        and change nothing, so it is refused with a word. A resolver's decision is withdrawn as
        a resolver's (the conflict is open again). The withdrawal is logged on the record the
        decision was made on (a copy, in a study of several records), so that records taken
        apart later each keep what was done on them."""
        mine = self.own_decision(record_id, reviewer, stage=stage)
        if mine is None:
            raise InputError(f"record {record_id}: {reviewer} has no decision on it to withdraw. A decision can be "
                             "withdrawn by the reviewer who made it; to change someone else's, enter your own "
                             "decision.")
        return self.decide(int(mine["record_id"]), "retract", reviewer=reviewer, stage=stage, origin=origin,
                           role=str(mine["role"]))

    def withdraw_many(self, record_ids: list[int], *, reviewer: str = "reviewer", stage: str = "title_abstract",
                      origin: str = "cli", unnamed: str | None = None) -> list[tuple[int, pd.Series]]:
        """Withdraw ``reviewer``'s own decisions on several records at once, as ``undo`` does one: all or
        nothing, in one transaction. Every record that does not exist, or holds no decision of theirs, is
        named and nothing is withdrawn (one refused after the others were saved would leave the reviewer to
        work out which went through). (record id given, the decision withdrawn), a study's once.
        ``unnamed``: the command run without a reviewer's name (single screening), whose refusals say what
        there is to withdraw and whose name to add, not that 'reviewer' (screener's stand-in) has none."""
        ids = [int(i) for i in record_ids]
        known = set(self.store.records_frame(ids).index)
        no_decision = (self._unnamed_refusal(unnamed, stage) if unnamed is not None
                       else lambda rid: f"record {rid}: {reviewer} has no decision on it to withdraw")
        tail = ("Without --reviewer, withdraw takes back the decisions entered without a reviewer's name."
                if unnamed is not None else "A decision can be withdrawn by the reviewer who made it; to change "
                "someone else's, enter your own decision.")

        def theirs() -> list[tuple[int, pd.Series]]:
            found, wrong, seen = [], [], set()
            for rid in ids:
                mine = self.own_decision(rid, reviewer, stage=stage) if rid in known else None
                if rid not in known:
                    wrong.append(f"no record {rid} in this review")
                elif mine is None:
                    wrong.append(no_decision(rid))
                elif int(mine["decision_id"]) not in seen:  # two copies of one study given: its decision once
                    seen.add(int(mine["decision_id"]))
                    found.append((rid, mine))
            if wrong:
                raise InputError(f"{'; '.join(wrong)}. Nothing was withdrawn. {tail}")
            return found

        found = theirs()
        # checked again in the save's turn at the log: a decision withdrawn meanwhile (a browser tab) is seen
        self.decide_many([Decision(record_id=int(m["record_id"]), decision="retract", reviewer=reviewer, stage=stage,
                                   origin=origin, role=str(m["role"])) for _, m in found], check=theirs)
        return found

    def _unnamed_refusal(self, command: str, stage: str):
        """``withdraw_many``'s words for a record with no decision entered without a reviewer's name: none at
        all at ``stage``, or the names its decision was entered under and ``command`` with the first."""
        votes = self.reviewer_decisions(stage=stage)
        at = "at full text" if stage == "full_text" else "at title and abstract"

        def refusal(rid: int) -> str:
            study = int(self._primary_of().get(rid, rid))
            names = list(dict.fromkeys(votes.loc[votes["group_record_id"] == study, "reviewer"].astype(str)))
            if not names:
                return f"record {rid} has no decision {at} to withdraw"
            return (f"record {rid}: its decision was entered under the name {' and '.join(names)}; to withdraw "
                    f"it, run '{command} {rid} --reviewer {shell_quote(names[0])}"
                    + (" --stage full_text'" if stage == "full_text" else "'"))
        return refusal

    def back_into_sample(self, withdrawn: list[Decision]) -> None:
        """After withdrawals (``retract`` entries, already logged): a study drawn into the random
        sample with no decision standing on it now is a drawn record not screened. It goes back to
        the pending sample with its draw's probability and time, so the stop waits for it (as for
        a sampled row left blank) and its next decision is the sample's however it arrives. Left
        out, the draw lost it for good: nothing put it back in front of the reviewer, and a
        sampled include withdrawn and never decided again was both missed and gone from the
        sample whose includes can veto a stop."""
        withdrawn = [d for d in withdrawn if d.decision == "retract"]
        if not withdrawn:
            return
        logs: dict[str, pd.DataFrame] = {}
        primary = self._primary_of()
        pending = None
        for d in withdrawn:
            if d.stage not in logs:
                logs[d.stage] = self._study_log(d.stage)
            log = logs[d.stage]
            study = int(primary.get(int(d.record_id), int(d.record_id)))
            mine = log[log["group_record_id"] == study]
            drawn = mine[mine["sampled"].astype(bool) & (mine["decision"] != "retract")]
            if drawn.empty or not self._latest_per_reviewer(mine).empty:
                continue  # never drawn, or someone's decision still stands on it
            pending = self._pending_sample() if pending is None else pending
            at = drawn["sample_drawn_at"].dropna()
            pending[study] = (float(drawn["sample_prob"].iloc[0]), None if at.empty else int(at.min()))
        if pending is not None:
            self.store.set_setting("pending_sample", {str(k): list(v) for k, v in pending.items()})

    def own_decision(self, record_id: int, reviewer: str, *, stage: str = "title_abstract",
                     role: str | None = None) -> pd.Series | None:
        """``reviewer``'s latest decision in force on the study of ``record_id`` (a row of the log,
        with the record it was made on and its role; only in ``role`` when given), None when
        they have none."""
        study = int(self._primary_of().get(int(record_id), int(record_id)))
        log = self._study_log(stage)
        mine = self._latest_per_reviewer(log[(log["group_record_id"] == study) & (log["reviewer"] == reviewer)])
        if role is not None:
            mine = mine[mine["role"] == role]
        return None if mine.empty else mine.iloc[-1]

    def own_decision_role(self, record_id: int, reviewer: str, *, stage: str = "title_abstract") -> str | None:
        """The role ("reviewer" or "resolver") of ``reviewer``'s latest decision in force on the
        study of ``record_id``, None when they have none (nothing of theirs to withdraw)."""
        mine = self.own_decision(record_id, reviewer, stage=stage)
        return None if mine is None else str(mine["role"])

    def decision_log(self) -> pd.DataFrame:
        return self.store.decisions_frame()

    def _study_log(self, stage: str) -> pd.DataFrame:
        """The decision log of one stage, each entry tagged with its study (group primary id). A decision logged
        as sampled with no inclusion probability (``sampled_without_a_probability``) reads as not sampled."""
        log = self.store.decisions_frame()
        log = self._as_settled(log[log["stage"] == stage])
        odd = _sampled_without_a_probability(log)
        if odd.any():
            log = log.assign(sampled=log["sampled"].astype(bool) & ~odd)
        return log.assign(group_record_id=log["record_id"].map(self._primary_of()).fillna(log["record_id"]).astype(int))

    def sampled_without_a_probability(self, stage: str = "title_abstract") -> list[int]:
        """Records whose decision was logged as sampled with no inclusion probability (saved before such a
        decision was refused: ``_refuse_sampled_without_a_draw``). No draw's record: read as not sampled."""
        log = self.store.decisions_frame()
        log = log[log["stage"] == stage]
        return sorted({int(r) for r in log.loc[_sampled_without_a_probability(log), "record_id"]})

    @staticmethod
    def _latest_per_reviewer(log: pd.DataFrame) -> pd.DataFrame:
        last = log.groupby(["group_record_id", "reviewer", "role"], sort=False).tail(1)
        return last[last["decision"] != "retract"].sort_values("decision_id")

    def standing_resolutions(self, last: pd.DataFrame, log: pd.DataFrame | None = None,
                             stage: str = "title_abstract") -> pd.DataFrame:
        """The resolver decisions that still settle their study (``last``: ``reviewer_decisions``,
        ``log``: the stage's study log when already read), one per study. A reviewer who changes
        their decision after the conflict was settled reopens it (the reviewers may now agree, and
        their agreement counts, or disagree anew); so does a reviewer new to the study who
        disagrees with the settled decision, and two reviewers' votes on the rest excluded unread.
        Entering the same decision again (with a note, or after withdrawing it), or withdrawing it,
        changes nothing."""
        resolved = last[last["role"] == "resolver"].groupby("group_record_id").tail(1)
        if resolved.empty:
            return resolved
        log = self._study_log(stage) if log is None else log
        votes = log[(log["role"] == "reviewer") & log["group_record_id"].isin(resolved["group_record_id"])]
        now = last[(last["role"] == "reviewer")].set_index(["group_record_id", "reviewer"])["decision"]
        keep = []
        for res in resolved.itertuples(index=False):
            before = votes[(votes["group_record_id"] == res.group_record_id) & (votes["decision_id"] < res.decision_id)]
            before = before.groupby("reviewer").tail(1)
            then = {r: d for r, d in zip(before["reviewer"], before["decision"]) if d != "retract"}
            current = now.xs(res.group_record_id, level=0) if res.group_record_id in now.index.get_level_values(0) \
                else pd.Series(dtype=object)
            reopened = any(d != then.get(r, res.decision) for r, d in current.items())
            # the rest excluded unread at the stop (an import's excludes on the records nobody had screened), then
            # screened by the reviewers: their votes count, as on a study never settled (kept, their --all-read
            # left the records excluded unscreened)
            reopened = reopened or (is_rest_excluded(res.origin) and len(current) >= 2
                                    and any(r not in then for r in current.index))
            keep.append(not reopened)
        return resolved[np.asarray(keep, dtype=bool)]

    def reviewer_decisions(self, *, stage: str = "title_abstract") -> pd.DataFrame:
        """Each reviewer's latest decision per study (group primary), retractions applied.

        Columns: group_record_id (the primary's id), reviewer, role, decision, sampled,
        sample_prob, decision_id. A reviewer who retracted has no row for that study.
        """
        return self._latest_per_reviewer(self._study_log(stage))

    def current_decisions(self, *, stage: str = "title_abstract", reviewer: str | None = None) -> pd.DataFrame:
        """The current decision per study (indexed by the primary record id), in the order first decided.

        Single mode: the latest decision by anyone whose decision stands (an undo withdraws its
        reviewer's own decision; the study is unscreened again when no one else's stands).
        Dual mode: a resolver's decision (made after the reviewers' current ones), else the
        decision when every reviewer who screened the study agrees and at least two did;
        disagreements are absent here (see ``conflicts``).
        With ``reviewer``, that reviewer's own screening decisions (one per study: a conflict
        they also settled as resolver is not screened twice, nor one they settled without
        screening it screened by them, as on the web).
        """
        log = self._study_log(stage)
        cols = ["decision", "sampled", "sample_prob", "sample_drawn_at", "reviewer", "decision_id", "origin"]
        if log.empty:
            return pd.DataFrame(columns=cols, index=pd.Index([], name="record_id"))
        if reviewer is not None:
            last = self._latest_per_reviewer(log)
            out = last[(last["reviewer"] == reviewer) & (last["role"] != "resolver")]
        elif self.settings.get("mode") == "dual":
            last = self._latest_per_reviewer(log)
            resolved = self.standing_resolutions(last, log, stage)
            votes = last[last["role"] == "reviewer"]
            agg = votes.groupby("group_record_id").agg(n=("decision", "size"), k=("decision", "nunique"))
            agreed_ids = agg.index[(agg["n"] >= 2) & (agg["k"] == 1)]
            agreed = votes[votes["group_record_id"].isin(agreed_ids) & ~votes["group_record_id"].isin(
                resolved["group_record_id"])]
            out = pd.concat([resolved, self._agreed_as_read(agreed)])
        else:  # a withdrawal takes back its reviewer's own decision: a teammate's earlier one stands again
            out = self._latest_per_reviewer(log).groupby("group_record_id").tail(1)
        order = log.groupby("group_record_id")["decision_id"].min()
        out = out.set_index("group_record_id")[cols]
        out = out.loc[order.reindex(out.index).sort_values(kind="stable").index]
        out.index.name = "record_id"
        return self._with_draws(out, log)

    @staticmethod
    def _agreed_as_read(agreed: pd.DataFrame) -> pd.DataFrame:
        """One row per study the reviewers agree on (``agreed``: their standing votes): the later vote,
        with the origin of the rest excluded unread at a stop when any of them is one (``REST_EXCLUDED``).
        Taken from the later vote alone, a study one reviewer read and the other excluded unread counted
        as screened when the reader came last and as excluded unscreened when the other did."""
        last = agreed.groupby("group_record_id").tail(1)
        rest = agreed[rest_excluded(agreed["origin"])].groupby("group_record_id")["origin"].last()
        hit = last["group_record_id"].isin(rest.index).to_numpy() & ~rest_excluded(last["origin"])
        if not hit.any():
            return last
        last = last.copy()
        last.loc[hit, "origin"] = last.loc[hit, "group_record_id"].map(rest).to_numpy()
        return last

    @staticmethod
    def _with_draws(out: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
        """A study drawn into a random sample stays in it, with its draw's probability and time,
        whatever decision stands now: an undo and the same decision again, or a correction, is
        logged unflagged (the draw is no longer pending), and the sample would lose the study and
        its include, which is what lets the sample veto a stop."""
        drawn = log[log["sampled"].astype(bool) & (log["decision"] != "retract")]
        if drawn.empty:
            return out
        first = drawn.groupby("group_record_id").agg(prob=("sample_prob", "first"), at=("sample_drawn_at", "min"))
        hit = out.index.isin(first.index)  # (a web re-decision comes flagged, but without the draw's time)
        if not hit.any():
            return out
        out = out.copy()
        ids = out.index[hit]
        out.loc[hit, "sampled"] = 1 if out["sampled"].dtype.kind in "iu" else True
        out.loc[hit, "sample_prob"] = first.loc[ids, "prob"].to_numpy()
        out.loc[hit, "sample_drawn_at"] = first.loc[ids, "at"].to_numpy()
        return out

    def conflicts(self, *, stage: str = "title_abstract") -> pd.DataFrame:
        """Dual screening: studies where reviewers disagree and no resolver has decided, with each
        reviewer's decision, note and reason, and ``unread``: an exclude given to the records left unread
        at the reviewer's stop (``REST_EXCLUDED``), no reading the resolver can weigh as one."""
        last = self.reviewer_decisions(stage=stage)
        if last.empty:
            return pd.DataFrame(columns=["record_id", "reviewer", "decision", "note", "reason", "unread"])
        resolved = set(self.standing_resolutions(last, stage=stage)["group_record_id"])
        votes = last[(last["role"] == "reviewer") & ~last["group_record_id"].isin(resolved)]
        k = votes.groupby("group_record_id")["decision"].nunique()
        ids = k.index[k > 1]
        out = votes[votes["group_record_id"].isin(ids)].reindex(
            columns=["group_record_id", "reviewer", "decision", "note", "reason", "origin"])
        out = out.assign(unread=rest_excluded(out["origin"])).drop(columns="origin")
        return out.rename(columns={"group_record_id": "record_id"}).reset_index(drop=True)

    def labels(self, *, stage: str = "title_abstract", current: pd.DataFrame | None = None) -> pd.Series:
        """Training labels per study: include and maybe = 1, exclude = 0.

        A maybe trains as an include: it goes on to full text and the stopping methods count it as found, so a
        ranking that left it out learnt nothing from the uncertain relevant records the recall counts.
        ``current``: ``current_decisions(stage=stage)`` when the caller has already read it."""
        cur = self.current_decisions(stage=stage) if current is None else current
        cur = cur[cur["decision"].isin(["include", "maybe", "exclude"])]
        return (cur["decision"] != "exclude").astype(int)

    def _primary_of(self) -> pd.Series:
        return self.store.primary_map()  # the duplicates' primaries (the rest are their own)

    def _retracted_studies(self, df: pd.DataFrame, key: pd.Series) -> set[int]:
        """The studies (``key``: each row's) a copy of which is titled as retracted, the rows' own or another."""
        from .dedup import marked_retracted

        own = {int(k) for k, t in zip(key, df["title"]) if isinstance(t, str) and marked_retracted(t)}
        return own | set(self.retracted_copies(set(key))) | self.retracted_in_exports(set(key))

    def _central_accessions(self, df: pd.DataFrame) -> dict[int, str]:
        """{record: CENTRAL's accession number} of CENTRAL's copies of register entries among ``df``'s records: their
        id is the trial id, which de-duplication joins a trial's entries by, and the number a reviewer reports
        CENTRAL's records by is in their original record only."""
        return {r: cn for r, raw in self._register_raws(df).items() if (cn := central_accession(raw))}

    def _other_registrations(self, df: pd.DataFrame) -> dict[int, str]:
        """{record: its trial's other registrations} of the register entries among ``df``'s records, as their
        register's export lists them ('Secondary ID', 'Other IDs'): de-duplication joins the trial's entries in other
        registers by them, and a table export keeps no original record, so a project it went into lost them."""
        return {r: listed for r, raw in self._register_raws(df).items() if (listed := _registrations_listed(raw))}

    def _register_raws(self, df: pd.DataFrame) -> dict[int, object]:
        """{record: its original record} of the register entries among ``df``'s records (their export's own
        fields hold what the record's columns do not)."""
        from .io.common import REGISTRY_RECORD

        if "type" not in df.columns:
            return {}
        ids = [int(r) for r, t in zip(df.index, df["type"]) if t == REGISTRY_RECORD]
        if not ids:
            return {}
        return {int(r): raw for r, raw in self.store.records_frame(ids, with_raw=True)["raw"].items()}

    def retracted_copies(self, record_ids=None) -> dict[int, int]:
        """{study: copy} for the studies (among ``record_ids``, else all) a copy of which, not the record screened,
        is titled as retracted ("RETRACTED: <title>", "(Retracted article. ...)", "[Retracted]"): the copy with the
        abstract is screened, and the reviewer must still see that the article was retracted."""
        from .dedup import marked_retracted

        primary = self._primary_of()
        # the copies only: a store may list each primary as its own ("a copy of this record (record 1)" was said on
        # record 1, titled so itself)
        primary = primary[primary.index.to_numpy() != primary.to_numpy()]
        if record_ids is not None:
            primary = primary[primary.isin([int(r) for r in record_ids])]
        if primary.empty:
            return {}
        titles = self.store.records_frame(sorted(int(r) for r in primary.index))["title"]
        return {int(primary[c]): int(c) for c, t in reversed(list(titles.items()))
                if isinstance(t, str) and marked_retracted(t)}  # reversed: the lowest record id of several

    def retracted_in_exports(self, record_ids=None) -> set[int]:
        """The studies (among ``record_ids``, else all) a record of which came from a screener export that marked it
        retracted (its 'retracted' column, its RIS note), the copy titled so left out of the file: the reviewer must
        still see that the article was retracted, and the next export say it."""
        from .io.ris import RETRACTED_NOTE

        primary = self._primary_of()
        wanted = None if record_ids is None else {int(r) for r in record_ids}
        if wanted is not None and len(wanted) <= _FEW_STUDIES:  # a record on screen, a batch: their copies read whole
            found = sorted(wanted | {int(r) for r in primary.index[primary.isin(wanted)]})
        else:  # the marks, looked for inside the database: each row of an export with the column holds 'retracted'
            found = self.store.record_ids_whose_raw_holds({"retracted": "yes"}, {"retracted": " "}, RETRACTED_NOTE)
        if not found:
            return set()
        recs = self.store.records_frame(found, with_raw=True)
        marked = [int(r) for r, rec in zip(recs.index, recs.to_dict("records")) if marked_retracted_in_export(rec)]
        studies = {int(primary.get(r, r)) for r in marked}
        return studies if wanted is None else studies & wanted

    # -- summaries -------------------------------------------------------------------------------
    def prisma_counts(self) -> dict:
        """Identification and screening numbers for a PRISMA 2020 flow diagram."""
        # read in parts, from one state of the review: a teammate's import committed between the
        # records and their duplicate groups made the counts disagree (and fail)
        with self.store.snapshot():
            return self._prisma_counts()

    def _prisma_counts(self) -> dict:
        from .dedup import prisma_counts

        records, sources = self._record_databases()
        groups = self.store.duplicate_groups_frame()
        # imported with --no-dedup (all files, or only the later ones): a record not de-duplicated
        # yet is its own study, as the records list, 'status' and the export count it
        loose = records.index[~records.index.isin(groups["record_id"])]
        if len(loose):
            groups = pd.concat([groups, pd.DataFrame({"record_id": loose, "group_id": loose, "is_primary": True,
                                                      "reason": ""})], ignore_index=True)
        counts = prisma_counts(records, groups) if not records.empty else {
            "identified_per_source": {}, "identified": 0, "duplicates_removed": 0, "after_deduplication": 0}
        # and said apart: 'duplicates removed 0' of records no one de-duplicated read as checked, none found
        counts["not_deduplicated"] = int(len(loose))
        # PRISMA 2020 has two columns: databases and registers (each with its count), and other methods
        # (hand search, citations); every source is in one of the three
        settings = self.settings
        kinds = {k: _source_kind(k, settings) for k in counts["identified_per_source"]}
        for kind, key in (("other", "other_methods_per_source"), ("register", "registers_per_source"),
                          ("database", "databases_per_source")):
            counts[key] = {k: v for k, v in counts["identified_per_source"].items() if kinds[k] == kind}
        counts["identified_other"] = int(sum(counts["other_methods_per_source"].values()))
        counts["identified_registers"] = int(sum(counts["registers_per_source"].values()))
        counts["identified_databases"] = int(counts["identified"] - counts["identified_other"]
                                             - counts["identified_registers"])
        # the files imported, which are not the databases: the methods text says both
        files = [_source_kind(s, settings) for s in sources["source_db"]]
        counts["other_method_files"] = files.count("other")
        counts["register_files"] = files.count("register")
        counts["database_files"] = len(files) - counts["other_method_files"] - counts["register_files"]
        counts["searches"] = self._searches(records, sources, groups, loose=set(loose))
        cur = self.current_decisions()
        # the rest excluded unread at the stop ('label --decision exclude' on the records left): PRISMA 2020's
        # records not screened, not screened ones (``store.base.REST_EXCLUDED``)
        rest = rest_excluded(cur["origin"])
        counts["excluded_unscreened"] = int(rest.sum())
        decided, cur = cur, cur[~rest]
        counts["screened"] = int(len(cur))
        counts["included"] = int((cur["decision"] == "include").sum())
        counts["excluded"] = int((cur["decision"] == "exclude").sum())
        counts["maybe"] = int((cur["decision"] == "maybe").sum())
        # dual screening: a study one reviewer decided, or the two disagree on, is screened but has
        # no decision yet; counted as "not screened" it read as records nobody had looked at
        counts["awaiting_agreement"] = waiting = self._awaiting_agreement(decided)  # the rest is not awaited
        counts["not_screened"] = int(counts["after_deduplication"] - len(cur) - waiting)
        # PRISMA's next boxes: reports assessed for eligibility, excluded, studies included; in dual
        # screening a report the reviewers disagree on (or one has assessed) is assessed, awaiting
        # agreement: left out, it dropped out of the boxes, which then did not add up
        ft = self.current_decisions(stage="full_text")
        waiting_ids = self._awaiting_ids(ft, stage="full_text")
        if waiting_ids:  # only a "not retrieved" from one reviewer: nobody has read it, so it is still to retrieve
            votes = self.reviewer_decisions(stage="full_text")
            read = set(votes.loc[votes["decision"] != NOT_RETRIEVED, "group_record_id"].astype(int))
            waiting_ids = [s for s in waiting_ids if int(s) in read]
        counts["full_text_awaiting"] = ft_waiting = len(waiting_ids)
        # PRISMA 2020: reports sought for retrieval, of which not retrieved (the full text could not be
        # obtained: not assessed, so neither an exclusion with a reason nor an include), the rest assessed
        counts["full_text_not_retrieved"] = not_retrieved = int((ft["decision"] == NOT_RETRIEVED).sum())
        counts["full_text_assessed"] = int(len(ft)) - not_retrieved + ft_waiting
        for word, decision in (("included", "include"), ("excluded", "exclude"), ("maybe", "maybe")):
            counts[f"full_text_{word}"] = int((ft["decision"] == decision).sum())
        # passed on at title and abstract (include or maybe), with no full-text decision yet (not even
        # 'not retrieved'): still to retrieve or assess. Left out, the flow lost them between the boxes (20 passed
        # on, 18 assessed, and no word of the other 2)
        assessed = set(ft.index) | set(waiting_ids)
        passed_on = cur.index[cur["decision"].isin(["include", "maybe"])]
        counts["full_text_not_assessed"] = int(sum(int(s) not in assessed for s in passed_on))
        counts["full_text_sought"] = int(len(passed_on))
        # and the other way round: assessed at full text, but excluded (or not screened) at title and
        # abstract; the flow counts them among the reports assessed, so its boxes cannot add up
        passed = {int(s) for s in passed_on}
        counts["full_text_not_passed_on"] = sorted(s for s in (int(s) for s in assessed) if s not in passed)
        # of them, those counted among the reports not retrieved (not assessed): the flow's note named them assessed
        gone = {int(s) for s in ft.index[ft["decision"] == NOT_RETRIEVED]}
        counts["full_text_not_retrieved_not_passed_on"] = [s for s in counts["full_text_not_passed_on"] if s in gone]
        counts["full_text_excluded_reasons"] = self.exclusion_reasons() if counts["full_text_excluded"] else {}
        return counts

    def _searches(self, records: pd.DataFrame, sources: pd.DataFrame, groups: pd.DataFrame,
                  loose: set | None = None) -> list[dict]:
        """The records identified by each search, by the day it was imported (the reviewer's local day, as the
        report's date), for PRISMA 2020's search dates and updated searches: a search update imported after
        title/abstract screening began is one of its own (``is_update``); which files are one search is
        ``_search_of``'s. The time is given where searches share a day (to the second where they share a minute).
        ``new``: the studies it found first (a study is the search's whose first-imported record it holds), which
        add up to the records after de-duplication; ``records`` add up to the records identified. ``unchecked``: of its
        records, those not de-duplicated yet (``loose``: imported with --no-dedup), each counted among ``new`` as a
        study of its own: "12 new after de-duplication" was said of 12 records never de-duplicated."""
        from .dedup import _source_of

        if records.empty:
            return []
        at = pd.to_datetime(sources["imported_at"], utc=True, errors="coerce", format="ISO8601").sort_values()
        log = self.store.decisions_frame()
        began = pd.to_datetime(log.loc[log["stage"] == "title_abstract", "created_at"], utc=True, errors="coerce",
                               format="ISO8601").min()
        key = self._search_of(at, began)
        start = {}  # each search's first file's import: its day, and whether screening had begun
        for sid, when in at.items():
            start.setdefault(key[sid], when)
        local = {k: None if pd.isna(w) else w.to_pydatetime().astimezone() for k, w in start.items()}
        days = [f"{w:%Y-%m-%d}" for w in local.values() if w is not None]
        minutes = [f"{w:%Y-%m-%d %H:%M}" for w in local.values() if w is not None]  # two imports in a row: seconds
        line = records["source_id"].map(key)
        first = groups.assign(record_id=groups["record_id"].astype(int)).groupby("group_id")["record_id"].min()
        new = line.reindex(first.to_numpy()).value_counts()
        out = []
        for k, w in local.items():
            mine = records[line == k]
            if len(mine):
                clock = "%H:%M:%S" if w is not None and minutes.count(f"{w:%Y-%m-%d %H:%M}") > 1 else "%H:%M"
                day = "" if w is None else f"{w:%Y-%m-%d}" + (f" at {w.strftime(clock)}"
                                                              if days.count(f"{w:%Y-%m-%d}") > 1 else "")
                out.append({"imported": day, "is_update": bool(w is not None and not pd.isna(began)
                                                                and start[k] > began),
                            "records": int(len(mine)), "new": int(new.get(k, 0)),
                            "per_source": {str(db): int(n) for db, n in _source_of(mine).value_counts().sort_index()
                                           .items()},
                            "unchecked": int(mine.index.isin(list(loose or ())).sum())})
        return out

    def _search_of(self, at: pd.Series, began) -> dict:
        """Each source's search (by source id; ``at``: the sources' import times, in order). The files of one import,
        as ``import_files`` notes them (``IMPORT_RUNS``), are one search, on the reviewer's day it began; the imports
        of one day with screening begun (``began``) or not share a line: a team imports each database's export on
        its own, one search (15 databases were 15 lines), and a search update's files after screening began are
        another. A file imported before imports were noted goes by its time: files imported within a minute of
        each other are one import, its day in UTC, as the screener that imported them said."""
        runs = self.store.get_setting(IMPORT_RUNS)
        run_of = {int(s): n for n, run in enumerate(runs if isinstance(runs, list) else []) if isinstance(run, list)
                  for s in run}
        run_start: dict[int, pd.Timestamp] = {}  # each noted import's first file's time
        for sid, when in at.items():
            if int(sid) in run_of and not pd.isna(when):
                run_start.setdefault(run_of[int(sid)], when)
        key, run = {}, None
        for sid, when in at.items():
            if int(sid) in run_of:
                first = run_start.get(run_of[int(sid)])
                key[sid] = (("import", run_of[int(sid)]) if first is None else
                            (f"{first.to_pydatetime().astimezone():%Y-%m-%d}", bool(not pd.isna(began)
                                                                                   and first > began)))
                run = None
                continue
            # the files of one import are one search, on the day it began (the import may pass midnight); the
            # decisions a file came with are made after its import began, so they make no update of its next file
            if run is None or pd.isna(when) or pd.isna(run[1]) or when - run[1] > pd.Timedelta(minutes=1):
                run = (when, when)
            run = (run[0], when)
            day = "" if pd.isna(run[0]) else f"{run[0]:%Y-%m-%d}"
            key[sid] = (day, bool(not pd.isna(began) and not pd.isna(run[0]) and run[0] > began))
        return key

    def record_databases(self) -> pd.Series:
        """Each record's database (by record id) as the PRISMA counts name it, so the records list finds
        the records each PRISMA count is made of (a ProQuest export counted as 'proquest' whose records
        name their sub-databases, 'ProQuest Central; Sociological Abstracts', were under no 'proquest')."""
        with self.store.snapshot():
            return self._record_databases()[0]["source_db"]

    def _record_databases(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(records with ``source_db``, the sources): each record under its file's database."""
        records = self.store.record_sources()  # ids and sources only: a big project has 100,000 abstracts
        # PRISMA counts records per database searched, under the name its export file was imported
        # with, even when one platform (ProQuest, Ovid) tags each record with the sub-database it
        # came from; two files from one database (a search exported in parts) count as one database
        sources = self.store.sources_frame()
        # one database under one name: a search update imported as '--source Medline' after an
        # export whose records say 'MEDLINE' is the same database, under the spelling first imported
        spelled = _database_spellings(sources["source_db"])
        sources["source_db"] = [spelled[_spelling_key(n)] if isinstance(n, str) else n for n in sources["source_db"]]
        records["source_db"] = records["source_id"].map(sources["source_db"])
        return records, sources

    def _awaiting_agreement(self, cur: pd.DataFrame, stage: str = "title_abstract") -> int:
        """Dual screening: studies of ``stage`` that one reviewer decided, or the two disagree on,
        with no decision in force yet (``cur``: ``current_decisions(stage=stage)``)."""
        return len(self._awaiting_ids(cur, stage=stage))

    def _awaiting_ids(self, cur: pd.DataFrame, stage: str = "title_abstract") -> list[int]:
        """The studies ``_awaiting_agreement`` counts."""
        if self.settings.get("mode") != "dual":
            return []
        votes = self.reviewer_decisions(stage=stage)
        unread = unread_alone(votes)  # one reviewer's exclude of the rest at their stop: still to screen
        return [int(s) for s in votes.loc[~votes["group_record_id"].isin(cur.index), "group_record_id"].unique()
                if int(s) not in unread]

    # -- export --------------------------------------------------------------------------------
    def export_frame(self, *, only: str | None = None, include_duplicates: bool = False,
                     reviewer: str | None = None, with_raw: bool = False,
                     full_text_reviewer: str | None = None) -> pd.DataFrame:
        """The records with each study's decision in force, who made it (``decided_by``) and the
        notes of the decisions in force only (``decision_note``): a note on a decision since
        changed or withdrawn would read as the reason for the one that stands. Full-text
        decisions, where the review has any, in ``full_text_decision`` / ``full_text_decided_by`` /
        ``full_text_note``.

        ``only``: one of ``EXPORT_SETS`` ("final" is the full-text includes; "included" the
        title/abstract ones). ``reviewer``: that reviewer's own decisions and notes only (blind
        dual screening). ``with_raw``: with each record's original (``raw``), which the RIS export
        copies its ISSN, publisher, place, language and abbreviated journal from.
        ``full_text_reviewer``: that reviewer's own full-text decisions only, the team's at title and
        abstract (a reviewer still blind at full text once the title/abstract blinding is over)."""
        with self.store.snapshot():  # the records, their groups and the decisions of one state of the review
            return self._export_frame(only=only, include_duplicates=include_duplicates, reviewer=reviewer,
                                      with_raw=with_raw, full_text_reviewer=full_text_reviewer or reviewer)

    def _export_frame(self, *, only, include_duplicates, reviewer, with_raw, full_text_reviewer=None) -> pd.DataFrame:
        df = self.records_frame(primary_only=not include_duplicates, with_raw=with_raw)
        if with_raw and not df.empty:
            from .io.details import ris_original

            fmt = self.store.sources_frame()["format"]
            df["raw"] = [ris_original(fmt.get(sid), raw) for sid, raw in zip(df["source_id"], df["raw"])]
        primary = self._primary_of()
        key = pd.Series(df.index, index=df.index).map(primary).fillna(pd.Series(df.index, index=df.index)).astype(int)
        for stage, prefix, whose in (("title_abstract", "", reviewer), ("full_text", "full_text_", full_text_reviewer)):
            cur = self.current_decisions(stage=stage, reviewer=whose)
            if stage != "title_abstract" and cur.empty:
                continue
            picked: dict = {}
            decision, who, note, reason = self._decisions_in_force(cur, stage, own=whose is not None, picked=picked)
            df[prefix + "decision"] = [decision.get(k, "") for k in key]
            if not prefix:
                unread = set(cur.index[rest_excluded(cur["origin"])]) if "origin" in cur.columns else set()
                if unread:  # the rest excluded unread at the stop: a plain 'exclude' read as screened where it went
                    df[UNREAD_COLUMN] = [UNREAD_CELL if k in unread else "" for k in key]
            # who made it, at each stage: a full-text exclusion's reviewer is asked after as often as the screening's
            df[prefix + "decided_by"] = [who.get(k, "") for k in key]
            df[prefix + ("decision_note" if not prefix else "note")] = [note.get(k, "") for k in key]
            if any(reason.values()):  # a column of reasons only where someone gave one
                df[prefix + ("decision_reason" if not prefix else "reason")] = [reason.get(k, "") for k in key]
            if not prefix and whose is None:  # a blind reviewer's page is not told its rankings: nor is her export
                ranked = self._ranking_places(picked)
                if ranked:  # which ranking each decision came from, only where one was logged with a decision
                    df[RANKING_COLUMNS[0]] = [ranked.get(k, ("", ""))[0] for k in key]
                    df[RANKING_COLUMNS[1]] = [ranked.get(k, ("", ""))[1] for k in key]
        retracted = self._retracted_studies(df, key)
        if retracted:  # a column only where a copy of a study is titled as retracted, whichever copy is screened
            df["retracted"] = ["yes" if k in retracted else "" for k in key]
        central = self._central_accessions(df)
        if central:  # a column only where CENTRAL's copy of a register entry is exported, its id the trial id
            df[CENTRAL_COLUMN] = [central.get(int(r), "") for r in df.index]
        others = self._other_registrations(df)
        if others:  # a column only where a register entry names its trial's other registrations
            df[OTHER_IDS_COLUMN] = [others.get(int(r), "") for r in df.index]
        df = df.rename(columns={"group_id": "duplicate_group"})
        if "source_db" in df.columns:
            sources = self.store.sources_frame()
            if "source_id" in df.columns:
                # a record whose file named no database (the readers' stand-in: the file's name) under the source
                # PRISMA counted it in: 'search (1).ris' of a search whose first part was imported as --source
                # Medline was 'search (1)', and its export imported again read as one source more
                # (looked up in dicts: a Series lookup per record took seconds for 100,000 records)
                named = {s: n for s, n in sources["source_db"].items() if isinstance(n, str)}
                stem = {s: Path(str(f)).stem for s, f in sources["file_name"].items()}
                df["source_db"] = [named[s] if s in named and (
                    not isinstance(db, str) or not db.strip() or db == stem[s]) else db
                    for s, db in zip(df["source_id"], df["source_db"])]
            # each database under the spelling the import and the PRISMA counts gave it: a search update imported
            # as '--source "Medline "' after an export whose records say 'MEDLINE' was 'Medline ' here
            spelled = _database_spellings(sources["source_db"])
            df["source_db"] = [spelled.get(_spelling_key(n), n) if isinstance(n, str) else n for n in df["source_db"]]
        if only is None:
            return df
        if only not in EXPORT_SETS:
            raise InputError(f"--only must be one of {', '.join(EXPORT_SETS)}, not {only!r}.{export_set_hint(only)} "
                             "The sets: "
                             + "; ".join(f"{k}: {v}" for k, v in EXPORT_SETS.items()) + ".")
        if only == "final":
            if "full_text_decision" not in df.columns:
                waiting = self._awaiting_agreement(self.current_decisions(stage="full_text"), stage="full_text") \
                    if full_text_reviewer is None else 0
                if waiting:  # dual screening: assessed, but no decision agreed or resolved yet
                    from .status import team_size

                    them = "it" if waiting == 1 else "them"
                    many = team_size(self) > 2  # a team of three: 'the second reviewer' named nobody
                    raise InputError(f"no full-text decision is agreed yet, so there are no final includes to "
                                     f"export (nothing was written): {waiting} full "
                                     f"{'text awaits' if waiting == 1 else 'texts await'} the "
                                     f"{'' if many else 'two '}reviewers' agreement "
                                     f"(one reviewer has assessed {them}, or the two disagree). Settle {them} on the "
                                     f"Conflicts page of 'screener serve {shell_quote(self.dir)}', or have "
                                     f"{'a' if many else 'the'} second reviewer assess {them} "
                                     f"('screener label {shell_quote(self.dir)} "
                                     "YOUR_DECISIONS.csv --stage full_text --reviewer NAME').")
                raise InputError("there are no full-text decisions yet, so there are no final includes to export "
                                 "(nothing was written). Enter the full-text decisions with 'screener label "
                                 f"{shell_quote(self.dir)} YOUR_DECISIONS.csv --stage full_text'; the records "
                                 "included at title and abstract are the set 'included'.")
            return df[df["full_text_decision"] == "include"]
        want = {"included": "include", "excluded": "exclude", "maybe": "maybe", "unscreened": ""}
        return df[df["decision"] == want[only]]

    def _decisions_in_force(self, cur: pd.DataFrame, stage: str, own: bool = False,
                            picked: dict | None = None) -> tuple[dict, dict, dict, dict]:
        """Per study: (decision, who decided it, the notes of the decisions it rests on, their
        reason). In single screening that is the current decision; in dual screening the agreeing
        reviewers' (or the resolver's and the reviewers'), each note with its reviewer's name. A
        note counts while its reviewer's decision stays the same (entered again without a note, it
        stands); the import's own 'imported from FILE' notes are left out (the source says so). A
        reason is the latest given while the decision stays the same (one per decision, as PRISMA
        counts them); in dual screening the resolver's, else the agreeing reviewers' (each reason
        once, joined with '; '). ``own``: ``cur`` holds one reviewer's own decisions. ``picked`` gets, per study,
        the (ranking id, record id) logged with each decision it rests on, in the order of who decided it."""
        log = self._study_log(stage)
        picked = {} if picked is None else picked
        ranked = (pd.to_numeric(log["ranking_id"], errors="coerce") if "ranking_id" in log.columns
                  else pd.Series(np.nan, index=log.index))
        pick = dict(zip(log["decision_id"], zip(ranked, log["record_id"])))
        run: dict[tuple, list[str]] = {}
        why: dict[tuple, str] = {}
        last: dict[tuple, str] = {}
        # single screening: the study's reason while anyone's decision on it stays the same. A teammate
        # entering the same exclusion again without one (a final list read back) left 'no reason given'
        study_why: dict[int, str] = {}
        study_last: dict[int, str] = {}
        reasons = log["reason"] if "reason" in log.columns else pd.Series(None, index=log.index, dtype=object)
        for study, who, role, dec, text, origin, because in zip(log["group_record_id"], log["reviewer"], log["role"],
                                                                log["decision"], log["note"], log["origin"], reasons):
            k = (int(study), who, role)
            if dec != last.get(k):
                run[k], why[k] = [], ""
            last[k] = dec
            if dec != study_last.get(int(study)):  # a withdrawal ends the run too
                study_last[int(study)], study_why[int(study)] = dec, ""
            if dec != "retract" and isinstance(because, str) and because.strip():
                study_why[int(study)] = " ".join(because.split())
            if dec != "retract" and isinstance(text, str) and text.strip() and not (
                    origin == "import" and text.startswith("imported from ")) and text not in run[k]:
                run[k].append(text.strip())
            if dec != "retract" and isinstance(because, str) and because.strip():
                why[k] = " ".join(because.split())
        dual = self.settings.get("mode") == "dual" and not own
        decision = cur["decision"].to_dict()
        who, note, reason = {}, {}, {}
        if not dual:
            role = log.set_index("decision_id")["role"]
            for study, r in zip(cur.index, cur.itertuples(index=False)):
                k = (int(study), r.reviewer, role.get(r.decision_id, "reviewer"))
                who[int(study)] = r.reviewer
                picked[int(study)] = [pick.get(r.decision_id, (np.nan, study))]
                note[int(study)] = "; ".join(run.get(k, []))
                reason[int(study)] = why.get(k, "") or (
                    study_why.get(int(study), "") if not own and study_last.get(int(study)) == r.decision else "")
            return decision, who, note, reason
        votes = self._latest_per_reviewer(log)
        votes = votes[votes["group_record_id"].isin(cur.index)]
        if votes.empty:
            return decision, who, note, reason
        study = votes["group_record_id"].astype(int)
        resolver = (votes["role"] == "resolver").to_numpy()
        # who: the resolver whose decision is the study's, else the reviewers who agree on it
        deciding = np.where(resolver, votes["decision_id"].to_numpy() == study.map(cur["decision_id"]).to_numpy(),
                            votes["decision"].to_numpy() == study.map(cur["decision"]).to_numpy())
        names = votes["reviewer"].astype(str) + np.where(resolver, " (resolver)", "")
        who = {}
        picks = pd.Series([pick.get(i, (np.nan, s)) for i, s in zip(votes["decision_id"], study)], index=votes.index)
        for mask in (deciding & ~resolver, deciding & resolver):  # a resolver's name replaces the reviewers'
            who.update(names[mask].groupby(study[mask]).agg(", ".join).to_dict())
            picked.update(picks[mask].groupby(study[mask]).agg(list).to_dict())
        texts = ["; ".join(run.get((int(s), r, ro), [])) for s, r, ro in zip(study, votes["reviewer"], votes["role"])]
        said = pd.Series([f"{n}: {t}" if t else "" for n, t in zip(names, texts)], index=votes.index)
        # a resolution that a reviewer's change reopened is no longer in force: its note (the reason
        # for a decision the study no longer has) is not exported beside the reviewers' agreement
        said = said[(said != "").to_numpy() & (~resolver | deciding)]
        note = said.groupby(study[said.index]).agg(" | ".join).to_dict()
        given = pd.Series([why.get((int(s), r, ro), "") for s, r, ro in zip(study, votes["reviewer"], votes["role"])],
                          index=votes.index)
        for mask in (deciding & ~resolver, deciding & resolver):  # a resolver's reason replaces the reviewers'
            part = given[mask & (given != "").to_numpy()]
            reason.update(part.groupby(study[part.index]).agg(_one_each).to_dict())
        return decision, who, note, reason

    def _ranking_places(self, picked: dict) -> dict[int, tuple[str, str]]:
        """Per study, the stored ranking each decision it rests on was picked from and the record's place in it as
        stored (1: its top), e.g. ("12", "3"); in dual screening each agreeing reviewer's, in the order of
        ``decided_by`` ("12, 14", "3, 1"; "-" for a decision no ranking picked: one from the records list, an
        import, a resolver's). Empty where no decision was logged with a stored ranking."""
        known = set(int(i) for i in self.store.rankings_frame()["ranking_id"])
        wanted: dict[int, set[int]] = {}  # each ranking read once, however many decisions it picked
        for picks in picked.values():
            for r, rec in picks:
                if pd.notna(r) and int(r) in known:
                    wanted.setdefault(int(r), set()).add(int(rec))
        if not wanted:
            return {}
        place: dict[tuple[int, int], int] = {}
        for rid, want in wanted.items():
            order = np.asarray(self.store.ranking_order(rid), dtype=np.int64)
            at = np.flatnonzero(np.isin(order, np.fromiter(want, dtype=np.int64, count=len(want))))
            place.update({(rid, int(order[i])): int(i) + 1 for i in at})
        out = {}
        for study, picks in picked.items():
            cells = [(str(int(r)), str(place.get((int(r), int(rec)), "-"))) if pd.notna(r) and int(r) in wanted
                     else ("-", "-") for r, rec in picks]
            if any(c != ("-", "-") for c in cells):
                out[int(study)] = (", ".join(c[0] for c in cells), ", ".join(c[1] for c in cells))
        return out

    def exclusion_reasons(self, *, stage: str = "full_text", reviewer: str | None = None) -> dict[str, int]:
        """How many of the studies excluded at ``stage`` (in force now; ``reviewer``: that
        reviewer's own) were excluded for each reason, most frequent first, and how many with
        none (``NO_REASON``, last): PRISMA's "reports excluded, with reasons". Reasons that differ
        only in case or spacing count as one, and so do two reasons given in either order. The counts
        add up to the exclusions."""
        cur = self.current_decisions(stage=stage, reviewer=reviewer)
        cur = cur[cur["decision"] == "exclude"]
        if cur.empty:
            return {}
        reason = self._decisions_in_force(cur, stage, own=reviewer is not None)[3]
        spelled: dict[str, str] = {}
        n: dict[str, int] = {}
        for study in cur.index:
            # two reasons typed in either order ('Wrong population; wrong design'), or one with a stray
            # ';' after it, are the same reasons: each order made a PRISMA line of its own
            text = _one_each([reason.get(int(study)) or ""])
            key = "" if text.casefold() == NO_REASON else text.casefold()
            spelled.setdefault(key, text or NO_REASON)
            n[key] = n.get(key, 0) + 1
        return {spelled[k]: n[k] for k in sorted(n, key=lambda k: (k == "", -n[k], k))}

    def refuse_over_an_import(self, path, option: str = "-o") -> None:
        """Refuse to write over a search export imported into this project (the same content): the
        database's original download, which the PRISMA counts and a later re-import rest on."""
        path = Path(path)
        if not path.is_file():
            return
        sources = self.store.sources_frame()
        if sources.empty:
            return
        digest = _sha256(path)
        hit = sources[sources["sha256"] == digest]
        if len(hit):
            row = hit.iloc[0]
            raise InputError(f"this is the search export {row['file_name']} imported into the project "
                             f"({int(row['n_records'])} records): writing over it would lose the database's "
                             f"original download. Give {option} another file name; nothing was written.", path=path)

    def export(self, path, fmt: str | None = None, *, only: str | None = None,
               include_duplicates: bool = False, warnings: list[str] | None = None, skip_empty: bool = False,
               reviewer: str | None = None) -> int:
        """Write the records with their decisions; ``warnings`` gets what the reviewer must know of
        the file (texts cut to fit Excel's cells). ``skip_empty``: no records, no file (one of column
        names only reads as an export gone wrong). ``reviewer``: that reviewer's own decisions and notes
        (blind dual screening, ``export_frame``)."""
        from .io import write_records

        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        df = self.export_frame(only=only, include_duplicates=include_duplicates, with_raw=fmt == "ris",
                               reviewer=reviewer)
        if skip_empty and df.empty:
            return 0
        if path.exists() and not path.is_file() and not path.is_dir():
            # a pipe or a device ('-o /dev/stdout'): written into as it is; a rename put a file in its place
            write_records(df.reset_index(), path, fmt, warnings=warnings)
            return len(df)
        tmp = path.with_name(path.name + ".partial")
        try:
            write_records(df.reset_index(), tmp, fmt, warnings=warnings)
            os.replace(tmp, path)  # never leave a half-written export under the real name
        except BaseException:  # (an interruption too) nor a half-written one under another
            tmp.unlink(missing_ok=True)
            raise
        return len(df)


#: The table exports' column for the other registrations a register entry names (its register's 'Secondary ID' or
#: 'Other IDs'), under a name de-duplication reads them by in a project the export goes into
OTHER_IDS_COLUMN = "other_ids"


def _registrations_listed(raw) -> str:
    """The other registrations a register entry's original record lists, as written ('' for none)."""
    from .dedup import _OTHER_IDS

    if not isinstance(raw, dict):
        return ""
    return next((str(v).strip() for k, v in raw.items()
                 if re.sub(r"[^a-z]", "", str(k).lower()) in _OTHER_IDS and str(v).strip()), "")


def _exported_unread(decision, record: dict) -> bool:
    """Whether an exported record's decision is an exclude its export says was given unread at the stop."""
    return decision == "exclude" and says_excluded_unread(record)


def _written_beside(record: dict, path: Path) -> dict:
    """The note and reason that screener's export wrote beside a record's title/abstract decision
    (its 'decision_note' and 'decision_reason' columns, or its RIS notes), for the decision an
    import brings in: an export imported into a new project keeps them. Without a note of its own,
    the decision is noted as imported from the file."""
    from .io.ris import DECISION_COMMENT_NOTE, DECISION_REASON_NOTE, screener_notes
    from .labels import clean_reason

    raw = record.get("raw") or {}
    note = raw.get("decision_note")
    note = (note.strip() if isinstance(note, str) else None) or next(
        iter(screener_notes(record, DECISION_COMMENT_NOTE)), None)
    reason = clean_reason(raw.get("decision_reason")) if isinstance(raw.get("decision_reason"), str) else None
    reason = reason or clean_reason(next(iter(screener_notes(record, DECISION_REASON_NOTE)), None))
    return {"note": note or f"imported from {path.name}", "reason": reason}


def _group(record: dict) -> str:
    """A screener export's duplicate group of a record (its table's column, or its RIS note)."""
    from .io.ris import DUPLICATE_NOTE, screener_notes

    group = (record.get("raw") or {}).get("duplicate_group")
    return str(group) if group is not None else next(iter(screener_notes(record, DUPLICATE_NOTE)), "")


def _retracted_copy_left_out(result) -> list[tuple[str, int]]:
    """('row' or 'line', where) of the records a screener export marks retracted ('retracted: yes', a copy of the
    study titled as retracted) with no copy of their study in the file titled so: an export without its duplicates,
    whose retraction the project it goes into reads from the mark alone (``Project.retracted_in_exports``)."""
    from .dedup import marked_retracted

    shown = {_group(r) for r in result.records if marked_retracted(r["title"])}
    word = "row" if result.rows or result.format in WORKBOOK_FORMATS else "line"  # as a spreadsheet numbers it
    return [(word, result.rows.get(r["source_line"], r["source_line"]) if result.rows else r["source_line"])
            for r in result.records
            if marked_retracted_in_export(r) and not marked_retracted(r["title"]) and _group(r) not in shown]


def marked_retracted_in_export(record: dict) -> bool:
    """Whether a record (with its ``raw``) is one a screener export marked retracted: its 'retracted' column saying
    yes (only in screener's own table: another table's column is its own) or its RIS note saying yes (one edited to
    say no marks nothing)."""
    from .io.export import is_own_export
    from .io.ris import RETRACTED_NOTE, screener_notes

    raw = record.get("raw") or {}
    return bool((is_own_export(raw) and str(raw.get("retracted") or "").strip().lower() == "yes")
                or any(re.match(r"yes\b", n, re.I) for n in screener_notes(record, RETRACTED_NOTE)))


def _databases_exported(result, given: str | None = None) -> list[str]:
    """The sources a screener export's records came from in its review, as its PRISMA counted them, where there are
    several; empty for any other file. A source is the files (a table's 'source_file', the RIS export's note of it)
    of one database, as the import named it (``_source_name``: a search exported in parts is one), shown by its
    files ('medline_1.ris + medline_2.ris'); a record without its file (an older RIS export), its database. The
    database alone is not enough: ProQuest's DB names each record's sub-databases. ``given``: the --source the
    import was given, which the readers put in place of each record's own database (read here from the file's)."""
    from .io.ris import SOURCE_FILE_NOTE, screener_notes

    if not result.records or any(_exported_record_id(r) is None for r in result.records):
        return []
    rows = result.records
    if given:  # one source said for all: a search update of the export, refused by its name alone, read as none
        rows = [{**r, "source_db": _database_written(r)} for r in rows]
    files: dict[str, list[dict]] = {}  # each file's records
    sources: dict[str, list[str]] = {}  # the files (or a record's database) of each source
    for r in rows:
        file = str((r.get("raw") or {}).get("source_file") or next(iter(screener_notes(r, SOURCE_FILE_NOTE)), None)
                   or "").strip()
        if file:
            files.setdefault(file, []).append(r)
        elif str(r.get("source_db") or "").strip():
            sources.setdefault(str(r["source_db"]).strip(), [str(r["source_db"]).strip()])
    for file, records in files.items():
        sources.setdefault(_source_name(records, None, Path(file)), []).append(file)
    return [" + ".join(shown) for shown in sources.values()] if len(sources) > 1 else []


def _database_written(record: dict) -> str | None:
    """The database a screener export's record names in the file (RIS's DB, a table's 'source_db'), whatever
    --source the import was given."""
    raw = record.get("raw") or {}
    for key in ("DB", "source_db"):
        value = raw.get(key)
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _exported_record_id(record: dict) -> int | None:
    """The record id a screener export gives a record in its project (a table's 'record_id', the RIS ID of a
    record with screener's notes); None for a record of any other file."""
    from .io.export import is_own_export
    from .io.ris import DUPLICATE_NOTE, screener_notes

    raw = record.get("raw") or {}
    rid = raw.get("record_id") if is_own_export(raw) else raw.get("ID") if screener_notes(record, DUPLICATE_NOTE) \
        else None
    try:
        return int(float(str(rid).strip()))
    except (TypeError, ValueError):
        return None


def _batch_record_id(record: dict) -> int | None:
    """The record id a batch of 'screener next' gives a record (a table's 'record_id' beside its 'rank', the RIS ID
    of a record with screener's rank note); None for a record of any other file."""
    from .io.ris import DECISION_COMMENT_NOTE, screener_notes

    raw = record.get("raw") or {}
    rid = raw.get("record_id") if {"rank", "record_id", "decision"} <= set(raw) else raw.get("ID") if any(
        n.startswith("screener rank ") for n in screener_notes(record, DECISION_COMMENT_NOTE)) else None
    try:
        return int(float(str(rid).strip()))
    except (TypeError, ValueError):
        return None


def _exported_studies(ids: list[int], records, labels) -> dict[int, tuple[str, str]]:
    """The study of each record of a screener export (its 'duplicate_group' column, or the RIS
    note) and the title/abstract decision it carried ("" for none), by new record id; empty for a
    file that is no screener export."""
    from .io.ris import DUPLICATE_NOTE, screener_notes

    studies: dict[int, tuple[str, str]] = {}
    for rid, rec, lab in zip(ids, records, labels):
        label = (rec.get("raw") or {}).get("duplicate_group")
        if isinstance(label, float) and label.is_integer():  # a spreadsheet's number
            label = int(label)
        label = str(label).strip() if label is not None and str(label).strip() not in ("", "nan") else \
            next(iter(screener_notes(rec, DUPLICATE_NOTE)), "")
        if label:
            studies[int(rid)] = (label, lab or "")
    return studies


def _and_list(ids) -> str:
    ids = [str(i) for i in ids]
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"


def _full_text_decisions_in(records) -> int:
    """How many records of a file carry a full-text decision of screener's export (its
    'full_text_decision' column, or its full-text note in RIS or a reference manager's copy)."""
    from .io.ris import FULL_TEXT_NOTE, screener_notes

    return sum(1 for r in records if str((r.get("raw") or {}).get("full_text_decision") or "").strip()
               or screener_notes(r, FULL_TEXT_NOTE))


def _rayyan_decided_in(records) -> int:
    """How many records of a file carry Rayyan's decisions (a RAYYAN-INCLUSION note)."""
    from .labels import _texts

    return sum(1 for r in records if any("RAYYAN-INCLUSION" in t for t in _texts(r.get("raw") or {})))


def no_records_message(directory) -> str:
    """What to tell a reviewer who asks to rank, screen or estimate recall before importing."""
    return (f"This project has no records yet: import your search results with "
            f"'screener import {shell_quote(directory)} YOUR_EXPORT.ris' (RIS, PubMed, CSV and other database "
            "exports).")


def _refuse_a_linked_copy(dest: Path, path: Path) -> None:
    """Refuse to put a copy of ``path`` in place of ``dest`` where ``dest`` is a link (to the team's protocol in
    a shared folder): the link would become a plain file, and the review would no longer follow the file
    it points to; writing through it would change a file outside the project, perhaps another review's."""
    if not dest.is_symlink() or (dest.exists() and dest.resolve() == path.resolve()):
        return
    target = os.path.realpath(dest)
    raise ProjectError(
        f"{dest} is a link to {target}, so screener does not put a copy of {path} in its place (the review would "
        f"no longer follow {target}) nor write into {target}; nothing was changed. To use {path.name}, remove the "
        f"link {dest} first (the file it points to stays), then run the command again; or edit {target} and set "
        f"it as the protocol through the link: screener protocol {shell_quote(dest.parent)} {shell_quote(dest)}")


def _earlier_protocol_number(name: str) -> int | None:
    """N of a protocol-earlier-N file name, whatever its format (.toml, .yaml, .txt); None for another name."""
    m = re.match(r"protocol-earlier-(\d+)(?:\.|$)", name)
    return int(m.group(1)) if m else None


def _earlier_protocol_numbers(directory: Path) -> list[int]:
    """The N of every protocol-earlier-N kept in ``directory``, whatever its format."""
    found = (_earlier_protocol_number(p.name) for p in directory.glob("protocol-earlier-*"))
    return [n for n in found if n is not None]


def _keep_earlier_protocol(old: Path) -> Path:
    """A copy of the protocol being replaced, as protocol-earlier-N with N above every earlier version
    kept in the folder, whatever its format: the numbers give the order of the amendments (-1 the
    oldest), and a review that kept two -1 copies before (a .txt and a .toml) goes on above both. Made
    exclusively (never over a file of that name), its time of change as it was where the folder allows:
    the text the review was screened by until now, for reporting the amendment (PRISMA 2020 item 24c)."""
    text = old.read_bytes()
    n = max(_earlier_protocol_numbers(old.parent), default=0) + 1
    while True:
        kept = old.with_name(f"protocol-earlier-{n}{old.suffix}")
        try:
            fh = open(kept, "xb")
        except FileExistsError:
            n += 1
            continue
        try:
            with fh:
                fh.write(text)
        except BaseException:  # a full disk: no half copy left beside the protocol
            kept.unlink(missing_ok=True)
            raise
        try:
            shutil.copystat(old, kept)
        except OSError:  # a network share that sets no file's mode or times: the text is what counts
            pass
        return kept


def _already_a_project(directory: Path, how: str = "") -> str:
    """'init' on a review's folder: say which commands go on with that review ('open it' read as
    'screener open', which only keeps a review open in the background)."""
    return (f"{directory} already holds a screener project{how}; this 'init' changed nothing in it. To go on "
            f"with that review, give its folder to the other commands (e.g. 'screener screen {directory}', "
            f"'screener serve {directory}' or 'screener import {directory} FILE'); to start a new review, "
            "choose a new folder.")


def _make_project_file(directory: Path) -> tuple[int, int]:
    """Make the new, empty project file, only where there is none: another 'screener init' run on
    the folder at the same moment (a teammate's, on a shared folder) may have made one since this
    one found the folder empty, and it is that one's project. Returns the file's (device, inode)."""
    try:
        fd = os.open(directory / DB_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise ProjectError(_already_a_project(directory, " (made just now, by another 'screener init' run at the "
                                                      "same time?)")) from None
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return st.st_dev, st.st_ino


def _remove_new_project_file(store, directory: Path, made_folder: bool, made_file: tuple[int, int] | None) -> None:
    """Take away the project file an 'init' that failed had just made (a full disk as the protocol
    was copied, Ctrl-C): left, it was a project without the settings and protocol asked for, and
    'init' again said the folder 'already holds a screener project'. Nothing else was in it.
    Only the file this 'init' made (``made_file``, its device and inode) and its logs: one made by
    another 'init' at the same moment is that one's project."""
    try:
        if store is not None:
            store.close()
        db = directory / DB_NAME
        try:
            st = os.stat(db)
        except FileNotFoundError:
            st = None
        if made_file is not None and st is not None and (st.st_dev, st.st_ino) == made_file:
            for suffix in ("", "-wal", "-shm", "-journal"):
                (directory / (DB_NAME + suffix)).unlink(missing_ok=True)
        if made_folder:
            directory.rmdir()  # only when empty: a file of the reviewer's put there meanwhile stays
    except OSError:
        pass


def _remove_new_folder(directory: Path, made_folder: bool) -> None:
    """Take away the folder an 'init --database' that failed had made (the server out of reach, the review not
    written): left empty, it looked like a project begun. Only a folder this 'init' made, and only while empty: a
    file put there meanwhile stays, as does a folder that was there before."""
    if not made_folder:
        return
    try:
        directory.rmdir()
    except OSError:
        pass


def write_database_url(directory: Path, url: str) -> None:
    """The server's address in the project folder; readable by its owner only (it may hold a password)."""
    path = Path(directory) / DB_URL_FILE
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)  # left by a run killed half-way: made again, for its owner only from the start
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(fd, "wb") as fh:
            fh.write((url + "\n").encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:  # a full disk, Ctrl-C: no part of the address (its password) left in the folder
        tmp.unlink(missing_ok=True)
        raise


#: Source names that PRISMA 2020 counts under "identification of studies via other methods".
OTHER_METHOD_WORDS = ("hand search", "handsearch", "hand-search", "hand searching", "handsearching",
                      "citation", "reference list", "snowball", "backward search", "forward search",
                      "website", "web search", "google", "grey literature", "gray literature", "expert",
                      "other method", "other source", "personal contact", "conference abstract")


def is_other_method(source: str, settings: dict | None = None) -> bool:
    """Whether records from ``source`` were found by other methods than a database or register
    search (a hand search, citation searching, websites). The project setting ``other_sources``
    (a list of source names) settles a name these words do not catch."""
    name = " ".join(str(source).lower().replace("_", " ").split())
    listed = {str(x).lower() for x in (settings or {}).get("other_sources", []) or []}
    # a citation index (Web of Science's Science Citation Index Expanded, Social Sciences Citation
    # Index, the Chinese Science Citation Database ...) is a database searched, not citation
    # searching; so are Ovid's MEDLINE segments of "In-Process & Other Non-Indexed Citations"
    words = _CITATION_INDEX.sub(" ", name)
    return name in listed or any(w in words for w in OTHER_METHOD_WORDS)


_CITATION_INDEX = re.compile(r"citation (index(es|ed)?|databases?)\b|(non-indexed|in-process) citations\b")

#: Source names PRISMA 2020 counts under "Registers" (trial and review registers), apart from the databases:
#: ClinicalTrials.gov (its download is 'ctg-studies'), the WHO ICTRP (its portal 'trialsearch'), the EU's, the
#: national ones, PROSPERO; and any name saying a register or registry ('Some trial registry')
_REGISTER_NAMES = re.compile(
    r"clinical ?trials ?(\.|dot )?gov|\bctg studies\b|\bictrp|trialsearch|\beu ?ctr\b|\beudract\b|\bctis\b"
    r"|\bisrctn\b|\banzctr\b|\bchictr\b|\bctri\b|\bdrks\b|\bjrct\b|\bumin ctr\b|\bpactr\b|\brebec\b|\birct\b"
    r"|\bprospero\b|\bregist(er|ers|ry|ries)\b")
#: Cochrane's registers are databases in PRISMA 2020: CENTRAL (the Central Register of Controlled Trials, in the
#: Cochrane Library), the Cochrane Register of Studies and the review groups' Specialised Registers built on it
_COCHRANE_REGISTER = re.compile(r"cochrane|central register|register of studies|speciali[sz]ed register")


def _source_kind(source, settings: dict) -> str:
    """Where PRISMA 2020 counts a source's records: 'other' (methods), 'register' or 'database'."""
    if is_other_method(source, settings):
        return "other"
    return "register" if is_register(source, settings) else "database"


def is_register(source: str, settings: dict | None = None) -> bool:
    """Whether records from ``source`` came from a register (ClinicalTrials.gov, the WHO ICTRP), which
    PRISMA 2020 counts apart from the databases. The project setting ``register_sources`` (a list of
    source names) settles a name that says no register; so does importing it with a --source that does."""
    name = " ".join(str(source).lower().replace("_", " ").replace("-", " ").split())
    listed = {str(x).lower() for x in (settings or {}).get("register_sources", []) or []}
    return " ".join(str(source).lower().split()) in listed or (
        bool(_REGISTER_NAMES.search(name)) and not _COCHRANE_REGISTER.search(name))


def _spelling_key(name: str) -> str:
    """One key per database: case and spaces aside, and EBSCOhost's names for one database over its editions
    ('CINAHL Complete', 'CINAHL'), as its records are read: an update imported as '--source "CINAHL Complete"'
    after an export whose records say 'CINAHL Complete' (read as 'CINAHL') counted as a second database."""
    from .io.ris import _EBSCO_NAMES

    name = " ".join(name.split())
    return next((db for pattern, db in _EBSCO_NAMES if pattern.match(name)), name).casefold()


def _database_spellings(names) -> dict[str, str]:
    """One database under one name: each name (case and spaces aside) to its spelling first imported."""
    spelled: dict[str, str] = {}
    for n in names:
        if isinstance(n, str):
            spelled.setdefault(_spelling_key(n), " ".join(n.split()))
    return spelled


def _source_name(records: list[dict], given: str | None, path: Path, series: str | None = None) -> str:
    """The database a file counts under in PRISMA: as given, else the one its records name, else its
    series' (``_series_name``), else the file."""
    if given:
        return given
    names = {r.get("source_db") for r in records if r.get("source_db")}
    if series and names == {path.stem}:  # the readers' stand-in for a database not named
        return series
    return names.pop() if len(names) == 1 else path.stem


def _covidence_named(name: str, path: Path, records: list[dict]) -> str:
    """A Covidence export named for its file (or its downloads' series), no column naming a database:
    'Covidence export (cov)', not 'cov' read as a database of that name in PRISMA."""
    from .io.tabular import covidence_export, covidence_source

    if name in (path.stem, _DOWNLOAD_MARK.sub("", path.stem)) and covidence_export(records):
        return covidence_source(name)
    return name


def _series_name(path: Path, batch: list[Path], sources: pd.DataFrame) -> str | None:
    """The one source a file counts under with the files of its series: files of one folder and kind
    named as downloads of one file ('scholar.enw', 'scholar (1).enw', ...: Google Scholar gives one file
    a paper). Each counted in PRISMA as a source of its own: 30 papers read as 30 databases. A file
    added later to a series imported before counts under that series' name (a --source given then)."""
    key, here, kind = _download_base(path.name), path.resolve().parent, path.suffix.casefold()
    if not key:
        return None
    siblings = [p for p in batch if p != path and _download_base(p.name) == key
                and p.suffix.casefold() == kind and p.resolve().parent == here]
    stored = {db for p, db in zip(sources.get("path", []), sources.get("source_db", []))
              if isinstance(p, str) and _download_base(Path(p).name) == key
              and Path(p).suffix.casefold() == kind and Path(p).parent == here}
    if len(stored) == 1:
        return stored.pop()
    return _DOWNLOAD_MARK.sub("", path.stem) if siblings or stored else None


def _counted_as_one(named: dict[Path, str], given: str | None, by_series: set[Path]) -> list[str]:
    """The import's note on files counted as one source in PRISMA (``by_series``: those named by
    ``_series_name``, not by their records): said, as a reviewer may count them otherwise (each a
    database, or, for files from different databases, not one)."""
    notes = []
    for name in dict.fromkeys(named.values()):
        files = [p for p, n in named.items() if n == name and (given or p in by_series)]
        if len(files) < 2:
            continue
        shown = ", ".join(f"'{p.name}'" for p in files[:3]) + (", ..." if len(files) > 3 else "")
        if given:
            notes.append(f"{len(files)} files ({shown}) count as one source in PRISMA, '{name}', as --source names "
                         "it.")
            continue
        notes.append(f"{len(files)} files ({shown}) count as one source in PRISMA, '{name}': their records name no "
                     "database, and their names are downloads of one file, as Google Scholar saves one file a "
                     "paper. Imported with --source (e.g. --source 'Google Scholar'), they count under that name; "
                     "files from different databases or searches are imported apart, each with --source and its "
                     "name.")
    return notes


_DOWNLOAD_MARK = re.compile(r"\s*(\(\d+\)|-\s*copy(\s*\(\d+\))?|\s+copy)$", re.I)  # 'x (1)', 'x - Copy'
_SAME_FIELDS = ("title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid")


def _download_base(file_name: str) -> str:
    """A file's name as a second download of it changes it: 'export (1).ris', 'export - Copy.ris' are 'export'."""
    return _DOWNLOAD_MARK.sub("", Path(file_name).stem).casefold()


def _record_key(rec: dict, file_name: str) -> tuple:
    """What makes a read record (or one stored) the same record of the same export: its fields, and
    the database it names, or where it names none the file's name as a second download changes it
    ('export (1).ris', 'export - Copy.ris' are 'export'): 'medline.ris' and 'embase.ris' stay two."""
    db, stem = rec.get("source_db"), Path(file_name).stem
    out = [f"file: {_download_base(file_name)}" if not isinstance(db, str) or db == stem else db]
    for field in _SAME_FIELDS:
        v = rec.get(field)
        if isinstance(v, (list, tuple)):
            # each author once: an import before kept one of two co-authors of one name ('Wang, Y'), one now both
            v = "\x1f".join(map(str, dict.fromkeys(v) if field == "authors" else v))
        elif v is None or (not isinstance(v, str) and pd.isna(v)):
            v = ""
        elif field == "year":
            v = str(int(v))
        out.append(str(v).strip())
    return tuple(out)


def _unmatched_pattern(path: Path) -> bool:
    """A pattern the shell passed on as written, since no file matches it (`exports/*.txt`)."""
    return not path.exists() and any(c in path.name for c in "*?[")


def _refuse_unmatched_patterns(paths: list[Path]) -> None:
    """Every pattern of an import that matches no file, named at once: named one at a time, the next
    was listed among the files to import again, and the reviewer was refused a second time."""
    unmatched = [p for p in paths if _unmatched_pattern(p)]
    if not unmatched:
        return
    one_folder = len({p.parent for p in unmatched}) == 1
    names = [f"'{p.name if one_folder else p}'" for p in unmatched]
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    s = "s" if len(names) > 1 else ""
    raise InputError(f"no file matches the pattern{s} {shown}" + (f" in {unmatched[0].parent}" if one_folder else "")
                     + f". If you have no exports of that kind, leave the pattern{s} out of the command; otherwise "
                     "check the folder and the files' ending. Nothing was imported.", path=unmatched[0])


def _say_others_not_imported(err: InputError, paths: list[Path]) -> None:
    """Add to a refused file's message that the import's other files were not imported either: told
    only to export that file again, a reviewer who then imported it alone lost the others' records.
    A message that says already that nothing was imported (a file cut off) names them too, without
    saying it twice."""
    others = [p for p in paths if err.path is not None and p != Path(str(err.path)) and not _unmatched_pattern(p)]
    # by name, but with its folder where another file given has that name ('export.ris' from two databases)
    shared = {n for n, k in Counter(p.name for p in paths).items() if k > 1}
    others = [str(p) if p.name in shared else p.name for p in others]
    if not others:
        return
    named = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    which = (f"the other file{'s' if len(others) > 1 else ''} given ({named}) {'were' if len(others) > 1 else 'was'} "
             f"not imported either; import {'them' if len(others) > 1 else 'it'} again with this file once it is put "
             "right (or without it).")
    if "othing was imported" in str(err):
        err.args = (f"{err} {which[0].upper()}{which[1:]}",)
    else:
        err.args = (f"{err} Nothing was imported: {which}",)


def _refuse_namesake_files(path: Path, name: str, sources: pd.DataFrame, batch: list[Path]) -> None:
    """A file named for no database (its records name none, and no --source was given) counts in
    PRISMA under its file name: two exports of that name from different folders ('export.ris' from
    PubMed, 'export.ris' from Embase) would count as one database. Refused before anything is stored."""
    if name != path.stem:
        return
    from .io.tabular import covidence_source

    here = path.resolve().parent
    others = [Path(p) for p, f, db in zip(sources.get("path", []), sources.get("file_name", []),
                                          sources.get("source_db", []))
              if db in (name, covidence_source(name)) and Path(f).stem == name]
    others += [b for b in batch if b.stem == name]
    other = next((o for o in others if o.resolve().parent != here), None)
    if other is not None:
        raise InputError(
            f"its records do not say which database they came from, so PRISMA would count it under its file "
            f"name, '{name}', as the same database as {other}, a file of that name from another folder. Nothing "
            "was imported. Import each file by itself with --source and the database's name (for example "
            "--source Embase); give parts of one database's search the same name.", path=path)


def _a_probability(v) -> bool:
    """Whether ``v`` is an inclusion probability a random sample can be read with: in (0, 1]."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(v) and 0 < v <= 1)


def _sampled_without_a_probability(log: pd.DataFrame) -> np.ndarray:
    """Rows of the decision log flagged as sampled with no inclusion probability to read them with (withdrawals
    aside): every status read of the sample failed on them ("every sampled record needs an inclusion
    probability")."""
    if log.empty:
        return np.zeros(len(log), dtype=bool)
    probs = pd.to_numeric(log["sample_prob"], errors="coerce").to_numpy(dtype=float)
    good = np.isfinite(probs) & (probs > 0) & (probs <= 1)
    return log["sampled"].astype(bool).to_numpy() & (log["decision"] != "retract").to_numpy() & ~good


def _or_none(v, cast=float):
    """A value read back from the log, None where it is empty (NaN)."""
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else cast(v)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def unread_alone(votes: pd.DataFrame) -> set[int]:
    """Dual screening: the studies whose every vote (``Project.reviewer_decisions``) is an exclude of the records
    left unread at a reviewer's stop (``REST_EXCLUDED``): read by no one, so still to screen, not screened by one
    reviewer and awaiting the other (40 records one reviewer excluded unread read as '40 more screened')."""
    if votes.empty:
        return set()
    read = pd.Series(~rest_excluded(votes["origin"]), index=votes.index).groupby(votes["group_record_id"]).any()
    return {int(s) for s in read.index[~read.to_numpy()]}


def labels_array(project: Project, record_ids) -> np.ndarray:
    """Labels aligned to ``record_ids``: 1 include or maybe, 0 exclude, -1 not (yet) labelled."""
    lab = project.labels()
    return pd.Series(record_ids).map(lab).fillna(-1).astype(int).to_numpy()
