"""Reviewer accounts: names people can tell apart, argon2 hashes, the users table, 'screener user'."""

from __future__ import annotations

import re
import sqlite3

import pytest
from typer.testing import CliRunner

from screener.accounts import add_user, authenticate, check_new_name, looks_like, normalise_name
from screener.cli import app as cli
from screener.errors import InputError, ProjectError
from screener.project import Project
from screener.store.sqlite import SCHEMA_VERSION
from screener.web.security import LoginLimiter

PASSWORD = "correct horse battery"


@pytest.fixture
def project(tmp_path):
    with Project.init(tmp_path / "review", settings={"mode": "dual"}) as p:
        yield p


@pytest.mark.parametrize("name, why", [
    ("ana\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u202eana", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("an\u0000a", "U+0000"),
    ("ana\u2028", "U+2028"),
    ("\u0430na", "mixes letters of different alphabets"),  # Cyrillic a, then Latin
    ("  ", "type a name"),
    ("x" * 61, "at most 60"),
    ("Imported", "screener uses itself"),
])
def test_names_with_hidden_or_mixed_characters_are_refused(name, why):
    with pytest.raises(InputError, match=re.escape(why)):
        normalise_name(name)


def test_names_are_nfkc_normalised_and_spaces_collapsed():
    assert normalise_name("  Zoë   K ") == "Zoë K"
    assert normalise_name("ｆｕｌｌ") == "full"  # full-width letters
    assert normalise_name("Zoe\u0308") == "Zoë"  # e + combining diaeresis -> one letter
    assert normalise_name("Иван") == "Иван"  # one alphabet, not Latin: fine


@pytest.mark.parametrize("a, b", [("ana", "Ana"), ("ana", "ANA"), ("Ian", "lan"), ("O0", "OO"), ("José", "Jose"),
                                  ("ana", "\u0430n\u0430")])
def test_lookalikes(a, b):
    assert looks_like(a, b)
    with pytest.raises(InputError):  # as a lookalike, or for mixing alphabets
        check_new_name(b, [a])


def test_signing_in_with_the_name_in_other_capitals_finds_the_account(project):
    """The owner added 'Anabel'; she typed 'anabel' with her right password and was told 'That
    name and password do not match an account' (as for a wrong password). Names differing only
    in case cannot both be accounts, so the account is hers; the password still has to match."""
    add_user(project.store, "Anabel", "reviewer", PASSWORD)
    assert authenticate(project.store, "anabel", PASSWORD)["name"] == "Anabel"
    assert authenticate(project.store, " ANABEL ", PASSWORD)["name"] == "Anabel"
    assert authenticate(project.store, "anabel", PASSWORD + "x") is None


def test_different_names_are_not_lookalikes():
    for a, b in [("ana", "ben"), ("Ann", "Anna"), ("Li", "Lu")]:
        assert not looks_like(a, b)


def test_accounts_are_stored_with_an_argon2_hash_only(project):
    assert add_user(project.store, " ana ", "reviewer", PASSWORD) == "ana"
    row = project.store.get_user("ana")
    assert row["role"] == "reviewer" and row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    assert authenticate(project.store, "ana", PASSWORD)["name"] == "ana"
    assert authenticate(project.store, "ana", PASSWORD + "x") is None
    assert authenticate(project.store, "nobody", PASSWORD) is None
    with pytest.raises(InputError, match="tell apart"):
        add_user(project.store, "Ana", "reviewer", PASSWORD)
    with pytest.raises(InputError, match="at least 10"):
        add_user(project.store, "ben", "reviewer", "short")
    with pytest.raises(InputError, match="role"):
        add_user(project.store, "ben", "admin", PASSWORD)
    assert [u["name"] for u in project.store.users()] == ["ana"]


def test_a_name_from_the_decision_log_may_get_its_account_but_not_a_lookalike(project, tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i} of peer work,Abstract {i}\n" for i in range(5)),
                   encoding="utf-8")
    project.import_files([src])
    project.decide(1, "include", reviewer="ana")
    assert add_user(project.store, "ana", "reviewer", PASSWORD) == "ana"
    project.decide(2, "include", reviewer="ben")
    with pytest.raises(InputError, match="looks like"):
        add_user(project.store, "Ben", "reviewer", PASSWORD)


