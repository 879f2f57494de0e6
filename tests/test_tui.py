"""The terminal screen on records with missing fields, and its note key."""

import io
import re

import pandas as pd
import pytest
from rich.console import Console

from screener.project import Project
from screener.screening import ScreeningSession
from screener.tui import HELP, render_record, run_screen


def _project(tmp_path, rows):
    csv = tmp_path / "recs.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    project = Project.init(tmp_path / "review")
    project.import_files([csv], dedup=False)
    return project


def _keys(seq):
    it = iter(seq)
    return lambda: next(it, "q")


def test_records_without_abstract_journal_or_doi_are_shown(tmp_path):
    rows = [{"title": "Peer workers in harm reduction", "abstract": "", "journal": "", "doi": "", "year": ""},
            {"title": "Mice and dosage", "abstract": "A trial in mice.", "journal": "J Mice", "doi": "",
             "year": 2001},
            {"title": "Third study", "abstract": "", "journal": "", "doi": "10.1/x", "year": 2002}]
    project = _project(tmp_path, rows)
    out = io.StringIO()
    console = Console(file=out, width=120)
    for _ in range(2):  # and again on a restart, with the decisions so far
        session = ScreeningSession(project, embedding_model="none")
        run_screen(session, console=console, read_key=_keys(["m"]), ask=lambda p: "")
    text = out.getvalue()
    assert "doi:nan" not in text and "nan" not in text.split()
    assert "(no abstract" in text
    assert "doi:10.1/x" in text or len(project.current_decisions()) == 2


def test_a_record_whose_only_abstract_is_its_other_title_says_it_has_no_abstract(tmp_path):
    """A MEDLINE record with no abstract but its title in the paper's own language (TT), which import keeps as
    'Other title: ...' where the abstract goes: the screen showed that line alone, read as the abstract, where a
    record with no abstract says so. The other title is shown, and that there is no abstract."""
    nbib = tmp_path / "records.nbib"
    nbib.write_text("PMID- 123\nTI  - Peer navigation for HIV care\nTT  - Peer-Navigation in der HIV-Versorgung\n"
                    "AU  - Smith J\nDP  - 2020\n", encoding="utf-8")
    project = Project.init(tmp_path / "review")
    project.import_files([nbib], dedup=False)
    session = ScreeningSession(project, embedding_model="none")
    out = io.StringIO()
    Console(file=out, width=120).print(render_record(session, 1, position="record 1"))
    text = " ".join(out.getvalue().replace("│", " ").split())  # the panel's lines, without its borders
    assert "Other title: Peer-Navigation in der HIV-Versorgung (no abstract: decide on the title" in text, text


def test_note_key_notes_the_record_on_screen_and_decides_nothing(tmp_path):
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(5)]
    project = _project(tmp_path, rows)
    session = ScreeningSession(project, embedding_model="none")
    shown = []
    real_ranking = session.ranking

    def ranking(**kw):
        r = real_ranking(**kw)
        shown.append(int(r["record_id"].iloc[0]))
        return r

    session.ranking = ranking
    # a fresh session: a note first, then quit without deciding
    run_screen(session, console=Console(file=io.StringIO()), read_key=_keys(["n", "q"]), ask=lambda p: "check dose")
    assert project.current_decisions().empty  # no "maybe" recorded for a note
    # a note, then a decision: the note goes with the decision on the record that was on screen
    run_screen(session, console=Console(file=io.StringIO()), read_key=_keys(["i", "n", "e", "q"]),
               ask=lambda p: "adults only")
    log = project.decision_log()
    first, second = shown[-4], shown[-2]  # shown at i, n (and e), q
    assert log.set_index("record_id").loc[first, "decision"] == "include"
    noted = log[log["note"] == "adults only"]
    assert list(noted["record_id"]) == [second] and list(noted["decision"]) == ["exclude"]


def test_dual_screening_shows_the_reviewers_own_counts(tmp_path):
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(5)]
    csv = tmp_path / "recs.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    with Project.init(tmp_path / "dual", settings={"mode": "dual"}) as project:
        project.import_files([csv], dedup=False)
        ids = [int(i) for i in project.records_frame().index]
        project.decide(ids[0], "exclude", reviewer="ben")
        project.decide(ids[0], "exclude", reviewer="ana")  # agreed: the team has 1 screened
        session = ScreeningSession(project, embedding_model="none", reviewer="ben")
        out = io.StringIO()
        summary = run_screen(session, reviewer="ben", console=Console(file=out, width=200), read_key=_keys(["e"]),
                             ask=lambda p: "")
        assert summary["screened"] == 2
        text = out.getvalue()
        assert "now 2 of 5 records screened" in text  # ben's own two, not the team's one


def test_records_a_batch_passed_over_come_first_in_the_terminal(tmp_path, toy_review, passed_over):
    """As 'screener next' and the web page do: until they are screened the stop is held."""
    csv = toy_review(tmp_path / "toy.csv", n=80, n_include=6)
    with Project.init(tmp_path / "review") as p:
        p.import_files([csv], column_map={"label": None})
        ids = passed_over(p, embedding_model="none")  # the bottom 20 of a batch of 30 screened
        before = len(p.decision_log())
        run_screen(ScreeningSession(p, embedding_model="none"), console=Console(file=io.StringIO()),
                   read_key=_keys(["e"] * 10), ask=lambda q: "", limit=10)
        screened = [int(r) for r in p.decision_log()["record_id"].iloc[before:]]
        # the passed-over records first; each screened one may put the newest ranking's records
        # above it on hold in turn, and those come first too
        assert screened[0] in ids[:10] and len(set(screened) & set(ids[:10])) >= 5


