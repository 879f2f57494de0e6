"""``screener restore``: a backup put back in place of the project file, checked, never over a
review still open, the file it replaces kept beside it, dated."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from screener.cli import app
from screener.errors import ProjectError
from screener.project import Project
from screener.restore import _HOST, restore
from screener.store.sqlite import SCHEMA_VERSION

TOPICS = ["peer support in harm reduction services", "statin therapy after myocardial infarction",
          "peer navigators in opioid treatment", "knee replacement rehabilitation", "naloxone distribution by peers"]


def _review(tmp_path, decided=2):
    """A review of 20 records imported from a CSV export, ``decided`` of them screened by ana."""
    export = tmp_path / "scopus.csv"
    with open(export, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Title", "Abstract", "Authors", "Year", "Source title", "DOI"])
        for i in range(20):
            topic = TOPICS[i % len(TOPICS)]
            w.writerow([f"{topic.capitalize()}: a study in region {i + 1}",
                        f"We interviewed {10 + i} participants about {topic}.", f"Author{i} A; Coauthor{i} B",
                        2010 + i % 12, "Journal of Health Services", f"10.1000/jhs.{i + 1}"])
    d = tmp_path / "review"
    with Project.init(d) as project:
        project.import_files([export])
        for rid in range(1, decided + 1):
            project.decide(rid, "include" if rid % 2 else "exclude", reviewer="ana")
    return d


def _n_decisions(db) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    finally:
        conn.close()


def _decide_more(d, ids):
    with Project.open(d) as project:
        for rid in ids:
            project.decide(rid, "exclude", reviewer="ana")


def test_restore_puts_the_backup_back_and_keeps_the_file_it_replaces(tmp_path):
    """Copying a backup over screener.sqlite by hand lost the file it replaced (the work since the
    backup) and said nothing of what came back. 'screener restore' puts the backup back whole, keeps the
    file it replaces under a dated name, and says what each holds, in records and decisions."""
    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3, 4, 5])  # the work done since the backup

    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert ("20 records (20 studies after de-duplication), 2 screened at title and abstract (1 include, 0 maybe, "
            "1 exclude)") in out
    assert "2 decisions logged" in out and "5 decisions logged" in out
    kept = sorted(d.glob("screener-before-restore-*.sqlite"))
    assert len(kept) == 1 and f"kept as {kept[0]}" in out and f"screener restore {d} {kept[0]}" in out
    # the backup alone in the folder: no log of the file replaced beside it, no work files left
    assert not (d / "screener.sqlite-wal").exists() and not list(d.glob(".restoring-*"))
    assert _n_decisions(d / "screener.sqlite") == 2 and _n_decisions(kept[0]) == 5
    with Project.open(d) as project:
        assert project.current_decisions()["decision"].to_dict() == {1: "include", 2: "exclude"}
        project.decide(6, "maybe", reviewer="ana")  # the restored review is screened on as any other
    # going back: the dated copy restored, the restored backup kept in its turn
    summary = restore(kept[0], d, stamp="2026-12-07-090000")
    assert _n_decisions(d / "screener.sqlite") == 5 and summary.restored.log_entries == 5
    assert summary.kept == d / "screener-before-restore-2026-12-07-090000.sqlite"
    assert _n_decisions(summary.kept) == 3 and summary.before.log_entries == 3
    # into a folder with no project yet (a new laptop): nothing to keep
    summary = restore(backup, tmp_path / "new-laptop")
    assert summary.kept is None and summary.before is None
    with Project.open(tmp_path / "new-laptop") as project:
        assert len(project.current_decisions()) == 2


def test_restore_says_which_accounts_it_lets_back_in(tmp_path):
    """The owner disabled Ben, who left the team, and set ana a new password after a leak; a week later she put
    back a backup from before both. The restore said nothing of accounts: Ben could sign in again (his old browser
    session too) and ana's leaked password worked again. It now names both and the commands that undo it."""
    from screener.accounts import add_user, hash_password, set_disabled

    d = _review(tmp_path)
    with Project.open(d) as project:
        add_user(project.store, "Olga", "owner", "correct horse battery")
        add_user(project.store, "ana", "reviewer", "correct horse battery")
        add_user(project.store, "Ben", "reviewer", "correct horse battery")
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        set_disabled(project.store, "Ben", disabled=True)
        project.store.update_user("ana", password_hash=hash_password("a new one after the leak"))
        add_user(project.store, "Cy", "reviewer", "correct horse battery")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Ben, disabled since the backup, can sign in again" in out, out
    assert f"screener user disable {d} Ben" in out, out
    assert "ana's password is the one before the backup again" in out and f"screener user password {d} ana" in out
    assert "Cy, added since the backup, has no account" in out and f"screener user add {d} Cy" in out, out
    assert "Olga" not in out.split("Accounts")[-1], out  # unchanged: not named
    # a restore that changes no account says nothing of them
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0 and "Accounts" not in result.output, result.output


def test_restore_says_which_account_it_disables_again(tmp_path):
    """Ben was disabled when the backup was made and let back in since; the restore disabled him again without a
    word, and he found himself refused at sign-in. It names him, with the command that lets him back in."""
    from screener.accounts import add_user, set_disabled

    d = _review(tmp_path)
    with Project.open(d) as project:
        add_user(project.store, "Olga", "owner", "correct horse battery")
        add_user(project.store, "Ben", "reviewer", "correct horse battery")
        set_disabled(project.store, "Ben", disabled=True)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        set_disabled(project.store, "Ben", disabled=False)
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Ben, let back in since the backup, is disabled again" in out, out
    assert f"screener user enable {d} Ben" in out, out


def _dual_review(tmp_path):
    """A dual-screening review of 20 records: ana and Ben screened records 1 to 4 and disagree on 3 and 4."""
    from screener.accounts import add_user

    d = _review(tmp_path, decided=0)
    with Project.open(d) as project:
        project.store.set_setting("mode", "dual")
        add_user(project.store, "Olga", "owner", "correct horse battery")
        for rid in range(1, 5):
            project.decide(rid, "exclude", reviewer="ana")
            project.decide(rid, "include" if rid > 2 else "exclude", reviewer="Ben")
    return d


def test_restore_says_the_blinding_ended_since_the_backup_holds_again(tmp_path):
    """Olga ended the blinding after the backup; the restore put it back on without a word, and the team's
    decisions were hidden again with no one knowing why. It names the end it takes back, and how to end it again."""
    from screener.accounts import end_blinding

    d = _dual_review(tmp_path)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        end_blinding(project.store, "full_text", "Olga")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "The blinding at full text, ended by Olga since the backup, holds again" in out, out
    assert "End the blinding" in out and f"screener serve {d}" in out, out
    # an owner who keeps the review in a terminal ends it there
    assert f"or 'screener blinding {d} --end --reviewer NAME --stage full_text'" in out, out
    assert "The blinding at title and abstract" not in out, out  # not ended: not named
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])  # nothing ended since: nothing said
    assert result.exit_code == 0 and "The blinding" not in result.output, result.output


