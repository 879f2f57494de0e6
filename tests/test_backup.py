"""``screener backup``: one consistent moment of the review copied while it may be open, checked,
given its name only once whole, never over a file; ``screener restore`` puts it back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screener import backup as backup_module
from screener.backup import backup
from screener.cli import app
from screener.errors import ProjectError
from screener.project import Project
from screener.restore import _HOST, restore
from test_restore import _n_decisions, _n_decisions_file_alone, _review


def _hold_open_with_decisions_in_the_log(d, ids):
    """A screener with the review open (as 'screener serve'), that has just decided ``ids``, their pages
    still only in screener.sqlite-wal: its log is never emptied into the file by SQLite (wal_autocheckpoint
    off), and screener's own checkpoint after each decision stops at a page being read (a reader's snapshot
    taken before them: another tab's page, a report). Running until its stdin is closed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys\nfrom screener.project import Project\n"
         f"reader = sqlite3.connect({str(d / 'screener.sqlite')!r}, isolation_level=None)\n"
         "reader.execute('BEGIN'); reader.execute('SELECT COUNT(*) FROM decisions').fetchone()\n"
         f"p = Project.open({str(d)!r}); p.store._conn.execute('PRAGMA wal_autocheckpoint=0')\n"
         f"for rid in {list(ids)!r}: p.decide(rid, 'include', reviewer='ana')\n"
         "print('decided', flush=True); sys.stdin.read(); reader.close(); p.close()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "decided"
    return holder


def test_a_backup_made_while_the_review_is_open_holds_the_decisions_still_in_its_log(tmp_path):
    """A copy of the folder made while 'screener serve' ran lacked the decisions still in
    screener.sqlite-wal. 'screener backup' copies the review as SQLite reads it, log included, into one
    file that needs no log beside it; it says what it holds and how to put it back, and restore does."""
    d = _review(tmp_path, decided=2)
    holder = _hold_open_with_decisions_in_the_log(d, [3, 4, 5])
    try:
        assert (d / "screener.sqlite-wal").stat().st_size > 0
        assert _n_decisions_file_alone(d / "screener.sqlite") == 2  # what a copy of the file alone held
        result = CliRunner().invoke(app, ["backup", str(d)])
        assert result.exit_code == 0, result.output
    finally:
        holder.stdin.close()
        holder.wait(60)
    made = sorted((d / "backups").glob("screener-*.sqlite"))
    assert len(made) == 1 and [p.name for p in (d / "backups").iterdir()] == [made[0].name]  # no -wal, no partial
    assert _n_decisions_file_alone(made[0]) == 5  # the file alone is the whole backup
    out = " ".join(result.output.split())
    assert f"Backed up {d / 'screener.sqlite'} to {made[0]}." in out
    # in the order 'status' gives them: includes, maybes, excludes
    assert ("20 records (20 studies after de-duplication), 5 screened at title and abstract (4 includes, 0 maybe, "
            "1 exclude), 5 decisions logged (the last on") in out
    assert f"To put it back: screener restore {d} {made[0]}" in out
    assert "Not in it" not in out  # this review has no protocol

    with Project.open(d) as project:  # the work after the backup, then the backup put back
        project.decide(6, "exclude", reviewer="ana")
    summary = restore(made[0], d)
    assert summary.restored.log_entries == 5 and summary.before.log_entries == 6
    assert _n_decisions(d / "screener.sqlite") == 5
    with Project.open(d) as project:
        assert project.current_decisions()["decision"].to_dict() == {
            1: "include", 2: "exclude", 3: "include", 4: "include", 5: "include"}


def test_a_backup_never_replaces_a_file(tmp_path):
    """Two backups in the same second (a script, a double Enter) were to take one name: the second is
    dated -2 and the first stays as it was; a name given that is already taken is refused."""
    d = _review(tmp_path, decided=2)
    first = backup(d, stamp="2026-12-06-081500")
    as_it_was = first.backup.read_bytes()
    with Project.open(d) as project:
        project.decide(3, "include", reviewer="ana")
    second = backup(d, stamp="2026-12-06-081500")
    assert first.backup.name == "screener-2026-12-06-081500.sqlite"
    assert second.backup.name == "screener-2026-12-06-081500-2.sqlite"
    assert first.backup.read_bytes() == as_it_was
    assert _n_decisions(first.backup) == 2 and _n_decisions(second.backup) == 3
    usb = tmp_path / "usb"
    usb.mkdir()
    assert backup(d, usb, stamp="2026-12-06-081500").backup == usb / "screener-2026-12-06-081500.sqlite"
    result = CliRunner().invoke(app, ["backup", str(d), str(first.backup)])
    assert result.exit_code == 1 and "already there, so nothing was backed up" in " ".join(result.output.split())
    assert first.backup.read_bytes() == as_it_was
    result = CliRunner().invoke(app, ["backup", str(d), str(tmp_path / "no-such-folder" / "b.sqlite")])
    assert result.exit_code == 1 and "no such folder" in result.output


