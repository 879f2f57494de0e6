"""Bad input through the command line: every case gets a message, never a Python traceback.

Each row of BAD_INPUTS is a command a reviewer might type with a wrong file, folder or value;
the command must exit non-zero with a plain message (and the words we expect in it)."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from screener.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory, toy_review_module):
    d = tmp_path_factory.mktemp("bad")
    csv = toy_review_module(d / "toy.csv")
    proj = d / "review"
    assert runner.invoke(app, ["init", str(proj)]).exit_code == 0
    assert runner.invoke(app, ["import", str(proj), str(csv)]).exit_code == 0
    (d / "afile.txt").write_text("not a folder\n")
    (d / "empty.csv").write_text("")
    (d / "exports").mkdir()
    shutil.copy(sys.executable if Path(sys.executable).stat().st_size > 1000 else "/bin/ls", d / "program.ris")
    (d / "picture.ris").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (d / "noise.ris").write_bytes(bytes(range(256)) * 40)
    with zipfile.ZipFile(d / "exports.zip", "w") as z:
        z.writestr("medline.ris", "TY  - JOUR\nTI  - A\nER  - \n")
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 this zip was cut short")
    # the lock files Excel ('~$name') and LibreOffice ('.~lock.name#') keep beside a workbook while it is open
    (d / "~$batch1.xlsx").write_bytes(bytes([3]) + b"ana" + b" " * 50 + b"\x00" * 108)
    (d / ".~lock.batch1.csv#").write_text(",ana,laptop,06.12.2026 22:40,file:///home/ana/.config/libreoffice/4;")
    (d / "refs.bib").write_text("@article{smith2020,\n  title={Peer support},\n  author={Smith, A},\n}\n")
    (d / "refs.json").write_text('[{"title": "x", "year": 2020}]\n')
    pd.DataFrame({"Article": ["x"], "verdict": ["include"]}).to_csv(d / "odd_labels.csv", index=False)
    pd.DataFrame({"record_id": [1], "decision": ["include"]}).to_csv(d / "full_texts.csv", index=False)
    return d


def _write_records(path: Path, n: int = 30) -> Path:
    """A small CSV of records (no decisions)."""
    pd.DataFrame({"title": [f"Study {i} of peer workers" if i % 5 == 0 else f"Study {i} of dosage in mice"
                            for i in range(n)],
                  "abstract": [f"We report setting {i}." for i in range(n)],
                  "doi": [f"10.5555/bad.{i}" for i in range(n)]}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def toy_review_module():
    return _write_records


# (arguments with {d} for the folder, words the message must contain)
BAD_INPUTS = [
    (["import", "{d}/review", "{d}/exports"], ["folder, not a file"]),
    (["label", "{d}/review", "{d}/exports"], ["folder, not a file"]),
    (["init", "{d}/afile.txt"], ["is a file, not a folder"]),
    (["init", "{d}/afile.txt/sub"], ["cannot create the project"]),
    (["import", "{d}/review", "{d}/program.ris"], ["program", "RIS"]),
    (["import", "{d}/review", "{d}/picture.ris"], ["PNG image", "RIS"]),
    (["import", "{d}/review", "{d}/noise.ris"], ["binary data"]),
    (["import", "{d}/review", "{d}/picture.ris", "--format", "ris"], ["PNG image"]),
    (["import", "{d}/review", "{d}/exports.zip"], ["zip archive", "medline.ris", "Unzip"]),
    (["import", "{d}/review", "{d}/broken.xlsx"], ["damaged"]),
    (["import", "{d}/review", "{d}/refs.json"], [".json", "RIS"]),
    (["import", "{d}/review", "{d}/missing.ris"], ["not found"]),
    (["label", "{d}/review", "{d}/~$batch1.xlsx"], ["lock file", "while batch1.xlsx is open", "batch1.xlsx instead"]),
    (["import", "{d}/review", "{d}/~$batch1.xlsx"], ["lock file", "batch1.xlsx instead"]),
    (["label", "{d}/review", "{d}/.~lock.batch1.csv#"], ["lock file", "LibreOffice", "batch1.csv instead"]),
    (["status", "{d}/nowhere"], ["not a screener project"]),
    (["status", "{d}/afile.txt"], ["is a file, not a project folder", "review's folder"]),
    (["export", "{d}/review/screener.sqlite", "-o", "{d}/out.csv"], ["is a file, not a project folder",
                                                                     "which holds screener.sqlite):", "/review."]),
    (["label", "{d}/review", "{d}/odd_labels.csv"], ["doi", "decision"]),
    # said of record 1 ('record 1: stage ... is not one of title_abstract, full_text'), not of the option
    (["label", "{d}/review", "{d}/full_texts.csv", "--stage", "fulltext"], ["--stage fulltext", "--stage full_text",
                                                                            "Nothing was saved"]),
    (["next", "{d}/review", "--n", "0"], ["--n 0"]),
    (["next", "{d}/review", "--n", "-5"], ["--n -5"]),
    (["next", "{d}/review", "--sample", "-3"], ["--sample -3"]),
    (["next", "{d}/review", "--n", "5", "--sample", "6"], ["--sample 6"]),
    (["next", "{d}/review", "--embedding-model", "all-MiniLM-L6-v3"], ["no such model"]),
    (["screen", "{d}/review", "--embedding-model", "minilm-typo"], ["no such model"]),
    # embed said "cannot load embedding model 'minilm-typo' (OSError: We couldn't connect to 'https://huggingface.co'"
    (["embed", "{d}/review", "--embedding-model", "minilm-typo"], ["no such model"]),
    (["status", "{d}/review", "--confidence", "0"], ["--confidence 0"]),
    (["status", "{d}/review", "--confidence", "95"], ["0.95"]),
    (["status", "{d}/review", "--target-recall", "1"], ["--target-recall 1"]),
    (["init", "{d}/new", "--target-recall", "0"], ["--target-recall 0"]),
    # a port past 65535 ended in a traceback ('OverflowError: bind(): port must be 0-65535')
    (["serve", "{d}/review", "--port", "99999"], ["--port 99999", "65535", "8000"]),
    (["serve", "{d}/review", "--port", "-1"], ["--port -1"]),
    # a word where a number goes: "Input should be a valid integer, unable to parse string as an integer"
    (["next", "{d}/review", "--n", "abc"], ["--n abc", "a whole number", "--n 50"]),
    (["status", "{d}/review", "--target-recall=high"], ["--target-recall high", "a number"]),
    # a folder named with -o: 'cannot export to '': choose --format' and 'write the batch as .csv' said nothing of it
    (["export", "{d}/review", "-o", "{d}/exports"], ["-o names a folder", "exports/records.csv"]),
    (["next", "{d}/review", "-o", "{d}/exports", "--embedding-model", "none"], ["-o names a folder",
                                                                                  "exports/batch.csv"]),
]


def _check(result, words):
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"a traceback instead of a message: {result.exception!r}")
    assert result.exit_code != 0
    text = " ".join(result.output.split())
    assert "Traceback" not in text and "Input should be" not in text
    for w in words:
        assert w in text, f"{w!r} not in: {text}"


@pytest.mark.parametrize("args,words", BAD_INPUTS, ids=[" ".join(a[:1] + a[2:]) for a, _ in BAD_INPUTS])
def test_bad_input_gets_a_message(files, args, words):
    _check(runner.invoke(app, [a.format(d=files) for a in args]), words)


def test_an_empty_decisions_file_is_not_called_a_search_export(files):
    """'label review empty.csv' said "Export the search results again; the download may not have finished": the
    file a reviewer labels is a batch they filled in, not a search export. It says what to do with that file."""
    r = runner.invoke(app, ["label", str(files / "review"), str(files / "empty.csv")])
    _check(r, ["empty.csv", "the file is empty", "decision", "Nothing was saved"])
    assert "search results" not in r.output



@pytest.mark.parametrize("given,meant", [("include", "included"), ("Excluded", "excluded"), ("unscreen", "unscreened")])
def test_export_only_a_set_misspelt_names_the_set_meant(files, given, meant):
    """'export --only include' was refused with the list of sets and no word of the one meant, as other options
    say it: the closest set is named, and no file is written."""
    out = files / f"only_{given}.csv"
    r = runner.invoke(app, ["export", str(files / "review"), "-o", str(out), "--only", given])
    _check(r, ["--only must be one of", f"not {given!r}", f"Did you mean {meant!r}?"])
    assert not out.exists()

@pytest.mark.parametrize("given", ["final includes", "final_included", "full_text", "full-text includes"])
def test_export_only_the_final_includes_by_another_name_names_final(files, given):
    """'export --only "final includes"' was answered 'Did you mean 'included'?' (the title/abstract includes), and
    'full_text' with no set named: the reviewer meant the set 'final' (the studies included at full text)."""
    out = files / "only_final.csv"
    r = runner.invoke(app, ["export", str(files / "review"), "-o", str(out), "--only", given])
    _check(r, [f"not {given!r}", "Did you mean 'final'?"])
    assert "Did you mean 'included'" not in r.output and not out.exists()


@pytest.mark.parametrize("name", ["afile.txt", "refs.json"])
def test_a_decisions_file_of_no_kind_screener_reads_gives_no_option_label_lacks(files, name):
    """'label review notes.txt' said "Give the format with --format": label has no --format, and the
    reviewer was sent to an option that is refused. It says what a decisions file is."""
    r = runner.invoke(app, ["label", str(files / "review"), str(files / name)])
    _check(r, [name, "decisions file", "Nothing was saved"])
    assert "--format" not in r.output, r.output


def test_an_empty_project_file_is_said_in_words_and_left_as_it_was(tmp_path):
    """A project folder whose screener.sqlite was empty (a copy or sync that never finished) said "this is not
    a screener project database (no such table: settings)", words of the database's, with nothing to do;
    and opening it had written a database header into the file. It says what to do, and writes nothing."""
    d = tmp_path / "review"
    d.mkdir()
    (d / "screener.sqlite").write_bytes(b"")
    r = runner.invoke(app, ["status", str(d)])
    _check(r, ["screener.sqlite", "empty", "backup"])
    assert "no such table" not in r.output and "database" not in r.output, r.output
    assert (d / "screener.sqlite").stat().st_size == 0


def test_another_programs_database_under_the_project_files_name_is_said_in_words(tmp_path):
    """Another program's database saved as screener.sqlite said "this is not a screener project database (no such
    table: settings)": the database's words, and nothing to do. It says what to do."""
    import sqlite3

    d = tmp_path / "review"
    d.mkdir()
    with sqlite3.connect(d / "screener.sqlite") as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    r = runner.invoke(app, ["status", str(d)])
    _check(r, ["screener.sqlite", "not a screener project", "backup"])
    assert "no such table" not in r.output, r.output


