import sqlite3

import pandas as pd
import pytest

from screener.errors import ProjectError
from screener.records import empty_record
from screener.store import Decision, Source, SQLiteStore
from screener.store.sqlite import SCHEMA_VERSION

from stores import (ABSTRACT, ARTICLE, decide_while_held, open_store, project_back_to_schema_7_with_a_split,
                    split_ris, store_at_schema_7_with_a_split)


def _records(n, prefix="Study"):
    out = []
    for i in range(n):
        r = empty_record()
        r.update(title=f"{prefix} {i}", abstract=f"Abstract {i}", authors=["Smith, J", "Doe, A"], year=2000 + i,
                 doi=f"10.1/{prefix.lower()}{i}", source_line=1 + 10 * i, raw={"TI": f"{prefix} {i}"})
        out.append(r)
    return out


def _source(n=3):
    return Source(file_name="a.ris", path="/tmp/a.ris", format="ris", encoding="utf-8", source_db="medline",
                  sha256="x" * 64, n_records=n)


@pytest.fixture
def store(store_target):
    s = open_store(store_target, create=True)
    yield s
    s.close()


def test_records_round_trip(store):
    sid = store.add_source(_source())
    ids = store.add_records(_records(3), sid)
    assert ids == [1, 2, 3]
    df = store.records_frame()
    assert list(df.index) == [1, 2, 3]
    assert df.loc[2, "title"] == "Study 1"
    assert df.loc[2, "authors"] == ["Smith, J", "Doe, A"]
    assert df.loc[3, "year"] == 2002
    assert df.loc[1, "source_line"] == 1
    assert store.records_frame([3, 1]).index.tolist() == [1, 3]
    assert store.records_frame(with_raw=True).loc[1, "raw"] == {"TI": "Study 0"}


def test_transaction_rolls_back_everything(store):
    sid = store.add_source(_source())
    store.add_records(_records(2), sid)
    with pytest.raises(RuntimeError):
        with store.transaction():
            sid2 = store.add_source(_source())
            store.add_records(_records(5, "Other"), sid2)
            store.append_decisions([Decision(record_id=1, decision="include")])
            raise RuntimeError("crash mid-import")
    assert store.n_records() == 2
    assert len(store.sources_frame()) == 1
    assert store.decisions_frame().empty


def test_keyboard_interrupt_rolls_back(store):
    sid = store.add_source(_source())
    with pytest.raises(KeyboardInterrupt):
        with store.transaction():
            store.add_records(_records(4), sid)
            raise KeyboardInterrupt
    assert store.n_records() == 0


def test_decision_log_is_append_only(store):
    sid = store.add_source(_source())
    store.add_records(_records(2), sid)
    store.append_decisions([Decision(record_id=1, decision="include", note="first look")])
    store.append_decisions([Decision(record_id=1, decision="exclude", reviewer="ana")])
    log = store.decisions_frame()
    assert log["decision"].tolist() == ["include", "exclude"]
    assert log["note"].tolist()[0] == "first look"
    assert log["reviewer"].tolist() == ["reviewer", "ana"]
    with pytest.raises(ValueError):
        store.append_decisions([Decision(record_id=1, decision="yes")])
    assert len(store.decisions_frame()) == 2


def test_settings_and_reopen(store_target):
    s = open_store(store_target, create=True)
    s.set_setting("target_recall", 0.9)
    s.set_setting("nested", {"a": [1, 2]})
    s.close()
    s2 = open_store(store_target)
    assert s2.get_setting("target_recall") == 0.9
    assert s2.get_setting("nested") == {"a": [1, 2]}
    assert s2.get_setting("missing", "d") == "d"


def test_open_missing_or_foreign_database(tmp_path):
    with pytest.raises(ProjectError, match="no project database"):
        SQLiteStore(tmp_path / "nope.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x(a)").connection.commit()
    with pytest.raises(ProjectError, match="not a screener project"):
        SQLiteStore(other)


def test_rankings_are_stored_with_settings(store):
    sid = store.add_source(_source())
    store.add_records(_records(3), sid)
    items = pd.DataFrame({"record_id": [3, 1, 2], "score": [0.9, 0.5, 0.1], "reason": [{"terms": ["x"]}, None, None],
                          "sampled": [False, True, False], "sample_prob": [None, 0.2, None]})
    rid = store.save_ranking({"ranker": "logreg-tfidf", "seed": 1}, items, n_labelled=0)
    settings, got = store.latest_ranking()
    assert settings["ranker"] == "logreg-tfidf" and settings["ranking_id"] == rid
    assert got["record_id"].tolist() == [3, 1, 2]
    assert got["sampled"].tolist() == [False, True, False]
    assert got["reason"][0] == {"terms": ["x"]}


def test_a_ranking_is_stored_as_two_arrays_and_the_rows_that_carry_more(store):
    """A 500,000-record ranking is one row of packed arrays; only rows with an explanation or a
    sample mark get a ranking_items row, and an explanation added later finds its rank."""
    sid = store.add_source(_source(5))
    store.add_records(_records(5), sid)
    items = pd.DataFrame({"record_id": [5, 3, 1, 2, 4], "score": [0.9, 0.7, 0.5, 0.3, 0.1], "sampled": False})
    rid = store.save_ranking({"ranker": "x"}, items, n_labelled=2)
    assert store._conn.execute("SELECT COUNT(*) FROM ranking_items").fetchone()[0] == 0
    scores = store.latest_ranking_scores()
    assert scores["record_id"].tolist() == [5, 3, 1, 2, 4] and scores["score"].tolist() == [0.9, 0.7, 0.5, 0.3, 0.1]
    store.set_reasons(rid, {2: {"reason": "near an include"}, 5: {"reason": "protocol words"}, 99: {"reason": "?"}})
    store.set_reasons(rid, {2: {"reason": "changed"}})
    _, got = store.latest_ranking()
    assert got["rank"].tolist() == [1, 2, 3, 4, 5] and got["record_id"].tolist() == [5, 3, 1, 2, 4]
    assert got["reason"].tolist() == [{"reason": "protocol words"}, None, None, {"reason": "changed"}, None]
    assert not got["sampled"].any() and got["sample_prob"].isna().all()
    assert store._conn.execute("SELECT COUNT(*) FROM ranking_items").fetchone()[0] == 2  # 99 is not ranked


def test_settings_added_to_a_stored_ranking_come_back_with_it(store):
    """What the leading process adds after storing a ranking (e.g. explanations of studies the
    ranking does not hold) reaches the other processes with the ranking."""
    sid = store.add_source(_source(3))
    store.add_records(_records(3), sid)
    rid = store.save_ranking({"ranker": "x"}, pd.DataFrame({"record_id": [2, 1], "score": [0.9, 0.1]}), n_labelled=0)
    store.add_ranking_settings(rid, {"extras": {"reasons": {"3": {"reason": "terms: peer"}}, "windows": {"": [2, 3]}}})
    store.add_ranking_settings(rid + 1, {"extras": {}})  # no such ranking: nothing to add to
    settings, got = store.latest_ranking()
    assert settings["ranker"] == "x" and settings["ranking_id"] == rid
    assert settings["extras"] == {"reasons": {"3": {"reason": "terms: peer"}}, "windows": {"": [2, 3]}}
    assert got["record_id"].tolist() == [2, 1] and store.latest_ranking_id() == rid


