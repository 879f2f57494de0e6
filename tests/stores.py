"""Opening a test store where ``store_target`` (tests/conftest.py) puts it."""

from __future__ import annotations


def open_store(target, *, create: bool = False):
    from screener.store import PostgresStore, SQLiteStore

    if isinstance(target, str):
        return PostgresStore(target, create=create)
    return SQLiteStore(target, create=create)


#: One study's title: an article (two copies) and a conference abstract of it, for the split tests.
SPLIT_TITLE = "Peer workers in supervised consumption sites: outcomes of a program"
ARTICLE, ABSTRACT = "VL  - 12\nSP  - 100-110\n", "DO  - 10.1000/conf.77\n"


def split_ris(path, recs):
    """An RIS file of records titled ``SPLIT_TITLE``, each with its own extra lines (``ARTICLE``, ``ABSTRACT``)."""
    path.write_text("".join(f"TY  - JOUR\nTI  - {SPLIT_TITLE}\nAU  - Lee, A.\nPY  - 2019\nT2  - J Tests\n{more}ER  - \n"
                            for more in recs), encoding="utf-8")
    return path


def store_at_schema_7_with_a_split(s, records, source) -> None:
    """Three copies of one study in ``s`` (``records``: 3 of them), record 3 split from 1 and 2 as
    schema 7 kept it (a table of split records), and the store marked as schema 7."""
    import pandas as pd

    for r in records:
        r.update(title=SPLIT_TITLE, doi=None, year=2019, abstract=None)
    s.add_records(records, s.add_source(source))
    s.replace_duplicate_groups(pd.DataFrame({"record_id": [1, 2, 3], "group_id": [1, 1, 3],
                                             "is_primary": [True, False, True], "reason": ["", "", ""]}))
    with s.transaction():
        s._conn.execute("CREATE TABLE dedup_splits (record_id INTEGER PRIMARY KEY REFERENCES records(record_id),"
                        " created_at TEXT NOT NULL)")
        s._conn.execute("INSERT INTO dedup_splits(record_id, created_at) VALUES(3, ?)", (s.now(),))
        s.set_setting("schema_version", 7)


def project_back_to_schema_7_with_a_split(con) -> None:
    """A project of ``SPLIT_TITLE`` records (article copies 1, 2 and 5, abstract copies 3 and 4, the
    second file an update) set back, through its SQLite connection ``con``, to what schema 7 left
    after record 3 was split from the article's group: 3 alone, its copy 4 with the article."""
    con.execute("CREATE TABLE dedup_splits (record_id INTEGER PRIMARY KEY REFERENCES records(record_id),"
                " created_at TEXT NOT NULL)")
    con.execute("UPDATE sources SET imported_at = ? WHERE source_id = 1", ("2026-01-01T00:00:00.000+00:00",))
    con.execute("UPDATE sources SET imported_at = ? WHERE source_id = 2", ("2026-01-03T00:00:00.000+00:00",))
    con.execute("INSERT INTO dedup_splits VALUES (3, '2026-01-02T00:00:00.000+00:00')")
    con.execute("DELETE FROM dedup_decisions")
    con.execute("DELETE FROM duplicate_groups")
    con.executemany("INSERT INTO duplicate_groups VALUES (?, ?, ?, ?)", [
        (1, 1, 0, ""), (2, 1, 0, ""), (3, 3, 1, "taken out of the group of record 1 by the reviewer"),
        (4, 1, 1, "primary of 4 records after the reviewer split the group"), (5, 1, 0, "")])
    con.execute("UPDATE settings SET value = '7' WHERE key = 'schema_version'")
    con.commit()


def decide_while_held(store, other, monkeypatch, hold_s: float = 20.0):
    """Save one decision while ``other`` (another process's connection, an import under way) holds the
    write lock, releasing it once the busy message was said (or after ``hold_s`` if it never is, so the
    test fails on the order, not on a clock): (times the busy message was said, the time the lock was
    released, the time the decision was started). The store holds one record, id 1."""
    import threading
    import time

    from screener.store import Decision
    from screener.store import sqlite as S

    said, done = [], []
    told = threading.Event()
    real_say = S.say
    monkeypatch.setattr(S, "say", lambda msg: (said.append(time.monotonic()), told.set(), real_say(msg)))

    def import_finishes():
        told.wait(hold_s)
        done.append(time.monotonic())
        other.execute("COMMIT")

    t0 = time.monotonic()
    finisher = threading.Thread(target=import_finishes)
    finisher.start()
    store.append_decisions([Decision(record_id=1, decision="include")])
    finisher.join()
    return said, done[0], t0


def read_only_account(url: str) -> str:
    """``url`` as a new account that may only read the review's tables there (a teammate given read access
    on the team's server). Skips where the test server's account may not make accounts."""
    import uuid
    from urllib.parse import parse_qs, urlsplit, urlunsplit

    import psycopg
    import pytest

    role = f"reader_{uuid.uuid4().hex[:8]}"
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    schema = options.split("search_path=")[1] if "search_path=" in options else "public"
    try:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"CREATE ROLE {role} LOGIN")
            con.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
            con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    except psycopg.Error as exc:
        pytest.skip(f"cannot make a read-only account on the test server ({exc})")
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))