def test_a_backup_that_fails_leaves_no_file_under_its_name(tmp_path, monkeypatch):
    """Killed or failed half-way (a full disk, a copy that does not read back), a backup left a file
    that looked whole under the final name. The copy is made and checked under a temporary name and
    only then named: nothing is left, under either name."""
    d = _review(tmp_path, decided=2)

    def damaged(partial, source):
        raise ProjectError(f"{source}: the copy of the project file does not read back whole")

    monkeypatch.setattr(backup_module, "_check_and_seal", damaged)
    with pytest.raises(ProjectError, match="does not read back whole"):
        backup(d, stamp="2026-12-06-081500")
    assert list((d / "backups").iterdir()) == []


def test_what_a_killed_backup_left_is_taken_out_by_the_next_backup(tmp_path):
    """A backup killed half-way (kill -9, the laptop shut) left its hidden partial copy, a whole-looking
    SQLite file as large as the review, in the backups folder for good, one more at each kill. The next
    backup into that folder takes out the partial copies of backups no longer running; the finished
    backups are left as they are."""
    d = _review(tmp_path, decided=2)
    done = backup(d, stamp="2026-12-06-081500").backup
    code = ("import os, signal, screener.backup as b\n"
            "b._check_and_seal = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
            f"b.backup({str(d)!r}, stamp='2026-12-06-081600')\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode != 0
    assert len(list((d / "backups").glob(".*.partial-*"))) == 1  # what the kill left

    again = backup(d, stamp="2026-12-06-081700").backup
    assert sorted((d / "backups").iterdir()) == [done, again]


def test_the_protocol_and_its_earlier_versions_are_kept_in_the_backup_and_put_back(tmp_path):
    """The backup held the project file only: put back on a new laptop, the review named protocol.toml and
    'screener next' stopped at 'the review's protocol is no longer there', and the earlier version kept for
    reporting the amendment was gone. The protocol and the earlier versions are now kept in the backup (it
    stays one file) and the restore puts them back; a protocol amended since is kept, never lost."""
    first, amended = tmp_path / "protocol-draft.toml", tmp_path / "protocol-v2.toml"
    first.write_text('question = "Does peer support help people who use drugs?"\n'
                     'inclusion = ["peer support", "harm reduction"]\nexclusion = ["animal studies"]\n',
                     encoding="utf-8")
    amended.write_text(first.read_text(encoding="utf-8").replace('"animal studies"', '"animal studies", "editorials"'),
                       encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d, protocol=first).close()
    with Project.open(d) as project:
        project.set_protocol(amended)  # the draft kept as protocol-earlier-1.toml
    result = CliRunner().invoke(app, ["backup", str(d), str(tmp_path / "monday.sqlite")])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert ("In it too: the protocol, protocol.toml and the earlier protocol kept for the amendments "
            "(protocol-earlier-1.toml); 'screener restore' puts them back in the project folder.") in out
    assert f"To put it back: screener restore {d} {tmp_path / 'monday.sqlite'}" in out

    laptop = tmp_path / "laptop review [copy]"
    result = CliRunner().invoke(app, ["restore", str(laptop), str(tmp_path / "monday.sqlite")])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert "Put back with it from the backup: protocol.toml, protocol-earlier-1.toml." in out
    assert "is not in" not in out
    assert (laptop / "protocol.toml").read_bytes() == amended.read_bytes()
    assert (laptop / "protocol-earlier-1.toml").read_bytes() == first.read_bytes()
    with Project.open(laptop) as project:
        assert "editorials" in project.protocol.exclusion and "backup_protocol_files" not in project.store.settings()

    with Project.open(d) as project:  # amended again after the backup, then the backup restored
        project.set_protocol(first)
    now = (d / "protocol.toml").read_bytes()
    result = CliRunner().invoke(app, ["restore", str(d), str(tmp_path / "monday.sqlite")])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert (d / "protocol.toml").read_bytes() == amended.read_bytes()
    assert (d / "protocol-earlier-3.toml").read_bytes() == now  # the text in force until the restore
    assert (f"The protocol protocol.toml it replaced, whose text differed, is kept as protocol-earlier-3.toml; "
            f"to screen by it again: screener protocol {d} {d / 'protocol-earlier-3.toml'}") in out


def test_earlier_protocols_put_back_by_a_restore_never_share_a_number_with_the_folders_own(tmp_path):
    """A backup of the office review (protocol-earlier-1.txt) restored into the laptop's copy of the review,
    amended there from a .yaml (protocol-earlier-1.yaml): the restore put protocol-earlier-1.txt beside it, two
    'first' versions, the order of the amendments lost. An earlier version whose number the folder holds
    already, in any format, is put back above all its numbers now; a backup that held two -1 copies (kept
    before this was fixed) is put back in a new folder under the names it had, nothing renamed."""
    first, middle, amended = tmp_path / "criteria.txt", tmp_path / "middle.yaml", tmp_path / "amended.toml"
    first.write_text("Question: does peer support help people who use drugs?\n", encoding="utf-8")
    middle.write_text("question: Does peer support or peer work help people who use drugs?\n", encoding="utf-8")
    amended.write_text('question = "Does peer support or peer navigation help people who use drugs?"\n',
                       encoding="utf-8")
    office = tmp_path / "office"
    with Project.init(office, protocol=first) as project:
        project.set_protocol(middle)  # the .txt kept as protocol-earlier-1.txt
        project.set_protocol(amended)  # the .yaml as protocol-earlier-2.yaml
    assert CliRunner().invoke(app, ["backup", str(office), str(tmp_path / "monday.sqlite")]).exit_code == 0
    draft, laptop_v2 = tmp_path / "draft.yaml", tmp_path / "laptop.toml"
    draft.write_text("question: Peer workers in harm reduction\n", encoding="utf-8")
    laptop_v2.write_text('question = "Peer workers in drug services"\n', encoding="utf-8")
    laptop = tmp_path / "laptop"
    with Project.init(laptop, protocol=draft) as project:
        project.set_protocol(laptop_v2)  # the .yaml kept as protocol-earlier-1.yaml
    result = CliRunner().invoke(app, ["restore", str(laptop), str(tmp_path / "monday.sqlite")])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert (laptop / "protocol-earlier-1.yaml").read_bytes() == draft.read_bytes()
    assert (laptop / "protocol-earlier-2.toml").read_bytes() == laptop_v2.read_bytes()  # in force until now
    assert (laptop / "protocol-earlier-3.txt").read_bytes() == first.read_bytes()
    assert (laptop / "protocol-earlier-4.yaml").read_bytes() == middle.read_bytes()
    assert sorted(p.name for p in laptop.glob("protocol*")) == ["protocol-earlier-1.yaml", "protocol-earlier-2.toml",
                                                                 "protocol-earlier-3.txt", "protocol-earlier-4.yaml",
                                                                 "protocol.toml"]
    assert "Put back with it from the backup: protocol.toml, protocol-earlier-3.txt, protocol-earlier-4.yaml." in out

    (office / "protocol-earlier-1.toml").write_text('question = "Peer support"\n', encoding="utf-8")
    assert CliRunner().invoke(app, ["backup", str(office), str(tmp_path / "tuesday.sqlite")]).exit_code == 0
    new = tmp_path / "new"
    assert CliRunner().invoke(app, ["restore", str(new), str(tmp_path / "tuesday.sqlite")]).exit_code == 0
    assert sorted(p.name for p in new.glob("protocol*")) == ["protocol-earlier-1.toml", "protocol-earlier-1.txt",
                                                              "protocol-earlier-2.yaml", "protocol.toml"]


def test_a_backup_lists_the_earlier_protocols_in_the_order_of_the_amendments(tmp_path):
    """A review amended ten times: the backup listed its earlier protocols as protocol-earlier-1.toml,
    protocol-earlier-10.toml, protocol-earlier-2.toml (by name), the tenth amendment said second (and put back
    in that order by 'screener restore'). They go by number now."""
    first = tmp_path / "draft.toml"
    first.write_text('question = "Does peer support help people who use drugs?"\n', encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d, protocol=first).close()
    for n in (1, 2, 10):
        (d / f"protocol-earlier-{n}.toml").write_text(f'question = "Version {n}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["backup", str(d), str(tmp_path / "monday.sqlite")])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert ("the earlier protocols kept for the amendments (protocol-earlier-1.toml, protocol-earlier-2.toml, "
            "protocol-earlier-10.toml)") in out


def test_a_review_on_a_database_server_is_pointed_to_pg_dump(tmp_path):
    """A review kept on PostgreSQL has no project file to copy: refused, naming pg_dump, nothing made."""
    d = tmp_path / "team-review"
    d.mkdir()
    (d / "database.url").write_text("postgresql://screener@db.example.org/review\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["backup", str(d)])
    assert result.exit_code == 1 and "pg_dump" in result.output and "database server" in result.output
    assert sorted(p.name for p in d.iterdir()) == ["database.url"]
    result = CliRunner().invoke(app, ["backup", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "not a screener project" in result.output
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGXFSZ"), reason="a file size limit is set on POSIX only")
def test_a_backup_too_large_for_the_usb_stick_is_said_and_leaves_nothing(tmp_path):
    """A USB stick formatted FAT32 takes no file over 4 GB (here: a limit of 40 kB on the files the
    command writes): 'screener backup' ended in a traceback ('sqlite3.OperationalError: disk I/O error').
    It now says that no backup was kept there and what to do, and leaves nothing of it on the stick."""
    import resource
    import signal

    d = _review(tmp_path, decided=2)
    stick = tmp_path / "usb-stick"
    stick.mkdir()

    def fat32():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on FAT32
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    r = subprocess.run([sys.executable, "-c", "from screener.cli import main; main()", "backup", str(d), str(stick)],
                       preexec_fn=fat32, capture_output=True, text=True, timeout=120)
    said = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 1 and "Traceback" not in said, said
    assert f"{stick}: the backup could not be written there" in said and "no backup was kept" in said
    assert list(stick.iterdir()) == []


def test_a_full_or_read_only_backup_disk_is_said_of_that_folder(tmp_path, monkeypatch):
    """A full USB stick ended 'screener backup' in a traceback ('database or disk is full'), and a
    read-only one was named by the backup's hidden temporary file ('.screener-DATE.sqlite.partial-4242:
    Read-only file system'). Both are now said of the folder given, that nothing was backed up, and
    what to do; nothing is left there."""
    import errno

    d = _review(tmp_path, decided=2)
    stick = tmp_path / "usb-stick"
    stick.mkdir()

    def full(partial, source):
        raise sqlite3.OperationalError("database or disk is full")  # as SQLite says it of the copy

    monkeypatch.setattr(backup_module, "_check_and_seal", full)
    result = CliRunner().invoke(app, ["backup", str(d), str(stick)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and f"{stick}: the disk the backup goes to is full, so no backup was kept" in out
    assert list(stick.iterdir()) == []
    monkeypatch.undo()

    def read_only(path, mode="r", *args, **kw):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(backup_module, "open", read_only, raising=False)
    result = CliRunner().invoke(app, ["backup", str(d), str(stick)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert f"{stick}: a backup cannot be written there (Read-only file system), so nothing was backed up" in out
    assert ".partial" not in out and list(stick.iterdir()) == []


def test_a_folder_given_that_is_not_there_is_refused_not_made_a_file(tmp_path):
    """'screener backup DIR STICK/backups/' with no folder 'backups' on the stick yet wrote the backup into a
    file named 'backups' (the trailing '/' lost), said 'Backed up ... to STICK/backups.', and the next backup
    there was refused as 'already there'. A folder meant but not there is now refused, nothing made."""
    d = _review(tmp_path, decided=2)
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    result = CliRunner().invoke(app, ["backup", str(d), f"{stick}/backups/"])
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and f"{stick}/backups/: there is no such folder, so nothing was backed up" in out
    assert list(stick.iterdir()) == []
    (stick / "backups").mkdir()  # once made, a dated backup goes in it
    result = CliRunner().invoke(app, ["backup", str(d), f"{stick}/backups/"])
    assert result.exit_code == 0, result.output
    assert [p.name.startswith("screener-") for p in (stick / "backups").iterdir()] == [True]


def test_paths_with_square_brackets_are_said_as_they_are(tmp_path):
    """A review folder 'peer support [2026]' and a stick folder 'backups [/]': 'backup' and 'restore' printed
    their lines as markup, so '[2026]' vanished from the paths said, and the 'screener restore ...' to copy
    named a folder that is not there ('[/]' ended the command with a markup error after the backup was made).
    The paths are now said as they are (quoted in a command, as a shell reads them)."""
    d = _review(tmp_path, decided=2).rename(tmp_path / "peer support [2026]")
    stick = tmp_path / "backups [/]"  # a folder 'backups [' holding ']': the path holds '[/]'
    stick.mkdir(parents=True)
    result = CliRunner().invoke(app, ["backup", str(d), str(stick) + "/"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    made = next(stick.iterdir())
    out = " ".join(result.output.split())
    assert f"Backed up {d / 'screener.sqlite'} to {made}." in out and f"screener restore '{d}' '{made}'" in out
    result = CliRunner().invoke(app, ["restore", str(d), str(made)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    kept = next(d.glob("screener-before-restore-*"))
    out = " ".join(result.output.split())
    assert f"Restored {made} as {d / 'screener.sqlite'}." in out and f"screener restore '{d}' '{kept}'" in out


def test_a_protocol_that_cannot_be_put_back_is_said_and_the_one_in_place_kept_once(tmp_path, monkeypatch):
    """The project's disk full as the restore puts the backup's protocol back (the project file itself
    renamed in already): the protocol in place stays as it was, no second copy of it is left as
    protocol-earlier-N, and the restore says which file it could not put back and what to do."""
    import errno

    import screener.restore as restore_module

    first = tmp_path / "protocol-draft.toml"
    first.write_text('question = "Does peer support help people who use drugs?"\ninclusion = ["peer support"]\n'
                     'exclusion = ["animal studies"]\n', encoding="utf-8")
    d = tmp_path / "review"
    Project.init(d, protocol=first).close()
    made = backup(d).backup
    amended = tmp_path / "protocol-v2.toml"
    amended.write_text(first.read_text(encoding="utf-8").replace('"animal studies"', '"editorials"'), encoding="utf-8")
    with Project.open(d) as project:
        project.set_protocol(amended)  # the draft kept as protocol-earlier-1.toml
    before = sorted(p.name for p in d.iterdir())

    def full_disk(path, *args, **kwargs):
        if str(path).endswith(f".restoring-{_HOST}-{os.getpid()}") and Path(path).name.startswith(".protocol"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return open(path, *args, **kwargs)

    monkeypatch.setattr(restore_module, "open", full_disk, raising=False)
    result = CliRunner().invoke(app, ["restore", str(d), str(made)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0, out
    assert (d / "protocol.toml").read_bytes() == amended.read_bytes()
    after = sorted(p.name for p in d.iterdir() if not p.name.startswith("screener-before-restore-"))
    assert after == before
    assert (f"Not put back: protocol.toml, held in the backup, could not be written into {d} (No space left on "
            f"device); the project file is restored.") in out and "kept as protocol-earlier" not in out


def test_a_project_on_read_only_storage_or_with_a_file_named_backups_is_said_in_words(tmp_path, monkeypatch):
    """'screener backup DIR' of a review on a read-only share (or a CD) ended in 'Error: DIR/backups: Read-only
    file system. Check the path...', and with a file named 'backups' in the folder (notes saved under that
    name) in 'DIR/backups: File exists'. Each now says that nothing was backed up and where to back up."""
    import errno
    from pathlib import Path as RealPath

    d = _review(tmp_path, decided=2)
    (d / "backups").write_text("list of backups taken by hand\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["backup", str(d)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert (f"{d / 'backups'} is a file, not the folder backups go into, so nothing was backed up. Move or rename "
            f"it, or give another place for the backup: screener backup {d} YOUR_BACKUP_FOLDER") in out
    (d / "backups").unlink()
    (d / "backups").symlink_to(tmp_path / "USB" / "review-backups", target_is_directory=True)  # stick not in
    result = CliRunner().invoke(app, ["backup", str(d)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert (f"{d / 'backups'} is a link to a folder that is not there ({tmp_path / 'USB' / 'review-backups'}: a USB "
            "stick or a network share not plugged in?), so nothing was backed up.") in out
    (d / "backups").unlink()

    mkdir = RealPath.mkdir

    def read_only(self, *args, **kwargs):
        if self == d / "backups":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(RealPath, "mkdir", read_only)
    result = CliRunner().invoke(app, ["backup", str(d)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert (f"{d / 'backups'}: a backup cannot be written there (Read-only file system), so nothing was backed up. "
            f"Give a folder you may write to: screener backup {d} YOUR_BACKUP_FOLDER") in out


def test_a_backup_under_way_on_another_computer_keeps_its_partial_copy(tmp_path):
    """Two of the team backing up into one folder on a network share at the same time: the backup started
    second took out the other computer's partial copy '.screener-DATE.sqlite.partial-PID' as left by a killed
    backup (a process id says nothing of another computer's processes), and that backup, read back from a
    file gone, ended in an error or named an empty file as the backup. The partial copies of another
    computer are now left alone; this computer's own, of a backup no longer running, are taken out."""
    d = _review(tmp_path, decided=2)
    share = tmp_path / "share"
    share.mkdir()
    other = "0badc0de" if _HOST != "0badc0de" else "0ddba11a"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    theirs = share / f".screener-2026-12-06-081500.sqlite.partial-{other}-{gone.pid}"
    theirs.write_bytes(b"SQLite format 3\x00 being written by the other computer")
    earlier = share / f".screener-2026-12-06-081500.sqlite.partial-{gone.pid}"  # by a screener naming no computer
    earlier.write_bytes(b"SQLite format 3\x00 being written by another computer")
    mine = share / f".screener-2026-12-06-081400.sqlite.partial-{_HOST}-{gone.pid}"
    mine.write_bytes(b"SQLite format 3\x00 left by a backup killed here")
    made = backup(d, share, stamp="2026-12-06-081600").backup
    assert sorted(share.iterdir()) == sorted([theirs, earlier, made])


def test_a_partial_copy_taken_out_while_written_never_becomes_an_empty_backup(tmp_path, monkeypatch):
    """The partial copy taken out while the backup was being written (by a sync app, a clean-up program, or
    another computer's backup into the same shared folder): the checks that read it back opened the name
    anew, made an empty file there, found it 'ok', and the backup named that 0-byte file as
    'screener-DATE.sqlite', said to hold the review's 20 records. The backup now checks it still has the
    file it wrote: no backup is kept, and the reviewer is told to back up again."""
    d = _review(tmp_path, decided=2)
    keep_files = backup_module._keep_protocol_files

    def taken_out(partial, *args):
        kept = keep_files(partial, *args)
        partial.unlink()  # by another program, in the middle of the backup
        return kept

    monkeypatch.setattr(backup_module, "_keep_protocol_files", taken_out)
    with pytest.raises(ProjectError, match="Back up again") as caught:
        backup(d, stamp="2026-12-06-081500")
    assert "no backup was kept" in str(caught.value)
    assert list((d / "backups").iterdir()) == []


@pytest.mark.parametrize("step", ["_fsync", "_link_new"])
def test_a_backup_disk_full_as_the_copy_is_finished_is_said_of_that_folder(tmp_path, monkeypatch, step):
    """A network share or USB stick may say it is full only as the copy is written out to it (fsync) or named:
    'screener backup' ended in 'Error: No space left on device. Check the path', naming no file and not saying
    whether a backup was kept. Now said of the folder, that no backup was kept, and what to do; nothing is left
    there, and the review is as it was."""
    import errno

    d = _review(tmp_path, decided=2)
    stick = tmp_path / "usb-stick"
    stick.mkdir()

    def full(*args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_module, step, full)
    result = CliRunner().invoke(app, ["backup", str(d), str(stick)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and f"{stick}: the disk the backup goes to is full, so no backup was kept" in out
    assert list(stick.iterdir()) == []
    assert _n_decisions(d / "screener.sqlite") == 2


def test_a_full_disk_under_the_project_is_not_blamed_on_the_backup_folder(tmp_path, monkeypatch):
    """The project's disk full (no room for SQLite's index beside the file), the backup going to a USB stick
    with room to spare: 'screener backup' said 'usb-stick: the backup could not be written there (disk I/O
    error: a USB stick taken out ...)', and every other place given failed the same. It now says the disk
    holding the project is full, that nothing was backed up, and to free space there; nothing is left on the
    stick."""
    import shutil

    d = _review(tmp_path, decided=2)
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    real = shutil.disk_usage

    def usage(path):
        free = 20 << 10 if d in (Path(path), *Path(path).parents) else 10 << 30
        return shutil._ntuple_diskusage(real(path).total, real(path).used, free)

    def unreadable(source, partial):
        raise sqlite3.OperationalError("disk I/O error")  # as SQLite says it where its index cannot grow

    monkeypatch.setattr(shutil, "disk_usage", usage)
    monkeypatch.setattr(backup_module, "_copy_consistent", unreadable)
    result = CliRunner().invoke(app, ["backup", str(d), str(stick)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and f"{d}: the disk holding the project is full" in out, out
    assert "nothing was backed up" in out and f"{stick}: the backup could not be written" not in out
    assert list(stick.iterdir()) == []