def test_on_a_shared_server_the_terminal_skips_records_on_a_teammates_screen(tmp_path, pg_url):
    """A review on PostgreSQL may be screened in browsers and in a terminal at once: a record a
    teammate has on screen is not shown in the terminal too (two decisions, one wasted), and the
    terminal's own record goes back to the team when its reviewer quits."""
    from screener.web.engine import LEASE_SECONDS

    rows = [{"title": f"Peer workers study {i}", "abstract": f"About topic {i}."} for i in range(4)]
    csv = tmp_path / "recs.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    with Project.init(tmp_path / "team", database=pg_url, settings={"embedding_model": "none"}) as project:
        project.import_files([csv], dedup=False)
        session = ScreeningSession(project, embedding_model="none")
        top = int(session.ranking()["record_id"].iloc[0])
        assert project.store.claim_record(top, "ben", ttl=LEASE_SECONDS)  # on ben's screen, in his browser
        run_screen(session, reviewer="ana", console=Console(file=io.StringIO()), read_key=_keys(["e", "q"]),
                   ask=lambda p: "")
        log = project.decision_log()
        assert len(log) == 1 and int(log["record_id"].iloc[0]) != top
        # ana quit with a record on her screen: it is free for the team again, ben's claim stays
        assert project.store.claims(ttl=LEASE_SECONDS) == {top: "ben"}


def test_the_terminal_screen_is_refused_while_the_project_file_is_served(tmp_path):
    """With its SQLite file, 'screener serve' hands out records from memory: a terminal session
    beside it could show a reviewer the record a teammate is screening in the browser."""
    import fcntl

    from typer.testing import CliRunner

    from screener.cli import app
    from screener.cli.web_cmds import SERVE_LOCK

    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(3)]
    project = _project(tmp_path, rows)
    project.close()
    lock = open(tmp_path / "review" / SERVE_LOCK, "a+", encoding="utf-8")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running 'screener serve' holds it
    lock.write("http://127.0.0.1:8123/\n4242\n")
    lock.flush()
    runner = CliRunner()
    try:
        r = runner.invoke(app, ["screen", str(tmp_path / "review"), "--embedding-model", "none"], input="e\n")
        said = " ".join(r.output.split())
        assert r.exit_code == 1 and "being served at http://127.0.0.1:8123/" in said and "4242" in said
    finally:
        lock.close()  # the server stopped: the terminal works again
    r = runner.invoke(app, ["screen", str(tmp_path / "review"), "--embedding-model", "none", "--limit", "1"],
                      input="e\n")
    assert r.exit_code == 0, r.output
    with Project.open(tmp_path / "review") as p:
        assert len(p.decision_log()) == 1


def test_an_undone_record_is_shown_again_next(tmp_path):
    """An include excluded by mistake, then u: a refit that learned from the exclude put the
    record far down, and the next record shown was another one (the undone record was left
    unscreened somewhere in the queue). It is shown next, as on the web, and decided again."""
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(6)]
    project = _project(tmp_path, rows)
    session = ScreeningSession(project, embedding_model="none")
    real_ranking = session.ranking

    def ranking(**kw):  # as a refit on the mistaken exclude would: the withdrawn record last
        r = real_ranking(**kw)
        log = project.decision_log()
        withdrawn = r["record_id"].isin(log.loc[log["decision"] == "retract", "record_id"])
        return pd.concat([r[~withdrawn], r[withdrawn]]).reset_index(drop=True)

    session.ranking = ranking
    out = io.StringIO()
    run_screen(session, console=Console(file=out, width=200), read_key=_keys(["e", "u", "i", "q"]),
               ask=lambda p: "")
    shown = [int(m) for m in re.findall(r"; record (\d+)", out.getvalue())]
    assert shown[1] != shown[0] and shown[2] == shown[0]  # after u, the undone record again
    log = project.decision_log()
    assert list(zip(log["record_id"], log["decision"])) == [
        (shown[0], "exclude"), (shown[0], "retract"), (shown[0], "include")]


def test_an_undone_record_a_search_update_gave_a_fuller_copy_is_shown_again_next(tmp_path):
    """'i', a search update imported in another terminal with a copy of that record holding its abstract (the
    study's record to screen from then on), then 'u': the screen said "record 4 is back; decide it again" and showed
    another record, the study waiting somewhere in the queue. The study is shown next, by its copy now screened."""
    rows = [{"title": f"Peer workers in service {w} and their experiences", "abstract": "", "authors": f"Smith, {w}",
             "year": 2020, "doi": f"10.1/{w}"} for w in "abcd"]
    project = _project(tmp_path, rows)

    class Refit(ScreeningSession):  # the session the screen makes again on the update's records ranks as this one
        def ranking(self, **kw):  # as a refit on the include withdrawn may: that study last
            r = super().ranking(**kw)
            last = r["record_id"].isin(project.decision_log()["record_id"].map(project._primary_of()).dropna())
            return pd.concat([r[~last], r[last]]).reset_index(drop=True)

    session = Refit(project, embedding_model="none")
    out, pressed = io.StringIO(), []

    def key():
        pressed.append(1)
        if len(pressed) == 2:  # the first record is decided; the search update comes in before the undo
            first = int(re.findall(r"; record (\d+)", out.getvalue())[0])
            update = tmp_path / "update.csv"
            pd.DataFrame([dict(rows[first - 1], abstract="Peer workers' experiences. " * 5)]).to_csv(update,
                                                                                                     index=False)
            with Project.open(tmp_path / "review") as other:
                other.import_files([update])
        return {1: "i", 2: "u", 3: "e"}.get(len(pressed), "q")

    run_screen(session, console=Console(file=out, width=200), read_key=key, ask=lambda p: "")
    shown = [int(m) for m in re.findall(r"; record (\d+)", out.getvalue())]
    copy = int(project._primary_of().get(shown[0]))
    assert copy == 5 and shown[2] == copy, shown  # after u, the undone study, by its copy from the update
    # the message named the record decided, record 4, and record 5 came up: it names the one shown too
    said = " ".join(out.getvalue().split())
    assert f"Undone: record {shown[0]} is back as record {copy} " in said, said
    log = project.decision_log()
    assert list(zip(log["record_id"], log["decision"])) == [(shown[0], "include"), (shown[0], "retract"),
                                                            (copy, "exclude")]


