"""``screener migrate``: a review moved from its SQLite file to PostgreSQL arrives whole, and
gives the same PRISMA counts, decisions, ranking and recall estimate as before the move."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from screener.cli import app
from screener.errors import ProjectError
from screener.migrate import MOVED_SUFFIX, migrate_to_server
from screener.project import DB_NAME, DB_URL_FILE, Project
from screener.screening import ScreeningSession
from screener.status import recall_status
from screener.store import PostgresStore, SQLiteStore
from stores import ABSTRACT, ARTICLE, project_back_to_schema_7_with_a_split, split_ris

runner = CliRunner()


def _review(tmp_path, toy_review) -> Project:
    csv = toy_review(tmp_path / "toy.csv", n=80, n_include=8)
    df = pd.read_csv(csv)
    df.loc[30:, "label_included"] = None  # 30 screened, 50 left
    df.to_csv(csv, index=False)
    copy = df.iloc[:5].drop(columns="label_included")  # a second database with five of the same studies
    copy.to_csv(tmp_path / "copy.csv", index=False)
    p = Project.init(tmp_path / "review", settings={"embedding_model": "none", "seed": 3})
    p.import_files([csv, tmp_path / "copy.csv"])
    p.split_duplicates([81])  # a reviewer's "these are not the same study"
    session = ScreeningSession(p)
    session.next_batch(10, sample=3)
    p.decide(int(session.ranking()["record_id"].iloc[0]), "include", reviewer="ana", note="clearly in")
    p.decide(1, "exclude", reviewer="ana")
    p.undo(1, reviewer="ana")  # the imported decision stands again
    return p


def _outcome(p: Project) -> dict:
    s = ScreeningSession(p)
    status = recall_status(p)
    return {"prisma": p.prisma_counts(), "decisions": p.current_decisions().reset_index().to_dict("records"),
            "ranking": s.ranking(save=False)[["record_id", "score"]].to_dict("records"),
            "recall": json.dumps(status, sort_keys=True, default=str)}


def test_migrated_review_is_the_same_review(tmp_path, toy_review, pg_url):
    p = _review(tmp_path, toy_review)
    before = _outcome(p)
    groups = p.store.duplicate_groups_frame()
    assert (~groups["is_primary"]).sum() >= 3  # the test needs duplicate groups to move
    p.close()
    report = migrate_to_server(tmp_path / "review", pg_url)
    assert report.ok, report
    tables = {t.table: t for t in report.tables}
    assert {"settings", "sources", "records", "duplicate_groups", "dedup_decisions", "decisions", "rankings",
            "ranking_items"} <= set(tables)
    assert tables["records"].rows_after == 85 and tables["dedup_decisions"].rows_after == 1
    assert all(report.review_checks.values())
    folder = tmp_path / "review"
    assert (folder / DB_URL_FILE).exists() and not (folder / DB_NAME).exists()
    assert (folder / (DB_NAME + MOVED_SUFFIX)).exists()  # the file from before the move is kept
    assert oct((folder / DB_URL_FILE).stat().st_mode & 0o777) == "0o600"
    with Project.open(folder) as q:
        assert isinstance(q.store, PostgresStore)
        assert _outcome(q) == before
        q.decide(40, "exclude")  # and it goes on from there: new ids follow the copied ones
        log = q.decision_log()
        assert log["decision_id"].is_unique and log["decision"].iloc[-1] == "exclude"


def test_migrate_refuses_a_database_that_holds_a_review(tmp_path, toy_review, pg_url):
    PostgresStore(pg_url, create=True).close()
    p = _review(tmp_path, toy_review)
    p.close()
    with pytest.raises(ProjectError, match="already holds a screener project"):
        migrate_to_server(tmp_path / "review", pg_url)
    assert isinstance(Project.open(tmp_path / "review").store, SQLiteStore)  # still on its file


def test_cli_init_on_server_and_migrate(tmp_path, toy_review, pg_url, pg_server):
    res = runner.invoke(app, ["init", str(tmp_path / "team"), "--database", pg_url])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["import", str(tmp_path / "team"), str(toy_review(tmp_path / "t.csv"))])
    assert res.exit_code == 0, res.output
    with Project.open(tmp_path / "team") as p:
        assert isinstance(p.store, PostgresStore) and p.prisma_counts()["identified"] == 60
    res = runner.invoke(app, ["init", str(tmp_path / "again"), "--database", pg_url])
    assert res.exit_code == 1 and "already holds a screener project" in res.output
    res = runner.invoke(app, ["init", str(tmp_path / "bad"), "--database", "mysql://x/y"])
    assert res.exit_code == 1 and "PostgreSQL address" in res.output
    # migrate: a second, empty schema
    runner.invoke(app, ["init", str(tmp_path / "solo")])
    runner.invoke(app, ["import", str(tmp_path / "solo"), str(tmp_path / "t.csv")])
    res = runner.invoke(app, ["migrate", str(tmp_path / "solo"), "--to", pg_url])
    assert res.exit_code == 1 and "already holds a screener project" in res.output
    other = pg_url.replace("search_path%3D", "search_path%3Dx")
    import psycopg

    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA x{pg_url.split('%3D')[1]}")
    res = runner.invoke(app, ["migrate", str(tmp_path / "solo"), "--to", other])
    assert res.exit_code == 0, res.output
    assert "Every row arrived" in res.output and "DIFFERENT" not in res.output
    res = runner.invoke(app, ["migrate", str(tmp_path / "solo"), "--to", other])
    assert res.exit_code == 1 and "already on a database server" in res.output


def test_a_move_that_fails_half_way_can_be_tried_again(tmp_path, toy_review, pg_url, monkeypatch):
    """The connection to the server drops in the middle of the copy. Nothing of the review was
    kept on the server, but the empty review made for it was, so the next try was refused: 'already
    holds a screener project; open it instead' (an empty one, which the folder did not use)."""
    import screener.migrate
    from screener.errors import DatabaseUnavailable
    from screener.store.postgres import _Connection

    p = _review(tmp_path, toy_review)
    before = _outcome(p)
    p.close()
    copy, drop = _Connection.executemany, screener.migrate.__dict__.get("_drop_tables")

    def drops_on_the_decisions(self, sql, rows):
        if "INSERT INTO decisions" in sql:
            raise DatabaseUnavailable("lost the connection to the review database (a test)")
        return copy(self, sql, rows)

    def gone_too(store):
        raise DatabaseUnavailable("lost the connection to the review database (a test)")

    monkeypatch.setattr(_Connection, "executemany", drops_on_the_decisions)
    if drop is not None:  # the tidying up after the failure cannot reach the server either
        monkeypatch.setattr(screener.migrate, "_drop_tables", gone_too)
    with pytest.raises(DatabaseUnavailable):
        migrate_to_server(tmp_path / "review", pg_url)
    monkeypatch.undo()
    assert isinstance(Project.open(tmp_path / "review").store, SQLiteStore)  # still on its file
    report = migrate_to_server(tmp_path / "review", pg_url)  # the server is back: the move again
    assert report.ok
    moved = Project.open(tmp_path / "review")
    assert isinstance(moved.store, PostgresStore)
    assert _outcome(moved) == before and moved.store.get_setting("moving_in_from_file") is None
    moved.close()