def test_restore_says_nothing_of_the_blinding_where_the_backup_had_it_ended_too(tmp_path):
    """Olga ended the full-text blinding before the backup and again after it (a second end, as after a search
    update): the restore said the blinding 'holds again', where the backup put back had it ended, so the team
    saw each other's decisions as before while told they would not."""
    from screener.accounts import end_blinding

    d = _dual_review(tmp_path)
    with Project.open(d) as project:
        project.store.set_setting("blinding_ended_full_text",
                                  {"by": "Olga", "at": "2026-01-02T09:00:00.000+00:00", "stage": "full_text"})
    with sqlite3.connect(d / "screener.sqlite") as con:  # the search was imported before that end
        con.execute("UPDATE sources SET imported_at = '2026-01-01T09:00:00.000+00:00'")
    con.close()
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        end_blinding(project.store, "full_text", "Olga")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    assert "The blinding" not in result.output, result.output


def test_restore_says_which_conflict_resolutions_made_since_the_backup_it_takes_back(tmp_path):
    """Olga resolved the conflicts on records 3 and 4 after the backup; the restore took her resolutions back
    unsaid, and the team found the conflicts open again. It names the records and where to resolve them again."""
    d = _dual_review(tmp_path)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        for rid in (3, 4):
            project.decide(rid, "include", reviewer="Olga", role="resolver", origin="web")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert ("The resolutions of 2 conflicts made since the backup (records 3 and 4 at title and abstract, by Olga) "
            "are not in it") in out, out
    assert f"Conflicts page of screener serve {d}" in out, out
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0 and "resolutions" not in result.output, result.output


def test_restore_says_which_duplicate_decisions_made_since_the_backup_it_takes_back(tmp_path):
    """Olga joined records 1 and 2 as one study and kept 3 and 4 apart after the backup: the restore took both back
    without a word (it names conflict resolutions, not these), and records 1 and 2 were screened as two studies
    again. It names them and where to make them again."""
    d = _review(tmp_path)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        project.decide_duplicates(1, 2, "merge", reviewer="Olga", origin="web")
        project.decide_duplicates(3, 4, "separate", reviewer="Olga", origin="web")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert ("2 de-duplication decisions made since the backup (records 1 and 2 joined as one study by Olga; records 3 "
            "and 4 kept apart by Olga) are not in it") in out, out
    assert f"Possible duplicates page of screener serve {d}" in out, out
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0 and "de-duplication decision" not in result.output, result.output


def test_restore_names_no_duplicate_decision_an_import_since_the_backup_logged(tmp_path):
    """A review's export imported after the backup: the import logged the copies it held as one study as joined (by
    'imported'). The restore named them as decisions made since the backup to make again with --merge, records the
    backup does not hold; the import taken back, importing the file again joins them again."""
    d = _review(tmp_path)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    src = tmp_path / "search.csv"
    src.write_text("Title,Authors,Year,Journal\n"
                   "Syndemic conditions and HIV risk in Tijuana,\"Semple, S; Patterson, T\",2017,Arch Sex Behav\n"
                   "Syndemic conditions and HIV risk in Tijuana,\"Semple, S\",2017,AIDS 2016 Abstracts\n",
                   encoding="utf-8")
    with Project.init(tmp_path / "other") as other:
        other.import_files([src])
        other.decide_duplicates(1, 2, "merge", reviewer="ana")
        other.export(tmp_path / "other.csv", include_duplicates=True)
    with Project.open(d) as project:
        project.import_files([tmp_path / "other.csv"])
        assert set(project.store.dedup_decisions_frame()["reviewer"]) == {"imported"}
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0 and "de-duplication decision" not in result.output, result.output