def test_rankings_are_found_by_a_setting(store):
    """Which rankings were a random order (its top is a random sample) or a queue by uncertainty
    (no ranking's best first): ``screener.status`` reads them apart."""
    sid = store.add_source(_source(3))
    store.add_records(_records(3), sid)
    order = pd.DataFrame({"record_id": [2, 1], "score": [0.9, 0.1]})
    a = store.save_ranking({"phase": "random"}, order, n_labelled=0)
    b = store.save_ranking({"phase": "model"}, order, n_labelled=2)
    c = store.save_ranking({"ranker": "x"}, order, n_labelled=2)  # names no phase
    d = store.save_ranking({"phase": "model", "strategy": "uncertainty"}, order, n_labelled=3)
    assert store.rankings_with("phase", ["random"]) == {a: "random"}
    assert store.rankings_with("phase", ["random", "model"]) == {a: "random", b: "model", d: "model"}
    assert store.rankings_with("strategy", ["uncertainty", "random"]) == {d: "uncertainty"}
    assert store.rankings_with("phase", []) == {} and c not in store.rankings_with("phase", ["model"])


def test_primary_ids_and_their_count_with_and_without_gaps_in_the_numbering(store):
    """The studies are every record less the grouped duplicates, whether the ids run without a
    gap (read as a range) or not (a server's sequence skips numbers a rolled-back import took)."""
    from screener.store.base import Store

    store.add_records(_records(6), store.add_source(_source(6)))
    store.replace_duplicate_groups(pd.DataFrame({"record_id": [2, 5, 3], "group_id": [2, 2, 3],
                                                 "is_primary": [True, False, True], "reason": ["", "DOI", ""]}))
    assert list(store.primary_record_ids()) == [1, 2, 3, 4, 6] == list(Store.primary_record_ids(store))
    assert list(store.duplicate_ids()) == [5] == list(Store.duplicate_ids(store))
    assert store.n_primary_records() == 5
    with store.transaction():
        store._conn.execute("DELETE FROM records WHERE record_id = 4")
    assert list(store.primary_record_ids()) == [1, 2, 3, 6] == list(Store.primary_record_ids(store))
    assert store.n_primary_records() == 4