def test_a_review_being_served_is_not_moved(tmp_path, toy_review, pg_url):
    """'screener migrate' while 'screener serve' still serves the project file: the move went
    ahead, and every decision made on that server afterwards went into the file left behind, not
    into the review on the server."""
    from screener.cli.web_cmds import _one_server_at_a_time

    _review(tmp_path, toy_review).close()
    serving = _one_server_at_a_time(tmp_path / "review")  # as 'screener serve' holds it
    try:
        with pytest.raises(ProjectError, match="is already being served .* Stop it before moving the review"):
            migrate_to_server(tmp_path / "review", pg_url)
        assert isinstance(Project.open(tmp_path / "review").store, SQLiteStore)
    finally:
        serving.close()
    assert migrate_to_server(tmp_path / "review", pg_url).ok  # once stopped


def test_a_decision_from_a_command_started_before_the_move_is_not_lost(tmp_path, toy_review, pg_url, monkeypatch):
    """A 'screener label' (or the terminal screen) that opened the project before 'migrate' and
    saved after it: the decision went into the file left behind, and the review on the server
    never had it. It is now refused, saying why, whether it came after the move or waited for the
    file's write lock while the move was being made."""
    import threading

    import screener.migrate

    _review(tmp_path, toy_review).close()
    folder = tmp_path / "review"
    before = Project.open(folder)  # opened before the move, as a command running meanwhile has it
    outcome, ready, go = {}, threading.Event(), threading.Event()

    def decide_meanwhile():
        with Project.open(folder) as waiting:
            waiting.settings  # its connection made before the move
            ready.set()
            go.wait(60)
            try:
                waiting.decide(41, "include", reviewer="waited")
                outcome["saved"] = True
            except ProjectError as exc:
                outcome["refused"] = str(exc)

    t = threading.Thread(target=decide_meanwhile)
    t.start()
    ready.wait(60)
    write = screener.migrate.write_database_url

    def write_and_decide(directory, url):  # the decision is sent while the move is being made
        go.set()
        write(directory, url)

    monkeypatch.setattr(screener.migrate, "write_database_url", write_and_decide)
    assert migrate_to_server(folder, pg_url).ok
    t.join(60)
    with pytest.raises(ProjectError, match="moved or replaced while this command had it open.*Nothing of this"):
        before.decide(40, "include", reviewer="late")
    with Project.open(folder) as moved:
        who = set(moved.decision_log()["reviewer"])
    assert "late" not in who
    assert ("refused" in outcome and "waited" not in who) or ("saved" in outcome and "waited" in who), outcome
    before.close()
    assert not (folder / DB_NAME).exists()
    # the file kept from before the move is whole on its own (not part of it in a log beside it)
    import shutil

    shutil.copyfile(folder / (DB_NAME + MOVED_SUFFIX), tmp_path / "alone.sqlite")
    kept = SQLiteStore(tmp_path / "alone.sqlite")
    with Project.open(folder) as moved:
        assert len(kept.decisions_frame()) == len(moved.store.decisions_frame())
    kept.close()


