"""Move a review from its SQLite file to a PostgreSQL server, and prove that all of it arrived.

Every table is copied row by row with its ids, in one transaction on the server (a NUL, which
PostgreSQL cannot hold, as screener reads it now: ``_without_nul``). Then each
table is read back from both sides and compared by row count and by a SHA-256 checksum of its
rows in key order; the review's PRISMA counts, current decisions, settings and latest ranking
must also be the same. Only then does the project folder point at the server; the SQLite file
is kept, renamed, as the copy from before the move (never over one an earlier move kept).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import psycopg

from .errors import ProjectError, ScreenerError
from .project import CACHE_NAME, DB_NAME, DB_URL_FILE, Project, write_database_url
from .store import PostgresStore, is_database_url
from .store.postgres import CHANGES, display_url

#: Left behind: who has which record on screen right now means nothing after a move.
TRANSIENT = {"leases"}
MOVED_SUFFIX = ".moved-to-server"


@dataclass
class TableCheck:
    table: str
    rows_before: int
    rows_after: int
    checksum_before: str
    checksum_after: str

    @property
    def ok(self) -> bool:
        return self.rows_before == self.rows_after and self.checksum_before == self.checksum_after


@dataclass
class MigrationReport:
    url: str
    tables: list[TableCheck] = field(default_factory=list)
    review_checks: dict[str, bool] = field(default_factory=dict)  # PRISMA counts, decisions, ...
    kept_file: Path | None = None
    #: values that held a NUL, moved without it (``_without_nul``): 'record 7 (title)', 'decision 12 (note)'
    without_nul: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables) and all(self.review_checks.values())


def _pk(con: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    info = con.execute(f"PRAGMA table_info({table})").fetchall()
    cols = [r[1] for r in info]
    keys = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return cols, keys or cols


def table_checksum(rows) -> tuple[int, str]:
    """Row count and SHA-256 of the rows (in the order given), each as JSON: exact for text,
    integers and floats (``repr`` round-trips a double)."""
    h = hashlib.sha256()
    n = 0
    for row in rows:
        h.update(json.dumps([v.hex() if isinstance(v, bytes) else v for v in row], ensure_ascii=False).encode())
        h.update(b"\n")
        n += 1
    return n, h.hexdigest()


_NUL_RUN = re.compile(r" *(?:\x00 *)+")


def _without_nul(table: str, value):
    """A text value as PostgreSQL can hold it, which is never with a NUL: an older screener kept one
    (text pasted out of a PDF) in a record imported from RIS and in a note, and the move was refused
    whole. Read as screener reads it now: in a record's text a space (as an import does), elsewhere
    (a note, a reason) nothing (as a decision is saved)."""
    if not isinstance(value, str) or "\x00" not in value:
        return value
    return _NUL_RUN.sub(" ", value).strip() if table == "records" else value.replace("\x00", "")


def _rows_without_nul(table: str, cols: list[str], keys: list[str], rows, found: list[str] | None = None):
    """``rows`` with each NUL taken out (``_without_nul``); ``found`` gets each value changed, named."""
    for row in rows:
        if not any(isinstance(v, str) and "\x00" in v for v in row):
            yield row
            continue
        out = tuple(_without_nul(table, v) for v in row)
        if found is not None:
            named = dict(zip(cols, row))
            where = (f"record {named['record_id']}" if table == "records" else
                     f"decision {named['decision_id']} on record {named['record_id']}" if table == "decisions" else
                     f"{table} {', '.join(str(named[k]) for k in keys)}")
            found += [f"{where} ({c})" for c, v in zip(cols, row) if isinstance(v, str) and "\x00" in v]
        yield out


def _fingerprint_without_nul(fingerprint: dict) -> dict:
    """A fingerprint as the server's copy gives it: the decisions' notes and reasons without a NUL
    (``_without_nul``). Settings and rankings keep theirs: they are stored as JSON, which writes it out."""
    out = dict(fingerprint)
    for key in ("current decisions", "decision log"):
        out[key] = [{k: _without_nul("decisions", v) for k, v in row.items()} for row in fingerprint[key]]
    return out


def review_fingerprint(project: Project) -> dict:
    """What a reviewer sees of a review, to compare before and after a move."""
    ranking = project.store.latest_ranking()
    cur = project.current_decisions()
    return {
        "PRISMA counts": project.prisma_counts(),
        "current decisions": cur.reset_index().to_dict("records"),
        "decision log": project.decision_log().drop(columns=["request_id"], errors="ignore").to_dict("records"),
        "settings": project.settings,
        "latest ranking": None if ranking is None else (ranking[0], ranking[1].to_dict("records")),
    }


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def migrate_to_server(directory, url: str) -> MigrationReport:
    """Copy the SQLite review in ``directory`` to the (empty) PostgreSQL database at ``url``."""
    directory = Path(directory)
    if not is_database_url(url):
        raise ProjectError(f"--to {url!r}: give a PostgreSQL address such as postgresql://user@host:5432/review.")
    if (directory / DB_URL_FILE).exists():
        raise ProjectError(f"{directory}: this review is already on a database server "
                           f"({display_url((directory / DB_URL_FILE).read_text().strip())}).")
    from .cli.web_cmds import _one_server_at_a_time

    try:  # decisions made on a server still serving the file after the move would stay in the file
        serving = _one_server_at_a_time(directory)
    except ScreenerError as exc:
        raise ProjectError(f"{exc} Stop it before moving the review (decisions made on it after the move "
                           "would stay in the file); nothing was moved.") from None
    try:
        return _migrate(directory, url)
    finally:
        if serving is not None:
            serving.close()


def _migrate(directory: Path, url: str) -> MigrationReport:
    project = Project.open(directory)  # brings an older project file up to this schema first
    src = project.store
    report = MigrationReport(url=display_url(url))
    try:
        dest = _new_review_on_server(url)
    except BaseException:
        project.close()
        raise
    try:
        con = src._conn
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
        server_tables = {r[0] for r in dest._conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()}
        tables = [t for t in names if t in server_tables and t not in TRANSIENT]
        with src.transaction(), _undone_if_it_fails(dest):  # SQLite's write lock: nobody decides meanwhile
            with dest.transaction():
                # the new database's own; the file's come next (the count of changes saved goes on: ``went_back``)
                dest._conn.execute("DELETE FROM settings WHERE key <> ?", (CHANGES,))
                for table in tables:
                    cols, keys = _pk(con, table)
                    server_cols = [r[0] for r in dest._conn.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = ?", (table,)).fetchall()]
                    if set(cols) != set(server_cols):
                        raise ProjectError(f"table {table}: columns differ between the file ({', '.join(cols)}) and "
                                           f"the server ({', '.join(server_cols)}); nothing was moved.")
                    collist = ", ".join(cols)
                    rows = _rows_without_nul(table, cols, keys, con.execute(
                        f"SELECT {collist} FROM {table} ORDER BY {', '.join(keys)}"), report.without_nul)
                    try:
                        dest._conn.executemany(
                            f"INSERT INTO {table}({collist}) VALUES({', '.join('?' * len(cols))})", rows)
                    except psycopg.DataError as exc:
                        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                        raise ProjectError(
                            f"the server refused a value in the review's table '{table}' ({first}), so nothing was "
                            "moved and the project still uses its SQLite file.") from None
            dest.reset_sequences()
            for table in tables:
                cols, keys = _pk(con, table)
                counted = f" WHERE key <> '{CHANGES}'" if table == "settings" else ""  # the server's own count
                sql = f"SELECT {', '.join(cols)} FROM {table}{counted} ORDER BY {', '.join(keys)}"
                n0, c0 = table_checksum(_rows_without_nul(table, cols, keys, con.execute(sql)))
                n1, c1 = table_checksum(dest._conn.execute(sql).fetchall())
                report.tables.append(TableCheck(table, n0, n1, c0, c1))
            before = _fingerprint_without_nul(review_fingerprint(project))
            after = review_fingerprint(Project(directory, dest))
            report.review_checks = {k: _same(before[k], after[k]) for k in before}
            if not report.ok:
                return report  # the folder still points at the file; the caller says what differed
            _keep_embedding_cache(project.db_path, directory / CACHE_NAME)
            # still under the file's write lock: from here a change to the file (a 'label' or a review
            # kept open, started before the move, perhaps waiting for the lock now) is refused, not
            # written into the file left behind after the copy was made (``SQLiteStore.moved``)
            write_database_url(directory, url)
    except BaseException:
        if report.ok:  # the address was written, the move did not end: the folder keeps its file
            (directory / DB_URL_FILE).unlink(missing_ok=True)
        raise
    finally:
        project.close()
        dest.close()
    moved = kept_file_name(directory)
    try:
        _checkpoint(project.db_path)  # the file kept holds all of the review, not part of it in its WAL
        project.db_path.replace(moved)
    except BaseException:
        (directory / DB_URL_FILE).unlink(missing_ok=True)
        raise
    report.kept_file = moved
    return report


def kept_file_name(directory: Path) -> Path:
    """Where the file from before the move is kept: screener.sqlite.moved-to-server, or, beside one
    an earlier move kept (the team went back to a copy of it, then moved again), the first of
    ...-2, -3 not taken. Never over it: it is the review as it was at that earlier move."""
    path, n = directory / (DB_NAME + MOVED_SUFFIX), 1
    while path.exists() or path.is_symlink():
        n += 1
        path = directory / f"{DB_NAME}{MOVED_SUFFIX}-{n}"
    return path


def _checkpoint(db: Path) -> None:
    """Write the file's write-ahead log into it: SQLite leaves the log of a renamed file aside."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        con.close()