def test_restore_says_which_conflicts_resolved_in_a_terminal_since_the_backup_it_takes_back(tmp_path):
    """Olga resolved records 3 and 4 with 'screener conflicts' (and in a notebook) after the backup: the restore
    named only the resolutions made on the web's Conflicts page, so hers were taken back unsaid. It names them too,
    and how to resolve them again in a terminal."""
    from screener.conflicts import Resolution, resolve

    d = _dual_review(tmp_path)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    r = CliRunner().invoke(app, ["conflicts", str(d), "--reviewer", "Olga", "--resolve", "3", "include"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as project:
        resolve(project, [Resolution(4, "exclude")], "Olga")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert ("The resolutions of 2 conflicts made since the backup (records 3 and 4 at title and abstract, by Olga) "
            "are not in it") in out, out
    assert f"or with 'screener conflicts {d} --reviewer NAME'" in out, out


def test_a_sign_out_since_the_backup_stays_one_after_the_restore(tmp_path):
    """ana signed out on a shared computer after the backup; the restore forgot the sign-out, so a copy of that
    browser's session (its cookie) let anyone in as ana again. Sign-outs made since the backup are kept."""
    from screener.web.app import SIGNED_OUT

    d = _dual_review(tmp_path)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        project.store.get_secret(SIGNED_OUT + "session-of-ana", make=lambda: "ana")
    assert CliRunner().invoke(app, ["restore", str(d), str(backup)]).exit_code == 0
    with Project.open(d) as project:
        assert project.store.get_secret(SIGNED_OUT + "session-of-ana") == "ana"


def _signed_in(d, name: str, cookie: str | None = None):
    """(whether a browser with ``cookie``, or one signing in now as ``name``, may open the screening page of the
    review served from ``d``; its session cookie)."""
    import re

    from screener.web.app import create_app

    with Project.open(d) as project:
        web = create_app(project, start=False)
        client, name_of = web.test_client(), web.config["SESSION_COOKIE_NAME"]
        if cookie is None:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
            r = client.post("/login", data={"name": name, "password": "correct horse battery",
                                            "csrf_token": token.group(1)})
            assert r.status_code == 302, r.get_data(as_text=True)
        else:
            client.set_cookie(name_of, cookie)
        ok = client.get("/screen").status_code == 200
        kept = client.get_cookie(name_of)
        return ok, kept.value if kept is not None else None


def test_a_browser_session_ended_since_the_backup_does_not_come_back_with_it(tmp_path):
    """ana's session on a lost laptop was ended after the backup by a new password, Ben's by disabling his account;
    the restore put their accounts back as they were in the backup, and with them those sessions: the laptop was
    let in as ana again, Ben's browser as Ben, though the restore only said ana's old password worked again and Ben
    could sign in. A session from before the restore signs in again; a new sign-in works as the restore said."""
    from screener.accounts import add_user, hash_password, set_disabled

    d = _review(tmp_path)
    with Project.open(d) as project:
        add_user(project.store, "Olga", "owner", "correct horse battery")
        add_user(project.store, "ana", "reviewer", "correct horse battery")
        add_user(project.store, "Ben", "reviewer", "correct horse battery")
    in_ana, laptop = _signed_in(d, "ana")
    in_ben, bens = _signed_in(d, "Ben")
    assert in_ana and in_ben
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        project.store.update_user("ana", password_hash=hash_password("a new one after the leak"))
        set_disabled(project.store, "Ben", disabled=True)
    assert not _signed_in(d, "ana", laptop)[0] and not _signed_in(d, "Ben", bens)[0]
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "ana's password is the one before the backup again" in out, out
    assert not _signed_in(d, "ana", laptop)[0] and not _signed_in(d, "Ben", bens)[0]
    assert "Everyone signed in on the web before the restore signs in again" in out, out
    assert _signed_in(d, "ana")[0] and _signed_in(d, "Ben")[0]  # as the backup had them, as said


def test_restore_does_not_name_a_password_only_stored_anew_at_sign_in(tmp_path):
    """ana's password was stored in an older form (weaker hash settings) and her sign-in since the backup
    stored it anew in today's; her password never changed. The restore said "ana's password is the one
    before the backup again" and told the owner to set a new one. It names only what truly changed: a
    password set after that sign-in is still named."""
    from argon2 import PasswordHasher

    from screener.accounts import add_user, authenticate, hash_password

    d = _review(tmp_path)
    with Project.open(d) as project:
        add_user(project.store, "Olga", "owner", "correct horse battery")
        add_user(project.store, "ana", "reviewer", "correct horse battery")
        add_user(project.store, "Ben", "reviewer", "correct horse battery")
        old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        for name in ("ana", "Ben"):
            project.store.update_user(name, password_hash=old.hash("correct horse battery"))
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        for name in ("ana", "Ben"):
            before = project.store.get_user(name)["password_hash"]
            assert authenticate(project.store, name, "correct horse battery") is not None
            assert project.store.get_user(name)["password_hash"] != before  # stored anew, in today's form
        kept = [v for (v,) in project.store._conn.execute("SELECT value FROM secrets")]
        assert not any(v.startswith("$argon2") for v in kept)  # the weaker hash is not kept beside it
        project.store.update_user("Ben", password_hash=hash_password("a new one after the leak"))
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "ana's password" not in out and f"screener user password {d} ana" not in out, out
    assert "Ben's password is the one before the backup again" in out, out


def test_restore_of_a_backup_from_before_the_accounts_says_how_to_add_the_owner_back(tmp_path):
    """The backup was made before any account: the restore named olga, the owner, 'added since the backup' with
    'screener user add DIR olga' to add her again, which adds a reviewer (refused as the first account), and did
    not say that 'screener serve' now asks no one to sign in. The owner's command carries --role owner, comes
    first, and the open sign-in is said."""
    from screener.accounts import add_user

    d = _review(tmp_path)
    backup = tmp_path / "backup-before-accounts.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        add_user(project.store, "olga", "owner", "correct horse battery")
        add_user(project.store, "ana", "reviewer", "correct horse battery")
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert f"screener user add {d} olga --role owner" in out, out
    assert f"screener user add {d} ana --role" not in out, out
    assert out.index(f"user add {d} olga") < out.index(f"user add {d} ana"), out
    assert "'screener serve' asks no one to sign in" in out, out
    with Project.open(d) as project:
        assert project.store.users() == []


def test_restore_is_refused_while_the_review_is_served(tmp_path):
    """While 'screener serve' had the file open, a backup put in its place was not seen by the server,
    which went on showing and saving the review it had opened. The restore is refused, naming the
    server, and nothing in the folder changes."""
    from screener.cli.web_cmds import _one_server_at_a_time

    d = _review(tmp_path, decided=3)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [4])
    lock = _one_server_at_a_time(d)  # what 'screener serve' holds while it serves the file
    lock.write("http://127.0.0.1:8000/\n4242\n")
    lock.flush()
    before = sorted(p.name for p in d.iterdir())
    try:
        with pytest.raises(ProjectError, match=r"being served at http://127.0.0.1:8000/ .*process 4242.*Stop it"):
            restore(backup, d)
    finally:
        lock.close()
    assert sorted(p.name for p in d.iterdir()) == before
    assert _n_decisions(d / "screener.sqlite") == 4


def test_restore_is_refused_while_another_program_has_the_project_file_open(tmp_path):
    """Another process holding the file (a command running, a notebook with the project open): the
    restore would be lost under it or it would go on in the old file. Refused, nothing changed; once it
    has closed the file, the restore goes through."""
    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom screener.project import Project\n"
         f"p = Project.open({str(d)!r}); p.current_decisions(); print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(ProjectError, match="has the project file open, so nothing was restored"):
            restore(backup, d)
        assert not list(d.glob("screener-before-restore-*")) and not list(d.glob(".restoring-*"))
        assert _n_decisions(d / "screener.sqlite") == 3
    finally:
        holder.stdin.close()
        holder.wait(60)
    restore(backup, d)
    assert _n_decisions(d / "screener.sqlite") == 2


def test_restore_refuses_a_file_that_is_no_screener_project_of_a_format_it_reads(tmp_path):
    """An export, another program's SQLite file, or a newer screener's project given as the backup:
    refused with what it is, the project left as it was."""
    d = _review(tmp_path, decided=2)
    ris = tmp_path / "medline.ris"
    ris.write_text("TY  - JOUR\nTI  - Peer support in harm reduction\nER  - \n", encoding="utf-8")
    other = tmp_path / "zotero.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE items (itemID INTEGER PRIMARY KEY, title TEXT)")
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(d / "screener.sqlite", newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    for given, said in ((ris, "not a screener project file"), (other, "not a screener project file"),
                        (newer, "saved by a newer screener"), (tmp_path / "missing.sqlite", "no such file")):
        result = CliRunner().invoke(app, ["restore", str(d), str(given)])
        assert result.exit_code == 1 and said in " ".join(result.output.split()), result.output
        assert "nothing was restored" in " ".join(result.output.split()) or said == "no such file"
    assert sorted(p.name for p in d.iterdir() if not p.name.startswith("features")) == ["screener.sqlite"]
    assert _n_decisions(d / "screener.sqlite") == 2


def test_a_dump_of_a_review_on_the_server_given_to_restore_says_to_put_it_back_with_pg_restore(tmp_path):
    """A team on PostgreSQL backs up with pg_dump (the README); the owner gave that dump to 'screener restore' and was
    told 'this is not a screener project file (not an SQLite database) ... Give the backup of screener.sqlite', which
    a review on the server has none of. It now says what the file is and how it goes back."""
    d = _review(tmp_path, decided=2)
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "database.url").write_text("postgresql://screener@db.example.org/review\n")
    custom = tmp_path / "review-2026-12-07.dump"
    custom.write_bytes(b"PGDMP\x01\x0f\x00\x04\x08\x01\x01" + bytes(64))
    plain = tmp_path / "review.sql"
    plain.write_text("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n", encoding="utf-8")
    for folder in (d, tmp_path / "server"):
        for given, how in ((custom, f"pg_restore --clean --dbname=DATABASE {custom}"), (plain, "psql")):
            result = CliRunner().invoke(app, ["restore", str(folder), str(given)])
            said = " ".join(result.output.split())
            assert result.exit_code == 1 and "a dump of a review on a PostgreSQL server (pg_dump)" in said, said
            assert "nothing was restored" in said and how in said and "Give the backup" not in said, said
    assert _n_decisions(d / "screener.sqlite") == 2


def test_a_dump_given_to_restore_says_the_web_sign_ins_come_back_with_it_and_how_to_end_them(tmp_path):
    """'screener restore' of a project file ends every browser session from before (a session a new password or a
    disable had ended since would come back); told to put a dump back with pg_restore instead, the owner was not
    told that the dump brings those sessions back, nor how to end them."""
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "database.url").write_text("postgresql://screener@db.example.org/review\n")
    custom = tmp_path / "review-2026-12-07.dump"
    custom.write_bytes(b"PGDMP\x01\x0f\x00\x04\x08\x01\x01" + bytes(64))
    result = CliRunner().invoke(app, ["restore", str(tmp_path / "server"), str(custom)])
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "signed in on the web before" in said, said
    where = tmp_path / "server" / "database.url"
    assert f"""psql "$(cat {where})" --command="DELETE FROM secrets WHERE name = 'web_session_key'\"""" in said, said


