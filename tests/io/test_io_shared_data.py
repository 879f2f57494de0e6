"""Every real export in shared/fixtures and the labelled datasets read completely and correctly."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pandas as pd
import pytest

from screener.io import read_records, write_records
from screener.records import FIELDS

# from shared/fixtures/README.md
MSM_COUNTS = {
    "cochrane.ris": 15,
    "medline.ris": 190,
    "proquest.ris": 66,
    "psycinfo.ris": 157,
    "scopus.ris": 213,
    "handsearch.ris": 1,
    "included_title_abstract.ris": 167,
    "included_full_text.ris": 108,
}
FIXTURES = [f"msm_syndemic_search/{n}" for n in MSM_COUNTS] + [
    f"ptsd_ris/schoot-lgmm-ptsd-included-{i}.ris" for i in (1, 2, 3)
]


@pytest.mark.parametrize("rel", FIXTURES)
def test_fixture_reads_every_record(shared_dir, rel):
    path = shared_dir / "fixtures" / rel
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    n_er = sum(1 for ln in lines if ln.startswith("ER  -"))
    res = read_records(path)
    assert res.format == "ris" and res.encoding == "utf-8"
    assert len(res.records) == n_er
    if path.name in MSM_COUNTS:
        assert len(res.records) == MSM_COUNTS[path.name]
    for r in res.records:
        assert set(r) == set(FIELDS)
        assert lines[r["source_line"] - 1].startswith("TY  -")  # source_line is the record's TY line
        assert r["title"], f"record at line {r['source_line']} lost its title"
        assert r["year"] is None or 1900 < r["year"] < 2030
        assert all(isinstance(a, str) and a for a in r["authors"])
        assert r["source_file"] == path.name
    assert res.labels == [None] * len(res.records)
    json.dumps([r["raw"] for r in res.records])


def test_fixture_field_coverage(shared_dir):
    """Fields each database stores under its own tags all arrive in the canonical record."""
    msm = shared_dir / "fixtures" / "msm_syndemic_search"
    medline = read_records(msm / "medline.ris").records
    assert all(r["pmid"] and r["pmid"] == r["source_id"] for r in medline)  # Ovid ID = PMID
    assert sum(bool(r["abstract"]) for r in medline) >= 185  # N2
    assert sum(bool(r["doi"]) for r in medline) == 178  # DO as https://dx.doi.org/...
    assert all(r["journal"] for r in medline)  # JF
    scopus = read_records(msm / "scopus.ris").records
    assert {r["source_db"] for r in scopus} == {"Scopus"}
    assert sum(bool(r["pmid"]) for r in scopus) == 168  # C2
    psyc = read_records(msm / "psycinfo.ris").records
    assert {r["source_db"] for r in psyc} == {"APA PsycInfo (Ovid)"}
    assert not any(r["pmid"] for r in psyc)
    assert sum(bool(r["raw"].get("NL")) for r in psyc) == 134  # after ER; kept with its record
    ptsd = read_records(shared_dir / "fixtures" / "ptsd_ris" / "schoot-lgmm-ptsd-included-1.ris").records
    adams = next(r for r in ptsd if r["doi"] == "10.1037/a0039713")
    assert adams["keywords"] == [
        "Adolescence", "Complex trauma", "Mental health", "Polytraumatization", "Polyvictimization"
    ]
    assert "Von Känel, R." in ptsd[0]["authors"]


def test_fixture_ris_round_trip(shared_dir, tmp_path):
    res = read_records(shared_dir / "fixtures" / "msm_syndemic_search" / "included_full_text.ris")
    df = pd.DataFrame(res.records)
    df["decision"] = "include"
    out = write_records(df, tmp_path / "includes.ris", "ris")
    back = read_records(out)
    assert len(back.records) == 108 and back.labels == ["include"] * 108
    for field in ("title", "doi", "pmid", "authors", "year", "journal", "keywords"):
        assert [r[field] for r in back.records] == [r[field] for r in res.records], field


#: What an import reads of a record and of its screening, compared after a project's export goes into a new project
ROUND_TRIP = ("title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "start_page", "doi",
              "pmid", "keywords", "type", "source_db", "central_accession", "decision", "decision_note",
              "decision_reason")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "ris", "xlsx"])
def test_fixture_project_export_goes_into_a_new_project_with_every_field_and_decision(shared_dir, tmp_path, fmt):
    """Real exports (MEDLINE keywords, Cochrane's trial records, ProQuest's authors with a ';' in a name, a reference
    manager's long abstracts) screened with notes and reasons, exported in each format screener writes and imported
    into a new project: every field the import reads comes back the same, and so do the decisions, and the tables
    keep each record's id in its database. RIS writes each field on one line, so an abstract's line breaks and thin
    spaces read back as spaces (see ``screener.io.export._write_ris``), and its ID is screener's record id."""
    from screener.project import Project
    from screener.store.base import Decision

    files = [shared_dir / "fixtures" / "msm_syndemic_search" / "cochrane.ris",
             shared_dir / "fixtures" / "msm_syndemic_search" / "proquest.ris",
             shared_dir / "fixtures" / "ptsd_ris" / "schoot-lgmm-ptsd-included-3.ris"]
    with Project.init(tmp_path / "one") as p:
        p.import_files(files)
        ids = list(p.records_frame().index)
        p.decide_many([Decision(record_id=int(r), decision=("include", "exclude", "maybe")[i % 3],
                                note=f"note {i}; checked, twice" if i % 2 else None,
                                reason="wrong population" if i % 3 == 1 else None) for i, r in enumerate(ids[:12])])
        before = p.export_frame()
        p.export(tmp_path / f"review.{fmt}", fmt)
    with Project.init(tmp_path / "two") as q:
        q.import_files([tmp_path / f"review.{fmt}"], dedup=False)
        after = q.export_frame()
    assert len(after) == len(before) == len(ids)

    def cell(v, field):
        if isinstance(v, str):
            return " ".join(v.split()) if fmt == "ris" and field == "abstract" else v or None
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        return list(v) if hasattr(v, "__len__") else v

    assert "Vernon, Julia R; G" in [a for authors in before["authors"] for a in authors]  # one name, with its ';'
    for field in ROUND_TRIP + (("source_ref",) if fmt != "ris" else ()):
        assert [cell(v, field) for v in after[field]] == [cell(v, field) for v in before[field]], field
    assert sorted(before["decision"].value_counts().to_dict().items()) == [("", len(ids) - 12), ("exclude", 4),
                                                                          ("include", 4), ("maybe", 4)]


def _index(shared_dir):
    with open(shared_dir / "datasets" / "index.csv", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


DATASETS = [
    "cohen_adhd.csv",
    "cohen_opioids.csv",
    "clef2017_cd010632.csv",
    "kitchenham_2010.csv",
    "kwok_2020.csv",
    "menon_2022.csv",
    "nagtegaal_2019.csv",
    "sep_2021.csv",
    "teachers_soft_skills.csv",
    "van_der_valk_2021.csv",
]


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_counts_and_labels(shared_dir, name):
    row = _index(shared_dir)[name]
    res = read_records(shared_dir / "datasets" / name)
    assert len(res.records) == int(row["n_records"])
    counts = Counter(res.labels)
    assert counts["include"] == int(row["n_includes"])
    assert counts["include"] + counts["exclude"] == int(row["n_records"])
    assert sum(not r["abstract"] for r in res.records) == int(row["n_missing_abstract"])
    assert [r["source_id"] for r in res.records] == [str(i) for i in range(1, len(res.records) + 1)]


@pytest.mark.slow
def test_every_dataset(shared_dir):
    for name, row in _index(shared_dir).items():
        res = read_records(shared_dir / "datasets" / name)
        assert len(res.records) == int(row["n_records"]), name
        assert Counter(res.labels)["include"] == int(row["n_includes"]), name


def test_cohen_fields(shared_dir):
    res = read_records(shared_dir / "datasets" / "cohen_adhd.csv")
    r = res.records[0]
    assert r["pmid"] == "10051933"
    assert "Clonidine" in r["keywords"] and "Analgesics, Opioid" in r["keywords"]
    assert r["source_db"] == "cohen_adhd"