def _screened_to_its_stop(tmp_path, toy_review) -> Project:
    """A 400-record review (8 includes) screened batch by batch from its ranking until the stopping rule is met."""
    from screener.status import recall_status

    csv = toy_review(tmp_path / "toy.csv", n=400, n_include=8)
    df = pd.read_csv(csv)
    truth = dict(zip(df["record_id"], df["label_included"]))
    project = Project.init(tmp_path / "review")
    project.import_files([csv], column_map={"label": None})
    for _ in range(60):
        batch = ScreeningSession(project, embedding_model="none").next_batch(10, explain=False)
        for rid in batch["record_id"]:
            project.decide(int(rid), "include" if truth[int(rid)] else "exclude")
        if recall_status(project)["advice"].stop:
            break
    assert recall_status(project)["advice"].stop
    return project


def _small_review(tmp_path, n):
    """A project of ``n`` short records (``tmp_path / "review"``) and a lexical session on it."""
    rows = [{"title": f"Study {i} about topic {i}", "abstract": f"About topic {i} in adults."} for i in range(n)]
    csv = tmp_path / "recs.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    project = Project.init(tmp_path / "review")
    project.import_files([csv])
    return project, ScreeningSession(project, embedding_model="none")


def test_a_decision_made_elsewhere_while_the_record_is_on_screen_is_not_overwritten(tmp_path):
    """While a record is on screen, a teammate includes it ('screener label' in another
    terminal), or 'screener dedup' there joins it to a study they included: the key pressed on
    it was saved and, the latest decision counting, turned the study's include into an exclude.
    It is not saved; the terminal says why and moves on."""
    project, session = _small_review(tmp_path, 8)
    out = io.StringIO()
    on_screen = []

    def key():
        rid = int(re.findall(r"; record (\d+)", out.getvalue())[-1])
        on_screen.append(rid)
        with Project.open(tmp_path / "review") as other:  # another terminal
            if len(on_screen) == 1:
                other.decide(rid, "include", reviewer="bob", origin="cli")
            elif len(on_screen) == 2:
                study = min(r for r in range(1, 9) if r != rid and r not in other.current_decisions().index)
                other.decide(study, "include", reviewer="bob", origin="cli")
                other.decide_duplicates(rid, study, "merge")
                assert int(other._primary_of().get(rid, rid)) == study  # the record on screen is a copy now
            else:
                return "q"
        return "e"

    run_screen(session, console=Console(file=out, width=300), read_key=key, ask=lambda p: "")
    assert len(set(on_screen)) == 3  # on to the next record each time
    log = project.decision_log()
    assert list(log["reviewer"]) == ["bob", "bob"] and set(log["decision"]) == {"include"}
    assert set(project.current_decisions()["decision"]) == {"include"}
    assert out.getvalue().count("after it was shown here, so 'exclude' was not saved") == 2


def test_a_decision_saved_elsewhere_while_the_key_is_being_saved_is_not_overwritten(tmp_path, monkeypatch):
    """'screener screen' in a terminal and the web page open on the same record (a review on a
    database server): the page's include was saved between the terminal's look for a decision
    made meanwhile and its own save, and the terminal's exclude, saved after it, replaced it
    unseen. The look is made in the save's turn at the log now."""
    project, session = _small_review(tmp_path, 6)
    out = io.StringIO()
    save = project.decide_many
    page = []

    def saved_by_the_page_first(decisions, **kw):
        if not page:  # the web page's save lands a moment before the terminal's
            page.append(decisions[0].record_id)
            with Project.open(tmp_path / "review") as other:
                other.decide(decisions[0].record_id, "include", reviewer="reviewer", origin="web")
        return save(decisions, **kw)

    monkeypatch.setattr(project, "decide_many", saved_by_the_page_first)
    keys = iter(["e", "e"])
    run_screen(session, console=Console(file=out, width=300), read_key=lambda: next(keys, "q"), ask=lambda p: "")
    cur = project.current_decisions()["decision"]
    assert cur[page[0]] == "include" and list(cur.values).count("exclude") == 1
    assert f"Record {page[0]} was marked include" in out.getvalue()
    assert "'exclude' was not saved" in out.getvalue()


@pytest.mark.parametrize("end", ["limit", "ctrl-c"])
def test_a_note_left_waiting_is_reported_however_the_session_ends(tmp_path, end):
    """A note typed on a record then skipped waits for a decision on it. Quitting with q said it
    was not saved; reaching --limit or pressing Ctrl-C dropped it without a word."""
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(5)]
    project = _project(tmp_path, rows)
    session = ScreeningSession(project, embedding_model="none")
    out = io.StringIO()
    keys = iter(["n", "s", "e"])

    def key():
        got = next(keys, None)
        if got is None:
            raise KeyboardInterrupt
        return got

    run = lambda: run_screen(session, console=Console(file=out, width=200), read_key=key,  # noqa: E731
                             ask=lambda p: "check the dose", limit=1 if end == "limit" else None)
    if end == "ctrl-c":
        with pytest.raises(KeyboardInterrupt):
            run()
    else:
        run()
    assert "A note on 1 undecided record (" in out.getvalue() and "was not saved" in out.getvalue()
    assert "check the dose" not in set(project.decision_log()["note"].dropna())