def test_an_older_screeners_backup_is_brought_up_to_date_and_left_unchanged(tmp_path):
    """A backup from before an update (project format 8): put back as it was, the next command
    would have upgraded it in place; the restore upgrades its copy, says so, and the backup file
    itself is untouched (a teammate's older screener can still open it)."""
    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup-format-8.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with sqlite3.connect(backup, isolation_level=None) as conn:  # as format 8 had it: accounts not disabled
        conn.execute("PRAGMA journal_mode=DELETE")
        for col in ("disabled_at", "disabled_by"):
            conn.execute(f"ALTER TABLE users DROP COLUMN {col}")
        conn.execute("UPDATE settings SET value = '8' WHERE key = 'schema_version'")
    as_it_was = backup.read_bytes()
    _decide_more(d, [3])
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "saved by an older screener (project format 8)" in out and f"up to format {SCHEMA_VERSION}" in out
    assert backup.read_bytes() == as_it_was
    with Project.open(d) as project:
        assert project.store.get_setting("schema_version") == SCHEMA_VERSION
        assert len(project.current_decisions()) == 2


def test_a_backup_folder_copied_while_the_review_was_open_keeps_the_decisions_in_its_log(tmp_path):
    """A copy of the project folder taken while 'screener serve' ran holds some decisions only in
    screener.sqlite-wal beside the file. The folder given as the backup, its log is read into the
    restored file: every decision in the copy comes back."""
    d = _review(tmp_path, decided=2)
    reader = sqlite3.connect(d / "screener.sqlite", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM decisions").fetchone()  # a reader keeps the log from being emptied
    _decide_more(d, [3, 4])
    copy = tmp_path / "copy-of-review"
    copy.mkdir()
    for name in ("screener.sqlite", "screener.sqlite-wal"):
        shutil.copyfile(d / name, copy / name)
    reader.execute("ROLLBACK")
    reader.close()
    assert _n_decisions_file_alone(copy / "screener.sqlite") == 2  # the file alone lacks two decisions
    _decide_more(d, [5])
    summary = restore(copy, d)
    assert summary.restored.log_entries == 4 and summary.before.log_entries == 5
    assert not (d / "screener.sqlite-wal").exists() and _n_decisions(d / "screener.sqlite") == 4


def _n_decisions_file_alone(db) -> int:
    conn = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    finally:
        conn.close()


def test_the_file_replaced_is_kept_with_the_decisions_still_in_its_log(tmp_path):
    """A screener killed while it held the review (a laptop's battery, 'kill -9') leaves its last
    decisions in screener.sqlite-wal, not yet in the file. The dated copy is the file with its log read
    in: those decisions are kept with it, and no log of it is left beside the backup put back."""
    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    killed = subprocess.run(
        [sys.executable, "-c", "import os, sqlite3\nfrom screener.project import Project\n"
         f"reader = sqlite3.connect({str(d / 'screener.sqlite')!r}, isolation_level=None)\n"
         "reader.execute('BEGIN'); reader.execute('SELECT COUNT(*) FROM decisions').fetchone()\n"
         f"p = Project.open({str(d)!r})\n"
         "for rid in (3, 4, 5): p.decide(rid, 'include', reviewer='ana')\n"
         "os._exit(9)"], timeout=120)
    assert killed.returncode == 9
    assert (d / "screener.sqlite-wal").stat().st_size > 0 and _n_decisions_file_alone(d / "screener.sqlite") == 2
    summary = restore(backup, d)
    assert summary.before.log_entries == 5
    assert not (d / "screener.sqlite-wal").exists()
    assert _n_decisions_file_alone(summary.kept) == 5  # in the kept file itself, without a log beside it
    assert _n_decisions(d / "screener.sqlite") == 2


@pytest.mark.parametrize("grow", [True, False])
def test_restore_over_a_backup_copied_in_by_hand_beside_the_old_log_mixes_nothing(tmp_path, toy_review, grow):
    """A backup copied over screener.sqlite by hand while a killed screener's log stayed beside it:
    taking that file to keep it would replay the other file's log into it (two states of the review
    mixed in the dated copy). The restore is refused with what to do, and changes nothing."""
    from test_store import _review_with_a_log_left

    crashed, backup = _review_with_a_log_left(tmp_path, toy_review, grow=grow)
    shutil.copy(backup, crashed / "screener.sqlite")  # copied in by hand, the log left beside it
    as_they_are = {p.name: p.read_bytes() for p in crashed.iterdir() if p.is_file()}
    with pytest.raises(ProjectError, match=r"write-ahead log beside it \(screener.sqlite-wal\) was written on another"):
        restore(backup, crashed)
    assert {p.name: p.read_bytes() for p in crashed.iterdir() if p.is_file()} == as_they_are
    assert not list(crashed.glob("screener-before-restore-*")) and not list(crashed.glob(".restoring-*"))


def test_restore_goes_through_where_a_file_held_open_cannot_be_replaced(tmp_path, monkeypatch):
    """On Windows a file open anywhere cannot be replaced, and restore held the project file open (to keep
    everyone else out) while it put the backup in its place: every restore on a laptop with Windows ended
    in 'PermissionError: [WinError 32] The process cannot access the file because it is being used by
    another process'. The hold is let go first there (Windows then refuses the replace to anyone who opens
    the file meanwhile), and the restore goes through; a file another program keeps open is refused, said
    in words, the project as it was."""
    from screener import restore as restore_module

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3, 4])
    held = []
    real_hold, real_replace = restore_module._hold, restore_module.os.replace

    def hold(target):
        conn = real_hold(target)
        held.append(conn)
        return conn

    def still_open(conn):
        try:
            conn.execute("SELECT 1")
            return True
        except sqlite3.ProgrammingError:  # closed
            return False

    def replace_as_windows(src, dst, others_open=False):
        if others_open or any(still_open(c) for c in held):
            raise PermissionError(13, "The process cannot access the file because it is being used by another "
                                      "process", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(restore_module, "_hold", hold)
    monkeypatch.setattr(restore_module.os, "replace", replace_as_windows)
    summary = restore(backup, d)
    assert _n_decisions(d / "screener.sqlite") == 2 and _n_decisions(summary.kept) == 4

    _decide_more(d, [5])  # another program has the file open too: refused, nothing changed
    monkeypatch.setattr(restore_module.os, "replace", lambda s, t: replace_as_windows(s, t, others_open=True))
    with pytest.raises(ProjectError, match="could not be replaced .*another program has it open.*Nothing was restored"):
        restore(backup, d)
    assert _n_decisions(d / "screener.sqlite") == 3
    assert sorted(p.name for p in d.glob("screener-before-restore-*")) == [summary.kept.name]
    assert not list(d.glob(".restoring-*"))


def test_a_restore_onto_a_full_disk_says_it_of_the_project_not_of_the_backup(tmp_path, monkeypatch):
    """With the project's disk full, 'screener restore DIR backup.sqlite' said 'Error: backup.sqlite: No
    space left on device', naming the backup (on another disk, with room to spare) as the full one. It now
    says that the project's disk is full, how much room the restore needs, and that nothing was restored;
    no copy is left in the project folder."""
    import errno

    from screener import restore as restore_module

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3])
    real_copyfile = restore_module.shutil.copyfile

    def full_disk(src, dst, **kw):
        if d in (dst if isinstance(dst, type(d)) else type(d)(dst)).parents:
            with open(dst, "wb") as fh:  # half of it written, as far as the disk had room
                fh.write(open(src, "rb").read(4096))
            raise OSError(errno.ENOSPC, "No space left on device", str(src))
        return real_copyfile(src, dst, **kw)

    monkeypatch.setattr(restore_module.shutil, "copyfile", full_disk)
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert f"{d}: the disk holding the project is full, so nothing was restored and the project is as it was" in out
    assert f"{backup}: No space left" not in out
    assert sorted(p.name for p in d.iterdir() if not p.name.startswith("screener.sqlite-")) == ["screener.sqlite"]
    assert _n_decisions(d / "screener.sqlite") == 3


