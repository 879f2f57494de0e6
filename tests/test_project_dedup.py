"""De-duplication inside a project: imports compare new records with the project (same groups as
a full run), uncertain pairs listed, a reviewer's merge / keep-apart logged and kept."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pytest
import pandas as pd
from cli_steps import exclude_the_rest_unread
from typer.testing import CliRunner

from screener.cli import app
from screener.project import Project

runner = CliRunner()


#: Two studies at one volume and first page of one journal: de-duplication lists them as possible duplicates.
_COLCHICINE = {"title": "Colchicine prevents early post-operative pericardial effusions", "author": "Imazio, M.",
               "year": 2011, "volume": "32", "pages": "597"}
_SYNDROME = {"title": "Post-pericardiotomy syndrome: contemporary features and prognosis", "author": "Imazio, M.",
             "year": 2011, "volume": "32", "pages": "597"}


def _two_studies_at_one_page(tmp_path):
    """A project of ``_COLCHICINE`` and ``_SYNDROME``, imported from one file: (its folder, the import's result)."""
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", [_COLCHICINE, _SYNDROME]))])
    assert r.exit_code == 0, r.output
    return d, r


def _ris(path, records):
    lines = []
    for r in records:
        lines += ["TY  - JOUR", f"TI  - {r['title']}", f"AU  - {r['author']}", f"PY  - {r['year']}",
                  f"T2  - {r.get('journal', 'Journal of Tests')}"]
        for tag, key in (("VL", "volume"), ("IS", "issue"), ("SP", "pages"), ("DO", "doi")):
            if r.get(key):
                lines.append(f"{tag}  - {r[key]}")
        lines.append("ER  - ")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _batch(rng, n, start, *, copies_of=()):
    """n records; some are altered copies of ``copies_of`` (other databases' versions)."""
    words = "pleural effusion talc bleomycin trial randomized survival lung cancer drainage catheter " \
            "empyema children thoracoscopy fibrinolysis streptokinase outcome cohort".split()
    out = []
    for k in range(n):
        if copies_of and rng.random() < 0.4:
            src = dict(copies_of[int(rng.integers(0, len(copies_of)))])
            if rng.random() < 0.5:
                src["title"] = src["title"].upper()
            if rng.random() < 0.3:
                src["title"] += ".[Erratum appears in J Tests. 2011;3:4]"
            if rng.random() < 0.3:
                src["pages"] = None
            out.append(src)
            continue
        title = " ".join(rng.choice(words, size=9)).capitalize() + f" {start + k}"
        out.append({"title": title, "author": f"Author{int(rng.integers(0, 30))}, A.",
                    "year": int(rng.integers(2000, 2003)), "volume": str(int(rng.integers(1, 4))),
                    "issue": str(int(rng.integers(1, 3))), "pages": f"{int(rng.integers(1, 40)) * 10}-{400}"})
    # a recurring column and a companion paper, the trouble cases
    out.append({"title": "Editor's comments", "author": "Weber, Ron", "year": 2001, "volume": str(start % 3 + 1),
                "issue": "1"})
    return out


def test_import_compares_new_records_with_the_project_and_matches_a_full_run(tmp_path):
    rng = np.random.default_rng(3)
    first = _batch(rng, 60, 0)
    second = _batch(rng, 25, 100, copies_of=first)
    third = _batch(rng, 10, 200, copies_of=first + second)
    files = [_ris(tmp_path / f"part{i}.ris", b) for i, b in enumerate((first, second, third))]
    p = Project.init(tmp_path / "inc")
    for f in files:
        p.import_files([f])
    incremental = p.store.duplicate_groups_frame()
    review_inc = p.store.duplicate_review_frame()
    full = p.deduplicate()
    assert (~full["is_primary"]).sum() > 5  # the copies were found
    pd.testing.assert_frame_equal(incremental.reset_index(drop=True), full.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(review_inc, p.store.duplicate_review_frame())
    p.close()


def test_reviewer_merge_and_keep_apart_are_logged_and_survive_new_imports(tmp_path):
    recs = [
        _COLCHICINE,
        _SYNDROME,
        {"title": "A trial of talc", "author": "Smith, J.", "year": 2011, "volume": "3", "pages": "10-19"},
    ]
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", recs))])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["dedup", str(d)])
    assert "1 pair of records may be duplicates but was kept apart; check it with" in " ".join(r.output.split())
    r = runner.invoke(app, ["dedup", str(d), "--review"])
    assert r.exit_code == 0, r.output
    assert "1 pair of records may be the same study but was kept apart. Decide it with" in " ".join(r.output.split())
    assert "Records 1 and 2" in r.output and "vol. 32" in r.output
    said = " ".join(r.output.split())  # the whole command, for the pair's own ids
    assert f"Decide it with 'screener dedup {d} --merge 1,2' (one study) or 'screener dedup {d} --keep-apart 1,2' " \
           "(different studies)" in said, said
    r = runner.invoke(app, ["dedup", str(d), "--merge", "1,2", "--reviewer", "ana"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        g = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        assert g[1] == g[2]
        log = p.store.dedup_decisions_frame()
        assert log[["record_id", "other_id", "decision", "reviewer"]].values.tolist() == [[1, 2, "merge", "ana"]]
        assert p.store.duplicate_review_frame().empty
    # a later import keeps the reviewer's word; then the reviewer changes their mind
    more = [{"title": "A trial of talc in effusions", "author": "Other, B.", "year": 2015}]
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "b.ris", more))]).exit_code == 0
    with Project.open(d) as p:
        g = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        assert g[1] == g[2]
    r = runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        g = p.store.duplicate_groups_frame().set_index("record_id")["group_id"]
        assert g[1] != g[2]
        assert p.store.dedup_decisions_frame()["decision"].tolist() == ["merge", "separate"]


def test_bad_pair_arguments_get_a_message(tmp_path):
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", [
        {"title": "A trial of talc", "author": "Smith, J.", "year": 2011}]))])
    for args, words in ((["--merge", "1"], "two record ids"), (["--merge", "1,99"], "no record with id 99"),
                        (["--keep-apart", "1,1"], "given twice")):
        r = runner.invoke(app, ["dedup", str(d), *args])
        assert r.exit_code != 0 and words in r.output, r.output
        assert "Traceback" not in r.output


_TRIPLICATE = [
    {"title": "Sexual confidence: CBT for social anxiety disorder with HIV risk reduction", "author": "Hart, T. A.",
     "year": 2020},
    *[{"title": "Design of a syndemic based intervention to facilitate care for men who have sex with men",
       "author": "Dijkstra, M.", "year": 2017, "volume": "17", "pages": "398"} for _ in range(3)],
]


def _groups(d) -> dict[int, int]:
    with Project.open(d) as p:
        return p.store.duplicate_groups_frame().set_index("record_id")["group_id"].to_dict()


