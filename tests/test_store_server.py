"""What a store shared by several server processes must do, on SQLite and on PostgreSQL: a
retried request logged once, the log's tail, record claims; and on PostgreSQL the same frames as
SQLite, a clear error for a database without a review, and a clean failure while the server is
down."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from screener.errors import DatabaseUnavailable, ProjectError
from screener.records import empty_record
from screener.store import Decision, PostgresStore, Source, SQLiteStore
from screener.store.postgres import display_url, pg_sql

from stores import decide_while_held, open_store


def _fill(store, n=5):
    sid = store.add_source(Source(file_name="a.ris", path="/tmp/a.ris", format="ris", encoding="utf-8",
                                  source_db="medline", sha256="x" * 64, n_records=n, warnings=["w1"]))
    recs = []
    for i in range(n):
        r = empty_record()
        r.update(title=f"Study {i} 100% 'quoted' ?", abstract=None if i == 2 else f"Abstract {i}",
                 authors=["Smith, J"], year=None if i == 1 else 2000 + i, doi=f"10.1/{i}", raw={"TI": f"S{i}"})
        recs.append(r)
    store.add_records(recs, sid)
    store.replace_duplicate_groups(pd.DataFrame({"record_id": list(range(1, n + 1)),
                                                 "group_id": [1, 1] + list(range(3, n + 1)),
                                                 "is_primary": [True, False] + [True] * (n - 2),
                                                 "reason": ["", "same DOI"] + [""] * (n - 2)}))
    store.append_decisions([Decision(record_id=1, decision="include", note="n", sampled=True, sample_prob=0.25,
                                     sample_drawn_at=3, created_at="2026-01-01T00:00:00.000+00:00"),
                            Decision(record_id=3, decision="exclude", created_at="2026-01-01T00:00:01.000+00:00")])
    store.append_dedup_decision(2, 1, "split", note="taken out of the group of records 1")
    store.save_ranking({"ranker": "x"}, pd.DataFrame({"record_id": [4, 5], "score": [0.5, 0.25],
                                                      "sampled": [False, True], "sample_prob": [None, 0.5]}), 2)


@pytest.fixture
def store(store_target):
    s = open_store(store_target, create=True)
    yield s
    s.close()


def test_retried_request_is_logged_once(store):
    _fill(store)
    first = store.append_decisions([Decision(record_id=4, decision="include", request_id="abc")])
    again = store.append_decisions([Decision(record_id=4, decision="include", request_id="abc")])
    assert first == again
    log = store.decisions_frame()
    assert (log["request_id"] == "abc").sum() == 1 and len(log) == 3


def test_log_tail_follows_the_log(store):
    _fill(store)
    log = store.decisions_frame()
    assert store.decisions_after(0)["decision_id"].tolist() == log["decision_id"].tolist()
    last = int(log["decision_id"].max())
    assert store.decisions_after(last).empty
    store.append_decisions([Decision(record_id=5, decision="maybe")])
    tail = store.decisions_after(last)
    assert tail["decision"].tolist() == ["maybe"] and tail["sampled"].dtype == bool


def test_claims_hand_a_record_to_one_reviewer(store):
    _fill(store)
    assert store.claim_record(4, "ana", ttl=60)
    assert not store.claim_record(4, "ben", ttl=60)  # on ana's screen
    assert store.claim_record(4, "ana", ttl=60)  # ana again: still hers
    assert store.claim_record(5, "ana", ttl=60)  # ana moves on: 4 is free
    assert store.claims(ttl=60) == {5: "ana"}
    assert store.claim_record(4, "ben", ttl=60)
    assert store.claim_record(5, "ben", ttl=0)  # an old claim lapses
    assert store.claims(ttl=60) == {5: "ben"}


def test_latest_ranking_id(store):
    assert store.latest_ranking_id() is None
    _fill(store)
    assert store.latest_ranking_id() == store.latest_ranking()[0]["ranking_id"]


def test_both_stores_give_the_same_frames(tmp_path, pg_url):
    lite, pg = SQLiteStore(tmp_path / "db.sqlite", create=True), PostgresStore(pg_url, create=True)
    try:
        for s in (lite, pg):
            _fill(s)
        for name in ("records_frame", "duplicate_groups_frame", "decisions_frame"):
            pd.testing.assert_frame_equal(getattr(lite, name)(), getattr(pg, name)(), check_exact=True, obj=name)
        pd.testing.assert_frame_equal(lite.sources_frame().drop(columns="imported_at"),
                                      pg.sources_frame().drop(columns="imported_at"))
        pd.testing.assert_frame_equal(lite.records_frame([4, 1], with_raw=True), pg.records_frame([4, 1], with_raw=True))
        assert lite.records_frame([]).empty and pg.records_frame([]).empty
        (s1, r1), (s2, r2) = lite.latest_ranking(), pg.latest_ranking()
        assert s1 == s2
        pd.testing.assert_frame_equal(r1, r2)
        assert lite.settings() == pg.settings()
        pd.testing.assert_frame_equal(lite.dedup_decisions_frame().drop(columns="created_at"),
                                      pg.dedup_decisions_frame().drop(columns="created_at"))
    finally:
        lite.close()
        pg.close()


def test_dialect_translation():
    assert pg_sql("SELECT * FROM t WHERE a = ? AND b LIKE '50%?'")[0] == "SELECT * FROM t WHERE a = %s AND b LIKE '50%?'"
    assert pg_sql("INSERT OR IGNORE INTO leases(record_id) VALUES(?)")[0] == (
        "INSERT INTO leases(record_id) VALUES(%s) ON CONFLICT DO NOTHING")
    sql, returning = pg_sql("INSERT INTO decisions(record_id) VALUES(?)")
    assert returning and sql.endswith("RETURNING decision_id")
    assert pg_sql("ALTER TABLE records ADD COLUMN score REAL")[0] == "ALTER TABLE records ADD COLUMN score DOUBLE PRECISION"
    assert display_url("postgresql://ana:s3cret@db:5432/r") == "postgresql://ana@db:5432/r"


def test_messages_name_the_database_without_its_password_wherever_the_url_gives_it():
    """libpq takes the password after the user name, with no user name, or as ``password=``; the
    last two were printed as given ('Moved to postgresql://ana@db/r?password=s3cret')."""
    assert display_url("postgresql://ana@db/r?password=s3cret&sslmode=require") == \
        "postgresql://ana@db/r?sslmode=require"
    assert display_url("postgresql://db/r?user=ana&password=s3cret") == "postgresql://db/r?user=ana"
    assert display_url("postgres://:s3cret@db/r") == "postgres://@db/r"
    kept = "postgresql://ana@db:5432/review?options=-csearch_path%3Dreview2"
    assert display_url(kept) == kept


def test_database_without_a_review(pg_url):
    with pytest.raises(ProjectError, match="no screener project in this database"):
        PostgresStore(pg_url)
    PostgresStore(pg_url, create=True).close()
    with pytest.raises(ProjectError, match="already holds a screener project"):
        PostgresStore(pg_url, create=True)


def test_a_new_review_in_a_schema_of_its_own_is_made_in_that_schema(pg_server, tmp_path):
    """The README's second review in a schema of the same database (?options=-csearch_path%3Dreview2): 'screener
    init' answered with psycopg's traceback ('no schema has been selected to create in'), the schema not there yet."""
    import uuid

    import psycopg

    from screener.project import Project

    schema = f"review_{uuid.uuid4().hex[:8]}"
    url = f"{pg_server}{'&' if '?' in pg_server else '?'}options=-csearch_path%3D{schema}"
    Project.init(tmp_path / "second", database=url).close()
    with psycopg.connect(pg_server) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                                            (schema,)).fetchall()}
    assert {"settings", "records", "decisions"} <= tables
    with Project.open(tmp_path / "second") as p:  # the folder opens that review
        assert p.store.n_records() == 0


def test_a_schema_the_account_may_not_make_is_said_in_words(pg_server):
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    role = f"nomake_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(pg_server, autocommit=True) as con:
            con.execute(f"CREATE ROLE {role} LOGIN")
    except psycopg.Error as exc:
        pytest.skip(f"cannot make an account on the test server ({exc})")
    parts = urlsplit(pg_server)
    url = urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rpartition('@')[2]}"))
    url += f"{'&' if '?' in url else '?'}options=-csearch_path%3Dreview2"
    with pytest.raises(ProjectError, match=r"schema review2 .* may not make it; nothing was changed") as err:
        PostgresStore(url, create=True)
    assert "CREATE SCHEMA review2" in str(err.value)


def test_another_applications_tables_are_left_alone(tmp_path, pg_url, toy_review):
    """A database that already held another application's 'users' table: 'migrate' failed on it
    ('columns differ') and, undoing the failed move, dropped that table with all its rows; a
    'settings' table of its own gave a traceback."""
    import psycopg

    from screener.migrate import migrate_to_server
    from screener.project import Project

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE users (id serial PRIMARY KEY, email text)")
        con.execute("INSERT INTO users(email) VALUES ('ana@example.org'), ('ben@example.org')")
    with Project.init(tmp_path / "review", settings={"embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv", n=20, n_include=2)])
    with pytest.raises(ProjectError, match="already has tables named users, which are not a screener review's; "
                                           "nothing was changed"):
        migrate_to_server(tmp_path / "review", pg_url)
    with pytest.raises(ProjectError, match="already has tables named users"):
        Project.init(tmp_path / "team", database=pg_url)
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE settings (id serial PRIMARY KEY, name text)")
        with pytest.raises(ProjectError, match="already has tables named settings, users"):
            PostgresStore(pg_url, create=True)
        assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 2
        assert {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = current_schema()")} == {"users", "settings"}


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(DatabaseUnavailable, match="cannot reach the review database at postgresql://x@127.0.0.1:9/"):
        PostgresStore("postgresql://x:pw@127.0.0.1:9/none")


def test_a_database_or_account_the_server_does_not_have_is_said_so_not_a_server_to_check(pg_server):
    """'screener init DIR --database URL' naming a database not made yet (the README: 'createdb review') said 'cannot
    reach the review database ... Check that the PostgreSQL server is running and reachable ... try again': it was
    running, and trying again never helps. So with an account name the server does not know."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(pg_server)
    missing = urlunsplit(parts._replace(path="/no_such_review"))
    with pytest.raises(ProjectError) as err:
        PostgresStore(missing, create=True)
    said = str(err.value)
    assert not isinstance(err.value, DatabaseUnavailable) and "running and reachable" not in said, said
    assert "has no database no_such_review" in said and "createdb no_such_review" in said, said
    stranger = urlunsplit(parts._replace(netloc=f"nobody_here@{parts.netloc.rpartition('@')[2]}"))
    with pytest.raises(ProjectError) as err:
        PostgresStore(stranger, create=True)
    said = str(err.value)
    assert not isinstance(err.value, DatabaseUnavailable) and "running and reachable" not in said, said
    assert "refused the account nobody_here" in said and "PGPASSWORD" in said, said


