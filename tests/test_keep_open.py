"""A review kept open ('screener open'): commands handed to it print and save what a fresh run would."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from screener import keep_open

ENTRY = "from screener.keep_open import main; main()"


@pytest.fixture
def env(monkeypatch):
    # a short private folder for the sockets (a socket's path is limited to ~100 characters);
    # the tests open reviews with --idle-hours 0.1, so one left by an interrupted run closes itself
    d = tempfile.mkdtemp(prefix="sko")
    monkeypatch.setenv("XDG_RUNTIME_DIR", d)
    e = {**os.environ, "XDG_RUNTIME_DIR": d, "COLUMNS": "120"}
    e.pop("SCREENER_NO_OPEN", None)
    yield e
    shutil.rmtree(d, ignore_errors=True)


def screener(env, *args, local=False, check=True):
    e = {**env, "SCREENER_NO_OPEN": "1"} if local else env
    r = subprocess.run([sys.executable, "-c", ENTRY, *map(str, args)], env=e, capture_output=True, text=True,
                       timeout=120)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


@pytest.fixture
def review(tmp_path, env, toy_review):
    csv = toy_review(tmp_path / "toy.csv")
    truth = pd.read_csv(csv)
    truth.drop(columns=["label_included"]).to_csv(tmp_path / "records.csv", index=False)
    d = tmp_path / "review"
    screener(env, "init", d, local=True)
    screener(env, "import", d, tmp_path / "records.csv", local=True)
    return d, dict(zip(truth["title"], truth["label_included"]))


def fill(batch: Path, truth: dict) -> None:
    b = pd.read_csv(batch)
    b["decision"] = ["include" if truth[t] == 1 else "exclude" for t in b["title"]]
    b.to_csv(batch, index=False)


def log_of(d) -> str:
    return Path(keep_open.log_path(d)).read_text()


def test_open_review_answers_as_a_fresh_run_would(tmp_path, env, review):
    d, truth = review
    r = screener(env, "open", d, "--embedding-model", "none", "--idle-hours", "0.1")
    assert "is open" in r.stdout
    try:
        assert keep_open.ping(d)["pid"] > 0
        for i in range(1, 4):  # three rounds: each ranking after new decisions must be a fresh fit's
            held, fresh = tmp_path / f"held{i}.csv", tmp_path / f"fresh{i}.csv"
            screener(env, "next", d, "--n", "12", "--embedding-model", "none", "-o", held)
            screener(env, "next", d, "--n", "12", "--embedding-model", "none", "-o", fresh, local=True)
            a, b = pd.read_csv(held), pd.read_csv(fresh)
            pd.testing.assert_frame_equal(a.drop(columns=["reason"]), b.drop(columns=["reason"]))
            fill(held, truth)
            out = screener(env, "label", d, held).stdout
            assert "Saved 12 decisions" in out
        st_held = screener(env, "status", d)
        st_fresh = screener(env, "status", d, local=True)
        assert st_held.stdout == st_fresh.stdout and "36 of 60 records screened" in st_held.stdout
        log = log_of(d)
        assert log.count("screener next") == 3 and log.count("screener label") == 3 and "screener status" in log
        # a mistake in a command is the command's error, and the review stays open
        bad = screener(env, "next", d, "--n", "0", check=False)
        assert bad.returncode == 1 and "--n 0" in bad.stderr
        assert keep_open.ping(d) is not None
    finally:
        screener(env, "close", d)
    assert keep_open.ping(d) is None
    assert "is not open" in screener(env, "close", d).stdout


def test_the_background_process_answers_from_the_review_it_holds(tmp_path, env, review):
    """'screener open' starts ``python -m screener.keep_open``: the review was held in that
    ``__main__`` module while the commands looked for it in ``screener.keep_open``, so every
    forwarded command opened the project and built its features afresh, as slow as without it."""
    d, _ = review
    screener(env, "open", d, "--embedding-model", "none", "--idle-hours", "0.1")
    try:
        screener(env, "next", d, "--n", "5", "--embedding-model", "none")
        screener(env, "status", d)
        assert keep_open.ping(d).get("from_memory") == 2
    finally:
        screener(env, "close", d)


def test_records_added_by_another_process_are_ranked(tmp_path, env, review, toy_review):
    d, _ = review
    screener(env, "open", d, "--embedding-model", "none", "--idle-hours", "0.1")
    try:
        screener(env, "next", d, "--n", "5", "--embedding-model", "none")
        more = toy_review(tmp_path / "more.csv", n=20, seed=7)
        extra = pd.read_csv(more).drop(columns=["label_included"])
        extra["title"] = "Added later: " + extra["title"]
        extra["doi"] = "10.5555/later." + extra["record_id"].astype(str)  # other studies, not copies
        extra.to_csv(more, index=False)
        screener(env, "import", d, more, local=True)  # not an open-review command: runs on its own
        out = tmp_path / "after.csv"
        screener(env, "next", d, "--n", "80", "--embedding-model", "none", "-o", out)
        assert pd.read_csv(out)["title"].str.startswith("Added later").sum() == 20
    finally:
        screener(env, "close", d)


def test_a_killed_open_review_leaves_commands_working(tmp_path, env, review):
    d, _ = review
    screener(env, "open", d, "--embedding-model", "none", "--idle-hours", "0.1")
    pid = keep_open.ping(d)["pid"]
    os.kill(pid, signal.SIGKILL)
    for _ in range(50):  # wait until it is gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    assert os.path.exists(keep_open.socket_path(d))  # the socket file a killed process leaves behind
    r = screener(env, "status", d)  # runs here instead
    assert "0 of 60 records screened" in r.stdout
    # the lock died with it: it opens again
    screener(env, "open", d, "--embedding-model", "none", "--idle-hours", "0.1")
    try:
        assert keep_open.ping(d)["pid"] != pid
    finally:
        screener(env, "close", d)


def test_open_refuses_a_folder_that_is_not_a_project(tmp_path, env):
    r = screener(env, "open", tmp_path, check=False)
    assert r.returncode == 1 and "not a screener project" in r.stderr
    assert keep_open.ping(tmp_path) is None


def test_only_commands_on_an_open_folder_are_handed_over(tmp_path):
    assert keep_open._project_argument(["next", str(tmp_path), "--n", "5"]) == str(tmp_path)
    assert keep_open._project_argument(["next", "--n", "5", str(tmp_path)]) == str(tmp_path)
    assert keep_open._project_argument(["import", str(tmp_path), "x.ris"]) is None
    assert keep_open._project_argument(["next", str(tmp_path), "--help"]) is None
    assert keep_open._project_argument(["next", str(tmp_path / "missing")]) is None
    assert keep_open.forward(["next", str(tmp_path)]) is None  # nothing open there


def test_held_sessions_are_dropped_when_the_project_changes(tmp_path, env, toy_review):
    from screener.project import Project

    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction services"\n')
    d = tmp_path / "review"
    with Project.init(d, protocol=proto) as p:
        p.import_files([toy_review(tmp_path / "toy.csv")])
    review = keep_open.OpenReview(d, embedding_model="none")
    try:
        first = review.session(None, "none")
        assert review.session(None, "none") is first and not review.refresh()
        review.project.set_setting("seed", 3)  # a setting the sessions were built with
        assert review.refresh() and review.session(None, "none") is not first
        second = review.session(None, "none")
        stored = d / review.project.settings["protocol_file"]
        os.utime(stored, ns=(time.time_ns(), time.time_ns() + 10**9))  # the protocol edited in place
        assert review.refresh() and review.session(None, "none") is not second
        assert not review.refresh()
    finally:
        review.project.close()


def test_a_mistyped_password_on_the_web_page_does_not_rebuild_the_held_sessions(tmp_path, env, toy_review):
    """The web server keeps failed sign-ins in the project's settings (every worker process counts
    the same ones): each wrong password, and each sign-in, changed the settings the held sessions
    were checked against, so the next 'screener next' on the open review built them again."""
    from screener.project import Project
    from screener.web.security import StoredLoginLimiter

    d = tmp_path / "review"
    with Project.init(d) as p:
        p.import_files([toy_review(tmp_path / "toy.csv")])
    review = keep_open.OpenReview(d, embedding_model="none")
    try:
        first = review.session(None, "none")
        with Project.open(d) as served:  # 'screener serve' on the same review
            limiter = StoredLoginLimiter(served.store)
            limiter.begin("192.0.2.7", "ana")  # a wrong password
            limiter.begin("192.0.2.7", "ana")
            limiter.succeeded("192.0.2.7", "ana")  # then the right one
            limiter.begin("192.0.2.9", "ben")  # a teammate's typo
        assert not review.refresh() and review.session(None, "none") is first
        review.project.set_setting("seed", 3)  # a setting the sessions were built with still counts
        assert review.refresh() and review.session(None, "none") is not first
    finally:
        review.project.close()


def test_a_review_kept_open_follows_it_to_the_server(tmp_path, toy_review, pg_url):
    """'screener migrate' while the review was kept open: the open review went on answering from,
    and saving 'label's decisions into, the file left behind as screener.sqlite.moved-to-server."""
    from screener.migrate import migrate_to_server
    from screener.project import Project
    from screener.store import PostgresStore

    d = tmp_path / "review"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv")])
    review = keep_open.OpenReview(d, embedding_model="none")
    try:
        review.session(None, "none").prepare()
        assert migrate_to_server(d, pg_url).ok
        assert review.refresh()  # what each command does first
        assert isinstance(review.project.store, PostgresStore)
        review.project.decide(3, "include", reviewer="after the move")
        with Project.open(d) as q:
            assert q.decision_log()["reviewer"].iloc[-1] == "after the move"
    finally:
        review.project.close()


def test_closing_a_review_that_answered_one_command_says_one(tmp_path, monkeypatch):
    """'screener close' said 'it answered 1 commands'."""
    from typer.testing import CliRunner

    from screener import keep_open
    from screener.cli import app

    monkeypatch.setattr(keep_open, "SUPPORTED", True)
    monkeypatch.setattr(keep_open, "socket_path", lambda d, create=False: str(tmp_path))  # a path that exists
    monkeypatch.setattr(keep_open, "request", lambda path, msg: {"pid": 4242, "requests": 1})
    r = CliRunner().invoke(app, ["close", str(tmp_path)])
    assert "it answered 1 command)" in " ".join(r.output.split())


def test_a_random_sample_drawn_and_screened_does_not_rebuild_the_held_sessions(tmp_path, env, toy_review):
    """'screener next --sample 5' keeps the records drawn in the project's settings until they are
    decided: each draw, and each decision on a drawn record, changed the settings the held sessions
    were checked against, so the next command on the open review read every record's features in
    again (minutes on a large review), as a fresh run does."""
    from screener.project import Project

    d = tmp_path / "review"
    pd.read_csv(toy_review(tmp_path / "toy.csv")).drop(columns=["label_included"]).to_csv(
        tmp_path / "records.csv", index=False)  # a search's export: nothing screened yet
    with Project.init(d) as p:
        p.import_files([tmp_path / "records.csv"])
    review = keep_open.OpenReview(d, embedding_model="none")
    try:
        first = review.session(None, "none")
        batch = first.next_batch(8, explain=False, sample=4)  # the draw is remembered in the settings
        assert review.project.settings.get("pending_sample")
        assert not review.refresh() and review.session(None, "none") is first
        with Project.open(d) as other:  # 'screener label' of the batch in a terminal of its own
            for rid in batch["record_id"]:
                other.decide(int(rid), "exclude", reviewer="ana")
            assert not other.settings.get("pending_sample")
        assert not review.refresh() and review.session(None, "none") is first
        review.project.set_setting("seed", 3)  # a setting the sessions were built with still counts
        assert review.refresh() and review.session(None, "none") is not first
    finally:
        review.project.close()


def test_an_open_review_prints_titles_and_names_as_a_fresh_run_does():
    """The consoles a review kept open ('screener open') prints each forwarded command through were made with rich's
    defaults, unlike the commands' own: a title's ':100:' came out as an emoji ('diluted 1💯 a cohort'), as a fresh
    run no longer prints it. They keep the commands' settings now."""
    import io

    import screener.cli.ranking_cmds as ranking_cmds

    out, err = io.StringIO(), io.StringIO()
    swapped = keep_open._swap_consoles(out, err, "200", True)
    try:
        ranking_cmds.console.print("Hepatitis B vaccine diluted 1:100: a cohort", highlight=False)
    finally:
        for mod, attr, old in swapped:
            setattr(mod, attr, old)
    assert "diluted 1:100: a cohort" in out.getvalue(), out.getvalue()