def test_a_review_with_splits_sign_in_failures_and_set_apart_picks_moves_whole(tmp_path, toy_review, pg_url):
    """What this version stores besides: splits as "split" pairs and a merge's "unsplit", the web's
    failed sign-ins (setting login_failures), and each ranking's known relevant records put first and
    "mixed" picks set apart (known_first, off_likelihood). Moved, the duplicate groups, the splits
    that stand, the PRISMA counts, both stages' decisions, the ranking (ties by content), which
    decisions rest on the ranking, and the recall estimate are the same; new entries follow on."""
    from screener.status import _current, ranking_provenance
    from screener.store import Decision
    from screener.web.security import StoredLoginLimiter

    csv = toy_review(tmp_path / "toy.csv", n=120, n_include=8)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    df.drop(columns="label_included").to_csv(csv, index=False)
    df.drop(columns="label_included").iloc[:6].to_csv(tmp_path / "copy.csv", index=False)
    named = [r for r, t in truth.items() if t][:2]
    protocol = tmp_path / "protocol.toml"
    protocol.write_text('title = "Peer workers with lived experience in harm reduction services"\nknown_relevant = ['
                        + ", ".join(f'"10.5555/toy.{r}"' for r in named) + "]\n", encoding="utf-8")
    p = Project.init(tmp_path / "review", protocol=protocol, settings={"embedding_model": "none", "seed": 3})
    p.import_files([csv])
    p.import_files([tmp_path / "copy.csv"], source_db="Scopus")
    p.set_setting("query", "mixed")
    copies = sorted(p.store.duplicate_ids().tolist())
    p.split_duplicates([copies[0]])
    p.split_duplicates([copies[1]])
    p.decide_duplicates(copies[0], 1, "merge")  # the first split undone
    for _ in range(4):
        for rid in ScreeningSession(p).next_batch(10, explain=False)["record_id"]:
            p.decide(int(rid), "include" if truth.get(int(rid)) else "exclude", reviewer="ana", note=f"on {rid}")
    p.decide_many([Decision(record_id=named[0], decision="exclude", stage="full_text", reason="wrong population")])
    StoredLoginLimiter(p.store).failed("10.0.0.1", "ana")

    def outcome(q: Project) -> dict:
        cur, _, duplicates = _current(q)
        rankings = q.store.rankings_frame()["ranking_id"].tolist()
        return {**_outcome(q), "groups": q.store.duplicate_groups_frame().to_dict("records"),
                "pairs": q.store.dedup_decisions_frame().to_dict("records"), "splits": sorted(q.split_records()),
                "full text": q.current_decisions(stage="full_text").reset_index().to_dict("records"),
                "from the ranking": (~ranking_provenance(q, cur, duplicates).unranked).tolist(),
                "ranking settings": q.store.ranking_settings(rankings), "settings": q.settings,
                "mixed": q.store.rankings_with("strategy", ["mixed"])}

    before = outcome(p)
    assert before["splits"] == [copies[1]] and "unsplit" in {r["decision"] for r in before["pairs"]}
    assert any(s["known_first"] for s in before["ranking settings"].values())
    assert any(s["off_likelihood"] for s in before["ranking settings"].values()) and before["mixed"]
    assert before["settings"]["login_failures"]
    p.close()
    assert migrate_to_server(tmp_path / "review", pg_url).ok
    with Project.open(tmp_path / "review") as q:
        assert isinstance(q.store, PostgresStore)
        after = outcome(q)
        assert {k for k in before if json.dumps(before[k], sort_keys=True, default=str)
                != json.dumps(after[k], sort_keys=True, default=str)} == set()
        q.decide_duplicates(copies[1], 2, "separate")  # new pair entries follow the copied ones
        assert q.store.dedup_decisions_frame()["decision_id"].is_unique