def test_an_undo_under_a_teammates_standing_decision_says_so(tmp_path):
    """A teammate decided the record too ('screener label' in another terminal) after it was
    decided here; u withdrew this reviewer's own decision, the teammate's stood, and the terminal
    said 'Undone: record N is back; decide it again' while the record was never shown again."""
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(6)]
    project = _project(tmp_path, rows)
    session = ScreeningSession(project, embedding_model="none")
    out = io.StringIO()
    keys = iter(["e", "u", "q"])

    def key():
        k = next(keys, "q")
        if k == "u":  # the record just excluded here, included meanwhile by a teammate
            rid = int(re.findall(r"Saved: record (\d+)", out.getvalue())[-1])
            with Project.open(tmp_path / "review") as other:
                other.decide(rid, "include", reviewer="bob", origin="cli")
        return k

    run_screen(session, console=Console(file=out, width=300), read_key=key, ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    rid = int(re.findall(r"Saved: record (\d+)", said)[-1])
    assert f"Your decision on record {rid} is withdrawn; a teammate's decision (include) stands" in said
    assert "is back; decide it again" not in said
    assert project.current_decisions()["decision"].to_dict() == {rid: "include"}


def test_the_keys_are_shown_in_the_help_line(tmp_path):
    """The help line under each record, and after a key screener does not know, read
    ' include   exclude   maybe   undo ...' with no key in it: '[i]' and '[e]' were read as styles."""
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(3)]
    project = _project(tmp_path, rows)
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=200),
               read_key=_keys(["x", "q"]), ask=lambda p: "")
    said = out.getvalue()
    assert said.count("[i] include  [e] exclude  [m] maybe  [u] undo  [n] note  [s] skip  [q] quit") == 2
    assert said.count(HELP) == 1  # after 'x': every key, 'a' too


def test_the_help_after_an_unknown_key_names_every_key_the_screen_reads(tmp_path):
    """A reviewer who pressed '?' read '[i] include  [e] exclude  [m] maybe  [u] undo  [n] note  [s] skip
    [q] quit': the 'a' key, which shows an abstract cut to fit the screen whole, was named nowhere but in
    the cut abstract itself. The help names it now, and a panel whose abstract is cut names it in its
    border too."""
    rows = [{"title": f"Peer navigators in harm reduction service {i}", "abstract": f"Qualitative study {i}."}
            for i in range(2)]
    project = _project(tmp_path, rows)
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=120),
               read_key=_keys(["?", "q"]), ask=lambda p: "")
    help_said = out.getvalue().split("╯", 1)[1]  # what '?' printed, under the first panel
    assert "[a] whole abstract" in help_said and "[q] quit" in help_said
    words = [f"w{i}" for i in range(1600)]
    (tmp_path / "long").mkdir()
    _, first, again = _long_abstract_shown(tmp_path / "long", "Peer support in prisons: a conference session",
                                           "Peer support in prisons. " + " ".join(words))
    assert "[a] whole abstract" in first  # the cut abstract's panel
    assert "[a] whole abstract" not in again and "[q] quit" in again  # shown whole: nothing more to read


def test_records_imported_in_another_terminal_while_screening_are_screened_too(tmp_path):
    """A search update imported ('screener import' in another terminal) while the terminal
    screen was open: it went on with the records it had read, ended with 'Every record is
    screened' and 'now 3 of 3 records screened, 0 left' while the 3 new records waited."""
    project, session = _small_review(tmp_path, 3)
    update = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Update {i} on peer work {i}", "abstract": f"Peer work {i} in youth."}
                  for i in range(3)]).to_csv(update, index=False)
    out = io.StringIO()
    pressed = []

    def key():
        pressed.append(1)
        if len(pressed) == 2:
            with Project.open(tmp_path / "review") as other:
                other.import_files([update])
        return "e" if len(pressed) <= 6 else "q"

    summary = run_screen(session, console=Console(file=out, width=300), read_key=key, ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    assert len(project.current_decisions()) == 6 and summary["screened"] == 6
    assert "3 new records" in said and "of 6 records screened" in said
    assert "now 6 of 6 records screened (0 includes, 0 maybe, 6 excludes), 0 left" in said


def test_a_narrow_terminal_shows_the_counts_and_every_key(tmp_path):
    """In a terminal 50 columns wide the panel's top and bottom lines were cut: '0 of 3 records
    screened (0 includes, 0 m' (which record, how many left: gone) and the keys from [n] note on."""
    rows = [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(3)]
    project = _project(tmp_path, rows)
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=50),
               read_key=_keys(["e", "q"]), ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    assert re.search(r"0 of 3 records screened \(0 includes, 0 maybe, 0 excludes\), 3 left; record \d+", said)
    assert "[n] note [s] skip [q] quit" in said
    # in 80 columns the keys fit in the border, and stay there
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=80),
               read_key=_keys(["q"]), ask=lambda p: "")
    assert "╰─ [i] include  [e] exclude  [m] maybe  [u] undo  [n] note  [s] skip  [q] quit─╯" in out.getvalue()