def test_an_address_postgresql_cannot_read_is_said_in_words_without_its_password():
    """'screener init DIR --database URL' with a mistyped option (?sslmod=...), a stray '%' or an unclosed '[' in the
    address ended in psycopg's traceback, whose last line printed the password given in the address
    ('invalid percent-encoded token: "ab%zzcd"', or the whole address)."""
    for url, said in (("postgresql://ana:s3cret99@127.0.0.1/r?sslmod=require", 'invalid URI query parameter: "sslmod"'),
                      ("postgresql://ana:s3cret%zz@127.0.0.1/r", "invalid percent-encoded token"),
                      ("postgresql://ana@127.0.0.1/r?password=s3cret%zz", "invalid percent-encoded token"),
                      ("postgresql://ana:s3cret99@[::1/r", 'looking for matching "]"')):
        with pytest.raises(ProjectError) as err:
            PostgresStore(url, create=True)
        words = str(err.value)
        assert "s3cret" not in words and said in words and "PostgreSQL cannot read the address" in words, words
        assert "nothing was changed" in words and "database.url" in words, words


def test_a_password_holding_an_at_sign_is_not_printed_in_part():
    """An unescaped '@' in the password: messages named the database as 'postgresql://ana@word99@db/r', the
    password's tail taken for the host."""
    assert display_url("postgresql://ana:s3cret@word99@db/r") == "postgresql://ana@db/r"
    with pytest.raises(DatabaseUnavailable) as err:  # libpq takes 'word99@127.0.0.1' for the host, and says it
        PostgresStore("postgresql://ana:s3cret@word99@127.0.0.1:9/r")
    assert "word99" not in str(err.value) and "postgresql://ana@127.0.0.1:9/r" in str(err.value), str(err.value)