def test_a_project_of_format_7_with_a_split_moves_with_its_split_as_pairs(tmp_path, pg_url):
    """A project saved by the screener before splits were pairs (format 7: the split record kept in
    a table of its own), moved at once: the split arrives as the pairs it kept apart, at the split's
    time, with the groups, counts and decisions the project had."""
    import sqlite3

    ris, article, abstract = split_ris, ARTICLE, ABSTRACT
    with Project.init(tmp_path / "review", settings={"embedding_model": "none"}) as p:
        p.import_files([ris(tmp_path / "a.ris", [article, article, abstract])])
        p.import_files([ris(tmp_path / "u.ris", [abstract, article])], source_db="Scopus")  # 4, 5
        p.decide(1, "include", note="the article")
        p.decide(3, "exclude", note="an abstract")
    con = sqlite3.connect(tmp_path / "review" / DB_NAME)  # as format 7 left it: 3 alone, its copy 4 with the article
    project_back_to_schema_7_with_a_split(con)  # 3 alone, its copy 4 with the article
    groups = con.execute("SELECT * FROM duplicate_groups ORDER BY record_id").fetchall()
    con.close()
    assert migrate_to_server(tmp_path / "review", pg_url).ok
    with Project.open(tmp_path / "review") as q:
        assert isinstance(q.store, PostgresStore)
        log = q.store.dedup_decisions_frame()
        assert log[["record_id", "other_id", "decision"]].values.tolist() == [[3, 1, "split"], [3, 2, "split"]]
        assert set(log["created_at"]) == {"2026-01-02T00:00:00.000+00:00"} and q.split_records() == {3}
        assert [tuple(r) for r in q.store.duplicate_groups_frame().astype(object).values.tolist()] == [
            (r, g, bool(p), why) for r, g, p, why in groups]
        assert q.prisma_counts()["after_deduplication"] == 2
        assert q.current_decisions()["decision"].to_dict() == {4: "include", 3: "exclude"}