def test_the_terminal_says_when_the_stopping_rule_is_met(tmp_path, toy_review):
    """Screening on in the terminal after the stopping rule was met: nothing said so, the session
    ended with the counts alone, and only 'screener status' told the reviewer they could have
    stopped. The terminal prints the advice 'screener status' gives, in its words."""
    from typer.testing import CliRunner

    from screener.cli import app
    from screener.status import recall_status

    _screened_to_its_stop(tmp_path, toy_review).close()
    r = CliRunner().invoke(app, ["screen", str(tmp_path / "review"), "--embedding-model", "none"], input="e\nq\n")
    assert r.exit_code == 0, r.output
    with Project.open(tmp_path / "review") as p:
        advice = recall_status(p)["advice"].message
    said, words = " ".join(r.output.split()), " ".join(advice.split())
    # before the first record, and at the end in the figures 'screener status' gives then; the model's estimate
    # alone says stop here, the hypergeometric test not yet: said with the stop
    assert said.index("The stopping rule is met") < said.index("Saved: record")
    assert said.endswith(f"The stopping rule is met on the model's estimate alone, not confirmed yet: {words}")
    assert "but the hypergeometric test, which assumes less, does not confirm it yet" in words
    # screening on: said at the start and at the end, not again every ten decisions
    r = CliRunner().invoke(app, ["screen", str(tmp_path / "review"), "--embedding-model", "none"],
                           input="e\n" * 25 + "q\n")
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert said.count("The stopping rule is met") == 2 and said.count("Press q to stop here, or go on screening.") == 1


def test_a_reviewer_disabled_while_screening_in_the_terminal_screens_no_more(tmp_path):
    """The owner disabled ana's account ('screener user disable' in another terminal) while she
    screened in hers: the web ends her session at her next page, the terminal went on saving her
    keys under the disabled account. Her next key is not saved now, and the screen says why."""
    from screener.accounts import add_user, set_disabled

    project, session = _small_review(tmp_path, 5)
    for name, role in (("olga", "owner"), ("ana", "reviewer")):
        add_user(project.store, name, role, "correct horse battery staple 9")
    out = io.StringIO()
    pressed = []

    def key():
        pressed.append(1)
        if len(pressed) == 2:
            with Project.open(tmp_path / "review") as other:
                set_disabled(other.store, "ana", disabled=True, by="olga")
        return "e" if len(pressed) <= 4 else "q"

    run_screen(session, reviewer="ana", console=Console(file=out, width=300), read_key=key, ask=lambda p: "")
    assert len(project.decision_log()) == 1
    said = " ".join(out.getvalue().split())
    assert "disabled by the review's owner (olga)" in said and "was not saved" in said
    assert said.count("; record ") == 2  # nothing shown after it


def test_one_decision_is_said_as_one(tmp_path):
    """The end of a session said 'Saved 1 decisions this session'."""
    project = _project(tmp_path, [{"title": f"Study {i}", "abstract": f"About topic {i}."} for i in range(3)])
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=200),
               read_key=_keys(["e", "q"]), ask=lambda p: "")
    assert "Saved 1 decision this session; now 1 of 3 records screened" in out.getvalue()


