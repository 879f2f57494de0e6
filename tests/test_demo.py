"""The built-in sample review (data/sample_review/) and ``screener demo`` end to end."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from screener.demo import (MARKER, SAMPLE_DIR, SAMPLE_FILES, SAMPLE_NOTICE, prepare_directory, run_demo,
                           sample_decisions)
from screener.errors import ScreenerError
from screener.project import Project
from screener.records import normalise_doi, normalise_title
from scripts import load_script


def _load_generator():
    return load_script(SAMPLE_DIR / "make_sample.py", "make_sample")


gen = _load_generator()


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory):
    """The three sample exports imported (and de-duplicated) into a fresh project."""
    d = tmp_path_factory.mktemp("sample") / "project"
    project = Project.init(d)
    project.import_files([SAMPLE_DIR / f for f in SAMPLE_FILES])
    yield project
    project.close()


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------
def test_generator_is_deterministic_and_files_are_up_to_date():
    first = gen.render_all()
    assert first == gen.render_all()
    for name, text in first.items():
        assert (SAMPLE_DIR / name).read_bytes() == text.encode("utf-8"), (
            f"{name} is out of date: run python data/sample_review/make_sample.py")


def test_generator_seed_changes_the_sample():
    a, b = gen.render_all(1), gen.render_all(2)
    assert a["medline_sample.ris"] != b["medline_sample.ris"]
    assert gen.render_all(1) == a


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    gen.write(tmp_path)
    assert gen.main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "labels.csv").write_text("study_id\n", encoding="utf-8")
    assert gen.main(["--check", "--out", str(tmp_path)]) == 1
    assert "labels.csv" in capsys.readouterr().out


def test_sample_shape_matches_the_brief():
    s = gen.summary()
    assert 300 <= s["records"] <= 500
    assert 0.01 <= s["includes"] / s["studies"] <= 0.03
    assert s["duplicates"] > 50  # real overlap between the databases
    assert s["no_abstract_anywhere"] > 0 and s["no_doi"] > 0
    # hard negatives of every kind are present
    for cat in ("quantitative_peer", "peer_run_org", "mental_health_peer", "review_commentary", "hiv_other_peer"):
        assert s["categories"][cat] >= 10
    rows = list(csv.DictReader(open(SAMPLE_DIR / "labels.csv", encoding="utf-8")))
    assert len(rows) == s["studies"]
    assert Counter(r["label"] for r in rows) == {"include": s["includes"], "exclude": s["studies"] - s["includes"]}


def test_every_record_is_marked_illustrative_and_readme_says_so():
    for f in SAMPLE_FILES:
        text = (SAMPLE_DIR / f).read_text(encoding="utf-8")
        n_records = len(re.findall(r"^ER  - ", text, flags=re.M))
        assert text.count(f"N1  - {SAMPLE_NOTICE}") == n_records > 0
    readme = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    assert SAMPLE_NOTICE in readme
    s = gen.summary()
    for n in (s["records"], s["studies"], s["duplicates"]):
        assert str(n) in readme, f"README does not state {n}; update it after changing the generator"


def test_the_main_readme_offers_the_sample_for_the_peer_work_steps_with_its_counts():
    """The README's peer-work walk-through said its exports and final includes are the team's own and sent a reader
    to the MSM exports, which the peer-work protocol does not fit. It names the sample, on the same question, as the
    stand-in: the files it names exist, and its counts are the sample's."""
    readme = " ".join((SAMPLE_DIR.parents[1] / "README.md").read_text(encoding="utf-8").split())
    start = readme.index("## The peer-work review, step by step")
    section = readme[start:readme.index("```", start)]
    assert "`data/sample_review/*.ris`" in section and "`data/sample_review/labels.csv`" in section, section
    assert all((SAMPLE_DIR / f).exists() for f in SAMPLE_FILES) and (SAMPLE_DIR / "labels.csv").exists()
    s = gen.summary()
    said = (f"({s['records']} records, {s['duplicates']} duplicates removed, {s['studies']} to screen)",
            f"its {s['includes']} records labelled include are read as the final includes")
    assert all(words in section for words in said), section


def test_field_conventions_differ_between_the_exports():
    med = (SAMPLE_DIR / "medline_sample.ris").read_text(encoding="utf-8")
    psy = (SAMPLE_DIR / "psycinfo_sample.ris").read_text(encoding="utf-8")
    sco = (SAMPLE_DIR / "scopus_sample.ris").read_text(encoding="utf-8")
    assert "\nTI  - " in med and "\nT1  - " not in med and "\nAB  - " in med
    assert "\nT1  - " in psy and "\nTI  - " not in psy and "\nN2  - " in psy and "\nAB  - " not in psy
    assert re.search(r"^Y1  - \d{4}///$", psy, flags=re.M)
    assert "UR  - https://doi.org/10.5555/" in psy and "\nDO  - " not in psy
    assert re.search(r"^AU  - [A-Z][a-z]+, [A-Z]\.", sco, flags=re.M)  # "Surname, G."
    assert re.search(r"^AU  - [A-Z][a-z]+, [A-Z][a-z]+", med, flags=re.M)  # "Surname, Given"