def test_schema_5_rankings_stored_row_by_row_still_read(tmp_path):
    """Rankings saved before schema 6 (every row in ranking_items, no arrays) read as before."""
    db = tmp_path / "p.sqlite"
    s = SQLiteStore(db, create=True)
    s.add_records(_records(3), s.add_source(_source()))
    s.close()
    con = sqlite3.connect(db)
    for col in ("record_ids", "scores"):
        con.execute(f"ALTER TABLE rankings DROP COLUMN {col}")
    con.execute("INSERT INTO rankings(ranking_id, created_at, settings, n_labelled) VALUES(1, 'now', '{}', 0)")
    con.executemany("INSERT INTO ranking_items(ranking_id, rank, record_id, score, reason, sampled) VALUES(1,?,?,?,?,0)",
                    [(1, 2, 0.8, '{"reason": "a"}'), (2, 3, 0.4, None), (3, 1, 0.1, None)])
    con.execute("UPDATE settings SET value = '5' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    s = SQLiteStore(db)
    assert s.get_setting("schema_version") == SCHEMA_VERSION
    _, got = s.latest_ranking()
    assert got["record_id"].tolist() == [2, 3, 1] and got["reason"].tolist() == [{"reason": "a"}, None, None]
    assert s.latest_ranking_scores()["score"].tolist() == [0.8, 0.4, 0.1]
    s.close()


def test_schema_6_project_gains_a_reason_for_each_decision(tmp_path):
    """Decisions logged before schema 7 had no reason (why a record was excluded): opened, the log
    gets the column, its decisions read as without one, and new ones keep theirs."""
    db = tmp_path / "p.sqlite"
    s = SQLiteStore(db, create=True)
    s.add_records(_records(2), s.add_source(_source()))
    s.append_decisions([Decision(record_id=1, decision="exclude", stage="full_text", note="old")])
    s.close()
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE decisions DROP COLUMN reason")
    con.execute("UPDATE settings SET value = '6' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    s = SQLiteStore(db)
    assert s.get_setting("schema_version") == SCHEMA_VERSION
    s.append_decisions([Decision(record_id=2, decision="exclude", stage="full_text", reason="wrong population")])
    log = s.decisions_frame()
    assert log["note"].fillna("").tolist() == ["old", ""]
    assert log["reason"].fillna("").tolist() == ["", "wrong population"]
    s.close()


def test_duplicate_groups_replace_and_splits(store):
    sid = store.add_source(_source())
    store.add_records(_records(3), sid)
    store.replace_duplicate_groups(pd.DataFrame({"record_id": [1, 2, 3], "group_id": [1, 1, 3],
                                                 "is_primary": [True, False, True], "reason": ["", "same DOI", ""]}))
    g = store.duplicate_groups_frame()
    assert g["group_id"].tolist() == [1, 1, 3]
    store.append_dedup_decision(2, 1, "split", note="taken out of the group of records 1")
    store.append_dedup_decision(2, 1, "unsplit")
    store.append_dedup_decision(2, 1, "merge")
    log = store.dedup_decisions_frame()
    assert log[["record_id", "other_id", "decision"]].values.tolist() == [
        [2, 1, "split"], [2, 1, "unsplit"], [1, 2, "merge"]]  # a split keeps the record taken out first
    with pytest.raises(ValueError):
        store.append_dedup_decision(1, 2, "maybe")
    assert store.n_records() == 3  # grouping never deletes records


def test_a_separate_says_whether_it_took_a_record_out_of_a_group(store):
    """A candidate pair of the duplicate review said 'separate' was logged as a grouped pair split would
    be, so a record that never left a group read as taken out of one (the random sample's certificate
    withdrawn). The log says now whether the pair was one study: 1 grouped, 0 never, a split always 1."""
    sid = store.add_source(_source())
    store.add_records(_records(3), sid)
    store.replace_duplicate_groups(pd.DataFrame({"record_id": [1, 2, 3], "group_id": [1, 1, 3],
                                                 "is_primary": [True, False, True], "reason": ["", "same DOI", ""]}))
    store.append_dedup_decision(3, 1, "separate")
    store.append_dedup_decision(2, 1, "separate")
    store.append_dedup_decision(2, 1, "split")
    store.append_dedup_decision(2, 1, "merge")
    log = store.dedup_decisions_frame()
    assert [None if pd.isna(v) else int(v) for v in log["left_group"]] == [0, 1, 1, None]


def test_a_separate_of_a_project_of_format_10_reads_as_not_known(tmp_path):
    """A project of format 10 logged no word on whether a 'separate' took a record out of a group: brought
    up to this format, its decisions are kept as they were, that word not known (the status reads them as
    taken out, as it did)."""
    db = tmp_path / "p.sqlite"
    s = SQLiteStore(db, create=True)
    s.add_records(_records(2), s.add_source(_source()))
    s.append_dedup_decision(1, 2, "separate", note="not the same")
    s.close()
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE dedup_decisions DROP COLUMN left_group")
    con.execute("UPDATE settings SET value = '10' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    s = SQLiteStore(db)
    log = s.dedup_decisions_frame()
    assert s.get_setting("schema_version") == SCHEMA_VERSION == 11
    assert log[["decision", "note"]].values.tolist() == [["separate", "not the same"]]
    assert log["left_group"].isna().all()
    s.close()


def test_the_duplicates_stamp_changes_with_a_merge_and_a_split_that_keep_the_counts(store):
    """A front end holding the records (the web page, the terminal screen) checks this stamp: one
    group of copies replaced by another leaves as many records and studies as before."""
    from screener.store.base import Store

    sid = store.add_source(_source())
    store.add_records(_records(6), sid)
    seen = []

    def groups(rows, update=False):
        frame = pd.DataFrame(rows, columns=["record_id", "group_id", "is_primary", "reason"])
        (store.update_duplicate_groups if update else store.replace_duplicate_groups)(frame)
        seen.append(Store.duplicates_stamp(store))  # the groups as they read back
        return store.n_records(), store.n_primary_records(), store.duplicates_stamp()

    first = groups([(1, 1, True, ""), (2, 1, False, "same DOI")])
    other = groups([(4, 4, True, ""), (5, 4, False, "same DOI")])  # merged 4 and 5, took 2 out of 1's
    assert first[:2] == other[:2] and first != other
    swapped = groups([(4, 4, False, "same DOI"), (5, 4, True, "")])  # the same pair, the other copy kept
    assert swapped[:2] == other[:2] and swapped != other
    assert seen[1] != seen[0] and seen[2] != seen[1]  # the groups did change each time
    again = groups([(4, 4, False, "same DOI"), (5, 4, True, "")], update=True)  # written again: a copy's group
    assert again[:2] == swapped[:2] and again != swapped
    assert groups([])[2][-1] == 0  # no copies left
    assert store.get_setting("duplicate_groups_written") == 5  # each of the 5 writes counted once, in its transaction


def test_schema_4_project_gains_volume_issue_pages_from_its_raw_records(tmp_path):
    """Projects imported before schema 5 keep working, and their records get volume, issue and
    pages from the fields the import kept, so de-duplication can use them at once."""
    import sqlite3

    from screener.project import Project

    ris = tmp_path / "a.ris"
    ris.write_text("TY  - JOUR\nTI  - A trial of something\nVL  - 12\nIS  - 3\nSP  - 0101\nEP  - 9\nER  - \n"
                   "TY  - JOUR\nTI  - Another trial\nER  - \n", encoding="utf-8")
    csv = tmp_path / "b.csv"
    csv.write_text("Title,Volume,Issue,Start Page,End Page\nA table record,7,2,e33,\n", encoding="utf-8")
    p = Project.init(tmp_path / "review")
    p.import_files([ris, csv])
    p.close()
    db = next((tmp_path / "review").glob("*.sqlite*"))
    con = sqlite3.connect(db)
    for col in ("volume", "issue", "pages", "start_page"):
        con.execute(f"ALTER TABLE records DROP COLUMN {col}")
    con.execute("DROP TABLE duplicate_review")
    con.execute("DROP TABLE dedup_decisions")
    for col in ("record_ids", "scores"):
        con.execute(f"ALTER TABLE rankings DROP COLUMN {col}")
    con.execute("UPDATE settings SET value = '4' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with Project.open(tmp_path / "review") as q:
        assert q.store.get_setting("schema_version") == SCHEMA_VERSION
        assert q.store.duplicate_review_frame().empty and q.store.dedup_decisions_frame().empty
        recs = q.store.records_frame()
        got = recs[["volume", "issue", "pages", "start_page"]].fillna("").values.tolist()
        assert got == [["12", "3", "0101-9", "101"], ["", "", "", ""], ["7", "2", "e33", "e33"]]


def test_schema_7_split_becomes_the_pairs_it_kept_apart_and_the_abstracts_later_copy_joins_it(tmp_path):
    """A schema 7 project kept a split record (3, an abstract split from the article 1, 2) on its
    own for good: the update search's copy of the abstract (5, same DOI) joined the article. Opened
    now, the split is what the reviewer said (3 is not the study of 1 or 2; records imported after
    the split were never in that group), so 5 joins 3 and the article's copy 6 stays the article's."""
    from screener.project import Project

    ris, article, abstract = split_ris, ARTICLE, ABSTRACT
    p = Project.init(tmp_path / "review")
    p.import_files([ris(tmp_path / "a.ris", [article, article, abstract])])
    p.import_files([ris(tmp_path / "u.ris", [abstract, article])], source_db="Scopus")  # 4, 5
    p.close()
    con = sqlite3.connect(next((tmp_path / "review").glob("*.sqlite*")))
    project_back_to_schema_7_with_a_split(con)  # 3 alone, its copy 4 with the article
    con.close()
    with Project.open(tmp_path / "review") as q:
        assert q.store.get_setting("schema_version") == SCHEMA_VERSION
        log = q.store.dedup_decisions_frame()
        assert log[["record_id", "other_id", "decision"]].values.tolist() == [[3, 1, "split"], [3, 2, "split"]]
        assert set(log["created_at"]) == {"2026-01-02T00:00:00.000+00:00"}
        assert q.split_records() == {3}
        q.deduplicate()
        g = q.store.duplicate_groups_frame().set_index("record_id")["group_id"].to_dict()
    assert g == {1: 1, 2: 1, 3: 3, 4: 3, 5: 1}
    con = sqlite3.connect(next((tmp_path / "review").glob("*.sqlite*")))
    assert not con.execute("SELECT name FROM sqlite_master WHERE name = 'dedup_splits'").fetchall()
    con.close()


def test_schema_7_split_is_logged_as_pairs_on_both_stores(store_target):
    """The schema 7 to 8 step on SQLite and on a server: a split record (3, split from 1 and 2)
    becomes a "split" pair with each, in the one migration transaction, and the old table goes."""
    s = open_store(store_target, create=True)
    # one study; 3 split from 1 and 2
    store_at_schema_7_with_a_split(s, _records(3, prefix="Peer workers in supervised consumption sites outcomes"),
                                   _source())
    s.close()
    s = open_store(store_target)
    try:
        assert s.get_setting("schema_version") == SCHEMA_VERSION
        log = s.dedup_decisions_frame()
        assert log[["record_id", "other_id", "decision", "origin"]].values.tolist() == [
            [3, 1, "split", "migration"], [3, 2, "split", "migration"]]
        assert not s._has_table("dedup_splits")
    finally:
        s.close()


def test_search_in_sqlite_matches_the_pandas_search(store):
    """The records list searches inside SQLite (no texts loaded); it finds what lower-casing in
    Python finds, beyond ASCII too, and every word must be there."""
    from screener.store.base import Store

    recs = _records(4)
    recs[0].update(title="Über die Schädel", abstract=None)
    recs[1].update(title=None, abstract="PEER workers in Harm Reduction")
    recs[2].update(title="Peer review", abstract="no reduction here")
    store.add_records(recs, store.add_source(_source(4)))
    for words in (["über"], ["peer"], ["peer", "harm"], ["reduction"], ["abstract 3"], ["nothing-like-this"]):
        assert store.search_record_ids(words) == Store.search_record_ids(store, words), words
    assert store.search_record_ids(["über"]) == [1]
    assert store.search_record_ids(["peer", "harm"]) == [2]
    idx = store.records_index_frame()
    assert list(idx.index) == [1, 2, 3, 4] and list(idx.columns) == ["source_db"]


def test_records_whose_original_holds_a_text_are_found_without_reading_every_original(store):
    """A study a screener export marked retracted is found by its original record's words (the export's column, its
    RIS note), inside the database: only those few originals are read whole."""
    recs = _records(3)
    recs[0]["raw"] = {"record_id": "7", "source_file": "a.ris", "source_line": 2, "retracted": "yes"}
    recs[2]["raw"] = {"N1": ["Retracted (screener): yes: a copy of this study is titled as retracted"]}
    store.add_records(recs, store.add_source(_source(3)))
    assert store.record_ids_whose_raw_holds("etracted") == [1, 3]
    assert store.record_ids_whose_raw_holds("nothing-like-this") == []
    recs = _records(2, prefix="Other")
    recs[0]["raw"] = {"record_id": "8", "source_file": "a.ris", "source_line": 3, "retracted": ""}
    store.add_records(recs, store.add_source(_source(2)))
    assert store.record_ids_whose_raw_holds({"retracted": "yes"}, "Retracted (screener): ") == [1, 3]
    assert store.record_ids_whose_raw_holds({"retracted": "YE"}) == [1] and store.record_ids_whose_raw_holds() == []


def test_the_search_of_originals_reads_percent_and_underscore_as_text_and_case_alike_on_both_databases(store):
    """SQL's LIKE read '%' and '_' in the text looked for as wildcards ('50%' found '50 mg', 'a_b' found 'axb'), and
    SQLite's LIKE ignores case where PostgreSQL's does not: the same review found other records on each database."""
    recs = _records(4)
    for r, note in zip(recs, ["dose 50% lower", "dose 50 mg", "arm a_b", "arm axb, RETRACTED"]):
        r["raw"] = {"N1": note}
    store.add_records(recs, store.add_source(_source(4)))
    assert store.record_ids_whose_raw_holds("50%") == [1]
    assert store.record_ids_whose_raw_holds("a_b") == [3]
    assert store.record_ids_whose_raw_holds("%") == [1]
    assert store.record_ids_whose_raw_holds("Retracted") == store.record_ids_whose_raw_holds("retracted") == [4]


def test_the_search_of_originals_finds_quotes_backslashes_and_line_breaks_as_the_original_has_them(store):
    """The originals are stored as JSON, which writes '"', '\\' and a line break escaped: a text holding one was
    looked for as written and not found in the very record that holds it."""
    recs = _records(3)
    for r, note in zip(recs, ['he said "stop" here', "a\\b path", "line one\nline two"]):
        r["raw"] = {"N1": note}
    store.add_records(recs, store.add_source(_source(3)))
    assert store.record_ids_whose_raw_holds('said "stop"') == [1]
    assert store.record_ids_whose_raw_holds("a\\b") == [2]
    assert store.record_ids_whose_raw_holds("one\nline") == [3]


def test_a_project_another_process_keeps_busy_says_so_and_writes_nothing(tmp_path, monkeypatch):
    """A second screener command (a label, a web decision) on a project file while a long import in
    another terminal holds its write lock past the wait: a traceback ('database is locked') and, on
    the web page, an error the page did not send again. Now a message, and a retryable error."""
    from screener.errors import DatabaseUnavailable
    from screener.store import sqlite as S

    store = SQLiteStore(tmp_path / "db.sqlite", create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records([empty_record()], sid)
    monkeypatch.setattr(S, "BUSY_WAIT_S", 1.0)  # the wait (30 s) over sooner
    other = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the import in the other terminal, writing
    with pytest.raises(DatabaseUnavailable, match="another screener command .* Nothing of this change was saved"):
        store.append_decisions([Decision(record_id=1, decision="include")])
    other.execute("ROLLBACK")
    assert store.decisions_frame().empty
    store.append_decisions([Decision(record_id=1, decision="include")])  # once it has finished
    assert len(store.decisions_frame()) == 1
    other.close()
    store.close()


def test_a_busy_project_says_at_once_what_the_command_waits_for(tmp_path, monkeypatch, capsys):
    """'screener label' while an import in another terminal was writing: 30 s with no word, as if
    screener had hung. Now it says at once that the project is busy and what it waits for, then saves
    when the import is done."""
    store = SQLiteStore(tmp_path / "screener.sqlite", create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records([empty_record()], sid)
    other = sqlite3.connect(tmp_path / "screener.sqlite", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the import in the other terminal, writing
    said, done, t0 = decide_while_held(store, other, monkeypatch)
    assert len(store.decisions_frame()) == 1  # saved once the import was done
    assert said and said[0] <= done  # said while it waited, before the import let go
    err = capsys.readouterr().err
    assert "The project is busy" in err and "screener.sqlite" in err and "Waiting up to 30 s" in err
    other.close()
    store.close()


def test_a_note_with_a_nul_character_is_kept_without_it_on_both_stores(store):
    """Pasted text can carry an invisible NUL character. On PostgreSQL the decision carrying such
    a note failed (a server error on the screening page; nothing saved); on SQLite it was stored,
    and the review could then not move to a server."""
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 2))
    store.add_records([empty_record(), empty_record()], sid)
    store.append_decisions([Decision(record_id=1, decision="exclude", note="wrong\x00 population",
                                     reason="wrong\x00 population")])
    store.append_dedup_decision(1, 2, "separate", note="not\x00 the same")
    log = store.decisions_frame()
    assert log["note"].tolist() == ["wrong population"] and log["reason"].tolist() == ["wrong population"]
    assert store.dedup_decisions_frame()["note"].tolist() == ["not the same"]


def test_a_project_of_a_newer_screener_says_to_update_and_is_left_as_it_is(tmp_path):
    """'project made by another screener version (schema 8)' said neither which is newer nor what to do."""
    db = tmp_path / "p.sqlite"
    SQLiteStore(db, create=True).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE settings SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match=f"saved by a newer screener .*reads up to {SCHEMA_VERSION}.*Update "
                                           "screener.*nothing in the project was changed"):
        SQLiteStore(db)
    con = sqlite3.connect(db)
    got = con.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()[0]
    assert got == str(SCHEMA_VERSION + 1)
    con.close()


def test_a_project_brought_up_to_this_format_says_so_once(tmp_path, capsys):
    """This screener upgraded an older project's format without a word; a teammate's screener, not
    updated, then refused the project, and nobody knew why it had worked the day before. Now the
    upgrade is told once: from which format to which, and that older screeners need updating."""
    db = tmp_path / "screener.sqlite"
    SQLiteStore(db, create=True).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE settings SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION - 1),))
    con.commit()
    con.close()
    capsys.readouterr()
    SQLiteStore(db).close()
    err = " ".join(capsys.readouterr().err.split())
    assert (f"screener.sqlite: this project was brought up from format {SCHEMA_VERSION - 1} to format "
            f"{SCHEMA_VERSION}") in err
    assert f"A screener that reads only up to format {SCHEMA_VERSION - 1} (one not updated since) cannot open" in err
    SQLiteStore(db).close()  # once: the project is in this format now
    assert capsys.readouterr().err == ""


def test_another_file_under_the_database_name_is_named_not_a_traceback(tmp_path):
    """A text file (or a damaged one) saved as screener.sqlite raised sqlite3.DatabaseError
    'file is not a database' as a traceback; it is named now, and left as it was."""
    db = tmp_path / "screener.sqlite"
    db.write_text("hello, this is not a database\n" * 200)
    with pytest.raises(ProjectError, match="screener.sqlite: this file is not a screener project database .*backup"):
        SQLiteStore(db)
    assert db.read_text() == "hello, this is not a database\n" * 200


def test_two_commands_opening_an_older_project_at_once_upgrade_it_once(tmp_path):
    """Two commands started together on a project of an older screener ('screener open' and a
    'screener status' beside it, after an update): both read the old format before either had the
    write lock, and the second then upgraded it again over the first's upgrade ('duplicate column
    name: request_id', a traceback). The second now sees the project is up to date and just opens it."""
    import threading
    import time

    db = tmp_path / "p.sqlite"
    s = SQLiteStore(db, create=True)
    s.add_records(_records(2), s.add_source(_source(2)))
    s.append_decisions([Decision(record_id=1, decision="include", note="kept")])
    s.close()
    con = sqlite3.connect(db, isolation_level=None)  # as schema 3 had it: no request ids, no leases
    con.execute("DROP INDEX decisions_request")
    con.execute("ALTER TABLE decisions DROP COLUMN request_id")
    con.execute("DROP TABLE leases")
    con.execute("UPDATE settings SET value = '3' WHERE key = 'schema_version'")
    con.execute("BEGIN IMMEDIATE")  # a third command writing: the two wait for the lock after reading the format
    opened, failed = [], []

    def open_it():
        try:
            opened.append(SQLiteStore(db))
        except Exception as exc:  # noqa: BLE001 - what the command would have shown
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    con.execute("COMMIT")
    for t in threads:
        t.join(60)
    con.close()
    assert not failed, failed
    assert len(opened) == 2 and all(o.get_setting("schema_version") == SCHEMA_VERSION for o in opened)
    assert opened[0].decisions_frame()["note"].tolist() == ["kept"]
    for o in opened:
        o.close()


def test_an_upgrade_that_fails_half_way_leaves_the_older_project_as_it_was_and_says_so(tmp_path, monkeypatch):
    """Bringing a format 7 project up to date failed half-way (the disk full while its splits were
    written as pairs): the reviewer got a traceback and could not tell whether the project was
    damaged. Nothing of the upgrade is kept (it is still format 7, its split table whole, and opens
    once the cause is gone), and the message says so."""
    db = tmp_path / "p.sqlite"
    s = SQLiteStore(db, create=True)
    store_at_schema_7_with_a_split(s, _records(3), _source())  # one study; 3 split from 1 and 2
    s.close()
    write_pairs = SQLiteStore._splits_as_pairs

    def disk_full(store):
        write_pairs(store)  # the pairs written, then the disk fills up
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(SQLiteStore, "_splits_as_pairs", disk_full)
    with pytest.raises(ProjectError, match=rf"format 7 .* up to format {SCHEMA_VERSION} failed "
                                           r"\(database or disk is full\).*nothing in it was changed"):
        SQLiteStore(db)
    monkeypatch.undo()
    con = sqlite3.connect(db)
    assert con.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()[0] == "7"
    assert con.execute("SELECT record_id FROM dedup_splits").fetchall() == [(3,)]
    assert con.execute("SELECT COUNT(*) FROM dedup_decisions").fetchone()[0] == 0
    con.close()
    s = SQLiteStore(db)  # the disk freed: it opens, upgraded
    assert s.get_setting("schema_version") == SCHEMA_VERSION and len(s.dedup_decisions_frame()) == 2
    s.close()


def test_a_full_disk_during_a_write_says_so_and_keeps_the_project_as_it_was(tmp_path):
    """The disk filling up during an import (a 20,000-record search on a nearly full laptop): a
    traceback 'cannot rollback - no transaction is active' (SQLite had already undone the write),
    the real cause 'database or disk is full' buried above it. Now it names the file, says that
    nothing was saved and to free some space; the project is as before and takes the next write."""
    store = SQLiteStore(tmp_path / "db.sqlite", create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records(_records(1), sid)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk full after two more pages
    with pytest.raises(ProjectError, match=r"db\.sqlite: the disk holding the project is full.*Nothing of this "
                                           r"change was saved.*free some space"):
        store.add_records(_records(2000, "Big"), sid)
    assert store.n_records() == 1 and not store._conn.in_transaction
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    assert store.add_records(_records(2000, "Big"), sid)[:1] == [2] and store.n_records() == 2001
    store.close()


def test_a_project_on_a_full_disk_is_not_called_read_only(tmp_path, monkeypatch):
    """A project opened on a full disk: SQLite cannot make its write-ahead log beside it ('disk
    I/O error'), so the project was opened for reading only, and the first write said 'this
    project is on read-only storage ... ask for write access', which sent the reviewer to the
    wrong person. Now the write says the disk is full, naming the file; nothing is saved."""
    import shutil

    from screener.store import sqlite as S

    db = tmp_path / "db.sqlite"
    SQLiteStore(db, create=True).close()
    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):
        if not kwargs.get("uri"):  # the read-write open: its log cannot be made
            raise sqlite3.OperationalError("disk I/O error")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(S.sqlite3, "connect", connect)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10 << 30, 10 << 30, 0))
    store = SQLiteStore(db)
    assert store.read_only and store.get_setting("schema_version") == SCHEMA_VERSION  # it can still be read
    with pytest.raises(ProjectError, match=r"db\.sqlite: the disk holding the project is full.*Nothing of this "
                                           r"change was saved.*free some space"):
        store.set_setting("mode", "dual")
    store.close()
    monkeypatch.undo()
    assert SQLiteStore(db).get_setting("mode") is None