def test_the_stopping_rule_met_while_screening_is_said_within_ten_decisions(tmp_path):
    """The rule met by the 12th decision of a session: the screen says so by the 20th, once."""
    from types import SimpleNamespace

    project, session = _small_review(tmp_path, 40)
    looks = []

    def status():
        looks.append(len(project.current_decisions()))
        met = looks[-1] >= 12
        return {"advice": SimpleNamespace(stop=met, message="Estimated recall 97%: you can stop." if met else "")}

    session.status = status
    out = io.StringIO()
    run_screen(session, console=Console(file=out, width=300), read_key=_keys(["e"] * 25), ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    assert looks[:3] == [0, 10, 20]
    told = said.index("The stopping rule is met: Estimated recall 97%: you can stop. Press q to stop here")
    assert said[:told].count("Saved: record") == 20 and said.count("Press q to stop here") == 1


def test_the_records_excluded_unread_at_a_stop_are_counted_as_status_counts_them(tmp_path):
    """The rest excluded unread at the stop ('screener label --decision exclude'), then a search
    update imported: the terminal's counts read '6 of 8 records screened (0 includes, 0 maybe,
    6 excludes), 2 left', 'screener status' '2 of 8 records screened (...), 4 excluded unscreened
    at the stop, 2 left'. The terminal counts them as status does."""
    from typer.testing import CliRunner

    from screener.cli import app
    from screener.status import screening_counts

    project, session = _small_review(tmp_path, 6)
    ids = [int(i) for i in project.records_frame().index]
    for rid in ids[:2]:
        project.decide(rid, "exclude")
    pd.DataFrame({"record_id": ids[2:]}).to_csv(tmp_path / "rest.csv", index=False)
    project.close()
    r = CliRunner().invoke(app, ["label", str(tmp_path / "review"), str(tmp_path / "rest.csv"), "--decision",
                                 "exclude"])
    assert r.exit_code == 0, r.output
    pd.DataFrame([{"title": f"Update {i} on peer work", "abstract": f"Peer work {i} in youth."}
                  for i in range(2)]).to_csv(tmp_path / "update.csv", index=False)
    with Project.open(tmp_path / "review") as p:
        p.import_files([tmp_path / "update.csv"])
        status = screening_counts(p).describe()
        assert "4 excluded" in status
        out = io.StringIO()
        run_screen(ScreeningSession(p, embedding_model="none"), console=Console(file=out, width=300),
                   read_key=_keys(["q"]), ask=lambda q: "")
    said = " ".join(out.getvalue().split())
    assert f"{status}; record" in said and f"now {status}." in said


def test_no_record_left_after_the_rest_was_excluded_unread_is_not_every_record_screened(tmp_path):
    """2 of 8 records screened and the 6 left excluded unread at the stop ('screener label
    --decision exclude'): the terminal opened on it said 'Every record is screened.', then
    'now 2 of 8 records screened (...), 6 excluded unscreened ...', where 'screener status' says 6 were
    never read. It says none is left to screen, that those 6 were excluded unscreened, and points to status."""
    from typer.testing import CliRunner

    from screener.cli import app

    project, session = _small_review(tmp_path, 8)
    ids = [int(i) for i in project.records_frame().index]
    project.decide(ids[0], "include")
    project.decide(ids[1], "exclude")
    pd.DataFrame({"record_id": ids[2:]}).to_csv(tmp_path / "rest.csv", index=False)
    project.close()
    r = CliRunner().invoke(app, ["label", str(tmp_path / "review"), str(tmp_path / "rest.csv"), "--decision",
                                 "exclude"])
    assert r.exit_code == 0, r.output
    with Project.open(tmp_path / "review") as p:
        out = io.StringIO()
        run_screen(ScreeningSession(p, embedding_model="none"), console=Console(file=out, width=300),
                   read_key=_keys(["q"]), ask=lambda q: "")
    said = " ".join(out.getvalue().split())
    assert "Every record is screened" not in said
    assert "No record is left to screen: 6 records were excluded without screening when screening stopped" in said
    assert "screener status" in said


def _on_a_terminal(monkeypatch):
    """``sys.stdin`` on a pseudo-terminal; returns the fd keys are typed into."""
    import os
    import sys

    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    monkeypatch.setattr(sys, "stdin", open(slave, "r", encoding="utf-8", closefd=True))
    return master, os


def test_an_arrow_key_is_one_key_and_keys_typed_ahead_decide_nothing(monkeypatch):
    """On a real terminal an arrow key (three bytes) showed the help and the record three times,
    its '[' and 'A' read as keys of their own (an 'A' from a paste or a key like it could be read
    as a decision). It is one unknown key now; and, as before, a key typed before the record was
    shown (pressed twice, or while the next record was ranked) does not decide it."""
    import select
    import sys
    import threading
    import tty

    from screener.tui import read_key_tty

    master, os = _on_a_terminal(monkeypatch)
    stuck = threading.Timer(10, lambda: os.write(master, b"zzz"))  # a read that waits on: fails, not hangs
    stuck.start()
    typed = iter([b"i", b"\x1b[A", b"m"])
    real_setcbreak = tty.setcbreak

    def shown_then_typed(fd, *args, **kwargs):  # each key typed once the record is shown: no timer to race
        real_setcbreak(fd, *args, **kwargs)
        os.write(master, next(typed))

    monkeypatch.setattr(tty, "setcbreak", shown_then_typed)
    fd = sys.stdin.fileno()
    real_setcbreak(fd)  # the terminal as the record before left it
    os.write(master, b"e")  # typed ahead, before the record was shown
    assert select.select([fd], [], [], 5)[0]  # it reached the terminal (a pseudo-terminal passes it on a moment later)
    assert read_key_tty() == "i"
    assert read_key_tty() == "\x1b"  # an arrow key, on a record shown: its '[A' is dropped with the next record
    assert read_key_tty() == "m"
    stuck.cancel()
    os.close(master)


def _long_abstract_shown(tmp_path, title: str, abstract: str):
    """The record ``title`` shown first on a 100 x 30 terminal, then 'a', then 'q': the project, and
    the screen's first panel and the one 'a' shows."""
    project = _project(tmp_path, [{"title": title, "abstract": abstract},
                                  {"title": "A short one", "abstract": "About topic two."}])
    session = ScreeningSession(project, embedding_model="none")
    rid = int(project.records_frame().index[project.records_frame()["title"] == title][0])
    real = session.ranking
    session.ranking = lambda **kw: (lambda r: pd.concat([r[r["record_id"] == rid], r[r["record_id"] != rid]]))(
        real(**kw))
    out = io.StringIO()
    run_screen(session, console=Console(file=out, width=100, height=30), read_key=_keys(["a", "q"]),
               ask=lambda p: "")
    first, again = out.getvalue().split("╭", 2)[1:]
    return project, first, again


def test_a_very_long_abstract_is_cut_to_the_screen_and_a_reads_it_whole(tmp_path):
    """A 10,000-character abstract (a conference's whole session pasted in) was shown whole: the panel
    was taller than the terminal, and its top line (which record, how many screened, how many left)
    scrolled off. It is cut to fit now, saying how many words are left and that 'a' shows them; 'a'
    shows the record again with the whole abstract, and decides nothing."""
    words = [f"w{i}" for i in range(1600)]
    long_abstract = "Peer support in prisons. " + " ".join(words) + " The very end."
    project, first, again = _long_abstract_shown(tmp_path, "Peer support in prisons: a conference session",
                                                 long_abstract)
    assert len(first.splitlines()) <= 29, len(first.splitlines())  # the whole panel fits, its top line too
    assert "0 of 2 records screened" in first and "[q] quit" in first
    said = " ".join(first.split())
    assert "The very end." not in said
    left = re.search(r"… \(([\d,]+) more words; press a to read the whole abstract\)", said)
    assert left, said
    shown = [w for w in said.split() if re.fullmatch(r"w\d+", w)]
    assert len(shown) + int(left.group(1).replace(",", "")) == len(words) + 3  # 'The very end.': three words
    assert "The very end." in " ".join(again.split()) and "press a to read" not in again
    assert project.current_decisions().empty  # 'a' decides nothing


def test_a_long_abstract_written_without_spaces_is_cut_to_the_screen_too(tmp_path):
    """A Chinese abstract (a CNKI or Wanfang record) has no spaces between its words: read as one or a few
    'words', it was shown whole however long, and the panel's top line (which record, how many screened and
    left) scrolled off the screen as before. It is cut to fit too, at a character, saying how much is left."""
    sentence = "目的：探讨同伴支持干预对社区美沙酮维持治疗患者服药依从性的影响。"
    long_abstract = sentence * 120 + "结论：同伴支持有效。"
    _, first, again = _long_abstract_shown(tmp_path, "同伴支持对美沙酮维持治疗依从性的影响", long_abstract)
    assert len(first.splitlines()) <= 29, len(first.splitlines())  # the whole panel fits, its top line too
    assert "0 of 2 records screened" in first
    assert "结论：同伴支持有效。" not in "".join(first.split())
    said = " ".join(first.split())
    assert re.search(r"… \([\d,]+ more characters; press a to read the whole abstract\)", said), said
    assert "结论：同伴支持有效。" in "".join(again.split()) and "press a to read" not in again


def test_a_merge_and_a_split_in_another_terminal_while_screening_reach_the_screen(tmp_path, monkeypatch):
    """'screener dedup --merge A,B --split C' in another terminal while the terminal screen was
    open: as many records and studies as before, so the screen took its records for unchanged. It
    ended with 'Every record is screened' while the record taken out of its group waited
    ('screener status': 1 left), and showed the copy merged away as a study of its own."""
    project, session = _small_review(tmp_path, 6)
    project.decide_duplicates(1, 2, "merge")  # a wrong group, made before the screen opened
    wrong = 2 if int(project._primary_of().get(2, 2)) == 1 else 1
    session = ScreeningSession(project, embedding_model="none")
    shown = []
    out = io.StringIO()
    state = {}

    def key():
        if not state:  # at the first key: the first record is on screen
            with Project.open(tmp_path / "review") as other:
                other.decide_duplicates(4, 5, "merge")
                state["gone"] = 5 if int(other._primary_of().get(5, 5)) == 4 else 4
                other.split_duplicates([wrong], reviewer="ana")
        return "e" if len(shown) < 12 else "q"

    import screener.tui as tui

    real = tui.render_record

    def render(session, rid, **kw):
        shown.append(int(rid))
        return real(session, rid, **kw)

    monkeypatch.setattr(tui, "render_record", render)
    run_screen(session, console=Console(file=out, width=300), read_key=key, ask=lambda p: "")
    from screener.status import screening_counts

    assert wrong in shown and state["gone"] not in shown
    assert screening_counts(project).left == 0
    assert "records changed since this screen opened" in " ".join(out.getvalue().split())


def test_a_protocol_set_in_another_terminal_while_screening_ranks_the_records_left(tmp_path):
    """'screener protocol' in another terminal while the terminal screen was open, before the first
    include: the screen went on in the random order of a review without a protocol (and stored it
    as such), while a fresh 'screener screen', the web page and an open review ranked by the
    protocol just set."""
    rows = [{"title": f"Study {i} of blood pressure in mice", "abstract": f"Dosage {i} in mice."} for i in range(12)]
    rows += [{"title": f"Peer workers in harm reduction {i}", "abstract": "Peer support with lived experience."}
             for i in range(3)]
    project = _project(tmp_path, rows)
    session = ScreeningSession(project, embedding_model="none")
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction services"\n'
                     'inclusion = ["peer workers or peer support", "lived experience"]\n')
    out = io.StringIO()
    pressed = []

    def key():
        pressed.append(1)
        if len(pressed) == 1:
            with Project.open(tmp_path / "review") as other:
                other.set_protocol(proto)
        return "e" if len(pressed) <= 2 else "q"

    run_screen(session, console=Console(file=out, width=300), read_key=key, ask=lambda p: "")
    settings, items = project.store.latest_ranking()
    assert settings["phase"] == "protocol"
    assert "protocol was set or taken out since this screen opened" in " ".join(out.getvalue().split())