def test_no_real_author_from_the_peer_work_review_is_used():
    # the published review and the studies it cites must not appear as fake authors
    for name in ("Chen", "Yuan", "Reed", "Almeida", "Anvari", "Austin", "Boyd", "Bardwell"):
        assert name not in gen.SURNAMES
    for f in SAMPLE_FILES:
        assert "10.5555/" in (SAMPLE_DIR / f).read_text(encoding="utf-8")
        assert not re.search(r"\b10\.(1016|1186|2196)/", (SAMPLE_DIR / f).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# Importing it
# --------------------------------------------------------------------------------------------
def test_sample_imports_with_expected_counts(sample_project):
    s = gen.summary()
    sources = sample_project.store.sources_frame().set_index("file_name")["n_records"].to_dict()
    assert sources == s["per_file"]
    recs = sample_project.records_frame(primary_only=False)
    assert len(recs) == s["records"]
    assert int(recs["is_primary"].sum()) == s["studies"]
    # the reader found the DOI wherever the export has one (PsycINFO keeps it in UR)
    psy = recs[recs["source_file"] == "psycinfo_sample.ris"]
    psy_text = (SAMPLE_DIR / "psycinfo_sample.ris").read_text(encoding="utf-8")
    assert psy["doi"].notna().sum() == psy_text.count("UR  - https://doi.org/")
    assert recs["abstract"].isna().sum() > 0  # records without abstract arrive without one


def _study_of(recs, rows):
    by_doi = {normalise_doi(r["doi"]): r["study_id"] for r in rows if r["doi"]}
    by_title = {(normalise_title(r["title"]), int(r["year"])): r["study_id"] for r in rows}
    out = {}
    for rid, rec in recs.iterrows():
        d = normalise_doi(rec["doi"]) if isinstance(rec["doi"], str) else None
        out[rid] = by_doi.get(d) or by_title[(normalise_title(rec["title"]), int(rec["year"]))]
    return out


def test_deduplication_recovers_exactly_the_studies(sample_project):
    rows = list(csv.DictReader(open(SAMPLE_DIR / "labels.csv", encoding="utf-8")))
    recs = sample_project.records_frame(primary_only=False)
    study = _study_of(recs, rows)
    groups = recs.groupby("group_id").groups
    for gid, members in groups.items():
        assert len({study[m] for m in members}) == 1, f"group {gid} joins different studies"
    assert len(groups) == len(rows)  # and no study is split over two groups
    # the databases each study is in, per labels.csv, are the files its records came from
    for gid, members in groups.items():
        files = sorted(recs.loc[m, "source_file"].replace("_sample.ris", "") for m in members)
        sid = study[members[0]]
        expected = next(r["databases"] for r in rows if r["study_id"] == sid).split(";")
        assert files == expected


def test_sample_decisions_cover_every_study(sample_project):
    truth = sample_decisions(sample_project, SAMPLE_DIR / "labels.csv")
    primary = sample_project.records_frame()
    assert set(truth) == set(primary.index)
    assert sum(v == "include" for v in truth.values()) == gen.summary()["includes"]


def test_sample_decisions_refuse_an_unknown_record(tmp_path):
    ris = tmp_path / "extra.ris"
    ris.write_text("TY  - JOUR\nTI  - A study that is not in the sample\nPY  - 2020\nER  - \n", encoding="utf-8")
    with Project.init(tmp_path / "p") as project:
        project.import_files([ris])
        with pytest.raises(ScreenerError, match="not in"):
            sample_decisions(project, SAMPLE_DIR / "labels.csv")


# --------------------------------------------------------------------------------------------
# The demo folder
# --------------------------------------------------------------------------------------------
def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path):
    d = tmp_path / "my-review"
    d.mkdir()
    (d / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ScreenerError, match="not a screener demo folder"):
        prepare_directory(d)
    assert (d / "notes.txt").read_text(encoding="utf-8") == "mine"
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(ScreenerError, match="is a file"):
        prepare_directory(f)


def test_demo_reuses_its_own_folder_and_keeps_other_files(tmp_path):
    d = tmp_path / "demo"
    d.mkdir()
    (d / MARKER).write_text("x", encoding="utf-8")
    (d / "report.html").write_text("old", encoding="utf-8")
    (d / "my-notes.txt").write_text("keep", encoding="utf-8")
    prepare_directory(d)
    assert not (d / "report.html").exists() and not (d / MARKER).exists()
    assert (d / "my-notes.txt").read_text(encoding="utf-8") == "keep"