def test_the_project_file_copied_while_the_review_is_open_holds_the_decisions_saved(tmp_path):
    """'screener serve' (or 'screener open') running, a reviewer copies screener.sqlite to send it
    or keep it: the decisions of the session were still in screener.sqlite-wal beside it, where
    SQLite keeps them until the last process closes the project, so the copy had none of them, and
    nobody was told. Each saved change is now written into the project file itself as well."""
    import shutil

    db = tmp_path / "p" / "screener.sqlite"
    db.parent.mkdir()
    store = SQLiteStore(db, create=True)  # held open, as the web server holds it
    sid = store.add_source(_source(3))
    store.add_records(_records(3), sid)
    store.append_decisions([Decision(record_id=1, decision="include"), Decision(record_id=2, decision="exclude")])
    (tmp_path / "copy").mkdir()
    shutil.copyfile(db, tmp_path / "copy" / "screener.sqlite")  # the file alone, not its -wal
    copy = SQLiteStore(tmp_path / "copy" / "screener.sqlite")
    assert copy.n_records() == 3
    assert copy.decisions_frame()["decision"].tolist() == ["include", "exclude"]
    copy.close()
    store.close()


def test_a_project_another_program_keeps_locked_is_busy_not_read_only(tmp_path, monkeypatch):
    """Another program holding the project file locked as screener opened it (a tool that had put
    it back in SQLite's older journal mode, writing): after the 30-second wait the project was
    opened for reading only, from the file as it was, so 'screener status' showed figures without a
    word and 'screener label' said 'this project is on read-only storage ... ask for write access'.
    Now it says that another program is writing to the project, nothing was saved, and to try again."""
    from screener.errors import DatabaseUnavailable
    from screener.store import sqlite as S

    db = tmp_path / "screener.sqlite"
    SQLiteStore(db, create=True).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA journal_mode=DELETE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO settings(key, value) VALUES('mode', '\"dual\"')")
    real_connect = sqlite3.connect
    monkeypatch.setattr(S.sqlite3, "connect", lambda *a, **k: real_connect(*a, **{**k, "timeout": 0.1}))
    with pytest.raises(DatabaseUnavailable, match=r"screener\.sqlite: the project is busy.*Nothing of this change "
                                                  r"was saved; try again"):
        SQLiteStore(db)
    other.execute("COMMIT")
    other.close()
    store = SQLiteStore(db)
    assert not store.read_only and store.get_setting("mode") == "dual"
    store.close()