def test_each_key_is_confirmed_in_words(tmp_path):
    """The terminal confirmed 'Saved: record 1 included.', 'Saved: record 2 excluded.' and 'Saved: record 3 maybe.';
    the maybe reads 'marked maybe', as the records list and the report say it."""
    rows = [{"title": f"Peer workers in harm reduction, study {i}", "abstract": f"About topic {i}."} for i in range(4)]
    project = _project(tmp_path, rows)
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=200),
               read_key=_keys(["i", "e", "m"]), ask=lambda p: "")
    said = re.findall(r"Saved: record \d+ ([^.]+)\.", out.getvalue())
    assert said == ["included", "excluded", "marked maybe"], said


def test_a_register_record_shows_its_trial_id_and_the_link_to_its_entry(tmp_path):
    """A trial register's record showed its title and summary only: the reviewer had neither its trial id nor the
    link to read its entry whole. Both are on its panel now, taken from the register's export."""
    project = _project(tmp_path, [{"title": "Another study", "abstract": "About topic two."}])
    ictrp = tmp_path / "ictrp.csv"
    pd.DataFrame([{"TrialID": "ISRCTN12345678", "Public title": "Exercise after stroke", "Source Register": "ISRCTN",
                   "web address": "https://www.isrctn.com/ISRCTN12345678", "Condition": "Stroke"}]).to_csv(
        ictrp, index=False)
    project.import_files([ictrp], dedup=False)
    session = ScreeningSession(project, embedding_model="none")
    recs = project.records_frame()
    out = io.StringIO()
    console = Console(file=out, width=120)
    for title in ("Exercise after stroke", "Another study"):
        rid = int(recs.index[recs["title"] == title][0])
        console.print(render_record(session, rid, position=title))
    trial, other = out.getvalue().split("Another study", 1)
    assert "trial ISRCTN12345678" in trial and "https://www.isrctn.com/ISRCTN12345678" in trial
    assert "ISRCTN" not in other and "trial" not in other