def test_a_restore_into_a_folder_without_the_protocol_says_so(tmp_path):
    """The review put back on a new laptop from its backup: the restore said 'Next: screener status', and
    'screener next' then stopped at 'protocol.toml: the review's protocol is no longer there', as the
    backup holds the project file only. The restore now says that the review's protocol is not in the
    folder and how to put it there; a folder that has it is told nothing of it."""
    protocol = tmp_path / "protocol-v1.toml"
    protocol.write_text('question = "Does peer support help people who use drugs?"\n'
                        'inclusion = ["peer support", "harm reduction"]\nexclusion = ["animal studies"]\n',
                        encoding="utf-8")
    d = _review(tmp_path, decided=2)
    with Project.open(d) as project:
        project.set_protocol(protocol)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    laptop = tmp_path / "laptop-review"
    result = CliRunner().invoke(app, ["restore", str(laptop), str(backup)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert f"The review's protocol, protocol.toml, is not in {laptop}" in out
    assert f"Copy the protocol kept with the backup there as protocol.toml, or set it again (screener protocol " \
           f"{laptop} YOUR_PROTOCOL.toml)" in out
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])  # its folder has it: nothing said
    assert result.exit_code == 0 and "protocol" not in result.output


def _restore_killed_before_the_rename(backup, d):
    """'screener restore' killed (the laptop's battery, kill -9) after it kept the file in place under a
    dated name and before it renamed the backup over it: its work folder and the second name left."""
    code = ("import os, signal, screener.restore as r\n"
            "r.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
            f"r.restore({str(backup)!r}, {str(d)!r})\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode != 0


def test_what_a_killed_restore_left_is_cleared_and_the_review_kept(tmp_path):
    """A restore killed before its rename left '.restoring-PID' (a whole copy of the backup) in the folder
    for good, and 'screener-before-restore-DATE.sqlite', the project file itself under a second name: the
    work done since went on into it, and the next restore kept the same file under a second dated name, the
    first one still there. The next command now takes out what the killed restore left (the project file
    untouched, the review as it was), and the next restore keeps one dated copy."""
    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3, 4, 5])
    _restore_killed_before_the_rename(backup, d)
    assert list(d.glob(".restoring-*")) and list(d.glob("screener-before-restore-*"))  # what a kill leaves

    result = CliRunner().invoke(app, ["status", str(d)])
    assert result.exit_code == 0, result.output
    assert not list(d.glob(".restoring-*")) and not list(d.glob("screener-before-restore-*"))
    assert _n_decisions(d / "screener.sqlite") == 5  # the review as it was: nothing of it lost

    _restore_killed_before_the_rename(backup, d)  # killed again, then restored: one dated copy, of the 5
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    kept = list(d.glob("screener-before-restore-*"))
    assert len(kept) == 1 and _n_decisions(kept[0]) == 5 and _n_decisions(d / "screener.sqlite") == 2
    assert not list(d.glob(".restoring-*"))


def test_a_restore_running_in_another_process_keeps_its_work_folder(tmp_path):
    """Only what a restore no longer running left is taken out: a restore under way (its process alive)
    keeps its work folder and the dated name it made."""
    d = _review(tmp_path, decided=2)
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        work = d / f".restoring-{_HOST}-{alive.pid}"
        work.mkdir()
        kept = d / "screener-before-restore-2026-12-06-070512.sqlite"
        os.link(d / "screener.sqlite", kept)
        with Project.open(d):
            pass
        assert work.is_dir() and kept.is_file()
    finally:
        alive.stdin.close()
        alive.wait()


def test_a_project_file_linked_from_a_synced_folder_is_restored_through_the_link(tmp_path):
    """screener.sqlite a link to the file kept in a synced folder (Dropbox, another disk): the restore put
    the backup in place of the link, a plain file in the project folder, while the synced file went on with
    the work since (the team's copy never restored) and the 'kept' dated name was a link to it. The backup
    now goes where the link points, the link stays, and the file replaced is kept beside it there."""
    d = _review(tmp_path, decided=2)
    synced = tmp_path / "Dropbox" / "peer support review"
    synced.mkdir(parents=True)
    shutil.move(d / "screener.sqlite", synced / "screener.sqlite")
    os.symlink(synced / "screener.sqlite", d / "screener.sqlite")
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(synced / "screener.sqlite", backup)
    _decide_more(d, [3, 4, 5])

    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    assert (d / "screener.sqlite").is_symlink()
    assert _n_decisions(synced / "screener.sqlite") == 2
    kept = list(synced.glob("screener-before-restore-*.sqlite"))
    assert len(kept) == 1 and not kept[0].is_symlink() and _n_decisions(kept[0]) == 5
    assert f"Restored {backup} as {synced / 'screener.sqlite'}" in " ".join(result.output.split())
    assert not list(d.glob(".restoring-*")) and not list(synced.glob(".restoring-*"))
    with Project.open(d) as project:
        assert len(project.current_decisions()) == 2