def _review_with_a_log_left(tmp_path, toy_review, *, grow: bool):
    """A review, its backup, and the folder as a killed screener left it a session later:
    screener.sqlite and the screener.sqlite-wal it was writing (copied while the review was open)."""
    import gc
    import shutil

    from screener.project import Project

    d = tmp_path / "review"
    with Project.init(d) as project:
        project.import_files([toy_review(tmp_path / "search.csv", n=400, n_include=20)])
    shutil.copy(d / "screener.sqlite", tmp_path / "backup.sqlite")
    with Project.open(d) as project:  # the day after the backup
        if grow:  # a second search imported
            project.import_files([toy_review(tmp_path / "update.csv", n=400, n_include=20, seed=3)])
        project.store.append_decisions([Decision(record_id=200 + i, decision="exclude", note="wrong population")
                                        for i in range(1, 60)])
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    with Project.open(d) as project:  # the session the screener was killed in
        project.store.append_decisions([Decision(record_id=300 + i, decision="exclude", note="not peer workers")
                                        for i in range(1, 30)])
        for name in ("screener.sqlite", "screener.sqlite-wal"):
            shutil.copy(d / name, crashed / name)
    gc.collect()
    return crashed, tmp_path / "backup.sqlite"


@pytest.mark.parametrize("grow", [True, False])
def test_a_log_left_by_a_killed_screener_is_read(tmp_path, toy_review, grow):
    from screener.project import Project

    crashed, _ = _review_with_a_log_left(tmp_path, toy_review, grow=grow)
    assert (crashed / "screener.sqlite-wal").stat().st_size > 0
    with Project.open(crashed) as project:
        log = project.decision_log()
        assert (log["note"] == "not peer workers").sum() == 29
        assert project.store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("grow", [True, False])