def test_an_account_the_server_lets_in_only_otherwise_is_said_so_not_a_server_to_check():
    """The server's pg_hba.conf checks this account by its computer account (peer, ident), or the account may not
    connect to the database: 'cannot reach the review database ... check that the server is running ... try
    again', which never helps."""
    import psycopg

    from screener.store.postgres import _refused

    where = "postgresql://ana@db/review"
    ident = psycopg.OperationalError('connection failed: connection to server at "10.0.0.5", port 5432 failed: '
                                     'FATAL:  Ident authentication failed for user "ana"')
    said = str(_refused(where, ident))
    assert "refused the account ana" in said and "computer account" in said and "nothing was changed" in said, said
    peer = psycopg.OperationalError('connection failed: FATAL:  Peer authentication failed for user "ana"')
    assert "refused the account ana" in str(_refused(where, peer))
    denied = psycopg.OperationalError('connection failed: connection to server at "10.0.0.5", port 5432 failed: '
                                      'FATAL:  permission denied for database "review"\nDETAIL:  User does not '
                                      'have CONNECT privilege.')
    said = str(_refused(where, denied))
    assert "may not connect to the database review" in said and "GRANT CONNECT ON DATABASE review" in said, said


def test_an_address_asking_for_ssl_the_server_has_not_is_said_so_not_a_server_to_check(pg_server):
    """The address asks for an encrypted connection (?sslmode=require, or verify-full without the server's
    certificate here) that the server does not offer: 'cannot reach the review database ... check that the server is
    running and reachable ... try again', which never helps."""
    url = f"{pg_server}{'&' if '?' in pg_server else '?'}sslmode=require"
    with pytest.raises(ProjectError) as err:
        PostgresStore(url, create=True)
    said = str(err.value)
    assert not isinstance(err.value, DatabaseUnavailable) and "running and reachable" not in said, said
    assert "encrypted connection (SSL)" in said and "sslmode" in said and "nothing was changed" in said, said