def test_a_backup_folder_still_in_use_is_read_at_one_moment(tmp_path, monkeypatch):
    """Restored from a project folder still in use ('screener restore NEW-FOLDER OLD-FOLDER' to carry the
    review over while 'screener serve' still ran on the old one), the file and its log were copied one after
    the other: a decision saved in between emptied the log into the file and started it over, and the copy
    joined the file from before with the log from after (the decisions between lost, or the restore
    refused as a log of another file). The backup and its log are now read as one moment of the review."""
    old = _review(tmp_path, decided=2)
    reader = sqlite3.connect(old / "screener.sqlite", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM decisions").fetchone()  # keeps decisions 3 and 4 in the log
    _decide_more(old, [3, 4])
    assert _n_decisions_file_alone(old / "screener.sqlite") == 2

    import screener.restore as restore_module

    copies, copyfile = [], shutil.copyfile

    def copy_while_the_server_saves(src, dst, *args, **kwargs):
        result = copyfile(src, dst, *args, **kwargs)
        copies.append(src)
        if len(copies) == 1:  # between the file and its log: the server saves two decisions
            reader.execute("ROLLBACK")
            reader.close()
            _decide_more(old, [5])
            _decide_more(old, [6])
        return result

    monkeypatch.setattr(restore_module.shutil, "copyfile", copy_while_the_server_saves)
    new = tmp_path / "new-laptop"
    summary = restore(old, new)
    monkeypatch.undo()
    assert summary.restored.log_entries in (4, 6)  # the review before the two decisions, or after: not between
    assert _n_decisions(new / "screener.sqlite") == summary.restored.log_entries
    conn = sqlite3.connect(new / "screener.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_backup_of_another_review_is_said_to_be_one(tmp_path):
    """A backup of the team's other review picked from the same USB stick was restored in place of this
    review's file with no word but the counts. The restore now notes that the backup holds another review
    (no record's title in common) and how to go back; a backup of this review says nothing of it."""
    (tmp_path / "peer support").mkdir()
    this = _review(tmp_path / "peer support", decided=2)
    other = tmp_path / "statins"
    (tmp_path / "statins.csv").write_text("Title,Abstract\nStatins after infarction: a cohort,Mortality.\n"
                                          "Statin dose and muscle pain,A trial.\n", encoding="utf-8")
    with Project.init(other) as project:
        project.import_files([tmp_path / "statins.csv"])
    result = CliRunner().invoke(app, ["restore", str(this), str(other / "screener.sqlite")])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert "Note: the backup holds another review than the one it replaced: none of its records' titles" in out
    kept = next(this.glob("screener-before-restore-*"))
    shutil.copyfile(kept, tmp_path / "backup-of-this.sqlite")
    assert CliRunner().invoke(app, ["restore", str(this), str(kept)]).exit_code == 0  # back to this review
    _decide_more(this, [3])
    result = CliRunner().invoke(app, ["restore", str(this), str(tmp_path / "backup-of-this.sqlite")])
    assert result.exit_code == 0 and "another review" not in result.output


def test_a_restore_into_a_read_only_folder_is_said_of_the_folder(tmp_path, monkeypatch):
    """A project folder on a read-only share (or one the reviewer may not write to): 'screener restore' said
    'Error: DIR/.restoring-4242: Read-only file system. Check the path...', naming its hidden work folder. It
    now says that the project folder cannot be written, that nothing was restored, and what to do."""
    import errno
    from pathlib import Path

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.parent == d:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert (f"{d}: the project folder cannot be written (Read-only file system), so nothing was restored and the "
            "project is as it was.") in out and ".restoring" not in out
    assert sorted(p.name for p in d.iterdir()) == ["screener.sqlite"]


def test_a_protocol_half_put_back_by_a_killed_restore_is_taken_out(tmp_path):
    """A restore killed while it wrote the backup's protocol into the folder left
    '.protocol.toml.restoring-PID', half a protocol, there for good. The next command takes it out once
    that restore is no longer running; the protocol in place is left as it is."""
    d = _review(tmp_path, decided=2)
    (d / "protocol.toml").write_text('question = "Does peer support help?"\n', encoding="utf-8")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    half = d / f".protocol.toml.restoring-{_HOST}-{gone.pid}"
    half.write_text('question = "Does peer', encoding="utf-8")
    result = CliRunner().invoke(app, ["status", str(d)])
    assert result.exit_code == 0, result.output
    assert not half.exists() and (d / "protocol.toml").read_text(encoding="utf-8").startswith("question")


def test_a_link_to_a_file_of_another_name_leaves_the_other_files_beside_it(tmp_path):
    """screener.sqlite a link to 'peer-support.sqlite' in a synced folder that also holds another review's
    screener.sqlite and its log: the restore took out the log of the file in place by the project's own
    name, beside the file linked to, which is the other review's log (its last decisions). Only the logs
    of the file replaced are taken out."""
    d = _review(tmp_path, decided=2)
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    shutil.move(d / "screener.sqlite", synced / "peer-support.sqlite")
    os.symlink(synced / "peer-support.sqlite", d / "screener.sqlite")
    other_log = synced / "screener.sqlite-wal"  # the other review's, kept in the same synced folder
    other_log.write_bytes(b"the other review's last decisions")
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(synced / "peer-support.sqlite", backup)
    _decide_more(d, [3])
    summary = restore(backup, d)
    assert summary.project_file == synced / "peer-support.sqlite" and (d / "screener.sqlite").is_symlink()
    assert other_log.read_bytes() == b"the other review's last decisions"
    assert _n_decisions(synced / "peer-support.sqlite") == 2 and _n_decisions(summary.kept) == 3


def _a_process_gone() -> int:
    """The id of a process that ran here and ended."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def test_a_restore_under_way_on_another_computer_keeps_its_work_folder_and_dated_name(tmp_path):
    """A project folder on a network share (or a synced folder) restored from a colleague's computer while
    'screener status' ran here: the work folder '.restoring-PID' of that restore, whose process id is none
    of this computer's, was taken out as left by a killed restore (the restore there failing), and the
    dated name it had just made for the file in place with it, a moment before the backup went over that
    file: the only copy of the review as it was. What another computer's restore left is now left alone;
    this computer's own, of a process gone, is still taken out."""
    d = _review(tmp_path, decided=2)
    other = "0badc0de" if _HOST != "0badc0de" else "0ddba11a"
    pid = _a_process_gone()
    work = d / f".restoring-{other}-{pid}"
    work.mkdir()
    (work / "screener.sqlite").write_bytes(b"SQLite format 3\x00 the colleague's backup, being copied")
    kept = d / "screener-before-restore-2026-12-06-070512.sqlite"
    os.link(d / "screener.sqlite", kept)
    half = d / f".protocol.toml.restoring-{other}-{pid}"
    half.write_text('question = "Does peer', encoding="utf-8")
    result = CliRunner().invoke(app, ["status", str(d)])
    assert result.exit_code == 0, result.output
    assert work.is_dir() and kept.is_file() and half.is_file()

    shutil.rmtree(work)
    half.unlink()
    mine = d / f".restoring-{_HOST}-{pid}"  # this computer's, its process gone: a killed restore's
    mine.mkdir()
    (d / f".protocol.toml.restoring-{_HOST}-{pid}").write_text('question = "Does peer', encoding="utf-8")
    result = CliRunner().invoke(app, ["status", str(d)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in d.iterdir() if p.name.startswith((".", "screener-"))) == []
    assert _n_decisions(d / "screener.sqlite") == 2


def test_a_backup_naming_odd_protocol_files_is_restored_and_writes_only_protocol_files(tmp_path):
    """A backup edited by hand (or made by another program) whose protocol files had names with a NUL byte or
    a path in them: the project file was restored, then 'screener restore' ended in a traceback (ValueError:
    embedded null byte), the protocol beside it not put back and the restore not said. Only the names a backup
    writes (protocol.toml, protocol-earlier-N.toml) are put back, never outside the project folder."""
    import base64
    import json

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    text = base64.b64encode(b'question = "Does peer support help?"\n').decode("ascii")
    files = [{"name": name, "data": text} for name in
             ("protocol\x00.toml", "protocol.toml/../../x.toml", "../protocol.toml", str(tmp_path / "protocol.toml"),
              "protocol.toml:hidden", "protocol.toml")]
    with sqlite3.connect(backup) as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES('backup_protocol_files', ?)", (json.dumps(files),))
        conn.execute("UPDATE settings SET value = ? WHERE key = 'protocol_file'", (json.dumps("protocol.toml"),))
    conn.close()
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    assert "Put back with it from the backup: protocol.toml." in result.output
    assert sorted(p.name for p in d.iterdir() if "protocol" in p.name) == ["protocol.toml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite", "review", "scopus.csv"]


def _without_file_ids(folder):
    """``os.stat`` as on a file system that gives every file in ``folder`` the id 0 (some network drives)."""
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        st = real_stat(path, *args, **kwargs)
        if isinstance(path, int) or not str(path).startswith(str(folder)):
            return st
        extra = {name: getattr(st, name) for name in ("st_atime", "st_mtime", "st_ctime", "st_atime_ns",
                                                      "st_mtime_ns", "st_ctime_ns")}
        return os.stat_result((st.st_mode, 0, *tuple(st)[2:10]), extra)
    return stat


def test_the_copy_kept_by_a_restore_survives_a_file_system_without_file_ids(tmp_path, monkeypatch):
    """On a file system that gives no file its own id (0 for every file: some network drives, a
    Windows share), the next command after a restore took the dated copy of the file replaced, the only
    copy of the review as it was before the restore, for the project file under a second name, and
    deleted it. Only a second name the file system counts as one (two names of one file) is taken out."""
    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3, 4, 5])
    kept = restore(backup, d).kept
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", _without_file_ids(d))
    result = CliRunner().invoke(app, ["status", str(d)])
    monkeypatch.setattr(os, "stat", real_stat)
    assert result.exit_code == 0, result.output
    assert kept.is_file() and _n_decisions(kept) == 5


@pytest.mark.parametrize("named", ["absolute", "../thesis.toml"])
def test_a_backup_naming_its_protocol_outside_the_folder_is_refused(tmp_path, named):
    """A backup whose review names its protocol by a path out of the project folder ('../thesis.toml', or
    an absolute one: screener only ever names the file beside the project file, so the backup was edited or
    made elsewhere) was restored as it was; the next 'screener protocol' then took that file out, wherever
    it was (kept only as a 'protocol-earlier-1.toml' beside it). Such a backup is refused now, nothing
    changed."""
    import json

    d = _review(tmp_path, decided=2)
    thesis = tmp_path / "thesis.toml"
    thesis.write_text('title = "my thesis notes, not a protocol"\n', encoding="utf-8")
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    name = str(thesis) if named == "absolute" else named
    with sqlite3.connect(backup) as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES('protocol_file', ?) ON CONFLICT(key) DO UPDATE SET "
                     "value = excluded.value", (json.dumps(name),))
    conn.close()
    before = sorted(p.name for p in d.iterdir())
    with pytest.raises(ProjectError, match="nothing was restored"):
        restore(backup, d)
    assert sorted(p.name for p in d.iterdir()) == before and thesis.is_file()