def test_store_refuses_a_second_account_of_one_name(project):
    project.store.add_user("ana", "owner", "$argon2id$x")
    with pytest.raises(ProjectError, match="already an account"):
        project.store.add_user("ana", "reviewer", "$argon2id$y")
    with pytest.raises(ProjectError, match="no account"):
        project.store.update_user("nobody", role="owner")


def test_secret_is_made_once_and_kept(project):
    a = project.store.get_secret("k", make=lambda: "first")
    b = project.store.get_secret("k", make=lambda: "second")
    assert a == b == "first"
    assert project.store.get_secret("other") is None


def test_schema_2_project_gains_the_accounts_tables_on_open(tmp_path):
    p = Project.init(tmp_path / "old")
    p.close()
    con = sqlite3.connect(next((tmp_path / "old").glob("*.sqlite*")))
    con.executescript("DROP TABLE users; DROP TABLE secrets; DROP TABLE leases; DROP INDEX decisions_request;"
                      "ALTER TABLE decisions DROP COLUMN request_id;")  # what schema 2 had
    con.execute("UPDATE settings SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with Project.open(tmp_path / "old") as q:
        assert q.store.get_setting("schema_version") == SCHEMA_VERSION
        assert q.store.users() == []
        add_user(q.store, "ana", "owner", PASSWORD)
        assert q.store.get_user("ana")["role"] == "owner"


def test_cli_user_add_from_a_password_file_and_a_prompt(project, tmp_path):
    directory = str(project.dir)
    project.close()
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    run = CliRunner().invoke
    # a reviewer first: no owner could add accounts or end the blinding on the web (the Accounts page refuses it)
    out = run(cli, ["user", "add", directory, "ana", "--password-file", str(pw)])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and "the first account must be an owner's" in said
    assert f"'screener user add {directory} ana --role owner'" in said, said  # the name typed, not NAME
    # a role misspelt on the first account is named as such ("must be an owner's" said nothing of 'onwer')
    out = run(cli, ["user", "add", directory, "ana", "--role", "onwer", "--password-file", str(pw)])
    assert out.exit_code == 1 and "not 'onwer'. Did you mean 'owner'?" in " ".join(out.output.split()), out.output
    out = run(cli, ["user", "add", directory, "Olga", "--role", "owner", "--password-file", str(pw)])
    assert out.exit_code == 0, out.output
    assert "Added owner Olga" in out.output and "(1 account)" in " ".join(out.output.split())
    out = run(cli, ["user", "add", directory, "ben"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert out.exit_code == 0, out.output
    out = run(cli, ["user", "add", directory, "olga", "--password-file", str(pw)])
    assert out.exit_code == 1 and "tell apart" in out.output and "Traceback" not in out.output
    out = run(cli, ["user", "add", directory, "b\u200ben", "--password-file", str(pw)])
    assert out.exit_code == 1 and "ZERO WIDTH SPACE" in out.output
    out = run(cli, ["user", "add", directory, "cy", "--role", "boss", "--password-file", str(pw)])
    assert out.exit_code == 1 and "role" in out.output
    out = run(cli, ["user", "list", directory])
    assert out.exit_code == 0 and "Olga" in out.output and "ben" in out.output and "owner" in out.output
    new = tmp_path / "pw2.txt"
    new.write_text("another long password\n", encoding="utf-8")
    assert run(cli, ["user", "password", directory, "ben", "--password-file", str(new)]).exit_code == 0
    with Project.open(directory) as p:
        assert authenticate(p.store, "ben", "another long password") is not None
        assert authenticate(p.store, "ben", PASSWORD) is None
        assert authenticate(p.store, "Olga", PASSWORD) is not None


def test_login_limiter_counts_failures_per_name_and_address():
    now = [0.0]
    lim = LoginLimiter(per_name=3, per_address=5, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert lim.wait("1.2.3.4", "ana") == 0
        lim.failed("1.2.3.4", "ana")
    assert lim.wait("1.2.3.4", "ana") == pytest.approx(60)
    assert lim.wait("9.9.9.9", "ANA ") > 0  # the same name from elsewhere: still limited
    assert lim.wait("1.2.3.4", "ben") == 0  # another name from here: 3 of 5 used
    lim.failed("1.2.3.4", "ben")
    lim.failed("1.2.3.4", "cy")
    assert lim.wait("1.2.3.4", "dan") > 0  # the address has used its 5
    now[0] = 61
    assert lim.wait("1.2.3.4", "ana") == 0


def test_a_sign_in_under_way_counts_until_it_succeeds():
    lim = LoginLimiter(per_name=3, per_address=5, window=60, clock=lambda: 0.0)
    for _ in range(3):
        assert lim.begin("1.2.3.4", "ana") == 0  # three under way at once: the limit is reached
    assert lim.begin("1.2.3.4", "ana") > 0
    lim.succeeded("1.2.3.4", "ana")
    assert lim.wait("1.2.3.4", "ana") == 0
    for name in ("ben", "cy", "dan", "eve", "fay", "gus"):  # a team behind one address signs in all day
        assert lim.begin("10.0.0.1", name) == 0
        lim.succeeded("10.0.0.1", name)
    assert lim.begin("10.0.0.1", "hal") == 0
    lim.cancel("10.0.0.1", "hal")  # the database did not answer: the password was never checked
    assert lim.wait("10.0.0.1", "hal") == 0 and not lim._fails[("address", "10.0.0.1")]


def test_a_password_file_saved_by_windows_notepad_is_read_without_its_byte_order_mark(project, tmp_path):
    """Notepad saves UTF-8 with an invisible mark at the start: the password was refused for 'control
    characters' the file did not seem to have (or, typed at the sign-in page, never matched)."""
    directory = str(project.dir)
    project.close()
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\r\n", encoding="utf-8-sig")
    out = CliRunner().invoke(cli, ["user", "add", directory, "Olga", "--role", "owner", "--password-file", str(pw)])
    assert out.exit_code == 0, out.output
    with Project.open(directory) as p:
        assert authenticate(p.store, "Olga", PASSWORD) is not None


def test_a_password_file_that_is_not_there_is_named_in_a_reviewers_words(project, tmp_path):
    """'screener user add DIR ben --password-file ben.txt' with the file saved elsewhere said
    "cannot read the password file ([Errno 2] No such file or directory: 'ben.txt')"."""
    directory = str(project.dir)
    project.close()
    run = CliRunner().invoke
    out = run(cli, ["user", "add", directory, "Olga", "--role", "owner", "--password-file", str(tmp_path / "ben.txt")])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and "Errno" not in said and "ben.txt" in said and "no such file" in said
    out = run(cli, ["user", "add", directory, "Olga", "--role", "owner", "--password-file", str(tmp_path)])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and "Errno" not in said and "a folder" in said
    (tmp_path / "pw.bin").write_bytes(b"\xff\xfe\x00\xd8passw\xff")
    out = run(cli, ["user", "add", directory, "Olga", "--role", "owner", "--password-file", str(tmp_path / "pw.bin")])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and "codec" not in said and "plain text" in said


def test_an_account_for_a_name_in_the_decision_log_spelt_otherwise_says_to_use_the_logged_spelling(project, tmp_path):
    """Ben screened from the terminal as 'ben' before the team had accounts; the owner adding his account as
    'Ben' was told 'there is already a reviewer whose name looks like ...; choose a name the team can tell
    apart', and an account 'Ben2' would have made him a third reviewer, his decisions under another name. The
    message now says the decisions are there under 'ben' and to add the account as 'ben' if they are his."""
    src = tmp_path / "r.csv"
    src.write_text("title,abstract\n" + "".join(f"Study {i} of peer work,Abstract {i}\n" for i in range(5)),
                   encoding="utf-8")
    project.import_files([src])
    project.decide(2, "include", reviewer="ben")
    with pytest.raises(InputError) as err:
        add_user(project.store, "Ben", "reviewer", PASSWORD)
    said = str(err.value)
    assert "'ben'" in said and "decision" in said and "add the account as 'ben'" in said, said
    assert project.store.users() == []
    assert add_user(project.store, "ben", "reviewer", PASSWORD) == "ben"


# -- a reviewer who leaves: disabled, their decisions kept -----------------------------------------
def test_an_older_project_gains_disabled_accounts_on_open_on_either_store(store_target):
    """Format 8 had no way to take access away (only a new password); opened, the accounts table
    gains the disabled state, in one step on SQLite and on PostgreSQL, the accounts as they were."""
    from stores import open_store

    s = open_store(store_target, create=True)
    s.add_user("Olga", "owner", "$argon2id$x")
    s.add_user("ben", "reviewer", "$argon2id$y")
    with s.transaction():
        for col in ("disabled_at", "disabled_by"):
            s._conn.execute(f"ALTER TABLE users DROP COLUMN {col}")
        s.set_setting("schema_version", 8)
    s.close()
    s = open_store(store_target)
    try:
        assert s.get_setting("schema_version") == SCHEMA_VERSION
        assert [(u["name"], u["role"], u["disabled_at"]) for u in s.users()] == [("Olga", "owner", None),
                                                                                ("ben", "reviewer", None)]
        from screener.accounts import set_disabled

        set_disabled(s, "Ben", disabled=True, by="Olga")  # as sign-in reads names
        ben = s.get_user("ben")
        assert ben["disabled_at"] and ben["disabled_by"] == "Olga" and ben["password_hash"] == "$argon2id$y"
        set_disabled(s, "ben", disabled=False)
        assert s.get_user("ben")["disabled_at"] is None and s.get_user("ben")["disabled_by"] is None
        with pytest.raises(InputError, match="no account named 'eve'"):
            set_disabled(s, "eve", disabled=True)
    finally:
        s.close()


def test_the_owner_cannot_disable_themselves_nor_the_last_owner(project):
    store = project.store
    add_user(store, "Olga", "owner", PASSWORD)
    add_user(store, "ben", "reviewer", PASSWORD)
    from screener.accounts import set_disabled

    with pytest.raises(InputError, match="cannot disable your own account"):
        set_disabled(store, "Olga", disabled=True, by="Olga")
    with pytest.raises(InputError, match="'Olga' is the last owner who can sign in"):
        set_disabled(store, "olga", disabled=True)  # from a terminal
    add_user(store, "Pia", "owner", PASSWORD)
    set_disabled(store, "Olga", disabled=True, by="Pia")
    with pytest.raises(InputError, match="'Pia' is the last owner"):
        set_disabled(store, "Pia", disabled=True, by="ben")
    assert [u["name"] for u in store.users() if u["disabled_at"]] == ["Olga"]


def test_cli_user_disable_and_enable_keep_the_reviewers_decisions(project, tmp_path):
    """A reviewer who left could only be locked out by changing their password (which the owner then
    knew, and the reviewer's open page kept working until its next password check). 'user disable'
    takes sign-in away; their decisions stay, 'user list' says who is disabled, 'user enable' undoes it."""
    from screener.store.base import Decision, Source

    store = project.store
    add_user(store, "Olga", "owner", PASSWORD)
    add_user(store, "ben", "reviewer", PASSWORD)
    directory = str(project.dir)
    project.close()
    with Project.open(directory) as p:
        source = p.store.add_source(Source("a.ris", "a.ris", "ris", "utf-8", "PubMed", "0" * 64, 3))
        p.store.add_records([{"title": f"Study {i}"} for i in range(3)], source)
        p.store.append_decisions([Decision(record_id=i, decision="exclude", reviewer="ben") for i in (1, 2)])
        assert p.store.claim_record(3, "ben", ttl=600)
    run = CliRunner().invoke
    out = run(cli, ["user", "disable", directory, "Ben"])
    text = " ".join(out.output.split())
    assert out.exit_code == 0, out.output
    assert "Disabled ben" in text and "Their 2 decisions stay in the review" in text
    assert f"'screener user enable {directory} ben'" in text
    with Project.open(directory) as p:
        assert p.store.get_user("ben")["disabled_at"] and p.store.get_user("ben")["disabled_by"] is None
        assert len(p.store.decisions_frame()) == 2 and p.store.claims(ttl=600) == {}  # the record on screen freed
        assert authenticate(p.store, "ben", PASSWORD) is not None  # the password is kept for an 'enable'
    listed = run(cli, ["user", "list", directory], terminal_width=200).output
    assert re.search(r"ben\s.*reviewer.*disabled \d{4}-\d\d-\d\d", listed) and re.search(r"Olga.*can sign in", listed)
    out = run(cli, ["user", "disable", directory, "ben"])
    assert out.exit_code == 0 and "already disabled" in out.output
    out = run(cli, ["user", "disable", directory, "Olga"])
    assert out.exit_code == 1 and "last owner" in " ".join(out.output.split())
    out = run(cli, ["user", "enable", directory, "ben"])
    assert out.exit_code == 0 and "ben can sign in again" in out.output
    with Project.open(directory) as p:
        assert p.store.get_user("ben")["disabled_at"] is None
    out = run(cli, ["user", "disable", directory, "nobody"])
    assert out.exit_code == 1 and "no account named 'nobody'" in out.output


def test_label_refuses_a_disabled_reviewer_and_says_what_to_do(project, tmp_path):
    """Ben left the team and the owner disabled his account; a batch file labelled '--reviewer ben'
    was saved under his name all the same (a departed reviewer's new decisions, or a teammate's
    decisions under the wrong name). 'label' refuses it, naming ben and how to go on; nothing saved."""
    from screener.store.base import Source

    store = project.store
    add_user(store, "Olga", "owner", PASSWORD)
    add_user(store, "ben", "reviewer", PASSWORD)
    source = store.add_source(Source("a.ris", "a.ris", "ris", "utf-8", "PubMed", "0" * 64, 2))
    store.add_records([{"title": "Peer support in harm reduction"}, {"title": "Statin therapy in adults"}], source)
    directory = str(project.dir)
    project.close()
    batch = tmp_path / "batch.csv"
    batch.write_text("record_id,title,decision\n1,Peer support in harm reduction,include\n"
                     "2,Statin therapy in adults,exclude\n", encoding="utf-8")
    run = CliRunner().invoke
    assert run(cli, ["user", "disable", directory, "ben"]).exit_code == 0
    out = run(cli, ["label", directory, str(batch), "--reviewer", "ben"])
    text = " ".join(out.output.split())
    assert out.exit_code == 1, out.output
    assert "'ben'" in text and "disabled" in text and f"screener user enable {directory} ben" in text
    assert "Nothing was saved" in text
    with Project.open(directory) as p:
        assert p.store.decisions_frame().empty
    assert run(cli, ["user", "enable", directory, "ben"]).exit_code == 0
    out = run(cli, ["label", directory, str(batch), "--reviewer", "ben"])
    assert out.exit_code == 0, out.output
    with Project.open(directory) as p:
        assert len(p.store.decisions_frame()) == 2


def test_adding_back_a_reviewer_whose_account_was_disabled_says_to_enable_it(project):
    """Ben left, his account was disabled, and he came back. 'user add ben' said only 'there is
    already an account named 'ben'; choose a name the team can tell apart', which sent the owner to
    make 'ben2', a third reviewer whose decisions never meet Ben's earlier ones. It now says the
    account is disabled and how to enable it."""
    add_user(project.store, "Olga", "owner", PASSWORD)
    add_user(project.store, "ben", "reviewer", PASSWORD)
    directory = str(project.dir)
    project.close()
    run = CliRunner().invoke
    assert run(cli, ["user", "disable", directory, "ben"]).exit_code == 0
    pw = project.dir.parent / "pw.txt"
    pw.write_text("another long password\n", encoding="utf-8")
    out = run(cli, ["user", "add", directory, "Ben", "--password-file", str(pw)])
    text = " ".join(out.output.split())
    assert out.exit_code == 1, out.output
    assert "an account named 'ben', disabled since" in text and f"'screener user enable {directory} ben'" in text
    assert "choose a name" not in text
    with Project.open(directory) as p:
        assert [u["name"] for u in p.store.users()] == ["Olga", "ben"]


def test_an_account_name_with_a_nul_is_no_account_on_either_store(store_target):
    """The Accounts page's Disable button sent a name holding a NUL (pasted, or a crafted form): on
    SQLite 'there is no account named ...', on PostgreSQL, which cannot hold a NUL, a server error.
    Now both say there is no such account, and nothing changes."""
    from screener.accounts import find_user, set_disabled
    from stores import open_store

    s = open_store(store_target, create=True)
    add_user(s, "ana", "owner", PASSWORD)
    add_user(s, "ben", "reviewer", PASSWORD)
    assert find_user(s, "ben\x00") is None
    with pytest.raises(InputError, match="there is no account named 'ben\\\\x00' in this review"):
        set_disabled(s, "ben\x00", disabled=True, by="ana")
    assert s.get_user("ben")["disabled_at"] is None
    s.close()


def test_a_misspelt_reviewer_name_in_other_capitals_is_answered_with_the_account_meant(project):
    """'--reviewer BEM' for the account 'Ben' had no 'Did you mean' (the names were compared with their capitals),
    and 'reviwer' as a role was refused without the role meant."""
    from screener.accounts import reviewer_name

    add_user(project.store, "Olga", "owner", PASSWORD)
    add_user(project.store, "Ben", "reviewer", PASSWORD)
    with pytest.raises(InputError, match="no account named 'BEM'. Did you mean 'Ben'\\?"):
        reviewer_name(project, "BEM")
    with pytest.raises(InputError, match="not 'reviwer'. Did you mean 'reviewer'\\?"):
        add_user(project.store, "ana", "reviwer", PASSWORD)
    with pytest.raises(InputError, match="no account named 'Bem' in this review. Did you mean 'Ben'\\?"):
        from screener.accounts import set_disabled

        set_disabled(project.store, "Bem", disabled=True)


def test_in_single_screening_the_account_commands_speak_of_no_conflicts_nor_blinding(tmp_path):
    """A single-screening team on the server: 'user add' of a reviewer first said the owner was needed to 'end the
    blinding on the web', and 'user disable' that the reviewer's decisions kept counting for 'conflicts, agreement,
    whether every reviewer has screened every record' and that the owner 'can end the blinding': none of which a
    single-screening review has."""
    from screener.store.base import Decision, Source

    directory = str(tmp_path / "single")
    with Project.init(directory) as p:
        source = p.store.add_source(Source("a.ris", "a.ris", "ris", "utf-8", "PubMed", "0" * 64, 3))
        p.store.add_records([{"title": f"Study {i}"} for i in range(3)], source)
        p.store.append_decisions([Decision(record_id=i, decision="exclude", reviewer="ben") for i in (1, 2)])
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    run = CliRunner().invoke
    out = run(cli, ["user", "add", directory, "ben", "--password-file", str(pw)])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and "the first account must be an owner's" in said and "blinding" not in said, said
    for name, role in (("olga", "owner"), ("ben", "reviewer")):
        assert run(cli, ["user", "add", directory, name, "--role", role, "--password-file", str(pw)]).exit_code == 0
    out = run(cli, ["user", "disable", directory, "ben"])
    said = " ".join(out.output.split())
    assert out.exit_code == 0 and "Their 2 decisions stay in the review and keep counting" in said, said
    assert not re.search(r"blinding|conflict|agreement", said), said