def test_a_stop_said_on_the_screen_that_no_longer_holds_is_said_withdrawn(tmp_path):
    """The rule met, said on the screen ('Press q to stop here, or go on screening'); the reviewer
    screened on and included a record, and the stop no longer held: the screen never looked again
    and ended on the counts, its last word on stopping 'The stopping rule is met'. It says the rule
    is no longer met, with the advice as 'screener status' gives it, once the include is saved, or an
    undo, and at the end where it was said met and is no longer."""
    from types import SimpleNamespace

    project, session = _small_review(tmp_path, 40)

    def status():
        met = "include" not in set(project.current_decisions()["decision"])
        return {"advice": SimpleNamespace(stop=met, message="Estimated recall 97%: you can stop." if met else
                                          "Not yet: the last record screened was an include.")}

    session.status = status
    out = io.StringIO()
    run_screen(session, console=Console(file=out, width=300), read_key=_keys(["e", "e", "i", "e"]),
               ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    met = said.index("The stopping rule is met: Estimated recall 97%")
    gone = "The stopping rule is no longer met: Not yet: the last record screened was an include."
    assert met < said.index("Saved: record", met) < said.index(gone)
    # said as the include is saved (before the next record is shown), once
    assert said.index(gone) < said.rindex("Saved: record") and said.count(gone) == 1
    assert said.count("The stopping rule is met") == 1


def test_a_stop_said_on_the_screen_withdrawn_by_an_undo_is_said_withdrawn(tmp_path):
    """The stop said, then an undo: the records it rested on changed, and the screen says the stop is
    gone (here after the undo), or after the exclude that ended it."""
    from types import SimpleNamespace

    project, session = _small_review(tmp_path, 40)
    looks = []

    def status():
        looks.append(1)
        met = len(looks) <= 2  # met as the screen opens and after its first decision, not after the next
        return {"advice": SimpleNamespace(stop=met, message="Estimated recall 97%: you can stop." if met else
                                          "Not yet: 1 record returned by an undo is not in the ranking.")}

    session.status = status
    out = io.StringIO()
    run_screen(session, console=Console(file=out, width=300), read_key=_keys(["e", "u"]), ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    gone = "The stopping rule is no longer met: Not yet: 1 record returned by an undo is not in the ranking."
    assert said.index("Undone: record") < said.index(gone) and said.count(gone) == 1
    # gone with an exclude: said once that exclude is saved, not ten decisions on or at the end
    looks.clear()
    out = io.StringIO()
    run_screen(session, console=Console(file=out, width=300), read_key=_keys(["e", "e", "e"]), ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    second_saved = said.index("Saved: record", said.index("Saved: record") + 1)
    assert said.index("The stopping rule is met") < second_saved < said.index(gone)
    assert said.index(gone) < said.index("Saved: record", second_saved + 1) and said.count(gone) == 1


def test_a_stop_said_on_the_screen_is_said_withdrawn_when_a_search_update_arrives(tmp_path, toy_review):
    """The stop said as the screen opened; a search update imported in another terminal meanwhile: the
    screen ranked the new records with the rest and said nothing of the stop it had announced, which
    'screener status' now held ('3 of the records still to screen are not in the ranking ...')."""
    project = _screened_to_its_stop(tmp_path, toy_review)
    update = tmp_path / "update.csv"
    pd.DataFrame([{"title": f"Update study {i} of peer worker and harm reduction", "abstract": "Peer support.",
                   "doi": f"10.5555/update.{i}", "year": 2024} for i in range(3)]).to_csv(update, index=False)
    pressed = []

    def key():
        pressed.append(1)
        if len(pressed) == 1:
            with Project.open(tmp_path / "review") as other:
                other.import_files([update])
        # skipped (nothing saved): the screen learns of the update from the records, not from a decision's look
        return {1: "s", 2: "e"}.get(len(pressed), "q")

    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=300),
               read_key=key, ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    met = said.index("The stopping rule is met")
    gone = said.index("The stopping rule is no longer met: Not yet: 3 of the records still to screen are not in "
                      "the ranking the records were screened from")
    assert met < said.index("3 new records were added to the review") < gone < said.index("Saved 1 decision")
    assert said.count("The stopping rule is met") == 1


def test_a_stop_said_on_the_screen_that_an_exclude_ends_is_said_withdrawn_at_once(tmp_path, toy_review):
    """The stop said as the screen opened; the reviewer skipped the record shown (s) and excluded the next: the
    skipped record, the ranking's first, is now passed over, and 'screener status' holds the stop. After an
    exclude the screen looked again only every ten decisions, so for nine more records its last word was 'The
    stopping rule is met'. An exclude can end a stop (a record passed over; the estimate's fit moves with every
    record), and one look costs a fraction of a second: it looks after every decision while a stop stands."""
    project = _screened_to_its_stop(tmp_path, toy_review)
    out = io.StringIO()
    run_screen(ScreeningSession(project, embedding_model="none"), console=Console(file=out, width=300),
               read_key=_keys(["s", "e", "e"]), ask=lambda p: "")
    said = " ".join(out.getvalue().split())
    gone = "The stopping rule is no longer met: Not yet: 1 record that a ranking put before records screened"
    first_saved = said.index("Saved: record")
    assert said.index("The stopping rule is met") < said.index("Skipped for now") < first_saved
    # said once the exclude is saved, before the next record is shown and decided
    assert first_saved < said.index(gone) < said.index("Saved: record", first_saved + 1)
    assert said.count(gone) == 1