#: Set on the server while a review moves in; the copy replaces the settings, so it is gone once
#: the move has arrived. Found on a later try, it marks the empty review a failed move left.
MOVING_IN = "moving_in_from_file"


def _new_review_on_server(url: str) -> PostgresStore:
    """The empty review the file is copied into; a review left empty by a failed move is cleared first."""
    try:
        dest = PostgresStore(url, create=True)
    except ProjectError:
        if not _clear_failed_move(url):
            raise
        dest = PostgresStore(url, create=True)
    dest.set_setting(MOVING_IN, True)
    return dest


def _clear_failed_move(url: str) -> bool:
    """Drop the tables of a review that a move interrupted (killed, connection lost) left empty."""
    try:
        left = PostgresStore(url)
    except ProjectError:
        return False
    try:
        if not left.get_setting(MOVING_IN):
            return False
        _drop_tables(left)
        return True
    finally:
        left.close()


def _drop_tables(store: PostgresStore) -> None:
    store.drop_review()


class _undone_if_it_fails:
    """The tables made on the server for the move are dropped again when the copy fails, so the
    database is empty as before and the move can be tried again."""

    def __init__(self, dest: PostgresStore):
        self.dest = dest

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            return False
        try:
            _drop_tables(self.dest)
        except Exception:  # the server is gone: the next try clears what is left (``MOVING_IN``)
            pass
        return False


def _keep_embedding_cache(db: Path, cache: Path) -> None:
    """Embeddings computed so far go with the review (into the cache file beside it)."""
    from .features.embeddings import EmbeddingCache

    con = sqlite3.connect(db)
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (EmbeddingCache.TABLE,)).fetchone() is None:
            return
        EmbeddingCache(cache)
        con.execute("ATTACH DATABASE ? AS cache", (str(cache),))
        with con:
            con.execute(f"INSERT OR IGNORE INTO cache.{EmbeddingCache.TABLE}(model, text_hash, vector) "
                        f"SELECT model, text_hash, vector FROM main.{EmbeddingCache.TABLE}")
    finally:
        con.close()


def checks_frame(report: MigrationReport) -> pd.DataFrame:
    return pd.DataFrame([{"table": t.table, "rows in the file": t.rows_before, "rows on the server": t.rows_after,
                          "checksum": "same" if t.checksum_before == t.checksum_after else "DIFFERENT"}
                         for t in report.tables])