def test_a_backup_put_back_beside_the_old_log_is_not_mixed_with_it(tmp_path, toy_review, grow):
    """A backup copied over screener.sqlite while the old screener.sqlite-wal stayed: SQLite replayed
    the log onto the backup ('database disk image is malformed', or indexes that lost entries)."""
    import shutil

    from screener.project import Project

    crashed, backup = _review_with_a_log_left(tmp_path, toy_review, grow=grow)
    shutil.copy(backup, crashed / "screener.sqlite")
    log_before = (crashed / "screener.sqlite-wal").read_bytes()
    with pytest.raises(ProjectError) as err:
        Project.open(crashed)
    msg = str(err.value)
    assert "screener.sqlite-wal" in msg and "backup" in msg
    assert "move screener.sqlite-wal and screener.sqlite-shm out of the folder" in msg
    assert (crashed / "screener.sqlite").read_bytes() == backup.read_bytes()  # nothing changed
    assert (crashed / "screener.sqlite-wal").read_bytes() == log_before
    # as the message says: the log moved away, the backup opens as it was
    (crashed / "screener.sqlite-wal").rename(tmp_path / "old.sqlite-wal")
    (crashed / "screener.sqlite-shm").unlink(missing_ok=True)
    with Project.open(crashed) as project:
        assert project.store.n_records() == 400
        assert not (project.decision_log()["note"] == "not peer workers").any()
        assert project.store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_backup_copied_over_a_linked_project_file_beside_its_old_log_is_refused(tmp_path, toy_review):
    """screener.sqlite a link to the file kept in a synced folder, where SQLite keeps its log (beside the file
    linked to, not beside the link): a backup copied by hand over that file, the killed session's log left
    beside it, was opened and the log replayed onto it (two states of the review mixed), as the check looked
    for the log beside the link. It is now refused as it is without a link, nothing changed."""
    import os
    import shutil

    from screener.project import Project

    crashed, backup = _review_with_a_log_left(tmp_path, toy_review, grow=True)
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    for name in ("screener.sqlite", "screener.sqlite-wal"):
        shutil.move(crashed / name, synced / name.replace("screener", "peer-support"))
    os.symlink(synced / "peer-support.sqlite", crashed / "screener.sqlite")
    shutil.copy(backup, synced / "peer-support.sqlite")  # copied in by hand, the log left beside it
    log_before = (synced / "peer-support.sqlite-wal").read_bytes()
    with pytest.raises(ProjectError, match=r"write-ahead log beside it \(peer-support.sqlite-wal\) was written on"):
        Project.open(crashed)
    assert (synced / "peer-support.sqlite").read_bytes() == backup.read_bytes()  # nothing changed
    assert (synced / "peer-support.sqlite-wal").read_bytes() == log_before