def test_concurrent_writers_keep_ids_in_commit_order(pg_url):
    """Eight threads append at once: every entry is logged once and ids follow commit order."""
    store = PostgresStore(pg_url, create=True)
    _fill(store)
    seen, errors = [], []

    def writer(k):
        try:
            for i in range(25):
                store.append_decisions([Decision(record_id=4, decision="exclude", reviewer=f"r{k}",
                                                 request_id=f"{k}-{i}")])
                # a reader of the tail: what it saw last is never followed by an older id later
                seen.append(int(store.decisions_after(0)["decision_id"].max()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    log = store.decisions_frame()
    assert len(log) == 2 + 8 * 25 and log["request_id"].dropna().is_unique
    assert log["decision_id"].is_monotonic_increasing
    store.close()


def test_lead_is_held_by_one_store_at_a_time(pg_url):
    a, b = PostgresStore(pg_url, create=True), PostgresStore(pg_url)
    try:
        assert a.lead("ranking") and a.lead("ranking")
        assert not b.lead("ranking")
        a.close()  # the leader goes away (as a killed process's connection does)
        # the server frees the lock once the leader's backend has ended, which is asynchronous
        deadline = time.monotonic() + 15
        while not b.lead("ranking") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b.lead("ranking")
    finally:
        a.close()
        b.close()


def test_a_restart_of_the_server_fails_cleanly_then_recovers(pg_cluster, pg_url):
    if pg_cluster is None:
        pytest.skip("the server comes from SCREENER_TEST_DATABASE_URL; this test restarts only its own")
    store = PostgresStore(pg_url, create=True)
    _fill(store)
    pg_cluster.stop()
    try:
        with pytest.raises(DatabaseUnavailable, match="try again"):
            store.append_decisions([Decision(record_id=4, decision="include", request_id="during")])
        with pytest.raises(DatabaseUnavailable):
            store.decisions_frame()
    finally:
        pg_cluster.start()
    # the same request again once the server is back: logged once; nothing else was lost
    store.append_decisions([Decision(record_id=4, decision="include", request_id="during")])
    store.append_decisions([Decision(record_id=4, decision="include", request_id="during")])
    log = store.decisions_frame()
    assert log["decision"].tolist() == ["include", "exclude", "include"]
    store.close()


def test_pandas_can_read_through_the_server_connection(pg_url):
    """Code that hands the store's connection to pandas (as SQLite code does) works on PostgreSQL."""
    store = PostgresStore(pg_url, create=True)
    _fill(store)
    with pytest.warns(UserWarning):
        df = pd.read_sql_query("SELECT record_id, title FROM records WHERE record_id > ? ORDER BY record_id",
                               store._conn, params=(3,))
    assert df["record_id"].tolist() == [4, 5]
    store.close()


def test_accounts_and_secrets_on_both_stores(store):
    uid = store.add_user("ana", "reviewer", "hash1")
    with pytest.raises(ProjectError, match="already an account named 'ana'"):
        store.add_user("ana", "reviewer", "hash2")
    store.update_user("ana", role="owner")
    assert store.get_user("ana")["role"] == "owner" and store.users()[0]["user_id"] == uid
    first = store.get_secret("session", make=lambda: "s1")
    assert store.get_secret("session", make=lambda: "s2") == first == "s1"


def test_a_record_decided_since_the_caller_looked_is_not_claimed(store):
    _fill(store)
    seen = int(store.decisions_frame()["decision_id"].max())
    assert store.claim_record(4, "ana", ttl=60, after=seen)
    store.append_decisions([Decision(record_id=5, decision="exclude", reviewer="ben")])
    assert not store.claim_record(5, "ana", ttl=60, after=seen)  # decided after what ana's process saw
    assert store.claim_record(5, "ana", ttl=60)  # without ``after`` only other claims count


def test_rankings_are_listed_oldest_first_with_their_order(store):
    assert store.rankings_frame().empty
    _fill(store)
    first = store.rankings_frame()
    assert len(first) == 1 and store.ranking_order(int(first["ranking_id"].iloc[0])).tolist() == [4, 5]
    store.save_ranking({"ranker": "x"}, pd.DataFrame({"record_id": [5, 4], "score": [0.9, 0.1]}), 3)
    both = store.rankings_frame()
    assert both["ranking_id"].is_monotonic_increasing and both["created_at"].is_monotonic_increasing
    assert store.ranking_order(int(both["ranking_id"].iloc[-1])).tolist() == [5, 4]

def test_the_server_store_reads_without_warnings_and_as_the_file_does(tmp_path, pg_url):
    """On PostgreSQL, 'screener import' and 'screener dedup' printed pandas' warnings ("pandas only
    supports SQLAlchemy connectable ... Other DBAPI2 objects are not tested") with source lines,
    amid the reviewer's output: four reads went through pandas' SQLite reader."""
    import warnings

    lite, pg = SQLiteStore(tmp_path / "db.sqlite", create=True), PostgresStore(pg_url, create=True)
    try:
        for s in (lite, pg):
            _fill(s)
            s.replace_duplicate_review(pd.DataFrame({"record_id": [3], "other_id": [4], "reason": ["same title"]}))
            s.append_dedup_decision(3, 5, "separate", note="two trials")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for name in ("record_sources", "dedup_keys_frame", "duplicate_review_frame", "dedup_decisions_frame"):
                got = getattr(pg, name)()
                want = getattr(lite, name)()
                if name == "dedup_decisions_frame":
                    got, want = got.drop(columns="created_at"), want.drop(columns="created_at")
                pd.testing.assert_frame_equal(got, want, obj=name)
            pg._add_columns("records", ("title",))  # a column there is left as it is
    finally:
        lite.close()
        pg.close()


def test_a_restart_while_nobody_was_asking_costs_no_request(pg_cluster, pg_url):
    """The server restarted (an upgrade, a reboot) while the review sat idle: the next request opens
    a fresh connection and goes through, instead of failing once on the stale one."""
    if pg_cluster is None:
        pytest.skip("the server comes from SCREENER_TEST_DATABASE_URL; this test restarts only its own")
    store = PostgresStore(pg_url, create=True)
    _fill(store)
    pg_cluster.stop()
    pg_cluster.start()
    try:
        assert store.decisions_frame()["decision"].tolist() == ["include", "exclude"]  # a read, outside a change
        pg_cluster.stop()
        pg_cluster.start()
        store.append_decisions([Decision(record_id=4, decision="include", request_id="after")])  # a change
        pg_cluster.stop()
        pg_cluster.start()
        with store.snapshot():
            assert len(store.decisions_frame()) == 3
        assert store.now() > "2026"
    finally:
        store.close()


def test_claims_go_by_the_database_servers_clock(pg_url, monkeypatch):
    """Server processes on different machines: one whose clock runs twenty minutes ahead saw a
    teammate's claim as lapsed and handed the record on screen to a second reviewer."""
    a, b = PostgresStore(pg_url, create=True), PostgresStore(pg_url)
    try:
        _fill(a)
        assert a.claim_record(4, "ana", ttl=600)
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 1200)  # b's machine
        assert not b.claim_record(4, "ben", ttl=600)
        assert b.claims(ttl=600) == {4: "ana"}
        monkeypatch.setattr(time, "time", lambda: real() - 1200)  # a machine behind: no claim lives on
        assert b.claim_record(4, "ben", ttl=0)
    finally:
        a.close()
        b.close()


def _hold_the_turn(pg_url, what: str):
    """Another process's transaction holding ``what``'s turn (an import storing its records, say)."""
    import psycopg

    other = psycopg.connect(pg_url, autocommit=True)
    other.execute("BEGIN")
    other.execute("SELECT pg_advisory_xact_lock(hashtext(current_database() || '.' || current_schema() || ':' || %s))",
                  (what,))
    return other


def test_a_busy_review_on_the_server_says_at_once_what_the_command_waits_for(pg_url, monkeypatch, capsys):
    """'screener label' on a review on PostgreSQL while a teammate's import held the decisions' turn
    waited without a word for as long as the import took, as if screener had hung (on SQLite it says
    at once that the project is busy). Now it says so on the server too, then saves once the import
    is done."""
    store = PostgresStore(pg_url, create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records([empty_record()], sid)
    other = _hold_the_turn(pg_url, "decisions")
    said, done, t0 = decide_while_held(store, other, monkeypatch)
    assert len(store.decisions_frame()) == 1  # saved once the import was done
    assert said and said[0] <= done  # said while it waited, before the import let go
    err = " ".join(capsys.readouterr().err.split())
    assert "The project is busy" in err and display_url(pg_url) in err and "Waiting up to 30 s" in err, err
    other.close()
    store.close()


def test_a_review_on_the_server_busy_for_too_long_says_nothing_was_saved(pg_url, monkeypatch):
    """As on SQLite: after the wait, that the review is busy and nothing was saved, not a wait for ever."""
    from screener.store import sqlite as S

    monkeypatch.setattr(S, "BUSY_WAIT_S", 1.5)
    store = PostgresStore(pg_url, create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records([empty_record()], sid)
    other = _hold_the_turn(pg_url, "decisions")
    t0 = time.monotonic()
    with pytest.raises(DatabaseUnavailable, match="the project is busy.*Nothing of this change was saved; try again"):
        store.append_decisions([Decision(record_id=1, decision="include")])
    assert time.monotonic() - t0 < 10
    other.execute("COMMIT")
    store.append_decisions([Decision(record_id=1, decision="include")])  # the connection goes on
    assert len(store.decisions_frame()) == 1
    other.close()
    store.close()


def test_a_review_on_the_server_held_by_another_command_is_busy_not_a_database_restarting(pg_url, monkeypatch):
    """An import in a terminal held a review on PostgreSQL past the wait: the web's pages and the screening page's
    ranking note said 'The review database is not answering right now (restarting?)', as if the team's server were
    down, where on SQLite they say another screener command is writing and to wait for it. The same here."""
    from screener.errors import ProjectBusy
    from screener.store import sqlite as S
    from screener.web.engine import _ranking_waits

    monkeypatch.setattr(S, "BUSY_WAIT_S", 1.5)
    store = PostgresStore(pg_url, create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records([empty_record()], sid)
    other = _hold_the_turn(pg_url, "decisions")
    try:
        with pytest.raises(ProjectBusy) as held:
            store.append_decisions([Decision(record_id=1, decision="include")])
        said = _ranking_waits(held.value)
        assert "Another screener command" in said and "restarting" not in said, said
    finally:
        other.execute("COMMIT")
        other.close()
        store.close()


def test_an_account_that_may_only_read_the_review_says_so_and_saves_nothing(pg_url):
    """A teammate whose account on the team's server may only read the review: a 'screener label' (any change)
    ended in psycopg's traceback ('permission denied for table decisions'). It now says the account may only
    read the review, that nothing was saved, and to ask for write access."""
    from stores import read_only_account

    owner = PostgresStore(pg_url, create=True)
    _fill(owner)
    reader = PostgresStore(read_only_account(pg_url))
    try:
        assert reader.unwritable() == "no write access"
        with pytest.raises(ProjectError) as caught:
            reader.append_decisions([Decision(record_id=2, decision="include")])
        said = " ".join(str(caught.value).split())
        assert "may only read" in said and "Nothing of this change was saved" in said and "write access" in said
        assert len(reader.decisions_frame()) == 2
    finally:
        reader.close()
    assert owner.unwritable() is None
    owner.close()


def test_a_review_on_a_server_that_takes_no_changes_says_so_and_saves_nothing(pg_url):
    """The review's address pointing at a server (or a database) that only reads (a standby copy, a database
    set read-only): a change ended in psycopg's traceback ('cannot execute INSERT in a read-only
    transaction'). It now says the server takes no changes, and that nothing was saved."""
    owner = PostgresStore(pg_url, create=True)
    _fill(owner)
    owner.close()
    reader = PostgresStore(pg_url.replace("options=", "options=-cdefault_transaction_read_only%3Don%20", 1))
    try:
        assert reader.unwritable() == "no write access"
        with pytest.raises(ProjectError) as caught:
            reader.append_decisions([Decision(record_id=2, decision="include")])
        said = " ".join(str(caught.value).split())
        assert "takes no changes" in said and "Nothing of this change was saved" in said
        assert len(reader.decisions_frame()) == 2
    finally:
        reader.close()


def test_a_change_after_an_earlier_dump_was_put_back_is_refused_and_not_saved(pg_url):
    """pg_restore of an earlier dump while a server (or a terminal's command) had the review open: the next change
    went on from the older state without a word. Refused now, as the change is saved, and nothing of it is kept;
    a command started after the restore goes on from the restored review."""
    import psycopg

    store = PostgresStore(pg_url, create=True)
    _fill(store)
    with psycopg.connect(pg_url, autocommit=True) as con:
        before = con.execute("SELECT key, value FROM settings").fetchall()
        store.append_decisions([Decision(record_id=4, decision="exclude")])
        with con.transaction():  # what pg_restore --clean does to the settings: the dump's rows back
            con.execute("DELETE FROM settings")
            con.cursor().executemany("INSERT INTO settings(key, value) VALUES(%s, %s)", before)
            con.execute("DELETE FROM decisions WHERE record_id = 4")
    with pytest.raises(ProjectError, match="earlier copy of the review .* Nothing of this change was saved"):
        store.append_decisions([Decision(record_id=5, decision="include")])
    assert store.moved() and store.went_back()
    store.close()
    again = PostgresStore(pg_url)
    assert not again.moved() and "changes_saved" not in again.settings()
    again.append_decisions([Decision(record_id=5, decision="include")])
    assert again.decisions_frame()["record_id"].tolist() == [1, 3, 5]
    again.close()


@pytest.mark.parametrize("change", ["decision", "import"])  # an import's file is numbered as a decision is
def test_a_plain_dump_read_into_the_live_review_without_clean_is_said_and_its_numbering_set_right(tmp_path, pg_url,
                                                                                                  change):
    """A plain-SQL dump of the review read with psql into its live database, without --clean: its rows are all
    refused as already there (nothing lost), but it sets the review's numbering back to the dump's, and every new
    decision, import or account was refused with the database's 'duplicate key value violates unique constraint
    "decisions_pkey"'. The reviewer is told now what happened and that nothing was saved; screener sets the
    numbering right, and the change saved again goes through."""
    import subprocess
    import urllib.parse

    import psycopg

    from screener.store.pgcluster import find_bin_dir

    tools = find_bin_dir()
    tools = tools and (tools / "pg_ctl").resolve().parent
    if tools is None or not all((tools / t).exists() for t in ("pg_dump", "psql")):
        pytest.skip("needs PostgreSQL's pg_dump and psql (Debian's 'postgresql'); they are absent here")
    base, _, query = pg_url.partition("?")
    schema = next(urllib.parse.unquote(p).split("=", 2)[2] for p in query.split("&") if p.startswith("options="))
    store = PostgresStore(pg_url, create=True)
    _fill(store)
    dump = tmp_path / "review.sql"
    subprocess.run([tools / "pg_dump", "--format=plain", f"--file={dump}", f"--schema={schema}", f"--dbname={base}"],
                   check=True, capture_output=True)
    store.append_decisions([Decision(record_id=4, decision="exclude"), Decision(record_id=5, decision="include")])
    store.add_source(Source(file_name="c.ris", path="/tmp/c.ris", format="ris", encoding="utf-8", source_db="embase",
                            sha256="z" * 64, n_records=0))
    with psycopg.connect(pg_url) as con:
        before = con.execute("SELECT decision_id, record_id, decision FROM decisions ORDER BY 1").fetchall()
    # read without --clean: the CREATE TABLE and COPY statements fail on what is there, the rest goes through
    subprocess.run([tools / "psql", "--quiet", f"--dbname={base}", f"--file={dump}"], check=True, capture_output=True)
    def save():
        if change == "decision":
            return store.append_decisions([Decision(record_id=3, decision="include")])
        return store.add_source(Source(file_name="b.ris", path="/tmp/b.ris", format="ris", encoding="utf-8",
                                       source_db="embase", sha256="y" * 64, n_records=0))

    with pytest.raises(ProjectError) as caught:
        save()
    said = " ".join(str(caught.value).split())
    assert "numbering" in said and "psql" in said and "--clean" in said and "nothing of the review was lost" in said
    assert "not saved" in said and "again" in said and "duplicate key" not in said, said
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT decision_id, record_id, decision FROM decisions ORDER BY 1").fetchall() == before
        assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 2
    # saved again, it goes through, after the rows there
    new = save()
    if change == "decision":
        assert new[0] > before[-1][0] and store.decisions_frame()["record_id"].tolist()[-1] == 3
    else:
        assert new == 3 and store.sources_frame()["file_name"].tolist() == ["a.ris", "c.ris", "b.ris"]
    store.close()


def test_a_change_saved_by_another_thread_while_the_count_is_read_is_no_restore(pg_url):
    """'screener serve' on a review on PostgreSQL: a page asked whether an earlier dump was put back (it read the
    count of changes saved) while the same process's ranking thread saved a ranking; the ranking's count, seen
    first, made the count just read look lower, and every page said 'The review database was put back to an
    earlier copy' until the server was started again. A count read before a change of this process is no
    restore; one lower than what was seen before the read still is."""
    import psycopg

    store = PostgresStore(pg_url, create=True)
    _fill(store)
    read, saved, said = threading.Event(), threading.Event(), []
    real = store._changes

    def read_then_wait():  # the page's read of the count done, the ranking's change saved before it goes on
        count = real()
        read.set()
        assert saved.wait(30)
        return count

    store._changes = read_then_wait
    page = threading.Thread(target=lambda: said.append(store.went_back()))
    page.start()
    assert read.wait(30)
    store.set_setting("ranking_note", "a ranking saved meanwhile")  # a change counted, in another thread
    saved.set()
    page.join()
    del store._changes
    assert said == [False] and not store.moved() and not store.went_back()
    store.set_setting("ranking_note", "the next change goes through")  # nothing refused as after a restore
    assert store.get_setting("ranking_note") == "the next change goes through"
    with psycopg.connect(pg_url, autocommit=True) as con:  # an earlier dump put back: a lower count, still said
        con.execute("UPDATE settings SET value = '1' WHERE key = 'changes_saved'")
    assert store.went_back()
    store.close()


def test_a_review_whose_address_falls_back_to_public_keeps_to_its_own_schema(pg_server, tmp_path):
    """A second review's address with a fallback to public (?options=-csearch_path%3Dreview2,public, as for
    extensions kept there), the first review in public: 'init' read the first review's settings and refused ('already
    holds a screener project'), and a table missing in review2 was read and written in public, the first review's
    (a record ben had on screen went into its leases). Each review keeps to its own schema."""
    import uuid

    import psycopg

    from screener.project import Project

    with psycopg.connect(pg_server, autocommit=True) as con:  # a database of its own: the first review in public
        name = f"t{uuid.uuid4().hex[:8]}"
        con.execute(f"CREATE DATABASE {name}")
    first_url = pg_server.rsplit("/", 1)[0] + f"/{name}"
    schema = f"review_{uuid.uuid4().hex[:8]}"
    url = f"{first_url}?options=-csearch_path%3D{schema}%2Cpublic"
    Project.init(tmp_path / "first", database=first_url).close()
    Project.init(tmp_path / "second", database=url).close()
    with psycopg.connect(first_url) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                                            (schema,)).fetchall()}
    assert {"settings", "records", "decisions", "leases"} <= tables
    with Project.open(tmp_path / "first") as first:
        sid = first.store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
        rid = first.store.add_records([{**empty_record(), "title": "the first review's record"}], sid)[0]
    with psycopg.connect(first_url, autocommit=True) as con:
        con.execute(f"DROP TABLE {schema}.leases")  # a table missing in the second review's schema
    with Project.open(tmp_path / "second") as second:
        assert second.store.n_records() == 0
        with pytest.raises(Exception):
            second.store.claim_record(rid, "ben", ttl=600)
    with psycopg.connect(first_url) as con:
        assert con.execute("SELECT COUNT(*) FROM public.leases").fetchone()[0] == 0


def test_a_review_in_public_still_opens_once_a_schema_bears_the_accounts_name(pg_server, tmp_path):
    """A review made as the README says (an empty database, no schema in the address) lives in public; a schema named
    as the account, made later (PostgreSQL 15's advice, 'CREATE SCHEMA AUTHORIZATION screener'), took the account's
    default ("$user", public) alone: 'no screener project in this database', its records out of sight. One made in
    the account's own schema keeps to it; a read-only account with a schema of its own reads the review in public."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from screener.project import Project

    roles = [f"own_{uuid.uuid4().hex[:8]}", f"own_{uuid.uuid4().hex[:8]}", f"reader_{uuid.uuid4().hex[:8]}"]
    db = urlsplit(pg_server).path.lstrip("/")
    try:
        with psycopg.connect(pg_server, autocommit=True) as con:
            for role in roles:
                con.execute(f"CREATE ROLE {role} LOGIN")
                con.execute(f"GRANT ALL ON DATABASE {db} TO {role}")
            con.execute(f"GRANT ALL ON SCHEMA public TO {roles[0]}")
            con.execute(f"CREATE SCHEMA {roles[1]} AUTHORIZATION {roles[1]}")
    except psycopg.Error as exc:
        pytest.skip(f"cannot make an account on the test server ({exc})")
    parts = urlsplit(pg_server)
    urls = [urlunsplit(parts._replace(netloc=f"{r}@{parts.netloc.rpartition('@')[2]}")) for r in roles]
    for role, url in zip(roles[:2], urls):
        with Project.init(tmp_path / role, database=url) as p:
            sid = p.store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
            p.store.add_records([{**empty_record(), "title": f"{role}'s record"}], sid)
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {roles[0]} AUTHORIZATION {roles[0]}")  # made after the review, empty
        con.execute(f"CREATE SCHEMA {roles[2]} AUTHORIZATION {roles[2]}")
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {roles[2]}")
        assert con.execute(f"SELECT COUNT(*) FROM {roles[1]}.records").fetchone()[0] == 1
    for role in roles[:2]:
        with Project.open(tmp_path / role) as p:
            assert p.store.n_records() == 1
    reader = PostgresStore(urls[2])
    assert reader.n_records() == 1
    reader.close()