def test_another_project_copied_over_a_review_kept_open_is_not_opened_again_in_its_place(tmp_path, toy_review):
    """'cp' of another review's screener.sqlite over the file of a review kept open ('screener open'):
    the open review did not notice (the file stays the same file on the disk) and its next 'label' went
    into the other review's records. Opening the file again in the same process would read it together
    with the log left from the review before (two reviews mixed), so each command now says what happened
    and to close the open review; nothing is written."""
    from screener.errors import ProjectError
    from screener.project import Project

    d, other = tmp_path / "review", tmp_path / "other"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv")])
    Project.init(other).close()
    review = keep_open.OpenReview(d, embedding_model="none")
    try:
        review.project.decide(3, "include", reviewer="before")
        shutil.copyfile(other / "screener.sqlite", d / "screener.sqlite")
        with pytest.raises(ProjectError, match="copied over it.*screener close.*copy that file over .* again"):
            review.refresh()  # what each command does first
    finally:
        review.project.close()
    with Project.open(d) as q:
        assert q.decision_log().empty and q.store.n_records() == 0


def test_an_earlier_copy_of_a_review_kept_open_copied_over_it_is_said_as_such(tmp_path, toy_review):
    """A backup of the same review copied over the file of a review kept open ('screener open'): the open
    review took it for the review and its next command went on from the older state. Each command now says
    an earlier copy of the review was copied over it (not another project), and saves nothing."""
    from screener.errors import ProjectError
    from screener.project import Project

    d = tmp_path / "review"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([toy_review(tmp_path / "toy.csv")])
    review = keep_open.OpenReview(d, embedding_model="none")
    try:
        review.project.decide(3, "include", reviewer="before")
        shutil.copyfile(d / "screener.sqlite", tmp_path / "backup.sqlite")
        review.project.decide(4, "exclude", reviewer="after")
        shutil.copyfile(tmp_path / "backup.sqlite", d / "screener.sqlite")
        with pytest.raises(ProjectError, match="an earlier copy of the review.*screener close"):
            review.refresh()
    finally:
        review.project.close()
    with Project.open(d) as q:
        log = q.decision_log()
        assert "before" in set(log["reviewer"]) and "after" not in set(log["reviewer"])


def test_ctrl_c_while_screener_starts_says_nothing_changed_without_a_traceback(monkeypatch, capsys):
    """Ctrl+C in the seconds 'screener import' takes to load (a reviewer who typed the wrong file) printed a
    Python traceback of some thirty lines, and no word on the project. It says nothing was changed."""
    import builtins

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "cli" or name.endswith("screener.cli"):
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(keep_open, "forward", lambda argv: None)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    try:  # escaping, it would end the whole test run, not fail this test
        with pytest.raises(SystemExit) as stop:
            keep_open.main()
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C while loading escaped as a traceback")
    assert stop.value.code == 130
    said = capsys.readouterr().err
    assert "Traceback" not in said and "Stopped before the command began: nothing was changed." in said