def test_a_bib_file_is_read_or_named(files):
    """BibTeX: read (where a BibTeX reader exists) or named as a format screener does not read."""
    r = runner.invoke(app, ["import", str(files / "review"), str(files / "refs.bib"), "--allow-reimport"])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    if r.exit_code != 0:
        text = " ".join(r.output.split())
        assert ".bib" in text and "RIS" in text and "column" not in text


def _make_read_only(path: Path) -> bool:
    """Read-only storage for real: permissions for a normal user; the immutable flag for root."""
    if os.geteuid() != 0:
        for p in [path, *path.iterdir()]:
            p.chmod(p.stat().st_mode & ~0o222)
        return True
    if shutil.which("chattr") is None:
        return False
    targets = [str(p) for p in [path, *path.iterdir()]]
    if subprocess.run(["chattr", "+i", *targets], capture_output=True).returncode == 0:
        return True
    _undo_read_only(path)  # a file system without the flag: leave nothing half-locked
    return False


def _undo_read_only(path: Path) -> None:
    if os.geteuid() != 0:
        for p in [path, *path.iterdir()]:
            p.chmod(p.stat().st_mode | 0o200)
    else:
        subprocess.run(["chattr", "-i", str(path), *map(str, path.iterdir())], capture_output=True)


def test_a_project_on_read_only_storage(tmp_path):
    csv = _write_records(tmp_path / "toy.csv")
    proj = tmp_path / "ro"
    assert runner.invoke(app, ["init", str(proj)]).exit_code == 0
    assert runner.invoke(app, ["import", str(proj), str(csv)]).exit_code == 0
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"record_id": [1], "decision": ["include"]}).to_csv(labels, index=False)
    if not _make_read_only(proj):
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        # reading still works
        r = runner.invoke(app, ["status", str(proj)])
        assert r.exit_code == 0 and r.exception is None, r.output
        r = runner.invoke(app, ["export", str(proj), "-o", str(tmp_path / "out.csv")])
        assert r.exit_code == 0 and r.exception is None, r.output
        # changing it gets a message
        for args in (["next", str(proj), "--n", "3", "--embedding-model", "none"], ["label", str(proj), str(labels)],
                     ["dedup", str(proj)], ["import", str(proj), str(csv), "--allow-reimport"]):
            _check(runner.invoke(app, args), ["read-only"])
    finally:
        _undo_read_only(proj)