def test_a_backup_is_restored_on_a_file_system_without_file_ids(tmp_path, monkeypatch):
    """On a drive that gives every file the id 0 (some network drives), every backup was refused as 'the
    project file itself', so no restore could be done there. A backup is refused so only when the file system
    says it is the project file (a non-zero id)."""
    d = _review(tmp_path, decided=2)
    shutil.copyfile(d / "screener.sqlite", d / "monday.sqlite")
    _decide_more(d, [3, 4, 5])
    monkeypatch.setattr(os, "stat", _without_file_ids(tmp_path))
    summary = restore(d / "monday.sqlite", d)
    monkeypatch.undo()
    assert _n_decisions(d / "screener.sqlite") == 2 and _n_decisions(summary.kept) == 5


def test_going_back_after_a_restore_that_replaced_the_protocol_puts_the_protocol_back_too(tmp_path):
    """A backup of the team's other review (its own protocol in it) restored by mistake: the note said to go
    back 'with the command above', 'screener restore DIR screener-before-restore-DATE.sqlite', which put back
    the project file only; the folder's protocol.toml stayed the other review's, and the review went on
    ranking and screening by the other review's questions, nothing said. The command to go back now names
    both steps, and after them the review is as it was, with its own protocol."""
    ours, theirs = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    ours.write_text('question = "Does peer support help people who use drugs?"\ninclusion = ["peer support"]\n',
                    encoding="utf-8")
    theirs.write_text('question = "Do statins prevent a second infarction?"\ninclusion = ["statins"]\n',
                      encoding="utf-8")
    this, other = tmp_path / "peer support", tmp_path / "statins"
    Project.init(this, protocol=ours).close()
    Project.init(other, protocol=theirs).close()
    made = backup_of(other)
    result = CliRunner().invoke(app, ["restore", str(this), str(made)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    kept = next(this.glob("screener-before-restore-*"))
    back = f"To go back to it: screener restore '{this}' '{kept}', then screener protocol '{this}' " \
           f"'{this / 'protocol-earlier-1.toml'}'"
    assert back in out
    assert CliRunner().invoke(app, ["restore", str(this), str(kept)]).exit_code == 0
    assert CliRunner().invoke(app, ["protocol", str(this), str(this / "protocol-earlier-1.toml")]).exit_code == 0
    with Project.open(this) as project:
        assert project.protocol.inclusion == ["peer support"]


def backup_of(directory):
    from screener.backup import backup

    return backup(directory, stamp="2026-12-06-081500").backup


def test_a_backup_of_this_review_exported_again_is_not_said_to_be_another(tmp_path):
    """The review started over from the same search exported again (Ovid's RIS: titles ending with a full
    stop, in capitals, a translated title in square brackets), and the backup of the first start restored:
    titles compared letter for letter, none was in common and the restore noted 'the backup holds another
    review than the one it replaced', telling the reviewer to go back. Titles are now compared as
    de-duplication reads them (case, punctuation and brackets aside)."""
    (tmp_path / "first").mkdir()
    first = _review(tmp_path / "first", decided=2)
    made = tmp_path / "backup.sqlite"
    shutil.copyfile(first / "screener.sqlite", made)
    with sqlite3.connect(first / "screener.sqlite") as conn:
        titles = [t for (t,) in conn.execute("SELECT title FROM records ORDER BY record_id")]
    conn.close()
    again = tmp_path / "again"
    export = tmp_path / "ovid.csv"
    with open(export, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Title", "Abstract"])
        for i, title in enumerate(titles):
            w.writerow([f"[{title}]" if i % 2 else f"{title.upper()}.", "An abstract."])
    with Project.init(again) as project:
        project.import_files([export])
    result = CliRunner().invoke(app, ["restore", str(again), str(made)])
    assert result.exit_code == 0, result.output
    assert "another review" not in result.output


def test_a_command_started_as_the_backup_goes_in_keeps_its_decisions(tmp_path, monkeypatch):
    """A command that opened the project the moment the backup was renamed in (a colleague's 'screener
    screen', the web app reloading) wrote its decision into the log beside the restored file, and the restore
    then took out 'screener.sqlite-wal' and '-shm' as the old file's: the decision was gone for every other
    command (and the log index of a live session with it). The old file's logs are taken out before the
    rename, while it is held, and nothing beside the restored file after."""
    import screener.restore as restore_module

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    real_replace, opened = os.replace, []

    def renamed_in(src, dst):
        real_replace(src, dst)
        if os.path.basename(dst) == "screener.sqlite" and not opened:
            reader, writer = Project.open(d), Project.open(d)  # a session reading, another deciding
            opened.extend([reader, writer])
            snapshot = reader.store.snapshot()
            snapshot.__enter__()
            reader.current_decisions()
            opened.append(snapshot)
            writer.decide(7, "include", reviewer="ana")

    monkeypatch.setattr(restore_module.os, "replace", renamed_in)
    restore(backup, d)
    monkeypatch.undo()
    try:
        code = (f"from screener.project import Project\nwith Project.open({str(d)!r}) as p: "
                "print(len(p.current_decisions()))")
        seen = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=os.getcwd())
        assert seen.stdout.strip() == "3", seen.stderr
    finally:
        opened[2].__exit__(None, None, None)
        opened[0].close()
        opened[1].close()


def test_a_protocol_kept_as_a_link_stays_a_link_after_a_restore(tmp_path):
    """protocol.toml a link to the team's protocol in a synced folder, amended since the backup: the
    restore put a plain protocol.toml in place of the link, so the review no longer followed the team's
    file, nothing said. The backup's protocol now goes where the link points, as the project file does
    through its link, the link stays, and the amended text is kept as protocol-earlier-1.toml."""
    shared = tmp_path / "Dropbox" / "protocol.toml"
    shared.parent.mkdir()
    first = 'title = "Peer support"\ninclusion = ["peer support"]\n'
    shared.write_text(first, encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d, protocol=shared).close()
    (d / "protocol.toml").unlink()
    (d / "protocol.toml").symlink_to(shared)
    made = backup_of(d)
    shared.write_text('title = "Peer navigators"\ninclusion = ["peer navigators"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["restore", str(d), str(made)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert (d / "protocol.toml").is_symlink() and shared.read_text(encoding="utf-8") == first
    assert "peer navigators" in (d / "protocol-earlier-1.toml").read_text(encoding="utf-8")
    assert f"protocol.toml (into {shared}, where its link points)" in out
    assert f"then put the text of protocol-earlier-1.toml back into {shared}" in out
    assert [p.name for p in shared.parent.iterdir()] == ["protocol.toml"]


def test_a_protocol_half_put_back_through_its_link_by_a_killed_restore_is_taken_out(tmp_path):
    """protocol.toml a link into a synced folder: a restore killed while it wrote the backup's protocol
    there left '.protocol.toml.restoring-PID', half a protocol, in the synced folder for good (the next
    command looked for it in the project folder only). It is taken out there too."""
    d = _review(tmp_path, decided=2)
    shared = tmp_path / "Dropbox" / "protocol.toml"
    shared.parent.mkdir()
    shared.write_text('question = "Does peer support help?"\n', encoding="utf-8")
    (d / "protocol.toml").symlink_to(shared)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    half = shared.parent / f".protocol.toml.restoring-{_HOST}-{gone.pid}"
    half.write_text('question = "Does peer', encoding="utf-8")
    result = CliRunner().invoke(app, ["status", str(d)])
    assert result.exit_code == 0, result.output
    assert not half.exists() and shared.read_text(encoding="utf-8").startswith("question")


def test_the_file_a_restore_replaced_copied_back_over_the_served_review_is_noticed(tmp_path):
    """After 'screener restore' put Monday's backup back, the review was screened on in 'screener serve'. The
    file the restore had replaced (kept as screener-before-restore-DATE.sqlite), copied back over the served
    file, was taken for the review: it held more changes than the backup, so the server went on from it and
    the decision made since the restore was lost without a word. The restored review counts its changes on
    from the file it replaced, so that copy is seen as an earlier one and nothing is written into it."""
    from screener.store import Decision
    from screener.store.sqlite import SQLiteStore

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3, 4, 5])  # the work done since the backup, then undone by the restore
    summary = restore(backup, d, stamp="2026-12-07-090000")
    served = SQLiteStore(d / "screener.sqlite")
    try:
        served.append_decisions([Decision(record_id=6, decision="include", reviewer="ana")])
        assert not served.moved()
        shutil.copyfile(summary.kept, d / "screener.sqlite")  # cp: the same file, the state before the restore
        assert served.went_back()
        with pytest.raises(ProjectError, match="moved or replaced"):
            served.append_decisions([Decision(record_id=7, decision="exclude", reviewer="ana")])
    finally:
        served.close()
    assert _n_decisions(d / "screener.sqlite") == 5


def test_a_restore_onto_a_nearly_full_disk_does_not_call_the_backup_another_programs_file(tmp_path, monkeypatch):
    """With room on the project's disk for the backup's copy but not for SQLite's index beside it, the restore
    said '...backup.sqlite: cannot be restored as it is ...: this file is not a screener project (another
    program's file, saved under its name?)' of a whole backup. It now says the project's disk is full and that
    nothing was restored; the review in the folder is as it was."""
    import shutil as sh

    from screener.store import SQLiteStore

    d = _review(tmp_path, decided=2)
    backup = tmp_path / "backup.sqlite"
    sh.copyfile(d / "screener.sqlite", backup)
    _decide_more(d, [3])
    real = SQLiteStore.get_setting

    def first_read(self, key, default=None):
        if ".restoring-" in str(self.path):  # the copy of the backup, in the project folder
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, key, default)

    monkeypatch.setattr(SQLiteStore, "get_setting", first_read)
    monkeypatch.setattr(sh, "disk_usage", lambda p: sh._ntuple_diskusage(10 << 30, 10 << 30, 20 << 10))
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert f"{d}: the disk holding the project is full, so nothing was restored and the project is as it was" in out
    assert "not a screener project" not in out
    assert sorted(p.name for p in d.iterdir() if not p.name.startswith("screener.sqlite-")) == ["screener.sqlite"]
    assert _n_decisions(d / "screener.sqlite") == 3