# --------------------------------------------------------------------------------------------
# The demo end to end
# --------------------------------------------------------------------------------------------
def _run(directory, **kwargs):
    import io

    from rich.console import Console

    buf = io.StringIO()
    result = run_demo(directory, console=Console(file=buf, width=200, color_system=None), **kwargs)
    return result, buf.getvalue()


_BATCH = re.compile(r"Batch +(\d+): screened +(\d+)/(\d+), includes found +(\d+), (.*)")


def _check_printed_numbers_against_the_project(result, out):
    """Every number the demo printed is what the project's decision log says."""
    assert SAMPLE_NOTICE in out
    assert re.search(r"Records identified\s+│\s+480", out) and re.search(r"Duplicates removed\s+│\s+137", out)
    assert re.search(r"Records to screen\s+│\s+343", out)
    for src, n in (("MEDLINE", 162), ("APA PsycInfo", 156), ("Scopus", 162)):
        assert re.search(rf"{src}\s+│\s+{n}", out)
    lines = _BATCH.findall(out)
    assert len(lines) == len(result.batches) >= 1
    with Project.open(result.directory) as project:
        log = project.current_decisions()
        decisions = log["decision"].tolist()
        truth = sample_decisions(project, SAMPLE_DIR / "labels.csv")
        assert project.settings["sample_data"] is True
        # every decision the simulated reviewer made is the sample's label for that study
        assert all(truth[rid] == d for rid, d in log["decision"].items())
        assert set(log["reviewer"]) == {"demo reviewer"}
        for (batch, screened, total, found, rest), row in zip(lines, result.batches):
            assert int(total) == 343
            assert int(screened) == row.screened
            assert int(found) == row.includes_found == decisions[: int(screened)].count("include")
            if row.recall == row.recall:
                assert f"estimated recall {100 * row.recall:.0f}%" in rest
        assert result.screened == len(log)
        assert result.includes_found == int((log["decision"] == "include").sum())
        assert result.includes_in_sample == 9
    assert result.report_path.is_file() and result.plot_path.is_file()
    assert result.plot_path.read_bytes()[:4] == b"\x89PNG"
    html = result.report_path.read_text(encoding="utf-8")
    assert "ILLUSTRATIVE SAMPLE DATA, NOT A REAL SEARCH" in html
    assert f"(n = {result.screened})" in html
    assert "screener import" in out and "screener report" in out  # the next steps for the user's own review


@pytest.mark.slow
def test_demo_two_batches(tmp_path):
    result, out = _run(tmp_path / "demo", batch_size=20, max_batches=2)
    assert [b.screened for b in result.batches] == [20, 40]
    assert "Stopped after 2 batches as asked" in out  # it read "2 batch(es)"
    assert not result.stopped
    _check_printed_numbers_against_the_project(result, out)
    # the cold start works: the protocol puts includes in the first batch
    assert result.batches[0].includes_found >= 2


@pytest.mark.slow
def test_demo_runs_to_the_stopping_rule(tmp_path):
    result, out = _run(tmp_path / "demo")
    _check_printed_numbers_against_the_project(result, out)
    last = result.batches[-1]
    assert last.stop or last.screened == 343
    assert result.stopped == last.stop
    assert result.includes_found >= 8  # a working ranker finds (nearly) all nine
    assert "Stopping advice" in out
    # issue 13: it stops before the end of the queue and says why, in plain words
    assert last.stop and last.screened < 343
    flat = " ".join(out.split())
    assert "Why stop here:" in flat and "assumption" in flat and "To be sure" in flat


@pytest.mark.slow
def test_cli_demo_and_report(tmp_path):
    from typer.testing import CliRunner

    from screener.cli import app

    runner = CliRunner()
    d = tmp_path / "cli-demo"
    res = runner.invoke(app, ["demo", str(d), "--batch-size", "15", "--max-batches", "1"])
    assert res.exit_code == 0, res.output
    assert "Batch  1: screened  15/343" in res.output
    assert "Stopped after 1 batch as asked" in " ".join(res.output.split())  # it read "1 batch(es)"
    # the 343 are the PRISMA table's "Records to screen" just above: it read "9 of these 343 studies are includes"
    assert "The sample's labels say 9 of these 343 records to screen are includes" in " ".join(res.output.split())
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(d), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "(n = 15)" in out.read_text(encoding="utf-8")
    # a folder that is not a demo is refused with a message, not a traceback
    other = tmp_path / "mine"
    other.mkdir()
    (other / "x.txt").write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["demo", str(other)])
    assert res.exit_code == 1 and "not a screener demo folder" in res.output


def test_next_steps_name_real_commands():
    from screener.cli import app
    from screener.demo import NEXT_STEPS

    registered = {c.name or c.callback.__name__.rstrip("_").replace("_", "-") for c in app.registered_commands}
    for line in NEXT_STEPS:
        for cmd in re.findall(r"\bscreener ([a-z][\w-]*)", line):
            assert cmd in registered, f"the demo suggests 'screener {cmd}', which does not exist"