def test_the_web_servers_own_threads_waiting_on_each_other_say_nothing(tmp_path, capsys):
    """'screener serve' saving a ranking in its background thread while a reviewer's decision came in on a
    request thread: the server's terminal said "The project is busy: another screener command ... or another
    program is writing ... Waiting up to 30 s" for each such request, though nothing else was writing (the
    server waited on itself). A request thread now waits without a word; the decision is saved."""
    import threading
    import time

    store = SQLiteStore(tmp_path / "screener.sqlite", create=True)
    sid = store.add_source(Source("a.ris", "/x/a.ris", "ris", "utf-8", "db", "h" * 64, 1))
    store.add_records([empty_record()], sid)
    holding, done = threading.Event(), []

    def ranking_save():  # the server's background refit, saving its ranking
        with store.transaction():
            store.set_setting("ranking_note", "x")
            holding.set()
            time.sleep(1.5)

    def request():  # a reviewer's decision, on a request thread
        holding.wait()
        store.append_decisions([Decision(record_id=1, decision="include")])
        done.append(True)

    threads = [threading.Thread(target=ranking_save), threading.Thread(target=request)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert done and len(store.decisions_frame()) == 1
    assert "The project is busy" not in capsys.readouterr().err
    store.close()


def test_a_log_started_again_while_it_was_read_is_no_foreign_log(tmp_path, monkeypatch):
    """A command opening the project while 'screener serve' saved a decision: the server started its
    write-ahead log over (every change in it already in the file) while the command was reading it, so
    the command read the start of the old log and then the server's new changes. It refused the healthy
    project as "the write-ahead log beside it was written on another version of this file". A log that
    changed while it was read is read again."""
    from screener.store import sqlite as S

    path = tmp_path / "screener.sqlite"
    SQLiteStore(path, create=True).close()
    a = sqlite3.connect(path, isolation_level=None)
    b = sqlite3.connect(path, isolation_level=None)
    for c in (a, b):
        c.execute("PRAGMA wal_autocheckpoint = 0")
    a.execute("CREATE TABLE IF NOT EXISTS filler(x BLOB)")
    a.execute("INSERT INTO filler VALUES (zeroblob(20000))")  # the file grows: page 1 in the log
    b.execute("INSERT INTO filler VALUES (zeroblob(20000))")  # again, by another connection: counted up
    busy, logged, done = a.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and logged == done  # all of it in the file; the log starts over at the next change
    frames = S._log_frames(path.with_name(path.name + "-wal"))[0]
    first_commit = next(i for i, (_, size, _) in enumerate(frames) if size)
    real_open, reads = open, []

    class Reading:  # the log as the command reads it, the server writing after its first change was read
        def __init__(self, fh):
            self.fh = fh

        def read(self, n=-1):
            data = self.fh.read(n)
            reads.append(n)
            if len(reads) == first_commit + 2:  # the header, then the frames up to the first commit
                b.execute("INSERT INTO filler VALUES (zeroblob(60000))")  # a decision saved: the log starts over
            return data

        def seek(self, *args):
            return self.fh.seek(*args)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def opening(file, mode="r", *args, **kwargs):
        fh = real_open(file, mode, *args, **kwargs)
        return Reading(fh) if str(file).endswith("-wal") and not reads else fh

    monkeypatch.setattr(S, "open", opening, raising=False)
    store = SQLiteStore(path)  # refused before: "written on another version of this file"
    assert len(reads) > first_commit + 2  # the log was read while it started over
    assert store.get_setting("schema_version") is not None
    store.close()
    a.close()
    b.close()


def test_another_project_copied_over_the_file_in_place_is_noticed_and_not_written_to(tmp_path):
    """'cp other/screener.sqlite review/screener.sqlite' while 'screener serve' had the review open: the
    file keeps its place on the disk (cp writes into it), so the server did not notice, went on showing
    the review from memory and wrote its next decision into the other project's records. The file is
    now seen to be another project's, and nothing is written into it."""
    import shutil

    def made(path, prefix, n):
        s = SQLiteStore(path, create=True)
        sid = s.add_source(_source(n))
        s.add_records(_records(n, prefix), sid)
        return s

    served = made(tmp_path / "screener.sqlite", "Ours", 3)
    served.append_decisions([Decision(record_id=1, decision="include")])
    made(tmp_path / "other.sqlite", "Theirs", 5).close()
    assert not served.moved()
    shutil.copyfile(tmp_path / "other.sqlite", tmp_path / "screener.sqlite")  # cp: the same file, other text
    assert served.moved()
    with pytest.raises(ProjectError, match="moved or replaced"):
        served.append_decisions([Decision(record_id=2, decision="exclude")])
    served.close()
    conn = sqlite3.connect(tmp_path / "screener.sqlite")
    try:
        assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 5
    finally:
        conn.close()


def test_a_project_open_in_two_commands_is_not_taken_for_a_copy(tmp_path):
    """The check that tells another project's file from the review's own must not refuse the review
    itself: one made before the check (no mark yet), written by two stores in turn."""
    first = SQLiteStore(tmp_path / "db.sqlite", create=True)
    first._conn.execute("PRAGMA user_version = 0")  # as an earlier screener made it
    first.close()
    a, b = SQLiteStore(tmp_path / "db.sqlite"), SQLiteStore(tmp_path / "db.sqlite")
    sid = a.add_source(_source(3))
    a.add_records(_records(3), sid)
    b.append_decisions([Decision(record_id=1, decision="include")])
    a.append_decisions([Decision(record_id=2, decision="exclude")])
    assert not a.moved() and not b.moved()
    assert len(b.decisions_frame()) == 2
    a.close()
    b.close()


def test_a_first_change_undone_leaves_no_number_that_takes_the_review_for_a_copy(tmp_path):
    """A project made before the check: the server's first change failed and was undone (its number
    for the file undone with it), then 'screener label' in another terminal gave the file its number.
    The server kept the undone number as the review's and took its own review for another project's
    file copied over it: every page said so until it was started again."""
    first = SQLiteStore(tmp_path / "db.sqlite", create=True)
    first._conn.execute("PRAGMA user_version = 0")  # as an earlier screener made it
    first.close()
    served, label = SQLiteStore(tmp_path / "db.sqlite"), SQLiteStore(tmp_path / "db.sqlite")
    with pytest.raises(RuntimeError):
        with served.transaction():
            raise RuntimeError("a change that failed")
    sid = label.add_source(_source(3))
    label.add_records(_records(3), sid)
    assert not served.moved() and not served.copied_over()
    served.append_decisions([Decision(record_id=1, decision="include")])
    assert len(label.decisions_frame()) == 1
    served.close()
    label.close()


def test_an_earlier_copy_of_the_same_review_copied_over_the_file_in_place_is_noticed(tmp_path):
    """'cp backups/screener.sqlite review/screener.sqlite' (a backup of the same review, or the file of
    a copy of the folder made earlier) while 'screener serve' had the review open: it carries the
    review's own number, so it was taken for the review; the server saved its next decision into the
    older state and the decisions made since the backup were gone without a word. It is now seen as
    replaced, and nothing is written into it."""
    import shutil

    served = SQLiteStore(tmp_path / "screener.sqlite", create=True)
    served.add_records(_records(4), served.add_source(_source(4)))
    served.append_decisions([Decision(record_id=1, decision="include")])
    shutil.copyfile(tmp_path / "screener.sqlite", tmp_path / "backup.sqlite")  # the backup, taken now
    served.append_decisions([Decision(record_id=2, decision="exclude")])
    served.append_decisions([Decision(record_id=3, decision="include")])
    assert not served.moved()
    shutil.copyfile(tmp_path / "backup.sqlite", tmp_path / "screener.sqlite")  # cp: the same file, older text
    assert served.moved() and served.copied_over()
    with pytest.raises(ProjectError, match="moved or replaced"):
        served.append_decisions([Decision(record_id=4, decision="exclude")])
    served.close()
    conn = sqlite3.connect(tmp_path / "screener.sqlite")
    try:
        assert conn.execute("SELECT record_id FROM decisions").fetchall() == [(1,)]
    finally:
        conn.close()


def test_a_review_written_by_two_commands_in_turn_is_not_taken_for_an_earlier_copy(tmp_path):
    """What tells an earlier copy from the review must not refuse the review itself when another
    command writes to it between this one's changes (and empties the log into the file)."""
    a = SQLiteStore(tmp_path / "db.sqlite", create=True)
    a.add_records(_records(6), a.add_source(_source(6)))
    for rid in range(1, 6):
        b = SQLiteStore(tmp_path / "db.sqlite")
        b.append_decisions([Decision(record_id=rid, decision="include")])
        assert not a.moved() and not b.moved()
        b.close()
        a.append_decisions([Decision(record_id=rid, decision="exclude")])
        assert not a.moved()
    assert len(a.decisions_frame()) == 10
    a.close()


def test_a_copy_put_over_the_file_during_a_long_change_gets_nothing_of_it(tmp_path):
    """A backup copied over the project file while a long change (an import of many records, a
    de-duplication) was being written: the change was checked against the file only as it began, so
    it was saved into the copy, its pages mixed into the backup's. It is now checked again as it is
    saved: nothing of it is written, and the copy is left as it was."""
    import shutil

    store = SQLiteStore(tmp_path / "screener.sqlite", create=True)
    store.add_records(_records(4), store.add_source(_source(4)))
    store.append_decisions([Decision(record_id=1, decision="include")])
    shutil.copyfile(tmp_path / "screener.sqlite", tmp_path / "backup.sqlite")
    store.append_decisions([Decision(record_id=2, decision="exclude")])
    with pytest.raises(ProjectError, match="moved or replaced"):
        with store.transaction():
            store.add_records(_records(50, "Imported"), store.add_source(_source(50)))
            store.append_decisions([Decision(record_id=3, decision="include")])
            shutil.copyfile(tmp_path / "backup.sqlite", tmp_path / "screener.sqlite")  # meanwhile, in a terminal
    store.close()
    conn = sqlite3.connect(tmp_path / "screener.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT record_id FROM decisions").fetchall() == [(1,)]
        assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 4
    finally:
        conn.close()


def test_a_backup_made_by_an_older_screener_copied_over_the_file_in_place_is_noticed(tmp_path):
    """A backup made before screener numbered its projects (no number, no count in its header) copied over
    the file of a review served since: it was taken for the review."""
    import shutil

    served = SQLiteStore(tmp_path / "screener.sqlite", create=True)
    served.add_records(_records(3), served.add_source(_source(3)))
    shutil.copyfile(tmp_path / "screener.sqlite", tmp_path / "backup.sqlite")
    old = sqlite3.connect(tmp_path / "backup.sqlite")
    old.execute("PRAGMA user_version = 0")  # as an older screener left it
    old.execute("PRAGMA application_id = 0")
    old.close()
    served.append_decisions([Decision(record_id=1, decision="include")])
    assert not served.moved()
    shutil.copyfile(tmp_path / "backup.sqlite", tmp_path / "screener.sqlite")
    assert served.moved() and served.went_back()
    with pytest.raises(ProjectError, match="moved or replaced"):
        served.append_decisions([Decision(record_id=2, decision="exclude")])
    served.close()


def test_a_project_opened_on_a_nearly_full_disk_is_not_called_another_programs_file(tmp_path, monkeypatch):
    """A project file in the older journal mode (a backup copied in, a restore's copy) opened on a disk with
    room for its log but not its index: SQLite's first read failed ('disk I/O error'), and the reviewer was told
    'this file is not a screener project (another program's file) ... Put back the project from a backup', over
    a whole review. Now it says the disk holding the project is full, that nothing was changed, and to free
    space."""
    import shutil

    db = tmp_path / "db.sqlite"
    SQLiteStore(db, create=True).close()
    real = SQLiteStore.get_setting

    def first_read(self, key, default=None):
        raise sqlite3.OperationalError("disk I/O error")  # as SQLite says it where the index cannot grow

    monkeypatch.setattr(SQLiteStore, "get_setting", first_read)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10 << 30, 10 << 30, 20 << 10))
    with pytest.raises(ProjectError) as said:
        SQLiteStore(db)
    assert "db.sqlite: the disk holding the project is full" in str(said.value), said.value
    assert "not a screener project" not in str(said.value) and "free some space" in str(said.value)
    monkeypatch.undo()
    assert real(SQLiteStore(db), "schema_version") == SCHEMA_VERSION


def test_a_change_seen_by_another_thread_while_the_count_is_read_is_no_earlier_copy(tmp_path):
    """A page read the file's count of changes while the server's ranking thread saved a ranking and noted the
    higher count: the count just read looked lower than the largest seen, and the file was taken for an earlier
    copy put over it, every page then refused. A count below what was seen before it was read still is one."""
    served = SQLiteStore(tmp_path / "screener.sqlite", create=True)
    served.add_records(_records(3), served.add_source(_source(3)))
    header = served._header
    read = header.count

    def count_while_another_thread_saves():
        count = read()
        header._largest = count + 1  # the ranking thread's change, written and seen meanwhile
        return count

    header.count = count_while_another_thread_saves
    try:
        assert not header.went_back()
    finally:
        del header.count
    header._largest = read() + 5  # more changes seen than the file now holds: an earlier copy
    assert header.went_back()
    served.close()