def test_a_browser_session_ended_since_the_backup_stays_ended_when_the_project_file_was_lost(tmp_path):
    """ana's session on a lost laptop was ended after the backup by a new password; then the project file was lost
    (deleted, a disk fault) and the backup put back in its folder: with no file to replace, the restore kept the
    backup's session key, and the laptop was let in as ana again."""
    from screener.accounts import add_user, hash_password

    d = _review(tmp_path)
    with Project.open(d) as project:
        add_user(project.store, "Olga", "owner", "correct horse battery")
        add_user(project.store, "ana", "reviewer", "correct horse battery")
    in_ana, laptop = _signed_in(d, "ana")
    assert in_ana
    backup = tmp_path / "backup-monday.sqlite"
    shutil.copyfile(d / "screener.sqlite", backup)
    with Project.open(d) as project:
        project.store.update_user("ana", password_hash=hash_password("a new one after the leak"))
    assert not _signed_in(d, "ana", laptop)[0]
    for name in ("screener.sqlite", "screener.sqlite-wal", "screener.sqlite-shm"):
        (d / name).unlink(missing_ok=True)
    result = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    assert result.exit_code == 0, result.output
    assert not _signed_in(d, "ana", laptop)[0]
    assert "Everyone signed in on the web before the restore signs in again" in " ".join(result.output.split())
    assert _signed_in(d, "ana")[0]