def test_cli_merge_into_a_group_keeps_the_group_and_names_every_record(tmp_path):
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _TRIPLICATE))]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 2, 3: 2, 4: 2}
    r = runner.invoke(app, ["dedup", str(d), "--merge", "1,2"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Records 1, 2, 3 and 4 are now one study (logged)" in out
    assert "Record 1 joined the group of records 2, 3 and 4" in out and "years 2017 and 2020" in out
    assert _groups(d) == {1: 1, 2: 1, 3: 1, 4: 1}


def test_cli_keep_apart_undoing_a_mistaken_merge_names_each_study_as_it_is_now(tmp_path):
    """A reviewer's merge of record 1 into the group of 2, 3 and 4, undone with --keep-apart 1,2, said "records 1,
    2, 3 and 4 are one study, records 1, 2, 3 and 4 the other": the groups before the command, one study then. It
    names the two studies the command leaves."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _TRIPLICATE))]).exit_code == 0
    assert runner.invoke(app, ["dedup", str(d), "--merge", "1,2"]).exit_code == 0
    r = runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"])
    assert r.exit_code == 0, r.output
    assert _groups(d) == {1: 1, 2: 2, 3: 2, 4: 2}
    said = " ".join(r.output.split())
    assert ("Records 1 and 2: different studies (logged), every copy of each: record 1 is one study, records 2, 3 "
            "and 4 the other.") in said, said


def test_cli_merge_that_would_undo_a_keep_apart_is_refused_before_logging(tmp_path):
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _TRIPLICATE))]).exit_code == 0
    assert runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,4"]).exit_code == 0
    r = runner.invoke(app, ["dedup", str(d), "--merge", "1,2"])
    out = " ".join(r.output.split())
    assert r.exit_code != 0 and "nothing was changed" in out and "records 1 and 4 are different studies" in out, out
    assert runner.invoke(app, ["dedup", str(d), "--split", "3"]).exit_code == 0
    # record 3 is not the study of 2 and 4; nothing said it is not record 1's
    r = runner.invoke(app, ["dedup", str(d), "--merge", "1,3"])
    assert r.exit_code == 0 and "Records 1 and 3 are now one study" in " ".join(r.output.split()), r.output
    assert _groups(d) == {1: 1, 2: 2, 3: 1, 4: 2}
    # undoing the split (3 with 2) would put 1 with 4, which a reviewer kept apart
    r = runner.invoke(app, ["dedup", str(d), "--merge", "2,3"])
    out = " ".join(r.output.split())
    assert r.exit_code != 0 and "nothing was changed" in out and "records 1 and 4 are different studies" in out, out
    with Project.open(d) as p:
        assert p.store.dedup_decisions_frame()["decision"].tolist() == ["separate", "split", "split", "merge"]
    assert _groups(d) == {1: 1, 2: 2, 3: 1, 4: 2}


def test_cli_split_of_a_record_in_no_group_is_refused_and_its_later_copies_still_group(tmp_path):
    """A reviewer split record 3, which was in no duplicate group (a mistyped id): told it was
    'taken out of its duplicate group', with a decision 'no longer its former group's'. The split
    was kept for good, so the update search's copy of record 3 (same DOI) was never grouped with
    it: one more record to screen, one duplicate fewer in PRISMA, and no way to merge them."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    three = [{"title": "Peer workers in supervised consumption sites", "author": "Lee, A.", "year": 2019,
              "doi": "10.1000/peer.1"},
             {"title": "PEER WORKERS IN SUPERVISED CONSUMPTION SITES", "author": "Lee, A.", "year": 2019,
              "doi": "10.1000/peer.1"},
             {"title": "Exercise for depression in older adults", "author": "Kim, B.", "year": 2018,
              "doi": "10.1000/ex.2"}]
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", three))]).exit_code == 0
    with Project.open(d) as p:
        p.decide(3, "exclude")
    r = runner.invoke(app, ["dedup", str(d), "--split", "3"])
    out = " ".join(r.output.split())
    assert r.exit_code != 0 and "record 3 is not in a duplicate group" in out and "nothing was changed" in out, out
    assert "former group" not in out
    with Project.open(d) as p:
        assert p.split_records() == set() and p.store.dedup_decisions_frame().empty
    update = _ris(tmp_path / "update.ris", [three[2]])
    assert runner.invoke(app, ["import", str(d), str(update), "--source", "Scopus"]).exit_code == 0
    assert _groups(d)[4] == _groups(d)[3]  # the update's copy is one study with record 3
    with Project.open(d) as p:
        c = p.prisma_counts()
        assert (c["identified"], c["duplicates_removed"], c["not_screened"]) == (4, 2, 1)
    # a record in a group is still taken out, and taking it out again is refused the same way
    r = runner.invoke(app, ["dedup", str(d), "--split", "4"])
    out = " ".join(r.output.split())  # it read 'Took record(s) 4 out of their duplicate group: it is kept apart'
    assert r.exit_code == 0 and "Took record 4 out of its duplicate group: it is kept apart" in out, out
    r = runner.invoke(app, ["dedup", str(d), "--split", "4"])
    assert r.exit_code != 0 and "record 4 is not in a duplicate group" in " ".join(r.output.split()), r.output



def test_cli_split_of_two_records_of_one_group_names_one_group(tmp_path):
    """'dedup --split 3 --split 4', both of the group of records 2, 3 and 4, said 'Took records 3, 4 out of their
    duplicate groups: they are kept apart from the records of those groups', as if two groups had been split."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _TRIPLICATE))]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 2, 3: 2, 4: 2}
    r = runner.invoke(app, ["dedup", str(d), "--split", "3", "--split", "4"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and ("Took records 3 and 4 out of their duplicate group: they are kept apart from the "
                                 "records of that group from now on") in out, out
    assert "groups" not in out, out


_ARTICLE = "Peer workers in supervised consumption sites: outcomes of a program"


def _an_article_twice_and_another_study(tmp_path):
    """A project of ``_ARTICLE`` from two databases (records 1 and 2, one study by their DOI) and another study
    (record 3), imported from one file: its folder."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    three = [{"title": _ARTICLE, "author": "Lee, A.", "year": 2019, "doi": "10.1000/peer.1"},
             {"title": _ARTICLE.upper(), "author": "Lee, A.", "year": 2019, "doi": "10.1000/peer.1"},
             {"title": "Exercise for depression in older adults", "author": "Kim, B.", "year": 2018}]
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", three))]).exit_code == 0
    return d
#: Records 1 and 2 are the article (PubMed, Embase: volume and pages, no DOI); record 3 is a
#: report of another study under the same title and author, with its own DOI, grouped with them on the title.
_ABSTRACT_AND_ARTICLE = [
    {"title": _ARTICLE, "author": "Lee, A.", "year": 2019, "volume": "12", "pages": "100-110"},
    {"title": _ARTICLE.upper(), "author": "Lee, A.", "year": 2019, "volume": "12", "pages": "100-110"},
    {"title": _ARTICLE, "author": "Lee, A.", "year": 2019, "doi": "10.1000/conf.77"},
    {"title": "Exercise for depression in older adults", "author": "Kim, B.", "year": 2018},
]


def _reasons(d) -> dict[int, str]:
    with Project.open(d) as p:
        return p.store.duplicate_groups_frame().set_index("record_id")["reason"].to_dict()