def test_next_on_read_only_storage_with_the_embedding_model_says_read_only(tmp_path):
    """'screener next' on a project on read-only storage, ranking with the project's embedding
    model as every review does by default, said only 'screener.sqlite: cannot use it as the
    embedding cache (unable to open database file)', as if the project file were damaged. It now
    says the project is on read-only storage and what to do, as without the model."""
    csv = _write_records(tmp_path / "toy.csv")
    proj = tmp_path / "ro"
    assert runner.invoke(app, ["init", str(proj)]).exit_code == 0
    assert runner.invoke(app, ["import", str(proj), str(csv)]).exit_code == 0
    if not _make_read_only(proj):
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        r = runner.invoke(app, ["next", str(proj), "--n", "3"])
        _check(r, ["read-only", "copy the project folder somewhere you can write"])
        assert "embedding cache" not in r.output
    finally:
        _undo_read_only(proj)


def test_a_copy_on_read_only_storage_with_its_log_shows_the_decisions_in_the_log(tmp_path):
    """A project folder copied while a screener had the review open, its screener.sqlite-wal with
    it but not the log's index (screener.sqlite-shm, which sync tools and some copies leave out),
    then read from read-only storage (a share, a CD): SQLite cannot read such a log there, and the
    file was read as if it had none, so 'screener export' and 'status' lacked the decisions still in
    the log without a word. Now it says so and to copy the folder somewhere writable, where the log
    is read."""
    import shutil
    import sqlite3

    csv = _write_records(tmp_path / "toy.csv")
    proj = tmp_path / "p"
    assert runner.invoke(app, ["init", str(proj)]).exit_code == 0
    assert runner.invoke(app, ["import", str(proj), str(csv)]).exit_code == 0
    con = sqlite3.connect(proj / "screener.sqlite", isolation_level=None)  # the review held open
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("INSERT INTO decisions(record_id, decision, reviewer, stage, origin, created_at) "
                "VALUES (1, 'include', 'ana', 'title_abstract', 'cli', '2026-01-01T00:00:00+00:00')")
    assert (proj / "screener.sqlite-wal").stat().st_size > 0
    ro = tmp_path / "ro"
    shutil.copytree(proj, ro)  # the folder copied as it was, the log in it
    con.close()
    (ro / "screener.sqlite-shm").unlink()  # a sync tool or a copy that leaves out the log's index
    if not _make_read_only(ro):
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        _check(runner.invoke(app, ["export", str(ro), "-o", str(tmp_path / "out.csv")]),
               ["screener.sqlite-wal", "read-only", "Copy the project folder somewhere you can write"])
    finally:
        _undo_read_only(ro)
    assert not (tmp_path / "out.csv").exists()
    writable = tmp_path / "copy"
    shutil.copytree(ro, writable)
    r = runner.invoke(app, ["export", str(writable), "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 0 and r.exception is None, r.output
    out = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert out.filter(like="decision").eq("include").any(axis=1).sum() == 1, out.columns.tolist()


def test_a_project_of_an_older_screener_on_read_only_storage(tmp_path):
    """A project saved by an older screener (format 7) on read-only storage: 'screener status'
    stopped with 'screener can still show it (screener status, ...)', the very command that failed.
    The project must be brought up to this screener's format before it can be read, which writes
    to it: the message says so, and what to do."""
    import sqlite3

    from screener.store.sqlite import SCHEMA_VERSION

    csv = _write_records(tmp_path / "toy.csv")
    proj = tmp_path / "ro"
    assert runner.invoke(app, ["init", str(proj)]).exit_code == 0
    assert runner.invoke(app, ["import", str(proj), str(csv)]).exit_code == 0
    con = sqlite3.connect(proj / "screener.sqlite")  # as format 7 kept a split record
    con.execute("CREATE TABLE dedup_splits (record_id INTEGER PRIMARY KEY REFERENCES records(record_id),"
                " created_at TEXT NOT NULL)")
    con.execute("UPDATE settings SET value = '7' WHERE key = 'schema_version'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    if not _make_read_only(proj):
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        r = runner.invoke(app, ["status", str(proj)])
        _check(r, ["older screener", f"format {SCHEMA_VERSION}", "read-only", "copy the project folder",
                   "nothing was changed"])
        assert "can still show it" not in r.output
    finally:
        _undo_read_only(proj)
    con = sqlite3.connect(proj / "screener.sqlite")
    assert con.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()[0] == "7"
    con.close()


def test_init_on_a_project_says_which_commands_go_on_with_it(files):
    """'screener init' on a folder that holds a project said 'open it instead', read as the
    'screener open' command (which keeps a review open in the background): it says the project was
    left as it was and which commands go on with the review."""
    result = runner.invoke(app, ["init", str(files / "review")])
    _check(result, ["already holds a screener project", "changed nothing", f"screener screen {files / 'review'}",
                    f"screener serve {files / 'review'}", "choose a new folder"])
    assert "open it instead" not in " ".join(result.output.split())


def test_a_mistyped_project_folder_names_the_reviews_beside_it(tmp_path, monkeypatch):
    """'screener label msm-reveiw batch1.csv' (a typo for msm-review) said only "not a screener project ...
    Create one with 'screener init msm-reveiw'": the advice made a second, empty review, and the one the
    reviewer meant was not named."""
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init", "msm-review"]).exit_code == 0
    (tmp_path / "exports").mkdir()
    r = runner.invoke(app, ["status", "msm-reveiw"])
    _check(r, ["msm-reveiw", "no such folder", "msm-review"])
    # the folder above the review: the review inside it is named
    r = runner.invoke(app, ["status", "."])
    _check(r, ["not a screener project", "msm-review"])
    r = runner.invoke(app, ["status", "exports"])  # a folder beside it, not a review: the review is named
    _check(r, ["not a screener project", "msm-review"])
    # evaluate takes a project folder or export files: a name without an ending is the folder mistyped
    (tmp_path / "finals.txt").write_text("10.1000/x\n")
    r = runner.invoke(app, ["evaluate", "msm-reveiw", "-f", "finals.txt", "--embedding-model", "none"])
    _check(r, ["msm-reveiw", "no such folder", "msm-review"])
    r = runner.invoke(app, ["status", str(tmp_path / "nowhere" / "review")])  # nothing beside it either
    _check(r, ["no such folder", "screener init"])


def test_a_file_another_program_holds_open_says_to_close_it_there(files, monkeypatch):
    """On Windows Excel holds a workbook it has open so that no other program may read it: 'screener label
    DIR batch1.xlsx' said only "the file cannot be opened (Permission denied)", and the reviewer, who may read
    the file, did not know why. It now says to close the file in Excel (or the program holding it)."""
    import builtins

    from screener.io import reader

    def held(file, *args, **kwargs):
        if str(file).endswith("held.csv"):
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kwargs)

    def held_bytes(path):
        return held(path, "rb").read()

    (files / "held.csv").write_text("record_id,decision\n1,include\n")
    monkeypatch.setattr(reader, "open", held, raising=False)
    monkeypatch.setattr(Path, "read_bytes", held_bytes)
    for command in ("import", "label"):
        r = runner.invoke(app, [command, str(files / "review"), str(files / "held.csv")])
        _check(r, ["held.csv", "Permission denied", "open in Excel or another program, close it there"])


def test_a_file_given_before_the_review_folder_gives_the_command_the_right_way_round(files):
    """'screener label batch1.csv review' (the file first) said "batch1.csv: this is a file, not a project
    folder. Give the review's folder": the reviewer, who had given it, was not told that only the order was
    wrong. The message now gives the command with the folder first."""
    batch = files / "full_texts.csv"
    for command in ("label", "import"):
        r = runner.invoke(app, [command, str(batch), str(files / "review")])
        _check(r, ["the review folder comes first", f"screener {command} {files / 'review'} {batch}"])


def test_writing_over_a_file_another_program_holds_open_says_to_close_it_there(files, monkeypatch):
    """'screener export DIR -o included.csv' (or 'next -o batch1.csv') while Excel on Windows holds that file
    open said "included.csv: Permission denied. Check the path, and that you may read (or write) it.": the
    reviewer, who may write there, did not know why. It now says to close the file in Excel first."""
    import screener.project

    def held(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(screener.project.os, "replace", held)
    out = files / "included.csv"
    r = runner.invoke(app, ["export", str(files / "review"), "-o", str(out)])
    _check(r, ["included.csv", "Permission denied", "open in Excel or another program, close it there"])
    assert not out.exists() and not (files / "included.csv.partial").exists()


@pytest.mark.parametrize("args,meant", [
    (["import", "{review}", "{toy}", "--format", "csvv"], "Did you mean 'csv'?"),
    (["export", "{review}", "-o", "{out}", "--format", "cvs"], "Did you mean 'csv'?"),
    (["next", "{review}", "--model", "svm-tfdf"], "Did you mean 'svm-tfidf'?"),
    (["init", "{new}", "--mode", "duel"], "Did you mean 'dual'?"),
    (["embed", "{review}", "--device", "cpuu"], "Did you mean 'cpu'?"),
])
def test_a_mistyped_choice_of_format_model_mode_or_device_names_the_one_meant(files, args, meant):
    """'import --format csvv', 'export --format cvs', 'next --model svm-tfdf', 'init --mode duel' and 'embed --device
    cpuu' were refused with the choices and no word of the one meant, as 'export --only' and '--reviewer' say it."""
    where = {"review": files / "review", "toy": files / "full_texts.csv", "out": files / "mistyped.csv",
             "new": files / "new-review"}
    r = runner.invoke(app, [a.format(**{k: str(v) for k, v in where.items()}) for a in args])
    _check(r, [meant])
    assert not (files / "mistyped.csv").exists() and not (files / "new-review").exists()


def test_a_proportion_over_1_is_read_as_a_percentage_only_where_it_can_be_one():
    """'--target-recall 1.5' was refused with '(did you mean 0.015?)', a recall of 1.5% no review aims at; a
    percentage (95, 80) still gets its proportion suggested, and a typo just over 1 only the plain advice."""
    from screener.cli import checks
    from screener.errors import InputError

    def said(value):
        with pytest.raises(InputError) as err:
            checks.share("--target-recall", value, "the recall to judge the stops against")
        return " ".join(str(err.value).split())

    assert "did you mean" not in said(1.5) and "between 0 and 1, for example 0.95" in said(1.5), said(1.5)
    assert "did you mean" not in said(2), said(2)
    assert "(did you mean 0.95?)" in said(95) and "(did you mean 0.8?)" in said(80), said(80)


def test_a_failed_init_on_a_database_server_leaves_no_empty_project_folder(tmp_path):
    """'screener init DIR --database URL' with the server out of reach said why, but left DIR behind, empty: a
    folder that looked like a project begun. The folder it made is taken away; one that was there stays."""
    pytest.importorskip("psycopg")
    url = "postgresql://nobody@127.0.0.1:1/review"  # nothing listens on port 1
    new = tmp_path / "team review"
    res = runner.invoke(app, ["init", str(new), "--database", url])
    assert res.exit_code != 0 and "Traceback" not in res.output, res.output
    assert not new.exists(), list(new.iterdir())
    there = tmp_path / "mine"
    (there / "notes").mkdir(parents=True)
    res = runner.invoke(app, ["init", str(there), "--database", url])
    assert res.exit_code != 0 and there.is_dir() and (there / "notes").is_dir(), res.output