def test_a_review_holding_nul_characters_from_an_older_screener_moves_without_them(tmp_path, toy_review, pg_url,
                                                                                     monkeypatch):
    """A screener before this one kept a NUL (an invisible character pasted out of a PDF) in a record's
    title imported from RIS (past the file's first 8 KB) and in a decision's note. PostgreSQL cannot
    store a NUL, and the move was refused whole with no way forward ('the server refused a value in
    the review's table records ...'). Now such values move as screener reads them today (in a record,
    a space; in a note, nothing), each named in the report; the file kept from before holds them as
    they were."""
    import sqlite3

    p = _review(tmp_path, toy_review)
    p.close()
    db = tmp_path / "review" / DB_NAME
    con = sqlite3.connect(db)  # what the older screener stored
    con.execute("UPDATE records SET title = ? WHERE record_id = 7", ("Peer workers\x00 and\x00\x00harm reduction",))
    con.execute("UPDATE decisions SET note = ? WHERE note = 'clearly in'", ("clearly\x00 in",))
    con.execute("INSERT INTO settings(key, value) VALUES('question', ?)", (json.dumps("peer\x00 work"),))
    con.commit()
    con.close()
    import screener.migrate as M

    reports = []
    real = M.migrate_to_server
    monkeypatch.setattr(M, "migrate_to_server", lambda *a: reports.append(real(*a)) or reports[-1])
    result = runner.invoke(app, ["migrate", str(tmp_path / "review"), "--to", pg_url])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Note: 2 values held a NUL character" in said and "record 7 (title); decision" in said, said
    assert "DIFFERENT" not in said
    report = reports[0]
    assert report.ok and all(report.review_checks.values())
    assert report.without_nul[0] == "record 7 (title)" and len(report.without_nul) == 2, report.without_nul
    assert report.without_nul[1].startswith("decision ") and report.without_nul[1].endswith("(note)")
    with Project.open(tmp_path / "review") as q:
        assert isinstance(q.store, PostgresStore)
        assert q.records_frame().loc[7, "title"] == "Peer workers and harm reduction"
        assert "clearly in" in q.decision_log()["note"].tolist()
    kept = sqlite3.connect(tmp_path / "review" / (DB_NAME + MOVED_SUFFIX))
    assert "\x00" in kept.execute("SELECT title FROM records WHERE record_id = 7").fetchone()[0]
    kept.close()


def test_a_second_move_keeps_the_file_an_earlier_move_kept(tmp_path, toy_review, pg_url, pg_server):
    """A team moved its review to a trial server, went back to a copy of the file kept from before
    that move (the address taken out) and screened on, then moved the review to the team's server:
    the second move put the file it left behind over screener.sqlite.moved-to-server, and the review
    as it was at the first move was gone. Both files are kept now, the second under a numbered name
    that 'migrate' says."""
    import shutil

    import psycopg

    _review(tmp_path, toy_review).close()
    folder = tmp_path / "review"
    first = folder / (DB_NAME + MOVED_SUFFIX)
    assert migrate_to_server(folder, pg_url).ok and first.exists()
    kept_then = first.read_bytes()
    (folder / DB_URL_FILE).unlink()  # back to the file, a copy of the one kept
    shutil.copyfile(first, folder / DB_NAME)
    with Project.open(folder) as p:
        p.decide(45, "include", reviewer="ana", note="after the trial server")
    team = pg_url.replace("search_path%3D", "search_path%3Dteam")
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA team{pg_url.split('%3D')[1]}")
    res = runner.invoke(app, ["migrate", str(folder), "--to", team])
    assert res.exit_code == 0, res.output
    second = folder / (DB_NAME + MOVED_SUFFIX + "-2")
    assert first.read_bytes() == kept_then  # the review as it was at the first move
    assert second.exists() and str(second) in " ".join(res.output.replace("\n", "").split()), res.output
    kept = SQLiteStore(second)
    assert "after the trial server" in kept.decisions_frame()["note"].tolist()
    kept.close()
    with Project.open(folder) as moved:
        assert isinstance(moved.store, PostgresStore)
        assert "after the trial server" in moved.decision_log()["note"].tolist()


def test_the_server_address_cut_short_leaves_no_part_of_it_in_the_folder(tmp_path):
    """Writing database.url failed half-way (a full disk; here a file size limit): the part written,
    the start of the address and perhaps its password, stayed as database.url.partial, readable by
    everyone, for good. Nothing of it is left now."""
    import subprocess
    import sys

    d = tmp_path / "review"
    d.mkdir()
    code = ("import resource, signal, sys\n"
            "from pathlib import Path\n"
            "from screener.project import write_database_url\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))\n"
            "try:\n"
            "    write_database_url(Path(sys.argv[1]), 'postgresql://ana:s3cret-password@db.example.org/review')\n"
            "except OSError:\n"
            "    sys.exit(3)\n")
    r = subprocess.run([sys.executable, "-c", code, str(d)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, r.stderr
    assert list(d.iterdir()) == []