def test_cli_split_record_groups_with_its_own_later_copies_never_with_its_former_group(tmp_path):
    """Record 3 (a conference abstract) was split from the article's group (1, 2). The split kept
    record 3 alone for good: the update search's copy of the abstract (same DOI) was not grouped
    with it but joined the article through its title, so the abstract was screened as the article
    and the article's group still explained itself through record 3."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _ABSTRACT_AND_ARTICLE))]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 1, 3: 1, 4: 4}
    r = runner.invoke(app, ["dedup", str(d), "--split", "3"])
    assert r.exit_code == 0, r.output
    assert _groups(d) == {1: 1, 2: 1, 3: 3, 4: 4}
    # 5: a copy of record 3 (its DOI), 6: a copy of the article
    update = _ris(tmp_path / "update.ris", [_ABSTRACT_AND_ARTICLE[2], _ABSTRACT_AND_ARTICLE[0]])
    assert runner.invoke(app, ["import", str(d), str(update), "--source", "Scopus"]).exit_code == 0
    g = _groups(d)
    assert g[5] == g[3] and g[6] == g[1] == g[2] and g[3] != g[1], g
    reasons = _reasons(d)
    assert not any("record 3" in reasons[r] or "record 5" in reasons[r] for r in (1, 2, 6)), reasons
    with Project.open(d) as p:
        c = p.prisma_counts()
        assert (c["identified"], c["duplicates_removed"]) == (6, 3)
        p.deduplicate()  # a full run agrees
    assert _groups(d) == g


def test_cli_report_after_a_split_counts_and_explains_the_records_left(tmp_path):
    """Split out of a group of three, the group of two was still reported as 'primary of 3
    records', and a record brought in through the split record kept 'same title ... as record 3'."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    three = [{"title": _ARTICLE, "author": "Lee, A.", "year": 2019, "doi": "10.1000/peer.1"},
             {"title": _ARTICLE.upper(), "author": "Lee, A.", "year": 2019, "doi": "10.1000/peer.1"},
             {"title": _ARTICLE, "author": "Lee, A.", "year": 2019},
             {"title": "Exercise for depression in older adults", "author": "Kim, B.", "year": 2018}]
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", three))]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 1, 3: 1, 4: 4}
    r = runner.invoke(app, ["dedup", str(d), "--split", "3", "--report"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "primary of 2 records" in out and "primary of 3 records" not in out, out
    assert not any("record 3" in why for rid, why in _reasons(d).items() if rid != 3)


def test_split_of_the_primary_gives_the_rest_a_new_primary_and_each_its_own_decisions(tmp_path):
    """The record shown for the study (3, the most complete) is split off: the records left get a
    primary of their own and keep the decision made on one of them (ben's exclude on record 1);
    record 3 keeps ana's include, made on it."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _ABSTRACT_AND_ARTICLE))]).exit_code == 0
    with Project.open(d) as p:
        assert p.store.primary_map().get(1) == 3
        p.decide(1, "exclude", reviewer="ben")
        p.decide(3, "include", reviewer="ana")
        assert p.current_decisions().loc[3, "decision"] == "include"
    r = runner.invoke(app, ["dedup", str(d), "--split", "3"])
    assert r.exit_code == 0 and "Record 3 keeps the decisions made on it" in " ".join(r.output.split()), r.output
    assert _groups(d) == {1: 1, 2: 1, 3: 3, 4: 4}
    with Project.open(d) as p:
        groups = p.store.duplicate_groups_frame().set_index("record_id")
        assert groups.loc[[1, 2], "is_primary"].sum() == 1 and groups.loc[3, "is_primary"]
        primary = 1 if groups.loc[1, "is_primary"] else 2
        assert groups.loc[primary, "reason"].startswith("primary of 2 records")
        cur = p.current_decisions()
        assert cur.loc[3, ["decision", "reviewer"]].tolist() == ["include", "ana"]
        assert cur.loc[primary, ["decision", "reviewer"]].tolist() == ["exclude", "ben"]
        assert len(cur) == 2


def test_cli_merge_after_a_split_undoes_it_with_the_split_records_copies(tmp_path):
    """After a split, a merge naming the split record was refused ('a split cannot be undone from
    the command line yet'). The merge now undoes the split: the record, and its own later copies,
    join the group again."""
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", _ABSTRACT_AND_ARTICLE))]).exit_code == 0
    assert runner.invoke(app, ["dedup", str(d), "--split", "3"]).exit_code == 0
    update = _ris(tmp_path / "update.ris", [_ABSTRACT_AND_ARTICLE[2]])  # 5: the abstract's copy
    assert runner.invoke(app, ["import", str(d), str(update), "--source", "Scopus"]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 1, 3: 3, 4: 4, 5: 3}
    r = runner.invoke(app, ["dedup", str(d), "--merge", "2,5"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "Records 1, 2, 3 and 5 are now one study" in out and "--split 3" in out, out
    assert _groups(d) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 1}
    with Project.open(d) as p:
        p.deduplicate()
    assert _groups(d) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 1}


def test_split_of_the_record_joining_two_others_says_they_are_now_apart(tmp_path):
    """Records 1 and 2 (same title, other volumes and pages) were one group only through record 3:
    taken out, they are two studies, and the reviewer is told how to join them if they are one."""
    d = tmp_path / "rev"
    recs = [{"title": _ARTICLE, "author": "Lee, A.", "year": 2019, "doi": "10.1000/peer.1"},
            {"title": "Supervised consumption sites and their peer workers: program outcomes", "author": "Lee, A.",
             "year": 2019, "volume": "12", "pages": "100-110"},
            {"title": _ARTICLE, "author": "Lee, A.", "year": 2019, "volume": "12", "pages": "100-110"}]
    runner.invoke(app, ["init", str(d)])
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", recs))]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 1, 3: 1}
    r = runner.invoke(app, ["dedup", str(d), "--split", "3"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "records 1, 2 were one study only through the record taken out" in out.lower(), out
    assert "--merge 1,2" in out
    assert _groups(d) == {1: 1, 2: 2, 3: 3}


def test_cli_second_merge_is_checked_against_the_groups_the_first_made(tmp_path):
    d = tmp_path / "rev"
    runner.invoke(app, ["init", str(d)])
    four = [{"title": t, "author": a, "year": y} for t, a, y in (
        ("Peer workers in needle exchange services", "Ames, B.", 2015),
        ("Naloxone distribution by peers in shelters", "Bell, C.", 2017),
        ("Lived experience and opioid treatment staff", "Cruz, D.", 2019),
        ("Supervised consumption site staffing", "Diaz, E.", 2021))]
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "four.ris", four))]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 2, 3: 3, 4: 4}
    assert runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,3"]).exit_code == 0
    r = runner.invoke(app, ["dedup", str(d), "--merge", "1,2", "--merge", "2,3"])  # 2,3 would join 1 and 3
    out = " ".join(r.output.split())
    assert r.exit_code != 0 and "records 2 and 3 were not merged (nothing was changed)" in out, out
    assert "records 1 and 3 are different studies" in out and "now one study" not in out
    with Project.open(d) as p:
        assert p.store.dedup_decisions_frame()["decision"].tolist() == ["separate"]  # the first merge rolled back
    assert _groups(d) == {1: 1, 2: 2, 3: 3, 4: 4}


def _two_studies(tmp_path, mode="single"):
    """Two records de-duplication keeps apart (the second's title is a little different and it
    has no year), so a reviewer can decide each before merging them."""
    f = _ris(tmp_path / "a.ris", [
        {"title": "Peer workers in supervised consumption sites: a qualitative study", "author": "Lee, A.",
         "year": 2019, "doi": "10.1000/peer.1"},
        {"title": "Peer workers at supervised consumption sites, a qualitative interview study",
         "author": "Lee, A.", "year": 2020},
        {"title": "Exercise for depression in older adults", "author": "Kim, B.", "year": 2018}])
    p = Project.init(tmp_path / "review", settings={"mode": mode})
    p.import_files([f])
    assert len(p.records_frame()) == 3  # kept apart: two studies
    return p


def test_merging_two_studies_decided_differently_keeps_the_include_and_says_so(tmp_path):
    """The merged study took the latest decision: an exclude entered after the include on the
    other copy dropped an include from the review, without a word."""
    p = _two_studies(tmp_path)
    p.decide(1, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ben")
    notes = []
    p.decide_duplicates(1, 2, "merge", notes=notes)
    cur = p.current_decisions()
    assert len(cur) == 1 and cur["decision"].iloc[0] == "include" and cur["reviewer"].iloc[0] == "ana"
    # each record's own decision: '(exclude, include)' read as record 1 exclude, record 2 include
    assert notes == ["records 1, 2 are one study (duplicates) with different decisions (record 1: include, "
                     "record 2: exclude): 'include' is kept for the study (change it with 'screener label' if that "
                     "is wrong)."]
    last = p.decision_log().iloc[-1]
    assert last.origin == "dedup" and "record 1: include" in last.note and "record 2: exclude" in last.note


def test_merging_studies_that_agree_adds_nothing(tmp_path):
    p = _two_studies(tmp_path)
    p.decide(1, "exclude")
    p.decide(2, "exclude")
    notes = []
    p.decide_duplicates(1, 2, "merge", notes=notes)
    assert notes == [] and len(p.decision_log()) == 2


def test_cli_merge_names_the_decisions_kept(tmp_path):
    p = _two_studies(tmp_path)
    p.decide(2, "include")
    p.decide(1, "exclude")
    p.close()
    r = runner.invoke(app, ["dedup", str(tmp_path / "review"), "--merge", "1,2"])
    assert r.exit_code == 0, r.output
    assert "Records 1, 2 are one study (duplicates) with different decisions" in " ".join(r.output.split())
    with Project.open(tmp_path / "review") as p:
        assert p.current_decisions()["decision"].tolist() == ["include"]


def test_dual_merge_settles_each_reviewers_own_decisions_without_telling_them(tmp_path):
    """Dual screening: ana included one copy and excluded the other; ben excluded both. After the
    merge ana's include stands (not whichever she entered last), so the reviewers disagree
    and the study is a conflict, and the note says no one's decisions."""
    p = _two_studies(tmp_path, mode="dual")
    p.decide(1, "include", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben")
    p.decide(2, "exclude", reviewer="ben")
    p.decide(2, "exclude", reviewer="ana")
    notes = []
    p.decide_duplicates(1, 2, "merge", notes=notes)
    mine = p.current_decisions(reviewer="ana")
    assert mine["decision"].tolist() == ["include"]
    assert sorted(p.conflicts()["decision"]) == ["exclude", "include"]
    said = ["records that had decisions were joined into one study; each reviewer's most inclusive decision on "
            "the copies is kept (include, then maybe, then exclude)."]
    assert notes == said
    # the same words where no one decided the copies differently: the note tells no one anything
    (tmp_path / "agree").mkdir()
    q = _two_studies(tmp_path / "agree", mode="dual")
    q.decide(1, "exclude", reviewer="ben")
    q.decide(2, "exclude", reviewer="ben")
    notes = []
    q.decide_duplicates(1, 2, "merge", notes=notes)
    assert notes == said


@pytest.mark.parametrize("mode", ["single", "dual"])
def test_a_merge_with_a_copy_whose_decision_was_withdrawn_keeps_the_decision(tmp_path, mode):
    """Ana included record 1, and excluded then withdrew record 2 (not yet known as a copy).
    After the merge her withdrawal, read as one on the whole study, took her include away."""
    p = _two_studies(tmp_path, mode=mode)
    p.decide(1, "include", reviewer="ana")
    if mode == "dual":
        p.decide(1, "include", reviewer="ben")
    p.decide(2, "exclude", reviewer="ana")
    p.undo(2, reviewer="ana")
    p.decide_duplicates(1, 2, "merge", notes=[])
    assert p.current_decisions()["decision"].tolist() == ["include"]
    assert p.current_decisions(reviewer="ana")["decision"].tolist() == ["include"]
    assert "whose decision was withdrawn" in p.decision_log()["note"].iloc[-1]


@pytest.mark.parametrize("how", ["split", "separate"])
def test_records_taken_apart_after_a_merge_get_their_own_decisions_back(tmp_path, how):
    """The include kept for a merged study was logged on its first record; taken apart again,
    that record kept 'include by ben', though ben never decided it and ana had excluded it."""
    p = _two_studies(tmp_path)
    p.decide(1, "exclude", reviewer="ana")
    p.decide(2, "include", reviewer="ben")
    p.decide_duplicates(1, 2, "merge", notes=[])
    assert p.current_decisions()["decision"].tolist() == ["include"]
    if how == "split":
        p.split_duplicates([2])
    else:
        p.decide_duplicates(1, 2, "separate", notes=[])
    cur = p.current_decisions()
    assert cur.loc[1, ["decision", "reviewer"]].tolist() == ["exclude", "ana"]
    assert cur.loc[2, ["decision", "reviewer"]].tolist() == ["include", "ben"]


def test_import_of_a_copy_with_another_decision_keeps_the_reviewers_include(tmp_path):
    """A second import whose label column excluded a copy of a study the reviewer had included:
    the import's exclude, entered last, replaced the include without a word."""
    p = _two_studies(tmp_path)
    p.decide(3, "include", reviewer="ana")
    csv = tmp_path / "labelled.csv"
    csv.write_text("Title,Authors,Year,Included\nExercise for depression in older adults,\"Kim, B.\",2018,0\n"
                   "Sleep hygiene education in students,\"Ng, C.\",2020,0\n")
    summary = p.import_files([csv])
    cur = p.current_decisions()
    assert cur.loc[3, "decision"] == "include" and cur.loc[3, "reviewer"] == "ana"
    assert (cur["decision"] == "exclude").sum() == 1  # the new study's own label
    assert any("records 3, 4 are one study" in w and "'include' is kept" in w for w in summary.warnings), \
        summary.warnings


def test_a_split_after_a_mistaken_merge_leaves_no_copy_of_the_other_study_joined(tmp_path):
    """Records 1 and 2 are one study (same DOI), 3 and 4 another. A reviewer merged 1 with 3 by
    mistake, then took 3 out again. The merge pair still joined the groups on every later run,
    so 4 (3's copy) stayed one study with 1 and 2: two different studies read as one."""
    f = _ris(tmp_path / "a.ris", [
        {"title": "Peer workers in supervised consumption sites", "author": "Lee, A.", "year": 2019,
         "doi": "10.1000/peer.1"},
        {"title": "PEER WORKERS IN SUPERVISED CONSUMPTION SITES", "author": "Lee, A.", "year": 2019,
         "doi": "10.1000/peer.1"},
        {"title": "Exercise for depression in older adults", "author": "Kim, B.", "year": 2018,
         "doi": "10.1000/ex.2"},
        {"title": "EXERCISE FOR DEPRESSION IN OLDER ADULTS", "author": "Kim, B.", "year": 2018,
         "doi": "10.1000/ex.2"}])
    p = Project.init(tmp_path / "review")
    p.import_files([f])
    p.decide_duplicates(1, 3, "merge")
    p.split_duplicates([3])

    def studies():
        g = p.store.duplicate_groups_frame()
        return sorted(sorted(int(r) for r in m) for _, m in g.groupby("group_id")["record_id"])

    after_split = studies()
    assert [1, 2] in after_split and not any(4 in s and 1 in s for s in after_split), after_split
    p.deduplicate()  # a later full run agrees with what the split gave
    assert studies() == after_split
    p.deduplicate(new_ids=[4])  # and so does an incremental one
    assert studies() == after_split


def test_dual_copies_settled_differently_keep_the_most_inclusive_settled_decision(tmp_path):
    """Dual screening: rita settled one copy as include, sam later settled the other as exclude.
    Joined, the later settlement won (an include dropped without a word), though every other
    join keeps the most inclusive decision."""
    p = _two_studies(tmp_path, mode="dual")
    for rid, settled, by in ((1, "include", "rita"), (2, "exclude", "sam")):
        p.decide(rid, "include", reviewer="ana")
        p.decide(rid, "exclude", reviewer="ben")
        p.decide(rid, settled, reviewer=by, role="resolver")
    assert p.current_decisions()["decision"].tolist() == ["include", "exclude"]
    p.decide_duplicates(1, 2, "merge", notes=[])
    cur = p.current_decisions()
    assert cur["decision"].tolist() == ["include"] and cur["reviewer"].tolist() == ["rita"]
    assert p.conflicts().empty


def test_dual_copy_settled_by_the_import_and_by_a_resolver_keeps_the_include(tmp_path):
    p = _two_studies(tmp_path, mode="dual")
    from screener.store import Decision
    p.store.append_decisions([Decision(record_id=1, decision="include", reviewer="imported", origin="import",
                                       role="resolver")])
    p.decide(2, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ben")
    p.decide(2, "exclude", reviewer="sam", role="resolver")
    p.decide_duplicates(1, 2, "merge", notes=[])
    assert p.current_decisions()["decision"].tolist() == ["include"]


def test_dual_merge_of_copies_the_import_decided_in_an_older_log_adds_no_third_reviewer(tmp_path):
    """A log from before imported decisions were the team's holds them as reviewer 'imported'.
    Copies it decided differently, joined, got the include entered again as that reviewer's with
    the merge as its origin, which read as a third reviewer's vote (a conflict with no one's
    screening, and one 'reviewer' more for blinding)."""
    from screener.store import Decision

    p = _two_studies(tmp_path, mode="dual")
    p.store.append_decisions([Decision(record_id=r, decision=d, reviewer="imported", origin="import")
                              for r, d in ((1, "include"), (2, "exclude"))])
    p.decide_duplicates(1, 2, "merge", notes=[])
    assert p.current_decisions()["decision"].tolist() == ["include"]
    assert "imported" not in set(p.reviewer_decisions().query("role == 'reviewer'")["reviewer"])
    assert p.conflicts().empty
    p.decide(1, "include", reviewer="ana")
    assert p.reviewer_decisions().query("role == 'reviewer'")["reviewer"].tolist() == ["ana"]
    assert p.current_decisions()["decision"].tolist() == ["include"]


def test_dual_merge_leaves_a_settled_conflict_settled_when_no_decision_changed(tmp_path):
    """Ana included record 1 and excluded its copy, record 2; ben excluded record 1; rita settled
    it as include. Joined, ana's include was entered again after rita's decision and read as a
    change of mind: the conflict opened again though nobody's decision had changed."""
    p = _two_studies(tmp_path, mode="dual")
    p.decide(1, "include", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben")
    p.decide(2, "exclude", reviewer="ana")
    p.decide(1, "include", reviewer="rita", role="resolver")
    p.decide_duplicates(1, 2, "merge", notes=[])
    cur = p.current_decisions()
    assert cur["decision"].tolist() == ["include"] and cur["reviewer"].tolist() == ["rita"]
    assert p.conflicts().empty
    # a decision that does change after the join still opens it again
    p.decide(1, "exclude", reviewer="ana")
    assert p.current_decisions()["decision"].tolist() == ["exclude"]  # ana and ben agree now


@pytest.mark.parametrize("how", ["split", "separate"])
def test_a_withdrawal_after_a_merge_stays_with_its_record_when_taken_apart(tmp_path, how):
    """Ben's decision was on record 2; withdrawn after the merge (on the study, record 1), the
    withdrawal was logged on record 1, so taken apart again, record 2 had ben's decision back."""
    p = _two_studies(tmp_path)
    p.decide(2, "exclude", reviewer="ben")
    p.decide_duplicates(1, 2, "merge", notes=[])
    p.undo(1, reviewer="ben")
    assert p.current_decisions().empty
    if how == "split":
        p.split_duplicates([2])
    else:
        p.decide_duplicates(1, 2, "separate", notes=[])
    assert p.current_decisions().empty


def test_dual_join_does_not_revive_a_settled_decision_a_reviewer_overturned(tmp_path):
    """Rita settled record 1 as include; ana then changed to exclude, so record 1 read agreed
    exclude. Sam settled record 2, a copy, as exclude. Joined, rita's overturned include was
    kept as the most inclusive settled decision: the study read include, though it read
    exclude on both copies."""
    p = _two_studies(tmp_path, mode="dual")
    p.decide(1, "include", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben")
    p.decide(1, "include", reviewer="rita", role="resolver")
    p.decide(1, "exclude", reviewer="ana")
    p.decide(2, "include", reviewer="ana")
    p.decide(2, "exclude", reviewer="ben")
    p.decide(2, "exclude", reviewer="sam", role="resolver")
    assert p.current_decisions()["decision"].tolist() == ["exclude", "exclude"]
    p.decide_duplicates(1, 2, "merge", notes=[])
    cur = p.current_decisions()
    assert cur["decision"].tolist() == ["exclude"] and cur["reviewer"].tolist() == ["sam"]


def test_dual_import_of_a_copy_does_not_revive_an_import_label_the_team_overturned(tmp_path):
    """The first file labelled a study include; both reviewers excluded it (their agreement
    stands over the label). A second database's copy came labelled exclude: joined, the
    overturned include was kept, settled, though every decision in force was exclude."""
    rec = {"title": "Peer workers in supervised consumption sites", "author": "Lee, A.", "year": 2019}
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(f"Title,Authors,Year,DOI,Included\n{rec['title']},\"{rec['author']}\",2019,10.1000/peer.1,1\n")
    b.write_text(f"Title,Authors,Year,DOI,Included\n{rec['title'].upper()},\"{rec['author']}\",2019,"
                 "10.1000/peer.1,0\n")
    p = Project.init(tmp_path / "review", settings={"mode": "dual"})
    p.import_files([a])
    p.decide(1, "exclude", reviewer="ana")
    p.decide(1, "exclude", reviewer="ben")
    assert p.current_decisions()["decision"].tolist() == ["exclude"]
    p.import_files([b])
    assert len(p.records_frame()) == 1  # the copy joined the study
    assert p.current_decisions()["decision"].tolist() == ["exclude"]


@contextmanager
def _meanwhile(action):
    """De-duplication runs ``action`` (a teammate's change, committed from another terminal) once
    it has worked the groups out and before it writes them."""
    import screener.dedup

    find = screener.dedup.find_duplicates_with_review

    def find_then_act(*args, **kwargs):
        screener.dedup.find_duplicates_with_review = find
        got = find(*args, **kwargs)
        action()
        return got

    screener.dedup.find_duplicates_with_review = find_then_act
    try:
        yield
    finally:
        screener.dedup.find_duplicates_with_review = find


def test_a_dedup_run_while_a_teammate_imports_groups_the_imported_records_too(tmp_path, toy_review, store_target):
    """'screener dedup' reads the records, works out the groups (minutes in a big review), then
    writes the whole grouping. An import committed meanwhile (another terminal, a teammate) had its
    records left out of the grouping written: its copies of studies were screened as studies of
    their own, and the PRISMA counts failed ('the de-duplication results do not cover the same
    records')."""
    database = store_target if isinstance(store_target, str) else None
    ana = Project.init(tmp_path / "review", database=database)
    ben = Project.open(tmp_path / "review")
    first = toy_review(tmp_path / "first.csv", n=20, n_include=2)
    ana.import_files([first])
    pd.read_csv(first).assign(title=lambda d: d["title"] + " (update)").to_csv(tmp_path / "update.csv", index=False)
    with _meanwhile(lambda: ana.import_files([tmp_path / "update.csv"])):  # while ben's run works the groups out
        ben.deduplicate()
    groups = ben.store.duplicate_groups_frame()
    assert sorted(groups["record_id"]) == list(range(1, 41))
    counts = ben.prisma_counts()
    assert counts["identified"] == 40 and counts["after_deduplication"] == 20
    assert len(ben.records_frame()) == 20
    ana.close()
    ben.close()


def test_a_decision_made_while_duplicates_are_worked_out_is_settled_with_the_rest(tmp_path, toy_review, store_target):
    """Copies decided differently keep the most inclusive decision when de-duplication joins them.
    The log was read before the groups were worked out: an exclude entered meanwhile on one copy
    (the web page, another terminal) was missed, and, being the latest, hid the include on the
    other copy once they were one study."""
    database = store_target if isinstance(store_target, str) else None
    ana = Project.init(tmp_path / "review", database=database)
    ben = Project.open(tmp_path / "review")
    first = toy_review(tmp_path / "first.csv", n=20, n_include=2)
    data = pd.read_csv(first).drop(columns="label_included")
    data.to_csv(tmp_path / "first.csv", index=False)
    data.assign(title=data["title"] + " (update)").to_csv(tmp_path / "update.csv", index=False)
    ana.import_files([tmp_path / "first.csv", tmp_path / "update.csv"], dedup=False)
    ana.decide(1, "include", reviewer="ana")
    notes = []
    with _meanwhile(lambda: ana.decide(21, "exclude", reviewer="ana")):  # record 1's copy, a study of its own still
        ben.deduplicate(notes=notes)
    study = int(ben._primary_of().get(21, 21))
    assert study == int(ben._primary_of().get(1, 1))
    assert ben.current_decisions().loc[study, "decision"] == "include"
    assert len(notes) == 1
    ana.close()
    ben.close()


def test_a_merge_made_while_a_dedup_run_works_the_groups_out_is_kept(tmp_path, store_target):
    """A teammate merges two records while 'screener dedup' works the groups out: the run then
    wrote the grouping it had worked out without the merge, and the two records were two studies
    again (the merge stayed in the log, for the next run only)."""
    database = store_target if isinstance(store_target, str) else None
    ana = Project.init(tmp_path / "review", database=database)
    ben = Project.open(tmp_path / "review")
    pd.DataFrame({"title": ["Peer workers in harm reduction", "Lived experience of peer support workers",
                            "Pharmacokinetics of a new drug in mice"],
                  "year": [2010, 2011, 2012]}).to_csv(tmp_path / "a.csv", index=False)
    ana.import_files([tmp_path / "a.csv"])
    with _meanwhile(lambda: ana.decide_duplicates(1, 2, "merge", reviewer="ana")):  # one study, says ana
        ben.deduplicate()
    assert int(ben._primary_of().get(2, 2)) == int(ben._primary_of().get(1, 1))
    assert ben.prisma_counts()["after_deduplication"] == 2
    ana.close()
    ben.close()


def test_a_copy_split_off_a_decided_study_is_said_to_be_unscreened_now(tmp_path):
    """The Scopus copy of an included MEDLINE record taken out of its group: the include stays
    with the record it was made on, and the copy, a study of its own now, is unscreened; the
    command said only that it was taken out, and status had one more record to screen."""
    d = _an_article_twice_and_another_study(tmp_path)
    with Project.open(d) as p:
        p.decide(1, "include", reviewer="ana")
    r = runner.invoke(app, ["dedup", str(d), "--split", "2"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("Record 2 has no decision of its own (its former group's was made on record 1): as a study of its "
            "own it is not screened yet, and 'screener next' will offer it.") in out
    with Project.open(d) as p:
        assert p.current_decisions()["decision"].to_dict() == {1: "include"}


def test_a_screened_exclude_merged_with_a_record_excluded_unread_at_the_stop_stays_screened(tmp_path, toy_review):
    """After the stop ('label rest.csv --decision exclude'), a reviewer merged a record they had
    screened and excluded with one of the records left, excluded unread: PRISMA went from 30
    screened and 30 not screened to 29 screened and still 30 not screened, as if the study had
    never been read. It was: it stays screened, and one fewer record is excluded unscreened."""
    d = tmp_path / "review"
    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    with Project.init(d) as p:
        p.import_files([csv], column_map={"label": None})
        for rid in range(1, 31):
            p.decide(rid, "include" if rid in (1, 11, 21) else "exclude")
    exclude_the_rest_unread(d, tmp_path)
    with Project.open(d) as p:
        c = p.prisma_counts()
        assert (c["screened"], c["excluded_unscreened"], c["not_screened"]) == (30, 30, 30)
    r = runner.invoke(app, ["dedup", str(d), "--merge", "2,45"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        c = p.prisma_counts()
        assert (c["after_deduplication"], c["screened"], c["excluded"]) == (59, 30, 27)
        assert (c["excluded_unscreened"], c["not_screened"]) == (29, 29)
        from screener.status import screening_counts
        assert (screening_counts(p).screened, screening_counts(p).excluded_unscreened) == (30, 29)


# ------------------------------------------------------------ one topic's title, two abstracts, inside a project

IBD_A = ("The introduction of biologic therapies has revolutionized the treatment of inflammatory bowel disease and "
         "has significantly improved the disease course and outcomes for many patients. Biologics are the main "
         "drivers of cost in many units, and biosimilars, although not better than the originators, are cheaper. "
         "This review discusses the evidence on switching and the concerns of gastroenterologists and patients.")
IBD_B = ("The goal is to review the most recent literature about biosimilars in inflammatory bowel disease, with "
         "emphasis on controversial regulatory issues. Although biosimilars have been in use in Europe since 2005, "
         "the recent approval of CT-P13, a biosimilar of the reference infliximab, raised questions of "
         "extrapolation of indications, interchangeability and immunogenicity that we discuss here.")


def test_import_keeps_two_papers_of_one_title_with_different_abstracts_apart(tmp_path):
    """Two reviews titled "Biosimilars in inflammatory bowel disease" (no author or year in the exports) with
    abstracts that share hardly a phrase were one study in a project, though de-duplication on its own keeps
    them apart: the project's store gave it abstracts cut to their first characters. Now they are two records
    to screen, and the pair is listed for a person to check, at the import and after a full run."""
    title = "Biosimilars in inflammatory bowel disease"
    pd.DataFrame({"Title": [title], "Abstract": [IBD_A]}).to_csv(tmp_path / "embase.csv", index=False)
    pd.DataFrame({"Title": [title.title()], "Abstract": [IBD_B]}).to_csv(tmp_path / "pubmed.csv", index=False)
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    res = runner.invoke(app, ["import", str(d), str(tmp_path / "embase.csv"), str(tmp_path / "pubmed.csv")])
    assert res.exit_code == 0, res.output
    assert "Duplicates removed │       0" in res.output and "Records to screen  │       2" in res.output
    for run in ("import", "dedup"):
        p = Project.open(d)
        groups = p.store.duplicate_groups_frame().set_index("record_id")["group_id"].to_dict()
        assert groups == {1: 1, 2: 2}, run
        review = p.store.duplicate_review_frame()
        assert review["reason"].str.contains("different abstracts").tolist() == [True], run
        assert runner.invoke(app, ["dedup", str(d)]).exit_code == 0


def test_a_record_excluded_unread_at_the_stop_merged_with_a_withdrawn_copy_stays_unscreened(tmp_path, toy_review):
    """After the stop, the reviewer withdrew record 5's exclude (to read it again) and then merged it
    with record 70, excluded unread at the stop. The rest's exclude was entered again for the study
    as de-duplication's own, so it read as screened: PRISMA went from 59 screened and 40 not screened
    to 60 screened (56 excluded) and 39 not screened, for a study no one had read. It stays excluded
    unscreened."""
    d = tmp_path / "review"
    csv = toy_review(tmp_path / "toy.csv", n=100, n_include=6)
    with Project.init(d) as p:
        p.import_files([csv], column_map={"label": None})
        for rid in range(1, 61):
            p.decide(rid, "include" if rid in (1, 17, 33, 49) else "exclude")
    exclude_the_rest_unread(d, tmp_path)
    with Project.open(d) as p:
        p.undo(5)
        c = p.prisma_counts()
        assert (c["screened"], c["excluded"], c["excluded_unscreened"], c["not_screened"]) == (59, 55, 40, 41)
    r = runner.invoke(app, ["dedup", str(d), "--merge", "5,70"])
    assert r.exit_code == 0, r.output
    with Project.open(d) as p:
        c = p.prisma_counts()
        assert (c["after_deduplication"], c["screened"], c["excluded"]) == (99, 59, 55)
        assert (c["excluded_unscreened"], c["not_screened"]) == (40, 40)
        from screener.status import screening_counts
        assert (screening_counts(p).screened, screening_counts(p).excluded_unscreened) == (59, 40)
        assert "excluded unread" in p.decision_log()["note"].iloc[-1]


def test_a_copy_kept_apart_from_a_decided_study_is_said_to_be_unscreened_now(tmp_path):
    """The Scopus copy of an included MEDLINE record kept apart from it (--keep-apart): the include
    stays with the record it was made on, and the copy, a study of its own now, is unscreened; the
    command said only 'different studies (logged)', and status had one more record to screen with
    no word of why. Where the include was made on the copy, the MEDLINE record is the one left
    unscreened, and the include goes with the copy: both are said."""
    d = _an_article_twice_and_another_study(tmp_path)
    with Project.open(d) as p:
        assert len(p.records_frame()) == 2
        p.decide(1, "include", reviewer="ana")
    r = runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("Record 2 has no decision of its own (its former group's was made on record 1): as a study of its "
            "own it is not screened yet, and 'screener next' will offer it.") in out
    with Project.open(d) as p:
        assert p.current_decisions()["decision"].to_dict() == {1: "include"}
    # the include made on the copy: the first record is left unscreened, and the include goes with the copy
    e = tmp_path / "rev2"
    runner.invoke(app, ["init", str(e)])
    assert runner.invoke(app, ["import", str(e), str(tmp_path / "a.ris")]).exit_code == 0
    with Project.open(e) as p:
        p.decide(2, "include", reviewer="ana")
    r = runner.invoke(app, ["dedup", str(e), "--keep-apart", "1,2"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "Record 1 has no decision of its own (its former group's was made on record 2)" in out
    assert "Record 2 keeps the decisions made on it (title/abstract: include)" in out


def test_a_dedup_run_that_parts_a_decided_study_says_which_record_is_unscreened_now(tmp_path):
    """Records 2 and 3 were grouped as one study by an earlier version of screener, and record 2
    included; a later 'screener dedup' (its rules changed since) took them as two studies. Record 3,
    with no decision of its own, became a study to screen: status went from nothing left to one
    record left, and the command said nothing of it."""
    d = tmp_path / "review"
    csv = tmp_path / "a.csv"
    pd.DataFrame([{"title": "Peer workers in harm reduction services", "authors": "Lee, A", "year": 2019},
                  {"title": "Exercise for depression in older adults", "authors": "Kim, B", "year": 2018},
                  {"title": "Sleep hygiene education in students", "authors": "Ng, C", "year": 2020}]).to_csv(
        csv, index=False)
    with Project.init(d) as p:
        p.import_files([csv])
        g = p.store.duplicate_groups_frame()  # as the earlier version grouped them
        g.loc[g["record_id"] == 3, ["group_id", "is_primary"]] = [int(g.loc[g["record_id"] == 2, "group_id"].iloc[0]),
                                                                 False]
        p.store.replace_duplicate_groups(g)
        p.decide(1, "exclude")
        p.decide(2, "include")
        assert p.prisma_counts()["not_screened"] == 0
    r = runner.invoke(app, ["dedup", str(d)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "De-duplication now takes records 2, 3, one study until this run, as different studies" in out
    assert f"screener dedup {d} --merge 2,3" in out
    assert ("Record 3 has no decision of its own (its former group's was made on record 2): as a study of its "
            "own it is not screened yet, and 'screener next' will offer it.") in out
    with Project.open(d) as p:
        assert p.prisma_counts()["not_screened"] == 1
    r = runner.invoke(app, ["dedup", str(d)])  # nothing parted this time: nothing said
    assert "De-duplication now takes" not in r.output


def test_a_dedup_run_that_parts_a_group_of_three_suggests_a_merge_that_joins_the_parts(tmp_path):
    """Records 2, 3 and 4 were one study (an earlier version of screener), record 2 included; a later run
    keeps 2 and 3 together (one paper exported twice) and takes 4 apart. The run said 'takes records 2, 3, 4
    ... as different studies' and 'merge them again: screener dedup DIR --merge 2,3', a merge of two records
    still one study, which leaves record 4 apart. It names the studies it makes and merges one with the other."""
    d = tmp_path / "review"
    csv = tmp_path / "a.csv"
    pd.DataFrame([{"title": "Peer workers in harm reduction services", "authors": "Lee, A", "year": 2019},
                  {"title": "Exercise for depression in older adults", "authors": "Kim, B", "year": 2018},
                  {"title": "Exercise for depression in older adults", "authors": "Kim, B", "year": 2018},
                  {"title": "Sleep hygiene education in students", "authors": "Ng, C", "year": 2020}]).to_csv(
        csv, index=False)
    with Project.init(d) as p:
        p.import_files([csv])
        g = p.store.duplicate_groups_frame()
        two = int(g.loc[g["record_id"] == 2, "group_id"].iloc[0])
        assert int(g.loc[g["record_id"] == 3, "group_id"].iloc[0]) == two  # one paper exported twice
        g.loc[g["record_id"] == 4, ["group_id", "is_primary"]] = [two, False]  # as the earlier version grouped them
        p.store.replace_duplicate_groups(g)
        p.decide(1, "exclude")
        p.decide(2, "include")
    r = runner.invoke(app, ["dedup", str(d)])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "De-duplication now takes records 2, 3, 4, one study until this run, as 2 different studies " \
           "(records 2, 3; record 4)" in out, out
    assert f"screener dedup {d} --merge 2,4." in out, out
    assert "--merge 2,3" not in out
    assert "Record 4 has no decision of its own" in out


def test_a_copy_whose_only_decision_was_withdrawn_is_said_to_be_unscreened_when_split_off(tmp_path):
    """The include made on the Scopus copy was withdrawn ('undo') and the MEDLINE record excluded; taken out of
    the group (--split), the copy was counted as decided: no word that it is a study not screened yet, and the
    records to screen grew by one. A withdrawn decision made on the group's other record is not named as the
    group's either."""
    d = _an_article_twice_and_another_study(tmp_path)
    with Project.open(d) as p:
        assert len(p.records_frame()) == 2
        p.decide(2, "include", reviewer="ana")
        p.undo(2, reviewer="ana")
        p.decide(1, "exclude", reviewer="ana")
    r = runner.invoke(app, ["dedup", str(d), "--split", "2"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("Record 2 has no decision of its own (its former group's was made on record 1): as a study of its "
            "own it is not screened yet, and 'screener next' will offer it.") in out, out
    with Project.open(d) as p:
        assert p.current_decisions()["decision"].to_dict() == {1: "exclude"}
    # the group's only decision withdrawn: no decision of the group's to name
    e = tmp_path / "rev2"
    runner.invoke(app, ["init", str(e)])
    assert runner.invoke(app, ["import", str(e), str(tmp_path / "a.ris")]).exit_code == 0
    with Project.open(e) as p:
        p.decide(1, "include", reviewer="ana")
        p.undo(1, reviewer="ana")
    r = runner.invoke(app, ["dedup", str(e), "--split", "2"])
    assert r.exit_code == 0, r.output
    assert "made on record 1" not in " ".join(r.output.split())


def test_import_keeps_a_book_review_apart_from_the_book_it_reviews(tmp_path):
    """Web of Science's book review (no reviewer in the author field) carries the book's title: imported beside the
    book from another database, the two were one study and the book was never screened. Now both are screened."""
    title = "Mindfulness-based cognitive therapy for depression: a new approach to preventing relapse"
    (tmp_path / "wos.txt").write_text(
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        f"PT J\nTI {title}\nSO PSYCHOLOGICAL MEDICINE\nDT Book Review\nPY 2002\nVL 32\nBP 1311\nEP 1312\nER\n\nEF\n",
        encoding="utf-8")
    (tmp_path / "psycinfo.ris").write_text(
        f"TY  - BOOK\nTI  - {title}\nAU  - Segal, Zindel V.\nPY  - 2002\nPB  - Guilford Press\nER  - \n",
        encoding="utf-8")
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    res = runner.invoke(app, ["import", str(d), str(tmp_path / "wos.txt"), str(tmp_path / "psycinfo.ris")])
    assert res.exit_code == 0, res.output
    assert "Duplicates removed │       0" in res.output and "Records to screen  │       2" in res.output


def test_import_names_the_pairs_listed_for_review(tmp_path):
    """The import's summary is where a reviewer first looks: it names the pairs kept apart, as 'dedup' does."""
    d, r = _two_studies_at_one_page(tmp_path)
    out = " ".join(r.output.split())
    assert f"1 pair of records may be duplicates but was kept apart; check it with: screener dedup {d} --review" in out


def test_status_names_the_pairs_listed_for_review_until_decided(tmp_path):
    """'status' is where a reviewer checks the review: the pairs kept apart, in words and in --json, as
    many as 'dedup --review' lists, and none once decided."""
    import json

    d, _ = _two_studies_at_one_page(tmp_path)
    with Project.open(d) as p:
        assert len(p.duplicate_review()) == 1
    r = runner.invoke(app, ["status", str(d)])
    assert r.exit_code == 0, r.output
    assert f"1 pair of records may be duplicates but was kept apart; check it with: screener dedup {d} --review" \
        in " ".join(r.output.split())
    r = runner.invoke(app, ["status", str(d), "--json"])
    assert json.loads(r.output)["duplicate_pairs_to_review"] == 1
    assert runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"]).exit_code == 0
    r = runner.invoke(app, ["status", str(d)])
    assert "kept apart" not in r.output
    assert json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)["duplicate_pairs_to_review"] == 0


def test_review_after_a_keep_apart_does_not_call_the_pair_clearly_different(tmp_path):
    """Once a reviewer kept a listed pair apart, 'dedup --review' said every possible duplicate was
    'either grouped or clearly different': the pair was the reviewer's call, not clear."""
    d, _ = _two_studies_at_one_page(tmp_path)
    assert runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"]).exit_code == 0
    out = " ".join(runner.invoke(app, ["dedup", str(d), "--review"]).output.split())
    assert "clearly different" not in out
    assert "No pairs of possible duplicates left to decide" in out and "decided by a reviewer" in out


def test_one_paper_at_two_first_pages_of_one_journal_is_listed_for_review(tmp_path):
    """One paper's two copies in one journal, a first page mistyped in one (1201 and 1200), were kept apart without a
    word and screened twice: 'dedup --review' lists them, saying why."""
    title = "Dipeptidyl peptidase-4 inhibitors for type 2 diabetes mellitus: a systematic review"
    recs = [
        {"title": title, "author": "Smith, John A.", "year": 2019, "journal": "Diabetes Reviews", "pages": "1201-1210"},
        {"title": title, "author": "Smith, John A.", "year": 2019, "journal": "Diabetes Reviews", "volume": "12",
         "pages": "1200-1210"},
    ]
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", recs))]).exit_code == 0
    with Project.open(d) as p:
        review = p.duplicate_review()
        assert len(review) == 1
    r = runner.invoke(app, ["dedup", str(d), "--review"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Records 1 and 2" in out and "one journal at two first pages" in out, out


def test_review_shows_whole_titles_where_they_differ_past_100_characters(tmp_path):
    """'dedup --review' cut each title at 100 characters: for "... primary school children: the ACTIVE trial" and
    "...: the ACTIVE-2 trial" (one DOI on both) a reviewer saw two identical titles and could not tell which word
    made them two works. The whole titles are shown; a record without authors shows no empty name before its title."""
    school = "Efficacy of a school-based physical activity intervention on body mass index in primary school children"
    recs = [
        {"title": school + ": the ACTIVE trial", "author": "Smith, John", "year": 2020, "journal": "Lancet",
         "volume": "395", "pages": "100-110", "doi": "10.1016/S0140-6736(20)30001-1"},
        {"title": school + ": the ACTIVE-2 trial", "author": "Smith, John", "year": 2020, "journal": "Lancet",
         "doi": "10.1016/S0140-6736(20)30001-1"},
    ]
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", recs))]).exit_code == 0
    r = runner.invoke(app, ["dedup", str(d), "--review"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Records 1 and 2" in out, out
    assert f"Smith, John: {school}: the ACTIVE trial" in out and f"Smith, John: {school}: the ACTIVE-2 trial" in out


def test_review_of_records_without_authors_shows_no_empty_name():
    from screener.cli.project_cmds import format_review

    side = {"title": "Abstracts from the ESMO congress", "year": 2019, "journal": "Annals of Oncology", "volume": None,
            "issue": None, "pages": "v1-v900", "doi": None, "source_db": "embase", "first_author": None}
    rev = pd.DataFrame([{"record_id": 4, "other_id": 17, "reason": "same title, but two years' editions",
                         **side, **{"other_" + k: v for k, v in side.items()}}])
    out = format_review(rev)
    assert "record 4 [embase] Abstracts from the ESMO congress" in out, out
    assert "] :" not in out, out


def test_a_mistyped_record_id_in_merge_or_split_says_where_the_ids_are_and_that_nothing_changed(tmp_path):
    """'dedup --merge 99,1' said only 'no record with id 99 in this project.': no word of where the ids are listed,
    or whether anything was changed."""
    recs = [{"title": "A trial of talc", "author": "Smith, J.", "year": 2011, "volume": "3", "pages": "10-19"},
            {"title": "A cohort of catheters", "author": "Lee, A.", "year": 2012}]
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", recs))]).exit_code == 0
    for args, where in ((["--merge", "99,1"], "--review"), (["--keep-apart", "1,99"], "--review"),
                        (["--split", "99"], "--report")):
        r = runner.invoke(app, ["dedup", str(d), *args])
        said = " ".join(r.output.split())
        assert r.exit_code != 0 and "no record with id 99 in this project" in said, said
        assert f"screener dedup {d} {where}" in said and "Nothing was changed" in said, said


def test_review_shows_the_authors_a_reason_about_authors_asks_to_compare(tmp_path):
    """'dedup --review' listed "same title, but different first authors: the same authors in another order" with each
    record's first author only: the reviewer could not see the other authors the reason is about. Both records' authors
    are shown (the first three, then how many more), and the DOI where one is given."""
    title = "On service employers' hiring decisions in online labor markets: a perspective of price and quality"
    lines = []
    for authors in (["Hong, Yili", "Zheng, Alvin Zuyin", "Lee, Kim", "Kim, Bo"], ["Zheng, A.Z.", "Hong, Y.", "Lee, K.",
                                                                                    "Kim, B."]):
        lines += ["TY  - JOUR", f"TI  - {title}", *[f"AU  - {a}" for a in authors], "PY  - 2015", "ER  - "]
    f = tmp_path / "a.ris"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(f)]).exit_code == 0
    r = runner.invoke(app, ["dedup", str(d), "--review"])
    said = " ".join(r.output.split())
    assert "another order" in said, said
    assert f"Hong, Yili; Zheng, Alvin Zuyin; Lee, Kim and 1 more: {title}" in said, said
    assert f"Zheng, A.Z.; Hong, Y.; Lee, K. and 1 more: {title}" in said, said


def test_review_shows_each_records_doi():
    from screener.cli.project_cmds import format_review

    side = {"title": "Cancer statistics, 2019", "year": 2019, "journal": "CA Cancer J Clin", "volume": None,
            "issue": None, "pages": None, "doi": "10.3322/caac.21551", "source_db": "medline",
            "first_author": "Siegel, Rebecca L."}
    rev = pd.DataFrame([{"record_id": 5, "other_id": 18, "reason": "same DOI 10.3322/caac.21551, but titles naming "
                         "other years (2019 and 2020): one DOI on two works?", **side,
                         **{"other_" + k: v for k, v in side.items()}, "other_title": "Cancer statistics, 2020"}])
    out = " ".join(format_review(rev).split())
    assert "CA Cancer J Clin, 2019, doi 10.3322/caac.21551" in out, out


def test_report_shows_whole_titles_so_a_wrong_group_can_be_seen(tmp_path):
    """'dedup --report' cut each title at 90 characters: two records joined as one study whose titles differ past it
    ('... on mortality' / '... on hospital admissions') looked alike, and the wrong group could not be seen."""
    head = "Effect of early rehabilitation after hip fracture surgery in older adults living in care homes on "
    recs = [{"title": head + "mortality", "author": "Smith, J.", "year": 2020},
            {"title": head + "hospital admissions", "author": "Smith, J.", "year": 2020}]
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", recs))]).exit_code == 0
    assert runner.invoke(app, ["dedup", str(d), "--merge", "1,2"]).exit_code == 0
    said = " ".join(runner.invoke(app, ["dedup", str(d), "--report"]).output.split())
    assert head + "mortality" in said and head + "hospital admissions" in said, said


RETRACTED_PAIR = [  # PubMed's copy has the abstract; Scopus's is titled as retracted and has none
    {"Title": "Peer-delivered brief intervention on alcohol use among first-year university students",
     "Abstract": "Aims: to test a brief motivational intervention delivered by trained peers.",
     "Authors": "Lee, A.", "Year": 2020, "DOI": "10.1016/j.addbeh.2020.106321", "Journal": "Addictive Behaviors"},
    {"Title": "RETRACTED: Peer-delivered brief intervention on alcohol use among first-year university students",
     "Abstract": "", "Authors": "Lee, A.", "Year": 2020, "DOI": "10.1016/j.addbeh.2020.106321",
     "Journal": "Addictive Behaviors"},
    {"Title": "Sleep hygiene education in students", "Abstract": "A trial of sleep education.", "Authors": "Ng, C.",
     "Year": 2019, "DOI": "", "Journal": "Sleep"},
]


def test_a_study_a_copy_of_which_is_titled_retracted_is_screened_with_its_abstract_and_the_retraction(tmp_path):
    """The copy titled "RETRACTED: <title>" was the one screened even with no abstract, while PubMed's copy had one:
    the study was screened on its title. The copy with the abstract is screened now, and the terminal screen,
    'next' and the records export say that a copy of it is titled as retracted."""
    import io

    from rich.console import Console

    from screener.screening import ScreeningSession
    from screener.tui import render_record

    csv = tmp_path / "records.csv"
    pd.DataFrame(RETRACTED_PAIR).to_csv(csv, index=False)
    d = tmp_path / "review"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([csv])
        recs = p.records_frame()
        assert list(recs.index) == [1, 3] and recs.loc[1, "abstract"].startswith("Aims")
        assert p.retracted_copies() == {1: 2} and p.retracted_copies([3]) == {}
        export = p.export_frame()
        assert export.loc[1, "retracted"] == "yes" and export.loc[3, "retracted"] == ""
        session = ScreeningSession(p, embedding_model="none")
        out = io.StringIO()
        Console(file=out, width=200).print(render_record(session, 1, position="1 of 2"))
        assert "Aims: to test" in out.getvalue()
        assert "Retracted: a copy of this record (record 2) says in its title that the article was retracted" \
            in out.getvalue()
        out = io.StringIO()
        Console(file=out, width=200).print(render_record(session, 3, position="2 of 2"))
        assert "Retracted" not in out.getvalue()
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none"], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "[Retracted: record 2] Peer-delivered brief intervention" in r.output
    assert "[Retracted: record 2] Sleep" not in r.output and r.output.count("Retracted") == 1


def test_a_batch_file_says_a_copy_of_the_study_is_titled_retracted(tmp_path):
    """'next -o batch.csv' wrote the study's record (the copy with the abstract) with no word that a copy of it is
    titled "RETRACTED: <title>": screened in a spreadsheet, the retraction went unseen."""
    csv = tmp_path / "records.csv"
    pd.DataFrame(RETRACTED_PAIR).to_csv(csv, index=False)
    d = tmp_path / "review"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([csv])
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none", "-o", str(tmp_path / "b.csv")])
    assert r.exit_code == 0, r.output
    batch = pd.read_csv(tmp_path / "b.csv", encoding="utf-8-sig", keep_default_na=False).set_index("record_id")
    assert batch.loc[1, "retracted"] == "Retracted: a copy of this record (record 2) says in its title that the " \
                                        "article was retracted."
    assert batch.loc[3, "retracted"] == ""
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none", "-o", str(tmp_path / "b.ris")])
    assert r.exit_code == 0, r.output
    ris = (tmp_path / "b.ris").read_text(encoding="utf-8-sig")
    assert ris.count("Retracted: a copy of this record (record 2)") == 1


def _two_studies_two_copies(tmp_path):
    """Two studies at one volume and first page, each in two databases' files (its copies joined): de-duplication
    lists them as possible duplicates. Records 1 and 4 are one study, 2 and 3 the other."""
    one, other = _COLCHICINE, _SYNDROME
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    r = runner.invoke(app, ["import", str(d), str(_ris(tmp_path / "a.ris", [one, other])),
                            str(_ris(tmp_path / "b.ris", [other, one]))])
    assert r.exit_code == 0, r.output
    assert _groups(d) == {1: 1, 2: 2, 3: 2, 4: 1}
    return d, r


def test_two_studies_of_two_copies_each_are_one_pair_to_review(tmp_path):
    """Two studies of two copies each, listed as possible duplicates, were four pairs of records (1-2, 1-3, 2-4,
    3-4), each to decide though one decision settles them all. They are one pair of studies, shown by two of their
    copies, with each study's copies named; every count says one pair."""
    import json

    d, r = _two_studies_two_copies(tmp_path)
    said = "1 pair of records may be duplicates but was kept apart; check it with"
    assert said in " ".join(r.output.split())
    with Project.open(d) as p:
        rev = p.duplicate_review()
        assert list(zip(rev["record_id"], rev["other_id"])) == [(1, 2)]
        assert (int(rev["copies"].iloc[0]), int(rev["other_copies"].iloc[0])) == (2, 2)
    out = " ".join(runner.invoke(app, ["dedup", str(d), "--review"]).output.split())
    assert "1 pair of records may be the same study" in out
    assert "Records 1 and 2:" in out and "Records 3 and 4" not in out and "Records 1 and 3" not in out
    assert "record 1 is one of 2 copies of its study (records 1, 4)" in out
    assert "record 2 is one of 2 copies of its study (records 2, 3)" in out
    assert said in " ".join(runner.invoke(app, ["status", str(d)]).output.split())
    assert json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)["duplicate_pairs_to_review"] == 1
    csv = tmp_path / "pairs.csv"
    assert runner.invoke(app, ["dedup", str(d), "--review", "-o", str(csv)]).exit_code == 0
    table = pd.read_csv(csv)
    assert len(table) == 1 and table.loc[0, "copy_ids"] == "1, 4" and table.loc[0, "other_copy_ids"] == "2, 3"
    # one decision on the pair decides the two studies, all their copies
    r = runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"])
    assert r.exit_code == 0, r.output
    assert ("Records 1 and 2: different studies (logged), every copy of each: records 1 and 4 are one study, "
            "records 2 and 3 the other.") in " ".join(r.output.split())
    assert "No pairs of possible duplicates left to decide" in runner.invoke(app, ["dedup", str(d), "--review"]).output
    assert json.loads(runner.invoke(app, ["status", str(d), "--json"]).output)["duplicate_pairs_to_review"] == 0


def test_a_different_studies_stored_on_other_copies_still_takes_the_two_studies_off_the_list(tmp_path):
    """A project whose reviewer said 'different studies' of two copies other than those now shown (records 3 and 4,
    decided when each copy pair was listed) keeps that word: the two studies are not listed again."""
    d, _ = _two_studies_two_copies(tmp_path)
    with Project.open(d) as p:  # stored as before, on one copy pair
        p.store.append_dedup_decision(3, 4, "separate", reviewer="Tom")
        assert p.duplicate_review().empty and p.n_duplicate_pairs() == 0
    assert runner.invoke(app, ["dedup", str(d)]).exit_code == 0  # and a later de-duplication run lists none either
    with Project.open(d) as p:
        assert p.store.duplicate_review_frame().empty
        assert _groups(d) == {1: 1, 2: 2, 3: 2, 4: 1}
    # Tom's word holds for the two studies: a merge of two other copies is refused
    assert runner.invoke(app, ["dedup", str(d), "--merge", "2,4"]).exit_code != 0


def test_different_studies_said_of_a_study_of_one_record_and_one_of_three_names_each_study(tmp_path):
    """The word on a study of one record and one of three copies named them as if the copies were told apart:
    "so are their copies (record 1, and records 2, 3 and 4)" read as records 2, 3 and 4 being different studies. It
    names each study's records."""
    one, other = _COLCHICINE, _SYNDROME
    d = tmp_path / "rev"
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    files = [_ris(tmp_path / "a.ris", [one, other]),  # record 2's study has two more copies, 3 and 4
             _ris(tmp_path / "b.ris", [dict(other, title=other["title"].upper())]),
             _ris(tmp_path / "c.ris", [dict(other, journal="J Tests")])]
    assert runner.invoke(app, ["import", str(d)] + [str(f) for f in files]).exit_code == 0
    assert _groups(d) == {1: 1, 2: 2, 3: 2, 4: 2}
    r = runner.invoke(app, ["dedup", str(d), "--keep-apart", "1,2"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert ("Records 1 and 2: different studies (logged), every copy of each: record 1 is one study, records 2, 3 "
            "and 4 the other.") in said, said
    assert "so are their copies" not in said


@pytest.mark.parametrize("primaries", [False, True])
def test_a_record_titled_retracted_is_not_called_a_copy_of_itself(tmp_path, monkeypatch, primaries):
    """The copy titled "RETRACTED: <title>" holds the abstract, so it is the record screened (record 1), its copy
    without the word record 2. A store whose map of primaries lists the primaries too (as ``Store.primary_map``'s
    own does: they "may be left out") made ``retracted_copies`` map study 1 to itself: its screen said "Retracted: a
    copy of this record (record 1) says in its title that the article was retracted" on record 1 itself, and 'next'
    listed it as "[Retracted: record 1] RETRACTED: ...". Its own title says it, and no other copy does."""
    import io

    from rich.console import Console

    from screener.screening import ScreeningSession
    from screener.store.base import Store
    from screener.tui import render_record

    if primaries:
        from screener.store.sqlite import SQLiteStore

        monkeypatch.setattr(SQLiteStore, "primary_map", Store.primary_map)
    rows = [dict(RETRACTED_PAIR[1], Abstract=RETRACTED_PAIR[0]["Abstract"]), dict(RETRACTED_PAIR[0], Abstract=""),
            RETRACTED_PAIR[2]]
    csv = tmp_path / "records.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    d = tmp_path / "review"
    with Project.init(d, settings={"embedding_model": "none"}) as p:
        p.import_files([csv])
        recs = p.records_frame()
        assert list(recs.index) == [1, 3] and recs.loc[1, "title"].startswith("RETRACTED: ")
        assert (1 in p.store.primary_map().index) == primaries
        assert p.retracted_copies() == {} and p.export_frame().loc[1, "retracted"] == "yes"
        out = io.StringIO()
        Console(file=out, width=200).print(render_record(ScreeningSession(p, embedding_model="none"), 1,
                                                         position="1 of 2"))
        assert "Aims: to test" in out.getvalue() and "a copy of this record" not in out.getvalue(), out.getvalue()
    r = runner.invoke(app, ["next", str(d), "--n", "2", "--embedding-model", "none"], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "[Retracted: record 1]" not in r.output and "RETRACTED: Peer-delivered" in r.output, r.output
